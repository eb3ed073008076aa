#!/usr/bin/env python3
"""Hostile input: XSS and SQL-injection payloads through every text field.

    python3 tests/http/test_hostile.py --backend sqlite|postgres

tests/data/hostile.txt (one payload a line) is the one list.  Every form of
the portal that stores text gets every payload in every text field: the
fields of one submission carry different payloads (field j of submission i
gets payload (i + j·STEP) mod N), so N submissions per form pass each
payload through each field once; validated fields (e-mail, NIP, phone …)
get a submission per payload, and selects and dates one per payload that
could become markup.  Registration names carry several payloads each (an
account costs an Argon2id hash).  A field may refuse a payload (an e-mail,
a NIP, a one-line title and a tab …): then the answer must be 400 (or 422)
with a message naming the field, nothing may be written, and the form is
sent again with that field valid.  Whatever is stored must be the text as
typed (at most trimmed, or split as the field's rules say), and every page
that shows it — public pages, editors' and moderators' lists, edit forms,
the outbox message view, the print view, the PDF, the JSON API, the CSV
export — must show it inert: html.parser finds no element, attribute,
comment or URL that is not the portal's own (see Inert), no raw payload
with < > or " is in the HTML, JSON decodes back to exactly the stored
text, and CSV cells starting with = + - @ are defused with a '.  SQL
payloads must change nothing else: the counts of users and organisations
are what the successful submissions explain, and the portal still works.

Then: every POST route of `klaster routes` without a CSRF token, and with
the token of another session, is refused with 403 (prefix routes with real
ids) and changes nothing; ids and numbers out of range in paths, forms and
queries are never a server error; a body over --max-body is answered 413
before it is read.  TAP output.
"""
import argparse
import csv
import datetime
import html
import io
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

PW = "hostile password 1234"
STEP = 7


def load_payloads():
    path = os.path.join(kt.ROOT, "tests", "data", "hostile.txt")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") or line == "":
                continue
            out.append(line.replace("\\n", "\n"))
    return out


P = load_payloads()
N = len(P)
# payloads that would be markup if they reached a page unescaped
MARKUP = [p for p in P if re.search(r'[<>"]', p)]
# the ones worth reading a refusal page for: markup, or an address that could run
ECHO = {k for k, p in enumerate(P) if p in MARKUP or re.search(r"(?i)script|data:|&#|\\u", p)}


class G:
    """The test's shared state."""


def q(sql, *params):
    return G.sql.one(sql, params)


def clear_limits():
    """The forms' rate limits would stop a test that sends 130 of each."""
    G.sql.run("DELETE FROM rate_limit")


# ---------------------------------------------------------------- inertness

# The elements and attributes the portal's own pages use; an element of
# any other kind in a page can only have come from data.
TAGS = {"html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "ul", "ol", "li", "div",
        "main", "footer", "p", "h1", "h2", "h3", "h4", "h5", "h6", "form", "input", "button", "label", "select",
        "option", "textarea", "section", "article", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td",
        "small", "strong", "em", "span", "br", "blockquote", "pre", "code", "hr", "img", "time", "fieldset",
        "legend", "b", "i", "caption", "abbr"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "data", "poster", "srcdoc", "srcset",
             "cite", "lowsrc", "dynsrc", "codebase", "ping", "longdesc", "manifest", "icon"}
ATTRS = {"lang", "charset", "name", "content", "rel", "href", "src", "defer", "class", "aria-label", "aria-current",
         "id", "method", "action", "type", "value", "for", "rows", "required", "maxlength", "minlength",
         "autocomplete", "selected", "checked", "role", "hidden", "tabindex", "placeholder", "size", "title",
         "datetime", "scope", "colspan", "inputmode", "min", "aria-invalid", "readonly", "autofocus", "hreflang", "alt",
         "aria-labelledby", "start", "aria-describedby", "step", "max", "pattern", "disabled", "multiple",
         "rowspan", "width", "height", "download", "data-pct", "data-firms", "data-clusters", "data-core",
         "data-noise", "data-cells", "data-hot", "data-cold", "data-cluster", "aria-hidden", "data-confirm"}
# the map: an <svg class="map"> the portal draws (map.c); its elements only inside it
SVG_TAGS = {"g", "path", "title", "text", "rect", "circle", "a", "desc"}
SVG_ATTRS = {"xmlns", "viewbox", "d", "fill", "fill-rule", "stroke", "stroke-width", "cx", "cy", "r", "x", "y",
             "font-size", "data-teryt", "data-code", "data-cluster", "width", "height", "class", "role",
             "aria-labelledby", "id", "href", "aria-hidden", "aria-label", "tabindex"}


class Inert(HTMLParser):
    """Reads a page and lists what could run or load: unknown elements,
    event-handler and URL attributes, scripts, comments, declarations."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.text = []
        self.attrs = []
        self.stack = []
        self.bodies = 0
        try:
            self.feed(text)
            self.close()
        except Exception as ex:  # noqa: BLE001 — a page the parser cannot read is a failure
            self.problems.append("unparsable: %s" % ex)

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        if tag not in ("br", "hr", "img", "input", "meta", "link"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def _element(self, tag, attrs):
        a = dict(attrs)
        in_svg = "svg" in self.stack
        if tag == "svg" and not in_svg and a.get("class") == "map" and a.get("xmlns") == "http://www.w3.org/2000/svg":
            in_svg = True
        elif in_svg and tag not in SVG_TAGS:
            self.problems.append("element <%s> in the map" % tag)
        elif not in_svg and tag not in TAGS:
            self.problems.append("element <%s %s>" % (tag, " ".join("%s=%r" % kv for kv in attrs)[:120]))
        if tag == "body":
            self.bodies += 1
            if self.bodies > 1:
                self.problems.append("a second <body>")
        for name, value in attrs:
            value = value or ""
            self.attrs.append(value)
            if name.startswith("on"):
                self.problems.append("event handler %s=%r on <%s>" % (name, value[:80], tag))
            elif name not in (SVG_ATTRS if in_svg else ATTRS):
                self.problems.append("attribute %s=%r on <%s>" % (name, value[:80], tag))
            if name in URL_ATTRS and value:
                v = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value)).lower()
                if v.startswith(("javascript:", "vbscript:", "data:", "livescript:")) and \
                        not (tag == "link" and a.get("rel") == "icon" and value == "data:,"):
                    self.problems.append("%s=%r on <%s>" % (name, value[:80], tag))
                if (tag == "img" or tag == "script" or tag == "link") and name in ("src", "href") and \
                        not (value.startswith("/") and not value.startswith("//")) and value != "data:,":
                    self.problems.append("<%s %s=%r> loads from elsewhere" % (tag, name, value[:80]))
                if tag == "form" and name == "action" and not (value.startswith("/") and not value.startswith("//")):
                    self.problems.append("<form action=%r>" % value[:80])
            if name == "style":
                self.problems.append("style attribute %r" % value[:80])
        if tag == "script" and not (a.get("src") or "").startswith("/static/"):
            self.problems.append("<script> without a /static/ source")
        if tag == "meta" and (set(a) - {"charset", "name", "content"} or a.get("name") not in (None, "viewport")):
            self.problems.append("<meta %r>" % a)
        if tag == "link" and a.get("rel") not in ("icon", "stylesheet"):
            self.problems.append("<link %r>" % a)
        if tag == "title" and "head" not in self.stack and not in_svg:
            self.problems.append("<title> outside the head")

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("script", "style") and data.strip():
            self.problems.append("script text %r" % data[:80])
        self.text.append(data)

    def handle_comment(self, data):
        self.problems.append("comment <!--%s-->" % data[:60])

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.problems.append("declaration <!%s>" % decl[:60])

    def unknown_decl(self, data):
        self.problems.append("declaration <![%s]>" % data[:60])

    def handle_pi(self, data):
        self.problems.append("processing instruction <?%s>" % data[:60])


def norm(s):
    return " ".join((s or "").split())


class Page:
    def __init__(self, text):
        self.html = text
        p = Inert(text)
        self.problems = list(p.problems)
        for m in MARKUP:
            if m in text:
                self.problems.append("raw payload %r in the HTML" % m[:80])
        self.text = norm("".join(p.text))
        self.attrs = [norm(a) for a in p.attrs]

    def shows(self, value):
        v = norm(value)
        return not v or v in self.text or any(v in a for a in self.attrs)


class Checks:
    """Problems found, by the name of the check; reported as one TAP line each."""

    def __init__(self):
        self.problems = defaultdict(list)
        self.count = defaultdict(int)
        self.lock = threading.Lock()    # pages() checks from several threads

    def page(self, label, client, path, values=(), status=200, lang=None):
        st, h, text = client.get(path) if lang is None else client.get(path, headers={"Accept-Language": lang})
        found = []
        pg = None
        if st != status:
            found.append("%s: status %s, want %s" % (path, st, status))
        else:
            pg = Page(text)
            found += ["%s: %s" % (path, p) for p in pg.problems]
            found += ["%s does not show %r" % (path, v[:80]) for v in values if v is not None and not pg.shows(v)]
        with self.lock:
            self.count[label] += 1
            self.problems[label] += found
        return pg

    def pages(self, label, client, items, lang=None):
        """page() for many (path, values), four requests at a time."""
        with ThreadPoolExecutor(4) as ex:
            list(ex.map(lambda it: self.page(label, client, it[0], it[1], lang=lang), items))

    def note(self, label, problem):
        self.count[label] += 1
        if problem:
            self.problems[label].append(problem)

    def report(self, label, desc):
        probs = self.problems.pop(label, [])
        n = self.count.pop(label, 0)
        ok(not probs and n > 0, "%s (%d checked)" % (desc, n), "; ".join(probs[:8]) + (
            " … (%d problems)" % len(probs) if len(probs) > 8 else "") if probs else "nothing checked")


C = Checks()


def alert_of(text):
    """The error alert's (first) message, "field: reason", its field as the form names it: a form's
    alert links each field by its label (<a href="#f-name">Name</a>: …), one problem a list item."""
    m = re.search(r'role="alert"><p>[^<]*</p><ul>(.*?)</ul>', text, re.S) or \
        re.search(r'role="alert">(.*?)</p>', text, re.S)
    if not m:
        return ""
    s = re.sub(r'<a href="#f-([a-z0-9_]+)">.*?</a>', r"\1", m.group(1), flags=re.S)
    item = re.search(r"<li>(.*?)</li>", s, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", item.group(1) if item else s)).strip()


# ---------------------------------------------------------------- the engine

# (form, field) → payload indexes stored (and checked), refused, and problems
COVER = defaultdict(lambda: {"stored": set(), "refused": set()})
BAD = defaultdict(list)


def trimmed(p):
    return p.replace("\r\n", "\n").strip(" \t\r\n")


def keywords(p):
    parts = [w.strip(" \t\r\n") for w in re.split(r"[,;\n]", p)]
    return ", ".join(w for w in parts if w) or None


def same(stored, payload, rule=None):
    if rule == "keywords":
        return stored == keywords(payload)
    # stored as sent, or without the white space around it (the fields' documented trimming)
    return stored in (payload, trimmed(payload), payload.rstrip(" \t\r\n"))


class Form:
    """A form that stores text: fields get payloads, refusals are retried."""

    def __init__(self, name, fields, base, send, count, stored, ok_status=(303,), rules=None, limited=False,
                 check_refusal_page=True, retry=True, checked=(), choices=(), lookup=None):
        self.name = name
        self.fields = fields
        self.checked = list(checked)  # validated fields (e-mail, NIP …): each payload in a submission of its own
        self.choices = list(choices)  # selects and dates: each markup payload in a submission of its own
        self.lookup = lookup          # (i, values) → (row id, {field: stored}) for a sweep submission that was stored
        self.base = base              # i → dict of valid values
        self.send = send              # values → (status, headers, text)
        self.count = count            # → rows of the table written
        self.stored = stored          # (headers, text) → (row id, {field: stored text})
        self.ok_status = ok_status
        self.rules = rules or {}
        self.limited = limited
        self.check_refusal_page = check_refusal_page
        self.retry = retry            # send a refused submission again with the field valid

    def run(self, only=None):
        done = []
        for i in (range(N) if only is None else only):
            r = self.one(i)
            if r:
                done.append(r)
        if self.checked or self.choices:
            self.sweep()
        return done

    def sweep(self):
        """The validated fields: a submission per field and payload, four at
        a time (they are refused, as a rule, so they cannot disturb each
        other); what is stored must be the text sent."""
        before = self.count()
        markup = [k for k, p in enumerate(P) if p in MARKUP]
        jobs = [(f, k, 1000 + j * N + k) for j, f in enumerate(self.checked + self.choices)
                for k in (range(N) if f in self.checked else markup)]
        stored = []

        def one(job):
            f, k, i = job
            vals = dict(self.base(i))
            vals[f] = P[k]
            st, h, text = self.send(vals)
            if st in self.ok_status:
                rid, row = self.lookup(i, vals)
                stored.append(rid)
                if same(row.get(f), P[k], self.rules.get(f)):
                    COVER[(self.name, f)]["stored"].add(k)
                else:
                    BAD[self.name].append("%s of payload %d stored as %r" % (f, k, (row.get(f) or "")[:60]))
                return
            msg = alert_of(text)
            if st in (400, 422) and msg.startswith(f + ":"):
                COVER[(self.name, f)]["refused"].add(k)
                if self.check_refusal_page and k in ECHO:
                    for p_ in Page(text).problems:
                        BAD[self.name].append("the 400 page of %s: %s" % (f, p_))
            else:
                BAD[self.name].append("%s = payload %d: %s %r" % (f, k, st, msg[:160]))

        with ThreadPoolExecutor(4) as ex:
            list(ex.map(one, jobs))
        if self.count() != before + len(stored):
            BAD[self.name].append("refused submissions wrote rows: %d rows more, %d stored" %
                                  (self.count() - before, len(stored)))

    def one(self, i, extra=None):
        vals = dict(self.base(i))
        if extra:
            vals.update(extra)
        hostile = {}
        for j, f in enumerate(self.fields):
            k = (i + j * STEP) % N
            vals[f] = P[k]
            hostile[f] = k
        while True:
            if self.limited:
                clear_limits()
            before = self.count()
            st, h, text = self.send(vals)
            if st in self.ok_status:
                break
            if st in (400, 422):
                msg = alert_of(text)
                field = msg.split(":", 1)[0].strip() if ":" in msg else ""
                if self.check_refusal_page:
                    pg = Page(text)
                    for p in pg.problems:
                        BAD[self.name].append("the 400 page of %s: %s" % (field, p))
                if field not in hostile:
                    BAD[self.name].append("submission %d: %s %r does not name a field with a payload" % (i, st, msg[:200]))
                    return None
                if self.count() != before:
                    BAD[self.name].append("submission %d: refused (%s) but a row was written" % (i, field))
                COVER[(self.name, field)]["refused"].add(hostile.pop(field))
                if not self.retry:
                    return None
                vals[field] = self.base(i)[field]
                continue
            BAD[self.name].append("submission %d: status %s: %s" % (i, st, " ".join(kt.text_of(text).split())[:200]))
            return None
        row, stored = self.stored(h, text)
        if row is None:
            BAD[self.name].append("submission %d: %s but no row found" % (i, st))
            return None
        for f, k in hostile.items():
            got = stored.get(f)
            if same(got, P[k], self.rules.get(f)):
                COVER[(self.name, f)]["stored"].add(k)
            else:
                BAD[self.name].append("%s of payload %d stored as %r, sent %r" % (f, k, (got or "")[:60], P[k][:60]))
        return (i, row, {f: P[k] for f, k in hostile.items()}, stored)

    def report(self):
        for f in self.fields + self.checked + self.choices:
            cv = COVER[(self.name, f)]
            got = cv["stored"] | cv["refused"]
            want = set(range(N)) if f not in self.choices else {k for k, p in enumerate(P) if p in MARKUP}
            ok(got == want, "%s: every %spayload through %s: %d stored as sent, %d refused with 400 naming it"
               % (self.name, "markup " if f in self.choices else "", f, len(cv["stored"]), len(cv["refused"])),
               "missing payloads %s" % sorted(want - got)[:20])
        bad = BAD.pop(self.name, [])
        ok(not bad, "%s: refusals name the field and write nothing; stored text is the text sent" % self.name,
           "; ".join(bad[:8]) + (" … (%d)" % len(bad) if len(bad) > 8 else ""))


def post(c, path, fields):
    data = {"csrf": token(c)}
    data.update(fields)
    return c.post(path, data)


_tokens = {}


def token(c):
    key = (id(c), c.cookies.get("ksid"), c.cookies.get("kcsrf"))
    if key not in _tokens:
        t = c.csrf("/newsletter")
        _tokens[(id(c), c.cookies.get("ksid"), c.cookies.get("kcsrf"))] = t
        return t
    return _tokens[key]


def row_of(table, cols, rid):
    r = G.sql.rows("SELECT %s FROM %s WHERE id = ?" % (", ".join(cols), table), (rid,))
    return dict(zip(cols, r[0])) if r else {}


def last_id(table):
    return q("SELECT MAX(id) FROM %s" % table)


def location_id(h, pattern):
    m = re.search(pattern, h.get("location", ""))
    return int(m.group(1)) if m else None


def mails(kind, after):
    return G.sql.rows("SELECT id, subject, body FROM mail_queue WHERE kind = ? AND id > ? ORDER BY id", (kind, after))


# ---------------------------------------------------------------- set-up

def setup(backend):
    G.db = kt.database(backend, "hostile")
    G.sql = ktdb.Db(G.db)
    G.A = q("SELECT id FROM cluster WHERE acronym = 'KLPS'")
    pick = ("SELECT o.id FROM organisation o WHERE o.type IN ('research', 'support') AND EXISTS (SELECT 1 FROM"
            " membership m WHERE m.org_id = o.id AND m.cluster_id = ? AND m.left_on IS NULL) AND NOT EXISTS"
            " (SELECT 1 FROM membership m WHERE m.org_id = o.id AND m.cluster_id = ? AND m.left_on IS NULL)"
            " ORDER BY o.id")
    G.orgA = G.sql.rows(pick, (G.A, -1))[0][0]
    G.orgB = G.sql.rows(pick.replace("m.cluster_id = ? AND m.left_on IS NULL) AND NOT",
                                     "m.cluster_id <> ? AND m.left_on IS NULL) AND NOT"), (G.A, G.A))[0][0]
    for email, role, org in (("admin@hostile.example", "admin", None), ("editor@hostile.example", "editor", G.orgA),
                             ("editor-b@hostile.example", "editor", G.orgB), ("writer@hostile.example", "user", None),
                             ("profile@hostile.example", "user", None)):
        kt.add_user(G.db, email, PW, role=role, org=org, name="Hostile " + email.split("@")[0])
    # a confirmed subscriber receives the campaigns
    G.sql.run("INSERT INTO newsletter_subscriber (email, status, lang, consent_version, requested_at, confirmed_at)"
              " VALUES ('reader@hostile.example', 'confirmed', 'en', '2026-11-v1', 1, 1)")
    G.users0 = q("SELECT COUNT(*) FROM app_user")
    G.orgs0 = q("SELECT COUNT(*) FROM organisation")
    G.srv = kt.Server(G.db, "hostile-" + backend)
    G.admin = kt.Client(G.srv.port)
    G.admin.login("admin@hostile.example", PW)
    G.editor = kt.Client(G.srv.port)
    G.editor.login("editor@hostile.example", PW)
    G.editor_b = kt.Client(G.srv.port)
    G.editor_b.login("editor-b@hostile.example", PW)
    G.writer = kt.Client(G.srv.port)
    G.writer.login("writer@hostile.example", PW)
    G.profile = kt.Client(G.srv.port)
    G.profile.login("profile@hostile.example", PW)
    G.visitor = kt.Client(G.srv.port)
    G.visitor_pl = kt.Client(G.srv.port, lang="pl")
    G.today = datetime.date.today()
    G.later = (G.today + datetime.timedelta(days=90)).isoformat()


def test_checker():
    """The checker itself: the portal's pages without payloads are clean,
    and a page with an injected payload is not."""
    for path, c in (("/", G.visitor), ("/offers", G.visitor), ("/news", G.visitor), ("/organisations/new", G.visitor),
                    ("/admin/companies", G.admin), ("/admin/users", G.admin), ("/offers/new", G.admin),
                    ("/news/new", G.admin), ("/admin/newsletter/new", G.admin), ("/account", G.profile),
                    ("/organisations/%s" % G.orgA, G.visitor), ("/clusters/%s" % G.A, G.visitor)):
        C.page("clean", c, path)
    C.report("clean", "the portal's own pages pass the inertness check")
    bad = 0
    for p in MARKUP:
        pg = Page("<!DOCTYPE html><html><head><title>t</title></head><body><p>%s</p></body></html>" % p)
        bad += not pg.problems
    ok(bad == 0, "every markup payload pasted raw into a page is caught by the check (%d payloads)" % len(MARKUP),
       "%d not caught" % bad)


# ---------------------------------------------------------------- accounts

def test_row_fields():
    """The rows of /admin/users hold alike fields (role, the editor's organisation, the
    coordinator's cluster): each is named by its row's account, in both languages, so a screen
    reader's list of form fields tells them apart."""
    for c, lang in ((G.admin, "en"), (kt.Client(G.srv.port, lang="pl"), "pl")):
        if lang == "pl":
            c.login("admin@hostile.example", PW)
        st, _, text = c.get("/admin/users")
        rows = re.findall(r"<tr><td>([^<]+)<br>.*?</tr>", text, re.S)
        names = defaultdict(list)
        for m in re.finditer(r"<tr><td>([^<]+)<br>(.*?)</tr>", text, re.S):
            email_addr = html.unescape(m.group(1))
            for field in ("role", "org", "cluster"):
                a = re.search(r'<(?:select|input) name="%s"[^>]*aria-label="([^"]*)"' % field, m.group(2))
                label = html.unescape(a.group(1)) if a else ""
                names[field].append((email_addr, label))
        bad = ["%s: %s → %r" % (f, e, lab) for f, pairs in names.items() for e, lab in pairs if e not in lab] + \
              ["%s: %d rows, %d names" % (f, len(pairs), len({lab for _, lab in pairs}))
               for f, pairs in names.items() if len({lab for _, lab in pairs}) != len(pairs)]
        ok(st == 200 and len(rows) >= 3 and len(names) == 3 and not bad,
           "/admin/users (%s): each row's role, organisation and cluster fields name the row's account" % lang,
           "; ".join(bad[:6]) or "status %s, %d rows" % (st, len(rows)))


def test_register():
    """Registration stores the name; every account costs an Argon2id hash
    (about 0.1 s by design), so the names carry several payloads each, as
    many as the field's 200 bytes hold (one alone when it is refused in a
    group); the e-mail field gets each payload on its own."""
    sep = " ~ "
    groups, cur = [], []
    for k, p in enumerate(P):
        if cur and len(sep.join(P[j] for j in cur + [k]).encode()) > 200:
            groups.append(cur)
            cur = []
        cur.append(k)
    groups.append(cur)
    cover = COVER[("register", "name")]
    names = []
    G.registered = 0
    n = 0
    while groups:
        g = groups.pop(0)
        clear_limits()
        before = q("SELECT COUNT(*) FROM app_user")
        name = sep.join(P[k] for k in g)
        email = "reg-%d@hostile.example" % n
        n += 1
        st, _, text = post(G.visitor, "/register", {"email": email, "name": name, "password": PW})
        if st == 200:
            got = q("SELECT name FROM app_user WHERE email = ?", email)
            G.registered += got is not None
            if got == name:
                cover["stored"].update(g)
                names.append(got)
            else:
                BAD["register"].append("name stored as %r, sent %r" % ((got or "")[:60], name[:60]))
        elif st == 400 and alert_of(text).startswith("name:"):
            for p_ in Page(text).problems:
                BAD["register"].append("the 400 page: " + p_)
            if q("SELECT COUNT(*) FROM app_user") != before:
                BAD["register"].append("a refused registration wrote a row")
            if len(g) == 1:
                cover["refused"].add(g[0])
            else:
                groups[:0] = [[k] for k in g]
        else:
            BAD["register"].append("name group %s: status %s %r" % (g, st, alert_of(text)[:100]))
    C.page("admin-users", G.admin, "/admin/users", names)
    C.report("admin-users", "registration: /admin/users shows every stored name inert")

    def send(v):
        clear_limits()
        return post(G.visitor, "/register", v)

    def stored(h, text):
        rid = last_id("app_user")
        return rid, row_of("app_user", ["email"], rid)

    f = Form("register", ["email"], lambda i: {"email": "reg-e%d@hostile.example" % i, "name": "n", "password": PW},
             send, lambda: q("SELECT COUNT(*) FROM app_user"), stored, ok_status=(200,), retry=False)
    G.registered += len(f.run())
    f.fields = ["name", "email"]
    f.report()


def test_profile():
    def send(v):
        st, h, text = post(G.profile, "/account/profile", v)
        return st, h, text

    def stored(h, text):
        uid = q("SELECT id FROM app_user WHERE email = 'profile@hostile.example'")
        row = row_of("app_user", ["name"], uid)
        C.page("account", G.profile, "/account", [row["name"]])
        return uid, row

    f = Form("account profile", ["name"], lambda i: {"name": "n"}, send,
             lambda: q("SELECT name FROM app_user WHERE email = 'profile@hostile.example'"), stored)
    f.run()
    C.report("account", "profile: /account shows each name inert (form and header)")
    f.report()


def test_newsletter_email():
    def send(v):
        clear_limits()
        return post(G.visitor, "/newsletter", v)

    def stored(h, text):
        rid = last_id("newsletter_subscriber")
        return rid, row_of("newsletter_subscriber", ["email"], rid)

    consent = kt.Forms(G.visitor.get("/newsletter")[2]).forms[-1]["fields"].get("consent_version")
    f = Form("newsletter", ["email"], lambda i: {"email": "nl-%d@hostile.example" % i, "consent": "1",
                                                 "consent_version": consent},
             send, lambda: q("SELECT COUNT(*) FROM newsletter_subscriber"), stored, ok_status=(200,))
    f.run()
    C.page("subscribers", G.admin, "/admin/newsletter/subscribers")
    C.report("subscribers", "newsletter: the subscriber list is inert")
    st, h, body = G.admin.get("/admin/newsletter/subscribers.csv")
    C.note("subscribers-csv", None if st == 200 else "status %s" % st)
    C.report("subscribers-csv", "newsletter: the subscribers' CSV export answers")
    f.report()


# ---------------------------------------------------------------- offers and services

OFFER_TEXT = ["title", "description", "keywords", "contact_name"]
# validated text fields; and the choices (selects, dates) a hand-made request may fill with anything: a
# refusal names the field and often quotes the value, so its page must be inert too
OFFER_CHECKED = ["pkd_codes", "contact_email", "contact_phone"]
OFFER_CHOICES = ["kind", "voivodeship", "valid_from", "valid_until"]
SERVICE_TEXT = ["title", "description", "price_note", "contact_name"]
SERVICE_CHECKED = ["contact_email", "contact_phone"]
SERVICE_CHOICES = ["category", "price_model", "voivodeship"]


def entry_form(base):
    table = base
    text = OFFER_TEXT if base == "offer" else SERVICE_TEXT
    checked = OFFER_CHECKED if base == "offer" else SERVICE_CHECKED
    choices = OFFER_CHOICES if base == "offer" else SERVICE_CHOICES
    path = "/offers/new" if base == "offer" else "/services/new"
    cols = ["title", "description", "contact_name", "contact_email", "contact_phone"] + \
        (["keywords", "pkd_codes"] if base == "offer" else ["price_note"])

    def values(i):
        v = {"title": "t%d" % i, "description": "d", "contact_name": "c", "contact_email": "c@hostile.example",
             "contact_phone": ""}
        if base == "offer":
            v.update({"kind": "cooperation", "keywords": "", "pkd_codes": "", "valid_from": G.today.isoformat(),
                      "valid_until": G.later})
        else:
            v.update({"category": "consulting", "price_model": "quote", "price_note": ""})
        return v

    def stored(h, text_):
        rid = last_id(table)
        return rid, row_of(table, cols, rid)

    def lookup(i, vals):
        rid = q("SELECT id FROM %s WHERE title = ?" % table, vals["title"])
        return rid, row_of(table, cols, rid) if rid else {}

    return Form(base + "s", text, values, lambda v: post(G.editor, path, v),
                lambda: q("SELECT COUNT(*) FROM %s" % table), stored, rules={"keywords": "keywords"},
                checked=checked, choices=choices, lookup=lookup)


def entry_values(base, s):
    vals = [s["title"], s["description"], s["contact_name"]]
    vals.append(s["keywords"] if base == "offer" else s["price_note"])
    return vals


def test_offers(base):
    f = entry_form(base)
    done = f.run()
    G.entries = getattr(G, "entries", {})
    G.entries[base] = done
    path = "/offers" if base == "offer" else "/services"
    titles = [s["title"] for _, _, _, s in done]
    C.page(base + "-mine", G.editor, "/offers/mine", titles)
    C.page(base + "-queue", G.admin, "/admin/offers", titles)
    C.pages(base + "-page", G.editor, [("%s/%s" % (path, rid), entry_values(base, s)) for _, rid, _, s in done])
    C.pages(base + "-edit", G.editor, [("%s/edit/%s" % (path, rid), entry_values(base, s)) for _, rid, _, s in done])
    if base == "offer":
        # moderators' notes: reject each with a note, then approve
        after = q("SELECT COALESCE(MAX(id), 0) FROM mail_queue")
        notes = Form("offer rejection", ["note"], lambda i: {"base": "offer", "id": str(G.cur), "note": ""},
                     lambda v: post(G.admin, "/admin/offers/reject", v),
                     lambda: q("SELECT COUNT(*) FROM offer WHERE status = 'rejected'"),
                     lambda h, t: (G.cur, {"note": q("SELECT moderation_note FROM offer WHERE id = ?", G.cur)}))
        for i in range(N):
            # take the entries in turn; one rejected already goes back to pending first
            G.cur = done[i % len(done)][1]
            if q("SELECT status FROM offer WHERE id = ?", G.cur) == "rejected":
                G.sql.run("UPDATE offer SET status = 'pending' WHERE id = ?", (G.cur,))
            notes.one(i)
        C.page("offer-notes", G.editor, "/offers/mine",
               [r[0] for r in G.sql.rows("SELECT moderation_note FROM offer WHERE moderation_note IS NOT NULL")])
        C.pages("offer-mail", G.admin, [("/admin/outbox/%s" % mid, [subject, body])
                                        for mid, subject, body in mails("offer-rejected", after)])
        notes.report()
    for _, rid, _, _ in done:
        st, _, text = post(G.admin, "/admin/offers/approve", {"base": base, "id": str(rid)})
        C.note(base + "-approve", None if st == 303 else "approve %s: %s" % (rid, st))
    C.report(base + "-approve", "%ss: every stored entry can be approved" % base)
    # public pages, the listing and the JSON API
    C.pages(base + "-public", G.visitor, [("%s/%s" % (path, rid), entry_values(base, s)) for _, rid, _, s in done])
    for page in (1, 2):
        C.page(base + "-list", G.visitor, "%s?per_page=100&page=%d" % (path, page))
        st, h, body = G.visitor.get("/api/v1/%ss?per_page=100&page=%d" % (base, page))
        try:
            items = json.loads(body)["items"]
        except ValueError as ex:
            C.note(base + "-json", "%s page %d: %s" % (base, page, ex))
            continue
        for it in items:
            s = row_of(base, ["title", "description", "contact_name", "price_note" if base == "service" else "keywords"],
                       it["id"])
            if not s:
                C.note(base + "-json", "id %s is not in the database" % it["id"])
                continue
            want = {"title": s["title"], "description": s["description"], "contact_name": s["contact_name"]}
            if base == "service":
                want["price_note"] = s["price_note"]
            got = {k: it.get(k) for k in want}
            C.note(base + "-json", None if got == want else "id %s: %r != %r" % (it["id"], got, want))
            if base == "offer":
                kw = [w for w in (s["keywords"] or "").split(", ") if w]
                C.note(base + "-json", None if it.get("keywords") == kw else
                       "id %s keywords %r != %r" % (it["id"], it.get("keywords"), kw))
            for k in ("contact_email", "contact_phone"):
                C.note(base + "-json", "id %s publishes %s" % (it["id"], k) if k in it else None)
    label = "offers" if base == "offer" else "services"
    C.report(base + "-mine", "%s: /offers/mine shows every title inert" % label)
    C.report(base + "-queue", "%s: the moderation queue shows every title inert" % label)
    C.report(base + "-page", "%s: the entry pages show every stored field inert (editor, pending)" % label)
    C.report(base + "-edit", "%s: the edit forms hold every stored value inert" % label)
    if base == "offer":
        C.report("offer-notes", "offers: /offers/mine shows the moderators' notes inert")
        C.report("offer-mail", "offers: the rejection mails in the outbox view are inert and hold title and note")
    C.report(base + "-public", "%s: the public entry pages show every stored field inert" % label)
    C.report(base + "-list", "%s: the public listing is inert" % label)
    C.report(base + "-json", "%s: the JSON API gives back exactly the stored text, never the contact's address "
                             "or phone" % label)
    f.report()


def test_interest():
    """'I am interested' and the relayed replies, both ways."""
    entries = [("/offers", rid) for _, rid, _, _ in G.entries["offer"]] + \
              [("/services", rid) for _, rid, _, _ in G.entries["service"]]
    G.turn = 0

    def send(v):
        path, rid = entries[G.turn % len(entries)]
        return post(G.writer, "%s/interest/%s" % (path, rid), v)

    def stored(h, text):
        rid = last_id("offer_message")
        return rid, {"message": q("SELECT body FROM offer_message WHERE id = ?", rid)}

    interest = Form("interest", ["message"], lambda i: {"message": "m"}, send,
                    lambda: q("SELECT COUNT(*) FROM offer_message"), stored, limited=True)
    reply = Form("reply", ["message"], lambda i: {"message": "m", "token": G.reply_token}, 
                 lambda v: post(G.visitor, "/offers/reply", v),
                 lambda: q("SELECT COUNT(*) FROM offer_message"), stored, ok_status=(200,), limited=True)
    for i in range(N):
        G.turn = i
        after = q("SELECT COALESCE(MAX(id), 0) FROM mail_queue")
        r = interest.one(i)
        if not r:
            continue
        for mid, subject, body in mails("offer-interest", after):
            C.page("relay-mail", G.admin, "/admin/outbox/%s" % mid, [r[3]["message"]])
            m = re.search(r"/offers/reply\?token=([0-9a-f]+)", body)
            if not m:
                C.note("relay-mail", "no reply link in mail %s" % mid)
                continue
            G.reply_token = m.group(1)
            C.page("reply-page", G.visitor, "/offers/reply?token=" + G.reply_token, [r[3]["message"]])
            after2 = q("SELECT COALESCE(MAX(id), 0) FROM mail_queue")
            r2 = reply.one((i + 65) % N)
            if r2:
                for mid2, _, body2 in mails("offer-reply", after2):
                    C.page("relay-mail", G.admin, "/admin/outbox/%s" % mid2, [r2[3]["message"]])
                    m2 = re.search(r"/offers/reply\?token=([0-9a-f]+)", body2)
                    if m2:
                        C.page("reply-page", G.visitor, "/offers/reply?token=" + m2.group(1), [r2[3]["message"]])
    C.report("relay-mail", "'I am interested': the relayed mails in the outbox view are inert and hold the message")
    C.report("reply-page", "'I am interested': the reply pages quote the message inert")
    interest.report()
    reply.report()


def test_message_errors():
    """A refused "I am interested" message is named by its field's label, in the page's language,
    linked to the field, which is marked invalid (not by the form's internal name "message")."""
    rid = G.entries["offer"][0][1]
    for lang, label in (("en", "Message"), ("pl", "Wiadomość")):
        G.writer.lang = lang
        try:
            st, _, text = post(G.writer, "/offers/interest/%s" % rid, {"message": ""})
        finally:
            G.writer.lang = "en"
        m = re.search(r'role="alert">(.*?)</p>', text, re.S)
        alert = m.group(1) if m else ""
        ok(st == 400 and alert.startswith('<a href="#f-message">%s</a>: ' % label) and
           re.search(r'<textarea id="f-message"[^>]*aria-invalid="true"', text),
           "an empty 'I am interested' message (%s): the alert names the field '%s' and links it" % (lang, label),
           "status %s, alert %r" % (st, alert[:200]))


# ---------------------------------------------------------------- news and comments

def test_articles():
    def stored(h, text):
        rid = location_id(h, r"/news/(\d+)")
        return rid, row_of("article", ["title", "lead", "body_md"], rid) if rid else {}

    def lookup(i, vals):
        rid = q("SELECT id FROM article WHERE title = ?", vals["title"])
        return rid, row_of("article", ["lang", "cluster_id"], rid) if rid else {}

    f = Form("articles", ["title", "lead", "body"], lambda i: {"title": "t%d" % i, "lead": "", "body": "b", "lang": "pl",
                                                               "cluster": str(G.A)},
             lambda v: post(G.admin, "/news/new", v), lambda: q("SELECT COUNT(*) FROM article"),
             lambda h, t: (lambda rid, row: (rid, dict(row, body=row.get("body_md"))))(*stored(h, t)),
             choices=["lang", "cluster"], lookup=lookup)
    done = f.run()
    G.articles = done
    C.pages("article-edit", G.admin, [("/news/%s/edit" % rid, [s["title"], s["lead"], s["body"]])
                                      for _, rid, _, s in done])
    for _, rid, _, s in done:
        st, _, _ = post(G.admin, "/news/%s/publish" % rid, {})
        C.note("article-publish", None if st == 303 else "publish %s: %s" % (rid, st))
    C.pages("article-page", G.visitor, [("/news/%s" % rid, [s["title"], s["lead"]]) for _, rid, _, s in done])
    C.pages("article-print", G.visitor, [("/news/%s/print" % rid, [s["title"], s["lead"]]) for _, rid, _, s in done])
    for _, rid, _, s in done:
        st, h, body = kt.request(G.srv.port, "GET", "/news/%s.pdf" % rid)
        C.note("article-pdf", None if st == 200 and body.startswith(b"%PDF-") and
               h.get("content-type") == "application/pdf" else "/news/%s.pdf: %s %r" % (rid, st, body[:20]))
    # the comment form's time stamp, taken now: a comment must come at least 3 s after it
    G.writer.get("/news/%s" % done[0][1])
    G.stamp = G.writer.form("/news/%s/comments" % done[0][1])["fields"]["stamp"]
    G.stamp_at = time.time()
    C.page("article-admin", G.admin, "/admin/news", [s["title"] for _, _, _, s in done])
    for page in range(1, (len(done) + 9) // 10 + 1):
        C.page("article-list", G.visitor, "/news?page=%d" % page)
    C.report("article-edit", "articles: the edit forms hold title, lead and body inert")
    C.report("article-publish", "articles: every stored article can be published")
    C.report("article-page", "articles: the article pages show title and lead inert and the Markdown body allow-listed")
    C.report("article-print", "articles: the print views are inert")
    C.report("article-pdf", "articles: the PDF of every article is produced")
    C.report("article-admin", "articles: /admin/news shows every title inert")
    C.report("article-list", "articles: the public news list is inert")
    f.report()


def test_comments():
    aid = G.articles[0][1]
    stamp = G.stamp
    time.sleep(max(0, 3.2 - (time.time() - G.stamp_at)))

    def stored(h, text):
        rid = last_id("article_comment")
        return rid, row_of("article_comment", ["body"], rid)

    f = Form("comments", ["body"], lambda i: {"body": "b", "stamp": stamp, "website": ""},
             lambda v: post(G.writer, "/news/%s/comments" % aid, v),
             lambda: q("SELECT COUNT(*) FROM article_comment"), stored, limited=True)
    done = f.run()
    bodies = [s["body"] for _, _, _, s in done]
    C.page("comment-queue", G.admin, "/admin/comments", bodies)
    for _, cid, _, _ in done:
        st, _, _ = post(G.admin, "/admin/comments/%s" % cid, {"decision": "approved", "from": "pending"})
        C.note("comment-approve", None if st == 303 else "approve %s: %s" % (cid, st))
    C.page("comment-page", G.visitor, "/news/%s" % aid, bodies)
    C.report("comment-queue", "comments: the moderation queue shows every comment inert")
    C.report("comment-approve", "comments: every stored comment can be approved")
    C.report("comment-page", "comments: the article page shows every approved comment inert")
    f.report()


# ---------------------------------------------------------------- "add company" and membership requests

def make_nip(seed):
    w = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        d = "%09d" % (seed % 1000000000)
        d = ("1" + d[1:]) if d[0] == "0" else d
        s = sum(int(c) * k for c, k in zip(d, w)) % 11
        if s != 10:
            return d + str(s)
        seed += 1


ORG_TEXT = ["name", "street", "city", "description_pl", "description_en"]
ORG_CHECKED = ["nip", "regon", "krs", "pkd", "postal_code", "teryt", "website", "email", "phone", "proposer_email"]
ORG_CHOICES = ["type", "size_class", "pkd_version", "cluster"]


def company(i, nip):
    return {"name": "Firma %d" % i, "type": "enterprise", "size_class": "small", "nip": nip, "regon": "", "krs": "",
            "pkd": "62.01.Z", "pkd_version": "2007", "street": "", "postal_code": "30-001", "city": "Kraków",
            "teryt": "1261", "website": "", "email": "", "phone": "", "description_pl": "", "description_en": "",
            "proposer_email": "prop-%d@hostile.example" % i, "cluster": str(G.A)}


def test_proposals():
    nips = [make_nip(700000000 + 104729 * i) for i in range(2 * N)]

    def stored(h, text):
        rid = last_id("org_proposal")
        fields = json.loads(q("SELECT fields FROM org_proposal WHERE id = ?", rid))
        fields["proposer_email"] = q("SELECT proposer_email FROM org_proposal WHERE id = ?", rid)
        return rid, fields

    def lookup(i, vals):
        rid = q("SELECT id FROM org_proposal WHERE name = ?", vals["name"])
        if rid is None:
            return None, {}
        fields = json.loads(q("SELECT fields FROM org_proposal WHERE id = ?", rid))
        fields["proposer_email"] = q("SELECT proposer_email FROM org_proposal WHERE id = ?", rid)
        return rid, fields

    f = Form("proposals", ORG_TEXT, lambda i: company(i, nips[i % len(nips)]),
             lambda v: post(G.visitor, "/organisations/new", v), lambda: q("SELECT COUNT(*) FROM org_proposal"),
             stored, limited=True, checked=ORG_CHECKED, choices=ORG_CHOICES, lookup=lookup)
    done = f.run()
    shown = [s.get(k) for _, _, _, s in done for k in ORG_TEXT if s.get(k)]
    C.page("proposal-queue", G.admin, "/admin/companies", shown)
    after = q("SELECT COALESCE(MAX(id), 0) FROM mail_queue")
    approved = []
    for _, pid, _, s in done:
        st, _, text = post(G.admin, "/admin/companies/approve", {"id": str(pid)})
        C.note("proposal-approve", None if st == 303 else "approve %s: %s %s" % (pid, st, alert_of(text)[:200]))
        if st == 303:
            approved.append((q("SELECT org_id FROM org_proposal WHERE id = ?", pid), s))
    G.approved = len(approved)
    C.pages("proposal-mail", G.admin, [("/admin/outbox/%s" % mid, [body])
                                       for mid, subject, body in mails("org-proposal-approved", after)])
    cols = ["name", "street", "city", "description_pl", "description_en", "nip", "website", "email", "phone"]
    orgs = {}
    for oid, s in approved:
        row = row_of("organisation", cols, oid)
        orgs[oid] = row
        for k in ORG_TEXT:
            if s.get(k):
                C.note("org-stored", None if same(row[k], s[k]) else "organisation %s %s %r != %r" % (oid, k, row[k], s[k]))
        st, _, body = G.visitor.get("/api/v1/organisations/%s" % oid)
        try:
            js = json.loads(body)
            bad = [k for k in ("name", "street", "city", "description_pl", "description_en") if js.get(k) != row[k]]
            C.note("org-json", "organisation %s: %s differ" % (oid, bad) if bad else None)
        except ValueError as ex:
            C.note("org-json", "organisation %s: %s %s" % (oid, st, ex))
    C.pages("org-page", G.visitor, [("/organisations/%s" % oid, [row["name"], row["street"], row["city"],
                                                                 row["description_en"] or row["description_pl"]])
                                     for oid, row in orgs.items()])
    C.pages("org-page", G.visitor_pl, [("/organisations/%s" % oid, [row["name"], row["description_pl"]])
                                        for oid, row in orgs.items()], lang="pl")
    # the CSV export: every cell as stored, defused when it starts with = + - @
    st, h, body = G.visitor.get("/organisations.csv")
    rows = list(csv.reader(io.StringIO(body)))
    head = rows[0] if rows else []
    by_nip = {r[head.index("nip")]: r for r in rows[1:] if len(r) == len(head)} if "nip" in head else {}
    defused = 0
    for oid, row in orgs.items():
        r = by_nip.get(row["nip"])
        if not r:
            C.note("org-csv", "organisation %s (NIP %s) not in the CSV" % (oid, row["nip"]))
            continue
        for k in ("name", "street", "city", "description_pl", "description_en", "website", "email", "phone"):
            v = row[k] or ""
            want = "'" + v if v[:1] in ("=", "+", "-", "@") else v
            defused += want != v
            C.note("org-csv", None if r[head.index(k)] == want else
                   "organisation %s %s: CSV cell %r, want %r" % (oid, k, r[head.index(k)][:60], want[:60]))
    C.note("org-csv", None if defused else "no stored value started with = + - @: the defusing was not exercised")
    C.report("proposal-queue", "proposals: /admin/companies shows every proposed field inert")
    C.report("proposal-approve", "proposals: every stored proposal can be approved")
    C.report("proposal-mail", "proposals: the approval mails in the outbox view are inert")
    C.report("org-stored", "proposals: the directory stores the approved fields as proposed")
    C.report("org-page", "proposals: the organisation profiles show every field inert (Polish and English)")
    C.report("org-json", "proposals: the organisations' JSON gives back exactly the stored text")
    C.report("org-csv", "proposals: organisations.csv holds every stored value, defused when it starts with = + - @")
    f.report()

    # rejection reasons: more (plain) proposals, each rejected with a payload
    plain = Form("proposals to reject", [], lambda i: company(N + i, nips[N + i]),
                 lambda v: post(G.visitor, "/organisations/new", v), lambda: q("SELECT COUNT(*) FROM org_proposal"),
                 lambda h, t: (last_id("org_proposal"), {}), limited=True)
    G.plain = [r[1] for r in plain.run()]
    after = q("SELECT COALESCE(MAX(id), 0) FROM mail_queue")
    G.pid = None
    reject = Form("proposal rejection", ["reason"], lambda i: {"id": str(G.plain[i]), "reason": "r"},
                  lambda v: post(G.admin, "/admin/companies/reject", v),
                  lambda: q("SELECT COUNT(*) FROM org_proposal WHERE status = 'rejected'"),
                  lambda h, t: (G.pid, row_of("org_proposal", ["reason"], G.pid)))
    for i in range(min(N, len(G.plain))):
        G.pid = G.plain[i]
        reject.one(i)
    C.pages("rejection-mail", G.admin, [("/admin/outbox/%s" % mid, [body])
                                        for mid, subject, body in mails("org-proposal-rejected", after)])
    C.report("rejection-mail", "proposals: the rejection mails in the outbox view are inert and hold the reason")
    reject.report()


def test_org_edit():
    """The organisation's editor changes its profile (/organisations/ID/edit): every payload through
    every text field is stored as sent or refused naming its field, and the profile, the form shown
    again and the JSON give the text back inert."""
    oid = G.orgA
    path = "/organisations/%s/edit" % oid
    cols = ["name", "type", "size_class", "street", "city", "postal_code", "teryt", "website", "email", "phone",
            "pkd_codes", "pkd_version", "description_pl", "description_en"]

    def row():
        r = row_of("organisation", cols, oid)
        r["pkd"] = r.pop("pkd_codes")
        r["pkd_version"] = str(r["pkd_version"])
        return r
    orig = row()
    kind = orig["type"]

    def base(i):
        return {"name": "Edycja %d" % i, "type": kind, "size_class": orig["size_class"] or "", "street": "",
                "city": "Kraków", "postal_code": "30-001", "teryt": "1261", "website": "", "email": "",
                "phone": "", "pkd": "72.19.Z", "pkd_version": "2007", "description_pl": "", "description_en": ""}

    edits = lambda: q("SELECT COUNT(*) FROM audit_log WHERE action = 'org-update'")
    f = Form("profile edits", ORG_TEXT, base, lambda v: post(G.editor, path, v), edits,
             lambda h, t_: (oid, row()), checked=["pkd", "postal_code", "teryt", "website", "email", "phone"],
             # the kind is the administrator's (an editor's type= is not taken): not among the editor's choices
             choices=["size_class", "pkd_version"], lookup=lambda i, v: (oid, row()))
    done = f.run()
    last = done[-1][3] if done else {}
    C.page("org-edit-page", G.visitor, "/organisations/%s" % oid,
           [last.get(k) for k in ("name", "street", "city", "description_en") if last.get(k)])
    C.page("org-edit-page", G.editor, path, [last.get(k) for k in ORG_TEXT if last.get(k)])
    C.report("org-edit-page", "profile edits: the profile and the form show the last payloads inert")
    f.report()
    # the organisation as it was, for the sections after this one
    back = {k: (v if v is not None else "") for k, v in orig.items()}
    st, _, text = post(G.admin, path, back)
    ok(st == 303 and row() == orig,
       "the administrator puts the profile back", (st, alert_of(text)[:200]))


def test_cluster_edit():
    """A cluster's profile edited (/clusters/ID/edit): every payload through every text field
    stored as sent or refused naming its field, shown back inert."""
    cid = G.A
    path = "/clusters/%s/edit" % cid
    cols = ["name", "founded", "region", "website", "email", "description_pl", "description_en"]

    def row():
        r = row_of("cluster", cols, cid)
        r["founded"] = "" if r["founded"] is None else str(r["founded"])
        return r
    orig = row()
    form0 = G.admin.form(path, G.admin.get(path)[2])
    sectors0 = form0["fields"].get("sectors", "") if form0 else ""
    base = lambda i: {"name": "Klaster edytowany %d" % i, "founded": "2010", "sectors": "62", "region": "12",
                      "website": "", "email": "", "description_pl": "", "description_en": ""}
    edits = lambda: q("SELECT COUNT(*) FROM audit_log WHERE action = 'cluster-update'")
    f = Form("cluster edits", ["name", "description_pl", "description_en"], base, lambda v: post(G.admin, path, v),
             edits, lambda h, t_: (cid, row()), checked=["founded", "sectors", "website", "email"],
             choices=["region"], lookup=lambda i, v: (cid, row()))
    done = f.run()
    last = done[-1][3] if done else {}
    C.page("cluster-edit-page", G.visitor, "/clusters/%s" % cid,
           [last.get(k) for k in ("name", "description_en") if last.get(k)])
    C.page("cluster-edit-page", G.admin, path, [last.get(k) for k in ("name", "description_pl") if last.get(k)])
    C.report("cluster-edit-page", "cluster edits: the profile and the form show the last payloads inert")
    f.report()
    back = {k: (v if v is not None else "") for k, v in orig.items()}
    back["sectors"] = sectors0
    st, _, text = post(G.admin, path, back)
    ok(st == 303 and row() == orig and sectors0 and G.admin.form(path, G.admin.get(path)[2])["fields"]["sectors"] == sectors0,
       "the administrator puts the cluster's profile back",
       (st, alert_of(text)[:200]))


def test_membership():
    """An editor asks to join cluster A with a message; each request is declined with a reason."""
    G.rid = None

    def stored_request(h, text):
        G.rid = last_id("membership_request")
        return G.rid, row_of("membership_request", ["message"], G.rid)

    join = Form("membership request", ["message"], lambda i: {"message": ""}, lambda v: post(G.editor_b, "/clusters/%s/join" % G.A, v),
                lambda: q("SELECT COUNT(*) FROM membership_request"), stored_request, limited=True)
    decline = Form("membership decline", ["reason"], lambda i: {"id": str(G.rid), "reason": ""},
                   lambda v: post(G.admin, "/admin/companies/decline", v),
                   lambda: q("SELECT COUNT(*) FROM membership_request WHERE status = 'declined'"),
                   lambda h, t: (G.rid, row_of("membership_request", ["reason"], G.rid)))
    for i in range(N):
        after = q("SELECT COALESCE(MAX(id), 0) FROM mail_queue")
        r = join.one(i)
        if not r:
            continue
        C.page("request-queue", G.admin, "/admin/companies", [r[3]["message"]])
        d = decline.one((i + 65) % N)
        if d:
            for mid, subject, body in mails("membership-request-declined", after):
                C.page("decline-mail", G.admin, "/admin/outbox/%s" % mid, [d[3]["reason"]])
        elif q("SELECT status FROM membership_request WHERE id = ?", G.rid) == "pending":
            post(G.admin, "/admin/companies/decline", {"id": str(G.rid), "reason": ""})
    C.report("request-queue", "membership: /admin/companies shows every request's message inert")
    C.report("decline-mail", "membership: the decline mails in the outbox view are inert and hold the reason")
    join.report()
    decline.report()


# ---------------------------------------------------------------- newsletter campaigns

def test_campaigns():
    items = {"articles": [str(a[1]) for a in G.articles[:3]], "offers": [str(o[1]) for o in G.entries["offer"][:3]]}

    def send(v):
        data = {"csrf": token(G.admin)}
        data.update(v)
        data.update(items)
        return G.admin.post("/admin/newsletter/new", data)

    def stored(h, text):
        rid = location_id(h, r"/campaign/(\d+)")
        return rid, row_of("newsletter_campaign", ["subject", "intro"], rid) if rid else {}

    C.page("campaign-compose", G.admin, "/admin/newsletter/new",
           [a[3]["title"] for a in G.articles[-20:]])
    def lookup(i, vals):
        rid = q("SELECT id FROM newsletter_campaign WHERE subject = ?", vals["subject"])
        return rid, row_of("newsletter_campaign", ["lang"], rid) if rid else {}

    f = Form("campaigns", ["subject", "intro"], lambda i: {"subject": "s%d" % i, "intro": "i", "lang": "en"}, send,
             lambda: q("SELECT COUNT(*) FROM newsletter_campaign"), stored, choices=["lang"], lookup=lookup)
    done = f.run()
    # the drafts' pages hold the edit form too
    C.pages("campaign-page", G.admin, [("/admin/newsletter/campaign/%s" % cid, [s["subject"], s["intro"]])
                                       for _, cid, _, s in done])
    sent = []
    for _, cid, _, s in done:
        after = q("SELECT COALESCE(MAX(id), 0) FROM mail_queue")
        st, _, _ = post(G.admin, "/admin/newsletter/send", {"campaign": str(cid), "confirm": "1"})
        C.note("campaign-send", None if st == 303 else "send %s: %s" % (cid, st))
        sent += [("/admin/outbox/%s" % mid, [s["subject"], s["intro"]])
                 for mid, _, _ in mails("newsletter:%s" % cid, after)]
    C.pages("campaign-mail", G.admin, sent)
    C.page("campaign-list", G.admin, "/admin/newsletter", [s["subject"] for _, _, _, s in done])
    C.report("campaign-compose", "campaigns: the compose form lists hostile articles and offers inert")
    C.report("campaign-page", "campaigns: the campaign pages show subject and preview inert")
    C.report("campaign-send", "campaigns: every stored campaign can be sent")
    C.report("campaign-mail", "campaigns: the campaign mails in the outbox view are inert and hold subject and intro")
    C.report("campaign-list", "campaigns: /admin/newsletter lists every subject inert")
    f.report()


# ---------------------------------------------------------------- searches, counts, the portal still works

def test_searches():
    for i, p in enumerate(P):
        qs = urllib.parse.quote(p, safe="")
        for path, client in (("/offers?q=", G.visitor), ("/organisations?q=", G.visitor),
                             ("/admin/users?q=", G.admin), ("/admin/audit?user=", G.admin),
                             ("/admin/audit?action=", G.admin), ("/admin/audit?from=", G.admin)):
            st, h, text = client.get(path + qs)
            if st not in (200, 400):
                C.note("search", "%s%s: %s" % (path, p[:40], st))
                continue
            pg = Page(text)
            C.note("search", "%s%r: %s" % (path, p[:40], pg.problems[:2]) if pg.problems else None)
        st, h, body = G.visitor.get("/api/v1/offers?q=" + qs)
        try:
            js = json.loads(body)
            C.note("search-json", None if st in (200, 400) and ("items" in js or "error" in js)
                   else "status %s" % st)
        except ValueError:
            C.note("search-json", "/api/v1/offers?q=%r: not JSON (%s)" % (p[:40], st))
    C.report("search", "searches (offers, organisations, users, the audit log's filters) with every payload answer 200"
                       " or 400, inert")
    C.report("search-json", "the offers API searched with every payload answers JSON")


def test_counts():
    users = q("SELECT COUNT(*) FROM app_user")
    orgs = q("SELECT COUNT(*) FROM organisation")
    eq(users, G.users0 + G.registered, "SQL payloads changed no accounts: %d users = %d + %d registrations"
       % (users, G.users0, G.registered))
    eq(orgs, G.orgs0 + G.approved, "SQL payloads changed no organisations: %d = %d + %d approved proposals"
       % (orgs, G.orgs0, G.approved))
    eq(q("SELECT COUNT(*) FROM app_user WHERE role = 'admin'"), 1, "there is still one administrator")
    for path in ("/healthz", "/organisations", "/offers", "/news", "/api/v1/organisations?q=krakow"):
        st, _, _ = G.visitor.get(path)
        eq(st, 200, "the portal still answers %s" % path)
    st, _, body = G.visitor.get("/api/v1/organisations?q=krakow")
    ok(st == 200 and json.loads(body)["total"] > 0, "and the directory search still finds organisations")
    C.page("audit", G.admin, "/admin/audit")
    C.page("outbox", G.admin, "/admin/outbox")
    C.report("audit", "the audit log page is inert")
    C.report("outbox", "the outbox list is inert")


# ---------------------------------------------------------------- CSRF and sizes

# numbers no id can be: past 32 and 64 bits, negative, zero, not whole
NUMBERS = ["2147483648", "99999999999", "9223372036854775807", "9223372036854775808", "99999999999999999999",
           "-1", "0", "1e3", "0x10", " 7"]


def test_numbers():
    """Ids and numbers out of range, in paths, forms and queries: refused
    (400/404/409/422) or harmless, never a server error — on either
    backend (a 64-bit id cast to a 32-bit integer is an error only on
    PostgreSQL)."""
    today, later = G.today.isoformat(), G.later
    offer = {"kind": "supply", "title": "n", "description": "d", "valid_from": today, "valid_until": later,
             "contact_name": "c", "contact_email": "c@hostile.example"}
    service = {"category": "training", "title": "n", "description": "d", "price_model": "free", "contact_name": "c",
               "contact_email": "c@hostile.example"}
    article = {"title": "n", "lead": "", "body": "b", "lang": "pl"}
    aid = G.articles[0][1]
    cases = []
    for n in NUMBERS:
        nq = urllib.parse.quote(n)      # in a path
        cases += [
            (G.admin, "POST", "/news/new", dict(article, cluster=n)),
            (G.admin, "POST", "/news/%s/edit" % aid, dict(article, cluster=n)),
            (G.admin, "POST", "/news/%s/edit" % nq, article),
            (G.admin, "POST", "/news/%s/publish" % nq, {}),
            (G.writer, "POST", "/news/%s/comments" % nq, {"body": "b"}),
            (G.admin, "POST", "/admin/comments/%s" % nq, {"decision": "approved"}),
            (G.admin, "POST", "/offers/new", dict(offer, org=n)),
            (G.admin, "POST", "/services/new", dict(service, org=n)),
            (G.admin, "POST", "/offers/edit/%s" % nq, offer),
            (G.admin, "POST", "/offers/withdraw/%s" % nq, {}),
            (G.writer, "POST", "/offers/interest/%s" % nq, {"message": "m"}),
            (G.admin, "POST", "/admin/offers/approve", {"base": "offer", "id": n}),
            (G.admin, "POST", "/admin/offers/reject", {"base": "service", "id": n}),
            (G.admin, "POST", "/admin/users/role", {"user": n, "role": "user"}),
            (G.admin, "POST", "/admin/users/role", {"user": "2", "role": "editor", "org": n}),
            (G.admin, "POST", "/admin/users/role", {"user": "2", "role": "coordinator", "cluster": n}),
            (G.admin, "POST", "/admin/users/role", {"user": "2", "role": "editor", "org": "#" + n}),
            (G.admin, "POST", "/admin/users/block", {"user": n}),
            (G.admin, "POST", "/admin/users/unblock", {"user": n}),
            (G.admin, "POST", "/admin/newsletter/new", {"subject": "s", "intro": "i", "lang": "pl", "articles": n}),
            (G.admin, "POST", "/admin/newsletter/new", {"subject": "s", "intro": "i", "lang": "pl", "offers": n}),
            (G.admin, "POST", "/admin/newsletter/edit", {"campaign": n, "subject": "s", "intro": "i", "lang": "pl"}),
            (G.admin, "POST", "/admin/newsletter/send", {"campaign": n}),
            (G.visitor, "POST", "/organisations/new", dict(company(0, make_nip(123456789)), cluster=n)),
            (G.editor_b, "POST", "/clusters/%s/join" % nq, {"message": ""}),
            (G.admin, "POST", "/admin/companies/approve", {"id": n}),
            (G.admin, "POST", "/admin/companies/reject", {"id": n, "reason": "r"}),
            (G.admin, "POST", "/admin/companies/accept", {"id": n}),
            (G.admin, "POST", "/admin/companies/decline", {"id": n}),
        ]
        for path in ("/offers/%s", "/services/%s", "/news/%s", "/news/%s/print", "/news/%s.pdf", "/organisations/%s",
                     "/clusters/%s", "/api/v1/organisations/%s", "/api/v1/clusters/%s", "/admin/outbox/%s",
                     "/admin/newsletter/campaign/%s", "/offers/edit/%s", "/news/%s/edit", "/clusters/%s/join",
                     "/offers?page=%s", "/offers?per_page=%s", "/services?page=%s", "/news?page=%s",
                     "/news?cluster=%s", "/organisations?page=%s", "/organisations?per_page=%s",
                     "/api/v1/offers?page=%s", "/api/v1/organisations?page=%s&per_page=%s",
                     "/admin/comments?status=%s", "/admin/users?q=%s", "/admin/outbox?page=%s",
                     "/admin/audit?page=%s", "/admin/audit?object=user&object_id=%s", "/admin/audit?user=%23%s",
                     "/admin/audit.csv?object=user&object_id=%s"):
            cases.append((G.admin, "GET", path.replace("%s", urllib.parse.quote(n)), None))
    bad = []
    for c, method, path, fields in cases:
        if method == "GET":
            st = c.get(path)[0]
        else:
            clear_limits()
            st = post(c, path, fields)[0]
        if st >= 500:
            bad.append("%s %s %s: %s" % (method, path, fields and {k: v for k, v in fields.items() if v in NUMBERS}, st))
    ok(not bad, "numbers out of range in %d paths, forms and queries: never a server error" % len(cases),
       "; ".join(bad[:10]))


def test_csrf():
    routes = [l.split("\t") for l in kt.cli(None, "routes").stdout.splitlines() if l.strip()]
    posts = [(p, f.split(",")) for m, p, f in routes if m == "POST"]
    ids = {"/offers/edit/*": G.entries["offer"][0][1], "/offers/withdraw/*": G.entries["offer"][0][1],
           "/offers/interest/*": G.entries["offer"][0][1], "/services/edit/*": G.entries["service"][0][1],
           "/services/withdraw/*": G.entries["service"][0][1], "/services/interest/*": G.entries["service"][0][1],
           "/news/*/edit": G.articles[0][1], "/news/*/publish": G.articles[0][1],
           "/news/*/unpublish": G.articles[0][1], "/news/*/delete": G.articles[0][1],
           "/news/*/comments": G.articles[0][1], "/clusters/*/join": G.A,
           "/admin/comments/*": q("SELECT MAX(id) FROM article_comment"), "/organisations/*/edit": G.orgA,
           "/clusters/*/edit": G.A, "/admin/datasets/*/delete": "no-such", "/admin/firm-lists/*/delete": "no-such"}
    other = token(G.editor)
    for path, flags in posts:
        real = path.replace("*", str(ids.get(path, "")))
        if "*" in path and path not in ids:
            ok(False, "POST %s: a real id for the CSRF check" % path, "add the route to ids")
            continue
        a0 = q("SELECT COUNT(*) FROM audit_log")
        m0 = q("SELECT COUNT(*) FROM mail_queue")
        if "form" in flags:
            sts = [G.admin.post(real, {"title": "x", "id": "1"})[0],
                   G.admin.post(real, {"csrf": other, "title": "x", "id": "1"})[0],
                   G.visitor.post(real, {"title": "x"})[0],
                   G.visitor.post(real, {"csrf": other, "title": "x"})[0]]
            ok(sts == [403] * 4 and q("SELECT COUNT(*) FROM audit_log") == a0 and
               q("SELECT COUNT(*) FROM mail_queue") == m0,
               "POST %s without a CSRF token, or with another session's: 403 and nothing changes" % real, sts)
        elif "upload" in flags:
            # a form with a file (multipart/form-data): the same check, in the body's parts
            def mp(fields):
                b = "----hostileBoundary"
                body = "".join("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)
                               for k, v in fields.items()) + "--%s--\r\n" % b
                return body, {"Content-Type": "multipart/form-data; boundary=" + b}
            sts = [G.admin.post(real, {}, raw=mp({"name": "x"})[0], headers=mp({})[1])[0],
                   G.admin.post(real, {}, raw=mp({"csrf": other, "name": "x"})[0], headers=mp({})[1])[0],
                   G.visitor.post(real, {}, raw=mp({"name": "x"})[0], headers=mp({})[1])[0],
                   G.visitor.post(real, {}, raw=mp({"csrf": other, "name": "x"})[0], headers=mp({})[1])[0]]
            ok(sts == [403] * 4 and q("SELECT COUNT(*) FROM audit_log") == a0,
               "POST %s (a form with a file) without a CSRF token, or with another session's: 403 and nothing "
               "changes" % real, sts)
        elif "token" in flags:
            st = G.admin.post(real, {}, raw='{"name": "x"}', headers={"Content-Type": "application/json"})[0]
            ok(st == 401 and q("SELECT COUNT(*) FROM audit_log") == a0,
               "POST %s (token API) with a session and no API token: 401" % real, st)
        elif path == "/newsletter/unsubscribe":
            # RFC 8058 one-click: no CSRF token by design; the link's token is the authority
            st = G.admin.post(real + "?t=" + "0" * 64, {}, raw="List-Unsubscribe=One-Click")[0]
            ok(st == 404 and q("SELECT COUNT(*) FROM audit_log") == a0,
               "POST %s (one-click, documented without CSRF) with an unknown token: 404, nothing changes" % real, st)
        else:
            ok(False, "POST %s is neither a form, the token API nor the documented one-click route" % real, flags)
    token_now = token(G.admin)
    st = G.admin.post("/account/profile", {"csrf": token_now, "name": "x"}, headers={"Origin": "http://evil.example"})[0]
    eq(st, 403, "a valid token sent from a foreign Origin: 403")


def raw_post(port, path, headers, body=b"", read_timeout=5):
    """Sends the headers (and body); returns the status line's code and the seconds it took."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout)
    try:
        t0 = time.time()
        head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n" % (path, port, "".join(
            "%s: %s\r\n" % kv for kv in headers.items()))
        s.sendall(head.encode() + body)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        m = re.match(rb"HTTP/1\.[01] (\d+)", data)
        return (int(m.group(1)) if m else None), time.time() - t0
    finally:
        s.close()


def test_sizes(backend):
    srv = kt.Server(G.db, "hostile-small-" + backend, "--max-body", "4096")
    try:
        c = kt.Client(srv.port)
        tok = c.csrf("/register")
        cookie = "kcsrf=" + c.cookies["kcsrf"]
        big = b"csrf=" + tok.encode() + b"&name=" + b"A" * 65536
        users = q("SELECT COUNT(*) FROM app_user")
        for path in ("/register", "/organisations/new", "/api/v1/organisations", "/news/1/comments"):
            ctype = "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"
            # only the headers: the answer must come without the body being sent
            st, secs = raw_post(srv.port, path, {"Content-Type": ctype, "Content-Length": str(len(big)),
                                                 "Cookie": cookie, "Connection": "close"})
            ok(st == 413 and secs < 3, "POST %s announcing 64 KiB over --max-body 4096: 413 before the body is read"
               % path, (st, secs))
            st, _, _ = kt.request(srv.port, "POST", path, body=big, headers={"Content-Type": ctype, "Cookie": cookie})
            eq(st, 413, "POST %s with a 64 KiB body: 413" % path)
        # without Content-Length (chunked): the cap stops the upload
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(big[i:i + 8192]), big[i:i + 8192]) for i in range(0, len(big), 8192))
        st, _ = raw_post(srv.port, "/register", {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Transfer-Encoding": "chunked", "Cookie": cookie,
                                                 "Connection": "close"}, chunked + b"0\r\n\r\n")
        eq(st, 413, "POST /register with a chunked 64 KiB body: 413")
        eq(q("SELECT COUNT(*) FROM app_user"), users, "and nothing was written")
        st, _, _ = c.post("/register", {"csrf": tok, "email": "small@hostile.example", "password": PW})
        eq(st, 200, "a form under the limit still works")
    finally:
        srv.clean_exit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    start = time.time()
    ok(N >= 100, "tests/data/hostile.txt holds at least 100 payloads (%d)" % N)
    setup(args.backend)
    times = []
    try:
        for fn in (test_checker, test_row_fields, test_register, test_profile, test_newsletter_email, lambda: test_offers("offer"),
                   lambda: test_offers("service"), test_interest, test_message_errors, test_articles, test_proposals, test_org_edit,
                   test_cluster_edit,
                   test_membership, test_comments, test_campaigns, test_searches, test_counts, test_csrf, test_numbers,
                   lambda: test_sizes(args.backend)):
            t0 = time.time()
            kt.section(fn)
            times.append("%s %.1f" % (getattr(fn, "__name__", "?"), time.time() - t0))
        ok(G.srv.alive(), "the server survived")
    finally:
        G.srv.clean_exit()
        G.sql.close()
    diag("times: " + ", ".join(times))
    diag("%s: %.1f s" % (args.backend, time.time() - start))
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
