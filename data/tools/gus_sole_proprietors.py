#!/usr/bin/env python3
"""Builds stats/gus_regon_2025_10_sole_proprietors_powiat_x_section.csv, the
long layout `klaster import stats` reads, from the GUS REGON table of sole
proprietors by powiat x PKD 2007 section
(stats/gus_regon_2025_10_natural_persons_powiat_x_pkd_section.csv, one row
per powiat, one column per section).

What is counted: natural persons running a business ("osoby fizyczne
prowadzące działalność gospodarczą") registered in REGON in October 2025,
without those running only an individual farm, by the section of their
main activity.  Each is one self-employed person, so the count is both the
`employment` (people working on their own account; their employees are not
in the table) and the `establishments` of a cell.  A location quotient of
it compares the make-up of self-employment between powiats.

Checks, each stopping the script with the line: every powiat has a 4-digit
TERYT code whose first two digits are its voivodeship's, the 380 codes are
those of reference/powiats.geojson, every count is a whole number, and the
sections of a powiat add up to at most its total.  The total minus the
sections (persons without a section in the register: 120 in all, at most
15 in a powiat) is reported and left out.  Section U has no one in any
powiat; it stays, as zeros, like every section of the table.

Region names: a land powiat "powiat bolesławiecki", a city with powiat
rights "m. Wrocław" (GUS writes those with a capital letter), and the
voivodeship in brackets after the ten names that occur twice ("powiat
świdnicki (lubelskie)").  Industry names are the section names of
reference/pkd.csv.  Usage: gus_sole_proprietors.py [DATA_DIR] (default: the
data/ folder above this script)."""
import collections
import csv
import json
import os
import sys


def main():
    data = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    src = os.path.join(data, "stats", "gus_regon_2025_10_natural_persons_powiat_x_pkd_section.csv")
    out = os.path.join(data, "stats", "gus_regon_2025_10_sole_proprietors_powiat_x_section.csv")
    names = {}
    with open(os.path.join(data, "reference", "pkd.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["version"] == "2007" and r["level"] == "section":
                names[r["code"]] = r["name_pl"]
    with open(os.path.join(data, "reference", "powiats.geojson"), encoding="utf-8") as f:
        known = {ft["properties"]["teryt"] for ft in json.load(f)["features"]}
    with open(src, encoding="utf-8") as f:
        rd = csv.DictReader(f)
        sections = [k[4:] for k in rd.fieldnames if k.startswith("sec_")]
        table = list(enumerate(rd, start=2))
    for s in sections:
        if s not in names:
            sys.exit("%s:1: column sec_%s: no PKD 2007 section %s in reference/pkd.csv" % (src, s, s))
    twice = collections.Counter(r["powiat"] for _, r in table)
    rows, seen, unassigned = [], set(), 0
    for line, r in table:
        code, voiv = r["powiat_teryt4"], r["voiv_teryt"]
        if len(code) != 4 or not code.isdigit() or code[:2] != voiv:
            sys.exit("%s:%d: column powiat_teryt4: %r is not a 4-digit TERYT code in voivodeship %s" %
                     (src, line, code, voiv))
        if code not in known:
            sys.exit("%s:%d: column powiat_teryt4: %s is not a powiat of reference/powiats.geojson" % (src, line, code))
        if code in seen:
            sys.exit("%s:%d: column powiat_teryt4: %s given twice" % (src, line, code))
        seen.add(code)
        counts = {}
        for k in ["total"] + ["sec_" + s for s in sections]:
            if not r[k].isdigit():
                sys.exit("%s:%d: column %s: %r is not a whole number" % (src, line, k, r[k]))
            counts[k] = int(r[k])
        rest = counts["total"] - sum(counts["sec_" + s] for s in sections)
        if rest < 0:
            sys.exit("%s:%d: the sections add up to more than the total %d" % (src, line, counts["total"]))
        unassigned += rest
        name = ("powiat " if r["powiat"][:1].islower() else "m. ") + r["powiat"]
        if twice[r["powiat"]] > 1:
            name += " (%s)" % r["voivodeship"]
        for s in sections:
            rows.append((code, name, s, names[s], 2025, counts["sec_" + s], counts["sec_" + s]))
    if seen != known:
        sys.exit("%s: no row for the powiats %s" % (src, ", ".join(sorted(known - seen))))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "region_name", "industry", "industry_name", "year", "employment", "establishments"])
        w.writerows(rows)
    print("%s: %d powiats x %d sections; %d persons without a section left out" %
          (out, len(seen), len(sections), unassigned))


if __name__ == "__main__":
    main()
