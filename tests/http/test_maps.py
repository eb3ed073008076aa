#!/usr/bin/env python3
"""The cluster map's firm points and its powiat and European choropleths,
against a real server.

    python3 tests/http/test_maps.py --backend sqlite|postgres

Firm points: the EU ETS installations of Poland are stored with `klaster
import firms` (with their verified emissions of 2019 and 2020 as values);
the page, the CSV and the API must give the clusters that `klaster map
spatial` gives on the same file with the same eps and min_samples (label
counts, every firm's label, the CSV byte for byte), the hot spots of an
emission value that `klaster map hotspots` gives on the file, and a bad
eps_km, min_samples, value or band_km is a 400 naming the field.
Choropleths: a powiat dataset (4-digit TERYT codes, generated here with
known employment) is drawn on the 380 powiats with LQs recomputed here; the
Eurostat file across Europe on the NUTS-2 regions, each value checked
against `klaster map indicators` on the file.  A dataset imported with a
reference economy and traded flags gives the downloads of `klaster map
indicators --reference` (and `--base traded`) byte for byte.
"""
import argparse
import csv
import html
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

EUTL = "data/firms/eutl_installations_PL_slim.csv"
EM19, EM20 = "verified_emissions_2019_tco2", "verified_emissions_2020_tco2"
EUROSTAT = "data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"
GUS_POWIATY = "data/stats/gus_regon_2025_10_sole_proprietors_powiat_x_section.csv"
PKD_NAMES = "data/reference/pkd2007_names.csv"
NACE_NAMES = "data/reference/nace_r2_names.csv"
EU_OPTS = ["--skip-invalid", "--region-length", "4", "--industry-length", "3"]
NODATA = "#f7f7f7"


def get(port, path, lang="en"):
    st, h, body = kt.request(port, "GET", path, headers={"Accept-Language": lang})
    return st, h, body.decode("utf-8", "replace")


def get_map(port, path, lang="en"):
    """A cluster-map page with its regions' links to their profiles taken out (the
    table's regexes read the region cells as text)."""
    st, h, text = get(port, path, lang)
    return st, h, re.sub(r'<a href="/cluster-map/region\?[^"]*">(.*?)</a>', r"\1", text)


def get_json(port, path):
    st, h, text = get(port, path)
    try:
        return st, h, json.loads(text)
    except ValueError:
        return st, h, None


def names_field(text, field):
    """1 when a page's error alert names field by its label, linked to the field (#f-FIELD), and the
    form below it marks that field aria-invalid (a refused choice of the firm points)."""
    m = re.search(r'<p class="error" role="alert">(.*?)</p>', text or "", re.S)
    ctl = re.search(r'<(?:input|select) id="f-%s"[^>]*>' % re.escape(field), text or "")
    return bool(m and ('<a href="#f-%s">' % field) in m.group(1) and ctl and 'aria-invalid="true"' in ctl.group(0))


def alert_text(text):
    """The visible text of a page's error alert ("" without one)."""
    m = re.search(r'<p class="error" role="alert">(.*?)</p>', text or "", re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) if m else ""


def svg_of(text):
    m = re.search(r"<svg class=\"map\".*?</svg>", text, re.S)
    return m.group(0) if m else ""


def regions_drawn(svg):
    """data-code → (fill, title text) of every region path of a map."""
    out = {}
    for m in re.finditer(r'<path d="[^"]*" data-code="([^"]*)" fill="([^"]*)"[^>]*><title>([^<]*)</title>', svg):
        out[html.unescape(m.group(1))] = (m.group(2), html.unescape(m.group(3)))
    return out


def cli_spatial(eps_m, k, *extra):
    """`klaster map spatial -o FILE.csv` on the EU ETS file: the file's bytes,
    its rows, the number of clusters and of noise points."""
    out = os.path.join(kt.WORK, "spatial.csv")
    r = kt.cli(None, "map", "spatial", EUTL, "--eps", str(eps_m), "--min-samples", str(k), "-o", out, *extra)
    if r.returncode != 0:
        raise RuntimeError("map spatial: " + r.stderr)
    with open(out, "rb") as f:
        data = f.read()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    labels = [int(x["cluster"]) for x in rows]
    return data, rows, len({l for l in labels if l >= 0}), labels.count(-1)


def summary(text):
    m = re.search(r'class="count summary" data-firms="(\d+)" data-clusters="(\d+)" data-core="(\d+)" data-noise="(\d+)"',
                  text)
    return tuple(int(x) for x in m.groups()) if m else None


# ---------------------------------------------------------------- data made here

def powiat_csv(path, only=None):
    """Employment in three industries for every powiat (or the first `only`),
    from a fixed formula; returns {(region, industry): employment}."""
    with open(os.path.join(kt.ROOT, "data/reference/powiats.geojson"), encoding="utf-8") as f:
        codes = sorted(ft["properties"]["teryt"] for ft in json.load(f)["features"])
    if only:
        codes = codes[:only]
    cells = {}
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,employment\n")
        for n, code in enumerate(codes):
            for j, ind in enumerate(("A01", "C10", "J62")):
                v = 50 + (n * 37 + j * 101) % 900
                cells[(code, ind)] = v
                f.write("%s,%s,%d\n" % (code, ind, v))
    return cells


def lq_of(cells, region, industry):
    e_r = sum(v for (r, _), v in cells.items() if r == region)
    e_i = sum(v for (_, i), v in cells.items() if i == industry)
    e = sum(cells.values())
    return (cells[(region, industry)] / e_r) / (e_i / e)


# ---------------------------------------------------------------- tests

def without_attribution(body):
    """A GeoJSON download without the members the portal adds to its FeatureCollection (the
    dataset or list, its title, source and licence), which the command line's file has not."""
    try:
        js = json.loads(body)
    except ValueError:
        return None
    if not all(k in js for k in ("dataset", "title", "source", "licence")):
        return None
    return re.sub(rb'^\{"type":"FeatureCollection","dataset":.*?,"licence":"(?:[^"\\]|\\.)*",',
                  b'{"type":"FeatureCollection",', body, count=1, flags=re.S)


def test_import(db):
    r = kt.cli(db, "import", "firms", EUTL, "--dataset", "eu-ets-pl", "--title", "EU ETS — Polska",
               "--source", "Źródło: EU Transaction Log (CC BY 4.0)")
    ok(r.returncode == 0 and "1070 located firms stored" in r.stdout and "15 rows without coordinates" in r.stderr,
       "import firms: the EU ETS installations (1070 located, 15 without coordinates)", r.stdout + r.stderr)
    r = kt.cli(db, "import", "firms", EUTL, "--dataset", "eu-ets-pl", "--title", "EU ETS — Polska",
               "--source", "Źródło: EU Transaction Log (CC BY 4.0)", "--value", EM19, "--value", EM20, "--skip-invalid",
               "--industry-name-column", "ets_activity", "--industry-names", "data/reference/eu_ets_activities.csv")
    ok(r.returncode == 0 and "1070 located firms stored" in r.stdout and
       "industry names: 26 industries named" in r.stdout and
       "industry names from data/reference/eu_ets_activities.csv: 26 industries" in r.stdout and
       "value %s: 686 firms with a value, 384 without" % EM19 in r.stdout and
       "value %s: 639 firms with a value, 431 without" % EM20 in r.stdout and
       "15 values that are not numbers of 0 or more stored as missing (first on line 54, column %s)" % EM20 in r.stderr,
       "import firms again replaces the list, now with both emission values ('Not Reported' missing with --skip-invalid)",
       r.stdout + r.stderr)
    test_import_values(db)
    r = kt.cli(db, "import", "firms", EUTL)
    ok(r.returncode == 2 and "--dataset" in r.stderr, "import firms without --dataset: usage error naming it", r.stderr)
    r = kt.cli(db, "import", "firms", EUTL, "--dataset", "EU ETS")
    ok(r.returncode == 2 and "--dataset" in r.stderr, "a bad list name is refused naming --dataset", r.stderr)
    bad = os.path.join(kt.WORK, "bad-firms.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon\nA,Alfa,52.1,21.0\nB,Beta,95.5,21.0\n")
    r = kt.cli(db, "import", "firms", bad, "--dataset", "bad")
    ok(r.returncode == 3 and "bad-firms.csv:3" in r.stderr and "lat" in r.stderr,
       "a latitude outside [-90, 90] stops the import naming the line and the column", r.stderr)
    # a small list across Europe, for the map of Europe
    eu = os.path.join(kt.WORK, "eu-firms.csv")
    pts = [("Paris", 48.85, 2.35), ("Berlin", 52.52, 13.40), ("Madrid", 40.42, -3.70), ("Warszawa", 52.23, 21.01)]
    with open(eu, "w", encoding="utf-8") as f:
        f.write("id,name,industry,lat,lon\n")
        for c, (name, lat, lon) in enumerate(pts):
            for i in range(5):
                f.write("%s-%d,%s %d,X,%.4f,%.4f\n" % (name[:3].upper(), i, name, i, lat + 0.01 * i, lon - 0.01 * i))
    r = kt.cli(db, "import", "firms", eu, "--dataset", "eu-capitals", "--title", "Stolice")
    ok(r.returncode == 0 and "20 located firms" in r.stdout, "import firms: a list across Europe", r.stderr)
    # statistics on powiats and across Europe
    pw = os.path.join(kt.WORK, "powiats.csv")
    cells = powiat_csv(pw)
    r = kt.cli(db, "import", "stats", pw, "--dataset", "powiat-test", "--title", "Powiaty (test)")
    ok(r.returncode == 0 and "380 regions" in r.stdout, "import stats: a dataset of the 380 powiats", r.stdout + r.stderr)
    pw2 = os.path.join(kt.WORK, "powiats-part.csv")
    part = powiat_csv(pw2, only=150)
    r = kt.cli(db, "import", "stats", pw2, "--dataset", "powiat-part", "--title", "Powiaty (150)")
    ok(r.returncode == 0, "import stats: 150 powiats only", r.stderr)
    r = kt.cli(db, "import", "stats", pw2, "--dataset", "powiat-part", "--title", "Powiaty (150)")
    ok(r.returncode == 0 and 'dataset powiat-part: replaced the stored one ("Powiaty (150)")\n' in r.stderr,
       "import stats again: the replacement is said", r.stderr)
    r = kt.cli(db, "import", "stats", pw2, "--dataset", "powiat-part")
    ok(r.returncode == 0 and 'replaced the stored one ("Powiaty (150)"); without --title its title became '
       '"powiat-part"' in r.stderr, "  and without --title, that the title is lost", r.stderr)
    r = kt.cli(db, "import", "stats", pw2, "--dataset", "powiat-part", "--title", "Powiaty (150)")
    # a firm list without a region column, placed by --boundaries as `map indicators` places it
    fl = os.path.join(kt.WORK, "firms-located.csv")
    with open(fl, "w", encoding="utf-8") as f:
        f.write("id,name,industry,lat,lon,employment\n1,A,C10,52.23,21.01,10\n2,B,C10,50.06,19.94,5\n"
                "3,C,C20,52.40,16.92,7\n4,D,C20,54.35,18.65,3\n5,E,C20,52.20,21.05,4\n")
    vo = os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson")
    r = kt.cli(db, "import", "stats", fl, "--dataset", "firms-located", "--format", "firms", "--boundaries", vo)
    ok(r.returncode == 0 and "dataset firms-located: 4 regions x 2 industries x 1 year stored" in r.stdout,
       "import stats --format firms --boundaries: a firm list placed in the voivodeships", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", GUS_POWIATY, "--dataset", "gus-powiaty", "--title", "GUS REGON 10.2025, powiaty",
               "--source", "Źródło: GUS, REGON, październik 2025", "--industry-names", PKD_NAMES)
    ok(r.returncode == 0 and "380 regions x 20 industries" in r.stdout,
       "import stats: the shipped GUS dataset of sole proprietors by powiat", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", GUS_POWIATY, "--dataset", "gus-powiaty-nonames")
    ok(r.returncode == 0, "import stats: the same without a names file", r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", EUROSTAT, *EU_OPTS, "--dataset", "eurostat-eu", "--region-kind", "nuts2013",
               "--title", "Eurostat SBS 2015 (Europe)")
    ok(r.returncode == 0 and "285 regions" in r.stdout and "42 regions left out" in r.stderr,
       "import stats: Eurostat SBS 2015 across Europe (NUTS-2), 42 regions without employment left out",
       r.stdout + r.stderr)
    r = kt.cli(db, "import", "stats", EUROSTAT, *EU_OPTS, "--region-prefix", "PL", "--dataset", "eurostat-pl",
               "--region-kind", "nuts2013", "--title", "Eurostat SBS 2015 (PL)", "--industry-names", NACE_NAMES)
    ok(r.returncode == 0 and "16 regions" in r.stdout, "import stats: Eurostat SBS 2015, Poland only", r.stderr)
    return cells, part


def test_import_values(db):
    """A value that is not a number (or is negative) stops the import with
    its file, line and column, and nothing is stored."""
    r = kt.cli(db, "import", "firms", EUTL, "--dataset", "eu-ets-pl", "--value", EM19, "--value", EM20)
    ok(r.returncode == 3 and 'eutl_installations_PL_slim.csv:54: column %s: "Not Reported" is not a number' % EM20
       in r.stderr and "stored" not in r.stdout,
       "import firms --value without --skip-invalid: 'Not Reported' stops it naming the line and column", r.stderr)
    bad = os.path.join(kt.WORK, "bad-values.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("id,lat,lon,jobs,em\nA,52.1,21.0,10,1.5\nB,52.2,21.1,NA,\nC,52.3,21.2,7,-5\n")
    r = kt.cli(db, "import", "firms", bad, "--dataset", "bad-values", "--value", "jobs", "--value", "em")
    ok(r.returncode == 3 and "bad-values.csv:4: column em: -5 is negative" in r.stderr,
       "a negative value stops the import naming the line and the column", r.stderr)
    r = kt.cli(db, "import", "firms", bad, "--dataset", "bad-values", "--value", "wages")
    ok(r.returncode == 3 and "the column wages is missing" in r.stderr, "a --value column missing from the file", r.stderr)
    r = kt.cli(db, "import", "firms", bad, "--dataset", "bad-values", "--value", "jobs", "--value", "JOBS")
    ok(r.returncode == 2 and "value column 'JOBS' is given twice" in r.stderr, "the same --value twice is a usage error",
       r.stderr)
    r = kt.cli(db, "import", "firms", bad, "--dataset", "bad-values", *sum((["--value", "v%d" % i] for i in range(17)), []))
    ok(r.returncode == 2 and "at most 16" in r.stderr, "at most 16 values a list", r.stderr)
    # a column whose name needs escaping everywhere it is shown
    esc = os.path.join(kt.WORK, "values-esc.csv")
    with open(esc, "w", encoding="utf-8") as f:
        f.write('id,name,lat,lon,"em<i>&""q"\n')
        for i in range(12):
            f.write('E%d,"Firma <b>%d</b> & ""syn""",%.3f,%.3f,%s\n' % (i, i, 52 + i * 0.05, 19 + (i % 3) * 0.05,
                                                                     "NA" if i == 5 else str(i * i)))
    r = kt.cli(db, "import", "firms", esc, "--dataset", "values-esc", "--value", 'em<i>&"q')
    ok(r.returncode == 0 and "11 firms with a value, 1 without" in r.stdout, "import firms: a value named em<i>&\"q",
       r.stdout + r.stderr)
    # industry names: the first row of a code names it; a later other name is counted, the first kept
    named = os.path.join(kt.WORK, "named.csv")
    with open(named, "w", encoding="utf-8") as f:
        f.write("id,lat,lon,industry,activity\nN1,52.0,21.0,7,Produkcja <szkła>\nN2,52.1,21.1,7,Szkło\n"
                "N3,52.2,21.2,8,NA\nN4,52.3,21.3,9,Papier\n")
    r = kt.cli(db, "import", "firms", named, "--dataset", "named", "--industry-name-column", "activity")
    ok(r.returncode == 0 and "industry names: 2 industries named" in r.stdout and
       "named.csv: 1 row names its industry otherwise than its first row (first on line 3, column activity): "
       "the first name is kept" in r.stderr, "import firms --industry-name-column: names, a conflict counted",
       r.stdout + r.stderr)
    r = kt.cli(db, "import", "firms", named, "--dataset", "named2", "--industry-name-column", "sector")
    ok(r.returncode == 3 and "sector" in r.stderr, "an --industry-name-column missing from the file", r.stderr)
    noind = os.path.join(kt.WORK, "noind.csv")
    with open(noind, "w", encoding="utf-8") as f:
        f.write("id,lat,lon,activity\nN1,52.0,21.0,Glass\n")
    r = kt.cli(db, "import", "firms", noind, "--dataset", "named3", "--industry-name-column", "activity")
    ok(r.returncode == 3 and "no industry column" in r.stderr, "industry names without an industry column: an error",
       r.stderr)
    # names in two languages from a names file: for the codes the column left unnamed too
    names = os.path.join(kt.WORK, "firm-names.csv")
    with open(names, "w", encoding="utf-8") as f:
        f.write("code,name_pl,name_en\n7,Szkło,Glass\n8,Ceramika,Ceramics\n99,Inne,Other\n")
    r = kt.cli(db, "import", "firms", named, "--dataset", "named-langs", "--industry-name-column", "activity",
               "--industry-names", names)
    ok(r.returncode == 0 and "industry names from %s: 2 industries" % names in r.stdout,
       "import firms --industry-names: the file names the list's industries it has", r.stdout + r.stderr)
    with open(names, "a", encoding="utf-8") as f:
        f.write("8,Wyroby ceramiczne,Ceramic products\n")
    r = kt.cli(db, "import", "firms", named, "--dataset", "named-twice", "--industry-names", names)
    ok(r.returncode == 3 and "firm-names.csv:5: column code: 8 is named again (first on line 3)" in r.stderr and
       "named-twice" not in kt.cli(db, "dataset", "list").stdout,
       "  a code named on two rows: refused with both lines, nothing stored", r.stderr)
    r = kt.cli(db, "import", "firms", "-", "--dataset", "named-stdin", input=open(named, encoding="utf-8").read())
    ok(r.returncode == 0 and "4 located firms stored" in r.stdout, "import firms - reads standard input", r.stderr)


def test_values_kept(port):
    """The failed imports above stored nothing: the list keeps its values."""
    st, h, js = get_json(port, "/api/v1/firm-datasets")
    got = {x["name"]: x for x in js["items"]} if js else {}
    ets = got.get("eu-ets-pl", {})
    ok(st == 200 and ets.get("firms") == 1070 and ets.get("values") == [
        {"name": EM19, "firms": 686, "missing": 384}, {"name": EM20, "firms": 639, "missing": 431}],
       "API: the list with its two values, unchanged by the failed imports", ets)
    ok("bad-values" not in got and got.get("eu-capitals", {}).get("values") == [],
       "no list from the failed imports; a list without values has none", sorted(got))


def cli_hotspots(value, band_m, *extra):
    """`klaster map hotspots -o FILE.csv` on the EU ETS file: the file's bytes and rows."""
    out = os.path.join(kt.WORK, "hotspots.csv")
    r = kt.cli(None, "map", "hotspots", EUTL, "--value", value, "--band", str(band_m), "--skip-invalid", "-o", out, *extra)
    if r.returncode != 0:
        raise RuntimeError("map hotspots: " + r.stderr)
    with open(out, "rb") as f:
        data = f.read()
    return data, list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def spot_strokes(svg_text):
    """(hot, cold) outlines drawn on a map picture (round joins; the legend's boxes have mitred ones)."""
    hot = len(re.findall(r"stroke-width:2\.4;[^\"]*stroke-linejoin:round;stroke:rgb\(80%,5%,10%\)", svg_text))
    cold = len(re.findall(r"stroke-width:2\.4;[^\"]*stroke-linejoin:round;stroke:rgb\(5%,25%,60%\)[^\"]*dasharray",
                          svg_text))
    return hot, cold


def xlsx_cells(data, sheet=1):
    """The cells of an XLSX file's sheet (the first by default), {"A1": "text or number as
    written"}, shared strings resolved."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
        cells = {}
        if "xl/worksheets/sheet%d.xml" % sheet not in names:
            return None
        for c in ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % sheet)).iter("{%s}c" % ns["m"]):
            v = c.find("m:v", ns)
            text = v.text if v is not None else "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
            cells[c.get("r")] = shared[int(text)] if c.get("t") == "s" else text
        return cells


def xlsx_rows(data):
    """The first sheet of an XLSX file as rows of cell texts (columns A… in order)."""
    cells = xlsx_cells(data) or {}
    grid = {}
    for ref, v in cells.items():
        m = re.match(r"([A-Z]+)(\d+)$", ref)
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        grid.setdefault(int(m.group(2)), {})[col] = v
    return [[grid[r].get(c, "") for c in range(1, max(grid[r]) + 1)] for r in sorted(grid)]


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def test_islands(port):
    """Points and regions without a neighbour within the band (islands): the page and the API
    count them as the command line's notice does."""
    out = os.path.join(kt.WORK, "islands.csv")
    r = kt.cli(None, "map", "hotspots", EUTL, "--value", EM19, "--band", "1000", "--skip-invalid", "-o", out)
    m = re.search(r"(\d+) points of (\d+) have no neighbour", r.stderr)
    want = int(m.group(1)) if m else -1
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&value=%s&band_km=1" % EM19)
    st2, h2, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&value=%s&band_km=1" % EM19)
    mm = re.search(r'class="muted islands" data-islands="(\d+)"', text or "")
    ok(want > 0 and js and js["islands"] == want and mm and int(mm.group(1)) == want,
       "value hot spots, band 1 km: %d firms without a neighbour, on the page and in the API as on the command line"
       % want, (r.stderr[-300:], js and js.get("islands"), mm and mm.group(0)))
    r = kt.cli(None, "map", "hotspots", EUROSTAT, *EU_OPTS, "--region-prefix", "PL", "--regions",
               os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson"), "--code-property", "nuts2_2013",
               "--industry", "C29", "--band", "100000", "-o", out)
    m = re.search(r"(\d+) points of (\d+) have no neighbour", r.stderr)
    want = int(m.group(1)) if m else -1
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=100")
    st2, h2, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=100", "pl")
    mm = re.search(r'class="muted islands" data-islands="(\d+)">Regiony bez sąsiada', text or "")
    ok(want > 0 and js and js["hotspots"]["islands"] == want and mm and int(mm.group(1)) == want,
       "region hot spots, band 100 km: %d regions without a neighbour, on the page and in the API" % want,
       (r.stderr[-300:], js and js.get("hotspots"), mm and mm.group(0)))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=400")
    st2, h2, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=400")
    ok(js and js["hotspots"]["islands"] == 0 and 'class="muted islands"' not in text,
       "  none with a band that gives every region a neighbour", js and js.get("hotspots"))
    # a p below 0.0001 is written so on the page, as the API's number is not 0
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-eu&industry=C29&band_km=500")
    st2, h2, text = get(port, "/cluster-map?dataset=eurostat-eu&industry=C29&band_km=500")
    tiny = [x for x in (js or {}).get("regions", []) if x.get("p") is not None and x["p"] < 0.0001]
    cells = re.findall(r'<td class="num">(&lt; 0\.0001|0\.0000)</td>', text or "")
    ok(tiny and len(cells) == len(tiny) and set(cells) == {"&lt; 0.0001"},
       "  p below 0.0001 (%d regions of Europe, C29, 500 km): '< 0.0001' in the ranked table, never 0.0000"
       % len(tiny), (st, st2, len(tiny), cells[:3]))


def test_value_hotspots(port):
    """Gi* of an emission value on the firms: the page, the CSV and the API
    give what `klaster map hotspots --value … --band … --star` gives on the
    file (the firms with the value, in the file's order)."""
    for value, band_km, industry in ((EM19, 20, None), (EM20, 20, None), (EM19, 7.5, None), (EM20, 50, "20"),
                                     (EM19, 50, "24")):
        q = "dataset=eu-ets-pl&value=%s&band_km=%s" % (value, band_km) + ("&industry=" + industry if industry else "")
        what = "%s, band %s km%s" % (value, band_km, ", industry " + industry if industry else "")
        data, rows = cli_hotspots(value, int(band_km * 1000), *(["--industry", industry] if industry else []))
        hot = sum(x["spot"] == "hot" for x in rows)
        cold = sum(x["spot"] == "cold" for x in rows)
        located = len(eutl_points(industry))
        st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?" + q)
        ok(st == 200 and h.get("content-type", "").startswith("text/csv") and
           'filename="eu-ets-pl-hotspots-%s-%gkm%s.csv"' % (value, band_km, "-" + industry if industry else "")
           in h.get("content-disposition", "") and body == data,
           "%s: the CSV equals `klaster map hotspots -o` on the file, byte for byte (%d firms, %d hot, %d cold)"
           % (what, len(rows), hot, cold), (st, len(body), len(data)))
        st, h, js = get_json(port, "/api/v1/firm-hotspots?" + q)
        ok(st == 200 and js and js["value"] == value and js["band_km"] == band_km and js["firms"] == located and
           js["with_value"] == len(rows) and js["missing"] == located - len(rows) and
           (js["hot"], js["cold"]) == (hot, cold) and js["industry"] == industry,
           "  API: the counts (%d firms, %d with the value, %d hot, %d cold)" % (located, len(rows), hot, cold),
           js and {k: js[k] for k in ("firms", "with_value", "missing", "hot", "cold")})
        items = js["items"] if js else []
        good = len(items) == len(rows)
        for x, want in zip(items, rows):
            good &= x["id"] == want["id"] and close(x["value"], float(want["value"])) and close(x["gi"], float(want["gi"]))
            good &= (x["z"] is None) == (want["z"] == "") and (x["spot"] or "") == want["spot"]
            good &= x["z"] is None or (close(x["z"], float(want["z"])) and close(x["p"], float(want["p"])))
            if not good:
                diag("%r != %r" % (x, want))
                break
        ok(good, "  API: every firm's value, Gi*, z, p and spot as map hotspots")
        st, h, text = get(port, "/cluster-map/points?" + q)
        m = re.search(r'<p class="hotspots" data-value="([^"]*)" data-firms="(\d+)" data-missing="(\d+)" '
                      r'data-hot="(\d+)" data-cold="(\d+)"', text)
        ok(st == 200 and m and (m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5))) ==
           (value, len(rows), located - len(rows), hot, cold),
           "  page: the firms with the value, the ones left out without it, hot and cold", m and m.groups())
        svg = svg_of(text)
        ok(svg.count('<circle class="hot"') == hot and svg.count('<circle class="cold"') == cold and
           ("gorący punkt" in svg or "hot spot" in svg) == (hot + cold > 0),
           "  page: the hot and cold firms ringed on the map, with the legend")
        table = re.findall(r'<tr data-id="([^"]*)" data-spot="(hot|cold)" data-z="([^"]*)" data-p="([^"]*)">', text)
        spots = [x for x in rows if x["spot"]]
        spots.sort(key=lambda x: (x["spot"] != "hot", -abs(float(x["z"]))))
        ok([(html.unescape(i), sp) for i, sp, _, _ in table] == [(x["id"], x["spot"]) for x in spots[:100]] and
           all(close(float(z), float(x["z"])) and close(float(pv), float(x["p"]))
               for (_, _, z, pv), x in zip(table, spots)),
           "  page: the table lists the hot spots, then the cold ones, by |z|, with z and p as map hotspots",
           (table[:2], [(x["id"], x["spot"]) for x in spots[:2]]))
        ok(('<table class="results spots">' in text) == (hot + cold > 0),
           "  page: %s" % ("a table of the spots" if hot + cold else "no spot, so no empty table under the summary"))
        ok('href="/cluster-map/hotspots.csv?' in text and "/api/v1/firm-hotspots?" in text,
           "  page: links to the hot spots' CSV and API")
    # the form
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&value=%s&band_km=12.5" % EM20)
    f = [x for x in kt.Forms(text).forms if x["action"] == "/cluster-map/points"]
    ok(f and f[0]["fields"].get("value") == EM20 and f[0]["fields"].get("band_km") == "12.5",
       "the form offers the stored values and shows the choice as given", f and f[0]["fields"])
    opts = re.findall(r'<select id="f-value" name="value">(.*?)</select>', text, re.S)
    ok(opts and re.findall(r'<option value="([^"]*)"', opts[0]) == ["", EM19, EM20],
       "  hot spots of: firm density or one of the two values", opts)
    st, h, text = get(port, "/cluster-map/points?dataset=eu-capitals")
    ok(st == 200 and 'name="value"' not in text and 'name="band_km"' not in text,
       "a list without values: no choice of value")
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&cell_km=20&value=" + EM19)
    ok(st == 200 and 'data-value="%s"' % EM19 in text and 'data-cells=' not in text and '<polygon class="hot"' not in text,
       "with a value chosen the hot spots are of the value, not of density")
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&cell_km=20")
    ok(st == 200 and js and js["value"] is None and "rows" in js and
       all((x["spot"] == "hot") == (x["p"] is not None and x["p"] < 0.05 and x["z"] > 0) for x in js["items"]),
       "API without a value: the grid of firm density, each cell with its spot", js and js.get("hot"))


def test_value_errors(port):
    for q, field, status in (("value=nope", "value", 400), ("value=" + "x" * 61, "value", 400),
                             ("value=%ff", "value", 400), ("value=%s&band_km=0.5" % EM19, "band_km", 400),
                             ("value=%s&band_km=201" % EM19, "band_km", 400), ("value=%s&band_km=abc" % EM19, "band_km", 400),
                             ("value=%s&band_km=1e3" % EM19, "band_km", 400)):
        st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&" + q)
        ok(st == status and names_field(text, field), "page: %s is a %d naming %s" % (q[:30], status, field),
           (st, kt.text_of(text)[-200:]))
        st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&" + q)
        ok(st == status and js and field in js["error"]["message"], "API: %s is a %d naming %s" % (q[:30], status, field),
           (st, js))
        st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?dataset=eu-ets-pl&" + q)
        ok(st == status and field.encode() in body, "CSV: %s is a %d naming %s" % (q[:30], status, field), st)
    st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?dataset=eu-ets-pl")
    ok(st == 400 and b"value" in body and b"cell_km" in body, "the hot spots' CSV needs a value or cell_km",
       (st, body[:200]))
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&value=%s&industry=37" % EM19)
    ok(st == 400 and names_field(text, "value"), "an industry with fewer than two firms with the value: 400 naming value",
       (st, kt.text_of(text)[-200:]))
    # the message says that the industry chosen lacks the value, not that the list does
    for ind, en, pl in (("37", "only one firm of industry 37 has a value of", "tylko jedna firma branży 37 ma wartość"),
                        ("3", "no firm of industry 3 has a value of", "żadna firma branży 3 nie ma wartości")):
        st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&value=%s&industry=%s" % (EM19, ind))
        msg = js and js.get("error", {}).get("message") or ""
        ok(st == 400 and msg.startswith("value: " + en), "API: industry %s without two firms with the value: said so" % ind,
           (st, msg))
        st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&value=%s&industry=%s&lang=pl" % (EM19, ind), "pl")
        ok(st == 400 and alert_text(text).startswith("Gorące punkty: " + pl),
           "page (pl): industry %s without two firms with the value: said so" % ind, (st, kt.text_of(text)[-300:]))


def test_long_values_cut(port):
    """A value of 2,000 bytes is quoted in the API's message cut short ("…"), as the pages quote it,
    or not at all (a code or a name too long to be one), never at length."""
    long_x = "x" * 2000
    for path, field in (("/api/v1/cluster-map?dataset=eurostat-pl&indicator=" + long_x, "indicator"),
                        ("/api/v1/cluster-map?dataset=eurostat-pl&industry=" + long_x, "industry"),
                        ("/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&year=" + long_x, "year"),
                        ("/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&year=" + "0" * 1996 + "1999", "year"),
                        ("/api/v1/firm-clusters?dataset=eu-ets-pl&min_samples=" + "9" * 2000, "min_samples"),
                        ("/api/v1/firm-clusters?dataset=eu-ets-pl&eps_km=" + "1" * 2000, "eps_km"),
                        ("/api/v1/firm-clusters?dataset=eu-ets-pl&industry=" + long_x, "industry"),
                        ("/api/v1/firm-hotspots?dataset=eu-ets-pl&value=" + long_x, "value")):
        st, h, js = get_json(port, path)
        msg = js and js["error"]["message"] or ""
        value = path.rsplit("=", 1)[1]
        ok(st == 400 and msg.startswith(field) and len(msg) < 300 and value[:100] not in msg and
           ("\u2026" in msg or value[:40] not in msg),
           "API: a %s of 2,000 bytes is a 400 that quotes it cut short (%d characters)" % (field, len(msg)),
           (st, msg[:300]))

def test_value_escaping(port):
    """A value's name is escaped wherever it is shown: HTML, URLs, JSON."""
    name = 'em<i>&"q'
    st, h, text = get(port, "/cluster-map/points?dataset=values-esc&eps_km=10&min_samples=2&value=em%3Ci%3E%26%22q&band_km=10")
    ok(st == 200 and "<i>" not in text and "<b>" not in text and 'em&lt;i&gt;&amp;&quot;q' in text and
       "value=em%3Ci%3E%26%22q&amp;band_km=10" in text,
       "the value's name and the firms' names are escaped in the page and in its links", (st, kt.text_of(text)[-300:]))
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=values-esc&value=em%3Ci%3E%26%22q&band_km=10")
    ok(st == 200 and js and js["value"] == name and js["with_value"] == 11 and js["missing"] == 1 and
       js["items"][0]["name"] == 'Firma <b>0</b> & "syn"', "API: the same names as JSON strings", js and js.get("value"))
    st, h, js = get_json(port, "/api/v1/firm-datasets")
    ok(js and {x["name"]: x["values"] for x in js["items"]}.get("values-esc") == [{"name": name, "firms": 11, "missing": 1}],
       "API: the list's value as stored")


def test_points_page(port):
    """The page's clusters are those of `klaster map spatial` on the file."""
    for eps_km, k in ((10, 3), (5, 5), (2.5, 2), (25, 10), (0.5, 1)):
        path = "/cluster-map/points?dataset=eu-ets-pl&eps_km=%s&min_samples=%d" % (eps_km, k)
        t0 = time.time()
        st, h, text = get(port, path)
        ms = (time.time() - t0) * 1000
        _, rows, ncl, nnoise = cli_spatial(int(eps_km * 1000), k)
        s = summary(text)
        ok(st == 200 and s and s[0] == len(rows) and s[1] == ncl and s[3] == nnoise,
           "eps %s km, min_samples %d: %d clusters and %d noise points, as map spatial (%.0f ms)" % (eps_km, k, ncl, nnoise, ms),
           (st, s, len(rows), ncl, nnoise))
        svg = svg_of(text)
        dots = re.findall(r'<circle cx="[^"]+" cy="[^"]+" r="[^"]+" fill="(#[0-9a-f]{6})" class="fp[^"]*" data-cluster="(-?\d+)"', svg)
        want = [int(x["cluster"]) for x in rows]
        ok([int(c) for _, c in dots] == want, "  every firm drawn once, in its cluster", (len(dots), len(want)))
        ok(all((c == "-1") == (fill == "#8c8c8c") for fill, c in dots), "  noise grey, clusters in colour")
        sizes = {}
        for l in want:
            if l >= 0:
                sizes[l] = sizes.get(l, 0) + 1
        table = re.findall(r'<tr data-cluster="(\d+)">.*?<td class="num">(\d+) \((\d+)\)</td>', text)
        top = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:100]
        ok([(int(a), int(b)) for a, b, _ in table] == top,
           "  the table lists the clusters largest first with their sizes (at most 100)", (table[:3], top[:3]))
    # an industry
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&eps_km=10&min_samples=3&industry=20")
    _, rows, ncl, nnoise = cli_spatial(10000, 3, "--industry", "20")
    s = summary(text)
    ok(st == 200 and s and (s[0], s[1], s[3]) == (len(rows), ncl, nnoise),
       "industry 20 (combustion): as map spatial --industry 20", (s, len(rows), ncl, nnoise))
    # defaults and the decimal comma
    st, h, a = get(port, "/cluster-map/points")
    st2, h2, b = get(port, "/cluster-map/points?dataset=eu-capitals&eps_km=10&min_samples=3")
    ok(st == 200 and summary(a) == summary(b) and 'value="eu-capitals" selected' in a,
       "the defaults are the first list by name, 10 km and 3", (summary(a), summary(b)))
    st, h, a = get(port, "/cluster-map/points?dataset=eu-ets-pl&eps_km=2,5&min_samples=2")
    st2, h2, b = get(port, "/cluster-map/points?dataset=eu-ets-pl&eps_km=2.5&min_samples=2")
    ok(st == 200 and summary(a) == summary(b), "eps_km 2,5 (decimal comma) is 2.5", (st, summary(a), summary(b)))
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&eps_km=2.55&min_samples=4&cell_km=12.5")
    f = [x for x in kt.Forms(text).forms if x["action"] == "/cluster-map/points"]
    ok(f and f[0]["fields"].get("eps_km") == "2.55" and f[0]["fields"].get("min_samples") == "4" and
       f[0]["fields"].get("cell_km") == "12.5", "the form shows the values as given", f and f[0]["fields"])
    # the page itself: form, map of Poland, source, links, languages
    st, h, text = get(port, "/cluster-map/points?dataset=named")
    ok(st == 200 and '<option value="7">7 — Produkcja &lt;szkła&gt; (2)</option>' in text and
       '<option value="8">8 (1)</option>' in text and '<option value="9">9 — Papier (1)</option>' in text,
       "the industries of a list read with their names (escaped; a code without one as it is)")
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&eps_km=10&min_samples=3", lang="pl")
    codes = re.findall(r'<option value="(\d+)"', (re.search(r'<select id="f-ind.*?</select>', text, re.S) or
                                                  re.search("", "")).group(0))
    ok(codes and codes == sorted(codes, key=int), "industries by their number (1, 3, 20 … not 1, 20 … 3)", codes[:6])
    ok(re.search(r'<td class="num">\d\d,\d{4}°\u00a0N; \d\d,\d{4}°\u00a0E</td><td class="num">\d+,\d km</td>'
                 r'<td class="num">\d\d,\d\d–\d\d,\d\d°\u00a0N, \d\d,\d\d–\d\d,\d\d°\u00a0E</td>', text) and
       "i jeszcze" in text and not re.search(r"\d+ innych", text),
       "the Polish cluster table: decimal commas, centres as 'lat° N; lon° E', extents, 'i jeszcze N'")
    # west of Greenwich: the extent and the centre say W, not a negative E
    st, h, text = get(port, "/cluster-map/points?dataset=eu-capitals&eps_km=10&min_samples=3")
    ok(st == 200 and re.search(r'40\.4\d{3}°\u00a0N; 3\.7\d{3}°\u00a0W</td>', text) and
       re.search(r'3\.\d\d–3\.\d\d°\u00a0W</td>', text) and "−3." not in text and "-3." not in text,
       "Madrid's cluster: its centre and extent west of Greenwich in degrees W", st)
    for q, word in (("min_samples=0", "liczba całkowita"), ("dataset=nope", "Nie ma listy firm")):
        st, h, text = get(port, "/cluster-map/points?" + q, lang="pl")
        ok(st in (400, 404) and word in text, "the Polish page says %s in Polish" % q, kt.text_of(text)[-200:])
    st, h, js = get_json(port, "/api/v1/firm-clusters?dataset=eu-ets-pl&min_samples=0")
    ok(st == 400 and js and "is not a whole number" in js["error"]["message"], "the API keeps English", js)
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl", lang="pl")
    f = kt.Forms(text).forms
    form = [x for x in f if x["action"] == "/cluster-map/points"]
    ok(form and form[0]["method"] == "get" and set(form[0]["fields"]) >= {"dataset", "eps_km", "min_samples", "industry"},
       "a GET form with dataset, industry, eps_km and min_samples", form)
    ok(len(regions_drawn(svg_of(text))) == 16, "the firms are drawn over the 16 voivodeships")
    ok("EU Transaction Log" in text and "Skupienia od największego" in text and 'lang="pl"' in text,
       "Polish page with the list's source line")
    ok('href="/cluster-map/points.csv?dataset=eu-ets-pl&amp;eps_km=10&amp;min_samples=3"' in text and
       "/api/v1/firm-clusters?dataset=eu-ets-pl" in text, "links to the CSV and the API with the same choice")
    ok('href="/cluster-map"' in text and 'href="/cluster-map/points" aria-current="page"' in text,
       "tabs between the regions and the firm points")
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&eps_km=7&min_samples=4", lang="en")
    ok("Clusters, largest first" in text and "eps_km%3D7" in text,
       "English page; the language switch keeps eps_km", re.findall(r'class="lang" href="[^"]*"', text))
    st, h, text = get(port, "/cluster-map", lang="en")
    ok(st == 200 and 'href="/cluster-map/points"' in text, "the regions page links to the firm points")
    # a list across Europe is drawn on Europe's regions
    st, h, text = get(port, "/cluster-map/points?dataset=eu-capitals&eps_km=5&min_samples=5")
    s = summary(text)
    drawn = regions_drawn(svg_of(text))
    ok(st == 200 and s and (s[0], s[1], s[3]) == (20, 4, 0) and len(drawn) > 300 and "FR10" in drawn and
       "EuroGeographics" in text,
       "firms across Europe: 4 clusters on the map of Europe, its boundaries credited", (st, s, len(drawn)))


def test_points_errors(port):
    bad = [("eps_km", "abc"), ("eps_km", "0"), ("eps_km", "0.05"), ("eps_km", "100.5"), ("eps_km", "nan"),
           ("eps_km", "inf"), ("eps_km", "-5"), ("eps_km", "1e400"), ("eps_km", "10km"), ("eps_km", "0x10"),
           ("min_samples", "0"), ("min_samples", "1001"), ("min_samples", "2.5"), ("min_samples", "x"),
           ("min_samples", "-3"), ("min_samples", "99999999999999999999")]
    for field, value in bad:
        q = "dataset=eu-ets-pl&%s=%s" % (field, value)
        st, h, text = get(port, "/cluster-map/points?" + q)
        ok(st == 400 and names_field(text, field) and "text/html" in h.get("content-type", ""),
           "page: %s=%s is a 400 naming %s" % (field, value, field), (st, kt.text_of(text)[-300:]))
        st, h, js = get_json(port, "/api/v1/firm-clusters?" + q)
        ok(st == 400 and js and field in js["error"]["message"], "API: %s=%s is a 400 naming %s" % (field, value, field),
           (st, js))
    st, h, body = kt.request(port, "GET", "/cluster-map/points.csv?dataset=eu-ets-pl&min_samples=0")
    ok(st == 400 and b"min_samples" in body, "CSV: a bad min_samples is a 400 naming it", st)
    for path, want, field in (("/cluster-map/points?dataset=nope", 404, "nope"),
                              ("/api/v1/firm-clusters?dataset=nope", 404, "nope"),
                              ("/cluster-map/points?dataset=eu-ets-pl&industry=ZZ", 400, "industry"),
                              ("/api/v1/firm-clusters?dataset=" + "x" * 61, 400, "dataset")):
        st, h, text = get(port, path)
        ok(st == want and field in text, "%s: %d naming %s" % (path[:60], want, field), (st, text[-200:]))


def test_points_downloads(port):
    st, h, body = kt.request(port, "GET", "/cluster-map/points.csv?dataset=eu-ets-pl&eps_km=10&min_samples=3")
    out, rows, ncl, nnoise = cli_spatial(10000, 3)
    ok(st == 200 and h.get("content-type", "").startswith("text/csv") and
       'filename="eu-ets-pl-dbscan-eps10km-k3.csv"' in h.get("content-disposition", ""),
       "CSV download: text/csv as an attachment", (st, h.get("content-type")))
    ok(body == out, "the CSV equals `klaster map spatial -o` on the file, byte for byte",
       (len(body), len(out)))
    # two radii that differ in the seventh digit are two file names
    names = set()
    for eps in ("10.00001", "10.00002"):
        st, h, body = kt.request(port, "GET", "/cluster-map/points.csv?dataset=eu-ets-pl&eps_km=%s&min_samples=3" % eps)
        names.add(h.get("content-disposition", "") if st == 200 else "")
    ok(names == {'attachment; filename="eu-ets-pl-dbscan-eps10.00001km-k3.csv"',
                 'attachment; filename="eu-ets-pl-dbscan-eps10.00002km-k3.csv"'},
       "  the radius in the file name as given (10 significant digits), not rounded to 6", names)
    st, h, js = get_json(port, "/api/v1/firm-clusters?dataset=eu-ets-pl&eps_km=10&min_samples=3")
    ok(st == 200 and js and js["clusters"] == ncl and js["noise"] == nnoise and js["firms"] == len(rows) and
       js["industry"] is None and js["eps_km"] == 10 and js["min_samples"] == 3,
       "API: the counts of map spatial", (st, js and {k: js[k] for k in ("firms", "clusters", "noise")}))
    if not js:
        return
    ok([(x["id"], x["cluster"], x["core"]) for x in js["labels"]] ==
       [(x["id"], int(x["cluster"]), x["core"] == "1") for x in rows], "API: every firm's label and core flag, in order")
    sizes = [x["size"] for x in js["items"]]
    ok(sizes == sorted(sizes, reverse=True) and sum(sizes) == len(rows) - nnoise and len(sizes) == ncl,
       "API: clusters largest first, their sizes add up to the clustered firms")
    byid = {x["id"]: x for x in rows}
    good = True
    for c in js["items"]:
        mem = [x for x in rows if int(x["cluster"]) == c["cluster"]]
        lats = [float(x["lat"]) for x in mem]
        lons = [float(x["lon"]) for x in mem]
        good &= len(mem) == c["size"] and sum(x["core"] == "1" for x in mem) == c["core"]
        good &= abs(c["bbox"][1] - min(lats)) < 1e-6 and abs(c["bbox"][3] - max(lats)) < 1e-6
        good &= abs(c["bbox"][0] - min(lons)) < 1e-6 and abs(c["bbox"][2] - max(lons)) < 1e-6
        # the centre is the spherical mean: a little poleward of points on one parallel
        good &= min(lats) - 0.01 <= c["lat"] <= max(lats) + 0.01 and min(lons) - 1e-6 <= c["lon"] <= max(lons) + 1e-6
        good &= all(byid[m["id"]]["cluster"] == str(c["cluster"]) for m in c["members"]) and \
            len(c["members"]) == min(3, len(mem)) and c["members_more"] == len(mem) - len(c["members"])
        if not good:
            diag("cluster %s: %r" % (c["cluster"], c))
            break
    ok(good, "API: each cluster's size, core points, box, centre inside the box and members agree with the labels")
    # XLSX of the same tables, and a format neither CSV nor XLSX refused
    st, h, body = kt.request(port, "GET", "/cluster-map/points.csv?dataset=eu-ets-pl&eps_km=10&min_samples=3&format=xlsx")
    cells = xlsx_rows(body) if st == 200 else []
    ok(st == 200 and 'filename="eu-ets-pl-dbscan-eps10km-k3.xlsx"' in h.get("content-disposition", "") and
       len(cells) == len(rows) + 1 and cells[0][:5] == ["id", "name", "industry", "lat", "lon"],
       "format=xlsx: the firms' clusters as XLSX, a row per firm", (st, h.get("content-disposition"), len(cells)))
    st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?dataset=eu-ets-pl&value=verified_emissions_2019_tco2"
                             "&band_km=20&format=xlsx")
    cells = xlsx_rows(body) if st == 200 else []
    ok(st == 200 and cells and cells[0] == ["id", "name", "industry", "lat", "lon", "value", "gi", "z", "p", "spot"] and
       len(cells) == 687, "  and the hot spots of a value (686 firms with it)", (st, len(cells), cells[:1]))
    for path in ("/cluster-map/points.csv?dataset=eu-ets-pl&format=pdf",
                 "/cluster-map/hotspots.csv?dataset=eu-ets-pl&value=verified_emissions_2019_tco2&format=pdf"):
        st, h, body = kt.request(port, "GET", path, headers={"Accept-Language": "en"})
        ok(st == 400 and "format: 'pdf' is not one of csv, xlsx, geojson" in html.unescape(body.decode("utf-8")),
           "%s: 400 naming format and the value given" % path, (st, body[-300:]))
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&value=verified_emissions_2019_tco2&band_km=20"
                      "&industry=44", "en")
    ok(st == 200 and '<p class="muted no-z" data-all="2">Firms with every other firm within the band: 2 of 2' in text,
       "points page: firms whose band holds every firm are said to have no z-score", st)
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&value=verified_emissions_2019_tco2&band_km=20")
    ok(st == 200 and js and js["items"] and all("industry" in x for x in js["items"]) and
       js["items"][0]["industry"] == "20", "API: each firm of the hot spots with its industry",
       js and js["items"][:1])
    st, h, js = get_json(port, "/api/v1/firm-datasets")
    got = {x["name"]: (x["firms"], x["skipped"]) for x in js["items"]} if js else {}
    ok(st == 200 and got.get("eu-ets-pl") == (1070, 15) and got.get("eu-capitals") == (20, 0),
       "API: the firm lists with their counts", got)


def test_dataset_command(db, port):
    """klaster dataset list | delete: what is stored, and deleting a dataset or a firm list
    removes it from the portal and the API at once."""
    fl = os.path.join(kt.WORK, "firms-located.csv")
    r = kt.cli(db, "import", "stats", fl, "--dataset", "to-delete", "--format", "firms", "--boundaries",
               os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson"))
    r2 = kt.cli(db, "import", "firms", fl, "--dataset", "to-delete", "--title", "Do usunięcia")
    ok(r.returncode == 0 and r2.returncode == 0, "a dataset and a firm list of one name", r.stderr + r2.stderr)
    r = kt.cli(db, "dataset", "list")
    lines = r.stdout.splitlines()
    ok(r.returncode == 0 and "stats\tto-delete\t4 regions x 2 industries x 1 year\tto-delete\t-\t-" in lines and
       "firms\tto-delete\t5 firms\tDo usunięcia\t-\t-" in lines and
       any(x.startswith("stats\tgus-powiaty\t380 regions") for x in lines),
       "dataset list: kind, name, size, title, source and licence of each, tab-separated", r.stdout)
    st, h, text = get(port, "/cluster-map?dataset=to-delete")
    ok(st == 200, "the dataset is on the portal", st)
    r = kt.cli(db, "dataset", "delete", "to-delete")
    st, h, text = get(port, "/cluster-map?dataset=to-delete")
    st2, h2, js = get_json(port, "/api/v1/datasets")
    ok(r.returncode == 0 and r.stdout.strip() == "dataset to-delete deleted" and st == 404 and js and
       "to-delete" not in {x["name"] for x in js["items"]}, "dataset delete: gone from the page and the API", r.stderr)
    st, h, text = get(port, "/cluster-map/points?dataset=to-delete")
    ok(st == 200, "  the firm list of that name stays", st)
    r = kt.cli(db, "dataset", "delete", "to-delete")
    ok(r.returncode == 4 and "there is no statistics dataset 'to-delete', but a firm list of that name: klaster "
       "dataset delete to-delete --firms" in r.stderr, "deleting it again: not there, but a firm list is, and how to "
       "delete that", r.stderr)
    r = kt.cli(db, "dataset", "delete", "to-delete", "--firms")
    st, h, text = get(port, "/cluster-map/points?dataset=to-delete")
    ok(r.returncode == 0 and r.stdout.strip() == "firm list to-delete deleted" and st == 404,
       "dataset delete --firms: the firm list is gone from the points page", (r.stderr, st))
    r = kt.cli(db, "dataset", "delete", "to-delete")
    ok(r.returncode == 4 and "there is no statistics dataset 'to-delete'" in r.stderr,
       "deleting what is not there: exit 4 naming it", (r.returncode, r.stderr))
    r = kt.cli(db, "dataset", "delete", "Bad Name")
    ok(r.returncode == 2 and "is not a dataset name" in r.stderr, "a name that cannot be a dataset's: exit 2", r.stderr)


def test_review_fixes(db, port):
    """What a review of the pages found: the language switch keeps the region clicked on the
    map, a note for an industry whose regions are all confidential, the year in the name of a
    hot-spot download of a dataset with several years, a note when no region has a z-score, the
    band written as the language writes numbers, the powiat map's 380 links out of the keyboard's
    way, and a note when DBSCAN finds no cluster."""
    st, h, text = get(port, "/cluster-map/region?dataset=eurostat-pl&feature=02", "pl")
    sw = re.findall(r'href="(/lang\?set=en[^"]*)"', text or "")
    ok(st == 200 and sw and all("feature%3D02" in html.unescape(u) for u in sw),
       "the language switch of a profile opened from the map keeps feature=", sw[:2])
    st, h, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=B07", "en")
    m = re.search(r'class="muted empty-note" data-unknown="(\d+)">No region with a known value', text or "")
    ok(st == 200 and m and int(m.group(1)) > 0,
       "an industry with no known employment above 0 and confidential regions says both", m and m.group(0))
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&industry=C26&band_km=500&year=2022")
    st2, h2, body2 = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&industry=C29&band_km=250")
    ok(st == 200 and "-hotspots-C26-lq-500km-2022.csv" in h.get("content-disposition", "") and
       st2 == 200 and "-hotspots-C29-lq-250km.csv" in h2.get("content-disposition", ""),
       "a hot-spot download names the year when the dataset has several", (st, h.get("content-disposition"), body[:200]))
    st, h, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=5000", "en")
    ok(st == 200 and 'class="muted no-z"' in text, "a band over the whole map: a note that no region has a z-score",
       st)
    st, h, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=250.5", "pl")
    ok(st == 200 and "w paśmie 250,5 km" in text, "the band in Polish with a decimal comma", st)
    st, h, text = get(port, "/cluster-map?dataset=powiat-test&industry=C10")
    st2, h2, text2 = get(port, "/")
    ok(st == 200 and text.count('class="region"') >= 380 and text.count('tabindex="-1"') >= 380 and
       svg_of(text2).count('class="region"') == 16 and 'tabindex="-1"' not in svg_of(text2),
       "the powiat map's links leave the keyboard's way (the table has them); the voivodeships' stay", st)
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&eps_km=0.1&min_samples=50")
    ok(st == 200 and 'class="muted no-clusters"' in text, "DBSCAN without a cluster says so", st)
    data, ref = ref_files()
    r = kt.cli(db, "import", "stats", data, "--dataset", "ref-traded", "--title", "Z oznaczeniami traded")
    st, h, text = get(port, "/cluster-map?dataset=ref-traded&base=traded&industry=G47", "pl")
    st2, h2, text2 = get(port, "/cluster-map?dataset=ref-traded&base=traded&industry=C26", "pl")
    ok(st == st2 == 200 and "Branża G47 nie jest ponadlokalna" in text and "nie jest ponadlokalna" not in text2,
       "a local industry against the traded base: a notice that nothing is computed for it", st)


def test_firms_located(port):
    """The firm list stored with --boundaries: its download is `map indicators --boundaries` on the file."""
    fl = os.path.join(kt.WORK, "firms-located.csv")
    vo = os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson")
    r = kt.cli(None, "map", "indicators", fl, "--format", "firms", "--boundaries", vo)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=firms-located")

    def unnamed(text):
        return [[v for k, v in enumerate(row) if k not in (1, 3)] for row in csv.reader(io.StringIO(text))]
    ok(st == 200 and r.returncode == 0 and unnamed(body.decode("utf-8")) == unnamed(r.stdout) and
       len(unnamed(r.stdout)) == 1 + 4 * 2,
       "the stored firm list's download equals `map indicators --boundaries` on the file", (st, r.stderr))


def test_gus_powiaty(port):
    """The shipped powiat dataset on the portal: 380 powiats drawn, the ranked table
    led by the powiat the command line puts first, and section U (no one in any
    powiat) said to have no employment."""
    r = kt.cli(None, "map", "indicators", GUS_POWIATY)
    rows = [x for x in csv.DictReader(io.StringIO(r.stdout)) if x["industry"] == "I"] if r.returncode == 0 else []
    top = max(rows, key=lambda x: float(x["lq"]), default={})
    st, h, text = get_map(port, "/cluster-map?dataset=gus-powiaty&industry=I")
    drawn = regions_drawn(svg_of(text))
    first = re.search(r'<tr><td class="num">1</td><td>([^<]*)</td>', text or "")
    ok(st == 200 and len(drawn) == 380 and all(f != NODATA for f, _ in drawn.values()) and first and
       top.get("region") == "2211" and "pucki" in first.group(1),
       "GUS powiat dataset, section I: 380 powiats with a value, powiat pucki first as on the command line",
       (st, len(drawn), first and first.group(1), top.get("region")))
    lq = float(drawn.get("2211", ("", "x: nan"))[1].rsplit(": ", 1)[1]) if "2211" in drawn else float("nan")
    ok(abs(lq - float(top.get("lq", "nan"))) < 0.006, "  its LQ on the map is the command line's", (lq, top.get("lq")))
    st, h, text = get_map(port, "/cluster-map?dataset=gus-powiaty&industry=U")
    ok(st == 200 and "empty-note" in text and 'class="notice"' not in text,
       "section U, 0 in every powiat: the map says no region has employment in it", st)
    st, h, text = get_map(port, "/cluster-map?dataset=gus-powiaty&industry=C")
    ok(st == 200 and "empty-note" not in text, "  and section C does not", st)
    # the ranked table in other orders, and narrowed to a voivodeship (the map stays whole)
    lq_of = {x["region"]: float(x["lq"]) for x in rows}
    emp_of = {x["region"]: float(x["employment"]) for x in rows}

    def table(path):
        st_, h_, t_ = get(port, path)
        body = re.search(r"<tbody>(.*?)</tbody>", t_ or "", re.S)
        codes = re.findall(r'<a href="/cluster-map/region\?[^"]*?region=(\d+)[^"]*">', body.group(1) if body else "")
        ranks = re.findall(r'<tr><td class="num">(\d+)</td>', body.group(1) if body else "")
        return st_, t_, codes, [int(x) for x in ranks]
    st, t_all, codes, ranks = table("/cluster-map?dataset=gus-powiaty&industry=I")
    rank_of = dict(zip(codes, ranks))
    st, t_, codes, ranks = table("/cluster-map?dataset=gus-powiaty&industry=I&indicator=strong&sort=lq")
    ok(st == 200 and len(codes) == 380 and [lq_of[c] for c in codes] == sorted(lq_of.values(), reverse=True)
       and re.search(r'<th scope="col" class="num" aria-sort="descending"><a href="[^"]*sort=lq#ranking">LQ</a>', t_),
       "sort=lq: the table by LQ, highest first, the LQ heading marked aria-sort", (st, len(codes)))
    st, t_, codes, ranks = table("/cluster-map?dataset=gus-powiaty&industry=I&sort=employment")
    ok(st == 200 and [emp_of[c] for c in codes] == sorted(emp_of.values(), reverse=True)
       and all(rank_of[c] == k for c, k in zip(codes, ranks)),
       "sort=employment: by employment, each row keeping its rank by the indicator", st)
    st, t_, codes, ranks = table("/cluster-map?dataset=gus-powiaty&industry=I&sort=region&voiv=22")
    names = [html.unescape(n) for n in re.findall(r'region=\d+[^"]*">([^<]*)</a>',
                                                  re.search(r"<tbody>(.*?)</tbody>", t_, re.S).group(1))]
    drawn = regions_drawn(svg_of(t_))
    ok(st == 200 and codes and all(c.startswith("22") for c in codes) and len(codes) == 20
       and "2211" in codes and rank_of["2211"] == ranks[codes.index("2211")] and len(drawn) == 380
       and "— pomorskie</caption>" in t_ and '<option value="22" selected>pomorskie</option>' in t_,
       "voiv=22: the 20 powiats of pomorskie in the table, their national ranks kept, the map whole", (st, len(codes)))
    proper = lambda n: re.sub(r"^(powiat |m\. st\. |m\. )", "", n).lower()
    ok(names == sorted(names, key=lambda n: proper(n).replace("ł", "l~").replace("ś", "s~").replace("ż", "z~")
                        .replace("ź", "z~").replace("ó", "o~").replace("ę", "e~").replace("ą", "a~")
                        .replace("ć", "c~").replace("ń", "n~")) and any(n.startswith("m. ") for n in names),
       "  sort=region: by the name proper (without \"powiat\", \"m.\") in Polish order", names[:6])
    st, t_, codes, ranks = table("/cluster-map?dataset=gus-powiaty&industry=I&sort=sideways&voiv=99")
    ok(st == 200 and len(codes) == 380 and "Unknown order of the table" in t_ and "no voivodeship of code" in t_,
       "an unknown order or voivodeship: said on the page, the whole table shown (200)", st)
    st, t_, codes, ranks = table("/cluster-map?dataset=eurostat-pl&industry=C29&voiv=12")
    ok(st == 200 and "does not apply to this dataset" in t_ and 'id="f-voiv"' not in t_,
       "voiv= on a dataset of voivodeships: said, no voivodeship choice in the form", st)


def test_industry_languages(port):
    """Industry names in the page's language: the GUS powiat dataset names its
    sections in Polish in its file, imported with pkd2007_names.csv it gains the
    English ones; the Eurostat dataset, imported with nace_r2_names.csv, the
    Polish ones.  The API gives the dataset's own name and both languages; the
    downloads name the industries in the page's language, the same columns (in
    the language of the file's own names, the command line's file)."""
    for path, lang, want in (
            ("/cluster-map?dataset=gus-powiaty&industry=C", "en", "C Manufacturing"),
            ("/cluster-map?dataset=gus-powiaty&industry=C", "pl", "C Przetwórstwo przemysłowe"),
            ("/cluster-map?dataset=eurostat-pl&industry=C10", "pl", "C10 Produkcja artykułów spożywczych"),
            ("/cluster-map?dataset=eurostat-pl&industry=C10", "en", "C10 Manufacture of food products")):
        st, h, text = get_map(port, path, lang)
        h2 = re.search(r"<h2>([^<]*)", text or "")
        ok(st == 200 and h2 and want in h2.group(1), "%s (%s): the map's title names %r" % (path, lang, want),
           (st, h2 and h2.group(1)))
    st, h, text = get(port, "/cluster-map?dataset=gus-powiaty&industry=ZZ", "en")
    ok(st == 200 and "Industry ZZ is not in dataset &quot;GUS REGON 10.2025, powiaty&quot;: showing E Water supply; "
       "sewerage, waste management and remediation activities." in text,
       "  an industry not in the dataset: the one shown instead is named in the page's language", st)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=gus-powiaty&format=xlsx")
    notes = xlsx_cells(body, 2) if st == 200 else {}
    ok(notes and "Źródło: GUS, REGON, październik 2025" in notes.values() and
       not any(str(v).startswith("Source: Źródło") for v in notes.values()),
       "  the XLSX source sheet: a source line that names itself is not labelled twice", notes)
    st, h, text = get(port, "/cluster-map?dataset=gus-powiaty&industry=C", "en")
    ok(st == 200 and '<option value="G">G — Wholesale and retail trade; repair of motor vehicles and motorcycles'
       '</option>' in text, "  the industry choice in English too", st)
    st, h, text = get(port, "/cluster-map/region?dataset=eurostat-pl&region=PL21", "pl")
    ok(st == 200 and "Produkcja mebli" in text, "  the region's profile lists its industries in Polish", st)
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=gus-powiaty&industry=C")
    ok(st == 200 and js and js["industry_name"] == "Przetwórstwo przemysłowe" and
       js["industry_name_pl"] == "Przetwórstwo przemysłowe" and js["industry_name_en"] == "Manufacturing",
       "  the API: the dataset's own name and both languages", js and {k: js.get(k) for k in js if "name" in k})
    for lang, want in (("pl", "20 — Spalanie paliw ("), ("en", "20 — Combustion of fuels (")):
        st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl", lang)
        ok(st == 200 and want in text, "the firm list's industries in the page's language (%s): %s" % (lang, want), st)
    st, h, text = get(port, "/cluster-map/points?dataset=named-langs", "en")
    ok(st == 200 and "9 — Papier (1)" in text and "8 — Ceramics (1)" in text and "7 — Glass (2)" in text,
       "  codes without a name in the file named from the names file; others keep the list's own", st)
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=gus-powiaty-nonames&industry=C")
    ok(st == 200 and js and js["industry_name"] == "Przetwórstwo przemysłowe" and
       js["industry_name_pl"] is None and js["industry_name_en"] is None,
       "  a dataset imported without a names file: no languages (null), the file's own name", js and js.get("industry_name"))
    st, h, text = get(port, "/cluster-map?dataset=gus-powiaty-nonames&industry=C", "en")
    ok(st == 200 and "C Przetwórstwo przemysłowe" in text, "  and its page shows the file's own name", st)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=gus-powiaty")
    out = os.path.join(kt.WORK, "gus-powiaty-names.csv")
    r = kt.cli(None, "map", "indicators", GUS_POWIATY, "-o", out)
    with open(out, "rb") as f:
        same = f.read() == body
    ok(st == 200 and r.returncode == 0 and same,
       "  the Polish download has the file's own (Polish) names: `klaster map indicators -o` byte for byte",
       (st, r.stderr))
    test_download_languages(port)


def download_names(port, path, lang):
    """The columns and {industry: industry_name} of a download (CSV, or XLSX's first sheet)
    fetched in lang, with the XLSX's source sheet (or {})."""
    st, h, body = kt.request(port, "GET", path, headers={"Accept-Language": lang})
    if st != 200:
        return st, [], {}, {}
    if body[:2] == b"PK":
        rows = xlsx_rows(body)
        head, rows = rows[0], [dict(zip(rows[0], x)) for x in rows[1:]]
        notes = xlsx_cells(body, 2)
    else:
        rd = csv.DictReader(io.StringIO(body.decode("utf-8")))
        rows = list(rd)
        head, notes = rd.fieldnames, {}
    return st, head, {x["industry"]: x["industry_name"] for x in rows}, notes


def test_download_languages(port):
    """The downloads (CSV and XLSX, page and API) name the industries in the page's language, with
    the same columns: GUS's Polish sections in English from the English page, Eurostat's English
    NACE names in Polish from the Polish page; a dataset without names in that language keeps its
    own."""
    cols = None
    for ds, ind, pl, en in (("gus-powiaty", "C", "Przetwórstwo przemysłowe", "Manufacturing"),
                            ("eurostat-pl", "C10", "Produkcja artykułów spożywczych", "Manufacture of food products")):
        for fmt in ("", "&format=xlsx"):
            for lang, want in (("pl", pl), ("en", en)):
                st, head, names, notes = download_names(port, "/cluster-map.csv?dataset=%s%s" % (ds, fmt), lang)
                cols = cols or head
                src_pl = any(str(v).startswith("Zbiór: ") for v in notes.values())
                ok(st == 200 and names.get(ind) == want and head == cols and
                   (not fmt or src_pl == (lang == "pl")),
                   "%s %s from the %s page: industry_name %r (the same columns%s)" %
                   (ds, "XLSX" if fmt else "CSV", lang, want, ", the source sheet in the same language" if fmt else ""),
                   (st, names.get(ind), head))
    st, head, names, _ = download_names(port, "/api/v1/cluster-map.xlsx?dataset=eurostat-pl&lang=en", "pl")
    ok(st == 200 and names.get("C10") == "Manufacture of food products" and head == cols,
       "the API's download: ?lang=en before Accept-Language, as on the page", names.get("C10"))
    st, head, names, _ = download_names(port, "/cluster-map.csv?dataset=eurostat-pl&region=PL22", "pl")
    ok(st == 200 and names.get("C10") == "Produkcja artykułów spożywczych" and head == cols,
       "a region's download from the Polish page: Polish names too", names.get("C10"))
    st, head, names, _ = download_names(port, "/cluster-map.csv?dataset=gus-powiaty-nonames", "en")
    ok(st == 200 and names.get("C") == "Przetwórstwo przemysłowe",
       "a dataset imported without a names file keeps its own names in English too", names.get("C"))


def test_region_names(port):
    """A dataset whose file names no region (Eurostat's codes): the download names
    them from the map's boundaries, as the page does — byte for byte `klaster map
    indicators --region-names` with the same boundaries (the voivodeships by their
    NUTS 2013 codes for the Polish dataset; the NUTS 2021 regions through the
    correspondence, with the NUTS-3 parts, for Europe)."""
    ref = os.path.join(kt.ROOT, "data", "reference")
    for ds, opts, extra in (
            ("eurostat-pl", ["--region-prefix", "PL"],
             ["--region-names", os.path.join(ref, "voivodeships.geojson"), "--code-property", "nuts2_2013"]),
            ("eurostat-eu", [],
             ["--region-names", os.path.join(ref, "eu_nuts2_2021_20M_4326.geojson"), "--code-property", "NUTS_ID",
              "--name-property", "NUTS_NAME", "--nuts2013", "--parts",
              os.path.join(ref, "eu_nuts3_2021_parts_20M_4326.geojson")])):
        # in English, the language of the file's own names (NACE's, from nace_r2_names.csv's name_en)
        st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=" + ds, headers={"Accept-Language": "en"})
        out = os.path.join(kt.WORK, ds + "-named.csv")
        names = NACE_NAMES if ds == "eurostat-pl" else None
        r = kt.cli(None, "map", "indicators", EUROSTAT, *EU_OPTS, *opts, *(["--industry-names", names] if names else []),
                   *extra, "-o", out)
        same = False
        if r.returncode == 0:
            with open(out, "rb") as f:
                same = f.read() == body
        rows = list(csv.DictReader(io.StringIO(body.decode()))) if st == 200 else []
        unnamed = {x["region"] for x in rows if not x["region_name"]}
        # unnamed: the extra-regio codes and Norway's two regions of 2013, whose boundaries changed
        # without a correspondence (not on the NUTS 2021 boundaries, so these cannot name them)
        ok(st == 200 and same and rows and unnamed <= {"ELZZ", "FRZZ", "NO01", "NO03"},
           "%s: the download names the regions from the boundaries, `--region-names` byte for byte" % ds,
           (st, r.returncode, r.stderr[-300:], sorted(unnamed)[:5]))
        if ds == "eurostat-pl":
            ok(any(x["region"] == "PL11" and x["region_name"] == "łódzkie" for x in rows),
               "  PL11 is łódzkie, as the page calls it", st)
    # the region choice of the map of Europe: grouped by country, named in the page's language
    for lang, want in (("en", '<optgroup label="Greece (EL)">'), ("pl", '<optgroup label="Grecja (EL)">')):
        st, h, text = get(port, "/cluster-map/region?dataset=eurostat-eu&region=EL30", lang)
        ok(st == 200 and want in text and '<optgroup label="EL">' not in text,
           "the Europe region choice (%s): countries by name, %s" % (lang, want), st)


def schema_problems(doc, schema, value, where, out):
    """Where value does not conform to schema (the subset of OpenAPI 3.0 the document uses:
    $ref, type, nullable, enum, properties, items): fields undocumented or of another type,
    nulls where not nullable, values outside an enum. Appends "where: what" to out."""
    if "$ref" in schema:
        node = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    if value is None:
        if not schema.get("nullable") and schema.get("type") is not None:
            out.append("%s: null, not nullable" % where)
        return
    if "enum" in schema and value not in schema["enum"]:
        out.append("%s: %r not in %r" % (where, value, schema["enum"]))
    t = schema.get("type")
    ok_type = {"string": isinstance(value, str), "integer": isinstance(value, int) and not isinstance(value, bool),
               "number": isinstance(value, (int, float)) and not isinstance(value, bool),
               "boolean": isinstance(value, bool), "array": isinstance(value, list),
               "object": isinstance(value, dict), None: True}.get(t, True)
    if not ok_type:
        out.append("%s: %r is not %s" % (where, value, t))
        return
    if t == "object" and "properties" in schema:
        for k, v in value.items():
            if k not in schema["properties"]:
                out.append("%s.%s: not in the schema" % (where, k))
            else:
                schema_problems(doc, schema["properties"][k], v, where + "." + k, out)
    if t == "array" and "items" in schema:
        for i, v in enumerate(value[:50]):
            schema_problems(doc, schema["items"], v, "%s[%d]" % (where, i), out)


def test_api_schema(port):
    """The cluster-map and firm API answers conform to the OpenAPI document: no field it
    does not list, no other type, no null where it says none, no value outside an enum."""
    st, h, doc = get_json(port, "/api/v1/openapi.json")
    for path, route in (
            ("/api/v1/datasets", "/api/v1/datasets"),
            ("/api/v1/cluster-map?dataset=eurostat-pl&industry=C29", "/api/v1/cluster-map"),
            ("/api/v1/cluster-map?dataset=eurostat-eu&industry=C29&band_km=500", "/api/v1/cluster-map"),
            ("/api/v1/cluster-map?dataset=gus-powiaty&industry=U", "/api/v1/cluster-map"),
            ("/api/v1/cluster-map?dataset=gus-powiaty&industry=C&indicator=stars", "/api/v1/cluster-map"),
            ("/api/v1/cluster-map/region?dataset=eurostat-pl&region=PL21", "/api/v1/cluster-map/region"),
            ("/api/v1/cluster-map/region?dataset=eurostat-eu&feature=FRB0", "/api/v1/cluster-map/region"),
            ("/api/v1/firm-datasets", "/api/v1/firm-datasets"),
            ("/api/v1/firm-clusters?dataset=eu-ets-pl&eps_km=10&min_samples=3", "/api/v1/firm-clusters"),
            ("/api/v1/firm-hotspots?dataset=eu-ets-pl&value=verified_emissions_2019_tco2&band_km=20",
             "/api/v1/firm-hotspots"),
            ("/api/v1/firm-hotspots?dataset=eu-ets-pl&cell_km=20", "/api/v1/firm-hotspots")):
        st, h, js = get_json(port, path)
        problems = []
        if st == 200 and js is not None and doc:
            schema = doc["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            schema_problems(doc, schema, js, "", problems)
        ok(st == 200 and js is not None and not problems, "%s conforms to the OpenAPI document" % path,
           (st, problems[:5]))


def test_api_downloads_documented(port):
    """The downloads' content types are those the OpenAPI document lists for their 200."""
    st, h, doc = get_json(port, "/api/v1/openapi.json")
    for path, route, want in (
            ("/api/v1/cluster-map.csv?dataset=eurostat-pl", "/api/v1/cluster-map.csv", "text/csv"),
            ("/api/v1/cluster-map.csv?dataset=eurostat-pl&format=xlsx", "/api/v1/cluster-map.csv",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("/api/v1/cluster-map.csv?dataset=eurostat-pl&format=geojson&industry=C29", "/api/v1/cluster-map.csv",
             "application/geo+json"),
            ("/api/v1/cluster-map.xlsx?dataset=eurostat-pl", "/api/v1/cluster-map.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        st, h, body = kt.request(port, "GET", path)
        ctype = h.get("content-type", "").split(";")[0].strip()
        listed = doc["paths"][route]["get"]["responses"]["200"]["content"] if doc else {}
        ok(st == 200 and ctype == want and ctype in listed, "%s: %s, a type the document lists" % (path, want),
           (st, ctype, list(listed)))
    # to= (year's other name) is read by the downloads as by the map: documented, and a year the data lacks is 400
    for route in ("/api/v1/cluster-map.csv", "/api/v1/cluster-map.xlsx"):
        names = [p["name"] for p in doc["paths"][route]["get"]["parameters"]] if doc else []
        st, h, js = get_json(port, route + "?dataset=eurostat-pl&to=1990")
        ok("to" in names and st == 400 and js and js["error"]["message"].startswith("to: "),
           "%s?to=: a parameter the document lists, a year the dataset lacks is 400" % route, (st, js, names))


def test_powiats(port, cells, part):
    st, h, text = get_map(port, "/cluster-map?dataset=powiat-test&industry=C10")
    drawn = regions_drawn(svg_of(text))
    ok(st == 200 and len(drawn) == 380 and all(f != NODATA for f, _ in drawn.values()),
       "powiat dataset: the map has 380 powiats, all with a value", (st, len(drawn)))
    ok(text.count('class="outline"') == 16, "with the 16 voivodeships outlined over them")
    bad = [c for c in ("0201", "1465", "3063", "2261")
           if abs(float(drawn.get(c, ("", "x: nan"))[1].rsplit(": ", 1)[1]) - lq_of(cells, c, "C10")) > 0.0006]
    ok(not bad, "  the LQ of four powiats as computed here from the data", bad)
    ok(drawn.get("1465", ("", ""))[1].startswith("powiat Warszawa"), "  regions named from the boundaries",
       drawn.get("1465"))
    rows = re.findall(r'<tr><td class="num">\d+</td><td>([^<]*)</td>', text)
    ok(len(rows) == 380, "  the ranked table has 380 powiats", len(rows))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=powiat-test&industry=C10")
    ok(js and js["layer"] == "powiats" and all(x["on_map"] for x in js["regions"]), "API: layer powiats, all on the map")
    st, h, text = get_map(port, "/cluster-map?dataset=powiat-part&industry=J62")
    drawn = regions_drawn(svg_of(text))
    filled = sorted(c for c, (f, _) in drawn.items() if f != NODATA)
    ok(len(drawn) == 380 and filled == sorted({r for r, _ in part}), "150 powiats: 150 coloured, 230 without data",
       (len(drawn), len(filled)))
    svg = svg_of(text)
    ok(len(svg) < 300000, "the powiat map's SVG stays small (%d bytes)" % len(svg))


# Older NUTS-2 codes of the Eurostat file and the NUTS 2021 regions they are
# drawn as (Eurostat's NUTS history: the 2013 → 2016 and 2016 → 2021 changes),
# written out here independently of src/nuts.c.
NUTS_2013_TO_2021 = {
    "FR21": ["FRF2"], "FR22": ["FRE2"], "FR23": ["FRD2"], "FR24": ["FRB0"], "FR25": ["FRD1"], "FR26": ["FRC1"],
    "FR30": ["FRE1"], "FR41": ["FRF3"], "FR42": ["FRF1"], "FR43": ["FRC2"], "FR51": ["FRG0"], "FR52": ["FRH0"],
    "FR53": ["FRI3"], "FR61": ["FRI1"], "FR62": ["FRJ2"], "FR63": ["FRI2"], "FR71": ["FRK2"], "FR72": ["FRK1"],
    "FR81": ["FRJ1"], "FR82": ["FRL0"], "FR83": ["FRM0"],
    "FRA1": ["FRY1"], "FRA2": ["FRY2"], "FRA3": ["FRY3"], "FRA4": ["FRY4"], "FRA5": ["FRY5"],
    "HU10": ["HU11", "HU12"], "HR04": ["HR02", "HR05", "HR06"], "LT00": ["LT01", "LT02"],
    # on NUTS-3 parts (data/reference/eu_nuts3_2021_parts_20M_4326.geojson)
    "IE01": ["IE041", "IE042", "IE063"], "IE02": ["IE051", "IE052", "IE053", "IE061", "IE062"],
    "NO04": ["NO092", "NO0A1"], "NO05": ["NO0A2", "NO0A3"],
    "UKM2": ["UKM71", "UKM72", "UKM73", "UKM75", "UKM76", "UKM77", "UKM78", "UKM91"],
    "UKM3": ["UKM81", "UKM82", "UKM83", "UKM84", "UKM92", "UKM93", "UKM94", "UKM95"],
}


def nuts_layer():
    with open(os.path.join(kt.ROOT, "data/reference/eu_nuts2_2021_20M_4326.geojson"), encoding="utf-8") as f:
        nuts = {ft["properties"]["NUTS_ID"] for ft in json.load(f)["features"]}
    with open(os.path.join(kt.ROOT, "data/reference/eu_nuts3_2021_parts_20M_4326.geojson"), encoding="utf-8") as f:
        nuts |= {ft["properties"]["NUTS_ID"] for ft in json.load(f)["features"]}
    with open(os.path.join(kt.ROOT, "data/reference/voivodeships.geojson"), encoding="utf-8") as f:
        pl = {ft["properties"]["nuts2_2013"]: ft["properties"]["nuts2"].split("+") for ft in json.load(f)["features"]}
    return nuts, pl


def eurostat_lq(industry):
    """LQs of one industry computed here from the Eurostat file, NUTS-2 regions
    (4 characters) and 3-character NACE codes as imported: a value is a number
    with optional flag letters; blanks, flags alone and other text are missing."""
    cells = {}
    with open(os.path.join(kt.ROOT, EUROSTAT), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*[a-z]*\s*$", row["n2015"])
            if len(row["geo"]) == 4 and len(row["nace_r2"]) == 3 and m:
                cells[(row["geo"], row["nace_r2"])] = float(m.group(1))
    e_r, e_i = {}, {}
    for (r, i), v in cells.items():
        e_r[r] = e_r.get(r, 0) + v
        e_i[i] = e_i.get(i, 0) + v
    e = sum(cells.values())
    return {r: (v / e_r[r]) / (e_i[i] / e) for (r, i), v in cells.items() if i == industry}


def test_europe_hotspots(port):
    """Hot spots on the map of Europe: the download equals `klaster map hotspots
    --regions` on the NUTS 2021 layer and its parts, byte for byte — Ceuta and
    Melilla, too small to draw at the map's scale, are points of the
    computation all the same and named from their boundaries, on the table and
    on their profile."""
    out = os.path.join(kt.WORK, "europe-hotspots.csv")
    ref = os.path.join(kt.ROOT, "data", "reference")
    r = kt.cli(None, "map", "hotspots", EUROSTAT, *EU_OPTS, "--industry", "C29", "--band", "500000", "--regions",
               os.path.join(ref, "eu_nuts2_2021_20M_4326.geojson"), "--code-property", "NUTS_ID", "--name-property",
               "NUTS_NAME", "--nuts2013", "--parts", os.path.join(ref, "eu_nuts3_2021_parts_20M_4326.geojson"), "-o", out)
    want = open(out, "rb").read() if r.returncode == 0 else None
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-eu&industry=C29&band_km=500")
    ok(st == 200 and want and body == want and b"\nES63,Ciudad de Ceuta," in body,
       "Europe, band_km=500: the hot-spot download equals the command line's, Ceuta and Melilla included",
       (st, r.stderr, want and len(want), len(body)))
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-eu&industry=C29&band_km=500")
    ok(st == 200 and "<td>ES63 Ciudad de Ceuta <span" in text and "<td>ES70 Canarias <span" in text,
       "  the table names regions too small or outside the frame to draw from their boundaries", st)
    st, h, text = get_map(port, "/cluster-map/region?dataset=eurostat-eu&region=ES63")
    ok(st == 200 and "<h2>Ciudad de Ceuta (ES63)" in text, "  and so does the region's profile", st)


def test_europe(port):
    nuts, pl13 = nuts_layer()
    lq = eurostat_lq("C29")
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-eu&industry=C29")
    svg = svg_of(text)
    drawn = regions_drawn(svg)
    ok(st == 200 and 300 < len(drawn) <= len(nuts) and set(drawn) <= nuts,
       "Europe: the map draws the NUTS-2 regions of the layer (%d of %d)" % (len(drawn), len(nuts)), (st, len(drawn)))
    ok("ES70" not in drawn and "FRY1" not in drawn and "DE11" in drawn and "IS00" in drawn,
       "  framed on Europe: the outermost regions (Canaries, overseas France) are left out")
    # the regions with a value: the data's codes found in the layer, older codes as their NUTS 2021 regions
    # (Polish 2013 codes through the voivodeships' nuts2 codes) when the data does not hold those itself
    want = {}
    for code, v in lq.items():
        for c in ([code] if code in nuts else pl13.get(code, NUTS_2013_TO_2021.get(code, []))):
            if c in drawn and (c == code or c not in lq):
                want[c] = v
    filled = {c for c, (f, _) in drawn.items() if f != NODATA}
    ok(filled == set(want), "  the coloured regions are the data's regions with a boundary (%d)" % len(want),
       (sorted(filled - set(want))[:10], sorted(set(want) - filled)[:10]))
    bad = [c for c in want if abs(float(drawn[c][1].rsplit(": ", 1)[1]) - want[c]) > 0.0006]
    ok(not bad, "  each region's LQ is the one computed here from the file", bad[:10])
    ok("PL71" in filled and "PL91" in filled and "PL92" in filled,
       "  Polish NUTS-2013 codes find their NUTS 2021 regions (PL11 → PL71, PL12 → PL91 + PL92)")
    ok(all(x in filled for x in ("FRB0", "FRK2", "HU11", "HU12", "HR02", "HR05", "HR06", "LT01", "LT02")),
       "  NUTS 2013 codes that changed are drawn as their NUTS 2021 regions (FR24 → FRB0, HU10 → HU11 + HU12 …)")
    ok(all(x in filled for x in NUTS_2013_TO_2021["UKM2"] + NUTS_2013_TO_2021["NO04"]) and
       not any(x in drawn for x in NUTS_2013_TO_2021["IE01"]),
       "  UKM2 and NO04 are drawn on their NUTS-3 parts; IE01's parts, without a value for C29, not at all")
    ok(drawn.get("HU11", ("", ""))[0] == drawn.get("HU12", ("", "x"))[0] and
       abs(float(drawn.get("HU12", ("", "x: nan"))[1].rsplit(": ", 1)[1]) - lq["HU10"]) <= 0.0006,
       "  HU10 is drawn on both HU11 and HU12, in one colour, with its LQ", (drawn.get("HU11"), drawn.get("HU12")))
    ok(abs(float(drawn.get("FRB0", ("", "x: nan"))[1].rsplit(": ", 1)[1]) - lq["FR24"]) <= 0.0006,
       "  FRB0 carries the LQ of FR24", drawn.get("FRB0"))
    row = re.search(r"<td>FR24 [^<]*<span[^>]*>([^<]*)</span></td>", text)
    ok(row and "FRB0" in row.group(1) and "Centre" in row.group(1),
       "  the ranked table shows FR24 and the region it is drawn as", row and row.group(0))
    m = re.search(r'<p class="muted unmapped">[^<]*\((\d+)\): ([^<]*)</p>', text)
    listed = html.unescape(m.group(2)) if m else ""
    ok(m and "boundaries changed (no correspondence): NO01, NO03;" in listed and "IE01" not in listed and
       re.search(r"extra-regio \(no territory\): [^;]*FRZZ", listed) and
       re.search(r"outside the map's frame: [^;]*FRA1", listed) and "FR21" not in listed,
       "  the regions not on the map are listed with the reason (%s)" % (m.group(1) if m else "none"), listed[:300])
    ok("EuroGeographics" in text, "  the boundaries are credited")
    ok(len(svg) < 200000, "  the SVG stays small (%d bytes)" % len(svg))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-eu&industry=C29")
    reg = {x["region"]: x for x in js["regions"]} if js else {}
    ok(js and js["layer"] == "nuts2" and {x for x, y in reg.items() if not y["on_map"]} >= {"NO01", "FRZZ"} and
       {x for x, y in reg.items() if y["on_map"]} >= {"DE11", "PL12", "PL21", "FR21"},
       "API: layer nuts2, regions without a boundary flagged", js and js["layer"])
    got = {c: (reg.get(c, {}).get("drawn_as"), reg.get(c, {}).get("correspondence"), reg.get(c, {}).get("why"))
           for c in ("FR24", "HU10", "PL12", "DE11", "IE01", "UKM2", "NO01", "FRZZ", "FRA1")}
    eq(got, {"FR24": (["FRB0"], "recode", None), "HU10": (["HU11", "HU12"], "union", None),
             "PL12": (["PL91", "PL92"], "union", None), "DE11": (["DE11"], None, None),
             "IE01": (["IE041", "IE042", "IE063"], "boundary", None), "UKM2": (NUTS_2013_TO_2021["UKM2"], "union", None),
             "NO01": ([], None, "boundaries changed (no correspondence)"), "FRZZ": ([], None, "extra-regio (no territory)"),
             "FRA1": ([], None, "outside the map's frame")},
       "API: drawn_as, correspondence and why of FR24, HU10, PL12, DE11, IE01, UKM2, NO01, FRZZ, FRA1")
    ok(sum(1 for c in NUTS_2013_TO_2021 if reg.get(c, {}).get("correspondence")) + 6 ==
       sum(1 for y in reg.values() if y["correspondence"]) == 36,
       "API: 36 regions of the file drawn through the correspondence (the French, HU10, HR04, LT00, 6 Polish, "
       "and IE01, IE02, NO04, NO05, UKM2, UKM3 on NUTS-3 parts)",
       sum(1 for y in reg.values() if y["correspondence"]))
    # Poland alone stays on the voivodeships
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C31")
    drawn = regions_drawn(svg_of(text))
    ok(st == 200 and len(drawn) == 16 and all(f != NODATA for f, _ in drawn.values()),
       "a Polish NUTS-2013 dataset is still drawn on the 16 voivodeships", len(drawn))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C31")
    ok(js and js["layer"] == "voivodeships", "API: layer voivodeships", js and js.get("layer"))


def eutl_points(industry=None):
    pts = []
    with open(os.path.join(kt.ROOT, EUTL), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["lat"] not in ("", "NA") and row["lon"] not in ("", "NA") and \
                    (industry is None or row["ets_activity_code"] == industry):
                pts.append((float(row["lat"]), float(row["lon"])))
    return pts


def grid_gi_star(cells):
    """z of Gi* (binary weights, the cell itself and the eight around that are
    listed; Getis and Ord 1992) of {(row, col): value}, recomputed here."""
    import math
    n_ = len(cells)
    mean = sum(cells.values()) / n_
    sd = math.sqrt(sum(v * v for v in cells.values()) / n_ - mean * mean)
    out = {}
    for (rr, cc) in cells:
        nb = [cells[(rr + a_, cc + b_)] for a_ in (-1, 0, 1) for b_ in (-1, 0, 1) if (rr + a_, cc + b_) in cells]
        w = len(nb)
        den = sd * math.sqrt((n_ * w - w * w) / (n_ - 1))
        out[(rr, cc)] = (sum(nb) - w * mean) / den if den > 0 else None
    return out


def test_hotspots(port):
    """Gi* on a grid: the grid of Europe (EPSG:3035) by default, over the
    cells inside the map's regions; the grid in degrees on request.  The
    counts are recomputed here from the file, the tables compared with
    `klaster map hotspots` byte for byte, every z recomputed."""
    voiv = os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson")
    pts = eutl_points()
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&cell_km=20")
    ok(st == 200 and js and js["cell_km"] == 20 and js["band_km"] == 30 and js["grid"] == "eu" and
       js["crs"] == "EPSG:3035" and js["x0"] % 20000 == 0 and js["y0"] % 20000 == 0 and
       js["cells_in_area"] < js["rows"] * js["cols"],
       "API: hot spots on a 20 km grid of Europe (EPSG:3035), the cells in the map's regions", (st, js and
                                                                                               {k: js.get(k) for k in ("grid", "x0", "cells_in_area")}))
    if not js:
        return
    st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?dataset=eu-ets-pl&cell_km=20")
    out = os.path.join(kt.WORK, "grid-eu.csv")
    r = kt.cli(None, "map", "hotspots", EUTL, "--cell", "20000", "--grid", "eu", "--within", voiv, "-o", out)
    mine = open(out, "rb").read() if r.returncode == 0 and os.path.exists(out) else b""
    ok(st == 200 and 'filename="eu-ets-pl-grid-hotspots-20km-epsg3035.csv"' in h.get("content-disposition", "") and
       body == mine and mine,
       "the grid's CSV equals `klaster map hotspots --cell 20000 --grid eu --within voivodeships` byte for byte",
       (st, h.get("content-disposition"), r.stderr[-300:]))
    st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?dataset=eu-ets-pl&cell_km=20&format=geojson")
    out = os.path.join(kt.WORK, "grid-eu.geojson")
    r = kt.cli(None, "map", "hotspots", EUTL, "--cell", "20000", "--grid", "eu", "--within", voiv, "-o", out)
    gmine = open(out, "rb").read() if r.returncode == 0 and os.path.exists(out) else b""
    ok(st == 200 and h.get("content-type") == "application/geo+json" and
       'filename="eu-ets-pl-grid-hotspots-20km-epsg3035.geojson"' in h.get("content-disposition", "") and
       without_attribution(body) == gmine and gmine and json.loads(gmine)["type"] == "FeatureCollection",
       "format=geojson: the cells as a layer, equal to `-o cells.geojson` byte for byte (but for the list's "
       "attribution)",
       (st, h.get("content-type"), h.get("content-disposition")))
    st, h, body = kt.request(port, "GET", "/cluster-map/points.csv?dataset=eu-ets-pl&format=geojson")
    fc = json.loads(body) if st == 200 else {}
    ok(st == 200 and len(fc.get("features", [])) == len(pts) and
       fc["features"][0]["geometry"]["type"] == "Point", "the firms' clusters as GeoJSON points", st)
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&cell_km=20")
    ok('href="/cluster-map/hotspots.csv?dataset=eu-ets-pl&amp;eps_km=10&amp;min_samples=3&amp;cell_km=20&amp;format=geojson"'
       in text and '/cluster-map/points.csv?dataset=eu-ets-pl&amp;eps_km=10&amp;min_samples=3&amp;cell_km=20&amp;format=geojson'
       in text, "  the page links both", re.findall(r'href="[^"]*geojson[^"]*"', text))
    st, h, body = kt.request(port, "GET", "/cluster-map/points.csv?dataset=eu-ets-pl&format=kml")
    ok(st == 400 and b"geojson" in body, "format=kml is a 400 naming the formats", st)
    eu = list(csv.DictReader(io.StringIO(mine.decode("utf-8-sig")))) if mine else []
    ref = grid_gi_star({(int(x["row"]), int(x["col"])): float(x["firms"]) for x in eu}) if eu else {}
    worst = max((abs(ref[(int(x["row"]), int(x["col"]))] - float(x["z"])) for x in eu if x["z"]), default=1) / 10
    ok(eu and len(eu) == js["cells_in_area"] and sum(float(x["firms"]) for x in eu) == len(pts) and worst < 1e-9,
       "  every cell in the area listed, every firm counted, every z as recomputed here (max error %.1e of 10 digits)" % (worst * 10))
    by_code = {x["code"]: x for x in eu}
    ok(all(x["code"] in by_code and by_code[x["code"]]["firms"] == "%d" % x["count"] and
           abs(float(by_code[x["code"]]["z"] or "nan") - (x["z"] if x["z"] is not None else float("nan"))) < 1e-9
           or (x["z"] is None and by_code[x["code"]]["z"] == "") for x in js["items"]) and
       js["hot"] == sum(1 for x in eu if x["spot"] == "hot") > 10 and js["cold"] == sum(1 for x in eu if x["spot"] == "cold"),
       "  the API's cells, by their codes, are the table's", (js["hot"], js["cold"]))
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&cell_km=20")
    m = re.search(r'<p class="hotspots" data-cells="(\d+)" data-in-area="(\d+)" data-grid="eu" data-hot="(\d+)" '
                  r'data-cold="(\d+)"', text)
    svg = svg_of(text)
    ok(st == 200 and m and (int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))) ==
       (js["rows"] * js["cols"], len(eu), js["hot"], js["cold"]) and
       svg.count('<polygon class="hot"') == js["hot"] and svg.count('<polygon class="cold"') == js["cold"] and
       ("EPSG:3035" in kt.text_of(text)),
       "the page: the grid of Europe, the same hot and cold cells", m and m.groups())
    npts = [len(x.split()) for x in re.findall(r'<polygon class="(?:hot|cold)" points="([^"]*)"', svg)]
    ok(npts and min(npts) > 4 and max(npts) <= 16,
       "  each cell drawn along its curved edges (a point every 5 km of a 20 km square), not through its corners",
       npts[:5])

    # the table of hot and cold cells: the most extreme first, each with its code and firms
    trs = re.findall(r'<tr data-cell="(\d+)" data-spot="(hot|cold)" data-z="([^"]+)"><td>([^<]*)</td>'
                     r'<td class="num">(\d+)</td><td>([^<]*)</td>', text)
    spots = {x["code"]: x for x in eu if x["spot"]}
    zs = [float(t_[2]) for t_ in trs]
    ok(len(trs) == min(len(spots), 100) and all(t_[3] in spots and spots[t_[3]]["spot"] == t_[1] and
                                                 spots[t_[3]]["firms"] == t_[4] and t_[0] == spots[t_[3]]["cell"]
                                                 for t_ in trs) and
       [t_[1] for t_ in trs] == sorted((t_[1] for t_ in trs), key=lambda v: v != "hot") and
       all(abs(zs[i]) >= abs(zs[i + 1]) for i in range(len(zs) - 1) if trs[i][1] == trs[i + 1][1]) and
       all(t_[5] for t_ in trs if int(t_[4]) > 0),
       "  the table of hot and cold cells: by code, the table's firms, the most extreme z first, firms named",
       trs[:3])
    # the grid in degrees, on request
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&cell_km=20&grid=degrees")
    ok(st == 200 and js and js["grid"] == "degrees", "API: grid=degrees", (st, js and js.get("grid")))
    if not js:
        return
    rows, cols, lat0, lon0, dlat, dlon = (js[k] for k in ("rows", "cols", "lat0", "lon0", "dlat", "dlon"))
    ok(lat0 == min(p[0] for p in pts) and lon0 == min(p[1] for p in pts) and
       abs(dlat - 20000 / 6371008.8 * 180 / 3.141592653589793) < 1e-12 and
       abs(dlon - dlat / __import__("math").cos((min(p[0] for p in pts) + max(p[0] for p in pts)) / 2 * 3.141592653589793 / 180)) < 1e-12,
       "  the grid starts at the south-west point; cells 20 km high and wide at the middle latitude")
    counts = [0] * (rows * cols)
    for lat, lon in pts:
        r_ = min(int((lat - lat0) // dlat), rows - 1)
        c = min(int((lon - lon0) // dlon), cols - 1)
        counts[r_ * cols + c] += 1
    got = {(x["row"], x["col"]): x for x in js["items"]}
    ok(all(got.get((k // cols, k % cols), {"count": 0})["count"] == n for k, n in enumerate(counts) if n) and
       sum(x["count"] for x in js["items"]) == len(pts), "  the count of every cell, as computed here from the file")
    st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?dataset=eu-ets-pl&cell_km=20&grid=degrees")
    out = os.path.join(kt.WORK, "grid-hotspots.csv")
    r = kt.cli(None, "map", "hotspots", EUTL, "--cell", "20000", "--within", voiv, "-o", out)
    mine = open(out, "rb").read() if r.returncode == 0 and os.path.exists(out) else b""
    ok(st == 200 and 'filename="eu-ets-pl-grid-hotspots-20km.csv"' in h.get("content-disposition", "") and
       body == mine and mine,
       "the grid's CSV equals `klaster map hotspots --cell 20000 --within voivodeships` on the file, byte for byte",
       (st, h.get("content-disposition"), r.stderr[-300:]))
    grid = list(csv.DictReader(io.StringIO(mine.decode("utf-8-sig")))) if mine else []
    # Gi* of the densities (firms per km² of the cell on the sphere) at the cells' places on the
    # grid (20 km apart whatever the latitude): the eight around each cell in the area are its neighbours
    ref = grid_gi_star({(int(x["row"]), int(x["col"])): float(x["firms"]) / float(x["area_km2"]) for x in grid}) \
        if grid else {}
    worst = max((abs(ref[(int(x["row"]), int(x["col"]))] - float(x["z"])) for x in grid if x["z"]), default=1) / 10
    hot = sum(1 for x in grid if x["spot"] == "hot")
    cold = sum(1 for x in grid if x["spot"] == "cold")
    ok(grid and len(grid) == js["cells_in_area"] and sum(float(x["firms"]) for x in grid) == len(pts) and worst < 1e-9
       and js["hot"] == hot and js["cold"] == cold and hot > 10 and
       "%d x %d cells of 20000 m" % (rows, cols) in r.stderr,
       "  every cell: its firms, z recomputed here (max error %.1e of 10 digits), %d hot and %d cold" % (worst * 10, hot, cold),
       (len(grid), r.stderr[-300:]))
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&cell_km=20&grid=degrees")
    m = re.search(r'<p class="hotspots" data-cells="(\d+)" data-in-area="(\d+)" data-grid="degrees" data-hot="(\d+)" '
                  r'data-cold="(\d+)"', text)
    svg = svg_of(text)
    ok(st == 200 and m and (int(m.group(1)), int(m.group(3)), int(m.group(4))) == (rows * cols, hot, cold) and
       svg.count('<polygon class="hot"') == hot and svg.count('<polygon class="cold"') == cold and
       all(len(x.split()) == 4 for x in re.findall(r'<polygon class="(?:hot|cold)" points="([^"]*)"', svg)) and
       'name="grid"' in text and '<option value="degrees" selected>' in text,
       "the page: the same hot and cold cells, drawn under the firms; the form keeps grid=degrees", m and m.groups())
    for q_, want in (("grid=utm", "grid: eu"), ("grid=eu&cell_km=2.0005", "whole metres")):
        st, h, js2 = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&" + q_)
        ok(st == 400 and js2 and want in js2["error"]["message"], "API: %s is a 400 (%s)" % (q_, want), js2)
    st, _, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&cell_km=20")
    ok('href="/cluster-map/hotspots.csv?dataset=eu-ets-pl' in text and
       ("each grid cell" in kt.text_of(text) or "każdego oczka siatki" in kt.text_of(text)), "  the page links to it")
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl")
    ok("<p class=\"hotspots\"" not in text and "<polygon class=\"hot\"" not in svg_of(text),
       "without cell_km the page has no hot spots")
    for value in ("0.5", "201", "abc", "1"):
        st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&cell_km=" + value)
        ok(st == 400 and names_field(text, "cell_km"), "cell_km=%s is a 400 naming cell_km" % value, (st, kt.text_of(text)[-200:]))
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&cell_km=1")
    ok(st == 400 and js and "cell_km" in js["error"]["message"] and "40000" in js["error"]["message"],
       "API: a grid of too many cells is a 400 naming cell_km and the limit", js)
    for path, pl, en in (("/cluster-map/points?dataset=eu-ets-pl&cell_km=1",
                          "ponad 40000 oczek po 1 km nad obszarem firm", "more than 40000 cells of 1 km"),
                         ("/cluster-map/points?dataset=eu-ets-pl&cell_km=20&industry=37",
                          "firmy mieszczą się w jednym oczku po 20 km", "the firms fit in one cell of 20 km"),
                         ("/cluster-map/points?dataset=eu-ets-pl&value=%s&industry=3" % EM19,
                          "żadna firma branży 3 nie ma wartości", "no firm of industry 3 has a value of")):
        st, h, text = get(port, path, "pl")
        st2, h2, text2 = get(port, path, "en")
        ok(st == st2 == 400 and pl in html.unescape(text) and en in html.unescape(text2),
           "%s: the message in the page's language and in km" % path.split("?")[1], (kt.text_of(text)[-300:],))
    # 16.1 km is 16099.999999999998 m in binary: the grid of Europe takes it as the 16100 m it is,
    # the command line's --cell 16100
    st, h, body = kt.request(port, "GET", "/cluster-map/hotspots.csv?dataset=eu-ets-pl&cell_km=16.1&grid=eu")
    out = os.path.join(kt.WORK, "grid-eu-16100.csv")
    r = kt.cli(None, "map", "hotspots", EUTL, "--cell", "16100", "--grid", "eu", "--within", voiv, "-o", out)
    mine = open(out, "rb").read() if r.returncode == 0 and os.path.exists(out) else b""
    ok(st == 200 and mine and body == mine and b"CRS3035RES16100m" in body,
       "cell_km=16.1 on the grid of Europe: whole metres, the CSV of --cell 16100 byte for byte", (st, body[:200]))
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&cell_km=1.5&lang=pl")
    ok(st == 400 and js and "cells of 1.5 km" in js["error"]["message"],
       "the API's message is English, its numbers too (1.5 km, not 1,5)", js)
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=eu-ets-pl&industry=20&cell_km=25")
    n20 = len(eutl_points("20"))
    ok(st == 200 and js and js["firms"] == n20 and js["industry"] == "20" and sum(x["count"] for x in js["items"]) == n20,
       "API: hot spots of one industry count its firms only (%d)" % n20, js and js.get("firms"))


def test_hotspot_edges(db, port):
    """A value that is 0 at every firm has no G_i (it divides by the sum): the API writes null, as
    the CSV leaves the cell empty, and the answer stays JSON."""
    path = os.path.join(kt.WORK, "zeros.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon,v\n1,a,52.1,21.0,0\n2,b,52.12,21.01,0\n3,c,52.5,21.3,0\n4,d,50.1,19.9,0\n")
    r = kt.cli(db, "import", "firms", path, "--dataset", "zeros", "--value", "v")
    st, h, body = kt.request(port, "GET", "/api/v1/firm-hotspots?dataset=zeros&value=v&band_km=20")
    try:
        js = json.loads(body)
    except ValueError:
        js = None
    ok(r.returncode == 0 and st == 200 and js and len(js["items"]) == 4 and
       all(x["gi"] is None and x["z"] is None for x in js["items"]),
       "API: hot spots of a value 0 everywhere: gi null, valid JSON", (st, body[:300]))
    # firms beyond the map's regions (Poland's or Europe's): the regions bound nothing, and every
    # cell of the firms' box takes part, as on the command line without --within
    path = os.path.join(kt.WORK, "usa.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon\n")
        for i in range(30):
            f.write("u%d,f%d,%.3f,%.3f\n" % (i, i, 40.0 + (i % 6) * 0.15, -75.0 + (i // 6) * 0.2))
    r = kt.cli(db, "import", "firms", path, "--dataset", "usa")
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=usa&cell_km=10")
    st2, h2, text = get(port, "/cluster-map/points?dataset=usa&cell_km=10")
    ok(r.returncode == 0 and st == 200 and js and js["grid"] == "degrees" and
       js["cells_in_area"] == js["rows"] * js["cols"] and st2 == 200 and
       "every cell of the firms' box" in html.unescape(text),
       "firms in America: every cell of their box takes part, and the page says so",
       (st, js and {k: js.get(k) for k in ("grid", "rows", "cols", "cells_in_area")}))


# ---------------------------------------------------------------- reference economy and traded base

REF_REGIONS = [("02", "Dolnośląskie"), ("04", "Kujawsko-pomorskie"), ("06", "Lubelskie"), ("08", "Lubuskie")]
# code, name, traded flag in the file ("" not given)
REF_INDUSTRIES = [("C26", "Elektronika & <optyka>", "1"), ("C27", 'Urządzenia "elektryczne"', "tak"),
                  ("G47", "Handel detaliczny", "0"), ("J62", "Oprogramowanie", "yes"), ("S96", "Usługi osobiste", "")]


def ref_files():
    """A small statistics file with establishments, names and a traded column,
    and a reference economy for it with a year column (one value unknown,
    one industry absent in a year); returns both paths."""
    data = os.path.join(kt.WORK, "ref-stats.csv")
    ref = os.path.join(kt.WORK, "ref-economy.csv")
    with open(data, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["region", "industry", "year", "employment", "establishments", "traded", "region_name",
                    "industry_name"])
        for y in (2022, 2023):
            for n, (reg, rname) in enumerate(REF_REGIONS):
                for j, (ind, iname, traded) in enumerate(REF_INDUSTRIES):
                    emp = 40 + (n * 53 + j * 211 + (y - 2022) * 17) % 700
                    est = "" if (n, j) == (1, 2) else str(1 + (n * 7 + j * 3) % 25)
                    w.writerow([reg, ind, y, emp, est, traded, rname, iname])
    with open(ref, "w", encoding="utf-8") as f:
        f.write("industry,employment,year\n")
        for y in (2022, 2023):
            for j, (ind, _, _) in enumerate(REF_INDUSTRIES):
                if (y, ind) == (2023, "S96"):
                    continue            # absent: unknown
                f.write("%s,%s,%d\n" % (ind, ":" if (y, ind) == (2022, "G47") else str(9000 + j * 4100 + (y - 2022) * 300), y))
    return data, ref


def cli_indicators(*args, out_name="ref-indicators.csv"):
    """`klaster map indicators … -o FILE`: the file's bytes (None on failure) and stderr."""
    out = os.path.join(kt.WORK, out_name)
    if os.path.exists(out):
        os.unlink(out)
    r = kt.cli(None, "map", "indicators", *args, "-o", out)
    return (open(out, "rb").read() if r.returncode == 0 else None), r.stderr


def num_or_none(s):
    return None if s == "" else float(s)


def test_reference(db, port):
    """A dataset imported with --reference and a traded column keeps both:
    the portal's downloads equal `klaster map indicators --reference` on the
    file byte for byte (and with base=traded `--base traded`), the API gives
    the same numbers with establishments and the three star flags, and a
    base the dataset cannot give is a 400 naming base."""
    data, ref = ref_files()
    r = kt.cli(db, "import", "stats", data, "--dataset", "ref-small", "--title", "Odniesienie <test>",
               "--reference", ref)
    ok(r.returncode == 0 and "4 regions x 5 industries x 2 years stored" in r.stdout,
       "import stats --reference: a small file with a traded column", r.stdout + r.stderr)
    want_all, err = cli_indicators(data, "--reference", ref)
    want_traded, err2 = cli_indicators(data, "--reference", ref, "--base", "traded", out_name="ref-traded.csv")
    plain, _ = cli_indicators(data, out_name="ref-plain.csv")
    ok(want_all and want_traded and plain and want_all != plain,
       "the command line's tables (the reference changes the LQs)", err + err2)
    for path in ("/cluster-map.csv", "/api/v1/cluster-map.csv"):
        st, h, body = kt.request(port, "GET", path + "?dataset=ref-small")
        ok(st == 200 and h.get("content-type", "").startswith("text/csv") and
           'filename="ref-small.csv"' in h.get("content-disposition", "") and body == want_all,
           "%s: equals `klaster map indicators FILE --reference REF -o` byte for byte" % path,
           (st, h.get("content-disposition"), body[:300], want_all and want_all[:300]))
        st, h, body = kt.request(port, "GET", path + "?dataset=ref-small&base=traded")
        ok(st == 200 and 'filename="ref-small-traded.csv"' in h.get("content-disposition", "") and body == want_traded,
           "%s?base=traded: equals `… --base traded -o` byte for byte" % path, (st, body[:300]))
        st, h, body = kt.request(port, "GET", path + "?dataset=ref-small&base=all")
        ok(st == 200 and body == want_all, "%s?base=all: the same as without base" % path, st)
    # XLSX: the page's link and the API's .xlsx, cell for cell the command line's
    out_x = os.path.join(kt.WORK, "ref-traded.xlsx")
    r = kt.cli(None, "map", "indicators", data, "--reference", ref, "--base", "traded", "-o", out_x)
    want_x = xlsx_cells(open(out_x, "rb").read()) if r.returncode == 0 else None
    for path in ("/cluster-map.csv?dataset=ref-small&base=traded&format=xlsx",
                 "/api/v1/cluster-map.xlsx?dataset=ref-small&base=traded"):
        st, h, body = kt.request(port, "GET", path)
        got = xlsx_cells(body) if st == 200 and body[:4] == b"PK\x03\x04" else None
        ok(want_x and got == want_x and 'filename="ref-small-traded.xlsx"' in h.get("content-disposition", ""),
           "%s: the cells of `… --base traded -o FILE.xlsx`" % path.split("?")[0], (st, r.stderr))
    st, h, js = get_json(port, "/api/v1/cluster-map.xlsx?dataset=ref-small&format=csv")
    ok(st == 400 and js and js["error"]["message"].startswith("format: 'csv' contradicts the path's .xlsx") and
       "/api/v1/cluster-map.csv" in js["error"]["message"],
       "/api/v1/cluster-map.xlsx?format=csv: a 400 saying the two disagree (neither guessed)", (st, js))
    st, h, body = kt.request(port, "GET", "/api/v1/cluster-map.xlsx?dataset=ref-small&format=xlsx")
    ok(st == 200 and body[:2] == b"PK", "/api/v1/cluster-map.xlsx?format=xlsx: the workbook", st)
    # the API: every field of the table, for every industry and year, in both bases
    for base, want in (("all", want_all), ("traded", want_traded)):
        rows = list(csv.DictReader(io.StringIO((want or b"").decode("utf-8"))))
        bad, n = [], 0
        for y in (2022, 2023):
            for ind, _, _ in REF_INDUSTRIES:
                q = "dataset=ref-small&industry=%s&year=%d" % (ind, y) + ("&base=traded" if base == "traded" else "")
                st, h, js = get_json(port, "/api/v1/cluster-map?" + q)
                if st != 200 or not js or js.get("base") != base or js.get("reference") is not True:
                    bad.append((q, st, js and js.get("base")))
                    continue
                got = {x["region"]: x for x in js["regions"]}
                for x in rows:
                    if x["industry"] != ind or x["year"] != str(y):
                        continue
                    n += 1
                    g = got.get(x["region"], {})
                    has = x["stars"] != ""
                    same = all((g.get(k) is None and x[k] == "") or
                               (g.get(k) is not None and x[k] != "" and close(g[k], float(x[k])))
                               for k in ("employment", "establishments", "lq", "share_of_region", "share_of_industry"))
                    same = same and (not has or (
                        [g.get(k) for k in ("size_star", "specialisation_star", "focus_star", "strong", "strong10")] ==
                        [None if x[k] == "" else x[k] == "1"   # a strong flag may be unknown where stars are not
                         for k in ("size_star", "specialisation_star", "focus_star", "strong", "strong10")]
                        and g.get("stars") == int(x["stars"])))
                    if not same:
                        bad.append((q, x["region"], g, dict(x)))
        ok(n == 40 and not bad, "API base=%s: establishments, LQ, shares, the three star flags, stars and strong of "
           "every region, industry and year equal the command line's (%d rows)" % (base, n), bad[:3])
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=ref-small&industry=G47&year=2022&base=traded")
    ok(st == 200 and js and all(x["lq"] is None and x["size_star"] is None and x["stars"] is None and
                                x["strong"] is None for x in js["regions"]),
       "API base=traded: a local industry has no LQ, and its stars and strong flags are null (not computed)",
       js and js["regions"][:1])
    st, h, text = get_map(port, "/cluster-map?dataset=ref-small&industry=G47&year=2022&base=traded")
    rows = re.findall(r'<tr(?: class="nodata")?><td class="num">\d*</td><td>[^<]*</td>(.*?)</tr>', text)
    ok(st == 200 and rows and all(x.endswith("<td>\u2013</td><td>\u2013</td>") for x in rows),
       "page base=traded: a local industry's stars and strong flag are dashes", rows[:1])
    st, h, js = get_json(port, "/api/v1/datasets")
    got = {x["name"]: (x.get("reference"), x.get("traded")) for x in js["items"]} if js else {}
    ok(got.get("ref-small") == (True, True) and got.get("powiat-test") == (False, False),
       "/api/v1/datasets: reference and traded of each dataset", got)
    # the page: the choice of base, the LQs of the command line, the links
    rows = {(x["region"], x["industry"], x["year"]): x
            for x in csv.DictReader(io.StringIO((want_traded or b"").decode("utf-8")))}
    st, h, text = get_map(port, "/cluster-map?dataset=ref-small&industry=C26&year=2022&base=traded")
    form = [x for x in kt.Forms(text).forms if x["action"] == "/cluster-map"]
    opts = re.findall(r'<select id="f-base" name="base">(.*?)</select>', text, re.S)
    ok(st == 200 and form and form[0]["method"] == "get" and form[0]["fields"].get("base") == "traded" and opts and
       re.findall(r'<option value="([^"]*)"', opts[0]) == ["all", "traded"],
       "page: a GET form with the base (all, traded), traded chosen", form and form[0]["fields"])
    table = re.findall(r'<tr><td class="num">\d+</td><td>([^<]*)</td><td class="num">([^<]*)</td>'
                       r'<td class="num">([^<]*)</td>', text)
    names = dict((n, c) for c, n in REF_REGIONS)
    ok(len(table) == 4 and all(lq == "%.2f" % float(rows[(names[html.unescape(n)], "C26", "2022")]["lq"])
                               for n, emp, lq in table),
       "page: the ranked table's LQs are those of --base traded --reference", table)
    ok('data-reference="1" data-base="traded"' in text and
       'href="/cluster-map.csv?dataset=ref-small&amp;base=traded"' in text and
       'href="/cluster-map.csv?dataset=ref-small&amp;base=traded&amp;format=xlsx"' in text,
       "page: says the LQs are against the reference, on the traded base, and the downloads keep base=traded")
    ok("Elektronika &amp; &lt;optyka&gt;" in text and "<optyka>" not in text and
       "Urządzenia &quot;elektryczne&quot;" in text, "page: the industry names are escaped")
    st, h, text = get_map(port, "/cluster-map?dataset=ref-small&industry=C26&year=2022&base=traded&band_km=300")
    ok(st == 200 and 'href="/cluster-map.csv?dataset=ref-small&amp;base=traded&amp;industry=C26&amp;indicator=lq'
       '&amp;year=2022&amp;band_km=300"' in text, "page: the hot-spot download keeps base=traded too")
    st, h, text = get_map(port, "/cluster-map?dataset=powiat-test&industry=C10")
    ok(st == 200 and 'name="base"' not in text and 'data-reference="0" data-base="all"' in text,
       "page: a dataset without traded flags offers no base; its LQs are against the sum of its regions")
    # bad bases: a 400 naming base on the page, the API and both downloads
    for q in ("dataset=ref-small&base=local", "dataset=ref-small&base=%3Cb%3E", "dataset=ref-small&base=TRADED"):
        st, h, text = get_map(port, "/cluster-map?" + q)
        st2, h2, js = get_json(port, "/api/v1/cluster-map?" + q)
        st3, h3, body = kt.request(port, "GET", "/cluster-map.csv?" + q)
        st4, h4, js4 = get_json(port, "/api/v1/cluster-map.csv?" + q)
        ok(st == 400 and "base" in kt.text_of(text) and "<b>" not in text and
           st2 == 400 and js and "base" in js["error"]["message"] and st3 == 400 and b"base" in body and
           st4 == 400 and js4 and "base" in js4["error"]["message"],
           "%s: a 400 naming base (page, API and both downloads)" % q, (st, st2, st3, st4, js, js4))
    # traded asked of a dataset without flags: the API and the downloads refuse it, the page
    # (where the form may keep base=traded after another dataset is chosen) shows base=all and says so
    q = "dataset=powiat-test&base=traded"
    st, h, text = get_map(port, "/cluster-map?" + q)
    st2, h2, js = get_json(port, "/api/v1/cluster-map?" + q)
    st3, h3, body = kt.request(port, "GET", "/cluster-map.csv?" + q)
    st4, h4, js4 = get_json(port, "/api/v1/cluster-map.csv?" + q)
    ok(st == 200 and 'data-base="all"' in text and 'class="notice"' in text and "no traded flags" in text and
       st2 == 400 and js and "base" in js["error"]["message"] and st3 == 400 and b"base" in body and
       st4 == 400 and js4 and "base" in js4["error"]["message"],
       "%s: the page falls back to base=all with a notice; a 400 naming base from the API and both downloads" % q,
       (st, st2, st3, st4, js, js4))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=powiat-test&base=all&industry=C10")
    ok(st == 200 and js and js["base"] == "all" and js["reference"] is False and "establishments" in js["regions"][0],
       "base=all on a dataset without flags: 200", st)
    # re-imported without the reference: the reference and flags go with the old dataset
    plain_data = os.path.join(kt.WORK, "ref-stats-plain.csv")
    with open(data, encoding="utf-8") as f, open(plain_data, "w", encoding="utf-8", newline="") as g:
        rd, w = csv.reader(f), csv.writer(g)
        for row in rd:
            w.writerow(row[:5] + row[6:])     # without the traded column
    r = kt.cli(db, "import", "stats", plain_data, "--dataset", "ref-small")
    want_plain, err = cli_indicators(plain_data, out_name="ref-plain2.csv")
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small")
    ok(r.returncode == 0 and want_plain and body == want_plain,
       "re-imported without --reference and flags: the download equals `map indicators FILE` without them",
       (r.stderr, err, body[:200]))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=ref-small&base=traded")
    st2, h2, js2 = get_json(port, "/api/v1/datasets")
    ok(st == 400 and js and "base" in js["error"]["message"] and
       {x["name"]: (x["reference"], x["traded"]) for x in js2["items"]}.get("ref-small") == (False, False),
       "  and base=traded is now a 400; the datasets API says so", (st, js))


def test_region_profile(db, port):
    """The region profile (/cluster-map/region and /api/v1/cluster-map/region): one region's
    industries by LQ with the numbers of `klaster map indicators --reference` on the file, its
    totals, stars and strong clusters counted from that table, the indices of `klaster map
    indices`, the region's download byte for byte the command line's rows of that region, links
    both ways, and a region the dataset lacks refused by the API and the downloads."""
    data, ref = ref_files()
    r = kt.cli(db, "import", "stats", data, "--dataset", "ref-small", "--title", "Odniesienie <test>",
               "--reference", ref)
    ok(r.returncode == 0, "import stats --reference (as test_reference)", r.stderr)
    want, err = cli_indicators(data, "--reference", ref, out_name="profile-all.csv")
    traded, err2 = cli_indicators(data, "--reference", ref, "--base", "traded", out_name="profile-traded.csv")
    ok(want and traded, "the command line's tables", err + err2)
    lines = want.decode("utf-8").splitlines(True)
    rows = list(csv.DictReader(io.StringIO(want.decode("utf-8"))))
    # the download of one region: its lines of the command line's file, every year
    for base, table, suffix in (("", want, ""), ("&base=traded", traded, "-traded")):
        tl = table.decode("utf-8").splitlines(True)
        st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&region=04" + base)
        ok(st == 200 and body.decode("utf-8") == tl[0] + "".join(x for x in tl[1:] if x.startswith("04,")) and
           'filename="ref-small%s-region-04.csv"' % suffix in h.get("content-disposition", ""),
           "the region's download%s: the command line's rows of region 04, byte for byte" % (base and " (traded)"),
           (st, h.get("content-disposition"), body[:200]))
    cli_region, err = cli_indicators(data, "--reference", ref, "--region", "04", out_name="profile-04.csv")
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&region=04")
    ok(st == 200 and cli_region and body == cli_region,
       "the region's download is `klaster map indicators --region 04` byte for byte", err)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&region=04&format=xlsx")
    ok(st == 200 and body[:2] == b"PK", "and as XLSX", st)
    # year=: that year's rows alone, as `--year`, with the year in the file's name
    cli_year, err = cli_indicators(data, "--reference", ref, "--year", "2022", out_name="profile-2022.csv")
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&year=2022")
    ok(st == 200 and cli_year and body == cli_year and 'filename="ref-small-2022.csv"' in h.get("content-disposition", "")
       and all(x.startswith("region,") or ",2022," in x for x in body.decode("utf-8").splitlines()),
       "the download with year=2022 is `klaster map indicators --year 2022` byte for byte", (st, err, body[:120]))
    cli_ry, err = cli_indicators(data, "--reference", ref, "--year", "2022", "--region", "04", out_name="profile-04-22.csv")
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&region=04&year=2022")
    ok(st == 200 and cli_ry and body == cli_ry and 'filename="ref-small-region-04-2022.csv"' in
       h.get("content-disposition", ""), "  and with region=04, `--year 2022 --region 04`", (st, err))
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&year=1999")
    ok(st == 400 and b"1999" in body, "  a year the dataset lacks: 400", st)
    # a person's error pages speak Polish (numbers with a decimal comma); the API English
    for path, pl, en in (("/cluster-map.csv?dataset=ref-small&year=1999", "year: brak danych za", "year: no data for"),
                         ("/cluster-map.csv?dataset=ref-small&format=pdf", "format: „pdf” to żaden z: csv, xlsx, geojson",
                          "format: 'pdf' is not one of"),
                         ("/cluster-map.csv?dataset=ref-small&region=04&band_km=100", "nie idą w parze",
                          "do not go together"),
                         ("/cluster-map/points?value=nope", "nie ma wartości", "has no value"),
                         ("/cluster-map/points?eps_km=0", "od 0,1 do", "from 0.1 to")):
        st, h, text = get(port, path, "pl")
        st2, h2, text2 = get(port, path, "en")
        ok(st == st2 == 400 and pl in html.unescape(text) and en in html.unescape(text2),
           "%s: the error in the page's language (pl: %s)" % (path, pl), (st, st2, text[-600:]))
    st, h, js = get_json(port, "/api/v1/cluster-map.csv?dataset=ref-small&year=1999")
    ok(st == 400 and js and js["error"]["message"].startswith("year: no data for 1999 (the dataset has 20"),
       "  the API's in English, naming the years there are", js)
    st, h, js = get_json(port, "/api/v1/cluster-map.csv?dataset=ref-small&year=abc")
    ok(st == 400 and js and js["error"]["message"] == "year: 'abc' is not a year (a whole number)",
       "  a year that is no number: 400 saying so, not 'no data'", js)
    # the API: the industries of 2022 by LQ, each as the command line's row
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=ref-small&region=04&year=2022")
    mine = [x for x in rows if x["region"] == "04" and x["year"] == "2022"]
    by = {x["industry"]: x for x in mine}
    order = sorted(mine, key=lambda x: (x["lq"] == "", -float(x["lq"] or 0)))
    good = st == 200 and js and js["region"] == "04" and js["name"] == "Kujawsko-pomorskie" and js["year"] == 2022
    good = good and [x["industry"] for x in js["industries"]] == [x["industry"] for x in order]
    for x in (js or {}).get("industries", []):
        w = by[x["industry"]]
        good = good and close(x["lq"], num_or_none(w["lq"])) and close(x["employment"], num_or_none(w["employment"]))
        good = good and close(x["share_of_region"], num_or_none(w["share_of_region"]))
        good = good and (x["stars"] == (int(w["stars"]) if w["stars"] else None))
        good = good and (x["strong"] == (w["strong"] == "1" if w["strong"] else None))
        good = good and (x["size_star"] == (w["size_star"] == "1" if w["size_star"] else None))
    ok(good, "API: the industries of region 04 in 2022 by LQ, every number the command line's",
       js and [(x["industry"], x["lq"]) for x in js["industries"]])
    stars = [sum(1 for x in mine if x["stars"] == str(k)) for k in range(4)]
    emp = sum(float(x["employment"]) for x in mine if x["employment"])
    ok(js and js["industries_by_stars"] == stars and close(js["employment"], emp) and
       js["strong"] == sum(1 for x in mine if x["strong"] == "1") and
       js["strong10"] == sum(1 for x in mine if x["strong10"] == "1") and js["reference"] is True,
       "API: the totals are the table's (employment, industries by stars, strong clusters)",
       js and (js["industries_by_stars"], stars, js["employment"], emp))
    out = os.path.join(kt.WORK, "profile-indices.csv")
    r = kt.cli(None, "map", "indices", data, "--reference", ref, "-o", out)
    ix = [x for x in csv.DictReader(open(out, encoding="utf-8")) if x["region"] == "04" and x["year"] == "2022"] \
        if r.returncode == 0 else []
    ok(ix and js and all(close(js["indices"][k], float(ix[0][k])) for k in ("hhi", "krugman", "shannon", "theil")),
       "API: the region's indices are those of `klaster map indices`", (ix, js and js["indices"]))
    # the page: the same order, the region named, numbers in the page's language, links to the maps
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=04&year=2022")
    table = re.search(r'<table class="results profile-table">.*?</table>', text, re.S)
    codes = re.findall(r'<td><a href="/cluster-map\?dataset=ref-small&amp;industry=([^&"]*)&amp;year=2022">',
                       table.group(0) if table else "")
    ok(st == 200 and "<h2>Kujawsko-pomorskie (04) \u2014 2022</h2>" in text and
       codes == [x["industry"] for x in order] and 'data-employment="%.10g"' % emp in text,
       "the page: the region named, its industries in the API's order, each linking to its map", codes)
    ok('<option value="2022" selected>' in text and '<option value="04" selected>Kujawsko-pomorskie (04)' in text and
       'href="/cluster-map.csv?dataset=ref-small&amp;region=04"' in text,
       "the page keeps the region and year chosen and offers the region's download")
    st, h, pl = get(port, "/cluster-map/region?dataset=ref-small&region=04&year=2022", lang="pl")
    ok(st == 200 and "Profil regionu" in pl and re.search(r'<td class="num">\d+,\d\d</td>', pl),
       "in Polish: the tab and decimal commas")
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=04&year=2022&base=traded")
    ok(st == 200 and '<option value="traded" selected>' in text and "base: traded industries only" in text,
       "base=traded: chosen and said")
    # from the map to the profile
    st, h, text = get(port, "/cluster-map?dataset=ref-small&industry=C26&year=2022")
    ok(st == 200 and 'href="/cluster-map/region?dataset=ref-small&amp;region=04&amp;industry=C26&amp;year=2022">'
       in text, "the map's table links each region to its profile (the industry kept for the way back)")
    # the default region: the most employment that year
    tot = {}
    for x in rows:
        if x["year"] == "2023" and x["employment"]:
            tot[x["region"]] = tot.get(x["region"], 0) + float(x["employment"])
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=ref-small")
    ok(st == 200 and js and js["region"] == max(tot, key=tot.get) and js["year"] == 2023,
       "without region: the region with the most employment in the latest year", js and js["region"])
    # a region the dataset lacks
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=ref-small&region=99")
    ok(st == 400 and js and "region: '99' is not in dataset ref-small" in js["error"]["message"],
       "API: a region not in the dataset is a 400 naming region", js)
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=ref-small&feature=ZZ")
    ok(st == 400 and js and "feature: 'ZZ' is not in dataset ref-small" in js["error"]["message"],
       "  and a boundary code (feature) matching none: a 400 naming feature", js)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&region=99")
    ok(st == 400 and b"region" in body, "the download: the same 400", body[:200])
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=ref-small&region=04&band_km=300&industry=C26")
    ok(st == 400 and b"band_km" in body, "region with band_km: a 400 (hot spots are across the regions)", body[:200])
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=99")
    ok(st == 200 and "Region 99 is not in dataset" in text and "showing" in text,
       "the page: a notice, and the default region shown")
    # compared with an earlier year: the shift-share of `klaster map shift-share` on the file
    out = os.path.join(kt.WORK, "profile-shift.csv")
    r = kt.cli(None, "map", "shift-share", data, "--reference", ref, "--from", "2022", "--to", "2023", "-o", out)
    sh = {x["industry"]: x for x in csv.DictReader(open(out, encoding="utf-8")) if x["region"] == "04"} \
        if r.returncode == 0 else {}
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=ref-small&region=04&year=2023&from=2022")
    good = st == 200 and js and js["from"] == 2022 and sh
    for x in (js or {}).get("industries", []):
        w = sh.get(x["industry"])
        good = good and w is not None and close(x["growth"], num_or_none(w["growth"])) and \
            close(x["national_share"], num_or_none(w["national_share"])) and \
            close(x["industry_mix"], num_or_none(w["industry_mix"])) and \
            close(x["regional_shift"], num_or_none(w["regional_shift"])) and \
            close(x["employment_from"], num_or_none(w["employment0"]))
    both = [w for w in sh.values() if w["employment0"] != "" and w["employment1"] != ""]
    good = good and close(js["shift_share"]["regional_shift"],
                          sum(float(w["regional_shift"]) for w in both if w["regional_shift"] != "")) and \
        close(js["employment_from"], sum(float(w["employment0"]) for w in both))
    ok(good, "from=2022: each industry's growth and shift-share components are `map shift-share`'s, and their sums",
       (r.stderr, js and js.get("shift_share")))
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=04&year=2023&from=2022")
    ok(st == 200 and "Employment change 2022–2023" in text and "Regional shift</th>" in text and
       'class="muted shift-note"' in text and "add up to it" in text and
       "/lang?set=pl&amp;back=%2Fcluster-map%2Fregion%3Fdataset%3Dref-small%26year%3D2023%26region%3D04%26from%3D2022"
       in text and
       '<option value="2022" selected>2022</option>' in re.search(r'<select id="f-from".*?</select>', text, re.S).group(0),
       "the page: the change, the shift-share columns, the year compared with kept in the form")
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=ref-small&region=04&year=2022&from=2023")
    ok(st == 400 and js and "from: 2023 is not before the year shown, 2022" in js["error"]["message"],
       "API: from not before the year shown is a 400 naming from", js)
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=04&year=2022&from=2023")
    ok(st == 200 and "2023 is not earlier than the year shown, 2022: no comparison." in text and
       "Regional shift</th>" not in text, "the page: a notice, no comparison")
    # a region clicked on the map opens its profile: the boundary's code finds the region drawn on it
    st, h, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=C29")
    link = re.search(r'<a href="(/cluster-map/region\?dataset=eurostat-pl&amp;industry=C29&amp;year=2015&amp;feature=02)"',
                     text)
    st2, h2, prof = get(port, html.unescape(link.group(1))) if link else (0, {}, "")
    ok(link and st2 == 200 and "<h2>dolno\u015bl\u0105skie (PL51) \u2014 2015</h2>" in prof and 'class="notice"' not in prof,
       "the map's voivodeship 02 links to the profile of PL51 (drawn on it), without a notice",
       re.findall(r"<h2>.*?</h2>", prof))
    st, h, prof = get(port, "/cluster-map/region?dataset=eurostat-eu&year=2015&feature=HU11")
    ok(st == 200 and re.search(r"<h2>[^<]*\(HU10\)", prof), "on the map of Europe HU11 opens HU10, drawn on it",
       re.findall(r"<h2>.*?</h2>", prof))
    # the tabs keep the dataset; a voivodeship under the other dataset's code is carried over
    st, h, text = get(port, "/cluster-map?dataset=ref-small&industry=C26&year=2022")
    ok('<a href="/cluster-map/region?dataset=ref-small&amp;industry=C26&amp;year=2022">' in text,
       "the map's profile tab keeps the dataset, year and industry")
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=04&year=2022")
    ok('<a href="/cluster-map?dataset=ref-small&amp;year=2022">' in text, "and the profile's map tab too")
    st, h, text = get(port, "/cluster-map/region?dataset=eurostat-pl&region=04")
    ok(st == 200 and re.search(r"<h2>[^<]*\(PL61\)", text) and "Region 04 is PL61" in text,
       "TERYT 04 asked of a NUTS dataset: PL61, with a notice", re.findall(r"<h2>.*?</h2>", text))
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=ref-small&region=04&industry=ZZZ&indicator=zz"
                         "&band_km=x")
    ok(st == 400 and js and js["error"]["message"].startswith("industry: not a parameter of this request (it takes "
                                                              "dataset, region, feature, year, base or from)"),
       "the API's profile takes none of the map's industry, indicator and band_km: a 400 naming the first",
       (st, js and js.get("error")))
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=04&industry=ZZZ&indicator=zz&band_km=x")
    ok(st == 200 and re.search(r"<h2>[^<]*\(04\)|<h2>", text), "the page of the profile leaves them aside", st)
    # a region without data in a year (left out with --skip-invalid at import)
    gap = os.path.join(kt.WORK, "gap-years.csv")
    with open(gap, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n")
        for y in (2023, 2024):
            for reg in ("02", "04", "06"):
                if (reg, y) != ("06", 2023):
                    f.write("%s,C10,%d,%d\n%s,C29,%d,%d\n" % (reg, y, 100 + int(reg), reg, y, 50 + int(reg)))
    r = kt.cli(db, "import", "stats", gap, "--dataset", "gap-years")
    ok(r.returncode == 3 and "gap-years.csv: region 06 has no rows in 2023" in r.stderr,
       "import stats refuses a region without rows in a year, as `klaster map` does", r.stderr)
    r = kt.cli(db, "import", "stats", gap, "--dataset", "gap-years", "--skip-invalid")
    ok(r.returncode == 0, "with --skip-invalid it is left out of that year", r.stderr)
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=gap-years&region=06&year=2023")
    ok(st == 400 and js and "region: '06' has no data in 2023" in js["error"]["message"],
       "API: a region without data that year is a 400 saying so", js)
    st, h, text = get(port, "/cluster-map/region?dataset=gap-years&region=06&year=2023")
    ok(st == 200 and "Region 06 has no data for 2023: showing" in text, "the page: a notice saying so")
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=gap-years&region=06")
    ok(st == 200 and js and js["year"] == 2024, "and 2024 is shown", js and js.get("year"))
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=gap-years&region=06&year=2024&from=2023")
    ok(st == 400 and js and "from: region 06 has no data in 2023" in js["error"]["message"],
       "API: compared with a year the region has no data for: a 400 naming from", js)
    st, h, text = get(port, "/cluster-map/region?dataset=gap-years&region=06&year=2024&from=2023")
    ok(st == 200 and "Region 06 has no data for 2023: no comparison." in text and "Regional shift</th>" not in text,
       "the page: a notice, no comparison")
    st, h, text = get(port, "/cluster-map/region?dataset=gap-years&region=06&year=2024")
    sel = re.search(r'<select id="f-from".*?</select>', text, re.S)
    ok(st == 200 and sel and 'value="2023"' not in sel.group(0),
       "the form offers no year the region has no data for", sel and sel.group(0))
    # a change over regions of one year: 06 has no data in 2023, 08 none in 2021, 10 only in 2022.
    # The page, the API and the download keep 06 and 08 (the year they lack empty, no components),
    # as `klaster map shift-share` does, leave 10 out, and say so
    both = os.path.join(kt.WORK, "gap-both.csv")
    with open(both, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n02,C10,2021,100\n02,C29,2021,50\n04,C10,2021,80\n"
                "04,C29,2021,40\n06,C10,2021,30\n06,C29,2021,20\n10,C10,2022,7\n02,C10,2023,120\n"
                "02,C29,2023,60\n04,C10,2023,85\n04,C29,2023,30\n08,C10,2023,10\n08,C29,2023,5\n")
    r = kt.cli(db, "import", "stats", both, "--dataset", "gap-both", "--skip-invalid")
    voiv = os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson")
    cli_out = os.path.join(kt.WORK, "gap-both-ss.csv")
    rc = kt.cli(None, "map", "shift-share", both, "--from", "2021", "--to", "2023", "--skip-invalid",
                "--region-names", voiv, "-o", cli_out)
    cli_csv = open(cli_out, "rb").read() if rc.returncode == 0 else b""
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=gap-both&industry=C10&indicator=growth&from=2021&year=2023")
    regs = {x["region"]: x for x in js["regions"]} if st == 200 and js else {}
    ok(r.returncode == 0 and sorted(regs) == ["02", "04", "06", "08"] and
       regs["06"]["employment_from"] == 30 and regs["06"]["employment_to"] is None and
       regs["08"]["employment_from"] is None and regs["08"]["employment_to"] == 10 and
       all(regs[g][k] is None for g in ("06", "08") for k in ("growth", "national_share", "regional_shift")) and
       "none in 2021: 08; none in 2023: 06" in js.get("notice", "") and
       "Regions with no data in 2021 or 2023 are not listed: 10." in js.get("notice", ""),
       "API: regions of one year are listed with nulls, a region of neither is not, and the notice names them",
       (r.stderr, st, js))
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=gap-both&indicator=growth&from=2021&year=2023")
    ok(rc.returncode == 0 and st == 200 and body == cli_csv and b"\n06," in body and b"\n08," in body and
       b"\n10," not in body and "none in 2021: 08; none in 2023: 06" in rc.stderr,
       "the download is `klaster map shift-share` byte for byte, which names them on stderr",
       (rc.stderr, body[:400], cli_csv[:400]))
    for lang, words in (("en", ("none in 2021: 08; none in 2023: 06", "are not listed: 10")),
                        ("pl", ("brak danych za 2021: 08; brak danych za 2023: 06", "nie są w tabeli: 10"))):
        st, h, text = get_map(port, "/cluster-map?dataset=gap-both&industry=C10&indicator=growth&from=2021", lang)
        body_rows = re.findall(r"<tr[^>]*>.*?</tr>", re.search(r"<tbody>(.*?)</tbody>", text or "", re.S).group(1)
                               if text and "<tbody>" in text else "", re.S)
        ok(st == 200 and all(w in html.unescape(text) for w in words) and len(body_rows) == 4,
           "the page (%s): four rows and the notice naming the regions" % lang, (st, len(body_rows)))
    # an industry without national employment in the first year has no national growth rate, but
    # its cells' national share and industry mix are 0 whatever the rate and the change is their
    # regional shift: J62 0 -> 50 is in the totals, which add up to the employment change
    zero = os.path.join(kt.WORK, "shift-zero.csv")
    with open(zero, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n02,C10,2021,100\n02,J62,2021,0\n04,C10,2021,80\n04,J62,2021,0\n"
                "02,C10,2022,110\n02,J62,2022,50\n04,C10,2022,90\n04,J62,2022,10\n")
    r = kt.cli(db, "import", "stats", zero, "--dataset", "shift-zero")
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=shift-zero&region=02&year=2022&from=2021")
    ss = js and js.get("shift_share")
    ok(r.returncode == 0 and st == 200 and js["employment_from"] == 100 and js["employment_to"] == 160 and
       ss["industries_left_out"] == 0 and
       close(ss["national_share"] + ss["industry_mix"] + ss["regional_shift"], 60.0) and
       [(x["national_share"], x["industry_mix"], x["regional_shift"]) for x in js["industries"]
        if x["industry"] == "J62"] == [(0, 0, 50)],
       "J62 0 -> 50: in the employment change (100 -> 160) and in the shift-share totals (NS+IM+RS = 60)",
       (r.stderr, js))
    # the change map of J62: no industry growth (null), each region's change its regional shift
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=shift-zero&industry=J62&indicator=regional_shift")
    reg = {x["region"]: x for x in js["regions"]} if st == 200 and js else {}
    ok(reg and js["industry_growth"] is None and
       [(reg[g]["national_share"], reg[g]["industry_mix"], reg[g]["regional_shift"], reg[g]["growth"])
        for g in ("02", "04")] == [(0, 0, 50, None), (0, 0, 10, None)],
       "the change map of J62 (0 -> 50 and 0 -> 10): industry_growth null, the regional shift the whole change",
       (st, js))
    # the portal computes the year it shows, as `--year`: a traded base without traded employment
    # in another year stops only what shows that year (and the download of every year)
    tr = os.path.join(kt.WORK, "traded-gap.csv")
    with open(tr, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment,traded\n02,C10,2021,100,1\n02,G47,2021,50,0\n04,G47,2021,80,0\n"
                "02,C10,2022,110,1\n02,G47,2022,55,0\n04,C10,2022,30,1\n04,G47,2022,85,0\n")
    r = kt.cli(db, "import", "stats", tr, "--dataset", "traded-gap")
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=traded-gap&base=traded&year=2022&industry=C10")
    st2, h2, js2 = get_json(port, "/api/v1/cluster-map/region?dataset=traded-gap&base=traded&year=2022&region=04")
    st3, h3, body = kt.request(port, "GET", "/cluster-map.csv?dataset=traded-gap&base=traded")
    ok(r.returncode == 0 and st == 200 and st2 == 200 and st3 == 400 and b"2021" in body,
       "base=traded of 2022 is shown although region 04 has no traded employment in 2021; the download of "
       "every year says 2021", (r.stderr, st, st2, st3, body[:200]))
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=traded-gap&base=traded&year=2022&region=02&from=2021")
    ok(st == 200 and js and js["from"] == 2021 and "2021" in js.get("lq_from_error", "") and
       all(x["lq_from"] is None for x in js["industries"]) and js["shift_share"]["regional_shift"] is not None,
       "compared with 2021, whose traded LQs cannot be computed: the comparison without them, and why",
       (st, js and js.get("lq_from_error")))
    st, h, text = get(port, "/cluster-map/region?dataset=traded-gap&base=traded&year=2022&region=02&from=2021")
    ok(st == 200 and "No LQs for 2021:" in text and "Regional shift</th>" in text, "the page says so too")
    st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=%3Cb%3E")
    ok(st == 200 and "<b>" not in text.split("<main", 1)[1] and "&lt;b&gt;" in text, "the region is escaped in the notice")


def pct_columns(text, table_re):
    """The cells of the per cent columns (headings ending "(%)") of the table matching table_re."""
    t = re.search(table_re, text, re.S)
    if not t:
        return {}
    heads = [html.unescape(re.sub(r"<[^>]+>", "", x)).strip() for x in re.findall(r"<th[^>]*>(.*?)</th>", t.group(0), re.S)]
    cols = {i: hd for i, hd in enumerate(heads) if hd.endswith("(%)")}
    out = {hd: [] for hd in cols.values()}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", t.group(0).split("<tbody>")[-1], re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", x)).strip() for x in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for i, hd in cols.items():
            if i < len(cells):
                out[hd].append(cells[i])
    return out


def test_percent_precision(port):
    """Per cent on the cluster map's pages reads alike: two decimals in every column (the region
    profile's shares of the region and of the industry, its change, the map's share column), a
    value above 0 too small for them as "< 0,01", and the region's employment change the same."""
    for lang, dec, small in (("pl", ",", "< 0,01"), ("en", ".", "< 0.01")):
        num = re.compile(r"[+\u2212]?\d{1,3}(?:[\u00a0,]\d{3})*" + re.escape(dec) + r"\d\d")
        st, h, text = get(port, "/cluster-map/region?dataset=eurostat-pl&region=PL22", lang)
        cols = pct_columns(text, r'<table class="results profile-table">.*?</table>')
        bad = [(hd, c) for hd, cs in cols.items() for c in cs if not (num.fullmatch(c) or c in (small, "\u2013"))]
        ok(st == 200 and len(cols) == 2 and all(len(cs) > 50 for cs in cols.values()) and not bad,
           "profile of PL22 (%s): both share columns with two decimals (%s)" % (lang, ", ".join(cols)), (st, bad[:5]))
        reg = next((cs for hd, cs in cols.items() if hd.startswith(("Udział w regionie", "Share of the region"))), [])
        ok(small in reg and "0%s00" % dec not in reg,
           "  a share of the region above 0 but below 0.005 %% reads %r, none 0%s00" % (small, dec), reg[-5:])
        st, h, text = get(port, "/cluster-map/region?dataset=ref-small&region=04&year=2023&from=2022", lang)
        cols = pct_columns(text, r'<table class="results profile-table">.*?</table>')
        bad = [(hd, c) for hd, cs in cols.items() for c in cs if not (num.fullmatch(c) or c in (small, "\u2013"))]
        change = re.search(r'<dd class="change">[^(]*\(([^)]*)%\)', text)
        ok(st == 200 and len(cols) == 3 and not bad and change and num.fullmatch(change.group(1)),
           "  compared with 2022 (%s): the change column and the region's change with two decimals too" % lang,
           (st, list(cols), bad[:5], change and change.group(1)))
        st, h, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=share_of_industry", lang)
        cols = pct_columns(text, r'<table class="results">.*?</table>')
        bad = [(hd, c) for hd, cs in cols.items() for c in cs if not (num.fullmatch(c) or c in (small, "\u2013"))]
        ok(st == 200 and len(cols) == 1 and not bad, "  the map's share column (%s) with two decimals" % lang, bad[:5])


def page_ranks(port, path):
    """region → the rank of the page's ranked table (None for a row without one)."""
    st, h, text = get(port, path)
    body = re.search(r"<tbody>(.*?)</tbody>", text or "", re.S)
    out = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", re.S):
        m = re.match(r'<td class="num">(\d*)</td><td><a href="/cluster-map/region\?[^"]*?region=([^&"]+)', row)
        if m:
            out[html.unescape(m.group(2))] = int(m.group(1)) if m.group(1) else None
    return st, out


def test_dataset_api(port):
    """GET /api/v1/datasets/NAME says what a dataset holds (title, source, region kind, layer,
    years, regions, industries in both languages, indicators, bases), as the list, the page and
    `klaster dataset list` say it; an unknown name is a 404.  /api/v1/cluster-map gives each
    region the rank the page's table shows."""
    st, h, doc = get_json(port, "/api/v1/openapi.json")
    st, h, lst = get_json(port, "/api/v1/datasets")
    listed = {x["name"]: x for x in (lst or {}).get("items", [])}
    for name, layer, nreg, nind, years in (("gus-powiaty", "powiats", 380, 20, None),
                                           ("eurostat-eu", "nuts2", 285, None, [2015]),
                                           ("eurostat-pl", "voivodeships", 16, None, [2015]),
                                           ("ref-small", "voivodeships", None, None, [2022, 2023])):
        st, h, js = get_json(port, "/api/v1/datasets/" + name)
        problems = []
        if st == 200 and js and doc:
            schema = doc["paths"]["/api/v1/datasets/{name}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            schema_problems(doc, schema, js, "", problems)
        li = listed.get(name, {})
        ok(st == 200 and js and not problems and all(js[k] == li.get(k) for k in
                                                     ("name", "title", "source", "region_kind", "reference", "traded"))
           and js["layer"] == layer and (nreg is None or js["regions"] == nreg) and
           (nind is None or len(js["industries"]) == nind) and (years is None or js["years"] == years) and
           js["indicators"] == ["lq", "employment", "share_of_region", "share_of_industry", "stars", "strong", "strong10"] +
           (["growth", "regional_shift"] if len(js["years"]) > 1 else [])   # changes need two years
           and js["bases"] == (["all", "traded"] if li.get("traded") else ["all"]) and
           len(js["regions_by_year"]) == max(1, len(js["years"])),
           "/api/v1/datasets/%s: as the list says it, on the %s, %s regions, its years, the OpenAPI schema" %
           (name, layer, js and js.get("regions")), (st, problems[:5], js and {k: js[k] for k in js if k != "industries"}))
    st, h, js = get_json(port, "/api/v1/datasets/gus-powiaty")
    c = next((x for x in (js or {}).get("industries", []) if x["industry"] == "C"), {})
    ok(c.get("industry_name_pl") == "Przetwórstwo przemysłowe" and c.get("industry_name_en") == "Manufacturing" and
       c.get("industry_name") == "Przetwórstwo przemysłowe" and c.get("traded") is None and
       [x["industry"] for x in js["industries"]][:3] == ["A", "B", "C"] and js["establishments"] is True,
       "  its industries with codes and names in both languages (C: Przetwórstwo przemysłowe / Manufacturing)", c)
    st, h, js = get_json(port, "/api/v1/datasets/ref-small")
    st2, h2, cm = get_json(port, "/api/v1/cluster-map?dataset=ref-small&year=2022")
    flags = {x["industry"]: x["traded"] for x in (js or {}).get("industries", [])}
    ok(st == 200 and js["reference"] is True and js["traded"] is True and True in flags.values() and
       False in flags.values() and st2 == 200 and len(cm["regions"]) == js["regions_by_year"][0]["regions"],
       "  ref-small: the reference, traded and local industries, two years, the regions of 2022 as the map's",
       (js and js.get("regions_by_year"), flags))
    for path in ("/api/v1/datasets/no-such-dataset", "/api/v1/datasets/NOPE", "/api/v1/datasets/" + "a" * 61,
                 "/api/v1/datasets/%3Cx%3E"):
        st, h, js = get_json(port, path)
        want = "There is no dataset 'no-such-dataset'." if path.endswith("/no-such-dataset") else "no such dataset"
        ok(st == 404 and js and js["error"]["status"] == 404 and js["error"]["message"] == want,
           "%s: 404 in the API's error shape, a dataset name named" % path[:40], (st, js))
    st, h, js = get_json(port, "/api/v1/firm-hotspots?dataset=no-such-list&cell_km=20&lang=pl")
    ok(st == 404 and js and js["error"]["message"] == "There is no firm list 'no-such-list'.",
       "/api/v1/firm-hotspots of a firm list that is not there: 404 naming it as a dataset is named, in English",
       (st, js))
    # the rank the page shows, in the API
    for q in ("dataset=gus-powiaty&industry=I", "dataset=eurostat-pl&industry=C29&indicator=stars",
              "dataset=eurostat-pl&industry=C12&indicator=share_of_region", "dataset=eurostat-eu&industry=C29",
              "dataset=gus-powiaty&industry=U&indicator=lq"):
        st, page = page_ranks(port, "/cluster-map?" + q)
        st2, h, js = get_json(port, "/api/v1/cluster-map?" + q)
        api = {x["region"]: x["rank"] for x in (js or {}).get("regions", [])}
        ok(st == st2 == 200 and page and api == page,
           "/api/v1/cluster-map?%s: every region's rank is the page's (%d ranked, %d without)" %
           (q, sum(1 for v in api.values() if v), sum(1 for v in api.values() if v is None)),
           [(k, api.get(k), page.get(k)) for k in page if api.get(k) != page.get(k)][:5])
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&indicator=stars")
    ranks = sorted(x["rank"] for x in js["regions"] if x["rank"] is not None) if js else []
    ok(ranks and ranks[0] == 1 and len(set(ranks)) < len(ranks),
       "  stars: regions with as many stars share a rank in the API too", ranks)


def test_region_hotspots(port):
    """Gi* of the LQ across the voivodeships (band_km): the portal's z, p and
    spot of every region equal `klaster map hotspots --regions` on the file
    and the shipped layer, and so does the download; hot and cold regions
    outlined; bad band_km 400."""
    out = os.path.join(kt.WORK, "region-hotspots.csv")
    cli_args = ["map", "hotspots", EUROSTAT, *EU_OPTS, "--region-prefix", "PL", "--regions",
                os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson"), "--code-property", "nuts2_2013",
                "--industry", "C29", "--band", "250000"]
    r = kt.cli(None, *cli_args, "-o", out)
    ref = {x["region"]: x for x in csv.DictReader(open(out, encoding="utf-8"))} if r.returncode == 0 else {}
    ok(len(ref) == 16, "map hotspots --regions on the file: 16 voivodeships", r.stderr)
    test_region_hotspots_download(port, cli_args, out)
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=250")
    ok(st == 200 and js and js["band_km"] == 250 and js["hotspots"]["regions"] == 16, "API: band_km=250",
       (st, js and js.get("hotspots")))
    bad = []
    for x in (js or {}).get("regions", []):
        want = ref.get(x["region"])
        if not want or not (close(x["z"], float(want["z"])) and close(x["p"], float(want["p"])) and
                            close(x["gi"], float(want["gi"])) and (x["spot"] or "") == want["spot"] and
                            close(x["point_lat"], float(want["lat"])) and close(x["point_lon"], float(want["lon"]))):
            bad.append((x["region"], x.get("z"), want and want["z"]))
    hot = sorted(k for k, v in ref.items() if v["spot"] == "hot")
    cold = sorted(k for k, v in ref.items() if v["spot"] == "cold")
    ok(js and len(js["regions"]) == 16 and not bad and (js["hotspots"]["hot"], js["hotspots"]["cold"]) == (2, 3) ==
       (len(hot), len(cold)), "  every region's Gi*, z, p, spot and point equal the command line's (2 hot, 3 cold)",
       bad[:5])
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=250")
    svg = svg_of(text)
    hot_drawn = sorted(re.findall(r'<path class="hot-region" data-code="([^"]*)"', svg))
    cold_drawn = sorted(re.findall(r'<path class="cold-region" data-code="([^"]*)"', svg))
    # the voivodeships are keyed by TERYT on the map: count them, and match the table's spots by name
    names = {v["name"]: v["spot"] for v in ref.values()}
    table = re.findall(r'<tr><td class="num">\d+</td><td>([^<]*)</td><td class="num">[^<]*</td>'
                       r'<td class="num">[^<]*</td><td>.*?</td><td>[^<]*</td>'
                       r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td><td class="([^"]*)">', text)
    ok(st == 200 and len(hot_drawn) == 2 and len(cold_drawn) == 3 and "hot spot (Gi*, p &lt; 0.05)" in svg,
       "the page outlines the 2 hot and 3 cold regions, with a legend line", (hot_drawn, cold_drawn))
    # the region's name for a screen reader says it is a hot or cold spot, not the outline's colour alone
    said = re.findall(r'aria-label="[^"]* — (hot|cold) spot \(Gi\*\)"', svg)
    ok(sorted(said) == ["cold"] * 3 + ["hot"] * 2, "  the regions' names say hot spot / cold spot in words", said)
    ok(len(table) == 16 and all(names.get(html.unescape(n)) == spot for n, z, p, spot in table) and
       all(abs(float(z.replace("\u2212", "-")) - float(ref_z)) < 0.006 for (n, z, p, spot) in table
           for ref_z in [next(v["z"] for v in ref.values() if v["name"] == html.unescape(n))]),
       "  the ranked table gives each region's z, p and hot/cold as the command line", table[:3])
    ok(any(z.startswith("\u2212") for n, z, p, spot in table) and not any(z.startswith("-") for n, z, p, spot in table),
       "  negative z-scores are written with the minus sign, not a hyphen", [z for n, z, p, spot in table])
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=250", lang="pl")
    ok(st == 200 and "Gorące punkty: pasmo (km)" in text and "gorący" in text, "the page in Polish")
    pics = re.findall(r'href="(/cluster-map\.svg\?[^"]*)"', text)
    ok(pics and "band_km=250" in pics[0], "  its map picture links carry band_km", pics)
    st, h, body = kt.request(port, "GET", "/cluster-map.svg?dataset=eurostat-pl&industry=C29&band_km=250",
                             headers={"Accept-Language": "pl"})
    svg = body.decode("utf-8", "replace")
    hot_w, cold_w = len(hot), len(cold)
    ok(st == 200 and spot_strokes(svg) == (hot_w, cold_w) and ">gorący punkt (Gi*, p &lt; 0,05)<" in svg and
       'filename="eurostat-pl-map-C29-lq-2015-hotspots-250km.svg"' in h.get("content-disposition", ""),
       "  the map picture outlines its %d hot and %d cold regions, with the legend, named with the band"
       % (hot_w, cold_w), (st, spot_strokes(svg), h.get("content-disposition")))
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29")
    st2, h2, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=")
    ok(st == 200 and "hot-region" not in text and "z (Gi*)" not in text and js and "band_km" not in js and
       "spot" not in js["regions"][0], "without band_km (or empty) no hot spots")
    for value in ("0.5", "5001", "abc", "-3", "1e3"):
        st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=" + value)
        st2, h2, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&band_km=" + value)
        st3, h3, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&industry=C29&band_km=" + value)
        ok(st == 400 and names_field(text, "band_km") and st2 == 400 and js and "band_km" in js["error"]["message"] and
           st3 == 400 and b"band_km" in body, "band_km=%s is a 400 naming band_km (page, API and download)" % value,
           (st, st2, st3, kt.text_of(text)[-200:], body[-200:]))
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=%3Cb%3E")
    ok(st == 400 and "<b>" not in text and "&lt;b&gt;" in text, "a band_km with markup is escaped in the message")


def test_region_hotspots_download(port, cli_args, out):
    """The download with band_km is the command line's hot-spot table: the
    CSV byte for byte, the XLSX cell for cell; the page links to it."""
    ref_csv = open(out, "rb").read() if os.path.exists(out) else None
    q = "dataset=eurostat-pl&industry=C29&indicator=lq&year=2015&band_km=250"
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?" + q)
    ok(st == 200 and h.get("content-type", "").startswith("text/csv") and
       'filename="eurostat-pl-hotspots-C29-lq-250km.csv"' in h.get("content-disposition", ""),
       "download with band_km: a CSV attachment named DATASET-hotspots-INDUSTRY-INDICATOR-BANDkm.csv", (st, h))
    ok(ref_csv and body == ref_csv, "  it equals `klaster map hotspots --regions -o` on the file, byte for byte",
       (body[:300], ref_csv and ref_csv[:300]))
    out_x = os.path.join(kt.WORK, "region-hotspots.xlsx")
    r = kt.cli(None, *cli_args, "-o", out_x)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?" + q + "&format=xlsx")
    want = xlsx_cells(open(out_x, "rb").read()) if r.returncode == 0 else None
    got = xlsx_cells(body) if st == 200 and body[:4] == b"PK\x03\x04" else None
    ok(st == 200 and 'filename="eurostat-pl-hotspots-C29-lq-250km.xlsx"' in h.get("content-disposition", "") and want and
       got == want and want.get("I1") == "spot" and "A17" in want, "  the XLSX has the cells of `klaster map hotspots --regions -o FILE.xlsx`",
       (st, r.stderr, got and sorted(set(got.items()) ^ set(want.items()))[:6]))
    # the industry, indicator and year default as on the page
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&industry=C29&band_km=250")
    ok(st == 200 and ref_csv and body == ref_csv, "  lq of the latest year by default, as on the page", st)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&industry=C29&band_km=")
    ok(st == 200 and body.startswith(b"region,") and b",gi," not in body.split(b"\n")[0],
       "  an empty band_km: all indicators, as before", body[:80])
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=250")
    links = re.findall(r'<a href="(/cluster-map\.csv\?[^"]*)" download>', text)
    want_link = "/cluster-map.csv?" + q.replace("&", "&amp;")
    ok(st == 200 and want_link in links and want_link + "&amp;format=xlsx" in links and
       "/cluster-map.csv?dataset=eurostat-pl" in links,
       "the page links to the hot spots it shows (industry, indicator, year, band_km) and to all indicators", links)
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29")
    ok(st == 200 and "band_km" not in "".join(re.findall(r'<a href="(/cluster-map\.csv\?[^"]*)"', text)),
       "  without band_km no hot-spot download link")
    # GeoJSON: the hot spots with each region's boundary (`-o .geojson` of the command line), and the
    # map of one industry as a layer
    out_g = os.path.join(kt.WORK, "region-hotspots.geojson")
    r = kt.cli(None, *cli_args, "-o", out_g)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?" + q + "&format=geojson")
    ok(st == 200 and r.returncode == 0 and h.get("content-type") == "application/geo+json" and
       'filename="eurostat-pl-hotspots-C29-lq-250km.geojson"' in h.get("content-disposition", "") and
       without_attribution(body) == open(out_g, "rb").read(),
       "  format=geojson: `klaster map hotspots --regions -o FILE.geojson`, byte for byte (but for the dataset's "
       "attribution)",
       (st, r.stderr[-200:], h.get("content-disposition")))
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&industry=C29&year=2015&format=geojson")
    st2, h2, body2 = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&year=2015")
    fc = json.loads(body) if st == 200 else {}
    rows = [x for x in csv.DictReader(io.StringIO(body2.decode("utf-8-sig"))) if x["industry"] == "C29"] if st2 == 200 else []
    voiv_geo = {f["properties"]["nuts2_2013"]: f["geometry"] for f in
                json.load(open(os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson"), encoding="utf-8"))["features"]}
    feats = fc.get("features", [])

    def first_point(g):
        return (g["coordinates"][0][0] if g["type"] == "Polygon" else g["coordinates"][0][0][0]) if g else None
    ok(st == 200 and 'filename="eurostat-pl-C29-2015.geojson"' in h.get("content-disposition", "") and
       len(feats) == len(rows) == 16 and
       all(f["properties"]["region"] == x["region"] and
           (f["properties"]["lq"] is None if x["lq"] == "" else abs(f["properties"]["lq"] - float(x["lq"])) < 1e-9)
           for f, x in zip(feats, rows)) and
       all(f["geometry"]["type"] == "MultiPolygon" and
           f["geometry"]["coordinates"][0][0][0] == first_point(voiv_geo[f["properties"]["region"]]) for f in feats),
       "format=geojson: the map's industry and year, a Feature per region with the CSV's values and its boundary",
       (st, h.get("content-disposition"), len(feats), len(rows)))
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&industry=C29&region=PL22&format=geojson")
    ok(st == 400 and b"format=geojson" in body, "  not with region= (a profile is no map): 400", st)
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&year=2015")
    ok(st == 200 and 'href="/cluster-map.csv?dataset=eurostat-pl&amp;industry=C29&amp;year=2015' in text and
       "format=geojson\" download>GeoJSON</a>" in text, "  the page links to the layer", st)


SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_texts(data):
    """The <title>, <desc> and the words drawn (the transparent text layer) of a map's SVG."""
    root = ET.fromstring(data)
    title = root.find(SVG_NS + "title")
    desc = root.find(SVG_NS + "desc")
    return (title.text if title is not None else None, desc.text if desc is not None else None,
            [t.text for t in root.iter(SVG_NS + "text") if t.text])


def legend_classes(texts):
    """The class labels of a map's legend ("≤ 0,268", "0,268–0,496", "> 1,700") among its words."""
    n = r"\u2212?[\d.,\u00a0]+"
    return [x for x in texts if re.fullmatch(r"(≤ |> |≥ )%s|%s–%s" % (n, n, n), x)]


def png_size(data):
    """(width, height) of a PNG, or None when data is not one."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def pdf_text(data, name):
    path = os.path.join(kt.WORK, name)
    with open(path, "wb") as f:
        f.write(data)
    r = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=60)
    i = subprocess.run(["pdfinfo", path], capture_output=True, timeout=60)
    return r.stdout.decode("utf-8", "replace"), i.stdout.decode("utf-8", "replace")


def test_map_images(port):
    """The map shown, as SVG, PNG and PDF (/cluster-map.svg, .png, .pdf): linked beside the CSV
    and XLSX from the page, with the page's dataset, industry, indicator, year and base; drawn by
    `klaster map draw`'s code (its legend classes those of the command line on the file) with the
    title, legend and source line in the page's language; bad parameters the downloads' 400s, an
    unknown dataset a 404."""
    base = "dataset=eurostat-pl&industry=C29&indicator=lq"
    words = {"pl": ("iloraz lokalizacji (LQ) — C29 Produkcja pojazdów samochodowych", "brak danych", "Źródło: ",
                    "Granice: PRG GUGiK", "województwa", ","),
             "en": ("location quotient (LQ) — C29 Manufacture of motor vehicles", "no data", "Source: ",
                    "Boundaries: GUGiK PRG", "by voivodeship", ".")}
    for lang in ("pl", "en"):
        title, nodata, source, bounds, layer, dec = words[lang]
        st, h, text = get(port, "/cluster-map?" + base, lang)
        links = {m.group(1): html.unescape(m.group(0).split('"')[1]) for m in
                 re.finditer(r'<a href="/cluster-map\.(svg|png|pdf)\?[^"]*" download>', text or "")}
        para = re.search(r'<p class="download">.*?</p>', text or "", re.S)
        ok(st == 200 and set(links) == {"svg", "png", "pdf"} and para and "XLSX</a>" in para.group(0) and
           all(re.search(r"/cluster-map\.%s\?" % x, para.group(0)) for x in links) and
           all("dataset=eurostat-pl" in u and "industry=C29" in u and "year=2015" in u and "indicator=lq" in u
               for u in links.values()),
           "the page (%s) links the map as SVG, PNG and PDF beside its CSV and XLSX, with its choices" % lang,
           (st, links))
        got = {}
        for ext, u in sorted(links.items()):
            st, h, body = kt.request(port, "GET", u, headers={"Accept-Language": lang})
            got[ext] = body if st == 200 else b""
            ok(st == 200 and 'filename="eurostat-pl-map-C29-lq-2015.%s"' % ext in h.get("content-disposition", "") and
               h.get("content-type", "") == {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}[ext],
               "  %s (%s): 200, %s, named eurostat-pl-map-C29-lq-2015.%s" % (ext, lang, h.get("content-type"), ext),
               (st, h.get("content-type"), h.get("content-disposition")))
        t, d, texts = svg_texts(got["svg"]) if got["svg"] else (None, None, [])
        legend = legend_classes(texts)
        ok(t and t.startswith(title) and d and d.startswith("2015 · Eurostat SBS 2015 (PL) · " + layer) and
           any(x.startswith(title) for x in texts) and any(x.startswith(bounds) for x in texts) and
           len(legend) == 5 and all(dec in x for x in legend),
           "  the SVG (%s): title, subtitle, legend of 5 classes with numbers as the page writes them (%s), source line"
           % (lang, legend[:2]), (t, d, texts))
        size = png_size(got["png"])
        ok(size == (800, 800) and len(got["png"]) > 20000, "  the PNG (%s): a PNG of 800 × 800 pixels (%d bytes)" %
           (lang, len(got["png"])), size)
        if shutil.which("pdftotext") and got["pdf"]:
            ptext, pinfo = pdf_text(got["pdf"], "map-%s.pdf" % lang)
            flat = " ".join(ptext.split())
            ok(got["pdf"][:5] == b"%PDF-" and got["pdf"].rstrip().endswith(b"%%EOF") and
               title.split(" — ")[0] in flat and bounds in flat and all(x in flat for x in legend) and
               re.search(r"Title:\s+" + re.escape(title), pinfo) and "klaster" in pinfo,
               "  the PDF (%s): a PDF whose text holds the title, legend and source, its title in its information"
               % lang, (flat[:300], pinfo[:300]))
        else:
            ok(got["pdf"][:5] == b"%PDF-", "  the PDF (%s): a PDF (no pdftotext to read it)" % lang)
    # the classes are those `klaster map draw` gives on the file (its core draws the portal's map)
    out = os.path.join(kt.WORK, "cli-map.svg")
    r = kt.cli(None, "map", "draw", EUROSTAT, *EU_OPTS, "--region-prefix", "PL", "--industry", "C29",
               "--boundaries", os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson"),
               "--code-property", "nuts2_2013", "--lang", "en", "-o", out)
    cli = svg_texts(open(out, "rb").read())[2] if r.returncode == 0 else []
    st, h, body = kt.request(port, "GET", "/cluster-map.svg?" + base, headers={"Accept-Language": "en"})
    mine = svg_texts(body)[2] if st == 200 else []
    num = legend_classes
    ok(cli and num(mine) == num(cli) and "LQ (location quotient)" in mine and "LQ (location quotient)" in cli,
       "the legend's classes and heading are those of `klaster map draw --lang en` on the file", (num(mine), num(cli)))
    # other maps: shares in per cent, categories, the powiats, Europe, classes=, base=traded
    st, h, js = get_json(port, "/api/v1/datasets/ref-small")
    traded = next((x["industry"] for x in (js or {}).get("industries", []) if x["traded"]), "?")
    for q, want in (("dataset=eurostat-pl&industry=C29&indicator=share_of_region", "(%)"),
                    ("dataset=eurostat-pl&industry=C29&indicator=stars", "3 stars"),
                    ("dataset=gus-powiaty&industry=I", "Źródło: GUS, REGON, październik 2025. Boundaries: GUGiK PRG"),
                    ("dataset=eurostat-eu&industry=C29", "by NUTS-2 region of Europe"),
                    ("dataset=eurostat-pl&industry=C29&classes=3", None),
                    ("dataset=ref-small&industry=%s&base=traded&year=2022" % traded, "LQ base: traded industries")):
        t0 = time.time()
        st, h, body = kt.request(port, "GET", "/cluster-map.svg?" + q, headers={"Accept-Language": "en"})
        dt = time.time() - t0
        t, d, texts = svg_texts(body) if st == 200 else (None, None, [])
        nleg = len(num(texts))
        good = st == 200 and (want is None or want in (t or "") + (d or "") + " ".join(texts))
        if "classes=3" in q:
            good = good and nleg == 3
        if "share_of_region" in q:
            good = good and any(x.startswith("share of the region's employment (%)") for x in texts)
        ok(good, "/cluster-map.svg?%s: drawn (%s; %d legend classes, %.2f s)" % (q, want or "3 classes", nleg, dt),
           (st, t, d, texts[:12]))
        st, h, body = kt.request(port, "GET", "/cluster-map.png?" + q)
        ok(st == 200 and png_size(body) == (800, 800), "  and as PNG", (st, body[:100]))
    st, h, body = kt.request(port, "GET", "/cluster-map.svg?dataset=ref-small&industry=%s&base=traded&year=2022" % traded)
    ok(st == 200 and 'filename="ref-small-traded-map-%s-lq-2022.svg"' % traded in h.get("content-disposition", ""),
       "  base=traded in the file's name", h.get("content-disposition"))
    # bad parameters: the page's statuses, the downloads' 400s, in the page's language
    for q, status, pl, en in (
            ("dataset=no-such", 404, "Nie ma zbioru danych", "There is no dataset"),
            ("dataset=eurostat-pl&indicator=nope", 400, "indicator:", "indicator:"),
            ("dataset=eurostat-pl&base=sideways", 400, "base:", "base:"),
            ("dataset=eurostat-pl&base=traded", 400, "base: zbiór", "base: dataset"),
            ("dataset=eurostat-pl&year=1999", 400, "year: brak danych za 1999", "year: no data for 1999"),
            ("dataset=eurostat-pl&industry=ZZ9", 400, "industry: „ZZ9” nie występuje", "industry: 'ZZ9' is not in"),
            ("dataset=eurostat-pl&band_km=abc", 400, "band_km", "band_km"),
            ("dataset=eurostat-pl&classes=1", 400, "classes:", "classes: '1' is not a whole number from 2 to 9"),
            ("dataset=eurostat-pl&classes=x", 400, "classes:", "classes:"),
            ("dataset=eurostat-pl&indicator=stars&classes=3", 400, "classes: wskaźnik stars",
             "classes: indicator stars is drawn in its categories"),
            ("dataset=gus-powiaty&industry=U", 400, "nie ma czego narysować", "there is nothing to draw")):
        for ext in ("svg", "png", "pdf"):
            st, h, text = get(port, "/cluster-map.%s?%s" % (ext, q), "pl")
            st2, h2, text2 = get(port, "/cluster-map.%s?%s" % (ext, q), "en")
            ok(st == st2 == status and "text/html" in h.get("content-type", "") and pl in html.unescape(text) and
               en in html.unescape(text2),
               "/cluster-map.%s?%s: %d, said in the page's language" % (ext, q, status), (st, st2, text2[-400:]))
        if "classes" not in q and "industry=U" not in q:
            st, h, text = get(port, "/cluster-map?" + q)
            pst = 200 if ("year=" in q or "industry=" in q or "base=traded" in q) else status
            ok(st == pst, "  the page answers %d (%s)" % (pst, "a notice" if pst == 200 else "the same"), st)


def test_stars_map(port):
    """Stars are drawn in their four categories (a colour each, named in the legend), not in
    quantile classes: the regions of each colour are those with that many stars in the download."""
    st, _, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=stars", lang="en")
    drawn = regions_drawn(svg_of(text))
    st2, _, body = get(port, "/cluster-map.csv?dataset=eurostat-pl")
    stars = {x["region"]: x["stars"] for x in csv.DictReader(io.StringIO(body)) if x["industry"] == "C29"} \
        if st2 == 200 else {}
    with open("data/reference/voivodeships.geojson", encoding="utf-8") as f:
        nuts13 = {ft["properties"]["teryt"]: ft["properties"]["nuts2_2013"] for ft in json.load(f)["features"]}
    by_fill = {}
    for code, (fill, _) in drawn.items():
        by_fill.setdefault(fill, set()).add(nuts13.get(code, code))
    groups = sorted(sorted(g) for g in by_fill.values())
    by_stars = {}
    for code, n in stars.items():
        by_stars.setdefault(n, set()).add(code)
    want = sorted(sorted(g) for g in by_stars.values())
    ok(st == 200 and groups and groups == want, "stars on the map: one colour per number of stars", (groups, want))
    ok("3 stars" in text and "0 stars" in text, "  the legend names the categories")
    st, _, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=stars", lang="pl")
    ok(st == 200 and "3 gwiazdki" in text, "  in Polish too")


def test_no_year(db, port):
    """A statistics file without a year column is one period: no "(0)" on the page, a null year
    in the API and an empty year cell in the download."""
    r = kt.cli(db, "import", "stats", "tests/data/stats/long_noyear.csv", "--dataset", "no-year")
    ok(r.returncode == 0, "import stats: a file without years", r.stdout + r.stderr)
    st, _, text = get_map(port, "/cluster-map?dataset=no-year&industry=C26")
    h2 = re.search(r"<h2>(.*?)</h2>", text, re.S)
    ok(st == 200 and h2 and "C26" in h2.group(1) and "(0)" not in h2.group(1),
       "the page's heading has no year 0", h2.group(1) if h2 else text[:300])
    st, _, js = get_json(port, "/api/v1/cluster-map?dataset=no-year&industry=C26")
    ok(st == 200 and js is not None and js.get("year", 0) is None, "the API's year is null", js and js.get("year"))
    st, _, body = get(port, "/cluster-map.csv?dataset=no-year")
    rows = list(csv.DictReader(io.StringIO(body))) if st == 200 else []
    ok(rows and all(x["year"] == "" for x in rows), "the download's year cells are empty", body[:300])


def test_change_not_computable(db, port):
    """A change whose first year has employment only in cells missing in the last (the library's
    "the regions have no employment in 2021 in the cells known in both …") names from= in a 400
    of the API and the downloads, in Polish on a Polish download; the page shows the LQ with a
    notice and a region's profile shows itself without the comparison, in the page's language —
    not a 400 page with the library's English sentence."""
    path = os.path.join(kt.WORK, "change-gap.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n")
        for reg, a, b in (("02", 100, 50), ("04", 120, 60), ("06", 90, 70)):
            f.write("%s,C,2021,%d\n%s,G,2021,:\n%s,C,2023,:\n%s,G,2023,%d\n" % (reg, a, reg, reg, reg, b))
    r = kt.cli(db, "import", "stats", path, "--dataset", "change-gap")
    ok(r.returncode == 0, "import stats: a dataset whose two years share no known cell", r.stdout + r.stderr)
    english = "the regions have no employment in 2021"
    st, h, text = get(port, "/cluster-map?dataset=change-gap&indicator=growth&lang=pl", "pl")
    t = kt.text_of(text)
    ok(st == 200 and "regiony nie mają zatrudnienia w roku 2021" in t and "pokazano LQ" in t and english not in t
       and 'value="lq" selected' in text,
       "Polish page: the LQ with a Polish notice saying why there is no change", (st, t[:600]))
    st, h, text = get(port, "/cluster-map?dataset=change-gap&indicator=growth&lang=en")
    t = kt.text_of(text)
    ok(st == 200 and english in t and "the LQ is shown" in t, "English page: the LQ with the notice", (st, t[:600]))
    st, h, text = get(port, "/cluster-map/region?dataset=change-gap&region=02&from=2021&lang=pl", "pl")
    t = kt.text_of(text)
    ok(st == 200 and "Bez porównania z rokiem 2021" in t and english not in t,
       "Polish profile: shown without the comparison, saying why", (st, t[:600]))
    for lang, want in (("pl", "from: regiony nie mają zatrudnienia w roku 2021"), ("en", "from: " + english)):
        for pic in ("/cluster-map.csv", "/cluster-map.svg"):
            st, h, text = get(port, pic + "?dataset=change-gap&indicator=growth&lang=" + lang, lang)
            ok(st == 400 and want in kt.text_of(text), "%s of the change (%s): a 400 naming from" % (pic, lang),
               (st, kt.text_of(text)[:400]))
    for api in ("/api/v1/cluster-map?dataset=change-gap&indicator=growth&lang=pl",
                "/api/v1/cluster-map/region?dataset=change-gap&region=02&from=2021&lang=pl"):
        st, h, js = get_json(port, api)
        msg = js and js.get("error", {}).get("message") or ""
        ok(st == 400 and msg.startswith("from: " + english), "%s: a 400 naming from, in English" % api, (st, msg))


def legend_labels(svg):
    m = re.search(r'<g class="legend"[^>]*>(.*?)</g>', svg, re.S)
    return [html.unescape(x) for x in re.findall(r"<text[^>]*>([^<]*)</text>", m.group(1))] if m else []


def test_page_presentation(port):
    """What the cluster-map page shows: numbers as the language writes them,
    legends whose classes read differently, the chosen share in the table,
    regions without data unranked, stars and the strong flag said in words,
    the year to choose, the notes, and the way back from the language switch."""
    st, h, pl = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29", lang="pl")
    st2, h2, en = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29", lang="en")
    ok(st == st2 == 200 and "54\u00a0298" in pl and ">2,35<" in pl and "54,298" in en and ">2.35<" in en,
       "employment and LQ as Polish (54 298, 2,35) and English (54,298, 2.35) write them")
    ok('class="muted est-note"' in en and "without its establishment test" in en,
       "a dataset without establishments says the strong rule runs without that test")
    st, h, pl_s = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=share_of_region", lang="pl")
    st2, h2, en_s = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=share_of_region", lang="en")
    tips_pl = re.findall(r"<title>[^<:]*: ([^<]*)</title>", svg_of(pl_s))
    tips_en = re.findall(r"<title>[^<:]*: ([^<]*)</title>", svg_of(en_s))
    leg_en = re.findall(r'<text x="\d+" y="\d+">([^<]*\d[^<]*)</text>', svg_of(en_s))
    ok(st == st2 == 200 and tips_pl and all(t.endswith("\u00a0%") for t in tips_pl) and
       tips_en and all(t.endswith("%") and not t.endswith(" %") for t in tips_en) and leg_en and
       all(t.endswith("%") for t in leg_en),
       "shares: tooltips and legend in per cent with the sign (1,31 % and 1.31%)", (tips_pl[:2], tips_en[:2], leg_en[:2]))
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td>.*?<span class="vh">(\d) of 3</span></td>'
                      r'<td>(yes|no)</td></tr>', en)
    ok(len(rows) == 16 and [int(x[0]) for x in rows] == list(range(1, 17)) and
       ("lubuskie", "2", "yes") in [(x[1], x[2], x[3]) for x in rows],
       "stars and the strong flag are said in words (lubuskie: 2 of 3, strong)", rows[:3])
    ok("\u2605\u2605\u2606" in en, "stars are drawn filled and empty (\u2605\u2605\u2606)")
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C12")
    nodata = re.findall(r'<tr class="nodata"><td class="num"></td><td>[^<]*</td>(.*?)</tr>', text)
    ok(st == 200 and len(nodata) == 13 and all(x.count(">\u2013<") >= 4 for x in nodata),
       "regions without data come last, unranked, with \u2013 in every cell", (len(nodata), nodata[:1]))
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C21&indicator=share_of_region")
    labels = legend_labels(svg_of(text))
    ok(st == 200 and "share of the region&#39;s employment (%)</th>" in text and len(labels) == 6 and
       len(set(labels)) == 6 and not any(re.search(r"0\.00\b", x) for x in labels[1:]),
       "a share: its own column in per cent, and legend classes that read differently", labels)
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=strong")
    ok(st == 200 and [x for x in legend_labels(svg_of(text)) if x != "no data"] == ["not strong", "strong"],
       "indicator=strong: a map of the strong clusters in two categories", legend_labels(svg_of(text)))
    st, h, text = get_map(port, "/cluster-map?dataset=ref-small&industry=C26")
    years = re.findall(r'<option value="(\d+)"( selected)?>\d+</option>',
                       (re.search(r'<select id="f-year".*?</select>', text, re.S) or re.search("", "")).group(0))
    ok(st == 200 and [y for y, _ in years] == ["2023", "2022"] and years[0][1],
       "a dataset of two years offers both, the latest chosen", years)
    st, h, text = get_map(port, "/cluster-map?dataset=ref-small&industry=C26&year=2022")
    ok(st == 200 and "(2022)</h2>" in text and '<option value="2022" selected>' in text,
       "year=2022 shows 2022 and keeps it chosen")
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=250")
    back = re.search(r'class="lang" href="/lang\?set=[a-z]+&amp;back=([^"]*)"', text)
    ok(back and "band_km%3D250" in back.group(1), "the language switch keeps band_km", back and back.group(1))
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-eu&industry=C29")
    ok(st == 200 and re.search(r"<td>BG32 \u0421\u0435\u0432\u0435\u0440\u0435\u043d", text),
       "the map of Europe: a region named in its own script is shown after its code (BG32 \u0421\u0435\u0432\u0435\u0440\u0435\u043d \u2026)")
    st, h, text = get_map(port, "/cluster-map?dataset=powiat-test&base=traded&year=1999&industry=ZZ%C4%85")
    note = re.search(r'<p class="notice" role="status">(.*?)</p>', text)
    ok(st == 200 and note and "no traded flags" in note.group(1) and "1999" in note.group(1) and
       "ZZ\u0105" in note.group(1), "every choice the page replaced is said (base, year and industry)",
       note and note.group(1))
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=" + "9" * 40)
    ok(st == 400 and "9" * 20 + "\u2026" in text, "an over-long band_km is quoted back (its first 20 characters)")
    # the strong column follows the indicator's percentile; the map's name says the indicator
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=H50&indicator=strong10&band_km=250")
    st2, h2, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=H50")
    flags = dict(re.findall(r'<tr><td class="num">\d+</td><td>([^<]*)</td>.*?</span></td><td>(yes|no)</td>', text))
    names = {x["name"]: x for x in (js or {}).get("regions", [])}
    ok(st == 200 and "Strong cluster (90th percentile)</th>" in text and flags and
       all((flags[n] == "yes") == names[n]["strong10"] for n in flags),
       "indicator=strong10: the strong column is the 90th-percentile flag of the API", flags)
    ok('<title id="map-title">strong cluster (USCMP, 90th percentile): H50' in text,
       "the map's accessible name is the chosen indicator (also with hot spots)")
    svg = svg_of(text)
    ok(re.search(r"<title>[^<:]+: (not strong|strong \(90th\))</title>", svg),
       "tooltips of a category map say the category in words")
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C12")
    ok(re.search(r"<title>[^<:]+: no data</title>", svg_of(text)), "a region without data says so in its tooltip")
    # equal values share a rank
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=stars")
    ranks = [int(x) for x in re.findall(r'<tr><td class="num">(\d+)</td>', text)]
    ok(st == 200 and ranks and ranks[0] == 1 and len(set(ranks)) < len(ranks) and
       all(b == a or b == i + 2 for i, (a, b) in enumerate(zip(ranks, ranks[1:]))),
       "stars: regions with as many stars share a rank (1, 1, 3 ...)", ranks)
    # the same division under the other code: NACE C29 is PKD 29
    st2, h2, text2 = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=10")
    h2m = re.search(r"<h2>(.*?)</h2>", text2)
    ok(st2 == 200 and h2m and "C10 " in h2m.group(1) and 'class="notice"' in text2 and
       "Industry 10 is C10" in text2, "industry=10 on a dataset of NACE codes shows C10 and says so",
       h2m and h2m.group(1))
    # shares: per cent with two decimals in every row; a share above 0 too small for them says
    # so ("< 0.01"), never 0.00
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C12&indicator=share_of_region")
    cells = re.findall(r'<tr><td class="num">\d+</td><td>[^<]*</td><td class="num">[^<]*</td><td class="num">([^<]*)</td>',
                       text)
    cells = [html.unescape(c) for c in cells]
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C12&indicator=share_of_region")
    shares = [x["share_of_region"] for x in (js or {}).get("regions", []) if x["share_of_region"] is not None]
    ok(cells and all(re.fullmatch(r"\d+\.\d\d|< 0\.01", c) for c in cells) and
       cells.count("0.00") == sum(1 for v in shares if v == 0) and
       cells.count("< 0.01") == sum(1 for v in shares if 0 < v * 100 < 0.005),
       "shares in the map's table: two decimals each, '< 0.01' for a share above 0 too small for them", cells)
    # ties of a flag or a star count are ranked by LQ, as a reader of the table expects
    for ind in ("strong", "stars"):
        st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=C29&indicator=" + ind)
        body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
        rows = [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r_, re.S)]
                for r_ in re.findall(r"<tr>(.*?)</tr>", body.group(1) if body else "", re.S)]
        groups = {}
        for r_ in rows:
            if len(r_) > 3 and re.fullmatch(r"[0-9.,]+", r_[3]):
                groups.setdefault(r_[0], []).append(float(r_[3].replace(",", "")))
        ok(st == 200 and len(rows) > 5 and any(len(g) > 1 for g in groups.values())
           and all(g == sorted(g, reverse=True) for g in groups.values()),
           "indicator=%s: regions of one rank follow each other by LQ, highest first" % ind, groups)
    # the XLSX download: a second sheet says where the numbers come from
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&format=xlsx",
                             headers={"Accept-Language": "en"})
    notes = xlsx_cells(body, 2) if st == 200 and body[:2] == b"PK" else None
    ok(notes and notes.get("A1", "").startswith("Dataset: ") and notes.get("A2", "").startswith("Source: ") and
       notes.get("A3", "").startswith("Licence: ") and "LQs and shares against" in notes.get("A4", "") and
       re.search(r"from klaster: http://127\.0\.0\.1:\d+/cluster-map\.csv\?dataset=eurostat-pl&format=xlsx$",
                 notes.get("A5", "")),
       "the XLSX has a source sheet: dataset, source, licence, base, when and from which full address", notes)
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=eurostat-pl&format=xlsx",
                             headers={"Accept-Language": "pl"})
    notes = xlsx_cells(body, 2) if st == 200 and body[:2] == b"PK" else None
    ok(notes and notes.get("A1", "").startswith("Zbiór: ") and notes.get("A2", "").startswith("Źródło: ") and
       notes.get("A3", "").startswith("Licencja: ") and "LQ i udziały względem" in notes.get("A4", "") and
       notes.get("A5", "").startswith("Pobrano "),
       "  from the Polish page, the source sheet in Polish (the columns stay the API's)", notes)
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&indicator=stars")
    ok(st == 200 and js and js["indicator"] == "stars" and "industry_name" in js and
       all(x["name"] for x in js["regions"]),
       "the API says the indicator and the industry's name (null: none imported), and every region's name",
       js and (js.get("indicator"), js.get("industry_name"), [x["name"] for x in js["regions"]][:3]))


def test_changes(db, port):
    """Growth and regional shift between two years on the cluster map: a dataset of three years
    imported here offers them (a dataset of one year does not, and a request for them is a 400
    in the page's language); the page's table, the API and the CSV give the numbers of `klaster
    map shift-share` on the file (the CSV byte for byte), the map picture is that of `klaster
    map draw --indicator growth`, and from/year choose the years."""
    data = os.path.join(kt.WORK, "change-3y.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n"
                "02,C,2015,100\n02,G,2015,100\n04,C,2015,200\n04,G,2015,50\n06,C,2015,0\n06,G,2015,80\n"
                "02,C,2019,120\n02,G,2019,95\n04,C,2019,190\n04,G,2019,55\n06,C,2019,10\n06,G,2019,80\n"
                "02,C,2023,150\n02,G,2023,90\n04,C,2023,180\n04,G,2023,60\n06,C,2023,20\n06,G,2023,80\n")
    one = os.path.join(kt.WORK, "change-1y.csv")
    with open(one, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n02,C,2023,5\n04,C,2023,7\n02,G,2023,3\n04,G,2023,1\n")
    r = kt.cli(db, "import", "stats", data, "--dataset", "change-3y", "--title", "Trzy lata")
    r1 = kt.cli(db, "import", "stats", one, "--dataset", "change-1y", "--title", "Jeden rok")
    ok(r.returncode == 0 and r1.returncode == 0, "import stats: datasets of three years and of one", r.stderr + r1.stderr)
    voiv = os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson")
    out = os.path.join(kt.WORK, "change-ss.csv")
    r = kt.cli(None, "map", "shift-share", data, "--from", "2015", "--to", "2023", "--region-names", voiv, "-o", out)
    cli_csv = open(out, "rb").read() if r.returncode == 0 else b""
    table = {(x["region"], x["industry"]): x for x in csv.DictReader(io.StringIO(cli_csv.decode("utf-8")))}
    ok(len(table) == 6, "klaster map shift-share on the file", r.stderr)
    # the API: the shift-share's row of each region, the years, G and G_i
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=change-3y&industry=C&indicator=growth")
    regs = {x["region"]: x for x in js["regions"]} if st == 200 and js else {}
    bad = [(k, f) for k, x in regs.items() for f, col in (("employment_from", "employment0"), ("employment_to", "employment1"),
                                                        ("growth", "growth"), ("national_share", "national_share"),
                                                        ("industry_mix", "industry_mix"), ("regional_shift", "regional_shift"))
           if (x[f] is None) != (table[(k, "C")][col] == "") or
           (x[f] is not None and not close(x[f], float(table[(k, "C")][col])))]
    ok(st == 200 and js["from"] == 2015 and js["year"] == 2023 and js["indicator"] == "growth" and len(regs) == 3 and
       not bad and regs["06"]["growth"] is None and regs["02"]["rank"] == 1 and regs["06"]["rank"] is None,
       "the API with indicator=growth: from the first to the last year, each region's shift-share row as the "
       "command line's (no growth from 0: null, unranked)", (st, bad, js))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=change-3y&industry=G&indicator=regional_shift&from=2019&to=2023")
    r = kt.cli(None, "map", "shift-share", data, "--from", "2019", "--to", "2023")
    t19 = {(x["region"], x["industry"]): x for x in csv.DictReader(io.StringIO(r.stdout))}
    ok(st == 200 and js["from"] == 2019 and js["year"] == 2023 and
       all(close(x["regional_shift"], float(t19[(x["region"], "G")]["regional_shift"])) for x in js["regions"]),
       "from=2019&to=2023: the regional shift of `map shift-share --from 2019 --to 2023`", (st, js))
    # sort=lq (a link kept from a map of one year): a change has no LQ column; said, highest first
    st, h, text = get_map(port, "/cluster-map?dataset=change-3y&industry=C&indicator=growth&sort=lq", "en")
    ok(st == 200 and "A change between two years has no LQ column" in (text or ""),
       "sort=lq with a change: the page says it has no LQ column and ranks by the change", st)
    # the page, in both languages: the choice of years, the table, the note, the links
    for lang, words in (("pl", ("Od roku (zmiany)", "Do roku", "Dynamika (%)", "Efekt regionalny", "+50,00", "−10,00",
                                "Czerwone: spadek")),
                        ("en", ("From year (changes)", "To year", "Growth (%)", "Regional shift", "+50.00", "−10.00",
                                "Reds: losses"))):
        st, h, text = get_map(port, "/cluster-map?dataset=change-3y&industry=C&indicator=growth", lang)
        heading = re.search(r"<h2>(.*?)</h2>", text or "")
        links = re.findall(r'href="(/cluster-map\.(?:csv|svg|png|pdf)\?[^"]*)"', text or "")
        ok(st == 200 and all(w in text for w in words) and heading and "(2015–2023)" in heading.group(1) and
           '<option value="growth" selected>' in text and 'name="from"' in text and
           any("indicator=growth&amp;from=2015&amp;year=2023" in u for u in links) and
           any(u.startswith("/cluster-map.svg?") and "from=2015" in u for u in links),
           "the page (%s) with indicator=growth: from and to years, the shift-share's columns, the period, links with "
           "from and year" % lang, (st, heading and heading.group(1), [w for w in words if w not in (text or "")], links))
    st, h, text = get_map(port, "/cluster-map?dataset=change-3y&industry=C&indicator=regional_shift&from=2019", "en")
    ok(st == 200 and "(2019–2023)" in text and re.search(r'<option value="2019" selected>', text),
       "from=2019 on the page: the change 2019–2023 with 2019 chosen", st)
    st, h, text = get_map(port, "/cluster-map?dataset=change-1y", "en")
    ok(st == 200 and 'value="growth"' not in text and 'name="from"' not in text,
       "a dataset of one year offers no change and no first year", st)
    # errors: a dataset of one year, a year not in the data, from not before year — in the page's language
    for path, lang, words in (
            ("/api/v1/cluster-map?dataset=change-1y&industry=C&indicator=regional_shift", "en", ("compares two years",)),
            ("/cluster-map.svg?dataset=change-1y&industry=C&indicator=growth", "pl", ("porównuje dwa lata",)),
            ("/cluster-map.csv?dataset=change-1y&indicator=growth", "en", ("compares two years",)),
            ("/api/v1/cluster-map?dataset=change-3y&industry=C&indicator=growth&from=2014", "en", ("from", "2014", "2015 to 2023")),
            ("/api/v1/cluster-map?dataset=change-3y&industry=C&indicator=growth&from=2023", "en", ("from", "not before")),
            ("/cluster-map.csv?dataset=change-3y&indicator=growth&from=2023&year=2019", "pl", ("from", "nie jest przed")),
            ("/api/v1/cluster-map?dataset=change-3y&industry=C&indicator=growth&year=2019&to=2023", "en", ("to:",)),
            ("/api/v1/cluster-map?dataset=change-3y&industry=C&indicator=growth&band_km=abc", "en", ("band_km",))):
        st, h, text = get(port, path, lang)
        ok(st == 400 and all(w in html.unescape(text) for w in words), "%s (%s): 400 saying why" % (path, lang),
           (st, text[-400:]))
    # the CSV: `klaster map shift-share --from --to` byte for byte; XLSX too
    st, h, body = kt.request(port, "GET", "/cluster-map.csv?dataset=change-3y&indicator=growth&from=2015&year=2023")
    ok(st == 200 and body == cli_csv and 'filename="change-3y-shift-share-2015-2023.csv"' in h.get("content-disposition", ""),
       "the CSV of a change is `klaster map shift-share --from 2015 --to 2023` byte for byte", (st, body[:300], cli_csv[:300]))
    st, h, body = kt.request(port, "GET", "/api/v1/cluster-map.xlsx?dataset=change-3y&indicator=regional_shift&from=2015")
    ok(st == 200 and body[:2] == b"PK" and xlsx_rows(body)[0][:6] == ["region", "region_name", "industry", "industry_name",
                                                                      "year0", "year1"],
       "the XLSX of a change: the shift-share's columns", st)
    # the map picture: the classes of `klaster map draw --indicator growth` (in per cent), the period
    for lang, title in (("pl", "dynamika zatrudnienia (%) — C"), ("en", "employment growth (%) — C")):
        st, h, body = kt.request(port, "GET", "/cluster-map.svg?dataset=change-3y&industry=C&indicator=growth&from=2015",
                                 headers={"Accept-Language": lang})
        t, d, texts = svg_texts(body) if st == 200 else (None, None, [])
        ok(st == 200 and t == title and d and d.startswith("2015–2023 · Trzy lata") and
           'filename="change-3y-map-C-growth-2015-2023.svg"' in h.get("content-disposition", "") and
           any(x.startswith("< 0") for x in texts) and any(x.startswith("≥ 0") or x.startswith("0 – ") for x in texts),
           "the SVG of growth (%s): its title, the period, 0 a class bound" % lang, (st, t, d, texts))
    out = os.path.join(kt.WORK, "change-cli.svg")
    r = kt.cli(None, "map", "draw", data, "--boundaries", voiv, "--industry", "C", "--indicator", "regional_shift",
               "--lang", "en", "-o", out)
    cli = svg_texts(open(out, "rb").read())[2] if r.returncode == 0 else []
    st, h, body = kt.request(port, "GET", "/cluster-map.svg?dataset=change-3y&industry=C&indicator=regional_shift",
                             headers={"Accept-Language": "en"})
    mine = svg_texts(body)[2] if st == 200 else []
    classes = [x for x in cli if re.match(r"(< |≥ |\u2212?[\d.,]+ – < )", x)]
    ok(len(classes) >= 3 and [x for x in mine if x in classes] == classes,
       "the portal's picture of the regional shift has the classes of `klaster map draw` on the file", (classes, mine))
    st, h, js = get_json(port, "/api/v1/datasets/change-3y")
    st1, h1, js1 = get_json(port, "/api/v1/datasets/change-1y")
    ok(st == 200 and "growth" in js["indicators"] and "regional_shift" in js["indicators"] and
       st1 == 200 and "growth" not in js1["indicators"],
       "/api/v1/datasets/NAME lists the changes for a dataset of several years only", (js and js["indicators"],
                                                                                        js1 and js1["indicators"]))
    # the answers conform to the OpenAPI document
    st, h, doc = get_json(port, "/api/v1/openapi.json")
    schema = doc["paths"]["/api/v1/cluster-map"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    for path in ("/api/v1/cluster-map?dataset=change-3y&industry=C&indicator=growth",
                 "/api/v1/cluster-map?dataset=change-3y&industry=G&indicator=regional_shift&from=2019"):
        st, h, js = get_json(port, path)
        problems = []
        schema_problems(doc, schema, js, "", problems)
        ok(st == 200 and not problems, "%s conforms to the OpenAPI document" % path, problems[:5])


def test_fresh(db, port):
    """A re-imported list shows at once (the data generation moves)."""
    get(port, "/cluster-map/points?dataset=eu-capitals")
    small = os.path.join(kt.WORK, "eu-firms-2.csv")
    with open(small, "w", encoding="utf-8") as f:
        f.write("id,name,lat,lon\nA,Alfa,52.1,21.0\nB,Beta,52.1,21.01\nC,Gamma,50.0,20.0\n")
    r = kt.cli(db, "import", "firms", small, "--dataset", "eu-capitals")
    st, h, text = get(port, "/cluster-map/points?dataset=eu-capitals")
    ok(r.returncode == 0 and summary(text) == (3, 0, 0, 3), "a re-imported list is shown at once", summary(text))
    st, h, text = get(port, "/cluster-map/points?dataset=eu-capitals&min_samples=2")
    ok(summary(text) == (3, 1, 2, 1), "two firms 700 m apart are a cluster with min_samples 2", summary(text))


def cache_hits(port):
    st, _, body = kt.request(port, "GET", "/healthz")
    return json.loads(body)["search_cache"]["hits"]


def test_change_hotspots(db, port):
    """Hot spots of a change (band_km with indicator=growth or regional_shift): the
    download is `klaster map hotspots --regions --indicator … --from --to` byte for
    byte, the API's z and spot of each region the same, and the page's shift-share
    table has the z, p and spot columns and links to that download."""
    regs = ["%02d" % k for k in range(2, 33, 2)]
    data = os.path.join(kt.WORK, "change-16.csv")
    with open(data, "w", encoding="utf-8") as f:
        f.write("region,industry,year,employment\n")
        for k, g in enumerate(regs):
            south = g in ("02", "12", "16", "18", "24", "26")
            f.write("%s,C,2015,%d\n%s,C,2023,%d\n%s,G,2015,%d\n%s,G,2023,%d\n"
                    % (g, 100 + 37 * k, g, 100 + 37 * k + (120 + 5 * k if south else -30 + 3 * k),
                       g, 500 + 13 * k, g, 520 + 9 * k))
    r = kt.cli(db, "import", "stats", data, "--dataset", "change-16")
    ok(r.returncode == 0, "import stats: two years of the 16 voivodeships", r.stderr)
    voiv = os.path.join(kt.ROOT, "data", "reference", "voivodeships.geojson")
    for ind_name in ("growth", "regional_shift"):
        out = os.path.join(kt.WORK, "change-hot-%s.csv" % ind_name)
        r = kt.cli(None, "map", "hotspots", data, "--regions", voiv, "--industry", "C",
                   "--indicator", ind_name, "--from", "2015", "--to", "2023", "--band", "300000", "-o", out)
        ref = open(out, "rb").read() if r.returncode == 0 else b""
        q = "dataset=change-16&industry=C&indicator=%s&from=2015&year=2023&band_km=300" % ind_name
        st, h, body = kt.request(port, "GET", "/cluster-map.csv?" + q)
        ok(st == 200 and ref and body == ref and
           'filename="change-16-hotspots-C-%s-300km-2015-2023.csv"' % ind_name in h.get("content-disposition", ""),
           "the hot spots of %s: the download is `map hotspots --regions --indicator %s --from --to` byte for byte, "
           "named with both years" % (ind_name, ind_name), (st, h.get("content-disposition"), body[:300], ref[:300],
                                                           r.stderr))
        rows = {x["region"]: x for x in csv.DictReader(io.StringIO(ref.decode("utf-8")))}
        st, h, js = get_json(port, "/api/v1/cluster-map?" + q)
        bad = [x["region"] for x in (js or {}).get("regions", [])
               if x["region"] not in rows or not close(x["z"], float(rows[x["region"]]["z"])) or
               (x["spot"] or "") != rows[x["region"]]["spot"] or not close(x[ind_name], float(rows[x["region"]]["value"]))]
        ok(st == 200 and js["hotspots"]["regions"] == 16 and len(js["regions"]) == 16 and not bad and
           js["from"] == 2015 and "regional_shift" in js["regions"][0],
           "  the API: each region's shift-share row with its value, z and spot of the command line", (st, bad, js))
        st2, h2, doc = get_json(port, "/api/v1/openapi.json")
        problems = []
        if st == 200 and js is not None and doc:
            schema_problems(doc, doc["paths"]["/api/v1/cluster-map"]["get"]["responses"]["200"]["content"]
                            ["application/json"]["schema"], js, "", problems)
        ok(st2 == 200 and doc and not problems, "  and conforms to the OpenAPI document", problems[:5])
        st, h, text = get_map(port, "/cluster-map?" + q, "pl")
        spots = re.findall(r'<td class="(hot|cold|)">', text or "")
        ok(st == 200 and "Efekt regionalny" in text and "z (Gi*)" in text and "Gorący / zimny punkt" in text and
           "liczy się dla wskaźników jednego roku" not in (text or "") and 'class="hotspots"' in (text or "") and
           "/cluster-map.csv?dataset=change-16&amp;industry=C&amp;indicator=%s&amp;from=2015&amp;year=2023&amp;"
           "band_km=300" % ind_name in text and "pominięto" not in (text or ""),
           "  the page: the shift-share table with z, p and spot, the hot-spot download with both years",
           (st, spots[:5]))


def test_portal_review(db, port):
    """What a review of the portal's cluster map found: a download of one year is not stopped by
    another year; a page never dead-ends on a choice the data cannot have (a traded base with a
    region without traded employment, hot spots of fewer than two regions, a change on a dataset
    of one year) but says so in its language; ?lang= stays in every link and the form; year=0 is
    no year; a NUL byte in a parameter is refused."""
    for q in ("dataset=traded-gap&base=traded&year=2022", "dataset=traded-gap&base=traded&year=2022&industry=C10"
              "&indicator=lq&band_km=300", "dataset=traded-gap&base=traded&industry=C10&indicator=growth&from=2021"):
        st, h, body = kt.request(port, "GET", "/cluster-map.csv?" + q)
        ok(st == 200, "download %s: computed for the year(s) it shows, not stopped by 2021" % q, (st, body[:200]))
    st, h, body = get(port, "/cluster-map.csv?dataset=traded-gap&base=traded", "pl")
    ok(st == 400 and "region 04 nie ma zatrudnienia w branżach ponadlokalnych w roku 2021" in body and
       "base=all" in body and "leave the region out" not in body,
       "the download of every year: a 400 naming the region and year in the page's words", body[-300:])
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=traded-gap&base=traded&year=2021")
    ok(st == 400 and js and "region 04 has no employment in traded industries in 2021" in js["error"]["message"],
       "the API: the same in English", (st, js))
    for lang, words in (("pl", "Region 04 nie ma zatrudnienia w branżach ponadlokalnych w roku 2021, więc LQ "
                               "względem nich nie istnieje: pokazano LQ względem wszystkich branż."),
                        ("en", "Region 04 has no employment in traded industries in 2021, so there is no LQ against "
                               "them: LQs against all industries are shown.")):
        st, h, text = get_map(port, "/cluster-map?dataset=traded-gap&base=traded&year=2021", lang)
        ok(st == 200 and words in html.unescape(text) and '<option value="all" selected>' in text,
           "the page (%s) of that year shows the LQs against all industries and says why" % lang, (st, text[-500:]))
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=traded-gap&base=traded&year=2022&region=02&from=2021")
    ok(st == 200 and js and js.get("lq_from_error") == "region 04 has no employment in traded industries in 2021",
       "a profile compared with that year names the region in the portal's words", js and js.get("lq_from_error"))
    # hot spots of an industry with fewer than two regions on the map
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=H53&band_km=300")
    ok(st == 400 and js and "hot spots need at least two regions with a value of lq" in js["error"]["message"],
       "API: hot spots of an industry with fewer than two regions with a value: 400 saying so", (st, js))
    st, h, text = get_map(port, "/cluster-map?dataset=eurostat-pl&industry=H53&band_km=300", "pl")
    ok(st == 200 and "Bez gorących punktów: gorące punkty wymagają co najmniej dwóch regionów" in text and
       'class="hotspots"' not in text,
       "the page shows the map without hot spots and says why, in Polish", (st, text[-600:]))
    # a change chosen on a dataset of one year (the form keeps the indicator when the dataset changes)
    st, h, text = get_map(port, "/cluster-map?dataset=change-1y&industry=C&indicator=growth&from=2015&year=2023", "pl")
    ok(st == 200 and "ma dane z jednego roku: zmiany (growth) nie ma z czym porównać, pokazano LQ." in text and
       '<option value="lq" selected>' in text, "a change on a dataset of one year: the page shows the LQ, with a notice",
       (st, text[-500:]))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=change-1y&industry=C&indicator=growth")
    ok(st == 400, "  the API still refuses it", st)
    # ?lang= stays in the links and the form
    st, h, text = get_map(port, "/cluster-map?lang=en&dataset=gus-powiaty&industry=C", "pl")
    links = re.findall(r'href="(/cluster-map[^"#]*)', text or "")
    svg = [u for u in links if u.startswith("/cluster-map.svg?")]
    ok(st == 200 and 'lang="en"' in text and '<input type="hidden" name="lang" value="en">' in text and links and
       all("lang=en" in u for u in links if "?" in u) and svg,
       "?lang=en: every link of the section and the form keep it", [u for u in links if "lang=en" not in u][:5])
    if svg:
        st, h, body = kt.request(port, "GET", html.unescape(svg[0]), headers={"Accept-Language": "pl"})
        ok(st == 200 and b"Manufacturing" in body and "Przetwórstwo".encode() not in body,
           "  so the map downloaded from it is in English", body[:200])
    st, h, text = get(port, "/cluster-map/points?lang=en&dataset=eu-ets-pl&value=%s&band_km=30" % EM19, "pl")
    links = [html.unescape(u) for u in re.findall(r'href="(/cluster-map[^"#]*)', text or "") if u != "/cluster-map"]
    ok(st == 200 and 'lang="en"' in text and '<input type="hidden" name="lang" value="en">' in text and
       len(links) >= 5 and all("lang=en" in u for u in links),
       "the firm points' page keeps ?lang=en in its tabs, downloads and form", [u for u in links if "lang=en" not in u])
    # an industry without any known number of establishments: the strong rule without that test, said
    est = os.path.join(kt.WORK, "est-none.csv")
    with open(est, "w", encoding="utf-8") as f:
        f.write("region,industry,employment,establishments\n02,C,100,\n02,G,10,3\n04,C,10,\n04,G,100,4\n"
                "06,C,50,\n06,G,50,5\n08,C,80,\n08,G,20,2\n")
    r = kt.cli(db, "import", "stats", est, "--dataset", "est-none")
    st, h, text = get_map(port, "/cluster-map?dataset=est-none&industry=C", "en")
    st2, h2, text2 = get_map(port, "/cluster-map?dataset=est-none&industry=G", "en")
    st3, h3, js = get_json(port, "/api/v1/cluster-map?dataset=est-none&industry=C")
    strong = {x["region"]: x["strong"] for x in (js or {}).get("regions", [])}
    ok(r.returncode == 0 and st == 200 and "No region has a known number of establishments in this industry" in text
       and "No region has a known number" not in text2 and strong.get("02") == 1,
       "an industry without known establishments: the strong rule without that test (02 strong), and the page "
       "says so for it alone", (r.stderr, strong))
    # the hot-spot download of a dataset without years names no year, and works
    st, h, text = get_map(port, "/cluster-map?dataset=powiat-test&industry=C10&band_km=100&lang=en")
    hl = [html.unescape(u) for u in re.findall(r'class="hotspots-download"><a href="([^"]*)"', text or "")]
    st2, h2, body = kt.request(port, "GET", hl[0]) if hl else (0, {}, b"")
    ok(st == 200 and hl and "year=" not in hl[0] and st2 == 200 and body.startswith(b"region,"),
       "a dataset without years: the page's hot-spot download names no year and answers", (hl, st2, body[:200]))
    # year=0 is no year
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=no-year&industry=C26&year=0")
    ok(st == 400 and js and "no years" in js["error"]["message"], "year=0 on a dataset without years: 400 as any year",
       (st, js))
    st, h, text = get_map(port, "/cluster-map?dataset=no-year&industry=C26&year=2025", "pl")
    ok(st == 200 and "nie ma lat (jeden okres): pominięto rok 2025." in text and "najnowszy rok" not in text,
       "the page: the dataset has no years, not 'the latest year is shown'", text[-400:])
    for path in ("/cluster-map?dataset=no-year%00x", "/api/v1/cluster-map?dataset=no-year&industry=C26%00zz",
                 "/organisations?q=a%00b"):
        st, h, body = kt.request(port, "GET", path)
        ok(st == 400 and b"NUL" in body, "%s: a NUL byte in a parameter is a 400" % path, (st, body[:200]))


def test_change_base(port):
    """A change between two years (growth, regional_shift) does not depend on the LQ base:
    base=traded is not applied to it, and the page and the API say so rather than echoing a
    base that changed nothing; the downloads and the default industry are those of base=all."""
    q = "dataset=ref-traded&industry=C26&indicator=%s&from=2022&year=2023"
    for ind in ("growth", "regional_shift"):
        st, h, js = get_json(port, "/api/v1/cluster-map?" + q % ind + "&base=traded")
        st2, h2, js2 = get_json(port, "/api/v1/cluster-map?" + q % ind)
        ok(st == st2 == 200 and js["base"] == "all" and "does not depend on the LQ base" in js.get("notice", "") and
           js["regions"] == js2["regions"] and "notice" not in js2,
           "API %s with base=traded: the numbers of base=all, base says all, a notice says why" % ind,
           (st, js and js.get("base"), js and js.get("notice")))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=ref-traded&indicator=growth&base=traded")
    st2, h2, js2 = get_json(port, "/api/v1/cluster-map?dataset=ref-traded&indicator=growth")
    ok(st == st2 == 200 and js["industry"] == js2["industry"],
       "  the default industry of a change is the same with either base", (js and js["industry"], js2 and js2["industry"]))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=change-3y&industry=C&indicator=growth&base=traded")
    ok(st == 200 and js["base"] == "all" and js.get("notice"),
       "  a dataset without traded flags: the change is shown, not a 400 about a base it would not use", (st, js))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=ref-traded&industry=C26&base=traded")
    ok(st == 200 and js["base"] == "traded" and "notice" not in js, "  the LQ keeps base=traded", (st, js))
    st, h, doc = get_json(port, "/api/v1/openapi.json")
    st2, h2, js = get_json(port, "/api/v1/cluster-map?" + q % "growth" + "&base=traded")
    problems = []
    schema_problems(doc, doc["paths"]["/api/v1/cluster-map"]["get"]["responses"]["200"]["content"]
                    ["application/json"]["schema"], js, "", problems)
    ok(st2 == 200 and not problems, "  and conforms to the OpenAPI document", problems[:5])
    for lang, words in (("pl", "nie zależy od bazy LQ"), ("en", "does not depend on the LQ base")):
        st, h, text = get_map(port, "/cluster-map?" + q % "growth" + "&base=traded", lang)
        links = [html.unescape(u) for u in re.findall(r'href="(/cluster-map[^"#]*)', text or "")]
        ok(st == 200 and words in text and '<option value="all" selected>' in text and
           '<option value="traded" selected>' not in text and links and not [u for u in links if "base=traded" in u],
           "the page (%s) of growth with base=traded: a notice, the form's base is all, no link carries traded" % lang,
           (st, [u for u in links if "base=traded" in u][:3]))
    names = []
    for base in ("", "&base=traded"):
        st, h, body = kt.request(port, "GET", "/cluster-map.csv?" + q % "growth" + base)
        st2, h2, body2 = kt.request(port, "GET", "/cluster-map.svg?" + q % "growth" + base)
        names.append((st, st2, h.get("content-disposition"), h2.get("content-disposition"), body))
    ok(names[0] == names[1] and names[0][0] == 200 and
       names[0][2:4] == ('attachment; filename="ref-traded-shift-share-2022-2023.csv"',
                         'attachment; filename="ref-traded-map-C26-growth-2022-2023.svg"'),
       "  the downloads of a change are those of base=all, named alike", [x[:4] for x in names])


def test_nothing_to_draw(port):
    """A map on which no region has a value (section U of the powiats, Eurostat's H53) offers no
    map picture to download — each would answer 400 "nothing to draw" — but says so; the page
    links the pictures exactly when they can be drawn."""
    for q, drawable in (("dataset=gus-powiaty&industry=U", False), ("dataset=eurostat-pl&industry=H53", False),
                        ("dataset=eurostat-eu&industry=H53", True),
                        ("dataset=gus-powiaty&industry=U&indicator=employment", True),
                        ("dataset=gus-powiaty&industry=C", True), ("dataset=eurostat-pl&industry=C29", True)):
        for lang, words in (("pl", "mapy nie ma do pobrania: żaden region na mapie nie ma wartości wskaźnika"),
                            ("en", "no map to download: no region on the map has a value of the indicator")):
            st, h, text = get_map(port, "/cluster-map?" + q, lang)
            pics = [html.unescape(u) for u in re.findall(r'href="(/cluster-map\.(?:svg|png|pdf)\?[^"]*)"', text or "")]
            csv_links = re.findall(r'href="(/cluster-map\.csv\?[^"]*)"', text or "")
            ok(st == 200 and csv_links and (len(pics) == 3) == drawable and (words in text) != drawable,
               "%s (%s): %s" % (q, lang, "the SVG, PNG and PDF links" if drawable else
                                "no picture links, a word why; the CSV and XLSX stay"), (st, pics, csv_links))
        st, h, body = kt.request(port, "GET", "/cluster-map.svg?" + q)
        ok(st == (200 if drawable else 400), "  /cluster-map.svg?%s answers %d" % (q, 200 if drawable else 400),
           (st, body[-200:]))


def test_related_one_group(port):
    """The powiats' 20 PKD sections fall into one group of related industries: the page says why
    there is no group score (and a dataset of several groups does not)."""
    for q, one in (("dataset=gus-powiaty", True), ("dataset=eurostat-eu", False)):
        st, h, text = get_map(port, "/cluster-map/related?" + q, "en")
        m = re.search(r'<dd id="rel-ngroups">(\d+)</dd>', text or "")
        ok(st == 200 and m and (int(m.group(1)) == 1) == one and ('class="notice one-group"' in text) == one,
           "%s: %s" % (q, "one group, and why it has no score" if one else "several groups, no such notice"),
           (st, m and m.group(1)))


def test_related_region_names(port):
    """The related industries' density table of a dataset whose file has no region names (Eurostat's
    codes) names the regions as the page and the map's download do: in the CSV and in the API."""
    st, h, body = kt.request(port, "GET", "/cluster-map/related.csv?dataset=eurostat-pl&base=density")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8")))) if st == 200 else []
    names = {x["region"]: x["region_name"] for x in rows}
    ok(rows and names.get("PL12") == "mazowieckie" and all(names.values()),
       "the density CSV names every region (PL12 mazowieckie)", (st, list(names.items())[:3]))
    st, h, js = get_json(port, "/api/v1/cluster-map/relatedness?dataset=eurostat-pl&base=density&industry=C29")
    got = {x["region"]: x["region_name"] for x in (js or {}).get("rows", [])}
    ok(st == 200 and got.get("PL12") == "mazowieckie" and all(got.values()),
       "  and the API's density rows", (st, list(got.items())[:3]))


def test_map_links_in_dataset(port):
    """Only boundaries the dataset has a region on are links on the map: on the map of Europe the
    countries Eurostat's file does not cover (Albania, Turkey) are drawn without one; a profile
    asked for such a boundary says so (404) rather than showing another region."""
    st, h, text = get(port, "/cluster-map?dataset=eurostat-eu")
    st2, h2, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-eu")
    svg = svg_of(text)
    linked = set(re.findall(r'<a href="/cluster-map/region\?[^"]*&amp;feature=([^"&]*)"', svg))
    drawn = set(regions_drawn(svg))
    # (the NUTS-3 parts of a region without a value are not drawn at all)
    on = {c for x in (js or {}).get("regions", []) for c in x["drawn_as"]} & drawn
    ok(st == 200 and st2 == 200 and len(drawn) > 300 and linked == on and "AL01" in drawn and "AL01" not in linked and
       not [c for c in linked if c.startswith("TR")] and "FRB0" in linked,
       "the map of Europe links the %d boundaries the dataset's regions are drawn on, not the other %d"
       % (len(on), len(drawn - on)), (len(linked), len(on), sorted(linked ^ on)[:10]))
    st, h, text = get(port, "/cluster-map?dataset=powiat-part&industry=C10")
    linked = re.findall(r'<a href="/cluster-map/region\?[^"]*&amp;feature=', svg_of(text))
    ok(st == 200 and len(linked) == 150 and len(regions_drawn(svg_of(text))) == 380,
       "a dataset of 150 powiats: 380 drawn, 150 links", len(linked))
    for lang, words in (("pl", "Obszaru AL01 (Veri) nie ma w zbiorze „Eurostat"),
                        ("en", "Area AL01 (Veri) is not in dataset \"Eurostat")):
        st, h, text = get(port, "/cluster-map/region?dataset=eurostat-eu&feature=AL01", lang)
        ok(st == 404 and words in html.unescape(text) and "<h2>" not in text and 'id="f-region"' in text and
           '<option value="" selected>' in text and 'class="profile-table"' not in text,
           "/cluster-map/region?…&feature=AL01 (%s): 404 saying the dataset has no region there, the choice of "
           "regions, no other region's profile" % lang, (st, re.findall(r'<p class="notice"[^>]*>[^<]*', text)))
    st, h, js = get_json(port, "/api/v1/cluster-map/region?dataset=eurostat-eu&feature=AL01")
    ok(st == 400 and js and "feature: 'AL01' is not in dataset" in js["error"]["message"], "  the API: a 400 naming feature",
       (st, js))
    st, h, text = get(port, "/cluster-map/region?dataset=eurostat-eu&feature=FRB0")
    ok(st == 200 and re.search(r"<h2>[^<]*\(FR24\)", text) and 'class="notice"' not in text,
       "  a boundary a region is drawn on through the correspondence still opens it", re.findall(r"<h2>.*?</h2>", text))
    st, h, text = get(port, "/cluster-map?dataset=gap-years&year=2023&industry=C10")
    linked = re.findall(r'<a href="/cluster-map/region\?[^"]*&amp;feature=([^"&]*)"', svg_of(text))
    ok(st == 200 and sorted(linked) == ["02", "04"], "a region without data in the year shown is no link that year",
       linked)
    st, h, text = get(port, "/cluster-map/region?dataset=gap-years&year=2023&feature=06")
    ok(st == 200 and "Region 06 has no data for 2023: showing" in text,
       "  and its boundary asked for says that region has no data that year", re.findall(r'class="notice"[^<]*', text))


def test_km_thousands(port):
    """A comma before exactly three digits ("1,000") is a thousand in English and one in Polish —
    the English page itself writes "1,000 km" — so every kilometre field refuses it with a 400
    in the page's language saying to write 1000; a plain decimal comma ("2,5", "0,125") stays."""
    for path, field, plain, dec in (
            ("/cluster-map?dataset=eurostat-pl&industry=C29&band_km=1,000", "band_km", "1000", "1"),
            ("/cluster-map.csv?dataset=eurostat-pl&industry=C29&band_km=2,500", "band_km", "2500", "2,5"),
            ("/cluster-map/points?dataset=eu-ets-pl&eps_km=2,500", "eps_km", "2500", "2,5"),
            ("/cluster-map/points?dataset=eu-ets-pl&cell_km=1,000", "cell_km", "1000", "1"),
            ("/cluster-map/points?dataset=eu-ets-pl&value=%s&band_km=1,000.5" % EM19, "band_km", "1000.5", None)):
        # both readings offered (a Polish "1,500" is more likely one and a half), each in the page's way
        for lang, words in (("pl", "jest niejednoznaczne (przecinek przed trzema cyframi może oddzielać tysiące): "
                                   "napisz %s albo %s, bez separatora tysięcy" % (plain, dec) if dec else
                                   "ma separator tysięcy: napisz %s" % plain),
                            ("en", "is ambiguous (a comma before three digits may separate thousands): write %s or "
                                   "%s, without a thousands separator" % (plain, dec and dec.replace(",", "."))
                             if dec else "has a thousands separator: write %s" % plain)):
            st, h, text = get(port, path, lang)
            ok(st == 400 and ((field + ": ") in text or names_field(text, field)) and words in html.unescape(text),
               "%s (%s): 400 saying to write %s" % (path, lang, plain), (st, re.findall(r'class="error"[^>]*>[^<]*', text)))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=1,000")
    ok(st == 400 and js and js["error"]["message"].startswith("band_km: '1,000' is ambiguous") and
       "write 1000" in js["error"]["message"], "the API: the same 400 in English", (st, js))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=1,500&lang=pl")
    ok(st == 400 and js and "write 1500 or 1.5," in js["error"]["message"],
       "  the API's decimal reading is English (1.5) whatever the language asked", (st, js))
    st, h, js = get_json(port, "/api/v1/firm-clusters?dataset=eu-ets-pl&eps_km=1,000")
    ok(st == 400 and js and "eps_km: '1,000' is ambiguous" in js["error"]["message"], "  and for the firm points", (st, js))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=1000")
    st2, h2, js2 = get_json(port, "/api/v1/cluster-map?dataset=eurostat-pl&industry=C29&band_km=2,5")
    st3, h3, js3 = get_json(port, "/api/v1/firm-clusters?dataset=eu-ets-pl&eps_km=0,125")
    st4, h4, js4 = get_json(port, "/api/v1/firm-clusters?dataset=eu-ets-pl&eps_km=2,5000")
    ok(st == 200 and js["band_km"] == 1000 and st2 in (200, 400) and (st2 == 200 and js2["band_km"] == 2.5 or
       "hot spots need" in js2["error"]["message"]) and st3 == 200 and js3["eps_km"] == 0.125 and
       st4 == 200 and js4["eps_km"] == 2.5,
       "1000, 2,5, 0,125 and 2,5000 are still read (a plain decimal comma)",
       (st, st2, js2 if st2 != 200 else js2["band_km"], st3, st4))


def test_shift_share_names(port):
    """The shift-share's components have one name in each language on every page: the map of a
    change and a region's profile compared with an earlier year head their columns alike."""
    def heads(text, table_re):
        t = re.search(table_re, text or "", re.S)
        return [html.unescape(re.sub(r"<[^>]+>", "", x)) for x in re.findall(r"<th[^>]*>(.*?)</th>", t.group(0))] if t else []
    for lang, names in (("pl", ["Efekt krajowy", "Efekt strukturalny", "Efekt regionalny"]),
                        ("en", ["National share", "Industry mix", "Regional shift"])):
        st, h, text = get_map(port, "/cluster-map?dataset=change-3y&industry=C&indicator=growth", lang)
        st2, h2, prof = get(port, "/cluster-map/region?dataset=change-3y&region=02&year=2023&from=2015", lang)
        a = [x for x in heads(text, r'<table class="results">.*?</thead>') if x in names]
        b = [x for x in heads(prof, r'<table class="results profile-table">.*?</thead>') if x in names]
        dd = re.search(r'<dd data-shift="[^"]*">(.*?)</dd>', prof or "", re.S)
        ok(st == st2 == 200 and a == names and b == names and dd and all(n in dd.group(1) for n in names),
           "the shift-share's columns (%s) are named alike on the map and the profile: %s" % (lang, ", ".join(names)),
           (heads(text, r'<table class="results">.*?</thead>'), heads(prof, r'<table class="results profile-table">.*?</thead>')))


def test_notice_punctuation(port):
    """A notice naming an industry whose long name is cut short ends with the ellipsis, not "…."."""
    st, h, text = get(port, "/cluster-map?dataset=gus-powiaty&industry=ZZ", "pl")
    n = re.search(r'<p class="notice" role="status">([^<]*)</p>', text or "")
    ok(st == 200 and n and n.group(1).startswith("Branży ZZ nie ma w zbiorze") and n.group(1).endswith("działalność…") and
       "…." not in n.group(1), "the fallback notice ends with one mark: „…działalność…”", n and n.group(1))


def test_legend_no_data(port):
    """The page's legend lists "no data" exactly when the picture's legend does: when some region
    drawn has no value, not on a map where every region has one."""
    for q, missing in (("dataset=gus-powiaty&industry=C", False), ("dataset=change-16&industry=C&indicator=growth", False),
                       ("dataset=ref-small&industry=C26", True), ("dataset=eurostat-eu&industry=C29", True)):
        for lang, word in (("pl", "brak danych"), ("en", "no data")):
            st, h, text = get(port, "/cluster-map?" + q, lang)
            st2, h2, body = kt.request(port, "GET", "/cluster-map.svg?" + q, headers={"Accept-Language": lang})
            page = legend_labels(svg_of(text))
            pic = svg_texts(body)[2] if st2 == 200 else []
            ok(st == st2 == 200 and page and (word in page) == missing and (word in pic) == missing,
               "%s (%s): %s in the legend of the page and of the picture" % (q, lang, word if missing else "no " + repr(word)),
               (st, st2, page, [x for x in pic if word in x]))


def test_xlsx_source_lang(port):
    """The workbook's source sheet records the full address it was downloaded from, the language
    asked for in it too, so that the address gives the same workbook again."""
    for path, lang, first in (("/cluster-map.csv?dataset=eurostat-pl&format=xlsx&lang=en", "pl", "Dataset: "),
                              ("/cluster-map.csv?dataset=eurostat-pl&format=xlsx&lang=pl", "en", "Zbiór: "),
                              ("/cluster-map.csv?lang=en&dataset=eurostat-pl&format=xlsx", "pl", "Dataset: ")):
        st, h, body = kt.request(port, "GET", path, headers={"Accept-Language": lang})
        notes = xlsx_cells(body, 2) if st == 200 and body[:2] == b"PK" else None
        want = "/cluster-map.csv?dataset=eurostat-pl&format=xlsx&lang=" + re.search(r"lang=(\w+)", path).group(1)
        ok(notes and notes.get("A1", "").startswith(first) and notes.get("A5", "").endswith(want),
           "%s: the source sheet records the address with its lang" % path, notes and notes.get("A5"))


def test_points_error_back(port):
    """A 400 or 404 of the firm points' downloads (and a 404 of the page) leads back to the firm
    points, not to the cluster map's first tab; the API's errors stay JSON.  (The page's own 400
    is the page with its form: test_points_form.py.)"""
    for path, lang, st_want, back, words in (
            ("/cluster-map/points.csv?eps_km=abc", "pl", 400, "/cluster-map/points", ("Wróć: Firmy na mapie", "eps_km: ")),
            ("/cluster-map/points.csv?eps_km=abc", "en", 400, "/cluster-map/points", ("Back to: Firm points", "eps_km: ")),
            ("/cluster-map/points.csv?lang=en&eps_km=abc", "pl", 400, "/cluster-map/points?lang=en",
             ("Back to: Firm points",)),
            ("/cluster-map/points?dataset=no-such-list", "en", 404, "/cluster-map/points", ("no-such-list",)),
            ("/cluster-map/points.csv?dataset=eu-ets-pl&format=zz", "en", 400, "/cluster-map/points", ("format",)),
            ("/cluster-map/hotspots.csv?dataset=eu-ets-pl", "pl", 400, "/cluster-map/points", ("value albo cell_km",))):
        st, h, text = get(port, path, lang)
        links = re.findall(r'<p><a href="([^"]*)">', (text or "").split('class="error"', 1)[-1])
        ok(st == st_want and links and html.unescape(links[0]) == back and all(w in html.unescape(text) for w in words)
           and 'role="alert"' in text,
           "%s (%s): %d, its link back is %s" % (path, lang, st_want, back), (st, links, text[-400:]))
    st, h, js = get_json(port, "/api/v1/firm-clusters?eps_km=abc")
    ok(st == 400 and js and js["error"]["message"].startswith("eps_km: "), "  the API's error stays JSON", (st, js))


def test_exact_numbers_kept(port):
    """The form and the links of a page carry the kilometres the page computed with, to the last
    digit: eps_km=7.1234567 stays 7.1234567 (not %g's 7.12346), and a cell of 12.3456789 km on the
    grid in degrees links the download of the very cells shown, not of 12.3457 km ones."""
    q = "dataset=eu-ets-pl&eps_km=7.1234567&min_samples=3&cell_km=12.3456789&grid=degrees"
    st, h, text = get(port, "/cluster-map/points?" + q + "&lang=en")
    links = [html.unescape(u) for u in re.findall(r'href="(/(?:cluster-map|api/v1)/[^"#]*(?:points\.csv|hotspots\.csv|'
                                                  r'firm-clusters|firm-hotspots)[^"]*)"', text or "")]
    # each JSON link carries only what its operation takes: firm-clusters the radius, firm-hotspots the cells
    def carries(u):
        eps, cell = "eps_km=7.1234567&" in u + "&", "cell_km=12.3456789&" in u + "&"
        if "/api/v1/firm-clusters" in u:
            return eps and "cell_km" not in u
        if "/api/v1/firm-hotspots" in u:
            return cell and "eps_km" not in u
        return eps and cell
    ok(st == 200 and len(links) >= 8 and all(carries(u) for u in links),
       "points page: every download link carries eps_km and cell_km as computed (its JSON what its API takes)",
       (st, links))
    eps = re.search(r'<input id="f-eps_km"[^>]* value="([^"]*)"', text or "")
    cell = re.search(r'<input id="f-cell_km"[^>]* value="([^"]*)"', text or "")
    ok(eps and eps.group(1) == "7.1234567" and cell and cell.group(1) == "12.3456789",
       "points page: the form keeps eps_km and cell_km to the last digit",
       (eps and eps.group(1), cell and cell.group(1)))
    hs = [u for u in links if u.startswith("/cluster-map/hotspots.csv") and "format=" not in u]
    st1, h1, linked = kt.request(port, "GET", hs[0]) if hs else (0, {}, b"")
    st2, h2, asked = kt.request(port, "GET", "/cluster-map/hotspots.csv?" + q)
    ok(st1 == 200 and st2 == 200 and linked == asked and
       h1.get("content-disposition") == h2.get("content-disposition"),
       "points page: the linked hot spots CSV is that of the cells shown", (st1, st2, h1.get("content-disposition"),
                                                                             h2.get("content-disposition")))
    st, h, text = get(port, "/cluster-map/points?dataset=eu-ets-pl&value=verified_emissions_2019_tco2&band_km=21.2345678")
    band = re.search(r'<input id="f-band_km"[^>]* value="([^"]*)"', text or "")
    ok(st == 200 and band and band.group(1) == "21.2345678" and "band_km=21.2345678&amp;" in text,
       "points page: a value's band_km kept to the last digit", (st, band and band.group(1)))
    st, h, text = get(port, "/cluster-map?dataset=eurostat-pl&industry=C29&band_km=1234.5678")
    band = re.search(r'<input id="f-band_km"[^>]* value="([^"]*)"', text or "")
    ok(st == 200 and band and band.group(1) == "1234.5678",
       "cluster map: the form keeps band_km to the last digit", (st, band and band.group(1)))


def test_division_section(port):
    """On the powiat dataset (PKD sections only) a division, as NACE (C29) or PKD (29) writes it,
    opens its section (C) with a notice saying so, instead of an unrelated default section; the
    API and the downloads still name the industry the dataset lacks."""
    for ind in ("C29", "29"):
        for lang, words in (("pl", "Działu %s nie ma w zbiorze „GUS REGON 10.2025, powiaty”, który ma sekcje: dział "
                                   "należy do sekcji C, którą pokazano." % ind),
                            ("en", "Division %s is not in dataset \"GUS REGON 10.2025, powiaty\", which has sections: it "
                                   "is in section C, which is shown." % ind)):
            st, h, text = get_map(port, "/cluster-map?dataset=gus-powiaty&industry=" + ind, lang)
            heading = re.search(r"<h2>(.*?)</h2>", text or "")
            ok(st == 200 and words in html.unescape(text) and '<option value="C" selected>' in text and heading and
               " — C " in heading.group(1),
               "industry=%s on the powiat dataset (%s): section C, with a notice" % (ind, lang),
               (st, re.findall(r'<p class="notice"[^>]*>[^<]*', text), heading and heading.group(1)))
    st, h, js = get_json(port, "/api/v1/cluster-map?dataset=gus-powiaty&industry=C29")
    ok(st == 400 and js and "industry: 'C29' is not in dataset gus-powiaty" in js["error"]["message"],
       "  the API still answers 400 naming industry", (st, js))
    st, h, text = get_map(port, "/cluster-map?dataset=gus-powiaty&industry=Z99", "en")
    ok(st == 200 and "Industry Z99 is not in dataset" in html.unescape(text),
       "  a code that is no division of a section keeps the default with its notice", st)


def test_download_cache(db, port):
    """The map's images and CSV downloads are kept in the response cache with
    their file names (a second request is a hit and the same bytes), per
    language; a workbook, which says when it was downloaded, is made anew; a
    re-imported dataset is downloaded anew at once."""
    small = os.path.join(kt.WORK, "cache-probe.csv")

    def write(emp):
        with open(small, "w", encoding="utf-8") as f:
            f.write("region,industry,year,employment\n02,C26,2022,%d\n04,C26,2022,10\n02,C10,2022,50\n"
                    "04,C10,2022,60\n" % emp)
    write(30)
    r = kt.cli(db, "import", "stats", small, "--dataset", "cache-probe")
    ok(r.returncode == 0, "import stats: a small dataset for the cache", r.stderr)
    for path in ("/cluster-map.png?dataset=cache-probe&industry=C26",
                 "/cluster-map.svg?dataset=cache-probe&industry=C26",
                 "/cluster-map.pdf?dataset=cache-probe&industry=C26",
                 "/cluster-map.csv?dataset=cache-probe",
                 "/api/v1/cluster-map.csv?dataset=cache-probe&industry=C26",
                 "/cluster-map/points.csv?dataset=eu-capitals",
                 "/organisations.csv"):
        h0 = cache_hits(port)
        st1, hd1, b1 = kt.request(port, "GET", path)
        h1 = cache_hits(port)
        st2, hd2, b2 = kt.request(port, "GET", path)
        h2 = cache_hits(port)
        ok(st1 == 200 and st2 == 200 and h1 == h0 and h2 == h1 + 1 and b1 == b2 and
           hd1.get("content-disposition") == hd2.get("content-disposition") and
           "attachment" in (hd2.get("content-disposition") or "") and
           hd1.get("content-type") == hd2.get("content-type") and "set-cookie" not in hd2,
           "%s: the second request comes from the cache, the same bytes with the same file name" % path,
           (st1, st2, h0, h1, h2, hd1, hd2))
    path = "/cluster-map.csv?dataset=gus-powiaty&industry=C"
    _, _, pl1 = kt.request(port, "GET", path, headers={"Accept-Language": "pl"})
    _, _, en1 = kt.request(port, "GET", path, headers={"Accept-Language": "en"})
    h0 = cache_hits(port)
    _, _, pl2 = kt.request(port, "GET", path, headers={"Accept-Language": "pl"})
    _, _, en2 = kt.request(port, "GET", path, headers={"Accept-Language": "en"})
    ok(pl1 != en1 and pl1 == pl2 and en1 == en2 and cache_hits(port) == h0 + 2 and
       "Przetwórstwo".encode() in pl2 and b"Manufacturing" in en2,
       "the CSV in Polish and in English: each cached under its own language", (pl1[:200], en1[:200]))
    for path in ("/cluster-map.csv?dataset=cache-probe&format=xlsx", "/api/v1/cluster-map.xlsx?dataset=cache-probe",
                 "/organisations.xlsx"):
        kt.request(port, "GET", path)
        h0 = cache_hits(port)
        st, hd, b = kt.request(port, "GET", path)
        ok(st == 200 and cache_hits(port) == h0 and b[:2] == b"PK",
           "%s: a workbook is never served from the cache (it says when it was downloaded)" % path,
           (st, h0, cache_hits(port)))
    st, h, _ = kt.request(port, "GET", "/cluster-map.png?dataset=cache-probe&industry=C26")
    st2, h2, b2 = kt.request(port, "GET", "/cluster-map.png?dataset=cache-probe&industry=C26",
                             headers={"If-None-Match": h.get("etag", "-")})
    st3, h3, _ = kt.request(port, "GET", "/cluster-map.csv?dataset=cache-probe&format=xlsx")
    ok(st == 200 and h.get("etag") and st2 == 304 and b2 == b"" and "etag" not in h3,
       "a map picture has an ETag and is 304 for it; a workbook (made anew each time) has none", (h, st2, h3))
    _, _, before = kt.request(port, "GET", "/cluster-map.csv?dataset=cache-probe")
    _, _, png_before = kt.request(port, "GET", "/cluster-map.png?dataset=cache-probe&industry=C26")
    write(90)
    r = kt.cli(db, "import", "stats", small, "--dataset", "cache-probe")
    _, _, after = kt.request(port, "GET", "/cluster-map.csv?dataset=cache-probe")
    _, _, png_after = kt.request(port, "GET", "/cluster-map.png?dataset=cache-probe&industry=C26")
    ok(r.returncode == 0 and b",90," in after and b",90," not in before and b",30," in before and png_after != png_before,
       "a re-imported dataset: the cached CSV and map are made anew at once", (before[:300], after[:300]))


def timing(port):
    """Page time for DBSCAN on the EU ETS data, uncached (a new eps each time)."""
    times = []
    for i in range(20):
        t0 = time.time()
        st, h, body = kt.request(port, "GET", "/cluster-map/points?dataset=eu-ets-pl&min_samples=3&eps_km=%.1f" % (8 + i / 10))
        times.append((time.time() - t0) * 1000)
    times.sort()
    diag("EU ETS page (1070 firms, DBSCAN + SVG + table), uncached: median %.1f ms, max %.1f ms"
         % (times[len(times) // 2], times[-1]))
    t0 = time.time()
    for i in range(20):
        kt.request(port, "GET", "/api/v1/firm-clusters?dataset=eu-ets-pl&eps_km=%.1f" % (8 + i / 10))
    diag("EU ETS API, uncached: %.1f ms per request" % ((time.time() - t0) * 1000 / 20))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    diag("backend: %s" % args.backend)
    db = kt.database(args.backend, "maps")
    res = kt.section(test_import, db)
    cells, part = res if res else ({}, {})
    srv = kt.Server(db, "maps-" + args.backend)
    try:
        kt.section(test_points_page, srv.port)
        kt.section(test_points_errors, srv.port)
        kt.section(test_points_downloads, srv.port)
        kt.section(test_powiats, srv.port, cells, part)
        kt.section(test_gus_powiaty, srv.port)
        kt.section(test_industry_languages, srv.port)
        kt.section(test_region_names, srv.port)
        kt.section(test_api_schema, srv.port)
        kt.section(test_api_downloads_documented, srv.port)
        kt.section(test_firms_located, srv.port)
        kt.section(test_europe, srv.port)
        kt.section(test_europe_hotspots, srv.port)
        kt.section(test_region_hotspots, srv.port)
        kt.section(test_region_profile, db, srv.port)
        kt.section(test_percent_precision, srv.port)
        kt.section(test_dataset_api, srv.port)
        kt.section(test_changes, db, srv.port)
        kt.section(test_change_hotspots, db, srv.port)
        kt.section(test_map_images, srv.port)   # while ref-small has its traded flags
        kt.section(test_reference, db, srv.port)
        kt.section(test_hotspots, srv.port)
        kt.section(test_hotspot_edges, db, srv.port)
        kt.section(test_values_kept, srv.port)
        kt.section(test_value_hotspots, srv.port)
        kt.section(test_islands, srv.port)
        kt.section(test_value_errors, srv.port)
        kt.section(test_long_values_cut, srv.port)
        kt.section(test_value_escaping, srv.port)
        kt.section(test_stars_map, srv.port)
        kt.section(test_page_presentation, srv.port)
        kt.section(test_no_year, db, srv.port)
        kt.section(test_fresh, db, srv.port)
        kt.section(test_download_cache, db, srv.port)
        kt.section(test_dataset_command, db, srv.port)
        kt.section(test_review_fixes, db, srv.port)
        kt.section(test_portal_review, db, srv.port)
        kt.section(test_change_base, srv.port)
        kt.section(test_nothing_to_draw, srv.port)
        kt.section(test_related_one_group, srv.port)
        kt.section(test_related_region_names, srv.port)
        kt.section(test_map_links_in_dataset, srv.port)
        kt.section(test_km_thousands, srv.port)
        kt.section(test_shift_share_names, srv.port)
        kt.section(test_notice_punctuation, srv.port)
        kt.section(test_legend_no_data, srv.port)
        kt.section(test_xlsx_source_lang, srv.port)
        kt.section(test_points_error_back, srv.port)
        kt.section(test_division_section, srv.port)
        kt.section(test_exact_numbers_kept, srv.port)
        kt.section(test_change_not_computable, db, srv.port)
        kt.section(timing, srv.port)
    finally:
        srv.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
