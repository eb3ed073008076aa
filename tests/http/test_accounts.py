#!/usr/bin/env python3
"""Accounts, sessions, CSRF, rate limits, the audit log and the mail queue,
against real servers and a real SMTP server on loopback.

    python3 tests/http/test_accounts.py --backend sqlite|postgres
"""
import argparse
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

PW = "correct horse battery"
ADMIN = "admin@portal.example"


def same_page(a, b):
    """Two answers are the same page, but for the CSRF tokens in their forms."""
    strip = lambda t: re.sub(r'value="[0-9a-f]{64}"', "", t)
    return strip(a) == strip(b)


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
    ok(st == 400 and '<a href="#f-email">Adres e-mail</a>: musi zawierać @, jak w imie@example.pl' in text,
       "  on the Polish page the message is Polish, the field named by its label", kt.text_of(text)[:300])
    st, _, text = c.submit("/register", "/register", {"email": "ala@portal.example", "password": "short"})
    ok(st == 400 and "password" in text and "10" in text, "a short password is refused naming the rule", st)
    # register, then the confirmation arrives by SMTP
    first_pw = PW
    st, _, text1 = c.submit("/register", "/register", {"email": "Ala@Portal.example", "name": "Ala Kowalska",
                                                       "password": first_pw})
    eq(st, 200, "register")
    msgs = sink.wait("ala@portal.example")
    ok(len(msgs) == 1, "the confirmation e-mail arrives over SMTP", len(msgs))
    first = kt.link_in(msgs[0], "/confirm") if msgs else None
    ok(first and re.match(r"^/confirm\?token=[0-9a-f]{64}$", first), "it holds a single-use link", first)
    # not confirmed yet: no login, and the way forward is named
    c2 = kt.Client(srv.port)
    st, _, text = c2.submit("/login", "/login", {"email": "ala@portal.example", "password": first_pw})
    ok(st == 401 and "confirm" in text and "register again" in text, "no login before the address is confirmed",
       (st, text[:300]))
    # GET shows a button and spends nothing; POST confirms and logs in
    st, _, text = c.get(first)
    ok(st == 200 and c.form("/confirm") is not None, "the link opens a page with a confirm button", st)
    st, _, text = c.get(first)
    eq(st, 200, "opening it twice spends nothing")
    st, h, _ = c.submit(first, "/confirm", {})
    ok(st == 303 and h.get("location", "").startswith("/account"), "confirming logs in", (st, h.get("location")))
    ok("ksid" in c.cookies, "a session cookie is set")
    st, _, text = c.get("/account")
    ok(st == 200 and "ala@portal.example" in text and "Ala Kowalska" in text, "my account page", st)
    kt.Client(srv.port).login("ala@portal.example", first_pw)
    link = first
    # confirmed: registering again answers the same; the owner is told the account exists
    st, _, text3 = kt.Client(srv.port).submit("/register", "/register", {"email": "ala@portal.example",
                                                                         "password": PW + "x"})
    ok(st == 200 and same_page(text1, text3), "registering a taken address answers the same", st)
    got = sink.wait("ala@portal.example", 2)
    ok(len(got) == 2 and "already exists" in kt.body_of(got[1]), "and mails the owner instead", len(got))
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


def test_login_timing(srv, db):
    """A password longer than any password can be costs the same hash work for an address with an
    account as for one without: the time of the answer does not tell whether the address exists."""
    kt.add_user(db, "timing@portal.example", PW)
    long_pw = "x" * 300

    def took(addr):
        c = kt.Client(srv.port)
        c.get("/login")
        f = dict(c.form("/login")["fields"], email=addr, password=long_pw)
        t0 = time.time()
        st, _, text = c.post("/login", f)
        return st, time.time() - t0, text

    known = [took("timing@portal.example") for _ in range(3)]
    unknown = [took("nobody-timing@portal.example") for _ in range(3)]
    ok(all(st == 401 and "wrong e-mail address or password" in text for st, _, text in known + unknown),
       "a 300-byte password gets the usual refusal for an address with and without an account",
       [st for st, _, _ in known + unknown])
    fast_known, fast_unknown = min(t for _, t, _ in known), min(t for _, t, _ in unknown)
    ok(fast_known > 0.3 * fast_unknown,
       "  and takes as long for the account as for the unknown address (one password hash each)",
       "account %.3f s, unknown %.3f s" % (fast_known, fast_unknown))


def test_name_rules(srv, db):
    """A name is shown to others, on pages and in the mails the portal relays: registration and
    /account refuse one that holds a line break or another control character, or an invisible
    character that turns the text around it, and keep nothing of it."""
    bad = (("a line break", "Eve\nTo answer, open https://evil.example/reply"),
           ("a carriage return", "Eve\rX"),
           ("a C1 control (NEL)", "Eve\u0085X"),
           ("a right-to-left override", "Eve \u202egnp.exe"),
           ("a direction isolate", "Eve\u2067X"),
           ("a line separator", "Eve\u2028X"))
    pl = kt.Client(srv.port, lang="pl")
    for what, name in bad:
        c = kt.Client(srv.port)
        st, _, text = c.submit("/register", "/register", {"email": "names@portal.example", "name": name,
                                                          "password": PW})
        ok(st == 400 and '<a href="#f-name">Name</a>: control characters are not allowed' in text,
           "register: a name with %s is refused, naming the field" % what, (st, alert_of(text)))
    st, _, text = pl.submit("/register", "/register", {"email": "names@portal.example", "name": bad[3][1],
                                                       "password": PW})
    ok(st == 400 and '<a href="#f-name">Imię i nazwisko</a>: znaki sterujące są niedozwolone' in text,
       "  in Polish on a Polish page", alert_of(text))
    d = ktdb.Db(db)
    ok(not d.rows("SELECT id FROM app_user WHERE email = ?", ("names@portal.example",)), "  and no account is made")
    kt.add_user(db, "names-account@portal.example", PW, name="Ala")
    c = kt.Client(srv.port)
    c.login("names-account@portal.example", PW)
    for what, name in bad:
        st, _, text = c.submit("/account", "/account/profile", {"name": name})
        ok(st == 400 and "control characters are not allowed" in alert_of(text),
           "/account: a name with %s is refused" % what, (st, alert_of(text)))
    eq(d.one("SELECT name FROM app_user WHERE email = ?", ("names-account@portal.example",)), "Ala",
       "  and the name stays as it was")
    st, _, _ = c.submit("/account", "/account/profile", {"name": "Zażółć Gęślą-Jaźń (أحمد)"})
    eq(st, 303, "a name with Polish letters, a hyphen and another script is taken")
    d.close()


def test_secure_cookie(db):
    s = kt.Server(db, "proxy", "--trust-proxy", "1")
    try:
        c = kt.Client(s.port)
        st, h, _ = c.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        ok("Secure" in h.get("set-cookie", ""), "behind a TLS proxy cookies are Secure", h.get("set-cookie"))
    finally:
        s.stop()


def test_session_idle(db):
    """--session-idle ends a session left unused that long; 0 keeps the 14 days alone."""
    r = kt.cli(db, "serve", "--session-idle", "-5")
    ok(r.returncode != 0 and "session-idle must be a number of minutes" in r.stderr,
       "a bad --session-idle is refused, naming the setting and the range", (r.returncode, r.stderr[-300:]))
    s = kt.Server(db, "idle", "--session-idle", "30")
    try:
        c = kt.Client(s.port)
        st, _, _ = c.submit("/login", "/login", {"email": ADMIN, "password": PW})
        eq(st, 303, "log in on a server with a 30-minute idle limit")
        h = c.cookies.get("ksid")
        sid = hashlib.blake2b(h.encode(), digest_size=32).hexdigest() if h else ""
        now = int(time.time())
        sql(db, "UPDATE user_session SET seen_at = %d WHERE token_hash = '%s'" % (now - 29 * 60, sid))
        st, _, _ = c.get("/account")
        eq(st, 200, "used 29 minutes ago: still logged in")
        seen = one(db, "SELECT seen_at FROM user_session WHERE token_hash = '%s'" % sid)
        ok(seen is not None and int(seen) >= now, "  and that use is written down", seen)
        sql(db, "UPDATE user_session SET seen_at = %d WHERE token_hash = '%s'" % (now - 31 * 60, sid))
        st, h2, _ = c.get("/account")
        ok(st == 303 and h2.get("location", "").startswith("/login?next=") and "account" in h2.get("location", ""),
           "unused for 31 minutes: sent to log in, and back afterwards", (st, h2.get("location")))
        if db.startswith("sqlite:"):
            # noting a session's use never waits for another writer (an import holding the lock)
            c.submit("/login", "/login", {"email": ADMIN, "password": PW})
            h = c.cookies.get("ksid")
            sid = hashlib.blake2b(h.encode(), digest_size=32).hexdigest() if h else ""
            sql(db, "UPDATE user_session SET seen_at = %d WHERE token_hash = '%s'" % (int(time.time()) - 600, sid))
            con = sqlite3.connect(db[7:], timeout=30, isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            t0 = time.time()
            try:
                st, _, _ = c.get("/account")
            finally:
                took = time.time() - t0
                con.execute("ROLLBACK")
                con.close()
            ok(st == 200 and took < 5, "  a page of a logged-in visitor while another connection holds the write "
               "lock: served without waiting for it (%.1f s)" % took, (st, took))
    finally:
        s.stop()
    s = kt.Server(db, "noidle", "--session-idle", "0")
    try:
        c = kt.Client(s.port)
        st, _, _ = c.submit("/login", "/login", {"email": ADMIN, "password": PW})
        h = c.cookies.get("ksid")
        sid = hashlib.blake2b(h.encode(), digest_size=32).hexdigest() if h else ""
        sql(db, "UPDATE user_session SET seen_at = %d WHERE token_hash = '%s'" % (int(time.time()) - 10 * 86400, sid))
        st, _, _ = c.get("/account")
        eq(st, 200, "--session-idle 0: a session unused for 10 days lives on (within its 14 days)")
    finally:
        s.stop()


def test_sessions_list(srv, db):
    """/account lists the account's live sessions and ends the others on request."""
    email = "sessions@portal.example"
    kt.add_user(db, email, PW, role="user", name="Sesje")
    here, there = kt.Client(srv.port), kt.Client(srv.port)
    here.login(email, PW)
    st, _, page = here.get("/account")
    ok(st == 200 and "Where you are logged in" in page and "this session" in page
       and "You are not logged in anywhere else." in page and 'action="/account/sessions/end"' not in page,
       "one session: listed as this one, no button to end others", kt.text_of(page)[-400:])
    there.login(email, PW)
    st, _, page = here.get("/account")
    rows = re.findall(r"<tr><td class=\"date\">", page)
    ok(len(rows) == 2 and page.count("this session") == 1 and 'action="/account/sessions/end"' in page,
       "two sessions: both listed, this one marked, a button to log out the other", len(rows))
    st, _, _ = here.post("/account/sessions/end", {})
    eq(st, 403, "ending the other sessions needs the CSRF token")
    st, h, _ = here.submit("/account", "/account/sessions/end", {})
    ok(st == 303 and h.get("location") == "/account?done=sessions", "the other sessions are logged out (303)",
       (st, h.get("location")))
    st, _, _ = there.get("/account")
    eq(st, 303, "  the other computer is sent to log in")
    st, _, page = here.get("/account?done=sessions")
    ok(st == 200 and "Your other sessions were logged out." in page and len(re.findall(r"<tr><td class=\"date\">", page)) == 1,
       "  this one goes on, and the page says what happened")
    ok(one(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'sessions-end'") not in (None, "0", 0),
       "  the audit log records it")


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
    n0 = len(sink.messages("ala@portal.example"))
    st, _, t1 = c.submit("/forgot", "/forgot", {"email": "ala@portal.example"})
    pg = not db.startswith("sqlite:")
    # PostgreSQL's identity sequences advance even for rows rolled back: they show the work done
    seqs = ("SELECT pg_sequence_last_value(pg_get_serial_sequence('mail_queue', 'id')) || '/' ||"
            " pg_sequence_last_value(pg_get_serial_sequence('audit_log', 'id'))")
    before = one(db, seqs) if pg else None
    st2, _, t2 = c.submit("/forgot", "/forgot", {"email": "nobody-here@portal.example"})
    strip = lambda t: re.sub(r'value="[0-9a-f]{64}"', "", t)
    ok(st == st2 == 200 and strip(t1) == strip(t2), "forgot password answers the same for any address")
    ok(one(db, "SELECT COUNT(*) FROM auth_token WHERE subject = ?", "nobody-here@portal.example") == 0 and
       one(db, "SELECT COUNT(*) FROM mail_queue WHERE to_addr = ?", "nobody-here@portal.example") == 0,
       "  for an unknown address no link and no mail is kept")
    if pg:
        after = one(db, seqs)
        b, a = [[int(x) for x in v.split("/")] for v in (before, after)]
        ok(a[0] == b[0] + 1 and a[1] == b[1] + 1,
           "  but the same statements ran as for an account (a mail and an audit entry, rolled back), "
           "so the time taken does not tell the two apart", (before, after))
    st, _, text = c.submit("/forgot", "/forgot", {"email": "not-an-address"})
    ok(st == 400 and 'value="not-an-address"' in text and 'aria-invalid="true"' in text,
       "forgot with a malformed address: 400, what was typed stays, marked", st)
    msgs = sink.wait("ala@portal.example", n0 + 1)
    reset = [m for m in msgs if "reset" in str(m["subject"]).lower() or "hasła" in str(m["subject"])]
    ok(len(reset) == 1, "one reset mail", [str(m["subject"]) for m in msgs])
    ok(not sink.messages("nobody-here@portal.example"), "nothing is sent to an unknown address")
    link = kt.link_in(reset[0], "/reset") if reset else None
    ok(link is not None, "the reset mail holds a link", link)
    # a session elsewhere ends when the password is reset
    other = kt.Client(srv.port)
    other.login("ala@portal.example", PW)
    st, _, text = c.submit(link, "/reset", {"password": "new password 42", "password2": "different 4242"})
    ok(st == 400 and '<a href="#f-password2">Repeat the new password</a>: the two passwords differ' in text,
       "two different passwords are refused, naming the field by its label", st)
    pl = kt.Client(srv.port, lang="pl")
    st, _, text = pl.submit(link, "/reset", {"password": "new password 42", "password2": "different 4242"})
    ok(st == 400 and '<a href="#f-password2">Powtórz nowe hasło</a>: hasła się różnią' in text
       and "password2:" not in kt.text_of(text), "  on a Polish page by its Polish label", alert_of(text))
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
    msgs = [m for m in sink.wait("ala@portal.example", n0 + 2) if "/reset?" in kt.body_of(m)]
    link2 = kt.link_in(msgs[-1], "/reset")
    sql(db, "UPDATE auth_token SET expires_at = created_at + 3600 WHERE kind = 'reset'")
    sql(db, "UPDATE auth_token SET created_at = created_at - 3601, expires_at = expires_at - 3601 WHERE kind = 'reset'")
    st, _, _ = c.get(link2)
    eq(st, 410, "a reset link older than an hour is refused")


def stored_mail(db, to, like):
    """(id, status, body, headers, redacted_at) of the newest queued message to an address whose body
    holds like, once it is no longer queued or being sent."""
    deadline = time.time() + 10
    while True:
        d = ktdb.Db(db)
        try:
            rows = d.rows("SELECT id, status, body, COALESCE(headers, ''), redacted_at FROM mail_queue"
                        " WHERE to_addr = ? AND body LIKE ? ORDER BY id DESC LIMIT 1", (to, like))
            row = rows[0] if rows else None
        finally:
            d.close()
        if (row and row[1] not in ("queued", "sending")) or time.time() > deadline:
            return row
        time.sleep(0.1)


def test_mail_redacted(srv, sink, admin, db):
    """The queue keeps no live secret once the SMTP server has the message: the link's token is replaced in
    the stored copy (the outbox shows that copy), the mailed link still works, and after MAIL_KEEP_DAYS the
    message is deleted (a campaign's stays, redacted, for its counts)."""
    kt.add_user(db, "redact@portal.example", PW)
    c = kt.Client(srv.port)
    c.submit("/forgot", "/forgot", {"email": "redact@portal.example"})
    got = sink.wait("redact@portal.example")
    link = kt.link_in(got[-1], "/reset")
    token = link.split("token=")[1]
    ok(re.fullmatch(r"[0-9a-f]{64}", token), "the mailed reset link carries its token", link)
    row = stored_mail(db, "redact@portal.example", "%/reset?token=%")
    ok(row and row[1] == "sent" and token not in row[2] and "/reset?token=REMOVED-AFTER-DELIVERY" in row[2] and
       row[4], "once sent, the stored message holds a marker instead of the token", row)
    st, _, text = admin.get("/admin/outbox/%d" % row[0])
    ok(st == 200 and token not in text and "REMOVED-AFTER-DELIVERY" in text,
       "  and so does the administrator's view of it", st)
    st, _, _ = c.get(link)
    eq(st, 200, "  the link the user got still works")
    # the housekeeping (here run by `klaster mail deliver`): 30 days after delivery the message is gone
    now = int(time.time())
    sql(db, "UPDATE mail_queue SET sent_at = %d WHERE id = %d" % (now - 31 * 86400, row[0]))
    secret = "ab" * 32
    sql(db, "INSERT INTO mail_queue (created_at, to_addr, subject, body, headers, message_id, kind, status,"
            " next_attempt_at, sent_at) VALUES"
            " (%d, 'old-campaign@portal.example', 'c', 'unsubscribe?t=%s', 'List-Unsubscribe: <x?t=%s>\r\n',"
            " '<keep-1@klaster>', 'newsletter:999', 'outbox', 0, %d),"
            " (%d, 'new-outbox@portal.example', 'o', 'confirm?token=%s', NULL, '<keep-2@klaster>', 'confirm',"
            " 'outbox', 0, %d),"
            " (%d, 'old-outbox@portal.example', 'o', 'confirm?token=%s', NULL, '<keep-3@klaster>', 'confirm',"
            " 'outbox', 0, %d)"
            % (now, secret, secret, now - 31 * 86400, now, secret, now - 86400, now, secret, now - 31 * 86400))
    r = kt.cli(db, "mail", "deliver", "--smtp-url", sink.url)
    eq(r.returncode, 0, "klaster mail deliver runs the mail housekeeping")
    eq(one(db, "SELECT COUNT(*) FROM mail_queue WHERE id = ?", row[0]), 0,
       "  a message sent more than 30 days ago is deleted")
    eq(one(db, "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'old-outbox@portal.example'"), 0,
       "  so is one in the outbox more than 30 days")
    kept = one(db, "SELECT body || COALESCE(headers, '') FROM mail_queue WHERE to_addr = 'new-outbox@portal.example'")
    ok(kept and secret in kept, "  a recent one in the outbox keeps its link (the administrator forwards it)", kept)
    kept = one(db, "SELECT body || COALESCE(headers, '') FROM mail_queue WHERE to_addr = 'old-campaign@portal.example'")
    ok(kept and secret not in kept and kept.count("REMOVED-AFTER-DELIVERY") == 2,
       "  an old campaign message stays for the campaign's counts, its unsubscribe links removed", kept)
    # mail-keep-days: a shorter retention deletes the 1-day-old outbox message; a bad value is refused
    r = kt.cli(db, "mail", "deliver", "--smtp-url", sink.url, "--mail-keep-days", "0")
    ok(r.returncode == 2 and "mail-keep-days must be a number of days from 1 to 3650" in r.stderr,
       "--mail-keep-days 0: a usage error naming the range", r.stderr)
    eq(one(db, "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'new-outbox@portal.example'"), 1,
       "  and nothing was deleted")
    sql(db, "UPDATE mail_queue SET sent_at = %d WHERE to_addr = 'new-outbox@portal.example'" % (now - 2 * 86400))
    r = kt.cli(db, "mail", "deliver", "--smtp-url", sink.url, "--mail-keep-days", "3")
    eq(one(db, "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'new-outbox@portal.example'"), 1,
       "--mail-keep-days 3: an outbox message of 2 days stays")
    r = kt.cli(db, "mail", "deliver", "--smtp-url", sink.url, "--mail-keep-days", "1")
    eq(one(db, "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'new-outbox@portal.example'"), 0,
       "--mail-keep-days 1: it is deleted")
    sql(db, "DELETE FROM mail_queue WHERE message_id IN ('<keep-1@klaster>', '<keep-2@klaster>')")


def reset_with(c, link, password):
    """Posts a new password with a reset link (also one whose page is gone)."""
    return c.post("/reset", {"csrf": c.csrf("/forgot"), "token": link.split("=")[1], "password": password,
                             "password2": password})


def test_reset_links(srv, sink, db):
    """Completing a reset, changing the password, or asking for a newer link spends every
    reset link the account had."""
    rita = "rita@portal.example"
    kt.add_user(db, rita, PW, role="user")
    c = kt.Client(srv.port)
    links = []
    for i in range(3):
        st, _, _ = c.submit("/forgot", "/forgot", {"email": rita})
        got = sink.wait(rita, i + 1)
        links.append(kt.link_in(got[i], "/reset") if len(got) > i else None)
    ok(st == 200 and all(links) and len(set(links)) == 3, "three reset requests, three links", links)
    st, _, _ = c.get(links[0])
    eq(st, 410, "a newer reset link replaces the older ones")
    pw_a, pw_b = "password number A1", "password number B2"
    st, _, text = c.submit(links[2], "/reset", {"password": pw_a, "password2": pw_a})
    ok(st == 200 and "Password changed" in text, "the newest link sets password A", st)
    for i in (0, 1):
        st, _, _ = c.get(links[i])
        eq(st, 410, "  then link %d of 3 is gone" % (i + 1))
        st, _, _ = reset_with(c, links[i], pw_b)
        eq(st, 410, "  and cannot set password B")
    st, _, _ = kt.Client(srv.port).submit("/login", "/login", {"email": rita, "password": pw_b})
    eq(st, 401, "password B was never set")
    kt.Client(srv.port).login(rita, pw_a)
    ok(True, "password A works")
    # a password changed at /account spends a link asked for before
    sam = "sam@portal.example"
    kt.add_user(db, sam, PW, role="user")
    c.submit("/forgot", "/forgot", {"email": sam})
    got = sink.wait(sam, 1)
    link = kt.link_in(got[0], "/reset") if got else None
    ok(link, "sam asks for a reset link", len(got))
    s = kt.Client(srv.port)
    s.login(sam, PW)
    st, _, _ = s.submit("/account", "/account/password", {"current": PW, "password": pw_a, "password2": pw_a})
    eq(st, 303, "then changes the password at /account")
    st, _, _ = c.get(link)
    eq(st, 410, "  the reset link asked for before is gone")
    st, _, _ = reset_with(c, link, pw_b)
    eq(st, 410, "  and cannot set another password")
    kt.Client(srv.port).login(sam, pw_a)
    ok(True, "  the changed password stays")


def confirm_links(sink, addr):
    return [kt.link_in(m, "/confirm") for m in sink.messages(addr) if "/confirm?" in kt.body_of(m)]


def test_pending(srv, sink, db):
    """An account whose confirmation link was lost or expired can still be activated: registering
    again, or "forgot password", mails a fresh link; the answers stay those for any address, and
    one address gets a few mails an hour at most."""
    pat = "pat@portal.example"
    c = kt.Client(srv.port)
    st, _, t_new = c.submit("/register", "/register", {"email": pat, "password": PW})
    sink.wait(pat, 1)
    first = confirm_links(sink, pat)
    ok(st == 200 and len(first) == 1, "pat registers and gets a link", len(first))
    # the 48 hours pass
    sql(db, "UPDATE auth_token SET created_at = created_at - 200000, expires_at = expires_at - 200000"
            " WHERE kind = 'confirm' AND user_id = (SELECT id FROM app_user WHERE email = '%s')" % pat)
    st, _, _ = c.get(first[0])
    eq(st, 410, "the expired link is refused")
    new_pw = "pat's second password"
    st, _, t_again = kt.Client(srv.port).submit("/register", "/register", {"email": pat, "password": new_pw})
    ok(st == 200 and same_page(t_new, t_again), "registering again answers as for a new address", st)
    got = sink.wait(pat, 2)
    link = kt.link_in(got[1], "/reset") if len(got) == 2 else None
    ok(link and "registered again" in kt.body_of(got[1]) and len(confirm_links(sink, pat)) == 1,
       "and mails a link that sets a password and confirms (not a link carrying the password typed)",
       [kt.body_of(m)[:120] for m in sink.messages(pat)])
    if link:
        st, _, _ = kt.Client(srv.port).submit("/login", "/login", {"email": pat, "password": new_pw})
        eq(st, 401, "  the password typed when registering again was not taken")
        pat_pw = "pat's own mailbox password"
        st, _, text = c.submit(link, "/reset", {"password": pat_pw, "password2": pat_pw})
        ok(st == 200 and "Password changed" in text, "the link sets the password the mailbox's owner types", st)
        kt.Client(srv.port).login(pat, pat_pw)
        ok(True, "  and activates the account with it")
    # someone else registers the owner's pending address again: the owner's own link is spent, the
    # intruder's password is never taken, and only the mailbox can set one
    vic = "vic@portal.example"
    st, _, _ = c.submit("/register", "/register", {"email": vic, "password": PW})
    sink.wait(vic, 1)
    own = confirm_links(sink, vic)[0]
    intruder_pw = "the intruder's password"
    st, _, _ = kt.Client(srv.port).submit("/register", "/register", {"email": vic, "password": intruder_pw})
    got = sink.wait(vic, 2)
    st_own, _, _ = kt.Client(srv.port).get(own)
    st_in, _, _ = kt.Client(srv.port).submit("/login", "/login", {"email": vic, "password": intruder_pw})
    ok(st_own == 410 and st_in == 401 and len(got) == 2 and "/reset?token=" in kt.body_of(got[1]),
       "an address registered again by someone else: no link with their password, the earlier link spent",
       (st_own, st_in))
    # "forgot password" for an account not confirmed yet: a link that sets the password and activates
    quinn = "quinn@portal.example"
    st, _, _ = c.submit("/register", "/register", {"email": quinn, "password": PW})
    sink.wait(quinn, 1)
    st, _, t_forgot = c.submit("/forgot", "/forgot", {"email": quinn})
    st2, _, t_nobody = c.submit("/forgot", "/forgot", {"email": "nobody-pending@portal.example"})
    ok(st == st2 == 200 and same_page(t_forgot, t_nobody), "forgot answers as for an unknown address", (st, st2))
    got = sink.wait(quinn, 2)
    link = kt.link_in(got[1], "/reset") if len(got) == 2 else None
    ok(link and "not active yet" in kt.body_of(got[1]), "and mails the pending account a link to set a password",
       len(got))
    if link:
        quinn_pw = "quinn's own password"
        st, _, text = c.submit(link, "/reset", {"password": quinn_pw, "password2": quinn_pw})
        ok(st == 200 and "Password changed" in text, "setting the password with it", st)
        kt.Client(srv.port).login(quinn, quinn_pw)
        ok(True, "  activates the account")
        st, _, _ = c.get(confirm_links(sink, quinn)[0])
        eq(st, 410, "  and spends its confirmation link")
    # at most 3 registrations an hour for one address, whether or not it has an account
    for addr in ("flood@portal.example", ADMIN):
        before = len(sink.messages(addr))
        statuses = []
        for i in range(5):
            st, _, _ = kt.Client(srv.port).submit("/register", "/register", {"email": addr, "password": PW})
            statuses.append(st)
        time.sleep(0.5)
        got = sink.wait(addr, before + 3)
        ok(statuses == [200] * 3 + [429] * 2 and len(got) - before == 3,
           "register: 3 per address per hour, then 429 (%s)" % addr.split("@")[0], (statuses, len(got) - before))
    ok(not sink.messages("nobody-pending@portal.example"), "nothing is sent to an unknown address")


def test_next_query(srv):
    """After logging in, the visitor comes back to the page they asked for, query included."""
    v = kt.Client(srv.port)
    st, h, _ = v.get("/admin/companies?page=2&q=a%20b")
    to = h.get("location", "")
    ok(st == 303 and to == "/login?next=%2Fadmin%2Fcompanies%3Fpage%3D2%26q%3Da%2520b",
       "a visitor is sent to log in with the page and its query", (st, to))
    st, h, _ = v.submit(to, "/login", {"email": ADMIN, "password": PW})
    ok(st == 303 and h.get("location") == "/admin/companies?page=2&q=a%20b", "login returns to the page with its query",
       (st, h.get("location")))
    for evil in ("//evil.example/?page=2", "/\t/evil.example?x=1", "https://evil.example/?a=/"):
        c = kt.Client(srv.port)
        st, h, _ = c.submit("/login?next=" + urllib.parse.quote(evil, safe=""), "/login",
                            {"email": ADMIN, "password": PW})
        ok(st == 303 and h.get("location") == "/", "a query does not open next=%r" % evil, h.get("location"))


def test_weak_passwords(srv, sink, db):
    c = kt.Client(srv.port)
    for pw, why in (("aaaaaaaaaa", "different characters"), ("ababababab", "different characters"),
                    ("QwertyUIOP", "most common"), ("1234567890", "most common"),
                    ("weakling.one", "e-mail address"), ("Weakling.One@Portal.example", "e-mail address")):
        st, _, text = c.submit("/register", "/register", {"email": "weakling.one@portal.example", "password": pw})
        ok(st == 400 and '<a href="#f-password">Password</a>:' in text and why in kt.text_of(text),
           "register refuses the password %r (%s)" % (pw, why), (st, alert(text)))
    pl = kt.Client(srv.port, lang="pl")
    st, _, text = pl.submit("/register", "/register", {"email": "weakling.one@portal.example", "password": "aaaaaaaaaa"})
    ok(st == 400 and "co najmniej 5 różnych znaków" in kt.text_of(text), "  in Polish on a Polish page", alert(text))
    st, _, text = pl.submit("/register", "/register", {"email": "weakling.one@portal.example", "password": "qwertyuiop"})
    ok(st == 400 and "najczęściej używanych haseł" in kt.text_of(text), "  the common-password rule too", alert(text))
    ok(not sink.messages("weakling.one@portal.example"), "  and nothing is registered")
    st, _, text = c.submit("/register", "/register", {"email": "weakling.one@portal.example", "password": "short"})
    ok(st == 400 and "at least 10 characters" in kt.text_of(text), "the minimum length stays", alert(text))
    kt.add_user(db, "tom@portal.example", PW, role="user")
    t = kt.Client(srv.port)
    t.login("tom@portal.example", PW)
    st, _, text = t.submit("/account", "/account/password", {"current": PW, "password": "zzzzzzzzzzzz",
                                                            "password2": "zzzzzzzzzzzz"})
    ok(st == 400 and "different characters" in kt.text_of(text), "a password change applies the rule", alert(text))
    r = kt.cli(db, "user", "add", "weak-cli@portal.example", "--role", "user", env={"KLASTER_PASSWORD": "1234567890"})
    ok(r.returncode == 3 and "most common" in r.stderr, "so does klaster user add", (r.returncode, r.stderr))


def alert(text):
    """The error of a refused form, for a failure's diagnostics."""
    t = kt.text_of(text)
    i = t.find("Password :")
    return t[i:i + 200] if i >= 0 else t[:300]


def test_user_token(db):
    """API tokens are for administrators, whose tokens the API takes."""
    kt.add_user(db, "plain@portal.example", PW, role="user")
    r = kt.cli(db, "user", "token", "plain@portal.example")
    ok(r.returncode == 5 and "not an administrator" in r.stderr and not r.stdout.strip(),
       "user token refuses a user who is not an administrator (exit 5)", (r.returncode, r.stdout, r.stderr))
    r = kt.cli(db, "user", "token", "nobody-at-all@portal.example")
    eq(r.returncode, 4, "user token of an unknown address: exit 4")
    r = kt.cli(db, "user", "token", ADMIN.upper())
    ok(r.returncode == 0 and re.fullmatch(r"[0-9a-f]{64}", r.stdout.strip()),
       "an administrator gets a token (the address in any case)", (r.returncode, r.stderr))


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
    # the tight limit counts per client address: wrong passwords typed from one place do not lock
    # the owner out elsewhere (behind a trusted proxy, X-Forwarded-For is the client's address)
    kt.add_user(db, "owner@portal.example", PW, role="user", name="Owner")
    proxied = kt.Server(db, "accounts-proxy", "--trust-proxy", "1")
    try:
        def from_ip(ip):
            c_ = kt.Client(proxied.port)
            base = c_._headers
            c_._headers = lambda extra=None: dict(base(extra), **{"X-Forwarded-For": ip})
            return c_
        bad = from_ip("203.0.113.5")
        statuses = [bad.submit("/login", "/login", {"email": "owner@portal.example", "password": "wrong %d" % i})[0]
                    for i in range(6)]
        st, _, _ = from_ip("198.51.100.7").submit("/login", "/login", {"email": "owner@portal.example", "password": PW})
        ok(statuses == [401] * 5 + [429] and st == 303,
           "login: 5 failures from one address lock that address out, not the owner logging in from another",
           (statuses, st))
    finally:
        proxied.stop()
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
    st, _, text = c.submit("/account", "/account/profile", {"name": "Łucja Żółć " * 18})
    ok(st in (200, 303) and "at most 200" not in text,
       "a name of 198 characters in Polish letters (more than 200 bytes) is taken: the limit counts characters",
       (st, kt.text_of(text)[-300:]))
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


def alert_of(text):
    """The error alert of a page, as HTML."""
    m = re.search(r'<(p|div) class="error" role="alert">.*?</\1>', text, re.S)
    return m.group(0) if m else kt.text_of(text)[:300]


def test_field_labels(srv, admin, db):
    """An error names its field by the label the page shows it with, in the page's language,
    linked to the field (#f-NAME), never by the field's name in the form."""
    pl = kt.Client(srv.port, lang="pl")
    for fields, want, raw in (
            ({"email": "labels@portal.example", "password": "short"},
             '<a href="#f-password">Hasło</a>: co najmniej 10 znaków', "password:"),
            ({"email": "labels@portal.example", "password": PW, "name": "N" * 201},
             '<a href="#f-name">Imię i nazwisko</a>: najwyżej 200 znaków', "name:"),
            ({"email": "labels-at-nowhere", "password": PW},
             '<a href="#f-email">Adres e-mail</a>: musi zawierać @', "email:")):
        st, _, text = pl.submit("/register", "/register", fields)
        ok(st == 400 and want in text and raw not in kt.text_of(text),
           "register, Polish: %s" % kt.text_of(want), alert_of(text))
    # every problem at once, each by its label, what was typed kept
    for c, head, want in ((kt.Client(srv.port), "Please correct the fields marked:",
                           ['<a href="#f-email">E-mail address</a>: an e-mail address is required',
                            '<a href="#f-password">Password</a>: a password is required']),
                          (pl, "Popraw zaznaczone pola:", ['<a href="#f-email">Adres e-mail</a>: podaj adres e-mail',
                                                           '<a href="#f-password">Hasło</a>: podaj hasło'])):
        st, _, text = c.submit("/register", "/register", {"email": "", "password": "", "name": "Ola Nowak"})
        items = re.findall(r"<li>(.*?)</li>", alert_of(text))
        ok(st == 400 and head in text and items == want and 'value="Ola Nowak"' in text
           and len(re.findall(r'aria-invalid="true"', text)) == 2,
           "register (%s): no address and no password, both listed by label, both marked, the name kept" % c.lang,
           alert_of(text))
    st, _, text = pl.submit("/register", "/register", {"email": "labels-at-nowhere", "password": "short", "name": "N" * 201})
    ok(st == 400 and re.findall(r'<li><a href="#f-([a-z]+)">', text) == ["email", "name", "password"]
       and 'value="labels-at-nowhere"' in text, "register: three problems, in the form's order, the address kept",
       alert_of(text))
    st, _, text = pl.submit("/login", "/login", {"email": "labels-at-nowhere", "password": PW})
    ok(st == 400 and '<a href="#f-email">Adres e-mail</a>: musi zawierać @' in text, "login, Polish: the address by its label",
       alert_of(text))
    st, _, text = pl.submit("/forgot", "/forgot", {"email": "labels-at-nowhere"})
    ok(st == 400 and '<a href="#f-email">Adres e-mail konta</a>: musi zawierać @' in text,
       "forgot, Polish: the address by its label", alert_of(text))
    kt.add_user(db, "labels@portal.example", PW, role="user")
    pl.login("labels@portal.example", PW)
    st, _, text = pl.submit("/account", "/account/password", {"current": "not the one!", "password": "brand new pass",
                                                              "password2": "brand new pass"})
    ok(st == 400 and '<a href="#f-current">Obecne hasło</a>: obecne hasło jest nieprawidłowe.' in text
       and "current:" not in kt.text_of(text), "change password, Polish: the current password by its label",
       alert_of(text))
    ok(text.find('role="alert"') > text.find("<h2>Zmiana hasła</h2>") > 0
       and text.find('role="alert"') < text.find('action="/account/password"'),
       "  the message stands above the password form, under its heading")
    st, _, text = pl.submit("/account", "/account/profile", {"name": "N" * 201})
    ok(st == 400 and '<a href="#f-name">Imię i nazwisko</a>: najwyżej 200 znaków' in text,
       "profile, Polish: the name by its label", alert_of(text))
    # deleting the account with a wrong password: the deletion's own field, the message by its form
    st, _, text = pl.submit("/account", "/account/delete", {"current": "not the one!"})
    ok(st == 400 and '<a href="#f-delete-current">Hasło, dla potwierdzenia</a>: hasło jest nieprawidłowe.' in text,
       "delete, Polish: the deletion's password by its label, linked to its own field", alert_of(text))
    ok(re.search(r'<input id="f-delete-current"[^>]*aria-invalid="true"', text)
       and not re.search(r'<input id="f-current"[^>]*aria-invalid', text),
       "  the deletion's field is marked, not the password change's", re.findall(r'<input id="f-[a-z-]*current"[^>]*>', text))
    ok(text.find("<h2>Usunięcie konta</h2>") < text.find('role="alert"') < text.find('action="/account/delete"')
       and text.count('role="alert"') == 1, "  the message stands by the delete form, under its heading")
    ok(one(db, "SELECT COUNT(*) FROM app_user WHERE email = ?", "labels@portal.example") == 1, "  and the account stays")
    # the administrator's users list: the refused row's organisation field has the id the message links to
    uid = one(db, "SELECT id FROM app_user WHERE email = ?", "labels@portal.example")
    apl = kt.Client(srv.port, lang="pl")
    apl.login(ADMIN, PW)
    st, _, text = apl.post("/admin/users/role", {"csrf": apl.csrf("/account"), "user": str(uid), "q": "",
                                                 "role": "editor", "org": "Sp. z o.o.", "cluster": ""})
    ok(st == 400 and '<a href="#f-org">Organizacja redaktora</a>: organizacji, których nazwa zawiera' in text
       and "org:" not in kt.text_of(text), "users, Polish: the editor's organisation by its label", alert_of(text))
    ok(len(re.findall(r'id="f-org"', text)) == 1 and re.search(r'<input name="org" id="f-org"[^>]*aria-invalid="true"', text),
       "  linked to the refused row's field, the one field of that id, marked")
    st, _, text = apl.post("/admin/users/role", {"csrf": apl.csrf("/account"), "user": str(uid), "q": "",
                                                 "role": "coordinator", "org": "", "cluster": ""})
    ok(st == 400 and '<a href="#f-cluster">Klaster koordynatora</a>:' in text
       and re.search(r'<select name="cluster" id="f-cluster"[^>]*aria-invalid="true"', text),
       "users, Polish: the coordinator's cluster by its label, the select marked", alert_of(text))
    st, _, text = apl.get("/admin/audit?from=2024-02-30")
    ok(st == 400 and '<a href="#f-from">Od dnia</a>: 2024-02-30 nie istnieje' in text,
       "audit, Polish: the filter by its label", alert_of(text))


def test_ids_not_reused(srv, admin, db):
    """A deleted account's id is never given to a new one: the audit log keeps naming the account that
    acted (its user_id has no foreign key, so that the record outlives the account)."""
    kt.add_user(db, "leaver@portal.example", PW, role="user")
    gone = one(db, "SELECT id FROM app_user WHERE email = ?", "leaver@portal.example")
    ok(gone == one(db, "SELECT MAX(id) FROM app_user"), "  the leaver holds the newest id", gone)
    c = kt.Client(srv.port)
    c.login("leaver@portal.example", PW)
    st, _, text = c.submit("/account", "/account/delete", {"current": PW})
    ok(st == 200 and "deleted" in text, "the newest account is deleted", st)
    kt.add_user(db, "newcomer@portal.example", PW, role="user")
    new = one(db, "SELECT id FROM app_user WHERE email = ?", "newcomer@portal.example")
    ok(new != gone and new > gone, "the next account gets a new id, not the deleted one's", (gone, new))
    rows = lambda t: re.findall(r'<tr><td class="date">.*?</tr>', t, re.S)
    st, _, text = admin.get("/admin/audit?user=%23" + str(gone))
    mine = rows(text)
    ok(st == 200 and any("account-delete" in r for r in mine) and any("action=login\">Logged in<" in r for r in mine) and
       "newcomer@portal.example" not in text, "  the deleted account's entries stay its own, never the newcomer's",
       mine)
    st, _, text = admin.get("/admin/audit?user=%23" + str(new))
    ok(st == 200 and not any("account-delete" in r or ">login<" in r for r in rows(text)),
       "  and the newcomer's number shows none of them", rows(text))
    st, _, body = admin.get("/admin/audit.csv?user=newcomer")
    ok(st == 200 and "account-delete" not in body and ",login," not in body, "  nor does the CSV by the address",
       body[-300:])


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
    kt.add_user(db, "car_ol@portal.example", PW, role="user")
    st, _, t2 = admin.get("/admin/users?q=CAROL")
    st3, _, t3 = admin.get("/admin/users?q=car_")
    ok(st == 200 and "carol@portal.example" in t2 and st3 == 200 and "car_ol@portal.example" in t3
       and "carol@portal.example" not in t3,
       "the users' search ignores the case of the letters and takes _ as itself, on either database", (st, st3))
    st, _, text = admin.get("/admin/users?q=carol")
    f = [f for f in admin.forms() if f["action"] == "/admin/users/role" and "role" in f["fields"]]
    ok(len(f) == 1, "one role form for the filtered user", len(f))
    st, _, text = admin.post("/admin/users/role", dict(f[0]["fields"], role="editor", org=""))
    ok(st == 400 and "org" in text, "an editor needs an organisation", (st, text[:200]))
    st, _, text = admin.post("/admin/users/role", dict(f[0]["fields"], role="editor", org="999999"))
    ok(st == 400, "an organisation that does not exist is refused", (st, text[:200]))
    st, h, _ = admin.post("/admin/users/role", dict(f[0]["fields"], role="coordinator", cluster="1"))
    eq(st, 303, "admin makes carol a coordinator of cluster 1")
    st, _, text = admin.get("/admin/audit")
    ok(st == 200 and ">Role changed</a>" in text and "user → cluster coordinator, cluster " in kt.text_of(text),
       "the audit log records the role change, by the roles' labels", st)
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


def one(db, statement, *params):
    """The first column of the first row of a query."""
    d = ktdb.Db(db)
    try:
        return d.one(statement, params)
    finally:
        d.close()


def users_form(client, email, action):
    """The form of the /admin/users row of an address whose action is action."""
    client.get("/admin/users?q=" + urllib.parse.quote(email))
    f = [f for f in client.forms() if f["action"] == action]
    return f[0] if len(f) == 1 else None


def test_scope(srv, admin, db):
    """An editor's organisation is named by NIP or name, a coordinator's cluster chosen from a list;
    what is unknown or names several is said, with the candidates."""
    kt.add_user(db, "scope@portal.example", PW, role="user")
    f = users_form(admin, "scope@portal.example", "/admin/users/role")
    ok(f is not None, "the user's row has a role form")
    text = admin.last
    ok(re.search(r'<select name="cluster"[^>]*>.*<option value="\d+">KLPS — ', text, re.S) is not None,
       "the cluster is a select of the clusters, by acronym and name", text[:0])
    ok('name="org"' in text and re.search(r'<input name="org"[^>]*placeholder="[^"]*NIP', text),
       "the organisation is a text field for its NIP or name")
    uid = int(f["fields"]["user"])

    def org_of():
        return one(db, "SELECT org_id FROM app_user WHERE id = ?", uid)

    precyzmet = one(db, "SELECT id FROM organisation WHERE nip = '8138496581'")
    for typed, desc in (("813-849-65-81", "a NIP with dashes"), ("PL8138496581", "a NIP with PL"),
                        ("precyzmet zakłady lotnicze s.a.", "the exact name in another case"),
                        ("PRECYZMET", "a unique part of the name"), ("#%d" % precyzmet, "#number")):
        sql(db, "UPDATE app_user SET role = 'user', org_id = NULL WHERE id = %d" % uid)
        st, h, _ = admin.post("/admin/users/role", dict(f["fields"], role="editor", org=typed, cluster=""))
        ok(st == 303 and org_of() == precyzmet, "editor of an organisation named by %s" % desc, (st, org_of()))
    st, _, text = admin.post("/admin/users/role", dict(f["fields"], role="editor", org="Sp. z o.o."))
    t = kt.text_of(text)
    ok(st == 400 and "hold 'Sp. z o.o.'" in t and "NIP" in t and "type the NIP of the one meant" in t,
       "a name many organisations hold: 400 naming candidates with their NIPs", t[t.find("org:"):][:300])
    ok(re.search(r'<input name="org"[^>]*value="Sp. z o.o."[^>]*aria-invalid="true"', text),
       "  the row shows what was typed, marked")
    ok("scope@portal.example" in text and "carol@portal.example" not in text, "  in the list of that user alone")
    st, _, text = admin.post("/admin/users/role", dict(f["fields"], role="editor", org="Nieistniejąca Firma"))
    ok(st == 400 and "no organisation is named" in kt.text_of(text), "an unknown name: 400, said so", st)
    st, _, text = admin.post("/admin/users/role", dict(f["fields"], role="editor", org="813-849-65-82"))
    ok(st == 400 and "check digit" in kt.text_of(text), "a NIP with a wrong check digit: 400", st)
    pl = kt.Client(srv.port, lang="pl")
    pl.login(ADMIN, PW)
    st, _, text = pl.post("/admin/users/role", dict(f["fields"], csrf=pl.csrf("/account"), role="editor",
                                                    org="Sp. z o.o."))
    ok(st == 400 and "organizacji, których nazwa zawiera „Sp. z o.o.”" in kt.text_of(text),
       "  in Polish on a Polish page", kt.text_of(text)[:300])
    klps = one(db, "SELECT id FROM cluster WHERE acronym = 'KLPS'")
    st, _, _ = admin.post("/admin/users/role", dict(f["fields"], role="coordinator", org="", cluster=str(klps)))
    ok(st == 303 and one(db, "SELECT cluster_id FROM app_user WHERE id = ?", uid) == klps,
       "coordinator of the cluster chosen in the list", st)
    st, _, text = admin.post("/admin/users/role", dict(f["fields"], role="coordinator", cluster=""))
    ok(st == 400 and "cluster" in kt.text_of(text), "a coordinator without a cluster: 400", st)
    # the command line takes the same names
    r = kt.cli(db, "user", "add", "scope-cli@portal.example", "--role", "editor", "--org", "8138496581",
               env={"KLASTER_PASSWORD": PW})
    ok(r.returncode == 0 and one(db, "SELECT org_id FROM app_user WHERE email = 'scope-cli@portal.example'")
       == precyzmet, "klaster user add --org takes a NIP", r.stderr)
    r = kt.cli(db, "user", "add", "scope-cli2@portal.example", "--role", "coordinator", "--cluster", "klps",
               env={"KLASTER_PASSWORD": PW})
    ok(r.returncode == 0 and one(db, "SELECT cluster_id FROM app_user WHERE email = 'scope-cli2@portal.example'")
       == klps, "klaster user add --cluster takes an acronym in any case", r.stderr)
    r = kt.cli(db, "user", "add", "scope-cli3@portal.example", "--role", "editor", "--org", "Zakłady",
               env={"KLASTER_PASSWORD": PW})
    ok(r.returncode == 3 and "--org:" in r.stderr and one(db,
        "SELECT COUNT(*) FROM app_user WHERE email = 'scope-cli3@portal.example'") == 0,
       "an ambiguous --org: exit 3 before anything is written", (r.returncode, r.stderr))


def test_role_sessions(srv, admin, db):
    """A session holds no role: an administrator's change of someone's role is what their next request
    gets, on the sessions they already have (docs/PORTAL-ACCOUNTS.md, "Roles and sessions")."""
    email = "demoted@portal.example"
    kt.add_user(db, email, PW, role="admin", name="Demoted")
    uid = one(db, "SELECT id FROM app_user WHERE email = ?", email)
    org = one(db, "SELECT MIN(id) FROM organisation")
    other = one(db, "SELECT MAX(id) FROM organisation")
    d, d2 = kt.Client(srv.port), kt.Client(srv.port)
    d.login(email, PW)
    d2.login(email, PW)
    sid = d.cookies.get("ksid")
    eq(d.get("/admin/users")[0], 200, "an administrator opens the users' page")
    sessions = lambda: one(db, "SELECT COUNT(*) FROM user_session WHERE user_id = ?", uid)
    eq(sessions(), 2, "  logged in twice")

    def set_role(role, **scope):
        f = users_form(admin, email, "/admin/users/role")
        st, _, _ = admin.post("/admin/users/role", dict(f["fields"], **dict(dict(role=role, org="", cluster=""), **scope)))
        eq(st, 303, "the administrator makes the account %s" % role)

    set_role("editor", org="#%d" % org)
    for c in (d, d2):
        eq(c.get("/admin/users")[0], 403, "  lowered: the next request of each session is refused the administration")
    eq(d.get("/organisations/%d/edit" % org)[0], 200, "  and may edit its organisation")
    eq(d.get("/organisations/%d/edit" % other)[0], 403, "  but no other")
    st, _, text = d.get("/account")
    ok(st == 200 and "organisation editor" in text, "  still logged in, the account page naming the new role", st)
    set_role("user")
    eq(d.get("/organisations/%d/edit" % org)[0], 403, "lowered to a user: not even its organisation")
    eq((sessions(), d.cookies.get("ksid")), (2, sid), "  the sessions stay, the cookie unchanged: only the role changed")
    set_role("admin")
    eq(d.get("/admin/users")[0], 200, "raised again: the same session opens the administration, nothing to rotate")
    eq(d.cookies.get("ksid"), sid, "  with the same cookie")
    st, _, _ = admin.post("/admin/users/block", users_form(admin, email, "/admin/users/block")["fields"])
    ok(st == 303 and one(db, "SELECT blocked_at FROM app_user WHERE id = ?", uid) is not None,
       "the administrator blocks the account", st)
    for c in (d, d2):
        eq(c.get("/account")[0], 303, "  blocked: each session's next request is logged out")
    eq(sessions(), 0, "  its sessions are gone")


def test_block(srv, sink, admin, db):
    """Blocking an account: no login, sessions and API tokens refused at once, links spent, audited;
    not oneself, not the last active administrator; unblocking gives the account back."""
    kt.add_user(db, "blocky@portal.example", PW, role="user", name="Blocky")
    kt.add_user(db, "admin3@portal.example", PW, role="admin", name="Third")
    b = kt.Client(srv.port)
    b.login("blocky@portal.example", PW)
    eq(b.get("/account")[0], 200, "the user is logged in")
    # an outstanding reset link
    before = len(sink.messages("blocky@portal.example"))
    kt.Client(srv.port).submit("/forgot", "/forgot", {"email": "blocky@portal.example"})
    got = sink.wait("blocky@portal.example", before + 1)
    reset = kt.link_in(got[-1], "/reset") if len(got) > before else None
    ok(reset and b.get(reset)[0] == 200, "a reset link works before the block", reset)
    token = kt.cli(db, "user", "token", "admin3@portal.example").stdout.strip()
    api = lambda: kt.request(srv.port, "POST", "/api/v1/organisations", body=b"{}",
                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})[0]
    ok(api() != 401, "the third administrator's API token works", api())
    a0 = one(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user-block'")
    f = users_form(admin, "blocky@portal.example", "/admin/users/block")
    ok(f is not None and "Block" in admin.last, "the user's row has a Block button")
    st, h, _ = admin.post("/admin/users/block", f["fields"])
    ok(st == 303 and h.get("location", "").startswith("/admin/users?done=blocked"), "the administrator blocks the account",
       (st, h.get("location")))
    ok(one(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user-block'") == a0 + 1, "  audited")
    st, _, text = admin.get(h["location"])
    ok("blocked" in kt.text_of(text) and admin.form("/admin/users/unblock") is not None,
       "  the list says so and offers Unblock")
    eq(b.get("/account")[0], 303, "  the user's live session ends at once")
    eq(one(db, "SELECT COUNT(*) FROM user_session s JOIN app_user u ON u.id = s.user_id"
                       " WHERE u.email = 'blocky@portal.example'"), 0, "  no session of the account is left")
    eq(b.get(reset)[0], 410, "  the outstanding reset link is spent")
    st, _, text = kt.Client(srv.port).submit("/login", "/login", {"email": "blocky@portal.example", "password": PW})
    ok(st == 401 and "blocked" in kt.text_of(text), "  login with the right password: 401, the account is blocked",
       (st, kt.text_of(text)[:200]))
    pl = kt.Client(srv.port, lang="pl")
    st, _, text = pl.submit("/login", "/login", {"email": "blocky@portal.example", "password": PW})
    ok(st == 401 and "zablokowane" in kt.text_of(text), "  said in Polish on a Polish page", st)
    st, _, text = kt.Client(srv.port).submit("/login", "/login", {"email": "blocky@portal.example",
                                                                  "password": "wrong password here"})
    ok(st == 401 and "blocked" not in kt.text_of(text), "  a wrong password does not learn of the block")
    n = len(sink.messages("blocky@portal.example"))
    kt.Client(srv.port).submit("/forgot", "/forgot", {"email": "blocky@portal.example"})
    got = sink.wait("blocky@portal.example", n + 1)
    ok(len(got) == n + 1 and kt.link_in(got[-1], "/reset") is None and "blocked" in kt.body_of(got[-1]),
       "  forgot password mails no link, but says the account is blocked", len(got))
    # not oneself; not the last active administrator
    me = users_form(admin, ADMIN, "/admin/users/block")
    st, _, text = admin.post("/admin/users/block", me["fields"])
    ok(st == 409 and "your own account" in kt.text_of(text), "an administrator cannot block themself: 409", st)
    pla = kt.Client(srv.port, lang="pl")
    pla.login(ADMIN, PW)
    st, _, text = pla.post("/admin/users/block", dict(me["fields"], csrf=pla.csrf("/account")))
    ok(st == 409 and "własnego konta" in kt.text_of(text), "  said in Polish", st)
    f3 = users_form(admin, "admin3@portal.example", "/admin/users/block")
    st, _, _ = admin.post("/admin/users/block", f3["fields"])
    eq(st, 303, "the administrator blocks another administrator")
    eq(api(), 401, "  whose API token is refused at once")
    r = kt.cli(db, "user", "block", ADMIN)
    ok(r.returncode == 3 and "last active administrator" in r.stderr, "the last active administrator cannot be blocked",
       (r.returncode, r.stderr))
    eq(admin.get("/admin/users")[0], 200, "  and still manages the portal")
    # unblocking
    f = users_form(admin, "blocky@portal.example", "/admin/users/unblock")
    st, h, _ = admin.post("/admin/users/unblock", f["fields"])
    ok(st == 303 and "done=unblocked" in h.get("location", ""), "the administrator unblocks the account", st)
    c = kt.Client(srv.port)
    eq(c.login("blocky@portal.example", PW), 303, "  its owner logs in again")
    st, _, _ = admin.post("/admin/users/unblock", f3["fields"])
    ok(st == 303 and api() != 401, "  an unblocked administrator's API token works again", api())
    ok(one(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user-unblock'") == 2, "  unblocking is audited")
    # the command line
    r = kt.cli(db, "user", "block", "Blocky@Portal.example")
    ok(r.returncode == 0 and "blocked" in r.stdout, "klaster user block", (r.returncode, r.stdout, r.stderr))
    eq(c.get("/account")[0], 303, "  ends the session at once")
    r = kt.cli(db, "user", "block", "blocky@portal.example")
    ok(r.returncode == 0 and "already blocked" in r.stdout, "  a second time: already blocked, exit 0", r.stdout)
    r = kt.cli(db, "user", "unblock", "blocky@portal.example")
    ok(r.returncode == 0 and "unblocked" in r.stdout, "klaster user unblock", r.stdout)
    r = kt.cli(db, "user", "block", "nobody-here@portal.example")
    eq(r.returncode, 4, "  an unknown address: exit 4")
    ok(one(db, "SELECT COUNT(*) FROM audit_log WHERE action IN ('user-block', 'user-unblock') AND ip = 'cli'")
       == 2, "  the command line's changes are audited (a repeat changes nothing and is not)")
    ok(kt.Client(srv.port).login("blocky@portal.example", PW) == 303, "the owner logs in after the CLI unblock")


def test_audit(srv, admin, db):
    """The audit log: filters, pages, the detail as stored, CSV; administrators only."""
    now = int(time.time())
    uid = one(db, "SELECT id FROM app_user WHERE email = ?", ADMIN)
    values = ",".join("(%d, %d, '10.0.0.1', 'paging-test', 'widget', %d, 'entry %d')" % (now - i, uid, 1000 + i % 3, i)
                      for i in range(250))
    sql(db, "INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail) VALUES " + values)
    sql(db, "INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail) VALUES "
            "(946684800, NULL, '10.0.0.2', 'paging-test', 'widget', 7, 'line one" + "\n" + "line <b>two</b>')")
    st, _, text = admin.get("/admin/audit?action=paging-test")
    rows = re.findall(r"<tr><td class=\"date\">", text)
    ok(st == 200 and len(rows) == 100, "a page holds 100 entries", (st, len(rows)))
    ok("251" in kt.text_of(text) and 'rel="next"' in text, "  with the count and a link to the next page")
    ok('<td class="detail">line one\nline &lt;b&gt;two&lt;/b&gt;</td>' in text and "<b>two" not in text,
       "  the detail is shown as stored, escaped, its line break kept (the latest written first)")
    ok(re.search(r'<select id="f-action" name="action"[^>]*>.*<option value="paging-test" selected>', text, re.S),
       "  the action filter is a select with the action chosen")
    nxt = re.search(r'<a rel="next" href="([^"]+)"', text)
    ok(nxt and "action=paging-test" in nxt.group(1) and "page=2" in nxt.group(1), "  the next page keeps the filter",
       nxt and nxt.group(1))
    st, _, text = admin.get("/admin/audit?action=paging-test&page=3")
    ok(st == 200 and len(re.findall(r"<tr><td class=\"date\">", text)) == 51 and 'rel="prev"' in text,
       "page 3 holds the rest, with a link back", st)
    st, _, text = admin.get("/admin/audit?action=paging-test&page=9")
    ok(st == 200 and "Nothing on this page" in text, "a page past the end says so", st)
    st, _, text = admin.get("/admin/audit?object=widget&object_id=1001")
    n = len(re.findall(r"<tr><td class=\"date\">", text))
    eq(n, 83, "filter by object kind and number")
    m = re.search(r'class="lang" href="/lang\?set=[a-z]+&amp;back=([^"]*)"', text)
    ok(m and urllib.parse.unquote(m.group(1).replace("&amp;", "&")) == "/admin/audit?object=widget&object_id=1001",
       "the language switch comes back with the filters", m and m.group(1))
    st, _, text = admin.get("/admin/audit?user=%23" + str(uid) + "&action=paging-test")
    ok("250" in kt.text_of(text), "filter by #account number", kt.text_of(text)[-300:])
    st, _, text = admin.get("/admin/audit?user=PORTAL.EXAMPLE&action=login")
    ok(st == 200 and "login" in text and "Matching entries" in text, "filter by a part of the e-mail, any case")
    st, _, text = admin.get("/admin/audit?user=nobody%25x&action=login")
    ok(st == 200 and "No entry matches" in text, "  % in it is no wildcard")
    st, _, text = admin.get("/admin/audit?action=paging-test&from=2000-01-01&to=2000-01-01")
    ok(st == 200 and len(re.findall(r"<tr><td class=\"date\">", text)) == 1 and "line one" in text,
       "a date range, both days included (UTC)")
    st, _, text = admin.get("/admin/audit?from=2024-02-30")
    ok(st == 400 and re.search(r'<input id="f-from"[^>]*value="2024-02-30"[^>]*aria-invalid="true"', text),
       "a day that does not exist: 400, the field marked with the value typed", st)
    st, _, text = admin.get("/admin/audit?from=2024-03-02&to=2024-03-01")
    ok(st == 400 and '<a href="#f-to">To</a>: must not be before from' in text, "to before from: 400, naming the field by its label",
       st)
    st, _, _ = admin.get("/admin/audit?page=0")
    eq(st, 400, "page 0: 400")
    st, _, text = admin.get("/admin/audit?object_id=5")
    ok(st == 400 and "object" in kt.text_of(text), "an object number needs its kind: 400", st)
    st, h, body = admin.get("/admin/audit.csv?action=paging-test&object=widget")
    lines = body.strip().split("\n")
    ok(st == 200 and h.get("content-type", "").startswith("text/csv") and len(lines) == 253 and
       lines[0].strip() == "time_utc,user_id,user_email,ip,action,object_type,object_id,detail",
       "the CSV export holds every filtered entry (a quoted line break adds one line)", (st, len(lines), lines[:1]))
    ok("attachment" in h.get("content-disposition", ""), "  as an attachment")
    r = kt.cli(db, "audit", "--action", "paging-test", "--limit", "5")
    ok(r.returncode == 0 and len(r.stdout.strip().split("\n")) == 7 and "line one" in r.stdout and
       "entry 249" in r.stdout and "entry 245" not in r.stdout,
       "klaster audit writes the filtered log as CSV, the latest written first", (r.returncode, r.stdout[-300:]))
    r = kt.cli(db, "audit", "--from", "yesterday")
    ok(r.returncode == 2 and "from:" in r.stderr, "klaster audit with a bad day: exit 2 naming the option", r.stderr)
    u = kt.Client(srv.port)
    kt.add_user(db, "auditee@portal.example", PW, role="coordinator", cluster=1)
    u.login("auditee@portal.example", PW)
    eq(u.get("/admin/audit.csv")[0], 403, "a coordinator cannot export the log")
    eq(u.get("/admin/audit?action=login")[0], 403, "nor read it")
    # more entries than an export holds: refused whole, never cut short
    sql(db, "INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail)"
            " WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100001)"
            " SELECT %d, NULL, '10.0.0.3', 'cap-test', 'widget', 1, 'x' FROM n" % now)
    st, _, body = admin.get("/admin/audit.csv?action=cap-test")
    ok(st == 413 and "100001" in body and "klaster audit" in body,
       "an export of more than 100,000 entries: 413 saying how many and what to do", (st, body[-300:]))
    sql(db, "DELETE FROM audit_log WHERE action = 'cap-test'")


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
        d = ktdb.Db(db)
        seen = d.rows("SELECT a.object_id, a.detail FROM audit_log a JOIN app_user u ON u.id = a.user_id"
                      " WHERE a.action = 'outbox-view' AND a.object_type = 'mail' AND u.email = ? AND a.object_id = ?",
                      (ADMIN, int(m.group(1))))
        d.close()
        ok(seen == [(int(m.group(1)), "confirm to dora@portal.example (outbox)")],
           "  which the audit log records: who read which message, holding whose link", seen)
        st, _, _ = c.submit(link.group(1), "/confirm", {})
        eq(st, 303, "the flow works without a mail server")
        r = kt.cli(db, "mail", "list")
        ok(r.returncode == 0 and "\toutbox\t" in r.stdout, "klaster mail list shows the queue", r.stdout[-300:])
        # more than a page: the outbox is read a page at a time, newest first
        sql(db, "INSERT INTO mail_queue (created_at, to_addr, subject, body, message_id, kind, status, next_attempt_at)"
                " VALUES " + ",".join("(1, 'page%03d@portal.example', 'paged', 'b', '<page-%d@klaster>', 'test', 'outbox', 0)"
                                      % (i, i) for i in range(150)))
        total = one(db, "SELECT COUNT(*) FROM mail_queue")
        st, _, text = admin.get("/admin/outbox")
        rows = re.findall(r'<tr><td><a href="/admin/outbox/\d+">', text)
        ok(st == 200 and len(rows) == 100 and "page149@portal.example" in text and "page000@" not in text and
           'rel="next" href="/admin/outbox?page=2"' in text, "the outbox shows 100 messages, the newest, and links on",
           (st, len(rows)))
        ok(str(total) in kt.text_of(text), "  with the number in all", total)
        st, _, text = admin.get("/admin/outbox?page=2")
        rows = re.findall(r'<tr><td><a href="/admin/outbox/\d+">', text)
        ok(st == 200 and len(rows) == min(100, total - 100) and "page000@portal.example" in text and 'rel="prev"' in text,
           "page 2 holds the rest", (st, len(rows)))
        eq(admin.get("/admin/outbox?page=x")[0], 400, "a page that is no number: 400")
    finally:
        ok(s.clean_exit(), "outbox server stopped cleanly")


def test_downloads_private(db):
    """A download (here the audit log's CSV) is built in a directory of the server's own (mode 0700, made by
    mkdtemp in $TMPDIR), never at a name in the shared temporary directory that another user could
    plant a link at; nothing is left there after the download, nor the directory after the server."""
    tmp = os.path.join(kt.WORK, "dl-tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    s = kt.Server(db, "downloads", env={"TMPDIR": tmp})
    try:
        admin = kt.Client(s.port)
        admin.login(ADMIN, PW)
        st, _, body = admin.get("/admin/audit.csv?action=login")
        ok(st == 200 and body.startswith("time_utc,"), "the audit log's CSV is downloaded", st)
        st, _, body = admin.get("/organisations.xlsx")
        ok(st == 200 and body, "and the directory's workbook", st)
        entries = os.listdir(tmp)
        ok(len(entries) == 1 and entries[0].startswith("klaster-dl."), "$TMPDIR holds one directory of the server's",
           entries)
        if len(entries) == 1:
            d = os.path.join(tmp, entries[0])
            st_ = os.lstat(d)
            ok(os.path.isdir(d) and not os.path.islink(d) and (st_.st_mode & 0o777) == 0o700,
               "  a real directory only its owner can enter", oct(st_.st_mode))
            eq(os.listdir(d), [], "  empty after the downloads")
            # a cleaner of /tmp removes it while the server rests, and another user makes one of the
            # same name (here: the same name, open to all): the next download makes a new one of its own
            os.rmdir(d)
            os.mkdir(d)
            os.chmod(d, 0o777)
            st, _, body = admin.get("/admin/audit.csv?action=login")
            again = [x for x in os.listdir(tmp) if x != entries[0]]
            ok(st == 200 and body.startswith("time_utc,") and len(again) == 1 and os.listdir(d) == [],
               "  removed and replaced by a directory it does not own: a download makes a private one again",
               (st, again, os.listdir(d)))
            os.rmdir(d)
    finally:
        ok(s.clean_exit(), "downloads server stopped cleanly")
    eq(os.listdir(tmp), [], "the directory is removed when the server stops")


def test_no_store(srv, admin):
    """What a logged-in visitor is shown is theirs: no cache keeps it (Cache-Control: private,
    no-store), the browser's included; a visitor's pages and the embedded files keep theirs."""
    for path in ("/account", "/admin/audit", "/admin/audit.csv?action=login", "/"):
        st, h, _ = admin.get(path)
        ok(st == 200 and h.get("cache-control") == "private, no-store", "%s for an administrator: no-store" % path,
           (st, h.get("cache-control")))
    st, h, _ = admin.get("/static/klaster.css")
    ok(st == 200 and "no-store" not in (h.get("cache-control") or ""), "an embedded file keeps its own",
       h.get("cache-control"))
    st, h, _ = kt.Client(srv.port).get("/")
    ok(st == 200 and h.get("cache-control") is None, "a visitor's page has none", h.get("cache-control"))


def test_retry(db):
    """An unreachable SMTP server: the message stays queued with the error, and is retried later."""
    closed = kt.ClosedPort()
    port = closed.port
    sql(db, "INSERT INTO mail_queue (created_at, to_addr, subject, body, message_id, kind, next_attempt_at)"
            " VALUES (1, 'eve@portal.example', 'retry me', 'body', '<retry-1@klaster>', 'test', 0)")
    r = kt.cli(db, "mail", "deliver", "--smtp-url", "smtp://127.0.0.1:%d" % port)
    closed.close()
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
        kt.section(test_login_timing, srv, db)
        kt.section(test_name_rules, srv, db)
        kt.section(test_secure_cookie, db)
        kt.section(test_session_idle, db)
        kt.section(test_sessions_list, srv, db)
        if admin:
            kt.section(test_csrf, srv, admin)
            kt.section(test_last_admin, srv, admin, db)
            kt.section(test_ids_not_reused, srv, admin, db)
            kt.section(test_admin, srv, admin, db)
            kt.section(test_scope, srv, admin, db)
            kt.section(test_field_labels, srv, admin, db)
            kt.section(test_role_sessions, srv, admin, db)
            kt.section(test_block, srv, sink, admin, db)
            kt.section(test_audit, srv, admin, db)
            kt.section(test_no_store, srv, admin)
            kt.section(test_mail_redacted, srv, sink, admin, db)
        kt.section(test_forgot_reset, srv, sink, db)
        kt.section(test_account, srv, sink, db)
        kt.section(test_mail_format, sink)
        kt.section(test_reset_links, srv, sink, db)
        kt.section(test_pending, srv, sink, db)
        kt.section(test_next_query, srv)
        kt.section(test_weak_passwords, srv, sink, db)
        kt.section(test_user_token, db)
        kt.section(test_rate_limits, srv, sink, db)
    finally:
        srv.clean_exit()
        sink.stop()
    # with no server running on the database: its mail worker would take
    # the message test_retry puts in the queue
    kt.section(test_retry, db)
    kt.section(test_outbox, db)
    kt.section(test_downloads_private, db)
    diag("%s: %.1f s" % (args.backend, time.time() - start))
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
