#!/usr/bin/env python3
"""Fetches the documents of manifest.tsv into a folder, checking each sha256.

    fetch.py DEST                      # from raw.githubusercontent.com
    fetch.py DEST --from-mirror DIR    # from local bare snapshots DIR/owner+name/repo
    fetch.py DEST --format pdf         # one format only

Each document lands at DEST/owner+name/PATH. A document already there with
the right sha256 is not fetched again. The documents are public test data
of other projects; they are not committed here.
"""
import argparse
import concurrent.futures
import hashlib
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_manifest(path=HERE / "manifest.tsv"):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def local_path(dest: Path, row) -> Path:
    return dest / row["repo"].replace("/", "+") / row["path"]


def from_web(row) -> bytes:
    url = "https://raw.githubusercontent.com/{}/{}/{}".format(
        row["repo"], row["commit"], urllib.parse.quote(row["path"])
    )
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.read()


def from_mirror(mirror: Path, row) -> bytes:
    git = mirror / row["repo"].replace("/", "+") / "repo"
    spec = "{}:{}".format(row["commit"], row["path"])
    r = subprocess.run(["git", f"--git-dir={git}", "show", spec], capture_output=True)
    if r.returncode != 0:
        # A newer snapshot: the same content may sit at the same path.
        r = subprocess.run(
            ["git", f"--git-dir={git}", "show", "HEAD:" + row["path"]], capture_output=True
        )
    if r.returncode != 0:
        raise OSError(r.stderr.decode(errors="replace").strip())
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--from-mirror", type=Path, metavar="DIR")
    ap.add_argument("--format", action="append", help="only this format (repeatable)")
    ap.add_argument("--manifest", type=Path, default=HERE / "manifest.tsv")
    ap.add_argument("-j", "--jobs", type=int, default=4)
    a = ap.parse_args()
    rows = [r for r in read_manifest(a.manifest) if not a.format or r["format"] in a.format]

    def one(row):
        out = local_path(a.dest, row)
        if out.exists() and hashlib.sha256(out.read_bytes()).hexdigest() == row["sha256"]:
            return "kept"
        try:
            data = from_mirror(a.from_mirror, row) if a.from_mirror else from_web(row)
        except Exception as e:  # noqa: BLE001 - reported per document
            return f"error: {e}"
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            return "error: sha256 differs"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        return "fetched"

    counts = {}
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for row, res in zip(rows, ex.map(one, rows)):
            key = res.split(":")[0]
            counts[key] = counts.get(key, 0) + 1
            if key == "error":
                print(f"{row['repo']} {row['path']}: {res}", file=sys.stderr)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 1 if counts.get("error") else 0


if __name__ == "__main__":
    sys.exit(main())
