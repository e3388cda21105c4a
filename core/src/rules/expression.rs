//! Every expression of a rule file (a rule's `check`, `when` and `related`, a peers
//! definition's `group`, `value` and `where`) is read by an SQL parser, with SQLite's dialect,
//! before anything else sees it: it must be exactly one expression, so that huishen can set it
//! in parentheses inside its own statements without it reaching out of them. `1) OR (1` is
//! refused here, though SQLite would happily run the statement it makes.

use std::ops::Range;

use toml::Spanned;

use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use crate::domain::SourceLocation;
use crate::domain::schema::Problem;

/// One expression of a rule file, checked: a problem at the place in the file where it stops
/// being one expression. `owner` names what holds it (`rule X1`, `peers so2`), `name` which
/// expression it is (`when`).
pub(super) fn check(
    file: &str,
    source: &str,
    owner: &str,
    name: &str,
    text: &Spanned<String>,
) -> Option<Problem> {
    let e = one_expression(text.get_ref()).err()?;
    let offset = file_offset(source, &text.span(), text.get_ref(), (e.line, e.column));
    Some(Problem {
        location: SourceLocation::from_offset(file, source, offset),
        message: format!("{owner}: `{name}` is not one SQL expression: {}", e.why),
    })
}

/// Why an expression is not one expression, and where in its text (1-based line and column,
/// in characters) the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NotOne {
    pub line: u64,
    pub column: u64,
    pub why: String,
}

/// What a message says after the parser's reason: what to do, and what to do when the
/// parser is wrong about SQLite.
const ADVICE: &str = "correct it; if SQLite takes it as written, huishen's \
                                 SQL parser does not know the construct: write it another way \
                                 (`x IS NULL` for `x ISNULL`, `NOT (x GLOB y)` for `x NOT GLOB y`) \
                                 and report it";

/// What a message says of an expression that reaches out of its parentheses.
const SINGLE: &str = "write a single expression, without `;` and without a `)` it did not open";

/// Whether `text` is exactly one SQL expression, without comments or NUL characters.
pub(super) fn one_expression(text: &str) -> Result<(), NotOne> {
    if let Some((line, column)) = position_of(text, '\0') {
        return Err(NotOne {
            line,
            column,
            why: "it holds a NUL character".into(),
        });
    }
    let dialect = SQLiteDialect {};
    let tokens = Tokenizer::new(&dialect, text)
        .tokenize_with_location()
        .map_err(|e| at_error(&e.to_string(), text))?;
    let comment = tokens
        .iter()
        .find(|t| {
            matches!(
                t.token,
                Token::Whitespace(
                    Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_)
                )
            )
        })
        .map(|t| NotOne {
            line: t.span.start.line,
            column: t.span.start.column,
            why: "it holds an SQL comment; comments belong in the TOML file, after `#`".into(),
        });
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
    if parser.peek_token().token == Token::EOF {
        return Err(NotOne {
            line: 1,
            column: 1,
            why: "it is empty".into(),
        });
    }
    parser.parse_expr().map_err(|e| parser_error(&e, text))?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        let what = match next.token {
            Token::SemiColon => format!("`;`, a second statement; {SINGLE}"),
            Token::RParen => format!("`)`, which closes a parenthesis it did not open; {SINGLE}"),
            other => format!("`{other}`; {ADVICE}"),
        };
        return Err(NotOne {
            line: next.span.start.line,
            column: next.span.start.column,
            why: format!("it goes on after its end with {what}"),
        });
    }
    comment.map_or(Ok(()), Err)
}

/// The byte offset in `source` of `line`:`column` of an expression, whose TOML string spans
/// `span` and reads `value`. When the string's text differs from its value (escapes), the
/// string's start.
pub(super) fn file_offset(
    source: &str,
    span: &Range<usize>,
    value: &str,
    (line, column): (u64, u64),
) -> usize {
    let raw = source.get(span.clone()).unwrap_or("");
    let Some(quote) = ["'''", "\"\"\"", "'", "\""]
        .into_iter()
        .find(|q| raw.len() >= 2 * q.len() && raw.starts_with(q) && raw.ends_with(q))
    else {
        return span.start;
    };
    let mut inner = &raw[quote.len()..raw.len() - quote.len()];
    if quote.len() == 3 {
        // A newline right after the opening quotes is not part of the value.
        inner = inner
            .strip_prefix("\r\n")
            .or_else(|| inner.strip_prefix('\n'))
            .unwrap_or(inner);
    }
    if inner != value {
        return span.start;
    }
    let start = span.start + raw.len() - quote.len() - inner.len();
    let mut offset = 0;
    for (i, text) in value.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let column = usize::try_from(column.max(1) - 1).unwrap_or(usize::MAX);
            offset += text
                .char_indices()
                .nth(column)
                .map_or(text.len(), |(b, _)| b);
            break;
        }
        offset += text.len();
    }
    start + offset.min(value.len())
}

/// Line and column of the first `c` in `text`.
fn position_of(text: &str, c: char) -> Option<(u64, u64)> {
    text.find(c).map(|at| position_at(text, at))
}

/// Line and column of byte `at` of `text`.
fn position_at(text: &str, at: usize) -> (u64, u64) {
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, column)
}

fn parser_error(e: &ParserError, text: &str) -> NotOne {
    match e {
        ParserError::TokenizerError(msg) | ParserError::ParserError(msg) => at_error(msg, text),
        ParserError::RecursionLimitExceeded => NotOne {
            line: 1,
            column: 1,
            why: "it nests too deeply".into(),
        },
    }
}

/// The parser's message without its " at Line: L, Column: C" tail, and that place (the end
/// of `text` when the parser found its end).
fn at_error(msg: &str, text: &str) -> NotOne {
    let msg = msg.trim_start_matches("sql parser error: ");
    let place = msg.rfind(" at Line: ").and_then(|i| {
        let (line, column) = msg[i + " at Line: ".len()..].split_once(", Column: ")?;
        Some((i, line.trim().parse().ok()?, column.trim().parse().ok()?))
    });
    let (why, line, column) = match place {
        Some((i, line, column)) => (&msg[..i], line, column),
        None => {
            let (line, column) = if msg.ends_with("found: EOF") {
                position_at(text, text.trim_end().len())
            } else {
                (1, 1)
            };
            (msg, line, column)
        }
    };
    NotOne {
        line,
        column,
        why: format!("{}; {ADVICE}", plain(why)),
    }
}

/// The parser's words, read as a sentence: "Expected: an expression, found: )" becomes
/// "expected an expression, found `)`".
fn plain(why: &str) -> String {
    let why = why.trim().replace("Expected: ", "expected ");
    // A token expected, as `(`, is set in backticks like the one found.
    let why = match why
        .strip_prefix("expected ")
        .and_then(|w| w.split_once(", found"))
    {
        Some((token, rest)) if !token.contains(char::is_alphanumeric) => {
            format!("expected `{token}`, found{rest}")
        }
        _ => why,
    };
    match why.rsplit_once(", found: ") {
        Some((expected, found)) if found.trim() == "EOF" => format!("{expected}, found its end"),
        Some((expected, found)) => format!("{expected}, found `{}`", found.trim()),
        None => why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything the census rules and the livestock fixture write, and SQLite that rule
    /// writers use.
    const GOOD: &[&str] = &[
        "credit_code GLOB '[0-9A-HJ-NPQRTUWXY][0-9]'",
        "unit_name REGEXP '^[0-9]+$'",
        "regexp('^a', unit_name)",
        "substr(region_code, 1, length($jurisdiction)) = $jurisdiction",
        "CAST(open_year AS INTEGER) BETWEEN 1900 AND $ref_year",
        "typeof(output_value_10k_yuan) IN ('integer', 'real')",
        "NOT EXISTS (SELECT 1 FROM G101_1 r2 WHERE r2.credit_code = G101_1.credit_code AND r2.rowid <> G101_1.rowid)",
        "so2_emit_t * 1.0 / output_value_10k_yuan <= coalesce((SELECT p.q3 + 3 * (p.q3 - p.q1) FROM peers_so2_intensity p WHERE p.grp = substr(G101_1.industry_code, 1, 2) AND p.n >= 5), 1e308)",
        "longitude IS NOT NULL AND latitude IS NOT NULL",
        "unit_name || ';' || credit_code <> ''",
        "coalesce(region_level(region_code), '') = 'county'",
        "CASE species_code WHEN '1' THEN output_year >= $pig_min_sold ELSE 1 END",
        "uscc_valid(credit_code)",
        "x IS NULL OR x IS NOT y",
        "(SELECT count(*) FROM G101_1 r2 WHERE r2.unit_name = G101_1.unit_name) < 3",
        "abs((a - coalesce(b, 0)) * 100.0 / a - c) <= 5",
        "\"quoted column\" > 0 AND [bracketed] > 0 AND `ticked` > 0",
        "x NOT IN (1, 2) AND y NOT BETWEEN 1 AND 2 AND z NOT LIKE 'a%'",
        "x BETWEEN 0 AND 100 AND coalesce(y, 0) > 0",
        "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c) > 0",
        "length(printf('%.*c', 2000000000, 'x')) > 0",
        "y NOTNULL AND NOT (x GLOB y) AND x -> '$.a' = 1",
        "x IN (SELECT a FROM b WHERE b.c = x) AND (x, y) = (1, 2)",
        "a > 0\n AND b > 0",
    ];

    #[test]
    fn what_rules_write_is_one_expression() {
        let bad: Vec<_> = GOOD
            .iter()
            .filter_map(|t| one_expression(t).err().map(|e| (t, e)))
            .collect();
        assert!(bad.is_empty(), "{bad:#?}");
    }

    fn refused(text: &str) -> NotOne {
        one_expression(text).expect_err(text)
    }

    #[test]
    fn a_parenthesis_closed_before_it_opens_is_refused_where_it_is() {
        let e = refused("1) OR (1");
        assert_eq!((e.line, e.column), (1, 2));
        assert_eq!(
            e.why,
            "it goes on after its end with `)`, which closes a parenthesis it did not open; \
             write a single expression, without `;` and without a `)` it did not open"
        );
    }

    #[test]
    fn a_second_statement_a_comment_an_empty_text_and_broken_sql_are_refused() {
        assert!(refused("1; DROP TABLE t").why.contains("`;`"));
        assert!(refused("a -- the rest").why.contains("comment"));
        assert!(refused("a /* c */").why.contains("comment"));
        assert_eq!(refused("   ").why, "it is empty");
        assert_eq!(refused("a\0b").column, 2);
        let e = refused("x >");
        assert_eq!(
            (e.line, e.why.starts_with("expected an expression")),
            (1, true),
            "{e:?}"
        );
        let e = refused("a\n AND 'open");
        assert_eq!(e.line, 2, "{e:?}");
        assert!(
            refused("1) IS NULL THEN 'x' ELSE 'y' END FROM N101; DROP TABLE N101; SELECT (1")
                .why
                .contains("`)`")
        );
    }

    #[test]
    fn a_place_in_the_expression_is_a_place_in_the_file() {
        let source = "when = '''\nx >\n  1) OR (1'''\ncheck = \"a\\tb\"";
        let span = 7..source.find("\ncheck").unwrap();
        let at = file_offset(source, &span, "x >\n  1) OR (1", (2, 4));
        assert_eq!(&source[at..at + 1], ")");
        let span = source.find("\"a").unwrap()..source.len();
        assert_eq!(file_offset(source, &span, "a\tb", (1, 2)), span.start);
        assert_eq!(file_offset("x = \"ab\"", &(4..8), "ab", (1, 2)), 6);
    }

    #[test]
    fn a_backslash_does_not_hide_a_quote_as_sqlite_reads_it() {
        assert!(one_expression(r"'\' ) OR (1 = 1 OR '").is_err());
        assert_eq!(one_expression(r"x = 'a\b'"), Ok(()));
    }
}
