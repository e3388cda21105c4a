-- What a field's codes mean: value labels from the schema (JSON: [[code, zh, en], ...]) and
-- the reference table that names its codes (division or industry).
ALTER TABLE fields ADD COLUMN value_labels TEXT;
ALTER TABLE fields ADD COLUMN names TEXT CHECK (names IN ('division', 'industry'));
