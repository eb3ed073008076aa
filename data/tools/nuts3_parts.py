#!/usr/bin/env python3
"""Extract the NUTS-3 regions that older NUTS-2 regions are drawn on.

Usage: nuts3_parts.py NUTS3_2021.geojson OUT.geojson

Keeps, from Eurostat's NUTS 2021 NUTS-3 boundaries (eurostat/mortality-viz,
eu_nuts3_2021_20M_4326.geojson), the regions named as parts in the NUTS
correspondence of src/nuts.c: Ireland's eight NUTS-3 regions (IE01 and IE02
of NUTS 2013), Scotland's central belt and south (UKM2 and UKM3 of NUTS
2013) and southern and western Norway (NO04 and NO05 of NUTS 2013).
The features are written unchanged (geometry and the properties NUTS_ID,
CNTR_CODE, NUTS_NAME, LEVL_CODE), sorted by code.
"""
import json
import sys

PARTS = [
    "IE041", "IE042", "IE051", "IE052", "IE053", "IE061", "IE062", "IE063",
    "NO092", "NO0A1", "NO0A2", "NO0A3",
    "UKM71", "UKM72", "UKM73", "UKM75", "UKM76", "UKM77", "UKM78",
    "UKM81", "UKM82", "UKM83", "UKM84", "UKM91", "UKM92", "UKM93", "UKM94", "UKM95",
]
KEEP = ("NUTS_ID", "CNTR_CODE", "NUTS_NAME", "LEVL_CODE")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        src = json.load(f)
    by_code = {ft["properties"]["NUTS_ID"]: ft for ft in src["features"]}
    missing = [c for c in PARTS if c not in by_code]
    if missing:
        sys.exit("nuts3_parts: not in %s: %s" % (sys.argv[1], ", ".join(missing)))
    out = {"type": "FeatureCollection", "features": []}
    for c in sorted(PARTS):
        ft = by_code[c]
        out["features"].append({"type": "Feature",
                                "properties": {k: ft["properties"][k] for k in KEEP},
                                "geometry": ft["geometry"]})
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
