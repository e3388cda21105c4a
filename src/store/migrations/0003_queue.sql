-- The review queue: one row per record with open flags, kept in step with `flags` by every
-- check and re-check, so that the screen reads it in order, a window at a time, at any size.

CREATE TABLE queue (
    form     TEXT NOT NULL,
    record   INTEGER NOT NULL,
    -- 0 when an error flag is open, 1 when only warnings are.
    severity INTEGER NOT NULL CHECK (severity IN (0, 1)),
    region   TEXT NOT NULL,
    key      TEXT NOT NULL,
    name     TEXT,
    errors   INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    PRIMARY KEY (form, record)
) STRICT;

CREATE INDEX queue_order ON queue (form, severity, region, key);
