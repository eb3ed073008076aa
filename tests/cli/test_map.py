#!/usr/bin/env python3
"""The `klaster map` commands end to end: statistics files in, result
tables out (CSV, JSON, XLSX), bad input refused with file, line and field,
and no result file left behind by a failed run.  Prints TAP.

The expected values are computed here from the definitions, independently
of the C code: LQ = (e_ri / E_r) / (E_i / E)."""
import collections
import csv
import html
import io
import json
import math
import os
import random
import re
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap, run, rows_of, run_tty, workdir  # noqa: E402

TAP = Tap()
ok = TAP.ok
DATA = os.path.join(ROOT, "tests", "data", "stats")








def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(b))



def quantile7(xs, p):
    """Type 7 (R's quantile default): h = (n - 1) p, interpolated between its neighbours."""
    xs = sorted(xs)
    h = (len(xs) - 1) * p
    lo = int(math.floor(h))
    return xs[lo] if lo + 1 >= len(xs) else xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])


def strong_by_hand(cells):
    """The strong rule of docs/MAPPING.md on {(region, industry): (employment, establishments or None)},
    every cell known, no reference: {(region, industry): (strong, strong10)}, None where unknown."""
    regs = sorted({g for g, _ in cells})
    inds = sorted({i for _, i in cells})
    E = sum(e for e, _ in cells.values())
    Er = {g: sum(cells[(g, i)][0] for i in inds) for g in regs}
    Ei = {i: sum(cells[(g, i)][0] for g in regs) for i in inds}
    out = {}
    for i in inds:
        lq = {g: (cells[(g, i)][0] / Er[g]) / (Ei[i] / E) for g in regs if cells[(g, i)][0] > 0}
        p75, p90 = quantile7(list(lq.values()), 0.75), quantile7(list(lq.values()), 0.90)
        p25e = quantile7([cells[(g, i)][0] for g in lq], 0.25)
        known = [cells[(g, i)][1] for g in lq if cells[(g, i)][1] is not None]
        p25s = quantile7(known, 0.25) if known else None   # None: the test is dropped for this industry
        for g in regs:
            emp, est = cells[(g, i)]
            if g not in lq:
                out[(g, i)] = (0, 0)
                continue
            others = lq[g] >= 1 and emp > p25e
            if p25s is not None and est is None:
                # cannot pass or fail the establishment test: unknown unless another test fails
                out[(g, i)] = (None if others and lq[g] >= p75 else 0, None if others and lq[g] >= p90 else 0)
            else:
                others = others and (p25s is None or est > p25s)
                out[(g, i)] = (int(others and lq[g] >= p75), int(others and lq[g] >= p90))
    return out


def unknown_establishments(work):
    """The strong rule with establishments unknown: a cell whose own value is unknown has its
    flags empty where every other test passes (0 where one fails), the percentile is over the
    known values, and an industry without any known value is decided without the test, as a
    file without the column.  Expected values from strong_by_hand, not from klaster."""
    text = ("region,industry,employment,establishments\n"
            "A,x,100,\nA,y,40,5\nA,z,10,2\n"
            "B,x,10,\nB,y,60,\nB,z,30,3\n"
            "C,x,50,\nC,y,5,1\nC,z,45,4\n"
            "D,x,80,\nD,y,70,\nD,z,20,\n"
            "E,x,20,\nE,y,30,3\nE,z,50,\n"
            "F,x,5,\nF,y,90,2\nF,z,5,1\n")
    path = os.path.join(work, "est_unknown.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    cells = {}
    for row in csv.DictReader(io.StringIO(text)):
        est = row["establishments"]
        cells[(row["region"], row["industry"])] = (float(row["employment"]), float(est) if est else None)
    want = strong_by_hand(cells)

    def shown(flags):
        # each flag as it is known: strong10 may be a known 0 beside an unknown strong (B y below)
        s, s10 = flags
        return ("" if s is None else str(s), "" if s10 is None else str(s10))

    # the cases this file is made of, from the computation by hand
    ok(want[("A", "x")] == (1, 1) and want[("C", "x")] == (1, 0) and want[("B", "y")] == (None, 0)
       and want[("E", "z")] == (None, None) and want[("D", "y")] == (0, 0) and want[("D", "z")] == (0, 0)
       and want[("C", "z")] == (1, 0) and want[("F", "y")] == (1, 1),
       "by hand: x without any establishments decided by the other tests; B y, E z undecided; D y, D z fail "
       "another test", want)
    mapbin = os.environ.get("KLASTER_MAP_BIN") or os.path.join(os.path.dirname(BIN), "klaster-map")
    for name, argv in (("klaster", [BIN, "map"]), ("klaster-map", [mapbin])):
        r = subprocess.run(argv + ["indicators", path], cwd=ROOT, capture_output=True, text=True, timeout=60)
        got = {(x["region"], x["industry"]): (x["strong"], x["strong10"]) for x in rows_of(r.stdout)}
        bad = [(k, got.get(k), shown(v)) for k, v in sorted(want.items()) if got.get(k) != shown(v)]
        ok(r.returncode == 0 and got and not bad,
           "%s: strong and strong10 with unknown establishments as worked out by hand" % name, (r.stderr, bad))
    r = run("map", "indicators", path)
    ok(r.returncode == 0 and path + ": no establishments value is known in 1 industry-year (first: x): the strong "
       "rule is applied there without its establishment test" in r.stderr and "no establishments column" not in
       r.stderr, "  the notice names the industry decided without the establishment test", r.stderr)
    r = run("map", "indicators", path, "--output-format", "json")
    js = {(x["region"], x["industry"]): x for x in json.loads(r.stdout)} if r.returncode == 0 else {}
    ok(js and js[("B", "y")]["strong"] is None and js[("B", "y")]["strong10"] is False and js[("E", "z")]["strong"] is None
       and js[("E", "z")]["strong10"] is None and js[("D", "y")]["strong"] is False
       and js[("A", "x")]["strong"] is True and js[("B", "y")]["establishments"] is None,
       "  in JSON: null where undecided, false where another test fails", r.stderr)
    # an industry without any known establishments is decided as in a file without the column
    nocol = os.path.join(work, "est_none.csv")
    with open(nocol, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n" + "".join(
            "%s,%s,%g\n" % (g, i, e) for (g, i), (e, _) in sorted(cells.items())))
    r = run("map", "indicators", nocol)
    without = {(x["region"], x["industry"]): (x["strong"], x["strong10"]) for x in rows_of(r.stdout)}
    ok(r.returncode == 0 and all(without[(g, "x")] == shown(want[(g, "x")]) for g in "ABCDEF")
       and "no establishments column" in r.stderr,
       "  x is decided as in the same file without establishments", (without, r.stderr))
    # the shipped fixture: 04 C27 2015 has establishments ':' and passes every other test
    r = run("map", "indicators", os.path.join(DATA, "long_year.csv"), "--year", "2015")
    rows = {(x["region"], x["industry"]): x for x in rows_of(r.stdout)}
    lqs = [float(rows[(g, "C27")]["lq"]) for g in ("02", "04")] if r.returncode == 0 else [0, 0]
    ok(r.returncode == 0 and lqs[1] >= quantile7(lqs, 0.75) and lqs[1] >= 1
       and 75 > quantile7([50, 75], 0.25) and rows[("04", "C27")]["strong"] == ""
       and rows[("04", "C27")]["strong10"] == "" and rows[("02", "C27")]["strong"] == "0",
       "long_year.csv 04 C27 2015 (establishments ':', every other test passed): strong empty, not 0",
       r.stdout)


def main():
    work = workdir("klaster-map.")

    # indicators on the long CSV fixture, checked against the definition
    r = run("map", "indicators", os.path.join(DATA, "long_year.csv"))
    ok(r.returncode == 0, "map indicators on a long CSV", r.stderr)
    rows = rows_of(r.stdout)
    data = {}
    with open(os.path.join(DATA, "long_year.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            v = row["employment"].strip()
            data[(row["region"], row["industry"], row["year"])] = float(v) if v not in ("", ":") else None
    years = sorted({k[2] for k in data})
    bad = []
    for y in years:
        cells = {k: v for k, v in data.items() if k[2] == y}
        E = sum(v for v in cells.values() if v is not None)
        for (reg, ind, _), v in cells.items():
            if v is None:
                continue
            Er = sum(x for (r2, i2, _), x in cells.items() if r2 == reg and x is not None)
            Ei = sum(x for (r2, i2, _), x in cells.items() if i2 == ind and x is not None)
            want = (v / Er) / (Ei / E)
            got = [row for row in rows if row["region"] == reg and row["industry"] == ind and row["year"] == y]
            if len(got) != 1 or not close(float(got[0]["lq"]), want, 1e-8):
                bad.append((reg, ind, y, want, got and got[0]["lq"]))
    ok(rows and not bad, "every LQ equals (e_ri/E_r)/(E_i/E)", bad)
    ok(rows and set(rows[0].keys()) >= {"lq", "share_of_region", "share_of_industry", "stars", "strong", "strong10"},
       "the table has the indicator columns", rows and list(rows[0].keys()))

    # JSON and XLSX outputs
    out_json = os.path.join(work, "lq.json")
    r = run("map", "indicators", os.path.join(DATA, "long_year.csv"), "--year", "2015", "-o", out_json)
    js = json.load(open(out_json, encoding="utf-8")) if r.returncode == 0 else None
    ok(js and all(item["year"] == 2015 for item in js) and len(js) == 4, "--year 2015 to JSON: 4 cells", r.stderr)
    flags = ("size_star", "specialisation_star", "focus_star", "strong", "strong10")
    ok(js and all(item[f] is None or isinstance(item[f], bool) for item in js for f in flags)
       and any(item["strong"] is True for item in js) and all(isinstance(item["stars"], int) for item in js
                                                              if item["stars"] is not None),
       "JSON flags are true/false as the API writes them; stars a number", js and js[0])
    out_xlsx = os.path.join(work, "lq.xlsx")
    r = run("map", "indicators", os.path.join(DATA, "long_year.csv"), "-o", out_xlsx)
    ok(r.returncode == 0 and zipfile.is_zipfile(out_xlsx), "XLSX output is a workbook", r.stderr)
    if r.returncode == 0 and zipfile.is_zipfile(out_xlsx):
        with zipfile.ZipFile(out_xlsx) as z:
            names = z.namelist()
            shared = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in names else ""
        ok("xl/worksheets/sheet1.xml" in names and "share_of_region" in shared, "the workbook holds the table",
           names)

    # Eurostat TSV with ':' and flags, and a crosswalk into clusters
    r = run("map", "indicators", os.path.join(DATA, "eurostat.tsv"))
    ok(r.returncode == 0 and "PL21" in r.stdout, "Eurostat TSV layout", r.stderr)
    r = run("map", "indicators", os.path.join(DATA, "xw_data.csv"), "--crosswalk", os.path.join(DATA, "crosswalk.csv"),
            "--base", "traded")
    ok(r.returncode == 3 and "xw_data.csv:7" in r.stderr and "not in the crosswalk" in r.stderr,
       "a code missing from the crosswalk is an error naming its line", r.stderr)
    r = run("map", "indicators", os.path.join(DATA, "xw_data.csv"), "--crosswalk", os.path.join(DATA, "crosswalk.csv"),
            "--base", "traded", "--skip-unmapped")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(r.returncode == 0 and {row["industry"] for row in rows} >= {"ELEC"} and "skipped" in r.stderr,
       "with --skip-unmapped: codes aggregated into clusters, the skipped rows reported", r.stderr)

    # --absent zero: a row the file leaves out is 0 (a register), not missing
    gaps = os.path.join(work, "gaps.csv")
    with open(gaps, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C,100\n02,G,50\n12,C,30\n12,G,80\n14,C,20\n")
    r0, r1 = run("map", "indicators", gaps), run("map", "indicators", gaps, "--absent", "zero")
    g0 = next((x for x in rows_of(r0.stdout) if x["region"] == "14" and x["industry"] == "G"), {}) if r0.returncode == 0 else {}
    g1 = next((x for x in rows_of(r1.stdout) if x["region"] == "14" and x["industry"] == "G"), {}) if r1.returncode == 0 else {}
    ok(g0.get("employment") == "" and g0.get("lq") == "" and g1.get("employment") == "0" and g1.get("lq") == "0",
       "a row the file leaves out: missing by default, 0 with --absent zero (LQ 0)", (g0, g1))
    r = run("map", "indicators", gaps, "--absent", "nil")
    ok(r.returncode == 2 and "--absent must be zero" in r.stderr, "--absent nil: a usage error", r.stderr)

    # a count of 100 digits is a number too long to read, not "not a number" (read by the fast path: a long file)
    huge = os.path.join(work, "huge.csv")
    with open(huge, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n" + "".join("R%d,x,%d\n" % (k, k) for k in range(500)))
        f.write("A,x," + "9" * 100 + "\n")
    r = run("map", "indicators", huge)
    ok(r.returncode == 3 and ("huge.csv:502: column employment: \"%s\" has 100 digits: too long for a count "
                              "(at most 60 digits are read before the decimal mark and 60 after it)" % ("9" * 100))
       in r.stderr and "not a number" not in r.stderr, "a count of 100 digits: too long, said so with its line",
       r.stderr)

    # --region-prefix ignores the case of Polish letters too: ła keeps ŁA (and ła2), not ŁB or LA
    polish = os.path.join(work, "polish.csv")
    with open(polish, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\nŁA,x,5\nŁB,x,6\nLA,x,7\nła2,x,1\nŁA,y,5\nŁB,y,6\nLA,y,7\nła2,y,2\n")
    r = run("map", "indicators", polish, "--region-prefix", "ła")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(r.returncode == 0 and {x["region"] for x in rows} == {"ŁA", "ła2"} and "4 rows left out" in r.stderr,
       "--region-prefix ła keeps ŁA: the case of a Polish letter is ignored", r.stderr)
    r = run("map", "indicators", polish, "--region-prefix", "ła", "--region", "ŁA")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(r.returncode == 0 and rows and {x["region"] for x in rows} == {"ŁA"}, "--region ŁA that the prefix keeps",
       r.stderr)
    # --region ignores case as --region-prefix does (ła2 is itself; ła is ŁA), unless two codes differ in case alone
    for given, want in (("ła", "ŁA"), ("ŁA2", "ła2"), ("la", "LA")):
        r = run("map", "indicators", polish, "--region", given)
        rows = rows_of(r.stdout) if r.returncode == 0 else []
        ok(r.returncode == 0 and rows and {x["region"] for x in rows} == {want},
           "--region %s: the region %s (case ignored)" % (given, want), r.stderr)
    twin = os.path.join(work, "twin.csv")
    with open(twin, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\nab,x,5\nAB,x,6\nab,y,1\nAB,y,2\n")
    r = run("map", "indicators", twin, "--region", "Ab")
    ok(r.returncode == 3 and "--region Ab: no such region in the data" in r.stderr and not r.stdout,
       "--region Ab of a file with ab and AB: not one of them by chance", r.stderr)
    r = run("map", "indicators", twin, "--region", "AB")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(r.returncode == 0 and {x["region"] for x in rows} == {"AB"}, "--region AB: the code as given first",
       r.stderr)
    r = run("map", "indicators", polish, "--region-prefix", "ła", "--region", "ŁB")
    ok(r.returncode == 2 and "--region ŁB: --region-prefix ła leaves it out" in r.stderr and
       "no such region" not in r.stderr and not r.stdout,
       "--region ŁB, in the file but not kept by --region-prefix: the filter is named", r.stderr)

    # the notice of cells without a value counts and names only the year computed (--year), or says nothing
    r = run("map", "indicators", os.path.join(DATA, "bdl.csv"), "--year", "2021")
    ok(r.returncode == 0 and "without a value" not in r.stderr and "2022" not in r.stderr,
       "--year 2021 of a BDL export whose missing cell is of 2022: no notice naming 2022", r.stderr)
    r = run("map", "indicators", os.path.join(DATA, "long_year.csv"))
    ok(r.returncode == 0 and "1 cell without a value (confidential or missing) counts as 0 in the totals of its region "
       "and industry" in r.stderr, "one cell without a value: 'its region', not 'their'", r.stderr)
    r = run("map", "indices", os.path.join(DATA, "bdl.csv"), "--year", "2021")
    ok(r.returncode == 0 and "without a value" not in r.stderr and "without employment" not in r.stderr and
       "2022" not in r.stderr and all(x["year"] == "2021" for x in rows_of(r.stdout)),
       "map indices --year 2021: neither the missing cell nor the empty region of 2022 in its notices", r.stderr)
    r = run("map", "indices", os.path.join(DATA, "bdl.csv"), "--year", "2022")
    ok(r.returncode == 0 and "1 cell without a value" in r.stderr and
       "1 region without employment in a year" in r.stderr and "in 2022" in r.stderr,
       "  and --year 2022: both said", r.stderr)
    gapy = os.path.join(work, "gap_years.csv")
    with open(gapy, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\nA,x,2015,d\nA,y,2015,5\nB,x,2015,4\nB,y,2015,6\n"
                "A,x,2016,3\nA,y,2016,c\nB,x,2016,4\nB,y,2016,6\nA,z,2016,2\nB,z,2016,:\n")
    notices = {}
    for y in ("2015", "2016", None):
        r = run("map", "indicators", gapy, *(["--year", y] if y else []))
        notices[y] = [x for x in r.stderr.splitlines() if "without a value" in x] if r.returncode == 0 else None
    ok(notices["2015"] and len(notices["2015"]) == 1 and ": 1 cell without a value" in notices["2015"][0] and
       "(first: region A, industry x in 2015)" in notices["2015"][0], "--year 2015: its one cell without a value",
       notices)
    ok(notices["2016"] and len(notices["2016"]) == 1 and ": 2 cells without a value" in notices["2016"][0] and
       "(first: region A, industry y in 2016)" in notices["2016"][0], "--year 2016: its two cells, the first of 2016",
       notices)
    ok(notices[None] and ": 3 cells without a value" in notices[None][0] and
       "(first: region A, industry x in 2015)" in notices[None][0], "every year: the three cells", notices)

    # the U.S. cluster definitions as a crosswalk (NAICS 2012 → 67 clusters, traded/local)
    naics = os.path.join(work, "naics.csv")
    with open(naics, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\nA,336411,100\nA,336412,50\nB,336411,20\nA,311111,40\nB,311111,90\n")
    r = run("map", "indicators", naics, "--crosswalk", os.path.join(ROOT, "data", "crosswalks", "uscmp_naics2012_to_cluster.csv"),
            "--base", "traded")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    aero = [x for x in rows if x["industry"] == "Aerospace Vehicles and Defense"]
    ok(r.returncode == 0 and len(aero) == 2 and float(aero[0]["employment"]) == 150,
       "the US cluster crosswalk: NAICS codes summed into 'Aerospace Vehicles and Defense'", (r.stderr, aero))

    # indices and shift-share
    # a reference that does not contain the data is refused; an industry it leaves unknown is told
    data = os.path.join(DATA, "long_year.csv")
    out = os.path.join(work, "ref_out.csv")
    r = run("map", "indicators", data, "--reference", os.path.join(DATA, "ref_small.csv"), "-o", out)
    ok(r.returncode == 3 and "ref_small.csv:3: column employment: industry C27 in 2015" in r.stderr and
       not os.path.exists(out), "a reference smaller than the regions' total: exit 3, file, line, column", r.stderr)
    r = run("map", "indicators", data, "--reference", os.path.join(DATA, "ref_noind.csv"))
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and "leaves 2 industry-years of the data unknown (first: C27 in 2015)" in r.stderr and
       all(x["lq"] == "" for x in rows if x["industry"] == "C27"),
       "an industry missing from the reference: a notice, its LQs empty", r.stderr)
    r = run("map", "indicators", os.path.join(DATA, "long_noyear.csv"), "--output-format", "json")
    js = json.loads(r.stdout) if r.returncode == 0 else []
    ok(js and all(x["year"] is None for x in js), "a file without years: year null, not 0", r.stderr)
    r = run("map", "indicators", os.path.join(DATA, "long_noyear.csv"), "--year", "2015")
    ok(r.returncode != 0 and " 0" not in r.stderr.split(":", 1)[-1], "--year on a file without years: no year 0 in "
       "the message", r.stderr)
    r = run("map", "indices", os.path.join(DATA, "long_year.csv"), "--base", "industry")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and all(0 < float(x["hhi"]) <= 1 for x in rows), "industry indices: HHI in (0, 1]", r.stderr)
    r1 = run("map", "indices", os.path.join(DATA, "long_year.csv"), "--base", "industry", "--year", years[-1])
    one = rows_of(r1.stdout) if r1.returncode == 0 else []
    ok(one and {x["year"] for x in one} == {years[-1]} and one == [x for x in rows if x["year"] == years[-1]],
       "indices --year: that year's rows, the same as in the table of every year", r1.stderr)
    r1 = run("map", "indices", os.path.join(DATA, "long_year.csv"), "--year", "1999")
    ok(r1.returncode == 3 and "1999" in r1.stderr and years[-1] in r1.stderr,
       "indices --year of a year not in the data names the years there are", r1.stderr)
    r = run("map", "shift-share", os.path.join(DATA, "long_year.csv"), "--from", years[0], "--to", years[-1])
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ident = [x for x in rows if x["employment0"] and x["employment1"]]
    ok(ident and all(close(float(x["national_share"]) + float(x["industry_mix"]) + float(x["regional_shift"]),
                           float(x["employment1"]) - float(x["employment0"]), 1e-9) for x in ident),
       "shift-share: NS + IM + RS = change", r.stderr)
    two = os.path.join(work, "two_years.csv")
    with open(two, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\nA,x,2020,12\nA,y,2015,5\nB,x,2015,3\nA,x,2015,10\n")
    r = run("map", "shift-share", two)
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and all((x["year0"], x["year1"]) == ("2015", "2020") for x in rows),
       "shift-share on data of two years: from the first to the second without --from/--to", (r.stderr, rows))
    three = os.path.join(work, "three_years.csv")
    with open(three, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\nA,x,2015,10\nB,x,2016,3\nA,x,2020,12\n")
    r = run("map", "shift-share", three)
    ok(r.returncode == 2 and "the data has 3 years (2015 to 2020): choose two with --from YEAR and --to YEAR" in r.stderr,
       "shift-share on data of more years: --from and --to asked for, naming the years", r.stderr)
    r = run("map", "shift-share", two, "--from", "2015")
    ok(r.returncode == 2 and "needs both --from YEAR and --to YEAR" in r.stderr, "--from without --to: usage", r.stderr)
    # a region with no employment in the first year: growth from nothing is shift-share's to show;
    # the indices leave the region out of that year, and say so; LQs are still refused
    z = os.path.join(work, "zero_region.csv")
    with open(z, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n02,A,2015,10\n02,B,2015,5\n04,A,2015,0\n04,B,2015,0\n"
                "02,A,2016,12\n02,B,2016,6\n04,A,2016,3\n04,B,2016,0\n06,A,2015,4\n06,B,2015,8\n"
                "06,A,2016,4\n06,B,2016,9\n")
    r = run("map", "shift-share", z)
    rows = {(x["region"], x["industry"]): x for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    x = rows.get(("04", "A"), {})
    ok(x.get("growth") == "" and x.get("national_share") == "0" and x.get("industry_mix") == "0"
       and x.get("regional_shift") == "3", "shift-share from a region's zero: no growth rate, the change all "
       "regional (0, 0, 3)", (r.stderr, x))
    r = run("map", "indices", z)
    rows = {(x["region"], x["year"]): x for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    ok(rows.get(("04", "2015"), {}).get("hhi") == "" and rows.get(("04", "2016"), {}).get("hhi") == "1"
       and "1 region without employment in a year: its region indices are empty there" in r.stderr,
       "indices: a region without employment in a year has none there, with a notice", r.stderr)
    r = run("map", "indicators", z)
    ok(r.returncode == 3 and "region 04 has zero total employment in 2015" in r.stderr,
       "indicators: the same region is still an error (location quotients are undefined)", r.stderr)

    # bad input: named file, line and field; no result file written
    bad_csv = os.path.join(work, "bad.csv")
    with open(bad_csv, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C26,100\n04,C26,dużo\n")
    out = os.path.join(work, "never.csv")
    r = run("map", "indicators", bad_csv, "-o", out)
    ok(r.returncode == 3 and "bad.csv:3" in r.stderr and "employment" in r.stderr,
       "a non-numeric value: exit 3 naming bad.csv:3 and the column", (r.returncode, r.stderr))
    ok(not os.path.exists(out), "no result file after a failed run", os.listdir(work))
    with open(bad_csv, "w", encoding="utf-8") as f:
        f.write("region,employment\n02,100\n")
    r = run("map", "indicators", bad_csv)
    ok(r.returncode == 3 and "industry" in r.stderr, "a missing column is named", r.stderr)
    with open(bad_csv, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C26,100\n02,C26,5\n")
    r = run("map", "indicators", bad_csv)
    ok(r.returncode == 3 and "twice" in r.stderr and "line 2" in r.stderr, "a duplicated cell names both lines",
       r.stderr)
    with open(bad_csv, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C26,-4\n")
    r = run("map", "indicators", bad_csv)
    ok(r.returncode == 3 and "negative" in r.stderr, "a negative count is refused", r.stderr)
    with open(bad_csv, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C26,0\n02,C27,0\n04,C26,5\n")
    r = run("map", "indicators", bad_csv)
    ok(r.returncode == 3 and "02" in r.stderr and "zero" in r.stderr, "a region with zero employment is refused",
       r.stderr)
    r = run("map", "indicators", os.path.join(DATA, "long_year.csv"), "--base", "sideways")
    ok(r.returncode == 2, "a bad option value: exit 2", r.stderr)
    r = run("map", "sideways", os.path.join(DATA, "long_year.csv"))
    ok(r.returncode == 2, "an unknown map command: exit 2", r.stderr)

    # relatedness on the real file: pairs, density, groups
    base = [os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"),
            "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3"]
    r = run("map", "relatedness", *base)
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(r.returncode == 0 and r.stdout == run("map", "related", *base).stdout,
       "map relatedness (the issue's name) and map related are the same command", r.stderr)
    inds = {x["industry"] for x in rows} | {x["other_industry"] for x in rows}
    ok(rows and len(rows) == len(inds) * (len(inds) - 1) // 2, "related pairs: every pair once", (r.stderr, len(rows)))
    ok("101 cells without a value (first: region PL11, industry B05) are left out pair by pair" in r.stderr and
       "groups of related" not in r.stderr,
       "the confidential cells are named and left out pair by pair, not taken as 0; no groups' summary with pairs",
       r.stderr)
    # the first cell without a value is the one map indicators and map indices name (by industry, then region)
    europe = base[:2] + base[4:]
    firsts = []
    for cmd in ("relatedness", "indicators", "indices"):
        m = re.search(r"without a value[^\n]*?\(first: (region \S+, industry [A-Z0-9]+)", run("map", cmd, *europe).stderr)
        firsts.append(m.group(1) if m else None)
    ok(firsts[0] == "region BG32, industry B05" and len(set(firsts)) == 1,
       "map relatedness, indicators and indices name the same first cell without a value", firsts)
    # and count the same cells: an industry with no value in any region of the year is in neither
    counts = [re.search(r"(\d+) cells without a value", run("map", cmd, *base).stderr) for cmd in ("relatedness", "indicators")]
    ok(all(counts) and counts[0].group(1) == counts[1].group(1) == "101",
       "map relatedness and indicators count the same cells without a value", [m and m.group(1) for m in counts])
    ok(rows and all(-1 - 1e-9 <= float(x["colocation"]) <= 1 + 1e-9 for x in rows if x["colocation"]) and
       all(0 <= float(x["proximity"]) <= 1 for x in rows), "co-location in [-1, 1], proximity in [0, 1]")
    r = run("map", "related", *base, "--base", "density")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and all(0 <= float(x["relatedness_density"]) <= 100 for x in rows if x["relatedness_density"]),
       "relatedness density in [0, 100]", r.stderr)
    related_reference(work)
    r = run("map", "related", *base, "--base", "groups")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and int(rows[0]["groups"]) >= 2 and 0 <= float(rows[0]["group_score"]) <= 1 and "groups" in r.stderr,
       "groups of related industries with their score", r.stderr)
    r = run("map", "indicators", *base, "--industry-names",
            os.path.join(ROOT, "data", "reference", "eurostat_nace_r2_dictionary_en.csv"))
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(any(x["industry"] == "C31" and x["industry_name"] == "Manufacture of furniture" for x in rows),
       "--industry-names names the NACE codes", r.stderr)
    r = run("map", "indicators", *base, "-o", os.path.join(work, "ind.csv"))
    ok(r.returncode == 0 and "101 cells without a value (confidential or missing) count as 0 in the totals of their "
       "region and industry (first: region PL11, industry B05 in 2015)" in r.stderr,
       "map indicators names the cells its totals take as 0 (they raise the region's other LQs)", r.stderr)
    r = run("map", "indices", *base, "-o", os.path.join(work, "ix.csv"))
    # 117 cells without a value, less the 16 of an industry no region has a value of in 2015 (no
    # industry of that year's data: it does not enter the indices)
    ok(r.returncode == 0 and "101 cells without a value (confidential or missing) count as 0 in the indices (first: "
       "region PL11, industry B05 in 2015)" in r.stderr, "map indices names the cells it takes as 0", r.stderr)
    # levels of one classification in one file (PL, PL1, PL11; B, B05, B051) are named
    r = run("map", "indicators", base[0], "--skip-invalid", "--region-prefix", "PL", "-o", os.path.join(work, "lv.csv"))
    ok(r.returncode == 0 and "7 region codes are the start of a longer one (first: PL of PL1)" in r.stderr and
       "14 industry codes are the start of a longer one (first: B of B05)" in r.stderr and
       "--region-length N" in r.stderr, "codes of several levels in one file: a notice naming the first and the option",
       r.stderr)
    r = run("map", "indicators", *base, "-o", os.path.join(work, "lv.csv"))
    ok(r.returncode == 0 and "the start of a longer one" not in r.stderr, "  none with one level of each", r.stderr)
    r = run("map", "related", *base, "--base", "sideways")
    ok(r.returncode == 2, "related with a bad --base: exit 2", r.stderr)

    # choropleth maps from the real Eurostat file on the shipped voivodeship layer
    real = os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv")
    common = [real, "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
              "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
              "--code-property", "nuts2_2013", "--industry", "C31", "--title", "Meble (C31) — Łódź"]
    for ext, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        out = os.path.join(work, "map." + ext)
        r = run("map", "draw", *common, "-o", out)
        head = open(out, "rb").read(5) if os.path.exists(out) else b""
        ok(r.returncode == 0 and head.startswith(magic), "map draw to %s" % ext.upper(), r.stderr)
    svg = open(os.path.join(work, "map.svg"), encoding="utf-8").read() if os.path.exists(os.path.join(work, "map.svg")) else ""
    ok(svg.count("<path") >= 16, "the SVG map has the 16 voivodeships", svg.count("<path"))
    # cairo draws text as outlines: the SVG also carries it as text (a <title>, a <desc> and a
    # transparent layer of <text> where it is drawn), so that it can be selected, searched and read
    try:
        root = ET.fromstring(svg.encode("utf-8"))
    except ET.ParseError:
        root = None
    ns = "{http://www.w3.org/2000/svg}"
    texts = [x.text for x in root.iter(ns + "text")] if root is not None else []
    title = root.find(ns + "title") if root is not None else None
    ok(title is not None and title.text == "Meble (C31) — Łódź" and "Meble (C31) — Łódź" in texts
       and any("voivodeships.geojson" in (x or "") for x in texts) and any("≤" in (x or "") for x in texts),
       "the SVG has its title, source line and legend as text, not only as outlines", (title is not None and
                                                                                      title.text, texts[:6]))
    # --lang: the map's own words in one language, its numbers written as that language writes them
    words = {}
    for lang in ("pl", "en"):
        out = os.path.join(work, "lang-%s.svg" % lang)
        r = run("map", "draw", *[a for a in common if a not in ("--title", "Meble (C31) — Łódź")],
                "--lang", lang, "--industry-names", os.path.join(ROOT, "data", "reference", "nace_r2_names.csv"),
                "-o", out)
        try:
            root_l = ET.fromstring(open(out, "rb").read()) if r.returncode == 0 else None
        except ET.ParseError:
            root_l = None
        words[lang] = [x.text or "" for x in root_l.iter(ns + "text")] if root_l is not None else []
    pl, en = " | ".join(words["pl"]), " | ".join(words["en"])
    ok(words["pl"] and "iloraz lokalizacji" in pl and "location quotient" not in pl and "Produkcja mebli" in pl
       and re.search(r"\d,\d", pl) and not re.search(r"\d\.\d", pl.replace("eurostat_sbs", "")),
       "--lang pl: Polish words, the industry's Polish name, decimal commas", words["pl"][:8])
    ok(words["en"] and "location quotient" in en and "iloraz" not in en and "Manufacture of furniture" in en
       and re.search(r"\d\.\d", en), "--lang en: English words and name, decimal points", words["en"][:8])
    ok("Dane: " in pl and "; granice: voivodeships.geojson" in pl and "Data: " not in pl and "Data: " in en,
       "  the source line too (Dane: …; granice: … in Polish)", (pl[-200:], en[-200:]))
    # a local industry against the traded base has nothing to draw: said so, as the portal says it
    traded = os.path.join(work, "traded.csv")
    with open(traded, "w", encoding="utf-8") as f:
        f.write("region,industry,employment,traded\n02,C29,100,1\n02,G47,50,0\n12,C29,30,1\n12,G47,80,0\n")
    r = run("map", "draw", traded, "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
            "--industry", "G47", "--base", "traded", "-o", os.path.join(work, "g47.svg"))
    ok(r.returncode == 3 and "industry G47 is not traded" in r.stderr and "without --base traded" in r.stderr,
       "map draw of a local industry against the traded base: why nothing is drawn, and what to do", r.stderr)
    r = run("map", "draw", *common, "--lang", "de", "-o", os.path.join(work, "x.svg"))
    ok(r.returncode == 2 and "--lang must be pl, en or both, not 'de'" in r.stderr, "--lang de: exit 2", r.stderr)
    pdf = open(os.path.join(work, "map.pdf"), "rb").read() if os.path.exists(os.path.join(work, "map.pdf")) else b""
    ok(b"/Creator (klaster)" in pdf and b"/Title" in pdf, "the PDF names its title and maker")
    out = os.path.join(work, "nomatch.svg")
    r = run("map", "draw", *[("teryt" if a == "nuts2_2013" else a) for a in common], "-o", out)
    ok(r.returncode == 3 and "no region code" in r.stderr and not os.path.exists(out),
       "codes that match no boundary: exit 3, no file", (r.returncode, r.stderr))
    r = run("map", "draw", *common, "--indicator", "happiness", "-o", os.path.join(work, "x.svg"))
    ok(r.returncode == 2 and "--indicator" in r.stderr, "an unknown indicator: exit 2", r.stderr)
    r = run("map", "draw", *common, "--breaks", "2,1", "-o", os.path.join(work, "x.svg"))
    ok(r.returncode == 2 and "increase" in r.stderr, "breaks that do not increase: exit 2", r.stderr)
    r = run("map", "draw", *common, "--breaks", "0.8,1.2,2", "-o", os.path.join(work, "fixed.svg"))
    ok(r.returncode == 0, "fixed class breaks", r.stderr)
    # the map as a GIS layer: the indicator table's rows of the industry and year, each region with
    # the boundary it is drawn on
    out = os.path.join(work, "map.geojson")
    r = run("map", "draw", *common, "-o", out)
    ok(r.returncode == 2 and "map draw: --title is an option of the picture" in r.stderr and
       not os.path.exists(out), "map draw -o .geojson --title: exit 2 (a layer has no title), nothing written", r.stderr)
    r = run("map", "draw", *common[:-2], "-o", out)
    fc = json.load(open(out, encoding="utf-8")) if r.returncode == 0 and os.path.exists(out) else {}
    want = [x for x in rows_of(run("map", "indicators", *common[:8]).stdout) if x["industry"] == "C31"]
    vgeo = {f["properties"]["nuts2_2013"]: f["geometry"] for f in
            json.load(open(os.path.join(ROOT, "data", "reference", "voivodeships.geojson"), encoding="utf-8"))["features"]}
    feats = fc.get("features", [])
    ok(len(feats) == len(want) == 16 and
       all(f["properties"]["region"] == x["region"] and f["properties"]["industry"] == "C31" and
           close(f["properties"]["lq"], float(x["lq"])) and f["geometry"]["type"] == "MultiPolygon" and
           f["geometry"]["coordinates"][0][0][0] == vgeo[x["region"]]["coordinates"][0][0]
           for f, x in zip(feats, want)),
       "map draw -o .geojson: the map as a layer, the indicators of C31 per region with its boundary", r.stderr)
    # a layer with a region the boundaries lack (its geometry null, RFC 7946's unlocated feature)
    # is boundaries for another map: that feature is left out, the region said to have none
    extra_rows = os.path.join(work, "with99.csv")
    with open(extra_rows, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C,10\n02,G,5\n04,C,3\n04,G,9\n99,C,4\n99,G,4\n")
    layer = os.path.join(work, "with99.geojson")
    r = run("map", "draw", extra_rows, "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
            "--industry", "C", "-o", layer)
    nulls = [f["properties"]["region"] for f in json.load(open(layer, encoding="utf-8"))["features"]
             if f["geometry"] is None] if r.returncode == 0 else []
    r = run("map", "draw", extra_rows, "--boundaries", layer, "--code-property", "region", "--industry", "C",
            "-o", os.path.join(work, "from_layer.svg"))
    ok(nulls == ["99"] and r.returncode == 0 and "not drawn (property region): no boundary: 99" in r.stderr,
       "a layer of map draw -o .geojson read back as boundaries: its null geometry left out", (nulls, r.stderr))
    for f_ in (fc_ := json.load(open(layer, encoding="utf-8")))["features"]:
        f_["geometry"] = None
    with open(layer, "w", encoding="utf-8") as f:
        json.dump(fc_, f)
    r = run("map", "draw", extra_rows, "--boundaries", layer, "--code-property", "region", "--industry", "C",
            "-o", os.path.join(work, "from_nulls.svg"))
    ok(r.returncode == 3 and "no feature has a geometry (all 3 are null)" in r.stderr and
       not os.path.exists(os.path.join(work, "from_nulls.svg")),
       "boundaries whose every geometry is null: refused, nothing written", r.stderr)
    for extra, want_msg in ((("--indicator", "growth"), "a change between two years"),
                            (("--band", "250000"), "map hotspots --regions"),
                            (("--output-format", "png"), "ends in .geojson")):
        out = os.path.join(work, "bad.geojson")
        r = run("map", "draw", *common[:-2], *extra, "-o", out)   # without --title, refused on its own
        ok(r.returncode in (2, 3) and want_msg in r.stderr and not os.path.exists(out),
           "map draw -o .geojson %s: refused (%s)" % (" ".join(extra), want_msg), r.stderr)
    # categories: one colour per number of stars, strong or not (not quantile classes)
    table = rows_of(run("map", "indicators", *common[:8]).stdout)
    for indicator in ("stars", "strong", "strong10"):
        out = os.path.join(work, indicator + ".svg")
        r = run("map", "draw", *common, "--indicator", indicator, "-o", out)
        fills = re.findall(r"fill-rule:evenodd;fill:(rgb\([^)]*\))", open(out, encoding="utf-8").read()) \
            if r.returncode == 0 else []
        fills = [f for f in fills if f != "rgb(88%,88%,88%)"][:16]
        want = sorted(collections.Counter(x[indicator] for x in table if x["industry"] == "C31").values())
        ok(r.returncode == 0 and sorted(collections.Counter(fills).values()) == want,
           "map draw --indicator %s: a colour per category, as many regions in each as the table has" % indicator,
           (r.stderr, collections.Counter(fills), want))
    r = run("map", "draw", *common, "--indicator", "stars", "--classes", "3", "-o", os.path.join(work, "x.svg"))
    ok(r.returncode == 2 and "categories" in r.stderr, "--classes with stars: exit 2", r.stderr)

    output_targets(work, common)
    unknown_establishments(work)
    sdmx_csv(work)
    traded_base_columns(work)
    bdl_export(work)
    firm_lists(work)
    progress_lines(work)
    empty_regions(work, real)
    nuts2013_draw(work, real)
    change_maps(work)
    region_hotspots(work, real)
    draw_hotspots(work, real)
    bounded_memory(work)
    memory_per_cell(work)
    sole_proprietors(work)
    equal_values(work)
    legend_numbers(work)
    long_texts(work)
    overlong_texts(work)
    numeric_codes(work)
    renamed_codes(work)
    missing_parts(work)
    industry_names(work)
    demo_check()
    region_names(work)
    return TAP.done()


def png_pixels(data):
    """The rows of an 8-bit RGB or RGBA PNG (as cairo writes them) as lists of (r, g, b)."""
    import struct
    import zlib
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev, stride = zlib.decompress(idat), [], bytearray(w * bpp), w * bpp
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return rows


def missing_parts(work):
    """A crosswalk or --sum adding a missing value to known ones: the known total, and a notice."""
    path = os.path.join(work, "naics.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n06,336411,1000\n06,336412,:\n06,541511,500\n48,336411,200\n"
                "48,336412,300\n48,541511,900\n")
    xwalk = os.path.join(ROOT, "data", "crosswalks", "uscmp_naics2012_to_cluster.csv")
    r = run("map", "indicators", path, "--crosswalk", xwalk)
    ok(r.returncode == 0 and "naics.csv: 1 cell is a lower bound (region 06, industry Aerospace Vehicles and "
       "Defense): where rows are added up (--sum) or a crosswalk adds missing values to known ones, the cell "
       "holds the known ones' total, a lower bound of the true one (a cell whose every part is missing stays "
       "missing)" in r.stderr,
       "a crosswalk summing over a missing code says the total is a lower bound", r.stderr)
    r = run("map", "indicators", path)
    ok(r.returncode == 0 and "lower bound" not in r.stderr, "  no such notice when nothing is added up", r.stderr)
    # only the cells that are lower bounds count: a cell whose every part is missing stays missing
    # (empty), and a missing value alone in its cell is no part of a sum
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n06,336411,1000\n06,336412,:\n06,541511,500\n48,336411,:\n"
                "48,336412,:\n48,541511,900\n48,999999,:\n")
    for args, what in ((("--crosswalk", xwalk, "--skip-unmapped"), "a crosswalk"), ((), "--sum")):
        if not args:
            with open(path, "w", encoding="utf-8") as f:   # a quote: the general reader, which keeps the parts
                f.write("region,industry,employment\n\"06\",A,1000\n06,A,:\n06,B,500\n48,A,:\n48,A,:\n"
                        "48,B,900\n48,C,:\n48,B,4\n")
            args = ("--sum",)
        r = run("map", "indicators", path, *args)
        ok(r.returncode == 0 and "naics.csv: 1 cell is a lower bound (region 06, industry " in r.stderr
           and "values are missing" not in r.stderr,
           "%s: the cells of missing parts alone are not counted as lower bounds" % what, r.stderr)
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n\"06\",A,1000\n06,A,:\n06,B,500\n48,A,:\n48,A,7\n48,B,900\n")
    r = run("map", "indicators", path, "--sum")
    ok(r.returncode == 0 and "naics.csv: 2 cells are lower bounds (first: region 06, industry A): " in r.stderr,
       "--sum: two cells that are lower bounds, the first named", r.stderr)
    # establishments are told apart: a cell whose employment is known in every row but whose
    # establishments a row leaves out, in a big file (the fast path, two parts) as in a small one
    for rows in (1, 200000):
        with open(path, "w", encoding="utf-8") as f:
            f.write("region,industry,employment,establishments\n06,A,10,1\n06,A,5,\n06,B,3,1\n48,A,2,1\n")
            f.write("48,B,7,2\n" * rows)
        r = run("map", "indicators", path, "--sum", "-o", os.path.join(work, "est.csv"))
        ok(r.returncode == 0 and "naics.csv: establishments of 1 cell are a lower bound (region 06, industry A): "
           in r.stderr and "cell is a lower bound" not in r.stderr,
           "--sum: establishments left out by a row make a lower bound, told on their own (%d rows)" % (rows + 4),
           r.stderr)
    # the fast path (a plain file) sums a cell's rows first and notes which sums left out a missing
    # part: the same cells, without reading the file again
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n06,A,1000\n06,A,:\n06,B,500\n48,A,:\n48,A,7\n48,B,900\n")
    r = run("map", "indicators", path, "--sum")
    ok(r.returncode == 0 and "naics.csv: 2 cells are lower bounds (first: region 06, industry A): " in r.stderr,
       "--sum on a plain file (the fast path): the same two cells that are lower bounds", r.stderr)


def region_names(work):
    """--region-names: regions the data leaves unnamed take their boundaries' names
    (the data's own names stay), those without one are listed; the options that go
    with it are refused without it, and a boundary file without the code property
    stops the command with its message, writing nothing."""
    vo = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    path = os.path.join(work, "rn.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,region_name,industry,employment\n02,,A,5\n04,Moje kujawy,A,3\n06,,A,2\n99,,A,1\n"
                "02,,B,1\n04,,B,4\n06,,B,2\n99,,B,2\n")
    out = os.path.join(work, "rn-out.csv")
    r = run("map", "indicators", path, "--region-names", vo, "-o", out)
    rows = []
    if r.returncode == 0:
        with open(out, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    got = {x["region"]: x["region_name"] for x in rows}
    ok(got == {"02": "dolnośląskie", "04": "Moje kujawy", "06": "lubelskie", "99": ""} and
       "2 regions named from %s" % vo in r.stderr and
       "1 region without a name in the data or in %s (property teryt): 99" % vo in r.stderr,
       "--region-names: the boundaries name the unnamed regions, the data's own name stays, 99 is listed",
       (got, r.stderr))
    r = run("map", "indicators", path, "--nuts2013")
    ok(r.returncode == 2 and "--nuts2013 goes with --region-names" in r.stderr,
       "  --nuts2013 without --region-names: a usage error", r.stderr)
    r = run("map", "indices", path, "--region-names", vo, "--parts", vo)
    ok(r.returncode == 2 and "--parts goes with --nuts2013" in r.stderr, "  --parts without --nuts2013: a usage error",
       r.stderr)
    os.unlink(out)
    r = run("map", "indicators", path, "--region-names", vo, "--code-property", "kod", "-o", out)
    ok(r.returncode == 3 and "--region-names: %s: feature 1: property 'kod' missing" % vo in r.stderr and
       not os.path.exists(out), "  a boundary file without the code property: its message, nothing written",
       r.stderr)
    r = run("map", "indicators", path, "--region-names", vo, "--name-property", "nazwa", "-o", out)
    ok(r.returncode == 3 and "--region-names: %s: no feature has the property 'nazwa' (--name-property)" % vo
       in r.stderr and not os.path.exists(out), "  a --name-property no feature has: an error, nothing written",
       r.stderr)
    r = run("map", "indicators", path, "--region-names", "-")
    ok(r.returncode == 2 and "--region-names reads a GeoJSON file, not standard input" in r.stderr,
       "  --region-names -: a usage error", r.stderr)
    r = run("map", "indices", path, "--base", "industry", "--region-names", vo)
    ok(r.returncode == 2 and "--region-names does not apply" in r.stderr,
       "  indices --base industry (no regions) with --region-names: a usage error", r.stderr)
    named = os.path.join(work, "rn-named.csv")
    with open(named, "w", encoding="utf-8") as f:
        f.write("region,region_name,industry,employment\n02,A,x,1\n04,B,x,2\n02,A,y,2\n04,B,y,1\n")
    r = run("map", "indicators", named, "--region-names", vo)
    ok(r.returncode == 0 and "the data names every region: --region-names is not used" in r.stderr,
       "  data that names every region: the option is said to be unused", r.stderr)
    sbs = os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv")
    r = run("map", "indicators", sbs, "--skip-invalid", "--region-prefix", "PL", "--region-length", "4",
            "--industry-length", "3", "--region-names", vo, "--nuts2013")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and all(x["region_name"] == "" for x in rows) and "0 regions named" in r.stderr,
       "  NUTS codes the boundaries do not hold (teryt): no names, not even through the correspondence",
       r.stderr[-400:])
    r = run("map", "hotspots", sbs, "--skip-invalid", "--region-prefix", "PL", "--region-length", "4",
            "--industry-length", "3", "--industry", "C29", "--band", "250000", "--regions", vo,
            "--code-property", "nuts2_2013", "--name-property", "nazwa")
    ok(r.returncode == 3 and "no feature has the property 'nazwa' (--name-property)" in r.stderr,
       "  hotspots --regions with a --name-property no feature has: an error", r.stderr[-300:])
    r = subprocess.run([os.path.join(os.path.dirname(BIN), "klaster-map"), "indicators", path, "--region-names", vo],
                       capture_output=True, text=True)
    ok(r.returncode == 0 and ",dolnośląskie," in r.stdout, "  klaster-map hands --region-names to klaster", r.stderr)


def demo_check():
    """The shipped reference and demo data pass their self-check (check digits, codes, places,
    PKD subclasses against the GUS hierarchy, clusters and labels)."""
    r = subprocess.run([sys.executable, os.path.join(ROOT, "data", "tools", "check_demo.py"), "--pkd-hierarchy",
                        os.path.join(ROOT, "data", "reference", "pkd2007_hierarchy_pl.csv")],
                       capture_output=True, text=True)
    ok(r.returncode == 0 and r.stdout.startswith("OK: 16 voivodeships, 380 powiats"),
       "data/tools/check_demo.py passes on the shipped data", r.stdout[-600:] + r.stderr[-600:])


def industry_names(work):
    """--industry-names with names in two languages: data/tools/industry_names.py
    makes the shipped pkd2007_names.csv, pkd2025_names.csv and nace_r2_names.csv again, byte for
    byte, and refuses a hierarchy it cannot read with the line; a names file
    with name_pl/name_en names the industries that have no name (English first),
    a file's own names stay; a code named twice and a file without a name
    column are refused with the file, line and column, writing nothing."""
    tool = os.path.join(ROOT, "data", "tools", "industry_names.py")
    data = os.path.join(work, "names-data")
    os.makedirs(os.path.join(data, "reference"), exist_ok=True)
    for name in ("pkd.csv", "pkd2007_hierarchy_pl.csv", "pkd2025_hierarchy_pl.csv",
                 "eurostat_nace_r2_dictionary_en.csv"):
        with open(os.path.join(ROOT, "data", "reference", name), "rb") as f, \
                open(os.path.join(data, "reference", name), "wb") as g:
            g.write(f.read())
    r = subprocess.run([sys.executable, tool, data], capture_output=True, text=True)
    same = r.returncode == 0
    for name in ("pkd2007_names.csv", "nace_r2_names.csv", "pkd2025_names.csv"):
        if same:
            with open(os.path.join(data, "reference", name), "rb") as f, \
                    open(os.path.join(ROOT, "data", "reference", name), "rb") as g:
                same = f.read() == g.read()
    ok(same and "pkd2007_names.csv: 1651 codes; nace_r2_names.csv: 1343 codes, 996 with a Polish name; "
       "pkd2025_names.csv: 1775 codes" in r.stdout,
       "industry_names.py makes the shipped bilingual names files again, byte for byte", r.stdout + r.stderr)
    hier = os.path.join(data, "reference", "pkd2007_hierarchy_pl.csv")
    with open(hier, encoding="utf-8") as f:
        lines = f.read().split("\n")
    lines[3] = lines[3].replace("01.1,", "01.x,", 1)
    with open(hier, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    r = subprocess.run([sys.executable, tool, data], capture_output=True, text=True)
    ok(r.returncode != 0 and "pkd2007_hierarchy_pl.csv:4: code '01.x' is not a PKD 2007 group" in r.stderr,
       "  it refuses a malformed code naming the line", r.stderr)

    path = os.path.join(work, "pkd-data.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,industry_name,employment\n02,10,Spożywcze (z pliku),5\n02,C,,7\n"
                "04,10,,3\n04,C,,2\n04,10.11.Z,,1\n")
    names = os.path.join(ROOT, "data", "reference", "pkd2007_names.csv")
    r = run("map", "indicators", path, "--industry-names", names)
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    got = {x["industry"]: x["industry_name"] for x in rows}
    ok(got == {"10": "Spożywcze (z pliku)", "C": "Manufacturing",
               "10.11.Z": "Przetwarzanie i konserwowanie mięsa, z wyłączeniem mięsa z drobiu"},
       "names from code,name_pl,name_en: the file's own kept, else English, else Polish", (got, r.stderr))
    ok("industry names from %s: 3 of 3 industries named" % names in r.stderr, "  and says how many it named", r.stderr)
    nace = os.path.join(work, "nace-data.csv")
    with open(nace, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C10,5\n04,C10,3\n02,C11,4\n04,C11,9\n")
    r = run("map", "indicators", nace, "--industry-names", names)
    ok(r.returncode == 0 and "none of the 2 industries is named: the data's codes are like C10, the file's like A"
       in r.stderr, "a names file of another form of codes (PKD's 10 for NACE's C10): said, with an example of each",
       r.stderr)
    bdl = os.path.join(work, "bdl-names.csv")
    with open(bdl, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD 2007;Rok;Wartosc\n011200000000;M;sekcja C;2021;5\n011200000000;M;sekcja F;2021;3\n"
                "012400000000;S;sekcja C;2021;4\n012400000000;S;sekcja F;2021;9\n")
    r = run("map", "indicators", bdl, "--industry-names", names)
    got = {x["industry"]: x["industry_name"] for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    ok(got == {"C": "Manufacturing", "F": "Construction"},
       "BDL's labels (sekcja C) give way to the names file's names", (got, r.stderr))
    twice = os.path.join(work, "names-twice.csv")
    with open(twice, "w", encoding="utf-8") as f:
        f.write("code,name_pl,name_en\n10,Spożywcze,Food\nC,Przetwórstwo,Manufacturing\n10,Inne,Other\n")
    out = os.path.join(work, "names-twice-out.csv")
    r = run("map", "indicators", path, "--industry-names", twice, "-o", out)
    ok(r.returncode == 3 and "names-twice.csv:4: column code: 10 is named again (first on line 2)" in r.stderr and
       not os.path.exists(out), "a code named on two rows: refused with both lines, nothing written", r.stderr)
    noname = os.path.join(work, "names-none.csv")
    with open(noname, "w", encoding="utf-8") as f:
        f.write("code,label\n10,Food\n")
    r = run("map", "indicators", path, "--industry-names", noname, "-o", out)
    ok(r.returncode == 3 and "names-none.csv:1: the column code and at least one of name, name_pl and name_en "
       "are required" in r.stderr and not os.path.exists(out), "a names file without a name column: refused", r.stderr)


def renamed_codes(work):
    """Rows that give a code different names: the last one is kept, and the command says so."""
    path = os.path.join(work, "names.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,region_name,industry,employment\nA,Alfa,x,1\nA,Alpha,y,2\nB,Beta,x,3\nB,Beta,y,4\n")
    r = run("map", "indicators", path)
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and {x["region_name"] for x in rows if x["region"] == "A"} == {"Alpha"} and
       "1 row gave a code another name than before (first: region A: 'Alfa' then 'Alpha'): the last name given "
       "is used" in r.stderr, "a code named twice: the last name, and a notice naming both", r.stderr)


def numeric_codes(work):
    """A boundary file whose code property is a number (2, not "02") is named as the cause."""
    with open(os.path.join(ROOT, "data", "reference", "voivodeships.geojson"), encoding="utf-8") as f:
        g = json.load(f)
    for ft in g["features"]:
        ft["properties"]["teryt"] = int(ft["properties"]["teryt"])
    path = os.path.join(work, "numeric.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(g, f)
    out = os.path.join(work, "numeric.svg")
    r = run("map", "draw", os.path.join(ROOT, "data", "stats", "gus_regon_2025q3_employment_estimate.csv"),
            "--boundaries", path, "--industry", "29", "-o", out)
    ok("no boundary: 02, 04, 06, 08" in r.stderr and
       "property teryt of the boundaries is a number in 16 of 16 features, which drops leading zeros: the data's "
       "02 is not 2 there" in r.stderr, "boundaries with numeric codes: the cause is named, with the code as text",
       r.stderr)
    # the other way round: the data's codes lost their zero (a spreadsheet), the boundaries keep it
    data = os.path.join(work, "zeroless.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n2,A,5\n4,A,3\n2,B,4\n4,B,9\n")
    r = run("map", "draw", data, "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
            "--industry", "A", "-o", out)
    ok("the data's 2 looks like 02 of the boundaries without its leading zero (a spreadsheet takes such codes "
       "for numbers): write the codes as text in the data (\"02\")" in r.stderr,
       "data codes without their leading zero: the cause is named, with the boundaries' code", r.stderr)


def long_texts(work):
    """A title and a source line longer than the map is wide wrap inside its margins
    rather than run off its right edge."""
    out = os.path.join(work, "long.png")
    title = "Zatrudnienie w produkcji mebli w województwach, z podziałem na regiony NUTS-2 według Eurostatu " * 2
    source = ("Źródło / source: Eurostat, sbs_r_nuts06_r2; persons employed 2015; confidential cells left out; "
              "boundaries: GUGiK PRG via polska-geojson (MIT) ") * 2
    r = run("map", "draw", os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"),
            "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
            "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"), "--code-property",
            "nuts2_2013", "--industry", "C31", "--title", title, "--source", source, "-o", out)
    rows = png_pixels(open(out, "rb").read()) if r.returncode == 0 else []
    inked = [y for y, row in enumerate(rows) if any(min(px) < 200 for px in row[-8:])]
    ok(rows and not inked, "a long title and source line wrap inside the map's right margin", (r.stderr, inked[:5]))
    # and they take more than one line: ink in several bands of rows at the top and the bottom
    top = [y for y in range(0, 90) if rows and any(min(px) < 120 for px in rows[y][:300])]
    ok(rows and top and max(top) - min(top) > 40, "  the title takes several lines", top[:3])
    # without --source the map still names its data: a line of text at the bottom left
    out2 = os.path.join(work, "nosource.png")
    r = run("map", "draw", os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"),
            "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
            "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"), "--code-property",
            "nuts2_2013", "--industry", "C31", "-o", out2)
    rows = png_pixels(open(out2, "rb").read()) if r.returncode == 0 else []
    bottom = [y for y in range(len(rows) - 40, len(rows)) if rows and any(min(px) < 160 for px in rows[y][:200])]
    ok(rows and bottom, "a map drawn without --source has a source line (the data and boundary files)",
       (r.stderr, len(rows)))


def svg_texts(path):
    """The SVG's transparent text layer: [(x, y, font size, text)] in the order drawn, the size of
    bold text negative (the title 20, a subtitle 13, the legend's heading -13, its classes 12,
    the source line 11)."""
    if not os.path.exists(path):
        return []
    return [(float(x), float(y), -float(size) if bold else float(size), html.unescape(t)) for x, y, size, bold, t in
            re.findall(r'<text x="([^"]*)" y="([^"]*)" font-size="([^"]*)"( font-weight="bold")?>([^<]*)</text>',
                       open(path, encoding="utf-8").read())]


def legend_labels(path):
    """The labels of a map's legend classes (the 12-point texts beside the colour boxes)."""
    return [t for x, _, size, t in svg_texts(path) if x == 46 and size == 12]


def equal_values(work):
    """Every region with the same value: one class in the legend, named by that value, and no
    bound beyond it that no region reaches."""
    data = os.path.join(work, "equal.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n")
        for feat in json.load(open(os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
                                   encoding="utf-8"))["features"]:
            f.write("%s,C,10\n%s,G,30\n" % (feat["properties"]["teryt"], feat["properties"]["teryt"]))
    boundaries = ("--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"))
    for lang in ("en", "pl", "both"):
        out = os.path.join(work, "equal-%s.svg" % lang)
        r = run("map", "draw", data, *boundaries, "--industry", "C", "--lang", lang, "-o", out)
        fills = set(re.findall(r"fill-rule:evenodd;fill:(rgb\([^)]*\))", open(out, encoding="utf-8").read())) \
            if r.returncode == 0 else set()
        ok(r.returncode == 0 and legend_labels(out) == ["1"] and len(fills) == 1,
           "map draw, every LQ 1 (--lang %s): one class, its label the value 1, every region its colour" % lang,
           (r.stderr, legend_labels(out), fills))
    # shares of 0.25 everywhere: one class too, no "≤ 0.25" above an empty "> 0.25"
    out = os.path.join(work, "equal-share.svg")
    r = run("map", "draw", data, *boundaries, "--industry", "C", "--indicator", "share_of_region", "--lang", "pl",
            "-o", out)
    labels = legend_labels(out)
    ok(r.returncode == 0 and labels == ["0,25"],
       "map draw, every share 0.25: one class, 0,25 (a decimal comma with --lang pl)", (r.stderr, labels))
    # regions without data beside equal ones: the one class and "no data"
    part = os.path.join(work, "equal-part.csv")
    with open(part, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C,10\n02,G,30\n04,C,10\n04,G,30\n")
    out = os.path.join(work, "equal-part.svg")
    r = run("map", "draw", part, *boundaries, "--industry", "C", "--lang", "en", "-o", out)
    ok(r.returncode == 0 and legend_labels(out) == ["1", "no data"],
       "  two regions of LQ 1 among regions without data: the class 1 and no data", (r.stderr, legend_labels(out)))
    # most values at the greatest: quantiles all there, one class from the least to the greatest
    most = os.path.join(work, "most-top.csv")
    with open(most, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C,0\n02,G,8\n")
        for code in ("04", "06", "08", "10", "12", "14", "16", "18", "20", "22", "24"):
            f.write("%s,C,5\n%s,G,5\n" % (code, code))
    out = os.path.join(work, "most-top.svg")
    r = run("map", "draw", most, *boundaries, "--industry", "C", "--indicator", "employment", "--lang", "en",
            "-o", out)
    ok(r.returncode == 0 and legend_labels(out)[:1] == ["0–5"] and
       not any(x.startswith((">", "≥")) for x in legend_labels(out)),
       "  employment 0 once and 5 elsewhere: one class 0–5, no empty class above 5", (r.stderr, legend_labels(out)))


def legend_numbers(work):
    """The legend writes its numbers compactly, each by one rule: three significant digits (all
    the whole digits from 100 up), more only where neighbours would read alike, no trailing
    zeros; Polish with the decimal comma and a no-break space between thousands."""
    data = os.path.join(work, "legend-numbers.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C,10\n02,G,30\n04,C,10\n04,G,30\n06,C,0\n06,G,30\n")
    boundaries = ("--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"))
    for breaks, lang, want in (
            ("-0.0001,1000000", "en", ["< \u22120.0001", "\u22120.0001 – < 1,000,000", "≥ 1,000,000", "no data"]),
            ("-0.0001,1000000", "pl", ["< \u22120,0001", "\u22120,0001 – < 1\u00a0000\u00a0000", "≥ 1\u00a0000\u00a0000",
                                       "brak danych"]),
            ("-0.0001,1000000", "both", ["< -0.0001", "-0.0001 – < 1000000", "≥ 1000000", "no data / brak danych"]),
            ("0.8,1.2,2", "en", ["< 0.8", "0.8 – < 1.2", "1.2 – < 2", "≥ 2", "no data"]),
            ("0.8,1.2,2", "pl", ["< 0,8", "0,8 – < 1,2", "1,2 – < 2", "≥ 2", "brak danych"])):
        out = os.path.join(work, "legend-numbers.svg")
        r = run("map", "draw", data, *boundaries, "--industry", "C", "--breaks", breaks, "--lang", lang, "-o", out)
        ok(r.returncode == 0 and legend_labels(out) == want,
           "map draw --breaks %s --lang %s: the legend's numbers compact (%s)" % (breaks, lang, " | ".join(want)),
           (r.stderr, legend_labels(out)))
    # quantiles: three significant digits, so 1.05 and 1.53 beside 0.592 (not 1.053 and 1.532)
    out = os.path.join(work, "legend-quantiles.svg")
    r = run("map", "draw", os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"),
            "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
            *boundaries, "--code-property", "nuts2_2013", "--industry", "C31", "--lang", "pl", "-o", out)
    labels = legend_labels(out)
    nums = [n for x in labels for n in re.findall(r"\d[\d,]*", x)]
    ok(r.returncode == 0 and len(labels) == 5 and nums and
       all(len(n.replace(",", "").lstrip("0")) <= 3 and not (n.endswith("0") and "," in n) for n in nums),
       "map draw, LQ quantiles (--lang pl): three significant digits, no trailing zeros (%s)" % " | ".join(labels),
       (r.stderr, labels))


def overlong_texts(work):
    """A title (or source line) longer than the picture has room for: cut short with "…" so that
    the map keeps a quarter of the picture and the title, the legend and the source line never
    overlap; the whole title stays in the SVG's <title>."""
    words = "Zatrudnienie w produkcji mebli w województwach, z podziałem na regiony NUTS-2"
    data = os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv")
    common = (data, "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
              "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"), "--code-property",
              "nuts2_2013", "--industry", "C31")
    for n_title, n_source in ((30, 0), (120, 120)):
        title = " ".join([words] * n_title)
        out = os.path.join(work, "overlong-%d.svg" % n_source)
        r = run("map", "draw", *common, "--title", title, *(("--source", " ".join([words] * n_source))
                                                               if n_source else ()), "-o", out)
        texts = svg_texts(out)
        heads = [y for _, y, size, _ in texts if size in (-20, 13)]
        legend = [y for _, y, size, _ in texts if size in (12, -13)]
        source = [(y, t) for _, y, size, t in texts if size == 11]
        whole = re.search(r"<title>([^<]*)</title>", open(out, encoding="utf-8").read()) if r.returncode == 0 else None
        what = "a title of %d words%s" % (len(title.split()), " and a source line as long" if n_source else "")
        ok(r.returncode == 0 and heads and legend and source and
           all(0 < y <= 800 for _, y, _, _ in texts) and
           max(heads) + 200 < min(legend) and max(legend) + 5 < min(y for y, _ in source) - 11,
           "map draw, %s: title, map, legend and source line one below the other, inside the picture" % what,
           (r.stderr, heads[-2:], legend, source[:2]))
        ok(texts and [t for _, _, size, t in texts if size == -20][-1].endswith("…") and len(heads) < 25 and
           whole and html.unescape(whole.group(1)) == title,
           "  the title cut short with … (%d lines), whole in the SVG's <title>" % len(heads), texts[-3:])
        if n_source:
            ok(source and source[-1][1].endswith("…") and 1 < len(source) < 25,
               "  the source line cut short with … too (%d lines)" % len(source), source[-2:])


def sole_proprietors(work):
    """The shipped powiat dataset (GUS, sole proprietors by powiat x PKD section):
    data/tools/gus_sole_proprietors.py makes the shipped long file from the shipped
    table again, refuses a table it cannot read with the line and column, and
    `klaster map indicators` on the long file gives the LQs computed here from
    the table (sections only: the persons without a section are left out)."""
    tool = os.path.join(ROOT, "data", "tools", "gus_sole_proprietors.py")
    wide_name = "gus_regon_2025_10_natural_persons_powiat_x_pkd_section.csv"
    long_name = "gus_regon_2025_10_sole_proprietors_powiat_x_section.csv"
    data = os.path.join(work, "sole")
    for d in ("stats", "reference"):
        os.makedirs(os.path.join(data, d), exist_ok=True)
    for d, name in (("stats", wide_name), ("reference", "pkd.csv"), ("reference", "powiats.geojson")):
        with open(os.path.join(ROOT, "data", d, name), "rb") as f, open(os.path.join(data, d, name), "wb") as g:
            g.write(f.read())
    r = subprocess.run([sys.executable, tool, data], capture_output=True, text=True)
    made = os.path.join(data, "stats", long_name)
    same = False
    if r.returncode == 0:
        with open(made, "rb") as f, open(os.path.join(ROOT, "data", "stats", long_name), "rb") as g:
            same = f.read() == g.read()
    ok(r.returncode == 0 and same and "380 powiats x 20 sections; 120 persons without a section" in r.stdout,
       "gus_sole_proprietors.py makes the shipped powiat file again, byte for byte", r.stdout + r.stderr)
    with open(os.path.join(ROOT, "data", "stats", wide_name), encoding="utf-8") as f:
        wide = list(csv.DictReader(f))
    secs = [k for k in wide[0] if k.startswith("sec_")]
    cells = {(w["powiat_teryt4"], k[4:]): int(w[k]) for w in wide for k in secs}
    e_r = collections.Counter()
    e_i = collections.Counter()
    for (reg, ind), v in cells.items():
        e_r[reg] += v
        e_i[ind] += v
    e = sum(cells.values())
    r = run("map", "indicators", os.path.join(ROOT, "data", "stats", long_name))
    got = {(x["region"], x["industry"]): x for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    bad = []
    for (reg, ind), v in cells.items():
        x = got.get((reg, ind))
        want = (v / e_r[reg]) / (e_i[ind] / e) if e_i[ind] else None
        if x is None or (want is None and x["lq"] != "") or (want is not None and not close(float(x["lq"]), want, 1e-8)):
            bad.append((reg, ind, x and x["lq"], want))
    ok(r.returncode == 0 and len(got) == 380 * 20 and not bad,
       "map indicators on the powiat file: 7,600 LQs as computed here from the GUS table (U, empty everywhere: no LQ)",
       (r.stderr, bad[:3]))
    top = max((x for x in got.values() if x["industry"] == "I"), key=lambda x: float(x["lq"] or 0), default=None)
    ok(top and top["region"] == "2211" and top["region_name"] == "powiat pucki",
       "accommodation and food (I) is most concentrated in powiat pucki (the Hel peninsula)", top)
    twice = [x["region_name"] for x in got.values() if x["region"] in ("0219", "0617") and x["industry"] == "A"]
    ok(sorted(twice) == ["powiat świdnicki (dolnośląskie)", "powiat świdnicki (lubelskie)"],
       "the ten powiat names that occur twice carry their voivodeship", twice)
    # a table it cannot read: the line and the column, and no output file
    for mangle, words in (((2, "powiat_teryt4", "201"), ":2: column powiat_teryt4: '201'"),
                          ((5, "sec_C", "12a"), ":5: column sec_C: '12a' is not a whole number"),
                          ((7, "total", "1"), ":7: the sections add up to more than the total 1")):
        line, col, val = mangle
        rows = [dict(w) for w in wide]
        rows[line - 2][col] = val
        with open(os.path.join(data, "stats", wide_name), "w", encoding="utf-8", newline="") as f:
            wr = csv.DictWriter(f, fieldnames=list(wide[0].keys()), lineterminator="\n")
            wr.writeheader()
            wr.writerows(rows)
        if os.path.exists(made):
            os.remove(made)
        r = subprocess.run([sys.executable, tool, data], capture_output=True, text=True)
        ok(r.returncode != 0 and words in r.stderr and not os.path.exists(made),
           "gus_sole_proprietors.py refuses %s=%r naming line %d and the column, writes nothing" % (col, val, line),
           r.stderr)


def sdmx_csv(work):
    """Eurostat's SDMX-CSV download (DATAFLOW, LAST UPDATE, freq, nace_r2, indic_sb, geo,
    TIME_PERIOD, OBS_VALUE, OBS_FLAG): read as the long file of the same cells."""
    sdmx, long_ = os.path.join(DATA, "sdmx_sbs.csv"), os.path.join(DATA, "sdmx_sbs_long.csv")
    a, b = os.path.join(work, "sdmx.csv"), os.path.join(work, "sdmx_long.csv")
    r1 = run("map", "indicators", sdmx, "-o", a)
    r2 = run("map", "indicators", long_, "-o", b)
    same = r1.returncode == 0 and r2.returncode == 0 and open(a, "rb").read() == open(b, "rb").read()
    ok(same and "64 rows, 16 regions x 4 industries x 1 year" in r1.stderr,
       "SDMX-CSV: the same table as the long file of its cells (a confidential cell missing)", r1.stderr)
    map_bin = os.environ.get("KLASTER_MAP_BIN") or os.path.join(os.path.dirname(BIN), "klaster-map")
    r = subprocess.run([map_bin, "indicators", sdmx, "-o", os.path.join(work, "sdmx-map.csv")],
                       cwd=ROOT, capture_output=True, text=True)
    ok(r.returncode == 0 and open(os.path.join(work, "sdmx-map.csv"), "rb").read() == open(a, "rb").read(),
       "SDMX-CSV through klaster-map (its fast path leaves such files to the general reader)", r.stderr)
    lines = open(sdmx, encoding="utf-8").read().splitlines()
    two = os.path.join(work, "sdmx_two.csv")
    with open(two, "w", encoding="utf-8") as f:
        f.write("\n".join(lines + [lines[1].replace("V16110", "V11210")]) + "\n")
    for extra in ([], ["--sum"]):
        r = run("map", "indicators", two, *extra)
        ok(r.returncode == 3 and "sdmx_two.csv:66: column indic_sb: V11210, where line 2 has V16110" in r.stderr,
           "two indicators (indic_sb) in one SDMX-CSV%s: an error naming the column, both values and lines"
           % (" with --sum" if extra else ""), r.stderr)
    odd = os.path.join(work, "sdmx_odd.csv")
    with open(odd, "w", encoding="utf-8") as f:
        f.write("\n".join([lines[0] + ",remarks"] + [x + "," for x in lines[1:3]]) + "\n")
    r = run("map", "indicators", odd)
    ok(r.returncode == 3 and 'unknown column "remarks"' in r.stderr,
       "a column SDMX-CSV does not have is still an unknown column", r.stderr)
    # a reference economy downloaded the same way: one country's series
    head = "DATAFLOW,LAST UPDATE,freq,nace_r2,indic_sb,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    row = "ESTAT:SBS_NA_IND_R2(1.0),22/02/24 23:00:00,A,%s,V16110,%s,2015,%s,\n"
    ref_s, ref_p = os.path.join(work, "ref_sdmx.csv"), os.path.join(work, "ref_plain.csv")
    with open(ref_s, "w", encoding="utf-8") as f:
        f.write(head + "".join(row % (ind, "PL", v) for ind, v in
                                (("C10", 480000), ("C16", 160000), ("C29", 210000), ("C31", 190000))))
    with open(ref_p, "w", encoding="utf-8") as f:
        f.write("industry,year,employment\nC10,2015,480000\nC16,2015,160000\nC29,2015,210000\nC31,2015,190000\n")
    a, b = os.path.join(work, "sdmx_ref.csv"), os.path.join(work, "plain_ref.csv")
    r1 = run("map", "indicators", long_, "--reference", ref_s, "-o", a)
    r2 = run("map", "indicators", long_, "--reference", ref_p, "-o", b)
    ok(r1.returncode == 0 and r2.returncode == 0 and open(a, "rb").read() == open(b, "rb").read(),
       "a reference in SDMX-CSV (its geo column skipped): the same table as the plain reference", r1.stderr)
    with open(ref_s, "a", encoding="utf-8") as f:
        f.write(row % ("C10", "DE", 900000))
    r = run("map", "indicators", long_, "--reference", ref_s)
    ok(r.returncode == 3 and "ref_sdmx.csv:6: column geo: DE, where line 2 has PL" in r.stderr and
       "one country's series" in r.stderr,
       "a reference SDMX-CSV of two countries: an error naming the column, both values and lines", r.stderr)

    sdmx_labels(work, sdmx, os.path.join(work, "sdmx.csv"))


def traded_base_columns(work):
    """A region without traded employment is named with the column its values came from as the
    file spells it: a wide file's year column, SDMX-CSV's OBS_VALUE, a long file's own heading."""
    xw = os.path.join(work, "traded_xw.csv")
    with open(xw, "w", encoding="utf-8") as f:
        f.write("industry,cluster,traded\nC10,food,0\nC11,drinks,1\n")
    wide = os.path.join(work, "traded_wide.tsv")
    with open(wide, "w", encoding="utf-8") as f:
        f.write("nace_r2,geo\\time\t2016 \t2015 \nC10,PL21\t5 \t3 \nC10,PL22\t7 \t1 \n"
                "C11,PL21\t4 \t2 \nC11,PL22\t0 \t0 \n")
    head = "DATAFLOW,LAST UPDATE,freq,nace_r2,indic_sb,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    row = "ESTAT:SBS_R_NUTS06_R2(1.0),22/02/24 23:00:00,A,%s,V16110,%s,2015,%s,\n"
    sdmx = os.path.join(work, "traded_sdmx.csv")
    with open(sdmx, "w", encoding="utf-8") as f:
        f.write(head + "".join(row % c for c in (("C10", "PL21", 3), ("C10", "PL22", 1),
                                                  ("C11", "PL21", 2), ("C11", "PL22", 0))))
    long_ = os.path.join(work, "traded_long.csv")
    with open(long_, "w", encoding="utf-8") as f:
        f.write("region,industry,year,Employment\nPL21,C10,2015,3\nPL22,C10,2015,1\n"
                "PL21,C11,2015,2\nPL22,C11,2015,0\n")
    for path, col in ((wide, "2015"), (sdmx, "OBS_VALUE"), (long_, "Employment")):
        r = run("map", "indicators", path, "--crosswalk", xw, "--base", "traded", "--year", "2015",
                "-o", os.path.join(work, "traded_out.csv"))
        name = os.path.basename(path)
        ok(r.returncode == 3 and ("column %s: region PL22 has no traded employment in 2015" % col) in r.stderr
           and "column employment" not in r.stderr and name in r.stderr,
           "no traded employment in %s: the message names column %s as the file spells it" % (name, col),
           r.stderr)
        ok(not os.path.exists(os.path.join(work, "traded_out.csv")), "%s: no result file written" % name)

    # flags as docs/MAPPING.md lists them, in any case; an industry no row marks is not traded
    flags = os.path.join(work, "traded_flags.csv")
    with open(flags, "w", encoding="utf-8") as f:
        f.write("region,industry,employment,traded\nA,x,5,Traded\nA,y,3,\nA,z,2,LOCAL\n"
                "B,x,4,TAK\nB,y,6,\nB,z,2,nie\n")
    r = run("map", "indicators", flags, "--base", "traded")
    rows = {(x["region"], x["industry"]): x for x in csv.DictReader(io.StringIO(r.stdout))} if r.returncode == 0 else {}
    ok(rows and rows[("A", "x")]["lq"] == "1" and rows[("A", "y")]["lq"] == "" and rows[("A", "z")]["lq"] == ""
       and rows[("B", "y")]["stars"] == "", "traded flags in any case; an industry without one is not in the traded base",
       r.stdout + r.stderr)


def bdl_export(work):
    """Statistics Poland's Local Data Bank (BDL) export in the vertical layout, with a BOM, quotes,
    CRLF, the ';' ending each line, decimal commas and the totals BDL adds (the nation, ogółem):
    the same table as the long file of the same cells, plus the names it gives."""
    long_ = os.path.join(DATA, "sdmx_sbs_long.csv")
    with open(long_, encoding="utf-8") as f:
        cells = list(csv.DictReader(f))
    bdl = os.path.join(work, "bdl_export.csv")
    head = '"Kod";"Nazwa";"Działy PKD 2007";"Rok";"Wartosc";"Jednostka miary";"Atrybut";\r\n'
    line = '"%s";"%s";"%s";"%s";"%s";"osoba";"";\r\n'
    out = [head, line % ("000000000000", "POLSKA", "ogółem", "2015", "999999")]
    for c in cells:
        v = c["employment"].strip().replace(".", ",")
        out.append(line % (c["region"], "REGION " + c["region"], c["industry"], c["year"], v or "."))
    for reg in sorted({c["region"] for c in cells}):
        out.append(line % (reg, "REGION " + reg, "ogółem", "2015", "1"))
    with open(bdl, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + "".join(out))
    a, b = os.path.join(work, "bdl_table.csv"), os.path.join(work, "bdl_long.csv")
    r1 = run("map", "indicators", bdl, "-o", a)
    r2 = run("map", "indicators", long_, "-o", b)

    def table(path, drop):
        with open(path, encoding="utf-8") as f:
            return [{k: v for k, v in row.items() if k not in drop} for row in csv.DictReader(f)]
    same = r1.returncode == 0 and r2.returncode == 0 and \
        table(a, ("region_name",)) == table(b, ("region_name",))
    ok(same and "17 rows of totals skipped" in r1.stderr,
       "a BDL export (totals skipped and told): the same indicators as the long file of its cells", r1.stderr)
    names = table(a, ()) if r1.returncode == 0 else []
    ok(names and names[0]["region_name"] == "REGION " + names[0]["region"],
       "a BDL export names its regions from Nazwa", names[:1])
    map_bin = os.environ.get("KLASTER_MAP_BIN") or os.path.join(os.path.dirname(BIN), "klaster-map")
    r = subprocess.run([map_bin, "indicators", bdl, "-o", os.path.join(work, "bdl-map.csv")],
                       cwd=ROOT, capture_output=True, text=True)
    ok(r.returncode == 0 and open(os.path.join(work, "bdl-map.csv"), "rb").read() == open(a, "rb").read(),
       "a BDL export through klaster-map: the same table", r.stderr)
    r = subprocess.run([map_bin, "map", "indicators", bdl, "-o", os.path.join(work, "bdl-map2.csv")],
                       cwd=ROOT, capture_output=True, text=True)
    ok(r.returncode == 0 and open(os.path.join(work, "bdl-map2.csv"), "rb").read() == open(a, "rb").read(),
       "klaster-map map indicators … (the word map as klaster takes it): the same table", r.stderr)
    # the nation's rows (POLSKA) are the reference economy: an export of two voivodeships is compared
    # with Poland, not with the two; LQ checked by hand
    part = os.path.join(work, "bdl_two_regions.csv")
    with open(part, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD 2007;Rok;Wartosc;Jednostka miary;Atrybut;\n"
                "000000000000;POLSKA;sekcja A;2021;1000;osoba;;\n000000000000;POLSKA;sekcja C;2021;9000;osoba;;\n"
                "011200000000;MAŁOPOLSKIE;sekcja A;2021;100;osoba;;\n011200000000;MAŁOPOLSKIE;sekcja C;2021;50;osoba;;\n"
                "012400000000;ŚLĄSKIE;sekcja A;2021;30;osoba;;\n012400000000;ŚLĄSKIE;sekcja C;2021;900;osoba;;\n")
    r = run("map", "indicators", part)
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    lq = {(x["region"], x["industry"]): float(x["lq"]) for x in rows}
    ok(r.returncode == 0 and close(lq.get(("12", "A"), 0), (100 / 150) / (1000 / 10000), 1e-9)
       and close(lq.get(("24", "C"), 0), (900 / 930) / (9000 / 10000), 1e-9)
       and "2 rows of the nation (a Kod of zeros) are the reference economy" in r.stderr,
       "a BDL export's POLSKA rows are the reference economy (LQ against Poland, by hand)", (lq, r.stderr))
    # the nation's rows leave F unknown in 2021: the notice names the BDL file, whose rows are the reference
    rf = run("map", "indicators", os.path.join(DATA, "bdl.csv"), "--skip-invalid", "--year", "2021")
    ok(rf.returncode == 0 and os.path.join(DATA, "bdl.csv") + ": the reference economy leaves 1 industry-year "
       "of the data unknown (first: F in 2021)" in rf.stderr,
       "an industry the BDL nation's rows leave unknown: the notice names the BDL file", rf.stderr)
    # nation's rows whose every value is unknown: said in BDL's signs ('.', 'x'), not ':' or a flag alone,
    # and the way out is to leave those rows out, not --reference
    unknown = os.path.join(work, "bdl_unknown_nation.csv")
    with open(unknown, "w", encoding="utf-8") as f:
        f.write(open(part, encoding="utf-8").read().replace(";1000;", ";.;").replace(";9000;", ";x;"))
    ru = run("map", "indicators", unknown)
    ok(ru.returncode == 3 and "bdl_unknown_nation.csv: the reference economy has no known value for any industry "
       "of the data in 2021: it gives each as unknown ('.' or 'x', BDL's signs of no data, or with --crosswalk a "
       "code of the cluster so or not at all; first: A, line 2)" in ru.stderr and "':'" not in ru.stderr
       and "leave the nation's rows (a Kod of zeros) out" in ru.stderr and "--reference" not in ru.stderr,
       "a BDL file's nation's rows all unknown: the message in BDL's signs", ru.stderr)
    # a ';' --reference file gives its unknown values in GUS's signs too ('.', 'x'): the message names them
    semi_data = os.path.join(work, "semi_data.csv")
    semi_ref = os.path.join(work, "semi_ref_unknown.csv")
    with open(semi_data, "w", encoding="utf-8") as f:
        f.write("region;industry;year;employment\n02;C10;2020;5\n04;C10;2020;7\n02;C11;2020;3\n04;C11;2020;9\n")
    with open(semi_ref, "w", encoding="utf-8") as f:
        f.write("industry;year;employment\nC10;2020;x\nC11;2020;.\n")
    rs = run("map", "indicators", semi_data, "--reference", semi_ref)
    ok(rs.returncode == 3 and "semi_ref_unknown.csv: the reference economy has no known value for any industry of "
       "the data in 2020: it gives each as unknown (':', '.' or 'x', Statistics Poland's signs of no data, or a flag "
       "alone, or with --crosswalk" in rs.stderr and "leave --reference out" in rs.stderr,
       "a ';' reference whose every value is '.' or 'x': the message names those signs", rs.stderr)
    ok("4 rows: the BDL unit codes are read as TERYT codes" in r.stderr and
       {x["region"]: x["region_name"] for x in rows} == {"12": "małopolskie", "24": "śląskie"},
       "BDL's voivodeship codes are read as their TERYT codes (12, 24), named from Nazwa", r.stderr)
    # the same export saved by a spreadsheet, which read Kod as a number: 11 digits, no leading zero
    with open(part, encoding="utf-8") as f:
        lost = re.sub(r"^0(\d{11});", r"\1;", f.read(), flags=re.M)
    part11 = os.path.join(work, "bdl_two_regions_11.csv")
    with open(part11, "w", encoding="utf-8") as f:
        f.write(lost)
    r11 = run("map", "indicators", part11)
    ok(r11.returncode == 0 and r.returncode == 0 and r11.stdout == r.stdout and
       "6 rows: a Kod of 11 digits (first: 00000000000) lost its leading zero" in r11.stderr and
       "(first: 011200000000 is 12)" in r11.stderr,
       "a BDL export whose codes lost their leading zero in a spreadsheet: the same table, and said", r11.stderr)
    # a nation's total rounded on its own (10,0 thousand over 5,04 + 4,98): within the rounding of the
    # values, accepted; LQ against it by hand. 9,9 is further off than rounding makes: refused
    rounded = os.path.join(work, "bdl_rounded.csv")
    body = ("Kod;Nazwa;Sekcje PKD 2007;Rok;Wartosc;Jednostka miary;Atrybut;\n"
            "000000000000;POLSKA;sekcja C;2022;%s;tys. osób;;\n000000000000;POLSKA;sekcja G;2022;20,0;tys. osób;;\n"
            "011200000000;MAŁOPOLSKIE;sekcja C;2022;5,04;tys. osób;;\n012400000000;ŚLĄSKIE;sekcja C;2022;4,98;tys. osób;;\n"
            "011200000000;MAŁOPOLSKIE;sekcja G;2022;5;tys. osób;;\n012400000000;ŚLĄSKIE;sekcja G;2022;6;tys. osób;;\n")
    with open(rounded, "w", encoding="utf-8") as f:
        f.write(body % "10,0")
    rr = run("map", "indicators", rounded)
    lq = {(x["region"], x["industry"]): float(x["lq"]) for x in rows_of(rr.stdout)} if rr.returncode == 0 else {}
    ok(rr.returncode == 0 and close(lq.get(("12", "C"), 0), (5.04 / 10.04) / (10 / 30), 1e-9),
       "a nation's total rounded on its own, a little below its regions' sum: accepted (LQ by hand)", rr.stderr)
    with open(rounded, "w", encoding="utf-8") as f:
        f.write(body % "9,4")
    rr = run("map", "indicators", rounded)
    ok(rr.returncode == 3 and "less than the 10.02 of the data's regions, by more than the rounding" in rr.stderr
       and "leaving the nation's rows or --reference out" in rr.stderr,
       "  further below than rounding explains: refused, saying how to compare with the regions' sum", rr.stderr)
    with open(rounded, "w", encoding="utf-8") as f:
        f.write(body.replace("5,04", "5").replace("4,98", "5") % "9")
    rr = run("map", "indicators", rounded)
    ok(rr.returncode == 3 and "has 9, less than the 10 of the data's regions" in rr.stderr,
       "  whole counts (a register) must add up exactly: 9 below 5 + 5 is refused", rr.stderr)
    mixed = os.path.join(work, "bdl_levels_11.csv")
    with open(mixed, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD 2007;Rok;Wartosc;Jednostka miary;Atrybut;\n"
                "11200000000;MAŁOPOLSKIE;sekcja C;2022;400;osoba;;\n11211206000;Powiat krakowski;sekcja C;2022;90;osoba;;\n")
    r11 = run("map", "indicators", mixed)
    ok(r11.returncode == 3 and "units of two levels" in r11.stderr,
       "  and two levels are still refused in such a file (not counted twice)", (r11.returncode, r11.stderr))
    svg = os.path.join(work, "bdl.svg")
    r = run("map", "draw", part, "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
            "--industry", "A", "-o", svg)
    ok(r.returncode == 0 and os.path.exists(svg), "a BDL export is drawn on the shipped voivodeships", r.stderr)
    pow_ = os.path.join(work, "bdl_powiats.csv")
    with open(pow_, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD 2007;Rok;Wartosc\n030210564000;Powiat m. Wrocław;sekcja C;2021;10\n"
                "030210564011;Wrocław (gmina);sekcja C;2021;10\n")
    r = run("map", "indicators", pow_)
    ok(r.returncode == 3 and "two levels" in r.stderr, "a powiat and its gmina in one BDL export: two levels", r.stderr)
    with open(pow_, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD 2007;Rok;Wartosc\n030210564000;Powiat m. Wrocław;sekcja C;2021;10\n"
                "030210564000;Powiat m. Wrocław;sekcja F;2021;4\n030210501000;bolesławiecki;sekcja C;2021;3\n"
                "030210501000;bolesławiecki;sekcja F;2021;5\n")
    r = run("map", "indicators", pow_)
    ok(r.returncode == 0 and {x["region"] for x in rows_of(r.stdout)} == {"0264", "0201"},
       "BDL's powiat codes are read as their 4-digit TERYT codes (0264 Wrocław, 0201 bolesławiecki)", r.stderr)
    mixed = os.path.join(work, "bdl_levels.csv")
    with open(mixed, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD 2007;Rok;Wartosc;\n011200000000;MAŁOPOLSKIE;sekcja A;2021;100;\n"
                "011212000000;POWIAT;sekcja A;2021;40;\n")
    r = run("map", "indicators", mixed, "-o", os.path.join(work, "bdl_levels_out.csv"))
    ok(r.returncode == 3 and "bdl_levels.csv:3: column Kod: the file holds units of two levels" in r.stderr
       and not os.path.exists(os.path.join(work, "bdl_levels_out.csv")),
       "a BDL export of two levels of units: an error naming both, no result file", r.stderr)
    # the level filters come first: --region-length keeps one level of such an export
    r = run("map", "indicators", mixed, "--region-length", "2")
    ok(r.returncode == 0 and {x["region"] for x in rows_of(r.stdout)} == {"12"}
       and "1 row left out by the region and industry filters" in r.stderr,
       "a BDL export of two levels, --region-length 2: the voivodeship kept, its powiat left out", r.stderr)
    r = run("map", "indicators", mixed, "--region-length", "12")
    ok(r.returncode == 0 and {x["region"] for x in rows_of(r.stdout)} == {"011212000000"},
       "a BDL export of two levels, --region-length 12: the subregion kept (no TERYT code: BDL's)", r.stderr)
    # one region compared with itself is said; labels with spaces are no levels of a classification
    one = os.path.join(work, "one_region.csv")
    with open(one, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD;Rok;Wartosc\n0200000000;A;przemysł;2021;5\n"
                "0200000000;A;przemysł i budownictwo;2021;8\n")
    r = run("map", "indicators", one)
    ok(r.returncode == 0 and "one region: compared with itself, its location quotients are all 1" in r.stderr
       and "the start of a longer one" not in r.stderr,
       "one region: a notice that its LQs are 1; labels are not taken for levels of codes", r.stderr)
    # a decimal comma in a comma-separated file: the message says how to write it
    cm = os.path.join(work, "comma.csv")
    with open(cm, "w", encoding="utf-8") as f:
        f.write('region,industry,employment\n02,C,"100,5"\n')
    r = run("map", "indicators", cm)
    ok(r.returncode == 3 and "write a point (100.5)" in r.stderr, "a decimal comma in a ',' file: write a point",
       r.stderr)
    # two dimensions, one of them not held to one value: an error naming both values and lines
    two = os.path.join(work, "bdl_two.csv")
    with open(two, "w", encoding="utf-8") as f:
        f.write("Kod;Nazwa;Sekcje PKD;Płeć;Rok;Wartosc;\n02;A;sekcja C;ogółem;2022;5;\n"
                "02;A;sekcja F;mężczyźni;2022;3;\n")
    r = run("map", "indicators", two, "-o", os.path.join(work, "bdl_two_out.csv"))
    ok(r.returncode == 3 and "bdl_two.csv:3: column Płeć: mężczyźni here but ogółem at line 2" in r.stderr
       and not os.path.exists(os.path.join(work, "bdl_two_out.csv")),
       "a BDL export mixing two values of a dimension: an error naming them, no result file", r.stderr)


def sdmx_labels(work, sdmx, ref_table):
    """SDMX-CSV 2.0 "with labels": each column followed by its labels, headed by the concept's
    name; the labels of geo and nace_r2 become the region and industry names."""
    import csv as csvmod
    rows = list(csvmod.DictReader(open(sdmx, encoding="utf-8")))
    names = {"geo": "Geopolitical entity (reporting)", "TIME_PERIOD": "Time", "OBS_VALUE": "Observation value",
             "freq": "Time frequency", "indic_sb": "Economical indicator for structural business statistics",
             "nace_r2": "Statistical classification of economic activities in the European Community (NACE Rev. 2)",
             "OBS_FLAG": "Observation status (Flag) V2 structure", "CONF_STATUS": "Confidentiality status (flag)"}
    order = ["freq", "nace_r2", "indic_sb", "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"]
    lab = os.path.join(work, "sdmx_labels.csv")
    with open(lab, "w", encoding="utf-8", newline="") as f:
        w = csvmod.writer(f, lineterminator="\n")
        head = ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME"]
        for c in order:
            head += [c, names[c]]
        w.writerow(head)
        for x in rows:
            out = ["dataflow", "ESTAT:SBS_R_NUTS06_R2(1.0)", "SBS data by NUTS 2 regions, NACE Rev. 2"]
            label = {"geo": "Region " + x["geo"] + ", spółka", "nace_r2": "Industry " + x["nace_r2"],
                     "freq": "Annual", "indic_sb": "Persons employed - number", "TIME_PERIOD": x["TIME_PERIOD"],
                     "OBS_VALUE": x["OBS_VALUE"], "OBS_FLAG": "confidential" if x["OBS_FLAG"] else "",
                     "CONF_STATUS": ""}
            for c in order:
                out += [x.get(c, ""), label[c]]
            w.writerow(out)
    got = os.path.join(work, "sdmx_labels_out.csv")
    r = run("map", "indicators", lab, "-o", got)

    def without_names(path):
        t = list(csvmod.DictReader(open(path, encoding="utf-8")))
        return [{k: v for k, v in row.items() if not k.endswith("_name")} for row in t], t
    plain, _ = without_names(ref_table) if os.path.exists(ref_table) else ([], [])
    mine, full = without_names(got) if r.returncode == 0 else ([], [])
    ok(r.returncode == 0 and mine == plain and plain and
       all(x["region_name"] == "Region %s, spółka" % x["region"] and x["industry_name"] == "Industry " +
           x["industry"] for x in full),
       "SDMX-CSV 2.0 with labels: the same table, the labels of geo and nace_r2 as names", r.stderr)
    lines = open(lab, encoding="utf-8").read().splitlines()
    bad = os.path.join(work, "sdmx_labels_two.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("\n".join(lines + [lines[1].replace("V16110", "V11210")]) + "\n")
    r = run("map", "indicators", bad)
    ok(r.returncode == 3 and "column indic_sb: V11210, where line 2 has V16110" in r.stderr,
       "with labels too, two indicators are an error naming the column", r.stderr)
    odd = os.path.join(work, "sdmx_labels_odd.csv")
    with open(odd, "w", encoding="utf-8") as f:
        f.write("\n".join([lines[0] + ",remarks,more"] + [x + ",," for x in lines[1:3]]) + "\n")
    r = run("map", "indicators", odd)
    ok(r.returncode == 3 and 'unknown column "remarks"' in r.stderr,
       "with labels, a column after a label column is still an unknown column", r.stderr)
    # a plain SDMX-CSV with another column after OBS_VALUE is not taken for one with labels:
    # SDMX ids have no spaces, a concept's name ("Observation value") has
    plain = os.path.join(work, "sdmx_obs_status.csv")
    src = open(sdmx, encoding="utf-8").read().splitlines()
    with open(plain, "w", encoding="utf-8") as f:
        f.write("\n".join([src[0] + ",OBS_STATUS"] + [x + "," for x in src[1:3]]) + "\n")
    r = run("map", "indicators", plain)
    ok(r.returncode == 3 and 'unknown column "OBS_STATUS"' in r.stderr,
       "plain SDMX-CSV with an unknown column after OBS_VALUE: still an unknown column", r.stderr)
    # a label headed like a column the file has already ("Industry" after nace_r2) is a label
    alias = os.path.join(work, "sdmx_labels_alias.csv")
    with open(alias, "w", encoding="utf-8") as f:
        f.write("\n".join([lines[0].replace(names["nace_r2"], "Industry")] + lines[1:]) + "\n")
    r = run("map", "indicators", alias, "-o", os.path.join(work, "alias_out.csv"))
    ok(r.returncode == 0, "a label headed 'Industry' after nace_r2: read as the industry's labels", r.stderr)
    # a reference downloaded the same way
    refl = os.path.join(work, "ref_labels.csv")
    with open(refl, "w", encoding="utf-8") as f:
        f.write("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,nace_r2,NACE,geo,Geopolitical entity (reporting),"
                "TIME_PERIOD,Time,OBS_VALUE,Observation value\n")
        for ind, v in (("C10", 480000), ("C16", 160000), ("C29", 210000), ("C31", 190000)):
            f.write("dataflow,ESTAT:SBS_NA_IND_R2(1.0),SBS,%s,Industry %s,PL,Poland,2015,2015,%d,%d\n"
                    % (ind, ind, v, v))
    long_ = os.path.join(DATA, "sdmx_sbs_long.csv")
    a, b = os.path.join(work, "ref_labels_out.csv"), os.path.join(work, "ref_plain_out.csv")
    r1 = run("map", "indicators", long_, "--reference", refl, "-o", a)
    r2 = run("map", "indicators", long_, "--reference", os.path.join(work, "ref_plain.csv"), "-o", b)
    ok(r1.returncode == 0 and r2.returncode == 0 and open(a, "rb").read() == open(b, "rb").read(),
       "a reference in SDMX-CSV 2.0 with labels: the same table as the plain reference", r1.stderr + r2.stderr)


def run_klaster_tty(*args, cols=0):
    """klaster ARGS with its standard error on a terminal (tap.run_tty)."""
    return run_tty([BIN, *args], cols=cols)


def progress_lines(work):
    """A progress line on a terminal for long inputs: statistics, firm lists and DBSCAN; none when
    standard error is not a terminal."""
    rnd = random.Random(7)
    stats = os.path.join(work, "progress_stats.csv")
    with open(stats, "w") as f:
        f.write("region,industry,employment\n")
        for i in range(120000):
            f.write("%02d,C%02d,%d\n" % (2 + 2 * rnd.randrange(16), 10 + rnd.randrange(20), 1 + rnd.randrange(50)))
    code, text = run_klaster_tty("map", "indicators", stats, "--sum", "-o", os.path.join(work, "progress_out.csv"))
    ok(code == 0 and "progress_stats.csv [####################] 100% 120000 rows" in text,
       "map indicators on a terminal: a progress line ending at 100%", text[-300:])
    # a long path on a narrow terminal: the line shows the name's end after "...", so that a
    # redraw (a carriage return, to the start of the row the cursor is on) never leaves a row behind
    deep = os.path.join(work, "a-directory-with-a-long-name-" * 3)
    os.makedirs(deep, exist_ok=True)
    shutil.copyfile(stats, os.path.join(deep, "progress_stats.csv"))
    code, text = run_klaster_tty("map", "indicators", os.path.join(deep, "progress_stats.csv"), "--sum", "-o",
                         os.path.join(work, "progress_out.csv"), cols=80)
    drawn = [x for x in text.replace("\r\n", "\n").replace("\n", "\r").split("\r") if "[" in x]
    ok(code == 0 and drawn and all(len(x) < 80 for x in drawn) and
       drawn[-1].startswith("...-a-long-name-/progress_stats.csv [####################] 100% 120000 rows"),
       "a long path on a terminal of 80 columns: each progress line narrower, the path's end shown",
       drawn)
    # a name holding ESC, BEL, CR and a newline is drawn escaped, and fitted in columns: on 80 of
    # them the line leaves 35 to the name, "..." and the last 32 characters of the escaped name
    # (Polish letters take two bytes and one column each)
    evil = "łódź-\x1b[2J\x07\r\n-żółw-" * 3 + "stats.csv"
    shown = evil.replace("\x1b", "\\x1B").replace("\x07", "\\x07").replace("\r", "\\r").replace("\n", "\\n")
    shutil.copyfile(stats, os.path.join(work, evil))
    code, text = run_klaster_tty("map", "indicators", os.path.join(work, evil), "--sum", "-o",
                         os.path.join(work, "progress_out.csv"), cols=80)
    drawn = [x for x in text.replace("\r\n", "\n").replace("\n", "\r").split("\r") if " [#" in x or " [." in x]
    ok(code == 0 and "\x1b" not in text and "\x07" not in text and drawn and all(len(x) < 80 for x in drawn) and
       drawn[-1].startswith("..." + shown[-32:] + " [####################] 100% 120000 rows") and
       (shown + ": 120000 rows") in text,
       "a name with control characters on a terminal: escaped, its end fitted in columns", drawn)
    firms = os.path.join(work, "progress_firms.csv")
    with open(firms, "w") as f:
        f.write("id,name,industry,lat,lon\n")
        for i in range(110000):
            f.write("F%06d,Firm number %d,C%02d,%.5f,%.5f\n" % (i, i, 10 + i % 20, 49.5 + 5 * rnd.random(),
                                                              14.5 + 9 * rnd.random()))
    code, text = run_klaster_tty("map", "spatial", firms, "--eps", "2000", "-o", os.path.join(work, "progress_db.csv"))
    ok(code == 0 and "progress_firms.csv [####################] 100% 110000 rows" in text and
       "DBSCAN [####################] 100% 110000 points" in text,
       "map spatial on a terminal: progress lines for reading and for DBSCAN", text[-400:])
    r = run("map", "spatial", firms, "--eps", "2000", "-o", os.path.join(work, "progress_db.csv"))
    ok(r.returncode == 0 and "[#" not in r.stderr, "no progress line when standard error is not a terminal",
       r.stderr[-300:])
    interrupted(work, firms)


def interrupted(work, firms):
    """A run stopped by SIGTERM while it writes its result removes its temporary file and leaves
    the previous result as it was.  The result (a grid of about 660,000 cells) takes a while to
    write; the test waits until the temporary file appears, however long that takes.  On a busy
    machine the run may finish before the signal reaches it (this process was not scheduled in
    time): such a round says nothing and is run again, up to five times."""
    import signal
    import time
    out = os.path.join(work, "grid.csv")
    # SIGPIPE too: a run whose notices go to a pipe that was closed (`2>&1 | head -1`)
    for sig in (signal.SIGTERM, signal.SIGPIPE):
        for attempt in range(5):
            with open(out, "w") as f:
                f.write("previous\n")
            p = subprocess.Popen([BIN, "map", "hotspots", firms, "--cell", "600", "-o", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            tmp = "%s.tmp%d" % (out, p.pid)
            while p.poll() is None and not os.path.exists(tmp):
                time.sleep(0.001)
            seen = p.poll() is None
            p.send_signal(sig)
            code = p.wait(timeout=300)
            if code != 0:
                break
        ok(seen and code == -sig and not os.path.exists(tmp) and open(out).read() == "previous\n",
           "%s while writing: the temporary file is removed, the previous result kept" % sig.name,
           (seen, code, os.path.exists(tmp)))
        if os.path.exists(tmp):
            os.unlink(tmp)


def firm_lists(work):
    """--format firms: a firm is one establishment, a region x industry without firms is 0, the
    region may come from the boundaries, ids are unique, coordinates are checked, and
    `indices --base industry` adds the Ellison-Glaeser index, computed here from its definition
    (Ellison and Glaeser 1997, eq. 5: G = sum_j (s_j - x_j)^2, H = sum_k z_k^2,
    gamma = (G - (1 - sum x_j^2) H) / ((1 - sum x_j^2)(1 - H)))."""
    # five cities well inside their voivodeships (TERYT codes), one firm outside Poland
    cities = {"14": (52.23, 21.01), "12": (50.06, 19.94), "22": (54.35, 18.65), "30": (52.41, 16.93),
              "02": (51.11, 17.03)}
    firms = [("f1", "14", "C26", 120), ("f2", "14", "C26", 30), ("f3", "12", "C26", 50),
             ("f4", "22", "C10", 200), ("f5", "30", "C10", 10), ("f6", "02", "C10", 40),
             ("f7", "14", "C10", 60), ("f8", "12", "C27", 5)]
    placed = os.path.join(work, "firms_placed.csv")
    with open(placed, "w") as f:
        f.write("id,name,industry,lat,lon,employment\n")
        for fid, reg, ind, emp in firms:
            lat, lon = cities[reg]
            f.write("%s,Firm %s,%s,%s,%s,%d\n" % (fid, fid, ind, lat, lon, emp))
        f.write("f9,Berlin,C26,52.52,13.40,7\n")
    coded = os.path.join(work, "firms_coded.csv")
    with open(coded, "w") as f:
        f.write("id,industry,region,employment\n")
        for fid, reg, ind, emp in firms:
            f.write("%s,%s,%s,%d\n" % (fid, ind, reg, emp))
    bounds = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    unknown = os.path.join(work, "firms_unknown.csv")
    with open(unknown, "w") as f:
        f.write("id,industry,region,employment\nu1,C26,14,10\nu2,C26,12,NA\nu3,C10,14,\nu4,C10,12,5\n")
    r = run("map", "indicators", unknown, "--format", "firms")
    rows = {(x["region"], x["industry"]): x for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    ok(rows and "(some cells missing)" not in r.stderr and
       "firms_unknown.csv: 2 firms of unknown size (first on line 3): counted as establishments, without "
       "employment" in r.stderr and rows[("12", "C26")]["employment"] == "0" and
       rows[("12", "C26")]["establishments"] == "1",
       "firms of unknown size: a notice, no cell missing (12 C26: 0 employed, 1 establishment)", r.stderr)
    named = os.path.join(work, "firms_named.csv")
    with open(named, "w", encoding="utf-8") as f:
        f.write("id,name,industry,industry_name,lat,lon,employment,region,region_name\n"
                "f1,A,C26,Computers,52.2,21.0,10,14,Mazowieckie\nf2,B,C26,Computers,50.0,19.9,5,12,Ma\u0142opolskie\n"
                "f3,C,C10,Food,50.1,19.8,7,12,Ma\u0142opolskie\n")
    r = run("map", "indicators", named, "--format", "firms")
    rows = {(x["region"], x["industry"]): x for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    ok(rows and rows[("12", "C10")]["region_name"] == "Ma\u0142opolskie" and
       rows[("14", "C10")]["region_name"] == "Mazowieckie" and rows[("14", "C10")]["industry_name"] == "Food" and
       rows[("12", "C26")]["industry_name"] == "Computers" and rows[("12", "C26")]["employment"] == "5",
       "a firm list with region_name and industry_name columns: the names in the table", r.stderr)
    nameless = os.path.join(work, "firms_region_name_only.csv")
    with open(nameless, "w", encoding="utf-8") as f:
        f.write("id,industry,lat,lon,region_name\nf1,C26,52.2,21.0,Mazowieckie\n")
    r = run("map", "indicators", nameless, "--format", "firms", "--boundaries",
            os.path.join(ROOT, "data", "reference", "voivodeships.geojson"))
    ok(r.returncode == 3 and "firms_region_name_only.csv:1: column region_name" in r.stderr,
       "region_name without a region column (the boundaries place the firms): an error, not dropped", r.stderr)
    r1 = run("map", "indicators", placed, "--format", "firms", "--boundaries", bounds)
    r2 = run("map", "indicators", coded, "--format", "firms")
    ok(r1.returncode == 0 and r1.stdout == r2.stdout and "1 firm outside every region" in r1.stderr and
       "line 10" in r1.stderr, "firms placed by --boundaries: the same table as with a region column, "
       "the firm in Berlin skipped and counted", (r1.stderr, r2.stderr))
    rows = {(x["region"], x["industry"]): x for x in rows_of(r2.stdout)} if r2.returncode == 0 else {}
    ok(rows.get(("14", "C26"), {}).get("establishments") == "2" and rows.get(("14", "C26"), {}).get("employment") == "150",
       "a firm is one establishment: 2 firms, 150 employed", rows.get(("14", "C26")))
    ok(rows.get(("22", "C26"), {}).get("employment") == "0" and rows.get(("22", "C26"), {}).get("lq") == "0",
       "a region x industry without firms is 0, not missing", rows.get(("22", "C26")))
    # the Ellison-Glaeser index from the definition
    r = run("map", "indices", coded, "--format", "firms", "--base", "industry")
    got = {x["industry"]: x for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    tot = {}
    for _, reg, _, emp in firms:
        tot[reg] = tot.get(reg, 0) + emp
    T = sum(tot.values())
    x = {j: v / T for j, v in tot.items()}
    bad = []
    for ind in ("C26", "C10", "C27"):
        plants = [(reg, emp) for _, reg, i, emp in firms if i == ind]
        E = sum(e for _, e in plants)
        s_j = {j: sum(e for rr, e in plants if rr == j) / E for j in tot}
        G = sum((s_j[j] - x[j]) ** 2 for j in tot)
        H = sum((e / E) ** 2 for _, e in plants)
        sx2 = sum(v * v for v in x.values())
        gamma = (G - (1 - sx2) * H) / ((1 - sx2) * (1 - H)) if H < 1 else None
        g = got.get(ind, {})
        for name, want in (("eg_G", G), ("eg_H", H), ("eg_gamma", gamma)):
            have = g.get(name, "")
            if want is None:
                if have != "":
                    bad.append((ind, name, have, "empty"))
            elif have == "" or not close(float(have), want, 1e-8):
                bad.append((ind, name, have, want))
    ok(r.returncode == 0 and not bad, "indices --base industry on firms: Ellison-Glaeser gamma, G and H "
       "as the definition gives them (one plant: gamma empty)", (r.stderr, bad))
    r = run("map", "indices", os.path.join(DATA, "long_year.csv"), "--base", "industry")
    ok(r.returncode == 0 and all(x["eg_gamma"] == "" for x in rows_of(r.stdout)),
       "statistics without firms: the Ellison-Glaeser columns are empty", r.stderr)
    # NA coordinates: not located, as map spatial reads them
    na = os.path.join(work, "firms_na.csv")
    with open(na, "w") as f:
        f.write("id,industry,region,lat,lon,employment\nf1,C26,14,NA,NA,120\nf2,C27,12,50,19,3\n")
    r = run("map", "indicators", na, "--format", "firms")
    ok(r.returncode == 0, "a firm with lat and lon NA is read (its region given)", r.stderr)
    # bad firm lists: file, line and column, exit 3, nothing written
    cases = [
        ("id,industry,region\nA,C26,02\nB,C26,04\nA,C27,02\n", "firms.csv:4: column id: firm A is given twice (first on line 2)"),
        ("id,industry,region,lat,lon\nA,C26,02,952,17\n", "firms.csv:2: column lat: 952 is outside [-90, 90]"),
        ("id,industry,lat,lon\nA,C26,52,17\n", "firms.csv:1: the column region is missing"),
    ]
    for text, want in cases:
        path = os.path.join(work, "firms.csv")
        with open(path, "w") as f:
            f.write(text)
        out = os.path.join(work, "firms_out.csv")
        r = run("map", "indicators", path, "--format", "firms", "-o", out)
        ok(r.returncode == 3 and want in r.stderr.replace(work + "/", "") and not os.path.exists(out),
           "bad firm list: " + want.split(": ", 1)[1], r.stderr)


def output_targets(work, draw_args):
    """Where results go: a device is written in place, never replaced by a file
    (renaming a temporary file over /dev/null would, as root); a link to a file
    stays a link; an ending that names no format of the command is refused
    before anything is written; a map can go to standard output."""
    data = os.path.join(DATA, "long_year.csv")
    for cmd in (("map", "indicators", data), ("map", "draw") + tuple(draw_args)):
        r = run(*cmd, "-o", "/dev/null")
        ok(r.returncode == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode),
           "%s -o /dev/null: written, and /dev/null is still a device" % cmd[1], (r.returncode, r.stderr))
    # a device that takes no byte (a full disk): every format is an I/O error, never a success. On a
    # small map cairo's PDF writer sees no error (stdio drops the buffer it could not write, and
    # fclose then succeeds): only the stream's error flag tells
    two = os.path.join(work, "two.csv")
    with open(two, "w") as f:
        f.write("region,industry,employment\nA,X,1\nA,Y,2\nB,X,2\nB,Y,1\n")
    squares = os.path.join(work, "squares.geojson")
    with open(squares, "w") as f:
        json.dump({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": c},
             "geometry": {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]}}
            for c, x in (("A", 0), ("B", 1))]}, f)
    if os.path.exists("/dev/full"):
        for fmt in ("svg", "png", "pdf"):
            r = run("map", "draw", two, "--boundaries", squares, "--code-property", "code", "--industry", "X",
                    "--output-format", fmt, "-o", "/dev/full")
            ok(r.returncode == 1 and "cannot draw /dev/full: No space left on device" in r.stderr,
               "map draw --output-format %s -o /dev/full: exit 1, saying why (not cairo's 'error while "
               "writing')" % fmt, (r.returncode, r.stderr))
    real = os.path.join(work, "real.csv")
    link = os.path.join(work, "link.csv")
    with open(real, "w") as f:
        f.write("old\n")
    os.symlink(real, link)
    r = run("map", "indicators", data, "-o", link)
    ok(r.returncode == 0 and os.path.islink(link) and open(real).read().startswith("region,"),
       "-o through a link: the link stays, the file it names gets the table", r.stderr)
    out = os.path.join(work, "table.png")
    r = run("map", "indicators", data, "-o", out)
    ok(r.returncode == 2 and "--output-format" in r.stderr and not os.path.exists(out),
       "a table to a .png name: exit 2, names --output-format, no file", r.stderr)
    r = run("map", "indicators", data, "-o", out, "--output-format", "csv")
    ok(r.returncode == 0 and open(out).read().startswith("region,"),
       "the same with --output-format csv: written as asked", r.stderr)
    out = os.path.join(work, "map.gif")
    r = run("map", "draw", *draw_args, "-o", out)
    ok(r.returncode == 2 and ".svg, .png or .pdf" in r.stderr and not os.path.exists(out),
       "a map to a .gif name: exit 2, no file", r.stderr)
    r = subprocess.run([BIN, "map", "draw", *draw_args, "-o", "-"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    ok(r.returncode == 0 and r.stdout.startswith(b"<?xml") and b"<svg" in r.stdout and
       not os.path.exists("-"), "map draw -o -: SVG on standard output", r.stderr[-300:])
    r = subprocess.run([BIN, "map", "draw", *draw_args, "--output-format", "png", "-o", "-"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    ok(r.returncode == 0 and r.stdout.startswith(b"\x89PNG"), "map draw --output-format png -o -: PNG on standard output",
       r.stderr[-300:])
    # /dev/stdout is standard output: appended to a file it was redirected to, not renamed over it
    log = os.path.join(work, "log.txt")
    with open(log, "w") as f:
        f.write("LOG\n")
    with open(log, "a") as f:
        r = subprocess.run([BIN, "map", "indicators", data, "-o", "/dev/stdout"], stdout=f, stderr=subprocess.PIPE,
                           timeout=300)
    text = open(log).read()
    ok(r.returncode == 0 and text.startswith("LOG\nregion,"), "-o /dev/stdout into a file opened for appending: "
       "appended", text[:80])
    # a file replaced keeps its permissions
    kept = os.path.join(work, "mode.csv")
    with open(kept, "w") as f:
        f.write("old\n")
    os.chmod(kept, 0o600)
    r = run("map", "indicators", data, "-o", kept)
    ok(r.returncode == 0 and stat.S_IMODE(os.stat(kept).st_mode) == 0o600 and open(kept).read().startswith("region,"),
       "a file replaced keeps its mode (0600)", (r.stderr, oct(os.stat(kept).st_mode)))
    # XLSX cannot go to a device; a bad table ending is told before the input is read
    r = run("map", "indicators", data, "--output-format", "xlsx", "-o", "/dev/null")
    ok(r.returncode == 2 and "regular file" in r.stderr, "XLSX to a device: exit 2", r.stderr)
    r = run("map", "indicators", data, "-o", os.path.join(work, "t.png"))
    ok(r.returncode == 2 and "rows" not in r.stderr, "a table to .png is refused before the file is read", r.stderr)


PEAK_RSS = """
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.stderr.replace("\\n", " "))
"""


def peak_rss(*args, heap=False):
    """(exit code, peak resident set size in KiB, stderr) of klaster with
    args; with heap, AddressSanitizer (make sanitize) keeps no freed memory
    aside to catch its later use, so that what is measured is what the
    program holds (harmless to a build without it)."""
    env = dict(os.environ)
    if heap:
        env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS"), "quarantine_size_mb=0",
                                                   "thread_local_quarantine_size_kb=0") if x)
    r = subprocess.run([sys.executable, "-c", PEAK_RSS, BIN] + list(args), cwd=ROOT, capture_output=True, text=True,
                       timeout=600, env=env)
    code, kib, err = r.stdout.split(" ", 2)
    return int(code), int(kib), err


def bounded_memory(work):
    """The fast reader maps the file but gives back the pages it has read:
    reading a file four times as long takes about the same memory, and the
    location quotients (which do not change when every count is multiplied)
    are the same."""
    rnd = random.Random(7)
    rows = "".join("%02d,C%04d,%d,1\n" % (rnd.randrange(2, 34, 2), rnd.randrange(300), rnd.randrange(1, 400))
                   for _ in range(400000))
    small, big = os.path.join(work, "firms-1x.csv"), os.path.join(work, "firms-4x.csv")
    with open(small, "w", encoding="ascii") as f:
        f.write("region,industry,employment,establishments\n")
        for _ in range(8):
            f.write(rows)
    with open(big, "w", encoding="ascii") as f:
        f.write("region,industry,employment,establishments\n")
        for _ in range(32):
            f.write(rows)
    mib = os.path.getsize(big) / 1048576
    out1, out4 = os.path.join(work, "lq-1x.csv"), os.path.join(work, "lq-4x.csv")
    c1, k1, e1 = peak_rss("map", "indicators", small, "--sum", "-o", out1)
    c4, k4, e4 = peak_rss("map", "indicators", big, "--sum", "-o", out4)
    ok(c1 == 0 and c4 == 0 and "12800000 rows" in e4, "a %.0f MiB file and one a quarter of it are read" % mib, (e1, e4))
    ok(k4 - k1 < 48 * 1024, "reading %.0f MiB more takes %.0f MiB more memory (under 48)" % (mib * 3 / 4, (k4 - k1) / 1024),
       (k1, k4))
    lq = [{(x["region"], x["industry"]): x["lq"] for x in rows_of(open(p, encoding="utf-8").read())}
          for p in (out1, out4) if os.path.exists(p)]
    ok(len(lq) == 2 and len(lq[0]) > 4000 and lq[0] == lq[1], "and gives the same location quotients",
       len(lq[0]) if lq else 0)


def memory_per_cell(work):
    """What a cube costs: four years of 200 regions x 500 industries
    (400,000 cells) against one (100,000) take less than 200 bytes more a
    cell at their peak (the cells are held once by the reader and once by
    the cube's builder, each cut to the room it uses: 247 bytes a cell
    when they were held at the room they had grown to), and the second
    file's first year gives the first file's location quotients."""
    rnd = random.Random(11)
    vals = [rnd.randrange(1, 900) for _ in range(100000)]
    paths = []
    for years in (1, 4):
        path = os.path.join(work, "cells-%dy.csv" % years)
        with open(path, "w", encoding="ascii") as f:
            f.write("region,industry,year,employment\n")
            for y in range(years):
                f.write("".join("R%03d,I%04d,%d,%d\n" % (k // 500, k % 500, 2020 + y, vals[k] if y == 0 else
                                                          rnd.randrange(1, 900)) for k in range(100000)))
        paths.append(path)
    outs = [os.path.join(work, "cells-%d-out.csv" % k) for k in (1, 4)]
    c1, k1, e1 = peak_rss("map", "indicators", paths[0], "-o", outs[0], heap=True)
    c4, k4, e4 = peak_rss("map", "indicators", paths[1], "-o", outs[1], heap=True)
    per = (k4 - k1) * 1024 / 300000
    ok(c1 == 0 and c4 == 0, "100,000 and 400,000 cells are read", (e1, e4))
    ok(per < 200, "each of 300,000 more cells takes %.0f bytes more memory at the peak (under 200)" % per, (k1, k4))
    lq = [{(x["region"], x["industry"]): x["lq"] for x in rows_of(open(p, encoding="utf-8").read())
           if x.get("year", "2020") == "2020"} for p in outs if os.path.exists(p)]
    ok(len(lq) == 2 and len(lq[0]) == 100000 and lq[0] == lq[1], "and the same year gives the same location quotients",
       len(lq[0]) if lq else 0)


def empty_regions(work, real):
    """A region with no employment in a year (every value missing or zero):
    an error by default, left out of that year with --skip-invalid."""
    path = os.path.join(work, "extra_regio.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n"
                "PL21,C10,2015,100\nPL21,C20,2015,50\nPL22,C10,2015,80\nPL22,C20,2015,120\nPLZZ,C10,2015,\nPLZZ,C20,2015,0\n"
                "PL21,C10,2016,110\nPL21,C20,2016,60\nPL22,C10,2016,\nPL22,C20,2016,\nPLZZ,C10,2016,\nPLZZ,C20,2016,\n")
    out = os.path.join(work, "extra_regio_out.csv")
    r = run("map", "indicators", path, "-o", out)
    ok(r.returncode == 3 and "region PLZZ has zero total employment in 2015" in r.stderr and not os.path.exists(out),
       "a region with zero employment is an error naming it and the year; no file written", (r.returncode, r.stderr))
    nozero = os.path.join(work, "extra_regio_missing.csv")
    with open(path, encoding="utf-8") as f, open(nozero, "w", encoding="utf-8") as g:
        g.write(f.read().replace("PLZZ,C20,2015,0", "PLZZ,C20,2015,"))
    r = run("map", "indicators", nozero, "-o", out)
    ok(r.returncode == 3 and "region PLZZ has no employment in 2015" in r.stderr and not os.path.exists(out),
       "a region whose values are all missing is an error too", (r.returncode, r.stderr))
    r = run("map", "indicators", path, "--skip-invalid", "-o", out)
    rows = rows_of(open(out, encoding="utf-8").read()) if r.returncode == 0 and os.path.exists(out) else []
    note = [x for x in r.stderr.splitlines() if "left out of a year" in x]
    ok(r.returncode == 0 and len(note) == 1 and "3 regions left out of a year in which every value is missing or zero"
       in note[0] and "(first: PLZZ 2015, PL22 2016, PLZZ 2016)" in note[0],
       "--skip-invalid: a one-line notice with the count and the first regions", r.stderr)
    got = sorted({(x["region"], x["year"]) for x in rows})
    ok(got == [("PL21", "2015"), ("PL21", "2016"), ("PL22", "2015")],
       "  the regions are left out of those years only (PL22 stays in 2015)", got)
    lq = {(x["region"], x["year"], x["industry"]): float(x["lq"]) for x in rows}
    ok(rows and close(lq[("PL21", "2015", "C10")], (100 / 150) / (180 / 350)) and
       close(lq[("PL21", "2016", "C20")], 1.0),
       "  the LQs are those of the regions left in each year", lq)

    # the whole European file works from the command line
    out = os.path.join(work, "eu.csv")
    r = run("map", "indicators", real, "--skip-invalid", "--region-length", "4", "--industry-length", "3", "-o", out)
    rows = rows_of(open(out, encoding="utf-8").read()) if r.returncode == 0 and os.path.exists(out) else []
    regions = {x["region"] for x in rows}
    ok(r.returncode == 0 and len(regions) == 285 and "CZZZ" not in regions and "FRZZ" in regions and
       "42 regions left out of a year" in r.stderr and "first: CZZZ 2015" in r.stderr,
       "the whole Eurostat SBS file: 285 NUTS-2 regions, the 42 without employment (CZZZ …) left out",
       (r.returncode, len(regions), r.stderr[-600:]))


def change_maps(work):
    """map draw --indicator growth | regional_shift: the change between two years, each region's
    class that of its value worked out by hand (growth) or read from `map shift-share`'s column
    (regional shift), in classes diverging around 0; the period in the subtitle, the words in
    --lang; clear errors for one year, a year not in the data, --year and --base."""
    data = os.path.join(work, "change.csv")
    with open(data, "w", encoding="utf-8") as f:
        # region 06 has no employment in C in 2015: no growth rate (missing, not infinite)
        f.write("region,industry,year,employment\n"
                "02,C,2015,100\n02,G,2015,100\n04,C,2015,200\n04,G,2015,50\n06,C,2015,0\n06,G,2015,80\n"
                "02,C,2019,120\n02,G,2019,95\n04,C,2019,190\n04,G,2019,55\n06,C,2019,10\n06,G,2019,80\n"
                "02,C,2023,150\n02,G,2023,90\n04,C,2023,180\n04,G,2023,60\n06,C,2023,20\n06,G,2023,80\n")
    voiv = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    with open(voiv, encoding="utf-8") as f:
        order = [x["properties"]["teryt"] for x in json.load(f)["features"]]
    # the colours of the classes of --breaks A,0,B (cairo writes them in per cent): the dark red of
    # the farthest class below 0, the light blue of the first class from 0, the dark blue beyond
    dark_red, light_blue, dark_blue = "rgb(69.8%,9.4%,16.9%)", "rgb(82%,89.8%,94.1%)", "rgb(12.9%,40%,67.5%)"
    light_red, nodata = "rgb(99.2%,85.9%,78%)", "rgb(88%,88%,88%)"

    def fills(path):
        got = re.findall(r"fill-rule:evenodd;fill:(rgb\([^)]*\))", open(path, encoding="utf-8").read())
        return dict(zip(order, got[:len(order)]))

    def cls(v, lo, hi):
        """The colour of v with --breaks lo,hi (0 added between them; breaks begin their classes)."""
        if v is None:
            return nodata
        return dark_red if v < lo else light_red if v < 0 else light_blue if v < hi else dark_blue

    e = {(r_, i, y): float(v) for r_, i, y, v in
         (line.split(",") for line in open(data, encoding="utf-8").read().splitlines()[1:])}
    # growth by hand, from the first year to the last (the default: 2015 to 2023)
    for ind in ("C", "G"):
        want = {}
        for reg in ("02", "04", "06"):
            a, b = e[(reg, ind, "2015")], e[(reg, ind, "2023")]
            want[reg] = (b - a) / a if a else None
        out = os.path.join(work, "growth-%s.svg" % ind)
        r = run("map", "draw", data, "--boundaries", voiv, "--industry", ind, "--indicator", "growth",
                "--breaks", "-0.05,0.3", "--lang", "en", "-o", out)
        got = fills(out) if r.returncode == 0 else {}
        ok(r.returncode == 0 and all(got.get(k) == cls(v, -0.05, 0.3) for k, v in want.items()),
           "map draw --indicator growth (%s, 2015 to 2023 without --from/--to): each region in the class of its "
           "growth worked out by hand, 0 a class bound, no rate from 0 drawn as no data" % ind,
           (r.stderr, got, want))
    # --from/--to choose the years; the subtitle gives the period, the legend says growth is a fraction
    out = os.path.join(work, "growth-from.svg")
    r = run("map", "draw", data, "--boundaries", voiv, "--industry", "C", "--indicator", "growth",
            "--from", "2019", "--to", "2023", "--lang", "en", "-o", out)
    text = open(out, encoding="utf-8").read() if r.returncode == 0 else ""
    ok(r.returncode == 0 and "<desc>2019–2023" in text and "employment growth (fraction: 0.1 = +10%)" in text and
       "&lt; 0" in text,
       "--from 2019 --to 2023: the period in the subtitle, growth a fraction in the legend, 0 a class bound",
       (r.stderr, text[:300]))
    r = run("map", "draw", data, "--boundaries", voiv, "--industry", "C", "--indicator", "growth",
            "--lang", "pl", "-o", out)
    text = open(out, encoding="utf-8").read() if r.returncode == 0 else ""
    ok(r.returncode == 0 and "dynamika zatrudnienia (ułamek: 0,1 = +10%)" in text and "2015–2023" in text and
       "brak danych" in text and "employment growth" not in text,
       "--lang pl: the title, the legend and no data in Polish, the period 2015–2023", r.stderr)
    # regional shift: the column of `map shift-share`, drawn region by region
    r = run("map", "shift-share", data, "--from", "2015", "--to", "2023")
    table = {(x["region"], x["industry"]): x for x in rows_of(r.stdout)}
    bad = []
    for (reg, ind), x in table.items():
        # the regional shift is the rest of the change after the national share and the industry mix
        E0 = sum(v for k, v in e.items() if k[2] == "2015")
        E1 = sum(v for k, v in e.items() if k[2] == "2023")
        Ei0 = sum(v for k, v in e.items() if k[1] == ind and k[2] == "2015")
        Ei1 = sum(v for k, v in e.items() if k[1] == ind and k[2] == "2023")
        a, b = e[(reg, ind, "2015")], e[(reg, ind, "2023")]
        rs = (b - a) - a * (E1 - E0) / E0 - a * ((Ei1 - Ei0) / Ei0 - (E1 - E0) / E0)
        if not close(float(x["regional_shift"]), rs, 1e-6):
            bad.append((reg, ind, x["regional_shift"], rs))
    ok(r.returncode == 0 and len(table) == 6 and not bad, "the regional shift of map shift-share, by hand", bad)
    for ind in ("C", "G"):
        out = os.path.join(work, "rs-%s.svg" % ind)
        r = run("map", "draw", data, "--boundaries", voiv, "--industry", ind, "--indicator", "regional_shift",
                "--breaks", "-20,25", "-o", out)
        got = fills(out) if r.returncode == 0 else {}
        want = {reg: float(table[(reg, ind)]["regional_shift"]) for reg in ("02", "04", "06")}
        ok(r.returncode == 0 and all(got.get(k) == cls(v, -20, 25) for k, v in want.items()),
           "map draw --indicator regional_shift (%s): each region in the class of map shift-share's column" % ind,
           (r.stderr, got, want))
    # diverging quantile classes: 0 is among the bounds the legend names
    out = os.path.join(work, "rs-q.svg")
    r = run("map", "draw", data, "--boundaries", voiv, "--industry", "C", "--indicator", "regional_shift",
            "--lang", "en", "-o", out)
    text = open(out, encoding="utf-8").read() if r.returncode == 0 else ""
    ok(r.returncode == 0 and re.search(r">&lt; 0(\.0+)?<", text) and re.search(r">0(\.0+)? – &lt; ", text),
       "quantile classes of a change: '< 0' and '0 – < …' in the legend", r.stderr)
    # errors
    one = os.path.join(work, "change-one.csv")
    with open(one, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n02,C,2023,1\n04,C,2023,2\n")
    base = ["--boundaries", voiv, "--industry", "C", "-o", os.path.join(work, "x.svg")]
    for args, code, words, what in (
            ([one, "--indicator", "growth"], 3, ["change-one.csv", "two years", "one (2023)"], "data of one year"),
            ([data, "--indicator", "growth", "--from", "2016"], 3, ["--from", "2016 is not in the data",
                                                                    "2015, 2019, 2023"], "a year not in the data"),
            ([data, "--indicator", "regional_shift", "--to", "2030"], 3, ["--to", "2030", "2015, 2019, 2023"],
             "--to not in the data"),
            ([data, "--indicator", "growth", "--from", "2023", "--to", "2019"], 2, ["--from 2023 must come before"],
             "--from after --to"),
            ([data, "--indicator", "growth", "--year", "2023"], 2, ["--from", "--to", "not --year"], "--year"),
            ([data, "--indicator", "growth", "--base", "traded"], 2, ["--base does not apply"], "--base"),
            ([data, "--indicator", "lq", "--from", "2015"], 2, ["--from applies to the changes"],
             "--from with a one-year indicator"),
            ([data, "--indicator", "growth", "--classes", "3", "--breaks", "1"], 2, ["--classes"],
             "--classes with --breaks"),
            ([data, "--indicator", "growth", "--breaks", "0.1,0.2,0.3,0.4,0.5"], 2,
             ["at most 4 classes on each side of 0", "1 below and 6 from 0"], "more classes above 0 than blues")):
        r = run("map", "draw", *args, *base)
        ok(r.returncode == code and all(w in r.stderr for w in words),
           "map draw --indicator growth: %s is exit %d naming it" % (what, code), r.stderr)
    hotspots_of_change(work, voiv)


def hotspots_of_change(work, voiv):
    """map hotspots --regions --indicator growth|regional_shift: Gi* of the change
    between two years across the 16 voivodeships, its values (growth, regional
    shift) and Gi* recomputed here; the regional shift sums to 0 over the
    regions, where z must still be that of the standardised values."""
    regs = ["%02d" % k for k in range(2, 33, 2)]
    data = os.path.join(work, "change-16.csv")
    e = {}
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n")
        for k, g in enumerate(regs):
            for year in (2015, 2023):
                # the south grows (Dolny Śląsk to Podkarpacie), the rest shrinks or stays
                c = 100 + 37 * k if year == 2015 else \
                    100 + 37 * k + (120 + 5 * k if g in ("02", "12", "16", "18", "24", "26") else -30 + 3 * k)
                o = 500 + 13 * k if year == 2015 else 520 + 9 * k
                e[(g, "C", year)], e[(g, "G", year)] = c, o
                f.write("%s,C,%d,%d\n%s,G,%d,%d\n" % (g, year, c, g, year, o))
    with open(voiv, encoding="utf-8") as f:
        feats = {x["properties"]["teryt"]: x for x in json.load(f)["features"]}
    pts = [centroid(feats[g]["geometry"]) for g in regs]
    E0 = sum(v for (g, i, y), v in e.items() if y == 2015)
    E1 = sum(v for (g, i, y), v in e.items() if y == 2023)
    Ei0 = sum(e[(g, "C", 2015)] for g in regs)
    Ei1 = sum(e[(g, "C", 2023)] for g in regs)
    growth = [(e[(g, "C", 2023)] - e[(g, "C", 2015)]) / e[(g, "C", 2015)] for g in regs]
    rs = [e[(g, "C", 2015)] * (gr - (Ei1 - Ei0) / Ei0) for g, gr in zip(regs, growth)]
    ok(abs(sum(rs)) < 1e-6 and E1 != E0, "the regional shifts of C sum to 0 over the regions (by construction)")
    for ind_name, values in (("growth", growth), ("regional_shift", rs)):
        out = os.path.join(work, "hot-%s.csv" % ind_name)
        r = run("map", "hotspots", data, "--regions", voiv, "--industry", "C", "--indicator", ind_name,
                "--band", "300000", "-o", out)
        rows = rows_of(open(out, encoding="utf-8").read()) if r.returncode == 0 and os.path.exists(out) else []
        # z of the standardised values: (sum_j w_ij y_j - W_i m) / (s sqrt(W_i (n - W_i) / (n - 1)))
        n = len(values)
        m = sum(values) / n
        s = math.sqrt(sum(v * v for v in values) / n - m * m)
        bad = []
        for k, g in enumerate(regs):
            w = [1.0 if haversine(pts[k], q) <= 300000 else 0.0 for q in pts]
            W = sum(w)
            z = (sum(a * b for a, b in zip(w, values)) - W * m) / (s * math.sqrt(W * (n - W) / (n - 1)))
            x = [y for y in rows if y["region"] == g]
            if len(x) != 1 or not (close(float(x[0]["value"]), values[k], 1e-8) and abs(float(x[0]["z"]) - z) < 1e-7
                                   and abs(float(x[0]["p"]) - math.erfc(abs(z) / math.sqrt(2))) < 1e-8
                                   and x[0]["spot"] == (("hot" if z > 0 else "cold")
                                                        if math.erfc(abs(z) / math.sqrt(2)) < 0.05 else "")):
                bad.append((g, x, values[k], z))
        spots = [y["spot"] for y in rows]
        ok(r.returncode == 0 and len(rows) == 16 and not bad and any(spots) and
           "16 regions, %s of C 2015-2023, Gi*, band 300000 m" % ind_name in r.stderr,
           "map hotspots --regions --indicator %s: each voivodeship's value and z computed here (spots among them)"
           % ind_name,
           (r.stderr, bad[:3], spots))
    r = run("map", "hotspots", data, "--regions", voiv, "--industry", "C", "--indicator", "growth", "--band", "300000",
            "--from", "2015", "--to", "2023")
    r2 = run("map", "hotspots", data, "--regions", voiv, "--industry", "C", "--indicator", "growth", "--band", "300000")
    ok(r.returncode == 0 and r.stdout == r2.stdout and r.stdout, "--from and --to: the data's first and last by default",
       r.stderr)
    # a region that is neither hot nor cold: an empty CSV field, null in JSON (as the API), a blank XLSX cell
    rj = run("map", "hotspots", data, "--regions", voiv, "--industry", "C", "--indicator", "growth", "--band", "300000",
             "-o", "-", "--output-format", "json")
    js = json.loads(rj.stdout) if rj.returncode == 0 else []
    want = [x["spot"] or None for x in rows_of(r2.stdout)] if r2.returncode == 0 else []
    ok(js and [x["spot"] for x in js] == want and None in want and any(want),
       "map hotspots --regions to JSON: spot is \"hot\", \"cold\" or null, never \"\"", [x.get("spot") for x in js])
    xl = os.path.join(work, "hot-growth.xlsx")
    rx = run("map", "hotspots", data, "--regions", voiv, "--industry", "C", "--indicator", "growth", "--band", "300000",
             "-o", xl)
    sheet = ""
    if rx.returncode == 0 and zipfile.is_zipfile(xl):
        with zipfile.ZipFile(xl) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
            shared = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else ""
        # column I is spot: a cell for each hot or cold region (and the header), none for the others
        cells = re.findall(r'<c r="I\d+"', sheet)
        ok(len(cells) == 1 + sum(1 for x in want if x) and "<t></t>" not in shared and "<t/>" not in shared,
           "  in XLSX: no cell where the spot is neither (not an empty string)", (len(cells), want))
    else:
        ok(False, "  in XLSX: the workbook is written", rx.stderr)
    for args, code, words, what in (
            (["--indicator", "growth", "--year", "2023"], 2, ["--from", "--to", "not --year"], "--year with a change"),
            (["--indicator", "growth", "--base", "traded"], 2, ["--base does not apply"], "--base with a change"),
            (["--indicator", "lq", "--from", "2015"], 2, ["--from applies to the changes"], "--from with lq"),
            (["--indicator", "growth", "--from", "2016"], 3, ["--from", "2016 is not in the data"], "a year not in it"),
            (["--indicator", "growth", "--from", "2023", "--to", "2015"], 2, ["--from 2023 must come before"],
             "--from after --to")):
        r = run("map", "hotspots", data, "--regions", voiv, "--industry", "C", "--band", "300000", *args)
        ok(r.returncode == code and all(w in r.stderr for w in words),
           "map hotspots --regions: %s is exit %d naming it" % (what, code), r.stderr)


def coloured(svg_path):
    """The number of map regions drawn with a value (not the grey of "no data")."""
    if not os.path.exists(svg_path):
        return -1
    fills = re.findall(r"fill-rule:evenodd;fill:(rgb\([^)]*\))", open(svg_path, encoding="utf-8").read())
    return sum(1 for x in fills if x != "rgb(88%,88%,88%)")


def nuts2013_draw(work, real):
    """map draw --nuts2013: older NUTS-2 codes drawn as their NUTS 2021 regions."""
    eu = os.path.join(ROOT, "data", "reference", "eu_nuts2_2021_20M_4326.geojson")
    base = [real, "--skip-invalid", "--region-length", "4", "--industry-length", "3", "--boundaries", eu,
            "--code-property", "NUTS_ID", "--industry", "C29"]
    plain, nuts = os.path.join(work, "hu.svg"), os.path.join(work, "hu-nuts.svg")
    r = run("map", "draw", *base, "--region-prefix", "HU", "-o", plain)
    ok(r.returncode == 0 and coloured(plain) == 6 and "no boundary: HU10" in r.stderr and "--nuts2013 uses it" in r.stderr,
       "Hungary on NUTS 2021 without --nuts2013: HU10 has no boundary (6 regions coloured), the option is suggested",
       (coloured(plain), r.stderr))
    # NUTS codes in the data, TERYT codes in the file: --nuts2013 would not help, --code-property would
    voiv = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    pl_args = [real, "--skip-invalid", "--region-length", "4", "--industry-length", "3", "--region-prefix", "PL",
               "--industry", "C29"]
    for args in (["draw", "--boundaries", voiv, "-o", os.path.join(work, "pl-teryt.svg")],
                 ["hotspots", "--regions", voiv, "--band", "300000"]):
        r = run("map", args[0], *pl_args, *args[1:])
        ok(r.returncode == 3 and "--nuts2013" not in r.stderr and
           "the data's regions have NUTS codes (PL11), the boundaries' property teryt holds none (02): give the "
           "property that holds the NUTS codes with --code-property" in r.stderr,
           "map %s of NUTS codes on TERYT boundaries: --code-property suggested, not --nuts2013" % args[0], r.stderr)
    r = run("map", "draw", *base, "--region-prefix", "HU", "--nuts2013", "-o", nuts)
    ok(r.returncode == 0 and coloured(nuts) == 8 and "1 region of the data drawn through the NUTS 2021 correspondence "
       "(HU10 as HU11+HU12)" in r.stderr and "not drawn" not in r.stderr,
       "with --nuts2013 HU10 is drawn on HU11 and HU12 (8 regions coloured)", (coloured(nuts), r.stderr))
    fr = os.path.join(work, "fr.svg")
    r = run("map", "draw", *base[:-1], "C10", "--region-prefix", "FR", "--nuts2013", "-o", fr)
    want = {c for c, v in eurostat_c10_fr(real).items() if c in FR_2013_2021 or c == "FR10"}
    ok(r.returncode == 0 and coloured(fr) == len(want) == 22 and "21 regions of the data drawn" in r.stderr and
       "extra-regio (no territory): FRZZ" in r.stderr and "outside the map's frame: FRA1, FRA2, FRA3, FRA4" in r.stderr,
       "France with --nuts2013: the 21 regions of 2013 drawn as their 2016 regions, FRZZ and overseas France not",
       (coloured(fr), len(want), r.stderr))
    out = os.path.join(work, "no.svg")
    r = run("map", "draw", *base, "--region-prefix", "NO", "--nuts2013", "-o", out)
    ok(r.returncode == 0 and "boundaries changed (no correspondence): NO01, NO03" in r.stderr and
       "no boundary: NO04, NO05" in r.stderr and "2 of them are drawn on NUTS-3 regions that these boundaries lack: "
       "--parts" in r.stderr and coloured(out) == 3,
       "Norway on NUTS-2 boundaries only: NO01/NO03 have no correspondence, NO04/NO05 need --parts (3 coloured)",
       (r.returncode, coloured(out), r.stderr))
    parts = os.path.join(ROOT, "data", "reference", "eu_nuts3_2021_parts_20M_4326.geojson")
    r = run("map", "draw", *base, "--region-prefix", "NO", "--nuts2013", "--parts", parts, "-o", out)
    ok(r.returncode == 0 and coloured(out) == 7 and "(NO04 as NO092+NO0A1, NO05 as NO0A2+NO0A3)" in r.stderr and
       "no boundary" not in r.stderr,
       "with --parts NO04 and NO05 are drawn on their NUTS-3 counties (7 coloured), the other parts not at all",
       (r.returncode, coloured(out), r.stderr))
    out = os.path.join(work, "ie.svg")
    r = run("map", "draw", *base[:-1], "F41", "--region-prefix", "IE", "--nuts2013", "--parts", parts, "-o", out)
    ok(r.returncode == 0 and coloured(out) == 8 and "IE01 as IE041+IE042+IE063" in r.stderr,
       "Ireland's regions of 2013 on the NUTS-3 regions of 2016 (Louth drawn in IE02): 8 coloured",
       (r.returncode, coloured(out), r.stderr))
    r = run("map", "draw", *base, "--region-prefix", "IE", "--nuts2013", "--parts", eu, "-o", out)
    ok(r.returncode == 3 and "--parts: " in r.stderr and "is already in the layer" in r.stderr,
       "--parts with codes already in the boundaries: an error naming the option and the code", (r.returncode, r.stderr))
    r = run("map", "draw", *base, "--region-prefix", "IE", "--nuts2013", "--parts", parts + ".missing", "-o", out)
    ok(r.returncode != 0 and "--parts" in r.stderr, "--parts of a missing file: an error naming the option", r.stderr)
    hs = os.path.join(work, "uk-hotspots.csv")
    r = run("map", "hotspots", real, "--skip-invalid", "--region-length", "4", "--industry-length", "3", "--regions", eu,
            "--parts", parts, "--code-property", "NUTS_ID", "--nuts2013", "--industry", "C29", "--region-prefix", "UK",
            "--band", "300000", "-o", hs)
    rows = {x["region"]: x for x in rows_of(open(hs, encoding="utf-8").read())} if r.returncode == 0 else {}
    ok("UKM2" in rows and 55.5 < float(rows["UKM2"]["lat"]) < 57 and -4 < float(rows["UKM2"]["lon"]) < -2.5 and
       "UKM3" in rows and 55 < float(rows["UKM3"]["lat"]) < 56,
       "hotspots --regions --parts: UKM2 and UKM3 take part at the centroids of their NUTS-3 parts",
       (r.returncode, rows.get("UKM2"), r.stderr[-300:]))


def centroid(geom):
    """The centroid of a GeoJSON (Multi)Polygon as docs/MAPPING.md defines it
    for hot spots on regions: area-weighted over all polygons, holes taken
    away, planar in degrees, relative to the first vertex."""
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    x0, y0 = polys[0][0][0][:2]
    a2 = cx = cy = 0.0
    for poly in polys:
        for q, ring in enumerate(poly):
            ra = rx = ry = 0.0
            for j in range(len(ring)):
                xi, yi = ring[j][0] - x0, ring[j][1] - y0
                xj, yj = ring[(j + 1) % len(ring)][0] - x0, ring[(j + 1) % len(ring)][1] - y0
                cross = xi * yj - xj * yi
                ra += cross
                rx += (xi + xj) * cross
                ry += (yi + yj) * cross
            sign = 1.0 if (ra >= 0) == (q == 0) else -1.0   # outer rings add, holes take away
            a2, cx, cy = a2 + sign * ra, cx + sign * rx, cy + sign * ry
    return y0 + cy / (3 * a2), x0 + cx / (3 * a2)


def related_reference(work):
    """map relatedness --reference: RCA is the LQ against the reference economy, as
    map indicators --reference computes it, so proximity and density follow the
    reference (co-location, of the regions' shares, does not); an industry the
    reference leaves unknown has no RCA. Recomputed here from the definitions."""
    regs, inds = ["R%d" % k for k in range(6)], ["A", "B", "C", "D"]
    emp = {(g, i): 10 + (7 * k + 13 * n) % 23 + (40 if (k + n) % 3 == 0 else 0)
           for k, g in enumerate(regs) for n, i in enumerate(inds)}
    data = os.path.join(work, "rel-ref.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n")
        for (g, i), v in sorted(emp.items()):
            f.write("%s,%s,%d\n" % (g, i, v))
    refv = {"A": 2000, "B": 300, "C": 900, "D": None}     # D: not known in the reference
    ref = os.path.join(work, "rel-ref-nation.csv")
    with open(ref, "w", encoding="utf-8") as f:
        f.write("industry,employment\n" + "".join("%s,%s\n" % (i, ":" if v is None else v) for i, v in refv.items()))
    Er = {g: sum(emp[(g, i)] for i in inds) for g in regs}
    # the reference's total: each industry's value, an unknown one at the regions' own sum
    E = sum(v if v is not None else sum(emp[(g, i)] for g in regs) for i, v in refv.items())
    M = {(g, i): (emp[(g, i)] / Er[g]) / (refv[i] / E) >= 1 for g in regs for i in inds if refv[i] is not None}

    def prox(i, j):
        if (regs[0], i) not in M or (regs[0], j) not in M:
            return None   # an industry without an RCA: not measured
        both = sum(M[(g, i)] and M[(g, j)] for g in regs)
        mx = max(sum(M[(g, i)] for g in regs), sum(M[(g, j)] for g in regs))
        return both / mx if mx else 0.0
    r = run("map", "relatedness", data, "--reference", ref, "--skip-invalid")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    bad = [(x["industry"], x["other_industry"], x["proximity"]) for x in rows
           if (x["proximity"] == "") != (prox(x["industry"], x["other_industry"]) is None) or
           (x["proximity"] != "" and not close(float(x["proximity"]), prox(x["industry"], x["other_industry"]), 1e-9))]
    r0 = run("map", "relatedness", data)
    plain = {(x["industry"], x["other_industry"]): x for x in rows_of(r0.stdout)} if r0.returncode == 0 else {}
    ok(r.returncode == 0 and len(rows) == 6 and not bad and
       any(x["proximity"] != plain[(x["industry"], x["other_industry"])]["proximity"] for x in rows) and
       sum(x["proximity"] == "" for x in rows) == 3 and
       all(x["colocation"] == plain[(x["industry"], x["other_industry"])]["colocation"] for x in rows),
       "map relatedness --reference: proximity from the LQs against the reference (computed here), co-location "
       "as without it", (r.stderr, bad, rows))
    r = run("map", "relatedness", data, "--reference", ref, "--skip-invalid", "--base", "density")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    bad = []
    for x in rows:
        g, i = x["region"], x["industry"]
        others = [j for j in inds if j != i and refv[j] is not None]
        if refv[i] is None:
            want = None   # no proximity to anything: no density
        else:
            den = sum(prox(i, j) for j in others)
            want = 100 * sum(M[(g, j)] * prox(i, j) for j in others) / den if den > 0 else None
        got = float(x["relatedness_density"]) if x["relatedness_density"] else None
        if (want is None) != (got is None) or (want is not None and not close(got, want, 1e-9)):
            bad.append((g, i, got, want))
    ok(r.returncode == 0 and len(rows) == 24 and not bad,
       "  and each region's relatedness density from those proximities and RCAs (D, unknown there, left out)",
       (r.stderr, bad[:4]))


def haversine(p, q):
    """Great-circle distance in metres between (lat, lon) points, R = 6371008.8 m."""
    p1, p2 = math.radians(p[0]), math.radians(q[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(q[1] - p[1]) / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))


def gi_star(points, y, band):
    """Getis–Ord Gi* with binary distance-band weights (docs/MAPPING.md):
    per point (gi, z, two-sided p); great-circle distances, R = 6371008.8 m."""
    n, S, S2 = len(y), sum(y), sum(v * v for v in y)
    out = []
    for lat1, lon1 in points:
        w = []
        for lat2, lon2 in points:
            p1, p2 = math.radians(lat1), math.radians(lat2)
            h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
            w.append(1.0 if 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h))) <= band else 0.0)
        W = sum(w)
        G = sum(a * b for a, b in zip(w, y)) / S
        m, s2 = S / n, S2 / n - (S / n) ** 2
        V = W * (n - W) / (n - 1) / n ** 2 * s2 / m ** 2
        z = (G - W / n) / math.sqrt(V) if V > 0 else None
        out.append((G, z, math.erfc(abs(z) / math.sqrt(2)) if z is not None else None))
    return out


def eurostat_pl(real):
    """(region, industry) → persons employed of the Polish NUTS-2 regions and NACE
    divisions of the Eurostat file (flags dropped; flags alone are missing)."""
    cells = {}
    with open(real, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            g, n, v = row["geo"], row["nace_r2"], row["n2015"].strip()
            if g.startswith("PL") and len(g) == 4 and len(n) == 3:
                m = re.match(r"^(\d+(?:\.\d+)?)\s*[a-z]?$", v)
                cells[(g, n)] = float(m.group(1)) if m else None
    return cells


def spot_strokes(svg_text):
    """(hot, cold) outlines drawn on the map (round joins; the legend's boxes have mitred ones)."""
    hot = len(re.findall(r"stroke-width:2\.4;[^\"]*stroke-linejoin:round;stroke:rgb\(80%,5%,10%\)", svg_text))
    cold = len(re.findall(r"stroke-width:2\.4;[^\"]*stroke-linejoin:round;stroke:rgb\(5%,25%,60%\)[^\"]*dasharray",
                          svg_text))
    return hot, cold


def draw_hotspots(work, real):
    """map draw --band: the hot and cold spots of `map hotspots --regions` (2 hot, 3 cold voivodeships
    for the LQ of C29 within 250 km) outlined on the map, hot solid and cold dashed, with two legend
    lines; --no-star draws those of Gi; --star without --band is a usage error."""
    layer = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    base = [real, "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
            "--boundaries", layer, "--code-property", "nuts2_2013", "--industry", "C29"]
    for star, args in (("Gi*", []), ("Gi", ["--no-star"])):
        hs = run("map", "hotspots", *[a if a != "--boundaries" else "--regions" for a in base], "--band", "250000", *args)
        rows = rows_of(hs.stdout) if hs.returncode == 0 else []
        want = (sum(x["spot"] == "hot" for x in rows), sum(x["spot"] == "cold" for x in rows))
        out = os.path.join(work, "draw-hot%s.svg" % ("" if not args else "-gi"))
        r = run("map", "draw", *base, "--band", "250000", *args, "--lang", "en", "-o", out)
        text = open(out, encoding="utf-8").read() if r.returncode == 0 and os.path.exists(out) else ""
        ok(r.returncode == 0 and rows and spot_strokes(text) == want and want[0] + want[1] > 0 and
           ">hot spot (%s, p &lt; 0.05)<" % star in text and ">cold spot (%s, p &lt; 0.05)<" % star in text and
           "16 regions, %s, band 250000 m: %d hot and %d cold spots at p < 0.05 outlined" % (star, want[0], want[1])
           in r.stderr, "map draw --band 250000 %s: the %d hot and %d cold spots of map hotspots --regions outlined, "
           "with their legend" % (" ".join(args), want[0], want[1]), (r.stderr, spot_strokes(text), want))
    out = os.path.join(work, "draw-nohot.svg")
    r = run("map", "draw", *base, "-o", out)
    ok(r.returncode == 0 and spot_strokes(open(out, encoding="utf-8").read()) == (0, 0) and
       "hot spot" not in open(out, encoding="utf-8").read(), "without --band: no outline, no legend line")
    for args, words in ((["--no-star"], "--no-star goes with --band"), (["--band", "0"], "--band must be a number above 0")):
        r = run("map", "draw", *base, *args, "-o", os.path.join(work, "x.svg"))
        ok(r.returncode == 2 and words in r.stderr, "map draw %s: exit 2" % " ".join(args), r.stderr)


def region_hotspots(work, real):
    """map hotspots --regions: Gi* of the LQ across the voivodeships at their
    centroids, recomputed here from the file, the layer and the formulas."""
    layer = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    base = [real, "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
            "--regions", layer, "--code-property", "nuts2_2013"]
    cells = eurostat_pl(real)
    regions = sorted({g for g, _ in cells})
    er = {g: sum(v for (g2, _), v in cells.items() if g2 == g and v is not None) for g in regions}
    total = sum(er.values())
    with open(layer, encoding="utf-8") as f:
        feats = {x["properties"]["nuts2_2013"]: x for x in json.load(f)["features"]}

    def expect(industry, band):
        ei = sum(v for (_, n), v in cells.items() if n == industry and v is not None)
        have = [g for g in regions if cells.get((g, industry)) is not None]
        lq = [(cells[(g, industry)] / er[g]) / (ei / total) for g in have]
        pts = [centroid(feats[g]["geometry"]) for g in have]
        return have, lq, pts, gi_star(pts, lq, band)

    out = os.path.join(work, "hot_c29.csv")
    r = run("map", "hotspots", *base, "--industry", "C29", "--band", "250000", "-o", out)
    rows = rows_of(open(out, encoding="utf-8").read()) if r.returncode == 0 and os.path.exists(out) else []
    have, lq, pts, gi = expect("C29", 250000)
    bad = []
    for k, g in enumerate(have):
        x = [y for y in rows if y["region"] == g]
        G, z, p = gi[k]
        if len(x) != 1 or not (close(float(x[0]["value"]), lq[k], 1e-8) and close(float(x[0]["lat"]), pts[k][0], 1e-8)
                               and close(float(x[0]["lon"]), pts[k][1], 1e-8) and close(float(x[0]["gi"]), G, 1e-8)
                               and abs(float(x[0]["z"]) - z) < 1e-7 and abs(float(x[0]["p"]) - p) < 1e-8):
            bad.append((g, x, (lq[k], pts[k], gi[k])))
    ok(r.returncode == 0 and len(rows) == len(have) == 16 and not bad,
       "hotspots --regions: every voivodeship's LQ of C29, centroid, Gi*, z and p as computed here", (r.stderr, bad[:3]))
    spots = {x["region"]: x["spot"] for x in rows}
    want = {g: ("hot" if gi[k][1] > 0 else "cold") if gi[k][2] < 0.05 else "" for k, g in enumerate(have)}
    ok(rows and spots == want and list(want.values()).count("hot") == 2 and list(want.values()).count("cold") == 3 and
       "16 regions, lq of C29 in 2015, Gi*, band 250000 m: 2 hot spots and 3 cold spots" in r.stderr,
       "  hot and cold at p < 0.05 by the sign of z: 2 hot, 3 cold; stderr counts them", (spots, r.stderr))
    ok(rows and [x["name"] for x in rows if x["region"] == "PL11"] == ["łódzkie"], "  the boundary's name is given")

    # regions without a value are left out and reported
    r = run("map", "hotspots", *base, "--industry", "B05", "--indicator", "employment", "--band", "400000")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    have, emp, pts, gi = expect("B05", 400000)
    emp = [cells[(g, "B05")] for g in have]
    gi = gi_star(pts, emp, 400000)
    ok(r.returncode == 0 and [x["region"] for x in rows] == have and len(have) == 8 and
       all(abs(float(x["z"]) - gi[k][1]) < 1e-7 for k, x in enumerate(rows)) and
       "8 regions without a value of employment left out (first: " in r.stderr,
       "regions without a value (B05: 8) are left out, counted and named; Gi* on the others", (r.stderr, len(rows)))

    # bad input: clear messages, no file
    out = os.path.join(work, "hot_bad.csv")
    r = run("map", "hotspots", *[("teryt" if a == "nuts2_2013" else a) for a in base], "--industry", "C29",
            "--band", "250000", "-o", out)
    ok(r.returncode == 3 and "not placed (property teryt): no boundary: PL11" in r.stderr and
       "0 regions with a value of lq and a boundary" in r.stderr and not os.path.exists(out),
       "codes that match no boundary: each named, exit 3, no file", (r.returncode, r.stderr))
    for args, code, words in ((["--industry", "C29"], 2, "--band"), (["--band", "1e5"], 2, "--industry"),
                              (["--industry", "C29", "--band", "-3"], 2, "--band"),
                              (["--industry", "X99", "--band", "1000"], 3, "--industry X99"),
                              (["--industry", "C29", "--band", "1000", "--indicator", "mood"], 2, "--indicator")):
        r = run("map", "hotspots", *base, *args, "-o", out)
        ok(r.returncode == code and words in r.stderr and not os.path.exists(out),
           "hotspots --regions %s: exit %d naming %s, no file" % (" ".join(args), code, words), (r.returncode, r.stderr))


# France's regions of 2013 and their NUTS 2016 (and 2021) codes (Eurostat, NUTS 2013 – NUTS 2016).
FR_2013_2021 = {
    "FR21": "FRF2", "FR22": "FRE2", "FR23": "FRD2", "FR24": "FRB0", "FR25": "FRD1", "FR26": "FRC1", "FR30": "FRE1",
    "FR41": "FRF3", "FR42": "FRF1", "FR43": "FRC2", "FR51": "FRG0", "FR52": "FRH0", "FR53": "FRI3", "FR61": "FRI1",
    "FR62": "FRJ2", "FR63": "FRI2", "FR71": "FRK2", "FR72": "FRK1", "FR81": "FRJ1", "FR82": "FRL0", "FR83": "FRM0",
}


def eurostat_c10_fr(real):
    """French regions with a value for C10 in the Eurostat file."""
    got = {}
    with open(real, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if row["nace_r2"] == "C10" and row["geo"].startswith("FR") and len(row["geo"]) == 4 and \
                    re.match(r"^\s*\d", row["n2015"]):
                got[row["geo"]] = row["n2015"]
    return got


if __name__ == "__main__":
    sys.exit(main())
