//! Every event's signature against the key its actor held at that point of the trail, as an
//! administrator's signed event enrolled it, back to the trail's root.

use std::collections::HashMap;

use super::{Event, Findings};
use crate::domain::EventKind;
use crate::seal;

/// Kinds only an administrator may sign.
const ADMINISTRATIVE: &[EventKind] = &[
    EventKind::ReviewerAdd,
    EventKind::ReviewerChange,
    EventKind::ReviewerRemove,
    EventKind::Policy,
    EventKind::Assign,
    EventKind::Import,
    EventKind::RulesLoad,
    EventKind::Check,
    EventKind::Upgrade,
];

/// A reviewer as the trail enrolled them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Enrolled {
    pub(super) role: String,
    pub(super) scope: String,
    pub(super) admin: bool,
    pub(super) public_key: String,
    pub(super) sealed: String,
}

impl Enrolled {
    pub(super) fn from(e: &Event) -> Enrolled {
        Enrolled {
            role: e.text("role"),
            scope: e.text("scope"),
            admin: e.get("admin").as_bool().unwrap_or(false),
            public_key: e.text("public_key"),
            sealed: e.text("sealed"),
        }
    }
}

/// Checks every event's signature. Events before the first signed one must be attested by
/// an upgrade event (their head hash in its payload); the first signed event is the root:
/// an administrator's enrolment, or an upgrade, signed by the key it names.
pub fn signatures(events: &[Event], f: &mut Findings) {
    let mut keys: HashMap<String, Enrolled> = HashMap::new();
    let attested = events
        .iter()
        .find(|e| e.is(EventKind::Upgrade))
        .and_then(|e| {
            let head = e.payload.get("head")?;
            Some((
                head.get("event")?.as_i64()?,
                head.get("hash")?.as_str()?.to_string(),
            ))
        });
    let mut rooted = false;
    let mut deferred: Vec<(usize, String, &str)> = Vec::new();
    for (index, e) in events.iter().enumerate() {
        let Some(signature) = &e.signature else {
            let covered = attested
                .as_ref()
                .is_some_and(|(id, _)| e.id <= *id && !rooted);
            if covered {
                f.attested += 1;
            } else {
                f.problems.push(format!(
                    "{} is not signed: it was written outside huishen",
                    e.what()
                ));
            }
            // Reviewers enrolled before keys: known by name, without a key.
            if e.is(EventKind::ReviewerAdd) {
                keys.insert(e.text("name"), Enrolled::from(e));
            }
            continue;
        };
        if !rooted {
            rooted = true;
            let root_kind = e.is(EventKind::ReviewerAdd) || e.is(EventKind::Upgrade);
            let public = e.text("public_key");
            if !root_kind || !e.get("admin").as_bool().unwrap_or(false) {
                f.problems.push(format!(
                    "{} is the first signed event but enrols no administrator: the trail has no root",
                    e.what()
                ));
            }
            if let Some((id, hash)) = &attested {
                let head = events.iter().take_while(|x| x.id <= *id).last();
                if e.is(EventKind::Upgrade) && head.is_none_or(|h| &h.hash != hash || h.id != *id) {
                    f.problems.push(format!(
                        "{} attests a trail that is not this one: events before it were changed",
                        e.what()
                    ));
                }
            }
            f.root = Some(seal::fingerprint(&public));
            keys.insert(
                if e.is(EventKind::Upgrade) {
                    e.reviewer.clone()
                } else {
                    e.text("name")
                },
                Enrolled::from(e),
            );
        }
        let Some(signer) = keys.get(&e.reviewer) else {
            f.problems.push(format!(
                "{} is signed as {}, whom no administrator enrolled before it",
                e.what(),
                e.reviewer
            ));
            continue;
        };
        f.signed += 1;
        let changes_keys = [
            EventKind::ReviewerAdd,
            EventKind::ReviewerChange,
            EventKind::ReviewerRemove,
            EventKind::Upgrade,
        ]
        .iter()
        .any(|k| e.is(*k));
        if signer.public_key.is_empty() {
            f.problems.push(forged(e));
            continue;
        }
        if !changes_keys {
            // Checked below, all together: no key depends on it.
            deferred.push((index, signer.public_key.clone(), signature.as_str()));
        } else if !seal::verifies(&signer.public_key, e.hash.as_bytes(), signature) {
            f.problems.push(forged(e));
            continue;
        }
        let administrative = ADMINISTRATIVE.iter().any(|k| e.is(*k));
        if administrative && !signer.admin {
            f.problems.push(format!(
                "{} was signed by {}, who is not an administrator",
                e.what(),
                e.reviewer
            ));
        }
        if e.is(EventKind::ReviewerAdd) || e.is(EventKind::ReviewerChange) {
            keys.insert(e.text("name"), Enrolled::from(e));
        }
        if e.is(EventKind::ReviewerRemove) {
            keys.remove(&e.text("name"));
        }
    }
    let jobs: Vec<(&str, &[u8], &str)> = deferred
        .iter()
        .map(|(i, public, signature)| (public.as_str(), events[*i].hash.as_bytes(), *signature))
        .collect();
    for ((i, _, _), ok) in deferred.iter().zip(seal::verify_all(&jobs)) {
        if !ok {
            f.problems.push(forged(&events[*i]));
        }
    }
}

/// What verify says of an event its actor's key did not sign.
fn forged(e: &Event) -> String {
    format!(
        "{} does not carry {}'s signature: it was written or changed outside huishen",
        e.what(),
        e.reviewer
    )
}
