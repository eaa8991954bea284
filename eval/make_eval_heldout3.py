#!/usr/bin/env python3
"""Write the third held-out set: eval/heldout3/corpus/ and eval/heldout3/labels.json.

Written in session 15 before reading the detectors' code, in shapes the first two held-out
sets lack: payslips with the employer's SIRET and IBAN beside the employee's (.docx and .txt),
rent-arrears statements as tables (`Locataire`, `Logement`, `Solde`; .xlsx), lease contracts
with guarantor blocks (.docx), CAF attestations whose reference numbers look like NIRs or
phones, works orders naming caretakers and companies named after people, minutes naming
residents by surname only, an HR sheet with split name columns (`Nom`, `Prénom`, `Nom
d'usage`), a supplier sheet with a SIRET column, an intervention tool's NDJSON export,
web-server logs with IPs and URL-encoded e-mails in query strings, single .eml messages, a zip,
and decoys: NIRs with a wrong key, IBANs with a bad check, SIRET/SIREN, invoice numbers, EAN-13,
dates that are not birth dates, streets, schools and a crèche named after famous people,
companies carrying surnames, names with particles (`Ould`, `Ben`, `de La`, `Le`) and compound
first names (`Thi Lan`, `Marie-Claire`).

People, checksums and the set writer come from heldout_base.py (its name lists are replaced by
this set's before any person is drawn); labels follow eval/README.md. `labels.json["requests"]`
are the access requests eval/subject_check.py runs with `--set heldout3`.

Needs openpyxl and python-docx. Deterministic: same files every run.
"""

import datetime
import io
import json
import os
import sys
import urllib.parse
import zipfile

import heldout_base as hb
from heldout_base import (Doc, Person, bad_iban, bad_nir, deaccent, dmy, e164, ean13, fmt_nir, fmt_phone,
                          group4, long_date, make_iban, siren, siret, tva)
from heldout_base import emit, money as amount
from make_eval_heldout2 import day, fix_zip_times, name_lab

SEED = 20261215
hb.R.seed(SEED)
hb.USED.clear()
R = hb.R
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout3")
CORPUS = os.path.join(OUT, "corpus")

ORG = "Foyer Dauphinois Habitat"
ORG_DOMAIN = "foyer-dauphinois.fr"
ORG_ADDR = ("4 avenue Alsace-Lorraine", "38000", "Grenoble")
ORG_PHONE = "04 76 85 21 00"
ORG_IBAN = make_iban()
ORG_SIRET = siret()

# This set's names: particles and compound first names; heldout_base.Person draws from these.
hb.FIRST_F = """Thi Lan|Marie-Claire|Anne-Laure|Marie-Thérèse|Soraya|Nadège|Ghislaine|Maryvonne|Annick|
Gwenola|Armelle|Fatou|Aïssatou|Khadija|Leïla|Salimata|Thi Hoa|Ngoc Anh|Elisabeta|Rosa|Margot|Capucine|
Laurine|Justine|Pauline|Ophélie|Bérénice|Maëva|Chantal|Danielle|Yvette|Odette""".replace("\n", "").split("|")
hb.FIRST_M = """Jean-Luc|Pierre-Alain|Jean-Marc|Mohamed|Sami|Youcef|Hamza|Lassana|Mamadou|Yann|Ronan|
Goulven|Loïc|Erwan|Bastien|Clément|Romain|Anthony|Jordan|Quentin|Vincent|Alain|Patrice|Daniel|Francis|
Hocine|Mourad|Tarek|Ahmed|Cheikh|Văn Minh|Quoc Bao|Dorin|Ionut|Andrei""".replace("\n", "").split("|")
hb.SURNAMES = """Ould Ahmed|Ould Sidi|Ben Amor|Ben Salem|Ben Hadj|de La Tour|de La Roche|Le Gall|Le Berre|
Le Corre|Le Meur|Pham|Nguyen|Vu|Trinh|Bah|Barry|Diaw|Ndour|Tall|Chabert|Reynaud|Rey|Bouvier|Jacquier|
Berthet|Pellet|Chevallier|Guillot|Ravier|Gros|Buisson|Magnin|Mollard|Baudin|Pellissier|Rostaing|Favre|
Bonnard|Villard|Martinez|Sanchez|Gomes|Pinto|Rocha|Tavares|Stoica|Munteanu|Dumitru|Zaoui|Saadi|
Hadjadj|Mansouri|Cherki""".replace("\n", "").split("|")
hb.PLACES = [("38000", "Grenoble"), ("38100", "Grenoble"), ("38130", "Échirolles"), ("38400", "Saint-Martin-d'Hères"),
             ("38600", "Fontaine"), ("38120", "Saint-Égrève"), ("38170", "Seyssinet-Pariset"),
             ("38320", "Eybens"), ("38500", "Voiron"), ("38200", "Vienne"), ("38300", "Bourgoin-Jallieu"),
             ("38080", "L'Isle-d'Abeau"), ("38190", "Villard-Bonnot"), ("38560", "Jarrie")]
hb.STREETS = ["rue Jean Jaurès", "avenue Marcel Cachin", "cours Jean Jaurès", "rue Anatole France",
              "avenue Victor Hugo", "rue Jules Vallès", "allée Pablo Neruda", "rue Lamartine",
              "rue Paul Claudel", "place de la Libération", "rue des Alpes", "chemin du Vercors",
              "rue de Belledonne", "avenue de la Chartreuse", "impasse des Noyers", "rue du Drac",
              "boulevard Joseph Vallier", "rue Colonel Dumont", "avenue Général de Gaulle",
              "rue Mozart", "rue Eugène Sue", "rue de Stalingrad"]
hb.MAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "sfr.fr", "laposte.net", "hotmail.fr", "yahoo.fr",
                   "numericable.fr", "outlook.com", "protonmail.com"]
pick, chance = hb.pick, hb.chance

# Places and companies named after people: the person in them is no one's data.
SCHOOLS = ["la crèche Françoise Dolto", "l'école Jules Ferry", "le collège Charles Münch", "le lycée Marie Curie",
           "la crèche Louise Michel", "le gymnase Jean-Claude Killy", "la bibliothèque Paul Éluard",
           "la salle Olympe de Gouges", "l'école maternelle Jean de La Fontaine"]
COMPANIES = [("SARL Le Gall Plomberie", "7 rue des Glairons", "38400", "Saint-Martin-d'Hères"),
             ("Transports Ben Amor", "22 avenue de l'Industrie", "38130", "Échirolles"),
             ("Menuiserie Chabert et Fils", "3 chemin des Carrières", "38120", "Saint-Égrève"),
             ("Électricité Rey SAS", "15 rue Ampère", "38000", "Grenoble"),
             ("Boulangerie Berthet", "2 place Grenette", "38000", "Grenoble"),
             ("Nettoyage Reynaud Services", "48 cours Berriat", "38000", "Grenoble")]

# Staff of the organisation (personal data, labelled) and caretakers.
STAFF = [hb.staff_person("Anne-Laure", "Magnin", "F"), hb.staff_person("Ronan", "Le Meur", "M"),
         hb.staff_person("Soraya", "Zaoui", "F")]
for _s in STAFF:
    _s.email = f"{deaccent(_s.first).lower().replace('-', '')}.{deaccent(_s.last).lower().replace(' ', '')}@{ORG_DOMAIN}"
CARETAKERS = [Person("M", "Lassana", "Bah"), Person("F", "Maryvonne", "Le Corre"), Person("M", "Dorin", "Stoica")]


def subject(key, sex, first, last, born, street, place):
    p = Person(sex, first, last, born, street, place, key)
    return p


SUBJ = {
    "mohamed_ould_ahmed": subject("mohamed_ould_ahmed", "M", "Mohamed", "Ould Ahmed", datetime.date(1969, 6, 3),
                                  "rue Jules Vallès", ("38400", "Saint-Martin-d'Hères")),
    "marie_claire_de_la_tour": subject("marie_claire_de_la_tour", "F", "Marie-Claire", "de La Tour",
                                       datetime.date(1981, 11, 17), "rue Lamartine", ("38100", "Grenoble")),
    "thi_lan_pham": subject("thi_lan_pham", "F", "Thi Lan", "Pham", datetime.date(1990, 2, 8), "allée Pablo Neruda",
                            ("38130", "Échirolles")),
    "lan_pham": subject("lan_pham", "F", "Lan", "Pham", datetime.date(1987, 9, 21), "rue du Drac",
                        ("38600", "Fontaine")),
    "yann_le_gall": subject("yann_le_gall", "M", "Yann", "Le Gall", datetime.date(1996, 4, 30), "rue Mozart",
                            ("38000", "Grenoble")),
    "annick_le_gall": subject("annick_le_gall", "F", "Annick", "Le Gall", datetime.date(1962, 1, 15),
                              "chemin du Vercors", ("38170", "Seyssinet-Pariset")),
    "sami_ben_amor": subject("sami_ben_amor", "M", "Sami", "Ben Amor", datetime.date(1984, 7, 7), "rue Eugène Sue",
                             ("38100", "Grenoble")),
}
S = SUBJ
S["mohamed_ould_ahmed"].email = "m.ouldahmed@orange.fr"
S["marie_claire_de_la_tour"].email = "mc.delatour@free.fr"
S["thi_lan_pham"].email = "thilan.pham@gmail.com"
S["lan_pham"].email = "lan.pham87@laposte.net"
S["yann_le_gall"].email = "yann.legall@protonmail.com"
S["annick_le_gall"].email = "annick.legall38@orange.fr"
S["sami_ben_amor"].email = "sami.benamor@hotmail.fr"

REQUESTS = [
    {"who": "mohamed_ould_ahmed", "args": ["--name", "Mohamed Ould Ahmed", "--birthdate", "1969-06-03"]},
    {"who": "marie_claire_de_la_tour", "args": ["--name", "Marie-Claire de La Tour"]},
    {"who": "thi_lan_pham", "args": ["--name", "Thi Lan Pham"]},
    {"who": "lan_pham", "args": ["--name", "Lan Pham", "--email", "lan.pham87@laposte.net"]},
    {"who": "yann_le_gall", "args": ["--name", "Yann Le Gall"]},
    {"who": "annick_le_gall", "args": ["--name", "ANNICK LE GALL"]},
    {"who": "sami_ben_amor", "args": ["--name", "Sami Ben Amor", "--birthdate", "1984-07-07"]},
]

DOCS = hb.DOCS  # heldout_base.emit appends here


def upper_last(p):
    return f"{p.first} {p.last.upper()}"


def docx_bytes(paragraphs, tables=()):
    """A .docx of `paragraphs`, then `tables` (lists of rows), with fixed zip times."""
    import docx
    doc = docx.Document()
    for t in paragraphs:
        doc.add_paragraph(t)
    for rows in tables:
        tab = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                tab.cell(r, c).text = str(v)
    doc.core_properties.author = ""
    buf = io.BytesIO()
    doc.save(buf)
    return fix_zip_times(buf.getvalue())


def xlsx_bytes(sheets):
    """A .xlsx of `sheets` ((title, rows)); datetime cells shown as dates."""
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
            for c, v in enumerate(row, 1):
                if isinstance(v, datetime.datetime):
                    ws.cell(row=ws.max_row, column=c).number_format = "DD/MM/YYYY"
    buf = io.BytesIO()
    wb.save(buf)
    return fix_zip_times(buf.getvalue())


def letter_head():
    return [ORG, f"{ORG_ADDR[0]} – {ORG_ADDR[1]} {ORG_ADDR[2]}", f"Standard : {ORG_PHONE} – SIRET {ORG_SIRET}", ""]


# --------------------------------------------------------------------------
# Payslips: employer SIRET/IBAN beside the employee's NIR/IBAN
# --------------------------------------------------------------------------

def gen_payslip(i, p=None, fmt="txt"):
    p = p or Person()
    d = Doc(f"paie/bulletin_{deaccent(p.last).lower().replace(' ', '_')}_{i:02d}.{fmt}")
    period = day(2024, 2024)
    employer_iban = ORG_IBAN
    lines = [f"BULLETIN DE PAIE – {hb.MONTHS[period.month - 1].upper()} {period.year}", "",
             f"Employeur : {ORG}", f"{ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}",
             f"SIRET : {ORG_SIRET}   Code NAF : 6820A   URSSAF Rhône-Alpes n° {R.randint(10**11, 10**12 - 1)}",
             f"Compte de l'employeur : {group4(employer_iban)}", "",
             f"Salarié(e) : {pick([p.civ_long, p.civ])} {upper_last(p)}",
             f"Adresse : {p.street_line()}, {p.cp} {p.city}",
             f"N° de sécurité sociale : {fmt_nir(p.nir)}",
             f"Matricule : {R.randint(1000, 9999)}   Emploi : {pick(['Gardien(ne) d’immeuble', 'Chargé(e) de clientèle', 'Agent technique'])}",
             f"Date d'entrée : {dmy(day(2010, 2022))}   Convention collective : OPH (IDCC 3220)", "",
             f"Salaire de base ........ {amount(1700, 3200)} €", f"Heures supplémentaires ........ {amount(0, 300)} €",
             f"CSG déductible ........ {amount(80, 200)} €", f"Net à payer avant impôt ........ {amount(1300, 2600)} €",
             f"Net payé le {dmy(period.replace(day=28))} par virement sur {group4(p.iban)}", "",
             "Conservez ce bulletin sans limitation de durée."]
    name_lab(d, p, upper_last(p))
    d.person(p, kinds=("address", "nir", "iban"))
    if fmt == "txt":
        d.add(*lines)
        return d, None
    return d, docx_bytes(lines)


# --------------------------------------------------------------------------
# Rent-arrears statements (xlsx tables)
# --------------------------------------------------------------------------

def gen_arrears_sheet(i, people):
    d = Doc(f"contentieux/etat_impayes_{2024 - i}.xlsx")
    rows = [[f"{ORG} – état des impayés au {dmy(day(2024, 2024))}"], [],
            ["N° contrat", "Locataire", "Logement", "Code postal", "Commune", "Solde", "Dernier paiement",
             "Référence facture"]]
    for p in people:
        rows.append([f"C{R.randint(100000, 999999)}", f"{p.last.upper()} {p.first}", p.street_line(), p.cp, p.city,
                     float(R.randint(-50000, 300000)) / 100,
                     datetime.datetime(2024, R.randint(1, 12), R.randint(1, 28)),
                     f"FAC-2024-{R.randint(10000, 99999)}"])
        name_lab(d, p)
        d.person(p, kinds=("address",))
    rows += [[], ["Total", "", "", "", "", 0.0]]
    return d, xlsx_bytes([("Impayés", rows)])


# --------------------------------------------------------------------------
# Lease contracts with a guarantor block (docx)
# --------------------------------------------------------------------------

def gen_lease(i, tenant, guarantor=None, cotenant=None):
    d = Doc(f"baux/bail_{deaccent(tenant.last).lower().replace(' ', '_')}_{i:02d}.docx")
    g = guarantor or Person()
    prog = pick(["Résidence Les Edelweiss", "Résidence Jean Macé", "Le Clos des Alpes", "Résidence Paul Mistral"])
    flat = f"Appartement n° {R.randint(1, 60)}, {R.randint(0, 8)}e étage"
    paras = ["CONTRAT DE LOCATION – LOGEMENT CONVENTIONNÉ", "", "ENTRE LES SOUSSIGNÉS :",
             f"{ORG}, office public de l'habitat, {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}, SIRET {ORG_SIRET},",
             "ci-après dénommé « le bailleur », représenté par "
             f"{STAFF[0].first} {STAFF[0].last}, responsable de la gestion locative,", "",
             "ET :", f"{tenant.civ_long} {tenant.first} {tenant.last.upper()}, né{'e' if tenant.sex == 'F' else ''} le "
             f"{long_date(tenant.born)}, demeurant actuellement {tenant.street_line()}, {tenant.cp} {tenant.city},"]
    name_lab(d, tenant, upper_last(tenant))
    d.person(tenant, kinds=("birthdate", "address"))
    d.lab("name", STAFF[0].first + " " + STAFF[0].last)
    if cotenant:
        paras.append(f"et {cotenant.civ_long} {cotenant.first} {cotenant.last.upper()}, né{'e' if cotenant.sex == 'F' else ''} "
                     f"le {dmy(cotenant.born)},")
        name_lab(d, cotenant, upper_last(cotenant))
        d.person(cotenant, kinds=("birthdate",))
    num = R.randint(1, 40)
    paras += ["ci-après dénommé(s) « le locataire ».", "", "ARTICLE 1 – OBJET",
              f"Le bailleur loue au locataire le logement situé {prog}, {flat}, {num} rue de Belledonne, "
              f"38100 Grenoble, à compter du {dmy(day(2024, 2024))}.",
              f"Le logement est situé à proximité de {pick(SCHOOLS)} et de {pick(SCHOOLS)}.", "",
              "ARTICLE 2 – LOYER", f"Loyer mensuel : {amount(300, 700)} € ; provision pour charges : {amount(40, 150)} €.",
              f"Dépôt de garantie : {amount(300, 700)} €. Référence de l'offre : {R.randint(10**9, 10**10 - 1)}.", "",
              "ARTICLE 3 – ACTE DE CAUTIONNEMENT", "La personne soussignée se porte caution solidaire :",
              f"Nom : {g.last.upper()}", f"Prénom(s) : {g.first}",
              f"Date de naissance : {dmy(g.born)}",
              f"Adresse : {g.street_line()}", f"Code postal : {g.cp}      Ville : {g.city}",
              f"Téléphone : {fmt_phone(g.mobile)}", f"Lien avec le locataire : {pick(['parent', 'ami(e)', 'employeur'])}",
              "", f"Fait à Grenoble, le {long_date(day(2024, 2024))}, en deux exemplaires.",
              "Le bailleur                                   Le locataire                                   La caution"]
    name_lab(d, g, f"{g.first} {g.last.upper()}")
    d.person(g, kinds=("birthdate", "address", "mobile"))
    # The dwelling let is the tenant's address to be: optional, as the flat offered in an
    # attribution commission's minutes is in the other sets.
    street = f"{num} rue de Belledonne, 38100 Grenoble"
    d.lab("address", f"{prog}, {flat}, {street}", alt=[f"{flat}, {street}", street], optional=True,
          who=tenant.who)
    return d, docx_bytes(paras)


# --------------------------------------------------------------------------
# CAF attestations: reference numbers that look like NIRs or phones
# --------------------------------------------------------------------------

def gen_caf(i, p=None):
    p = p or Person()
    d = Doc(f"courriers/attestation_caf_{i:02d}.txt")
    fake_nir = bad_nir()
    ref_phone = "0" + pick("4567") + "".join(str(R.randint(0, 9)) for _ in range(8))
    d.add(*letter_head(),
          " " * 48 + "Caisse d'allocations familiales de l'Isère",
          " " * 48 + "3 rue des Alliés", " " * 48 + "38051 GRENOBLE CEDEX 9", "",
          f"Grenoble, le {long_date(day(2024, 2024))}", "",
          "Objet : attestation de loyer et de résidence",
          f"N° allocataire : {R.randint(1000000, 9999999)}    Réf. dossier : {fmt_nir(fake_nir)}",
          f"Numéro de contrat : {ref_phone}", "", "Madame, Monsieur,", "",
          f"Nous attestons que {p.civ_long} {p.first} {p.last.upper()}, né{'e' if p.sex == 'F' else ''} le {dmy(p.born)}, "
          f"est locataire depuis le {dmy(day(2015, 2023))} du logement situé {p.street_line()}, {p.cp} {p.city}.",
          f"Le loyer principal s'élève à {amount(250, 650)} € et les charges à {amount(30, 120)} €.",
          f"Le logement se trouve en face de {pick(SCHOOLS)}.", "",
          f"{STAFF[2].first} {STAFF[2].last.upper()}", "Chargée de clientèle", f"Ligne directe : {ORG_PHONE}")
    name_lab(d, p, upper_last(p))
    d.person(p, kinds=("birthdate", "address"))
    d.lab("name", f"{STAFF[2].first} {STAFF[2].last.upper()}")
    return d


# --------------------------------------------------------------------------
# Works orders: caretakers, companies named after people, tenants
# --------------------------------------------------------------------------

def gen_works_order(i, p=None):
    p = p or Person()
    c = pick(COMPANIES)
    k = pick(CARETAKERS)
    sn = siren()
    d = Doc(f"travaux/bon_de_travaux_{i:03d}.txt")
    d.add(f"ORDRE DE SERVICE N° OS-2024-{R.randint(1000, 9999)}", f"Émis le {dmy(day(2024, 2024))}", "",
          f"Entreprise : {c[0]}", f"{c[1]}, {c[2]} {c[3]}", f"SIRET {siret(sn)} – TVA {tva(sn)}", "",
          f"Lieu d'intervention : {p.street_line()}, {p.cp} {p.city}",
          f"Occupant : {p.civ} {p.last.upper()} {p.first} – tél. {fmt_phone(p.mobile)}",
          f"Gardien(ne) à contacter : {k.first} {k.last} ({fmt_phone(k.mobile)})", "",
          f"Nature des travaux : {pick(['remplacement du ballon d’eau chaude', 'reprise d’étanchéité', 'débouchage colonne'])}",
          f"Matériel : réf. EAN {ean13()} ; devis n° D{R.randint(100000, 999999)} du {dmy(day(2024, 2024))}",
          f"Montant HT : {amount(200, 5000)} €", "",
          f"Visa du responsable technique : {STAFF[1].first} {STAFF[1].last}")
    name_lab(d, p, f"{p.first} {p.last.upper()}")
    d.person(p, kinds=("address", "mobile"))
    d.person(k, kinds=("name", "mobile"))
    d.lab("name", f"{STAFF[1].first} {STAFF[1].last}")
    return d


# --------------------------------------------------------------------------
# Minutes: residents by surname only
# --------------------------------------------------------------------------

def gen_minutes(i, residents):
    d = Doc(f"reunions/cr_amicale_{i:02d}.txt")
    d.add(f"AMICALE DES LOCATAIRES – COMPTE RENDU DU {long_date(day(2024, 2024)).upper()}",
          f"Lieu : salle commune, près de {pick(SCHOOLS)}", "")
    pres = []
    for p in residents[:5]:
        pres.append(f"{p.civ} {p.last}")
        d.lab("name", p.last, alt=[f"{p.civ} {p.last}"], who=p.who)
    d.add("Présents : " + ", ".join(pres) + ".", f"Pour le bailleur : {STAFF[1].civ} {STAFF[1].last}.", "")
    d.lab("name", STAFF[1].last, alt=[f"{STAFF[1].civ} {STAFF[1].last}"])
    a = residents[5]
    c = pick(COMPANIES)
    d.add("1. Propreté des parties communes",
          f"{a.civ} {a.last} rappelle que l'entreprise {c[0]} ne passe plus le jeudi.",
          f"{residents[0].civ} {residents[0].last} propose une lettre commune.", "",
          "2. Sorties", f"Sortie au musée Champollion le {dmy(day(2024, 2024))} ; inscriptions chez la "
          f"{pick(['Boulangerie Berthet', 'crèche Françoise Dolto'])}.", "",
          "3. Divers", f"La rue Jean Jaurès sera en travaux. Le gymnase Jean-Claude Killy rouvre en septembre.")
    d.lab("name", a.last, alt=[f"{a.civ} {a.last}"], who=a.who)
    return d


# --------------------------------------------------------------------------
# Sheets: HR with split name columns, suppliers with a SIRET column
# --------------------------------------------------------------------------

def gen_hr(people):
    d = Doc("rh/registre_personnel.xlsx")
    rows = [["Matricule", "Nom", "Prénom", "Nom d'usage", "Date de naissance", "N° sécurité sociale", "IBAN",
             "Date d'entrée", "Service"]]
    for n, p in enumerate(people):
        usage = pick(hb.SURNAMES) if p.sex == "F" and chance(0.5) else ""
        nir = p.nir if n != 2 else bad_nir()
        iban = p.iban if n != 4 else bad_iban()
        rows.append([f"M{R.randint(1000, 9999)}", p.last.upper(), p.first, usage.upper(),
                     datetime.datetime(p.born.year, p.born.month, p.born.day),
                     fmt_nir(nir), group4(iban), datetime.datetime(R.randint(2005, 2023), R.randint(1, 12), 1),
                     pick(["Gestion locative", "Proximité", "Maintenance", "Comptabilité"])])
        full = f"{p.first} {p.last.upper()}"
        alt = [f"{p.first} {usage.upper()}", f"{p.first} {p.last.upper()} {usage.upper()}"] if usage else None
        d.lab("name", full, alt=alt, who=p.who)
        d.person(p, kinds=("birthdate",))
        if n != 2:
            d.person(p, kinds=("nir",))
        if n != 4:
            d.person(p, kinds=("iban",))
    return d, xlsx_bytes([("Personnel", rows)])


def gen_suppliers():
    d = Doc("achats/fournisseurs.xlsx")
    rows = [["Raison sociale", "Adresse", "SIRET", "N° TVA", "Contact", "Téléphone standard"]]
    for c in COMPANIES:
        sn = siren()
        rows.append([c[0], f"{c[1]}, {c[2]} {c[3]}", siret(sn), tva(sn), "service commercial",
                     f"04 76 {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}"])
    return d, xlsx_bytes([("Fournisseurs", rows)])


# --------------------------------------------------------------------------
# NDJSON export of an intervention tool
# --------------------------------------------------------------------------

def gen_ndjson(people):
    d = Doc("exports/interventions.ndjson")
    out = []
    for p in people:
        k = pick(CARETAKERS)
        rec = {"id": R.randint(10**6, 10**7), "cree_le": f"{day(2024, 2024).isoformat()}T09:00:00Z",
               "statut": pick(["ouvert", "clos"]),
               "demandeur": {"nom": p.last.upper(), "prenom": p.first, "tel": fmt_phone(p.mobile), "mail": p.email},
               "lieu": {"voie": p.street_line(), "cp": p.cp, "commune": p.city},
               "intervenant": f"{k.first} {k.last}", "entreprise": pick(COMPANIES)[0],
               "materiel_ean": ean13(), "commentaire": f"Accès par le hall, près de {pick(SCHOOLS)}."}
        out.append(json.dumps(rec, ensure_ascii=False))
        name_lab(d, p, f"{p.first} {p.last.upper()}")
        d.person(p, kinds=("mobile", "email", "address"))
        d.person(k, kinds=("name",))
    return d, ("\n".join(out) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# Web-server logs: IPs, e-mails in query strings (URL-encoded)
# --------------------------------------------------------------------------

def gen_access_log(people):
    d = Doc("informatique/extranet_access.log")
    for n in range(36):
        p = pick(people)
        ip = hb.ip_public()
        t = f"{R.randint(1, 28):02d}/May/2024:{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} +0200"
        kind = n % 4
        if kind == 0:
            path = f"/extranet/mot-de-passe?email={urllib.parse.quote(p.email)}&lang=fr"
        elif kind == 1:
            path = f"/api/v2/locataire/recherche?mail={p.email}&page=1"
        elif kind == 2:
            path = f"/static/app.{R.randint(1, 9)}.{R.randint(0, 30)}.{R.randint(0, 9)}.js?build={R.randint(1000, 9999)}"
        else:
            path = f"/extranet/quittances/{R.randint(2023, 2024)}-{R.randint(1, 12):02d}.pdf"
        d.add(f'{ip} - - [{t}] "GET {path} HTTP/1.1" {pick([200, 200, 302, 404])} {R.randint(200, 90000)} '
              f'"-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0.{R.randint(1000, 9999)}.{R.randint(10, 99)}"')
        d.lab("ip", ip)
        if kind in (0, 1):
            d.person(p, kinds=("email",))
    return d


# --------------------------------------------------------------------------
# Single .eml messages
# --------------------------------------------------------------------------

def gen_eml(i, p=None):
    p = p or Person()
    s = pick(STAFF)
    d = Doc(f"mails/message_{i:02d}.eml")
    nb = Person()
    d.add(f"From: {p.first} {p.last} <{p.email}>", f"To: {s.first} {s.last} <{s.email}>",
          f"Subject: Dossier de {pick(['mutation', 'réclamation', 'demande de logement'])}",
          f"Date: Tue, {R.randint(1, 28)} May 2024 10:{R.randint(10, 59)}:00 +0200",
          f"Message-ID: <{R.randint(10**8, 10**9)}@{p.email.split('@')[1]}>", "MIME-Version: 1.0",
          "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
          f"Bonjour {s.civ_long} {s.last},", "",
          f"Suite à notre échange, ma voisine {nb.civ_long} {nb.first} {nb.last} ({fmt_phone(nb.mobile)}) "
          f"peut témoigner des nuisances. Mes enfants vont à {pick(SCHOOLS)}.",
          f"Ma facture EDF n° {R.randint(10**9, 10**10 - 1)} du {dmy(day(2024, 2024))} est jointe.", "",
          "Cordialement,", f"{p.first} {p.last.upper()}", f"{p.street_line()}", f"{p.cp} {p.city.upper()}",
          f"Tél. {fmt_phone(p.mobile)}")
    name_lab(d, p)
    d.person(p, kinds=("email", "address", "mobile"))
    d.lab("name", f"{s.first} {s.last}")
    d.lab("email", s.email)
    d.lab("name", s.last, alt=[f"{s.civ_long} {s.last}"], optional=True)
    d.person(nb, kinds=("name", "mobile"))
    return d


# --------------------------------------------------------------------------
# Decoys: invoice, checksum decoys, dates, famous names; a zip of closed files
# --------------------------------------------------------------------------

def gen_invoice(i):
    c = COMPANIES[i % len(COMPANIES)]
    sn = siren()
    d = Doc(f"factures/facture_{i:02d}.txt")
    d.add(c[0], c[1], f"{c[2]} {c[3]}", f"SIRET {siret(sn)} – SIREN {sn} – TVA {tva(sn)}", "",
          f"FACTURE N° F{R.randint(2024000, 2024999)}   du {dmy(day(2024, 2024))}   échéance {dmy(day(2024, 2024))}",
          f"Client : {ORG}, {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}", "")
    for _ in range(4):
        d.add(f"{pick(['Cartouche mitigeur', 'Siphon PVC', 'Ferme-porte', 'Détecteur de fumée']):<30}"
              f"EAN {ean13()}   {R.randint(1, 12)} x {amount(5, 300)} €")
    d.add("", f"Total TTC : {amount(100, 9000)} €", f"IBAN : {group4(make_iban())}  BIC : CEPAFRPP382",
          f"Commande n° {R.randint(10**9, 10**10 - 1)} – bon de livraison {R.randint(10**11, 10**12 - 1)}")
    return d


def gen_decoys():
    d = Doc("divers/controle_qualite_donnees.txt")
    d.add("Contrôle qualité des données – anomalies relevées (aucune donnée valide ci-dessous)", "",
          f"NIR refusés (clé erronée) : {fmt_nir(bad_nir())} ; {bad_nir()} ; {fmt_nir(bad_nir())}",
          f"IBAN refusés (clé de contrôle) : {group4(bad_iban())} ; {bad_iban()}",
          f"SIRET du fournisseur : {siret()} ; SIREN {siren()} ; EAN {ean13()} ; {ean13()}",
          f"Factures : F{R.randint(2024000, 2024999)}, F{R.randint(2024000, 2024999)} ; avoir n° 0{R.randint(400000000, 799999999)}",
          f"Date de mise en service : {dmy(day(2010, 2020))} ; date de naissance du programme : {dmy(day(1970, 1990))}",
          "", "Équipements de proximité : " + ", ".join(SCHOOLS) + ".",
          "Entreprises du marché : " + ", ".join(c[0] for c in COMPANIES) + ".",
          "Voies : " + ", ".join(hb.STREETS[:8]) + ".",
          "Exposition « Marie Curie et Pierre Curie » à la bibliothèque Paul Éluard.")
    return d


def gen_zip(people):
    inner = []
    for n, p in enumerate(people):
        d = Doc(f"dossier_{n:02d}_{deaccent(p.last).lower().replace(' ', '_')}.txt")
        d.add("DOSSIER CLOS – état des lieux de sortie", "",
              f"Locataire sortant : {p.last.upper()} {p.first}", f"Logement : {p.street_line()}, {p.cp} {p.city}",
              f"Né(e) le : {dmy(p.born)}", f"Nouvelle adresse : communiquée par courriel ({p.email})",
              f"Retenue sur dépôt de garantie : {amount(0, 600)} € (facture Le Gall Plomberie n° {R.randint(1000, 9999)})")
        name_lab(d, p)
        d.person(p, kinds=("address", "birthdate", "email"))
        inner.append(d)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for d in inner:
            zi = zipfile.ZipInfo(d.path, (2024, 1, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, d.text().encode("utf-8"))
    path = "archives/dossiers_sortis_2023.zip"
    DOCS.append((path, buf.getvalue(), None))
    for d in inner:
        DOCS.append((f"{path}::{d.path}", None, d.labels))


# --------------------------------------------------------------------------

def main():
    P = Person
    emit(*gen_payslip(0, fmt="docx"))
    emit(*gen_payslip(1, S["mohamed_ould_ahmed"], fmt="docx"))
    emit(*gen_payslip(2))
    emit(*gen_payslip(3, S["thi_lan_pham"]))
    emit(*gen_payslip(4, P("F", "Marie-Claire", "Pellet")))
    emit(*gen_arrears_sheet(0, [P(), S["sami_ben_amor"], P(), P(), S["lan_pham"], P(), P()]))
    emit(*gen_arrears_sheet(1, [P(), P(), P("M", None, "Ould Sidi"), P(), S["yann_le_gall"], P()]))
    emit(*gen_lease(0, S["yann_le_gall"], S["annick_le_gall"]))
    emit(*gen_lease(1, S["marie_claire_de_la_tour"]))
    emit(*gen_lease(2, P(), cotenant=P()))
    emit(*gen_lease(3, S["sami_ben_amor"], cotenant=P("F", "Thi Hoa", "Ben Amor")))
    for i in range(3):
        emit(gen_caf(i))
    emit(gen_caf(3, S["lan_pham"]))
    emit(gen_caf(4, S["mohamed_ould_ahmed"]))
    for i in range(4):
        emit(gen_works_order(i))
    emit(gen_works_order(4, S["annick_le_gall"]))
    emit(gen_works_order(5, S["marie_claire_de_la_tour"]))
    emit(gen_minutes(0, [S["yann_le_gall"], P(), S["mohamed_ould_ahmed"], P(), P(), P()]))
    emit(gen_minutes(1, [P(), P("M", None, "de La Roche"), P(), P("F", None, "Le Berre"), P(), P()]))
    emit(*gen_hr([S["thi_lan_pham"], P("F", "Marie-Claire"), P(), P("F", "Ngoc Anh"), P(), P("M", "Jean-Luc"),
                  P("F", "Thi Hoa"), P(), P("M", "Mohamed", "Ben Salem")]))
    emit(*gen_suppliers())
    emit(*gen_ndjson([P(), S["lan_pham"], P(), S["marie_claire_de_la_tour"], P(), P(), S["sami_ben_amor"], P()]))
    emit(gen_access_log([S["thi_lan_pham"], S["yann_le_gall"]] + [P() for _ in range(6)]))
    for i in range(2):
        emit(gen_eml(i))
    emit(gen_eml(2, S["annick_le_gall"]))
    emit(gen_eml(3, S["thi_lan_pham"]))
    for i in range(3):
        emit(gen_invoice(i))
    emit(gen_decoys())
    gen_zip([P(), S["lan_pham"], P(), P()])

    files = hb.write_set(OUT, CORPUS, DOCS, SEED, SUBJ, REQUESTS,
                         f"# {ORG}'s own values (see eval/README.md)\n"
                         f"phone: {ORG_PHONE}\niban: {ORG_IBAN}\n"
                         f"address: {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}\n")
    n = sum(len(v) for v in files.values())
    print(f"{len(DOCS)} files, {n} labels -> {os.path.relpath(CORPUS)}")


if __name__ == "__main__":
    sys.exit(main())
