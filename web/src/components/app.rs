//! The whole page: header, the clock bar, the console and the key list.

use leptos::prelude::*;

use super::clock::Clock;
use super::console::Console;
use super::key_list::KeyList;
use crate::editor::ScriptPanel;
use crate::state::Playground;
use crate::viz::Stage;

#[component]
pub fn App(
    /// The `localStorage` prefix the console is saved under.
    #[prop(into)]
    storage_key: String,
) -> impl IntoView {
    let pg = Playground::new(&storage_key);
    pg.start_clock();
    view! {
        <header class="top">
            <h1>"Redis Playground"</h1>
            <p class="hint">
                "A Redis 7 engine running in your browser. Type commands; keys with a TTL count down as virtual time passes."
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
        <main class="stage">
            <Clock pg=pg />
            <ScriptPanel pg=pg slug="sandbox" />
            <Console pg=pg />
            <KeyList pg=pg />
            <Stage model=pg.stage now=pg.now />
        </main>
    }
}
