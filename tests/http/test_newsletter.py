#!/usr/bin/env python3
"""The newsletter against a running server and a real SMTP server.

    python3 tests/http/test_newsletter.py --backend sqlite|postgres

Subscription with consent and double opt-in (the confirmation link shows a
button; only the POST confirms), the same answer for a known address, rate
limits; a coordinator's campaign from published news and current offers
(rows written straight into the database, as the news and offers parts
are built elsewhere), preview, send, one mail per confirmed subscriber
with RFC 2369/8058 headers, 409 on a second send, one-click unsubscribe
without cookies; roles; the administrator's subscriber list and CSV; and
the mail queue: a server killed with SIGKILL while sending delivers every
remaining message exactly once after a restart, and an unreachable SMTP
server leaves messages queued with their attempts and error, delivered
once later.
"""
import argparse
import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402

PW = "newsletter-pass-1234"
CONSENT_VERSION = "2026-11-v2"


class Sql:
    """Direct SQL on the test database (sqlite3 module or psql); rows come
    back as tuples of strings ('' for NULL) on both backends."""

    def __init__(self, db):
        self.db = db

    @staticmethod
    def _lit(v):
        if v is None:
            return "NULL"
        if isinstance(v, int):
            return str(v)
        return "'" + str(v).replace("'", "''") + "'"

    def run(self, sql, params=()):
        if self.db.startswith("sqlite:"):
            con = sqlite3.connect(self.db[7:], timeout=30)
            try:
                rows = con.execute(sql, params).fetchall()
                con.commit()
            finally:
                con.close()
            return [tuple("" if v is None else str(v) for v in row) for row in rows]
        text = sql
        for p in params:
            text = text.replace("?", self._lit(p), 1)
        r = subprocess.run(["psql", self.db, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", text],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("psql: %s" % r.stderr)
        return [tuple(line.split("\t")) for line in r.stdout.splitlines() if line]

    def one(self, sql, params=()):
        rows = self.run(sql, params)
        return rows[0][0] if rows else None


def subscriber(sql, addr):
    rows = sql.run("SELECT status, consent_version, requested_at, COALESCE(request_ip, ''), COALESCE(confirmed_at, 0),"
                   " COALESCE(confirm_ip, ''), COALESCE(unsubscribe_how, '') FROM newsletter_subscriber WHERE email = ?",
                   (addr,))
    if not rows:
        return None
    k = ("status", "consent_version", "requested_at", "request_ip", "confirmed_at", "confirm_ip", "unsubscribe_how")
    return dict(zip(k, rows[0]))


def subject_mails(sink, to, subject):
    return [m for m in sink.messages(to) if m["Subject"] == subject]


def subscribe(c, addr, consent=True):
    fields = {"email": addr}
    if consent:
        fields["consent"] = "1"
    return c.submit("/newsletter", "/newsletter", fields)


def subscribe_and_confirm(port, sink, addr):
    c = kt.Client(port)
    st, _, _ = subscribe(c, addr)
    msgs = sink.wait(addr, 1)
    link = kt.link_in(msgs[-1], "/newsletter/confirm") if msgs else None
    if st != 200 or not link:
        raise AssertionError("subscribe %s: status %s, link %r" % (addr, st, link))
    c.get(link)
    st, _, text = c.submit(link, "/newsletter/confirm", {})
    if st != 200:
        raise AssertionError("confirm %s: status %s %s" % (addr, st, text[:300]))


# ---------------------------------------------------------------- subscribe

def test_subscribe(port, sink, sql):
    c = kt.Client(port)
    st, _, page = c.get("/newsletter")
    kt.eq(st, 200, "GET /newsletter")
    box = re.search(r"<input[^>]*name=\"consent\"[^>]*>", page)
    kt.ok(box and 'type="checkbox"' in box.group(0) and "checked" not in box.group(0),
          "the consent checkbox is there and not ticked", box.group(0) if box else page[:500])
    kt.ok(CONSENT_VERSION in page and "I want to receive" in page, "the consent text and its version are shown (en)")
    st, _, page_pl = kt.Client(port, lang="pl").get("/newsletter")
    kt.ok("Chcę otrzymywać" in page_pl and CONSENT_VERSION in page_pl, "the consent text in Polish")
    # the hint is linked to its field; required fields are marked, and the mark explained once
    email = re.search(r"<input[^>]*id=\"f-email\"[^>]*>", page)
    kt.ok(email and 'aria-describedby="f-email-hint"' in email.group(0) and 'id="f-email-hint"' in page
          and "confirmation link" in re.search(r'id="f-email-hint">([^<]*)<', page).group(1),
          "the address's hint is linked to it (aria-describedby)", email and email.group(0))
    kt.ok(page.count('class="hint required-legend"') == 1 and "a required field" in page and "pole wymagane" in page_pl
          and re.search(r'<label for="f-email">[^<]*<span class="req" aria-hidden="true">\*</span></label>', page)
          and re.search(r'<label for="f-consent">.*?<span class="req" aria-hidden="true">\*</span></label>', page),
          "the address and the consent are marked required, the mark explained once in both languages")
    kt.ok("kept only as proof" in page and "wyłącznie jako dowód" in page_pl and "until I unsubscribe" not in page
          and "do czasu wypisania" not in page_pl,
          "the consent text says the record of consent is kept after unsubscribing, as the export keeps it")

    st, _, text = subscribe(c, "alice@example.org", consent=False)
    kt.eq(st, 400, "subscribe without consent: 400")
    kt.ok('<a href="#f-consent">Consent</a>:' in text and 'value="alice@example.org"' in text
          and re.search(r'id="f-consent"[^>]*aria-invalid="true"', text),
          "the field is named by its label, linked and marked, and the address kept", kt.text_of(text)[:400])
    st, _, text = subscribe(kt.Client(port, lang="pl"), "alice@example.org", consent=False)
    kt.ok(st == 400 and "Zgoda: zaznacz pole" in kt.text_of(text).replace(" :", ":") and "consent:" not in kt.text_of(text),
          "on a Polish page: „Zgoda”, not the field's internal name", kt.text_of(text)[:400])
    st, _, text = subscribe(c, "not-an-address")
    kt.ok(st == 400 and '<a href="#f-email">E-mail address</a>:' in text, "a bad address: 400 naming the field", st)
    st, _, text = c.submit("/newsletter", "/newsletter", {"email": "alice@example.org", "consent": "1",
                                                         "consent_version": "2020-01-v0"})
    kt.ok(st == 400 and '<a href="#f-consent">Consent</a>:' in text, "an outdated consent version: 400", st)
    kt.eq(subscriber(sql, "alice@example.org"), None, "nothing was written for refused requests")
    kt.eq(sink.messages("alice@example.org"), [], "and nothing was mailed")

    st, _, first = subscribe(c, "Alice@Example.org ")
    kt.eq(st, 200, "subscribe with consent: 200")
    msgs = sink.wait("alice@example.org", 1)
    kt.eq(len(msgs), 1, "one confirmation mail")
    link = kt.link_in(msgs[0], "/newsletter/confirm") if msgs else None
    kt.ok(link and re.search(r"token=[0-9a-f]{64}$", link), "it holds a single-use link", link)
    s = subscriber(sql, "alice@example.org")
    kt.ok(s and s["status"] == "pending" and s["consent_version"] == CONSENT_VERSION and int(s["requested_at"]) > 0
          and s["request_ip"] == "127.0.0.1", "pending, with consent version, time and IP of the request", s)

    # the link shows a button; following it does not confirm (mail scanners)
    v = kt.Client(port)
    st, _, page = v.get(link)
    f = v.form("/newsletter/confirm")
    kt.ok(st == 200 and f and f["fields"].get("token") and "<button" in page, "GET of the link shows a button")
    kt.eq(subscriber(sql, "alice@example.org")["status"], "pending", "GET did not confirm")
    st, _, page = v.submit(link, "/newsletter/confirm", {})
    kt.ok(st == 200 and "confirmed" in page, "POST confirms", st)
    s = subscriber(sql, "alice@example.org")
    kt.ok(s["status"] == "confirmed" and int(s["confirmed_at"]) > 0 and s["confirm_ip"] == "127.0.0.1",
          "confirmed, with time and IP of the confirmation", s)
    st, _, _ = v.post("/newsletter/confirm", {"csrf": f["fields"]["csrf"], "token": f["fields"]["token"]})
    kt.eq(st, 410, "the link works once")
    st, _, _ = kt.Client(port).get(link)
    kt.eq(st, 410, "a spent link shows 410")
    for path in ("/newsletter/confirm", "/newsletter/confirm?token="):
        st, _, page = kt.Client(port).get(path)
        kt.ok(st == 400 and "token" in kt.text_of(page), "%s: a link cut short is a 400 naming token, not 'used'" % path,
              (st, kt.text_of(page)[-200:]))
    confirmed_at = s["confirmed_at"]

    # the same answer for an address already subscribed and a new one
    st1, _, again = subscribe(c, "alice@example.org")
    st2, _, fresh = subscribe(c, "carol@example.org")
    kt.ok(st1 == st2 == 200 and kt.text_of(again) == kt.text_of(fresh) == kt.text_of(first),
          "the same answer whether or not the address is subscribed")
    msgs = sink.wait("alice@example.org", 2)
    kt.ok(len(msgs) == 2 and kt.link_in(msgs[1], "/newsletter/confirm") is None,
          "the owner of a subscribed address gets a notice, not a new link")
    s = subscriber(sql, "alice@example.org")
    kt.ok(s["status"] == "confirmed" and s["confirmed_at"] == confirmed_at, "a subscribed address is left as it was")
    kt.eq(len(sink.wait("carol@example.org", 1)), 1, "carol got her confirmation mail (and never confirms)")

    # rate limit per address
    codes = [subscribe(c, "dave@example.org")[0] for _ in range(4)]
    kt.eq(codes, [200, 200, 200, 429], "subscribe is rate-limited per address")


def test_relink(port, sink, sql):
    """A second request for a pending address renews its consent record and mails a new link; the
    earlier link stops working, so what is confirmed is always the request the record describes."""
    addr = "erin@example.org"
    c = kt.Client(port)
    st, _, _ = subscribe(c, addr)
    msgs = sink.wait(addr, 1)
    first = kt.link_in(msgs[0], "/newsletter/confirm") if msgs else None
    kt.ok(st == 200 and first, "the first request mails a link", st)
    sql.run("UPDATE newsletter_subscriber SET requested_at = requested_at - 3600 WHERE email = ?", (addr,))
    before = subscriber(sql, addr)
    st, _, _ = subscribe(kt.Client(port), addr)
    msgs = sink.wait(addr, 2)
    second = kt.link_in(msgs[1], "/newsletter/confirm") if len(msgs) > 1 else None
    after = subscriber(sql, addr)
    kt.ok(st == 200 and second and second != first and int(after["requested_at"]) > int(before["requested_at"]),
          "a second request renews the record and mails a new link", (st, before, after))
    st, _, _ = c.get(first)
    kt.eq(st, 410, "  the first link no longer opens")
    st, _, _ = c.post("/newsletter/confirm", {"csrf": c.csrf("/newsletter"), "token": first[len("/newsletter/confirm?token="):]})
    kt.eq(st, 410, "  nor confirms")
    kt.eq(subscriber(sql, addr)["status"], "pending", "  and the address is still pending")
    v = kt.Client(port)
    v.get(second)
    st, _, text = v.submit(second, "/newsletter/confirm", {})
    s = subscriber(sql, addr)
    kt.ok(st == 200 and s["status"] == "confirmed" and s["requested_at"] == after["requested_at"],
          "the newest link confirms the request the record holds", (st, s))


# ---------------------------------------------------------------- campaigns

def insert_items(sql):
    now = int(time.time())
    org = int(sql.one("SELECT MIN(id) FROM organisation"))
    ids = {}

    def article(title, lead, status):
        return int(sql.one("INSERT INTO article (title, lead, body_md, lang, status, published_at, created_at, updated_at)"
                           " VALUES (?, ?, 'Body **text**', 'en', ?, ?, ?, ?) RETURNING id",
                           (title, lead, status, now if status == "published" else None, now, now)))

    def offer(title, status, until):
        return int(sql.one("INSERT INTO offer (org_id, kind, title, description, valid_from, valid_until, status,"
                           " created_at, updated_at) VALUES (?, 'cooperation', ?, 'Description', '2020-01-01', ?, ?, ?, ?)"
                           " RETURNING id", (org, title, until, status, now, now)))

    ids["news"] = article("Cluster wins <award> & prize", "A lead about the award.", "published")
    ids["draft"] = article("Draft news not public", None, "draft")
    ids["offer"] = offer("Seeking CNC partner", "approved", "2099-12-31")
    ids["expired"] = offer("Expired offer of 2000", "approved", "2000-01-01")
    ids["pending"] = offer("Pending offer not public", "pending", "2099-12-31")
    return ids


def compose(c, subject, intro, articles=(), offers=(), page="/admin/newsletter/new", action="/admin/newsletter/new"):
    return c.submit(page, action, {"subject": subject, "intro": intro, "articles": list(articles),
                                   "offers": list(offers)})


def campaign_id(location):
    m = re.search(r"/admin/newsletter/campaign/(\d+)", location or "")
    return int(m.group(1)) if m else None


def test_campaign(port, sink, sql, coord, other_coord, user, admin):
    for addr in ("bob@example.org", "frank@example.org"):
        subscribe_and_confirm(port, sink, addr)
    ids = insert_items(sql)

    visitor = kt.Client(port)
    st, h, _ = visitor.get("/admin/newsletter")
    kt.ok(st == 303 and h.get("location", "").startswith("/login"), "a visitor is sent to log in", st)
    st, _, _ = user.get("/admin/newsletter")
    kt.eq(st, 403, "a plain user cannot open the campaigns")
    st, _, _ = user.get("/admin/newsletter/new")
    kt.eq(st, 403, "nor compose")
    tok = user.csrf("/account")
    st, _, _ = user.post("/admin/newsletter/new", {"csrf": tok, "subject": "x", "intro": "y"})
    kt.eq(st, 403, "a plain user's POST of a campaign: 403")

    st, _, page = coord.get("/admin/newsletter/new")
    kt.eq(st, 200, "a coordinator opens the compose form")
    kt.ok('value="%d"' % ids["news"] in page and 'value="%d"' % ids["offer"] in page,
          "published news and approved current offers are offered")
    kt.ok("Draft news not public" not in page and "Expired offer" not in page and "Pending offer" not in page,
          "drafts, expired and unapproved offers are not")

    st, _, text = compose(coord, "", "intro", [ids["news"]], [ids["offer"]])
    kt.ok(st == 400 and '<a href="#f-subject">Subject</a>:' in text, "no subject: 400 naming the field by its label", st)
    kt.ok(re.search(r'value="%d"[^>]* checked' % ids["news"], text) and
          re.search(r'value="%d"[^>]* checked' % ids["offer"], text),
          "  the article and the offer ticked stay ticked", re.findall(r'<input[^>]*checked[^>]*>', text)[:3])
    st, _, text = compose(coord, "Subject", "", [], [ids["expired"]])
    kt.ok(st == 400 and '<a href="#f-offers">Cooperation offers</a>: #%d is not an approved offer' % ids["expired"] in text
          and 'value="Subject"' in text, "an expired offer: 400 naming the list by its label, values kept", st)
    st, _, text = compose(coord, "Subject", "", [ids["draft"]])
    kt.ok(st == 400 and '<a href="#f-articles">News</a>: #%d is not a published news item' % ids["draft"] in text,
          "an unpublished article: 400 naming the list by its label", st)
    st, _, text = compose(coord, "Subject", "")
    kt.ok(st == 400 and '<a href="#f-articles">News</a>: choose at least one' in text, "nothing to send: 400", st)
    kt.eq(sql.one("SELECT COUNT(*) FROM newsletter_campaign"), "0", "no campaign was half-written")

    subject = "Issue <1> & friends"
    st, h, _ = compose(coord, subject, "Hello <b>members</b>,\nthis month:", [ids["news"]], [ids["offer"]])
    cid = campaign_id(h.get("location"))
    kt.ok(st == 303 and cid, "the campaign is saved as a draft", (st, h.get("location")))
    st, _, page = coord.get("/admin/newsletter/campaign/%d" % cid)
    pre = re.search(r'<pre class="mail">(.*?)</pre>', page, re.S)
    pre = pre.group(1) if pre else ""
    kt.ok(st == 200 and "Hello &lt;b&gt;members&lt;/b&gt;" in pre and "<b>members" not in page,
          "the preview is plain text, escaped in the page")
    kt.ok("Cluster wins &lt;award&gt; &amp; prize" in pre and "Seeking CNC partner" in pre
          and "/news/%d" % ids["news"] in pre and "/offers/%d" % ids["offer"] in pre,
          "the preview holds the chosen news and offer with their links")
    kt.ok("/newsletter/unsubscribe?t=" in pre, "and the unsubscribe line")
    st, _, _ = other_coord.get("/admin/newsletter/campaign/%d" % cid)
    kt.eq(st, 403, "another cluster's coordinator cannot open it")
    st, _, _ = user.post("/admin/newsletter/send", {"csrf": tok, "campaign": str(cid)})
    kt.eq(st, 403, "a plain user cannot send")
    vt = visitor.csrf("/newsletter")
    st, _, _ = visitor.post("/admin/newsletter/send", {"csrf": vt, "campaign": str(cid)})
    kt.eq(st, 403, "a visitor cannot send")
    st, _, _ = other_coord.post("/admin/newsletter/send", {"csrf": other_coord.csrf("/admin/newsletter"),
                                                           "campaign": str(cid)})
    kt.eq(st, 403, "another cluster's coordinator cannot send it")
    kt.eq(sql.one("SELECT status FROM newsletter_campaign WHERE id = ?", (cid,)), "draft", "still a draft")
    # with no confirmed subscriber the page says there is no one to send to, and has no button
    confirmed = [int(row[0]) for row in sql.run("SELECT id FROM newsletter_subscriber WHERE status = 'confirmed'")]
    for sid in confirmed:
        sql.run("UPDATE newsletter_subscriber SET status = 'pending' WHERE id = ?", (sid,))
    try:
        st, _, page = coord.get("/admin/newsletter/campaign/%d" % cid)
    finally:
        for sid in confirmed:
            sql.run("UPDATE newsletter_subscriber SET status = 'confirmed' WHERE id = ?", (sid,))
    kt.ok(st == 200 and 'class="notice send-none"' in page and 'action="/admin/newsletter/send"' not in page,
          "no confirmed subscriber: no Send now button, the page says why", st)

    # a test message first: to the coordinator's own address only, marked [TEST]; still a draft,
    # no subscriber gets it; other roles cannot
    st, h, page = coord.submit("/admin/newsletter/campaign/%d" % cid, "/admin/newsletter/test", {"to": "x@evil.example"})
    kt.ok(st == 303 and "done=test" in h.get("location", ""), "a test message of the draft (303)", (st, h.get("location")))
    st, _, page = coord.get(h.get("location", "/"))
    kt.ok("nl-coord@example.org" in page and "stays a draft" in kt.text_of(page), "the page says where it went")
    deadline = time.time() + 15
    while time.time() < deadline and not subject_mails(sink, "nl-coord@example.org", "[TEST] " + subject):
        time.sleep(0.05)
    tests = subject_mails(sink, "nl-coord@example.org", "[TEST] " + subject)
    kt.ok(len(tests) == 1 and "Seeking CNC partner" in kt.body_of(tests[0]) and not tests[0]["List-Unsubscribe"],
          "the coordinator gets the body subscribers will get, marked [TEST]", len(tests))
    test_unsub = kt.link_in(tests[0], "/newsletter/unsubscribe") if tests else None
    before = sql.one("SELECT COUNT(*) FROM newsletter_subscriber WHERE status = 'unsubscribed'")
    st, _, page = kt.Client(port, lang="pl").get(test_unsub or "/newsletter/unsubscribe?t=TEST")
    kt.ok(test_unsub and st == 200 and "wiadomości próbnej" in page and "nikogo nie wypisuje" in page
          and "Nie znamy tego linku" not in page,
          "the test message's unsubscribe link opens a page saying it is the test's link and unsubscribes no one",
          (test_unsub, st, kt.text_of(page)[-400:]))
    st, _, page = kt.Client(port).post(test_unsub or "/newsletter/unsubscribe?t=TEST", {}, raw="List-Unsubscribe=One-Click")
    kt.ok(st == 200 and "test message" in page and
          sql.one("SELECT COUNT(*) FROM newsletter_subscriber WHERE status = 'unsubscribed'") == before,
          "  and its one-click POST the same, nobody unsubscribed", st)
    kt.eq(sink.messages("x@evil.example"), [], "a 'to' field of the request is ignored: no one else gets it")
    kt.ok(all(not subject_mails(sink, a, "[TEST] " + subject) for a in ("alice@example.org", "bob@example.org")),
          "no subscriber gets the test")
    kt.eq(sql.one("SELECT status FROM newsletter_campaign WHERE id = ?", (cid,)), "draft", "still a draft after the test")
    kt.ok(sql.one("SELECT COUNT(*) FROM audit_log WHERE action = 'newsletter-test'") in (1, "1"), "the test is audited")
    st, _, _ = other_coord.post("/admin/newsletter/test", {"csrf": other_coord.csrf("/admin/newsletter"),
                                                           "campaign": str(cid)})
    kt.eq(st, 403, "another cluster's coordinator cannot test it")
    st, _, _ = user.post("/admin/newsletter/test", {"csrf": tok, "campaign": str(cid)})
    kt.eq(st, 403, "nor a plain user")

    # edit the draft, then send it
    st, h, _ = coord.submit("/admin/newsletter/campaign/%d" % cid, "/admin/newsletter/edit",
                            {"subject": subject, "intro": "Hello <b>members</b>,\nthis month:"})
    kt.ok(st == 303 and campaign_id(h.get("location")) == cid, "the draft can be edited", st)
    # every problem of an edit at once, each by its label (the items' lists too), what was typed kept
    st, _, page = coord.submit("/admin/newsletter/campaign/%d" % cid, "/admin/newsletter/edit",
                               {"subject": "", "lang": "xx", "articles": ["999999"], "intro": "Wstęp zostaje"})
    items = re.findall(r'<li><a href="#f-([a-z_]+)">', page)
    kt.ok(st == 400 and items == ["subject", "lang", "articles"] and "Please correct the fields marked:" in page
          and '<a href="#f-articles">News</a>: #999999 is not a published news item' in page,
          "edit: no subject, an unknown language and an article that is none: all three listed", (st, items))
    kt.ok(re.search(r'<input id="f-subject"[^>]*aria-invalid="true"', page)
          and re.search(r'<select id="f-lang"[^>]*aria-invalid="true"', page)
          and re.search(r'<fieldset id="f-articles" aria-invalid="true">', page) and "Wstęp zostaje" in page,
          "  each marked where it is, the introduction typed kept")
    kt.eq(sql.one("SELECT subject FROM newsletter_campaign WHERE id = ?", (cid,)), subject, "  and the draft is unchanged")
    # "Send now" asks first: the button's question names the count for JavaScript's confirm(); without
    # JavaScript the first POST answers with a page naming the campaign and the recipients, and sends nothing
    _, _, page = coord.get("/admin/newsletter/campaign/%d" % cid)
    kt.ok('data-confirm="Send the campaign “Issue &lt;1&gt; &amp; friends” now to the confirmed subscribers (3 of them)?' in page,
          "the Send now button carries its question, with the number of recipients")
    queued = sql.one("SELECT COUNT(*) FROM mail_queue")
    st, h, page = coord.submit("/admin/newsletter/campaign/%d" % cid, "/admin/newsletter/send", {})
    f = coord.form("/admin/newsletter/send", page)
    kt.ok(st == 200 and "goes now to the confirmed subscribers (3 of them)" in kt.text_of(page) and subject in kt.text_of(page)
          and f and f["fields"].get("confirm") == "1" and f["fields"].get("campaign") == str(cid) and f["fields"].get("csrf")
          and '<a href="/admin/newsletter/campaign/%d">Cancel</a>' % cid in page,
          "the first POST answers with a page naming the campaign and its 3 recipients, a confirm form and Cancel",
          (st, kt.text_of(page)[:400]))
    kt.ok(sql.one("SELECT COUNT(*) FROM mail_queue") == queued
          and sql.one("SELECT status FROM newsletter_campaign WHERE id = ?", (cid,)) == "draft",
          "… and sends nothing: no mail queued, still a draft")
    st, h, _ = coord.confirm("/admin/newsletter/send", page)
    kt.ok(st == 303 and "done=sent" in h.get("location", ""), "send, confirmed", (st, h.get("location")))
    confirmed = ["alice@example.org", "bob@example.org", "frank@example.org"]
    deadline = time.time() + 15
    while time.time() < deadline and any(len(subject_mails(sink, a, subject)) < 1 for a in confirmed):
        time.sleep(0.05)
    mails = {a: subject_mails(sink, a, subject) for a in confirmed}
    kt.eq({a: len(m) for a, m in mails.items()}, {a: 1 for a in confirmed},
          "each confirmed subscriber got exactly one mail")
    kt.eq(subject_mails(sink, "carol@example.org", subject), [], "the unconfirmed address got nothing")
    kt.eq(sql.run("SELECT status, recipients FROM newsletter_campaign WHERE id = ?", (cid,)), [("sent", "3")],
          "the campaign is recorded as sent to 3")
    unsub = {}
    for a in confirmed:
        m = mails[a][0] if mails[a] else None
        lu = m["List-Unsubscribe"] if m else ""
        mm = re.fullmatch(r"<http://127\.0\.0\.1:%d(/newsletter/unsubscribe\?t=[0-9a-f]{64})>" % port, lu or "")
        body = kt.body_of(m) if m else ""
        kt.ok(mm and m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and mm.group(1) in body,
              "%s: List-Unsubscribe, List-Unsubscribe-Post and the same link in the body" % a, lu)
        kt.ok("Cluster wins <award> & prize" in body and "Seeking CNC partner" in body and "Hello <b>members</b>" in body,
              "%s: the body holds the intro and the items as plain text" % a)
        unsub[a] = mm.group(1) if mm else None
    kt.eq(len(set(unsub.values())), 3, "every subscriber has a personal link")
    # the queue's copy of a sent mail holds no live unsubscribe token (only its hash is kept, in
    # newsletter_delivery): a copy of the database does not let anyone unsubscribe others
    deadline = time.time() + 10
    while time.time() < deadline and sql.one("SELECT COUNT(*) FROM mail_queue WHERE kind = ? AND status <> 'sent'",
                                             ("newsletter:%d" % cid,)) != "0":
        time.sleep(0.05)
    kind = "newsletter:%d" % cid
    tokens = [u.split("t=")[1] for u in unsub.values() if u]
    marked = sql.one("SELECT COUNT(*) FROM mail_queue WHERE kind = ? AND body LIKE ? AND headers LIKE ?",
                     # "_" for the "?": the psql helper fills in parameters at each "?"
                     (kind, "%unsubscribe_t=REMOVED-AFTER-DELIVERY%", "%unsubscribe_t=REMOVED-AFTER-DELIVERY%"))
    leaked = [t for t in tokens if sql.one("SELECT COUNT(*) FROM mail_queue WHERE body LIKE ? OR headers LIKE ?",
                                           ("%" + t + "%", "%" + t + "%")) != "0"]
    kt.ok(len(tokens) == 3 and marked == "3" and not leaked,
          "the stored copies of the sent mails have the unsubscribe token removed, in body and headers",
          (marked, leaked))

    st, _, _ = coord.post("/admin/newsletter/send", {"csrf": coord.csrf("/admin/newsletter"), "campaign": str(cid)})
    kt.eq(st, 409, "asking to send it a second time: 409, no question")
    st, _, _ = coord.post("/admin/newsletter/send", {"csrf": coord.csrf("/admin/newsletter"), "campaign": str(cid),
                                                     "confirm": "1"})
    kt.eq(st, 409, "a second send: 409")
    st, _, _ = coord.post("/admin/newsletter/test", {"csrf": coord.csrf("/admin/newsletter"), "campaign": str(cid)})
    kt.eq(st, 409, "a test of a sent campaign: 409")
    st, _, _ = coord.post("/admin/newsletter/edit", {"csrf": coord.csrf("/admin/newsletter"), "campaign": str(cid),
                                                     "subject": "changed", "intro": "x"})
    kt.eq(st, 409, "a sent campaign cannot be edited")
    time.sleep(0.5)
    kt.eq({a: len(subject_mails(sink, a, subject)) for a in confirmed}, {a: 1 for a in confirmed},
          "no mail was queued twice")
    st, _, page = coord.get("/admin/newsletter")
    kt.ok(st == 200 and "Issue &lt;1&gt; &amp; friends" in page and "<td>3 / 3 / 0 / 0</td>" in page,
          "the campaign list shows status and counts (recipients / sent / not sent yet / failed)")

    # one-click unsubscribe (RFC 8058): no cookies, no CSRF token
    st, _, _ = kt.request(port, "POST", unsub["alice@example.org"], body=b"",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    kt.eq(st, 400, "a POST without List-Unsubscribe=One-Click: 400")
    st, _, _ = kt.request(port, "POST", "/newsletter/unsubscribe?t=" + "0" * 64, body=b"List-Unsubscribe=One-Click",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    kt.eq(st, 404, "an unknown token: 404")
    kt.eq(subscriber(sql, "alice@example.org")["status"], "confirmed", "neither unsubscribed anyone")
    st, _, body = kt.request(port, "POST", unsub["alice@example.org"], body=b"List-Unsubscribe=One-Click",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    kt.eq(st, 200, "one-click POST from the header URL without cookies: 200")
    s = subscriber(sql, "alice@example.org")
    kt.ok(s["status"] == "unsubscribed" and s["unsubscribe_how"] == "one-click", "alice is unsubscribed", s)
    mp = (b"--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n")
    st, _, _ = kt.request(port, "POST", unsub["alice@example.org"], body=mp,
                          headers={"Content-Type": "multipart/form-data; boundary=XyZ"})
    kt.eq(st, 200, "the multipart/form-data form of the one-click POST, a second time: 200")

    # the visible page: GET shows a button and changes nothing; the button unsubscribes
    fc = kt.Client(port)
    st, _, page = fc.get(unsub["frank@example.org"])
    kt.ok(st == 200 and fc.form("/newsletter/unsubscribe") and "frank@example.org" in page,
          "GET of the link shows a confirmation button")
    kt.eq(subscriber(sql, "frank@example.org")["status"], "confirmed", "GET did not unsubscribe")
    st, _, _ = fc.submit(unsub["frank@example.org"], "/newsletter/unsubscribe", {})
    s = subscriber(sql, "frank@example.org")
    kt.ok(st == 200 and s["status"] == "unsubscribed" and s["unsubscribe_how"] == "page", "the button unsubscribes", s)

    # a second campaign reaches only bob
    subject2 = "Second issue"
    st, h, _ = compose(coord, subject2, "Only an intro this time.")
    cid2 = campaign_id(h.get("location"))
    st, h, _ = coord.submit_confirmed("/admin/newsletter/campaign/%d" % cid2, "/admin/newsletter/send", {})
    kt.ok(st == 303, "a second campaign is sent", st)
    deadline = time.time() + 15
    while time.time() < deadline and not subject_mails(sink, "bob@example.org", subject2):
        time.sleep(0.05)
    time.sleep(0.5)
    counts = {a: len(subject_mails(sink, a, subject2))
              for a in ("alice@example.org", "bob@example.org", "frank@example.org", "carol@example.org")}
    kt.eq(counts, {"alice@example.org": 0, "bob@example.org": 1, "frank@example.org": 0, "carol@example.org": 0},
          "unsubscribed and unconfirmed addresses receive nothing further")

    actions = {r[0] for r in sql.run("SELECT DISTINCT action FROM audit_log WHERE action LIKE 'newsletter%'")}
    want = {"newsletter-subscribe", "newsletter-confirm", "newsletter-campaign-create", "newsletter-campaign-edit",
            "newsletter-send", "newsletter-unsubscribe"}
    kt.ok(want <= actions, "every change is in the audit log", sorted(want - actions))
    return cid


def test_subscribers(port, sql, admin, coord):
    sql.run("INSERT INTO newsletter_subscriber (email, status, lang, consent_version, requested_at, request_ip)"
            " VALUES ('=cmd@example.org', 'pending', 'en', ?, 1700000000, '10.0.0.1')", (CONSENT_VERSION,))
    st, _, _ = coord.get("/admin/newsletter/subscribers")
    kt.eq(st, 403, "a coordinator cannot see the subscribers")
    st, _, _ = coord.get("/admin/newsletter/subscribers.csv")
    kt.eq(st, 403, "nor export them")
    st, _, page = admin.get("/admin/newsletter/subscribers")
    kt.ok(st == 200 and "alice@example.org" in page and CONSENT_VERSION in page and "one click" in page and
          "unsubscribed" in page and "one-click" not in page,
          "the administrator sees subscribers with status and consent data (in the page's language)")
    st, _, page = admin.get("/admin/newsletter/subscribers?status=bogus")
    kt.ok(st == 400 and "status" in page, "an unknown status filter: 400 naming status", st)
    st, _, page = admin.get("/admin/newsletter/subscribers?status=pending")
    kt.ok(st == 200 and "carol@example.org" in page and "bob@example.org" not in page, "filtered by status")
    st, h, text = admin.get("/admin/newsletter/subscribers.csv")
    kt.ok(st == 200 and h.get("content-type", "").startswith("text/csv"), "CSV export", h.get("content-type"))
    rows = list(csv.DictReader(io.StringIO(text)))
    by = {r["email"]: r for r in rows}
    kt.ok(by.get("alice@example.org", {}).get("status") == "unsubscribed"
          and by["alice@example.org"]["consent_version"] == CONSENT_VERSION
          and by["alice@example.org"]["confirm_ip"] == "127.0.0.1"
          and re.match(r"\d{4}-\d\d-\d\dT", by["alice@example.org"]["confirmed_at"]),
          "the CSV holds status, consent version, times and IPs", by.get("alice@example.org"))
    kt.ok("'=cmd@example.org" in by, "a formula-like value is defused", sorted(by))
    kt.eq(sql.one("SELECT COUNT(*) FROM audit_log WHERE action = 'newsletter-export'"), "1", "the export is audited")


def test_long_lines(port, sink, sql, admin):
    """An introduction typed as one long paragraph (a textarea sends a paragraph as one line) is
    delivered: SMTP allows lines of at most 998 bytes, and servers refuse or break longer ones, so
    such a body goes out as quoted-printable, and the reader gets the text as it was written."""
    intro = " ".join("Zdanie %d: zażółć gęślą jaźń, a = b." % i for i in range(60))
    kt.ok(len(intro.encode("utf-8")) > 2000, "the introduction is one line of over 2000 bytes")
    st, h, _ = compose(admin, "Long paragraph", intro)
    cid = campaign_id(h.get("location"))
    kt.ok(st == 303 and cid, "the campaign is saved", st)
    st, _, _ = admin.submit("/admin/newsletter/campaign/%d" % cid, "/admin/newsletter/test", {})
    kt.eq(st, 303, "its test message is queued")
    msgs = [m for m in sink.wait("nl-admin@example.org", 1) if str(m["Subject"]) == "[TEST] Long paragraph"]
    kt.ok(len(msgs) == 1, "the SMTP server accepts it (no line over 998 bytes)",
          sql.run("SELECT status, attempts, COALESCE(last_error, '') FROM mail_queue WHERE kind = ?",
                  ("newsletter-test:%d" % cid,)))
    if msgs:
        m = msgs[0]
        raw = m.as_bytes()
        kt.ok(max(len(line) for line in raw.split(b"\n")) <= 998 and
              m["Content-Transfer-Encoding"] == "quoted-printable",
              "  sent as quoted-printable, every line within the limit", m["Content-Transfer-Encoding"])
        body = kt.body_of(m)
        kt.ok(intro in body and "/newsletter/unsubscribe?t=TEST" in body,
              "  the reader gets the paragraph unchanged, and the rest of the message", body[:300])


# ---------------------------------------------------------------- the mail queue

def make_confirmed(sql, prefix, n):
    now = int(time.time())
    for i in range(n):
        sql.run("INSERT INTO newsletter_subscriber (email, status, lang, consent_version, requested_at, request_ip,"
                " confirmed_at, confirm_ip) VALUES (?, 'confirmed', 'en', ?, ?, '127.0.0.1', ?, '127.0.0.1')",
                ("%s%02d@example.org" % (prefix, i), CONSENT_VERSION, now, now))


def send_campaign(c, subject):
    st, h, _ = compose(c, subject, "Crash test issue.")
    cid = campaign_id(h.get("location"))
    if st != 303 or not cid:
        raise AssertionError("compose: %s" % st)
    st, h, _ = c.submit_confirmed("/admin/newsletter/campaign/%d" % cid, "/admin/newsletter/send", {})
    if st != 303:
        raise AssertionError("send: %s" % st)
    return cid


def per_recipient(sink, subject, recipients):
    counts, ids = {}, {}
    for a in recipients:
        ms = subject_mails(sink, a, subject)
        counts[a] = len(ms)
        ids[a] = len({m["Message-ID"] for m in ms})
    return counts, ids


def test_crash(db, sql, coord_email):
    make_confirmed(sql, "crash", 30)
    recipients = [r[0] for r in sql.run("SELECT email FROM newsletter_subscriber WHERE status = 'confirmed' ORDER BY id")]
    sink = kt.SmtpSink(delay_rcpt=0.2)
    srv = kt.Server(db, "crash", "--smtp-url", sink.url, "--mail-lease", "2")
    try:
        c = kt.Client(srv.port)
        c.login(coord_email, PW)
        subject = "Crash issue"
        cid = send_campaign(c, subject)
        kind = "newsletter:%d" % cid
        deadline = time.time() + 20
        while time.time() < deadline and len([m for m in sink.messages() if m["Subject"] == subject]) < 5:
            time.sleep(0.01)
        # half-way through the next message's RCPT delay: killed mid-delivery
        time.sleep(0.1)
        srv.kill()
        before = len([m for m in sink.messages() if m["Subject"] == subject])
        states = dict(sql.run("SELECT status, COUNT(*) FROM mail_queue WHERE kind = ? GROUP BY status", (kind,)))
        kt.ok(5 <= before < len(recipients) and int(states.get("queued", 0)) > 0,
              "killed while sending: %d of %d delivered, the rest queued (%s)" % (before, len(recipients), states))
        srv.restart()
        deadline = time.time() + 40
        while time.time() < deadline and len([m for m in sink.messages() if m["Subject"] == subject]) < len(recipients):
            time.sleep(0.1)
        time.sleep(1.0)
        counts, ids = per_recipient(sink, subject, recipients)
        total = len([m for m in sink.messages() if m["Subject"] == subject])
        kt.eq(total, len(recipients), "after the restart: %d messages in all, one per recipient" % len(recipients))
        kt.ok(all(v == 1 for v in counts.values()) and all(v == 1 for v in ids.values()),
              "every recipient got exactly one message (one Message-ID)",
              {a: (counts[a], ids[a]) for a in recipients if counts[a] != 1 or ids[a] != 1})
        kt.eq(sql.run("SELECT status, COUNT(*) FROM mail_queue WHERE kind = ? GROUP BY status", (kind,)),
              [("sent", str(len(recipients)))], "the queue has every message sent")
    finally:
        srv.stop()
        sink.stop()
    srv.clean_exit()
    return recipients


def test_retry(db, sql, coord_email, recipients):
    closed = kt.ClosedPort()   # refuses connections until the end of the test, whoever else runs
    dead = "smtp://127.0.0.1:%d" % closed.port
    srv = kt.Server(db, "retry", "--smtp-url", dead)
    subject = "Retry issue"
    try:
        c = kt.Client(srv.port)
        c.login(coord_email, PW)
        cid = send_campaign(c, subject)
        kind = "newsletter:%d" % cid
        deadline = time.time() + 20
        while time.time() < deadline and sql.one("SELECT COUNT(*) FROM mail_queue WHERE kind = ? AND attempts = 0",
                                                  (kind,)) != "0":
            time.sleep(0.1)
    finally:
        srv.stop()
    srv.clean_exit()
    env_dead = {"KLASTER_SMTP_URL": dead}

    def listed():
        r = kt.cli(db, "mail", "list", env=env_dead)
        rows = [l.split("\t") for l in r.stdout.splitlines()]
        return [x for x in rows if len(x) >= 6 and x[4] == subject]

    rows = listed()
    kt.ok(len(rows) == len(recipients) and all(x[1] == "queued" and x[2] == "1" and x[5] for x in rows),
          "SMTP down: every message stays queued with attempts 1 and the error (klaster mail list)",
          rows[:3])
    r = kt.cli(db, "mail", "deliver", env=env_dead)
    kt.ok(r.returncode == 0 and "0 messages" in r.stdout, "nothing is due before the back-off ends", r.stdout + r.stderr)
    sql.run("UPDATE mail_queue SET next_attempt_at = 0 WHERE kind = ?", (kind,))
    r = kt.cli(db, "mail", "deliver", env=env_dead)
    rows = listed()
    now = int(time.time())
    waits = [int(x) - now for (x,) in sql.run("SELECT next_attempt_at FROM mail_queue WHERE kind = ?", (kind,))]
    kt.ok(r.returncode == 0 and all(x[1] == "queued" and x[2] == "2" and x[5] for x in rows) and len(rows) == len(recipients),
          "klaster mail deliver with an unreachable server: attempts 2, still queued, none lost", (r.stderr, rows[:2]))
    kt.ok(waits and all(100 <= w <= 125 for w in waits), "the back-off doubled to two minutes", waits[:3])
    sink = kt.SmtpSink()
    try:
        sql.run("UPDATE mail_queue SET next_attempt_at = 0 WHERE kind = ?", (kind,))
        r = kt.cli(db, "mail", "deliver", env={"KLASTER_SMTP_URL": sink.url})
        kt.ok(r.returncode == 0 and ("%d messages delivered" % len(recipients)) in r.stdout,
              "when the server is back, klaster mail deliver sends them", r.stdout + r.stderr)
        counts, ids = per_recipient(sink, subject, recipients)
        kt.ok(all(v == 1 for v in counts.values()) and all(v == 1 for v in ids.values())
              and len(sink.messages()) == len(recipients), "each recipient got the retried message once")
        kt.eq(sql.run("SELECT status, attempts, COUNT(*) FROM mail_queue WHERE kind = ? GROUP BY status, attempts",
                      (kind,)), [("sent", "3", str(len(recipients)))], "sent on the third attempt")
    finally:
        sink.stop()
        closed.close()


def test_outbox(db, sql, coord_email, recipients):
    """Without an SMTP server the campaign's mail stays in the outbox: counted apart, never as sent."""
    srv = kt.Server(db, "outbox")
    subject = "Outbox issue"
    try:
        c = kt.Client(srv.port)
        c.login(coord_email, PW)
        cid = send_campaign(c, subject)
        kind = "newsletter:%d" % cid
        deadline = time.time() + 20
        while time.time() < deadline and sql.one("SELECT COUNT(*) FROM mail_queue WHERE kind = ? AND status = 'outbox'",
                                                  (kind,)) != str(len(recipients)):
            time.sleep(0.1)
        n = len(recipients)
        kt.eq(sql.run("SELECT status, COUNT(*) FROM mail_queue WHERE kind = ? GROUP BY status", (kind,)),
              [("outbox", str(n))], "no SMTP server: every message is in the outbox")
        st, _, page = c.get("/admin/newsletter")
        row = re.search(r'<tr><td>%d</td>.*?</tr>' % cid, page)
        kt.ok(st == 200 and row and "<td>%d / 0 / %d / 0</td>" % (n, n) in row.group(0),
              "the campaign list counts them as not sent yet, none as sent", row.group(0) if row else page[-500:])
        st, _, page = c.get("/admin/newsletter/campaign/%d" % cid)
        kt.ok(st == 200 and "<dd>0 / 0 / %d / 0</dd>" % n in page and "in the outbox" in page,
              "the campaign page shows sent / queued / outbox / failed apart", kt.text_of(page)[:600])
    finally:
        srv.stop()
    srv.clean_exit()


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    args = ap.parse_args()
    start = time.time()
    kt.diag("backend %s" % args.backend)
    db = kt.database(args.backend, "newsletter")
    sql = Sql(db)
    clusters = [int(r[0]) for r in sql.run("SELECT id FROM cluster ORDER BY id LIMIT 2")]
    kt.add_user(db, "nl-admin@example.org", PW, role="admin")
    kt.add_user(db, "nl-coord@example.org", PW, role="coordinator", cluster=clusters[0])
    kt.add_user(db, "nl-coord2@example.org", PW, role="coordinator", cluster=clusters[1])
    kt.add_user(db, "nl-user@example.org", PW, role="user")
    sink = kt.SmtpSink()
    srv = kt.Server(db, "newsletter", "--smtp-url", sink.url)
    try:
        coord, coord2, user, admin = (kt.Client(srv.port) for _ in range(4))
        coord.login("nl-coord@example.org", PW)
        coord2.login("nl-coord2@example.org", PW)
        user.login("nl-user@example.org", PW)
        admin.login("nl-admin@example.org", PW)
        kt.section(test_subscribe, srv.port, sink, sql)
        kt.section(test_campaign, srv.port, sink, sql, coord, coord2, user, admin)
        kt.section(test_subscribers, srv.port, sql, admin, coord)
        kt.section(test_long_lines, srv.port, sink, sql, admin)
        kt.section(test_relink, srv.port, sink, sql)
    finally:
        srv.clean_exit()
        sink.stop()
    # the queue tests run alone on the database, so no other server's worker takes their mail
    recipients = kt.section(test_crash, db, sql, "nl-coord@example.org")
    if recipients:
        kt.section(test_retry, db, sql, "nl-coord@example.org", recipients)
        kt.section(test_outbox, db, sql, "nl-coord@example.org", recipients)
    kt.diag("%s backend: %.1f s" % (args.backend, time.time() - start))
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
