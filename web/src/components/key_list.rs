//! The live key list: name, type (one hue per type), and a TTL counting
//! down with the virtual clock; expiry notices say what took a key.

use leptos::prelude::*;

use crate::format;
use crate::session::KeyRow;
use crate::state::Playground;

#[component]
pub fn KeyList(pg: Playground) -> impl IntoView {
    let summary = move || {
        pg.keys.with(|k| {
            let s = if k.total == 1 { "" } else { "s" };
            format!("db {} · {} key{s}", k.db, k.total)
        })
    };
    let hidden = move || pg.keys.with(|k| k.total.saturating_sub(k.rows.len()));
    view! {
        <section class="panel keys" aria-labelledby="keys-title">
            <header class="panel-head">
                <h2 id="keys-title">"Keys"</h2>
                <span class="meta" data-testid="key-summary">
                    {summary}
                </span>
            </header>
            <Show when=move || pg.keys.with(|k| k.total == 0)>
                <p class="empty">"No keys yet. Set one in the console and watch its TTL run down."</p>
            </Show>
            <ul class="key-list" aria-labelledby="keys-title" data-testid="key-list">
                <For
                    each=move || pg.keys.get().rows
                    key=|row| (row.label.clone(), row.type_name, row.expire_at)
                    let:row
                >
                    <KeyItem pg=pg row=row />
                </For>
            </ul>
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
fn KeyItem(pg: Playground, row: KeyRow) -> impl IntoView {
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
        <li class="key" data-testid="key" data-key=row.label.clone()>
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
