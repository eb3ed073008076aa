#!/usr/bin/env python3
"""Self-check of klaster's bundled data (data/reference and data/demo).

Usage: check_demo.py [--pkd-hierarchy pkd2007_full_hierarchy_pl.csv]

Checks the reference files (voivodeships, powiats, PKD sections/divisions)
and the demo CSV files against the rules of docs/IMPORT.md and the demo-data
requirements: check digits and uniqueness of NIP/REGON/KRS, PKD codes,
TERYT codes, postal codes, points inside their powiat, URLs on the reserved
.example domain, cluster/member references and roles, dates and labels.

With --pkd-hierarchy (the GUS PKD 2007 hierarchy CSV, columns
level,code,name_pl,...) every organisation's PKD subclass is also checked to
exist in PKD 2007; without it only the format and the division are checked.

Exit code 0 if everything passes, 1 otherwise.  Stdlib only.
"""
import argparse
import csv
import datetime
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, ".."))
REF = os.path.join(DATA, "reference")
DEMO = os.path.join(DATA, "demo")

errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


# ------------------------------------------------------------------ identifiers
def nip_ok(s):
    if not re.fullmatch(r"\d{10}", s):
        return False
    c = sum(int(a) * w for a, w in zip(s, (6, 5, 7, 2, 3, 4, 5, 6, 7))) % 11
    return c != 10 and c == int(s[9])


def regon_ok(s):
    if re.fullmatch(r"\d{9}", s):
        w = (8, 9, 2, 3, 4, 5, 6, 7)
    elif re.fullmatch(r"\d{14}", s):
        w = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)
    else:
        return False
    c = sum(int(a) * b for a, b in zip(s, w)) % 11 % 10
    return c == int(s[-1])


# ------------------------------------------------------------------ geometry
def in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def in_geom(x, y, g):
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return any(in_ring(x, y, p[0]) and not any(in_ring(x, y, h) for h in p[1:]) for p in polys)


def check_geometry(where, g):
    if g.get("type") not in ("Polygon", "MultiPolygon"):
        err(where, "geometry type %r" % g.get("type"))
        return
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    for p in polys:
        for ring in p:
            if len(ring) < 4 or ring[0] != ring[-1]:
                err(where, "ring not closed or too short")
            for x, y in ring:
                if not (13.9 <= x <= 24.3 and 48.9 <= y <= 55.0):
                    err(where, "coordinate outside Poland: %r,%r" % (x, y))
                    return
                if round(x, 4) != x or round(y, 4) != y:
                    err(where, "coordinate not rounded to 4 decimals: %r,%r" % (x, y))
                    return


# ------------------------------------------------------------------ CSV
def read_csv(path, allowed, required):
    name = os.path.relpath(path, DATA)
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(name, "not UTF-8: %s" % e)
        return []
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(text.splitlines(keepends=True), strict=True))
    if not rows:
        err(name, "empty file")
        return []
    header = rows[0]
    for h in header:
        if h not in allowed:
            err(name, "unknown column %r" % h)
    for h in required:
        if h not in header:
            err(name, "missing column %r" % h)
    if len(set(header)) != len(header):
        err(name, "duplicate column")
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            err("%s:%d" % (name, i), "expected %d fields, got %d" % (len(header), len(r)))
            continue
        d = dict(zip(header, r))
        d["_where"] = "%s:%d" % (name, i)
        out.append(d)
    return out


def valid_date(s):
    try:
        datetime.date.fromisoformat(s)
        return re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) is not None
    except ValueError:
        return False


# ------------------------------------------------------------------ reference
def check_reference():
    path = os.path.join(REF, "voivodeships.geojson")
    vj = json.load(open(path, encoding="utf-8"))
    voiv = {}
    if vj.get("type") != "FeatureCollection":
        err("voivodeships.geojson", "not a FeatureCollection")
    for ft in vj["features"]:
        p = ft["properties"]
        w = "voivodeships.geojson[%s]" % p.get("teryt")
        if set(p) != {"teryt", "name", "nuts2", "nuts2_2013"}:
            err(w, "properties must be teryt,name,nuts2,nuts2_2013: %r" % sorted(p))
        if not re.fullmatch(r"\d{2}", p.get("teryt", "")) or int(p["teryt"]) % 2 or not 2 <= int(p["teryt"]) <= 32:
            err(w, "bad teryt")
        if p.get("name", "") != p.get("name", "").lower():
            err(w, "name must be lowercase")
        if not re.fullmatch(r"PL\d\d(\+PL\d\d)*", p.get("nuts2", "")):
            err(w, "bad nuts2 %r" % p.get("nuts2"))
        if not re.fullmatch(r"PL\d\d", p.get("nuts2_2013", "")):
            err(w, "bad nuts2_2013 %r" % p.get("nuts2_2013"))
        check_geometry(w, ft["geometry"])
        voiv[p["teryt"]] = p["name"]
    if sorted(voiv) != ["%02d" % i for i in range(2, 33, 2)]:
        err("voivodeships.geojson", "expected the 16 voivodeships, got %r" % sorted(voiv))
    if os.path.getsize(path) > 200 * 1024:
        err("voivodeships.geojson", "larger than 200 KB")

    pj = json.load(open(os.path.join(REF, "powiats.geojson"), encoding="utf-8"))
    pow_geom, pow_name = {}, {}
    for ft in pj["features"]:
        p = ft["properties"]
        w = "powiats.geojson[%s]" % p.get("teryt")
        if set(p) != {"teryt", "name", "voivodeship"}:
            err(w, "properties must be teryt,name,voivodeship: %r" % sorted(p))
        t = p.get("teryt", "")
        if not re.fullmatch(r"\d{4}", t) or t[:2] != p.get("voivodeship") or t[:2] not in voiv:
            err(w, "bad teryt/voivodeship")
        if t in pow_geom:
            err(w, "duplicate teryt")
        if not p.get("name", "").startswith("powiat "):
            err(w, "unexpected name %r" % p.get("name"))
        check_geometry(w, ft["geometry"])
        pow_geom[t] = ft["geometry"]
        pow_name[t] = p["name"]
    if len(pow_geom) != 380:
        err("powiats.geojson", "expected 380 powiats, got %d" % len(pow_geom))

    rows = read_csv(os.path.join(REF, "pkd.csv"),
                    ["version", "level", "code", "parent", "name_pl", "name_en"],
                    ["version", "level", "code", "parent", "name_pl", "name_en"])
    pkd = defaultdict(dict)
    for r in rows:
        w = r["_where"]
        v, lvl, code, parent = r["version"], r["level"], r["code"], r["parent"]
        if v not in ("2007", "2025"):
            err(w, "bad version")
        if lvl == "section":
            if not re.fullmatch(r"[A-Z]", code) or parent:
                err(w, "bad section")
        elif lvl == "division":
            if not re.fullmatch(r"\d\d", code) or pkd[v].get(parent, (None,))[0] != "section":
                err(w, "bad division or parent not a known section")
        else:
            err(w, "bad level %r" % lvl)
        if code in pkd[v]:
            err(w, "duplicate code")
        n = r["name_pl"]
        if not n or n[0] != n[0].upper() or n[1:] != n[1:].lower():
            err(w, "name_pl not in sentence case: %r" % n)
        if v == "2007" and not r["name_en"]:
            err(w, "PKD 2007 needs name_en")
        pkd[v][code] = (lvl, parent)
    c = Counter((r["version"], r["level"]) for r in rows)
    for k, n in ((("2007", "section"), 21), (("2007", "division"), 88),
                 (("2025", "section"), 22), (("2025", "division"), 87)):
        if c[k] != n:
            err("pkd.csv", "expected %d rows of %s, got %d" % (n, k, c[k]))
    return voiv, pow_geom, pow_name, pkd


# ------------------------------------------------------------------ demo
ORG_COLS = ["name", "type", "size_class", "nip", "regon", "krs", "pkd", "pkd_version", "street", "postal_code",
            "city", "teryt", "lat", "lon", "website", "email", "phone", "description_pl", "description_en", "demo"]
CLU_COLS = ["acronym", "name", "coordinator", "founded", "sectors", "region", "website", "email",
            "description_pl", "description_en", "labels", "demo"]
MEM_COLS = ["cluster", "organisation", "role", "joined", "left"]

# first digit of the postal code by voivodeship (Poczta Polska zones)
POSTAL_ZONES = {"02": "5", "04": "8", "06": "2", "08": "6", "10": "9", "12": "3", "14": "02", "16": "4",
                "18": "23", "20": "1", "22": "78", "24": "34", "26": "2", "28": "18", "30": "6", "32": "7"}

DIACRITICS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def check_url(w, col, v, kind):
    if not v:
        return
    if kind == "url":
        if not re.fullmatch(r"https://[a-z0-9-]+(\.[a-z0-9-]+)*\.example(/\S*)?", v):
            err(w, "%s must be https://…​.example: %r" % (col, v))
    else:
        if not re.fullmatch(r"[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.example", v):
            err(w, "%s must be …@…​.example: %r" % (col, v))


def check_demo(voiv, pow_geom, pow_name, pkd, subclasses):
    orgs = read_csv(os.path.join(DEMO, "organisations.csv"), ORG_COLS, ORG_COLS)
    clus = read_csv(os.path.join(DEMO, "clusters.csv"), CLU_COLS, CLU_COLS)
    mems = read_csv(os.path.join(DEMO, "members.csv"), MEM_COLS, MEM_COLS)

    by_id, seen = {}, defaultdict(set)
    for o in orgs:
        w = o["_where"]
        if not 1 <= len(o["name"]) <= 300:
            err(w, "name length")
        if o["type"] not in ("enterprise", "research", "support", "public", "ngo"):
            err(w, "bad type %r" % o["type"])
        if o["type"] == "enterprise":
            if o["size_class"] not in ("micro", "small", "medium", "large"):
                err(w, "enterprise needs size_class")
            if not o["nip"]:
                err(w, "enterprise needs a NIP")
        elif o["size_class"]:
            err(w, "size_class must be empty for %s" % o["type"])
        if o["nip"] and not nip_ok(o["nip"]):
            err(w, "invalid NIP %r" % o["nip"])
        if o["regon"]:
            if not regon_ok(o["regon"]):
                err(w, "invalid REGON %r" % o["regon"])
            elif len(o["regon"]) == 14 and not regon_ok(o["regon"][:9]):
                err(w, "first 9 digits of REGON-14 are not a valid REGON")
        if o["krs"] and not re.fullmatch(r"\d{10}", o["krs"]):
            err(w, "invalid KRS %r" % o["krs"])
        if not o["nip"] and not o["regon"]:
            err(w, "neither NIP nor REGON: cannot be referenced")
        for col in ("nip", "regon", "krs", "name", "website", "email"):
            if o[col]:
                if o[col] in seen[col]:
                    err(w, "duplicate %s %r" % (col, o[col]))
                seen[col].add(o[col])
        if o["regon"]:
            if o["regon"][:9] in seen["regon9"]:
                err(w, "REGON base %r used twice" % o["regon"][:9])
            seen["regon9"].add(o["regon"][:9])
        if o["pkd_version"] != "2007":
            err(w, "pkd_version must be 2007")
        codes = o["pkd"].split(";")
        if not 1 <= len(codes) <= 3 or len(set(codes)) != len(codes):
            err(w, "1-3 distinct PKD codes expected")
        for c in codes:
            if not re.fullmatch(r"\d\d\.\d\d\.[A-Z]", c):
                err(w, "PKD %r is not a subclass code" % c)
            elif c[:2] not in pkd["2007"]:
                err(w, "PKD division %s not in pkd.csv" % c[:2])
            elif subclasses is not None and c not in subclasses:
                err(w, "PKD %s not a PKD 2007 subclass" % c)
        if not re.fullmatch(r"\d\d-\d\d\d", o["postal_code"]):
            err(w, "bad postal code %r" % o["postal_code"])
        t = o["teryt"]
        if t not in pow_geom:
            err(w, "teryt %r is not a powiat" % t)
        else:
            if o["postal_code"][:1] not in POSTAL_ZONES[t[:2]]:
                err(w, "postal code %s implausible for voivodeship %s" % (o["postal_code"], t[:2]))
            try:
                lat, lon = float(o["lat"]), float(o["lon"])
            except ValueError:
                err(w, "lat/lon not numbers")
            else:
                if not (49.0 <= lat <= 54.9 and 14.1 <= lon <= 24.2):
                    err(w, "lat/lon outside Poland's bounding box")
                if not in_geom(lon, lat, pow_geom[t]):
                    err(w, "point %s,%s not inside %s (%s)" % (lat, lon, t, pow_name[t]))
        for col in ("street", "city", "description_pl", "description_en", "phone"):
            if not o[col]:
                err(w, "%s empty" % col)
        if len(o["description_pl"]) > 5000 or len(o["description_en"]) > 5000:
            err(w, "description too long")
        if not re.fullmatch(r"[0-9 +()-]+", o["phone"]):
            err(w, "bad phone")
        check_url(w, "website", o["website"], "url")
        check_url(w, "email", o["email"], "email")
        if o["demo"] != "1":
            err(w, "demo must be 1")
        for k in (o["nip"], o["regon"]):
            if k:
                if k in by_id:
                    err(w, "identifier %s used by two organisations" % k)
                by_id[k] = o

    cl = {}
    for c in clus:
        w = c["_where"]
        if not c["acronym"] or c["acronym"] in cl:
            err(w, "missing or duplicate acronym")
        cl[c["acronym"]] = c
        if not c["name"]:
            err(w, "name empty")
        co = by_id.get(c["coordinator"])
        if co is None:
            err(w, "coordinator %r is not an organisation" % c["coordinator"])
        elif co["nip"] and c["coordinator"] != co["nip"]:
            err(w, "coordinator has a NIP: reference it by NIP")
        if not re.fullmatch(r"\d{4}", c["founded"]) or not 1990 <= int(c["founded"]) <= datetime.date.today().year:
            err(w, "bad founded year")
        for s in c["sectors"].split(";"):
            if s not in pkd["2007"] or pkd["2007"][s][0] != "division":
                err(w, "sector %r is not a PKD 2007 division" % s)
        if c["region"] not in voiv:
            err(w, "region %r is not a voivodeship" % c["region"])
        for lab in filter(None, c["labels"].split(";")):
            m = re.fullmatch(r"(kkk|ecei-bronze|ecei-silver|ecei-gold)@(\d{4}-\d\d-\d\d)/(\d{4}-\d\d-\d\d)?", lab)
            if not m or not valid_date(m.group(2)) or (m.group(3) and not valid_date(m.group(3))):
                err(w, "bad label %r" % lab)
            elif m.group(3) and m.group(3) < m.group(2):
                err(w, "label ends before it starts: %r" % lab)
        check_url(w, "website", c["website"], "url")
        check_url(w, "email", c["email"], "email")
        if c["demo"] != "1":
            err(w, "demo must be 1")

    per_cluster = defaultdict(list)
    pairs = set()
    for m in mems:
        w = m["_where"]
        c = cl.get(m["cluster"])
        o = by_id.get(m["organisation"])
        if c is None:
            err(w, "unknown cluster %r" % m["cluster"])
            continue
        if o is None:
            err(w, "unknown organisation %r" % m["organisation"])
            continue
        if o["nip"] and m["organisation"] != o["nip"]:
            err(w, "organisation has a NIP: reference it by NIP")
        key = (m["cluster"], o["name"])
        if key in pairs:
            err(w, "duplicate membership")
        pairs.add(key)
        if m["role"] not in ("coordinator", "founder", "member", "partner"):
            err(w, "bad role %r" % m["role"])
        if m["role"] == "coordinator" and m["organisation"] != c["coordinator"]:
            err(w, "coordinator row does not match clusters.csv")
        if not valid_date(m["joined"]):
            err(w, "bad joined date")
        elif int(m["joined"][:4]) < int(c["founded"]):
            err(w, "joined before the cluster was founded")
        if m["left"]:
            if not valid_date(m["left"]):
                err(w, "bad left date")
            elif m["left"] < m["joined"]:
                err(w, "left before joined")
        per_cluster[m["cluster"]].append((m, o))

    # ---- composition of the demo set
    for acr, c in cl.items():
        ms = per_cluster.get(acr, [])
        roles = Counter(m["role"] for m, _ in ms)
        if roles["coordinator"] != 1:
            err("members.csv", "%s must have exactly one coordinator (has %d)" % (acr, roles["coordinator"]))
        if not 10 <= len(ms) <= 20:
            err("members.csv", "%s has %d members (10-20 expected)" % (acr, len(ms)))
    if len(cl) != 6:
        err("clusters.csv", "expected 6 clusters")
    if len({c["region"] for c in cl.values()}) < 5:
        err("clusters.csv", "clusters must be in at least 5 voivodeships")
    labels = Counter(l.split("@")[0] for c in cl.values() for l in filter(None, c["labels"].split(";")))
    if labels["kkk"] < 2 or labels["ecei-silver"] < 1 or labels["ecei-bronze"] < 1:
        err("clusters.csv", "expected >=2 kkk, >=1 ecei-silver, >=1 ecei-bronze labels: %r" % dict(labels))
    if not 80 <= len(orgs) <= 100:
        err("organisations.csv", "about 90 organisations expected, got %d" % len(orgs))
    if len({o["teryt"][:2] for o in orgs}) < 8:
        err("organisations.csv", "organisations must be in at least 8 voivodeships")
    sizes = {o["size_class"] for o in orgs if o["type"] == "enterprise"}
    if sizes != {"micro", "small", "medium", "large"}:
        err("organisations.csv", "all four size classes expected, got %r" % sorted(sizes))
    if {o["type"] for o in orgs} != {"enterprise", "research", "support", "public", "ngo"}:
        err("organisations.csv", "all five organisation types expected")
    nclusters = Counter(o["name"] for ms in per_cluster.values() for _, o in ms)
    if not any(n >= 2 for n in nclusters.values()):
        err("members.csv", "some organisations should belong to two clusters")
    if not any(o["name"] not in nclusters for o in orgs):
        err("members.csv", "a few organisations should belong to no cluster")
    if not any(m["left"] for m in mems):
        err("members.csv", "at least one membership should have ended")
    if not any(r == "founder" for r in (m["role"] for m in mems)) or not any(m["role"] == "partner" for m in mems):
        err("members.csv", "founders and partners expected")
    if not any(o["city"] == "Łódź" for o in orgs):
        err("organisations.csv", "an organisation in Łódź expected")
    if not any(o["city"] == "Żywiec" and o["teryt"] == "2417" for o in orgs):
        err("organisations.csv", "an organisation in Żywiec (2417) expected")
    for letter in "ŁŚŻ":
        if not any(o["name"].startswith(letter) for o in orgs):
            err("organisations.csv", "a name starting with %s expected" % letter)
    for o in orgs:
        if not DIACRITICS & set(o["name"] + o["description_pl"]):
            err(o["_where"], "no Polish diacritics in name or description")
    with_diacritics = sum(1 for o in orgs if DIACRITICS & set(o["name"]))
    if with_diacritics < 0.75 * len(orgs):
        err("organisations.csv", "only %d of %d names contain Polish diacritics" % (with_diacritics, len(orgs)))
    if not any(len(o["regon"]) == 14 for o in orgs):
        err("organisations.csv", "some 14-digit REGONs expected")
    if not any(o["krs"] for o in orgs):
        err("organisations.csv", "some KRS numbers expected")
    return len(orgs), len(cl), len(mems)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pkd-hierarchy", help="PKD 2007 full hierarchy CSV (optional, checks subclasses)")
    a = ap.parse_args()
    subclasses = None
    if a.pkd_hierarchy:
        with open(a.pkd_hierarchy, encoding="utf-8") as f:
            subclasses = {r["code"].strip() for r in csv.DictReader(f) if r["level"].strip() == "PODKLASA"}
    voiv, pow_geom, pow_name, pkd = check_reference()
    counts = check_demo(voiv, pow_geom, pow_name, pkd, subclasses)
    for e in errors:
        print(e)
    if errors:
        print("FAILED: %d problem(s)" % len(errors))
        return 1
    print("OK: 16 voivodeships, %d powiats, %d PKD rows; %d organisations, %d clusters, %d memberships%s"
          % (len(pow_geom), sum(len(v) for v in pkd.values()), *counts,
             "" if subclasses is not None else " (PKD subclasses not checked: no --pkd-hierarchy)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
