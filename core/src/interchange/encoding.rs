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
    quotes: u64,
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
            quotes: 0,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// How many `"` characters have been decoded so far. A well-formed CSV file has an even
    /// number; an odd one means a quoted field that never closes.
    pub fn quotes(&self) -> u64 {
        self.quotes
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
            let (newlines, quotes) = decoded.iter().fold((0u64, 0u64), |(n, q), b| {
                (n + u64::from(*b == b'\n'), q + u64::from(*b == b'"'))
            });
            self.quotes += quotes;
            advance_position(&mut self.line, &mut self.column, decoded, newlines);
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

/// Moves a line and column (in characters) past `text`.
fn advance_position(line: &mut u64, column: &mut u64, text: &[u8], newlines: u64) {
    match text.iter().rposition(|b| *b == b'\n') {
        Some(last) => {
            *line += newlines;
            *column = 1 + count_chars(&text[last + 1..]);
        }
        None => *column += count_chars(text),
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
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
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
}
