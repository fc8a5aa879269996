//! The page's state: the [`Session`] and the history held once outside the
//! reactive graph, and the small signals the components draw from. Every
//! change goes through a method here, which then republishes the signals.
//!
//! Time: the virtual clock follows real time (`performance.now()`) from an
//! anchor, re-set whenever the clock is paused, jumped or a command moves
//! it (DEBUG SLEEP). A 100 ms interval brings the engine up to date, which
//! also runs its active expiry cycle.
//!
//! Reload: the history, the log and the draft come back from storage, but
//! the keyspace does not. Replaying the old commands would not give the
//! old results: they ran at other times (TTLs, EXPIREAT, TIME, INCR on
//! keys that since expired), so the page says what it restored and that
//! the keyspace starts empty instead of pretending.

use leptos::prelude::*;

use crate::history::History;
use crate::log::{Entry, Line};
use crate::persist::{self, Console};
use crate::session::{KeyView, Session};
use crate::storage;
use crate::viz::StageModel;

/// Log lines kept on the page (the oldest go first).
const MAX_LOG_LINES: usize = 1_000;
/// Keys the list holds at most (it draws only the visible rows); the rest
/// are counted.
pub const KEY_LIST_LIMIT: usize = 10_000;
/// How long an expiry notice stays in the key list.
const FLASH_MS: f64 = 6_000.0;
/// The clock's step.
const TICK_MS: u64 = 100;

/// A short-lived notice under the key list.
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub id: u64,
    pub text: String,
    until: f64,
}

/// Handles to the page's state; `Copy`, so every closure can hold one.
#[derive(Clone, Copy)]
pub struct Playground {
    session: StoredValue<Session, LocalStorage>,
    history: StoredValue<History>,
    /// (real ms, virtual ms) at the last re-anchoring.
    anchor: StoredValue<(f64, u64)>,
    next_id: StoredValue<u64>,
    storage_key: StoredValue<String>,
    pub start: u64,
    pub log: RwSignal<Vec<Entry>>,
    /// The id of the last entry from an earlier visit, and what to say
    /// about it; drawn as a divider after that entry.
    pub restore_note: RwSignal<Option<(Option<u64>, String)>>,
    pub keys: RwSignal<KeyView>,
    /// What the stage draws (rebuilt by the session after each step).
    pub stage: RwSignal<StageModel>,
    /// Virtual time, absolute ms.
    pub now: RwSignal<u64>,
    pub next_expiry: RwSignal<Option<u64>>,
    pub paused: RwSignal<bool>,
    pub flashes: RwSignal<Vec<Flash>>,
    pub draft: RwSignal<String>,
    /// Why the console could not be saved, if it could not.
    pub storage_problem: RwSignal<Option<String>>,
}

impl Playground {
    /// A fresh engine, and the console saved under `storage_key` (if any).
    /// Must run inside a reactive owner (a component or `mount_to`).
    pub fn new(storage_key: &str) -> Playground {
        let start = js_sys::Date::now().max(0.0) as u64;
        let session = Session::new(start);
        let saved: Console = storage::read(&console_key(storage_key))
            .map(|doc| persist::decode_console(&doc))
            .unwrap_or_default();
        let draft = storage::read(&draft_key(storage_key))
            .map(|doc| persist::decode_draft(&doc))
            .unwrap_or_default();
        let entries: Vec<Entry> = saved
            .log
            .into_iter()
            .zip(0..)
            .map(|(line, id)| Entry {
                id,
                restored: true,
                line,
            })
            .collect();
        let restore_note = (!saved.history.is_empty()).then(|| {
            let n = saved.history.len();
            let s = if n == 1 { "" } else { "s" };
            (
                entries.last().map(|e| e.id),
                format!(
                    "Restored {n} command{s} from your last visit (↑ recalls them). \
                     Keys and the clock start fresh."
                ),
            )
        });
        let pg = Playground {
            next_id: StoredValue::new(entries.len() as u64),
            session: StoredValue::new_local(session),
            history: StoredValue::new(History::from_entries(saved.history)),
            anchor: StoredValue::new((storage::real_ms(), start)),
            storage_key: StoredValue::new(storage_key.to_string()),
            start,
            log: RwSignal::new(entries),
            restore_note: RwSignal::new(restore_note),
            keys: RwSignal::new(KeyView::default()),
            stage: RwSignal::new(StageModel::default()),
            now: RwSignal::new(start),
            next_expiry: RwSignal::new(None),
            paused: RwSignal::new(false),
            flashes: RwSignal::new(Vec::new()),
            draft: RwSignal::new(draft),
            storage_problem: RwSignal::new(storage::problem()),
        };
        pg.publish();
        pg
    }

    /// Runs one console line and records it in the history and the log.
    pub fn submit(&self, raw: &str) {
        self.history.update_value(|h| h.push(raw));
        self.catch_up();
        let lines = self
            .session
            .try_update_value(|s| s.run(raw))
            .unwrap_or_default();
        self.reanchor();
        self.append(lines);
        self.publish();
        self.draft.set(String::new());
        self.save_console();
        self.save_draft();
    }

    /// The interval's work: bring the engine to the present.
    pub fn tick(&self) {
        if !self.paused.get_untracked() {
            self.catch_up();
            self.publish();
        }
        let now = storage::real_ms();
        if self
            .flashes
            .with_untracked(|f| f.iter().any(|f| f.until <= now))
        {
            self.flashes.update(|f| f.retain(|f| f.until > now));
        }
    }

    /// Jumps the clock ahead by `ms` (paused or not).
    pub fn jump(&self, ms: u64) {
        self.catch_up();
        let lines = self
            .session
            .try_update_value(|s| s.advance(ms))
            .unwrap_or_default();
        self.reanchor();
        self.append(lines);
        self.publish();
    }

    /// Jumps to the moment the next key expires, if one will.
    pub fn jump_to_next_expiry(&self) {
        self.catch_up();
        let now = self.session.with_value(Session::now);
        if let Some(at) = self.session.with_value(Session::next_expiry) {
            self.jump(at.saturating_sub(now));
        }
    }

    pub fn set_paused(&self, paused: bool) {
        if paused {
            self.catch_up();
            self.publish();
        }
        self.reanchor();
        self.paused.set(paused);
    }

    pub fn history_up(&self, current: &str) -> Option<String> {
        self.history.try_update_value(|h| h.up(current)).flatten()
    }

    pub fn history_down(&self) -> Option<String> {
        self.history.try_update_value(|h| h.down()).flatten()
    }

    pub fn set_draft(&self, text: String) {
        self.draft.set(text);
        self.save_draft();
    }

    /// Empties the log (the history stays, for Up/Down).
    pub fn clear_log(&self) {
        self.log.set(Vec::new());
        self.restore_note.set(None);
        self.save_console();
    }

    /// Starts following real time; the interval stops with the owner.
    pub fn start_clock(&self) {
        let pg = *self;
        match set_interval_with_handle(move || pg.tick(), std::time::Duration::from_millis(TICK_MS))
        {
            Ok(handle) => on_cleanup(move || handle.clear()),
            Err(_) => self.paused.set(true),
        }
    }

    /// Advances the engine to where real time says it is, unless paused.
    fn catch_up(&self) {
        if self.paused.get_untracked() {
            return;
        }
        let (real, virt) = self.anchor.get_value();
        let elapsed = (storage::real_ms() - real).max(0.0) as u64;
        let lines = self
            .session
            .try_update_value(|s| s.advance_to(virt.saturating_add(elapsed)))
            .unwrap_or_default();
        self.append(lines);
    }

    fn reanchor(&self) {
        let virt = self.session.with_value(Session::now);
        self.anchor.set_value((storage::real_ms(), virt));
    }

    fn append(&self, lines: Vec<Line>) {
        if lines.is_empty() {
            return;
        }
        let real = storage::real_ms();
        let mut flashes = Vec::new();
        let entries: Vec<Entry> = lines
            .into_iter()
            .map(|line| {
                let id = self.next_id.get_value();
                self.next_id.set_value(id + 1);
                if let Line::Notice { text } = &line {
                    flashes.push(Flash {
                        id,
                        text: text.clone(),
                        until: real + FLASH_MS,
                    });
                }
                Entry {
                    id,
                    restored: false,
                    line,
                }
            })
            .collect();
        self.log.update(|log| {
            log.extend(entries);
            if log.len() > MAX_LOG_LINES {
                log.drain(..log.len() - MAX_LOG_LINES);
            }
        });
        if !flashes.is_empty() {
            self.flashes.update(|f| f.extend(flashes));
        }
    }

    /// Republishes what changed in the engine.
    fn publish(&self) {
        let (now, next, keys, stage) = self
            .session
            .try_update_value(|s| {
                let keys = s.take_keys_dirty().then(|| s.keys(KEY_LIST_LIMIT));
                (s.now(), s.next_expiry(), keys, s.take_stage())
            })
            .unwrap_or_default();
        if let Some(stage) = stage {
            self.stage.set(stage);
        }
        self.now.set(now);
        if self.next_expiry.get_untracked() != next {
            self.next_expiry.set(next);
        }
        if let Some(keys) = keys {
            self.keys.set(keys);
        }
    }

    fn save_console(&self) {
        let doc = self.log.with_untracked(|log| {
            self.history
                .with_value(|h| persist::encode_console(h.entries(), log.iter().map(|e| &e.line)))
        });
        let key = console_key(&self.storage_key.get_value());
        let problem = match storage::write(&key, &doc) {
            Ok(()) => None,
            // Out of room: keep at least what was typed.
            Err(problem) => {
                let history = self.history.with_value(|h| h.entries().to_vec());
                let doc = persist::encode_console(&history, std::iter::empty());
                Some(match storage::write(&key, &doc) {
                    Ok(()) => {
                        format!("{problem} Your commands were saved, their replies were not.")
                    }
                    Err(_) => format!("{problem} Your commands will not survive a reload."),
                })
            }
        };
        self.storage_problem.set(problem);
    }

    fn save_draft(&self) {
        let doc = persist::encode_draft(&self.draft.get_untracked());
        let key = draft_key(&self.storage_key.get_value());
        if let Err(problem) = storage::write(&key, &doc) {
            self.storage_problem.set(Some(problem));
        }
    }
}

fn console_key(prefix: &str) -> String {
    format!("{prefix}.console")
}

fn draft_key(prefix: &str) -> String {
    format!("{prefix}.draft")
}
