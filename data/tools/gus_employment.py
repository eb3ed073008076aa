#!/usr/bin/env python3
"""Builds stats/gus_regon_2025q3_employment_estimate.csv from the GUS REGON
table of registered entities by voivodeship × PKD 2007 division × size
class (stats/gus_regon_2025q3_entities_voivodeship_x_pkd2007_x_sizeclass.csv).

REGON counts registered entities, not jobs.  The employment of a cell is
estimated as the entities of each size class times a typical employment
for the class:

    0–9 employees      2      (most registered micro entities employ no one
                               or one or two people; the class mean is far
                               below its midpoint)
    10–49             22
    50–249           110
    250 and more     700

The classes are right-skewed, so the typical value sits below the class
midpoint.  The estimate is meant for location quotients, which depend on
relative sizes; it is not an employment statistic.  "Poland" and
"unknown voivodeship" rows are left out; establishments are the entity
count.  A voivodeship × division that the size-class table leaves out
and the table of all entities
(stats/gus_regon_2025q3_entities_voivodeship_x_pkd2007.csv) gives as 0
entities is a real zero (employment 0, establishments 0), not a missing
value: without it the stars and percentiles of that division would run
over fewer regions.  A cell left out with entities above 0 cannot be
estimated and stops the script.  Usage: gus_employment.py [DATA_DIR]
(default: the data/ folder above this script)."""
import csv
import os
import sys

TYPICAL = {"size_0_9": 2, "size_10_49": 22, "size_50_249": 110, "size_250_plus": 700}


def division_of_voivodeship(r):
    return r["level"] == "division" and len(r["voiv_teryt"]) == 2 and r["voiv_teryt"].isdigit()


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    src = os.path.join(data, "stats", "gus_regon_2025q3_entities_voivodeship_x_pkd2007_x_sizeclass.csv")
    all_src = os.path.join(data, "stats", "gus_regon_2025q3_entities_voivodeship_x_pkd2007.csv")
    out = os.path.join(data, "stats", "gus_regon_2025q3_employment_estimate.csv")
    names = {}
    with open(os.path.join(data, "reference", "pkd.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["version"] == "2007" and r["level"] == "division":
                names[r["code"]] = r["name_pl"]
    rows = []
    seen = set()
    with open(src, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not division_of_voivodeship(r):
                continue
            emp = sum(int(r[k] or 0) * v for k, v in TYPICAL.items())
            rows.append((r["voiv_teryt"], r["voivodeship"], r["pkd2007_code"], names.get(r["pkd2007_code"], ""),
                         2025, emp, int(r["entities_total"] or 0)))
            seen.add((r["voiv_teryt"], r["pkd2007_code"]))
    zeros = 0
    with open(all_src, encoding="utf-8") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            if not division_of_voivodeship(r) or (r["voiv_teryt"], r["pkd2007_code"]) in seen:
                continue
            if int(r["entities"] or 0) != 0:
                sys.exit("%s:%d: %s %s has %s entities but no size classes: no estimate" %
                         (all_src, line, r["voiv_teryt"], r["pkd2007_code"], r["entities"]))
            rows.append((r["voiv_teryt"], r["voivodeship"], r["pkd2007_code"], names.get(r["pkd2007_code"], ""),
                         2025, 0, 0))
            zeros += 1
    rows.sort()
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "region_name", "industry", "industry_name", "year", "employment", "establishments"])
        w.writerows(rows)
    print("%s: %d cells (%d of them zero: no entity)" % (out, len(rows), zeros))


if __name__ == "__main__":
    main()
