-- How an imported file may name a field and write "no value": each field's aliases and each
-- form's missing-value tokens, as JSON arrays of text (NULL for none).
ALTER TABLE fields ADD COLUMN aliases TEXT;
ALTER TABLE forms ADD COLUMN null_values TEXT;
