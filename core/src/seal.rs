//! Reviewers' signing keys: an Ed25519 key pair per reviewer, the private half kept sealed
//! under the reviewer's passphrase (argon2id to a key, ChaCha20-Poly1305 around the secret).
//! Whoever can read the workspace file sees only the sealed form; signing an event takes the
//! passphrase. Nothing here speaks SQL: the store keeps the sealed text and the public key.

use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The version tag of the sealed form, so that a later format can be told apart.
const SEALED_V1: &str = "v1";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    // Only the lowercase hex huishen writes: no sign, no capitals, one spelling per value.
    let canonical = text
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if text.len() % 2 != 0 || !canonical {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::declined(
            format!("the system gave no random bytes: {e}"),
            format!("系统未提供随机字节：{e}"),
        )
    })?;
    Ok(bytes)
}

fn derive(passphrase: &str, salt: &[u8]) -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|e| {
            Error::declined(
                format!("cannot derive a key from the passphrase: {e}"),
                format!("无法由口令导出密钥：{e}"),
            )
        })?;
    Ok(key)
}

/// A reviewer's key pair, unsealed: what acting as that reviewer takes. Made only by
/// enrolling (a new key) or by unsealing with the passphrase.
pub struct Signer {
    name: String,
    admin: bool,
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("name", &self.name)
            .field("admin", &self.admin)
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

/// A new key pair and its sealed form.
pub struct Enrolled {
    pub signer: Signer,
    /// The private key sealed under the passphrase, as the store keeps it.
    pub sealed: String,
}

impl Signer {
    /// The same key, for another session of the same reviewer in this process.
    pub(crate) fn duplicate(&self) -> Signer {
        Signer {
            name: self.name.clone(),
            admin: self.admin,
            key: self.key.clone(),
        }
    }

    /// A new key for `name`, sealed under `passphrase`.
    pub(crate) fn enrol(name: &str, admin: bool, passphrase: &str) -> Result<Enrolled> {
        let secret: [u8; 32] = random()?;
        let salt: [u8; 16] = random()?;
        let nonce: [u8; 12] = random()?;
        let cipher = ChaCha20Poly1305::new_from_slice(&derive(passphrase, &salt)?)
            .map_err(|_| Error::declined("cannot seal the signing key", "无法封存签名密钥"))?;
        let sealed = cipher
            .encrypt(&Nonce::from(nonce), secret.as_slice())
            .map_err(|_| Error::declined("cannot seal the signing key", "无法封存签名密钥"))?;
        Ok(Enrolled {
            signer: Signer {
                name: name.to_string(),
                admin,
                key: SigningKey::from_bytes(&secret),
            },
            sealed: format!(
                "{SEALED_V1}:{}:{}:{}",
                hex(&salt),
                hex(&nonce),
                hex(&sealed)
            ),
        })
    }

    /// Unseals a reviewer's key with their passphrase; `None` when the passphrase is not
    /// theirs (or the sealed text was changed) or the key is not the public one enrolled.
    pub(crate) fn unseal(
        name: &str,
        admin: bool,
        sealed: &str,
        public: &str,
        passphrase: &str,
    ) -> Result<Option<Signer>> {
        let parts: Vec<&str> = sealed.split(':').collect();
        let [SEALED_V1, salt, nonce, body] = parts.as_slice() else {
            return Ok(None);
        };
        let (Some(salt), Some(nonce), Some(body)) = (unhex(salt), unhex(nonce), unhex(body)) else {
            return Ok(None);
        };
        let Ok(nonce) = <[u8; 12]>::try_from(nonce.as_slice()) else {
            return Ok(None);
        };
        let cipher = ChaCha20Poly1305::new_from_slice(&derive(passphrase, &salt)?)
            .map_err(|_| Error::declined("cannot unseal the signing key", "无法解封签名密钥"))?;
        let Ok(secret) = cipher.decrypt(&Nonce::from(nonce), body.as_slice()) else {
            return Ok(None);
        };
        let Ok(secret) = <[u8; 32]>::try_from(secret.as_slice()) else {
            return Ok(None);
        };
        let key = SigningKey::from_bytes(&secret);
        if hex(key.verifying_key().as_bytes()) != public {
            return Ok(None);
        }
        Ok(Some(Signer {
            name: name.to_string(),
            admin,
            key,
        }))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the reviewer is an administrator (组长) of the workspace.
    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// The public key, as hex.
    pub fn public_key(&self) -> String {
        hex(self.key.verifying_key().as_bytes())
    }

    /// The public key's fingerprint, as people compare it.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_key())
    }

    /// The signature of `message`, as hex.
    pub(crate) fn sign(&self, message: &[u8]) -> String {
        hex(&self.key.sign(message).to_bytes())
    }
}

/// The sha256 of a text, as hex (what the trail keeps of a sealed key or a rule file).
pub(crate) fn digest(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

pub use crate::domain::fingerprint;

/// Whether each (public key, message, signature) holds, as [`verifies`] says, checked on as
/// many threads as the machine has cores (each key parsed once per thread).
pub(crate) fn verify_all(jobs: &[(&str, &[u8], &str)]) -> Vec<bool> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let chunk = jobs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                let n = part.len();
                let handle = scope.spawn(move || {
                    let mut keys: std::collections::HashMap<&str, Option<VerifyingKey>> =
                        std::collections::HashMap::new();
                    part.iter()
                        .map(|(public, message, signature)| {
                            let key = keys.entry(public).or_insert_with(|| parse_key(public));
                            key.as_ref().is_some_and(|k| holds(k, message, signature))
                        })
                        .collect::<Vec<bool>>()
                });
                (n, handle)
            })
            .collect();
        // A thread that did not finish proved nothing: its signatures count as not holding.
        handles
            .into_iter()
            .flat_map(|(n, h)| h.join().unwrap_or_else(|_| vec![false; n]))
            .collect()
    })
}

fn parse_key(public_hex: &str) -> Option<VerifyingKey> {
    let bytes = unhex(public_hex).and_then(|b| <[u8; 32]>::try_from(b).ok())?;
    VerifyingKey::from_bytes(&bytes).ok()
}

fn holds(key: &VerifyingKey, message: &[u8], signature_hex: &str) -> bool {
    let Some(signature) = unhex(signature_hex).and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    key.verify(message, &Signature::from_bytes(&signature))
        .is_ok()
}

/// Whether `signature` (hex) is `public`'s (hex) over `message`.
pub(crate) fn verifies(public_hex: &str, message: &[u8], signature_hex: &str) -> bool {
    parse_key(public_hex).is_some_and(|k| holds(&k, message, signature_hex))
}

/// An administrator with a fresh key, for the core's own tests.
#[cfg(test)]
pub(crate) fn test_root(name: &str) -> (crate::domain::Reviewer, Signer) {
    let made = Signer::enrol(name, true, "test-passphrase").expect("a key");
    let reviewer = crate::domain::Reviewer {
        name: name.to_string(),
        role: "组长".to_string(),
        scope: String::new(),
        admin: true,
        public_key: made.signer.public_key(),
        sealed_key: made.sealed,
        passphrase_hash: String::new(),
    };
    (reviewer, made.signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_with_its_passphrase_only() {
        let made = Signer::enrol("李四", false, "lisi-2017").unwrap();
        let public = made.signer.public_key();
        let opened = Signer::unseal("李四", false, &made.sealed, &public, "lisi-2017").unwrap();
        assert_eq!(opened.map(|s| s.public_key()), Some(public.clone()));
        let wrong = Signer::unseal("李四", false, &made.sealed, &public, "lisi-2018").unwrap();
        assert!(wrong.is_none());
        let other = Signer::enrol("王五", false, "lisi-2017").unwrap();
        let swapped = Signer::unseal("李四", false, &other.sealed, &public, "lisi-2017").unwrap();
        assert!(
            swapped.is_none(),
            "a sealed key that is not the enrolled one"
        );
    }

    #[test]
    fn signatures_verify_against_their_key_and_message_only() {
        let a = Signer::enrol("a", true, "passphrase-a").unwrap().signer;
        let b = Signer::enrol("b", true, "passphrase-b").unwrap().signer;
        let sig = a.sign(b"event 1");
        assert!(verifies(&a.public_key(), b"event 1", &sig));
        assert!(!verifies(&a.public_key(), b"event 2", &sig));
        assert!(!verifies(&b.public_key(), b"event 1", &sig));
        assert!(!verifies(&a.public_key(), b"event 1", "00"));
        assert_eq!(a.fingerprint().len(), 24);
        let (pa, pb) = (a.public_key(), b.public_key());
        let jobs: Vec<(&str, &[u8], &str)> = vec![
            (&pa, b"event 1", &sig),
            (&pb, b"event 1", &sig),
            (&pa, b"event 2", &sig),
            (&pa, b"event 1", &sig),
        ];
        assert_eq!(verify_all(&jobs), [true, false, false, true]);
    }
}
