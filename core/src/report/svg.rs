//! Charts as inline SVG: horizontal bars, stacked when there are several series, with a
//! legend, a scale and each bar's total. Colours come from the page's style sheet (one CSS
//! class per series), so the SVG holds only shapes and text.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::Lang;
use super::model::{Chart, count};

const WIDTH: f64 = 1000.0;
const FONT: f64 = 12.0;
const ROW: f64 = 22.0;
const BAR: f64 = 14.0;
const LEGEND: f64 = 26.0;
const AXIS: f64 = 22.0;
/// Room right of the longest bar for its total.
const VALUE: f64 = 64.0;

/// Text with the five characters HTML and SVG reserve escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// About how wide a text is drawn, in pixels: wide (CJK) characters are a full em.
fn text_width(text: &str) -> f64 {
    text.width() as f64 * FONT * 0.55
}

/// A text cut to fit `max` pixels, with an ellipsis when cut.
fn fit(text: &str, max: f64) -> String {
    if text_width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out) > max - FONT {
            out.pop();
            out.push('…');
            break;
        }
    }
    out
}

/// A round step for a scale up to `max` with at most five steps.
fn step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(if max >= 1.0 { 1.0 } else { 0.0 })
}

fn value_text(value: f64, percent: bool) -> String {
    if percent {
        format!("{:.0}%", value * 100.0)
    } else {
        count(value.round() as u64)
    }
}

/// The chart as an `<svg>` element.
pub fn chart(chart: &Chart, lang: Lang, id: &str) -> String {
    let labels: Vec<String> = chart.bars.iter().map(|(l, _)| lang.say(l)).collect();
    let totals: Vec<f64> = chart.bars.iter().map(|(_, v)| v.iter().sum()).collect();
    let frame = Frame::new(chart, &labels, &totals);
    let height = LEGEND + ROW * chart.bars.len() as f64 + AXIS;
    let title = escape(&lang.say(&chart.title));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-t"><title id="{id}-t">{title}</title>"#
    );
    legend(&mut svg, chart, lang, &frame);
    grid(&mut svg, chart, &frame);
    bars(&mut svg, chart, lang, &frame, &labels, &totals);
    svg.push_str("</svg>");
    svg
}

/// Where a chart's parts go: the room for the labels, the width of the plot and the value at
/// its right edge.
struct Frame {
    label_width: f64,
    plot: f64,
    max: f64,
}

impl Frame {
    /// The frame for bars with these labels and totals.
    fn new(chart: &Chart, labels: &[String], totals: &[f64]) -> Frame {
        let label_width = labels
            .iter()
            .map(|l| text_width(l))
            .fold(60.0, f64::max)
            .min(300.0)
            + 10.0;
        let plot = WIDTH - label_width - VALUE;
        let max = if chart.percent {
            1.0
        } else {
            let top = totals.iter().copied().fold(0.0, f64::max);
            let s = step(top);
            (top / s).ceil().max(1.0) * s
        };
        Frame {
            label_width,
            plot,
            max,
        }
    }

    /// The length of a bar for `v`.
    fn scale(&self, v: f64) -> f64 {
        v / self.max * self.plot
    }
}

/// The legend: a swatch and the name of each series, in a row above the plot.
fn legend(svg: &mut String, chart: &Chart, lang: Lang, frame: &Frame) {
    let mut x = frame.label_width;
    for (name, class) in &chart.series {
        let name = lang.say(name);
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x}" y="6" width="12" height="12"/><text x="{}" y="16">{}</text>"#,
            x + 16.0,
            escape(&name)
        );
        x += 16.0 + text_width(&name) + 18.0;
    }
}

/// The scale: grid lines and their values below the plot.
fn grid(svg: &mut String, chart: &Chart, frame: &Frame) {
    let max = frame.max;
    let tick = if chart.percent { 0.25 } else { step(max) };
    let bottom = LEGEND + ROW * chart.bars.len() as f64;
    let mut v = 0.0;
    while v <= max + tick / 1000.0 {
        let gx = frame.label_width + frame.scale(v);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{gx:.1}" y1="{LEGEND}" x2="{gx:.1}" y2="{bottom}"/><text class="tick" x="{gx:.1}" y="{}" text-anchor="middle">{}</text>"#,
            bottom + 15.0,
            value_text(v, chart.percent)
        );
        v += tick;
    }
}

/// The bars, one row each: its label, a segment per series and its total.
fn bars(
    svg: &mut String,
    chart: &Chart,
    lang: Lang,
    frame: &Frame,
    labels: &[String],
    totals: &[f64],
) {
    let label_width = frame.label_width;
    for (i, ((_, values), label)) in chart.bars.iter().zip(labels).enumerate() {
        let y = LEGEND + ROW * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            label_width - 8.0,
            y + ROW / 2.0 + 4.0,
            escape(&fit(label, label_width - 10.0))
        );
        let mut x = label_width;
        for (value, (name, class)) in values.iter().zip(&chart.series) {
            if *value <= 0.0 {
                continue;
            }
            let w = frame.scale(*value);
            let _ = write!(
                svg,
                r#"<rect class="{class}" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{BAR}"><title>{}: {}</title></rect>"#,
                y + (ROW - BAR) / 2.0,
                escape(&format!("{label} · {}", lang.say(name))),
                value_text(*value, chart.percent)
            );
            x += w;
        }
        let _ = write!(
            svg,
            r#"<text class="value" x="{:.1}" y="{}">{}</text>"#,
            x + 6.0,
            y + ROW / 2.0 + 4.0,
            value_text(totals[i], chart.percent)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_step_in_round_numbers() {
        assert_eq!(step(9.0), 2.0);
        assert_eq!(step(10.0), 2.0);
        assert_eq!(step(314.0), 100.0);
        assert_eq!(step(3.0), 1.0);
        assert_eq!(step(0.0), 1.0);
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        let cut = fit("二氧化硫产生量与燃煤硫平衡估算值偏差超过", 60.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(text_width(&cut) <= 60.0, "{cut}");
        assert_eq!(fit("R15", 60.0), "R15");
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
