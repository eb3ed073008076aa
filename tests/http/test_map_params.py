#!/usr/bin/env python3
"""The cluster map's parameters as a hostile client writes them.

    python3 tests/http/test_map_params.py --backend sqlite|postgres

A dataset of three years is imported; the API, the downloads and the pages
are asked for years written in other ways than the form writes them.  A
400 must name the parameter the client gave (`to`, year's other name, is
`to` in its messages, not `year`).  TAP output.
"""
import argparse
import html
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import ok  # noqa: E402


def get(port, path, lang="en"):
    st, h, body = kt.request(port, "GET", path, headers={"Accept-Language": lang})
    return st, h, body.decode("utf-8", "replace")


def api_error(port, path):
    """The status and the message of an API answer (None when it is no error)."""
    st, h, body = get(port, path)
    try:
        js = json.loads(body)
    except ValueError:
        return st, None
    return st, (js.get("error") or {}).get("message")


def make_data():
    data = os.path.join(kt.WORK, "params-3y.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n")
        for y, k in ((2019, 0), (2021, 5), (2023, 9)):
            for n, reg in enumerate(("02", "04", "06", "08")):
                f.write("%s,C,%d,%d\n%s,G,%d,%d\n" % (reg, y, 100 + 13 * n + k, reg, y, 80 + 7 * n + 2 * k))
    return data


def test_to_named(port):
    """`to` is year's other name for a change: a bad `to` is a 400 naming `to`, in the API
    and in the downloads (in the page's language there), as a bad `year` names `year`."""
    for q in ("to=abc", "to=2020", "to=-3"):
        path = "/api/v1/cluster-map?dataset=params-3y&industry=C&indicator=growth&" + q
        st, msg = api_error(port, path)
        ok(st == 400 and msg and msg.startswith("to: ") and "'year" not in msg and not msg.startswith("year"),
           "%s: a 400 naming to" % path, (st, msg))
    st, msg = api_error(port, "/api/v1/cluster-map?dataset=params-3y&industry=C&indicator=growth&year=abc")
    ok(st == 400 and msg and msg.startswith("year: "), "year=abc: a 400 naming year", (st, msg))
    for lang, want in (("en", "to: no data for 2020"), ("pl", "to: brak danych za 2020")):
        path = "/cluster-map.csv?dataset=params-3y&industry=C&indicator=growth&to=2020&lang=" + lang
        st, h, text = get(port, path, lang)
        ok(st == 400 and want in text, "%s: the download's 400 names to (%s)" % (path, lang), (st, kt.text_of(text)[:400]))
    st, h, text = get(port, "/api/v1/cluster-map?dataset=params-3y&industry=C&indicator=growth&to=2021")
    js = json.loads(text) if st == 200 else {}
    ok(st == 200 and js.get("from") == 2019 and js.get("year") == 2021, "to=2021: the change 2019–2021", (st, text[:300]))


def test_year_digits(port):
    """A year is digits, as the form writes it: " 2023", "+2023" or "\n2023" (which strtol
    would read as 2023) are a 400 naming the parameter from the API, the region API, the
    downloads and the page (with its form), as "2023 " and "2023.0" are — not the year 2023."""
    for raw in (" 2023", "+2023", "\n2023", "2023 ", "2023.0"):
        q = urllib.parse.quote(raw, safe="")
        for path, name in (("/api/v1/cluster-map?dataset=params-3y&industry=C&year=" + q, "year"),
                           ("/api/v1/cluster-map?dataset=params-3y&industry=C&indicator=growth&to=" + q, "to"),
                           ("/api/v1/cluster-map/region?dataset=params-3y&region=02&year=" + q, "year")):
            st, msg = api_error(port, path)
            ok(st == 400 and msg and msg.startswith(name + ": "), "%s: a 400 naming %s" % (path, name), (st, msg))
        st, h, text = get(port, "/cluster-map.csv?dataset=params-3y&year=%s&lang=en" % q)
        ok(st == 400 and "year: " in text, "/cluster-map.csv?year=%r: a 400 naming year" % raw, (st, text[:200]))
        st, h, text = get(port, "/cluster-map?dataset=params-3y&industry=C&year=%s&lang=en" % q)
        ok(st == 400 and '<a href="#f-year">Year</a>: ' in text and '<svg class="map"' in text,
           "/cluster-map?year=%r: a 400 with the page and its form, the year named by its label" % raw,
           (st, kt.text_of(text)[:300]))
    st, h, text = get(port, "/cluster-map?dataset=params-3y&industry=C&year=1990&lang=en")
    ok(st == 200 and "has no data for 1990" in text,
       "/cluster-map?year=1990: a year the dataset lacks (another dataset's, kept by the form): a notice", st)
    st, msg = api_error(port, "/api/v1/cluster-map?dataset=params-3y&industry=C&year=2021")
    ok(st == 200, "year=2021 itself is read", (st, msg))


def test_openapi_format(port):
    """The API's CSV download takes format=geojson (the map's layer, as the page's "GIS layer"
    link): the OpenAPI document offers it among format's values and says what it answers.  The
    .xlsx address serves a workbook only: format=csv or geojson there is a 400 saying that the
    path and the format disagree (a client saving the body under the address's name would
    store a broken workbook), as docs/MAPPING.md says."""
    st, h, text = get(port, "/api/v1/openapi.json")
    doc = json.loads(text) if st == 200 else {}
    path = "/api/v1/cluster-map.csv"
    op = doc.get("paths", {}).get(path, {}).get("get", {})
    fmt = [x for x in op.get("parameters", []) if x.get("name") == "format"]
    enum = fmt[0].get("schema", {}).get("enum", []) if fmt else []
    ok(sorted(enum) == ["csv", "geojson", "xlsx"], "openapi %s: format is csv, xlsx or geojson" % path, enum)
    ok("application/geo+json" in op.get("responses", {}).get("200", {}).get("content", {}),
       "openapi %s: a 200 can be application/geo+json" % path, op.get("responses"))
    xop = doc.get("paths", {}).get("/api/v1/cluster-map.xlsx", {}).get("get", {})
    xfmt = [x for x in xop.get("parameters", []) if x.get("name") == "format"]
    ok(xfmt and xfmt[0].get("schema", {}).get("enum") == ["xlsx"] and
       list(xop.get("responses", {}).get("200", {}).get("content", {})) ==
       ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
       "openapi /api/v1/cluster-map.xlsx: format xlsx only, a 200 is a workbook only", xop.get("responses"))
    st, h, body = kt.request(port, "GET", path + "?dataset=params-3y&industry=C&format=geojson")
    ok(st == 200 and h.get("content-type", "").startswith("application/geo+json") and
       json.loads(body.decode("utf-8")).get("type") == "FeatureCollection",
       "%s?format=geojson: what the document says, a FeatureCollection" % path, (st, body[:200]))
    for q in ("csv", "geojson"):
        st, msg = api_error(port, "/api/v1/cluster-map.xlsx?dataset=params-3y&industry=C&format=" + q)
        ok(st == 400 and msg and msg.startswith("format: '%s' contradicts the path's .xlsx" % q),
           "/api/v1/cluster-map.xlsx?format=%s: a 400 saying the path and the format disagree" % q, (st, msg))
    for path in ("/api/v1/cluster-map.csv", "/api/v1/cluster-map.xlsx"):
        st, msg = api_error(port, path + "?dataset=params-3y&format=geojson&region=02")
        ok(st == 400 and msg and "geojson" in msg, "%s?format=geojson&region=…: a 400" % path, (st, msg))
        for q in ("zz", "json"):
            st, msg = api_error(port, path + "?dataset=params-3y&format=" + q)
            ok(st == 400 and msg == "format: '%s' is not one of csv, xlsx, geojson" % q,
               "%s?format=%s: a 400 quoting it and offering the three" % (path, q), (st, msg))


def test_polish_quotes(port):
    """Polish messages quote what the client wrote „so”, as the rest of the Polish pages do;
    the English ones 'so'."""
    for path, pl, en, status in (
            ("/cluster-map?dataset=zz", "Nie ma zbioru danych „zz”.", "There is no dataset 'zz'.", 404),
            ("/cluster-map?dataset=params-3y&indicator=zzz", "„zzz” to żaden ze wskaźników: iloraz",
             "'zzz' is none of the indicators: location quotient", 400),
            ("/cluster-map.csv?dataset=params-3y&indicator=zzz", "indicator: „zzz” to żaden z: lq",
             "indicator: 'zzz' is not one of lq", 400),
            ("/cluster-map.csv?dataset=params-3y&region=zz", "region: „zz” nie występuje w zbiorze",
             "region: 'zz' is not in dataset", 400),
            ("/cluster-map.csv?dataset=params-3y&format=%3Cb%3E", "format: „<b>” to żaden z: csv, xlsx, geojson",
             "format: '<b>' is not one of csv, xlsx, geojson", 400),
            ("/cluster-map/points.csv?min_samples=-1", "min_samples: „-1” to nie liczba całkowita",
             "min_samples: '-1' is not a whole number", 400),
            ("/cluster-map/points?min_samples=-1", "„-1” to nie liczba całkowita",
             "'-1' is not a whole number", 400),
            ("/cluster-map?dataset=params-3y&base=zz", "„zz” to nie „wszystkie branże” ani",
             "'zz' is neither 'all industries' nor", 400),
            ("/cluster-map.csv?dataset=params-3y&base=zz", "base: „zz” to nie all ani traded",
             "base: 'zz' is not one of all, traded", 400),
            ("/cluster-map/points?dataset=zz", "Nie ma listy firm „zz”.", "There is no firm list 'zz'.", 404)):
        for lang, want in (("pl", pl), ("en", en)):
            st, h, text = get(port, path + ("&" if "?" in path else "?") + "lang=" + lang, lang)
            ok(st == status and want in kt.text_of(text) and "„<b>”" not in text and "'<b>'" not in text,
               "%s (%s): %d quoting the value as %s does" % (path, lang, status, "Polish" if lang == "pl" else "English"),
               (st, kt.text_of(text)[:300]))


def make_firms():
    path = os.path.join(kt.WORK, "params-firms.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon\n")
        for i in range(40):
            f.write("F%d,Firma %d,%.4f,%.4f\n" % (i, i, 50.0 + (i % 8) * 0.3, 19.0 + (i // 8) * 0.4))
    return path


def make_ties():
    """Four regions of one structure written to one decimal place: every LQ is 1 in decimal
    arithmetic, some computed as 0.9999999999999998 (docs/MAPPING.md, ties in the rules)."""
    path = os.path.join(kt.WORK, "params-ties.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n02,x,0.1\n02,y,0.2\n04,x,0.3\n04,y,0.6\n"
                "06,x,0.2\n06,y,0.4\n08,x,0.7\n08,y,1.4\n")
    return path


def make_ties3():
    """Three regions of one structure of three industries written to one decimal place: every LQ
    is 1 in decimal arithmetic, x's computed as 0.9999999999999998 and y's and z's as 1."""
    path = os.path.join(kt.WORK, "params-ties3.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n")
        for reg, vals in (("02", (0.6, 0.4, 1.0)), ("04", (2.4, 1.6, 4.0)), ("06", (2.4, 1.6, 4.0))):
            for ind, v in zip("xyz", vals):
                f.write("%s,%s,%.1f\n" % (reg, ind, v))
    return path


def make_ties_chain():
    """R1's three LQs differ by less than the rules' tie from one to the next, but its greatest and
    least by more: a chain of ties that ranks them as one."""
    path = os.path.join(kt.WORK, "params-chain.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\nR1,x,1000000\nR1,y,1000000\nR1,z,1000000\n"
                "R2,x,10000000000006\nR2,y,10000000000012\nR2,z,10000000000000\n")
    return path


def test_tied_profile_order(port):
    """A region's industries whose LQs are one under the rules' tie are listed in the dataset's
    order (x, y, z), as they share a rank, not by the last bit of their floats (y, z, x)."""
    for reg in ("02", "04", "06"):
        st, h, text = get(port, "/api/v1/cluster-map/region?dataset=params-ties3&region=" + reg)
        js = json.loads(text) if st == 200 else {}
        got = [(x.get("industry"), x.get("rank")) for x in js.get("industries", [])]
        ok(st == 200 and got == [("x", 1), ("y", 1), ("z", 1)],
           "region %s's profile: LQs of 1 ranked 1 and listed in the dataset's order" % reg, (st, got))
        st, h, text = get(port, "/cluster-map/region?dataset=params-ties3&region=%s&lang=en" % reg)
        body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
        order = re.findall(r"industry=([xyz])\b", body.group(1)) if body else []
        order = [c for i, c in enumerate(order) if c not in order[:i]]
        ok(st == 200 and order == ["x", "y", "z"], "  its page lists them in that order", (st, order))
    # a chain of ties: the ranks are given with the order, never one restarted by two neighbours
    # the chain did not compare (the highest LQ ranked 3 below two LQs of rank 1)
    st, h, text = get(port, "/api/v1/cluster-map/region?dataset=params-chain&region=R1")
    js = json.loads(text) if st == 200 else {}
    got = [(x.get("industry"), x.get("rank")) for x in js.get("industries", [])]
    ok(st == 200 and [r_ for _, r_ in got] == [1, 1, 1],
       "a chain of tied LQs: one rank for all three in the API", (st, got))
    st, h, text = get(port, "/cluster-map/region?dataset=params-chain&region=R1&lang=en")
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
    cells = re.findall(r'<tr><td class="num">(\d+)</td>', body.group(1)) if body else []
    ok(st == 200 and cells == ["1", "1", "1"], "  and on its page", (st, cells))


def test_tied_ranks(port):
    """Values equal under the rules' tie (10^-12, relative) share a rank, as equal values do: an
    LQ of 1 everywhere ranks every region 1 in the API and on the page, and every industry 1 in
    a region's profile — not 1, 1, 3, 3 by the last bit of a float."""
    st, h, text = get(port, "/api/v1/cluster-map?dataset=params-ties&industry=x")
    js = json.loads(text) if st == 200 else {}
    ranks = [x.get("rank") for x in js.get("regions", [])]
    ok(st == 200 and ranks == [1, 1, 1, 1], "API: an LQ of 1 everywhere ranks every region 1", (st, ranks))
    st, h, text = get(port, "/cluster-map?dataset=params-ties&industry=x&lang=en")
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
    cells = re.findall(r'<tr><td class="num">(\d+)</td>', body.group(1)) if body else []
    ok(st == 200 and cells == ["1", "1", "1", "1"], "page: the ranked table ranks every region 1", (st, cells))
    # tied values are ordered by what follows them (the LQ's rank, then the dataset's order), not
    # by the last bit of their floats; by employment the regions differ and follow it
    for sort, want in (("value", ["02", "04", "06", "08"]), ("lq", ["02", "04", "06", "08"]),
                       ("employment", ["08", "04", "06", "02"])):
        st, h, text = get(port, "/cluster-map?dataset=params-ties&industry=x&lang=en&sort=" + sort)
        body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
        order = re.findall(r"region=(\d\d)", body.group(1)) if body else []
        order = [c for i, c in enumerate(order) if c not in order[:i]]
        ok(st == 200 and order == want, "page, sort=%s: tied regions in the dataset's order" % sort, (st, order))
    for reg in ("02", "04", "06", "08"):
        st, h, text = get(port, "/api/v1/cluster-map/region?dataset=params-ties&region=" + reg)
        js = json.loads(text) if st == 200 else {}
        ranks = [x.get("rank") for x in js.get("industries", [])]
        ok(st == 200 and ranks == [1, 1], "region %s's profile: both industries ranked 1" % reg, (st, ranks))
        st, h, text = get(port, "/cluster-map/region?dataset=params-ties&region=%s&lang=en" % reg)
        body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
        cells = re.findall(r'<tr><td class="num">(\d+)</td>', body.group(1)) if body else []
        ok(st == 200 and cells == ["1", "1"], "region %s's profile page: both industries ranked 1" % reg, (st, cells))


def test_tied_legend(port):
    """An LQ of 1 everywhere, some computed as 0.9999999999999998, is one class named 1 — on the
    page's map and in the picture (docs/MAPPING.md: values that all fall in one class) — not
    "≤ 1" and "> 1" in two colours."""
    for lang in ("en", "pl"):
        st, h, text = get(port, "/cluster-map?dataset=params-ties&industry=x&lang=" + lang, lang)
        legend = re.findall(r"<text[^>]*>([^<]*)</text>", text)
        fills = set(re.findall(r'data-code="\d+" fill="(#[0-9a-f]+)"', text)) - {"#f7f7f7"}
        ok(st == 200 and legend[-1:] == ["1"] and not any("≤" in x or "&gt;" in x for x in legend) and
           len(fills) == 1, "page (%s): one class named 1, one colour" % lang, (st, legend, fills))
        st, h, text = get(port, "/cluster-map.svg?dataset=params-ties&industry=x&lang=" + lang, lang)
        words = [w for w in re.findall(r"<text[^>]*>([^<]*)</text>", text)]
        ok(st == 200 and "1" in words and not any(w.startswith("≤") or w.startswith("&gt;") for w in words),
           "picture (%s): one class named 1" % lang, (st, words))


def test_lang_switch_keeps_grid(port):
    """The language switch leads back to the page shown: on the firm points' page that includes
    the grid of the hot spots (grid=eu), not only the cell and the band."""
    for lang, other in (("en", "pl"), ("pl", "en")):
        st, h, text = get(port, "/cluster-map/points?dataset=params-firms&cell_km=20&grid=eu&lang=" + lang, lang)
        m = re.search(r'class="lang" href="/lang\?set=%s&amp;back=([^"]*)"' % other, text)
        back = urllib.parse.unquote(m.group(1)) if m else ""
        ok(st == 200 and "grid=eu" in back and "cell_km=20" in back,
           "points page (%s): the language switch keeps grid=eu" % lang, (st, back))


def test_error_links_keep_lang(port):
    """An error page of the cluster map asked for in English by its address (?lang=en, a Polish
    browser, no cookie) leads back to the cluster map and the home page in English: its links
    keep lang=en, as the pages' own links do; without lang= they stay plain."""
    html_links = lambda t: re.findall(r'<a href="([^"]*)">', (t or "").split('class="error"', 1)[-1])
    for path, st_want, back in (
            ("/cluster-map?dataset=no-such", 404, "/cluster-map"),
            ("/cluster-map.png?dataset=params-3y&classes=0", 400, "/cluster-map"),
            ("/cluster-map.csv?dataset=params-3y&year=abc", 400, "/cluster-map"),
            ("/cluster-map/region?dataset=no-such", 404, "/cluster-map"),
            ("/cluster-map/points.csv?dataset=params-firms&eps_km=0", 400, "/cluster-map/points")):
        st, h, text = get(port, path + "&lang=en", "pl")
        links = html_links(text)
        ok(st == st_want and 'role="alert"' in text and '<html lang="en">' in text and
           links[:2] == [back + "?lang=en", "/?lang=en"],
           "%s&lang=en: %d, its links back keep lang=en" % (path, st_want), (st, links[:2]))
        st, h, text = get(port, path, "pl")
        links = html_links(text)
        ok(st == st_want and links[:2] == [back, "/"], "%s: its links back are plain" % path, (st, links[:2]))


def test_band_refused_form(port):
    """A band the cluster map's form refuses (band_km=abc, 0, 1,000) answers 400 with the page
    itself: the form keeps every choice and the band as written, the alert above it names the
    field by its label ("Hot spots: band (km)"), linked to it (marked aria-invalid), and the map
    and table are there without hot spots; the API's 400 still names band_km."""
    for lang, label in (("en", "Hot spots: band (km)"), ("pl", "Gorące punkty: pasmo (km)")):
        for band in ("abc", "0", "1,000", "-5", "nan"):
            path = "/cluster-map?dataset=params-3y&industry=G&indicator=employment&band_km=%s&lang=%s" % (
                urllib.parse.quote(band), lang)
            st, h, text = get(port, path, lang)
            alert = re.search(r'<p class="error" role="alert">(.*?)</p>', text, re.S)
            forms = [f for f in kt.Forms(text).forms if f["action"] == "/cluster-map"]
            fields = forms[0]["fields"] if forms else {}
            band_in = re.search(r'<input id="f-band_km"[^>]*>', text)
            ok(st == 400 and alert and alert.group(1).startswith('<a href="#f-band_km">%s</a>: ' % label) and
               band_in and 'aria-invalid="true"' in band_in.group(0),
               "%s: 400, the alert names the band by its label, linked to it" % path, (st, alert and alert.group(1)))
            ok(fields.get("band_km") == band and fields.get("dataset") == "params-3y" and fields.get("industry") == "G"
               and fields.get("indicator") == "employment" and fields.get("lang") == lang,
               "  the form keeps every choice and the band as written", fields)
            ok('<svg class="map"' in text and 'class="results"' in text and "z (Gi*)" not in text,
               "  the map and the table, without hot spots", None)
    st, msg = api_error(port, "/api/v1/cluster-map?dataset=params-3y&industry=G&band_km=abc")
    ok(st == 400 and msg and msg.startswith("band_km: 'abc'"), "the API's 400 still names band_km", (st, msg))


def test_choice_refused_form(port):
    """An indicator or an LQ base the form does not offer, typed into the address, answers 400 with
    the page itself, as a band does: the alert names each by its label and lists the form's
    choices by their labels in the page's language (not the codes), linked to its list (marked
    aria-invalid); the map shows the LQ of all industries; the API's 400 still lists the codes."""
    for lang, ind_label, base_label, lq in (("en", "Indicator", "LQ base", "location quotient (LQ)"),
                                             ("pl", "Wskaźnik", "Baza LQ", "iloraz lokalizacji (LQ)")):
        path = "/cluster-map?dataset=params-3y&industry=G&indicator=zz&base=xx&band_km=abc&lang=%s" % lang
        st, h, text = get(port, path, lang)
        alert = re.search(r'<div class="error" role="alert">(.*?)</div>|<p class="error" role="alert">(.*?)</p>',
                          text, re.S)
        body = alert and (alert.group(1) or alert.group(2)) or ""
        sel = re.search(r'<select id="f-indicator"[^>]*>', text)
        ok(st == 400 and ('<a href="#f-indicator">%s</a>: ' % ind_label) in body and
           ('<a href="#f-base">%s</a>: ' % base_label) in body and '<a href="#f-band_km">' in body and
           lq in body and "share_of_region" not in body and sel and 'aria-invalid="true"' in sel.group(0),
           "%s: 400, the indicator, the base and the band named by their labels, the choices by theirs" % path,
           (st, body[:400]))
        forms = [f for f in kt.Forms(text).forms if f["action"] == "/cluster-map"]
        fields = forms[0]["fields"] if forms else {}
        ok(fields.get("dataset") == "params-3y" and fields.get("industry") == "G" and fields.get("indicator") == "lq"
           and '<svg class="map"' in text, "  the page with its form and the map of the LQ", fields)
    st, msg = api_error(port, "/api/v1/cluster-map?dataset=params-3y&industry=G&indicator=zz")
    ok(st == 400 and msg and msg.startswith("indicator: 'zz' is not one of lq, employment"),
       "the API's 400 still lists the indicators' codes", (st, msg))


def alert_of(text):
    """The error alert of a page (one problem or a list of them), "" when there is none."""
    m = re.search(r'<div class="error" role="alert">(.*?)</div>|<p class="error" role="alert">(.*?)</p>', text or "", re.S)
    return m and (m.group(1) or m.group(2)) or ""


def test_from_not_before(port):
    """A change whose first year is not before the year chosen keeps the year chosen (the change
    from the dataset's first year to it); only when the year chosen is the first does the change
    end with the last year."""
    for q, notice, shown in (("from=2023&year=2021", "2023 is not before 2021: the change from 2019 to 2021 is shown.",
                              "2021"),
                             ("from=2021&year=2021", "2021 is not before 2021: the change from 2019 to 2021 is shown.",
                              "2021"),
                             ("from=2021&year=2019", "2021 is not before 2019: the change from 2019 to 2023 is shown.",
                              "2023")):
        path = "/cluster-map?dataset=params-3y&industry=C&indicator=growth&lang=en&" + q
        st, h, text = get(port, path)
        forms = [f for f in kt.Forms(text).forms if f["action"] == "/cluster-map"]
        ok(st == 200 and notice in text and forms and forms[0]["fields"].get("year") == shown and
           forms[0]["fields"].get("from") == "2019",
           "%s: %s" % (q, notice), (st, forms and forms[0]["fields"].get("year"), re.findall(r'notice[^>]*>([^<]*)', text)))


def test_round_trip(port):
    """The choices of the map (industry, a change's indicator and first year) go with its links to a
    region's profile and the related industries, and come back from there: the profile's tabs and
    its industries link to the same change."""
    st, h, text = get(port, "/cluster-map?dataset=params-3y&industry=G&indicator=growth&from=2019&year=2023&lang=en")
    prof = re.search(r'href="(/cluster-map/region\?[^"]*region=04[^"]*)"', text)
    rel = re.search(r'href="(/cluster-map/related\?[^"]*)"', text)
    want = ("industry=G", "from=2019", "year=2023", "indicator=growth")
    ok(st == 200 and prof and all(w in html.unescape(prof.group(1)) for w in want),
       "the map links a region's profile with its industry, change and years", prof and prof.group(1))
    ok(rel and "industry=G" in html.unescape(rel.group(1)), "and the related industries' tab with its industry",
       rel and rel.group(1))
    if prof:
        st, h, text = get(port, html.unescape(prof.group(1)))
        back = re.search(r'href="(/cluster-map\?[^"]*)"[^>]*>(?:Regions and industries|Map)', text)
        tab = [html.unescape(u) for u in re.findall(r'href="(/cluster-map\?dataset=[^"]*)"', text)]
        ok(st == 200 and tab and all(w in tab[0] for w in want),
           "the profile's map tab comes back to the same change of the same industry", tab[:2])
        inds = [u for u in tab if "industry=C" in u]
        ok(inds and all("from=2019" in u and "indicator=growth" in u for u in inds),
           "  and its industries link to their change over the same years", inds[:2])


def make_blank():
    data = os.path.join(kt.WORK, "params-blank.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment,region_name\n")
        for y in (2019, 2023):
            for n, (reg, name) in enumerate((("02", "dolnośląskie"), ("04", "kujawsko-pomorskie"), ("06", "lubelskie"))):
                c = "" if (reg, y) == ("04", 2023) else str(100 + 10 * n + y % 10)
                f.write("%s,C,%d,%s,%s\n%s,G,%d,%d,%s\n" % (reg, y, c, name, reg, y, 50 + n, name))
    return data


def test_change_rates_shown(port):
    """The page of a change gives the rates a region's growth is judged against: the whole
    economy's and the industry's, as the API's national_growth and industry_growth."""
    q = "dataset=params-3y&industry=G&indicator=growth&from=2019&year=2023"
    st, h, js = kt.request(port, "GET", "/api/v1/cluster-map?" + q)
    js = json.loads(js)
    for lang, words, fmt in (("en", "Employment growth 2019–2023: the whole economy %s, industry G %s.", "%+.2f%%"),
                             ("pl", "Dynamika zatrudnienia 2019–2023: w całej gospodarce %s, w branży G %s.",
                              "%+.2f\u00a0%%")):
        def pct(v):
            t = fmt % (v * 100)
            return t.replace(".", ",") if lang == "pl" else t
        want = words % (pct(js["national_growth"]), pct(js["industry_growth"]))
        st, h, text = get(port, "/cluster-map?%s&lang=%s" % (q, lang), lang)
        ok(st == 200 and want in html.unescape(text), "%s: %s" % (lang, want),
           re.findall(r'class="change-rates">([^<]*)', text))


def test_blank_cells_said(port):
    """The map of an industry says which regions have no value (confidential or missing) and what
    that does, in the page's language, for a year and for a change."""
    for lang, q, want in (
            ("en", "industry=C&year=2023", "Regions without a value of industry C in 2023 (confidential or missing): "
                                           "kujawsko-pomorskie (04). They are drawn without data and count as 0"),
            ("pl", "industry=C&year=2023", "Regiony bez wartości branży C w 2023 (poufne lub brakujące): "
                                           "kujawsko-pomorskie (04). Na mapie są bez danych"),
            ("en", "industry=C&indicator=growth&from=2019&year=2023",
             "Regions without a value of industry C in 2019 or 2023 (confidential or missing): kujawsko-pomorskie "
             "(04). They are drawn without data, and the industry's growth is computed without them.")):
        st, h, text = get(port, "/cluster-map?dataset=params-blank&lang=%s&%s" % (lang, q), lang)
        ok(st == 200 and want in html.unescape(text), "%s (%s): the blank cell said" % (q, lang),
           (st, re.findall(r'class="notice"[^>]*>([^<]*)', text)))
    st, h, text = get(port, "/cluster-map?dataset=params-blank&industry=C&year=2019&lang=en")
    ok(st == 200 and "without a value of industry" not in text, "a year without one says nothing", st)


def test_from_any_indicator(port):
    """from= is a year whatever the indicator: a malformed or unknown one is a 400 naming from on
    the API and the downloads (it was taken as absent unless the indicator was a change), and a
    malformed one on the page answers 400 with the page and its form, the year by its label in the
    page's language; year= the same."""
    for route in ("/api/v1/cluster-map", "/api/v1/cluster-map.csv", "/api/v1/cluster-map.xlsx"):
        for ind in ("lq", "stars", "growth"):
            for q, want in (("from=abc", "from: 'abc' is not a year"), ("from=1990", "from: no data for 1990"),
                            ("year=abc", "year: 'abc' is not a year"), ("from=%2B2019", "from: '+2019' is not a year")):
                path = "%s?dataset=params-3y&industry=C&indicator=%s&%s" % (route, ind, q)
                st, msg = api_error(port, path)
                ok(st == 400 and msg and msg.startswith(want), "%s: a 400 naming %s" % (path, q.split("=")[0]),
                   (st, msg))
        st, msg = api_error(port, route + "?dataset=params-3y&industry=C&indicator=lq&from=2019")
        ok(st == 200 and msg is None, "%s?indicator=lq&from=2019: a year of the dataset, still a 200" % route, (st, msg))
    for lang, label, word in (("en", "From year (changes)", "is not a year"), ("pl", "Od roku (zmiany)", "nie jest rokiem")):
        for ind in ("lq", "growth"):
            path = "/cluster-map?dataset=params-3y&industry=G&indicator=%s&from=abc&lang=%s" % (ind, lang)
            st, h, text = get(port, path, lang)
            body = alert_of(text)
            forms = [f for f in kt.Forms(text).forms if f["action"] == "/cluster-map"]
            ok(st == 400 and ('<a href="#f-from">%s</a>: ' % label) in body and word in body and forms and
               forms[0]["fields"].get("indicator") == ind and '<svg class="map"' in text,
               "%s: 400, the page and its form, from named by its label" % path, (st, body[:300]))
        path = "/cluster-map?dataset=params-3y&industry=G&year=20x1&lang=" + lang
        st, h, text = get(port, path, lang)
        body = alert_of(text)
        ok(st == 400 and ('<a href="#f-year">%s</a>: ' % ("Year" if lang == "en" else "Rok")) in body and
           word in body and '<select id="f-year" name="year" aria-invalid="true">' in text,
           "%s: 400, the page and its form, the year named by its label" % path, (st, body[:300]))


NOT_TEXT = (("%C5", "not UTF-8 text"), ("%09", "control character (U+0009)"), ("a%1Bb", "control character (U+001B)"))


def test_profile_refused_choices(port):
    """The region profile refuses a year, base or earlier year that is not one as the map's page does:
    a 400 with the page itself, each problem above the form by its label in the page's language, the
    profile of the rest (the latest year, base all, no comparison); the API a 400 naming the
    parameter.  An earlier year written as one that the dataset lacks stays a notice (200)."""
    base = "/cluster-map/region?dataset=params-3y&region=04"
    for lang, labels in (("en", {"from": "Compare with year", "year": "Year", "base": "LQ base"}),
                         ("pl", {"from": "Porównaj z rokiem", "year": "Rok", "base": "Baza LQ"})):
        for q, names in (("&from=abc", ("from",)), ("&from=%2B2019", ("from",)), ("&year=abc", ("year",)),
                         ("&base=zz", ("base",)), ("&year=20x&from=x19", ("year", "from"))):
            st, h, text = get(port, base + q + "&lang=" + lang, lang)
            body = alert_of(text)
            ok(st == 400 and all(('<a href="#f-%s">%s</a>: ' % (n, labels[n])) in body for n in names) and
               '<select id="f-region" name="region"' in text and "<table" in text,
               "%s%s (%s): 400, the profile and its form, %s named by label" % (base, q, lang, " and ".join(names)),
               (st, body[:300]))
    st, msg = api_error(port, "/api/v1/cluster-map/region?dataset=params-3y&region=04&from=abc")
    ok(st == 400 and msg == "from: 'abc' is not a year (a whole number)", "API: from=abc is a 400 naming from", (st, msg))
    st, h, text = get(port, base + "&from=2011")
    ok(st == 200 and "The dataset has no year 2011: no comparison." in text and not alert_of(text),
       "an earlier year the dataset lacks: the profile with a notice, 200", st)


def test_refused_fields_linked(port):
    """A choice refused on a dataset that leaves nothing to choose (one period, no traded flags):
    the alert's link to the field lands on a field drawn for it, on the map, the region profile and
    the related industries."""
    for path in ("/cluster-map?dataset=params-ties&year=abc", "/cluster-map?dataset=params-ties&from=abc",
                 "/cluster-map?dataset=params-ties&base=zz",
                 "/cluster-map/region?dataset=params-ties&region=02&year=abc",
                 "/cluster-map/region?dataset=params-ties&region=02&from=abc",
                 "/cluster-map/region?dataset=params-ties&region=02&base=zz",
                 "/cluster-map/related?dataset=params-ties&year=abc"):
        for lang in ("pl", "en"):
            st, h, text = get(port, path + "&lang=" + lang, lang)
            targets = re.findall(r'<a href="#(f-[a-z_]+)">', alert_of(text))
            ok(st == 400 and targets and all(('id="%s"' % t) in text for t in targets),
               "%s (%s): 400, each field the alert links to is on the page" % (path, lang),
               (st, targets, [t for t in targets if ('id="%s"' % t) not in text]))


def test_not_text(port):
    """A value that is not UTF-8 or holds a control character is a 400 naming its parameter on every
    route of the cluster map and the firm points (dataset=%C5 was a 404 of a dataset '\ufffd', and
    feature=%C5 was ignored), and on the pages a 400 with the page and its form, the field named by
    its label in the page's language."""
    api = [("/api/v1/cluster-map?dataset=params-3y&industry=C", p)
           for p in ("dataset", "industry", "indicator", "year", "to", "from", "base", "band_km")]
    api += [("/api/v1/cluster-map.csv?dataset=params-3y", p)
            for p in ("dataset", "industry", "indicator", "year", "from", "base", "band_km", "region", "format")]
    api += [("/api/v1/cluster-map.xlsx?dataset=params-3y", p) for p in ("dataset", "region", "from")]
    api += [("/api/v1/cluster-map/region?dataset=params-3y&region=02", p)
            for p in ("dataset", "region", "feature", "year", "from", "base")]
    api += [("/cluster-map.svg?lang=en&dataset=params-3y&industry=C", p) for p in ("dataset", "classes", "from")]
    api += [("/api/v1/firm-clusters?dataset=params-firms", p)
            for p in ("dataset", "industry", "eps_km", "min_samples")]
    api += [("/api/v1/firm-hotspots?dataset=params-firms", p)
            for p in ("dataset", "industry", "cell_km", "grid", "value", "band_km")]
    for base, p in api:
        for value, why in NOT_TEXT:
            path = "%s&%s=%s" % (base, p, value) if p not in base else re.sub(p + "=[^&]*", p + "=" + value, base)
            st, h, body = kt.request(port, "GET", path)
            msg = None
            if "/api/" in path:
                try:
                    msg = json.loads(body.decode("utf-8")).get("error", {}).get("message")
                except ValueError:
                    pass
            else:
                msg = body.decode("utf-8", "replace")
            ok(st == 400 and msg and ("%s: the value " % p) in msg and why in msg,
               "%s: a 400 naming %s (%s)" % (path, p, why), (st, (msg or "")[:200]))
    # a parameter given twice: which value was meant cannot be known (the first was read, the
    # other dropped unseen)
    for base, p in api:
        m = re.search(p + "=([^&]*)", base)
        path = "%s&%s=%s" % (base, p, m.group(1)) if m else "%s&%s=1&%s=2" % (base, p, p)
        st, h, body = kt.request(port, "GET", path)
        msg = body.decode("utf-8", "replace")
        if "/api/" in path:
            try:
                msg = json.loads(msg).get("error", {}).get("message")
            except ValueError:
                pass
        ok(st == 400 and msg and ("%s: the parameter is given 2 times in the address: give it once" % p) in msg,
           "%s: a 400 naming %s given twice" % (path, p), (st, (msg or "")[:200]))
    for lang, label, why in (("en", "Industry", "is given 2 times"), ("pl", "Branża", "podano w adresie 2 razy")):
        path = "/cluster-map?dataset=params-3y&industry=C&industry=G&lang=" + lang
        st, h, text = get(port, path, lang)
        body = alert_of(text)
        ok(st == 400 and ("%s</a>: " % label) in body and why in body and '<svg class="map"' in text,
           "%s: 400, the industry refused by its label, the map of the rest" % path, (st, body[:300]))
    for lang, label, why in (("en", "Dataset", "is not UTF-8 text"), ("pl", "Zbiór danych", "nie jest tekstem UTF-8")):
        for path in ("/cluster-map?dataset=%C5&industry=G", "/cluster-map/region?dataset=%C5&region=02"):
            st, h, text = get(port, path + "&lang=" + lang, lang)
            body = alert_of(text)
            ok(st == 400 and ('<a href="#f-dataset">%s</a>: ' % label) in body and why in body and
               '<select id="f-dataset" name="dataset" aria-invalid="true">' in text and "There is no dataset" not in text,
               "%s: 400, the page and its form, the dataset named by its label" % path, (st, body[:300]))
    for lang, labels in (("en", ("Industry", "Indicator", "Year", "Table: voivodeship")),
                         ("pl", ("Branża", "Wskaźnik", "Rok", "Tabela: województwo"))):
        path = "/cluster-map?dataset=params-3y&industry=%%C5&indicator=a%%09&year=%%1B&voiv=%%C5&lang=%s" % lang
        st, h, text = get(port, path, lang)
        body = alert_of(text)
        ok(st == 400 and all(("%s</a>: " % l) in body for l in labels) and '<svg class="map"' in text,
           "%s: 400, every field refused by its label, the map of the rest" % path, (st, body[:500]))
    st, h, text = get(port, "/cluster-map/region?dataset=params-3y&feature=%C5&from=%C5")
    body = alert_of(text)
    ok(st == 400 and "feature: the value is not UTF-8" in body and '<a href="#f-from">Compare with year</a>: ' in body,
       "/cluster-map/region?feature=%C5&from=%C5: 400 with the page, both named", (st, body[:300]))
    for lang, label in (("en", "Firm list"), ("pl", "Lista firm")):
        st, h, text = get(port, "/cluster-map/points?dataset=%C5&lang=" + lang, lang)
        body = alert_of(text)
        ok(st == 400 and ("%s</a>: " % label) in body and "There is no firm list" not in text and
           [f for f in kt.Forms(text).forms if f["action"] == "/cluster-map/points"],
           "/cluster-map/points?dataset=%%C5 (%s): 400, the page and its form, the list named by its label" % lang,
           (st, body[:300]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    a = ap.parse_args()
    db = kt.database(a.backend, "map_params")
    r = kt.cli(db, "import", "stats", make_data(), "--dataset", "params-3y", "--title", "Trzy lata")
    ok(r.returncode == 0, "import stats: a dataset of three years", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", make_blank(), "--dataset", "params-blank")
    ok(r.returncode == 0, "import stats: a blank cell", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", make_ties(), "--dataset", "params-ties")
    ok(r.returncode == 0, "import stats: LQs of 1 in decimals", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", make_ties3(), "--dataset", "params-ties3")
    ok(r.returncode == 0, "import stats: LQs of 1 in decimals, three industries", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", make_ties_chain(), "--dataset", "params-chain")
    ok(r.returncode == 0, "import stats: a chain of tied LQs", r.stdout + r.stderr)
    r = kt.cli(db, "import", "firms", make_firms(), "--dataset", "params-firms")
    ok(r.returncode == 0, "import firms: a small firm list", r.stdout + r.stderr)
    srv = kt.Server(db, "map_params")
    try:
        kt.section(test_to_named, srv.port)
        kt.section(test_choice_refused_form, srv.port)
        kt.section(test_year_digits, srv.port)
        kt.section(test_openapi_format, srv.port)
        kt.section(test_polish_quotes, srv.port)
        kt.section(test_lang_switch_keeps_grid, srv.port)
        kt.section(test_tied_ranks, srv.port)
        kt.section(test_tied_profile_order, srv.port)
        kt.section(test_tied_legend, srv.port)
        kt.section(test_error_links_keep_lang, srv.port)
        kt.section(test_band_refused_form, srv.port)
        kt.section(test_from_any_indicator, srv.port)
        kt.section(test_from_not_before, srv.port)
        kt.section(test_round_trip, srv.port)
        kt.section(test_blank_cells_said, srv.port)
        kt.section(test_change_rates_shown, srv.port)
        kt.section(test_not_text, srv.port)
        kt.section(test_profile_refused_choices, srv.port)
        kt.section(test_refused_fields_linked, srv.port)
    finally:
        srv.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
