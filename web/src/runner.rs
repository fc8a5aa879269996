//! The workbench's runner, in plain Rust: a script's runnable lines, the
//! position of the next one, Run / Step / Step back / Reset, the console's
//! commands and the clock's moves against the same engine, the transcript
//! and the client lanes.
//!
//! Step back is exact: everything that changes the engine is an [`Action`]
//! in a journal (a script line, a console command, the clock moved to a
//! time), and the engine is deterministic (seeded rng, virtual clock), so
//! the state before any action is a snapshot plus the actions after it,
//! replayed. Snapshots ([`State`]: the engine, the lanes, the position)
//! are taken before every step at first, then more sparsely: once more
//! than [`MAX_SNAPSHOTS`] are kept, every other old one is dropped and the
//! stride doubles, and a big keyspace stretches it further (a clone costs
//! its size), so memory stays bounded and a step back replays at most a
//! stride of actions. Dropping an engine costs about as much as cloning
//! it, so thinned-out snapshots are retired and dropped one per action,
//! never all at once (a Run's slice would stall on two dozen drops).

use engine::event::SubKind;
use engine::script::{parse_line, Block, Runner, DEFAULT_CLIENT};
use engine::{ClientId, Engine, Event};

use crate::format::{is_error_block, key_label};

/// Snapshots kept at most (then thinned to half, doubling the stride).
pub const MAX_SNAPSHOTS: usize = 48;
/// What each lane remembers of its traffic.
pub const LANE_HISTORY: usize = 6;
/// Keys per snapshot of stride: with many keys a clone is dear, so the
/// stride is at least keys / this.
const KEYS_PER_STRIDE: usize = 32;
/// Keys from which a snapshot starts a slice of a Run of its own.
const DEAR_SNAPSHOT_KEYS: usize = 1_000;

/// One runnable line of the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptLine {
    /// 1-based line number in the text.
    pub number: usize,
    pub client: Option<String>,
    pub command: String,
}

impl ScriptLine {
    pub fn client_name(&self) -> &str {
        self.client.as_deref().unwrap_or(DEFAULT_CLIENT)
    }
}

/// The runnable lines of `text`.
pub fn script_lines(text: &str) -> Vec<ScriptLine> {
    index_lines(text).iter().map(|at| at.read(text)).collect()
}

/// Where a runnable line sits in the script's text: byte ranges, not
/// copies, so taking a 100,000-line script costs no allocation per line.
#[derive(Clone, Copy, Debug)]
struct LineAt {
    number: u32,
    /// Empty when the line names no client (a name is never empty).
    client: (u32, u32),
    command: (u32, u32),
}

impl LineAt {
    fn client<'t>(&self, text: &'t str) -> Option<&'t str> {
        (self.client.1 > self.client.0)
            .then(|| &text[self.client.0 as usize..self.client.1 as usize])
    }

    fn command<'t>(&self, text: &'t str) -> &'t str {
        &text[self.command.0 as usize..self.command.1 as usize]
    }

    fn read(&self, text: &str) -> ScriptLine {
        ScriptLine {
            number: self.number as usize,
            client: self.client(text).map(str::to_string),
            command: self.command(text).to_string(),
        }
    }
}

fn index_lines(text: &str) -> Vec<LineAt> {
    let base = text.as_ptr() as usize;
    // `parse_line` returns slices of the line, so of `text`.
    let range = |s: &str| {
        let from = s.as_ptr() as usize - base;
        (from as u32, (from + s.len()) as u32)
    };
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            parse_line(raw).map(|(client, command)| LineAt {
                number: i as u32 + 1,
                client: client.map_or((0, 0), range),
                command: range(command),
            })
        })
        .collect()
}

/// Everything that changes the engine, in the order it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The script's runnable line at `index`, as it read when it ran.
    Line { index: usize, line: ScriptLine },
    /// A command typed in the console, as `client`.
    Console { client: String, command: String },
    /// The clock moved to this virtual time (consecutive moves merge).
    AdvanceTo(u64),
}

/// Where a transcript entry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Script,
    Console,
    Clock,
}

/// One reply block as the transcript and lanes show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Who received it.
    pub client: String,
    /// redis-cli's text, without its last newline.
    pub text: String,
    pub error: bool,
}

/// What one action printed: the line (if a script line), who sent what,
/// and every reply block it caused, the sender's first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unique for the bench's life (a re-run line gets a new one).
    pub id: u64,
    /// Index of the action in the journal.
    pub action: usize,
    pub source: Source,
    /// 1-based script line number.
    pub line: Option<usize>,
    /// The sender (for the clock: none).
    pub client: Option<String>,
    pub command: Option<String>,
    /// Virtual time after the action.
    pub at: u64,
    pub replies: Vec<Reply>,
}

/// A client waiting in a blocking command.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Blocked {
    pub command: &'static str,
    pub keys: Vec<String>,
    pub since: u64,
    pub until: Option<u64>,
}

/// One item of a lane's recent traffic.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Traffic {
    Sent(String),
    /// `pushed`: it arrived unasked (a message, a wake-up, a timeout).
    Got {
        text: String,
        error: bool,
        pushed: bool,
    },
}

/// One client's lane.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lane {
    pub name: String,
    pub id: ClientId,
    /// The last few things sent and received, oldest first.
    pub traffic: Vec<Traffic>,
    pub blocked: Option<Blocked>,
    /// `channel news`, `pattern news.*`, `shard s1`, in subscription order.
    pub subscriptions: Vec<String>,
    /// Inside MULTI: the commands queued so far.
    pub queued: Option<Vec<String>>,
    pub watching: Vec<String>,
}

/// Something that travelled between lanes in the last action: drawn once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flight {
    /// A published message from `from` (None: a keyspace notification or
    /// an unnamed sender) on `channel` reached `to`, by `pattern` if any.
    Message {
        from: Option<String>,
        to: String,
        channel: String,
        pattern: Option<String>,
    },
    /// `by` (a command) on `key` woke the blocked client `to`.
    Wake {
        from: Option<String>,
        to: String,
        key: String,
    },
}

/// The part of the workbench a snapshot restores.
#[derive(Clone, Debug)]
pub struct State {
    pub runner: Runner,
    /// Index of the next runnable line.
    pub pos: usize,
    pub lanes: Vec<Lane>,
}

#[derive(Clone, Debug)]
struct Snapshot {
    /// Actions in the journal when it was taken.
    journal_len: usize,
    state: State,
}

/// What one action gave the page: its entry (none for a clock move that
/// caused nothing), the engine's events, the flights to draw.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub entry: Option<Entry>,
    pub events: Vec<Event>,
    pub flights: Vec<Flight>,
}

/// The workbench's engine side.
pub struct Bench {
    start: u64,
    state: State,
    journal: Vec<Action>,
    snapshots: Vec<Snapshot>,
    /// Thinned-out snapshots, dropped one per action (see the module doc).
    retired: Vec<Snapshot>,
    stride: usize,
    /// Actions since the last snapshot.
    since_snapshot: usize,
    text: String,
    lines: Vec<LineAt>,
    transcript: Vec<Entry>,
    /// The last action was a clock move that changed nothing.
    last_quiet: bool,
    /// [`first_edited`](Self::first_edited), kept up to date.
    edited: Option<usize>,
    next_entry_id: u64,
}

impl Bench {
    /// A fresh engine whose clock reads `start`, and the script `text`.
    pub fn new(start: u64, text: &str) -> Bench {
        let mut bench = Bench {
            start,
            state: fresh_state(start),
            journal: Vec::new(),
            snapshots: Vec::new(),
            retired: Vec::new(),
            stride: 1,
            since_snapshot: 0,
            text: String::new(),
            lines: Vec::new(),
            transcript: Vec::new(),
            last_quiet: false,
            edited: None,
            next_entry_id: 0,
        };
        bench.set_script(text);
        bench.snapshot();
        bench
    }

    pub fn engine(&self) -> &Engine {
        &self.state.runner.engine
    }

    pub fn start(&self) -> u64 {
        self.start
    }

    pub fn now(&self) -> u64 {
        self.engine().now()
    }

    /// How many runnable lines the script has.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The runnable line at `index`.
    pub fn line(&self, index: usize) -> Option<ScriptLine> {
        self.lines.get(index).map(|at| at.read(&self.text))
    }

    /// The 1-based text line of the runnable line at `index`.
    pub fn line_number(&self, index: usize) -> Option<usize> {
        self.lines.get(index).map(|at| at.number as usize)
    }

    /// Index of the next runnable line (`line_count()` at the end).
    pub fn pos(&self) -> usize {
        self.state.pos.min(self.lines.len())
    }

    /// The 1-based text line that runs next.
    pub fn current_line(&self) -> Option<usize> {
        self.line_number(self.state.pos)
    }

    pub fn at_end(&self) -> bool {
        self.state.pos >= self.lines.len()
    }

    pub fn lanes(&self) -> &[Lane] {
        &self.state.lanes
    }

    pub fn transcript(&self) -> &[Entry] {
        &self.transcript
    }

    pub fn journal_len(&self) -> usize {
        self.journal.len()
    }

    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// Whether any script line has run since the last reset.
    pub fn can_step_back(&self) -> bool {
        self.journal
            .iter()
            .any(|a| matches!(a, Action::Line { .. }))
    }

    /// Takes the script's text (after an edit). The position stays where
    /// it was, as an index into the runnable lines.
    pub fn set_script(&mut self, text: &str) {
        if text != self.text {
            self.text = text.to_string();
            self.lines = index_lines(text);
            self.find_edited();
        }
    }

    /// The first script line that ran as a different text than it reads
    /// now (an edit above the current line): its index into the runnable
    /// lines, for "re-run from here".
    pub fn first_edited(&self) -> Option<usize> {
        self.edited
    }

    /// Compares the lines that ran with the script as it reads now:
    /// O(journal), so only after an edit or a rewind.
    fn find_edited(&mut self) {
        self.edited = self
            .journal
            .iter()
            .filter_map(|a| match a {
                Action::Line { index, line } => Some((*index, line)),
                _ => None,
            })
            .find(|(index, ran)| {
                self.lines.get(*index).is_none_or(|now| {
                    now.client(&self.text) != ran.client.as_deref()
                        || now.command(&self.text) != ran.command
                })
            })
            .map(|(index, _)| index);
    }

    /// Back to a fresh engine at the start time, position 0.
    pub fn reset(&mut self) {
        self.state = fresh_state(self.start);
        self.journal.clear();
        self.snapshots.clear();
        self.retired.clear();
        self.transcript.clear();
        self.edited = None;
        self.stride = 1;
        self.since_snapshot = 0;
        self.last_quiet = false;
        self.snapshot();
    }

    /// Runs the next line; `None` at the end of the script.
    pub fn step(&mut self) -> Option<Outcome> {
        let index = self.state.pos;
        let line = self.line(index)?;
        Some(self.act(Action::Line { index, line }))
    }

    /// Runs up to `max` lines (fewer at the end).
    pub fn run_some(&mut self, max: usize) -> Vec<Outcome> {
        (0..max).map_while(|_| self.step()).collect()
    }

    /// Runs up to `max` lines while `more()` says so (asked before each
    /// line but the first, so a slice always moves); for sliced runs,
    /// with a clock in `more`. A line that takes a dear snapshot (a clone
    /// of a big engine costs as much as thousands of lines) only ever
    /// starts a slice, so a slice is at most one snapshot and its budget.
    pub fn run_while(&mut self, max: usize, mut more: impl FnMut() -> bool) -> Vec<Outcome> {
        let mut out = Vec::new();
        while out.len() < max {
            if !out.is_empty() && (self.snapshot_dear() || !more()) {
                break;
            }
            match self.step() {
                Some(o) => out.push(o),
                None => break,
            }
        }
        out
    }

    /// Thinned-out snapshots not dropped yet.
    pub fn retired_count(&self) -> usize {
        self.retired.len()
    }

    /// Runs a console command as `client` against the current state.
    pub fn console(&mut self, client: &str, command: &str) -> Outcome {
        self.act(Action::Console {
            client: client.to_string(),
            command: command.to_string(),
        })
    }

    /// Moves the clock to `at` (never back); what the clock caused
    /// (timeouts, expiry notifications) reaches the lanes.
    pub fn advance_to(&mut self, at: u64) -> Outcome {
        if at <= self.now() {
            return Outcome::default();
        }
        // A move that changes nothing (no volatile key, nobody blocked)
        // merges with a quiet move just before: playing the clock would
        // otherwise fill the journal with ticks. Replaying the merged move
        // is as quiet, so step back stays exact.
        let quiet =
            self.engine().next_expiry().is_none() && self.engine().blocking().blocked_count() == 0;
        if quiet && self.last_quiet {
            if let Some(Action::AdvanceTo(last)) = self.journal.last_mut() {
                *last = at;
                let number = self.journal.len() - 1;
                let outcome = apply(&mut self.state, &Action::AdvanceTo(at), number);
                debug_assert!(outcome.entry.is_none());
                return outcome;
            }
        }
        let outcome = self.act(Action::AdvanceTo(at));
        self.last_quiet = quiet && outcome.entry.is_none() && outcome.events.is_empty();
        outcome
    }

    /// Restores the exact state before the last script line ran (console
    /// commands and clock moves after it are undone too). Returns the
    /// 1-based line number it stepped back to.
    pub fn step_back(&mut self) -> Option<usize> {
        let at = self
            .journal
            .iter()
            .rposition(|a| matches!(a, Action::Line { .. }))?;
        self.rewind(at);
        self.current_line()
    }

    /// Rewinds to just before the script line at `index` ran and runs
    /// from there up to where the script was (for an edit above the
    /// current position). Returns the outcomes of the re-run lines.
    pub fn rerun_from(&mut self, index: usize) -> Vec<Outcome> {
        let target = self.state.pos;
        let Some(at) = self
            .journal
            .iter()
            .position(|a| matches!(a, Action::Line { index: i, .. } if *i >= index))
        else {
            return Vec::new();
        };
        self.rewind(at);
        let n = target.saturating_sub(self.state.pos);
        self.run_some(n)
    }

    /// Back to the state after the first `len` actions.
    fn rewind(&mut self, len: usize) {
        let keep = self.snapshots.partition_point(|s| s.journal_len <= len);
        self.snapshots.truncate(keep.max(1));
        let snap = self.snapshots.last().expect("the initial snapshot");
        let mut state = snap.state.clone();
        for (i, action) in self.journal[snap.journal_len..len].iter().enumerate() {
            apply(&mut state, action, snap.journal_len + i);
        }
        self.since_snapshot = len - snap.journal_len;
        self.state = state;
        self.journal.truncate(len);
        self.last_quiet = false;
        self.find_edited();
        let keep = self.transcript.partition_point(|e| e.action < len);
        self.transcript.truncate(keep);
    }

    fn act(&mut self, action: Action) -> Outcome {
        if self.snapshot_due() {
            self.snapshot();
        }
        drop(self.retired.pop());
        let mut outcome = apply(&mut self.state, &action, self.journal.len());
        self.journal.push(action);
        self.since_snapshot += 1;
        if let Some(entry) = &mut outcome.entry {
            self.next_entry_id += 1;
            entry.id = self.next_entry_id;
            self.transcript.push(entry.clone());
        }
        self.last_quiet = false;
        outcome
    }

    /// Whether the next action takes a snapshot first.
    pub fn snapshot_due(&self) -> bool {
        self.since_snapshot >= self.stride_now()
    }

    /// Whether the next action takes a snapshot of a big keyspace.
    pub fn snapshot_dear(&self) -> bool {
        self.snapshot_due() && self.key_count() >= DEAR_SNAPSHOT_KEYS
    }

    fn key_count(&self) -> usize {
        (0..engine::engine::DATABASES)
            .map(|db| self.engine().db_len(db))
            .sum()
    }

    fn stride_now(&self) -> usize {
        self.stride.max(self.key_count() / KEYS_PER_STRIDE)
    }

    fn snapshot(&mut self) {
        self.snapshots.push(Snapshot {
            journal_len: self.journal.len(),
            state: self.state.clone(),
        });
        self.since_snapshot = 0;
        if self.snapshots.len() > MAX_SNAPSHOTS {
            // Keep the first (the fresh engine) and every other one after;
            // the others are retired, to be dropped an action at a time.
            let all = std::mem::take(&mut self.snapshots);
            for (i, snap) in all.into_iter().enumerate() {
                match i % 2 == 0 {
                    true => self.snapshots.push(snap),
                    false => self.retired.push(snap),
                }
            }
            self.stride *= 2;
        }
    }
}

fn fresh_state(start: u64) -> State {
    State {
        runner: Runner::new(Engine::new(start)),
        pos: 0,
        lanes: Vec::new(),
    }
}

/// Runs one action on `state`: the engine, the lanes and the position.
/// Deterministic, so replaying a journal gives the same state.
fn apply(state: &mut State, action: &Action, number: usize) -> Outcome {
    let (source, line, client, command) = match action {
        Action::Line { index, line } => {
            state.pos = index + 1;
            (
                Source::Script,
                Some(line.number),
                line.client_name().to_string(),
                line.command.clone(),
            )
        }
        Action::Console { client, command } => {
            (Source::Console, None, client.clone(), command.clone())
        }
        Action::AdvanceTo(at) => {
            state.runner.engine.advance_to(*at);
            let pushed = state.runner.engine.take_pushed();
            let replies: Vec<Reply> = pushed
                .into_iter()
                .map(|(to, reply)| {
                    let text = reply.to_cli();
                    Reply {
                        client: lane_name(&state.lanes, to),
                        error: is_error_block(&text),
                        text: trim_newline(text),
                    }
                })
                .collect();
            let events = state.runner.engine.take_events();
            let flights = update_lanes(state, None, &events, &replies);
            let entry = (!replies.is_empty()).then(|| Entry {
                id: 0,
                action: number,
                source: Source::Clock,
                line: None,
                client: None,
                command: None,
                at: state.runner.engine.now(),
                replies,
            });
            return Outcome {
                entry,
                events,
                flights,
            };
        }
    };
    let id = state.runner.client(&client);
    lane_for(&mut state.lanes, &client, id);
    let blocks: Vec<Block> = state.runner.run(&client, &command);
    let replies: Vec<Reply> = blocks
        .into_iter()
        .map(|b| Reply {
            error: is_error_block(&b.text),
            text: trim_newline(b.text),
            client: b.client,
        })
        .collect();
    if let Some(lane) = state.lanes.iter_mut().find(|l| l.name == client) {
        push_traffic(lane, Traffic::Sent(command.clone()));
    }
    let events = state.runner.engine.take_events();
    let flights = update_lanes(state, Some(&client), &events, &replies);
    Outcome {
        entry: Some(Entry {
            id: 0,
            action: number,
            source,
            line,
            client: Some(client),
            command: Some(command),
            at: state.runner.engine.now(),
            replies,
        }),
        events,
        flights,
    }
}

fn trim_newline(mut text: String) -> String {
    if text.ends_with('\n') {
        text.pop();
    }
    text
}

fn lane_name(lanes: &[Lane], id: ClientId) -> String {
    lanes
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.clone())
        .unwrap_or_else(|| format!("id {}", id.0))
}

fn lane_for(lanes: &mut Vec<Lane>, name: &str, id: ClientId) {
    match lanes.iter_mut().find(|l| l.name == name) {
        // Reconnected after QUIT or CLIENT KILL: a new connection.
        Some(lane) if lane.id != id => {
            lane.id = id;
            lane.blocked = None;
            lane.subscriptions.clear();
        }
        Some(_) => {}
        None => lanes.push(Lane {
            name: name.to_string(),
            id,
            traffic: Vec::new(),
            blocked: None,
            subscriptions: Vec::new(),
            queued: None,
            watching: Vec::new(),
        }),
    }
}

fn push_traffic(lane: &mut Lane, item: Traffic) {
    lane.traffic.push(item);
    if lane.traffic.len() > LANE_HISTORY {
        let extra = lane.traffic.len() - LANE_HISTORY;
        lane.traffic.drain(..extra);
    }
}

fn sub_label(kind: SubKind, name: &[u8]) -> String {
    let kind = match kind {
        SubKind::Channel => "channel",
        SubKind::Pattern => "pattern",
        SubKind::Shard => "shard",
    };
    format!("{kind} {}", key_label(name))
}

/// Brings the lanes up to date with an action's replies and events, and
/// says what travelled between them.
fn update_lanes(
    state: &mut State,
    sender: Option<&str>,
    events: &[Event],
    replies: &[Reply],
) -> Vec<Flight> {
    for reply in replies {
        if let Some(lane) = state.lanes.iter_mut().find(|l| l.name == reply.client) {
            let pushed = sender != Some(reply.client.as_str());
            push_traffic(
                lane,
                Traffic::Got {
                    text: reply.text.clone(),
                    error: reply.error,
                    pushed,
                },
            );
        }
    }
    let mut flights = Vec::new();
    for event in events {
        match event {
            Event::ClientBlocked {
                id,
                keys,
                command,
                since,
                until,
                ..
            } => {
                if let Some(lane) = state.lanes.iter_mut().find(|l| l.id == *id) {
                    lane.blocked = Some(Blocked {
                        command,
                        keys: keys.iter().map(|k| key_label(k)).collect(),
                        since: *since,
                        until: *until,
                    });
                }
            }
            Event::ClientWoken { id, key, .. } => {
                let to = lane_name(&state.lanes, *id);
                if let Some(lane) = state.lanes.iter_mut().find(|l| l.id == *id) {
                    lane.blocked = None;
                }
                flights.push(Flight::Wake {
                    from: sender.map(str::to_string),
                    to,
                    key: key_label(key),
                });
            }
            Event::ClientTimedOut { id } => {
                if let Some(lane) = state.lanes.iter_mut().find(|l| l.id == *id) {
                    lane.blocked = None;
                }
            }
            Event::ClientDisconnected { id } => {
                if let Some(lane) = state.lanes.iter_mut().find(|l| l.id == *id) {
                    lane.blocked = None;
                    lane.subscriptions.clear();
                }
            }
            Event::Subscribed { client, kind, name } => {
                if let Some(lane) = state.lanes.iter_mut().find(|l| l.id == *client) {
                    lane.subscriptions.push(sub_label(*kind, name));
                }
            }
            Event::Unsubscribed { client, kind, name } => {
                if let Some(lane) = state.lanes.iter_mut().find(|l| l.id == *client) {
                    let label = sub_label(*kind, name);
                    lane.subscriptions.retain(|s| *s != label);
                }
            }
            Event::Published {
                channel,
                direct,
                by_pattern,
                ..
            } => {
                let channel = key_label(channel);
                for id in direct {
                    flights.push(Flight::Message {
                        from: sender.map(str::to_string),
                        to: lane_name(&state.lanes, *id),
                        channel: channel.clone(),
                        pattern: None,
                    });
                }
                for (pattern, id) in by_pattern {
                    flights.push(Flight::Message {
                        from: sender.map(str::to_string),
                        to: lane_name(&state.lanes, *id),
                        channel: channel.clone(),
                        pattern: Some(key_label(pattern)),
                    });
                }
            }
            _ => {}
        }
    }
    // MULTI and WATCH: read from the connection itself.
    for lane in &mut state.lanes {
        let session = state.runner.engine.client(lane.id).map(|c| &c.session);
        lane.queued = session.and_then(|s| {
            s.multi.as_ref().map(|q| {
                q.iter()
                    .map(|argv| {
                        argv.iter()
                            .map(|a| key_label(a))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect()
            })
        });
        lane.watching = session
            .map(|s| s.watched.iter().map(|w| key_label(&w.key)).collect())
            .unwrap_or_default();
    }
    flights
}

#[cfg(test)]
#[path = "runner_tests.rs"]
mod tests;
