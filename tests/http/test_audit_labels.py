#!/usr/bin/python3
"""The audit log's page names every action and kind of object by a label in the page's language.

    tests/http/test_audit_labels.py --backend sqlite|postgres

The actions and object types are read from the source: every auth_audit call
in src/*.c, its action and object-type arguments followed through the
wrappers and helpers that pass them on (a parameter of the calling function:
that function's callers; a function's call: its return statements).  An
entry of each is written to the log, and /admin/audit in Polish and in
English must show every one by a label, not by its code; the filters'
choices likewise, their values staying the codes.  A code written anywhere
in src/ without its label in src/audit.c fails here.  The details the
portal writes as codes or English sentences are checked in Polish too.
"""
import argparse
import glob
import os
import re
import sys
import time
import urllib.parse
from html import unescape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok, eq, diag  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PW = "etykiety dziennika 2024"
ADMIN = "admin@labels.example"


def args_of(text, start):
    """The arguments of the call whose "(" is at start, as source text, and the index after its ")"."""
    args, depth, cur, i = [], 0, "", start + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur += text[i:j + 1]
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append(cur.strip())
                return args, i + 1
            depth -= 1
        elif c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            i += 1
            continue
        cur += c
        i += 1
    raise ValueError("unbalanced call at %d" % start)


SOURCES = {p: open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(ROOT, "src", "*.c")))}
FUNC_DEF = re.compile(r"^(?:static\s+)?(?:const\s+)?(?:struct\s+|enum\s+|unsigned\s+)?\w+\s+\**(\w+)\(", re.M)


def enclosing(text, pos):
    """The function definition (name, its parameters' names, whether static) that holds pos."""
    best = None
    for m in FUNC_DEF.finditer(text, 0, pos):
        best = m
    params, _ = args_of(text, best.end() - 1)
    return (best.group(1), [re.findall(r"\w+", p)[-1] if p and p != "void" else "" for p in params],
            best.group(0).startswith("static"))


def values(path, pos, expr, seen=()):
    """The string literals expr (an argument at pos in path) may be: its own literals, or through a
    parameter of the enclosing function its callers', or through a call the function's returns."""
    # the literals the expression may be, not those its tests take (strcmp(status, "spam") == 0 ? …)
    lits = re.findall(r'"([^"\\]*)"', re.sub(r"\w+\([^()]*\)", " ", expr))
    if lits:
        return set(lits)
    text = SOURCES[path]
    m = re.fullmatch(r"(\w+)\(.*\)", expr, re.S)
    if m:   # a function's value: the literals of its returns
        for p, t in SOURCES.items():
            d = re.search(r"^(?:static\s+)?(?:const\s+)?\w+\s+\**%s\([^;{]*\)\s*\{" % m.group(1), t, re.M)
            if d:
                body = t[d.end():t.index("\n}", d.end())]
                return set(re.findall(r'"([^"\\]*)"', " ".join(re.findall(r"return [^;]*;", body))))
        raise ValueError("%s: no definition of %s" % (path, m.group(1)))
    if not re.fullmatch(r"[\w>.-]+", expr):
        raise ValueError("%s: cannot follow %r" % (path, expr))
    name = re.findall(r"\w+", expr)[-1]
    fn, params, static = enclosing(text, pos)
    if name not in params or (fn, name) in seen:
        raise ValueError("%s: %s is no parameter of %s" % (path, expr, fn))
    i = params.index(name)
    out = set()
    for p, t in ({path: text} if static else SOURCES).items():   # a static function's callers: its file's
        for c in re.finditer(r"(?<![\w.>])%s\(" % fn, t):
            a, _ = args_of(t, c.end() - 1)
            if any(re.match(r"(const|struct|enum|long|int|char|void)\b", x) for x in a):
                continue   # the definition or a declaration
            if len(a) > i:
                out |= values(p, c.start(), a[i], seen + ((fn, name),))
    return out


def codes():
    """Every action and object type auth_audit is given in src/."""
    actions, objects = set(), set()
    calls = 0
    for path, text in SOURCES.items():
        for c in re.finditer(r"\bauth_audit\(", text):
            a, _ = args_of(text, c.end() - 1)
            if len(a) != 8 or a[0].startswith("struct"):
                continue   # the definition or the declaration
            calls += 1
            actions |= values(path, c.start(), a[3])
            objects |= values(path, c.start(), a[4])
    objects.discard("")
    return calls, actions, objects


def cells(page):
    """The rows of the log's table: (action code, its cell's text, object code or None, its text, detail)."""
    rows = []
    for tr in re.findall(r'<tr><td class="date">.*?</tr>', page, re.S):
        act = re.search(r'<a href="/admin/audit\?action=([^"]+)">([^<]*)</a>', tr)
        obj = re.search(r'<a href="/admin/audit\?object=([^"&]+)&amp;object_id=\d+">([^<]*) #\d+</a>', tr)
        det = re.search(r'<td class="detail">(.*?)</td>', tr, re.S)
        rows.append((urllib.parse.unquote(act.group(1)), unescape(act.group(2)),
                     obj and urllib.parse.unquote(obj.group(1)), obj and unescape(obj.group(2)),
                     unescape(re.sub(r"<[^>]+>", "", det.group(1)))))
    return rows


def test_labels(srv, db):
    calls, actions, objects = codes()
    diag("%d auth_audit calls, %d actions, %d object types" % (calls, len(actions), len(objects)))
    # the reading of the source itself: a parse that found nothing would pass everything
    ok(calls >= 40 and len(actions) >= 60 and len(objects) >= 10, "the source's audit calls are read",
       (calls, len(actions), len(objects)))
    for want in ("login-failed", "password-reset-requested", "news-publish", "news-unpublish", "newsletter-send",
                 "service-approve", "user-block", "user-add", "token-add"):
        ok(want in actions, "  including %s (through wrappers, parameters and choices)" % want)
    for want in ("user", "offer", "service", "newsletter_campaign", "mail"):
        ok(want in objects, "  the object type %s" % want)
    d = ktdb.Db(db)
    now = int(time.time())
    uid = d.one("SELECT id FROM app_user WHERE email = ?", (ADMIN,))
    objs = sorted(objects)
    for i, a in enumerate(sorted(actions)):
        d.rows("INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail) VALUES (?,?,?,?,?,?,?)",
               (now - i, uid, "10.0.0.9", a, objs[i % len(objs)], 100 + i, None))
    for i, o in enumerate(objs):
        d.rows("INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail) VALUES (?,?,?,?,?,?,?)",
               (now - 1000 - i, uid, "10.0.0.9", "login", o, 500 + i, None))
    for lang in ("pl", "en"):
        c = kt.Client(srv.port, lang=lang)
        c.login(ADMIN, PW)
        shown, kinds, page = {}, {}, ""
        for p in (1, 2, 3):
            st, _, page_p = c.get("/admin/audit?page=%d" % p)
            eq(st, 200, "%s: the log's page %d" % (lang, p))
            page += page_p
            for act, atext, obj, otext, _ in cells(page_p):
                shown.setdefault(act, atext)
                if obj:
                    kinds.setdefault(obj, otext)
        bare = sorted(a for a in actions if shown.get(a, a) == a)
        ok(not bare and set(actions) <= set(shown), "%s: every action is shown by its label" % lang,
           "without a label (src/audit.c action_labels): %s" % ", ".join(bare))
        bare = sorted(o for o in objects if kinds.get(o, o) == o)
        ok(not bare, "%s: every kind of object is shown by its label" % lang,
           "without a label (src/audit.c object_labels): %s" % ", ".join(bare))
        ok(len(set(shown[a] for a in actions)) == len(actions), "%s: no two actions share a label" % lang)
        sel = re.search(r'<select id="f-action" name="action"[^>]*>(.*?)</select>', page, re.S)
        opts = dict(re.findall(r'<option value="([^"]+)">([^<]*)</option>', sel.group(1)))
        ok(all(a in opts and unescape(opts[a]) == shown[a] for a in actions),
           "%s: the action filter offers every action by its label, its value the code" % lang)
        sel = re.search(r'<select id="f-object" name="object"[^>]*>(.*?)</select>', page, re.S)
        opts = dict(re.findall(r'<option value="([^"]+)">([^<]*)</option>', sel.group(1)))
        ok(all(o in opts and unescape(opts[o]) == kinds[o] for o in objects),
           "%s: the object filter too" % lang)
    c = kt.Client(srv.port, lang="pl")
    c.login(ADMIN, PW)
    st, _, page = c.get("/admin/audit?action=login-failed")
    ok(st == 200 and re.search(r'<option value="login-failed" selected>Nieudane logowanie</option>', page),
       "the filter by an action's code keeps it chosen, shown by its label", st)
    # a code the portal does not write (an older version's, say) is shown as it is
    d.rows("INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail) VALUES (?,?,?,?,?,?,?)",
           (now, uid, "10.0.0.9", "legacy-thing", "gadget", 1, "as stored"))
    st, _, page = c.get("/admin/audit?action=legacy-thing")
    ok(cells(page) == [("legacy-thing", "legacy-thing", "gadget", "gadget", "as stored")],
       "an unknown code and its detail are shown as stored", cells(page))
    d.close()


DETAILS = [
    # (action, object, the detail as stored, in Polish, in English)
    ("role", "user", "user \u2192 editor org=12 cluster=0", "użytkownik \u2192 redaktor organizacji, organizacja #12",
     "user \u2192 organisation editor, organisation #12"),
    ("role", "user", "coordinator \u2192 user org=0 cluster=0", "koordynator klastra \u2192 użytkownik",
     "cluster coordinator \u2192 user"),
    ("user-add", "user", "coordinator cluster=3", "koordynator klastra, klaster #3", "cluster coordinator, cluster #3"),
    ("user-add", "user", "admin", "administrator", "administrator"),
    ("user-role", "user", "editor of organisation #7, which the account proposed",
     "redaktor organizacji #7, którą konto zgłosiło", "editor of organisation #7, which the account proposed"),
    ("membership-request", "membership_request", "organisation #4 asks to join cluster #2",
     "organizacja #4 prosi o przyjęcie do klastra #2", "organisation #4 asks to join cluster #2"),
    ("membership-end", "organisation", "cluster #2, left on 2024-05-01", "klaster #2: wystąpienie z dniem 2024-05-01",
     "cluster #2, left on 2024-05-01"),
    ("newsletter-send", "newsletter_campaign", "15 recipients", "odbiorców: 15", "15 recipients"),
    ("comment-moderate", "comment", "rejected", "odrzucony", "rejected"),
    ("newsletter-unsubscribe", "newsletter_subscriber", "one-click", "jednym kliknięciem", "in one click"),
    ("offer-update", "offer", "back to moderation", "z powrotem do moderacji", "back to moderation"),
    ("outbox-view", "mail", "reset to ola@labels.example (sent)", "link do ustawienia hasła do ola@labels.example (wysłana)",
     "password link to ola@labels.example (sent)"),
    ("org-update", "organisation", "web: phone: \u201e1\u201d \u2192 \u201e2, 3\u201d, description_pl",
     "na stronie: Telefon: \u201e1\u201d \u2192 \u201e2, 3\u201d, Opis po polsku",
     "on the page: Phone: \u201e1\u201d \u2192 \u201e2, 3\u201d, Description in Polish"),
    ("offer-import", "offer", "data/demo/offers.csv: 8 rows", "data/demo/offers.csv: wierszy: 8",
     "data/demo/offers.csv: 8 rows"),
    # text a person typed: as it is, whatever it says
    ("org-proposal-reject", "org_proposal", "rejected", "rejected", "rejected"),
    ("login-failed", "user", "someone@labels.example", "someone@labels.example", "someone@labels.example"),
]


def test_details(srv, db):
    d = ktdb.Db(db)
    uid = d.one("SELECT id FROM app_user WHERE email = ?", (ADMIN,))
    d.rows("DELETE FROM audit_log")
    for i, (action, obj, stored, _, _) in reversed(list(enumerate(DETAILS))):   # the first shown first: written last
        d.rows("INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail) VALUES (?,?,?,?,?,?,?)",
               (1000000 - i, uid, "10.0.0.9", action, obj, 1 + i, stored))
    d.close()
    for lang, col in (("pl", 3), ("en", 4)):
        c = kt.Client(srv.port, lang=lang)
        c.login(ADMIN, PW)
        st, _, page = c.get("/admin/audit?from=1970-01-01&to=1970-01-31")
        got = [r[4] for r in cells(page)]
        for row, g in zip(DETAILS, got):
            eq(g, row[col], "%s: %s's detail %r" % (lang, row[0], row[2]))
        eq(len(got), len(DETAILS), "%s: every entry shown" % lang)
        if lang == "pl":
            ok('<a href="/organisations/12">#12</a>' in page and '<a href="/clusters/3">#3</a>' in page,
               "  a role's organisation and cluster link to their pages")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    db = kt.database(args.backend, "audit-labels")
    kt.add_user(db, ADMIN, PW, role="admin", name="Admin")
    srv = kt.Server(db, "audit-labels")
    try:
        kt.section(test_labels, srv, db)
        kt.section(test_details, srv, db)
    finally:
        srv.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
