#!/usr/bin/env bash
# Seeds the fuzz corpora from fixtures/: for `extract`, each fixture prefixed
# with the byte that makes the target name it with its own extension; for the
# per-format targets, the fixtures of that format as they are; for `detect`,
# the text fixtures; then the `extract` corpus's inputs, split by format.
set -euo pipefail
cd "$(dirname "$0")"
names=(txt csv tsv xlsx xls xlsb ods pdf docx odt pptx eml mbox zip gz tar html xml json doc ppt msg rtf)
# per-format target → extensions of its seeds
declare -A target=(
  [txt]=text [log]=text [csv]=csv [tsv]=csv [xlsx]=xlsx [xlsb]=xlsb [xls]=xls [ods]=ods
  [pdf]=pdf [docx]=docx [odt]=odt [eml]=eml [mbox]=mbox [zip]=zip [tar]=tar [gz]=gzip
  [tgz]=gzip [html]=html [xml]=xml [json]=json
  [doc]=doc [ppt]=ppt [msg]=msg [rtf]=rtf
)
mkdir -p corpus/extract corpus/detect
for t in "${target[@]}"; do mkdir -p "corpus/$t"; done
find ../fixtures -type f -size -200k | while read -r f; do
  ext=${f##*.}; ext=${ext,,}
  for i in "${!names[@]}"; do
    if [[ ${names[$i]} == "$ext" ]]; then
      { printf "\\x$(printf %02x "$i")"; cat "$f"; } > "corpus/extract/$(basename "$f").seed"
    fi
  done
  if [[ -n ${target[$ext]:-} ]]; then cp "$f" "corpus/${target[$ext]}/$(basename "$f")"; fi
  case $ext in txt|csv|tsv|log|html|xml|json|eml) cp "$f" "corpus/detect/$(basename "$f")" ;; esac
done
gzip -dc ../fixtures/archives/courriers.tar.gz > corpus/tar/courriers.tar
# What the `extract` target already found (if it was run), for the
# per-format targets: each of its inputs whose first byte names a format
# with its own target, without that byte (`x_` files).
for f in corpus/extract/*; do
  [[ -s $f ]] || continue
  b=$(head -c1 "$f" | od -An -tu1 | tr -d ' ')
  t=${target[${names[$((b % ${#names[@]}))]}]:-}
  if [[ -n $t ]]; then tail -c +2 "$f" > "corpus/$t/x_$(basename "$f")"; fi
done
# decrypt: each encrypted fixture's streams, as the target reads them (a
# Workbook stream after an even byte; an odd byte, the EncryptionInfo
# stream's length, that stream and the EncryptedPackage stream).
# biff_old: the Excel 4.0 worksheet.
mkdir -p corpus/decrypt corpus/biff_old
cp ../fixtures/office/excel4.xls corpus/biff_old/
python3 - <<'PY'
import glob, os, struct, olefile
for f in glob.glob("../fixtures/office/chiffre_*") + glob.glob("../fixtures/legacy/chiffre.*"):
    if not olefile.isOleFile(f):
        continue
    ole, name = olefile.OleFileIO(f), os.path.basename(f)
    if ole.exists("Workbook"):
        open(f"corpus/decrypt/{name}.biff", "wb").write(b"\0" + ole.openstream("Workbook").read())
    if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
        info = ole.openstream("EncryptionInfo").read()
        package = ole.openstream("EncryptedPackage").read()
        open(f"corpus/decrypt/{name}.ooxml", "wb").write(b"\1" + struct.pack("<H", len(info)) + info + package)
PY
for d in corpus/*; do echo "seeded: $(ls "$d" | wc -l) $(basename "$d")"; done
