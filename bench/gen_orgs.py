#!/usr/bin/env python3
"""Generate a large fictional organisations.csv for the load benchmark.

Usage: gen_orgs.py OUT.csv [COUNT]      (COUNT defaults to 100000)

Everything is invented: names, NIP numbers (random, with a valid check
digit, all distinct), streets and postal codes.  Powiat TERYT codes come from
data/reference/powiats.geojson; organisations in city powiats are placed in
that city, the others in common village names.  Every row has demo=1.
The output is deterministic (fixed seed).  Standard library only.
"""
import csv
import json
import os
import random
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

NIP_W = (6, 5, 7, 2, 3, 4, 5, 6, 7)

# first postal-code digit(s) by voivodeship TERYT (approximate postal districts)
POSTAL = {
    "02": ["50", "53", "55", "57", "58", "59"], "04": ["85", "86", "87", "88"], "06": ["20", "21", "22", "23", "24"],
    "08": ["65", "66", "67", "68"], "10": ["90", "91", "93", "95", "97", "98", "99"], "12": ["30", "31", "32", "33", "34"],
    "14": ["00", "02", "03", "05", "07", "09"], "16": ["45", "46", "47", "48", "49"], "18": ["35", "36", "37", "38", "39"],
    "20": ["15", "16", "17", "18", "19"], "22": ["80", "81", "83", "84", "77"], "24": ["40", "41", "42", "43", "44"],
    "26": ["25", "26", "27", "28", "29"], "28": ["10", "11", "12", "13", "14", "82"], "30": ["60", "61", "62", "63", "64"],
    "32": ["70", "71", "72", "73", "74", "75", "76", "78"],
}

VILLAGES = ["Nowa Wieś", "Zalesie", "Dąbrowa", "Wola", "Borek", "Górki", "Brzozówka", "Kamionka", "Józefów",
            "Stara Wieś", "Zawada", "Lipnik", "Olszyny", "Łęg", "Świerczyna", "Grabów", "Sosnówka", "Żabno",
            "Kościelec", "Przybysławice", "Białobrzegi", "Chełmiec", "Głogówek", "Łąkie", "Różanka"]

STREETS = ["Główna", "Kościuszki", "Mickiewicza", "Słowackiego", "Piłsudskiego", "Przemysłowa", "Polna",
           "Leśna", "Ogrodowa", "Szkolna", "Kolejowa", "Fabryczna", "Żeromskiego", "Wojska Polskiego",
           "Jana Pawła II", "Sienkiewicza", "Łąkowa", "Długa", "Krótka", "Źródlana", "Świętokrzyska",
           "Rzemieślnicza", "Składowa", "Chopina", "Reymonta", "Konopnickiej", "Żwirki i Wigury"]

STEMS = ["Techmet", "Polmet", "Drewbud", "Elektrobud", "Agrotech", "Mebloplast", "Stalkon", "Budmax", "Infosoft",
         "Datalab", "Ekoterm", "Hydropol", "Transbud", "Łączpol", "Żurawex", "Świetlik", "Gryf", "Wisłoplast",
         "Orlen-Serwis", "Kabex", "Metalzbyt", "Zielarnia", "Pieczywo", "Mleczarnia Łąka", "Przędzalnia",
         "Odlewnia", "Netcom", "Cyfrotech", "Optimum", "Polkabel", "Sadownik", "Żegluga", "Piast", "Bałtyk",
         "Tatry", "Karpaty", "Warta", "Odra", "Narew", "Bóbr", "Sudety", "Mazury", "Kujawy", "Roztocze"]
TRADES = ["Zakłady Mechaniczne", "Przedsiębiorstwo Handlowo-Usługowe", "Pracownia Projektowa", "Systemy Informatyczne",
          "Meble", "Usługi Transportowe", "Budownictwo", "Produkcja Opakowań", "Chłodnictwo", "Automatyka Przemysłowa",
          "Biuro Rachunkowe", "Drukarnia", "Tartak", "Przetwórstwo Owoców", "Instalacje Elektryczne",
          "Obróbka Skrawaniem", "Laboratorium Analiz", "Oprogramowanie", "Doradztwo Energetyczne", "Logistyka"]
FORMS = ["Sp. z o.o.", "Sp. z o.o.", "Sp. z o.o.", "S.A.", "Sp. j.", "Sp.k.", "Sp. z o.o. Sp.k."]
FIRST = ["Jan", "Anna", "Piotr", "Katarzyna", "Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Michał", "Żaneta",
         "Krzysztof", "Ewa", "Grzegorz", "Joanna", "Tomasz", "Zofia", "Wojciech", "Barbara", "Jerzy", "Halina"]
LAST = ["Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
        "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
        "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński",
        "Wróbel", "Górski", "Żak", "Ślusarczyk", "Łuczak", "Sęk"]
FIELDS = ["Technologii Żywności", "Inżynierii Materiałowej", "Energetyki", "Chemii Przemysłowej", "Elektroniki",
          "Biotechnologii", "Ochrony Środowiska", "Informatyki Stosowanej", "Logistyki", "Mechaniki Precyzyjnej",
          "Włókiennictwa", "Rolnictwa i Leśnictwa", "Zdrowia Publicznego", "Budownictwa"]
SUPPORT = ["Park Naukowo-Technologiczny", "Inkubator Przedsiębiorczości", "Agencja Rozwoju Regionalnego",
           "Izba Gospodarcza", "Fundusz Pożyczkowy", "Centrum Transferu Technologii", "Ośrodek Wspierania Biznesu"]
PUBLIC = ["Urząd Miasta", "Urząd Gminy", "Starostwo Powiatowe", "Powiatowy Urząd Pracy", "Zarząd Dróg Powiatowych"]
NGO = ["Stowarzyszenie Przedsiębiorców", "Fundacja Rozwoju Przedsiębiorczości", "Stowarzyszenie Inżynierów",
       "Fundacja Edukacji Technicznej", "Stowarzyszenie Producentów Żywności", "Towarzystwo Gospodarcze"]

# frequent PKD 2007 subclasses; the rest are drawn from every division
COMMON_PKD = ["62.01.Z", "62.02.Z", "46.90.Z", "41.20.Z", "43.21.Z", "47.11.Z", "49.41.Z", "56.10.A", "70.22.Z",
              "69.20.Z", "25.62.Z", "31.09.Z", "10.71.Z", "71.12.Z", "45.20.Z", "68.20.Z", "73.11.Z", "16.23.Z"]
PKD_BY_TYPE = {"research": ["72.19.Z", "85.42.Z", "72.11.Z"], "support": ["94.11.Z", "70.22.Z", "64.92.Z"],
               "public": ["84.11.Z", "84.13.Z"], "ngo": ["94.99.Z", "88.99.Z", "85.59.B"]}


def nip(rng, used):
    while True:
        d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        c = sum(w * x for w, x in zip(NIP_W, d)) % 11
        if c == 10:
            continue
        s = "".join(map(str, d)) + str(c)
        if s not in used:
            used.add(s)
            return s


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: gen_orgs.py OUT.csv [COUNT]")
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    rng = random.Random(20240601)

    with open(os.path.join(ROOT, "data", "reference", "powiats.geojson"), encoding="utf-8") as f:
        feats = [ft["properties"] for ft in json.load(f)["features"]]
    city_pow = [(p["teryt"], p["name"].replace("powiat ", "", 1), p["voivodeship"]) for p in feats
                if p["teryt"][2] in "67"]
    land_pow = [(p["teryt"], None, p["voivodeship"]) for p in feats if p["teryt"][2] not in "67"]
    big = {"Warszawa": 12, "Kraków": 6, "Łódź": 5, "Wrocław": 5, "Poznań": 4, "Gdańsk": 3, "Szczecin": 3,
           "Lublin": 2, "Katowice": 2, "Białystok": 2, "Bydgoszcz": 2, "Rzeszów": 2}
    city_w = [big.get(c, 1) for _, c, _ in city_pow]

    # the subclasses of PKD 2007 that exist (an import refuses any other code)
    subclasses = []
    with open(os.path.join(ROOT, "data", "reference", "pkd2007_hierarchy_pl.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if len(row["code"]) == 7 and row["code"][2] == "." and row["code"][5] == ".":
                subclasses.append(row["code"])

    cols = ["name", "type", "size_class", "nip", "pkd", "pkd_version", "street", "postal_code", "city", "teryt",
            "description_pl", "demo"]
    used = set()
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(cols)
        for i in range(count):
            if rng.random() < 0.6:
                teryt, city, voiv = rng.choices(city_pow, city_w)[0]
            else:
                teryt, _, voiv = rng.choice(land_pow)
                city = rng.choice(VILLAGES)
            t = rng.choices(["enterprise", "research", "support", "public", "ngo"], [85, 3, 5, 4, 3])[0]
            size = ""
            if t == "enterprise":
                size = rng.choices(["micro", "small", "medium", "large"], [60, 25, 11, 4])[0]
                k = rng.random()
                if k < 0.45:
                    name = f"{rng.choice(STEMS)} {rng.choice(FORMS)}"
                elif k < 0.75:
                    name = f"{rng.choice(TRADES)} {rng.choice(STEMS)} {rng.choice(FORMS)}"
                else:
                    name = f"{rng.choice(TRADES)} {rng.choice(FIRST)} {rng.choice(LAST)}"
                pkd = rng.choice(COMMON_PKD) if rng.random() < 0.6 else rng.choice(subclasses)
                if rng.random() < 0.3:
                    pkd += ";" + rng.choice(COMMON_PKD)
            elif t == "research":
                name = f"{rng.choice(['Instytut', 'Centrum Badawczo-Rozwojowe', 'Laboratorium'])} {rng.choice(FIELDS)} – {city}"
                pkd = rng.choice(PKD_BY_TYPE[t])
            elif t == "support":
                name = f"{rng.choice(SUPPORT)} {city}"
                pkd = rng.choice(PKD_BY_TYPE[t])
            elif t == "public":
                name = f"{rng.choice(PUBLIC)} {city}"
                pkd = rng.choice(PKD_BY_TYPE[t])
            else:
                name = f"{rng.choice(NGO)} {rng.choice(['Ziemi', 'Regionu', 'Miasta'])} {city}"
                pkd = rng.choice(PKD_BY_TYPE[t])
            if rng.random() < 0.5:  # many real names repeat; a number keeps them apart in the list
                name += f" {i % 997 + 1}" if t == "enterprise" and rng.random() < 0.2 else ""
            postal = f"{rng.choice(POSTAL[voiv])}-{rng.randint(0, 999):03d}"
            street = f"ul. {rng.choice(STREETS)} {rng.randint(1, 180)}"
            desc = f"Fikcyjna organizacja do testu obciążenia ({city}, PKD {pkd.split(';')[0]})." if rng.random() < 0.3 else ""
            w.writerow([name, t, size, nip(rng, used), pkd, "2007", street, postal, city, teryt, desc, "1"])


if __name__ == "__main__":
    main()
