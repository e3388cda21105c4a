-- Scores and proposals an edit left due. A correction that moves a peers group's figures (a
-- record moved between prefectures, say) moves the scores of every record in the group; the
-- action scores its own record and notes the group here, and the group is scored again just
-- after, a slice at a time in short write transactions, so no action holds the write lock
-- for a whole group. `grp` is the group expression ('' for the whole form), `value` the
-- group's value, `event` the newest event of the edit that made it due: a refresh computed
-- from a read that saw that event removes the row.
CREATE TABLE refresh_due (
    form  TEXT NOT NULL,
    kind  TEXT NOT NULL CHECK (kind IN ('score', 'fix')),
    id    TEXT NOT NULL,
    grp   TEXT NOT NULL,
    value ANY,
    event INTEGER NOT NULL
) STRICT;
CREATE INDEX refresh_due_by_event ON refresh_due (event);
