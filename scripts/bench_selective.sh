#!/usr/bin/env bash
# Selective review benchmark: a full `huishen check` of RECORDS sample records with the census
# rules (sample-data/shandong-2017/rules.toml) with their score S1, its peers totals and the
# fixes F01 and F02, against the same file without those sections (interleaved, RUNS each,
# median reported); then a bulk
# explanation of every record whose worst open flag is a warning (`huishen bulk --explain
# --commit`) and its undo, `huishen locate` over every record with an open flag, and one
# record's localisation: each record with an open flag located on its own through a review
# session (examples/locate_each.rs), p50, p99 and max.
#
#   scripts/bench_selective.sh [RECORDS]          (default 270000)
#
# Environment: RUNS (default 3), BENCH_DIR (default /tmp/huishen-bench-selective).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-270000}
runs=${RUNS:-3}
cargo build --release --quiet --bin huishen --example locate_each
export HUISHEN_ADMIN=${HUISHEN_ADMIN:-bench-admin} HUISHEN_ADMIN_PASSPHRASE=${HUISHEN_ADMIN_PASSPHRASE:-bench-admin-pass}
bin=$PWD/target/release/huishen
work=${BENCH_DIR:-/tmp/huishen-bench-selective}
mkdir -p "$work"
# The census rules without their selective sections (everything from the selective heading on).
sed '/^# Selective review (选择性审核)/,$d' sample-data/shandong-2017/rules.toml > "$work/plain.toml"
cp sample-data/shandong-2017/rules.toml "$work/selective.toml"
[ -f "$work/g-$records.csv" ] || "$bin" sample --records "$records" --seed 1 --out "$work/g-$records.csv" 2>/dev/null
for kind in plain selective; do
  ws="$work/$kind-$records.huishen"
  rules="$work/$kind.toml"
  if [ -f "$ws" ]; then
    # A workspace of an earlier run checks the rules as they are now: a changed file is loaded
    # (a new rule set) and checked once before the timed checks.
    loaded=$("$bin" rules load "$ws" "$rules")
    case "$loaded" in
      *"nothing changed"*) ;;
      *) "$bin" check "$ws" >/dev/null ;;
    esac
    continue
  fi
  "$bin" init "$ws" --schema sample-data/shandong-2017/schema.toml --rules "$rules" >/dev/null
  "$bin" import "$ws" --form G101_1 "$work/g-$records.csv" >/dev/null
  "$bin" check "$ws" >/dev/null
done
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/plain.t"; : > "$work/selective.t"
for _ in $(seq "$runs"); do
  for kind in plain selective; do
    seconds "$bin" check "$work/$kind-$records.huishen" >> "$work/$kind.t"
  done
done
p=$(median < "$work/plain.t"); q=$(median < "$work/selective.t")
echo "check, $records records: census rules $p s, with score and fix $q s (median of $runs, interleaved); ratio $(echo "scale=3; $q / $p" | bc)"
ws="$work/selective-$records.huishen"
t0=$(date +%s.%N)
located=$("$bin" locate "$ws" | grep -vc '^left out')
t1=$(date +%s.%N)
echo "locate: every record with an open flag localised ($located lines) in $(echo "$t1 - $t0" | bc) s"
echo "bench-reviewer-pass" | "$bin" reviewer add "$ws" r1 --role 省级审核 >/dev/null 2>&1 || true
# One record's localisation, as the review screen asks for the record it shows.
each=$(echo "bench-reviewer-pass" | target/release/examples/locate_each "$ws" r1)
echo "one record's localisation (each record with an open flag on its own): $each"
t0=$(date +%s.%N)
out=$(echo "bench-reviewer-pass" | "$bin" bulk "$ws" --reviewer r1 --severity warning --explain "benchmark" --commit)
t1=$(date +%s.%N)
echo "$out" | tail -1 | cut -c1-120
batch=$(echo "$out" | tail -1 | sed -n 's/.* as batch \([0-9a-f]*\);.*/\1/p')
echo "bulk explanation (warnings of every record whose worst flag is a warning): $(echo "$t1 - $t0" | bc) s"
t0=$(date +%s.%N)
echo "bench-reviewer-pass" | "$bin" bulk "$ws" --reviewer r1 --undo "$batch" | head -1
t1=$(date +%s.%N)
echo "its undo: $(echo "$t1 - $t0" | bc) s"
