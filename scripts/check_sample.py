#!/usr/bin/env python3
"""Check a generated G101_1 sample against the review rules and its defect manifest.

Loads the CSV into an in-memory SQLite table `records` (column names and types from
schema.toml), loads the reference tables `regions` and `industries`, evaluates every rule
expression below (R01-R31, X01-X06) and compares the records each rule flags with the defects
the generator says it seeded. Any clean record that fails a rule, any seeded defect that does
not fire its rules, and any record that fails a rule its defect does not list is a difference.

    python3 scripts/check_sample.py                         # the committed sample and README
    python3 scripts/check_sample.py --csv x.csv --manifest x_defects.csv

The manifest is either markdown with a `| key | rules | defect |` table (sample-data/README.md,
or the output of `huishen::sample::defects_markdown`) or the CSV that
`huishen sample --defects FILE` writes (key, space-separated rules, description; no header).

Rule conventions (census_domain.md §6.1, huishen DESIGN.md): a rule passes when its expression is
1, fails when 0 and is *missing* when NULL. The outer table is `records`, never aliased; inner
tables are aliased. Parameters are bound: $jurisdiction = '37' (Shandong), $ref_year = 2017.
The application registers `uscc_valid(code)` (GB 32100-2015 check character) and the reference
tables `regions(code, name, level, parent_code)` and `industries(code, name, level)`.

Python 3.11+, standard library only.
"""

import argparse
import csv
import pathlib
import re
import sqlite3
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARAMS = {"jurisdiction": "37", "ref_year": 2017}

# ---------------------------------------------------------------------------------------------
# The rules: (id, severity, title, SQLite expression). These are the expressions rules.toml uses.
# ---------------------------------------------------------------------------------------------

RULES = [
    ("R01", "error", "Mandatory G101-1 items missing",
     "COALESCE(TRIM(unit_name),'') <> '' AND COALESCE(TRIM(credit_code),'') <> '' AND COALESCE(TRIM(region_code),'') <> '' AND COALESCE(TRIM(industry_code),'') <> '' AND longitude IS NOT NULL AND latitude IS NOT NULL AND output_value_10k_yuan IS NOT NULL AND production_hours IS NOT NULL AND COALESCE(TRIM(scale_code),'') <> '' AND open_year IS NOT NULL AND has_gas_treatment IS NOT NULL"),

    ("R02", "error", "Credit code malformed (18 chars of the GB 32100 alphabet, chars 3-8 digits)",
     "CASE WHEN COALESCE(credit_code,'') = '' THEN 1 ELSE credit_code GLOB '[0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9][0-9][0-9][0-9][0-9][0-9][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY]' END"),

    ("R03", "error", "Credit code check character wrong (GB 32100-2015 mod 31)",
     "CASE WHEN credit_code GLOB '[0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9][0-9][0-9][0-9][0-9][0-9][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY]' THEN uscc_valid(credit_code) ELSE 1 END"),

    ("R04", "error", "Division code is not a current county-level code",
     "CASE WHEN COALESCE(region_code,'') = '' THEN 1 ELSE EXISTS (SELECT 1 FROM regions g WHERE g.code = records.region_code AND g.level = 'county') END"),

    ("R05", "error", "Division code outside the jurisdiction",
     "CASE WHEN COALESCE(region_code,'') = '' THEN 1 ELSE substr(region_code, 1, length($jurisdiction)) = $jurisdiction END"),

    ("R06", "error", "Industry code is not a GB/T 4754-2017 class in divisions 06-46",
     "CASE WHEN COALESCE(industry_code,'') = '' THEN 1 ELSE EXISTS (SELECT 1 FROM industries i WHERE i.code = records.industry_code AND i.level = 4 AND substr(i.code,1,2) BETWEEN '06' AND '46') END"),

    ("R07", "error", "Opening year outside 1900 to the reference year",
     "CASE WHEN open_year IS NULL THEN 1 ELSE open_year BETWEEN 1900 AND $ref_year END"),

    ("R08", "error", "Coordinates outside Shandong (114.8-122.7 E, 34.4-38.4 N)",
     "CASE WHEN longitude IS NULL OR latitude IS NULL THEN 1 ELSE longitude BETWEEN 114.8 AND 122.7 AND latitude BETWEEN 34.4 AND 38.4 END"),

    ("R09", "error", "Normal production hours outside 0-8760",
     "CASE WHEN production_hours IS NULL THEN 1 ELSE production_hours BETWEEN 0 AND 8760 END"),

    ("R10", "error", "Quantities must be non-negative",
     "COALESCE(output_value_10k_yuan,0) >= 0 AND COALESCE(fuel_coal_t,0) >= 0 AND COALESCE(coal_sulfur_pct,0) >= 0 AND COALESCE(water_intake_t,0) >= 0 AND COALESCE(wastewater_t,0) >= 0 AND COALESCE(cod_gen_t,0) >= 0 AND COALESCE(cod_emit_t,0) >= 0 AND COALESCE(nh3n_gen_t,0) >= 0 AND COALESCE(nh3n_emit_t,0) >= 0 AND COALESCE(gas_facility_count,0) >= 0 AND COALESCE(so2_gen_t,0) >= 0 AND COALESCE(so2_emit_t,0) >= 0 AND COALESCE(nox_gen_t,0) >= 0 AND COALESCE(nox_emit_t,0) >= 0 AND COALESCE(pm_gen_t,0) >= 0 AND COALESCE(pm_emit_t,0) >= 0 AND COALESCE(vocs_emit_kg,0) >= 0 AND COALESCE(solid_waste_gen_t,0) >= 0"),

    ("R11", "error", "COD emitted exceeds COD generated",
     "CASE WHEN cod_emit_t IS NOT NULL THEN cod_emit_t <= COALESCE(cod_gen_t,0) + 1e-6 ELSE 1 END"),

    ("R12", "error", "NH3-N emitted exceeds NH3-N generated",
     "CASE WHEN nh3n_emit_t IS NOT NULL THEN nh3n_emit_t <= COALESCE(nh3n_gen_t,0) + 1e-6 ELSE 1 END"),

    ("R13", "error", "SO2 emitted exceeds SO2 generated",
     "CASE WHEN so2_emit_t IS NOT NULL THEN so2_emit_t <= COALESCE(so2_gen_t,0) + 1e-6 ELSE 1 END"),

    ("R14", "error", "NOx emitted exceeds NOx generated",
     "CASE WHEN nox_emit_t IS NOT NULL THEN nox_emit_t <= COALESCE(nox_gen_t,0) + 1e-6 ELSE 1 END"),

    ("R15", "error", "PM emitted exceeds PM generated",
     "CASE WHEN pm_emit_t IS NOT NULL THEN pm_emit_t <= COALESCE(pm_gen_t,0) + 1e-6 ELSE 1 END"),

    ("R16", "error", "Desulphurisation efficiency outside 0-100 %",
     "CASE WHEN desulf_eff_pct IS NOT NULL THEN desulf_eff_pct BETWEEN 0 AND 100 ELSE 1 END"),

    ("R17", "error", "Gas-treatment flag and facility count disagree",
     "CASE WHEN has_gas_treatment IS NULL THEN 1 WHEN has_gas_treatment = 1 THEN COALESCE(gas_facility_count,0) >= 1 WHEN has_gas_treatment = 0 THEN COALESCE(gas_facility_count,0) = 0 ELSE 0 END"),

    ("R18", "warning", "No gas treatment, yet SO2/NOx/PM emitted below generated",
     "CASE WHEN has_gas_treatment = 0 THEN COALESCE(so2_emit_t,0) >= 0.99 * COALESCE(so2_gen_t,0) AND COALESCE(nox_emit_t,0) >= 0.99 * COALESCE(nox_gen_t,0) AND COALESCE(pm_emit_t,0) >= 0.99 * COALESCE(pm_gen_t,0) ELSE 1 END"),

    ("R19", "error", "Fuel coal requires sulphur content in (0, 10] %",
     "CASE WHEN COALESCE(fuel_coal_t,0) > 0 THEN COALESCE(coal_sulfur_pct,0) > 0 AND COALESCE(coal_sulfur_pct,0) <= 10 ELSE 1 END"),

    ("R20", "error", "Fuel coal implies SO2 generated > 0",
     "CASE WHEN COALESCE(fuel_coal_t,0) > 0 THEN COALESCE(so2_gen_t,0) > 0 ELSE 1 END"),

    ("R21", "warning", "SO2 generated off the coal sulphur balance (1.6 x coal x S%) by > 50 %",
     "CASE WHEN COALESCE(fuel_coal_t,0) > 0 AND COALESCE(coal_sulfur_pct,0) > 0 THEN COALESCE(so2_gen_t,0) BETWEEN 0.008 * fuel_coal_t * coal_sulfur_pct AND 0.024 * fuel_coal_t * coal_sulfur_pct ELSE 1 END"),

    ("R22", "error", "Wastewater discharged requires the receiving water",
     "CASE WHEN COALESCE(wastewater_t,0) > 0 THEN COALESCE(TRIM(receiving_water),'') <> '' ELSE 1 END"),

    ("R23", "error", "COD or NH3-N emitted implies wastewater > 0",
     "CASE WHEN COALESCE(cod_emit_t,0) > 0 OR COALESCE(nh3n_emit_t,0) > 0 THEN COALESCE(wastewater_t,0) > 0 ELSE 1 END"),

    ("R24", "warning", "Wastewater exceeds 105 % of water intake",
     "CASE WHEN COALESCE(wastewater_t,0) > 0 THEN wastewater_t <= COALESCE(water_intake_t,0) * 1.05 ELSE 1 END"),

    ("R25", "warning", "Implied COD concentration outside 5-500 mg/L",
     "CASE WHEN COALESCE(wastewater_t,0) > 0 THEN COALESCE(cod_emit_t,0) * 1000000.0 / wastewater_t BETWEEN 5 AND 500 ELSE 1 END"),

    # VOC-relevant industries: divisions 21 furniture, 23 printing, 27 pharmaceuticals,
    # 36 motor vehicles; classes 2511 refining, 2614 organic chemicals, 2641 coatings,
    # 2642 inks, 2651 synthetic resins, 2911 tyres (src/sample/industry.rs VOC_DIVISIONS/CLASSES).
    ("R26", "warning", "VOC-relevant industry reports no VOCs",
     "CASE WHEN substr(industry_code,1,2) IN ('21','23','27','36') OR industry_code IN ('2511','2614','2641','2642','2651','2911') THEN COALESCE(vocs_emit_kg,0) > 0 ELSE 1 END"),

    ("R27", "error", "Same credit code twice in one county",
     "CASE WHEN COALESCE(credit_code,'') = '' THEN 1 ELSE NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.credit_code = records.credit_code AND r2.region_code = records.region_code AND r2.record_id <> records.record_id) END"),

    ("R28", "warning", "Same credit code in another county",
     "CASE WHEN COALESCE(credit_code,'') = '' THEN 1 ELSE NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.credit_code = records.credit_code AND r2.region_code <> records.region_code) END"),

    # Tukey far-out fence Q3 + 3 IQR of SO2 t per 10k yuan among the division's records with
    # output > 0 and SO2 > 0 (at least 5). Q(f) = the smallest x whose cumulative count >= f n,
    # as in census_domain.md §6.2, computed with window functions: the derived table `f` is not
    # correlated, so SQLite materialises it once per statement instead of once per row.
    ("R29", "warning", "SO2 intensity above Q3 + 3 IQR of its industry division",
     "CASE WHEN COALESCE(output_value_10k_yuan,0) > 0 AND COALESCE(so2_emit_t,0) > 0 THEN COALESCE(so2_emit_t * 1.0 / output_value_10k_yuan <= (SELECT f.q3 + 3 * (f.q3 - f.q1) FROM (SELECT s.div, MIN(CASE WHEN s.c >= 0.75 * s.n THEN s.x END) AS q3, MIN(CASE WHEN s.c >= 0.25 * s.n THEN s.x END) AS q1, MAX(s.n) AS n FROM (SELECT substr(p.industry_code,1,2) AS div, p.so2_emit_t * 1.0 / p.output_value_10k_yuan AS x, COUNT(*) OVER (PARTITION BY substr(p.industry_code,1,2) ORDER BY p.so2_emit_t * 1.0 / p.output_value_10k_yuan) AS c, COUNT(*) OVER (PARTITION BY substr(p.industry_code,1,2)) AS n FROM records p WHERE p.output_value_10k_yuan > 0 AND p.so2_emit_t > 0) s GROUP BY s.div) f WHERE f.div = substr(records.industry_code,1,2) AND f.n >= 5), 1) ELSE 1 END"),

    ("R30", "warning", "SO2 changed more than 3x from the 2016 value",
     "CASE WHEN COALESCE(prev_so2_emit_t,0) > 0 THEN COALESCE(so2_emit_t,0) BETWEEN prev_so2_emit_t / 3.0 AND prev_so2_emit_t * 3.0 ELSE 1 END"),

    ("R31", "warning", "Output value changed more than 3x from the 2016 value",
     "CASE WHEN COALESCE(prev_output_value_10k_yuan,0) > 0 THEN COALESCE(output_value_10k_yuan,0) BETWEEN prev_output_value_10k_yuan / 3.0 AND prev_output_value_10k_yuan * 3.0 ELSE 1 END"),

    ("X01", "warning", "Credit code registered in another prefecture (province-level exempt)",
     "CASE WHEN credit_code GLOB '[0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9][0-9][0-9][0-9][0-9][0-9][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY]' AND COALESCE(region_code,'') <> '' THEN substr(credit_code,3,4) = substr(region_code,1,4) OR substr(credit_code,5,2) = '00' ELSE 1 END"),

    ("X02", "warning", "Coordinates identical to another record",
     "CASE WHEN longitude IS NULL OR latitude IS NULL THEN 1 ELSE NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.longitude = records.longitude AND r2.latitude = records.latitude AND r2.record_id <> records.record_id) END"),

    ("X03", "warning", "Same unit name with a different credit code",
     "CASE WHEN COALESCE(TRIM(unit_name),'') = '' THEN 1 ELSE NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.unit_name = records.unit_name AND COALESCE(r2.credit_code,'') <> COALESCE(records.credit_code,'') AND r2.record_id <> records.record_id) END"),

    ("X04", "warning", "Zero production hours with output or emissions (or the reverse)",
     "CASE WHEN production_hours = 0 THEN COALESCE(output_value_10k_yuan,0) = 0 AND COALESCE(so2_emit_t,0) = 0 AND COALESCE(cod_emit_t,0) = 0 WHEN COALESCE(output_value_10k_yuan,0) > 0 THEN COALESCE(production_hours,0) > 0 ELSE 1 END"),

    # Adapted: an efficiency outside 0-100 % is R16's finding and is not compared again here.
    ("X05", "warning", "Reported desulphurisation efficiency differs > 5 points from (gen - emit) / gen",
     "CASE WHEN desulf_eff_pct BETWEEN 0 AND 100 AND COALESCE(so2_gen_t,0) > 0 THEN ABS((so2_gen_t - COALESCE(so2_emit_t,0)) * 100.0 / so2_gen_t - desulf_eff_pct) <= 5 ELSE 1 END"),

    ("X06", "warning", "Fuel coal burned but no general solid waste",
     "CASE WHEN COALESCE(fuel_coal_t,0) > 0 THEN COALESCE(solid_waste_gen_t,0) > 0 ELSE 1 END"),
]

# ---------------------------------------------------------------------------------------------
# Functions and tables the application registers.
# ---------------------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_valid(code):
    """1 when an 18-character code has the right GB 32100-2015 check character, else 0; NULL
    for NULL."""
    if code is None:
        return None
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return 0
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(code[:17], USCC_WEIGHTS))
    return int(USCC_ALPHABET[(31 - total % 31) % 31] == code[17])


SQL_TYPES = {"text": "TEXT", "code": "TEXT", "integer": "INTEGER", "real": "REAL", "bool": "INTEGER"}


def convert(value, ty):
    if value == "":
        return None
    if ty in ("integer", "bool"):
        return int(value)
    if ty == "real":
        return float(value)
    return value


def load_schema(path):
    with open(path, "rb") as f:
        schema = tomllib.load(f)
    form = next(f for f in schema["form"] if f["name"] == "G101_1")
    return [(f["name"], f["label"]["zh"], f["type"]) for f in form["field"]]


def connect(csv_path, schema_path, reference_dir):
    fields = load_schema(schema_path)
    conn = sqlite3.connect(":memory:")
    conn.create_function("uscc_valid", 1, uscc_valid, deterministic=True)
    conn.execute("CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT, level TEXT, parent_code TEXT)")
    conn.execute("CREATE TABLE industries (code TEXT PRIMARY KEY, name TEXT, level INTEGER)")
    with open(reference_dir / "shandong_divisions.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    conn.executemany("INSERT INTO regions VALUES (?, ?, ?, NULLIF(?, ''))",
                     [(r["code"], r["name"], r["level"], r["parent_code"]) for r in rows])
    with open(reference_dir / "industry_gbt4754.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    conn.executemany("INSERT INTO industries VALUES (?, ?, ?)",
                     [(r["code"], r["name"], int(r["level"])) for r in rows])

    columns = ", ".join(f"{name} {SQL_TYPES[ty]}" for name, _, ty in fields)
    conn.execute(f"CREATE TABLE records ({columns}, PRIMARY KEY (record_id))")
    with open(csv_path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        by_label = {label: (name, ty) for name, label, ty in fields}
        by_label.update({name: (name, ty) for name, _, ty in fields})
        try:
            cols = [by_label[h] for h in header]
        except KeyError as e:
            sys.exit(f"{csv_path}: unknown column {e}")
        if [c[0] for c in cols] != [f[0] for f in fields]:
            sys.exit(f"{csv_path}: columns are not in schema order")
        placeholders = ", ".join("?" for _ in cols)
        conn.executemany(
            f"INSERT INTO records VALUES ({placeholders})",
            ([convert(v, ty) for v, (_, ty) in zip(row, cols)] for row in reader),
        )
    # Indexes the workspace also has for its cross-record rules.
    conn.execute("CREATE INDEX records_credit ON records (credit_code)")
    conn.execute("CREATE INDEX records_point ON records (longitude, latitude)")
    conn.execute("CREATE INDEX records_name ON records (unit_name)")
    return conn


def load_manifest(path):
    """{key: (set of rules, description)} from a markdown table or the CLI's defects CSV."""
    defects = {}
    text = pathlib.Path(path).read_text(encoding="utf-8")
    if path.suffix == ".md":
        begin, end = "<!-- defects:begin -->", "<!-- defects:end -->"
        if begin in text:
            text = text.split(begin, 1)[1].split(end, 1)[0]
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rules = set(re.findall(r"[RX]\d\d", cells[1])) if len(cells) == 3 else set()
            # Rows of the census-object rules (B, W, P: boilers, outlets and their totals) are
            # checked by huishen's tests (tests/sample_objects.rs), not here.
            if rules and re.fullmatch(r"G\w+", cells[0]):
                defects[cells[0]] = (rules, cells[2])
    else:
        for row in csv.reader(text.splitlines()):
            rules = set(re.findall(r"[RX]\d\d", row[1])) if row else set()
            if row and row[0] != "key" and rules:
                defects[row[0]] = (rules, row[2])
    return defects


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", type=pathlib.Path, default=ROOT / "sample-data/shandong-2017/g101_1.csv")
    ap.add_argument("--manifest", type=pathlib.Path, default=ROOT / "sample-data/README.md")
    ap.add_argument("--schema", type=pathlib.Path, default=ROOT / "sample-data/shandong-2017/schema.toml")
    ap.add_argument("--reference", type=pathlib.Path, default=ROOT / "sample-data/reference")
    ap.add_argument("--show", type=int, default=10, help="differences listed per rule")
    args = ap.parse_args()

    conn = connect(args.csv, args.schema, args.reference)
    defects = load_manifest(args.manifest)
    (total,) = conn.execute("SELECT COUNT(*) FROM records").fetchone()
    unknown = [k for k in defects if not conn.execute(
        "SELECT 1 FROM records WHERE record_id = ?", (k,)).fetchone()]

    print(f"{args.csv}: {total} records, {len(defects)} seeded defects "
          f"({100.0 * len(defects) / max(total, 1):.1f} %)")
    print(f"{'rule':<5} {'severity':<8} {'expected':>8} {'fail':>6} {'missing':>7} {'diffs':>6}")
    differences = len(unknown)
    for key in unknown:
        print(f"  manifest key {key} is not in the CSV")
    for rule_id, severity, title, expr in RULES:
        results = conn.execute(f"SELECT record_id, ({expr}) FROM records", PARAMS).fetchall()
        fail = {k for k, v in results if v == 0}
        missing = {k for k, v in results if v is None}
        odd = {k for k, v in results if v not in (0, 1, None)}
        expected = {k for k, (rules, _) in defects.items() if rule_id in rules}
        unexpected = sorted((fail | missing | odd) - expected)
        missed = sorted(expected - fail)
        n = len(unexpected) + len(missed)
        differences += n
        print(f"{rule_id:<5} {severity:<8} {len(expected):>8} {len(fail):>6} {len(missing):>7} {n:>6}"
              f"  {title}")
        for key in unexpected[: args.show]:
            seeded = defects.get(key)
            what = f"seeded: {seeded[1]} ({', '.join(sorted(seeded[0]))})" if seeded else "clean record"
            verdict = "missing" if key in missing else "fails"
            print(f"      {key} {verdict} {rule_id} but is not listed for it; {what}")
        for key in missed[: args.show]:
            print(f"      {key} should fail {rule_id} ({defects[key][1]}) but does not")
    print(f"differences: {differences}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
