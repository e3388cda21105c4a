//! What the CSV reader does not say about the text it read: the physical line of a place
//! (LF, CRLF, CR and files that mix them count alike), and quotes that RFC 4180 does not allow
//! (a bare quote inside an unquoted field, text after a closing quote, a quote never closed).

use super::encoding::count_lines;

/// How a record's raw text uses quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// Every quote where RFC 4180 puts it.
    Clean,
    /// A quote where none may stand: in a field that does not start with one (`w"q`), or
    /// text after a field's closing quote (`"ab"c`). `offset` is in the raw text; `field` is
    /// 0-based.
    Stray {
        offset: usize,
        field: usize,
        after_close: bool,
    },
    /// A quoted field opens at `offset` and the text ends inside it.
    Open { offset: usize },
}

/// Scans one record's raw text (its terminator may follow) for quotes out of place.
pub fn scan_quotes(raw: &[u8], delimiter: u8) -> Quoting {
    #[derive(PartialEq)]
    enum State {
        Start,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let mut state = State::Start;
    let (mut field, mut opened) = (0, 0);
    for (i, &b) in raw.iter().enumerate() {
        let ends_field = b == delimiter || b == b'\r' || b == b'\n';
        state = match state {
            State::Start | State::Unquoted if ends_field => {
                field += usize::from(b == delimiter);
                State::Start
            }
            State::Start if b == b'"' => {
                opened = i;
                State::Quoted
            }
            State::Start | State::Unquoted if b == b'"' => {
                return Quoting::Stray {
                    offset: i,
                    field,
                    after_close: false,
                };
            }
            State::Start | State::Unquoted => State::Unquoted,
            State::Quoted if b == b'"' => State::AfterQuote,
            State::Quoted => State::Quoted,
            State::AfterQuote if b == b'"' => State::Quoted,
            State::AfterQuote if ends_field => {
                field += usize::from(b == delimiter);
                State::Start
            }
            State::AfterQuote => {
                return Quoting::Stray {
                    offset: i,
                    field,
                    after_close: true,
                };
            }
        };
    }
    if state == State::Quoted {
        Quoting::Open { offset: opened }
    } else {
        Quoting::Clean
    }
}

/// How many physical lines end before `offset` in `text`, and the column (in characters,
/// 1-based) of `offset` on its line.
pub fn line_and_column(text: &[u8], offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let (mut ends, mut after_cr) = (0, false);
    count_lines(before, &mut ends, &mut after_cr);
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n' || *b == b'\r')
        .map_or(0, |i| i + 1);
    let column = before[line_start..]
        .iter()
        .filter(|b| (**b & 0xC0) != 0x80)
        .count() as u64;
    (ends, column + 1)
}

/// The reason given for a stray quote.
pub fn stray_reason(after_close: bool, line: u64, column: u64) -> String {
    if after_close {
        format!(
            "has text after its closing quote (line {line}, character {column}); put the whole \
             value in quotes and double each quote inside it (\"\"), or remove the stray quote"
        )
    } else {
        format!(
            "has a quote inside a value that does not start with one (line {line}, character \
             {column}); put the whole value in quotes and double each quote inside it (\"\"), \
             or remove the stray quote"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_where_rfc_4180_puts_them_are_clean() {
        for raw in [
            "a,b,c\n",
            "\"a,b\",\"say \"\"hi\"\"\",c\r\n",
            "\"two\nlines\",x",
            "\"\",\"\"",
        ] {
            assert_eq!(scan_quotes(raw.as_bytes(), b','), Quoting::Clean, "{raw:?}");
        }
    }

    #[test]
    fn a_bare_quote_and_text_after_a_closing_quote_are_found_where_they_stand() {
        let bare = scan_quotes(b"B3,w\"q,3\n", b',');
        assert_eq!(
            bare,
            Quoting::Stray {
                offset: 4,
                field: 1,
                after_close: false
            }
        );
        let after = scan_quotes(b"\"ab\"c;d", b';');
        assert_eq!(
            after,
            Quoting::Stray {
                offset: 4,
                field: 0,
                after_close: true
            }
        );
        assert_eq!(
            scan_quotes(b"a,\"open\nstill", b','),
            Quoting::Open { offset: 2 }
        );
    }

    #[test]
    fn columns_count_characters_on_the_physical_line() {
        let text = "甲,乙\r\n丙,\"丁".as_bytes();
        let offset = text.iter().position(|b| *b == b'"').unwrap_or(0);
        assert_eq!(line_and_column(text, offset), (1, 3));
    }
}

/// Where the physical lines of a whole text start, to tell the line of an offset.
pub struct Lines {
    /// The offset where each line after the first starts.
    starts: Vec<usize>,
}

impl Lines {
    pub fn of(text: &[u8]) -> Lines {
        let mut starts = Vec::new();
        for (i, b) in text.iter().enumerate() {
            let crlf = *b == b'\r' && text.get(i + 1) == Some(&b'\n');
            if (*b == b'\n' || *b == b'\r') && !crlf {
                starts.push(i + 1);
            }
        }
        Lines { starts }
    }

    /// The 1-based physical line of `offset`.
    pub fn line_of(&self, offset: u64) -> u64 {
        self.starts.partition_point(|s| (*s as u64) <= offset) as u64 + 1
    }
}

#[cfg(test)]
mod line_tests {
    use super::Lines;

    #[test]
    fn lines_of_a_whole_text_count_lf_cr_and_crlf_once_each() {
        let lines = Lines::of(b"a\r\nb\rc\nd");
        let lines_at: Vec<u64> = [0, 3, 5, 7].iter().map(|o| lines.line_of(*o)).collect();
        assert_eq!(lines_at, [1, 2, 3, 4]);
    }
}
