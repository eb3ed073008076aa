#!/usr/bin/env python3
"""DBSCAN benchmark (make bench-spatial; docs/BENCHMARKS.md): klaster map
spatial against scikit-learn's DBSCAN (haversine, ball tree) on the same
200,000 points in one run, with the labels compared point by point; then
klaster alone on 5,000,000 points.  Points: Gaussian blobs around Polish
cities plus uniform noise over Poland, fixed seed."""
import os
import subprocess
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("KLASTER_BIN") or os.path.join(ROOT, "build", "klaster")
OUT = os.path.join(ROOT, "bench", "out")
R_EARTH = 6371008.8
EPS, K = 1000.0, 10


def generate(n, seed):
    rng = np.random.default_rng(seed)
    centres = np.array([(52.23, 21.01, 0.06), (50.06, 19.94, 0.05), (52.41, 16.93, 0.04),
                        (54.35, 18.65, 0.05), (51.11, 17.03, 0.08), (51.76, 19.46, 0.05),
                        (50.26, 19.02, 0.07), (53.13, 23.16, 0.04)])
    nb = int(n * 0.8)
    which = rng.integers(0, len(centres), nb)
    lat = rng.normal(centres[which, 0], centres[which, 2])
    lon = rng.normal(centres[which, 1], centres[which, 2] * 1.6)
    lat = np.concatenate([lat, rng.uniform(49.0, 54.8, n - nb)])
    lon = np.concatenate([lon, rng.uniform(14.1, 24.1, n - nb)])
    order = rng.permutation(n)
    return lat[order], lon[order]


def write(path, lat, lon):
    if os.path.exists(path):
        return
    with open(path + ".tmp", "w") as f:
        f.write("id,name,industry,lat,lon\n")
        for i in range(0, len(lat), 100000):
            f.write("".join("%d,f%d,C,%.6f,%.6f\n" % (j, j, lat[j], lon[j])
                            for j in range(i, min(i + 100000, len(lat)))))
    os.replace(path + ".tmp", path)


def klaster(path, out):
    t0 = time.perf_counter()
    r = subprocess.run([BIN, "map", "spatial", path, "--eps", str(EPS), "--min-samples", str(K), "-o", out],
                       capture_output=True, text=True)
    took = time.perf_counter() - t0
    if r.returncode:
        sys.exit("klaster failed: " + r.stderr)
    return took


def main():
    os.makedirs(OUT, exist_ok=True)
    lat, lon = generate(200000, 7)
    p200 = os.path.join(OUT, "points-200000.csv")
    write(p200, lat, lon)
    out = os.path.join(OUT, "klaster-dbscan.csv")
    tk = min(klaster(p200, out) for _ in range(3))
    X = np.radians(np.column_stack([lat, lon]))
    t0 = time.perf_counter()
    m = DBSCAN(eps=EPS / R_EARTH, min_samples=K, metric="haversine", algorithm="ball_tree").fit(X)
    ts = time.perf_counter() - t0
    labels = np.loadtxt(out, delimiter=",", skiprows=1, usecols=(5, 6), dtype=int)
    core = np.zeros(len(lat), dtype=int)
    core[m.core_sample_indices_] = 1
    mism_core = int((labels[:, 1] != core).sum())
    mism_label = int((labels[:, 0] != m.labels_).sum())
    clusters = len(set(m.labels_)) - (1 if -1 in m.labels_ else 0)

    lat5, lon5 = generate(5000000, 11)
    p5m = os.path.join(OUT, "points-5000000.csv")
    write(p5m, lat5, lon5)
    t5 = klaster(p5m, os.path.join(OUT, "klaster-dbscan-5m.csv"))

    print("DBSCAN, eps %.0f m, min_samples %d (haversine); %d clusters in the 200,000 points\n" % (EPS, K, clusters))
    print("| run | seconds | speed-up |")
    print("|---|---:|---:|")
    print("| scikit-learn DBSCAN (ball_tree), 200,000 points | %.2f | 1.0× |" % ts)
    print("| klaster map spatial, 200,000 points (best of 3, CSV in and out) | %.2f | %.1f× |" % (tk, ts / tk))
    print("| klaster map spatial, 5,000,000 points | %.2f | – |" % t5)
    print("\nlabels differing from scikit-learn: %d; core flags differing: %d" % (mism_label, mism_core))
    return 1 if mism_label or mism_core else 0


if __name__ == "__main__":
    sys.exit(main())
