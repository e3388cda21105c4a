-- A census object of many forms: a child form names its parent form and the field holding
-- the parent record's key (a boiler's row, under its enterprise).
ALTER TABLE forms ADD COLUMN parent_form TEXT;
ALTER TABLE forms ADD COLUMN parent_field TEXT;
