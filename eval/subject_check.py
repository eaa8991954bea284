#!/usr/bin/env python3
"""Run the access requests of a held-out set's labels.json ("requests") with `pdscout subject`
on its corpus (eval/heldout by default, `--set heldout2` for the second) and check each answer
against the labels:

  * leak: a `strong` or `record` finding whose value is labelled in that file as someone
    else's (a label of another person, or of nobody named) and is not one of the requester's
    own values (a spouse's shared address is the requester's too);
  * missed file: a file where the requester's full name is labelled and the answer has no
    strong finding;
  * weak: `weak` findings (to check by hand: a surname alone, a birth date alone).

Usage: python3 eval/subject_check.py [--bin PATH] [--set heldout|heldout2|heldout3|heldout4]
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score import ROOT, norm  # noqa: E402


CIVILITIES = {"M.", "Mme", "Mlle", "Monsieur", "Madame"}


def bare_surname(label):
    """A surname labelled alone (`Ould Ahmed`, accepting `M. Ould Ahmed`): two words with a
    particle, still no full name."""
    return any(a.split(" ", 1)[0] in CIVILITIES and a.split(" ", 1)[1:] == [label["value"]]
               for a in label.get("alt", []))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "pdscout"))
    ap.add_argument("--set", default="heldout", choices=["heldout", "heldout2", "heldout3", "heldout4"])
    args = ap.parse_args()
    HERE = os.path.join(ROOT, "eval", args.set)
    with open(os.path.join(HERE, "labels.json"), encoding="utf-8") as f:
        data = json.load(f)
    files, subjects = data["files"], data["subjects"]
    corpus = os.path.join(HERE, "corpus")
    bad = 0
    for req in data["requests"]:
        who = req["who"]
        own = {(k, norm(k, v)) for k, vs in subjects[who]["values"].items() for v in vs}
        cmd = [args.bin, "subject", "--reveal", "--format", "jsonl", "-q"] + req["args"] + [corpus]
        p = subprocess.run(cmd, capture_output=True, text=True)
        leaks, strong_files, n = [], set(), {"strong": 0, "record": 0, "weak": 0}
        for ln in p.stdout.splitlines():
            r = json.loads(ln)
            if r.get("type") != "finding":
                continue
            m = r.get("match")
            n[m] = n.get(m, 0) + 1
            rel = os.path.relpath(os.path.join(ROOT, r["path"]) if not os.path.isabs(r["path"]) else r["path"],
                                  corpus).replace(os.sep, "/")
            if r.get("entry"):
                rel += "::" + r["entry"]
            if m == "strong":
                strong_files.add(rel)
            if m not in ("strong", "record"):
                continue
            k, v = r["kind"], norm(r["kind"], r.get("value") or "")
            if (k, v) in own:
                continue
            others = [l for l in files.get(rel, []) if l["kind"] == k and l.get("who") != who
                      and v in {norm(k, l["value"])} | {norm(k, a) for a in l.get("alt", [])}]
            if others:
                leaks.append((rel, k, r.get("value"), others[0].get("who") or "someone else"))
        # Files naming the requester in full (a surname alone, `M. Girard` in minutes, is only a
        # candidate: a weak match is the right answer there).
        wanted = {fn for fn, labs in files.items()
                  if any(l["kind"] == "name" and l.get("who") == who and not l.get("optional")
                         and len(l["value"].split()) > 1 and not bare_surname(l) for l in labs)}
        missed = sorted(wanted - strong_files)
        print(f"{' '.join(req['args'])}: {n['strong']} strong, {n['record']} record, {n['weak']} weak; "
              f"files {len(wanted & strong_files)}/{len(wanted)}; leaks {len(leaks)}")
        for l in leaks:
            print(f"  LEAK {l[0]}: {l[1]} {l[2]!r} ({l[3]})")
        for fn in missed:
            print(f"  MISSED {fn}")
        bad += len(leaks) + len(missed)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
