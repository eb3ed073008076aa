#!/usr/bin/env python3
"""Generate portal content for the mixed read/write benchmark (bench/portal.sh).

Usage: gen_portal.py ORGS.csv OUTDIR [OFFERS SERVICES ARTICLES PENDING]
       (defaults 3000 1000 1000 2000)

Writes, all fictional and marked demo=1:
  OUTDIR/offers.csv          approved offers of organisations from ORGS.csv
                             (the file bench/gen_orgs.py writes)
  OUTDIR/services.csv        approved services of its research and support
                             organisations
  OUTDIR/pending.csv         offers awaiting moderation, of the current members
                             of the demo cluster MKTC (data/demo/members.csv), so
                             that cluster's coordinator may approve them
  OUTDIR/news/NNNN.md        published articles (klaster import news)
Titles and descriptions carry Polish diacritics, so searches without them
("wspolpraca lozyska") are exercised.  Offers run from up to 60 days ago to
30-700 days ahead of today, so they are public on the day of the run.
The output is deterministic for a given date (fixed seed).  Standard library only.
"""
import csv
import datetime
import os
import random
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

ACTIONS = ["Współpraca przy", "Szukamy partnera do", "Oferujemy", "Podwykonawstwo:", "Zlecimy", "Wolne moce:",
           "Transfer technologii:", "Dostawy", "Kooperacja w zakresie", "Poszukujemy dostawcy —"]
OBJECTS = ["łożyskach tocznych", "obróbce skrawaniem stali nierdzewnej", "spawaniu konstrukcji stalowych",
           "malowaniu proszkowym", "produkcji opakowań kartonowych", "druku 3D z tworzyw", "montażu wiązek elektrycznych",
           "projektowaniu form wtryskowych", "cięciu laserowym blach", "galwanizacji i cynkowaniu",
           "automatyce przemysłowej", "wdrożeniach systemów ERP", "chłodnictwie przemysłowym",
           "transporcie chłodniczym żywności", "przetwórstwie owoców", "meblach z litego drewna",
           "kompozytach węglowych", "badaniach nieniszczących", "oprogramowaniu dla logistyki",
           "szkoleniach BHP dla produkcji", "recyklingu tworzyw sztucznych", "fotowoltaice na dachach hal",
           "częściach zamiennych do maszyn rolniczych", "odlewach żeliwnych", "tkaninach technicznych"]
KEYWORDS = ["obróbka CNC", "spawanie", "łożyska", "stal nierdzewna", "tworzywa", "elektronika", "żywność",
            "logistyka", "meble", "drewno", "kompozyty", "automatyka", "ERP", "chłodnictwo", "energia",
            "recykling", "druk 3D", "odlewnictwo", "tekstylia", "jakość", "eksport", "B2B"]
PKD = ["25.62.Z", "25.11.Z", "28.15.Z", "22.29.Z", "17.21.Z", "27.33.Z", "62.01.Z", "49.41.Z", "10.39.Z",
       "31.09.Z", "20.16.Z", "71.20.B", "33.12.Z", "24.51.Z", "13.96.Z", "43.21.Z", "38.32.Z"]
SENTENCES = ["Dysponujemy parkiem maszynowym i doświadczoną załogą.",
             "Zapewniamy kontrolę jakości i pełną identyfikowalność partii.",
             "Terminy realizacji od dwóch do sześciu tygodni, zależnie od wielkości zamówienia.",
             "Chętnie nawiążemy długoterminową współpracę z firmami z regionu.",
             "Posiadamy certyfikat ISO 9001 i doświadczenie w eksporcie do Niemiec i Czech.",
             "Zapraszamy do kontaktu przez portal — odpowiadamy w ciągu dwóch dni roboczych.",
             "Możliwe dostawy próbne i wspólne testy w naszym zakładzie.",
             "Oferta dotyczy także małych serii i prototypów."]
FIRST = ["Anna", "Piotr", "Łukasz", "Małgorzata", "Żaneta", "Grzegorz", "Zofia", "Wojciech", "Jerzy", "Halina"]
LAST = ["Nowak", "Wiśniewska", "Wójcik", "Kozłowski", "Dąbrowska", "Łuczak", "Żak", "Sęk", "Król", "Górska"]
SERVICE = {
    "consulting": ["Doradztwo w zakresie", "Audyt i doradztwo:"],
    "training": ["Szkolenia z", "Warsztaty praktyczne:"],
    "financing": ["Pożyczki i poręczenia na", "Finansowanie projektów:"],
    "laboratory": ["Badania laboratoryjne:", "Akredytowane pomiary —"],
    "ip_transfer": ["Licencje i transfer technologii:", "Komercjalizacja wyników badań —"],
    "export": ["Wsparcie eksportu:", "Misje gospodarcze —"],
}
SERVICE_TOPICS = ["efektywności energetycznej", "cyberbezpieczeństwa", "gospodarki obiegu zamkniętego",
                  "automatyzacji produkcji", "wytrzymałości materiałów", "jakości żywności", "ochrony własności",
                  "rynków skandynawskich", "zarządzania łańcuchem dostaw", "technologii wodorowych"]
PRICES = [("free", ""), ("fixed", "od 900 zł netto"), ("hourly", "250 zł/h"), ("quote", ""),
          ("co_financed", "dofinansowanie do 80%")]
CLUSTERS = ["KLPS", "MKTC", "WKM", "ŁKŻ", "BKM", "DKLS", ""]
NEWS_TOPICS = ["Spotkanie członków klastra", "Nabór do programu akceleracji", "Misja gospodarcza do Norwegii",
               "Warsztaty z gospodarki obiegu zamkniętego", "Nowy członek klastra", "Targi branżowe w Poznaniu",
               "Wyniki badania potrzeb szkoleniowych", "Konkurs na innowacyjny produkt", "Webinar o łańcuchach dostaw",
               "Podsumowanie roku w klastrze"]


def read_orgs(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def current_members(cluster):
    with open(os.path.join(ROOT, "data/demo/members.csv"), newline="", encoding="utf-8") as f:
        return [r["organisation"] for r in csv.DictReader(f) if r["cluster"] == cluster and not r["left"]]


def contact(rnd, i, domain):
    name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
    return name, f"kontakt{i}@{domain}.example", rnd.choice(["", f"+48 {rnd.randint(12, 95)} {rnd.randint(100, 999)} "
                                                                 f"{rnd.randint(10, 99)} {rnd.randint(10, 99)}"])


def offer_row(rnd, i, org, today, domain):
    title = f"{rnd.choice(ACTIONS)} {rnd.choice(OBJECTS)}"
    if rnd.random() < 0.5:
        title += f" ({org['city']})"
    desc = " ".join(rnd.sample(SENTENCES, 3)) + "\n\n" + " ".join(rnd.sample(SENTENCES, 2))
    pkd = " ".join(sorted(set(rnd.sample(PKD, rnd.randint(1, 3)))))
    kw = ", ".join(rnd.sample(KEYWORDS, rnd.randint(2, 5)))
    start = today - datetime.timedelta(days=rnd.randint(0, 60))
    end = today + datetime.timedelta(days=rnd.randint(30, 700))
    name, email, phone = contact(rnd, i, domain)
    voiv = org["teryt"][:2] if rnd.random() < 0.7 else ""
    return {"organisation": org["nip"], "kind": rnd.choice(["supply", "demand", "cooperation", "subcontracting",
                                                            "technology"]),
            "title": f"{title} — nr {i}", "description": desc, "pkd_codes": pkd, "keywords": kw,
            "voivodeship": voiv, "valid_from": start.isoformat(), "valid_until": end.isoformat(),
            "contact_name": name, "contact_email": email, "contact_phone": phone, "demo": "1"}


def write_csv(path, fields, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def main():
    if len(sys.argv) not in (3, 7):
        sys.exit(__doc__)
    orgs = read_orgs(sys.argv[1])
    out = sys.argv[2]
    n_offers, n_services, n_articles, n_pending = (int(x) for x in sys.argv[3:7]) if len(sys.argv) == 7 \
        else (3000, 1000, 1000, 2000)
    rnd = random.Random(20261122)
    today = datetime.date.today()
    os.makedirs(os.path.join(out, "news"), exist_ok=True)

    offer_fields = ["organisation", "kind", "title", "description", "pkd_codes", "keywords", "voivodeship",
                    "valid_from", "valid_until", "contact_name", "contact_email", "contact_phone", "demo"]
    write_csv(os.path.join(out, "offers.csv"), offer_fields,
              [offer_row(rnd, i, rnd.choice(orgs), today, "oferty-bench") for i in range(1, n_offers + 1)])

    members = current_members("MKTC")
    pending = []
    for i in range(1, n_pending + 1):
        row = offer_row(rnd, i, {"nip": rnd.choice(members), "city": "Kraków", "teryt": "1261"}, today,
                        "moderacja-bench")
        row["status"] = "pending"
        pending.append(row)
    write_csv(os.path.join(out, "pending.csv"), offer_fields + ["status"], pending)

    providers = [o for o in orgs if o["type"] in ("research", "support")]
    services = []
    for i in range(1, n_services + 1):
        org = rnd.choice(providers)
        cat = rnd.choice(sorted(SERVICE))
        price, note = rnd.choice(PRICES)
        name, email, phone = contact(rnd, i, "uslugi-bench")
        services.append({"organisation": org["nip"], "category": cat,
                         "title": f"{rnd.choice(SERVICE[cat])} {rnd.choice(SERVICE_TOPICS)} — nr {i}",
                         "description": " ".join(rnd.sample(SENTENCES, 3)), "price_model": price, "price_note": note,
                         "voivodeship": org["teryt"][:2], "contact_name": name, "contact_email": email,
                         "contact_phone": phone, "demo": "1"})
    write_csv(os.path.join(out, "services.csv"),
              ["organisation", "category", "title", "description", "price_model", "price_note", "voivodeship",
               "contact_name", "contact_email", "contact_phone", "demo"], services)

    for i in range(1, n_articles + 1):
        day = today - datetime.timedelta(days=rnd.randint(1, 730))
        topic = rnd.choice(NEWS_TOPICS)
        body = [f"*Fikcyjny artykuł do testu obciążenia nr {i}.*", "", "## Program", ""]
        body += [f"{k}. {s}" for k, s in enumerate(rnd.sample(SENTENCES, 3), 1)]
        body += ["", "## Dla kogo", ""] + [f"- firmy: {o}," for o in rnd.sample(OBJECTS, 3)]
        body += ["", " ".join(rnd.sample(SENTENCES, 4)), "",
                 f"Szczegóły na [stronie klastra](https://klaster-bench.example/wydarzenia/{i})."]
        with open(os.path.join(out, "news", f"{i:04d}.md"), "w", encoding="utf-8") as f:
            f.write("---\n")
            f.write(f"key: bench-{i:04d}\n")
            f.write(f"title: {topic} — {day.strftime('%d.%m.%Y')} (nr {i})\n")
            f.write(f"lead: {' '.join(rnd.sample(SENTENCES, 2))}\n")
            f.write(f"lang: {'pl' if rnd.random() < 0.8 else 'en'}\n")
            f.write(f"cluster: {rnd.choice(CLUSTERS)}\n")
            f.write(f"published: {day.isoformat()}\n")
            f.write("demo: 1\n---\n")
            f.write("\n".join(body) + "\n")


if __name__ == "__main__":
    main()
