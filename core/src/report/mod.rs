//! The review report for the census office: where the review of a form stands, by region, by
//! rule, by field and reason and by reviewer, with the records still open. It is built from
//! one snapshot of the workspace into a [`model::Document`] and rendered as a self-contained
//! HTML5 page (charts as inline SVG; no script, nothing fetched) or as Markdown, in Chinese,
//! English or both ("区县 County").

mod build;
mod datasets;
mod html;
mod markdown;
mod model;
mod sections;
mod svg;

use crate::error::Result;
use crate::store::Snapshot;

pub use model::Text;

/// How many open records the report lists.
pub const OPEN_RECORDS_LISTED: usize = 500;

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Every heading and label in Chinese, then English.
    #[default]
    Both,
    En,
    Zh,
}

impl Lang {
    /// `en`, `zh-CN` (also `zh`, `zh_CN`, `zh-Hans`) or `both`.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.to_ascii_lowercase().replace('_', "-");
        if lower == "both" {
            Some(Lang::Both)
        } else if lower == "en" || lower.starts_with("en-") {
            Some(Lang::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// A text in this language.
    pub fn say(self, text: &Text) -> String {
        match self {
            Lang::Zh => text.zh.clone(),
            Lang::En => text.en.clone(),
            Lang::Both => match &text.both {
                Some(both) => both.clone(),
                None if text.zh == text.en => text.zh.clone(),
                None => format!("{} {}", text.zh, text.en),
            },
        }
    }

    /// The page's `lang` attribute.
    fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh | Lang::Both => "zh-CN",
        }
    }
}

/// The report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Html,
    Md,
}

/// What to report on and how.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// The form (default: the workspace's first).
    pub form: Option<String>,
    pub format: ReportFormat,
    pub lang: Lang,
}

/// Reads the figures through `snap` and renders the report.
pub fn render(snap: &Snapshot<'_>, options: &ReportOptions) -> Result<String> {
    let form = snap.form(options.form.as_deref())?;
    let figures = snap.figures(form, OPEN_RECORDS_LISTED)?;
    let workspace = snap
        .path()
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let doc = build::build(&model::Input {
        workspace: &workspace,
        form,
        reasons: &snap.schema().reasons,
        figures: &figures,
    });
    Ok(match options.format {
        ReportFormat::Html => html::render(&doc, options.lang),
        ReportFormat::Md => markdown::render(&doc, options.lang),
    })
}
