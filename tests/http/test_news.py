#!/usr/bin/env python3
"""News: articles in Markdown, print view, PDF, comments with moderation.

    python3 tests/http/test_news.py --backend sqlite|postgres

A coordinator writes a draft (invisible to others), publishes it, and it
shows in /news and at /news/ID with its Markdown rendered and raw HTML and
javascript: links neutralised; the print view and the PDF (checked with
poppler's pdftotext and pdfinfo: title, Polish letters, page count and
page numbers of a long article); comments wait for moderation; the spam
guard (hidden field, time stamp, links, rate limit); roles and cluster
ownership (403), visitors (403 on POST), bad input (400 naming the field,
values kept, nothing written); the import of article files; audit entries.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402

PW = "correct horse battery"


def article_id(location):
    m = re.match(r"/news/(\d+)", location or "")
    return int(m.group(1)) if m else None


def csrf_of(client, page):
    client.get(page)
    for f in client.forms():
        if "csrf" in f["fields"]:
            return f["fields"]["csrf"]
    raise AssertionError("no CSRF token on " + page)


def pdf_text(data, name):
    path = os.path.join(kt.WORK, name)
    with open(path, "wb") as f:
        f.write(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=60).stdout
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, timeout=60).stdout
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return text.decode("utf-8", "replace"), int(m.group(1)) if m else -1


def import_files(db):
    demo = sorted(os.path.join("data/demo/news", f) for f in os.listdir(os.path.join(kt.ROOT, "data/demo/news")))
    r = kt.cli(db, "import", "news", *demo)
    kt.eq(r.returncode, 0, "import news: the demo articles load")
    kt.eq(len(r.stdout.strip().splitlines()), len(demo), "import news: one line per file")
    again = kt.cli(db, "import", "news", *demo)
    kt.eq(again.stdout, r.stdout, "import news again: the same articles are updated, not copied")
    bad = os.path.join(kt.WORK, "bad-article.md")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("---\nkey: bad-one\ntitle: Zły\npublished: 2025-13-01\n---\nTreść\n")
    r = kt.cli(db, "import", "news", demo[0], bad)
    kt.eq(r.returncode, 3, "import news: a bad file is refused (exit 3)")
    kt.ok("bad-article.md:4: published" in r.stderr, "import news: the message names the file, line and field", r.stderr)
    return len(demo)


def visitor_view(port, demo_count, cl_a):
    v = kt.Client(port)
    st, _, page = v.get("/news")
    kt.eq(st, 200, "visitor: /news answers")
    titles = re.findall(r'<article class="news-item"[^>]*><h2><a href="/news/(\d+)">', page)
    kt.eq(len(titles), demo_count, "visitor: /news lists the published demo articles once each")
    kt.ok("Warsztaty dla poddostawców" in page, "visitor: a Polish demo article is listed")
    st, _, page = v.get("/news?cluster=%d" % cl_a)
    kt.ok(st == 200 and "Warsztaty dla poddostawców" in page and "Cloud and cybersecurity" not in page,
          "visitor: /news?cluster= shows that cluster's articles only")
    articles = lambda text: re.findall(r'<a href="/news/(\d+)">', text)
    for acronym in ("KLPS", "klps", "Klps"):
        st, _, by_acronym = v.get("/news?cluster=" + acronym)
        kt.ok(st == 200 and articles(by_acronym) == articles(page) and 'value="%d" selected' % cl_a in by_acronym,
              "visitor: /news?cluster=%s is the same list as by the cluster's number" % acronym, st)
    st, _, text = v.get("/news?cluster=NIEMA")
    kt.ok(st == 404 and "no such cluster" in text, "visitor: an unknown acronym is 404", st)
    # a refused filter: the list's page with its filter form, the problem named by the filter's
    # label and linked to it, the select marked (not an error page without the form)
    kt.ok('<a href="#f-cluster">Cluster</a>: no such cluster' in text
          and re.search(r'<form class="search" method="get" action="/news">', text)
          and re.search(r'<select id="f-cluster" name="cluster" aria-invalid="true">', text),
          "visitor: … shown above the filter form, by the filter's label, linked to it, the select marked",
          kt.text_of(text)[:400])
    st, _, text = kt.Client(port, lang="pl").get("/news?cluster=NIEMA")
    kt.ok(st == 404 and "nie ma takiego klastra" in text, "visitor: … said in Polish on a Polish page", st)
    for bad in ("-1", "1x", "x" * 41):
        st, _, text = v.get("/news?cluster=" + bad)
        kt.ok(st == 400 and '<a href="#f-cluster">Cluster</a>: must be the number or acronym of a cluster' in text
              and 'id="f-cluster"' in text, "visitor: cluster=%s… is 400 above the filter form" % bad[:5], st)
    # a number no cluster has is as unknown as an acronym no cluster has: not an empty list
    st, _, text = v.get("/news?cluster=999999")
    kt.ok(st == 404 and "no such cluster" in text, "visitor: cluster=999999 (no such cluster) is 404", st)
    st, _, text = kt.Client(port, lang="pl").get("/news?cluster=999999&page=2")
    kt.ok(st == 404 and '<a href="#f-cluster">Klaster</a>: nie ma takiego klastra' in text,
          "visitor: … said in Polish on a Polish page, by the filter's Polish label", st)
    for bad in ("abc", "0", "100001"):
        st, _, text = v.get("/news?page=%s&cluster=%d" % (bad, cl_a))
        kt.ok(st == 400 and "Page number (page): must be a whole number from 1 to 100000" in kt.text_of(text)
              and 'id="f-cluster"' in text and 'value="%d" selected' % cl_a in text
              and '<article class="news-item"' not in text,
              "visitor: page=%s is 400 above the filter form, which keeps the cluster" % bad, kt.text_of(text)[:400])
    st, _, text = kt.Client(port, lang="pl").get("/news?page=0&cluster=NIEMA")
    kt.ok(st == 400 and "Klaster</a>: nie ma takiego klastra" in text
          and "Numer strony (page): musi być liczbą całkowitą od 1 do 100000" in text,
          "visitor: a bad page and an unknown cluster are both said, in Polish", kt.text_of(text)[:400])
    st, _, text = v.get("/news?page=999")
    kt.ok(st == 200 and "The articles end on page 1" in text and "No articles yet" not in text,
          "visitor: past the last page of news, a notice linking to it (not 'no articles yet')", kt.text_of(text)[:300])
    st, _, page = v.get("/news/%s" % titles[-1])
    kt.eq(st, 200, "visitor: a demo article opens")
    kt.ok('href="/login?next=/news/%s"' % titles[-1] in page, "visitor: a 'log in to comment' link instead of a form")
    kt.ok(not re.search(r'<form method="post"[^>]*/comments', page), "visitor: no comment form")
    kt.eq(v.get("/news/999999")[0], 404, "visitor: an unknown article is 404")
    # one address an article: a number written with leading zeros is sent on for good (301) to
    # the address as the portal writes it, for the page, its PDF and its print view alike
    aid = titles[-1]
    for path, want in (("/news/0%s" % aid, "/news/%s" % aid), ("/news/00%s.pdf" % aid, "/news/%s.pdf" % aid),
                       ("/news/0%s/print" % aid, "/news/%s/print" % aid),
                       ("/news/0%s?lang=en" % aid, "/news/%s?lang=en" % aid)):
        st, h, _ = kt.request(port, "GET", path)
        kt.eq((st, h.get("location", "").replace("http://127.0.0.1:%d" % port, "")), (301, want),
              "visitor: %s is a 301 to %s" % (path, want))
    for path in ("/news/+%s" % aid, "/news/%s.PDF" % aid, "/news/ %s" % aid, "/news/0", "/news/00"):
        kt.eq(kt.request(port, "GET", path.replace(" ", "%20"))[0], 404, "visitor: %s is 404" % path)
    kt.eq(v.get("/news/new")[0], 303, "visitor: /news/new sends to the login page")
    token = csrf_of(v, "/register")
    kt.eq(v.post("/news/%s/comments" % titles[-1], {"csrf": token, "body": "hej"})[0], 403, "visitor: POST a comment is 403")
    kt.eq(v.post("/news/new", {"csrf": token, "title": "x", "body": "y", "lang": "pl"})[0], 403,
          "visitor: POST /news/new is 403")
    return v


BODY = """# Nagłówek pierwszy

Akapit z *kursywą*, **pogrubieniem** i [bezpieczny link](https://example.org/a?x=1&y=2).

- punkt pierwszy
- punkt drugi

1. raz
2. dwa

<script>alert('xss')</script>

Zły [kliknij](javascript:alert(1)) i [też](JAVASCRIPT:alert(2)) oraz <img src=x onerror=alert(3)> koniec.
"""


def write_and_publish(port, coord_a, coord_b, user, admin, visitor):
    # a plain user may not write
    kt.eq(user.get("/news/new")[0], 403, "user: /news/new is 403")
    token = csrf_of(user, "/account")
    kt.eq(user.post("/news/new", {"csrf": token, "title": "x", "body": "y", "lang": "pl"})[0], 403,
          "user: POST /news/new is 403")
    kt.eq(user.get("/admin/news")[0], 403, "user: /admin/news is 403")

    # bad input: 400, the field named, the values kept, nothing written
    before = coord_a.get("/admin/news")[2].count("<tr><td>")
    st, _, page = coord_a.submit("/news/new", "/news/new", {"title": "  ", "lead": "Wstęp zostaje", "body": "Treść zostaje"})
    kt.eq(st, 400, "bad input: an empty title is 400")
    kt.ok('<a href="#f-title">Title</a>: required' in page and re.search(r'id="f-title"[^>]*aria-invalid="true"', page),
          "bad input: the message names the field by its label, linked and marked", page[:300])
    kt.ok("Wstęp zostaje" in page and "Treść zostaje" in page, "bad input: the typed values are kept")
    st, _, page = coord_a.submit("/news/new", "/news/new", {"title": "T" * 201, "body": "b"})
    kt.ok(st == 400 and "Title</a>: at most 200 characters" in page, "bad input: a too long title is 400 naming the field")
    st, _, page = coord_a.submit("/news/new", "/news/new", {"title": "T", "body": "b", "lang": "de"})
    kt.ok(st == 400 and "Language of the article</a>: must be pl or en" in page
          and re.search(r'<select id="f-lang"[^>]*aria-invalid="true"', page), "bad input: a bad language is 400 naming the field")
    # an administrator's cluster that is no cluster, on a Polish page: in Polish
    admin_pl = kt.Client(port, lang="pl")
    admin_pl.login("admin@news.test", PW)
    for value, want in (("abc", "Klaster: musi być numerem klastra"), ("999", "Klaster: nie ma takiego klastra")):
        st, _, page = admin_pl.submit("/news/new", "/news/new", {"title": "T", "body": "b", "lang": "pl", "cluster": value})
        kt.ok(st == 400 and want in kt.text_of(page).replace(" :", ":")
              and re.search(r'<select id="f-cluster"[^>]*aria-invalid="true"', page),
              "bad input: cluster=%s on a Polish page: %s" % (value, want), kt.text_of(page)[:400])
    # control characters, the C1 ones (U+0080–U+009F: U+009B is a terminal's CSI) too
    for field, value in (("title", "Tytuł\u0085z NEL"), ("lead", "Wstęp \u009b31m"), ("body", "Treść\u0090"),
                         ("title", "Tab\tw tytule"), ("lead", "CR\rsam")):
        fields = {"title": "Dobry tytuł", "lead": "", "body": "Treść", "lang": "pl"}
        fields[field] = value
        st, _, page = coord_a.submit("/news/new", "/news/new", fields)
        kt.ok(st == 400 and '<a href="#f-%s">' % field in page and "control characters are not allowed" in page,
              "bad input: %s with %r is 400 naming the field" % (field, value[-4:]), (st, kt.text_of(page)[:300]))
    kt.eq(coord_a.get("/admin/news")[2].count("<tr><td>"), before, "bad input: nothing was written")

    # a draft
    title = "Zażółć gęślą jaźń: targi 2025"
    st, h, _ = coord_a.submit("/news/new", "/news/new", {"title": title, "lead": "Krótki wstęp.", "body": BODY, "lang": "pl"})
    aid = article_id(h.get("location"))
    kt.ok(st == 303 and aid, "coordinator: a draft is created", (st, h.get("location")))
    st, _, page = coord_a.get("/news/%d" % aid)
    kt.ok(st == 200 and ">draft<" in page, "coordinator: sees the draft, marked as a draft")
    kt.eq(visitor.get("/news/%d" % aid)[0], 404, "draft: not public (404 for a visitor)")
    kt.ok(title not in visitor.get("/news")[2], "draft: not in /news")
    kt.eq(visitor.get("/news/%d/print" % aid)[0], 404, "draft: no print view for a visitor")
    kt.eq(visitor.get("/news/%d.pdf" % aid)[0], 404, "draft: no PDF for a visitor")
    kt.eq(user.get("/news/%d" % aid)[0], 404, "draft: not for a plain user")
    kt.eq(coord_b.get("/news/%d" % aid)[0], 404, "draft: not for the coordinator of another cluster")
    kt.eq(admin.get("/news/%d" % aid)[0], 200, "draft: an administrator sees it")
    kt.ok(title in coord_a.get("/admin/news")[2], "coordinator: the draft is in /admin/news")
    kt.ok(title not in coord_b.get("/admin/news")[2], "another coordinator's /admin/news does not list it")

    # the coordinator of another cluster: 403 on everything that changes it
    token_b = csrf_of(coord_b, "/account")
    kt.eq(coord_b.get("/news/%d/edit" % aid)[0], 403, "other cluster: edit page is 403")
    kt.eq(coord_b.post("/news/%d/edit" % aid, {"csrf": token_b, "title": "hijack", "body": "x", "lang": "pl"})[0], 403,
          "other cluster: POST edit is 403")
    kt.eq(coord_b.post("/news/%d/publish" % aid, {"csrf": token_b})[0], 403, "other cluster: publish is 403")
    kt.eq(coord_b.post("/news/%d/delete" % aid, {"csrf": token_b})[0], 403, "other cluster: delete is 403")
    token_u = csrf_of(user, "/account")
    kt.eq(user.post("/news/%d/publish" % aid, {"csrf": token_u})[0], 403, "user: publish is 403")
    kt.eq(coord_a.post("/news/%d/publish" % aid, {"title": "no token"})[0], 403, "publish without the CSRF token is 403")

    # publish
    st, h, _ = coord_a.submit("/news/%d" % aid, "/news/%d/publish" % aid, {})
    kt.eq((st, h.get("location")), (303, "/news/%d?done=published" % aid), "coordinator: publishes")
    st, _, page = visitor.get("/news")
    first = re.search(r'<article class="news-item"[^>]*><h2><a href="/news/(\d+)">', page)
    kt.ok(first and int(first.group(1)) == aid, "published: first in /news (newest first)")
    st, _, page = visitor.get("/news/%d" % aid)
    kt.eq(st, 200, "published: /news/ID is public")
    body = page.split('<div class="news-body">', 1)[-1].split("</div>", 1)[0]
    kt.ok("<h2>Nagłówek pierwszy</h2>" in body, "markdown: a heading", body[:500])
    kt.ok("<em>kursywą</em>" in body and "<strong>pogrubieniem</strong>" in body, "markdown: emphasis and strong")
    kt.ok("<ul>\n<li>punkt pierwszy</li>" in body and "<ol>\n<li>raz</li>" in body, "markdown: lists")
    kt.ok('href="https://example.org/a?x=1&amp;y=2"' in body, "markdown: a safe link stays")
    low = body.lower()
    kt.ok("<script" not in low and "alert('xss')" not in low, "markdown: raw HTML script is dropped")
    kt.ok("javascript:" not in low, "markdown: javascript: links are neutralised")
    kt.ok("onerror" not in low and "<img" not in low, "markdown: inline raw HTML is dropped")
    kt.ok("kliknij" in body and "też" in body, "markdown: the text of a neutralised link stays")
    kt.ok("Krótki wstęp." in page, "article: the lead is shown")
    return aid, title


def edits(coord_a, admin, visitor, aid):
    st, _, page = coord_a.get("/news/%d/edit" % aid)
    f = coord_a.form("/news/%d/edit" % aid)
    kt.ok(st == 200 and f and f["fields"].get("body", "").startswith("# Nagłówek"), "edit: the form holds the article")
    st, _, page = coord_a.submit("/news/%d/edit" % aid, "/news/%d/edit" % aid, {"title": ""})
    kt.ok(st == 400 and "Title</a>: required" in page, "edit: an empty title is 400 naming the field")
    kt.ok("Nagłówek pierwszy" in page, "edit: the body typed is kept")
    kt.ok("Zażółć" in visitor.get("/news/%d" % aid)[2], "edit: a refused change wrote nothing")
    # every problem at once, each by its label, each field marked, what was typed kept
    st, _, page = coord_a.submit("/news/%d/edit" % aid, "/news/%d/edit" % aid,
                                 {"title": "", "lead": "Ł" * 1001, "lang": "de"})
    items = re.findall(r'<li><a href="#f-([a-z_]+)">', page)
    kt.ok(st == 400 and items == ["title", "lead", "lang"] and "Please correct the fields marked:" in page
          and '<a href="#f-lead">Lead</a>: at most 1000 characters' in page
          and '<a href="#f-lang">Language of the article</a>: must be pl or en' in page,
          "edit: an empty title, a lead too long and an unknown language are listed together", (st, items))
    kt.ok(re.search(r'<input id="f-title"[^>]*aria-invalid="true"', page)
          and re.search(r'<textarea id="f-lead"[^>]*aria-invalid="true"', page)
          and re.search(r'<select id="f-lang"[^>]*aria-invalid="true"', page)
          and "Ł" * 1001 in page and "Nagłówek pierwszy" in page,
          "edit: the three fields are marked, the lead and the body typed are kept")
    kt.ok("Zażółć" in visitor.get("/news/%d" % aid)[2], "edit: and nothing was written")
    st, h, _ = coord_a.submit("/news/%d/edit" % aid, "/news/%d/edit" % aid, {"lead": "Nowy wstęp po edycji."})
    kt.eq(st, 303, "edit: the coordinator saves a change")
    kt.ok("Nowy wstęp po edycji." in visitor.get("/news/%d" % aid)[2], "edit: the change is public at once")
    st, h, _ = admin.submit("/news/%d/edit" % aid, "/news/%d/edit" % aid, {"lead": "Wstęp poprawiony przez admina."})
    kt.eq(st, 303, "edit: an administrator may edit any article")


def session_ended(port, admin):
    """A coordinator writes an article while her sessions are logged out elsewhere: the post is
    refused (403, nothing written), but the page offers to log in again and come back to the
    form, and shows what she wrote, escaped, to copy."""
    import urllib.parse
    writer = kt.Client(port)
    writer.login("coord-a@news.test", PW)
    writer.get("/news/new")
    fields = dict(writer.form("/news/new")["fields"])
    elsewhere = kt.Client(port)
    elsewhere.login("coord-a@news.test", PW)
    st, _, _ = elsewhere.submit("/account", "/account/sessions/end", {})
    kt.eq(st, 303, "session ended: the other sessions are logged out elsewhere")
    before = admin.get("/admin/news")[2].count("<tr><td>")
    body = "Akapit pierwszy <b>pogrubiony</b> & dalej.\n\nAkapit drugi, długo pisany."
    fields.update(title="Artykuł pisany <i>długo</i>", body=body, lang="pl")
    ref = {"Referer": "http://127.0.0.1:%d/news/new" % port}
    st, _, page = writer.post("/news/new", fields, headers=ref)
    kt.eq(st, 403, "session ended: the form is refused with 403")
    kt.eq(admin.get("/admin/news")[2].count("<tr><td>"), before, "session ended: nothing is written")
    m = re.search(r'<a href="/login\?next=([^"]+)">', page)
    kt.ok(m and urllib.parse.unquote(m.group(1)) == "/news/new",
          "session ended: the page links to the login, which returns to the form", m and m.group(1))
    areas = dict(re.findall(
        r'<label for="typed-\d+">([^<]*)</label><textarea id="typed-\d+" rows="\d+" readonly>(.*?)</textarea>', page, re.S))
    kt.ok(areas.get("Body") == "Akapit pierwszy &lt;b&gt;pogrubiony&lt;/b&gt; &amp; dalej.\n\nAkapit drugi, długo pisany."
          and areas.get("Title") == "Artykuł pisany &lt;i&gt;długo&lt;/i&gt;" and "<b>pogrubiony" not in page,
          "session ended: the title and the body typed are shown escaped in read-only fields, under their labels",
          areas)
    kt.ok(set(areas) == {"Title", "Body"} and fields["csrf"] not in page,
          "session ended: nothing else of the form is shown back (no token, no language code)", sorted(areas))
    st, h, _ = writer.submit(m.group(1) and "/login?next=" + m.group(1), "/login",
                             {"email": "coord-a@news.test", "password": PW})
    kt.ok(st == 303 and h.get("location") == "/news/new", "session ended: logging in again leads back to the form",
          (st, h.get("location")))
    # without a Referer the form's own address is the way back; from another site nothing is shown back
    stale = kt.Client(port)
    stale.cookies = {"ksid": "0" * 64}
    st, _, page = stale.post("/news/new", dict(fields))
    m = re.search(r'<a href="/login\?next=([^"]+)">', page)
    kt.ok(st == 403 and m and urllib.parse.unquote(m.group(1)) == "/news/new" and "readonly>Akapit pierwszy" in page,
          "session ended, no Referer: the login link returns to the form's address", m and m.group(1))
    st, _, page = kt.Client(port).post("/news/new", dict(fields), headers=ref)
    kt.ok(st == 403 and '<a href="/news/new">Open the form again</a>' in page and "/login?next=" not in page
          and "readonly>Akapit pierwszy" in page,
          "a visitor who never had a session: the way back is the form itself, the text still shown", st)
    st, _, page = stale.post("/news/new", dict(fields), headers={"Origin": "http://evil.example"})
    kt.ok(st == 403 and "Akapit pierwszy" not in page and "/login?next=" not in page,
          "a form posted from another site: 403 and nothing of it shown back", st)


def print_and_pdf(port, coord_a, visitor, aid, title):
    st, h, page = visitor.get("/news/%d/print" % aid)
    kt.eq(st, 200, "print: the print view answers")
    kt.ok(title in page and "<h2>Nagłówek pierwszy</h2>" in page, "print: title and body")
    kt.ok('href="/static/news-print.css"' in page, "print: the print stylesheet")
    kt.ok('<link rel="icon" href="data:,">' in page, "print: an empty icon of its own, as every page has (no /favicon.ico 404)")
    kt.ok("<nav" not in page and 'class="top"' not in page and "<form" not in page, "print: no navigation, no forms")
    kt.eq(visitor.get("/news/%dx/print" % aid)[0], 404, "print: an id with trailing letters is 404")
    st, h, css = visitor.get("/static/news-print.css")
    kt.ok(st == 200 and "@media print" in css, "print: the stylesheet is served")

    st, h, data = kt.request(port, "GET", "/news/%d.pdf" % aid, headers={"Accept-Language": "en"})
    kt.eq(h.get("content-type"), "application/pdf", "pdf: served as application/pdf")
    kt.ok(data.startswith(b"%PDF-"), "pdf: starts with %PDF")
    if not shutil.which("pdftotext") or not shutil.which("pdfinfo"):
        kt.ok(False, "pdf: pdftotext and pdfinfo are needed (poppler-utils, scripts/install-deps.sh)")
        return
    text, pages = pdf_text(data, "short.pdf")
    kt.eq(pages, 1, "pdf: a short article is one page")
    flat = " ".join(text.split())
    kt.ok(title in flat, "pdf: the title with its Polish letters", flat[:300])
    kt.ok("Nagłówek pierwszy" in flat and "punkt drugi" in flat, "pdf: headings and lists")
    kt.ok("(https://example.org/a?x=1&y=2)" in flat, "pdf: a link shows its address")
    kt.ok("alert" not in flat, "pdf: raw HTML and unsafe addresses are left out")
    kt.ok("Page 1 of 1" in flat, "pdf: the page number")

    # a long article: several pages, every paragraph there, in order, each page numbered
    paras = "\n\n".join("Akapit %03d: zażółć gęślą jaźń — tekst, który się zawija na szerokość strony A4 "
                        "z marginesami, powtórzony dla objętości." % i for i in range(150))
    long_title = "Długi artykuł o łańcuchach dostaw"
    st, h, _ = coord_a.submit("/news/new", "/news/new", {"title": long_title, "body": "## Wstęp\n\n" + paras, "lang": "pl"})
    lid = article_id(h.get("location"))
    coord_a.submit("/news/%d" % lid, "/news/%d/publish" % lid, {})
    st, h, data = kt.request(port, "GET", "/news/%d.pdf" % lid, headers={"Accept-Language": "pl"})
    text, pages = pdf_text(data, "long.pdf")
    kt.ok(st == 200 and pages > 1, "pdf: a long article takes several pages", pages)
    numbers = re.findall(r"Strona (\d+) z (\d+)", text)
    kt.eq(numbers, [(str(i), str(pages)) for i in range(1, pages + 1)], "pdf: every page is numbered N of M")
    found = [int(n) for n in re.findall(r"Akapit (\d{3}):", text)]
    kt.eq(found, list(range(150)), "pdf: every paragraph is there, in order, across the pages")
    kt.ok(long_title in " ".join(text.split()), "pdf: the long article's title")
    return lid


def comments(port, user, user2, coord_a, coord_b, admin, visitor, aid):
    # the form, with its time stamp; posting at once is too fast
    st, _, page = user.get("/news/%d" % aid)
    form = user.form("/news/%d/comments" % aid)
    kt.ok(form and form["fields"].get("stamp") and "website" in form["fields"], "comments: a logged-in user gets the form")
    kt.ok("Comment" in page, "comments: the form is titled")
    fields = dict(form["fields"])
    fields["body"] = "Pierwsza linia <b>x</b>\nDruga linia"
    st, _, page = user.post(form["action"], fields)
    kt.eq(st, 400, "spam guard: a comment sent at once is refused")
    kt.ok("too quickly" in page and "Pierwsza linia &lt;b&gt;x&lt;/b&gt;" in page, "spam guard: says why, keeps the text")
    # the second user's form, shown now, used after the wait below
    user2.get("/news/%d" % aid)
    form2 = dict(user2.form("/news/%d/comments" % aid)["fields"])
    visitor.get("/news/%d" % aid)   # a visitor's copy, cached before any approval
    time.sleep(3.3)

    # too many links, a forged stamp: 400 naming the problem
    bad = dict(fields, body="https://a.example https://b.example https://c.example")
    st, _, page = user.post(form["action"], bad)
    kt.ok(st == 400 and '<a href="#f-body">Comment</a>: at most 2 links in a comment (this one has 3)' in page,
          "spam guard: more than 2 links is 400 naming the field by its label, linked to it", page[:300])
    forged = dict(fields, stamp="1." + "0" * 32)
    st, _, page = user.post(form["action"], forged)
    kt.ok(st == 400 and "expired" in page, "spam guard: a forged time stamp is refused")
    for body in ("Zwykły\u0085tekst", "Escape \u009b2J", "Powrót\rkaretki"):
        st, _, page = user.post(form["action"], dict(fields, body=body))
        kt.ok(st == 400 and '<a href="#f-body">Comment</a>: control characters are not allowed' in page,
              "comments: a control character (%r) is 400 naming the field" % body[-3:], st)
    st, _, page = user.post(form["action"], dict(fields, body=""))
    kt.ok(st == 400 and '<a href="#f-body">Comment</a>: required' in page
          and re.search(r'<textarea id="f-body"[^>]*aria-invalid="true"', page),
          "comments: an empty comment is 400 naming the field by its label, the field marked")
    # on a Polish page, in Polish: the label, not the form's name of the field
    user_pl = kt.Client(port, lang="pl")
    user_pl.cookies = dict(user.cookies)
    st, _, page = user_pl.post(form["action"], dict(fields, body=""))
    kt.ok(st == 400 and '<a href="#f-body">Komentarz</a>: wymagane' in page and "body:" not in kt.text_of(page),
          "comments, Polish: an empty comment names the field by its Polish label", kt.text_of(page)[-400:])
    st, _, page = user_pl.post(form["action"], bad)
    kt.ok(st == 400 and '<a href="#f-body">Komentarz</a>: najwyżej 2 linki w komentarzu (ten ma 3)' in page,
          "comments, Polish: too many links, by the label", kt.text_of(page)[-400:])

    # a real comment waits for moderation
    st, h, _ = user.post(form["action"], fields)
    kt.eq((st, h.get("location")), (303, "/news/%d?comment=sent#comments" % aid), "comments: accepted after the wait")
    kt.ok("moderator approves" in user.get(h["location"])[2], "comments: the user is told it awaits moderation")
    kt.ok("Druga linia" not in visitor.get("/news/%d" % aid)[2], "comments: a pending comment is not shown")
    # the hidden field filled: kept as spam, never shown
    st, h, _ = user.post(form["action"], dict(fields, body="Kup tanie zegarki", website="http://spam.example"))
    kt.eq(st, 303, "spam guard: a filled hidden field gets the usual answer")

    st, _, queue = admin.get("/admin/comments")
    ids = re.findall(r'<li id="c(\d+)">', queue)
    kt.ok("Druga linia" in queue and "zegarki" not in queue, "moderation: the pending comment waits in the queue")
    kt.ok("zegarki" in admin.get("/admin/comments?status=spam")[2], "moderation: the honeypot comment is marked spam")
    kt.ok("Druga linia" in coord_a.get("/admin/comments")[2], "moderation: the article's coordinator sees it")
    kt.ok("Druga linia" not in coord_b.get("/admin/comments")[2], "moderation: another cluster's coordinator does not")
    kt.eq(user.get("/admin/comments")[0], 403, "moderation: a plain user is 403")
    cid = int(ids[0]) if ids else 0
    token_b = csrf_of(coord_b, "/account")
    kt.eq(coord_b.post("/admin/comments/%d" % cid, {"csrf": token_b, "decision": "approved"})[0], 403,
          "moderation: another cluster's coordinator gets 403")
    token_a = csrf_of(coord_a, "/account")
    kt.eq(coord_a.post("/admin/comments/%d" % cid, {"csrf": token_a, "decision": "maybe"})[0], 400,
          "moderation: an unknown decision is 400")
    st, h, _ = coord_a.post("/admin/comments/%d" % cid, {"csrf": token_a, "decision": "approved", "from": "pending"})
    kt.eq(st, 303, "moderation: the coordinator approves")
    st, _, page = visitor.get("/news/%d" % aid)
    kt.ok("Pierwsza linia &lt;b&gt;x&lt;/b&gt;<br>\nDruga linia" in page, "comments: approved, shown escaped with its line break")
    kt.ok("Comments (1)" in page, "comments: counted")

    # the per-user rate limit: 5 comments in 10 minutes, then 429
    codes = []
    for i in range(6):
        st, _, page = user2.post("/news/%d/comments" % aid, dict(form2, body="Komentarz numer %d" % i))
        codes.append(st)
    kt.eq(codes, [303] * 5 + [429], "spam guard: the sixth comment in a row is 429")
    kt.ok("Too many comments" in page, "spam guard: the 429 says why")


def cleanup_and_audit(coord_a, admin, visitor, lid):
    st, h, _ = coord_a.submit("/news/%d" % lid, "/news/%d/unpublish" % lid, {})
    kt.eq(st, 303, "unpublish: the coordinator takes an article back")
    kt.eq(visitor.get("/news/%d" % lid)[0], 404, "unpublish: no longer public")
    # deleting asks first: without JavaScript the first POST answers with a page naming the article
    _, _, page = coord_a.get("/news/%d" % lid)
    kt.ok('data-confirm="Delete the article “' in page, "delete: the button carries its question for JavaScript")
    st, h, page = coord_a.submit("/news/%d" % lid, "/news/%d/delete" % lid, {})
    f = coord_a.form("/news/%d/delete" % lid, page)
    kt.ok(st == 200 and "is deleted for good" in page and f and f["fields"].get("confirm") == "1" and f["fields"].get("csrf")
          and '<a href="/news/%d">Cancel</a>' % lid in page,
          "delete: the first POST answers with a page naming the article, a confirm form and Cancel",
          (st, kt.text_of(page)[:300]))
    kt.eq(coord_a.get("/news/%d" % lid)[0], 200, "delete: … and nothing is deleted yet")
    st, h, _ = coord_a.confirm("/news/%d/delete" % lid, page)
    kt.eq((st, h.get("location")), (303, "/admin/news?done=deleted"), "delete: the coordinator confirms and deletes it")
    kt.eq(coord_a.get("/news/%d" % lid)[0], 404, "delete: gone")
    st, _, audit = admin.get("/admin/audit")
    for action in ("news-create", "news-edit", "news-publish", "news-unpublish", "news-delete", "comment-add",
                   "comment-spam", "comment-moderate", "news-import"):
        kt.ok('?action=%s">' % action in audit, "audit: %s is logged" % action)


def admin_paging(db, admin):
    """/admin/news shows 200 a page; the 201st newest is on page 2."""
    files = []
    for i in range(1, 206):
        path = os.path.join(kt.WORK, "paging-%03d.md" % i)
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\nkey: paging-%03d\ntitle: Stronicowanie <%03d>\nlang: pl\n---\nTreść.\n" % (i, i))
        files.append(path)
    r = kt.cli(db, "import", "news", *files)
    kt.eq(r.returncode, 0, "import 205 draft articles")
    st, _, p1 = admin.get("/admin/news")
    titles1 = re.findall(r">Stronicowanie &lt;(\d{3})&gt;</a>", p1)
    kt.ok(st == 200 and p1.count("<tr><td>") == 200, "page 1 has 200 rows", (st, p1.count("<tr><td>")))
    kt.eq(titles1[:2], ["205", "204"], "page 1 starts with the newest (titles escaped)")
    kt.ok("001" not in titles1 and '<a rel="next" href="/admin/news?page=2">' in p1 and 'rel="prev"' not in p1,
          "the oldest is not on page 1, which links to page 2")
    st, _, p2 = admin.get("/admin/news?page=2")
    titles2 = re.findall(r">Stronicowanie &lt;(\d{3})&gt;</a>", p2)
    kt.ok(st == 200 and titles2[:5] == ["005", "004", "003", "002", "001"], "page 2 holds the 201st and later", titles2)
    kt.ok('<a rel="prev" href="/admin/news?page=1">' in p2 and 'aria-current="page" href="/admin/news?page=2"' in p2
          and 'rel="next"' not in p2, "page 2 links back and is the last")
    kt.eq(sorted(set(titles1) | set(titles2)), ["%03d" % i for i in range(1, 206)], "every article is on one of the pages")
    for bad in ("0", "x", "-1", "2x"):
        kt.eq(admin.get("/admin/news?page=" + bad)[0], 400, "page=%s: 400" % bad)
    # /news (10 a page) has the same page links, with its cluster kept
    sql = ktdb.Db(db)
    sql.rows("UPDATE article SET status = 'published', published_at = 1000 + id WHERE title LIKE 'Stronicowanie%'")
    st, _, n2 = admin.get("/news?page=2")
    kt.ok(st == 200 and '<a rel="prev" href="/news?page=1">' in n2 and '<a rel="next" href="/news?page=3">' in n2
          and 'aria-current="page" href="/news?page=2"' in n2, "/news page 2 links to pages 1 and 3", n2[-600:])
    bare = sql.one("SELECT MIN(id) FROM cluster WHERE id NOT IN"
                   " (SELECT cluster_id FROM article WHERE cluster_id IS NOT NULL AND status = 'published')")
    st, _, n9 = admin.get("/news?page=2&cluster=%d" % bare)
    kt.ok(st == 200 and 'class="pages"' not in n9, "a cluster without articles has no page links")
    sql.rows("UPDATE article SET status = 'draft', published_at = NULL WHERE title LIKE 'Stronicowanie%'")


def comment_paging(db, admin, coord_b):
    """/admin/comments shows 200 a page, newest first; the 201st is on page 2."""
    sql = ktdb.Db(db)
    aid = sql.one("SELECT MIN(id) FROM article WHERE cluster_id IS NULL OR cluster_id <>"
                  " (SELECT cluster_id FROM app_user WHERE email = 'coord-b@news.test')")
    for i in range(1, 206):
        sql.rows("INSERT INTO article_comment (article_id, body, status, created_at) VALUES (?, ?, 'pending', ?)",
                 (aid, "Kolejka <%03d>" % i, 1700000000 + i))
    st, _, p1 = admin.get("/admin/comments")
    q1 = re.findall(r"Kolejka &lt;(\d{3})&gt;", p1)
    kt.ok(st == 200 and len(q1) == 200 and q1[:2] == ["205", "204"], "comments page 1: the 200 newest, escaped",
          (st, len(q1), q1[:2]))
    kt.ok("001" not in q1 and '<a rel="next" href="/admin/comments?status=pending&amp;page=2">' in p1
          and 'rel="prev"' not in p1, "comments page 1 links to page 2 (its address escaped)")
    st, _, p2 = admin.get("/admin/comments?page=2")
    q2 = re.findall(r"Kolejka &lt;(\d{3})&gt;", p2)
    kt.ok(st == 200 and q2 == ["005", "004", "003", "002", "001"], "comments page 2 holds the 201st and later", q2)
    kt.ok('<a rel="prev" href="/admin/comments?status=pending&amp;page=1">' in p2
          and 'aria-current="page" href="/admin/comments?status=pending&amp;page=2"' in p2 and 'rel="next"' not in p2,
          "comments page 2 links back and is the last")
    kt.eq(sorted(q1 + q2), ["%03d" % i for i in range(1, 206)], "every pending comment is on exactly one page")
    st, _, p3 = admin.get("/admin/comments?page=3")
    kt.ok(st == 200 and "Kolejka" not in p3 and "Nothing on this page." in p3, "a page past the end is empty")
    st, _, spam = admin.get("/admin/comments?status=spam&page=2")
    kt.ok(st == 200 and "Kolejka" not in spam and 'class="pages"' not in spam, "another status has its own pages")
    kt.ok("Kolejka" not in coord_b.get("/admin/comments?page=2")[2], "another cluster's coordinator sees none of them")
    for bad in ("0", "x", "-1", "2x", "100001"):
        kt.eq(admin.get("/admin/comments?page=" + bad)[0], 400, "comments page=%s: 400" % bad)
    # a decision comes back to the page it was taken on
    admin.get("/admin/comments")
    kt.ok(all("page" not in f["fields"] for f in admin.forms() if f["action"].startswith("/admin/comments/")),
          "comments page 1's forms carry no page")
    admin.get("/admin/comments?page=2")
    f2 = [f for f in admin.forms() if f["action"].startswith("/admin/comments/")]
    kt.ok(len(f2) >= 5 and all(f["fields"].get("page") == "2" for f in f2), "comments page 2's forms carry page=2")
    st, h, _ = admin.post(f2[0]["action"], dict(f2[0]["fields"], decision="rejected"))
    kt.eq((st, h.get("location")), (303, "/admin/comments?status=pending&done=1&page=2"),
          "a comment decided on page 2 comes back to page 2")
    st, _, back = admin.get(h["location"])
    kt.eq(re.findall(r"Kolejka &lt;(\d{3})&gt;", back), ["004", "003", "002", "001"], "page 2 then holds the rest")
    st, h, _ = admin.post(f2[1]["action"], dict(f2[1]["fields"], decision="rejected", page="0"))
    kt.eq((st, h.get("location")), (303, "/admin/comments?status=pending&done=1"),
          "a bad form page: decided, back on page 1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = ap.parse_args()
    kt.diag("backend: " + args.backend)
    db = kt.database(args.backend, "news")
    demo_count = kt.section(import_files, db) or 3
    srv = kt.Server(db, "news")
    port = srv.port
    try:
        st, _, data = kt.request(port, "GET", "/api/v1/clusters")
        clusters = {c["acronym"]: c["id"] for c in json.loads(data)["items"]}
        cl_a, cl_b = clusters["KLPS"], clusters["MKTC"]
        kt.add_user(db, "admin@news.test", PW, role="admin", name="Ada Admin")
        kt.add_user(db, "coord-a@news.test", PW, role="coordinator", name="Anna Koordynator", cluster=cl_a)
        kt.add_user(db, "coord-b@news.test", PW, role="coordinator", name="Bartek Koordynator", cluster=cl_b)
        kt.add_user(db, "user@news.test", PW, name="Ula Użytkownik")
        kt.add_user(db, "user2@news.test", PW, name="Olek Drugi")
        clients = {}
        for who in ("admin", "coord-a", "coord-b", "user", "user2"):
            c = kt.Client(port)
            c.login("%s@news.test" % who, PW)
            clients[who] = c
        admin, coord_a, coord_b, user, user2 = (clients[k] for k in ("admin", "coord-a", "coord-b", "user", "user2"))
        visitor = kt.section(visitor_view, port, demo_count, cl_a) or kt.Client(port)
        res = kt.section(write_and_publish, port, coord_a, coord_b, user, admin, visitor)
        if res:
            aid, title = res
            kt.section(edits, coord_a, admin, visitor, aid)
            lid = kt.section(print_and_pdf, port, coord_a, visitor, aid, title)
            kt.section(comments, port, user, user2, coord_a, coord_b, admin, visitor, aid)
            if lid:
                kt.section(cleanup_and_audit, coord_a, admin, visitor, lid)
        kt.section(session_ended, port, admin)
        kt.section(admin_paging, db, admin)
        kt.section(comment_paging, db, admin, coord_b)
    finally:
        srv.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
