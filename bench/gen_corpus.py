#!/usr/bin/env python3
"""Synthetic French office corpus for benchmarking pdscout (standard library only).

    gen_corpus.py OUT_DIR --size-mb 1000 --files 2000 [--seed 42]
    gen_corpus.py OUT_DIR --small-files --files 100000 --file-kb 2 [--seed 42]

Writes a mix of
  * letters/notes  (courriers to tenants, meeting minutes: accented prose),
  * CSV exports    (`;`-separated, header Nom;Prénom;Date de naissance;...),
  * access logs    (nginx/apache combined format, one IPv4/IPv6 client per line),
and OUT_DIR/manifest.json with the number of *valid* personal-data items generated
per kind (name, address, email, phone, iban, nir, ip, birthdate), plus the number of
decoys inserted (IPv4-shaped version strings, SIRET, order numbers, dates outside any
birth context, IBAN with a wrong checksum, NIR with a wrong key).

Identifiers are valid: FR IBAN with ISO 13616 mod-97 check digits (and a valid RIB
key), NIR with its mod-97 key, French phone numbers in the allocated ranges, real
calendar dates.  Output is deterministic for a given --seed and set of parameters,
whatever --jobs is (each file has its own RNG seeded from (seed, file index)).
manifest.json is written last: its presence means the corpus is complete.
"""

import argparse
import ipaddress
import json
import os
import random
import sys
import time
import unicodedata
from multiprocessing import Pool

GEN_VERSION = 1

# --------------------------------------------------------------------------- data

FIRST_F = [
    "Élodie", "Hélène", "Cécile", "Noémie", "Zoé", "Anaïs", "Séverine", "Thérèse",
    "Aurélie", "Mélanie", "Léa", "Chloé", "Valérie", "Céline", "Inès", "Amélie",
    "Agnès", "Françoise", "Renée", "Josée", "Michèle", "Mégane", "Ophélie", "Lucie",
    "Julie", "Camille", "Sophie", "Marie", "Laura", "Manon", "Sarah", "Fatima",
    "Yasmine", "Émilie", "Gaëlle", "Maëlys", "Clémence", "Bérénice", "Nathalie",
    "Isabelle", "Sylvie", "Brigitte", "Chantal", "Monique", "Geneviève", "Aïcha",
    "Héloïse", "Océane", "Solène", "Margaux",
]
FIRST_M = [
    "Jérôme", "François", "Gaël", "Loïc", "Benoît", "Stéphane", "Frédéric", "Maël",
    "Jérémy", "Sébastien", "Raphaël", "Joël", "Clément", "Gérard", "Hervé", "André",
    "René", "Timothée", "Léon", "Marc", "Paul", "Nicolas", "Pierre", "Thomas", "Hugo",
    "Kévin", "Karim", "Mohamed", "Noël", "Cédric", "Jean-Michel", "Jean-François",
    "Régis", "Aurélien", "Mathéo", "Théo", "Élie", "Grégoire", "Rémi", "Anthony",
    "Yannick", "Didier", "Bruno", "Philippe", "Patrice", "Éric", "Olivier", "Arnaud",
    "Ludovic", "Damien",
]
LAST = [
    "Lefèvre", "Dupont", "Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit",
    "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia",
    "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Mercier",
    "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "Legrand", "Gauthier",
    "Perrin", "Robin", "Morin", "Henry", "Roussel", "Mathieu", "Masson", "Marchand",
    "Duval", "Denis", "Dumont", "Lemaire", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
    "Barbier", "Arnaud", "Martinez", "Roche", "Renard", "Schmitt", "Leroux", "Colin",
    "Vidal", "Caron", "Picard", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
    "Lacroix", "Bourgeois", "Leclerc", "Payet", "Rolland", "Lecomte", "Lopez",
    "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis",
    "Moulin", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer",
    "Klein", "Jacquet", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Renault",
    "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Schneider",
    "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Prévost", "Millet",
    "Perrot", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois",
    "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal",
    "Weber", "Mallet", "Hamon", "Boulanger", "Monnier", "Michaud", "Rodriguez",
    "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chauvin",
    "Da Silva", "Bouchet", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud",
    "Barthélemy", "Cordier", "Pichon", "Lejeune", "Delaunay", "Pasquier", "Laporte",
    "Nguyen", "Benali", "Haddad", "Diallo", "Traoré", "Kaya", "Ferreira", "D'Angelo",
]
STREET_TYPES = ["rue", "rue", "rue", "avenue", "boulevard", "place", "impasse",
                "allée", "chemin", "quai", "square", "cours"]
STREET_NAMES = [
    "de la Paix", "Victor Hugo", "des Lilas", "du Général de Gaulle", "Jean Jaurès",
    "de la République", "Pasteur", "des Écoles", "Saint-Honoré", "du Château",
    "de l'Église", "des Peupliers", "Émile Zola", "Gambetta", "du Moulin",
    "des Tilleuls", "de la Gare", "Anatole France", "du Maréchal Foch",
    "Léon Blum", "des Acacias", "de Verdun", "Voltaire", "Jules Ferry",
    "de la Forêt", "des Cerisiers", "du 8 Mai 1945", "Aristide Briand",
    "de la Libération", "des Marronniers", "Pierre Brossolette", "Louise Michel",
    "Édouard Herriot", "du Président Wilson", "de Bretagne", "des Frères Lumière",
    "Sainte-Thérèse", "de l'Hôtel de Ville", "Gabriel Péri", "des Rosiers",
]
CITIES = [
    ("75002", "Paris"), ("75011", "Paris"), ("75019", "Paris"), ("69003", "Lyon"),
    ("69007", "Lyon"), ("13001", "Marseille"), ("13008", "Marseille"),
    ("31000", "Toulouse"), ("44000", "Nantes"), ("33000", "Bordeaux"),
    ("59000", "Lille"), ("67000", "Strasbourg"), ("35000", "Rennes"),
    ("34000", "Montpellier"), ("06000", "Nice"), ("38000", "Grenoble"),
    ("21000", "Dijon"), ("49000", "Angers"), ("76000", "Rouen"), ("51100", "Reims"),
    ("37000", "Tours"), ("87000", "Limoges"), ("63000", "Clermont-Ferrand"),
    ("29200", "Brest"), ("80000", "Amiens"), ("25000", "Besançon"), ("64000", "Pau"),
    ("17000", "La Rochelle"), ("92100", "Boulogne-Billancourt"),
    ("93200", "Saint-Denis"), ("94300", "Vincennes"), ("45000", "Orléans"),
    ("57000", "Metz"), ("54000", "Nancy"), ("86000", "Poitiers"),
    ("74000", "Annecy"), ("14000", "Caen"), ("30000", "Nîmes"),
    ("42000", "Saint-Étienne"), ("95000", "Cergy"),
]
ORG_CITIES = ["Paris", "Lyon", "Nantes", "Bordeaux", "Lille", "Rennes", "Grenoble",
              "Montpellier", "Besançon", "Nîmes", "Saint-Étienne"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
             "Nov", "Dec"]
MDAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
# Real French bank codes (code banque) with a plausible BIC.
BANKS = [(30004, "BNPAFRPP"), (30003, "SOGEFRPP"), (20041, "PSSTFRPP"),
         (30002, "CRLYFRPP"), (10278, "CMCIFR2A"), (11315, "CEPAFRPP"),
         (16006, "AGRIFRPP"), (10096, "CMCIFRPP"), (42559, "CCOPFRPP"),
         (13807, "CCBPFRPP"), (18206, "AGRIFRPP"), (30066, "CMCIFRPP")]
COMPANIES = ["Bâtiment Rénovation Services", "Plomberie Générale de l'Ouest",
             "Électricité Martin & Fils", "Ascenseurs Réunis", "Propreté Urbaine",
             "Espaces Verts du Val", "Menuiseries Léonard", "Chauffage Équipement Confort"]

ORG_HEADERS = [
    "Office Public de l'Habitat — Service Gestion Locative",
    "Habitat Solidaire — Agence de proximité",
    "Société Anonyme d'HLM Le Logis Familial — Direction de la clientèle",
    "Résidences Sociales de France — Pôle attributions",
]
OBJETS = [
    "votre demande de logement", "régularisation des charges locatives",
    "état des lieux de sortie", "révision annuelle du loyer",
    "intervention technique dans votre logement", "retard de paiement",
    "enquête sur l'occupation du parc social", "proposition de logement",
    "attestation d'assurance habitation", "travaux de réhabilitation",
    "demande de mutation", "troubles de voisinage", "restitution du dépôt de garantie",
]
REPORT_TITLES = [
    "Compte rendu de la commission d'attribution des logements",
    "Note de service — entretien des parties communes",
    "Rapport d'activité de l'agence de proximité",
    "Procès-verbal du conseil de concertation locative",
    "Bilan d'étape du programme de réhabilitation thermique",
    "Compte rendu de la réunion de l'équipe de gestion locative",
]

SENTENCES = [
    "Nous avons bien reçu votre demande de logement social et nous vous en remercions.",
    "Votre dossier a été enregistré auprès du service de gestion locative et sera examiné lors de la prochaine commission d'attribution.",
    "Conformément à la réglementation en vigueur, les pièces justificatives doivent être transmises dans un délai d'un mois.",
    "À défaut de réponse de votre part, votre demande sera considérée comme caduque et archivée.",
    "Nous vous rappelons que le loyer est payable à terme échu, avant le cinq de chaque mois.",
    "La régularisation annuelle des charges locatives fait apparaître un solde en votre faveur de 142,37 €.",
    "Ce montant sera déduit de votre prochain avis d'échéance.",
    "Les travaux de réfection de la cage d'escalier débuteront la semaine prochaine et dureront environ trois semaines.",
    "Pendant cette période, l'accès à l'ascenseur pourra être ponctuellement interrompu ; nous vous prions de bien vouloir nous en excuser.",
    "Le gardien de la résidence reste à votre disposition pour toute information complémentaire.",
    "Nous attirons votre attention sur l'obligation d'assurer votre logement contre les risques locatifs.",
    "L'attestation d'assurance habitation doit nous être adressée chaque année, à la date anniversaire du contrat.",
    "Votre demande de mutation vers un logement plus grand a été étudiée avec la plus grande attention.",
    "Malheureusement, aucun logement correspondant à vos critères n'est disponible à ce jour dans le secteur souhaité.",
    "Nous ne manquerons pas de revenir vers vous dès qu'une proposition adaptée pourra vous être faite.",
    "L'enquête sur l'occupation du parc social est obligatoire ; le questionnaire ci-joint doit être complété et retourné avant la fin du mois.",
    "En l'absence de réponse, un supplément de loyer de solidarité pourrait être appliqué conformément à l'article L. 441-9 du Code de la construction et de l'habitation.",
    "Le diagnostic de performance énergétique de votre logement est consultable à l'accueil de l'agence.",
    "Une réunion d'information destinée aux locataires se tiendra dans la salle commune du bâtiment C.",
    "Les représentants de l'amicale des locataires seront présents pour répondre à vos questions.",
    "Nous vous remercions de veiller à ce que les parties communes restent dégagées et propres.",
    "Le dépôt d'encombrants sur les paliers est strictement interdit pour des raisons évidentes de sécurité.",
    "Le contrat d'entretien de la chaudière individuelle prévoit une visite annuelle obligatoire.",
    "Le technicien passera entre 8 h 30 et 12 h ; merci de prévoir la présence d'une personne majeure.",
    "Si ce créneau ne vous convient pas, il vous appartient de fixer un nouveau rendez-vous directement avec l'entreprise.",
    "Nous avons constaté un retard de paiement concernant les échéances des deux derniers mois.",
    "Afin d'éviter toute procédure contentieuse, nous vous invitons à régulariser votre situation dans les meilleurs délais.",
    "Un plan d'apurement de la dette peut être envisagé ; notre conseillère en économie sociale et familiale se tient à votre disposition.",
    "Le Fonds de solidarité pour le logement peut également être sollicité sous certaines conditions de ressources.",
    "Nous accusons réception de votre préavis de départ, dont la durée est ramenée à un mois en zone tendue.",
    "L'état des lieux de sortie sera réalisé contradictoirement en présence d'un représentant de l'organisme.",
    "Le dépôt de garantie vous sera restitué dans un délai maximal de deux mois, déduction faite des éventuelles réparations locatives.",
    "Les clés devront être remises au gardien ou à l'agence le jour de l'état des lieux.",
    "Nous vous informons que la révision annuelle des loyers prendra effet au 1er janvier prochain.",
    "L'augmentation, calculée sur la base de l'indice de référence des loyers, s'élève à 3,5 %.",
    "Cette hausse reste inférieure au plafond fixé par la réglementation applicable aux logements conventionnés.",
    "Le nouveau montant figurera sur votre avis d'échéance du mois de janvier.",
    "Suite à votre signalement, une intervention de l'entreprise de plomberie a été programmée.",
    "Le dégât des eaux survenu dans la salle de bains a fait l'objet d'une déclaration auprès de notre assureur.",
    "Un expert mandaté par la compagnie d'assurance prendra contact avec vous prochainement.",
    "Les travaux de remise en état ne pourront être engagés qu'après le passage de l'expert.",
    "Nous vous remercions de votre compréhension et de votre patience.",
    "La commission a décidé d'attribuer le logement à un autre candidat, dont la situation a été jugée prioritaire.",
    "Votre demande reste néanmoins active et sera de nouveau présentée lors des prochaines commissions.",
    "Il vous appartient de renouveler votre demande chaque année, à la date anniversaire de son dépôt.",
    "Les ressources prises en compte sont celles de l'avant-dernière année, figurant sur l'avis d'imposition.",
    "Le logement proposé est un T3 de 64 m² situé au deuxième étage, avec balcon et cave.",
    "Le loyer principal s'élève à 452,18 € hors charges, les provisions pour charges à 118,00 €.",
    "La visite du logement est prévue en présence du chargé de clientèle ; merci de vous munir d'une pièce d'identité.",
    "Vous disposez d'un délai de dix jours pour faire connaître votre décision ; passé ce délai, la proposition sera réputée refusée.",
    "Le règlement intérieur de la résidence est joint au présent courrier.",
    "Les animaux domestiques sont tolérés sous réserve qu'ils n'occasionnent aucune gêne pour le voisinage.",
    "Des nuisances sonores répétées nous ont été signalées par plusieurs résidents de l'immeuble.",
    "Chaque locataire est tenu d'user paisiblement des locaux loués, conformément à l'article 7 de la loi de 1989.",
    "En cas de récidive, nous serions contraints d'engager une procédure de résiliation du bail.",
    "Le chauffage collectif sera remis en service à la mi-octobre, selon les conditions météorologiques.",
    "La température de consigne est fixée à 19 °C dans les pièces principales.",
    "Les compteurs d'eau froide et d'eau chaude seront relevés par télérelève ; aucune présence n'est requise.",
    "La fibre optique est désormais disponible dans l'ensemble des logements de la résidence.",
    "Vous pouvez souscrire l'abonnement de votre choix auprès de l'opérateur de votre préférence.",
    "Le remplacement des menuiseries extérieures s'inscrit dans le programme de réhabilitation thermique du quartier.",
    "Ces travaux permettront une baisse sensible de vos dépenses d'énergie dès l'hiver prochain.",
    "Une participation financière de 12,50 € par mois pourra être demandée au titre de la troisième ligne de quittance.",
    "Cette contribution est limitée à quinze ans et ne peut excéder la moitié des économies d'énergie estimées.",
    "Le bureau d'accueil est ouvert du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 17 h.",
    "Pour les urgences techniques en dehors des heures d'ouverture, un service d'astreinte est joignable via le numéro affiché dans le hall.",
    "Nous vous prions de trouver ci-joint la copie de l'avenant au bail, à nous retourner daté et signé.",
    "Le présent courrier vaut mise en demeure au sens de l'article 24 de la loi précitée.",
    "Nous restons à votre écoute pour tout renseignement complémentaire.",
    "La résidence fera l'objet d'une opération de dératisation et de désinsectisation le mois prochain.",
    "Il est impératif de laisser libre l'accès à la cuisine et à la salle d'eau le jour de l'intervention.",
    "Le stationnement des véhicules est interdit sur les voies pompiers et devant les locaux à poubelles.",
    "Le tri sélectif des déchets est obligatoire ; des conteneurs dédiés au verre et aux cartons sont à votre disposition.",
    "Le conseil d'administration a approuvé le budget prévisionnel de l'exercice à venir.",
    "Les dépenses d'entretien courant représentent près de quarante pour cent des charges récupérables.",
    "Le taux de vacance du patrimoine reste stable, à un niveau inférieur à la moyenne régionale.",
    "Les délais d'attribution se sont allongés en raison de la forte tension sur les petites typologies.",
    "Une attention particulière est portée aux ménages reconnus prioritaires au titre du droit au logement opposable.",
    "Le partenariat avec le centre communal d'action sociale a permis d'accompagner une vingtaine de familles.",
    "L'équipe de proximité a été renforcée par le recrutement de deux agents d'entretien supplémentaires.",
    "Les réclamations techniques sont traitées en moyenne sous huit jours ouvrés.",
    "Le comité a souligné la qualité du travail réalisé par les équipes de terrain tout au long de l'année.",
    "La démarche de concertation avec les habitants sera poursuivie lors des prochaines étapes du projet.",
    "Les élus ont rappelé leur attachement à la mixité sociale et à la qualité du cadre de vie.",
    "Le chantier a pris du retard à cause des intempéries et d'une pénurie de matériaux.",
    "La livraison des vingt-quatre logements neufs est désormais prévue à la fin du troisième trimestre.",
    "Le procès-verbal de la séance précédente est adopté à l'unanimité des membres présents.",
    "Aucune question diverse n'étant soulevée, la séance est levée à dix-huit heures quinze.",
    "Il est rappelé que les documents de travail transmis aux membres de la commission sont strictement confidentiels.",
    "Le coût prévisionnel de l'opération s'établit à 1 250 000 € toutes dépenses confondues.",
    "Les locataires âgés ou à mobilité réduite bénéficieront d'un accompagnement spécifique pendant toute la durée du chantier.",
    "Le diagnostic amiante réalisé préalablement aux travaux n'a révélé aucune anomalie.",
    "La façade nord présente des fissures qui feront l'objet d'un suivi régulier par le bureau d'études.",
]

# Item sentences: each holds exactly one item of its kind ({v}).
ITEM_SENTENCES = {
    "iban": [
        "Nous accusons réception de votre relevé d'identité bancaire ; le prélèvement mensuel du loyer sera effectué sur le compte IBAN {v} à compter du mois prochain.",
        "Le remboursement du dépôt de garantie sera versé par virement sur le compte {v} que vous nous avez indiqué.",
        "Coordonnées bancaires enregistrées : IBAN {v}, BIC {bic}.",
    ],
    "phone": [
        "Notre technicien vous contactera au {v} afin de convenir d'un rendez-vous.",
        "Le numéro de téléphone enregistré dans votre dossier est le {v} ; merci de nous signaler tout changement.",
        "Pour joindre directement le gardien de la résidence, composez le {v}.",
    ],
    "email": [
        "Une copie de ce courrier vous est également adressée par courriel à {v}.",
        "Les notifications relatives à l'avancement de votre demande seront envoyées à l'adresse {v}.",
        "Vous pouvez transmettre les pièces manquantes par courriel ; nous répondrons à {v}.",
    ],
    "nir": [
        "Pour l'instruction de votre dossier d'aide personnalisée au logement, nous avons bien noté votre numéro de sécurité sociale : {v}.",
        "N° de sécurité sociale du demandeur : {v}.",
        "L'attestation de la caisse d'allocations familiales mentionne le numéro d'inscription {v}.",
    ],
    "birthdate": [  # {ne} = né/née, {d} = 12/03/1985 or 12 mars 1985
        "Le demandeur principal, {ne} le {d}, est titulaire du bail depuis plusieurs années.",
        "Vous êtes {ne} le {d} ; vous pouvez donc bénéficier du dispositif réservé aux seniors.",
        "Date de naissance du demandeur : {d}.",
        "La personne à charge déclarée, {ne} le {d}, sera prise en compte dans la composition du foyer.",
    ],
}
ITEM_KINDS = ["phone", "email", "iban", "birthdate", "nir"]
# version, SIRET, order number, date, bad IBAN, bad NIR, amount/account reference
DECOY_WEIGHTS = [0.15, 0.2, 0.2, 0.2, 0.08, 0.07, 0.1]
ITEM_WEIGHTS = [0.30, 0.25, 0.15, 0.15, 0.15]

# ------------------------------------------------------------------ identifiers


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s)
                   if not unicodedata.combining(c))


def iban_check(bban):
    """ISO 13616 check digits for an all-digit French BBAN (F=15, R=27)."""
    return 98 - int(bban + "152700") % 97


def iban_valid(iban):
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def nir_key(first13):
    return 97 - int(first13) % 97


def luhn_complete(digits):
    """Append the Luhn check digit to a digit string."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


def group(s, n):
    return " ".join(s[i:i + n] for i in range(0, len(s), n))


HMS = None  # "hh:mm:ss" for every second of the day, built lazily


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.items = {}
        self.decoys = {}

    def count(self, kind, n=1):
        self.items[kind] = self.items.get(kind, 0) + n

    def decoy(self, kind, n=1):
        self.decoys[kind] = self.decoys.get(kind, 0) + n

    # --- people
    def person(self):
        r = self.r
        fem = r.random() < 0.55
        first = r.choice(FIRST_F if fem else FIRST_M)
        last = r.choice(LAST)
        return fem, first, last

    def address(self):
        r = self.r
        num = str(r.randint(1, 180))
        x = r.random()
        if x < 0.08:
            num += " bis"
        elif x < 0.11:
            num += " ter"
        cp, city = r.choice(CITIES)
        return f"{num} {r.choice(STREET_TYPES)} {r.choice(STREET_NAMES)}", cp, city

    def email(self, first, last):
        r = self.r
        f = strip_accents(first).lower().replace(" ", "").replace("'", "")
        l = strip_accents(last).lower().replace(" ", "").replace("'", "")
        x = r.random()
        if x < 0.6:
            local = f"{f}.{l}"
        elif x < 0.75:
            local = f"{f[0]}.{l}"
        elif x < 0.9:
            local = f"{f}.{l}{r.randint(1, 99)}"
        else:
            local = f"{l}.{f}"
        return local + r.choice(("@example.fr", "@example.fr", "@example.com", "@example.org"))

    def phone(self):
        r = self.r
        d2 = r.choice("66667712345999")
        d3 = r.choice("3456789") if d2 == "7" else str(r.randrange(10))
        digits = "0" + d2 + d3 + f"{r.randrange(10 ** 7):07d}"
        x = r.random()
        if x < 0.55:
            return group(digits, 2)
        if x < 0.75:
            return "+33 " + d2 + " " + group(digits[2:], 2)
        if x < 0.9:
            return ".".join(digits[i:i + 2] for i in range(0, 10, 2))
        return digits

    def iban_parts(self):
        r = self.r
        bank, bic = r.choice(BANKS)
        branch = r.randrange(100000)
        account = r.randrange(10 ** 11)
        rib = 97 - (89 * bank + 15 * branch + 3 * account) % 97
        bban = f"{bank:05d}{branch:05d}{account:011d}{rib:02d}"
        return bban, iban_check(bban), bic + r.choice(("XXX", "", "XXX"))

    def fmt_iban(self, iban):
        return group(iban, 4) if self.r.random() < 0.7 else iban

    def iban(self):
        bban, check, bic = self.iban_parts()
        return self.fmt_iban(f"FR{check:02d}{bban}"), bic

    def bad_iban(self):
        bban, check, _ = self.iban_parts()
        wrong = self.r.choice([c for c in range(2, 99) if c != check])
        return self.fmt_iban(f"FR{wrong:02d}{bban}")

    def nir_parts(self, fem=None, yy=None, mm=None):
        r = self.r
        sex = ("2" if fem else "1") if fem is not None else r.choice("12")
        if yy is None:
            yy = r.randrange(100)
        if mm is None:
            mm = r.randint(1, 12)
        dept = r.randint(1, 95)
        if dept == 20:
            dept = 21
        first13 = f"{sex}{yy:02d}{mm:02d}{dept:02d}{r.randint(1, 989):03d}{r.randint(1, 999):03d}"
        return first13, nir_key(first13)

    def fmt_nir(self, first13, key):
        if self.r.random() < 0.6:
            s = first13
            return f"{s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:10]} {s[10:13]} {key:02d}"
        return f"{first13}{key:02d}"

    def nir(self, fem=None, yy=None, mm=None):
        return self.fmt_nir(*self.nir_parts(fem, yy, mm))

    def bad_nir(self):
        first13, key = self.nir_parts()
        wrong = self.r.choice([k for k in range(1, 98) if k != key])
        return self.fmt_nir(first13, wrong)

    def date(self, y0, y1):
        r = self.r
        y = r.randint(y0, y1)
        m = r.randint(1, 12)
        nd = MDAYS[m - 1] + (1 if m == 2 and y % 4 == 0 and (y % 100 or y % 400 == 0) else 0)
        return y, m, r.randint(1, nd)

    @staticmethod
    def date_long(y, m, d):
        return f"{'1er' if d == 1 else d} {MONTHS[m - 1]} {y}"

    def birth_date_text(self):
        """'12/03/1985' | '1er mars 1970' (a real calendar date, 1935-2005)."""
        y, m, d = self.date(1935, 2005)
        if self.r.random() < 0.5:
            return f"{d:02d}/{m:02d}/{y}"
        return self.date_long(y, m, d)

    # --- decoys
    def decoy_sentence(self):
        r = self.r
        k = r.choices(range(7), DECOY_WEIGHTS)[0]
        if k == 0:
            self.decoy("version_ipv4_shaped")
            v = ".".join(str(r.randint(0, 20)) for _ in range(4))
            return r.choice((
                f"Le portail locataire a été mis à jour en version {v} ; certaines pages peuvent s'afficher différemment.",
                f"Le logiciel de gestion des demandes (version {v}) sera indisponible pendant la maintenance.",
            ))
        if k == 1:
            self.decoy("siret")
            s = luhn_complete(f"{r.randrange(10 ** 13):013d}")
            if r.random() < 0.5:
                s = f"{s[0:3]} {s[3:6]} {s[6:9]} {s[9:]}"
            return f"Les travaux seront réalisés par l'entreprise {r.choice(COMPANIES)} (SIRET {s}), titulaire du marché d'entretien."
        if k == 2:
            self.decoy("order_number")
            y = r.randint(2019, 2025)
            o = r.choice((f"REC-{y}-{r.randrange(10 ** 6):06d}", f"CMD-{y}-{r.randrange(10 ** 7):07d}",
                          f"{r.randint(10 ** 7, 10 ** 8 - 1)}"))
            return r.choice((f"Votre réclamation est enregistrée sous le numéro {o}.",
                             f"Le bon de commande n° {o} a été transmis à l'entreprise."))
        if k == 3:
            self.decoy("date_no_birth_context")
            y, m, d = self.date(2018, 2025)
            return r.choice((f"La commission d'attribution s'est réunie le {self.date_long(y, m, d)}.",
                             f"L'état des lieux de sortie est fixé au {d:02d}/{m:02d}/{y} à 10 h 30.",
                             f"Votre courrier du {d:02d}/{m:02d}/{y} a retenu toute notre attention."))
        if k == 4:
            self.decoy("iban_bad_checksum")
            return f"Attention : l'IBAN {self.bad_iban()} figurant sur le formulaire est erroné ; merci de nous transmettre un nouveau RIB."
        if k == 5:
            self.decoy("nir_bad_key")
            return f"Le numéro {self.bad_nir()} indiqué sur l'attestation ne correspond à aucun assuré ; merci de le vérifier."
        self.decoy("amount_reference")
        return f"Le montant de {r.randint(100, 9999)},{r.randrange(100):02d} € sera porté au crédit de votre compte locataire n° {r.randrange(10 ** 6):06d}."

    def item_sentence(self, fem, first, last):
        r = self.r
        kind = r.choices(ITEM_KINDS, ITEM_WEIGHTS)[0]
        tpl = r.choice(ITEM_SENTENCES[kind])
        self.count(kind)
        if kind == "iban":
            v, bic = self.iban()
            return tpl.format(v=v, bic=bic)
        if kind == "phone":
            return tpl.format(v=self.phone())
        if kind == "email":
            return tpl.format(v=self.email(first, last))
        if kind == "nir":
            return tpl.format(v=self.nir(fem))
        return tpl.format(ne="née" if fem else "né", d=self.birth_date_text())

    # --- blocks
    def letter(self, paras, budget):
        r = self.r
        fem, first, last = self.person()
        y, m, d = self.date(2020, 2025)
        self.decoy("date_no_birth_context")
        self.decoy("order_number")
        ref = f"GL/{y}/{r.randrange(10 ** 5):05d}"
        x = r.random()
        if x < 0.4:
            name = f"{'Madame' if fem else 'Monsieur'} {first} {last}"
        elif x < 0.75:
            name = f"{'Mme' if fem else 'M.'} {first} {last.upper()}"
        else:
            name = f"{'Madame' if fem else 'Monsieur'} {last.upper()} {first}"
        street, cp, city = self.address()
        self.count("name")
        self.count("address")
        head = (f"{r.choice(ORG_HEADERS)}\n\n{r.choice(ORG_CITIES)}, le {self.date_long(y, m, d)}\n\n"
                f"Réf. : {ref}\n\n{name}\n{street}\n{cp} {city}\n\n"
                f"Objet : {r.choice(OBJETS)}\n\n{'Madame' if fem else 'Monsieur'},\n\n")
        n = max(1, min(r.randint(2, 4), (budget - 700) // 600))
        body = [r.choice(paras) for _ in range(n)]
        extra = [self.item_sentence(fem, first, last)
                 for _ in range(r.choices((0, 1, 2, 3), (0.25, 0.4, 0.25, 0.1))[0])]
        extra += [self.decoy_sentence() for _ in range(r.randint(0, 2))]
        for s in extra:
            i = r.randrange(n)
            body[i] = body[i] + " " + s
        tail = (f"\n\nNous vous prions d'agréer, {'Madame' if fem else 'Monsieur'}, "
                "l'expression de nos salutations distinguées.\n\nLe service Gestion Locative\n\n"
                "——————————————————————————————\n\n")
        return head + "\n\n".join(body) + tail

    def report(self, paras, budget):
        r = self.r
        y, m, d = self.date(2018, 2025)
        self.decoy("date_no_birth_context")
        n = max(1, min(r.randint(5, 14), budget // 600))
        body = [r.choice(paras) for _ in range(n)]
        extra = [self.decoy_sentence() for _ in range(r.randint(0, 2))]
        if r.random() < 0.3:
            fem, first, last = self.person()
            extra.append(self.item_sentence(fem, first, last))
        for s in extra:
            i = r.randrange(n)
            body[i] = body[i] + " " + s
        return (f"{r.choice(REPORT_TITLES)} du {self.date_long(y, m, d)}\n\n"
                + "\n\n".join(body) + "\n\n\n")

    def csv_row(self, eol):
        r = self.r
        fem, first, last = self.person()
        street, cp, city = self.address()
        self.count("name")
        self.count("address")
        y, m, d = self.date(1935, 2005)
        dob = ""
        if r.random() < 0.95:
            self.count("birthdate")
            dob = f"{d:02d}/{m:02d}/{y}" if r.random() < 0.85 else f"{y}-{m:02d}-{d:02d}"
        tel = mail = iban = nir = ""
        if r.random() < 0.9:
            self.count("phone")
            tel = self.phone()
        if r.random() < 0.85:
            self.count("email")
            mail = self.email(first, last)
        if r.random() < 0.7:
            self.count("iban")
            iban = self.iban()[0]
        if r.random() < 0.75:
            self.count("nir")
            nir = self.nir(fem, y % 100, m)
        return f"{last.upper()};{first};{dob};{tel};{mail};{iban};{nir};{street};{cp};{city}{eol}"


# --------------------------------------------------------------------- logs

V4_FIRST = [o for o in range(2, 224)
            if o not in (10, 100, 127, 169, 172, 192, 198, 203)]
V6_PREFIXES = ["2a01:cb00", "2a01:e0a", "2001:861", "2a02:8428", "2a01:cb1d",
               "2a04:cec0", "2001:41d0", "2a02:842a"]
UAS = [  # (user agent, contains an IPv4-shaped version string)
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", True),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.6167.85 Safari/537.36", False),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Safari/605.1.15", False),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", False),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1", False),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", True),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", False),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", False),
    ("curl/8.4.0", False),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0", False),
]
UA_TEXT = [u for u, _ in UAS]
UA_DECOY = [d for _, d in UAS]
REQUESTS = [
    "GET / HTTP/1.1", "GET /index.php HTTP/1.1", "GET /espace-locataire/connexion HTTP/1.1",
    "POST /espace-locataire/connexion HTTP/1.1", "GET /demande-logement?etape=2 HTTP/1.1",
    "GET /static/css/main.4f2a9c.css HTTP/1.1", "GET /static/js/app.93bd1e.js HTTP/1.1",
    "GET /images/logo.png HTTP/1.1", "GET /favicon.ico HTTP/1.1", "GET /robots.txt HTTP/1.1",
    "GET /actualites/travaux-residence-les-tilleuls HTTP/1.1", "GET /wp-login.php HTTP/1.1",
    "GET /api/v1/quittances?annee=2024 HTTP/2.0", "GET /api/v1/dossiers/48213/pieces HTTP/2.0",
    "POST /api/v1/reclamations HTTP/2.0", "GET /contact HTTP/1.1", "HEAD / HTTP/1.1",
]
STATUSES = [200] * 14 + [304, 304, 301, 302, 404, 404, 403, 500]
REFERERS = ["-", "-", "https://www.example.fr/", "https://www.google.fr/",
            "https://www.example.fr/espace-locataire/"]


def emit_lines(lines, target_bytes, emit):
    """Emits the lines of the generator `lines` in batches until about target_bytes."""
    produced = 0
    while produced < target_bytes:
        batch = []
        for _ in range(1000):
            batch.append(next(lines))
            produced += len(batch[-1])
            if produced >= target_bytes:
                break
        emit("".join(batch))


def log_lines(g):
    """Access-log lines; every line has one client IP."""
    global HMS
    if HMS is None:
        HMS = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    r = g.r
    rand, grb, choice = r.random, r.getrandbits, r.choice
    vhost = r.random() < 0.4  # apache vhost_combined style
    host = r.choice(("www.example.fr:443 ", "extranet.example.fr:443 "))
    y, m, d = g.date(2022, 2025)
    if d > 28:
        d = 28
    sod = r.randrange(86400)
    day = f"{d:02d}/{MONTHS_EN[m - 1]}/{y}"
    while True:
        if rand() < 0.2:
            groups = V6_PREFIXES[grb(3)] + "".join(f":{grb(16):x}" for _ in range(6 if rand() < 0.8 else 2))
            if groups.count(":") < 7:
                groups += "::" + f"{grb(16):x}"
            ip = ipaddress.IPv6Address(groups).compressed
        else:
            ip = f"{choice(V4_FIRST)}.{grb(8)}.{grb(8)}.{1 + grb(8) % 254}"
        sod += grb(2)
        if sod >= 86400:
            sod -= 86400
            d = d + 1 if d < 28 else 1
            day = f"{d:02d}/{MONTHS_EN[m - 1]}/{y}"
        ui = grb(4) % len(UA_TEXT)
        if UA_DECOY[ui]:
            g.decoy("ua_version_ipv4_shaped")
        st = choice(STATUSES)
        g.count("ip")
        yield (f"{host if vhost else ''}{ip} - - [{day}:{HMS[sod]} +0100] \"{choice(REQUESTS)}\" "
               f"{st} {grb(15) if st == 200 else 0} \"{choice(REFERERS)}\" \"{UA_TEXT[ui]}\"\n")


# ------------------------------------------------- dense corpora (issue 24)
# Application logs and numeric CSV exports: text dense in digits, where most
# candidates fail validation and personal data is rare.

APP_LEVELS = ["INFO"] * 12 + ["DEBUG"] * 5 + ["WARN", "WARN", "ERROR"]
APP_LOGGERS = ["c.e.gl.api.DossierController", "c.e.gl.batch.QuittancementJob",
               "c.e.gl.sync.ErpConnector", "o.h.engine.jdbc.spi.SqlExceptionHelper",
               "c.e.gl.auth.SessionFilter", "c.e.gl.ged.IndexationService",
               "c.e.gl.pay.PrelevementExporter", "c.z.hikari.pool.HikariPool"]
APP_PATHS = ["/api/v2/dossiers/{h}/pieces", "/api/v2/quittances/{n}", "/api/v2/lots/{n}/diagnostics",
             "/ged/documents/{h}", "/api/v2/reclamations/{n}/historique", "/internal/metrics",
             "/api/v2/contrats/{n}/echeancier", "/batch/jobs/{h}/status"]


def app_log_lines(g):
    """Application/server log lines: ISO timestamps, durations, counters, hex
    ids; an IP on about 3 lines in 100, an e-mail on about 1 in 300."""
    r = g.r
    rand, grb, choice = r.random, r.getrandbits, r.choice
    y, m, d = g.date(2022, 2025)
    d = min(d, 28)
    ms = r.randrange(86400 * 1000)
    while True:
        ms += grb(7)
        if ms >= 86400 * 1000:
            ms -= 86400 * 1000
            d = d + 1 if d < 28 else 1
        hh, rest = divmod(ms, 3600 * 1000)
        mi, rest = divmod(rest, 60 * 1000)
        ss, mss = divmod(rest, 1000)
        ts = f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}.{mss:03d}+01:00"
        path = choice(APP_PATHS).format(h=f"{grb(64):016x}{grb(32):08x}", n=grb(20))
        x = rand()
        if x < 0.55:
            msg = (f"{choice(('GET', 'GET', 'POST', 'PUT'))} {path} {choice(STATUSES)} in {grb(9)} ms "
                   f"(rows={grb(6)}, bytes={grb(17)}, cache_hit={'true' if grb(1) else 'false'})")
        elif x < 0.8:
            msg = (f"job={grb(12)} step={grb(3)}/8 processed={grb(14)} skipped={grb(5)} "
                   f"duration={grb(12) / 1000:.3f}s heap_used={grb(30)} gc_pause={grb(6)}ms")
        elif x < 0.95:
            msg = (f"pool stats (total={grb(5)}, active={grb(4)}, idle={grb(4)}, waiting=0) "
                   f"txn={grb(48):012x} lag={grb(10)}ms seq={grb(40)}")
        else:
            msg = (f"SQL Error: 0, SQLState: 40001 could not serialize access; retry {grb(2) + 1}/3 "
                   f"after {grb(8)} ms on lot {grb(16)}")
        y2 = rand()
        if y2 < 0.03:
            msg += f" client={choice(V4_FIRST)}.{grb(8)}.{grb(8)}.{1 + grb(8) % 254}"
            g.count("ip")
        elif y2 < 0.0335:
            _, first, last = g.person()
            msg += f" user={g.email(first, last)}"
            g.count("email")
        yield f"{ts} {choice(APP_LEVELS):5} [exec-{grb(6)}] {choice(APP_LOGGERS)} - {msg}\n"


def amount(r, hi=6):
    """A French-formatted amount: '108 066,13', '-1 204,50', '87,00'."""
    v = r.randrange(10 ** r.randint(2, hi))
    s = f"{v:,}".replace(",", " ")
    return f"{'-' if r.random() < 0.05 else ''}{s},{r.randrange(100):02d}"


FEC_HEADER = ("JournalCode;JournalLib;EcritureNum;EcritureDate;CompteNum;CompteLib;CompAuxNum;"
              "CompAuxLib;PieceRef;PieceDate;EcritureLib;Debit;Credit;EcritureLet;DateLet;ValidDate")
FEC_ACCOUNTS = [("401000", "Fournisseurs"), ("411000", "Locataires"), ("512100", "Banque"),
                ("615200", "Entretien immeubles"), ("706300", "Loyers"), ("445660", "TVA déductible"),
                ("606100", "Fournitures non stockables"), ("628100", "Cotisations")]


def ledger_row(g, eol):
    r = g.r
    y, m, d = g.date(2021, 2025)
    acc, lib = r.choice(FEC_ACCOUNTS)
    aux = f"F{r.randrange(10 ** 5):05d}" if acc == "401000" else ""
    aux_lib = r.choice(COMPANIES) if aux else ""
    debit, credit = (amount(r), "0,00") if r.random() < 0.5 else ("0,00", amount(r))
    let = r.choice(("", "", "AB", "AC")) if acc in ("401000", "411000") else ""
    return (f"{r.choice(('AC', 'VT', 'BQ', 'OD'))};Journal;{r.randrange(10 ** 6)};{y}{m:02d}{d:02d};{acc};{lib};"
            f"{aux};{aux_lib};PC{y}-{r.randrange(10 ** 5):05d};{y}{m:02d}{d:02d};"
            f"Facture {r.randrange(10 ** 7)} lot {r.randrange(10 ** 4)};{debit};{credit};{let};;{y}{m:02d}{d:02d}{eol}")


STOCK_HEADER = "Référence;Désignation;Code EAN;Quantité;Prix unitaire HT;Valeur HT;Emplacement"
STOCK_ITEMS = ["Cylindre de serrure 30x30", "Ampoule LED E27 9W", "Joint de robinet 15x21",
               "Détecteur de fumée", "Flexible de douche 1,50 m", "Interrupteur va-et-vient",
               "Plaque de plâtre BA13", "Peinture blanche mate 10 L", "Mitigeur évier"]


def ean13(r):
    body = f"{r.choice((3, 4, 5, 7, 8))}{r.randrange(10 ** 11):011d}"
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - s % 10) % 10)


def stock_row(g, eol):
    r = g.r
    g.decoy("ean13")
    q = r.randint(0, 900)
    return (f"ART-{r.randrange(10 ** 6):06d};{r.choice(STOCK_ITEMS)};{ean13(r)};{q};{amount(r, 3)};"
            f"{amount(r, 5)};M{r.randint(1, 9)}-{r.randint(1, 40):02d}-{r.randint(1, 6)}{eol}")


ORDER_HEADER = "N° commande;Date;Fournisseur;SIRET;Montant HT;TVA;Montant TTC;Statut;Lot"


def order_row(g, eol):
    r = g.r
    g.decoy("siret")
    y, m, d = g.date(2021, 2025)
    siret = luhn_complete(f"{r.randrange(10 ** 13):013d}")
    return (f"CMD-{y}-{r.randrange(10 ** 6):06d};{d:02d}/{m:02d}/{y};{r.choice(COMPANIES)};{siret};"
            f"{amount(r)};{amount(r, 4)};{amount(r)};{r.choice(('validée', 'livrée', 'facturée'))};"
            f"{r.randrange(10 ** 4)}{eol}")


NUMERIC_CSV = {"ledger": (FEC_HEADER, ledger_row), "stock": (STOCK_HEADER, stock_row),
               "orders": (ORDER_HEADER, order_row)}

# ------------------------------------------------------------------- files

PARAS = None


def build_paras(seed):
    r = random.Random(f"paras-{seed}")
    out = []
    for _ in range(3000):
        out.append(" ".join(r.sample(SENTENCES, r.randint(3, 7))))
    return out


CSV_HEADER = "Nom;Prénom;Date de naissance;Téléphone;Courriel;IBAN;N° SS;Adresse;CP;Ville"


def xml_name(header):
    """An XML element name for a CSV header: `Date de naissance` -> `date_de_naissance`."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return "_".join("".join(c if c.isalnum() else " " for c in plain).lower().split())


def xml_text(value):
    return value.replace("&", "&amp;").replace("<", "&lt;")


def gen_file(task):
    """task = (out_dir, relpath, kind, target_bytes, seed, index, letter_share)."""
    out_dir, rel, kind, target, seed, index, letter_share = task
    global PARAS
    if PARAS is None:
        PARAS = build_paras(seed)
    g = Gen(seed * 1_000_003 + index)
    r = g.r
    path = os.path.join(out_dir, rel)
    written = 0
    with open(path, "wb", buffering=0) as f:
        pending = []
        pending_chars = [0]

        def flush():
            nonlocal written
            if pending:
                b = "".join(pending).encode("utf-8")
                f.write(b)
                written += len(b)
                pending.clear()
                pending_chars[0] = 0

        def emit(s):
            pending.append(s)
            pending_chars[0] += len(s)
            if pending_chars[0] >= 1 << 20:
                flush()
            return len(s)

        def est():
            return written + int(pending_chars[0] * 1.02)

        if kind == "logs":
            emit_lines(log_lines(g), target, emit)
        elif kind == "applogs":
            emit_lines(app_log_lines(g), target, emit)
        elif kind == "json":
            # The tenant export as a JSON array of records, one key a line.
            keys = CSV_HEADER.split(";")
            emit("[")
            sep = "\n"
            while est() < target:
                for line in Gen.csv_row(g, "").split("\n"):
                    record = json.dumps(dict(zip(keys, line.split(";"))), ensure_ascii=False, indent=2)
                    emit(sep + "  " + record.replace("\n", "\n  "))
                    sep = ",\n"
            emit("\n]\n")
        elif kind == "xml":
            # The tenant export as XML: a <locataire> element a record, one
            # child a field, named after the CSV header (accents dropped).
            names = [xml_name(k) for k in CSV_HEADER.split(";")]
            emit('<?xml version="1.0" encoding="UTF-8"?>\n<locataires>\n')
            while est() < target:
                for line in Gen.csv_row(g, "").split("\n"):
                    fields = "".join(f"  <{n}>{xml_text(v)}</{n}>\n"
                                     for n, v in zip(names, line.split(";")))
                    emit(" <locataire>\n" + fields + " </locataire>\n")
            emit("</locataires>\n")
        elif kind in NUMERIC_CSV or kind == "csv":
            header, row = NUMERIC_CSV.get(kind, (CSV_HEADER, Gen.csv_row))
            eol = "\r\n" if r.random() < 0.5 else "\n"
            emit(header + eol)
            while est() < target:
                emit("".join(row(g, eol) for _ in range(50 if target - est() > 20000 else 1)))
        else:
            first = True
            while first or est() < target - 400:
                first = False
                budget = target - est()
                if r.random() < letter_share:
                    emit(g.letter(PARAS, budget))
                else:
                    emit(g.report(PARAS, budget))
        flush()
    return kind, written, g.items, g.decoys


def plan(args):
    """Deterministic list of (relpath, kind, target_bytes)."""
    r = random.Random(f"plan-{args.seed}")
    k = args.files
    files = []
    if args.small_files:
        target = args.file_kb * 1024
        for i in range(k):
            x = r.random()
            kind = "letters" if x < 0.7 else ("csv" if x < 0.8 else "logs")
            ext = {"letters": "txt", "csv": "csv", "logs": "log"}[kind]
            size = int(target * r.uniform(0.5, 1.5))
            files.append((f"d{i // 1000:04d}/{kind[:3]}_{i:06d}.{ext}", kind, size))
        return files
    total = args.size_mb * 1024 * 1024
    if args.shape == "table":
        # One large tenant export (issue 24): one reader, every core.
        return [("exports/export_locataires.csv", "csv", int(total))]
    if args.shape == "json":
        # The same as one JSON array of records, written over many lines.
        return [("exports/export_locataires.json", "json", int(total))]
    if args.shape == "xml":
        # The same as one XML document, a record an element.
        return [("exports/export_locataires.xml", "xml", int(total))]
    if args.shape == "dense":
        # Logs and numeric exports (issue 24): 47 % logs, 52 % CSV (tenant
        # tables among accounting journals, stock lists and supplier orders),
        # 1.5 % letters; letters are small, so they are 10 % of the files.
        shares = {"logs": 0.04, "applogs": 0.43, "csv": 0.012, "ledger": 0.243, "stock": 0.12,
                  "orders": 0.14, "letters": 0.015}
        big = {kind: sh for kind, sh in shares.items() if kind != "letters"}
        counts = {"letters": max(1, k // 10)}
        rest = k - counts["letters"]
        for kind, sh in big.items():
            counts[kind] = max(1, round(rest * sh / sum(big.values())))
        counts["applogs"] += k - sum(counts.values())
    else:
        shares = {"logs": args.log_share, "csv": args.csv_share}
        shares["letters"] = 1.0 - shares["logs"] - shares["csv"]
        counts = {"logs": max(1, round(k * args.log_share)), "csv": max(1, round(k * 0.03))}
    if k < 3 or k < len(counts):
        counts = {"letters": k}
        shares = {"letters": 1.0}
    elif args.shape != "dense":
        counts["letters"] = k - counts["logs"] - counts["csv"]
        if counts["letters"] < 1:
            counts["logs"] -= 1 - counts["letters"]
            counts["letters"] = 1
    names = {"letters": ("courriers", "courriers_{:05d}.txt"),
             "csv": ("exports", "export_locataires_{:05d}.csv"),
             "logs": ("logs", "access_{:05d}.log"),
             "applogs": ("logs", "app_{:05d}.log"),
             "ledger": ("compta", "fec_{:05d}.csv"),
             "stock": ("stocks", "inventaire_{:05d}.csv"),
             "orders": ("achats", "commandes_{:05d}.csv")}
    for kind in names:
        n = counts.get(kind, 0)
        if n <= 0:
            continue
        weights = [r.uniform(0.25, 1.75) for _ in range(n)]
        budget = total * shares[kind]
        sw = sum(weights)
        top, pattern = names[kind]
        for i, w in enumerate(weights):
            files.append((f"{top}/{i // 500:03d}/" + pattern.format(i), kind, int(budget * w / sw)))
    # interleave kinds so parallel workers get a mix
    r.shuffle(files)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--size-mb", type=float, default=100, help="total size in MiB (default 100)")
    ap.add_argument("--files", type=int, default=200, help="number of files (default 200)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--small-files", action="store_true",
                    help="many-small-files mode: --files files of about --file-kb KiB each")
    ap.add_argument("--file-kb", type=float, default=2, help="file size in small-files mode (KiB)")
    ap.add_argument("--log-share", type=float, default=0.33, help="fraction of bytes in logs")
    ap.add_argument("--csv-share", type=float, default=0.003, help="fraction of bytes in CSV exports")
    ap.add_argument("--letter-share", type=float, default=0.25,
                    help="probability that a prose block is a letter (vs. a report/note)")
    ap.add_argument("--shape", choices=("mixed", "dense", "table", "json", "xml"), default="mixed",
                    help="mixed: mostly letters; dense: logs and numeric CSV exports (issue 24); "
                         "table: one tenant export of --size-mb; json: the same as a JSON array; "
                         "xml: the same as an XML document")
    ap.add_argument("--single-file", action="store_true",
                    help="concatenate the whole corpus into one file, all.txt")
    ap.add_argument("-j", "--jobs", type=int, default=min(os.cpu_count() or 1, 8))
    args = ap.parse_args()
    if args.files < 1:
        ap.error("--files must be >= 1")
    if os.path.isdir(args.out_dir) and os.listdir(args.out_dir):
        ap.error(f"{args.out_dir} exists and is not empty")

    t0 = time.time()
    files = plan(args)
    for d in sorted({os.path.dirname(f[0]) for f in files}):
        os.makedirs(os.path.join(args.out_dir, d), exist_ok=True)
    letter_share = 0.7 if args.small_files else args.letter_share
    tasks = [(args.out_dir, rel, kind, size, args.seed, i, letter_share)
             for i, (rel, kind, size) in enumerate(files)]

    by_type = {}
    items, decoys = {}, {}
    total = 0
    done = 0

    def absorb(res):
        nonlocal total, done
        kind, nbytes, it, de = res
        t = by_type.setdefault(kind, {"files": 0, "bytes": 0, "items": {}})
        t["files"] += 1
        t["bytes"] += nbytes
        for k, v in it.items():
            t["items"][k] = t["items"].get(k, 0) + v
            items[k] = items.get(k, 0) + v
        for k, v in de.items():
            decoys[k] = decoys.get(k, 0) + v
        total += nbytes
        done += 1
        if sys.stderr.isatty() and (done % 100 == 0 or done == len(tasks)):
            print(f"\r{done}/{len(tasks)} files, {total / 2**20:.0f} MiB", end="", file=sys.stderr)

    global PARAS
    PARAS = build_paras(args.seed)
    if args.jobs > 1 and len(tasks) > 1:
        with Pool(args.jobs) as pool:
            chunk = 64 if args.small_files else 1
            for res in pool.imap_unordered(gen_file, tasks, chunksize=chunk):
                absorb(res)
    else:
        for t in tasks:
            absorb(gen_file(t))
    if sys.stderr.isatty():
        print(file=sys.stderr)

    n_files = len(tasks)
    if args.single_file:
        # One large file of the same mix: the case where one reader must
        # still use every core.
        with open(os.path.join(args.out_dir, "all.txt"), "wb") as out:
            for rel, _, _ in files:
                part = os.path.join(args.out_dir, rel)
                with open(part, "rb") as f:
                    while chunk := f.read(1 << 20):
                        out.write(chunk)
                os.remove(part)
        for d in sorted({os.path.dirname(f[0]) for f in files}, key=len, reverse=True):
            try:
                os.removedirs(os.path.join(args.out_dir, d))
            except OSError:
                pass
        n_files = 1

    for t in by_type.values():
        t["items"] = dict(sorted(t["items"].items()))
    non_log_bytes = total - by_type.get("logs", {}).get("bytes", 0)
    non_log_items = sum(v for k, t in by_type.items() if k != "logs" for v in t["items"].values())
    manifest = {
        "generator": "bench/gen_corpus.py",
        "generator_version": GEN_VERSION,
        "seed": args.seed,
        "mode": "small-files" if args.small_files else args.shape,
        "single_file": args.single_file,
        "params": ({"files": args.files, "file_kb": args.file_kb} if args.small_files else
                   {"size_mb": args.size_mb, "files": args.files, "shape": args.shape}
                   if args.shape in ("dense", "table", "json", "xml") else
                   {"size_mb": args.size_mb, "files": args.files, "log_share": args.log_share,
                    "csv_share": args.csv_share, "letter_share": args.letter_share}),
        "files": n_files,
        "bytes": total,
        "items": dict(sorted(items.items())),
        "items_total": sum(items.values()),
        "bytes_per_item_excluding_logs": round(non_log_bytes / non_log_items) if non_log_items else None,
        "by_type": dict(sorted(by_type.items())),
        "decoys": dict(sorted(decoys.items())),
        "note": ("items = valid personal data deliberately generated (a CSV row's name and address "
                 "count once each though split across columns). decoys = look-alikes that are NOT "
                 "personal data."),
    }
    with open(os.path.join(args.out_dir, "manifest.json.tmp"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(os.path.join(args.out_dir, "manifest.json.tmp"), os.path.join(args.out_dir, "manifest.json"))
    dt = time.time() - t0
    print(f"gen_corpus: {len(tasks)} files, {total / 2**20:.1f} MiB, {manifest['items_total']} items "
          f"in {dt:.1f} s ({total / 2**20 / dt:.1f} MiB/s) -> {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
