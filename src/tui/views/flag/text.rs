//! The window's text: wrapping to its width, and values, numbers and times as it writes them.

use crate::cells::width;
use crate::tui::i18n::{Lang, say};
use huishen_core::domain::Datum;

/// Text cut into lines of at most `w` cells: at spaces where it can, else between
/// characters (Chinese has no spaces).
pub fn wrap(text: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in words(paragraph) {
            let ww = width(word);
            if used + ww > w && used > 0 {
                out.push(line.trim_end().to_string());
                line = String::new();
                used = 0;
                if word.trim().is_empty() {
                    continue;
                }
            }
            if ww > w {
                for c in word.chars() {
                    let cw = width(c.encode_utf8(&mut [0; 4]));
                    if used + cw > w {
                        out.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                line.push_str(word);
                used += ww;
            }
        }
        out.push(line.trim_end().to_string());
    }
    out
}

/// Words with their trailing spaces; each wide character is a word of its own.
pub(super) fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let wide = width(c.encode_utf8(&mut [0; 4])) > 1;
        let next = chars.peek().map(|&(j, n)| (j, n));
        let ends = match next {
            None => true,
            Some((_, n)) => {
                let next_wide = width(n.encode_utf8(&mut [0; 4])) > 1;
                wide || next_wide || (c == ' ' && n != ' ')
            }
        };
        if ends {
            let end = next.map_or(text.len(), |(j, _)| j);
            out.push(&text[start..end]);
            start = end;
        }
        let _ = i;
    }
    out
}

/// A computed value as the window shows it (numbers as [`number`] writes them).
pub(super) fn value_text(lang: Lang, value: &Option<Datum>) -> String {
    match value {
        None => say::fd_not_computed(lang).into(),
        Some(Datum::Null) => "NULL".into(),
        Some(Datum::Integer(i)) => i.to_string(),
        Some(Datum::Real(x)) => number(*x),
        Some(Datum::Text(t)) => format!("'{t}'"),
    }
}

/// A number as it is when that is short (`657.4269`), else to eight significant digits
/// without trailing zeros; very large or small ones in exponent form (`1e308`).
pub(super) fn number(x: f64) -> String {
    let plain = x.to_string();
    if x == 0.0 || !x.is_finite() || plain.len() <= 12 {
        return plain;
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..12).contains(&magnitude) {
        let shortest = format!("{x:e}");
        return if shortest.len() <= 14 {
            shortest
        } else {
            format!("{x:.7e}")
        };
    }
    let decimals = (7 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

pub(super) fn opt(x: Option<f64>) -> String {
    x.map_or("—".into(), number)
}

pub(super) fn shown(d: &Datum) -> String {
    match d {
        Datum::Null => "—".into(),
        Datum::Real(x) => number(*x),
        other => other.display(),
    }
}

/// A time of the trail as the window shows it.
pub(super) fn at(text: &str) -> String {
    format!("{} UTC", text.get(..19).unwrap_or(text).replace('T', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_and_between_chinese_characters() {
        assert_eq!(
            wrap("so2_emit_t <= coalesce(so2_gen_t, 0)", 16),
            ["so2_emit_t <=", "coalesce(so2_gen", "_t, 0)"]
        );
        assert_eq!(
            wrap("区划代码不是现行县级代码", 10),
            ["区划代码不", "是现行县级", "代码"]
        );
        assert!(
            wrap("区划代码（含已撤销代码，如莱芜）", 7)
                .iter()
                .all(|l| width(l) <= 7)
        );
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn numbers_keep_short_values_and_cut_long_ones_to_eight_digits() {
        assert_eq!(number(-657.4269), "-657.4269");
        assert_eq!(number(0.009655827123456), "0.0096558271");
        assert_eq!(number(32138.7), "32138.7");
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(2.0 / 3.0), "0.66666667");
    }
}
