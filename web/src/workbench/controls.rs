//! Run / Step / Step back / Reset, and a Run's progress with Stop.
//! Alt+→ steps and Alt+← steps back from anywhere on the page.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::state::Playground;

/// Lines the Sandbox's generator writes.
pub const GENERATED_LINES: usize = 100_000;

/// A long script for trying the sliced Run: writes, counters, lists,
/// sets and TTLs over a few thousand keys.
pub fn generated_script(lines: usize) -> String {
    let mut out = String::with_capacity(lines * 24);
    out.push_str("# A generated script: Run it and watch the progress bar.\n");
    for i in 0..lines.saturating_sub(1) {
        let line = match i % 5 {
            0 => format!("SET user:{} v{i} EX {}", i % 5_000, 60 + i % 600),
            1 => "INCR hits".to_string(),
            2 => format!("LPUSH recent:{} {i}", i % 100),
            3 => format!("SADD seen {}", i % 2_000),
            _ => format!("GET user:{}", (i * 7) % 5_000),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[component]
pub fn RunControls(pg: Playground) -> impl IntoView {
    let running = move || pg.progress.with(Option::is_some);
    let at_end = move || pg.current_line.with(Option::is_none);
    let _keys = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if !ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" => {
                ev.prevent_default();
                pg.step();
            }
            "ArrowLeft" => {
                ev.prevent_default();
                pg.step_back();
            }
            _ => {}
        }
    });
    let progress = move || {
        pg.progress.get().map(|(done, total)| {
            view! {
                <div class="run-progress" data-testid="run-progress">
                    <progress
                        max=total.to_string()
                        value=done.to_string()
                        aria-label="Run progress"
                    ></progress>
                    <span class="meta">{format!("{done} / {total} lines")}</span>
                    <button type="button" class="btn" on:click=move |_| pg.stop()>
                        "Stop"
                    </button>
                </div>
            }
        })
    };
    let next = move || match pg.current_line.get() {
        Some(n) => format!("Next: line {n}"),
        None => "At the end of the script".to_string(),
    };
    view! {
        <div class="run-controls" role="group" aria-label="Run controls">
            <button
                type="button"
                class="btn btn-primary"
                title="Run everything from the current line (Ctrl/Cmd+Enter)"
                disabled=move || running() || at_end()
                on:click=move |_| pg.run_all()
            >
                <span aria-hidden="true" class="icon icon-play"></span>
                "Run"
            </button>
            <button
                type="button"
                class="btn"
                title="Run one line (Alt+→)"
                disabled=move || running() || at_end()
                on:click=move |_| pg.step()
            >
                "Step"
            </button>
            <button
                type="button"
                class="btn"
                title="Back to the state before the last line ran (Alt+←)"
                disabled=move || running() || !pg.can_step_back.get()
                on:click=move |_| pg.step_back()
            >
                "Step back"
            </button>
            <button
                type="button"
                class="btn"
                title="A fresh engine, back to the first line"
                on:click=move |_| pg.reset()
            >
                "Reset"
            </button>
            <span class="meta next-line" data-testid="next-line" aria-live="polite">
                {next}
            </span>
            <button
                    type="button"
                    class="btn btn-quiet"
                    hidden=move || pg.slug.get() != crate::routes::DEFAULT_SLUG
                    title="Replace the script with a generated 100,000-line one"
                    disabled=running
                    on:click=move |_| {
                        pg.script.set(generated_script(GENERATED_LINES));
                        pg.reset();
                    }
                >
                    "Generate 100,000 lines"
                </button>
            {progress}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_script_has_the_lines_asked_for_and_they_run() {
        let text = generated_script(1_000);
        assert_eq!(text.lines().count(), 1_000);
        let mut bench = crate::runner::Bench::new(0, &text);
        assert_eq!(bench.lines().len(), 999);
        let outcomes = bench.run_some(2_000);
        assert_eq!(outcomes.len(), 999);
        assert!(outcomes.iter().all(|o| o
            .entry
            .as_ref()
            .is_some_and(|e| e.replies.iter().all(|r| !r.error))));
    }
}
