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

#[cfg(test)]
mod fuzz_tests;

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlTextAreaElement, KeyboardEvent};

use crate::viz::dom::{
    attr, attrs, build, builder, class_if, effect, el, on, set_if, target_attr, text, Dom, Listener,
};

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

/// The editor's reactive state (all `Copy`), shared by its handlers.
#[derive(Clone, Copy)]
struct State {
    text: RwSignal<String>,
    index: Memo<Index>,
    win: Memo<(usize, usize)>,
    current: Signal<Option<usize>>,
    marks: Signal<Vec<LineMark>>,
    /// The listeners, dropped (removed) with the editor.
    keep: StoredValue<Vec<Listener>, LocalStorage>,
    /// The lines the textarea holds, and its width in columns.
    chunk: RwSignal<(usize, usize)>,
    columns: RwSignal<usize>,
    scroll: RwSignal<(i32, i32)>,
    height: RwSignal<i32>,
    /// The caret as a byte offset into the text.
    caret: RwSignal<usize>,
    popup: RwSignal<Option<Completion>>,
    selected: RwSignal<usize>,
    status: RwSignal<Option<(String, bool)>>,
    /// The text in the textarea is the signal's (set by typing).
    typed: StoredValue<bool>,
    on_run_all: Callback<()>,
    on_run_line: Callback<usize>,
}

/// The editor's elements, built once with plain DOM calls, and its state.
#[derive(Clone)]
struct Ed {
    s: State,
    id: usize,
    body: Element,
    code: Element,
    gutter: Element,
    track: Element,
    scroller: Element,
    spacer: Element,
    rows: Element,
    area: HtmlTextAreaElement,
    popup: Element,
    info: Element,
    info_main: Element,
    info_summary: Element,
}

/// Sets `e`'s text unless it already is `t` (a live region would
/// announce it again).
fn set_text_if(e: &Element, t: &str) {
    if e.text_content().as_deref() != Some(t) {
        e.set_text_content(Some(t));
    }
}

impl Ed {
    fn build(s: State) -> Ed {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let body = el("div", "ed-body");
        let gutter = body.add(el("div", "ed-gutter"));
        attr(&gutter, "aria-hidden", "true");
        let track = gutter.add(el("div", "ed-track"));
        let code = body.add(el("div", "ed-code"));
        let scroller = code.add(el("div", "ed-scroll"));
        let spacer = scroller.add(el("div", "ed-spacer"));
        let rows = scroller.add(el("div", "ed-rows"));
        attr(&rows, "aria-hidden", "true");
        let area = scroller.add(el("textarea", "ed-input"));
        attrs(
            &area,
            &[
                ("aria-label", "Script"),
                ("role", "combobox"),
                ("aria-multiline", "true"),
                ("aria-autocomplete", "list"),
                ("aria-haspopup", "listbox"),
                ("aria-expanded", "false"),
                ("aria-controls", &format!("ed-list-{id}")),
                ("aria-describedby", &format!("ed-info-{id}")),
                ("spellcheck", "false"),
                ("autocomplete", "off"),
                ("autocapitalize", "off"),
                ("wrap", "off"),
                ("data-testid", "script"),
            ],
        );
        let info = el("div", "ed-info");
        attrs(
            &info,
            &[
                ("id", &format!("ed-info-{id}")),
                ("aria-live", "polite"),
                ("data-testid", "editor-info"),
            ],
        );
        let info_main = info.add(el("span", ""));
        let info_summary = info.add(el("span", "ed-summary"));
        Ed {
            s,
            id,
            body,
            code,
            gutter,
            track,
            scroller,
            spacer,
            rows,
            area: area.unchecked_into(),
            popup: el("div", "ed-popup"),
            info,
            info_main,
            info_summary,
        }
    }

    /// Puts lines `c` into the textarea, keeping the caret where it was
    /// if it is among them.
    fn load_chunk(&self, c: (usize, usize)) {
        let s = self.s;
        let at = s.caret.get_untracked();
        let (start, end, slice) = s.text.with_untracked(|t| {
            s.index.with_untracked(|i| {
                let (a, e) = chunk_bytes(i, t, c);
                (a, e, t[a..e].to_string())
            })
        });
        s.columns
            .set(slice.lines().map(|l| l.chars().count()).max().unwrap_or(0));
        s.chunk.set(c);
        self.area.set_value(&slice);
        if (start..=end).contains(&at) {
            let units = utf16_offset(&slice, at - start) as u32;
            let _ = self.area.set_selection_range(units, units);
        }
    }

    fn measure(&self) {
        let s = self.s;
        let el = &self.scroller;
        s.scroll.set((el.scroll_top(), el.scroll_left()));
        let h = el.client_height();
        if h > 0 {
            s.height.set(h);
        }
        let (first, last) = s.win.get_untracked();
        let lines = s.index.with_untracked(Index::lines);
        if needs_new_chunk(
            s.chunk.get_untracked(),
            (first + MARGIN, last.saturating_sub(MARGIN)),
            lines,
        ) {
            self.load_chunk(chunk_for(first + MARGIN, lines));
        }
    }

    /// The caret's byte offset in the text, from the textarea's selection.
    fn read_caret(&self) -> usize {
        let s = self.s;
        let units = self.area.selection_start().ok().flatten().unwrap_or(0) as usize;
        let value = self.area.value();
        let local = Index::new(&value).byte_offset(&value, units);
        let start = s
            .index
            .with_untracked(|i| i.start(s.chunk.get_untracked().0));
        let at = start + local;
        s.caret.set(at);
        at
    }

    /// The textarea's text spliced into the script, after an edit.
    fn commit(&self) {
        let s = self.s;
        let value = self.area.value();
        let c = s.chunk.get_untracked();
        let new = s.text.with_untracked(|t| {
            s.index.with_untracked(|i| {
                let (a, e) = chunk_bytes(i, t, c);
                let mut new = String::with_capacity(t.len() - (e - a) + value.len());
                new.push_str(&t[..a]);
                new.push_str(&value);
                new.push_str(&t[e..]);
                new
            })
        });
        let held = value.bytes().filter(|&b| b == b'\n').count() + 1;
        s.columns
            .set(value.lines().map(|l| l.chars().count()).max().unwrap_or(0));
        s.chunk.set((c.0, c.0 + held));
        *s.typed.write_value() = true;
        s.text.set(new);
        // A paste made the textarea hold too much: back to a window.
        if held > WHOLE.max(c.1 - c.0) {
            let view = (s.scroll.get_untracked().0.max(0) / LINE_HEIGHT) as usize;
            let lines = s.index.with_untracked(Index::lines);
            if lines > WHOLE {
                self.load_chunk(chunk_for(view, lines));
            }
        }
    }

    fn suggest(&self, explicit: bool) {
        let s = self.s;
        let at = s.caret.get_untracked();
        let found = s.text.with_untracked(|t| {
            s.index.with_untracked(|i| {
                let start = i.start(i.line_of(at));
                t.get(start..at)
                    .and_then(|before| complete::complete(before, explicit))
            })
        });
        s.selected.set(0);
        s.popup.set(found);
    }

    fn accept(&self, choice: usize) {
        let s = self.s;
        let Some(c) = s.popup.get_untracked() else {
            return;
        };
        let Some(item) = c.items.get(choice) else {
            return;
        };
        s.popup.set(None);
        // Work in the textarea's own text (the chunk), then commit.
        let chunk_start = s
            .index
            .with_untracked(|i| i.start(s.chunk.get_untracked().0));
        let line_start = s
            .index
            .with_untracked(|i| i.start(i.line_of(s.caret.get_untracked())));
        let Some(base) = line_start.checked_sub(chunk_start) else {
            return;
        };
        let (start, end) = (base + c.start, base + c.end);
        let mut new = self.area.value();
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
        self.area.set_value(&new);
        let _ = self.area.set_selection_range(units, units);
        self.commit();
        s.caret.set(chunk_start + after);
    }

    fn run_keys(&self, ev: &KeyboardEvent, key: &str) {
        let s = self.s;
        if key == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            s.on_run_all.run(());
        } else if key == "Enter" && ev.shift_key() {
            ev.prevent_default();
            let at = self.read_caret();
            let line = s.index.with_untracked(|i| i.line_of(at));
            s.on_run_line.run(line + 1);
        } else if key == " " && ev.ctrl_key() {
            ev.prevent_default();
            self.read_caret();
            self.suggest(true);
        }
    }

    fn keydown(&self, ev: &KeyboardEvent) {
        let s = self.s;
        let key = ev.key();
        let Some(n) = s
            .popup
            .with_untracked(|p| p.as_ref().map(|c| c.items.len()))
        else {
            return self.run_keys(ev, &key);
        };
        match key.as_str() {
            "ArrowDown" => s.selected.update(|i| *i = (*i + 1) % n),
            "ArrowUp" => s.selected.update(|i| *i = (*i + n - 1) % n),
            "Enter" | "Tab" if !ev.ctrl_key() && !ev.meta_key() && !ev.shift_key() => {
                self.accept(s.selected.get_untracked())
            }
            "Escape" => s.popup.set(None),
            _ => {
                if matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
                    s.popup.set(None);
                }
                return self.run_keys(ev, &key);
            }
        }
        ev.prevent_default();
    }

    /// Every listener of the editor: one function, by event type.
    fn handle(&self, ev: Event) {
        let s = self.s;
        let host = ev.current_target().map(JsCast::unchecked_into::<Element>);
        match ev.type_().as_str() {
            "input" => {
                self.commit();
                s.status.set(None);
                self.read_caret();
                self.suggest(false);
            }
            "keydown" => self.keydown(ev.unchecked_ref()),
            "keyup" => {
                let key = ev.unchecked_ref::<KeyboardEvent>().key();
                if key.starts_with("Arrow")
                    || matches!(key.as_str(), "Home" | "End" | "PageUp" | "PageDown")
                {
                    self.read_caret();
                }
            }
            "click" => {
                s.popup.set(None);
                self.read_caret();
            }
            "focus" | "scroll" => self.measure(),
            "blur" => s.popup.set(None),
            // An option clicked: taken without leaving the textarea.
            "mousedown" => {
                if let Some(i) = target_attr(&ev, "data-i").and_then(|i| i.parse().ok()) {
                    ev.prevent_default();
                    self.accept(i);
                }
            }
            "dragover" => {
                ev.prevent_default();
                if let Some(h) = host {
                    class_if(&h, "ed-dragging", true);
                }
            }
            "dragleave" => {
                if let Some(h) = host {
                    class_if(&h, "ed-dragging", false);
                }
            }
            // Files dropped onto the editor are imported.
            "drop" => {
                ev.prevent_default();
                if let Some(h) = host {
                    class_if(&h, "ed-dragging", false);
                }
                let file = ev
                    .unchecked_ref::<web_sys::DragEvent>()
                    .data_transfer()
                    .and_then(|d| d.files())
                    .and_then(|files| files.get(0));
                let Some(file) = file else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    match toolbar::read_file(&file).await {
                        Ok(script) => {
                            s.text.set(script);
                            s.status
                                .set(Some((format!("Imported {}.", file.name()), false)));
                        }
                        Err(e) => s.status.set(Some((e, true))),
                    }
                });
            }
            _ => {}
        }
    }

    /// Listens for `events` on `target`, every one through [`Ed::handle`].
    fn listen(&self, target: &Element, events: &[&'static str]) {
        for &event in events {
            let ed = self.clone();
            let l = on(target, event, Box::new(move |e| ed.handle(e)));
            self.s.keep.update_value(|k| k.push(l));
        }
    }

    /// A change that did not come from typing replaces the textarea's text.
    fn sync_text(&self) {
        let s = self.s;
        // Runs on every change of the text, not of its line index (which
        // follows the text, so is read untracked): an edit that keeps the
        // index (a character typed over another, an input event that
        // changes nothing) must still use up its `typed`, or the next change
        // from outside (another scenario, a shared link, an import) would be
        // taken for typing and not shown.
        s.text.track();
        let lines = s.index.with_untracked(Index::lines);
        if std::mem::take(&mut *s.typed.write_value()) {
            return;
        }
        s.popup.set(None);
        let view = (s.scroll.get_untracked().0.max(0) / LINE_HEIGHT) as usize;
        self.load_chunk(chunk_for(view, lines));
    }

    /// Keeps the running line in view.
    fn follow_current(&self) {
        let Some(line) = self.s.current.get() else {
            return;
        };
        // Reading the scroll position lays the page out: done in the next
        // frame, not in the task that just changed the text (with a
        // megabyte script, that layout alone is tens of ms).
        let el = self.scroller.clone();
        request_animation_frame(move || {
            let top = (line.saturating_sub(1) as i32).saturating_mul(LINE_HEIGHT);
            let (scroll_top, h) = (el.scroll_top(), el.client_height());
            if top < scroll_top || top + LINE_HEIGHT > scroll_top + h {
                el.set_scroll_top((top - h / 3).max(0));
            }
        });
    }

    /// The visible rows and their line numbers (text nodes only: what the
    /// user typed is never parsed as HTML).
    fn draw_rows(&self) {
        let s = self.s;
        let (marks, current) = (s.marks, s.current);
        let (first, last) = s.win.get();
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
        self.rows.set_text_content(None);
        self.track.set_text_content(None);
        s.text.with(|t| {
            s.index.with(|idx| {
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
                    let row = self.rows.add(el("div", &class));
                    let number = (i + 1).to_string();
                    attr(&row, "data-line", &number);
                    for span in lex::highlight(line) {
                        row.add(text(
                            "span",
                            kind_class(span.kind),
                            &line[span.start..span.end],
                        ));
                    }
                    if let Some(m) = mark {
                        let class = if m.error { "ed-mark error" } else { "ed-mark" };
                        attr(
                            &row.add(text("span", class, &m.text)),
                            "data-testid",
                            "line-mark",
                        );
                    }
                    if let Some(p) = problem {
                        attr(
                            &row.add(text("span", "ed-diag", &p)),
                            "data-testid",
                            "diagnostic",
                        );
                    }
                    let class = if cur == Some(i) {
                        "ed-num ed-current"
                    } else {
                        "ed-num"
                    };
                    self.track.add(text("div", class, &number));
                }
            })
        });
    }

    /// The sizes and offsets that follow the scroll, the window, the
    /// chunk and the script's length. The gutter sits outside the
    /// scroller: it follows the scroll.
    fn draw_layout(&self) {
        let s = self.s;
        let first = s.win.get().0 as i32;
        let top = s.scroll.get().0;
        let lines = s.index.with(Index::lines);
        let (c0, c1) = s.chunk.get();
        let digits = lines.to_string().len().max(2);
        set_if(
            &self.gutter,
            "style",
            &format!("width:calc({digits}ch + 1.25rem)"),
        );
        set_if(
            &self.track,
            "style",
            &format!(
                "transform:translateY({}px)",
                first.saturating_mul(LINE_HEIGHT) - top + PAD
            ),
        );
        set_if(
            &self.rows,
            "style",
            &format!("top:{}px", first.saturating_mul(LINE_HEIGHT) + PAD),
        );
        set_if(
            &self.area,
            "style",
            &format!(
                "top:{}px;height:{}px;width:max(100%, calc({}ch + 2 * var(--ed-pad-x) + 2ch))",
                (c0 as i32).saturating_mul(LINE_HEIGHT),
                ((c1 - c0.min(c1)) as i32).saturating_mul(LINE_HEIGHT) + 2 * PAD,
                s.columns.get()
            ),
        );
        set_if(
            &self.spacer,
            "style",
            &format!(
                "height:{}px",
                (lines as i32).saturating_mul(LINE_HEIGHT) + 2 * PAD
            ),
        );
    }

    /// The suggestions under the caret's line, and the textarea's
    /// combobox state.
    fn draw_popup(&self) {
        let s = self.s;
        let Some(c) = s.popup.get() else {
            self.popup.remove();
            attr(&self.area, "aria-expanded", "false");
            self.area.remove_attribute("aria-activedescendant").ok();
            return;
        };
        let sel = s.selected.get().min(c.items.len().saturating_sub(1));
        let line = s.index.with(|i| i.line_of(s.caret.get()));
        let (top, left) = s.scroll.get();
        let column = s.text.with_untracked(|t| {
            s.index.with_untracked(|i| {
                let start = i.start(line);
                t.get(start..start + c.start)
                    .map_or(0, |before| before.chars().count())
            })
        });
        let y = ((line + 1) as i32).saturating_mul(LINE_HEIGHT) + PAD - top;
        let p = &self.popup;
        let place = |y: i32| {
            format!(
                "top:{y}px;left:max(0px, min(calc({column}ch + var(--ed-pad-x) - {left}px), calc(100% - 24rem)))"
            )
        };
        attr(p, "style", &place(y));
        p.set_text_content(None);
        let list = p.add(el("ul", "ed-options"));
        attrs(
            &list,
            &[
                ("role", "listbox"),
                ("id", &format!("ed-list-{}", self.id)),
                ("aria-label", "Suggestions"),
            ],
        );
        let option_id = |i: usize| format!("ed-opt-{}-{i}", self.id);
        for (i, it) in c.items.iter().enumerate() {
            let o = list.add(text("li", if i == sel { "selected" } else { "" }, &it.word));
            attrs(
                &o,
                &[
                    ("role", "option"),
                    ("id", &option_id(i)),
                    ("aria-selected", if i == sel { "true" } else { "false" }),
                    ("data-i", &i.to_string()),
                ],
            );
        }
        let item = &c.items[sel];
        let detail = p.add(el("div", "ed-detail"));
        attr(&detail, "data-testid", "completion-detail");
        detail.add(text("code", "ed-syntax", item.spec.syntax));
        let name = if item.is_command {
            String::new()
        } else {
            format!(
                "{} · ",
                item.spec.name.to_ascii_uppercase().replace('|', " ")
            )
        };
        detail.add(text(
            "p",
            "ed-summary",
            &format!("{name} {}", item.spec.summary),
        ));
        detail.add(text(
            "p",
            "ed-complexity",
            &format!("Complexity: {}", item.spec.complexity),
        ));
        if p.parent_node().is_none() {
            self.code.add(p.clone());
        }
        // Above the line when it does not fit below and there is more room
        // above (the panel would cut it off).
        let (height, room) = (p.client_height(), self.code.client_height());
        let above = y - LINE_HEIGHT;
        if y + height > room && above > room - y {
            attr(p, "style", &place((above - height).max(0)));
        }
        attr(&self.area, "aria-expanded", "true");
        attr(&self.area, "aria-activedescendant", &option_id(sel));
    }

    /// The line under the caret: why it cannot run, else its command's
    /// syntax and summary, else the shortcuts.
    fn draw_info(&self) {
        let s = self.s;
        let (class, main, summary) = if let Some((message, error)) = s.status.get() {
            (if error { "ed-info-error" } else { "ed-hint" }, message, "")
        } else {
            let line = s.index.with(|i| i.line_of(s.caret.get()));
            s.text.with(|t| {
                s.index.with(|i| {
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
        };
        set_if(&self.info_main, "class", class);
        set_text_if(&self.info_main, &main);
        set_text_if(&self.info_summary, summary);
    }
}

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
    let index = Memo::new(move |_| text.with(|t| Index::new(t)));
    let scroll = RwSignal::new((0i32, 0i32));
    let height = RwSignal::new(600i32);
    let s = State {
        text,
        index,
        win: Memo::new(move |_| window(scroll.get().0, height.get(), index.with(Index::lines))),
        current,
        marks,
        keep: StoredValue::new_local(Vec::new()),
        chunk: RwSignal::new((0, 1)),
        columns: RwSignal::new(0),
        scroll,
        height,
        caret: RwSignal::new(0),
        popup: RwSignal::new(None),
        selected: RwSignal::new(0),
        status: RwSignal::new(None),
        typed: StoredValue::new(false),
        on_run_all,
        on_run_line,
    };
    let ed = Ed::build(s);
    ed.listen(
        &ed.area,
        &["input", "keydown", "keyup", "click", "focus", "blur"],
    );
    ed.listen(&ed.scroller, &["scroll"]);
    ed.listen(&ed.popup, &["mousedown"]);
    // One effect type for every redraw.
    let redraws: [fn(&Ed); 6] = [
        Ed::sync_text,
        Ed::follow_current,
        Ed::draw_rows,
        Ed::draw_layout,
        Ed::draw_popup,
        Ed::draw_info,
    ];
    for f in redraws {
        let e = ed.clone();
        effect(Box::new(move || f(&e)));
    }
    view! { <div class="editor" data-testid="editor" use:build=builder(move |h| host(h, ed.clone()))></div> }
}

/// Puts the editor into its host element and listens for files dropped
/// onto it.
fn host(h: Element, ed: Ed) {
    h.append_child(&ed.body).ok();
    h.append_child(&ed.info).ok();
    ed.listen(&h, &["dragover", "dragleave", "drop"]);
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
