#!/usr/bin/env bash
# pdscout throughput / peak-memory benchmark against cat and ripgrep.
#
#   bench/run.sh [options] [SIZE_MB] [FILES]      (defaults: 1000 MB in 2000 files)
#
# Options:
#   --threads N      worker threads for pdscout and rg (default: their default, all cores)
#   --cases LIST     comma-separated cases to run (default mixed,small-files):
#                      mixed        SIZE_MB in FILES files, mostly letters
#                      small-files  100,000 files of 2 KB
#                      dense        SIZE_MB in FILES files, logs and numeric CSV exports
#                      single       one file of DENSE_SINGLE_MB (default 200) of the dense mix
#                      table        one tenant export (CSV) of TABLE_MB (default 100)
#                      json         the same export as one JSON array of records
#                      xml          the same export as one XML document
#   --no-small       skip the many-small-files case (same as leaving it out of --cases)
#   --small-files K  number of files in the small-files case (default 100000)
#   --runs N         runs per tool, best wall time is reported (default 3)
#   --seed S         corpus seed (default 42)
#   --no-build       do not run `cargo build --release` (use the existing binary)
#   --timeout SECS   kill a tool run after SECS seconds (default 900)
# Environment:
#   PDSCOUT_BENCH_DIR  where corpora are generated and kept (default /tmp/pdscout-bench)
#   PDSCOUT            pdscout binary (default target/release/pdscout)
#
# See bench/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")

SIZE_MB=1000
FILES=2000
THREADS=""
SMALL=1
CASES=mixed,small-files
SINGLE_MB=${DENSE_SINGLE_MB:-200}
TABLE_MB=${TABLE_MB:-100}
SMALL_FILES=100000
SMALL_KB=2
RUNS=3
SEED=42
BUILD=1
TIMEOUT=900
BENCH_DIR=${PDSCOUT_BENCH_DIR:-/tmp/pdscout-bench}
PDSCOUT=${PDSCOUT:-$ROOT/target/release/pdscout}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

positional=()
while (($#)); do
    case $1 in
        --threads|-j) THREADS=${2:?--threads needs a value}; shift 2 ;;
        --threads=*) THREADS=${1#*=}; shift ;;
        --no-small) SMALL=0; shift ;;
        --cases) CASES=${2:?--cases needs a list}; shift 2 ;;
        --cases=*) CASES=${1#*=}; shift ;;
        --small-files) SMALL_FILES=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --seed) SEED=${2:?}; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --timeout) TIMEOUT=${2:?}; shift 2 ;;
        -h|--help) usage 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; usage 2 ;;
        *) positional+=("$1"); shift ;;
    esac
done
((${#positional[@]} <= 2)) || usage 2
SIZE_MB=${positional[0]:-$SIZE_MB}
FILES=${positional[1]:-$FILES}
for v in SIZE_MB FILES RUNS SEED TIMEOUT SMALL_FILES; do
    [[ ${!v} =~ ^[0-9]+$ ]] || { echo "run.sh: $v must be a non-negative integer (got '${!v}')" >&2; exit 2; }
done
[[ -z $THREADS || $THREADS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --threads must be a positive integer" >&2; exit 2; }

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
can_apt() { command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; }
APT_UPDATED=0
apt_install() {
    can_apt || return 1
    if ((APT_UPDATED == 0)); then apt-get update -qq >&2 || return 1; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

if [[ ! -x /usr/bin/time ]]; then
    log "/usr/bin/time missing: installing package 'time'"
    apt_install time || { log "run.sh: need /usr/bin/time (GNU time): apt-get install -y time"; exit 2; }
fi
if ! command -v rg >/dev/null; then
    log "rg missing: trying apt-get install ripgrep"
    apt_install ripgrep || true
fi
HAVE_RG=0
command -v rg >/dev/null && HAVE_RG=1
((HAVE_RG)) || log "run.sh: ripgrep not available: rg will be skipped"

HAVE_PDSCOUT=0
if ((BUILD)); then
    log "cargo build --release ..."
    if (cd "$ROOT" && cargo build --release >&2); then :; else
        log "run.sh: 'cargo build --release' FAILED: pdscout will be skipped (rerun with --no-build to use an existing binary)"
        PDSCOUT=""
    fi
fi
if [[ -n $PDSCOUT && -x $PDSCOUT ]]; then
    HAVE_PDSCOUT=1
else
    log "run.sh: pdscout binary not found${PDSCOUT:+ at $PDSCOUT}: pdscout will be skipped"
fi

# -------------------------------------------------------------- corpora
GEN=$HERE/gen_corpus.py
GEN_HASH=$( (sha1sum "$GEN" 2>/dev/null || shasum "$GEN") | cut -c1-8)
mkdir -p "$BENCH_DIR"

# ensure_corpus DIR ARGS...: generate into DIR unless a complete corpus is already there
ensure_corpus() {
    local dir=$1; shift
    if [[ -f $dir/manifest.json ]]; then
        log "reusing corpus $dir"
        return
    fi
    rm -rf "$dir"
    log "generating corpus $dir ..."
    python3 "$GEN" "$dir" --seed "$SEED" "$@"
}

manifest_get() {  # manifest_get DIR KEY  (top-level numeric key)
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1/manifest.json" "$2"
}

warm() {  # read every file once so all tools run from the page cache
    find "$1" -type f -print0 | xargs -0 cat > /dev/null
}

# ------------------------------------------------------------ measuring
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pdscout-bench-run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Five identifier regexes for rg, ASCII (--no-unicode).
RG_EMAIL='[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}'
RG_IBAN='\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b'
RG_NIR='\b[12] ?[0-9]{2} ?(?:0[1-9]|1[0-2]) ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}\b'
RG_PHONE='(?:\+33 ?|\b0)[1-9](?:[ .-]?[0-9]{2}){4}\b'
RG_IPV4='\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\b'

# The identifier detectors (issue 2's target): every kind but name and address.
ID_KINDS=email,iban,nir,phone,ip,birthdate,card

THREAD_ARGS=()
if [[ -n $THREADS ]]; then THREAD_ARGS=(--threads "$THREADS"); fi

RESULTS=$BENCH_DIR/results.tsv
[[ -f $RESULTS ]] || printf 'date\tcase\ttool\tthreads\tbytes\tfiles\twall_s\tMB_per_s\tfiles_per_s\tpeak_rss_MB\n' > "$RESULTS"

# measure LABEL OK_EXIT_CODES CMD... ; sets M_WALL M_MBS M_FPS M_RSS (empty on failure)
measure() {
    local label=$1 ok=$2; shift 2
    local i rc wall rss best_wall="" max_rss=0
    M_WALL="" M_MBS="" M_FPS="" M_RSS=""
    for ((i = 1; i <= RUNS; i++)); do
        set +e
        /usr/bin/time -f '%e %M' -o "$TMP/time" timeout "$TIMEOUT" "$@" > /dev/null 2> "$TMP/stderr"
        rc=$?
        set -e
        if [[ " $ok " != *" $rc "* ]]; then
            if ((rc == 124)); then
                printf '  %-8s TIMEOUT after %ss\n' "$label" "$TIMEOUT"
            else
                printf '  %-8s FAILED (exit %s); stderr tail:\n' "$label" "$rc"
                tail -n 5 "$TMP/stderr" | sed 's/^/           | /'
            fi
            return 0
        fi
        read -r wall rss < <(tail -n 1 "$TMP/time")
        if [[ -z $best_wall ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN{exit !(a < b)}'; then
            best_wall=$wall
        fi
        if ((rss > max_rss)); then max_rss=$rss; fi
    done
    read -r M_WALL M_MBS M_FPS M_RSS < <(awk -v w="$best_wall" -v b="$CASE_BYTES" -v f="$CASE_FILES" -v r="$max_rss" \
        'BEGIN { if (w < 0.01) w = 0.01; printf "%.2f %.1f %.0f %.1f\n", w, b / 1e6 / w, f / w, r * 1024 / 1e6 }')
    printf '  %-8s %8s %10s %10s %12s\n' "$label" "$M_WALL" "$M_MBS" "$M_FPS" "$M_RSS"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -Iseconds)" "$CASE_NAME" "$label" "${THREADS:-default}" \
        "$CASE_BYTES" "$CASE_FILES" "$M_WALL" "$M_MBS" "$M_FPS" "$M_RSS" >> "$RESULTS"
}

# One more (untimed) pdscout run whose final summary record is compared with the manifest,
# so that a stub or a scan that silently skips files does not pass for a fast one.
sanity_check() {
    local dir=$1
    set +e
    timeout "$TIMEOUT" "$PDSCOUT" scan --format jsonl --no-progress -q "${THREAD_ARGS[@]}" "$dir" 2>/dev/null \
        | tail -n 1 > "$TMP/summary"
    set -e
    python3 - "$dir/manifest.json" "$TMP/summary" <<'PY'
import json, sys
man = json.load(open(sys.argv[1]))
try:
    summ = json.loads(open(sys.argv[2]).read())
    assert summ.get("type") == "summary"
except Exception:
    print("  check    INVALID: pdscout printed no final summary record; its figures above are meaningless")
    sys.exit(3)
files, nbytes = summ.get("files_scanned"), summ.get("bytes_scanned")
print(f"  check    pdscout scanned {files} files / {nbytes} bytes (corpus: {man['files']} files + manifest.json,"
      f" {man['bytes']} bytes)")
bad = not isinstance(nbytes, int) or nbytes < man["bytes"]
if bad:
    print("  check    INVALID: pdscout did not scan the whole corpus")
found = summ.get("findings") or {}
kinds = sorted(set(man["items"]) | set(found))
print("  check    findings by kind (pdscout / generated): "
      + ", ".join(f"{k} {found.get(k, 0)}/{man['items'].get(k, 0)}" for k in kinds))
sys.exit(3 if bad else 0)
PY
}

verdict() {  # verdict "description" VALUE OP TARGET
    awk -v d="$1" -v v="$2" -v op="$3" -v t="$4" 'BEGIN {
        ok = (op == ">=") ? (v >= t) : (v < t);
        printf "  %-46s %8s  (target %s %s)  %s\n", d, v, op, t, ok ? "OK" : "MISSED" }'
}

run_case() {  # run_case NAME DIR
    CASE_NAME=$1
    local dir=$2
    CASE_BYTES=$(manifest_get "$dir" bytes)
    CASE_FILES=$(manifest_get "$dir" files)
    local avail_kb
    avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
    if ((avail_kb > 0 && CASE_BYTES / 1024 > avail_kb * 8 / 10)); then
        log "warning: corpus ($((CASE_BYTES / 1000000)) MB) does not fit comfortably in the page cache; results will include disk I/O"
    fi
    warm "$dir"
    echo
    echo "== $CASE_NAME: $CASE_FILES files, $(awk -v b="$CASE_BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB, threads=${THREADS:-default}, best of $RUNS run(s)"
    printf '  %-8s %8s %10s %10s %12s\n' tool wall_s MB/s files/s peak_RSS_MB

    measure cat "0" find "$dir" -type f -exec cat {} +

    local pd_mbs="" pd_fps="" pd_rss="" ids_mbs="" ids_fps=""
    if ((HAVE_PDSCOUT)); then
        measure pdscout "0 1" "$PDSCOUT" scan --format jsonl --no-progress -q "${THREAD_ARGS[@]}" "$dir"
        pd_mbs=$M_MBS pd_fps=$M_FPS pd_rss=$M_RSS
        if [[ -n $pd_mbs ]] && ! sanity_check "$dir"; then
            pd_mbs="" pd_rss=""
            echo "  (pdscout figures not compared with the targets: see check above)"
        fi
        # The identifier detectors alone: the same work as the rg command
        # below (names and addresses, which rg cannot look for, left out).
        measure pd-ids "0 1" "$PDSCOUT" scan --format jsonl --no-progress -q "${THREAD_ARGS[@]}" \
            --kinds "$ID_KINDS" "$dir"
        ids_mbs=$M_MBS ids_fps=$M_FPS
    else
        printf '  %-8s skipped (no binary)\n' pdscout
    fi

    local rg_mbs="" rg_fps=""
    if ((HAVE_RG)); then
        measure rg "0 1" rg -c --no-unicode "${THREAD_ARGS[@]}" \
            -e "$RG_EMAIL" -e "$RG_IBAN" -e "$RG_NIR" -e "$RG_PHONE" -e "$RG_IPV4" "$dir"
        rg_mbs=$M_MBS rg_fps=$M_FPS
        # Every match counted, not only matching lines: closer to pdscout's work.
        measure rg-all "0 1" rg --count-matches --no-unicode "${THREAD_ARGS[@]}" \
            -e "$RG_EMAIL" -e "$RG_IBAN" -e "$RG_NIR" -e "$RG_PHONE" -e "$RG_IPV4" "$dir"
    else
        printf '  %-8s skipped (not installed)\n' rg
    fi

    ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
    if [[ -n $pd_mbs && -n $ids_mbs && -n $rg_mbs ]]; then
        verdict "pd-ids MB/s / rg MB/s (identifiers)" "$(ratio "$ids_mbs" "$rg_mbs")" ">=" 1.0
        verdict "pdscout MB/s / rg MB/s (all kinds)" "$(ratio "$pd_mbs" "$rg_mbs")" ">=" 0.5
        if [[ $CASE_NAME == small* ]]; then
            verdict "pd-ids files/s / rg files/s (identifiers)" "$(ratio "$ids_fps" "$rg_fps")" ">=" 1.0
            verdict "pdscout files/s / rg files/s (all kinds)" "$(ratio "$pd_fps" "$rg_fps")" ">=" 0.5
        fi
    fi
    if [[ -n $pd_rss ]]; then
        verdict "pdscout peak RSS (MB)" "$pd_rss" "<" 100
    fi
}

echo "pdscout benchmark  $(date -Iseconds)  $(nproc) CPUs  $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)"
if ((HAVE_PDSCOUT)); then echo "pdscout: $PDSCOUT ($("$PDSCOUT" --version 2>/dev/null | head -n 1))"; fi
if ((HAVE_RG)); then RG_VERSION=$(rg --version); echo "rg: ${RG_VERSION%%$'\n'*}"; fi

want() { [[ ,$CASES, == *,$1,* ]]; }
for c in ${CASES//,/ }; do
    case $c in mixed|small-files|dense|single|table|json|xml) ;; *) echo "run.sh: unknown case '$c'" >&2; exit 2 ;; esac
done

if want mixed; then
    MIXED_DIR=$BENCH_DIR/mixed-${SIZE_MB}mb-${FILES}f-s${SEED}-g${GEN_HASH}
    ensure_corpus "$MIXED_DIR" --size-mb "$SIZE_MB" --files "$FILES"
    run_case "mixed" "$MIXED_DIR"
fi

if ((SMALL)) && want small-files; then
    SMALL_DIR=$BENCH_DIR/small-${SMALL_FILES}x${SMALL_KB}kb-s${SEED}-g${GEN_HASH}
    ensure_corpus "$SMALL_DIR" --small-files --files "$SMALL_FILES" --file-kb "$SMALL_KB"
    run_case "small-files" "$SMALL_DIR"
fi

if want dense; then
    DENSE_DIR=$BENCH_DIR/dense-${SIZE_MB}mb-${FILES}f-s${SEED}-g${GEN_HASH}
    ensure_corpus "$DENSE_DIR" --shape dense --size-mb "$SIZE_MB" --files "$FILES"
    run_case "dense" "$DENSE_DIR"
fi

if want single; then
    SINGLE_DIR=$BENCH_DIR/single-${SINGLE_MB}mb-s${SEED}-g${GEN_HASH}
    ensure_corpus "$SINGLE_DIR" --shape dense --size-mb "$SINGLE_MB" --files 400 --single-file
    run_case "single" "$SINGLE_DIR"
fi

if want table; then
    TABLE_DIR=$BENCH_DIR/table-${TABLE_MB}mb-s${SEED}-g${GEN_HASH}
    ensure_corpus "$TABLE_DIR" --shape table --size-mb "$TABLE_MB" --files 1
    run_case "table" "$TABLE_DIR"
fi

if want json; then
    JSON_DIR=$BENCH_DIR/json-${TABLE_MB}mb-s${SEED}-g${GEN_HASH}
    ensure_corpus "$JSON_DIR" --shape json --size-mb "$TABLE_MB" --files 1
    run_case "json" "$JSON_DIR"
fi

if want xml; then
    XML_DIR=$BENCH_DIR/xml-${TABLE_MB}mb-s${SEED}-g${GEN_HASH}
    ensure_corpus "$XML_DIR" --shape xml --size-mb "$TABLE_MB" --files 1
    run_case "xml" "$XML_DIR"
fi

echo
echo "(MB = 10^6 bytes; results appended to $RESULTS; corpora kept in $BENCH_DIR)"
