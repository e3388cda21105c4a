//! The worker thread: slow effects run here, off the key path, against a session of its own
//! on the same workspace (SQLite's WAL lets it read while the screen's session writes). Each
//! answer comes back as a message, which the screen collects on its next tick.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};

use super::effects;
use super::msg::{Effect, Msg};
use huishen_core::review::Session;

/// Whom to open the worker's session as.
#[derive(Clone)]
struct Opener {
    path: PathBuf,
    reviewer: String,
    form: String,
}

impl Opener {
    fn open(&self) -> huishen_core::Result<Session> {
        // The worker only reads (the figures): its session holds no key and cannot act.
        Session::observe(&self.path, &self.reviewer, Some(&self.form))
    }
}

/// The channels to the worker thread, which starts with the first slow effect and ends when
/// the screen does.
pub(super) struct Worker {
    opener: Opener,
    jobs: Option<Sender<Effect>>,
    answers: Option<Receiver<Msg>>,
}

impl Worker {
    /// A worker for `session`'s workspace, reviewer and form; no thread yet.
    pub fn new(session: &Session) -> Worker {
        Worker {
            opener: Opener {
                path: session.path().to_path_buf(),
                reviewer: session.reviewer.name.clone(),
                form: session.form.name.clone(),
            },
            jobs: None,
            answers: None,
        }
    }

    /// Hands `effect` to the thread, starting it if need be.
    pub fn submit(&mut self, effect: Effect) {
        let jobs = self.jobs.get_or_insert_with(|| {
            let (jobs, inbox) = mpsc::channel::<Effect>();
            let (outbox, answers) = mpsc::channel::<Msg>();
            let opener = self.opener.clone();
            std::thread::spawn(move || serve(&opener, &inbox, &outbox));
            self.answers = Some(answers);
            jobs
        });
        if let Err(mpsc::SendError(effect)) = jobs.send(effect) {
            // The thread is gone (it panicked): start another for the next effect.
            self.jobs = None;
            self.answers = None;
            self.submit(effect);
        }
    }

    /// The answers that have arrived, without waiting.
    pub fn answers(&self) -> Vec<Msg> {
        self.answers
            .as_ref()
            .map_or_else(Vec::new, |answers| answers.try_iter().collect())
    }
}

/// Runs effects until the screen hangs up, opening the session on the first.
fn serve(opener: &Opener, inbox: &Receiver<Effect>, outbox: &Sender<Msg>) {
    let mut session: Option<Session> = None;
    for effect in inbox {
        let answer = match &mut session {
            Some(session) => effects::run(session, effect),
            None => match opener.open() {
                Ok(opened) => effects::run(session.insert(opened), effect),
                Err(error) => effect.failed(error),
            },
        };
        if outbox.send(answer).is_err() {
            return;
        }
    }
}
