#!/usr/bin/env python3
"""The authorisation matrix: every role against every state-changing route.

    python3 tests/http/test_matrix.py --backend sqlite|postgres

The routes are read from `klaster routes` (every POST line), so a new route
without an entry in MATRIX below fails the test.  For each route the table
names the roles allowed to use it, how to make a fresh target for one
request (an offer of organisation A pending moderation, a draft article of
cluster A, a pending comment, a proposal naming cluster A, …), the request
with valid form fields, and the change it makes.  Every role then sends the
request: an allowed role must get the route's documented answer AND the
change must be made (and written to the audit log); any other role must get
the documented refusal (403 for a POST, 401 for the token API) and nothing
may change.  A destructive action (its fields carry confirm=1) is first sent
without confirm=1: an allowed role must get the page that asks, with a form
carrying the same fields, and nothing may change (ask_first).  The matrix
of answers is printed as TAP diagnostics.

Roles: visitor; user; editor of organisation A (a member of cluster A);
editor of organisation B (a member of cluster B only); coordinator of
cluster A; coordinator of cluster B; administrator.  Each is logged in once
(login is rate-limited) and the client reused; routes that end or replace a
session (logout, login, confirm, password change, account deletion) use
throw-away accounts of the same role.
"""
import argparse
import datetime
import os
import re
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

PW = "matrix password 1234"
NEWPW = "matrix password 5678"
ROLES = ("visitor", "user", "editor", "editor_b", "coord_a", "coord_b", "admin")
LOGGED = ROLES[1:]
SHORT = {"visitor": "visitor", "user": "user", "editor": "editor A", "editor_b": "editor B",
         "coord_a": "coord A", "coord_b": "coord B", "admin": "admin"}


def make_nip(seed):
    """A valid NIP from a seed (weights 6 5 7 2 3 4 5 6 7; remainder 10 skipped)."""
    w = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        d = "%09d" % (seed % 1000000000)
        d = ("1" + d[1:]) if d[0] == "0" else d
        s = sum(int(c) * k for c, k in zip(d, w)) % 11
        if s != 10:
            return d + str(s)
        seed += 1


class World:
    """Everything the cells share: server, database, clients, ids."""


W = World()


def q(sql, *params):
    return W.sql.one(sql, params)


def uid(email):
    return q("SELECT id FROM app_user WHERE email = ?", email)


def audit_count():
    return q("SELECT COUNT(*) FROM audit_log")


# ---------------------------------------------------------------- clients

_tokens = {}


def csrf(c):
    """The CSRF token of a client's current session (cached per session)."""
    key = (id(c), c.cookies.get("ksid"), c.cookies.get("kcsrf"))
    if key not in _tokens:
        tok = c.csrf("/newsletter")
        if not tok:
            raise AssertionError("no CSRF token for a client")
        key = (id(c), c.cookies.get("ksid"), c.cookies.get("kcsrf"))
        _tokens[key] = tok
    return _tokens[key]


def post(c, path, fields):
    data = {"csrf": csrf(c)}
    data.update(fields)
    return c.post(path, data)


def login_client(email):
    c = kt.Client(W.srv.port)
    c.login(email, PW)
    return c


def visitor():
    c = kt.Client(W.srv.port)
    csrf(c)
    return c


# ---------------------------------------------------------------- fixtures

def fixtures(backend):
    W.today = datetime.date.today()
    d = W.today.isoformat()
    later = (W.today + datetime.timedelta(days=200)).isoformat()
    # clusters A, B, C and organisations A (member of A only) and B (of B only);
    # both may offer services (research or support)
    W.cl = {k: q("SELECT id FROM cluster WHERE acronym = ?", k) for k in ("KLPS", "MKTC", "WKM")}
    W.A, W.B, W.C = W.cl["KLPS"], W.cl["MKTC"], W.cl["WKM"]
    pick = ("SELECT o.id, o.nip FROM organisation o WHERE o.type IN ('research', 'support') AND o.nip IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM membership m WHERE m.org_id = o.id AND m.cluster_id = ? AND m.left_on IS NULL)"
            " AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.org_id = o.id AND m.cluster_id IN (?, ?)"
            " AND m.left_on IS NULL) ORDER BY o.id")
    W.orgA, W.nipA = W.sql.rows(pick, (W.A, W.B, W.C))[0]
    W.orgB, W.nipB = W.sql.rows(pick, (W.B, W.A, W.C))[0]
    diag("cluster A %s, B %s, C %s; organisation A %s, B %s" % (W.A, W.B, W.C, W.orgA, W.orgB))

    # accounts: the roles, and throw-away accounts of the same roles
    scope = {"user": ("user", None, None), "editor": ("editor", W.orgA, None), "editor_b": ("editor", W.orgB, None),
             "coord_a": ("coordinator", None, W.A), "coord_b": ("coordinator", None, W.B),
             "admin": ("admin", None, None)}
    W.email = {r: "%s@matrix.example" % r.replace("_", "-") for r in LOGGED}
    jobs = []
    for r in LOGGED:
        role, org, cl = scope[r]
        jobs.append((W.email[r], role, org, cl))
        for t in ("t1", "t2", "t3"):
            jobs.append(("%s-%s@matrix.example" % (t, r.replace("_", "-")), role, org, cl))
    jobs.append(("vlogin@matrix.example", "user", None, None))
    with ThreadPoolExecutor(2) as ex:
        list(ex.map(lambda j: kt.add_user(W.db, j[0], PW, role=j[1], name="M " + j[0].split("@")[0],
                                          org=j[2], cluster=j[3]), jobs))
    # accounts that only receive a role change, a password reset, a block or an
    # unblock (those start blocked): no login needed
    for r in ROLES:
        for kind in ("ru", "rt", "bk", "ub"):
            W.sql.run("INSERT INTO app_user (email, name, role, password_hash, created_at, status)"
                      " VALUES (?, ?, 'user', 'x', '2026-01-01T00:00:00Z', 'active')",
                      ("%s-%s@matrix.example" % (kind, r.replace("_", "-")), "M %s %s" % (kind, r)))
    W.sql.run("UPDATE app_user SET blocked_at = 1 WHERE email LIKE 'ub-%'")

    # offers and services of organisation A, by import: per role a pending
    # entry for each route that changes one, and one public entry each
    rows = []
    for r in ROLES:
        for what in ("edit", "withdraw", "approve", "reject"):
            # withdrawing and rejecting take a public entry off the site
            rows.append(("approved" if what in ("withdraw", "reject") else "pending", "M offer %s %s" % (what, r)))
    rows.append(("approved", "M public offer"))
    path = os.path.join(kt.WORK, "matrix-offers-%s.csv" % backend)
    with open(path, "w", encoding="utf-8") as f:
        f.write("organisation,kind,title,description,valid_from,valid_until,contact_name,contact_email,status\n")
        for st, title in rows:
            f.write("%s,cooperation,%s,Opis oferty testowej.,%s,%s,Jan Test,contact-offer@matrix.example,%s\n"
                    % (W.nipA, title, d, later, st))
    r = kt.cli(W.db, "import", "offers", path)
    if r.returncode:
        raise RuntimeError("import offers: " + r.stderr)
    path = os.path.join(kt.WORK, "matrix-services-%s.csv" % backend)
    with open(path, "w", encoding="utf-8") as f:
        f.write("organisation,category,title,description,price_model,contact_name,contact_email,status\n")
        for r_ in ROLES:
            for what in ("edit", "withdraw"):
                f.write("%s,consulting,M service %s %s,Opis usługi.,free,Jan Test,contact-service@matrix.example,%s\n"
                        % (W.nipA, what, r_, "approved" if what == "withdraw" else "pending"))
        f.write("%s,consulting,M public service,Opis usługi.,free,Jan Test,contact-service@matrix.example,approved\n"
                % W.nipA)
    r = kt.cli(W.db, "import", "services", path)
    if r.returncode:
        raise RuntimeError("import services: " + r.stderr)

    # articles of cluster A
    ndir = tempfile.mkdtemp(prefix="matrix-news-", dir=kt.WORK)
    files = []

    def article(key, title, published):
        p = os.path.join(ndir, key + ".md")
        with open(p, "w", encoding="utf-8") as f:
            f.write("---\nkey: %s\ntitle: %s\nlang: pl\ncluster: KLPS\npublished: %s\n---\nTreść artykułu.\n"
                    % (key, title, "2026-01-05" if published else ""))
        files.append(p)

    for r_ in ROLES:
        article("m-edit-" + r_.replace("_", "-"), "M article edit %s" % r_, False)
        article("m-publish-" + r_.replace("_", "-"), "M article publish %s" % r_, False)
        article("m-unpublish-" + r_.replace("_", "-"), "M article unpublish %s" % r_, True)
        article("m-delete-" + r_.replace("_", "-"), "M article delete %s" % r_, True)
    article("m-comments", "M article for comments", True)
    r = kt.cli(W.db, "import", "news", *files)
    if r.returncode:
        raise RuntimeError("import news: " + r.stderr)
    W.offer = lambda t: q("SELECT id FROM offer WHERE title = ?", t)
    W.service = lambda t: q("SELECT id FROM service WHERE title = ?", t)
    W.article = lambda t: q("SELECT id FROM article WHERE title = ?", t)
    W.comment_article = W.article("M article for comments")

    # pending comments to moderate, and requests of organisations outside
    # cluster A to join it (one per role and decision)
    now = int(time.time())
    for r_ in ROLES:
        W.sql.run("INSERT INTO article_comment (article_id, user_id, body, status, ip, created_at)"
                  " VALUES (?, NULL, ?, 'pending', '127.0.0.1', ?)", (W.comment_article, "M comment %s" % r_, now))
    outside = [row[0] for row in W.sql.rows(
        "SELECT id FROM organisation o WHERE id <> ? AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.org_id = o.id"
        " AND m.cluster_id = ? AND m.left_on IS NULL) ORDER BY id", (W.orgB, W.A))]
    W.request_org = {}
    for i, (r_, what) in enumerate((r_, w) for r_ in ROLES for w in ("accept", "decline")):
        org = outside[i]
        W.request_org[(what, r_)] = org
        W.sql.run("INSERT INTO membership_request (cluster_id, org_id, requester_email, message, lang, status,"
                  " created_at) VALUES (?, ?, 'req@matrix.example', 'M', 'en', 'pending', ?)", (W.A, org, now))

    # current members of cluster A whose membership each role tries to end
    members = [row[0] for row in W.sql.rows(
        "SELECT org_id FROM membership WHERE cluster_id = ? AND left_on IS NULL AND org_id <> ? ORDER BY org_id",
        (W.A, W.orgA))]
    W.member_to_end = dict(zip(ROLES, members))
    # former members of cluster A (after the organisations with requests) that each role tries to
    # admit again: a coordinator admits only a former member
    n_req = 2 * len(ROLES)
    W.org_to_add = dict(zip(ROLES, outside[n_req:n_req + len(ROLES)]))
    for org in W.org_to_add.values():
        W.sql.run("INSERT INTO membership (cluster_id, org_id, role, joined, left_on) VALUES (?, ?, 'member',"
                  " '2015-01-01', '2020-12-31')", (W.A, org))

    # the clients: every role logged in once
    W.srv_clients = {}
    W.c = {"visitor": visitor()}
    with ThreadPoolExecutor(2) as ex:
        for r_, c in zip(LOGGED, ex.map(lambda r_: login_client(W.email[r_]), LOGGED)):
            W.c[r_] = c
    W.t = {}
    with ThreadPoolExecutor(2) as ex:
        for t in ("t1", "t2", "t3"):
            for r_, c in zip(LOGGED, ex.map(lambda r_: login_client("%s-%s@matrix.example"
                                                                     % (t, r_.replace("_", "-"))), LOGGED)):
                W.t[(t, r_)] = c

    # proposals naming cluster A (made by the administrator) and campaigns of
    # cluster A (made by its coordinator)
    W.proposal = {}
    for i, (r_, what) in enumerate((r_, w) for r_ in ROLES for w in ("approve", "reject")):
        nip = make_nip(730000000 + 7919 * i)
        st, _, text = post(W.c["admin"], "/organisations/new", company("M proposal %s %s" % (what, r_), nip, W.A))
        if st != 303:
            raise RuntimeError("proposal fixture: %s %s" % (st, kt.text_of(text)[:300]))
        W.proposal[(what, r_)] = q("SELECT id FROM org_proposal WHERE nip = ?", nip)
    # proposals made from the plain user's account, which only it may change or withdraw
    W.own_proposal = {}
    for i, (r_, what) in enumerate((r_, w) for r_ in ROLES for w in ("edit", "withdraw")):
        nip = make_nip(740000000 + 7919 * i)
        st, _, text = post(W.c["user"], "/organisations/new", company("M own %s %s" % (what, r_), nip, W.A))
        if st != 303:
            raise RuntimeError("own proposal fixture: %s %s" % (st, kt.text_of(text)[:300]))
        W.own_proposal[(what, r_)] = q("SELECT id FROM org_proposal WHERE nip = ?", nip)
    W.campaign = {}
    for r_ in ROLES:
        for what in ("edit", "send", "test"):
            st, h, text = post(W.c["coord_a"], "/admin/newsletter/new",
                               {"subject": "M campaign %s %s" % (what, r_), "intro": "Wstęp.", "lang": "pl"})
            if st != 303:
                raise RuntimeError("campaign fixture: %s %s" % (st, kt.text_of(text)[:300]))
            W.campaign[(what, r_)] = int(re.search(r"/campaign/(\d+)", h["location"]).group(1))

    # the comment form's time stamps (a comment needs a stamp at least 3 s old)
    W.stamp = {}
    for r_ in LOGGED:
        W.c[r_].get("/news/%s" % W.comment_article)
        f = W.c[r_].form("/news/%s/comments" % W.comment_article)
        W.stamp[r_] = f["fields"]["stamp"] if f else ""
    W.stamp_time = time.time()


def company(name, nip, cluster=None, **extra):
    f = {"name": name, "type": "enterprise", "size_class": "small", "nip": nip, "pkd": "62.01.Z",
         "pkd_version": "2007", "postal_code": "30-001", "city": "Kraków", "teryt": "1261",
         "description_pl": "Firma testowa."}
    if cluster:
        f["cluster"] = str(cluster)
    f.update(extra)
    return f


def mail_link(to, path, count=1):
    msgs = W.sink.wait(to, count)
    for m in reversed(msgs):
        link = kt.link_in(m, path)
        if link:
            return link
    raise AssertionError("no %s link mailed to %s (%d messages)" % (path, to, len(msgs)))


def token_of(link, name="token"):
    return urllib.parse.parse_qs(urllib.parse.urlparse(link).query)[name][0]


# ---------------------------------------------------------------- the matrix
#
# An entry: the route (as `klaster routes` prints it), the roles allowed,
# the answer an allowed role gets (status and, for redirects, the start of
# Location), and cell(role) → (client, path, fields, effect) where effect()
# tells after the request whether the change was made.  For a denied role
# the change must not have happened.  audit: an allowed request writes an
# audit entry.  deny: the answer of a refused request.

class Route:
    def __init__(self, path, allowed, status, cell, location=None, deny=403, audit=True, raw=None):
        self.path = path
        self.allowed = set(ROLES) if allowed == "all" else set(allowed)
        self.status = status
        self.cell = cell
        self.location = location
        self.deny = deny
        self.audit = audit


MATRIX = []


def route(path, allowed, status, location=None, **kw):
    def reg(fn):
        MATRIX.append(Route(path, allowed, status, fn, location, **kw))
        return fn
    return reg


def changed(getter, want):
    return lambda: getter() == want


def public(path, changed, after):
    """The change as visitors see it: warms the response cache with the
    page first (it must answer 200, or 404 for a page not public yet), then
    the effect is changed() and the page must answer `after` exactly when
    the change was made — a cached copy must not outlive it."""
    before = 404 if after == 200 else 200
    st = kt.request(W.srv.port, "GET", path)[0]
    if st != before:
        raise AssertionError("%s answers %s to visitors before the request, want %s" % (path, st, before))

    def effect():
        done = changed()
        st2 = kt.request(W.srv.port, "GET", path)[0]
        if st2 != (after if done else before):
            return "%s answers %s to visitors after the request (changed: %s)" % (path, st2, done)
        return done
    return effect


MOD = ("coord_a", "admin")              # the coordinator of the item's cluster, and administrators
WRITERS = ("coord_a", "coord_b", "admin")
EDITORS = ("editor", "editor_b", "admin")


@route("/api/v1/organisations", (), None, deny=401)
def api_org_post(r):
    before = q("SELECT COUNT(*) FROM organisation")
    body = '{"name": "M API %s", "type": "ngo"}' % r
    return (W.c[r], None, body, lambda: q("SELECT COUNT(*) FROM organisation") != before)


@route("/register", "all", 200)
def register(r):
    email = "reg-%s@matrix.example" % r.replace("_", "-")
    return (W.c[r], "/register", {"email": email, "name": "M reg", "password": PW},
            lambda: q("SELECT status FROM app_user WHERE email = ?", email) == "pending")


@route("/login", "all", 303, "/")
def login(r):
    # a throw-away session: logging in replaces the client's session
    if r == "visitor":
        c, email = visitor(), "vlogin@matrix.example"
    else:
        c, email = W.t[("t3", r)], "t3-%s@matrix.example" % r.replace("_", "-")
    before = c.cookies.get("ksid")
    return (c, "/login", {"email": email, "password": PW},
            lambda: c.cookies.get("ksid") not in (None, before) and
            q("SELECT COUNT(*) FROM user_session WHERE user_id = ?", uid(email)) >= 1)


@route("/confirm", "all", 303, "/account?done=confirmed")
def confirm(r):
    email = "reg-%s@matrix.example" % r.replace("_", "-")
    token = token_of(mail_link(email, "/confirm"))
    c = visitor() if r == "visitor" else W.t[("t3", r)]
    return (c, "/confirm", {"token": token}, lambda: q("SELECT status FROM app_user WHERE email = ?", email) == "active")


@route("/logout", "all", 303, "/")
def logout(r):
    if r == "visitor":
        return (W.c[r], "/logout", {}, None)
    email = "t1-%s@matrix.example" % r.replace("_", "-")
    u = uid(email)
    return (W.t[("t1", r)], "/logout", {}, lambda: q("SELECT COUNT(*) FROM user_session WHERE user_id = ?", u) == 0)


@route("/forgot", "all", 200)
def forgot(r):
    email = "rt-%s@matrix.example" % r.replace("_", "-")
    u = uid(email)
    return (W.c[r], "/forgot", {"email": email},
            lambda: q("SELECT COUNT(*) FROM auth_token WHERE kind = 'reset' AND user_id = ?", u) == 1)


@route("/reset", "all", 200)
def reset(r):
    email = "rt-%s@matrix.example" % r.replace("_", "-")
    token = token_of(mail_link(email, "/reset"))
    return (W.c[r], "/reset", {"token": token, "password": NEWPW, "password2": NEWPW},
            lambda: q("SELECT password_hash FROM app_user WHERE email = ?", email) != "x")


@route("/account/profile", LOGGED, 303, "/account?done=profile")
def profile(r):
    c = W.c[r]
    email = W.email.get(r)
    name = "M profile %s" % r
    # the change lands on the poster's own account, and on no other
    return (c, "/account/profile", {"name": name},
            lambda: q("SELECT COUNT(*) FROM app_user WHERE name = ?", name) == 1 and
            q("SELECT name FROM app_user WHERE email = ?", email) == name)


@route("/account/password", LOGGED, 303, "/account?done=password")
def password(r):
    email = "t2-%s@matrix.example" % (r.replace("_", "-") if r != "visitor" else "user")
    before = q("SELECT password_hash FROM app_user WHERE email = ?", email)
    c = W.c[r] if r == "visitor" else W.t[("t2", r)]
    return (c, "/account/password", {"current": PW, "password": NEWPW, "password2": NEWPW},
            lambda: q("SELECT password_hash FROM app_user WHERE email = ?", email) != before)


@route("/account/sessions/end", LOGGED, 303, "/account?done=sessions")
def sessions_end(r):
    email = "t2-%s@matrix.example" % (r.replace("_", "-") if r != "visitor" else "user")
    u = uid(email)
    c = W.c[r] if r == "visitor" else W.t[("t2", r)]
    before = q("SELECT COUNT(*) FROM audit_log WHERE action = 'sessions-end' AND user_id = ?", u)
    return (c, "/account/sessions/end", {},
            lambda: q("SELECT COUNT(*) FROM audit_log WHERE action = 'sessions-end' AND user_id = ?", u) == before + 1)


@route("/account/delete", LOGGED, 200)
def delete(r):
    email = "t2-%s@matrix.example" % (r.replace("_", "-") if r != "visitor" else "user")
    c = W.c[r] if r == "visitor" else W.t[("t2", r)]
    return (c, "/account/delete", {"current": NEWPW}, lambda: uid(email) is None)


@route("/admin/users/role", ("admin",), 303, "/admin/users?done=1")
def users_role(r):
    u = uid("ru-%s@matrix.example" % r.replace("_", "-"))
    return (W.c[r], "/admin/users/role", {"user": str(u), "role": "editor", "org": str(W.orgA), "cluster": ""},
            lambda: q("SELECT role FROM app_user WHERE id = ?", u) == "editor")


@route("/admin/users/block", ("admin",), 303, "/admin/users?done=blocked")
def users_block(r):
    u = uid("bk-%s@matrix.example" % r.replace("_", "-"))
    return (W.c[r], "/admin/users/block", {"user": str(u)},
            lambda: q("SELECT blocked_at FROM app_user WHERE id = ?", u) is not None)


@route("/admin/users/unblock", ("admin",), 303, "/admin/users?done=unblocked")
def users_unblock(r):
    u = uid("ub-%s@matrix.example" % r.replace("_", "-"))
    return (W.c[r], "/admin/users/unblock", {"user": str(u)},
            lambda: q("SELECT blocked_at FROM app_user WHERE id = ?", u) is None)


def entry_fields(base, r, title):
    later = (W.today + datetime.timedelta(days=60)).isoformat()
    if base == "offer":
        f = {"kind": "supply", "title": title, "description": "Opis.", "valid_from": W.today.isoformat(),
             "valid_until": later, "contact_name": "Jan Test", "contact_email": "jan@matrix.example"}
    else:
        f = {"category": "training", "title": title, "description": "Opis.", "price_model": "hourly",
             "contact_name": "Jan Test", "contact_email": "jan@matrix.example"}
    if r == "admin":
        f["org"] = str(W.orgA)
    return f


@route("/offers/new", EDITORS, 303, "/offers/mine?done=created")
def offer_new(r):
    title = "M new offer %s" % r
    return (W.c[r], "/offers/new", entry_fields("offer", r, title), lambda: W.offer(title) is not None)


@route("/offers/edit/*", ("editor", "admin"), 303, "/offers/")
def offer_edit(r):
    oid = W.offer("M offer edit %s" % r)
    title = "M offer edited %s" % r
    return (W.c[r], "/offers/edit/%s" % oid, entry_fields("offer", r, title),
            lambda: q("SELECT title FROM offer WHERE id = ?", oid) == title)


@route("/offers/withdraw/*", ("editor", "admin"), 303, "/offers/mine?done=withdrawn")
def offer_withdraw(r):
    oid = W.offer("M offer withdraw %s" % r)
    return (W.c[r], "/offers/withdraw/%s" % oid, {"confirm": "1"},
            public("/offers/%s" % oid, lambda: q("SELECT status FROM offer WHERE id = ?", oid) == "withdrawn", 404))


def messages():
    return q("SELECT COUNT(*) FROM offer_message")


@route("/offers/interest/*", LOGGED, 303, "/offers/")
def offer_interest(r):
    oid = W.offer("M public offer")
    u = uid(W.email[r]) if r != "visitor" else -1
    count = lambda: q("SELECT COUNT(*) FROM offer_message WHERE offer_id = ? AND user_id = ? AND to_owner = 1", oid, u)
    before = count()
    return (W.c[r], "/offers/interest/%s" % oid, {"message": "M interest from %s" % r}, lambda: count() == before + 1)


@route("/admin/offers/approve", MOD, 303, "/admin/offers?done=approved")
def offer_approve(r):
    oid = W.offer("M offer approve %s" % r)
    return (W.c[r], "/admin/offers/approve", {"base": "offer", "id": str(oid)},
            public("/offers/%s" % oid, lambda: q("SELECT status FROM offer WHERE id = ?", oid) == "approved", 200))


@route("/admin/offers/reject", MOD, 303, "/admin/offers?done=rejected")
def offer_reject(r):
    oid = W.offer("M offer reject %s" % r)
    return (W.c[r], "/admin/offers/reject", {"base": "offer", "id": str(oid), "note": "M note"},
            public("/offers/%s" % oid, lambda: q("SELECT status FROM offer WHERE id = ?", oid) == "rejected", 404))


@route("/services/new", EDITORS, 303, "/offers/mine?done=created")
def service_new(r):
    title = "M new service %s" % r
    return (W.c[r], "/services/new", entry_fields("service", r, title), lambda: W.service(title) is not None)


@route("/services/edit/*", ("editor", "admin"), 303, "/services/")
def service_edit(r):
    sid = W.service("M service edit %s" % r)
    title = "M service edited %s" % r
    return (W.c[r], "/services/edit/%s" % sid, entry_fields("service", r, title),
            lambda: q("SELECT title FROM service WHERE id = ?", sid) == title)


@route("/services/withdraw/*", ("editor", "admin"), 303, "/offers/mine?done=withdrawn")
def service_withdraw(r):
    sid = W.service("M service withdraw %s" % r)
    return (W.c[r], "/services/withdraw/%s" % sid, {"confirm": "1"},
            public("/services/%s" % sid, lambda: q("SELECT status FROM service WHERE id = ?", sid) == "withdrawn", 404))


@route("/services/interest/*", LOGGED, 303, "/services/")
def service_interest(r):
    sid = W.service("M public service")
    u = uid(W.email[r]) if r != "visitor" else -1
    count = lambda: q("SELECT COUNT(*) FROM offer_message WHERE service_id = ? AND user_id = ? AND to_owner = 1", sid, u)
    before = count()
    return (W.c[r], "/services/interest/%s" % sid, {"message": "M interest from %s" % r}, lambda: count() == before + 1)


@route("/offers/reply", "all", 200)
def offer_reply(r):
    # the "I am interested" mails of the two public entries hold the reply links
    if not hasattr(W, "reply_tokens"):
        links = []
        for to in ("contact-offer@matrix.example", "contact-service@matrix.example"):
            for m in W.sink.wait(to, 6):
                link = kt.link_in(m, "/offers/reply")
                if link:
                    links.append(token_of(link))
        W.reply_tokens = links
    token = W.reply_tokens[ROLES.index(r)]
    before = messages()
    return (W.c[r], "/offers/reply", {"token": token, "message": "M reply by %s" % r},
            lambda: messages() == before + 1)


@route("/news/new", WRITERS, 303, "/news/")
def news_new(r):
    title = "M new article %s" % r
    f = {"title": title, "lead": "", "body": "Treść.", "lang": "pl"}
    if r == "admin":
        f["cluster"] = str(W.A)
    return (W.c[r], "/news/new", f, lambda: W.article(title) is not None)


@route("/news/*/edit", MOD, 303, "/news/")
def news_edit(r):
    aid = W.article("M article edit %s" % r)
    title = "M article edited %s" % r
    return (W.c[r], "/news/%s/edit" % aid, {"title": title, "lead": "", "body": "Nowa treść.", "lang": "pl"},
            lambda: q("SELECT title FROM article WHERE id = ?", aid) == title)


@route("/news/*/publish", MOD, 303, "/news/")
def news_publish(r):
    aid = W.article("M article publish %s" % r)
    return (W.c[r], "/news/%s/publish" % aid, {},
            public("/news/%s" % aid, lambda: q("SELECT status FROM article WHERE id = ?", aid) == "published", 200))


@route("/news/*/unpublish", MOD, 303, "/news/")
def news_unpublish(r):
    aid = W.article("M article unpublish %s" % r)
    return (W.c[r], "/news/%s/unpublish" % aid, {},
            public("/news/%s" % aid, lambda: q("SELECT status FROM article WHERE id = ?", aid) == "draft", 404))


@route("/news/*/delete", MOD, 303, "/admin/news?done=deleted")
def news_delete(r):
    aid = W.article("M article delete %s" % r)
    return (W.c[r], "/news/%s/delete" % aid, {"confirm": "1"},
            public("/news/%s" % aid, lambda: q("SELECT COUNT(*) FROM article WHERE id = ?", aid) == 0, 404))


@route("/news/*/comments", LOGGED, 303, "/news/")
def news_comment(r):
    aid = W.comment_article
    wait = 3.3 - (time.time() - W.stamp_time)
    if wait > 0:
        time.sleep(wait)
    u = uid(W.email[r]) if r != "visitor" else -1
    count = lambda: q("SELECT COUNT(*) FROM article_comment WHERE article_id = ? AND user_id = ?", aid, u)
    before = count()
    return (W.c[r], "/news/%s/comments" % aid, {"stamp": W.stamp.get(r, ""), "website": "", "body": "M comment by %s" % r},
            lambda: count() == before + 1)


@route("/admin/comments/*", MOD, 303, "/admin/comments?status=pending&done=1")
def comment_moderate(r):
    cid = q("SELECT id FROM article_comment WHERE body = ?", "M comment %s" % r)
    return (W.c[r], "/admin/comments/%s" % cid, {"decision": "approved", "from": "pending"},
            lambda: q("SELECT status FROM article_comment WHERE id = ?", cid) == "approved")


@route("/newsletter", "all", 200)
def nl_subscribe(r):
    email = "nl-%s@matrix.example" % r.replace("_", "-")
    return (W.c[r], "/newsletter", {"email": email, "consent": "1", "consent_version": W.consent},
            lambda: q("SELECT status FROM newsletter_subscriber WHERE email = ?", email) == "pending")


@route("/newsletter/confirm", "all", 200)
def nl_confirm(r):
    email = "nl-%s@matrix.example" % r.replace("_", "-")
    token = token_of(mail_link(email, "/newsletter/confirm"))
    return (W.c[r], "/newsletter/confirm", {"token": token},
            lambda: q("SELECT status FROM newsletter_subscriber WHERE email = ?", email) == "confirmed")


@route("/admin/newsletter/new", WRITERS, 303, "/admin/newsletter/campaign/")
def nl_new(r):
    subject = "M new campaign %s" % r
    return (W.c[r], "/admin/newsletter/new", {"subject": subject, "intro": "Wstęp.", "lang": "pl"},
            lambda: q("SELECT COUNT(*) FROM newsletter_campaign WHERE subject = ?", subject) == 1)


@route("/admin/newsletter/edit", MOD, 303, "/admin/newsletter/campaign/")
def nl_edit(r):
    cid = W.campaign[("edit", r)]
    subject = "M campaign edited %s" % r
    return (W.c[r], "/admin/newsletter/edit", {"campaign": str(cid), "subject": subject, "intro": "Nowy wstęp.",
                                               "lang": "en"},
            lambda: q("SELECT subject FROM newsletter_campaign WHERE id = ?", cid) == subject)


@route("/admin/newsletter/send", MOD, 303, "/admin/newsletter/campaign/")
def nl_send(r):
    cid = W.campaign[("send", r)]
    return (W.c[r], "/admin/newsletter/send", {"campaign": str(cid), "confirm": "1"},
            lambda: q("SELECT status FROM newsletter_campaign WHERE id = ?", cid) == "sent")


@route("/admin/newsletter/test", MOD, 303, "/admin/newsletter/campaign/")
def nl_test(r):
    cid = W.campaign[("test", r)]
    count = lambda: q("SELECT COUNT(*) FROM mail_queue WHERE kind = ?", "newsletter-test:%d" % cid)
    before = count()
    return (W.c[r], "/admin/newsletter/test", {"campaign": str(cid)},
            lambda: count() == before + 1 and q("SELECT status FROM newsletter_campaign WHERE id = ?", cid) == "draft")


@route("/newsletter/unsubscribe", "all", 200)
def nl_unsubscribe(r):
    # the link of the campaign mail of each role's subscriber (one-click, RFC 8058: no CSRF token)
    email = "nl-%s@matrix.example" % r.replace("_", "-")
    msgs = [m for m in W.sink.wait(email, 3) if m["List-Unsubscribe"]]
    if not msgs:
        raise AssertionError("no campaign mail to %s" % email)
    token = re.search(r"[?&]t=([0-9a-f]+)", str(msgs[0]["List-Unsubscribe"])).group(1)
    return (W.c[r], "/newsletter/unsubscribe?t=" + token, None,
            lambda: q("SELECT status FROM newsletter_subscriber WHERE email = ?", email) == "unsubscribed")


@route("/organisations/new", "all", 303, "/organisations/new?done=1")
def propose(r):
    nip = make_nip(810000000 + 104729 * ROLES.index(r))
    f = company("M proposed by %s" % r, nip)
    if r == "visitor":
        f["proposer_email"] = "visitor@matrix.example"
    return (W.c[r], "/organisations/new", f, lambda: q("SELECT COUNT(*) FROM org_proposal WHERE nip = ?", nip) == 1)


@route("/organisations/*/edit", ("editor", "admin"), 303, "/organisations/")
def org_edit(r):
    # organisation A's profile: its editor and the administrator; a field left out keeps its value
    phone = "+48 12 300 00 %02d" % ROLES.index(r)
    return (W.c[r], "/organisations/%s/edit" % W.orgA, {"phone": phone},
            lambda: q("SELECT phone FROM organisation WHERE id = ?", W.orgA) == phone)


@route("/clusters/*/edit", ("coord_a", "admin"), 303, "/clusters/")
def cluster_edit(r):
    # cluster A's profile: its coordinator and the administrator
    mail = "biuro-%s@matrix.example" % r.replace("_", "-")
    return (W.c[r], "/clusters/%s/edit" % W.A, {"email": mail},
            lambda: q("SELECT email FROM cluster WHERE id = ?", W.A) == mail)


@route("/clusters/*/join", ("editor", "editor_b"), 303, "/clusters/")
def join(r):
    org = {"editor": W.orgA, "editor_b": W.orgB}.get(r)
    u = uid(W.email[r]) if r != "visitor" else -1
    count = lambda: q("SELECT COUNT(*) FROM membership_request WHERE cluster_id = ? AND requested_by = ?", W.C, u)
    return (W.c[r], "/clusters/%s/join" % W.C, {"message": "M join %s" % r}, lambda: count() == 1 and org is not None)


@route("/organisations/proposals/edit", ("user",), 303, "/organisations/new?done=saved")
def own_proposal_edit(r):
    # a pending proposal of the user's account: only its proposer changes it
    pid = W.own_proposal[("edit", r)]
    name = "M own changed by %s" % r
    f = company(name, q("SELECT nip FROM org_proposal WHERE id = ?", pid), W.A)
    f["id"] = str(pid)
    return (W.c[r], "/organisations/proposals/edit", f,
            lambda: q("SELECT name FROM org_proposal WHERE id = ?", pid) == name)


@route("/organisations/proposals/withdraw", ("user",), 303, "/organisations/new?done=withdrawn")
def own_proposal_withdraw(r):
    pid = W.own_proposal[("withdraw", r)]
    return (W.c[r], "/organisations/proposals/withdraw", {"id": str(pid), "confirm": "1"},
            lambda: q("SELECT COUNT(*) FROM org_proposal WHERE id = ?", pid) == 0)


@route("/admin/companies/approve", MOD, 303, "/admin/companies?done=approved")
def prop_approve(r):
    pid = W.proposal[("approve", r)]
    return (W.c[r], "/admin/companies/approve", {"id": str(pid)},
            lambda: q("SELECT status FROM org_proposal WHERE id = ?", pid) == "approved")


@route("/admin/companies/reject", MOD, 303, "/admin/companies?done=rejected")
def prop_reject(r):
    pid = W.proposal[("reject", r)]
    return (W.c[r], "/admin/companies/reject", {"id": str(pid), "reason": "M reason"},
            lambda: q("SELECT status FROM org_proposal WHERE id = ?", pid) == "rejected")


def request_id(what, r):
    return q("SELECT id FROM membership_request WHERE cluster_id = ? AND org_id = ?", W.A, W.request_org[(what, r)])


@route("/admin/companies/accept", MOD, 303, "/admin/companies?done=accepted")
def req_accept(r):
    rid = request_id("accept", r)
    return (W.c[r], "/admin/companies/accept", {"id": str(rid)},
            lambda: q("SELECT status FROM membership_request WHERE id = ?", rid) == "accepted")


@route("/admin/companies/decline", MOD, 303, "/admin/companies?done=declined")
def req_decline(r):
    rid = request_id("decline", r)
    return (W.c[r], "/admin/companies/decline", {"id": str(rid), "reason": "M reason"},
            lambda: q("SELECT status FROM membership_request WHERE id = ?", rid) == "declined")


@route("/admin/members/end", MOD, 303, "/admin/members?cluster=")
def member_end(r):
    org = W.member_to_end[r]
    return (W.c[r], "/admin/members/end", {"cluster": str(W.A), "org": str(org), "confirm": "1"},
            lambda: q("SELECT left_on FROM membership WHERE cluster_id = ? AND org_id = ?", W.A, org) is not None)


@route("/admin/members/add", MOD, 303, "/admin/members?cluster=")
def member_add(r):
    org = W.org_to_add[r]
    return (W.c[r], "/admin/members/add", {"cluster": str(W.A), "org": "#%d" % org},
            lambda: q("SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ? AND left_on IS NULL",
                      W.A, org) == 1)


STATS = "region,industry,year,employment\n02,C,2020,10\n04,C,2020,5\n02,F,2020,3\n04,F,2020,7\n"


def stored_dataset(name, firms=False):
    """A dataset (or firm list) of that name imported from the command line, for one cell to delete."""
    path = os.path.join(kt.WORK, "matrix-%s.csv" % name)
    with open(path, "w") as f:
        f.write("id,name,industry,lat,lon\n1,A,C,52.2,21.0\n" if firms else STATS)
    r = kt.cli(W.db, "import", "firms" if firms else "stats", path, "--dataset", name)
    if r.returncode != 0:
        raise RuntimeError("import %s: %s" % (name, r.stderr))


@route("/admin/datasets", ("admin",), 303, "/admin/datasets?stored=")
def dataset_upload(r):
    name = "m-up-%s" % r.replace("_", "-")
    # a form with a file: sent as multipart/form-data (run_cell)
    return (W.c[r], "/admin/datasets", ("multipart", {"name": name}, {"file": ("m.csv", STATS.encode())}),
            lambda: q("SELECT COUNT(*) FROM dataset WHERE name = ?", name) == 1)


@route("/admin/datasets/*/delete", ("admin",), 303, "/admin/datasets")
def dataset_delete(r):
    name = "m-del-%s" % r.replace("_", "-")
    stored_dataset(name)
    return (W.c[r], "/admin/datasets/%s/delete" % name, {"confirm": "1"},
            lambda: q("SELECT COUNT(*) FROM dataset WHERE name = ?", name) == 0)


@route("/admin/firm-lists/*/delete", ("admin",), 303, "/admin/datasets")
def firm_list_delete(r):
    name = "m-fdel-%s" % r.replace("_", "-")
    stored_dataset(name, firms=True)
    return (W.c[r], "/admin/firm-lists/%s/delete" % name, {"confirm": "1"},
            lambda: q("SELECT COUNT(*) FROM firm_dataset WHERE name = ?", name) == 0)


# ---------------------------------------------------------------- running it

def ask_first(rt, r, c, path, fields, effect):
    """A destructive action (its fields carry confirm=1) asks first: the same
    request without confirm=1 answers an allowed role with the page that asks
    — a form posting the same fields and confirm=1 — and changes nothing; a
    refused role is refused before anything is asked.  The problems found."""
    why = []
    bare = {k: v for k, v in fields.items() if k != "confirm"}
    a0 = audit_count()
    st, _, text = post(c, path, bare)
    done = effect() if effect else None
    if r in rt.allowed:
        f = [f for f in c.forms(text) if f["action"] == path and f["fields"].get("confirm") == "1"]
        if st != 200 or not f:
            why.append("without confirm=1: status %s and %s confirmation form" % (st, "a" if f else "no"))
        elif any(f[0]["fields"].get(k) != v for k, v in bare.items()):
            why.append("the confirmation form does not carry the request's fields: %s" % f[0]["fields"])
    elif st != rt.deny:
        why.append("without confirm=1: status %s, want %s" % (st, rt.deny))
    if done is True or isinstance(done, str):
        why.append("without confirm=1 the change was made (%s)" % done)
    if audit_count() != a0:
        why.append("without confirm=1 an audit entry was written")
    return why


def run_cell(rt, r):
    """One request of role r on route rt: (status, passed, why)."""
    c, path, fields, effect = rt.cell(r)
    first = ask_first(rt, r, c, path, fields, effect) if isinstance(fields, dict) and "confirm" in fields else []
    a0 = audit_count()
    if path is None:
        # the token API: a JSON body and the client's cookies, no Bearer token
        st, h, body = kt.request(W.srv.port, "POST", "/api/v1/organisations", body=fields.encode(),
                                 headers=c._headers({"Content-Type": "application/json"}))
        text = body.decode("utf-8", "replace")
    elif fields is None:
        st, h, text = c.post(path, {}, raw="List-Unsubscribe=One-Click")
    elif isinstance(fields, tuple) and fields[0] == "multipart":
        # an upload: the form's texts (with the CSRF token) and files as multipart/form-data
        b = "----matrixBoundary"
        texts = dict(fields[1], csrf=csrf(c))
        body = b"".join(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode()
                        for k, v in texts.items())
        body += b"".join(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n\r\n"
                          % (b, k, fn)).encode() + data + b"\r\n" for k, (fn, data) in fields[2].items())
        body += ("--%s--\r\n" % b).encode()
        st, h, text = c.post(path, None, raw=body, headers={"Content-Type": "multipart/form-data; boundary=" + b})
    else:
        st, h, text = post(c, path, fields)
    a1 = audit_count()
    done = effect() if effect else None
    allowed = r in rt.allowed
    why = list(first)
    if isinstance(done, str):
        why.append(done)
        done = None
    if allowed:
        if st != rt.status:
            why.append("status %s, want %s: %s" % (st, rt.status, " ".join(kt.text_of(text).split())[:300]))
        if rt.location and not h.get("location", "").startswith(rt.location):
            why.append("Location %r, want %s…" % (h.get("location"), rt.location))
        if done is False:
            why.append("the change was not made")
        if rt.audit and done is not None and a1 <= a0:
            why.append("no audit entry")
    else:
        if st != rt.deny:
            why.append("status %s, want %s: %s" % (st, rt.deny, " ".join(kt.text_of(text).split())[:300]))
        if done:
            why.append("the change was made")
        if a1 != a0:
            why.append("an audit entry was written")
    return st, not why, "; ".join(why)


def test_routes():
    listed = [l.split("\t") for l in kt.cli(None, "routes").stdout.splitlines() if l.strip()]
    posts = [p for m, p, *_ in listed if m == "POST"]
    ok(len(posts) >= 40, "klaster routes lists the POST routes (%d)" % len(posts))
    known = {rt.path for rt in MATRIX}
    for p in posts:
        ok(p in known, "route %s has a matrix entry" % p, "route %s has no matrix entry" % p)
    for p in sorted(known - set(posts)):
        ok(False, "matrix entry %s is a POST route" % p, "no such POST route in `klaster routes`")
    return [rt for rt in MATRIX if rt.path in posts]


def test_matrix(routes):
    W.consent = kt.Forms(W.c["visitor"].get("/newsletter")[2]).forms[0]["fields"].get("consent_version", "")
    table = []
    failures = 0
    for rt in routes:
        row = []
        for r in ROLES:
            try:
                st, passed, why = run_cell(rt, r)
            except Exception as ex:  # a set-up that failed is this cell's failure
                st, passed, why = "E", False, "%s: %s" % (type(ex).__name__, ex)
            allowed = r in rt.allowed
            ok(passed, "POST %s as %s: %s" % (rt.path, SHORT[r], "allowed" if allowed else "refused"), why)
            failures += not passed
            row.append(("%s%s%s" % ("+" if allowed else "", st, "" if passed else "!")))
        table.append((rt.path, row))
    width = max(len(p) for p, _ in table)
    diag("")
    diag("authorisation matrix (+ = allowed by the rules, ! = unexpected; status answered)")
    diag("%-*s  %s" % (width, "POST route", " ".join("%-9s" % SHORT[r] for r in ROLES)))
    for p, row in table:
        diag("%-*s  %s" % (width, p, " ".join("%-9s" % c for c in row)))
    diag("")
    return failures


def test_demotion():
    """A role taken away works at once on the live session: the sessions
    hold no role, every request reads the account."""
    u = uid(W.email["coord_a"])
    st, _, _ = post(W.c["admin"], "/admin/users/role", {"user": str(u), "role": "user", "org": "", "cluster": ""})
    eq(st, 303, "the administrator makes cluster A's coordinator a plain user")
    st, _, _ = post(W.c["coord_a"], "/news/new", {"title": "M after demotion", "lead": "", "body": "x", "lang": "pl"})
    ok(st == 403 and W.article("M after demotion") is None, "the demoted coordinator's live session: POST /news/new 403",
       st)
    st, _, _ = W.c["coord_a"].get("/admin")
    eq(st, 403, "and GET /admin 403")


def test_api_token():
    """The token API is refused to every session above; an administrator's
    token is what it takes (and the change is audited)."""
    r = kt.cli(W.db, "user", "token", W.email["admin"])
    token = r.stdout.strip().splitlines()[-1] if r.returncode == 0 else ""
    before = q("SELECT COUNT(*) FROM organisation")
    a0 = audit_count()
    st, h, body = kt.request(W.srv.port, "POST", "/api/v1/organisations",
                             body='{"name": "M API organisation", "type": "ngo", "nip": "%s"}' % make_nip(555000111),
                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    ok(st == 201 and q("SELECT COUNT(*) FROM organisation") == before + 1,
       "POST /api/v1/organisations with an administrator's API token: 201 and the organisation is added",
       (st, body[:300]))
    ok(audit_count() > a0, "the token API's change is in the audit log", audit_count() - a0)
    st, _, _ = kt.request(W.srv.port, "POST", "/api/v1/organisations", body="{}",
                          headers={"Content-Type": "application/json", "Authorization": "Bearer " + "0" * 64})
    eq(st, 401, "an unknown API token: 401")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    start = time.time()
    W.db = kt.database(args.backend, "matrix")
    W.sql = ktdb.Db(W.db)
    W.sink = kt.SmtpSink()
    W.srv = kt.Server(W.db, "matrix-" + args.backend, "--smtp-url", W.sink.url)
    try:
        routes = kt.section(test_routes) or []
        t0 = time.time()
        fixtures(args.backend)
        diag("fixtures: %.1f s" % (time.time() - t0))
        t0 = time.time()
        kt.section(test_matrix, routes)
        diag("matrix: %.1f s" % (time.time() - t0))
        kt.section(test_demotion)
        kt.section(test_api_token)
        ok(kt.request(W.srv.port, "GET", "/healthz")[0] == 200, "the server still answers")
    finally:
        W.srv.clean_exit()
        W.sink.stop()
        W.sql.close()
    diag("%s: %.1f s" % (args.backend, time.time() - start))
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
