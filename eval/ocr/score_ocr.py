#!/usr/bin/env python3
"""Score `pdscout scan --ocr` on the OCR test set made by make_ocr_eval.py.

Runs the scan (jsonl, --reveal) over the set's folder, matches findings to the
planted values of labels.json per file, page and kind (values normalised as
eval/score.py does; a finding matches a label of the same page), and prints
precision and recall per kind, pages per second and per core, and the cost of
a second run with an inventory (`--db`), which must read no file again.

Names are compared without accents (a zone holds none). Kinds scored: those planted (name, email, phone, iban, nir, birthdate,
id_document, tax_id). Findings of other kinds (addresses, which are not
planted) are not counted.

Usage: python3 eval/ocr/score_ocr.py SET [--bin PATH] [--threads N] [--show-errors N] [--no-inventory]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from score import norm  # noqa: E402

KINDS = ["email", "phone", "iban", "nir", "name", "birthdate", "id_document", "tax_id"]


def fold(kind, value):
    """Names without accents: a zone holds none (`Chloé ROCHE` is `CHLOE
    ROCHE` there), and a subject search folds them."""
    if kind != "name":
        return value
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn")


def scan(binary, folder, threads, db=None):
    cmd = [binary, "scan", "--ocr", "--reveal", "--format", "jsonl", "-q",
           "--threads", str(threads), "--exclude", "labels.json", folder]
    if db:
        cmd[2:2] = ["--db", db]
    t = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode not in (0, 1):
        sys.exit(f"pdscout failed ({out.returncode}): {out.stderr}")
    # CPU time of pdscout, its reader processes and the OCR engine.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    scan.cpu = cpu
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()], time.time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set")
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                  "target", "release", "pdscout"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--no-inventory", action="store_true", help="skip the re-sweep measure")
    a = ap.parse_args()
    truth = json.load(open(os.path.join(a.set, "labels.json")))
    records, elapsed = scan(a.bin, a.set, a.threads)
    found = set()
    for r in records:
        if r.get("type") == "finding" and r["kind"] in KINDS:
            name = os.path.basename(r["path"])
            found.add((name, r["location"].get("page"), r["kind"], fold(r["kind"], norm(r["kind"], r["value"]))))
    want = set()
    for name, labels in truth["files"].items():
        for l in labels:
            want.add((name, l["page"], l["kind"], fold(l["kind"], norm(l["kind"], l["value"]))))
    print(f"{truth['pages']} pages, {len(truth['files'])} files, {elapsed:.1f} s with "
          f"{a.threads} thread(s), {scan.cpu:.1f} s of CPU: {truth['pages'] / scan.cpu:.2f} pages "
          f"per CPU second (one core), {truth['pages'] / elapsed:.2f} pages/s wall")
    print(f"{'kind':<12} {'planted':>7} {'found':>6} {'tp':>5} {'precision':>9} {'recall':>7}")
    for k in KINDS:
        w = {x for x in want if x[2] == k}
        f = {x for x in found if x[2] == k}
        tp = len(w & f)
        p = tp / len(f) if f else float("nan")
        rc = tp / len(w) if w else float("nan")
        print(f"{k:<12} {len(w):>7} {len(f):>6} {tp:>5} {p:>9.3f} {rc:>7.3f}")
        if a.show_errors:
            for x in sorted(w - f)[:a.show_errors]:
                print("   missed", x)
            for x in sorted(f - w)[:a.show_errors]:
                print("   extra ", x)
    errors = [r for r in records if r.get("type") == "error"]
    if errors:
        print(f"{len(errors)} error records, e.g. {errors[0]['error']}")
    if a.no_inventory:
        return
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "inv.db")
        _, first = scan(a.bin, a.set, a.threads, db)
        _, second = scan(a.bin, a.set, a.threads, db)
        print(f"inventory: first run {first:.1f} s, re-sweep of the unchanged set {second:.2f} s")


if __name__ == "__main__":
    main()
