#!/usr/bin/env python3
"""Firm lists stored and deleted through the API with an administrator's token:
PUT /api/v1/firm-datasets/NAME reads the body as `klaster import firms` (and
the upload form of /admin/datasets) reads a file and stores it in one
transaction; DELETE /api/v1/firm-datasets/NAME deletes one.  The same
conventions as PUT and DELETE /api/v1/datasets/NAME: 201 with Location when
new, 200 when replaced, 422 naming the line, 400 naming a parameter, 415,
413 over --max-upload, 401 without an administrator's token; nothing is
stored after a refusal.

    python3 tests/http/test_firm_lists_api.py --backend sqlite|postgres

TAP output.
"""
import argparse
import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok, eq  # noqa: E402

FIRMS = (b"id,name,industry,lat,lon,employment,emissions\n"
         b"1,Huta A,C,52.20,21.00,10,5.5\n2,Zak\xc5\x82ad B,C,52.21,21.01,20,\n3,Biuro C,C,52.22,21.02,5,1\n"
         b"4,Sklep D,F,50.00,19.90,3,NA\n5,Bez miejsca,F,,,7,2\n")
W = {}


def api(method, path, body=None, ctype="text/csv", token=None, port=None):
    """A request of the API with the administrator's token (token: another, or "" for none):
    status, headers, JSON (None for none)."""
    h = {}
    token = W["token"] if token is None else token
    if token:
        h["Authorization"] = "Bearer " + token
    if ctype and body is not None:
        h["Content-Type"] = ctype
    st, hh, data = kt.request(port or W["port"], method, path, body=body, headers=h)
    try:
        js = json.loads(data) if data else None
    except ValueError:
        js = None
    return st, hh, js


def message(js):
    return (js or {}).get("error", {}).get("message", "")


def firm_lists(port=None):
    st, _, body = kt.request(port or W["port"], "GET", "/api/v1/firm-datasets")
    return {d["name"]: d for d in json.loads(body)["items"]} if st == 200 else {}


def audit(action):
    d = ktdb.Db(W["db"])
    try:
        return d.one("SELECT COUNT(*) FROM audit_log WHERE action = ?", (action,))
    finally:
        d.close()


def test_roles(srv, db):
    kt.add_user(db, "user@example.org", "a-long-password-1", role="user")
    kt.add_user(db, "coord@example.org", "a-long-password-1", role="coordinator", cluster=1)
    st, h, js = api("PUT", "/api/v1/firm-datasets/roles-test", FIRMS, token="")
    ok(st == 401 and h.get("www-authenticate", "").startswith("Bearer"),
       "PUT without a token (a visitor): 401 with WWW-Authenticate", (st, js))
    st, _, js = api("PUT", "/api/v1/firm-datasets/roles-test", FIRMS, token="0" * 64)
    eq(st, 401, "PUT with a token that is no one's: 401")
    r = kt.cli(db, "user", "token", "user@example.org")
    ok(r.returncode == 5 and "not an administrator" in r.stderr, "a user is given no token", r.stderr)
    for email in ("user@example.org", "coord@example.org"):
        c = kt.Client(srv.port)
        c.login(email, "a-long-password-1")
        st, _, data = kt.request(srv.port, "PUT", "/api/v1/firm-datasets/roles-test", body=FIRMS,
                                 headers=c._headers({"Content-Type": "text/csv"}))
        eq(st, 401, "PUT with the session of a %s and no token: 401" % email.split("@")[0])
    # an administrator's token whose account is no longer one: refused as the token API refuses it
    kt.add_user(db, "former@example.org", "a-long-password-1", role="admin")
    former = kt.cli(db, "user", "token", "former@example.org").stdout.strip()
    d = ktdb.Db(db)
    try:
        d.run("UPDATE app_user SET role = 'user' WHERE email = ?", ("former@example.org",))
    finally:
        d.close()
    st, _, js = api("PUT", "/api/v1/firm-datasets/roles-test", FIRMS, token=former)
    eq(st, 401, "PUT with the token of an account that is no longer an administrator: 401")
    st, _, js = api("DELETE", "/api/v1/firm-datasets/roles-test", token=former)
    eq(st, 401, "and DELETE: 401")
    ok("roles-test" not in firm_lists(), "nothing was stored")


def test_put(srv):
    a0 = audit("firm-list-upload")
    st, h, js = api("PUT", "/api/v1/firm-datasets/api-firms?title=Firmy+przez+API&source=Skrypt&licence=CC0"
                           "&values=employment,%20emissions", FIRMS)
    eq(st, 201, "PUT stores a new firm list: 201")
    eq(h.get("location"), "/api/v1/firm-clusters?dataset=api-firms", "with Location: where its firms are read")
    want = {"name": "api-firms", "title": "Firmy przez API", "source": "Skrypt", "licence": "CC0", "firms": 4,
            "skipped": 1, "values": [{"name": "employment", "firms": 4, "missing": 0},
                                     {"name": "emissions", "firms": 2, "missing": 2}], "replaced": False}
    eq(js, want, "the answer is the list as the listing shows it, not replaced")
    d = firm_lists().get("api-firms")
    ok(d is not None and {k: v for k, v in want.items() if k != "replaced"} == d,
       "GET /api/v1/firm-datasets lists it so", d)
    st, _, body = kt.request(srv.port, "GET", h.get("location", "/") + "&eps_km=5&min_samples=3")
    cl = json.loads(body) if st == 200 else {}
    ok(st == 200 and cl.get("firms") == 4 and cl.get("clusters") == 1 and cl.get("title") == "Firmy przez API",
       "GET /api/v1/firm-clusters computes its clusters (three firms within 5 km: one cluster)", (st, body[:300]))
    st, _, body = kt.request(srv.port, "GET", "/api/v1/firm-hotspots?dataset=api-firms&value=employment")
    eq(st, 200, "and GET /api/v1/firm-hotspots the hot spots of a value stored")
    eq(audit("firm-list-upload"), a0 + 1, "the upload is in the audit log")
    st, _, body = kt.request(srv.port, "GET", "/cluster-map/points?dataset=api-firms")
    eq(st, 200, "the firm points page shows it")


def test_replace(srv):
    new = FIRMS.replace(b"5,Bez miejsca,F,,,7,2", b"5,Teraz,F,51.10,17.03,7,2")
    st, h, js = api("PUT", "/api/v1/firm-datasets/api-firms?values=employment", new, ctype="application/octet-stream")
    ok(st == 200 and js and js["replaced"] is True, "PUT again replaces it: 200, replaced", (st, js))
    eq(h.get("location"), "/api/v1/firm-clusters?dataset=api-firms", "with its Location")
    d = firm_lists().get("api-firms") or {}
    ok(d.get("firms") == 5 and d.get("skipped") == 0 and [v["name"] for v in d.get("values", [])] == ["employment"],
       "with the new file's firms and value columns", d)
    ok(d.get("title") == "api-firms" and d.get("source") == "" and d.get("licence") == "",
       "and its texts as given (none: the title is the name)", d)
    st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms", new, ctype="text/plain")
    ok(st == 200 and js and js["replaced"] is True, "PUT replaces by its nature (text/plain taken too)", (st, js))
    # a parameter it does not take (replace=0, a mistyped licence) is refused, not dropped unseen
    for q, name in (("replace=0", "replace"), ("licnece=CC0", "licnece")):
        st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms?" + q, FIRMS, ctype="text/csv")
        msg = (js or {}).get("error", {}).get("message", "")
        ok(st == 400 and msg.startswith(name + ": not a parameter of this request (it takes title, source, "
                                        "licence or values)"),
           "?%s: a 400 naming it and the parameters taken" % q, (st, js))
    d = firm_lists().get("api-firms") or {}
    eq(d.get("firms"), 5, "  and the stored list is as it was")


def test_bad_files(srv):
    before = firm_lists().get("api-firms")
    n0 = audit("firm-list-upload")
    cases = (
        (FIRMS.replace(b"50.00,19.90", b"95.00,19.90"), "api-firms:5", "lat", "a latitude out of range"),
        (FIRMS.replace(b"52.21,21.01", b"fifty,21.01"), "api-firms:3", "fifty", "a latitude that is no number"),
        (FIRMS.replace(b"lat,lon", b"latitude_x,lon"), "api-firms", "lat", "a missing coordinate column"),
        (FIRMS.replace(b"3,Biuro C,C,52.22,21.02,5,1", b"3,Biuro C,C,52.22,21.02,five,1"), "api-firms:4",
         "employment", "a value column's cell that is no number"),
        (FIRMS.replace(b"4,Sklep D,F,50.00,19.90,3,NA", b"4,Sklep D,F,50.00,19.90,-3,NA"), "api-firms:5",
         "employment", "a negative value"),
    )
    for body, where, what, why in cases:
        st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms?values=employment", body)
        msg = message(js)
        ok(st == 422 and where in msg and what in msg and "/proc/" not in msg,
           "%s: 422 naming the file by the list's name, the line and the field" % why, (st, msg))
    st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms?values=nosuch", FIRMS)
    ok(st == 422 and "nosuch" in message(js), "a value column the file does not have: 422 naming it", (st, js))
    eq(firm_lists().get("api-firms"), before, "the stored list is as it was")
    st, _, js = api("PUT", "/api/v1/firm-datasets/api-new?values=employment",
                    FIRMS.replace(b"52.21,21.01", b"fifty,21.01"))
    eq(st, 422, "a new list with a bad row: 422")
    ok("api-new" not in firm_lists(), "and it is not stored")
    eq(audit("firm-list-upload"), n0, "nothing refused is in the audit log")


def test_refusals(srv):
    before = firm_lists().get("api-firms")
    st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms", FIRMS, ctype="application/json")
    ok(st == 415 and message(js).startswith("Content-Type: ") and "firm list" in message(js),
       "a body labelled JSON: 415 naming Content-Type", (st, js))
    st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms", b"")
    ok(st == 400 and "empty" in message(js), "an empty body: 400", (st, js))
    for q, name in (("title=a%09b", "title"), ("source=%FF", "source"), ("licence=x%0Ay", "licence"),
                    ("values=a,A", "values"), ("values=" + ",".join("c%d" % i for i in range(17)), "values"),
                    ("values=" + "v" * 61, "values"), ("values=a%09b", "values")):
        st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms?" + q, FIRMS)
        ok(st == 400 and message(js).startswith(name + ": ") and "--value" not in message(js),
           "%s: a 400 naming %s (in the API's words, no command-line option)" % (q[:30], name), (st, js))
    st, _, js = api("PUT", "/api/v1/firm-datasets/api-firms?values=a,A", FIRMS)
    eq(message(js), "values: value column 'A' is given twice", "  a column named twice, said so")
    for bad in ("Bad_Name", "-lead", "x" * 61, "%C5%BCaba"):
        st, _, js = api("PUT", "/api/v1/firm-datasets/" + bad, FIRMS)
        ok(st == 400 and message(js).startswith("name: "), "the name %s: 400 naming name" % bad[:20], (st, js))
    eq(firm_lists().get("api-firms"), before, "none of them changed the stored list")
    ok(not any(n in firm_lists() for n in ("Bad_Name", "lead", "x" * 61)), "or stored another")


def test_too_big(db):
    small = kt.Server(db, "firm-lists-small", "--max-upload", "1")
    try:
        # the server answers from the headers (Content-Length), before the body: none is sent
        with socket.create_connection(("127.0.0.1", small.port), timeout=30) as s:
            s.sendall(("PUT /api/v1/firm-datasets/too-big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                       "Content-Length: %d\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n"
                       % ((1 << 20) + 1, W["token"])).encode())
            answer = s.makefile("rb").read()
        head, _, body = answer.partition(b"\r\n\r\n")
        ok(head.startswith(b"HTTP/1.1 413") and b"larger than the limit" in body,
           "a file over --max-upload (1 MiB) is a 413", answer[:300])
        ok("too-big" not in firm_lists(small.port), "and not stored")
        st, _, js = api("PUT", "/api/v1/firm-datasets/small-ok", FIRMS, port=small.port)
        eq(st, 201, "one under it is stored")
    finally:
        small.stop()


def test_delete(srv):
    a0 = audit("firm-list-delete")
    st, _, js = api("DELETE", "/api/v1/firm-datasets/api-firms", token="")
    eq(st, 401, "DELETE without a token: 401")
    ok("api-firms" in firm_lists(), "and nothing is deleted")
    st, _, js = api("DELETE", "/api/v1/firm-datasets/api-firms?x=1")
    ok(st == 400 and message(js) == "x: not a parameter of this request (it takes none); nothing was deleted",
       "DELETE with a parameter it does not take: 400 naming it", (st, js))
    ok("api-firms" in firm_lists(), "and nothing is deleted")
    st, _, data = kt.request(srv.port, "DELETE", "/api/v1/firm-datasets/api-firms",
                             headers={"Authorization": "Bearer " + W["token"]})
    ok(st == 204 and data == b"", "DELETE: 204 without a body", (st, data))
    ok("api-firms" not in firm_lists(), "it is gone from the listing")
    st, _, _ = kt.request(srv.port, "GET", "/api/v1/firm-clusters?dataset=api-firms")
    eq(st, 404, "and its clusters are a 404")
    eq(audit("firm-list-delete"), a0 + 1, "the deletion is in the audit log")
    st, _, js = api("DELETE", "/api/v1/firm-datasets/api-firms")
    ok(st == 404 and message(js) == "There is no firm list 'api-firms'.", "DELETE again: 404", (st, js))
    st, _, js = api("DELETE", "/api/v1/firm-datasets/Bad_Name")
    eq(st, 404, "DELETE of a name that is no name: 404")
    # a statistics dataset and a firm list have their own names: DELETE of one leaves the other
    path = os.path.join(kt.WORK, "firm-lists-stats.csv")
    with open(path, "w") as f:
        f.write("region,industry,year,employment\n02,C,2020,10\n04,C,2020,5\n02,F,2020,3\n04,F,2020,7\n")
    r = kt.cli(W["db"], "import", "stats", path, "--dataset", "both-kinds")
    ok(r.returncode == 0, "a statistics dataset imported", r.stderr)
    st, _, _ = api("PUT", "/api/v1/firm-datasets/both-kinds", FIRMS)
    eq(st, 201, "a firm list of the same name stored")
    st, _, _ = api("DELETE", "/api/v1/firm-datasets/both-kinds")
    eq(st, 204, "DELETE of the firm list")
    st, _, _ = kt.request(srv.port, "GET", "/api/v1/datasets/both-kinds")
    eq(st, 200, "leaves the dataset of that name")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite")
    backend = ap.parse_args().backend
    db = kt.database(backend, "firm_lists_api")
    kt.add_user(db, "admin@example.org", "admin-password-1", role="admin")
    W["db"] = db
    W["token"] = kt.cli(db, "user", "token", "admin@example.org").stdout.strip()
    srv = kt.Server(db, "firm-lists-api")
    W["port"] = srv.port
    try:
        kt.section(test_roles, srv, db)
        kt.section(test_put, srv)
        kt.section(test_replace, srv)
        kt.section(test_bad_files, srv)
        kt.section(test_refusals, srv)
        kt.section(test_too_big, db)
        kt.section(test_delete, srv)
    finally:
        srv.clean_exit()
    sys.exit(kt.finish())


if __name__ == "__main__":
    main()
