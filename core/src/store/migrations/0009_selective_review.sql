-- Review at census scale: each record's scores (selective editing), the corrections the fix
-- rules propose, the reliability of each field (error localisation) and the queue's order by
-- score. Scores and proposals are figures the check computes, like the flags; what a
-- reviewer does with a proposal is an audited event.

ALTER TABLE fields ADD COLUMN reliability REAL NOT NULL DEFAULT 1.0;

-- One row per record and score definition. `value` is NULL when the record cannot be scored
-- (no item had a value, a predicted or auxiliary value and a standardiser); `high` is 1 when
-- the value reaches the score's threshold; `items` holds each item's score (NULL where that
-- item could not be scored), as JSON. `event` is the newest event when the row was computed:
-- a full check, computing beside working reviewers, never overwrites a row a re-check wrote
-- after it started.
CREATE TABLE scores (
    form   TEXT NOT NULL,
    record INTEGER NOT NULL,
    score  TEXT NOT NULL,
    value  REAL,
    high   INTEGER,
    items  TEXT NOT NULL,
    event  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (form, record, score)
) STRICT, WITHOUT ROWID;

-- One row per record and fix rule whose condition holds: the values it would write, as JSON
-- [[field, old, new], ...]. `dismissed_by` is the event that dismissed exactly these values;
-- `event` is as for scores.
CREATE TABLE proposals (
    form         TEXT NOT NULL,
    record       INTEGER NOT NULL,
    fix          TEXT NOT NULL,
    changes      TEXT NOT NULL,
    dismissed_by INTEGER,
    event        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (form, record, fix)
) STRICT, WITHOUT ROWID;

-- The queue's order by score: the record's highest score first (`priority` is its negation,
-- or 1e308 when it has none), then as before. `high` is 1 when a score reaches its threshold,
-- 0 when none does, NULL when the record has no score.
ALTER TABLE queue ADD COLUMN score REAL;
ALTER TABLE queue ADD COLUMN priority REAL NOT NULL DEFAULT 1e308;
ALTER TABLE queue ADD COLUMN high INTEGER;
ALTER TABLE queue ADD COLUMN proposals INTEGER NOT NULL DEFAULT 0;
CREATE INDEX queue_by_score ON queue (form, priority, severity, region, key);
