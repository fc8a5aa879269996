//! The transcript: each line that ran with the replies it caused, in the
//! format of shared/transcript.md (`[name]` before each block once the
//! script names a client); what the clock caused is listed at its time.
//!
//! Drawn with plain DOM calls ([`crate::viz::dom`]): an entry's element is
//! kept while it stays in the list (entries never change once run), and
//! the replies and commands go in as text, never as markup.

use std::collections::HashMap;

use leptos::html::Section;
use leptos::prelude::*;
use web_sys::Element;

use crate::format;
use crate::runner::{Entry, Source};
use crate::state::Playground;
use crate::viz::dom::{attr, effect, el, flag, text, Dom};

#[component]
pub fn Transcript(pg: Playground) -> impl IntoView {
    let root = NodeRef::<Section>::new();
    let drawn = StoredValue::new_local(None::<Drawn>);
    effect(Box::new(move || {
        let Some(root) = root.get() else { return };
        // Headers once any client other than default appears.
        let named = pg
            .lanes
            .with(|l| l.iter().any(|l| l.name != engine::script::DEFAULT_CLIENT));
        let start = pg.start.get_untracked();
        drawn.update_value(|d| {
            let d = d.get_or_insert_with(|| Drawn::new(&root));
            pg.transcript
                .with(|(shown, all)| d.draw(shown, *all, named, start));
        });
    }));
    view! {
        <section class="panel transcript" aria-labelledby="transcript-title" node_ref=root></section>
    }
}

/// The transcript's parts, and the entries on the page by id.
struct Drawn {
    meta: Element,
    empty: Element,
    more: Element,
    list: Element,
    entries: HashMap<u64, Element>,
    named: bool,
}

impl Drawn {
    fn new(root: &Element) -> Drawn {
        let head = root.add(el("header", "panel-head"));
        attr(
            &head.add(text("h2", "", "Transcript")),
            "id",
            "transcript-title",
        );
        let meta = head.add(el("span", "meta"));
        let empty = root.add(text(
            "p",
            "empty",
            "Run the script, or Step through it line by line.",
        ));
        let more = root.add(el("p", "more"));
        let list = root.add(el("ol", "transcript-list"));
        attr(&list, "data-testid", "transcript");
        Drawn {
            meta,
            empty,
            more,
            list,
            entries: HashMap::new(),
            named: false,
        }
    }

    fn draw(&mut self, shown: &[Entry], all: usize, named: bool, start: u64) {
        self.meta.set_text_content(Some(&format!("{all} entries")));
        flag(&self.empty, "hidden", all != 0);
        let hidden = all - shown.len();
        flag(&self.more, "hidden", hidden == 0);
        self.more
            .set_text_content(Some(&format!("{hidden} earlier entries not shown")));
        if named != self.named {
            self.named = named;
            self.entries.clear();
        }
        let mut old = std::mem::take(&mut self.entries);
        self.list.set_text_content(None);
        let last = shown.last().and_then(|e| e.line);
        for entry in shown {
            let li = old
                .remove(&entry.id)
                .unwrap_or_else(|| entry_element(entry, named, start));
            li.class_list()
                .toggle_with_force("last", last.is_some() && entry.line == last)
                .ok();
            self.entries.insert(entry.id, self.list.add(li));
        }
        let list = self.list.clone();
        request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
    }
}

fn entry_element(entry: &Entry, named: bool, start: u64) -> Element {
    let source = match entry.source {
        Source::Script => "t-entry script",
        Source::Console => "t-entry console",
        Source::Clock => "t-entry clock",
    };
    let head = match (entry.source, &entry.command) {
        (Source::Clock, _) => format!("⏱ {}", format::clock(entry.at.saturating_sub(start))),
        (_, Some(command)) => match entry.client.as_deref() {
            Some(c) if c != engine::script::DEFAULT_CLIENT => format!("{c}> {command}"),
            _ => command.clone(),
        },
        _ => String::new(),
    };
    let number = match (entry.source, entry.line) {
        (Source::Script, Some(n)) => n.to_string(),
        (Source::Console, _) => "›".to_string(),
        _ => String::new(),
    };
    let li = el("li", source);
    attr(&li, "data-testid", "transcript-entry");
    attr(
        &li.add(text("span", "t-line", &number)),
        "aria-hidden",
        "true",
    );
    let body = li.add(el("div", "t-body"));
    body.add(text("code", "t-command", &head));
    for r in &entry.replies {
        let pre = body.add(el("pre", if r.error { "reply error" } else { "reply" }));
        attr(&pre, "data-testid", "transcript-reply");
        if named {
            pre.set_text_content(Some(&format!("[{}]\n{}", r.client, r.text)));
        } else {
            pre.set_text_content(Some(&r.text));
        }
    }
    li
}
