//! Run / Step / Step back / Reset, and a Run's progress with Stop.
//! Alt+→ steps and Alt+← steps back from anywhere on the page.
//!
//! Drawn with plain DOM calls ([`crate::viz::dom`]); one click listener on
//! the group reads the button's `data-act`.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

use crate::state::Playground;
use crate::viz::dom::{attr, button, effect, el, flag, on, target_attr, Dom, Listener};

/// Lines the Sandbox's generator writes.
pub const GENERATED_LINES: usize = 100_000;

/// A long script for trying the sliced Run: writes, counters, lists,
/// sets and TTLs over a few thousand keys.
pub fn generated_script(lines: usize) -> String {
    // Written by hand, not by `format!`: 100,000 lines in a click.
    fn num(out: &mut String, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        out.extend(digits[i..].iter().map(|&d| d as char));
    }
    let mut out = String::with_capacity(lines * 24);
    out.push_str("# A generated script: Run it and watch the progress bar.\n");
    for i in 0..lines.saturating_sub(1) {
        match i % 5 {
            0 => {
                out.push_str("SET user:");
                num(&mut out, i % 5_000);
                out.push_str(" v");
                num(&mut out, i);
                out.push_str(" EX ");
                num(&mut out, 60 + i % 600);
            }
            1 => out.push_str("INCR hits"),
            2 => {
                out.push_str("LPUSH recent:");
                num(&mut out, i % 100);
                out.push(' ');
                num(&mut out, i);
            }
            3 => {
                out.push_str("SADD seen ");
                num(&mut out, i % 2_000);
            }
            _ => {
                out.push_str("GET user:");
                num(&mut out, (i * 7) % 5_000);
            }
        }
        out.push('\n');
    }
    out
}

#[component]
pub fn RunControls(pg: Playground) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    let drawn = StoredValue::new_local(None::<Drawn>);
    let keys: Box<dyn FnMut(web_sys::Event)> = Box::new(move |ev| {
        let Some(ev) = ev.dyn_ref::<KeyboardEvent>() else {
            return;
        };
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
    if let Some(w) = web_sys::window() {
        StoredValue::new_local(on(&w, "keydown", keys));
    }
    effect(Box::new(move || {
        let Some(root) = root.get() else { return };
        let progress = pg.progress.get();
        let next = pg.current_line.get();
        let back = pg.can_step_back.get();
        let sandbox = pg.slug.with(|s| s == crate::routes::DEFAULT_SLUG);
        drawn.update_value(|d| {
            d.get_or_insert_with(|| Drawn::new(&root, pg))
                .draw(progress, next, back, sandbox)
        });
    }));
    view! { <div class="run-controls" role="group" aria-label="Run controls" node_ref=root></div> }
}

struct Drawn {
    run: Element,
    step: Element,
    back: Element,
    next: Element,
    generate: Element,
    progress: Element,
    bar: Element,
    done: Element,
    _click: Listener,
}

impl Drawn {
    fn new(root: &Element, pg: Playground) -> Drawn {
        let run = root.add(button("btn btn-primary", "Run", "run"));
        attr(
            &run,
            "title",
            "Run everything from the current line (Ctrl/Cmd+Enter)",
        );
        let icon = el("span", "icon icon-play");
        attr(&icon, "aria-hidden", "true");
        run.prepend_with_node_1(&icon).ok();
        let step = root.add(button("btn", "Step", "step"));
        attr(&step, "title", "Run one line (Alt+→)");
        let back = root.add(button("btn", "Step back", "back"));
        attr(
            &back,
            "title",
            "Back to the state before the last line ran (Alt+←)",
        );
        let reset = root.add(button("btn", "Reset", "reset"));
        attr(&reset, "title", "A fresh engine, back to the first line");
        let next = root.add(el("span", "meta next-line"));
        attr(&next, "data-testid", "next-line");
        attr(&next, "aria-live", "polite");
        let generate = root.add(button("btn btn-quiet", "Generate 100,000 lines", "gen"));
        attr(
            &generate,
            "title",
            "Replace the script with a generated 100,000-line one",
        );
        // Shown (attached) only while a Run goes on.
        let progress = el("div", "run-progress");
        attr(&progress, "data-testid", "run-progress");
        let bar = progress.add(el("progress", ""));
        attr(&bar, "aria-label", "Run progress");
        let done = progress.add(el("span", "meta"));
        progress.add(button("btn", "Stop", "stop"));
        let click = on(
            root,
            "click",
            Box::new(move |ev| match target_attr(&ev, "data-act").as_deref() {
                Some("run") => pg.run_all(),
                Some("step") => pg.step(),
                Some("back") => pg.step_back(),
                Some("reset") => pg.reset(),
                Some("stop") => pg.stop(),
                Some("gen") => {
                    // Written here, shown (editor, layout) in a task of its
                    // own: together they came near 50 ms.
                    let text = generated_script(GENERATED_LINES);
                    gloo_timers::callback::Timeout::new(0, move || {
                        crate::state::replace_script(
                            pg.script,
                            pg.replaced,
                            text,
                            "Generated 100,000 lines.",
                        );
                        pg.reset();
                    })
                    .forget();
                }
                _ => {}
            }),
        );
        Drawn {
            run,
            step,
            back,
            next,
            generate,
            progress,
            bar,
            done,
            _click: click,
        }
    }

    fn draw(
        &self,
        progress: Option<(usize, usize)>,
        next: Option<usize>,
        back: bool,
        sandbox: bool,
    ) {
        let running = progress.is_some();
        flag(&self.run, "disabled", running || next.is_none());
        flag(&self.step, "disabled", running || next.is_none());
        flag(&self.back, "disabled", running || !back);
        self.next.set_text_content(Some(&match next {
            Some(n) => format!("Next: line {n}"),
            None => "At the end of the script".to_string(),
        }));
        flag(&self.generate, "hidden", !sandbox);
        flag(&self.generate, "disabled", running);
        match progress {
            Some((done, total)) => {
                attr(&self.bar, "max", &total.to_string());
                attr(&self.bar, "value", &done.to_string());
                self.done
                    .set_text_content(Some(&format!("{done} / {total} lines")));
                if self.progress.parent_node().is_none() {
                    if let Some(root) = self.next.parent_element() {
                        root.add(self.progress.clone());
                    }
                }
            }
            None => self.progress.remove(),
        }
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
        assert_eq!(bench.line_count(), 999);
        let outcomes = bench.run_some(2_000);
        assert_eq!(outcomes.len(), 999);
        assert!(outcomes.iter().all(|o| o
            .entry
            .as_ref()
            .is_some_and(|e| e.replies.iter().all(|r| !r.error))));
    }

    #[test]
    fn the_generated_lines_read_as_written() {
        let text = generated_script(12);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "SET user:0 v0 EX 60");
        assert_eq!(lines[2], "INCR hits");
        assert_eq!(lines[3], "LPUSH recent:2 2");
        assert_eq!(lines[4], "SADD seen 3");
        assert_eq!(lines[5], "GET user:28");
        assert_eq!(lines[11], "SET user:10 v10 EX 70");
        let big = generated_script(100_000);
        assert!(big.ends_with("\nSADD seen 1998\n"));
        assert!(big.contains("\nSET user:4995 v99995 EX 455\n"));
    }
}
