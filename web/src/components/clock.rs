//! The clock bar: virtual time since the page opened, Pause/Resume, and
//! jumps ahead.
//!
//! Drawn with plain DOM calls ([`crate::viz::dom`]); one click listener on
//! the bar reads the button's `data-act`.

use leptos::html::Div;
use leptos::prelude::*;
use web_sys::Element;

use crate::format;
use crate::state::Playground;
use crate::viz::dom::{attr, button, effect, el, flag, on, target_attr, text, Dom, Listener};

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
    let root = NodeRef::<Div>::new();
    let drawn = StoredValue::new_local(None::<Drawn>);
    // The time, ten times a second: only its text.
    effect(Box::new(move || {
        let Some(root) = root.get() else { return };
        let shown = format::clock(pg.shown_now.get().saturating_sub(pg.start.get()));
        drawn.update_value(|d| {
            d.get_or_insert_with(|| Drawn::new(&root, pg))
                .time
                .set_text_content(Some(&shown))
        });
    }));
    effect(Box::new(move || {
        let Some(root) = root.get() else { return };
        let paused = pg.paused.get();
        let speed = pg.speed.get();
        let expiry = pg.next_expiry.with(Option::is_some);
        drawn.update_value(|d| {
            d.get_or_insert_with(|| Drawn::new(&root, pg))
                .draw(paused, speed, expiry)
        });
    }));
    view! { <div class="clock" role="group" aria-labelledby="clock-label" node_ref=root></div> }
}

struct Drawn {
    time: Element,
    state: Element,
    play: Element,
    icon: Element,
    speeds: Vec<(u32, Element)>,
    next: Element,
    _click: Listener,
}

impl Drawn {
    fn new(root: &Element, pg: Playground) -> Drawn {
        attr(
            &root.add(text("span", "clock-label", "Virtual time")),
            "id",
            "clock-label",
        );
        let time = root.add(el("span", "clock-time"));
        attr(&time, "role", "timer");
        attr(&time, "data-testid", "clock");
        let state = root.add(el("span", "clock-state"));
        let buttons = root.add(el("div", "clock-buttons"));
        let play = buttons.add(button("btn btn-primary", "Pause", "play"));
        attr(&play, "title", "Play or pause the virtual clock");
        // Drawn in CSS: symbol fonts vary too much between systems.
        let icon = el("span", "icon icon-pause");
        attr(&icon, "aria-hidden", "true");
        play.prepend_with_node_1(&icon).ok();
        let group = buttons.add(el("div", "speeds"));
        attr(&group, "role", "group");
        attr(&group, "aria-label", "Speed");
        let speeds = SPEEDS
            .iter()
            .map(|&speed| {
                let b = group.add(button(
                    "btn speed",
                    &format!("{speed}x"),
                    &format!("s{speed}"),
                ));
                attr(
                    &b,
                    "title",
                    &format!("Virtual time runs {speed} times as fast as real time"),
                );
                (speed, b)
            })
            .collect();
        for (label, name, ms) in JUMPS {
            let b = buttons.add(button("btn", label, &format!("j{ms}")));
            attr(&b, "aria-label", name);
            attr(&b, "title", name);
        }
        let next = buttons.add(button("btn", "Next expiry", "next"));
        attr(&next, "aria-label", "Jump to the next expiry");
        attr(&next, "title", "Jump to the moment the next key expires");
        let click = on(
            root,
            "click",
            Box::new(move |ev| {
                let Some(act) = target_attr(&ev, "data-act") else {
                    return;
                };
                let n = act.get(1..).and_then(|n| n.parse().ok());
                match (act.as_bytes().first(), n) {
                    (Some(b'p'), _) => pg.set_paused(!pg.paused.get_untracked()),
                    (Some(b's'), Some(speed)) => pg.set_speed(speed as u32),
                    (Some(b'j'), Some(ms)) => pg.jump(ms),
                    (Some(b'n'), _) => pg.jump_to_next_expiry(),
                    _ => {}
                }
            }),
        );
        Drawn {
            time,
            state,
            play,
            icon,
            speeds,
            next,
            _click: click,
        }
    }

    fn draw(&self, paused: bool, speed: u32, expiry: bool) {
        self.state
            .set_text_content(Some(if paused { "paused" } else { "running" }));
        self.state
            .class_list()
            .toggle_with_force("paused", paused)
            .ok();
        self.icon.set_class_name(if paused {
            "icon icon-play"
        } else {
            "icon icon-pause"
        });
        if let Some(label) = self.play.last_child() {
            label.set_text_content(Some(if paused { "Play" } else { "Pause" }));
        }
        for (s, b) in &self.speeds {
            attr(
                b,
                "aria-pressed",
                if *s == speed { "true" } else { "false" },
            );
        }
        flag(&self.next, "disabled", !expiry);
    }
}
