-- The review queue: one row per record a rule has flagged, kept in step with `flags` by every
-- check and re-check, so that the screen reads it in order, a window at a time, at any size.

CREATE TABLE queue (
    form     TEXT NOT NULL,
    record   INTEGER NOT NULL,
    -- 0 when an error flag is open, 1 when only warnings are, 2 when every flag is fixed.
    severity INTEGER NOT NULL CHECK (severity IN (0, 1, 2)),
    region   TEXT NOT NULL,
    key      TEXT NOT NULL,
    name     TEXT,
    errors   INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    PRIMARY KEY (form, record)
) STRICT;

CREATE INDEX queue_order ON queue (form, severity, region, key);
