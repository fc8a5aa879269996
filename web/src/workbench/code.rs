//! The script as Node.js code (ioredis), under the script: closed until
//! asked for, then kept in step with the script (see `crate::nodejs`).
//! Plain DOM, like the stage (smaller than typed views).

use leptos::html::Div;
use leptos::prelude::*;

use crate::nodejs;
use crate::state::Playground;
use crate::viz::dom::{self, attr, el, on, text, Dom, Listener};

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
    let host = NodeRef::<Div>::new();
    let open = RwSignal::new(false);
    let parts = StoredValue::new_local(None::<(web_sys::Element, Listener)>);
    dom::effect(Box::new(move || {
        let Some(host) = host.get() else { return };
        if parts.with_value(Option::is_some) {
            return;
        }
        let details = el("details", "panel code-view");
        attr(&details, "data-testid", "code-view");
        details.add(text("summary", "", "As Node.js code (ioredis)"));
        let code = details.add(el("pre", "code"));
        attr(&code, "data-testid", "code");
        let d = details.clone();
        let toggle = on(
            &details,
            "toggle",
            Box::new(move |_| open.set(d.has_attribute("open"))),
        );
        host.append_child(&details).ok();
        parts.set_value(Some((code, toggle)));
    }));
    dom::effect(Box::new(move || {
        if open.get() {
            let code = pg.script.with(|s| code_of(s));
            parts.with_value(|p| p.as_ref().map(|(pre, _)| pre.set_text_content(Some(&code))));
        }
    }));
    view! { <div class="code-host" node_ref=host></div> }
}
