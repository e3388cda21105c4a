//! How a header cell of an imported file names a field: by its name, either label or an alias,
//! with or without its unit in brackets after it (`二氧化硫产生量(吨)`, `SO2 emitted [t]`,
//! half- or full-width), and which field a header that names none comes nearest to.

use super::{Field, Form};

/// What a header cell says of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderMatch {
    /// It names the field (its unit may follow in brackets).
    Names,
    /// It names the field followed by a unit in brackets that is not the field's: the values
    /// are in another unit. Holds the unit the header gives.
    OtherUnit(String),
    /// It does not name the field.
    No,
}

/// A header as it is compared: trimmed, full-width brackets and spaces made half-width.
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '【' | '［' => '[',
            '】' | '］' => ']',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// `X(U)` or `X[U]` split into `X` and `U`.
fn split_unit(header: &str) -> Option<(&str, &str)> {
    let close = header.chars().last()?;
    let open = match close {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let at = header.rfind(open)?;
    let base = header[..at].trim_end();
    let unit = header[at + 1..header.len() - 1].trim();
    (!base.is_empty() && !unit.is_empty()).then_some((base, unit))
}

impl Field {
    /// The texts that name this field in a header: its name, its labels, its aliases.
    fn header_names(&self) -> impl Iterator<Item = &str> {
        [self.name.as_str(), &self.label.zh, &self.label.en]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether `text` is, as it stands, this field's name, a label or an alias (ASCII letters
    /// in any case).
    pub fn names_header(&self, text: &str) -> bool {
        let text = normalise(text);
        self.header_names()
            .any(|n| normalise(n).eq_ignore_ascii_case(&text))
    }

    /// What `header` says of this field.
    pub fn match_header(&self, header: &str) -> HeaderMatch {
        if self.names_header(header) {
            return HeaderMatch::Names;
        }
        let header = normalise(header);
        let Some((base, unit)) = split_unit(&header) else {
            return HeaderMatch::No;
        };
        if !self.names_header(base) {
            return HeaderMatch::No;
        }
        let same = self.unit.as_ref().is_some_and(|u| {
            normalise(&u.zh).eq_ignore_ascii_case(unit)
                || normalise(&u.en).eq_ignore_ascii_case(unit)
        });
        if same {
            HeaderMatch::Names
        } else {
            HeaderMatch::OtherUnit(unit.to_string())
        }
    }
}

/// The field whose name, label or alias comes nearest to a header that names none: within a
/// third of its length in edits (at least one), or containing it or contained in it.
pub fn nearest_field<'f>(form: &'f Form, header: &str) -> Option<&'f Field> {
    let header = normalise(header);
    let base = split_unit(&header).map_or(header.as_str(), |(b, _)| b);
    let base: Vec<char> = base
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if base.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &Field)> = None;
    for field in &form.fields {
        let names = field.header_names().map(normalise);
        // A label with a qualifier in brackets (`工业总产值（当年价格）`) is near without it too.
        let names = names.flat_map(|n| {
            let bare = split_unit(&n).map(|(b, _)| b.to_string());
            [Some(n), bare]
        });
        for name in names.flatten() {
            let name: Vec<char> = (name.to_lowercase().chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            let distance = edits(&base, &name);
            // Containing: one holds the other, which is at least half of it.
            let (short, long) = if base.len() <= name.len() {
                (&base, &name)
            } else {
                (&name, &base)
            };
            let near = distance <= (name.len() / 3).max(1)
                || (short.len() >= 2 && short.len() * 2 >= long.len() && contains(long, short));
            if near && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, field));
            }
        }
    }
    best.map(|(_, f)| f)
}

fn contains(haystack: &[char], needle: &[char]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The edit distance between two texts, in characters: insertions, deletions, substitutions
/// and swaps of two neighbours (`Cuont` is one edit from `Count`).
fn edits(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[(i - 1) * width + j] + 1)
                    .min(d[i * width + j - 1] + 1)
                    .min(d[(i - 1) * width + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FieldType, Localized};

    fn field(name: &str, zh: &str, en: &str, unit: Option<(&str, &str)>) -> Field {
        Field {
            name: name.into(),
            label: Localized::new(zh, en),
            ty: FieldType::Real,
            unit: unit.map(|(zh, en)| Localized::new(zh, en)),
            required: false,
            reliability: 1.0,
            values: Vec::new(),
            names: None,
            aliases: Vec::new(),
        }
    }

    #[test]
    fn a_unit_in_brackets_of_either_width_may_follow_the_label() {
        let mut so2 = field(
            "so2_emit_t",
            "二氧化硫排放量",
            "SO2 emitted",
            Some(("吨", "t")),
        );
        so2.aliases.push("二氧化硫排放总量".into());
        for header in [
            "二氧化硫排放量",
            "二氧化硫排放量(吨)",
            "二氧化硫排放量（吨）",
            "二氧化硫排放量【吨】",
            "SO2 emitted (t)",
            "so2 emitted [T]",
            "SO2_EMIT_T",
            "二氧化硫排放总量(吨)",
        ] {
            assert_eq!(so2.match_header(header), HeaderMatch::Names, "{header}");
        }
        assert_eq!(
            so2.match_header("二氧化硫排放量(千克)"),
            HeaderMatch::OtherUnit("千克".into())
        );
        assert_eq!(so2.match_header("二氧化硫产生量(吨)"), HeaderMatch::No);
        let unitless = field("scale", "企业规模", "Scale", None);
        assert_eq!(
            unitless.match_header("企业规模(吨)"),
            HeaderMatch::OtherUnit("吨".into())
        );
    }

    #[test]
    fn a_label_with_brackets_of_its_own_still_matches_itself() {
        let output = field(
            "output",
            "工业总产值（当年价格）",
            "Output",
            Some(("万元", "10k yuan")),
        );
        assert_eq!(
            output.match_header("工业总产值(当年价格)"),
            HeaderMatch::Names
        );
        assert_eq!(
            output.match_header("工业总产值（当年价格）(万元)"),
            HeaderMatch::Names
        );
    }

    #[test]
    fn the_nearest_field_is_a_few_edits_away_or_contains_the_header() {
        let form = Form {
            name: "T".into(),
            label: Localized::new("表", "Form"),
            key: "id".into(),
            display: None,
            region: None,
            fields: vec![
                field("count", "数量", "Count", None),
                field(
                    "so2_emit_t",
                    "二氧化硫排放量",
                    "SO2 emitted",
                    Some(("吨", "t")),
                ),
            ],
            parent: None,
            null_values: Vec::new(),
        };
        let near = |h: &str| nearest_field(&form, h).map(|f| f.name.as_str());
        assert_eq!(near("数 量"), Some("count"));
        assert_eq!(near("Cuont"), Some("count"));
        assert_eq!(near("2016年二氧化硫排放量(吨)"), Some("so2_emit_t"));
        assert_eq!(near("备注"), None);
        assert_eq!(near("数量;名称;金额;标志"), None);
    }
}
