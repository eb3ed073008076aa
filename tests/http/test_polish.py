#!/usr/bin/python3
"""The portal in Polish: no English on a Polish page (docs/ARCHITECTURE.md, "Translations").

    tests/http/test_polish.py --backend sqlite|postgres

Every role (visitor, user, editor, coordinator, administrator) opens every
page of the portal in Polish: the pages of the route table (read from
`klaster routes`, so a new page without a visit here fails the test), the
same pages with parameters they refuse (error pages and listings that name
the bad filter), and forms posted with bad fields or without their CSRF
token.  The mails the portal sends from Polish pages are read from a real
SMTP server.  Every page's and mail's visible text (text outside tags,
scripts and styles, and the attributes a person sees or hears: title, alt,
placeholder, aria-label, a button's value) is searched for English words.

What is not searched, because it is not the portal's wording: text inside
an element marked lang="en" (the language switch's "English"), what the
test typed into forms, files' paths (an import's, which the audit log
names), the directory's proper names (organisations, clusters, datasets,
firms, streets and towns, people), codes (words with digits,
PKD/NACE/TERYT), and the words of ALLOWED below (each with its reason).
"""
import argparse
import datetime
import os
import re
import sys
import time
import urllib.parse
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok, diag  # noqa: E402

PW = "haslo testowe polskie 1234"
TODAY = datetime.date.today()

# Words that are English and not Polish: one of them on a Polish page is English
# that reached it.  Words that are also Polish ("a", "i", "to", "do", "no", "on",
# "we", "by", "one", "most", "region", "data", "status", "spam", "admin", "login",
# "link", "portal", "newsletter", "e-mail", "IT") are left out.
ENGLISH = set("""
the is are was were be been being not must of and or with from has have had this that these those
which who whom whose your you our ours its for an at in into onto than then there here when where what
why how if else but also only just very too already yet still any each every all none some other another
such can cannot could should would will shall may might does did done don't isn't can't
required please choose select enter give write type use found got expected between after before
at least more less number name date line text file column row value values field fields empty missing
invalid valid wrong unknown allowed exist exists existing error errors request forbidden method denied access
page pages search filter next previous back home save cancel delete edit new add remove submit send show
hide yes sign log out up login here see read more about contact contacts
user users account accounts password address addresses organisation organisations organization
cluster clusters offer offers service services news article articles comment comments map maps
member members coordinator coordinators editor editors founder
size kind sort newest title price category
pending approved rejected withdrawn expired draft published sent queued failed
supply demand cooperation subcontracting training laboratory research support enterprise public ngo
micro small medium large free quote co_financed
employment share lq traded indicator dataset datasets industry industries base format
characters character bytes byte digits digit codes code letter letters words word year years month day days
""".split())

# Words allowed although English, with the reason.  Keep it short: a word here
# is a word a Polish page may show.
ALLOWED = {
    # the location quotient's abbreviation, always beside its Polish name ("iloraz lokalizacji (LQ)"),
    # as Polish statistics write it
    "lq": "the abbreviation of iloraz lokalizacji",
}

# Proper names the pages quote (the methods the cluster map follows): names, not English to translate
PROPER = ["European Cluster Observatory", "U.S. Cluster Mapping Project"]

# English that page code chooses (not the library's messages, which src/i18n.c translates): each
# entry is (the page, the text, where the Polish is to be written).  Every entry must still match
# something, so a fixed page takes its entry out.
KNOWN = []
KNOWN_SEEN = set()

TYPED = []   # what the test typed into forms: the user's words, not the portal's


class Visible(HTMLParser):
    """The visible text of a page, one piece per text node or attribute."""

    SKIP = {"script", "style", "textarea", "template"}
    ATTRS = ("title", "alt", "placeholder", "aria-label")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.pieces = []
        self.stack = []   # (tag, hidden)
        self.feed(text)

    def hidden(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hide = self.hidden() or tag in self.SKIP or (a.get("lang") or "").startswith("en")
        if not hide:
            for k in self.ATTRS:
                if a.get(k):
                    self.pieces.append(a[k])
            if tag in ("input", "button") and (a.get("type") or "") in ("submit", "button", "reset") and a.get("value"):
                self.pieces.append(a["value"])
        if tag not in self.VOID:
            self.stack.append((tag, hide))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.hidden() and data.strip():
            self.pieces.append(data)


class World:
    pass


W = World()
FOUND = {}   # English text → the first page that showed it


def english_in(piece):
    """The English words of one piece of visible text (after the names and typed values are taken out)."""
    t = piece
    for s in W.names:
        if s in t:
            t = t.replace(s, " ")
    for s in TYPED:
        if s and s in t:
            t = t.replace(s, " ")
    t = re.sub(r"\S+@\S+|https?://\S+", " ", t)            # addresses people typed
    t = re.sub(r"(?<!\S)\S*/\S+\.[a-z]{2,4}\b", " ", t)     # files' paths (an import's, in the audit log)
    t = re.sub(r"\(([a-z_]+)\)", lambda m: " " if m.group(1) in W.params else m.group(0), t)
    words = re.findall(r"[\w'’-]+", t)
    bad = []
    for w in words:
        w = w.strip("'’-")
        if not re.fullmatch(r"[A-Za-z_'’-]+", w):
            continue   # a Polish word (its letters), a code with digits
        parts = [w] if "_" in w else w.split("-")
        if "_" in w and w.lower() not in ALLOWED:
            bad.append(w)   # an internal code: an address parameter's or a field's value
        elif any(p.lower() in ENGLISH for p in parts) and w.lower() not in ALLOWED:
            bad.append(w)
    return bad


def check_text(where, pieces):
    """Records every piece with English words; returns the number of such pieces."""
    bad = 0
    for p in pieces:
        p = " ".join(p.split())
        words = english_in(p)
        known = [i for i, (w, t, _) in enumerate(KNOWN) if re.search(w, where) and re.search(t, p)]
        if words and known:
            KNOWN_SEEN.update(known)
        elif words:
            bad += 1
            FOUND.setdefault(p, (where, words))
    return bad


def page(role, where, status, text, want=None):
    """Checks one Polish page: its status (when want is given) and its visible text."""
    pieces = Visible(text).pieces
    # the address parameters the page's forms send: named in parentheses beside their labels
    W.params |= {k for f in kt.Forms(text).forms if f["method"] == "get" for k in f["fields"]}
    n = check_text("%s %s" % (role, where), pieces)
    W.pages += 1
    if want is not None and status not in (want if isinstance(want, tuple) else (want,)):
        ok(False, "%s: %s answers %s" % (role, where, want), "got %s: %s" % (status, " ".join(pieces)[:600]))
    if not re.search(r'<html lang="pl"', text) and "text/html" in W.last_ctype:
        ok(False, "%s: %s is a Polish page (html lang=pl)" % (role, where), text[:300])
    return n


def get(role, path, want=200):
    c = W.c[role]
    st, h, text = c.get(path)
    for _ in range(3):   # a redirect (to the login page, to an address's one spelling): the page it leads to
        if st not in (301, 302, 303, 307) or not h.get("location", "").startswith("/"):
            break
        st, h, text = c.get(h["location"])
    W.last_ctype = h.get("content-type", "")
    W.visited.add(path.split("?")[0])
    W.params = set(urllib.parse.parse_qs(urllib.parse.urlparse(path).query, keep_blank_values=True))
    if "text/html" not in W.last_ctype:
        ok(False, "%s: GET %s is a page" % (role, path), "content-type %s, status %s" % (W.last_ctype, st))
        return st, text
    page(role, "GET " + path, st, text, want)
    return st, text


def post_form(role, page_path, action, fields, want=None, csrf=True):
    """Opens page_path, fills its form to action with fields (typed values kept out of the check),
    posts it (without its CSRF token when csrf is false) and checks the answer."""
    c = W.c[role]
    st, h, text = c.get(page_path)
    f = c.form(action)
    if f is None:
        ok(False, "%s: a form to %s on %s" % (role, action, page_path), "status %s" % st)
        return None, ""
    data = dict(f["fields"])
    data.update(fields)
    if not csrf:
        data.pop("csrf", None)
    W.params = set(data)
    for k, v in fields.items():
        if k not in ("csrf", "confirm") and isinstance(v, str) and len(v) > 2:
            TYPED.append(v)
    st, h, text = c.post(f["action"], data)
    W.last_ctype = h.get("content-type", "")
    if st in (302, 303) and h.get("location", "").startswith("/"):
        st2, h, text = c.get(h["location"])
        W.last_ctype = h.get("content-type", "")
        page(role, "POST %s → %s" % (action, h.get("location", "")), st2, text)
        if want is not None and st not in (want if isinstance(want, tuple) else (want,)):
            ok(False, "%s: POST %s answers %s" % (role, action, want), "got %s" % st)
        return st, text
    page(role, "POST %s" % action, st, text, want)
    return st, text


def post_raw(role, path, fields, want=None):
    """A POST the page's forms would not send (a missing token, a bad id), with this client's token."""
    c = W.c[role]
    data = dict(fields)
    W.params = set(data)
    st, h, text = c.post(path, data)
    W.last_ctype = h.get("content-type", "")
    page(role, "POST %s" % path, st, text, want)
    return st, text


# ---------------------------------------------------------------- fixtures

def q(sql, *params):
    return W.sql.one(sql, params)


def fixtures(backend):
    # the editor's organisation offers the demo's first service; the coordinator's cluster is one it belongs to
    with open("data/demo/services.csv", encoding="utf-8") as f:
        nip = f.read().splitlines()[1].split(",")[0]
    W.support = q("SELECT id FROM organisation WHERE nip = ?", nip)
    W.cl = q("SELECT cluster_id FROM membership WHERE org_id = ? AND left_on IS NULL ORDER BY cluster_id LIMIT 1",
             W.support)
    W.org = q("SELECT org_id FROM membership WHERE cluster_id = ? AND left_on IS NULL AND role = 'member'"
              " ORDER BY org_id LIMIT 1", W.cl)
    W.outsider = q("SELECT id FROM organisation o WHERE NOT EXISTS (SELECT 1 FROM membership m WHERE m.org_id = o.id"
                   " AND m.cluster_id = ?) ORDER BY id LIMIT 1", W.cl)
    # the demo firms with their value named in Polish (the name the importer chose shows on the map)
    firms = os.path.join(kt.WORK, "polish-firms-%s.csv" % backend)
    with open("data/demo/firms.csv", encoding="utf-8") as f, open(firms, "w", encoding="utf-8") as g:
        g.write(f.read().replace("employment", "zatrudnienie", 1))
    # an offer of the editor's organisation (the demo's offers are all of enterprises)
    offers = os.path.join(kt.WORK, "polish-offers-%s.csv" % backend)
    with open(offers, "w", encoding="utf-8") as f:
        f.write("organisation,kind,title,description,valid_from,valid_until,contact_name,contact_email,status\n"
                "%s,cooperation,Wspólny projekt badawczy,Opis oferty.,%s,%s,Jan Kontakt,oferta@polski.example,"
                "approved\n" % (nip, TODAY.isoformat(), (TODAY + datetime.timedelta(days=90)).isoformat()))
    for step in (["import", "offers", "data/demo/offers.csv"], ["import", "services", "data/demo/services.csv"],
                 ["import", "news"] + sorted(os.path.join("data/demo/news", f) for f in os.listdir("data/demo/news")),
                 ["import", "stats", "data/stats/gus_regon_2025q3_employment_estimate.csv", "--dataset", "gus",
                  "--title", "GUS 2025"],
                 ["import", "firms", firms, "--dataset", "demo-firmy", "--title", "Firmy demo",
                  "--value", "zatrudnienie"], ["import", "offers", offers]):
        r = kt.cli(W.db, *step)
        if r.returncode:
            raise RuntimeError("klaster %s: %s" % (" ".join(step[:2]), r.stderr))
    accounts = {"user": ("user", None, None), "editor": ("editor", W.support, None),
                "coordinator": ("coordinator", None, W.cl), "admin": ("admin", None, None)}
    for role, (r_, org, cl) in accounts.items():
        kt.add_user(W.db, "%s@polski.example" % role, PW, role=r_, name="Konto " + role, org=org, cluster=cl)
    # the proper names of the directory: not the portal's words
    names = set()
    for sql in ("SELECT name FROM organisation", "SELECT street FROM organisation", "SELECT city FROM organisation",
                "SELECT name FROM cluster", "SELECT acronym FROM cluster", "SELECT name FROM app_user",
                "SELECT title FROM offer", "SELECT title FROM service", "SELECT contact_name FROM offer",
                "SELECT contact_name FROM service", "SELECT title FROM article", "SELECT title FROM dataset",
                "SELECT title FROM firm_dataset", "SELECT name FROM firm_point", "SELECT name FROM region"):
        try:
            names.update(r[0] for r in W.sql.rows(sql, ()) if r[0])
        except Exception as e:   # a column this schema names otherwise: said, not fatal
            diag("names: %s: %s" % (sql, e))
    W.names = sorted(names | set(PROPER), key=len, reverse=True)
    W.c = {"visitor": kt.Client(W.srv.port, lang="pl")}
    for role in accounts:
        c = kt.Client(W.srv.port, lang="pl")
        c.login("%s@polski.example" % role, PW)
        W.c[role] = c
    W.offer = q("SELECT id FROM offer WHERE status = 'approved' ORDER BY id LIMIT 1")
    W.offer_mine = q("SELECT id FROM offer WHERE org_id = ? ORDER BY id LIMIT 1", W.support)
    W.service = q("SELECT id FROM service WHERE status = 'approved' ORDER BY id LIMIT 1")
    W.service_mine = q("SELECT id FROM service WHERE org_id = ? ORDER BY id LIMIT 1", W.support)
    W.admin_id = q("SELECT id FROM app_user WHERE email = 'admin@polski.example'")
    W.article = q("SELECT id FROM article WHERE status = 'published' AND lang = 'pl' ORDER BY id LIMIT 1")


ROLES = ("visitor", "user", "editor", "coordinator", "admin")


def pages():
    """Every page as every role."""
    o, c, a = W.org, W.cl, W.article
    paths = ["/", "/organisations", "/organisations?page=2", "/organisations/%d" % o, "/organisations/new",
             "/organisations/%d/edit" % W.support, "/clusters", "/clusters/%d" % c, "/clusters/%d/edit" % c,
             "/clusters/%d/join" % c, "/map", "/cluster-map", "/cluster-map?dataset=gus",
             "/cluster-map/region?dataset=gus&region=12", "/cluster-map/related?dataset=gus",
             "/cluster-map/related?dataset=gus&industry=29", "/cluster-map/trend?dataset=gus&region=12&industry=29",
             "/cluster-map/points", "/cluster-map/points?dataset=demo-firmy",
             "/register", "/confirm", "/login", "/forgot", "/reset", "/account", "/admin", "/admin/users",
             "/admin/outbox", "/admin/audit", "/admin/companies", "/admin/members", "/news", "/news/new",
             "/news/%d" % a, "/news/%d/print" % a, "/news/%d/edit" % a, "/admin/news", "/admin/comments",
             "/newsletter", "/newsletter/confirm", "/newsletter/unsubscribe", "/admin/newsletter",
             "/admin/newsletter/new", "/admin/newsletter/subscribers", "/offers", "/offers/new", "/offers/mine",
             "/offers/reply?token=zly", "/offers/%d" % W.offer, "/offers/edit/%d" % W.offer_mine,
             "/admin/offers", "/services", "/services/new", "/services/%d" % W.service,
             "/services/edit/%d" % W.service_mine, "/admin/datasets", "/admin/datasets/gus/delete",
             "/admin/firm-lists/demo-firmy/delete"]
    for role in ROLES:
        for p in paths:
            get(role, p, want=None)
    ok(True, "%d pages opened as %d roles" % (len(paths), len(ROLES)))


# pages with parameters they refuse: the error page, or the listing with its filter form
BAD = [
    "/organisations?type=firma", "/organisations?size=ogromna", "/organisations?sort=x", "/organisations?page=abc",
    "/organisations?pkd=zz", "/organisations?pkd=99.99.Z", "/organisations?voiv=99", "/organisations?pkd_version=2001",
    "/organisations?q=" + "x" * 210, "/organisations?section=Z", "/organisations/999999", "/organisations/abc",
    "/clusters?page=0", "/clusters/999999", "/clusters/abc", "/clusters/999999/join",
    "/map?layer=x", "/cluster-map?dataset=brak", "/cluster-map?dataset=gus&indicator=x",
    "/cluster-map?dataset=gus&base=x", "/cluster-map?dataset=gus&year=abc", "/cluster-map?dataset=gus&classes=99",
    "/cluster-map?dataset=gus&industry=zz", "/cluster-map?dataset=gus&voiv=99", "/cluster-map?dataset=gus&sort=x",
    "/cluster-map?dataset=gus&feature=x", "/cluster-map?dataset=gus&band_km=-1",
    "/cluster-map/region?dataset=gus&region=99", "/cluster-map/region?dataset=gus",
    "/cluster-map/related?dataset=brak", "/cluster-map/related?dataset=gus&year=abc",
    "/cluster-map/related?dataset=gus&industry=zz",
    "/cluster-map/trend?dataset=brak", "/cluster-map/trend?dataset=gus&region=99",
    "/cluster-map/trend?dataset=gus&industry=zz", "/cluster-map/trend?dataset=gus&base=x",
    "/cluster-map/points?dataset=brak", "/cluster-map/points?dataset=demo-firmy&eps_km=x",
    "/cluster-map/points?dataset=demo-firmy&min_samples=0", "/cluster-map/points?dataset=demo-firmy&cell_km=-5",
    "/cluster-map/points?dataset=demo-firmy&industry=zz", "/cluster-map/points?dataset=demo-firmy&value=x",
    "/cluster-map/points?dataset=demo-firmy&band_km=x", "/cluster-map/points?dataset=demo-firmy&grid=x",
    "/news?page=x", "/news?cluster=brak", "/news/999999", "/news/abc", "/news/999999/print",
    "/offers?kind=x", "/offers?sort=x", "/offers?pkd=zz", "/offers?voiv=99", "/offers?cluster=brak", "/offers?page=x",
    "/offers?org=x", "/offers/999999", "/offers/abc", "/offers/reply",
    "/services?category=x", "/services?price=x", "/services?sort=x", "/services?voiv=99", "/services/999999",
    "/confirm?token=zly", "/reset?token=zly", "/newsletter/confirm?token=zly", "/newsletter/unsubscribe?t=zly",
    "/lang?set=de", "/nie-ma-takiej-strony", "/organisations?%00=1",
]
ADMIN_BAD = [
    "/admin/users?page=x", "/admin/users?q=" + "x" * 300, "/admin/audit?from=2024-13-01", "/admin/audit?to=x",
    "/admin/audit?from=2024-05-01&to=2024-01-01", "/admin/audit?object=x", "/admin/audit?object=user&object_id=x",
    "/admin/audit?user=x", "/admin/audit?action=" + "x" * 300, "/admin/outbox/999999", "/admin/outbox/abc",
    "/admin/outbox?page=x", "/admin/companies?cluster=x", "/admin/companies?page=x", "/admin/members?cluster=x",
    "/admin/members?cluster=999999", "/admin/news?status=x", "/admin/comments?status=x",
    "/admin/newsletter/campaign/999999", "/admin/newsletter/campaign/abc", "/admin/newsletter/subscribers?status=x",
    "/admin/offers?status=x", "/offers/edit/999999", "/services/edit/999999", "/news/999999/edit",
    "/organisations/999999/edit", "/clusters/999999/edit",
]


def bad_params():
    for path in BAD:
        get("visitor", path, want=None)
    for role in ("coordinator", "admin"):
        for path in ADMIN_BAD:
            get(role, path, want=None)
    ok(True, "%d addresses with bad parameters opened" % (len(BAD) + 2 * len(ADMIN_BAD)))


LONG = "Bardzo długi tekst " * 40


def forms():
    """Forms posted with bad fields, without their CSRF token, or by a role they refuse."""
    o, c = W.support, W.cl
    bad_org = {"name": "", "nip": "123", "regon": "1", "krs": "12", "postal_code": "ab", "website": "ftp:/x",
               "email": "bez-malpy", "phone": "tel. abc", "teryt": "99", "pkd": "zz", "size_class": "ogromna"}
    bad_offer = {"kind": "", "title": "", "description": "", "pkd_codes": "zz, 00.00", "keywords": "a" * 60,
                 "voivodeship": "99", "valid_from": "2024-02-30", "valid_until": "2020-01-01",
                 "contact_email": "bez-malpy", "contact_phone": "abc"}
    bad_service = {"category": "", "title": "", "description": "", "price_model": "", "voivodeship": "99",
                   "contact_email": "a@b", "contact_phone": "abc"}
    cases = [
        ("visitor", "/register", "/register", {"email": "bez-malpy", "name": "", "password": "abc"}),
        ("visitor", "/register", "/register", {"email": "nowe@polski", "name": "Nowa Osoba", "password": "password"}),
        ("visitor", "/register", "/register", {"email": "nowe@polski.example", "name": "Nowa Osoba",
                                               "password": "nowe@polski.example"}),
        ("visitor", "/login", "/login", {"email": "user@polski.example", "password": "zupelnie zle haslo"}),
        ("visitor", "/login", "/login", {"email": "", "password": ""}),
        ("visitor", "/forgot", "/forgot", {"email": "bez-malpy"}),
        ("visitor", "/newsletter", "/newsletter", {"email": "x@y"}),
        ("visitor", "/newsletter", "/newsletter", {"email": "czytelnik@polski.example", "consent_version": "stara"}),
        ("visitor", "/organisations/new", "/organisations/new", bad_org),
        ("user", "/account", "/account/profile", {"name": "x" * 300}),
        ("user", "/account", "/account/password", {"current": "zle haslo", "password": "abc", "password2": "abd"}),
        ("user", "/account", "/account/password", {"current": PW, "password": "1234567890123",
                                                   "password2": "1234567890123"}),
        ("user", "/account", "/account/delete", {"current": "zle haslo"}),
        ("user", "/news/%d" % W.article, "/news/%d/comments" % W.article, {"body": ""}),
        ("user", "/news/%d" % W.article, "/news/%d/comments" % W.article,
         {"body": "Zobacz http://a.example http://b.example http://c.example http://d.example"}),
        ("user", "/organisations/new", "/organisations/new", dict(bad_org, name="Nazwa", nip="5260250274")),
        ("editor", "/offers/new", "/offers/new", bad_offer),
        ("editor", "/offers/new", "/offers/new", dict(bad_offer, kind="demand", title="Oferta",
                                                      description="Opis.", valid_from=TODAY.isoformat(),
                                                      valid_until="9999-12-31", pkd_codes="J", keywords="")),
        ("editor", "/offers/edit/%d" % W.offer_mine, "/offers/edit/%d" % W.offer_mine, bad_offer),
        ("editor", "/services/new", "/services/new", bad_service),
        ("editor", "/services/edit/%d" % W.service_mine, "/services/edit/%d" % W.service_mine, bad_service),
        ("editor", "/organisations/%d/edit" % o, "/organisations/%d/edit" % o, bad_org),
        ("editor", "/offers/%d" % W.offer, "/offers/interest/%d" % W.offer, {"message": ""}),
        ("coordinator", "/clusters/%d/edit" % c, "/clusters/%d/edit" % c,
         {"name": "", "founded": "abc", "sectors": "zz;99", "region": "99", "website": "x", "email": "x"}),
        ("coordinator", "/admin/members", "/admin/members/add", {"org": "Nie ma takiej organizacji"}),
        ("coordinator", "/admin/members", "/admin/members/add", {"org": ""}),
        ("coordinator", "/admin/members", "/admin/members/add", {"org": "#%d" % W.org}),
        ("coordinator", "/admin/members", "/admin/members/add", {"org": "#999999"}),
        ("coordinator", "/admin/members", "/admin/members/add", {"org": "Sp. z o.o."}),
        ("coordinator", "/news/new", "/news/new", {"title": "", "lead": "x" * 2000, "body": "", "lang": "de"}),
        ("coordinator", "/admin/newsletter/new", "/admin/newsletter/new", {"subject": "", "intro": "", "lang": "de"}),
        ("admin", "/admin/users", "/admin/users/role", {"role": "szef"}),
        ("admin", "/admin/users", "/admin/users/role", {"role": "editor", "org": ""}),
        ("admin", "/admin/users", "/admin/users/role", {"role": "editor", "org": "Nie ma takiej"}),
        ("admin", "/admin/users", "/admin/users/role", {"role": "coordinator", "cluster": ""}),
        ("admin", "/admin/users", "/admin/users/role", {"role": "coordinator", "cluster": "BRAK"}),
        ("admin", "/admin/users", "/admin/users/role", {"user": "abc"}),
        ("admin", "/admin/users", "/admin/users/block", {"user": str(W.admin_id)}),
        ("admin", "/admin/users", "/admin/users/block", {"user": "999999"}),
    ]
    n = 0
    for role, page_path, action, fields in cases:
        post_form(role, page_path, action, fields)
        n += 1
    # without the CSRF token: refused
    for role, page_path, action, fields in cases[:11:3] + cases[16:17] + cases[23:24]:
        post_form(role, page_path, action, fields, want=403, csrf=False)
        n += 1
    # by a role the action refuses, with its token; and addresses the forms would not send
    tok = {r: W.c[r].csrf("/newsletter") for r in ROLES}
    raw = [("user", "/offers/new", {"title": "x"}), ("user", "/admin/users/role", {"user": "1", "role": "admin"}),
           ("editor", "/admin/offers/approve", {"base": "offer", "id": str(W.offer)}),
           ("user", "/clusters/%d/edit" % c, {"name": "x"}), ("user", "/admin/members/add", {"org": "1"}),
           ("user", "/admin/newsletter/new", {"subject": "x"}), ("user", "/news/new", {"title": "x"}),
           ("coordinator", "/admin/offers/approve", {"base": "x", "id": "abc"}),
           ("coordinator", "/admin/offers/reject", {"base": "offer", "id": "999999"}),
           ("admin", "/admin/companies/approve", {"id": "999999"}),
           ("admin", "/admin/companies/accept", {"id": "abc"}),
           ("admin", "/admin/comments/999999", {"status": "x"}),
           ("admin", "/admin/newsletter/send", {"id": "999999"}),
           ("admin", "/admin/newsletter/edit", {"id": "abc"}),
           ("visitor", "/reset", {"token": "zly", "password": "abc", "password2": "abc"}),
           ("visitor", "/confirm", {"token": "zly"}),
           ("visitor", "/newsletter/confirm", {"token": "zly"}),
           ("visitor", "/newsletter/unsubscribe", {"t": "zly"}),
           ("editor", "/offers/withdraw/%d" % W.offer, {}), ("editor", "/services/withdraw/999999", {}),
           ("editor", "/news/%d/publish" % W.article, {})]
    for role, path, fields in raw:
        post_raw(role, path, dict(fields, csrf=tok[role]))
        n += 1
    ok(True, "%d forms posted" % n)


def uploads():
    """Files the datasets page refuses (sent as a browser sends a file, multipart): the readers'
    messages, English in the library, said in Polish after the file's name and line."""
    c = W.c["admin"]
    boundary = "----klasterPolishUpload"
    cases = [({}, "powtorzenie.csv", b"region,industry,year,employment\n02,C,2020,1\n04,C,2020,2\n02,C,2020,3\n"),
             ({}, "naglowek.csv", b"region,industry,year,employment\n"),
             ({"what": "firms"}, "firmy.csv", b"id,name,industry,lat,lon\n1,Huta,C,52.2,21.0\n2,Biuro,F,fifty,21.0\n")]
    for fields, fname, data in cases:
        c.get("/admin/datasets")
        f = c.form("/admin/datasets")
        if f is None:
            ok(False, "admin: the upload form on /admin/datasets")
            return
        d = dict(f["fields"])
        d.pop("file", None)
        d.update(fields, name="odmowa")
        body = b"".join(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode()
                        for k, v in d.items())
        body += ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: text/csv"
                 "\r\n\r\n" % (boundary, fname)).encode() + data + ("\r\n--%s--\r\n" % boundary).encode()
        W.params = set(d)
        st, h, text = c.post("/admin/datasets", None, raw=body,
                             headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        W.last_ctype = h.get("content-type", "")
        page("admin", "POST /admin/datasets (%s)" % fname, st, text, 422)
    ok(True, "%d refused uploads" % len(cases))


def mail_text(msg):
    """The visible text of a mail: its subject, its plain part, its HTML part's text."""
    subject = str(msg["subject"] or "")
    pieces = []
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_content()
            text = text.replace("\r\n", "\n")
            if "\n-- English --\n" in text:
                # a mail to an address whose language is unknown (an entry's contact): Polish, then the
                # same in English under this line, and the subject "Polish / English"
                text = text.split("\n-- English --\n")[0]
                subject = re.sub(r" / [^:]*", "", subject, count=1)
            pieces += text.splitlines()
        elif part.get_content_type() == "text/html":
            pieces += Visible(part.get_content()).pieces
    return [subject] + pieces


def check_mails(to, what, count=1):
    msgs = W.sink.wait(to, count)
    if not ok(len(msgs) >= count, "a mail to %s: %s" % (to, what), "%d messages" % len(msgs)):
        return None
    msg = msgs[count - 1]
    W.params = set()
    check_text("mail to %s (%s)" % (to, what), mail_text(msg))
    W.pages += 1
    return msg


def mails():
    """The mails the portal sends from Polish pages: in Polish."""
    v = W.c["visitor"]
    post_form("visitor", "/register", "/register", {"email": "nowy@polski.example", "name": "Nowy Czytelnik",
                                                    "password": "haslo nowego konta 1234"})
    check_mails("nowy@polski.example", "the registration's confirmation")
    post_form("visitor", "/forgot", "/forgot", {"email": "user@polski.example"})
    check_mails("user@polski.example", "the password reset")
    post_form("visitor", "/newsletter", "/newsletter", {"email": "czytelnik@polski.example", "consent": "1"})
    check_mails("czytelnik@polski.example", "the newsletter's confirmation")
    post_form("user", "/offers/%d" % W.offer_mine, "/offers/interest/%d" % W.offer_mine,
              {"message": "Jesteśmy zainteresowani współpracą, prosimy o kontakt."})
    msg = check_mails("oferta@polski.example", "interest in an offer")
    link = msg and kt.link_in(msg, "/offers/reply")
    if ok(link, "the mail links to the reply form"):
        get("visitor", link)
        post_form("visitor", link, "/offers/reply", {"message": ""})
        post_form("visitor", link, "/offers/reply", {"message": "Dziękujemy, zapraszamy na spotkanie."})
        check_mails("user@polski.example", "the answer to the interest", 2)
    st, h, _ = W.c["coordinator"].submit("/admin/newsletter/new", "/admin/newsletter/new",
                                         {"subject": "Wiadomości klastra", "intro": "Dzień dobry.", "lang": "pl"})
    m = re.search(r"/campaign/(\d+)", h.get("location", ""))
    if ok(m, "a campaign made", "status %s" % st):
        W.campaign = int(m.group(1))
        page_path = "/admin/newsletter/campaign/%d" % W.campaign
        for role in ROLES:
            get(role, page_path, want=None)
        post_raw("coordinator", "/admin/newsletter/send", {"campaign": str(W.campaign),
                                                             "csrf": W.c["coordinator"].csrf("/newsletter")})
        post_form("coordinator", page_path, "/admin/newsletter/edit", {"subject": "", "intro": ""})
        post_form("coordinator", page_path, "/admin/newsletter/test", {})
        check_mails("coordinator@polski.example", "a campaign's test")
    out = q("SELECT MAX(id) FROM mail_queue")
    for role in ROLES:
        get(role, "/admin/outbox/%d" % out, want=None)


def routes():
    """Every page of the route table was opened (a new page needs its visit in pages())."""
    r = kt.cli(None, "routes")
    missing = []
    for line in r.stdout.splitlines():
        method, path, flags = (line.split("\t") + ["", ""])[:3]
        if method != "GET" or "api" in flags.split(",") or path in ("/healthz", "/lang") \
                or path.startswith("/static/") or re.search(r"\.(csv|xlsx|svg|png|pdf)$", path):
            continue
        pat = "^" + re.escape(path).replace(r"\*", "[^/]+") + ("[^/]+" if "prefix" in flags and path.endswith("/") else "") + "$"
        if path.endswith("*"):
            pat = pat[:-1] + ".*$"
        if not any(re.match(pat, v) for v in W.visited):
            missing.append(path)
    ok(r.returncode == 0 and not missing, "every page of `klaster routes` opened in Polish", "not opened: %s" % missing)


def report():
    for i, (w, t, fix) in enumerate(KNOWN):
        if i in KNOWN_SEEN:
            diag("known, to be translated in %s" % fix)
        else:
            ok(False, "known English still shown: %s" % fix, "nothing matched %r on %r: remove the entry" % (t, w))
    for text, (where, words) in sorted(FOUND.items(), key=lambda kv: kv[1][0]):
        diag("%s: %s  [%s]" % (where, text[:300], ", ".join(sorted(set(words)))))
    ok(not FOUND, "no English on %d Polish pages and mails (%d pieces of text with English words)"
       % (W.pages, len(FOUND)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    start = time.time()
    W.db = kt.database(args.backend, "polish")
    W.sql = ktdb.Db(W.db)
    W.sink = kt.SmtpSink()
    W.srv = kt.Server(W.db, "polish-" + args.backend, "--smtp-url", W.sink.url)
    W.pages = 0
    W.params = set()
    W.visited = set()
    W.last_ctype = ""
    try:
        fixtures(args.backend)
        kt.section(pages)
        kt.section(bad_params)
        kt.section(forms)
        kt.section(uploads)
        kt.section(mails)
        kt.section(routes)
        kt.section(report)
    finally:
        W.srv.clean_exit()
        W.sink.stop()
        W.sql.close()
    diag("%s: %.1f s" % (args.backend, time.time() - start))
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
