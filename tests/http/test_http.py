#!/usr/bin/env python3
"""Integration tests of the klaster HTTP server and CLI against real servers.

    python3 tests/http/test_http.py --backend sqlite|postgres

Environment: KLASTER_BIN (the binary), KLASTER_TEST_WORK (a scratch
directory) and, for postgres, KLASTER_TEST_PG (the URL of a running test
server; a fresh database on it is created with tests/pg.sh createdb).
Output is TAP: "ok N - ..." / "not ok N - ...", diagnostics as "# ...".
Python standard library only.
"""
import argparse
import csv
import html
import io
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402  the shared TAP output, processes and requests
from kt import BIN, ROOT, TIMEOUT, WORK, Server, cli, diag, eq, free_port, ok, request  # noqa: E402,F401

PASSWORD = "correct horse battery"


def get_json(port, path, headers=None):
    st, h, body = request(port, "GET", path, headers=headers)
    try:
        return st, h, json.loads(body.decode("utf-8"))
    except ValueError:
        return st, h, None


def q(s):
    return urllib.parse.quote(s, safe="")


# ---------------------------------------------------------------- HTML

class Page(HTMLParser):
    """Collects what the checks need: <html lang>, <title>, result names,
    the number found, pagination links."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.title = ""
        self.names = []           # texts of the first-column links of table.results
        self.count = None         # p.count strong
        self.page_links = []      # hrefs inside nav.pages
        self.errors = []
        self._stack = []
        self._in_title = False
        self._results = 0
        self._td = 0
        self._td_index = 0
        self._link = None
        self._count = False
        self._strong = False
        self._pages = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title" and not self._stack_has("svg"):
            self._in_title = True
        elif tag == "table" and "results" in cls:
            self._results += 1
        elif tag == "tr" and self._results:
            self._td_index = 0
        elif tag == "td" and self._results:
            self._td += 1
            self._td_index += 1
        elif tag == "a" and self._results and self._td and self._td_index == 1:
            self._link = ""
        elif tag == "a" and self._pages and a.get("href"):
            self.page_links.append(a["href"])
        elif tag == "p" and "count" in cls:
            self._count = True
        elif tag == "strong" and self._count:
            self._strong = True
        elif tag == "nav" and "pages" in cls:
            self._pages = True
        if tag not in ("meta", "link", "br", "img", "input", "hr", "path", "circle", "source", "col", "wbr"):
            self._stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag == "html":
            self.handle_starttag(tag, attrs)

    def _stack_has(self, tag):
        return tag in self._stack

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "table" and self._results:
            self._results -= 1
        elif tag == "td" and self._td:
            self._td -= 1
        elif tag == "a" and self._link is not None:
            self.names.append(self._link.strip())
            self._link = None
        elif tag == "p":
            self._count = False
        elif tag == "strong":
            self._strong = False
        elif tag == "nav":
            self._pages = False
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        else:
            self.errors.append("unexpected </%s>" % tag)

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._link is not None:
            self._link += data
        if self._strong and self._count:
            digits = re.sub(r"[^0-9]", "", data)
            if digits:
                self.count = int(digits)


def page(port, path, headers=None):
    st, h, body = request(port, "GET", path, headers=headers)
    text = body.decode("utf-8", "replace")
    try:
        p = Page(text)
    except Exception as ex:  # html.parser is lenient; anything raised is a failure
        p = None
        diag("parse error on %s: %s" % (path, ex))
    return st, h, text, p


# ---------------------------------------------------------------- Polish order and NIPs

ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
RANK = {c: i for i, c in enumerate(ALPHABET)}


def _base(c):
    if c in RANK:
        return c
    d = unicodedata.normalize("NFD", c)
    d = "".join(x for x in d if not unicodedata.combining(x))
    return d if d and all(x in RANK for x in d) else c


def polish_key(s):
    """Primary-level Polish collation key: words compared letter by letter,
    digits before letters, punctuation separates words."""
    words = re.findall(r"\w+", s.lower().replace("_", " "))
    key = []
    for w in words:
        k = []
        for m in re.finditer(r"\d+|\D", w):
            t = m.group(0)
            if t.isdigit():
                k.append((0, int(t)))
            else:
                b = _base(t)
                if all(x in RANK for x in b):
                    for x in b:
                        k.append((1, RANK[x]))
                else:
                    k.append((2, ord(t)))
        key.append(tuple(k))
    return tuple(key)


def nip_from(base):
    """Valid NIP from a 9-digit number, or None when the remainder is 10."""
    w = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    digits = "%09d" % base
    s = sum(int(d) * x for d, x in zip(digits, w)) % 11
    return None if s == 10 else digits + str(s)


def nips(start, count):
    out = []
    b = start
    while len(out) < count:
        n = nip_from(b)
        if n:
            out.append(n)
        b += 1
    return out


# ---------------------------------------------------------------- the tests

def prepare_db(db):
    r = cli(db, "db", "migrate")
    ok(r.returncode == 0, "db migrate", r.stderr)
    r = cli(db, "db", "migrate")
    ok(r.returncode == 0 and "schema at version" in r.stdout, "db migrate again is a no-op", r.stdout + r.stderr)
    if db.startswith("sqlite:"):
        # a migration that rebuilds tables with foreign keys off (023) is not blamed for a row
        # that broke a foreign key before it: on a copy, such a row, then 023 again
        import sqlite3
        copy = os.path.join(WORK, "fk-before.db")
        src = sqlite3.connect(db[7:])
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.execute("PRAGMA foreign_keys=OFF")
        dst.execute("INSERT INTO membership (cluster_id, org_id, role) VALUES (99999, 99998, 'member')")
        dst.execute("DELETE FROM schema_migrations WHERE version = 23")
        dst.commit()
        dst.close()
        r = cli("sqlite:" + copy, "db", "migrate")
        ok(r.returncode == 0 and "applied migration 023" in r.stdout,
           "a migration with foreign keys off: a broken row from before it is not its doing", r.stdout + r.stderr)
        os.unlink(copy)
    r = cli(db, "import", "reference", "data")
    ok(r.returncode == 0, "import reference data", r.stderr)
    for kind in ("organisations", "clusters", "members"):
        r = cli(db, "import", kind, "data/demo/%s.csv" % kind)
        ok(r.returncode == 0 and " inserted" in r.stdout, "import %s" % kind, r.stdout + r.stderr)
    r = cli(db, "import", "stats", "data/stats/gus_regon_2025q3_employment_estimate.csv", "--dataset", "gus-2025q3",
            "--title", "GUS 2025", "--source", "Źródło: GUS")
    ok(r.returncode == 0 and "stored" in r.stdout, "import stats: the GUS estimate", r.stderr)
    r = cli(db, "import", "stats", EUROSTAT, *EUROSTAT_OPTS, "--dataset", "eurostat-sbs-2015", "--region-kind", "nuts2013",
            "--title", "Eurostat SBS 2015")
    ok(r.returncode == 0 and "stored" in r.stdout, "import stats: Eurostat SBS 2015 (Poland, NUTS-2)", r.stderr)
    ok("no boundaries on the portal's map" not in r.stderr, "  every region has its boundaries: no notice", r.stderr)
    # the same NUTS file as TERYT (the default kind): stored, but the map would have nothing; said how to fix
    r = cli(db, "import", "stats", EUROSTAT, *EUROSTAT_OPTS, "--dataset", "nuts-as-teryt")
    ok(r.returncode == 0 and "regions have no boundaries on the portal's map (first: PL" in r.stderr
       and "--region-kind nuts2013" in r.stderr and "to draw them on the voivodeships" in r.stderr
       and "map of Europe" not in r.stderr,
       "import stats of NUTS codes without --region-kind: the map's missing boundaries named, with the option", r.stderr)
    r = cli(db, "dataset", "delete", "nuts-as-teryt")
    ok(r.returncode == 0, "  (deleted again)", r.stderr)
    # codes of other countries among them: the map of Europe, not the voivodeships
    mixed = os.path.join(WORK, "nuts-mixed.csv")
    with open(mixed, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\nPL21,C,10\nPL22,C,20\nDE11,C,30\nPL21,G,5\nPL22,G,5\nDE11,G,9\n")
    r = cli(db, "import", "stats", mixed, "--dataset", "nuts-mixed")
    ok(r.returncode == 0 and "to draw them on the map of Europe" in r.stderr and "voivodeships" not in r.stderr,
       "  NUTS codes of several countries as TERYT: the hint names the map of Europe", r.stderr)
    cli(db, "dataset", "delete", "nuts-mixed")


EUROSTAT = "data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"
EUROSTAT_OPTS = ["--skip-invalid", "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3"]


def test_cluster_map(port, db):
    """The portal's cluster map: page, API and downloads agree with the CLI."""
    st, h, text, p = page(port, "/cluster-map")
    ok(st == 200 and text and "<svg" in text and "<table" in text, "the cluster map page (default dataset)", st)
    st, h, text, p = page(port, "/cluster-map?dataset=eurostat-sbs-2015&industry=C31")
    ok(st == 200 and text and "warmińsko-mazurskie" in text, "Eurostat C31 with NUTS codes shown as voivodeships", st)
    st, h, text, p = page(port, "/cluster-map?dataset=gus-2025q3")
    ok(st == 200 and text and '<span class="source">Źródło: GUS</span>' in text,
       "a source that names itself ('Źródło: GUS') is not labelled again",
       re.findall(r'<p class="muted dataset-source">.*?</p>', text or ""))
    st, h, js = get_json(port, "/api/v1/datasets")
    ok(js and {d["name"] for d in js["items"]} == {"gus-2025q3", "eurostat-sbs-2015"}, "the datasets API", js)
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-sbs-2015&industry=C31")
    api = {x["region"]: x for x in js["regions"]} if js else {}
    r = cli(None, "map", "indicators", EUROSTAT, *EUROSTAT_OPTS)
    cli_rows = [x for x in csv.DictReader(io.StringIO(r.stdout)) if x["industry"] == "C31"] if r.returncode == 0 else []
    same = cli_rows and all(abs(float(x["lq"]) - api[x["region"]]["lq"]) < 1e-9 and
                            int(x["stars"]) == api[x["region"]]["stars"] for x in cli_rows)
    ok(len(api) == 16 and same, "the API's LQ and stars equal `klaster map indicators` on the file", (len(api), r.stderr))
    # the whole download equals the command line's table on the file, text for text but for the
    # names the portal adds (the voivodeships' of the reference data): the same 68 industries,
    # H53 (empty in every Polish region of the file) too
    st, h, body = request(port, "GET", "/cluster-map.csv?dataset=eurostat-sbs-2015")

    def unnamed(text):
        return [[v for k, v in enumerate(row) if k not in (1, 3)] for row in csv.reader(io.StringIO(text))]
    mine, theirs = (unnamed(body.decode("utf-8")), unnamed(r.stdout)) if st == 200 and r.returncode == 0 else ([], [1])
    ok(mine == theirs and ["PL12", "H53", "2015"] + [""] * 11 in theirs and len(theirs) == 1 + 16 * 68,
       "the Eurostat dataset's download equals `klaster map indicators` on the file, empty industries too",
       (st, len(mine), len(theirs)))
    st, h, text, p = page(port, "/cluster-map?dataset=eurostat-sbs-2015&industry=H53")
    ok(st == 200 and text and "<svg" in text and 'class="notice"' not in text and "empty-note" in text,
       "an industry without data in any region: its map, every region without data, and a note saying so", st)
    st, h, text, p = page(port, "/cluster-map?dataset=eurostat-sbs-2015&industry=C31")
    ok(st == 200 and text and "empty-note" not in text, "no such note for an industry with data", st)
    # a cell without employment (confidential, or no data) has no stars or flags: null, not 0 or false
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-sbs-2015&industry=H53")
    flags = ("size_star", "specialisation_star", "focus_star", "stars", "strong", "strong10")
    ok(js and len(js["regions"]) == 16 and all(x["employment"] is None and all(x[f] is None for f in flags)
                                               for x in js["regions"]),
       "API: regions without employment have null stars and flags, as the download's empty cells",
       js and js["regions"][0])
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=eurostat-sbs-2015&region=PL12")
    h53 = [x for x in js["industries"] if x["industry"] == "H53"] if js else []
    ok(h53 and all(h53[0][f] is None for f in flags), "  and so has the region profile's API", h53)
    st, h, text, p = page(port, "/cluster-map/region?dataset=eurostat-sbs-2015&region=PL12")
    m = re.search(r'class="muted missing-note" data-missing="(\d+)"', text or "")
    # H53 has no value in any region (above): no industry of the year, not one of the cells taken as 0
    miss = sum(1 for x in (js or {}).get("industries", []) if x["employment"] is None and x["industry"] != "H53")
    ok(st == 200 and m and int(m.group(1)) == miss > 0,
       "the region profile says how many of its cells the indices take as 0 (%d)" % miss, m and m.group(0))
    best = max(api.values(), key=lambda x: x["lq"] or 0) if api else None
    ok(best and best["region"] == "PL62" and abs(best["lq"] - 4.32) < 0.01, "C31 furniture peaks in PL62 (LQ 4.32)", best)
    st, h, body = request(port, "GET", "/cluster-map.csv?dataset=gus-2025q3")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8")))) if st == 200 else []
    ok(len(rows) == 16 * 86 and "lq" in rows[0], "the CSV download has every cell", (st, len(rows)))
    st, h, body = request(port, "GET", "/cluster-map.csv?dataset=gus-2025q3&format=xlsx")
    ok(st == 200 and body[:4] == b"PK\x03\x04", "the XLSX download", st)
    for path, want in (("/cluster-map?dataset=nope", 404), ("/api/v1/cluster-map?industry=ZZZ", 400),
                       ("/cluster-map?indicator=happiness", 400), ("/cluster-map.csv?format=pdf", 400),
                       ("/api/v1/cluster-map?dataset=nope", 404), ("/cluster-map.csv?dataset=gus-2025q3&year=1999", 400)):
        st, h, body = request(port, "GET", path)
        ok(st == want, "%s: %d" % (path, want), st)
    # choosing another dataset in the form keeps the industry and year chosen for the first: the
    # page shows the new dataset's default industry and latest year, and says what it replaced
    st, h, text, p = page(port, "/cluster-map?dataset=gus-2025q3&industry=C12&year=2015")
    ok(st == 200 and text and 'class="notice"' in text and "C12" in text and "<svg" in text,
       "an industry the dataset lacks: the page falls back with a notice", st)
    st, h, text, p = page(port, "/cluster-map?dataset=eurostat-sbs-2015&industry=C29&year=1999")
    ok(st == 200 and text and 'class="notice"' in text and "1999" in text and "(2015)" in text,
       "a year the dataset lacks: the page shows the latest year with a notice", st)
    st, h, text, p = page(port, "/cluster-map?dataset=gus-2025q3&industry=C29")
    h2 = re.search(r"<h2>(.*?)</h2>", text or "")
    ok(st == 200 and h2 and "— 29 " in h2.group(1) and 'class="notice"' in text,
       "industry=C29 (NACE) on the GUS dataset shows PKD 29 and says so", h2 and h2.group(1))
    st, h, text, p = page(port, "/cluster-map?dataset=nope")
    ok(st == 404 and text and 'href="/cluster-map"' in text and "nope" in text,
       "an unknown dataset: 404 with the way back to the cluster map", st)
    # a re-imported dataset shows at once (the generation moves)
    for _ in range(2):
        st, h, text, p = page(port, "/cluster-map?dataset=gus-2025q3")
    r = cli(db, "import", "stats", "data/stats/gus_regon_2025q3_employment_estimate.csv", "--dataset", "gus-2025q3",
            "--title", "GUS 2025", "--source", "Źródło: GUS, wersja druga")
    st, h, text, p = page(port, "/cluster-map?dataset=gus-2025q3")
    ok(r.returncode == 0 and text and "wersja druga" in text, "a re-imported dataset is shown at once", r.stderr)


def demo_names():
    with open(os.path.join(ROOT, "data/demo/organisations.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows


def html_ok(port, path, desc, status=200, headers=None):
    st, h, text, p = page(port, path, headers)
    good = (st == status and h.get("content-type", "").startswith("text/html") and p is not None
            and p.lang in ("pl", "en") and p.title.strip() != "" and "content-security-policy" in h)
    ok(good, "%s: %d, text/html, <html lang>, <title>, CSP" % (desc, status),
       "status %s, ctype %r, lang %r, title %r, csp %r" % (st, h.get("content-type"), p and p.lang,
                                                          p and p.title, h.get("content-security-policy")))
    return st, h, text, p


def test_pages(port):
    st, h, text, p = html_ok(port, "/", "home")
    st, h, text, p = html_ok(port, "/organisations", "organisations")
    ok(p and p.count and p.count >= 80, "organisations lists the directory", p and p.count)
    first = re.search(r'href="/organisations/(\d+)"', text)
    ok(first is not None, "organisations links to profiles")
    org_id = first.group(1) if first else "1"
    st, h, text, p = html_ok(port, "/organisations/%s" % org_id, "organisation profile")
    st, h, text, p = html_ok(port, "/clusters", "clusters")
    ok("Łódzki Klaster Żywności" in text and "Bałtycki Klaster Morski" in text, "clusters lists the clusters")
    # labels held today (the demo's from data/demo/clusters.csv, by the date of the run)
    today = time.strftime("%Y-%m-%d")
    with open(os.path.join(ROOT, "data/demo/clusters.csv"), encoding="utf-8") as f:
        labels = [(c["acronym"], lb.split("@")[0], lb.split("@")[1].split("/"))
                  for c in csv.DictReader(f) for lb in c["labels"].split(";") if lb]
    held = sorted(k for _, k, (a, b) in labels if a <= today and (not b or today <= b))
    shown = sorted(re.findall(r'<span class="badge label-([a-z-]+)"', text))
    ok(shown == held and len(labels) > len(held), "the list shows the labels held today, not the ended ones",
       (shown, held))
    st, h, text, p = html_ok(port, "/clusters/MKTC?lang=en", "cluster with labels")
    ended = [(k, a, b) for c, k, (a, b) in labels if c == "MKTC" and b and b < today]
    ok(ended and all(re.search(r'<li class="muted"><span class="badge label-%s">[^<]*</span> %s – %s \(expired\)</li>'
                               % (k, a, b), text) for k, a, b in ended),
       "the profile lists every label with its dates, the ended ones marked",
       re.findall(r"<li[^>]*><span class=\"badge[^\n]{0,160}", text))
    st, h, js = get_json(port, "/api/v1/clusters/KLPS")
    cid = js and js.get("id")
    ok(cid, "cluster id from the API")
    st, h, text, p = html_ok(port, "/clusters/%s" % cid, "cluster by id")
    ok("Podkarpackie Skrzydła" in text, "cluster page by id shows the cluster")
    st, h, text, p = html_ok(port, "/clusters/KLPS", "cluster by acronym")
    ok("Podkarpackie Skrzydła" in text, "cluster page by acronym shows the cluster")
    st, h, text, p = html_ok(port, "/clusters/" + q("ŁKŻ"), "cluster by Polish acronym")
    ok("Łódzki Klaster Żywności" in text, "cluster page by ŁKŻ shows the cluster")
    html_ok(port, "/clusters/NOPE", "unknown cluster", status=404)
    st, h, text, p = html_ok(port, "/clusters/klps", "cluster by acronym in lower case")
    ok("Podkarpackie Skrzydła" in text, "an acronym names its cluster whatever its case")
    st, h, text, p = html_ok(port, "/clusters/" + q("łkż"), "cluster by a Polish acronym in lower case")
    ok("Łódzki Klaster Żywności" in text, "łkż is ŁKŻ (Polish letters folded too, on both databases)")
    for path, want in (("/clusters/0%s" % cid, "/clusters/%s" % cid),
                       ("/organisations/00%s" % org_id, "/organisations/%s" % org_id),
                       ("/organisations/0%s?lang=en&saved=1" % org_id, "/organisations/%s?lang=en&saved=1" % org_id)):
        st, h, body = request(port, "GET", path)
        ok(st == 301 and h.get("location", "").endswith(want),
           "%s: moved for good to %s (one address a page)" % (path, want), (st, h.get("location")))
    html_ok(port, "/map", "map")

    st, h, body = request(port, "GET", "/map.svg")
    ok(st == 200 and h.get("content-type", "").startswith("image/svg+xml"), "map.svg: 200 image/svg+xml",
       (st, h.get("content-type")))
    try:
        root = ET.fromstring(body)
        ok(root.tag.endswith("svg"), "map.svg is valid XML with an <svg> root", root.tag)
        paths = root.findall(".//{http://www.w3.org/2000/svg}path")
        ok(len(paths) >= 16, "map.svg draws the 16 voivodeships", len(paths))
    except ET.ParseError as ex:
        ok(False, "map.svg is valid XML", ex)
        ok(False, "map.svg draws the 16 voivodeships")

    st, h, body = request(port, "GET", "/static/klaster.css")
    ok(st == 200 and h.get("content-type", "").startswith("text/css") and len(body) > 100,
       "klaster.css: 200 text/css", (st, h.get("content-type")))
    st, h, body = request(port, "HEAD", "/static/klaster.css")
    ok(st == 200 and body == b"", "HEAD serves headers only", (st, len(body)))
    st, h, body = request(port, "GET", "/static/../Makefile")
    ok(st in (400, 404), "no path traversal under /static/", st)
    st, h, body = request(port, "GET", "/healthz")
    ok(st == 200, "healthz: 200", st)
    st, h, js = get_json(port, "/api/v1/openapi.json")
    ok(st == 200 and h.get("content-type", "").startswith("application/json") and isinstance(js, dict)
       and "openapi" in js and "paths" in js, "openapi.json: 200, valid JSON document", (st, h.get("content-type")))


def test_search(port, backend, db):
    all_rows = demo_names()
    # q=lodz
    st, h, text, p = page(port, "/organisations?q=lodz&per_page=100")
    ok(st == 200 and p and p.names, "q=lodz answers", st)
    names = p.names if p else []
    want = [r["name"] for r in all_rows if re.search(r"Łódź|Łódzk", r["name"])]
    missing = [n for n in want if n not in names]
    ok(len(want) >= 4 and not missing, "q=lodz finds every name with Łódź/Łódzk…", missing)
    ok(p and p.count == len(names), "q=lodz count equals rows listed", (p and p.count, len(names)))
    # q=zywiec
    st, h, text, p = page(port, "/organisations?q=zywiec")
    ok(p and any(re.search(r"Żywiec|Żywieck", n) for n in p.names), "q=zywiec finds Żywiec/Żywieckie",
       p and p.names)
    st, h, text, p = page(port, "/organisations?q=%C5%BBYWIEC")
    ok(p and any("Żywieck" in n for n in p.names), "q=ŻYWIEC (Polish capitals) finds the same", p and p.names)
    st, h, text, p = page(port, "/organisations?q=zyw&per_page=100")
    ok(p and len(p.names) >= 3 and any("Żywieck" in n for n in p.names), "prefix q=zyw", p and p.names)
    st, h, text, p = page(port, "/organisations?q=" + q("łódź żywności") + "&per_page=100")
    st2, h2, text2, p2 = page(port, "/organisations?q=lodz&per_page=100")
    ok(p and p2 and 0 < len(p.names) < len(p2.names) and set(p.names) <= set(p2.names),
       "two words AND", (p and p.names))
    # filters
    st, h, js = get_json(port, "/api/v1/organisations?type=research&per_page=500")
    want = sum(1 for r in all_rows if r["type"] == "research")
    ok(js and js["total"] == want and all(i["type"] == "research" for i in js["items"]),
       "type=research filter (API)", js and js["total"])
    # a NIP as people write it finds its organisation
    st, h, one = get_json(port, "/api/v1/organisations?per_page=1")
    nip = one["items"][0]["nip"] if one and one["items"] else None
    if nip:
        for form in (nip, "%s-%s-%s-%s" % (nip[:3], nip[3:6], nip[6:8], nip[8:]), "PL" + nip,
                     "PL %s %s %s %s" % (nip[:3], nip[3:6], nip[6:8], nip[8:])):
            st, h, js = get_json(port, "/api/v1/organisations?q=" + q(form))
            ok(js and js["total"] == 1 and js["items"][0]["nip"] == nip, "search by NIP written as %r" % form,
               js and js["total"])
    # paging: past the last page a notice with a link to it; a gap of one page shows that page
    st, h, text, p = page(port, "/organisations?per_page=10&page=99&lang=en")
    m = re.search(r'The results end on page (\d+)\. <a href="([^"]+)">Go to page \1</a>', text)
    ok(st == 200 and m and "page=%s" % m.group(1) in m.group(2), "past the last page: a notice linking to it",
       re.findall(r'class="notice">[^\n]{0,200}', text))
    st, h, text, p = page(port, "/organisations?per_page=10&page=5&lang=en")
    nums = re.findall(r'<li><a(?: aria-current="page")? href="[^"]*">(\d+)</a></li>', text)
    total_pages = int(nums[-1]) if nums else 0
    ok(total_pages >= 9 and nums[:7] == [str(i) for i in range(1, 8)] and "<li>…</li>" not in text.split(">7<")[0],
       "pages 1–7 around page 5, page 3 not hidden behind an ellipsis", nums)
    st, h, text, p = page(port, "/organisations?type=research&per_page=100")
    ok(p and p.count == want, "type=research filter (page)", p and p.count)
    st, h, js = get_json(port, "/api/v1/organisations?type=enterprise&size=micro&voiv=&per_page=500")
    want = sum(1 for r in all_rows if r["type"] == "enterprise" and r["size_class"] == "micro")
    ok(js and js["total"] == want and all(i["size_class"] == "micro" for i in js["items"]),
       "type+size filters", js and js["total"])
    st, h, js = get_json(port, "/api/v1/organisations?voiv=10&per_page=500")
    ok(js and js["total"] > 0 and all(i["voivodeship"] == "10" for i in js["items"]), "voiv=10 filter",
       js and js["total"])
    st, h, js = get_json(port, "/api/v1/organisations?section=C&per_page=500")
    st2, h2, jall = get_json(port, "/api/v1/organisations?per_page=500")
    ok(js and jall and 0 < js["total"] < jall["total"], "section=C narrows", js and js["total"])
    # a PKD code at any level below the section: the organisations with it or a code inside it,
    # counted from the demo file by hand (62 holds 62.01.Z, never 620…)
    def with_code(code):
        # a group (30.3) holds the classes 30.3x; a division and a class hold the codes after their dot
        inside = code if re.fullmatch(r"\d\d\.\d", code) else code + "."
        return sum(1 for r in all_rows if any(c == code or c.startswith(inside)
                                              for c in r["pkd"].split(";") if c))
    for given, code in (("30", "30"), ("30.3", "30.3"), ("30.30", "30.30"), ("30.30.Z", "30.30.Z"),
                        ("3030z", "30.30.Z"), ("25.6", "25.6")):
        want = with_code(code)
        st, h, js = get_json(port, "/api/v1/organisations?per_page=500&pkd=" + q(given))
        ok(st == 200 and js and want > 0 and js["total"] == want, "pkd=%s: the %d organisations with a code in %s"
           % (given, want, code), js and js.get("total"))
    want = sum(1 for r in all_rows if r["voivodeship" if "voivodeship" in r else "teryt"][:2] == "22"
               and any(c.startswith("30.") for c in r["pkd"].split(";")))
    # the edition: the demo's codes are PKD 2007; PKD 2025 renumbered them, so the same code of 2025 finds none
    st, h, js = get_json(port, "/api/v1/organisations?per_page=500&pkd=30&pkd_version=2025")
    ok(st == 200 and js and js["total"] == 0, "pkd=30&pkd_version=2025: none of the demo's (PKD 2007) organisations",
       js and js.get("total"))
    st, h, js = get_json(port, "/api/v1/organisations?pkd=30&pkd_version=2026")
    ok(st == 400 and js and "pkd_version" in js.get("error", {}).get("message", ""), "pkd_version=2026: 400", st)
    st, h, js = get_json(port, "/api/v1/organisations?per_page=500&pkd=30&voiv=22")
    ok(js and js["total"] == want, "pkd with voiv: both filters hold", (js and js["total"], want))
    st, h, js = get_json(port, "/api/v1/organisations?per_page=500&pkd=30&q=" + q("stocznia"))
    ok(js is not None and js["total"] == sum(1 for r in all_rows if "Stocznia" in r["name"] and
                                             any(c.startswith("30.") for c in r["pkd"].split(";"))),
       "pkd with a text query", js and js["total"])
    st, h, text, p = page(port, "/organisations?pkd=30.30&lang=en")
    ok(st == 200 and p and p.count == with_code("30.30") and 'name="pkd" value="30.30"' in text,
       "the directory page filters by PKD code and keeps it in the form", p and p.count)
    for bad, why in (("6x", "is not a PKD code"), ("C", "is a section: choose it as the section")):
        st, h, js = get_json(port, "/api/v1/organisations?pkd=" + q(bad))
        ok(st == 400 and js and why in js.get("error", {}).get("message", ""), "pkd=%s: 400, %s" % (bad, why), (st, js))
    # the same search as a workbook: a row per organisation, the import columns, a sheet naming the filters
    st, h, body = request(port, "GET", "/organisations.xlsx?pkd=30&lang=en")
    sheets = {}
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            sheets = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/")}
    except zipfile.BadZipFile:
        pass
    rows = re.findall(r"<row ", sheets.get("xl/worksheets/sheet1.xml", ""))
    shared = sheets.get("xl/sharedStrings.xml", "")
    names = [r["name"] for r in all_rows if any(c.startswith("30.") for c in r["pkd"].split(";"))]
    ok(st == 200 and "spreadsheetml" in h.get("content-type", "") and len(rows) == 1 + with_code("30")
       and all(html.escape(n, quote=False) in shared for n in names) and "pkd=30" in shared
       and "xl/worksheets/sheet2.xml" in sheets,
       "organisations.xlsx?pkd=30: a row per organisation found, and a sheet naming the filters",
       (st, h.get("content-type"), len(rows)))
    st, h, text, p = page(port, "/organisations?pkd=30&lang=en")
    ok('href="/organisations.xlsx?pkd=30"' in text, "the directory links the workbook of the same search")
    xl = os.path.join(WORK, "orgs-%d.xlsx" % port)
    r = cli(db, "export", "organisations", "--pkd", "30", "-o", xl)
    ok(r.returncode == 0 and zipfile.is_zipfile(xl) and len(re.findall(r"<row ", zipfile.ZipFile(xl).read(
        "xl/worksheets/sheet1.xml").decode())) == 1 + with_code("30"), "export organisations -o FILE.xlsx", r.stderr)
    r = cli(db, "export", "clusters", "-o", os.path.join(WORK, "clusters.xlsx"))
    ok(r.returncode == 2 and "exported as CSV" in r.stderr and not os.path.exists(os.path.join(WORK, "clusters.xlsx")),
       "export clusters -o FILE.xlsx: a usage error, not CSV text in a workbook's name", r.stderr)
    gj = os.path.join(WORK, "orgs-%d.geojson" % port)
    r = cli(db, "export", "organisations", "-o", gj)
    fc = json.load(open(gj, encoding="utf-8")) if r.returncode == 0 and os.path.exists(gj) else {}
    feats = fc.get("features", [])
    placed = [f_ for f_ in feats if f_["properties"]["lat"] is not None]
    every = list(csv.DictReader(io.StringIO(cli(db, "export", "organisations").stdout)))
    ok(fc.get("type") == "FeatureCollection" and len(feats) == len(every) and placed and
       all(f_["geometry"] == {"type": "Point", "coordinates": [f_["properties"]["lon"], f_["properties"]["lat"]]}
           for f_ in placed) and
       all(f_["geometry"] is None for f_ in feats if f_["properties"]["lat"] is None),
       "export organisations -o FILE.geojson: each organisation at its point (null without coordinates)",
       (r.returncode, r.stderr, len(feats), len(placed)))
    r = cli(db, "export", "clusters", "-o", os.path.join(WORK, "clusters.geojson"))
    ok(r.returncode == 2 and ".geojson" in r.stderr and not os.path.exists(os.path.join(WORK, "clusters.geojson")),
       "export clusters -o FILE.geojson: a usage error (clusters are exported as CSV)", r.stderr)
    dated = os.path.join(WORK, "orgs.2026-11-23")
    r = cli(db, "export", "organisations", "-o", dated)
    ok(r.returncode == 0 and open(dated, encoding="utf-8").read().startswith("name,type,"),
       "-o FILE with an ending that names no format (a date, .bak): CSV, as always", r.stderr)
    st, h, text, p = page(port, "/organisations?pkd=6x&lang=pl")
    ok(st == 400 and "„6x” nie jest kodem PKD" in text and 'name="pkd" value="6x"' in text,
       "a bad PKD code on a Polish page: 400, told in Polish above the search form, which keeps it",
       (st, re.findall(r"<main>[^\n]{0,200}", text)))
    r = cli(db, "export", "organisations", "--pkd", "30.30")
    ok(r.returncode == 0 and len(list(csv.DictReader(io.StringIO(r.stdout)))) == with_code("30.30"),
       "export organisations --pkd 30.30: the same organisations", (r.returncode, r.stderr))
    # a PKD code of the right shape that the edition does not have finds nothing: said, not an empty list
    # (the page names the filter by its label, linked to its field; a download by its parameter)
    for path, want in (("/organisations?pkd=04&lang=en",
                        '<a href="#f-pkd">PKD code</a>: division 04 does not exist in PKD 2007'),
                       ("/organisations?pkd=62.99&lang=en", '<a href="#f-pkd">PKD code</a>: 62.99 is not a class of PKD 2007'),
                       ("/organisations?pkd=04&lang=pl", '<a href="#f-pkd">Kod PKD</a>: dział 04 nie istnieje w PKD 2007'),
                       ("/organisations.csv?pkd=04&lang=en", "pkd: division 04 does not exist in PKD 2007"),
                       ("/organisations.xlsx?pkd=04&lang=en", "pkd: division 04 does not exist in PKD 2007")):
        st, h, text, p = page(port, path)
        ok(st == 400 and want in html.unescape(text), "%s: 400 saying the code does not exist" % path,
           (st, re.findall(r'class="error"[^\n]{0,200}', text) or text[:200]))
    st, h, js = get_json(port, "/api/v1/organisations?pkd=62.01.Y")
    ok(st == 400 and js and js["error"]["message"].startswith("pkd: 62.01.Y is not a subclass of PKD 2007"),
       "API: an unknown subclass is a 400 naming the class's subclasses", js)
    st, h, text, p = page(port, "/organisations?pkd=62.01&pkd_version=2030&lang=pl")
    ok(st == 400 and '<a href="#f-pkd_version">Wersja PKD</a>: „2030” to ani 2007, ani 2025' in html.unescape(text),
       "an unknown PKD edition, told in Polish on a Polish page", (st, text[:200]))
    for args, want in ((("--pkd", "04"), "pkd: division 04 does not exist in PKD 2007"),
                       (("--voiv", "99"), "voiv: no voivodeship with TERYT code 99"),
                       (("--pkd", "04", "-o", os.path.join(WORK, "none.xlsx")), "pkd: division 04")):
        r = cli(db, "export", "organisations", *args)
        ok(r.returncode == 3 and want in r.stderr and r.stdout == "",
           "export organisations %s: exit 3 naming the filter, nothing written" % " ".join(args[:2]),
           (r.returncode, r.stderr, r.stdout[:100]))
    ok(not os.path.exists(os.path.join(WORK, "none.xlsx")), "  and no workbook left behind")
    st, h, jc = get_json(port, "/api/v1/clusters/WKM")
    cid = jc["id"] if jc else 0
    st, h, js = get_json(port, "/api/v1/organisations?cluster=%s&per_page=500" % cid)
    with open(os.path.join(ROOT, "data/demo/members.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    nwkm = sum(1 for r in rows if r["cluster"] == "WKM" and not r["left"])
    ok(js and js["total"] == nwkm, "cluster filter gives the cluster's current members", (js and js["total"], nwkm))
    st, h, jk = get_json(port, "/api/v1/clusters/KLPS")
    st, h, js = get_json(port, "/api/v1/organisations?cluster=%s&per_page=500" % (jk["id"] if jk else 0))
    left = [r["organisation"] for r in rows if r["cluster"] == "KLPS" and r["left"]]
    ok(left and js and js["total"] == sum(1 for r in rows if r["cluster"] == "KLPS") - len(left),
       "  without those who left (KLPS has a former member)", (js and js["total"], left))
    for code in ("WKM", "wkm", str(cid)):
        r = cli(db, "export", "organisations", "--cluster", code)
        got = list(csv.DictReader(io.StringIO(r.stdout))) if r.returncode == 0 else []
        ok(len(got) == nwkm, "export organisations --cluster %s: the cluster's current members (%d)" % (code, nwkm),
           (r.returncode, r.stderr, len(got)))
    r = cli(db, "export", "organisations", "--cluster", "NOPE", "-o", os.path.join(WORK, "nope.csv"))
    ok(r.returncode == 4 and "--cluster NOPE: no cluster has that acronym" in r.stderr and
       not os.path.exists(os.path.join(WORK, "nope.csv")), "export organisations --cluster NOPE: exit 4, nothing written",
       (r.returncode, r.stderr))

    # Polish sort order
    names = [i["name"] for i in jall["items"]] if jall else []
    bad = [(a, b) for a, b in zip(names, names[1:]) if polish_key(a) > polish_key(b)]
    ok(names and not bad, "API list is in Polish alphabetical order", bad[:3])

    def before(a, b):
        return a in names and b in names and names.index(a) < names.index(b)
    ok(before("Lubelska Wytwórnia Podzespołów Śmigłowcowych Sp. z o.o.",
              "Łańcuckie Zakłady Obróbki Skrawaniem Sp. z o.o."), "L… before Ł…")
    ok(before("Zielonogórskie Winnice Sp. z o.o.", "Źródło Smaku Sp. z o.o.")
       and before("Źródło Smaku Sp. z o.o.", "Żegluga Zatokowa Sp. z o.o."), "Z… < Ź… < Ż…")
    st, h, text, p = page(port, "/organisations?per_page=100&sort=name")
    pn = p.names if p else []
    ok(pn and pn == names[:len(pn)], "page order equals the API order", pn[:3])
    st, h, text, p = page(port, "/organisations?per_page=100&sort=-name")
    ok(p and p.names == list(reversed(names))[:len(p.names)], "sort=-name reverses", p and p.names[:3])

    # pagination
    total = jall["total"] if jall else 0
    st, h, text, p = page(port, "/organisations?per_page=10")
    ok(p and len(p.names) == 10 and p.count == total, "page 1 of 10 rows; total shown", p and p.count)
    links = p.page_links if p else []
    last = (total + 9) // 10
    ok(any(re.search(r"[?&]page=2\b", l) for l in links) and any(re.search(r"[?&]page=%d\b" % last, l)
                                                                  for l in links),
       "pagination links to page 2 and the last page", links)
    ok(all("per_page=10" in l for l in links), "pagination links keep per_page", links[:2])
    st, h, text2 = request(port, "GET", "/organisations?per_page=10&page=2")
    text2 = text2.decode("utf-8")
    ok('rel="prev" href="/organisations?page=1&amp;per_page=10"' in text2
       and ('rel="next" href="/organisations?page=3&amp;per_page=10"' in text2 or last == 2),
       "page 2 links to the previous and the next page, its addresses escaped", text2[-700:])
    seen = []
    for pg in range(1, last + 1):
        st, h, text, p = page(port, "/organisations?per_page=10&page=%d" % pg)
        seen += p.names if p else []
    ok(seen == names, "all pages together list every organisation once", (len(seen), len(names)))
    st, h, text, p = page(port, "/organisations?per_page=10&page=%d" % (last + 1))
    ok(st == 200 and p and p.names == [], "a page past the end is empty", st)

    # CSV export
    st, h, body = request(port, "GET", "/organisations.csv?q=lodz")
    ok(st == 200 and "text/csv" in h.get("content-type", ""), "CSV export: 200 text/csv", (st, h.get("content-type")))
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    with open(os.path.join(ROOT, "data/demo/organisations.csv"), encoding="utf-8") as f:
        header = next(csv.reader(f))
    ok(rows and rows[0] == header, "CSV export has the import header", rows[:1])
    st, h, js = get_json(port, "/api/v1/organisations?q=lodz&per_page=500")
    ok(js and len(rows) - 1 == js["total"], "CSV export has as many rows as the search total",
       (len(rows) - 1, js and js["total"]))
    ok(js and sorted(r[0] for r in rows[1:]) == sorted(i["name"] for i in js["items"]), "CSV export names match")
    path = os.path.join(WORK, "export-%s.csv" % backend)
    with open(path, "wb") as f:
        f.write(body)
    r = cli(db, "import", "organisations", path)
    n = len(rows) - 1
    ok(r.returncode == 0 and "%d rows: 0 inserted, 0 updated, %d unchanged" % (n, n) in r.stdout,
       "CSV export re-imports with everything unchanged", r.stdout + r.stderr)
    st, h, body = request(port, "GET", "/organisations.csv")
    allrows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    ok(len(allrows) - 1 == total, "full CSV export has every organisation", len(allrows) - 1)


def test_api(port):
    st, h, js = get_json(port, "/api/v1/organisations?q=lodz&per_page=3")
    ok(st == 200 and h.get("content-type", "").startswith("application/json") and js
       and len(js["items"]) == 3 and js["total"] > 3 and js["per_page"] == 3 and js["page"] == 1,
       "API search with per_page", js and {k: js[k] for k in js if k != "items"})
    oid = js["items"][0]["id"] if js else 0
    st, h, one = get_json(port, "/api/v1/organisations/%s" % oid)
    ok(st == 200 and one and one["id"] == oid and one["name"] == js["items"][0]["name"], "API organisation by id")
    st, h, e = get_json(port, "/api/v1/organisations/999999")
    ok(st == 404 and e and "error" in e, "API unknown organisation: 404 JSON", (st, e))
    st, h, js = get_json(port, "/api/v1/clusters")
    ok(st == 200 and js and len(js["items"]) == 6, "API clusters", js and len(js["items"]))
    st, h, js = get_json(port, "/api/v1/clusters/KLPS")
    members = js.get("membership") if js else None
    ok(st == 200 and js and js["acronym"] == "KLPS" and isinstance(members, list) and len(members) >= 10,
       "API cluster by acronym, with its members", st)
    st, h, js = get_json(port, "/api/v1/clusters/" + q("ŁKŻ"))
    ok(st == 200 and js and js["name"] == "Łódzki Klaster Żywności", "API cluster by Polish acronym", st)
    st, h, js = get_json(port, "/api/v1/regions?level=voivodeship")
    ok(st == 200 and js and len(js["items"]) == 16, "API regions: 16 voivodeships", js and len(js["items"]))
    st, h, js = get_json(port, "/api/v1/pkd")
    ok(st == 200 and js and len(js["items"]) > 50, "API PKD list", js and len(js["items"]))
    st, h, js = get_json(port, "/api/v1/pkd?level=subclass")
    ok(st == 200 and js and len(js["items"]) == 655 and js["items"][0]["code"] == "01.11.Z" and
       js["items"][0]["parent"] == "01.11", "API PKD: the 655 subclasses of PKD 2007", js and len(js["items"]))
    st, h, js = get_json(port, "/api/v1/pkd?version=2025&parent=62.10")
    ok(st == 200 and js and [x["code"] for x in js["items"]] == ["62.10.A", "62.10.B"] and
       js["items"][0]["level"] == "subclass", "API PKD: a PKD 2025 class's subclasses", js)
    st, h, js = get_json(port, "/api/v1/pkd?level=subsection")
    ok(st == 400 and js and js["error"]["message"].startswith("level: 'subsection' is not one of"), "API PKD: an unknown level is 400", (st, js))
    st, h, js = get_json(port, "/api/v1/stats")
    st2, h2, jall = get_json(port, "/api/v1/organisations?per_page=1")
    vs = js.get("voivodeships") if js else None
    ok(st == 200 and vs and len(vs) == 16, "API stats per voivodeship", st)
    ok(vs and sum(v["organisations"] for v in vs) <= jall["total"] and sum(v["clusters"] for v in vs) == 6,
       "API stats sums", vs and (sum(v["organisations"] for v in vs), jall["total"]))
    st, h, e = get_json(port, "/api/v1/organisations?type=bogus")
    ok(st == 400 and e and "error" in e, "API bad filter: 400 JSON", (st, e))


def api_documented(port, doc, method, path, route, want, body=None, headers=None):
    """One API request answered with status want, a status the OpenAPI document lists for the
    route and method, in a content type it lists; an error with the Error shape."""
    st, h, data = request(port, method, path, body=body, headers=headers)
    op = doc["paths"][route][method.lower()] if doc else {}
    listed = op.get("responses", {}).get(str(st))
    ctype = h.get("content-type", "").split(";")[0].strip()
    try:
        js = json.loads(data.decode("utf-8")) if ctype == "application/json" else None
    except ValueError:
        js = None
    error_shaped = st < 400 or (js and list(js) == ["error"] and sorted(js["error"]) == ["message", "status"] and
                                js["error"]["status"] == st and isinstance(js["error"]["message"], str))
    ok(st == want and listed is not None and ctype in listed.get("content", {}) and error_shaped,
       "%s %s: %d, as the OpenAPI document lists it" % (method, path, want),
       (st, ctype, listed and list(listed.get("content", {})), data[:200]))


def test_api_document(port, small_port, token):
    """Statuses and content types the server answers with are the ones the OpenAPI document lists."""
    st, h, doc = get_json(port, "/api/v1/openapi.json")
    ok(st == 200 and doc, "the OpenAPI document", st)
    # an unknown cluster or organisation in the offers' and services' filters is 404
    for route in ("/api/v1/offers", "/api/v1/services"):
        api_documented(port, doc, "GET", route + "?cluster=nosuchcluster", route, 404)
        api_documented(port, doc, "GET", route + "?org=999999999", route, 404)
        api_documented(port, doc, "GET", route + "?org=0", route, 400)
    # cluster= of the organisations: the smallest id the document allows is the smallest the server takes
    param = [p for p in doc["paths"]["/api/v1/organisations"]["get"]["parameters"] if p["name"] == "cluster"][0]
    least = param["schema"]["minimum"]
    st, h, js = get_json(port, "/api/v1/organisations?cluster=%d" % (least - 1))
    st2, h2, js2 = get_json(port, "/api/v1/clusters/KLPS")
    st3, h3, js3 = get_json(port, "/api/v1/organisations?cluster=%d" % max(least, js2["id"] if js2 else 1))
    ok(least == 1 and st == 400 and st3 == 200, "organisations?cluster=: the document's minimum (%s) is the server's" % least,
       (st, st3))
    # PATCH with a body over --max-body is 413, as POST's
    st, h, one = get_json(port, "/api/v1/organisations?per_page=1")
    oid = one["items"][0]["id"]
    big = json.dumps({"description_pl": "x" * 4000}).encode()
    hdrs = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    for method, path, route in (("PATCH", "/api/v1/organisations/%d" % oid, "/api/v1/organisations/{id}"),
                                ("POST", "/api/v1/organisations", "/api/v1/organisations")):
        api_documented(small_port, doc, method, path, route, 413, body=big, headers=hdrs)
    ok("500" in doc["paths"]["/api/v1/organisations/{id}"]["patch"]["responses"],
       "PATCH lists 500 (a database error), as POST does")


def test_lang(port):
    st, h, body = request(port, "GET", "/lang?set=en&back=/clusters")
    ok(st == 303 and "lang=en" in h.get("set-cookie", "") and h.get("location") == "/clusters",
       "/lang?set=en: 303, cookie, back to /clusters", (st, h.get("set-cookie"), h.get("location")))
    st, h, text, p = page(port, "/clusters", headers={"Cookie": "lang=en"})
    ok(p and p.lang == "en" and "Clusters" in text and "Organisations" in text, "English with the cookie",
       p and p.lang)
    st, h, text, p = page(port, "/clusters")
    ok(p and p.lang == "pl" and "Klastry" in text, "Polish without it", p and p.lang)
    st, h, text, p = page(port, "/organisations?type=bogus", headers={"Cookie": "lang=en"})
    ok(st == 400 and p and p.lang == "en", "error pages follow the language", (st, p and p.lang))
    for evil in ("//evil.example", "https://evil.example/", "/\\evil.example", "/%0d%0aSet-Cookie:x=1"):
        st, h, body = request(port, "GET", "/lang?set=pl&back=" + q(evil))
        loc = h.get("location", "")
        ok(st == 303 and (loc == "/" or (loc.startswith("/") and not loc.startswith("//")
                                        and not loc.startswith("/\\") and "\n" not in loc))
           and "x=1" not in h.get("set-cookie", ""), "no open redirect for back=%r" % evil, (st, loc))
    st, h, body = request(port, "GET", "/lang?set=de&back=/")
    ok(st == 400, "unknown language: 400", st)


def test_errors(port, small_port):
    st, h, text, p = page(port, "/no/such/page")
    ok(st == 404 and h.get("content-type", "").startswith("text/html") and p and p.lang,
       "unknown path: 404 HTML", (st, h.get("content-type")))
    st, h, js = get_json(port, "/api/v1/nope")
    ok(st == 404 and h.get("content-type", "").startswith("application/json") and js and "error" in js,
       "/api/v1/nope: 404 JSON", (st, h.get("content-type")))
    st, h, body = request(port, "DELETE", "/")
    ok(st == 405 and "GET" in h.get("allow", ""), "DELETE /: 405 with Allow", (st, h.get("allow")))
    st, h, body = request(port, "POST", "/organisations", body=b"x=1",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    ok(st == 405, "POST to a GET page: 405", st)
    for path in ("/organisations?type=bogus", "/organisations?page=0", "/organisations?size=huge",
                 "/organisations?sort=random", "/organisations?voiv=ABC", "/organisations?page=abc"):
        st, h, body = request(port, "GET", path)
        ok(st == 400, "%s: 400" % path, st)
    # a filter naming no voivodeship or cluster is said so, as on the offers, not an empty list
    for path, want in (("/organisations?voiv=99", 400), ("/organisations?cluster=99999", 400),
                       ("/api/v1/organisations?voiv=99", 400), ("/api/v1/organisations?cluster=99999", 404),
                       ("/organisations.csv?voiv=99", 400)):
        st, h, body = request(port, "GET", path)
        ok(st == want and (b"99" in body), "%s: %d naming it" % (path, want), (st, body[:160]))
    st, h, body = request(port, "GET", "/organisations?voiv=02")
    ok(st == 200, "/organisations?voiv=02: a voivodeship that exists is a filter", st)
    for path in ("/organisations/abc", "/organisations/0", "/organisations/99999999",
                 "/organisations/-1", "/organisations/1x"):
        st, h, body = request(port, "GET", path)
        ok(st == 404, "%s: 404" % path, st)
    st, h, body = request(port, "GET", "/organisations?q=" + q("x" * 300))
    ok(st == 400, "over-long query: 400", st)

    # malformed requests over a raw socket
    def raw_request(raw):
        s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        data = b""
        try:
            s.sendall(raw)
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        finally:
            s.close()
        return data.split(b"\r\n", 1)[0]

    for raw in (b"GET /  HTTP/1.1 x\r\nHost: x\r\n\r\n", b"GET / FOO/1.1\r\nHost: x\r\n\r\n",
                b"GET / HTTP/1.1\r\nNoColonHeader\r\n\r\n",
                b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"):
        status = raw_request(raw)
        ok(re.match(rb"HTTP/1\.[01] 400", status) is not None, "malformed request %r: 400" % raw[:24], status)
    # A request line without a target: libmicrohttpd closes the connection
    # without an answer.  Either that or a 400 is fine; a crash is not.
    for raw in (b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01\x00\r\n\r\n"):
        status = raw_request(raw)
        ok(status == b"" or re.match(rb"HTTP/1\.[01] 400", status) is not None,
           "request line %r: 400 or closed" % raw[:12], status)
    status = raw_request(b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    ok(status == b"" or re.match(rb"HTTP/1\.[01] (404|414|431)", status) is not None, "20 kB URL: 404/414/431",
       status)
    # a NUL byte in the path, too many parameters, two Content-Length headers that disagree
    for path in ("/api/v1/organisations/1%00abc", "/cluster-map%00xyz", "/organisations%00.csv"):
        st, h, body = request(port, "GET", path)
        ok(st == 400 and b"NUL" in body, "%s: 400 (the path is not cut at the NUL)" % path, (st, body[:200]))
    st, h, body = request(port, "GET", "/organisations?" + "&".join("x%d=1" % k for k in range(300)))
    ok(st == 400 and b"300 parametr" in body, "300 parameters: a 400 that says so", (st, body[:200]))
    st, h, body = request(port, "GET", "/organisations?" + "&".join("x%d=1" % k for k in range(150)))
    ok(st == 200, "150 parameters: served", st)
    # an address of 20 KB (190 parameters of 100 characters) took the connection's memory the
    # response headers need, and got no answer: a short 414 instead
    st, h, body = request(port, "GET", "/organisations?" + "&".join("x%d=%s" % (k, "a" * 100) for k in range(190)))
    ok(st == 414 and b"bytes long, more than the 12288" in body, "a 20 KB address: a 414 that says so", (st, body[:120]))
    status = raw_request(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n\r\nemail")
    ok(re.match(rb"HTTP/1\.[01] 400", status) is not None, "two Content-Length headers that differ: 400", status)
    st, h, body = request(port, "GET", "/healthz")
    ok(st == 200, "server still answers after malformed requests", st)

    # body over the limit
    big = b"{" + b" " * 4094 + b"}"
    st, h, body = request(small_port, "POST", "/api/v1/organisations", body=big,
                          headers={"Content-Type": "application/json"})
    ok(st == 413, "POST over --max-body: 413", st)
    st, h, body = request(small_port, "GET", "/healthz")
    ok(st == 200, "server with --max-body still answers", st)


def post_org(port, token, obj, raw=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    body = raw if raw is not None else json.dumps(obj).encode("utf-8")
    st, h, data = request(port, "POST", "/api/v1/organisations", body=body, headers=headers)
    try:
        js = json.loads(data.decode("utf-8"))
    except ValueError:
        js = None
    return st, h, js


def make_token(db):
    r = cli(db, "user", "add", "admin@x.example", "--role", "admin", env={"KLASTER_PASSWORD": PASSWORD})
    ok(r.returncode == 0, "user add admin", r.stderr)
    r = cli(db, "user", "add", "short@x.example", "--role", "admin", env={"KLASTER_PASSWORD": "short"})
    ok(r.returncode == 3 and "10" in r.stderr, "user add refuses a short password", (r.returncode, r.stderr))
    r = cli(db, "user", "token", "admin@x.example")
    token = r.stdout.strip()
    ok(r.returncode == 0 and re.fullmatch(r"[0-9a-f]{32,}", token), "user token prints a token", r.stderr)
    return token


def test_filter_errors(port):
    """A search parameter of /organisations that the search cannot take: 400, said above the search
    form, which is there and keeps the other filters; a filter named by its label in the page's
    language, linked to its field and that field marked; the page and the number a page (no field
    of the form) by what they are, never by the address's parameter name."""
    cases = (("voiv=99", "voiv", "Województwo", "Voivodeship"), ("size=huge", "size", "Wielkość", "Size"),
             ("type=bogus", "type", "Typ", "Type"), ("pkd=ZZ", "pkd", "Kod PKD", "PKD code"),
             ("section=Z", "section", "Sekcja PKD", "PKD section"),
             ("pkd_version=1999", "pkd_version", "Wersja PKD", "PKD edition"),
             ("sort=random", "sort", "Sortuj", "Sort by"), ("cluster=abc", "cluster", "Klaster", "Cluster"),
             ("cluster=99999", "cluster", "Klaster", "Cluster"), ("q=" + q("x" * 300), "q", "Szukaj", "Search"),
             ("page=-1", None, "Numer strony", "Page number"), ("page=0", None, "Numer strony", "Page number"),
             ("per_page=0", None, "Liczba wyników na stronie", "Results per page"))
    for arg, field, pl, en in cases:
        for lang, label in (("pl", pl), ("en", en)):
            path = "/organisations?q=stocznia&%s&lang=%s" % (arg, lang) if field != "q" else \
                "/organisations?%s&type=enterprise&lang=%s" % (arg, lang)
            st, h, text = request(port, "GET", path)
            text = text.decode("utf-8")
            alert = re.search(r'<p class="error" role="alert">(.*?)</p>', text)
            alert = alert.group(1) if alert else ""
            param = arg.split("=")[0]
            form = re.search(r'<form class="filters".*?</form>', text, re.S)
            form = form.group(0) if form else ""
            if field:
                named = alert.startswith('<a href="#f-%s">%s</a>: ' % (field, label)) and \
                    re.search(r'<(select|input) id="f-%s"[^>]*aria-invalid="true"' % field, form)
            else:
                named = alert.startswith("%s: " % label) and "aria-invalid" not in form
            kept = 'value="stocznia"' in form if field != "q" else '<option value="enterprise" selected>' in form
            ok(st == 400 and named and kept and not alert.startswith(param + ":")
               and 'class="results"' not in text,
               "/organisations?%s (%s): 400, '%s' named and linked, the form kept" % (arg, lang, label),
               (st, alert, kept))
    # the search text's limit is in characters, as it says: 200 Polish letters are 200, not 400
    for text_, want in (("ż" * 200, 200), ("ż" * 201, 400), ("łódź " * 16, 200)):
        st, h, js = get_json(port, "/api/v1/organisations?q=" + q(text_))
        st2, h2, body = request(port, "GET", "/organisations?lang=en&q=" + q(text_))
        ok(st == want and st2 == want and (want == 200 or b"longer than 200 characters" in body),
           "q of %d characters (%d bytes): %d on the API and the page" % (len(text_), len(text_.encode()), want),
           (st, st2))


def test_cluster_search(port):
    """The cluster list's search: the voivodeship a map's link gives is a field of the form (shown,
    kept by a search); a value the search cannot take is a 400 above the form naming the field by
    its label, as the organisations' search does, and on the API a 400 naming the parameter; the
    limits are those of the organisations' search (200 characters, 16 words, a voivodeship that is
    there)."""
    st, h, text = request(port, "GET", "/clusters?voiv=12&lang=en")
    text = text.decode("utf-8")
    rows = re.findall(r'<tr><td><a href="/clusters/\d+">', text)
    ok(st == 200 and '<option value="12" selected>' in text and rows and
       text.count("<td>małopolskie</td>") == len(rows),
       "/clusters?voiv=12: the clusters of małopolskie, the voivodeship chosen in the form", (st, len(rows)))
    st, h, text = request(port, "GET", "/clusters?voiv=14&lang=en")
    ok(st == 200 and b"No clusters match these criteria." in text and b'<option value="14" selected>' in text,
       "/clusters?voiv=14 (none there): says that none matches", st)
    for arg, field, label, why in (("voiv=99", "voiv", "Województwo", "nie ma województwa o kodzie TERYT 99"),
                                   ("voiv=ab", "voiv", "Województwo", "„ab”"),
                                   ("q=" + q("a " * 17), "q", "Szukaj klastrów", "16"),
                                   ("q=" + q("ż" * 201), "q", "Szukaj klastrów", "200 znaków")):
        st, h, text = request(port, "GET", "/clusters?%s&lang=pl" % arg)
        text = html.unescape(text.decode("utf-8"))
        alert = re.search(r'<p class="error" role="alert">(.*?)</p>', text)
        alert = alert.group(1) if alert else ""
        ok(st == 400 and alert.startswith('<a href="#f-%s">%s</a>: ' % (field, label)) and why in alert
           and re.search(r'<(select|input) id="f-%s"[^>]*aria-invalid="true"' % field, text)
           and 'action="/clusters"' in text,
           "/clusters?%s: 400, '%s' named above the form" % (arg[:20], label), (st, alert))
        st, h, js = get_json(port, "/api/v1/clusters?" + arg)
        ok(st == 400 and js and js["error"]["message"].startswith(field + ": "),
           "/api/v1/clusters?%s: 400 naming %s" % (arg[:20], field), (st, js))
    for path in ("/clusters?q=" + q("ż" * 200), "/api/v1/clusters?q=" + q("ż" * 200)):
        st, h, body = request(port, "GET", path)
        ok(st == 200, "%s…: 200 characters (400 bytes) is within the limit" % path[:20], st)


def test_writes(port, token, nipgen):
    new_nip = next(nipgen)
    st, h, js = post_org(port, None, {"name": "Bez Tokena Sp. z o.o.", "type": "ngo"})
    ok(st == 401, "POST without a token: 401", st)
    st, h, js = post_org(port, "0" * 64, {"name": "Zły Token", "type": "ngo"})
    ok(st in (401, 403), "POST with a wrong token: 401/403", st)
    st, h, js = post_org(port, token, None, raw=b'{"name": "x", ')
    ok(st == 400 and js and "error" in js, "POST with bad JSON: 400", (st, js))
    st, h, js = post_org(port, token, None, raw=b'[1,2]')
    ok(st == 400, "POST of a JSON array: 400", st)
    bad = new_nip[:9] + str((int(new_nip[9]) + 1) % 10)
    st, h, js = post_org(port, token, {"name": "Zła Spółka", "type": "enterprise", "size_class": "small", "nip": bad})
    msg = json.dumps(js) if js else ""
    ok(st == 422 and "nip" in msg, "POST with an invalid NIP: 422 naming nip", (st, msg))
    shown = "%s-%s-%s-%s" % (bad[:3], bad[3:6], bad[6:8], bad[8:])
    st, h, js = post_org(port, token, {"name": "Zła Spółka", "type": "enterprise", "size_class": "small",
                                       "nip": " %s " % shown})
    ok(st == 422 and js and js["error"]["message"].startswith("column nip: '%s': check digit does not match" % shown),
       "  the message quotes the NIP as it was given", js)
    st, h, js = post_org(port, token, {"name": "Zła Spółka", "type": "ngo", "nip": "526\n<b>'x"})
    ok(st == 422 and js and js["error"]["message"].startswith("column nip: '526\\x0A<b>\\'x': may contain only"),
       "  a line break and a quote in it are escaped (the message stays one line)", js)
    st, h, js = post_org(port, token, {"name": "Brak Typu"})
    ok(st == 422, "POST without a type: 422", st)
    st, h, js = post_org(port, token, {"name": "Kolor", "type": "ngo", "colour": "red"})
    ok(st == 422 and "colour" in json.dumps(js), "POST with an unknown field: 422 naming it", (st, js))
    name = "Świętokrzyska Pracownia Testów Integracyjnych %s Sp. z o.o." % new_nip
    st, h, js = post_org(port, token, {"name": name, "type": "enterprise", "size_class": "small", "nip": new_nip,
                                       "city": "Kielce", "postal_code": "25-001", "teryt": "26"})
    ok(st == 201 and js and js["name"] == name and js["nip"] == new_nip, "POST a valid organisation: 201", (st, js))
    ok(h.get("location", "").startswith("/api/v1/organisations/"), "201 with a Location", h.get("location"))
    oid = js["id"] if js else 0
    st, h, js2 = post_org(port, token, {"name": name, "type": "enterprise", "size_class": "small", "nip": new_nip,
                                        "city": "Kielce", "postal_code": "25-001", "teryt": "26"})
    ok(st == 200 and js2 and js2["id"] == oid, "POST the same organisation again: 200, same id", st)
    st, h, s = get_json(port, "/api/v1/organisations?q=" + q("swietokrzyska pracownia testow " + new_nip))
    ok(s and s["total"] == 1 and s["items"][0]["id"] == oid, "the new organisation is searchable", s and s["total"])
    st, h, text, p = page(port, "/organisations?q=" + q("świętokrzyska integracyjnych " + new_nip))
    ok(p and p.names == [name], "and listed on the search page", p and p.names)
    # the filter words every organisation's text holds (xtype…, xsize…, xvoiv…, xsec…) are not
    # reached by a search for "x": only organisations with such a word are found
    xnip = next(nipgen)
    st, h, js = post_org(port, token, {"name": "Studio X %s" % xnip, "type": "ngo", "nip": xnip})
    st, h, everyone = get_json(port, "/api/v1/organisations?per_page=1")
    st, h, xs = get_json(port, "/api/v1/organisations?q=x&per_page=500")
    ok(xs and everyone and 0 < xs["total"] < everyone["total"]
       and any(o["name"] == "Studio X %s" % xnip for o in xs["items"]),
       "search 'x': the organisation with the word X, not the whole directory",
       (xs and xs["total"], everyone and everyone["total"]))
    for word in ("xs", "xtyp", "xvoiv", "xsec"):
        st, h, js = get_json(port, "/api/v1/organisations?q=%s&type=ngo" % word)
        ok(js and js["total"] == 0, "search %r finds no organisation through the filter words" % word,
           js and js["total"])
    test_patch(port, token, nipgen, oid)
    return oid


def patch_org(port, token, oid, obj, raw=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    body = raw if raw is not None else json.dumps(obj).encode("utf-8")
    st, h, data = request(port, "PATCH", "/api/v1/organisations/%s" % oid, body=body, headers=headers)
    try:
        js = json.loads(data.decode("utf-8"))
    except ValueError:
        js = None
    return st, h, js


def test_patch(port, token, nipgen, oid):
    """PATCH changes the fields it names and keeps the others (POST replaces the whole record)."""
    st, h, js = patch_org(port, token, oid, {"phone": "+48 41 123 45 67"})
    ok(st == 200 and js and js["id"] == oid and js["phone"] == "+48 41 123 45 67" and js["city"] == "Kielce" and
       js["postal_code"] == "25-001" and js["teryt"] == "26", "PATCH one field: it changes, the others stay", (st, js))
    st, h, js = patch_org(port, token, oid, {"city": None})
    ok(st == 200 and js and js["city"] is None and js["phone"] == "+48 41 123 45 67",
       "PATCH a field to null empties it", (st, js))
    st, h, js = patch_org(port, None, oid, {"city": "Radom"})
    ok(st == 401, "PATCH without a token: 401", st)
    st, h, js = patch_org(port, token, 999999999, {"city": "Radom"})
    ok(st == 404, "PATCH of an organisation that does not exist: 404", st)
    st, h, js = patch_org(port, token, "12x", {"city": "Radom"})
    ok(st == 404, "PATCH of a path that is no number: 404", st)
    st, h, js = patch_org(port, token, oid, {"nip": "1234567890"})
    ok(st == 422 and "nip" in json.dumps(js), "PATCH with an invalid NIP: 422 naming nip", (st, js))
    st, h, js = patch_org(port, token, oid, None, raw=b'[1]')
    ok(st == 400, "PATCH with a body that is no object: 400", st)
    st, h, other = get_json(port, "/api/v1/organisations?per_page=1&q=" + q("precyzmet"))
    taken = other["items"][0]["nip"] if other and other["items"] else None
    st, h, js = patch_org(port, token, oid, {"nip": taken})
    ok(taken and st == 409, "PATCH to the NIP of another organisation: 409", (st, js, taken))
    st, h, js = get_json(port, "/api/v1/organisations/%d" % oid)
    ok(js and js["phone"] == "+48 41 123 45 67" and js["city"] is None, "refused PATCHes changed nothing", js)
    fresh = next(nipgen)
    st, h, js = patch_org(port, token, oid, {"nip": fresh})
    ok(st == 200 and js and js["id"] == oid and js["nip"] == fresh, "PATCH the NIP: the same record", (st, js))


def test_same_name(port, token, nipgen, db):
    """An organisation without NIP and REGON is known by its name and postal code, so a record without
    them never replaces one that has a NIP (erasing it): the API refuses it with 409 saying to give the
    NIP; two organisations of one name, one with a NIP, export and import again unchanged, whichever is
    older; and two without NIP and REGON cannot be made one name and postal code by a PATCH."""
    nip = next(nipgen)
    st, h, a = post_org(port, token, {"name": "Dwójka Test Sp. z o.o.", "type": "ngo", "nip": nip})
    st2, h2, b = post_org(port, token, {"name": "Dwójka Test Sp. z o.o.", "type": "ngo", "city": "Kielce"})
    ok(st == 201 and st2 == 409 and b and "give its NIP or REGON to update it" in b["error"]["message"],
       "POST without NIP of the name and postal code of one with a NIP: 409, not its NIP erased", (st, st2, b))
    st, h, got = get_json(port, "/api/v1/organisations/%d" % (a["id"] if a else 0))
    ok(got and got["nip"] == nip and got["city"] is None, "  the organisation is as it was", got)
    st, h, c = post_org(port, token, {"name": "Dwójka Test (2)", "type": "ngo"})
    st2, h2, c2 = patch_org(port, token, c["id"] if c else 0, {"name": "Dwójka Test Sp. z o.o."})
    ok(st == 201 and st2 == 200, "a later one without NIP renamed to the same name (a PATCH names its record)",
       (st, st2, c2))
    path = os.path.join(WORK, "same-name-%d.csv" % port)
    r = cli(db, "export", "organisations", "-o", path)
    n = len(list(csv.DictReader(open(path, encoding="utf-8")))) if r.returncode == 0 else -1
    r = cli(db, "import", "organisations", path)
    ok(r.returncode == 0 and "%d rows: 0 inserted, 0 updated, %d unchanged, 0 skipped" % (n, n) in r.stdout,
       "  the directory exported and imported again: unchanged", (r.returncode, r.stdout, r.stderr))
    st, h, d = post_org(port, token, {"name": "Dwójka Test (3)", "type": "ngo"})
    st2, h2, d2 = patch_org(port, token, d["id"] if d else 0, {"name": "Dwójka Test Sp. z o.o."})
    ok(st == 201 and st2 == 409 and d2 and "neither has a NIP or REGON" in d2["error"]["message"],
       "a PATCH making two without NIP or REGON one name and postal code: 409", (st, st2, d2))


def test_cache(port, token, nipgen, other_port=None):
    """The search-result cache never serves a result older than a write:
    a search before and after a new organisation (and, with other_port,
    through a second server on the same database) sees the change."""
    nip = next(nipgen)
    word = "Pamięćpodręczna%s" % nip
    for p_ in [port] + ([other_port] if other_port else []):
        for _ in range(2):   # the second request is served from the cache
            st, h, js = get_json(p_, "/api/v1/organisations?q=" + q(word))
            ok(st == 200 and js and js["total"] == 0, "before the write: no match on :%d" % p_, js and js["total"])
    st, h, js = get_json(port, "/healthz")
    ok(js and js.get("search_cache", {}).get("hits", 0) >= 1, "the repeated search was a cache hit", js)
    st, h, js = post_org(port, token, {"name": "Firma %s" % word, "type": "ngo"})
    ok(st == 201, "write through the API", st)
    for p_ in [port] + ([other_port] if other_port else []):
        st, h, js = get_json(p_, "/api/v1/organisations?q=" + q(word))
        ok(js and js["total"] == 1, "after the write: found on :%d" % p_, js and js["total"])
        st, h, text, pg = page(p_, "/organisations?q=" + q(word.lower()))
        ok(pg and len(pg.names) == 1, "and on the search page of :%d" % p_, pg and pg.names)


def test_cache_cli(db, port):
    """A write that bypasses the servers (the import command) invalidates
    the cached pages too: the generation is kept by database triggers."""
    for _ in range(2):
        st, h, js = get_json(port, "/api/v1/clusters")
    before = js["total"] if js else None
    st, h, text, pg = page(port, "/clusters")
    acr = "CACHE%d" % (os.getpid() % 100000)
    path = os.path.join(WORK, "cache-cluster-%s.csv" % acr)
    with open(path, "w", encoding="utf-8") as f:
        f.write("acronym,name,region,demo\n%s,Klaster Pamięci Podręcznej %s,14,1\n" % (acr, acr))
    r = cli(db, "import", "clusters", path)
    ok(r.returncode == 0, "import a cluster with the CLI while the server runs", r.stderr)
    st, h, js = get_json(port, "/api/v1/clusters")
    ok(js and before is not None and js["total"] == before + 1, "the cached cluster list shows it at once",
       (before, js and js["total"]))
    st, h, text, pg = page(port, "/clusters")
    ok(text and ("Klaster Pamięci Podręcznej %s" % acr) in text, "and so does the cached HTML page")


def test_edges(port, small_port, token, db):
    """Cases found in review: cache keys, redirects, bodies, numbers, headers."""
    # a parameter name that looks like name=value must not share a cache key with it
    for _ in range(2):
        st, h, js = get_json(port, "/api/v1/organisations?q%3Dzzzq=1&per_page=4")
    st, h, js = get_json(port, "/api/v1/organisations?q=zzzq%3D1&per_page=4")
    ok(js and js["total"] == 0, "query 'q=zzzq%3D1' is not served the page of 'q%3Dzzzq=1'", js and js["total"])
    st, h, js = get_json(port, "/api/v1/organisations?q=a%1Fsort%3D-name&per_page=2")
    st, h, js2 = get_json(port, "/api/v1/organisations?q=a&sort=-name&per_page=2")
    st3, h3, js3 = get_json(port, "/api/v1/organisations?q=a&sort=-name&per_page=3")
    ok(js2 and js3 and (js2["total"] == js3["total"]), "a control character in q cannot alias another query",
       (js2 and js2["total"], js3 and js3["total"]))
    # open redirects through characters browsers drop or rewrite
    for back in ["/%09/evil.example", "/%5Cevil.example", "/%0D%0ALocation:x", "/%20/evil.example"]:
        st, h, body = request(port, "GET", "/lang?set=en&back=" + back)
        ok(st == 303 and h.get("location") == "/", "no open redirect via back=%s" % back, h.get("location"))
    # bodies are read only by routes that take one
    st, h, body = request(small_port, "POST", "/no/such/page", body=b"x" * 4096,
                          headers={"Content-Type": "text/plain"})
    ok(st == 404, "a body to an unknown path: 404, not read", st)
    st, h, body = request(small_port, "POST", "/organisations", body=b"x" * 100)
    ok(st == 405, "a body to a page without POST: 405", st)
    st, h, body = request(small_port, "POST", "/api/v1/organisations", body=b"x" * 100)
    ok(st == 401 and "bearer" in h.get("www-authenticate", "").lower(),
       "a body without a token: 401 with WWW-Authenticate", (st, h.get("www-authenticate")))
    # numbers: no NaN, no infinity
    for bad in ("nan", "inf", "0x1p5", "1e400"):
        st, h, js = post_org(port, token, {"name": "Liczba %s" % bad, "type": "ngo", "lat": bad, "lon": "20.0"})
        ok(st == 422 and "lat" in json.dumps(js), "lat=%s is refused naming lat" % bad, (st, js))
    # pkd_version with blanks is the version it says
    base = 700999000 + (os.getpid() % 900)
    while nip_from(base) is None:
        base += 1
    nip = nip_from(base)
    st, h, js = post_org(port, token, {"name": "Wersja PKD %s" % nip, "type": "enterprise", "size_class": "micro",
                                       "nip": nip, "pkd_version": " 2025", "pkd": "62.10.B"})
    ok(st in (201, 200) and js and js.get("pkd_version") == 2025, "pkd_version ' 2025' is stored as 2025",
       (st, js and js.get("pkd_version")))
    # a section is a letter of one edition: PKD 2025 puts division 62 in K, PKD 2007 in J (K is finance)
    new_id = js.get("id") if js else None
    ids = lambda path: {o["id"] for o in (get_json(port, path)[2] or {}).get("items", [])}
    ok(new_id in ids("/api/v1/organisations?per_page=500&section=K&pkd_version=2025")
       and new_id not in ids("/api/v1/organisations?per_page=500&section=K")
       and new_id not in ids("/api/v1/organisations?per_page=500&section=J"),
       "section=K&pkd_version=2025 finds the PKD 2025 organisation in 62.10.B; section=K or J of PKD 2007 do not")
    st, h, js = get_json(port, "/api/v1/organisations?section=V")
    ok(st == 400 and js and "section: 'V' is not a section letter of PKD 2007 (A–U)" in js["error"]["message"],
       "section=V of PKD 2007: 400 (V is a letter of PKD 2025 only)", js)
    st, h, body = request(port, "GET", "/organisations?pkd_version=2025", headers={"Accept-Language": "en"})
    page = body.decode()
    ok(st == 200 and '<option value="V">' in page and re.search(r'<option value="K">K — [^<]*(?i:telecom|telekomunikacji)', page),
       "the form's sections follow the edition chosen (PKD 2025: K telecommunication…, V)", st)
    # pages say which request headers they vary on
    st, h, body = request(port, "GET", "/organisations")
    ok("accept-language" in h.get("vary", "").lower(), "pages send Vary: Cookie, Accept-Language", h.get("vary"))
    # the library's messages on Polish pages are Polish (i18n), the same on English pages English
    st, h, body = request(port, "GET", "/no-such-page-here", headers={"Accept-Language": "pl"})
    ok(st == 404 and "nie ma takiej strony" in body.decode(), "a 404 page in Polish says so in Polish", st)
    st, h, body = request(port, "GET", "/no-such-page-here", headers={"Accept-Language": "en"})
    ok(st == 404 and "no such page" in body.decode(), "  and in English in English", st)
    # the language: the higher weight of pl and en in Accept-Language, Polish when neither
    for al, want in (("pl;q=0.1, en;q=0.9", "en"), ("en;q=0.1, pl;q=0.9", "pl"), ("de-DE,de;q=0.9,en;q=0.8", "en"),
                     ("en-GB", "en"), ("de, fr", "pl"), ("en;q=0", "pl")):
        st, h, body = request(port, "GET", "/organisations", headers={"Accept-Language": al})
        m = re.search(rb'<html lang="([a-z]+)"', body or b"")
        ok(st == 200 and m and m.group(1).decode() == want, "Accept-Language %r: the page is in %s" % (al, want),
           (st, m and m.group(1)))
    # the import header is checked at line 1
    path = os.path.join(WORK, "header-only.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("name,type,bogus\n")
    r = cli(db, "import", "organisations", path)
    ok(r.returncode == 3 and "header-only.csv:1: unknown column 'bogus'" in r.stderr,
       "an unknown column in a header-only file: exit 3 at line 1", (r.returncode, r.stderr))
    with open(path, "w", encoding="utf-8") as f:
        f.write("name\nSama Nazwa\n")
    r = cli(db, "import", "organisations", path)
    ok(r.returncode == 3 and ":1: required column 'type' is missing" in r.stderr,
       "a missing required column: exit 3 at line 1", (r.returncode, r.stderr))


HOSTILE = ["<script>alert(1)</script>", "'; DROP TABLE organisation; --", "\"><img src=x onerror=alert(1)>"]


def test_hostile(port, token):
    st, h, before = get_json(port, "/api/v1/organisations?per_page=1")
    ids = []
    for i, name in enumerate(HOSTILE):
        st, h, js = post_org(port, token, {"name": name, "type": "ngo", "city": name,
                                           "description_pl": name, "description_en": name})
        ok(st == 201 and js and js["name"] == name, "create organisation named %r" % name, (st, js))
        ids.append(js["id"] if js else 0)
    st, h, after = get_json(port, "/api/v1/organisations?per_page=1")
    ok(before and after and after["total"] == before["total"] + 3, "organisation table still works",
       after and after["total"])
    for path in ("/organisations?q=alert", "/organisations?q=script", "/organisations?q=drop+table",
                 "/organisations?per_page=500"):
        st, h, text, p = page(port, path)
        ok(st == 200 and "<script>alert(1)" not in text and "<img src=x" not in text,
           "%s: no raw markup from data" % path, st)
    st, h, text, p = page(port, "/organisations?q=alert")
    ok("&lt;script&gt;alert(1)&lt;/script&gt;" in text, "search page shows the escaped <script> name")
    ok(p and "<script>alert(1)</script>" in p.names and "\"><img src=x onerror=alert(1)>" in p.names,
       "search page text equals the original names", p and p.names)
    for oid, name in zip(ids, HOSTILE):
        st, h, text, p = page(port, "/organisations/%s" % oid)
        ok(st == 200 and "<script>alert(1)" not in text and "<img src=x" not in text,
           "profile %s: no raw markup" % oid, st)
        ok(p and name in p.title, "profile %s: the title carries the name as text" % oid, p and p.title)
        st, h, js = get_json(port, "/api/v1/organisations/%s" % oid)
        ok(js and js["name"] == name and js["city"] == name and js["description_en"] == name,
           "JSON API returns %r unchanged" % name, js and js["name"])
    st, h, text, p = page(port, "/organisations/%s" % ids[0])
    ok("&lt;script&gt;" in text, "profile shows &lt;script&gt;")
    st, h, s = get_json(port, "/api/v1/organisations?q=" + q("drop table organisation") + "&per_page=50")
    ok(s and any(i["name"] == HOSTILE[1] for i in s["items"]), "the SQL-looking name is found as text")
    st, h, body = request(port, "GET", "/organisations.csv?q=alert")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    ok(st == 200 and set(HOSTILE[0::2]) <= {r[0] for r in rows[1:]}, "CSV export keeps the strings", rows[1:])
    st, h, body = request(port, "GET", "/organisations?q=" + q("<script>alert(1)</script>"))
    ok(st == 200 and b"<script>alert(1)" not in body, "a hostile query is echoed escaped", st)
    st, h, text, p = html_ok(port, "/organisations", "organisations after hostile writes")


def test_two_servers(db, port_a, token, nipgen):
    b = Server(db, "b")
    try:
        nip = next(nipgen)
        name = "Dwa Serwery Wspólna Baza %s" % nip
        st, h, js = post_org(port_a, token, {"name": name, "type": "research", "nip": nip})
        ok(st == 201, "POST through server A", st)
        st, h, s = get_json(b.port, "/api/v1/organisations?q=" + q("dwa serwery " + nip))
        ok(s and s["total"] == 1 and s["items"][0]["name"] == name, "server B's API finds it", s)
        oid = js["id"] if js else 0
        st, h, one = get_json(b.port, "/api/v1/organisations/%s" % oid)
        ok(st == 200 and one and one["nip"] == nip, "server B reads it by id", st)
        st, h, text, p = page(b.port, "/organisations?q=" + q("dwa serwery " + nip))
        ok(p and p.names == [name], "server B's search page lists it", p and p.names)
        # and the other way round
        nip2 = next(nipgen)
        st, h, js = post_org(b.port, token, {"name": "Drugi Kierunek %s" % nip2, "type": "ngo", "nip": nip2})
        st, h, s = get_json(port_a, "/api/v1/organisations?q=" + q("drugi kierunek " + nip2))
        ok(s and s["total"] == 1, "server A sees what B wrote", s and s["total"])
        # both servers cache a search; a write through A reaches B's cache too
        test_cache(port_a, token, nipgen, b.port)
        # the database restarts: the servers reconnect instead of failing
        r = subprocess.run(["sh", "tests/pg.sh", "restart", os.path.join(WORK, "pg")], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
        ok(r.returncode == 0, "PostgreSQL restarted", r.stderr)
        for p_ in (port_a, b.port):
            sts = []
            for i in range(8):   # every pooled connection was cut: each is revived on use
                st, h, js = get_json(p_, "/api/v1/organisations?per_page=1&page=%d" % (i + 1))
                sts.append(st)
            ok(all(x == 200 for x in sts), "server :%d answers after the database restart" % p_, sts)
    finally:
        b.stop()


def count_orgs(port):
    st, h, js = get_json(port, "/api/v1/organisations?per_page=1")
    return js["total"] if js else None


def test_kill_import(db, backend, port, nipgen_start):
    path = os.path.join(WORK, "big-%s.csv" % backend)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("name,type,size_class,nip\n")
        for i, nip in enumerate(nips(nipgen_start, 200000)):
            f.write("Masowa Firma Testowa %06d Sp. z o.o.,enterprise,small,%s\n" % (i, nip))
    before = count_orgs(port)
    ok(before and before > 0, "organisations before the import: %s" % before)
    env = dict(os.environ)
    env.pop("KLASTER_DB", None)
    proc = subprocess.Popen([BIN, "--db", db, "import", "organisations", path, "--progress"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = b""
    rows = 0
    deadline = time.time() + 120
    try:
        while time.time() < deadline and proc.poll() is None:
            r, _, _ = select.select([proc.stderr], [], [], 0.5)
            if r:
                chunk = os.read(proc.stderr.fileno(), 4096)
                if not chunk:
                    break
                err += chunk
                counts = [int(x) for x in re.findall(rb"(\d+) rows", err)]
                rows = max(counts) if counts else 0
                if rows >= 2000:
                    break
        running = proc.poll() is None
        ok(running and rows >= 2000, "import is under way (%d rows processed)" % rows,
           err[-300:].decode("utf-8", "replace"))
        if running:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        proc.stderr.close()
    ok(proc.returncode == -signal.SIGKILL, "import killed with SIGKILL", proc.returncode)
    after = count_orgs(port)
    eq(after, before, "organisation count unchanged after the killed import")
    st, h, js = get_json(port, "/api/v1/organisations?q=masowa+firma&per_page=1")
    ok(js and js["total"] == 0, "no row of the killed import is visible", js and js["total"])
    st, h, body = request(port, "GET", "/organisations")
    ok(st == 200, "the server still serves", st)
    r = cli(db, "db", "version")
    ok(r.returncode == 0, "the database still opens", r.stderr)
    r = cli(db, "export", "organisations")
    ok(r.returncode == 0 and len(list(csv.reader(io.StringIO(r.stdout)))) - 1 == before,
       "CLI export agrees with the count", r.stderr)
    if backend == "sqlite":
        fpath = db[len("sqlite:"):]
        try:
            r = subprocess.run(["sqlite3", fpath, "PRAGMA integrity_check;"], capture_output=True, text=True,
                               timeout=120)
            ok(r.returncode == 0 and r.stdout.strip() == "ok", "PRAGMA integrity_check: ok", r.stdout + r.stderr)
        except FileNotFoundError:
            diag("sqlite3 command not found; integrity check done through the server only")
    os.remove(path)


def test_cli(db, backend):
    r = cli(None, "--help")
    ok(r.returncode == 0 and "usage" in r.stdout, "klaster --help: exit 0", r.returncode)
    r = cli(None, "import", "--help")
    ok(r.returncode == 0 and "import" in r.stdout, "klaster import --help: exit 0", r.returncode)
    r = cli(None, "frobnicate")
    ok(r.returncode == 2 and "frobnicate" in r.stderr, "unknown command: exit 2", (r.returncode, r.stderr))
    r = cli(None, "--bogus-flag", "db", "version")
    ok(r.returncode == 2, "unknown global option: exit 2", r.returncode)
    r = cli(db, "import", "organisations")
    ok(r.returncode == 2, "import without a file: exit 2", r.returncode)
    r = cli(db, "import", "organisations", os.path.join(WORK, "does-not-exist.csv"))
    ok(r.returncode not in (0, 2) and "does-not-exist.csv" in r.stderr, "import of a missing file fails naming it",
       (r.returncode, r.stderr))

    good, good2, good3 = nips(500000000 + (1 if backend == "sqlite" else 2) * 1000, 3)
    bad = good2[:9] + str((int(good2[9]) + 1) % 10)
    path = os.path.join(WORK, "bad-nip-%s.csv" % backend)
    with open(path, "w", encoding="utf-8") as f:
        f.write("name,type,size_class,nip\n"
                "Dobra Firma Pierwsza %s,enterprise,small,%s\n"
                "Zła Firma %s,enterprise,small,%s\n"
                "Dobra Firma Trzecia %s,enterprise,small,%s\n" % (good, good, bad, bad, good3, good3))
    port_check = cli(db, "export", "organisations")
    before = len(port_check.stdout.splitlines())
    r = cli(db, "import", "organisations", path)
    ok(r.returncode == 3 and "bad-nip-%s.csv:3: column nip" % backend in r.stderr,
       "bad NIP: exit 3 naming FILE:3: column nip", (r.returncode, r.stderr))
    after = len(cli(db, "export", "organisations").stdout.splitlines())
    eq(after, before, "nothing written after a failed import")
    r = cli(db, "import", "organisations", path, "--skip-invalid")
    ok(r.returncode == 0 and "2 inserted" in r.stdout and "1 skipped" in r.stdout and ":3:" in r.stderr,
       "--skip-invalid writes the good rows and reports the bad one", r.stdout + r.stderr)
    # one organisation given twice (the same NIP): the second row would overwrite the first unseen
    dup = os.path.join(WORK, "dup-nip-%s.csv" % backend)
    d1, = nips(500000000 + (3 if backend == "sqlite" else 4) * 1000, 1)
    with open(dup, "w", encoding="utf-8") as f:
        f.write("name,type,size_class,nip\nPierwsza %s,enterprise,small,%s\nDruga %s,enterprise,small,%s\n"
                % (d1, d1, d1, d1))
    r = cli(db, "import", "organisations", dup)
    ok(r.returncode == 3 and "dup-nip-%s.csv:3: the same organisation as line 2" % backend in r.stderr
       and ("Pierwsza %s" % d1) not in cli(db, "export", "organisations").stdout,
       "one organisation on two lines: exit 3 naming both, nothing written", (r.returncode, r.stderr))
    r = cli(db, "import", "organisations", dup, "--skip-invalid")
    names = cli(db, "export", "organisations").stdout
    ok(r.returncode == 0 and "1 inserted" in r.stdout and "1 skipped" in r.stdout and
       ("Pierwsza %s" % d1) in names and ("Druga %s" % d1) not in names,
       "  --skip-invalid keeps the first and skips the repeat", r.stdout + r.stderr)
    # a skipped row's message quotes its value: its control characters reach the terminal escaped
    esc = os.path.join(WORK, "esc-nip-%s.csv" % backend)
    with open(esc, "w", encoding="utf-8") as f:
        f.write("name,type,size_class,nip\nFirma,\x1b]0;PWNED\x07\x1b[2Jx,small,\n")
    r = cli(db, "import", "organisations", esc, "--skip-invalid")
    ok(r.returncode == 0 and "1 skipped" in r.stdout and ":2: skipped: " in r.stderr and
       "\x1b" not in r.stderr and "\x07" not in r.stderr and "\\x1B" in r.stderr,
       "  --skip-invalid: a skipped value's control characters escaped in the report", r.stdout + r.stderr)
    path2 = os.path.join(WORK, "bad-col-%s.csv" % backend)
    with open(path2, "w", encoding="utf-8") as f:
        f.write("name,type,favourite_colour\nFirma,ngo,red\n")
    r = cli(db, "import", "organisations", path2)
    ok(r.returncode == 3 and "favourite_colour" in r.stderr, "unknown column: exit 3 naming it",
       (r.returncode, r.stderr))

    # a cluster's acronym is one whatever its case: the membership file may write it in lower case,
    # and an import in another case renames the cluster instead of adding a second one
    acr = "CASE" + backend[:2].upper()
    cpath = os.path.join(WORK, "case-%s.csv" % backend)
    with open(cpath, "w", encoding="utf-8") as f:
        f.write("acronym,name\n%s,Klaster Wielkich Liter %s\n" % (acr, backend))
    r = cli(db, "import", "clusters", cpath)
    ok(r.returncode == 0 and "1 inserted" in r.stdout, "a cluster imported", r.stdout + r.stderr)
    mpath = os.path.join(WORK, "case-members-%s.csv" % backend)
    with open(mpath, "w", encoding="utf-8") as f:
        f.write("cluster,organisation,role\n%s,%s,member\n" % (acr.lower(), good))
    r = cli(db, "import", "members", mpath)
    ok(r.returncode == 0 and "1 inserted" in r.stdout, "a membership naming the cluster in lower case finds it",
       r.stdout + r.stderr)
    clusters_before = cli(db, "export", "clusters").stdout.count("\n")
    with open(cpath, "w", encoding="utf-8") as f:
        f.write("acronym,name\n%s,Klaster Wielkich Liter %s\n" % (acr.capitalize(), backend))
    r = cli(db, "import", "clusters", cpath)
    out = cli(db, "export", "clusters").stdout
    ok(r.returncode == 0 and "1 updated" in r.stdout and out.count("\n") == clusters_before
       and (acr.capitalize() + ",") in out and (acr + ",") not in out,
       "an import writing the acronym in another case renames the cluster (no second one)", r.stdout + r.stderr)

    # flags beat the environment
    nowhere = "sqlite:" + os.path.join(WORK, "no", "such", "dir", "x.db")
    r = cli(None, "db", "version", env={"KLASTER_DB": nowhere})
    ok(r.returncode != 0, "KLASTER_DB pointing nowhere fails", r.returncode)
    r = cli(db, "db", "version", env={"KLASTER_DB": nowhere})
    ok(r.returncode == 0 and "this klaster knows" in r.stdout, "--db beats KLASTER_DB",
       (r.returncode, r.stderr))
    r = cli(None, "db", "version", env={"KLASTER_DB": db})
    ok(r.returncode == 0, "KLASTER_DB alone is used", (r.returncode, r.stderr))


def section(fn, *args):
    """Runs one group of checks; an exception is one failure, and the next group still runs."""
    try:
        fn(*args)
    except Exception as ex:
        import traceback
        ok(False, "%s raised %s" % (fn.__name__, type(ex).__name__), traceback.format_exc())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    args = ap.parse_args()
    backend = args.backend
    os.makedirs(WORK, exist_ok=True)
    if not os.access(BIN, os.X_OK):
        print("not ok 1 - KLASTER_BIN %s is not executable" % BIN)
        return 1

    if backend == "sqlite":
        dbfile = os.path.join(WORK, "http-sqlite.db")
        for sfx in ("", "-wal", "-shm"):
            if os.path.exists(dbfile + sfx):
                os.remove(dbfile + sfx)
        db = "sqlite:" + dbfile
    else:
        base = os.environ.get("KLASTER_TEST_PG")
        if not base:
            print("not ok 1 - KLASTER_TEST_PG is not set")
            return 1
        name = "klaster_http_%d_%d" % (os.getpid(), int(time.time()))
        r = subprocess.run(["sh", "tests/pg.sh", "createdb", os.path.join(WORK, "pg"), name], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or not r.stdout.strip():
            print("not ok 1 - createdb %s: %s" % (name, r.stderr.strip()))
            return 1
        db = r.stdout.strip().splitlines()[-1]
    diag("backend %s" % backend)

    start = time.time()
    servers = []
    nipgen = iter(nips(700000000 + (0 if backend == "sqlite" else 50000), 1000))
    try:
        prepare_db(db)
        token = make_token(db)
        a = Server(db, "a")
        servers.append(a)
        small = Server(db, "small", "--max-body", "2048")
        servers.append(small)
        section(test_pages, a.port)
        section(test_search, a.port, backend, db)
        section(test_api, a.port)
        section(test_api_document, a.port, small.port, token)
        section(test_lang, a.port)
        section(test_errors, a.port, small.port)
        section(test_filter_errors, a.port)
        section(test_cluster_search, a.port)
        section(test_writes, a.port, token, nipgen)
        section(test_same_name, a.port, token, nipgen, db)
        section(test_cache, a.port, token, nipgen)
        section(test_cache_cli, db, a.port)
        section(test_edges, a.port, small.port, token, db)
        section(test_cluster_map, a.port, db)
        section(test_hostile, a.port, token)
        if backend == "postgres":
            section(test_two_servers, db, a.port, token, nipgen)
        else:
            diag("two servers on one database: run on the postgres backend only")
        section(test_cli, db, backend)
        section(test_kill_import, db, backend, a.port, 100000000)
        ok(a.alive() and small.alive(), "servers survived every test")
    except Exception as ex:  # a crash of the script is one failure, with the reason
        import traceback
        ok(False, "test script raised %s" % type(ex).__name__, traceback.format_exc())
    finally:
        for s in servers:
            s.stop()
    # a clean stop: SIGTERM ends the server with status 0, and its log has no
    # sanitizer report (under make asan/ubsan this catches leaks and UB)
    for s in servers:
        with open(os.path.join(WORK, "server-%s.log" % s.name), "rb") as f:
            text = f.read().decode("utf-8", "replace")
        bad = [l for l in text.splitlines()
               if "Sanitizer" in l or "runtime error" in l or "ERROR:" in l]
        ok(s.proc.returncode == 0 and not bad, "server %s stopped cleanly" % s.name,
           "exit %s; %s" % (s.proc.returncode, "\n".join(bad[:10])))
    diag("%s backend: %.1f s" % (backend, time.time() - start))
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
