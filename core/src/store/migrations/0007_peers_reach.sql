-- A rule's reach may be 'peers': it reads other records only through peers figures, so a
-- re-check runs it on the edited record and on the groups whose figures it reads moved.
CREATE TABLE rules_next (
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
    -- 'record' (reads only its own record), 'related' (others, found by related_sql),
    -- 'peers' (others only through peers figures) or 'form' (others, found only by checking
    -- every record).
    reach        TEXT NOT NULL CHECK (reach IN ('record', 'related', 'peers', 'form')),
    PRIMARY KEY (rule_set, id)
) STRICT;
INSERT INTO rules_next SELECT * FROM rules;
DROP TABLE rules;
ALTER TABLE rules_next RENAME TO rules;
