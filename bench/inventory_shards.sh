#!/usr/bin/env bash
# `bench/inventory.sh --shards [FILES] [--no-build]`: see bench/inventory.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
files=50000 build=1
for a in "$@"; do
    case "$a" in
        --no-build) build=0 ;;
        *) files=$a ;;
    esac
done
extra=${PDSCOUT_BENCH_FINDINGS:-10000000}
bench_dir=${PDSCOUT_BENCH_DIR:-/tmp/pdscout-bench}
bin=$(readlink -f "${PDSCOUT:-target/release/pdscout}")
if [ "$build" = 1 ]; then cargo build --release --locked -q; fi
initdb=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || true)
[ -n "$initdb" ] || { echo "SKIPPED: PostgreSQL not available (no initdb)"; exit 0; }
pgbin=$(dirname "$(readlink -f "$initdb")")
corpus="$bench_dir/small-${files}f-2kb"
if [ ! -f "$corpus/manifest.json" ]; then
    echo "generating $corpus ..."
    python3 bench/gen_corpus.py "$corpus" --small-files --files "$files" --file-kb 2 --seed 42 >/dev/null
fi
work=$(mktemp -d)
chmod 755 "$work"
mkdir "$work/pg"
as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$work/pg"; as=(runuser -u postgres --); fi
port=$((30000 + $$ % 20000))
stop() {
    "${as[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT
"${as[@]}" "$pgbin/initdb" -D "$work/pg/data" -U pdscout --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-k $work/pg -p $port -c listen_addresses='' -c shared_buffers=512MB -c max_wal_size=4GB" start >/dev/null
psql() { "$pgbin/psql" -h "$work/pg" -p "$port" -U pdscout -d postgres -qAtX "$@"; }
url="postgres://pdscout@localhost:$port/postgres?host=$work/pg"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/key"; echo >>"$work/key"
chmod 600 "$work/key"
find "$corpus" -type f -exec cat {} + >/dev/null   # warm the page cache

now() { date +%s.%N; }
t0=$(now)
"$bin" scan -q --db "$work/lite.db" --key-file "$work/key" --format jsonl "$corpus" >/dev/null
t1=$(now)
# Each shard's peak RSS with GNU time, when there is one.
timed() { if [ -x /usr/bin/time ]; then /usr/bin/time -f %M -o "$1" "${@:2}"; else "${@:2}"; fi; }
for k in 1 2 3; do
    timed "$work/rss$k" "$bin" scan -q --db "$url" --key-file "$work/key" --shard "$k/3" \
        --generation bench --format jsonl "$corpus" >"$work/shard$k.out" 2>"$work/shard$k.err" &
done
wait
t2=$(now)
report() { "$bin" report --db "$1" --key-file "$work/key" --format json; }
report "$work/lite.db" >"$work/lite.json"
report "$url" >"$work/pg.json"
# Five people of the corpus: the names of five CSV rows.
mapfile -t people < <(find "$corpus" -name '*.csv' | sort | head -5 | while read -r f; do
    sed -n 2p "$f" | awk -F';' '{print $2" "$1}'
done)
same=0
for p in "${people[@]}"; do
    a=$("$bin" subject -q --db "$work/lite.db" --key-file "$work/key" --name "$p" --format jsonl | { grep -v '"summary"' || true; } | sort | sha1sum)
    b=$("$bin" subject -q --db "$url" --key-file "$work/key" --name "$p" --format jsonl | { grep -v '"summary"' || true; } | sort | sha1sum)
    n=$("$bin" subject -q --db "$url" --key-file "$work/key" --name "$p" --format jsonl | { grep -c '"finding"' || true; })
    [ "$a" = "$b" ] && same=$((same + 1))
    echo "  subject $p: $n findings, $([ "$a" = "$b" ] && echo identical || echo DIFFERENT)"
done
pg_bytes=$(psql -c "SELECT pg_database_size(current_database())")
lite_bytes=$(stat -c %s "$work/lite.db")
python3 - "$work/lite.json" "$work/pg.json" "$t0" "$t1" "$t2" "$lite_bytes" "$pg_bytes" "$same" "${#people[@]}" <<'PY'
import json, sys
lite, pg = (json.load(open(p)) for p in sys.argv[1:3])
t0, t1, t2 = map(float, sys.argv[3:6])
lite_b, pg_b, same, people = map(int, sys.argv[6:10])
k = lambda r: sorted((x["kind"], x["findings"], x["files"]) for x in r["kinds"])
findings = sum(x["findings"] for x in lite["kinds"])
print(f"== {lite['files']} files, {findings} findings")
print(f"  per-kind totals      {'identical' if k(lite) == k(pg) else 'DIFFERENT'}; generation complete: {pg.get('generations', [{}])[0].get('complete')}")
print(f"  subject answers      {same}/{people} identical")
print(f"  SQLite, one sweep    {t1 - t0:6.1f} s  {findings / (t1 - t0):8.0f} findings/s")
print(f"  PostgreSQL, 3 shards {t2 - t1:6.1f} s  {findings / (t2 - t1):8.0f} findings/s (three processes at once)")
print(f"  size per M findings  SQLite {lite_b / 2**20 / (findings / 1e6):.0f} MB, PostgreSQL {pg_b / 2**20 / (findings / 1e6):.0f} MB (whole database)")
PY
# An incremental run of one shard: it holds what the last run knew of its part.
timed "$work/rss_again" "$bin" scan -q --db "$url" --key-file "$work/key" --shard 1/3 \
    --generation bench2 --format jsonl "$corpus" >/dev/null
if [ -f "$work/rss1" ]; then
    echo "  peak RSS: shards $(cat "$work/rss1" "$work/rss2" "$work/rss3" | tr '\n' ' ')KB; incremental shard 1/3 $(cat "$work/rss_again") KB"
fi
if [ "$extra" -gt 0 ]; then
    # Grow the findings to $extra rows of random fingerprints under one file
    # each 1000 (as a large share would), then time subject --db.
    t3=$(now)
    psql -c "INSERT INTO files (source, path, root, status, first_run, seen_run, findings)
             SELECT 'bench', '/gen/' || g, '/gen', 'ok', 1, 1, 1000 FROM generate_series(1, $extra / 1000) g;
             INSERT INTO findings (file_id, n, kind, masked, confidence, pattern, fingerprint)
             SELECT f.id, n, 'email', 'x***@example.fr', 0.9, 'email',
                    decode(md5(f.id::text || ':' || n), 'hex')
             FROM files f, generate_series(1, 1000) n WHERE f.source = 'bench';
             ANALYZE findings;"
    t4=$(now)
    rows=$(psql -c "SELECT count(*) FROM findings")
    p=${people[0]}
    best=999
    for _ in 1 2 3; do
        s=$(now)
        "$bin" subject -q --db "$url" --key-file "$work/key" --name "$p" --format jsonl >/dev/null
        e=$(now)
        best=$(python3 -c "print(min($best, $e - $s))")
    done
    pg_bytes=$(psql -c "SELECT pg_database_size(current_database())")
    python3 -c "
rows, t, best, b = $rows, $t4 - $t3, $best, $pg_bytes
print(f'  {rows:,} findings: generated in {t:.0f} s ({($extra)/t:,.0f} rows/s server-side, indexes kept)')
print(f'  subject --db postgres at {rows/1e6:.1f} M findings: {best*1000:.0f} ms (best of 3, process start included)')
print(f'  database size {b/2**30:.2f} GiB = {b/2**20/(rows/1e6):.0f} MB per million findings')
"
fi
