#!/usr/bin/env bash
# Review-screen benchmark: `benches/screen.rs` (headless, ratatui TestBackend 120×40) on checked
# workspaces of generated records, and VisiData opening the same records as CSV, in the same
# run. Prints every run and the median of the runs.
#
#   scripts/bench_screen.sh                  # 270000 and 3600000 records
#   scripts/bench_screen.sh 270000           # one size
#
# Per size, huishen: start to first frame (Session::open + App::new + one draw, first thing in a
# fresh process), the same again in a warm process, update + render time of each of 2,000
# navigation keys (p50, p99, max, per key too), searches (the Enter, the time until the lines
# are on screen, the keys in them) and the dashboard (its key, the time until its figures are
# on screen), peak memory (VmHWM, and GNU time's maximum RSS).
# VisiData: `vd -N --motd-url "" -b -p load.vdj` (no config, no plugins, no network), where
# load.vdj is a command log that opens the CSV, waits until every row is loaded (batch mode
# loads synchronously, and replay waits for a sheet to load before its next command), prints
# the row count to prove it, and quits the sheet so that nothing is saved; GNU time gives its
# wall time and maximum RSS. A second command log that opens nothing gives VisiData's own
# start-up time, for reference.
#
# Workspaces are built once per size and kept (the 3.6 M check takes minutes): `huishen sample
# --seed 1`, `init --rules`, `import`, `check` (each timed), and a reviewer `bench`. Before the
# timed runs, one untimed run of the bench applies any newer workspace migration and brings the
# file into the OS page cache: every timed run is a fresh process reading a warm page cache (the
# cache is not dropped: that needs root and disturbs everything else on the machine).
#
# Environment: BENCH_RUNS (default 3), BENCH_DIR (default /tmp/huishen-bench-screen, kept),
# BENCH_KEYS (default 2000), BENCH_VD (default 1; 0 skips VisiData), BENCH_VENV (default
# /tmp/huishen-bench-vd: a venv where `pip install visidata` goes when vd is not there yet).
#
# Needs: GNU time (/usr/bin/time), python3 (venv, pip) and PyPI for VisiData. Builds in release.
set -euo pipefail
# The workspaces' administrator, for the scripted administrator commands (init, import, check).
export HUISHEN_ADMIN=${HUISHEN_ADMIN:-bench-admin} HUISHEN_ADMIN_PASSPHRASE=${HUISHEN_ADMIN_PASSPHRASE:-bench-admin-pass}
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-3}
work=${BENCH_DIR:-/tmp/huishen-bench-screen}
keys=${BENCH_KEYS:-2000}
venv=${BENCH_VENV:-/tmp/huishen-bench-vd}
mkdir -p "$work"
for tool in /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

cargo build --release --quiet
bin=$PWD/target/release/huishen
schema=$PWD/sample-data/shandong-2017/schema.toml
rules=$PWD/sample-data/shandong-2017/rules.toml
bench=$(cargo bench --bench screen --no-run --quiet --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "screen" and m.get("executable"):
        print(m["executable"])')
[ -x "$bench" ] || { echo "error: the screen bench did not build" >&2; exit 1; }

vd=""
if [ "${BENCH_VD:-1}" != 0 ]; then
  if [ ! -x "$venv/bin/vd" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet visidata
  fi
  vd=$venv/bin/vd
  # $csv is filled in by vd's replay (`csv=FILE` on the command line).
  cat >"$work/load.vdj" <<'EOF'
#!vd -p
{"longname": "open-file", "input": "$csv", "keystrokes": "o"}
{"longname": "exec-python", "input": "vd.warning('rows loaded: %d' % len(vd.activeSheet.rows))", "keystrokes": "g^X"}
{"longname": "quit-sheet", "keystrokes": "q"}
EOF
  cat >"$work/empty.vdj" <<'EOF'
#!vd -p
{"longname": "exec-python", "input": "vd.warning('rows loaded: 0')", "keystrokes": "g^X"}
EOF
fi

median() { python3 -c 'import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

# timed LABEL OUT command...: runs the command under GNU time ("wall user sys peak_kib" to OUT);
# stops the script with the command's error output if it fails.
timed() {
  local label=$1 out=$2; shift 2
  if ! /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" >"$work/cmd.out" 2>"$work/cmd.err"; then
    echo "error: $label failed: $*" >&2
    cat "$work/cmd.err" >&2
    exit 1
  fi
}

# workspace N: the checked workspace of N records, built if missing (printed to stdout).
workspace() {
  local n=$1
  local csv=$work/g101_1_$n.csv ws=$work/w$n.huishen
  if [ ! -s "$csv" ]; then
    timed sample "$work/t" "$bin" sample --records "$n" --seed 1 --out "$csv"
    echo "# $n: sample generated in $(cut -d' ' -f1 "$work/t") s" >&2
  fi
  if [ ! -f "$ws" ]; then
    local tmp=$work/building-$n.huishen
    rm -f "$tmp"*
    "$bin" init "$tmp" --schema "$schema" --rules "$rules" >/dev/null
    timed import "$work/t" "$bin" import "$tmp" --form G101_1 "$csv"
    echo "# $n: import $(cut -d' ' -f1 "$work/t") s wall, $(cut -d' ' -f4 "$work/t") KiB peak" >&2
    timed check "$work/t" "$bin" check "$tmp"
    echo "# $n: check $(cut -d' ' -f1 "$work/t") s wall ($(cut -d' ' -f2 "$work/t") user, $(cut -d' ' -f3 "$work/t") sys), $(cut -d' ' -f4 "$work/t") KiB peak; $(tail -1 "$work/cmd.out")" >&2
    for f in "$tmp"*; do mv "$f" "$ws${f#"$tmp"}"; done
  fi
  if ! "$bin" reviewer list "$ws" | grep -q '^bench[[:space:]]'; then
    echo "bench-passphrase" | "$bin" reviewer add "$ws" bench --role 县级审核 >/dev/null
  fi
  echo "$ws"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/{print $2}') GiB"
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
  git diff --quiet HEAD 2>/dev/null || commit="$commit with uncommitted changes"
else
  commit="not a git checkout"
fi
echo "huishen $("$bin" --version | cut -d' ' -f2) ($commit); ${vd:+VisiData $("$vd" --version | awk '{print $NF}'), }$runs runs, $keys keys"

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(270000 3600000)
for size in "${sizes[@]}"; do
  ws=$(workspace "$size")
  csv=$work/g101_1_$size.csv
  HUISHEN_BENCH_WORKSPACE=$ws HUISHEN_BENCH_KEYS=0 HUISHEN_BENCH_REOPEN=0 "$bench" >/dev/null
  : >"$work/results-$size.txt"
  for run in $(seq "$runs"); do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    timed "screen bench" "$work/t" env HUISHEN_BENCH_WORKSPACE="$ws" HUISHEN_BENCH_KEYS="$keys" "$bench"
    cp "$work/cmd.out" "$work/screen-$size-$run.txt"
    read -r wall user sys rss <"$work/t"
    echo "## $size records, huishen run $run (load average before: $load; process $wall s wall, $user s user, $sys s sys, max RSS $rss KiB)"
    grep -v -e '^RESULT' -e '^KEY' -e '^SEARCH' "$work/cmd.out"
    echo "huishen $run $rss $(grep '^RESULT' "$work/cmd.out")" >>"$work/results-$size.txt"
    grep '^SEARCH' "$work/cmd.out" | sed "s/^/huishen $run /" >>"$work/results-$size.txt"
    grep '^KEY' "$work/cmd.out" | sed "s/^/huishen $run /" >>"$work/results-$size.txt"
    if [ -n "$vd" ]; then
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      timed VisiData "$work/t" "$vd" -N --motd-url "" -b -p "$work/load.vdj" "csv=$csv"
      if ! tr '\r' '\n' <"$work/cmd.err" | grep -q "rows loaded: $size\$"; then
        echo "error: VisiData did not load $size rows:" >&2
        cat "$work/cmd.err" >&2
        exit 1
      fi
      read -r wall user sys rss <"$work/t"
      echo "## $size records, VisiData run $run (load average before: $load): loaded sheet in $wall s ($user user, $sys sys), max RSS $rss KiB"
      echo "vd $run $wall $rss" >>"$work/results-$size.txt"
      timed "VisiData start-up" "$work/t" "$vd" -N --motd-url "" -b -p "$work/empty.vdj"
      read -r wall _ _ rss <"$work/t"
      echo "vdstart $run $wall $rss" >>"$work/results-$size.txt"
    fi
  done
  python3 - "$size" "$work/results-$size.txt" <<'PY'
import statistics, sys
size, path = sys.argv[1], sys.argv[2]
hs, keys, vd, vdstart, search = [], {}, [], [], []
for line in open(path):
    p = line.split()
    if p[0] == "huishen" and p[2] == "SEARCH":  # huishen RUN SEARCH k=v...
        search.append({k: float(v) for k, v in (kv.split("=") for kv in p[3:])})
    elif p[0] == "huishen" and p[2] == "KEY":  # huishen RUN KEY name count p50 p99 max
        keys.setdefault(p[3], []).append(tuple(map(float, p[4:8])))
    elif p[0] == "huishen":  # huishen RUN RSS RESULT k=v...
        d = dict(kv.split("=") for kv in p[4:])
        d["rss_kib"] = p[2]
        hs.append({k: float(v) for k, v in d.items()})
    elif p[0] == "vd":
        vd.append((float(p[2]), float(p[3])))
    elif p[0] == "vdstart":
        vdstart.append((float(p[2]), float(p[3])))
med = statistics.median
m = {k: med([r[k] for r in hs]) for k in hs[0]}


def goal(value, limit):
    return "met" if value <= limit else f"MISSED, {value / limit:.1f}x the goal"


print(f"\n== {size} records: medians of {len(hs)} runs ({int(m['queue'])} records in the queue) ==")
print(f"first frame, fresh process  {m['first_frame_ms']:9.1f} ms (parts, each a median: open {m['open_ms']:.1f}, "
      f"App::new {m['app_new_ms']:.1f}, draw {m['draw_ms']:.1f})  goal <= 200 ms: "
      f"{goal(m['first_frame_ms'], 200)}")
print(f"first frame, warm process   {m['warm_first_frame_ms']:9.1f} ms")
print(f"keystroke update + render   p50 {m['key_p50_ms']:.2f} ms, p99 {m['key_p99_ms']:.2f} ms, "
      f"max {m['key_max_ms']:.2f} ms  goal p99 <= 16 ms: {goal(m['key_p99_ms'], 16)}")
print(f"  p99 of update / render    {m['update_p99_ms']:.2f} ms / {m['render_p99_ms']:.2f} ms")
print(f"peak memory                 VmHWM {m['hwm_kib'] / 1024:.1f} MiB, GNU time max RSS "
      f"{m['rss_kib'] / 1024:.1f} MiB  goal <= 100 MB: {goal(m['hwm_kib'] * 1024 / 1e6, 100)}")
print(f"  {'key':<10} {'count':>5} {'p50_ms':>9} {'p99_ms':>9} {'max_ms':>9}")
for k, rows in keys.items():
    print(f"  {k:<10} {int(rows[0][0]):>5} {med([r[1] for r in rows]):>9.2f} "
          f"{med([r[2] for r in rows]):>9.2f} {med([r[3] for r in rows]):>9.2f}")
if search:
    sm = {k: med([r[k] for r in search]) for k in search[0]}
    print(f"search: Enter answered in at most {sm['enter_max_ms']:.2f} ms (goal <= 100 ms: "
          f"{goal(sm['enter_max_ms'], 100)}); lines on screen after p50 {sm['shown_p50_ms']:.1f} ms, "
          f"max {sm['shown_max_ms']:.1f} ms; keys in its lines p99 {sm['move_p99_ms']:.2f} ms")
    print(f"dashboard: key answered in at most {sm['dashboard_key_max_ms']:.2f} ms (goal <= 100 ms: "
          f"{goal(sm['dashboard_key_max_ms'], 100)}); figures on screen after p50 "
          f"{sm['dashboard_ready_p50_ms']:.0f} ms, max {sm['dashboard_ready_max_ms']:.0f} ms")
if vd:
    print(f"VisiData loaded sheet       {med([v[0] for v in vd]):9.2f} s, max RSS "
          f"{med([v[1] for v in vd]) / 1024:.1f} MiB (its start-up alone: "
          f"{med([v[0] for v in vdstart]):.2f} s, {med([v[1] for v in vdstart]) / 1024:.1f} MiB)")
PY
done
