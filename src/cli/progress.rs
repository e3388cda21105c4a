//! Progress of long work on standard error, only when it is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use huishen_core::review::ImportProgress as Progress;

/// Files smaller than this finish before a progress line would help.
const MIN_BYTES: u64 = 4 << 20;

pub struct ProgressLine {
    label: String,
    enabled: bool,
    last: Option<Instant>,
    shown: bool,
}

impl ProgressLine {
    pub fn new(label: String, total_bytes: u64) -> ProgressLine {
        ProgressLine {
            label,
            enabled: std::io::stderr().is_terminal() && total_bytes >= MIN_BYTES,
            last: None,
            shown: false,
        }
    }

    pub fn update(&mut self, p: Progress) {
        if !self.enabled
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(200))
        {
            return;
        }
        self.last = Some(Instant::now());
        let percent = (p.bytes * 100).checked_div(p.total_bytes).unwrap_or(0);
        let rows = crate::i18n::cmd::rows(super::lang(), p.rows);
        eprint!("\r{}: {percent:>3}% · {rows}", self.label);
        let _ = std::io::stderr().flush();
        self.shown = true;
    }

    pub fn finish(self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}
