//! Client lanes: one per client the script (or the console) used: what it
//! sent and got back, whether it is blocked (on what, since and until
//! when), its subscriptions, its MULTI queue and WATCHed keys. A message
//! or a wake-up flies from the sender's lane to the receiver's.
//!
//! Drawn with plain DOM calls ([`crate::viz::dom`]): a lane's row is
//! redrawn only when the lane changed, and what flew in is drawn once per
//! action (a repeat animates again).

use leptos::html::Section;
use leptos::prelude::*;
use web_sys::Element;

use crate::format;
use crate::runner::{Flight, Lane, Traffic};
use crate::state::Playground;
use crate::viz::dom::{attr, effect, el, flag, text, Dom};

#[component]
pub fn Lanes(pg: Playground) -> impl IntoView {
    let root = NodeRef::<Section>::new();
    let drawn = StoredValue::new_local(None::<Drawn>);
    effect(Box::new(move || {
        let Some(root) = root.get() else { return };
        let start = pg.start.get_untracked();
        drawn.update_value(|d| {
            let d = d.get_or_insert_with(|| Drawn::new(&root));
            pg.lanes.with(|lanes| {
                pg.flights
                    .with(|(id, flights)| d.draw(lanes, *id, flights, start))
            });
        });
    }));
    view! { <section class="panel lanes" aria-labelledby="lanes-title" node_ref=root></section> }
}

/// The lanes on the page, to redraw only what changed.
struct Drawn {
    empty: Element,
    list: Element,
    rows: Vec<(Lane, Element)>,
    /// The id of the flights drawn last.
    flights: u64,
}

impl Drawn {
    fn new(root: &Element) -> Drawn {
        let head = root.add(el("header", "panel-head"));
        attr(&head.add(text("h2", "", "Clients")), "id", "lanes-title");
        let empty = root.add(text(
            "p",
            "empty",
            "Each client of the script gets a lane here once it sends a command.",
        ));
        let list = root.add(el("ul", "lane-list"));
        attr(&list, "data-testid", "lanes");
        Drawn {
            empty,
            list,
            rows: Vec::new(),
            flights: 0,
        }
    }

    fn draw(&mut self, lanes: &[Lane], id: u64, flights: &[Flight], start: u64) {
        flag(&self.empty, "hidden", !lanes.is_empty());
        let mut old = std::mem::take(&mut self.rows).into_iter();
        for lane in lanes {
            let row = match old.next() {
                Some((was, e)) if was == *lane => e,
                Some((_, e)) => {
                    let fresh = lane_element(lane, start);
                    e.replace_with_with_node_1(&fresh).ok();
                    fresh
                }
                None => self.list.add(lane_element(lane, start)),
            };
            self.rows.push((lane.clone(), row));
        }
        old.for_each(|(_, e)| e.remove());
        if id == self.flights {
            return;
        }
        self.flights = id;
        let id = id.to_string();
        for (index, (lane, row)) in self.rows.iter().enumerate() {
            let Some(box_) = row.last_element_child() else {
                continue;
            };
            box_.set_text_content(None);
            for f in flights {
                let (from, to, label) = match f {
                    Flight::Message {
                        from,
                        to,
                        channel,
                        pattern,
                    } => {
                        let via = pattern
                            .as_ref()
                            .map(|p| format!(" via {p}"))
                            .unwrap_or_default();
                        (from, to, format!("✉ {channel}{via}"))
                    }
                    Flight::Wake { from, to, key } => (from, to, format!("⚡ woken by {key}")),
                };
                if *to != lane.name {
                    continue;
                }
                let dy = from
                    .as_ref()
                    .and_then(|n| lanes.iter().position(|l| &l.name == n))
                    .map_or(0, |f| f as i64 - index as i64);
                let span = box_.add(text("span", "flight", &label));
                attr(&span, "style", &format!("--dy: {dy}"));
                attr(&span, "data-testid", "flight");
                attr(&span, "data-flight", &id);
            }
        }
    }
}

/// A tag in a lane's state line.
fn tag(parent: &Element, class: &str, testid: &str, t: &str) -> Element {
    let c = parent.add(text("span", class, t));
    attr(&c, "data-testid", testid);
    c
}

fn lane_element(lane: &Lane, start: u64) -> Element {
    let li = el("li", "lane");
    attr(&li, "data-testid", "lane");
    attr(&li, "data-client", &lane.name);
    li.add(text("span", "lane-name", &lane.name));
    let state = li.add(el("div", "lane-state"));
    if let Some(b) = &lane.blocked {
        let since = format::clock(b.since.saturating_sub(start));
        let until = match b.until {
            Some(at) => format!("until {}", format::clock(at.saturating_sub(start))),
            None => "no timeout".to_string(),
        };
        tag(
            &state,
            "tag tag-blocked",
            "lane-blocked",
            &format!(
                "⏳ {} {} · since {since} · {until}",
                b.command.to_uppercase(),
                b.keys.join(" ")
            ),
        );
    }
    if !lane.subscriptions.is_empty() {
        tag(
            &state,
            "tag tag-sub",
            "lane-subs",
            &format!("subscribed: {}", lane.subscriptions.join(", ")),
        );
    }
    if let Some(q) = &lane.queued {
        let s = if q.len() == 1 { "" } else { "s" };
        let c = tag(
            &state,
            "tag tag-multi",
            "lane-multi",
            &format!("MULTI · {} queued command{s}", q.len()),
        );
        attr(&c, "title", &q.join("\n"));
    }
    if !lane.watching.is_empty() {
        tag(
            &state,
            "tag tag-watch",
            "lane-watch",
            &format!("WATCH {}", lane.watching.join(" ")),
        );
    }
    // The latest exchange, readable from its start: the last command sent,
    // its reply, and the newest push after it. The whole history is the
    // list's tooltip.
    let traffic = li.add(el("ol", "lane-traffic"));
    let item = |t: &Traffic| match t {
        Traffic::Sent(cmd) => ("sent", format!("→ {cmd}")),
        Traffic::Got {
            text: got,
            error,
            pushed,
        } => (
            match (*error, *pushed) {
                (true, true) => "got error pushed",
                (true, false) => "got error",
                (false, true) => "got pushed",
                (false, false) => "got",
            },
            format!("← {}", got.replace('\n', " ")),
        ),
    };
    let items: Vec<_> = lane.traffic.iter().map(item).collect();
    let sent = items.iter().rposition(|(class, _)| *class == "sent");
    let reply = sent.map(|s| s + 1).filter(|&r| r < items.len());
    let last = items.len().checked_sub(1);
    let newest = last.filter(|&l| Some(l) != sent && Some(l) != reply);
    for i in [sent, reply, newest].into_iter().flatten() {
        let (class, t) = &items[i];
        traffic.add(text("li", class, t));
    }
    if !items.is_empty() {
        let all: Vec<&str> = items.iter().map(|(_, t)| t.as_str()).collect();
        attr(&traffic, "title", &all.join("\n"));
    }
    attr(&li.add(el("div", "lane-flights")), "aria-live", "polite");
    li
}
