//! Text encodings of imported files: UTF-8 (with or without BOM), GBK and GB18030.
//!
//! `auto` asks chardetng (Mozilla's detector, made for exactly this job) about the first
//! mebibyte; decoding is then strict: a byte sequence that is not valid in the chosen encoding
//! ends the import with its line and column, never a replacement character.

use std::fmt;
use std::io::{self, Read};

use encoding_rs::{DecoderResult, Encoding, GB18030, GBK, UTF_8};

/// The encoding asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingChoice {
    #[default]
    Auto,
    Utf8,
    Gbk,
    Gb18030,
}

/// How much of a file the detector reads.
pub const DETECT_BYTES: usize = 1 << 20;

/// Picks the encoding of a file from its first bytes (`prefix`; `whole` when that is the whole
/// file). Returns the encoding and whether auto-detection chose it.
pub fn choose(
    choice: EncodingChoice,
    prefix: &[u8],
    whole: bool,
) -> Result<&'static Encoding, String> {
    match choice {
        EncodingChoice::Utf8 => Ok(UTF_8),
        EncodingChoice::Gbk => Ok(GBK),
        EncodingChoice::Gb18030 => Ok(GB18030),
        EncodingChoice::Auto => detect(prefix, whole),
    }
}

fn detect(prefix: &[u8], whole: bool) -> Result<&'static Encoding, String> {
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(UTF_8);
    }
    if prefix.starts_with(&[0xFF, 0xFE]) || prefix.starts_with(&[0xFE, 0xFF]) {
        return Err(
            "the file is UTF-16, which huishen does not read; save it as UTF-8 or GBK".into(),
        );
    }
    if let Some(mixed) = mixed_lines(prefix, whole) {
        return Err(mixed);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(prefix, whole);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if guess == UTF_8 || prefix.is_ascii() {
        Ok(UTF_8)
    } else if guess == GBK || guess == GB18030 {
        Ok(GB18030)
    } else {
        Err(format!(
            "the file looks like {} text, which huishen does not read; huishen reads UTF-8, GBK \
             and GB18030. Convert the file, or name its encoding with --encoding",
            guess.name()
        ))
    }
}

/// Finds a file whose lines disagree: some are UTF-8 with Chinese text, others are not UTF-8.
fn mixed_lines(prefix: &[u8], whole: bool) -> Option<String> {
    let mut utf8_line = None;
    let mut other_line = None;
    let lines: Vec<&[u8]> = prefix.split(|b| *b == b'\n').collect();
    // The last piece may be a line cut in the middle when the prefix is not the whole file.
    let complete = if whole {
        lines.len()
    } else {
        lines.len().saturating_sub(1)
    };
    for (i, line) in lines.iter().take(complete).enumerate() {
        if line.is_ascii() {
            continue;
        }
        if std::str::from_utf8(line).is_ok() {
            utf8_line.get_or_insert(i + 1);
        } else {
            other_line.get_or_insert(i + 1);
        }
    }
    match (utf8_line, other_line) {
        (Some(u), Some(o)) => Some(format!(
            "mixes encodings: line {u} is UTF-8 but line {o} is not. Save the whole \
             file in one encoding (UTF-8 or GBK) and import it again"
        )),
        _ => None,
    }
}

/// A byte sequence the chosen encoding cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub encoding: &'static str,
    pub line: u64,
    pub column: u64,
    pub bytes: Vec<u8>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex: Vec<String> = self.bytes.iter().map(|b| format!("{b:02X}")).collect();
        write!(f, "bytes {} are not valid {}", hex.join(" "), self.encoding)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a byte stream to UTF-8, refusing malformed input.
pub struct DecodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    done: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    /// Line and column (in characters) of the next decoded character.
    line: u64,
    column: u64,
    /// The previous decoded byte was a carriage return (so a line feed after it ends no line).
    after_cr: bool,
    /// The decoded text handed out and not yet released, when kept (see `keep_text`).
    kept: Option<Kept>,
}

/// The decoded text the CSV reader has been given since the last record was released: the
/// raw text of the records it is reading, and the physical line each one starts on.
#[derive(Debug, Default)]
struct Kept {
    text: Vec<u8>,
    /// Where the unreleased text starts in `text`.
    start: usize,
    /// Its offset in the decoded stream, and the physical line it stands on.
    offset: u64,
    line: u64,
    after_cr: bool,
}

/// Moves a physical line count past `text`: a line ends at a line feed, a carriage return,
/// or both together (LF, CR, CRLF and files that mix them).
pub fn count_lines(text: &[u8], line: &mut u64, after_cr: &mut bool) -> u64 {
    let mut ends = 0;
    for b in text {
        match b {
            b'\r' => {
                ends += 1;
                *after_cr = true;
            }
            b'\n' => {
                ends += u64::from(!*after_cr);
                *after_cr = false;
            }
            _ => *after_cr = false,
        }
    }
    *line += ends;
    ends
}

impl<R: Read> DecodingReader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> DecodingReader<R> {
        let decoder = if encoding == UTF_8 {
            encoding.new_decoder_with_bom_removal()
        } else {
            encoding.new_decoder_without_bom_handling()
        };
        DecodingReader {
            inner,
            decoder,
            encoding,
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            eof: false,
            done: false,
            output: vec![0; 128 * 1024],
            out_start: 0,
            out_end: 0,
            line: 1,
            column: 1,
            after_cr: false,
            kept: None,
        }
    }

    /// Keeps the decoded text as it is handed out, so that `raw` and `line_at` can tell what a
    /// record looked like and where it stood. The reader must `release` what it is done with.
    pub fn keep_text(mut self) -> DecodingReader<R> {
        self.kept = Some(Kept {
            line: 1,
            ..Kept::default()
        });
        self
    }

    /// The physical line (1-based) on which the text at decoded offset `offset` stands, and
    /// releases the kept text before it. Offsets must not go backwards.
    pub fn line_at(&mut self, offset: u64) -> u64 {
        let Some(kept) = self.kept.as_mut() else {
            return 0;
        };
        let skip = (offset.saturating_sub(kept.offset) as usize).min(kept.text.len() - kept.start);
        let released = &kept.text[kept.start..kept.start + skip];
        count_lines(released, &mut kept.line, &mut kept.after_cr);
        kept.start += skip;
        kept.offset += skip as u64;
        if kept.start > (1 << 16) && kept.start * 2 > kept.text.len() {
            kept.text.drain(..kept.start);
            kept.start = 0;
        }
        kept.line
    }

    /// The kept text from decoded offset `from` (at most the released point) to `to`.
    pub fn raw(&self, from: u64, to: u64) -> &[u8] {
        let Some(kept) = self.kept.as_ref() else {
            return &[];
        };
        let begin = kept.start + from.saturating_sub(kept.offset) as usize;
        let end = kept.start + to.saturating_sub(kept.offset) as usize;
        let end = end.min(kept.text.len());
        &kept.text[begin.min(end)..end]
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    fn fill(&mut self) -> io::Result<()> {
        loop {
            if self.in_start == self.in_end && !self.eof {
                self.in_start = 0;
                self.in_end = self.inner.read(&mut self.input)?;
                self.eof = self.in_end == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            let consumed_to = self.in_start + read;
            self.out_start = 0;
            self.out_end = written;
            let decoded = &self.output[..written];
            advance_position(
                &mut self.line,
                &mut self.column,
                &mut self.after_cr,
                decoded,
            );
            match result {
                DecoderResult::InputEmpty => {
                    self.in_start = consumed_to;
                    if self.eof {
                        self.done = true;
                    }
                }
                DecoderResult::OutputFull => self.in_start = consumed_to,
                DecoderResult::Malformed(bad, extra) => {
                    let end = consumed_to.saturating_sub(extra as usize);
                    let start = end.saturating_sub(bad as usize);
                    let err = DecodeError {
                        encoding: self.encoding.name(),
                        line: self.line,
                        column: self.column,
                        bytes: self.input[start..end].to_vec(),
                    };
                    return Err(io::Error::new(io::ErrorKind::InvalidData, err));
                }
            }
            if written > 0 || self.done {
                return Ok(());
            }
        }
    }
}

/// Moves a physical line and column (in characters) past `text`.
fn advance_position(line: &mut u64, column: &mut u64, after_cr: &mut bool, text: &[u8]) {
    match text.iter().rposition(|b| *b == b'\n' || *b == b'\r') {
        Some(last) => {
            count_lines(text, line, after_cr);
            *column = 1 + count_chars(&text[last + 1..]);
        }
        None => {
            *column += count_chars(text);
            if !text.is_empty() {
                *after_cr = false;
            }
        }
    }
}

fn count_chars(utf8: &[u8]) -> u64 {
    utf8.iter().filter(|b| (**b & 0xC0) != 0x80).count() as u64
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_start == self.out_end {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out_end - self.out_start);
        let given = &self.output[self.out_start..self.out_start + n];
        buf[..n].copy_from_slice(given);
        if let Some(kept) = self.kept.as_mut() {
            kept.text.extend_from_slice(given);
        }
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], encoding: &'static Encoding) -> io::Result<String> {
        let mut text = String::new();
        DecodingReader::new(bytes, encoding).read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn detects_utf8_with_and_without_bom_and_gbk() {
        let text = "单位名称,区划代码\n济南钢铁有限公司,370102\n";
        let (gbk, _, _) = GBK.encode(text);
        assert_eq!(detect(text.as_bytes(), true), Ok(UTF_8));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(detect(&bom, true), Ok(UTF_8));
        assert_eq!(detect(&gbk, true), Ok(GB18030));
        assert_eq!(decode_all(&bom, UTF_8).unwrap(), text);
        assert_eq!(decode_all(&gbk, GB18030).unwrap(), text);
    }

    #[test]
    fn mixed_files_are_refused_with_both_lines() {
        let (gbk, _, _) = GBK.encode("淄博市张店区\n");
        let bytes = [b"a,b\n".as_slice(), "济南,1\n".as_bytes(), &gbk].concat();
        let err = detect(&bytes, true).unwrap_err();
        assert!(err.contains("line 2 is UTF-8 but line 3 is not"), "{err}");
    }

    #[test]
    fn malformed_bytes_are_located() {
        let bytes = [b"a,b\n".as_slice(), "济南,".as_bytes(), b"\xFF\xFE", b"\n"].concat();
        let err = decode_all(&bytes, UTF_8).unwrap_err();
        let err = err
            .get_ref()
            .and_then(|e| e.downcast_ref::<DecodeError>())
            .cloned();
        let err = err.expect("a decode error");
        assert_eq!((err.line, err.column), (2, 4));
        assert_eq!(err.to_string(), "bytes FF are not valid UTF-8");
    }

    #[test]
    fn lines_end_at_lf_cr_and_crlf_alike() {
        for (text, lines) in [
            ("a\nb\nc", 3),
            ("a\r\nb\r\nc", 3),
            ("a\rb\rc", 3),
            ("a\nb\r\nc\rd", 4),
            ("a\r\n\r\nb", 3),
        ] {
            let (mut line, mut after_cr) = (1, false);
            count_lines(text.as_bytes(), &mut line, &mut after_cr);
            assert_eq!(line, lines, "{text:?}");
        }
    }

    #[test]
    fn kept_text_tells_the_line_of_an_offset() {
        let text = "h\r\nr1\rr2\nr3";
        let mut reader = DecodingReader::new(text.as_bytes(), UTF_8).keep_text();
        let mut all = String::new();
        reader.read_to_string(&mut all).unwrap();
        let at = |s: &str| all.find(s).unwrap() as u64;
        assert_eq!(reader.raw(at("r1"), at("r2")), b"r1\r");
        assert_eq!(reader.line_at(at("r1")), 2);
        assert_eq!(reader.line_at(at("r2")), 3);
        assert_eq!(reader.line_at(at("r3")), 4);
    }
}
