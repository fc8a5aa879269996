//! The scenario workbench: the page's layout around one scenario. The
//! scenario list (hash links), its story, the run controls, the script,
//! the stage (the data drawn, and the key list), the client lanes, the
//! transcript, the clock and the console. On a phone the parts become
//! tabs (Script / Stage / Lanes / Console) with the clock pinned below.

pub mod code;
pub mod controls;
pub mod lanes;
pub mod script;
pub mod transcript;

use leptos::prelude::*;

use crate::components::clock::Clock;
use crate::components::console::Console;
use crate::components::key_list::KeyList;
use crate::routes;
use crate::scenarios::{self, Scenario};
use crate::state::Playground;
use crate::viz::Stage;

use code::CodeView;
use controls::RunControls;
use lanes::Lanes;
use script::ScriptArea;
use transcript::Transcript;

/// The phone's tabs: (id, label).
const TABS: [(&str, &str); 4] = [
    ("script", "Script"),
    ("stage", "Stage"),
    ("lanes", "Lanes"),
    ("console", "Console"),
];

#[component]
pub fn Workbench(pg: Playground) -> impl IntoView {
    let scenario = Memo::new(move |_| {
        scenarios::find(&pg.slug.get()).or_else(|| scenarios::find(routes::DEFAULT_SLUG))
    });
    let tab = RwSignal::new("script");
    let tabs = TABS
        .iter()
        .map(|&(id, label)| {
            view! {
                <button
                    type="button"
                    role="tab"
                    class="tab"
                    id=format!("tab-{id}")
                    aria-controls=format!("part-{id}")
                    aria-selected=move || (tab.get() == id).to_string()
                    on:click=move |_| tab.set(id)
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="workbench" data-tab=move || tab.get() data-testid="workbench">
            <ScenarioList pg=pg />
            <section class="wb-main" aria-label="Scenario">
                <Intro scenario=scenario />
                <RunControls pg=pg />
                <div class="wb-tabs" role="tablist" aria-label="Parts">
                    {tabs}
                </div>
                <div class="wb-grid">
                    <div class="wb-part wb-script" id="part-script" role="region" aria-label="Script">
                        <ScriptArea pg=pg />
                        <CodeView pg=pg />
                        <Transcript pg=pg />
                    </div>
                    <div class="wb-part wb-stage" id="part-stage" role="region" aria-label="Stage">
                        <Stage model=pg.stage now=pg.now />
                        <KeyList pg=pg />
                    </div>
                    <div class="wb-part wb-lanes" id="part-lanes" role="region" aria-label="Lanes">
                        <Lanes pg=pg />
                    </div>
                    <div class="wb-part wb-console" id="part-console" role="region" aria-label="Console area">
                        <Console pg=pg />
                    </div>
                </div>
                <div class="wb-clock">
                    <Clock pg=pg />
                </div>
            </section>
        </div>
    }
}

#[component]
fn ScenarioList(pg: Playground) -> impl IntoView {
    let items = scenarios::all()
        .into_iter()
        .map(|s| {
            let slug = s.slug;
            let current = move || pg.slug.get() == slug;
            view! {
                <li>
                    <a
                        href=routes::href(slug)
                        class="scenario-link"
                        class:current=current
                        aria-current=move || current().then_some("page")
                        data-testid="scenario-link"
                    >
                        {s.title}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="scenarios" aria-labelledby="scenarios-title">
            <h2 id="scenarios-title">"Use cases"</h2>
            <ul>{items}</ul>
        </nav>
    }
}

#[component]
fn Intro(scenario: Memo<Option<Scenario>>) -> impl IntoView {
    let title = move || scenario.with(|s| s.as_ref().map(|s| s.title.clone()).unwrap_or_default());
    let story = move || scenario.with(|s| s.as_ref().map(|s| s.story.clone()).unwrap_or_default());
    let watch = move || scenario.with(|s| s.as_ref().map(|s| s.watch.clone()).unwrap_or_default());
    view! {
        <header class="intro">
            <h2 class="intro-title" data-testid="scenario-title">
                {title}
            </h2>
            <p class="story">{story}</p>
            <p class="watch" hidden=move || watch().is_empty()>
                <strong>"What to watch: "</strong>
                {watch}
            </p>
        </header>
    }
}
