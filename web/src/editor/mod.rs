//! The script editor: a plain `<textarea>` (the browser's own editing,
//! selection, undo and accessibility) over a highlighted mirror of the
//! lines on screen, with line numbers, autocomplete and per-line
//! diagnostics. No editor library: this is a few hundred lines, a library
//! would be hundreds of kilobytes.
//!
//! Only the visible lines (plus a margin) are highlighted and diagnosed;
//! an edit re-indexes line starts (a newline scan) and re-renders that
//! window, so a 100,000-line script types as fast as a short one.
//!
//! # Layout
//! - [`lex`]: one line's highlight spans; [`diagnose`]: why a line cannot
//!   run (Redis's text); [`complete`]: suggestions and their ranking;
//!   [`index`]: line starts and offset conversions.
//! - [`toolbar`]: Share, Export, Import, Reset scenario; [`panel`]: the
//!   editor wired to a scenario's saved script.

pub mod complete;
pub mod diagnose;
pub mod index;
pub mod lex;
pub mod panel;
pub mod toolbar;

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use complete::Completion;
use index::{utf16_offset, Index};
use lex::Kind;

pub use toolbar::ScriptToolbar;

/// A short reply or status shown at the end of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineMark {
    /// 1-based.
    pub line: usize,
    pub text: String,
    pub error: bool,
}

/// The line height in px: the CSS (`--ed-line`) uses the same.
pub const LINE_HEIGHT: i32 = 20;
/// The textarea's top padding in px (CSS `--ed-pad`).
const PAD: i32 = 6;
/// Lines rendered above and below the visible ones.
const MARGIN: usize = 20;
/// Up to this many lines the textarea holds the whole script. A longer
/// script is edited through a window of [`CHUNK`] lines around the view:
/// a browser lays out a textarea's whole text on every edit (seconds at
/// 100,000 lines), so the textarea must stay small.
const WHOLE: usize = 1500;
const CHUNK: usize = 800;
/// The window moves when the view comes this close to its edge.
const EDGE: usize = 100;

/// The lines (first, last exclusive) the textarea holds for a view
/// starting at line `view`.
fn chunk_for(view: usize, lines: usize) -> (usize, usize) {
    if lines <= WHOLE {
        return (0, lines);
    }
    let end = (view.saturating_sub(CHUNK / 3) + CHUNK).min(lines);
    (end.saturating_sub(CHUNK), end)
}

/// Whether the view (first, last) has come too close to the chunk's edge.
fn needs_new_chunk(chunk: (usize, usize), view: (usize, usize), lines: usize) -> bool {
    (chunk.0 > 0 && view.0 < chunk.0 + EDGE)
        || (chunk.1 < lines && view.1 + EDGE > chunk.1)
        || chunk.1 > lines
}

/// The byte range of lines `chunk` in `text` (without the last newline).
fn chunk_bytes(idx: &Index, text: &str, chunk: (usize, usize)) -> (usize, usize) {
    let start = idx.start(chunk.0).min(text.len());
    let end = if chunk.1 >= idx.lines() {
        text.len()
    } else {
        idx.start(chunk.1).saturating_sub(1)
    };
    (start, end.max(start))
}

fn kind_class(kind: Kind) -> &'static str {
    match kind {
        Kind::Prefix => "hl-prefix",
        Kind::Command => "hl-command",
        Kind::Key => "hl-key",
        Kind::Str => "hl-string",
        Kind::Number => "hl-number",
        Kind::Word => "hl-word",
        Kind::Narration => "hl-narration",
        Kind::Header => "hl-header",
        Kind::Space => "hl-space",
    }
}

/// The first and last (exclusive) 0-based lines to render.
fn window(scroll_top: i32, height: i32, lines: usize) -> (usize, usize) {
    let top = scroll_top.max(0);
    let first = ((top / LINE_HEIGHT) as usize).saturating_sub(MARGIN);
    let last = ((top + height.max(LINE_HEIGHT * 10)) / LINE_HEIGHT) as usize + MARGIN + 1;
    (first.min(lines), last.min(lines))
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

#[component]
pub fn Editor(
    /// Every edit is written here; a change from elsewhere (import,
    /// reset, a shared link) replaces the text shown.
    text: RwSignal<String>,
    /// The 1-based line that runs next: highlighted.
    #[prop(into)]
    current: Signal<Option<usize>>,
    /// Short replies or statuses shown at lines' ends.
    #[prop(into)]
    marks: Signal<Vec<LineMark>>,
    /// Ctrl/Cmd+Enter.
    on_run_all: Callback<()>,
    /// Shift+Enter, with the caret's 1-based line.
    on_run_line: Callback<usize>,
) -> impl IntoView {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let list_id = format!("ed-list-{id}");
    let info_id = format!("ed-info-{id}");
    let option_id = move |i: usize| format!("ed-opt-{id}-{i}");

    let area = NodeRef::<html::Textarea>::new();
    let scroller = NodeRef::<html::Div>::new();
    // The lines the textarea holds, and its width in columns.
    let chunk = RwSignal::new((0usize, 1usize));
    let columns = RwSignal::new(0usize);
    let index = Memo::new(move |_| text.with(|t| Index::new(t)));
    let scroll = RwSignal::new((0i32, 0i32));
    let height = RwSignal::new(600i32);
    // The caret as a byte offset into the text.
    let caret = RwSignal::new(0usize);
    let popup = RwSignal::new(None::<Completion>);
    let selected = RwSignal::new(0usize);
    let status = RwSignal::new(None::<(String, bool)>);
    let dragging = RwSignal::new(false);
    // The text in the textarea is the signal's (set by typing).
    let typed = StoredValue::new(false);

    let lines = Memo::new(move |_| index.with(Index::lines));
    let win = Memo::new(move |_| window(scroll.get().0, height.get(), lines.get()));
    let caret_line = Memo::new(move |_| index.with(|i| i.line_of(caret.get())));

    // Puts lines `c` into the textarea, keeping the caret where it was
    // if it is among them.
    let load_chunk = move |c: (usize, usize)| {
        let Some(el) = area.get_untracked() else {
            return;
        };
        let at = caret.get_untracked();
        let (start, end, slice) = text.with_untracked(|t| {
            index.with_untracked(|i| {
                let (s, e) = chunk_bytes(i, t, c);
                (s, e, t[s..e].to_string())
            })
        });
        columns.set(slice.lines().map(|l| l.chars().count()).max().unwrap_or(0));
        chunk.set(c);
        el.set_value(&slice);
        if (start..=end).contains(&at) {
            let units = utf16_offset(&slice, at - start) as u32;
            let _ = el.set_selection_range(units, units);
        }
    };
    // A change that did not come from typing replaces the textarea's text.
    Effect::new(move |_| {
        let lines = index.with(Index::lines);
        if std::mem::take(&mut *typed.write_value()) {
            return;
        }
        if area.get().is_some() {
            popup.set(None);
            let view = (scroll.get_untracked().0.max(0) / LINE_HEIGHT) as usize;
            load_chunk(chunk_for(view, lines));
        }
    });

    // Keep the running line in view.
    Effect::new(move |_| {
        let (Some(line), Some(el)) = (current.get(), scroller.get_untracked()) else {
            return;
        };
        let top = (line.saturating_sub(1) as i32).saturating_mul(LINE_HEIGHT);
        let (scroll_top, h) = (el.scroll_top(), el.client_height());
        if top < scroll_top || top + LINE_HEIGHT > scroll_top + h {
            el.set_scroll_top((top - h / 3).max(0));
        }
    });

    let measure = move || {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        scroll.set((el.scroll_top(), el.scroll_left()));
        let h = el.client_height();
        if h > 0 {
            height.set(h);
        }
        let (first, last) = win.get_untracked();
        let lines = lines.get_untracked();
        if needs_new_chunk(
            chunk.get_untracked(),
            (first + MARGIN, last.saturating_sub(MARGIN)),
            lines,
        ) {
            load_chunk(chunk_for(first + MARGIN, lines));
        }
    };
    // The caret's byte offset in the text, from the textarea's selection.
    let read_caret = move |el: &web_sys::HtmlTextAreaElement| {
        let units = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let value = el.value();
        let local = Index::new(&value).byte_offset(&value, units);
        let start = index.with_untracked(|i| i.start(chunk.get_untracked().0));
        let at = start + local;
        caret.set(at);
        at
    };
    // The textarea's text spliced into the script, after an edit.
    let commit = move |el: &web_sys::HtmlTextAreaElement| {
        let value = el.value();
        let c = chunk.get_untracked();
        let new = text.with_untracked(|t| {
            index.with_untracked(|i| {
                let (s, e) = chunk_bytes(i, t, c);
                let mut new = String::with_capacity(t.len() - (e - s) + value.len());
                new.push_str(&t[..s]);
                new.push_str(&value);
                new.push_str(&t[e..]);
                new
            })
        });
        let held = value.bytes().filter(|&b| b == b'\n').count() + 1;
        columns.set(value.lines().map(|l| l.chars().count()).max().unwrap_or(0));
        chunk.set((c.0, c.0 + held));
        *typed.write_value() = true;
        text.set(new);
        // A paste made the textarea hold too much: back to a window.
        if held > WHOLE.max(c.1 - c.0) {
            let view = (scroll.get_untracked().0.max(0) / LINE_HEIGHT) as usize;
            let lines = index.with_untracked(Index::lines);
            if lines > WHOLE {
                load_chunk(chunk_for(view, lines));
            }
        }
    };
    let suggest = move |explicit: bool| {
        let at = caret.get_untracked();
        let found = text.with_untracked(|t| {
            index.with_untracked(|i| {
                let start = i.start(i.line_of(at));
                t.get(start..at)
                    .and_then(|before| complete::complete(before, explicit))
            })
        });
        selected.set(0);
        popup.set(found);
    };
    let accept = move |choice: usize| {
        let (Some(c), Some(el)) = (popup.get_untracked(), area.get_untracked()) else {
            return;
        };
        let Some(item) = c.items.get(choice) else {
            return;
        };
        popup.set(None);
        // Work in the textarea's own text (the chunk), then commit.
        let chunk_start = index.with_untracked(|i| i.start(chunk.get_untracked().0));
        let line_start = index.with_untracked(|i| i.start(i.line_of(caret.get_untracked())));
        let Some(base) = line_start.checked_sub(chunk_start) else {
            return;
        };
        let (start, end) = (base + c.start, base + c.end);
        let mut new = el.value();
        if new.get(start..end).is_none() {
            return;
        }
        let follows_blank = new[end..].starts_with([' ', '\t']);
        let insert = if follows_blank {
            item.word.clone()
        } else {
            format!("{} ", item.word)
        };
        new.replace_range(start..end, &insert);
        let after = start + insert.len() + usize::from(follows_blank);
        let units = utf16_offset(&new, after) as u32;
        el.set_value(&new);
        let _ = el.set_selection_range(units, units);
        commit(&el);
        caret.set(chunk_start + after);
    };

    let on_input = move |_: ev::Event| {
        let Some(el) = area.get_untracked() else {
            return;
        };
        commit(&el);
        status.set(None);
        read_caret(&el);
        suggest(false);
    };

    let handle_run_keys = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        let Some(el) = area.get_untracked() else {
            return;
        };
        if key == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            on_run_all.run(());
        } else if key == "Enter" && ev.shift_key() {
            ev.prevent_default();
            let at = read_caret(&el);
            let line = index.with_untracked(|i| i.line_of(at));
            on_run_line.run(line + 1);
        } else if key == " " && ev.ctrl_key() {
            ev.prevent_default();
            read_caret(&el);
            suggest(true);
        }
    };

    let on_keydown = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        if let Some(c) = popup.get_untracked() {
            let n = c.items.len();
            match key.as_str() {
                "ArrowDown" => selected.update(|s| *s = (*s + 1) % n),
                "ArrowUp" => selected.update(|s| *s = (*s + n - 1) % n),
                "Enter" | "Tab" if !ev.ctrl_key() && !ev.meta_key() && !ev.shift_key() => {
                    accept(selected.get_untracked())
                }
                "Escape" => popup.set(None),
                _ => {
                    if matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
                        popup.set(None);
                    }
                    return handle_run_keys(ev);
                }
            }
            ev.prevent_default();
            return;
        }
        handle_run_keys(ev);
    };
    let on_caret_moved = move || {
        if let Some(el) = area.get_untracked() {
            read_caret(&el);
        }
    };

    // Files dropped onto the editor are imported.
    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            return;
        };
        leptos::task::spawn_local(async move {
            match toolbar::read_file(&file).await {
                Ok(script) => {
                    text.set(script);
                    status.set(Some((format!("Imported {}.", file.name()), false)));
                }
                Err(e) => status.set(Some((e, true))),
            }
        });
    };

    // The visible rows and their line numbers, built as DOM directly (text
    // nodes only: what the user typed is never parsed as HTML).
    let rows_ref = NodeRef::<html::Div>::new();
    let gutter_ref = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let (Some(rows_el), Some(gutter_el)) = (rows_ref.get(), gutter_ref.get()) else {
            return;
        };
        let (first, last) = win.get();
        let cur = current.get().map(|l| l.saturating_sub(1));
        let mut line_marks: Vec<Option<LineMark>> = vec![None; last - first];
        marks.with(|ms| {
            for m in ms {
                if let Some(slot) = m
                    .line
                    .checked_sub(1 + first)
                    .and_then(|i| line_marks.get_mut(i))
                {
                    *slot = Some(m.clone());
                }
            }
        });
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let el = |tag: &str, class: &str, text: Option<&str>| {
            let e = doc.create_element(tag).ok()?;
            e.set_class_name(class);
            e.set_text_content(text);
            Some(e)
        };
        rows_el.set_text_content(None);
        gutter_el.set_text_content(None);
        text.with(|t| {
            index.with(|idx| {
                for (i, mark) in (first..last).zip(line_marks) {
                    let line = idx.line(t, i);
                    let problem = diagnose::diagnose(line);
                    let mut class = String::from("ed-line");
                    if cur == Some(i) {
                        class.push_str(" ed-current");
                    }
                    if problem.is_some() {
                        class.push_str(" ed-bad");
                    }
                    let Some(row) = el("div", &class, None) else {
                        return;
                    };
                    let _ = row.set_attribute("data-line", &(i + 1).to_string());
                    for span in lex::highlight(line) {
                        if let Some(s) = el(
                            "span",
                            kind_class(span.kind),
                            Some(&line[span.start..span.end]),
                        ) {
                            let _ = row.append_child(&s);
                        }
                    }
                    if let Some(m) = mark {
                        let class = if m.error { "ed-mark error" } else { "ed-mark" };
                        if let Some(s) = el("span", class, Some(&m.text)) {
                            let _ = s.set_attribute("data-testid", "line-mark");
                            let _ = row.append_child(&s);
                        }
                    }
                    if let Some(p) = problem {
                        if let Some(s) = el("span", "ed-diag", Some(&p)) {
                            let _ = s.set_attribute("data-testid", "diagnostic");
                            let _ = row.append_child(&s);
                        }
                    }
                    let _ = rows_el.append_child(&row);
                    let class = if cur == Some(i) {
                        "ed-num ed-current"
                    } else {
                        "ed-num"
                    };
                    if let Some(n) = el("div", class, Some(&(i + 1).to_string())) {
                        let _ = gutter_el.append_child(&n);
                    }
                }
            })
        });
    });
    // The gutter sits outside the scroller: it follows the scroll.
    let gutter_offset = move || {
        let (first, _) = win.get();
        (first as i32).saturating_mul(LINE_HEIGHT) - scroll.get().0 + PAD
    };
    let rows_top = move || (win.get().0 as i32).saturating_mul(LINE_HEIGHT) + PAD;
    let area_style = move || {
        let (c0, c1) = chunk.get();
        format!(
            "top:{}px;height:{}px;width:max(100%, calc({}ch + 2 * var(--ed-pad-x) + 2ch))",
            (c0 as i32).saturating_mul(LINE_HEIGHT),
            ((c1 - c0.min(c1)) as i32).saturating_mul(LINE_HEIGHT) + 2 * PAD,
            columns.get()
        )
    };
    let spacer_style = move || {
        format!(
            "height:{}px",
            (lines.get() as i32).saturating_mul(LINE_HEIGHT) + 2 * PAD
        )
    };
    let digits = move || lines.get().to_string().len().max(2);

    // The line under the caret: why it cannot run, else its command's
    // syntax and summary, else the shortcuts. (class, main text, summary)
    let info = Memo::new(move |_| -> (&'static str, String, &'static str) {
        if let Some((message, error)) = status.get() {
            let class = if error { "ed-info-error" } else { "ed-hint" };
            return (class, message, "");
        }
        let line = caret_line.get();
        text.with(|t| {
            index.with(|i| {
                let text = i.line(t, line);
                if let Some(p) = diagnose::diagnose(text) {
                    return ("ed-info-error", format!("Line {}: {p}", line + 1), "");
                }
                let spec = engine::script::parse_line(text)
                    .and_then(|(_, cmd)| engine::split_args(cmd).ok())
                    .filter(|argv| !argv.is_empty())
                    .and_then(|argv| engine::commands::introspect::docs::row(&argv));
                match spec {
                    Some(spec) => ("ed-syntax", spec.syntax.to_string(), spec.summary),
                    None => (
                        "ed-hint",
                        "Ctrl+Enter runs the script · Shift+Enter runs this line · Ctrl+Space suggests"
                            .to_string(),
                        "",
                    ),
                }
            })
        })
    });

    let list_id_attr = list_id.clone();
    let completion_list = move || {
        let c = popup.get()?;
        let sel = selected.get().min(c.items.len().saturating_sub(1));
        let line = caret_line.get();
        let (top, left) = scroll.get();
        let column = text.with_untracked(|t| {
            index.with_untracked(|i| {
                let s = i.start(line);
                t.get(s..s + c.start)
                    .map_or(0, |before| before.chars().count())
            })
        });
        let y = ((line + 1) as i32).saturating_mul(LINE_HEIGHT) + PAD - top;
        let style = format!(
            "top:{y}px;left:max(0px, min(calc({column}ch + var(--ed-pad-x) - {left}px), calc(100% - 24rem)))"
        );
        let item = c.items[sel].clone();
        let detail_name = if item.is_command {
            String::new()
        } else {
            format!(
                "{} · ",
                item.spec.name.to_ascii_uppercase().replace('|', " ")
            )
        };
        Some(view! {
            <div class="ed-popup" style=style>
                <ul class="ed-options" role="listbox" id=list_id.clone() aria-label="Suggestions">
                    {c
                        .items
                        .iter()
                        .enumerate()
                        .map(|(i, it)| {
                            let word = it.word.clone();
                            view! {
                                <li
                                    role="option"
                                    id=option_id(i)
                                    aria-selected=if i == sel { "true" } else { "false" }
                                    class:selected=i == sel
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        accept(i);
                                    }
                                >
                                    {word}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div class="ed-detail" data-testid="completion-detail">
                    <code class="ed-syntax">{item.spec.syntax}</code>
                    <p class="ed-summary">{detail_name} {item.spec.summary}</p>
                    <p class="ed-complexity">"Complexity: " {item.spec.complexity}</p>
                </div>
            </div>
        })
    };

    view! {
        <div
            class="editor"
            class:ed-dragging=move || dragging.get()
            data-testid="editor"
            on:dragover=move |ev: ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <div class="ed-body">
                <div class="ed-gutter" aria-hidden="true" style=move || format!("width:calc({}ch + 1.25rem)", digits())>
                    <div
                        class="ed-track"
                        node_ref=gutter_ref
                        style=move || format!("transform:translateY({}px)", gutter_offset())
                    ></div>
                </div>
                <div class="ed-code">
                <div class="ed-scroll" node_ref=scroller on:scroll=move |_| measure()>
                    <div class="ed-spacer" style=spacer_style></div>
                    <div
                        class="ed-rows"
                        aria-hidden="true"
                        node_ref=rows_ref
                        style=move || format!("top:{}px", rows_top())
                    ></div>
                    <textarea
                        node_ref=area
                        class="ed-input"
                        style=area_style
                        aria-label="Script"
                        role="combobox"
                        aria-multiline="true"
                        aria-autocomplete="list"
                        aria-haspopup="listbox"
                        aria-expanded=move || if popup.with(Option::is_some) { "true" } else { "false" }
                        aria-controls=list_id_attr
                        aria-activedescendant=move || {
                            popup.with(|p| p.as_ref().map(|_| option_id(selected.get())))
                        }
                        aria-describedby=info_id.clone()
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        data-testid="script"
                        on:input=on_input
                        on:keydown=on_keydown
                        on:keyup=move |ev: ev::KeyboardEvent| {
                            if ev.key().starts_with("Arrow") || matches!(ev.key().as_str(), "Home" | "End" | "PageUp" | "PageDown") {
                                on_caret_moved()
                            }
                        }
                        on:click=move |_| {
                            popup.set(None);
                            on_caret_moved()
                        }
                        on:focus=move |_| measure()
                        on:blur=move |_| popup.set(None)
                    ></textarea>
                </div>
                    {completion_list}
                </div>
            </div>
            <div class="ed-info" id=info_id aria-live="polite" data-testid="editor-info">
                <span class=move || info.with(|i| i.0)>{move || info.with(|i| i.1.clone())}</span>
                <span class="ed-summary">{move || info.with(|i| i.2)}</span>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_screen_and_a_margin() {
        assert_eq!(window(0, 400, 100_000), (0, 20 + 20 + 1));
        let (first, last) = window(50_000 * LINE_HEIGHT, 400, 100_000);
        assert_eq!(first, 50_000 - MARGIN);
        assert_eq!(last, 50_000 + 20 + MARGIN + 1);
        assert_eq!(window(0, 400, 3), (0, 3));
        assert_eq!(window(i32::MAX - 1000, 400, 3), (3, 3));
    }

    #[test]
    fn long_scripts_are_edited_through_a_chunk() {
        assert_eq!(chunk_for(0, 10), (0, 10));
        assert_eq!(chunk_for(2000, WHOLE), (0, WHOLE));
        assert_eq!(chunk_for(0, 100_000), (0, CHUNK));
        assert_eq!(
            chunk_for(50_000, 100_000),
            (50_000 - CHUNK / 3, 50_000 - CHUNK / 3 + CHUNK)
        );
        assert_eq!(chunk_for(99_990, 100_000), (100_000 - CHUNK, 100_000));
        // The view well inside: stay; near an edge: move.
        let c = chunk_for(50_000, 100_000);
        assert!(!needs_new_chunk(c, (50_000, 50_030), 100_000));
        assert!(needs_new_chunk(c, (c.0 + 10, c.0 + 40), 100_000));
        assert!(needs_new_chunk(c, (c.1 - 40, c.1 - 10), 100_000));
        assert!(
            !needs_new_chunk((0, CHUNK), (0, 30), 100_000),
            "the top has no edge"
        );
        assert!(!needs_new_chunk((0, 10), (0, 10), 10));
        assert!(
            needs_new_chunk((0, 12), (0, 10), 10),
            "lines were deleted elsewhere"
        );
    }

    #[test]
    fn chunk_bytes_cover_whole_lines() {
        let text = "a\nbb\nccc\n";
        let idx = Index::new(text);
        assert_eq!(chunk_bytes(&idx, text, (0, 4)), (0, text.len()));
        assert_eq!(chunk_bytes(&idx, text, (1, 2)), (2, 4));
        assert_eq!(&text[2..4], "bb");
        assert_eq!(chunk_bytes(&idx, text, (1, 3)), (2, 8));
    }
}
