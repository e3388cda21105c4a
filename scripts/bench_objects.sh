#!/usr/bin/env bash
# Census objects benchmark: for each size, the Shandong sample of that many census objects
# (G101_1) with their boilers (G103_1) and wastewater outlets (G102), imported form by form,
# then a full `huishen check` of the census rules over the three forms (median of RUNS),
# with the time per row, to show whether the check's cost grows with the rows.
#
#   scripts/bench_objects.sh [OBJECTS...]          (default 135000 270000 540000)
#
# Environment: RUNS (default 3), BENCH_DIR (default /tmp/huishen-bench-objects).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(135000 270000 540000)
runs=${RUNS:-3}
cargo build --release --quiet --bin huishen
export HUISHEN_ADMIN=${HUISHEN_ADMIN:-bench-admin} HUISHEN_ADMIN_PASSPHRASE=${HUISHEN_ADMIN_PASSPHRASE:-bench-admin-pass}
bin=$PWD/target/release/huishen
work=${BENCH_DIR:-/tmp/huishen-bench-objects}
mkdir -p "$work"
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
lines() { echo $(( $(wc -l < "$1") - 1 )); }
for n in "${sizes[@]}"; do
  dir="$work/$n"
  mkdir -p "$dir"
  [ -f "$dir/g.csv" ] || "$bin" sample --records "$n" --seed 1 --out "$dir/g.csv" 2>/dev/null
  ws="$dir/w.huishen"
  rm -f "$ws" "$ws-wal" "$ws-shm"
  "$bin" init "$ws" --schema sample-data/shandong-2017/schema.toml \
    --rules sample-data/shandong-2017/rules.toml >/dev/null
  ti=$(seconds "$bin" import "$ws" --form G101_1 "$dir/g.csv")
  tb=$(seconds "$bin" import "$ws" --form G103_1 "$dir/g103_1.csv")
  to=$(seconds "$bin" import "$ws" --form G102 "$dir/g102.csv")
  rows=$(( $(lines "$dir/g.csv") + $(lines "$dir/g103_1.csv") + $(lines "$dir/g102.csv") ))
  first=$("$bin" check "$ws" | tail -1)
  : > "$dir/check.t"
  for _ in $(seq "$runs"); do seconds "$bin" check "$ws" >> "$dir/check.t"; done
  c=$(median < "$dir/check.t")
  printf '%s objects, %s rows: import G101_1 %s s, G103_1 %s s, G102 %s s; check %s s (median of %s), %s µs per row\n  first check: %s\n' \
    "$n" "$rows" "$ti" "$tb" "$to" "$c" "$runs" "$(echo "scale=2; $c * 1000000 / $rows" | bc)" "$first"
done
