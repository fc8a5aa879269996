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
use web_sys::Element;

use crate::components::clock::Clock;
use crate::components::console::Console;
use crate::components::key_list::KeyList;
use crate::routes;
use crate::scenarios;
use crate::state::Playground;
use crate::viz::dom::{
    attr, attrs, build, builder, button, class_if, effect, el, flag, on, target_attr, text, Dom,
};
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

/// The workbench's constant skeleton (no user text): the parts' slots,
/// filled by [`fill`].
const SKELETON: &str = "<nav class=\"scenarios\" aria-labelledby=\"scenarios-title\"></nav>\
<section class=\"wb-main\" aria-label=\"Scenario\"><header class=\"intro\"></header>\
<div class=\"wb-tabs\" role=\"tablist\" aria-label=\"Parts\"></div><div class=\"wb-grid\">\
<div class=\"wb-part wb-script\" id=\"part-script\" role=\"region\" aria-label=\"Script\"></div>\
<div class=\"wb-part wb-stage\" id=\"part-stage\" role=\"region\" aria-label=\"Stage\"></div>\
<div class=\"wb-part wb-lanes\" id=\"part-lanes\" role=\"region\" aria-label=\"Lanes\"></div>\
<div class=\"wb-part wb-console\" id=\"part-console\" role=\"region\" aria-label=\"Console area\"></div>\
</div><div class=\"wb-clock\"></div></section>";

#[component]
pub fn Workbench(pg: Playground) -> impl IntoView {
    view! {
        <div class="workbench" data-tab="script" data-testid="workbench" use:build=builder(move |wb| fill(wb, pg))></div>
    }
}

/// Builds the skeleton and mounts the parts into it: a typed `view!` of
/// the whole grid costs the wasm kilobytes of per-tree rendering code.
fn fill(wb: Element, pg: Playground) {
    // The parts' bodies run first, then the skeleton's own effects, then
    // the parts mount: the order their effects run in, as in one `view!`
    // (the console's focus on arrival scrolls with the clock drawn).
    let controls = view! { <RunControls pg=pg /> };
    let script_area = view! { <ScriptArea pg=pg /> };
    let code = view! { <CodeView pg=pg /> };
    let transcript = view! { <Transcript pg=pg /> };
    let stage = view! { <Stage model=pg.stage now=pg.now /> };
    let keys = view! { <KeyList pg=pg /> };
    let lanes = view! { <Lanes pg=pg /> };
    let console = view! { <Console pg=pg /> };
    let clock = view! { <Clock pg=pg /> };
    wb.set_inner_html(SKELETON);
    let slot = |sel: &str| wb.query_selector(sel).ok().flatten().expect("the skeleton");
    scenario_list(slot(".scenarios"), pg);
    intro(slot(".intro"), pg);
    let tabs_list = slot(".wb-tabs");
    tabs(tabs_list.clone());
    put(&slot(".wb-main"), Some(&tabs_list), controls);
    let part = slot("#part-script");
    put(&part, None, script_area);
    put(&part, None, code);
    put(&part, None, transcript);
    let part = slot("#part-stage");
    put(&part, None, stage);
    put(&part, None, keys);
    put(&slot("#part-lanes"), None, lanes);
    put(&slot("#part-console"), None, console);
    put(&slot(".wb-clock"), None, clock);
}

/// Builds a part's view and mounts it in `parent` (before `before`).
/// The parts' views are static elements (a `node_ref` or `use:build`
/// host; what they draw lives in effects owned by the reactive owner),
/// so their rendered state holds nothing to keep.
fn put(parent: &Element, before: Option<&Element>, v: impl Render) {
    v.build().mount(parent, before.map(|e| e.as_ref()));
}

/// The phone's tabs: a click shows its part (the workbench's `data-tab`).
fn tabs(list: Element) {
    for (id, label) in TABS {
        let b = list.add(button("tab", label, id));
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
    let buttons = list.children();
    let wb = list.clone();
    let l = on(
        &list,
        "click",
        Box::new(move |ev| {
            let Some(id) = target_attr(&ev, "data-act") else {
                return;
            };
            if let Ok(Some(wb)) = wb.closest(".workbench") {
                attr(&wb, "data-tab", &id);
            }
            for b in (0..buttons.length()).filter_map(|i| buttons.item(i)) {
                let on = b.get_attribute("data-act").as_deref() == Some(id.as_str());
                attr(&b, "aria-selected", if on { "true" } else { "false" });
            }
        }),
    );
    StoredValue::new_local(l);
}

/// The use cases, the current one marked.
fn scenario_list(nav: Element, pg: Playground) {
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
    effect(Box::new(move || {
        let slug = pg.slug.get();
        for (s, a) in &links {
            let current = *s == slug;
            class_if(a, "current", current);
            flag(a, "aria-current", false);
            if current {
                attr(a, "aria-current", "page");
                // On a phone the list is a strip that scrolls sideways:
                // keep the open scenario in sight (never moves the page
                // when it already is).
                let to = web_sys::ScrollIntoViewOptions::new();
                to.set_block(web_sys::ScrollLogicalPosition::Nearest);
                to.set_inline(web_sys::ScrollLogicalPosition::Nearest);
                a.scroll_into_view_with_scroll_into_view_options(&to);
            }
        }
    }));
}

/// The scenario's title, story and what to watch.
fn intro(header: Element, pg: Playground) {
    let title = header.add(text("h2", "intro-title", ""));
    attr(&title, "data-testid", "scenario-title");
    let story = header.add(el("p", "story"));
    let watch = header.add(el("p", "watch"));
    effect(Box::new(move || {
        let slug = pg.slug.get();
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
    }));
}
