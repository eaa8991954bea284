#!/usr/bin/env python3
"""Score pdscout against the labelled evaluation set (eval/labels.json).

Runs `pdscout scan --reveal --format jsonl -q eval/corpus` (it builds nothing),
matches findings to labels per file and kind by normalised value, and prints
precision / recall per kind.

Matching rules
  * values are compared after Unicode NFC, case-folding and whitespace collapsing;
    for addresses commas, semicolons and free-standing dashes are ignored too;
  * per file and kind, labels and findings are sets: the same value reported
    twice in one file counts once (a label matches at most one finding);
  * a label matches a finding equal to its value or to one of its "alt" values;
  * "optional" labels (e.g. a bare surname already named in full in the file)
    are neither required nor penalised.

Usage: python3 eval/score.py [--bin PATH] [--kinds name,address] [--min-confidence X]
                             [--show-errors N] [--allow FILE] [--jsonl FILE] [--thresholds]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_KINDS = ["name", "address", "email", "phone", "iban", "nir", "birthdate"]


def norm(kind, value):
    s = unicodedata.normalize("NFC", str(value)).casefold()
    s = s.replace("\u2019", "'")
    if kind == "address":
        s = s.replace(",", " ").replace(";", " ")
        s = re.sub(r"(?:(?<=\s)|^)[-\u2013\u2014](?=\s|$)", " ", s)
        s = s.strip(" .")
    elif kind in ("iban", "nir", "card"):
        s = re.sub(r"\s+", "", s)
    return " ".join(s.split())


def run_pdscout(binary, corpus, allow):
    cmd = [binary, "scan", "--reveal", "--format", "jsonl", "-q"]
    if allow:
        cmd += ["--allow", allow]
    cmd.append(os.path.relpath(corpus, ROOT))
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    except OSError as e:
        sys.exit(f"score.py: cannot run {binary}: {e}")
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        sys.exit(f"score.py: {' '.join(cmd)} exited with {p.returncode}")
    return p.stdout.splitlines(), " ".join(cmd)


def load_findings(lines, corpus):
    findings = []
    errors = []
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        try:
            rec = json.loads(ln)
        except json.JSONDecodeError:
            continue
        t = rec.get("type")
        if t == "error":
            errors.append(rec)
        if t != "finding":
            continue
        path = rec.get("path", "")
        ap = path if os.path.isabs(path) else os.path.join(ROOT, path)
        rel = os.path.relpath(ap, corpus).replace(os.sep, "/")
        if rec.get("entry"):
            rel += "::" + rec["entry"]
        findings.append({"file": rel, "kind": rec.get("kind"), "value": rec.get("value"),
                         "confidence": rec.get("confidence", 1.0), "loc": rec.get("location") or {}})
    return findings, errors


def score(labels, findings, kinds, min_conf):
    """Return per-kind stats and error lists."""
    stats = {}
    fps, fns = {}, {}
    files = set(labels) | {f["file"] for f in findings}
    for k in kinds:
        st = {"labels": 0, "findings": 0, "tp": 0, "ignored": 0}
        fps[k], fns[k] = [], []
        for fn in sorted(files):
            req, opt = {}, set()
            for lab in labels.get(fn, []):
                if lab["kind"] != k:
                    continue
                keys = {norm(k, lab["value"])} | {norm(k, a) for a in lab.get("alt", [])}
                if lab.get("optional"):
                    opt |= keys
                else:
                    req[lab["value"]] = keys
            found = {}
            for f in findings:
                if f["file"] == fn and f["kind"] == k and f["value"] is not None \
                        and (f["confidence"] is None or f["confidence"] >= min_conf):
                    found.setdefault(norm(k, f["value"]), f["value"])
            matched_findings = set()
            st["labels"] += len(req)
            for val, keys in req.items():
                hit = next((x for x in found if x in keys and x not in matched_findings), None)
                if hit is not None:
                    matched_findings.add(hit)
                    st["tp"] += 1
                else:
                    fns[k].append((fn, val))
            nfp = 0
            for x, raw in found.items():
                if x in matched_findings:
                    continue
                if x in opt or any(x in keys for keys in req.values()):
                    # optional label, or a second alternate of an already matched label
                    st["ignored"] += 1
                    continue
                hint = ""
                for val, keys in req.items():
                    if any(x in kk or kk in x for kk in keys):
                        hint = f"partial of {val!r}"
                        break
                fps[k].append((fn, raw, hint))
                nfp += 1
            st["findings"] += len(matched_findings) + nfp
        stats[k] = st
    return stats, fps, fns


def fmt_ratio(a, b):
    return f"{a / b:.3f}" if b else "  -  "


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "pdscout"),
                    help="pdscout binary (default: target/release/pdscout)")
    ap.add_argument("--kinds", default=None,
                    help="comma-separated kinds to score (default: all labelled kinds + any reported)")
    ap.add_argument("--min-confidence", type=float, default=0.0, help="ignore findings below this confidence")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N",
                    help="print up to N false positives and N false negatives per kind")
    ap.add_argument("--allow", default=None, help="pass --allow FILE to pdscout (e.g. eval/allow.txt)")
    ap.add_argument("--jsonl", default=None, help="score this saved jsonl output instead of running pdscout")
    ap.add_argument("--labels", default=os.path.join(HERE, "labels.json"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--thresholds", action="store_true",
                    help="also print precision/recall at confidence thresholds 0.0 .. 0.9")
    args = ap.parse_args()

    corpus = os.path.abspath(args.corpus)
    with open(args.labels, encoding="utf-8") as f:
        labels = json.load(f)["files"]
    if not os.path.isdir(corpus):
        sys.exit("score.py: no corpus; run `python3 eval/make_eval.py` first")

    if args.jsonl:
        with open(args.jsonl, encoding="utf-8") as f:
            lines = f.read().splitlines()
        cmd = f"(saved output {args.jsonl})"
    else:
        if not os.path.exists(args.bin):
            sys.exit(f"score.py: {args.bin} not found (build it, or give --bin)")
        lines, cmd = run_pdscout(args.bin, corpus, args.allow)
    findings, errors = load_findings(lines, corpus)

    if args.kinds:
        kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    else:
        kinds = list(DEFAULT_KINDS)
        for f in findings:
            if f["kind"] not in kinds:
                kinds.append(f["kind"])
        for labs in labels.values():
            for l in labs:
                if l["kind"] not in kinds:
                    kinds.append(l["kind"])

    stats, fps, fns = score(labels, findings, kinds, args.min_confidence)

    print(f"# {cmd}")
    print(f"# {len(labels)} labelled files, {len(findings)} raw findings, {len(errors)} error records"
          + (f", min confidence {args.min_confidence}" if args.min_confidence else ""))
    hdr = f"{'kind':<10} {'labels':>7} {'findings':>9} {'tp':>6} {'fp':>6} {'fn':>6} {'precision':>10} {'recall':>8} {'f1':>6}"
    print(hdr)
    print("-" * len(hdr))
    tot = {"labels": 0, "findings": 0, "tp": 0}
    for k in kinds:
        s = stats[k]
        fp = s["findings"] - s["tp"]
        fn = s["labels"] - s["tp"]
        p = s["tp"] / s["findings"] if s["findings"] else None
        r = s["tp"] / s["labels"] if s["labels"] else None
        f1 = 2 * p * r / (p + r) if p and r else None
        print(f"{k:<10} {s['labels']:>7} {s['findings']:>9} {s['tp']:>6} {fp:>6} {fn:>6} "
              f"{fmt_ratio(s['tp'], s['findings']):>10} {fmt_ratio(s['tp'], s['labels']):>8} "
              f"{(f'{f1:.3f}' if f1 is not None else '  -  '):>6}")
        for key in tot:
            tot[key] += s[key]
    print("-" * len(hdr))
    print(f"{'all':<10} {tot['labels']:>7} {tot['findings']:>9} {tot['tp']:>6} {tot['findings'] - tot['tp']:>6} "
          f"{tot['labels'] - tot['tp']:>6} {fmt_ratio(tot['tp'], tot['findings']):>10} "
          f"{fmt_ratio(tot['tp'], tot['labels']):>8}")
    # File-level recall of addresses: of the files with a required address label, those where
    # at least one of them is found (a share is triaged file by file).
    if "address" in stats:
        missed = {fn for fn, _ in fns["address"]}
        with_addr = [fn for fn, labs in labels.items()
                     if any(l["kind"] == "address" and not l.get("optional") for l in labs)]
        hit = 0
        for fn in with_addr:
            n_req = sum(1 for l in labels[fn] if l["kind"] == "address" and not l.get("optional"))
            n_missed = sum(1 for f, _ in fns["address"] if f == fn)
            hit += n_missed < n_req
        print(f"address file-level recall: {hit}/{len(with_addr)} = {fmt_ratio(hit, len(with_addr))}"
              f" ({len(missed)} files miss at least one address)")
    targets = {"name": (0.95, 0.90), "address": (0.95, 0.90)}
    for k, (tp_, tr_) in targets.items():
        if k in stats:
            s = stats[k]
            p = s["tp"] / s["findings"] if s["findings"] else 0.0
            r = s["tp"] / s["labels"] if s["labels"] else 0.0
            ok = p >= tp_ and r >= tr_
            print(f"target {k}: precision >= {tp_} and recall >= {tr_}: {'MET' if ok else 'NOT MET'}")

    if args.thresholds:
        print("\nprecision/recall by --min-confidence")
        print(f"{'kind':<10} " + " ".join(f"{t / 10:>11.1f}" for t in range(10)))
        for k in kinds:
            cells = []
            for t in range(10):
                st, _, _ = score(labels, findings, [k], t / 10)
                s = st[k]
                cells.append(f"{fmt_ratio(s['tp'], s['findings'])}/{fmt_ratio(s['tp'], s['labels'])}")
            print(f"{k:<10} " + " ".join(f"{c:>11}" for c in cells))

    if args.show_errors:
        n = args.show_errors
        for k in kinds:
            if not fps[k] and not fns[k]:
                continue
            print(f"\n== {k}: false positives ({len(fps[k])}), first {min(n, len(fps[k]))}")
            for fn, val, hint in fps[k][:n]:
                print(f"  FP {fn}: {val!r}" + (f"   [{hint}]" if hint else ""))
            print(f"== {k}: false negatives ({len(fns[k])}), first {min(n, len(fns[k]))}")
            for fn, val in fns[k][:n]:
                print(f"  FN {fn}: {val!r}")
    if errors:
        print(f"\n{len(errors)} error records, e.g. {errors[0].get('path')}: {errors[0].get('error')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
