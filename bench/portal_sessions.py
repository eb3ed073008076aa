#!/usr/bin/env python3
"""Log the benchmark's users in and write the data file of bench/portal.lua.

Usage: portal_sessions.py URL DB_PATH USERS.tsv OUT.lua

USERS.tsv has one "email<TAB>role" line per account (made by bench/portal.sh
with `klaster user add`, all with the password in $BENCH_PASSWORD).  Every
account logs in through the login form as a browser does: GET /login for the
visitor's CSRF token, POST /login, keep the session cookie `ksid`.  The
session's CSRF token (the hidden field "csrf") is read from a form page of
the account: the article page it will comment on for users (which also gives
the comment form's time stamp, field "stamp"), /offers/new for editors and
/admin/offers for coordinators.  A session's token stays valid as long as the
session, so each session is read once.

Login is limited to 60 per client address per 15 minutes, so the logins come
from several loopback source addresses (127.0.0.10, .11, …, 40 logins each),
as they would from many visitors; nothing in the server is relaxed.

OUT.lua returns a table: users {c = cookie, t = token, a = article, s = stamp},
editors and coordinators {c, t}, and the ids the reads use: offers (public),
services, articles (published), pending (offers awaiting moderation that the
coordinator may approve), orgs.  Every read kind is requested once here and
must answer 200.  Standard library only.
"""
import concurrent.futures
import datetime
import html
import http.client
import os
import re
import sqlite3
import sys
import urllib.parse

PER_ADDRESS = 40


def field(page, name):
    m = re.search(r'<input type="hidden" name="%s" value="([^"]*)"' % re.escape(name), page)
    return html.unescape(m.group(1)) if m else None


class Session:
    def __init__(self, url, source):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60, source_address=(source, 0))
        self.cookies = {}

    def request(self, method, path, fields=None):
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read().decode("utf-8", "replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return r.status, data, r.getheader("Location")

    def login(self, email, password):
        st, page, _ = self.request("GET", "/login")
        token = field(page, "csrf")
        if st != 200 or not token:
            raise RuntimeError(f"GET /login: {st}")
        st, page, loc = self.request("POST", "/login", {"email": email, "password": password, "csrf": token, "next": "/"})
        if st != 303 or "ksid" not in self.cookies:
            raise RuntimeError(f"POST /login for {email}: {st} {page[:200]}")
        return "ksid=" + self.cookies["ksid"]

    def token(self, path, stamp=False):
        st, page, _ = self.request("GET", path)
        t = field(page, "csrf")
        s = field(page, "stamp") if stamp else ""
        if st != 200 or not t or s is None:
            raise RuntimeError(f"GET {path} (logged in): {st}, no form")
        return t, s


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    url, db_path, users_file, out = sys.argv[1:]
    password = os.environ["BENCH_PASSWORD"]
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    today = datetime.date.today().isoformat()
    ids = {
        "offers": [r[0] for r in db.execute(
            "SELECT id FROM offer WHERE status = 'approved' AND valid_until >= ? ORDER BY id", (today,))],
        "services": [r[0] for r in db.execute("SELECT id FROM service WHERE status = 'approved' ORDER BY id")],
        "articles": [r[0] for r in db.execute("SELECT id FROM article WHERE status = 'published' ORDER BY id")],
        "orgs": [r[0] for r in db.execute("SELECT id FROM organisation ORDER BY random() LIMIT 2000")],
    }
    coord_cluster = db.execute("SELECT id FROM cluster WHERE acronym = 'MKTC'").fetchone()[0]
    ids["pending"] = [r[0] for r in db.execute(
        "SELECT o.id FROM offer o WHERE o.status = 'pending' AND o.org_id IN"
        " (SELECT org_id FROM membership WHERE cluster_id = ? AND left_on IS NULL) ORDER BY o.id", (coord_cluster,))]
    db.close()
    accounts = [line.rstrip("\n").split("\t") for line in open(users_file, encoding="utf-8") if line.strip()]

    def one(i_acc):
        i, (email, role) = i_acc
        s = Session(url, f"127.0.0.{10 + i // PER_ADDRESS}")
        cookie = s.login(email, password)
        if role == "user":
            article = ids["articles"][i % len(ids["articles"])]
            t, stamp = s.token(f"/news/{article}", stamp=True)
            return role, {"c": cookie, "t": t, "a": article, "s": stamp}
        t, _ = s.token("/offers/new" if role == "editor" else "/admin/offers")
        return role, {"c": cookie, "t": t}

    got = {"user": [], "editor": [], "coordinator": []}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for role, sess in ex.map(one, enumerate(accounts)):
            got[role].append(sess)

    # every kind of read answers 200 to a visitor
    probe = Session(url, "127.0.0.1")
    for path in ["/", "/organisations?q=krakow", "/api/v1/organisations?q=lodz", "/offers?q=wspolpraca+lozyska",
                 "/services?category=laboratory", f"/offers/{ids['offers'][0]}", f"/services/{ids['services'][0]}",
                 "/news", "/news?page=3", f"/news/{ids['articles'][0]}", f"/news/{ids['articles'][0]}.pdf",
                 "/api/v1/offers?q=spawanie", "/api/v1/services?price=free", f"/organisations/{ids['orgs'][0]}"]:
        st, _, _ = probe.request("GET", path)
        if st != 200:
            sys.exit(f"portal_sessions: GET {path}: {st}")

    def lua(v):
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {lua(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "{" + ", ".join(lua(x) for x in v) + "}"
        if isinstance(v, int):
            return str(v)
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    with open(out, "w", encoding="utf-8") as f:
        f.write("-- generated by bench/portal_sessions.py\nreturn {\n")
        f.write(f"users = {lua(got['user'])},\neditors = {lua(got['editor'])},\n")
        f.write(f"coordinators = {lua(got['coordinator'])},\n")
        for k in ("offers", "services", "articles", "pending", "orgs"):
            f.write(f"{k} = {lua(ids[k])},\n")
        f.write("}\n")
    print(f"sessions: {len(got['user'])} users, {len(got['editor'])} editors, {len(got['coordinator'])} coordinators;"
          f" {len(ids['offers'])} public offers, {len(ids['services'])} services, {len(ids['articles'])} articles,"
          f" {len(ids['pending'])} offers awaiting moderation")


if __name__ == "__main__":
    main()
