#!/usr/bin/env python3
"""`klaster map spatial` (DBSCAN on firm points) and `klaster map hotspots`
(Getis-Ord) end to end.  Prints TAP.

The DBSCAN results are compared with scikit-learn's
    DBSCAN(eps=eps_m / 6371008.8, min_samples=k, metric='haversine',
           algorithm='ball_tree').fit(np.radians(latlon))
on a generated data set (Gaussian blobs over Poland and uniform noise,
fixed seed), on points around the 180th meridian and a pole, and on the EU
ETS installations of Poland: core flags, the labels of core points and the
noise set must be identical (and so are the border labels, since klaster
follows scikit-learn's rule for them).  scikit-learn is required: without
it the comparisons fail, they are not skipped (Debian: python3-sklearn;
run with /usr/bin/python3).

The hot-spot values are PySAL esda's test vector (esda/tests/test_getisord.py)."""
import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap, run, rows_of, workdir  # noqa: E402

TAP = Tap()
ok = TAP.ok
EUTL = os.path.join(ROOT, "data", "firms", "eutl_installations_PL_slim.csv")
R_EARTH = 6371008.8

try:
    import numpy as np
    from sklearn.cluster import DBSCAN
    SKLEARN_ERROR = None
except ImportError as ex:  # Debian's packages may sit behind another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import numpy as np
        from sklearn.cluster import DBSCAN
        SKLEARN_ERROR = None
    except ImportError as ex2:
        SKLEARN_ERROR = "scikit-learn is not importable (%s; %s) - install python3-sklearn" % (ex, ex2)








def write_firms(path, pts, header=("id", "name", "industry", "lat", "lon", "employment")):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i, (lat, lon) in enumerate(pts):
            w.writerow(["F%05d" % i, "Firma %d" % i, "C%02d" % (10 + i % 3), repr(lat), repr(lon), 1 + i % 50])


def generate(seed=20240611):
    """Five Gaussian blobs over Polish cities and uniform noise over Poland's box: 3000 points."""
    rng = np.random.default_rng(seed)
    centres = [(52.23, 21.01, 0.06), (50.06, 19.94, 0.05), (52.41, 16.93, 0.04), (54.35, 18.65, 0.05),
               (51.11, 17.03, 0.08)]
    pts = []
    for lat, lon, sd in centres:
        for _ in range(450):
            pts.append((float(rng.normal(lat, sd)), float(rng.normal(lon, sd * 1.6))))
    for _ in range(3000 - len(pts)):
        pts.append((float(rng.uniform(49.0, 54.8)), float(rng.uniform(14.1, 24.1))))
    order = rng.permutation(len(pts))
    return [pts[i] for i in order]


def sklearn_dbscan(pts, eps_m, k):
    X = np.radians(np.array(pts, dtype=float))
    m = DBSCAN(eps=eps_m / R_EARTH, min_samples=k, metric="haversine", algorithm="ball_tree").fit(X)
    core = np.zeros(len(pts), dtype=int)
    core[m.core_sample_indices_] = 1
    return [int(x) for x in m.labels_], [int(x) for x in core]


def compare(desc, pts, eps_m, k, path):
    """Runs klaster on path (the firms pts in order) and scikit-learn on pts."""
    t0 = time.time()
    r = run("map", "spatial", path, "--eps", str(eps_m), "--min-samples", str(k))
    took = time.time() - t0
    ok(r.returncode == 0, "%s: klaster map spatial runs (%.2f s)" % (desc, took), r.stderr)
    rows = rows_of(r.stdout)
    if SKLEARN_ERROR:
        ok(False, "%s: compared with scikit-learn" % desc, SKLEARN_ERROR)
        return rows
    labels, core = sklearn_dbscan(pts, eps_m, k)
    ok(len(rows) == len(pts), "%s: one row per point" % desc, "%d rows, %d points" % (len(rows), len(pts)))
    if len(rows) != len(pts):
        return rows
    kl = [int(x["cluster"]) for x in rows]
    kc = [int(x["core"]) for x in rows]
    bad = [i for i in range(len(pts)) if kc[i] != core[i]]
    ok(not bad, "%s: core flags equal scikit-learn's (%d core points)" % (desc, sum(core)),
       ["point %d: klaster %d, sklearn %d" % (i, kc[i], core[i]) for i in bad[:10]])
    bad = [i for i in range(len(pts)) if core[i] and kl[i] != labels[i]]
    ok(not bad, "%s: labels of core points equal scikit-learn's (%d clusters)" % (desc, max(labels) + 1),
       ["point %d: klaster %d, sklearn %d" % (i, kl[i], labels[i]) for i in bad[:10]])
    noise_k = {i for i in range(len(pts)) if kl[i] < 0}
    noise_s = {i for i in range(len(pts)) if labels[i] < 0}
    ok(noise_k == noise_s, "%s: the noise set equals scikit-learn's (%d noise points)" % (desc, len(noise_s)),
       "only klaster: %s; only sklearn: %s" % (sorted(noise_k - noise_s)[:10], sorted(noise_s - noise_k)[:10]))
    bad = [i for i in range(len(pts)) if kl[i] != labels[i]]
    ok(not bad, "%s: border points take the same (lowest-numbered) cluster" % desc,
       ["point %d: klaster %d, sklearn %d" % (i, kl[i], labels[i]) for i in bad[:10]])
    return rows


def main():
    work = workdir("klaster-spatial.")
    ok(SKLEARN_ERROR is None, "scikit-learn is available for the comparisons", SKLEARN_ERROR)
    if SKLEARN_ERROR:
        TAP.done()
        return 1

    # 1. 3000 generated points over Poland
    pts = generate()
    firms = os.path.join(work, "firms.csv")
    write_firms(firms, pts)
    rows = compare("blobs eps 5 km, k 5", pts, 5000, 5, firms)
    compare("blobs eps 2 km, k 10", pts, 2000, 10, firms)
    compare("blobs eps 20 km, k 1", pts, 20000, 1, firms)
    r = run("map", "spatial", firms, "--eps", "5000", "--min-samples", "5")
    ok("clusters" in r.stderr and "noise" in r.stderr, "a summary of clusters and noise on stderr", r.stderr)
    ok(rows and list(rows[0].keys()) == ["id", "name", "industry", "lat", "lon", "cluster", "core"],
       "the columns are id, name, industry, lat, lon, cluster, core", rows and list(rows[0].keys()))

    # 2. around the 180th meridian and the North Pole
    rng = np.random.default_rng(7)
    seam = [(float(rng.normal(-16.5, 0.05)), float((rng.normal(180.0, 0.08) + 180) % 360 - 180)) for _ in range(150)]
    pole = [(float(min(90.0, 89.9 + abs(rng.normal(0, 0.05)))), float(rng.uniform(-180, 180))) for _ in range(150)]
    other = [(float(rng.uniform(-60, 60)), float(rng.uniform(-180, 180))) for _ in range(100)]
    glob = seam + pole + other
    gpath = os.path.join(work, "globe.csv")
    write_firms(gpath, glob)
    grows = compare("180th meridian and pole, eps 10 km, k 4", glob, 10000, 4, gpath)
    if len(grows) == len(glob):
        seam_labels = {int(x["cluster"]) for x in grows[:150] if int(x["core"])}
        east = any(float(x["lon"]) > 0 for x in grows[:150])
        west = any(float(x["lon"]) < 0 for x in grows[:150])
        ok(east and west and len(seam_labels) == 1, "a cluster across the 180th meridian is one cluster",
           "labels %s" % seam_labels)

    # 3. output formats and the industry filter
    out = os.path.join(work, "clusters.json")
    r = run("map", "spatial", firms, "--eps", "5000", "--industry", "C10", "-o", out)
    ok(r.returncode == 0 and os.path.exists(out), "JSON output with --industry", r.stderr)
    if os.path.exists(out):
        js = json.load(open(out, encoding="utf-8"))
        ok(len(js) == sum(1 for i in range(len(pts)) if i % 3 == 0) and all(x["industry"] == "C10" for x in js),
           "--industry keeps that industry's firms only", len(js))
    out = os.path.join(work, "clusters.xlsx")
    r = run("map", "spatial", firms, "--eps", "5000", "-o", out)
    ok(r.returncode == 0 and os.path.getsize(out) > 1000, "XLSX output", r.stderr)

    # 4. bad input: file, line and column named; exit 3; nothing written
    def bad(desc, text, want, *extra):
        p = os.path.join(work, "bad.csv")
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        o = os.path.join(work, "bad_out.csv")
        r2 = run("map", "spatial", p, "--eps", "1000", "-o", o, *extra)
        ok(r2.returncode == 3 and want in r2.stderr and not os.path.exists(o), desc, r2.stderr)

    bad("a missing column is named", "id,name,industry,lat\nA,a,C10,52\n", "bad.csv:1: the column lon is missing")
    bad("a coordinate that is not a number names line and column",
        "id,name,industry,lat,lon\nA,a,C10,52,21\nB,b,C10,52x,21\n", 'bad.csv:3: column lat: "52x" is not a number')
    bad("a row with a field too many (a name with a comma, not quoted) is refused, not shifted",
        "id,name,industry,lat,lon\n1,Alfa,20,52.1,21.0\n2,Beta, S.A.,20,52.2,21.1\n",
        "bad.csv:3: the row has 6 fields, the header has 5")
    bad("a row with a field too few is refused", "id,name,industry,lat,lon\n1,Alfa,20,52.1\n",
        "bad.csv:2: the row has 4 fields, the header has 5")
    bad("a header naming a column twice is refused naming both fields", "id,name,lat,lon,LAT\nA,a,52,21,53\n",
        "bad.csv:1: the header names column lat twice (fields 3 and 5)")
    for coord in ("0x34", "1e1", "inf", "52.1.2"):
        bad("a coordinate written %s is not a number (the rules of the statistics files)" % coord,
            "id,name,lat,lon\nA,a,%s,21\n" % coord, 'bad.csv:2: column lat: "%s" is not a number' % coord)
    bad("a latitude outside [-90, 90] is refused", "id,name,industry,lat,lon\nA,a,C10,91,21\n",
        "bad.csv:2: column lat: 91 is outside [-90, 90]")
    bad("a longitude outside [-180, 180] is refused", "id,name,industry,lat,lon\nA,a,C10,52,181\n",
        "bad.csv:2: column lon: 181 is outside [-180, 180]")
    r = run("map", "spatial", os.path.join(ROOT, "data", "firms", "eutl_installations_PL_slim.csv"), "--eps", "1000",
            "--map", "-", "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"))
    ok(r.returncode == 2 and "standard output" in r.stderr, "--map - and the table both on standard output: exit 2",
       r.stderr)
    bad("a firm id given twice names both lines", "id,name,industry,lat,lon\nA,a,C10,52,21\nB,b,C10,52,21\nA,c,C10,52,21\n",
        "bad.csv:4: column id: firm A is given twice (first on line 2)")
    bad("--industry needs an industry column", "id,name,lat,lon\nA,a,52,21\n", "the column industry is missing",
        "--industry", "C10")
    r = run("map", "spatial", firms, "--min-samples", "5")
    ok(r.returncode == 2 and "--eps" in r.stderr, "--eps is required", r.stderr)
    r = run("map", "spatial", firms, "--eps", "5000", "--min-samples", "0")
    ok(r.returncode == 2 and "--min-samples" in r.stderr, "--min-samples 0 is refused", r.stderr)

    p = os.path.join(work, "na.csv")
    with open(p, "w", encoding="utf-8") as f:
        f.write("id;name;industry;lat;lon\nA;a;C10;52,0;21\n")
    r = run("map", "spatial", p, "--eps", "1000")
    ok(r.returncode == 0 and rows_of(r.stdout) and float(rows_of(r.stdout)[0]["lat"]) == 52.0,
       "a ';' file is read, with the decimal comma of statistics files (52,0)", r.stderr)
    with open(p, "w", encoding="utf-8") as f:
        f.write("id;name;industry;lat;lon\nA;a;C10;52.0;21\nB;b;C10;NA;21\nC;c;C10;;\nD;d;C10;52.0;21.0001\n")
    r = run("map", "spatial", p, "--eps", "1000", "--min-samples", "2")
    got = rows_of(r.stdout)
    ok(r.returncode == 0 and len(got) == 2 and "2 rows without coordinates skipped (first on line 3)" in r.stderr
       and [x["cluster"] for x in got] == ["0", "0"], "rows without coordinates are skipped and counted", r.stderr)

    # 5. the EU ETS installations of Poland (columns mapped by alias or option)
    eutl = []
    with open(EUTL, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["lat"] not in ("", "NA") and row["lon"] not in ("", "NA"):
                eutl.append((float(row["lat"]), float(row["lon"])))
    r = run("map", "spatial", EUTL, "--eps", "10000", "--min-samples", "3")
    ok(r.returncode == 0 and "clusters" in r.stderr and "rows without coordinates skipped" in r.stderr,
       "EU ETS installations: runs, reports clusters and skipped rows", r.stderr)
    erows = rows_of(r.stdout)
    ok(len(erows) == len(eutl) and sum(1 for x in erows if x["cluster"] != "-1") > 100
       and erows[0]["name"] and erows[0]["industry"],
       "EU ETS installations: every located installation, many in clusters, names and activity codes", len(erows))
    compare("EU ETS installations, eps 10 km, k 3", eutl, 10000, 3, EUTL)
    r = run("map", "spatial", EUTL, "--eps", "10000", "--name-column", "operator_name", "--industry-column",
            "ets_activity_code", "--industry", "20")
    got = rows_of(r.stdout)
    ok(r.returncode == 0 and got and all(x["industry"] == "20" for x in got) and got[0]["name"] == "Veolia Energia Poznań S.A.",
       "EU ETS installations: --name-column, --industry-column, --industry", r.stderr)
    r = run("map", "spatial", EUTL, "--eps", "10000", "--id-column", "nope")
    ok(r.returncode == 3 and "the column nope is missing" in r.stderr, "an unknown --id-column is named", r.stderr)

    # 6. hot spots: PySAL esda's vector (esda/tests/test_getisord.py) through the CLI, planar
    hp = os.path.join(work, "points.csv")
    with open(hp, "w", encoding="utf-8") as f:
        f.write("id,x,y,v\n")
        for i, ((x, y), v) in enumerate(zip([(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)],
                                             [2, 3, 3.2, 5, 8, 7])):
            f.write("P%d,%d,%d,%s\n" % (i, x, y, v))
    for desc, extra, want in (("Gi*", ["--star"], -1.39727626), ("Gi", ["--no-star"], -1.0136729),
                              ("Gi row-standardised", ["--no-star", "--row-standardise"], -0.62074534),
                              ("Gi* row-standardised", ["--row-standardise"], -0.62488094)):
        r = run("map", "hotspots", hp, "--planar", "--value", "v", "--band", "15", *extra)
        got = rows_of(r.stdout)
        z = float(got[0]["z"]) if r.returncode == 0 and got else float("nan")
        ok(abs(z - want) <= 1e-6, "hotspots %s z[0] = %s (PySAL esda test_getisord.py)" % (desc, want),
           r.stderr or z)
        if desc == "Gi*" and got:
            ok(list(got[0].keys()) == ["id", "name", "industry", "x", "y", "value", "gi", "z", "p", "spot"]
               and got[0]["x"] == "10" and got[0]["y"] == "10" and got[0]["name"] == ""
               and abs(float(got[0]["p"]) - math.erfc(abs(z) / math.sqrt(2))) < 1e-9,
               "hotspots --planar: columns id, name, industry, x, y, value, gi, z, p, spot with a two-sided normal p", got[0])
    r = run("map", "hotspots", EUTL, "--value", "verified_emissions_2019_tco2", "--band", "20000")
    ok(r.returncode == 3 and '"Not Reported" is not a number' in r.stderr, "hotspots: a value that is not a number",
       r.stderr)
    r = run("map", "hotspots", EUTL, "--value", "verified_emissions_2019_tco2", "--band", "20000", "--skip-invalid")
    got = rows_of(r.stdout)
    ok(r.returncode == 0 and got and "hot spots" in r.stderr, "hotspots on the EU ETS emissions (metres)", r.stderr)
    want = ["hot" if x["p"] and float(x["p"]) < 0.05 and float(x["z"]) > 0 else
            "cold" if x["p"] and float(x["p"]) < 0.05 and float(x["z"]) < 0 else "" for x in got]
    m = re.search(r"(\d+) hot spots and (\d+) cold spots", r.stderr)
    ok(got and [x["spot"] for x in got] == want and want.count("hot") > 0 and m and
       (int(m.group(1)), int(m.group(2))) == (want.count("hot"), want.count("cold")),
       "hotspots: spot is hot or cold at p < 0.05 by the sign of z, as counted on stderr", m and m.group(0))
    rj = run("map", "hotspots", EUTL, "--value", "verified_emissions_2019_tco2", "--band", "20000", "--skip-invalid",
             "-o", "-", "--output-format", "json")
    js = json.loads(rj.stdout) if rj.returncode == 0 else []
    ok(js and [x["spot"] for x in js] == [w or None for w in want] and "" in want,
       "  in JSON: spot is \"hot\", \"cold\" or null (as the API writes it), never \"\"", rj.stderr[-300:])
    r = run("map", "hotspots", EUTL, "--value", "verified_emissions_2019_tco2", "--band", "20000", "--skip-invalid",
            "--name-column", "installation_name", "--industry-column", "ets_activity_code")
    got = rows_of(r.stdout) if r.returncode == 0 else []
    with open(EUTL, encoding="utf-8") as f:
        src = {x["id"]: x for x in csv.DictReader(f)}
    ok(got and list(got[0].keys())[:6] == ["id", "name", "industry", "lat", "lon", "value"] and
       all(x["name"] == src[x["id"]]["installation_name"] and x["industry"] == src[x["id"]]["ets_activity_code"] and
           abs(float(x["lat"]) - float(src[x["id"]]["lat"])) < 1e-9 and
           abs(float(x["lon"]) - float(src[x["id"]]["lon"])) < 1e-9 for x in got),
       "hotspots: each point's name, industry, lat and lon beside its value (%d points)" % len(got), r.stderr[-300:])
    r = run("map", "hotspots", EUTL, "--value", "verified_emissions_2019_tco2", "--band", "20000", "--skip-invalid",
            "--industry-column", "ets_activity_code", "--industry", "44")
    got = rows_of(r.stdout) if r.returncode == 0 else []
    ok(len(got) == 2 and all(x["z"] == "" and x["p"] == "" for x in got) and
       "2 points of 2 have every other point within the band: their Gi* is fixed and has no z-score or p" in r.stderr,
       "hotspots: points whose band holds every point are said to have no z-score", r.stderr)
    r = run("map", "hotspots", EUTL, "--band", "20000")
    ok(r.returncode == 2 and "--value" in r.stderr and "--cell" in r.stderr, "hotspots needs --value or --cell", r.stderr)
    one = os.path.join(work, "one_value.csv")
    with open(one, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon,v\n1,A,52.1,21,5\n2,B,52.2,21.1,\n")
    r = run("map", "hotspots", one, "--value", "v", "--band", "20000", "--skip-invalid")
    ok(r.returncode == 3 and "one_value.csv: Getis-Ord Gi* needs at least 2 points, got 1" in r.stderr,
       "hotspots with one point that has the value: the message names the file", r.stderr)
    flat = os.path.join(work, "flat.csv")
    with open(flat, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon,v\n1,A,52.1,21,0\n2,B,52.2,21.1,0\n3,C,52.3,21.1,0\n")
    r = run("map", "hotspots", flat, "--value", "v", "--band", "20000")
    ok(r.returncode == 0 and "every one of the 3 points has the same value (0): without variation Gi* has no "
       "z-scores" in r.stderr, "hotspots on values that do not vary: a notice that every z is empty", r.stderr)

    # firm density on a grid: counts per cell, Gi* between the cells' centres
    r = run("map", "hotspots", EUTL, "--cell", "25000")
    got = rows_of(r.stdout)
    npts = len(rows_of(open(EUTL, encoding="utf-8").read()))
    m = re.search(r"(\d+) firms on (\d+) x (\d+) cells of 25000 m, Gi\*, band 37500 m: (\d+) hot spots", r.stderr)
    ok(r.returncode == 0 and got and list(got[0].keys()) == ["cell", "row", "col", "lat", "lon", "south", "west", "north",
                                                             "east", "firms", "area_km2", "gi", "z", "p", "spot"]
       and m and len(got) == int(m.group(2)) * int(m.group(3)) and sum(float(x["firms"]) for x in got) == int(m.group(1))
       and int(m.group(4)) == sum(1 for x in got if x["spot"] == "hot") > 0,
       "hotspots --cell: every cell with its firms (the band 1.5 cells unless given), hot spots counted", r.stderr)
    ok(got and all(float(x["south"]) <= float(x["lat"]) <= float(x["north"]) and
                   float(x["west"]) <= float(x["lon"]) <= float(x["east"]) for x in got) and
       int(m.group(1)) <= npts if m else False, "  each centre inside its cell; the firms with coordinates counted")
    # Gi* of the densities (firms / area on the sphere) with the eight cells around as neighbours,
    # recomputed here (Getis and Ord 1992, binary weights): a northern cell, smaller on the ground,
    # is not made to look emptier, and has as many neighbours as a southern one
    if got:
        R_ = 6371008.8
        for x in got[:3] + got[-3:]:
            want = R_ * R_ * math.radians(float(x["east"]) - float(x["west"])) * (
                math.sin(math.radians(float(x["north"]))) - math.sin(math.radians(float(x["south"])))) / 1e6
            ok(abs(float(x["area_km2"]) - want) < 1e-6 * want, "  cell %s: its area on the sphere" % x["cell"],
               (x["area_km2"], want))
        cells = {(int(x["row"]), int(x["col"])): float(x["firms"]) / float(x["area_km2"]) for x in got}
        n_ = len(cells)
        mean = sum(cells.values()) / n_
        sd = math.sqrt(sum(v * v for v in cells.values()) / n_ - mean * mean)
        worst = 0.0
        for x in got:
            rr, cc = int(x["row"]), int(x["col"])
            nb = [cells[(rr + a_, cc + b_)] for a_ in (-1, 0, 1) for b_ in (-1, 0, 1) if (rr + a_, cc + b_) in cells]
            w = len(nb)
            z = (sum(nb) - w * mean) / (sd * math.sqrt((n_ * w - w * w) / (n_ - 1)))
            worst = max(worst, abs(z - float(x["z"])))
        ok(worst < 1e-6, "  z of every cell: Gi* of the densities over the eight around (max error %.1e)" % worst)
    rj = run("map", "hotspots", EUTL, "--cell", "25000", "-o", "-", "--output-format", "json")
    js = json.loads(rj.stdout) if rj.returncode == 0 else []
    ok(js and [x["spot"] for x in js] == [x["spot"] or None for x in got] and
       any(x["spot"] is None for x in js), "  in JSON: a cell neither hot nor cold has spot null, never \"\"",
       rj.stderr[-300:])
    r2 = run("map", "hotspots", EUTL, "--cell", "25000", "--band", "37500", "--star")
    ok(r2.returncode == 0 and r2.stdout == r.stdout, "  --band 37500 --star gives the same table")
    r2 = run("map", "hotspots", EUTL, "--cell", "25000", "--industry", "20")
    ok(r2.returncode == 0 and "rows of other industries left out" in r2.stderr and
       sum(float(x["firms"]) for x in rows_of(r2.stdout)) < sum(float(x["firms"]) for x in got),
       "  --industry counts that industry's firms only", r2.stderr)
    for extra, want in ((["--value", "verified_emissions_2019_tco2"], "not with --value"), (["--planar"], "not with --planar"),
                        (["--band", "0"], "--band")):
        r = run("map", "hotspots", EUTL, "--cell", "25000", *extra)
        ok(r.returncode == 2 and want in r.stderr, "hotspots --cell with %s: exit 2" % " ".join(extra), r.stderr)
    r = run("map", "hotspots", EUTL, "--cell", "2000000")
    ok(r.returncode == 3 and "--cell" in r.stderr and "one cell" in r.stderr, "a cell holding every firm: exit 3", r.stderr)
    r = run("map", "hotspots", EUTL, "--cell", "100")
    ok(r.returncode == 3 and "--cell" in r.stderr and "at most 1000000" in r.stderr, "too many cells: exit 3", r.stderr)

    # the grid of Europe (EPSG:3035) and a study area
    voiv = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    r = run("map", "hotspots", EUTL, "--cell", "20000", "--grid", "eu", "--within", voiv)
    eu = rows_of(r.stdout)
    m = re.search(r"(\d+) firms on (\d+) x (\d+) cells of 20000 m of the grid of Europe \(EPSG:3035\), Gi\*, band 30000 m: (\d+) hot", r.stderr)
    m2 = re.search(r"(\d+) of the (\d+) cells lie in the study area \S*voivodeships.geojson", r.stderr)
    ok(r.returncode == 0 and eu and list(eu[0].keys()) == ["cell", "code", "row", "col", "lat", "lon", "x", "y", "firms",
                                                           "area_km2", "gi", "z", "p", "spot"]
       and m and m2 and len(eu) == int(m2.group(1)) < int(m2.group(2)) == int(m.group(2)) * int(m.group(3))
       and sum(float(x["firms"]) for x in eu) == int(m.group(1)),
       "hotspots --cell --grid eu --within: the cells in the study area, with the grid's codes", r.stderr)
    ok(eu and all(float(x["area_km2"]) == 400 and float(x["x"]) % 20000 == 0 and float(x["y"]) % 20000 == 0
                  and x["code"] == "CRS3035RES20000mN%dE%d" % (int(float(x["y"])), int(float(x["x"]))) for x in eu),
       "  every cell 400 km², its corner at a multiple of 20 km, its INSPIRE code")
    # the cells against PROJ: each firm, projected by cs2cs (EPSG:4326 -> EPSG:3035), lies in a
    # counted cell, and the IOGP example
    firms_ll = []
    with open(EUTL, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                firms_ll.append((float(row["lat"]), float(row["lon"])))
            except (KeyError, ValueError):
                pass
    try:
        cs = subprocess.run(["cs2cs", "-f", "%.4f", "EPSG:4326", "EPSG:3035"], input="50 5\n" + "".join(
            "%r %r\n" % p for p in firms_ll), capture_output=True, text=True, timeout=60)
        proj = [tuple(float(v) for v in ln.split()[:2]) for ln in cs.stdout.splitlines()]
    except OSError as ex:
        proj = []
        print("# cs2cs: %s (Debian's proj-bin)" % ex)
    ok(len(proj) == len(firms_ll) + 1 and abs(proj[0][0] - 2999718.85) < 0.01 and abs(proj[0][1] - 3962799.45) < 0.01,
       "PROJ's cs2cs is available and gives the IOGP example (N 2999718.85, E 3962799.45)", proj[:1])
    if eu and len(proj) == len(firms_ll) + 1:
        counts = {}
        for n_, e_ in proj[1:]:
            code = "CRS3035RES20000mN%dE%d" % (math.floor(n_ / 20000) * 20000, math.floor(e_ / 20000) * 20000)
            counts[code] = counts.get(code, 0) + 1
        mine = {x["code"]: int(float(x["firms"])) for x in eu if float(x["firms"]) > 0}
        ok(mine == counts, "  the firms per cell are those of the cells PROJ puts them in (%d cells)" % len(counts),
           sorted(set(mine.items()) ^ set(counts.items()))[:5])
        # the cells' centres, back in degrees, against PROJ's inverse
        cs = subprocess.run(["cs2cs", "-f", "%.9f", "EPSG:3035", "EPSG:4326"], input="".join(
            "%s %s\n" % (float(x["y"]) + 10000, float(x["x"]) + 10000) for x in eu[:50]), capture_output=True,
            text=True, timeout=60)
        back = [tuple(float(v) for v in ln.split()[:2]) for ln in cs.stdout.splitlines()]
        worst = max((max(abs(b[0] - float(x["lat"])), abs(b[1] - float(x["lon"]))) for b, x in zip(back, eu)),
                    default=1)
        ok(len(back) == 50 and worst < 1e-7, "  the cells' centres in degrees as PROJ gives them (max %.1e°)" % worst)
    # Gi* over the cells of the study area alone, with the eight around (those in it) as neighbours
    if eu:
        cells = {(int(x["row"]), int(x["col"])): float(x["firms"]) for x in eu}
        n_ = len(cells)
        mean = sum(cells.values()) / n_
        sd = math.sqrt(sum(v * v for v in cells.values()) / n_ - mean * mean)
        worst = 0.0
        for x in eu:
            rr, cc = int(x["row"]), int(x["col"])
            nb = [cells[(rr + a_, cc + b_)] for a_ in (-1, 0, 1) for b_ in (-1, 0, 1) if (rr + a_, cc + b_) in cells]
            w = len(nb)
            z = (sum(nb) - w * mean) / (sd * math.sqrt((n_ * w - w * w) / (n_ - 1)))
            worst = max(worst, abs(z - float(x["z"])))
        ok(worst < 1e-6, "  z of every cell: Gi* over the study area's cells alone (max error %.1e)" % worst)
    r = run("map", "hotspots", EUTL, "--cell", "20000", "--grid", "eu")
    ok(r.returncode == 0 and m and len(rows_of(r.stdout)) == int(m.group(2)) * int(m.group(3)),
       "--grid eu without --within: every cell of the box", r.stderr)
    r = run("map", "hotspots", EUTL, "--cell", "20000", "--within", voiv)
    ok(r.returncode == 0 and "EPSG" not in r.stderr and "lie in the study area" in r.stderr
       and list(rows_of(r.stdout)[0].keys())[5] == "south", "--within on the grid in degrees", r.stderr)
    mr = subprocess.run([os.path.join(os.path.dirname(BIN), "klaster-map"), "hotspots", EUTL, "--cell", "20000",
                         "--grid", "eu", "--within", voiv], capture_output=True, text=True)
    ok(mr.returncode == 0 and rows_of(mr.stdout) == eu, "klaster-map hands --within to klaster: the same table",
       mr.stderr)
    for extra, code, want in ((("--cell", "20000", "--grid", "utm"), 2, "--grid must be degrees"),
                              (("--grid", "eu", "--value", "emissions", "--band", "1000"), 2, "--grid goes with --cell"),
                              (("--within", voiv, "--value", "emissions", "--band", "1000"), 2,
                               "--within goes with --cell"),
                              (("--cell", "1000.5", "--grid", "eu"), 2, "whole metres"),
                              (("--cell", "20000", "--within", os.path.join(work, "none.geojson")), 1, "none.geojson")):
        r = run("map", "hotspots", EUTL, *extra)
        ok(r.returncode == code and want in r.stderr, "hotspots %s: exit %d, %s" % (" ".join(extra), code, want),
           r.stderr)
    far = os.path.join(work, "far.csv")
    with open(far, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon\nW1,Warszawa,52.23,21.01\nNY1,New York,40.71,-74.0\nK1,Kraków,50.06,19.94\n")
    r = run("map", "hotspots", far, "--cell", "20000", "--grid", "eu")
    ok(r.returncode == 3 and "far.csv: --cell: firm NY1: point 2 at 40.71° N 74° W lies outside the area of the "
       "European grid" in r.stderr and "use the grid in degrees" in r.stderr,
       "a firm outside the grid of Europe: named, exit 3", r.stderr)
    # a study area elsewhere than the firms (another country, or a layer in projected metres) would
    # leave the cells holding firms alone in the analysis, none of them empty: an error
    paris = os.path.join(work, "paris.geojson")
    with open(paris, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
            "type": "Polygon", "coordinates": [[[2, 48], [3, 48], [3, 49], [2, 49], [2, 48]]]}}]}, f)
    r = run("map", "hotspots", EUTL, "--cell", "20000", "--grid", "eu", "--within", paris)
    ok(r.returncode == 3 and "paris.geojson: the study area holds the centre of none of the 1147 cells" in
       r.stderr and "give the area the points lie in" in r.stderr and not r.stdout,
       "--within an area elsewhere than the firms: exit 3, nothing written", r.stderr)
    # near the pole and across the globe's box the grid in degrees ends at 90° N and 180° E: every
    # GeoJSON position is a place, and the table's edges and centres with it
    ends = os.path.join(work, "ends.csv")
    for rows_, cell in (("a,89.9,0\nb,89.95,90\nc,89.8,-90\nd,88,10\n", "50000"),
                        ("a,-17.7,179.95\nb,-17.8,-179.95\nc,-17.75,179.9\n", "100000")):
        with open(ends, "w", encoding="utf-8") as f:
            f.write("id,lat,lon\n" + rows_)
        gj = os.path.join(work, "ends.geojson")
        r = run("map", "hotspots", ends, "--cell", cell, "-o", gj)
        feats = json.load(open(gj, encoding="utf-8"))["features"] if r.returncode == 0 else []
        pos = [p_ for f in feats for p_ in f["geometry"]["coordinates"][0]]
        ok(feats and all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in pos) and
           all(f["properties"]["north"] <= 90 and f["properties"]["east"] <= 180 and
               f["properties"]["south"] < f["properties"]["lat"] < f["properties"]["north"] and
               f["properties"]["west"] < f["properties"]["lon"] < f["properties"]["east"] for f in feats),
           "the grid in degrees near the %s: corners, centres and edges within 90° N and 180° E" %
           ("pole" if cell == "50000" else "180th meridian"), (r.stderr, max(pos, default=None)))

    # the hot and cold cells drawn: under the firms, over the study area or --boundaries
    for ext, extra in (("svg", ("--grid", "eu", "--within", voiv)), ("png", ("--within", voiv, "--lang", "pl")),
                       ("pdf", ("--boundaries", voiv, "--title", "Gęstość — ETS"))):
        pic = os.path.join(work, "hot." + ext)
        r = run("map", "hotspots", EUTL, "--cell", "20000", *extra, "--map", pic, "-o", os.path.join(work, "hot.csv"))
        m = re.search(r": (\d+) hot spots? and (\d+) cold", r.stderr)
        data = open(pic, "rb").read() if os.path.exists(pic) else b""
        if ext == "svg":
            hot_paths = len(re.findall(rb'fill-rule:evenodd;fill:rgb\(84%,19%,12%\);fill-opacity:0\.55', data))
            firms_ = len(re.findall(rb'fill-rule:evenodd;fill:rgb\(15%,15%,15%\)', data))
            ok(r.returncode == 0 and m and hot_paths == int(m.group(1)) > 0 and firms_ == len(firms_ll),
               "hotspots --cell --map .svg: each hot cell drawn, the firms over them (%d cells)" % hot_paths, r.stderr)
            segs = [len(re.findall(rb" L ", d)) for d in
                    re.findall(rb'fill:rgb\(84%,19%,12%\);fill-opacity:0\.55;" d="([^"]*)"', data)]
            ok(m and len([x for x in segs if 8 <= x <= 15]) == int(m.group(1)) == len(segs) - 1,  # + the legend's
               "  each cell drawn along its curved edges (up to 16 points, one every 5 km of the 20 km square),"
               " not through its 4 corners", segs[:5])
        elif ext == "png":
            ok(r.returncode == 0 and data[:8] == b"\x89PNG\r\n\x1a\n", "  --map .png", r.stderr)
        else:
            txt = subprocess.run(["pdftotext", pic, "-"], capture_output=True, text=True).stdout if data else ""
            ok(r.returncode == 0 and data[:5] == b"%PDF-" and "Gęstość — ETS" in txt and "hot cell" in txt,
               "  --map .pdf with --boundaries and --title: the title and the legend", (r.stderr, txt[:200]))
    nuts2 = os.path.join(ROOT, "data", "reference", "eu_nuts2_2021_20M_4326.geojson")
    for args in (("map", "spatial", EUTL, "--eps", "10000"), ("map", "hotspots", EUTL, "--cell", "20000")):
        pic = os.path.join(work, "nuts.png")
        r = run(*args, "--boundaries", nuts2, "--map", pic, "-o", os.path.join(work, "nuts.csv"))
        ok(r.returncode == 0 and open(pic, "rb").read(4) == b"\x89PNG",
           "%s --map over boundaries without a teryt property (NUTS), no --code-property needed" % args[1], r.stderr)
    mr = subprocess.run([os.path.join(os.path.dirname(BIN), "klaster-map"), "hotspots", EUTL, "--cell", "20000",
                         "--within", voiv, "--map", os.path.join(work, "hot2.svg"), "-o", os.path.join(work, "hot2.csv")],
                        capture_output=True, text=True)
    ok(mr.returncode == 0 and os.path.getsize(os.path.join(work, "hot2.svg")) > 1000,
       "klaster-map hands hotspots --map to klaster", mr.stderr)
    for extra, want in ((("--value", "emissions", "--band", "1000", "--map", os.path.join(work, "x.svg")),
                         "--map draws the hot and cold cells of --cell"),
                        (("--cell", "20000", "--boundaries", voiv), "--boundaries goes with --map"),
                        (("--cell", "20000", "--map", os.path.join(work, "x.svg")), "give --boundaries FILE.geojson or --within"),
                        (("--cell", "20000", "--within", voiv, "--map", "-"), "cannot both go to standard output"),
                        (("--cell", "20000", "--within", voiv, "--map", os.path.join(work, "x.gif")), "a map is written as")):
        r = run("map", "hotspots", EUTL, *extra)
        ok(r.returncode == 2 and want in r.stderr and not os.path.exists(os.path.join(work, "x.svg")),
           "hotspots %s: exit 2 (%s)" % (" ".join(a_ for a_ in extra if not a_.startswith("/")), want), r.stderr)

    # GeoJSON: the firms and the cells as a layer for a GIS (RFC 7946: lon, lat)
    gj = os.path.join(work, "cells.geojson")
    r = run("map", "hotspots", EUTL, "--cell", "20000", "--grid", "eu", "--within", voiv, "-o", gj)
    fc = json.load(open(gj, encoding="utf-8")) if r.returncode == 0 and os.path.exists(gj) else {}
    feats = fc.get("features", [])
    ok(fc.get("type") == "FeatureCollection" and len(feats) == len(eu) and
       [f["properties"]["code"] for f in feats] == [x["code"] for x in eu] and
       all(f["geometry"]["type"] == "Polygon" and len(f["geometry"]["coordinates"][0]) == 17 and
           f["geometry"]["coordinates"][0][0] == f["geometry"]["coordinates"][0][16] for f in feats),
       "hotspots --cell -o .geojson: a Polygon Feature per cell (4 points an edge of 20 km), its properties the "
       "table's row", r.stderr)
    if feats and len(proj) == len(firms_ll) + 1:
        # each square's south-west corner, projected by PROJ, is the cell's x, y
        cs = subprocess.run(["cs2cs", "-f", "%.4f", "EPSG:4326", "EPSG:3035"], input="".join(
            "%r %r\n" % (f["geometry"]["coordinates"][0][0][1], f["geometry"]["coordinates"][0][0][0])
            for f in feats[:40]), capture_output=True, text=True, timeout=60)
        sw = [tuple(float(v) for v in ln.split()[:2]) for ln in cs.stdout.splitlines()]
        worst = max((max(abs(n_ - f["properties"]["y"]), abs(e_ - f["properties"]["x"]))
                     for (n_, e_), f in zip(sw, feats)), default=1e9)
        ok(len(sw) == 40 and worst < 0.01, "  the squares' corners, projected by PROJ, fall on the grid (max %.1e m)" % worst)
        # every point of the outline, projected by PROJ, lies on the square's edges: the edges are
        # curves in degrees, followed point by point
        pts_ = [(f, p_) for f in feats[:40] for p_ in f["geometry"]["coordinates"][0][:16]]
        cs = subprocess.run(["cs2cs", "-f", "%.4f", "EPSG:4326", "EPSG:3035"], input="".join(
            "%r %r\n" % (p_[1], p_[0]) for f, p_ in pts_), capture_output=True, text=True, timeout=60)
        xy = [tuple(float(v) for v in ln.split()[:2]) for ln in cs.stdout.splitlines()]
        off = 1e9
        if len(xy) == len(pts_):
            off = 0.0
            for (f, p_), (n_, e_) in zip(pts_, xy):
                x0_, y0_ = f["properties"]["x"], f["properties"]["y"]
                inside = x0_ - 0.01 <= e_ <= x0_ + 20000.01 and y0_ - 0.01 <= n_ <= y0_ + 20000.01
                edge = min(abs(e_ - x0_), abs(e_ - x0_ - 20000), abs(n_ - y0_), abs(n_ - y0_ - 20000))
                off = max(off, edge if inside else 1e9)
        ok(off < 0.01, "  every point of the outlines, projected by PROJ, on its square's edge (max %.1e m)" % off)
    gj = os.path.join(work, "firms.geojson")
    r = run("map", "spatial", EUTL, "--eps", "10000", "--output-format", "geojson", "-o", gj)
    fc = json.load(open(gj, encoding="utf-8")) if r.returncode == 0 and os.path.exists(gj) else {}
    feats = fc.get("features", [])
    ok(len(feats) == len(firms_ll) and all(f["geometry"]["type"] == "Point" and
                                           f["geometry"]["coordinates"] == [f["properties"]["lon"], f["properties"]["lat"]]
                                           for f in feats) and isinstance(feats[0]["properties"]["core"], bool),
       "map spatial --output-format geojson: a Point Feature per firm at (lon, lat)", r.stderr)
    gj = os.path.join(work, "regions.geojson")
    r = run("map", "hotspots", os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"),
            "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3", "--industry",
            "C29", "--band", "250000", "--regions", voiv, "--code-property", "nuts2_2013", "-o", gj)
    fc = json.load(open(gj, encoding="utf-8")) if r.returncode == 0 and os.path.exists(gj) else {}
    bounds = {f["properties"]["nuts2_2013"]: f["geometry"] for f in json.load(open(voiv, encoding="utf-8"))["features"]}

    def polys(g):
        return [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]

    def turn(ring):   # twice the signed area: above 0 counter-clockwise
        return sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(ring, ring[1:]))

    def same(a, b):   # rings equal to 10 digits, the closing point added where a ring lacked it, and
        if len(a) != len(b):   # turned as RFC 7946 asks (outer counter-clockwise, holes clockwise)
            return False
        for ra, rb in zip(a, b):
            for k, (ring_a, ring_b) in enumerate(zip(ra, rb)):
                ring_b = ring_b + [ring_b[0]] if ring_b[0] != ring_b[-1] else ring_b
                if (turn(ring_a) > 0) == (k > 0):
                    return False
                if (turn(ring_b) > 0) == (k > 0):
                    ring_b = ring_b[::-1]
                if len(ring_a) != len(ring_b) or any(abs(p[0] - q[0]) > 1e-7 or abs(p[1] - q[1]) > 1e-7
                                                     for p, q in zip(ring_a, ring_b)):
                    return False
        return True
    feats = fc.get("features", [])
    ok(len(feats) == 16 and all(f["geometry"]["type"] == "MultiPolygon" and
                                same(f["geometry"]["coordinates"], polys(bounds[f["properties"]["region"]]))
                                for f in feats),
       "hotspots --regions -o .geojson: each region with its boundary from the boundaries file, rings turned as RFC 7946 asks", r.stderr)
    for args, want in ((("map", "hotspots", flat, "--value", "v", "--band", "1", "--planar", "-o",
                         os.path.join(work, "p.geojson")), "GeoJSON holds longitudes and latitudes, and --planar x, y "
                                                           "are none: write .csv, .json or .xlsx (without --planar, "
                                                           "map hotspots writes GeoJSON)"),
                       (("map", "indicators", os.path.join(ROOT, "data", "demo", "firms.csv"), "--sum",
                         "--output-format", "geojson"), "GeoJSON holds places, and map indicators writes a table "
                                                        "without them")):
        if "--planar" in args:
            with open(flat, "w", encoding="utf-8") as f:
                f.write("id,x,y,v\n1,0,0,1\n2,1,0,2\n3,0,1,3\n")
        r = run(*args)
        ok(r.returncode == 2 and want in r.stderr and not os.path.exists(os.path.join(work, "p.geojson")),
           "%s as GeoJSON: a usage error (%s)" % (args[1], want), r.stderr)

    # the firms as a map coloured by cluster
    for ext, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
        out = os.path.join(work, "ets." + ext)
        r = run("map", "spatial", EUTL, "--eps", "10000", "--min-samples", "3", "--map", out,
                "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
                "--title", "EU ETS — Łódź, Śląsk", "-o", os.path.join(work, "ets.csv"))
        head = open(out, "rb").read(5) if os.path.exists(out) else b""
        ok(r.returncode == 0 and head.startswith(magic), "map spatial --map draws a %s map of the clusters" % ext.upper(),
           r.stderr)
    r = run("map", "spatial", EUTL, "--eps", "10000", "--boundaries", "data/reference/voivodeships.geojson")
    ok(r.returncode == 2 and "--map" in r.stderr, "--boundaries without --map: exit 2", r.stderr)
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
