//! The console: the log of commands and replies (redis-cli's exact text),
//! and the input with its history.
//!
//! Drawn with plain DOM calls (`viz/dom.rs`): a constant skeleton (no
//! user text), the log's entries added and removed by id as the log
//! changes (up to 1,000 of them: none is redrawn), one listener per event
//! type on the section, reading `data-act` from what was clicked.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, KeyboardEvent};

use crate::format::clip;
use crate::log::{Entry, Line};
use crate::state::Playground;
use crate::viz::dom::{attr, build, builder, effect, el, on, text, Dom, Listener};

/// Replies longer than this show their head and a "Show all" button.
const CLIP_CHARS: usize = 2_000;
const CLIP_LINES: usize = 40;

/// The console's constant markup (no user text).
const SKELETON: &str = "<header class=\"panel-head\"><h2 id=\"console-title\">Console</h2>\
<button type=\"button\" class=\"btn btn-quiet\" title=\"Clear the log (the history stays)\" data-act=\"clear\">Clear log</button></header>\
<div class=\"log\" role=\"log\" aria-label=\"Output\" data-testid=\"log\" tabindex=\"0\"></div>\
<form class=\"prompt-row\"><select class=\"as-client\" aria-label=\"Run as client\" title=\"The client the command runs as\" data-testid=\"console-client\"></select>\
<span class=\"prompt\" aria-hidden=\"true\">&gt;</span>\
<input class=\"command\" type=\"text\" aria-label=\"Command\" placeholder=\"SET greeting hello EX 5\" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" enterkeyhint=\"send\">\
<button type=\"submit\" class=\"btn btn-primary\" title=\"Run the command (Enter)\">Send</button></form>\
<p class=\"keys-hint\"><kbd>Enter</kbd> runs · <kbd>↑</kbd><kbd>↓</kbd> history · <code>name&gt; CMD</code> runs as another client</p>";

/// The console's parts and what its log shows.
#[derive(Clone)]
struct Con {
    pg: Playground,
    log: Element,
    input: HtmlInputElement,
    select: HtmlInputElement,
    empty: Element,
    note: Element,
    /// The entries drawn, and the client names the select holds.
    drawn: StoredValue<Drawn, LocalStorage>,
    clients: StoredValue<String, LocalStorage>,
}

/// Drawn entries: (id, its elements).
type Drawn = Vec<(u64, Vec<Element>)>;

/// A reply's text: the receiver (when not the sender), then `shown`.
fn fill_reply(pre: &Element, client: Option<&str>, shown: &str) {
    pre.set_text_content(None);
    if let Some(c) = client {
        pre.add(text("span", "receiver", &format!("[{c}]\n")));
    }
    pre.append_with_str_1(shown).ok();
}

/// A reply's text without its last newline, and its clipped head.
fn reply_parts(text: &str) -> (&str, Option<(String, usize)>) {
    let text = text.strip_suffix('\n').unwrap_or(text);
    (text, clip(text, CLIP_CHARS, CLIP_LINES))
}

fn more_label(hidden: usize) -> String {
    format!("Show all ({hidden} more characters)")
}

/// One log entry's elements.
fn entry_view(e: &Entry) -> Vec<Element> {
    let restored = if e.restored { " restored" } else { "" };
    match &e.line {
        Line::Command { client, text: t } => {
            let div = el("div", &format!("cmd{restored}"));
            attr(&div, "data-testid", "command");
            let prompt = match client {
                Some(c) => format!("{c}> "),
                None => "> ".into(),
            };
            attr(
                &div.add(text("span", "prompt", &prompt)),
                "aria-hidden",
                "true",
            );
            // A pasted megabyte stays in the history whole; the log shows its head.
            match clip(t, CLIP_CHARS, CLIP_LINES) {
                Some((head, hidden)) => div
                    .append_with_str_1(&format!("{head} … ({hidden} more characters)"))
                    .ok(),
                None => div.append_with_str_1(t).ok(),
            };
            vec![div]
        }
        Line::Reply {
            client,
            text: t,
            error,
        } => {
            let error = if *error { " error" } else { "" };
            let pre = el("pre", &format!("reply{error}{restored}"));
            attr(&pre, "data-testid", "reply");
            let (whole, clipped) = reply_parts(t);
            let shown = clipped.as_ref().map_or(whole, |(head, _)| head);
            fill_reply(&pre, client.as_deref(), shown);
            let mut out = vec![pre];
            if let Some((_, hidden)) = clipped {
                let b = text("button", "btn btn-quiet expand", &more_label(hidden));
                attr(&b, "type", "button");
                attr(&b, "data-act", "more");
                attr(&b, "data-id", &e.id.to_string());
                out.push(b);
            }
            out
        }
        Line::Notice { text: t } => {
            let p = text("p", &format!("notice{restored}"), t);
            attr(&p, "data-testid", "notice");
            vec![p]
        }
        Line::Comment { text: t } => vec![text("p", &format!("comment{restored}"), t)],
    }
}

impl Con {
    /// Adds and removes entries so the log shows `pg.log`, places the
    /// restore note and the empty hint, and scrolls to the newest line.
    fn draw(&self) {
        self.drawn.update_value(|d| self.draw_log(d));
        // Keep the newest line in view.
        let log = self.log.clone();
        request_animation_frame(move || log.set_scroll_top(log.scroll_height()));
    }

    fn draw_log(&self, drawn: &mut Drawn) {
        let pg = self.pg;
        pg.log.with(|log| {
            // The log only grows at the end and drops from the front; any
            // other change redraws from the first difference.
            let first = log.first().map(|e| e.id);
            let gone = drawn
                .iter()
                .position(|(id, _)| Some(*id) == first)
                .unwrap_or(drawn.len());
            let same = drawn[gone..]
                .iter()
                .zip(log)
                .take_while(|((id, _), e)| *id == e.id)
                .count();
            for (_, nodes) in drawn.drain(..gone) {
                nodes.iter().for_each(Element::remove);
            }
            for (_, nodes) in drawn.drain(same..) {
                nodes.iter().for_each(Element::remove);
            }
            for e in &log[same..] {
                let nodes = entry_view(e);
                for n in &nodes {
                    self.log.add(n.clone());
                }
                drawn.push((e.id, nodes));
            }
            let note = pg.restore_note.get();
            self.note.remove();
            if let Some((after, t)) = &note {
                self.note.set_text_content(Some(t));
                let at = match after {
                    None => drawn.first().and_then(|(_, n)| n.first()),
                    Some(id) => drawn
                        .iter()
                        .position(|(i, _)| i == id)
                        .and_then(|p| drawn.get(p + 1))
                        .and_then(|(_, n)| n.first()),
                };
                let shown = after.is_none() || drawn.iter().any(|(i, _)| Some(*i) == *after);
                if shown {
                    self.log.insert_before(&self.note, at.map(|e| &**e)).ok();
                }
            }
            if log.is_empty() && note.is_none() {
                self.log.prepend_with_node_1(&self.empty).ok();
            } else {
                self.empty.remove();
            }
        });
    }

    fn run(&self) {
        self.pg.submit(&self.input.value());
        // The signal may already be empty; the element must follow.
        self.input.set_value("");
    }

    fn show(&self, text: String) {
        self.input.set_value(&text);
        let end = text.encode_utf16().count() as u32;
        let _ = self.input.set_selection_range(end, end);
        self.pg.set_draft(text);
    }

    /// Every listener of the console: one function, by event type.
    fn handle(&self, ev: Event) {
        let pg = self.pg;
        let target: Option<Element> = ev.target().and_then(|t| t.dyn_into().ok());
        let on_input = target.as_ref().is_some_and(|t| t.class_name() == "command");
        match ev.type_().as_str() {
            "submit" => {
                ev.prevent_default();
                self.run();
            }
            "input" if on_input => pg.set_draft(self.input.value()),
            "change" if !on_input => pg.console_client.set(self.select.value()),
            "keydown" if on_input => {
                let ev: &KeyboardEvent = ev.unchecked_ref();
                if ev.is_composing() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
                    return;
                }
                let text = match ev.key().as_str() {
                    "Enter" => {
                        ev.prevent_default();
                        return self.run();
                    }
                    "ArrowUp" => pg.history_up(&self.input.value()),
                    "ArrowDown" => pg.history_down(),
                    _ => None,
                };
                if let Some(text) = text {
                    ev.prevent_default();
                    self.show(text);
                }
            }
            "click" => {
                let Some(b) = target.and_then(|t| t.closest("[data-act]").ok().flatten()) else {
                    return;
                };
                if b.get_attribute("data-act").as_deref() == Some("clear") {
                    return pg.clear_log();
                }
                // Show all / Show less of a long reply.
                let id = b
                    .get_attribute("data-id")
                    .and_then(|i| i.parse::<u64>().ok());
                let Some(pre) = b.previous_element_sibling() else {
                    return;
                };
                let expand = b.text_content().is_some_and(|t| t.starts_with("Show all"));
                pg.log.with_untracked(|log| {
                    let Some(Line::Reply {
                        client, text: t, ..
                    }) = log.iter().find(|e| Some(e.id) == id).map(|e| &e.line)
                    else {
                        return;
                    };
                    let (whole, clipped) = reply_parts(t);
                    let Some((head, hidden)) = clipped else {
                        return;
                    };
                    fill_reply(&pre, client.as_deref(), if expand { whole } else { &head });
                    b.set_text_content(Some(&if expand {
                        "Show less".to_string()
                    } else {
                        more_label(hidden)
                    }));
                });
            }
            _ => {}
        }
    }

    /// The clients the console can run as: the default, the lanes', and
    /// the current one.
    fn draw_clients(&self) {
        let pg = self.pg;
        let mut names = vec![engine::script::DEFAULT_CLIENT.to_string()];
        pg.lanes.with(|lanes| {
            for lane in lanes {
                if !names.contains(&lane.name) {
                    names.push(lane.name.clone());
                }
            }
        });
        let current = pg.console_client.get();
        if !names.contains(&current) {
            names.push(current.clone());
        }
        let key = names.join("\n");
        if self.clients.with_value(|c| *c != key) {
            self.select.set_text_content(None);
            for n in &names {
                let o = self.select.add(text("option", "", n));
                attr(&o, "value", n);
            }
            self.clients.set_value(key);
        }
        self.select.set_value(&current);
    }

    /// Ready to type on arrival, where there is a keyboard (on a touch
    /// screen, focusing would pop the on-screen keyboard over the page).
    /// Runs once: it reads no signal.
    fn focus(&self) {
        let fine_pointer = window()
            .match_media("(pointer: fine)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if fine_pointer {
            // Without scrolling: the scenario's story stays in view.
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = self.input.focus_with_options(&options);
        }
    }

    fn sync_draft(&self) {
        let draft = self.pg.draft.get();
        if self.input.value() != draft {
            self.input.set_value(&draft);
        }
    }
}

/// Builds the console into its section, at once (a test, or a user,
/// may type before any effect runs).
fn mount(root: Element, pg: Playground) {
    root.set_inner_html(SKELETON);
    let find = |s: &str| root.query_selector(s).ok().flatten().expect("the skeleton");
    let empty = el("p", "empty");
    empty.append_with_str_1("Type a command below, e.g. ").ok();
    empty.add(text("code", "", "SET greeting hello EX 5"));
    let note = el("p", "restore-note");
    attr(&note, "data-testid", "restore-note");
    let con = Con {
        pg,
        log: find(".log"),
        input: find(".command").unchecked_into(),
        select: find(".as-client").unchecked_into(),
        empty,
        note,
        drawn: StoredValue::new_local(Drawn::new()),
        clients: StoredValue::new_local(String::new()),
    };
    let keep = StoredValue::new_local(Vec::<Listener>::new());
    for event in ["submit", "input", "change", "keydown", "click"] {
        let c = con.clone();
        let l = on(&root, event, Box::new(move |e| c.handle(e)));
        keep.update_value(|k| k.push(l));
    }
    // One effect type for every redraw.
    let redraws: [fn(&Con); 4] = [Con::draw, Con::draw_clients, Con::sync_draft, Con::focus];
    for f in redraws {
        let c = con.clone();
        effect(Box::new(move || f(&c)));
    }
}

#[component]
pub fn Console(pg: Playground) -> impl IntoView {
    view! { <section class="panel console" aria-labelledby="console-title" use:build=builder(move |root| mount(root, pg))></section> }
}
