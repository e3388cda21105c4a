#!/usr/bin/env python3
"""Check benchmark: `huishen check` against DuckDB running the same census rules.

    scripts/bench_check.py 270000 3600000        # BENCH_RUNS (default 3) runs each, medians
    BENCH_RUNS=1 BENCH_DIR=/tmp/b scripts/bench_check.py 20000

The rules are the census rules of sample-data/shandong-2017/rules.toml: those on form G101_1
with ids R01-R31 and X01-X06, with the [params] and the [[peers]] definitions they read. The
script writes that subset to a rule file of its own (RULES/check-rules.toml in the work folder)
and loads it into the workspace.

For each size: generate the records (`huishen sample --seed 1`; the child forms' files it
writes beside them are not used), make a workspace with the Shandong schema, import the
records and load the rule subset (not timed), dump the workspace's reference tables (regions,
regions_retired, industries) to CSV for DuckDB. Then per run, in alternating order:

* huishen: a fresh copy of the imported, never checked workspace; `huishen check --format
  json` on it under /usr/bin/time (wall, user, sys, peak RSS). A first check: every flag is new
  and written to the workspace.
* DuckDB: one Python process (this script with --duckdb-run) under /usr/bin/time, so its time
  includes Python's start, `import duckdb`, and the load of the CSV. In an in-memory database
  it reads the CSV into a typed table G101_1 (the schema's field names and types: text and
  code VARCHAR, integer and bool BIGINT, real DOUBLE; the empty cell and the schema's
  null_values are NULL), loads the reference tables, defines huishen's SQL functions as DuckDB
  macros (uscc_valid computes the GB 32100 check character in SQL), computes the peers tables
  as huishen does (nearest-rank quartiles, the statistician's median), and runs one query per
  rule counting its applicable records (`when`), fails (check false) and missing (check NULL).
  Once with each thread count of BENCH_THREADS (default "2 1"; `SET threads = N`).

The rule SQL for DuckDB is translated from the rule file mechanically (see duckdb_sql):
parameters as literals, SQLite's trim(x) (spaces only) as trim(x, ' '), `when` and `check`
cast to BOOLEAN (SQLite's truth of a number: non-zero). What the translation does not cover
(SQLite's integer division, `a IS b` between values, the REGEXP operator) makes DuckDB fail or
would change a result; the census rules use none of them.

Afterwards every rule's (applicable, fails, missing) from each DuckDB run is compared with
the report of the first `huishen check` run; mismatches are printed per rule.

Prints per size a markdown table of medians: wall and CPU (user + sys) seconds, peak RSS,
and the ratio huishen / DuckDB, with the command line and the machine.

Environment: BENCH_RUNS (default 3), BENCH_THREADS (default "2 1"), BENCH_DIR (default a new
temporary folder, removed at the end; given, it is kept, and a CSV already there is reused),
HUISHEN_BIN (default: `cargo build --release`, then target/release/huishen).

Needs: python3 >= 3.11 (tomllib), sqlite3 CLI, GNU time (/usr/bin/time); installs the duckdb
Python package with pip when `import duckdb` fails. The CSV is streamed by both tools, never
read into this script's memory.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import re
import shlex
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
RULE_IDS = re.compile(r"^(R(0[1-9]|[12][0-9]|3[01])|X0[1-6])$")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
DUCK_TYPES = {"text": "VARCHAR", "code": "VARCHAR", "integer": "BIGINT", "bool": "BIGINT",
              "real": "DOUBLE"}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# --- the DuckDB process ---------------------------------------------------------------------


def duckdb_run(spec_path: str) -> None:
    """Runs the statements of a spec written by main(): setup statements in order, then one
    counting query per rule. Writes the counts and the time of each phase to spec['out']."""
    spec = json.loads(Path(spec_path).read_text())
    t0 = time.perf_counter()
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(spec['threads'])}")
    phases, marks = {}, time.perf_counter()
    phases["import duckdb"] = marks - t0
    for phase, sql in spec["setup"]:
        try:
            con.execute(sql)
        except duckdb.Error as e:
            raise SystemExit(f"error: DuckDB, {phase}: {e}\n{sql}")
        now = time.perf_counter()
        phases[phase] = phases.get(phase, 0.0) + now - marks
        marks = now
    items = con.execute(f"SELECT count(*) FROM {quote(FORM)}").fetchone()[0]
    counts, times = {}, {}
    for rule, sql in spec["rules"]:
        try:
            counts[rule] = list(con.execute(sql).fetchone())
        except duckdb.Error as e:
            raise SystemExit(f"error: DuckDB, rule {rule}: {e}\n{sql}")
        now = time.perf_counter()
        times[rule] = now - marks
        marks = now
    phases["rules"] = sum(times.values())
    Path(spec["out"]).write_text(json.dumps({
        "version": duckdb.__version__, "items": items, "counts": counts, "phases": phases,
        "rule_times": times}))


# --- the rule subset ------------------------------------------------------------------------


def params_read(sql: str) -> set[str]:
    return set(re.findall(r"[$:@]([A-Za-z_][A-Za-z0-9_]*)", sql or ""))


def subset(ruleset: dict) -> dict:
    """The census rules on G101_1 (R01-R31, X01-X06, record scope), the peers definitions
    they read (and those these read) and the parameters all of them read."""
    rules = [r for r in ruleset["rule"] if r.get("form") == FORM and RULE_IDS.match(r["id"])
             and r.get("scope", "record") == "record"]
    texts = [r.get(k) or "" for r in rules for k in ("check", "when", "related")]
    peers_by_name = {p["name"]: p for p in ruleset.get("peers", [])}
    wanted: list[str] = []
    while True:
        found = [n for n in peers_by_name if n not in wanted
                 and any(re.search(rf"\bpeers_{re.escape(n)}\b", t) for t in texts)]
        if not found:
            break
        wanted += found
        texts += [peers_by_name[n].get(k) or "" for n in found for k in ("group", "value", "where")]
    peers = [p for p in ruleset.get("peers", []) if p["name"] in wanted]
    used = set().union(*(params_read(t) for t in texts))
    params = {k: v for k, v in ruleset.get("params", {}).items() if k in used}
    out = {}
    if params:
        out["params"] = params
    if peers:
        out["peers"] = peers
    out["rule"] = rules
    return out


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise SystemExit(f"error: cannot write {v!r} as TOML")


def toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else toml_value(k)


def write_toml(doc: dict) -> str:
    lines = ["# The census rules of sample-data/shandong-2017/rules.toml (G101_1: R01-R31, "
             "X01-X06)", "# with the parameters and peers definitions they read.", ""]
    if "params" in doc:
        lines.append("[params]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in doc["params"].items()]
        lines.append("")
    for table in ("peers", "rule"):
        for item in doc.get(table, []):
            lines.append(f"[[{table}]]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in item.items()]
            lines.append("")
    text = "\n".join(lines)
    if tomllib.loads(text) != doc:
        raise SystemExit("error: the rule subset does not read back as written")
    return text


# --- the rules in DuckDB's SQL --------------------------------------------------------------


def literal(v) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    return lit(str(v))


def substitute_params(sql: str, params: dict) -> str:
    def one(m):
        name = m.group(1)
        if name not in params:
            raise SystemExit(f"error: a rule uses ${name}, which [params] does not define")
        return literal(params[name])

    return re.sub(r"[$:@]([A-Za-z_][A-Za-z0-9_]*)", one, sql)


def calls(sql: str, name: str, rewrite) -> str:
    """Rewrites every call name(args) of `sql` (quotes and nested parentheses respected) to
    rewrite(list of argument texts), innermost arguments first."""
    pattern = re.compile(r"\b" + name + r"\s*\(", re.IGNORECASE)
    out, pos = [], 0
    while m := pattern.search(sql, pos):
        depth, i, q, args, start = 1, m.end(), None, [], m.end()
        while depth:
            if i >= len(sql):
                raise SystemExit(f"error: unbalanced parentheses in {sql!r}")
            c = sql[i]
            if q:
                if c == q:
                    q = None
            elif c in "'\"":
                q = c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "," and depth == 1:
                args.append(sql[start:i])
                start = i + 1
            i += 1
        args.append(sql[start : i - 1])
        args = [calls(a.strip(), name, rewrite) for a in args]
        out.append(sql[pos : m.start()] + rewrite(args))
        pos = i
    return "".join(out) + sql[pos:]


def duckdb_sql(expr: str, params: dict) -> str:
    """One rule expression of SQLite, for DuckDB. huishen's functions keep their names: they
    are DuckDB macros (MACROS)."""
    sql = substitute_params(expr, params)
    # SQLite's one-argument trim removes spaces only; DuckDB's removes all Unicode white space.
    for f in ("trim", "ltrim", "rtrim"):
        sql = calls(sql, f, lambda a, f=f: f"{f}({a[0]}, ' ')" if len(a) == 1
                    else f"{f}({', '.join(a)})")
    if re.search(r"\bREGEXP\b(?!\s*\()", sql, re.IGNORECASE) or re.search(r"\bIS\s+(?!NOT\b|NULL\b)", sql, re.I) \
            or re.search(r"\bIS\s+NOT\s+(?!NULL\b)", sql, re.I):
        raise SystemExit(f"error: no DuckDB translation for the REGEXP or IS operator in {expr!r}")
    return sql


def uscc_macros() -> list[str]:
    """GB 32100-2015 (core/src/domain/uscc.rs is_valid): 18 symbols of the alphabet, the 18th
    the check character of the 17 before it (weights 3^(i-1) mod 31); of the trimmed text, as
    huishen's lookup functions trim their argument. 1 or 0, NULL for NULL. The text is trimmed
    only where trimming changes it: a macro's argument is substituted wherever the body names
    it, and 19 trims a record would cost more than the checksum."""
    a, s = lit(ALPHABET), "s"
    total = " + ".join(f"(instr({a}, {s}[{i + 1}]) - 1) * {w}" for i, w in enumerate(WEIGHTS))
    body = (f"CAST(regexp_full_match({s}, '[0-9A-HJ-NPQRTUWXY]{{18}}') AND "
            f"{a}[((31 - (({total}) % 31)) % 31) + 1] = {s}[18] AS BIGINT)")
    code = "CAST(code AS VARCHAR)"
    return [f"CREATE MACRO uscc_check(s) AS {body}",
            f"CREATE MACRO uscc_valid(code) AS CASE WHEN code IS NULL THEN NULL "
            f"WHEN {code} = trim({code}) THEN uscc_check({code}) "
            f"ELSE uscc_check(trim({code})) END"]


# huishen's SQL functions (core/src/store/rule_engine/functions.rs) over the reference tables.
# Codes are trimmed (Rust's trim, Unicode white space) as huishen's lookups trim them; flags are
# 1 or 0 (BIGINT) and NULL for NULL, as huishen's are.
MACROS = [
    *uscc_macros(),
    "CREATE MACRO region_exists(c) AS CASE WHEN c IS NULL THEN NULL ELSE CAST(EXISTS (SELECT 1 "
    "FROM regions r WHERE r.code = trim(CAST(c AS VARCHAR))) AS BIGINT) END",
    "CREATE MACRO region_name(c) AS coalesce((SELECT r.name FROM regions r WHERE r.code = "
    "trim(CAST(c AS VARCHAR))), (SELECT r.name FROM regions_retired r WHERE r.code = "
    "trim(CAST(c AS VARCHAR))))",
    "CREATE MACRO region_level(c) AS (SELECT r.level FROM regions r WHERE r.code = "
    "trim(CAST(c AS VARCHAR)))",
    "CREATE MACRO region_parent(c) AS (SELECT nullif(r.parent_code, '') FROM regions r WHERE "
    "r.code = trim(CAST(c AS VARCHAR)))",
    "CREATE MACRO region_retired(c) AS CASE WHEN c IS NULL THEN NULL ELSE CAST(EXISTS (SELECT 1 "
    "FROM regions_retired r WHERE r.code = trim(CAST(c AS VARCHAR))) AS BIGINT) END",
    "CREATE MACRO industry_exists(c) AS CASE WHEN c IS NULL THEN NULL ELSE CAST(EXISTS (SELECT "
    "1 FROM industries i WHERE i.code = trim(CAST(c AS VARCHAR))) AS BIGINT) END",
    "CREATE MACRO industry_name(c) AS (SELECT i.name FROM industries i WHERE i.code = "
    "trim(CAST(c AS VARCHAR)))",
    "CREATE MACRO industry_level(c) AS (SELECT i.level FROM industries i WHERE i.code = "
    "trim(CAST(c AS VARCHAR)))",
    # regexp(pattern, subject), as SQLite calls it; RE2 rather than Rust's regex crate.
    "CREATE MACRO regexp(p, s) AS CASE WHEN p IS NULL OR s IS NULL THEN NULL ELSE "
    "CAST(regexp_matches(CAST(s AS VARCHAR), p) AS BIGINT) END",
    # unit_error(value, predicted, factor, lower, upper); huishen's error for bad bounds aside.
    "CREATE MACRO unit_error(v, p, f, lo, hi) AS CASE WHEN p = 0 THEN NULL ELSE "
    "CAST(lo < v / p AND v / p < hi AS BIGINT) END",
]


def peers_duckdb(p: dict, params: dict) -> str:
    """core/src/store/rule_engine/peers.rs, full kind: per group (not NULL) of the records that
    pass `where` and have a value, n, min, q1, median, q3, max, mean, sum. Quartiles nearest
    rank (the first value at or past that share of the group) or, for quantiles = "type7",
    interpolated as R's default; the median the middle value or the mean of the two middle
    ones (a/2 + b/2, as huishen takes it). The sum is fsum (compensated), huishen's exact."""
    g, v = duckdb_sql(p["group"], params), duckdb_sql(p["value"], params)
    flt = f"CAST(({duckdb_sql(p['where'], params)}) AS BOOLEAN)" if p.get("where") else "TRUE"
    if p.get("quantiles", "nearest") == "type7":
        q1, q3 = "quantile_cont(x, 0.25)", "quantile_cont(x, 0.75)"
    else:
        q1, q3 = "min(x) FILTER (WHERE rn >= 0.25 * n)", "min(x) FILTER (WHERE rn >= 0.75 * n)"
    return (
        f"CREATE OR REPLACE TABLE {quote('peers_' + p['name'])} AS "
        f"WITH v AS (SELECT ({g}) AS grp, CAST(({v}) AS DOUBLE) AS x FROM {quote(p['form'])} "
        f"WHERE {flt} AND ({v}) IS NOT NULL AND ({g}) IS NOT NULL), "
        "r AS (SELECT grp, x, row_number() OVER (PARTITION BY grp ORDER BY x) AS rn, "
        "count(*) OVER (PARTITION BY grp) AS n FROM v) "
        f"SELECT grp, max(n) AS n, min(x) AS min, {q1} AS q1, "
        "CASE WHEN max(n) % 2 = 1 THEN min(x) FILTER (WHERE rn = (n + 1) // 2) "
        "ELSE min(x) FILTER (WHERE rn = n // 2) / 2 + min(x) FILTER (WHERE rn = n // 2 + 1) / 2 "
        f"END AS median, {q3} AS q3, max(x) AS max, fsum(x) / max(n) AS mean, fsum(x) AS sum "
        "FROM r GROUP BY grp"
    )


def rule_duckdb(r: dict, params: dict) -> str:
    """Counts one rule's applicable records, fails (check false) and missing (check NULL)."""
    check = duckdb_sql(r["check"], params)
    when = f"CAST(({duckdb_sql(r['when'], params)}) AS BOOLEAN)" if r.get("when") else "TRUE"
    return (f"SELECT count(*), count(*) FILTER (WHERE NOT _c), count(*) FILTER (WHERE _c IS NULL) "
            f"FROM (SELECT CAST(({check}) AS BOOLEAN) AS _c FROM {quote(r['form'])} WHERE {when})")


def header_columns(csv_path: Path, form: dict) -> list[tuple[str, str]]:
    """(field name, DuckDB type) of each column of the CSV, from its header line: a field's
    name, label or alias, with or without a unit in brackets after it."""
    by_header = {}
    for f in form["field"]:
        names = [f["name"], *f.get("label", {}).values(), *f.get("aliases", [])]
        for n in names:
            by_header[n.strip().casefold()] = f
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    cols = []
    for h in header:
        key = h.strip().casefold()
        f = by_header.get(key) or by_header.get(re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", key))
        if f is None:
            raise SystemExit(f"error: no field of {form['name']} is headed {h!r}")
        cols.append((f["name"], f["type"]))
    return cols


def load_sql(csv_path: Path, form: dict, nulls: list[str]) -> str:
    """The CSV into a typed table: text and code as written, numbers as DuckDB's CSV reader
    parses them, yes/no as huishen reads them (1/0, true/false, yes/no, y/n, 是/否)."""
    cols = header_columns(csv_path, form)
    types = {n: ("VARCHAR" if t == "bool" else DUCK_TYPES[t]) for n, t in cols}
    spec = "{" + ", ".join(f"{lit(n)}: {lit(t)}" for n, t in types.items()) + "}"
    select = []
    for f in form["field"]:
        n, t = f["name"], f["type"]
        if n not in types:
            select.append(f"CAST(NULL AS {DUCK_TYPES[t]}) AS {quote(n)}")
        elif t == "bool":
            x = f"lower(trim({quote(n)}))"
            select.append(f"CAST(CASE WHEN {x} IN ('1', 'true', 'yes', 'y', '是') THEN 1 "
                          f"WHEN {x} IN ('0', 'false', 'no', 'n', '否') THEN 0 END AS BIGINT) "
                          f"AS {quote(n)}")
        else:
            select.append(quote(n))
    nullstr = "[" + ", ".join(lit(s) for s in ["", *nulls]) + "]"
    return (f"CREATE TABLE {quote(form['name'])} AS SELECT {', '.join(select)} FROM read_csv("
            f"{lit(str(csv_path))}, header = true, auto_detect = false, delim = ',', "
            f"quote = '\"', escape = '\"', columns = {spec}, nullstr = {nullstr})")


def reference_sql(ref_dir: Path) -> list[tuple[str, str]]:
    tables = {"regions": {"code": "VARCHAR", "name": "VARCHAR", "level": "VARCHAR",
                          "parent_code": "VARCHAR"},
              "regions_retired": {"code": "VARCHAR", "name": "VARCHAR"},
              "industries": {"code": "VARCHAR", "name": "VARCHAR", "level": "BIGINT"}}
    out = []
    for t, cols in tables.items():
        spec = "{" + ", ".join(f"{lit(c)}: {lit(ty)}" for c, ty in cols.items()) + "}"
        out.append(("reference tables",
                    f"CREATE TABLE {t} AS SELECT * FROM read_csv({lit(str(ref_dir / (t + '.csv')))}, "
                    f"header = true, auto_detect = false, columns = {spec})"))
    return out


def dump_reference(ws: Path, ref_dir: Path) -> None:
    ref_dir.mkdir(exist_ok=True)
    for t, cols in {"regions": "code, name, level, parent_code", "regions_retired": "code, name",
                    "industries": "code, name, level"}.items():
        with open(ref_dir / f"{t}.csv", "wb") as out:
            run(["sqlite3", "-readonly", "-csv", "-header", str(ws), f"SELECT {cols} FROM {t}"],
                stdout=out)


# --- running things -------------------------------------------------------------------------

# The workspaces' administrator, for the scripted administrator commands (init, import, check).
os.environ.setdefault("HUISHEN_ADMIN", "bench-admin")
os.environ.setdefault("HUISHEN_ADMIN_PASSPHRASE", "bench-admin-pass")
# The rule budget (10 s by default) keeps one rule from stopping a review room; the benchmark
# measures what the rules cost, and at national size some cross-record rules take longer.
os.environ.setdefault("HUISHEN_RULE_BUDGET_MS", "3600000")


def run(cmd, **kw):
    """Runs a command; on failure stops with its error output."""
    kw.setdefault("stderr", subprocess.PIPE)
    res = subprocess.run([str(c) for c in cmd], **kw)
    if res.returncode:
        err = res.stderr.decode(errors="replace") if isinstance(res.stderr, bytes) else ""
        raise SystemExit(f"error: {' '.join(map(str, cmd))} failed (exit {res.returncode}):\n{err}")
    return res


def timed(cmd, work: Path, stdout=subprocess.DEVNULL) -> dict:
    """Wall, user, sys seconds and peak RSS (MiB) of a command under GNU time."""
    tfile, efile = work / "time.txt", work / "stderr.txt"
    with open(efile, "wb") as err:
        res = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(tfile),
                              *map(str, cmd)], stdin=subprocess.DEVNULL, stdout=stdout,
                             stderr=err)
    if res.returncode:
        raise SystemExit(f"error: {' '.join(map(str, cmd))} failed (exit {res.returncode}):\n"
                         + efile.read_text(errors="replace"))
    wall, user, sys_, kib = tfile.read_text().split()[-4:]
    return {"wall": float(wall), "user": float(user), "sys": float(sys_),
            "cpu": float(user) + float(sys_), "rss": int(kib) / 1024}


def ensure_duckdb() -> None:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("# installing duckdb for the benchmark (pip)", file=sys.stderr)
        run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"])


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def copy_db(src: Path, dst: Path) -> None:
    remove_db(dst)
    for suffix in ("", "-wal"):
        if Path(str(src) + suffix).exists():
            shutil.copyfile(str(src) + suffix, str(dst) + suffix)


def machine() -> str:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().split()[1]
    return (f"{os.cpu_count()} cores ({model}), {int(mem) // 1048576} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def compare(report: dict, duck: dict, label: str) -> list[str]:
    """Each rule's (applicable, fails, missing): DuckDB against huishen's report."""
    bad = []
    for r in report["rules"]:
        want = (r["items"] - r["not_applicable"], r["fails"], r["missing"])
        got = duck["counts"].get(r["rule"])
        if r["errors"]:
            bad.append(f"| {r['rule']} | {label} | huishen reports {r['errors']} errors | | |")
        if got is None:
            bad.append(f"| {r['rule']} | {label} | not run in DuckDB | {want} | |")
        elif tuple(got) != want:
            bad.append(f"| {r['rule']} | {label} | differ | {want} | {tuple(got)} |")
    for rule in duck["counts"]:
        if rule not in {r["rule"] for r in report["rules"]}:
            bad.append(f"| {rule} | {label} | not in huishen's report | | {tuple(duck['counts'][rule])} |")
    if duck["items"] != report["rules"][0]["items"]:
        bad.append(f"| (records) | {label} | differ | {report['rules'][0]['items']} | {duck['items']} |")
    return bad


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--duckdb-run":
        duckdb_run(sys.argv[2])
        return
    if any(a.startswith("-") for a in sys.argv[1:]):
        print(__doc__)
        raise SystemExit(0 if {"-h", "--help"} & set(sys.argv[1:]) else 2)
    sys.stdout.reconfigure(line_buffering=True)  # the table and the progress lines in order
    sizes = [int(a) for a in sys.argv[1:]] or [270000]
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    threads = [int(t) for t in os.environ.get("BENCH_THREADS", "2 1").split()]
    for tool in ("sqlite3", "/usr/bin/time"):
        if not shutil.which(tool):
            raise SystemExit(f"error: {tool} is needed")
    ensure_duckdb()
    if os.environ.get("HUISHEN_BIN"):
        binary = Path(os.environ["HUISHEN_BIN"]).resolve()
    else:
        run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
        binary = REPO / "target/release/huishen"
    if os.environ.get("BENCH_DIR"):
        work = Path(os.environ["BENCH_DIR"]).resolve()
        work.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="huishen-check-")
        work = Path(cleanup.name)

    schema = tomllib.loads(SCHEMA.read_text())
    form = next(f for f in schema["form"] if f["name"] == FORM)
    nulls = list(dict.fromkeys([*schema.get("null_values", []), *form.get("null_values", [])]))
    ruleset = subset(tomllib.loads(RULES.read_text()))
    rules_file = work / "check-rules.toml"
    rules_file.write_text(write_toml(ruleset))
    params = ruleset.get("params", {})
    rule_sql = [(r["id"], rule_duckdb(r, params)) for r in ruleset["rule"]]
    version = run([binary, "--version"], stdout=subprocess.PIPE).stdout.decode().strip()
    command = " ".join(["BENCH_RUNS=" + str(runs), "BENCH_THREADS=" + shlex.quote(" ".join(map(str, threads))),
                        "scripts/bench_check.py", *map(str, sizes)])
    print(f"command: {command}")
    print(f"machine: {machine()}; load average {load()}")
    print(f"{version}; {len(rule_sql)} rules ({rule_sql[0][0]}-{rule_sql[-1][0]}); "
          f"{runs} runs; medians")

    all_bad, duck_version = [], "?"
    for n in sizes:
        csv_path = work / f"g101_1_{n}.csv"
        if not csv_path.exists():
            tmp = work / f"gen_{n}" / "g.csv"
            tmp.parent.mkdir(exist_ok=True)
            t = timed([binary, "sample", "--records", n, "--seed", 1, "--out", tmp], work)
            tmp.rename(csv_path)
            shutil.rmtree(tmp.parent)
            print(f"# generated {n} records in {t['wall']:.2f} s", file=sys.stderr)
        base, ws = work / f"base_{n}.huishen", work / f"run_{n}.huishen"
        remove_db(base)
        run([binary, "init", base, "--schema", SCHEMA], stdout=subprocess.DEVNULL)
        t = timed([binary, "import", base, "--form", FORM, csv_path], work)
        print(f"# imported {n} records in {t['wall']:.2f} s", file=sys.stderr)
        run([binary, "rules", "load", base, rules_file], stdout=subprocess.DEVNULL)
        ref_dir = work / "reference"
        dump_reference(base, ref_dir)

        setup = [("load CSV", load_sql(csv_path, form, nulls)), *reference_sql(ref_dir),
                 *(("macros", m) for m in MACROS),
                 *((f"peers {p['name']}", peers_duckdb(p, params)) for p in ruleset.get("peers", []))]
        specs = {}
        for th in threads:
            spec = {"threads": th, "setup": setup, "rules": rule_sql,
                    "out": str(work / f"duckdb_{n}_{th}.json")}
            specs[th] = work / f"duckdb_{n}_{th}.spec.json"
            specs[th].write_text(json.dumps(spec, ensure_ascii=False, indent=1))
        (work / "duckdb_rules.sql").write_text(
            "".join(f"-- {p}\n{s};\n" for p, s in setup) + "".join(f"-- {r}\n{s};\n" for r, s in rule_sql))

        hs, duck, report = [], {th: [] for th in threads}, None
        for i in range(runs):
            def huishen():
                nonlocal report
                copy_db(base, ws)
                out = work / "check.json"
                with open(out, "wb") as fh:
                    hs.append(timed([binary, "check", ws, "--format", "json"], work, stdout=fh))
                if report is None:
                    report = json.loads(out.read_text())

            def duckdb(th):
                r = timed([sys.executable, __file__, "--duckdb-run", specs[th]], work)
                r["result"] = json.loads(Path(json.loads(specs[th].read_text())["out"]).read_text())
                duck[th].append(r)

            steps = [huishen, *(lambda th=th: duckdb(th) for th in threads)]
            for step in steps if i % 2 == 0 else reversed(steps):
                step()
            print(f"# {n} run {i + 1}: huishen {hs[-1]['wall']:.2f} s, "
                  + ", ".join(f"DuckDB {th} thr {duck[th][-1]['wall']:.2f} s" for th in threads),
                  file=sys.stderr)
        remove_db(ws)

        bad = []
        for th in threads:
            for k, r in enumerate(duck[th]):
                bad += compare(report, r["result"], f"DuckDB {th} thr, run {k + 1}")
        duck_version = duck[threads[0]][0]["result"]["version"]
        med = statistics.median
        m = lambda rs, k: med(r[k] for r in rs)
        flags = sum(r["fails"] + r["missing"] for r in report["rules"])
        print(f"\n## {n} records ({flags} failing or missing verdicts; load average {load()})\n")
        print("| tool | wall s | CPU s (user+sys) | user s | sys s | peak RSS MiB | "
              "huishen/tool wall | huishen/tool CPU |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        hw, hc = m(hs, "wall"), m(hs, "cpu")
        print(f"| huishen check | {hw:.2f} | {hc:.2f} | {m(hs, 'user'):.2f} | {m(hs, 'sys'):.2f} | "
              f"{m(hs, 'rss'):.0f} | | |")
        for th in threads:
            d = duck[th]
            dw, dc = m(d, "wall"), m(d, "cpu")
            print(f"| DuckDB {duck_version}, {th} thread{'s' if th > 1 else ''} | {dw:.2f} | "
                  f"{dc:.2f} | {m(d, 'user'):.2f} | {m(d, 'sys'):.2f} | {m(d, 'rss'):.0f} | "
                  f"{hw / dw:.2f} | {hc / dc:.2f} |")
        for th in threads:
            ph = [r["result"]["phases"] for r in duck[th]]
            keys = list(dict.fromkeys(k for p in ph for k in p))
            print(f"\nDuckDB {th} thread{'s' if th > 1 else ''}, inside the process (medians, s): "
                  + ", ".join(f"{k} {med(p.get(k, 0.0) for p in ph):.3f}" for k in keys))
        print("per run, wall s (huishen / " + " / ".join(f"DuckDB {th}" for th in threads) + "): "
              + ", ".join("/".join(f"{x:.2f}" for x in (hs[k]["wall"], *(duck[th][k]["wall"] for th in threads)))
                          for k in range(runs)))
        print(f"\n### per-rule counts, DuckDB against huishen check ({n} records)\n")
        if bad:
            print("| rule | run | what | huishen (applicable, fails, missing) | DuckDB |")
            print("|---|---|---|---|---|")
            print("\n".join(bad))
        else:
            print(f"all {len(rule_sql)} rules: (applicable, fails, missing) equal in every DuckDB run")
        all_bad += bad
    if cleanup:
        cleanup.cleanup()
    if all_bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
