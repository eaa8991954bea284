#!/usr/bin/env python3
"""Write the second held-out set: eval/heldout2/corpus/ and eval/heldout2/labels.json.

Written in session 14 before reading the detectors' code, with its own seed, people, places
and templates, for the document kinds the first two sets lack: job applications (CV and cover
letter as .docx), CAF and rent-arrears letters, a maintenance-intervention log (CSV with
technicians and tenants' phones), an HR export (.xlsx: matricule, NIR, IBAN, date
d'embauche), minutes naming residents, tenant JSON exports with nested arrays and split
addresses, mbox threads with signatures, and decoys (SIRET/SIREN, TVA, RCS, EAN-13, IBANs and
NIRs with a bad key, dates that are not birth dates, amounts with spaces, streets, shops and
housing programmes named after people, UUIDs, OIDs, version strings).

Labels use eval/labels.json's format; `labels.json["subjects"]` and `["requests"]` are the
access requests eval/subject_check.py runs (`--set heldout2`): homonyms (`Thi Lan Nguyen` /
`Lan Nguyen`), a couple at one address, two people born the same day, a request written in
capitals without accents.

Needs openpyxl and python-docx. Deterministic: same files every run.
"""

import datetime
import io
import json
import os
import shutil
import sys
import zipfile

import heldout_base as hb
from heldout_base import (Doc, deaccent, dmy, e164, ean13, fmt_nir, fmt_phone, group4,
                          long_date, make_iban, make_phone, nir_key, siren, siret, tva, bad_iban, bad_nir)

SEED = 20261214
hb.R.seed(SEED)
R = hb.R
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout2")
CORPUS = os.path.join(OUT, "corpus")

ORG = "Habitat Saône-Beaujolais"
ORG_DOMAIN = "habitat-sb.fr"
ORG_ADDR = ("27 rue de la Sous-Préfecture", "69400", "Villefranche-sur-Saône")
ORG_PHONE = "04 74 65 30 30"
ORG_IBAN = make_iban()

FIRST_F = """Thi\u00a0Lan|Marie-Hélène|Anne-Sophie|Sylvie|Nadia|Hélène|Christelle|Véronique|Aurélie|Laëtitia|
Sandrine|Nathalie|Coralie|Mélanie|Amandine|Émilie|Séverine|Fanny|Noémie|Zoé|Lou|Rose|Alice|Nora|Salma|
Imane|Sarah|Myriam|Houda|Fatima|Aïcha|Mariama|Aminata|Hong|Yen|Kim|Sevgi|Gülşen|Esra|Dilara|Joana|
Carla|Inês|Bianca|Elena|Irina|Natalia|Magdalena|Renée|Paulette|Colette|Jacqueline|Monique|Geneviève""".replace(
    "\n", "").split("|")
FIRST_M = """Jean-Baptiste|Pierre-Yves|Marc|Karim|Yves|Olivier|Stéphane|Frédéric|Ludovic|Cédric|Jérôme|Grégory|
Sébastien|Fabrice|Régis|Benoît|Florian|Kévin|Dylan|Enzo|Nathan|Lucas|Hugo|Théo|Ibrahim|Samir|Nabil|Adel|
Redouane|Mohamed|Ali|Omar|Souleymane|Lamine|Modibo|Bakary|Van|Hung|Khanh|Cem|Hakan|Ozan|Tolga|Rafael|
Diogo|André|Vítor|Pavel|Marek|Radu|Florin|Raphaël|Maxime|Léon|Émile|Gérard|Bernard|Jacques|René""".replace(
    "\n", "").split("|")
SURNAMES = """Nguyen|Girard|Benhamou|Roux|Lefèvre|Moreau|Fontaine|Rousseau|Bonnet|Dupuis|Lambert|Faure|
André|Mercier|Blanc|Guérin|Boucher|Denis|Lemaire|Dumont|Gaillard|Brunet|Roy|Rivière|Arnaud|Charpentier|
Bouvier|Poirier|Dufour|Meunier|Caron|Besson|Vasseur|Millet|Royer|Bailly|Hamon|Tessier|Jacquet|Perret|
Bertin|Da Silva|Dos Santos|Gonçalves|Teixeira|Mendes|Ribeiro|Ait Ahmed|Ben Youssef|Bouzid|Messaoudi|
Chaouch|Belhadj|Kaddour|Ould Ali|Diop|Kane|Sarr|Seck|Dembélé|Konaté|Koné|Ouattara|Özdemir|Aksoy|Polat|
Yıldız|Koç|Le Bihan|Le Roux|De Sousa|Van Damme|Lê|Phan|Trương|Dinh|Mai|Marin|Lucas|Thomas|Robert|
Simon|Laurent|Michel|Morel|Bernard""".replace("\n", "").split("|")
PLACES = [("69400", "Villefranche-sur-Saône"), ("69220", "Belleville-en-Beaujolais"),
          ("69480", "Anse"), ("69620", "Val d'Oingt"), ("69430", "Beaujeu"), ("01090", "Montmerle-sur-Saône"),
          ("69870", "Lamure-sur-Azergues"), ("69170", "Tarare"), ("69490", "Pontcharra-sur-Turdine"),
          ("69380", "Lozanne"), ("69250", "Neuville-sur-Saône"), ("71000", "Mâcon"),
          ("69210", "L'Arbresle"), ("69640", "Denicé"), ("69830", "Saint-Georges-de-Reneins")]
# Streets named after people (the address is data, the person in it is not).
STREETS = ["rue Jean Moulin", "avenue Henri Barbusse", "rue Victor Hugo", "boulevard Louis Blanc",
           "rue Pierre Brossolette", "allée Marie Curie", "rue Jean-Baptiste Clément", "rue Anatole France",
           "avenue Édouard Herriot", "place Claude Bernard", "rue Jules Ferry", "rue Georges Brassens",
           "rue Gambetta", "chemin de la Plaine", "rue des Remparts", "impasse du Moulin", "rue de la Gare",
           "quai de la Saône", "rue Nationale", "montée des Roches", "rue Paul Bert", "rue Émile Zola",
           "avenue du Maréchal Foch", "rue Simone de Beauvoir", "rue Olympe de Gouges"]
PROGRAMMES = ["Résidence Jean Moulin", "Résidence Les Tilleuls", "Résidence Marie Curie", "Le Clos Belleroche",
              "Résidence Pierre de Coubertin", "Les Jardins de Saône", "Résidence Victor Hugo"]
SHOPS = [("Boulangerie Martin", "14 rue Nationale", "69400", "Villefranche-sur-Saône"),
         ("Garage Dupuis & Fils", "5 route de Frans", "69400", "Villefranche-sur-Saône"),
         ("Pharmacie Bernard", "2 place des Arts", "69400", "Villefranche-sur-Saône"),
         ("Électricité Rousseau SARL", "31 rue du Commerce", "69220", "Belleville-en-Beaujolais"),
         ("Chauffage Simon Services", "8 avenue de l'Europe", "69480", "Anse"),
         ("Menuiserie Laurent Frères", "112 rue Victor Hugo", "69170", "Tarare")]
SCHOOLS = ["l'école Jean de La Fontaine", "le collège Claude Bernard", "le lycée Louis Armand",
           "le stade Pierre de Coubertin", "la salle Georges Brassens", "la crèche Françoise Dolto"]
MAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "sfr.fr", "laposte.net", "hotmail.fr", "yahoo.com",
                "wanadoo.fr", "live.fr", "proton.me"]
USED = set()


def pick(seq):
    return seq[R.randrange(len(seq))]


def chance(p):
    return R.random() < p


class Person:
    """One fictitious person; `first` may be compound (`Thi Lan`, `Jean-Baptiste`)."""

    def __init__(self, sex=None, first=None, last=None, born=None, street=None, place=None, who=None):
        while True:
            self.sex = sex or pick("FM")
            self.first = (first or pick(FIRST_F if self.sex == "F" else FIRST_M)).replace("\u00a0", " ")
            self.last = last or pick(SURNAMES)
            if first or (self.first, self.last) not in USED:
                break
        USED.add((self.first, self.last))
        self.born = born or datetime.date(R.randint(1950, 2004), R.randint(1, 12), R.randint(1, 28))
        self.num = str(R.randint(1, 180)) + (pick([" bis", " ter"]) if chance(0.08) else "")
        self.street = street or pick(STREETS)
        self.cp, self.city = place or pick(PLACES)
        self.mobile = make_phone(True)
        self.fixe = make_phone(False)
        f = deaccent(self.first).lower().replace(" ", "").replace("-", "")
        l = deaccent(self.last).lower().replace(" ", "")
        dom = pick(MAIL_DOMAINS)
        self.email = pick([f"{f}.{l}@{dom}", f"{l}{f[0]}@{dom}", f"{f}{R.randint(60, 99)}@{dom}",
                           f"{f}.{l}{R.randint(1, 9)}@{dom}"])
        self.iban = make_iban()
        body = f"{1 if self.sex == 'M' else 2}{self.born.year % 100:02d}{self.born.month:02d}" \
               f"{pick(['69', '01', '71', '99', '38', '75'])}{R.randint(1, 380):03d}{R.randint(1, 999):03d}"
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


def staff(first, last, sex):
    p = Person(sex, first, last)
    p.email = f"{deaccent(first).lower().replace(' ', '')}.{deaccent(last).lower().replace(' ', '')}@{ORG_DOMAIN}"
    return p


STAFF = [staff("Ludivine", "Perrin", "F"), staff("Bruno", "Chapuis", "M"), staff("Yasmine", "Hadj", "F")]
TECHS = [staff("Patrick", "Dumas", "M"), staff("Kevin", "Lopez", "M"), staff("Sofiane", "Amri", "M"),
         staff("Julie", "Vernay", "F")]

SUBJ = {
    "thi_lan_nguyen": Person("F", "Thi Lan", "Nguyen", datetime.date(1988, 7, 14), "rue Jean Moulin",
                             ("69400", "Villefranche-sur-Saône"), "thi_lan_nguyen"),
    "lan_nguyen": Person("F", "Lan", "Nguyen", datetime.date(1991, 1, 9), "rue Gambetta",
                         ("69220", "Belleville-en-Beaujolais"), "lan_nguyen"),
    "marc_girard": Person("M", "Marc", "Girard", datetime.date(1970, 10, 3), "avenue Henri Barbusse",
                          ("69400", "Villefranche-sur-Saône"), "marc_girard"),
    "karim_benhamou": Person("M", "Karim", "Benhamou", datetime.date(1979, 3, 2), "rue Victor Hugo",
                             ("69170", "Tarare"), "karim_benhamou"),
    "nadia_roux": Person("F", "Nadia", "Roux", datetime.date(1979, 3, 2), "rue de la Gare",
                         ("69480", "Anse"), "nadia_roux"),
    "helene_lefevre": Person("F", "Hélène", "Lefèvre", datetime.date(1958, 12, 21), "place Claude Bernard",
                             ("69430", "Beaujeu"), "helene_lefevre"),
}
SYLVIE = Person("F", "Sylvie", "Girard", datetime.date(1972, 5, 27), who="sylvie_girard")
G = SUBJ["marc_girard"]
SYLVIE.num, SYLVIE.street, SYLVIE.cp, SYLVIE.city, SYLVIE.fixe = G.num, G.street, G.cp, G.city, G.fixe
SUBJ["sylvie_girard"] = SYLVIE
SUBJ["thi_lan_nguyen"].email = "thilan.nguyen@gmail.com"
SUBJ["lan_nguyen"].email = "lan.nguyen91@orange.fr"
G.email = "marc.girard@free.fr"
SYLVIE.email = "sylvie.girard69@free.fr"
SUBJ["karim_benhamou"].email = "k.benhamou@laposte.net"
SUBJ["nadia_roux"].email = "nadia.roux@hotmail.fr"
SUBJ["helene_lefevre"].email = "helene.lefevre@wanadoo.fr"

REQUESTS = [
    {"who": "thi_lan_nguyen", "args": ["--name", "Thi Lan Nguyen", "--birthdate", "1988-07-14"]},
    {"who": "lan_nguyen", "args": ["--name", "Lan Nguyen"]},
    {"who": "marc_girard", "args": ["--name", "Marc Girard"]},
    {"who": "sylvie_girard", "args": ["--name", "Sylvie Girard", "--email", "sylvie.girard69@free.fr"]},
    {"who": "karim_benhamou", "args": ["--name", "Karim Benhamou", "--birthdate", "1979-03-02"]},
    {"who": "nadia_roux", "args": ["--name", "Nadia Roux", "--birthdate", "1979-03-02"]},
    {"who": "helene_lefevre", "args": ["--name", "HELENE LEFEVRE"]},
]

DOCS = []


def emit(d, data=None):
    DOCS.append((d.path, data if data is not None else d.text().encode("utf-8"), d.labels))


def emit_thread(dm):
    """An mbox: its bytes, and its labels under each message's entry."""
    d, msgs = dm
    DOCS.append((d.path, d.text().encode("utf-8"), None))
    for m in msgs:
        DOCS.append((m.path, None, m.labels))


def day(y0=2023, y1=2024):
    return datetime.date(R.randint(y0, y1), R.randint(1, 12), R.randint(1, 28))


def amount(lo, hi):
    v = R.randint(lo * 100, hi * 100) / 100
    return f"{v:,.2f}".replace(",", "\u202f" if chance(0.3) else " ").replace(".", ",")


def uuid4():
    h = "".join(pick("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{pick('89ab')}{h[17:20]}-{h[20:]}"


def version():
    return f"{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 9)}.{R.randint(10, 9999)}"


def rcs(sn):
    return f"RCS {pick(['Villefranche-Tarare', 'Lyon', 'Mâcon'])} {pick(['B ', ''])}{sn[:3]} {sn[3:6]} {sn[6:]}"


def name_lab(d, p, written=None, **kw):
    d.lab("name", written or f"{p.first} {p.last}", who=p.who, **kw)


def fix_zip_times(data):
    """Rewrite a zip (xlsx/docx) with fixed member times and dates so the file is the same every run."""
    import re
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", b"2024-05-02T10:00:00Z", body)
            zi = zipfile.ZipInfo(info.filename, (2024, 5, 2, 10, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, body)
    return out.getvalue()


# --------------------------------------------------------------------------
# Job applications: cover letter and CV in one .docx (or .txt)
# --------------------------------------------------------------------------

def gen_application(i, p=None, fmt="docx"):
    p = p or Person()
    d = Doc(f"candidatures/candidature_{deaccent(p.last).lower().replace(' ', '_')}_{i:02d}.{fmt}")
    job = pick(["gardien d'immeuble", "chargé(e) de clientèle", "agent d'entretien", "technicien(ne) de maintenance",
                "assistant(e) de gestion locative"])
    caps = chance(0.5)
    written = f"{p.first} {p.last.upper()}" if caps else f"{p.first} {p.last}"
    paras = [written, p.street_line(), f"{p.cp} {p.city}", fmt_phone(p.mobile), p.email, "",
             f"{ORG}", "Service des ressources humaines", f"{ORG_ADDR[0]}", f"{ORG_ADDR[1]} {ORG_ADDR[2]}", "",
             f"{p.city}, le {long_date(day(2024, 2024))}", "",
             f"Objet : candidature au poste de {job} (offre n° {R.randint(2024, 2024)}-{R.randint(100, 999)})", "",
             "Madame, Monsieur,", ""]
    prev = pick(SHOPS)
    prog = pick(PROGRAMMES)
    boss_civ, boss = pick(['M.', 'Mme']), pick(SURNAMES)
    paras += [f"Actuellement employé(e) chez {prev[0]} depuis {R.randint(2015, 2021)}, je souhaite rejoindre "
              f"{ORG}. J'ai assuré l'entretien de la {prog} pendant deux ans et je connais bien le quartier "
              f"de la {pick(STREETS)}.",
              f"Mon ancien responsable, {boss_civ} {boss}, pourra vous confirmer mon sérieux.",
              "", "Je vous prie d'agréer, Madame, Monsieur, mes salutations distinguées.", "", written, ""]
    ref = Person()
    cv = ["CURRICULUM VITAE", "", written.upper() if chance(0.5) else written,
          f"Né{'e' if p.sex == 'F' else ''} le {dmy(p.born) if chance(0.5) else long_date(p.born)}"
          f" – {pick(['Permis B', 'Permis B, véhicule', 'Nationalité française'])}",
          f"Adresse : {p.street_line()}, {p.cp} {p.city}", f"Tél. : {fmt_phone(p.mobile)}",
          f"Courriel : {p.email}", "", "EXPÉRIENCE PROFESSIONNELLE",
          f"{R.randint(2018, 2021)} – aujourd'hui : employé(e) polyvalent(e), {prev[0]}, {prev[1]}, {prev[2]} {prev[3]}",
          f"Date d'entrée : {dmy(day(2018, 2021))} – SIRET de l'employeur : {siret()}",
          f"2012 – 2018 : agent d'accueil, {pick(PROGRAMMES)} ({pick(SCHOOLS)} à proximité)",
          "", "FORMATION", f"{R.randint(2005, 2012)} : CAP {pick(['maintenance des bâtiments', 'agent de propreté', 'vente'])}, "
          f"{pick(SCHOOLS)}", "", "RÉFÉRENCES",
          f"{ref.first} {ref.last}, chef d'équipe – {fmt_phone(ref.mobile)}"]
    name_lab(d, p, written)
    d.person(p, kinds=("address", "mobile", "email", "birthdate"))
    d.lab("name", f"{ref.first} {ref.last}")
    d.lab("phone", e164(ref.mobile))
    d.lab("name", boss, alt=[f"{boss_civ} {boss}"])
    if fmt == "txt":
        d.add(*paras, "-" * 60, *cv)
        return d, None
    import docx
    doc = docx.Document()
    for t in paras:
        doc.add_paragraph(t)
    doc.add_page_break()
    for t in cv:
        doc.add_paragraph(t)
    doc.core_properties.author = ""
    buf = io.BytesIO()
    doc.save(buf)
    return d, fix_zip_times(buf.getvalue())


# --------------------------------------------------------------------------
# CAF and rent-arrears letters
# --------------------------------------------------------------------------

def letter_head(d):
    d.add(ORG, f"{ORG_ADDR[0]} – {ORG_ADDR[1]} {ORG_ADDR[2]}", f"Tél. {ORG_PHONE} – SIREN {siren()}", "")


def tenant_block(d, p, prog=None, indent=50, caps=False):
    nm = f"{p.last.upper()} {p.first}" if chance(0.5) else f"{p.first} {p.last.upper()}"
    if caps:
        nm = nm.upper()
    d.add(" " * indent + f"{p.civ_long.upper() if caps else p.civ_long} {nm}")
    name_lab(d, p, f"{p.first} {p.last}")
    lines = []
    if prog:
        lines.append(f"{prog} – Bât. {pick('ABCDE')} – Appt {R.randint(1, 48)}")
    lines += [p.street_line().upper() if caps else p.street_line(), f"{p.cp} {p.city.upper()}"]
    for ln in lines:
        d.add(" " * indent + ln)
    full = ", ".join(lines)
    d.lab("address", full, alt=[p.address()] if prog else None, who=p.who)


def gen_caf_letter(i, p=None):
    p = p or Person()
    d = Doc(f"courriers/caf_{i:02d}.txt")
    letter_head(d)
    prog = pick(PROGRAMMES) if chance(0.6) else None
    d.add(" " * 50 + "CAF du Rhône", " " * 50 + "Service des aides au logement", " " * 50 + "69907 LYON CEDEX 20", "")
    d.add(f"Villefranche, le {long_date(day(2024, 2024))}", "",
          "Objet : signalement d'impayé de loyer – aide personnalisée au logement",
          f"Allocataire : {p.civ} {p.last.upper()} {p.first} – N° allocataire {R.randint(1000000, 9999999)}",
          f"Logement : {(prog + ', ') if prog else ''}{p.street_line()}, {p.cp} {p.city}", "")
    name_lab(d, p, f"{p.first} {p.last.upper()}")
    d.lab("address", f"{(prog + ', ') if prog else ''}{p.address()}", alt=[p.address()] if prog else None, who=p.who)
    due = day(2024, 2024)
    d.add("Madame, Monsieur,", "",
          f"Nous vous signalons que l'allocataire cité en référence présente au {dmy(due)} un impayé de "
          f"{amount(600, 4000)} €, soit {R.randint(2, 6)} échéances de loyer résiduel ({amount(250, 700)} € par mois).",
          f"Date d'entrée dans les lieux : {dmy(day(2008, 2022))}. Bail n° {R.randint(100000, 999999)}.",
          f"Dernier paiement reçu le {dmy(day(2024, 2024))} (facture n° {R.randint(2024, 2024)}{R.randint(10000, 99999)} "
          f"du {dmy(day(2024, 2024))}).")
    if chance(0.5):
        q = Person(last=p.last, sex="F" if p.sex == "M" else "M", street=p.street, place=(p.cp, p.city))
        d.add(f"Le ménage comprend également {q.civ} {q.first} {p.last}, née le {dmy(q.born)}, "
              f"et {R.randint(1, 3)} enfant(s) scolarisé(s) à {pick(SCHOOLS)}.")
        d.lab("name", f"{q.first} {p.last}")
        d.lab("birthdate", q.born.isoformat())
    d.add("", f"Un plan d'apurement de {R.randint(6, 24)} mois a été proposé ; les règlements sont attendus sur notre "
          f"compte {group4(ORG_IBAN)}.", "", "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.", "")
    s = pick(STAFF)
    d.add(f"{s.first} {s.last.upper()}", "Chargée de recouvrement" if s.sex == "F" else "Chargé de recouvrement",
          f"{s.email} – ligne directe {fmt_phone(s.fixe)}")
    d.person(s, kinds=("name", "email", "fixe"))
    return d


def gen_arrears(i, p=None):
    p = p or Person()
    d = Doc(f"courriers/mise_en_demeure_{i:02d}.txt")
    letter_head(d)
    tenant_block(d, p, pick(PROGRAMMES) if chance(0.5) else None, caps=chance(0.4))
    d.add("", "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION", f"N° {R.randint(1, 9)}A {R.randint(10**9, 10**10 - 1)}",
          "", "Objet : mise en demeure – dette locative", "", f"{p.civ_long},", "")
    rows = []
    for m in range(R.randint(3, 5)):
        rows.append(f"  {dmy(datetime.date(2024, m + 1, 5))}   avis d'échéance n° {R.randint(100000, 999999)}"
                    f"   {amount(400, 800):>12} €")
    d.add("Malgré nos relances, les échéances suivantes restent impayées :", *rows,
          f"  Total dû : {amount(1500, 5000)} € (dont 45,00 € de frais de relance)", "",
          "Sans règlement sous huit jours, nous saisirons la commission de coordination des actions de prévention",
          "des expulsions locatives (CCAPEX).",
          f"Vous pouvez régler par virement (IBAN {group4(ORG_IBAN)}) ou prendre rendez-vous avec "
          f"{pick(STAFF).first} {pick(['à l agence', 'au siège'])}.")
    if chance(0.6):
        iban = bad_iban()
        d.add(f"Attention : le RIB communiqué par vos soins ({group4(iban)}) est erroné, merci de nous en adresser un nouveau.")
    s = pick(STAFF)
    d.add("", f"{' ' * 40}{s.first} {s.last}", f"{' ' * 40}Responsable du pôle recouvrement")
    d.lab("name", f"{s.first} {s.last}")
    return d


# --------------------------------------------------------------------------
# Maintenance-intervention log (CSV)
# --------------------------------------------------------------------------

def gen_interventions(i, people):
    d = Doc(f"interventions/journal_interventions_2024_T{i + 1}.csv")
    sep = ";" if i == 0 else ","
    hdr = ["N° bon", "Date demande", "Technicien", "Locataire", "Tél. locataire", "Adresse", "CP", "Ville",
           "Programme", "Motif", "Pièce (EAN)", "Durée (h)", "Statut"]
    rows = [hdr]
    for p in people:
        t = pick(TECHS)
        tenant = f"{p.last.upper()} {p.first}"
        rows.append([f"BI-{R.randint(24000, 24999)}", dmy(day(2024, 2024)), f"{t.first} {t.last}", tenant,
                     fmt_phone(p.mobile), p.street_line(), p.cp, p.city, pick(PROGRAMMES),
                     pick(["fuite sous évier", "VMC bruyante", "porte palière bloquée", "radiateur froid",
                           "interphone HS", "remplacement joint baignoire"]), ean13(),
                     f"{R.randint(1, 6)},{pick('05')}", pick(["clos", "en cours", "à planifier"])])
        d.lab("name", f"{t.first} {t.last}")
        name_lab(d, p, f"{p.first} {p.last.upper()}")
        d.person(p, kinds=("mobile", "address"))

    def cell(v):
        v = str(v)
        return f'"{v}"' if sep in v or '"' in v else v
    d.add(*[sep.join(cell(v) for v in r) for r in rows])
    return d


# --------------------------------------------------------------------------
# HR export (xlsx)
# --------------------------------------------------------------------------

def gen_hr(i, people):
    import openpyxl
    d = Doc(f"rh/export_personnel_{2024 - i}.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Personnel"
    ws.append([f"{ORG} – registre du personnel – export paie"])
    ws.append(["Matricule", "Nom", "Prénom", "Date de naissance", "N° SS", "IBAN", "Date d'embauche",
               "Emploi", "Salaire brut", "Adresse", "Code postal", "Ville", "Téléphone"])
    for n, p in enumerate(people):
        nir_ok = not (n == 3)
        nir = p.nir if nir_ok else bad_nir()
        iban_ok = not (n == 5)
        iban = p.iban if iban_ok else bad_iban()
        ws.append([f"M{R.randint(1000, 9999)}", p.last.upper(), p.first,
                   datetime.datetime(p.born.year, p.born.month, p.born.day),
                   fmt_nir(nir) if chance(0.5) else nir, group4(iban) if chance(0.5) else iban,
                   datetime.datetime(R.randint(2000, 2023), R.randint(1, 12), R.randint(1, 28)),
                   pick(["Gardien", "Chargé de clientèle", "Technicien", "Comptable", "Agent d'entretien"]),
                   amount(1800, 4200), p.street_line(), p.cp, p.city, fmt_phone(p.mobile)])
        ws.cell(row=ws.max_row, column=4).number_format = "DD/MM/YYYY"
        ws.cell(row=ws.max_row, column=7).number_format = "DD/MM/YYYY"
        name_lab(d, p, f"{p.first} {p.last.upper()}")
        d.person(p, kinds=("birthdate", "address", "mobile"))
        if nir_ok:
            d.person(p, kinds=("nir",))
        if iban_ok:
            d.person(p, kinds=("iban",))
    ws2 = wb.create_sheet("Organismes")
    ws2.append(["Organisme", "Adresse", "SIRET", "N° TVA", "RCS", "Référence contrat"])
    for c in SHOPS[:3]:
        sn = siren()
        ws2.append([c[0], f"{c[1]} {c[2]} {c[3]}", siret(sn), tva(sn), rcs(sn), uuid4()])
    buf = io.BytesIO()
    wb.save(buf)
    return d, fix_zip_times(buf.getvalue())


# --------------------------------------------------------------------------
# Minutes naming residents
# --------------------------------------------------------------------------

def gen_minutes(i, residents):
    d = Doc(f"reunions/cr_conseil_concertation_{i:02d}.txt")
    prog = pick(PROGRAMMES)
    d.add(f"COMPTE RENDU – CONSEIL DE CONCERTATION LOCATIVE – {prog.upper()}",
          f"Réunion du {long_date(day(2024, 2024))}, salle Georges Brassens", "")
    s = pick(STAFF)
    pres = []
    for p in residents[:4]:
        form = pick(["civ_last", "civ_full", "full"])
        if form == "civ_last":
            pres.append(f"{p.civ} {p.last} (Bât. {pick('ABC')})")
            d.lab("name", p.last, alt=[f"{p.civ} {p.last}"], who=p.who)
        elif form == "civ_full":
            pres.append(f"{p.civ} {p.first} {p.last.upper()}")
            name_lab(d, p, f"{p.first} {p.last.upper()}")
        else:
            pres.append(f"{p.first} {p.last}")
            name_lab(d, p)
    d.add("Présents : " + ", ".join(pres) + f" ; pour le bailleur : {s.first} {s.last}.",
          "Excusés : M. le Maire, Mme la Présidente de l'amicale.", "")
    d.lab("name", f"{s.first} {s.last}")
    a, b = residents[4], residents[5]
    d.add("1. Travaux",
          f"{a.civ} {a.first} {a.last} signale des infiltrations dans son logement au {a.street_line()} ; "
          f"l'entreprise {pick(SHOPS)[0]} interviendra.",
          f"Le chantier de l'avenue Henri Barbusse (programme {prog}) est retardé de {R.randint(2, 8)} semaines.", "",
          "2. Charges",
          f"Les charges 2023 s'élèvent à {amount(10000, 90000)} € pour l'ensemble ; la facture n° FC-{R.randint(1000, 9999)} "
          f"du {dmy(day(2024, 2024))} sera contrôlée par {b.first} {b.last} ({fmt_phone(b.mobile)}).", "",
          "3. Vie du quartier",
          f"La fête des voisins aura lieu devant {pick(SCHOOLS)}. La Boulangerie Martin offre les viennoiseries.",
          f"Rappel : la rue Jean Moulin sera fermée le {dmy(day(2024, 2024))}.")
    name_lab(d, a)
    d.lab("address", f"{a.street_line()}", optional=True)
    name_lab(d, b)
    d.person(b, kinds=("mobile",))
    d.add("", f"Prochaine réunion : {dmy(day(2024, 2024))}. Rédaction : {s.first} {s.last}.")
    return d


# --------------------------------------------------------------------------
# Tenant JSON exports (nested arrays, split addresses)
# --------------------------------------------------------------------------

def gen_json(i, households, flat=False):
    d = Doc(f"exports/locataires_{'plat' if flat else 'imbrique'}_{i:02d}.json")
    out = {"export": {"application": "GestLoc", "version": version(), "schema": "1.2.250.1.71.4.2.1",
                      "genere_le": "2024-05-02T10:00:00+02:00", "id": uuid4()}, "contrats": []}
    for hh in households:
        head = hh[0]
        prog = pick(PROGRAMMES)
        c = {"id": uuid4(), "reference": f"BAIL-{R.randint(10000, 99999)}",
             "date_entree": day(2005, 2023).isoformat(), "loyer": amount(300, 800), "programme": prog}
        if flat:
            c["adresse1"] = f"{prog} Bât. {pick('ABC')} Appt {R.randint(1, 40)}"
            c["adresse2"] = head.street_line()
            c["code_postal"] = head.cp
            c["ville"] = head.city
            d.lab("address", f"{c['adresse1']}, {head.address()}", alt=[head.address()], who=head.who)
        else:
            c["logement"] = {"adresse": {"rue": head.street_line(), "cp": head.cp, "ville": head.city},
                             "etage": R.randint(0, 6), "lot": f"L{R.randint(100, 999)}"}
            d.lab("address", head.address(), who=head.who)
        c["titulaires"] = []
        for p in hh:
            t = {"nom": p.last.upper() if chance(0.5) else p.last, "prenom": p.first,
                 "date_naissance": p.born.isoformat() if chance(0.5) else dmy(p.born),
                 "contacts": [{"type": "mobile", "valeur": fmt_phone(p.mobile)},
                              {"type": "email", "valeur": p.email}]}
            name_lab(d, p, f"{p.first} {t['nom']}")
            d.person(p, kinds=("birthdate", "mobile", "email"))
            c["titulaires"].append(t)
        c["paiements"] = [{"date": day(2024, 2024).isoformat(), "montant": amount(200, 900),
                           "mode": "prélèvement", "iban": head.iban}] + \
                         [{"date": day(2024, 2024).isoformat(), "montant": amount(200, 900), "mode": "chèque",
                           "numero": str(R.randint(10**6, 10**7 - 1))}]
        d.person(head, kinds=("iban",))
        out["contrats"].append(c)
    data = json.dumps(out, ensure_ascii=False, indent=2).encode("utf-8")
    return d, data


# --------------------------------------------------------------------------
# mbox threads with signatures
# --------------------------------------------------------------------------

def gen_mbox(i, p=None):
    """A thread of two or three messages; pdscout reads an mbox message by message (entries
    `message 1`, `message 2`, …), so each message has its own labels: returns the file's Doc
    and the Docs of its messages (labels only)."""
    p = p or Person()
    s = pick(STAFF)
    d = Doc(f"mails/fil_{i:02d}.mbox")
    msgs = [Doc(f"{d.path}::message {k}") for k in (1, 2, 3)]
    subj = pick(["Demande de mutation", "Chauffage en panne", "Attestation de loyer", "Changement de RIB"])
    dt = [f"{pick(['Mon', 'Tue', 'Wed', 'Thu'])}, {R.randint(1, 28)} May 2024 {R.randint(8, 18):02d}:{R.randint(0, 59):02d}:00 +0200"
          for _ in range(3)]
    sig_p = ["--", f"{p.first} {p.last}", f"{p.street_line()}, {p.cp} {p.city}", f"Port. {fmt_phone(p.mobile)}"]
    sig_s = ["--", f"{s.first} {s.last}", "Chargée de clientèle" if s.sex == "F" else "Chargé de clientèle",
             ORG, f"{ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}", f"Standard {ORG_PHONE}"]
    m1 = [f"From {p.email} {dt[0]}", f"From: {p.first} {p.last} <{p.email}>", f"To: contact@{ORG_DOMAIN}",
          f"Subject: {subj}", f"Date: {dt[0]}", f"Message-ID: <{uuid4()}@{p.email.split('@')[1]}>",
          "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
          "Bonjour,", ""]
    m = msgs[0]
    if subj == "Changement de RIB":
        m1 += [f"Voici mon nouveau RIB : {group4(p.iban)}.", ""]
        m.person(p, kinds=("iban",))
    else:
        nb = pick(SURNAMES)
        m1 += [f"Je vous écris au sujet de mon logement ({pick(PROGRAMMES)}). Mon voisin, "
               f"M. {nb}, a le même problème.", ""]
        m.lab("name", nb, alt=[f"M. {nb}"])
    m1 += ["Cordialement,", "", *sig_p, ""]
    name_lab(m, p)
    m.person(p, kinds=("email", "address", "mobile"))
    reply = [f"From {s.email} {dt[1]}", f"From: \"{s.last.upper()} {s.first}\" <{s.email}>",
             f"To: {p.first} {p.last} <{p.email}>", f"Subject: RE: {subj}", f"Date: {dt[1]}",
             "Content-Type: text/plain; charset=utf-8", "", f"Bonjour {p.civ} {p.last},", "",
             f"Votre demande est enregistrée sous le n° {R.randint(10**5, 10**6)} (ticket {uuid4()}).",
             f"Un technicien, {pick(TECHS).first}, vous appellera.", "", "Bien à vous,", *sig_s, "",
             f"Le {dt[0]}, {p.first} {p.last} a écrit :", "> Bonjour,", ">",
             *[f"> {ln}" for ln in sig_p], ""]
    m = msgs[1]
    name_lab(m, p)
    m.lab("name", p.last, alt=[f"{p.civ} {p.last}"], optional=True)
    m.person(p, kinds=("email", "address", "mobile"))
    m.person(s, kinds=("name", "email"))
    d.add(*m1, *reply)
    out = [msgs[0], msgs[1]]
    if chance(0.6):
        q = Person()
        d.add(f"From {q.email} {dt[2]}", f"From: {q.first} {q.last} <{q.email}>", f"To: {s.email}",
              f"Cc: {p.email}", f"Subject: RE: {subj}", f"Date: {dt[2]}", "", "Bonjour,",
              f"Je suis la voisine de {p.civ} {p.last} et je confirme. Mon numéro : {fmt_phone(q.mobile)}.",
              "", "--", f"{q.first} {q.last.upper()}", "")
        m = msgs[2]
        name_lab(m, q)
        m.person(q, kinds=("email", "mobile"))
        m.person(s, kinds=("email",))
        m.person(p, kinds=("email",))
        m.lab("name", p.last, alt=[f"{p.civ} {p.last}"], who=p.who)
        out.append(m)
    return d, out


# --------------------------------------------------------------------------
# Decoys: invoices, IT inventory, release notes
# --------------------------------------------------------------------------

def gen_invoice(i):
    c = pick(SHOPS)
    sn = siren()
    d = Doc(f"factures/facture_{i:02d}.txt")
    d.add(c[0].upper(), f"{c[1]}", f"{c[2]} {c[3]}", f"SIRET {siret(sn)} – SIREN {sn} – {rcs(sn)}",
          f"TVA intracommunautaire {tva(sn)}", f"Capital social : {amount(5000, 50000)} €", "",
          f"FACTURE N° {R.randint(2024, 2024)}-{R.randint(1000, 9999)}      Date de facture : {dmy(day(2024, 2024))}",
          f"Client : {ORG}, {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}",
          f"Chantier : {pick(PROGRAMMES)}, {R.randint(1, 90)} {pick(STREETS)}", "",
          f"{'Désignation':<40}{'EAN':<16}{'Qté':>5}{'Montant':>14}")
    for _ in range(R.randint(3, 6)):
        d.add(f"{pick(['Joint silicone', 'Robinet thermostatique', 'Bloc porte', 'Ampoule LED', 'Flexible inox']):<40}"
              f"{ean13():<16}{R.randint(1, 20):>5}{amount(10, 3000):>14}")
    d.add("", f"Total HT : {amount(1000, 12000)} €   TVA 20 % : {amount(200, 2400)} €   Total TTC : {amount(1200, 14400)} €",
          f"Échéance : {dmy(day(2024, 2024))}", f"Règlement par virement : {group4(make_iban())} – BIC AGRIFRPP",
          f"Pénalités de retard : 3 fois le taux légal. Numéro de commande : {uuid4()}")
    return d


def gen_inventory():
    d = Doc("informatique/inventaire_postes.csv")
    d.add("hostname;numero_serie;os;version_agent;firmware;oid_modele;uuid;derniere_connexion;date_achat")
    for n in range(18):
        d.add(f"PC-{pick(['VILLEF', 'TARARE', 'BELLEV'])}-{n:03d};{''.join(pick('0123456789ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(10))};"
              f"Windows 11 {version()};v{version()};{version()};1.3.6.1.4.1.{R.randint(100, 50000)}.{R.randint(1, 9)}.{R.randint(1, 99)};"
              f"{uuid4()};{day(2024, 2024).isoformat()} {R.randint(7, 18):02d}:{R.randint(0, 59):02d};{dmy(day(2019, 2023))}")
    return d


def gen_release_notes():
    d = Doc("informatique/notes_de_version.txt")
    d.add("GestLoc – notes de version", "")
    for _ in range(6):
        v = version()
        d.add(f"Version {v} (build {R.randint(1000, 9999)}) – publiée le {dmy(day(2023, 2024))}",
              f"  - correctif du module de quittancement (release {version()}, paquet gestloc-{v}.msi)",
              f"  - mise à jour du connecteur CAF v{version()} ; identifiant OID 1.2.250.1.{R.randint(100, 999)}.{R.randint(1, 9)}.{R.randint(1, 9)}",
              f"  - schéma {uuid4()}", "")
    d.add(f"Serveur de recette : build {version()} sur l'hôte srv-recette (port 8443).")
    return d


def gen_app_log(people):
    d = Doc("informatique/extranet_connexions.log")
    for n in range(30):
        p = pick(people)
        ip = f"{pick([78, 82, 86, 90, 92, 176, 212])}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        t = f"2024-05-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}+02:00"
        d.add(f"{t} INFO extranet[{R.randint(1000, 9999)}] v{version()} login ok user={p.email} ip={ip} "
              f"session={uuid4()}")
        d.person(p, kinds=("email",))
        d.lab("ip", ip)
        if n % 7 == 0:
            d.add(f"{t} DEBUG extranet agent build {version()} oid=1.3.6.1.4.1.{R.randint(1000, 9999)}.1.{R.randint(1, 9)}")
    return d


# --------------------------------------------------------------------------

def main():
    S = SUBJ
    for i in range(3):
        emit(*gen_application(i))
    emit(*gen_application(3, S["thi_lan_nguyen"]))
    emit(*gen_application(4, S["helene_lefevre"], fmt="txt"))
    emit(*gen_application(5, fmt="txt"))
    for i in range(4):
        emit(gen_caf_letter(i))
    emit(gen_caf_letter(4, S["karim_benhamou"]))
    emit(gen_caf_letter(5, S["lan_nguyen"]))
    for i in range(4):
        emit(gen_arrears(i))
    emit(gen_arrears(4, S["marc_girard"]))
    emit(gen_arrears(5, S["nadia_roux"]))
    emit(gen_interventions(0, [Person() for _ in range(8)] + [S["thi_lan_nguyen"], S["sylvie_girard"]]
                           + [Person() for _ in range(4)]))
    emit(gen_interventions(1, [Person() for _ in range(5)] + [S["karim_benhamou"], S["helene_lefevre"]]
                           + [Person() for _ in range(5)]))
    emit(*gen_hr(0, [Person() for _ in range(4)] + [S["nadia_roux"]] + [Person() for _ in range(7)]))
    emit(*gen_hr(1, [Person() for _ in range(9)]))
    emit(gen_minutes(0, [S["marc_girard"], Person(), S["lan_nguyen"], Person(), Person(), Person()]))
    emit(gen_minutes(1, [Person(), Person(), S["helene_lefevre"], Person(), S["thi_lan_nguyen"], Person()]))
    emit(gen_minutes(2, [Person() for _ in range(6)]))
    emit(*gen_json(0, [[S["marc_girard"], S["sylvie_girard"]], [Person()], [S["karim_benhamou"]],
                       [Person(), Person()], [S["nadia_roux"]]]))
    emit(*gen_json(1, [[Person()], [Person(), Person()], [S["lan_nguyen"]], [Person()]]))
    emit(*gen_json(2, [[Person(), Person()], [S["thi_lan_nguyen"]], [Person()], [Person()]], flat=True))
    for i in range(4):
        emit_thread(gen_mbox(i))
    emit_thread(gen_mbox(4, S["sylvie_girard"]))
    emit_thread(gen_mbox(5, S["karim_benhamou"]))
    for i in range(4):
        emit(gen_invoice(i))
    emit(gen_inventory())
    emit(gen_release_notes())
    emit(gen_app_log([S["nadia_roux"], S["helene_lefevre"]] + [Person() for _ in range(5)]))

    files = hb.write_set(OUT, CORPUS, DOCS, SEED, SUBJ, REQUESTS,
                         f"# {ORG}'s own values (see eval/README.md)\n"
                         f"phone: {ORG_PHONE}\niban: {ORG_IBAN}\n"
                         f"address: {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}\n")
    n = sum(len(v) for v in files.values())
    print(f"{len(DOCS)} files, {n} labels -> {os.path.relpath(CORPUS)}")


if __name__ == "__main__":
    sys.exit(main())
