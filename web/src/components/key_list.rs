//! The keyspace overview: name, type (one hue per type), and a TTL counting
//! down with the virtual clock; keys grouped by prefix (`user:`,
//! `session:`), filtered by name and type, sorted by name, type or TTL.
//! Only the rows in view are drawn (a windowed list of fixed-height rows),
//! so 10,000 keys scroll and count down smoothly; expiry notices say what
//! took a key.

use std::cmp::Ordering;
use std::collections::HashSet;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::format;
use crate::session::KeyRow;
use crate::state::Playground;
use crate::viz::dom::{attr, el, text, Dom};

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
    let filter = RwSignal::new(String::new());
    let type_name = RwSignal::new(String::new());
    let sort = RwSignal::new(SortBy::Name);
    let group = RwSignal::new(true);
    let folded = RwSignal::new(HashSet::<String>::new());
    let scroll = RwSignal::new(0usize);
    let view_px = RwSignal::new(400usize);
    let list = NodeRef::<leptos::html::Ul>::new();
    let drawn = StoredValue::new_local(Vec::<Countdown>::new());

    let summary = move || {
        pg.keys.with(|k| {
            let s = if k.total == 1 { "" } else { "s" };
            format!("db {} · {} key{s}", k.db, k.total)
        })
    };
    let hidden = move || pg.keys.with(|k| k.total.saturating_sub(k.rows.len()));
    let lines = Memo::new(move |_| {
        let (f, t, s, g) = (filter.get(), type_name.get(), sort.get(), group.get());
        folded.with(|fo| pg.keys.with(|k| arrange(&k.rows, &f, &t, s, g, fo)))
    });
    // The visible rows, drawn with plain DOM calls: a `view!` per row
    // type costs the wasm more than the whole list does this way.
    Effect::new(move |_| {
        let Some(ul) = list.get() else { return };
        let (start, end) = window(lines.with(Vec::len), scroll.get(), view_px.get());
        let now = pg.now.get_untracked();
        let rows = lines.with(|l| draw_rows(&ul, l, start, end));
        drawn.set_value(rows);
        drawn.with_value(|d| d.iter().for_each(|c| c.show(now)));
    });
    Effect::new(move |_| {
        let now = pg.now.get();
        drawn.with_value(|d| d.iter().for_each(|c| c.show(now)));
    });
    let on_scroll = move |ev: leptos::ev::Event| {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            scroll.set(el.scroll_top().max(0) as usize);
            view_px.set(el.client_height().max(0) as usize);
        }
    };
    // One listener for every group's fold button.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let prefix = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-prefix]").ok().flatten())
            .and_then(|e| e.get_attribute("data-prefix"));
        if let Some(p) = prefix {
            folded.update(|f| {
                if !f.remove(&p) {
                    f.insert(p);
                }
            });
        }
    };
    view! {
        <section class="panel keys" aria-labelledby="keys-title">
            <header class="panel-head">
                <h2 id="keys-title">"Keys"</h2>
                <span class="meta" data-testid="key-summary">
                    {summary}
                </span>
            </header>
            <div class="key-tools">
                <input
                    class="key-filter"
                    type="search"
                    placeholder="Filter by name"
                    aria-label="Filter keys"
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                // Fixed option lists as static markup (no user data in them).
                <select
                    aria-label="Type"
                    inner_html=TYPE_OPTIONS
                    on:change=move |ev| type_name.set(event_target_value(&ev))
                ></select>
                <select
                    aria-label="Sort by"
                    inner_html=SORT_OPTIONS
                    on:change=move |ev| {
                        sort.set(match event_target_value(&ev).as_str() {
                            "type" => SortBy::Type,
                            "ttl" => SortBy::Ttl,
                            _ => SortBy::Name,
                        })
                    }
                ></select>
                <label class="key-group-toggle">
                    <input
                        type="checkbox"
                        checked
                        on:change=move |ev| group.set(event_target_checked(&ev))
                    />
                    "groups"
                </label>
            </div>
            <Show when=move || pg.keys.with(|k| k.total == 0)>
                <p class="empty">"No keys yet. Set one in the console and watch its TTL run down."</p>
            </Show>
            <div class="key-window" on:scroll=on_scroll data-testid="key-window">
                <ul
                    class="key-list"
                    aria-labelledby="keys-title"
                    data-testid="key-list"
                    node_ref=list
                    on:click=on_click
                ></ul>
            </div>
            <Show when=move || { hidden() > 0 }>
                <p class="more">{move || format!("… and {} more", hidden())}</p>
            </Show>
            <ul class="flashes" aria-live="polite" data-testid="expiry-notices">
                <For each=move || pg.flashes.get() key=|f| f.id let:flash>
                    <li class="flash">{flash.text}</li>
                </For>
            </ul>
        </section>
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
