//! The corpus: every `tests/corpus/*.redis` script and every scenario the
//! playground ships (`scenarios/*.redis`), run on one
//! redis-server and compared with the engine, then (scripts without client
//! prefixes) rendered by the real redis-cli too.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::cross_check;
use crate::differ::Differ;
use crate::server::RedisServer;

/// The corpus folder of this crate.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The playground's scenarios (`scenarios/` at the workspace root): their
/// transcripts must be redis-server's too.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

/// Every folder the differential test runs.
pub fn dirs() -> Vec<PathBuf> {
    vec![dir(), scenarios_dir()]
}

/// The `*.redis` files of `dir`, sorted by name; with `CORPUS=text` in the
/// environment, only those whose name contains `text` (while working on
/// one family: `CORPUS=hash- cargo test -p tests --test differential`).
pub fn scripts(dir: &Path) -> Vec<PathBuf> {
    let only = std::env::var("CORPUS").unwrap_or_default();
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "redis"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(&only))
        })
        .collect();
    found.sort();
    found
}

#[derive(Debug, Default)]
pub struct Report {
    pub scripts: usize,
    pub commands: usize,
    pub mismatches: usize,
    /// Scripts whose transcripts went through redis-cli as well.
    pub cli_checked: usize,
    /// One readable text per failing script.
    pub failures: Vec<String>,
    /// The names of the failing scripts, each once.
    pub failing: Vec<String>,
}

impl Report {
    /// The closing figures line.
    pub fn figures(&self) -> String {
        format!(
            "differential: {} scripts, {} commands compared, {} mismatches",
            self.scripts, self.commands, self.mismatches
        )
    }

    fn fail(&mut self, script: &str, text: String) {
        if !self.failing.iter().any(|s| s == script) {
            self.failing.push(script.to_string());
        }
        self.failures.push(text);
    }
}

/// Runs every script in `dirs` on one fresh redis-server.
pub fn run(dirs: &[PathBuf]) -> Report {
    let server = RedisServer::start();
    let mut differ =
        Differ::new(server.port).unwrap_or_else(|e| panic!("cannot connect to redis-server: {e}"));
    let mut report = Report::default();
    for path in dirs.iter().flat_map(|dir| scripts(dir)) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        report.scripts += 1;
        let run = match differ.run(&name, &text) {
            Ok(run) => run,
            Err(e) => {
                report.fail(&name, format!("{name}: the run failed: {e}\n"));
                // The control connection may be out of step: start afresh.
                differ = Differ::new(server.port)
                    .unwrap_or_else(|e| panic!("cannot reconnect to redis-server: {e}"));
                continue;
            }
        };
        report.commands += run.steps.len();
        let mismatches = run.mismatches().count();
        if mismatches > 0 {
            report.mismatches += mismatches;
            report.fail(&name, run.describe_mismatches());
        }
        if !run.named {
            report.cli_checked += 1;
            if let Err(why) = cross_check(server.port, &run) {
                report.fail(&name, why);
            }
        }
    }
    report
}
