-- A signed trail: every reviewer has an Ed25519 key pair, the private half sealed under their
-- passphrase; every event carries its actor's signature over the event's hash; administrators
-- (组长) alone enrol reviewers, set the policy, split the work, load rules, import and check.

ALTER TABLE reviewers ADD COLUMN admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1));
-- Hex of the Ed25519 public key; '' for a reviewer enrolled before keys (see `huishen upgrade`).
ALTER TABLE reviewers ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
-- The private key sealed under the passphrase: v1:salt:nonce:ciphertext (hex).
ALTER TABLE reviewers ADD COLUMN sealed_key TEXT NOT NULL DEFAULT '';

-- Hex of the actor's Ed25519 signature over the event's hash; NULL only for events written
-- before keys, which an `upgrade` event attests as a whole.
ALTER TABLE events ADD COLUMN signature TEXT;

-- The sha256 of an import's rows as imported (in rowid order), kept in its signed event too,
-- so that verify can replay the data: imported values with the corrections made since.
ALTER TABLE imports ADD COLUMN digest TEXT NOT NULL DEFAULT '';

-- The hash of each imported record as imported (its key kept beside it), so that verify can
-- name the record whose values changed outside huishen; the import's signed digest covers
-- these hashes, in record order.
CREATE TABLE import_rows (
    form   TEXT NOT NULL,
    record INTEGER NOT NULL,
    import INTEGER NOT NULL,
    key    TEXT NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (form, record)
) STRICT, WITHOUT ROWID;
