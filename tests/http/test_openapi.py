#!/usr/bin/env python3
"""The OpenAPI document (static/openapi.json, served at /api/v1/openapi.json)
checked against a running server, so that the two cannot drift apart.

    python3 tests/http/test_openapi.py --backend sqlite|postgres

- every /api/ route of `klaster routes` is a path of the document, and every
  path and method of the document is a route;
- every documented operation, asked as EXAMPLES says, answers with a status
  the document lists, in a content type it lists, and a JSON body that is
  valid against the documented schema (types, required fields, nullable,
  enums, no fields the schema does not name where it says so);
- HEAD answers as GET does, without a body;
- every documented query parameter with a constraint (enum, pattern,
  bounds, integer, maximum length) exists: a value outside it is a 400 with
  the Error shape whose message names the parameter;
- a path parameter that names nothing is a 404 with the Error shape;
- every write needs an administrator's token: 401 with WWW-Authenticate.

Output is TAP.  Python standard library only.
"""
import argparse
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import cli, diag, ok, request  # noqa: E402

PASSWORD = "correct horse battery"
EUTL = "data/firms/eutl_installations_PL_slim.csv"

# One request per documented operation that the server must answer with
# success: "{name}" in the path is filled from FILL (set once the data are in).
EXAMPLES = {
    ("get", "/api/v1/offers"): "/api/v1/offers",
    ("get", "/api/v1/offers/{id}"): "/api/v1/offers/{offer}",
    ("get", "/api/v1/services"): "/api/v1/services",
    ("get", "/api/v1/services/{id}"): "/api/v1/services/{service}",
    ("get", "/api/v1/organisations"): "/api/v1/organisations?per_page=5",
    ("post", "/api/v1/organisations"): "/api/v1/organisations",
    ("get", "/api/v1/organisations/{id}"): "/api/v1/organisations/{org}",
    ("patch", "/api/v1/organisations/{id}"): "/api/v1/organisations/{org}",
    ("get", "/api/v1/clusters"): "/api/v1/clusters",
    ("get", "/api/v1/clusters/{idOrAcronym}"): "/api/v1/clusters/KLPS",
    ("get", "/api/v1/regions"): "/api/v1/regions",
    ("get", "/api/v1/pkd"): "/api/v1/pkd?level=division",
    ("get", "/api/v1/stats"): "/api/v1/stats",
    ("get", "/api/v1/openapi.json"): "/api/v1/openapi.json",
    ("get", "/api/v1/datasets"): "/api/v1/datasets",
    ("get", "/api/v1/datasets/{name}"): "/api/v1/datasets/eurostat-sbs-2015",
    ("put", "/api/v1/datasets/{name}"): "/api/v1/datasets/api-put?title=Z%C5%82o%C5%BCony+przez+API&sum=1",
    ("delete", "/api/v1/datasets/{name}"): "/api/v1/datasets/api-delete",
    ("get", "/api/v1/cluster-map"): "/api/v1/cluster-map?dataset=eurostat-sbs-2015&industry=C31",
    ("get", "/api/v1/cluster-map/region"): "/api/v1/cluster-map/region?dataset=eurostat-sbs-2015&region=PL12",
    ("get", "/api/v1/cluster-map/relatedness"): "/api/v1/cluster-map/relatedness?dataset=eurostat-sbs-2015&base=groups",
    ("get", "/api/v1/cluster-map/trend"): "/api/v1/cluster-map/trend?dataset=eurostat-sbs-2015&region=PL12&industry=C31",
    ("get", "/api/v1/cluster-map.csv"): "/api/v1/cluster-map.csv?dataset=eurostat-sbs-2015&industry=C31",
    ("get", "/api/v1/cluster-map.xlsx"): "/api/v1/cluster-map.xlsx?dataset=eurostat-sbs-2015&industry=C31",
    ("get", "/api/v1/firm-datasets"): "/api/v1/firm-datasets",
    ("put", "/api/v1/firm-datasets/{name}"): "/api/v1/firm-datasets/api-put-firms?title=Firmy+przez+API&values=employment",
    ("delete", "/api/v1/firm-datasets/{name}"): "/api/v1/firm-datasets/api-delete-firms",
    ("get", "/api/v1/firm-clusters"): "/api/v1/firm-clusters?dataset=eu-ets-pl",
    ("get", "/api/v1/firm-hotspots"): "/api/v1/firm-hotspots?dataset=eu-ets-pl",
}

# The parameters whose value the example above must keep (a bad value of
# another parameter is added to the example's query).
FILL = {}


# ---------------------------------------------------------------- a JSON Schema subset (OpenAPI 3.0)

class Schemas:
    def __init__(self, doc):
        self.doc = doc

    def resolve(self, s):
        while isinstance(s, dict) and "$ref" in s:
            ref = s["$ref"]
            if not ref.startswith("#/"):
                raise ValueError("external $ref %s" % ref)
            node = self.doc
            for part in ref[2:].split("/"):
                node = node[part]
            s = node
        return s

    def errors(self, value, schema, where="$"):
        """The ways value breaks schema (empty: valid)."""
        s = self.resolve(schema)
        out = []
        if "allOf" in s:
            for sub in s["allOf"]:
                out += self.errors(value, sub, where)
            # allOf parts name the fields together: additionalProperties of one part is not
            # checked alone
            return out
        if value is None:
            if not s.get("nullable") and s.get("type") is not None:
                out.append("%s: null, the schema does not allow it" % where)
            return out
        t = s.get("type")
        kinds = {"object": dict, "array": list, "string": str, "boolean": bool}
        if t in kinds and not isinstance(value, kinds[t]):
            return ["%s: %s, not a %s" % (where, type(value).__name__, t)]
        if t == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
            return ["%s: %r is not an integer" % (where, value)]
        if t == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return ["%s: %r is not a number" % (where, value)]
        if "enum" in s and value not in s["enum"]:
            out.append("%s: %r is not one of %r" % (where, value, s["enum"]))
        if t == "object" or (t is None and isinstance(value, dict) and "properties" in s):
            props = s.get("properties", {})
            for k in s.get("required", []):
                if k not in value:
                    out.append("%s: the required field %r is missing" % (where, k))
            for k, v in value.items():
                if k in props:
                    out += self.errors(v, props[k], "%s.%s" % (where, k))
                elif s.get("additionalProperties") is False:
                    out.append("%s: the field %r is not in the schema" % (where, k))
        if t == "array" and "items" in s:
            for i, v in enumerate(value[:50]):
                out += self.errors(v, s["items"], "%s[%d]" % (where, i))
        return out


def error_shaped(js, status):
    return (isinstance(js, dict) and list(js) == ["error"] and isinstance(js["error"], dict)
            and sorted(js["error"]) == ["message", "status"] and js["error"]["status"] == status
            and isinstance(js["error"]["message"], str) and js["error"]["message"] != "")


def ctype_of(h):
    return h.get("content-type", "").split(";")[0].strip()


def body_json(data):
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        return None


# ---------------------------------------------------------------- data

def prepare(db):
    """Data every documented route can answer from: firm points, an approved offer and service
    (and a pending one of each, which no route may show), a token."""
    r = cli(db, "import", "firms", EUTL, "--dataset", "eu-ets-pl", "--title", "EU ETS")
    ok(r.returncode == 0, "firm points imported", r.stderr)
    r = cli(db, "import", "stats", "data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv", "--skip-invalid",
            "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
            "--dataset", "eurostat-sbs-2015", "--region-kind", "nuts2013", "--title", "Eurostat SBS 2015")
    ok(r.returncode == 0, "a statistics dataset imported", r.stderr)
    r = cli(db, "import", "stats", "data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv", "--skip-invalid",
            "--region-prefix", "PL", "--region-length", "4", "--industry-length", "3",
            "--dataset", "api-delete", "--region-kind", "nuts2013")
    ok(r.returncode == 0, "a dataset for the example of DELETE imported", r.stderr)
    r = cli(db, "import", "firms", EUTL, "--dataset", "api-delete-firms")
    ok(r.returncode == 0, "a firm list for the example of DELETE imported", r.stderr)
    r = cli(db, "user", "add", "admin@api.example", "--role", "admin", env={"KLASTER_PASSWORD": PASSWORD})
    ok(r.returncode == 0, "an administrator", r.stderr)
    token = cli(db, "user", "token", "admin@api.example").stdout.strip()
    d = ktdb.Db(db)
    try:
        org = d.one("SELECT MIN(id) FROM organisation WHERE type = 'research'")
        for status in ("approved", "pending"):
            d.run("INSERT INTO offer (org_id, kind, title, description, valid_from, valid_until, contact_name,"
                  " contact_email, contact_phone, status, search_text, sort_key, created_at, updated_at)"
                  " VALUES (?, 'supply', ?, 'opis', '2020-01-01', '2099-12-31', 'Jan', 'jan.private@api.example',"
                  " '+48 500 600 700', ?, ?, ?, 1, 1)",
                  (org, "Oferta %s" % status, status, "oferta " + status, "oferta " + status))
            d.run("INSERT INTO service (org_id, category, title, description, price_model, contact_name,"
                  " contact_email, contact_phone, status, search_text, sort_key, created_at, updated_at)"
                  " VALUES (?, 'consulting', ?, 'opis', 'free', 'Jan', 'jan.private@api.example',"
                  " '+48 500 600 700', ?, ?, ?, 1, 1)",
                  (org, "Usługa %s" % status, status, "usluga " + status, "usluga " + status))
        FILL["offer"] = d.one("SELECT id FROM offer WHERE status = 'approved'")
        FILL["offer_pending"] = d.one("SELECT id FROM offer WHERE status = 'pending'")
        FILL["service"] = d.one("SELECT id FROM service WHERE status = 'approved'")
        FILL["service_pending"] = d.one("SELECT id FROM service WHERE status = 'pending'")
        FILL["org"] = org
    finally:
        d.close()
    return token


# ---------------------------------------------------------------- checks

def fill(path):
    return re.sub(r"\{(\w+)\}", lambda m: str(FILL[m.group(1)]), path)


def routes_documented(doc):
    r = cli(None, "routes")
    served = set()
    for line in r.stdout.splitlines():
        method, pattern, _ = line.split("\t")
        if pattern.startswith("/api/"):
            served.add((method.lower(), re.sub(r"/\*$", "/{}", pattern)))
    documented = set()
    for path, ops in doc["paths"].items():
        for method in ops:
            if method in ("get", "post", "patch", "put", "delete"):
                documented.add((method, re.sub(r"/\{\w+\}$", "/{}", path)))
    ok(r.returncode == 0 and served, "klaster routes lists the API's routes", r.stderr)
    ok(served - documented == set(), "every API route is in the OpenAPI document", sorted(served - documented))
    ok(documented - served == set(), "every path of the OpenAPI document is a route", sorted(documented - served))
    ok(set(EXAMPLES) == {(m, p) for p, ops in doc["paths"].items() for m in ops if m != "parameters"},
       "every documented operation has an example request in this test",
       sorted({(m, p) for p, ops in doc["paths"].items() for m in ops if m != "parameters"} ^ set(EXAMPLES)))


def check_answer(sch, op, method, path, st, h, data, want=None):
    """st is listed for op, in a listed content type, and the body is valid against its schema."""
    listed = op["responses"].get(str(st))
    ct = ctype_of(h)
    where = "%s %s" % (method.upper(), path)
    if not ok(listed is not None and (want is None or st == want),
              "%s: %d%s is a documented status" % (where, st, "" if want is None else " (want %d)" % want),
              (st, data[:300])):
        return None
    if st == 204:
        ok(data == b"" and "content" not in listed, "%s: 204 without a body, as documented" % where, data[:100])
        return None
    content = listed.get("content", {})
    if not ok(ct in content, "%s: its content type %s is the documented one" % (where, ct), list(content)):
        return None
    if ct != "application/json":
        ok(len(data) > 0, "%s: a body" % where)
        return None
    js = body_json(data)
    errs = sch.errors(js, content[ct]["schema"]) if js is not None else ["not JSON"]
    ok(not errs, "%s: the body is valid against the documented schema" % where, "\n".join(errs[:10]))
    if st >= 400:
        ok(error_shaped(js, st), "%s: the error has the Error shape with status %d" % (where, st), js)
    return js


def write_body(method, route):
    if method == "put" and route.startswith("/api/v1/firm-datasets/"):
        return b"id,name,industry,lat,lon,employment\n1,A,C,52.2,21.0,10\n2,B,C,52.3,21.1,\n3,C,F,50.1,19.9,4\n"
    if method == "put":
        return b"region,industry,employment\n02,C,5\n02,C,7\n04,C,3\n02,F,1\n04,F,9\n"
    if method == "post":
        return json.dumps({"name": "Instytut Kontraktów API", "type": "research", "city": "Kraków"}).encode()
    return json.dumps({"city": "Kraków"}).encode()


def test_examples(port, doc, sch, token):
    for (method, route), example in sorted(EXAMPLES.items()):
        op = doc["paths"][route][method]
        path = fill(example)
        hdrs = {}
        body = None
        if method in ("post", "patch", "put"):
            hdrs = {"Content-Type": "text/csv" if method == "put" else "application/json",
                    "Authorization": "Bearer " + token}
            body = write_body(method, route)
        elif method == "delete":
            hdrs = {"Authorization": "Bearer " + token}
        st, h, data = request(port, method.upper(), path, body=body, headers=hdrs)
        check_answer(sch, op, method, path, st, h, data, want=None)
        ok(st in (200, 201, 204), "%s %s: success" % (method.upper(), path), (st, data[:300]))
        if method != "get":
            continue
        hs, hh, hd = request(port, "HEAD", path)
        # the same length where the response is one representation (its ETag); a workbook says
        # when it was made
        ok(hs == st and hd == b"" and ctype_of(hh) == ctype_of(h) and
           (not h.get("etag") or (hh.get("content-length") == h.get("content-length") and
                                  hh.get("etag") == h.get("etag"))),
           "HEAD %s: as GET, without the body" % path,
           (hs, st, hd[:100], ctype_of(hh), ctype_of(h), hh.get("content-length"), h.get("content-length")))


def test_languages(port):
    """The JSON of every GET is one representation whatever the visitor's language (the API speaks
    English): the same body and ETag for a Polish and an English visitor, and no Vary.  The
    downloads (CSV, XLSX), whose words follow the visitor's language, keep Vary."""
    for (method, route), example in sorted(EXAMPLES.items()):
        if method != "get":
            continue
        path = fill(example)
        pl = request(port, "GET", path, headers={"Cookie": "lang=pl", "Accept-Language": "pl"})
        en = request(port, "GET", path, headers={"Cookie": "lang=en", "Accept-Language": "en"})
        if ctype_of(pl[1]) == "application/json":
            ok(pl[0] == en[0] == 200 and pl[2] == en[2] and pl[1].get("etag") and
               pl[1].get("etag") == en[1].get("etag") and "vary" not in pl[1] and "vary" not in en[1],
               "GET %s: one body and ETag in both languages, no Vary" % path,
               (pl[0], en[0], pl[1].get("etag"), en[1].get("etag"), pl[1].get("vary")))
            st, h, data = request(port, "GET", path, headers={"Accept-Language": "pl",
                                                              "If-None-Match": en[1].get("etag", "")})
            ok(st == 304 and data == b"", "GET %s: the English copy's ETag is current in Polish" % path, st)
        else:
            ok("Accept-Language" in pl[1].get("vary", "") and "Cookie" in en[1].get("vary", ""),
               "GET %s (%s, in the visitor's language): Vary: Cookie, Accept-Language" % (path, ctype_of(pl[1])),
               (pl[1].get("vary"), en[1].get("vary")))


# Parameters the checks below cannot send alone: they are read only together with another
# value, as their description says.
CONDITIONAL = set()


def bad_values(p, utf8):
    """Values outside a documented parameter's schema, each with why; with utf8, also a value
    that is not UTF-8 (where the operation's 400 promises to name it)."""
    s = p.get("schema", {})
    out = []
    if "enum" in s:
        out.append(("no-such-" + p["name"], "not in the enum"))
    if "pattern" in s and "enum" not in s:
        out.append(("x!", "not matching %s" % s["pattern"]))
    if s.get("type") == "integer":
        out.append(("abc", "not an integer"))
        if "minimum" in s:
            out.append((str(s["minimum"] - 1), "below the minimum"))
        if "maximum" in s:
            out.append((str(s["maximum"] + 1), "above the maximum"))
    if s.get("type") == "number":
        out.append(("abc", "not a number"))
        if "minimum" in s:
            out.append((str(s["minimum"] / 2 if s["minimum"] > 0 else s["minimum"] - 1), "below the minimum"))
        if "maximum" in s:
            out.append((str(s["maximum"] * 2 + 1), "above the maximum"))
    if s.get("type") == "string" and "maxLength" in s:
        out.append(("ż" * (s["maxLength"] + 1), "longer than %d characters" % s["maxLength"]))
    if utf8:
        out.append((b"\xc5", "not UTF-8"))
    return out


def test_parameters(port, doc, sch):
    """Every documented query parameter with a constraint exists and is checked: a value outside
    it is a documented 400 whose message names the parameter."""
    for (method, route), example in sorted(EXAMPLES.items()):
        if method != "get":
            continue
        op = doc["paths"][route][method]
        base = fill(example)
        parsed = urllib.parse.urlsplit(base)
        given = urllib.parse.parse_qs(parsed.query)
        utf8 = "UTF-8" in op["responses"].get("400", {}).get("description", "")
        for p in op.get("parameters", []):
            if p.get("in") != "query" or (route, p["name"]) in CONDITIONAL:
                continue
            for value, why in bad_values(p, utf8):
                args = {k: v[0] for k, v in given.items()}
                args[p["name"]] = value
                path = parsed.path + "?" + urllib.parse.urlencode(args)
                if isinstance(value, bytes):
                    value = repr(value)
                st, h, data = request(port, "GET", path)
                js = body_json(data)
                # a filter by what is not there may be documented as a 404 instead
                want = (400, 404) if "is 404" in p.get("description", "") else (400,)
                ok(st in want and op["responses"].get(str(st)) and error_shaped(js, st) and
                   p["name"] in js["error"]["message"],
                   "GET %s?%s=%s (%s): %s naming %s" % (parsed.path, p["name"], value[:12], why,
                                                       " or ".join(map(str, want)), p["name"]),
                   (st, data[:300]))


def test_unknown_parameters(port, doc, sch):
    """A query parameter an operation does not list is a documented 400 naming it and those the
    operation takes, in the document's order (a mistyped one is not dropped unseen)."""
    for (method, route), example in sorted(EXAMPLES.items()):
        if method != "get":
            continue
        op = doc["paths"][route][method]
        names = [p["name"] for p in op.get("parameters", []) + doc["paths"][route].get("parameters", [])
                 if p.get("in") == "query"]
        takes = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else (names[0] if names else "none")
        base = fill(example)
        path = base + ("&" if "?" in base else "?") + "zz_typo=1"
        st, h, data = request(port, "GET", path)
        js = body_json(data)
        ok(st == 400 and op["responses"].get("400") and error_shaped(js, 400) and
           js["error"]["message"] == "zz_typo: not a parameter of this request (it takes %s)" % takes,
           "GET %s: a parameter it does not take is a documented 400 naming it" % path, (st, data[:300]))


def test_not_found(port, doc, sch):
    for (method, route), example in sorted(EXAMPLES.items()):
        op = doc["paths"][route][method]
        if method != "get" or not any(p.get("in") == "path" for p in op.get("parameters", [])):
            continue
        for bad in ("999999999", "0", "abc", "%C5%BC%C3%B3%C5%82w"):
            path = re.sub(r"\{\w+\}", bad, route)
            st, h, data = request(port, "GET", path)
            ok(st == 404 and "404" in op["responses"] and ctype_of(h) == "application/json" and
               error_shaped(body_json(data), 404), "GET %s: a documented 404 with the Error shape" % path,
               (st, data[:200]))


def test_writes_need_a_token(port, doc):
    for (method, route), example in sorted(EXAMPLES.items()):
        if method == "get":
            continue
        op = doc["paths"][route][method]
        path = fill(example)
        for auth in (None, "Bearer " + "0" * 64, "Basic YWRtaW46YWRtaW4="):
            hdrs = {"Content-Type": "application/json"}
            if auth:
                hdrs["Authorization"] = auth
            st, h, data = request(port, method.upper(), path, body=b'{"city":"X"}', headers=hdrs)
            ok(st == 401 and "401" in op["responses"] and h.get("www-authenticate", "").startswith("Bearer")
               and error_shaped(body_json(data), 401) and op.get("security"),
               "%s %s with %s: 401, documented, with WWW-Authenticate" % (method.upper(), path,
                                                                         auth.split()[0] if auth else "no token"),
               (st, h.get("www-authenticate"), data[:200]))


def test_no_private_data(port):
    """What the API shows a visitor: published entries only, no contact's address or phone."""
    for kind in ("offers", "services"):
        st, h, data = request(port, "GET", "/api/v1/%s?per_page=100" % kind)
        text = data.decode("utf-8", "replace")
        ok(st == 200 and "approved" in text.lower() and "pending" not in text.lower()
           and "jan.private@" not in text and "500 600 700" not in text,
           "/api/v1/%s: the approved entry, not the pending one, and no private contact" % kind, text[:300])
        pending = FILL["%s_pending" % kind[:-1]]
        st, h, data = request(port, "GET", "/api/v1/%s/%s" % (kind, pending))
        ok(st == 404 and error_shaped(body_json(data), 404), "/api/v1/%s/ID of a pending entry: 404" % kind,
           (st, data[:200]))
        st, h, data = request(port, "GET", "/api/v1/%s/%s" % (kind, FILL[kind[:-1]]))
        text = data.decode("utf-8", "replace")
        ok(st == 200 and "jan.private@" not in text and "500 600 700" not in text,
           "/api/v1/%s/ID: no private contact" % kind, text[:300])


def test_directory_answers(port, token, db):
    """The directory's routes: a parameter that is not UTF-8, a filter naming nothing, an id that
    is not one, a body that is not JSON are each refused with a message naming what to change."""
    for path, name in (("/api/v1/organisations?q=%C5", "q"), ("/api/v1/organisations?q=%FF%FE", "q"),
                       ("/api/v1/organisations?q=%C5%81%C3%B3d%C5%BA%20%B3", "q"),
                       ("/api/v1/organisations?type=%FF", "type"), ("/api/v1/clusters?q=%E0", "q"),
                       ("/api/v1/regions?level=%FF", "level"), ("/api/v1/pkd?parent=%C5", "parent")):
        st, h, data = request(port, "GET", path)
        js = body_json(data)
        ok(st == 400 and error_shaped(js, 400) and js["error"]["message"].startswith(name + ": ")
           and "UTF-8" in js["error"]["message"], "GET %s: 400, %s is not UTF-8" % (path, name), (st, data[:200]))
    # a control character (a tab, an escape) is refused the same way as the cluster map refuses it
    for path, name in (("/api/v1/organisations?q=a%09b", "q"), ("/api/v1/clusters?q=%1B%5B31m", "q")):
        st, h, data = request(port, "GET", path)
        js = body_json(data)
        ok(st == 400 and error_shaped(js, 400) and js["error"]["message"].startswith(name + ": ")
           and "control character" in js["error"]["message"], "GET %s: 400, %s holds a control character"
           % (path, name), (st, data[:200]))
    # Polish letters percent-encoded as UTF-8 still find what they name
    st, h, data = request(port, "GET", "/api/v1/organisations?per_page=500&q=" + urllib.parse.quote("łódź"))
    js = body_json(data)
    ok(st == 200 and js and js["total"] > 0 and all("ód" in json.dumps(o, ensure_ascii=False).lower() or
                                                    "od" in json.dumps(o).lower() for o in js["items"]),
       "GET /api/v1/organisations?q=łódź: the organisations of Łódź", (st, data[:200]))
    # a parent code the edition does not have is named, not an empty list
    for path in ("/api/v1/pkd?parent=99.99", "/api/v1/pkd?version=2025&parent=62.01.Z.9"):
        st, h, data = request(port, "GET", path)
        js = body_json(data)
        ok(st == 400 and error_shaped(js, 400) and js["error"]["message"].startswith("parent: PKD "),
           "GET %s: 400 naming parent" % path, (st, data[:200]))
    st, h, data = request(port, "GET", "/api/v1/pkd?parent=62")
    js = body_json(data)
    ok(st == 200 and js and [x["code"] for x in js["items"]] == ["62.0"], "GET /api/v1/pkd?parent=62: its group",
       (st, data[:200]))
    # empty is absent, as in the organisations' search
    for path, want in (("/api/v1/regions?level=", 396), ("/api/v1/pkd?version=&level=section", 21),
                       ("/api/v1/pkd?level=&parent=A", 3)):
        st, h, data = request(port, "GET", path)
        js = body_json(data)
        ok(st == 200 and js and js["total"] == want, "GET %s: empty is no filter (%d)" % (path, want),
           (st, js and js.get("total"), data[:200]))
    for path, name in (("/api/v1/regions?level=gmina", "level"), ("/api/v1/pkd?version=2020", "version"),
                       ("/api/v1/pkd?level=subsection", "level")):
        st, h, data = request(port, "GET", path)
        js = body_json(data)
        value = path.split("=")[-1]
        ok(st == 400 and error_shaped(js, 400) and js["error"]["message"].startswith("%s: '%s' is not one of" % (name, value)),
           "GET %s: 400 naming %s and its value" % (path, name), (st, data[:200]))
    # an id that is not one is a 404 saying what an id is
    for arg in ("abc", "%C5%BC", "-1", "0"):
        st, h, data = request(port, "GET", "/api/v1/organisations/" + arg)
        js = body_json(data)
        ok(st == 404 and error_shaped(js, 404) and "whole number" in js["error"]["message"],
           "GET /api/v1/organisations/%s: 404 saying an id is a whole number" % arg, (st, data[:200]))
    # a body that does not say it is JSON: 415, nothing written
    d = ktdb.Db(db)
    try:
        before = d.one("SELECT COUNT(*) FROM organisation")
        city = d.one("SELECT city FROM organisation WHERE id = ?", (FILL["org"],))
        body = json.dumps({"name": "Fundacja Formularza", "type": "ngo", "city": "Zakopane"}).encode()
        for method, path in (("POST", "/api/v1/organisations"), ("PATCH", "/api/v1/organisations/%s" % FILL["org"])):
            for ctype in ("text/plain", "application/x-www-form-urlencoded", None, "application/jsonx"):
                hdrs = {"Authorization": "Bearer " + token}
                if ctype:
                    hdrs["Content-Type"] = ctype
                st, h, data = request(port, method, path, body=body, headers=hdrs)
                js = body_json(data)
                ok(st == 415 and error_shaped(js, 415) and "application/json" in js["error"]["message"]
                   and js["error"]["message"].startswith("Content-Type: "),
                   "%s %s as %s: 415 naming application/json" % (method, path, ctype), (st, data[:200]))
        ok(d.one("SELECT COUNT(*) FROM organisation") == before and
           d.one("SELECT city FROM organisation WHERE id = ?", (FILL["org"],)) == city, "  nothing written")
        st, h, data = request(port, "PATCH", "/api/v1/organisations/%s" % FILL["org"], body=json.dumps({"city": city}).encode(),
                              headers={"Authorization": "Bearer " + token,
                                       "Content-Type": "application/json; charset=utf-8"})
        ok(st == 200, "PATCH with application/json; charset=utf-8: 200", (st, data[:200]))
    finally:
        d.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    args = ap.parse_args()
    db = kt.database(args.backend, "openapi")
    server = None
    try:
        with open(os.path.join(kt.ROOT, "static", "openapi.json"), encoding="utf-8") as f:
            shipped = json.load(f)
        token = prepare(db)   # before the server starts: no cached list predates the rows
        server = kt.Server(db, "openapi")
        st, h, data = request(server.port, "GET", "/api/v1/openapi.json")
        doc = body_json(data)
        ok(st == 200 and doc == shipped, "the server serves static/openapi.json", st)
        doc = doc or shipped
        sch = Schemas(doc)
        kt.section(routes_documented, doc)
        kt.section(test_examples, server.port, doc, sch, token)
        kt.section(test_languages, server.port)
        kt.section(test_parameters, server.port, doc, sch)
        kt.section(test_unknown_parameters, server.port, doc, sch)
        kt.section(test_not_found, server.port, doc, sch)
        kt.section(test_writes_need_a_token, server.port, doc)
        kt.section(test_no_private_data, server.port)
        kt.section(test_directory_answers, server.port, token, db)
    finally:
        if server:
            server.clean_exit()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
