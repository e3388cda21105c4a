#!/usr/bin/env bash
# Import benchmark: huishen `init` + `import` of a generated file against the sqlite3 CLI's
# `.import` of the same file into an equivalent typed table (same columns, same types, the key as
# PRIMARY KEY), in the same run. Prints wall time and peak memory of each.
#
#   scripts/bench_import.sh 270000 3600000
#
# Needs: sqlite3, /usr/bin/time, python3 (for the table definition). Builds huishen in release.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/huishen
schema=sample-data/shandong-2017/schema.toml
work=$(mktemp -d "${TMPDIR:-/tmp}/huishen-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

ddl=$(python3 - "$schema" <<'PY'
import sys, tomllib
form = tomllib.load(open(sys.argv[1], "rb"))["form"][0]
types = {"text": "TEXT", "code": "TEXT", "integer": "INTEGER", "bool": "INTEGER", "real": "REAL"}
cols = []
for f in form["field"]:
    col = f'"{f["name"]}" {types[f["type"]]}'
    if f["name"] == form["key"]:
        col += " NOT NULL PRIMARY KEY"
    cols.append(col)
print(f'CREATE TABLE "{form["name"]}" ({", ".join(cols)});')
PY
)

measure() { # label, command...; prints "label seconds peak_kib"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  printf '%s %s\n' "$label" "$(cat "$work/time")"
}

printf '%-10s %-8s %10s %10s %8s %12s %12s\n' records tool wall_s peak_MiB ratio rows_per_s file_MiB
for n in "${@:-270000}"; do
  csv="$work/g101_1_$n.csv"
  "$bin" sample --records "$n" --seed 1 --out "$csv" 2>/dev/null
  size=$(( $(stat -c %s "$csv") / 1048576 ))
  for run in 1 2 3; do
    rm -f "$work"/ws.huishen* "$work"/ref.db*
    read -r _ hs_s hs_k < <(measure huishen sh -c "'$bin' init '$work/ws.huishen' --schema '$schema' && '$bin' import '$work/ws.huishen' --form G101_1 '$csv'")
    read -r _ sq_s sq_k < <(measure sqlite3 sqlite3 "$work/ref.db" "$ddl" ".import --csv --skip 1 '$csv' G101_1")
    hs_rows=$(sqlite3 "$work/ws.huishen" 'SELECT count(*) FROM G101_1')
    sq_rows=$(sqlite3 "$work/ref.db" 'SELECT count(*) FROM G101_1')
    [ "$hs_rows" = "$n" ] && [ "$sq_rows" = "$n" ] || { echo "row counts differ: huishen $hs_rows, sqlite3 $sq_rows, expected $n"; exit 1; }
    ratio=$(python3 -c "print(f'{$hs_s/$sq_s:.2f}')")
    printf '%-10s %-8s %10s %10s %8s %12s %12s\n' "$n" huishen "$hs_s" "$((hs_k / 1024))" "$ratio" "$(python3 -c "print(int($n/$hs_s))")" "$size"
    printf '%-10s %-8s %10s %10s %8s %12s %12s\n' "$n" sqlite3 "$sq_s" "$((sq_k / 1024))" 1.00 "$(python3 -c "print(int($n/$sq_s))")" "$size"
  done
done
