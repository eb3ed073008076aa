#!/usr/bin/env python3
""""Add company" with its moderation queue, and requests to join a cluster.

    python3 tests/http/test_moderation.py --backend sqlite|postgres

A visitor proposes organisations (bad NIP, honeypot, rate limit), an
administrator and the coordinators approve or reject them (duplicate NIP,
coordinator limits), an organisation's editor asks to join clusters and the
coordinators accept or decline; every decision is mailed through a real SMTP
server (kt.SmtpSink) and written to the audit log.  TAP output.
"""
import argparse
import html
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402
import ktdb  # noqa: E402
from kt import ok, eq, diag, section  # noqa: E402

PASSWORD = "correct horse battery staple"


def make_nip(seed):
    """A valid NIP from a seed (weights 6 5 7 2 3 4 5 6 7; remainder 10 skipped)."""
    w = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        d = "%09d" % (seed % 1000000000)
        d = ("1" + d[1:]) if d[0] == "0" else d
        s = sum(int(c) * k for c, k in zip(d, w)) % 11
        if s != 10:
            return d + str(s)
        seed += 1


class T:
    pass


def api(port, path):
    st, _, body = kt.request(port, "GET", path)
    return st, (json.loads(body) if st == 200 else None)


def search_total(port, q):
    st, js = api(port, "/api/v1/organisations?q=" + urllib.parse.quote(q))
    return js["total"] if js else -1


def proposal_id(page, name):
    """The id of the pending proposal called name on /admin/companies, or None."""
    for chunk in page.split('<article class="proposal"')[1:]:
        m = re.match(r'\s*id="proposal-(\d+)"><h3>([^<]*)', chunk)
        if m and html.unescape(m.group(2)).strip() == name:
            return m.group(1)
    return None


def request_ids(page):
    return re.findall(r'<article class="request" id="request-(\d+)"', page)


def decide(client, action, item_id, fields=None):
    """Posts the form of /admin/companies that decides item_id with action."""
    client.get("/admin/companies")
    for f in client.forms():
        if f["action"] == action and f["fields"].get("id") == str(item_id):
            data = dict(f["fields"])
            data.update(fields or {})
            return client.post(action, data)
    # no form for it on this user's page: post with this user's CSRF token
    token = client.csrf("/organisations/new")
    data = {"csrf": token, "id": str(item_id)}
    data.update(fields or {})
    return client.post(action, data)


def company(name, nip, **extra):
    f = {"name": name, "type": "enterprise", "size_class": "small", "nip": nip, "pkd": "62.01.Z",
         "postal_code": "30-001", "city": "Kraków", "teryt": "1261", "description_pl": "Firma testowa."}
    f.update(extra)
    return f


def propose(client, fields):
    return client.submit("/organisations/new", "/organisations/new", fields)


# ---------------------------------------------------------------- sections

def visitor_proposes(t):
    v = t.visitor
    st, _, page = v.get("/organisations/new")
    eq(st, 200, "GET /organisations/new shows the form to a visitor")
    f = v.form("/organisations/new")
    ok(f is not None and "csrf" in f["fields"] and "proposer_email" in f["fields"],
       "the form has the CSRF token and asks a visitor for an e-mail address")

    bad = company("Zakład Testowy Alfa", "1234567890", proposer_email="alfa@example.com")
    st, _, page = propose(v, bad)
    eq(st, 400, "a proposal with an invalid NIP is 400")
    ok(re.search(r'role="alert"><a href="#f-nip">NIP \(tax number\)</a>: &#39;1234567890&#39;: is not a valid NIP', page)
       and re.search(r'<input id="f-nip"[^>]*aria-invalid="true"', page),
       "the message names the field nip by its label, linked to it, and the field is marked",
       kt.text_of(page)[:600])
    f = v.form("/organisations/new", page)
    ok(f and f["fields"].get("name") == "Zakład Testowy Alfa" and f["fields"].get("nip") == "1234567890"
       and f["fields"].get("proposer_email") == "alfa@example.com" and f["fields"].get("size_class") == "small"
       and f["fields"].get("description_pl") == "Firma testowa.",
       "the form keeps the values typed", f and f["fields"])

    st, _, page = propose(v, company("Zakład Testowy Alfa", t.nip_alfa))
    eq(st, 400, "a visitor's proposal without an e-mail address is 400")
    ok('<a href="#f-proposer_email">Your e-mail address</a>:' in page, "the message names proposer_email")

    st, _, page = propose(v, company("Zakład Testowy Alfa", t.nip_alfa, size_class="", proposer_email="alfa@example.com"))
    ok(st == 400 and '<a href="#f-size_class">Size (enterprises only)</a>: required for an enterprise' in page
       and re.search(r'<select id="f-size_class"[^>]*aria-invalid="true"', page),
       "an enterprise without a size class: 400 naming size_class, the select marked")

    st, _, page = propose(v, company("Zakład Testowy Alfa", t.nip_alfa, pkd="04.11.Z", proposer_email="alfa@example.com"))
    ok(st == 400 and '<a href="#f-pkd">PKD codes' in page, "an unknown PKD division: 400 naming pkd")
    st, _, page = propose(v, company("Zakład Testowy Alfa", t.nip_alfa, pkd="62.01.Y", proposer_email="alfa@example.com"))
    ok(st == 400 and "62.01.Y is not a subclass of PKD 2007; class 62.01 has 62.01.Z" in kt.text_of(page),
       "an unknown PKD subclass in a known class: 400 naming the class's subclasses", kt.text_of(page)[:300])

    # every problem at once, each field by its label, in the page's language
    st, _, page = propose(v, company("Zakład Testowy Alfa", "1234567890", size_class="", postal_code="123",
                                     proposer_email="alfa@example.com"))
    items = re.findall(r'<li><a href="#f-([a-z_]+)">', page)
    ok(st == 400 and items == ["nip", "postal_code", "size_class"] and "Please correct the fields marked:" in page
       and len(re.findall(r'aria-invalid="true"', page)) == 3,
       "three bad fields: one list of the three, each field marked", (st, items))
    f = v.form("/organisations/new", v.get("/organisations/new")[2])
    data = dict(f["fields"])
    data.update(company("Zakład Testowy Alfa", "1234567890", size_class="", postal_code="123",
                        proposer_email="alfa@example.com"))
    st, _, page = v.post("/organisations/new?lang=pl", data)
    ok(st == 400 and "Popraw zaznaczone pola:" in page and '<a href="#f-postal_code">Kod pocztowy</a>: musi być '
       'polskim kodem pocztowym' in page, "the same in Polish: the Polish labels and messages", kt.text_of(page)[:500])
    ok("&#39;1234567890&#39;: to nie jest poprawny NIP" in page, "  the NIP's message names the value given, in Polish",
       kt.text_of(page)[:500])
    data["nip"] = "<b>12'3"
    st, _, page = v.post("/organisations/new?lang=pl", data)
    ok(st == 400 and "&#39;&lt;b&gt;12\\&#39;3&#39;: może zawierać tylko cyfry" in page and "<b>12" not in page,
       "  a NIP holding markup is named escaped", kt.text_of(page)[:500])
    st, _, page = propose(v, company("Zakład Testowy Alfa", t.demo_nip, proposer_email="alfa@example.com"))
    ok(st == 409 and '<a href="#f-nip">NIP (tax number)</a>: an organisation' in page
       and "already in the directory" in kt.text_of(page),
       "the NIP of an organisation already in the directory: 409 naming nip", (st, kt.text_of(page)[:400]))

    # the search as a visitor, before: the page is kept in the response cache
    kt.request(t.port, "GET", "/organisations?q=" + urllib.parse.quote("Zakład Testowy Alfa"))
    st, _, page = kt.request(t.port, "GET", "/organisations?q=" + urllib.parse.quote("Zakład Testowy Alfa"))
    ok(st == 200 and ">Zakład Testowy Alfa</a>" not in page.decode(), "visitor's search does not find it yet")

    st, h, _ = propose(v, company("Zakład Testowy Alfa", t.nip_alfa, proposer_email="Alfa@Example.com"))
    ok(st == 303 and h.get("location") == "/organisations/new?done=1", "a valid proposal is accepted (303)", (st, h))
    st, _, page = v.get("/organisations/new?done=1")
    ok("waits for a moderator" in page, "the visitor is told it waits for a moderator")
    eq(search_total(t.port, "Zakład Testowy Alfa"), 0, "a pending proposal is not in the directory's search")
    eq(search_total(t.port, t.nip_alfa), 0, "nor found by its NIP")

    # the honeypot: a bot's proposal is answered the same and stored nowhere
    st, h, _ = propose(v, company("Spam Bot Omega", make_nip(7001), proposer_email="bot@example.com", fax="buy now"))
    ok(st == 303 and h.get("location") == "/organisations/new?done=1", "a filled honeypot gets the same answer")


def admin_approves(t):
    a = t.admin
    st, _, page = a.get("/admin/companies")
    eq(st, 200, "the administrator sees /admin/companies")
    t.p_alfa = proposal_id(page, "Zakład Testowy Alfa")
    ok(t.p_alfa is not None, "the pending proposal is listed")
    ok("alfa@example.com" in page, "with the proposer's address (normalised)")
    ok(proposal_id(page, "Spam Bot Omega") is None, "the honeypot proposal was not stored")
    st, h, _ = decide(a, "/admin/companies/approve", t.p_alfa)
    ok(st == 303 and h.get("location") == "/admin/companies?done=approved", "the administrator approves (303)", (st, h))
    eq(search_total(t.port, "Zakład Testowy Alfa"), 1, "the approved organisation is found by the directory search")
    st, js = api(t.port, "/api/v1/organisations?q=" + t.nip_alfa)
    org = js["items"][0] if js and js["items"] else {}
    ok(org.get("name") == "Zakład Testowy Alfa" and org.get("size_class") == "small" and org.get("city") == "Kraków",
       "with the proposed fields", org)
    t.org_alfa = org.get("id")
    st, _, page = kt.request(t.port, "GET", "/organisations?q=" + urllib.parse.quote("Zakład Testowy Alfa"))
    ok(st == 200 and ">Zakład Testowy Alfa</a>" in page.decode(), "the visitor's cached search shows it at once")
    msgs = t.sink.wait("alfa@example.com", 1)
    ok(len(msgs) == 1, "the proposer is e-mailed", len(msgs))
    link = kt.link_in(msgs[0], "/organisations/%s" % t.org_alfa) if msgs else None
    ok(msgs and ("/organisations/%s" % t.org_alfa) in kt.body_of(msgs[0]), "the e-mail links to the organisation",
       msgs and kt.body_of(msgs[0]))
    del link
    st, _, page = a.get("/admin/companies")
    ok(proposal_id(page, "Zakład Testowy Alfa") is None, "an approved proposal leaves the queue")
    st, _, page = decide(a, "/admin/companies/approve", t.p_alfa)
    ok(st == 409 and "already decided" in kt.text_of(page), "approving it again is 409", (st, kt.text_of(page)[:300]))


def admin_rejects(t):
    st, _, _ = propose(t.visitor, company("Zakład Testowy Beta", t.nip_beta, proposer_email="beta@example.com"))
    eq(st, 303, "a second proposal")
    st, _, page = t.admin.get("/admin/companies")
    pid = proposal_id(page, "Zakład Testowy Beta")
    st, _, page = decide(t.admin, "/admin/companies/reject", pid, {"reason": "  "})
    ok(st == 400 and '<a href="#f-reason">Reason</a>: required' in page,
       "rejecting without a reason is 400 naming reason by its label, linked", kt.text_of(page)[:300])
    ok(len(re.findall(r'id="f-reason"', page)) == 1
       and re.search(r'<textarea id="f-reason" name="reason"[^>]*aria-invalid="true"', page)
       and 'id="f-reason"' in page.split('id="proposal-%s"' % pid, 1)[-1].split("</article>", 1)[0],
       "  the link leads to the reason field of that proposal, marked")
    st, h, _ = decide(t.admin, "/admin/companies/reject", pid, {"reason": "Brak danych o działalności w regionie."})
    ok(st == 303 and h.get("location") == "/admin/companies?done=rejected", "the administrator rejects with a reason")
    msgs = t.sink.wait("beta@example.com", 1)
    ok(len(msgs) == 1 and "Brak danych o działalności w regionie." in kt.body_of(msgs[0]),
       "the proposer is e-mailed the reason", msgs and kt.body_of(msgs[0]))
    eq(search_total(t.port, t.nip_beta), 0, "a rejected proposal is not in the directory")
    st, _, page = decide(t.admin, "/admin/companies/approve", pid)
    eq(st, 409, "a rejected proposal cannot be approved (409)")


def proposer_editor(t):
    """A plain account that proposes a company becomes its editor when approved (the box, ticked by
    default); an account that has a role keeps it; unticked, nobody's role changes."""
    p = kt.Client(t.port)
    p.login("proposer@example.com", PASSWORD)
    nip1, nip2, nip3 = make_nip(5550701), make_nip(5550801), make_nip(5550901)
    st, _, _ = propose(p, company("Zakład Testowy Redakcja", nip1))
    eq(st, 303, "a logged-in plain user proposes a company")
    st, _, page = t.admin.get("/admin/companies")
    pid = proposal_id(page, "Zakład Testowy Redakcja")
    box = re.search(r'<input type="checkbox" id="editor-p%s" name="editor" value="1" checked>' % pid, page or "")
    ok(pid and box and "proposer@example.com" in page, "its approval form offers to make the proposer its editor, ticked")
    st, h, _ = decide(t.admin, "/admin/companies/approve", pid)
    _, js = api(t.port, "/api/v1/organisations?q=" + nip1)
    oid = js["items"][0]["id"] if js and js["items"] else None
    ok(st == 303 and oid and "done=approved-editor" in h.get("location", "")
       and "the proposer&#39;s account is now its editor" in t.admin.get(h["location"])[2],
       "approved with the box ticked, the notice saying the proposer became its editor", (st, h.get("location")))
    st, _, _ = p.get("/organisations/%s/edit" % oid)
    eq(st, 200, "the proposer now edits the organisation's profile")
    msgs = t.sink.wait("proposer@example.com", 1)
    ok(msgs and "/organisations/%s/edit" % oid in kt.body_of(msgs[-1]), "the approval mail says so, with the link",
       msgs and kt.body_of(msgs[-1]))
    audit = kt.text_of(t.admin.get("/admin/audit?action=user-role")[2])
    ok("editor of organisation #%s, which the account proposed" % oid in audit, "the role change is audited")
    # now an editor: a second company of theirs is approved, their organisation stays the first
    st, _, _ = propose(p, company("Zakład Testowy Drugi", nip2))
    page = t.admin.get("/admin/companies")[2]
    pid2 = proposal_id(page, "Zakład Testowy Drugi")
    ok(pid2 and 'id="editor-p%s"' % pid2 not in page, "  an account that has a role is offered no box", pid2)
    st, _, _ = decide(t.admin, "/admin/companies/approve", pid2)
    st, _, _ = p.get("/organisations/%s/edit" % oid)
    eq(st, 200, "an editor's second approved proposal leaves the account the first organisation's editor")
    # another plain account, the box left unticked: nothing changes
    st, _, _ = propose(t.user, company("Zakład Testowy Bez Redaktora", nip3))
    pid3 = proposal_id(t.admin.get("/admin/companies")[2], "Zakład Testowy Bez Redaktora")
    t.admin.get("/admin/companies")
    form = next((f for f in t.admin.forms() if f["action"] == "/admin/companies/approve" and f["fields"].get("id") == pid3), None)
    data = dict(form["fields"]) if form else {}
    data.pop("editor", None)   # the box unticked: a browser sends nothing for it
    st, _, _ = t.admin.post("/admin/companies/approve", data)
    _, js = api(t.port, "/api/v1/organisations?q=" + nip3)
    oid3 = js["items"][0]["id"] if js and js["items"] else None
    st, _, _ = t.user.get("/organisations/%s/edit" % oid3)
    eq(st, 403, "approved with the box unticked: the proposer stays a plain user")


def own_proposals(t):
    """A proposer with an account sees their proposals with the state and the reason, changes one
    while it waits (the moderator sees the change; a decision taken on the page as it was before
    is refused), withdraws one, and cannot touch another's or a decided one."""
    o = kt.Client(t.port)
    o.login("owner@example.com", PASSWORD)
    nip_a, nip_b, nip_c = make_nip(5551001), make_nip(5551101), make_nip(5551201)
    name_a, name_b, name_c = "Własna Spółka Alfa", "Własna Spółka Beta", "Własna Spółka Gamma"
    propose(o, company(name_a, nip_a, cluster=str(t.cl_a)))
    propose(o, company(name_b, nip_b))
    page = t.admin.get("/admin/companies")[2]
    pa, pb = proposal_id(page, name_a), proposal_id(page, name_b)
    ok(pa and pb, "two proposals of an account wait", (pa, pb))
    st, _, mine = o.get("/organisations/new")
    mine = mine[mine.find('<section id="proposals">'):]
    ok(st == 200 and name_a in mine and name_b in mine and mine.count("<strong>awaiting a moderator</strong>") == 2
       and 'href="/organisations/new?edit=%s"' % pa in mine
       and o.form("/organisations/proposals/withdraw", mine) is not None,
       "the Add company page lists them under the form, awaiting a moderator, to change or withdraw",
       kt.text_of(mine)[:500])
    st, h, _ = t.visitor.get("/organisations/new?edit=%s" % pa)
    ok(st == 303 and "/login" in h.get("location", ""), "a visitor opening a change form is sent to log in", st)
    st, _, mine_other = t.user.get("/organisations/new")
    ok(st == 200 and name_a not in mine_other, "another account does not see them")
    st, _, _ = t.user.get("/organisations/new?edit=%s" % pa)
    eq(st, 403, "another account cannot open the change form (403)")
    token = t.user.csrf("/organisations/new")
    st, _, _ = t.user.post("/organisations/proposals/edit", dict(company("Przejęta", nip_a), id=pa, csrf=token))
    eq(st, 403, "  nor save it")
    st, _, _ = t.user.post("/organisations/proposals/withdraw", {"id": pa, "csrf": token, "confirm": "1"})
    eq(st, 403, "  nor withdraw it")
    st, _, _ = o.get("/organisations/new?edit=999999")
    eq(st, 404, "a proposal there is not: 404")
    st, _, _ = o.post("/organisations/proposals/withdraw", {"id": pa, "confirm": "1"})
    eq(st, 403, "withdrawing without the CSRF token is refused")
    # the coordinator opens the queue; meanwhile the proposer changes the proposal
    t.coord_a.get("/admin/companies")
    stale = next((f["fields"] for f in t.coord_a.forms()
                  if f["action"] == "/admin/companies/approve" and f["fields"].get("id") == pa), None)
    ok(stale and stale.get("seen"), "the decision forms carry the proposal's version (seen)", stale)
    edit = "/organisations/new?edit=%s" % pa
    st, _, text = o.get(edit)
    f = o.form("/organisations/proposals/edit", text)
    ok(st == 200 and f and f["fields"].get("name") == name_a and f["fields"].get("nip") == nip_a
       and f["fields"].get("cluster") == str(t.cl_a), "the change form shows the proposal's values", f and f["fields"])
    st, _, text = o.submit(edit, "/organisations/proposals/edit", {"nip": "1234567890"})
    ok(st == 400 and '<a href="#f-nip">NIP (tax number)</a>' in text, "a bad change is 400 naming the NIP", (st, kt.text_of(text)[:300]))
    st, h, _ = o.submit(edit, "/organisations/proposals/edit", {"city": "Tarnów", "name": name_a + " Poprawiona"})
    ok(st == 303 and "done=saved" in h.get("location", ""), "the proposer saves a change", (st, h.get("location")))
    page = t.coord_a.get("/admin/companies")[2]
    ok(proposal_id(page, name_a + " Poprawiona") == pa and "Tarnów" in page, "the moderator sees the change")
    st, _, text = t.coord_a.post("/admin/companies/approve", stale)
    ok(st == 409 and "changed this proposal since" in kt.text_of(text), "approving from the page as it was: 409",
       (st, kt.text_of(text)[:300]))
    eq(search_total(t.port, nip_a), 0, "  nothing is approved")
    st, _, _ = decide(t.coord_a, "/admin/companies/approve", pa)
    ok(st == 303 and search_total(t.port, nip_a) == 1, "approved from the page as it is now", st)
    _, js = api(t.port, "/api/v1/organisations?q=" + nip_a)
    ok(js and js["items"] and js["items"][0]["name"] == name_a + " Poprawiona", "  with the changed name", js)
    st, _, mine = o.get("/organisations/new")
    chunk = mine[mine.find('id="proposal-%s"' % pa):]
    chunk = chunk[:chunk.find("</article>")]
    ok("approved" in chunk and "/organisations/new?edit=%s" % pa not in chunk and "/organisations/" in chunk,
       "an approved proposal: its state and the organisation's link, no change or withdraw", kt.text_of(chunk))
    st, _, _ = o.get(edit)
    eq(st, 409, "a decided proposal cannot be changed (409)")
    st, _, _ = o.post("/organisations/proposals/withdraw", {"id": pa, "csrf": o.csrf("/organisations/new"), "confirm": "1"})
    eq(st, 409, "  nor withdrawn")
    # two tabs: the older one's save does not overwrite the newer one
    edit_b = "/organisations/new?edit=%s" % pb
    o.get(edit_b)
    tab1 = dict(o.form("/organisations/proposals/edit")["fields"])
    o.get(edit_b)
    tab2 = dict(o.form("/organisations/proposals/edit")["fields"])
    st, _, _ = o.post("/organisations/proposals/edit", dict(tab1, city="Nowy Sącz"))
    eq(st, 303, "the first tab saves")
    st, _, text = o.post("/organisations/proposals/edit", dict(tab2, description_pl="Opis z drugiej karty."))
    ok(st == 409 and "changed since this form was opened" in kt.text_of(text) and "Opis z drugiej karty." in text,
       "the second tab's save: 409, its text kept", (st, kt.text_of(text)[:300]))
    st, _, _ = o.post("/organisations/proposals/edit", dict(o.form("/organisations/proposals/edit", text)["fields"]))
    eq(st, 303, "saving the form shown again goes through")
    # naming a cluster in a change tells its coordinator, as a new proposal does
    mails = len(t.sink.messages("coord-a@example.com"))
    st, _, _ = o.submit(edit_b, "/organisations/proposals/edit", {"cluster": str(t.cl_a)})
    got = t.sink.wait("coord-a@example.com", mails + 1)
    ok(st == 303 and len(got) > mails and name_b in kt.body_of(got[-1]),
       "a change that names cluster A mails its coordinator", (st, len(got), mails))
    ok(proposal_id(t.coord_a.get("/admin/companies")[2], name_b) == pb, "  and the proposal joins their queue")
    # withdrawing asks first, then the proposal is gone from the queue
    st, _, text = o.submit("/organisations/new", "/organisations/proposals/withdraw", {"id": pb})
    ok(st == 200 and name_b in kt.text_of(text), "withdrawing asks first, naming the proposal", st)
    st, h, _ = o.confirm("/organisations/proposals/withdraw", text)
    ok(st == 303 and "done=withdrawn" in h.get("location", ""), "the proposer withdraws it", (st, h.get("location")))
    ok(proposal_id(t.admin.get("/admin/companies")[2], name_b) is None, "  it leaves the moderation queue")
    ok(name_b not in o.get("/organisations/new")[2], "  and the proposer's list")
    audit = t.admin.get("/admin/audit")[2]
    ok('?action=org-proposal-update">' in audit and '?action=org-proposal-withdraw">' in audit,
       "changes and withdrawals are audited")
    # a rejection: the state and the reason on the proposer's list
    propose(o, company(name_c, nip_c))
    pc = proposal_id(t.admin.get("/admin/companies")[2], name_c)
    st, _, _ = decide(t.admin, "/admin/companies/reject", pc, {"reason": "Brak danych kontaktowych."})
    eq(st, 303, "the administrator rejects the third with a reason")
    mine = o.get("/organisations/new")[2]
    chunk = mine[mine.find('id="proposal-%s"' % pc):]
    chunk = chunk[:chunk.find("</article>")]
    ok("rejected" in chunk and "Brak danych kontaktowych." in chunk, "the proposer sees it rejected, with the reason",
       kt.text_of(chunk))


def duplicate_nip(t):
    st1, _, _ = propose(t.visitor, company("Zakład Testowy Gamma", t.nip_gamma, proposer_email="gamma1@example.com"))
    st2, _, _ = propose(t.user, company("Gamma Druga Sp. z o.o.", t.nip_gamma))
    ok(st1 == 303 and st2 == 303, "two proposals with the same NIP wait (a visitor's and a user's)", (st1, st2))
    st, _, page = t.admin.get("/admin/companies")
    p1, p2 = proposal_id(page, "Zakład Testowy Gamma"), proposal_id(page, "Gamma Druga Sp. z o.o.")
    ok(p1 and p2, "both are listed")
    ok("user@example.com" in page, "the logged-in proposer's account address is used")
    st, _, _ = decide(t.admin, "/admin/companies/approve", p1)
    eq(st, 303, "the first is approved")
    mails_before = len(t.sink.messages("user@example.com"))
    audit_before = t.admin.get("/admin/audit")[2].count('?action=org-proposal-approve">')
    st, _, page = decide(t.admin, "/admin/companies/approve", p2)
    text = kt.text_of(page)
    ok(st == 409 and ('<a href="#f-nip">NIP (tax number)</a>: an organisation with NIP %s is already in the directory'
                      % t.nip_gamma) in page and "nip:" not in text,
       "approving the second is 409 with a clear message naming the NIP by its label", (st, text[:500]))
    ok(re.search(r'<dd id="f-nip">%s</dd>' % t.nip_gamma, page)
       and 'id="f-nip"' in page.split('id="proposal-%s"' % p2, 1)[-1].split("</article>", 1)[0],
       "  linked to the NIP of the proposal refused")
    admin_pl = kt.Client(t.port, lang="pl")
    admin_pl.login("admin@example.com", PASSWORD)
    st, _, page = decide(admin_pl, "/admin/companies/approve", p2)
    ok(st == 409 and ('<a href="#f-nip">NIP</a>: organizacja z NIP %s już jest w katalogu (nr ' % t.nip_gamma) in page,
       "  on a Polish page in Polish, by the Polish label", kt.text_of(page)[:500])
    eq(search_total(t.port, t.nip_gamma), 1, "only one organisation has that NIP")
    eq(search_total(t.port, "Gamma Druga"), 0, "the second was not written")
    st, _, page = t.admin.get("/admin/companies")
    ok(proposal_id(page, "Gamma Druga Sp. z o.o.") == p2, "the second proposal is still pending")
    eq(t.admin.get("/admin/audit")[2].count('?action=org-proposal-approve">'), audit_before, "no audit entry for the failed approval")
    kt.time.sleep(0.5)
    # no approval mail of the second (mails of earlier steps to the same account may still be
    # arriving from the queue on a busy machine, so the mail is looked for, not counted)
    first = [kt.body_of(m) for m in t.sink.wait("gamma1@example.com", 1)]
    ok(any("Zakład Testowy Gamma" in b for b in first), "the first's approval mail names it (as the second's would)",
       first)
    later = [kt.body_of(m) for m in t.sink.messages("user@example.com")]
    ok(len(later) >= mails_before and not any("Gamma Druga" in b for b in later), "and no e-mail",
       [b[:200] for b in later])
    st, _, _ = decide(t.admin, "/admin/companies/reject", p2, {"reason": "Duplikat."})
    eq(st, 303, "the duplicate is rejected instead")


def coordinator_limits(t):
    v = t.visitor
    st_a, _, _ = propose(v, company("Delta Lotnicza Sp. z o.o.", t.nip_delta, proposer_email="delta@example.com",
                                    cluster=str(t.cl_a)))
    st_b, _, _ = propose(v, company("Epsilon Cyfrowy Sp. z o.o.", t.nip_eps, proposer_email="eps@example.com",
                                    cluster=str(t.cl_b)))
    st_n, _, _ = propose(v, company("Zeta Bez Klastra Sp. z o.o.", t.nip_zeta, proposer_email="zeta@example.com"))
    ok(st_a == st_b == st_n == 303, "proposals naming cluster A, cluster B and no cluster", (st_a, st_b, st_n))
    notes = t.sink.wait("coord-a@example.com", 1)
    ok(notes and "Delta Lotnicza" in kt.body_of(notes[0]), "the coordinator of cluster A is told about the proposal")
    st, _, page = t.admin.get("/admin/companies")
    pa, pb, pn = (proposal_id(page, "Delta Lotnicza Sp. z o.o."), proposal_id(page, "Epsilon Cyfrowy Sp. z o.o."),
                  proposal_id(page, "Zeta Bez Klastra Sp. z o.o."))
    ok(pa and pb and pn, "the administrator sees all three")
    st, _, page = t.coord_a.get("/admin/companies")
    ok(st == 200 and proposal_id(page, "Delta Lotnicza Sp. z o.o.") == pa
       and proposal_id(page, "Epsilon Cyfrowy Sp. z o.o.") is None
       and proposal_id(page, "Zeta Bez Klastra Sp. z o.o.") is None,
       "the coordinator of A sees only the proposal for A")
    st, _, _ = decide(t.coord_a, "/admin/companies/approve", pb)
    eq(st, 403, "the coordinator of A cannot approve a proposal for B (403)")
    st, _, _ = decide(t.coord_a, "/admin/companies/reject", pb, {"reason": "nie mój"})
    eq(st, 403, "nor reject it (403)")
    st, _, _ = decide(t.coord_a, "/admin/companies/approve", pn)
    eq(st, 403, "nor approve one that names no cluster (403)")
    eq(search_total(t.port, t.nip_eps), 0, "nothing was written by the refused approvals")
    st, _, _ = decide(t.coord_a, "/admin/companies/approve", pa)
    eq(st, 303, "the coordinator of A approves the proposal for A")
    st, js = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    names = [m["organisation"]["name"] for m in (js or {}).get("membership", [])]
    ok("Delta Lotnicza Sp. z o.o." in names, "the new organisation is a member of cluster A", names[-5:])
    st, _, page = kt.request(t.port, "GET", "/clusters/%d" % t.cl_a)
    ok("Delta Lotnicza Sp. z o.o." in page.decode(), "and shows on the cluster's page")
    msgs = t.sink.wait("delta@example.com", 1)
    ok(msgs and t.cl_a_name in kt.body_of(msgs[0]), "the proposer is told, with the cluster",
       msgs and kt.body_of(msgs[0]))
    st, _, _ = decide(t.coord_b, "/admin/companies/approve", pb)
    eq(st, 303, "the coordinator of B approves the proposal for B")
    st, _, _ = decide(t.admin, "/admin/companies/approve", pn)
    eq(st, 303, "the administrator approves the one naming no cluster")
    st, js = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    names = [m["organisation"]["name"] for m in (js or {}).get("membership", [])]
    ok("Zeta Bez Klastra Sp. z o.o." not in names, "an organisation approved without a cluster joins none")


def not_moderators(t):
    st, _, _ = t.user.get("/admin/companies")
    eq(st, 403, "a plain user cannot see /admin/companies (403)")
    st, _, _ = t.editor.get("/admin/companies")
    eq(st, 403, "nor an editor (403)")
    st, h, _ = t.visitor.get("/admin/companies")
    ok(st == 303 and h.get("location", "").startswith("/login"), "a visitor is sent to log in")
    propose(t.visitor, company("Eta Testowa Sp. z o.o.", t.nip_eta, proposer_email="eta@example.com"))
    st, _, page = t.admin.get("/admin/companies")
    pid = proposal_id(page, "Eta Testowa Sp. z o.o.")
    for who, c in (("a plain user", t.user), ("an editor", t.editor), ("a visitor", t.visitor)):
        st, _, _ = decide(c, "/admin/companies/approve", pid)
        eq(st, 403, "%s cannot approve (403)" % who)
        st, _, _ = decide(c, "/admin/companies/reject", pid, {"reason": "x"})
        eq(st, 403, "%s cannot reject (403)" % who)
    eq(search_total(t.port, t.nip_eta), 0, "nothing written")
    st, _, _ = t.admin.post("/admin/companies/approve", {"id": pid})
    eq(st, 403, "a decision without the CSRF token is refused (403)")
    st, _, _ = t.admin.get("/admin/companies/approve")
    eq(st, 405, "deciding is POST only (405)")


def membership_requests(t):
    e = t.editor
    st, h, _ = t.visitor.get("/clusters/%d/join" % t.cl_a)
    ok(st == 303 and h.get("location", "").startswith("/login"), "a visitor is sent to log in to ask")
    st, _, page = t.user.get("/clusters/%d/join" % t.cl_a)
    eq(st, 403, "a user without an organisation cannot ask (403)")
    join_link = 'href="/clusters/%d/join"' % t.cl_a
    _, _, page = t.visitor.get("/clusters/%d" % t.cl_a)
    ok(join_link in page, "the cluster page offers a visitor to ask (through the login)")
    _, _, page = t.user.get("/clusters/%d" % t.cl_a)
    ok(join_link not in page, "  but not a user without an organisation, who could not")
    _, _, page = e.get("/clusters/%d" % t.cl_a)
    ok(join_link in page and "Ask for your organisation to join" in page, "  and an editor whose organisation is not in it")
    st, _, page = e.get("/clusters/%d/join" % t.cl_a)
    ok(st == 200 and e.form("/clusters/%d/join" % t.cl_a) is not None and t.editor_org_name in page,
       "the editor gets the form, naming the organisation")
    st, _, page = e.get("/clusters/%s/join" % urllib.parse.quote(t.cl_a_acr))
    ok(st == 200 and e.form("/clusters/%d/join" % t.cl_a) is not None, "the page also works with the acronym")
    st, _, page = e.submit("/clusters/%d/join" % t.cl_a, "/clusters/%d/join" % t.cl_a, {"message": "x" * 2001})
    ok(st == 400 and '<a href="#f-message">A message to the coordinator</a>: at most' in page
       and re.search(r'<textarea id="f-message"[^>]*aria-invalid="true"', page),
       "an over-long message is 400 naming the field by its label, marked", kt.text_of(page)[:400])
    st, h, _ = e.submit("/clusters/%d/join" % t.cl_a, "/clusters/%d/join" % t.cl_a,
                        {"message": "Chcemy współpracować przy projektach B+R."})
    ok(st == 303 and h.get("location") == "/clusters/%d/join?done=1" % t.cl_a, "the editor asks to join cluster A")
    st, _, page = e.get("/clusters/%d/join?done=1" % t.cl_a)
    ok("Request sent" in page and e.form("/clusters/%d/join" % t.cl_a) is None, "the page says the request is sent")
    _, _, page = e.get("/clusters/%d" % t.cl_a)
    ok("Your organisation&#39;s request waits" in page or "Your organisation's request waits" in page,
       "the cluster page says the request waits", kt.text_of(page)[:200])
    notes = t.sink.wait("coord-a@example.com", 2)
    ok(len(notes) >= 2 and t.editor_org_name in kt.body_of(notes[-1]), "the coordinator of A is told")
    token = e.csrf("/organisations/new")
    st, _, page = e.post("/clusters/%d/join" % t.cl_a, {"csrf": token, "message": "again"})
    ok(st == 409 and "already waiting" in kt.text_of(page), "a second request is 409 with a message")

    st, _, page = t.admin.get("/admin/companies")
    ids_admin = request_ids(page)
    st, _, page = t.coord_a.get("/admin/companies")
    ids = request_ids(page)
    ok(len(ids) == 1 and ids[0] in ids_admin and "Chcemy współpracować" in page,
       "the coordinator of A sees the request and its message")
    rid = ids[0] if ids else "0"
    st, _, page = t.coord_b.get("/admin/companies")
    ok(rid not in request_ids(page), "the coordinator of B does not see it")
    st, _, _ = decide(t.coord_b, "/admin/companies/accept", rid)
    eq(st, 403, "the coordinator of B cannot accept it (403)")
    st, _, _ = decide(t.coord_b, "/admin/companies/decline", rid)
    eq(st, 403, "nor decline it (403)")
    for who, c in (("a plain user", t.user), ("the editor", t.editor), ("a visitor", t.visitor)):
        st, _, _ = decide(c, "/admin/companies/accept", rid)
        eq(st, 403, "%s cannot accept (403)" % who)
    st, js = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    ok(t.editor_org not in [m["organisation"]["id"] for m in js["membership"]], "not a member yet")

    st, h, _ = decide(t.coord_a, "/admin/companies/accept", rid)
    ok(st == 303 and h.get("location") == "/admin/companies?done=accepted", "the coordinator of A accepts")
    st, js = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    mem = [m for m in js["membership"] if m["organisation"]["id"] == t.editor_org]
    ok(len(mem) == 1 and mem[0]["role"] == "member" and mem[0]["left"] is None and mem[0]["joined"],
       "the membership is in /api/v1/clusters/ID", mem)
    st, _, page = kt.request(t.port, "GET", "/clusters/%d" % t.cl_a)
    ok(t.editor_org_name in html.unescape(page.decode()), "and on the cluster's page")
    msgs = t.sink.wait("editor@example.com", 1)
    ok(len(msgs) == 1 and t.cl_a_name in kt.body_of(msgs[0]), "the editor is e-mailed")
    st, _, _ = decide(t.coord_a, "/admin/companies/accept", rid)
    eq(st, 409, "accepting again is 409")

    st, _, page = e.get("/clusters/%d/join" % t.cl_a)
    ok("already a member" in page and e.form("/clusters/%d/join" % t.cl_a) is None,
       "the page tells a member it is one")
    _, _, page = e.get("/clusters/%d" % t.cl_a)
    ok('href="/clusters/%d/join"' % t.cl_a not in page, "the cluster page offers a member no request to join")
    st, _, page = e.post("/clusters/%d/join" % t.cl_a, {"csrf": token})
    ok(st == 409 and "already a member" in kt.text_of(page), "asking to join a cluster it belongs to is 409")

    # declined, with a reason
    st, _, _ = e.submit("/clusters/%d/join" % t.cl_b, "/clusters/%d/join" % t.cl_b, {})
    eq(st, 303, "the editor asks to join cluster B")
    st, _, page = t.coord_b.get("/admin/companies")
    rid_b = request_ids(page)[0] if request_ids(page) else "0"
    st, _, _ = decide(t.coord_a, "/admin/companies/decline", rid_b, {"reason": "x"})
    eq(st, 403, "the coordinator of A cannot decline B's request (403)")
    st, h, _ = decide(t.coord_b, "/admin/companies/decline", rid_b, {"reason": "Przyjmujemy tylko firmy z Małopolski."})
    ok(st == 303 and h.get("location") == "/admin/companies?done=declined", "the coordinator of B declines")
    msgs = t.sink.wait("editor@example.com", 2)
    ok(len(msgs) == 2 and "Przyjmujemy tylko firmy z Małopolski." in kt.body_of(msgs[-1]),
       "the editor is e-mailed the reason")
    st, js = api(t.port, "/api/v1/clusters/%d" % t.cl_b)
    ok(t.editor_org not in [m["organisation"]["id"] for m in js["membership"]], "no membership in B")
    st, _, page = e.get("/clusters/%d/join" % t.cl_b)
    ok(e.form("/clusters/%d/join" % t.cl_b) is not None, "after a decline the editor may ask again")


def audit_entries(t):
    st, _, page = t.admin.get("/admin/audit")
    eq(st, 200, "the audit page")
    for action in ("org-propose", "org-proposal-approve", "org-create", "org-proposal-reject", "membership-request",
                   "membership-request-accept", "membership-request-decline"):
        ok(re.search(r'<td><a href="/admin/audit\?action=%s">[^<]+</a></td>' % action, page),
           "the audit log lists %s, linked to the log of that action" % action)
    ok("coord-a@example.com" in page and "Przyjmujemy tylko firmy z Małopolski." in page,
       "with who did it and the reason")


def routing(t):
    st, _, _ = kt.request(t.port, "GET", "/organisations/%d" % t.org_alfa)
    eq(st, 200, "the profile /organisations/ID still answers beside /organisations/new")
    st, _, _ = kt.request(t.port, "HEAD", "/organisations/new")
    eq(st, 200, "HEAD /organisations/new")
    st, h, _ = kt.request(t.port, "DELETE", "/organisations/new")
    ok(st == 405 and "POST" in h.get("allow", ""), "another method is 405 with Allow", (st, h.get("allow")))
    for path in ("/clusters/%d/join/x" % t.cl_a, "/clusters//join", "/clusters/%d/joinx" % t.cl_a):
        st, _, _ = t.editor.get(path)
        eq(st, 404, "%s is not a page (404)" % path)
    st, _, _ = t.editor.get("/clusters/NOSUCH/join")
    eq(st, 404, "an unknown cluster's join page is 404")


def rate_limit(t):
    v = kt.Client(t.port)
    statuses = []
    for i in range(12):
        st, h, _ = propose(v, company("Masowa Firma %d" % i, make_nip(9100 + i * 37), proposer_email="m@example.com"))
        statuses.append(st)
        if st == 429:
            ok(h.get("retry-after") == "3600", "429 says when to retry", h)
            break
    ok(429 in statuses and statuses.count(303) <= 10, "a visitor's proposals are limited per address (429)", statuses)


def members_end(t):
    """A coordinator ends a membership of their own cluster; nobody else may."""
    _, cj = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    current = [m for m in cj["membership"] if not m.get("left")]
    org = current[-1]["organisation"]["id"]
    st, _, page = t.coord_a.get("/admin/members")
    ok(st == 200 and "/admin/members/end" in page and current[-1]["organisation"]["name"] in kt.text_of(page),
       "the coordinator lists the cluster's current members with an end button")
    st, _, _ = t.coord_a.get("/admin/members?cluster=%d" % t.cl_b)
    eq(st, 403, "a coordinator cannot open another cluster's members")
    acr = cj["acronym"]
    st, _, _ = t.coord_a.get("/admin/members?cluster=" + urllib.parse.quote(acr.lower()))
    st2, _, _ = t.admin.get("/admin/members?cluster=" + urllib.parse.quote(acr))
    ok(st == 200 and st2 == 200, "the members page takes the cluster's acronym, in any case (%s)" % acr, (st, st2))
    st, _, page = t.admin.get("/admin/members")
    ok(st == 200 and "/admin/members?cluster=%d" % t.cl_a in page, "an administrator first chooses the cluster")
    fields = {"cluster": str(t.cl_a), "org": str(org)}
    for who, c in (("coordinator of B", t.coord_b), ("editor", t.editor), ("user", t.user)):
        st, _, _ = c.post("/admin/members/end", dict(fields, csrf=c.csrf("/account")))
        eq(st, 403, "%s cannot end a membership of cluster A (403)" % who)
    st, _, _ = t.visitor.post("/admin/members/end", dict(fields, csrf=t.visitor.csrf("/login")))
    eq(st, 403, "a visitor cannot end a membership (403)")
    _, cj = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    ok(any(m["organisation"]["id"] == org and not m.get("left") for m in cj["membership"]),
       "after the refused attempts the membership is unchanged")
    # each row's button names its organisation to a screen reader, and carries JavaScript's question
    _, _, page = t.coord_a.get("/admin/members")
    name = current[-1]["organisation"]["name"]
    ok(re.search(r'>End membership<span class="vh">: %s</span></button>' % re.escape(html.escape(name, quote=False)), page)
       and 'data-confirm="End the membership of “%s” in the cluster' % html.escape(name) in page,
       "the End membership button names its row's organisation and asks with JavaScript", name)
    # without JavaScript the first POST only asks: what ends, in which cluster; nothing changes yet
    st, h, text = t.coord_a.submit("/admin/members", "/admin/members/end", {"org": str(org)})
    f = t.coord_a.form("/admin/members/end", text)
    ok(st == 200 and name in kt.text_of(text) and "stops being a member" in text and f
       and f["fields"].get("confirm") == "1" and f["fields"].get("org") == str(org)
       and f["fields"].get("cluster") == str(t.cl_a) and f["fields"].get("csrf")
       and '<a href="/admin/members?cluster=%d">Cancel</a>' % t.cl_a in text,
       "the first POST answers with a page that names the organisation and the cluster, a confirm form and Cancel",
       (st, kt.text_of(text)[:400]))
    _, cj = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    ok(any(m["organisation"]["id"] == org and not m.get("left") for m in cj["membership"]),
       "… and changes nothing: the membership is still current")
    st, h, _ = t.coord_a.confirm("/admin/members/end", text)
    ok(st == 303 and "done=1" in h.get("location", ""), "the coordinator confirms: ended", (st, h.get("location")))
    _, cj = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    ok(any(m["organisation"]["id"] == org and m.get("left") for m in cj["membership"]),
       "the membership now has a leaving date")
    st, _, page = t.coord_a.post("/admin/members/end", dict(fields, csrf=t.coord_a.csrf("/account")))
    ok(st == 404 and "is not a current member" in kt.text_of(page) and 'action="/admin/members/add"' in page
       and "stops being a member" not in page,
       "asking to end it again: 404 on the members page saying why, no question", st)
    st, _, _ = t.coord_a.post("/admin/members/end", dict(fields, confirm="1", csrf=t.coord_a.csrf("/account")))
    eq(st, 404, "ending it again: 404")
    st, _, page = t.admin.get("/admin/audit")
    ok("membership-end" in page, "the audit log records it")
    coord = cj.get("coordinator_id")
    st, _, page = t.coord_a.post("/admin/members/end", {"cluster": str(t.cl_a), "org": str(coord),
                                                         "csrf": t.coord_a.csrf("/account")})
    _, cj = api(t.port, "/api/v1/clusters/%d" % t.cl_a)
    ok(coord and st == 409 and "coordinates cluster" in kt.text_of(page) and
       any(m["organisation"]["id"] == coord and not m.get("left") for m in cj["membership"]),
       "the coordinating organisation's membership cannot end while it coordinates (409, unchanged)",
       (st, kt.text_of(page)[:300]))
    # the former member is admitted again from the same page, by its number; its row reopens
    joined = lambda: next((m for m in api(t.port, "/api/v1/clusters/%d" % t.cl_a)[1]["membership"]
                           if m["organisation"]["id"] == org), {})
    st, _, page = t.coord_a.get("/admin/members")
    again = [f for f in t.coord_a.forms(page) if f["action"] == "/admin/members/add" and f["fields"].get("org") == "#%d" % org]
    ok("Former members" in page and again and ">Admit again<span class=\"vh\">: " in page,
       "the members page lists the former member with an Admit again button named by its row", len(again))
    st, h, _ = t.coord_a.post("/admin/members/add", dict(again[0]["fields"]) if again else {})
    ok(st == 303 and h.get("location") == "/admin/members?cluster=%d&done=added" % t.cl_a and not joined().get("left"),
       "the coordinator admits the former member again (303): it is a current member", (st, h.get("location")))
    back = joined()
    ok(len(back.get("earlier", [])) == 1 and back["earlier"][0].get("left") and back.get("joined") and
       back["earlier"][0]["left"] <= back["joined"],
       "  its ended membership stays on record in the API (earlier: joined, left)", back.get("earlier"))
    st, _, page = kt.Client(t.port).get("/clusters/%d" % t.cl_a)
    want = "earlier: %s – %s" % (back["earlier"][0]["joined"], back["earlier"][0]["left"]) if back.get("earlier") else "??"
    ok(st == 200 and want in kt.text_of(page), "  and on the cluster's page beside its new joining date", want)
    st, _, page = t.coord_a.get("/admin/members")
    ok("earlier: " in kt.text_of(page), "  and on the members page")
    st, _, page = t.coord_a.submit("/admin/members", "/admin/members/add", {"org": "#%d" % org})
    ok(st == 409 and "is already a member" in kt.text_of(page) and 'aria-invalid="true"' in page,
       "admitting a current member: 409 on the page, the field marked", st)
    st, _, page = t.coord_a.submit("/admin/members", "/admin/members/add", {"org": "Nie Ma Takiej Firmy XYZ"})
    ok(st == 400 and "Nie Ma Takiej Firmy XYZ" in page and '<a href="#f-org">An organisation of the directory</a>:' in page
       and "org:" not in kt.text_of(page), "an unknown organisation: 400 naming the field by its label, the text kept",
       (st, kt.text_of(page)[-300:]))
    st, _, _ = t.coord_b.post("/admin/members/add", {"cluster": str(t.cl_a), "org": "#%d" % org,
                                                     "csrf": t.coord_b.csrf("/account")})
    eq(st, 403, "the coordinator of another cluster cannot admit to cluster A")
    # an organisation that never was a member: not by the coordinator (membership would give her
    # the moderation of its entries without its asking), by an administrator yes
    _, orgs = api(t.port, "/api/v1/organisations?per_page=200")
    never = next(o["id"] for o in orgs["items"]
                 if o["id"] not in {m["organisation"]["id"] for m in api(t.port, "/api/v1/clusters/%d" % t.cl_a)[1]["membership"]})
    st, _, page = t.coord_a.submit("/admin/members", "/admin/members/add", {"org": "#%d" % never})
    ok(st == 403 and "former member only" in kt.text_of(page), "a coordinator cannot admit an organisation that never "
       "asked (403, said on the page)", st)
    st, h, _ = t.admin.submit("/admin/members?cluster=%d" % t.cl_a, "/admin/members/add", {"org": "#%d" % never})
    ok(st == 303, "an administrator can", st)
    st, _, page = t.coord_a.submit("/admin/members", "/admin/members/add", {"org": ""})
    ok(st == 400 and "give the organisation" in kt.text_of(page), "an empty field: 400 asking for it", st)
    ok("membership-add" in t.admin.get("/admin/audit?action=membership-add")[2], "the audit log records the admission")


def paging(t):
    """/admin/companies shows 200 of each list a page, oldest first; the 201st is on page 2."""
    sql = ktdb.Db(t.db)
    for i in range(1, 206):
        sql.run("INSERT INTO org_proposal (fields, name, cluster_id, proposer_email, lang, status, created_at)"
                " VALUES (?, ?, ?, 'kolejka@example.com', 'pl', 'pending', ?)",
                (json.dumps({"name": "Kolejka <%03d>" % i}), "Kolejka <%03d>" % i, t.cl_a, 1000 + i))
    names = re.compile(r"Kolejka &lt;(\d{3})&gt;")
    st, _, p1 = t.admin.get("/admin/companies")
    q1 = sorted(set(names.findall(p1)))
    ok(st == 200 and q1 == ["%03d" % i for i in range(1, 201)], "page 1: the 200 oldest proposals, names escaped",
       (st, len(q1), q1[-2:]))
    ok('<a rel="next" href="/admin/companies?page=2">' in p1 and 'rel="prev"' not in p1, "page 1 links to page 2")
    st, _, p2 = t.admin.get("/admin/companies?page=2")
    q2 = sorted(set(names.findall(p2)))
    ok(st == 200 and q2 == ["201", "202", "203", "204", "205"], "page 2 holds the 201st and later", q2)
    ok('<a rel="prev" href="/admin/companies?page=1">' in p2
       and 'aria-current="page" href="/admin/companies?page=2"' in p2 and 'rel="next"' not in p2,
       "page 2 links back and is the last")
    eq(sorted(q1 + q2), ["%03d" % i for i in range(1, 206)], "every proposal is on exactly one page")
    req2 = p2.split('id="h-requests"', 1)[-1]
    ok('id="request-' not in req2 and ("Nothing on this page." in req2 or "Nothing waiting." in req2),
       "page 2 of the shorter list of requests shows none and says why", req2[:300])
    st, _, c2 = t.coord_a.get("/admin/companies?page=2")
    ok(st == 200 and sorted(set(names.findall(c2))) == q2, "the cluster's coordinator pages the same way")
    st, _, b1 = t.coord_b.get("/admin/companies")
    ok(st == 200 and "Kolejka" not in b1 and 'class="pages"' not in b1, "another cluster's coordinator has no pages")
    for bad in ("0", "x", "-1", "2x", "100001"):
        st, _, _ = t.admin.get("/admin/companies?page=" + bad)
        eq(st, 400, "page=%s: 400" % bad)
    # a decision comes back to the page it was taken on
    t.admin.get("/admin/companies")
    f1 = [f for f in t.admin.forms() if f["action"].startswith("/admin/companies/")]
    ok(f1 and all("page" not in f["fields"] for f in f1), "page 1's decision forms carry no page")
    t.admin.get("/admin/companies?page=2")
    f2 = [f for f in t.admin.forms() if f["action"] == "/admin/companies/reject"]
    ok(len(f2) >= 5 and all(f["fields"].get("page") == "2" for f in f2), "page 2's decision forms carry page=2",
       [f["fields"].get("page") for f in f2])
    st, h, _ = t.admin.post("/admin/companies/reject", dict(f2[0]["fields"], reason="Test stron."))
    eq((st, h.get("location")), (303, "/admin/companies?done=rejected&page=2"),
       "rejecting on page 2 comes back to page 2")
    st, _, back = t.admin.get(h["location"])
    ok(st == 200 and sorted(set(names.findall(back))) == ["202", "203", "204", "205"],
       "page 2 then holds the rest", sorted(set(names.findall(back))))
    for bad in ("x", "0", "1", "100001"):
        st, h, _ = t.admin.post("/admin/companies/reject", dict(f2[1]["fields"], reason="Test stron.", page=bad))
        if st == 303:
            f2 = f2[1:]
        eq((st, h.get("location")), (303, "/admin/companies?done=rejected"),
           "a form page of %r: the decision is taken and the list opens on page 1" % bad)


def profile_edits(t):
    """An organisation's editor changes its profile; administrators any; no one else."""
    oid = t.editor_org
    path = "/organisations/%d/edit" % oid
    _, before = api(t.port, "/api/v1/organisations/%d" % oid)
    # who may: the link on the profile, the form
    st, _, page = t.editor.get("/organisations/%d" % oid)
    ok(st == 200 and ('href="%s"' % path) in page, "the editor sees 'Edit the profile' on the organisation's page")
    st, _, page = t.user.get("/organisations/%d" % oid)
    ok(st == 200 and path not in page, "a plain user does not")
    audit_before = t.admin.get("/admin/audit")[2].count('?action=org-update">')
    st, _, page = t.editor.get(path)
    f = t.editor.form(path, page)
    ok(st == 200 and f and f["fields"].get("name") == before["name"] and "csrf" in f["fields"],
       "the editor gets the form filled with the stored values", f and f["fields"].get("name"))
    for who, c, want in (("a visitor", t.visitor, 303), ("a plain user", t.user, 403),
                         ("a coordinator", t.coord_a, 403)):
        st, h, page = c.get(path)
        ok(st == want, "%s cannot open another organisation's form (%d)" % (who, want), st)
    other = next(o["id"] for o in api(t.port, "/api/v1/organisations?per_page=5")[1]["items"] if o["id"] != oid)
    st, _, _ = t.editor.get("/organisations/%d/edit" % other)
    eq(st, 403, "the editor cannot open another organisation's form")
    st, _, _ = t.editor.post("/organisations/%d/edit" % other, {"csrf": f["fields"]["csrf"], "name": "Przejęta"})
    _, o2 = api(t.port, "/api/v1/organisations/%d" % other)
    ok(st == 403 and o2["name"] != "Przejęta", "nor post to it (403, nothing changed)", st)
    st, _, _ = t.editor.post(path, {"name": "Bez tokenu"})
    _, now = api(t.port, "/api/v1/organisations/%d" % oid)
    ok(st == 403 and now["name"] == before["name"], "a post without the CSRF token is refused", st)
    # bad values: every problem at once, nothing written
    st, _, page = t.editor.submit(path, path, {"postal_code": "123", "email": "not-an-address", "website": "ftp:x"})
    items = re.findall(r'<li><a href="#f-([a-z_]+)">', page)
    _, now = api(t.port, "/api/v1/organisations/%d" % oid)
    ok(st == 400 and items == ["postal_code", "website", "email"] and now == before,
       "three bad fields: 400 listing the three by label, nothing changed", (st, items))
    f = t.editor.form(path, page)
    ok(f and f["fields"].get("postal_code") == "123", "the form keeps what was typed")
    # a good change: saved, told, the directory shows it, the audit log has it
    new_desc = "Opis zmieniony przez redaktora organizacji."
    st, h, _ = t.editor.submit(path, path, {"description_pl": new_desc, "phone": "+48 12 345 67 89"})
    ok(st == 303 and h.get("location") == "/organisations/%d?saved=1" % oid, "a valid change is saved (303)",
       (st, h.get("location")))
    st, _, page = t.editor.get("/organisations/%d?saved=1" % oid)
    ok("The profile's changes are saved." in kt.text_of(page), "the profile says so")
    st, _, page = t.editor.get("/organisations/%d?lang=pl" % oid)
    ok(new_desc in page, "and shows the new Polish description on the Polish page")
    _, now = api(t.port, "/api/v1/organisations/%d" % oid)
    ok(now["description_pl"] == new_desc and now["phone"] == "+48 12 345 67 89" and now["name"] == before["name"]
       and now.get("nip") == before.get("nip"), "the API has the new values, the others kept",
       {k: now.get(k) for k in ("description_pl", "phone", "name")})
    audit = t.admin.get("/admin/audit")[2]
    eq(audit.count('?action=org-update">'), audit_before + 1, "the change is in the audit log")
    ok(re.search(r"on the page: Phone: „[^”]*” → „\+48 12 345 67 89”, Description in Polish(?![:\w])", kt.text_of(audit)),
       "naming the fields changed: a short one with its old and new value, a description by name alone",
       re.findall(r"web:[^<]*", audit)[:3])
    # saving the form unchanged changes nothing (a browser sends textareas with CRLF)
    f = t.editor.form(path, t.editor.get(path)[2])
    data = {k: (v.replace("\n", "\r\n") if isinstance(v, str) else v) for k, v in f["fields"].items()}
    st, _, _ = t.editor.post(path, data)
    _, same = api(t.port, "/api/v1/organisations/%d" % oid)
    eq(t.admin.get("/admin/audit")[2].count('?action=org-update">'), audit_before + 1,
       "saving the form unchanged (lines sent as CRLF) writes nothing: no second audit entry")
    ok(st == 303 and same == now, "and the record is the same", st)
    # fields not on the form are not taken from the request: coordinates, the demo flag
    st, _, _ = t.editor.submit(path, path, {"lat": "52.2", "lon": "21.0", "demo": "1"})
    _, after = api(t.port, "/api/v1/organisations/%d" % oid)
    ok(st == 303 and after.get("lat") == now.get("lat") and after.get("lon") == now.get("lon")
       and after.get("demo") == now.get("demo"), "lat, lon and demo in the request are ignored",
       {k: after.get(k) for k in ("lat", "lon", "demo")})
    # a new address: the old coordinates are dropped, the map places it by TERYT
    if now.get("lat") is not None:
        st, _, _ = t.editor.submit(path, path, {"street": "ul. Nowa 1", "postal_code": "31-001", "teryt": "1261"})
        _, moved = api(t.port, "/api/v1/organisations/%d" % oid)
        ok(st == 303 and moved.get("lat") is None and moved["street"] == "ul. Nowa 1",
           "a new address drops the coordinates of the old one", (st, moved.get("lat")))
    # the identifiers are read-only to the editor: the form shows them so, a changed NIP is not taken
    st, _, page = t.editor.get(path)
    ok(re.search(r'<input id="f-nip"[^>]*readonly', page) and "administrator" in kt.text_of(page),
       "NIP, REGON and KRS are read-only on the editor's form, saying who changes them")
    ok(re.search(r'<select id="f-type"[^>]*disabled', page),
       "the kind of organisation is fixed on the editor's form too (it decides who offers services)")
    before_ids = {k: api(t.port, "/api/v1/organisations/%d" % oid)[1].get(k) for k in ("nip", "regon", "krs", "type")}
    st, _, page = t.editor.submit(path, path, {"nip": t.demo_nip, "regon": "", "krs": "",
                                                "type": "support" if before_ids["type"] != "support" else "enterprise"})
    _, after = api(t.port, "/api/v1/organisations/%d" % oid)
    ok(st == 303 and {k: after.get(k) for k in before_ids} == before_ids,
       "an editor's request changing NIP, REGON, KRS or the kind changes none of them", (st, after.get("nip")))
    # the administrator may change them: another organisation's NIP or REGON is 409 naming the field
    admin_path = path
    st, _, page = t.admin.submit(admin_path, admin_path, {"nip": t.demo_nip})
    _, after = api(t.port, "/api/v1/organisations/%d" % oid)
    ok(st == 409 and 'href="#f-nip"' in page and "already has this NIP or REGON" in page
       and after.get("nip") != t.demo_nip, "the NIP of another organisation: 409 naming nip, nothing changed", st)
    regon = next((o["regon"] for o in api(t.port, "/api/v1/organisations?per_page=100")[1]["items"]
                  if o.get("regon") and o["id"] != oid), None)
    if regon:
        st, _, page = t.admin.submit(admin_path, admin_path, {"regon": regon, "nip": before_ids["nip"] or ""})
        ok(st == 409 and 'href="#f-regon"' in page and 'href="#f-nip"' not in page,
           "the REGON of another organisation: 409 naming regon, not nip", st)
    # without NIP and REGON, the name and postal code of another without them: 409 naming the name
    bare = next((o for o in api(t.port, "/api/v1/organisations?per_page=100")[1]["items"]
                 if not o.get("nip") and not o.get("regon") and o["id"] not in (oid, other)), None)
    if bare is None:
        st, _, page = t.admin.submit(admin_path, admin_path, {"name": "Bez Numerów Test", "nip": "", "regon": "",
                                                              "krs": "", "postal_code": "00-950"})
        bare = {"id": oid, "name": "Bez Numerów Test", "postal_code": "00-950"}
        target = other
    else:
        target = oid
    tpath = "/organisations/%d/edit" % target
    _, tbefore = api(t.port, "/api/v1/organisations/%d" % target)
    st, _, page = t.admin.submit(tpath, tpath, {"name": bare["name"], "nip": "", "regon": "", "krs": "",
                                                "postal_code": bare.get("postal_code") or ""})
    _, tafter = api(t.port, "/api/v1/organisations/%d" % target)
    ok(st == 409 and 'href="#f-name"' in page and 'href="#f-regon"' not in page and 'href="#f-nip"' not in page
       and "neither has a NIP or REGON" in page and tafter == tbefore,
       "the name and postal code of another without NIP or REGON: 409 naming the name, nothing changed", st)
    # the administrator edits any organisation
    st, h, _ = t.admin.submit("/organisations/%d/edit" % other, "/organisations/%d/edit" % other,
                              {"website": "https://example.org/"})
    _, o2 = api(t.port, "/api/v1/organisations/%d" % other)
    ok(st == 303 and o2["website"] == "https://example.org/", "the administrator edits any organisation", st)
    st, _, _ = t.admin.get("/organisations/999999/edit")
    eq(st, 404, "an unknown organisation's form is 404")


def cluster_edits(t):
    """A cluster's coordinator keeps its profile up to date; administrators any cluster's."""
    cid = t.cl_a
    path = "/clusters/%d/edit" % cid
    _, before = api(t.port, "/api/v1/clusters/%d" % cid)
    st, _, page = t.coord_a.get("/clusters/%d" % cid)
    ok(st == 200 and ('href="%s"' % path) in page, "the coordinator sees 'Edit the cluster's profile'")
    st, _, page = t.coord_b.get("/clusters/%d" % cid)
    ok(st == 200 and path not in page, "another cluster's coordinator does not")
    st, _, page = t.coord_a.get(path)
    f = t.coord_a.form(path, page)
    ok(st == 200 and f and f["fields"].get("name") == before["name"] and f["fields"].get("region") == before.get("region"),
       "the form is filled with the stored values", f and f["fields"])
    for who, c, want in (("a visitor", t.visitor, 303), ("a plain user", t.user, 403), ("an editor", t.editor, 403),
                         ("another cluster's coordinator", t.coord_b, 403)):
        st, _, _ = c.get(path)
        ok(st == want, "%s cannot open the form (%d)" % (who, want), st)
    st, _, page = t.coord_a.submit(path, path, {"founded": "1850", "sectors": "62;X9", "email": "nope"})
    items = re.findall(r'<li><a href="#f-([a-z_]+)">', page)
    _, now = api(t.port, "/api/v1/clusters/%d" % cid)
    ok(st == 400 and items == ["founded", "sectors", "email"] and now == before,
       "three bad fields: 400 listing them by label, nothing changed", (st, items))
    desc = "Klaster opisany na nowo przez koordynatora.\n\nDrugi akapit."
    st, h, _ = t.coord_a.submit(path, path, {"description_pl": desc.replace("\n", "\r\n"),
                                              "website": "https://klaster.example/"})
    ok(st == 303 and h.get("location") == "/clusters/%d?saved=1" % cid, "a valid change is saved (303)", st)
    _, now = api(t.port, "/api/v1/clusters/%d" % cid)
    ok(now.get("description_pl") == desc and now.get("website") == "https://klaster.example/"
       and now["acronym"] == before["acronym"] and now.get("coordinator") == before.get("coordinator")
       and now.get("labels") == before.get("labels") and len(now["membership"]) == len(before["membership"]),
       "the API has the new values; acronym, coordinator, labels and members kept",
       {k: now.get(k) for k in ("description_pl", "website", "acronym", "coordinator", "labels")})
    audits = t.admin.get("/admin/audit")[2].count('">cluster-update</a></td>')
    st, _, _ = t.coord_a.submit(path, path, {})
    _, again = api(t.port, "/api/v1/clusters/%d" % cid)
    ok(st == 303 and t.admin.get("/admin/audit")[2].count('">cluster-update</a></td>') == audits and again == now,
       "saving the cluster's form unchanged writes nothing (sectors and labels in any order are the same)")
    st, _, page = t.coord_a.get("/clusters/%d?saved=1&lang=pl" % cid)
    ok("Zapisano zmiany profilu." in page and
       '<p class="desc">Klaster opisany na nowo przez koordynatora.</p><p class="desc">Drugi akapit.</p>' in page,
       "the Polish profile says so and shows the change, a blank line as two paragraphs")
    ok("cluster-update" in t.admin.get("/admin/audit")[2], "the change is in the audit log")
    st, _, _ = t.coord_b.post(path, {"csrf": f["fields"]["csrf"], "name": "Przejęty"})
    _, now2 = api(t.port, "/api/v1/clusters/%d" % cid)
    ok(st == 403 and now2["name"] == before["name"], "another cluster's coordinator cannot post (403)", st)
    st, _, _ = t.admin.submit("/clusters/%d/edit" % t.cl_b, "/clusters/%d/edit" % t.cl_b, {"email": "biuro@b.example"})
    _, b = api(t.port, "/api/v1/clusters/%d" % t.cl_b)
    ok(st == 303 and b.get("email") == "biuro@b.example", "the administrator edits any cluster", st)
    st, _, page = t.coord_a.get("/clusters/%s/edit" % t.cl_a_acr.lower())
    ok(st == 200 and t.coord_a.form("/clusters/%d/edit" % cid, page) is not None,
       "the form also by the acronym, in any case, as /clusters/ACRONYM/join", st)
    st, _, _ = t.admin.get("/clusters/999999/edit")
    eq(st, 404, "an unknown cluster's form is 404")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    backend = ap.parse_args().backend
    os.makedirs(kt.WORK, exist_ok=True)
    diag("backend %s" % backend)
    t = T()
    t.sink = kt.SmtpSink()
    db = kt.database(backend, "moderation")
    t.db = db
    srv = None
    try:
        # the clusters and an organisation that belongs to neither A nor B
        probe = kt.Server(db, "moderation-probe")
        _, js = api(probe.port, "/api/v1/clusters")
        by_acr = {c["acronym"]: c for c in js["items"]}
        a, b = by_acr["KLPS"], by_acr["MKTC"]
        t.cl_a, t.cl_a_acr, t.cl_a_name, t.cl_b = a["id"], a["acronym"], a["name"], b["id"]
        members = set()
        for cid in (t.cl_a, t.cl_b):
            _, cj = api(probe.port, "/api/v1/clusters/%d" % cid)
            members |= {m["organisation"]["id"] for m in cj["membership"]}
        _, orgs = api(probe.port, "/api/v1/organisations?per_page=200")
        free = [o for o in orgs["items"] if o["id"] not in members]
        t.editor_org, t.editor_org_name = free[0]["id"], free[0]["name"]
        t.demo_nip = next(o["nip"] for o in orgs["items"] if o.get("nip"))
        probe.stop()

        kt.add_user(db, "admin@example.com", PASSWORD, role="admin")
        kt.add_user(db, "coord-a@example.com", PASSWORD, role="coordinator", cluster=t.cl_a)
        kt.add_user(db, "coord-b@example.com", PASSWORD, role="coordinator", cluster=t.cl_b)
        kt.add_user(db, "editor@example.com", PASSWORD, role="editor", org=t.editor_org)
        kt.add_user(db, "user@example.com", PASSWORD, role="user")
        kt.add_user(db, "proposer@example.com", PASSWORD, role="user")
        kt.add_user(db, "owner@example.com", PASSWORD, role="user")
        srv = kt.Server(db, "moderation", "--smtp-url", t.sink.url)
        t.port = srv.port
        t.visitor = kt.Client(srv.port)
        t.admin, t.coord_a, t.coord_b, t.editor, t.user = (kt.Client(srv.port) for _ in range(5))
        for c, who in ((t.admin, "admin"), (t.coord_a, "coord-a"), (t.coord_b, "coord-b"), (t.editor, "editor"),
                       (t.user, "user")):
            c.login("%s@example.com" % who, PASSWORD)
        (t.nip_alfa, t.nip_beta, t.nip_gamma, t.nip_delta, t.nip_eps, t.nip_zeta,
         t.nip_eta) = (make_nip(s) for s in (5550001, 5550101, 5550201, 5550301, 5550401, 5550501, 5550601))

        section(visitor_proposes, t)
        section(admin_approves, t)
        section(admin_rejects, t)
        section(proposer_editor, t)
        section(duplicate_nip, t)
        section(coordinator_limits, t)
        section(not_moderators, t)
        section(membership_requests, t)
        section(audit_entries, t)
        section(members_end, t)
        section(profile_edits, t)
        section(cluster_edits, t)
        section(routing, t)
        section(rate_limit, t)
        section(own_proposals, t)
        section(paging, t)
        srv.clean_exit()
    finally:
        if srv:
            srv.stop()
        t.sink.stop()
    return kt.finish()


if __name__ == "__main__":
    sys.exit(main())
