//! What the console's log holds: the commands typed, the replies exactly
//! as redis-cli prints them, and notices about keys the clock took.

/// One line (or block) of the log; `persist` saves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A command as typed, with its `name> ` prefix split off.
    Command {
        client: Option<String>,
        text: String,
    },
    /// One reply block, ending in a newline. `client` names the receiver
    /// when it is not the client that sent the command (pub/sub, wake-ups).
    Reply {
        client: Option<String>,
        text: String,
        error: bool,
    },
    /// What the engine did on its own, e.g. `greeting expired (active)`.
    Notice { text: String },
    /// A `#` line typed into the console: kept, not run.
    Comment { text: String },
}

/// A log line as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Stable identity for keyed rendering.
    pub id: u64,
    /// From an earlier visit: shown dimmed, under a divider.
    pub restored: bool,
    pub line: Line,
}
