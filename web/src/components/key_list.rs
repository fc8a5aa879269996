//! The keyspace overview: name, type (one hue per type), and a TTL counting
//! down with the virtual clock; keys grouped by prefix (`user:`,
//! `session:`), filtered by name and type, sorted by name, type or TTL.
//! Only the rows in view are drawn (a windowed list of fixed-height rows),
//! so 10,000 keys scroll and count down smoothly; expiry notices say what
//! took a key.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::format;
use crate::session::KeyRow;
use crate::state::{Flash, Playground};
use crate::viz::dom::{
    attr, build, builder, effect, el, flag, on, target_attr, text, Dom, Listener,
};

/// Height of one row (key or group), px; the CSS fixes it too.
pub const ROW_PX: usize = 40;
/// Rows drawn beyond each edge of the visible window.
const OVERSCAN: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Type,
    Ttl,
}

/// One line of the arranged list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Line {
    /// A prefix shared by several keys: its key count, and whether folded.
    Group {
        prefix: String,
        count: usize,
        folded: bool,
    },
    Key {
        row: KeyRow,
        /// Inside a group (indented).
        nested: bool,
    },
}

/// A key's group: the text up to and including its first `:`, if any.
pub fn prefix(label: &str) -> Option<&str> {
    label
        .find(':')
        .map(|i| &label[..=i])
        .filter(|p| p.len() < label.len())
}

/// The rows as listed: filtered by name (case-insensitive substring) and
/// type (`""`: any), sorted, and, when `group`, keys that share a prefix
/// with another key gathered under it (groups first, by prefix).
pub fn arrange(
    rows: &[KeyRow],
    filter: &str,
    type_name: &str,
    sort: SortBy,
    group: bool,
    folded: &HashSet<String>,
) -> Vec<Line> {
    let needle = filter.to_ascii_lowercase();
    let mut kept: Vec<&KeyRow> = rows
        .iter()
        .filter(|r| type_name.is_empty() || r.type_name == type_name)
        .filter(|r| needle.is_empty() || r.label.to_ascii_lowercase().contains(&needle))
        .collect();
    // One comparator per order, one sort call: each sort instantiation
    // costs the wasm kilobytes. Labels are distinct, so unstable is fine.
    fn by_name(a: &&KeyRow, b: &&KeyRow) -> Ordering {
        a.label.cmp(&b.label)
    }
    fn by_type(a: &&KeyRow, b: &&KeyRow) -> Ordering {
        a.type_name.cmp(b.type_name).then_with(|| by_name(a, b))
    }
    fn by_ttl(a: &&KeyRow, b: &&KeyRow) -> Ordering {
        let ttl = |r: &KeyRow| r.expire_at.unwrap_or(u64::MAX);
        ttl(a).cmp(&ttl(b)).then_with(|| by_name(a, b))
    }
    let cmp: fn(&&KeyRow, &&KeyRow) -> Ordering = match sort {
        SortBy::Name => by_name,
        SortBy::Type => by_type,
        SortBy::Ttl => by_ttl,
    };
    kept.sort_unstable_by(cmp);
    if !group {
        return kept
            .into_iter()
            .map(|r| Line::Key {
                row: r.clone(),
                nested: false,
            })
            .collect();
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in &kept {
        if let Some(p) = prefix(&r.label) {
            *counts.entry(p).or_default() += 1;
        }
    }
    let mut lines = Vec::new();
    for (p, &count) in counts.iter().filter(|(_, &n)| n > 1) {
        let is_folded = folded.contains(*p);
        lines.push(Line::Group {
            prefix: p.to_string(),
            count,
            folded: is_folded,
        });
        if !is_folded {
            lines.extend(
                kept.iter()
                    .filter(|r| prefix(&r.label) == Some(*p))
                    .map(|r| Line::Key {
                        row: (*r).clone(),
                        nested: true,
                    }),
            );
        }
    }
    lines.extend(
        kept.iter()
            .filter(|r| prefix(&r.label).is_none_or(|p| counts.get(p).copied() == Some(1)))
            .map(|r| Line::Key {
                row: (*r).clone(),
                nested: false,
            }),
    );
    lines
}

/// The lines to draw for a scroll position: `[start, end)`.
pub fn window(total: usize, scroll_px: usize, view_px: usize) -> (usize, usize) {
    let first = (scroll_px / ROW_PX).saturating_sub(OVERSCAN);
    let end = (scroll_px + view_px).div_ceil(ROW_PX) + OVERSCAN;
    (first.min(total), end.min(total))
}

const TYPE_OPTIONS: &str = "<option value=\"\">any type</option><option>string</option>\
<option>hash</option><option>list</option><option>set</option><option>zset</option>\
<option>stream</option>";
const SORT_OPTIONS: &str = "<option value=\"name\">by name</option>\
<option value=\"type\">by type</option><option value=\"ttl\">by TTL</option>";

#[component]
pub fn KeyList(pg: Playground) -> impl IntoView {
    view! { <section class="panel keys" aria-labelledby="keys-title" use:build=builder(move |root| mount(root, pg))></section> }
}

/// Builds the list's parts in `root` and the effects that redraw them.
/// Plain `Rc<RefCell>`s rather than a `StoredValue` per type: each
/// stored type costs the wasm its own copy of the arena code.
fn mount(root: Element, pg: Playground) {
    // What the tools ask for, and a count bumped on each change: fewer
    // signal types than one signal per tool (each costs the wasm).
    let asked = RwSignal::new(0usize);
    let arranged = RwSignal::new(0usize);
    let scroll = RwSignal::new(0usize);
    let view_px = RwSignal::new(400usize);
    let ask = Rc::new(RefCell::new(Ask {
        filter: String::new(),
        type_name: String::new(),
        sort: SortBy::Name,
        group: true,
        folded: HashSet::new(),
    }));
    let controls = Controls {
        ask: ask.clone(),
        asked,
        scroll,
        view_px,
    };
    let parts = Rc::new(Parts::new(&root, controls));
    let lines = Rc::new(RefCell::new(Vec::<Line>::new()));
    let drawn = Rc::new(RefCell::new(Vec::<Countdown>::new()));
    let p = parts.clone();
    effect(Box::new(move || {
        let (db, total, hidden) = pg
            .keys
            .with(|k| (k.db, k.total, k.total.saturating_sub(k.rows.len())));
        p.summary(db, total, hidden);
    }));
    let l = lines.clone();
    effect(Box::new(move || {
        asked.track();
        let arrangement = {
            let a = ask.borrow();
            pg.keys
                .with(|k| arrange(&k.rows, &a.filter, &a.type_name, a.sort, a.group, &a.folded))
        };
        *l.borrow_mut() = arrangement;
        arranged.update(|n| *n += 1);
    }));
    // The visible rows: a `view!` per row type costs the wasm more than
    // the whole list does this way.
    let p = parts.clone();
    let d = drawn.clone();
    effect(Box::new(move || {
        arranged.track();
        let lines = lines.borrow();
        let (start, end) = window(lines.len(), scroll.get(), view_px.get());
        let now = pg.now.get_untracked();
        let rows = draw_rows(&p.list, &lines, start, end);
        rows.iter().for_each(|c| c.show(now));
        *d.borrow_mut() = rows;
    }));
    effect(Box::new(move || {
        let now = pg.now.get();
        drawn.borrow().iter().for_each(|c| c.show(now));
    }));
    effect(Box::new(move || {
        pg.flashes.with(|f| parts.flashes(f));
    }));
}

/// The list as the tools ask for it.
struct Ask {
    filter: String,
    type_name: String,
    sort: SortBy,
    group: bool,
    folded: HashSet<String>,
}

/// What the tools and the list's listeners write.
#[derive(Clone)]
struct Controls {
    ask: Rc<RefCell<Ask>>,
    asked: RwSignal<usize>,
    scroll: RwSignal<usize>,
    view_px: RwSignal<usize>,
}

impl Controls {
    fn set(&self, f: &mut dyn FnMut(&mut Ask)) {
        f(&mut self.ask.borrow_mut());
        self.asked.update(|n| *n += 1);
    }
}

/// The key list's elements and listeners.
struct Parts {
    summary: Element,
    empty: Element,
    list: Element,
    more: Element,
    flashes: Element,
    /// The notices on the page, by id (kept, so none is announced twice).
    drawn_flashes: std::cell::RefCell<Vec<(u64, Element)>>,
    _listeners: [Listener; 4],
}

impl Parts {
    fn new(root: &Element, c: Controls) -> Parts {
        let head = root.add(el("header", "panel-head"));
        attr(&head.add(text("h2", "", "Keys")), "id", "keys-title");
        let summary = head.add(el("span", "meta"));
        attr(&summary, "data-testid", "key-summary");
        let tools = root.add(el("div", "key-tools"));
        let input = tools.add(el("input", "key-filter"));
        attr(&input, "type", "search");
        attr(&input, "placeholder", "Filter by name");
        attr(&input, "aria-label", "Filter keys");
        // Fixed option lists as static markup (no user data in them).
        let types = tools.add(el("select", ""));
        attr(&types, "aria-label", "Type");
        types.set_inner_html(TYPE_OPTIONS);
        let sorts = tools.add(el("select", ""));
        attr(&sorts, "aria-label", "Sort by");
        sorts.set_inner_html(SORT_OPTIONS);
        let toggle = tools.add(text("label", "key-group-toggle", "groups"));
        let check = el("input", "");
        attr(&check, "type", "checkbox");
        attr(&check, "checked", "");
        toggle.prepend_with_node_1(&check).ok();
        let empty = root.add(text(
            "p",
            "empty",
            "No keys yet. Set one in the console and watch its TTL run down.",
        ));
        let scroller = root.add(el("div", "key-window"));
        attr(&scroller, "data-testid", "key-window");
        let list = scroller.add(el("ul", "key-list"));
        attr(&list, "aria-labelledby", "keys-title");
        attr(&list, "data-testid", "key-list");
        let more = root.add(el("p", "more"));
        let flashes = root.add(el("ul", "flashes"));
        attr(&flashes, "aria-live", "polite");
        attr(&flashes, "data-testid", "expiry-notices");
        // One listener for the tools: the select's or input's label says
        // which (the checkbox has none).
        let c2 = c.clone();
        let c4 = c.clone();
        let (scroll, view_px) = (c.scroll, c.view_px);
        let on_tools = on(
            &tools,
            "change",
            Box::new(move |ev| {
                let value = event_target_value(&ev);
                match target_attr(&ev, "aria-label").as_deref() {
                    Some("Type") => c.set(&mut |a| a.type_name = value.clone()),
                    Some("Sort by") => {
                        let sort = match value.as_str() {
                            "type" => SortBy::Type,
                            "ttl" => SortBy::Ttl,
                            _ => SortBy::Name,
                        };
                        c.set(&mut |a| a.sort = sort);
                    }
                    Some(_) => {}
                    None => {
                        let on = event_target_checked(&ev);
                        c.set(&mut |a| a.group = on);
                    }
                }
            }),
        );
        let on_input = on(
            &input,
            "input",
            Box::new(move |ev| {
                let value = event_target_value(&ev);
                c2.set(&mut |a| a.filter = value.clone());
            }),
        );
        let on_scroll = on(
            &scroller,
            "scroll",
            Box::new(move |ev| {
                if let Some(el) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    scroll.set(el.scroll_top().max(0) as usize);
                    view_px.set(el.client_height().max(0) as usize);
                }
            }),
        );
        // One listener for every group's fold button.
        let on_fold = on(
            &list,
            "click",
            Box::new(move |ev| {
                if let Some(p) = target_attr(&ev, "data-prefix") {
                    c4.set(&mut |a| {
                        if !a.folded.remove(&p) {
                            a.folded.insert(p.clone());
                        }
                    });
                }
            }),
        );
        Parts {
            summary,
            empty,
            list,
            more,
            flashes,
            drawn_flashes: Default::default(),
            _listeners: [on_tools, on_input, on_scroll, on_fold],
        }
    }

    fn summary(&self, db: usize, total: usize, hidden: usize) {
        let s = if total == 1 { "" } else { "s" };
        self.summary
            .set_text_content(Some(&format!("db {db} · {total} key{s}")));
        flag(&self.empty, "hidden", total != 0);
        flag(&self.more, "hidden", hidden == 0);
        self.more
            .set_text_content(Some(&format!("… and {hidden} more")));
    }

    /// The notices as listed: those still there kept, new ones added.
    fn flashes(&self, flashes: &[Flash]) {
        let mut drawn = self.drawn_flashes.borrow_mut();
        drawn.retain(|(id, e)| {
            let keep = flashes.iter().any(|f| f.id == *id);
            if !keep {
                e.remove();
            }
            keep
        });
        for f in flashes {
            if !drawn.iter().any(|(id, _)| *id == f.id) {
                drawn.push((f.id, self.flashes.add(text("li", "flash", &f.text))));
            }
        }
    }
}

/// A drawn row's TTL: its text and bar follow the clock.
struct Countdown {
    text: Element,
    fill: Option<Element>,
    expire_at: Option<u64>,
    total: Option<u64>,
}

impl Countdown {
    fn show(&self, now: u64) {
        let Some(at) = self.expire_at else { return };
        let left = at.saturating_sub(now);
        self.text.set_text_content(Some(&format::ttl(left)));
        attr(
            &self.text,
            "aria-label",
            &format!("expires in {}", format::ttl(left)),
        );
        if let (Some(fill), Some(total)) = (&self.fill, self.total) {
            // Per mille in integers: float formatting would cost the wasm ~10 KB.
            let per_mille = left.min(total).saturating_mul(1000) / total.max(1);
            attr(
                fill,
                "style",
                &format!("width: {}.{}%", per_mille / 10, per_mille % 10),
            );
        }
    }
}

/// Replaces the list's rows with lines `start..end`, each at its place.
fn draw_rows(ul: &Element, lines: &[Line], start: usize, end: usize) -> Vec<Countdown> {
    attr(ul, "style", &format!("height: {}px", lines.len() * ROW_PX));
    ul.set_text_content(None);
    let mut clocks = Vec::new();
    for (i, line) in lines[start..end].iter().enumerate() {
        let top = format!("top: {}px", (start + i) * ROW_PX);
        match line {
            Line::Group {
                prefix,
                count,
                folded,
            } => {
                let li = ul.add(el("li", "key-group"));
                attr(&li, "style", &top);
                attr(&li, "data-testid", "key-group");
                attr(&li, "data-prefix", prefix);
                let b = li.add(el("button", "key-group-btn"));
                attr(&b, "type", "button");
                attr(&b, "aria-expanded", if *folded { "false" } else { "true" });
                attr(
                    &b.add(text("span", "", if *folded { "▸" } else { "▾" })),
                    "aria-hidden",
                    "true",
                );
                b.add(text("span", "key-name", &format!("{prefix}*")));
                b.add(text("span", "meta", &format!("{count} keys")));
            }
            Line::Key { row, nested } => {
                let li = ul.add(el("li", if *nested { "key nested" } else { "key" }));
                attr(&li, "style", &top);
                attr(&li, "data-testid", "key");
                attr(&li, "data-key", &row.label);
                li.add(text(
                    "span",
                    &format!("type t-{}", row.type_name),
                    row.type_name,
                ));
                attr(
                    &li.add(text("span", "key-name", &row.label)),
                    "title",
                    &row.label,
                );
                let ttl = li.add(el(
                    "span",
                    if row.expire_at.is_none() {
                        "ttl persistent"
                    } else {
                        "ttl"
                    },
                ));
                attr(&ttl, "data-testid", "ttl");
                if row.expire_at.is_none() {
                    ttl.set_text_content(Some("no TTL"));
                    attr(&ttl, "aria-label", "no expiry");
                }
                let fill = row.ttl_total.map(|_| {
                    let bar = li.add(el("span", "ttl-bar"));
                    attr(&bar, "aria-hidden", "true");
                    bar.add(el("span", "ttl-fill"))
                });
                clocks.push(Countdown {
                    text: ttl,
                    fill,
                    expire_at: row.expire_at,
                    total: row.ttl_total,
                });
            }
        }
    }
    clocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, type_name: &'static str, expire_at: Option<u64>) -> KeyRow {
        KeyRow {
            label: label.into(),
            type_name,
            expire_at,
            ttl_total: expire_at,
        }
    }

    fn names(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| match l {
                Line::Group {
                    prefix,
                    count,
                    folded,
                } => {
                    format!("{prefix}* {count}{}", if *folded { " folded" } else { "" })
                }
                Line::Key { row, nested } => {
                    format!("{}{}", if *nested { "  " } else { "" }, row.label)
                }
            })
            .collect()
    }

    fn sample() -> Vec<KeyRow> {
        vec![
            row("user:2", "hash", None),
            row("session:9", "string", Some(50)),
            row("user:1", "hash", Some(900)),
            row("greeting", "string", Some(10)),
            row("jobs", "list", None),
            row("tag:x", "set", None),
        ]
    }

    #[test]
    fn keys_group_by_prefix_when_several_share_one() {
        let lines = arrange(&sample(), "", "", SortBy::Name, true, &HashSet::new());
        assert_eq!(
            names(&lines),
            [
                "user:* 2",
                "  user:1",
                "  user:2",
                "greeting",
                "jobs",
                "session:9",
                "tag:x"
            ]
        );
        let folded = HashSet::from(["user:".to_string()]);
        let lines = arrange(&sample(), "", "", SortBy::Name, true, &folded);
        assert_eq!(names(&lines)[..2], ["user:* 2 folded", "greeting"]);
        assert_eq!(prefix("user:"), None, "a bare prefix is a name");
        assert_eq!(prefix("a:b:c"), Some("a:"));
    }

    #[test]
    fn filters_and_sorts() {
        let rows = sample();
        let none = HashSet::new();
        let by_ttl = arrange(&rows, "", "", SortBy::Ttl, false, &none);
        assert_eq!(
            names(&by_ttl),
            ["greeting", "session:9", "user:1", "jobs", "tag:x", "user:2"],
            "soonest first, no TTL last"
        );
        let by_type = arrange(&rows, "", "", SortBy::Type, false, &none);
        assert_eq!(names(&by_type)[..3], ["user:1", "user:2", "jobs"]);
        let strings = arrange(&rows, "", "string", SortBy::Name, false, &none);
        assert_eq!(names(&strings), ["greeting", "session:9"]);
        let named = arrange(&rows, "USER", "", SortBy::Name, true, &none);
        assert_eq!(names(&named), ["user:* 2", "  user:1", "  user:2"]);
    }

    #[test]
    fn only_the_visible_window_is_drawn() {
        assert_eq!(window(10_000, 0, 400), (0, 10 + OVERSCAN));
        let (a, b) = window(10_000, 200_000, 400);
        assert_eq!((a, b), (5000 - OVERSCAN, 5010 + OVERSCAN));
        assert_eq!(window(3, 0, 400), (0, 3));
        assert_eq!(window(0, 500, 400), (0, 0));
    }

    #[test]
    fn ten_thousand_keys_arrange_quickly() {
        let rows: Vec<KeyRow> = (0..10_000)
            .map(|i| row(&format!("user:{i}"), "string", Some(i)))
            .collect();
        let t = std::time::Instant::now();
        let lines = arrange(&rows, "", "", SortBy::Ttl, true, &HashSet::new());
        assert_eq!(lines.len(), 10_001);
        assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
    }
}
