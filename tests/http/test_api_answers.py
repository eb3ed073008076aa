#!/usr/bin/env python3
"""How the server answers around the handlers: bodies that are not JSON, methods an address does
not take, server errors on the API, the embedded files' validators, and which responses vary by
language.

    python3 tests/http/test_api_answers.py --backend sqlite|postgres

- a POST /api/v1/organisations whose body jansson cannot read (truncated, not UTF-8, a field
  twice, nested too deep, a number too large, a NUL character in a text or a NUL byte in the
  body...) is answered with a message naming the line and column or the field in the portal's
  words, never the library's (JSON_ALLOW_NUL, "near '...'"), and nothing is written;
- a 405 names the method and the ones the address takes: a page in its language, the API in
  English, with the same methods in Allow;
- a 500 of the API is in English whatever the visitor's language (a page's stays in it);
- /api/v1/openapi.json and the files under /static/ have a strong ETag (the same after a restart:
  a hash of the content), answer If-None-Match with 304, say how long they stay fresh and do
  not vary by language;
- the API's JSON is one representation for every language: the same ETag, no Vary; pages keep
  theirs.

Output is TAP.  Python standard library only.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import cli, ok, request  # noqa: E402

PASSWORD = "correct horse battery"

# jansson's own words, which no answer may show
LIBRARY_WORDS = ("JSON_", "near '", "near end of file", "unable to decode", "maximum parsing depth",
                 "too big", "duplicate object key", "real number overflow", "invalid token", "expected near",
                 "NUL byte in object key not supported", "premature end of input")


def js_of(data):
    try:
        return json.loads(data)
    except ValueError:
        return None


def test_json_bodies(port, token, db):
    d = ktdb.Db(db)
    before = d.one("SELECT COUNT(*) FROM organisation")
    cases = [
        # (what, body, status, words the message must hold)
        ("a text holding \\u0000", b'{"name": "Firma\\u0000 X", "nip": "5260250274"}', 422,
         ("field name", "NUL character (\\u0000)", "leave it out")),
        ("a NUL byte in the body", b'{"name": "Firma X"\x00}', 400, ("line 1, column 19", "NUL byte")),
        ("a NUL byte after the object", b'{"name": "Firma X"}\x00', 400, ("NUL byte",)),
        ("a field name holding \\u0000", b'{"na\\u0000me": "Firma X"}', 400,
         ("line 1, column", "field name holds a NUL character")),
        ("a truncated body", b'{"name": "Firma X", "city": "Gda', 400,
         ("line 1, column", "ends before the JSON object does")),
        ("a body cut after a colon", b'{"name":', 400, ("line 1, column 8", "ends before")),
        ("only blanks", b'  \n ', 400, ("the body is empty",)),
        ("bytes that are not UTF-8", b'{"nip": "5260250274", "name": "Firma \xff"}', 400,
         ("field name", "not UTF-8", "0xFF")),
        ("a field given twice", b'{"name": "A", "city": "B",\n "name": "C"}', 400,
         ("line 2, column 7", "field name is given twice")),
        ("nested too deep", b'{"name": ' + b"[" * 3000 + b"]" * 3000 + b"}", 400,
         ("field name", "nested more than 2048 deep")),
        ("an integer too large", b'{"nip": 123456789012345678901234567890}', 400,
         ("field nip", "number is too large", "as text in double quotes")),
        ("a number too large", b'{"employees": 1e999}', 400, ("field employees", "number is too large")),
        ("a word that is no value", b'{"name": "A", "demo": tru}', 400,
         ("line 1, column 25, in field demo", "not a JSON value")),
        ("more after the object", b'{"name": "A"} {"name": "B"}', 400,
         ("line 1, column", "more follows the end of the JSON object")),
        ("a missing comma", b'{"name": "A"\n "city": "B"}', 400, ("line 2, column", "a comma (,)")),
        ("a name without quotes", b'{name: "A"}', 400, ("line 1, column 5", "field name in double quotes")),
        ("a bad escape", b'{"name": "A\\q"}', 400, ("field name", "invalid escape")),
        ("half a character", b'{"name": "A\\ud800"}', 400, ("field name", "half of a character")),
        ("not an object", b'"Firma"', 400, ("must be one JSON object",)),
    ]
    for what, body, status, words in cases:
        st, h, data = request(port, "POST", "/api/v1/organisations", body=body,
                              headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        js = js_of(data)
        msg = js.get("error", {}).get("message", "") if isinstance(js, dict) else ""
        ok(st == status and all(w in msg for w in words) and not any(w in msg for w in LIBRARY_WORDS),
           "%s: %d naming %s" % (what, status, "; ".join(words)), (st, data[:400]))
    ok(d.one("SELECT COUNT(*) FROM organisation") == before, "nothing written")
    d.close()


def test_method_not_allowed(port):
    st, h, data = request(port, "DELETE", "/api/v1/organisations", headers={"Accept-Language": "pl"})
    js = js_of(data)
    msg = js.get("error", {}).get("message", "") if isinstance(js, dict) else ""
    ok(st == 405 and msg == "the method DELETE is not allowed at this address: it takes GET, HEAD, POST"
       and h.get("allow") == "GET, HEAD, POST",
       "API: 405 naming the method and the ones taken, in English, as Allow says", (st, h.get("allow"), data[:300]))
    for lang, words in (("pl", "metoda PUT nie jest dozwolona pod tym adresem: przyjmuje on GET, HEAD"),
                        ("en", "the method PUT is not allowed at this address: it takes GET, HEAD")):
        st, h, data = request(port, "PUT", "/organisations", headers={"Accept-Language": lang})
        text = kt.text_of(data.decode("utf-8", "replace"))
        ok(st == 405 and words in text and h.get("allow") == "GET, HEAD",
           "a page (%s): 405 naming the method and the ones taken" % lang, (st, h.get("allow"), text[:400]))
    st, h, data = request(port, "POST", "/static/klaster.css", body=b"x=1",
                          headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "lang=en"})
    text = kt.text_of(data.decode("utf-8", "replace"))
    ok(st == 405 and "the method POST is not allowed" in text, "a file: 405 naming POST", (st, text[:300]))


def test_static_etags(srv):
    port = srv.port
    seen = {}
    for path in ("/api/v1/openapi.json", "/static/klaster.css", "/static/klaster.js", "/static/news-print.css"):
        st, h, data = request(port, "GET", path, headers={"Accept-Language": "pl"})
        etag = h.get("etag", "")
        seen[path] = etag
        ok(st == 200 and etag.startswith('"') and len(etag) > 10 and "max-age=" in h.get("cache-control", "")
           and "vary" not in h,
           "%s: a strong ETag, Cache-Control with max-age and no Vary" % path, (st, h))
        st2, h2, data2 = request(port, "GET", path, headers={"If-None-Match": etag, "Accept-Language": "en"})
        ok(st2 == 304 and data2 == b"" and h2.get("etag") == etag and "max-age=" in h2.get("cache-control", ""),
           "%s: its ETag sent back is 304 without a body" % path, (st2, h2, data2[:100]))
        st3, h3, _ = request(port, "HEAD", path, headers={"If-None-Match": 'W/%s' % etag})
        ok(st3 == 304, "%s: HEAD with the weak form of the ETag is 304 too" % path, st3)
        st4, h4, data4 = request(port, "GET", path, headers={"If-None-Match": '"other"'})
        ok(st4 == 200 and data4 == data, "%s: another ETag gets the whole file" % path, st4)
    ok(len(set(seen.values())) == len(seen), "every file has its own ETag", seen)
    srv.stop()
    srv.restart()
    again = {p: request(srv.port, "GET", p)[1].get("etag") for p in seen}
    ok(again == seen, "the ETags are the content's: the same after a restart", (seen, again))


def test_lang_free_api(port):
    path = "/api/v1/organisations?per_page=3"
    answers = [request(port, "GET", path, headers=hd)
               for hd in ({"Accept-Language": "pl"}, {"Accept-Language": "en"}, {"Cookie": "lang=en"},
                          {"Cookie": "lang=pl", "Accept-Language": "en"})]
    etags = [h.get("etag") for _, h, _ in answers]
    ok(all(st == 200 for st, _, _ in answers) and etags[0] and len(set(etags)) == 1
       and len(set(b for _, _, b in answers)) == 1,
       "API JSON: one body and one ETag in every language", etags)
    ok(not any("vary" in h for _, h, _ in answers), "API JSON: no Vary",
       [h.get("vary") for _, h, _ in answers])
    st, h, data = request(port, "GET", path, headers={"Cookie": "lang=pl", "If-None-Match": etags[1]})
    ok(st == 304 and data == b"", "the English ETag of the API is current for a Polish visitor", (st, h))
    st, h, _ = request(port, "GET", "/api/v1/organisations?per_page=x", headers={"Accept-Language": "pl"})
    ok(st == 400 and "vary" not in h, "an API error (JSON, English): no Vary either", (st, h.get("vary")))
    # with no firm list stored yet, the firm points' API says so in English, whoever asks
    for route in ("/api/v1/firm-clusters", "/api/v1/firm-hotspots?cell_km=20"):
        st, h, data = request(port, "GET", route, headers={"Cookie": "lang=pl", "Accept-Language": "pl"})
        ok(st == 404 and b"No firm lists yet" in data and "vary" not in h,
           "GET %s without firm lists, asked in Polish: 404 in English, no Vary" % route, (st, data[:200]))
    # pages keep varying
    pl = request(port, "GET", "/organisations", headers={"Accept-Language": "pl"})
    en = request(port, "GET", "/organisations", headers={"Accept-Language": "en"})
    ok(pl[0] == en[0] == 200 and pl[1].get("etag") != en[1].get("etag")
       and "Accept-Language" in pl[1].get("vary", "") and "Cookie" in en[1].get("vary", ""),
       "pages: an ETag per language and Vary: Cookie, Accept-Language", (pl[1], en[1]))
    st, h, _ = request(port, "GET", "/organisations", headers={"Accept-Language": "en",
                                                               "If-None-Match": pl[1].get("etag", "")})
    ok(st == 200, "the Polish page's ETag is not current for the English page", st)


def test_server_error_in_english(db):
    """Last: the region table is taken away under a server of its own, so its read fails (500);
    that server's log has the database's error (PostgreSQL's "ERROR:"), which clean_exit would
    take for a sanitizer's, so only the exit and sanitizer reports are checked."""
    d = ktdb.Db(db)
    srv = kt.Server(db, "api-answers-500")
    port = srv.port
    try:
        d.run("ALTER TABLE region RENAME TO region_away")
        st, h, data = request(port, "GET", "/api/v1/regions?level=voivodeship",
                              headers={"Cookie": "lang=pl", "Accept-Language": "pl"})
        js = js_of(data)
        msg = js.get("error", {}).get("message", "") if isinstance(js, dict) else ""
        ok(st == 500 and msg == "Server error. Please try again in a moment.",
           "a 500 of the API is in English for a Polish visitor", (st, data[:300]))
    finally:
        d.run("ALTER TABLE region_away RENAME TO region")
        d.close()
        srv.stop()
    with open(srv.logpath, "rb") as f:
        bad = [l for l in f.read().decode("utf-8", "replace").splitlines() if "Sanitizer" in l or "runtime error" in l]
    ok(srv.proc.returncode == 0 and not bad, "server api-answers-500 stopped cleanly", (srv.proc.returncode, bad[:5]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    args = ap.parse_args()
    db = kt.database(args.backend, "api-answers")
    r = cli(db, "user", "add", "admin@answers.example", "--role", "admin", env={"KLASTER_PASSWORD": PASSWORD})
    ok(r.returncode == 0, "an administrator", r.stderr)
    token = cli(db, "user", "token", "admin@answers.example").stdout.strip()
    srv = kt.Server(db, "api-answers")
    try:
        kt.section(test_json_bodies, srv.port, token, db)
        kt.section(test_method_not_allowed, srv.port)
        kt.section(test_lang_free_api, srv.port)
        kt.section(test_static_etags, srv)
    finally:
        srv.clean_exit()
    kt.section(test_server_error_in_english, db)
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
