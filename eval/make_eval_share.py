"""Shapes of a real share that the first templates do not write (issue 20, second round): YAML
streams and nested YAML records (flow mappings, quoted scalars, anchors, households, a landlord's
block), replies quoted with a lone `|`, `>>` or several levels, letters whose recipient stands
right of the letterhead, staff signatures under the organisation's switchboard, people named by
deeper folder and file names, and foreign numbers in a contact table.

Used by make_eval.py after make_eval_more.py (appended last, so the earlier files stay the same):
`generators(m)` takes the make_eval module and returns the generator functions with their counts.
"""


def generators(m):
    R, pick, chance, Person, Address, Doc = m.R, m.pick, m.chance, m.Person, m.Address, m.Doc

    def ymd(p):
        y, mo, d = p.birth
        return f"{y:04d}-{mo:02d}-{d:02d}"

    def yq(s, flow=False):
        """A YAML scalar as an export tool writes it: plain, double- or single-quoted (always
        quoted where plain would not parse: in a flow mapping, a comma)."""
        s = str(s)
        r = R.random()
        if r < 0.25:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if (r < 0.4 or ": " in s or s[:1] in "'\"&*!|>%@`#-?[]{}," or " #" in s
                or (flow and any(c in s for c in ",[]{}"))):
            return "'" + s.replace("'", "''") + "'"
        return s

    # ---- YAML --------------------------------------------------------------------------------
    def gen_yaml_stream(i):
        """One tenant per document (`---`), French keys with accents, the address nested."""
        doc = Doc()
        keys = [("Nom", "Prénom", "Adresse", "Code postal", "Ville", "Téléphone", "Date de naissance"),
                ("nom_usage", "prenom", "adresse", "cp", "commune", "portable", "date_naissance"),
                ("NOM", "PRENOM", "ADRESSE", "CODE_POSTAL", "VILLE", "TEL", "NE_LE")][i % 3]
        out = [f"# export GestLoc du {R.randint(1, 28):02d}/0{R.randint(1, 9)}/2024"]
        for _ in range(R.randint(3, 6)):
            p, a = Person(), Address(complements=[])
            last = p.last.upper() if chance(0.6) else p.last
            doc.lab("name", f"{p.first} {last}")
            doc.lab("address", f"{a.street}, {a.cp} {a.city}")
            out += ["---", f"dossier: {R.randint(10000, 99999)}", f"{keys[0]}: {yq(last)}", f"{keys[1]}: {yq(p.first)}"]
            if chance(0.5):
                out += [f"{keys[2]}:", f"  voie: {yq(a.street)}", f"  {keys[3]}: {yq(a.cp)}", f"  {keys[4]}: {yq(a.city)}"]
            else:
                out += [f"{keys[2]}: {{ rue: {yq(a.street, True)}, {keys[3]}: {a.cp}, {keys[4]}: {yq(a.city, True)} }}"]
            if chance(0.6):
                out.append(f"{keys[5]}: {yq(doc.phone(style=pick(['sp', 'dot', 'compact', 'intl'])))}")
            if chance(0.5):
                doc.lab("birthdate", ymd(p))
                out.append(f"{keys[6]}: {ymd(p)}")
            out.append(f"statut: {pick(['actif', 'sortant', 'préavis'])}")
            out.append(f"version_export: {R.randint(1, 5)}.{R.randint(0, 20)}.{R.randint(0, 9)}.{R.randint(10, 250)}")
        return f"exports/yaml/flux_{i:02d}.yml", "\n".join(out), doc.labels

    def gen_yaml_household(i):
        """A household: the holder, the occupants as a sequence, the landlord's block (a company's
        address, not labelled) shared by anchor and alias."""
        doc = Doc()
        out = ["defaults:", "  bailleur: &bailleur",
               f"    raison_sociale: {m.ORG}", "    adresse: 1 place de l'Hôtel de Ville",
               "    code_postal: '69001'", "    ville: Lyon", "menages:"]
        for _ in range(R.randint(2, 4)):
            p, a = Person(), Address()
            doc.lab("name", f"{p.first} {p.last}")
            parts = list(a.complements[:1]) + [a.street, f"{a.cp} {a.city}"]
            v, alts = m.addr_alts(parts)
            # A record's complement field may be read before or after the street (as in CSV).
            alts += [", ".join([a.street] + list(a.complements[:1]) + [f"{a.cp} {a.city}"])]
            doc.lab("address", v, alt=alts)
            out += [f"  - reference: M{R.randint(1000, 9999)}", "    titulaire:",
                    f"      lastName: {yq(p.last)}", f"      firstName: {yq(p.first)}"]
            if chance(0.6):
                out.append(f"      email: {doc.email(p)}")
            out += ["    logement:"]
            if a.complements:
                out.append(f"      complement: {yq(a.complements[0])}")
            out += [f"      adresse: {yq(a.street)}", f"      code_postal: {yq(a.cp)}", f"      ville: {yq(a.city)}"]
            occ = [Person(last=p.last) for _ in range(R.randint(0, 3))]
            if occ:
                out.append("    occupants:")
                for o in occ:
                    doc.lab("name", f"{o.first} {o.last}")
                    doc.lab("birthdate", ymd(o))
                    if chance(0.5):
                        out.append(f"      - {{nom: {yq(o.last, True)}, prenom: {yq(o.first, True)}, ne_le: {ymd(o)}}}")
                    else:
                        out += [f"      - nom: {yq(o.last)}", f"        prenom: {yq(o.first)}", f"        ne_le: {ymd(o)}"]
            out += ["    bailleur: *bailleur", "    commentaire: |",
                    f"      Dossier suivi par l'agence, relance le {R.randint(1, 28)}/{R.randint(1, 12)}.",
                    f"    solde: {round(R.uniform(-900, 300), 2)}"]
        return f"exports/yaml/menages_{i:02d}.yaml", "\n".join(out), doc.labels

    # ---- quoted replies ----------------------------------------------------------------------
    def gen_quoted_deep(i):
        """A thread: the staff member's reply, the tenant's answer quoted, and the tenant's first
        letter quoted one level deeper (`|`, `>>`, `> >`, `>` with no space)."""
        doc = Doc()
        p, a = Person(), Address()
        s, _ = pick(m.STAFF)
        one, two = pick([("| ", "| | "), ("> ", ">> "), ("> ", "> > "), (">", ">>"), ("| ", "|> ")])
        sig = [f"{doc.name(s, 'full')}", pick(["Chargée de clientèle", "Gestionnaire", "Service contentieux"]),
               f"{m.ORG} – {m.ORG_PHONE}"]
        out = [f"De : {doc.name(s, 'full')} <{doc.staff_email(s)}>", "Objet : RE: RE: fuite salle de bain", "",
               "Bonjour,", "Le plombier passera jeudi matin.", ""] + sig + ["",
               f"Le {R.randint(1, 28)}/{R.randint(1, 12)}/2024, {doc.name(p, 'full')} a écrit :"]
        out += [one + "Merci, je serai présent(e).", one + f"Mon portable : {doc.phone()}", one.rstrip(),
                one + f"Le {R.randint(1, 28)}/{R.randint(1, 12)}/2024, {m.ORG} a écrit :"]
        block = [doc.name(p, pick(["caps", "inv"]), civ=pick(["long", "short"]))] + doc.addr_block(a).split("\n")
        out += [two + q for q in block + ["", "Une fuite sous la baignoire coule chez la voisine."]]
        out += [two + q for q in sig[2:]]
        return f"mails/fils/fil_{i:03d}.txt", "\n".join(out), doc.labels

    # ---- letters -----------------------------------------------------------------------------
    def gen_letter_right(i):
        """An outgoing letter: the letterhead on the left, the recipient's block on the right."""
        doc = Doc()
        p, a = Person(), Address()
        left = [m.ORG.upper(), "Agence Est", "24 avenue Henri Barbusse", "69100 Villeurbanne",
                f"Tél. {m.ORG_PHONE}", ""]
        right = ["", ""] + m.recipient(doc, p, a).split("\n")
        width = max(len(x) for x in left) + R.randint(6, 20)
        out = [(l.ljust(width) + r).rstrip() for l, r in
               zip(left + [""] * (len(right) - len(left)), right + [""] * (len(left) - len(right)))]
        s, title = pick(m.STAFF)
        out += ["", " " * width + m.letter_date(), "", "Objet : " + pick(["avis d'échéance", "visite annuelle"]),
                "", m.salutation(doc, p), "Nous vous informons du passage du technicien.", "",
                m.signature(doc, (s, title)), f"Ligne directe : {doc.phone(mobile=False)}"]
        return f"courriers/sortants/lettre_{i:03d}.txt", "\n".join(out), doc.labels

    # ---- paths -------------------------------------------------------------------------------
    def gen_path_deep(i):
        doc = Doc()
        p = Person()
        first, last = p.first.replace(" ", "-"), p.last.replace(" ", "")
        v = i % 4
        if v == 0:
            rel = f"scans/RH/Salaries/{last.upper()}_{first}/bulletin_2024-{R.randint(1, 12):02d}.txt"
        elif v == 1:
            rel = f"scans/Etat_des_lieux_sortie_{last.upper()}_{first}.txt"
        elif v == 2:
            rel = f"scans/Dossier {last.upper()} {first} - Bail {R.randint(2015, 2024)}.txt"
        else:
            rel = f"scans/Contentieux/{R.randint(2021, 2024)}/{last.upper()} {first}/mise_en_demeure.txt"
        doc.lab("name", f"{first} {last.upper()}")
        return rel, pick(["[scan illisible]", "Copie certifiée conforme", "Page 1/3"]), doc.labels

    # ---- phones ------------------------------------------------------------------------------
    FOREIGN = [("32", lambda: f"4{R.randint(70, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}"),
               ("41", lambda: f"7{pick('6789')} {R.randint(100, 999)} {R.randint(10, 99)} {R.randint(10, 99)}"),
               ("44", lambda: f"7{R.randint(700, 999)} {R.randint(100000, 999999)}"),
               ("49", lambda: f"17{R.randint(0, 9)} {R.randint(1000000, 9999999)}"),
               ("34", lambda: f"6{R.randint(10, 99)} {R.randint(100, 999)} {R.randint(100, 999)}"),
               ("39", lambda: f"3{R.randint(20, 49)} {R.randint(100, 999)} {R.randint(1000, 9999)}"),
               ("221", lambda: f"7{pick('0678')} {R.randint(100, 999)} {R.randint(10, 99)} {R.randint(10, 99)}"),
               ("212", lambda: f"{pick('67')}{R.randint(10, 99)}-{R.randint(10, 99)}{R.randint(10, 99)}{R.randint(10, 99)}"),
               ("213", lambda: f"6{R.randint(60, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}"),
               ("351", lambda: f"96{R.randint(0, 9)} {R.randint(100, 999)} {R.randint(100, 999)}")]

    def gen_contact_table(i):
        """A `;`-separated contact list pasted in a text note, foreign mobiles in the phone column."""
        doc = Doc()
        out = [f"Liste des contacts – relogement bâtiment {pick('ABCD')}", "",
               "Nom;Prénom;Téléphone;Observation"]
        for _ in range(R.randint(4, 7)):
            p = Person()
            doc.lab("name", f"{p.first} {p.last.upper()}")
            if chance(0.6):
                cc, num = pick(FOREIGN)
                written = pick([f"+{cc} {num()}", f"(+{cc}) {num()}"])
                doc.lab("phone", "+" + "".join(c for c in written if c.isdigit()))
            else:
                written = doc.phone(style=pick(["sp", "dot", "compact"]))
            out.append(f"{p.last.upper()};{p.first};{written};{pick(['rappeler', 'absent', 'ok', ''])}")
        out += ["", f"Contact agence : {m.ORG_PHONE}"]
        return f"notes/contacts/relogement_{i:02d}.txt", "\n".join(out), doc.labels

    return ([gen_yaml_stream] * 4 + [gen_yaml_household] * 4 + [gen_quoted_deep] * 6 + [gen_letter_right] * 6 +
            [gen_path_deep] * 8 + [gen_contact_table] * 4)
