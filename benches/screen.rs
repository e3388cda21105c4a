//! Review-screen benchmark, headless (ratatui's `TestBackend`, 120×40), on a checked
//! workspace named by `HUISHEN_BENCH_WORKSPACE`:
//!
//! - start to first frame: `Session::open` + `App::new` + one `terminal.draw`, first in a
//!   fresh process (the script runs this binary several times), then again in the same
//!   process (`HUISHEN_BENCH_REOPEN` times, default 5) to show what a warm process pays;
//! - per navigation keystroke: `app.on_key` followed by `terminal.draw`, for a fixed mixed
//!   sequence of `HUISHEN_BENCH_KEYS` keys (default 2,000: ↓ ↑ PageDown PageUp End Home n N),
//!   each timed; p50, p99 and max overall and per key;
//! - search: `/`, the text, Enter, for names a reviewer types (two Chinese characters, a
//!   county, an industry word, a key's start, something no name holds, one character), each
//!   `HUISHEN_BENCH_SEARCHES` times (default 5): the Enter (update + render: the search runs
//!   on the searcher thread) and the time until its lines are on screen, then 20 ↓ and 5
//!   PageDown in what it lists, then Esc (which clears it, back on the record);
//! - the dashboard: the `d` key (update + render: the figures are read on the worker) and
//!   the time until they are on screen (ticks every millisecond);
//! - peak memory: `VmHWM` from /proc/self/status after the first frame and at the end.
//!
//! `scripts/bench_screen.sh` builds the workspaces and runs this 3 times per size. Run alone:
//!
//! ```sh
//! HUISHEN_BENCH_WORKSPACE=/tmp/bench-screen/w3600k.huishen cargo bench --bench screen
//! ```
//!
//! Lines starting with `RESULT` and `KEY` are for the script; the rest is for people.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use huishen::tui::app::App;
use huishen::tui::i18n::Lang;
use huishen::tui::keymap::Keymap;
use huishen::tui::theme::Theme;
use huishen::tui::views;
use huishen_core::review::Session;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// The navigation keys, with the share of the sequence each takes (out of 100).
const KINDS: [(&str, KeyCode, u32); 8] = [
    ("Down", KeyCode::Down, 55),
    ("Up", KeyCode::Up, 15),
    ("PageDown", KeyCode::PageDown, 10),
    ("PageUp", KeyCode::PageUp, 6),
    ("n", KeyCode::Char('n'), 5),
    ("N", KeyCode::Char('N'), 5),
    ("End", KeyCode::End, 2),
    ("Home", KeyCode::Home, 2),
];

/// Where one first frame's time went.
struct FirstFrame {
    open: Duration,
    app: Duration,
    draw: Duration,
}

impl FirstFrame {
    fn total(&self) -> Duration {
        self.open + self.app + self.draw
    }
}

fn main() -> BenchResult<()> {
    let Some(workspace) = std::env::var_os("HUISHEN_BENCH_WORKSPACE").map(PathBuf::from) else {
        println!(
            "screen bench skipped: set HUISHEN_BENCH_WORKSPACE to a checked workspace \
             (scripts/bench_screen.sh makes them)"
        );
        return Ok(());
    };
    let keys = env_number("HUISHEN_BENCH_KEYS", 2000)?;
    let reopen = env_number("HUISHEN_BENCH_REOPEN", 5)?;

    // (a) Start to first frame, first thing in this process.
    let (cold, mut app, mut terminal) = first_frame(&workspace)?;
    let hwm_first = vm_kib("VmHWM")?;
    let queue = app.count;

    // The same again in this process: what a second open costs once code and files are warm.
    let mut warm = Vec::new();
    for _ in 0..reopen {
        let (ff, _, _) = first_frame(&workspace)?;
        warm.push(ff);
    }

    // (b) Navigation keystrokes: update, then render, each timed.
    let sequence = key_sequence(keys);
    let mut update = Vec::with_capacity(keys);
    let mut render = Vec::with_capacity(keys);
    let mut per_kind: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
    let mut deepest = 0u64;
    for &kind in &sequence {
        let event = KeyEvent::new(KINDS[kind].1, KeyModifiers::NONE);
        let t0 = Instant::now();
        app.on_key(event);
        let t1 = Instant::now();
        terminal.draw(|f| views::draw(f, &app))?;
        let t2 = Instant::now();
        update.push(t1 - t0);
        render.push(t2 - t1);
        per_kind[kind].push(t2 - t0);
        deepest = deepest.max(app.position + app.cursor as u64);
    }
    let total: Vec<Duration> = update.iter().zip(&render).map(|(u, r)| *u + *r).collect();
    // The keys must have moved through the queue, or the figures mean nothing.
    if queue > 0 && app.selected().is_none() {
        return Err("no queue line is selected after the key sequence".into());
    }

    // (c) Searches and the dashboard.
    let searches = env_number("HUISHEN_BENCH_SEARCHES", 5)?;
    let found = search_times(&mut app, &mut terminal, searches)?;
    let dashboard = dashboard_times(&mut app, &mut terminal, searches)?;

    // (d) Peak memory.
    let hwm_end = vm_kib("VmHWM")?;

    let warm_total = median(warm.iter().map(FirstFrame::total).collect());
    println!(
        "workspace {} ({queue} records in the queue), {WIDTH}×{HEIGHT} TestBackend",
        workspace.display()
    );
    println!(
        "first frame, first in this process: {} ms (Session::open {} + App::new {} + draw {})",
        ms(cold.total()),
        ms(cold.open),
        ms(cold.app),
        ms(cold.draw)
    );
    if !warm.is_empty() {
        println!(
            "first frame, again in this process: median of {} {} ms (open {} + App::new {} + draw {})",
            warm.len(),
            ms(warm_total),
            ms(median(warm.iter().map(|f| f.open).collect())),
            ms(median(warm.iter().map(|f| f.app).collect())),
            ms(median(warm.iter().map(|f| f.draw).collect())),
        );
    }
    println!(
        "{} navigation keys, deepest queue line reached {deepest} of {queue}, \
         update = on_key, render = terminal.draw (ms):",
        sequence.len()
    );
    println!(
        "{:<10} {:>5} {:>9} {:>9} {:>9} {:>11} {:>11}",
        "key", "count", "p50", "p99", "max", "update_p99", "render_p99"
    );
    let row = |name: &str, all: &[Duration], up: &[Duration], re: &[Duration]| {
        println!(
            "{:<10} {:>5} {:>9} {:>9} {:>9} {:>11} {:>11}",
            name,
            all.len(),
            ms(percentile(all, 0.50)),
            ms(percentile(all, 0.99)),
            ms(percentile(all, 1.0)),
            ms(percentile(up, 0.99)),
            ms(percentile(re, 0.99)),
        );
    };
    row("all", &total, &update, &render);
    for (k, (name, _, _)) in KINDS.iter().enumerate() {
        let idx: Vec<usize> = (0..sequence.len()).filter(|&i| sequence[i] == k).collect();
        let up: Vec<Duration> = idx.iter().map(|&i| update[i]).collect();
        let re: Vec<Duration> = idx.iter().map(|&i| render[i]).collect();
        row(name, &per_kind[k], &up, &re);
    }
    println!(
        "search: the Enter (update + render), its lines on screen after, the keys in what it \
         lists, Esc (ms):"
    );
    println!(
        "{:<16} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "text", "lines", "enter_max", "shown_p50", "shown_max", "move_p50", "move_max", "esc_max"
    );
    for f in &found {
        println!(
            "{:<16} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            f.label,
            f.lines,
            ms(percentile(&f.enter, 1.0)),
            ms(percentile(&f.ready, 0.5)),
            ms(percentile(&f.ready, 1.0)),
            ms(percentile(&f.moves, 0.5)),
            ms(percentile(&f.moves, 1.0)),
            ms(percentile(&f.esc, 1.0)),
        );
    }
    println!(
        "dashboard: key (update + render) p50 {} max {} ms; figures on screen after p50 {} max {} ms",
        ms(percentile(&dashboard.key, 0.5)),
        ms(percentile(&dashboard.key, 1.0)),
        ms(percentile(&dashboard.ready, 0.5)),
        ms(percentile(&dashboard.ready, 1.0)),
    );
    println!(
        "peak memory (VmHWM): {:.1} MiB after the first frame, {:.1} MiB at the end",
        hwm_first as f64 / 1024.0,
        hwm_end as f64 / 1024.0
    );

    // For the script: one line of figures, then one per key kind.
    println!(
        "RESULT queue={queue} first_frame_ms={} open_ms={} app_new_ms={} \
         draw_ms={} warm_first_frame_ms={} key_p50_ms={} key_p99_ms={} key_max_ms={} \
         update_p99_ms={} render_p99_ms={} hwm_first_kib={hwm_first} hwm_kib={hwm_end}",
        ms(cold.total()),
        ms(cold.open),
        ms(cold.app),
        ms(cold.draw),
        ms(warm_total),
        ms(percentile(&total, 0.50)),
        ms(percentile(&total, 0.99)),
        ms(percentile(&total, 1.0)),
        ms(percentile(&update, 0.99)),
        ms(percentile(&render, 0.99)),
    );
    for (k, (name, _, _)) in KINDS.iter().enumerate() {
        let d = &per_kind[k];
        println!(
            "KEY {name} {} {} {} {}",
            d.len(),
            ms(percentile(d, 0.50)),
            ms(percentile(d, 0.99)),
            ms(percentile(d, 1.0))
        );
    }
    let all_enter: Vec<Duration> = found.iter().flat_map(|f| f.enter.clone()).collect();
    let all_ready: Vec<Duration> = found.iter().flat_map(|f| f.ready.clone()).collect();
    let all_moves: Vec<Duration> = found.iter().flat_map(|f| f.moves.clone()).collect();
    println!(
        "SEARCH enter_max_ms={} shown_p50_ms={} shown_max_ms={} move_p99_ms={} \
         dashboard_key_max_ms={} dashboard_ready_p50_ms={} dashboard_ready_max_ms={}",
        ms(percentile(&all_enter, 1.0)),
        ms(percentile(&all_ready, 0.5)),
        ms(percentile(&all_ready, 1.0)),
        ms(percentile(&all_moves, 0.99)),
        ms(percentile(&dashboard.key, 1.0)),
        ms(percentile(&dashboard.ready, 0.5)),
        ms(percentile(&dashboard.ready, 1.0)),
    );
    Ok(())
}

/// What a reviewer types into the search: (label, text).
const SEARCHES: [(&str, &str); 7] = [
    ("济南 (2 chars)", "济南"),
    ("历下 (county)", "历下"),
    ("食品 (industry)", "食品"),
    ("化 (1 char)", "化"),
    ("有限公司 (all)", "有限公司"),
    ("G37010 (key)", "G37010"),
    ("no such name", "不在任何名称中"),
];

/// One search's figures.
struct Found {
    label: &'static str,
    lines: u64,
    enter: Vec<Duration>,
    ready: Vec<Duration>,
    moves: Vec<Duration>,
    esc: Vec<Duration>,
}

/// A key, then a frame: how long both took.
fn timed_key(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    code: KeyCode,
) -> BenchResult<Duration> {
    let t0 = Instant::now();
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    terminal.draw(|f| views::draw(f, app))?;
    Ok(t0.elapsed())
}

fn search_times(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    runs: usize,
) -> BenchResult<Vec<Found>> {
    let mut out = Vec::new();
    for (label, text) in SEARCHES {
        let mut found = Found {
            label,
            lines: 0,
            enter: Vec::new(),
            ready: Vec::new(),
            moves: Vec::new(),
            esc: Vec::new(),
        };
        for _ in 0..runs {
            app.on_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
            for c in text.chars() {
                app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            }
            // The Enter is answered at once (the search goes to the searcher); its lines are
            // on screen once the searcher has them.
            let t0 = Instant::now();
            found.enter.push(timed_key(app, terminal, KeyCode::Enter)?);
            while app.waiting() {
                std::thread::sleep(Duration::from_micros(200));
                app.collect();
                if t0.elapsed() > Duration::from_secs(600) {
                    return Err(
                        format!("the search for {text} did not answer in 10 minutes").into(),
                    );
                }
            }
            terminal.draw(|f| views::draw(f, app))?;
            found.ready.push(t0.elapsed());
            found.lines = app.count;
            for _ in 0..20 {
                found.moves.push(timed_key(app, terminal, KeyCode::Down)?);
            }
            for _ in 0..5 {
                found
                    .moves
                    .push(timed_key(app, terminal, KeyCode::PageDown)?);
            }
            found.esc.push(timed_key(app, terminal, KeyCode::Esc)?);
            if app.filter.search.is_some() {
                return Err(format!("Esc did not clear the search for {text}").into());
            }
        }
        out.push(found);
    }
    Ok(out)
}

/// The dashboard's figures: the key, and the time until they are on screen.
struct Dashboard {
    key: Vec<Duration>,
    ready: Vec<Duration>,
}

fn dashboard_times(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    runs: usize,
) -> BenchResult<Dashboard> {
    use huishen::tui::app::{Figures, Overlay};
    let mut out = Dashboard {
        key: Vec::new(),
        ready: Vec::new(),
    };
    for _ in 0..runs {
        let t0 = Instant::now();
        out.key.push(timed_key(app, terminal, KeyCode::Char('d'))?);
        loop {
            app.on_tick();
            match &app.overlay {
                Some(Overlay::Dashboard(Figures::Ready(_))) => break,
                Some(Overlay::Dashboard(Figures::Failed(why))) => return Err(why.clone().into()),
                Some(Overlay::Dashboard(_)) => std::thread::sleep(Duration::from_millis(1)),
                _ => return Err("the dashboard did not open".into()),
            }
            if t0.elapsed() > Duration::from_secs(600) {
                return Err("the dashboard's figures did not come within 10 minutes".into());
            }
        }
        terminal.draw(|f| views::draw(f, app))?;
        out.ready.push(t0.elapsed());
        app.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    }
    Ok(out)
}

/// Opens the workspace and draws once, the way `huishen review` starts.
fn first_frame(
    workspace: &std::path::Path,
) -> BenchResult<(FirstFrame, App, Terminal<TestBackend>)> {
    let t0 = Instant::now();
    let session = Session::open(workspace, "bench", "bench-passphrase", None)?;
    let t1 = Instant::now();
    let app = App::new(
        session,
        Keymap::builtin(),
        Lang::En,
        Theme { color: true },
        Rect::new(0, 0, WIDTH, HEIGHT),
    )?;
    let t2 = Instant::now();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
    terminal.draw(|f| views::draw(f, &app))?;
    let t3 = Instant::now();
    Ok((
        FirstFrame {
            open: t1 - t0,
            app: t2 - t1,
            draw: t3 - t2,
        },
        app,
        terminal,
    ))
}

/// A fixed, mixed sequence of `n` key kinds (indices into `KINDS`) from a small xorshift
/// generator: the same on every run and machine.
fn key_sequence(n: usize) -> Vec<usize> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let sum: u32 = KINDS.iter().map(|k| k.2).sum();
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut pick = (state % u64::from(sum)) as u32;
            KINDS
                .iter()
                .position(|k| {
                    if pick < k.2 {
                        true
                    } else {
                        pick -= k.2;
                        false
                    }
                })
                .unwrap_or(0)
        })
        .collect()
}

/// Nearest-rank percentile; `q` = 1.0 is the maximum.
fn percentile(values: &[Duration], q: f64) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn median(values: Vec<Duration>) -> Duration {
    percentile(&values, 0.5)
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// A `Vm…` line of /proc/self/status, in KiB.
fn vm_kib(field: &str) -> BenchResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/self/status").into())
}

fn env_number(name: &str, default: usize) -> BenchResult<usize> {
    match std::env::var(name) {
        Ok(v) => Ok(v
            .parse()
            .map_err(|_| format!("{name}={v} is not a number"))?),
        Err(_) => Ok(default),
    }
}
