#!/usr/bin/env python3
"""Builds the two bilingual industry-name files that `klaster import stats
--industry-names FILE` reads, so that the cluster map names industries in
the language of the page:

- reference/pkd2007_names.csv (`code,name_pl,name_en`): PKD 2007 in GUS's
  code form (`A`, `01`, `01.1`, `01.11`, `01.11.Z`).  Sections and
  divisions: both names from reference/pkd.csv (version 2007).  Groups and
  classes: Polish from reference/pkd2007_hierarchy_pl.csv, English from
  Eurostat's NACE Rev. 2 list (PKD 2007 groups and classes are those of
  NACE Rev. 2, `45.1` is NACE `G451`).  Subclasses (`45.11.Z`) are Polish
  only: NACE has no such level.
- reference/pkd2025_names.csv (`code,name_pl,name_en`): PKD 2025 the same
  way from reference/pkd.csv (version 2025) and
  reference/pkd2025_hierarchy_pl.csv; English names for the sections and
  divisions that pkd.csv names in English, none below (NACE Rev. 2.1's
  English list is not shipped).  `klaster import reference` stores both
  PKD files, so that codes of every level can be checked and named.
- reference/nace_r2_names.csv (`code,name_en,name_pl`): every code of
  reference/eurostat_nace_r2_dictionary_en.csv in Eurostat's form (`C`,
  `C10`, `G451`, `C1011`, `B-E`), the English name from that list and the
  Polish one of the same PKD 2007 section, division, group or class (empty
  for Eurostat's aggregates such as `B-E`, which PKD does not name).

Checks, each stopping the script with the offending line: codes of the
right shape for their level, each code once, a division's section in the
hierarchy agreeing with pkd.csv, every PKD section, division, group and
class found in Eurostat's list under the same section letter.  Names keep
the sources' wording; sections and divisions are the sentence-case names of
pkd.csv (the hierarchy writes them in capitals).  Usage:
industry_names.py [DATA_DIR] (default: the data/ folder above this
script)."""
import csv
import os
import re
import sys

LEVELS = {"SEKCJA": ("section", r"[A-V]"), "DZIAŁ": ("division", r"\d\d"), "GRUPA": ("group", r"\d\d\.\d"),
          "KLASA": ("class", r"\d\d\.\d\d"), "PODKLASA": ("subclass", r"\d\d\.\d\d\.[A-Z]")}


def fail(path, line, why):
    sys.exit("%s:%d: %s" % (path, line, why))


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def top_of(pkd_path, version):
    """Sections and divisions of one PKD edition in pkd.csv: code -> (name_pl, name_en, section)."""
    return {row["code"]: (row["name_pl"], row["name_en"], row["parent"] or row["code"])
            for row in read(pkd_path) if row["version"] == version}


def walk(hier_path, version, top, pkd_path):
    """The rows of a GUS hierarchy as (line, level, code, section, row), checked: a known level, the
    code's shape for it, each code once, sections and divisions in pkd.csv under the same section,
    deeper codes under a division of their section."""
    seen = set()
    for n, row in enumerate(read(hier_path), 2):
        if row["level"] not in LEVELS:
            fail(hier_path, n, "unknown level %r" % row["level"])
        level, shape = LEVELS[row["level"]]
        code, sec = row["code"], row["section"]
        if not re.fullmatch(shape, code) or (level == "section" and version == "2007" and code == "V"):
            fail(hier_path, n, "code %r is not a PKD %s %s" % (code, version, level))
        if code in seen:
            fail(hier_path, n, "code %s twice" % code)
        seen.add(code)
        if level in ("section", "division"):
            if code not in top:
                fail(hier_path, n, "%s %s is not in %s" % (level, code, pkd_path))
            if top[code][2] != sec:
                fail(hier_path, n, "%s %s: section %s here, %s in %s" % (level, code, sec, top[code][2], pkd_path))
        elif code[:2] not in top or top[code[:2]][2] != sec:
            fail(hier_path, n, "%s %s: its division %s is not in section %s in %s"
                 % (level, code, code[:2], sec, pkd_path))
        yield n, level, code, sec, row


def nace_form(section, code):
    """PKD 2007 code `45.1`/`45.11` of section G as Eurostat writes it: G451/G4511."""
    return section + code.replace(".", "")


def main():
    data = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    ref = os.path.join(data, "reference")
    pkd_path = os.path.join(ref, "pkd.csv")
    hier_path = os.path.join(ref, "pkd2007_hierarchy_pl.csv")
    nace_path = os.path.join(ref, "eurostat_nace_r2_dictionary_en.csv")

    top = top_of(pkd_path, "2007")

    nace = {}
    nace_order = []
    for n, row in enumerate(read(nace_path), 2):
        if row["concept"] != "nace_r2":
            continue
        if row["code"] in nace:
            fail(nace_path, n, "code %s twice" % row["code"])
        nace[row["code"]] = row["name"]
        nace_order.append(row["code"])

    pkd_rows = []   # (code, name_pl, name_en)
    pl_of_nace = {}
    for n, level, code, sec, row in walk(hier_path, "2007", top, pkd_path):
        if level in ("section", "division"):
            pl, en = top[code][:2]
            ncode = code if level == "section" else sec + code
            if nace.get(ncode) is None:
                fail(hier_path, n, "%s %s (%s) is not in %s" % (level, code, ncode, nace_path))
        elif level in ("group", "class"):
            pl = row["name_pl"]
            ncode = nace_form(sec, code)
            if ncode not in nace:
                fail(hier_path, n, "%s %s (%s) is not in %s" % (level, code, ncode, nace_path))
            en = nace[ncode]
        else:
            pl, en, ncode = row["name_pl"], "", None
        pkd_rows.append((code, pl, en))
        if ncode:
            pl_of_nace[ncode] = pl

    rows2025 = pkd2025(ref, pkd_path)   # read before anything is written
    with open(os.path.join(ref, "pkd2007_names.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name_pl", "name_en"])
        w.writerows(pkd_rows)
    with open(os.path.join(ref, "nace_r2_names.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name_en", "name_pl"])
        for code in nace_order:
            w.writerow([code, nace[code], pl_of_nace.get(code, "")])
    with open(os.path.join(ref, "pkd2025_names.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name_pl", "name_en"])
        w.writerows(rows2025)
    print("pkd2007_names.csv: %d codes; nace_r2_names.csv: %d codes, %d with a Polish name; pkd2025_names.csv: %d codes"
          % (len(pkd_rows), len(nace_order), sum(1 for c in nace_order if c in pl_of_nace), len(rows2025)))


def pkd2025(ref, pkd_path):
    """The rows of reference/pkd2025_names.csv: (code, name_pl, name_en)."""
    top = top_of(pkd_path, "2025")
    rows = []
    for n, level, code, sec, row in walk(os.path.join(ref, "pkd2025_hierarchy_pl.csv"), "2025", top, pkd_path):
        pl, en = top[code][:2] if level in ("section", "division") else (row["name_pl"], "")
        rows.append((code, pl, en))
    return rows


if __name__ == "__main__":
    main()
