#!/usr/bin/env bash
# The inventory's benchmark (issue 6): a first sweep of a generated tree,
# an unchanged re-sweep (the ratio of the two), the inventory's size per
# million findings, and the latency of `report` and `subject --db`.
#
#   bench/inventory.sh [SIZE_MB FILES] [--no-build]     (defaults: 1000 MB in 50,000 files)
#   bench/inventory.sh --shards [FILES] [--no-build]   (issue 21; default 50,000 small files)
#
# --shards: one SQLite sweep of a tree of small files against three
# processes sweeping shards 1/3, 2/3, 3/3 into PostgreSQL at once (a
# throwaway cluster under a temp folder, stopped at the end): totals per
# kind and `subject` answers for five people compared, wall times, rows/s,
# database sizes, then `subject --db postgres://…` with the findings table
# grown to PDSCOUT_BENCH_FINDINGS generated rows (default 10,000,000).
#
# Needs python3 and GNU time (/usr/bin/time); corpora are kept in
# $PDSCOUT_BENCH_DIR (default /tmp/pdscout-bench) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--shards" ]; then
    shift
    exec bash bench/inventory_shards.sh "$@"
fi
size_mb=1000 files=50000 build=1
args=()
for a in "$@"; do
    case "$a" in
        --no-build) build=0 ;;
        *) args+=("$a") ;;
    esac
done
[ ${#args[@]} -ge 1 ] && size_mb=${args[0]}
[ ${#args[@]} -ge 2 ] && files=${args[1]}
bench_dir=${PDSCOUT_BENCH_DIR:-/tmp/pdscout-bench}
bin=${PDSCOUT:-target/release/pdscout}
[ -x /usr/bin/time ] || { [ "$(id -u)" = 0 ] && apt-get install -y -qq time >/dev/null; }
if [ "$build" = 1 ]; then cargo build --release --locked -q; fi

gen_hash=$(sha1sum bench/gen_corpus.py | cut -c1-8)
corpus="$bench_dir/tree-${size_mb}mb-${files}f-s42-g$gen_hash"
if [ ! -f "$corpus/manifest.json" ]; then
    echo "generating $corpus ..."
    rm -rf "$corpus"
    python3 bench/gen_corpus.py "$corpus" --size-mb "$size_mb" --files "$files" --seed 42 >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/inventory.db"
cat "$(find "$corpus" -type f | head -1)" >/dev/null
find "$corpus" -type f -exec cat {} + >/dev/null   # warm the page cache

# wall seconds and peak RSS (MB) of a command
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || true
    read -r wall rss <"$work/time"
    echo "$wall $((rss / 1024))"
}

read -r first first_rss < <(measure "$bin" scan -q --db "$db" --format jsonl "$corpus")
read -r again again_rss < <(measure "$bin" scan -q --db "$db" --format jsonl "$corpus")
findings=$("$bin" report --db "$db" --format json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(sum(k["findings"] for k in r["kinds"]))')
db_bytes=$(stat -c %s "$db")
read -r report_s _ < <(measure "$bin" report --db "$db" --format html -o "$work/report.html")
email=$( (grep -rhoE -m1 '[a-z][a-z.-]+@[a-z.-]+\.(fr|com|org)' "$corpus" || true) | head -1)
read -r subject_s _ < <(measure "$bin" subject --db "$db" --email "$email" --format jsonl)
hits=$("$bin" subject --db "$db" --email "$email" --format jsonl 2>/dev/null | grep -c '"type":"finding"' || true)

python3 - "$corpus" "$first" "$first_rss" "$again" "$again_rss" "$findings" "$db_bytes" "$report_s" "$subject_s" "$hits" <<'PY'
import sys
corpus, first, first_rss, again, again_rss, findings, db_bytes, report_s, subject_s, hits = sys.argv[1:]
first, again, findings, db_bytes = float(first), float(again), int(findings), int(db_bytes)
print(f"== inventory on {corpus}")
print(f"  first sweep          {first:8.2f} s   peak RSS {first_rss} MB")
print(f"  unchanged re-sweep   {again:8.2f} s   peak RSS {again_rss} MB")
ratio = first / again if again else float('inf')
print(f"  ratio                {ratio:8.1f} x   (target >= 20)  {'OK' if ratio >= 20 else 'MISSED'}")
print(f"  findings             {findings:8d}")
print(f"  inventory size       {db_bytes/2**20:8.1f} MB = {db_bytes/2**20/(findings/1e6):.0f} MB per million findings")
print(f"  report (html)        {float(report_s):8.2f} s")
print(f"  subject --db         {float(subject_s):8.2f} s   ({hits} findings for one e-mail)")
PY
