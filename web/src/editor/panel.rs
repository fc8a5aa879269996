//! The editor wired to a scenario until the workbench takes over: the
//! script loaded from its saved slot (else the scenario's own), saved on
//! every edit, with the toolbar; Ctrl+Enter runs it on a fresh engine and
//! shows each line's first reply at its end, Shift+Enter runs one line.

use engine::script::{parse_line, Runner, DEFAULT_CLIENT};
use engine::Engine;
use leptos::prelude::*;

use super::{Editor, LineMark, ScriptToolbar};
use crate::{saved, scenarios};

/// Each runnable line's first reply line, as a mark.
pub fn run_marks(runner: &mut Runner, script: &str, only: Option<usize>) -> Vec<LineMark> {
    let mut marks = Vec::new();
    for (i, raw) in script.lines().enumerate() {
        if only.is_some_and(|l| l != i + 1) {
            continue;
        }
        let Some((client, command)) = parse_line(raw) else {
            continue;
        };
        let blocks = runner.run(client.unwrap_or(DEFAULT_CLIENT), command);
        if let Some(block) = blocks.first() {
            let first = block.text.lines().next().unwrap_or("");
            let more = block.text.lines().count() > 1 || blocks.len() > 1;
            marks.push(LineMark {
                line: i + 1,
                text: if more {
                    format!("{first} …")
                } else {
                    first.to_string()
                },
                error: block.reply.as_ref().is_none_or(|r| r.is_error()),
            });
        }
    }
    marks
}

#[component]
pub fn ScriptPanel(#[prop(into)] slug: Signal<String>) -> impl IntoView {
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
    let marks = RwSignal::new(Vec::<LineMark>::new());
    let runner = StoredValue::new(Runner::new(Engine::new(0)));
    Effect::new(move |first: Option<()>| {
        let result = text.with(|t| first.map(|_| saved::save(&slug.get_untracked(), t)));
        if let Some(result) = result {
            problem.set(result.err());
            marks.set(Vec::new());
        }
    });
    let on_run_all = Callback::new(move |()| {
        let mut fresh = Runner::new(Engine::new(0));
        marks.set(text.with_untracked(|t| run_marks(&mut fresh, t, None)));
        runner.set_value(fresh);
    });
    let on_run_line = Callback::new(move |line: usize| {
        let mut got = Vec::new();
        text.with_untracked(|t| runner.update_value(|r| got = run_marks(r, t, Some(line))));
        marks.update(|ms| {
            ms.retain(|m| m.line != line);
            ms.extend(got);
        });
    });
    view! {
        <section class="script-panel" aria-label="Script">
            <ScriptToolbar slug=slug text=text original=original />
            {move || problem.get().map(|p| view! { <p class="storage-problem" role="alert">{p}</p> })}
            <Editor
                text=text
                current=Signal::derive(|| None)
                marks=marks
                on_run_all=on_run_all
                on_run_line=on_run_line
            />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_show_each_lines_first_reply() {
        let script = "# note\nSET a 1\nGET a\nFOO\nLPUSH l x y\nLRANGE l 0 -1\nSET \"x\n";
        let marks = run_marks(&mut Runner::new(Engine::new(0)), script, None);
        let got: Vec<(usize, &str, bool)> = marks
            .iter()
            .map(|m| (m.line, m.text.as_str(), m.error))
            .collect();
        assert_eq!(
            got,
            [
                (2, "OK", false),
                (3, "\"1\"", false),
                (
                    4,
                    "(error) ERR unknown command 'FOO', with args beginning with: ",
                    true
                ),
                (5, "(integer) 2", false),
                (6, "1) \"y\" …", false),
                (7, "Invalid argument(s)", true),
            ]
        );
        let one = run_marks(&mut Runner::new(Engine::new(0)), script, Some(3));
        assert_eq!(one[0].text, "(nil)");
    }
}
