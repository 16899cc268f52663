#!/usr/bin/env bash
# Measures import and quarter at several sizes with public tools: wall time and peak memory
# from /usr/bin/time -v, and hyperfine when installed. Usage: benches/run.sh [DELEGATES RECORDS]...
# Default sizes show memory growing with delegates, not records.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=$PWD/target/release/tally
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(300 100000 300 1000000 3000 1000000)
export TALLY_TODAY=2026-01-15
printf '%-10s %-10s %-8s %10s %12s\n' delegates records step seconds max_rss_kb
for ((i = 0; i < ${#sizes[@]}; i += 2)); do
  d=${sizes[i]} r=${sizes[i+1]}
  ws=benches/data/ws-$d-$r
  [ -d "$ws" ] || python3 benches/generate.py "$ws" "$d" "$r"
  rm -rf "$ws/data/ledger"
  for step in import quarter; do
    case $step in
      import) args=(import "$ws"/inbox/*.csv) ;;
      quarter) args=(quarter 2025Q4 --format csv) ;;
    esac
    /usr/bin/time -f '%e %M' -o /tmp/tally-bench-time "$bin" -q -w "$ws" "${args[@]}" > /dev/null
    read -r secs rss < /tmp/tally-bench-time
    printf '%-10s %-10s %-8s %10s %12s\n' "$d" "$r" "$step" "$secs" "$rss"
  done
  if command -v hyperfine > /dev/null; then
    hyperfine --warmup 1 --runs 5 "$bin -q -w $ws quarter 2025Q4 --format csv"
  fi
done
