//! Whether reviewers are at work on the workspace, so that a check leaves the second core to
//! their sessions.

use rusqlite::Connection;

/// Whether reviewers are at work on the workspace: a claim that has not lapsed (seen within
/// the policy's `claim_minutes`, ten without a policy), or
/// an action on a record by someone other than `checker` in the last five. The check then
/// leaves the second core to their sessions.
pub(super) fn at_work(conn: &Connection, checker: &str) -> bool {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM claims
                        WHERE last_seen >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
                              '-' || coalesce((SELECT claim_minutes FROM policy), 10) || ' minutes'))
             OR EXISTS (SELECT 1 FROM events
                        WHERE id > (SELECT coalesce(max(id), 0) - 500 FROM events)
                          AND record IS NOT NULL AND reviewer <> ?1
                          AND at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-5 minutes'))",
        [checker],
        |r| r.get(0),
    )
    // Not knowing, the check keeps to one core.
    .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_claim_or_anothers_recent_action_keeps_the_check_to_one_core() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE claims (last_seen TEXT);
             CREATE TABLE policy (claim_minutes INTEGER); INSERT INTO policy VALUES (10);
             CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT, reviewer TEXT, record INTEGER);",
        )
        .unwrap();
        let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
        let ago = |m: u32| format!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-{m} minutes')");
        assert!(!at_work(&conn, "王五"));
        // The checker's own action, an action on no record, an old action: nobody at work.
        conn.execute_batch(&format!(
            "INSERT INTO events (at, reviewer, record) VALUES ({now}, '王五', 7), ({now}, '李四', NULL), ({}, '李四', 7);
             INSERT INTO claims VALUES ({});",
            ago(30),
            ago(20)
        ))
        .unwrap();
        assert!(!at_work(&conn, "王五"));
        conn.execute_batch(&format!("INSERT INTO claims VALUES ({});", ago(2)))
            .unwrap();
        assert!(at_work(&conn, "王五"));
        // A claim lapses after the policy's minutes.
        conn.execute_batch("UPDATE policy SET claim_minutes = 1")
            .unwrap();
        assert!(!at_work(&conn, "王五"));
        conn.execute_batch(&format!(
            "DELETE FROM claims; INSERT INTO events (at, reviewer, record) VALUES ({}, '李四', 9);",
            ago(1)
        ))
        .unwrap();
        assert!(at_work(&conn, "王五"));
        // For 李四, 王五's action a moment ago.
        conn.execute_batch("DELETE FROM events WHERE reviewer = '李四'")
            .unwrap();
        assert!(at_work(&conn, "李四"));
    }
}
