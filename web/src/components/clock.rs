//! The clock bar: virtual time since the page opened, Pause/Resume, and
//! jumps ahead.

use leptos::prelude::*;

use crate::format;
use crate::state::Playground;

/// (visible label, accessible name, ms)
const JUMPS: [(&str, &str, u64); 3] = [
    ("+1 s", "Advance 1 second", 1_000),
    ("+10 s", "Advance 10 seconds", 10_000),
    ("+1 min", "Advance 1 minute", 60_000),
];

/// Play speeds: virtual ms per real ms.
const SPEEDS: [u32; 3] = [1, 10, 100];

#[component]
pub fn Clock(pg: Playground) -> impl IntoView {
    let elapsed = move || format::clock(pg.shown_now.get().saturating_sub(pg.start.get()));
    let paused = pg.paused;
    let jumps = JUMPS
        .iter()
        .map(|&(label, name, ms)| {
            view! {
                <button
                    type="button"
                    class="btn"
                    aria-label=name
                    title=name
                    on:click=move |_| pg.jump(ms)
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="clock" role="group" aria-labelledby="clock-label">
            <span class="clock-label" id="clock-label">
                "Virtual time"
            </span>
            <span class="clock-time" role="timer" data-testid="clock">
                {elapsed}
            </span>
            <span class="clock-state" class:paused=paused>
                {move || if paused.get() { "paused" } else { "running" }}
            </span>
            <div class="clock-buttons">
                <button
                    type="button"
                    class="btn btn-primary"
                    title="Play or pause the virtual clock"
                    on:click=move |_| pg.set_paused(!paused.get_untracked())
                >
                    // Drawn in CSS: symbol fonts vary too much between systems.
                    <span
                        aria-hidden="true"
                        class="icon"
                        class=("icon-play", move || paused.get())
                        class=("icon-pause", move || !paused.get())
                    ></span>
                    {move || if paused.get() { "Play" } else { "Pause" }}
                </button>
                <div class="speeds" role="group" aria-label="Speed">
                    {SPEEDS
                        .iter()
                        .map(|&speed| {
                            view! {
                                <button
                                    type="button"
                                    class="btn speed"
                                    aria-pressed=move || (pg.speed.get() == speed).to_string()
                                    title=format!("Virtual time runs {speed} times as fast as real time")
                                    on:click=move |_| pg.set_speed(speed)
                                >
                                    {format!("{speed}x")}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                {jumps}
                <button
                    type="button"
                    class="btn"
                    aria-label="Jump to the next expiry"
                    title="Jump to the moment the next key expires"
                    disabled=move || pg.next_expiry.get().is_none()
                    on:click=move |_| pg.jump_to_next_expiry()
                >
                    "Next expiry"
                </button>
            </div>
        </div>
    }
}
