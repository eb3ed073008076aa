#!/usr/bin/env python3
"""`klaster import stats` storing a dataset: two imports of one name at the
same time, a dataset of many cells, and what is stored read back by the
portal as `klaster map indicators` computes it on the file.

    python3 tests/http/test_dataset_store.py --backend sqlite|postgres

Two imports of one name at once (two people reloading the same statistics,
a timer and a person) both succeed, the one committed last being the
dataset, whole; on PostgreSQL the second failed on the name's uniqueness
(exit 3, "duplicate key value"), new name or stored one.  The test holds
the database's data generation (which every dataset write moves) while the
two start, so that both are in their transaction at once.

A dataset's cells are written many to a statement: an import of tens of
thousands of cells took minutes on PostgreSQL (a statement, a round trip
and a trigger each) while `klaster map indicators` read the file in a
second; the portal's download still equals the command line's table byte
for byte across the batches' edges.

A dataset's source and licence (import stats --source, --licence) go
wherever its numbers go: the map's and the region's pages, the API's
answers, the XLSX notes, the GeoJSON layer and the map's pictures.  TAP
output.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok  # noqa: E402


def write(name, text):
    path = os.path.join(kt.WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def grid(name, nreg, nind, years, base):
    """A long file of nreg regions × nind industries × years, every cell known."""
    lines = ["region,industry,year,employment"]
    for y in years:
        for r in range(nreg):
            for i in range(nind):
                lines.append("R%03d,I%03d,%d,%d" % (r, i, y, base + (r * 7 + i * 13 + y) % 97))
    return write(name, "\n".join(lines) + "\n")


def start_import(db, path, name, title):
    argv = [kt.BIN, "--db", db, "import", "stats", path, "--dataset", name, "--title", title,
            "--region-kind", "other"]
    env = dict(os.environ)
    env.pop("KLASTER_DB", None)
    return subprocess.Popen(argv, cwd=kt.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def waiting_imports(d, backend):
    """How many of the database's sessions wait for a lock (PostgreSQL); None on SQLite."""
    if backend == "sqlite":
        return None
    # a transaction sees one snapshot of the statistics unless it clears it
    d.one("SELECT pg_stat_clear_snapshot() IS NULL")
    return d.one("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                 " AND wait_event_type = 'Lock'")


def race(db, d, backend, name, files):
    """Two imports of name started while the test holds the data generation; both
    must succeed.  Returns (exit codes, outputs)."""
    if backend == "sqlite":
        d.run("BEGIN IMMEDIATE")
    else:
        d.run("BEGIN")
        d.run("UPDATE change_counter SET generation = generation WHERE id = 1")
    procs = []
    try:
        procs = [start_import(db, path, name, title) for path, title in files]
        deadline = time.time() + 30
        if backend == "sqlite":
            time.sleep(1.5)   # both read their file and wait for the write lock (10 s at most)
        else:
            while time.time() < deadline and waiting_imports(d, backend) < len(procs):
                if any(p.poll() is not None for p in procs):
                    break
                time.sleep(0.05)
    finally:
        d.run("COMMIT")
    outs = [p.communicate(timeout=120) for p in procs]
    return [p.returncode for p in procs], outs


def attribution(db, d, port):
    """The source and licence of a dataset wherever its numbers go."""
    src, lic = "Źródło: GUS BDL", "CC BY 4.0 & <uznanie autorstwa>"
    lines = ["region,industry,year,employment"]
    for y in (2022, 2023):
        for k, voiv in enumerate(("02", "04", "06", "08", "10", "12")):
            for i, ind in enumerate(("C10", "C11")):
                lines.append("%s,%s,%d,%d" % (voiv, ind, y, 10 + 7 * k + 3 * i + (y - 2022) * (k + 1)))
    path = write("licensed.csv", "\n".join(lines) + "\n")
    r = kt.cli(db, "import", "stats", path, "--dataset", "licensed", "--title", "Z licencją", "--source", src,
               "--license", lic)
    ok(r.returncode == 0, "import stats --source --license", r.stdout + r.stderr)
    kt.eq(d.one("SELECT licence FROM dataset WHERE name = 'licensed'"), lic, "  the licence stored (migration 026)")
    # the pages: the licence next to the source, escaped
    # (the source names itself, "Źródło: …": not labelled again)
    want = ('<span class="source">%s</span> · <span class="licence">%%s %s</span>' %
            (html.escape(src, quote=False), html.escape(lic, quote=False)))
    for path, what in (("/cluster-map?dataset=licensed&industry=C10", "the map's page"),
                       ("/cluster-map/region?dataset=licensed&region=02", "the region's page")):
        for lang, word in (("en", "Licence:"), ("pl", "Licencja:")):
            st, h, body = kt.request(port, "GET", path + "&lang=" + lang)
            text = body.decode("utf-8", "replace")
            ok(st == 200 and (want % word) in text,
               "%s (%s): the source as it names itself, the licence labelled, escaped" % (what, lang),
               (st, re.findall(r'<p class="muted dataset-source">.*?</p>', text)))
    # the API
    checks = []
    st, h, body = kt.request(port, "GET", "/api/v1/datasets")
    items = {x["name"]: x for x in json.loads(body)["items"]} if st == 200 else {}
    checks.append(("/api/v1/datasets", items.get("licensed", {})))
    for path in ("/api/v1/datasets/licensed", "/api/v1/cluster-map?dataset=licensed&industry=C10",
                 "/api/v1/cluster-map/region?dataset=licensed&region=02"):
        st, h, body = kt.request(port, "GET", path)
        checks.append((path, json.loads(body) if st == 200 else {}))
    for path, js in checks:
        ok(js.get("source") == src and js.get("licence") == lic, "%s: the source and the licence" % path,
           {k: js.get(k) for k in ("source", "licence")})
    st, h, body = kt.request(port, "GET", "/api/v1/datasets/edges")
    js = json.loads(body) if st == 200 else {}
    ok(js.get("source") == "" and js.get("licence") == "", "  a dataset without them: both \"\"", js.get("licence"))
    # the downloads: the GeoJSON layer, the XLSX notes, the map's pictures
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=licensed&industry=C10&format=geojson")
    gj = json.loads(body) if st == 200 else {}
    ok(gj.get("type") == "FeatureCollection" and gj.get("source") == src and gj.get("licence") == lic and
       gj.get("dataset") == "licensed" and gj.get("title") == "Z licencją" and len(gj.get("features", [])) == 6,
       "GeoJSON layer: the dataset, title, source and licence as members of its FeatureCollection",
       {k: gj.get(k) for k in ("type", "dataset", "title", "source", "licence")})
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=licensed&industry=C10&band_km=400&format=geojson")
    gj = json.loads(body) if st == 200 else {}
    ok(gj.get("source") == src and gj.get("licence") == lic, "  the hot spots' GeoJSON too", (st, body[:200]))
    for lang, word in (("en", "Licence: "), ("pl", "Licencja: ")):
        st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=licensed&format=xlsx&lang=" + lang)
        notes = kt.xlsx_sheet_texts(body, 2) if st == 200 else None
        # the source names itself ("Źródło: …"): written as it is
        ok(notes and src in notes and notes[notes.index(src) + 1:][:1] == [word + lic],
           "XLSX (%s): its notes say the licence after the source" % lang, notes)
    for ext in ("svg",):
        for lang, word in (("en", "Licence: "), ("pl", "Licencja: ")):
            st, h, body = kt.request(port, "GET", "/cluster-map.%s?dataset=licensed&industry=C10&lang=%s" % (ext, lang))
            text = html.unescape(body.decode("utf-8", "replace"))
            ok(st == 200 and (src + ". " + word + lic + ".") in text,
               "the map's picture (%s, %s): its source line ends with the licence" % (ext, lang),
               re.findall(r"[^>]*GUS BDL[^<]*", text))


def stored_cells(d, name):
    return d.rows("SELECT c.region, c.industry, c.year, c.employment FROM stat_cell c JOIN dataset s"
                  " ON s.id = c.dataset_id WHERE s.name = ? ORDER BY 1, 2, 3", (name,))


def health(port):
    st, _, body = kt.request(port, "GET", "/healthz")
    return json.loads(body).get("dataset_cache", {}) if st == 200 else {}


def kept_datasets(db, srv):
    """The server keeps the datasets it loaded (serve --dataset-cache): the
    next page of one copies it instead of reading every cell again, and is
    the same; a dataset imported again while the server runs is read again
    (the data generation moved), never served as it was; with the cache
    off (0) every page reads it and the pages are the same."""
    first = grid("kept-1.csv", 12, 9, (2021, 2022), 3)
    second = grid("kept-2.csv", 12, 9, (2021, 2022), 40)
    kt.eq(kt.cli(db, "import", "stats", first, "--dataset", "kept", "--region-kind", "other").returncode, 0,
          "a dataset to keep")
    out = os.path.join(kt.WORK, "kept.csv")

    def want(path):
        r = kt.cli(None, "map", "indicators", path, "-o", out)
        return open(out, "rb").read() if r.returncode == 0 else None

    w1, w2 = want(first), want(second)
    path = "/cluster-map.csv?dataset=kept&lang=pl"
    h0 = health(srv.port)
    st1, _, b1 = kt.request(srv.port, "GET", path)
    st2, _, b2 = kt.request(srv.port, "GET", "/cluster-map?dataset=kept&industry=I004&lang=pl")
    st3, _, b3 = kt.request(srv.port, "GET", path + "&x=1")
    h1 = health(srv.port)
    ok(st1 == 200 and b1 == w1 and st3 == 200 and b3 == w1 and st2 == 200,
       "a dataset's download, a page, the download again: as the file computes", (st1, st2, st3))
    ok(h1.get("hits", 0) - h0.get("hits", 0) == 2 and h1.get("misses", 0) - h0.get("misses", 0) == 1
       and h1.get("entries", 0) >= 1 and h1.get("bytes", 0) > 0,
       "  read once, then copied from the server's cache twice (/healthz)", (h0, h1))
    kt.eq(kt.cli(db, "import", "stats", second, "--dataset", "kept", "--region-kind", "other").returncode, 0,
          "  the dataset imported again while the server runs")
    st, _, b = kt.request(srv.port, "GET", path + "&x=2")
    h2 = health(srv.port)
    ok(st == 200 and b == w2 and b != w1, "  the next download has the new numbers, not the kept ones", (st, b[:200]))
    ok(h2.get("misses", 0) - h1.get("misses", 0) == 1, "  read again (the data generation moved)", (h1, h2))
    off = kt.Server(db, "dataset-store-nocache", "--dataset-cache", "0")
    got = [kt.request(off.port, "GET", path + "&x=%d" % k) for k in (3, 4)]
    h3 = health(off.port)
    ok(all(g[0] == 200 and g[2] == w2 for g in got) and h3.get("hits") == 0 and h3.get("room") == 0,
       "  --dataset-cache 0: every page reads it, the same numbers", h3)
    off.stop()
    r = kt.cli(db, "serve", "--dataset-cache", "lots")
    ok(r.returncode == 2 and "dataset-cache must be a number of MiB" in r.stderr,
       "serve --dataset-cache lots: a usage error naming the setting", r.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    a = ap.parse_args()
    db = kt.database(a.backend, "dataset_store")
    d = ktdb.Db(db)

    # 1. two imports of one name at once, of a new name and of a stored one
    one = grid("race-one.csv", 30, 40, (2021, 2022), 10)
    two = grid("race-two.csv", 30, 40, (2021, 2022), 500)
    kt.eq(kt.cli(db, "import", "stats", one, "--dataset", "alone", "--region-kind", "other").returncode, 0,
          "a dataset of the file alone, to compare with")
    want = {"One": stored_cells(d, "alone")}
    kt.cli(db, "dataset", "delete", "alone")
    kt.eq(kt.cli(db, "import", "stats", two, "--dataset", "alone", "--region-kind", "other").returncode, 0,
          "  and of the other file")
    want["Two"] = stored_cells(d, "alone")
    for what, name in (("a new name", "race-new"), ("a stored dataset's name", "race-old")):
        if name == "race-old":
            r = kt.cli(db, "import", "stats", one, "--dataset", name, "--title", "Before", "--region-kind", "other")
            ok(r.returncode == 0, "the stored dataset", r.stderr)
        codes, outs = race(db, d, a.backend, name, [(one, "One"), (two, "Two")])
        ok(codes == [0, 0] and all("stored" in o for o, _ in outs),
           "two imports of %s at once: both exit 0 (the later replaces the earlier)" % what,
           "%s\n%s" % (codes, "\n".join(o + e for o, e in outs)))
        title = d.one("SELECT title FROM dataset WHERE name = ?", (name,))
        kt.eq(d.one("SELECT COUNT(*) FROM dataset WHERE name = ?", (name,)), 1, "  one dataset of that name")
        ok(title in want and stored_cells(d, name) == want[title],
           "  it is one of the two whole, cells and title (%s)" % title, title)
    kt.eq(d.one("SELECT COUNT(*) FROM stat_cell c WHERE NOT EXISTS (SELECT 1 FROM dataset s WHERE s.id = c.dataset_id)"),
          0, "no cell of a replaced dataset is left behind")

    # 2. a dataset of many cells: stored in batches, in seconds on both backends
    many = grid("many.csv", 200, 100, (2021, 2022, 2023, 2024), 1)   # 80,000 cells
    gen0 = d.one("SELECT generation FROM change_counter WHERE id = 1")
    t0 = time.time()
    try:
        r = kt.cli(db, "import", "stats", many, "--dataset", "many", "--region-kind", "other", timeout=90)
        code, out = r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        code, out = None, "still storing after 90 s"
    took = time.time() - t0
    ok(code == 0 and "200 regions x 100 industries x 4 years stored" in out,
       "import stats of 80,000 cells: stored", out)
    ok(code == 0 and took < 60, "  in well under a minute (%.1f s)" % took, out)
    kt.eq(d.one("SELECT COUNT(*) FROM stat_cell c JOIN dataset s ON s.id = c.dataset_id WHERE s.name = 'many'"),
          80000, "  every cell")
    if a.backend == "postgres":
        # each statement on stat_cell moves the data generation once (migration 004)
        steps = d.one("SELECT generation FROM change_counter WHERE id = 1") - gen0
        ok(steps < 2000, "  many cells a statement, not one (%d statements)" % steps, steps)

    # 3. the edges of the batches: names, reference and traded flags of more industries than one
    # batch holds, cells of one more and one fewer than a batch; read back as the file computes
    nind = 163
    rows = ["region,industry,year,employment,traded"]
    names = ["code,name"]
    refl = ["industry,year,employment"]
    for y in (2022, 2023):
        for r in range(3):
            for i in range(nind):
                if (r, i) == (2, 5):
                    continue   # a missing cell
                # the last industry empty everywhere (stored as one empty cell)
                v = "" if i == nind - 1 else str(3 + (r * 11 + i * 5 + y) % 41)
                rows.append("Q%d,K%03d,%d,%s,%d" % (r, i, y, v, i % 2))
    for i in range(nind):
        names.append("K%03d,Branża %d" % (i, i))
        for y in (2022, 2023):
            refl.append("K%03d,%d,%s" % (i, y, ":" if i == 7 else str(900 + i * 3 + y % 10)))
    data = write("edges.csv", "\n".join(rows) + "\n")
    namef = write("edges-names.csv", "\n".join(names) + "\n")
    reff = write("edges-ref.csv", "\n".join(refl) + "\n")
    opts = ["--reference", reff, "--industry-names", namef]
    r = kt.cli(db, "import", "stats", data, "--dataset", "edges", "--region-kind", "other", *opts)
    ok(r.returncode == 0 and "3 regions x 163 industries x 2 years stored" in r.stdout,
       "import stats of 163 industries with names, a reference and traded flags", r.stdout + r.stderr)
    kt.eq(d.one("SELECT COUNT(*) FROM stat_name n JOIN dataset s ON s.id = n.dataset_id WHERE s.name = 'edges'"),
          nind, "  every industry's name")
    kt.eq(d.one("SELECT COUNT(*) FROM stat_ref f JOIN dataset s ON s.id = f.dataset_id WHERE s.name = 'edges'"),
          2 * nind, "  the reference of every industry and year")
    out = os.path.join(kt.WORK, "edges-cli.csv")
    for base, extra in (("all", []), ("traded", ["--base", "traded"])):
        rc = kt.cli(None, "map", "indicators", data, *opts, *extra, "-o", out)
        want_csv = open(out, "rb").read() if rc.returncode == 0 else None
        srv_path = "/cluster-map.csv?dataset=edges" + ("&base=traded" if base == "traded" else "")
        srv = kt.Server(db, "dataset-store") if base == "all" else srv
        st, h, body = kt.request(srv.port, "GET", srv_path + "&lang=pl")
        ok(want_csv is not None and st == 200 and body == want_csv,
           "base=%s: the portal's download equals `klaster map indicators` on the file byte for byte" % base,
           (rc.stderr, st, body[:300], want_csv and want_csv[:300]))
    kt.section(attribution, db, d, srv.port)
    kt.section(kept_datasets, db, srv)
    srv.stop()
    d.close()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
