//! Unified social credit codes (统一社会信用代码, GB 32100-2015) and the organization codes
//! (GB 11714) that form their body.
//!
//! Layout: authority (1) · entity type (1) · registering division (6) · organization code (9) ·
//! check character (1), all from a 31-symbol alphabet without I, O, S, V and Z.

/// The GB 32100 alphabet; a symbol's value is its index.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The value of one symbol, or `None` outside the alphabet.
fn value(symbol: u8) -> Option<u32> {
    ALPHABET.iter().position(|&s| s == symbol).map(|v| v as u32)
}

/// The check character for the first 17 characters, or `None` when one is not in the alphabet.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    Some(ALPHABET[((31 - sum % 31) % 31) as usize])
}

/// Whether `code` is 18 characters of the alphabet with a correct check character.
pub fn is_valid(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 18 && value(bytes[17]).is_some() && check_char(&bytes[..17]) == Some(bytes[17])
}

/// The GB 11714 check character for an 8-digit organization code body: weights 3 7 9 10 5 8 4 2,
/// C9 = 11 − (Σ mod 11), written `X` for 10 and `0` for 11.
pub fn org_check(body: &[u8; 8]) -> u8 {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .iter()
        .zip(W)
        .map(|(&c, w)| u32::from(c.wrapping_sub(b'0')) * w)
        .sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Valid codes from /work/shared/data/uscc_examples.txt (sections 2 and 3).
    const VALID: &[&str] = &[
        "91350100M000100Y43",
        "9135010557098120XJ",
        "91120222MA06DG3067",
        "91120222MA0699U071",
        "91310000MA1K35Y38P",
        "91110108795101314G",
        "914403001922038216",
        "91330000704202479R",
        "91500105MA5UM6TF71",
        "913504001555807674",
        "9135020026015919XW",
        "913502006120495420",
        "91310110666007217T",
        "91310115591693856A",
        "91110000600037341L",
        "91371082775260043P",
        "9144030071526726XG",
        "121200004013590816",
        "91512081MA62K0260E",
        "911522010783762860",
        "91152201078377449P",
        "91340600MA2PBM9HXD",
        "92340621MA2UK3CE6L",
    ];

    /// Invalid codes from the same file: wrong check characters (including the legal pilot-era
    /// codes that fail the checksum), forbidden letters and a wrong length.
    const INVALID: &[&str] = &[
        "91350100M000100Y4Z",
        "91350211M0000XUF46",
        "91350100M0001TGQXM",
        "91350203M0001FUE2P",
        "91350211M00013FA1N",
        "91110000600037341N",
        "9111000060003IOZSV",
        "12345",
        "",
    ];

    #[test]
    fn accepts_the_published_valid_codes() {
        for code in VALID {
            assert!(is_valid(code), "{code} should be valid");
        }
    }

    #[test]
    fn rejects_the_published_invalid_codes() {
        for code in INVALID {
            assert!(!is_valid(code), "{code} should be invalid");
        }
    }

    #[test]
    fn worked_example_has_check_character_3() {
        assert_eq!(check_char(b"91350100M000100Y4"), Some(b'3'));
    }

    #[test]
    fn organization_code_check_digit() {
        // 60003734-1 is the organization code inside 91110000600037341L.
        assert_eq!(org_check(b"60003734"), b'1');
        // 77526004-3 inside 91371082775260043P.
        assert_eq!(org_check(b"77526004"), b'3');
    }
}
