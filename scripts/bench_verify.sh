#!/usr/bin/env bash
# verify benchmark: `huishen verify` of a workspace of RECORDS records whose trail holds about
# EVENTS events (one import, the rules, a check, and EVENTS corrections applied as one batch by
# a reviewer), against the sqlite3 CLI's `PRAGMA quick_check` of the same file (the page check
# verify starts with) as the reference, in the same script. Each is run RUNS times; the
# workspace is built once (not timed) and kept in BENCH_DIR.
#
#   scripts/bench_verify.sh [RECORDS] [EVENTS]          (default 270000 100000)
#
# Environment: RUNS (default 3), BENCH_DIR (default /tmp/huishen-bench-verify).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-270000}
events=${2:-100000}
runs=${RUNS:-3}
cargo build --release --quiet --bin huishen
# The workspace's administrator, for the scripted administrator commands below.
export HUISHEN_ADMIN=${HUISHEN_ADMIN:-bench-admin} HUISHEN_ADMIN_PASSPHRASE=${HUISHEN_ADMIN_PASSPHRASE:-bench-admin-pass}
bin=target/release/huishen
work=${BENCH_DIR:-/tmp/huishen-bench-verify}
mkdir -p "$work"
ws="$work/ws-$records-$events.huishen"
if [ ! -f "$ws" ]; then
  "$bin" sample --records "$records" --seed 1 --out "$work/g.csv" 2>/dev/null
  "$bin" init "$ws" --schema sample-data/shandong-2017/schema.toml \
    --rules sample-data/shandong-2017/rules.toml >/dev/null
  "$bin" import "$ws" --form G101_1 "$work/g.csv" >/dev/null
  "$bin" check "$ws" >/dev/null
  echo "bench-reviewer-pass" | "$bin" reviewer add "$ws" r1 --role 省级审核 >/dev/null
  # EVENTS corrections of distinct records' unit names, as one batch.
  python3 - "$work/g.csv" "$work/fixes.csv" "$events" <<'EOF'
import csv, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, encoding="utf-8-sig", newline="") as f, open(out, "w", encoding="utf-8", newline="") as o:
    rows = csv.reader(f)
    next(rows)
    w = csv.writer(o)
    w.writerow(["key", "field", "value", "reason"])
    for i, row in enumerate(rows):
        if i >= n:
            break
        w.writerow([row[0], "unit_name", row[2] + "（核）", "名称核实"])
EOF
  echo "bench-reviewer-pass" | "$bin" apply "$ws" "$work/fixes.csv" --reviewer r1 --commit >/dev/null
fi
n=$(sqlite3 "$ws" 'SELECT count(*) FROM events')
size=$(du -m "$ws" | cut -f1)
echo "workspace: $records records, $n events, $size MB ($ws)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
timed() {
  local what=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$what $(echo "$t1 - $t0" | bc)"
}
for i in $(seq 1 "$runs"); do
  timed "huishen verify" "$bin" verify "$ws"
  timed "sqlite3 quick_check" sqlite3 "$ws" 'PRAGMA quick_check'
done
