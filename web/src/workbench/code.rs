//! The script as Node.js code (ioredis), under the script: closed until
//! asked for, then kept in step with the script (see `crate::nodejs`).
//! Plain DOM, like the stage (smaller than typed views).

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::nodejs;
use crate::state::Playground;
use crate::viz::dom::{attr, el, text, Dom};

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
    let pre = StoredValue::new_local(None::<web_sys::Element>);
    Effect::new(move |_| {
        let Some(host) = host.get() else { return };
        let details = el("details", "panel code-view");
        attr(&details, "data-testid", "code-view");
        details.add(text("summary", "", "As Node.js code (ioredis)"));
        let code = details.add(el("pre", "code"));
        attr(&code, "data-testid", "code");
        let d = details.clone();
        let on_toggle = Closure::<dyn Fn()>::new(move || open.set(d.has_attribute("open")));
        details
            .add_event_listener_with_callback("toggle", on_toggle.as_ref().unchecked_ref())
            .ok();
        on_toggle.forget();
        host.replace_with_with_node_1(&details).ok();
        pre.set_value(Some(code));
    });
    Effect::new(move |_| {
        if open.get() {
            let code = pg.script.with(|s| code_of(s));
            pre.with_value(|p| p.as_ref().map(|p| p.set_text_content(Some(&code))));
        }
    });
    view! { <div node_ref=host></div> }
}
