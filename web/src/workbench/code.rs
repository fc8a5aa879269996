//! The script as Node.js code (ioredis), under the script: closed until
//! asked for, then kept in step with the script (see `crate::nodejs`).
//! Plain DOM, like the stage (smaller than typed views).

use leptos::prelude::*;

use crate::nodejs;
use crate::state::Playground;
use crate::viz::dom::{self, attr, build, builder, el, on, text, Dom};

/// Lines translated at most: a 100,000-line script shows its beginning.
const MAX_LINES: usize = 2_000;

fn code_of(script: &str) -> String {
    match script.match_indices('\n').nth(MAX_LINES - 1) {
        Some((i, _)) => format!(
            "{}// … the rest of the script ({} more lines) is left out here\n",
            nodejs::ioredis(&script[..i]),
            script[i..].lines().count().saturating_sub(1)
        ),
        None => nodejs::ioredis(script),
    }
}

#[component]
pub fn CodeView(pg: Playground) -> impl IntoView {
    view! { <div class="code-host" use:build=builder(move |host| draw(&host, pg))></div> }
}

fn draw(host: &web_sys::Element, pg: Playground) {
    let details = host.add(el("details", "panel code-view"));
    attr(&details, "data-testid", "code-view");
    details.add(text("summary", "", "As Node.js code (ioredis)"));
    let pre = details.add(el("pre", "code"));
    attr(&pre, "data-testid", "code");
    let open = RwSignal::new(false);
    let d = details.clone();
    let toggle = on(
        &details,
        "toggle",
        Box::new(move |_| open.set(d.has_attribute("open"))),
    );
    // The listener lives as long as the view.
    let toggle = StoredValue::new_local(toggle);
    dom::effect(Box::new(move || {
        toggle.with_value(|_| ());
        if open.get() {
            let code = pg.script.with(|s| code_of(s));
            pre.set_text_content(Some(&code));
        }
    }));
}
