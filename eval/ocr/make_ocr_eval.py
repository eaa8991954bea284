#!/usr/bin/env python3
"""Generate the OCR test set: scanned-looking pages with planted values.

Renders letters, forms, tables, fake identity cards (valid MRZ: TD1, TD3 and
the old French card), and fake tax notices at 300 dpi with Pillow, rotates
them slightly, adds noise, and saves them as JPEG (quality 70-90), PNG,
multi-page TIFF, image-only PDF (JPEG pages) and image-only PDF of CCITT G4
pages (written here around Pillow's G4 TIFF strips). The planted values are written to labels.json
beside the pages, normalised as pdscout reports them.

Nothing here is committed but this script: run it into a scratch folder.

The zones are rendered in OCR-B (Debian's fonts-ocr-b; the script stops
and says so when it is missing), or with --mrz-font mono in DejaVu Sans Mono
(a harder case: real scans are not always clean OCR-B).

Usage: python3 eval/ocr/make_ocr_eval.py OUT [--pages 100] [--seed 19] [--clean] [--mrz-font ocrb|mono] [--only id]
"""

import argparse
import io
import json
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = "/usr/share/fonts/truetype"
SANS = [f"{FONTS}/dejavu/DejaVuSans.ttf", f"{FONTS}/liberation/LiberationSerif-Regular.ttf",
        f"{FONTS}/liberation/LiberationSans-Regular.ttf"]
MONO = f"{FONTS}/dejavu/DejaVuSansMono.ttf"
# The machine-readable zone's font (ICAO 9303): Debian's fonts-ocr-b.
OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"

FIRST = ["Élodie", "Jean", "Karim", "Sophie", "Awa", "Hugo", "Chloé", "Mathieu", "Nadia", "Pierre",
         "Camille", "Youssef", "Léa", "Thomas", "Fatou", "Julien", "Inès", "Antoine", "Manon", "Samir"]
LAST = ["Lefèvre", "Martin", "Benali", "Girard", "Diop", "Moreau", "Le Gall", "Roche", "Fontaine",
        "Dubois", "Mercier", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller", "Henry",
        "Perrin", "Morel"]
STREETS = ["rue de la Paix", "avenue Jean Jaurès", "boulevard Voltaire", "rue Victor Hugo",
           "allée des Tilleuls", "impasse des Lilas", "place de la République"]
CITIES = [("75011", "Paris"), ("69003", "Lyon"), ("13005", "Marseille"), ("31000", "Toulouse"),
          ("33000", "Bordeaux"), ("59000", "Lille"), ("44000", "Nantes")]


def ascii_fold(s):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def check_digit(field):
    def v(c):
        if c.isdigit():
            return int(c)
        if "A" <= c <= "Z":
            return ord(c) - 55
        return 0
    return str(sum(v(c) * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def iban_fr(r):
    bban = "".join(r.choice("0123456789") for _ in range(23))
    num = int("".join(str(int(c, 36)) for c in bban + "FR00"))
    key = 98 - num % 97
    return f"FR{key:02d}{bban}"


def nir(r):
    sex = r.choice("12")
    yy = f"{r.randint(40, 99):02d}"
    mm = f"{r.randint(1, 12):02d}"
    dep = f"{r.randint(1, 95):02d}"
    com = f"{r.randint(1, 999):03d}"
    order = f"{r.randint(1, 999):03d}"
    body = sex + yy + mm + dep + com + order
    key = 97 - int(body) % 97
    return body + f"{key:02d}", (sex, yy, mm, dep, com, order, f"{key:02d}")


def phone(r):
    # Mobiles: 06, or 073 to 079 (07 0x to 07 2x are not allocated).
    digits = r.choice(["6" + r.choice("0123456789"), "7" + r.choice("3456789")])
    digits += "".join(r.choice("0123456789") for _ in range(7))
    shown = "0" + digits
    return "+33" + digits, " ".join(shown[i:i + 2] for i in range(0, 10, 2))


def tax_number(r):
    body = r.randint(0, 3) * 10**9 + r.randint(0, 10**9 - 1)
    return f"{body:010d}{body % 511:03d}"


def person(r):
    first, last = r.choice(FIRST), r.choice(LAST)
    email = f"{ascii_fold(first).lower()}.{ascii_fold(last).lower().replace(' ', '')}{r.randint(1, 99)}@example.fr"
    y, m, d = r.randint(1950, 2002), r.randint(1, 12), r.randint(1, 28)
    no, street = r.randint(1, 120), r.choice(STREETS)
    cp, city = r.choice(CITIES)
    return dict(first=first, last=last, email=email, birth=(y, m, d),
                address=f"{no} {street}, {cp} {city}")


def label(kind, value):
    return {"kind": kind, "value": value}


def page_letter(r):
    p = person(r)
    e164, shown = phone(r)
    lines = [f"Madame, Monsieur,", "",
             f"Je soussignée {p['first']} {p['last'].upper()}, demeurant au {p['address']},",
             "sollicite l'attribution d'un logement social pour ma famille.",
             f"Vous pouvez me joindre au {shown} ou par courriel : {p['email']}.", "",
             "Je vous prie d'agréer mes salutations distinguées.", "",
             f"{p['first']} {p['last'].upper()}"]
    labels = [label("name", f"{p['first']} {p['last'].upper()}"), label("email", p["email"]),
              label("phone", e164)]
    return "letter", lines, labels


def page_form(r):
    p = person(r)
    e164, shown = phone(r)
    n, parts = nir(r)
    iban = iban_fr(r)
    y, m, d = p["birth"]
    lines = ["DEMANDE DE LOGEMENT - PIÈCES JUSTIFICATIVES", "",
             f"Nom : {p['last'].upper()}", f"Prénom : {p['first']}",
             f"Date de naissance : {d:02d}/{m:02d}/{y}",
             f"N° de sécurité sociale : {' '.join(parts)}",
             f"Téléphone : {shown}", f"Courriel : {p['email']}",
             "IBAN : " + " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))]
    labels = [label("name", f"{p['first']} {p['last'].upper()}"), label("email", p["email"]),
              label("phone", e164), label("nir", n), label("iban", iban),
              label("birthdate", f"{y}-{m:02d}-{d:02d}")]
    return "form", lines, labels


def page_table(r):
    # Cells separated by tabs, drawn at fixed column positions.
    lines = ["LISTE DES CANDIDATS - COMMISSION D'ATTRIBUTION", "",
             "Nom\tTéléphone\tCourriel"]
    labels = []
    for _ in range(5):
        p = person(r)
        e164, shown = phone(r)
        name = f"{p['first']} {p['last'].upper()}"
        lines.append(f"{name}\t{shown}\t{p['email']}")
        labels += [label("email", p["email"]), label("phone", e164), label("name", name)]
    return "table", lines, labels


def mrz_name(last, first, n):
    s = ascii_fold(last).upper().replace(" ", "<") + "<<" + ascii_fold(first).upper().replace(" ", "<")
    return (s + "<" * n)[:n]


def page_id(r):
    p = person(r)
    y, m, d = p["birth"]
    birth = f"{y % 100:02d}{m:02d}{d:02d}"
    expiry = f"{r.randint(26, 34):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    sex = r.choice("MF")
    kind = r.choice(["td1", "td3", "cni"])
    if kind == "td1":
        number = "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(9))
        l1 = "IDFRA" + number + check_digit(number) + "<" * 15
        l2 = birth + check_digit(birth) + sex + expiry + check_digit(expiry) + "FRA" + "<" * 11
        l2 += check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
        mrz = [l1, l2, mrz_name(p["last"], p["first"], 30)]
        title = "CARTE NATIONALE D'IDENTITÉ"
    elif kind == "td3":
        number = f"{r.randint(10, 29)}" + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + f"{r.randint(0, 99999):05d}"
        l1 = "P<FRA" + mrz_name(p["last"], p["first"], 39)
        l2 = number + check_digit(number) + "FRA" + birth + check_digit(birth) + sex + expiry + check_digit(expiry) + "<" * 14 + "<"
        l2 += check_digit(l2[0:10] + l2[13:20] + l2[21:43])
        mrz = [l1, l2]
        title = "PASSEPORT"
    else:
        number = f"{r.randint(88, 99)}{r.randint(1, 12):02d}{r.randint(1, 95):03d}{r.randint(0, 99999):05d}"
        l1 = "IDFRA" + (ascii_fold(p["last"]).upper().replace(" ", "<") + "<" * 25)[:25] + f"{r.randint(1, 95):03d}{r.randint(1, 999):03d}"
        l2 = number + check_digit(number) + (ascii_fold(p["first"]).upper() + "<" * 14)[:14] + birth + check_digit(birth) + sex
        l2 += check_digit(l1 + l2)
        mrz = [l1, l2]
        title = "CARTE NATIONALE D'IDENTITÉ (modèle 1995)"
    lines = ["RÉPUBLIQUE FRANÇAISE", title, "",
             f"Nom : {p['last'].upper()}", f"Prénom(s) : {p['first']}",
             f"Né(e) le : {d:02d}/{m:02d}/{y}", "", "@MRZ"] + mrz
    labels = [label("id_document", number), label("name", f"{p['first']} {p['last'].upper()}"),
              label("birthdate", f"{y}-{m:02d}-{d:02d}")]
    return "id_" + kind, lines, labels


def page_tax(r):
    p = person(r)
    t = tax_number(r)
    ref = f"{r.randint(19, 25)}{r.randint(1, 95):02d}A{r.randint(0, 999999):06d}{r.randint(0, 99):02d}"
    lines = ["DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", "AVIS D'IMPÔT SUR LES REVENUS", "",
             f"{p['first']} {p['last'].upper()}", p["address"], "",
             f"Numéro fiscal : {t[:2]} {t[2:4]} {t[4:7]} {t[7:10]} {t[10:]}",
             f"Référence de l'avis : {ref[:2]} {ref[2:4]} {ref[4:]}",
             "Revenu fiscal de référence : 23 456 €"]
    labels = [label("tax_id", t), label("tax_id", ref),
              label("name", f"{p['first']} {p['last'].upper()}")]
    return "tax", lines, labels


KINDS = [page_letter, page_form, page_table, page_id, page_tax]


def render(r, lines, clean=False, mrz_font=OCRB):
    W, H = 2480, 1754  # A5 landscape at 300 dpi (the text of a half page)
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(r.choice(SANS), r.choice([40, 44, 48]))
    mono = ImageFont.truetype(mrz_font, 50)
    y, mrz = 160, False
    for line in lines:
        if line == "@MRZ":
            mrz, y = True, y + 60
            continue
        for x, cell in zip((220, 900, 1380), line.split("\t")):
            d.text((x, y), cell, font=mono if mrz else font, fill=r.randint(0, 40))
        y += 80 if mrz else 70
    img = img.rotate(r.uniform(-2, 2), resample=Image.BICUBIC, fillcolor=255)
    if clean:
        return img
    # Speckle noise and a slight blur, as a flatbed scanner gives.
    noise = Image.effect_noise((W, H), r.uniform(8, 20))
    img = Image.blend(img, noise, 0.08).filter(ImageFilter.GaussianBlur(0.6))
    return img


def g4_strip(img):
    """The CCITT G4 data of a bilevel page, and whether 1 bits are black."""
    bw = img.point(lambda v: 255 if v > 140 else 0).convert("1")
    buf = io.BytesIO()
    bw.save(buf, format="TIFF", compression="group4", tiffinfo={278: bw.height})
    t = Image.open(io.BytesIO(buf.getvalue()))
    offsets, counts = t.tag_v2[273], t.tag_v2[279]
    assert len(offsets) == 1, "one strip"
    data = buf.getvalue()[offsets[0]:offsets[0] + counts[0]]
    return data, t.tag_v2.get(262, 0) == 1


def g4_pdf(pages):
    """An image-only PDF, one CCITT G4 image per page (as scanners write)."""
    objs = []
    kids = []
    for p in pages:
        data, black_is_1 = g4_strip(p)
        w, h = p.size
        img = (f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
               f"/BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {w} "
               f"/Rows {h} /BlackIs1 {'true' if black_is_1 else 'false'} >> /Length {len(data)} >>\nstream\n").encode() + data + b"\nendstream"
        pw, ph = w * 72 / 300, h * 72 / 300
        content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
        objs.append(img)
        objs.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
        n = len(objs)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
                     f"/Resources << /XObject << /Im0 {n - 1 + 2} 0 R >> >> /Contents {n + 2} 0 R >>".encode())
        kids.append(len(objs) + 2)
    return pdf_file(kids, objs)


def pdf_file(kids, objs):
    """A PDF of pages `kids` (object numbers): objects 1 (catalog) and 2
    (pages) first, then `objs` from 3 on (the fixtures' script writes its
    PDFs with it too)."""
    allobjs = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()] + objs
    out = bytearray(b"%PDF-1.4\n")
    xref = []
    for i, o in enumerate(allobjs, 1):
        xref.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    at = len(out)
    out += f"xref\n0 {len(allobjs) + 1}\n0000000000 65535 f \n".encode()
    for x in xref:
        out += f"{x:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(allobjs) + 1} /Root 1 0 R >>\nstartxref\n{at}\n%%EOF\n".encode()
    return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--clean", action="store_true", help="no noise nor blur (rotation and JPEG only)")
    ap.add_argument("--only", choices=["id"], help="identity documents only (a set to work on the zone reader)")
    ap.add_argument("--mrz-font", choices=["ocrb", "mono"], default="ocrb",
                    help="the zone in OCR-B (as printed on documents) or DejaVu Sans Mono")
    a = ap.parse_args()
    mrz_font = OCRB if a.mrz_font == "ocrb" else MONO
    if not os.path.exists(mrz_font):
        sys.exit(f"{mrz_font} not found: install it with apt-get install fonts-ocr-b "
                 "(or use --mrz-font mono)")
    print(f"zones rendered in {mrz_font}")
    r = random.Random(a.seed)
    kinds = [page_id] if a.only == "id" else KINDS
    os.makedirs(a.out, exist_ok=True)
    truth = {"seed": a.seed, "pages": 0, "files": {}}
    i = 0
    while truth["pages"] < a.pages:
        form = ["jpg", "png", "tif", "pdf", "g4pdf"][i % 5]
        n = 3 if form in ("tif", "pdf", "g4pdf") else 1
        pages, labels = [], []
        for k in range(n):
            # Every kind of page in every format.
            kind, lines, lab = kinds[(i + k + i // 5) % len(kinds)](r)
            pages.append(render(r, lines, a.clean, mrz_font))
            labels += [dict(l, page=k + 1) for l in lab]
        name = f"scan_{i:03d}_{kind}"
        if form == "jpg":
            name += ".jpg"
            pages[0].save(os.path.join(a.out, name), quality=r.randint(70, 90), dpi=(300, 300))
        elif form == "png":
            name += ".png"
            pages[0].save(os.path.join(a.out, name), dpi=(300, 300))
        elif form == "tif":
            name += ".tif"
            pages[0].save(os.path.join(a.out, name), save_all=True, append_images=pages[1:],
                          compression="tiff_lzw", dpi=(300, 300))
        elif form == "pdf":
            name += ".pdf"
            # Pillow writes each page as one JPEG (DCTDecode) image.
            pages[0].save(os.path.join(a.out, name), save_all=True, append_images=pages[1:],
                          resolution=300, quality=r.randint(70, 90))
        else:
            name += ".pdf"
            with open(os.path.join(a.out, name), "wb") as f:
                f.write(g4_pdf(pages))
        truth["files"][name] = labels
        truth["pages"] += n
        i += 1
    with open(os.path.join(a.out, "labels.json"), "w") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    print(f"{truth['pages']} pages in {len(truth['files'])} files under {a.out}")


if __name__ == "__main__":
    main()
