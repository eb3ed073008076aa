#!/usr/bin/env python3
"""The firm points' form when the page refuses a choice.

    python3 tests/http/test_points_form.py --backend sqlite|postgres

A grid cell out of range, too fine for the firms' area or too coarse to
split them, and any other refused field, answers 400 with the page itself:
its form as the person filled it, and above it the problem naming the field
by its visible label, linked to the field (marked aria-invalid), with the
cell sizes these firms can take when the range depends on them.  The API
keeps answering a JSON 400 naming the parameter.

A firm list's source and licence (import firms --source, --licence) go
wherever its firms go: the points page, the API's answers, the XLSX notes
and the GeoJSON layers.  TAP output.
"""
import argparse
import html
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import ok  # noqa: E402

CELL_LABEL = {"en": "Hot spots: grid cell in km (empty: none)", "pl": "Gorące punkty: oczko siatki w km (puste: bez)"}


def get(port, path, lang="en"):
    st, h, body = kt.request(port, "GET", path, headers={"Accept-Language": lang})
    return st, h, body.decode("utf-8", "replace")


def api(port, path):
    st, h, text = get(port, path)
    try:
        return st, json.loads(text)
    except ValueError:
        return st, None


def alert(text):
    """The error alert's HTML ("" without one)."""
    m = re.search(r'<p class="error" role="alert">(.*?)</p>', text or "", re.S)
    return m.group(1) if m else ""


def form_of(text):
    forms = [f for f in kt.Forms(text or "").forms if f["action"] == "/cluster-map/points"]
    return forms[0]["fields"] if forms else None


def control(text, field):
    m = re.search(r'<(?:input|select) id="f-%s"[^>]*>' % re.escape(field), text or "")
    return m.group(0) if m else ""


def make_firms():
    """Three lists: firms across Poland (a 1 km grid over them has far more than 40,000 cells),
    firms within a few km of each other (a 200 km cell holds them all), and one firm."""
    lists = {}
    path = os.path.join(kt.WORK, "form-wide.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon,industry\n")
        for i in range(60):
            f.write("W%d,Wide %d,%.4f,%.4f,%s\n" % (i, i, 49.6 + (i % 10) * 0.45, 14.8 + (i // 10) * 1.4,
                                                    "A" if i % 2 else "B"))
    lists["form-wide"] = path
    path = os.path.join(kt.WORK, "form-near.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon\n")
        for i in range(12):
            f.write("N%d,Near %d,%.4f,%.4f\n" % (i, i, 52.20 + (i % 4) * 0.01, 21.00 + (i // 4) * 0.01))
    lists["form-near"] = path
    path = os.path.join(kt.WORK, "form-one.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon\nO1,One,51.1,17.0\n")
    lists["form-one"] = path
    return lists


def test_out_of_range(port):
    """cell_km=0.5 or 500 (the form allows 1 to 200): the page with its form, every choice kept,
    the message naming the field by its label and the range, linked to the field; HTTP 400."""
    for lang in ("en", "pl"):
        for cell in ("0.5", "500", "abc", "-5", "1e2", "nan"):
            path = ("/cluster-map/points?dataset=form-wide&industry=A&eps_km=7.5&min_samples=4&cell_km=%s&grid=degrees"
                    "&lang=%s" % (cell, lang))
            st, h, text = get(port, path, lang)
            fields = form_of(text) or {}
            a = alert(text)
            rng = "from 1 to 200" if lang == "en" else "od 1 do 200"
            ok(st == 400 and "text/html" in h.get("content-type", "") and
               ('<a href="#f-cell_km">%s</a>' % html.escape(CELL_LABEL[lang], quote=True)) in a and rng in html.unescape(a)
               and "cell_km" not in re.sub(r"<[^>]+>", "", a),
               "%s: 400 naming the field by its label and the range, linked to it" % path, (st, a))
            ok(fields.get("cell_km") == cell and fields.get("eps_km") == "7.5" and fields.get("min_samples") == "4" and
               fields.get("dataset") == "form-wide" and fields.get("industry") == "A" and
               fields.get("grid") == "degrees" and fields.get("lang") == lang,
               "  the form is there, filled as the request was", fields)
            ok('aria-invalid="true"' in control(text, "cell_km") and 'aria-invalid' not in control(text, "eps_km"),
               "  the cell field alone is marked invalid", (control(text, "cell_km"), control(text, "eps_km")))
            ok('<label for="f-cell_km">' in text and text.index('role="alert"') < text.index('<form class="filters"'),
               "  the field has its label, and the alert comes before the form", None)
            ok('<svg class="map"' not in text and 'class="results clusters"' not in text,
               "  no map or table for a choice refused", None)
    st, js = api(port, "/api/v1/firm-hotspots?dataset=form-wide&cell_km=500")
    ok(st == 400 and js and js["error"]["message"] == "cell_km: '500' is not a number of kilometres from 1 to 200",
       "API: still a JSON 400 naming cell_km", (st, js))
    # a field left empty shows the default it stood for, not an empty required field
    st, h, text = get(port, "/cluster-map/points?dataset=form-wide&cell_km=0.5&lang=en")
    fields = form_of(text) or {}
    ok(st == 400 and fields.get("eps_km") == "10" and fields.get("min_samples") == "3",
       "the fields not given show their defaults", fields)


def test_grid_too_fine(port):
    """A cell of the allowed range that makes more than 40,000 cells over these firms: the page
    and the API say so and which sizes these firms can take; the smallest of them works and a
    tenth of a km less does not."""
    path = "/cluster-map/points?dataset=form-wide&cell_km=1&lang=en"
    st, h, text = get(port, path)
    a = html.unescape(re.sub(r"<[^>]+>", "", alert(text)))
    m = re.search(r"for these firms from ([\d.]+) to ([\d.]+) km", a)
    ok(st == 400 and '<a href="#f-cell_km">' in alert(text) and a.startswith(CELL_LABEL["en"] + ": more than 40000 cells")
       and m, "%s: 400 on the form saying the sizes that work" % path, (st, a))
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        st1, js1 = api(port, "/api/v1/firm-hotspots?dataset=form-wide&cell_km=%g" % lo)
        st2, js2 = api(port, "/api/v1/firm-hotspots?dataset=form-wide&cell_km=%g" % round(lo - 0.1, 1))
        ok(st1 == 200 and st2 == 400 and hi == 200, "  %g km works, %g km does not, up to 200" % (lo, lo - 0.1),
           (st1, st2, hi))
    st, h, text = get(port, "/cluster-map/points?dataset=form-wide&cell_km=1&lang=pl", "pl")
    a = html.unescape(re.sub(r"<[^>]+>", "", alert(text)))
    ok(st == 400 and a.startswith(CELL_LABEL["pl"] + ": ponad 40000 oczek po 1 km") and
       re.search(r"dla tych firm od \d+(,\d)? do 200 km", a), "  in Polish, with decimal commas", a)
    st, js = api(port, "/api/v1/firm-hotspots?dataset=form-wide&cell_km=1")
    ok(st == 400 and js and js["error"]["message"].startswith("cell_km: more than 40000 cells of 1 km") and
       "for these firms from" in js["error"]["message"], "API: the same, naming cell_km", js)


def test_grid_too_coarse(port):
    """A cell that holds every firm: the sizes that split them, the largest of which works."""
    st, h, text = get(port, "/cluster-map/points?dataset=form-near&cell_km=200&lang=en")
    a = html.unescape(re.sub(r"<[^>]+>", "", alert(text)))
    m = re.search(r"for these firms from ([\d.]+) to ([\d.]+) km", a)
    ok(st == 400 and a.startswith(CELL_LABEL["en"] + ": the firms fit in one cell of 200 km: choose smaller cells") and m
       and (form_of(text) or {}).get("cell_km") == "200", "form-near, 200 km: 400 on the form with the sizes that work",
       (st, a))
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        st1, _ = api(port, "/api/v1/firm-hotspots?dataset=form-near&cell_km=%g" % hi)
        st2, _ = api(port, "/api/v1/firm-hotspots?dataset=form-near&cell_km=%g" % round(hi + 0.1, 1))
        st3, _ = api(port, "/api/v1/firm-hotspots?dataset=form-near&cell_km=%g" % lo)
        ok(st1 == 200 and st2 == 400 and st3 == 200 and lo == 1, "  %g km works, %g km does not; from 1" % (hi, hi + 0.1),
           (st1, st2, st3, lo))
    # one firm: no size splits it, and the message does not send the person to smaller cells
    st, h, text = get(port, "/cluster-map/points?dataset=form-one&cell_km=20&lang=en")
    a = html.unescape(re.sub(r"<[^>]+>", "", alert(text)))
    ok(st == 400 and "in one of any size from 1 km" in a and "choose smaller cells" not in a,
       "one firm: no cell size splits it, said so", (st, a))


def test_other_fields(port):
    """Every field of the form refused the same way: by its label, linked to it."""
    for q, field, label in (("eps_km=0", "eps_km", "Radius eps (km)"),
                            ("min_samples=0", "min_samples", "Fewest firms within it (min_samples)"),
                            ("grid=utm", "grid", "Grid"),
                            ("industry=ZZ", "industry", "Industry")):
        st, h, text = get(port, "/cluster-map/points?dataset=form-wide&lang=en&" + q)
        ok(st == 400 and ('<a href="#f-%s">%s</a>: ' % (field, html.escape(label))) in alert(text) and
           'aria-invalid="true"' in control(text, field) and form_of(text) is not None,
           "%s: 400 on the form naming %s by its label" % (q, field), (st, alert(text)))
    # a list without stored values has no value field: its message is not a link to nowhere
    st, h, text = get(port, "/cluster-map/points?dataset=form-near&value=nope&lang=en")
    ok(st == 400 and "value" in alert(text) and "#f-value" not in alert(text) and 'id="f-value"' not in text,
       "value on a list without values: said, with no link to a missing field", (st, alert(text)))


def test_attribution(db, port):
    """The source and licence of a firm list next to each other on its page, and in every answer
    and download of its firms."""
    src, lic = "EU Transaction Log via cedricr/eutl", "CC BY 4.0 & <attribution>"
    path = os.path.join(kt.WORK, "form-licensed.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon,emissions\n")
        for i in range(12):
            f.write("L%d,Licensed %d,%.4f,%.4f,%d\n" % (i, i, 52.20 + (i % 4) * 0.01, 21.00 + (i // 4) * 0.01, 10 + i))
    r = kt.cli(db, "import", "firms", path, "--dataset", "form-licensed", "--title", "Z licencją", "--source", src,
               "--licence", lic, "--value", "emissions")
    ok(r.returncode == 0, "import firms --source --licence", r.stdout + r.stderr)
    q = "dataset=form-licensed&eps_km=5&min_samples=3"
    for lang, label, word in (("en", "Source:", "Licence:"), ("pl", "Źródło:", "Licencja:")):
        st, h, text = get(port, "/cluster-map/points?%s&lang=%s" % (q, lang), lang)
        ok(st == 200 and ('<span class="source">%s %s</span> · <span class="licence">%s %s</span>' %
                          (label, html.escape(src, quote=False), word, html.escape(lic, quote=False))) in text,
           "the points page (%s): the source and the licence, each labelled, escaped" % lang,
           (st, re.findall(r'<p class="muted dataset-source">.*?</p>', text or "")))
    st, js = api(port, "/api/v1/firm-datasets")
    items = {x["name"]: x for x in (js or {}).get("items", [])}
    answers = [("/api/v1/firm-datasets", items.get("form-licensed", {}))]
    for path in ("/api/v1/firm-clusters?" + q, "/api/v1/firm-hotspots?dataset=form-licensed&value=emissions&band_km=5",
                 "/api/v1/firm-hotspots?dataset=form-licensed&cell_km=5"):
        st, js = api(port, path)
        answers.append((path, js if st == 200 and js else {}))
    for path, js in answers:
        ok(js.get("source") == src and js.get("licence") == lic, "%s: the source and the licence" % path,
           {k: js.get(k) for k in ("source", "licence")})
    ok(items.get("form-one", {}).get("licence") == "", "  a list without a licence: \"\"", items.get("form-one"))
    for path in ("/cluster-map/points.csv?" + q, "/cluster-map/hotspots.csv?dataset=form-licensed&value=emissions&band_km=5",
                 "/cluster-map/hotspots.csv?dataset=form-licensed&cell_km=5"):
        st, h, body = kt.request(port, "GET", path + "&format=geojson")
        try:
            gj = json.loads(body) if st == 200 else {}
        except ValueError:
            gj = {}
        ok(gj.get("type") == "FeatureCollection" and gj.get("dataset") == "form-licensed" and
           gj.get("title") == "Z licencją" and gj.get("source") == src and gj.get("licence") == lic and gj.get("features"),
           "%s&format=geojson: the list, its title, source and licence as members of the collection" % path,
           (st, body[:200]))
        for lang, want in (("en", ["Firm list: Z licencją (form-licensed)", "Source: " + src, "Licence: " + lic]),
                           ("pl", ["Lista firm: Z licencją (form-licensed)", "Źródło: " + src, "Licencja: " + lic])):
            st, h, body = kt.request(port, "GET", path + "&format=xlsx&lang=" + lang)
            notes = kt.xlsx_sheet_texts(body, 2) if st == 200 else None
            ok(notes == want, "  &format=xlsx (%s): a second sheet with the list, its source and licence" % lang, notes)


def test_links_answer(port):
    """Every download and JSON link of the page answers 200 with the page's choice: each of the API's
    links carries only the parameters its operation takes (it refuses any other)."""
    base = "/cluster-map/points?dataset=form-licensed&eps_km=5&min_samples=3&lang=en"
    for extra in ("", "&value=emissions&band_km=3", "&cell_km=1", "&industry=&value=emissions"):
        st, h, text = get(port, base + extra)
        links = sorted(set(html.unescape(u) for u in re.findall(r'href="(/(?:api/v1/|cluster-map/(?:points|hotspots)'
                                                                  r'\.csv)[^"]*)"', text)))
        ok(st == 200 and any(u.startswith("/api/v1/firm-clusters") for u in links) and
           (not extra or any(u.startswith("/api/v1/firm-hotspots") for u in links)),
           "points%s: the page links its JSON" % (extra or " (clusters only)"), links)
        for u in links:
            st, h, body = kt.request(port, "GET", u)
            ok(st == 200, "  %s: 200" % u, (st, body[:200]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    a = ap.parse_args()
    db = kt.database(a.backend, "points_form")
    for name, path in make_firms().items():
        extra = ["--industry-column", "industry"] if name == "form-wide" else []
        r = kt.cli(db, "import", "firms", path, "--dataset", name, *extra)
        ok(r.returncode == 0, "import firms: %s" % name, r.stdout + r.stderr)
    srv = kt.Server(db, "points_form")
    try:
        kt.section(test_out_of_range, srv.port)
        kt.section(test_grid_too_fine, srv.port)
        kt.section(test_grid_too_coarse, srv.port)
        kt.section(test_other_fields, srv.port)
        kt.section(test_attribution, db, srv.port)
        kt.section(test_links_answer, srv.port)
    finally:
        srv.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
