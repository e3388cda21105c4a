#!/usr/bin/env bash
# Import benchmark: `huishen import` of a generated file against the sqlite3 CLI's `.import` of
# the same file into an equivalent typed table (same columns, same types, the key as
# PRIMARY KEY), in the same run, alternating the two tools. Prints every run and the median of
# the runs: wall time, user and system CPU time, peak resident memory, rows per second.
#
#   scripts/bench_import.sh 270000 3600000
#
# The workspace is made with `huishen init` before the clock starts (it takes a few tens of
# milliseconds: the reference tables); the sqlite3 side's clock includes its CREATE TABLE.
# The CSV is generated once per size (`huishen sample --seed 1`), so both tools read it from
# the page cache.
#
# Environment: BENCH_RUNS (default 3), BENCH_DIR (default a new temporary folder, removed at
# the end; given, it is kept, and a CSV already there is reused).
#
# Needs: sqlite3, GNU time (/usr/bin/time), python3 >= 3.11 (tomllib). Builds huishen in release.
set -euo pipefail
# The workspaces' administrator, for the scripted administrator commands (init, import, check).
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

# measure OUT command...: runs the command under GNU time; writes "wall user sys peak_kib" to
# OUT. Stops the whole script, with the command's error output, if the command fails.
measure() {
  local out=$1; shift
  if ! /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" >/dev/null 2>"$work/err"; then
    echo "error: failed: $*" >&2
    cat "$work/err" >&2
    exit 1
  fi
}

row() { # records tool wall user sys peak_kib file_mib db_mib
  python3 -c '
import sys
n, tool, wall, user, sys_, kib, size, db = sys.argv[1:]
n, wall = int(n), float(wall)
print(f"{n:<9} {tool:<14} {wall:>8.2f} {float(user):>7.2f} {float(sys_):>7.2f} "
      f"{int(kib)/1024:>9.1f} {int(n/wall):>10} {size:>9} {db:>7}")' "$@"
}

median() { python3 -c 'import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sqlite3 CLI $(sqlite3 --version | cut -d' ' -f1); huishen $("$bin" --version | cut -d' ' -f2); $runs runs"
printf '%-9s %-14s %8s %7s %7s %9s %10s %9s %7s\n' \
  records tool wall_s user_s sys_s peak_MiB rows_per_s csv_MiB db_MiB
for n in "${@:-270000}"; do
  csv="$work/g101_1_$n.csv"
  if [ ! -s "$csv" ]; then
    measure "$work/gen.time" "$bin" sample --records "$n" --seed 1 --out "$csv"
    echo "# generated $n records in $(cut -d' ' -f1 "$work/gen.time") s" >&2
  fi
  size=$(( $(stat -L -c %s "$csv") / 1048576 ))
  declare -a hs_wall=() sq_wall=() hs_line=() sq_line=()
  for run in $(seq "$runs"); do
    rm -f "$work"/ws.huishen* "$work"/ref.db*
    "$bin" init "$work/ws.huishen" --schema "$schema" >/dev/null
    measure "$work/hs.time" "$bin" import "$work/ws.huishen" --form G101_1 "$csv"
    measure "$work/sq.time" sqlite3 "$work/ref.db" "$ddl" ".import --csv --skip 1 '$csv' G101_1"
    hs_rows=$(sqlite3 "$work/ws.huishen" 'SELECT count(*) FROM G101_1')
    sq_rows=$(sqlite3 "$work/ref.db" 'SELECT count(*) FROM G101_1')
    if [ "$hs_rows" != "$n" ] || [ "$sq_rows" != "$n" ]; then
      echo "error: row counts differ: huishen $hs_rows, sqlite3 $sq_rows, expected $n" >&2
      exit 1
    fi
    sqlite3 "$work/ws.huishen" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
    hs_db=$(( $(stat -c %s "$work/ws.huishen") / 1048576 ))
    sq_db=$(( $(stat -c %s "$work/ref.db") / 1048576 ))
    read -r w u s k < "$work/hs.time"
    row "$n" "huishen#$run" "$w" "$u" "$s" "$k" "$size" "$hs_db"
    hs_wall+=("$w"); hs_line+=("$w $u $s $k")
    read -r w u s k < "$work/sq.time"
    row "$n" "sqlite3#$run" "$w" "$u" "$s" "$k" "$size" "$sq_db"
    sq_wall+=("$w"); sq_line+=("$w $u $s $k")
  done
  for tool in huishen sqlite3; do
    if [ "$tool" = huishen ]; then lines=("${hs_line[@]}"); db=$hs_db; else lines=("${sq_line[@]}"); db=$sq_db; fi
    cols=()
    for c in 1 2 3 4; do
      cols+=("$(median $(printf '%s\n' "${lines[@]}" | cut -d' ' -f"$c"))")
    done
    row "$n" "$tool:median" "${cols[0]}" "${cols[1]}" "${cols[2]}" "${cols[3]%.*}" "$size" "$db"
  done
  python3 -c 'import sys, statistics as s
med = lambda i: s.median(map(float, sys.argv[i].split()))
cpu = lambda i: s.median(float(u) + float(y) for _, u, y, _ in (l.split() for l in sys.argv[i].split(",")))
h, q = med(2), med(3)
print(f"{sys.argv[1]:<9} wall ratio huishen/sqlite3 (medians) = {h/q:.2f}  (goal <= 0.70)")
print(f"{sys.argv[1]:<9} CPU (user+sys) ratio = {cpu(4)/cpu(5):.2f}  (huishen reads on a second thread; "
      f"under load the wall ratio is the one that counts but the CPU ratio moves less)")' \
    "$n" "${hs_wall[*]}" "${sq_wall[*]}" "$(IFS=,; echo "${hs_line[*]}")" "$(IFS=,; echo "${sq_line[*]}")"
  echo "$n load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
done
