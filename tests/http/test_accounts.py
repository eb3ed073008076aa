#!/usr/bin/env python3
"""Accounts, sessions, CSRF, rate limits, the audit log and the mail queue,
against real servers and a real SMTP server on loopback.

    python3 tests/http/test_accounts.py --backend sqlite|postgres
"""
import argparse
import os
import re
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

PW = "correct horse battery"
ADMIN = "admin@portal.example"


def sql(db, statement):
    """Runs one statement directly on the database (test set-up and time travel)."""
    if db.startswith("sqlite:"):
        con = sqlite3.connect(db[7:])
        con.execute(statement)
        con.commit()
        con.close()
    else:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", db, "-c", statement], check=True,
                       capture_output=True, timeout=30)


def test_register(srv, sink, db):
    c = kt.Client(srv.port)
    st, h, text = c.get("/register")
    eq(st, 200, "register page")
    ok("kcsrf=" in h.get("set-cookie", "") and "HttpOnly" in h.get("set-cookie", "") and
       "SameSite=Lax" in h.get("set-cookie", ""), "a visitor's form sets an HttpOnly SameSite=Lax CSRF cookie",
       h.get("set-cookie"))
    # bad input: the message names the field, the values stay, nothing is written
    st, _, text = c.submit("/register", "/register", {"email": "not-an-address", "name": "Ala", "password": PW})
    ok(st == 400 and "email" in text and 'value="not-an-address"' in text and 'value="Ala"' in text,
       "a bad address is refused with 400, naming the field and keeping the values", (st, text[:400]))
    ok(re.search(r'<input id="f-email"[^>]*aria-invalid="true"', text) and
       not re.search(r'<input id="f-name"[^>]*aria-invalid', text), "  the address field, and it alone, is marked invalid")
    pl = kt.Client(srv.port, lang="pl")
    st, _, text = pl.submit("/register", "/register", {"email": "not-an-address", "name": "Ala", "password": PW})
    ok(st == 400 and "email: musi zawierać @, jak w imie@example.pl" in text,
       "  on the Polish page the message is Polish", kt.text_of(text)[:300])
    st, _, text = c.submit("/register", "/register", {"email": "ala@portal.example", "password": "short"})
    ok(st == 400 and "password" in text and "10" in text, "a short password is refused naming the rule", st)
    # register, then the confirmation arrives by SMTP
    st, _, text = c.submit("/register", "/register", {"email": "Ala@Portal.example", "name": "Ala Kowalska",
                                                      "password": PW})
    eq(st, 200, "register")
    msgs = sink.wait("ala@portal.example")
    ok(len(msgs) == 1, "the confirmation e-mail arrives over SMTP", len(msgs))
    link = kt.link_in(msgs[0], "/confirm") if msgs else None
    ok(link and re.match(r"^/confirm\?token=[0-9a-f]{64}$", link), "it holds a single-use link", link)
    # not confirmed yet: no login
    c2 = kt.Client(srv.port)
    st, _, text = c2.submit("/login", "/login", {"email": "ala@portal.example", "password": PW})
    ok(st == 401 and "confirm" in text, "no login before the address is confirmed", (st, text[:300]))
    # the same answer for an address that has an account; its owner is told
    c3 = kt.Client(srv.port)
    st, _, text2 = c3.submit("/register", "/register", {"email": "ala@portal.example", "password": PW + "x"})
    ok(st == 200 and "sent" in text2, "registering a taken address answers the same", st)
    got = sink.wait("ala@portal.example", 2)
    ok(len(got) == 2 and "already exists" in kt.body_of(got[1]), "and mails the owner instead", len(got))
    # GET shows a button and spends nothing; POST confirms and logs in
    st, _, text = c.get(link)
    ok(st == 200 and c.form("/confirm") is not None, "the link opens a page with a confirm button", st)
    st, _, text = c.get(link)
    eq(st, 200, "opening it twice spends nothing")
    st, h, _ = c.submit(link, "/confirm", {})
    ok(st == 303 and h.get("location", "").startswith("/account"), "confirming logs in", (st, h.get("location")))
    ok("ksid" in c.cookies, "a session cookie is set")
    st, _, text = c.get("/account")
    ok(st == 200 and "ala@portal.example" in text and "Ala Kowalska" in text, "my account page", st)
    # the link is single-use
    c4 = kt.Client(srv.port)
    st, _, _ = c4.get(link)
    eq(st, 410, "a used link is gone")
    st, _, _ = c4.post("/confirm", {"csrf": c4.csrf(), "token": link.split("=")[1]})
    eq(st, 410, "and cannot be posted again")
    return c


def test_login(srv, db):
    c = kt.Client(srv.port)
    st, _, _ = c.get("/account")
    ok(st == 303, "a visitor is sent to the login page", st)
    c.get("/login")
    before = c.cookies.get("kcsrf")
    st, h, text = c.submit("/login", "/login", {"email": ADMIN, "password": "wrong password!"})
    ok(st == 401 and "wrong e-mail address or password" in text, "a wrong password is refused", st)
    st, h, text = c.submit("/login", "/login", {"email": "nobody@portal.example", "password": PW})
    ok(st == 401 and "wrong e-mail address or password" in text, "an unknown address gets the same answer", st)
    st, h, _ = c.submit("/login?next=/admin", "/login", {"email": ADMIN, "password": PW})
    ok(st == 303 and h.get("location") == "/admin", "login returns to next", (st, h.get("location")))
    cookie = h.get("set-cookie", "")
    ok("ksid=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie,
       "the session cookie is HttpOnly and SameSite=Lax (no Secure over plain HTTP)", cookie)
    sid1 = c.cookies.get("ksid")
    # a logged-in visitor is never served a cached page
    st, _, text = c.get("/")
    ok(st == 200 and "Log out" in text, "pages show the logged-in user", st)
    # log in again: a new session token (rotation); the old one no longer works
    st, h, _ = c.post("/login", {"csrf": c.csrf("/account"), "email": ADMIN, "password": PW})
    sid2 = c.cookies.get("ksid")
    ok(sid1 and sid2 and sid1 != sid2, "logging in rotates the session token")
    old = kt.Client(srv.port)
    old.cookies["ksid"] = sid1
    st, _, _ = old.get("/account")
    eq(st, 303, "the previous session token is dead")
    # open redirect guard
    c5 = kt.Client(srv.port)
    st, h, _ = c5.submit("/login?next=//evil.example/", "/login", {"email": ADMIN, "password": PW})
    ok(st == 303 and h.get("location") == "/", "next=//host is not followed", h.get("location"))
    for evil in ("/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example", "/%20/evil.example"):
        c6 = kt.Client(srv.port)
        st, h, _ = c6.submit("/login?next=" + evil, "/login", {"email": ADMIN, "password": PW})
        ok(st == 303 and h.get("location") == "/", "login: next=%s is not followed" % evil, h.get("location"))
        st, h, _ = c6.get("/login?next=" + evil)
        ok(st == 303 and h.get("location") == "/", "logged in, /login?next=%s is not followed" % evil,
           (st, h.get("location")))
    # logout needs the CSRF token too, and ends the session
    st, _, _ = c5.post("/logout", {})
    eq(st, 403, "logout without a CSRF token is refused")
    sid = c5.cookies.get("ksid")
    st, h, _ = c5.submit("/account", "/logout", {})
    ok(st == 303 and "ksid=;" in h.get("set-cookie", ""), "logout deletes the cookie", h.get("set-cookie"))
    gone = kt.Client(srv.port)
    gone.cookies["ksid"] = sid
    st, _, _ = gone.get("/account")
    eq(st, 303, "and the session is ended on the server")
    return c


def test_secure_cookie(db):
    s = kt.Server(db, "proxy", "--trust-proxy", "1")
    try:
        c = kt.Client(s.port)
        st, h, _ = c.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        ok("Secure" in h.get("set-cookie", ""), "behind a TLS proxy cookies are Secure", h.get("set-cookie"))
    finally:
        s.stop()


def test_csrf(srv, admin):
    routes = [l.split("\t") for l in kt.cli(None, "routes").stdout.splitlines()]
    forms = [(m, p) for m, p, f in routes if m == "POST" and "form" in f.split(",")]
    ok(len(forms) >= 10, "the route table lists the form routes", len(forms))
    bad = []
    for _, p in forms:
        path = p.replace("*", "1")
        # logged in, but no token; then a token of another visitor; then a foreign Origin
        st, _, _ = admin.post(path, {"x": "1"})
        if st != 403:
            bad.append((path, "no token", st))
        st, _, _ = admin.post(path, {"csrf": "0" * 64})
        if st != 403:
            bad.append((path, "wrong token", st))
    ok(not bad, "every form POST without a valid CSRF token is refused with 403 (%d routes)" % len(forms), bad)
    token = admin.csrf("/account")
    st, _, _ = admin.post("/account/profile", {"csrf": token, "name": "Admin"},
                          headers={"Origin": "http://evil.example"})
    eq(st, 403, "a valid token from a foreign Origin is refused")
    st, _, _ = admin.post("/account/profile", {"csrf": token, "name": "Admin"},
                          headers={"Origin": "http://127.0.0.1:%d" % srv.port})
    eq(st, 303, "the same request from this site's Origin works")
    st, _, _ = admin.post("/account/profile", {"csrf": token}, raw='{"name":"x"}',
                          headers={"Content-Type": "application/json"})
    eq(st, 415, "a form route refuses a JSON body")
    st, _, _ = admin.post("/account/profile", {}, raw="csrf=%s&name=a%%00b" % token)
    eq(st, 400, "a NUL byte in a field is refused")


def test_forgot_reset(srv, sink, db):
    c = kt.Client(srv.port)
    st, _, t1 = c.submit("/forgot", "/forgot", {"email": "ala@portal.example"})
    st2, _, t2 = c.submit("/forgot", "/forgot", {"email": "nobody-here@portal.example"})
    strip = lambda t: re.sub(r'value="[0-9a-f]{64}"', "", t)
    ok(st == st2 == 200 and strip(t1) == strip(t2), "forgot password answers the same for any address")
    st, _, text = c.submit("/forgot", "/forgot", {"email": "not-an-address"})
    ok(st == 400 and 'value="not-an-address"' in text and 'aria-invalid="true"' in text,
       "forgot with a malformed address: 400, what was typed stays, marked", st)
    msgs = sink.wait("ala@portal.example", 3)
    reset = [m for m in msgs if "reset" in str(m["subject"]).lower() or "hasła" in str(m["subject"])]
    ok(len(reset) == 1, "one reset mail", [str(m["subject"]) for m in msgs])
    ok(not sink.messages("nobody-here@portal.example"), "nothing is sent to an unknown address")
    link = kt.link_in(reset[0], "/reset") if reset else None
    ok(link is not None, "the reset mail holds a link", link)
    # a session elsewhere ends when the password is reset
    other = kt.Client(srv.port)
    other.login("ala@portal.example", PW)
    st, _, text = c.submit(link, "/reset", {"password": "new password 42", "password2": "different 4242"})
    ok(st == 400 and "password2" in text, "two different passwords are refused", st)
    st, _, text = c.submit(link, "/reset", {"password": "new password 42", "password2": "new password 42"})
    ok(st == 200 and "Password changed" in text, "reset with the link", st)
    st, _, _ = c.get(link)
    eq(st, 410, "the reset link is single-use")
    st, _, _ = other.get("/account")
    eq(st, 303, "other sessions end at a reset")
    st, _, text = kt.Client(srv.port).submit("/login", "/login", {"email": "ala@portal.example", "password": PW})
    eq(st, 401, "the old password no longer works")
    kt.Client(srv.port).login("ala@portal.example", "new password 42")
    ok(True, "the new one does")
    # an expired link (valid for one hour): made old in the database
    c.submit("/forgot", "/forgot", {"email": "ala@portal.example"})
    msgs = [m for m in sink.wait("ala@portal.example", 4) if "/reset?" in kt.body_of(m)]
    link2 = kt.link_in(msgs[-1], "/reset")
    sql(db, "UPDATE auth_token SET expires_at = created_at + 3600 WHERE kind = 'reset'")
    sql(db, "UPDATE auth_token SET created_at = created_at - 3601, expires_at = expires_at - 3601 WHERE kind = 'reset'")
    st, _, _ = c.get(link2)
    eq(st, 410, "a reset link older than an hour is refused")


def test_rate_limits(srv, sink, db):
    c = kt.Client(srv.port)
    statuses = []
    for i in range(7):
        st, h, _ = c.submit("/login", "/login", {"email": "victim@portal.example", "password": "guess number %d" % i})
        statuses.append(st)
    ok(statuses[:5] == [401] * 5 and statuses[5:] == [429, 429], "login: 5 attempts per address, then 429",
       statuses)
    st, h, _ = c.submit("/login", "/login", {"email": "victim@portal.example", "password": "x" * 12})
    ok(st == 429 and h.get("retry-after"), "429 carries Retry-After", h.get("retry-after"))
    # only failures use up the limit: eight good logins in a row (several devices), then a wrong
    # password still gets its 401, not a 429
    kt.add_user(db, "devices@portal.example", PW, role="user", name="Many devices")
    statuses = []
    for i in range(8):
        st, _, _ = kt.Client(srv.port).submit("/login", "/login", {"email": "devices@portal.example", "password": PW})
        statuses.append(st)
    st, _, _ = kt.Client(srv.port).submit("/login", "/login", {"email": "devices@portal.example",
                                                               "password": "not it at all"})
    ok(statuses == [303] * 8 and st == 401, "login: successful logins do not count toward the limit", (statuses, st))
    statuses = []
    for i in range(5):
        st, _, _ = c.submit("/forgot", "/forgot", {"email": "victim2@portal.example"})
        statuses.append(st)
    ok(statuses[:3] == [200] * 3 and statuses[3:] == [429, 429], "forgot: 3 per address per hour", statuses)


def test_account(srv, sink, db):
    c = kt.Client(srv.port)
    kt.add_user(db, "bob@portal.example", PW, role="user", name="Bob")
    c.login("bob@portal.example", PW)
    other = kt.Client(srv.port)
    other.login("bob@portal.example", PW)
    st, _, text = c.submit("/account", "/account/password", {"current": "wrong one!!", "password": "brand new pass",
                                                             "password2": "brand new pass"})
    ok(st == 400 and "current" in text, "change password needs the current one", st)
    st, h, _ = c.submit("/account", "/account/password", {"current": PW, "password": "brand new pass",
                                                          "password2": "brand new pass"})
    eq(st, 303, "change password")
    st, _, _ = c.get("/account")
    eq(st, 200, "this session stays")
    st, _, _ = other.get("/account")
    eq(st, 303, "other sessions end")
    st, _, text = c.submit("/account", "/account/profile", {"name": "Bob <b>Bold</b>"})
    st, _, text = c.get("/account")
    ok("Bob &lt;b&gt;Bold&lt;/b&gt;" in text and "<b>Bold" not in text, "the name is shown escaped")
    st, _, text = c.submit("/account", "/account/profile", {"name": "N" * 250})
    ok(st == 400 and 'value="%s"' % ("N" * 250) in text and 'aria-invalid="true"' in text,
       "a name too long: 400, the name as typed stays in the field, marked", st)
    # a plain user cannot reach the administration
    for path in ("/admin", "/admin/users", "/admin/outbox", "/admin/audit"):
        st, _, _ = c.get(path)
        eq(st, 403, "user: GET %s is forbidden" % path)
    st, _, _ = c.submit("/account", "/account/delete", {"current": "not it at all"})
    eq(st, 400, "delete needs the password")
    st, h, text = c.submit("/account", "/account/delete", {"current": "brand new pass"})
    ok(st == 200 and "deleted" in text, "delete my account", st)
    st, _, _ = c.get("/account")
    eq(st, 303, "the session is gone")
    st, _, _ = kt.Client(srv.port).submit("/login", "/login", {"email": "bob@portal.example", "password": "brand new pass"})
    eq(st, 401, "the account is gone")


def test_last_admin(srv, admin, db):
    """The only administrator cannot delete their account (nobody could manage the portal);
    with a second one, they can."""
    st, _, text = admin.submit("/account", "/account/delete", {"current": PW})
    ok(st == 409 and "only administrator" in text, "the only administrator's account is not deleted", st)
    st, _, _ = admin.get("/admin/users")
    eq(st, 200, "  and the administrator is still logged in")
    pl = kt.Client(srv.port, lang="pl")
    pl.login(ADMIN, PW)
    st, _, text = pl.submit("/account", "/account/delete", {"current": PW})
    ok(st == 409 and "jedynego administratora" in text, "  said in Polish on a Polish page", st)
    kt.add_user(db, "admin2@portal.example", PW, role="admin", name="Second")
    two = kt.Client(srv.port)
    two.login("admin2@portal.example", PW)
    st, _, text = two.submit("/account", "/account/delete", {"current": PW})
    ok(st == 200 and "deleted" in text, "an administrator who is not the only one may delete their account", st)


def test_admin(srv, admin, db):
    kt.add_user(db, "carol@portal.example", PW, role="user")
    st, _, text = admin.get("/admin/users?q=carol")
    ok(st == 200 and "carol@portal.example" in text, "admin lists users", st)
    f = [f for f in admin.forms() if f["action"] == "/admin/users/role" and "role" in f["fields"]]
    ok(len(f) == 1, "one role form for the filtered user", len(f))
    st, _, text = admin.post("/admin/users/role", dict(f[0]["fields"], role="editor", org=""))
    ok(st == 400 and "org" in text, "an editor needs an organisation", (st, text[:200]))
    st, _, text = admin.post("/admin/users/role", dict(f[0]["fields"], role="editor", org="999999"))
    ok(st == 400, "an organisation that does not exist is refused", (st, text[:200]))
    st, h, _ = admin.post("/admin/users/role", dict(f[0]["fields"], role="coordinator", cluster="1"))
    eq(st, 303, "admin makes carol a coordinator of cluster 1")
    st, _, text = admin.get("/admin/audit")
    ok(st == 200 and "role" in text and "user → coordinator" in text.replace("&gt;", ">"),
       "the audit log records the role change", st)
    ok("login" in text and "register" in text, "and logins and registrations")
    st, _, text = admin.get("/admin/outbox")
    ok(st == 200, "admin reads the outbox page", st)
    carol = kt.Client(srv.port)
    carol.login("carol@portal.example", PW)
    st, _, text = carol.get("/admin")
    ok(st == 200 and "/admin/users" not in text, "a coordinator gets the panel without the admin-only links", st)
    st, _, _ = carol.get("/admin/users")
    eq(st, 403, "a coordinator cannot manage users")
    st, _, _ = carol.submit("/account", "/admin/users/role", {}) if carol.form("/admin/users/role") else \
        carol.post("/admin/users/role", {"csrf": carol.csrf("/account"), "user": "1", "role": "admin"})
    eq(st, 403, "a coordinator cannot change roles")


def test_outbox(db):
    """With no SMTP server configured, mail lands in the outbox the administrator reads."""
    s = kt.Server(db, "outbox")
    try:
        c = kt.Client(s.port)
        c.submit("/register", "/register", {"email": "dora@portal.example", "password": PW})
        admin = kt.Client(s.port)
        admin.login(ADMIN, PW)
        deadline = time.time() + 10
        text = ""
        while time.time() < deadline:
            st, _, text = admin.get("/admin/outbox")
            if "dora@portal.example" in text and "outbox" in text:
                break
            time.sleep(0.1)
        ok("dora@portal.example" in text, "the confirmation is in the outbox", text[-500:])
        m = re.search(r'href="/admin/outbox/(\d+)"', text)
        st, _, msg = admin.get("/admin/outbox/%s" % m.group(1))
        link = re.search(r"(/confirm\?token=[0-9a-f]{64})", msg)
        ok(st == 200 and link, "the administrator reads the message with its link", st)
        st, _, _ = c.submit(link.group(1), "/confirm", {})
        eq(st, 303, "the flow works without a mail server")
        r = kt.cli(db, "mail", "list")
        ok(r.returncode == 0 and "\toutbox\t" in r.stdout, "klaster mail list shows the queue", r.stdout[-300:])
    finally:
        ok(s.clean_exit(), "outbox server stopped cleanly")


def test_retry(db):
    """An unreachable SMTP server: the message stays queued with the error, and is retried later."""
    port = kt.free_port()
    sql(db, "INSERT INTO mail_queue (created_at, to_addr, subject, body, message_id, kind, next_attempt_at)"
            " VALUES (1, 'eve@portal.example', 'retry me', 'body', '<retry-1@klaster>', 'test', 0)")
    r = kt.cli(db, "mail", "deliver", "--smtp-url", "smtp://127.0.0.1:%d" % port)
    ok(r.returncode == 0 and "0 messages delivered" in r.stdout, "delivery to a closed port delivers nothing",
       r.stdout + r.stderr)
    r = kt.cli(db, "mail", "list")
    line = [l for l in r.stdout.splitlines() if "eve@portal.example" in l]
    ok(line and "\tqueued\t1\t" in line[0] and line[0].split("\t")[-1], "it stays queued with attempts=1 and the error",
       line)
    sink = kt.SmtpSink()
    try:
        r = kt.cli(db, "mail", "deliver", "--smtp-url", sink.url)
        ok("0 messages" in r.stdout, "not before its back-off time", r.stdout)
        sql(db, "UPDATE mail_queue SET next_attempt_at = 0 WHERE message_id = '<retry-1@klaster>'")
        r = kt.cli(db, "mail", "deliver", "--smtp-url", sink.url)
        got = sink.wait("eve@portal.example")
        ok(len(got) == 1 and got[0]["Message-ID"] == "<retry-1@klaster>", "delivered on the retry, with its Message-ID",
           r.stdout + r.stderr)
        ok(str(got[0]["Subject"]) == "retry me", "the subject is intact")
    finally:
        sink.stop()


def test_mail_format(sink):
    msgs = sink.messages("ala@portal.example")
    m = msgs[0]
    ok(m["Message-ID"] and m["Date"] and "noreply" in m["From"], "messages carry From, Date and Message-ID")
    ok(str(m["Subject"]) in ("Confirm your e-mail address", "Potwierdź adres e-mail"), "the subject decodes",
       str(m["Subject"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    start = time.time()
    db = kt.database(args.backend, "accounts")
    kt.add_user(db, ADMIN, PW, role="admin", name="Admin")
    sink = kt.SmtpSink()
    srv = kt.Server(db, "accounts", "--smtp-url", sink.url)
    try:
        kt.section(test_register, srv, sink, db)
        admin = kt.section(test_login, srv, db)
        kt.section(test_secure_cookie, db)
        if admin:
            kt.section(test_csrf, srv, admin)
            kt.section(test_last_admin, srv, admin, db)
            kt.section(test_admin, srv, admin, db)
        kt.section(test_forgot_reset, srv, sink, db)
        kt.section(test_account, srv, sink, db)
        kt.section(test_mail_format, sink)
        kt.section(test_rate_limits, srv, sink, db)
    finally:
        srv.clean_exit()
        sink.stop()
    # with no server running on the database: its mail worker would take
    # the message test_retry puts in the queue
    kt.section(test_retry, db)
    kt.section(test_outbox, db)
    diag("%s: %.1f s" % (args.backend, time.time() - start))
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
