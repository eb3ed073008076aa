#!/usr/bin/env python3
"""The administrator's page of the cluster map's data (/admin/datasets): a
statistics file uploaded from the browser (multipart/form-data) is read as
`klaster import stats` reads it and stored as a dataset; a file with an
error, a name already taken or a form cut short change nothing and come back
with a message naming the file, line and column; datasets and firm lists are
deleted after a confirmation; only administrators reach any of it.

    python3 tests/http/test_datasets_admin.py --backend sqlite|postgres

TAP output.
"""
import argparse
import json
import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
from kt import ok, eq  # noqa: E402

BOUNDARY = "----klasterTestBoundary7MA4YWxk"
GOOD = (b"region,industry,year,employment,establishments\n"
        b"02,C,2020,100,10\n04,C,2020,50,5\n06,C,2020,30,3\n"
        b"02,F,2020,20,2\n04,F,2020,70,7\n06,F,2020,40,4\n")


def multipart(fields, files, boundary=BOUNDARY):
    """A multipart/form-data body as a browser sends it, and its Content-Type."""
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode("utf-8"))
    for k, (fn, data) in files.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: text/csv\r\n\r\n" % (boundary, k, fn)).encode("utf-8") + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def upload(c, fields, files, page="/admin/datasets"):
    """Fills the upload form of page (its CSRF token and defaults) and posts it as a browser would."""
    c.get(page)
    f = c.form("/admin/datasets")
    data = dict(f["fields"]) if f else {}
    data.pop("file", None)
    data.update(fields)
    body, ct = multipart(data, files)
    return c.post("/admin/datasets", None, raw=body, headers={"Content-Type": ct})


def error_text(page):
    m = (re.search(r'<div class="error"[^>]*>(.*?)</div>', page, re.S) or
         re.search(r'<p class="error"[^>]*>(.*?)</p>', page, re.S))
    return kt.text_of(m.group(1)).strip() if m else ""


def datasets(port):
    st, _, body = kt.request(port, "GET", "/api/v1/datasets")
    return {d["name"]: d for d in json.loads(body)["items"]} if st == 200 else None


def cell(port, name, industry, region):
    """The employment of region in industry in a stored dataset, through the API."""
    st, _, body = kt.request(port, "GET", "/api/v1/cluster-map?dataset=%s&industry=%s" % (name, industry))
    if st != 200:
        return None
    for row in json.loads(body)["regions"]:
        if row["region"] == region:
            return row["employment"]
    return None


def audit_has(c, action):
    st, _, text = c.get("/admin/audit?action=" + action)
    return st == 200 and action in text and "No entries" not in kt.text_of(text)


def test_roles(srv, db):
    anon = kt.Client(srv.port)
    st, h, _ = anon.get("/admin/datasets")
    ok(st in (302, 303) and "/login" in h.get("location", ""), "a visitor is sent to log in (%s)" % st)
    for role, email in (("user", "user@example.org"), ("coordinator", "coord@example.org")):
        kt.add_user(db, email, "a-long-password-1", role=role, cluster=1 if role == "coordinator" else None)
        c = kt.Client(srv.port)
        c.login(email, "a-long-password-1")
        st, _, _ = c.get("/admin/datasets")
        eq(st, 403, "a %s may not see the datasets page" % role)
        body, ct = multipart({"csrf": c.csrf("/account"), "name": "x-%s" % role}, {"file": ("a.csv", GOOD)})
        st, _, _ = c.post("/admin/datasets", None, raw=body, headers={"Content-Type": ct})
        eq(st, 403, "a %s may not upload" % role)
        st, _, _ = c.get("/admin/datasets/x/delete")
        eq(st, 403, "a %s may not delete" % role)
    ok("x-user" not in datasets(srv.port) and "x-coordinator" not in datasets(srv.port), "nothing was stored")
    # an upload's body may be --max-upload bytes (128 MiB): only an administrator's session is
    # read that far; a visitor or another role is answered from the headers, before the body
    for who, cookie in (("a visitor", ""), ("a coordinator", "; ".join("%s=%s" % kv for kv in c.cookies.items()))):
        answer = headers_only_upload(srv.port, 100 << 20, cookie)
        ok(answer.startswith(b"HTTP/1.1 403"), "%s sending a 100 MiB upload is refused before its body" % who,
           answer[:200])
        if cookie:
            ok(b'<a href="/account">' in answer and b"/logout" in answer and b"private, no-store" in answer,
               "  the page of the account that sent it (its link, log out), kept by no cache", answer[-600:])


def headers_only_upload(port, length, cookie):
    """Sends the headers of a multipart POST to /admin/datasets announcing length bytes and a few
    bytes of its body, and returns what the server answers within 10 s (b"" when it waits for the
    rest)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(("POST /admin/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
               "boundary=xx\r\nContent-Length: %d\r\n%sConnection: close\r\n\r\n--xx\r\n"
               % (length, "Cookie: %s\r\n" % cookie if cookie else "")).encode())
    return read_all(s)


def read_all(s):
    """All the socket s receives until the server closes it (or an error), and s closed."""
    answer = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    except OSError:
        pass
    s.close()
    return answer


def test_upload_pkd_names(srv, admin):
    """The form names industry codes by the PKD classification when asked (the file gives codes
    alone), and refuses a choice not on its list by the field's label."""
    st, h, _ = upload(admin, {"name": "form-pkd", "industry_names": "pkd2007"}, {"file": ("kody.csv", GOOD)})
    st2, _, body = kt.request(srv.port, "GET", "/api/v1/cluster-map?dataset=form-pkd&industry=F")
    got = json.loads(body) if st2 == 200 else {}
    ok(st == 303 and got.get("industry_name_pl") == "Budownictwo" and got.get("industry_name_en") == "Construction",
       "industry_names=pkd2007 on the form: section F named", (st, got.get("industry_name_pl")))
    blank = GOOD.replace(b"06,F,2020,40,4", b"06,F,2020,,4")
    st, h, _ = upload(admin, {"name": "form-blank"}, {"file": ("luka.csv", blank)})
    st2, _, page = admin.get(h.get("location", "/admin/datasets"))
    ok(st == 303 and "Cells without a value (confidential or missing; drawn without data): 1." in kt.text_of(page),
       "the notice of a stored file counts its cells without a value", (st, kt.text_of(page)[:300]))
    st, h, _ = upload(admin, {"name": "form-full"}, {"file": ("pelny.csv", GOOD)})
    st2, _, page = admin.get(h.get("location", "/admin/datasets"))
    ok(st == 303 and "Cells without a value" not in kt.text_of(page), "  and of a full one says nothing", st)
    st, _, page = upload(admin, {"name": "form-pkd-bad", "industry_names": "isic"}, {"file": ("kody.csv", GOOD)})
    ok(st == 422 and "Industry names</a>" in page and "form-pkd-bad" not in datasets(srv.port),
       "another choice: 422 naming the field by its label, nothing stored", st)


def test_upload(srv, admin):
    st, _, page = admin.get("/admin/datasets")
    eq(st, 200, "the page opens")
    f = admin.form("/admin/datasets")
    ok(f is not None and 'enctype="multipart/form-data"' in page, "with an upload form sent as multipart")
    ok(admin.form("/admin/datasets") and "csrf" in f["fields"], "which carries the CSRF token")
    st, h, _ = upload(admin, {"name": "upload-test", "title": "Zatrudnienie — próba", "source": "Urząd X",
                              "licence": "CC BY 4.0", "region_kind": "teryt"}, {"file": ("dane 2020.csv", GOOD)})
    eq(st, 303, "a good file is stored")
    eq(h.get("location"), "/admin/datasets?stored=upload-test", "and the page says so")
    st, _, page = admin.get(h["location"])
    ok("Stored the dataset" in kt.text_of(page) and "3 × 2 × 1" in kt.text_of(page),
       "the notice gives its regions × industries × years")
    d = datasets(srv.port).get("upload-test")
    ok(d is not None, "the API lists it")
    if d:
        eq(d.get("title"), "Zatrudnienie — próba", "with its title")
        eq(d.get("source"), "Urząd X", "its source")
        eq(d.get("licence"), "CC BY 4.0", "and its licence")
    eq(cell(srv.port, "upload-test", "C", "04"), 50, "its numbers are the file's")
    st, _, page = kt.request(srv.port, "GET", "/cluster-map?dataset=upload-test&industry=F")
    ok(st == 200 and "Zatrudnienie — próba" in page.decode(), "the cluster map shows it")
    ok(audit_has(admin, "dataset-upload"), "the upload is in the audit log")


def test_bad_files(srv, admin):
    before = cell(srv.port, "upload-test", "C", "04")
    bad = GOOD.replace(b"04,F,2020,70,7", b"04,F,2020,seventy,7")
    st, _, page = upload(admin, {"name": "upload-test", "title": "X", "replace": "1"}, {"file": ("zle.csv", bad)})
    eq(st, 422, "a file with a value that is no number is refused")
    msg = error_text(page)
    ok("zle.csv:6" in msg and "employment" in msg and "seventy" in msg,
       "the message names the file, line, column and value", msg)
    eq(cell(srv.port, "upload-test", "C", "04"), before, "the stored dataset is as it was")
    f = admin.form("/admin/datasets", page)
    ok(f and f["fields"].get("name") == "upload-test" and f["fields"].get("title") == "X",
       "the form keeps what was typed")
    dup = GOOD + b"02,C,2020,1,1\n"
    st, _, page = upload(admin, {"name": "dup-test"}, {"file": ("dup.csv", dup)})
    eq(st, 422, "a repeated cell is refused")
    ok("dup.csv:8" in error_text(page), "naming its line", error_text(page))
    neg = GOOD.replace(b"06,C,2020,30,3", b"06,C,2020,-30,3")
    st, _, page = upload(admin, {"name": "neg-test"}, {"file": ("neg.csv", neg)})
    eq(st, 422, "a negative count is refused")
    ok("neg.csv:4" in error_text(page), "naming its line", error_text(page))
    st, _, page = upload(admin, {"name": "nocol-test"}, {"file": ("nocol.csv", b"region,industry,year\n02,C,2020\n")})
    eq(st, 422, "a file without the employment column is refused")
    ok("nocol.csv" in error_text(page) and "employment" in error_text(page), "naming the column", error_text(page))
    st, _, page = upload(admin, {"name": "Bad Name", "title": "tab\there"}, {})
    eq(st, 422, "a form without a file and with a bad name is refused")
    msg = error_text(page)
    ok("File (statistics or a firm list)" in msg and "choose a file" in msg, "the file is named", msg)
    ok("Dataset name" in msg and "lower-case" in msg, "and the name", msg)
    ok("Title" in msg, "and the title with a tab", msg)
    st, _, page = upload(admin, {"name": "empty-test"}, {"file": ("empty.csv", b"")})
    eq(st, 422, "an empty file is refused")
    ok("empty" in error_text(page), "as empty", error_text(page))
    names = datasets(srv.port)
    ok(not any(n in names for n in ("dup-test", "neg-test", "nocol-test", "empty-test")), "none of them was stored")


def test_replace(srv, admin):
    new = GOOD.replace(b"04,C,2020,50,5", b"04,C,2020,55,5")
    st, _, page = upload(admin, {"name": "upload-test"}, {"file": ("new.csv", new)})
    eq(st, 409, "a name already stored is not replaced unasked")
    ok("Replace" in error_text(page), "the message says how to replace it", error_text(page))
    eq(cell(srv.port, "upload-test", "C", "04"), 50, "the stored dataset is as it was")
    st, h, _ = upload(admin, {"name": "upload-test", "replace": "1", "title": "Nowy"}, {"file": ("new.csv", new)})
    eq(st, 303, "with Replace ticked it is")
    eq(cell(srv.port, "upload-test", "C", "04"), 55, "with the new file's numbers")
    eq(datasets(srv.port)["upload-test"]["title"], "Nowy", "and title")


def test_formats(srv, admin):
    # Statistics Poland's CSV: semicolons and decimal commas
    gus = ("region;industry;year;employment\n02;C;2021;10,5\n04;C;2021;4,5\n02;F;2021;3\n04;F;2021;7\n").encode()
    st, _, page = upload(admin, {"name": "gus-semi"}, {"file": ("gus.csv", gus)})
    ok(st == 303, "a semicolon CSV with decimal commas is stored (%s)" % st, error_text(page))
    eq(cell(srv.port, "gus-semi", "C", "02"), 10.5, "with its decimal comma read")
    # rows of firms added up (--sum)
    firms = b"region,industry,employment\n02,C,3\n02,C,4\n04,C,5\n02,F,1\n04,F,2\n"
    st, _, page = upload(admin, {"name": "firm-rows"}, {"file": ("firms.csv", firms)})
    eq(st, 422, "rows repeating a cell without 'add up' are refused")
    st, _, page = upload(admin, {"name": "firm-rows", "sum": "1"}, {"file": ("firms.csv", firms)})
    ok(st == 303, "and stored with it (%s)" % st, error_text(page))
    eq(cell(srv.port, "firm-rows", "C", "02"), 7, "adding them up")
    # a Windows path in the file name is cut to the name
    st, _, page = upload(admin, {"name": "path-test"}, {"file": ("C:\\\\Users\\\\a\\\\bad.csv", b"region,industry\n")})
    ok(st == 422 and "bad.csv" in error_text(page) and "Users" not in error_text(page),
       "a file's folder is left out of messages", error_text(page))


def test_transport(srv, admin, db):
    token = admin.csrf("/admin/datasets")
    body, ct = multipart({"name": "no-csrf"}, {"file": ("a.csv", GOOD)})
    st, _, _ = admin.post("/admin/datasets", None, raw=body, headers={"Content-Type": ct})
    eq(st, 403, "an upload without the CSRF token is refused")
    st, _, _ = admin.post("/admin/datasets", {"csrf": token, "name": "urlenc"})
    eq(st, 415, "an upload that is not multipart is a 415")
    body, ct = multipart({"csrf": token, "name": "cut"}, {"file": ("a.csv", GOOD)})
    st, _, page = admin.post("/admin/datasets", None, raw=body[:-40], headers={"Content-Type": ct})
    ok(st in (400, 422) and "cut short" in kt.text_of(page), "an upload cut short is refused (%s)" % st)
    ok("no-csrf" not in datasets(srv.port) and "cut" not in datasets(srv.port), "nothing was stored")
    small = kt.Server(db, "datasets-small", "--max-upload", "1")
    try:
        c = kt.Client(small.port)
        c.login("admin@example.org", "admin-password-1")
        big = b"region,industry,year,employment\n" + b"".join(
            b"R%05d,I%02d,2020,%d\n" % (i, i % 50, i) for i in range(80000))
        c.get("/admin/datasets")
        body, ct = multipart({"csrf": c.form("/admin/datasets")["fields"]["csrf"], "name": "too-big"},
                             {"file": ("big.csv", big)})
        # the server answers from the headers (Content-Length) and reads no further: sent by hand
        s = socket.create_connection(("127.0.0.1", small.port), timeout=30)
        s.sendall(("POST /admin/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\n"
                   "Content-Length: %d\r\nCookie: %s\r\nConnection: close\r\n\r\n"
                   % (ct, len(body), "; ".join("%s=%s" % kv for kv in c.cookies.items()))).encode())
        try:
            s.sendall(body[:65536])
        except OSError:
            pass
        answer = read_all(s)
        ok(len(body) > 1 << 20 and answer.startswith(b"HTTP/1.1 413"), "a file over --max-upload is a 413",
           answer[:200])
        ok("too-big" not in datasets(small.port), "and not stored")
    finally:
        small.stop()
    r = kt.cli(None, "serve", "--max-upload", "0")
    ok(r.returncode == 2 and "max-upload" in r.stderr, "--max-upload 0 is a usage error", r.stderr)


def test_delete(srv, admin, db):
    st, _, page = admin.get("/admin/datasets/upload-test/delete")
    eq(st, 200, "deleting a dataset asks first")
    ok("Delete the dataset?" in page, "on a page that says what goes")
    eq(cell(srv.port, "upload-test", "C", "04"), 55, "asking deletes nothing")
    st, h, _ = admin.confirm("/admin/datasets/upload-test/delete", page)
    eq(st, 303, "confirmed, it is deleted")
    ok("upload-test" not in datasets(srv.port), "the API no longer lists it")
    st, _, _ = kt.request(srv.port, "GET", "/api/v1/datasets/upload-test")
    eq(st, 404, "and answers 404 for it")
    ok(audit_has(admin, "dataset-delete"), "the deletion is in the audit log")
    st, _, _ = admin.get("/admin/datasets/no-such/delete")
    eq(st, 404, "an unknown dataset is a 404")
    # a firm list imported from the command line
    path = os.path.join(kt.WORK, "firms-admin.csv")
    with open(path, "w") as f:
        f.write("id,name,industry,lat,lon\n1,A,C,52.2,21.0\n2,B,C,52.3,21.1\n")
    r = kt.cli(db, "import", "firms", path, "--dataset", "firms-admin")
    ok(r.returncode == 0, "a firm list is imported", r.stderr)
    st, _, page = admin.get("/admin/datasets")
    ok("firms-admin" in page and "/admin/firm-lists/firms-admin/delete" in page, "the page lists it with a delete link")
    st, _, page = admin.get("/admin/firm-lists/firms-admin/delete")
    eq(st, 200, "deleting it asks first")
    st, _, _ = admin.confirm("/admin/firm-lists/firms-admin/delete", page)
    eq(st, 303, "and deletes it")
    st, _, page = admin.get("/admin/datasets")
    ok("firms-admin" not in page, "it is gone")
    ok(audit_has(admin, "firm-list-delete"), "the deletion is in the audit log")


def test_api(srv, db):
    """PUT and DELETE /api/v1/datasets/NAME with an administrator's token: the same reading,
    storing and refusals as the upload form."""
    token = kt.cli(db, "user", "token", "admin@example.org").stdout.strip()
    auth = {"Authorization": "Bearer " + token}

    def put(path, body, ctype="text/csv"):
        h = dict(auth)
        if ctype:
            h["Content-Type"] = ctype
        st, hh, data = kt.request(srv.port, "PUT", path, body=body, headers=h)
        try:
            js = json.loads(data) if data else None
        except ValueError:
            js = None
        return st, hh, js

    st, h, js = put("/api/v1/datasets/api-test?title=Przez+API&source=Skrypt&licence=CC0&region_kind=teryt", GOOD)
    eq(st, 201, "PUT stores a new dataset: 201")
    eq(h.get("location"), "/api/v1/datasets/api-test", "with its Location")
    eq(js, {"name": "api-test", "regions": 3, "industries": 2, "years": 1, "replaced": False}, "and its shape")
    d = datasets(srv.port).get("api-test") or {}
    ok(d.get("title") == "Przez API" and d.get("source") == "Skrypt" and d.get("licence") == "CC0",
       "with the title, source and licence of its parameters", d)
    new = GOOD.replace(b"04,C,2020,50,5", b"04,C,2020,51,5")
    st, _, js = put("/api/v1/datasets/api-test", new, ctype="application/octet-stream")
    ok(st == 200 and js and js["replaced"] is True, "PUT again replaces it: 200, replaced", (st, js))
    eq(cell(srv.port, "api-test", "C", "04"), 51, "with the new numbers")
    bad = new.replace(b"06,F,2020,40,4", b"06,F,2020,40.5.1,4")
    st, _, js = put("/api/v1/datasets/api-test", bad)
    msg = (js or {}).get("error", {}).get("message", "")
    ok(st == 422 and "api-test:7" in msg and "employment" in msg, "a file with an error: 422 naming its line", (st, js))
    eq(cell(srv.port, "api-test", "C", "04"), 51, "and the stored dataset is as it was")
    # industry codes alone named by the PKD classification the database holds, in both languages
    st, _, js = put("/api/v1/datasets/api-pkd?industry_names=pkd2007", GOOD)
    st2, _, body = kt.request(srv.port, "GET", "/api/v1/cluster-map?dataset=api-pkd&industry=C")
    got = json.loads(body) if st2 == 200 else {}
    ok(st == 201 and got.get("industry_name_pl") == "Przetwórstwo przemysłowe" and
       got.get("industry_name_en") == "Manufacturing",
       "industry_names=pkd2007: section C named in Polish and English", (st, js, got.get("industry_name_pl"),
                                                                         got.get("industry_name_en")))
    st, _, js = put("/api/v1/datasets/api-pkd2?industry_names=pkd1990", GOOD)
    ok(st == 400 and "industry_names: give pkd2007 or pkd2025" in (js or {}).get("error", {}).get("message", "") and
       "api-pkd2" not in datasets(srv.port), "industry_names=pkd1990: a 400 naming it, nothing stored", (st, js))
    st, _, js = put("/api/v1/datasets/api-test", GOOD, ctype="application/json")
    eq(st, 415, "a body labelled JSON is a 415")
    st, _, js = put("/api/v1/datasets/api-test", b"")
    eq(st, 400, "an empty body is a 400")
    for q, name in (("format=xlsx", "format"), ("sum=maybe", "sum"), ("region_kind=gmina", "region_kind"),
                    ("title=a%09b", "title"), ("title=a&title=b", "title: the parameter is given 2 times")):
        st, _, js = put("/api/v1/datasets/api-test?" + q, GOOD)
        ok(st == 400 and name in (js or {}).get("error", {}).get("message", ""), "%s: a 400 naming it" % q, (st, js))
    for q in ("licnece=CC0", "replace=1&title=T"):
        st, _, js = put("/api/v1/datasets/api-test?" + q, GOOD.replace(b"04,C,2020,51,5", b"04,C,2020,99,5"))
        msg = (js or {}).get("error", {}).get("message", "")
        ok(st == 400 and msg.startswith(q.split("=")[0] + ": not a parameter of this request (it takes title, "
                                        "source, licence, format, sum, region_kind or industry_names)"),
           "%s: a parameter it does not take, a 400 naming it rather than dropped unseen" % q, (st, js))
    eq(cell(srv.port, "api-test", "C", "04"), 51, "  and the stored dataset is as it was")
    st, _, js = put("/api/v1/datasets/Bad_Name", GOOD)
    eq(st, 400, "a name that is no dataset name is a 400")
    st, _, js = put("/api/v1/datasets/firm-api?sum=true", b"region,industry,employment\n02,C,3\n02,C,4\n04,C,1\n")
    ok(st == 201 and cell(srv.port, "firm-api", "C", "02") == 7, "sum=true adds up repeated cells", (st, js))
    st, _, data = kt.request(srv.port, "DELETE", "/api/v1/datasets/api-test?confirm=1", headers=auth)
    ok(st == 400 and json.loads(data)["error"]["message"].startswith("confirm: not a parameter of this request"),
       "DELETE with a parameter it does not take: 400 naming it", (st, data))
    ok("api-test" in datasets(srv.port), "  and nothing is deleted")
    st, _, data = kt.request(srv.port, "DELETE", "/api/v1/datasets/api-test", headers=auth)
    ok(st == 204 and data == b"", "DELETE: 204 without a body", (st, data))
    ok("api-test" not in datasets(srv.port), "it is gone")
    st, _, data = kt.request(srv.port, "DELETE", "/api/v1/datasets/api-test", headers=auth)
    ok(st == 404 and json.loads(data)["error"]["message"] == "There is no dataset 'api-test'.",
       "DELETE of a dataset that is not there: 404, worded as GET's", (st, data))
    st, _, _ = kt.request(srv.port, "DELETE", "/api/v1/datasets/firm-api")
    eq(st, 401, "without a token: 401")
    ok("firm-api" in datasets(srv.port), "and nothing is deleted")


def firm_lists(port):
    st, _, body = kt.request(port, "GET", "/api/v1/firm-datasets")
    return {d["name"]: d for d in json.loads(body)["items"]} if st == 200 else None


def test_firm_upload(srv, admin):
    """A firm list uploaded on the same form ("what the file holds": firms), read as `klaster import
    firms` reads it, its messages naming the file as sent."""
    firms = (b"id,name,industry,lat,lon,employment\n1,Huta A,C,52.2,21.0,10\n2,Zak\xc5\x82ad B,C,52.3,21.1,20\n"
             b"3,Biuro C,F,50.0,19.9,5\n4,Bez miejsca,F,,,3\n")
    st, h, page = upload(admin, {"what": "firms", "name": "firms-up", "title": "Firmy — próba", "values": "employment",
                                 "licence": "CC0"}, {"file": ("firmy.csv", firms)})
    eq(st, 303, "a firm list is stored")
    eq(h.get("location"), "/admin/datasets?stored_firms=firms-up", "and the page says so")
    st, _, page = admin.get(h["location"])
    ok("Stored the firm list" in kt.text_of(page) and "3 located firms" in kt.text_of(page),
       "with its located firms (the row without coordinates skipped)", kt.text_of(page)[:300])
    d = firm_lists(srv.port).get("firms-up") or {}
    ok(d.get("firms") == 3 and d.get("skipped") == 1 and d.get("title") == "Firmy — próba" and d.get("licence") == "CC0",
       "the API lists it with its firms, skipped rows, title and licence", d)
    ok([v["name"] for v in d.get("values", [])] == ["employment"], "and its value column", d.get("values"))
    st, _, page = kt.request(srv.port, "GET", "/cluster-map/points?dataset=firms-up")
    eq(st, 200, "the firm points page shows it")
    bad = firms.replace(b"50.0,19.9", b"fifty,19.9")
    st, _, page = upload(admin, {"what": "firms", "name": "firms-up", "replace": "1"}, {"file": ("firmy.csv", bad)})
    msg = error_text(page)
    ok(st == 422 and "firmy.csv:4" in msg and "/proc/" not in msg and "fifty" in msg,
       "a bad coordinate: 422 naming the file as sent and its line", msg)
    eq((firm_lists(srv.port).get("firms-up") or {}).get("firms"), 3, "the stored list is as it was")
    st, _, page = upload(admin, {"what": "firms", "name": "firms-x", "values": "nosuch"}, {"file": ("firmy.csv", firms)})
    ok(st == 422 and "nosuch" in error_text(page), "a value column the file does not have is named", error_text(page))
    st, _, page = upload(admin, {"what": "firms", "name": "firms-up"}, {"file": ("firmy.csv", firms)})
    eq(st, 409, "a firm list's name already stored is not replaced unasked")
    st, _, page = upload(admin, {"what": "firms", "name": "firms-up", "replace": "1", "values": ""},
                         {"file": ("firmy2.csv", firms.replace(b"4,Bez miejsca,F,,,3", b"4,Teraz,F,51.1,17.0,3"))})
    eq(st, 303, "with Replace ticked it is")
    d = firm_lists(srv.port).get("firms-up") or {}
    ok(d.get("firms") == 4 and d.get("values") == [], "with the new file's firms and no value columns", d)
    st, _, page = upload(admin, {"what": "spreadsheet", "name": "x"}, {"file": ("a.csv", firms)})
    eq(st, 422, "a kind of file not offered is refused")
    ok("firms-x" not in firm_lists(srv.port), "nothing refused was stored")
    ok(audit_has(admin, "firm-list-upload"), "the upload is in the audit log")


def test_polish(srv):
    c = kt.Client(srv.port, lang="pl")
    c.login("admin@example.org", "admin-password-1")
    st, _, page = c.get("/admin/datasets")
    ok(st == 200 and "Wgraj plik ze statystyką" in page and "Zbiory statystyk" in page, "the page speaks Polish")
    st, _, page = upload(c, {"name": "Zła nazwa"}, {})
    ok(st == 422 and "wybierz plik" in error_text(page), "and so do its messages", error_text(page))
    st, _, page = c.get("/admin")
    ok("/admin/datasets" in page, "the panel links to it")


def test_polish_messages(srv, admin):
    """A refused file on the Polish page: the reader's sentence in Polish after the file's place (its
    name as sent and its line), which stays as it is; the English page keeps the reader's English."""
    c = kt.Client(srv.port, lang="pl")
    c.login("admin@example.org", "admin-password-1")
    firms = b"id,name,industry,lat,lon,employment\n1,Huta A,C,52.2,21.0,10\n2,Biuro B,F,50.0,19.9,5\n"
    cases = [
        ({}, "złe dane 2024.csv", GOOD.replace(b"04,F,2020,70,7", b"04,F,2020,seventy,7"),
         "pliku nie zapisano: złe dane 2024.csv:6: kolumna employment: „seventy” nie jest liczbą"),
        ({}, "dup.csv", GOOD + b"02,C,2020,1,1\n",
         "dup.csv:8: region 02, branża C, rok 2020 podane dwa razy (pierwszy raz w wierszu 2)"),
        ({}, "neg.csv", GOOD.replace(b"06,C,2020,30,3", b"06,C,2020,-30,3"),
         "neg.csv:4: kolumna employment: -30 to liczba ujemna"),
        ({}, "nocol.csv", b"region,industry,year\n02,C,2020\n",
         "nocol.csv:1: w nagłówku brak wymaganej kolumny employment (albo podaj po jednej kolumnie na rok"),
        ({}, "naglowek.csv", b"region,industry,year,employment\n", "naglowek.csv: pod nagłówkiem nie ma wierszy danych"),
        ({}, "zero.csv", GOOD + b"08,C,2020,0,0\n08,F,2020,0,0\n",
         "zero.csv:8: kolumna employment: region 08 ma zerowe łączne zatrudnienie w roku 2020 (to jego pierwszy "
         "wiersz; ilorazy lokalizacji nie są tam określone)"),
        ({}, "gus.csv", "region;industry;year;employment\n02;C;2021;1.234.567\n".encode(),
         "gus.csv:2: kolumna employment: „1.234.567” nie jest tu liczbą: kropka między tysiącami nie jest "
         "odczytywana; napisz 1234567"),
        ({}, "cudzyslow.csv", GOOD + b'08,C,2020,"5\n',
         "cudzyslow.csv:8: niezamknięte pole w cudzysłowie (cudzysłów na pozycji 11 tego wiersza"),
        ({}, "excel.csv", GOOD + b"08,\xb3C,2020,5,1\n",
         "excel.csv:8: błędny UTF-8 w bajcie 4 (kolumna industry): bajt 0xB3 to polska litera w kodowaniu "
         "Windows-1250 (w nim Excel zapisuje CSV w polskich systemach) albo ISO-8859-2"),
        ({}, "excel2.csv", GOOD + b"08,\xb3C,2020,5,1\n08,\x9cG,2020,5,1\n",
         "excel2.csv:8: błędny UTF-8 w bajcie 4 (kolumna industry): bajt 0xB3 to polska litera w kodowaniu "
         "Windows-1250, w którym Excel zapisuje CSV w polskich systemach"),
        ({}, "latin2.csv", GOOD + b"08,C\xb6,2020,5,1\n",
         "latin2.csv:8: błędny UTF-8 w bajcie 5 (kolumna industry): bajt 0xB6 to polska litera w kodowaniu "
         "ISO-8859-2 (Latin-2)"),
        ({"format": "eurostat"}, "eurostat.tsv", b"nace_r2,geo\\time\t2019\t2020\nC,PL21\t12\tabc\n",
         "eurostat.tsv:2: kolumna 2020: „abc” nie jest wartością (liczbą albo „:”"),
        ({"format": "bdl"}, "bdl.csv", "Kod;Nazwa;Sekcje PKD 2007;2019;2020;\n".encode(),
         "bdl.csv:1: to tabela Banku Danych Lokalnych (BDL) w układzie poziomym"),
        ({"what": "firms"}, "firmy 2024.csv", firms.replace(b"50.0,19.9", b"95,19.9"),
         "firmy 2024.csv:3: kolumna lat: 95 wykracza poza przedział [-90, 90]"),
        ({"what": "firms"}, "firmy.csv", firms.replace(b"50.0,19.9", b"fifty,19.9"),
         "firmy.csv:3: kolumna lat: „fifty” nie jest liczbą"),
        ({"what": "firms"}, "firmy.csv", firms + b"2,Biuro C,F,50.1,19.8,1\n",
         "firmy.csv:4: kolumna id: firma 2 jest podana dwa razy (pierwszy raz w wierszu 3)"),
        ({"what": "firms", "values": "employment"}, "firmy.csv", firms.replace(b"19.9,5", b"19.9,-5"),
         "firmy.csv:3: kolumna employment: -5 to liczba ujemna (wartości muszą wynosić 0 lub więcej)"),
        ({"what": "firms", "values": "zatrudnienie"}, "firmy.csv", firms, "firmy.csv:1: w nagłówku brak kolumny zatrudnienie"),
    ]
    for fields, fname, data, want in cases:
        st, _, page = upload(c, dict(fields, name="pl-odmowa"), {"file": (fname, data)})
        msg = error_text(page)
        ok(st == 422 and want in msg and not re.search(r"\b(column|is not|the file|given twice)\b", msg),
           "%s: the Polish page says why in Polish" % fname, msg)
    st, _, page = upload(admin, {"name": "pl-odmowa"}, {"file": ("neg.csv", cases[2][2])})
    ok(st == 422 and "the file was not stored: neg.csv:4: column employment: -30 is negative" in error_text(page),
       "the English page says it in English", error_text(page))
    ok("pl-odmowa" not in datasets(srv.port) and "pl-odmowa" not in firm_lists(srv.port), "nothing was stored")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite")
    backend = ap.parse_args().backend
    db = kt.database(backend, "datasets_admin")
    kt.add_user(db, "admin@example.org", "admin-password-1", role="admin")
    srv = kt.Server(db, "datasets-admin")
    try:
        admin = kt.Client(srv.port)
        admin.login("admin@example.org", "admin-password-1")
        kt.section(test_roles, srv, db)
        kt.section(test_upload, srv, admin)
        kt.section(test_upload_pkd_names, srv, admin)
        kt.section(test_bad_files, srv, admin)
        kt.section(test_replace, srv, admin)
        kt.section(test_formats, srv, admin)
        kt.section(test_transport, srv, admin, db)
        kt.section(test_delete, srv, admin, db)
        kt.section(test_api, srv, db)
        kt.section(test_firm_upload, srv, admin)
        kt.section(test_polish, srv)
        kt.section(test_polish_messages, srv, admin)
    finally:
        srv.clean_exit()
    sys.exit(kt.finish())


if __name__ == "__main__":
    main()
