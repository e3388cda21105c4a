-- What the screen asks on every move must not grow with the workspace: a record's flags come
-- from an index, and the queue's counts are kept by triggers instead of counted.

CREATE INDEX flags_record ON flags (form, record);

CREATE TABLE queue_counts (
    form     TEXT NOT NULL,
    severity INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (form, severity)
) STRICT;

INSERT INTO queue_counts (form, severity, n)
SELECT form, severity, count(*) FROM queue GROUP BY form, severity;

CREATE TRIGGER queue_counts_insert AFTER INSERT ON queue
BEGIN
    INSERT INTO queue_counts (form, severity, n) VALUES (new.form, new.severity, 1)
    ON CONFLICT (form, severity) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER queue_counts_delete AFTER DELETE ON queue
BEGIN
    UPDATE queue_counts SET n = n - 1 WHERE form = old.form AND severity = old.severity;
END;
