#!/usr/bin/env bash
# The benchmark of issue 10: one command that builds release, generates workspaces
# (cached under benches/data/, never committed), imports them, checks that tally's
# quarter agrees with the floor program (and DuckDB), times every step next to the floor
# and prints a markdown table for benches/README.md. See benches/README.md.
#
#   bash benches/run.sh [--sizes 1000000,10000000] [--runs 5] [--seed 1] [--no-hyperfine]
#   bash benches/run.sh --smoke      # CI: 100k rows, one run, the cross-check; no network
#
# Progress goes to stderr, the table to stdout. Any disagreement or failed step exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=1000000,10000000 runs=5 seed=1 smoke=0 use_hyperfine=1
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a list like 1000000,10000000}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --no-hyperfine) use_hyperfine=0; shift ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ]; then sizes=100000 runs=1 use_hyperfine=0; fi
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: --runs: not a positive number ($runs)" >&2; exit 2; }

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: FAILED: %s\n' "$*" >&2; exit 1; }

# Reports are pinned to a date after the data's year so that every run agrees.
export TALLY_TODAY=2026-01-15
period=2025Q3 year=2025 as_of=2025-12-31 delegate=D00002
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say "building tally and the floor (release)"
cargo build --release --locked --quiet
cargo build --release --locked --quiet --manifest-path benches/floor/Cargo.toml \
  --target-dir target/bench-floor
tally=$PWD/target/release/tally
floor=$PWD/target/bench-floor/release/floor
generate=$PWD/target/bench-floor/release/generate

have_time=0 have_hyperfine=0 have_duckdb=0
[ -x /usr/bin/time ] && have_time=1 || say "/usr/bin/time not found: wall times from bash, no peak memory"
if [ "$use_hyperfine" = 1 ] && [ "$runs" -gt 1 ]; then
  if command -v hyperfine > /dev/null; then have_hyperfine=1; else
    say "hyperfine not found (apt-get install -y hyperfine): wall times are medians of /usr/bin/time runs"
  fi
fi
if python3 -c 'import duckdb' 2> /dev/null; then have_duckdb=1; else
  say "duckdb not found (pip install duckdb): the DuckDB column is left empty"
fi

# A workspace per size and seed, regenerated when the generator changes.
workspace() {
  local rows=$1 ws=benches/data/ws-$1-s$seed stamp
  stamp="$(sha256sum benches/floor/src/bin/generate.rs | cut -c1-16) rows=$rows seed=$seed"
  if [ "$(cat "$ws/.generated" 2> /dev/null)" != "$stamp" ]; then
    say "generating $rows rows (seed $seed) in $ws"
    rm -rf "$ws"
    "$generate" "$ws" --rows "$rows" --seed "$seed"
    echo "$stamp" > "$ws/.generated"
  fi
  echo "$PWD/$ws"
}

# One run of a command: sets run_secs (wall, to the millisecond: /usr/bin/time's own
# figure has 10 ms steps) and run_kib (peak RSS from /usr/bin/time; - when unknown).
run_once() {
  local label=$1 t0 t1; shift
  local timer=()
  [ "$have_time" = 0 ] || timer=(/usr/bin/time -f '%M' -o "$tmp/time")
  t0=$(date +%s%N)
  "${timer[@]}" "$@" > "$tmp/out" 2> "$tmp/err" ||
    { cat "$tmp/err" >&2; die "$label: $* exited non-zero"; }
  t1=$(date +%s%N)
  run_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  run_kib=-
  [ "$have_time" = 0 ] || read -r run_kib < "$tmp/time"
}

# measure LABEL PREPARE CMD...: median wall seconds (secs) and the largest peak RSS in
# MiB (mib) over $runs runs, PREPARE (shell text) run before each. With hyperfine, it
# times the runs (after one warm-up) and a single /usr/bin/time run gives the peak.
measure() {
  local label=$1 prepare=$2; shift 2
  local all=() peak=0 i n=$runs
  say "timing $label ($runs run(s))"
  [ "$have_hyperfine" = 0 ] || n=1
  for ((i = 0; i < n; i++)); do
    eval "$prepare"
    run_once "$label" "$@"
    all+=("$run_secs")
    [ "$run_kib" = - ] || [ "$run_kib" -le "$peak" ] || peak=$run_kib
  done
  secs=$(printf '%s\n' "${all[@]}" | sort -g |
    awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m }')
  if [ "$have_hyperfine" = 1 ]; then
    local cmd
    cmd=$(printf '%q ' "$@")
    hyperfine --style none --warmup 1 --runs "$runs" --prepare "$prepare" \
      --export-json "$tmp/hf.json" "$cmd" > /dev/null 2>&1 || die "$label: hyperfine failed"
    secs=$(grep -o '"median": *[0-9.e+-]*' "$tmp/hf.json" | head -1 |
      awk -F: '{ printf "%.3f", $2 }')
  fi
  mib=-
  [ "$have_time" = 0 ] || mib=$(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# Tally's quarter and DuckDB's must give the floor's totals, rank and studio for every
# delegate, over exactly the generated rows.
cross_check() {
  local ws=$1 rows=$2
  "$tally" -q -w "$ws" quarter "$period" --format csv > "$tmp/tally-quarter.csv" ||
    die "tally quarter $period failed"
  local others=("$tmp/tally-quarter.csv")
  if [ "$have_duckdb" = 1 ]; then
    python3 benches/duckdb_quarter.py "$ws" "$period" > "$tmp/duckdb-quarter.csv" ||
      die "duckdb_quarter.py failed"
    others+=("$tmp/duckdb-quarter.csv")
  fi
  local args=() o
  for o in "${others[@]}"; do args+=(--check "$o"); done
  "$floor" "$ws" "$period" --expect-rows "$rows" "${args[@]}" >&2 ||
    die "cross-check of quarter $period at $rows rows (see above)"
}

table=()
row() { table+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }

started=$(date -u '+%Y-%m-%d %H:%M UTC')
load=$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo '?')
IFS=, read -r -a size_list <<< "$sizes"
for rows in "${size_list[@]}"; do
  [[ $rows =~ ^[1-9][0-9]*$ ]] || die "--sizes: not a row count ($rows)"
  ws=$(workspace "$rows")
  q=(-q -w "$ws")
  inbox=("$ws"/inbox/*.csv)
  fresh="rm -rf '$ws/data/ledger'"
  refill="rm -rf '$ws/data/ledger' && cp -r '$ws/ledger.full' '$ws/data/ledger'"

  measure "import $rows rows into an empty ledger" "$fresh" "$tally" "${q[@]}" import "${inbox[@]}"
  imp_s=$secs imp_m=$mib
  rm -rf "$ws/ledger.full" && cp -r "$ws/data/ledger" "$ws/ledger.full"
  cross_check "$ws" "$rows"

  measure "floor $period" : "$floor" "$ws" "$period"
  floor_s=$secs floor_m=$mib
  duck_s='' duck_m=''
  if [ "$have_duckdb" = 1 ]; then
    measure "duckdb $period" : python3 benches/duckdb_quarter.py "$ws" "$period"
    duck_s=$secs duck_m=$mib
  fi
  measure "quarter $period" : "$tally" "${q[@]}" quarter "$period" --format csv
  quarter_s=$secs

  table+=("" "**$rows rows**, 2,000 delegates in 60 studios; floor peak $floor_m MiB${duck_m:+, DuckDB peak $duck_m MiB}" "")
  table+=("| step | tally s | peak MiB | floor s | ratio | duckdb s |" "|---|---:|---:|---:|---:|---:|")
  row "import into an empty ledger" "$imp_s" "$imp_m" "$floor_s" "$(ratio "$imp_s" "$floor_s")" ""
  row "quarter $period --format csv" "$quarter_s" "$mib" "$floor_s" "$(ratio "$quarter_s" "$floor_s")" "$duck_s"
  [ "$smoke" = 1 ] && continue

  measure "annual" : "$tally" "${q[@]}" annual "$year" --format csv
  row "annual $year --format csv" "$secs" "$mib" "$floor_s" "$(ratio "$secs" "$floor_s")" ""
  measure "explain" : "$tally" "${q[@]}" explain "$delegate" "$year" --format json
  row "explain $delegate $year --format json" "$secs" "$mib" "$floor_s" "$(ratio "$secs" "$floor_s")" ""
  measure "obligations" : "$tally" "${q[@]}" obligations --as-of "$as_of" --format csv
  row "obligations --as-of $as_of" "$secs" "$mib" "$floor_s" "$(ratio "$secs" "$floor_s")" ""
  measure "petitions" : "$tally" "${q[@]}" petitions --as-of "$as_of" --by department --format csv
  row "petitions --by department" "$secs" "$mib" "$floor_s" "$(ratio "$secs" "$floor_s")" ""
  measure "check" : "$tally" "${q[@]}" check
  row "check" "$secs" "$mib" "$floor_s" "$(ratio "$secs" "$floor_s")" ""
  measure "import 100k more rows into the $rows-row ledger" "$refill" \
    "$tally" "${q[@]}" import "$ws"/extra/*.csv
  row "import 100k more into the $rows-row ledger" "$secs" "$mib" "$floor_s" "$(ratio "$secs" "$floor_s")" ""
  # Leave the workspace as generated plus imported, for looking into by hand.
  eval "$refill"
done

cpu=$(grep -m1 'model name' /proc/cpuinfo 2> /dev/null | cut -d: -f2- | sed 's/^ *//')
tools="/usr/bin/time"
[ "$have_time" = 1 ] || tools="bash timing (no /usr/bin/time)"
[ "$have_hyperfine" = 0 ] || tools="hyperfine $(hyperfine --version | cut -d' ' -f2) (wall), /usr/bin/time (peak)"
[ "$have_duckdb" = 0 ] || tools="$tools; DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)')"
how="--sizes $sizes --runs $runs"
[ "$smoke" = 0 ] || how=--smoke
echo "Measured $started by \`bash benches/run.sh $how\`"
echo "on $(nproc) cores, ${cpu:-unknown CPU}, $(rustc --version | cut -d' ' -f1-2); load average at start $load."
echo "Seconds are medians of $runs run(s) ($tools); peak MiB is the largest peak RSS;"
echo "ratio = tally s / floor s. All figures with TALLY_TODAY=$TALLY_TODAY, seed $seed."
printf '%s\n' "${table[@]}"
if [ "$smoke" = 1 ]; then say "smoke passed: tally quarter agrees with the floor"; fi
