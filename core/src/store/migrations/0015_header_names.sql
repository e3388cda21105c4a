-- How an imported file may name a field and write "no value": each field's aliases and each
-- form's missing-value tokens, as JSON arrays of text (NULL for none).
ALTER TABLE fields ADD COLUMN aliases TEXT;
ALTER TABLE forms ADD COLUMN null_values TEXT;

-- How a peers definition takes its quartiles, when not the default nearest rank: a table of
-- its own, so that a rule set stored before it keeps its digest.
CREATE TABLE peers_quantiles (
    rule_set  INTEGER NOT NULL REFERENCES rule_sets (id),
    name      TEXT NOT NULL,
    quantiles TEXT NOT NULL CHECK (quantiles IN ('type7')),
    PRIMARY KEY (rule_set, name)
) STRICT;
