//! The engine side of the page, outside the reactive graph: one
//! [`Runner`] (so `name> ` prefixes get their own connections), the
//! translation of its replies and change events into log lines, and the
//! key list's view model. Pure Rust: the host passes time in.

use std::collections::HashMap;

use engine::script::{parse_line, Runner, DEFAULT_CLIENT};
use engine::{Engine, Event, Removal};

use crate::format::{is_error_block, key_label};
use crate::log::Line;
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
    runner: Runner,
    start: u64,
    /// The database of the client that ran the last command (SELECT moves it).
    shown_db: usize,
    /// key -> (expiry, time to live when first seen with that expiry).
    ttl_totals: HashMap<Vec<u8>, (u64, u64)>,
    /// Set when the keyspace changed since the key list was last built.
    keys_dirty: bool,
    /// What the stage draws, rebuilt after each step that changed something.
    stage: StageModel,
    /// The commands run since the stage was last rebuilt (client, argv).
    step_commands: Vec<(engine::ClientId, Vec<Vec<u8>>)>,
    stage_dirty: bool,
}

impl Session {
    /// A fresh engine whose virtual clock starts at `start_ms` (wall-clock
    /// ms, so EXPIREAT and TIME read like a real server's).
    pub fn new(start_ms: u64) -> Session {
        Session {
            runner: Runner::new(Engine::new(start_ms)),
            start: start_ms,
            shown_db: 0,
            ttl_totals: HashMap::new(),
            keys_dirty: true,
            stage: StageModel::default(),
            step_commands: Vec::new(),
            stage_dirty: true,
        }
    }

    pub fn start(&self) -> u64 {
        self.start
    }

    pub fn now(&self) -> u64 {
        self.runner.engine.now()
    }

    pub fn next_expiry(&self) -> Option<u64> {
        self.runner.engine.next_expiry()
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
        let mut lines = vec![Line::Command {
            client: client.map(str::to_string),
            text: command.to_string(),
        }];
        let id = self.runner.client(sender);
        if let Ok(argv) = engine::split_args(command) {
            self.step_commands.push((id, argv));
        }
        for block in self.runner.run(sender, command) {
            lines.push(Line::Reply {
                error: is_error_block(&block.text),
                client: (block.client != sender).then_some(block.client),
                text: block.text,
            });
        }
        let id = self.runner.client(sender);
        if let Some(c) = self.runner.engine.client(id) {
            if c.db != self.shown_db {
                self.shown_db = c.db;
                self.keys_dirty = true;
            }
        }
        lines.extend(self.drain_events());
        lines
    }

    /// Moves the clock to `at` (never back) and reports the expiries.
    pub fn advance_to(&mut self, at: u64) -> Vec<Line> {
        self.runner.engine.advance_to(at);
        self.drain_events()
    }

    /// Moves the clock ahead by `ms` and reports the expiries. The key list
    /// is rebuilt even when nothing was reclaimed: keys past their time
    /// leave it at once.
    pub fn advance(&mut self, ms: u64) -> Vec<Line> {
        self.runner.engine.advance(ms);
        self.keys_dirty = true;
        self.drain_events()
    }

    fn drain_events(&mut self) -> Vec<Line> {
        let mut expired: [Vec<String>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let events = self.runner.engine.take_events();
        self.rebuild_stage(&events);
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
                    let mut label = key_label(&key);
                    if db != self.shown_db {
                        label.push_str(&format!(" (db {db})"));
                    }
                    expired[slot].push(label);
                }
                Event::ClientConnected { .. }
                | Event::ClientDisconnected { .. }
                | Event::EvictionPool { .. } => {}
                // Pub/sub lanes are not drawn yet; messages reach the
                // console through the runner's blocks.
                Event::Subscribed { .. } | Event::Unsubscribed { .. } | Event::Published { .. } => {
                }
                // Blocked clients, clients and transactions are not drawn yet.
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

    /// Rebuilds the stage from a step's events (and the commands run),
    /// unless nothing happened.
    fn rebuild_stage(&mut self, events: &[Event]) {
        if events.is_empty() && self.step_commands.is_empty() && self.stage.version > 0 {
            return;
        }
        let names: Vec<String> = self.runner.client_names().map(str::to_string).collect();
        let names = names
            .into_iter()
            .map(|n| (self.runner.client(&n), n))
            .collect();
        let step = StepInfo {
            commands: std::mem::take(&mut self.step_commands),
            names,
        };
        self.stage = StageModel::build_with(
            &self.runner.engine,
            self.shown_db,
            events,
            &step,
            &self.stage,
        );
        self.stage_dirty = true;
    }

    /// The stage's model, once after each change (`None` when unchanged).
    pub fn take_stage(&mut self) -> Option<StageModel> {
        std::mem::take(&mut self.stage_dirty).then(|| self.stage.clone())
    }

    /// True once after the keyspace (or the database shown) changed.
    pub fn take_keys_dirty(&mut self) -> bool {
        std::mem::take(&mut self.keys_dirty)
    }

    /// The key list: at most `limit` rows of the shown database, by name.
    pub fn keys(&mut self, limit: usize) -> KeyView {
        let now = self.now();
        let all = self.runner.engine.keys(self.shown_db);
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
