#!/usr/bin/env python3
"""Names listed in Polish alphabetical order, the same on every backend.

    tests/http/test_name_order.py --backend sqlite|postgres

Organisations, clusters, offers and services named "Łódź", "Lublin",
"Zakopane", "Żary", "ąb", "Ab" … (upper and lower case, every Polish letter
with a diacritic next to its base letter) are listed by name — the pages
and the API, A–Z and Z–A — in the Polish alphabet's order: a ą b c ć … l ł …
o ó … s ś … z ź ż, case second.  On PostgreSQL the same is checked on a
database of the C collation and on two whose default collation is ICU's
en-US (which puts "Łódź" before "Lublin") and pl-PL: the order must be the
stored sort keys' (fold.h), never the database's collation of the raw name.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

# the Polish alphabetical order
NAMES = ["Ab", "ąb", "Cma", "Ćma", "Lublin", "łąka", "Łódź", "Obuda", "Óbuda", "Sad", "Śląsk",
         "Zakopane", "Źródło", "ŻABA", "Żary"]


def nip(i):
    """A valid NIP (checksum) for the i-th organisation."""
    w = [6, 5, 7, 2, 3, 4, 5, 6, 7]
    base = 526000000 + i * 7
    while True:
        d = [int(c) for c in "%09d" % base]
        c = sum(a * b for a, b in zip(w, d)) % 11
        if c != 10:
            return "%09d%d" % (base, c)
        base += 1


def write_csv(path, header, rows):
    import csv
    with open(path, "w", encoding="utf-8", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(header)
        wr.writerows(rows)


def fill(db, tag):
    """Migrated db with the names as organisations, clusters, offers and services (in a shuffled order)."""
    order = NAMES[7:] + NAMES[:7][::-1]   # not the order wanted, nor its reverse
    today = datetime.date.today()
    orgs = os.path.join(kt.WORK, "order-orgs-%s.csv" % tag)
    write_csv(orgs, ["name", "type", "size_class", "nip", "city", "demo"],
              [[n, "support", "", nip(i), "Kraków", "0"] for i, n in enumerate(order)])
    clusters = os.path.join(kt.WORK, "order-clusters-%s.csv" % tag)
    write_csv(clusters, ["acronym", "name", "coordinator", "founded", "demo"],
              [["K" + chr(ord("A") + i), n, nip(i), "2015", "0"] for i, n in enumerate(order)])
    offers = os.path.join(kt.WORK, "order-offers-%s.csv" % tag)
    write_csv(offers, ["organisation", "kind", "title", "description", "valid_from", "valid_until", "contact_name",
                       "contact_email", "demo"],
              [[nip(i), "cooperation", n, "Opis oferty %s." % n, today.isoformat(),
                (today + datetime.timedelta(days=30)).isoformat(), "Anna Nowak", "oferta@order.example", "0"]
               for i, n in enumerate(order)])
    services = os.path.join(kt.WORK, "order-services-%s.csv" % tag)
    write_csv(services, ["organisation", "category", "title", "description", "price_model", "contact_name",
                         "contact_email", "demo"],
              [[nip(i), "training", n, "Opis usługi %s." % n, "quote", "Anna Nowak", "usluga@order.example", "0"]
               for i, n in enumerate(order)])
    for step in (["db", "migrate"], ["import", "reference", "data"], ["import", "organisations", orgs],
                 ["import", "clusters", clusters], ["import", "offers", offers], ["import", "services", services]):
        r = kt.cli(db, *step)
        if r.returncode != 0:
            raise RuntimeError("klaster %s: %s %s" % (" ".join(step), r.stdout, r.stderr))
    return True


def api_list(port, path, key):
    st, _, body = kt.request(port, "GET", path)
    if st != 200:
        return "status %s: %s" % (st, body[:200])
    return [i[key] for i in json.loads(body.decode("utf-8"))["items"]]


def page_list(port, path):
    """The names in the order a page shows them (each name as a link's whole text)."""
    st, _, body = kt.request(port, "GET", path, headers={"Accept-Language": "pl"})
    if st != 200:
        return "status %s" % st
    text = body.decode("utf-8")
    found = []
    for m in re.finditer(r"<a [^>]*>([^<]+)</a>", text):
        import html
        n = html.unescape(m.group(1)).strip()
        if n in NAMES and n not in found:
            found.append(n)
    return found


def check(db, label):
    srv = kt.Server(db, "order-" + label)
    try:
        rev = NAMES[::-1]
        for path, key, want in (
                ("/api/v1/organisations?sort=name&per_page=100", "name", NAMES),
                ("/api/v1/organisations?sort=-name&per_page=100", "name", rev),
                ("/api/v1/organisations?sort=name&per_page=5&page=2", "name", NAMES[5:10]),
                ("/api/v1/organisations?sort=voivodeship&per_page=100", "name", NAMES),
                ("/api/v1/clusters", "name", NAMES),
                ("/api/v1/offers?sort=title&per_page=100", "title", NAMES),
                ("/api/v1/services?sort=title&per_page=100", "title", NAMES)):
            eq(api_list(srv.port, path, key), want, "%s: %s in Polish alphabetical order" % (label, path))
        for path, want in (("/organisations?sort=name&per_page=100", NAMES),
                           ("/organisations?sort=-name&per_page=100", rev),
                           ("/clusters", NAMES),
                           ("/offers?sort=title", NAMES),
                           ("/services?sort=title", NAMES)):
            eq(page_list(srv.port, path), want, "%s: the page %s in Polish alphabetical order" % (label, path))
    finally:
        srv.clean_exit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    if args.backend == "sqlite":
        db = "sqlite:" + os.path.join(kt.WORK, "order-%d.db" % os.getpid())
        if kt.section(fill, db, "sqlite"):
            kt.section(check, db, "sqlite")
    else:
        if not os.environ.get("KLASTER_TEST_PG"):
            raise RuntimeError("KLASTER_TEST_PG is not set")
        for icu in ("", "en-US", "pl-PL"):
            name = "klaster_order_%s_%d_%d" % (icu.replace("-", "").lower() or "c", os.getpid(),
                                              int(time.time() * 1000) % 100000)
            r = subprocess.run(["sh", "tests/pg.sh", "createdb", os.path.join(kt.WORK, "pg"), name] +
                               ([icu] if icu else []), cwd=kt.ROOT, capture_output=True, text=True, timeout=60)
            if not ok(r.returncode == 0, "a database of the %s collation" % (icu or "C"), r.stderr):
                continue
            db = r.stdout.strip().splitlines()[-1]
            label = "postgres-" + (icu or "C")
            if kt.section(fill, db, label):
                kt.section(check, db, label)
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
