"""Queries over pdscout's JSON output, for .ci/windows-smoke.

q.py findings FILE      the finding records, one JSON line each, paths with `/`
q.py FILE EXPR          evaluates the Python expression EXPR with `d` (the
                        document; JSON Lines read as a list), `recs` (its
                        records), `paths` (their paths), `summary` (the summary
                        record), `env` (the environment) and `sep` (a
                        backslash); prints a non-boolean
                        value and exits 1 when it is falsy.
"""

import json
import os
import sys


def load(path):
    text = open(path, encoding="utf-8").read()
    try:
        return json.loads(text)
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    if sys.argv[1] == "findings":
        for r in load(sys.argv[2]):
            if r["type"] == "finding":
                r["path"] = r["path"].replace("\\", "/")
                print(json.dumps(r, sort_keys=True, ensure_ascii=False))
        return 0
    try:
        d = load(sys.argv[1])
    except (OSError, ValueError) as e:
        print(f"cannot read {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    recs = d if isinstance(d, list) else []
    paths = [r.get("path", "") for r in recs]
    summary = ([r for r in recs if r.get("type") == "summary"] or [{}])[0]
    env = os.environ
    names = dict(d=d, recs=recs, paths=paths, summary=summary, env=env, sep="\\")
    v = eval(sys.argv[2], names)
    if not isinstance(v, bool):
        print(v)
    return 0 if v else 1


sys.exit(main())
