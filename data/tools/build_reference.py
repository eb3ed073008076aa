#!/usr/bin/env python3
"""Build data/reference/ from the upstream source files.

Usage: build_reference.py SOURCE_DIR [OUT_DIR]

SOURCE_DIR must contain the upstream files (see data/README.md):
  pl_wojewodztwa_min.geojson, pl_powiaty_min_with_teryt.geojson,
  pl_voivodeship_teryt_nuts_crosswalk.csv, pkd2007_full_hierarchy_pl.csv,
  pkd2025_full_hierarchy_pl.csv, eurostat_nace_r2_dictionary_en.csv
(they are looked up recursively, so the upstream folder layout may be kept).
OUT_DIR defaults to data/reference next to this script.  Stdlib only.
"""
import csv
import json
import os
import sys

# PKD 2025 sections / divisions whose code exists in PKD 2007 (NACE Rev. 2)
# but whose scope changed so much that the NACE Rev. 2 English name would be
# misleading.  These get an empty name_en (klaster falls back to Polish).
# Sections J..V were re-lettered in PKD 2025 (NACE Rev. 2.1); G lost the
# repair of motor vehicles.  Divisions 46/47 now include motor vehicles,
# 95 includes their repair, 60 and 63 were re-cut, 73 gained public relations.
PKD2025_CHANGED = set("GJKLMNOPQRSTUV") | {"46", "47", "60", "63", "73", "95"}


def find(src, name):
    for root, _dirs, files in os.walk(src):
        if name in files:
            return os.path.join(root, name)
    sys.exit("missing source file: " + name)


def r4(x):
    v = round(x, 4)
    return 0.0 if v == 0 else v


def round_ring(ring):
    out = []
    for x, y in ring:
        p = [r4(x), r4(y)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    if len(out) < 4:
        raise ValueError("ring collapsed after rounding")
    return out


def round_geom(g):
    if g["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [round_ring(r) for r in g["coordinates"]]}
    if g["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[round_ring(r) for r in poly] for poly in g["coordinates"]]}
    raise ValueError("unexpected geometry " + g["type"])


def dump_fc(path, features):
    fc = {"type": "FeatureCollection", "features": features}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        # one feature per line: small, yet diff-friendly
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, ft in enumerate(features):
            f.write(json.dumps(ft, ensure_ascii=False, separators=(",", ":")))
            f.write(",\n" if i + 1 < len(features) else "\n")
        f.write("]}\n")
    json.load(open(path, encoding="utf-8"))  # sanity
    return fc


def voivodeships(src, out):
    cw = {}
    with open(find(src, "pl_voivodeship_teryt_nuts_crosswalk.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            cw[r["voivodeship"].strip()] = (r["voiv_teryt"].strip(), r["nuts2_2016_2021"].strip(),
                                            r["nuts2_2013"].strip())
    assert len(cw) == 16, len(cw)
    gj = json.load(open(find(src, "pl_wojewodztwa_min.geojson"), encoding="utf-8"))
    feats = []
    for ft in gj["features"]:
        name = ft["properties"]["nazwa"].strip()
        teryt, nuts2, nuts2_2013 = cw.pop(name)
        feats.append({"type": "Feature",
                      "properties": {"teryt": teryt, "name": name, "nuts2": nuts2, "nuts2_2013": nuts2_2013},
                      "geometry": round_geom(ft["geometry"])})
    assert not cw, "unmatched voivodeships: %r" % cw
    feats.sort(key=lambda f: f["properties"]["teryt"])
    dump_fc(os.path.join(out, "voivodeships.geojson"), feats)
    return len(feats)


def powiats(src, out):
    gj = json.load(open(find(src, "pl_powiaty_min_with_teryt.geojson"), encoding="utf-8"))
    feats, seen = [], set()
    for ft in gj["features"]:
        p = ft["properties"]
        t = p["teryt"].strip()
        assert len(t) == 4 and t.isdigit() and t not in seen, t
        assert t[:2] == p["voiv_teryt"].strip(), t
        seen.add(t)
        feats.append({"type": "Feature",
                      "properties": {"teryt": t, "name": p["nazwa"].strip(),
                                     "voivodeship": p["voiv_teryt"].strip()},
                      "geometry": round_geom(ft["geometry"])})
    feats.sort(key=lambda f: f["properties"]["teryt"])
    assert len(feats) == 380, len(feats)
    dump_fc(os.path.join(out, "powiats.geojson"), feats)
    return len(feats)


def sentence_case(s):
    s = " ".join(s.split()).lower()
    return s[:1].upper() + s[1:]


def pkd(src, out):
    nace = {}
    with open(find(src, "eurostat_nace_r2_dictionary_en.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            c = r["concept"], r["code"].strip()
            if c[0] == "nace_r2" and (len(c[1]) == 1 or (len(c[1]) == 3 and c[1][1:].isdigit())):
                # sections "C" and divisions "C26" (keyed by the two digits alone)
                nace[c[1] if len(c[1]) == 1 else c[1][1:]] = r["name"].strip()
    rows = []
    for version, fname in (("2007", "pkd2007_full_hierarchy_pl.csv"),
                           ("2025", "pkd2025_full_hierarchy_pl.csv")):
        with open(find(src, fname), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                lvl, code = r["level"].strip(), r["code"].strip()
                if lvl == "SEKCJA":
                    level, parent = "section", ""
                elif lvl == "DZIAŁ":
                    level, parent = "division", r["section"].strip()
                else:
                    continue
                en = nace.get(code, "")
                if version == "2007":
                    assert en, "no NACE name for " + key
                elif code in PKD2025_CHANGED:
                    en = ""
                rows.append([version, level, code, parent, sentence_case(r["name_pl"]), en])
    with open(os.path.join(out, "pkd.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["version", "level", "code", "parent", "name_pl", "name_en"])
        w.writerows(rows)
    return rows


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "reference")
    os.makedirs(out, exist_ok=True)
    print("voivodeships:", voivodeships(src, out))
    print("powiats:", powiats(src, out))
    rows = pkd(src, out)
    for v in ("2007", "2025"):
        sec = sum(1 for r in rows if r[0] == v and r[1] == "section")
        div = sum(1 for r in rows if r[0] == v and r[1] == "division")
        noen = sum(1 for r in rows if r[0] == v and not r[5])
        print("pkd %s: %d sections, %d divisions, %d without name_en" % (v, sec, div, noen))


if __name__ == "__main__":
    main()
