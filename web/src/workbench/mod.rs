//! The scenario workbench: the page's layout around one scenario. The
//! scenario list (hash links), its story, the run controls, the script,
//! the stage (the data drawn, and the key list), the client lanes, the
//! transcript, the clock and the console. On a phone the parts become
//! tabs (Script / Stage / Lanes / Console) with the clock pinned below.

pub mod controls;
pub mod lanes;
pub mod script;
pub mod transcript;

use leptos::html;
use leptos::prelude::*;
use web_sys::Element;

use crate::components::clock::Clock;
use crate::components::console::Console;
use crate::components::key_list::KeyList;
use crate::routes;
use crate::scenarios;
use crate::state::Playground;
use crate::viz::dom::{
    attr, attrs, button, class_if, el, flag, on, target_attr, text, Dom, Listener,
};
use crate::viz::Stage;

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
    let wb = NodeRef::<html::Div>::new();
    let nav = NodeRef::<html::Nav>::new();
    let intro = NodeRef::<html::Header>::new();
    let tabs = NodeRef::<html::Div>::new();
    let keep = StoredValue::new_local(None::<Listener>);
    // The scenario list, the story and the tabs, drawn with plain DOM calls.
    Effect::new(move |_| {
        let (Some(wb), Some(nav), Some(intro), Some(tabs)) =
            (wb.get(), nav.get(), intro.get(), tabs.get())
        else {
            return;
        };
        for (id, label) in TABS {
            let b = tabs.add(button("tab", label, id));
            attrs(
                &b,
                &[
                    ("role", "tab"),
                    ("id", &format!("tab-{id}")),
                    ("aria-controls", &format!("part-{id}")),
                    (
                        "aria-selected",
                        if id == "script" { "true" } else { "false" },
                    ),
                ],
            );
        }
        let list: Element = tabs.clone().into();
        let l = on(
            &tabs,
            "click",
            Box::new(move |ev| {
                let Some(id) = target_attr(&ev, "data-act") else {
                    return;
                };
                attr(&wb, "data-tab", &id);
                let buttons = list.children();
                for b in (0..buttons.length()).filter_map(|i| buttons.item(i)) {
                    let on = b.get_attribute("data-act").as_deref() == Some(id.as_str());
                    attr(&b, "aria-selected", if on { "true" } else { "false" });
                }
            }),
        );
        keep.set_value(Some(l));

        nav.add(text("h2", "", "Use cases"))
            .set_id("scenarios-title");
        let ul = nav.add(el("ul", ""));
        let links: Vec<(&str, Element)> = scenarios::all()
            .into_iter()
            .map(|s| {
                let a = ul
                    .add(el("li", ""))
                    .add(text("a", "scenario-link", &s.title));
                attrs(
                    &a,
                    &[
                        ("href", &routes::href(s.slug)),
                        ("data-testid", "scenario-link"),
                    ],
                );
                (s.slug, a)
            })
            .collect();
        let title = intro.add(text("h2", "intro-title", ""));
        attr(&title, "data-testid", "scenario-title");
        let story = intro.add(el("p", "story"));
        let watch = intro.add(el("p", "watch"));
        Effect::new(move |_| {
            let slug = pg.slug.get();
            for (s, a) in &links {
                let current = *s == slug;
                class_if(a, "current", current);
                flag(a, "aria-current", false);
                if current {
                    attr(a, "aria-current", "page");
                }
            }
            let scenario = scenarios::find(&slug).or_else(|| scenarios::find(routes::DEFAULT_SLUG));
            let (t, st, w) = scenario
                .map(|s| (s.title, s.story, s.watch))
                .unwrap_or_default();
            title.set_text_content(Some(&t));
            story.set_text_content(Some(&st));
            watch.set_text_content(None);
            watch.add(text("strong", "", "What to watch: "));
            watch.append_with_str_1(&w).ok();
            flag(&watch, "hidden", w.is_empty());
        });
    });
    view! {
        <div class="workbench" data-tab="script" data-testid="workbench" node_ref=wb>
            <nav class="scenarios" aria-labelledby="scenarios-title" node_ref=nav></nav>
            <section class="wb-main" aria-label="Scenario">
                <header class="intro" node_ref=intro></header>
                <RunControls pg=pg />
                <div class="wb-tabs" role="tablist" aria-label="Parts" node_ref=tabs></div>
                <div class="wb-grid">
                    <div class="wb-part wb-script" id="part-script" role="region" aria-label="Script">
                        <ScriptArea pg=pg />
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
