"""People, places, companies, checksum helpers and the labelled document of the held-out
set (eval/make_eval_heldout.py): drawn from one random stream, in a fixed order, so that the
files are the same every run."""

import datetime
import io
import json
import os
import random
import shutil
import sys
import unicodedata
import zipfile

SEED = 20261206
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout")
CORPUS = os.path.join(OUT, "corpus")

ORG = "Logis du Rhône"
ORG_DOMAIN = "logisdurhone.fr"
ORG_ADDR = ("8 quai Perrache", "69002", "Lyon")
ORG_PHONE = "04 78 92 40 00"
ORG_IBAN = "FR7610096180000123456789009"

# First names of many origins, as given in France today (sex for the civility).
FIRST_F = """Awa Mai Zeynep Siham Fatoumata Aminata Ngoc Linh Thi Mariam Yasmina Leïla Inès Sabrina
Ayşe Elif Meryem Khadija Nour Samira Kenza Yousra Rokia Binta Adama Maïmouna Ana Sofia Beatriz
Marta Giulia Chiara Anastasia Ioana Oksana Svetlana Agnieszka Katarzyna Naïma Dounia Lina Maëlys
Jade Louise Ambre Anaïs Océane Margaux Capucine Clémence Solène Gwenaëlle Maëlle Soizic Nadège
Ghislaine Josiane Huguette Mireille Odile Brigitte Françoise Pascale Hanane Malika Assia Rania
Thuy Hoa Lan Mei Xiu Priya Deepa Tatiana Djeneba Oumou Kadiatou Safiatou Hawa Coumba Ndeye""".split()
FIRST_M = """Duc Emre Boubacar João Mamadou Ousmane Moussa Seydou Abdoulaye Cheikh Ibrahima Youssef
Karim Mehdi Bilal Sofiane Nassim Rachid Farid Hakim Anis Walid Yacine Ilyes Ayoub Amine Hamid
Mustafa Mehmet Burak Kerem Serkan Volkan Tuan Minh Hieu Long Quang Thanh Wei Jun Hao Rajesh Arjun
Miguel Rui Tiago Paulo Nuno Sergio Alejandro Matteo Luca Giovanni Piotr Tomasz Andrzej Bogdan
Mihai Vasile Dmitri Igor Oleksandr Goran Dragan Armel Kouadio Yao Serge Arnaud Gaëtan Loïck Erwan
Yannick Tanguy Gwendal Maël Timothée Baptiste Côme Anatole Gaspard Lucien Marcel Roger Gilbert
Raymond Guy Hervé Thierry Didier Joël Noël""".split()
SURNAMES = """Nguyen|Tran|Pham|Hoang|Vo|Dang|Bui|Diallo|Traoré|Touré|Keïta|Coulibaly|Konaté|Camara|Sangaré|
Cissé|Diarra|Sylla|Ndiaye|Fall|Sow|Ba|Gueye|Mbaye|Faye|Yılmaz|Kaya|Demir|Şahin|Çelik|Arslan|
Doğan|Aydın|Öztürk|Kılıç|Benali|Haddad|Meziane|Boukhari|Belkacem|Cherif|Hamidi|Bensaïd|Ouali|
Saïdi|Amrani|Tahiri|Lahlou|El Idrissi|Benjelloun|Zerrouki|Ferreira|Pereira|Rodrigues|Carvalho|
Costa|Oliveira|Almeida|Sousa|Lopes|Fernandes|Marques|Russo|Esposito|Colombo|Bianchi|Romano|
Kowalczyk|Nowak|Wiśniewski|Popescu|Ionescu|Petrov|Ivanova|Kovačević|Horvat|Chen|Wang|Zhang|Liu|
Huang|Sharma|Patel|Kumar|Le Goff|Le Floch|Kerbrat|Quéméner|Guillou|Morvan|Riou|Tanguy|Lagarde|
Fabre|Vidal|Roussel|Gauthier|Barbier|Marchand|Perrin|Chevalier|Lemoine|Blanchard|Joly|Collet|
Carré|Brun|Giraud|Hubert|Boyer|Leclerc|Mathieu|Lacroix|Picard|Renaud|Aubert|Schmitt|Meyer|
Muller|Weber|Klein|Wagner""".replace("\n", "").split("|")

PLACES = [("69001", "Lyon"), ("69003", "Lyon"), ("69007", "Lyon"), ("69008", "Lyon"), ("69009", "Lyon"),
          ("69100", "Villeurbanne"), ("69120", "Vaulx-en-Velin"), ("69200", "Vénissieux"),
          ("69500", "Bron"), ("69140", "Rillieux-la-Pape"), ("69800", "Saint-Priest"),
          ("69600", "Oullins"), ("69150", "Décines-Charpieu"), ("69310", "Pierre-Bénite"),
          ("69400", "Villefranche-sur-Saône"), ("38200", "Vienne"), ("42000", "Saint-Étienne"),
          ("01000", "Bourg-en-Bresse"), ("69190", "Saint-Fons"), ("69330", "Meyzieu")]
# Streets named after people: the address is data, the person in it is not.
STREETS = ["avenue Henri Barbusse", "rue Gabriel Péri", "boulevard Marcel Cachin", "rue Louise Michel",
           "allée Simone Veil", "avenue Salvador Allende", "rue Rosa Parks", "place Aimé Césaire",
           "rue Jean Moulin", "avenue Paul Vaillant-Couturier", "rue Lucie Aubrac", "rue Pierre Sémard",
           "chemin des Vignes", "rue des Glycines", "impasse des Tisserands", "rue du Repos",
           "montée de la Grande Côte", "cours Émile Zola", "rue Francis de Pressensé", "avenue Jean Jaurès",
           "rue Ambroise Croizat", "rue Danielle Casanova", "square Nelson Mandela", "rue Frédéric Mistral"]
INSTITUTIONS = ["l'école Jacques Prévert", "le collège Louise Michel", "le centre social Nelson Mandela",
                "le gymnase Marcel Cerdan", "la médiathèque Aimé Césaire", "le lycée Marie Curie",
                "la maison de quartier Léo Lagrange", "l'espace Frida Kahlo"]
COMPANIES = [("SAS Propreté du Rhône", "12 avenue Henri Barbusse", "69120", "Vaulx-en-Velin"),
             ("Garage Nguyen Frères", "3 rue Pierre Sémard", "69200", "Vénissieux"),
             ("Ets Kaya & Fils", "41 route de Vienne", "69008", "Lyon"),
             ("SARL Benali Bâtiment", "6 rue Ambroise Croizat", "69800", "Saint-Priest"),
             ("Plomberie Ferreira", "22 boulevard Marcel Cachin", "69100", "Villeurbanne"),
             ("Ascenseurs Rhône-Alpes SA", "150 cours Lafayette", "69003", "Lyon")]
PRODUCTS = ["mitigeur Grohe Eurosmart", "fenêtre de toit Velux GGL", "thermostat Netatmo",
            "chaudière Frisquet Prestige", "pompe à chaleur Daikin Altherma", "VMC Aldes EasyHOME",
            "serrure Vachette Radial NT", "interphone Comelit Mini"]
MAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "sfr.fr", "laposte.net", "outlook.fr", "hotmail.com",
                "yahoo.fr", "icloud.com", "bbox.fr"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def pick(seq):
    return seq[R.randrange(len(seq))]


def chance(p):
    return R.random() < p


def deaccent(s):
    s = s.replace("ı", "i").replace("ł", "l").replace("ø", "o")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def luhn_ok(digits):
    tot = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        tot += d
    return tot % 10 == 0


def luhn_complete(prefix):
    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError


def siren():
    return luhn_complete(f"{R.randint(1, 9)}{R.randint(0, 10**7 - 1):07d}")


def siret(sn=None):
    sn = sn or siren()
    return luhn_complete(sn + f"{R.randint(1, 9999):04d}")


def tva(sn):
    return f"FR{(12 + 3 * (int(sn) % 97)) % 97:02d}{sn}"


def ean13():
    body = f"{R.choice(['300', '376', '400', '541', '800'])}{R.randint(0, 10**9 - 1):09d}"
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - s % 10) % 10)


def nir_key(body):
    return 97 - int(body.replace("2A", "19").replace("2B", "18")) % 97


def iban_check(bban):
    n = int("".join(str(int(c, 36)) for c in bban + "FR00"))
    return 98 - n % 97


def make_iban():
    bank = pick(["30004", "30003", "10096", "13825", "16807", "20041", "42559", "17806"])
    guichet, account = f"{R.randint(0, 99999):05d}", f"{R.randint(0, 10**11 - 1):011d}"
    rib = 97 - ((89 * int(bank) + 15 * int(guichet) + 3 * int(account)) % 97)
    bban = f"{bank}{guichet}{account}{rib:02d}"
    return f"FR{iban_check(bban):02d}{bban}"


def iban_ok(iban):
    return int("".join(str(int(c, 36)) for c in iban[4:] + iban[:4])) % 97 == 1


def bad_iban():
    while True:
        good = make_iban()
        i = R.randint(4, len(good) - 1)
        bad = good[:i] + str((int(good[i]) + R.randint(1, 9)) % 10) + good[i + 1:]
        if not iban_ok(bad):
            return bad


def group4(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def fmt_nir(n):
    s = pick(["sp", "sp", "compact", "dash"])
    if s == "compact":
        return n
    parts = [n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:]]
    return " ".join(parts[:-1]) + (" / " if s == "dash" else " ") + parts[-1]


def bad_nir():
    body = f"{R.randint(1, 2)}{R.randint(50, 99):02d}{R.randint(1, 12):02d}69{R.randint(1, 390):03d}{R.randint(1, 999):03d}"
    return body + f"{(nir_key(body) + R.randint(3, 60)) % 97 + 1:02d}"


def make_phone(mobile=True):
    if mobile:
        p = pick(["06", "07"])
        p += str(R.randint(0, 9)) if p == "06" else str(R.randint(5, 8))
        return p + "".join(str(R.randint(0, 9)) for _ in range(7))
    return "04" + pick(["72", "78", "37", "26", "81"]) + "".join(str(R.randint(0, 9)) for _ in range(6))


def fmt_phone(n):
    s = pick(["sp", "sp", "dot", "compact", "intl", "intl0"])
    if s == "sp":
        return " ".join(n[i:i + 2] for i in range(0, 10, 2))
    if s == "dot":
        return ".".join(n[i:i + 2] for i in range(0, 10, 2))
    if s == "compact":
        return n
    if s == "intl":
        return "+33 " + n[1] + " " + " ".join(n[i:i + 2] for i in range(2, 10, 2))
    return "+33 (0)" + n[1:]


def e164(n):
    return "+33" + n[1:]


def ip_public():
    while True:
        a = R.choice([2, 5, 31, 37, 46, 62, 77, 78, 80, 81, 82, 83, 86, 88, 90, 91, 92, 109, 176, 178, 185, 193, 212])
        ip = f"{a}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        return ip


def dmy(d):
    return d.strftime("%d/%m/%Y")


def long_date(d):
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


def money(lo=20, hi=3000):
    v = R.randint(lo * 100, hi * 100) / 100
    return f"{v:,.2f}".replace(",", " ").replace(".", ",")


USED = set()


class Person:
    def __init__(self, sex=None, first=None, last=None, born=None, street=None, place=None, who=None):
        while True:
            self.sex = sex or pick("FM")
            self.first = first or pick(FIRST_F if self.sex == "F" else FIRST_M)
            self.last = last or pick(SURNAMES)
            if first or (self.first, self.last) not in USED:
                break
        USED.add((self.first, self.last))
        self.born = born or datetime.date(R.randint(1945, 2003), R.randint(1, 12), R.randint(1, 28))
        self.num = str(R.randint(1, 140)) + (pick([" bis", " ter", ""]) if chance(0.1) else "")
        self.street = street or pick(STREETS)
        self.cp, self.city = place or pick(PLACES)
        self.mobile = make_phone(True)
        self.fixe = make_phone(False)
        dom = pick(MAIL_DOMAINS)
        f, l = deaccent(self.first).lower().replace(" ", ""), deaccent(self.last).lower().replace(" ", "")
        self.email = pick([f"{f}.{l}@{dom}", f"{f[0]}{l}@{dom}", f"{l}.{f}{R.randint(1, 99)}@{dom}",
                           f"{f}_{l}@{dom}"])
        self.iban = make_iban()
        body = f"{1 if self.sex == 'M' else 2}{self.born.year % 100:02d}{self.born.month:02d}" \
               f"{pick(['69', '38', '42', '75', '99', '2A', '13'])}{R.randint(1, 380):03d}{R.randint(1, 999):03d}"
        self.nir = body + f"{nir_key(body):02d}"
        self.who = who

    @property
    def civ(self):
        return "M." if self.sex == "M" else "Mme"

    @property
    def civ_long(self):
        return "Monsieur" if self.sex == "M" else "Madame"

    def street_line(self):
        return f"{self.num} {self.street}"

    def address(self):
        return f"{self.street_line()}, {self.cp} {self.city}"


def staff_person(first, last, sex):
    p = Person(sex, first, last)
    p.email = f"{deaccent(first[0]).lower()}.{deaccent(last).lower().replace(' ', '')}@{ORG_DOMAIN}"
    return p


STAFF = [staff_person("Mai", "Tran", "F"), staff_person("Gwendal", "Le Floch", "M"),
         staff_person("Rokia", "Sangaré", "F"), staff_person("Timothée", "Vidal", "M")]

# The access-request people: homonyms and near-homonyms, a couple at one address, two tenants
# born the same day.
SUBJ = {
    "jean_dupont": Person("M", "Jean", "Dupont", datetime.date(1975, 4, 12), "rue des Glycines",
                          ("69100", "Villeurbanne"), "jean_dupont"),
    "jeanne_dupont": Person("F", "Jeanne", "Dupont", datetime.date(1982, 2, 5), "allée Simone Veil",
                            ("69200", "Vénissieux"), "jeanne_dupont"),
    "jean_dupond": Person("M", "Jean", "Dupond", datetime.date(1968, 11, 23), "avenue Henri Barbusse",
                          ("69120", "Vaulx-en-Velin"), "jean_dupond"),
    "emre_yilmaz": Person("M", "Emre", "Yılmaz", datetime.date(1975, 4, 12), "rue Gabriel Péri",
                          ("69100", "Villeurbanne"), "emre_yilmaz"),
}
AWA = Person("F", "Awa", "Dupont", datetime.date(1979, 9, 30), who="awa_dupont")
AWA.num, AWA.street, AWA.cp, AWA.city, AWA.fixe = (SUBJ["jean_dupont"].num, SUBJ["jean_dupont"].street,
                                                   "69100", "Villeurbanne", SUBJ["jean_dupont"].fixe)
SUBJ["awa_dupont"] = AWA
SUBJ["jean_dupont"].email = "jean.dupont75@orange.fr"
SUBJ["jeanne_dupont"].email = "jeanne.dupont@free.fr"
SUBJ["jean_dupond"].email = "j.dupond@laposte.net"
AWA.email = "awa.dupont@gmail.com"
SUBJ["emre_yilmaz"].email = "emre.yilmaz@outlook.fr"


class Doc:
    def __init__(self, path):
        self.path = path
        self.lines = []
        self.labels = []

    def add(self, *lines):
        self.lines.extend(lines)

    def lab(self, kind, value, alt=None, optional=False, who=None):
        d = {"kind": kind, "value": value}
        if alt:
            d["alt"] = alt
        if optional:
            d["optional"] = True
        if who:
            d["who"] = who
        self.labels.append(d)

    def person(self, p, name=None, kinds=("name",)):
        """Label p's values of `kinds`; `name` is the name as written (first name first)."""
        for k in kinds:
            if k == "name":
                self.lab("name", name or f"{p.first} {p.last}", who=p.who)
            elif k == "address":
                self.lab("address", p.address(), who=p.who)
            elif k == "email":
                self.lab("email", p.email.lower(), who=p.who)
            elif k == "mobile":
                self.lab("phone", e164(p.mobile), who=p.who)
            elif k == "fixe":
                self.lab("phone", e164(p.fixe), who=p.who)
            elif k == "iban":
                self.lab("iban", p.iban, who=p.who)
            elif k == "nir":
                self.lab("nir", p.nir, who=p.who)
            elif k == "birthdate":
                self.lab("birthdate", p.born.isoformat(), who=p.who)

    def text(self):
        return "\n".join(self.lines) + "\n"


DOCS = []  # (path, bytes, labels)


def emit(doc, data=None):
    DOCS.append((doc.path, data if data is not None else doc.text().encode("utf-8"), doc.labels))


def dedupe(labels):
    """One label per (kind, value) in a file; a required label wins over an optional one."""
    seen, out = {}, []
    for l in labels:
        key = (l["kind"], l["value"].casefold())
        if key in seen:
            if seen[key].get("optional") and not l.get("optional"):
                seen[key].pop("optional")
            continue
        seen[key] = l
        out.append(l)
    return out


def person_values(p):
    """A requester's values as `labels.json` lists them."""
    return {"name": [f"{p.first} {p.last}"], "email": [p.email.lower()], "phone": [e164(p.mobile), e164(p.fixe)],
            "iban": [p.iban], "nir": [p.nir], "birthdate": [p.born.isoformat()], "address": [p.address()]}


def write_set(out, corpus, docs, seed, subjects, requests, allow, extra_labels=None):
    """Writes a set: `docs` ((path, bytes or None, labels or None)) under `corpus`
    (emptied first), `labels.json` and `allow.txt` (the text `allow`) under
    `out`. Returns the labels by file."""
    if os.path.isdir(corpus):
        shutil.rmtree(corpus)
    files = {}
    for path, data, labels in docs:
        if data is not None:
            full = os.path.join(corpus, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
        if labels is not None:
            files[path] = dedupe(labels)
    for k, v in (extra_labels or {}).items():
        files[k] = dedupe(v)
    values = {w: {"values": person_values(p)} for w, p in subjects.items()}
    with open(os.path.join(out, "labels.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": seed, "files": files, "subjects": values, "requests": requests},
                  f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "allow.txt"), "w", encoding="utf-8") as f:
        f.write(allow)
    return files
