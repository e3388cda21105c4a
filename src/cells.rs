//! Text measured in terminal cells: Chinese characters take two. Long text is cut with an
//! ellipsis at a character boundary and never spills into the next column.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width in cells.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `max` cells, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` cut to `max` cells and padded with spaces to exactly `max`.
pub fn pad(s: &str, max: usize) -> String {
    let cut = fit(s, max);
    let fill = max.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(fill))
}

/// `s` cut to `max` cells and padded on the left to exactly `max` (for numbers).
pub fn pad_left(s: &str, max: usize) -> String {
    let cut = fit(s, max);
    let fill = max.saturating_sub(cut.width());
    format!("{}{cut}", " ".repeat(fill))
}

/// `s` broken into lines of at most `max` cells: at a space for words, between any two
/// characters for Chinese (which has no spaces), never dropping a character.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split_inclusive(' ') {
        let w = word.trim_end().width();
        if used > 0 && used + w > max {
            lines.push(line.trim_end().to_string());
            line.clear();
            used = 0;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > max && c != ' ' {
                // Chinese punctuation that closes (，。） and the like) never starts a line: the
                // character before it goes down with it.
                let carried = match line.chars().last() {
                    Some(last)
                        if closes(c) && line.chars().count() > 1 && !last.is_whitespace() =>
                    {
                        line.pop()
                    }
                    _ => None,
                };
                lines.push(line.trim_end().to_string());
                line.clear();
                used = 0;
                if let Some(last) = carried {
                    line.push(last);
                    used = last.width().unwrap_or(0);
                }
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.trim_end().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Punctuation that closes what precedes it, which Chinese typesetting never puts at the start
/// of a line.
fn closes(c: char) -> bool {
    "，。、；：？！）》」』】”’…".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_and_between_chinese_characters_and_keeps_every_one() {
        assert_eq!(
            wrap("Correct the field under the cursor (with a reason)", 20),
            ["Correct the field", "under the cursor", "(with a reason)"]
        );
        let zh = "修正光标所在指标（须填写原因）";
        let lines = wrap(zh, 10);
        assert!(lines.iter().all(|l| l.width() <= 10), "{lines:?}");
        assert_eq!(lines.concat(), zh);
        assert_eq!(wrap("short", 20), ["short"]);
        // A comma does not start a line: the character before it comes down with it.
        assert_eq!(wrap("已签字锁定，请先", 10), ["已签字锁", "定，请先"]);
    }

    #[test]
    fn chinese_is_two_cells_and_is_cut_whole() {
        assert_eq!(width("济南市"), 6);
        assert_eq!(fit("济南市历下区", 7), "济南市…");
        assert_eq!(width(&fit("济南市历下区", 7)), 7);
        assert_eq!(fit("济南市历下区", 6), "济南…");
        assert_eq!(pad("济南", 6), "济南  ");
        assert_eq!(pad("abc", 2), "a…");
        assert_eq!(pad_left("12", 4), "  12");
    }
}
