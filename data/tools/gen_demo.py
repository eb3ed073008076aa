#!/usr/bin/env python3
"""Generate the fictional demo data in data/demo/ (organisations, clusters, members).

Usage: gen_demo.py            (writes data/demo/*.csv next to this script)

Everything here is invented: organisation and cluster names, NIP/REGON/KRS
numbers (random numbers with valid check digits), addresses, phone numbers,
web sites (reserved .example domain) and descriptions.  Cities, postal-code
areas and powiat TERYT codes are real so that the map and the filters work.
Coordinates are a city centre plus a small deterministic offset; every point
is checked to lie inside its powiat (data/reference/powiats.geojson).

The output is deterministic: each generated number is seeded by the
organisation's key, so adding an organisation does not change the others.
Stdlib only.  Run data/tools/check_demo.py afterwards.
"""
import csv
import json
import os
import random
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, ".."))

# --------------------------------------------------------------------------
# Cities: powiat TERYT, centre lat/lon, offset radius (deg), postal codes,
# phone area code, NIP prefixes (tax-office codes), REGON prefixes.
# --------------------------------------------------------------------------
CITIES = {
    # podkarpackie
    "Rzeszów": ("1863", 50.0413, 21.9990, 0.012, ["35-002", "35-017", "35-064", "35-105", "35-232", "35-310", "35-959"], "17", ["813", "517"]),
    "Jasionka": ("1816", 50.1110, 22.0230, 0.004, ["36-002"], "17", ["517"]),
    "Mielec": ("1811", 50.2874, 21.4239, 0.008, ["39-300"], "17", ["817"]),
    "Krosno": ("1861", 49.6887, 21.7706, 0.006, ["38-400"], "13", ["684"]),
    "Dębica": ("1803", 50.0515, 21.4114, 0.006, ["39-200"], "14", ["872"]),
    "Sanok": ("1817", 49.5557, 22.2050, 0.006, ["38-500"], "13", ["687"]),
    "Łańcut": ("1810", 50.0687, 22.2297, 0.005, ["37-100"], "17", ["794"]),
    "Stalowa Wola": ("1818", 50.5826, 22.0536, 0.008, ["37-450", "37-464"], "15", ["865"]),
    # lubelskie
    "Świdnik": ("0617", 51.2190, 22.6960, 0.005, ["21-040", "21-045"], "81", ["713"]),
    # małopolskie
    "Kraków": ("1261", 50.0614, 19.9366, 0.02, ["30-059", "30-348", "30-418", "30-552", "31-042", "31-155", "31-864"], "12", ["675", "676", "677", "678", "679"]),
    "Tarnów": ("1263", 50.0121, 20.9858, 0.008, ["33-100", "33-101"], "14", ["873", "993"]),
    "Nowy Sącz": ("1262", 49.6218, 20.6972, 0.008, ["33-300"], "18", ["734"]),
    "Wieliczka": ("1219", 49.9870, 20.0647, 0.005, ["32-020"], "12", ["683"]),
    "Zabierzów": ("1206", 50.1150, 19.7990, 0.004, ["32-080"], "12", ["944"]),
    "Skawina": ("1206", 49.9753, 19.8283, 0.005, ["32-050"], "12", ["944"]),
    "Niepołomice": ("1219", 50.0340, 20.2200, 0.005, ["32-005"], "12", ["683"]),
    "Łącko": ("1210", 49.5570, 20.4360, 0.004, ["33-390"], "18", ["734"]),
    # wielkopolskie
    "Poznań": ("3064", 52.4064, 16.9252, 0.02, ["60-101", "60-479", "60-529", "60-965", "61-131", "61-693", "61-896"], "61", ["778", "779", "781", "782", "783"]),
    "Swarzędz": ("3021", 52.4100, 17.0780, 0.006, ["62-020"], "61", ["777"]),
    "Kalisz": ("3061", 51.7611, 18.0910, 0.008, ["62-800"], "62", ["618"]),
    "Września": ("3030", 52.3250, 17.5650, 0.006, ["62-300"], "61", ["789"]),
    "Jarocin": ("3006", 51.9730, 17.5020, 0.006, ["63-200"], "62", ["617"]),
    "Śrem": ("3026", 52.0890, 17.0150, 0.006, ["63-100"], "61", ["785"]),
    "Gniezno": ("3003", 52.5350, 17.5830, 0.006, ["62-200"], "61", ["784"]),
    "Chodzież": ("3001", 52.9950, 16.9200, 0.005, ["64-800"], "67", ["766"]),
    "Ostrów Wielkopolski": ("3017", 51.6550, 17.8070, 0.006, ["63-400"], "62", ["622"]),
    "Kępno": ("3008", 51.2780, 17.9890, 0.005, ["63-600"], "62", ["619"]),
    # łódzkie
    "Łódź": ("1061", 51.7592, 19.4560, 0.02, ["90-136", "90-924", "91-065", "92-318", "93-232", "94-124"], "42", ["725", "726", "727", "728", "729"]),
    "Skierniewice": ("1063", 51.9550, 20.1580, 0.006, ["96-100"], "46", ["836"]),
    "Łowicz": ("1005", 52.1070, 19.9450, 0.006, ["99-400"], "46", ["834"]),
    "Kutno": ("1002", 52.2310, 19.3640, 0.006, ["99-300"], "24", ["775"]),
    "Sieradz": ("1014", 51.5950, 18.7300, 0.006, ["98-200"], "43", ["827"]),
    "Zgierz": ("1020", 51.8550, 19.4060, 0.006, ["95-100"], "42", ["732"]),
    "Rawa Mazowiecka": ("1013", 51.7640, 20.2520, 0.005, ["96-200"], "46", ["835"]),
    "Łęczyca": ("1004", 52.0590, 19.2000, 0.004, ["99-100"], "24", ["775"]),
    "Piotrków Trybunalski": ("1062", 51.4050, 19.7030, 0.008, ["97-300"], "44", ["771"]),
    # dolnośląskie
    "Wrocław": ("0264", 51.1079, 17.0385, 0.02, ["50-077", "50-370", "51-117", "52-407", "53-611", "54-206"], "71", ["894", "895", "896", "897", "898", "899"]),
    "Legnica": ("0262", 51.2070, 16.1550, 0.008, ["59-220"], "76", ["691"]),
    "Wałbrzych": ("0265", 50.7710, 16.2840, 0.008, ["58-300"], "74", ["886"]),
    "Świdnica": ("0219", 50.8430, 16.4880, 0.006, ["58-100"], "74", ["884"]),
    "Oleśnica": ("0214", 51.2090, 17.3800, 0.006, ["56-400"], "71", ["911"]),
    "Kobierzyce": ("0223", 51.0210, 16.9300, 0.004, ["55-040"], "71", ["896"]),
    "Środa Śląska": ("0218", 51.1640, 16.5950, 0.005, ["55-300"], "71", ["913"]),
    "Jelenia Góra": ("0261", 50.9030, 15.7340, 0.008, ["58-500"], "75", ["611"]),
    # pomorskie
    "Gdańsk": ("2261", 54.3520, 18.6466, 0.015, ["80-058", "80-172", "80-233", "80-309", "80-748", "80-952"], "58", ["583", "584", "957"]),
    "Gdynia": ("2262", 54.5189, 18.5305, 0.01, ["81-061", "81-225", "81-336", "81-451", "81-571"], "58", ["586"]),
    "Sopot": ("2264", 54.4418, 18.5601, 0.004, ["81-731", "81-855"], "58", ["585"]),
    "Tczew": ("2214", 54.0920, 18.7770, 0.006, ["83-110"], "58", ["593"]),
    "Wejherowo": ("2215", 54.6060, 18.2350, 0.006, ["84-200"], "58", ["588"]),
    "Puck": ("2211", 54.7170, 18.4080, 0.004, ["84-100"], "58", ["587"]),
    "Władysławowo": ("2211", 54.7910, 18.4010, 0.004, ["84-120"], "58", ["587"]),
    "Pruszcz Gdański": ("2204", 54.2620, 18.6360, 0.005, ["83-000"], "58", ["604"]),
    "Słupsk": ("2263", 54.4641, 17.0287, 0.008, ["76-200"], "59", ["839"]),
    "Ustka": ("2212", 54.5800, 16.8600, 0.004, ["76-270"], "59", ["839"]),
    # śląskie
    "Żywiec": ("2417", 49.6855, 19.1925, 0.006, ["34-300"], "33", ["553"]),
    "Katowice": ("2469", 50.2649, 19.0238, 0.012, ["40-008", "40-142", "40-555"], "32", ["634", "954"]),
    "Gliwice": ("2466", 50.2945, 18.6714, 0.01, ["44-100"], "32", ["631", "969"]),
    "Bielsko-Biała": ("2461", 49.8225, 19.0444, 0.01, ["43-300", "43-309"], "33", ["547", "937"]),
    # mazowieckie
    "Warszawa": ("1465", 52.2297, 21.0122, 0.02, ["00-120", "00-695", "01-222", "02-672", "03-802"], "22", ["521", "522", "525", "526", "527", "701"]),
    "Radom": ("1463", 51.4027, 21.1471, 0.01, ["26-600", "26-610"], "48", ["796", "948"]),
    # other voivodeships
    "Bydgoszcz": ("0461", 53.1235, 18.0084, 0.012, ["85-063", "85-796"], "52", ["554", "953", "967"]),
    "Toruń": ("0463", 53.0138, 18.5984, 0.01, ["87-100"], "56", ["879", "956"]),
    "Szczecin": ("3262", 53.4285, 14.5528, 0.015, ["70-415", "71-065"], "91", ["851", "852", "955"]),
    "Białystok": ("2061", 53.1325, 23.1688, 0.012, ["15-062", "15-351"], "85", ["542", "966"]),
    "Kielce": ("2661", 50.8661, 20.6286, 0.012, ["25-312", "25-663"], "41", ["657", "959"]),
    "Zielona Góra": ("0862", 51.9356, 15.5062, 0.01, ["65-001", "65-417"], "68", ["929", "973"]),
    "Opole": ("1661", 50.6751, 17.9213, 0.01, ["45-061", "45-758"], "77", ["754"]),
    "Olsztyn": ("2862", 53.7784, 20.4801, 0.01, ["10-089", "10-561"], "89", ["739"]),
    "Elbląg": ("2861", 54.1561, 19.4045, 0.008, ["82-300"], "55", ["578"]),
}

# First two digits of REGON-9 numbers, by voivodeship (historic area codes).
REGON_PREFIX = {
    "02": ["02", "93", "89"], "04": ["09", "34"], "06": ["43", "06"], "08": ["97", "08"],
    "10": ["47", "10"], "12": ["35", "12"], "14": ["01", "14"], "16": ["53", "16"],
    "18": ["69", "18"], "20": ["05", "20"], "22": ["19", "22"], "24": ["27", "24"],
    "26": ["29", "26"], "28": ["51", "28"], "30": ["63", "30"], "32": ["81", "32"],
}

# --------------------------------------------------------------------------
# Organisations.  Columns of the tuple:
#   key, name, type, size_class, city, street, pkd (;-separated), desc_pl, desc_en
# Identifier options (keyword dict at the end, optional):
#   nip=False   no NIP (only for non-enterprises)
#   regon=None  no REGON;  regon="14"  a 14-digit REGON (local unit)
#   krs=True/False  override (default: legal forms that are registered in KRS)
# --------------------------------------------------------------------------
E, R, S, P, N = "enterprise", "research", "support", "public", "ngo"

ORGS = [
    # ---------------- aviation, podkarpackie ----------------
    ("skrzydla", "Stowarzyszenie Przemysłu Lotniczego „Podkarpackie Skrzydła”", S, "", "Rzeszów", "ul. Hetmańska 120", "94.11.Z;70.22.Z",
     "Stowarzyszenie zrzeszające producentów i poddostawców przemysłu lotniczego z Podkarpacia. Koordynuje Klaster Lotniczy Podkarpackie Skrzydła.",
     "Association of aerospace manufacturers and suppliers from Podkarpacie. Coordinates the Podkarpackie Skrzydła aviation cluster.", {}),
    ("precyzmet", "Precyzmet Zakłady Lotnicze S.A.", E, "large", "Rzeszów", "ul. Przemysłowa 14", "30.30.Z;25.62.Z;33.16.Z",
     "Producent zespołów napędowych i elementów konstrukcji płatowca dla odbiorców z Europy i Ameryki Północnej.",
     "Manufacturer of engine assemblies and airframe structural parts for customers in Europe and North America.", {}),
    ("aerokompozyt", "Aerokompozyt Wytwórnia Części Sp. z o.o.", E, "medium", "Jasionka", "Jasionka 954E", "30.30.Z;22.29.Z",
     "Wytwarza elementy kompozytowe z włókna węglowego do kabin i poszyć samolotów.",
     "Makes carbon-fibre composite parts for aircraft cabins and skins.", {}),
    ("lancut_obrobka", "Łańcuckie Zakłady Obróbki Skrawaniem Sp. z o.o.", E, "medium", "Łańcut", "ul. Składowa 7", "25.62.Z;28.41.Z",
     "Precyzyjna obróbka CNC stopów aluminium i tytanu dla przemysłu lotniczego.",
     "Precision CNC machining of aluminium and titanium alloys for the aerospace industry.", {}),
    ("turboserwis", "Turbo-Serwis Mielec Sp. z o.o.", E, "small", "Mielec", "ul. Wojska Polskiego 3", "33.16.Z;52.23.Z",
     "Obsługa techniczna i naprawy silników turbośmigłowych samolotów lekkich.",
     "Maintenance and repair of turboprop engines for light aircraft.", {}),
    ("odlewnia_mielec", "Mielecka Odlewnia Stopów Lekkich Sp. z o.o.", E, "medium", "Mielec", "ul. Inwestorów 8", "24.53.Z;25.50.Z",
     "Odlewnia precyzyjna stopów aluminium i magnezu, dostawca korpusów przekładni.",
     "Precision foundry for aluminium and magnesium alloys; supplies gearbox housings.", {}),
    ("kbkl", "Krośnieńskie Biuro Konstrukcji Lotniczych Sp. z o.o.", E, "small", "Krosno", "ul. Lotnicza 2", "71.12.Z;72.19.Z",
     "Biuro projektowe wykonujące obliczenia wytrzymałościowe i dokumentację konstrukcyjną.",
     "Design office providing stress analysis and structural documentation.", {}),
    ("galwanika_wojcik", "Usługi Galwaniczne Józef Wójcik", E, "micro", "Dębica", "ul. Kościuszki 41", "25.61.Z",
     "Rodzinny zakład powłok galwanicznych, anodowania i pasywacji drobnych części.",
     "Family-run shop for electroplating, anodising and passivation of small parts.", {"regon": None}),
    ("sanockie_tworzywa", "Sanockie Tworzywa Techniczne Sp. z o.o.", E, "medium", "Sanok", "ul. Przemysłowa 22", "22.29.Z;22.21.Z",
     "Wtryskiwanie i obróbka tworzyw konstrukcyjnych, m.in. uszczelnień i osłon kabinowych.",
     "Injection moulding and machining of engineering plastics such as seals and cabin trim.", {}),
    ("aviotor", "Aviotor Systemy Awioniki Sp. z o.o.", E, "small", "Rzeszów", "ul. Rejtana 53", "26.51.Z;26.11.Z",
     "Projektuje i produkuje moduły awioniki oraz rejestratory parametrów lotu.",
     "Designs and builds avionics modules and flight data recorders.", {}),
    ("atp", "Akademia Techniczna Podkarpacia", R, "", "Rzeszów", "al. Powstańców Warszawy 8", "85.42.Z;72.19.Z",
     "Uczelnia techniczna kształcąca inżynierów lotnictwa, mechaniki i informatyki.",
     "Technical university educating engineers in aeronautics, mechanics and computing.", {}),
    ("ibkml", "Instytut Badań Kompozytów i Materiałów Lotniczych – Oddział w Mielcu", R, "", "Mielec", "ul. Wojska Polskiego 11", "72.19.Z;71.20.B",
     "Laboratorium badań zmęczeniowych i nieniszczących materiałów lotniczych.",
     "Laboratory for fatigue and non-destructive testing of aerospace materials.", {"nip": False, "regon": "14", "krs": False}),
    ("coi_jasionka", "Centrum Obsługi Inwestora Strefy Jasionka", P, "", "Jasionka", "Jasionka 942", "84.13.Z",
     "Samorządowa jednostka obsługująca inwestorów w strefie przemysłowej przy lotnisku.",
     "Local-government unit serving investors in the industrial zone next to the airport.", {}),
    ("lwps", "Lubelska Wytwórnia Podzespołów Śmigłowcowych Sp. z o.o.", E, "medium", "Świdnik", "al. Lotników Polskich 9", "30.30.Z;33.16.Z",
     "Produkuje i regeneruje podzespoły wirników i przekładni śmigłowców.",
     "Manufactures and overhauls helicopter rotor and transmission components.", {}),
    # ---------------- ICT, małopolskie ----------------
    ("fcm", "Fundacja Cyfrowa Małopolska", S, "", "Kraków", "ul. Lea 112", "70.22.Z;82.30.Z",
     "Fundacja wspierająca rozwój branży cyfrowej w Małopolsce; koordynator klastra technologii cyfrowych.",
     "Foundation supporting the digital industry in Małopolska; coordinator of the digital technology cluster.", {}),
    ("kfo", "Krakowska Fabryka Oprogramowania S.A.", E, "large", "Kraków", "ul. Kamieńskiego 47", "62.01.Z;62.02.Z",
     "Dom programistyczny tworzący systemy dla bankowości, logistyki i administracji.",
     "Software house building systems for banking, logistics and public administration.", {}),
    ("blizniaki", "Cyfrowe Bliźniaki Sp. z o.o.", E, "small", "Kraków", "ul. Czarnowiejska 36", "62.01.Z;72.19.Z",
     "Tworzy cyfrowe bliźniaki maszyn i linii produkcyjnych, m.in. dla przemysłu lotniczego.",
     "Builds digital twins of machines and production lines, including for the aerospace industry.", {}),
    ("sciana", "Ściana Ogniowa Sp. z o.o.", E, "medium", "Kraków", "ul. Wielicka 28", "62.02.Z;62.09.Z",
     "Usługi cyberbezpieczeństwa: testy penetracyjne, SOC i szkolenia dla firm.",
     "Cybersecurity services: penetration testing, a security operations centre and training.", {}),
    ("algorytmika", "Algorytmika Tarnów Sp. z o.o.", E, "small", "Tarnów", "ul. Krakowska 11", "62.01.Z;58.29.Z",
     "Oprogramowanie do planowania produkcji i optymalizacji tras dla MŚP.",
     "Production planning and route optimisation software for SMEs.", {}),
    ("zajac_it", "Piotr Zając Usługi Informatyczne", E, "micro", "Wieliczka", "ul. Sienkiewicza 5", "62.02.Z;62.09.Z",
     "Obsługa informatyczna małych firm i gabinetów, wdrożenia sieci i kopii zapasowych.",
     "IT support for small firms and practices: networks and backups.", {"regon": None}),
    ("slsi", "Skawińskie Laboratorium Sztucznej Inteligencji Sp. z o.o.", E, "small", "Skawina", "ul. Piłsudskiego 23", "72.19.Z;62.01.Z",
     "Rozwija modele uczenia maszynowego do kontroli jakości w produkcji.",
     "Develops machine-learning models for quality control in manufacturing.", {}),
    ("technopark", "Technopark Puszczy Niepołomickiej Sp. z o.o.", S, "", "Niepołomice", "ul. Przemysłowa 4", "68.20.Z;70.22.Z",
     "Park technologiczny oferujący biura, laboratoria i program akceleracji startupów.",
     "Technology park offering offices, laboratories and a start-up acceleration programme.", {}),
    ("kano", "Krakowska Akademia Nauk Obliczeniowych", R, "", "Kraków", "al. Mickiewicza 30", "85.42.Z;72.19.Z",
     "Uczelnia kształcąca w zakresie informatyki, analizy danych i obliczeń wielkiej skali.",
     "University teaching computer science, data analytics and high-performance computing.", {}),
    ("wbtc", "Wojewódzkie Biuro Transformacji Cyfrowej w Krakowie", P, "", "Kraków", "ul. Basztowa 22", "84.13.Z",
     "Jednostka samorządu województwa realizująca programy cyfryzacji gospodarki.",
     "Regional government unit running programmes for the digitalisation of the economy.", {}),
    ("bajt", "Stowarzyszenie Kobiet w Technologiach \"Bajt\"", N, "", "Kraków", "ul. Długa 52", "94.99.Z",
     "Stowarzyszenie wspierające kobiety w branży IT: mentoring, warsztaty, meetupy.",
     "Association supporting women in IT through mentoring, workshops and meetups.", {"nip": False}),
    ("lacki_dom", "Łącki Dom Oprogramowania Sp. z o.o.", E, "micro", "Łącko", "Łącko 15", "62.01.Z",
     "Mała firma tworząca aplikacje mobilne dla sadowników i agroturystyki.",
     "Small firm building mobile apps for fruit growers and agritourism.", {}),
    ("datanaliza", "Datanaliza Sp. z o.o.", E, "medium", "Warszawa", "ul. Grzybowska 62", "62.01.Z;63.11.Z",
     "Hurtownie danych i analityka biznesowa dla handlu i przemysłu spożywczego.",
     "Data warehousing and business analytics for retail and the food industry.", {}),
    ("robotyka", "Gliwicka Pracownia Robotyki Przemysłowej Sp. z o.o.", E, "small", "Gliwice", "ul. Konarskiego 18", "28.99.Z;62.01.Z",
     "Projektuje zrobotyzowane stanowiska do szlifowania, lakierowania i paletyzacji.",
     "Designs robotic cells for sanding, painting and palletising.", {}),
    # ---------------- furniture and wood, wielkopolskie ----------------
    ("igpm", "Izba Gospodarcza Przemysłu Meblarskiego Wielkopolski", S, "", "Poznań", "ul. Głogowska 14", "94.11.Z;82.30.Z",
     "Samorząd gospodarczy producentów mebli i wyrobów z drewna; koordynator Wielkopolskiego Klastra Meblowego.",
     "Chamber of furniture and wood-product manufacturers; coordinator of the Wielkopolska furniture cluster.", {}),
    ("debowy_dwor", "Dębowy Dwór Meble S.A.", E, "large", "Swarzędz", "ul. Rabowicka 6", "31.09.Z;31.01.Z",
     "Producent mebli skrzyniowych i stołów z litego drewna, eksportujący do kilkunastu krajów.",
     "Maker of solid-wood cabinets and tables, exporting to over a dozen countries.", {}),
    ("kepno_tapicer", "Kępińskie Zakłady Tapicerskie Sp. z o.o.", E, "medium", "Kępno", "ul. Kwiatowa 9", "31.09.Z;13.92.Z",
     "Produkcja sof, narożników i foteli tapicerowanych na zamówienie.",
     "Made-to-order sofas, corner units and upholstered armchairs.", {}),
    ("lesny_bor", "Tartak i Suszarnia Drewna „Leśny Bór” Sp. z o.o.", E, "medium", "Chodzież", "ul. Kolejowa 31", "16.10.Z;16.23.Z",
     "Tartak przetwarzający drewno sosnowe i dębowe z certyfikowanych lasów.",
     "Sawmill processing pine and oak from certified forests.", {}),
    ("blaszczyk", "Stolarnia Artystyczna Andrzej Błaszczyk", E, "micro", "Śrem", "ul. Mickiewicza 17", "16.23.Z;31.09.Z",
     "Rzemieślnicza stolarnia wykonująca meble na wymiar i renowacje zabytkowych mebli.",
     "Craft joinery making bespoke furniture and restoring antiques.", {"regon": None}),
    ("sremskie_okucia", "Śremskie Okucia Meblowe Sp. z o.o.", E, "small", "Śrem", "ul. Grunwaldzka 40", "25.72.Z;25.99.Z",
     "Produkuje zawiasy, prowadnice i uchwyty meblowe ze stali i mosiądzu.",
     "Produces furniture hinges, runners and handles in steel and brass.", {}),
    ("wrzesinska_plyta", "Wrzesińska Fabryka Płyt Sp. z o.o.", E, "large", "Września", "ul. Harcerska 2", "16.21.Z",
     "Wytwórnia płyt wiórowych i MDF laminowanych dla przemysłu meblarskiego.",
     "Plant producing laminated chipboard and MDF for furniture makers.", {}),
    ("jarocin_biuro", "Jarocińskie Meble Biurowe Sp. z o.o.", E, "medium", "Jarocin", "ul. Poznańska 51", "31.01.Z",
     "Meble biurowe, systemy akustyczne i wyposażenie przestrzeni coworkingowych.",
     "Office furniture, acoustic systems and co-working fit-outs.", {}),
    ("kaliskie_lakiery", "Kaliskie Lakiery Przemysłowe Sp. z o.o.", E, "small", "Kalisz", "ul. Górnośląska 66", "20.30.Z",
     "Produkcja wodnych lakierów i bejc do wykańczania drewna.",
     "Manufactures water-based lacquers and stains for wood finishing.", {}),
    ("cbmw", "Centrum Badań Mebli i Wzornictwa", R, "", "Poznań", "ul. Winiarska 1", "72.19.Z;71.20.B",
     "Akredytowane laboratorium badań wytrzymałości i bezpieczeństwa mebli.",
     "Accredited laboratory testing furniture strength and safety.", {"regon": "14"}),
    ("zielony_las", "Fundacja Leśna Wielkopolska", N, "", "Poznań", "ul. Szamarzewskiego 89", "94.99.Z",
     "Fundacja promująca odpowiedzialne gospodarowanie drewnem i gospodarkę obiegu zamkniętego.",
     "Foundation promoting responsible use of wood and the circular economy.", {}),
    ("pcwp_kepno", "Powiatowe Centrum Wspierania Przedsiębiorczości w Kępnie", P, "", "Kępno", "ul. Kościuszki 5", "84.13.Z",
     "Jednostka powiatu wspierająca lokalnych przedsiębiorców szkoleniami i doradztwem.",
     "County unit supporting local businesses with training and advice.", {}),
    ("zywiec_stolarka", "Żywieckie Zakłady Stolarki Budowlanej Sp. z o.o.", E, "medium", "Żywiec", "ul. Fabryczna 12", "16.23.Z;31.09.Z",
     "Produkcja okien i drzwi drewnianych oraz schodów na zamówienie.",
     "Makes wooden windows, doors and custom staircases.", {}),
    ("bielskie_tekstylia", "Bielskie Zakłady Tekstyliów Technicznych Sp. z o.o.", E, "medium", "Bielsko-Biała", "ul. Partyzantów 48", "13.96.Z;13.92.Z",
     "Tkaniny obiciowe trudnopalne i tekstylia techniczne dla meblarstwa i transportu.",
     "Flame-retardant upholstery fabrics and technical textiles for furniture and transport.", {}),
    ("jachtowe_meble", "Pomorskie Meble Jachtowe Sp. z o.o.", E, "small", "Puck", "ul. Żeromskiego 21", "31.09.Z;30.12.Z",
     "Wyposażenie wnętrz jachtów i łodzi motorowych z drewna i kompozytów.",
     "Interior fit-out of yachts and motor boats in wood and composites.", {}),
    # ---------------- food, łódzkie ----------------
    ("lara", "Łódzka Agencja Rozwoju Agrobiznesu Sp. z o.o.", S, "", "Łódź", "ul. Piotrkowska 113", "70.22.Z;82.30.Z",
     "Agencja doradcza dla producentów żywności; koordynator Łódzkiego Klastra Żywności.",
     "Advisory agency for food producers; coordinator of the Łódź food cluster.", {}),
    ("rawskie_sady", "Rawskie Sady Owocowe Sp. z o.o.", E, "medium", "Rawa Mazowiecka", "ul. Tomaszowska 12", "01.24.Z;10.32.Z",
     "Sady jabłoniowe i tłocznia soków NFC.",
     "Apple orchards and a not-from-concentrate juice press.", {}),
    ("mleczarnia_bzura", "Mleczarnia „Nad Bzurą” Sp. z o.o.", E, "large", "Łowicz", "ul. Przemysłowa 3", "10.51.Z",
     "Przetwórstwo mleka: sery dojrzewające, masło i jogurty.",
     "Dairy processing: aged cheeses, butter and yoghurts.", {}),
    ("kutnowianka", "Przetwórnia Mięsa Kutnowianka Sp. z o.o.", E, "medium", "Kutno", "ul. Łąkoszyńska 100", "10.13.Z;10.11.Z",
     "Wędliny tradycyjne i wyroby garmażeryjne z mięsa od lokalnych hodowców.",
     "Traditional cured meats and ready meals from local farmers' meat.", {}),
    ("piekarnia_kaczmarek", "Piekarnia Rzemieślnicza Zofia Kaczmarek", E, "micro", "Łódź", "ul. Zgierska 41", "10.71.Z;47.24.Z",
     "Rodzinna piekarnia wypiekająca chleb na zakwasie i pieczywo regionalne.",
     "Family bakery baking sourdough bread and regional pastries.", {}),
    ("zrodlo_smaku", "Źródło Smaku Sp. z o.o.", E, "small", "Zgierz", "ul. Łęczycka 24", "10.39.Z;10.85.Z",
     "Produkuje przetwory warzywne, zupy i dania gotowe w słoikach.",
     "Produces vegetable preserves, soups and ready meals in jars.", {}),
    ("browar_leczyca", "Browar Rzemieślniczy Łęczyca Sp. z o.o.", E, "small", "Łęczyca", "ul. Ozorkowska 9", "11.05.Z",
     "Browar rzemieślniczy warzący piwa z lokalnego jęczmienia i chmielu.",
     "Craft brewery using local barley and hops.", {}),
    ("cbzf", "Centrum Badań Żywności Funkcjonalnej", R, "", "Skierniewice", "ul. Pomologiczna 18", "72.11.Z;71.20.A",
     "Jednostka badawcza zajmująca się jakością owoców i żywnością funkcjonalną.",
     "Research unit working on fruit quality and functional foods.", {}),
    ("latz", "Łódzka Akademia Technologii Żywności", R, "", "Łódź", "ul. Wólczańska 171", "85.42.Z;72.19.Z",
     "Uczelnia kształcąca technologów żywności i inżynierów procesowych.",
     "University educating food technologists and process engineers.", {}),
    ("spztzl", "Stowarzyszenie Producentów Żywności Tradycyjnej Ziemi Łódzkiej", N, "", "Łódź", "ul. Narutowicza 30", "94.12.Z",
     "Zrzesza producentów produktów regionalnych i tradycyjnych, prowadzi targi i szkolenia.",
     "Brings together makers of regional and traditional products; runs fairs and training.", {}),
    ("lcpzr", "Łódzkie Centrum Promocji Żywności Regionalnej", P, "", "Łódź", "al. Piłsudskiego 8", "84.13.Z",
     "Wojewódzka jednostka promująca żywność regionalną na rynkach krajowych i zagranicznych.",
     "Regional government unit promoting local food at home and abroad.", {"regon": "14"}),
    ("mrozna_dolina", "Zakłady Chłodnicze „Mroźna Dolina” Sp. z o.o.", E, "large", "Skierniewice", "ul. Mszczonowska 33", "10.39.Z;52.10.B",
     "Chłodnie składowe i mrożenie owoców miękkich.",
     "Cold stores and freezing of soft fruit.", {}),
    ("bioanalityka", "Bioanalityka Łódź Sp. z o.o.", E, "small", "Łódź", "ul. Tymienieckiego 25", "71.20.A;71.20.B;72.11.Z",
     "Laboratorium analiz mikrobiologicznych żywności i wyrobów medycznych.",
     "Microbiology laboratory testing food and medical devices.", {}),
    ("winnice", "Zielonogórskie Winnice Sp. z o.o.", E, "small", "Zielona Góra", "ul. Winnicka 1", "11.02.Z;01.21.Z",
     "Winnica i winiarnia produkująca wina białe z lubuskich szczepów.",
     "Vineyard and winery making white wines from Lubusz grape varieties.", {}),
    # ---------------- medical / life science, dolnośląskie ----------------
    ("fdczc", "Fundacja Dolnośląskie Centrum Zdrowia Cyfrowego", S, "", "Wrocław", "ul. Legnicka 55", "70.22.Z;72.19.Z",
     "Fundacja wspierająca wdrażanie innowacji w ochronie zdrowia; koordynator Dolnośląskiego Klastra Life Science.",
     "Foundation supporting health-care innovation; coordinator of the Lower Silesian life science cluster.", {}),
    ("farmacja_odrz", "Farmacja Odrzańska S.A.", E, "large", "Wrocław", "ul. Żmigrodzka 242", "21.20.Z;21.10.Z",
     "Producent leków generycznych i substancji czynnych.",
     "Manufacturer of generic medicines and active pharmaceutical ingredients.", {}),
    ("medkod", "Medkod Sp. z o.o.", E, "small", "Wrocław", "ul. Strzegomska 36", "62.01.Z;63.11.Z",
     "Tworzy oprogramowanie dla przychodni i szpitali: e-rejestrację, dokumentację medyczną i telekonsultacje.",
     "Software for clinics and hospitals: online booking, medical records and telemedicine.", {}),
    ("lzam", "Legnickie Zakłady Aparatury Medycznej Sp. z o.o.", E, "medium", "Legnica", "ul. Złotoryjska 194", "26.60.Z;32.50.Z",
     "Produkcja aparatów do elektroterapii i monitorów funkcji życiowych.",
     "Makes electrotherapy devices and patient monitors.", {}),
    ("implantech", "Implantech Kobierzyce Sp. z o.o.", E, "medium", "Kobierzyce", "ul. Dębowa 8", "32.50.Z",
     "Projektuje i wytwarza implanty ortopedyczne i narzędzia chirurgiczne, także drukowane w technologii 3D.",
     "Designs and makes orthopaedic implants and surgical instruments, including 3D-printed ones.", {}),
    ("olesnica_opatrunki", "Oleśnickie Opatrunki Sp. z o.o.", E, "medium", "Oleśnica", "ul. Wileńska 12", "21.20.Z;13.99.Z",
     "Produkcja opatrunków specjalistycznych i materiałów jałowych.",
     "Production of advanced wound dressings and sterile supplies.", {}),
    ("nowicka_rehab", "Gabinet Rehabilitacji i Fizjoterapii Ewa Ślęzak", E, "micro", "Wałbrzych", "ul. Słowackiego 6", "86.90.A",
     "Gabinet fizjoterapii testujący nowe urządzenia do rehabilitacji.",
     "Physiotherapy practice that trials new rehabilitation devices.", {"regon": None}),
    ("pod_lipami", "Centrum Medyczne „Pod Lipami” Sp. z o.o.", E, "large", "Wrocław", "ul. Borowska 101", "86.10.Z;86.22.Z",
     "Wielospecjalistyczny szpital i przychodnia, ośrodek badań klinicznych.",
     "Multi-specialty hospital and outpatient clinic; clinical-trial partner.", {}),
    ("danz", "Dolnośląska Akademia Nauk o Zdrowiu", R, "", "Wrocław", "ul. Chałubińskiego 10", "85.42.Z;72.11.Z",
     "Uczelnia medyczna prowadząca badania z biotechnologii i farmacji.",
     "Medical university researching biotechnology and pharmacy.", {}),
    ("kitm", "Karkonoski Inkubator Technologii Medycznych Sp. z o.o.", S, "", "Jelenia Góra", "ul. 1 Maja 27", "70.22.Z;82.99.Z",
     "Inkubator dla startupów medycznych: laboratoria, doradztwo regulacyjne i finansowanie.",
     "Incubator for med-tech start-ups: labs, regulatory advice and funding.", {}),
    ("wazp", "Wrocławska Agencja Zdrowia Publicznego", P, "", "Wrocław", "pl. Nowy Targ 1", "84.12.Z",
     "Miejska jednostka odpowiedzialna za programy profilaktyki i zdrowia publicznego.",
     "City unit responsible for prevention and public-health programmes.", {}),
    ("spim", "Stowarzyszenie Pacjentów i Innowatorów Medycznych", N, "", "Wrocław", "ul. Ruska 46", "94.99.Z",
     "Łączy pacjentów, lekarzy i twórców technologii medycznych.",
     "Connects patients, physicians and medical technology developers.", {}),
    ("sroda_odczynniki", "Średzka Wytwórnia Odczynników Sp. z o.o.", E, "small", "Środa Śląska", "ul. Kolejowa 8", "20.59.Z",
     "Produkcja odczynników laboratoryjnych i buforów do diagnostyki.",
     "Makes laboratory reagents and buffers for diagnostics.", {}),
    ("opolskie_tworzywa", "Opolskie Tworzywa Medyczne Sp. z o.o.", E, "medium", "Opole", "ul. Oleska 121", "22.29.Z;32.50.Z",
     "Jednorazowe wyroby medyczne z tworzyw sztucznych: strzykawki, dreny, pojemniki i zestawy do przetoczeń.",
     "Single-use plastic medical products: syringes, tubing, containers and infusion sets.", {}),
    ("bydgoskie_tworzywa", "Bydgoskie Tworzywa Sp. z o.o.", E, "medium", "Bydgoszcz", "ul. Fordońska 246", "22.29.Z;22.21.Z",
     "Przetwórca tworzyw sztucznych dla branży medycznej i opakowaniowej.",
     "Plastics processor for the medical and packaging industries.", {}),
    # ---------------- maritime, pomorskie ----------------
    ("bspm", "Stowarzyszenie Bałtycka Sieć Przemysłu Morskiego", N, "", "Gdynia", "ul. Świętojańska 62", "94.12.Z",
     "Stowarzyszenie firm i instytucji gospodarki morskiej; koordynator Bałtyckiego Klastra Morskiego.",
     "Association of maritime firms and institutions; coordinator of the Baltic maritime cluster.", {"nip": False}),
    ("zatoka", "Stocznia Remontowa „Zatoka” S.A.", E, "large", "Gdańsk", "ul. Na Ostrowiu 15", "33.15.Z;30.11.Z",
     "Remonty i przebudowy statków handlowych oraz jednostek offshore.",
     "Repair and conversion of merchant ships and offshore vessels.", {}),
    ("gsj", "Gdyńska Stocznia Jachtowa Sp. z o.o.", E, "medium", "Gdynia", "ul. Hryniewickiego 10", "30.12.Z",
     "Budowa jachtów żaglowych i motorowych z laminatów.",
     "Builds sailing and motor yachts from laminates.", {}),
    ("zegluga_zatokowa", "Żegluga Zatokowa Sp. z o.o.", E, "small", "Władysławowo", "ul. Portowa 15", "50.10.Z;50.20.Z",
     "Przewozy pasażerskie i transport ładunków w Zatoce Puckiej.",
     "Passenger and cargo shipping in the Bay of Puck.", {}),
    ("motlawa", "Terminal Przeładunkowy Motława Sp. z o.o.", E, "medium", "Gdańsk", "ul. Wiślna 7", "52.24.A;52.10.B",
     "Terminal przeładunku drobnicy i ładunków projektowych.",
     "Terminal for general and project cargo handling.", {}),
    ("tczew_okret", "Tczewskie Zakłady Okrętowe Sp. z o.o.", E, "medium", "Tczew", "ul. Jagiellońska 2", "30.11.Z;25.11.Z",
     "Prefabrykacja sekcji kadłubów i konstrukcji stalowych dla stoczni.",
     "Prefabrication of hull sections and steel structures for shipyards.", {}),
    ("szulc_nurkowe", "Usługi Nurkowe i Hydrotechniczne Tomasz Szulc", E, "micro", "Ustka", "ul. Marynarki Polskiej 31", "42.91.Z;74.90.Z",
     "Prace podwodne, inspekcje nabrzeży i kadłubów.",
     "Underwater works, quay and hull inspections.", {}),
    ("bswio", "Bałtycka Szkoła Wyższa Inżynierii Okrętowej", R, "", "Gdańsk", "ul. Siedlicka 4", "85.42.Z;72.19.Z",
     "Uczelnia kształcąca inżynierów budowy okrętów i energetyki morskiej.",
     "University educating naval architects and offshore energy engineers.", {}),
    ("itoo", "Instytut Techniki Okrętowej i Offshore", R, "", "Gdańsk", "ul. Szczecińska 65", "72.19.Z;71.20.B",
     "Basen modelowy i badania hydrodynamiczne statków oraz konstrukcji offshore.",
     "Model basin and hydrodynamic testing of ships and offshore structures.", {}),
    ("pfrpm", "Pomorska Fundacja Rozwoju Przedsiębiorczości Morskiej", S, "", "Sopot", "ul. Bohaterów Monte Cassino 49", "70.22.Z;64.99.Z",
     "Fundacja doradzająca firmom morskim w pozyskiwaniu finansowania i wejściu na rynki zagraniczne.",
     "Foundation advising maritime firms on funding and export.", {}),
    ("sbgmr", "Słupskie Biuro Gospodarki Morskiej i Rybackiej", P, "", "Słupsk", "ul. Tuwima 10", "84.13.Z",
     "Jednostka samorządowa wspierająca rozwój portów i rybołówstwa na Pomorzu Środkowym.",
     "Local-government unit supporting ports and fisheries in Central Pomerania.", {}),
    ("szczecin_projekty", "Szczecińskie Biuro Projektów Okrętowych Sp. z o.o.", E, "small", "Szczecin", "ul. Wały Chrobrego 1", "71.12.Z",
     "Projektowanie statków specjalistycznych i dokumentacja klasyfikacyjna.",
     "Design of special-purpose vessels and classification documentation.", {}),
    ("elblag_turbiny", "Elbląskie Zakłady Turbin Morskich Sp. z o.o.", E, "large", "Elbląg", "ul. Stoczniowa 2", "28.11.Z;33.12.Z",
     "Produkcja i serwis turbin parowych oraz przekładni okrętowych.",
     "Manufacture and service of steam turbines and marine gearboxes.", {}),
    ("pruszcz_powloki", "Pruszczańskie Powłoki Antykorozyjne Sp. z o.o.", E, "medium", "Pruszcz Gdański", "ul. Grunwaldzka 60", "25.61.Z",
     "Śrutowanie i malowanie konstrukcji stalowych, m.in. fundamentów morskich farm wiatrowych.",
     "Blasting and coating of steel structures such as offshore wind foundations.", {}),
    # ---------------- not in any cluster ----------------
    ("sctt", "Śląskie Centrum Transferu Technologii Przemysłowych", S, "", "Katowice", "ul. Mikołowska 100", "70.22.Z;72.19.Z",
     "Pośredniczy w komercjalizacji wyników badań i współpracy nauki z przemysłem.",
     "Brokers the commercialisation of research and science–industry cooperation.", {}),
    ("bzmr", "Białostockie Zakłady Maszyn Rolniczych Sp. z o.o.", E, "large", "Białystok", "ul. Elewatorska 17", "28.30.Z",
     "Producent przyczep, rozsiewaczy i maszyn do zbioru zielonek.",
     "Manufacturer of trailers, spreaders and forage harvesting machines.", {}),
    ("spoldzielnia_las", "Olsztyńska Spółdzielnia Socjalna „Las”", N, "", "Olsztyn", "ul. Partyzantów 20", "88.99.Z;81.30.Z",
     "Spółdzielnia socjalna zatrudniająca osoby zagrożone wykluczeniem przy pielęgnacji zieleni.",
     "Social co-operative employing people at risk of exclusion in landscaping.", {"krs": True}),
    ("radom_obuwie", "Radomska Wytwórnia Obuwia Sp. z o.o.", E, "small", "Radom", "ul. Kelles-Krauza 36", "15.20.Z",
     "Szyje obuwie robocze i ochronne.",
     "Makes work and safety footwear.", {}),
    ("tif", "Toruński Instytut Fotoniki", R, "", "Toruń", "ul. Grudziądzka 5", "72.19.Z",
     "Badania nad światłowodami i czujnikami optycznymi.",
     "Research on optical fibres and optical sensors.", {}),
]

# --------------------------------------------------------------------------
# Clusters and members
# --------------------------------------------------------------------------
CLUSTERS = [
    dict(acronym="KLPS", name="Klaster Lotniczy „Podkarpackie Skrzydła”", coordinator="skrzydla",
         founded=2009, date="2009-04-22", sectors="30;25;28;33;72", region="18",
         labels="kkk@2020-01-01/2025-12-31",
         pl="Zrzesza producentów i poddostawców przemysłu lotniczego, uczelnie i instytucje otoczenia biznesu z Podkarpacia. Prowadzi wspólne projekty badawcze i szkolenia kadr.",
         en="Brings together aerospace manufacturers and suppliers, universities and business-support bodies from Podkarpacie. Runs joint research projects and workforce training."),
    dict(acronym="MKTC", name="Małopolski Klaster Technologii Cyfrowych", coordinator="fcm",
         founded=2012, date="2012-10-03", sectors="62;63;58;26", region="12",
         labels="ecei-silver@2023-03-01/2025-03-01;ecei-gold@2025-03-01/2027-02-28",
         pl="Sieć firm informatycznych, uczelni i instytucji z Małopolski, rozwijająca kompetencje w chmurze, cyberbezpieczeństwie i sztucznej inteligencji.",
         en="Network of IT firms, universities and institutions in Małopolska building skills in cloud, cybersecurity and artificial intelligence."),
    dict(acronym="WKM", name="Wielkopolski Klaster Meblowy", coordinator="igpm",
         founded=2010, date="2010-06-15", sectors="31;16;13;46", region="30",
         labels="ecei-bronze@2021-06-15/2023-06-14",
         pl="Łączy producentów mebli, tartaki, dostawców komponentów i projektantów z Wielkopolski. Wspiera eksport, wzornictwo i gospodarkę obiegu zamkniętego.",
         en="Links furniture makers, sawmills, component suppliers and designers in Wielkopolska. Supports exports, design and the circular economy."),
    dict(acronym="ŁKŻ", name="Łódzki Klaster Żywności", coordinator="lara",
         founded=2014, date="2014-03-11", sectors="10;11;01;46", region="10",
         labels="",
         pl="Klaster producentów i przetwórców żywności z województwa łódzkiego, promujący produkty regionalne i wspólne inwestycje w logistykę chłodniczą.",
         en="Cluster of food producers and processors from the Łódź region, promoting regional products and shared investment in cold-chain logistics."),
    dict(acronym="DKLS", name="Dolnośląski Klaster Life Science", coordinator="fdczc",
         founded=2011, date="2011-09-28", sectors="21;26;32;72;86", region="02",
         labels="kkk@2020-01-01/2025-12-31",
         pl="Współpraca firm farmaceutycznych, producentów wyrobów medycznych, szpitali i uczelni Dolnego Śląska. Wspiera badania kliniczne i komercjalizację technologii medycznych.",
         en="Cooperation of pharmaceutical firms, medical device makers, hospitals and universities in Lower Silesia. Supports clinical research and the commercialisation of medical technology."),
    dict(acronym="BKM", name="Bałtycki Klaster Morski", coordinator="bspm",
         founded=2013, date="2013-05-20", sectors="30;33;50;52", region="22",
         labels="",
         pl="Zrzesza stocznie, armatorów, firmy portowe i instytuty badawcze Pomorza. Rozwija łańcuch dostaw dla morskiej energetyki wiatrowej.",
         en="Brings together shipyards, shipowners, port companies and research institutes of Pomerania. Develops the supply chain for offshore wind energy."),
]

# cluster -> list of (org key, role, joined or None, left or "")
# joined None = generated after the founding date; founders/coordinator join on the founding date
MEMBERS = {
    "KLPS": [("skrzydla", "coordinator"), ("precyzmet", "founder"), ("aerokompozyt", "founder"),
             ("atp", "founder"), ("lancut_obrobka", "member"), ("turboserwis", "member", None, "2022-06-30"),
             ("odlewnia_mielec", "member"), ("kbkl", "member"), ("galwanika_wojcik", "member"),
             ("sanockie_tworzywa", "member"), ("aviotor", "member"), ("lwps", "member"),
             ("blizniaki", "member"), ("ibkml", "partner"), ("coi_jasionka", "partner")],
    "MKTC": [("fcm", "coordinator"), ("kfo", "founder"), ("blizniaki", "founder"), ("kano", "founder"),
             ("sciana", "member"), ("algorytmika", "member"), ("zajac_it", "member"), ("slsi", "member"),
             ("bajt", "member"), ("lacki_dom", "member"), ("datanaliza", "member"), ("robotyka", "member"),
             ("medkod", "member"), ("technopark", "partner"), ("wbtc", "partner"), ("atp", "partner")],
    "WKM": [("igpm", "coordinator"), ("debowy_dwor", "founder"), ("kepno_tapicer", "founder"),
            ("lesny_bor", "member"), ("blaszczyk", "member"), ("sremskie_okucia", "member"),
            ("wrzesinska_plyta", "member"), ("jarocin_biuro", "member"), ("kaliskie_lakiery", "member"),
            ("zielony_las", "member"), ("zywiec_stolarka", "member"), ("bielskie_tekstylia", "member"),
            ("jachtowe_meble", "member"), ("cbmw", "partner"), ("pcwp_kepno", "partner"),
            ("robotyka", "partner")],
    "ŁKŻ": [("lara", "coordinator"), ("rawskie_sady", "founder"), ("mleczarnia_bzura", "founder"),
            ("spztzl", "founder"), ("kutnowianka", "member"), ("piekarnia_kaczmarek", "member"),
            ("zrodlo_smaku", "member"), ("browar_leczyca", "member"), ("mrozna_dolina", "member"),
            ("bioanalityka", "member"), ("winnice", "member"), ("cbzf", "partner"), ("latz", "partner"),
            ("lcpzr", "partner"), ("datanaliza", "partner")],
    "DKLS": [("fdczc", "coordinator"), ("farmacja_odrz", "founder"), ("pod_lipami", "founder"),
             ("danz", "founder"), ("medkod", "member"), ("lzam", "member"), ("implantech", "member"),
             ("olesnica_opatrunki", "member"), ("nowicka_rehab", "member"), ("spim", "member"),
             ("sroda_odczynniki", "member"), ("opolskie_tworzywa", "member"),
             ("bydgoskie_tworzywa", "member"), ("kitm", "partner"), ("wazp", "partner"),
             ("bioanalityka", "partner")],
    "BKM": [("bspm", "coordinator"), ("zatoka", "founder"), ("gsj", "founder"), ("jachtowe_meble", "member"),
            ("zegluga_zatokowa", "member"), ("motlawa", "member"), ("tczew_okret", "member"),
            ("szulc_nurkowe", "member"), ("pfrpm", "member"), ("szczecin_projekty", "member"),
            ("elblag_turbiny", "member"), ("pruszcz_powloki", "member", None, "2023-12-31"),
            ("bswio", "partner"), ("itoo", "partner"), ("sbgmr", "partner")],
}

# mobile prefixes used for sole proprietors
MOBILE = ["501", "502", "505", "509", "512", "513", "516", "530", "533", "535", "600", "601", "602",
          "604", "605", "607", "660", "661", "664", "667", "691", "693", "695", "721", "724", "728",
          "731", "733", "781", "784", "788", "792", "797", "880", "883", "887"]

# --------------------------------------------------------------------------
# identifiers
# --------------------------------------------------------------------------
NIP_W = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_W = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_W = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def nip_check(d9):
    return sum(int(c) * w for c, w in zip(d9, NIP_W)) % 11


def regon_check(digits, weights):
    return sum(int(c) * w for c, w in zip(digits, weights)) % 11 % 10


def make_nip(rng, prefix):
    while True:
        body = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
        c = nip_check(body)
        if c != 10:
            return body + str(c)


def make_regon9(rng, prefix):
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(8 - len(prefix)))
    return body + str(regon_check(body, REGON9_W))


def make_regon14(rng, prefix):
    base = make_regon9(rng, prefix)
    body = base + "".join(str(rng.randrange(10)) for _ in range(4))
    return body + str(regon_check(body, REGON14_W))


def slugify(name):
    s = name.replace("ł", "l").replace("Ł", "L")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    for junk in (" sp. z o.o.", " s.a."):
        s = s.replace(junk, "")
    out, dash = [], False
    for ch in s:
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


# --------------------------------------------------------------------------
# geometry
# --------------------------------------------------------------------------
def load_powiats():
    with open(os.path.join(DATA, "reference", "powiats.geojson"), encoding="utf-8") as f:
        return {ft["properties"]["teryt"]: ft["geometry"] for ft in json.load(f)["features"]}


def in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def in_geom(x, y, g):
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return any(in_ring(x, y, p[0]) and not any(in_ring(x, y, h) for h in p[1:]) for p in polys)


# --------------------------------------------------------------------------
def main():
    powiats = load_powiats()
    orgs_out, ident = [], {}
    used_nip, used_regon, used_krs, used_slug = set(), set(), set(), set()
    for key, name, typ, size, city, street, pkd, dpl, den, opt in ORGS:
        teryt, clat, clon, rad, postals, area, nip_prefixes = CITIES[city]
        rng = random.Random("klaster-demo:" + key)
        has_nip = opt.get("nip", True)
        if typ == "enterprise":
            assert has_nip, key + ": enterprises need a NIP"
        nip = ""
        if has_nip:
            while not nip or nip in used_nip:
                nip = make_nip(rng, rng.choice(nip_prefixes))
            used_nip.add(nip)
        regon_kind = opt.get("regon", "9")
        regon = ""
        if regon_kind:
            prefixes = REGON_PREFIX[teryt[:2]]
            while not regon or regon in used_regon or regon[:9] in used_regon:
                regon = (make_regon9 if regon_kind == "9" else make_regon14)(rng, rng.choice(prefixes))
            used_regon.add(regon)
            used_regon.add(regon[:9])
        legal = any(t in name.split() for t in ("S.A.", "Fundacja", "Stowarzyszenie", "Izba", "Spółdzielnia")) \
            or "Sp. z o.o." in name
        krs = ""
        if opt.get("krs", legal):
            while not krs or krs in used_krs:
                krs = "0000" + str(rng.randrange(100000, 999999))
            used_krs.add(krs)
        postal = rng.choice(postals)
        # deterministic point near the centre, inside the powiat
        g = powiats[teryt]
        r = rad
        for _ in range(60):
            lat = round(clat + rng.uniform(-r, r), 5)
            lon = round(clon + rng.uniform(-r, r) * 1.5, 5)
            if in_geom(lon, lat, g):
                break
            r *= 0.8
        else:
            raise SystemExit(key + ": could not place point in powiat " + teryt)
        if size == "micro":
            phone = "+48 %s %03d %03d" % (rng.choice(MOBILE), rng.randrange(1000), rng.randrange(1000))
        else:
            phone = "+48 %s %03d %02d %02d" % (area, rng.randrange(200, 900), rng.randrange(100),
                                               rng.randrange(100))
        slug = slugify(name)
        if len(slug) > 40:
            slug = slug[:40].rsplit("-", 1)[0]
        assert slug not in used_slug, slug
        used_slug.add(slug)
        ident[key] = nip or regon
        orgs_out.append({
            "name": name, "type": typ, "size_class": size, "nip": nip, "regon": regon, "krs": krs,
            "pkd": pkd, "pkd_version": "2007", "street": street, "postal_code": postal, "city": city,
            "teryt": teryt, "lat": "%.5f" % lat, "lon": "%.5f" % lon,
            "website": "https://%s.example" % slug, "email": "biuro@%s.example" % slug, "phone": phone,
            "description_pl": dpl, "description_en": den, "demo": "1"})

    clusters_out = []
    for c in CLUSTERS:
        slug = slugify(c["name"])
        clusters_out.append({
            "acronym": c["acronym"], "name": c["name"], "coordinator": ident[c["coordinator"]],
            "founded": str(c["founded"]), "sectors": c["sectors"], "region": c["region"],
            "website": "https://%s.example" % slug, "email": "biuro@%s.example" % slug,
            "description_pl": c["pl"], "description_en": c["en"], "labels": c["labels"], "demo": "1"})

    members_out = []
    for c in CLUSTERS:
        acr = c["acronym"]
        y0 = c["founded"]
        for m in MEMBERS[acr]:
            key, role = m[0], m[1]
            joined = m[2] if len(m) > 2 and m[2] else None
            left = m[3] if len(m) > 3 else ""
            if joined is None:
                if role in ("coordinator", "founder"):
                    joined = c["date"]
                else:
                    rng = random.Random("klaster-demo:%s:%s" % (acr, key))
                    y1 = int(left[:4]) if left else 2025
                    y = rng.randrange(y0 + 1, y1)
                    joined = "%04d-%02d-%02d" % (y, rng.randrange(1, 13), rng.randrange(1, 29))
            if left:
                assert left > joined, (acr, key)
            members_out.append({"cluster": acr, "organisation": ident[key], "role": role,
                                "joined": joined, "left": left})

    write(os.path.join(DATA, "demo", "organisations.csv"), list(orgs_out[0].keys()), orgs_out)
    write(os.path.join(DATA, "demo", "clusters.csv"), list(clusters_out[0].keys()), clusters_out)
    write(os.path.join(DATA, "demo", "members.csv"), ["cluster", "organisation", "role", "joined", "left"],
          members_out)
    print("organisations: %d, clusters: %d, members: %d" % (len(orgs_out), len(clusters_out), len(members_out)))


def write(path, fields, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main()
