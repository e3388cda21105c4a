#!/usr/bin/env bash
# Office interchange benchmark: the corrected data out and back in as an Excel workbook and as
# CSV, at census sizes, with a reference in the same run: the sqlite3 CLI writing the same
# table as CSV (`.mode csv`, `.once`) and, for the workbook, openpyxl's streaming writer
# (`write_only`, the usual way to write a large .xlsx from a script) when it is installed.
# Prints every run and the median of the runs: wall time, peak resident memory, rows/s.
#
#   scripts/bench_office.sh 270000
#
# Environment: BENCH_RUNS (default 3), BENCH_DIR (default a new temporary folder, removed at
# the end; given, it is kept and a workspace already there is reused).
#
# Needs: sqlite3, GNU time (/usr/bin/time), python3; openpyxl for the workbook reference.
set -euo pipefail
export HUISHEN_ADMIN=${HUISHEN_ADMIN:-bench-admin} HUISHEN_ADMIN_PASSPHRASE=${HUISHEN_ADMIN_PASSPHRASE:-bench-admin-pass}
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/huishen
schema=$PWD/sample-data/shandong-2017/schema.toml
runs=${BENCH_RUNS:-3}
if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/huishen-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
for tool in sqlite3 /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done
openpyxl=$(python3 -c 'import openpyxl; print(openpyxl.__version__)' 2>/dev/null || true)

# Runs "$@" under GNU time; prints "wall_s peak_kib".
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/time"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for records in "$@"; do
  ws=$work/office-$records.huishen
  if [ ! -f "$ws" ]; then
    "$bin" sample --records "$records" --seed 1 --out "$work/g101_1-$records.csv" 2>/dev/null
    echo "$HUISHEN_ADMIN_PASSPHRASE" | "$bin" init "$ws" --schema "$schema" >/dev/null
    "$bin" import "$ws" "$work/g101_1-$records.csv" --form G101_1 >/dev/null
  fi
  echo "== $records records"
  declare -A times=()
  for run in $(seq "$runs"); do
    rm -f "$work"/out.*
    read -r t m < <(measure "$bin" export "$ws" --what data --out "$work/out.csv")
    times[csv]+="$t "; echo "run $run  huishen export CSV        ${t} s  ${m} KiB"
    read -r t m < <(measure sqlite3 "$ws" -cmd '.headers on' -cmd '.mode csv' -cmd ".once $work/out.sqlite3.csv" 'SELECT * FROM G101_1')
    times[sqlite3]+="$t "; echo "run $run  sqlite3 .mode csv          ${t} s  ${m} KiB"
    read -r t m < <(measure "$bin" export "$ws" --what data --format xlsx --out "$work/out.xlsx")
    times[xlsx]+="$t "; echo "run $run  huishen export xlsx       ${t} s  ${m} KiB"
    if [ -n "$openpyxl" ]; then
      read -r t m < <(measure python3 - "$work/out.csv" "$work/out.openpyxl.xlsx" <<'PY'
import csv, sys, openpyxl
book = openpyxl.Workbook(write_only=True)
sheet = book.create_sheet("G101_1")
with open(sys.argv[1], encoding="utf-8-sig") as f:
    for row in csv.reader(f):
        sheet.append(row)
book.save(sys.argv[2])
PY
      )
      times[openpyxl]+="$t "; echo "run $run  openpyxl write_only       ${t} s  ${m} KiB"
    fi
    rm -f "$work/back.huishen"*
    echo "$HUISHEN_ADMIN_PASSPHRASE" | "$bin" init "$work/back.huishen" --schema "$schema" >/dev/null
    read -r t m < <(measure "$bin" import "$work/back.huishen" "$work/out.xlsx" --form G101_1)
    times[import_xlsx]+="$t "; echo "run $run  huishen import xlsx       ${t} s  ${m} KiB"
    rm -f "$work/back.huishen"*
    echo "$HUISHEN_ADMIN_PASSPHRASE" | "$bin" init "$work/back.huishen" --schema "$schema" >/dev/null
    read -r t m < <(measure "$bin" import "$work/back.huishen" "$work/out.csv" --form G101_1)
    times[import_csv]+="$t "; echo "run $run  huishen import CSV        ${t} s  ${m} KiB"
  done
  echo "-- medians of $runs runs, $records records (openpyxl ${openpyxl:-not installed})"
  for k in csv sqlite3 xlsx openpyxl import_xlsx import_csv; do
    [ -n "${times[$k]:-}" ] || continue
    med=$(tr ' ' '\n' <<<"${times[$k]}" | grep . | median)
    rate=$(awk -v n="$records" -v t="$med" 'BEGIN { printf "%d", n / t }')
    printf '%-12s %8s s  %9s rows/s\n' "$k" "$med" "$rate"
  done
  unset times
done
