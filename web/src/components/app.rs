//! The whole page: the header and the workbench, opened on the scenario
//! the URL's hash names (`#/<slug>`, `#/<slug>?script=<payload>`);
//! back/forward and bookmarks work because the hash is the state.

use leptos::prelude::*;

use crate::routes::{self, Route};
use crate::scenarios::{self, Scenario};
use crate::state::Playground;
use crate::workbench::Workbench;

/// The script a scenario opens with.
// MERGE(editor): `saved::load(&scenario.slug)` first, falling back to
// the original when it gives `Ok(None)` or an error (shown as a problem).
fn initial_script(scenario: &Scenario) -> String {
    scenario.script.clone()
}

/// A shared link's script.
// MERGE(editor): `crate::share::decode(payload)`.
fn shared_script(_payload: &str) -> Result<String, String> {
    Err("Shared links open once the share codec is merged.".to_string())
}

#[component]
pub fn App(
    /// The `localStorage` prefix the console is saved under.
    #[prop(into)]
    storage_key: String,
) -> impl IntoView {
    let pg = Playground::new(&storage_key);
    pg.start_clock();
    let route_problem = RwSignal::new(None::<String>);
    let open = move |route: Route| {
        let Some(scenario) = scenarios::find(&route.slug) else {
            return;
        };
        let script = match route.shared.as_deref().map(shared_script) {
            Some(Ok(script)) => {
                route_problem.set(None);
                script
            }
            Some(Err(problem)) => {
                route_problem.set(Some(format!(
                    "This link's script could not be opened: {problem}"
                )));
                initial_script(&scenario)
            }
            None => {
                route_problem.set(None);
                initial_script(&scenario)
            }
        };
        pg.open(scenario.slug, &script);
    };
    let hash = || window().location().hash().unwrap_or_default();
    open(routes::parse(&hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        open(routes::parse(&hash()))
    });
    on_cleanup(move || listener.remove());
    view! {
        <header class="top">
            <h1>"Redis Playground"</h1>
            <p class="hint">
                "A Redis 7 engine running in your browser. Pick a use case, run or step through its script, and watch keys, clients and the clock."
            </p>
        </header>
        {move || {
            pg.storage_problem
                .get()
                .map(|problem| {
                    view! {
                        <p class="storage-problem" role="alert" data-testid="storage-problem">
                            {problem}
                        </p>
                    }
                })
        }}
        {move || {
            route_problem
                .get()
                .map(|problem| {
                    view! {
                        <p class="storage-problem" role="alert" data-testid="route-problem">
                            {problem}
                        </p>
                    }
                })
        }}
        <main class="main">
            <Workbench pg=pg />
        </main>
    }
}
