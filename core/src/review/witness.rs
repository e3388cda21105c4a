//! Witness files: heads of the audit trail (event number, hash, time) kept outside the
//! workspace, one line each, appended by `huishen verify --witness FILE`. A file anyone may
//! read, print or mail; what it proves is that the trail still holds every head in it.

use std::io::Write;
use std::path::Path;

use super::{Verification, Workspace};
use crate::error::{Error, Result};
use crate::seal::Signer;
use crate::store::Head;

/// What a verification with a witness file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witnessed {
    /// The heads the file held, every one of them checked.
    pub heads: usize,
    /// The event whose head was appended (none when the file ends with it already, or when
    /// the workspace does not verify).
    pub added: Option<i64>,
}

impl Workspace {
    /// [`Workspace::verify`], and the heads kept in the witness file `file` (kept outside the
    /// workspace): the trail must still hold each one. When everything holds, the current head
    /// is appended to the file (created if need be), so that the next verification can hold
    /// the trail to it.
    /// The head appended is signed by `by`, an administrator; without one, nothing is appended.
    pub fn verify_witnessed(
        &self,
        file: &Path,
        by: Option<&Signer>,
        deep: bool,
    ) -> Result<(Verification, Witnessed)> {
        let heads = read(file)?;
        let v = self
            .store
            .verify(&heads, deep)
            .map_err(|e| self.store.locate(e))?;
        let mut witnessed = Witnessed {
            heads: heads.len(),
            added: None,
        };
        if let Some(by) = by {
            self.authorised(by, ("sign a witnessed head", "签署见证记录"))?;
        }
        if v.ok()
            && let Some(by) = by
            && let Some((event, hash)) = &v.head
            && heads
                .last()
                .is_none_or(|h| h.event != *event || h.hash != *hash)
        {
            let name = self
                .path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let root = v.root.as_deref().unwrap_or("none");
            append(file, *event, hash, &name, root, by)?;
            witnessed.added = Some(*event);
        }
        Ok((v, witnessed))
    }
}

/// The heads in a witness file; none when the file does not exist yet.
pub(super) fn read(file: &Path) -> Result<Vec<Head>> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::Read {
                path: file.into(),
                reason: e.kind().to_string(),
            });
        }
    };
    let mut heads = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let place = format!("{}:{}", file.display(), i + 1);
        heads.push(parse(line).ok_or_else(|| {
            Error::declined(
                format!(
                    "{place} is not a head huishen wrote (huishen head: event #N hash H at TIME); \
                     nothing was checked. Restore the witness file, or give another"
                ),
                format!(
                    "{place} 不是 huishen 写出的链头（huishen head: event #N hash H at TIME），未作任何核查；请恢复见证文件，或换一个"
                ),
            )
        })?);
        if let Some(head) = heads.last_mut() {
            head.place = place;
        }
    }
    Ok(heads)
}

/// `huishen head: event #12 hash 3f2a… at 2026-12-01T09:40:00Z workspace w.huishen`.
fn parse(line: &str) -> Option<Head> {
    let rest = line.strip_prefix("huishen head: event #")?;
    let (event, rest) = rest.split_once(" hash ")?;
    let (hash, rest) = rest.split_once(" at ")?;
    let at = rest.split(' ').next()?;
    let valid = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    let root = rest
        .split_once(" root ")
        .and_then(|(_, r)| r.split(' ').next())
        .map(str::to_string);
    let signed = match rest.split_once(" signed by ") {
        Some((_, tail)) => {
            let (by, signature) = tail.rsplit_once(' ')?;
            let text = line.split_once(" signed by ")?.0.to_string();
            Some((by.to_string(), text, signature.to_string()))
        }
        None => None,
    };
    Some(Head {
        event: event.parse().ok()?,
        hash: valid.then(|| hash.to_string())?,
        at: at.to_string(),
        place: String::new(),
        root,
        signed,
    })
}

/// Appends the current head to the witness file, signed by `by`: the line says the event,
/// its hash, the time, the workspace and its root key, then who signed it and the signature
/// over all of that.
pub(super) fn append(
    file: &Path,
    event: i64,
    hash: &str,
    workspace: &str,
    root: &str,
    by: &Signer,
) -> Result<()> {
    let at = now_utc();
    let text = format!(
        "huishen head: event #{event} hash {hash} at {at} workspace {workspace} root {root}"
    );
    let line = format!(
        "{text} signed by {} {}\n",
        by.name(),
        by.sign(text.as_bytes())
    );
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .and_then(|mut f| f.write_all(line.as_bytes()).and_then(|()| f.sync_all()))
        .map_err(|e| Error::Write {
            path: file.into(),
            reason: e.kind().to_string(),
        })
}

/// The time now, as the trail writes times (UTC, to the second).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_reads_back_as_it_was_written() {
        let hash = "ab".repeat(32);
        let line =
            format!("huishen head: event #42 hash {hash} at 2026-12-01T09:40:00Z workspace w");
        let head = parse(&line).unwrap();
        assert_eq!((head.event, head.hash.as_str()), (42, hash.as_str()));
        assert_eq!(head.at, "2026-12-01T09:40:00Z");
        assert!(parse("huishen head: event #x hash y at z").is_none());
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
    }
}
