//! The script area: the Editor on the scenario's script (the current
//! line highlighted, each line's first reply at its end), the toolbar
//! (share, export, import, reset), saving every edit once typing pauses,
//! and the offer to re-run after an edit above the current line.

use leptos::prelude::*;

use web_sys::Element;

use crate::viz::dom::{attr, build, builder, button, effect, el, on, target_attr, Dom};

use crate::editor::{panel::runnable, Editor, LineMark, ScriptToolbar};
use crate::scenarios;
use crate::state::Playground;

/// The longest reply text shown at a line's end.
const MARK_CHARS: usize = 40;

/// A line's mark: the first line of its sender's first reply, shortened.
fn mark_text(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let more = text.lines().nth(1).is_some();
    let mut out: String = first.chars().take(MARK_CHARS).collect();
    if more || first.chars().count() > MARK_CHARS {
        out.push_str(" …");
    }
    out
}

/// Scripts longer than this (bytes) reach the runner a task after an
/// edit rather than in it.
const BIG_SCRIPT: usize = 64 * 1024;

#[component]
pub fn ScriptArea(pg: Playground) -> impl IntoView {
    let slug = Signal::derive(move || pg.slug.get());
    let original = Signal::derive(move || {
        scenarios::find(&pg.slug.get())
            .map(|s| s.script)
            .unwrap_or_default()
    });
    // Every edit reaches the runner at once; it is saved a quarter second
    // after the last keystroke (a long script is megabytes), or at once
    // when the learner leaves the scenario or the page.
    let edits = StoredValue::new(0u64);
    effect(Box::new(move || {
        pg.script.track();
        pg.mark_unsaved();
        let mine = edits.get_value() + 1;
        edits.set_value(mine);
        // A long script (a pasted or generated one: megabytes) reaches the
        // runner in a task of its own, after the editor has drawn it, so
        // neither holds the page long; only the latest edit goes. Run and
        // Step hand the runner the text themselves, so nothing runs stale.
        if pg.script.with_untracked(|s| s.len() > BIG_SCRIPT) {
            gloo_timers::callback::Timeout::new(0, move || {
                if edits.try_get_value() == Some(mine) {
                    pg.sync_script();
                }
            })
            .forget();
        } else {
            pg.sync_script();
        }
        gloo_timers::callback::Timeout::new(250, move || {
            if edits.try_get_value() == Some(mine) {
                pg.save_script();
            }
        })
        .forget();
    }));
    let marks = Signal::derive(move || {
        let mut marks: Vec<LineMark> = Vec::new();
        pg.transcript.with(|(entries, _)| {
            for e in entries {
                let (Some(line), Some(sender)) = (e.line, e.client.as_deref()) else {
                    continue;
                };
                if marks.iter().any(|m| m.line == line) {
                    continue;
                }
                let own = e.replies.iter().find(|r| r.client == sender);
                if let Some(r) = own {
                    marks.push(LineMark {
                        line,
                        text: mark_text(&r.text),
                        error: r.error,
                    });
                }
            }
        });
        marks
    });
    let current = Signal::derive(move || pg.current_line.get());
    let run_line = move |line: usize| {
        pg.script.with_untracked(|t| {
            runnable(t, Some(line))
                .into_iter()
                .for_each(|l| pg.submit(l))
        })
    };
    view! {
        <section class="panel script" aria-labelledby="script-title" use:build=builder(move |s| notes(s, pg))>
            <header class="panel-head">
                <h2 id="script-title">"Script"</h2>
                <ScriptToolbar slug=slug text=pg.script replaced=pg.replaced original=original />
            </header>
            <Editor
                text=pg.script
                current=current
                marks=marks
                on_run_all=Callback::new(move |()| pg.run_all())
                on_run_line=Callback::new(run_line)
            />
        </section>
    }
}

/// The storage problem (under the header) and the offer to re-run (at
/// the end), drawn with plain DOM calls once the section has its parts.
fn notes(section: Element, pg: Playground) {
    let alert = el("p", "storage-problem");
    attr(&alert, "role", "alert");
    let rerun = el("p", "rerun");
    attr(&rerun, "role", "status");
    attr(&rerun, "data-testid", "rerun");
    let l = on(
        &rerun,
        "click",
        Box::new(move |ev| {
            if target_attr(&ev, "data-act").is_some() {
                pg.rerun_edited();
            }
        }),
    );
    StoredValue::new_local(l);
    let head = section.clone();
    effect(Box::new(move || {
        match (pg.script_problem.get(), head.first_element_child()) {
            (Some(p), Some(head)) => {
                alert.set_text_content(Some(&p));
                head.after_with_node_1(&alert).ok();
            }
            _ => alert.remove(),
        }
    }));
    effect(Box::new(move || match pg.edited.get() {
        Some((_, line)) => {
            rerun.set_text_content(Some(&format!("Line {line} changed after it ran. ")));
            rerun.add(button("btn", &format!("Re-run from line {line}"), "rerun"));
            section.add(rerun.clone());
        }
        None => rerun.remove(),
    }));
}

#[cfg(test)]
mod tests {
    use super::mark_text;

    #[test]
    fn marks_show_the_first_line_shortened() {
        assert_eq!(mark_text("(integer) 3"), "(integer) 3");
        assert_eq!(mark_text("1) \"a\"\n2) \"b\""), "1) \"a\" …");
        let long = "x".repeat(60);
        assert_eq!(mark_text(&long), format!("{} …", "x".repeat(40)));
    }
}
