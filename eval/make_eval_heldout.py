#!/usr/bin/env python3
"""Write the held-out evaluation set: eval/heldout/corpus/ and eval/heldout/labels.json.

A second corpus written apart from eval/make_eval.py (its own seed, templates, wordings,
layouts, people and decoys) to measure pdscout on data its detectors were not tuned on: a
different housing association ("Logis du Rhône"), tenant spreadsheets as real .xlsx and .ods,
nested JSON exports, payslips with employer SIRET/URSSAF numbers, web-server and application
logs, `Nom / Prénom / Né(e) le` forms, mail threads, a zip of some of these, and documents full
of look-alikes that are not personal data (SIRET/SIREN, TVA numbers, invoice/contract/order
numbers, EAN-13, IBANs and NIRs with a bad key, UUIDs, versions, OIDs, streets, schools and
companies named after people).

Labels use eval/labels.json's format (README there), so `score.py --labels --corpus` scores it.
A label of one of the fixed `subject` people carries `"who"`; `labels.json["subjects"]` lists
the access requests that eval/subject_check.py runs against the corpus.

Needs openpyxl and odfpy (`pip install openpyxl odfpy`). Deterministic: same files every run.
"""

import datetime
import io
import json
import os
import shutil
import sys
import zipfile

from heldout_base import *  # noqa: F401,F403 (the people, lists and helpers the templates draw)


# --------------------------------------------------------------------------
# Letters
# --------------------------------------------------------------------------

def letterhead(d):
    d.add(ORG.upper(), "Office public de l'habitat", f"{ORG_ADDR[0]} - {ORG_ADDR[1]} {ORG_ADDR[2]}",
          f"Standard : {ORG_PHONE} - www.{ORG_DOMAIN}", "")


def gen_letter(i, p=None, co=None):
    """A letter to a tenant: address block in capitals or not, references, a body that names
    streets, schools and companies after people, a staff signature."""
    p = p or Person()
    d = Doc(f"courriers/{['relance', 'info', 'travaux', 'rdv'][i % 4]}_{i:02d}.txt")
    staff = pick(STAFF)
    letterhead(d)
    caps = chance(0.4)
    cp_city = f"{p.cp} {p.city.upper() if caps or chance(0.5) else p.city}"
    if co:
        civ = "MONSIEUR ET MADAME" if caps else "Monsieur et Madame"
        nm = f"{p.first.upper()} {p.last.upper()}" if caps else f"{p.first} {p.last.upper()}"
        d.add(f"{' ' * 48}{civ} {nm}")
        d.lab("name", nm, who=p.who)
    else:
        style = pick(["first_last", "LAST_first", "caps"]) if not caps else "caps"
        if style == "first_last":
            nm, lab = f"{p.first} {p.last.upper()}", f"{p.first} {p.last.upper()}"
        elif style == "LAST_first":
            nm, lab = f"{p.last.upper()} {p.first}", f"{p.first} {p.last.upper()}"
        else:
            nm = lab = f"{p.first.upper()} {p.last.upper()}"
        civ = p.civ_long.upper() if caps else p.civ_long
        d.add(f"{' ' * 48}{civ} {nm}")
        d.lab("name", lab, who=p.who)
    extra = []
    if chance(0.4):
        extra.append(f"Résidence {pick(['Les Iris', 'Le Clos Fleuri', 'Bellevue', 'Les Sablons'])} - Esc. {pick('ABCD')}")
    street = p.street_line().upper() if caps else p.street_line()
    city = cp_city
    for ln in extra + [street, city]:
        d.add(" " * 48 + ln)
    if extra:
        d.lab("address", f"{extra[0]}, {street}, {city}", alt=[f"{street}, {city}"], who=p.who)
    else:
        d.lab("address", f"{street}, {city}", who=p.who)
    d.add("", f"Vos réf. : contrat n° {R.randint(10, 99)}-{R.randint(100000, 999999)}",
          f"Nos réf. : {staff.first[0]}{staff.last[0]}/{R.randint(100, 999)}/{R.randint(2023, 2024)}",
          f"Affaire suivie par : {staff.first} {staff.last} - {staff.email}", "")
    d.person(staff, kinds=("name", "email"))
    d.add(f"Lyon, le {long_date(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))}", "")
    kind = i % 4
    if kind == 0:
        d.add("Objet : relance - impayé de loyer", "", f"{p.civ_long},", "",
              f"Sauf erreur de notre part, votre compte locataire présente un solde débiteur de {money(200, 2500)} €",
              f"au {dmy(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))} (facture n° FA{R.randint(2023, 2024)}-{R.randint(10000, 99999)}).",
              f"Nous vous invitons à régulariser par virement sur notre compte {group4(ORG_IBAN)} (BIC CEPAFRPP).")
        d.add("", "Si vous rencontrez des difficultés, notre conseillère sociale vous recevra à l'agence "
              f"de {pick(STREETS)}.")
    elif kind == 1:
        inst = pick(INSTITUTIONS)
        d.add("Objet : fête des voisins", "", f"{p.civ_long},", "",
              f"La fête des voisins aura lieu le samedi {R.randint(1, 28)} juin devant {inst}.",
              f"Les enfants de {pick(INSTITUTIONS)} présenteront un spectacle ; la société",
              f"{pick(COMPANIES)[0]} offre les boissons.")
    elif kind == 2:
        c = pick(COMPANIES)
        d.add("Objet : remplacement des équipements sanitaires", "", f"{p.civ_long},", "",
              f"L'entreprise {c[0]} ({c[1]}, {c[2]} {c[3]}) interviendra dans votre logement pour",
              f"poser un {pick(PRODUCTS)} et un {pick(PRODUCTS)} (bon de commande BC-{R.randint(2024000, 2024999)}).",
              f"Le rendez-vous est fixé au {dmy(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))} entre 8 h et 12 h.")
    else:
        d.add("Objet : rendez-vous état des lieux", "", "Madame, Monsieur," if co else f"{p.civ_long},", "",
              "Suite à votre préavis, l'état des lieux de sortie aura lieu le "
              f"{long_date(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))} à {R.randint(8, 17)} h 30.",
              "Merci de nous communiquer votre nouvelle adresse ainsi que votre numéro de portable.")
        if chance(0.7):
            q = Person()
            d.add(f"Votre voisine, {q.civ} {q.first} {q.last}, nous a signalé que la boîte aux lettres était abîmée.")
            d.lab("name", f"{q.first} {q.last}")
    d.add("", "Nous vous prions d'agréer, " + ("Madame, Monsieur" if co else p.civ_long)
          + ", l'expression de nos salutations distinguées.", "",
          f"{' ' * 40}Pour le Directeur général,", f"{' ' * 40}{staff.first} {staff.last.upper()}",
          f"{' ' * 40}Gestionnaire de proximité")
    return d


# --------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------

def gen_form(i, p=None):
    p = p or Person()
    d = Doc(f"formulaires/fiche_{i:02d}.txt")
    d.add(f"{ORG} — DEMANDE DE MUTATION", f"Dossier n° DM-{R.randint(2024, 2024)}-{R.randint(1000, 9999)}", "",
          "1. LE DEMANDEUR", "")
    sep = pick([" : ", ": ", " :\t"])
    second = pick(FIRST_F if p.sex == "F" else FIRST_M)
    d.add(f"Nom{sep}{p.last.upper()}")
    d.add(f"Nom d'usage{sep}")
    d.add(f"Prénom(s){sep}{p.first}, {second}" if chance(0.4) else f"Prénom{sep}{p.first}")
    d.lab("name", f"{p.first} {p.last.upper()}", who=p.who,
          alt=[f"{p.first} {second} {p.last.upper()}", f"{p.first}, {second} {p.last.upper()}"])
    born_at = pick(["Lyon 3e", "Dakar (Sénégal)", "Bamako (Mali)", "Hô-Chi-Minh-Ville (Vietnam)",
                    "Porto (Portugal)", "Konya (Turquie)", "Oran (Algérie)", "Vienne (38)"])
    d.add(f"Né(e) le{sep}{dmy(p.born)}      à{sep}{born_at}")
    d.person(p, kinds=("birthdate",))
    d.add(f"Situation familiale{sep}{pick(['Marié(e)', 'Célibataire', 'Pacsé(e)', 'Divorcé(e)'])}")
    d.add(f"N° de sécurité sociale{sep}{fmt_nir(p.nir)}")
    d.person(p, kinds=("nir",))
    d.add("", "Adresse actuelle")
    d.add(f"  N° et voie{sep}{p.street_line()}")
    d.add(f"  Code postal{sep}{p.cp}       Commune{sep}{p.city}")
    d.person(p, kinds=("address",))
    d.add(f"Téléphone portable{sep}{fmt_phone(p.mobile)}")
    d.person(p, kinds=("mobile",))
    d.add(f"Adresse électronique{sep}{p.email}")
    d.person(p, kinds=("email",))
    d.add("", "2. LE CONJOINT / CO-TITULAIRE", "")
    if chance(0.6):
        q = Person("F" if p.sex == "M" else "M", last=p.last if chance(0.5) else None)
        d.add(f"Nom{sep}{q.last.upper()}", f"Prénom{sep}{q.first}", f"Né(e) le{sep}{dmy(q.born)}")
        d.lab("name", f"{q.first} {q.last.upper()}")
        d.lab("birthdate", q.born.isoformat())
    else:
        d.add(f"Nom{sep}", f"Prénom{sep}", f"Né(e) le{sep}")
    d.add("", "3. RESSOURCES", "")
    c = pick(COMPANIES)
    d.add(f"Employeur{sep}{c[0]}, {c[1]}, {c[2]} {c[3]}", f"SIRET employeur{sep}{siret()}",
          f"Revenu fiscal de référence{sep}{money(9000, 40000)} €", f"N° allocataire CAF{sep}{R.randint(1000000, 9999999)}",
          "", "4. LOGEMENT SOUHAITÉ", "",
          f"Secteur{sep}{pick(PLACES)[1]}, près de {pick(INSTITUTIONS)}", f"Typologie{sep}T{R.randint(2, 5)}",
          "", f"Fait à {p.city}, le {dmy(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))}",
          "Signature du demandeur :")
    return d


# --------------------------------------------------------------------------
# Payslips
# --------------------------------------------------------------------------

def gen_payslip(i, p=None):
    p = p or Person()
    c = pick(COMPANIES)
    d = Doc(f"paie/bulletin_{i:02d}_{['01', '02', '03', '04', '05', '06'][i % 6]}_2024.txt")
    sn = siren()
    d.add("BULLETIN DE SALAIRE", f"Période : du 01/{i % 6 + 1:02d}/2024 au 28/{i % 6 + 1:02d}/2024"
          f"    Paiement le {28 + i % 2}/{i % 6 + 1:02d}/2024", "",
          f"EMPLOYEUR : {c[0]}", f"{c[1]}", f"{c[2]} {c[3].upper()}",
          f"SIRET : {sn[:3]} {sn[3:6]} {sn[6:]} {siret(sn)[9:]}   APE : {pick(['8121Z', '4322A', '4520A', '4332A'])}",
          f"N° URSSAF : {R.randint(100, 999)} {R.randint(10**11, 10**12 - 1)}   TVA intracom. : {tva(sn)}",
          f"Convention collective : {pick(['Propreté (IDCC 3043)', 'Bâtiment ouvriers (IDCC 1597)', 'Services automobile (IDCC 1090)'])}",
          "")
    layout = pick(["block", "table"])
    nm = f"{p.last.upper()} {p.first}"
    if layout == "block":
        d.add(f"{'':44}SALARIÉ(E)", f"{'':44}{p.civ} {nm}", f"{'':44}{p.street_line()}",
              f"{'':44}{p.cp} {p.city}")
    else:
        d.add(f"Nom et prénom : {nm}", f"Adresse : {p.street_line()} - {p.cp} {p.city}")
    d.lab("name", f"{p.first} {p.last.upper()}", who=p.who)
    d.person(p, kinds=("address",))
    d.add(f"Matricule : {R.randint(100, 9999):05d}    Emploi : {pick(['Agent de propreté', 'Plombier', 'Mécanicien', 'Chef d équipe'])}"
          f"    Coefficient : {R.randint(150, 350)}",
          f"N° Sécurité sociale : {fmt_nir(p.nir)}    Entrée le : {dmy(datetime.date(R.randint(2005, 2023), R.randint(1, 12), R.randint(1, 28)))}",
          "")
    d.person(p, kinds=("nir",))
    base = R.randint(1800, 3200)
    d.add(f"{'Rubrique':<38}{'Base':>10}{'Taux':>10}{'Montant':>12}", "-" * 70,
          f"{'Salaire de base':<38}{'151,67':>10}{base / 151.67:>10.4f}{base:>12.2f}".replace(".", ","),
          f"{'Heures supplémentaires 25 %':<38}{R.randint(2, 12):>10}{base / 151.67 * 1.25:>10.4f}{R.randint(30, 200):>12.2f}".replace(".", ","),
          f"{'Sécurité sociale plafonnée':<38}{base:>10}{'6,9000':>10}{base * 0.069:>12.2f}".replace(".", ","),
          f"{'CSG déductible':<38}{base * 0.9825:>10.2f}{'6,8000':>10}{base * 0.0668:>12.2f}".replace(".", ","),
          f"{'Mutuelle (contrat n° 0' + str(R.randint(100000000, 999999999)) + ')':<38}{'':>10}{'':>10}{R.randint(20, 60):>12.2f}".replace(".", ","),
          "-" * 70,
          f"Net à payer avant impôt : {money(1400, 2600)} €", f"Impôt sur le revenu prélevé à la source : {money(0, 120)} €",
          f"Cumul imposable : {money(5000, 30000)} €", "",
          f"Payé par virement le {28 + i % 2}/{i % 6 + 1:02d}/2024 sur le compte {fmt_iban_p(p.iban)}")
    d.person(p, kinds=("iban",))
    return d


def fmt_iban_p(iban):
    return group4(iban) if chance(0.7) else iban


# --------------------------------------------------------------------------
# Mail threads
# --------------------------------------------------------------------------

DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]


def gen_thread(i, p=None):
    p = p or Person()
    staff = pick(STAFF)
    d = Doc(f"mails/fil_{i:02d}.txt")
    when = datetime.date(2024, R.randint(1, 12), R.randint(1, 28))
    topic = pick(["Fuite dans la salle de bain", "Attestation de loyer", "Changement de RIB",
                  "Bruit de voisinage", "Demande d'échange de logement"])
    outlook = chance(0.5)

    def header(frm_name, frm_mail, to_name, to_mail, subj, day):
        if outlook:
            d.add(f"De : {frm_name} <{frm_mail}>", f"Envoyé : {DAYS[day % 5]} {long_date(when)} {R.randint(8, 18)}:{R.randint(0, 59):02d}",
                  f"À : {to_name} <{to_mail}>", f"Objet : {subj}", "")
        else:
            d.add(f"From: \"{frm_name}\" <{frm_mail}>", f"To: {to_mail}",
                  f"Date: {when.isoformat()} {R.randint(8, 18)}:{R.randint(0, 59):02d}", f"Subject: {subj}", "")

    tenant_name = f"{p.first} {p.last}" if chance(0.6) else f"{p.last.upper()} {p.first}"
    header(f"{staff.first} {staff.last}", staff.email, tenant_name, p.email, f"RE: {topic}", i)
    d.lab("name", f"{p.first} {p.last.upper()}" if tenant_name.startswith(p.last.upper()) else f"{p.first} {p.last}",
          who=p.who)
    d.person(staff, kinds=("name", "email"))
    d.person(p, kinds=("email",))
    d.lab("name", p.last, alt=[f"{p.civ} {p.last}"], optional=True, who=p.who)
    d.add(f"Bonjour {p.civ} {p.last},", "",
          "Je vous confirme la prise en compte de votre demande. Le technicien de l'entreprise",
          f"{pick(COMPANIES)[0]} passera {DAYS[R.randint(0, 4)]} matin (intervention n° INT-{R.randint(100000, 999999)}).", "",
          "Bien cordialement,", "", f"{staff.first} {staff.last.upper()}", "Chargé(e) de clientèle — Agence Rhône Est",
          f"{ORG} | {ORG_PHONE}", "")
    d.add("-----Message d'origine-----" if outlook else f"Le {long_date(when)}, {tenant_name} <{p.email}> a écrit :")
    q = "" if outlook else "> "
    body = [f"Bonjour,", "",
            f"Je suis locataire au {p.street_line()}, {p.cp} {p.city}, depuis {R.randint(2008, 2022)}."]
    d.person(p, kinds=("address",))
    if topic == "Changement de RIB":
        body += [f"Voici mon nouveau RIB : {fmt_iban_p(p.iban)} (ancien compte clôturé).",
                 f"Attention, l'IBAN {group4(bad_iban())} indiqué dans mon précédent mail était faux."]
        d.person(p, kinds=("iban",))
    elif topic == "Bruit de voisinage":
        n = Person()
        body += [f"Mon voisin du dessus, {n.civ} {n.first} {n.last}, fait du bruit toutes les nuits.",
                 f"J'ai déjà prévenu le gardien, M. {STAFF[1].last}."]
        d.lab("name", f"{n.first} {n.last}")
        d.lab("name", STAFF[1].last, alt=[f"M. {STAFF[1].last}"], optional=True)
    else:
        body += [f"Pourriez-vous me rappeler au {fmt_phone(p.mobile)} ?",
                 f"Je travaille chez {pick(COMPANIES)[0]}, je suis joignable après 17 h."]
        d.person(p, kinds=("mobile",))
    body += ["", "Merci d'avance,", tenant_name]
    if not outlook:
        header_line = []
    else:
        d.add(f"De : {tenant_name} [mailto:{p.email}]", f"Envoyé : {long_date(when)}", f"À : {ORG} - accueil",
              f"Objet : {topic}", "")
    for ln in body:
        d.add(q + ln if ln else q.rstrip())
    return d


# --------------------------------------------------------------------------
# Logs
# --------------------------------------------------------------------------

UA = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.112 Safari/537.36',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0']


def hexid(n):
    return "".join(pick("0123456789abcdef") for _ in range(n))


def uuid():
    return f"{hexid(8)}-{hexid(4)}-4{hexid(3)}-{pick('89ab')}{hexid(3)}-{hexid(12)}"


def gen_access_log(i, people):
    d = Doc(f"logs/nginx/access_{i}.log")
    t = datetime.datetime(2024, 3, 10 + i, 6, 0, 0)
    ips = {}
    for n in range(40):
        t += datetime.timedelta(seconds=R.randint(3, 400))
        p = pick(people) if chance(0.6) else None
        if p:
            ip = ips.setdefault(p.email, ip_public())
        else:
            ip = ip_public()
        user = p.email if p and chance(0.5) else "-"
        path = pick([f"/espace-locataire/quittances/{R.randint(2023, 2024)}-{R.randint(1, 12):02d}.pdf",
                     f"/api/v2/compte/{hexid(24)}/solde", "/static/app.4f9c2b1e.js", "/favicon.ico",
                     f"/espace-locataire/demandes?id={uuid()}", "/connexion", f"/assets/v{R.randint(1, 4)}.{R.randint(0, 20)}.{R.randint(0, 9)}/style.css"])
        d.add(f'{ip} - {user} [{t.strftime("%d/Mar/%Y:%H:%M:%S")} +0100] "GET {path} HTTP/1.1" '
              f'{pick([200, 200, 200, 304, 404, 302])} {R.randint(200, 90000)} "https://www.{ORG_DOMAIN}/" "{pick(UA)}"')
        d.lab("ip", ip, who=p.who if p else None)
        if user != "-":
            d.lab("email", user, who=p.who)
    return d


def gen_app_log(i, people):
    d = Doc(f"logs/portail/app-2024-03-{10 + i:02d}.log")
    t = datetime.datetime(2024, 3, 10 + i, 7, 0, 0)
    d.add(f"{t.isoformat()}.000Z INFO  boot portail-locataire version=4.12.3 build=2024.03.1187 jvm=17.0.10+7",
          f"{t.isoformat()}.004Z INFO  tls cert subject OID 2.5.4.3 issuer OID 1.2.840.113549.1.1.11 serial {hexid(32)}",
          f"{t.isoformat()}.005Z INFO  module ged-connector 3.2.1.4 loaded, schema 1.0.12.7")
    for n in range(30):
        t += datetime.timedelta(seconds=R.randint(1, 600))
        ts = t.isoformat(timespec="milliseconds") + "Z"
        req = hexid(16)
        r = R.random()
        if r < 0.45:
            p = pick(people)
            ip = ip_public()
            d.add(f"{ts} INFO  [req={req}] auth.login ok user={p.email} ip={ip} session={uuid()}")
            d.lab("email", p.email.lower(), who=p.who)
            d.lab("ip", ip, who=p.who)
        elif r < 0.6:
            p = pick(people)
            d.add(f"{ts} WARN  [req={req}] payment.sepa mandate refused iban={p.iban} reason=AC04 user={p.email}")
            d.lab("iban", p.iban, who=p.who)
            d.lab("email", p.email.lower(), who=p.who)
        elif r < 0.7:
            d.add(f"{ts} DEBUG [req={req}] cache hit key=sha1:{hexid(40)} ttl=3600 node=cache-{R.randint(1, 4)}")
        elif r < 0.8:
            d.add(f"{ts} INFO  [req={req}] invoice.render FAC-2024-{R.randint(10000, 99999):06d} order={hexid(12).upper()} "
                  f"ean={ean13()} amount={money()}EUR")
        elif r < 0.9:
            up = f"10.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(1, 9)}"
            d.add(f"{ts} ERROR [req={req}] upstream ged-api {up}:8443 timeout after 30000 ms (trace {uuid()})")
            d.lab("ip", up, optional=True)  # a server's address: neither required nor penalised
        else:
            d.add(f"{ts} INFO  [req={req}] job purge-sessions done removed={R.randint(0, 500)} duration_ms={R.randint(10, 9000)} v=1.4.22.3")
    return d


# --------------------------------------------------------------------------
# Spreadsheets and JSON exports
# --------------------------------------------------------------------------

def tenant_rows(people):
    rows = []
    for p in people:
        rows.append(p)
    return rows


def gen_xlsx(i, people):
    import openpyxl
    d = Doc(f"locataires/{['etat_locatif', 'impayes', 'enquete_sls'][i % 3]}_{2024 - i // 3}.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ["Locataires", "Relances", "Enquête"][i % 3]
    ws.append([f"{ORG} — extraction du {dmy(datetime.date(2024, 3, R.randint(1, 28)))}"])
    ws.append([])
    hdr = ["Réf. contrat", "Civilité", "NOM", "Prénom", "Date naiss.", "N° et voie", "CP", "Commune",
           "Portable", "E-mail", "IBAN prélèvement", "Solde (€)", "Lot"]
    ws.append(hdr)
    for p in people:
        cp = p.cp if p.cp.startswith("0") or chance(0.5) else int(p.cp)
        ws.append([f"{R.randint(10, 99)}-{R.randint(100000, 999999)}", p.civ, p.last.upper(), p.first,
                   datetime.datetime(p.born.year, p.born.month, p.born.day), p.street_line(), cp, p.city,
                   fmt_phone(p.mobile), p.email, group4(p.iban) if chance(0.5) else p.iban,
                   round(R.uniform(-1500, 300), 2), f"LGT-{R.randint(100, 999)}-{pick('ABC')}{R.randint(1, 60)}"])
        ws.cell(row=ws.max_row, column=5).number_format = "DD/MM/YYYY"
        d.lab("name", f"{p.first} {p.last.upper()}", who=p.who)
        d.person(p, kinds=("birthdate", "address", "mobile", "email", "iban"))
    ws2 = wb.create_sheet("Prestataires")
    ws2.append(["Raison sociale", "Adresse", "SIRET", "N° TVA", "Contact", "Montant HT", "Dernière facture"])
    for c in COMPANIES[:4]:
        sn = siren()
        contact = Person()
        ws2.append([c[0], f"{c[1]}, {c[2]} {c[3]}", siret(sn), tva(sn), f"{contact.first} {contact.last}",
                    round(R.uniform(200, 20000), 2), f"F{R.randint(2023, 2024)}-{R.randint(1000, 9999)}"])
        d.lab("name", f"{contact.first} {contact.last}")
    buf = io.BytesIO()
    wb.save(buf)
    return d, fix_zip_times(buf.getvalue())


def fix_zip_times(data):
    """Rewrite a zip (xlsx/ods/zip) with fixed member times so the file is the same every run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-03-15T09:00:00Z", body)
            if info.filename == "meta.xml":
                import re
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", b"2024-03-15T09:00:00", body)
            zi = zipfile.ZipInfo(info.filename, (2024, 3, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(zi, body)
    return out.getvalue()


def gen_ods(i, people):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P
    d = Doc(f"locataires/commission_{i:02d}.ods")
    doc = OpenDocumentSpreadsheet()
    t = Table(name="Candidats")

    def row(vals):
        tr = TableRow()
        for v in vals:
            tc = TableCell(valuetype="string")
            tc.addElement(P(text=str(v)))
            tr.addElement(tc)
        t.addElement(tr)

    row(["Commission d'attribution", f"séance du {dmy(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))}"])
    row(["Rang", "Nom et prénom", "Né(e) le", "Adresse actuelle", "Téléphone", "Logement proposé", "Décision"])
    for n, p in enumerate(people, 1):
        row([n, f"{p.last.upper()} {p.first}", dmy(p.born), p.address(), fmt_phone(p.mobile),
             f"T{R.randint(1, 5)} - {R.randint(1, 90)} {pick(STREETS)}", pick(["Attribué", "Refusé", "Ajourné"])])
        d.lab("name", f"{p.first} {p.last.upper()}", who=p.who)
        d.person(p, kinds=("birthdate", "address", "mobile"))
    doc.spreadsheet.addElement(t)
    buf = io.BytesIO()
    doc.write(buf)
    return d, fix_zip_times(buf.getvalue())


def gen_json(i, households):
    d = Doc(f"exports/baux_{i:02d}.json")
    baux = []
    for hh in households:
        head = hh[0]
        lines = {"ligne1": f"Bât. {pick('ABCDE')}", "ligne2": head.street_line(), "cp": head.cp,
                 "commune": head.city}
        occ = []
        for p in hh:
            contacts = [{"type": "mobile", "valeur": fmt_phone(p.mobile)}, {"type": "email", "valeur": p.email}]
            occ.append({"civilite": p.civ, "nom": p.last, "prenom": p.first, "naissance": p.born.isoformat(),
                        "nir": p.nir if chance(0.5) else None, "contacts": contacts})
            d.lab("name", f"{p.first} {p.last}", who=p.who)
            d.person(p, kinds=("birthdate", "mobile", "email"))
            if occ[-1]["nir"]:
                d.person(p, kinds=("nir",))
        d.lab("address", f"{lines['ligne1']}, {head.address()}", alt=[head.address()], who=head.who)
        baux.append({
            "numero_bail": f"B-{R.randint(2010, 2023)}-{R.randint(100, 99999):05d}",
            "logement": {"ref": f"LGT-{R.randint(1000, 9999)}", "typologie": f"T{R.randint(1, 5)}",
                         "adresse": lines, "equipements": [pick(PRODUCTS), pick(PRODUCTS)]},
            "occupants": occ,
            "echeancier": [{"facture": f"FAC-2024-{R.randint(1, 99999):06d}", "montant": round(R.uniform(300, 900), 2),
                            "echeance": f"2024-{m:02d}-05"} for m in (1, 2, 3)],
            "prelevement": {"iban": head.iban, "bic": pick(["CEPAFRPP", "AGRIFRPP", "BNPAFRPP"]),
                            "rum": f"RUM{R.randint(10**11, 10**12 - 1)}"},
        })
        d.person(head, kinds=("iban",))
    data = {"export": "baux-actifs", "schema": "3.4.1", "genere_le": "2024-03-15T09:00:00+01:00",
            "bailleur": {"raison_sociale": ORG, "siren": siren(), "adresse": " ".join(ORG_ADDR)}, "baux": baux}
    return d, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


# --------------------------------------------------------------------------
# Decoys: documents whose numbers, names and codes are not personal data
# --------------------------------------------------------------------------

def gen_invoice(i):
    c = pick(COMPANIES)
    sn = siren()
    d = Doc(f"fournisseurs/facture_{deaccent(c[0].split()[-1]).lower()}_{i:02d}.txt")
    sup_iban = make_iban()
    d.lab("iban", sup_iban, optional=True)  # a company's account: neither required nor penalised
    d.add(c[0].upper(), c[1], f"{c[2]} {c[3]}", f"SIREN {sn} - SIRET {siret(sn)} - RCS Lyon {sn[:3]} {sn[3:6]} {sn[6:]}",
          f"TVA intracommunautaire : {tva(sn)}", f"Capital social : {R.randint(10, 500) * 1000} €", "",
          f"FACTURE N° {pick(['FA', 'F', 'FAC-'])}{R.randint(2023, 2024)}{R.randint(100000, 999999)}"
          f"          du {dmy(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))}",
          f"Client : {ORG} - compte client C{R.randint(10000, 99999)}", f"Bon de commande : BC-{R.randint(2024000, 2024999)}",
          f"Contrat cadre n° {R.randint(2019, 2024)}/{R.randint(100, 999)}/MT", "")
    d.add(f"{'Désignation':<44}{'Réf.':<16}{'Qté':>5}{'PU HT':>12}{'Total HT':>12}")
    for _ in range(R.randint(3, 6)):
        q = R.randint(1, 20)
        pu = R.randint(500, 90000) / 100
        d.add(f"{pick(PRODUCTS):<44}{ean13():<16}{q:>5}{pu:>12.2f}{q * pu:>12.2f}".replace(".", ","))
    d.add("", f"Total HT : {money(1000, 20000)} €    TVA 20 % : {money(200, 4000)} €    TTC : {money(1200, 24000)} €",
          f"Échéance : {dmy(datetime.date(2024, R.randint(1, 12), R.randint(1, 28)))} - pénalités de retard 3 fois le taux légal",
          f"Règlement par virement : IBAN {group4(sup_iban)} - BIC {pick(['CEPAFRPP', 'AGRIFRPP'])}",
          f"Référence à rappeler : {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}",
          f"Service comptabilité : {ORG_PHONE}")
    return d


def gen_tech_note(i):
    d = Doc(f"informatique/note_technique_{i:02d}.txt")
    d.add("NOTE TECHNIQUE — migration du portail locataires", f"Version du document : {R.randint(1, 3)}.{R.randint(0, 9)}.{R.randint(0, 9)}", "",
          f"Serveur applicatif : Tomcat 10.1.19, Java 17.0.10, PostgreSQL 15.6, nginx 1.24.0",
          f"Identifiant de l'instance : {uuid()}",
          f"Certificat : algorithme sha256WithRSAEncryption (OID 1.2.840.113549.1.1.11), attribut CN (OID 2.5.4.3),",
          f"extension keyUsage (OID 2.5.29.15). Agent SNMP : enterprise 1.3.6.1.4.1.{R.randint(1000, 60000)}.",
          f"Version du connecteur GED : 3.2.1.4 ; du module de paiement : 2.11.0.58.",
          f"Empreinte du paquet : sha256:{hexid(64)}", "",
          f"Ticket GLPI n° {R.randint(100000, 999999)} - commande n° {R.randint(4500000000, 4599999999)}",
          f"Numéro de série du serveur : {hexid(4).upper()}-{R.randint(1000, 9999)}-{hexid(6).upper()}",
          f"Les tests de charge (profil {R.randint(1, 9)}.{R.randint(0, 9)}) ont donné {R.randint(100, 900)} req/s sur {R.randint(2, 16)} cœurs.",
          f"Contrat de maintenance : CTR-{R.randint(2020, 2024)}-{R.randint(1000, 9999)} avec {pick(COMPANIES)[0]}.",
          f"Exemple de numéro de test (clé invalide) : NIR {fmt_nir(bad_nir())}, IBAN {group4(bad_iban())}.")
    return d


def gen_notice(i):
    d = Doc(f"affichage/avis_{i:02d}.txt")
    s1, s2 = pick(STREETS), pick(STREETS)
    d.add(f"AVIS AUX LOCATAIRES DES RÉSIDENCES {s1.upper()} ET {s2.upper()}", "",
          f"Des travaux de ravalement auront lieu du {dmy(datetime.date(2024, 4, R.randint(1, 10)))} au "
          f"{dmy(datetime.date(2024, 6, R.randint(1, 28)))} au {R.randint(1, 60)} {s1}.",
          f"Le stationnement sera interdit {pick(['devant', 'à côté de'])} {pick(INSTITUTIONS)} et sur la place Aimé Césaire.",
          f"Les travaux sont réalisés par {pick(COMPANIES)[0]} et {pick(COMPANIES)[0]} (marché n° {R.randint(2023, 2024)}-{R.randint(10, 99)}-{R.randint(100, 999)}).",
          f"Une réunion d'information se tiendra à {pick(INSTITUTIONS)}, salle Joséphine Baker, le "
          f"{long_date(datetime.date(2024, 3, R.randint(1, 28)))} à 18 h 30.",
          f"Ligne de bus C{R.randint(1, 26)} arrêt « {pick(['Henri Barbusse', 'Gabriel Péri', 'Louise Michel', 'Jean Moulin'])} ».",
          "", f"Pour toute question : accueil@{ORG_DOMAIN} ou {ORG_PHONE} (du lundi au vendredi).",
          "", f"Montant des travaux : {money(100000, 900000)} € HT, financés à {R.randint(10, 60)} % par la Métropole.",
          f"Date limite de réclamation : {R.randint(1, 28):02d}.{R.randint(4, 9):02d}.2024.")
    return d


# --------------------------------------------------------------------------
# Plan
# --------------------------------------------------------------------------

SUBJECT_REQUESTS = [
    {"who": "jean_dupont", "args": ["--name", "Jean Dupont", "--birthdate", "1975-04-12"]},
    {"who": "jean_dupont", "args": ["--name", "DUPONT Jean"]},
    {"who": "awa_dupont", "args": ["--name", "Awa Dupont"]},
    {"who": "jeanne_dupont", "args": ["--name", "Jeanne Dupont", "--email", "jeanne.dupont@free.fr"]},
    {"who": "jean_dupond", "args": ["--name", "Jean Dupond"]},
    {"who": "emre_yilmaz", "args": ["--name", "Emre Yilmaz", "--birthdate", "1975-04-12"]},
]


def zip_of(path, docs_data):
    out = io.BytesIO()
    labels = []
    with zipfile.ZipFile(out, "w") as z:
        for d, data in docs_data:
            zi = zipfile.ZipInfo(d.path, (2023, 12, 20, 16, 30, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data if data is not None else d.text().encode("utf-8"))
            labels.append((d.path, d.labels))
    return out.getvalue(), labels


def main():
    S = SUBJ
    for i in range(10):
        emit(gen_letter(i))
    emit(gen_letter(10, S["jean_dupont"]))
    emit(gen_letter(11, S["jean_dupont"], co=True))
    emit(gen_letter(12, S["jeanne_dupont"]))
    emit(gen_letter(13, S["jean_dupond"]))
    for i in range(6):
        emit(gen_form(i))
    emit(gen_form(6, S["jean_dupond"]))
    emit(gen_form(7, S["emre_yilmaz"]))
    for i in range(5):
        emit(gen_payslip(i))
    emit(gen_payslip(5, S["jean_dupont"]))
    for i in range(6):
        emit(gen_thread(i))
    emit(gen_thread(6, S["jeanne_dupont"]))
    emit(gen_thread(7, S["awa_dupont"]))
    log_people = [S["jean_dupont"], S["jeanne_dupont"], S["jean_dupond"]] + [Person() for _ in range(6)]
    for i in range(2):
        emit(gen_access_log(i, log_people))
        emit(gen_app_log(i, log_people))
    for i, ppl in enumerate([[S["jean_dupont"], S["awa_dupont"], S["jeanne_dupont"], S["jean_dupond"], S["emre_yilmaz"]]
                             + [Person() for _ in range(7)], [Person() for _ in range(9)], [Person() for _ in range(6)]]):
        d, data = gen_xlsx(i, ppl if i else sorted(ppl, key=lambda p: deaccent(p.last)))
        emit(d, data)
    for i, ppl in enumerate([[Person(), S["emre_yilmaz"], Person(), S["jean_dupont"], Person()],
                             [Person() for _ in range(6)]]):
        d, data = gen_ods(i, ppl)
        emit(d, data)
    d, data = gen_json(0, [[S["jean_dupont"], S["awa_dupont"]], [S["emre_yilmaz"]], [Person(), Person()],
                           [S["jeanne_dupont"]], [Person()]])
    emit(d, data)
    d, data = gen_json(1, [[Person()], [Person(), Person()], [Person()]])
    emit(d, data)
    for i in range(4):
        emit(gen_invoice(i))
    for i in range(2):
        emit(gen_tech_note(i))
    for i in range(3):
        emit(gen_notice(i))
    inner = [(gen_letter(20), None), (gen_form(20), None), gen_json(20, [[Person(), Person()]]),
             (gen_invoice(20), None)]
    for d, _ in inner:
        d.path = d.path.split("/")[-1]
    data, labs = zip_of("archives/dossiers_clos_2023.zip", inner)
    DOCS.append(("archives/dossiers_clos_2023.zip", data, None))
    zlabels = {f"archives/dossiers_clos_2023.zip::{p}": ls for p, ls in labs}

    files = write_set(OUT, CORPUS, DOCS, SEED, SUBJ, SUBJECT_REQUESTS,
                      f"# {ORG}'s own values (see eval/README.md)\n"
                      f"phone: {ORG_PHONE}\nemail: accueil@{ORG_DOMAIN}\niban: {ORG_IBAN}\n"
                      f"address: {ORG_ADDR[0]}, {ORG_ADDR[1]} {ORG_ADDR[2]}\n", zlabels)
    n = sum(len(v) for v in files.values())
    print(f"{len(DOCS)} files, {len(files)} labelled documents, {n} labels -> {os.path.relpath(CORPUS)}")


if __name__ == "__main__":
    sys.exit(main())
