-- The review workflow: reviewers, the policy, each record's version and lock, and the
-- append-only audit trail with the tables that index it.

CREATE TABLE reviewers (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    -- A division-code prefix the reviewer may act in; '' for everywhere.
    scope      TEXT NOT NULL DEFAULT '',
    -- argon2id PHC string.
    passphrase TEXT NOT NULL,
    added_at   TEXT NOT NULL
) STRICT;

CREATE TABLE policy (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    signatures_required INTEGER NOT NULL DEFAULT 2 CHECK (signatures_required >= 1),
    distinct_roles      INTEGER NOT NULL DEFAULT 1 CHECK (distinct_roles IN (0, 1)),
    four_eyes           INTEGER NOT NULL DEFAULT 1 CHECK (four_eyes IN (0, 1))
) STRICT;
INSERT INTO policy (id) VALUES (1);

-- Every action on a record raises its version; a write that expected another version is
-- refused with who changed the record and when.
CREATE TABLE record_state (
    form       TEXT NOT NULL,
    record     INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    locked     INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (form, record)
) STRICT;

-- The audit trail. Each event's hash is sha256(previous hash || canonical event); huishen
-- never updates or deletes a row, and these triggers refuse it to anyone else who tries
-- without first dropping them (which `huishen verify` then detects through the chain).
CREATE TABLE events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    form      TEXT,
    record    INTEGER,
    key       TEXT,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX events_record ON events (form, record, id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TABLE corrections (
    event     INTEGER PRIMARY KEY REFERENCES events (id),
    form      TEXT NOT NULL,
    record    INTEGER NOT NULL,
    field     TEXT NOT NULL,
    old_value ANY,
    new_value ANY,
    reason    TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL,
    -- The undo event that took it back, if any.
    undone_by INTEGER REFERENCES events (id)
) STRICT;
CREATE INDEX corrections_record ON corrections (form, record, field);

CREATE TABLE explanations (
    event     INTEGER PRIMARY KEY REFERENCES events (id),
    form      TEXT NOT NULL,
    record    INTEGER NOT NULL,
    rule      TEXT NOT NULL,
    text      TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL,
    undone_by INTEGER REFERENCES events (id)
) STRICT;
CREATE INDEX explanations_record ON explanations (form, record, rule);

CREATE TABLE notes (
    event     INTEGER PRIMARY KEY REFERENCES events (id),
    form      TEXT NOT NULL,
    record    INTEGER NOT NULL,
    text      TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL,
    undone_by INTEGER REFERENCES events (id)
) STRICT;
CREATE INDEX notes_record ON notes (form, record);

CREATE TABLE signatures (
    event       INTEGER PRIMARY KEY REFERENCES events (id),
    form        TEXT NOT NULL,
    record      INTEGER NOT NULL,
    reviewer    TEXT NOT NULL,
    role        TEXT NOT NULL,
    at          TEXT NOT NULL,
    -- sha256 of the record's values when it was signed.
    record_hash TEXT NOT NULL,
    -- The reopen or undo event that voided it, if any.
    voided_by   INTEGER REFERENCES events (id)
) STRICT;
CREATE INDEX signatures_record ON signatures (form, record);

-- Common reasons for corrections, from the schema file.
CREATE TABLE reasons (
    position INTEGER PRIMARY KEY,
    zh       TEXT NOT NULL,
    en       TEXT NOT NULL
) STRICT;
