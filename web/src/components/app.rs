//! The whole page: the header and the workbench, opened on the scenario
//! the URL's hash names (`#/<slug>`, `#/<slug>?script=<payload>`);
//! back/forward and bookmarks work because the hash is the state.

use leptos::prelude::*;

use crate::routes::{self, Route};
use crate::saved;
use crate::scenarios::{self, Scenario};
use crate::state::{Playground, Replaced};
use crate::viz::dom::{attr, build, builder, effect, el, on};
use crate::workbench::Workbench;
use web_sys::Element;

/// The script a scenario opens with: the learner's saved edit if there is
/// one, else the scenario's own (a storage failure is said, not hidden).
fn initial_script(scenario: &Scenario) -> (String, Option<String>) {
    match saved::load(scenario.slug) {
        Ok(Some(script)) => (script, None),
        Ok(None) => (scenario.script.clone(), None),
        Err(problem) => (scenario.script.clone(), Some(problem)),
    }
}

/// A shared link's script.
fn shared_script(payload: &str) -> Result<String, String> {
    crate::share::decode(payload)
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
        // A shared script takes the place of the learner's own, which
        // Undo brings back.
        let mut theirs = None;
        let script = match route.shared.as_deref().map(shared_script) {
            Some(Ok(script)) => {
                route_problem.set(None);
                let (mine, _) = initial_script(&scenario);
                if mine != script {
                    theirs = Some(mine);
                }
                script
            }
            Some(Err(problem)) => {
                let (script, _) = initial_script(&scenario);
                route_problem.set(Some(format!(
                    "This link's script could not be opened: {problem}"
                )));
                script
            }
            None => {
                let (script, problem) = initial_script(&scenario);
                route_problem
                    .set(problem.map(|p| format!("Your saved script could not be read: {p}")));
                script
            }
        };
        pg.open(scenario.slug, &script);
        if route.shared.is_some() {
            // The link has done its work: a reload must not put the shared
            // script back over the edits made since (it is saved by now).
            if let Ok(history) = window().history() {
                let plain = format!("#/{}", scenario.slug);
                history
                    .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&plain))
                    .ok();
            }
        }
        if let Some(previous) = theirs {
            pg.replaced.set(Some(Replaced {
                previous,
                current: script,
                note: "Opened the shared script in place of yours.".to_string(),
            }));
        }
    };
    let hash = || window().location().hash().unwrap_or_default();
    open(routes::parse(&hash()));
    // Removed when the app is (the listeners drop with their owner).
    StoredValue::new_local(on(
        &window(),
        "hashchange",
        Box::new(move |_| open(routes::parse(&hash()))),
    ));
    // Leaving or hiding the page saves an edit typing has not paused after.
    StoredValue::new_local(on(
        &window(),
        "pagehide",
        Box::new(move |_| pg.save_script()),
    ));
    StoredValue::new_local(on(
        &document(),
        "visibilitychange",
        Box::new(move |_| pg.save_script()),
    ));
    view! {
        <header class="top" use:build=builder(move |h| problems(h, pg, route_problem))>
            <h1>"Redis Playground"</h1>
            <p class="hint">
                "A Redis 7 engine running in your browser. Pick a use case, run or step through its script, and watch keys, clients and the clock."
            </p>
        </header>
        <main class="main">
            <Workbench pg=pg />
        </main>
    }
}

/// Storage and link problems, under the header (plain DOM, as text).
fn problems(head: Element, pg: Playground, route_problem: RwSignal<Option<String>>) {
    let storage = el("p", "storage-problem");
    attr(&storage, "role", "alert");
    attr(&storage, "data-testid", "storage-problem");
    let route = el("p", "storage-problem");
    attr(&route, "role", "alert");
    attr(&route, "data-testid", "route-problem");
    effect(Box::new(move || {
        storage.remove();
        route.remove();
        // The last first: each goes right after the header.
        for (p, problem) in [
            (&route, route_problem.get()),
            (&storage, pg.storage_problem.get()),
        ] {
            if let Some(problem) = problem {
                p.set_text_content(Some(&problem));
                head.after_with_node_1(p).ok();
            }
        }
    }));
}
