#!/usr/bin/env bash
# Joint-session benchmark: 8 scripted reviewers (examples/review_worker.rs), each its own
# process, editing one workspace at once for a while. Prints actions per second over all
# reviewers, p50/p99/max action latency, refusals (claims, versions, policy: expected) and
# errors (lock errors and the like: there must be none).
#
#   scripts/bench_sessions.sh [RECORDS] [SECONDS] [REVIEWERS] [PAUSE_MS] [SPLIT] [CHECK]
#                                                  (default 270000 30 8 0 split none)
#
# With PAUSE_MS 0 every reviewer acts as fast as it can: the workspace is saturated and the
# figures say how much work it can take. With a pause, each reviewer waits a random 0 to
# 2 x PAUSE_MS between actions, as people at keyboards do. With SPLIT `split` each reviewer
# is assigned prefectures (`huishen assign`) and works their own queue, as a session leader
# splits the work; with `none` all work the same queue, and meet on the same records. With
# CHECK `check` the rule leader runs `huishen check` over the whole workspace again and again
# while the reviewers work; the script prints how many checks ran and how long each took.
# CHECK_ARGS (e.g. "--rule R27") narrows those checks, CHECK_NICE runs them at that niceness.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-270000}
seconds=${2:-30}
reviewers=${3:-8}
pause=${4:-0}
split=${5:-split}
check=${6:-none}
cargo build --release --quiet --bin huishen --example review_worker
# The workspace's administrator, for the scripted administrator commands below.
export HUISHEN_ADMIN=${HUISHEN_ADMIN:-bench-admin} HUISHEN_ADMIN_PASSPHRASE=${HUISHEN_ADMIN_PASSPHRASE:-bench-admin-pass}
bin=target/release/huishen
worker=target/release/examples/review_worker
work=${BENCH_DIR:-/tmp/huishen-bench-sessions}
mkdir -p "$work"
ws="$work/ws-$records.huishen"
if [ ! -f "$ws" ]; then
  "$bin" sample --records "$records" --seed 1 --out "$work/g.csv" 2>/dev/null
  "$bin" init "$ws" --schema sample-data/shandong-2017/schema.toml --rules sample-data/shandong-2017/rules.toml >/dev/null
  "$bin" import "$ws" --form G101_1 "$work/g.csv" >/dev/null
  "$bin" check "$ws" >/dev/null
fi
# Reviewers r1..rN (a workspace made for fewer gets the missing ones).
roles=(县级审核 市级审核 省级审核 统计部门)
for i in $(seq 1 "$reviewers"); do
  echo "bench-pass-$i" | "$bin" reviewer add "$ws" "r$i" --role "${roles[$((i % 4))]}" >/dev/null 2>&1 || true
done
cp "$ws" "$work/run.huishen"
if [ "$split" = split ]; then
  prefectures=(3701 3702 3703 3704 3705 3706 3707 3708 3709 3710 3711 3713 3714 3715 3716 3717)
  for i in $(seq 1 "$reviewers"); do
    args=()
    for j in $(seq $((i - 1)) "$reviewers" $((${#prefectures[@]} - 1))); do
      args+=(--region "${prefectures[$j]}")
    done
    "$bin" assign "$work/run.huishen" --reviewer "r$i" "${args[@]}" >/dev/null
  done
fi
pids=()
for i in $(seq 1 "$reviewers"); do
  echo "bench-pass-$i" | "$worker" "$work/run.huishen" "r$i" "$i" "$((seconds * 1000))" "$pause" > "$work/out-$i.json" &
  pids+=($!)
done
if [ "$check" = check ]; then
  (
    end=$(( $(date +%s) + seconds ))
    while [ "$(date +%s)" -lt "$end" ]; do
      start=$(date +%s.%N)
      ${CHECK_NICE:+nice -n "$CHECK_NICE"} "$bin" check "$work/run.huishen" ${CHECK_ARGS:-} >/dev/null
      echo "$(date +%s.%N) $start" | awk '{ printf "%.2f\n", $1 - $2 }'
    done
  ) > "$work/checks.txt" &
  checker=$!
fi
for p in "${pids[@]}"; do wait "$p"; done
if [ "$check" = check ]; then
  wait "$checker"
  echo "full checks during the run: $(wc -l < "$work/checks.txt"), seconds each: $(paste -sd' ' "$work/checks.txt")"
fi
python3 - "$work" "$reviewers" "$seconds" "$pause" "$split" <<'PY'
import json, sys
work, n, secs, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
lat, done, refused, errors, slow, fresh = [], {}, 0, [], [], []
for i in range(1, n + 1):
    s = json.load(open(f"{work}/out-{i}.json"))
    lat += s["latencies_us"]
    fresh += s.get("refreshes_us", [])
    refused += s["refused"]
    errors += s["errors"]
    slow += s["slowest"]
    for k, v in s["done"].items():
        done[k] = done.get(k, 0) + v
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] / 1000 if lat else 0
total = sum(done.values())
print(f"reviewers {n}  pause {pause} ms  split {sys.argv[5]}  seconds {secs:g}  actions {total}  actions/s {total / secs:.1f}  refused {refused}  errors {len(errors)}")
print(f"latency ms  p50 {q(0.50):.1f}  p99 {q(0.99):.1f}  max {q(1.0):.1f}")
print("by kind:", json.dumps(done, ensure_ascii=False))
if fresh:
    fresh.sort()
    f = lambda p: fresh[min(len(fresh) - 1, int(p * len(fresh)))] / 1000
    print(f"scores left due, refreshed after the action ({len(fresh)}): ms  p50 {f(0.50):.1f}  p99 {f(0.99):.1f}  max {f(1.0):.1f}")
slow.sort(reverse=True)
print("slowest:", ", ".join(f"{us / 1000:.0f} ms {what}" for us, what in slow[:8]))
for e in errors[:5]:
    print("error:", e)
PY
"$bin" verify "$work/run.huishen"
