#!/usr/bin/env python3
"""A large stored dataset in the portal (docs/BENCHMARKS.md, "A large dataset
in the portal").

Writes a statistics file of 2,280,000 cells (380 regions x 600 industries x
10 years, fixed seed) once, stores it in a fresh SQLite database with
`klaster import stats` (timed, with its peak RSS), then for two servers on
that database -- the default (datasets kept, `--dataset-cache 256`) and one
with `--dataset-cache 0` -- asks for the cluster map's page of one industry
after another, a region's profile after another and the related industries
of one industry after another (each a new page, so that the response cache
cannot answer) and reports the first page's time, the median and best of the rest, and the
server's peak RSS.  The two servers' answers of the API for the same page
must be the same (exit 1 otherwise).  No peer: the figure is what a page of a large
dataset costs, read from the database every time or kept.

usage: datasets.py KLASTER [ROUNDS]     (ROUNDS pages after the first; default 8)
"""
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def cells_file():
    path = os.path.join(OUT, "cells-2280000.csv")
    if os.path.exists(path):
        return path
    os.makedirs(OUT, exist_ok=True)
    rnd = random.Random(20261125)
    with open(path + ".tmp", "w", encoding="ascii") as f:
        f.write("region,industry,year,employment\n")
        for y in range(2015, 2025):
            f.write("".join("R%03d,I%04d,%d,%d\n" % (r, i, y, rnd.randrange(0, 5000))
                            for r in range(380) for i in range(600)))
    os.replace(path + ".tmp", path)
    return path


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def hwm(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


# The pages asked for, each a new address in every round: (name, page, API answer compared
# between the two servers), %d the round.
KINDS = (
    ("cluster map of an industry", "/cluster-map?dataset=big&industry=I%04d&indicator=lq&lang=en",
     "/api/v1/cluster-map?dataset=big&industry=I%04d&indicator=lq"),
    ("region profile (with its related opportunities)", "/cluster-map/region?dataset=big&region=R%03d&lang=en",
     "/api/v1/cluster-map/region?dataset=big&region=R%03d"),
    ("related industries of an industry", "/cluster-map/related?dataset=big&industry=I%04d&lang=en",
     "/api/v1/cluster-map/relatedness?dataset=big&base=density&industry=I%04d"),
)


def pages(klaster, db, cache, rounds):
    """{kind: (times, API bodies)} and the server's peak RSS."""
    port = free_port()
    srv = subprocess.Popen([klaster, "--db", db, "serve", "--listen", "127.0.0.1:%d" % port, "--quiet",
                            "--dataset-cache", str(cache)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2).read()
                break
            except OSError:
                time.sleep(0.05)
        out = {}
        for name, page, api in KINDS:
            times, bodies = [], []
            for k in range(rounds + 1):
                t = time.perf_counter()
                urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, page % k), timeout=600).read()
                times.append(time.perf_counter() - t)
                bodies.append(urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, api % k), timeout=600).read())
            out[name] = (times, bodies)
        return out, hwm(srv.pid)
    finally:
        srv.terminate()
        srv.wait(timeout=30)


def main():
    klaster = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    data = cells_file()
    with tempfile.TemporaryDirectory() as tmp:
        db = "sqlite:" + os.path.join(tmp, "big.db")
        subprocess.run([klaster, "--db", db, "db", "migrate"], check=True, stdout=subprocess.DEVNULL)
        t = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", klaster, "--db", db, "import", "stats", data,
                            "--dataset", "big", "--region-kind", "other", "--no-progress"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        took = time.perf_counter() - t
        if r.returncode != 0:
            sys.exit("bench: import stats failed: " + r.stderr[-500:])
        print("import stats: 2,280,000 cells stored in %.2f s, peak RSS %d MiB" % (
            took, int(r.stderr.split()[-1]) // 1024))
        res = {}
        for cache in (256, 0):
            res[cache] = pages(klaster, db, cache, rounds)
        print("| page | server | first page (s) | next pages, median (s) | best (s) | peak RSS (MiB) |")
        print("|---|---|---:|---:|---:|---:|")
        for name, _, _ in KINDS:
            for cache in (256, 0):
                times = res[cache][0][name][0]
                print("| %s | --dataset-cache %d | %.3f | %.3f | %.3f | %d |" % (
                    name, cache, times[0], statistics.median(times[1:]), min(times[1:]), res[cache][1]))
        for name, _, _ in KINDS:
            if res[256][0][name][1] != res[0][0][name][1]:
                sys.exit("bench: the API answers differ between the two servers (%s)" % name)
            print("%s: the API answers of both servers are the same (%d pages)" % (name, rounds + 1))

if __name__ == "__main__":
    main()
