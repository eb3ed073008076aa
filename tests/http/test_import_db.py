#!/usr/bin/env python3
"""`klaster import stats` and `klaster import firms` when the database fails
while they store: exit 6 (a database error) with the database's message,
never exit 3 as if the file were at fault, and nothing half-stored — a list
or dataset of that name stays as it was, a new one does not appear, and the
portal still serves the old one.

    python3 tests/http/test_import_db.py --backend sqlite|postgres

The failure is forced by a trigger that refuses some rows (a cell of region
04, the second firm of a list), so the command has already written others
and replaced nothing yet when it fails; on PostgreSQL also by a database
whose transactions are read-only.  TAP output.
"""
import argparse
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok  # noqa: E402

REFUSAL = "kt: the storage refuses this row"


def write(name, text):
    path = os.path.join(kt.WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def add_triggers(d, backend):
    if backend == "sqlite":
        d.run("CREATE TRIGGER kt_refuse_cell BEFORE INSERT ON stat_cell WHEN NEW.region = '04'"
              " BEGIN SELECT RAISE(ABORT, '%s'); END" % REFUSAL)
        d.run("CREATE TRIGGER kt_refuse_firm BEFORE INSERT ON firm_point WHEN NEW.seq = 1"
              " BEGIN SELECT RAISE(ABORT, '%s'); END" % REFUSAL)
    else:
        d.run("CREATE FUNCTION kt_refuse() RETURNS trigger LANGUAGE plpgsql AS"
              " $$ BEGIN RAISE EXCEPTION '%s'; END $$" % REFUSAL)
        d.run("CREATE TRIGGER kt_refuse_cell BEFORE INSERT ON stat_cell FOR EACH ROW"
              " WHEN (NEW.region = '04') EXECUTE FUNCTION kt_refuse()")
        d.run("CREATE TRIGGER kt_refuse_firm BEFORE INSERT ON firm_point FOR EACH ROW"
              " WHEN (NEW.seq = 1) EXECUTE FUNCTION kt_refuse()")


def drop_triggers(d, backend):
    if backend == "sqlite":
        d.run("DROP TRIGGER kt_refuse_cell")
        d.run("DROP TRIGGER kt_refuse_firm")
    else:
        d.run("DROP TRIGGER kt_refuse_cell ON stat_cell")
        d.run("DROP TRIGGER kt_refuse_firm ON firm_point")
        d.run("DROP FUNCTION kt_refuse()")


def stored(d):
    """What the stored datasets and firm lists hold, to compare before and after."""
    return (d.rows("SELECT name, title FROM dataset ORDER BY name"),
            d.rows("SELECT d.name, c.region, c.industry, c.employment FROM stat_cell c"
                   " JOIN dataset d ON d.id = c.dataset_id ORDER BY 1, 2, 3"),
            d.one("SELECT COUNT(*) FROM stat_cell"),
            d.rows("SELECT name, title FROM firm_dataset ORDER BY name"),
            d.rows("SELECT d.name, p.firm_id, p.lat FROM firm_point p"
                   " JOIN firm_dataset d ON d.id = p.dataset_id ORDER BY 1, 2"),
            d.one("SELECT COUNT(*) FROM firm_point"),
            d.one("SELECT COUNT(*) FROM firm_value"))


def refused(r, words, desc):
    """Exit 6 with the database's own words, and no line saying something was stored."""
    ok(r.returncode == 6 and all(w in r.stderr for w in words) and "stored" not in r.stdout,
       desc, "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    a = ap.parse_args()
    db = kt.database(a.backend, "import_db")
    d = ktdb.Db(db)
    stats = write("idb-stats.csv", "region,industry,employment\n02,C,10\n04,C,20\n02,G,5\n04,G,7\n")
    stats2 = write("idb-stats2.csv", "region,industry,employment\n02,C,11\n04,C,21\n02,G,6\n04,G,8\n")
    firms = write("idb-firms.csv", "id,name,industry,lat,lon,v\n1,A,C,52.1,21.0,3\n2,B,C,52.2,21.1,4\n")
    firms2 = write("idb-firms2.csv", "id,name,industry,lat,lon,v\n7,X,C,50.1,19.0,1\n8,Y,C,50.2,19.1,2\n"
                   "9,Z,G,50.3,19.2,5\n")
    r = kt.cli(db, "import", "stats", stats, "--dataset", "idb", "--title", "Before")
    ok(r.returncode == 0, "import stats: a dataset to keep", r.stderr)
    r = kt.cli(db, "import", "firms", firms, "--dataset", "idb", "--title", "Before", "--value", "v")
    ok(r.returncode == 0, "import firms: a list to keep", r.stderr)
    before = stored(d)

    add_triggers(d, a.backend)
    try:
        # over a stored dataset or list: the old one is deleted and rows of the new written
        # before the refusal, all of it rolled back
        r = kt.cli(db, "import", "stats", stats2, "--dataset", "idb", "--title", "After")
        refused(r, ["klaster: ", REFUSAL], "import stats over a dataset, the database refusing a row: exit 6 "
                "with its message")
        r = kt.cli(db, "import", "firms", firms2, "--dataset", "idb", "--title", "After", "--value", "v")
        refused(r, ["klaster: ", REFUSAL], "import firms over a list, the database refusing a row: exit 6 "
                "with its message")
        r = kt.cli(db, "import", "firms", "-", "--dataset", "idb", "--title", "After", "--value", "v",
                   input=open(firms2, encoding="utf-8").read())
        refused(r, [REFUSAL], "  and from standard input")
        # under a new name: no dataset or list of it, no rows of it
        r = kt.cli(db, "import", "stats", stats2, "--dataset", "idb-new")
        refused(r, [REFUSAL], "import stats of a new dataset, the database refusing a row: exit 6")
        r = kt.cli(db, "import", "firms", firms2, "--dataset", "idb-new", "--value", "v")
        refused(r, [REFUSAL], "import firms of a new list, the database refusing a row: exit 6")
        after = stored(d)
        kt.eq(after, before, "nothing half-stored: the datasets, lists, cells, firms and values are as before")
    finally:
        drop_triggers(d, a.backend)

    # the directory's imports: a row the database refuses is no invalid row, --skip-invalid or not
    orgs = write("idb-orgs.csv", "name,type\nIdb Good One,ngo\nIdb Refused,ngo\nIdb Good Two,ngo\n")
    if a.backend == "sqlite":
        d.run("CREATE TRIGGER kt_refuse_org BEFORE INSERT ON organisation WHEN NEW.name = 'Idb Refused'"
              " BEGIN SELECT RAISE(ABORT, '%s'); END" % REFUSAL)
    else:
        d.run("CREATE FUNCTION kt_refuse_org() RETURNS trigger LANGUAGE plpgsql AS"
              " $$ BEGIN RAISE EXCEPTION '%s'; END $$" % REFUSAL)
        d.run("CREATE TRIGGER kt_refuse_org BEFORE INSERT ON organisation FOR EACH ROW"
              " WHEN (NEW.name = 'Idb Refused') EXECUTE FUNCTION kt_refuse_org()")
    try:
        for opts in ([], ["--skip-invalid"]):
            r = kt.cli(db, "import", "organisations", orgs, *opts)
            ok(r.returncode == 6 and "idb-orgs.csv:3: " in r.stderr and REFUSAL in r.stderr and "skipped" not in
               r.stderr + r.stdout, "import organisations %s, the database refusing a row: exit 6 naming the line"
               % " ".join(opts), "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
            kt.eq(d.one("SELECT COUNT(*) FROM organisation WHERE name LIKE 'Idb %'"), 0, "  nothing written")
    finally:
        if a.backend == "sqlite":
            d.run("DROP TRIGGER kt_refuse_org")
        else:
            d.run("DROP TRIGGER kt_refuse_org ON organisation")
            d.run("DROP FUNCTION kt_refuse_org()")

    r = kt.cli(db, "dataset", "list")
    ok(r.returncode == 0 and "\tidb\t" in r.stdout and "Before" in r.stdout and "After" not in r.stdout and
       "idb-new" not in r.stdout, "dataset list: the stored dataset and list, with their titles, and no other",
       r.stdout + r.stderr)
    srv = kt.Server(db, "import-db")
    try:
        st, h, body = kt.request(srv.port, "GET", "/api/v1/datasets")
        text = body.decode("utf-8", "replace")
        ok(st == 200 and '"idb"' in text and "Before" in text and "After" not in text and "idb-new" not in text,
           "the portal's API lists the dataset as it was", "%s %s" % (st, text[:500]))
        st, h, body = kt.request(srv.port, "GET", "/cluster-map/points.csv?dataset=idb")
        ids = [line.split(",")[0] for line in body.decode("utf-8", "replace").splitlines()[1:]]
        ok(st == 200 and ids == ["1", "2"], "the portal's firm points are the list as it was",
           "%s %s" % (st, body[:500]))
    finally:
        srv.stop()

    if a.backend == "postgres":
        # a database whose transactions are read-only (a standby, a database being moved)
        name = urllib.parse.urlparse(db).path.lstrip("/")
        d.run('ALTER DATABASE "%s" SET default_transaction_read_only = on' % name)
        try:
            r = kt.cli(db, "import", "stats", stats2, "--dataset", "idb")
            refused(r, ["read-only transaction"], "import stats on a read-only database: exit 6 with its message")
            r = kt.cli(db, "import", "firms", firms2, "--dataset", "idb")
            refused(r, ["read-only transaction"], "import firms on a read-only database: exit 6 with its message")
        finally:
            d.run('ALTER DATABASE "%s" SET default_transaction_read_only = off' % name)
        kt.eq(stored(d), before, "  nothing stored")
    else:
        # the same on SQLite fails as the database is opened, before anything is read
        kt.diag("read-only database: PostgreSQL only")
    # a PKD code given twice in one organisation's list is said, not stored twice
    twice = write("idb-pkd-twice.csv", "name,type,pkd\nIdb Twice,ngo,62.01.Z;62.02.Z;62.01.Z\n")
    r = kt.cli(db, "import", "organisations", twice)
    ok(r.returncode == 3 and "idb-pkd-twice.csv:2: " in r.stderr and "'62.01.Z' is given twice" in r.stderr,
       "a PKD code twice in one list: exit 3 naming the line and the code", r.stderr)
    kt.eq(d.one("SELECT COUNT(*) FROM organisation WHERE name = 'Idb Twice'"), 0, "  nothing written")
    d.close()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
