-- Review rules and their verdicts. A rule set is one loaded rule file; loading a changed file
-- adds a new rule set, and every flag remembers the rule set that last checked it.

CREATE TABLE rule_sets (
    id        INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    source    TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    loaded_by TEXT NOT NULL
) STRICT;

CREATE TABLE rule_params (
    rule_set INTEGER NOT NULL REFERENCES rule_sets (id),
    name     TEXT NOT NULL,
    value    ANY,
    PRIMARY KEY (rule_set, name)
) STRICT;

CREATE TABLE peers (
    rule_set   INTEGER NOT NULL REFERENCES rule_sets (id),
    name       TEXT NOT NULL,
    form       TEXT NOT NULL REFERENCES forms (name),
    group_sql  TEXT NOT NULL,
    value_sql  TEXT NOT NULL,
    where_sql  TEXT,
    PRIMARY KEY (rule_set, name)
) STRICT;

CREATE TABLE rules (
    rule_set     INTEGER NOT NULL REFERENCES rule_sets (id),
    id           TEXT NOT NULL,
    position     INTEGER NOT NULL,
    form         TEXT NOT NULL REFERENCES forms (name),
    severity     TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    title_zh     TEXT NOT NULL,
    title_en     TEXT NOT NULL,
    hint_zh      TEXT,
    hint_en      TEXT,
    check_sql    TEXT NOT NULL,
    when_sql     TEXT,
    related_sql  TEXT,
    -- Fields the rule reads, space-separated: from the file, or found when it was loaded.
    fields       TEXT NOT NULL,
    -- 'record' (reads only its own record), 'related' (others, found by related_sql) or
    -- 'form' (others, found only by checking every record).
    reach        TEXT NOT NULL CHECK (reach IN ('record', 'related', 'form')),
    PRIMARY KEY (rule_set, id)
) STRICT;

-- One row per (record, rule) verdict that is not a pass. An open flag is failing now; when
-- its rule passes again it is resolved and stays as history.
CREATE TABLE flags (
    id           INTEGER PRIMARY KEY,
    form         TEXT NOT NULL REFERENCES forms (name),
    record       INTEGER NOT NULL,
    rule         TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('fail', 'missing', 'error')),
    state        TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
    first_seen   TEXT NOT NULL,
    last_checked TEXT NOT NULL,
    rule_set     INTEGER NOT NULL REFERENCES rule_sets (id),
    resolved_at  TEXT
) STRICT;

CREATE UNIQUE INDEX flags_open ON flags (form, record, rule) WHERE state = 'open';
CREATE INDEX flags_rule ON flags (rule, state);
