#!/usr/bin/env python3
"""Builds manifest.tsv from local snapshots of the source repositories.

Kept to show how the manifest was made (and to make it again from newer
snapshots): `build_manifest.py MIRROR_DIR > manifest.tsv`, where MIRROR_DIR
holds one bare git directory per repository as `owner+name/repo`.
Every document of a covered format in each repository's test data is taken,
once per content (sha256).
"""
import hashlib
import re
import subprocess
import sys
from pathlib import Path

# Repository -> path prefixes whose documents are taken ("" = all).
SOURCES = {
    "apache/tika": ["tika-"],
    "mozilla/pdf.js": ["test/pdfs/"],
    "pdfminer/pdfminer.six": ["samples/", "tests/"],
    "py-pdf/pypdf": ["resources/", "sample-files/", "tests/"],
    "J-F-Liu/lopdf": ["assets/", "tests/"],
    "tafia/calamine": ["tests/"],
    "python-openxml/python-docx": ["tests/", "features/"],
    "scanny/python-pptx": ["tests/", "features/"],
    "eea/odfpy": [""],
    "decalage2/oletools": ["tests/"],
    "SpamScope/mail-parser": ["tests/mails/"],
    "jstedfast/MimeKit": ["UnitTests/TestData/messages/", "UnitTests/TestData/mbox/"],
    "mikel/mail": ["spec/fixtures/emails/"],
    "TeamMsgExtractor/msg-extractor": [""],
    "joshy/striprtf": ["tests/"],
}

# Extension -> format measured (one reference extractor per format).
EXT = {
    "pdf": "pdf",
    "docx": "docx", "docm": "docx", "dotx": "docx",
    "xlsx": "xlsx", "xlsm": "xlsx",
    "xlsb": "xlsb",
    "xls": "xls",
    "ods": "ods",
    "odt": "odt",
    "odp": "odp",
    "pptx": "pptx",
    "doc": "doc",
    "ppt": "ppt",
    "rtf": "rtf",
    "msg": "msg",
    "eml": "eml", "mbox": "eml",
}

HEADER = re.compile(rb"^(from|to|subject|date|received|return-path|message-id|mime-version):", re.I | re.M)


def looks_like_mail(data: bytes) -> bool:
    head = data[:4096]
    return len(HEADER.findall(head)) >= 2


def fmt_of(repo: str, path: str, data: bytes):
    name = path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if repo == "SpamScope/mail-parser" and ext == "":
        return "eml" if looks_like_mail(data) else None
    if repo == "jstedfast/MimeKit":
        if ext == "eml" or (name.endswith(".mbox.txt")) or (
            ext == "txt" and not name.startswith("body.") and looks_like_mail(data)
        ):
            return "eml"
        return None
    if repo == "eea/odfpy" and ext in ("html", "xml"):
        return None
    f = EXT.get(ext)
    if f == "eml" and not looks_like_mail(data) and ext != "mbox":
        return None
    return f


_batch = {}


def blob(g, obj: bytes):
    """A blob's bytes through one `git cat-file --batch` per repository."""
    p = _batch.get(g[1])
    if p is None:
        p = _batch[g[1]] = subprocess.Popen(
            g + ["cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
    p.stdin.write(obj + b"\n")
    p.stdin.flush()
    header = p.stdout.readline().split()
    if len(header) < 3 or header[1] != b"blob":
        return None
    data = p.stdout.read(int(header[2]))
    p.stdout.read(1)
    return data


def main():
    mirror = Path(sys.argv[1])
    seen = set()
    print("repo\tcommit\tpath\tsha256\tformat")
    for repo, prefixes in SOURCES.items():
        git = mirror / repo.replace("/", "+") / "repo"
        if not git.exists():
            print(f"missing snapshot: {repo}", file=sys.stderr)
            continue
        g = ["git", f"--git-dir={git}"]
        commit = subprocess.check_output(g + ["rev-parse", "HEAD"], text=True).strip()
        tree = subprocess.check_output(g + ["ls-tree", "-r", "-z", "HEAD"]).split(b"\0")
        for entry in tree:
            if not entry:
                continue
            meta, path = entry.split(b"\t", 1)
            mode, kind, obj = meta.split()
            path = path.decode("utf-8", "replace")
            if kind != b"blob" or mode == b"120000" or path.endswith(".link"):
                continue
            if not any(path.startswith(p) for p in prefixes):
                continue
            ext = path.rsplit("/", 1)[-1].rsplit(".", 1)
            quick = len(ext) == 2 and ext[1].lower() in EXT
            if not quick and repo not in ("SpamScope/mail-parser", "jstedfast/MimeKit"):
                continue
            if "\t" in path or "\n" in path:
                continue
            data = blob(g, obj)
            if not data:  # empty, or absent from the snapshot (large files)
                continue
            f = fmt_of(repo, path, data)
            if f is None:
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in seen:
                continue
            seen.add(sha)
            print(f"{repo}\t{commit}\t{path}\t{sha}\t{f}")


if __name__ == "__main__":
    main()
