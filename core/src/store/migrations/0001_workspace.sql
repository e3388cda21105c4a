-- The workspace's own tables. Form tables (one per form, named after it) are made from the
-- schema by store::forms.

CREATE TABLE workspace (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    huishen_version TEXT NOT NULL,
    schema_file     TEXT NOT NULL,
    schema_source   TEXT NOT NULL
) STRICT;

CREATE TABLE forms (
    name          TEXT PRIMARY KEY,
    position      INTEGER NOT NULL,
    label_zh      TEXT NOT NULL,
    label_en      TEXT NOT NULL,
    key_field     TEXT NOT NULL,
    display_field TEXT,
    region_field  TEXT
) STRICT;

CREATE TABLE fields (
    form     TEXT NOT NULL REFERENCES forms (name),
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    type     TEXT NOT NULL CHECK (type IN ('text', 'integer', 'real', 'code', 'bool')),
    unit_zh  TEXT,
    unit_en  TEXT,
    required INTEGER NOT NULL CHECK (required IN (0, 1)),
    PRIMARY KEY (form, name)
) STRICT;

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    form        TEXT NOT NULL REFERENCES forms (name),
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
) STRICT;

-- Reference tables (sample-data/reference): current Shandong divisions, codes retired since
-- 2019, and GB/T 4754-2017 industries.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county', 'township')),
    parent_code TEXT
) STRICT;

CREATE TABLE regions_retired (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE industries (
    code  TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4)
) STRICT;
