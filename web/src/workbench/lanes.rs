//! Client lanes: one per client the script (or the console) used: what it
//! sent and got back, whether it is blocked (on what, since and until
//! when), its subscriptions, its MULTI queue and WATCHed keys. A message
//! or a wake-up flies from the sender's lane to the receiver's.

use leptos::prelude::*;

use crate::format;
use crate::runner::{Flight, Lane, Traffic};
use crate::state::Playground;

#[component]
pub fn Lanes(pg: Playground) -> impl IntoView {
    let rows = move || -> Vec<(usize, Lane)> { pg.lanes.get().into_iter().enumerate().collect() };
    view! {
        <section class="panel lanes" aria-labelledby="lanes-title">
            <header class="panel-head">
                <h2 id="lanes-title">"Clients"</h2>
            </header>
            <p class="empty" hidden=move || !pg.lanes.with(Vec::is_empty)>
                "Each client of the script gets a lane here once it sends a command."
            </p>
            <ul class="lane-list" data-testid="lanes">
                <For
                    each=rows
                    key=|(i, lane)| (*i, lane.clone())
                    let:item
                >
                    <LaneRow pg=pg index=item.0 lane=item.1 />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn LaneRow(pg: Playground, index: usize, lane: Lane) -> impl IntoView {
    let name = lane.name.clone();
    let blocked = lane.blocked.clone().map(|b| {
        let since = format::clock(b.since.saturating_sub(pg.start.get_untracked()));
        let until = match b.until {
            Some(at) => format!(
                "until {}",
                format::clock(at.saturating_sub(pg.start.get_untracked()))
            ),
            None => "no timeout".to_string(),
        };
        view! {
            <span class="chip chip-blocked" data-testid="lane-blocked">
                {format!("⏳ {} {} · since {since} · {until}", b.command.to_uppercase(), b.keys.join(" "))}
            </span>
        }
    });
    let subs = (!lane.subscriptions.is_empty()).then(|| {
        view! {
            <span class="chip chip-sub" data-testid="lane-subs">
                {format!("subscribed: {}", lane.subscriptions.join(", "))}
            </span>
        }
    });
    let multi = lane.queued.clone().map(|q| {
        let s = if q.len() == 1 { "" } else { "s" };
        view! {
            <span class="chip chip-multi" title=q.join("\n") data-testid="lane-multi">
                {format!("MULTI · {} queued command{s}", q.len())}
            </span>
        }
    });
    let watch = (!lane.watching.is_empty()).then(|| {
        view! {
            <span class="chip chip-watch" data-testid="lane-watch">
                {format!("WATCH {}", lane.watching.join(" "))}
            </span>
        }
    });
    let traffic = lane
        .traffic
        .iter()
        .map(|t| match t {
            Traffic::Sent(cmd) => view! { <li class="sent">{format!("→ {cmd}")}</li> }.into_any(),
            Traffic::Got {
                text,
                error,
                pushed,
            } => {
                let text = text.replace('\n', " ");
                view! {
                    <li class="got" class:error=*error class:pushed=*pushed>
                        {format!("← {text}")}
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    // What flew into this lane in the last action (drawn once per action).
    let lane_name = lane.name.clone();
    let arrivals = move || {
        let (id, flights) = pg.flights.get();
        let lanes = pg.lanes.get_untracked();
        let index_of = |n: &Option<String>| {
            n.as_ref()
                .and_then(|n| lanes.iter().position(|l| &l.name == n))
        };
        flights
            .into_iter()
            .filter_map(|f| {
                let (from, to, label) = match f {
                    Flight::Message {
                        from,
                        to,
                        channel,
                        pattern,
                    } => {
                        let via = pattern.map(|p| format!(" via {p}")).unwrap_or_default();
                        (from, to, format!("✉ {channel}{via}"))
                    }
                    Flight::Wake { from, to, key } => (from, to, format!("⚡ woken by {key}")),
                };
                (to == lane_name).then(|| {
                    let dy = index_of(&from).map_or(0, |f| f as i64 - index as i64);
                    view! {
                        <span
                            class="flight"
                            style=format!("--dy: {dy}")
                            data-testid="flight"
                            data-flight=id.to_string()
                        >
                            {label}
                        </span>
                    }
                })
            })
            .collect_view()
    };
    view! {
        <li class="lane" data-testid="lane" data-client=name.clone()>
            <span class="lane-name">{name.clone()}</span>
            <div class="lane-state">{blocked} {subs} {multi} {watch}</div>
            <ol class="lane-traffic">{traffic}</ol>
            <div class="lane-flights" aria-live="polite">{arrivals}</div>
        </li>
    }
}
