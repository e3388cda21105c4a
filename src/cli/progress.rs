//! Progress of long work on standard error, only when it is a terminal: how far, how fast and
//! how long is left where that can be known, else how long it has taken so far.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use huishen_core::review::ImportProgress as Progress;

use crate::i18n::cmd;

/// Files smaller than this finish before a progress line would help.
const MIN_BYTES: u64 = 4 << 20;
/// How often a line is redrawn.
const EVERY: Duration = Duration::from_millis(200);

/// A line redrawn in place on standard error.
struct Line {
    enabled: bool,
    last: Option<Instant>,
    shown: bool,
}

impl Line {
    fn new(enabled: bool) -> Line {
        Line {
            enabled: enabled && std::io::stderr().is_terminal(),
            last: None,
            shown: false,
        }
    }

    /// Whether a line is due now.
    fn due(&mut self) -> bool {
        if !self.enabled || self.last.is_some_and(|t| t.elapsed() < EVERY) {
            return false;
        }
        self.last = Some(Instant::now());
        true
    }

    fn draw(&mut self, text: &str) {
        eprint!("\r{text}\x1b[K");
        let _ = std::io::stderr().flush();
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
            self.shown = false;
        }
    }
}

/// `12 s` or `3 min 05 s`, in the language.
fn duration(d: Duration) -> String {
    let (lang, s) = (super::lang(), d.as_secs());
    if s < 60 {
        cmd::seconds(lang, s)
    } else {
        cmd::minutes(lang, s / 60, &format!("{:02}", s % 60))
    }
}

/// The time left when `done` of `all` took `elapsed`, once there is enough to tell.
fn left(elapsed: Duration, done: f64, all: f64) -> Option<Duration> {
    (done > 0.0 && all > done && elapsed > Duration::from_millis(500))
        .then(|| elapsed.mul_f64((all - done) / done))
}

/// An import's progress: share of the file read, rows, rows a second and time left.
pub struct ProgressLine {
    label: String,
    line: Line,
    start: Instant,
}

impl ProgressLine {
    pub fn new(label: String, total_bytes: u64) -> ProgressLine {
        ProgressLine {
            label,
            line: Line::new(total_bytes >= MIN_BYTES),
            start: Instant::now(),
        }
    }

    pub fn update(&mut self, p: Progress) {
        if !self.line.due() {
            return;
        }
        let lang = super::lang();
        let elapsed = self.start.elapsed();
        let percent = (p.bytes * 100).checked_div(p.total_bytes).unwrap_or(0);
        let rate = (p.rows as f64 / elapsed.as_secs_f64().max(0.001)) as u64;
        let mut text = format!(
            "{}: {percent:>3}% · {} · {}",
            self.label,
            cmd::rows(lang, p.rows),
            cmd::per_second(lang, rate)
        );
        if let Some(left) = left(elapsed, p.bytes as f64, p.total_bytes as f64) {
            text.push_str(" · ");
            text.push_str(&cmd::time_left(lang, &duration(left)));
        }
        self.line.draw(&text);
    }

    pub fn finish(mut self) {
        self.line.clear();
    }
}

/// A check's progress: the rule being run, rules done of all, and time left.
pub struct RuleProgress {
    line: Line,
    start: Instant,
}

impl RuleProgress {
    pub fn new() -> RuleProgress {
        RuleProgress {
            line: Line::new(true),
            start: Instant::now(),
        }
    }

    /// Before rule `rule`, the `done + 1`th of `all`; an empty `rule` when the check is done.
    pub fn update(&mut self, done: usize, all: usize, rule: &str) {
        if rule.is_empty() {
            self.line.clear();
            return;
        }
        if !self.line.enabled {
            return;
        }
        let lang = super::lang();
        let mut text = cmd::checking(lang, rule, done + 1, all);
        let elapsed = self.start.elapsed();
        text.push_str(&format!(" · {}", duration(elapsed)));
        if let Some(left) = left(elapsed, done as f64, all as f64) {
            text.push_str(" · ");
            text.push_str(&cmd::time_left(lang, &duration(left)));
        }
        self.line.draw(&text);
    }
}

/// A count of rows written, shared with the work that writes them.
pub type Rows = Arc<std::sync::atomic::AtomicU64>;

/// Work whose size is not known beforehand (an export, a report, the figures): what it is
/// doing, the rows written so far if it counts them, and the time it has taken, redrawn
/// from a thread of its own until it is dropped. Dropping it stops the thread at once, so
/// quick work is not kept waiting for it.
pub struct Working {
    /// Dropped to tell the thread to stop.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Working {
    pub fn new(label: String, rows: Option<Rows>) -> Working {
        if !std::io::stderr().is_terminal() {
            return Working {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let (start, lang) = (Instant::now(), super::lang());
            let mut line = Line::new(true);
            // Quick work ends before anything is drawn.
            let mut wait = Duration::from_millis(500);
            while stopped.recv_timeout(wait) == Err(mpsc::RecvTimeoutError::Timeout) {
                wait = EVERY;
                let elapsed = start.elapsed();
                let mut text = format!("{label} · {}", duration(elapsed));
                if let Some(rows) = &rows {
                    let n = rows.load(Ordering::Relaxed);
                    let rate = (n as f64 / elapsed.as_secs_f64().max(0.001)) as u64;
                    text.push_str(&format!(
                        " · {} · {}",
                        cmd::rows(lang, n),
                        cmd::per_second(lang, rate)
                    ));
                }
                line.draw(&text);
            }
            line.clear();
        });
        Working {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Working {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_follows_the_pace_so_far() {
        let left = left(Duration::from_secs(10), 25.0, 100.0);
        assert_eq!(left, Some(Duration::from_secs(30)));
        assert_eq!(super::left(Duration::from_secs(10), 0.0, 100.0), None);
        // 3 min 05 s, or 3 分 05 秒 in Chinese: minutes and two-digit seconds.
        let shown = duration(Duration::from_secs(185));
        assert!(shown.starts_with("3 ") && shown.contains(" 05 "), "{shown}");
    }
}
