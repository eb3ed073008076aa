#!/usr/bin/env python3
"""The reference economy, shift-share, the firm readers, pipes and Gi*
islands through the command line: each rule of docs/MAPPING.md that a
reviewer found broken, checked on small files whose results are worked out
here by hand, with the notices the command line prints.  Prints TAP."""
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap, run, rows_of, workdir  # noqa: E402

TAP = Tap()
ok = TAP.ok


def run_in(data, *args):
    """Runs klaster with data on standard input (through a pipe)."""
    return subprocess.run([BIN] + list(args), cwd=ROOT, input=data, capture_output=True, text=True, timeout=120)


def write(work, name, text):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


VOIV = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(b))


def num(s):
    return float(s) if s not in ("", None) else None


def by(rows, *keys):
    return {tuple(r[k] for k in keys): r for r in rows}


DATA = ("region,industry,year,employment\n"
        "A,x,2023,75\nA,y,2023,25\nB,x,2023,10\nB,y,2023,90\n")


def reference(work):
    d = write(work, "d.csv", DATA)
    plain = run("map", "indicators", d)
    ok(plain.returncode == 0, "indicators without a reference", plain.stderr)

    # 1. a reference that matches nothing is an error, never ignored
    r1 = write(work, "ref_other_codes.csv", "industry,employment\nq,100\nz,50\n")
    r = run("map", "indicators", d, "--reference", r1)
    ok(r.returncode == 3 and "ref_other_codes.csv: no industry of the reference economy is an industry of the data"
       in r.stderr and not r.stdout, "a reference none of whose industries is in the data: exit 3 naming it", r.stderr)
    r2 = write(work, "ref_other_year.csv", "industry,year,employment\nx,2020,100\ny,2020,200\n")
    r = run("map", "indicators", d, "--reference", r2)
    ok(r.returncode == 3 and "ref_other_year.csv: the reference economy has no values in 2023, a year of the data"
       in r.stderr and not r.stdout, "a reference without the data's year: exit 3 naming the file and the year",
       r.stderr)
    r3 = write(work, "ref_long_codes.csv", "industry,employment\nxx,100\nyy,200\n")
    r = run("map", "indicators", d, "--reference", r3, "--industry-length", "1")
    ok(r.returncode == 3 and "ref_long_codes.csv: every row of the reference economy was left out" in r.stderr,
       "a reference whose every row the filters leave out: exit 3", r.stderr)
    d2 = write(work, "d2.csv", "region,industry,year,employment\nA,x,2022,70\nA,y,2022,25\nB,x,2022,10\n"
               "B,y,2022,90\nA,x,2023,75\nA,y,2023,25\nB,x,2023,10\nB,y,2023,90\n")
    r = run("map", "shift-share", d2, "--reference", r2, "--from", "2022", "--to", "2023")
    ok(r.returncode == 3 and "ref_other_year.csv" in r.stderr and "2022" in r.stderr,
       "shift-share refuses the same reference", r.stderr)
    db = "sqlite:" + os.path.join(work, "k.db")
    run("--db", db, "db", "migrate")
    r = run("--db", db, "import", "stats", d, "--dataset", "refcheck", "--reference", r1)
    ok(r.returncode == 3 and "ref_other_codes.csv" in r.stderr, "import stats refuses it too (the portal's data)",
       r.stderr)

    # 2. an industry the reference leaves unknown counts at the regions' own employment
    #    reference x = 100, y unknown -> y counts 25 + 90 = 115: E = 215
    #    A x: (75/100) / (100/215) = 1.6125;  B x: (10/100) / (100/215) = 0.215
    ru = write(work, "ref_x_only.csv", "industry,employment\nx,100\n")
    r = run("map", "indicators", d, "--reference", ru)
    # the same reference from standard input ("-"), as every reader takes a stream
    rs = subprocess.run([BIN, "map", "indicators", d, "--reference", "-"], cwd=ROOT, capture_output=True, text=True,
                        input="industry,employment\nx,100\n", timeout=60)
    ok(rs.returncode == 0 and rs.stdout == r.stdout, "--reference - reads the reference from standard input",
       rs.stderr)
    rs = subprocess.run([BIN, "map", "indicators", "-", "--reference", "-"], cwd=ROOT, capture_output=True,
                        text=True, input="x", timeout=60)
    ok(rs.returncode == 2 and "only one input can be read from standard input" in rs.stderr,
       "  two inputs from standard input: a usage error", rs.stderr)
    rows = by(rows_of(r.stdout), "region", "industry")
    ok(r.returncode == 0 and close(num(rows[("A", "x")]["lq"]), 0.75 / (100 / 215.0))
       and close(num(rows[("B", "x")]["lq"]), 0.1 / (100 / 215.0)),
       "unknown reference industry: E = 100 + the regions' 115; LQ A x = 1.6125, B x = 0.215",
       r.stderr + r.stdout)
    ok(rows[("A", "y")]["lq"] == "" and rows[("B", "y")]["lq"] == "", "its own LQs stay empty", rows.get(("A", "y")))
    ok("ref_x_only.csv: the reference economy leaves 1 industry-year of the data unknown (first: y in 2023)"
       in r.stderr and "the least the nation can have" in r.stderr, "the notice says the rule", r.stderr)
    # without its LQ, its specialisation star, its number of stars and its strong flags are not
    # known either: empty, not 0; the size and focus stars (employment, share of the region) are
    flags = ("size_star", "specialisation_star", "focus_star", "stars", "strong", "strong10")
    ay = [rows[("A", "y")][f] for f in flags]
    ax = [rows[("A", "x")][f] for f in flags]
    ok(ay[0] in ("0", "1") and ay[2] in ("0", "1") and ay[1] == ay[3] == ay[4] == ay[5] == "" and
       all(v in ("0", "1", "2", "3") for v in ax),
       "without an LQ: size and focus stars given, specialisation star, stars and strong flags empty",
       (ay, ax))
    rj = run("map", "indicators", d, "--reference", ru, "--output-format", "json")
    js = json.loads(rj.stdout) if rj.returncode == 0 else []
    jy = [x for x in js if x["region"] == "A" and x["industry"] == "y"]
    ok(jy and jy[0]["specialisation_star"] is None and jy[0]["stars"] is None and jy[0]["strong"] is None and
       jy[0]["size_star"] in (0, 1), "  in JSON: null", jy)
    r = run("map", "indices", d, "--reference", ru)
    rows = by(rows_of(r.stdout), "region")
    sx, sy = 100 / 215.0, 115 / 215.0
    want = {"A": (0.75, 0.25), "B": (0.1, 0.9)}
    good = r.returncode == 0
    for reg, (a, b) in want.items():
        good = good and rows[(reg,)]["theil"] != "" and \
            close(num(rows[(reg,)]["krugman"]), abs(a - sx) + abs(b - sy)) and \
            close(num(rows[(reg,)]["theil"]), a * math.log(a / sx) + b * math.log(b / sy))
    ok(good, "indices: the unknown industry's national share is 115/215, not 0 (Krugman, Theil finite)",
       r.stderr + r.stdout)


def one_year(work):
    # a reference of 2015 alone serves --year 2015; without --year every year must have one
    d = write(work, "two_years.csv", "region,industry,year,employment\nA,x,2015,100\nA,y,2015,50\nB,x,2015,40\n"
              "B,y,2015,60\nA,x,2023,120\nA,y,2023,55\nB,x,2023,44\nB,y,2023,66\n")
    ref = write(work, "ref_2015_only.csv", "industry,year,employment\nx,2015,1000\ny,2015,1000\n")
    r = run("map", "indicators", d, "--reference", ref, "--year", "2015")
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("A", "x")]["lq"]), (100 / 150.0) / (1000 / 2000.0)),
       "--year 2015 with a reference of 2015 only: LQ A x = (100/150) / (1000/2000)", r.stderr)
    r = run("map", "indicators", d, "--reference", ref)
    ok(r.returncode == 3 and "2023" in r.stderr, "without --year the reference must cover 2023 too", r.stderr)
    # a reference that knows x in both years and y in 2015 only: the notice counts the years computed
    ref2 = write(work, "ref_y_2015.csv", "industry,year,employment\nx,2015,1000\ny,2015,1000\nx,2023,1000\n")
    r = run("map", "indicators", d, "--reference", ref2, "--year", "2015")
    ok(r.returncode == 0 and "leaves" not in r.stderr, "--year 2015: y is known that year, no notice", r.stderr)
    r = run("map", "indicators", d, "--reference", ref2)
    ok(r.returncode == 0 and "leaves 1 industry-year of the data unknown (first: y in 2023)" in r.stderr,
       "every year: y in 2023 is unknown, counted once", r.stderr)
    r = run("map", "shift-share", d, "--reference", ref2, "--from", "2015", "--to", "2023")
    ok(r.returncode == 0 and "leaves 1 industry-year of the data unknown (first: y in 2023)" in r.stderr,
       "shift-share over both years: y in 2023 counted", r.stderr)
    # y has no reference growth (unknown in 2023): its rows have growth but no components at all —
    # not a national share without the other two, which would not add up to the change; x's do
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    parts = ("national_share", "industry_mix", "regional_shift")
    ok(rows and all(rows[(g, "y")][c] == "" for g in "AB" for c in parts) and rows[("A", "y")]["growth"] != "" and
       all(close(sum(num(rows[(g, "x")][c]) for c in parts),
                 num(rows[(g, "x")]["employment1"]) - num(rows[(g, "x")]["employment0"])) for g in "AB"),
       "shift-share: an industry without reference growth has no components; the others add up to the change",
       rows.get(("A", "y")))
    d3 = write(work, "three_years.csv", open(d).read() + "A,x,2024,1\nA,y,2024,5\nB,x,2024,4\nB,y,2024,6\n")
    ref3 = write(work, "ref_3.csv", "industry,year,employment\nx,2015,1000\ny,2015,1000\nx,2023,1000\n"
                 "y,2023,1000\nx,2024,1000\n")
    r = run("map", "shift-share", d3, "--reference", ref3, "--from", "2015", "--to", "2023")
    ok(r.returncode == 0 and "leaves" not in r.stderr, "shift-share 2015-2023: y unknown only in 2024, no notice",
       r.stderr)
    r = run("map", "indicators", d3, "--reference", ref3, "--year", "2024")
    ok(r.returncode == 0 and "leaves 1 industry-year of the data unknown (first: y in 2024)" in r.stderr,
       "--year 2024: y in 2024 counted", r.stderr)
    for a, b in (("2023", "2015"), ("2015", "2015")):
        r = run("map", "shift-share", d, "--from", a, "--to", b)
        ok(r.returncode == 2 and "must come before" in r.stderr, "shift-share --from %s --to %s: a usage error" % (a, b),
           r.stderr)
    r = run("map", "relatedness", d, "--base", "density")
    ok(r.returncode == 0 and "modularity nan" not in r.stderr, "relatedness density: no 'modularity nan'", r.stderr)
    # a problem in a year not computed does not stop a command that computes another
    z = write(work, "zero_2020.csv", "region,industry,year,employment\n02,x,2020,5\n02,y,2020,5\n04,x,2020,0\n"
              "04,y,2020,0\n02,x,2021,5\n02,y,2021,5\n04,x,2021,3\n04,y,2021,2\n")
    r = run("map", "indicators", z, "--year", "2021")
    ok(r.returncode == 0 and len(rows_of(r.stdout)) == 4, "--year 2021: region 04's zero 2020 does not matter",
       r.stderr)
    r = run("map", "indicators", z)
    ok(r.returncode == 3 and "zero_2020.csv:4" in r.stderr and "2020" in r.stderr,
       "every year: region 04's zero 2020 is an error naming its line", r.stderr)
    vo = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
    svg = os.path.join(work, "z.svg")
    r = run("map", "draw", z, "--boundaries", vo, "--industry", "x", "-o", svg)
    ok(r.returncode == 0 and os.path.exists(svg), "map draw (the latest year, 2021): drawn", r.stderr)
    r = run("map", "draw", z, "--boundaries", vo, "--industry", "x", "--year", "2020", "-o", svg)
    ok(r.returncode == 3 and "2020" in r.stderr, "map draw --year 2020: the error", r.stderr)
    r = run("map", "indices", z)
    rows = {(x["region"], x["year"]): x for x in rows_of(r.stdout)} if r.returncode == 0 else {}
    ok(rows.get(("04", "2020"), {}).get("hhi") == "" and rows.get(("04", "2021"), {}).get("hhi") not in (None, "")
       and z + ": 1 region without employment in a year" in r.stderr,
       "map indices: region 04 has no indices in 2020 (its zero), its own in 2021; the notice names the file",
       r.stderr)
    # map draw counts the reference's unknown industries of the year it draws only
    z3 = write(work, "three_draw.csv", "region,industry,year,employment\n02,x,2021,5\n02,y,2021,5\n04,x,2021,3\n"
               "04,y,2021,2\n02,x,2022,5\n02,y,2022,5\n04,x,2022,3\n04,y,2022,2\n")
    rz = write(work, "ref_draw.csv", "industry,year,employment\nx,2021,100\nx,2022,100\ny,2022,100\n")
    r = run("map", "draw", z3, "--reference", rz, "--boundaries", vo, "--industry", "x", "-o", svg)
    ok(r.returncode == 0 and "leaves" not in r.stderr, "map draw of 2022: y unknown only in 2021, no notice",
       r.stderr)
    gap = write(work, "gap.csv", "region,industry,year,employment\nA,x,2015,100\nA,y,2015,50\nC,x,2015,40\n"
                "C,y,2015,60\nA,x,2023,120\nA,y,2023,55\n")
    r = run("map", "indicators", gap, "--year", "2023")
    ok(r.returncode == 3 and "gap.csv: region C has no rows in 2023" in r.stderr,
       "a region without rows in the year computed: the message names the file", r.stderr)


def shift_share(work):
    # B x missing in 2023: left out of both years' totals.  x: 100 -> 120 (0.2), y: 110 -> 121 (0.1),
    # all: 210 -> 241.  Every other cell grows at its industry's rate: regional shift 0 exactly.
    s = write(work, "s.csv", "region,industry,year,employment\nA,x,2015,100\nA,y,2015,50\nB,x,2015,40\n"
              "B,y,2015,60\nA,x,2023,120\nA,y,2023,55\nB,y,2023,66\n")
    r = run("map", "shift-share", s, "--from", "2015", "--to", "2023")
    rows = by(rows_of(r.stdout), "region", "industry")
    G = 31 / 210.0
    ok(r.returncode == 0 and close(num(rows[("A", "x")]["industry_mix"]), 100 * (0.2 - G))
       and close(num(rows[("B", "y")]["industry_mix"]), 60 * (0.1 - G))
       and close(num(rows[("A", "y")]["national_share"]), 50 * G),
       "shift-share: a cell missing in 2023 is left out of both years' totals (G = 31/210, G_x = 0.2)",
       r.stderr + r.stdout)
    ok(rows[("B", "x")]["national_share"] == "" and rows[("B", "x")]["regional_shift"] == "",
       "its own components are empty", rows.get(("B", "x")))
    ok(all(rows[k]["regional_shift"] == "0" for k in (("A", "x"), ("A", "y"), ("B", "y"))),
       "a regional shift that is 0 up to rounding is written 0", [rows[k]["regional_shift"] for k in rows])
    ok("s.csv: 1 region x industry cell has a value in only one of 2015 and 2023 (first: B x, missing in 2023)"
       ": left out of the totals of both years" in r.stderr, "the notice counts the cell left out", r.stderr)
    sref = write(work, "sref.csv", "industry,year,employment\nx,2015,1000\ny,2015,1000\nx,2023,1100\ny,2023,1000\n")
    r = run("map", "shift-share", s, "--from", "2015", "--to", "2023", "--reference", sref)
    ok(r.returncode == 0 and "(first: B x, missing in 2023): the totals are the reference's" in r.stderr,
       "with --reference the notice says the totals are the reference's", r.stderr)
    s2 = write(work, "s2.csv", "region,industry,year,employment\nA,x,2015,100\nA,y,2015,50\nB,x,2015,40\n"
               "B,y,2015,60\nA,x,2023,110\nA,y,2023,55\nB,x,2023,44\nB,y,2023,66\n")
    r = run("map", "shift-share", s2, "--from", "2015", "--to", "2023")
    rows = rows_of(r.stdout)
    ok(r.returncode == 0 and all(x["industry_mix"] == "0" and x["regional_shift"] == "0" for x in rows),
       "uniform growth: mix and shift exactly 0, never -1.1e-16", r.stdout)
    # regions with data in one of the two years only: kept (the employment they have, every
    # component empty) and named on stderr; a region of neither year has no row and is named too
    s3 = write(work, "s3.csv", "region,industry,year,employment\nA,x,2015,100\nA,y,2015,50\nB,x,2015,30\n"
               "B,y,2015,20\nA,x,2019,1\nD,x,2019,5\nA,x,2023,120\nA,y,2023,60\nC,x,2023,10\nC,y,2023,5\n")
    for fmt in ("csv", "json"):
        out = os.path.join(work, "s3_out." + fmt)
        r = run("map", "shift-share", s3, "--from", "2015", "--to", "2023", "-o", out)
        if fmt == "json" and r.returncode == 0:
            with open(out, encoding="utf-8") as f:
                got = json.load(f)
            rows = by(got if isinstance(got, list) else got.get("rows", []), "region", "industry")
            empty = (None, "")
        else:
            rows = by(rows_of(open(out, encoding="utf-8").read()), "region", "industry") if r.returncode == 0 else {}
            empty = ("",)
        ok(r.returncode == 0 and sorted(rows) == [("A", "x"), ("A", "y"), ("B", "x"), ("B", "y"), ("C", "x"), ("C", "y")]
           and num(rows[("B", "x")]["employment0"]) == 30 and rows[("B", "x")]["employment1"] in empty
           and rows[("C", "y")]["employment0"] in empty and num(rows[("C", "y")]["employment1"]) == 5
           and all(rows[(g, i)][k] in empty for g in "BC" for i in "xy"
                   for k in ("growth", "national_share", "industry_mix", "regional_shift"))
           and close(num(rows[("A", "x")]["national_share"]), 100 * 30 / 150.0),
           "shift-share (%s): regions B (none in 2023) and C (none in 2015) kept with their one year, components "
           "empty; D (2019 only) has no row; A's totals are its own" % fmt, r.stderr)
        ok("s3.csv: 2 regions have data in only one of 2015 and 2023 (none in 2015: C; none in 2023: B): their rows "
           "are kept, with every component empty and no employment for the year they lack" in r.stderr and
           "s3.csv: 1 region has no data in 2015 or 2023 and has no rows (D)" in r.stderr,
           "  and stderr names them (%s)" % fmt, r.stderr)


def columns_as_spelled(work):
    # every layout: a message names the column as the file spells it, through both binaries
    # (the plain SDMX-like file goes by the fast path)
    kmap = os.environ.get("KLASTER_MAP_BIN") or os.path.join(os.path.dirname(BIN), "klaster-map")
    cases = (
        ("sd.csv", "DATAFLOW,LAST UPDATE,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
                   "X,1,A,C10,PL21,2015,12,\nX,1,A,C10,PL22,2015,0,\nX,1,A,C11,PL21,2015,3,\n",
         "sd.csv:3: column OBS_VALUE: region PL22 has zero total employment in 2015"),
        ("sdy.csv", "geo,nace_r2,TIME_PERIOD,OBS_VALUE\nPL21,C10,2015,12\nPL21,C11,20x5,3\n",
         "sdy.csv:3: column TIME_PERIOD: \"20x5\" is not a year"),
        ("sdm.csv", "geo,nace_r2,TIME_PERIOD,OBS_VALUE\nPL21,C10,2015,12\nPL22,C10,2015,:\n",
         "sdm.csv:3: column OBS_VALUE: region PL22 has no employment in 2015: check its rows"),
        ("wd.csv", "geo,nace_r2,n2015,y2016\nPL21,C10,12,5\nPL22,C10,4,:\n",
         "wd.csv:3: column y2016: region PL22 has no employment in 2016"),
        ("es.tsv", "unit,nace_r2,geo\\time\t2015 \t2016 \nTHS,C10,PL21\t12\t5\nTHS,C10,PL22\t0\t5\n",
         "es.tsv:3: column 2015: region PL22 has zero total employment in 2015"),
    )
    for name, text, want in cases:
        path = write(work, name, text)
        for b in (BIN, kmap):
            r = subprocess.run([b, "map", "indicators", path], cwd=work, capture_output=True, text=True, timeout=60)
            ok(r.returncode == 3 and want in r.stderr, "%s (%s): the message names the file's column" %
               (name, os.path.basename(b)), r.stderr)


def firm_readers(work):
    # 4. the decimal comma of a ';' file in lat, lon and the value, as in statistics
    semi = write(work, "firms_semi.csv", "id;industry;lat;lon;v\nF1;a;52,20;21,00;1 000,5\nF2;a;52,21;21,01;3\n"
                 "F3;a;52,22;21,02;4\nF4;b;50,00;19,00;2\n")
    r = run("map", "spatial", semi, "--eps", "5000", "--min-samples", "2")
    rows = rows_of(r.stdout)
    ok(r.returncode == 0 and len(rows) == 4 and close(float(rows[0]["lat"]), 52.2),
       "a ';' firm file with decimal commas in lat and lon", r.stderr)
    r = run("map", "hotspots", semi, "--value", "v", "--band", "5000")
    rows = rows_of(r.stdout)
    ok(r.returncode == 0 and close(float(rows[0]["value"]), 1000.5), "its value \"1 000,5\" is 1000.5",
       r.stderr + r.stdout)
    # one rule for firm values: a number of 0 or more, no exponent
    for bad, want in (("-3", "-3 is negative"), ("1e3", '"1e3" is not a number')):
        f = write(work, "firms_bad.csv", "id,lat,lon,v\nF1,52.2,21.0,1\nF2,52.21,21.01,%s\nF3,52.22,21.02,4\n" % bad)
        r = run("map", "hotspots", f, "--value", "v", "--band", "5000")
        ok(r.returncode == 3 and "firms_bad.csv:3: column v: " + want in r.stderr,
           "map hotspots --value: %s is refused" % bad, r.stderr)
        r = run("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", f, "--dataset", "bad", "--value",
                "v")
        ok(r.returncode == 3 and "firms_bad.csv:3: column v: " + want in r.stderr,
           "import firms --value refuses %s the same way" % bad, r.stderr)
        r = run("map", "hotspots", f, "--value", "v", "--band", "5000", "--skip-invalid")
        ok(r.returncode == 0 and len(rows_of(r.stdout)) == 2, "--skip-invalid skips %s" % bad, r.stderr)
    # "1.234" in a ';' file is 1234 or 1.234: refused naming both, as --format firms and statistics
    # refuse it (it was read as 1.234, a thousandth of what a Polish register means); a coordinate
    # such as "52.200" stays a coordinate
    dot = write(work, "firms_dot.csv", "id;industry;lat;lon;v;employment;region\nF1;a;52.200;21,0;1.234;1.234;A\n"
                "F2;a;52,21;21,01;3;3;A\nF3;b;52,22;21,02;4;4;B\n")
    want = ('firms_dot.csv:2: column v: "1.234" is not a number here: in a file separated by semicolons, where '
            'the decimal mark is a comma, a dot may separate thousands (1234) or mark decimals (1.234); '
            'write 1234 or 1,234')
    r = run("map", "hotspots", dot, "--value", "v", "--band", "5000")
    ok(r.returncode == 3 and want in r.stderr and not r.stdout, "map hotspots --value: 1.234 in a ';' file is refused",
       r.stderr + r.stdout)
    r = run("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", dot, "--dataset", "dot", "--value", "v")
    ok(r.returncode == 3 and want in r.stderr, "import firms --value refuses 1.234 the same way", r.stderr)
    r = run("map", "indicators", write(work, "firms_dot_f.csv", "id;industry;lat;lon;employment;region\n"
                                       "F1;a;52.200;21,0;1.234;A\nF2;a;52,21;21,01;3;A\nF3;b;52,22;21,02;4;B\n"),
            "--format", "firms")
    want_f = want.replace("firms_dot.csv:2: column v", "firms_dot_f.csv:2: column employment")
    ok(r.returncode == 3 and want_f in r.stderr, "map indicators --format firms words it the same", r.stderr)
    r = run("map", "hotspots", dot, "--value", "v", "--band", "5000", "--skip-invalid")
    ok(r.returncode == 0 and [x["id"] for x in rows_of(r.stdout)] == ["F2", "F3"],
       "--skip-invalid skips 1.234 in a ';' file", r.stderr)
    # the decimal comma in a file separated by commas (quoted "52,1"): not a number there, and the
    # message says to write the point, as the statistics' readers say it
    point = ("is not a number here: the decimal comma is read in files separated by semicolons (as Statistics "
             "Poland writes them); in this file write a point")
    comma = write(work, "firms_comma.csv", 'id,industry,lat,lon,v,region\nF1,a,52.2,21.0,1,A\n'
                  'F2,a," 52,21",21.01,3,A\nF3,b,52.22,21.02,4,B\n')
    want_c = 'firms_comma.csv:3: column lat: " 52,21" %s (52.21)' % point
    for args, what in ((("map", "spatial", comma, "--eps", "1000"), "map spatial"),
                       (("map", "hotspots", comma, "--value", "v", "--band", "5000"), "map hotspots"),
                       (("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", comma, "--dataset",
                         "comma"), "import firms")):
        r = run(*args)
        ok(r.returncode == 3 and want_c in r.stderr and not r.stdout,
           "%s: a coordinate \"52,21\" in a ',' file: write a point (52.21)" % what, r.stderr + r.stdout)
    tab = write(work, "firms_tab.csv", "id\tlat\tlon\nF1\t52.2\t21,5\n")
    r = run("map", "spatial", tab, "--eps", "1000")
    ok(r.returncode == 3 and 'firms_tab.csv:2: column lon: "21,5" %s (21.5)' % point in r.stderr,
       "  and in a tab-separated file", r.stderr)
    r = run("map", "indicators", write(work, "firms_comma_f.csv", 'id,industry,lat,lon,region\nF1,a,52.2,21.0,A\n'
                                       'F2,a," 52,21",21.01,A\nF3,b,52.22,21.02,B\n'), "--format", "firms")
    ok(r.returncode == 3 and 'firms_comma_f.csv:3: column lat: "52,21" %s (52.21)' % point in r.stderr,
       "  map indicators --format firms words it the same", r.stderr)
    comma_v = write(work, "firms_comma_v.csv", 'id,lat,lon,v\nF1,52.2,21.0,"1,5"\nF2,52.21,21.01,"1,500"\n'
                    'F3,52.22,21.02,4\nF4,52.23,21.03,5\n')
    for args, what in ((("map", "hotspots", comma_v, "--value", "v", "--band", "5000"), "map hotspots --value"),
                       (("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", comma_v, "--dataset",
                         "comma-v", "--value", "v"), "import firms --value")):
        r = run(*args)
        ok(r.returncode == 3 and 'firms_comma_v.csv:2: column v: "1,5" %s (1.5)' % point in r.stderr,
           "%s: a value \"1,5\" in a ',' file: write a point (1.5)" % what, r.stderr)
    # two columns of one coordinate (lat and latitude; lon and longitude or lng): an error naming both,
    # the same in the three commands that read firm points, never one of them read in silence
    for header, row, want_d in (
            ("id,lat,lon,latitude,v", "52.2,21.0,53.9", "two latitude columns, lat (field 2) and latitude (field 4)"),
            ("id,Lng,lat,longitude,v", "21.0,52.2,14.5", "two longitude columns, Lng (field 2) and longitude (field 4)"),
            ("id,lon,lat,lng,v", "21.0,52.2,14.5", "two longitude columns, lon (field 2) and lng (field 4)")):
        both = write(work, "firms_both.csv", "%s\nF1,%s,1\nF2,%s,2\n" % (header, row, row))
        for args, what in ((("map", "spatial", both, "--eps", "1000"), "map spatial"),
                           (("map", "hotspots", both, "--value", "v", "--band", "5000"), "map hotspots"),
                           (("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", both, "--dataset",
                             "both"), "import firms")):
            r = run(*args)
            ok(r.returncode == 3 and "firms_both.csv:1: the header has %s, and which one to read is not guessed: "
               "remove or rename one of them" % want_d in r.stderr and not r.stdout,
               "%s: %s: refused naming both" % (what, header), r.stderr + r.stdout)
    lng = write(work, "firms_lng.csv", "id,lat,lng\nF1,52.2,21.5\n")
    r = run("map", "spatial", lng, "--eps", "1000", "--min-samples", "1")
    ok(r.returncode == 0 and [x["lon"] for x in rows_of(r.stdout)] == ["21.5"], "lng alone is the longitude",
       r.stderr)
    # a coordinate's column is named as the header spells it (Latitude, lng), never as "lat" or "lon",
    # by the three commands that read firm points and by a statistics firms file alike
    for coords, want_n in (("91,21.5", "column Latitude: 91 is outside [-90, 90]"),
                           ("52.2,x", 'column lng: "x" is not a number')):
        text = "id,industry,Latitude,lng,v,region\nF1,a,52.1,21.4,1,A\nF2,a,%s,2,A\n" % coords
        spelt = write(work, "firms_spelt.csv", text)
        spelt_f = write(work, "firms_spelt_f.csv", text.replace(",v,", ",").replace(",1,A", ",A").replace(",2,A", ",A"))
        for args, what in ((("map", "spatial", spelt, "--eps", "1000"), "map spatial"),
                           (("map", "hotspots", spelt, "--value", "v", "--band", "5000"), "map hotspots"),
                           (("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", spelt, "--dataset",
                             "spelt"), "import firms"),
                           (("map", "indicators", spelt_f, "--format", "firms"), "map indicators --format firms"),
                           (("map", "indicators", spelt_f), "map indicators (the format found from the header)")):
            r = run(*args)
            ok(r.returncode == 3 and ":3: " + want_n in r.stderr,
               "%s: %s (the column as the header spells it)" % (what, want_n), r.stderr)
    r = run("map", "indicators", write(work, "firms_spelt_f.csv", "id,industry,LATITUDE,longitude\nF1,a,52.1,21.4\n"
                                       "F2,a,,\n"), "--boundaries", VOIV)
    ok(r.returncode == 3 and "firms_spelt_f.csv:3: columns LATITUDE and longitude: the firm has no coordinates"
       in r.stderr, "map indicators, firms placed by boundaries: the coordinates named as spelt", r.stderr)
    r = run("map", "indicators", write(work, "firms_spelt_f.csv", "id,industry,Latitude\nF1,a,52.1\n"),
            "--format", "firms", "--boundaries", VOIV)
    ok(r.returncode == 3 and "without a region column, the columns Latitude and lon are needed" in r.stderr,
       "  and a missing longitude column next to a Latitude column", r.stderr)
    swapped = write(work, "firms_swapped.csv", "id,Latitude,lng\nF1,21.0,52.2\nF2,21.1,52.3\n")
    r = run("map", "spatial", swapped, "--eps", "1000", "--min-samples", "1")
    ok(r.returncode == 0 and "inside it with Latitude and lng exchanged" in r.stderr,
       "the notice about swapped coordinates names the columns as spelt", r.stderr)
    r = run("map", "hotspots", comma_v, "--value", "v", "--band", "5000", "--skip-invalid")
    ok(r.returncode == 0 and [x["id"] for x in rows_of(r.stdout)] == ["F3", "F4"],
       "  --skip-invalid skips \"1,5\" and \"1,500\" (1500 or 1.5: either reading)", r.stderr)
    # a value of more digits than the parser reads: too long, said with how many it has (not "no number")
    for digits in (61, 100, 300):
        long_ = write(work, "firms_long.csv", "id,lat,lon,v\nF1,52.2,21,%s\nF2,52.21,21.01,3\nF3,52.22,21.02,4\n"
                      % ("9" * digits))
        want_l = 'firms_long.csv:2: column v: "%s…" has %d digits: too long for a value' % ("9" * 40, digits)
        r = run("map", "hotspots", long_, "--value", "v", "--band", "5000")
        ok(r.returncode == 3 and want_l in r.stderr and not r.stdout,
           "map hotspots --value of %d digits: refused as too long, naming how many" % digits, r.stderr)
        r = run("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", long_, "--dataset", "long",
                "--value", "v")
        ok(r.returncode == 3 and want_l in r.stderr, "  and import firms --value the same", r.stderr)
    # its first 40 bytes are cut between characters, never inside one: here a narrow no-break space
    # (3 bytes) between thousands would be cut after its first byte, leaving stderr invalid UTF-8
    spaced = "123" + "\u202f456" * 21
    long_ = write(work, "firms_long.csv", "id,lat,lon,v\nF1,52.2,21,%s\nF2,52.21,21.01,3\nF3,52.22,21.02,4\n" % spaced)
    want_l = 'firms_long.csv:2: column v: "%s…" has 66 digits: too long for a value' % ("123" + "\u202f456" * 6)
    for what, args in (("map hotspots", ("map", "hotspots", long_, "--value", "v", "--band", "5000")),
                       ("import firms", ("--db", "sqlite:" + os.path.join(work, "k.db"), "import", "firms", long_,
                                         "--dataset", "long", "--value", "v"))):
        r = subprocess.run([BIN] + list(args), cwd=ROOT, capture_output=True, timeout=120)
        err = r.stderr.decode("utf-8", "replace")
        ok(r.returncode == 3 and want_l in err and "\ufffd" not in err,
           "%s --value of 66 digits with narrow no-break spaces: cut between characters" % what, err)
    # --format firms: an empty employment and NA are the same, a firm of unknown size
    base = "id,name,industry,lat,lon,employment,region\n1,a,x,52,21,10,R1\n2,b,y,52,21,5,R1\n3,c,x,50,19,4,R2\n" \
           "4,d,y,50,19,6,R2\n5,e,x,50,19,%s,R2\n"
    outs = []
    for v in ("", "NA"):
        r = run("map", "indicators", write(work, "firms_emp.csv", base % v), "--format", "firms")
        outs.append((r.returncode, r.stdout))
    rows = by(rows_of(outs[0][1]), "region", "industry")
    ok(outs[0][0] == 0 and outs[0] == outs[1] and rows[("R2", "x")]["employment"] == "4"
       and rows[("R2", "x")]["establishments"] == "2",
       "--format firms: empty and NA employment both mean unknown size (no employee, one establishment)",
       outs)


def pipes(work):
    # 5. readers on a pipe: peeked at without seeking
    d = write(work, "d.csv", DATA)
    want = run("map", "indicators", d).stdout
    r = run_in(DATA, "map", "indicators", "/dev/stdin")
    ok(r.returncode == 0 and r.stdout == want, "map indicators /dev/stdin (a pipe) reads what the file gives",
       r.stderr)
    r = run_in(DATA, "map", "indicators", "/dev/stdin", "--format", "long")
    ok(r.returncode == 0 and r.stdout == want, "… also with --format long", r.stderr)
    r = run_in("industry,employment\nx,100\ny,150\n", "map", "indicators", d, "--reference", "/dev/stdin")
    ok(r.returncode == 0 and rows_of(r.stdout), "a reference file on a pipe", r.stderr)
    firms = "id,lat,lon,v\nF1,52.2,21.0,1\nF2,52.21,21.01,3\nF3,52.22,21.02,4\n"
    fpath = write(work, "f.csv", firms)
    want = run("map", "spatial", fpath, "--eps", "5000", "--min-samples", "2").stdout
    r = run_in(firms, "map", "spatial", "/dev/stdin", "--eps", "5000", "--min-samples", "2")
    ok(r.returncode == 0 and r.stdout == want, "map spatial /dev/stdin keeps the header", r.stderr)
    want = run("map", "hotspots", fpath, "--value", "v", "--band", "5000").stdout
    r = run_in(firms, "map", "hotspots", "/dev/stdin", "--value", "v", "--band", "5000")
    ok(r.returncode == 0 and r.stdout == want, "map hotspots /dev/stdin", r.stderr)


def empty_spatial(work):
    # 6. nothing to analyse is an input error naming the file (and the industry)
    h = write(work, "header_only.csv", "id,industry,lat,lon\n")
    r = run("map", "spatial", h, "--eps", "1000")
    ok(r.returncode == 3 and "header_only.csv: no data rows after the header" in r.stderr and not r.stdout,
       "map spatial on a header-only file: exit 3", r.stderr + r.stdout)
    f = write(work, "f_ind.csv", "id,industry,lat,lon,v\nF1,a,52.2,21.0,1\nF2,a,52.21,21.01,3\n")
    for cmd in (["spatial", "--eps", "1000"], ["hotspots", "--value", "v", "--band", "1000"]):
        r = run("map", cmd[0], f, "--industry", "NOPE", *cmd[1:])
        ok(r.returncode == 3 and "f_ind.csv: no firm has industry NOPE" in r.stderr and not r.stdout,
           "map %s --industry NOPE: exit 3 naming the file and the industry" % cmd[0], r.stderr + r.stdout)


def islands(work):
    # 7. a firm with no other firm within the band: Gi* still has a z (it counts itself)
    f = write(work, "islands.csv", "id,lat,lon,v\nF1,52.2,21.0,1\nF2,52.201,21.001,3\nF3,52.202,21.002,4\n"
              "F4,50.0,19.0,9\nF5,52.203,21.003,2\n")
    r = run("map", "hotspots", f, "--value", "v", "--band", "2000")
    rows = by(rows_of(r.stdout), "id")
    ok(r.returncode == 0 and rows[("F4",)]["z"] != "", "Gi*: an isolated firm has a z (docs/MAPPING.md)",
       r.stderr + r.stdout)
    # by hand: n = 5, S = 19, S2 = 111, W = 1: G = 9/19, E = 1/5, V = 1*4/4/25 * s2/m2
    m, s2 = 19 / 5.0, 111 / 5.0 - (19 / 5.0) ** 2
    z = (9 / 19.0 - 0.2) / math.sqrt(4 / 4.0 / 25 * s2 / m ** 2)
    ok(rows and close(float(rows[("F4",)]["z"]), z, 1e-7), "… its z rests on its own value: %.6f" % z, rows.get(("F4",)))
    r2 = run("map", "hotspots", f, "--value", "v", "--band", "2000", "--no-star")
    rows2 = by(rows_of(r2.stdout), "id")
    ok(r2.returncode == 0 and rows2[("F4",)]["z"] == "", "Gi: an isolated firm has no z", r2.stdout)
    ok("islands.csv: 1 point of 5 has no neighbour within the band (first: F4); its Gi* rests on itself "
       "alone" in r.stderr, "the notice counts the islands and names the first by its id", r.stderr)
    # a grid whose band is below the cell size: every cell would be alone, so no hot spot means anything
    r = run("map", "hotspots", f, "--cell", "5000", "--band", "1000")
    ok(r.returncode == 2 and "--band 1000 is less than --cell 5000: no cell would have a neighbour" in r.stderr
       and not r.stdout, "--cell with a band below the cell: a usage error before reading", r.stderr)
    # a band of one cell: the 8 cells around at most are √2 cells away, the 4 next ones within it
    r = run("map", "hotspots", f, "--cell", "5000", "--band", "5000")
    ok(r.returncode == 0, "--band equal to --cell: taken", r.stderr)



def crosswalk_reference(work):
    """A crosswalk adds up the reference's codes of one cluster; a part given as ':' leaves the
    cluster's reference value unknown (never the known parts' total, which would pass for the
    nation's and raise the LQs).  xw_data.csv: 02 has C26 100 + C27 50 = ELEC 150 and G47 30 =
    RETAIL 30; 04 has ELEC 25 and RETAIL 10 (X99 skipped)."""
    d = os.path.join(ROOT, "tests", "data", "stats", "xw_data.csv")
    xw = os.path.join(ROOT, "tests", "data", "stats", "crosswalk.csv")
    # 1. every part known: ELEC = 1000 + 500, E = 1500 + 3000; LQ 02 ELEC = (150/180) / (1500/4500) = 2.5
    known = write(work, "xref_known.csv", "industry,employment\nC26,1000\nC27,500\nG47,3000\n")
    r = run("map", "indicators", d, "--crosswalk", xw, "--skip-unmapped", "--reference", known)
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("02", "ELEC")]["lq"]), (150 / 180.0) / (1500 / 4500.0))
       and "leaves" not in r.stderr, "a crosswalk sums the reference's codes: LQ 02 ELEC = 2.5", r.stderr)
    # 2. C27 ':' (before or after C26): ELEC unknown in the reference; it counts in E at the regions'
    #    own 150 + 25: E = 3000 + 175; LQ 02 RETAIL = (30/180) / (3000/3175)
    for order, text in (("after", "industry,employment\nC26,1000\nC27,:\nG47,3000\n"),
                        ("before", "industry,employment\nC27,:\nC26,1000\nG47,3000\n")):
        ref = write(work, "xref_%s.csv" % order, text)
        r = run("map", "indicators", d, "--crosswalk", xw, "--skip-unmapped", "--reference", ref)
        rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
        ok(rows and rows[("02", "ELEC")]["lq"] == "" and rows[("04", "ELEC")]["lq"] == ""
           and rows[("02", "ELEC")]["share_of_industry"] == "" and rows[("02", "ELEC")]["strong"] == ""
           and close(num(rows[("02", "RETAIL")]["lq"]), (30 / 180.0) / (3000 / 3175.0))
           and close(num(rows[("04", "RETAIL")]["lq"]), (10 / 35.0) / (3000 / 3175.0)),
           "a reference part ':' (%s the known one): the cluster's LQs empty, E counts it at the regions' "
           "175" % order, r.stderr + r.stdout)
        ok("xref_%s.csv: the reference economy leaves 1 industry-year of the data unknown (first: ELEC)" % order
           in r.stderr, "  and the notice says the reference leaves ELEC unknown", r.stderr)
    # 3. C27 not in the reference at all, while the data gives it: ELEC unknown as with ':' (not the
    #    C26 total alone, a lower bound that raised the LQs or failed as less than the regions' 175)
    for c26, what in (("1000", "above the regions' total"), ("100", "below the regions' total")):
        ref = write(work, "xref_gap.csv", "industry,employment\nC26,%s\nG47,3000\n" % c26)
        r = run("map", "indicators", d, "--crosswalk", xw, "--skip-unmapped", "--reference", ref)
        rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
        ok(rows and rows[("02", "ELEC")]["lq"] == "" and rows[("04", "ELEC")]["lq"] == ""
           and close(num(rows[("02", "RETAIL")]["lq"]), (30 / 180.0) / (3000 / 3175.0)),
           "a code of the data missing from the reference (C26 %s, %s): the cluster's reference unknown, "
           "as for ':'" % (c26, what), r.stderr + r.stdout)
        ok("xref_gap.csv: 1 code of the crosswalk that the data gives is not in the reference economy (C27 of "
           "ELEC, given at %s:3): it leaves its cluster's reference value unknown" % d in r.stderr
           and "xref_gap.csv: the reference economy leaves 1 industry-year of the data unknown (first: ELEC)"
           in r.stderr, "  and the notices name the code, its cluster and the data's line", r.stderr)
    # a code of the crosswalk that neither the data nor the reference gives changes nothing
    xw2 = write(work, "xw_extra.csv", open(xw, encoding="utf-8").read() + "C28,ELEC,1\n")
    r = run("map", "indicators", d, "--crosswalk", xw2, "--skip-unmapped", "--reference", known)
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("02", "ELEC")]["lq"]), (150 / 180.0) / (1500 / 4500.0))
       and "not in the reference" not in r.stderr and "leaves" not in r.stderr,
       "a crosswalk code neither the data nor the reference gives: nothing unknown", r.stderr)
    # by year: C27 given by the reference in 2015 only and by the data in 2016 only: ELEC unknown in
    # 2016 alone
    dy = write(work, "xw_data_years.csv", "region,industry,year,employment\n02,C26,2015,100\n02,C26,2016,100\n"
               "02,C27,2016,50\n02,G47,2015,30\n02,G47,2016,30\n04,C26,2015,25\n04,C26,2016,25\n"
               "04,G47,2015,10\n04,G47,2016,10\n")
    refy = write(work, "xref_years.csv", "industry,year,employment\nC26,2015,1000\nC26,2016,1000\n"
                 "C27,2015,500\nG47,2015,3000\nG47,2016,3000\n")
    r = run("map", "indicators", dy, "--crosswalk", xw, "--reference", refy)
    rows = by(rows_of(r.stdout), "region", "industry", "year") if r.returncode == 0 else {}
    ok(rows and rows[("02", "ELEC", "2016")]["lq"] == "" and rows[("02", "ELEC", "2015")]["lq"] != ""
       and "(C27 of ELEC in 2016, given at %s:4)" % dy in r.stderr,
       "by year: a code the reference lacks in the data's year leaves that year's value unknown", r.stderr)


def related_no_rows(work):
    # region C has rows in 2015 only: relatedness of 2023 (the latest) is refused naming the file, as
    # map indicators refuses it, not with a message that names no file
    d = write(work, "c_2015_only.csv", "region,industry,year,employment\nA,x,2015,10\nA,y,2015,20\n"
              "B,x,2015,30\nB,y,2015,5\nC,x,2015,4\nC,y,2015,4\nA,x,2023,10\nA,y,2023,20\nB,x,2023,30\n"
              "B,y,2023,5\n")
    for cmd in ("indicators", "relatedness"):
        r = run("map", cmd, d, "--year", "2023")
        ok(r.returncode == 3 and "klaster: %s: region C has no rows in 2023 (no employment)" % d in r.stderr
           and not r.stdout, "map %s: a region without rows in the year is named with the file" % cmd, r.stderr)


def shift_share_one_period(work):
    # data without a year column is one period, not a year 0
    d = write(work, "no_year.csv", "region,industry,employment\nA,x,10\nB,x,5\n")
    r = run("map", "shift-share", d)
    ok(r.returncode == 3 and "%s: shift-share compares two years and the data has no year column (one period)" % d
       in r.stderr, "shift-share on data without years says so, not 'has one (0)'", r.stderr)
    d = write(work, "one_year.csv", "region,industry,year,employment\nA,x,2015,10\nB,x,2015,5\n")
    r = run("map", "shift-share", d)
    ok(r.returncode == 3 and "the data has one (2015)" in r.stderr, "shift-share on data of one year names it",
       r.stderr)


def shift_share_industry_neither(work):
    # w has values in 2019 only: between 2015 and 2023 it has no rows, as a region of neither year
    d = write(work, "w_2019.csv", "region,industry,year,employment\nA,x,2015,10\nA,x,2019,10\nA,w,2019,10\n"
              "A,x,2023,12\nB,x,2015,5\nB,x,2023,6\nB,w,2019,3\n")
    r = run("map", "shift-share", d, "--from", "2015", "--to", "2023")
    rows = rows_of(r.stdout) if r.returncode == 0 else []
    ok(rows and sorted((x["region"], x["industry"]) for x in rows) == [("A", "x"), ("B", "x")] and
       "%s: 1 industry has no data in 2015 or 2023 and has no rows (w)" % d in r.stderr,
       "shift-share: an industry of neither year has no rows, and is named", r.stdout + r.stderr)


def reference_industries(work):
    # E sums the reference's values of the data's industries: z, which the data lacks, adds nothing
    d = write(work, "d_xy.csv", "region,industry,employment\nA,x,10\nA,y,5\nB,x,3\nB,y,8\n")
    r1 = write(work, "ref_xyz.csv", "industry,employment\nx,100\ny,100\nz,7\n")
    r = run("map", "indicators", d, "--reference", r1)
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("A", "x")]["lq"]), (10 / 15) / (100 / 200)) and ("A", "z") not in rows,
       "a reference's industry that the data lacks is not in E", r.stdout + r.stderr)
    # --sum adds a reference's repeated rows; an unknown one leaves the sum unknown
    r2 = write(work, "ref_twice.csv", "industry,employment\nx,60\nx,40\ny,100\n")
    r = run("map", "indicators", d, "--reference", r2)
    ok(r.returncode == 3 and "ref_twice.csv:3: reference employment for industry x given twice (first at line 2)"
       in r.stderr, "a reference's industry on two rows is an error without --sum", r.stderr)
    r = run("map", "indicators", d, "--reference", r2, "--sum")
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("A", "x")]["lq"]), (10 / 15) / (100 / 200)),
       "--sum adds a reference's repeated rows", r.stdout + r.stderr)
    r3 = write(work, "ref_twice_unknown.csv", "industry,employment\nx,100\nx,:\ny,100\n")
    r = run("map", "indicators", d, "--reference", r3, "--sum")
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and rows[("A", "x")]["lq"] == "" and rows[("A", "y")]["lq"] != "",
       "--sum: a reference's sum with an unknown part is unknown", r.stdout + r.stderr)


def reference_industries_of_year(work):
    # an industry with no value in any region in a year is no industry of that year: its reference
    # value is not in that year's E, as map indices leaves it out.  z has B's 5 in 2015 and nothing
    # in 2016: A x 2016 = (50/60) / (200/310), as on the 2016 rows alone — not with z's 1000 in E
    rows16 = "A,x,2016,50\nA,y,2016,10\nB,x,2016,50\n"
    d = write(work, "z_2015.csv", "region,industry,year,employment\nA,x,2015,50\nA,y,2015,10\nB,x,2015,50\n"
              "B,z,2015,5\n" + rows16)
    d2 = write(work, "z_none.csv", "region,industry,year,employment\n" + rows16)
    ref = write(work, "ref_z.csv", "industry,year,employment\nx,2015,200\ny,2015,110\nz,2015,1000\n"
                "x,2016,200\ny,2016,110\nz,2016,1000\n")
    want = (50 / 60.0) / (200 / 310.0)
    for data, what in ((d, "z of 2015 only"), (d2, "the 2016 rows alone")):
        r = run("map", "indicators", data, "--reference", ref)
        rows = by(rows_of(r.stdout), "region", "industry", "year") if r.returncode == 0 else {}
        ok(rows and close(num(rows[("A", "x", "2016")]["lq"]), want),
           "reference: A x 2016 = (50/60) / (200/310) with %s" % what, r.stdout + r.stderr)
    r = run("map", "indicators", d, "--reference", ref)
    rows = by(rows_of(r.stdout), "region", "industry", "year") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("A", "x", "2015")]["lq"]), (50 / 60.0) / (200 / 1310.0)),
       "reference: z is an industry of 2015, in its E", r.stdout + r.stderr)
    # an empty value and an absent row are both missing: B,z empty is as no B,z row
    ref1 = write(work, "ref_z1.csv", "industry,employment\nx,200\ny,110\nz,1000\n")
    for extra, what in (("B,z,\n", "B z empty"), ("", "no B z row")):
        e = write(work, "z_empty.csv", "region,industry,employment\nA,x,50\nA,y,10\nB,x,50\n" + extra)
        r = run("map", "indicators", e, "--reference", ref1)
        rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
        ok(rows and close(num(rows[("A", "x")]["lq"]), want), "reference: A x = (50/60) / (200/310) with " + what,
           r.stdout + r.stderr)
    # --base traded with a reference: E sums the traded industries of the year's data (w is local)
    t = write(work, "z_traded.csv", "region,industry,year,employment,traded\nA,x,2015,50,1\nA,y,2015,10,1\n"
              "A,w,2015,30,0\nB,x,2015,50,1\nB,z,2015,5,1\nB,w,2015,30,0\nA,x,2016,50,1\nA,y,2016,10,1\n"
              "A,w,2016,30,0\nB,x,2016,50,1\nB,w,2016,30,0\n")
    reft = write(work, "ref_zw.csv", open(ref).read() + "w,2015,500\nw,2016,500\n")
    r = run("map", "indicators", t, "--reference", reft, "--base", "traded", "--year", "2016")
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("A", "x")]["lq"]), want) and rows[("A", "w")]["lq"] == "",
       "reference, --base traded: A x 2016 = (50/60) / (200/310)", r.stdout + r.stderr)
    r = run("map", "indicators", t, "--reference", reft, "--year", "2016")
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ok(rows and close(num(rows[("A", "x")]["lq"]), (50 / 90.0) / (200 / 810.0)),
       "reference, --base all: A x 2016 = (50/90) / (200/810)", r.stdout + r.stderr)
    # relatedness's RCA is that LQ: A y 2016 = (10/60) / (110/310) < 1, so x and y share no region
    for data in (d, d2):
        r = run("map", "relatedness", data, "--reference", ref, "--year", "2016")
        rows = by(rows_of(r.stdout), "industry", "other_industry") if r.returncode == 0 else {}
        ok(rows and rows[("x", "y")]["proximity"] == "0",
           "relatedness 2016 of %s: proximity x y 0" % os.path.basename(data), r.stdout + r.stderr)
    # shift-share: z of 2019 alone is no industry of 2015 or 2023, and its reference values are
    # not in E0, E1: G = (430 - 400) / 400, A x (G_x = 0.1): NS 7.5, IM 2.5, RS 0
    s = write(work, "z_2019.csv", "region,industry,year,employment\nA,x,2015,100\nA,y,2015,50\nB,x,2015,50\n"
              "B,y,2015,20\nA,z,2019,5\nA,x,2019,100\nA,x,2023,110\nA,y,2023,55\nB,x,2023,60\nB,y,2023,20\n")
    refs = write(work, "ref_z2019.csv", "industry,year,employment\nx,2015,300\ny,2015,100\nz,2015,1000\n"
                 "x,2019,300\ny,2019,100\nz,2019,1000\nx,2023,330\ny,2023,100\nz,2023,3000\n")
    r = run("map", "shift-share", s, "--reference", refs, "--from", "2015", "--to", "2023")
    rows = by(rows_of(r.stdout), "region", "industry") if r.returncode == 0 else {}
    ax = rows.get(("A", "x"), {})
    ok(ax and close(num(ax["national_share"]), 7.5) and close(num(ax["industry_mix"]), 2.5) and
       ax["regional_shift"] == "0", "shift-share: a reference industry of neither year is not in G",
       r.stdout + r.stderr)


def shift_share_from_nothing(work):
    # y has no employment in any region in 2015: no growth rate (of A y, or of y), but NS = 0 x G
    # and IM = 0 x (G_y - G) are 0 whatever G_y, and A y's whole change is its regional shift, so
    # the components add up to the change of 25
    d = write(work, "y_from_0.csv", "region,industry,year,employment\nA,x,2015,100\nA,y,2015,0\nB,x,2015,50\n"
              "B,y,2015,0\nA,x,2023,110\nA,y,2023,5\nB,x,2023,60\nB,y,2023,0\n")
    parts = ("national_share", "industry_mix", "regional_shift")
    for fmt in ("csv", "json"):
        out = os.path.join(work, "y_from_0_shift." + fmt)
        r = run("map", "shift-share", d, "-o", out)
        rows = []
        if r.returncode == 0:
            with open(out, encoding="utf-8") as f:
                rows = json.load(f) if fmt == "json" else rows_of(f.read())
        rows = by(rows, "region", "industry")
        ay = rows.get(("A", "y"), {})
        empty = None if fmt == "json" else ""
        ok(ay and ay["growth"] == empty and num(ay["national_share"]) == 0 and num(ay["industry_mix"]) == 0 and
           num(ay["regional_shift"]) == 5 and
           close(sum(num(x[c]) for x in rows.values() for c in parts), 25),
           "shift-share (%s): growth from nothing in an industry of no employment: NS 0, IM 0, RS the change, "
           "no growth; the components add up to the change" % fmt, ay)


def main():
    work = workdir("klaster-ref.")
    reference(work)
    crosswalk_reference(work)
    reference_industries(work)
    reference_industries_of_year(work)
    one_year(work)
    shift_share(work)
    columns_as_spelled(work)
    firm_readers(work)
    pipes(work)
    empty_spatial(work)
    islands(work)
    related_no_rows(work)
    shift_share_one_period(work)
    shift_share_industry_neither(work)
    shift_share_from_nothing(work)
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
