#!/usr/bin/env python3
"""Compares `pdscout extract` with reference extractors on the public corpus.

    compare.py CORPUS [--bin target/release/pdscout] [--format pdf] [--json out.json]

CORPUS is the folder fetch.py filled. For each document of manifest.tsv the
reference extractor of its format runs in a process of its own (cached
under CORPUS/.reference/, keyed by sha256), then `pdscout extract --format
json`, each under a time limit. Printed per format: files; pdscout's read /
error / not covered / encrypted / crash-or-hang; the reference's errors;
mean and median word recall (the share of the reference's distinct words of
4+ letters found among pdscout's), files under 0.9, e-mail address recall,
and the worst files. `--json` writes the per-file results, for diffing runs.

Reference extractors: pdf poppler `pdftotext`; docx python-docx; pptx
python-pptx; xlsx openpyxl; xlsb pyxlsb; xls xlrd; odt/ods/odp odfpy; doc
antiword (catdoc when antiword fails); ppt catppt; rtf striprtf; msg
extract-msg; eml/mbox the standard `email` module. `compare.py --reference
FORMAT FILE` prints one reference text. An Office file encrypted with
Excel's default password (`VelvetSweatshop`) is decrypted with
msoffcrypto-tool and read by its reference (column `ref dflt`); one that
password does not open is the reference's `encrypted`.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from fetch import local_path, read_manifest  # noqa: E402

WORD = re.compile(r"[^\W\d_]{4,}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Encrypted(Exception):
    pass


# ---------------------------------------------------------------- references


def xml_text(blob: bytes, para: set, text: set, space: set) -> str:
    """The text of an XML part: `text` elements' text, a newline at each
    `para` element, a space at each `space` element (local names)."""
    from lxml import etree

    out = []
    root = etree.fromstring(blob, etree.XMLParser(recover=True, huge_tree=True))
    if root is None:
        return ""

    def walk(e):
        if not isinstance(e.tag, str):
            return
        local = e.tag.rsplit("}", 1)[-1]
        if local in para:
            out.append("\n")
        elif local in space:
            out.append(" ")
        if local in text and e.text:
            out.append(e.text)
        for c in e:
            walk(c)
            # Text after a child element (mixed content, as in ODF).
            if c.tail and local in text:
                out.append(c.tail)
        if local in para:
            out.append("\n")

    walk(root)
    return "".join(out)


DEFAULT_PASSWORD = "VelvetSweatshop"
# Set when the reference read a file decrypted with Excel's default password.
DECRYPTED = []


def check_ole_encrypted(path):
    """`path`, or a decrypted copy of it when Excel's default password
    opens it; raises Encrypted when another password is needed."""
    with open(path, "rb") as f:
        if f.read(8) != OLE:
            return path
    import atexit
    import tempfile

    import msoffcrypto

    with open(path, "rb") as f:
        try:
            office = msoffcrypto.OfficeFile(f)
            if not office.is_encrypted():
                return path
        except Exception:  # noqa: BLE001 - not an office file msoffcrypto knows
            return path
        try:
            office.load_key(password=DEFAULT_PASSWORD)
            out = tempfile.NamedTemporaryFile(suffix=Path(path).suffix, delete=False)
            atexit.register(os.unlink, out.name)
            office.decrypt(out)
            out.close()
        except Exception as e:  # noqa: BLE001 - another password, another method
            raise Encrypted() from e
    DECRYPTED.append(path)
    return out.name


def ref_docx(path):
    path = check_ole_encrypted(path)
    import docx

    d = docx.Document(path)
    want = re.compile(r"/word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
    parts = []
    for p in d.part.package.iter_parts():
        if want.search(str(p.partname)):
            parts.append(xml_text(p.blob, {"p", "br", "cr"}, {"t"}, {"tab"}))
    return "\n".join(parts)


def ref_pptx(path):
    path = check_ole_encrypted(path)
    import pptx

    prs = pptx.Presentation(path)
    want = re.compile(r"/ppt/(slides/slide|notesSlides/notesSlide|comments/comment|diagrams/data)\d*\.xml$")
    parts = []
    for p in prs.part.package.iter_parts():
        if want.search(str(p.partname)):
            parts.append(xml_text(p.blob, {"p", "br"}, {"t", "text"}, {"tab"}))
    return "\n".join(parts)


def ref_xlsx(path):
    path = check_ole_encrypted(path)
    import openpyxl

    import datetime

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            out.append("\t".join(
                str(c.value) for c in row
                if cell_text(c.value) and getattr(c, "data_type", None) != "e"
                and not isinstance(c.value, datetime.timedelta)
            ))
    return "\n".join(out)


def cell_text(v) -> bool:
    """Whether a cell value is text or a number, as pdscout reads them
    (booleans and error values are nothing personal: left out by both)."""
    return v is not None and not isinstance(v, bool)


def ref_xlsb(path):
    path = check_ole_encrypted(path)
    import pyxlsb

    out = []
    with pyxlsb.open_workbook(path) as wb:
        for name in wb.sheets:
            with wb.get_sheet(name) as ws:
                for row in ws.rows():
                    out.append("\t".join(str(c.v) for c in row if cell_text(c.v)))
    return "\n".join(out)


def ref_xls(path):
    path = check_ole_encrypted(path)
    import xlrd

    try:
        wb = xlrd.open_workbook(path, on_demand=True)
    except xlrd.biffh.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise Encrypted() from e
        raise
    out = []
    for sh in wb.sheets():
        for r in range(sh.nrows):
            out.append("\t".join(
                str(c.value) for c in sh.row(r)
                if c.ctype not in (xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR)
            ))
    return "\n".join(out)


def ref_odf(path):
    with zipfile.ZipFile(path) as z:
        try:
            manifest = z.read("META-INF/manifest.xml")
        except KeyError:
            manifest = b""
    if b"encryption-data" in manifest:
        raise Encrypted()
    from odf.opendocument import load

    doc = load(path)
    para = {"p", "h", "line-break", "table-cell", "list-item"}
    space = {"s", "tab"}
    out = []

    def walk(e):
        if e.nodeType == e.TEXT_NODE:
            out.append(e.data)
            return
        local = e.qname[1] if hasattr(e, "qname") else ""
        if local == "table-cell" and e.getAttrNS(OFFICE_NS, "value-type") == "boolean":
            return  # as for the other spreadsheets
        if local in para:
            out.append("\n")
        elif local in space:
            out.append(" ")
        for c in e.childNodes:
            walk(c)
        if local in para:
            out.append("\n")

    walk(doc.body)
    if str(path).lower().endswith(".odt") and doc.masterstyles is not None:
        # A text's page headers and footers (a presentation's master pages
        # and a spreadsheet's print headers are templates, not content).
        def headers(e):
            if getattr(e, "qname", ("", ""))[1] in ("header", "footer", "header-left", "footer-left"):
                walk(e)
            else:
                for c in getattr(e, "childNodes", []):
                    headers(c)

        headers(doc.masterstyles)
    return "".join(out)


OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def ref_pdf(path):
    r = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=300)
    if r.returncode != 0:
        err = r.stderr.decode(errors="replace")
        if "password" in err.lower() or "encrypt" in err.lower():
            raise Encrypted()
        raise RuntimeError(err.strip().splitlines()[-1] if err.strip() else f"exit {r.returncode}")
    return r.stdout.decode("utf-8", errors="replace")


def ref_doc(path):
    """antiword, else catdoc; for a `.doc` that is no OLE2 file (neither
    reads it as Word: antiword says "not a Word Document" and catdoc
    prints the bytes as Windows-1252), the text a plain reader gets: an
    XML file's character data (Word 2003 XML, whose tag names catdoc
    counted as words), a UTF-8 file decoded as UTF-8 (catdoc made
    mojibake of it); any other file still goes to catdoc."""
    plain = _plain_text(path)
    if plain is not None:
        return plain
    path = check_ole_encrypted(path)
    r = subprocess.run(["antiword", "-w", "0", str(path)], capture_output=True, timeout=120)
    if r.returncode == 0 and r.stdout.strip():
        return r.stdout.decode("utf-8", errors="replace")
    r2 = subprocess.run(["catdoc", "-d", "utf-8", "-w", str(path)], capture_output=True, timeout=120)
    if r2.returncode != 0:
        raise RuntimeError((r.stderr or r2.stderr).decode(errors="replace").strip()[:200])
    return r2.stdout.decode("utf-8", errors="replace")


def _plain_text(path):
    """The text of a file that is not OLE2 but XML or UTF-8 text, else None."""
    import xml.etree.ElementTree as ET

    data = Path(path).read_bytes()
    if data.startswith(OLE):
        return None
    try:
        root = ET.fromstring(data)
        return "\n".join(t for e in root.iter() for t in (e.text, e.tail) if t and t.strip())
    except ET.ParseError:
        pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def ref_ppt(path):
    path = check_ole_encrypted(path)
    r = subprocess.run(["catppt", "-d", "utf-8", str(path)], capture_output=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode(errors="replace").strip()[:200])
    return r.stdout.decode("utf-8", errors="replace")


def ref_rtf(path):
    from striprtf.striprtf import rtf_to_text

    return rtf_to_text(Path(path).read_bytes().decode("latin-1"), errors="ignore")


def ref_msg(path):
    """extract-msg's subject, sender, recipients and body. Its 8-bit
    strings are decoded with `PR_MESSAGE_CODEPAGE` (0x3FFD) and, when a
    message lacks it, ISO-8859-15 whatever the message says; a message
    that declares only `PR_INTERNET_CPID` (0x3FDE, the code page of its
    body: Outlook writes it on every message) is read again in that code
    page (`testMSG_chinese.msg` declares 950, Big5, and was mojibake)."""
    import extract_msg
    from extract_msg.encoding import lookupCodePage

    m = extract_msg.openMsg(str(path))
    if not m.areStringsUnicode and "3FFD0003" not in m.props and "3FDE0003" in m.props:
        try:
            encoding = lookupCodePage(m.getPropertyVal("3FDE0003"))
        except Exception:  # noqa: BLE001 - a code page Python does not know
            encoding = None
        if encoding:
            m.close()
            m = extract_msg.openMsg(str(path), overrideEncoding=encoding)
    try:
        parts = [m.subject, m.sender, m.to, m.cc, m.bcc, m.body]
        return "\n".join(str(p) for p in parts if p)
    finally:
        m.close()


def _html_text(html: str) -> str:
    from html.parser import HTMLParser

    out = []

    class P(HTMLParser):
        skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.skip += 1
            out.append(" ")

        def handle_endtag(self, tag):
            if tag in ("script", "style") and self.skip:
                self.skip -= 1
            out.append(" ")

        def handle_data(self, data):
            if not self.skip:
                out.append(data)

    P(convert_charrefs=True).feed(html)
    return "".join(out)


def _inner_message(part):
    """The message a `message/rfc822` part holds. RFC 2046 (5.2.1) allows
    it no transfer encoding but 7bit, 8bit and binary; Python then parses
    a base64 or quoted-printable one as a message with no header whose
    body is the encoded source (`testGroupWiseEml`'s attached `test.eml`,
    base64: its lines counted as words), where mail readers decode it
    first. Such a part is decoded and parsed again here."""
    import base64
    import email
    import email.policy
    import quopri

    inner = part.get_payload()
    inner = inner[0] if isinstance(inner, list) and inner else None
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if inner is None or cte not in ("base64", "quoted-printable"):
        return inner
    raw = inner.as_bytes()
    raw = base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", raw)) if cte == "base64" else quopri.decodestring(raw)
    return email.message_from_bytes(raw, policy=email.policy.default)


def _walk(msg):
    """`Message.walk`, with the encoded messages `_inner_message` decodes."""
    yield msg
    if msg.get_content_type() == "message/rfc822":
        inner = _inner_message(msg)
        if inner is not None:
            yield from _walk(inner)
    elif msg.is_multipart():
        for sub in msg.get_payload():
            yield from _walk(sub)


def _part_text(part) -> str:
    """A text part decoded in its declared charset (US-ASCII when it names
    none; `gb2312` as GBK, its superset, as the WHATWG Encoding Standard
    and mail readers label it: Python's strict GB2312 codec turns GBK
    characters into replacement characters, `mail_test_9`). Where the
    charset cannot decode the bytes and they are valid UTF-8 (8-bit UTF-8
    under US-ASCII, `raw_email5`'s `Envoyé`; an unknown name such as
    `X-UNKNOWN`), Python's `get_content` put replacement characters in the
    words (`Envoy��`) or raised: such bytes are read as UTF-8. Otherwise,
    as before: the declared charset with replacement characters, Latin-1
    for an unknown name. A charset that decodes the bytes is never
    overridden, even when it is false."""
    raw = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    charset = {"gb2312": "gbk"}.get(charset, charset)
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("latin-1")


def _message_text(msg) -> list:
    out = []
    for h in ("From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject"):
        for v in msg.get_all(h, []):
            out.append(f"{h}: {v}")
    for part in _walk(msg):
        ctype = part.get_content_type()
        if part.get_content_maintype() == "multipart":
            continue
        if part.get_filename():
            continue  # attachments: other formats
        if ctype in ("text/plain", "text/html"):
            body = _part_text(part)
            out.append(_html_text(body) if ctype == "text/html" else body)
        elif ctype == "message/rfc822":
            pass  # walk() goes into it: its headers are added here
            inner = _inner_message(part)
            if inner is not None:
                for h in ("From", "To", "Cc", "Subject"):
                    for v in inner.get_all(h, []):
                        out.append(f"{h}: {v}")
    return out


HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")


def _repair_head(data: bytes) -> bytes:
    """Two faults Python's parser takes for the end of the header section,
    so that every header after them and the MIME source are read as body
    text, where mail readers go on: a UTF-8 byte-order mark before the
    first header (`feedback-report`, `unmunged.mbox`), and a line that is
    neither a header nor folded, followed by more headers (a badly folded
    value: `issue358`, which MimeKit's own test parses as
    multipart/alternative; `quite Delivered-To:` in
    `raw_email_incorrect_header`). The mark is dropped and such a line read
    as folded."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    end = re.search(rb"\r?\n\r?\n", data)
    head, rest = (data[: end.start()], data[end.start():]) if end else (data, b"")
    lines = head.split(b"\n")
    is_header = [bool(HEADER_LINE.match(line)) for line in lines]
    for i in range(1, len(lines)):
        if lines[i][:1] not in (b" ", b"\t") and not is_header[i] and any(is_header[i + 1:]):
            lines[i] = b" " + lines[i]
    return b"\n".join(lines) + rest


def ref_eml(path):
    import email
    import email.policy
    import mailbox

    def parse(data):
        return email.message_from_bytes(_repair_head(data), policy=email.policy.default)

    data = Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf")
    if data.startswith(b"From "):
        import tempfile

        out = []
        with tempfile.NamedTemporaryFile(suffix=".mbox") as f:
            f.write(data)
            f.flush()
            for m in mailbox.mbox(f.name, factory=lambda g: parse(g.read())):
                out.extend(_message_text(m))
        return "\n".join(out)
    return "\n".join(_message_text(parse(data)))


REFERENCES = {
    "pdf": ref_pdf, "docx": ref_docx, "pptx": ref_pptx, "xlsx": ref_xlsx, "xlsb": ref_xlsb,
    "xls": ref_xls, "ods": ref_odf, "odt": ref_odf, "odp": ref_odf, "doc": ref_doc,
    "ppt": ref_ppt, "rtf": ref_rtf, "msg": ref_msg, "eml": ref_eml,
}


def reference_main(fmt, path):
    real = sys.stdout
    sys.stdout = sys.stderr  # libraries that print (xlrd's warnings) print there
    try:
        text = REFERENCES[fmt](path)
        res = {"status": "ok", "text": text}
        if DECRYPTED:
            res["default_password"] = True
    except Encrypted:
        res = {"status": "encrypted"}
    except BaseException as e:  # noqa: BLE001 - reported per document
        res = {"status": "error", "message": f"{type(e).__name__}: {str(e)[:200]}"}
    real.write(json.dumps(res))
    return 0


# ---------------------------------------------------------------- comparison


def words(text: str) -> set:
    return set(WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def emails(text: str) -> set:
    return {e.lower().rstrip(".") for e in EMAIL.findall(text)}


def limit_memory():
    """A reference's address space, at most (pdf.js's bombs take gigabytes)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (REFERENCE_MEMORY, REFERENCE_MEMORY))


REFERENCE_MEMORY = 3 << 30


def run_reference(fmt, path, cache: Path, sha, timeout):
    cached = cache / f"{sha}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    try:
        r = subprocess.run([sys.executable, __file__, "--reference", fmt, str(path)],
                           capture_output=True, timeout=timeout, preexec_fn=limit_memory)
        try:
            res = json.loads(r.stdout)
        except ValueError:
            res = {"status": "error", "message": "reference crashed: " + r.stderr.decode(errors="replace")[-200:]}
    except subprocess.TimeoutExpired:
        res = {"status": "error", "message": "timeout"}
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(res))
    return res


def run_pdscout(binary, path, timeout):
    """pdscout's text, its file-level outcome and messages."""
    try:
        r = subprocess.run([binary, "extract", "--format", "json", str(path)],
                           capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "hang", "text": "", "message": f"no answer in {timeout} s"}
    texts, status, message = [], None, ""
    for line in r.stdout.splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if "text" in o:
            texts.append(o["text"])
        elif o.get("file") is not None and "status" in o:
            status, message = o["status"], o.get("error") or o.get("reason") or ""
    if r.returncode < 0 or status is None:
        return {"status": "crash", "text": "\n".join(texts),
                "message": f"exit {r.returncode}: {r.stderr.decode(errors='replace')[-200:]}"}
    # A file reported as encrypted is skipped (or, before, an error naming
    # it); any other skipped file is a format pdscout does not read.
    if status in ("error", "skipped") and "encrypted" in message:
        status = "encrypted"
    elif status == "skipped" or status == "error" and "unsupported" in message:
        status = "not covered"
    return {"status": status, "text": "\n".join(texts), "message": message}


def compare_one(row, a):
    path = local_path(a.corpus, row)
    if not path.exists():
        return None
    ref = run_reference(row["format"], path, a.corpus / ".reference", row["sha256"], a.timeout)
    ours = run_pdscout(a.bin, path, a.timeout)
    res = {"path": f"{row['repo']}/{row['path']}", "format": row["format"], "sha256": row["sha256"],
           "reference": ref["status"], "pdscout": ours["status"],
           "message": ours.get("message", "")[:200]}
    if ref.get("default_password"):
        res["default_password"] = True
    if ref["status"] == "error":
        res["reference_message"] = ref.get("message", "")[:200]
    if ref["status"] == "ok":
        rw, ow = words(ref["text"]), words(ours["text"])
        res["ref_words"] = len(rw)
        if rw:
            res["recall"] = round(len(rw & ow) / len(rw), 4)
            res["missing"] = sorted(rw - ow)[:12]
        re_, oe = emails(ref["text"]), emails(ours["text"])
        if re_:
            res["ref_emails"], res["emails_found"] = len(re_), len(re_ & oe)
    return res


def summarise(results, worst):
    by = {}
    for r in results:
        by.setdefault(r["format"], []).append(r)
    cols = ["format", "files", "read", "error", "not cov", "encrypt", "crash", "ref err", "ref enc",
            "ref dflt", "mean", "median", "<0.9", "e-mails"]
    print(" ".join(f"{c:>8}" for c in cols))
    for fmt in sorted(by):
        rs = by[fmt]
        n = lambda s: sum(1 for r in rs if r["pdscout"] == s)  # noqa: E731
        # Recall over the files both read.
        rec = [r["recall"] for r in rs if "recall" in r and r["pdscout"] in ("read", "partial")]
        em_ref = sum(r.get("ref_emails", 0) for r in rs if r["pdscout"] in ("read", "partial"))
        em_found = sum(r.get("emails_found", 0) for r in rs if r["pdscout"] in ("read", "partial"))
        row = [fmt, len(rs), n("read") + n("partial"), n("error"), n("not covered"), n("encrypted"),
               n("crash") + n("hang"), sum(1 for r in rs if r["reference"] == "error"),
               sum(1 for r in rs if r["reference"] == "encrypted"),
               sum(1 for r in rs if r.get("default_password")),
               f"{statistics.mean(rec):.3f}" if rec else "-",
               f"{statistics.median(rec):.3f}" if rec else "-",
               sum(1 for x in rec if x < 0.9),
               f"{em_found / em_ref:.3f}" if em_ref else "-"]
        print(" ".join(f"{str(c):>8}" for c in row))
    if worst:
        for fmt in sorted(by):
            bad = sorted((r for r in by[fmt] if "recall" in r and r["recall"] < 1),
                         key=lambda r: (r["recall"], -r["ref_words"]))[:worst]
            errs = [r for r in by[fmt] if r["pdscout"] not in ("read", "partial")]
            if bad or errs:
                print(f"\n== {fmt}")
            for r in bad:
                print(f"  {r['recall']:.3f} of {r['ref_words']:>5} words  {r['path']}  missing: {' '.join(r['missing'][:8])}")
            for r in errs[:worst]:
                print(f"  {r['pdscout']:>11} (reference {r['reference']})  {r['path']}  {r['message'][:100]}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--reference":
        return reference_main(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--bin", default=str(HERE.parent.parent / "target/release/pdscout"))
    ap.add_argument("--format", action="append", help="only this format (repeatable)")
    ap.add_argument("--json", type=Path, help="write per-file results here")
    ap.add_argument("--worst", type=int, default=8, help="worst files listed per format")
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin)
    rows = [r for r in read_manifest() if not a.format or r["format"] in a.format]
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        results = [r for r in ex.map(lambda row: compare_one(row, a), rows) if r]
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    summarise(results, a.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
