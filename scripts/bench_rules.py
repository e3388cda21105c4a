#!/usr/bin/env python3
"""Rules benchmark: `huishen check` against the sqlite3 CLI running the same statements.

    scripts/bench_rules.py 270000 3600000            # 3 runs each, medians
    scripts/bench_rules.py --runs 1 --dir /tmp/b 270000
    scripts/bench_rules.py --build-only --dir /tmp/b 270000 3600000   # workspaces for benches/recheck.rs

For each size: generate the records (`huishen sample --seed 1`), make a workspace with the
Shandong schema and rules and import them (not timed), then per run:

* huishen: copy the imported workspace and run `huishen check` on the copy (a first check:
  every flag is new). Its standard error is a pseudo-terminal, so huishen prints its progress
  line ("checking R07 (7/37)") before each rule; the script timestamps those lines, which gives
  the time of every rule from one run without changing huishen. What happens before the first
  rule (open, read the rules, recompute the peers table) is "open + peers"; to separate the
  last rule from what check does after the rules (resolve flags of retired rules, rebuild the
  review queue, commit), the rule file gets one extra rule at the end, ZZZ_END, whose check is
  the constant 1 (SQLite skips the scan: it costs nothing and never flags); its interval is
  reported as "after the rules".
* sqlite3 CLI: on that checked copy (so `peers_so2_intensity` and huishen's expression indexes
  exist), one `sqlite3 -readonly` process with `.timer on` and `.output /dev/null` runs the
  window-function query of refresh_peers, `SELECT count(*) FROM G101_1` (huishen counts the
  records once), and for every rule the statements huishen runs: `SELECT count(*) ... WHERE
  (when)` for rules with `when` and the verdict statement of verdict_sql(). Parameters are
  substituted as literals; huishen's own functions are replaced by core SQL:
  uscc_valid(x) by the instr/substr mod-31 expression of census_domain.md (R03),
  region_level(x) by (SELECT level FROM regions WHERE code = x), industry_level(x) by
  (SELECT level FROM industries WHERE code = x).

Before timing, one untimed CLI pass counts every rule's non-passing and applicable records and
compares them with `huishen check --json`, so the two sides are known to compute the same thing.

Prints per-rule medians and totals. Python 3.11+ standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "sample-data/shandong-2017/schema.toml"
RULES = REPO / "sample-data/shandong-2017/rules.toml"
FORM = "G101_1"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
SENTINEL = "ZZZ_END"
SENTINEL_RULE = f"""

# Added by scripts/bench_rules.py: marks the end of the rules in the progress output.
[[rule]]
id = "{SENTINEL}"
form = "{FORM}"
severity = "warning"
title = {{ zh = "基准测试结束标记", en = "benchmark end marker" }}
check = "1"
"""


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- the statements huishen runs, as the sqlite3 CLI can run them ---------------------------


def verdict_sql(form: str, check: str, when: str | None) -> str:
    """src/store/rules.rs verdict_sql() with an empty filter."""
    table = quote(form)
    w = f" AND ({when})" if when else ""
    return (
        f"SELECT {table}.rowid, CASE WHEN ({check}) IS NULL THEN 'missing' ELSE 'fail' END "
        f"FROM {table} WHERE NOT coalesce(({check}), 0){w}"
    )


def peers_sql(p: dict) -> str:
    """src/store/check.rs refresh_peers() for all groups."""
    flt = p.get("where") or "1"
    return (
        f"WITH v AS (SELECT ({p['group']}) AS grp, ({p['value']}) AS x FROM {quote(p['form'])} "
        f"WHERE ({flt}) AND ({p['value']}) IS NOT NULL), "
        "r AS (SELECT grp, x, row_number() OVER (PARTITION BY grp ORDER BY x) AS rn, "
        "count(*) OVER (PARTITION BY grp) AS n FROM v) "
        "SELECT grp, max(n), min(x), min(x) FILTER (WHERE rn >= 0.25 * n), "
        "min(x) FILTER (WHERE rn >= 0.5 * n), min(x) FILTER (WHERE rn >= 0.75 * n), "
        "max(x), avg(x) FROM r GROUP BY grp"
    )


def literal(v) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def substitute_params(sql: str, params: dict) -> str:
    def one(m):
        name = m.group(1)
        if name not in params:
            raise SystemExit(f"error: rule uses ${name}, which [params] does not define")
        return literal(params[name])

    return re.sub(r"[$:@]([A-Za-z_][A-Za-z0-9_]*)", one, sql)


def uscc_sql(x: str) -> str:
    """census_domain.md R03: the check character by instr/substr, mod 31."""
    terms = " + ".join(
        f"(instr('{ALPHABET}', substr({x},{i + 1},1))-1)*{w}" for i, w in enumerate(WEIGHTS)
    )
    return (
        f"(substr('{ALPHABET}', ((31 - (({terms}) % 31)) % 31) + 1, 1) = substr({x},18,1))"
    )


FUNCTIONS = {
    "uscc_valid": uscc_sql,
    "region_level": lambda x: f"(SELECT level FROM regions WHERE code = {x})",
    "industry_level": lambda x: f"(SELECT level FROM industries WHERE code = {x})",
}


def replace_functions(sql: str) -> str:
    """Rewrites calls of huishen's own functions (balanced parentheses, quotes respected)."""
    pattern = re.compile(r"\b(" + "|".join(FUNCTIONS) + r")\s*\(", re.IGNORECASE)
    while m := pattern.search(sql):
        depth, i, quote_char = 1, m.end(), None
        while depth:
            c = sql[i]
            if quote_char:
                if c == quote_char:
                    quote_char = None
            elif c in "'\"":
                quote_char = c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        arg = replace_functions(sql[m.end() : i - 1].strip())
        sql = sql[: m.start()] + FUNCTIONS[m.group(1).lower()](arg) + sql[i:]
    leftover = re.search(r"\b(region_\w+|industry_\w+|uscc_\w+|regexp)\s*\(", sql, re.I)
    if leftover:
        raise SystemExit(f"error: no core-SQL equivalent for {leftover.group(1)}()")
    return sql


def cli_sql(expr: str | None, params: dict) -> str | None:
    return None if expr is None else replace_functions(substitute_params(expr, params))


def statements(ruleset: dict) -> list[tuple[str, str, str]]:
    """(rule or phase, kind, SQL) in the order huishen runs them."""
    params = ruleset.get("params", {})
    out = [(f"peers:{p['name']}", "peers", peers_sql(p)) for p in ruleset.get("peers", [])]
    out.append(("items", "count", f"SELECT count(*) FROM {quote(FORM)}"))
    for r in ruleset["rule"]:
        check, when = cli_sql(r["check"], params), cli_sql(r.get("when"), params)
        if when:
            out.append((r["id"], "when", f"SELECT count(*) FROM {quote(r['form'])} WHERE ({when})"))
        out.append((r["id"], "verdict", verdict_sql(r["form"], check, when)))
    return out


# --- running things ----------------------------------------------------------------------


# The workspaces' administrator, for the scripted administrator commands (init, import, check).
os.environ.setdefault("HUISHEN_ADMIN", "bench-admin")
os.environ.setdefault("HUISHEN_ADMIN_PASSPHRASE", "bench-admin-pass")


def run(cmd, **kw):
    """Runs a command; on failure stops with its error output."""
    kw.setdefault("stderr", subprocess.PIPE)
    res = subprocess.run(cmd, **kw)
    if res.returncode:
        err = res.stderr.decode(errors="replace") if isinstance(res.stderr, bytes) else ""
        raise SystemExit(f"error: {' '.join(map(str, cmd))} failed (exit {res.returncode}):\n{err}")
    return res


def timed(cmd) -> dict:
    """Wall, user, sys seconds and peak RSS (MiB) of a command, its output discarded."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"error: {' '.join(map(str, cmd))} failed:\n{err.decode(errors='replace')}")
    return {"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime, "rss": ru.ru_maxrss / 1024}


def check_with_progress(binary: Path, ws: Path) -> dict:
    """Runs `huishen check --json` with standard error on a pseudo-terminal and timestamps its
    progress line. Returns wall/user/sys/rss, the JSON report, and per-phase seconds."""
    master, slave = pty.openpty()
    t0 = time.perf_counter()
    p = subprocess.Popen([str(binary), "check", str(ws), "--json"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    marks: list[tuple[float, str]] = []  # (time, rule id or "" for the end)
    out, buf = b"", b""
    fds = {master: "pty", p.stdout.fileno(): "out"}
    while fds:
        ready, _, _ = select.select(list(fds), [], [])
        now = time.perf_counter()
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO on the master once the child is gone
                chunk = b""
            if not chunk:
                del fds[fd]
                continue
            if fds[fd] == "out":
                out += chunk
                continue
            buf += chunk
            # A message may come in several writes; it counts once it is complete.
            while m := re.search(rb"checking (\S+) \(\d+/\d+\)\x1b\[K|\x1b\[2K", buf):
                marks.append((now, m.group(1).decode() if m.group(1) else ""))
                buf = buf[m.end() :]
    os.close(master)
    _, status, ru = os.wait4(p.pid, 0)
    end = time.perf_counter()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"error: huishen check failed (exit {p.returncode})")
    phases: dict[str, float] = {}
    if marks:
        phases["open + peers"] = marks[0][0] - t0
        for (t, rule), (t_next, _) in zip(marks, marks[1:]):
            if rule == SENTINEL:
                phases["after the rules"] = t_next - t
            elif rule:
                phases[rule] = t_next - t
        phases["commit + exit"] = end - marks[-1][0]
    return {"wall": end - t0, "user": ru.ru_utime, "sys": ru.ru_stime,
            "rss": ru.ru_maxrss / 1024, "report": json.loads(out), "phases": phases}


def cli_times(ws: Path, stmts) -> tuple[dict, float]:
    """One sqlite3 process runs every statement with `.timer on`, results to /dev/null.
    Returns seconds per (label, kind), the process's wall time and the statements' CPU time
    (user + system)."""
    script = ".timer on\n.output /dev/null\n" + "".join(f"{sql};\n" for _, _, sql in stmts)
    t0 = time.perf_counter()
    res = run(["sqlite3", "-readonly", "-bail", str(ws)], input=script.encode(),
              stdout=subprocess.PIPE)
    wall = time.perf_counter() - t0
    found = re.findall(rb"Run Time: real ([0-9.]+) user ([0-9.]+) sys ([0-9.]+)", res.stdout)
    if len(found) != len(stmts):
        raise SystemExit(f"error: sqlite3 timed {len(found)} of {len(stmts)} statements:\n"
                         + res.stderr.decode(errors="replace"))
    times = {(label, kind): float(real) for (label, kind, _), (real, _, _) in zip(stmts, found)}
    cpu = sum(float(u) + float(s) for _, u, s in found)
    return times, wall, cpu


def verify(ws: Path, ruleset: dict, report: dict) -> None:
    """The CLI's counts must be huishen's: non-passing and missing records, applicable ones."""
    params = ruleset.get("params", {})
    queries = []
    for r in ruleset["rule"]:
        check, when = cli_sql(r["check"], params), cli_sql(r.get("when"), params)
        w = f" AND ({when})" if when else ""
        queries.append(f"SELECT '{r['id']}', count(*), coalesce(sum(m), 0), "
                       f"(SELECT count(*) FROM {quote(r['form'])} WHERE ({when or 1})) "
                       f"FROM (SELECT ({check}) IS NULL AS m FROM {quote(r['form'])} "
                       f"WHERE NOT coalesce(({check}), 0){w});")
    res = run(["sqlite3", "-readonly", "-bail", "-separator", "\t", str(ws)],
              input="\n".join(queries).encode(), stdout=subprocess.PIPE)
    got = {}
    for line in res.stdout.decode().splitlines():
        rule, n, missing, applicable = line.split("\t")
        got[rule] = (int(n), int(missing), int(applicable))
    bad = []
    for r in report["rules"]:
        if r["rule"] == SENTINEL:
            continue
        want = (r["fails"] + r["missing"] + r["errors"], r["missing"],
                r["items"] - r["not_applicable"])
        if got.get(r["rule"]) != want:
            bad.append(f"{r['rule']}: CLI (non-passing, missing, applicable) = "
                       f"{got.get(r['rule'])}, huishen {want}")
    if bad:
        raise SystemExit("error: the CLI statements do not compute what huishen does:\n  "
                         + "\n  ".join(bad))
    print(f"# verified: the CLI statements give huishen's counts for all "
          f"{len(ruleset['rule'])} rules", file=sys.stderr)


def machine() -> str:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    cli = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return (f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, "
            f"sqlite3 CLI {cli}, load average {load}")


def fmt(x: float) -> str:
    return f"{x:8.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("records", nargs="*", type=int, default=[270000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, help="work folder (kept; CSV files there are reused)")
    ap.add_argument("--bin", type=Path, help="huishen binary (default: cargo build --release)")
    ap.add_argument("--build-only", action="store_true",
                    help="only make DIR/ws_N.huishen: imported, rules loaded, checked once")
    ap.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = ap.parse_args()

    if args.bin:
        binary = args.bin.resolve()
    else:
        run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
        binary = REPO / "target/release/huishen"
    if args.dir:
        work = args.dir.resolve()
        work.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="huishen-rules-")
        work = Path(cleanup.name)
        if args.build_only:
            raise SystemExit("error: --build-only needs --dir")

    ruleset = tomllib.loads(RULES.read_text())
    bench_rules = work / "rules-bench.toml"
    bench_rules.write_text(RULES.read_text() + SENTINEL_RULE)
    stmts = statements(ruleset)
    rule_ids = [r["id"] for r in ruleset["rule"]]
    print(f"machine: {machine()}")
    print(f"huishen: {binary}; {args.runs} runs; medians")
    results = {}
    for n in args.records:
        csv = work / f"g101_1_{n}.csv"
        if not csv.exists():
            t = timed([binary, "sample", "--records", str(n), "--seed", "1", "--out", csv])
            print(f"# generated {n} records in {t['wall']:.2f} s", file=sys.stderr)
        if args.build_only:
            # The shipped rule file, without the end marker: what a reviewer's workspace has.
            ws = work / f"ws_{n}.huishen"
            for f in work.glob(f"ws_{n}.huishen*"):
                f.unlink()
            base = work / f"base_{n}.huishen"
            if base.exists():
                # Imported by an earlier run of this script (with the end marker): load the
                # shipped rules over it as a new rule set rather than import again.
                shutil.copyfile(base, ws)
                run([binary, "rules", "load", ws, RULES], stdout=subprocess.DEVNULL)
            else:
                run([binary, "init", ws, "--schema", SCHEMA, "--rules", RULES],
                    stdout=subprocess.DEVNULL)
                t = timed([binary, "import", ws, "--form", FORM, csv])
                print(f"# imported {n} records in {t['wall']:.2f} s", file=sys.stderr)
            res = check_with_progress(binary, ws)
            print(f"{ws}: checked in {res['wall']:.2f} s, {res['report']['opened']} flags open")
            continue
        base = work / f"base_{n}.huishen"
        if not base.exists():
            tmp = work / f"base_{n}.tmp.huishen"
            for f in work.glob(f"base_{n}.tmp.huishen*"):
                f.unlink()
            run([binary, "init", tmp, "--schema", SCHEMA, "--rules", bench_rules],
                stdout=subprocess.DEVNULL)
            t = timed([binary, "import", tmp, "--form", FORM, csv])
            print(f"# imported {n} records in {t['wall']:.2f} s", file=sys.stderr)
            tmp.rename(base)
        ws = work / f"run_{n}.huishen"
        hs_runs, cli_runs, cli_cpu = [], [], []
        for i in range(args.runs):
            for f in work.glob(f"run_{n}.huishen*"):
                f.unlink()
            shutil.copyfile(base, ws)
            res = check_with_progress(binary, ws)
            if i == 0:
                verify(ws, ruleset, res["report"])
            times, wall, cpu = cli_times(ws, stmts)
            hs_runs.append(res)
            cli_runs.append((times, wall))
            cli_cpu.append(cpu)
            print(f"# run {i + 1}: huishen {res['wall']:.2f} s, sqlite3 {wall:.2f} s",
                  file=sys.stderr)

        med = statistics.median
        hs_phase = lambda k: med(r["phases"].get(k, 0.0) for r in hs_runs)
        cli_rule = lambda rid: med(sum(t for (l, _), t in times.items() if l == rid)
                                   for times, _ in cli_runs)
        print(f"\n## {n} records ({hs_runs[0]['report']['opened']} flags opened by a first check)")
        print(f"{'step':<16}{'huishen_s':>10}{'sqlite3_s':>10}{'ratio':>8}   CLI statements")
        rows = []
        peers_cli = med(sum(t for (l, k), t in times.items() if k == "peers") for times, _ in cli_runs)
        items_cli = med(times[("items", "count")] for times, _ in cli_runs)
        rows.append(("open + peers", hs_phase("open + peers"), peers_cli, "peers window query"))
        for rid in rule_ids:
            kinds = "when + verdict" if any(l == rid and k == "when" for l, k, _ in stmts) else "verdict"
            c = cli_rule(rid) + (items_cli if rid == rule_ids[0] else 0.0)
            if rid == rule_ids[0]:
                kinds += " + count(*) of the form"
            rows.append((rid, hs_phase(rid), c, kinds))
        rows.append(("after the rules", hs_phase("after the rules"), None, "(resolve retired, queue)"))
        rows.append(("commit + exit", hs_phase("commit + exit"), None, ""))
        for label, h, c, what in rows:
            ratio = f"{h / c:8.2f}" if c else " " * 8
            cs = fmt(c) if c is not None else " " * 8
            print(f"{label:<16}{h:10.3f}{cs:>10}{ratio}   {what}")
        rules_h = sum(hs_phase(r) for r in rule_ids)
        rules_c = sum(cli_rule(r) for r in rule_ids) + items_cli
        hs_wall = med(r["wall"] for r in hs_runs)
        cli_sum = med(sum(times.values()) for times, _ in cli_runs)
        cli_wall = med(w for _, w in cli_runs)
        print(f"{'rules only':<16}{rules_h:10.3f}{rules_c:10.3f}{rules_h / rules_c:8.2f}   "
              "sum of the rule lines")
        print(f"{'total':<16}{hs_wall:10.3f}{cli_wall:10.3f}{hs_wall / cli_wall:8.2f}   "
              f"process wall times (CLI statements alone: {cli_sum:.3f} s)")
        print(f"huishen check: user {med(r['user'] for r in hs_runs):.2f} s, "
              f"sys {med(r['sys'] for r in hs_runs):.2f} s, "
              f"peak RSS {med(r['rss'] for r in hs_runs):.0f} MiB; "
              f"goals: total <= 1.2 x CLI -> {'met' if hs_wall <= 1.2 * cli_wall else 'MISSED'}"
              + (f"; <= 5 s -> {'met' if hs_wall <= 5 else 'MISSED'}" if n == 270000 else ""))
        hs_cpu = med(r["user"] + r["sys"] for r in hs_runs)
        print(f"CPU time (user + sys), less sensitive to a shared machine's load: huishen "
              f"{hs_cpu:.2f} s, sqlite3 {med(cli_cpu):.2f} s, ratio {hs_cpu / med(cli_cpu):.2f}")
        print(f"load average now: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
        print("per run (huishen wall / CLI wall): "
              + ", ".join(f"{r['wall']:.2f}/{w:.2f}" for r, (_, w) in zip(hs_runs, cli_runs)))
        results[n] = {"huishen": [{k: v for k, v in r.items() if k != "report"} for r in hs_runs],
                      "sqlite3": [{"wall": w, "cpu": c,
                                   "statements": {f"{l}/{k}": t for (l, k), t in times.items()}}
                                  for (times, w), c in zip(cli_runs, cli_cpu)]}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if cleanup:
        cleanup.cleanup()


if __name__ == "__main__":
    main()
