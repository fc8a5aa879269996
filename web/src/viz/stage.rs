//! The [`Stage`] component: one card per key on stage (a view per data
//! type, its TTL ring, clients waiting on it), the keys that just left
//! fading out with their cause, and the pub/sub graph.
//!
//! The cards are built with plain DOM calls ([`dom`]) rather than `view!`:
//! a dozen visualizations written as typed views cost the wasm ~100 KB
//! gzipped of generic rendering code; these few functions cost a fraction.
//! Everything the user typed goes in as text nodes or attribute values
//! (`set_text_content`, `set_attribute`), never as markup. A card is
//! redrawn only when its model changed; a leaderboard's rows are kept per
//! member and moved, so a rank change slides (CSS: 150–300 ms ease-out,
//! `prefers-reduced-motion` swaps motion for a brief highlight). The TTL
//! rings and waiting times follow the clock without redrawing the cards.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use web_sys::Element;

use super::dom::{attr, build, builder, effect, el, svg, text, Dom};
use super::geo::{self, Plot, Shape};
use super::model::{Card, Kind, StageModel, View};
use crate::format;

/// Height of one leaderboard row, px (the CSS agrees).
const ROW_PX: usize = 30;

#[component]
pub fn Stage(
    #[prop(into)] model: Signal<StageModel>,
    #[prop(into)] now: Signal<u64>,
) -> impl IntoView {
    view! {
        <section class="panel viz" aria-labelledby="viz-title" data-testid="stage" use:build=builder(move |s| mount(s, model, now))></section>
    }
}

/// The panel's head and body, and the two effects that draw the cards
/// (on a model change) and follow the clock (rings, waiting times).
fn mount(section: Element, model: Signal<StageModel>, now: Signal<u64>) {
    let head = section.add(el("header", "panel-head"));
    head.add(text("h2", "", "Stage")).set_id("viz-title");
    let meta = head.add(el("span", "meta"));
    let body = section.add(el("div", "viz-body"));
    let drawn = Rc::new(RefCell::new(Drawn::default()));
    let d = drawn.clone();
    effect(Box::new(move || {
        let t = now.get_untracked();
        model.with(|m| {
            meta.set_text_content(Some(&summary(m)));
            d.borrow_mut().draw(&body, m, t);
        });
    }));
    effect(Box::new(move || {
        let t = now.get();
        drawn.borrow().tick(t);
    }));
}

/// The head's count: "db 0 · 3 keys", or how many of them are shown.
fn summary(m: &StageModel) -> String {
    let shown = m.cards.iter().filter(|c| c.exists).count();
    let s = if m.keys_total == 1 { "" } else { "s" };
    if shown < m.keys_total {
        format!(
            "db {} · {shown} of {} key{s}, latest first",
            m.db, m.keys_total
        )
    } else {
        format!("db {} · {} key{s}", m.db, m.keys_total)
    }
}

/// What is on the page, to redraw only what changed.
#[derive(Default)]
struct Drawn {
    /// (label, card, element) per card: a dozen, so a list, not a map.
    cards: Vec<(String, (Card, Element))>,
    list: Option<Element>,
    empty: Option<Element>,
    tail: Option<Element>,
    /// (ring circle, text, expire_at, total) per volatile card.
    rings: Vec<(Element, Element, u64, u64)>,
    /// (text, since) per waiting client.
    waits: Vec<(Element, u64)>,
}

impl Drawn {
    fn draw(&mut self, root: &Element, m: &StageModel, now: u64) {
        let list = self.list.get_or_insert_with(|| {
            let empty = text(
                "p",
                "empty",
                "Run the script, or type a command below: the keys it touches appear here.",
            );
            root.append_child(&empty).ok();
            self.empty = Some(empty);
            let list = el("div", "viz-cards");
            root.append_child(&list).ok();
            list
        });
        let list = list.clone();
        if let Some(e) = &self.empty {
            let nothing = m.cards.is_empty()
                && m.ghosts.is_empty()
                && m.blocked.is_empty()
                && m.pubsub.subs.is_empty()
                && m.pubsub.messages.is_empty();
            e.toggle_attribute_with_force("hidden", !nothing).ok();
        }
        // Cards: kept when unchanged, redrawn when changed, in model order.
        let mut old = std::mem::take(&mut self.cards);
        let mut at = list.first_element_child();
        for card in &m.cards {
            let element = match take(&mut old, &card.label) {
                Some((was, e)) if was == *card => e,
                Some((was, e)) if was.kind == card.kind && was.exists == card.exists => {
                    update_card(&e, &was, card);
                    e
                }
                Some((_, e)) => {
                    let fresh = card_element(card);
                    e.replace_with_with_node_1(&fresh).ok();
                    fresh
                }
                None => card_element(card),
            };
            if at.as_ref() != Some(&element) {
                list.insert_before(&element, at.as_ref().map(|e| e.as_ref()))
                    .ok();
            } else {
                at = element.next_element_sibling();
            }
            self.cards
                .push((card.label.clone(), (card.clone(), element)));
        }
        for (_, (_, e)) in old {
            e.remove();
        }
        // Ghosts, the pub/sub graph: redrawn after the cards.
        if let Some(t) = self.tail.take() {
            t.remove();
        }
        let tail = el("div", "viz-tail");
        for g in &m.ghosts {
            let card = el(
                "div",
                &format!("viz-card viz-ghost h-{}", g.kind.map_or("other", Kind::hue)),
            );
            attr(&card, "data-testid", "ghost");
            attr(&card, "data-key", &g.label);
            // Only a ghost born in this build animates its fade from the start.
            if g.at != m.now {
                card.class_list().add_1("settled").ok();
            }
            let head = card.add(el("div", "viz-head"));
            head.add(text("span", "viz-key", &g.label));
            head.add(text("span", "viz-cause", &g.cause));
            tail.add(card);
        }
        if m.more_ghosts > 0 {
            tail.add(text(
                "p",
                "more",
                &format!("… and {} more keys removed", m.more_ghosts),
            ));
        }
        if let Some(ps) = pubsub(m) {
            tail.add(ps);
        }
        root.append_child(&tail).ok();
        self.tail = Some(tail);
        self.collect_clocks();
        self.tick(now);
    }

    /// Finds the rings and waiting times to follow the clock.
    fn collect_clocks(&mut self) {
        self.rings.clear();
        self.waits.clear();
        for (_, (card, e)) in &self.cards {
            if let (Some(at), Some(total)) = (card.expire_at, card.ttl_total) {
                if let (Some(ring), Some(t)) = (find(e, ".ring"), find(e, ".viz-ttl-text")) {
                    self.rings.push((ring, t, at, total));
                }
            }
            let waits = e.query_selector_all(".viz-wait").ok();
            for (i, w) in card.waiting.iter().enumerate() {
                if let Some(node) = waits.as_ref().and_then(|l| l.item(i as u32)) {
                    use wasm_bindgen::JsCast;
                    if let Ok(node) = node.dyn_into::<Element>() {
                        self.waits.push((node, w.since));
                    }
                }
            }
        }
    }

    fn tick(&self, now: u64) {
        for (ring, t, at, total) in &self.rings {
            let left = at.saturating_sub(now);
            // Per mille in integers (pathLength 1000): no float formatting.
            let per_mille = left.min(*total).saturating_mul(1000) / (*total).max(1);
            attr(ring, "stroke-dashoffset", &(1000 - per_mille).to_string());
            t.set_text_content(Some(&format::ttl(left)));
            if let Some(p) = t.parent_element() {
                attr(
                    &p,
                    "aria-label",
                    &format!("expires in {}", format::ttl(left)),
                );
            }
        }
        for (w, since) in &self.waits {
            w.set_text_content(Some(&format::ttl(now.saturating_sub(*since).max(1))));
        }
    }
}

/// Removes and returns the first entry labelled `label`.
fn take<T>(list: &mut Vec<(String, T)>, label: &str) -> Option<T> {
    let i = list.iter().position(|(l, _)| l == label)?;
    Some(list.swap_remove(i).1)
}

fn find(e: &Element, selector: &str) -> Option<Element> {
    e.query_selector(selector).ok().flatten()
}

/// A card drawn whole.
fn card_element(c: &Card) -> Element {
    let card = el("article", &format!("viz-card h-{}", c.kind.hue()));
    if !c.exists {
        card.class_list().add_1("absent").ok();
    }
    attr(&card, "data-testid", "card");
    attr(&card, "data-key", &c.label);
    attr(&card, "data-kind", c.kind.name());
    fill_card(&card, c, None);
    card
}

/// Redraws a card in place; a leaderboard keeps its rows.
fn update_card(card: &Element, was: &Card, c: &Card) {
    fill_card(card, c, Some(was));
}

fn fill_card(card: &Element, c: &Card, was: Option<&Card>) {
    // A kept zset list, to move its rows rather than redraw them.
    let kept_zset = match (was.map(|w| &w.view), &c.view) {
        (Some(View::ZSet { .. }), View::ZSet { .. }) => find(card, ".viz-zset"),
        _ => None,
    };
    if let Some(z) = &kept_zset {
        z.remove();
    }
    card.set_text_content(None);
    card.add(head(c));
    match &c.view {
        View::Str { text: t, cut } => {
            let p = card.add(el("p", "viz-str"));
            attr(&p, "title", t);
            p.add(text("span", "viz-quote", t));
            if *cut {
                p.add(text("span", "viz-cut", " (cut)"));
            }
        }
        View::Counter { value, delta } => {
            let p = card.add(el(
                "p",
                if delta.is_some() {
                    "viz-counter tick"
                } else {
                    "viz-counter"
                },
            ));
            let n = p.add(text("span", "viz-number", &value.to_string()));
            attr(&n, "data-testid", "counter");
            if let Some(d) = delta {
                let d = if *d >= 0 {
                    format!("+{d}")
                } else {
                    d.to_string()
                };
                p.add(text("span", "viz-delta", &d));
            }
        }
        View::Bits { bits, ones } => {
            let grid = card.add(el("div", "viz-bits"));
            attr(&grid, "role", "img");
            attr(&grid, "aria-label", &format!("{ones} bits set"));
            for (i, b) in bits.iter().enumerate() {
                let cell = grid.add(el("span", if *b { "bit on" } else { "bit" }));
                attr(&cell, "title", &format!("bit {i}: {}", u8::from(*b)));
            }
            card.add(text(
                "p",
                "viz-note",
                &format!("{ones} set · BITCOUNT {ones}"),
            ));
        }
        View::Hll {
            estimate,
            nonzero,
            sparse,
            groups,
        } => {
            let p = card.add(el("p", "viz-estimate"));
            let n = p.add(text("span", "viz-number", &format!("≈ {estimate}")));
            attr(&n, "data-testid", "estimate");
            let enc = if *sparse { "sparse" } else { "dense" };
            p.add(text(
                "span",
                "viz-note",
                &format!("{nonzero} of 16384 registers set · {enc}"),
            ));
            let grid = card.add(el("div", "viz-registers"));
            attr(&grid, "role", "img");
            attr(&grid, "aria-label", "registers, the largest of each 64");
            let top = u32::from(groups.iter().copied().max().unwrap_or(0).max(1));
            for &g in groups {
                let level = if g == 0 {
                    0
                } else {
                    (u32::from(g) * 4 / top).max(1)
                };
                grid.add(el("span", &format!("reg l{level}")));
            }
        }
        View::Hash { rows } => {
            let table = card.add(el("table", "viz-hash"));
            let body = table.add(el("tbody", ""));
            for r in rows {
                let tr = body.add(el("tr", if r.changed { "flash" } else { "" }));
                attr(&tr, "data-testid", "field");
                let th = tr.add(text("th", "", &r.name));
                attr(&th, "scope", "row");
                attr(&th, "title", &r.name);
                let td = tr.add(text("td", "", &r.value));
                attr(&td, "title", &r.value);
            }
        }
        View::List { items, popped } => {
            let wrap = card.add(el("div", "viz-list-wrap"));
            wrap.add(text("span", "viz-end", "head"));
            let ol = wrap.add(el("ol", "viz-list"));
            attr(&ol, "data-testid", "list");
            for (t, _) in popped.iter().filter(|p| p.1) {
                attr(
                    &ol.add(text("li", "cell leave-head", t)),
                    "aria-hidden",
                    "true",
                );
            }
            for it in items {
                let class = match (it.new, it.at_head) {
                    (true, true) => "cell enter-head",
                    (true, false) => "cell enter-tail",
                    _ => "cell",
                };
                attr(&ol.add(text("li", class, &it.text)), "title", &it.text);
            }
            if c.len > items.len() {
                ol.add(text(
                    "li",
                    "cell more-cell",
                    &format!("+{}", c.len - items.len()),
                ));
            }
            for (t, _) in popped.iter().filter(|p| !p.1) {
                attr(
                    &ol.add(text("li", "cell leave-tail", t)),
                    "aria-hidden",
                    "true",
                );
            }
            wrap.add(text("span", "viz-end", "tail"));
        }
        View::Set { members } => {
            let ul = card.add(el("ul", "viz-set"));
            for m in members {
                let class = match (m.result, m.new) {
                    (true, _) => "chip result",
                    (false, true) => "chip enter",
                    _ => "chip",
                };
                let chip = ul.add(text("li", class, &m.text));
                attr(&chip, "data-testid", "member");
                attr(&chip, "title", &m.text);
            }
        }
        View::ZSet { rows } => {
            let ol = kept_zset.unwrap_or_else(|| {
                let ol = el("ol", "viz-zset");
                attr(&ol, "data-testid", "zset");
                ol
            });
            card.add(ol.clone());
            attr(&ol, "style", &format!("height: {}px", rows.len() * ROW_PX));
            let mut old: Vec<(String, Element)> = Vec::new();
            let kids = ol.children();
            for i in 0..kids.length() {
                if let Some(k) = kids.item(i) {
                    if let Some(m) = k.get_attribute("data-member") {
                        old.push((m, k));
                    }
                }
            }
            for r in rows {
                let li = take(&mut old, &r.member).unwrap_or_else(|| {
                    let li = ol.add(el("li", "zrow"));
                    attr(&li, "data-testid", "zrow");
                    attr(&li, "data-member", &r.member);
                    li.add(el("span", "zrank"));
                    let track = li.add(el("span", "zbar-track"));
                    track.add(el("span", "zbar"));
                    attr(
                        &track.add(text("span", "zmember", &r.member)),
                        "title",
                        &r.member,
                    );
                    li.add(el("span", "zscore"));
                    li.add(el("span", "zmove"));
                    li
                });
                li.class_list().toggle_with_force("changed", r.changed).ok();
                attr(&li, "style", &format!("top: {}px", r.rank * ROW_PX));
                let set = |sel: &str, t: &str| {
                    if let Some(e) = find(&li, sel) {
                        e.set_text_content(Some(t));
                    }
                };
                set(".zrank", &format!("#{}", r.rank + 1));
                set(".zscore", &r.score_text);
                let moved = match r.prev_rank {
                    Some(p) if p > r.rank => format!("▲{}", p - r.rank),
                    Some(p) if p < r.rank => format!("▼{}", r.rank - p),
                    _ => String::new(),
                };
                set(".zmove", &moved);
                if let Some(bar) = find(&li, ".zbar") {
                    attr(
                        &bar,
                        "style",
                        &format!("width: {}.{}%", r.bar / 10, r.bar % 10),
                    );
                }
            }
            for (_, gone) in old {
                gone.remove();
            }
        }
        View::Geo { points, search } => {
            card.add(geo_plot(points, search.as_ref()));
        }
        View::Stream { entries, groups } => {
            let ol = card.add(el("ol", "viz-stream"));
            attr(&ol, "data-testid", "stream");
            for e in entries {
                let li = ol.add(el("li", if e.new { "entry enter-tail" } else { "entry" }));
                li.add(text("span", "viz-id", &e.id));
                let f = li.add(text("span", "viz-fields", &e.fields));
                attr(&f, "title", &e.fields);
                for g in groups.iter().filter(|g| g.cursor == e.id) {
                    let cur = li.add(text("span", "viz-cursor", &format!("◂ {}", g.name)));
                    attr(
                        &cur,
                        "title",
                        &format!("group {} last delivered {}", g.name, g.cursor),
                    );
                }
            }
            for g in groups {
                let p = card.add(el("p", "viz-group"));
                attr(&p, "data-testid", "group");
                p.add(text("strong", "", &g.name));
                p.add(text(
                    "span",
                    "viz-note",
                    &format!(" last delivered {}", g.cursor),
                ));
                for (c, ids) in &g.pending {
                    let label = if ids.is_empty() {
                        format!("{c}: nothing pending")
                    } else {
                        format!("{c}: pending {}", ids.join(", "))
                    };
                    p.add(text("span", "viz-pending", &label));
                }
            }
        }
        View::Absent => {
            card.add(text("div", "viz-absent", "(empty)"));
        }
    }
    let shown = match &c.view {
        View::Hash { rows } => Some(rows.len()),
        View::Set { members } => Some(members.len()),
        View::ZSet { rows } => Some(rows.len()),
        View::Geo { points, .. } => Some(points.len()),
        View::Stream { entries, .. } => Some(entries.len()),
        _ => None,
    };
    if let Some(shown) = shown.filter(|&s| c.len > s) {
        card.add(text(
            "p",
            "viz-note",
            &format!("showing {shown} of {}", c.len),
        ));
    }
    if !c.waiting.is_empty() {
        let ul = card.add(el("ul", "viz-waiting"));
        for w in &c.waiting {
            let li = ul.add(el(
                "li",
                if w.at_head {
                    "viz-waiter at-head"
                } else {
                    "viz-waiter"
                },
            ));
            attr(&li, "data-testid", "waiter");
            attr(&li.add(el("span", "viz-pulse")), "aria-hidden", "true");
            let end = if w.at_head {
                "at the head"
            } else {
                "at the tail"
            };
            li.add(text(
                "span",
                "",
                &format!(
                    "{} waits ({} {end}) ",
                    w.name,
                    w.command.to_ascii_uppercase()
                ),
            ));
            li.add(el("span", "viz-wait"));
        }
    }
}

fn head(c: &Card) -> Element {
    let h = el("header", "viz-head");
    h.add(text(
        "span",
        &format!("type t-{}", c.kind.hue()),
        c.kind.name(),
    ));
    attr(&h.add(text("span", "viz-key", &c.label)), "title", &c.label);
    let size = match (&c.view, c.kind) {
        (View::Absent, _) => "no such key yet".to_string(),
        (_, Kind::Str | Kind::Counter | Kind::Bitmap | Kind::Hll) => plural(c.len, "byte"),
        (_, Kind::Hash) => plural(c.len, "field"),
        (_, Kind::Set | Kind::ZSet | Kind::Geo) => plural(c.len, "member"),
        (_, Kind::List) => plural(c.len, "element"),
        (_, Kind::Stream) => match c.len {
            1 => "1 entry".to_string(),
            n => format!("{n} entries"),
        },
    };
    h.add(text("span", "viz-size", &size));
    if let Some(by) = c.written_by {
        h.add(text("span", "viz-by", &by.to_ascii_uppercase()));
    }
    if c.expire_at.is_some() {
        let ttl = h.add(el("span", "viz-ttl"));
        attr(&ttl, "data-testid", "ttl-ring");
        let s = ttl.add(svg("svg"));
        attr(&s, "viewBox", "0 0 24 24");
        attr(&s, "width", "22");
        attr(&s, "height", "22");
        attr(&s, "aria-hidden", "true");
        for class in ["ring-bg", "ring"] {
            let circle = s.add(svg("circle"));
            for (k, v) in [
                ("class", class),
                ("cx", "12"),
                ("cy", "12"),
                ("r", "9"),
                ("pathLength", "1000"),
            ] {
                attr(&circle, k, v);
            }
            attr(&circle, "stroke-dasharray", "1000");
        }
        ttl.add(el("span", "viz-ttl-text"));
    }
    h
}

fn geo_plot(points: &[geo::Point], search: Option<&geo::GeoSearch>) -> Element {
    let plot = Plot::fit(points, search);
    let root = svg("svg");
    attr(&root, "class", "viz-geo");
    attr(
        &root,
        "viewBox",
        &format!("0 0 {} {}", geo::WIDTH, plot.height),
    );
    attr(&root, "role", "img");
    attr(&root, "aria-label", "members by longitude and latitude");
    if let Some(s) = search {
        let g = root.add(svg("g"));
        attr(&g, "data-testid", "geo-search");
        let (cx, cy) = plot.project(s.lon, s.lat);
        let shape = match s.shape {
            Shape::Radius(r) => {
                let c = svg("circle");
                attr(&c, "cx", &cx.to_string());
                attr(&c, "cy", &cy.to_string());
                attr(&c, "r", &plot.metres(r).max(2).to_string());
                c
            }
            Shape::Box { width, height } => {
                let (w, h) = (plot.metres(width).max(2), plot.metres(height).max(2));
                let r = svg("rect");
                attr(&r, "x", &(cx - w / 2).to_string());
                attr(&r, "y", &(cy - h / 2).to_string());
                attr(&r, "width", &w.to_string());
                attr(&r, "height", &h.to_string());
                r
            }
        };
        attr(&shape, "class", "geo-area");
        g.add(shape);
        let centre = g.add(svg("path"));
        attr(&centre, "class", "geo-centre");
        attr(
            &centre,
            "d",
            &format!("M{} {}h8M{} {}v8", cx - 4, cy, cx, cy - 4),
        );
        let label = format!(
            "search from {} {} · {}",
            geo::degrees_text(s.lon),
            geo::degrees_text(s.lat),
            s.label
        );
        g.add(svg_text("title", &label));
    }
    for p in points {
        let (x, y) = plot.project(p.lon, p.lat);
        let g = root.add(svg("g"));
        attr(&g, "class", "geo-point");
        attr(&g, "tabindex", "0");
        attr(&g, "data-testid", "geo-point");
        attr(&g, "data-member", &p.member);
        let mut tip = format!(
            "{}: {} {}",
            p.member,
            geo::degrees_text(p.lon),
            geo::degrees_text(p.lat)
        );
        if let Some(s) = search {
            let d = geo::distance(s.lon, s.lat, p.lon, p.lat);
            tip.push_str(&format!(
                " · {} from the search point",
                geo::distance_text(d)
            ));
        }
        g.add(svg_text("title", &tip));
        let c = g.add(svg("circle"));
        attr(&c, "cx", &x.to_string());
        attr(&c, "cy", &y.to_string());
        attr(&c, "r", "4");
        let t = g.add(svg_text("text", &p.member));
        // Labels in the right third go left of their point, not off the plot.
        if x > geo::WIDTH * 2 / 3 {
            attr(&t, "x", &(x - 7).to_string());
            attr(&t, "text-anchor", "end");
        } else {
            attr(&t, "x", &(x + 7).to_string());
        }
        attr(&t, "y", &(y + 4).to_string());
    }
    root
}

fn svg_text(tag: &str, t: &str) -> Element {
    let e = svg(tag);
    e.set_text_content(Some(t));
    e
}

/// Pub/sub: publishers, then channels and patterns, then subscribers, as
/// three columns of nodes; subscriptions as thin lines and the latest
/// messages' paths drawn over them, with a log of the last messages.
fn pubsub(m: &StageModel) -> Option<Element> {
    use engine::event::SubKind;
    let ps = &m.pubsub;
    if ps.subs.is_empty() && ps.messages.is_empty() {
        return None;
    }
    fn add(v: &mut Vec<(String, bool)>, s: &str, pat: bool) {
        if !v.iter().any(|x| x.0 == s && x.1 == pat) {
            v.push((s.to_string(), pat));
        }
    }
    let (mut pubs, mut mids, mut subs) = (Vec::new(), Vec::new(), Vec::new());
    for (_, who, kind, name) in &ps.subs {
        add(&mut mids, name, *kind == SubKind::Pattern);
        add(&mut subs, who, false);
    }
    for msg in &ps.messages {
        add(&mut pubs, msg.from.as_deref().unwrap_or("PUBLISH"), false);
        add(&mut mids, &msg.channel, false);
        for r in &msg.direct {
            add(&mut subs, r, false);
        }
        for (p, r) in &msg.by_pattern {
            add(&mut mids, p, true);
            add(&mut subs, r, false);
        }
    }
    // Drawn small (360 wide) so that the stage's few hundred pixels show
    // its labels at a readable size; a label's full text is its title.
    let y = |i: usize| 18 + i as i32 * 30;
    let pos = |v: &[(String, bool)], s: &str, pat: bool| {
        y(v.iter().position(|x| x.0 == s && x.1 == pat).unwrap_or(0))
    };
    let (xp, xm, xs) = (50, 180, 310);
    let half = 50;
    let rows = pubs.len().max(mids.len()).max(subs.len()).max(1) as i32;

    let wrap = el("div", "viz-pubsub");
    attr(&wrap, "data-testid", "pubsub");
    wrap.add(text("h3", "", "Pub/Sub"));
    let root = wrap.add(svg("svg"));
    attr(&root, "viewBox", &format!("0 0 360 {}", rows * 30 + 6));
    attr(&root, "role", "img");
    attr(
        &root,
        "aria-label",
        "publishers, channels and patterns, subscribers",
    );
    let line = |class: &str, x1: i32, y1: i32, x2: i32, y2: i32| {
        let l = root.add(svg("line"));
        attr(&l, "class", class);
        for (k, v) in [("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)] {
            attr(&l, k, &v.to_string());
        }
    };
    for (_, who, kind, name) in &ps.subs {
        let py = pos(&mids, name, *kind == SubKind::Pattern);
        line("ps-sub", xm + half, py, xs - half, pos(&subs, who, false));
    }
    for msg in ps.messages.iter().filter(|m| m.fresh) {
        let from = msg.from.as_deref().unwrap_or("PUBLISH");
        let cy = pos(&mids, &msg.channel, false);
        line("ps-msg", xp + half, pos(&pubs, from, false), xm - half, cy);
        for r in &msg.direct {
            line("ps-msg", xm + half, cy, xs - half, pos(&subs, r, false));
        }
        for (p, r) in &msg.by_pattern {
            let py = pos(&mids, p, true);
            line("ps-msg", xm - 35, cy, xm - 35, py);
            line("ps-msg", xm + half, py, xs - half, pos(&subs, r, false));
        }
    }
    let node = |x: i32, y: i32, label: &str, class: &str| {
        let g = root.add(svg("g"));
        attr(&g, "class", class);
        let r = g.add(svg("rect"));
        for (k, v) in [
            ("x", x - half),
            ("y", y - 11),
            ("width", 2 * half),
            ("height", 22),
            ("rx", 11),
        ] {
            attr(&r, k, &v.to_string());
        }
        let short = match label.char_indices().nth(12) {
            Some((i, _)) => format!("{}…", &label[..i]),
            None => label.to_string(),
        };
        let t = g.add(svg_text("text", &short));
        attr(&t, "x", &x.to_string());
        attr(&t, "y", &(y + 4).to_string());
        attr(&t, "text-anchor", "middle");
        g.add(svg_text("title", label));
    };
    for (i, (p, _)) in pubs.iter().enumerate() {
        node(xp, y(i), p, "ps-node ps-pub");
    }
    for (i, (n, pat)) in mids.iter().enumerate() {
        node(
            xm,
            y(i),
            n,
            if *pat {
                "ps-node ps-pattern"
            } else {
                "ps-node ps-channel"
            },
        );
    }
    for (i, (s, _)) in subs.iter().enumerate() {
        node(xs, y(i), s, "ps-node ps-subscriber");
    }
    let log = wrap.add(el("ul", "viz-messages"));
    for msg in ps.messages.iter().rev() {
        let to = msg.direct.len() + msg.by_pattern.len();
        let line = format!(
            "{} → {}: {} ({to} receiver{})",
            msg.from.as_deref().unwrap_or("PUBLISH"),
            msg.channel,
            msg.text,
            if to == 1 { "" } else { "s" }
        );
        let li = log.add(text("li", if msg.fresh { "fresh" } else { "" }, &line));
        attr(&li, "data-testid", "message");
    }
    Some(wrap)
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
