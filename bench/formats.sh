#!/usr/bin/env bash
# Per-format throughput: copies the document fixtures of each format N times
# into a corpus folder per format, then prints files/s, MB/s and peak RSS of
# `pdscout scan` on each. A benchmark, not a test.
#
#   bench/formats.sh [COPIES]        # default 400 copies of each fixture
#
# Env: PDSCOUT (binary, default target/release/pdscout), PDSCOUT_BENCH_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COPIES=${1:-400}
BIN=${PDSCOUT:-$ROOT/target/release/pdscout}
DIR=${PDSCOUT_BENCH_DIR:-/tmp/pdscout-bench}/formats-$COPIES
[[ -x $BIN ]] || { echo "formats.sh: no binary at $BIN (cargo build --release)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { apt-get install -y time >/dev/null 2>&1 || true; }

# format → fixtures that read without error (broken variants are left out).
declare -A SETS=(
  [xlsx]="spreadsheets/locataires.xlsx spreadsheets/locataires_libreoffice.xlsx"
  [xls]="spreadsheets/locataires.xls"
  [ods]="spreadsheets/locataires.ods"
  [pdf]="pdf/bulletin_paie.pdf pdf/bulletin_objstm.pdf"
  [docx]="office/lettre_locataire.docx"
  [odt]="office/lettre_locataire.odt"
  [pptx]="office/reunion_locataires.pptx"
  [eml]="mail/dossier_locataire.eml mail/html_seul.eml"
  [zip]="archives/dossiers.zip"
  [csv]="csv/locataires_semicolon.csv csv/candidats_comma_quoted.csv"
  [text]="text/courrier_utf8.txt text/access.log"
)

printf '%-6s %8s %10s %9s %9s %8s\n' format files MB wall_s files/s MB/s
for fmt in xlsx xls ods pdf docx odt pptx eml zip csv text; do
  out=$DIR/$fmt
  if [[ ! -d $out ]]; then
    mkdir -p "$out"
    for f in ${SETS[$fmt]}; do
      src=$ROOT/fixtures/$f
      [[ -f $src ]] || continue
      for i in $(seq 1 "$COPIES"); do cp "$src" "$out/$i-$(basename "$src")"; done
    done
  fi
  files=$(find "$out" -type f | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  cat "$out"/* > /dev/null
  t=$( { /usr/bin/time -f '%e %M' "$BIN" scan -q --no-progress "$out" > /dev/null; } 2>&1 | tail -1 ) || true
  wall=${t% *}; rss=${t#* }
  awk -v f="$fmt" -v n="$files" -v b="$bytes" -v w="$wall" -v r="$rss" 'BEGIN {
    if (w < 0.01) w = 0.01;
    printf "%-6s %8d %10.1f %9.2f %9.0f %8.1f   peak RSS %.1f MB\n", f, n, b/1e6, w, n/w, b/1e6/w, r/1024 }'
done
