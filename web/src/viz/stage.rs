//! The [`Stage`] component: one card per key on stage (a view per data
//! type, its TTL ring, clients waiting on it), the keys that just left
//! fading out with their cause, and the pub/sub graph. Everything the user
//! typed is a text node or an attribute value, never markup. Motion is CSS
//! (150–300 ms, ease-out; `prefers-reduced-motion` swaps it for a brief
//! highlight); a re-rendered element replays its entrance, a kept one (a
//! leaderboard row, keyed by member) moves to its new rank.

use leptos::prelude::*;

use super::geo::{self, Plot, Shape};
use super::model::{Card, Kind, Ranked, StageModel, View, Waiter};
use crate::format;

/// Height of one leaderboard row, px.
const ROW_PX: usize = 30;

#[component]
pub fn Stage(
    #[prop(into)] model: Signal<StageModel>,
    #[prop(into)] now: Signal<u64>,
) -> impl IntoView {
    let summary = move || {
        model.with(|m| {
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
        })
    };
    let labels = move || {
        model.with(|m| {
            m.cards
                .iter()
                .map(|c| (c.label.clone(), c.kind, c.exists))
                .collect::<Vec<_>>()
        })
    };
    let empty = move || model.with(|m| m.cards.is_empty() && m.ghosts.is_empty());
    view! {
        <section class="panel viz" aria-labelledby="viz-title" data-testid="stage">
            <header class="panel-head">
                <h2 id="viz-title">"Stage"</h2>
                <span class="meta">{summary}</span>
            </header>
            <Show when=empty>
                <p class="empty">
                    "Run the script, or type a command below: the keys it touches appear here."
                </p>
            </Show>
            <div class="viz-cards">
                <For each=labels key=|k| k.clone() let:k>
                    <CardView model=model label=k.0 now=now />
                </For>
                <For
                    each=move || model.with(|m| m.ghosts.clone())
                    key=|g| g.id
                    let:g
                >
                    <div
                        class=format!("viz-card viz-ghost h-{}", g.kind.map_or("other", Kind::hue))
                        data-testid="ghost"
                        data-key=g.label.clone()
                    >
                        <div class="viz-head">
                            <span class="viz-key">{g.label.clone()}</span>
                            <span class="viz-cause">{g.cause.clone()}</span>
                        </div>
                    </div>
                </For>
            </div>
            <Show when=move || model.with(|m| m.more_ghosts > 0)>
                <p class="more">
                    {move || model.with(|m| format!("… and {} more keys removed", m.more_ghosts))}
                </p>
            </Show>
            <PubSubView model=model />
        </section>
    }
}

#[component]
fn CardView(model: Signal<StageModel>, label: String, now: Signal<u64>) -> impl IntoView {
    let key = label.clone();
    let card = Memo::new(move |_| model.with(|m| m.card(&key).cloned()));
    let kind = card.with_untracked(|c| c.as_ref().map_or(Kind::Str, |c| c.kind));
    let exists = card.with_untracked(|c| c.as_ref().is_some_and(|c| c.exists));
    let head = move || {
        card.with(|c| {
            c.as_ref().map(|c| {
                let size = match (&c.view, c.kind) {
                    (View::Absent, _) => "no such key yet".to_string(),
                    (_, Kind::Str | Kind::Counter | Kind::Bitmap | Kind::Hll) => {
                        plural(c.len, "byte")
                    }
                    (_, Kind::Hash) => plural(c.len, "field"),
                    (_, Kind::Set | Kind::ZSet | Kind::Geo) => plural(c.len, "member"),
                    (_, Kind::List) => plural(c.len, "element"),
                };
                let by = c.written_by.map(|b| b.to_ascii_uppercase());
                (size, by)
            })
        })
    };
    let body = move || {
        let c = card.get()?;
        Some(match &c.view {
            View::Str { text, cut } => view! {
                <p class="viz-str" title=text.clone()>
                    <span class="viz-quote">{text.clone()}</span>
                    {cut.then_some(view! { <span class="viz-cut">" (cut)"</span> })}
                </p>
            }
            .into_any(),
            View::Counter { value, delta } => {
                let d = delta.map(|d| if d >= 0 { format!("+{d}") } else { d.to_string() });
                view! {
                    <p class="viz-counter" class:tick=delta.is_some()>
                        <span class="viz-number" data-testid="counter">{value.to_string()}</span>
                        {d.map(|d| view! { <span class="viz-delta">{d}</span> })}
                    </p>
                }
                .into_any()
            }
            View::Bits { bits, ones } => view! {
                <div class="viz-bits" role="img" aria-label=format!("{ones} bits set")>
                    {bits
                        .iter()
                        .enumerate()
                        .map(|(i, b)| {
                            view! {
                                <span class="bit" class:on=*b title=format!("bit {i}: {}", u8::from(*b))></span>
                            }
                        })
                        .collect_view()}
                </div>
                <p class="viz-note">{format!("{ones} set · BITCOUNT {ones}")}</p>
            }
            .into_any(),
            View::Hll { estimate, nonzero, sparse, groups } => {
                let top = groups.iter().copied().max().unwrap_or(0).max(1);
                view! {
                    <div class="viz-hll">
                        <p class="viz-estimate">
                            <span class="viz-number" data-testid="estimate">{format!("≈ {estimate}")}</span>
                            <span class="viz-note">
                                {format!(
                                    "{nonzero} of 16384 registers set · {}",
                                    if *sparse { "sparse" } else { "dense" },
                                )}
                            </span>
                        </p>
                        <div class="viz-registers" role="img" aria-label="registers, grouped by 64">
                            {groups
                                .iter()
                                .map(|&g| {
                                    let level = u32::from(g) * 4 / u32::from(top);
                                    view! { <span class=format!("reg l{}", if g == 0 { 0 } else { level.max(1) })></span> }
                                })
                                .collect_view()}
                        </div>
                    </div>
                }
                .into_any()
            }
            View::Hash { rows } => view! {
                <table class="viz-hash">
                    <tbody>
                        {rows
                            .iter()
                            .map(|r| {
                                view! {
                                    <tr class:flash=r.changed data-testid="field">
                                        <th scope="row" title=r.name.clone()>{r.name.clone()}</th>
                                        <td title=r.value.clone()>{r.value.clone()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any(),
            View::List { items, popped } => {
                let gone_head: Vec<String> =
                    popped.iter().filter(|p| p.1).map(|p| p.0.clone()).collect();
                let gone_tail: Vec<String> =
                    popped.iter().filter(|p| !p.1).map(|p| p.0.clone()).collect();
                let n = items.len();
                view! {
                    <div class="viz-list-wrap">
                        <span class="viz-end">"head"</span>
                        <ol class="viz-list" data-testid="list">
                            {gone_head.into_iter().map(|t| view! { <li class="cell leave-head" aria-hidden="true">{t}</li> }).collect_view()}
                            {items
                                .iter()
                                .map(|it| {
                                    view! {
                                        <li class="cell" class:enter-tail=it.new && !it.at_head class:enter-head=it.at_head title=it.text.clone()>
                                            {it.text.clone()}
                                        </li>
                                    }
                                })
                                .collect_view()}
                            {(c.len > n).then(|| view! { <li class="cell more-cell">{format!("+{}", c.len - n)}</li> })}
                            {gone_tail.into_iter().map(|t| view! { <li class="cell leave-tail" aria-hidden="true">{t}</li> }).collect_view()}
                        </ol>
                        <span class="viz-end">"tail"</span>
                    </div>
                }
                .into_any()
            }
            View::Set { members } => view! {
                <ul class="viz-set">
                    {members
                        .iter()
                        .map(|m| {
                            view! {
                                <li class="chip" class:enter=m.new class:result=m.result data-testid="member" title=m.text.clone()>
                                    {m.text.clone()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
            View::ZSet { .. } => view! { <ZSetView card=card /> }.into_any(),
            View::Geo { points, search } => geo_view(points, search.as_ref()).into_any(),
            View::Absent => view! { <div class="viz-absent">"(empty)"</div> }.into_any(),
        })
    };
    let more = move || {
        card.with(|c| {
            let c = c.as_ref()?;
            let shown = match &c.view {
                View::Hash { rows } => rows.len(),
                View::Set { members } => members.len(),
                View::ZSet { rows } => rows.len(),
                View::Geo { points, .. } => points.len(),
                _ => return None,
            };
            (c.len > shown).then(|| format!("showing {shown} of {}", c.len))
        })
    };
    let waiting = move || card.with(|c| c.as_ref().map(|c| c.waiting.clone()).unwrap_or_default());
    view! {
        <article
            class=format!("viz-card h-{}", kind.hue())
            class:absent=!exists
            data-testid="card"
            data-key=label.clone()
            data-kind=kind.name()
        >
            <header class="viz-head">
                <span class=format!("type t-{}", kind.hue())>{kind.name()}</span>
                <span class="viz-key" title=label.clone()>{label.clone()}</span>
                <span class="viz-size">{move || head().map(|h| h.0)}</span>
                {move || {
                    head()
                        .and_then(|h| h.1)
                        .map(|by| view! { <span class="viz-by">{by}</span> })
                }}
                <TtlRing card=card now=now />
            </header>
            {body}
            {move || more().map(|t| view! { <p class="viz-note">{t}</p> })}
            <ul class="viz-waiting">
                {move || {
                    waiting()
                        .into_iter()
                        .map(|w| view! { <WaiterView w=w now=now /> })
                        .collect_view()
                }}
            </ul>
        </article>
    }
}

#[component]
fn WaiterView(w: Waiter, now: Signal<u64>) -> impl IntoView {
    let since = w.since;
    let wait = move || format::ttl(now.get().saturating_sub(since).max(1));
    let end = if w.at_head {
        "at the head"
    } else {
        "at the tail"
    };
    view! {
        <li class="viz-waiter" class:at-head=w.at_head data-testid="waiter">
            <span aria-hidden="true">"⏳ "</span>
            {format!("{} waits ({} {end}) ", w.name, w.command.to_ascii_uppercase())}
            <span class="viz-wait">{wait}</span>
        </li>
    }
}

#[component]
fn TtlRing(card: Memo<Option<Card>>, now: Signal<u64>) -> impl IntoView {
    let ttl = move || card.with(|c| c.as_ref().and_then(|c| Some((c.expire_at?, c.ttl_total?))));
    move || {
        ttl().map(|(at, total)| {
            let left = move || at.saturating_sub(now.get());
            // Per mille in integers (pathLength 1000): no float formatting.
            let offset = move || {
                let per_mille = left().min(total).saturating_mul(1000) / total.max(1);
                (1000 - per_mille).to_string()
            };
            view! {
                <span class="viz-ttl" data-testid="ttl-ring" aria-label=move || format!("expires in {}", format::ttl(left()))>
                    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                        <circle class="ring-bg" cx="12" cy="12" r="9" pathLength="1000"></circle>
                        <circle class="ring" cx="12" cy="12" r="9" pathLength="1000" stroke-dasharray="1000" stroke-dashoffset=offset></circle>
                    </svg>
                    <span class="viz-ttl-text">{move || format::ttl(left())}</span>
                </span>
            }
        })
    }
}

/// A leaderboard: one row per member, keyed by member, so a row that
/// changes rank is the same element sliding to its new place.
#[component]
fn ZSetView(card: Memo<Option<Card>>) -> impl IntoView {
    let rows = move || match card.get().map(|c| c.view) {
        Some(View::ZSet { rows }) => rows,
        _ => Vec::new(),
    };
    let count = move || rows().len();
    view! {
        <ol class="viz-zset" data-testid="zset" style:height=move || format!("{}px", count() * ROW_PX)>
            <For each=rows key=|r| r.member.clone() let:r>
                <ZRow card=card member=r.member.clone() />
            </For>
        </ol>
    }
}

#[component]
fn ZRow(card: Memo<Option<Card>>, member: String) -> impl IntoView {
    let name = member.clone();
    let row = Memo::new(move |_| {
        card.with(|c| match c.as_ref().map(|c| &c.view) {
            Some(View::ZSet { rows }) => rows.iter().find(|r| r.member == name).cloned(),
            _ => None,
        })
    });
    let get =
        move |f: fn(&Ranked) -> String| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
    let top = move || {
        format!(
            "{}px",
            row.with(|r| r.as_ref().map_or(0, |r| r.rank)) * ROW_PX
        )
    };
    let width = move || {
        let bar = row.with(|r| r.as_ref().map_or(0, |r| r.bar));
        format!("{}.{}%", bar / 10, bar % 10)
    };
    let moved = move || {
        row.with(|r| {
            r.as_ref().and_then(|r| match r.prev_rank {
                Some(p) if p > r.rank => Some(format!("▲{}", p - r.rank)),
                Some(p) if p < r.rank => Some(format!("▼{}", r.rank - p)),
                _ => None,
            })
        })
    };
    view! {
        <li class="zrow" class:changed=move || row.with(|r| r.as_ref().is_some_and(|r| r.changed)) style:top=top data-testid="zrow" data-member=member.clone()>
            <span class="zrank">{get(|r| format!("#{}", r.rank + 1))}</span>
            <span class="zbar-track">
                <span class="zbar" style:width=width></span>
                <span class="zmember" title=member.clone()>{member.clone()}</span>
            </span>
            <span class="zscore">{get(|r| r.score_text.clone())}</span>
            <span class="zmove">{moved}</span>
        </li>
    }
}

fn geo_view(points: &[geo::Point], search: Option<&geo::GeoSearch>) -> impl IntoView {
    let plot = Plot::fit(points, search);
    let h = plot.height;
    let area = search.map(|s| {
        let (cx, cy) = plot.project(s.lon, s.lat);
        let shape = match s.shape {
            Shape::Radius(r) => {
                let r = plot.metres(r).max(2);
                view! { <circle class="geo-area" cx=cx.to_string() cy=cy.to_string() r=r.to_string()></circle> }.into_any()
            }
            Shape::Box { width, height } => {
                let (w, hh) = (plot.metres(width).max(2), plot.metres(height).max(2));
                view! {
                    <rect class="geo-area" x=(cx - w / 2).to_string() y=(cy - hh / 2).to_string() width=w.to_string() height=hh.to_string()></rect>
                }
                .into_any()
            }
        };
        let label = format!(
            "search from {} {} · {}",
            geo::degrees_text(s.lon),
            geo::degrees_text(s.lat),
            s.label
        );
        view! {
            <g data-testid="geo-search">
                {shape}
                <path class="geo-centre" d=format!("M{} {}h10M{} {}v10", cx - 5, cy, cx, cy - 5)></path>
                <title>{label}</title>
            </g>
        }
    });
    let dots = points
        .iter()
        .map(|p| {
            let (x, y) = plot.project(p.lon, p.lat);
            let mut tip = format!("{}: {} {}", p.member, geo::degrees_text(p.lon), geo::degrees_text(p.lat));
            if let Some(s) = search {
                let d = geo::distance(s.lon, s.lat, p.lon, p.lat);
                tip.push_str(&format!(" · {} from the search point", geo::distance_text(d)));
            }
            view! {
                <g class="geo-point" tabindex="0" data-testid="geo-point" data-member=p.member.clone()>
                    <title>{tip}</title>
                    <circle cx=x.to_string() cy=y.to_string() r="6"></circle>
                    <text x=(x + 9).to_string() y=(y + 4).to_string()>{p.member.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="viz-geo" viewBox=format!("0 0 {} {h}", geo::WIDTH) role="img" aria-label="members by longitude and latitude">
            {area}
            {dots}
        </svg>
    }
}

/// Pub/sub: publishers, then channels and patterns, then subscribers, as
/// three columns of nodes; subscriptions as thin lines and each of the
/// latest messages' paths drawn over them.
#[component]
fn PubSubView(model: Signal<StageModel>) -> impl IntoView {
    let graph = move || {
        model.with(|m| {
            let ps = &m.pubsub;
            if ps.subs.is_empty() && ps.messages.is_empty() {
                return None;
            }
            let mut pubs: Vec<String> = Vec::new();
            let mut mids: Vec<(String, bool)> = Vec::new(); // (name, is pattern)
            let mut subs: Vec<String> = Vec::new();
            let add = |v: &mut Vec<String>, s: &str| {
                if !v.iter().any(|x| x == s) {
                    v.push(s.to_string());
                }
            };
            let add_mid = |v: &mut Vec<(String, bool)>, s: &str, pat: bool| {
                if !v.iter().any(|x| x.0 == s && x.1 == pat) {
                    v.push((s.to_string(), pat));
                }
            };
            for (_, who, kind, name) in &ps.subs {
                add_mid(&mut mids, name, *kind == engine::event::SubKind::Pattern);
                add(&mut subs, who);
            }
            for msg in &ps.messages {
                add(&mut pubs, msg.from.as_deref().unwrap_or("PUBLISH"));
                add_mid(&mut mids, &msg.channel, false);
                for r in &msg.direct {
                    add(&mut subs, r);
                }
                for (p, r) in &msg.by_pattern {
                    add_mid(&mut mids, p, true);
                    add(&mut subs, r);
                }
            }
            let rows = pubs.len().max(mids.len()).max(subs.len()).max(1) as i32;
            let y = |i: usize| 24 + i as i32 * 40;
            let (xp, xm, xs) = (70, 300, 530);
            let mid_y = |name: &str, pat: bool| {
                y(mids.iter().position(|m| m.0 == name && m.1 == pat).unwrap_or(0))
            };
            let sub_y = |name: &str| y(subs.iter().position(|s| s == name).unwrap_or(0));
            let mut lines = Vec::new();
            for (_, who, kind, name) in &ps.subs {
                let pat = *kind == engine::event::SubKind::Pattern;
                lines.push(("ps-sub", xm + 60, mid_y(name, pat), xs - 60, sub_y(who)));
            }
            for msg in ps.messages.iter().filter(|m| m.fresh) {
                let py = y(pubs
                    .iter()
                    .position(|p| Some(p.as_str()) == msg.from.as_deref().or(Some("PUBLISH")))
                    .unwrap_or(0));
                let cy = mid_y(&msg.channel, false);
                lines.push(("ps-msg", xp + 60, py, xm - 60, cy));
                for r in &msg.direct {
                    lines.push(("ps-msg", xm + 60, cy, xs - 60, sub_y(r)));
                }
                for (p, r) in &msg.by_pattern {
                    let pyy = mid_y(p, true);
                    lines.push(("ps-msg", xm - 40, cy, xm - 40, pyy));
                    lines.push(("ps-msg", xm + 60, pyy, xs - 60, sub_y(r)));
                }
            }
            let node = |x: i32, y: i32, text: String, class: &'static str| {
                view! {
                    <g class=class>
                        <rect x=(x - 60).to_string() y=(y - 13).to_string() width="120" height="26" rx="13"></rect>
                        <text x=x.to_string() y=(y + 4).to_string() text-anchor="middle">{text}</text>
                    </g>
                }
            };
            let short = |s: &str| match s.char_indices().nth(14) {
                Some((i, _)) => format!("{}…", &s[..i]),
                None => s.to_string(),
            };
            let nodes = pubs
                .iter()
                .enumerate()
                .map(|(i, p)| node(xp, y(i), short(p), "ps-node ps-pub"))
                .chain(mids.iter().enumerate().map(|(i, (n, pat))| {
                    node(xm, y(i), short(n), if *pat { "ps-node ps-pattern" } else { "ps-node ps-channel" })
                }))
                .chain(subs.iter().enumerate().map(|(i, s)| node(xs, y(i), short(s), "ps-node ps-subscriber")))
                .collect_view();
            let lines = lines
                .into_iter()
                .map(|(class, x1, y1, x2, y2)| {
                    view! { <line class=class x1=x1.to_string() y1=y1.to_string() x2=x2.to_string() y2=y2.to_string()></line> }
                })
                .collect_view();
            let log = ps
                .messages
                .iter()
                .rev()
                .map(|msg| {
                    let to = msg.direct.len() + msg.by_pattern.len();
                    let text = format!(
                        "{} → {}: {} ({to} receiver{})",
                        msg.from.as_deref().unwrap_or("PUBLISH"),
                        msg.channel,
                        msg.text,
                        if to == 1 { "" } else { "s" }
                    );
                    view! { <li class:fresh=msg.fresh data-testid="message">{text}</li> }
                })
                .collect_view();
            Some(view! {
                <div class="viz-pubsub" data-testid="pubsub">
                    <h3>"Pub/Sub"</h3>
                    <svg viewBox=format!("0 0 600 {}", rows * 40 + 8) role="img" aria-label="publishers, channels and patterns, subscribers">
                        {lines}
                        {nodes}
                    </svg>
                    <ul class="viz-messages">{log}</ul>
                </div>
            })
        })
    };
    view! { {graph} }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
