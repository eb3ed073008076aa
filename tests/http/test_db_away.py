#!/usr/bin/env python3
"""A database that is away, under a running klaster serve.

    tests/http/test_db_away.py --backend sqlite|postgres

postgres: a PostgreSQL server of this test's own (tests/pg.sh start) is stopped
under the running klaster (tests/pg.sh down): pages, the API, /healthz, a
logged-in visitor's page and an administrator's API call answer 503 with
Retry-After (a page in both languages, the API in JSON), the log says so once
and not once a request; the server is started again (tests/pg.sh up) and the
same requests answer 200 with no restart of klaster, the visitor still logged
in, and the log says once that the database answers again.

sqlite: another program holds the write lock longer than klaster's busy
timeout (10 s): a request that must write answers 503 with Retry-After, not
500; pages that only read still answer 200, and so does a logged-in visitor's
page (noting when the session was last used is skipped, not waited for).
"""
import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

PW = "away-password-123"
USER = "away@portal.example"
ADMIN = "away-admin@portal.example"
AWAY_LINE = "klaster: the database is unavailable"
BACK_LINE = "klaster: the database answers again"


def pg(cmd, d):
    r = subprocess.run(["sh", "tests/pg.sh", cmd, d], cwd=kt.ROOT, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("tests/pg.sh %s: %s" % (cmd, r.stderr))
    return r.stdout.strip()


def prepare(db):
    for step in (["db", "migrate"], ["import", "reference", "data"],
                 ["import", "organisations", "data/demo/organisations.csv"],
                 ["import", "clusters", "data/demo/clusters.csv"]):
        r = kt.cli(db, *step)
        if r.returncode != 0:
            raise RuntimeError("klaster %s: %s" % (" ".join(step), r.stderr))
    kt.add_user(db, USER, PW, name="Away")
    kt.add_user(db, ADMIN, PW, role="admin")
    r = kt.cli(db, "user", "token", ADMIN)
    if r.returncode != 0:
        raise RuntimeError("user token: " + r.stderr)
    return r.stdout.strip()


def log_lines(srv, text):
    with open(srv.logpath, encoding="utf-8", errors="replace") as f:
        return [l for l in f.read().splitlines() if l.startswith(text)]


def is_unavailable(st, h, body, what, api=False):
    """503 with a Retry-After of whole seconds; the API's JSON error or a page in both languages."""
    good = ok(st == 503, "%s: 503 while the database is away" % what, "got %s: %s" % (st, body[:300]))
    good &= ok(re.fullmatch(r"[1-9][0-9]*", h.get("retry-after", "")) is not None,
               "%s: Retry-After in seconds" % what, "headers %r" % h)
    if api:
        try:
            js = json.loads(body)
        except ValueError:
            js = None
        good &= ok(js is not None and js.get("error", {}).get("status") == 503 and
                   "database cannot be reached" in js["error"].get("message", ""),
                   "%s: a JSON error saying the database cannot be reached" % what, body[:300])
    else:
        text = kt.text_of(body)
        good &= ok(h.get("content-type", "").startswith("text/html") and
                   "baza danych jest w tej chwili nieosiągalna" in text and
                   "the database cannot be reached" in text,
                   "%s: a page saying in Polish and English that the database cannot be reached" % what, text[:400])
    return good


def requests_of(srv, token, visitor):
    """The requests asked while away and after: (what, function returning (status, headers, body), api)."""
    def get(path, headers=None):
        def f():
            st, h, b = kt.request(srv.port, "GET", path, headers=headers)
            return st, h, b.decode("utf-8", "replace")
        return f

    def admin_post():
        st, h, b = kt.request(srv.port, "POST", "/api/v1/organisations", body=b"{}",
                              headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        return st, h, b.decode("utf-8", "replace")
    return [
        ("home page", get("/", {"Accept-Language": "pl"}), False),
        ("organisations (English)", get("/organisations?sort=name", {"Accept-Language": "en"}), False),
        ("a search", get("/organisations?q=klaster"), False),
        ("clusters", get("/clusters"), False),
        ("API organisations", get("/api/v1/organisations"), True),
        ("API clusters", get("/api/v1/clusters"), True),
        ("a logged-in visitor's account page", lambda: visitor.get("/account"), False),
        ("an administrator's API call", admin_post, True),
    ]


def postgres():
    d = os.path.join(kt.WORK, "pg-away-%d" % os.getpid())
    url = pg("start", d).splitlines()[-1]
    srv = None
    try:
        token = prepare(url)
        srv = kt.Server(url, "db-away-postgres")
        visitor = kt.Client(srv.port)
        visitor.login(USER, PW)
        reqs = requests_of(srv, token, visitor)
        for what, f, api in reqs:
            st, _, _ = f()
            ok(st in (200, 400, 422), "%s answers before the outage" % what, "got %s" % st)

        pg("down", d)
        for rnd in range(3):
            for what, f, api in reqs:
                st, h, body = f()
                if rnd == 0:
                    is_unavailable(st, h, body, what, api)
                else:
                    eq(st, 503, "%s: still 503 (round %d)" % (what, rnd + 1))
        st, h, body = kt.request(srv.port, "GET", "/healthz")
        ok(st == 503 and json.loads(body) == {"status": "error"} and h.get("retry-after"),
           "/healthz: 503, its JSON and Retry-After", "%s %r %r" % (st, h, body))
        eq(kt.request(srv.port, "GET", "/static/klaster.css")[0], 200, "a static file is still served")
        time.sleep(2.5)   # the mail worker meets the outage every second too
        away = log_lines(srv, AWAY_LINE)
        eq(len(away), 1, "the log says once that the database is away (%d requests)" % (3 * len(reqs) + 1))
        ok(bool(away) and ("refused" in away[0] or "connect" in away[0]),
           "the log line says why", away)
        with open(srv.logpath, encoding="utf-8", errors="replace") as f:
            other = [l for l in f.read().splitlines() if l.startswith("klaster: ") and
                     not l.startswith(AWAY_LINE) and not l.startswith("klaster: serving")]
        eq(other, [], "no other line in the log while it is away")

        pg("up", d)
        for what, f, api in reqs:
            st, h, body = f()
            ok(st in (200, 400, 422), "%s answers again when the database is back, no restart" % what,
               "got %s: %s" % (st, body[:300]))
            ok("retry-after" not in h, "%s: no Retry-After any more" % what)
        ok(USER in visitor.get("/account")[2], "the visitor is still logged in")
        eq(kt.request(srv.port, "GET", "/healthz")[0], 200, "/healthz: 200 again")
        eq(len(log_lines(srv, BACK_LINE)), 1, "the log says once that the database answers again")
        eq(len(log_lines(srv, AWAY_LINE)), 1, "and no more that it is away")
        ok(srv.alive(), "the same klaster process serves throughout")
    finally:
        if srv:
            srv.clean_exit()
        subprocess.run(["sh", "tests/pg.sh", "stop", d], cwd=kt.ROOT, capture_output=True, timeout=120)


def sqlite():
    path = os.path.join(kt.WORK, "db-away-%d.db" % os.getpid())
    url = "sqlite:" + path
    prepare(url)
    srv = kt.Server(url, "db-away-sqlite")
    try:
        visitor = kt.Client(srv.port)
        visitor.login(USER, PW)
        stranger = kt.Client(srv.port)
        stranger.get("/login")
        form = stranger.form("/login")
        fields = dict(form["fields"])
        fields.update({"email": "nobody@portal.example", "password": "wrong-password-1"})
        lock = sqlite3.connect(path, timeout=30, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            t0 = time.time()
            st, h, body = stranger.post("/login", fields)
            waited = time.time() - t0
            is_unavailable(st, h, body, "a login while another program holds the write lock past the timeout")
            ok(waited >= 9, "it waited for the lock first (%.1f s)" % waited)
            st, _, _ = kt.request(srv.port, "GET", "/organisations")
            eq(st, 200, "a page that only reads answers meanwhile")
            st, h, text = visitor.get("/account")
            ok(st == 200 and USER in text, "a logged-in visitor's page answers meanwhile (the session's "
               "last use is not waited for)", "got %s" % st)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        st, h, body = stranger.post("/login", fields)
        ok(st in (200, 400, 401, 422) and "retry-after" not in h,
           "the same login, the lock released: the form's own answer", "got %s: %s" % (st, kt.text_of(body)[:300]))
        eq(len(log_lines(srv, AWAY_LINE)), 1, "the log says once that the database was unavailable")
        ok(any("busy" in l for l in log_lines(srv, AWAY_LINE)), "and why (busy)")
    finally:
        srv.clean_exit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    kt.section(postgres if args.backend == "postgres" else sqlite)
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
