-- Review sessions with many reviewers: who is on which record, and who reviews what.

-- A claim says a reviewer is working on a record; others may read it but not change it, or take
-- it over. A claim lapses after `claim_minutes` without activity.
CREATE TABLE claims (
    form      TEXT NOT NULL,
    record    INTEGER NOT NULL,
    reviewer  TEXT NOT NULL,
    since     TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (form, record)
) STRICT;
CREATE INDEX claims_reviewer ON claims (reviewer);

ALTER TABLE policy ADD COLUMN claim_minutes INTEGER NOT NULL DEFAULT 10 CHECK (claim_minutes >= 1);

-- The work split: a reviewer's queue shows, by default, the records of their regions, rules or
-- forms.
CREATE TABLE assignments (
    reviewer TEXT NOT NULL REFERENCES reviewers (name),
    kind     TEXT NOT NULL CHECK (kind IN ('region', 'rule', 'form')),
    value    TEXT NOT NULL,
    PRIMARY KEY (reviewer, kind, value)
) STRICT;
