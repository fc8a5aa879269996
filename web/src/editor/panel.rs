//! The editor wired to a scenario until the workbench takes over: the
//! script loaded from its saved slot (else the scenario's own), saved
//! after every edit (once typing pauses), with the toolbar. Ctrl+Enter sends every runnable line to
//! the console (as if typed there), Shift+Enter the caret's line.

use engine::script::parse_line;
use leptos::prelude::*;

use super::{Editor, LineMark, ScriptToolbar};
use crate::state::Playground;
use crate::{saved, scenarios};

/// The runnable lines of `script` (all, or only 1-based line `only`), as
/// the console takes them.
pub fn runnable(script: &str, only: Option<usize>) -> Vec<&str> {
    script
        .lines()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|l| l == i + 1))
        .filter(|(_, raw)| parse_line(raw).is_some())
        .map(|(_, raw)| raw.trim())
        .collect()
}

#[component]
pub fn ScriptPanel(pg: Playground, #[prop(into)] slug: Signal<String>) -> impl IntoView {
    let original = Signal::derive(move || {
        scenarios::find(&slug.get())
            .map(|s| s.script)
            .unwrap_or_default()
    });
    let problem = RwSignal::new(None::<String>);
    let initial = match saved::load(&slug.get_untracked()) {
        Ok(Some(script)) => script,
        Ok(None) => original.get_untracked(),
        Err(e) => {
            problem.set(Some(e));
            original.get_untracked()
        }
    };
    let text = RwSignal::new(initial);
    // Saved a quarter second after the last keystroke (a long script is
    // megabytes: not on every key).
    let edits = StoredValue::new(0u64);
    Effect::new(move |first: Option<()>| {
        text.track();
        if first.is_some() {
            let mine = edits.get_value() + 1;
            edits.set_value(mine);
            gloo_timers::callback::Timeout::new(250, move || {
                // Only the last edit's timer saves.
                if edits.try_get_value() == Some(mine) {
                    let result = text.with_untracked(|t| saved::save(&slug.get_untracked(), t));
                    problem.set(result.err());
                }
            })
            .forget();
        }
    });
    let run = move |only: Option<usize>| {
        text.with_untracked(|t| runnable(t, only).into_iter().for_each(|l| pg.submit(l)))
    };
    view! {
        <section class="script-panel" aria-label="Script editor">
            <ScriptToolbar slug=slug text=text original=original />
            {move || problem.get().map(|p| view! { <p class="storage-problem" role="alert">{p}</p> })}
            <Editor
                text=text
                current=Signal::derive(|| None)
                marks=Signal::derive(Vec::<LineMark>::new)
                on_run_all=Callback::new(move |()| run(None))
                on_run_line=Callback::new(move |line: usize| run(Some(line)))
            />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runnable_lines_skip_narration_and_blanks() {
        let script = "# note\nSET a 1\n\n  alice> GET a  \n#! title: x\nFOO\n";
        assert_eq!(runnable(script, None), ["SET a 1", "alice> GET a", "FOO"]);
        assert_eq!(runnable(script, Some(4)), ["alice> GET a"]);
        assert!(runnable(script, Some(1)).is_empty());
    }
}
