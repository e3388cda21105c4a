//! The comparisons a rule's check makes, read from its text: the check split at its top-level
//! `OR` and `AND`, and each part that compares two sides (`a <= b`, `a <> b`) or three (`x
//! BETWEEN lo AND hi`) cut into its sides, so that each side can be computed on a record and
//! shown beside the others. A part that compares nothing (`x IS NOT NULL`, `code GLOB '37*'`)
//! or more than once without parentheses is left out. Nothing here runs a statement.

/// One comparison: its operator as written (`<=`, `BETWEEN`, `NOT BETWEEN`) and its sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Split {
    pub op: String,
    pub sides: Vec<String>,
}

/// At most this many comparisons are read from one check.
const MOST: usize = 8;

/// The comparisons of `check`, in the order it makes them.
pub(super) fn comparisons(check: &str) -> Vec<Split> {
    let mut out = Vec::new();
    for disjunct in split_words(unwrap(check), "or") {
        for conjunct in split_words(unwrap(disjunct), "and") {
            if let Some(split) = comparison(unwrap(conjunct)) {
                out.push(split);
            }
            if out.len() == MOST {
                return out;
            }
        }
    }
    out
}

/// A top-level token of an expression: where it starts and ends, and whether it is a word.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    word: bool,
}

/// The top-level tokens of `text` (outside parentheses and quotes) that can matter here:
/// words and comparison operators.
fn top_level(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' | b'"' | b'`' => {
                // A quoted string or name: skip to its closing quote ('' inside is a quote).
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != c {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            b'[' => {
                while i < bytes.len() && bytes[i] != b']' {
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ if depth != 0 => {}
            b'<' | b'>' | b'=' | b'!' => {
                let two = bytes.get(i + 1).copied();
                let len = match (c, two) {
                    (b'<', Some(b'<')) | (b'>', Some(b'>')) => {
                        // A shift, not a comparison.
                        i += 2;
                        continue;
                    }
                    (b'<', Some(b'=' | b'>')) | (b'>' | b'!' | b'=', Some(b'=')) => 2,
                    (b'!', _) => {
                        i += 1;
                        continue;
                    }
                    _ => 1,
                };
                out.push(Token {
                    start: i,
                    end: i + len,
                    word: false,
                });
                i += len;
                continue;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                // A word glued to a number or name before it (`1e308`, `x1`) is no keyword.
                let glued = start > 0
                    && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'.');
                if !glued {
                    out.push(Token {
                        start,
                        end: i,
                        word: true,
                    });
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is(text: &str, t: &Token, word: &str) -> bool {
    t.word && text[t.start..t.end].eq_ignore_ascii_case(word)
}

/// `text` split at its top-level `word` (`and` or `or`); the `AND` of a `BETWEEN` is not a
/// place to split.
fn split_words<'t>(text: &'t str, word: &str) -> Vec<&'t str> {
    let tokens = top_level(text);
    let mut parts = Vec::new();
    let mut from = 0;
    let mut between = false;
    for t in &tokens {
        if is(text, t, "between") {
            between = true;
        } else if is(text, t, word) {
            if word == "and" && between {
                between = false;
                continue;
            }
            parts.push(text[from..t.start].trim());
            from = t.end;
        }
    }
    parts.push(text[from..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// `text` without parentheses that hold all of it.
fn unwrap(text: &str) -> &str {
    let mut text = text.trim();
    while text.starts_with('(') && text.ends_with(')') && closes_at_end(text) {
        text = text[1..text.len() - 1].trim();
    }
    text
}

/// Whether the parenthesis `text` opens with is the one it ends with.
fn closes_at_end(text: &str) -> bool {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return i == text.len() - 1;
                    }
                }
                _ => {}
            },
        }
    }
    false
}

/// Words that make a part something other than a plain comparison of values.
const NOT_COMPARING: &[&str] = &[
    "is", "in", "like", "glob", "regexp", "match", "and", "or", "not", "case", "exists",
];

/// A part of a check as one comparison, if it is one.
fn comparison(text: &str) -> Option<Split> {
    let tokens = top_level(text);
    let between = tokens.iter().position(|t| is(text, t, "between"));
    if let Some(b) = between {
        let and = tokens[b..].iter().position(|t| is(text, t, "and"))? + b;
        let negated = b > 0 && is(text, &tokens[b - 1], "not");
        let value_end = if negated {
            tokens[b - 1].start
        } else {
            tokens[b].start
        };
        let others = tokens.iter().enumerate().any(|(i, t)| {
            i != b && i != and && (!negated || i != b - 1) && (!t.word || blocks(text, t))
        });
        if others {
            return None;
        }
        let sides = vec![
            text[..value_end].trim().to_string(),
            text[tokens[b].end..tokens[and].start].trim().to_string(),
            text[tokens[and].end..].trim().to_string(),
        ];
        let op = if negated { "NOT BETWEEN" } else { "BETWEEN" };
        return whole(op, sides);
    }
    if tokens.iter().any(|t| t.word && blocks(text, t)) {
        return None;
    }
    let ops: Vec<&Token> = tokens.iter().filter(|t| !t.word).collect();
    let [op] = ops.as_slice() else {
        return None;
    };
    let sides = vec![
        text[..op.start].trim().to_string(),
        text[op.end..].trim().to_string(),
    ];
    whole(&text[op.start..op.end], sides)
}

fn blocks(text: &str, t: &Token) -> bool {
    NOT_COMPARING.iter().any(|w| is(text, t, w))
}

fn whole(op: &str, sides: Vec<String>) -> Option<Split> {
    if sides.iter().any(String::is_empty) {
        return None;
    }
    Some(Split {
        op: op.to_string(),
        sides,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(check: &str) -> Vec<(String, Vec<String>)> {
        comparisons(check)
            .into_iter()
            .map(|s| (s.op, s.sides))
            .collect()
    }

    fn one(op: &str, sides: &[&str]) -> (String, Vec<String>) {
        (op.into(), sides.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_peers_threshold_is_two_sides() {
        let r29 = "so2_emit_t * 1.0 / output_value_10k_yuan <= coalesce((SELECT p.q3 + 3 * (p.q3 - p.q1) FROM peers_so2_intensity p WHERE p.grp = substr(G101_1.industry_code, 1, 2) AND p.n >= 5), 1e308)";
        assert_eq!(
            sides(r29),
            vec![one(
                "<=",
                &[
                    "so2_emit_t * 1.0 / output_value_10k_yuan",
                    "coalesce((SELECT p.q3 + 3 * (p.q3 - p.q1) FROM peers_so2_intensity p WHERE p.grp = substr(G101_1.industry_code, 1, 2) AND p.n >= 5), 1e308)"
                ]
            )]
        );
    }

    #[test]
    fn between_keeps_its_and_and_conjuncts_split() {
        assert_eq!(
            sides("coalesce(so2_emit_t, 0) BETWEEN prev / 3.0 AND prev * 3.0"),
            vec![one(
                "BETWEEN",
                &["coalesce(so2_emit_t, 0)", "prev / 3.0", "prev * 3.0"]
            )]
        );
        assert_eq!(
            sides("(a >= 0) AND b NOT BETWEEN 1 AND 2 AND c <> 'x<y'"),
            vec![
                one(">=", &["a", "0"]),
                one("NOT BETWEEN", &["b", "1", "2"]),
                one("<>", &["c", "'x<y'"]),
            ]
        );
    }

    #[test]
    fn parts_that_compare_nothing_are_left_out() {
        assert!(sides("uscc_valid(credit_code)").is_empty());
        assert!(sides("so2_emit_t IS NOT NULL").is_empty());
        assert!(sides("code GLOB '37*' OR code IN ('1', '2')").is_empty());
        assert!(sides("a < b < c").is_empty());
        assert!(sides("a << 2").is_empty());
        assert_eq!(sides("x IS NULL OR x = 1"), vec![one("=", &["x", "1"])]);
        assert_eq!(
            sides("\"weird = name\" != 1e308"),
            vec![one("!=", &["\"weird = name\"", "1e308"])]
        );
    }
}
