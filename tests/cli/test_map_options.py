#!/usr/bin/env python3
"""The command lines of `klaster map …` and `klaster-map …`: each command
takes only its own options, conflicting options and bad values are usage
errors (exit 2) told before any input is read, help per command, and input
from standard input or a pipe.  Prints TAP."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap, rows_of  # noqa: E402

TAP = Tap()
ok = TAP.ok
MAPBIN = os.environ.get("KLASTER_MAP_BIN") or os.path.join(os.path.dirname(BIN), "klaster-map")
DATA = os.path.join(ROOT, "tests", "data", "stats")
LONG = os.path.join(DATA, "long_year.csv")
EUTL = os.path.join(ROOT, "data", "firms", "eutl_installations_PL_slim.csv")
VOIV = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")


def run(binary, args, stdin=None, env=None):
    return subprocess.run([binary] + list(args), cwd=ROOT, capture_output=True, text=True, timeout=300,
                          input=stdin, env=env)


def kl(*args, **kw):
    return run(BIN, ["map"] + list(args), **kw)


def km(*args, **kw):
    return run(MAPBIN, list(args), **kw)


def usage_error(r, *words):
    """Exit 2 with every word in the message, and nothing on standard output."""
    return r.returncode == 2 and all(w in r.stderr for w in words) and not r.stdout


def main():
    work = tempfile.mkdtemp(prefix="klaster-map-opts.")
    missing = os.path.join(work, "no-such-input.csv")   # read → exit 1: a usage error comes first
    out = os.path.join(work, "out.csv")

    # 1. an option of another command is refused, naming the option and the command
    for args, words in [
        (["indices", missing, "--from", "1999"], ["--from does not apply to map indices"]),
        (["shift-share", missing, "--from", "2015", "--to", "2016", "--base", "bogus"],
         ["--base does not apply to map shift-share"]),
        (["indicators", missing, "--industry", "x", "--indicator", "bogus", "--classes", "99"],
         ["--industry does not apply to map indicators"]),
        (["indicators", missing, "--classes", "3"], ["--classes does not apply to map indicators"]),
        (["relatedness", missing, "--boundaries", VOIV], ["--boundaries does not apply to map relatedness"]),
        (["spatial", missing, "--eps", "1000", "--value", "v"], ["--value does not apply to map spatial"]),
        (["hotspots", missing, "--value", "v", "--band", "9", "--year", "2015"],
         ["--year does not apply to map hotspots without --regions"]),
        (["hotspots", missing, "--regions", VOIV, "--industry", "C", "--band", "9", "--planar"],
         ["--planar does not apply to map hotspots --regions"]),
        (["indices", missing, "--colour", "red"], ["unknown option '--colour' of map indices"]),
        # a bad --base names the command as typed
        (["indices", missing, "--base", "traded"], ["map indices: --base must be region or industry, not 'traded'"]),
        (["relatedness", missing, "--base", "bogus"],
         ["map relatedness: --base must be pairs, density or groups, not 'bogus'"]),
        (["related", missing, "--base", "bogus"], ["map related: --base must be pairs"]),
    ]:
        for name, r in (("klaster map", kl(*args, "-o", out)), ("klaster-map", km(*args, "-o", out))):
            ok(usage_error(r, *words) and not os.path.exists(out),
               "%s %s: exit 2 before reading, says %r" % (name, " ".join(args[:1] + args[2:]), words[0]),
               (r.returncode, r.stderr))
    r = kl("sideways", LONG)
    ok(usage_error(r, "map what?", "'sideways'"), "an unknown map command: exit 2, named", r.stderr)

    # 2. an option given twice, or without its value, is told so
    r = kl("indicators", LONG, "--region-length", "4", "--region-length", "2")
    ok(usage_error(r, "--region-length is given twice"), "an option given twice", r.stderr)
    r = kl("indicators", LONG, "-o", out, "--output", out)
    ok(usage_error(r, "--output is given twice (also as -o)"), "-o and --output are one option", r.stderr)
    r = kl("indicators", LONG, "--year")
    ok(usage_error(r, "--year needs a value"), "a trailing option without its value", r.stderr)
    r = kl("indicators", LONG, "--year", "--sum")
    ok(usage_error(r, "--year needs a value"), "an option followed by another option: needs a value", r.stderr)
    r = kl("indicators", LONG, "--sum=1")
    ok(usage_error(r, "--sum takes no value"), "a flag with =VALUE", r.stderr)
    db = "sqlite:" + os.path.join(work, "opts.db")
    # the commands of the database want one that is there and migrated (told before the options)
    r = subprocess.run([BIN, "--db", db, "export", "clusters"], cwd=work, capture_output=True, text=True, timeout=60)
    ok(r.returncode == 4 and "there is no database" in r.stderr and "klaster db migrate" in r.stderr and
       not os.path.exists(db[len("sqlite:"):]), "a database that is not there: exit 4, not created", r.stderr)
    subprocess.run(["sqlite3", db[len("sqlite:"):], "CREATE TABLE t(a)"], check=True)
    r = subprocess.run([BIN, "--db", db, "export", "clusters"], cwd=work, capture_output=True, text=True, timeout=60)
    ok(r.returncode == 6 and "the database has no tables yet: run 'klaster db migrate' first" in r.stderr,
       "a database without the schema: exit 6, names db migrate", r.stderr)
    subprocess.run([BIN, "--db", db, "db", "migrate"], cwd=work, capture_output=True, timeout=60, check=True)
    r = subprocess.run([BIN, "--db", db, "export", "clusters", "-o", "a.csv", "-o", "b.csv"], cwd=work,
                       capture_output=True, text=True, timeout=60)
    ok(usage_error(r, "-o is given twice"), "other commands: an option given twice (cli.c)", r.stderr)
    r = subprocess.run([BIN, "--db", db, "export", "organisations", "--type"], cwd=work, capture_output=True,
                       text=True, timeout=60)
    ok(usage_error(r, "--type needs a value"), "other commands: a trailing option without its value", r.stderr)

    # 3. conflicting options
    draw = ["draw", missing, "--boundaries", VOIV, "--industry", "C31"]
    for args, words in [
        (draw + ["--classes", "3", "--breaks", "1,2", "-o", os.path.join(work, "m.svg")],
         ["--classes and --breaks"]),
        (draw + ["-o", os.path.join(work, "x.svg"), "--output-format", "png"], ["ends in .svg", "png"]),
        (["indicators", missing, "-o", os.path.join(work, "o.csv"), "--output-format", "json"],
         ["ends in .csv", "json"]),
        (["hotspots", missing, "--value", "v", "--band", "9", "--star", "--no-star"], ["--star and --no-star"]),
        (["hotspots", missing, "--regions", VOIV, "--industry", "C", "--band", "9", "--star", "--no-star"],
         ["--star and --no-star"]),
        (["indicators", missing, "--code-property", "teryt"], ["--code-property goes with --boundaries"]),
        (["indicators", missing, "--skip-unmapped"], ["--skip-unmapped goes with --crosswalk"]),
        # --region of a region the filters leave out: the filter named, not "no such region"
        (["indicators", missing, "--region-prefix", "a", "--region", "B"],
         ["--region B: --region-prefix a leaves it out", "leave out --region-prefix"]),
        (["indicators", missing, "--region-length", "4", "--region", "PL2"],
         ["--region PL2: --region-length 4 leaves it out (its code has 3 characters)"]),
        (["hotspots", missing, "--regions", VOIV, "--industry", "C", "--band", "9", "--skip-unmapped"],
         ["--skip-unmapped goes with --crosswalk"]),
        (["hotspots", missing, "--cell", "20000", "--code-property", "teryt"],
         ["--code-property goes with --boundaries FILE.geojson (of --map)"]),
        (["hotspots", missing, "--cell", "20000", "--skip-invalid"],
         ["--skip-invalid skips the bad values of --value COLUMN", "not with --cell"]),
        # values that need no data are checked before the input is read too
        (draw + ["--breaks", "2,1", "-o", os.path.join(work, "m.svg")], ["breaks '2,1'", "must increase"]),
        (draw + ["--breaks", "1,x", "-o", os.path.join(work, "m.svg")], ["breaks '1,x'", "numbers"]),
        # an empty break anywhere, at the end too, is named with what to write
        (draw + ["--breaks", "1,2,", "-o", os.path.join(work, "m.svg")],
         ["--breaks '1,2,': value 3 is empty (after the last comma)", "(--breaks '1,2')"]),
        (draw + ["--breaks", "1,,2", "-o", os.path.join(work, "m.svg")],
         ["--breaks '1,,2': value 2 is empty (between two commas)", "(--breaks '1,2')"]),
        (draw + ["--breaks", ",1", "-o", os.path.join(work, "m.svg")],
         ["--breaks ',1': value 1 is empty (before the first comma)"]),
        (draw + ["--breaks", "0x1", "-o", os.path.join(work, "m.svg")], ["breaks '0x1'", "decimal numbers"]),
        (draw + ["--breaks", "1e-400", "-o", os.path.join(work, "m.svg")], ["1e-400 is out of the range"]),
        (draw + ["--indicator", "foo", "-o", os.path.join(work, "m.svg")],
         ["--indicator must be one of", "'foo'"]),
        (draw + ["--indicator", "q", "-o", os.path.join(work, "m.svg")], ["--indicator must be one of", "'q'"]),
        (draw + ["--indicator", "stars", "--classes", "3", "-o", os.path.join(work, "m.svg")],
         ["stars is drawn in its categories"]),
        (["hotspots", missing, "--regions", VOIV, "--industry", "C", "--band", "9", "--indicator", "share"],
         ["--indicator must be one of", "'share'"]),
        # the map as a GIS layer has no classes, title, source line or legend: their options are refused,
        # not left without effect
        (draw + ["--classes", "3", "-o", os.path.join(work, "m.geojson")],
         ["map draw: --classes is an option of the picture", "leave out --classes"]),
        (draw + ["--breaks", "1,2", "-o", os.path.join(work, "m.GeoJSON")], ["--breaks is an option of the picture"]),
        (draw + ["--title", "T", "--output-format", "geojson", "-o", "-"], ["--title is an option of the picture"]),
        (draw + ["--source", "S", "-o", os.path.join(work, "m.geojson")], ["--source is an option of the picture"]),
        (draw + ["--lang", "pl", "-o", os.path.join(work, "m.geojson")], ["--lang is an option of the picture"]),
        # an --eps or --band below the smallest number is too small, not "too large"
        (["spatial", missing, "--eps", "1e-320"], ["--eps 1e-320 is too small a number to compute with"]),
        (["spatial", missing, "--eps", "1e-400"], ["--eps 1e-400 is too small a number to compute with"]),
        (["hotspots", missing, "--value", "v", "--band", "1e-320"], ["--band 1e-320 is too small a number"]),
    ]:
        r = kl(*args)
        ok(usage_error(r, *words), "conflict %s: exit 2 before reading" % " ".join(args[2:]), r.stderr)
    db = "sqlite:" + os.path.join(work, "kinds.db")
    subprocess.run([BIN, "--db", db, "db", "migrate"], cwd=ROOT, capture_output=True, timeout=60, check=True)
    for args, words in [
        (["--region-kind", "foo"], ["--region-kind must be teryt, nuts2013 or other", "'foo'"]),
        (["--dataset", "Bad Name"], ["--dataset 'Bad Name'"]),
        (["--skip-unmapped"], ["--skip-unmapped goes with --crosswalk"]),
        (["--code-property", "teryt"], ["--code-property goes with --boundaries"]),
    ]:
        cmd = [BIN, "--db", db, "import", "stats", missing] + (["--dataset", "d"] if "--dataset" not in args else [])
        r = subprocess.run(cmd + args, cwd=ROOT, capture_output=True, text=True, timeout=60)
        ok(usage_error(r, *words), "import stats %s: exit 2 before reading" % " ".join(args), r.stderr)
    # a database without boundaries yet: that is said, with the command that loads them, not the codes
    db = "sqlite:" + os.path.join(work, "bare.db")
    vv = os.path.join(work, "vv.csv")
    with open(vv, "w") as f:
        f.write("region,industry,employment\n02,C,10\n04,C,20\n02,G,5\n04,G,7\n")
    r = subprocess.run([BIN, "--db", db, "db", "migrate"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    ok(r.returncode == 0, "db migrate: a database without reference data", r.stderr)
    for kind in ("teryt", "nuts2013"):
        r = subprocess.run([BIN, "--db", db, "import", "stats", vv, "--dataset", "vv", "--region-kind", kind],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
        ok(r.returncode == 0 and "dataset vv: the database has no boundaries yet" in r.stderr and
           "draws none of its 2 regions" in r.stderr and "klaster import reference DIR" in r.stderr and
           "(first: 02)" not in r.stderr and "TERYT codes" not in r.stderr,
           "import stats (%s) before import reference: the missing boundaries named as the cause, with the "
           "command, not the codes" % kind, r.stderr)
    # a reference directory with one broken file loads nothing of it (one transaction)
    bad = os.path.join(work, "badref")
    shutil.copytree(os.path.join(ROOT, "data", "reference"), os.path.join(bad, "reference"))
    with open(os.path.join(bad, "reference", "pkd2007_names.csv"), "a") as f:
        f.write('Z99,"unterminated,x\n')
    r = subprocess.run([BIN, "--db", db, "import", "reference", bad], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    q = subprocess.run(["sqlite3", db[len("sqlite:"):], "SELECT count(*) FROM region"], capture_output=True,
                       text=True)
    ok(r.returncode == 3 and "nothing loaded (the reference data are as they were)" in r.stderr and
       "pkd2007_names.csv:" in r.stderr and "loaded" not in r.stdout and q.stdout.strip() == "0",
       "import reference with a broken file: exit 3, nothing of the directory stored", (r.stderr, r.stdout, q.stdout))
    # a NUTS region with a null geometry (which the boundaries of the map commands leave out) is refused
    # naming it, not by the database's NOT NULL constraint
    shutil.rmtree(bad)
    shutil.copytree(os.path.join(ROOT, "data", "reference"), os.path.join(bad, "reference"))
    nuts2 = os.path.join(bad, "reference", "eu_nuts2_2021_20M_4326.geojson")
    with open(nuts2, encoding="utf-8") as f:
        fc = json.load(f)
    fc["features"][1]["geometry"] = None
    with open(nuts2, "w", encoding="utf-8") as f:
        json.dump(fc, f)
    r = subprocess.run([BIN, "--db", db, "import", "reference", bad], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    ok(r.returncode == 3 and ("eu_nuts2_2021_20M_4326.geojson: feature 2 (code %s): geometry is null (1 such "
                              "feature): every region loaded into the database needs its boundary"
                              % fc["features"][1]["properties"]["NUTS_ID"]) in r.stderr and
       "constraint" not in r.stderr, "import reference: a NUTS region without a geometry is named", r.stderr)
    # the same for the voivodeships (which were stored without a boundary)
    shutil.rmtree(bad)
    shutil.copytree(os.path.join(ROOT, "data", "reference"), os.path.join(bad, "reference"))
    voiv = os.path.join(bad, "reference", "voivodeships.geojson")
    with open(voiv, encoding="utf-8") as f:
        fc = json.load(f)
    fc["features"][2]["geometry"] = fc["features"][5]["geometry"] = None
    with open(voiv, "w", encoding="utf-8") as f:
        json.dump(fc, f)
    r = subprocess.run([BIN, "--db", db, "import", "reference", bad], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    ok(r.returncode == 3 and ("voivodeships.geojson: feature 3 (code %s): geometry is null (2 such features)"
                              % fc["features"][2]["properties"]["teryt"]) in r.stderr,
       "import reference: a voivodeship without a geometry is named, not stored without its boundary", r.stderr)
    r = subprocess.run([BIN, "--db", db, "import", "reference", os.path.join(ROOT, "data")], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    ok(r.returncode == 0, "import reference data", r.stderr)
    r = subprocess.run([BIN, "--db", db, "import", "stats", vv, "--dataset", "vv"], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    ok(r.returncode == 0 and "no boundaries" not in r.stderr, "  after it: voivodeships 02 and 04 drawn, no notice",
       r.stderr)
    # an ending that names no format, a device, standard output stay allowed with --output-format
    for target in (os.path.join(work, "table.out"), "/dev/null", "-"):
        r = kl("indicators", LONG, "-o", target, "--output-format", "json")
        ok(r.returncode == 0, "-o %s --output-format json is allowed" % os.path.basename(target), r.stderr)
    # -o with no ending or .txt writes CSV, as docs/CLI.md says
    for name in ("plain", "table.txt"):
        path = os.path.join(work, name)
        r = kl("indicators", LONG, "-o", path)
        text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        ok(r.returncode == 0 and text.startswith("region,"), "-o %s is written as CSV" % name, r.stderr)
    r = kl("indicators", LONG, "-o", os.path.join(work, "t.png"))
    ok(usage_error(r, "t.png", ".csv, .json or .xlsx"), "-o with another ending: exit 2", r.stderr)
    # --boundaries on a file that names its regions: a notice that it is not used
    coded = os.path.join(work, "coded.csv")
    with open(coded, "w") as f:
        f.write("id,industry,region,lat,lon\nf1,C26,14,52.23,21.01\nf2,C10,12,50.06,19.94\n")
    r = kl("indicators", coded, "--format", "firms", "--boundaries", VOIV)
    ok(r.returncode == 0 and "--boundaries is not used" in r.stderr, "--boundaries with a region column: a notice",
       r.stderr)

    # 4. spatial's map options are checked before the input is read (a missing input: still exit 2)
    for args, words in [
        (["--map", os.path.join(work, "m.png")], ["--map", "--boundaries"]),
        (["--boundaries", VOIV], ["--boundaries goes with --map"]),
        (["--boundaries", VOIV, "--map", os.path.join(work, "m.jpg")], ["m.jpg", ".svg, .png or .pdf"]),
        (["--title", "T"], ["--title goes with --map"]),
    ]:
        r = kl("spatial", missing, "--eps", "1000", *args, "-o", out)
        ok(usage_error(r, *words) and not os.path.exists(out), "map spatial %s: exit 2 before reading" %
           " ".join(a if not a.startswith("/") else os.path.basename(a) for a in args), r.stderr)
    r = km("spatial", missing, "--eps", "1000", "--map", os.path.join(work, "m.png"))
    ok(usage_error(r, "--boundaries"), "klaster-map spatial --map without --boundaries: exit 2", r.stderr)

    # 5. years are checked and quoted as given
    for opt in ("--from", "--to"):
        args = {"--from": "2015", "--to": "2016"}
        args[opt] = "99999999999"
        r = kl("shift-share", LONG, "--from", args["--from"], "--to", args["--to"])
        ok(usage_error(r, opt, "'99999999999'", "1 to 9999"), "shift-share %s 99999999999: quoted as given" % opt,
           r.stderr)
        args[opt] = "0"
        r = kl("shift-share", LONG, "--from", args["--from"], "--to", args["--to"])
        ok(usage_error(r, "%s must be a year from 1 to 9999, not '0'" % opt),
           "shift-share %s 0: refused, as the data's years run from 1" % opt, r.stderr)
    # year 0 is no year of the data: --year 0 is refused by every command that takes it, never read as
    # the one period of a file without a year column
    noyear = os.path.join(work, "noyear.csv")
    with open(noyear, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\nA,x,10\nA,y,5\nB,x,3\nB,y,9\n")
    want0 = "--year must be a year from 1 to 9999, not '0' (data without a year column is one period: leave --year out)"
    for args in (["indicators"], ["indices"], ["relatedness"], ["draw", "--industry", "x", "--boundaries", VOIV,
                                                            "-o", os.path.join(work, "m.svg")],
                 ["hotspots", "--regions", VOIV, "--band", "1000", "--industry", "x"]):
        for y in ("0", "0000"):
            r = kl(args[0], noyear, "--year", y, *args[1:])
            ok(usage_error(r, want0.replace("'0'", "'%s'" % y)) and " rows, " not in r.stderr,
               "map %s --year %s: refused before reading, saying to leave --year out" % (args[0], y), r.stderr)
    for opt in ("--from", "--to"):
        r = kl("draw", LONG, "--indicator", "growth", opt, "0", "--industry", "C", "--boundaries", VOIV,
               "-o", os.path.join(work, "m.svg"))
        ok(usage_error(r, "%s must be a year from 1 to 9999, not '0'" % opt), "map draw %s 0: refused" % opt,
           r.stderr)
    r = km("indicators", noyear, "--year", "0")
    ok(usage_error(r, want0), "klaster-map indicators --year 0: refused the same way", r.stderr)
    for bad in ("-5", "20x5", "", "+2015"):
        r = kl("indicators", LONG, "--year=" + bad)
        ok(usage_error(r, "--year must be a year"), "--year=%s: exit 2" % bad, r.stderr)
    for to in (["-o", "-"], []):
        r = kl("indicators", LONG, "--output-format", "xlsx", *to)
        ok(usage_error(r, "an XLSX table needs an output file (-o FILE.xlsx)") and " rows, " not in r.stderr,
           "--output-format xlsx %s: exit 2 before the input is read" % (" ".join(to) or "to standard output"),
           r.stderr)
    fifo = os.path.join(work, "ff.xlsx")
    os.mkfifo(fifo)
    r = km("indicators", LONG, "-o", fifo)
    ok(usage_error(r, "an XLSX table needs a regular file, not " + fifo) and " rows, " not in r.stderr,
       "-o FIFO.xlsx (a format by its ending): exit 2 before the input is read", r.stderr)
    os.unlink(fifo)
    r = kl("indicators", LONG, "--output-format", "xlsx", "-o", "/dev/null")
    ok(usage_error(r, "an XLSX table needs a regular file, not /dev/null") and " rows, " not in r.stderr,
       "--output-format xlsx -o /dev/null: exit 2 before the input is read", r.stderr)
    r = kl("indicators", LONG, "--year", "1999")
    ok(r.returncode == 3 and "long_year.csv: year 1999 is not in the data (years: 2015, 2016)" in r.stderr, "a year not in the data: exit 3", r.stderr)

    # 6. help: -h too, and one command's usage
    for flag in ("-h", "--help"):
        r = kl("indices", LONG, flag)
        ok(r.returncode == 0 and r.stdout.startswith("usage: klaster map indices") and "map draw" not in r.stdout
           and "--indicator" not in r.stdout, "klaster map indices %s: that command's usage alone" % flag, r.stdout)
        r = km("spatial", flag)
        ok(r.returncode == 0 and r.stdout.startswith("usage: klaster-map spatial") and "indicators" not in r.stdout,
           "klaster-map spatial %s: that command's usage alone" % flag, r.stdout)
    r = kl("hotspots", "-h")
    ok(r.returncode == 0 and r.stdout.count("klaster map hotspots") == 3, "map hotspots -h: its three forms",
       r.stdout)
    r = run(BIN, ["map", "--help"])
    ok(r.returncode == 0 and all(w in r.stdout for w in ("map indicators", "map draw", "map spatial")),
       "klaster map --help: every command", r.stdout)
    r = run(BIN, ["help"])
    ok(r.returncode == 0 and r.stdout.startswith("usage: klaster"), "klaster help: the usage, exit 0", r.stderr)
    r = run(BIN, ["help", "map"])
    ok(r.returncode == 0 and "usage: klaster map" in r.stdout and "map spatial" in r.stdout,
       "klaster help map: that command's usage", r.stdout[:200])
    r = run(BIN, ["help", "sideways"])
    ok(r.returncode == 2 and "unknown command 'sideways'" in r.stderr, "klaster help sideways: exit 2, named", r.stderr)
    r = km("help", "spatial")
    ok(r.returncode == 0 and r.stdout.startswith("usage: klaster-map spatial"), "klaster-map help spatial", r.stderr)
    r = km("help", "sideways")
    ok(r.returncode == 2 and "map what? indicators," in r.stderr and "not 'sideways'" in r.stderr,
       "klaster-map help sideways: exit 2, the commands listed", r.stderr)
    r = run(BIN, ["map"])
    ok(usage_error(r, "map needs a command: indicators") and "not ''" not in r.stderr,
       "klaster map alone: exit 2 listing the commands", r.stderr)

    # 7. the usage text says what the commands take
    r = km("--help")
    lines = [line for line in r.stdout.splitlines() if "klaster-map" in line and line.lstrip().startswith(
        ("usage:", "klaster-map"))]
    ok(r.returncode == 0 and lines and all("klaster-map map" not in line for line in lines) and
       "klaster-map indicators" in r.stdout and "klaster-map hotspots" in r.stdout,
       "klaster-map --help names the commands as they are typed", r.stdout[:600])
    r = kl("spatial", "--help")
    ok(all(w in r.stdout for w in ("--map", "--boundaries", "--title", "--source")), "spatial's usage has its map",
       r.stdout)
    r = kl("draw", "--help")
    ok(all(w in r.stdout for w in ("--base all|traded", "--format auto|long|eurostat|firms", "--skip-invalid")),
       "draw's usage has --base and the reading options", r.stdout)
    r = kl("hotspots", EUTL, "--value", "verified_emissions_2019_tco2")
    ok(usage_error(r, "needs --band METRES"), "a missing band is asked for in METRES, as the usage says", r.stderr)
    r = kl("hotspots", EUTL)
    ok(usage_error(r, "--value COLUMN", "--cell METRES", "--regions"), "hotspots with nothing to analyse says so",
       r.stderr)

    # 8. standard input and pipes; messages name the input as given
    data = open(LONG, encoding="utf-8").read()
    want = kl("indicators", LONG).stdout
    for name in ("-", "/dev/stdin"):
        for prog, r in (("klaster map", kl("indicators", name, stdin=data)),
                        ("klaster-map", km("indicators", name, stdin=data))):
            said = "standard input" if name == "-" else name
            ok(r.returncode == 0 and r.stdout == want and r.stderr.startswith(said + ": 8 rows"),
               "%s indicators %s from a pipe: the same table, named %s" % (prog, name, said), r.stderr)
    tmp = os.path.join(work, "tmp")
    os.mkdir(tmp)
    env = dict(os.environ, TMPDIR=tmp)
    firms = open(EUTL, encoding="utf-8").read()
    want = kl("spatial", EUTL, "--eps", "15000", "--min-samples", "3").stdout
    for prog, r in (("klaster map", kl("spatial", "-", "--eps", "15000", "--min-samples", "3", stdin=firms, env=env)),
                    ("klaster-map", km("spatial", "-", "--eps", "15000", "--min-samples", "3", stdin=firms,
                                       env=env))):
        ok(r.returncode == 0 and r.stdout == want and "standard input: 1070 firms" in r.stderr and
           not os.listdir(tmp), "%s spatial - : the same clusters, no temporary file left" % prog, r.stderr)
    r = kl("hotspots", "/dev/stdin", "--cell", "20000", stdin=firms, env=env)
    ok(r.returncode == 0 and r.stdout == kl("hotspots", EUTL, "--cell", "20000").stdout and r.stdout.count("\n") > 1,
       "hotspots --cell from a pipe: the same table", r.stderr)
    # lat and lon swapped (Poland in Arabia): said, the run goes on; the right way round: nothing said
    lines = firms.splitlines()
    head = lines[0].split(",")
    ilat, ilon = head.index("lat"), head.index("lon")
    head[ilat], head[ilon] = "lon", "lat"
    r = kl("spatial", "-", "--eps", "15000", stdin="\n".join([",".join(head)] + lines[1:]) + "\n", env=env)
    ok(r.returncode == 0 and "standard input: 1070 of 1070 points lie outside Europe, and inside it with lat and "
       "lon exchanged: are the columns swapped?" in r.stderr, "coordinates that look swapped: a notice", r.stderr)
    ok("swapped" not in kl("spatial", EUTL, "--eps", "15000").stderr, "  none for the file as it is")
    r = kl("spatial", "-", "--eps", "1000", "--id-column", "nope", stdin=firms, env=env)
    ok(r.returncode == 3 and r.stderr.startswith("klaster: standard input:1:") and "nope" in r.stderr and
       not os.listdir(tmp), "an error in piped firms names standard input, not the temporary copy", r.stderr)
    r = kl("indicators", "-", stdin="region,industry,year,employment\n02,C26,2015,x\n")
    ok(r.returncode == 3 and "standard input:2" in r.stderr, "an error in piped statistics names standard input",
       r.stderr)

    # 9. --region: one region's rows of the table (not a reading filter: the totals stay the file's)
    full = kl("indicators", LONG).stdout.splitlines(True)
    r = kl("indicators", LONG, "--region", "04")
    ok(r.returncode == 0 and r.stdout == full[0] + "".join(x for x in full[1:] if x.startswith("04,")) and
       len(r.stdout.splitlines()) > 2, "indicators --region 04: the table's rows of region 04", r.stderr)
    r2 = kl("indicators", LONG, "--region", "04", "--year", "2016")
    ok(r2.returncode == 0 and r2.stdout == full[0] + "".join(x for x in full[1:] if x.startswith("04,") and
                                                           ",2016," in x), "--region with --year", r2.stderr)
    r = km("indicators", LONG, "--region", "04")
    ok(r.returncode == 0 and r.stdout == kl("indicators", LONG, "--region", "04").stdout,
       "klaster-map indicators --region: the same", r.stderr)
    r = kl("indicators", LONG, "--region", "99", "-o", out)
    ok(r.returncode == 3 and "--region 99: no such region" in r.stderr and not os.path.exists(out),
       "--region of no region: exit 3, nothing written", r.stderr)
    r = kl("indices", missing, "--region", "04")
    ok(usage_error(r, "--region does not apply to map indices"), "--region is an option of indicators only", r.stderr)

    # 10. counts of one are said in the singular
    r = kl("indicators", "-", stdin="region,industry,year,employment\n02,C26,2015,4\n")
    ok(r.returncode == 0 and "standard input: 1 row, 1 region x 1 industry x 1 year\n" in r.stderr,
       "one row, region, industry and year: singular", r.stderr)
    r = kl("indicators", "-", stdin="region,industry,year,employment\n02,C26,2015,4\n02,C27,2015,x\n"
           "04,C26,2015,2\n", *["--skip-invalid"])
    ok(r.returncode == 0 and "standard input: 3 rows, 2 regions x 1 industry x 1 year" in r.stderr and
       "1 value skipped: not a valid number" in r.stderr, "one skipped value: singular", r.stderr)
    # a value quoted in a notice reaches the terminal escaped, as the messages' do
    r = kl("indicators", "-", "--skip-invalid",
           stdin="region,industry,employment\n02,C26,4\n04,C26,\x1b]0;PWNED\x07\x1b[2Jx\n04,C27,2\n")
    ok(r.returncode == 0 and '"\\x1B]0;PWNED\\x07\\x1B[2Jx" is not a number' in r.stderr and
       "\x1b" not in r.stderr and "\x07" not in r.stderr,
       "--skip-invalid: the skipped value's control characters escaped in the notice", r.stderr)
    r = kl("spatial", "-", "--eps", "1000", "--min-samples", "1",
           stdin="id,name,industry,lat,lon\nf1,A,20,52.2,21.0\nf2,B,20,,\n")
    ok(r.returncode == 0 and "1 row without coordinates skipped" in r.stderr and
       "1 firm, eps 1000 m, min-samples 1: 1 cluster, 1 core point, 0 noise points" in r.stderr,
       "spatial with one firm: singular", r.stderr)
    # distances in metres as written, never in an exponent (1e+06 m)
    pts = "id,name,industry,lat,lon\nf1,A,20,52.2,21.0\nf2,B,20,52.3,21.1\nf3,C,20,50.0,19.9\n"
    r = kl("spatial", "-", "--eps", "1500000", "--min-samples", "2", stdin=pts)
    ok(r.returncode == 0 and "eps 1500000 m" in r.stderr and "e+" not in r.stderr,
       "spatial: eps of 1,500 km said in metres", r.stderr)
    r = kl("hotspots", "-", "--cell", "20000", "--band", "1000000", stdin=pts)
    ok(r.returncode == 0 and "band 1000000 m" in r.stderr and "e+" not in r.stderr,
       "hotspots: a band of 1,000 km said in metres", r.stderr)
    r = kl("hotspots", "-", "--band", "1000000", "--value", "v",
           stdin="id,name,industry,lat,lon,v\nf1,A,20,52.2,21.0,3\nf2,B,20,52.3,21.1,5\nf3,C,20,50.0,19.9,1\n")
    ok(r.returncode == 0 and "3 points, Gi*, band 1000000 m" in r.stderr and "e+" not in r.stderr,
       "hotspots of points' values: the band in metres", r.stderr)

    # 11. a result never replaces an input, nor another result of the same run (outfile.h's guard)
    src = os.path.join(work, "in.csv")
    body = "region,industry,year,employment\nA,X,2020,10\nA,Y,2020,5\nB,X,2020,3\nB,Y,2020,8\n"
    with open(src, "w") as f:
        f.write(body)
    os.link(src, os.path.join(work, "hard.csv"))
    os.symlink("in.csv", os.path.join(work, "soft.csv"))
    for name, binary in (("klaster map", kl), ("klaster-map", km)):
        for target, words in [(src, ["in.csv is an input of this command"]),
                              (os.path.join(work, "hard.csv"), ["hard.csv is the same file as", "in.csv"]),
                              (os.path.join(work, "soft.csv"), ["soft.csv is the same file as"]),
                              (os.path.join(work, ".", "in.csv"), ["is the same file as"]),
                              ("/proc/self/cwd/" + os.path.relpath(src, ROOT), ["is the same file as"])]:
            r = binary("indicators", src, "-o", target)
            with open(src) as f:
                kept = f.read() == body
            ok(usage_error(r, *words) and kept and not any(".tmp" in n for n in os.listdir(work)),
               "%s -o %s (the input): exit 2, the input intact, no temporary file" % (name, os.path.basename(target)),
               (r.returncode, r.stderr))
    ref = os.path.join(work, "ref.csv")
    with open(ref, "w") as f:
        f.write("industry,year,employment\nX,2020,100\nY,2020,100\n")
    r = kl("indicators", src, "--reference", ref, "-o", ref)
    with open(ref) as f:
        ok(usage_error(r, "ref.csv is an input") and f.read().startswith("industry,year,employment\nX,2020,100"),
           "-o naming the reference economy: refused, the reference intact", r.stderr)
    svg = os.path.join(work, "m.svg")
    with open(svg, "w") as f:
        f.write("old")
    r = kl("spatial", EUTL, "--eps", "5000", "--boundaries", VOIV, "--map", svg, "-o", svg,
           "--output-format", "csv")
    with open(svg) as f:
        ok(usage_error(r, "m.svg is named for two results of this command") and "firms" not in r.stderr and
           f.read() == "old", "spatial --map and -o one file: refused before anything is read or written", r.stderr)
    r = kl("spatial", EUTL, "--eps", "5000", "--boundaries", VOIV, "--map", os.path.join(work, "m2.svg"), "-o", VOIV,
           "--output-format", "geojson")
    ok(usage_error(r, "is an input of this command") and not os.path.exists(os.path.join(work, "m2.svg")),
       "  the table in place of the boundaries: refused, and no map written either", r.stderr)
    r = kl("spatial", EUTL, "--eps", "5000", "--boundaries", VOIV, "--map", "/dev/null", "-o", "/dev/null",
           "--output-format", "csv")
    ok(r.returncode == 0, "  a device such as /dev/null may take both results", r.stderr[-300:])
    r = kl("indicators", src, "-o", "")
    ok(usage_error(r, "the name of a result file is empty"), "-o '': a usage error", r.stderr)
    r = kl("indicators", src, "-o", os.path.join(work, "fine.csv"))
    ok(r.returncode == 0 and os.path.exists(os.path.join(work, "fine.csv")), "another name is written", r.stderr)

    # 11b. a result that cannot be written at all is told before the input is read, not after a
    # long run: an input that is wrong (empty: exit 3 once read) shows which comes first
    empty = os.path.join(work, "empty.csv")
    open(empty, "w").close()
    nodir = os.path.join(work, "no-such-dir")
    adir = os.path.join(work, "a-directory.csv")
    os.mkdir(adir)
    for args, words in [
        (["indicators", empty, "-o", os.path.join(nodir, "t.csv")], ["t.csv: No such file or directory",
                                                                    "(its directory "]),
        (["indicators", empty, "-o", adir], ["cannot write %s: it is a directory" % adir]),
        (["spatial", empty, "--eps", "100", "-o", os.path.join(nodir, "s.csv")], ["s.csv: No such file"]),
        (["hotspots", empty, "--cell", "500", "-o", os.path.join(nodir, "h.csv")], ["h.csv: No such file"]),
    ]:
        r = km(*args)
        ok(r.returncode == 1 and all(w in r.stderr for w in words) and "empty" not in r.stderr,
           "%s -o %s: exit 1 before the input is read" % (args[0], args[-1]), r.stderr)
    r = kl("spatial", empty, "--eps", "100", "--boundaries", VOIV, "--map", os.path.join(nodir, "m.svg"))
    ok(r.returncode == 1 and "m.svg: No such file or directory" in r.stderr and "empty" not in r.stderr,
       "spatial --map in a directory that is not there: exit 1 before the input is read", r.stderr)
    # 11c. an input that is not there is told in the same words whichever input it is
    gone = os.path.join(work, "gone")
    for binary, args in [
        (km, ["indicators", gone + ".csv", "-o", os.path.join(work, "g1.csv")]),
        (km, ["indicators", src, "--reference", gone + ".csv", "-o", os.path.join(work, "g2.csv")]),
        (km, ["indicators", src, "--crosswalk", gone + ".csv", "-o", os.path.join(work, "g3.csv")]),
        (kl, ["indicators", src, "--industry-names", gone + ".csv", "-o", os.path.join(work, "g4.csv")]),
        (km, ["spatial", gone + ".csv", "--eps", "100", "-o", os.path.join(work, "g5.csv")]),
        (kl, ["draw", src, "--boundaries", gone + ".geojson", "--code-property", "x", "--industry", "X",
              "-o", os.path.join(work, "g6.svg")]),
    ]:
        r = binary(*args)
        want = "cannot open %s: No such file or directory" % (gone + (".geojson" if args[0] == "draw" else ".csv"))
        ok(r.returncode == 1 and want in r.stderr and not os.path.exists(args[-1]),
           "%s: an input that is not there is 'cannot open NAME: …'" % " ".join(args[:1] + args[2:3]), r.stderr)
    # 11e. a side input that is not there is told before the main input is read (an empty one:
    # exit 3 once read)
    for binary, args in [
        (km, ["indicators", empty, "--reference", gone + ".csv"]),
        (kl, ["indicators", empty, "--industry-names", gone + ".csv"]),
        (kl, ["spatial", empty, "--eps", "100", "--boundaries", gone + ".csv", "--map", os.path.join(work, "m9.svg")]),
        (kl, ["draw", empty, "--boundaries", gone + ".csv", "--code-property", "x", "--industry", "X"]),
    ]:
        r = binary(*args, "-o", os.path.join(work, "early.csv" if args[0] != "draw" else "early.svg"))
        ok(r.returncode == 1 and ("cannot open %s.csv" % gone) in r.stderr and "empty" not in r.stderr,
           "%s %s NOT-THERE: exit 1 before the input is read" % (args[0], args[args.index(gone + ".csv") - 1]),
           r.stderr)
    dbenv = dict(os.environ, KLASTER_DB="sqlite:" + os.path.join(work, "early.db"))
    run(BIN, ["db", "migrate"], env=dbenv)
    r = run(BIN, ["import", "firms", empty, "--dataset", "early", "--industry-names", gone + ".csv"], env=dbenv)
    ok(r.returncode == 1 and ("cannot open %s.csv" % gone) in r.stderr and "empty" not in r.stderr,
       "import firms --industry-names NOT-THERE: exit 1 before the firm list is read", r.stderr)

    # 11f. a field too long in a firm list is named by its column, as in a statistics file
    bigf = os.path.join(work, "big-firms.csv")
    with open(bigf, "w") as f:
        f.write("id,name,industry,lat,lon\n1,%s,C26,50,20\n" % ("x" * (1 << 20 | 1)))
    for binary in (km, kl):
        r = binary("spatial", bigf, "--eps", "1000", "-o", os.path.join(work, "bigf.csv"))
        ok(r.returncode == 3 and "big-firms.csv:2: field 2 (column name) is longer than 1 MiB" in r.stderr,
           "a firm's name longer than 1 MiB: named by its column (%s)" % os.path.basename(binary.__name__), r.stderr)

    # 11d. a side input read from standard input ('-') is named so in messages and notices
    for binary, args, stdin, want, code in [
        (km, ["--reference", "-"], "industry,employment\nX,x\n",
         'standard input:2: column employment: "x" is not a number', 3),
        (km, ["--crosswalk", "-"], "industry,cluster\nX\n", "standard input:2: the row has 1 field", 3),
        (kl, ["--industry-names", "-"], "code,name\nX,Przemysł\n", "industry names from standard input: 1 of 2", 0),
    ]:
        out = os.path.join(work, "side.csv")
        r = binary("indicators", src, *args, "-o", out, stdin=stdin)
        ok(r.returncode == code and want in r.stderr and "/dev/stdin" not in r.stderr,
           "%s -: named standard input" % args[0], r.stderr)
    if os.geteuid() != 0:   # root writes anywhere
        ro = os.path.join(work, "read-only")
        os.mkdir(ro, 0o555)
        r = km("indicators", empty, "-o", os.path.join(ro, "t.csv"))
        ok(r.returncode == 1 and "Permission denied" in r.stderr, "-o in a read-only directory: exit 1 first",
           r.stderr)

    # 13. control characters of the data are written as \\xHH in a message, never sent to the terminal
    r = kl("indicators", "-", stdin="region,industry,year,employment\nA,X,2020,1\x1b[2J\x1b]0;t\x07\n")
    ok(r.returncode == 3 and '"1\\x1B[2J\\x1B]0;t\\x07" is not a number' in r.stderr and "\x1b" not in r.stderr,
       "an escape sequence in a value: shown as \\x1B in the message", r.stderr)

    # 14. endless binary input on standard input (/dev/zero): the NUL bytes are said at once
    with open("/dev/zero", "rb") as z:
        p = subprocess.run([BIN, "map", "indicators", "-", "-o", os.path.join(work, "z.csv")], stdin=z, cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    ok(p.returncode == 3 and "standard input:1: a NUL byte at position 1" in p.stderr,
       "/dev/zero as standard input: exit 3 naming the NUL byte, not read until memory runs out", p.stderr)

    # 15. a header ending in a separator: the nameless column is said so, not "unknown column \"\""
    r = kl("indicators", "-", stdin="region;industry;employment;\nA;X;1;\n")
    ok(r.returncode == 3 and "standard input:1: column 4 of the header has no name" in r.stderr,
       "a trailing separator in the header: the nameless column named by its place", r.stderr)

    # 16. a code holding a control character is refused by the reader (codes are text)
    for code, shown in (("A\x1b]0;t\x07", "U+001B"), ("A\u009b2J", "U+009B")):
        r = kl("indicators", "-", stdin="region,industry,year,employment\n%s,X,2020,1\nB,X,2020,2\n" % code)
        ok(r.returncode == 3 and "standard input:2: column region holds a control character (%s): codes are text"
           % shown in r.stderr, "a region code with %s: exit 3 naming the line" % shown, r.stderr)
    # a name too, in every layout that has one, and a firm list's id, name and industry: text, not
    # bytes a terminal or a spreadsheet would act on
    for layout, text, shown in (
            ("long", "region,industry,employment,region_name\nA,X,1,ok\nB,X,2,a\x01b\n", "column region_name"),
            ("long", "region,industry,employment,industry_name\nA,X,1,a\x1b[2Jb\n", "column industry_name"),
            ("firms", "id,name,industry,lat,lon,region,region_name\n1,f,X,52,21,A,ok\n2,g,X,52,21,B,a\x07\n",
             "column region_name")):
        r = kl("indicators", "-", "--format", layout, stdin=text)
        ok(r.returncode == 3 and ("standard input:%d: %s holds a control character" % (len(text.split("\n")) - 1,
                                                                                        shown)) in r.stderr
           and "names are text" in r.stderr, "%s: a name with a control character, exit 3 naming line and column"
           % layout, r.stderr)
    names = os.path.join(work, "names-ctl.csv")
    with open(names, "w", encoding="utf-8") as f:
        f.write("code,name\nX,Food\x1b[31mRED\n")
    r = kl("indicators", "-", "--industry-names", names, stdin="region,industry,employment\nA,X,1\nB,X,2\n")
    ok(r.returncode == 3 and "names-ctl.csv:2: column name holds a control character (U+001B): names are text"
       in r.stderr, "--industry-names: a name with a control character, exit 3 naming line and column", r.stderr)
    for col, row in (("id", "2\x01,g,X,52,21"), ("name", "2,g\x1b,X,52,21"), ("industry", "2,g,X\x7f,52,21")):
        r = kl("spatial", "-", "--eps", "1000", "--min-samples", "2", stdin="id,name,industry,lat,lon\n1,f,X,52,21\n%s\n" % row)
        ok(r.returncode == 3 and ("standard input:3: column %s holds a control character" % col) in r.stderr,
           "a firm list's %s with a control character: exit 3 naming line and column" % col, r.stderr)

    # 17. a database another program holds the write lock of: said so, after the 10 s of waiting
    import sqlite3
    ldb = os.path.join(work, "locked.db")
    subprocess.run([BIN, "--db", "sqlite:" + ldb, "db", "migrate"], capture_output=True, timeout=60, check=True)
    holder = sqlite3.connect(ldb, isolation_level=None, timeout=1)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = subprocess.run([BIN, "--db", "sqlite:" + ldb, "import", "stats", "-", "--dataset", "lk"], cwd=ROOT,
                           input="region,industry,employment\n02,C,1\n04,C,2\n", capture_output=True, text=True,
                           timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    ok(r.returncode == 6 and "the database is busy: another program writes to it" in r.stderr and
       "run this again when it has" in r.stderr, "a database locked by another writer: exit 6, said so", r.stderr)

    # 18. a firm list longer than the portal keeps: refused naming the file, the line of the first
    # firm too many and the way out, as soon as that row is read (what follows it, here a row that
    # would stop the import, is never read, nor held), and nothing is stored.  Rows without
    # coordinates are not firms of the list: the two at the top move the 50,001st to line 50004
    many = os.path.join(work, "many-firms.csv")
    firm_rows = "".join("f%d,F,%.5f,%.5f\n" % (k, 50 + k % 300 / 100, 19 + k // 300 / 200) for k in range(50001))
    with open(many, "w") as f:
        f.write("id,name,lat,lon\nna1,N,NA,NA\nna2,N,,\n" + firm_rows + "broken,B,north,east\n")
    want = ("many-firms.csv:50004: more than 50000 located firms: the portal keeps at most 50000 per list "
            "(use klaster map spatial for larger files)")
    r = subprocess.run([BIN, "--db", "sqlite:" + ldb, "import", "firms", many, "--dataset", "many"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    ok(r.returncode == 3 and want in r.stderr and "broken" not in r.stderr,
       "import firms of 50,001 located firms: exit 3 at the row of the 50,001st, naming the file and the limit",
       r.stderr)
    # from a pipe whose writer has not closed it: the refusal comes without waiting for its end,
    # since the pipe is read as it comes (in blocks of 64 KiB: more rows follow), not whole first
    p = subprocess.Popen([BIN, "--db", "sqlite:" + ldb, "import", "firms", "-", "--dataset", "many"], cwd=ROOT,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with open(many) as f:
            p.stdin.write(f.read() + firm_rows[:200000])
        p.stdin.flush()
    except BrokenPipeError:
        pass
    try:
        p.wait(timeout=60)
        err = p.stderr.read()
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        err = "still reading after 60 s: the pipe is read whole before the firms are counted"
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    p.stdout.close()
    p.stderr.close()
    ok(p.returncode == 3 and want.replace("many-firms.csv", "standard input") in err,
       "  and the same from a pipe still open, without waiting for its end", err)
    r = subprocess.run([BIN, "--db", "sqlite:" + ldb, "dataset", "list"], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    ok(r.returncode == 0 and "many" not in r.stdout, "  nothing stored", r.stdout + r.stderr)
    # exactly 50,000 located firms, with rows without coordinates around them, are a list
    with open(many, "w") as f:
        f.write("id,name,lat,lon\nna1,N,NA,NA\n" + firm_rows[:firm_rows.index("f50000,")] + "na2,N,,\n")
    r = subprocess.run([BIN, "--db", "sqlite:" + ldb, "import", "firms", many, "--dataset", "many"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    ok(r.returncode == 0 and "firm list many: 50000 located firms stored" in r.stdout and
       "2 rows without coordinates skipped" in r.stderr, "import firms of 50,000 located firms: stored",
       r.stdout + r.stderr)

    # 12. a file shortened by another program while it is mapped and read: a message, no crash
    # (SIGBUS); the file is cut as soon as the process has it mapped (seen in /proc/PID/maps)
    big = os.path.join(work, "big.csv")
    with open(big, "w") as f:
        f.write("region,industry,year,employment\n")
        for r_ in range(1000):
            f.write("".join("R%04d,I%04d,%d,%d\n" % (r_, i, y, (r_ * 7 + i * 13 + y) % 1000 + 1)
                            for i in range(1500) for y in (2019, 2020)))
    for name, binary in (("klaster-map", MAPBIN), ("klaster map", BIN)):
        cut = os.path.join(work, "cut.csv")
        shutil.copyfile(big, cut)
        res = os.path.join(work, "cut-out.csv")
        args = [binary] + ([] if binary == MAPBIN else ["map"]) + ["indicators", cut, "-o", res]
        p = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        mapped = False
        while p.poll() is None and not mapped:
            try:
                with open("/proc/%d/maps" % p.pid) as f:
                    mapped = "cut.csv" in f.read()
            except OSError:
                break
        if mapped:
            os.truncate(cut, 1000000)
        err = p.communicate(timeout=300)[1]
        ok(p.returncode in (0, 1) and (p.returncode == 0 or
                                       "cut.csv: the file got shorter while it was read" in err),
           "%s: a file cut while read: exit 1 with a message (0 when read before), never a signal" % name,
           (p.returncode, err[-300:]))
        ok(p.returncode != 0 or not mapped or os.path.getsize(res) > 0, "  a result only from a whole read")

    # 12b. the same for a file read as a stream (quoted fields: the general CSV reader; a firm
    # list): stopped once it reads past the first block (the file is opened before, to peek at
    # it), cut, let go — an I/O error, not the cut line's remains read as data (before: an
    # unterminated quote or a short row, exit 3, or a short file read as whole)
    streamed = (("stats", "region,industry,year,employment\n",
                 lambda k: '"R%04d","I%04d",2020,%d\n' % (k % 500, k // 500, k % 97 + 1),
                 ["indicators"]),
                ("firms", "id,name,lat,lon\n",
                 lambda k: 'f%d,"F, %d",%.5f,%.5f\n' % (k, k, 50 + k % 300 / 100, 19 + k // 300 / 2000),
                 ["spatial", "--eps", "1000"]))
    for kind, head, row, cmd in streamed:
        cut = os.path.join(work, "cut-%s.csv" % kind)
        with open(cut, "w") as f:
            f.write(head + "".join(row(k) for k in range(300000)))
        size = os.path.getsize(cut)
        p = subprocess.Popen([MAPBIN] + cmd[:1] + [cut] + cmd[1:] + ["-o", os.path.join(work, "cut-out.csv")],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        held = False
        while p.poll() is None and not held:
            try:
                for fd in os.listdir("/proc/%d/fd" % p.pid):
                    if os.readlink("/proc/%d/fd/%s" % (p.pid, fd)) == cut:
                        with open("/proc/%d/fdinfo/%s" % (p.pid, fd)) as f:
                            pos = int(f.readline().split()[1])   # "pos: N": how far it has read
                        if 65536 < pos < size - 65536:
                            os.kill(p.pid, signal.SIGSTOP)
                            held = True
            except (OSError, ValueError):
                pass
        if held:
            os.truncate(cut, pos + (size - pos) // 2)
            os.kill(p.pid, signal.SIGCONT)
        err = p.communicate(timeout=300)[1]
        ok(p.returncode == 1 and "cut-%s.csv: the file got shorter while it was read" % kind in err
           if held else p.returncode == 0,
           "%s read as a stream, cut while read: exit 1 saying so" % kind, (held, pos if held else None, size, p.returncode, err[-300:]))

    shutil.rmtree(work, ignore_errors=True)
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
