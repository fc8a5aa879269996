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
use crate::runner::{Entry as TranscriptEntry, Flight, Lane};
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
/// Transcript entries the page draws (the newest).
pub const TRANSCRIPT_LIMIT: usize = 200;
/// Transcript entries drawn while a Run goes on.
const RUN_TRANSCRIPT_LIMIT: usize = 12;
/// While a Run goes on, the page is redrawn at most this often (ms); the
/// slices in between only move the progress bar.
const RUN_REDRAW_MS: f64 = 250.0;
/// Work per slice of a Run, in ms of main-thread time.
const SLICE_MS: f64 = 8.0;
/// How long a DEBUG SLEEP's time takes to run by on the clock.
const SLEEP_ANIMATION_MS: f64 = 600.0;

/// A short-lived notice under the key list.
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub id: u64,
    pub text: String,
    until: f64,
}

/// A script replaced wholesale (an import, the original restored, a
/// generated one): what it was, what replaced it, and what to say; offered
/// as Undo until the script is edited or another scenario opens.
#[derive(Clone, Debug, PartialEq)]
pub struct Replaced {
    pub previous: String,
    pub current: String,
    pub note: String,
}

/// Puts `text` in the script area, keeping what was there for Undo.
pub fn replace_script(
    script: RwSignal<String>,
    replaced: RwSignal<Option<Replaced>>,
    text: String,
    note: &str,
) {
    let previous = script.get_untracked();
    script.set(text.clone());
    replaced.set(Some(Replaced {
        previous,
        current: text,
        note: note.to_string(),
    }));
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
    /// The virtual time the scenario's engine started at.
    pub start: RwSignal<u64>,
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
    /// Virtual time as the clock shows it: `now`, except while a DEBUG
    /// SLEEP's time runs by.
    pub shown_now: RwSignal<u64>,
    /// Play speed: 1, 10 or 100 virtual ms per real ms.
    pub speed: RwSignal<u32>,
    /// The selected scenario's slug.
    pub slug: RwSignal<String>,
    /// The script as edited (the Editor writes every edit here).
    pub script: RwSignal<String>,
    /// The last wholesale replacement of the script, while it can be undone.
    pub replaced: RwSignal<Option<Replaced>>,
    /// Why the script could not be saved, if it could not.
    pub script_problem: RwSignal<Option<String>>,
    /// An edit of the script not saved yet (saving waits for a pause in
    /// typing; leaving the scenario or the page saves at once).
    unsaved: StoredValue<bool>,
    /// The 1-based text line that runs next (`None`: at the end).
    pub current_line: RwSignal<Option<usize>>,
    pub can_step_back: RwSignal<bool>,
    /// The newest transcript entries, and how many there are in all.
    pub transcript: RwSignal<(Vec<TranscriptEntry>, usize)>,
    pub lanes: RwSignal<Vec<Lane>>,
    /// What travelled between lanes in the last action, with an id so a
    /// repeat animates again.
    pub flights: RwSignal<(u64, Vec<Flight>)>,
    /// A sliced Run in progress: (lines done, lines to do).
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// An edit above the position: (runnable index, 1-based line).
    pub edited: RwSignal<Option<(usize, usize)>>,
    /// The client the console's commands run as.
    pub console_client: RwSignal<String>,
    /// The longest slice of the last Run, ms (a budget figure).
    pub longest_slice: RwSignal<f64>,
    /// Bumped to stop a Run: a Run's loop goes on while it holds the
    /// number it started with.
    run_gen: StoredValue<u64>,
    /// A DEBUG SLEEP being animated: (real start, from, to).
    tween: StoredValue<Option<(f64, u64, u64)>>,
}

impl Playground {
    /// A fresh engine, and the console saved under `storage_key` (if any).
    /// Must run inside a reactive owner (a component or `mount_to`).
    pub fn new(storage_key: &str) -> Playground {
        Playground::with_script(storage_key, "")
    }

    /// As [`new`](Self::new), with `script` in the script area.
    pub fn with_script(storage_key: &str, script: &str) -> Playground {
        let start = js_sys::Date::now().max(0.0) as u64;
        let session = Session::with_script(start, script);
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
            start: RwSignal::new(start),
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
            shown_now: RwSignal::new(start),
            speed: RwSignal::new(1),
            slug: RwSignal::new(String::new()),
            script: RwSignal::new(script.to_string()),
            replaced: RwSignal::new(None),
            script_problem: RwSignal::new(None),
            unsaved: StoredValue::new(false),
            current_line: RwSignal::new(None),
            can_step_back: RwSignal::new(false),
            transcript: RwSignal::new((Vec::new(), 0)),
            lanes: RwSignal::new(Vec::new()),
            flights: RwSignal::new((0, Vec::new())),
            progress: RwSignal::new(None),
            edited: RwSignal::new(None),
            console_client: RwSignal::new(engine::script::DEFAULT_CLIENT.to_string()),
            longest_slice: RwSignal::new(0.0),
            run_gen: StoredValue::new(0),
            tween: StoredValue::new(None),
        };
        pg.publish();
        pg
    }

    /// Runs one console line and records it in the history and the log.
    pub fn submit(&self, raw: &str) {
        self.history.update_value(|h| h.push(raw));
        self.catch_up();
        let as_client = self.console_client.get_untracked();
        let before = self.session.with_value(Session::now);
        let lines = self
            .session
            .try_update_value(|s| match engine::script::parse_line(raw) {
                Some((None, command)) => s.run_as(&as_client, false, command),
                _ => s.run(raw),
            })
            .unwrap_or_default();
        self.after_command(before);
        self.append(lines);
        self.publish();
        self.draft.set(String::new());
        self.save_console();
        self.save_draft();
    }

    /// Opens a scenario: a fresh engine at its first line, `script` in
    /// the script area (not run). A use case opens with the clock paused:
    /// its time moves only by `DEBUG SLEEP` (as in the differential test),
    /// so stepping slowly through it gives the same transcript; the
    /// sandbox's clock follows real time.
    pub fn open(&self, slug: &str, script: &str) {
        // The last keystrokes in the scenario being left are kept.
        self.save_script();
        self.run_gen.update_value(|g| *g += 1);
        // The log speaks of the scenario that was open: moving to another
        // one starts it empty (the history stays for Up/Down). The first
        // open after a reload keeps what was restored.
        let before = self.slug.get_untracked();
        if !before.is_empty() && before != slug {
            self.clear_log();
            self.flashes.set(Vec::new());
        }
        let start = js_sys::Date::now().max(0.0) as u64;
        self.session.set_value(Session::with_script(start, script));
        self.start.set(start);
        self.slug.set(slug.to_string());
        self.replaced.set(None);
        self.script.set(script.to_string());
        self.console_client
            .set(engine::script::DEFAULT_CLIENT.to_string());
        self.progress.set(None);
        self.tween.set_value(None);
        self.reanchor();
        self.paused.set(slug != crate::routes::DEFAULT_SLUG);
        self.publish();
    }

    /// Notes an edit of the script, to be saved by [`save_script`](Self::save_script).
    pub fn mark_unsaved(&self) {
        self.unsaved.set_value(true);
    }

    /// Saves the script under the open scenario, if an edit is not saved
    /// yet; a script equal to the scenario's own clears its slot. A failure
    /// (no storage, a full quota) is kept in `script_problem` to be shown.
    pub fn save_script(&self) {
        if self.unsaved.try_get_value() != Some(true) {
            return;
        }
        self.unsaved.set_value(false);
        let slug = self.slug.get_untracked();
        let Some(scenario) = crate::scenarios::find(&slug) else {
            return;
        };
        let result = self.script.with_untracked(|t| {
            if *t == scenario.script {
                crate::saved::clear(&slug);
                Ok(())
            } else {
                crate::saved::save(&slug, t)
            }
        });
        self.script_problem.set(result.err());
    }

    /// Hands the edited script to the runner; notes an edit above the
    /// position (offered as "re-run from here").
    pub fn sync_script(&self) {
        let text = self.script.get_untracked();
        self.session.update_value(|s| s.set_script(&text));
        self.publish();
    }

    /// Runs the next line of the script.
    pub fn step(&self) {
        if self.progress.get_untracked().is_some() {
            return;
        }
        self.sync_script();
        self.catch_up();
        let before = self.session.with_value(Session::now);
        let lines = self
            .session
            .try_update_value(Session::step)
            .unwrap_or_default();
        self.after_command(before);
        self.append(lines);
        self.publish();
    }

    /// Restores the state before the last line ran.
    pub fn step_back(&self) {
        if self.progress.get_untracked().is_some() {
            return;
        }
        self.sync_script();
        self.session.update_value(|s| {
            s.step_back();
        });
        self.tween.set_value(None);
        self.reanchor();
        self.publish();
    }

    /// A fresh engine at the script's first line.
    pub fn reset(&self) {
        self.run_gen.update_value(|g| *g += 1);
        self.session.update_value(Session::reset);
        self.progress.set(None);
        self.tween.set_value(None);
        self.reanchor();
        self.publish();
    }

    /// Re-runs from an edited line up to where the script was.
    pub fn rerun_edited(&self) {
        self.sync_script();
        if let Some((index, _)) = self.edited.get_untracked() {
            let lines = self
                .session
                .try_update_value(|s| s.rerun_from(index))
                .unwrap_or_default();
            self.reanchor();
            self.append(lines);
            self.publish();
        }
    }

    /// Runs everything from the current line, in slices of at most
    /// [`SLICE_MS`] of work, yielding to the browser between them, until
    /// the end or Stop.
    pub fn run_all(&self) {
        if self.progress.get_untracked().is_some() {
            return;
        }
        self.sync_script();
        self.catch_up();
        let (pos, total) = self
            .session
            .with_value(|s| (s.bench().pos(), s.bench().line_count()));
        if pos >= total {
            return;
        }
        let first = pos;
        let gen = self.run_gen.get_value();
        self.progress.set(Some((0, total - pos)));
        self.longest_slice.set(0.0);
        let pg = *self;
        leptos::task::spawn_local(async move {
            let mut longest: f64 = 0.0;
            let mut drawn = storage::real_ms();
            let mut lines = Vec::new();
            let mut slices = 0;
            loop {
                if pg.run_gen.try_get_value() != Some(gen) {
                    break;
                }
                slices += 1;
                let t0 = storage::real_ms();
                let Some(before) = pg.session.try_with_value(Session::now) else {
                    break;
                };
                // Lines until the budget is spent, the clock read before
                // each: a line is microseconds, a snapshot a few ms.
                let Some((more, pos, done)) = pg.session.try_update_value(|s| {
                    let l = s.run_while(usize::MAX, || storage::real_ms() - t0 < SLICE_MS);
                    (l, s.bench().pos(), s.bench().at_end())
                }) else {
                    break;
                };
                lines.extend(more);
                // The log keeps its last lines only: drop the rest now.
                let keep = lines.len().saturating_sub(MAX_LOG_LINES);
                lines.drain(..keep);
                pg.after_command(before);
                if pg.run_gen.try_get_value() == Some(gen) {
                    pg.progress
                        .set(Some((pos.saturating_sub(first), total - first)));
                }
                longest = longest.max(storage::real_ms() - t0);
                pg.longest_slice.set(longest);
                if done {
                    break;
                }
                gloo_timers::future::TimeoutFuture::new(0).await;
                if storage::real_ms() - drawn > RUN_REDRAW_MS {
                    // A redraw is frames of its own, apart from the lines:
                    // the log, stage and transcript's tail, then the key
                    // list. The editor stays at the line the Run started
                    // from (the progress bar moves): following the Run
                    // would load and lay out a new stretch of a long
                    // script at every redraw.
                    pg.append(std::mem::take(&mut lines));
                    pg.publish_parts(Parts::REST);
                    next_frame().await;
                    pg.publish_transcript(RUN_TRANSCRIPT_LIMIT);
                    next_frame().await;
                    pg.publish_keys();
                    drawn = storage::real_ms();
                    next_frame().await;
                }
            }
            next_frame().await;
            // Draw what ran (unless the page went). A short Run (one
            // slice) at once; a long one a frame per part: the log and
            // stage, the transcript's full tail, the key list, and last
            // the editor's line ("At the end of the script") with the
            // progress bar gone, so that what says the Run is over comes
            // when all of it is drawn.
            if pg.session.try_update_value(Session::redraw).is_some() {
                pg.append(lines);
                if slices == 1 {
                    pg.publish();
                } else {
                    pg.publish_parts(Parts::REST);
                    next_frame().await;
                    // The list keeps the entries it has: a frame per step.
                    for limit in [TRANSCRIPT_LIMIT / 4, TRANSCRIPT_LIMIT / 2, TRANSCRIPT_LIMIT] {
                        pg.publish_transcript(limit);
                        next_frame().await;
                    }
                    pg.publish_keys();
                    next_frame().await;
                    pg.publish_parts(Parts::LINE);
                }
            }
            if pg.run_gen.try_get_value() == Some(gen) {
                pg.progress.set(None);
                pg.reanchor();
            }
        });
    }

    /// Stops a Run after its current slice.
    pub fn stop(&self) {
        self.run_gen.update_value(|g| *g += 1);
        self.progress.set(None);
    }

    /// After a command: a DEBUG SLEEP moved the clock, so let the clock
    /// run by to the new time (or jump, under reduced motion).
    fn after_command(&self, before: u64) {
        let now = self.session.with_value(Session::now);
        if now > before && !reduced_motion() {
            self.tween
                .set_value(Some((storage::real_ms(), before, now)));
            self.animate_clock();
        }
        self.reanchor();
    }

    fn animate_clock(&self) {
        let pg = *self;
        request_animation_frame(move || {
            let Some(Some((t0, from, to))) = pg.tween.try_get_value() else {
                return;
            };
            let f = ((storage::real_ms() - t0) / SLEEP_ANIMATION_MS).clamp(0.0, 1.0);
            // ease-out
            let f = 1.0 - (1.0 - f) * (1.0 - f);
            let shown = from + ((to - from) as f64 * f) as u64;
            pg.shown_now.set(shown.min(to));
            if f < 1.0 {
                pg.animate_clock();
            } else {
                pg.tween.set_value(None);
                if let Some(now) = pg.now.try_get_untracked() {
                    pg.shown_now.set(now);
                }
            }
        });
    }

    /// Plays the clock at `speed` virtual ms per real ms.
    pub fn set_speed(&self, speed: u32) {
        self.catch_up();
        self.publish();
        self.speed.set(speed);
        self.reanchor();
    }

    /// The interval's work: bring the engine to the present.
    pub fn tick(&self) {
        if !self.paused.get_untracked() && self.progress.get_untracked().is_none() {
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
        let speed = self.speed.get_untracked().max(1) as f64;
        let elapsed = ((storage::real_ms() - real) * speed).max(0.0) as u64;
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
        self.publish_parts(Parts::ALL);
    }

    /// The key list alone, if the keyspace changed (a Run draws it in a
    /// task of its own: 10,000 rows are dear).
    fn publish_keys(&self) {
        let keys = self
            .session
            .try_update_value(|s| s.take_keys_dirty().then(|| s.keys(KEY_LIST_LIMIT)))
            .flatten();
        if let Some(keys) = keys {
            self.keys.set(keys);
        }
    }

    /// The transcript's newest `limit` entries.
    fn publish_transcript(&self, limit: usize) {
        if let Some(transcript) = self.session.try_with_value(|s| {
            let t = s.bench().transcript();
            (t[t.len().saturating_sub(limit)..].to_vec(), t.len())
        }) {
            self.transcript.set(transcript);
        }
    }

    /// Republishes what changed, of the `parts` asked for (the editor's
    /// line whether or not it changed).
    fn publish_parts(&self, parts: Parts) {
        if parts.line {
            if let Some(line) = self.session.try_with_value(|s| s.bench().current_line()) {
                self.current_line.set(line);
            }
        }
        if !parts.rest {
            return;
        }
        let (now, next, keys, stage) = self
            .session
            .try_update_value(|s| {
                let keys = (parts.keys && s.take_keys_dirty()).then(|| s.keys(KEY_LIST_LIMIT));
                (s.now(), s.next_expiry(), keys, s.take_stage())
            })
            .unwrap_or_default();
        if let Some(stage) = stage {
            self.stage.set(stage);
        }
        self.now.set(now);
        if self.tween.get_value().is_none() {
            self.shown_now.set(now);
        }
        if self.next_expiry.get_untracked() != next {
            self.next_expiry.set(next);
        }
        if let Some(keys) = keys {
            self.keys.set(keys);
        }
        // While a Run goes on, a short tail: nobody reads 200 entries
        // flying by, and drawing them would hold up the page.
        let limit = match self.progress.get_untracked() {
            Some(_) => RUN_TRANSCRIPT_LIMIT,
            None => TRANSCRIPT_LIMIT,
        };
        let bench = self.session.try_update_value(|s| {
            let flights = s.take_flights();
            s.take_bench_dirty().then(|| {
                let b = s.bench();
                let t = b.transcript();
                let tail = t[t.len().saturating_sub(limit)..].to_vec();
                let edited = b.first_edited().map(|i| (i, b.line_number(i).unwrap_or(0)));
                (
                    b.current_line(),
                    b.can_step_back(),
                    (tail, t.len()),
                    b.lanes().to_vec(),
                    edited,
                    flights,
                )
            })
        });
        if let Some(Some((current, back, transcript, lanes, edited, flights))) = bench {
            if parts.line {
                self.current_line.set(current);
            }
            self.can_step_back.set(back);
            if parts.transcript {
                self.transcript.set(transcript);
            }
            if self.lanes.with_untracked(|l| *l != lanes) {
                self.lanes.set(lanes);
            }
            if self.edited.get_untracked() != edited {
                self.edited.set(edited);
            }
            if !flights.is_empty() {
                self.flights.update(|(id, f)| {
                    *id += 1;
                    *f = flights;
                });
            }
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

/// What a publish draws: a Run's end draws its parts a frame apart.
#[derive(Clone, Copy)]
struct Parts {
    keys: bool,
    line: bool,
    transcript: bool,
    /// The clock, stage, lanes and the rest.
    rest: bool,
}

impl Parts {
    const ALL: Parts = Parts {
        keys: true,
        line: true,
        transcript: true,
        rest: true,
    };
    /// A Run's redraw: the rest first, the transcript, the key list and
    /// the editor's line each a frame later.
    const REST: Parts = Parts {
        keys: false,
        line: false,
        transcript: false,
        rest: true,
    };
    const LINE: Parts = Parts {
        keys: false,
        line: true,
        transcript: false,
        rest: false,
    };
}

/// Resolves after the next frame was drawn: what changes after it is
/// laid out and painted in a frame of its own. A hidden page draws no
/// frames, so 100 ms do too.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let w = window();
        let _ = w.request_animation_frame(&resolve);
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Whether the user asked for less motion.
pub fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

fn console_key(prefix: &str) -> String {
    format!("{prefix}.console")
}

fn draft_key(prefix: &str) -> String {
    format!("{prefix}.draft")
}
