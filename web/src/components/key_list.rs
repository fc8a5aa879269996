//! The keyspace overview: name, type (one hue per type), and a TTL counting
//! down with the virtual clock; keys grouped by prefix (`user:`,
//! `session:`), filtered by name and type, sorted by name, type or TTL.
//! Only the rows in view are drawn (a windowed list of fixed-height rows),
//! so 10,000 keys scroll and count down smoothly; expiry notices say what
//! took a key.

use std::collections::HashSet;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::format;
use crate::session::KeyRow;
use crate::state::Playground;

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
    let needle = filter.to_lowercase();
    let mut kept: Vec<&KeyRow> = rows
        .iter()
        .filter(|r| type_name.is_empty() || r.type_name == type_name)
        .filter(|r| needle.is_empty() || r.label.to_lowercase().contains(&needle))
        .collect();
    match sort {
        SortBy::Name => kept.sort_by(|a, b| a.label.cmp(&b.label)),
        SortBy::Type => kept.sort_by(|a, b| (a.type_name, &a.label).cmp(&(b.type_name, &b.label))),
        SortBy::Ttl => kept.sort_by(|a, b| {
            let ttl = |r: &KeyRow| r.expire_at.unwrap_or(u64::MAX);
            (ttl(a), &a.label).cmp(&(ttl(b), &b.label))
        }),
    }
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

const TYPES: [&str; 6] = ["string", "hash", "list", "set", "zset", "stream"];

#[component]
pub fn KeyList(pg: Playground) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let type_name = RwSignal::new(String::new());
    let sort = RwSignal::new(SortBy::Name);
    let group = RwSignal::new(true);
    let folded = RwSignal::new(HashSet::<String>::new());
    let scroll = RwSignal::new(0usize);
    let view_px = RwSignal::new(400usize);

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
    let shown = move || {
        let (start, end) = window(lines.with(Vec::len), scroll.get(), view_px.get());
        lines.with(|l| {
            l[start..end]
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, line)| (start + i, line))
                .collect::<Vec<_>>()
        })
    };
    let on_scroll = move |ev: leptos::ev::Event| {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            scroll.set(el.scroll_top().max(0) as usize);
            view_px.set(el.client_height().max(0) as usize);
        }
    };
    let toggle = move |p: String| {
        folded.update(|f| {
            if !f.remove(&p) {
                f.insert(p);
            }
        })
    };
    let sort_value = move || match sort.get() {
        SortBy::Name => "name",
        SortBy::Type => "type",
        SortBy::Ttl => "ttl",
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
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <select
                    aria-label="Type"
                    on:change=move |ev| type_name.set(event_target_value(&ev))
                    prop:value=move || type_name.get()
                >
                    <option value="">"any type"</option>
                    {TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                </select>
                <select
                    aria-label="Sort by"
                    prop:value=sort_value
                    on:change=move |ev| {
                        sort.set(match event_target_value(&ev).as_str() {
                            "type" => SortBy::Type,
                            "ttl" => SortBy::Ttl,
                            _ => SortBy::Name,
                        })
                    }
                >
                    <option value="name">"by name"</option>
                    <option value="type">"by type"</option>
                    <option value="ttl">"by TTL"</option>
                </select>
                <label class="key-group-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || group.get()
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
                    style:height=move || format!("{}px", lines.with(Vec::len) * ROW_PX)
                >
                    <For
                        each=shown
                        key=|(i, line)| (*i, line.clone())
                        let:item
                    >
                        {
                            let (i, line) = item;
                            let top = format!("{}px", i * ROW_PX);
                            match line {
                                Line::Group { prefix, count, folded } => {
                                    let p = prefix.clone();
                                    view! {
                                        <li class="key-group" style:top=top data-testid="key-group" data-prefix=prefix.clone()>
                                            <button
                                                class="key-group-btn"
                                                aria-expanded=(!folded).to_string()
                                                on:click=move |_| toggle(p.clone())
                                            >
                                                <span aria-hidden="true">{if folded { "▸ " } else { "▾ " }}</span>
                                                <span class="key-name">{format!("{prefix}*")}</span>
                                                <span class="meta">{format!("{count} keys")}</span>
                                            </button>
                                        </li>
                                    }
                                    .into_any()
                                }
                                Line::Key { row, nested } => {
                                    view! { <KeyItem pg=pg row=row nested=nested top=top /> }.into_any()
                                }
                            }
                        }
                    </For>
                </ul>
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

#[component]
fn KeyItem(pg: Playground, row: KeyRow, nested: bool, top: String) -> impl IntoView {
    let type_class = format!("type t-{}", row.type_name);
    let left = move || row.expire_at.map(|at| at.saturating_sub(pg.now.get()));
    let ttl_text = move || match left() {
        Some(ms) => format::ttl(ms),
        None => "no TTL".into(),
    };
    let ttl_name = move || match left() {
        Some(ms) => format!("expires in {}", format::ttl(ms)),
        None => "no expiry".into(),
    };
    let bar = match row.ttl_total {
        None => ().into_any(),
        Some(total) => {
            // Per mille in integers: float formatting would cost the wasm ~10 KB.
            let width = move || {
                let left = left().unwrap_or(0).min(total);
                let per_mille = left.saturating_mul(1000) / total.max(1);
                format!("{}.{}%", per_mille / 10, per_mille % 10)
            };
            view! {
                <span class="ttl-bar" aria-hidden="true">
                    <span class="ttl-fill" style:width=width></span>
                </span>
            }
            .into_any()
        }
    };
    view! {
        <li class="key" class:nested=nested style:top=top data-testid="key" data-key=row.label.clone()>
            <span class=type_class>{row.type_name}</span>
            <span class="key-name" title=row.label.clone()>
                {row.label.clone()}
            </span>
            <span
                class="ttl"
                class:persistent=row.expire_at.is_none()
                data-testid="ttl"
                aria-label=ttl_name
            >
                {ttl_text}
            </span>
            {bar}
        </li>
    }
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
