#!/usr/bin/env python3
"""An industry's trend in a region on the portal and the API, against the command line.

    python3 tests/http/test_trend.py --backend sqlite|postgres

A dataset of five years is imported from a file (one region absent in one
year, one cell without a value); `klaster-map indicators` on the same file
gives what the page /cluster-map/trend and the API /api/v1/cluster-map/trend
must show for every year of a region × industry: employment, share of the
industry, LQ, stars, strong.  A year without the region or a cell without a
value is a dash and breaks the chart's line; a dataset of one year shows its
one row and says a trend needs several years.  A bad region, industry or
base is a 400 naming it (the page with its form and the problem above it,
labelled), an unknown dataset a 404; the page is Polish by default.  TAP
output.
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import eq, ok  # noqa: E402

DS = "trend"
DS1 = "trend-jeden"
REGIONS = [("02", "dolnośląskie"), ("04", "kujawsko-pomorskie"), ("06", "lubelskie"), ("08", "lubuskie")]
INDUSTRIES = [("A", "Rolnictwo"), ("B", "Górnictwo"), ("C", "Przetwórstwo")]
YEARS = (2015, 2016, 2017, 2018, 2019)
ABSENT = ("08", 2017)        # a region without data that year
UNKNOWN = ("02", "B", 2018)  # a cell without a value


def make_data(name, years):
    path = os.path.join(kt.WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,region_name,industry,industry_name,year,employment\n")
        for y in years:
            for ri, (r, rn) in enumerate(REGIONS):
                if (r, y) == ABSENT:
                    continue
                for ii, (i, iname) in enumerate(INDUSTRIES):
                    v = 100 + ((ri * 7 + ii * 3 + (y - 2015) * (ri + 1)) % 10) * 40 + (y - 2015) * 15 * (ii + 1)
                    f.write("%s,%s,%s,%s,%d,%s\n" % (r, rn, i, iname, y, "" if (r, i, y) == UNKNOWN else v))
    return path


def cli_rows(data):
    """The command line's indicators of every year: {(region, industry, year): row}."""
    tool = os.path.join(os.path.dirname(kt.BIN), "klaster-map")
    r = subprocess.run([tool, "indicators", data, "--skip-invalid"], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("map indicators: " + r.stderr)
    return {(row["region"], row["industry"], int(row["year"])): row for row in csv.DictReader(io.StringIO(r.stdout))}


def get(port, path, lang="en"):
    return kt.request(port, "GET", path, headers={"Accept-Language": lang})


def page(port, path, lang="en"):
    st, h, body = get(port, path, lang)
    return st, body.decode("utf-8", "replace")


def num(text):
    """A number as the English page writes it ("4,915"); None for "–"."""
    text = text.strip().replace(",", "").replace("\u2212", "-")
    return None if text in ("–", "") else float(text)


def fnum(s):
    return float(s) if s != "" else None


def table_rows(html):
    m = re.search(r'<table class="results trend-table">(.*?)</table>', html, re.S)
    return [(m2.group(1), [kt.text_of(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", m2.group(2), re.S)])
            for m2 in re.finditer(r'<tr data-year="([^"]*)">(.*?)</tr>', m.group(1) if m else "", re.S)]


def close(a, b, tol):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= tol)


def test_page(port, cli):
    """The table's rows are the command line's indicators of each year; a year without the region
    or the cell's value is dashes and breaks the chart's line."""
    for reg, _ in REGIONS:
        for ind, _ in INDUSTRIES:
            st, html = page(port, "/cluster-map/trend?dataset=%s&region=%s&industry=%s&lang=en" % (DS, reg, ind))
            rows = table_rows(html)
            ok(st == 200 and [y for y, _ in rows] == [str(y) for y in YEARS], "%s %s: a row per year" % (reg, ind),
               (st, [y for y, _ in rows]))
            good = True
            for y, c in rows:
                want = cli.get((reg, ind, int(y)))
                if want is None:   # the region absent that year
                    good &= c[1:] == ["–"] * 5
                    continue
                stars = fnum(want["stars"])
                strong = {"1": "yes", "0": "no", "": "–"}[want["strong"]]
                share = fnum(want["share_of_industry"])
                good &= (close(num(c[1]), fnum(want["employment"]), 0.5) and
                         close(num(c[2]), share * 100 if share is not None else None, 0.0051) and
                         close(num(c[3]), fnum(want["lq"]), 0.0051) and close(num(c[4]), stars, 0) and c[5] == strong)
            ok(good, "%s %s: employment, share, LQ, stars, strong of every year as map indicators" % (reg, ind), rows)
    st, html = page(port, "/cluster-map/trend?dataset=%s&region=08&industry=A&lang=en" % DS)
    svg = re.search(r'<svg[^>]*role="img"[^>]*>(.*?)</svg>', html, re.S)
    ok(svg and '<title id="trend-title">' in svg.group(1) and '<desc id="trend-desc">' in svg.group(1),
       "the chart: an image with a title and a description")
    d = re.search(r'<path class="lq-line" d="([^"]*)"', html)
    ok(d and d.group(1).count("M") == 2, "the year without the region breaks the line", d and d.group(1))
    ok('class="lq-one"' in html, "a line at LQ = 1")
    st, html = page(port, "/cluster-map/trend?dataset=%s&region=02&industry=B&lang=en" % DS)
    d = re.search(r'<path class="lq-line" d="([^"]*)"', html)
    ok(d and d.group(1).count("M") == 2 and dict(table_rows(html))["2018"][3] == "–",
       "the cell without a value: a dash, the line broken", d and d.group(1))
    ok('href="/cluster-map/region?dataset=%s&amp;region=02&amp;industry=B&amp;year=2019&amp;lang=en"' % DS in html,
       "a link back to the region's profile")
    ok('href="/cluster-map?dataset=%s&amp;industry=B&amp;year=2019&amp;lang=en"' % DS in html,
       "a link to the industry's map")
    st, html = page(port, "/cluster-map/trend?dataset=%s&lang=en" % DS)
    ok(st == 200 and len(table_rows(html)) == len(YEARS), "without region or industry: the defaults", st)


def test_profile_link(port):
    """Each industry row of the region's profile links its trend."""
    st, html = page(port, "/cluster-map/region?dataset=%s&region=04&lang=en" % DS)
    for ind, _ in INDUSTRIES:
        ok(('href="/cluster-map/trend?dataset=%s&amp;region=04&amp;industry=%s&amp;year=2019&amp;lang=en"'
            % (DS, ind)) in html, "the profile links the trend of %s" % ind)


def test_api(port, cli):
    """The API's years are the command line's numbers, null where it has none."""
    for reg, rname in REGIONS:
        for ind, iname in INDUSTRIES:
            st, h, body = get(port, "/api/v1/cluster-map/trend?dataset=%s&region=%s&industry=%s" % (DS, reg, ind))
            js = json.loads(body) if st == 200 else {}
            ok(js.get("dataset") == DS and js.get("region") == reg and js.get("region_name") == rname and
               js.get("industry") == ind and js.get("industry_name") == iname and js.get("base") == "all",
               "API %s %s: the dataset, region, industry and base" % (reg, ind), {k: v for k, v in js.items() if k != "years"})
            good = [y["year"] for y in js.get("years", [])] == list(YEARS)
            for y in js.get("years", []):
                want = cli.get((reg, ind, y["year"]))
                for k in ("employment", "share_of_industry", "lq", "stars", "strong"):
                    w = fnum(want[k]) if want else None
                    good &= close(y[k], w, 1e-9 * max(1, abs(w or 0)))
            ok(good, "API %s %s: every year as map indicators" % (reg, ind), js.get("years"))


def test_one_year(port):
    st, html = page(port, "/cluster-map/trend?dataset=%s&region=02&industry=A&lang=en" % DS1)
    ok(st == 200 and "a trend needs several years" in html and len(table_rows(html)) == 1 and "<svg" not in html,
       "one year: said, the one row shown, no chart", st)
    st, html = page(port, "/cluster-map/trend?dataset=%s&region=02&industry=A" % DS1, "pl")
    ok("trend wymaga kilku lat" in html, "one year: said in Polish")
    st, h, body = get(port, "/api/v1/cluster-map/trend?dataset=%s&region=02&industry=A" % DS1)
    ok(st == 200 and len(json.loads(body)["years"]) == 1, "API, one year: one row", st)
    st, html = page(port, "/cluster-map/region?dataset=%s&region=02&lang=en" % DS1)
    ok(st == 200 and "/cluster-map/trend" not in html, "a profile of one year links no trend")


def test_errors(port):
    api = "/api/v1/cluster-map/trend?dataset=%s&" % DS
    for q, name in (("region=ZZ", "region"), ("industry=ZZ", "industry"), ("base=xyz", "base"),
                    ("region=02&region=04", "region"), ("industry=%C5", "industry"), ("year=2019", "year")):
        st, msg = kt.api_error(port, api + q)
        ok(st == 400 and msg and (name + ": ") in msg, "API %s: a 400 naming %s" % (q, name), (st, msg))
    st, msg = kt.api_error(port, "/api/v1/cluster-map/trend?dataset=nie-ma")
    eq(st, 404, "API: an unknown dataset is a 404")
    for q, label, field in (("region=ZZ", "Region", "f-region"), ("industry=ZZ", "Industry", "f-industry"),
                            ("base=xyz", "LQ base", "f-base"), ("region=02&region=04", "Region", "f-region"),
                            ("industry=%C5", "Industry", "f-industry")):
        st, html = page(port, "/cluster-map/trend?dataset=%s&%s&lang=en" % (DS, q))
        alert = re.search(r'class="error" role="alert">(.*?)<form', html, re.S)
        ok(st == 400 and alert and ('<a href="#%s">%s</a>' % (field, label)) in alert.group(1),
           "page %s: a 400 naming the field %s above the form" % (q, label), (st, alert and alert.group(1)))
        ok('<form class="filters" action="/cluster-map/trend"' in html and 'aria-invalid' in html
           and len(table_rows(html)) == len(YEARS), "page %s: the form, the field marked, the trend shown" % q)
    st, html = page(port, "/cluster-map/trend?dataset=%s&region=ZZ" % DS, "pl")
    ok(st == 400 and '<a href="#f-region">Region</a>: „ZZ” nie występuje w zbiorze' in html, "page region=ZZ: in Polish",
       kt.text_of(html)[:500])
    st, html = page(port, "/cluster-map/trend?dataset=nie-ma")
    eq(st, 404, "page: an unknown dataset is a 404")


def test_languages(port):
    st, h, body = kt.request(port, "GET", "/cluster-map/trend?dataset=%s&region=02&industry=A" % DS)
    html = body.decode("utf-8")
    ok(st == 200 and '<html lang="pl">' in html, "Polish by default", st)
    for text in ("Rok po roku", "Zatrudnienie", "Udział w branży", "Gwiazdki", "Silny klaster", "profil regionu",
                 "LQ w latach"):
        ok(text in html, "Polish: %s" % text)
    ok(re.search(r'<td class="num">\d,\d\d</td>', html), "Polish: decimal commas")
    st, html = page(port, "/cluster-map/trend?dataset=%s&region=02&industry=A&lang=en" % DS)
    for text in ("Year by year", "Employment", "Share of the industry", "Stars", "Strong cluster",
                 "the region's profile", "LQ over the years"):
        ok(text in kt.text_of(html), "English: %s" % text)
    ok(re.search(r'<td class="num">\d\.\d\d</td>', html), "English: decimal points")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    a = ap.parse_args()
    db = kt.database(a.backend, "trend")
    data = make_data("trend.csv", YEARS)
    r = kt.cli(db, "import", "stats", data, "--dataset", DS, "--title", "Trend", "--skip-invalid")
    ok(r.returncode == 0, "import stats: a dataset of five years", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", make_data("trend1.csv", (2019,)), "--dataset", DS1, "--title", "Jeden rok")
    ok(r.returncode == 0, "import stats: a dataset of one year", r.stdout + r.stderr)
    cli = cli_rows(data)
    srv = kt.Server(db, "trend")
    try:
        kt.section(test_page, srv.port, cli)
        kt.section(test_profile_link, srv.port)
        kt.section(test_api, srv.port, cli)
        kt.section(test_one_year, srv.port)
        kt.section(test_errors, srv.port)
        kt.section(test_languages, srv.port)
    finally:
        srv.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
