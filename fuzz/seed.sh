#!/usr/bin/env bash
# Seeds the fuzz corpora from fixtures/: each fixture, prefixed with the byte
# that makes the `extract` target name it with its own extension.
set -euo pipefail
cd "$(dirname "$0")"
names=(txt csv tsv xlsx xls xlsb ods pdf docx odt pptx eml mbox zip gz tar html xml json)
mkdir -p corpus/extract corpus/detect
find ../fixtures -type f -size -200k | while read -r f; do
  ext=${f##*.}; ext=${ext,,}
  for i in "${!names[@]}"; do
    if [[ ${names[$i]} == "$ext" ]]; then
      { printf "\\x$(printf %02x "$i")"; cat "$f"; } > "corpus/extract/$(basename "$f").seed"
    fi
  done
  case $ext in txt|csv|tsv|log|html|xml|json|eml) cp "$f" "corpus/detect/$(basename "$f")" ;; esac
done
echo "seeded: $(ls corpus/extract | wc -l) extract, $(ls corpus/detect | wc -l) detect"
