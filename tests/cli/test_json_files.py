#!/usr/bin/env python3
"""GeoJSON files that are not JSON, given to `klaster map draw --boundaries` and `klaster import
regions`: refused (exit 3) with a message in klaster's words that names the file, the line and
column (and the feature and field the place is in) and says what to change, never the JSON
library's words ("near '...'", "expected near", "unable to decode byte"); nothing written.
Prints TAP."""
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, Tap, run, workdir  # noqa: E402

TAP = Tap()
ok = TAP.ok

# the JSON library's own words, which no message may show
LIBRARY_WORDS = ("near '", "expected near", "near end of file", "unable to decode", "premature end of input",
                 "end of file expected", "JSON_", "invalid token", "unexpected token", "too big",
                 "real number overflow", "maximum parsing depth", "control character 0x")

VOIVODESHIPS = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")


def broken_files(work):
    """(what, file name, bytes, words the message must hold after the file's name) of broken copies
    of the shipped voivodeship boundaries and of small hand-written ones."""
    good = open(VOIVODESHIPS, "rb").read()
    lines = good.split(b"\n")
    assert lines[0].startswith(b'{"type":"FeatureCollection","features":[') and len(lines) > 10
    lodz = "łódzkie".encode("utf-8")
    assert good.count(lodz) == 1
    nul_at = len(lines[0]) + 1 + len(lines[1]) + 1 + 200   # in the second feature's coordinates
    nul_col = len(lines[2][:200].decode("utf-8")) + 1         # (a column counts characters)
    assert b'"coordinates":' in lines[2][:200]
    return [
        ("truncated (cut in feature 8)", "cut.geojson", b"\n".join(lines[:8]) + b"\n" + lines[8][:500],
         r"invalid JSON at line 9, column 500, in feature 8, field coordinates: the file ends before the JSON "
         r"does .* is the file whole\?"),
        ("trailing garbage", "trailing.geojson", good.rstrip(b"\n") + b"\n]}\n",
         r"invalid JSON at line %d, column 1: more follows the end of the outer object" % (len(lines) if
                                                                                          lines[-1] == b"" else len(lines) + 1)),
        ("a name in Latin-2", "latin2.geojson", good.replace(lodz, "łódzkie".encode("iso-8859-2")),
         r"invalid JSON at line \d+, column \d+, in feature \d+, field name: the file is not UTF-8 \(a byte "
         r"0xB3\): save it in UTF-8 \(iconv -f cp1250"),
        ("a NUL byte", "nul.geojson", good[:nul_at] + b"\x00" + good[nul_at:],
         r"invalid JSON at line 3, column %d, in feature 2, field coordinates: the file holds a NUL byte" % nul_col),
        ("a bare word", "word.geojson", b"boundaries\n",
         r"invalid JSON at line 1, column 10: a GeoJSON file holds one object: \{ \"type\": "
         r"\"FeatureCollection\""),
        ("an unterminated string", "quote.geojson",
         b'{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {"teryt": "02,\n'
         b'"name": "dolno\xc5\x9bl\xc4\x85skie"}, "geometry": null}]}\n',
         r"invalid JSON at line 2, column 48, in feature 1, field teryt: a text in double quotes runs on to "
         r"the end of the line: end it with its closing quote"),
        ("a missing comma between features", "comma.geojson",
         b'{"type": "FeatureCollection", "features": [\n' + lines[1].rstrip(b",") + b"\n" + lines[2] + b"\n]}",
         r"invalid JSON at line 3, column 1, in feature 2: a comma \(,\) between two values, or the closing \], "
         r"is expected here"),
        ("an empty file", "empty.geojson", b"",
         r"the file is empty: a GeoJSON file holds one FeatureCollection"),
    ]


def main():
    work = workdir("klaster-json-files-")
    stats = os.path.join(work, "stats.csv")
    with open(stats, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,C,10\n02,G,5\n04,C,3\n04,G,9\n")
    out = os.path.join(work, "map.svg")
    r = run("map", "draw", stats, "--boundaries", VOIVODESHIPS, "--industry", "C", "-o", out)
    ok(r.returncode == 0 and os.path.exists(out), "the shipped boundaries draw (the files below are broken copies)",
       r.stderr)
    os.unlink(out) if os.path.exists(out) else None

    db = os.path.join(work, "k.db")
    r = run("--db", "sqlite:" + db, "db", "migrate")
    ok(r.returncode == 0, "a database to import into", r.stderr)

    for what, name, data, want in broken_files(work):
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            f.write(data)
        out = os.path.join(work, "map-" + name.replace(".geojson", ".svg"))
        r = run("map", "draw", stats, "--boundaries", path, "--industry", "C", "-o", out)
        said = [ln for ln in r.stderr.splitlines() if path in ln]
        msg = said[-1] if said else ""
        ok(r.returncode == 3 and re.search(re.escape(path) + ": " + want, msg)
           and not any(w in r.stderr for w in LIBRARY_WORDS),
           "map draw --boundaries with %s: exit 3, the file%s named in klaster's words" %
           (what, "" if name == "empty.geojson" else ", line and column"), r.stderr)
        ok(not os.path.exists(out), "  no map written", out)
        r = run("--db", "sqlite:" + db, "import", "regions", path, "--level", "voivodeship")
        ok(r.returncode == 3 and re.search(re.escape(path) + ": " + want, r.stderr)
           and not any(w in r.stderr for w in LIBRARY_WORDS),
           "import regions with %s: exit 3, the same message" % what, r.stderr)
    con = sqlite3.connect(db)
    n = con.execute("SELECT COUNT(*) FROM region").fetchone()[0]
    con.close()
    ok(n == 0, "  no region imported", n)
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
