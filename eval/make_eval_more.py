"""More templates for the pdscout evaluation set (issue 20): structured exports (JSON, NDJSON,
XML, YAML), quoted letters, letters whose tenant block comes first or beside the letterhead,
initials and staff signatures, people named by file and folder names, foreign and mistyped
phones, and decoy-rich changelogs, catalogues and device dumps.

Used by make_eval.py: `generators(m)` takes the make_eval module (its random source, people,
addresses and label builder) and returns the generator functions with their counts.
"""

import json


def generators(m):
    R, pick, chance, Person, Address, Doc = m.R, m.pick, m.chance, m.Person, m.Address, m.Doc

    def plain_address(a=None):
        """An address without complement lines (structured records keep complements apart)."""
        return a or Address(complements=[])

    # ---- structured exports ------------------------------------------------------------------
    KEYSETS = [
        # (last, first, street, postcode, city, phone, email, birth, nested address key)
        ("nom", "prenom", "voie", "code_postal", "ville", "telephone", "email", "date_naissance", "adresse"),
        ("Nom", "Prénom", "Rue", "CP", "Commune", "Tel", "Courriel", "DateNaissance", None),
        ("lastName", "firstName", "street", "postalCode", "city", "mobile", "email", "birthDate", "address"),
        ("last_name", "given_name", "address_line", "zip", "town", "phone", "mail", "date_of_birth", "address"),
        ("NOM_LOCATAIRE", "PRENOM_LOCATAIRE", "ADRESSE", "CODE_POSTAL", "VILLE", "PORTABLE", "EMAIL", None, None),
        ("nom-usage", "prenom", "adresse-ligne", "code-postal", "localite", "tel-mobile", "e-mail", "ne-le", "domicile"),
    ]

    def person_record(doc, keys, with_ids=True):
        last_k, first_k, street_k, cp_k, city_k, tel_k, mail_k, birth_k, nest_k = keys
        p = Person()
        a = plain_address()
        caps = chance(0.5)
        last = p.last.upper() if caps else p.last
        doc.lab("name", f"{p.first} {last}")
        doc.lab("address", f"{a.street}, {a.cp} {a.city}")
        addr = {street_k: a.street, cp_k: a.cp if chance(0.8) else int(a.cp), city_k: a.city}
        rec = {"id": R.randint(1000, 99999), last_k: last, first_k: p.first}
        if nest_k:
            rec[nest_k] = addr
        else:
            rec.update(addr)
        if with_ids and chance(0.7):
            rec[tel_k] = doc.phone(style=pick(["sp", "compact", "dot"]))
        if with_ids and chance(0.5):
            rec[mail_k] = doc.email(p)
        if with_ids and birth_k and chance(0.5):
            y, mo, d = p.birth
            doc.lab("birthdate", f"{y:04d}-{mo:02d}-{d:02d}")
            rec[birth_k] = f"{y:04d}-{mo:02d}-{d:02d}"
        rec["solde"] = round(R.uniform(-800, 400), 2)
        rec["logiciel"] = f"{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 9)}.{R.randint(10, 300)}"
        return rec

    def gen_json(i):
        doc = Doc()
        keys = KEYSETS[i % len(KEYSETS)]
        recs = [person_record(doc, keys) for _ in range(R.randint(3, 7))]
        if i % 2:
            body = json.dumps({"export": {"date": "2024-03-01", "locataires": recs}}, ensure_ascii=False, indent=2)
        else:
            body = json.dumps(recs, ensure_ascii=False, indent=1)
        return f"exports/json/locataires_{i:02d}.json", body, doc.labels

    def gen_ndjson(i):
        doc = Doc()
        keys = KEYSETS[(i + 2) % len(KEYSETS)]
        lines = [json.dumps(person_record(doc, keys), ensure_ascii=False) for _ in range(R.randint(4, 8))]
        return f"exports/json/flux_{i:02d}.ndjson", "\n".join(lines), doc.labels

    def xml_escape(s):
        return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def gen_xml(i):
        doc = Doc()
        keys = KEYSETS[(i + 1) % len(KEYSETS)]
        tag = lambda k: k.replace("é", "e").replace(" ", "_")
        out = ['<?xml version="1.0" encoding="UTF-8"?>', "<locataires>"]
        for _ in range(R.randint(3, 6)):
            rec = person_record(doc, keys)
            out.append(f'  <locataire id="{rec.pop("id")}">')
            for k, v in rec.items():
                if isinstance(v, dict):
                    out.append(f"    <{tag(k)}>")
                    for k2, v2 in v.items():
                        out.append(f"      <{tag(k2)}>{xml_escape(v2)}</{tag(k2)}>")
                    out.append(f"    </{tag(k)}>")
                else:
                    out.append(f"    <{tag(k)}>{xml_escape(v)}</{tag(k)}>")
            out.append("  </locataire>")
        out.append("</locataires>")
        return f"exports/xml/locataires_{i:02d}.xml", "\n".join(out), doc.labels

    def gen_yaml(i):
        doc = Doc()
        keys = KEYSETS[(i + 3) % len(KEYSETS)]
        out = ["# Export des occupants", "occupants:"]
        for _ in range(R.randint(3, 6)):
            rec = person_record(doc, keys)
            first = True
            for k, v in rec.items():
                lead = "  - " if first else "    "
                first = False
                if isinstance(v, dict):
                    out.append(f"{lead}{k}:")
                    for k2, v2 in v.items():
                        out.append(f"      {k2}: {v2}")
                else:
                    out.append(f"{lead}{k}: {v}")
        return f"exports/yaml/occupants_{i:02d}.yaml", "\n".join(out), doc.labels

    # ---- letters -----------------------------------------------------------------------------
    def tenant_block(doc, p, a):
        civ = pick(["Madame", "Monsieur", "Mme", "M."]) if chance(0.7) else None
        nm = doc.name(p, pick(["full", "caps", "inv"]))
        head = f"{civ} {nm}" if civ else nm
        return [head] + doc.addr_block(a).split("\n")

    def org_block():
        v = R.randint(0, 2)
        if v == 0:
            return [m.ORG.upper(), "Service gestion locative", "1 place de l'Hôtel de Ville", "69001 Lyon",
                    f"www.{m.ORG_DOMAIN}"]
        if v == 1:
            return [m.ORG, "Agence Est", "24 avenue Henri Barbusse", "69100 Villeurbanne", m.ORG_GENERIC[0]]
        return [f"{m.ORG} – Office public de l'habitat", "1 place de l'Hôtel de Ville", "69001 LYON"]

    def initial_name(doc, p):
        """`T. Schmitt` (labelled as written)."""
        last = p.last.upper() if chance(0.3) else p.last
        txt = f"{p.first[0]}. {last}"
        doc.lab("name", txt, optional=p in doc.full)
        return txt

    def gen_letter_first(i):
        """A tenant writes: own block first, then the organisation's, side by side or one after the other."""
        doc = Doc()
        p, a = Person(), Address()
        left, right = tenant_block(doc, p, a), org_block()
        out = []
        if i % 2:
            width = max(len(s) for s in left) + R.randint(4, 12)
            for k in range(max(len(left), len(right))):
                l = left[k] if k < len(left) else ""
                r = right[k] if k < len(right) else ""
                out.append((l.ljust(width) + r).rstrip())
        else:
            out += left + ([""] if chance(0.5) else []) + ["À l'attention de :"] * chance(0.4) + right
        city = a.city.title()
        out += ["", f"{city}, le {m.fr_date(2024, R.randint(1, 12), R.randint(1, 28), 'long')}", "",
                "Objet : " + pick(["demande de mutation", "réclamation chauffage", "régularisation des charges"]), ""]
        s, _ = pick(m.STAFF)
        if chance(0.5):
            out.append(f"Madame, Monsieur,")
        else:
            out.append(f"{doc.civility(s, 'long')} {initial_name(doc, s)},")
        out.append(pick(["Je vous écris au sujet de mon logement.", "Je sollicite un rendez-vous."]))
        out.append(f"Vous pouvez me joindre au {doc.phone()}.")
        out += ["", "Veuillez agréer mes salutations distinguées.", "", initial_name(doc, p) if chance(0.5)
                else doc.name(p, "full")]
        return f"courriers/entrants/lettre_{i:03d}.txt", "\n".join(out), doc.labels

    def gen_quoted(i):
        """A reply quoting the tenant's letter (`>`, `> >`, `> |` markers)."""
        doc = Doc()
        p, a = Person(), Address()
        s, title = pick(m.STAFF)
        marker = pick(["> ", "> > ", ">", "> | "])
        out = [f"De : {doc.name(s, 'full')} <{doc.staff_email(s)}>", f"Objet : RE: votre courrier", "",
               f"Bonjour {initial_name(doc, p) if chance(0.5) else doc.surname(p, 'short', caps=False)},", "",
               "Nous avons bien reçu votre courrier, reproduit ci-dessous.", "",
               f"{s.first} {s.last} / {pick(['Comptable', 'Gestionnaire', 'Chargée de clientèle'])}"
               if chance(0.5) else f"{title}", ""]
        if "Comptable" in out[-2] or "Gestionnaire" in out[-2] or "Chargée" in out[-2]:
            pass
        quoted = tenant_block(doc, p, a) + ["", "Madame, Monsieur,", "Je signale une fuite d'eau.",
                                            f"Tél : {doc.phone()}"]
        out += [marker + q if q else marker.rstrip() for q in quoted]
        return f"mails/reponses/reponse_{i:03d}.txt", "\n".join(out), doc.labels

    def gen_signatures(i):
        """Internal notes signed by staff: `Prénom Nom / Fonction`, a name above its job line."""
        doc = Doc()
        p = Person()
        out = [f"Note interne – dossier {R.randint(1000, 9999)}", "",
               f"Le locataire {doc.name(p, 'caps', civ='short')} a appelé ce jour.", ""]
        for s, _ in R.sample(m.STAFF, 2):
            job = pick(["Comptable", "Gardien", "Gestionnaire", "Chargée de clientèle", "Technicien",
                        "Assistante sociale", "Responsable de secteur"])
            nm = doc.name(s, pick(["full", "caps"]))
            if chance(0.5):
                out += [f"{nm} / {job}", ""]
            else:
                out += ["Cordialement,", nm, job, ""]
        out.append(f"Copie : {initial_name(doc, pick(m.STAFF)[0])}")
        return f"notes/signatures/note_{i:03d}.txt", "\n".join(out), doc.labels

    # ---- file names --------------------------------------------------------------------------
    DOCS = ["CV", "CNI", "Bail", "Quittance", "Attestation_CAF", "RIB", "Avis_imposition", "EDL",
            "Justificatif_domicile", "Contrat"]

    def gen_path(i):
        """A scan whose text says nothing: the person is named by the file or folder name."""
        doc = Doc()
        p = Person()
        v = i % 5
        first = m.strip_accents(p.first).replace(" ", "-") if chance(0.3) else p.first.replace(" ", "-")
        last = p.last.replace(" ", "")
        if v == 0:
            rel = f"scans/{pick(DOCS)}_{last.upper()}_{first}.txt"
            doc.lab("name", f"{first} {last.upper()}")
        elif v == 1:
            rel = f"scans/{pick(DOCS)}_{last}_{first}.txt"
            doc.lab("name", f"{first} {last}")
        elif v == 2:
            rel = f"scans/locataires/{last.upper()} {first}/{pick(DOCS).lower()}.txt"
            doc.lab("name", f"{first} {last.upper()}")
        elif v == 3:
            rel = f"scans/{first}_{last.upper()}_{R.randint(2019, 2024)}.txt"
            doc.lab("name", f"{first} {last.upper()}")
        else:
            rel = f"scans/dossiers/{R.randint(100, 999)}-{last.upper()}-{first}/{pick(DOCS)}.txt"
            doc.lab("name", f"{first} {last.upper()}")
        body = pick(["[page numérisée]", "Document scanné – 2 pages", "Pièce justificative"])
        return rel, body, doc.labels

    def gen_path_decoy(i):
        rel = pick(["scans/Factures_2023.txt", "scans/Rapport_Final_v2.txt", "scans/Planning_Gardiens.txt",
                    "scans/Compte_Rendu_Conseil.txt", "scans/Marche_Travaux_Lot3.txt"])
        return rel.replace(".txt", f"_{i:02d}.txt"), "Document sans donnée personnelle.", []

    # ---- phones ------------------------------------------------------------------------------
    FOREIGN = [("+212", lambda: f"6 {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}"),
               ("+213", lambda: f"{pick('567')}{R.randint(50, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}"),
               ("+351", lambda: f"9{pick('1236')}{R.randint(0, 9)} {R.randint(100, 999)} {R.randint(100, 999)}"),
               ("+216", lambda: f"{pick('2459')}{R.randint(0, 9)} {R.randint(100, 999)} {R.randint(100, 999)}"),
               ("+90", lambda: f"5{R.randint(30, 59)} {R.randint(100, 999)} {R.randint(10, 99)} {R.randint(10, 99)}"),
               ("+30", lambda: f"69{R.randint(0, 9)} {R.randint(100, 999)} {R.randint(1000, 9999)}")]

    def gen_phones(i):
        """A tenant file with a foreign mobile and a mistyped French number beside `Tél`."""
        doc = Doc()
        p, a = Person(), Address()
        cc, num = pick(FOREIGN)
        written = f"{cc} {num()}"
        digits = "".join(c for c in written if c.isdigit())
        doc.lab("phone", "+" + digits)
        bad = f"07 {R.randint(0, 2)}{R.randint(0, 9)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}"
        doc.lab("phone", "+33" + bad.replace(" ", "")[1:])
        out = [f"FICHE CONTACT – {doc.name(p, 'inv')}", f"Adresse : {doc.addr_line(a)}",
               f"{pick(['Mobile', 'Portable', 'Tél. (étranger)'])} : {written}",
               f"{pick(['Tél', 'Tél.', 'Téléphone'])} : {bad}",
               f"Fixe : {doc.phone(mobile=False)}" if chance(0.5) else "",
               "Remarque : numéro à vérifier avec le locataire."]
        return f"notes/contacts/fiche_{i:03d}.txt", "\n".join(l for l in out if l), doc.labels

    # ---- decoys ------------------------------------------------------------------------------
    def gen_changelog(i):
        out = ["# Changelog – GestLoc", ""]
        for _ in range(R.randint(3, 6)):
            v = f"{R.randint(1, 9)}.{R.randint(0, 30)}.{R.randint(0, 40)}.{R.randint(20, 250)}"
            d = f"20{R.randint(19, 24)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}"
            out += [pick([f"## {v} - {d}", f"### [{v}] ({d})", f"## v{v}"]), "- correctifs divers", ""]
        out.append(f"Compatible avec le client lourd v{R.randint(1, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(100, 200)}.")
        return f"divers/changelog_{i:02d}.md", "\n".join(out), []

    def ean13():
        body = [R.randint(0, 9) for _ in range(12)]
        body[0] = R.randint(3, 5)
        s = sum(d * (1 if k % 2 == 0 else 3) for k, d in enumerate(body))
        return "".join(map(str, body)) + str((10 - s % 10) % 10)

    def gen_catalogue(i):
        out = ["CATALOGUE FOURNITURES – entretien des parties communes", ""]
        for _ in range(R.randint(8, 14)):
            out.append(f"{pick(['Ampoule LED', 'Balai', 'Serpillière', 'Détergent 5L', 'Cadenas'])} – "
                       f"{pick(['Code EAN : ', 'EAN13 ', 'GTIN ', ''])}{ean13()} – {m.money()}")
        out.append("ISBN du guide : " + pick(["0198526636", "2-07-036024-5"]))
        out.append("Renseignements : 0123456789")
        return f"divers/catalogue_{i:02d}.txt", "\n".join(out), []

    def gen_device_dump(i):
        out = ["[inventaire matériel]"]
        for _ in range(R.randint(6, 10)):
            out.append(f"device_id={R.randint(10**18, 10**19 - 1)} fw={R.randint(1, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 99)}")
        return f"divers/parc_{i:02d}.ini", "\n".join(out), []

    return ([gen_json] * 6 + [gen_ndjson] * 2 + [gen_xml] * 3 + [gen_yaml] * 3 + [gen_letter_first] * 10 +
            [gen_quoted] * 6 + [gen_signatures] * 6 + [gen_path] * 10 + [gen_path_decoy] * 3 +
            [gen_phones] * 6 + [gen_changelog] * 2 + [gen_catalogue] * 2 + [gen_device_dump] * 2)
