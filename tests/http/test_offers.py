#!/usr/bin/python3
"""The offers and services databases against a running server (docs/PORTAL-OFFERS.md).

Adding as an editor, moderation by the cluster's coordinator and by an
administrator, the listings (search without diacritics, filters, Polish
sorting, pages), expiry at query time, ownership and role checks, the
"I am interested" messages relayed through a real SMTP server without
revealing either address, the JSON API, bad input that names the field
and writes nothing, and the CSV import.

    tests/http/test_offers.py --backend sqlite|postgres
"""
import argparse
import csv
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kt  # noqa: E402

PW = "haslo-testowe-123"
TODAY = datetime.date.today()


def day(delta):
    return (TODAY + datetime.timedelta(days=delta)).isoformat()


def api(port, path):
    st, h, body = kt.request(port, "GET", path)
    try:
        return st, h, json.loads(body.decode("utf-8"))
    except ValueError:
        return st, h, None


def org_id(port, nip):
    st, _, js = api(port, "/api/v1/organisations?q=" + nip)
    return js["items"][0]["id"]


def cluster_id(port, acronym):
    st, _, js = api(port, "/api/v1/clusters")
    return [c["id"] for c in js["items"] if c["acronym"] == acronym][0]


def offer_form(title, **kw):
    f = {"kind": "cooperation", "title": title,
         "description": "Szukamy partnera do wspólnego projektu.\n\nDrugi akapit opisu.",
         "pkd_codes": "25.62.Z, 30.30.Z", "keywords": "tytan, spawanie", "voivodeship": "18",
         "valid_from": day(0), "valid_until": day(60), "contact_name": "Anna Kontaktowa",
         "contact_email": "anna.kontakt@precyzmet.example", "contact_phone": "+48 17 111 22 33"}
    f.update(kw)
    return f


def service_form(title, **kw):
    f = {"category": "laboratory", "title": title, "description": "Badania materiałów w laboratorium.",
         "price_model": "quote", "price_note": "", "voivodeship": "18", "contact_name": "Paweł Laborant",
         "contact_email": "lab.kontakt@atp.example", "contact_phone": ""}
    f.update(kw)
    return f


def entry_id(client, path, title):
    """The id of an entry by its title on the editor's list."""
    st, _, text = client.get("/offers/mine")
    m = re.search(r'<a href="%s/(\d+)">%s</a>' % (re.escape(path), re.escape(title)), text)
    return int(m.group(1)) if m else None


def count_edit_links(client, path):
    _, _, text = client.get("/offers/mine")
    return len(re.findall(r'href="%s/edit/\d+"' % re.escape(path), text))


def titles(port, path):
    st, _, js = api(port, path)
    if st != 200:
        return None
    return [i["title"] for i in js["items"]]


def listed_total(port, path):
    st, _, js = api(port, path)
    return js["total"] if st == 200 else None


def queue_decide(client, action, fields):
    """Takes a decision with the queue row's own form (/admin/offers, its version included) of the
    entry fields["id"], other fields as given."""
    for page in (1, 2, 3):
        client.get("/admin/offers?page=%d" % page)
        for f in client.forms():
            if (f["action"] == action and f["fields"].get("id") == fields["id"]
                    and f["fields"].get("base") == fields["base"]):
                return client.post(action, dict(f["fields"], **fields))
    raise AssertionError("no %s form of #%s in the queue" % (action, fields["id"]))


class World:
    pass


def setup(w):
    db = w.db
    # ids of demo organisations and clusters, through a first short server
    srv = kt.Server(db, "offers-ids")
    p = srv.port
    w.precyzmet = org_id(p, "8138496581")      # enterprise, KLPS member
    w.kfo = org_id(p, "6752847340")            # enterprise, MKTC member
    w.atp = org_id(p, "5177025453")            # research, KLPS member
    w.klps = cluster_id(p, "KLPS")
    w.wkm = cluster_id(p, "WKM")               # neither Precyzmet nor ATP is a member
    srv.stop()
    kt.add_user(db, "admin@offers.example", PW, role="admin", name="Ada Admin")
    kt.add_user(db, "koord@offers.example", PW, role="coordinator", name="Kazimierz Koordynator", cluster=w.klps)
    kt.add_user(db, "koord2@offers.example", PW, role="coordinator", name="Inny Koordynator", cluster=w.wkm)
    kt.add_user(db, "redaktor@offers.example", PW, role="editor", name="Roman Redaktor", org=w.precyzmet)
    kt.add_user(db, "redaktor2@offers.example", PW, role="editor", name="Olga Obca", org=w.kfo)
    kt.add_user(db, "naukowiec@offers.example", PW, role="editor", name="Nina Naukowa", org=w.atp)
    kt.add_user(db, "ciekawy@offers.example", PW, role="user", name="Jan Zainteresowany")
    kt.add_user(db, "bezimienny@offers.example", PW, role="user")   # an account without a name


def login(w, email):
    c = kt.Client(w.port)
    c.login(email, PW)
    return c


def test_roles_for_adding(w):
    visitor = kt.Client(w.port)
    st, h, _ = visitor.get("/offers/new")
    ok(st == 303 and h.get("location", "").startswith("/login"), "visitor: GET /offers/new sends to the login page",
       (st, h.get("location")))
    token = visitor.csrf("/register")
    st, _, _ = visitor.post("/offers/new", dict(offer_form("Gość"), csrf=token))
    eq(st, 403, "visitor: POST /offers/new is 403")
    st, _, _ = visitor.post("/services/new", dict(service_form("Gość"), csrf=token))
    eq(st, 403, "visitor: POST /services/new is 403")
    st, _, _ = w.user.get("/offers/new")
    eq(st, 403, "a user without an organisation cannot open the add form")
    st, _, _ = w.user.post("/offers/new", dict(offer_form("Użytkownik"), csrf=w.user.csrf("/account")))
    eq(st, 403, "a user without an organisation cannot add")
    st, _, text = w.editor.get("/services/new")
    eq(st, 403, "an enterprise's editor cannot add services")
    st, _, text = w.editor.get("/offers/new")
    ok(st == 200 and 'name="title"' in text and "anna" not in text, "an editor opens the add form", st)
    # the links to add are offered only to those who may use them (a visitor's leads to the login)
    _, _, text = kt.Client(w.port).get("/offers")
    ok('<a href="/offers/new">' in text, "visitor: /offers links to adding (through the login)")
    _, _, text = w.user.get("/offers")
    ok('<a href="/offers/new">' not in text, "a user without an organisation is not offered the add link")
    _, _, text = w.editor.get("/offers")
    ok('<a href="/offers/new">' in text and '<a href="/offers/mine">' in text,
       "an editor: the add link and a link to their own entries")
    _, _, text = w.editor.get("/services")
    ok('<a href="/services/new">' not in text and '<a href="/offers/mine">' in text,
       "an enterprise's editor is not offered to add services")


def test_add_and_moderate(w):
    title = "Współpraca przy spawaniu łączników tytanowych Żółwik"
    before = count_edit_links(w.admin, "/offers")
    st, h, _ = w.editor.submit("/offers/new", "/offers/new", offer_form(title))
    ok(st == 303 and "done=created" in h.get("location", ""), "editor adds an offer (303 to the list)", (st, h.get("location")))
    eq(count_edit_links(w.admin, "/offers"), before + 1, "one offer was written")
    oid = entry_id(w.editor, "/offers", title)
    ok(oid, "the new offer is on the editor's list")
    w.offer_id = oid
    _, _, text = w.editor.get("/offers/mine")
    ok("awaiting moderation" in text, "its status is awaiting moderation")
    eq(listed_total(w.port, "/api/v1/offers?q=zolwik"), 0, "a pending offer is not listed (API)")
    _, _, text = kt.Client(w.port).get("/offers?q=zolwik")
    ok("/offers/%d\"" % oid not in text, "a pending offer is not on the listing page")
    st, _, _ = kt.Client(w.port).get("/offers/%d" % oid)
    eq(st, 404, "a visitor cannot open a pending offer")
    st, _, text = w.editor.get("/offers/%d" % oid)
    ok(st == 200 and "awaiting moderation" in text, "its editor can open it and sees its status", st)

    # who may decide
    token = w.editor.csrf("/account")
    st, _, _ = w.editor.post("/admin/offers/approve", {"csrf": token, "base": "offer", "id": str(oid)})
    eq(st, 403, "an editor cannot approve")
    for path in ("/admin/offers/approve", "/admin/offers/reject"):
        st, _, _ = w.editor.post(path, {"csrf": token})
        eq(st, 403, "an editor's %s without the form's fields: 403 (the role first), not a 400 about them" % path)
    token = w.coord2.csrf("/account")
    st, _, _ = w.coord2.post("/admin/offers/approve", {"csrf": token, "base": "offer", "id": str(oid)})
    eq(st, 403, "the coordinator of another cluster cannot approve")
    _, _, text = w.coord2.get("/admin/offers")
    ok("/offers/%d\"" % oid not in text, "the other coordinator's queue does not show it")
    st, _, text = w.coord.get("/admin/offers")
    ok(st == 200 and "/offers/%d\"" % oid in text, "the queue of the coordinator of the member's cluster shows it")
    st, h, _ = queue_decide(w.coord, "/admin/offers/approve", {"base": "offer", "id": str(oid)})
    ok(st == 303 and "done=approved" in h.get("location", ""), "the coordinator approves", (st, h.get("location")))
    st, _, _ = w.coord.post("/admin/offers/approve", {"csrf": w.coord.csrf("/account"), "base": "offer", "id": str(oid)})
    eq(st, 409, "approving twice is a conflict")
    got = w.sink.wait("redaktor@offers.example", 1)
    ok(got and title in kt.body_of(got[0]) and "/offers/%d" % oid in kt.body_of(got[0]),
       "the editor is told by e-mail that it was published", [kt.body_of(m)[:300] for m in got])

    # listed, and found without diacritics
    st, _, js = api(w.port, "/api/v1/offers?q=wspolpraca+spawaniu+lacznikow")
    ok(st == 200 and [i["id"] for i in js["items"]] == [oid], "found by 'wspolpraca spawaniu lacznikow' (no diacritics)",
       js)
    item = js["items"][0]
    ok("contact_email" not in item and "contact_phone" not in item and "anna.kontakt" not in json.dumps(item)
       and "111 22 33" not in json.dumps(item), "the API shows no contact e-mail or phone", item)
    eq(item["pkd_codes"], ["25.62.Z", "30.30.Z"], "the API gives the normalised PKD codes")
    eq(item["keywords"], ["tytan", "spawanie"], "the API gives the keywords")
    visitor = kt.Client(w.port)
    st, _, text = visitor.get("/offers?q=zolwik")
    ok(st == 200 and "/offers/%d\"" % oid in text, "the listing page shows it")
    st, _, text = visitor.get("/offers/%d" % oid)
    ok(st == 200 and "Anna Kontaktowa" in text and "anna.kontakt" not in text and "111 22 33" not in text
       and "Drugi akapit" in text, "its page shows the contact's name but not the e-mail or phone", st)
    _, _, text = w.user.get("/offers/%d" % oid)
    ok("anna.kontakt" not in text and "111 22 33" not in text and 'action="/offers/interest/%d"' % oid in text,
       "a logged-in user sees the message form, still without the contact's address")
    _, _, text = w.coord.get("/offers/%d" % oid)
    ok("The author&#39;s contact (moderators only)" in text and "mailto:anna.kontakt" in text and "111 22 33" in text,
       "the moderator sees the author's e-mail and phone beside the decisions")
    _, _, text = w.editor2.get("/offers/%d" % oid)
    ok("anna.kontakt" not in text and "111 22 33" not in text, "  another organisation's editor does not")
    st, _, js = api(w.port, "/api/v1/offers?q=6201")
    ok(st == 200, "a PKD code as search text is accepted", st)
    eq(listed_total(w.port, "/api/v1/offers?q=25.62.Z+zolwik"), 1, "a PKD code with dots is found as search text")

    # rejection with a note
    t2 = "Odrzucana oferta próbna"
    w.editor.submit("/offers/new", "/offers/new", offer_form(t2, contact_email="odrzut@precyzmet.example"))
    rid = entry_id(w.editor, "/offers", t2)
    st, h, _ = queue_decide(w.admin, "/admin/offers/reject", {"base": "offer", "id": str(rid),
                                                                        "note": "Za mało szczegółów"})
    ok(st == 303 and "done=rejected" in h.get("location", ""), "the administrator rejects with a note", st)
    got = w.sink.wait("redaktor@offers.example", 2)
    ok(len(got) >= 2 and "Za mało szczegółów" in kt.body_of(got[-1]), "the rejection mail carries the note")
    _, _, text = w.editor.get("/offers/mine")
    ok("Za mało szczegółów" in text and "rejected" in text, "the editor's list shows the rejection and its note")
    eq(listed_total(w.port, "/api/v1/offers?q=odrzucana"), 0, "a rejected offer is not listed")


def decisions(client, path):
    """The moderation forms on an entry page: {action: fields}."""
    client.get(path)
    return {f["action"]: f["fields"] for f in client.forms() if f["action"].startswith("/admin/offers/")}


def test_moderate_from_entry(w):
    """The entry page shows a moderator the decisions of the entry's state (take down an approved
    one, approve a rejected one), they come back to the page, and nothing is an empty heading."""
    title = "Oferta „Sokół” do zdjęcia"
    w.editor.submit("/offers/new", "/offers/new", offer_form(title, keywords="kwzdjecie"))
    oid = entry_id(w.editor, "/offers", title)
    page = "/offers/%d" % oid
    mails0 = len(w.sink.messages("redaktor@offers.example"))
    d = decisions(w.coord, page)
    ok(set(d) == {"/admin/offers/approve", "/admin/offers/reject"}
       and all(f.get("from") == "entry" and f.get("base") == "offer" and f.get("id") == str(oid) and f.get("csrf")
               for f in d.values()), "pending: the coordinator's page has approve and reject (CSRF, back to it)", d)
    st, h, _ = w.coord.post("/admin/offers/approve", d["/admin/offers/approve"])
    eq((st, h.get("location")), (303, page + "?done=approved"), "approving on the entry page comes back to it")
    got = w.sink.wait("redaktor@offers.example", mails0 + 1)
    ok(len(got) > mails0 and "„Oferta »Sokół« do zdjęcia”" in kt.body_of(got[-1]),
       "the mail quotes the title with »…« inside „…”", [kt.body_of(m)[:200] for m in got[mails0:]])
    eq(listed_total(w.port, "/api/v1/offers?q=kwzdjecie"), 1, "it is listed")
    st, _, text = w.coord.get(page + "?done=approved")
    ok(st == 200 and "Approved." in text and "<h2>Manage</h2>" in text and "<p></p>" not in text,
       "the page says it was approved, under a heading that is not empty")
    d = decisions(w.coord, page)
    ok(list(d) == ["/admin/offers/reject"] and "note" in d["/admin/offers/reject"],
       "approved: only taking it down (with a note) is offered", d)
    st, h, _ = w.coord.post("/admin/offers/reject", dict(d["/admin/offers/reject"], note="Nieaktualna"))
    eq((st, h.get("location")), (303, page + "?done=rejected"), "the coordinator takes it down from its page")
    eq(listed_total(w.port, "/api/v1/offers?q=kwzdjecie"), 0, "it is no longer listed")
    got = w.sink.wait("redaktor@offers.example", mails0 + 2)
    ok(len(got) > mails0 + 1 and "taken down" in kt.body_of(got[-1]) and "Nieaktualna" in kt.body_of(got[-1]),
       "the author is told it was taken down, with the note", [kt.body_of(m)[:300] for m in got[mails0 + 1:]])
    d = decisions(w.coord, page)
    eq(list(d), ["/admin/offers/approve"], "rejected: only approving is offered")
    st, h, _ = w.coord.post("/admin/offers/approve", d["/admin/offers/approve"])
    ok(st == 303 and listed_total(w.port, "/api/v1/offers?q=kwzdjecie") == 1, "approved again from its page", st)
    # who sees what
    eq(decisions(w.coord2, page), {}, "the coordinator of another cluster is offered nothing")
    _, _, text = w.coord2.get(page)
    ok("<h2>Manage</h2>" not in text, "  and sees no Manage heading")
    _, _, text = kt.Client(w.port).get(page)
    ok("<h2>Manage</h2>" not in text and "/admin/offers/" not in text, "a visitor sees no controls")
    st, _, _ = w.coord2.post("/admin/offers/reject", dict(d["/admin/offers/approve"], csrf=w.coord2.csrf("/account")))
    eq(st, 403, "another cluster's coordinator cannot take it down")
    st, _, _ = kt.Client(w.port).post("/admin/offers/reject", {"base": "offer", "id": str(oid), "from": "entry"})
    eq(st, 403, "nor can a visitor")
    st, _, _ = w.coord.post("/admin/offers/reject", {"base": "offer", "id": str(oid), "from": "entry"})
    eq(st, 403, "a decision without the CSRF token is refused")
    # another "from" is the queue's way back
    st, h, _ = w.coord.post("/admin/offers/reject", dict(decisions(w.coord, page)["/admin/offers/reject"],
                                                         **{"from": "//example.org/"}))
    eq((st, h.get("location")), (303, "/admin/offers?done=rejected"), "an unknown from= goes back to the queue")
    # withdrawn: nothing for a moderator to do, so no heading at all
    w.editor.submit_confirmed(page, "/offers/withdraw/%d" % oid, {})
    st, _, text = w.coord.get(page)
    ok(st == 200 and "<h2>Manage</h2>" not in text and "<p></p>" not in text and "/admin/offers/" not in text,
       "withdrawn: the coordinator sees neither an empty heading nor controls", kt.text_of(text)[-400:])
    _, _, text = w.editor.get(page)
    ok("<h2>Manage</h2>" in text and "/offers/edit/%d" % oid in text and "/offers/withdraw/%d" % oid not in text,
       "  its editor still may edit it")
    # services: the same page, the same forms
    stitle = "Usługa do zdjęcia kwzdjecie"
    w.scientist.submit("/services/new", "/services/new", service_form(stitle))
    sid = entry_id(w.scientist, "/services", stitle)
    spage = "/services/%d" % sid
    d = decisions(w.coord, spage)
    ok(set(d) == {"/admin/offers/approve", "/admin/offers/reject"} and d["/admin/offers/approve"].get("base") == "service",
       "a pending service: approve and reject on its page", d)
    st, h, _ = w.coord.post("/admin/offers/approve", d["/admin/offers/approve"])
    eq((st, h.get("location")), (303, spage + "?done=approved"), "approving a service comes back to its page")
    d = decisions(w.coord, spage)
    eq(list(d), ["/admin/offers/reject"], "an approved service can be taken down from its page")
    st, h, _ = w.coord.post("/admin/offers/reject", d["/admin/offers/reject"])
    ok(st == 303 and listed_total(w.port, "/api/v1/services?q=kwzdjecie") == 0, "taken down", st)


def test_edit_withdraw(w):
    oid = w.offer_id
    st, _, _ = w.editor2.get("/offers/edit/%d" % oid)
    eq(st, 403, "the editor of another organisation cannot open the edit form")
    token = w.editor2.csrf("/account")
    st, _, _ = w.editor2.post("/offers/edit/%d" % oid, dict(offer_form("Przejęta"), csrf=token))
    eq(st, 403, "… nor save it")
    st, _, _ = w.editor2.post("/offers/withdraw/%d" % oid, {"csrf": token})
    eq(st, 403, "… nor withdraw it")
    st, _, _ = w.coord.get("/offers/edit/%d" % oid)
    eq(st, 403, "a coordinator cannot edit a member's offer")
    title = "Współpraca przy spawaniu łączników tytanowych Żółwik v2"
    st, h, _ = w.editor.submit("/offers/edit/%d" % oid, "/offers/edit/%d" % oid, {"title": title})
    ok(st == 303 and "resubmitted" in h.get("location", ""), "the editor saves a change", (st, h.get("location")))
    eq(listed_total(w.port, "/api/v1/offers?q=zolwik"), 0, "an edited offer goes back to moderation (not listed)")
    queue_decide(w.admin, "/admin/offers/approve", {"base": "offer", "id": str(oid)})
    eq(titles(w.port, "/api/v1/offers?q=zolwik"), [title], "approved again, it is listed with the new title")
    st, h, _ = w.admin.submit("/offers/edit/%d" % oid, "/offers/edit/%d" % oid, {"keywords": "tytan, spawanie, admin"})
    ok(st == 303 and "saved" in h.get("location", ""), "an administrator edits", (st, h.get("location")))
    st, _, js = api(w.port, "/api/v1/offers?q=zolwik")
    ok(js["total"] == 1 and js["items"][0]["keywords"] == ["tytan", "spawanie", "admin"],
       "an administrator's edit keeps it published", js)
    # a bad edit changes nothing
    st, _, text = w.editor.submit("/offers/edit/%d" % oid, "/offers/edit/%d" % oid,
                                  {"valid_from": day(10), "valid_until": day(5)})
    ok(st == 400 and '<a href="#f-valid_until">Valid until</a>:' in text, "a bad edit is 400 and names valid_until", st)
    eq(titles(w.port, "/api/v1/offers?q=zolwik"), [title], "… and the offer is unchanged and still listed")
    # withdrawing asks first: the button's question, then (without JavaScript) a page naming the entry
    _, _, text = w.editor.get("/offers/%d" % oid)
    ok(re.search(r'data-confirm="Withdraw the entry “[^"]*Żółwik v2”\? It leaves the portal\."', text),
       "the withdraw button carries its question for JavaScript's confirm()")
    st, h, text = w.editor.submit("/offers/%d" % oid, "/offers/withdraw/%d" % oid, {})
    f = w.editor.form("/offers/withdraw/%d" % oid, text)
    ok(st == 200 and title in kt.text_of(text) and "stops being shown" in text and f
       and f["fields"].get("confirm") == "1" and f["fields"].get("from") == "entry" and f["fields"].get("csrf")
       and '<a href="/offers/%d">Cancel</a>' % oid in text,
       "the first POST answers with a page that names the entry, a confirm form (CSRF, from=entry) and Cancel back to it",
       (st, kt.text_of(text)[:400]))
    eq(titles(w.port, "/api/v1/offers?q=zolwik"), [title], "… and changes nothing: the offer is still listed")
    st, h, _ = w.editor.confirm("/offers/withdraw/%d" % oid, text)
    ok(st == 303 and "withdrawn" in h.get("location", ""), "the editor confirms: withdrawn", (st, h.get("location")))
    st, _, text = w.editor.post("/offers/withdraw/%d" % oid, {"csrf": w.editor.csrf("/account")})
    eq(st, 409, "asking to withdraw it again: 409, no question")
    eq(listed_total(w.port, "/api/v1/offers?q=zolwik"), 0, "a withdrawn offer is not listed")
    st, _, _ = kt.Client(w.port).get("/offers/%d" % oid)
    eq(st, 404, "nor shown to visitors")


def test_stale_forms(w):
    """A decision or an edit made on a page that no longer shows the entry as it is (edited, or
    decided by another moderator, in the meantime; a second tab) is refused with 409 and changes
    nothing: a moderator never approves a text they did not see, nor takes down an entry another
    moderator has just approved; an editor's older tab does not overwrite a newer save."""
    title = "Oferta kwstale pierwsza wersja"
    w.editor.submit("/offers/new", "/offers/new", offer_form(title, keywords="kwstale"))
    oid = entry_id(w.editor, "/offers", title)
    page = "/offers/%d" % oid
    # the moderator opens the entry; meanwhile its editor changes the text (still pending)
    d = decisions(w.coord, page)
    ok(all(f.get("seen") for f in d.values()), "the decision forms carry the entry's version (seen)", d)
    st, _, _ = w.editor.submit("/offers/edit/%d" % oid, "/offers/edit/%d" % oid,
                               {"description": "Zupełnie inny tekst, którego moderator nie widział."})
    eq(st, 303, "the editor changes the pending entry")
    st, _, text = w.coord.post("/admin/offers/approve", d["/admin/offers/approve"])
    ok(st == 409 and "changed since" in kt.text_of(text), "approving the text as it was: 409, it changed since",
       (st, kt.text_of(text)[:300]))
    eq(listed_total(w.port, "/api/v1/offers?q=kwstale"), 0, "  and the entry is not published")
    st, _, _ = w.coord.post("/admin/offers/approve", decisions(w.coord, page)["/admin/offers/approve"])
    ok(st == 303 and listed_total(w.port, "/api/v1/offers?q=kwstale") == 1, "approved from the page as it is now", st)
    # the queue's forms too
    title2 = "Oferta kwstale druga"
    w.editor.submit("/offers/new", "/offers/new", offer_form(title2, keywords="kwstale2"))
    oid2 = entry_id(w.editor, "/offers", title2)
    st, _, text = w.coord.get("/admin/offers")
    q = [f["fields"] for f in w.coord.forms(text)
         if f["action"] == "/admin/offers/approve" and f["fields"].get("id") == str(oid2)]
    ok(q and q[0].get("seen"), "a queue row's form carries the version too", q)
    w.editor.submit("/offers/edit/%d" % oid2, "/offers/edit/%d" % oid2, {"title": title2 + " poprawiona"})
    st, _, _ = w.coord.post("/admin/offers/approve", q[0])
    eq(st, 409, "approving from a queue page older than the edit: 409")
    eq(listed_total(w.port, "/api/v1/offers?q=kwstale2"), 0, "  not published")
    # two moderators: one approves, the other's page still offered "reject" of the pending entry
    title3 = "Oferta kwstale trzecia"
    w.editor.submit("/offers/new", "/offers/new", offer_form(title3, keywords="kwstale3"))
    oid3 = entry_id(w.editor, "/offers", title3)
    d_coord = decisions(w.coord, "/offers/%d" % oid3)
    d_admin = decisions(w.admin, "/offers/%d" % oid3)
    st, _, _ = w.admin.post("/admin/offers/approve", d_admin["/admin/offers/approve"])
    eq(st, 303, "the administrator approves")
    mails1 = len(w.sink.messages("redaktor@offers.example"))
    st, _, text = w.coord.post("/admin/offers/reject", dict(d_coord["/admin/offers/reject"], note="Niekompletna"))
    ok(st == 409 and "changed since" in kt.text_of(text),
       "the coordinator's reject of the pending entry, now approved: 409, not a take-down", (st, kt.text_of(text)[:300]))
    eq(listed_total(w.port, "/api/v1/offers?q=kwstale3"), 1, "  it stays published")
    w.sink.wait("redaktor@offers.example", mails1 + 1, timeout=2)
    ok(not any("taken down" in kt.body_of(m) and title3 in kt.body_of(m)
               for m in w.sink.messages("redaktor@offers.example")[mails1:]),
       "  and its author is not told it was taken down")
    # the editor's two tabs: the older one does not overwrite the newer save
    edit = "/offers/edit/%d" % oid3
    w.editor.get(edit)
    tab1 = dict(w.editor.form(edit)["fields"])
    w.editor.get(edit)
    tab2 = dict(w.editor.form(edit)["fields"])
    ok(tab1.get("seen"), "the edit form carries the entry's version (seen)", tab1)
    st, _, _ = w.editor.post(edit, dict(tab1, title="Oferta kwstale trzecia — z pierwszej karty"))
    eq(st, 303, "the first tab saves")
    st, _, text = w.editor.post(edit, dict(tab2, description="Opis z drugiej karty."))
    ok(st == 409 and "changed since" in kt.text_of(text) and "Opis z drugiej karty." in text,
       "the second tab's save: 409, its text kept in the form", (st, kt.text_of(text)[:400]))
    _, _, now = w.editor.get("/offers/%d" % oid3)
    ok("z pierwszej karty" in now and "Opis z drugiej karty." not in now, "  the first tab's save stands")
    st, _, _ = w.editor.post(edit, dict(w.editor.form(edit, text)["fields"]))
    eq(st, 303, "saving the form shown again (its version now the current one) goes through")
    _, _, now = w.editor.get("/offers/%d" % oid3)
    ok("Opis z drugiej karty." in now, "  with the second tab's text")


def test_bad_input(w):
    before = count_edit_links(w.admin, "/offers")
    # each problem is named by its label, linked to its field
    cases = [
        ({"title": ""}, '<a href="#f-title">Title</a>:'),
        ({"title": "x" * 201}, '<a href="#f-title">Title</a>:'),
        ({"kind": "barter"}, '<a href="#f-kind">Kind of offer</a>:'),
        ({"description": ""}, '<a href="#f-description">Description</a>:'),
        ({"pkd_codes": "00.11"}, '<a href="#f-pkd_codes">PKD codes</a>:'),
        ({"pkd_codes": "J"}, '<a href="#f-pkd_codes">PKD codes</a>:'),
        ({"pkd_codes": "62.01.Z zzz"}, '<a href="#f-pkd_codes">PKD codes</a>:'),
        ({"pkd_codes": "62.01.Y"}, "62.01.Y is not a subclass of PKD 2007; class 62.01 has 62.01.Z"),
        ({"keywords": "k" * 51}, '<a href="#f-keywords">Keywords</a>:'),
        ({"voivodeship": "07"}, '<a href="#f-voivodeship">Voivodeship</a>:'),
        ({"valid_from": "2026-02-30"}, '<a href="#f-valid_from">Valid from</a>:'),
        ({"valid_from": day(5), "valid_until": day(1)}, '<a href="#f-valid_until">Valid until</a>:'),
        ({"valid_from": day(-10), "valid_until": day(-1)}, '<a href="#f-valid_until">Valid until</a>:'),
        ({"valid_until": "9999-12-31"}, '<a href="#f-valid_until">Valid until</a>: at most 2 years ahead'),
        ({"valid_until": day(800)}, '<a href="#f-valid_until">Valid until</a>: at most 2 years ahead'),
        ({"contact_email": "nie-adres"}, '<a href="#f-contact_email">Contact e-mail</a>:'),
        ({"contact_phone": "12"}, '<a href="#f-contact_phone">Phone</a>:'),
        ({"contact_name": "Jan\nKowalski"}, '<a href="#f-contact_name">Contact person</a>:'),
    ]
    for change, field in cases:
        fields = offer_form("Błędna oferta z wartościami Żabka")
        fields.update(change)
        st, _, text = w.editor.submit("/offers/new", "/offers/new", fields)
        kept = "Szukamy partnera do wspólnego projektu." in text or change.get("description") == ""
        ok(st == 400 and field in text and kept, "bad %s: 400, the message names it, the values are kept" % field,
           (st, kt.text_of(text)[:400] if st != 400 or field not in text else "values lost"))
    st, _, text = w.editor.submit("/offers/new", "/offers/new", offer_form("Żabka", kind="barter"))
    ok(re.search(r'<select id="f-kind"[^>]*aria-invalid="true"', text), "the wrong field is marked aria-invalid")
    # every problem at once, each by its label, linked and marked; no internal field name shown
    st, _, text = w.editor.submit("/offers/new", "/offers/new", offer_form(
        "", kind="barter", keywords="k" * 51, valid_until="9999-12-31", contact_email="nie-adres", contact_phone="12"))
    named = ["kind", "title", "keywords", "valid_until", "contact_email", "contact_phone"]
    ok(st == 400 and all('<li><a href="#f-%s">' % f in text for f in named) and "Please correct the fields marked" in text,
       "six problems of one form are listed at once, each linked to its field", kt.text_of(text)[:600])
    ok(all(re.search(r'id="f-%s"[^>]*aria-invalid="true"' % f, text) for f in named)
       and not re.search(r'id="f-description"[^>]*aria-invalid', text), "each of them, and only they, marked aria-invalid")
    ok(re.search(r'<select id="f-kind"[^>]*autofocus', text) and text.count("autofocus") == 1,
       "the first field to correct has the focus")
    ok(not any(f + ":" in kt.text_of(text) for f in named), "no internal field name in the page's text")
    st, _, text = w.scientist.submit("/services/new", "/services/new",
                                     service_form("", category="x", price_model="barter", contact_email=""))
    ok(st == 400 and all('<li><a href="#f-%s">' % f in text for f in ("category", "title", "price_model", "contact_email"))
       and "Service category" in text and "Price model" in text, "a service form lists every problem by its label too",
       kt.text_of(text)[:600])
    # the same refusals on a Polish page: in Polish
    pl = kt.Client(w.port, lang="pl")
    pl.login("redaktor@offers.example", PW)
    for change, want in (({"title": "x" * 201}, "Tytuł: wymagane, najwyżej 200 znaków (ten ma 201)"),
                         ({"valid_from": "2026-02-30"}, "Ważna od: '2026-02-30': 2026-02-30 nie istnieje (ten miesiąc ma 28 dni)"),
                         ({"pkd_codes": "J9"}, "Kody PKD: 'J9': musi być kodem PKD"),
                         ({"pkd_codes": "62.05"}, "Kody PKD: '62.05': 62.05 nie jest klasą PKD 2007; grupa 62.0 ma "
                          "klasy: 62.01, 62.02, 62.03, 62.09"),
                         ({"contact_email": "a@b"}, "E-mail osoby kontaktowej: domena po @ musi kończyć się domeną"),
                         ({"keywords": "tytan, " + "k" * 51}, "Słowa kluczowe: każde słowo kluczowe to jedna fraza do 50 "
                          "znaków; oddziel je przecinkami"),
                         ({"valid_until": "9999-12-31"}, "Ważna do: najwyżej 2 lata naprzód, czyli najpóźniej %s "
                          "(podano późniejszą datę 9999-12-31)" % TODAY.replace(year=TODAY.year + 2).isoformat()
                          if (TODAY.month, TODAY.day) != (2, 29) else "Ważna do: najwyżej 2 lata naprzód"),
                         ({"valid_from": day(3), "valid_until": day(2)}, "Ważna do: nie może być wcześniej niż data "
                          "„Ważna od” (%s)" % day(3))):
        fields = offer_form("Polska strona")
        fields.update(change)
        st, _, text = pl.submit("/offers/new", "/offers/new", fields)
        ok(st == 400 and want in kt.text_of(text).replace(" :", ":"), "Polish page: %s" % want, kt.text_of(text)[:300])
    for path, want in (("/offers?pkd=zz", "„zz” nie jest kodem PKD działu ani dokładniejszym"),
                       ("/offers?pkd=J", "Kod PKD: „J” nie jest kodem PKD działu")):
        st, _, text = pl.get(path)
        ok(st == 400 and want in kt.text_of(text).replace(" :", ":"), "Polish page %s: %s" % (path, want), kt.text_of(text)[:300])
    st, _, text = w.admin.submit("/offers/new", "/offers/new", offer_form("Bez organizacji", org=""))
    ok(st == 400 and '<a href="#f-org">Organisation</a>: choose the organisation' in text
       and re.search(r'<select id="f-org"[^>]*aria-invalid="true"', text),
       "an administrator must choose the organisation (named, marked)", st)
    st, _, text = w.admin.submit("/offers/new", "/offers/new", offer_form("", org=""))
    ok(st == 400 and '<li><a href="#f-org">' in text and '<li><a href="#f-title">' in text,
       "  together with the other problems", st)
    st, _, text = w.admin.submit("/services/new", "/services/new", service_form("Usługa firmy", org=str(w.precyzmet)))
    ok(st == 400 and 'href="#f-org"' in text, "services only for universities, R&D units and support institutions", st)
    eq(count_edit_links(w.admin, "/offers"), before, "no bad form wrote an offer")
    st, _, text = w.scientist.submit("/services/new", "/services/new", service_form("Zła usługa", price_model="barter"))
    ok(st == 400 and '<a href="#f-price_model">Price model</a>:' in text, "bad price_model is 400 and named", st)
    for path, want in (("/api/v1/offers?kind=barter", "kind:"), ("/api/v1/offers?sort=price", "sort:"),
                       ("/api/v1/offers?pkd=J", "pkd:"), ("/api/v1/offers?per_page=500", "per_page:"),
                       ("/api/v1/services?price=x", "price:"), ("/api/v1/services?sort=valid_until", "sort:"),
                       ("/offers?voiv=x", '<a href="#f-voiv">')):
        st, h, body = kt.request(w.port, "GET", path)
        ok(st == 400 and want in body.decode("utf-8", "replace"), "%s: 400 naming the parameter" % path, (st, body[:200]))
    st, h, body = kt.request(w.port, "GET", "/api/v1/offers?kind=barter")
    ok(h.get("content-type", "").startswith("application/json") and b'"error"' in body, "API errors are JSON")


def write_csv(name, header, rows):
    import csv
    path = os.path.join(kt.WORK, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f)
        wr.writerow(header)
        for r in rows:
            wr.writerow(r)
    return path


OFFER_COLS = ["organisation", "kind", "title", "description", "pkd_codes", "keywords", "voivodeship", "valid_from",
              "valid_until", "contact_name", "contact_email", "contact_phone"]


def test_listing(w):
    # six approved offers of one keyword, imported (the operator publishes)
    rows = [
        ("Żuraw portowy do wynajęcia", "supply", "30.11.Z", "22", day(30)),
        ("Cyrkiel elektroniczny", "technology", "62.01.Z", "12", day(10)),
        ("Łódka aluminiowa", "supply", "30.12.Z", "22", day(50)),
        ("Zebra etykiet", "demand", "62.09.Z", "12", day(20)),
        ("Ćwiczenie ewakuacyjne", "cooperation", "26.20.Z", "14", day(40)),
        ("Lody rzemieślnicze", "supply", "10.52.Z", "10", day(60)),
    ]
    path = write_csv("list.csv", OFFER_COLS,
                     [("5179383990", k, t, "Opis oferty listowej.", pkd, "kwlisty", v, day(0), until, "Osoba Listowa",
                       "lista@aerokompozyt.example", "") for (t, k, pkd, v, until) in rows])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 0 and "6 inserted" in r.stdout, "import offers: 6 inserted", r.stdout + r.stderr)
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 0 and "6 unchanged" in r.stdout, "importing again changes nothing", r.stdout + r.stderr)
    polish = ["Cyrkiel elektroniczny", "Ćwiczenie ewakuacyjne", "Lody rzemieślnicze", "Łódka aluminiowa",
              "Zebra etykiet", "Żuraw portowy do wynajęcia"]
    got = []
    for page in (1, 2, 3):
        got += titles(w.port, "/api/v1/offers?q=kwlisty&sort=title&per_page=2&page=%d" % page)
    eq(got, polish, "sort=title is Polish alphabetical order across three pages of two")
    eq(titles(w.port, "/api/v1/offers?q=kwlisty&sort=title&per_page=2&page=4"), [], "a page past the end is empty")
    eq(listed_total(w.port, "/api/v1/offers?q=kwlisty&per_page=2&page=3"), 6, "total counts every match, not the page")
    by_until = [t for (t, _, _, _, u) in sorted(rows, key=lambda x: x[4])]
    eq(titles(w.port, "/api/v1/offers?q=kwlisty&sort=valid_until"), by_until, "sort=valid_until: ending soonest first")
    newest = titles(w.port, "/api/v1/offers?q=kwlisty")
    eq(newest, [t for (t, *_) in reversed(rows)], "the default order is newest first")
    eq(sorted(titles(w.port, "/api/v1/offers?q=kwlisty&kind=supply")),
       sorted(["Żuraw portowy do wynajęcia", "Łódka aluminiowa", "Lody rzemieślnicze"]), "filter by kind")
    eq(sorted(titles(w.port, "/api/v1/offers?q=kwlisty&voiv=12")), sorted(["Cyrkiel elektroniczny", "Zebra etykiet"]),
       "filter by voivodeship")
    eq(sorted(titles(w.port, "/api/v1/offers?q=kwlisty&pkd=62")), sorted(["Cyrkiel elektroniczny", "Zebra etykiet"]),
       "filter by PKD division 62 (not 26.20)")
    eq(titles(w.port, "/api/v1/offers?q=kwlisty&pkd=62.01.Z"), ["Cyrkiel elektroniczny"], "filter by PKD subclass")
    eq(titles(w.port, "/api/v1/offers?pkd=30.1&voiv=22&kind=supply&q=kwlisty&sort=title"),
       ["Łódka aluminiowa", "Żuraw portowy do wynajęcia"], "filters combine")
    eq(titles(w.port, "/api/v1/offers?q=lodka"), ["Łódka aluminiowa"], "'lodka' finds 'Łódka'")
    # one organisation's entries: the filter, its notice, the link from its directory page
    st, _, js = api(w.port, "/api/v1/offers?q=kwlisty&per_page=1")
    oid = js["items"][0]["organisation"]["id"] if st == 200 and js["items"] else 0
    eq(sorted(titles(w.port, "/api/v1/offers?q=kwlisty&org=%d" % oid) or []), sorted(t for (t, *_) in rows),
       "org= lists that organisation's offers")
    eq(listed_total(w.port, "/api/v1/offers?q=kwlisty&org=%d" % (oid + 1)), 0, "  and not another's")
    st, _, _ = api(w.port, "/api/v1/offers?org=abc")
    eq(st, 400, "org= that is not a number: 400")
    # an organisation there is not: 404 naming org, not an empty list under its number
    st, _, js = api(w.port, "/api/v1/offers?org=999999999")
    ok(st == 404 and "org" in str(js), "org= of no organisation: the API answers 404 naming org", (st, js))
    for path in ("/offers?org=999999999", "/services?org=999999999&page=2"):
        st, _, page = kt.Client(w.port).get(path)
        ok(st == 404 and "Organisation (org): no organisation #999999999" in kt.text_of(page)
           and '<form class="filters"' in page, "%s is 404 naming org, above the filter form" % path,
           (st, kt.text_of(page)[:300]))
    st, _, page = kt.Client(w.port, lang="pl").get("/offers?org=999999999")
    ok(st == 404 and "nie ma organizacji nr 999999999" in kt.text_of(page), "  said in Polish on a Polish page",
       (st, kt.text_of(page)[:300]))
    st, _, page = kt.Client(w.port).get("/offers?org=%d" % oid)
    ok(st == 200 and "Only the entries of" in page and 'name="org" value="%d"' % oid in page,
       "the list says whose entries it shows and keeps org in its filter form", st)
    st, _, page = kt.Client(w.port).get("/organisations/%d" % oid)
    ok(st == 200 and 'href="/offers?org=%d">Offers: ' % oid in page,
       "the organisation's directory page links to its offers", st)
    # a cluster's members' entries (aerokompozyt is a member of KLPS, not of WKM): by number or acronym
    eq(sorted(titles(w.port, "/api/v1/offers?q=kwlisty&cluster=klps&per_page=20") or []), sorted(t for (t, *_) in rows),
       "cluster=klps (any case) lists the offers of KLPS's members")
    eq(listed_total(w.port, "/api/v1/offers?q=kwlisty&cluster=%d" % w.wkm), 0, "  and cluster=WKM's number none of them")
    st, _, js = api(w.port, "/api/v1/offers?cluster=nope")
    ok(st == 404 and "cluster: there is no cluster 'nope'" in js["error"]["message"],
       "cluster=nope: 404 naming it, as /news?cluster= answers", js)
    st, _, page = kt.Client(w.port).get("/offers?q=kwlisty&cluster=KLPS&per_page=2")
    ok(st == 200 and "Only the entries of the members of" in page and 'name="cluster" value="%d"' % w.klps in page
       and "cluster=KLPS&amp;per_page=2&amp;page=2" in page,
       "the list says whose entries it shows and keeps cluster in its form and page links", st)
    st, _, page = kt.Client(w.port).get("/clusters/%d" % w.klps)
    m = re.search(r'href="/offers\?cluster=%d">Offers: (\d+)</a>' % w.klps, page)
    ok(st == 200 and m and int(m.group(1)) == listed_total(w.port, "/api/v1/offers?cluster=%d" % w.klps),
       "the cluster's page links to its members' offers with their number", st)
    # the count follows the offers: one more published, the (cached) page says so at once
    n_before = int(m.group(1)) if m else -1
    path = write_csv("one-more.csv", OFFER_COLS, [("5179383990", "supply", "Jeszcze jedna oferta klastra", "Opis.", "",
                                                  "kwjeszcze", "", day(0), day(30), "Osoba", "jeszcze@aerokompozyt.example",
                                                  "")])
    r = kt.cli(w.db, "import", "offers", path)
    st, _, page = kt.Client(w.port).get("/clusters/%d" % w.klps)
    m = re.search(r'href="/offers\?cluster=%d">Offers: (\d+)</a>' % w.klps, page)
    ok(r.returncode == 0 and m and int(m.group(1)) == n_before + 1,
       "  and follows a new offer at once (the page's cache knows it shows offers)", (n_before, m and m.group(1)))
    eq(titles(w.port, "/api/v1/offers?q=cwicz"), ["Ćwiczenie ewakuacyjne"], "a word prefix without diacritics")
    st, _, text = kt.Client(w.port).get("/offers?q=kwlisty&sort=title&per_page=2&page=2")
    ok(st == 200 and text.index("Lody rzemieślnicze") < text.index("Łódka aluminiowa") and "Cyrkiel" not in text
       and "Found: <strong>6</strong>" in text and 'aria-current="page" href="/offers?q=kwlisty&amp;sort=title&amp;per_page=2&amp;page=2"' in text,
       "the listing page shows page 2 of 3 with its links", kt.text_of(text)[-1500:])

    # expiry: an offer whose last day has passed is not listed, at query time
    path = write_csv("expiry.csv", OFFER_COLS, [
        ("5179383990", "demand", "Oferta ważna do dziś", "Ostatni dzień.", "", "kwwygasa", "", day(-5), day(0),
         "Osoba", "dzis@aerokompozyt.example", ""),
        ("5179383990", "demand", "Oferta ważna do wczoraj", "Już po terminie.", "", "kwwygasa", "", day(-5), day(-1),
         "Osoba", "wczoraj@aerokompozyt.example", ""),
    ])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 0, "import of offers ending today and yesterday", r.stderr)
    eq(titles(w.port, "/api/v1/offers?q=kwwygasa"), ["Oferta ważna do dziś"], "an offer is listed through its last day, "
       "one past it is not")
    _, _, text = kt.Client(w.port).get("/offers?q=kwwygasa")
    ok("Oferta ważna do dziś" in text and "Oferta ważna do wczoraj" not in text, "the same on the listing page")
    st, _, js = api(w.port, "/api/v1/offers?q=wczoraj")
    eq(js["total"], 0, "the expired offer is not found by its own words either")
    # the offer of today, cached, then its date moves into the past
    path = write_csv("expiry2.csv", OFFER_COLS, [
        ("5179383990", "demand", "Oferta ważna do dziś", "Ostatni dzień.", "", "kwwygasa", "", day(-5), day(-1),
         "Osoba", "dzis@aerokompozyt.example", "")])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 0 and "1 updated" in r.stdout, "its end date moves to yesterday", r.stdout + r.stderr)
    eq(titles(w.port, "/api/v1/offers?q=kwwygasa"), [], "then it leaves the listing (no stale cached page)")
    oid = entry_id(w.admin, "/offers", "Oferta ważna do dziś")
    st, _, text = kt.Client(w.port).get("/offers/%d" % oid)
    ok(st == 410 and day(-1) in text, "its page answers 410 Gone with the date", st)


def test_filter_errors(w):
    """A filter the listing cannot take: the listing's page with its filter form, the values as
    typed, the problem named by the filter's label in the page's language and linked to its
    control (marked), 400 (404 for an organisation or a cluster there is not), no results."""
    cases = [
        ("/offers?kind=zzz&q=kwlisty", "kind", "Kind", "Rodzaj", "&#39;zzz&#39; is not one of"),
        ("/offers?voiv=99&q=kwlisty", "voiv", "Voivodeship", "Województwo", "is not the 2-digit TERYT code"),
        ("/offers?pkd=xx&q=kwlisty", "pkd", "PKD code", "Kod PKD", "is not a PKD code"),
        ("/offers?sort=price&q=kwlisty", "sort", "Sort by", "Sortuj", "is not one of newest, title, valid_until"),
        ("/offers?q=" + "s%C5%82owo%20" * 17, "q", "Search", "Szukaj", "at most 16 words"),
        ("/services?category=zz&q=kwlisty", "category", "Category", "Kategoria", "is not one of consulting"),
        ("/services?price=zz&q=kwlisty", "price", "Price", "Cena", "is not one of free"),
    ]
    for path, field, en, pl, why in cases:
        st, _, page = kt.Client(w.port).get(path)
        ok(st == 400 and ('<a href="#f-%s">%s</a>: ' % (field, en)) in page and why in page
           and re.search(r'id="f-%s"[^>]*aria-invalid="true"' % field, page) and '<form class="filters"' in page
           and '<table class="results"' not in page,
           "%s: 400, the listing's form, the problem by the label %s linked to its control" % (path, en),
           (st, kt.text_of(page)[:400]))
        st, _, page = kt.Client(w.port, lang="pl").get(path)
        ok(st == 400 and ('<a href="#f-%s">%s</a>: ' % (field, pl)) in page and "%s:" % field not in kt.text_of(page),
           "  in Polish on a Polish page, by the Polish label", (st, kt.text_of(page)[:400]))
    # what was typed stays in the form (escaped), the refused value is not selected
    st, _, page = kt.Client(w.port).get("/offers?kind=zzz&q=%3Cb%3Ezz&pkd=62&voiv=12&sort=title")
    ok(st == 400 and 'name="q" value="&lt;b&gt;zz"' in page and 'name="pkd" value="62"' in page
       and 'value="12" selected' in page and 'value="title" selected' in page and 'value="zzz"' not in page,
       "the form keeps the other filters as typed", kt.text_of(page)[:400])
    # parameters without a control (they come in links): named by what they mean, with the parameter
    for path, st_want, text in (
            ("/offers?page=0", 400, "Page number (page): must be a whole number from 1 to 100000"),
            ("/services?page=abc", 400, "Page number (page): must be a whole number from 1 to 100000"),
            ("/offers?per_page=1000", 400, "Entries per page (per_page): must be a whole number from 1 to 100"),
            ("/offers?cluster=999999", 404, "Cluster (cluster): there is no cluster '999999'"),
            ("/services?cluster=abc", 404, "Cluster (cluster): there is no cluster 'abc'"),
            ("/offers?org=abc", 400, "Organisation (org): must be a whole number")):
        st, _, page = kt.Client(w.port).get(path)
        ok(st == st_want and text in kt.text_of(page) and '<form class="filters"' in page,
           "%s: %d above the listing's form, naming the parameter by its meaning" % (path, st_want),
           (st, kt.text_of(page)[:400]))
    st, _, page = kt.Client(w.port, lang="pl").get("/offers?page=0")
    ok(st == 400 and "Numer strony (page): musi być liczbą całkowitą od 1 do 100000" in kt.text_of(page),
       "  in Polish on a Polish page", kt.text_of(page)[:400])
    # an organisation's listing whose page is refused keeps the organisation in its form
    st, _, js = api(w.port, "/api/v1/offers?q=kwlisty&per_page=1")
    oid = js["items"][0]["organisation"]["id"]
    st, _, page = kt.Client(w.port).get("/offers?org=%d&cluster=nope" % oid)
    ok(st == 404 and 'name="org" value="%d"' % oid in page, "a refused cluster keeps org in the form", st)
    # the API answers as before: JSON, naming the parameter
    st, _, js = api(w.port, "/api/v1/offers?kind=zzz")
    ok(st == 400 and js and js["error"]["message"].startswith("kind: "), "the API's answer is JSON naming kind", js)
    # several wrong filters: all of them named at once, each by its label (400 also when one of
    # them is a cluster there is not), every control marked, the form filled in below the list
    for path, names, texts in (
            ("/offers?kind=zzz&voiv=99&pkd=xx&sort=price&page=0&per_page=1000&cluster=nope&q=kwlisty",
             (("kind", "Kind", "Rodzaj"), ("voiv", "Voivodeship", "Województwo"), ("pkd", "PKD code", "Kod PKD"),
              ("sort", "Sort by", "Sortuj")),
             (("Page number (page): must be a whole number from 1 to 100000",
               "Numer strony (page): musi być liczbą całkowitą od 1 do 100000"),
              ("Entries per page (per_page): must be a whole number from 1 to 100",
               "Liczba wpisów na stronie (per_page): musi być liczbą całkowitą od 1 do 100"),
              ("Cluster (cluster): there is no cluster 'nope'", "Klaster (cluster): "))),
            ("/services?category=zz&price=zz&sort=valid_until&q=" + "s%C5%82owo%20" * 17,
             (("q", "Search", "Szukaj"), ("category", "Category", "Kategoria"), ("price", "Price", "Cena"),
              ("sort", "Sort by", "Sortuj")), ())):
        for lang in ("en", "pl"):
            st, _, page = kt.Client(w.port, lang=lang).get(path)
            alert = page[page.find('role="alert"'):page.find('<form class="filters"')]
            labels = [(field, en if lang == "en" else pl) for field, en, pl in names]
            missing = [lab for field, lab in labels if ('<a href="#f-%s">%s</a>: ' % (field, lab)) not in alert]
            missing += [t[0 if lang == "en" else 1] for t in texts
                        if t[0 if lang == "en" else 1] not in kt.text_of(alert)]
            unmarked = [field for field, _ in labels
                        if not re.search(r'id="f-%s"[^>]*aria-invalid="true"' % field, page)]
            ok(st == 400 and not missing and not unmarked and alert.count("<li>") == len(names) + len(texts)
               and '<table class="results"' not in page,
               "%s (%s): 400, every problem named above the form, each control marked" % (path[:60], lang),
               (st, missing, unmarked, kt.text_of(alert)[:600]))
    st, _, js = api(w.port, "/api/v1/services?category=zz&price=zz")
    ok(st == 400 and js and js["error"]["message"].split("\n")[0].startswith("category: ")
       and js["error"]["message"].split("\n")[1].startswith("price: "), "the API names every problem, a line each", js)
    st, _, page = kt.Client(w.port).get("/offers?org=999999999&cluster=nope")
    ok(st == 404 and "Organisation (org): no organisation #999999999" in kt.text_of(page)
       and "Cluster (cluster): there is no cluster 'nope'" in kt.text_of(page),
       "an organisation and a cluster there are not: 404, both named", (st, kt.text_of(page)[:400]))
    # a page past the last: where the entries end, with a link there (not an empty table)
    st, _, page = kt.Client(w.port).get("/offers?q=kwlisty&per_page=2&page=9")
    ok(st == 200 and "The entries end on page 3." in page
       and '<a href="/offers?q=kwlisty&amp;per_page=2&amp;page=3">Go to page 3</a>' in page
       and '<table class="results"' not in page, "a page past the last says where the entries end",
       kt.text_of(page)[:600])


def test_canonical_address(w):
    """One address an entry: the number with leading zeros is a 301 to the address the portal
    writes (?lang= kept); other spellings are 404."""
    for base in ("/offers", "/services"):
        st, _, page = kt.Client(w.port).get(base)
        m = re.search(r'<a href="%s/(\d+)">' % base, page)
        eid = int(m.group(1)) if m else 0
        ok(eid, "%s lists an entry" % base)
        for path, want in (("%s/0%d" % (base, eid), "%s/%d" % (base, eid)),
                           ("%s/000%d?lang=pl" % (base, eid), "%s/%d?lang=pl" % (base, eid))):
            st, h, _ = kt.request(w.port, "GET", path)
            eq((st, h.get("location", "").replace("http://127.0.0.1:%d" % w.port, "")), (301, want),
               "%s is a 301 to %s" % (path, want))
        for path in ("%s/+%d" % (base, eid), "%s/%dx" % (base, eid), "%s/0" % base, "%s/00" % base):
            eq(kt.request(w.port, "GET", path)[0], 404, "%s is 404" % path)
        eq(kt.request(w.port, "GET", "%s/%d" % (base, eid))[0], 200, "%s/%d is the page" % (base, eid))


def test_interest(w):
    title = "Oferta dla zainteresowanych Jeżyk"
    contact = "jezyk.kontakt@precyzmet.example"
    w.editor.submit("/offers/new", "/offers/new", offer_form(title, contact_email=contact, contact_phone="+48 600 700 800"))
    oid = entry_id(w.editor, "/offers", title)
    queue_decide(w.admin, "/admin/offers/approve", {"base": "offer", "id": str(oid)})
    visitor = kt.Client(w.port)
    _, _, text = visitor.get("/offers/%d" % oid)
    ok("/login?next=" in text and 'action="/offers/interest/' not in text, "a visitor is asked to log in, no form")
    _, _, text = kt.Client(w.port, lang="pl").get("/offers/%d" % oid)
    ok("<h2>Zgłoś zainteresowanie</h2>" in text and "Jestem zainteresowany" not in text,
       "the Polish heading is neutral (no masculine-only form)")
    token = visitor.csrf("/register")
    st, _, _ = visitor.post("/offers/interest/%d" % oid, {"csrf": token, "message": "Dzień dobry"})
    eq(st, 403, "a visitor cannot send a message")
    st, _, text = w.user.submit("/offers/%d" % oid, "/offers/interest/%d" % oid, {"message": "   "})
    ok(st == 400 and '<a href="#f-message">' in text, "an empty message is 400 naming the field (by its label, linked)",
       st)
    msg = "Dzień dobry, chętnie porozmawiamy o współpracy. Proszę o kontakt."
    st, h, _ = w.user.submit("/offers/%d" % oid, "/offers/interest/%d" % oid, {"message": msg})
    ok(st == 303 and "done=sent" in h.get("location", ""), "a logged-in user sends a message", (st, h.get("location")))
    got = w.sink.wait(contact, 1)
    ok(len(got) == 1, "the mail arrives at the offer's contact address (SMTP)", len(got))
    if not got:
        return
    m = got[0]
    raw = m.as_string()
    body = kt.body_of(m)
    ok(msg in body and "Jan Zainteresowany" in body and title in body, "it carries the message, the sender's name and the title")
    ok("Jan Zainteresowany zgłasza zainteresowanie i pisze w sprawie" in body
       and "Jan Zainteresowany is interested in the offer \"%s\" on the klaster portal and writes:" % title in body
       and "zainteresowany(-a)" not in body and "interested in and" not in body,
       "it says so in neutral Polish and in grammatical English", body[:600])
    ok("ciekawy@offers.example" not in raw, "it does not reveal the sender's address (nowhere in the message)")
    ok(m.get("Reply-To") is None, "it has no Reply-To")
    link = kt.link_in(m, "/offers/reply")
    ok(link, "it has a link to answer through the portal")
    owner = kt.Client(w.port)
    st, _, text = owner.get(link)
    ok(st == 200 and msg.split(",")[0] in text and "ciekawy@offers.example" not in text,
       "the reply page quotes the message without the sender's address", st)
    answer = "Dziękujemy, zapraszamy na spotkanie w przyszłym tygodniu."
    st, _, text = owner.submit(link, "/offers/reply", {"message": answer})
    ok(st == 200 and "Answer sent" in text, "the contact answers through the portal", (st, kt.text_of(text)[:300]))
    got = w.sink.wait("ciekawy@offers.example", 1)
    ok(len(got) == 1, "the answer arrives at the interested user", len(got))
    if got:
        raw = got[0].as_string()
        ok(answer in kt.body_of(got[0]) and "Anna Kontaktowa" in kt.body_of(got[0]),
           "it carries the answer and the contact's name")
        ok(contact not in raw and "600 700 800" not in raw, "it does not reveal the contact's address or phone")
        ok(kt.link_in(got[0], "/offers/reply"), "and it can be answered again through the portal")
    # a sender without a name is "a portal user" in each language's half of the mail, never both at once
    anon = login(w, "bezimienny@offers.example")
    st, _, _ = anon.submit("/offers/%d" % oid, "/offers/interest/%d" % oid, {"message": "Pytanie bez podpisu."})
    got = w.sink.wait(contact, 2)
    body2 = kt.body_of(got[1]) if len(got) > 1 else ""
    ok(st == 303 and "Użytkownik portalu zgłasza zainteresowanie" in body2 and
       "A portal user is interested in" in body2 and "Użytkownik portalu / A portal user" not in body2 and
       "bezimienny@offers.example" not in body2, "a sender without a name: each half in its own language",
       body2[:400])
    st, _, _ = owner.get(link)
    eq(st, 410, "a reply link works once")
    st, _, _ = owner.post("/offers/reply", {"csrf": owner.csrf("/register"), "token": link.split("token=")[1],
                                            "message": "jeszcze raz"})
    eq(st, 410, "a spent link cannot post again")
    _, _, text = w.admin.get("/admin/audit")
    ok("offer-interest" in text and "offer-reply" in text and "offer-create" in text and "offer-approve" in text
       and "offer-reject" in text and "offer-withdraw" in text and "offer-update" in text,
       "every change is in the audit log")
    # the rate limit: five messages an hour per user
    codes = []
    for i in range(5):
        st, _, _ = w.user.post("/offers/interest/%d" % oid, {"csrf": w.user.csrf("/account"), "message": "wiadomość %d" % i})
        codes.append(st)
    eq(codes, [303, 303, 303, 303, 429], "the sixth message within the hour is refused (429)")


def test_services(w):
    title = "Badania zmęczeniowe kompozytów w komorze klimatycznej"
    st, h, _ = w.scientist.submit("/services/new", "/services/new", service_form(title))
    ok(st == 303, "an R&D unit's editor adds a service", st)
    sid = entry_id(w.scientist, "/services", title)
    ok(sid, "it is on the editor's list")
    eq(listed_total(w.port, "/api/v1/services?q=zmeczeniowe"), 0, "a pending service is not listed")
    st, _, _ = w.editor.post("/admin/offers/approve", {"csrf": w.editor.csrf("/account"), "base": "service", "id": str(sid)})
    eq(st, 403, "an editor cannot approve a service")
    st, _, _ = w.coord2.post("/admin/offers/approve", {"csrf": w.coord2.csrf("/account"), "base": "service", "id": str(sid)})
    eq(st, 403, "nor the coordinator of another cluster")
    st, _, text = w.coord.get("/admin/offers")
    ok("/services/%d\"" % sid in text, "the same moderation page lists services")
    st, h, _ = queue_decide(w.coord, "/admin/offers/approve", {"base": "service", "id": str(sid)})
    ok(st == 303, "the coordinator approves the service", st)
    st, _, js = api(w.port, "/api/v1/services?q=zmeczeniowe+komorze")
    ok(st == 200 and [i["id"] for i in js["items"]] == [sid], "found without diacritics", js)
    ok("contact_email" not in js["items"][0] and "lab.kontakt" not in json.dumps(js), "no contact e-mail in the API")
    st, _, _ = w.editor.get("/services/edit/%d" % sid)
    eq(st, 403, "another organisation's editor cannot edit the service")
    # filters, sorting, pages
    path = write_csv("services.csv", ["organisation", "category", "title", "description", "price_model", "price_note",
                                      "voivodeship", "contact_name", "contact_email", "contact_phone"], [
        ("5177025453", "training", "Żeglarstwo dla kadr", "Szkolenie kwusl.", "free", "", "18", "A", "a@atp.example", ""),
        ("5177025453", "consulting", "Audyt energetyczny", "Doradztwo kwusl.", "hourly", "200 zł/h", "18", "A", "a@atp.example", ""),
        ("6752703670", "training", "Ćwiczenia z chmury", "Szkolenie kwusl.", "co_financed", "", "12", "B", "b@fcm.example", ""),
        ("6752703670", "export", "Misje handlowe", "Eksport kwusl.", "quote", "", "12", "B", "b@fcm.example", ""),
    ])
    r = kt.cli(w.db, "import", "services", path)
    ok(r.returncode == 0 and "4 inserted" in r.stdout, "import services", r.stdout + r.stderr)
    got = titles(w.port, "/api/v1/services?q=kwusl&sort=title&per_page=3") + \
        titles(w.port, "/api/v1/services?q=kwusl&sort=title&per_page=3&page=2")
    eq(got, ["Audyt energetyczny", "Ćwiczenia z chmury", "Misje handlowe", "Żeglarstwo dla kadr"],
       "services: Polish order across pages")
    eq(set(titles(w.port, "/api/v1/services?q=kwusl&category=training")), {"Ćwiczenia z chmury", "Żeglarstwo dla kadr"},
       "services: filter by category")
    eq(titles(w.port, "/api/v1/services?q=kwusl&price=hourly"), ["Audyt energetyczny"], "services: filter by price model")
    eq(set(titles(w.port, "/api/v1/services?q=kwusl&voiv=12")), {"Ćwiczenia z chmury", "Misje handlowe"},
       "services: filter by voivodeship")
    _, _, text = kt.Client(w.port).get("/services?q=kwusl&category=training")
    ok("Żeglarstwo dla kadr" in text and "Misje handlowe" not in text, "services: the listing page filters")
    # the same message flow
    st, h, _ = w.editor2.submit("/services/%d" % sid, "/services/interest/%d" % sid, {"message": "Prosimy o wycenę badań."})
    ok(st == 303, "a company's editor writes about a service", st)
    got = w.sink.wait("lab.kontakt@atp.example", 1)
    ok(got and "Prosimy o wycenę badań." in kt.body_of(got[0]) and "Olga Obca" in kt.body_of(got[0])
       and "Krakowska Fabryka Oprogramowania" in kt.body_of(got[0]) and "redaktor2@offers.example" not in got[0].as_string(),
       "the service's contact gets it with the sender's name and organisation, without the address")
    # withdraw
    st, h, _ = w.scientist.submit_confirmed("/services/%d" % sid, "/services/withdraw/%d" % sid, {})
    ok(st == 303, "the editor withdraws the service", st)
    eq(listed_total(w.port, "/api/v1/services?q=zmeczeniowe"), 0, "a withdrawn service is not listed")


def api_404(port, path):
    """404 with the API's JSON error shape."""
    st, h, js = api(port, path)
    return st == 404 and h.get("content-type", "").startswith("application/json") and \
        isinstance(js, dict) and js.get("error", {}).get("status") == 404


def test_single_item(w):
    """GET /api/v1/offers/ID and /api/v1/services/ID: the list's object, and
    only what the list shows."""
    path = write_csv("single.csv", OFFER_COLS, [
        ("5179383990", "supply", "Pojedyncza oferta kwjeden", "Opis pojedynczej.", "62.01.Z", "jeden, dwa", "12", day(0),
         day(30), "Osoba Jedna", "jedna@aerokompozyt.example", "+48 12 000 00 01"),
        ("5179383990", "supply", "Zapowiedziana oferta kwjeden", "Od przyszłego miesiąca.", "", "", "", day(20),
         day(40), "Osoba Jedna", "jedna@aerokompozyt.example", ""),
        ("5179383990", "demand", "Wygasła oferta kwjeden", "Po terminie.", "", "", "", day(-9), day(-1),
         "Osoba Jedna", "jedna@aerokompozyt.example", ""),
    ])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 0 and "3 inserted" in r.stdout, "import three offers (one expired)", r.stdout + r.stderr)
    st, _, js = api(w.port, "/api/v1/offers?q=kwjeden")
    ok(st == 200 and js["total"] == 2, "the list shows the current and the announced offer", js)
    for listed in js["items"]:
        st, h, one = api(w.port, "/api/v1/offers/%d" % listed["id"])
        ok(st == 200 and h.get("content-type", "").startswith("application/json"), "GET /api/v1/offers/ID: 200 JSON", st)
        eq(one, listed, "the offer equals its list entry: " + listed["title"])
    st, _, again = api(w.port, "/api/v1/offers/%d" % js["items"][0]["id"])
    eq(again, js["items"][0], "the same again (from the cache)")
    ok("jedna@" not in json.dumps(js) and "000 00 01" not in json.dumps(js), "no contact e-mail or phone")
    expired = entry_id(w.admin, "/offers", "Wygasła oferta kwjeden")
    ok(expired and api_404(w.port, "/api/v1/offers/%d" % expired), "an expired offer is 404", expired)
    # pending, rejected, withdrawn
    w.editor.submit("/offers/new", "/offers/new", offer_form("Oczekująca oferta kwjeden"))
    pend = entry_id(w.editor, "/offers", "Oczekująca oferta kwjeden")
    ok(pend and api_404(w.port, "/api/v1/offers/%d" % pend), "a pending offer is 404", pend)
    st, _, _ = queue_decide(w.admin, "/admin/offers/reject", {"base": "offer", "id": str(pend), "note": ""})
    ok(st == 303 and api_404(w.port, "/api/v1/offers/%d" % pend), "a rejected offer is 404", st)
    w.admin.post("/admin/offers/approve", {"csrf": w.admin.csrf("/account"), "base": "offer", "id": str(pend)})
    st, _, one = api(w.port, "/api/v1/offers/%d" % pend)
    ok(st == 200 and one["title"] == "Oczekująca oferta kwjeden", "approved after all: 200", st)
    st, _, _ = w.editor.submit_confirmed("/offers/%d" % pend, "/offers/withdraw/%d" % pend, {})
    ok(st == 303 and api_404(w.port, "/api/v1/offers/%d" % pend), "withdrawn: 404 again (no stale cached answer)", st)
    # ids that are not there
    ok(api_404(w.port, "/api/v1/offers/999999999"), "a missing id is 404")
    for bad in ("abc", "0", "-5", "12x", "1.5", "9" * 30):
        ok(api_404(w.port, "/api/v1/offers/" + bad), "a non-numeric or out-of-range id is 404: " + bad)
    st, _, js = api(w.port, "/api/v1/services?per_page=100")
    ok(st == 200 and js["items"], "some services are listed", js)
    for listed in js["items"][:3]:
        st, _, one = api(w.port, "/api/v1/services/%d" % listed["id"])
        eq(one, listed, "the service equals its list entry: " + listed["title"])
    listed_ids = {i["id"] for i in js["items"]}
    w.scientist.submit("/services/new", "/services/new", service_form("Oczekująca usługa kwjeden"))
    sid = entry_id(w.scientist, "/services", "Oczekująca usługa kwjeden")
    ok(sid and sid not in listed_ids and api_404(w.port, "/api/v1/services/%d" % sid), "a pending service is 404", sid)
    ok(api_404(w.port, "/api/v1/services/x1"), "a non-numeric service id is 404")
    ok(api_404(w.port, "/api/v1/services/999999999"), "a missing service id is 404")
    st, _, doc = api(w.port, "/api/v1/openapi.json")
    ok("/api/v1/offers/{id}" in doc["paths"] and "/api/v1/services/{id}" in doc["paths"],
       "the OpenAPI document describes both single-item routes")


def test_org_rename(w):
    """Renaming an organisation (CSV import, API) refreshes the search text
    of its offers and services: found by the new name, not by the old."""
    path = write_csv("rename.csv", OFFER_COLS, [
        ("5179383990", "supply", "Oferta do zmiany nazwy", "Opis kwnazwa.", "", "", "", day(0), day(30),
         "Osoba", "nazwa@aerokompozyt.example", "")])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 0, "import an offer of Aerokompozyt", r.stderr)
    eq(titles(w.port, "/api/v1/offers?q=kwnazwa+aerokompozyt"), ["Oferta do zmiany nazwy"], "found by the old name")
    eq(titles(w.port, "/api/v1/offers?q=kwnazwa+kompozytornia"), [], "not (yet) by the new one (now cached)")
    with open(os.path.join(kt.ROOT, "data/demo/organisations.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, row = rows[0], [x for x in rows if "5179383990" in x][0]
    row[header.index("name")] = "Kompozytornia Śmigło Sp. z o.o."
    r = kt.cli(w.db, "import", "organisations", write_csv("orgs-rename.csv", header, [row]))
    ok(r.returncode == 0 and "1 updated" in r.stdout, "the import renames the organisation", r.stdout + r.stderr)
    eq(titles(w.port, "/api/v1/offers?q=kwnazwa+kompozytornia+smiglo"), ["Oferta do zmiany nazwy"],
       "the offer is found by the new name")
    eq(titles(w.port, "/api/v1/offers?q=kwnazwa+aerokompozyt"), [], "and no longer by the old one")
    eq(listed_total(w.port, "/api/v1/offers?q=aerokompozyt"), 0, "no offer of it is found by the old name")
    # the API path, for a research unit's services
    r = kt.cli(w.db, "user", "token", "admin@offers.example")
    token = r.stdout.strip()
    ok(r.returncode == 0 and token, "an administrator's API token", r.stderr)
    eq(sorted(titles(w.port, "/api/v1/services?q=kwusl+akademia+techniczna")), ["Audyt energetyczny", "Żeglarstwo dla kadr"],
       "services found by their organisation's old name")
    body = json.dumps({"name": "Politechnika Wschodnia Źródło", "type": "research", "nip": "5177025453",
                       "regon": "691402980", "teryt": "1863", "postal_code": "35-232", "city": "Rzeszów"})
    st, _, resp = kt.request(w.port, "POST", "/api/v1/organisations", body=body.encode(),
                             headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    ok(st == 200, "the API renames the organisation", (st, resp))
    eq(sorted(titles(w.port, "/api/v1/services?q=kwusl+politechnika+zrodlo")), ["Audyt energetyczny", "Żeglarstwo dla kadr"],
       "its services are found by the new name")
    eq(titles(w.port, "/api/v1/services?q=kwusl+akademia+techniczna"), [], "and not by the old one")


def test_forged_org_and_docs(w):
    title = "Oferta z podrobioną organizacją"
    st, h, _ = w.editor.submit("/offers/new", "/offers/new", offer_form(title, org=str(w.kfo)))
    ok(st == 303, "an editor's form with another organisation's id is accepted …", st)
    ok(entry_id(w.editor, "/offers", title) and not entry_id(w.editor2, "/offers", title),
       "… but the offer belongs to the editor's own organisation")
    st, _, js = api(w.port, "/api/v1/openapi.json")
    ok(st == 200 and "/api/v1/offers" in js["paths"] and "/api/v1/services" in js["paths"]
       and "contact_email" not in json.dumps(js["components"]["schemas"]["Offer"]),
       "the OpenAPI document describes both lists, without contact addresses")


def test_import_errors(w):
    before = listed_total(w.port, "/api/v1/offers?per_page=100")
    path = write_csv("bad.csv", OFFER_COLS, [
        ("5179383990", "supply", "Dobra oferta importu", "Opis.", "", "", "", day(0), day(10), "O", "o@a.example", ""),
        ("5179383990", "supply", "Zła oferta importu", "Opis.", "", "", "", day(10), day(0), "O", "o@a.example", ""),
    ])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 3 and "bad.csv:3:" in r.stderr and "valid_until" in r.stderr,
       "a bad row fails the import with file, line and field", (r.returncode, r.stderr))
    eq(listed_total(w.port, "/api/v1/offers?per_page=100"), before, "nothing of that file was written")
    path = write_csv("badorg.csv", OFFER_COLS, [
        ("1234563218", "supply", "Oferta nieznanej firmy", "Opis.", "", "", "", day(0), day(10), "O", "o@a.example", "")])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 3 and "organisation" in r.stderr, "an unknown organisation is named", r.stderr)
    path = write_csv("badcol.csv", OFFER_COLS + ["price"], [])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 3 and "price" in r.stderr, "an unknown column is named", r.stderr)


def health(port):
    st, _, body = kt.request(port, "GET", "/healthz")
    return json.loads(body)["search_cache"]


def test_cache_areas(w):
    """A write to offers leaves the directory's cached pages valid, and the
    offers' cached pages show it at once (migration 012, http.c)."""
    anon = kt.Client(w.port)
    st, _, _ = anon.get("/organisations?q=lodz")
    eq(st, 200, "a directory search (first time: computed)")
    h0 = health(w.port)
    anon.get("/organisations?q=lodz")
    h1 = health(w.port)
    ok(h1["hits"] > h0["hits"], "the same search again comes from the cache", (h0, h1))
    st, _, before = anon.get("/offers?q=kolejnosc+obszarow")
    title = "Kolejność obszarów pamięci podręcznej"
    st, h, _ = w.editor.submit("/offers/new", "/offers/new", offer_form(title))
    oid = entry_id(w.editor, "/offers", title)
    st, _, _ = w.admin.post("/admin/offers/approve", {"csrf": w.admin.csrf("/admin/offers"), "base": "offer",
                                                      "id": str(oid)})
    ok(st == 303, "an offer is added and approved", st)
    anon.get("/organisations?q=lodz")
    h2 = health(w.port)
    ok(h2["hits"] > h1["hits"] and h2["flushes"] == h1["flushes"],
       "after the offer the directory search is still served from the cache", (h1, h2))
    st, _, after = anon.get("/offers?q=kolejnosc+obszarow")
    ok("/offers/%d\"" % oid in after and "/offers/%d\"" % oid not in before,
       "while the cached offers listing shows the new offer at once")
    _, _, org_page = anon.get("/organisations/%d" % w.precyzmet)
    anon.post("/admin/offers/approve", {})   # a visitor's refused POST changes nothing
    _, _, again = anon.get("/organisations/%d" % w.precyzmet)
    eq(again, org_page, "the organisation's profile is unchanged and served again")


def test_etag(w):
    """A cached public response carries a validator (ETag): a visitor who sends it back in
    If-None-Match gets 304 and no body, until the data of the page's areas changes; a logged-in
    user never gets a validator nor a 304."""
    anon = kt.Client(w.port)
    st, h, body = anon.get("/offers")
    e1 = h.get("etag", "")
    st2, h2, body2 = anon.get("/offers", headers={"If-None-Match": e1})
    ok(st == 200 and e1.startswith('"') and st2 == 304 and body2 == "" and h2.get("etag") == e1,
       "a public page's ETag sent back: 304 with no body and the same ETag", (st, e1, st2, h2))
    for inm in ("W/" + e1, '"other", ' + e1, "*"):
        st3, _, _ = anon.get("/offers", headers={"If-None-Match": inm})
        ok(st3 == 304, "If-None-Match %s: 304" % inm, st3)
    st3, h3, body3 = anon.get("/offers", headers={"If-None-Match": '"' + e1.strip('"') + 'x"'})
    ok(st3 == 200 and body3 == body, "another tag: the page in full", st3)
    st3, h3, _ = anon.get("/offers", headers={"If-None-Match": '"x", *'})
    ok(st3 == 200, "a * inside a list of tags is no tag: the page in full", st3)
    for path in ("/offers/999999", "/organisations/999999", "/api/v1/organisations/999999"):
        st3, h3, _ = anon.get(path, headers={"If-None-Match": "*"})
        ok(st3 == 404 and "etag" not in h3, "%s with If-None-Match: * is still a 404, without an ETag" % path,
           (st3, h3.get("etag")))
    st4, h4, _ = anon.get("/offers?q=lodz")
    ok(st4 == 200 and h4.get("etag") and h4.get("etag") != e1, "another address, another ETag", (h4.get("etag"), e1))
    st5, h5, text5 = w.editor.get("/offers", headers={"If-None-Match": e1})
    ok(st5 == 200 and "etag" not in h5 and text5, "a logged-in user: the page in full, without an ETag", (st5, h5))
    _, hd, _ = anon.get("/organisations")
    title = "Walidator odpowiedzi"
    w.editor.submit("/offers/new", "/offers/new", offer_form(title))
    oid = entry_id(w.editor, "/offers", title)
    st, _, _ = w.admin.post("/admin/offers/approve", {"csrf": w.admin.csrf("/admin/offers"), "base": "offer",
                                                      "id": str(oid)})
    st6, h6, body6 = anon.get("/offers", headers={"If-None-Match": e1})
    ok(st == 303 and st6 == 200 and h6.get("etag") not in ("", None, e1) and title in body6,
       "after a new offer: the old ETag gets the new page in full, with a new ETag", (st, st6, h6.get("etag")))
    st7, _, _ = anon.get("/organisations", headers={"If-None-Match": hd.get("etag", "")})
    ok(st7 == 304, "the directory, whose data did not change, is still 304 for its ETag", st7)


def test_admin_paging(w):
    """The moderation queue shows 200 a page, oldest first; the 201st is on page 2."""
    path = write_csv("queue.csv", OFFER_COLS + ["status"], [
        ("5179383990", "supply", "Kolejka <%03d>" % i, "Opis kwkolejka.", "", "", "", day(0), day(30), "Osoba",
         "kolejka@aerokompozyt.example", "", "pending") for i in range(1, 206)])
    r = kt.cli(w.db, "import", "offers", path)
    ok(r.returncode == 0 and "205 inserted" in r.stdout, "import 205 pending offers", r.stdout + r.stderr)
    st, _, p1 = w.admin.get("/admin/offers")
    ok(st == 200 and p1.count('name="base" value="offer"') == 400, "page 1 shows 200 offers (two forms each)",
       p1.count('name="base" value="offer"'))
    q1 = re.findall(r">Kolejka &lt;(\d{3})&gt;</a>", p1)
    ok(q1 and q1[0] == "001" and "205" not in q1 and '<a rel="next" href="/admin/offers?page=2">' in p1,
       "the oldest first, titles escaped, the last one not on page 1, a link to page 2", q1[-3:])
    st, _, p2 = w.admin.get("/admin/offers?page=2")
    q2 = re.findall(r">Kolejka &lt;(\d{3})&gt;</a>", p2)
    ok(st == 200 and q2 and q2[-1] == "205" and not set(q1) & set(q2) and '<a rel="prev" href="/admin/offers?page=1">' in p2,
       "page 2 holds the 201st and later, linking back", q2)
    eq(sorted(q1 + q2), ["%03d" % i for i in range(1, 206)], "every pending offer is on one of the pages")
    for bad in ("0", "x", "2x"):
        st, _, _ = w.admin.get("/admin/offers?page=" + bad)
        eq(st, 400, "page=%s: 400" % bad)
    # the panel says what waits, each queue's number beside its link, in the moderator's scope
    waiting = sum(int(x) for x in re.findall(r'<p class="count">Waiting: <strong>(\d+)</strong>', p1))
    st, _, panel = w.admin.get("/admin")
    m = re.search(r'<a href="/admin/offers">[^<]*</a> — waiting: <strong class="waiting">(\d+)</strong>', panel)
    ok(st == 200 and m and int(m.group(1)) == waiting >= 205 and "Waiting for your decision: <strong>" in panel,
       "the panel gives the offers and services waiting beside their link (%d)" % waiting, m and m.group(0))
    st, _, panel = w.coord2.get("/admin")
    ok(st == 200 and '<a href="/admin/offers">' in panel and "/admin/offers\">Offers and services to moderate</a> — " not in panel,
       "  a coordinator of another cluster sees none of them waiting", st)
    # a decision comes back to the page it was taken on
    w.admin.get("/admin/offers")
    ok(all("page" not in f["fields"] for f in w.admin.forms() if f["action"].startswith("/admin/offers/")),
       "page 1's decision forms carry no page")
    w.admin.get("/admin/offers?page=2")
    f2 = [f for f in w.admin.forms() if f["action"] == "/admin/offers/approve"]
    ok(f2 and all(f["fields"].get("page") == "2" for f in f2), "page 2's decision forms carry page=2")
    st, h, _ = w.admin.post("/admin/offers/approve", dict(f2[-1]["fields"]))
    eq((st, h.get("location")), (303, "/admin/offers?done=approved&page=2"), "approving on page 2 comes back to page 2")
    st, _, back = w.admin.get(h["location"])
    ok(st == 200 and "Kolejka &lt;205&gt;" not in back and "Kolejka &lt;204&gt;" in back,
       "page 2 then lacks the approved offer and keeps the others")
    st, h, _ = w.admin.post("/admin/offers/reject", dict(f2[0]["fields"], page="x"))
    eq((st, h.get("location")), (303, "/admin/offers?done=rejected"), "a bad form page: rejected, back on page 1")
    # the editors' list pages the same way (an administrator sees every entry)
    st, _, m1 = w.admin.get("/offers/mine")
    k1 = re.findall(r">Kolejka &lt;(\d{3})&gt;</a>", m1)
    ok(st == 200 and len(re.findall(r'<tr><td><a href="/offers/\d+">', m1)) == 200
       and '<a rel="next" href="/offers/mine?page=2">' in m1, "/offers/mine: 200 offers on page 1, a link to page 2",
       len(re.findall(r'<tr><td><a href="/offers/\d+">', m1)))
    st, _, m2 = w.admin.get("/offers/mine?page=2")
    k2 = re.findall(r">Kolejka &lt;(\d{3})&gt;</a>", m2)
    ok(st == 200 and '<a rel="prev" href="/offers/mine?page=1">' in m2, "/offers/mine page 2 links back")
    eq(sorted(k1 + k2), ["%03d" % i for i in range(1, 206)], "every offer is on exactly one page of /offers/mine")
    ok("In all: <strong>" in m1 or "Razem: <strong>" in m1, "the list says how many there are in all")
    eq(w.admin.get("/offers/mine?page=x")[0], 400, "/offers/mine?page=x: 400")
    st, _, m9 = w.admin.get("/offers/mine?page=9")
    ok(st == 200 and "Kolejka" not in m9 and ("nothing on this page" in m9 or "nic na tej stronie" in m9),
       "a page past the end says so")
    w.admin.get("/offers/mine?page=2")
    wf = [f for f in w.admin.forms() if "/withdraw/" in f["action"]]
    ok(wf and all(f["fields"].get("page") == "2" for f in wf), "page 2's withdraw forms carry page=2")
    rows = [t for t in w.admin.last.split("<tr>") if ">Withdraw<" in t]
    def title_and_name(row):
        title = re.search(r'<a href="/[a-z]+/\d+">([^<]*)</a>', row)
        said = re.search(r'>Withdraw<span class="vh">: ([^<]*)</span></button>', row)
        return title and title.group(1), said and said.group(1)
    named = [title_and_name(t) for t in rows]
    ok(len(rows) == len(wf) and all(a == b for a, b in named),
       "each row's Withdraw button names its entry to a screen reader", (len(rows), len(wf), named))
    ok(len(re.findall(r'>Edit<span class="vh">: Kolejka &lt;\d{3}&gt;</span></a>', w.admin.last)) ==
       len(re.findall(r'>Kolejka &lt;\d{3}&gt;</a>', w.admin.last)) > 0, "and so does each row's Edit link")
    st, _, text = w.admin.post(wf[0]["action"], dict(wf[0]["fields"]))
    ok(st == 200 and '<a href="/offers/mine?page=2">Cancel</a>' in text,
       "on page 2 the question's Cancel leads back to page 2", (st, kt.text_of(text)[:300]))
    st, h, _ = w.admin.confirm(wf[0]["action"], text)
    eq((st, h.get("location")), (303, "/offers/mine?done=withdrawn&page=2"), "withdrawing on page 2 comes back to page 2")


def test_account_scope(w):
    """/account says what the role covers and links the pages of that work."""
    _, _, text = w.editor.get("/account")
    ok(('href="/organisations/%d"' % w.precyzmet) in text and ('href="/organisations/%d/edit"' % w.precyzmet) in text
       and 'href="/offers/mine"' in text, "an editor's account names the organisation, its profile and its offers")
    _, _, text = w.coord.get("/account")
    ok(('href="/clusters/%d"' % w.klps) in text and ('href="/clusters/%d/edit"' % w.klps) in text,
       "a coordinator's account names the cluster and its profile (by id)")
    st1, _, _ = w.coord.get("/clusters/%d/edit" % w.klps)
    st2, _, _ = w.editor.get("/organisations/%d/edit" % w.precyzmet)
    ok(st1 == 200 and st2 == 200, "  and the links lead to the edit forms", (st1, st2))
    _, _, text = w.user.get("/account")
    ok('class="scope"' not in text, "a user without an organisation or cluster: no scope line")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    w = World()
    w.db = kt.database(args.backend, "offers")
    setup(w)
    w.sink = kt.SmtpSink()
    srv = kt.Server(w.db, "offers", "--smtp-url", w.sink.url)
    w.port = srv.port
    try:
        w.admin = login(w, "admin@offers.example")
        w.coord = login(w, "koord@offers.example")
        w.coord2 = login(w, "koord2@offers.example")
        w.editor = login(w, "redaktor@offers.example")
        w.editor2 = login(w, "redaktor2@offers.example")
        w.scientist = login(w, "naukowiec@offers.example")
        w.user = login(w, "ciekawy@offers.example")
        kt.section(test_roles_for_adding, w)
        kt.section(test_add_and_moderate, w)
        kt.section(test_moderate_from_entry, w)
        kt.section(test_edit_withdraw, w)
        kt.section(test_stale_forms, w)
        kt.section(test_bad_input, w)
        kt.section(test_listing, w)
        kt.section(test_filter_errors, w)
        kt.section(test_interest, w)
        kt.section(test_services, w)
        kt.section(test_canonical_address, w)
        kt.section(test_single_item, w)
        kt.section(test_org_rename, w)
        kt.section(test_forged_org_and_docs, w)
        kt.section(test_import_errors, w)
        kt.section(test_cache_areas, w)
        kt.section(test_etag, w)
        kt.section(test_admin_paging, w)
        kt.section(test_account_scope, w)
        srv.clean_exit()
    finally:
        srv.stop()
        w.sink.stop()
    return kt.finish()


ok = kt.ok
eq = kt.eq

if __name__ == "__main__":
    sys.exit(main())
