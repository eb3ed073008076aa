#!/usr/bin/env python3
"""klaster-map, the map commands without the portal's libraries: for every
file command it must write what `klaster map` writes (the same bytes, the
same notices, the same exit code and message), hand draw and related to
klaster, and stay free of the portal's libraries.  Prints TAP."""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap  # noqa: E402

TAP = Tap()
ok = TAP.ok
MAPBIN = os.environ.get("KLASTER_MAP_BIN") or os.path.join(os.path.dirname(BIN), "klaster-map")
DATA = os.path.join(ROOT, "tests", "data", "stats")
REAL = os.path.join(ROOT, "data", "stats", "eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv")
EUTL = os.path.join(ROOT, "data", "firms", "eutl_installations_PL_slim.csv")
PL = [REAL, "--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3"]


def run(binary, args, env=None):
    return subprocess.run([binary] + list(args), cwd=ROOT, capture_output=True, timeout=300, env=env)


def both(work, name, args, ext="csv"):
    """Runs `klaster map ARGS -o A` and `klaster-map ARGS -o B`; returns both
    results and both files' bytes (None when absent)."""
    a, b = os.path.join(work, "a-" + name + "." + ext), os.path.join(work, "b-" + name + "." + ext)
    ra = run(BIN, ["map"] + args + ["-o", a])
    rb = run(MAPBIN, args + ["-o", b])
    fa = open(a, "rb").read() if os.path.exists(a) else None
    fb = open(b, "rb").read() if os.path.exists(b) else None
    return ra, rb, fa, fb


def same_run(ra, rb):
    """The same exit code and standard error, but for the program's name in front of a message."""
    ea = ra.stderr.replace(b"klaster: ", b"PROGRAM: ")
    eb = rb.stderr.replace(b"klaster-map: ", b"PROGRAM: ")
    return ra.returncode == rb.returncode and ea == eb


def xlsx_sheet(data):
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def raw_controls(text):
    """The control characters of text (C0 but the newline ending each line, DEL, C1)."""
    return [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F]


def control_names(work):
    """A file name may hold ESC, BEL, CR and a newline (Linux allows them): every notice and
    message names the file with them escaped (\\x1B, \\x07, \\r, \\n), so a crafted name can
    neither rewrite the terminal nor forge a line; the file is still opened by its real name,
    and an ordinary name with Polish letters is shown as it is."""
    rows = "region,industry,year,employment\n02,C10,2020,5\n04,C10,2020,x\n02,C11,2020,3\n04,C11,2020,4\n"
    evil = "dane\x1b]0;owned\x07\x1b[2J\nklaster-map: all good\r\x07.csv"
    shown = "dane\\x1B]0;owned\\x07\\x1B[2J\\nklaster-map: all good\\r\\x07.csv"
    path = os.path.join(work, evil)
    with open(path, "w") as f:
        f.write(rows)
    for binary, pre in ((MAPBIN, []), (BIN, ["map"])):
        r = run(binary, pre + ["indicators", path])
        err = r.stderr.decode("utf-8")
        ok(r.returncode == 3 and not raw_controls(err) and err.count("\n") == 1 and
           (shown + ':3: column employment: "x" is not a number') in err,
           "%s: a bad row of a file named with ESC, BEL, CR and a newline: one line, the name escaped"
           % os.path.basename(binary), err)
        r = run(binary, pre + ["indicators", path, "--skip-invalid", "-o", os.path.join(work, "ctl.csv")])
        err = r.stderr.decode("utf-8")
        lines = err.splitlines()
        ok(r.returncode == 0 and not raw_controls(err) and len(lines) >= 2 and
           all(line.startswith(work.replace("\n", "\\n") + "/" + shown + ": ") for line in lines) and
           "not a valid number (first: %s/%s:3" % (work, shown) in err,
           "%s --skip-invalid: every notice starts with the name escaped" % os.path.basename(binary), err)
    r = run(MAPBIN, ["indicators", path + "\x1b[0m-gone"])
    err = r.stderr.decode("utf-8")
    ok(r.returncode == 1 and not raw_controls(err) and err.count("\n") == 1 and shown + "\\x1B[0m-gone" in err,
       "a file that cannot be opened: its name escaped in the message", err)
    # bytes that are not UTF-8 (a name in CP1250) as \xHH; a Polish name in UTF-8 unchanged
    for name, shown_as in ((b"\xb3\xf3d\x9f.csv", "\\xB3\\xF3d\\x9F.csv"),
                           ("zatrudnienie_łódź_żółw.csv".encode(), "zatrudnienie_łódź_żółw.csv")):
        p = os.path.join(work.encode(), name)
        with open(p, "w") as f:
            f.write(rows)
        r = run(MAPBIN, ["indicators", p])
        err = r.stderr.decode("utf-8")
        ok(r.returncode == 3 and not raw_controls(err) and "/" + shown_as + ":3: column employment" in err,
           "the file %s shown as %s" % (name, shown_as), err)


def main():
    work = tempfile.mkdtemp(prefix="klaster-map-bin.")
    ok(os.access(MAPBIN, os.X_OK), "klaster-map is built beside klaster", MAPBIN)

    # the same results, file by file and format by format
    cases = [
        ("indicators-long", ["indicators", os.path.join(DATA, "long_year.csv")]),
        ("indicators-sum", ["indicators", os.path.join(DATA, "long_noyear.csv"), "--sum"]),
        ("indicators-traded", ["indicators", os.path.join(DATA, "long_year.csv"), "--base", "traded",
                               "--reference", os.path.join(DATA, "ref.csv")]),
        ("indicators-eurostat", ["indicators", os.path.join(DATA, "eurostat.tsv")]),
        ("indicators-gus", ["indicators", os.path.join(DATA, "gus.csv")]),
        ("indicators-crosswalk", ["indicators", os.path.join(DATA, "xw_data.csv"), "--crosswalk",
                                  os.path.join(DATA, "crosswalk.csv"), "--skip-unmapped"]),
        ("indicators-real", ["indicators"] + PL),
        ("indicators-europe", ["indicators", REAL, "--skip-invalid", "--region-length", "4",
                               "--industry-length", "3"]),
        ("indices-region", ["indices"] + PL),
        ("indices-industry", ["indices"] + PL + ["--base", "industry"]),
        ("shift-share", ["shift-share", os.path.join(DATA, "long_year.csv"), "--from", "2015", "--to", "2016"]),
        ("spatial", ["spatial", EUTL, "--eps", "15000", "--min-samples", "3"]),
        ("hotspots", ["hotspots", EUTL, "--value", "verified_emissions_2019_tco2", "--band", "20000",
                      "--skip-invalid"]),
        ("hotspots-grid", ["hotspots", EUTL, "--cell", "20000"]),
    ]
    for name, args in cases:
        ra, rb, fa, fb = both(work, name, args)
        ok(ra.returncode == 0 and fa is not None and fa == fb and same_run(ra, rb),
           "%s: the same file and notices as `klaster map`" % name,
           (ra.returncode, rb.returncode, ra.stderr[-300:], rb.stderr[-300:], fa is None, fb is None,
            fa == fb))
    ra, rb, fa, fb = both(work, "json", ["indicators"] + PL, "json")
    ok(fa and fa == fb, "JSON output is the same", (ra.stderr, rb.stderr))
    ra, rb, fa, fb = both(work, "xlsx", ["indicators"] + PL, "xlsx")
    ok(fa and fb and xlsx_sheet(fa) == xlsx_sheet(fb), "XLSX output (handed to klaster) has the same sheet",
       (ra.stderr, rb.stderr))
    ra, rb, fa, fb = both(work, "xlsx-format", ["indices"] + PL + ["--output-format", "xlsx"], "out")
    ok(fa and fb and xlsx_sheet(fa) == xlsx_sheet(fb), "--output-format xlsx is handed to klaster too",
       (ra.stderr, rb.stderr))
    # standard output when there is no -o
    ra = run(BIN, ["map", "indicators", os.path.join(DATA, "long_year.csv")])
    rb = run(MAPBIN, ["indicators", os.path.join(DATA, "long_year.csv")])
    ok(ra.returncode == 0 and ra.stdout == rb.stdout and ra.stdout, "standard output is the same")

    # bad input: the same message, exit code and no result file
    bad = [
        ("a missing file", ["indicators", os.path.join(work, "none.csv")]),
        ("a region without employment", ["indicators", REAL, "--region-length", "4", "--industry-length", "3"]),
        ("an unknown command", ["sideways", os.path.join(DATA, "long_year.csv")]),
        ("a bad option value", ["indicators", os.path.join(DATA, "long_year.csv"), "--base", "sideways"]),
        ("an unknown option", ["indices", os.path.join(DATA, "long_year.csv"), "--colour", "red"]),
        ("hotspots without --value", ["hotspots", EUTL, "--band", "1000"]),
    ]
    for what, args in bad:
        ra, rb, fa, fb = both(work, "bad", args)
        ok(ra.returncode in (1, 2, 3) and same_run(ra, rb) and fb is None,
           "%s: exit %d and the same message" % (what, rb.returncode), (ra.stderr, rb.stderr))

    # draw and related are klaster's: handed over, with the same result
    common = PL + ["--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
                   "--code-property", "nuts2_2013", "--industry", "C31"]
    ra, rb, fa, fb = both(work, "draw", ["draw"] + common, "svg")
    ok(ra.returncode == 0 and rb.returncode == 0 and fa and fa == fb, "draw is handed to klaster: the same SVG",
       (ra.stderr, rb.stderr))
    ra, rb, fa, fb = both(work, "related", ["relatedness"] + PL + ["--base", "groups"])
    ok(ra.returncode == 0 and fa and fa == fb, "relatedness is handed to klaster: the same groups", rb.stderr)
    regions = PL + ["--regions", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
                    "--code-property", "nuts2_2013", "--industry", "C29", "--band", "250000"]
    ra, rb, fa, fb = both(work, "hotspots-regions", ["hotspots"] + regions)
    ok(ra.returncode == 0 and rb.returncode == 0 and fa and fa == fb and fa.count(b"\n") == 17 and same_run(ra, rb),
       "hotspots --regions is handed to klaster: the same file and notices", (ra.stderr, rb.stderr))
    # a handed-over run that fails speaks as klaster-map, as the rest of its runs do
    ra, rb, fa, fb = both(work, "draw-bad", ["draw"] + PL + [
        "--boundaries", os.path.join(ROOT, "data", "reference", "voivodeships.geojson"),
        "--code-property", "no_such_property", "--industry", "C31"], "svg")
    ok(ra.returncode == 3 and same_run(ra, rb) and b"\nklaster-map: " in rb.stderr and b"klaster: " not in rb.stderr and
       b"no_such_property" in rb.stderr and fb is None,
       "a handed-over run's message begins 'klaster-map:', the rest as klaster's", (ra.stderr, rb.stderr))
    # without a klaster beside it or on PATH, a clear message
    alone = os.path.join(work, "alone")
    os.mkdir(alone)
    shutil.copy(MAPBIN, os.path.join(alone, "klaster-map"))
    r = run(os.path.join(alone, "klaster-map"), ["draw"] + common + ["-o", os.path.join(work, "x.svg")],
            env={"PATH": alone})
    ok(r.returncode == 1 and b"needs klaster (cairo and jansson" in r.stderr, "no klaster to hand draw to: exit 1, said why",
       r.stderr)
    r = run(os.path.join(alone, "klaster-map"), ["indicators", os.path.join(ROOT, "tests", "data", "stats", "long_year.csv"),
                                                "-o", os.path.join(work, "x.xlsx")], env={"PATH": alone})
    ok(r.returncode == 1 and b"needs klaster (libxlsxwriter: XLSX output)" in r.stderr and
       not os.path.exists(os.path.join(work, "x.xlsx")),
       "no klaster to hand XLSX output to: the library it needs named", r.stderr)

    # usage
    r = run(MAPBIN, ["--help"])
    ok(r.returncode == 0 and b"usage: klaster-map" in r.stdout and b"map hotspots" in r.stdout and
       b"'hotspots --regions|--within|--map'" in r.stdout and b"--region-names" in r.stdout, "--help, with every hand-over",
       r.stdout[-400:])
    r = run(MAPBIN, [])
    ok(r.returncode == 2, "no command: exit 2")

    # what it is for: none of the portal's libraries
    r = subprocess.run(["ldd", MAPBIN], capture_output=True, text=True)
    heavy = [lib for lib in ("libcairo", "libpango", "libpq", "libsqlite3", "libigraph", "libmicrohttpd",
                             "libcurl", "libjansson", "libsodium", "libglib", "libxlsxwriter", "libcrypto",
                             "libz.") if lib in r.stdout]
    nlibs = len([line for line in r.stdout.splitlines() if "=>" in line])
    ok(r.returncode == 0 and not heavy, "klaster-map loads none of the portal's libraries (%d in all)" % nlibs,
       heavy or r.stderr)
    control_names(work)
    shutil.rmtree(work, ignore_errors=True)
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
