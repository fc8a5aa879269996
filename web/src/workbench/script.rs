//! The script area: a plain textarea bound to the script signal (the
//! Editor replaces it at the merge, with the same signal, the current
//! line and the marks), and the offer to re-run after an edit above the
//! current line.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::state::Playground;

#[component]
pub fn ScriptArea(pg: Playground) -> impl IntoView {
    // Ctrl/Cmd+Enter runs everything, as the Editor will.
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            pg.run_all();
        }
    };
    let rerun = move || {
        pg.edited.get().map(|(_, line)| {
            view! {
                <p class="rerun" role="status" data-testid="rerun">
                    {format!("Line {line} changed after it ran. ")}
                    <button type="button" class="btn" on:click=move |_| pg.rerun_edited()>
                        {format!("Re-run from line {line}")}
                    </button>
                </p>
            }
        })
    };
    view! {
        <section class="panel script" aria-labelledby="script-title">
            <header class="panel-head">
                <h2 id="script-title">"Script"</h2>
            </header>
            <textarea
                class="script-text"
                aria-label="Script"
                data-testid="script"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                prop:value=move || pg.script.get()
                on:input=move |ev| {
                    pg.script.set(event_target_value(&ev));
                    pg.sync_script();
                }
                on:keydown=on_keydown
            ></textarea>
            {rerun}
        </section>
    }
}
