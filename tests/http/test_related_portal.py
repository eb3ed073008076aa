#!/usr/bin/env python3
"""The cluster map's related industries on the portal and the API, against the command line.

    python3 tests/http/test_related_portal.py --backend sqlite|postgres

A dataset of two years is imported from a file; `klaster map relatedness
--base pairs|density|groups` and `klaster map indicators` on the same file
give what the page /cluster-map/related, its downloads
(/cluster-map/related.csv, CSV byte for byte, XLSX cell for cell) and the
API /api/v1/cluster-map/relatedness must show: the groups, the industries
most related to one, the regions by relatedness density to it beside their
LQ.  A bad base, year or industry is a 400 naming it (the page with its form
and the problem above it, labelled), an unknown dataset a 404; the page is
Polish by default.  TAP output.
"""
import argparse
import csv
import io
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import eq, ok  # noqa: E402

DS = "pokrewne"
REGIONS = [("02", "dolnośląskie"), ("04", "kujawsko-pomorskie"), ("06", "lubelskie"), ("08", "lubuskie"),
           ("10", "łódzkie"), ("12", "małopolskie"), ("14", "mazowieckie"), ("16", "opolskie"),
           ("18", "podkarpackie"), ("20", "podlaskie")]
INDUSTRIES = [("C10", "Produkcja artykułów spożywczych"), ("C11", "Produkcja napojów"),
              ("C20", "Produkcja chemikaliów"), ("C21", "Produkcja leków"), ("C29", "Produkcja pojazdów"),
              ("G46", "Handel hurtowy"), ("J62", "Oprogramowanie"), ("M70", "Doradztwo"),
              ("M72", "Badania naukowe")]
YEARS = (2021, 2023)


def make_data():
    """Three families of industries found together (food, chemicals, services) and M72 without
    employment in 2023 (in no group that year)."""
    rnd = random.Random(7)
    path = os.path.join(kt.WORK, "related.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,region_name,industry,industry_name,year,employment\n")
        for y in YEARS:
            for ri, (r, rn) in enumerate(REGIONS):
                for ii, (i, name) in enumerate(INDUSTRIES):
                    v = 100 + ((ri * 7 + ii * 3) % 10) * 40
                    if i in ("J62", "M70", "M72") and r in ("14", "12", "02"):
                        v *= 4
                    if i in ("C10", "C11") and r in ("04", "06", "20"):
                        v *= 3
                    if i in ("C20", "C21") and r in ("10", "16"):
                        v *= 3
                    v += rnd.randint(0, 60)
                    if i == "M72" and y == 2023:
                        v = 0
                    f.write("%s,%s,%s,%s,%d,%d\n" % (r, rn, i, name, y, v))
    return path


def get(port, path, lang="en"):
    return kt.request(port, "GET", path, headers={"Accept-Language": lang})


def page(port, path, lang="en"):
    st, h, body = get(port, path, lang)
    return st, body.decode("utf-8", "replace")


class Cli:
    """The command line's tables of the file, per base and year, in each format."""

    def __init__(self, data):
        self.data = data
        self.cache = {}

    def out(self, base, year, ext):
        key = (base, year, ext)
        if key not in self.cache:
            path = os.path.join(kt.WORK, "cli-%s-%d.%s" % (base, year, ext))
            r = kt.cli(None, "map", "relatedness", self.data, "--base", base, "--year", str(year), "-o", path)
            if r.returncode != 0:
                raise RuntimeError("map relatedness: " + r.stderr)
            with open(path, "rb") as f:
                self.cache[key] = f.read()
        return self.cache[key]

    def rows(self, base, year):
        return json.loads(self.out(base, year, "json"))

    def lq(self, year):
        path = os.path.join(kt.WORK, "cli-indicators-%d.csv" % year)
        r = kt.cli(None, "map", "indicators", self.data, "--year", str(year), "-o", path)
        if r.returncode != 0:
            raise RuntimeError("map indicators: " + r.stderr)
        with open(path, encoding="utf-8") as f:
            return {(row["region"], row["industry"]): float(row["lq"]) if row["lq"] else None
                    for row in csv.DictReader(f)}


def num(text):
    """A number as the English page writes it ("4,915", "−0.144"); None for "–"."""
    text = text.strip().replace(",", "").replace("\u2212", "-")
    return None if text in ("–", "") else float(text)


def cells(tr):
    return [kt.text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]


def table(html, cls):
    m = re.search(r'<table class="%s"[^>]*>(.*?)</table>' % re.escape(cls), html, re.S)
    return m.group(1) if m else ""


def rows_of(html_table, attr):
    return [(m.group(1), cells(m.group(2)))
            for m in re.finditer(r'<tr %s="([^"]+)">(.*?)</tr>' % attr, html_table, re.S)]


def test_groups(port, cl):
    """The page's groups are the command line's: the same industries together, the score,
    the modularity, the ungrouped industry; employment is the industry's total of the year."""
    for year in YEARS:
        st, html = page(port, "/cluster-map/related?dataset=%s&year=%d&lang=en" % (DS, year))
        ok(st == 200, "%d: the page answers 200" % year, st)
        want = {}
        for row in cl.rows("groups", year):
            if row["group"] is not None:
                want.setdefault(row["group"], set()).add(row["industry"])
        got = {}
        for m in re.finditer(r'<table class="related-group" data-group="(\d+)">(.*?)</table>', html, re.S):
            got[int(m.group(1))] = {code for code, _ in rows_of(m.group(2), "data-industry")}
        eq(got, want, "%d: the groups are those of map relatedness --base groups" % year)
        nums = {n: re.search(r'<h3 id="group-(\d+)">Group (\d+)</h3><table class="related-group" data-group="%d"' % n,
                             html) for n in want}
        ok(all(m and int(m.group(1)) == n + 1 == int(m.group(2)) for n, m in nums.items()),
           "%d: group 0 of the download is the page's group 1" % year)
        first = cl.rows("groups", year)[0]
        dd = {k: kt.text_of(v) for k, v in re.findall(r'<dd id="rel-([a-z]+)">(.*?)</dd>', html)}
        eq(int(dd.get("ngroups", -1)), first["groups"], "%d: the number of groups" % year)
        ok(abs(num(dd["score"]) - first["group_score"]) < 0.0006, "%d: the group score" % year, dd)
        ok(abs(num(dd["modularity"]) - first["modularity"]) < 0.0006, "%d: the modularity" % year, dd)
        ungrouped = [r["industry"] for r in cl.rows("groups", year) if r["group"] is None]
        eq(int(dd.get("ungrouped", -1)), len(ungrouped), "%d: the ungrouped count" % year)
        eq(re.findall(r'<li data-industry="([^"]+)">', html), ungrouped, "%d: the ungrouped industries" % year)
        emp = {}
        with open(cl.data, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if int(row["year"]) == year:
                    emp[row["industry"]] = emp.get(row["industry"], 0) + int(row["employment"])
        shown = {}
        for m in re.finditer(r'<table class="related-group"[^>]*>(.*?)</table>', html, re.S):
            for code, c in rows_of(m.group(1), "data-industry"):
                shown[code] = (c[1], num(c[2]))
        ok(all(shown[k] == (dict(INDUSTRIES)[k], emp[k]) for k in shown),
           "%d: each grouped industry with its name and employment" % year, shown)


def test_industry(port, cl):
    """With industry=, its 20 most related industries by co-location and by proximity, and the
    regions by relatedness density to it with their LQ, as the command line computes them."""
    year = 2023
    pairs = cl.rows("pairs", year)
    order = [r["industry"] for r in cl.rows("groups", year)]
    lq = cl.lq(year)
    for ind in ("C10", "J62"):
        st, html = page(port, "/cluster-map/related?dataset=%s&year=%d&industry=%s&lang=en" % (DS, year, ind))
        ok(st == 200, "%s: the page answers 200" % ind, st)
        other = {}
        for p in pairs:
            if ind in (p["industry"], p["other_industry"]):
                o = p["other_industry"] if p["industry"] == ind else p["industry"]
                other[o] = (p["colocation"], p["proximity"])
        for k, cls in ((0, "related-colocation"), (1, "related-proximity")):
            known = [o for o in order if o in other and other[o][k] is not None]
            want = sorted(known, key=lambda o: (-other[o][k], order.index(o)))[:20]
            got = rows_of(table(html, cls), "data-industry")
            eq([code for code, _ in got], want, "%s: the order of %s" % (ind, cls))
            ok(all(abs(num(c[3]) - other[code][k]) < 0.0006 and
                   (other[code][1 - k] is None and c[4] == "–" or abs(num(c[4]) - other[code][1 - k]) < 0.0006)
                   for code, c in got), "%s: the values of %s" % (ind, cls), got)
        dens = [(r["region"], r["relatedness_density"]) for r in cl.rows("density", year) if r["industry"] == ind]
        regs = [r for r, _ in REGIONS]
        want = sorted(dens, key=lambda x: (x[1] is None, -(x[1] or 0), regs.index(x[0])))
        got = rows_of(table(html, "related-density"), "data-region")
        eq([r for r, _ in got], [r for r, _ in want], "%s: the regions by relatedness density" % ind)
        dv = dict(dens)
        ok(all(abs(num(c[2]) - dv[r]) < 0.051 for r, c in got), "%s: the densities (0–100)" % ind, got)
        ok(all(abs(num(c[3]) - lq[(r, ind)]) < 0.0051 for r, c in got), "%s: the LQ beside each" % ind, got)
        ok(all(c[1] == dict(REGIONS)[r] for r, c in got), "%s: the regions named" % ind)
        # the same densities drawn as a map, each region a link to its profile
        m = re.search(r'<section class="map-part related-map">(.*?)</section>', html, re.S)
        drawn = dict((code, None if v == "no data" else num(v)) for code, v in
                     re.findall(r'<path d="[^"]*" data-code="([^"]*)"[^>]*><title>[^<:]*: ([^<]*)</title>',
                                m.group(1) if m else ""))
        ok(m and all(drawn.get(r) is not None and abs(drawn[r] - dv[r]) < 0.051 for r in dv if dv[r] is not None)
           and all(v is None for r, v in drawn.items() if dv.get(r) is None),
           "%s: a map of the densities, every region with its value, the others without data" % ind, drawn)
        ok(m and all(("/cluster-map/region?dataset=%s&amp;industry=%s&amp;year=%d&amp;lang=en&amp;feature=%s"
                      % (DS, ind, year, r)) in m.group(1)
                     for r in dv), "%s: each region on the map links to its profile (the industry kept)" % ind,
           m and re.findall(r'<a href="([^"]*)"', m.group(1))[:2])


def test_no_employment(port):
    """An industry without employment in the year (M72 in 2023): a notice that nothing is related
    to it, no tables of related industries ranked at proximity 0, no density map or table."""
    for lang, words in (("en", "This industry has no employment in any region"),
                        ("pl", "Ta branża nie ma w tym roku zatrudnienia")):
        st, html = page(port, "/cluster-map/related?dataset=%s&year=2023&industry=M72&lang=%s" % (DS, lang), lang)
        ok(st == 200 and words in html and "related-colocation" not in html and "related-proximity" not in html
           and "related-density" not in html and "related-map" not in html,
           "M72 in 2023 (%s): a notice, no ranking of unrelated industries" % lang, st)
    st, html = page(port, "/cluster-map/related?dataset=%s&year=2021&industry=M72&lang=en" % DS)
    ok(st == 200 and "no employment in any region" not in html and "related-colocation" in html,
       "M72 in 2021, when it has employment: its related industries", st)


def test_opportunities(port, cl):
    """The region profile's related opportunities (page and API): the industries the region is not
    specialised in (LQ < 1, as the command line's indicators on the file give it) with the highest
    relatedness density to it (the command line's density table), ten at most, ties in the
    dataset's order, each linking to its related industries."""
    year = 2023
    dens = cl.rows("density", year)
    lq = cl.lq(year)
    order = []
    for r in dens:
        if r["industry"] not in order:
            order.append(r["industry"])
    for reg, _ in REGIONS:
        cand = [(r["industry"], r["relatedness_density"]) for r in dens
                if r["region"] == reg and r["relatedness_density"] is not None
                and lq.get((reg, r["industry"])) is not None and lq[(reg, r["industry"])] < 1 - 1e-9]
        want = sorted(cand, key=lambda x: (-x[1], order.index(x[0])))[:10]
        st, html = page(port, "/cluster-map/region?dataset=%s&year=%d&region=%s&lang=en" % (DS, year, reg))
        got = rows_of(table(html, "results opportunities-table"), "data-industry")
        ok(st == 200 and [c for c, _ in got] == [c for c, _ in want],
           "%s: the opportunities, highest relatedness density first, none the region is specialised in" % reg,
           ([c for c, _ in got], [c for c, _ in want]))
        dv = dict(want)
        ok(all(abs(num(c[2]) - dv[code]) < 0.051 and abs(num(c[3]) - lq[(reg, code)]) < 0.0051 and num(c[3]) < 1
               for code, c in got), "%s: each with its density and LQ" % reg, got[:2])
        ok(all(('href="/cluster-map/related?dataset=%s&amp;year=%d&amp;industry=%s&amp;lang=en"' % (DS, year, code))
               in html for code, _ in got), "%s: each a link to its related industries" % reg)
        st, h, body = get(port, "/api/v1/cluster-map/region?dataset=%s&year=%d&region=%s" % (DS, year, reg))
        js = json.loads(body) if st == 200 else {}
        opp = js.get("opportunities") or []
        ok([x["industry"] for x in opp] == [c for c, _ in want] and
           all(abs(x["relatedness_density"] - dv[x["industry"]]) < 1e-6 and
               abs(x["rca"] - lq[(reg, x["industry"])]) < 1e-6 for x in opp),
           "%s: the API's opportunities, the same with their density and RCA" % reg, opp[:2])


def test_downloads(port, cl):
    """The downloads are the command line's files: CSV byte for byte, XLSX cell for cell (and
    a sheet saying where the numbers come from)."""
    for base, sheet in (("pairs", "relatedness"), ("density", "density"), ("groups", "groups")):
        for year in YEARS:
            path = "/cluster-map/related.csv?dataset=%s&year=%d&base=%s" % (DS, year, base)
            st, h, body = get(port, path)
            ok(st == 200 and body == cl.out(base, year, "csv"), "%s: the CSV of map relatedness --base %s" % (path, base),
               (st, body[:300]))
            eq(h.get("content-disposition"), 'attachment; filename="%s-%s-%d.csv"' % (DS, sheet, year),
               "%s: its file name" % path)
        st, h, body = get(port, path + "&format=xlsx")
        ok(st == 200 and kt.xlsx_sheet_texts(body, 1) == kt.xlsx_sheet_texts(cl.out(base, 2023, "xlsx"), 1),
           "%s&format=xlsx: the cells of the command line's workbook" % path, st)
        src = kt.xlsx_sheet_texts(body, 2) or []
        ok(any(DS in s for s in src), "%s&format=xlsx: the source sheet names the dataset" % path, src)
    st, h, body = get(port, "/cluster-map/related.csv?dataset=%s" % DS)
    ok(st == 200 and body == cl.out("pairs", 2023, "csv"), "no base, no year: the pairs of the latest year")
    # the page links the three downloads
    st, html = page(port, "/cluster-map/related?dataset=%s&year=2021&lang=en" % DS)
    for base in ("pairs", "density", "groups"):
        href = "/cluster-map/related.csv?dataset=%s&amp;year=2021&amp;base=%s&amp;lang=en" % (DS, base)
        ok(('href="%s"' % href) in html and ('href="%s&amp;format=xlsx"' % href) in html,
           "the page links the %s download as CSV and XLSX" % base)


def test_api(port, cl):
    """The API's rows are the command line's JSON; industry= keeps its rows."""
    for base in ("pairs", "density", "groups"):
        for year in YEARS:
            st, h, body = get(port, "/api/v1/cluster-map/relatedness?dataset=%s&year=%d&base=%s" % (DS, year, base))
            js = json.loads(body) if st == 200 else {}
            eq(js.get("rows"), cl.rows(base, year), "API %s %d: the rows of map relatedness -o OUT.json" % (base, year))
            g = cl.rows("groups", year)[0]
            ok(js.get("dataset") == DS and js.get("year") == year and js.get("base") == base and
               js.get("groups") == g["groups"] and js.get("group_score") == g["group_score"] and
               js.get("modularity") == g["modularity"] and
               js.get("ungrouped") == sum(1 for r in cl.rows("groups", year) if r["group"] is None),
               "API %s %d: the dataset, year and the groups' summary" % (base, year),
               {k: v for k, v in js.items() if k != "rows"})
    st, h, body = get(port, "/api/v1/cluster-map/relatedness?dataset=%s" % DS)
    js = json.loads(body)
    ok(js.get("base") == "pairs" and js.get("year") == 2023 and js.get("rows") == cl.rows("pairs", 2023),
       "API without base or year: the pairs of the latest year")
    grp = {r["industry"]: r["group"] for r in cl.rows("groups", 2023)}
    for base, keep in (("pairs", lambda r: "C20" in (r["industry"], r["other_industry"])),
                       ("density", lambda r: r["industry"] == "C20"),
                       ("groups", lambda r: r["group"] == grp["C20"])):
        st, h, body = get(port, "/api/v1/cluster-map/relatedness?dataset=%s&base=%s&industry=C20" % (DS, base))
        js = json.loads(body)
        eq(js.get("rows"), [r for r in cl.rows(base, 2023) if keep(r)], "API industry=C20, %s: its rows" % base)
        ok(js.get("industry") == "C20" and js.get("industry_name") == "Produkcja chemikaliów",
           "API industry=C20, %s: the industry named" % base)
    st, h, body = get(port, "/api/v1/cluster-map/relatedness?dataset=%s&base=groups&industry=M72" % DS)
    eq([r["industry"] for r in json.loads(body).get("rows", [])], ["M72"], "API industry in no group: its own row")


def test_errors(port):
    """A bad base, year or industry: a 400 naming it; an unknown dataset: a 404."""
    api = "/api/v1/cluster-map/relatedness?dataset=%s&" % DS
    for q, name in (("base=triples", "base"), ("base=all", "base"), ("year=1999", "year"), ("year=abc", "year"),
                    ("year=+2023", "year"), ("industry=ZZ", "industry"), ("industry=%C5", "industry")):
        st, msg = kt.api_error(port, api + q)
        ok(st == 400 and msg and msg.startswith(name + ": "), "API %s: a 400 naming %s" % (q, name), (st, msg))
    st, msg = kt.api_error(port, "/api/v1/cluster-map/relatedness?dataset=nie-ma")
    ok(st == 404 and msg == "There is no dataset 'nie-ma'.", "API: an unknown dataset is a 404", (st, msg))
    dl = "/cluster-map/related.csv?dataset=%s&" % DS
    for q, name in (("base=triples", "base"), ("year=1999", "year"), ("format=pdf", "format")):
        st, text = page(port, dl + q + "&lang=en")
        ok(st == 400 and (name + ": ") in text, "download %s: a 400 naming %s" % (q, name), (st, kt.text_of(text)[:300]))
    st, text = page(port, dl + "base=triples&lang=pl", "pl")
    ok(st == 400 and "base: „triples” to żadna z tabel" in text, "download: the 400 in the page's language",
       kt.text_of(text)[:300])
    st, text = page(port, "/cluster-map/related.csv?dataset=nie-ma")
    eq(st, 404, "download: an unknown dataset is a 404")
    # the page: itself with its form, the problem above it naming the field by its label
    for q, label, field in (("year=abc", "Year", "f-year"), ("industry=ZZ", "Industry", "f-industry")):
        st, html = page(port, "/cluster-map/related?dataset=%s&%s&lang=en" % (DS, q))
        alert = re.search(r'class="error" role="alert">(.*?)<form', html, re.S)
        ok(st == 400 and alert and ('<a href="#%s">%s</a>' % (field, label)) in alert.group(1),
           "page %s: a 400 naming the field %s above the form" % (q, label), (st, alert and alert.group(1)))
        ok('<form class="filters" action="/cluster-map/related"' in html and 'aria-invalid' in html,
           "page %s: the form, the field marked" % q)
        ok('class="related-group"' in html, "page %s: the groups shown without the choice" % q)
    st, html = page(port, "/cluster-map/related?dataset=%s&year=abc&lang=pl" % DS, "pl")
    ok(st == 400 and '<a href="#f-year">Rok</a>: „abc” nie jest rokiem' in html, "page year=abc: in Polish",
       kt.text_of(html)[:500])
    st, html = page(port, "/cluster-map/related?dataset=%s&industry=ZZ" % DS, "pl")
    ok(st == 400 and '<a href="#f-industry">Branża</a>: „ZZ” nie występuje w zbiorze' in html,
       "page industry=ZZ: in Polish", kt.text_of(html)[:500])
    st, html = page(port, "/cluster-map/related?dataset=nie-ma")
    eq(st, 404, "page: an unknown dataset is a 404")


def test_languages(port):
    """Polish by default, English when asked; the tab beside the others, the current one marked."""
    st, h, body = kt.request(port, "GET", "/cluster-map/related?dataset=%s&industry=C10" % DS)
    html = body.decode("utf-8")
    ok(st == 200 and '<html lang="pl">' in html, "Polish by default", st)
    for text in ("Pokrewieństwo branż</a>", "Grupy pokrewnych branż", "Grupa 1", "Według współlokalizacji",
                 "Według bliskości", "Regiony według gęstości pokrewieństwa do C10", "Modularność", "Do pobrania"):
        ok(text in html, "Polish: %s" % text)
    ok('<a href="/cluster-map/related?dataset=%s&amp;industry=C10&amp;year=2023" aria-current="page">Pokrewieństwo '
       'branż</a>' % DS in html, "Polish: the tab is the current page")
    st, html = page(port, "/cluster-map/related?dataset=%s&industry=C10&lang=en" % DS)
    for text in ("Related industries</a>", "Groups of related industries", "Group 1", "By co-location",
                 "By proximity", "Regions by relatedness density to C10", "Modularity", "Downloads"):
        ok(text in html, "English: %s" % text)
    ok("0.441" in html or re.search(r'<td class="num">-?\d\.\d{3}</td>', html), "English: decimal points")
    st, html = page(port, "/cluster-map/related?dataset=%s&industry=C10" % DS, "pl")
    ok(re.search(r'<td class="num">−?\d,\d{3}</td>', html), "Polish: decimal commas")
    for path in ("/cluster-map?dataset=%s" % DS, "/cluster-map/region?dataset=%s" % DS):
        st, html = page(port, path, "pl")
        ok('href="/cluster-map/related' in html and "Pokrewieństwo branż</a>" in html,
           "%s: the tab of related industries" % path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    a = ap.parse_args()
    db = kt.database(a.backend, "related_portal")
    data = make_data()
    r = kt.cli(db, "import", "stats", data, "--dataset", DS, "--title", "Branże pokrewne")
    ok(r.returncode == 0, "import stats: a dataset of two years", r.stdout + r.stderr)
    cl = Cli(data)
    srv = kt.Server(db, "related_portal")
    try:
        kt.section(test_groups, srv.port, cl)
        kt.section(test_industry, srv.port, cl)
        kt.section(test_no_employment, srv.port)
        kt.section(test_opportunities, srv.port, cl)
        kt.section(test_downloads, srv.port, cl)
        kt.section(test_api, srv.port, cl)
        kt.section(test_errors, srv.port)
        kt.section(test_languages, srv.port)
    finally:
        srv.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
