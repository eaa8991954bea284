#!/usr/bin/env python3
"""Write the fourth held-out set: eval/heldout4/corpus/, eval/heldout4/labels.json and
eval/heldout4/allow.txt.

Written in session 16 without reading the detectors' code (src/, patterns/, tests/, fixtures/),
for shapes the first three held-out sets lack, at another association (`Habitat Loire Océan`,
Nantes and Saint-Nazaire, real 44xxx postcode/commune pairs):

  * real PDFs with a text layer (reportlab): tenant letters (recipient block with residence,
    building and flat, references, body naming neighbours and caretakers, a letterhead beside
    the recipient), payslips (the employer's SIRET/URSSAF/IBAN are not personal; the employee's
    name, address, NIR and IBAN are), rent-arrears notices with the tenant's IBAN for the direct
    debit, supplier invoices under the supplier's letterhead (its IBAN/SIRET: unlabelled);
  * .odt letters (odfpy), .docx leases with co-tenants and a guarantor block (python-docx);
  * HTML: an intranet staff directory and saved tenant-portal pages with a form's filled values;
  * a vCard contact export, an .ics calendar (ORGANIZER/ATTENDEE `CN=…:mailto:…`, LOCATION);
  * a SQL dump (`INSERT INTO locataires (…) VALUES (…), (…);`);
  * Apache/nginx combined logs whose query strings carry what a form sends
    (`nom=Van+den+Broeck&prenom=Marin`, `email=…%40…`, `tel=06+12+…`, `tel=%2B336…`), an nginx
    error log (client IPs labelled; internal upstream addresses optional, as in held-out 1);
  * CSV variants: Excel "Texte Unicode" (UTF-16 LE with BOM, tabs), Windows-1252 `;`, a header on
    row 3 under a title;
  * JSON keyed by tenant id, a YAML on-call list; Markdown minutes (`- Mme Le Bihan (bât. C)`),
    phone-call notes;
  * .eml with a quoted-printable HTML body and a base64 CSV attachment (labelled under
    `<file>::<attachment name>`, the SPEC's entry), an .mbox thread (`::message N`, as held-out 2);
  * an .xlsx with a two-row title above the header, a `NOM Prénom` column and a hidden sheet;
  * a .zip of a few of the above (members labelled `<zip>::<member>`, as held-out 3);
  * decoys: SIRET/SIREN/TVA, invoice/order numbers, EAN-13, IMEI (Luhn-valid), parcel numbers
    (UPU S10), bad-key NIRs and IBANs, the organisation's own IBAN/switchboard/addresses
    (allow.txt), suppliers' IBANs, dates that are not birth dates (`Mai 2024`), streets, schools and
    rooms named after people, firms carrying surnames, GPS coordinates, MAC addresses, versions,
    hex ids and UUIDs.

Names: first names that are also words or months (`Mai`, `Rose`, `Olive`, `Pascal`, `Marin`),
compound first names, particles (`Van den`, `de`, `Le`, `Ben`, `Ould`), Vietnamese order
(`Mme Nguyen Thi Mai`, labelled `Thi Mai Nguyen` accepting the written order), Portuguese double
surnames (`Ferreira da Silva`). Labels follow eval/README.md; `labels.json["requests"]` are the
access requests for eval/subject_check.py.

People, checksums and the set writer come from heldout_base.py (its lists are replaced here
before any person is drawn, as make_eval_heldout3.py does).

Needs: openpyxl, python-docx, odfpy, reportlab
(`pip install --break-system-packages openpyxl python-docx odfpy reportlab`).
Deterministic: same bytes every run (fixed seed, fixed zip times, reportlab invariant mode).
"""

import base64
import datetime
import io
import ipaddress
import json
import os
import quopri
import re
import sys
import urllib.parse
import zipfile

import heldout_base as hb
from heldout_base import (Doc, bad_iban, bad_nir, deaccent, dmy, e164, ean13, group4, long_date, make_iban,
                          siren, siret, tva)
from heldout_base import money as amount
from make_eval_heldout2 import day, fix_zip_times, name_lab, uuid4, version

SEED = 20261216
hb.R.seed(SEED)
hb.USED.clear()
R = hb.R
pick, chance = hb.pick, hb.chance
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout4")
CORPUS = os.path.join(OUT, "corpus")

ORG = "Habitat Loire Océan"
ORG_DOMAIN = "habitat-loire-ocean.fr"
ORG_ADDR = ("3 boulevard de Berlin", "44000", "Nantes")
AGENCY_ADDR = ("12 avenue de la République", "44600", "Saint-Nazaire")
ORG_PHONE = "02 40 35 60 00"
AGENCY_PHONE = "02 40 22 51 00"
ORG_IBAN = make_iban()
ORG_SIRET = siret()
ORG_ICS = f"FR{R.randint(10, 99)}ZZZ{R.randint(100000, 999999)}"

hb.FIRST_F = """Mai|Rose|Olive|Marie-Josée|Anne-Sophie|Thi Hong|Maëlle|Nolwenn|Rozenn|Gwenaëlle|Fatima Zahra|
Aminata|Mariana|Ana Rita|Joana|Ioana|Nour|Yasmine|Aïcha|Zoé|Clémence|Violette|Aurore|Ewa|Dorota|Oumou|
Solenn|Hoài Thu|Marie-Laure|Bénédicte""".replace("\n", "").split("|")
hb.FIRST_M = """Pascal|Marin|Jean-Yves|Pierre-Louis|Jean-Baptiste|Loïc|Gwenaël|Yannick|Erwann|Mathurin|Ibrahima|
Moussa|Abdou|Kofi|Chinedu|Tiago|João|Rui Miguel|Diogo|Hicham|Nabil|Samir|Reda|Florin|Radu|Tomasz|
Duc Anh|Van Long|Minh Tuan|Olivier|Armand|Gildas""".replace("\n", "").split("|")
hb.SURNAMES = """Le Bihan|Le Roux|Le Pape|Le Guen|Le Moal|de Kerguelen|de Lestang|Van den Broeck|Van Hoof|
Van Acker|Ben Youssef|Ben Ali|Ben Mansour|Ould Brahim|Ould Cheikh|Ferreira da Silva|Gonçalves Pereira|
Sousa Santos|da Costa Martins|Nguyen|Tran|Pham|Hoang|Diop|Sarr|Kane|Mendy|Tshibangu|Mukendi|Okafor|
Adeyemi|Rakotomalala|Haddou|Bouzid|El Amrani|Kowalska|Zielinski|Novak|Dimitrov|Papadopoulos|Ricci|Gallo|
Schneider|N'Guessan|O'Neill|Rialland|Guilbaud|Bréhéret|Jaunet|Chauvet|Bouchaud|Josse|Kerhervé|Guérin|
Hervouet|Pasquier|Marchais|Cottineau|Bourdais|Pichon|Leray|Mahé""".replace("\n", "").split("|")
hb.PLACES = [("44000", "Nantes"), ("44100", "Nantes"), ("44200", "Nantes"), ("44300", "Nantes"),
             ("44600", "Saint-Nazaire"), ("44600", "Saint-Nazaire"), ("44400", "Rezé"), ("44800", "Saint-Herblain"),
             ("44700", "Orvault"), ("44230", "Saint-Sébastien-sur-Loire"), ("44240", "La Chapelle-sur-Erdre"),
             ("44340", "Bouguenais"), ("44500", "La Baule-Escoublac"), ("44550", "Montoir-de-Bretagne"),
             ("44350", "Guérande"), ("44570", "Trignac"), ("44110", "Châteaubriant"), ("44470", "Carquefou"),
             ("44980", "Sainte-Luce-sur-Loire"), ("44380", "Pornichet"), ("44160", "Pontchâteau"),
             ("44120", "Vertou")]
hb.STREETS = ["rue Jules Verne", "boulevard Victor Hugo", "rue Aristide Briand", "rue du Général Buat",
              "quai de la Fosse", "rue de Strasbourg", "allée des Tanneurs", "rue Paul Bellamy",
              "boulevard Jean Moulin", "rue des Hauts-Pavés", "avenue de la Libération", "rue de la Ville-en-Bois",
              "boulevard Schuman", "rue Anne de Bretagne", "rue Henri Gautier", "avenue Albert de Mun",
              "rue Jean Jaurès", "rue des Chantiers", "route de Vannes", "chemin de la Houssinière",
              "impasse des Mouettes", "rue du Port", "allée des Pêcheurs", "rue de l'Étoile du Matin",
              "boulevard de la Légion d'Honneur", "rue Lamoricière"]
hb.MAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "sfr.fr", "laposte.net", "hotmail.fr", "yahoo.fr",
                   "outlook.fr", "wanadoo.fr", "bbox.fr"]

PROGRAMMES = ["Résidence Les Mouettes", "Résidence Jules Verne", "Le Clos Anne de Bretagne", "Résidence Les Salorges",
              "Résidence Océane", "Résidence Aristide Briand", "Les Terrasses de la Loire", "Résidence Ker Avel"]
SCHOOLS = ["l'école Aristide Briand", "le collège Jules Verne", "la salle Anne de Bretagne", "le lycée Gabriel Guist'hau",
           "la médiathèque Jacques Demy", "le gymnase Pierre de Coubertin", "la crèche Simone Veil",
           "le centre social Jacques Prévert", "la maison de quartier Jean Moulin"]
# Firms (some carrying surnames): name, street, postcode, city, phone
COMPANIES = [("Plomberie Durand SARL", "7 rue des Artisans", "44470", "Carquefou", "02 40 52 18 30"),
             ("Menuiserie Guilbaud & Fils", "ZA de la Gare, 4 rue de l'Industrie", "44160", "Pontchâteau", "02 40 01 44 72"),
             ("Électricité Le Guen SAS", "18 rue Henri Gautier", "44600", "Saint-Nazaire", "02 40 66 09 15"),
             ("Transports Ben Ali", "5 rue de la Pâtisserie", "44300", "Nantes", "02 51 13 77 20"),
             ("Atlantique Ascenseurs SA", "27 boulevard des Martyrs Nantais", "44200", "Nantes", "02 40 89 12 00"),
             ("Nettoyage Océane Services", "9 rue des Frères Lumière", "44800", "Saint-Herblain", "02 28 03 45 60")]


def make_phone(mobile=True):
    if mobile:
        p = pick(["06", "06", "07"])
        p += str(R.randint(0, 9)) if p == "06" else str(R.randint(5, 8))
        return p + "".join(str(R.randint(0, 9)) for _ in range(7))
    return "02" + pick(["40", "51", "28", "53"]) + "".join(str(R.randint(0, 9)) for _ in range(6))


hb.make_phone = make_phone  # heldout_base.Person draws its phones with this


class Person(hb.Person):
    """A person of this set: NIR born in Loire-Atlantique or nearby, e-mail without apostrophes."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        dep = pick(["44", "44", "44", "85", "49", "56", "35", "99", "75"])
        body = f"{1 if self.sex == 'M' else 2}{self.born.year % 100:02d}{self.born.month:02d}" \
               f"{dep}{R.randint(1, 380):03d}{R.randint(1, 999):03d}"
        self.nir = body + f"{hb.nir_key(body):02d}"
        self.email = re.sub(r"[^a-z0-9._@-]", "", self.email.lower())
        self.res = pick(PROGRAMMES)
        self.bat = pick("ABCDE")
        self.appt = R.randint(1, 64)


P = Person


def staff(first, last, sex, line):
    p = Person(sex, first, last)
    p.email = f"{deaccent(first).lower().replace(' ', '')}.{deaccent(last).lower().replace(' ', '')}@{ORG_DOMAIN}"
    p.direct = line
    return p


ROZENN = staff("Rozenn", "Le Moal", "F", "0240356012")
PASCAL = staff("Pascal", "Rialland", "M", "0240356021")
NABIL = staff("Nabil", "Ben Mansour", "M", "0240356017")
CLEMENCE = staff("Clémence", "Hervouet", "F", "0240225114")
TIAGO = staff("Tiago", "Sousa Santos", "M", "0240356033")
OLIVE = staff("Olive", "Marchais", "F", "0240356041")
STAFF = [ROZENN, PASCAL, NABIL, CLEMENCE, TIAGO, OLIVE]
ROLES = {ROZENN: "Gestionnaire locative", PASCAL: "Responsable technique", NABIL: "Chargé de contentieux",
         CLEMENCE: "Chargée de clientèle – agence de Saint-Nazaire", TIAGO: "Administrateur systèmes",
         OLIVE: "Comptable"}
CARETAKERS = [Person("F", "Marie-Josée", "Pichon"), Person("M", "Abdou", "Kane"), Person("M", "Gildas", "Mahé")]
TECHS = [Person("M", "Mathurin", "Josse"), Person("M", "Florin", "Dimitrov"), Person("M", "Erwann", "Le Guen")]


def subject(key, sex, first, last, born, street, place, num=None):
    p = Person(sex, first, last, born, street, place, key)
    if num:
        p.num = num
    return p


S = {
    "mai_nguyen": subject("mai_nguyen", "F", "Mai", "Nguyen", datetime.date(1991, 5, 14), "rue Jules Verne",
                          ("44600", "Saint-Nazaire"), "14"),
    "thi_mai_nguyen": subject("thi_mai_nguyen", "F", "Thi Mai", "Nguyen", datetime.date(1978, 11, 2),
                              "rue des Hauts-Pavés", ("44000", "Nantes"), "61"),
    "rose_ferreira_da_silva": subject("rose_ferreira_da_silva", "F", "Rose", "Ferreira da Silva",
                                      datetime.date(1982, 3, 9), "rue Lamoricière", ("44800", "Saint-Herblain"), "8"),
    "gaelle_le_bihan": subject("gaelle_le_bihan", "F", "Gaëlle", "Le Bihan", datetime.date(1966, 12, 1),
                               "impasse des Mouettes", ("44380", "Pornichet"), "3"),
    "marin_van_den_broeck": subject("marin_van_den_broeck", "M", "Marin", "Van den Broeck", datetime.date(1988, 7, 23),
                                    "rue du Port", ("44550", "Montoir-de-Bretagne"), "27"),
}
JOAO = subject("joao_ferreira_da_silva", "M", "João", "Ferreira da Silva", datetime.date(1979, 10, 30),
               "rue Lamoricière", ("44800", "Saint-Herblain"), "8")
ROSE = S["rose_ferreira_da_silva"]
JOAO.fixe, JOAO.res, JOAO.bat, JOAO.appt = ROSE.fixe, ROSE.res, ROSE.bat, ROSE.appt
S["joao_ferreira_da_silva"] = JOAO
MAI, TMAI, GAELLE, MARIN = S["mai_nguyen"], S["thi_mai_nguyen"], S["gaelle_le_bihan"], S["marin_van_den_broeck"]
MAI.email, TMAI.email = "mai.nguyen91@gmail.com", "nguyen.thimai@orange.fr"
ROSE.email, JOAO.email = "rose.fdasilva@sfr.fr", "joao.ferreira.silva@gmail.com"
GAELLE.email, MARIN.email = "gaelle.lebihan@wanadoo.fr", "marin.vdbroeck@free.fr"
MAI.res, MAI.bat, MAI.appt = "Résidence Les Mouettes", "B", 12
GAELLE.res, GAELLE.bat, GAELLE.appt = "Résidence Océane", "C", 4

REQUESTS = [
    {"who": "mai_nguyen", "args": ["--name", "Mai Nguyen", "--birthdate", "1991-05-14"]},
    {"who": "thi_mai_nguyen", "args": ["--name", "Thi Mai Nguyen"]},
    {"who": "rose_ferreira_da_silva", "args": ["--name", "Rose Ferreira da Silva", "--address", ROSE.address()]},
    {"who": "gaelle_le_bihan", "args": ["--name", "GAELLE LE BIHAN"]},
    {"who": "marin_van_den_broeck", "args": ["--name", "Marin Van den Broeck", "--email", MARIN.email]},
]

DOCS = hb.DOCS
emit = hb.emit


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def sp(n):
    """A French number written in pairs: 02 40 35 60 00."""
    return " ".join(n[i:i + 2] for i in range(0, 10, 2))


def fmt_phone(n):
    return hb.fmt_phone(n)


def fmt_nir(n):
    return hb.fmt_nir(n)


def up(p):
    return f"{p.first} {p.last.upper()}"


def upfirst(p):
    return f"{p.last.upper()} {p.first}"


def born_word(p):
    return "née" if p.sex == "F" else "né"


def comps(p, style="dot"):
    if style == "dash":
        return [f"{p.res} – Bât. {p.bat} – Appt {p.appt}"]
    return [p.res, f"Bât. {p.bat}", f"Appt {p.appt}"]


def lab_addr(d, p, parts=(), after=False, who=True):
    """Label p's address written with complements `parts` before the street (or after it, before the
    postcode, with `after`); fewer leading complements down to `street, postcode city` accepted."""
    street, town = p.street_line(), f"{p.cp} {p.city}"
    parts = list(parts)
    if after:
        value = ", ".join([street] + parts + [town])
        alts = [", ".join(parts + [street, town])] + [", ".join(parts[i:] + [street, town]) for i in range(1, len(parts))]
    else:
        value = ", ".join(parts + [street, town])
        alts = [", ".join(parts[i:] + [street, town]) for i in range(1, len(parts))]
    if parts:
        alts.append(f"{street}, {town}")
    d.lab("address", value, alt=alts or None, who=p.who if who else None)


def bare(d, p, civ=None, optional=False):
    civ = civ or p.civ
    d.lab("name", p.last, alt=[f"{civ} {p.last}"], optional=optional, who=p.who)


def viet(d, p, written_last):
    """A Vietnamese name written family name first (`Nguyen Thi Mai`)."""
    d.lab("name", f"{p.first} {written_last}", alt=[f"{written_last} {p.first}"], who=p.who)


def luhn_complete(prefix):
    return hb.luhn_complete(prefix)


def imei():
    return luhn_complete(pick(["35209900", "35332811", "86769204", "35875110"]) + f"{R.randint(0, 999999):06d}")


def s10():
    body = f"{R.randint(0, 10**8 - 1):08d}"
    c = 11 - sum(int(a) * w for a, w in zip(body, [8, 6, 4, 2, 3, 5, 9, 7])) % 11
    c = 0 if c == 10 else 5 if c == 11 else c
    return f"{pick(['LA', 'CB', 'RR', 'XY'])}{body}{c}FR"


def mac():
    return ":".join(f"{R.randint(0, 255):02X}" for _ in range(6))


def hexid(n):
    return "".join(pick("0123456789abcdef") for _ in range(n))


def gps():
    return f"{47 + R.randint(150000, 320000) / 1e6:.6f}", f"{-1 - R.randint(300000, 1300000) / 1e6:.6f}"


def ip_public():
    return hb.ip_public()


def ip6():
    return str(ipaddress.ip_address(f"2a01:cb1c:{R.randint(0x100, 0xfff):x}:{R.randint(0x1000, 0xffff):x}:"
                                    f"{R.randint(0x1000, 0xffff):x}:{R.randint(0x1000, 0xffff):x}:"
                                    f"{R.randint(0x1000, 0xffff):x}:{R.randint(0x1000, 0xffff):x}"))


def letterhead_lines(agency=False):
    a = AGENCY_ADDR if agency else ORG_ADDR
    return [ORG.upper(), ("Agence de Saint-Nazaire – " if agency else "Siège – ") + f"{a[0]}, {a[1]} {a[2]}",
            f"Tél. {AGENCY_PHONE if agency else ORG_PHONE} – www.{ORG_DOMAIN}", f"SIRET {ORG_SIRET}"]


# --------------------------------------------------------------------------
# Container writers
# --------------------------------------------------------------------------

def pdf_bytes(pages):
    """A PDF with a text layer. Each page is a list of items: a string (left margin), (x, text), or a
    list of (x, text) drawn on one line; None is a blank line. Helvetica (WinAnsi): text must be cp1252."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    def width(t):
        return stringWidth(t[2:] if t.startswith("**") else t, "Helvetica-Bold" if t.startswith("**") else "Helvetica", 10)

    def wrap(x, t):
        out, cur = [], ""
        for w in t.split(" "):
            if cur and x + width(cur + " " + w) > 550:
                out.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        return out + [cur]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    c.setAuthor("")
    c.setTitle("")
    c.setCreator(ORG)
    for page in pages:
        y = 800
        for item in page:
            if item is None:
                y -= 8
                continue
            if isinstance(item, str):
                item = [(56, item)]
            elif isinstance(item, tuple):
                item = [item]
            if len(item) == 1 and item[0][0] + width(item[0][1]) > 550:
                x0, parts = item[0][0], wrap(*item[0])
                for t in parts[:-1]:
                    c.setFont("Helvetica", 10)
                    c.drawString(x0, y, t)
                    y -= 13
                item = [(x0, parts[-1])]
            for k, (x, t) in enumerate(item):
                assert x + width(t) <= 560 and (k + 1 == len(item) or x + width(t) < item[k + 1][0]), t
                t.encode("cp1252")
                bold = t.startswith("**")
                c.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
                c.drawString(x, y, t[2:] if bold else t)
            y -= 13
            if y < 50:
                c.showPage()
                y = 800
        c.showPage()
    c.save()
    return buf.getvalue()


def fix_odf_times(data):
    """Rewrite an ODF zip with fixed times, `mimetype` first and stored."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = sorted(src.namelist(), key=lambda n: (n != "mimetype", ))
    with zipfile.ZipFile(out, "w") as z:
        for n in names:
            body = src.read(n)
            if n == "meta.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", b"2024-05-02T10:00:00", body)
            zi = zipfile.ZipInfo(n, (2024, 5, 2, 10, 0, 0))
            zi.compress_type = zipfile.ZIP_STORED if n == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(zi, body)
    return out.getvalue()


def odt_bytes(paragraphs, table=None):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P as OP
    doc = OpenDocumentText()
    for t in paragraphs:
        doc.text.addElement(OP(text=t))
    if table:
        tab = Table(name="Tableau1")
        tab.addElement(TableColumn(numbercolumnsrepeated=len(table[0])))
        for row in table:
            tr = TableRow()
            for v in row:
                tc = TableCell(valuetype="string")
                tc.addElement(OP(text=str(v)))
                tr.addElement(tc)
            tab.addElement(tr)
        doc.text.addElement(tab)
    buf = io.BytesIO()
    doc.write(buf)
    return fix_odf_times(buf.getvalue())


def docx_bytes(paragraphs, tables=()):
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
    """`sheets`: (title, rows, hidden)."""
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, hidden in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
            for c, v in enumerate(row, 1):
                if isinstance(v, datetime.datetime):
                    ws.cell(row=ws.max_row, column=c).number_format = "DD/MM/YYYY"
        if hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return fix_zip_times(buf.getvalue())


# --------------------------------------------------------------------------
# PDFs: tenant letters
# --------------------------------------------------------------------------

def gen_letter_pdf(i, p, kind, beside=False, caps=False, neighbour=None):
    d = Doc(f"courriers/{kind}_{deaccent(p.last).lower().replace(' ', '_').replace(chr(39), '')}_{i:02d}.pdf")
    agency = p.cp == "44600" or chance(0.4)
    head = letterhead_lines(agency)
    nm = f"{p.civ_long} {upfirst(p) if chance(0.5) else up(p)}"
    if caps:
        nm = deaccent(nm).upper()
    block = [nm] + comps(p, "dash") + [p.street_line(), f"{p.cp} {p.city.upper()}"]
    name_lab(d, p, f"{p.first} {p.last}" if not caps else f"{deaccent(p.first).upper()} {deaccent(p.last).upper()}")
    lab_addr(d, p, comps(p, "dash"))
    page = []
    if beside:  # the letterhead and the recipient block on the same lines
        for k in range(max(len(head), len(block))):
            row = []
            if k < len(head):
                row.append((56, head[k]))
            if k < len(block):
                row.append((320, block[k]))
            page.append(row)
    else:
        page += head + [None, None] + [(320, t) for t in block]
    place = "Saint-Nazaire" if agency else "Nantes"
    ref = f"{pick(['CTX', 'GL', 'REC'])}-2024-{R.randint(1000, 9999)}"
    page += [None, (320, f"{place}, le {long_date(day(2024, 2024))}"), None,
             f"Réf. : {ref}   –   Contrat n° {R.randint(10**7, 10**8 - 1)}   –   Logement {R.randint(100, 999)}-{R.randint(10, 99)}"]
    inter = CLEMENCE if agency else ROZENN
    caretaker = pick(CARETAKERS)
    if kind == "relance":
        obj = "Objet : relance – loyer impayé de Mai 2024"
        body = [f"Sauf erreur de notre part, le loyer de Mai 2024 ({amount(300, 700)} €) reste impayé à ce jour.",
                f"Nous vous invitons à régulariser avant le {dmy(day(2024, 2024))} (échéance contractuelle).",
                f"En cas de difficulté, votre gardien(ne), {caretaker.civ} {caretaker.first} {caretaker.last}, peut vous orienter",
                f"vers le centre social Jacques Prévert, 4 rue Jules Verne."]
    elif kind == "troubles":
        nb = neighbour or Person()
        obj = "Objet : troubles de voisinage"
        body = [f"Plusieurs locataires, dont {nb.civ} {nb.last}, nous ont signalé des nuisances sonores",
                f"répétées depuis le {dmy(day(2024, 2024))}, en particulier après 22 heures.",
                f"Le gardien(ne), {caretaker.first} {caretaker.last.upper()}, a constaté les faits le {dmy(day(2024, 2024))}.",
                "Nous vous rappelons l'article 7 de votre contrat de location."]
        bare(d, nb)
    else:
        obj = "Objet : convocation à l'état des lieux de sortie"
        body = [f"Suite à votre congé reçu le {dmy(day(2024, 2024))}, l'état des lieux de sortie aura lieu le",
                f"{long_date(day(2024, 2024))} à 10 h, en présence de {caretaker.first} {caretaker.last}, gardien(ne).",
                "Merci de restituer les clés, badges (n° " + hexid(8).upper() + ") et télécommandes de parking.",
                f"Le compteur Linky (PRM {R.randint(10**13, 10**14 - 1)}) sera relevé contradictoirement."]
    d.lab("name", f"{caretaker.first} {caretaker.last}", who=caretaker.who)
    page += [None, f"**{obj}", None, f"{p.civ_long},", None] + body + [
        None, f"Votre interlocut{'rice' if inter.sex == 'F' else 'eur'} : {inter.first} {inter.last} – ligne directe "
              f"{sp(inter.direct)} – {inter.email}",
        None, "Nous vous prions d'agréer, " + p.civ_long + ", l'expression de nos salutations distinguées.", None,
        (320, f"{NABIL.first} {NABIL.last.upper()}" if kind == "relance" else f"{ROZENN.first} {ROZENN.last.upper()}"),
        (320, "Chargé de contentieux" if kind == "relance" else "Gestionnaire locative"), None, None,
        f"{ORG} – office public de l'habitat – SIRET {ORG_SIRET} – {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}"]
    d.person(inter, kinds=("name", "email"))
    d.lab("phone", e164(inter.direct))
    signer = NABIL if kind == "relance" else ROZENN
    d.lab("name", f"{signer.first} {signer.last.upper()}")
    return d, pdf_bytes([page])


# --------------------------------------------------------------------------
# PDFs: payslips
# --------------------------------------------------------------------------

def gen_payslip_pdf(i, p, job, month=5):
    d = Doc(f"paie/bulletin_2024-{month:02d}_{deaccent(p.last).lower().replace(' ', '_')}.pdf")
    urssaf = f"527 {R.randint(100000, 999999)} {R.randint(10000, 99999)}"
    base = R.randint(180000, 260000) / 100
    rows = [("Salaire de base", "151,67", f"{base / 151.67:.4f}".replace(".", ","), f"{base:.2f}".replace(".", ",")),
            ("Prime d'astreinte", "", "", amount(50, 300)),
            ("Sécurité sociale plafonnée", f"{base:.2f}".replace(".", ","), "6,9000", amount(100, 200)),
            ("Complémentaire Tranche 1", f"{base:.2f}".replace(".", ","), "4,0100", amount(60, 120)),
            ("CSG déductible", amount(1800, 2600), "6,8000", amount(100, 180))]
    comp = [p.res, f"Bât. {p.bat}"] if chance(0.5) else []
    page = ["**BULLETIN DE PAIE", f"Période : {hb.MONTHS[month - 1].capitalize()} 2024   –   Paiement le {28 if month != 2 else 27}/{month:02d}/2024",
            None,
            [(56, "EMPLOYEUR"), (320, "SALARIÉ")],
            [(56, ORG), (320, f"{p.civ} {p.first} {p.last.upper()}")]]
    left = [f"{ORG_ADDR[0]}", f"{ORG_ADDR[1]} {ORG_ADDR[2]}", f"SIRET {ORG_SIRET}   APE 6820A",
            f"URSSAF Pays de la Loire n° {urssaf}", f"IBAN employeur {group4(ORG_IBAN)}"]
    right = comp + [p.street_line(), f"{p.cp} {p.city}", f"N° SS : {fmt_nir(p.nir)}",
                    f"Matricule : {R.randint(10000, 99999)}   Emploi : {job}",
                    f"Entrée le {dmy(day(2012, 2022))}   Coefficient {R.randint(300, 450)}"]
    for k in range(max(len(left), len(right))):
        row = []
        if k < len(left):
            row.append((56, left[k]))
        if k < len(right):
            row.append((320, right[k]))
        page.append(row)
    page += [None, [(56, "**Rubrique"), (250, "**Base"), (330, "**Taux"), (420, "**Montant")]]
    for r in rows:
        page.append([(56, r[0]), (250, r[1]), (330, r[2]), (420, r[3])])
    page += [None, f"Net à payer avant impôt : {amount(1500, 2200)} €   –   Impôt prélevé à la source (taux {R.randint(0, 9)},{R.randint(0, 9)} %)",
             f"Net payé : {amount(1400, 2100)} € par virement sur le compte {group4(p.iban)}",
             f"Congés : acquis {R.randint(10, 25)},0 j – pris {R.randint(0, 10)},0 j   –   Cumul imposable {amount(9000, 14000)} €",
             None, "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin sans limitation de durée.",
             f"Convention collective OPH (IDCC 3220) – Service paie : {OLIVE.first} {OLIVE.last} ({OLIVE.email})"]
    d.lab("name", f"{p.first} {p.last.upper()}", who=p.who)
    lab_addr(d, p, comp)
    d.person(p, kinds=("nir", "iban"))
    d.person(OLIVE, kinds=("name", "email"))
    return d, pdf_bytes([page])


# --------------------------------------------------------------------------
# PDFs: rent-arrears notices with the tenant's IBAN (direct debit)
# --------------------------------------------------------------------------

def gen_arrears_pdf(i, p, viet_last=None):
    d = Doc(f"contentieux/avis_retard_{i:02d}.pdf")
    if viet_last:
        nm = f"{p.civ_long} {viet_last.upper()} {p.first}"
        d.lab("name", f"{p.first} {viet_last.upper()}", alt=[f"{viet_last.upper()} {p.first}"], who=p.who)
    else:
        nm = f"{p.civ_long} {up(p)}"
        name_lab(d, p, up(p))
    lab_addr(d, p, [f"{p.res}, Bât. {p.bat}"])
    rum = f"HLO-{R.randint(2015, 2023)}-{R.randint(100000, 999999)}"
    page = letterhead_lines(False) + [None, None, (320, nm), (320, f"{p.res}, Bât. {p.bat}"), (320, p.street_line()),
                                       (320, f"{p.cp} {p.city}"), None,
                                       (320, f"Nantes, le {long_date(day(2024, 2024))}"), None,
                                       "**AVIS DE RETARD DE PAIEMENT – PRÉLÈVEMENT REJETÉ", None,
                                       f"{p.civ_long},", None,
                                       "Le prélèvement de votre loyer a été rejeté par votre banque (motif AM04 – provision insuffisante).",
                                       None, [(56, "**Échéance"), (200, "**Montant"), (300, "**Réglé"), (400, "**Reste dû")]]
    for m in ("Mars 2024", "Avril 2024", "Mai 2024"):
        page.append([(56, m), (200, amount(350, 650) + " €"), (300, "0,00 €"), (400, amount(350, 650) + " €")])
    page += [None, "Mandat de prélèvement SEPA", f"Référence unique du mandat (RUM) : {rum}",
             f"Identifiant créancier SEPA (ICS) : {ORG_ICS}",
             f"Compte débité : {group4(p.iban)}   BIC : {pick(['CMCIFR2A', 'AGRIFRPP847', 'CCBPFRPPNAN', 'SOGEFRPP'])}",
             f"Titulaire du compte : {p.first} {p.last.upper()}",
             None, f"Un nouveau prélèvement sera présenté le {dmy(day(2024, 2024))}. Pour un plan d'apurement, contactez",
             f"{NABIL.first} {NABIL.last} au {sp(NABIL.direct)} ou par courriel à {NABIL.email}.", None,
             f"Règlement possible par virement sur le compte de {ORG} : {group4(ORG_IBAN)} (référence {rum}).", None,
             (320, "Le service contentieux")]
    d.person(p, kinds=("iban",))
    d.person(NABIL, kinds=("name", "email"))
    d.lab("phone", e164(NABIL.direct))
    return d, pdf_bytes([page])


# --------------------------------------------------------------------------
# PDFs: supplier invoices (no personal data)
# --------------------------------------------------------------------------

def gen_invoice_pdf(i, c):
    d = Doc(f"factures/facture_{deaccent(c[0]).lower().split()[0]}_{i:02d}.pdf")
    sn = siren()
    prog = pick(PROGRAMMES)
    page = [f"**{c[0].upper()}", c[1], f"{c[2]} {c[3]}", f"Tél. {c[4]} – contact@{deaccent(c[0]).lower().split()[0]}.fr",
            f"SIRET {siret(sn)} – RCS Nantes {sn[:3]} {sn[3:6]} {sn[6:]} – TVA {tva(sn)}", None,
            (320, f"{ORG}"), (320, "Service comptabilité fournisseurs"), (320, ORG_ADDR[0]), (320, f"{ORG_ADDR[1]} {ORG_ADDR[2]}"),
            None, f"**FACTURE N° F{R.randint(2024000, 2024999)}", f"Date : {dmy(day(2024, 2024))}   –   Échéance : {dmy(day(2024, 2024))}",
            f"Bon de commande n° BC-{R.randint(100000, 999999)}   –   Marché n° 2023-{R.randint(10, 99)}-{R.randint(100, 999)}",
            f"Chantier : {prog}, {R.randint(1, 80)} {pick(hb.STREETS)}, {pick(hb.PLACES)[0]}", None,
            [(56, "**Désignation"), (260, "**EAN"), (370, "**Qté"), (430, "**Montant HT")]]
    for _ in range(R.randint(3, 6)):
        page.append([(56, pick(["Mitigeur thermostatique", "Groupe de sécurité", "Bloc-porte palier", "Détecteur de fumée",
                                "Câble R2V 3G2,5", "Main-d'œuvre (heure)"])), (260, ean13()), (370, str(R.randint(1, 12))),
                     (430, amount(20, 900) + " €")])
    page += [None, f"Total HT : {amount(500, 6000)} €   TVA 10 % : {amount(50, 600)} €   Total TTC : {amount(550, 6600)} €",
             None, f"Règlement par virement à 30 jours : IBAN {group4(make_iban())}   BIC {pick(['CMBRFR2BARK', 'CCBPFRPPNAN', 'BNPAFRPPXXX'])}",
             f"Intervention du {dmy(day(2024, 2024))} – Mai 2024 – suivi colis {s10()}",
             f"Pénalités de retard : 3 fois le taux d'intérêt légal ; indemnité forfaitaire de 40 €. Capital {amount(5000, 80000)} €."]
    return d, pdf_bytes([page])


# --------------------------------------------------------------------------
# .odt letters
# --------------------------------------------------------------------------

def gen_odt(i, p, kind):
    d = Doc(f"courriers/{kind}_{i:02d}.odt")
    paras = letterhead_lines(True) + [""]
    if kind == "attestation_loyer":
        paras += ["ATTESTATION DE LOYER", "",
                  f"Je soussignée, {CLEMENCE.first} {CLEMENCE.last}, chargée de clientèle, atteste que "
                  f"{p.civ_long} {p.first} {p.last.upper()}, {born_word(p)} le {long_date(p.born)}, est locataire depuis le "
                  f"{dmy(day(2008, 2020))} du logement situé {p.res}, bâtiment {p.bat}, appartement {p.appt}, "
                  f"{p.street_line()}, {p.cp} {p.city}.",
                  f"Le loyer de Mai 2024 s'élève à {amount(300, 650)} € charges comprises et a été réglé le {dmy(day(2024, 2024))}.",
                  "Attestation délivrée pour servir et valoir ce que de droit.", "",
                  f"Saint-Nazaire, le {long_date(day(2024, 2024))}", f"{CLEMENCE.first} {CLEMENCE.last.upper()}"]
        name_lab(d, p, up(p))
        d.person(p, kinds=("birthdate",))
        lab_addr(d, p, [p.res, f"bâtiment {p.bat}", f"appartement {p.appt}"])
        d.lab("name", f"{CLEMENCE.first} {CLEMENCE.last}")
        return d, odt_bytes(paras)
    if kind == "courrier_caf":
        paras += ["Caisse d'allocations familiales de Loire-Atlantique", "22 rue de Malville", "44937 NANTES CEDEX 9", "",
                  f"Objet : signalement d'impayé – allocataire n° {R.randint(1000000, 9999999)}", "",
                  "Madame, Monsieur,", "",
                  f"Nous vous signalons l'impayé de {p.civ} {upfirst(p)}, {born_word(p)} le {dmy(p.born)}, "
                  f"NIR {fmt_nir(p.nir)}, demeurant {p.street_line()}, {p.cp} {p.city}.",
                  f"Référence de dossier CAF (ne pas confondre avec le NIR) : {fmt_nir(bad_nir())}.",
                  "Détail des sommes dues au 31 mai 2024 :"]
        table = [["Échéance", "Loyer", "APL", "Reste dû"]] + [[m, amount(300, 600), amount(100, 250), amount(100, 400)]
                                                              for m in ("Mars 2024", "Avril 2024", "Mai 2024")]
        paras2 = paras + ["", f"{NABIL.first} {NABIL.last.upper()}, chargé de contentieux – {sp(NABIL.direct)}"]
        name_lab(d, p, f"{p.first} {p.last.upper()}")
        d.person(p, kinds=("birthdate", "nir", "address"))
        d.person(NABIL, kinds=("name",))
        d.lab("phone", e164(NABIL.direct))
        return d, odt_bytes(paras2, table)
    # reponse_reclamation: names in the body, a company with a surname, a neighbour
    c = COMPANIES[0]
    nb = Person()
    paras += [f"{p.civ_long} {p.first} {p.last}", f"{p.street_line()}", f"{p.cp} {p.city}", "",
              f"Saint-Nazaire, le {long_date(day(2024, 2024))}", "", "Objet : votre réclamation du " + dmy(day(2024, 2024)), "",
              f"{p.civ_long},", "",
              f"Vous nous avez signalé une fuite sous l'évier. L'entreprise {c[0]} interviendra le {dmy(day(2024, 2024))} ; "
              f"merci de laisser l'accès ou de confier vos clés à votre voisine {nb.civ_long} {nb.first} {nb.last}, qui a "
              "accepté de les recevoir.",
              f"Le technicien de secteur, {PASCAL.first} {PASCAL.last}, reste joignable au {sp(PASCAL.direct)}.",
              "Veuillez agréer nos salutations distinguées.", "", f"{CLEMENCE.first} {CLEMENCE.last}"]
    name_lab(d, p)
    d.person(p, kinds=("address",))
    d.lab("name", p.last, alt=[f"{p.civ_long} {p.last}"], optional=True, who=p.who)
    d.person(nb, kinds=("name",))
    d.person(PASCAL, kinds=("name",))
    d.lab("phone", e164(PASCAL.direct))
    d.lab("name", f"{CLEMENCE.first} {CLEMENCE.last}")
    return d, odt_bytes(paras)


# --------------------------------------------------------------------------
# .docx leases with co-tenants and a guarantor block
# --------------------------------------------------------------------------

def gen_lease(i, tenant, cotenant=None, guarantor=None):
    d = Doc(f"baux/bail_{deaccent(tenant.last).lower().replace(' ', '_')}_{i:02d}.docx")
    g = guarantor or Person()
    prog = pick(PROGRAMMES)
    num = R.randint(1, 60)
    bat = pick("ABC")
    street = f"{R.randint(1, 90)} {pick(hb.STREETS)}"
    place = pick(hb.PLACES)
    paras = ["CONTRAT DE LOCATION – LOGEMENT CONVENTIONNÉ APL", "", "ENTRE :",
             f"{ORG}, office public de l'habitat, dont le siège est {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}, "
             f"SIRET {ORG_SIRET}, représenté par {ROZENN.first} {ROZENN.last}, gestionnaire locative,", "",
             "ET :",
             f"{tenant.civ_long} {tenant.first} {tenant.last.upper()}, {born_word(tenant)} le {dmy(tenant.born)}, "
             f"téléphone {fmt_phone(tenant.mobile)}, courriel {tenant.email},"]
    name_lab(d, tenant, up(tenant))
    d.person(tenant, kinds=("birthdate", "mobile", "email"))
    d.lab("name", f"{ROZENN.first} {ROZENN.last}")
    if cotenant:
        paras.append(f"et {cotenant.civ_long} {cotenant.first} {cotenant.last.upper()}, {born_word(cotenant)} le "
                     f"{long_date(cotenant.born)}, téléphone {fmt_phone(cotenant.mobile)},")
        name_lab(d, cotenant, up(cotenant))
        d.person(cotenant, kinds=("birthdate", "mobile"))
    if tenant.who:  # the couple's current home is also the address of the lease (a renewal)
        paras.append(f"demeurant ensemble {tenant.street_line()}, {tenant.cp} {tenant.city},")
        d.person(tenant, kinds=("address",))
    else:
        paras.append(f"demeurant actuellement {tenant.street_line()}, {tenant.cp} {tenant.city},")
        d.person(tenant, kinds=("address",))
    paras += ["ci-après « le locataire ».", "", "ARTICLE 1 – DÉSIGNATION",
              f"Logement de type T{R.randint(2, 5)} situé {prog}, bâtiment {bat}, logement n° {num}, {street}, "
              f"{place[0]} {place[1]}, à proximité de {pick(SCHOOLS)}.",
              f"Date d'effet : {dmy(day(2024, 2024))}. Loyer : {amount(320, 720)} € ; provision pour charges : {amount(40, 140)} €.",
              f"Référence du logement : {R.randint(100, 999)}-{R.randint(1000, 9999)} ; compteur Linky PRM {R.randint(10**13, 10**14 - 1)}.",
              "", "ARTICLE 12 – CAUTIONNEMENT SOLIDAIRE", "La caution désignée ci-dessous garantit le paiement des loyers et charges."]
    d.lab("address", f"{prog}, bâtiment {bat}, logement n° {num}, {street}, {place[0]} {place[1]}",
          alt=[f"bâtiment {bat}, logement n° {num}, {street}, {place[0]} {place[1]}",
               f"logement n° {num}, {street}, {place[0]} {place[1]}", f"{street}, {place[0]} {place[1]}"],
          optional=True, who=tenant.who)
    tables = [[["Caution", ""],
               ["Nom", g.last.upper()], ["Prénom(s)", g.first], ["Date de naissance", dmy(g.born)],
               ["Adresse", g.street_line()], ["Code postal / Ville", f"{g.cp} {g.city}"],
               ["Téléphone", fmt_phone(g.mobile)], ["Courriel", g.email],
               ["Employeur", f"{pick(COMPANIES)[0]} (SIRET {siret()})"],
               ["Revenus mensuels nets", f"{amount(1500, 4000)} €"]]]
    paras += ["", f"Fait à Nantes, le {long_date(day(2024, 2024))}, en trois exemplaires.",
              "Le bailleur                    Le(s) locataire(s)                    La caution",
              "(mention manuscrite « lu et approuvé, bon pour caution solidaire » sur l'acte annexé)"]
    name_lab(d, g, f"{g.first} {g.last.upper()}")
    d.person(g, kinds=("birthdate", "address", "mobile", "email"))
    return d, docx_bytes(paras, tables)


# --------------------------------------------------------------------------
# HTML: intranet directory, saved tenant-portal pages
# --------------------------------------------------------------------------

HTML_HEAD = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/static/css/intranet.{ver}.css"><script src="/static/js/app.{hx}.js"></script></head>
<body>
"""


def gen_directory():
    d = Doc("intranet/annuaire_services.html")
    h = [HTML_HEAD.format(title=f"Annuaire – {ORG}", ver=version(), hx=hexid(8)),
         f'<header><img src="/img/logo-hlo.png" alt="{ORG}"><p>Siège : {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]} – '
         f'Standard <a href="tel:+33{ORG_PHONE[1:].replace(" ", "")}">{ORG_PHONE}</a></p></header>',
         "<main><h1>Annuaire interne</h1>",
         '<table class="annuaire"><thead><tr><th>Nom</th><th>Fonction</th><th>Ligne directe</th><th>Portable</th>'
         "<th>Courriel</th><th>Bureau</th></tr></thead><tbody>"]
    people = STAFF + CARETAKERS + TECHS
    for p in people:
        role = ROLES.get(p, "Gardien(ne) d'immeuble" if p in CARETAKERS else "Technicien(ne) de maintenance")
        direct = getattr(p, "direct", None)
        email = p.email if p in STAFF else f"{deaccent(p.first).lower().replace(' ', '')}.{deaccent(p.last).lower().replace(' ', '')}@{ORG_DOMAIN}"
        room = pick(["salle Jules Verne", "bureau 2.14", "salle Anne de Bretagne", "loge " + pick(PROGRAMMES)])
        h.append(f'<tr><td><a href="/profil/{hexid(12)}">{p.last.upper()} {p.first}</a></td><td>{role}</td>'
                 f'<td>{sp(direct) if direct else "—"}</td><td><a href="tel:{e164(p.mobile)}">{sp(p.mobile)}</a></td>'
                 f'<td><a href="mailto:{email}">{email}</a></td><td>{room}</td></tr>')
        d.lab("name", f"{p.first} {p.last.upper()}", who=p.who)
        d.lab("email", email)
        d.lab("phone", e164(p.mobile))
        if direct:
            d.lab("phone", e164(direct))
    h += ["</tbody></table>",
          f"<p>Boîtes génériques : <a href=\"mailto:contact@{ORG_DOMAIN}\">contact@{ORG_DOMAIN}</a>, "
          f"<a href=\"mailto:astreinte@{ORG_DOMAIN}\">astreinte@{ORG_DOMAIN}</a>. Agence de Saint-Nazaire : "
          f"{AGENCY_ADDR[0]}, {AGENCY_ADDR[1]} {AGENCY_ADDR[2]} – {AGENCY_PHONE}.</p>",
          f"<footer>Intranet v{version()} – page générée en {R.randint(20, 400)} ms – id {uuid4()}</footer>",
          "</main></body></html>"]
    return d, ("\n".join(h) + "\n").encode("utf-8")


def gen_portal_request(p):
    d = Doc("portail/demande_logement_confirmation.html")
    ddn = p.born.isoformat()
    h = [HTML_HEAD.format(title="Ma demande de logement – Espace locataire", ver=version(), hx=hexid(8)),
         f'<nav>Connecté(e) : <strong>{p.first} {p.last.upper()}</strong> | <a href="/deconnexion">Se déconnecter</a></nav>',
         "<main><h1>Votre demande a bien été enregistrée</h1>",
         f"<p>Numéro unique départemental : 044{R.randint(10**9, 10**10 - 1)}. Dépôt le {dmy(day(2024, 2024))} – Mai 2024.</p>",
         '<form action="/demande/modifier" method="post">',
         f'<input type="hidden" name="csrf" value="{hexid(40)}">',
         '<fieldset><legend>Demandeur</legend>',
         '<label for="civ">Civilité</label><select id="civ" name="civilite"><option>M.</option><option selected>Mme</option></select>',
         f'<label for="nom">Nom</label><input id="nom" name="nom" type="text" value="{p.last.upper()}">',
         f'<label for="prenom">Prénom</label><input id="prenom" name="prenom" type="text" value="{p.first}">',
         f'<label for="ddn">Date de naissance</label><input id="ddn" name="date_naissance" type="date" value="{ddn}">',
         f'<label for="nir">N° de sécurité sociale</label><input id="nir" name="nir" type="text" value="{fmt_nir(p.nir)}">',
         "</fieldset><fieldset><legend>Adresse actuelle</legend>",
         f'<label for="adr1">N° et voie</label><input id="adr1" name="adresse1" value="{p.street_line()}">',
         f'<label for="adr2">Complément</label><input id="adr2" name="adresse2" value="{p.res}, Bât. {p.bat}, Appt {p.appt}">',
         f'<label for="cp">Code postal</label><input id="cp" name="code_postal" value="{p.cp}">',
         f'<label for="ville">Commune</label><input id="ville" name="commune" value="{p.city}">',
         "</fieldset><fieldset><legend>Contact</legend>",
         f'<label for="tel">Téléphone portable</label><input id="tel" name="tel" type="tel" value="{fmt_phone(p.mobile)}">',
         f'<label for="mail">Courriel</label><input id="mail" name="email" type="email" value="{p.email}">',
         f'<label for="obs">Observations</label><textarea id="obs" name="observations">Je souhaite un T3 près de '
         f'{pick(SCHOOLS)} pour mes enfants. Disponible après 17 h.</textarea>',
         "</fieldset>", '<button type="submit">Modifier</button></form>',
         f"<p>Une question ? Agence de Saint-Nazaire, {AGENCY_ADDR[0]}, {AGENCY_ADDR[1]} {AGENCY_ADDR[2]}, {AGENCY_PHONE}.</p>",
         f'<!-- rendu par portail-locataire {version()} node=web-{R.randint(1, 4)} trace={uuid4()} -->',
         "</main></body></html>"]
    name_lab(d, p, up(p))
    d.person(p, kinds=("birthdate", "nir", "mobile", "email"))
    lab_addr(d, p, [p.res, f"Bât. {p.bat}", f"Appt {p.appt}"], after=True)
    return d, ("\n".join(h) + "\n").encode("utf-8")


def gen_portal_account(p):
    d = Doc("portail/mes_coordonnees.html")
    h = [HTML_HEAD.format(title="Mes coordonnées", ver=version(), hx=hexid(8)),
         f"<div class=\"bandeau\">Bienvenue {p.civ} {p.last.upper()} – contrat n° {R.randint(10**7, 10**8 - 1)}</div>",
         "<main><h2>Mes coordonnées</h2><dl>",
         f"<dt>Titulaire</dt><dd>{p.first} {p.last}</dd>",
         f"<dt>Adresse du logement</dt><dd>{p.res}<br>Bât. {p.bat} – Appt {p.appt}<br>{p.street_line()}<br>{p.cp} {p.city.upper()}</dd>",
         f"<dt>Téléphone fixe</dt><dd>{sp(p.fixe)}</dd>", f"<dt>Portable</dt><dd>{fmt_phone(p.mobile)}</dd>",
         f"<dt>Courriel</dt><dd>{p.email}</dd>",
         f"<dt>Prélèvement</dt><dd>IBAN {group4(p.iban)[:9]}•••• •••• •••• •••• •{p.iban[-2:]} (masqué)</dd></dl>",
         "<h2>Modifier mon RIB</h2><form method=\"post\" action=\"/compte/rib\">",
         f'<input name="titulaire" value="{p.first} {p.last}"><input name="iban" value="{group4(p.iban)}">',
         f'<input name="bic" value="{pick(["CMCIFR2A", "AGRIFRPP847", "CCBPFRPPNAN"])}"></form>',
         f"<p>Votre gardien : {CARETAKERS[2].first} {CARETAKERS[2].last}, loge du bâtiment A.</p>",
         f"<footer>{ORG} – {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]} – build {version()}</footer></main></body></html>"]
    name_lab(d, p)
    d.lab("name", p.last, alt=[f"{p.civ} {p.last}"], optional=True, who=p.who)
    lab_addr(d, p, [p.res, f"Bât. {p.bat} – Appt {p.appt}"])
    d.person(p, kinds=("fixe", "mobile", "email", "iban"))
    d.person(CARETAKERS[2], kinds=("name",))
    return d, ("\n".join(h) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# vCard and iCalendar
# --------------------------------------------------------------------------

def vcard(d, p, kind="tenant", note=None):
    n = [f"BEGIN:VCARD", "VERSION:3.0", f"N:{p.last};{p.first};;{p.civ};", f"FN:{p.first} {p.last}"]
    if kind == "tenant":
        n += [f"TEL;TYPE=CELL:{fmt_phone(p.mobile)}", f"TEL;TYPE=HOME,VOICE:{sp(p.fixe)}",
              f"EMAIL;TYPE=INTERNET,HOME:{p.email}",
              f"ADR;TYPE=HOME:;Bât. {p.bat} Appt {p.appt};{p.street_line()};{p.city};;{p.cp};France",
              f"BDAY:{p.born.isoformat()}"]
        d.person(p, kinds=("name", "mobile", "fixe", "email", "birthdate"))
        street, town = p.street_line(), f"{p.cp} {p.city}"
        d.lab("address", f"Bât. {p.bat} Appt {p.appt}, {street}, {town}",
              alt=[f"{street}, {town}", f"Bât. {p.bat} Appt {p.appt}, {street}, {town}, France", f"{street}, {town}, France"],
              who=p.who)
    else:
        n += [f"ORG:{ORG};{kind}", f"TEL;TYPE=CELL:{fmt_phone(p.mobile)}", f"EMAIL;TYPE=INTERNET,WORK:{p.email}"]
        d.person(p, kinds=("name", "mobile", "email"))
    if note:
        n.append("NOTE:" + note)
    n += [f"UID:{uuid4()}", f"REV:2024-05-{R.randint(1, 28):02d}T{R.randint(7, 18):02d}:{R.randint(0, 59):02d}:00Z", "END:VCARD"]
    return n


def gen_vcf():
    d = Doc("contacts/contacts_agence_saint_nazaire.vcf")
    lines = []
    for p in CARETAKERS[:2]:
        p.email = f"{deaccent(p.first).lower().replace(' ', '')}.{deaccent(p.last).lower()}@{ORG_DOMAIN}"
        lines += vcard(d, p, "Proximité")
    lines += vcard(d, MAI, note=f"Locataire {MAI.res} – préfère les SMS – ne pas appeler avant 10h")
    for p in (Person(), Person("M", None, "Ould Cheikh"), Person("F", "Olive")):
        lines += vcard(d, p, note=f"Locataire depuis {pick(['Mai 2019', 'le 01/09/2015', '2021'])}")
    c = COMPANIES[2]
    lines += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{c[0]}", f"ORG:{c[0]}", f"TEL;TYPE=WORK:{c[4]}",
              f"ADR;TYPE=WORK:;;{c[1]};{c[3]};;{c[2]};France", f"NOTE:Astreinte électricité – SIRET {siret()}",
              f"UID:{uuid4()}", "END:VCARD"]
    return d, ("\r\n".join(lines) + "\r\n").encode("utf-8")


def ics_fold(line):
    b = line.encode("utf-8")
    out, cur = [], b""
    for ch in line:
        e = ch.encode("utf-8")
        if len(cur) + len(e) > (75 if not out else 74):
            out.append(cur)
            cur = b""
        cur += e
    out.append(cur)
    return b"\r\n ".join(out)


def ics_text(s):
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def gen_ics():
    d = Doc("agenda/agenda_agence_saint_nazaire.ics")
    L = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//Habitat Loire Ocean//Agenda {version()}//FR", "CALSCALE:GREGORIAN",
         "METHOD:PUBLISH", "X-WR-TIMEZONE:Europe/Paris"]

    def event(summary, loc, org, attendees, desc, date):
        ev = ["BEGIN:VEVENT", f"UID:{uuid4()}@{ORG_DOMAIN}", "DTSTAMP:20240502T080000Z",
              f"DTSTART;TZID=Europe/Paris:{date:%Y%m%d}T{R.randint(8, 16):02d}0000",
              f"DTEND;TZID=Europe/Paris:{date:%Y%m%d}T{R.randint(17, 18):02d}0000",
              f"SUMMARY:{ics_text(summary)}", f"LOCATION:{ics_text(loc)}",
              f"ORGANIZER;CN={org.first} {org.last}:mailto:{org.email}"]
        for a, q in attendees:
            ev.append(f'ATTENDEE;CN="{a.first} {a.last}";ROLE=REQ-PARTICIPANT;PARTSTAT={q};RSVP=TRUE:mailto:{a.email}')
        ev += [f"DESCRIPTION:{ics_text(desc)}", "END:VEVENT"]
        return ev

    L += event("Commission d'attribution des logements – Mai 2024",
               f"Agence de Saint-Nazaire, salle Anne de Bretagne, {AGENCY_ADDR[0]}, {AGENCY_ADDR[1]} {AGENCY_ADDR[2]}",
               ROZENN, [(CLEMENCE, "ACCEPTED"), (NABIL, "TENTATIVE"), (PASCAL, "NEEDS-ACTION")],
               f"Ordre du jour : 14 dossiers. Lien visio : https://visio.{ORG_DOMAIN}/{hexid(10)}", datetime.date(2024, 5, 16))
    d.person(ROZENN, kinds=("name", "email"))
    for s in (CLEMENCE, NABIL, PASCAL):
        d.person(s, kinds=("name", "email"))
    # home visit at the couple's
    L += event(f"Visite à domicile – {ROSE.civ} {ROSE.last}",
               f"{ROSE.res}, Bât. {ROSE.bat}, {ROSE.street_line()}, {ROSE.cp} {ROSE.city}",
               CLEMENCE, [(ROSE, "ACCEPTED"), (JOAO, "ACCEPTED")],
               f"Demande de mutation (T4). Tél. de {ROSE.first} : {fmt_phone(ROSE.mobile)}\nDigicode {R.randint(1000, 9999)}B – "
               f"3e étage gauche.", datetime.date(2024, 5, 21))
    d.person(ROSE, kinds=("name", "email", "mobile"))
    d.person(JOAO, kinds=("name", "email"))
    lab_addr(d, ROSE, [ROSE.res, f"Bât. {ROSE.bat}"])
    d.lab("name", ROSE.last, alt=[f"{ROSE.civ} {ROSE.last}"], optional=True, who=ROSE.who)
    # a state-of-premises appointment with a tenant leaving
    p = Person()
    CARETAKERS[1].email = f"{deaccent(CARETAKERS[1].first).lower()}.{deaccent(CARETAKERS[1].last).lower()}@{ORG_DOMAIN}"
    L += event("État des lieux de sortie", f"{p.street_line()}, {p.cp} {p.city}", PASCAL, [(CARETAKERS[1], "ACCEPTED")],
               f"Locataire sortant : {p.civ} {p.last.upper()} {p.first} ({fmt_phone(p.mobile)}). Nouvelle adresse non communiquée. "
               f"Relevé compteur eau n° {hexid(10).upper()}.", datetime.date(2024, 5, 28))
    d.person(CARETAKERS[1], kinds=("name", "email"))
    d.lab("name", f"{p.first} {p.last.upper()}", who=p.who)
    d.person(p, kinds=("mobile", "address"))
    L.append("END:VCALENDAR")
    data = b"\r\n".join(ics_fold(x) for x in L) + b"\r\n"
    return d, data


# --------------------------------------------------------------------------
# SQL dump
# --------------------------------------------------------------------------

def sq(s):
    return "'" + str(s).replace("'", "''") + "'"


def gen_sql(people):
    d = Doc("exports/gestloc_dump_2024-05-02.sql")
    L = ["-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)", "--",
         "-- Host: 10.44.0.21    Database: gestloc", "-- ------------------------------------------------------",
         "-- Server version\t8.0.36-0ubuntu0.22.04.1", "", "/*!40101 SET NAMES utf8mb4 */;", "",
         "DROP TABLE IF EXISTS `locataires`;",
         "CREATE TABLE `locataires` (", "  `id` int NOT NULL AUTO_INCREMENT,", "  `nom` varchar(80) NOT NULL,",
         "  `prenom` varchar(80) NOT NULL,", "  `date_naissance` date DEFAULT NULL,", "  `nir` char(15) DEFAULT NULL,",
         "  `adresse` varchar(120) DEFAULT NULL,", "  `complement` varchar(120) DEFAULT NULL,", "  `cp` char(5) DEFAULT NULL,",
         "  `ville` varchar(60) DEFAULT NULL,", "  `tel` varchar(20) DEFAULT NULL,", "  `email` varchar(120) DEFAULT NULL,",
         "  `date_entree` date DEFAULT NULL,", "  PRIMARY KEY (`id`)", ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", "",
         "LOCK TABLES `locataires` WRITE;",
         "INSERT INTO `locataires` (`id`, `nom`, `prenom`, `date_naissance`, `nir`, `adresse`, `complement`, `cp`, `ville`, "
         "`tel`, `email`, `date_entree`) VALUES"]
    vals = []
    d.lab("ip", "10.44.0.21", optional=True)
    for n, p in enumerate(people):
        nir = p.nir if n != 3 else bad_nir()
        compl = f"{p.res} Bât. {p.bat}" if chance(0.6) else ""
        vals.append(f"({1000 + n},{sq(p.last.upper())},{sq(p.first)},{sq(p.born.isoformat())},{sq(nir)},"
                    f"{sq(p.street_line())},{sq(compl) if compl else 'NULL'},{sq(p.cp)},{sq(p.city.upper())},"
                    f"{sq(p.mobile)},{sq(p.email)},{sq(day(2005, 2023).isoformat())})")
        name_lab(d, p, up(p))
        d.person(p, kinds=("birthdate", "mobile", "email"))
        if n != 3:
            d.person(p, kinds=("nir",))
        if compl:
            lab_addr(d, p, [compl], after=True)
        else:
            d.person(p, kinds=("address",))
    L.append(",\n".join(vals) + ";")
    L += ["UNLOCK TABLES;", "", "DROP TABLE IF EXISTS `fournisseurs`;",
          "CREATE TABLE `fournisseurs` (`id` int, `raison_sociale` varchar(120), `siret` char(14), `iban` varchar(34), "
          "`tel` varchar(20), `adresse` varchar(200));",
          "INSERT INTO `fournisseurs` VALUES " + ",".join(
              f"({k},{sq(c[0])},{sq(siret())},{sq(make_iban())},{sq(c[4])},{sq(c[1] + ', ' + c[2] + ' ' + c[3])})"
              for k, c in enumerate(COMPANIES, 1)) + ";", "",
          "DROP TABLE IF EXISTS `logements`;",
          "CREATE TABLE `logements` (`id` int, `programme` varchar(80), `lat` decimal(9,6), `lon` decimal(9,6), "
          "`compteur_mac` char(17), `uuid` char(36), `maj` datetime);",
          "INSERT INTO `logements` VALUES " + ",".join(
              f"({k},{sq(pick(PROGRAMMES))},{gps()[0]},{gps()[1]},{sq(mac())},{sq(uuid4())},'2024-05-0{R.randint(1, 9)} 0{R.randint(0, 9)}:00:00')"
              for k in range(1, 7)) + ";",
          "", f"-- Dump completed on 2024-05-02 03:00:{R.randint(10, 59)}"]
    return d, ("\n".join(L) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# Web logs
# --------------------------------------------------------------------------

UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.118 Mobile Safari/537.36",
      "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
      "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"]


def q(s):
    return urllib.parse.quote_plus(s)


def gen_access_log(people):
    d = Doc("logs/portail_access.log")
    t = datetime.datetime(2024, 5, 6, 7, 58, 0)
    host = f"https://portail.{ORG_DOMAIN}"
    j = 0
    for n in range(44):
        t += datetime.timedelta(seconds=R.randint(5, 500))
        p = people[j % len(people)] if n % 3 != 2 else None
        ip = ip_public()
        ref = "-"
        k = j % 5
        if p is not None:
            j += 1
        if p is None:
            path = pick([f"/static/js/portail.{hexid(8)}.js", f"/static/fonts/marianne-{version()}.woff2", "/favicon.ico",
                         f"/api/v1/logements/{uuid4()}/photos", f"/actualites?page={R.randint(1, 9)}", "/robots.txt",
                         f"/quittances/2024-{R.randint(1, 5):02d}.pdf?id={hexid(24)}"])
        elif k == 0:
            path = f"/portail/recherche?nom={q(p.last)}&prenom={q(p.first)}&ok=1"
            ref = f"{host}/portail/accueil"
            name_lab(d, p)
        elif k == 1:
            path = f"/portail/inscription?civilite={'Mme' if p.sex == 'F' else 'M'}&nom={q(p.last.upper())}&prenom={q(p.first)}" \
                   f"&email={urllib.parse.quote(p.email, safe='')}&tel={q(sp(p.mobile))}"
            name_lab(d, p, f"{p.first} {p.last.upper()}")
            d.person(p, kinds=("email", "mobile"))
        elif k == 2:
            path = f"/api/v2/contact?tel={urllib.parse.quote(e164(p.mobile), safe='')}&canal=sms&v={version()}"
            ref = f"{host}/mon-compte?email={urllib.parse.quote(p.email, safe='')}"
            d.person(p, kinds=("mobile", "email"))
        elif k == 3:
            path = f"/portail/demande?adresse={q(p.street_line())}&cp={p.cp}&ville={q(p.city)}" \
                   f"&ddn={urllib.parse.quote(dmy(p.born), safe='')}"
            d.person(p, kinds=("address", "birthdate"))
        else:
            path = f"/portail/mot-de-passe-oublie?email={p.email}"
            d.person(p, kinds=("email",))
        d.add(f'{ip} - - [{t:%d/%b/%Y:%H:%M:%S} +0200] "GET {path} HTTP/1.1" {pick([200, 200, 302, 304, 404])} '
              f'{R.randint(200, 60000)} "{ref}" "{pick(UA if p is None else UA[:4])}"')
        d.lab("ip", ip, who=p.who if p else None)
    return d


def gen_nginx_log(people):
    d = Doc("logs/nginx_access.log")
    t = datetime.datetime(2024, 5, 13, 9, 0, 0)
    for n in range(30):
        t += datetime.timedelta(seconds=R.randint(3, 300))
        p = pick(people)
        ip = ip6() if n % 5 == 1 else ip_public()
        if n % 4 == 0:
            path = f"/extranet/rdv?nom={q(p.last)}&prenom={q(p.first)}&tel={q(sp(p.mobile))}&motif=etat+des+lieux"
            name_lab(d, p)
            d.person(p, kinds=("mobile",))
        elif n % 4 == 1:
            path = f"/extranet/login?next=%2Fcompte&user={urllib.parse.quote(p.email, safe='')}"
            d.person(p, kinds=("email",))
        elif n % 4 == 2:
            path = f"/assets/v{R.randint(1, 4)}.{R.randint(0, 20)}.{R.randint(0, 9)}/app.css"
        else:
            path = f"/api/v1/ticket/{hexid(16)}?build={version()}"
        d.add(f'{ip} - {p.email if n % 7 == 3 else "-"} [{t:%d/%b/%Y:%H:%M:%S} +0200] "GET {path} HTTP/2.0" '
              f'{pick([200, 200, 301, 499])} {R.randint(100, 30000)} "https://www.{ORG_DOMAIN}/" "{pick(UA[:4])}" '
              f'rt={R.randint(1, 900) / 1000:.3f} uct="0.00{R.randint(1, 9)}"')
        d.lab("ip", ip, who=p.who)
        if n % 7 == 3:
            d.person(p, kinds=("email",))
    return d


def gen_nginx_error(people):
    d = Doc("logs/nginx_error.log")
    t = datetime.datetime(2024, 5, 13, 9, 12, 0)
    for n in range(10):
        t += datetime.timedelta(seconds=R.randint(30, 3000))
        p = pick(people)
        ip = ip_public()
        upstream = f"10.44.0.{R.randint(20, 29)}"
        if n % 2:
            req = f"GET /portail/recherche?nom={q(p.last)}&prenom={q(p.first)} HTTP/1.1"
            name_lab(d, p)
        else:
            req = f"POST /api/v2/contact?email={urllib.parse.quote(p.email, safe='')} HTTP/1.1"
            d.person(p, kinds=("email",))
        d.add(f"{t:%Y/%m/%d %H:%M:%S} [error] {R.randint(1000, 9999)}#{R.randint(0, 9)}: *{R.randint(10**5, 10**6)} "
              f"upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, "
              f"server: portail.{ORG_DOMAIN}, request: \"{req}\", upstream: \"http://{upstream}:8080/\", "
              f"host: \"portail.{ORG_DOMAIN}\"")
        d.lab("ip", ip, who=p.who)
        d.lab("ip", upstream, optional=True)
    return d


# --------------------------------------------------------------------------
# CSV variants
# --------------------------------------------------------------------------

def gen_csv_utf16(people):
    d = Doc("exports/occupants_texte_unicode.txt")
    rows = [["Nom", "Prénom", "Adresse", "Code postal", "Ville", "Téléphone", "Adresse mail", "Date de naissance", "Date d'entrée"]]
    for p in people:
        rows.append([p.last.upper(), p.first, p.street_line(), p.cp, p.city, sp(p.mobile), p.email, dmy(p.born),
                     dmy(day(2000, 2023))])
        name_lab(d, p, up(p))
        d.person(p, kinds=("address", "mobile", "email", "birthdate"))
    text = "\r\n".join("\t".join(r) for r in rows) + "\r\n"
    return d, b"\xff\xfe" + text.encode("utf-16-le")


def gen_csv_cp1252(people):
    d = Doc("exports/prelevements_juin_2024.csv")
    rows = ["Civilité;Nom;Prénom;Adresse 1;Adresse 2;CP;Commune;Tél. portable;IBAN;Montant;Échéance"]
    for n, p in enumerate(people):
        a2 = f"Bât. {p.bat} Appt {p.appt}" if n % 2 else ""
        iban = p.iban if n != 4 else bad_iban()
        rows.append(";".join([p.civ, p.last.upper(), p.first, p.street_line(), a2, p.cp, p.city.upper(), sp(p.mobile),
                              group4(iban), amount(250, 700), "05/06/2024"]))
        name_lab(d, p, up(p))
        if a2:
            lab_addr(d, p, [a2], after=True)
        else:
            d.person(p, kinds=("address",))
        d.person(p, kinds=("mobile",))
        if n != 4:
            d.person(p, kinds=("iban",))
    rows.append(f";TOTAL;;;;;;;;{amount(3000, 6000)};")
    return d, ("\r\n".join(rows) + "\r\n").encode("cp1252")


def gen_csv_titled(people):
    d = Doc("exports/interventions_mai_2024.csv")
    rows = [f"Relevé des interventions – agence de Saint-Nazaire – Mai 2024;;;;;;;",
            f"Extraction du 03/06/2024 par {TIAGO.first} {TIAGO.last};;;;;;;",
            "Date;N° OS;Locataire;Adresse du logement;Téléphone;Technicien;Entreprise;SIRET entreprise"]
    d.lab("name", f"{TIAGO.first} {TIAGO.last}")
    for p in people:
        c = pick(COMPANIES)
        k = pick(TECHS)
        rows.append(";".join([dmy(day(2024, 2024)), f"OS-{R.randint(10000, 99999)}", f"{p.civ} {upfirst(p)}",
                              f"{p.street_line()} {p.cp} {p.city}", fmt_phone(p.mobile), f"{k.first} {k.last}", c[0], siret()]))
        name_lab(d, p, up(p))
        d.lab("address", f"{p.street_line()} {p.cp} {p.city}", alt=[p.address()], who=p.who)
        d.person(p, kinds=("mobile",))
        d.person(k, kinds=("name",))
    return d, ("\r\n".join(rows) + "\r\n").encode("utf-8")


# --------------------------------------------------------------------------
# JSON keyed by tenant id, YAML on-call list
# --------------------------------------------------------------------------

def gen_json(people):
    d = Doc("exports/locataires_par_id.json")
    out = {}
    for p in people:
        lat, lon = gps()
        tid = f"T-{R.randint(100, 99999):05d}"
        out[tid] = {"civilite": p.civ, "nom": p.last.upper() if chance(0.5) else p.last, "prenom": p.first,
                    "ne_le": dmy(p.born) if chance(0.5) else p.born.isoformat(),
                    "logement": {"residence": p.res, "batiment": p.bat, "adresse": p.street_line(), "code_postal": p.cp,
                                 "ville": p.city, "gps": {"lat": float(lat), "lon": float(lon)}},
                    "contacts": {"mobile": fmt_phone(p.mobile), "email": p.email},
                    "prelevement": {"iban": p.iban, "rum": f"HLO-{R.randint(2015, 2023)}-{R.randint(100000, 999999)}"},
                    "date_entree": day(2005, 2023).isoformat(), "compteur": {"id": hexid(12), "mac": mac()},
                    "maj": f"2024-05-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:00:00+02:00"}
        name_lab(d, p, f"{p.first} {out[tid]['nom']}")
        d.person(p, kinds=("birthdate", "mobile", "email", "iban"))
        # written parts in key order: residence, batiment, adresse, code_postal, ville
        d.lab("address", p.address(), alt=[f"{p.res}, {p.bat}, {p.address()}", f"{p.bat}, {p.address()}"], who=p.who)
    meta = {"_export": {"outil": "GestLoc", "version": version(), "genere_le": "2024-05-02T03:00:00+02:00", "id": uuid4()}}
    meta.update(out)
    return d, json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")


def gen_yaml():
    d = Doc("config/astreinte_techniciens.yaml")
    people = TECHS + [MARIN]
    L = ["# Astreinte technique – Habitat Loire Océan", f"# généré par planif-astreinte {version()} le 2024-05-02", "",
         "service:", f"  standard: \"{ORG_PHONE}\"", f"  boite_generique: astreinte@{ORG_DOMAIN}",
         f"  passerelle_sms: 10.44.0.{R.randint(30, 39)}", f"  mac_passerelle: \"{mac()}\"", f"  cle_api: {hexid(32)}",
         "", "semaines:"]
    ips = [L[-5].split(": ")[1]]
    assert ips[0].startswith("10.44."), ips
    for w, p in enumerate(people, 20):
        L += [f"  - semaine: {w}", f"    du: 2024-05-{(w - 20) * 7 + 3:02d}", "    technicien:",
              f"      nom: {p.first} {p.last}", f"      mobile: \"{fmt_phone(p.mobile)}\"", f"      mail: {p.email}",
              f"    suppleant: {PASCAL.first} {PASCAL.last}",
              f"    vehicule: {pick(['Kangoo', 'Berlingo', 'Partner'])} {R.randint(10, 99)}-{pick(['AB', 'GH', 'KL'])}-{R.randint(100, 999)}"]
        d.person(p, kinds=("name", "mobile", "email"))
    L += ["", "entreprises_astreinte:"]
    for c in COMPANIES[:3]:
        L += [f"  - raison_sociale: \"{c[0]}\"", f"    telephone: \"{c[4]}\"", f"    siret: \"{siret()}\""]
    L += ["", "securite:", f"  uuid_instance: {uuid4()}", f"  version_min_client: {version()}"]
    d.person(PASCAL, kinds=("name",))
    d.lab("ip", ips[0], optional=True)
    return d, ("\n".join(L) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# Markdown minutes, phone-call notes
# --------------------------------------------------------------------------

def gen_minutes_md(residents, full):
    d = Doc("reunions/cr_conseil_concertation_2024-05.md")
    L = ["# Conseil de concertation locative – 14 mai 2024", "",
         f"**Lieu :** salle Anne de Bretagne, agence de Saint-Nazaire ({AGENCY_ADDR[0]})  ", "**Début :** 18 h 00", "",
         "## Présents", "", "### Représentants des locataires", ""]
    for p, bat in residents:
        L.append(f"- {p.civ} {p.last} (bât. {bat})")
        bare(d, p)
    L += [f"- {TMAI.civ} Nguyen Thi Mai (bât. B), secrétaire de séance", f"- {full.civ} {full.first} {full.last.upper()}, "
          "présidente de l'amicale CNL" if full.sex == "F" else f"- {full.civ} {full.first} {full.last.upper()}, président de l'amicale CNL"]
    viet(d, TMAI, "Nguyen")
    d.lab("name", "Nguyen", alt=[f"{TMAI.civ} Nguyen"], optional=True, who=TMAI.who)
    name_lab(d, full, up(full))
    exc = Person()
    bare(d, exc)
    L += ["", f"### Pour {ORG}", "", f"- {ROZENN.first} {ROZENN.last}, gestionnaire locative",
          f"- {PASCAL.first} {PASCAL.last}, responsable technique", "", "### Excusés", "",
          f"- {exc.civ} {exc.last} (pouvoir donné à {TMAI.civ} Nguyen)", "",
          "## 1. Travaux", "",
          "| Résidence | Travaux | Entreprise | Date |", "|---|---|---|---|",
          f"| Résidence Jules Verne | ravalement | {COMPANIES[1][0]} | Mai 2024 |",
          f"| Résidence Les Mouettes | ascenseur | {COMPANIES[4][0]} | juin 2024 |",
          f"| Le Clos Anne de Bretagne | colonnes EU | {COMPANIES[0][0]} | 3e trimestre |", "",
          f"{residents[1][0].civ} {residents[1][0].last} signale que la rue Jules Verne est barrée devant l'école Aristide Briand.",
          f"{PASCAL.first} {PASCAL.last} répond que la mairie a prévenu par courrier du {dmy(day(2024, 2024))}.", "",
          "## 2. Charges", "", f"Régularisation : {amount(20, 120)} € en moyenne par logement (compte {ORG_ICS}).",
          f"Prochaine réunion : jeudi 12 septembre 2024, gymnase Pierre de Coubertin.", ""]
    d.person(ROZENN, kinds=("name",))
    d.person(PASCAL, kinds=("name",))
    return d, "\n".join(L).encode("utf-8")


def gen_team_md():
    d = Doc("reunions/reunion_equipe_proximite.md")
    t1, t2, t3 = Person(), Person("M", None, "Van Acker"), Person("F", "Rose")
    L = ["# Réunion d'équipe proximité – 6 mai 2024", "", "Participants : " + ", ".join(
        f"{p.first} {p.last}" for p in CARETAKERS) + f", {PASCAL.first} {PASCAL.last} (animateur)", "",
         "## Situations individuelles", "",
         f"1. **{t1.last.upper()} {t1.first}** – {t1.res}, bât. {t1.bat} : dégât des eaux, assurance relancée.",
         f"2. **{t2.first} {t2.last}** – encombrants sur le palier ; courrier à envoyer.",
         f"3. {t3.civ} {t3.first} {t3.last.upper()} – {born_word(t3)} le {dmy(t3.born)}, demande d'aide pour dossier FSL ; "
         f"joignable au {fmt_phone(t3.mobile)}.", "",
         "## Divers", "", "- Formation gestes et postures le 23 mai (salle Jules Verne).",
         f"- Badge Vigik : lot n° {R.randint(10**5, 10**6)}, IMEI du téléphone d'astreinte {imei()}.",
         "- Fête des voisins : Mai 2024, square Aristide Briand.", ""]
    for p in CARETAKERS:
        d.person(p, kinds=("name",))
    d.person(PASCAL, kinds=("name",))
    name_lab(d, t1, f"{t1.first} {t1.last.upper()}")
    name_lab(d, t2)
    name_lab(d, t3, up(t3))
    d.person(t3, kinds=("birthdate", "mobile"))
    return d, "\n".join(L).encode("utf-8")


def gen_call_note(i, p, spouse=None, kind="rib"):
    d = Doc(f"notes/appel_{i:02d}_{deaccent(p.last).lower().replace(' ', '_')}.txt")
    s = pick([ROZENN, CLEMENCE])
    t = f"{dmy(day(2024, 2024))} à {R.randint(8, 17)}h{R.randint(10, 59)}"
    L = [f"NOTE D'APPEL – {t}", f"Agent : {s.first} {s.last}", ""]
    d.person(s, kinds=("name",))
    if kind == "rib":
        L += [f"Appel de {p.civ_long} {p.first} {p.last.upper()} (locataire {p.res}, bât. {p.bat}), rappel au {fmt_phone(p.mobile)}.",
              "Demande le changement du compte de prélèvement à compter de Mai 2024 :",
              f"  ancien IBAN : {group4(p.iban)}",
              f"  nouvel IBAN : {group4(spouse.iban)} (compte joint avec son mari, {spouse.first} {spouse.last.upper()})",
              f"Vérifié : date de naissance {dmy(p.born)} conforme au dossier.",
              "Mandat SEPA à faire signer – RUM à générer. Dossier transmis à la comptabilité (" + OLIVE.first + " " + OLIVE.last + ")."]
        name_lab(d, p, up(p))
        d.person(p, kinds=("mobile", "iban", "birthdate"))
        d.person(spouse, kinds=("iban",))
        name_lab(d, spouse, up(spouse))
        d.person(OLIVE, kinds=("name",))
    elif kind == "viet":
        L += [f"Appel de Mme NGUYEN Thi Mai, bât. B, {p.street_line()}, {p.cp} {p.city}.",
              f"Signale une infiltration au plafond de la salle de bains. Tél. {fmt_phone(p.mobile)} ou {sp(p.fixe)}.",
              f"Ne pas confondre avec Mme Mai NGUYEN (Saint-Nazaire), dossier différent.",
              f"Bon de travaux transmis à {COMPANIES[0][0]} (OS-{R.randint(10000, 99999)}), intervention prévue le {dmy(day(2024, 2024))}."]
        viet(d, p, "NGUYEN")
        lab_addr(d, p, ["bât. B"])
        d.person(p, kinds=("mobile", "fixe"))
        d.lab("name", "Mai NGUYEN", who=MAI.who)
    else:
        nb = Person()
        L += [f"Appel de {p.civ} {p.last.upper()} ({fmt_phone(p.mobile)}) au sujet de son voisin du dessus, {nb.civ} {nb.last}.",
              f"Bruits de perceuse le dimanche ; {p.civ} {p.last} dit avoir déjà écrit le {dmy(day(2024, 2024))}.",
              f"Adresse : {p.street_line()}, {p.cp} {p.city}.",
              f"Rappelé par le gardien {CARETAKERS[1].first} {CARETAKERS[1].last} le lendemain. Ticket {hexid(10).upper()}."]
        d.lab("name", p.last, alt=[f"{p.civ} {p.last}", f"{p.civ} {p.last.upper()}"], who=p.who)
        bare(d, nb)
        d.person(p, kinds=("mobile", "address"))
        d.person(CARETAKERS[1], kinds=("name",))
    d.add(*L)
    return d


# --------------------------------------------------------------------------
# Mail: .eml (QP HTML body + base64 CSV attachment), .mbox thread
# --------------------------------------------------------------------------

def hdr(name):
    """A display name in a mail header: RFC 2047 Q-encoded when not ASCII."""
    try:
        name.encode("ascii")
        return name
    except UnicodeEncodeError:
        enc = "".join(c if c.isascii() and c.isalnum() else "_" if c == " " else
                      "".join(f"={b:02X}" for b in c.encode("utf-8")) for c in name)
        return f"=?UTF-8?Q?{enc}?="


def qp(html):
    return quopri.encodestring(html.encode("utf-8")).decode("ascii")


def b64lines(data):
    s = base64.b64encode(data).decode("ascii")
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def gen_eml_attachment(people):
    path = "mails/liste_locataires_bat_C.eml"
    d = Doc(path)
    att = Doc(f"{path}::locataires_bat_C.csv")
    csv_rows = ["nom;prenom;appt;telephone;email;ne_le"]
    for p in people:
        csv_rows.append(f"{p.last.upper()};{p.first};{p.appt};{sp(p.mobile)};{p.email};{dmy(p.born)}")
        name_lab(att, p, up(p))
        att.person(p, kinds=("mobile", "email", "birthdate"))
    html = (f"<html><body><p>Bonjour,</p><p>Comme convenu, voici la liste des occupants du bâtiment C de la "
            f"Résidence Océane pour la visite de l'entreprise {COMPANIES[2][0]} (SIRET {siret()}) prévue en Mai 2024.</p>"
            f"<p>Attention : <b>{people[1].civ} {people[1].first} {people[1].last}</b> (appt {people[1].appt}) ne peut "
            f"pas être présente ; elle laisse ses clés à la loge de {CARETAKERS[2].first} {CARETAKERS[2].last}.</p>"
            f"<p>Bien cordialement,</p><p>{CLEMENCE.first} {CLEMENCE.last}<br>{ROLES[CLEMENCE]}<br>"
            f"Ligne directe : {sp(CLEMENCE.direct)}<br>{ORG} – {AGENCY_ADDR[0]}, {AGENCY_ADDR[1]} {AGENCY_ADDR[2]}</p>"
            f"</body></html>")
    boundary = f"----=_Part_{R.randint(1000, 9999)}_{R.randint(10**8, 10**9)}"
    L = [f"From: {hdr(CLEMENCE.first + ' ' + CLEMENCE.last)} <{CLEMENCE.email}>",
         f"To: {PASCAL.first} {PASCAL.last} <{PASCAL.email}>", f"Cc: contact@{ORG_DOMAIN}",
         "Subject: =?UTF-8?Q?Liste_des_occupants_b=C3=A2t=2E_C?=", "Date: Thu, 2 May 2024 16:42:10 +0200",
         f"Message-ID: <{uuid4()}@{ORG_DOMAIN}>", "MIME-Version: 1.0",
         f'Content-Type: multipart/mixed; boundary="{boundary}"', "", "This is a multi-part message in MIME format.",
         f"--{boundary}", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
         qp(html).replace("\n", "\r\n"), f"--{boundary}",
         'Content-Type: text/csv; charset=utf-8; name="locataires_bat_C.csv"', "Content-Transfer-Encoding: base64",
         'Content-Disposition: attachment; filename="locataires_bat_C.csv"', "",
         b64lines(("\r\n".join(csv_rows) + "\r\n").encode("utf-8")), f"--{boundary}--", ""]
    for s in (CLEMENCE, PASCAL):
        d.person(s, kinds=("name", "email"))
    d.lab("phone", e164(CLEMENCE.direct))
    name_lab(d, people[1])
    d.person(CARETAKERS[2], kinds=("name",))
    return d, att, "\r\n".join(L).encode("ascii")


def gen_eml_tenant(p):
    d = Doc("mails/demande_attestation.eml")
    html = (f"<div dir=\"ltr\"><div>Bonjour Madame, Monsieur,</div><div><br></div><div>Je me permets de vous relancer pour "
            f"l'attestation de loyer demandée le {dmy(day(2024, 2024))} (pour la CAF, dossier n° {R.randint(10**6, 10**7)}). "
            f"Mon fils est inscrit à {pick(SCHOOLS)} à la rentrée.</div><div><br></div><div>Bien à vous,</div>"
            f"<div>{p.first} {p.last}</div><div>{p.res}, Bât. {p.bat}, Appt {p.appt}</div><div>{p.street_line()}</div>"
            f"<div>{p.cp} {p.city}</div><div>{fmt_phone(p.mobile)}</div></div>"
            f"<div class=\"gmail_quote\">Le jeu. {R.randint(1, 28)} mai 2024, contact@{ORG_DOMAIN} a écrit :<blockquote>"
            f"Votre demande n° {hexid(8).upper()} a bien été reçue. – {ORG}, {AGENCY_ADDR[0]}, {AGENCY_ADDR[1]} "
            f"{AGENCY_ADDR[2]}</blockquote></div>")
    L = [f"From: {hdr(p.first + ' ' + p.last)} <{p.email}>",
         f"To: contact@{ORG_DOMAIN}", "Subject: Re: Votre demande d'attestation", "Date: Mon, 6 May 2024 21:03:55 +0200",
         f"Message-ID: <CA+{hexid(20)}@mail.gmail.com>", "MIME-Version: 1.0",
         'Content-Type: text/html; charset="UTF-8"', "Content-Transfer-Encoding: quoted-printable", "",
         qp(html).replace("\n", "\r\n"), ""]
    name_lab(d, p)
    d.person(p, kinds=("email", "mobile"))
    lab_addr(d, p, [p.res, f"Bât. {p.bat}", f"Appt {p.appt}"])
    return d, "\r\n".join(L).encode("ascii")


def gen_mbox(p, spouse):
    path = "mails/fil_changement_rib.mbox"
    d = Doc(path)
    msgs = [Doc(f"{path}::message {k}") for k in (1, 2, 3)]
    s = ROZENN
    sig = ["--", f"{p.first} {p.last}", f"{p.res}, Bât. {p.bat}", f"{p.street_line()}, {p.cp} {p.city}", f"Tél. {fmt_phone(p.mobile)}"]
    m1 = [f"From {p.email} Fri May  3 09:14:02 2024", f"From: {p.first} {p.last} <{p.email}>", f"To: contact@{ORG_DOMAIN}",
          "Subject: Changement de RIB", "Date: Fri, 3 May 2024 09:14:02 +0200", f"Message-ID: <{uuid4()}@sfr.fr>",
          "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", "Bonjour,", "",
          f"Nous avons ouvert un compte joint avec mon mari {spouse.first} {spouse.last}. Merci de prélever le loyer sur",
          f"ce nouveau compte : {group4(spouse.iban)} à partir de Mai 2024.", "", "Cordialement,", *sig, ""]
    m = msgs[0]
    name_lab(m, p)
    name_lab(m, spouse)
    m.person(spouse, kinds=("iban",))
    m.person(p, kinds=("email", "mobile"))
    lab_addr(m, p, [f"{p.res}, Bât. {p.bat}"])
    m2 = [f"From {s.email} Fri May  3 11:30:45 2024", f"From: \"{s.last.upper()} {s.first}\" <{s.email}>",
          f"To: {p.first} {p.last} <{p.email}>", "Subject: RE: Changement de RIB", "Date: Fri, 3 May 2024 11:30:45 +0200",
          "Content-Type: text/plain; charset=utf-8", "", f"Bonjour {p.civ_long} {p.last},", "",
          f"Le compte étant joint, un nouveau mandat doit être signé par {p.civ_long} et Monsieur {spouse.last}.",
          f"Notre compte pour un virement ponctuel : {group4(ORG_IBAN)}. Dossier {hexid(8).upper()}.", "",
          "Bien cordialement,", "--", f"{s.first} {s.last}", ROLES[s], ORG, f"{ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}",
          f"Ligne directe {sp(s.direct)} – standard {ORG_PHONE}", "",
          f"Le 03/05/2024 à 09:14, {p.first} {p.last} a écrit :", "> Bonjour,", ">",
          f"> Nous avons ouvert un compte joint avec mon mari {spouse.first} {spouse.last}. Merci de prélever le loyer sur",
          f"> ce nouveau compte : {group4(spouse.iban)} à partir de Mai 2024.", ">", *[f"> {x}" for x in sig], ""]
    m = msgs[1]
    name_lab(m, p)
    name_lab(m, spouse)
    m.lab("name", p.last, alt=[f"{p.civ_long} {p.last}"], optional=True, who=p.who)
    m.lab("name", spouse.last, alt=[f"Monsieur {spouse.last}"], optional=True, who=spouse.who)
    m.person(s, kinds=("name", "email"))
    m.lab("phone", e164(s.direct))
    m.person(p, kinds=("email", "mobile"))
    m.person(spouse, kinds=("iban",))
    lab_addr(m, p, [f"{p.res}, Bât. {p.bat}"])
    m3 = [f"From {spouse.email} Fri May  3 18:02:11 2024", f"From: {spouse.first} {spouse.last} <{spouse.email}>",
          f"To: {s.email}", f"Cc: {p.email}", "Subject: RE: Changement de RIB", "Date: Fri, 3 May 2024 18:02:11 +0200",
          "Content-Type: text/plain; charset=utf-8", "", "Bonjour,",
          f"Je passerai signer le mandat à l'agence. Je suis né le {dmy(spouse.born)}, si besoin pour le dossier.",
          f"Mon portable : {fmt_phone(spouse.mobile)}.", "", f"{spouse.first} {spouse.last.upper()}", ""]
    m = msgs[2]
    name_lab(m, spouse)
    m.person(spouse, kinds=("email", "birthdate", "mobile"))
    m.person(s, kinds=("email",))
    m.person(p, kinds=("email",))
    d.add(*m1, *m2, *m3)
    return d, msgs


# --------------------------------------------------------------------------
# xlsx: two-row title, `NOM Prénom` column, hidden sheet
# --------------------------------------------------------------------------

def gen_xlsx(current, former):
    d = Doc("exports/occupants_residences.xlsx")
    head = ["NOM Prénom", "Résidence", "Adresse", "CP", "Commune", "Téléphone", "Né(e) le", "Date d'entrée", "Réf. logement"]

    def rows(people, title):
        out = [[f"{ORG} – {title}"], ["Extraction GestLoc du 02/05/2024 – agence de Saint-Nazaire – usage interne"], head]
        for p in people:
            if p is TMAI:
                nm = "NGUYEN Thi Mai"
            else:
                nm = f"{p.last.upper()} {p.first}"
            out.append([nm, p.res, p.street_line(), p.cp, p.city, sp(p.mobile),
                        datetime.datetime(p.born.year, p.born.month, p.born.day),
                        datetime.datetime(R.randint(2005, 2023), R.randint(1, 12), 1), f"{R.randint(100, 999)}-{R.randint(10, 99)}"])
            name_lab(d, p, f"{p.first} {p.last.upper()}")
            d.person(p, kinds=("mobile", "birthdate"))
            d.lab("address", f"{p.res}, {p.address()}", alt=[p.address()], who=p.who)
        return out

    sheets = [("Occupants", rows(current, "liste des occupants au 02/05/2024"), False),
              ("Anciens 2023", rows(former, "occupants sortis en 2023"), True)]
    return d, xlsx_bytes(sheets)


# --------------------------------------------------------------------------
# Zip of closed files
# --------------------------------------------------------------------------

def gen_zip():
    path = "archives/dossiers_clos_2023.zip"
    inner = []
    a, b, c = Person(), GAELLE, Person("F", "Mai", None)
    # a vCard of a closed file
    dv = Doc("contacts_sortants.vcf")
    lines = vcard(dv, a, note="Sorti le 31/12/2023") + vcard(dv, c, note="Sortie Mai 2023")
    inner.append((dv, ("\r\n".join(lines) + "\r\n").encode("utf-8")))
    # a CSV of closed files
    dc = Doc("soldes_sortants.csv")
    rows = ["Locataire;Adresse;CP;Ville;Solde;IBAN remboursement"]
    for p in (a, b, c):
        rows.append(f"{p.last.upper()} {p.first};{p.street_line()};{p.cp};{p.city};{amount(-300, 300)};{group4(p.iban)}")
        name_lab(dc, p, up(p))
        dc.person(p, kinds=("address", "iban"))
    inner.append((dc, ("\n".join(rows) + "\n").encode("utf-8")))
    # an odt letter
    do = Doc("courrier_solde_le_bihan.odt")
    paras = letterhead_lines(True) + ["", f"{b.civ_long} {b.first} {b.last.upper()}", f"{b.res} – Bât. {b.bat} – Appt {b.appt}",
                                      b.street_line(), f"{b.cp} {b.city.upper()}", "",
                                      "Objet : solde de votre compte locataire", "",
                                      f"{b.civ_long}, votre dépôt de garantie vous sera remboursé sur le compte {group4(b.iban)}.",
                                      f"{ROZENN.first} {ROZENN.last}"]
    name_lab(do, b, up(b))
    lab_addr(do, b, [f"{b.res} – Bât. {b.bat} – Appt {b.appt}"])
    do.person(b, kinds=("iban",))
    do.lab("name", f"{ROZENN.first} {ROZENN.last}")
    inner.append((do, odt_bytes(paras)))
    # a text note without personal data
    dn = Doc("LISEZMOI.txt")
    inner.append((dn, (f"Archives {ORG} – dossiers clos 2023\nConservation : 5 ans après la sortie (Mai 2028).\n"
                       f"Empreinte SHA-1 du lot : {hexid(40)}\nColis d'archives suivi n° {s10()}\n").encode("utf-8")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for doc, data in inner:
            zi = zipfile.ZipInfo(doc.path, (2024, 1, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    DOCS.append((path, buf.getvalue(), None))
    for doc, _ in inner:
        DOCS.append((f"{path}::{doc.path}", None, doc.labels))


# --------------------------------------------------------------------------
# More shapes: vCard 2.1 with quoted-printable, a base64 mail body, a two-page offer with a blank
# reply slip, a home-visit note
# --------------------------------------------------------------------------

def qp_field(s):
    return "".join(c if c.isascii() and c not in "=;" else "".join(f"={b:02X}" for b in c.encode("utf-8")) for c in s)


def gen_vcf21(people):
    d = Doc("contacts/export_telephone_astreinte.vcf")
    L = []
    for p in people:
        nm, fn = f"{p.last};{p.first};;;", f"{p.first} {p.last}"
        if all(c.isascii() for c in fn):
            L += ["BEGIN:VCARD", "VERSION:2.1", f"N:{nm}", f"FN:{fn}"]
        else:
            L += ["BEGIN:VCARD", "VERSION:2.1", f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp_field(p.last)};{qp_field(p.first)};;;",
                  f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp_field(fn)}"]
        L += [f"TEL;CELL;PREF:{p.mobile}"]
        d.person(p, kinds=("name", "mobile"))
        if p.who or chance(0.5):
            L.append(f"EMAIL;HOME:{p.email}")
            d.person(p, kinds=("email",))
        L.append("END:VCARD")
    c = COMPANIES[0]
    L += ["BEGIN:VCARD", "VERSION:2.1", f"N:{c[0]};;;;", f"FN:{c[0]}", f"TEL;WORK:{c[4].replace(' ', '')}", "END:VCARD"]
    return d, ("\r\n".join(L) + "\r\n").encode("utf-8")


def gen_eml_b64(p):
    d = Doc("mails/avis_echeance_automatique.eml")
    body = (f"Bonjour {p.civ_long} {p.first} {p.last.upper()},\n\n"
            f"Votre avis d'échéance de Mai 2024 est disponible : {amount(300, 700)} € seront prélevés le 05/06/2024 "
            f"sur le compte {group4(p.iban)}.\n"
            f"Logement : {p.res}, Bât. {p.bat}, {p.street_line()}, {p.cp} {p.city}\n"
            f"Consultez-le sur https://portail.{ORG_DOMAIN}/avis?token={hexid(32)}\n\n"
            f"Ceci est un message automatique, merci de ne pas y répondre.\n{ORG} – {ORG_PHONE}\n")
    raw = base64.b64encode(body.encode("utf-8")).decode("ascii")
    L = [f"From: {hdr(ORG)} <noreply@{ORG_DOMAIN}>", f"To: {p.email}",
         "Subject: =?UTF-8?B?" + base64.b64encode("Votre avis d'échéance – Mai 2024".encode("utf-8")).decode("ascii") + "?=",
         "Date: Thu, 16 May 2024 06:00:12 +0200", f"Message-ID: <{hexid(24)}@mailer.{ORG_DOMAIN}>", "MIME-Version: 1.0",
         "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
         "\r\n".join(raw[i:i + 76] for i in range(0, len(raw), 76)), ""]
    name_lab(d, p, up(p))
    d.person(p, kinds=("email", "iban"))
    lab_addr(d, p, [p.res, f"Bât. {p.bat}"])
    return d, "\r\n".join(L).encode("ascii")


def gen_offer_pdf(p):
    d = Doc(f"courriers/proposition_logement_{deaccent(p.last).lower().replace(' ', '_')}.pdf")
    prog, num = pick(PROGRAMMES), R.randint(1, 60)
    street, place = f"{R.randint(1, 90)} {pick(hb.STREETS)}", pick(hb.PLACES)
    offered = f"{prog}, logement n° {num}, {street}, {place[0]} {place[1]}"
    p1 = letterhead_lines(True) + [None, None, (320, f"{p.civ_long} {p.first} {p.last}"), (320, p.street_line()),
                                    (320, f"{p.cp} {p.city}"), None,
                                    (320, f"Saint-Nazaire, le {long_date(day(2024, 2024))}"), None,
                                    f"Demande n° 044{R.randint(10**9, 10**10 - 1)} – Commission du 16 mai 2024", None,
                                    "**Objet : proposition de logement", None, f"{p.civ_long},", None,
                                    f"La commission d'attribution vous propose le logement {offered}, "
                                    f"type T{R.randint(2, 5)}, loyer {amount(300, 650)} €, disponible à compter du {dmy(day(2024, 2024))}.",
                                    f"La visite est organisée par {CLEMENCE.first} {CLEMENCE.last} ({sp(CLEMENCE.direct)}). "
                                    "Merci de nous retourner le coupon-réponse ci-joint sous dix jours.", None,
                                    (320, f"{CLEMENCE.first} {CLEMENCE.last.upper()}")]
    p2 = ["**COUPON-RÉPONSE – à retourner à l'agence de Saint-Nazaire", None,
          f"Référence : {hexid(6).upper()}", None,
          "Nom : ______________________   Prénom : ______________________",
          "Date de naissance : ___ / ___ / ______   Téléphone : ____________________", None,
          "[ ] J'accepte le logement proposé        [ ] Je refuse le logement proposé (motif) :", None,
          "Fait à ______________________, le ______________   Signature :", None, None,
          f"Rappel : logement proposé à {p.civ} {p.last.upper()} – {offered}."]
    name_lab(d, p)
    d.lab("name", p.last, alt=[f"{p.civ} {p.last}"], optional=True, who=p.who)
    d.person(p, kinds=("address",))
    d.lab("address", offered, alt=[f"logement n° {num}, {street}, {place[0]} {place[1]}", f"{street}, {place[0]} {place[1]}"],
          optional=True, who=p.who)
    d.person(CLEMENCE, kinds=("name",))
    d.lab("phone", e164(CLEMENCE.direct))
    return d, pdf_bytes([p1, p2])


def gen_home_visit(p):
    d = Doc(f"notes/visite_domicile_{deaccent(p.last).lower().replace(' ', '_')}.txt")
    lat, lon = gps()
    k = CARETAKERS[0]
    d.add(f"VISITE À DOMICILE – {dmy(day(2024, 2024))} – {CLEMENCE.first} {CLEMENCE.last} et {k.first} {k.last} (gardienne)", "",
          f"Ménage : {p.civ} {p.first} {p.last} ({born_word(p)} le {dmy(p.born)}), seul(e) avec deux enfants scolarisés "
          f"{pick(['à l’école Aristide Briand', 'au collège Jules Verne', 'au lycée Gabriel Guist’hau'])}.",
          f"Logement : {p.res}, bât. {p.bat}, appt {p.appt} – {p.street_line()}, {p.cp} {p.city} (GPS {lat}, {lon}).",
          f"Digicode : {R.randint(1000, 9999)}A. Boîte aux lettres n° {R.randint(1, 80)}.",
          f"Constat : humidité chambre 2, VMC encrassée ; bon de travaux à {COMPANIES[5][0]}.",
          f"Situation : reprise d'emploi chez {COMPANIES[3][0]} depuis Mai 2024 ; dossier FSL à monter.",
          f"Contact : {fmt_phone(p.mobile)} – {p.email}. NIR communiqué pour le FSL : {fmt_nir(p.nir)}.", "",
          f"Suite : rappel le {dmy(day(2024, 2024))} ; copie à {NABIL.first} {NABIL.last} (contentieux).")
    d.person(CLEMENCE, kinds=("name",))
    d.person(k, kinds=("name",))
    name_lab(d, p)
    d.person(p, kinds=("birthdate", "mobile", "email", "nir"))
    lab_addr(d, p, [p.res, f"bât. {p.bat}", f"appt {p.appt}"])
    d.person(NABIL, kinds=("name",))
    return d


# --------------------------------------------------------------------------
# Decoys
# --------------------------------------------------------------------------

def gen_inventory():
    d = Doc("divers/inventaire_parc_mobile.txt")
    d.add("INVENTAIRE DU PARC MOBILE ET RÉSEAU – Mai 2024", f"Généré par MDM {version()} – lot {uuid4()}", "",
          f"{'Équipement':<24}{'IMEI / n° série':<20}{'Adresse MAC':<20}{'Firmware':<14}{'Affectation'}")
    for n in range(10):
        d.add(f"{pick(['Samsung Galaxy A54', 'iPhone SE 2022', 'Crosscall Core-X5', 'Borne Wi-Fi', 'Routeur 4G']):<24}"
              f"{imei() if n % 3 else hexid(12).upper():<20}{mac():<20}{version():<14}"
              f"{pick(['Astreinte technique', 'Loge Résidence Jules Verne', 'Agence de Saint-Nazaire', 'Stock'])}")
    lat, lon = gps()
    gw = f"192.168.{R.randint(0, 9)}.1"
    d.lab("ip", gw, optional=True)
    d.add("", f"Antenne relais la plus proche : {lat}, {lon} (47°16'24.2\"N 2°12'49.7\"W)",
          f"Colis de renouvellement : {s10()} et {s10()} (Colissimo), commande n° {R.randint(10**9, 10**10 - 1)}",
          f"Passerelle : {gw} ; DNS 10.44.0.2 ; version du profil 4.12.3.1187",
          f"Empreinte du certificat : {':'.join(hexid(2).upper() for _ in range(20))}",
          f"Contrat opérateur n° {R.randint(10**9, 10**10 - 1)} – ligne standard {ORG_PHONE}")
    d.lab("ip", "10.44.0.2", optional=True)
    return d


def gen_quality():
    d = Doc("divers/controle_qualite_donnees.txt")
    d.add("Contrôle qualité GestLoc – anomalies (valeurs rejetées, aucune n'est valide)", "",
          f"NIR à clé erronée : {fmt_nir(bad_nir())} ; {bad_nir()} ; {fmt_nir(bad_nir())}",
          f"IBAN à clé erronée : {group4(bad_iban())} ; {bad_iban()}",
          f"SIRET fournisseurs : {siret()} ; {siret()} – SIREN {siren()} – TVA {tva(siren())}",
          f"EAN : {ean13()} ; {ean13()} – IMEI : {imei()}",
          f"Factures : F{R.randint(2024000, 2024999)}, F{R.randint(2024000, 2024999)} ; bon de commande BC-{R.randint(100000, 999999)}",
          f"Dates : mise en service {dmy(day(2010, 2020))} ; échéance {dmy(day(2024, 2025))} ; Mai 2024 ; 1er mai 2024",
          f"Identifiants : {uuid4()} ; {hexid(24)} ; build {version()}",
          "", "Voies et équipements à ne pas confondre avec des personnes : " + ", ".join(hb.STREETS[:8]) + ", " + ", ".join(SCHOOLS) + ".",
          "Entreprises : " + ", ".join(c[0] for c in COMPANIES) + ".")
    return d


def gen_works_note():
    d = Doc("divers/note_service_travaux_mai_2024.md")
    L = ["# Note de service – travaux de Mai 2024", "", f"Diffusion : toutes agences – réf. NS-2024-{R.randint(10, 99)}", "",
         "## Chantiers", ""]
    for c in COMPANIES:
        lat, lon = gps()
        L.append(f"- {c[0]} – {pick(PROGRAMMES)}, {pick(hb.STREETS)} ({lat}, {lon}) – SIRET {siret()} – standard {c[4]}")
    L += ["", "## Rappels", "", "- Rue Jules Verne et boulevard Victor Hugo : stationnement interdit du 13 au 17 mai.",
          "- L'école Aristide Briand et la crèche Simone Veil sont prévenues.",
          f"- Réunion de chantier salle Anne de Bretagne, {AGENCY_ADDR[0]}, {AGENCY_ADDR[1]} {AGENCY_ADDR[2]}.",
          f"- Les factures de {COMPANIES[0][0]} sont à viser avant le 31 mai (n° F{R.randint(2024000, 2024999)}).",
          f"- Logiciel GMAO mis à jour en version {version()} (correctif {hexid(7)}).", ""]
    d.add(*L)
    return d


def gen_access_plan():
    d = Doc("divers/plan_acces_agences.html")
    lat, lon = gps()
    h = [HTML_HEAD.format(title="Nos agences", ver=version(), hx=hexid(8)),
         "<main><h1>Nos agences</h1>",
         f"<section><h2>Siège</h2><address>{ORG}<br>{ORG_ADDR[0]}<br>{ORG_ADDR[1]} {ORG_ADDR[2]}<br>Tél. {ORG_PHONE}</address>",
         f'<iframe src="https://www.openstreetmap.org/export/embed.html?bbox={lon},{lat}&amp;marker={lat},{lon}"></iframe></section>',
         f"<section><h2>Agence de Saint-Nazaire</h2><address>{AGENCY_ADDR[0]}<br>{AGENCY_ADDR[1]} {AGENCY_ADDR[2]}<br>"
         f"Tél. {AGENCY_PHONE}</address><p>Bus ligne U1, arrêt Jules Verne. Ouvert du lundi au vendredi.</p></section>",
         f"<p>Écrivez-nous : <a href=\"mailto:contact@{ORG_DOMAIN}\">contact@{ORG_DOMAIN}</a></p>",
         f"<footer>© {ORG} 2024 – v{version()}</footer></main></body></html>"]
    return d, ("\n".join(h) + "\n").encode("utf-8")


# --------------------------------------------------------------------------

def main():
    # PDFs
    emit(*gen_letter_pdf(0, MAI, "relance"))
    emit(*gen_letter_pdf(1, Person(), "troubles", beside=True, neighbour=Person("M", None, "Van Hoof")))
    emit(*gen_letter_pdf(2, Person("M", None, "de Kerguelen"), "etat_des_lieux"))
    emit(*gen_letter_pdf(3, Person("F", "Olive", None), "relance", caps=True))
    emit(*gen_letter_pdf(4, Person("M", "Van Long", "Pham"), "troubles", neighbour=Person("F", None, "Le Pape")))
    emit(*gen_payslip_pdf(0, MARIN, "Agent de maintenance"))
    emit(*gen_payslip_pdf(1, TECHS[0], "Technicien d'astreinte"))
    emit(*gen_payslip_pdf(2, CARETAKERS[0], "Gardienne d'immeuble", month=4))
    emit(*gen_payslip_pdf(3, Person("M", "Pascal", "Ould Brahim"), "Agent d'accueil", month=3))
    emit(*gen_arrears_pdf(0, TMAI, viet_last="Nguyen"))
    emit(*gen_arrears_pdf(1, Person("F", "Ana Rita", "Gonçalves Pereira")))
    emit(*gen_arrears_pdf(2, Person("M", "Marin", None)))
    for i, c in enumerate((COMPANIES[0], COMPANIES[4], COMPANIES[1])):
        emit(*gen_invoice_pdf(i, c))
    # odt, docx
    emit(*gen_odt(0, GAELLE, "attestation_loyer"))
    emit(*gen_odt(1, Person("M", None, "Ben Youssef"), "courrier_caf"))
    emit(*gen_odt(2, Person("F", "Fatima Zahra", "Ould Cheikh"), "reponse_reclamation"))
    emit(*gen_odt(3, Person("F", "Rose", None), "attestation_loyer"))
    emit(*gen_lease(0, ROSE, JOAO, Person("F", None, "da Costa Martins")))
    emit(*gen_lease(1, Person("M", None, "Van Acker"), guarantor=Person("M", None, "Ben Ali")))
    # HTML
    emit(*gen_directory())
    emit(*gen_portal_request(MAI))
    emit(*gen_portal_account(Person("M", "Duc Anh", "Tran")))
    emit(*gen_access_plan())
    # vCard, iCalendar
    emit(*gen_vcf())
    emit(*gen_ics())
    # SQL
    emit(*gen_sql([MAI, TMAI, Person(), Person("F", None, "N'Guessan"), Person("M", "Rui Miguel", "Sousa Santos"),
                   Person("F", "Aminata"), GAELLE, Person("M", None, "O'Neill"), Person()]))
    # logs
    web = [MARIN, Person(), Person("F", "Hoài Thu", "Hoang"), MAI, Person("M", "Jean-Yves", "Le Roux"), Person()]
    emit(gen_access_log(web))
    emit(gen_nginx_log([MARIN, Person(), Person(), Person("F", "Rose", "Mendy")]))
    emit(gen_nginx_error([MARIN, Person(), Person()]))
    # CSV
    emit(*gen_csv_utf16([GAELLE, Person(), Person("F", "Gwenaëlle", "Kerhervé"), Person("M", "Kofi"), Person(),
                         Person("F", "Marie-Josée", "Bréhéret")]))
    emit(*gen_csv_cp1252([ROSE, Person("F", "Clémence", "Guérin"), Person("M", "Loïc", "Bréhéret"),
                          Person("F", "Maëlle", "Cottineau"), Person(), Person("M", "João", "Gonçalves Pereira"),
                          Person("F", "Zoé", "Chauvet")]))
    emit(*gen_csv_titled([GAELLE, Person(), Person("M", None, "Ben Youssef"), Person(), Person("F", "Mai", "Pham")]))
    # JSON, YAML
    emit(*gen_json([MAI, Person(), Person("M", None, "Van den Broeck"), Person("F", "Nolwenn"), Person()]))
    emit(*gen_yaml())
    # Markdown, notes
    emit(*gen_minutes_md([(GAELLE, "C"), (Person("M", None, "Ould Brahim"), "A"), (Person("M", None, "Van Hoof"), "D"),
                          (Person("F", None, "de Lestang"), "B"), (Person(), "C")], Person("F", "Aurore", "Le Roux")))
    emit(*gen_team_md())
    emit(gen_call_note(0, ROSE, JOAO, "rib"))
    emit(gen_call_note(1, TMAI, kind="viet"))
    emit(gen_call_note(2, Person("M", "Olivier", None), kind="neighbour"))
    emit(gen_call_note(3, Person("F", "Violette", None), kind="neighbour"))
    # mail
    d, att, data = gen_eml_attachment([Person("F", "Oumou", "Diop"), GAELLE, Person(), Person("M", "Samir", "Ben Ali")])
    emit(d, data)
    DOCS.append((att.path, None, att.labels))
    emit(*gen_eml_tenant(Person("F", "Joana", "Ferreira da Silva")))
    md, msgs = gen_mbox(ROSE, JOAO)
    DOCS.append((md.path, md.text().encode("utf-8"), None))
    for m in msgs:
        DOCS.append((m.path, None, m.labels))
    # xlsx, zip
    emit(*gen_xlsx([MAI, TMAI, Person(), Person("M", "Minh Tuan", "Nguyen"), Person("F", "Ewa", "Kowalska"), Person()],
                   [Person(), Person("M", "Chinedu", "Okafor"), Person("F", "Yasmine", "El Amrani")]))
    gen_zip()
    # more shapes
    emit(*gen_vcf21(TECHS + [MARIN, PASCAL, CLEMENCE, Person("M", "Armand", "Le Guen"), Person("F", "Gwenaëlle", "Guérin")]))
    emit(*gen_eml_b64(Person("M", "Kofi", None)))
    emit(*gen_offer_pdf(Person("F", "Nour", "Haddou")))
    emit(gen_home_visit(Person("F", "Dorota", None)))
    # decoys
    emit(gen_inventory())
    emit(gen_quality())
    emit(gen_works_note())

    allow = (f"# {ORG}'s own values (see eval/README.md)\n"
             f"phone: {ORG_PHONE}\nphone: {AGENCY_PHONE}\niban: {ORG_IBAN}\n"
             f"address: {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}\n"
             f"address: {AGENCY_ADDR[0]}, {AGENCY_ADDR[1]} {AGENCY_ADDR[2]}\n"
             f"email: contact@{ORG_DOMAIN}\nemail: astreinte@{ORG_DOMAIN}\n")
    paths = [p for p, _, _ in DOCS]
    assert len(paths) == len(set(paths)), sorted(x for x in paths if paths.count(x) > 1)
    files = hb.write_set(OUT, CORPUS, DOCS, SEED, S, REQUESTS, allow)
    n = sum(len(v) for v in files.values())
    nfiles = sum(1 for p, data, _ in DOCS if data is not None)
    print(f"{nfiles} files ({len(files)} labelled entries), {n} labels -> {os.path.relpath(CORPUS)}")


if __name__ == "__main__":
    sys.exit(main())
