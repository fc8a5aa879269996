//! The engine side of the page, outside the reactive graph: the
//! workbench's [`Bench`] (the script, its runner, snapshots, lanes, the
//! transcript; `name> ` prefixes get their own connections), the
//! translation of console replies and change events into log lines, and
//! the key list's view model. Pure Rust: the host passes time in.

use std::collections::HashMap;

use engine::script::{parse_line, DEFAULT_CLIENT};
use engine::{Event, Removal};

use crate::format::key_label;
use crate::log::Line;
use crate::runner::{Bench, Flight, Outcome};
use crate::viz::{StageModel, StepInfo};

/// Removals of one cause in one step beyond this many are summed up in a
/// single notice, so a mass expiry does not flood the log.
const NOTICES_PER_CAUSE: usize = 3;

/// One row of the key list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyRow {
    pub label: String,
    pub type_name: &'static str,
    /// Absolute expiry in virtual ms.
    pub expire_at: Option<u64>,
    /// The time to live the key had when the list first saw this expiry:
    /// the full length of its countdown bar.
    pub ttl_total: Option<u64>,
}

/// The key list: the first rows of one database, and how many keys it
/// holds in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyView {
    pub db: usize,
    pub rows: Vec<KeyRow>,
    pub total: usize,
}

pub struct Session {
    bench: Bench,
    /// The database of the client that ran the last command (SELECT moves it).
    shown_db: usize,
    /// key -> (expiry, time to live when first seen with that expiry).
    ttl_totals: HashMap<Vec<u8>, (u64, u64)>,
    /// Set when the keyspace changed since the key list was last built.
    keys_dirty: bool,
    /// Set when the script position, lanes or transcript changed.
    bench_dirty: bool,
    /// What travelled between lanes since the page last drew it.
    flights: Vec<Flight>,
    /// What the stage draws, rebuilt after each step that changed something.
    stage: StageModel,
    stage_dirty: bool,
    /// A Run's events and commands not on the stage yet: the stage is
    /// rebuilt when it is asked for or once [`STAGE_BATCH`] events wait,
    /// not per slice (a rebuild costs as much as hundreds of lines).
    pending: Vec<Event>,
    pending_step: StepInfo,
}

/// Events (or commands) a Run gathers at most before the stage is
/// rebuilt from them.
const STAGE_BATCH: usize = 512;

impl Session {
    /// A fresh engine whose virtual clock starts at `start_ms` (wall-clock
    /// ms, so EXPIREAT and TIME read like a real server's).
    pub fn new(start_ms: u64) -> Session {
        Session::with_script(start_ms, "")
    }

    /// A fresh engine and the script `text`, at its first line.
    pub fn with_script(start_ms: u64, text: &str) -> Session {
        Session {
            bench: Bench::new(start_ms, text),
            shown_db: 0,
            ttl_totals: HashMap::new(),
            keys_dirty: true,
            bench_dirty: true,
            flights: Vec::new(),
            stage: StageModel::default(),
            stage_dirty: true,
            pending: Vec::new(),
            pending_step: StepInfo::default(),
        }
    }

    pub fn start(&self) -> u64 {
        self.bench.start()
    }

    pub fn now(&self) -> u64 {
        self.bench.now()
    }

    pub fn next_expiry(&self) -> Option<u64> {
        self.bench.engine().next_expiry()
    }

    pub fn bench(&self) -> &Bench {
        &self.bench
    }

    /// Takes an edited script (the position stays).
    pub fn set_script(&mut self, text: &str) {
        self.bench.set_script(text);
        self.bench_dirty = true;
    }

    /// Runs the script's next line; the notices it caused (expiries).
    pub fn step(&mut self) -> Vec<Line> {
        match self.bench.step() {
            Some(outcome) => self.took(outcome),
            None => Vec::new(),
        }
    }

    /// Runs up to `max` lines of the script (a slice of a Run).
    pub fn run_some(&mut self, max: usize) -> Vec<Line> {
        let outcomes = self.bench.run_some(max);
        self.took_run(outcomes)
    }

    /// Runs up to `max` lines while `more()` says so (asked before each
    /// line but the first): a slice of a Run, with a clock in `more`.
    /// The stage is rebuilt from the gathered events when it is next
    /// asked for ([`take_stage`](Self::take_stage)) or once
    /// [`STAGE_BATCH`] events wait: a rebuild per line or per slice
    /// would cost more than the lines themselves.
    pub fn run_while(&mut self, max: usize, more: impl FnMut() -> bool) -> Vec<Line> {
        let outcomes = self.bench.run_while(max, more);
        self.took_run(outcomes)
    }

    /// A Run's outcomes: the stage's events are gathered.
    fn took_run(&mut self, outcomes: Vec<Outcome>) -> Vec<Line> {
        let mut lines = Vec::new();
        for mut outcome in outcomes {
            let command = self.command_of(&outcome);
            self.pending_step.commands.extend(command);
            lines.extend(self.took_quietly(&mut outcome));
            self.pending.append(&mut outcome.events);
            if self.pending.len() >= STAGE_BATCH || self.pending_step.commands.len() >= STAGE_BATCH
            {
                self.flush_stage();
            }
        }
        self.stage_dirty |= !self.pending.is_empty() || !self.pending_step.commands.is_empty();
        lines
    }

    /// Rebuilds the stage from what a Run gathered, if anything.
    fn flush_stage(&mut self) {
        if self.pending.is_empty() && self.pending_step.commands.is_empty() {
            return;
        }
        let events = std::mem::take(&mut self.pending);
        let mut step = std::mem::take(&mut self.pending_step);
        step.names = self.client_names();
        self.rebuild_stage_now(&events, step);
    }

    /// Restores the state before the last script line ran.
    pub fn step_back(&mut self) -> Option<usize> {
        let line = self.bench.step_back();
        self.rewound();
        line
    }

    /// Fresh engine, first line.
    pub fn reset(&mut self) {
        self.bench.reset();
        self.rewound();
    }

    /// Re-runs from the runnable line `index` (after an edit above the
    /// position) up to where the script was.
    pub fn rerun_from(&mut self, index: usize) -> Vec<Line> {
        let outcomes = self.bench.rerun_from(index);
        self.rewound();
        outcomes.into_iter().flat_map(|o| self.took(o)).collect()
    }

    fn rewound(&mut self) {
        // A restored engine's events were drained when they happened.
        self.keys_dirty = true;
        self.bench_dirty = true;
        self.flights.clear();
        self.ttl_totals.clear();
        // Rebuilt from the restored engine, with nothing to animate.
        self.pending.clear();
        self.pending_step = StepInfo::default();
        self.stage = StageModel::default();
        self.rebuild_stage(&[], StepInfo::default());
        let db = self
            .bench
            .lanes()
            .last()
            .and_then(|l| self.bench.engine().client(l.id))
            .map_or(0, |c| c.db);
        self.shown_db = db;
    }

    /// Asks for the transcript and lanes to be drawn again (after a Run,
    /// which draws a short tail).
    pub fn redraw(&mut self) {
        self.bench_dirty = true;
    }

    /// True once after the script position, lanes or transcript changed.
    pub fn take_bench_dirty(&mut self) -> bool {
        std::mem::take(&mut self.bench_dirty)
    }

    /// What travelled between lanes since the last call.
    pub fn take_flights(&mut self) -> Vec<Flight> {
        std::mem::take(&mut self.flights)
    }

    /// An action's events: key list, notices, flights, the shown db.
    fn took(&mut self, mut outcome: Outcome) -> Vec<Line> {
        let step = self.step_info(&outcome);
        let lines = self.took_quietly(&mut outcome);
        self.rebuild_stage(&outcome.events, step);
        lines
    }

    /// [`took`](Self::took) without the stage.
    fn took_quietly(&mut self, outcome: &mut Outcome) -> Vec<Line> {
        // A clock move that caused nothing leaves the transcript alone.
        if outcome.entry.is_some() || !outcome.flights.is_empty() {
            self.bench_dirty = true;
        }
        self.flights.append(&mut outcome.flights);
        if let Some(client) = outcome.entry.as_ref().and_then(|e| e.client.as_deref()) {
            if let Some(lane) = self.bench.lanes().iter().find(|l| l.name == client) {
                if let Some(c) = self.bench.engine().client(lane.id) {
                    if c.db != self.shown_db {
                        self.shown_db = c.db;
                        self.keys_dirty = true;
                    }
                }
            }
        }
        self.notices(&outcome.events)
    }

    /// The step's command (sender and argv) and every client's name, for
    /// the stage (SINTER highlights, GEOSEARCH areas, publishers).
    fn step_info(&self, outcome: &Outcome) -> StepInfo {
        StepInfo {
            commands: self.command_of(outcome).into_iter().collect(),
            names: self.client_names(),
        }
    }

    /// Who sent an action's command, and its arguments; none for a
    /// command Redis refused (a GEOSEARCH with a bad radius draws no area,
    /// a failed SINTER highlights nothing).
    fn command_of(&self, outcome: &Outcome) -> Option<(engine::ClientId, Vec<Vec<u8>>)> {
        let e = outcome.entry.as_ref()?;
        if e.replies.first().is_some_and(|r| r.error) {
            return None;
        }
        let client = e.client.as_deref()?;
        let id = self.bench.lanes().iter().find(|l| l.name == client)?.id;
        let argv = engine::split_args(e.command.as_deref()?).ok()?;
        Some((id, argv))
    }

    fn client_names(&self) -> Vec<(engine::ClientId, String)> {
        self.bench
            .lanes()
            .iter()
            .map(|l| (l.id, l.name.clone()))
            .collect()
    }

    /// Rebuilds the stage from a step's events (and its command), unless
    /// nothing happened; what a Run gathered goes first.
    fn rebuild_stage(&mut self, events: &[Event], step: StepInfo) {
        self.flush_stage();
        self.rebuild_stage_now(events, step);
    }

    fn rebuild_stage_now(&mut self, events: &[Event], step: StepInfo) {
        if events.is_empty() && step.commands.is_empty() && self.stage.version > 0 {
            return;
        }
        self.stage = StageModel::build_with(
            self.bench.engine(),
            self.shown_db,
            events,
            &step,
            &self.stage,
        );
        self.stage_dirty = true;
    }

    /// The stage's model, once after each change (`None` when unchanged).
    pub fn take_stage(&mut self) -> Option<StageModel> {
        self.flush_stage();
        std::mem::take(&mut self.stage_dirty).then(|| self.stage.clone())
    }

    /// Runs one console line (`name> ` prefix allowed) and returns what the
    /// log shows for it: the command, its reply blocks, and the expiries it
    /// caused. A blank line gives nothing; a `#` line is kept as a comment.
    pub fn run(&mut self, raw: &str) -> Vec<Line> {
        let Some((client, command)) = parse_line(raw) else {
            let text = raw.trim();
            return match text.starts_with('#') {
                true => vec![Line::Comment { text: text.into() }],
                false => Vec::new(),
            };
        };
        let sender = client.unwrap_or(DEFAULT_CLIENT);
        self.run_as(sender, client.is_some(), command)
    }

    /// Runs a console command as `sender` (`prefixed`: the line named it).
    pub fn run_as(&mut self, sender: &str, prefixed: bool, command: &str) -> Vec<Line> {
        let shown = (prefixed || sender != DEFAULT_CLIENT).then(|| sender.to_string());
        let mut lines = vec![Line::Command {
            client: shown,
            text: command.to_string(),
        }];
        let outcome = self.bench.console(sender, command);
        if let Some(entry) = &outcome.entry {
            for reply in &entry.replies {
                lines.push(Line::Reply {
                    error: reply.error,
                    client: (reply.client != sender).then(|| reply.client.clone()),
                    text: format!("{}\n", reply.text),
                });
            }
        }
        lines.extend(self.took(outcome));
        lines
    }

    /// Moves the clock to `at` (never back) and reports what it caused:
    /// expiries, and replies pushed to clients (a blocked client's
    /// timeout).
    pub fn advance_to(&mut self, at: u64) -> Vec<Line> {
        let outcome = self.bench.advance_to(at);
        let mut lines = Vec::new();
        if let Some(entry) = &outcome.entry {
            for reply in &entry.replies {
                lines.push(Line::Reply {
                    error: reply.error,
                    client: Some(reply.client.clone()),
                    text: format!("{}\n", reply.text),
                });
            }
        }
        lines.extend(self.took(outcome));
        lines
    }

    /// Moves the clock ahead by `ms`, as [`advance_to`](Self::advance_to).
    /// The key list is rebuilt even when nothing was reclaimed: keys past
    /// their time leave it at once.
    pub fn advance(&mut self, ms: u64) -> Vec<Line> {
        let at = self.now().saturating_add(ms);
        self.keys_dirty = true;
        self.advance_to(at)
    }

    fn notices(&mut self, events: &[Event]) -> Vec<Line> {
        let mut expired: [Vec<String>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for event in events {
            match event {
                Event::Written { .. } | Event::Flushed { .. } => self.keys_dirty = true,
                Event::Removed { db, key, cause } => {
                    self.keys_dirty = true;
                    let slot = match cause {
                        Removal::ExpiredLazy => 0,
                        Removal::ExpiredActive => 1,
                        Removal::Evicted { .. } => 2,
                        Removal::Deleted => continue,
                    };
                    let mut label = key_label(key);
                    if *db != self.shown_db {
                        label.push_str(&format!(" (db {db})"));
                    }
                    expired[slot].push(label);
                }
                // Clients, pub/sub, blocking and transactions are the
                // lanes' (runner.rs).
                _ => {}
            }
        }
        let mut notices = Vec::new();
        for (keys, cause) in expired.into_iter().zip([
            Removal::ExpiredLazy,
            Removal::ExpiredActive,
            Removal::Evicted { policy: "" },
        ]) {
            if keys.len() > NOTICES_PER_CAUSE {
                let shown = keys[..NOTICES_PER_CAUSE].join(", ");
                notices.push(Line::Notice {
                    text: format!("{} keys {}: {shown}, …", keys.len(), cause.label()),
                });
            } else {
                notices.extend(keys.into_iter().map(|k| Line::Notice {
                    text: format!("{k} {}", cause.label()),
                }));
            }
        }
        notices
    }

    /// True once after the keyspace (or the database shown) changed.
    pub fn take_keys_dirty(&mut self) -> bool {
        std::mem::take(&mut self.keys_dirty)
    }

    /// The key list: at most `limit` rows of the shown database, by name.
    pub fn keys(&mut self, limit: usize) -> KeyView {
        let now = self.now();
        let all = self.bench.engine().keys(self.shown_db);
        let total = all.len();
        let mut totals = HashMap::new();
        let rows = all
            .into_iter()
            .take(limit)
            .map(|info| {
                let ttl_total = info.expire_at.map(|at| {
                    let total = match self.ttl_totals.get(&info.key) {
                        Some(&(seen_at, total)) if seen_at == at => total,
                        _ => at.saturating_sub(now),
                    };
                    totals.insert(info.key.clone(), (at, total));
                    total
                });
                KeyRow {
                    label: key_label(&info.key),
                    type_name: info.type_name,
                    expire_at: info.expire_at,
                    ttl_total,
                }
            })
            .collect();
        // Only keys still listed keep their countdown length.
        self.ttl_totals = totals;
        KeyView {
            db: self.shown_db,
            rows,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| match l {
                Line::Command { client, text } => match client {
                    Some(c) => format!("{c}> {text}"),
                    None => format!("> {text}"),
                },
                Line::Reply {
                    client,
                    text,
                    error,
                } => format!(
                    "{}{}{}",
                    client
                        .as_ref()
                        .map(|c| format!("[{c}] "))
                        .unwrap_or_default(),
                    if *error { "!" } else { "" },
                    text
                ),
                Line::Notice { text } => format!("* {text}"),
                Line::Comment { text } => text.clone(),
            })
            .collect()
    }

    #[test]
    fn commands_reply_in_cli_form() {
        let mut s = Session::new(1_000);
        assert_eq!(
            texts(&s.run("SET greeting hello")),
            ["> SET greeting hello", "OK\n"]
        );
        assert_eq!(
            texts(&s.run("alice> GET greeting")),
            ["alice> GET greeting", "\"hello\"\n"]
        );
        assert_eq!(
            texts(&s.run("SET \"a")),
            ["> SET \"a", "!Invalid argument(s)\n"]
        );
        assert_eq!(texts(&s.run("NOPE")).len(), 2);
        assert!(matches!(s.run("NOPE")[1], Line::Reply { error: true, .. }));
        assert!(s.run("   ").is_empty());
        assert_eq!(texts(&s.run("# why")), ["# why"]);
    }

    #[test]
    fn the_key_list_follows_the_keyspace() {
        let mut s = Session::new(0);
        assert!(s.take_keys_dirty());
        s.run("SET b 1");
        s.run("SET a 2");
        assert!(s.take_keys_dirty());
        assert!(!s.take_keys_dirty());
        let view = s.keys(1);
        assert_eq!(view.total, 2);
        assert_eq!(view.rows.len(), 1);
        assert_eq!(view.rows[0].label, "a");
        assert_eq!(view.rows[0].type_name, "string");
        assert_eq!(view.rows[0].expire_at, None);
    }

    #[test]
    fn a_refused_geosearch_draws_no_area() {
        use crate::viz::model::View;
        let search = |s: &Session| {
            s.stage.cards.iter().find_map(|c| match &c.view {
                View::Geo { search, .. } => Some(search.as_ref().map(|g| g.label.clone())),
                _ => None,
            })
        };
        let mut s = Session::new(0);
        s.run("GEOADD drivers 13.36 38.11 a 13.37 38.12 b");
        s.run("GEOSEARCH drivers FROMLONLAT 13.36 38.11 BYRADIUS -5 km");
        assert_eq!(
            search(&s),
            Some(None),
            "ERR radius cannot be negative: nothing drawn"
        );
        s.run("GEOSEARCH drivers FROMLONLAT 13.36 38.11 BYRADIUS 5 km");
        let drawn = search(&s)
            .flatten()
            .expect("the area of the search that ran");
        s.run("GEOSEARCH drivers FROMLONLAT 13.36 38.11 BYBOX 1 km");
        assert_eq!(
            search(&s).flatten(),
            Some(drawn),
            "a syntax error keeps the last area"
        );
    }

    #[test]
    fn deletions_are_not_notices() {
        let mut s = Session::new(0);
        s.run("SET a 1");
        assert_eq!(texts(&s.run("DEL a")), ["> DEL a", "(integer) 1\n"]);
    }

    // Expiry itself is the engine's (engine/src/engine.rs tests); these
    // check the wording the page shows.
    #[test]
    fn expiries_are_reported_with_their_cause() {
        let mut s = Session::new(0);
        assert_eq!(
            texts(&s.run("SET k v PX 250")),
            ["> SET k v PX 250", "OK\n"]
        );
        let total = s.keys(10).rows[0].ttl_total;
        assert_eq!(total, Some(250));
        let lines = s.advance(1_000);
        assert_eq!(texts(&lines), ["* k expired (active)"]);
        assert_eq!(s.now(), 1_000);
        assert!(s.keys(10).rows.is_empty());
    }

    #[test]
    fn many_expiries_make_one_notice() {
        let mut s = Session::new(0);
        for i in 0..5 {
            s.run(&format!("SET k{i} v PX 100"));
        }
        assert_eq!(s.keys(10).total, 5);
        let lines = texts(&s.advance(1_000));
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("* 5 keys expired (active): "),
            "{lines:?}"
        );
    }

    #[test]
    fn a_lookup_at_the_expiry_reports_lazy_expiry() {
        let mut s = Session::new(0);
        s.run("SET k v PX 150");
        // 150 ms lies between two 100 ms cron ticks: only the GET can see it.
        s.advance_to(150);
        assert_eq!(
            texts(&s.run("GET k")),
            ["> GET k", "(nil)\n", "* k expired (lazy)"]
        );
    }

    #[test]
    fn select_moves_the_key_list_and_other_dbs_are_named() {
        let mut s = Session::new(0);
        s.run("SET a 1");
        s.run("SELECT 1");
        s.run("SET b 1 PX 100");
        let view = s.keys(10);
        assert_eq!((view.db, view.total), (1, 1));
        s.run("SELECT 0");
        assert_eq!(texts(&s.advance(1_000)), ["* b (db 1) expired (active)"]);
    }
}
