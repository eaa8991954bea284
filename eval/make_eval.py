#!/usr/bin/env python3
"""Generate the pdscout evaluation set: eval/corpus/ and eval/labels.json.

Synthetic, deterministic (fixed seed), python3 stdlib only. Every person is
fictitious (random first name + surname); postal code / commune pairs are real.

Labels follow the normalised values of /work/shared/SPEC.md:
  name      "Firstname Lastname" in the text's letters ("DUPONT Jean" -> "Jean DUPONT")
  address   one line, parts joined by ", " ("12 rue de la Paix, 75002 Paris")
  email     lower-case
  phone     E.164 (+33...)
  iban      upper-case, no spaces
  nir       15 characters, no spaces
  birthdate YYYY-MM-DD

Each label is {"kind", "value"} plus optionally
  "alt":      other acceptable values (e.g. the address without its complement lines),
  "optional": true  -> neither required nor penalised (e.g. the bare surname in
              "Madame Dupont," when the file already names "Jeanne Dupont" in full).
Things that are NOT personal data (organisation letterhead, company addresses,
switchboard, generic mailboxes, people in street/school names, ...) are left
unlabelled on purpose: reporting them costs precision.
"""

import json
import sys
import os
import random
import shutil
import unicodedata

# `--seed N` gives another corpus of the same shapes (a check that nothing is tuned to one draw).
SEED = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 20240517
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
LABELS = os.path.join(HERE, "labels.json")

# --------------------------------------------------------------------------
# Pools
# --------------------------------------------------------------------------

FIRST_F = """Marie Jeanne Élodie Sophie Nathalie Isabelle Sandrine Céline Aurélie Émilie Camille Léa
Chloé Manon Inès Sarah Fatima Aïcha Nadia Samira Yasmina Khadija Aminata Fatoumata Aïssatou Mariam
Linh Mai Agnieszka Katarzyna Ana María Carmen Lucía Giulia Ioana Elena Hélène Françoise Monique
Josiane Chantal Brigitte Christiane Geneviève Martine Sylvie Véronique Valérie Patricia Corinne
Laurence Stéphanie Virginie Audrey Mélanie Julie Pauline Margaux Océane Anaïs Maëlle Zoé Noémie
Clémence Agathe Lucie Louise Alice Jade Emma Marie-Claire Marie-Thérèse Anne-Sophie Marie-Hélène
Anne-Laure Rose-Marie Gaëlle Soizic Nolwenn Maïwenn Héloïse Bérénice Josette Ginette Odile Rachida
Malika Leïla Siham Hafsa Awa Bintou Mariama Esra Zeynep Svetlana Natalia Olga Marie-José Ghislaine
Yvette Solène Coralie Laëtitia Sabrina Jessica Priscilla Djamila Houria Naïma""".split()
FIRST_M = """Jean Pierre Michel Philippe Alain Patrick Nicolas Christophe Stéphane Laurent Frédéric
Sébastien David Julien Olivier Thierry Éric Franck Bruno Gérard Bernard Daniel Christian Jacques
René Joël Hervé Yannick Gaël Loïc Ronan Erwan Maxime Thomas Antoine Hugo Lucas Théo Nathan Enzo
Mathis Noah Adam Rayan Karim Mohamed Mehdi Youssef Rachid Samir Hocine Abdelkader Farid Nordine
Bilal Ibrahim Mamadou Moussa Ousmane Abdoulaye Seydou Cheikh Boubacar Tuan Minh Duc Piotr Tomasz
Marek Krzysztof José Manuel Antonio Carlos Javier João Luís Giovanni Marco Mihai Andrei Jean-Pierre
Jean-Claude Jean-Luc Jean-François Jean-Marc Pierre-Yves Jean-Baptiste Paul-Henri François-Xavier
Marc-Antoine Jérôme Cédric Grégoire Benoît Aurélien Rémi Noël Gaëtan Mathéo Timothée Anthony Kevin
Dylan Mickaël Ahmed Hamza Ali Mustafa Emre Hakan Lionel Fabrice Didier Serge Gilles Raymond Marcel
Kamel Sofiane Idriss""".split()

SURNAMES = [s.strip() for s in """Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|
Moreau|Simon|Laurent|Lefèvre|Michel|Garcia|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|André|
Lefebvre|Mercier|Dupont|Lambert|Bonnet|François|Martinez|Legrand|Garnier|Faure|Rousseau|Blanc|Guérin|
Muller|Henry|Roussel|Perrin|Morin|Mathieu|Clément|Gauthier|Dumont|Lopez|Fontaine|Chevalier|Robin|
Masson|Sanchez|Nguyen|Boyer|Denis|Lemaire|Duval|Joly|Gautier|Roger|Roche|Roy|Meyer|Meunier|Perez|
Marchand|Dufour|Blanchard|Barbier|Brun|Dumas|Brunet|Schmitt|Leroux|Colin|Fernandez|Renard|Arnaud|
Rolland|Caron|Aubert|Giraud|Leclerc|Vidal|Bourgeois|Renaud|Lemoine|Picard|Gaillard|Leclercq|Lacroix|
Fabre|Dupuis|Rodriguez|Hubert|Guillot|Rivière|Le Gall|Le Goff|Le Roux|Le Bihan|Le Corre|Kerbrat|
Quéméner|de La Fontaine|de Montalembert|d'Almeida|Dos Santos|Da Costa|Da Silva|Pereira|Ferreira|
Rodrigues|Gonçalves|Van den Berg|Van Damme|Vandenbroucke|Ben Salah|Ben Ali|Benali|Benchikh|Bouzid|
Belkacem|Haddad|Hamidi|Mansouri|Benyahia|Ait Ahmed|Aït-Ouali|Cherif|Boudjema|Diallo|Traoré|Koné|
Diop|Ndiaye|N'Diaye|Sow|Camara|Cissé|Keita|Touré|Sylla|Tran|Pham|Hoang|Kowalski|Nowak|Wiśniewski|
Lewandowski|Kaminski|Popescu|Ionescu|García|Fernández|López|Sánchez|Gómez|Rossi|Russo|Esposito|
Ferrari|Yilmaz|Kaya|Demir|Öztürk|Schneider|Weber|Wagner|Klein|Hoffmann|Lévy|Cohen|Azoulay|Benhamou|
Delacroix|Lemaître|Besnard|Pelletier|Mallet|Chauvin|Bouvier|Poirier|Maillard|Hamel|Tessier|Collet|
Carré|Charpentier|Leblanc|Prévost|Fleury|Marty|Jacquet|Labbé|Huet|Vasseur|Hoarau|Payet|Grondin|
Moulin|Saint-Martin|Jean|Pierre|Marie|Louis|Nicolas|Le Bris|Du Pont|de Oliveira|El Amrani|
El Idrissi|Bouchard|Tessier|Vasseur|Courtois|Lebon|Guillemin|Berthier|Perret|Chapuis""".split("|")]
SURNAMES = sorted(set(SURNAMES), key=SURNAMES.index)

# (postal code, commune, INSEE dept for NIR) -- real pairs
PLACES = [
    ("75011", "Paris"), ("75018", "Paris"), ("75020", "Paris"), ("75013", "Paris"), ("75019", "Paris"),
    ("69003", "Lyon"), ("69007", "Lyon"), ("69008", "Lyon"), ("69009", "Lyon"), ("69100", "Villeurbanne"),
    ("69200", "Vénissieux"), ("69500", "Bron"), ("69120", "Vaulx-en-Velin"), ("69400", "Villefranche-sur-Saône"),
    ("13005", "Marseille"), ("13013", "Marseille"), ("13015", "Marseille"), ("13100", "Aix-en-Provence"),
    ("33000", "Bordeaux"), ("33300", "Bordeaux"), ("31000", "Toulouse"), ("31200", "Toulouse"),
    ("59000", "Lille"), ("59100", "Roubaix"), ("59200", "Tourcoing"), ("44000", "Nantes"), ("44300", "Nantes"),
    ("67000", "Strasbourg"), ("67100", "Strasbourg"), ("35000", "Rennes"), ("35200", "Rennes"),
    ("42000", "Saint-Étienne"), ("42100", "Saint-Étienne"), ("42300", "Roanne"), ("76600", "Le Havre"),
    ("76000", "Rouen"), ("34000", "Montpellier"), ("06000", "Nice"), ("06300", "Nice"), ("38000", "Grenoble"),
    ("38400", "Saint-Martin-d'Hères"), ("38200", "Vienne"), ("21000", "Dijon"), ("49000", "Angers"),
    ("37000", "Tours"), ("63000", "Clermont-Ferrand"), ("87000", "Limoges"), ("80000", "Amiens"),
    ("29200", "Brest"), ("64000", "Pau"), ("97400", "Saint-Denis"), ("93200", "Saint-Denis"),
    ("93100", "Montreuil"), ("94200", "Ivry-sur-Seine"), ("92000", "Nanterre"), ("95100", "Argenteuil"),
    ("95200", "Sarcelles"), ("77100", "Meaux"), ("78200", "Mantes-la-Jolie"), ("57000", "Metz"),
    ("54000", "Nancy"), ("51100", "Reims"), ("45000", "Orléans"), ("72000", "Le Mans"), ("86000", "Poitiers"),
    ("25000", "Besançon"), ("30000", "Nîmes"), ("84000", "Avignon"), ("83000", "Toulon"), ("26000", "Valence"),
    ("73000", "Chambéry"), ("74000", "Annecy"), ("01000", "Bourg-en-Bresse"), ("71100", "Chalon-sur-Saône"),
    ("17000", "La Rochelle"), ("56100", "Lorient"), ("22000", "Saint-Brieuc"), ("14000", "Caen"),
    ("62300", "Lens"), ("02100", "Saint-Quentin"), ("20000", "Ajaccio"), ("20200", "Bastia"),
    ("97200", "Fort-de-France"), ("66000", "Perpignan"), ("19100", "Brive-la-Gaillarde"),
    ("43000", "Le Puy-en-Velay"), ("15000", "Aurillac"), ("11100", "Narbonne"),
]
# the Lyon area dominates a Lyon-based association's files
LOCAL = [p for p in PLACES if p[0][:2] in ("69", "42", "38", "01")]

STREET_NAMES = """de la République|Victor Hugo|Jean Jaurès|des Lilas|du Moulin|de la Gare|Pasteur|des Écoles|
Gambetta|Paul Bert|Anatole France|du 8 Mai 1945|du 11 Novembre 1918|du Général de Gaulle|Charles de Gaulle|
de l'Église|des Acacias|Jules Ferry|Émile Zola|Marcel Pagnol|Jean Moulin|de Verdun|Aristide Briand|
de la Liberté|des Mimosas|Antoine de Saint-Exupéry|des Peupliers|du Stade|Roger Salengro|
Paul Vaillant-Couturier|Henri Barbusse|Louise Michel|Simone Veil|Lucie Aubrac|Pierre Brossolette|
Salvador Allende|Gabriel Péri|Maurice Thorez|des Tilleuls|des Roses|de la Paix|du Château|des Vignes|
de la Croix-Rousse|Garibaldi|Paul Santy|des Frères Lumière|Jean-Baptiste Clément|Ambroise Croizat|
de Bretagne|de Provence|des Cerisiers|de la Fontaine|Lamartine|Voltaire|Danton|Jean de La Fontaine|
Berthelot|Saint-Jean|de Belleville|Oberkampf|de Charonne|Faidherbe|Marcel Sembat|Jules Guesde|
Édouard Herriot|Georges Clemenceau|Marie Curie|Camille Desmoulins|des Glycines|du Docteur Schweitzer|
de Stalingrad|Pablo Picasso|Frédéric Mistral|Nelson Mandela|Olympe de Gouges|de l'Industrie|des Platanes""".replace("\n", "").split("|")
STREET_TYPES = [("rue", 40), ("Rue", 4), ("avenue", 10), ("av.", 3), ("Avenue", 2), ("boulevard", 5),
                ("bd", 3), ("Bd", 2), ("allée", 6), ("impasse", 5), ("chemin", 4), ("route", 3),
                ("place", 3), ("cours", 2), ("quai", 2), ("square", 1), ("montée", 1), ("passage", 1)]
CHEMINS = ["des Vignes", "de la Croix", "du Bois", "des Pâquerettes", "de la Source", "des Prés"]
ROUTES = ["de Vienne", "de Grenoble", "de Lyon", "de Genas", "de Saint-Priest", "d'Heyrieux", "de Paris"]
LIEUX_DITS = ["Les Granges", "La Bergerie", "Le Pont", "Les Combes", "Le Mas Rouge", "La Croix Blanche"]
RESIDENCES = ["Les Tilleuls", "Le Parc", "Les Lilas", "Les Érables", "du Soleil", "Les Marronniers",
              "Le Clos Fleuri", "Les Charmilles", "La Roseraie", "Les Glycines", "Bellevue", "du Lac"]

MAIL_DOMAINS = ["gmail.com", "orange.fr", "hotmail.fr", "free.fr", "yahoo.fr", "laposte.net", "sfr.fr",
                "outlook.fr", "wanadoo.fr", "icloud.com"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]

ORG = "Habitat Exemple"
ORG_DOMAIN = "habitat-exemple.fr"
ORG_PHONE = "04 72 10 20 30"
ORG_GENERIC = ["contact@habitat-exemple.fr", "gestion.locative@habitat-exemple.fr",
               "recouvrement@habitat-exemple.fr", "accueil@habitat-exemple.fr"]

COMPANIES = [  # employer / supplier addresses: not personal data
    ("SAS Nettoyage Pro", "5 rue de l'Industrie", "69100 Villeurbanne"),
    ("SARL Dupont Frères", "18 avenue Jean Jaurès", "69007 Lyon"),
    ("Martin Immobilier", "42 cours Gambetta", "69003 Lyon"),
    ("SCI Les Tilleuls", "7 place Bellecour", "69002 Lyon"),
    ("Transports Girard SA", "ZI des Platières, 12 rue Denis Papin", "69120 Vaulx-en-Velin"),
    ("Clinique du Parc", "155 boulevard de Stalingrad", "69006 Lyon"),
    ("Carrefour Market", "2 route de Vienne", "69008 Lyon"),
    ("ADMR du Rhône", "10 rue Pierre Bourdan", "69003 Lyon"),
    ("Mairie de Vénissieux", "5 avenue Marcel Houël", "69200 Vénissieux"),
    ("Plomberie Fontaine et Fils", "3 impasse des Artisans", "69500 Bron"),
]
PRODUCTS = ["chaudière Saunier Duval ThemaPlus", "interphone Urmet", "détecteur de fumée Kidde",
            "VMC Aldes", "radiateur Atlantic", "ballon d'eau chaude Thermor", "robinetterie Grohe",
            "digicode Intratone"]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def pick(seq):
    return seq[R.randrange(len(seq))]


def wpick(pairs):
    tot = sum(w for _, w in pairs)
    x = R.uniform(0, tot)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def chance(p):
    return R.random() < p


def fr_date(y, m, d, style=None):
    style = style or pick(["slash", "long"])
    if style == "slash":
        return f"{d:02d}/{m:02d}/{y}"
    if style == "long":
        return f"{'1er' if d == 1 else d} {MONTHS[m-1]} {y}"
    if style == "dot":
        return f"{d:02d}.{m:02d}.{y}"
    if style == "dash":
        return f"{d:02d}-{m:02d}-{y}"
    if style == "short":
        return f"{d}/{m}/{y}"
    raise ValueError(style)


def rand_date(y0, y1):
    y = R.randint(y0, y1)
    m = R.randint(1, 12)
    d = R.randint(1, 28)
    return y, m, d


def doc_date():
    return rand_date(2023, 2024)


def letter_date(city="Lyon"):
    y, m, d = doc_date()
    return f"{city}, le {fr_date(y, m, d, 'long')}"


def money():
    v = R.randint(3000, 250000) / 100
    s = f"{v:,.2f}".replace(",", " ").replace(".", ",")
    return s + " €"


# --- persons ---------------------------------------------------------------

USED = set()
NIR_DEPTS = ["69", "42", "38", "75", "13", "59", "2A", "2B", "974", "99", "01", "33", "31", "93"]


class Person:
    def __init__(self, sex=None, age=(18, 85), first=None, last=None):
        while True:
            self.sex = sex or pick("FM")
            self.first = first or pick(FIRST_F if self.sex == "F" else FIRST_M)
            self.last = last or pick(SURNAMES)
            if (self.first, self.last) not in USED or (first and last):
                break
        USED.add((self.first, self.last))
        y = 2024 - R.randint(*age)
        self.birth = (y, R.randint(1, 12), R.randint(1, 28))
        self._nir = None
        self.place = pick(LOCAL) if chance(0.6) else pick(PLACES)

    def surname_upper(self):
        return self.last.upper()

    def nir(self):
        if self._nir is None:
            y, m, _ = self.birth
            dep = pick(NIR_DEPTS)
            if len(dep) == 3:
                commune = f"{R.randint(1, 24):02d}"
            else:
                commune = f"{R.randint(1, 400):03d}"
            body = f"{1 if self.sex == 'M' else 2}{y % 100:02d}{m:02d}{dep}{commune}{R.randint(1, 999):03d}"
            self._nir = body + nir_key(body)
        return self._nir


def nir_key(body13):
    n = int(body13.replace("2A", "19").replace("2B", "18"))
    return f"{97 - n % 97:02d}"


def fmt_nir(n, style=None):
    style = style or pick(["spaced", "spaced", "compact", "keysep"])
    if style == "compact":
        return n
    if len(n) == 15 and n[5:8].isdigit() and n[5:7] == "97":  # DOM: 3-digit dept
        parts = [n[0], n[1:3], n[3:5], n[5:8], n[8:10], n[10:13], n[13:]]
    else:
        parts = [n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:]]
    if style == "keysep":
        return " ".join(parts[:-1]) + " - " + parts[-1]
    return " ".join(parts)


def bad_nir():
    body = f"{R.choice('12')}{R.randint(40, 99):02d}{R.randint(1, 12):02d}69{R.randint(1, 300):03d}{R.randint(1, 999):03d}"
    good = int(nir_key(body))
    bad = (good + R.randint(1, 40)) % 97 or 1
    return body + f"{bad:02d}"


# --- IBAN ------------------------------------------------------------------

BANKS = ["30004", "30002", "30003", "10278", "10907", "20041", "16807", "18206", "11306", "30066", "17515"]


def letters_to_digits(s):
    return "".join(str(int(c, 36)) for c in s)


def make_iban():
    bank = pick(BANKS)
    guichet = f"{R.randint(0, 99999):05d}"
    account = f"{R.randint(0, 10**11 - 1):011d}"
    rib = 97 - ((89 * int(bank) + 15 * int(guichet) + 3 * int(account)) % 97)
    bban = f"{bank}{guichet}{account}{rib:02d}"
    check = 98 - int(letters_to_digits(bban + "FR00")) % 97
    return f"FR{check:02d}{bban}"


def iban_ok(iban):
    s = iban[4:] + iban[:4]
    return int(letters_to_digits(s)) % 97 == 1


def fmt_iban(iban, style=None):
    style = style or pick(["groups", "groups", "groups", "compact"])
    if style == "compact":
        return iban
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def bad_iban():
    while True:
        good = make_iban()
        i = R.randint(6, len(good) - 1)
        d = str((int(good[i]) + R.randint(1, 9)) % 10)
        bad = good[:i] + d + good[i + 1:]
        if not iban_ok(bad):
            return bad


# --- phone -----------------------------------------------------------------

def make_phone(mobile=True):
    first = pick("67") if mobile else pick("12345")
    if first == "7":
        first += str(R.randint(3, 8))
    else:
        first += str(R.randint(0, 9))
    rest = "".join(str(R.randint(0, 9)) for _ in range(7))
    return "0" + first + rest  # 10 digits national


def fmt_phone(nat, style=None):
    style = style or wpick([("sp", 10), ("dot", 3), ("compact", 2), ("intl", 2), ("intl0", 1),
                            ("intlc", 1), ("dash", 1)])
    d = nat
    pairs = [d[i:i + 2] for i in range(0, 10, 2)]
    if style == "sp":
        return " ".join(pairs)
    if style == "dot":
        return ".".join(pairs)
    if style == "dash":
        return "-".join(pairs)
    if style == "compact":
        return d
    if style == "intl":
        return "+33 " + d[1] + " " + " ".join(pairs[1:])
    if style == "intl0":
        return "+33 (0)" + d[1] + " " + " ".join(pairs[1:])
    if style == "intlc":
        return "+33" + d[1:]
    raise ValueError(style)


def e164(nat):
    return "+33" + nat[1:]


# --- addresses -------------------------------------------------------------

class Address:
    def __init__(self, place=None, complements=None, lieu_dit=False):
        self.cp, self.city = place or (pick(LOCAL) if chance(0.55) else pick(PLACES))
        if lieu_dit:
            self.street = "Lieu-dit " + pick(LIEUX_DITS)
        else:
            t = wpick(STREET_TYPES)
            if t == "chemin":
                name = pick(CHEMINS)
            elif t == "route":
                name = pick(ROUTES)
            else:
                name = pick(STREET_NAMES)
            num = str(R.randint(1, 160) if chance(0.8) else R.randint(1, 30))
            r = R.random()
            if r < 0.07:
                num += " bis"
            elif r < 0.10:
                num += "bis"
            elif r < 0.13:
                num += " ter"
            elif r < 0.15:
                num += "B"
            sep = ", " if chance(0.08) else " "
            self.street = f"{num}{sep}{t} {name}"
        if complements is None:
            complements = []
            r = R.random()
            if r < 0.18:
                complements = [f"Appt {R.randint(1, 120)}"]
            elif r < 0.30:
                complements = [f"Résidence {pick(RESIDENCES)}", f"Bât. {pick('ABCDEFG')}"]
            elif r < 0.38:
                complements = [f"Bâtiment {pick('ABCD')} – Escalier {R.randint(1, 4)}", f"Appartement {R.randint(1, 60)}"]
            elif r < 0.44:
                complements = [f"Résidence {pick(RESIDENCES)} – Bât. {pick('ABC')} – Appt {R.randint(1, 80)}"]
            elif r < 0.48:
                complements = [f"{R.randint(1, 9)}e étage, porte {R.randint(1, 40)}"]
        self.complements = complements

    def cpcity(self, caps=None):
        caps = chance(0.45) if caps is None else caps
        return f"{self.cp} {self.city.upper() if caps else self.city}"

    def core(self, caps):
        return f"{self.street}, {self.cpcity(caps)}"


def addr_alts(parts):
    """parts: ordered address parts [complements..., street, cpcity]: value + acceptable alternates."""
    value = ", ".join(parts)
    alts = []
    # drop leading complements one by one, and drop all complements
    for i in range(1, len(parts) - 1):
        alts.append(", ".join(parts[i:]))
    return value, alts


# --------------------------------------------------------------------------
# Document builder
# --------------------------------------------------------------------------

class Doc:
    def __init__(self):
        self.labels = []
        self.full = set()  # persons named in full in this file

    def lab(self, kind, value, alt=None, optional=False):
        d = {"kind": kind, "value": value}
        if alt:
            d["alt"] = [a for a in dict.fromkeys(alt) if a != value]
            if not d["alt"]:
                del d["alt"]
        if optional:
            d["optional"] = True
        self.labels.append(d)

    # ---- names
    def name(self, p, style=None, civ=None, optional=False):
        """Render a person's full name; label it. style: full|caps|inv|allcaps|invlow"""
        style = style or wpick([("full", 5), ("caps", 4), ("inv", 3), ("allcaps", 1)])
        first, last = p.first, p.last
        if style == "full":
            txt, val = f"{first} {last}", f"{first} {last}"
        elif style == "caps":
            txt, val = f"{first} {last.upper()}", f"{first} {last.upper()}"
        elif style == "inv":
            txt, val = f"{last.upper()} {first}", f"{first} {last.upper()}"
        elif style == "invlow":
            txt, val = f"{last} {first}", f"{first} {last}"
        elif style == "allcaps":
            txt, val = f"{first.upper()} {last.upper()}", f"{first.upper()} {last.upper()}"
        else:
            raise ValueError(style)
        self.lab("name", val, optional=optional)
        self.full.add(p)
        if civ:
            txt = self.civility(p, civ) + " " + txt
        return txt

    def civility(self, p, kind="short"):
        if kind == "long":
            return "Madame" if p.sex == "F" else "Monsieur"
        if kind == "short":
            return "Mme" if p.sex == "F" else pick(["M.", "M.", "M.", "Mr"])
        return kind

    def surname(self, p, civ="short", caps=None):
        """Civility + surname only ("Mme Dupont"). Required if the person is not named in full here."""
        caps = chance(0.3) if caps is None else caps
        last = p.last.upper() if caps else p.last
        c = self.civility(p, civ)
        optional = p in self.full
        self.lab("name", last, alt=[f"{c} {last}"], optional=optional)
        return f"{c} {last}"

    # ---- addresses
    def addr_block(self, a, caps=None, street_caps=False):
        caps = chance(0.5) if caps is None else caps
        street = a.street.upper() if street_caps else a.street
        parts = list(a.complements) + [street, a.cpcity(caps)]
        v, alts = addr_alts(parts)
        self.lab("address", v, alt=alts)
        return "\n".join(parts)

    def addr_line(self, a, caps=None, with_compl=None):
        caps = chance(0.3) if caps is None else caps
        with_compl = (chance(0.5) if with_compl is None else with_compl) and a.complements
        sep = wpick([(", ", 8), (" ", 2), (" – ", 1)])
        core_parts = [a.street, a.cpcity(caps)]
        if with_compl:
            comp = ", ".join(a.complements)
            if chance(0.5):
                txt = f"{comp}, {a.street}{sep}{a.cpcity(caps)}"
                parts = list(a.complements) + core_parts
            else:
                txt = f"{a.street}, {comp}{sep}{a.cpcity(caps)}"
                parts = [a.street] + list(a.complements) + [a.cpcity(caps)]
            v = ", ".join(parts)
            self.lab("address", v, alt=[", ".join(core_parts)] + addr_alts(list(a.complements) + core_parts)[1]
                     + [", ".join(list(a.complements) + core_parts)])
        else:
            txt = f"{a.street}{sep}{a.cpcity(caps)}"
            self.lab("address", ", ".join(core_parts))
        return txt

    # ---- others
    def phone(self, nat=None, style=None, mobile=True):
        nat = nat or make_phone(mobile)
        self.lab("phone", e164(nat))
        return fmt_phone(nat, style)

    def email(self, p, domain=None):
        f = strip_accents(p.first).lower().replace(" ", "").replace("'", "")
        l = strip_accents(p.last).lower().replace(" ", "").replace("'", "")
        style = R.randint(0, 5)
        if style == 0:
            local = f"{f}.{l}"
        elif style == 1:
            local = f"{f[0]}{l}"
        elif style == 2:
            local = f"{f}.{l}{p.birth[0] % 100:02d}"
        elif style == 3:
            local = f"{l}.{f}"
        elif style == 4:
            local = f"{f}_{l}"
        else:
            local = f"{f[0]}.{l}"
        addr = f"{local}@{domain or pick(MAIL_DOMAINS)}"
        if chance(0.1):
            shown = addr[0].upper() + addr[1:]
        else:
            shown = addr
        self.lab("email", addr.lower())
        return shown

    def staff_email(self, p):
        f = strip_accents(p.first).lower().replace(" ", "")
        l = strip_accents(p.last).lower().replace(" ", "").replace("'", "")
        addr = f"{f[0]}.{l}@{ORG_DOMAIN}"
        self.lab("email", addr)
        return addr

    def iban(self, style=None):
        i = make_iban()
        self.lab("iban", i)
        return fmt_iban(i, style)

    def nir(self, p, style=None):
        self.lab("nir", p.nir())
        return fmt_nir(p.nir(), style)

    def birth(self, p, style=None):
        y, m, d = p.birth
        self.lab("birthdate", f"{y:04d}-{m:02d}-{d:02d}")
        return fr_date(y, m, d, style or wpick([("slash", 6), ("long", 3), ("dot", 1), ("dash", 1), ("short", 1)]))


# --------------------------------------------------------------------------
# Staff of the organisation (their names ARE personal data)
# --------------------------------------------------------------------------

STAFF = [
    (Person("M", (35, 60)), "Le directeur de la gestion locative"),
    (Person("F", (30, 55)), "La responsable de l'agence de Villeurbanne"),
    (Person("F", (25, 45)), "La chargée de clientèle"),
    (Person("M", (25, 50)), "Le gestionnaire contentieux"),
    (Person("F", (30, 60)), "La conseillère en économie sociale et familiale"),
    (Person("M", (40, 62)), "Le directeur général"),
    (Person("F", (25, 40)), "La chargée de gestion locative"),
    (Person("M", (25, 55)), "Le responsable technique de secteur"),
    (Person("F", (35, 60)), "La directrice de la clientèle"),
    (Person("M", (30, 50)), "Le chargé de recouvrement"),
]
GARDIENS = [Person("M", (30, 60)) for _ in range(4)] + [Person("F", (30, 60)) for _ in range(2)]


def letterhead():
    v = R.randint(0, 2)
    if v == 0:
        return (f"HABITAT EXEMPLE\nOffice public de l'habitat\n1 place de l'Hôtel de Ville\n69001 Lyon\n"
                f"Tél. {ORG_PHONE} – {ORG_GENERIC[0]}\nwww.{ORG_DOMAIN}\n")
    if v == 1:
        return (f"{ORG} – 1 place de l'Hôtel de Ville – 69001 LYON\n"
                f"Standard : {ORG_PHONE} – www.{ORG_DOMAIN}\n")
    return (f"{ORG}\nAgence de Villeurbanne\n24 avenue Henri Barbusse\n69100 Villeurbanne\n"
            f"Accueil du lundi au vendredi de 9h à 12h – {ORG_PHONE}\n")


def footer():
    return (f"\n{ORG} – Office public de l'habitat – SIRET 279 690 012 00025 – "
            f"1 place de l'Hôtel de Ville, 69001 Lyon\n")


def signature(doc, staff=None, style=None):
    s, title = staff or pick(STAFF)
    nm = doc.name(s, style or pick(["full", "caps", "caps", "allcaps"]))
    if chance(0.3):
        return f"Pour le Directeur général et par délégation,\n{title},\n\n{nm}\n"
    return f"{title},\n\n{nm}\n"


# --------------------------------------------------------------------------
# Document generators
# --------------------------------------------------------------------------

def recipient(doc, p, a, style=None):
    civ = pick(["long", "long", "short"])
    nm = doc.name(p, style or pick(["caps", "caps", "inv", "full", "allcaps"]), civ=civ)
    return nm + "\n" + doc.addr_block(a)


def salutation(doc, p):
    r = R.random()
    if r < 0.45:
        return "Madame, Monsieur,"
    if r < 0.85:
        return doc.surname(p, "long", caps=False) + ","
    return "Madame," if p.sex == "F" else "Monsieur,"


def gen_letter(i):
    doc = Doc()
    p = Person()
    a = Address()
    kind = pick(["impaye", "voisinage", "travaux", "charges", "attribution", "attestation", "conge",
                 "caf", "enquete", "sinistre"])
    out = [letterhead(), ""]
    ref = f"Réf. : {pick(['LOC', 'REC', 'TEC', 'ATT'])}/{R.randint(2023, 2024)}/{R.randint(100, 9999):04d}"
    cl = f"N° de contrat : {R.randint(10, 99)}{R.randint(100000, 999999)}"
    staff = pick(STAFF)
    if kind == "caf":
        # the recipient is an institution (not personal); the tenant is in the body
        out.append("Caisse d'Allocations Familiales du Rhône\nService Aides au logement\n"
                   "67 boulevard Vivier-Merle\n69409 LYON CEDEX 03\n")
    else:
        out.append(recipient(doc, p, a) + "\n")
    out.append(letter_date(pick(["Lyon", "Lyon", "Villeurbanne"])) + "\n")
    out.append(ref)
    out.append(cl)
    if chance(0.5):
        out.append(f"Dossier suivi par : {doc.name(staff[0], 'full')} – {doc.staff_email(staff[0])}")
    else:
        out.append(f"Affaire suivie par le service gestion locative – {pick(ORG_GENERIC)}")
    subj = {
        "impaye": "Relance – impayé de loyer", "voisinage": "Troubles de voisinage",
        "travaux": "Intervention dans votre logement", "charges": "Régularisation annuelle des charges locatives",
        "attribution": "Proposition de logement", "attestation": "Attestation de domicile",
        "conge": "Accusé de réception de votre congé", "caf": "Signalement d'un changement de situation",
        "enquete": "Enquête sur l'occupation du parc social (OPS)", "sinistre": "Déclaration de sinistre – dégât des eaux",
    }[kind]
    out.append(f"Objet : {subj}")
    if chance(0.4):
        out.append("Lettre recommandée avec accusé de réception")
    out.append("")
    if kind != "caf":
        out.append(salutation(doc, p) + "\n")
    else:
        out.append("Madame, Monsieur,\n")

    if kind == "impaye":
        out.append(f"Sauf erreur de notre part, votre compte locataire présente à ce jour un solde débiteur de "
                   f"{money()}, correspondant aux loyers et charges des mois de {pick(MONTHS)} et {pick(MONTHS)} "
                   f"{R.randint(2023, 2024)}.")
        out.append("Nous vous rappelons que le paiement du loyer est une obligation essentielle du locataire "
                   "(article 7 de la loi du 6 juillet 1989).")
        c = STAFF[4][0]
        out.append(f"Si vous rencontrez des difficultés, {doc.name(c, 'full', civ='short')}, conseillère sociale, "
                   f"peut vous recevoir à l'agence sur rendez-vous au {ORG_PHONE}. Un plan d'apurement peut être "
                   f"envisagé, ainsi qu'une saisine du Fonds de Solidarité Logement.")
        out.append("Faute de règlement sous quinze jours, nous serons contraints de transmettre votre dossier "
                   "à notre service contentieux et d'informer la CCAPEX.")
        out.append(f"Règlement possible par prélèvement (joindre un RIB), par carte bancaire sur www.{ORG_DOMAIN} "
                   f"ou par virement sur le compte de {ORG} : FR76 1007 1690 0000 0020 0134 581.")
    elif kind == "voisinage":
        n = Person()
        na = pick(["du dessus", "du dessous", "de palier"])
        out.append(f"Plusieurs locataires de la résidence, dont votre voisin{'e' if n.sex == 'F' else ''} {na} "
                   f"{doc.name(n, pick(['full', 'caps']), civ='short')}, nous ont signalé des nuisances sonores "
                   f"répétées en soirée ainsi que l'encombrement des parties communes.")
        out.append(f"{pick(['Nous vous rappelons', 'Pour mémoire,', 'Conformément au règlement intérieur,'])} "
                   f"le locataire est tenu d'user paisiblement des locaux loués. Le gardien, "
                   f"{doc.name(pick(GARDIENS), 'full', civ='short')}, a constaté la situation le "
                   f"{fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')}.")
        out.append("Nous vous invitons à faire cesser ces troubles sans délai. À défaut, nous pourrions engager "
                   "une procédure de résiliation du bail.")
        if chance(0.5):
            out.append("Une copie de ce courrier est adressée à Monsieur le Maire, au titre de la médiation.")
    elif kind == "travaux":
        comp = pick(COMPANIES[:2] + COMPANIES[9:])
        tech = STAFF[7][0]
        out.append(f"Nous vous informons que l'entreprise {comp[0]} interviendra dans votre logement le "
                   f"{fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')} entre 8h et 12h pour le "
                   f"remplacement de votre {pick(PRODUCTS)}.")
        out.append(f"Notre technicien, {doc.name(tech, 'caps', civ='short')}, sera présent. Merci de laisser "
                   f"l'accès libre. En cas d'empêchement, contactez l'entreprise au 04 78 {R.randint(10, 99)} "
                   f"{R.randint(10, 99)} {R.randint(10, 99)} ou le gardien de la Résidence {pick(RESIDENCES)}.")
        out.append("Ces travaux s'inscrivent dans le programme de réhabilitation du groupe Jean Moulin, "
                   "voté en conseil d'administration.")
    elif kind == "charges":
        out.append(f"Vous trouverez ci-joint le décompte de régularisation des charges de l'exercice "
                   f"{R.randint(2022, 2023)}. Le montant des provisions versées s'élève à {money()} pour une "
                   f"dépense réelle de {money()}.")
        out.append("Le solde sera imputé sur votre avis d'échéance du mois prochain. Les justificatifs sont "
                   "consultables à l'agence de Villeurbanne, 24 avenue Henri Barbusse, 69100 Villeurbanne, "
                   "pendant six mois.")
        out.append("Chauffage collectif, eau froide, entretien des ascenseurs Otis et des espaces verts : "
                   "le détail figure en annexe.")
    elif kind == "attribution":
        na = Address(place=pick(LOCAL))
        out.append(f"La Commission d'attribution des logements et d'examen de l'occupation des logements "
                   f"(CALEOL), réunie le {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')}, a décidé de "
                   f"vous attribuer un logement de type T{R.randint(2, 5)} situé :")
        out.append("\n" + doc.addr_block(na) + "\n")
        out.append(f"Loyer mensuel : {money()} hors charges. Vous disposez d'un délai de dix jours pour nous "
                   f"faire connaître votre réponse.")
        if chance(0.6):
            co = Person(sex="F" if p.sex == "M" else "M", last=p.last if chance(0.5) else None)
            out.append(f"Le bail sera établi au nom de {doc.name(p, 'full', civ='long')} et de "
                       f"{doc.name(co, 'full', civ='long')}, co-titulaires.")
    elif kind == "attestation":
        s = staff[0]
        out.append(f"Je soussigné{'e' if s.sex == 'F' else ''}, {doc.name(s, 'full')}, agissant pour le compte "
                   f"d'{ORG}, certifie que {doc.name(p, pick(['full', 'caps']), civ='long')}, "
                   f"né{'e' if p.sex == 'F' else ''} le {doc.birth(p)} à {pick(PLACES)[1]}, est locataire "
                   f"depuis le {fr_date(R.randint(2005, 2022), R.randint(1, 12), R.randint(1, 28), 'slash')} "
                   f"du logement situé {doc.addr_line(a)}.")
        out.append("Le locataire est à jour de ses loyers à la date de la présente attestation.")
        out.append("Attestation délivrée pour servir et valoir ce que de droit.")
    elif kind == "conge":
        na = Address()
        out.append(f"Nous accusons réception de votre lettre de congé reçue le "
                   f"{fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')}. Le préavis d'un mois "
                   f"s'applique (zone tendue).")
        out.append(f"L'état des lieux de sortie aura lieu le {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')} "
                   f"à 10h en présence de {doc.name(pick(GARDIENS), 'caps', civ='short')}, gardien.")
        out.append(f"Comme indiqué dans votre courrier, votre dépôt de garantie sera restitué à votre nouvelle "
                   f"adresse : {doc.addr_line(na)}, par virement sur le compte {doc.iban()}.")
    elif kind == "caf":
        out.append(f"Nous vous informons que {doc.name(p, pick(['caps', 'inv']), civ='long')}, allocataire "
                   f"n° {R.randint(1000000, 9999999)}, né{'e' if p.sex == 'F' else ''} le {doc.birth(p)}, "
                   f"locataire de notre logement situé {doc.addr_line(a)}, a quitté les lieux le "
                   f"{fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')}.")
        out.append("Nous vous remercions de bien vouloir suspendre le versement de l'aide personnalisée au "
                   "logement en tiers payant à compter de cette date.")
    elif kind == "enquete":
        out.append("Comme chaque année impaire, la loi nous impose de réaliser une enquête sur l'occupation "
                   "du parc social. Merci de compléter le questionnaire joint et de nous le retourner avant le "
                   f"{fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')}, accompagné de votre avis "
                   "d'imposition.")
        out.append("Sans réponse de votre part, une pénalité de 7,62 € par mois de retard pourra être appliquée.")
    elif kind == "sinistre":
        n = Person()
        out.append(f"Suite à votre déclaration, nous avons bien noté le dégât des eaux survenu dans votre salle "
                   f"de bains, en provenance du logement de {doc.name(n, pick(['full', 'caps']), civ='short')}, "
                   f"situé à l'étage supérieur.")
        out.append("Nous vous invitons à remplir un constat amiable avec votre voisin et à le transmettre à votre "
                   "assureur. La société Plomberie Fontaine et Fils interviendra pour la recherche de fuite.")
    out.append("")
    out.append(pick(["Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
                     "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
                     "Nous vous prions de croire, Madame, Monsieur, à l'assurance de notre considération."]))
    out.append("")
    out.append(signature(doc, staff))
    if chance(0.25):
        out.append(f"Copie : {doc.name(pick(GARDIENS), 'full', civ='short')}, gardien d'immeuble")
    out.append(footer())
    return f"courriers/courrier_{i:03d}_{kind}.txt", "\n".join(out), doc.labels


def field(label, value, width=28):
    return f"{label} :".ljust(width) + value


def gen_form(i):
    doc = Doc()
    p = Person(age=(20, 70))
    a = Address()
    out = ["DEMANDE DE LOGEMENT LOCATIF SOCIAL",
           f"Formulaire cerfa n° 14069*04 – Numéro unique : 069{R.randint(10, 24)}{R.randint(10, 12)}"
           f"{R.randint(10000, 99999)}{R.randint(1, 9)}",
           f"Date de dépôt : {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')}", "",
           "1 – VOUS (DEMANDEUR)", ""]
    out.append(field("Civilité", "Madame" if p.sex == "F" else "Monsieur"))
    lastcase = p.last.upper() if chance(0.8) else p.last
    layout = R.randint(0, 2)
    if layout == 0:
        out.append(f"Nom : {lastcase}        Prénom : {p.first}")
    elif layout == 1:
        out.append(field("Nom", lastcase))
        out.append(field("Prénom(s)", p.first))
    else:
        out.append(f"Nom : {lastcase}")
        out.append(f"Prénom : {p.first}")
    doc.lab("name", f"{p.first} {lastcase}")
    doc.full.add(p)
    if p.sex == "F" and chance(0.5):
        maiden = pick(SURNAMES)
        out.append(field("Nom de naissance", maiden.upper()))
        doc.lab("name", maiden.upper(), alt=[f"{p.first} {maiden.upper()}"], optional=True)
    bp = pick(PLACES)
    out.append(field("Date de naissance", doc.birth(p, pick(["slash", "slash", "dot"]))) +
               f"    Lieu de naissance : {bp[1]} ({bp[0][:2]})")
    out.append(field("Nationalité", pick(["Française", "française", "Union européenne", "Hors UE"])))
    out.append(field("N° de sécurité sociale", doc.nir(p)))
    if chance(0.5):
        out.append(field("Adresse actuelle", doc.addr_line(a, with_compl=True)))
    else:
        out.append("Adresse actuelle :")
        out.append("    " + doc.addr_block(a).replace("\n", "\n    "))
    out.append(field("Téléphone portable", doc.phone()))
    if chance(0.4):
        out.append(field("Téléphone fixe", doc.phone(mobile=False)))
    out.append(field("Courriel", doc.email(p)))
    sit = pick(["Marié(e)", "Pacsé(e)", "Célibataire", "Divorcé(e)", "Concubinage", "Veuf(ve)"])
    out.append(field("Situation familiale", sit))
    out.append("")
    if sit in ("Marié(e)", "Pacsé(e)", "Concubinage"):
        c = Person(sex="F" if p.sex == "M" else "M", last=p.last if sit == "Marié(e)" and chance(0.7) else None,
                   age=(20, 70))
        out.append("2 – VOTRE CONJOINT(E) OU CO-TITULAIRE")
        cl = c.last.upper() if chance(0.8) else c.last
        if chance(0.5):
            out.append(f"Nom : {cl}        Prénom : {c.first}")
        else:
            out.append(field("Nom", cl))
            out.append(field("Prénom", c.first))
        doc.lab("name", f"{c.first} {cl}")
        doc.full.add(c)
        out.append(field("Date de naissance", doc.birth(c, "slash")))
        out.append(field("Situation professionnelle", pick(["CDI", "CDD", "Intérim", "Sans emploi", "Retraité(e)"])))
        out.append("")
    nkids = R.choice([0, 0, 1, 2, 3])
    if nkids:
        out.append("3 – PERSONNES À CHARGE VIVANT AVEC VOUS")
        for _ in range(nkids):
            k = Person(last=p.last, age=(1, 17))
            out.append(f"- {doc.name(k, pick(['caps', 'inv']))}, né{'e' if k.sex == 'F' else ''} le "
                       f"{doc.birth(k, 'slash')}, {'fille' if k.sex == 'F' else 'fils'}")
        out.append("")
    out.append("4 – SITUATION PROFESSIONNELLE")
    comp = pick(COMPANIES)
    if chance(0.7):
        out.append(field("Employeur", f"{comp[0]}, {comp[1]}, {comp[2]}"))
        out.append(field("Profession", pick(["Agent d'entretien", "Aide-soignante", "Chauffeur livreur",
                                             "Caissière", "Auxiliaire de vie", "Cariste", "Secrétaire"])))
        out.append(field("Date d'embauche", fr_date(R.randint(2010, 2023), R.randint(1, 12), R.randint(1, 28), 'slash')))
    else:
        out.append(field("Situation", pick(["Demandeur d'emploi (France Travail)", "Bénéficiaire du RSA",
                                            "Retraité – CARSAT Rhône-Alpes", "Étudiant"])))
    out.append(field("Revenu fiscal de référence", f"{R.randint(8000, 40000)} €"))
    out.append(field("N° allocataire CAF", str(R.randint(1000000, 9999999))))
    out.append("")
    out.append("5 – VOTRE LOGEMENT ACTUEL")
    out.append(field("Vous êtes", pick(["Locataire du parc privé", "Hébergé(e) chez un tiers",
                                        "Locataire HLM", "Sans logement"])))
    if chance(0.5):
        out.append(field("Bailleur actuel", pick(["SCI Les Tilleuls", "Martin Immobilier", "Foncia Lyon Sud",
                                                  "Grand Lyon Habitat"])))
    out.append(field("Loyer actuel", money()))
    out.append(field("Motif de la demande", pick(["Logement trop petit", "Loyer trop cher", "Divorce, séparation",
                                                   "Logement non décent", "Rapprochement du lieu de travail",
                                                   "Handicap, perte d'autonomie"])))
    out.append("")
    out.append("6 – LOGEMENT RECHERCHÉ")
    out.append(field("Communes souhaitées", ", ".join(R.sample(["Lyon 8e", "Villeurbanne", "Vénissieux", "Bron",
                                                               "Saint-Priest", "Vaulx-en-Velin", "Lyon 3e"], 3))))
    out.append(field("Type", f"T{R.randint(1, 5)}"))
    out.append("")
    out.append(f"Fait à {pick(LOCAL)[1]}, le {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')}")
    out.append("Signature du demandeur : (signé)")
    return f"demandes/demande_logement_{i:03d}.txt", "\n".join(out), doc.labels


JOBS = ["Agent d'entretien", "Gardien", "Employé polyvalent", "Agent administratif", "Hôte(sse) d'accueil"]


def gen_cv(i):
    doc = Doc()
    p = Person(age=(20, 60))
    a = Address()
    out = []
    out.append(doc.name(p, pick(["caps", "allcaps", "full"])))
    if chance(0.6):
        out.append(doc.addr_block(a))
    else:
        out.append(doc.addr_line(a))
    out.append(f"{doc.phone()} – {doc.email(p)}")
    if chance(0.6):
        out.append(f"Né{'e' if p.sex == 'F' else ''} le {doc.birth(p)} – Permis B – Véhiculé{'e' if p.sex == 'F' else ''}")
    else:
        out.append(f"{2024 - p.birth[0]} ans – Permis B")
    out.append("")
    out.append(pick(["GARDIEN D'IMMEUBLE", "AGENT D'ENTRETIEN ET DE MAINTENANCE", "CHARGÉ(E) DE CLIENTÈLE",
                     "ASSISTANT(E) DE GESTION LOCATIVE", "CONSEILLÈRE EN ÉCONOMIE SOCIALE ET FAMILIALE"]))
    out.append("")
    out.append("EXPÉRIENCE PROFESSIONNELLE")
    y = 2024
    for c in R.sample(COMPANIES, R.randint(2, 4)):
        y0 = y - R.randint(1, 5)
        out.append(f"{y0} – {y}   {pick(JOBS)}, "
                   f"{c[0]}, {c[2].split(' ', 1)[1]}")
        out.append(f"    {pick(['Entretien des parties communes', 'Accueil et orientation du public', 'Gestion des réclamations', 'Petits travaux de maintenance', 'Sortie des conteneurs, suivi des prestataires'])}")
        y = y0
    out.append("")
    out.append("FORMATION")
    out.append(f"{R.randint(1995, 2015)}   {pick(['CAP Agent de propreté', 'BTS Professions immobilières', 'Bac pro Gestion-Administration', 'DUT Carrières sociales'])} – "
               f"{pick(['lycée Jean Moulin', 'lycée professionnel Jules Ferry', 'IUT Lyon 1', 'lycée Marie Curie'])}, {pick(PLACES)[1]}")
    out.append("")
    out.append("CENTRES D'INTÉRÊT")
    out.append(pick(["Football (club de Saint-Priest), bénévolat aux Restos du Cœur",
                     "Lecture (Victor Hugo, Émile Zola), randonnée dans le Vercors",
                     "Cuisine, Windows et Pack Office, photographie"]))
    if chance(0.6):
        out.append("")
        out.append("RÉFÉRENCES")
        rf = Person(age=(35, 65))
        c = pick(COMPANIES)
        out.append(f"{doc.name(rf, 'full', civ='short')}, responsable de secteur chez {c[0]} – "
                   f"{doc.phone(mobile=chance(0.5))}")
    # cover letter
    if chance(0.5):
        out.append("\n" + "-" * 60 + "\n")
        out.append(f"{ORG}\nDirection des ressources humaines\n1 place de l'Hôtel de Ville\n69001 Lyon\n")
        out.append(letter_date(a.city))
        out.append("Objet : candidature au poste de gardien d'immeuble (réf. GI-2024-07)\n")
        out.append(pick(["Madame la Directrice,", "Madame, Monsieur,", "Monsieur le Directeur,"]) + "\n")
        out.append("Actuellement en poste chez " + pick(COMPANIES)[0] + ", je souhaite rejoindre votre "
                   "organisme. Rigoureux et disponible, j'ai l'habitude du contact avec les locataires.")
        out.append("Dans l'attente de votre réponse, je vous prie d'agréer mes salutations respectueuses.\n")
        out.append(doc.name(p, "full"))
    return f"rh/cv_{i:03d}.txt", "\n".join(out), doc.labels


PAY_JOBS = ["Agent de propreté", "Chef d'équipe", "Cariste", "Aide-soignant(e)"]


def gen_payslip(i):
    doc = Doc()
    p = Person(age=(20, 62))
    a = Address()
    c = pick(COMPANIES)
    mo = R.randint(1, 12)
    out = ["BULLETIN DE PAIE", f"Période du 01/{mo:02d}/2024 au 28/{mo:02d}/2024",
           f"Paiement le {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')} par virement", ""]
    out.append("EMPLOYEUR")
    out.append(c[0])
    out.append(c[1])
    out.append(c[2])
    out.append(f"SIRET : {R.randint(300, 999)} {R.randint(100, 999)} {R.randint(100, 999)} {R.randint(10000, 99999)}"
               f"    Code NAF : {R.randint(1000, 9999)}{pick('ABCZ')}")
    out.append(f"URSSAF Rhône-Alpes – n° {R.randint(100000000, 999999999)}")
    out.append("Convention collective : Entreprises de propreté (IDCC 3043)")
    out.append("")
    out.append("SALARIÉ")
    out.append(doc.name(p, pick(["caps", "inv", "allcaps"]), civ=pick(["short", "long", None])))
    if chance(0.7):
        out.append(doc.addr_block(a, caps=True))
    else:
        out.append(doc.addr_line(a))
    out.append(f"N° de sécurité sociale : {doc.nir(p)}")
    out.append(f"Matricule : {R.randint(100, 9999)}    Emploi : {pick(PAY_JOBS)}")
    out.append(f"Date d'entrée : {fr_date(R.randint(2005, 2023), R.randint(1, 12), R.randint(1, 28), 'slash')}"
               f"    Coefficient : {R.randint(150, 350)}")
    out.append("")
    out.append("Rubrique                       Base        Taux      Montant")
    base = R.randint(1700, 3200)
    out.append(f"Salaire de base               {base},00              {base},00")
    out.append(f"Heures supplémentaires 25 %    {R.randint(2, 12)},00    {R.randint(15, 25)},{R.randint(10, 99)}   {R.randint(50, 300)},{R.randint(10, 99)}")
    out.append(f"Sécurité sociale plafonnée     {base},00     6,90 %    {base * 0.069:.2f}".replace(".", ","))
    out.append(f"CSG déductible                 {base * 0.9825:.2f}    6,80 %".replace(".", ","))
    out.append(f"Net à payer avant impôt                              {base * 0.78:.2f}".replace(".", ","))
    out.append(f"Impôt sur le revenu prélevé à la source (taux {R.randint(0, 9)},{R.randint(0, 9)} %)")
    out.append(f"NET PAYÉ                                             {base * 0.75:.2f} €".replace(".", ","))
    out.append("")
    out.append(f"Virement sur : {doc.iban()}")
    out.append("Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin de paie "
               "sans limitation de durée.")
    return f"rh/bulletin_paie_{i:03d}.txt", "\n".join(out), doc.labels


def gen_email(i):
    doc = Doc()
    p = Person()
    a = Address(place=pick(LOCAL))
    staff = pick(STAFF)[0]
    english = chance(0.4)
    ph = pick(["fuite", "chauffage", "bruit", "ascenseur", "mutation", "quittance"])
    sender_style = pick(["full", "full", "caps", "inv"])
    nm = doc.name(p, sender_style)
    em = doc.email(p)
    date = f"{pick(['lun.', 'mar.', 'mer.', 'jeu.', 'ven.'])} {R.randint(1, 28)} {pick(MONTHS)} 2024 {R.randint(7, 22)}:{R.randint(10, 59)}"
    if english:
        out = [f'From: "{nm}" <{em}>', f"To: Gestion locative <{ORG_GENERIC[1]}>",
               f"Date: {pick(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])}, {R.randint(1, 28)} {pick(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'])} 2024 {R.randint(7, 22):02d}:{R.randint(10, 59)}:{R.randint(10, 59)} +0100"]
    else:
        out = [f"De : {nm} <{em}>", f"Envoyé : {date}", f"À : {ORG_GENERIC[1]}"]
    if chance(0.4):
        cc = f"{doc.name(staff, 'full')} <{doc.staff_email(staff)}>"
        out.append(("Cc: " if english else "Cc : ") + cc)
    subject = {"fuite": "Fuite d'eau salle de bain", "chauffage": "Plus de chauffage depuis lundi",
               "bruit": "Nuisances sonores", "ascenseur": "Ascenseur en panne", "mutation": "Demande de mutation",
               "quittance": "Demande de quittance de loyer"}[ph]
    out.append(("Subject: " if english else "Objet : ") + subject + f" – Bât. {pick('ABCD')} appt {R.randint(1, 80)}")
    out.append("")
    out.append(pick(["Bonjour,", "Bonjour Madame, Monsieur,", "Madame, Monsieur,", "Bonjour à vous,"]))
    out.append("")
    if ph == "fuite":
        n = Person()
        out.append(f"Je vous écris au sujet de mon logement au {doc.addr_line(a)}. Depuis samedi il y a une fuite "
                   f"au plafond de la salle de bain qui vient de chez {doc.name(n, 'full', civ='short')} au-dessus. "
                   f"J'ai déjà prévenu le gardien mais rien n'a bougé.")
    elif ph == "chauffage":
        out.append(f"Nous n'avons plus de chauffage depuis lundi au {doc.addr_line(a)}. Il fait 14 degrés dans "
                   f"l'appartement et j'ai un bébé de 6 mois. La chaudière Saunier Duval affiche une erreur F28.")
    elif ph == "bruit":
        n = Person()
        out.append(f"Encore une fois je me permets de vous signaler le bruit causé par "
                   f"{doc.surname(n, 'short', caps=chance(0.5))} du 4e étage, tous les soirs jusqu'à 2h du matin. "
                   f"Madame la Présidente de l'amicale est au courant.")
    elif ph == "ascenseur":
        out.append("L'ascenseur est encore en panne depuis trois jours. Ma mère, "
                   f"{doc.name(Person(sex='F', age=(70, 95)), 'full', civ='short')}, "
                   f"qui a 84 ans, ne peut plus sortir de chez elle.")
    elif ph == "mutation":
        out.append(f"Je souhaite demander une mutation vers un T4 car nous sommes maintenant cinq dans un T2 "
                   f"au {doc.addr_line(a, with_compl=True)}. Mon numéro de demande unique est "
                   f"069{R.randint(1000000000, 9999999999)}.")
    else:
        out.append(f"Pouvez-vous m'envoyer une quittance de loyer pour le mois de {pick(MONTHS)} ? "
                   f"C'est pour le dossier de la CAF. Je suis locataire au {doc.addr_line(a)}.")
    out.append("")
    out.append(pick(["Cordialement,", "Bien cordialement,", "Merci d'avance,", "Cdlt", "Bonne journée,"]))
    sig = doc.name(p, pick(["full", "full", "caps"]))
    out.append(sig)
    if chance(0.7):
        out.append(doc.phone(style=pick(["sp", "dot", "compact"])))
    if chance(0.5):
        # quoted reply from staff
        out.append("")
        s = pick(STAFF)[0]
        out.append(f"Le {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')} à {R.randint(8, 18)}:{R.randint(10, 59)}, "
                   f"{doc.name(s, 'full')} <{doc.staff_email(s)}> a écrit :")
        out.append("> Bonjour,")
        out.append("> Nous avons bien reçu votre demande et la transmettons au service technique.")
        out.append(f"> {ORG} – {ORG_PHONE}")
    return f"mails/mail_{i:03d}.txt", "\n".join(out), doc.labels


def gen_minutes(i):
    doc = Doc()
    out = []
    typ = pick(["ccl", "cal", "amicale"])
    day = fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')
    if typ == "cal":
        out.append(f"PROCÈS-VERBAL DE LA COMMISSION D'ATTRIBUTION DES LOGEMENTS – séance du {day}")
        out.append(f"Lieu : siège d'{ORG}, 1 place de l'Hôtel de Ville, 69001 Lyon – salle Édouard Herriot\n")
        members = R.sample(STAFF, 3)
        out.append("Membres présents :")
        for s, t in members:
            out.append(f"- {doc.name(s, pick(['full', 'caps']), civ='short')}, {t[3:] if t.startswith('La ') else t[3:]}")
        e = Person(age=(40, 70))
        out.append(f"- {doc.name(e, 'full', civ='short')}, représentant{'e' if e.sex == 'F' else ''} de la Ville de Lyon")
        out.append(f"- {doc.surname(Person(), 'short')}, administrateur représentant les locataires (CNL)")
        out.append("Excusé : Monsieur le Maire de Villeurbanne\n")
        out.append("Dossiers examinés :\n")
        for k in range(R.randint(3, 6)):
            p = Person()
            a = Address(place=pick(LOCAL))
            la = Address(place=pick(LOCAL), complements=[])
            hh = pick(["personne seule", "couple, 2 enfants", "famille monoparentale, 1 enfant",
                       "couple sans enfant", "famille monoparentale, 3 enfants"])
            style = R.randint(0, 2)
            if style == 0:
                who = doc.name(p, "inv", civ="short")
            elif style == 1:
                who = doc.name(p, "caps", civ="long")
            else:
                who = doc.name(p, "full", civ="short")
            out.append(f"Dossier n° 2024-{R.randint(100, 999)} – {who} ({hh}), actuellement domicilié"
                       f"{'e' if p.sex == 'F' else ''} {doc.addr_line(a)}.")
            # the unit offered: a property address, linked to the applicant only if accepted -> optional
            la_txt = doc.addr_line(la, caps=False)
            doc.labels[-1]["optional"] = True
            out.append(f"    Logement proposé : T{R.randint(1, 5)}, {la_txt}, loyer {money()}.")
            out.append(f"    Décision : {pick(['attribution en rang 1', 'attribution en rang 2', 'non-attribution (ressources supérieures aux plafonds)', 'ajourné – pièces manquantes'])}.")
            out.append("")
    elif typ == "ccl":
        out.append(f"COMPTE RENDU – Conseil de concertation locative du {day}")
        out.append("Salle Jean Moulin, Maison des associations, Villeurbanne\n")
        people = []
        out.append("Présents :")
        for s, t in R.sample(STAFF, 2):
            if chance(0.5):
                out.append(f"- {doc.name(s, 'full', civ='short')} ({ORG})")
            else:
                out.append(f"- {doc.surname(s, 'short', caps=False)} ({ORG})")
            people.append(s)
        line = []
        for _ in range(R.randint(3, 5)):
            p = Person()
            people.append(p)
            if chance(0.5):
                line.append(doc.surname(p, "short", caps=False))
            else:
                line.append(doc.name(p, "full", civ="short"))
        out.append("- représentants des locataires : " + ", ".join(line))
        out.append(f"Excusés : {doc.surname(Person(), 'short', caps=False)}, Madame la Directrice générale\n")
        out.append("1. Approbation du compte rendu précédent – adopté à l'unanimité.")
        t = pick(people[2:])
        out.append(f"2. Chauffage de la Résidence {pick(RESIDENCES)} : {doc.surname(t, 'short', caps=False)} signale "
                   f"des pannes répétées depuis novembre. Le prestataire Engie Home Services interviendra.")
        t2 = people[0]
        out.append(f"3. Travaux du groupe Victor Hugo : {doc.surname(t2, 'short', caps=False)} présente le "
                   f"calendrier. Début des travaux prévu en avril, rue Jean Jaurès et place Charles de Gaulle.")
        out.append("4. Questions diverses : l'amicale demande l'installation de bancs près de l'école Jules Ferry.")
        out.append(f"\nProchaine réunion : {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')}.")
    else:
        out.append(f"Amicale des locataires de la Résidence {pick(RESIDENCES)}")
        out.append(f"Assemblée générale du {day}\n")
        pres = Person(sex="F")
        sec = Person()
        trez = Person()
        out.append(f"Présidente de séance : {doc.name(pres, pick(['full', 'caps']), civ='short')}")
        out.append(f"Secrétaire : {doc.name(sec, pick(['full', 'caps']), civ='short')}")
        out.append(f"Trésorier : {doc.name(trez, 'inv', civ='short')}\n")
        out.append(f"{R.randint(12, 40)} locataires présents. Le bureau rappelle les coordonnées de l'amicale : "
                   f"local collectif résidentiel, rez-de-chaussée du Bât. C.")
        out.append(f"Contact de la présidente : {doc.phone()} ou {doc.email(pres)}")
        out.append(f"{doc.surname(sec, 'short', caps=False)} lit le rapport moral. Les locataires se plaignent des "
                   f"charges d'ascenseur et de la propreté des halls (prestataire SAS Nettoyage Pro).")
        out.append(f"Nouveau membre du bureau : {doc.name(Person(), 'full', civ='short')}, demeurant "
                   f"{doc.addr_line(Address(place=pick(LOCAL)))}.")
        out.append("Vote du rapport financier : adopté (2 abstentions).")
    return f"reunions/pv_{i:03d}_{typ}.txt", "\n".join(out), doc.labels


def gen_note(i):
    """Internal notes, visit reports, free text with inline data."""
    doc = Doc()
    s = STAFF[4][0] if chance(0.5) else pick(STAFF)[0]
    p = Person()
    a = Address()
    typ = pick(["visite", "signalement", "telephone", "fsl"])
    out = []
    if typ == "visite":
        out.append(f"NOTE DE VISITE À DOMICILE – {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')}")
        out.append(f"Rédacteur : {doc.name(s, 'full')}\n")
        out.append(f"Visite effectuée chez {doc.name(p, pick(['full', 'caps']), civ='short')}, "
                   f"{doc.addr_line(a, with_compl=True)}.")
        k = Person(last=p.last, age=(3, 16))
        out.append(f"{doc.surname(p, 'short', caps=False)} vit avec son fils, {doc.name(k, 'full')}, "
                   f"scolarisé à l'école Jules Ferry. Le logement est en bon état général ; traces d'humidité "
                   f"dans la chambre. Demande d'intervention transmise à {pick(COMPANIES)[0]}.")
        out.append("Situation : dette locative en cours d'apurement, accompagnement par le CCAS de "
                   f"{pick(['Villeurbanne', 'Vénissieux', 'Bron'])}.")
    elif typ == "signalement":
        out.append("FICHE DE SIGNALEMENT – incident résidence")
        out.append(f"Date : {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')}    "
                   f"Signalé par : {doc.name(pick(GARDIENS), 'caps')}, gardien\n")
        n1, n2 = Person(), Person()
        out.append(f"Altercation dans le hall entre {doc.name(n1, pick(['full', 'caps']), civ='short')} "
                   f"(Bât. A, appt {R.randint(1, 60)}) et {doc.name(n2, pick(['full', 'inv']), civ='short')} "
                   f"(Bât. B). La police municipale est intervenue. Témoin : {doc.name(p, 'full', civ='short')}, "
                   f"joignable au {doc.phone()}.")
        out.append("Suite à donner : convocation des deux locataires à l'agence.")
    elif typ == "telephone":
        out.append(f"Appel entrant – {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')} {R.randint(8, 17)}h{R.randint(10, 59)}")
        out.append(f"Appelant : {doc.name(p, 'inv')} – tél. {doc.phone()}")
        out.append(f"Objet : souhaite changer de RIB pour le prélèvement. Nouveau compte : {doc.iban()}.")
        out.append(f"Ancien compte (à clôturer) : {doc.iban()}.")
        out.append(f"Adresse confirmée : {doc.addr_line(a)}. Date de naissance vérifiée : {doc.birth(p, 'slash')}.")
        out.append(f"Traité par {doc.name(s, 'full')}.")
    else:
        out.append("DEMANDE D'AIDE FSL – fiche de liaison")
        out.append(f"Travailleur social : {doc.name(s, 'full', civ='short')}, {ORG}")
        out.append(f"Ménage : {doc.name(p, 'inv', civ='short')}, né{'e' if p.sex == 'F' else ''} le {doc.birth(p)}")
        out.append(f"NIR : {doc.nir(p)}")
        out.append(f"Adresse : {doc.addr_line(a, with_compl=True)}")
        out.append(f"Montant de la dette : {money()} – Montant sollicité : {money()}")
        out.append("Avis : favorable. Dossier à transmettre à la Métropole de Lyon, "
                   "20 rue du Lac, CS 33569, 69505 Lyon Cedex 03.")
    return f"notes/note_{i:03d}_{typ}.txt", "\n".join(out), doc.labels


def gen_csv_tenants(i):
    doc = Doc()
    cols = ["N° locataire", "Nom", "Prénom", "Adresse", "Complément", "CP", "Ville", "Téléphone", "Email",
            "Date de naissance", "Solde"]
    variant = i % 3
    if variant == 1:
        cols = ["Nom", "Prénom", "Adresse", "CP", "Ville", "Tel"]
    elif variant == 2:
        cols = ["Locataire", "Date naissance", "Adresse", "Code postal", "Commune", "IBAN prélèvement"]
    rows = [";".join(cols)]
    for _ in range(R.randint(12, 25)):
        p = Person()
        a = Address(place=pick(LOCAL) if chance(0.8) else None)
        caps = chance(0.5)
        street = a.street
        city = a.city.upper() if caps else a.city
        addr_val = f"{street}, {a.cp} {city}"
        comp = ", ".join(a.complements)
        last = p.last.upper() if chance(0.8) else p.last
        if variant == 2:
            doc.lab("name", f"{p.first} {last}")
        else:
            doc.lab("name", f"{p.first} {last}")
        alts = []
        if comp and variant == 0:
            alts = [f"{street}, {comp}, {a.cp} {city}", f"{comp}, {street}, {a.cp} {city}"]
        doc.lab("address", addr_val, alt=alts)
        if variant == 0:
            nat = make_phone()
            doc.lab("phone", e164(nat))
            em = doc.email(p)
            row = [f"L{R.randint(10000, 99999)}", last, p.first, street, comp, a.cp, city,
                   fmt_phone(nat, pick(["sp", "compact", "dot"])), em,
                   doc.birth(p, "slash"), money().replace(" €", "")]
        elif variant == 1:
            nat = make_phone()
            doc.lab("phone", e164(nat))
            row = [last, p.first, street + (f" {comp}" if comp and False else ""), a.cp, city,
                   fmt_phone(nat, pick(["sp", "compact"]))]
        else:
            row = [f"{last} {p.first}", doc.birth(p, "slash"), street, a.cp, city, doc.iban("compact")]
        rows.append(";".join(x.replace(";", ",") for x in row))
    return f"exports/locataires_{i:02d}.csv", "\n".join(rows) + "\n", doc.labels


def gen_csv_decoy(i):
    """Suppliers / interventions: company data, one contact person per supplier."""
    doc = Doc()
    if i % 2 == 0:
        rows = ["Fournisseur;Adresse;CP;Ville;SIRET;Contact;Montant HT"]
        for c in COMPANIES:
            cp, city = c[2].split(" ", 1)
            ct = Person(age=(30, 60))
            rows.append(f"{c[0]};{c[1]};{cp};{city};{R.randint(300, 999)} {R.randint(100, 999)} {R.randint(100, 999)} "
                        f"{R.randint(10000, 99999)};{doc.name(ct, 'full')};{money().replace(' €', '')}")
        return f"exports/fournisseurs_{i:02d}.csv", "\n".join(rows) + "\n", doc.labels
    rows = ["Date;N° bon;Groupe;Entreprise;Nature;Montant TTC;Facture"]
    for _ in range(20):
        rows.append(f"{fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')};BC-{R.randint(10000, 99999)};"
                    f"Groupe {pick(['Victor Hugo', 'Jean Jaurès', 'Les Tilleuls', 'Paul Santy', 'Louise Michel'])};"
                    f"{pick(COMPANIES)[0]};{pick(['Débouchage', 'Remplacement ' + pick(PRODUCTS), 'Nettoyage', 'Peinture'])};"
                    f"{money().replace(' €', '')};FA-2024-{R.randint(100000, 999999)}")
    return f"exports/interventions_{i:02d}.csv", "\n".join(rows) + "\n", doc.labels


def gen_decoy_text(i):
    """Documents with no (or almost no) personal data: notices, procedures."""
    doc = Doc()
    typ = i % 4
    out = []
    if typ == 0:
        out.append(f"AVIS AUX LOCATAIRES – Résidence {pick(RESIDENCES)}, rue Jules Ferry\n")
        out.append(f"Lyon, le {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')}\n")
        out.append("Madame, Monsieur,")
        out.append(f"Nous vous informons que la société {pick(COMPANIES)[0]} procédera au nettoyage des "
                   f"colonnes d'évacuation le {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')}. "
                   "Merci de ne pas utiliser les évacuations entre 9h et 16h.")
        out.append("Pour toute question, contactez votre agence au " + ORG_PHONE + " ou "
                   + ORG_GENERIC[0] + ".")
        out.append("\nLa Direction de la proximité")
    elif typ == 1:
        out.append("PROCÉDURE – Traitement des réclamations techniques\n")
        out.append("Objet : définir le circuit de traitement des réclamations.")
        out.append("Toute réclamation est enregistrée dans le logiciel Ikos sous 24 heures. Le gardien "
                   "qualifie la demande ; Monsieur le Responsable technique valide les devis supérieurs à 1 500 €.")
        out.append("Les prestataires (Plomberie Fontaine et Fils, SARL Dupont Frères, Otis) sont relancés à J+3.")
        out.append("Indicateurs : délai moyen, taux de réclamations soldées. Référence qualité : ISO 9001, "
                   "label Quali'HLM.")
        out.append(f"Siège : {ORG}, 1 place de l'Hôtel de Ville, 69001 Lyon. Agence de Saint-Étienne : "
                   "12 rue de la Résistance, 42000 Saint-Étienne.")
    elif typ == 2:
        out.append("RAPPORT D'ACTIVITÉ – Chiffres clés\n")
        out.append(f"Patrimoine : {R.randint(8000, 20000)} logements répartis sur {R.randint(20, 60)} communes, "
                   "dont Lyon, Villeurbanne, Vénissieux, Saint-Étienne, Aix-en-Provence (résidence étudiante) "
                   "et Fontaine.")
        out.append(f"Taux de vacance : {R.randint(1, 5)},{R.randint(0, 9)} %. Loyer moyen : {money()}.")
        out.append("Opérations livrées : résidence Victor Hugo (69003), résidence Simone Veil à Bron, "
                   "foyer Jean Jaurès, école Jules Ferry (réhabilitation avec la Ville).")
        out.append("Partenaires : Action Logement, Banque des Territoires, Caisse des Dépôts, Métropole de Lyon.")
        out.append(f"SIRET : 279 690 012 00025 – TVA FR{R.randint(10, 99)}279690012 – "
                   f"N° de TVA, code APE 6820A. Contact presse : {ORG_GENERIC[0]}.")
        out.append(f"Numéro de facture : {R.randint(1000000000, 9999999999)} – "
                   f"référence client {R.randint(100000000000000, 999999999999999)}.")
    else:
        out.append("GUIDE DU NOUVEAU LOCATAIRE\n")
        out.append("Bienvenue ! Votre gardien est votre premier interlocuteur. En cas d'urgence le week-end, "
                   "appelez l'astreinte au 04 72 10 20 99.")
        out.append("Madame la Présidente de l'association Consommation Logement Cadre de Vie (CLCV) et "
                   "Monsieur le Maire vous souhaitent la bienvenue.")
        out.append("Tri sélectif : bac jaune le mardi, bac vert le vendredi. Déchetterie : route de Vienne, "
                   "Saint-Fons.")
        out.append("Assurance habitation : obligatoire (article 7 g de la loi du 6 juillet 1989). Attestation à "
                   "fournir chaque année, par exemple auprès de la MAIF, de la Macif ou du Crédit Agricole.")
        out.append("Exemples de numéros à ne pas confondre : N° de contrat 4512345678, RIB de l'office "
                   "FR76 1007 1690 0000 0020 0134 581, numéro unique 069231212345.")
    return f"divers/document_{i:02d}.txt", "\n".join(out) + "\n", doc.labels


def gen_decoy_numbers(i):
    """Invalid-checksum lookalikes and dates that are not birthdates, next to valid ones."""
    doc = Doc()
    p = Person()
    out = [f"CONTRÔLE DES PIÈCES – dossier {R.randint(1000, 9999)}", ""]
    out.append(f"Demandeur : {doc.name(p, 'inv', civ='short')}")
    out.append(f"NIR déclaré : {fmt_nir(bad_nir())}  -> clé incohérente, à vérifier")
    out.append(f"NIR corrigé : {doc.nir(p)}")
    out.append(f"IBAN fourni (erroné) : {fmt_iban(bad_iban())}")
    out.append(f"IBAN corrigé : {doc.iban()}")
    out.append(f"SIRET employeur : {R.randint(300, 999)} {R.randint(100, 999)} {R.randint(100, 999)} {R.randint(10000, 99999)}")
    out.append(f"Date de naissance : {doc.birth(p, 'slash')}")
    out.append(f"Date d'entrée dans les lieux : {fr_date(R.randint(2010, 2023), R.randint(1, 12), R.randint(1, 28), 'slash')}")
    out.append(f"Facture du {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'slash')} n° FA{R.randint(100000, 999999)}")
    out.append(f"Échéance au {fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'dot')}, montant {money()}")
    out.append(f"Code postal seul : {pick(LOCAL)[0]}   Commune : {pick(LOCAL)[1]}")
    out.append(f"Téléphone du standard : {ORG_PHONE}")
    return f"divers/controle_{i:02d}.txt", "\n".join(out) + "\n", doc.labels


# --------------------------------------------------------------------------

def dedupe(labels):
    """One label per (kind, thing): labels sharing a value or an alternate are the same thing written
    twice (e.g. an address in the recipient block with its complement lines and again inline without)."""
    def norm(s):
        return " ".join(unicodedata.normalize("NFC", s).casefold().replace(",", " ").split())

    out = []
    for l in labels:
        keys = {norm(l["value"])} | {norm(a) for a in l.get("alt", [])}
        same = None
        for o in out:
            if o["kind"] == l["kind"] and keys & ({norm(o["value"])} | {norm(a) for a in o.get("alt", [])}):
                same = o
                break
        if same is None:
            out.append(dict(l))
            continue
        if same.get("optional") and not l.get("optional"):
            same.pop("optional")
        vals = [same["value"]] + same.get("alt", []) + [l["value"]] + l.get("alt", [])
        # keep the longest written form as the value, the others as alternates
        best = max([same["value"], l["value"]], key=len)
        alts = [v for v in dict.fromkeys(vals) if norm(v) != norm(best)]
        alts = list({norm(v): v for v in alts}.values())
        same["value"] = best
        if alts:
            same["alt"] = alts
    return out


def main():
    plan = ([gen_letter] * 34 + [gen_form] * 14 + [gen_cv] * 8 + [gen_payslip] * 8 + [gen_email] * 14 +
            [gen_minutes] * 9 + [gen_note] * 12 + [gen_csv_tenants] * 6 + [gen_csv_decoy] * 2 +
            [gen_decoy_text] * 4 + [gen_decoy_numbers] * 3)
    import make_eval_more
    plan += make_eval_more.generators(sys.modules[__name__])
    import make_eval_share
    plan += make_eval_share.generators(sys.modules[__name__])
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    files = {}
    counters = {}
    for g in plan:
        n = counters.get(g, 0) + 1
        counters[g] = n
        rel, text, labels = g(n)
        path = os.path.join(CORPUS, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text if text.endswith("\n") else text + "\n")
        files[rel] = dedupe(labels)
    with open(LABELS, "w", encoding="utf-8") as f:
        json.dump({"seed": SEED, "files": dict(sorted(files.items()))}, f, ensure_ascii=False, indent=1,
                  sort_keys=False)
        f.write("\n")
    tot = {}
    opt = 0
    for labs in files.values():
        for l in labs:
            if l.get("optional"):
                opt += 1
                continue
            tot[l["kind"]] = tot.get(l["kind"], 0) + 1
    print(f"{len(files)} files written to {os.path.relpath(CORPUS)}; labels (required): "
          + ", ".join(f"{k}={v}" for k, v in sorted(tot.items())) + f"; optional={opt}")


if __name__ == "__main__":
    main()
