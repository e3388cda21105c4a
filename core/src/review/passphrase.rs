//! Reviewers' passphrases, stored as argon2id hashes. Asking for one is the caller's business
//! (the command line asks on the terminal).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::domain::Reviewer;
use crate::error::{Error, Result};

/// How many tries a reviewer gets.
pub const TRIES: usize = 3;

/// The shortest passphrase a reviewer may choose.
pub const MIN_CHARS: usize = 6;

/// The argon2id PHC string of a passphrase.
pub fn hash(passphrase: &str) -> Result<String> {
    Argon2::default()
        .hash_password(passphrase.as_bytes())
        .map(|h: PasswordHash| h.to_string())
        .map_err(|e| {
            Error::declined(
                format!("cannot hash the passphrase: {e}"),
                format!("无法计算口令的散列：{e}"),
            )
        })
}

/// Whether `passphrase` is the reviewer's.
pub fn matches(reviewer: &Reviewer, passphrase: &str) -> bool {
    PasswordHash::new(&reviewer.passphrase_hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(passphrase.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("lisi-2017").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        let r = Reviewer {
            name: "李四".into(),
            role: "市级审核".into(),
            scope: String::new(),
            passphrase_hash: h,
            admin: false,
            public_key: String::new(),
            sealed_key: String::new(),
        };
        assert!(matches(&r, "lisi-2017"));
        assert!(!matches(&r, "lisi-2018"));
    }
}
