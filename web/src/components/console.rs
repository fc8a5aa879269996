//! The console: the log of commands and replies (redis-cli's exact text),
//! and the input with its history.

use leptos::ev::KeyboardEvent;
use leptos::html::{Div, Input};
use leptos::prelude::*;

use crate::format::clip;
use crate::log::{Entry, Line};
use crate::state::Playground;

/// Replies longer than this show their head and a "Show all" button.
const CLIP_CHARS: usize = 2_000;
const CLIP_LINES: usize = 40;

#[component]
pub fn Console(pg: Playground) -> impl IntoView {
    let log_ref = NodeRef::<Div>::new();
    let input_ref = NodeRef::<Input>::new();

    // Keep the newest line in view.
    Effect::new(move |_| {
        pg.log.track();
        request_animation_frame(move || {
            if let Some(log) = log_ref.get_untracked() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    });

    // Ready to type on arrival, where there is a keyboard (on a touch
    // screen, focusing would pop the on-screen keyboard over the page).
    Effect::new(move |_| {
        let fine_pointer = window()
            .match_media("(pointer: fine)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if let (Some(input), true) = (input_ref.get(), fine_pointer) {
            let _ = input.focus();
        }
    });

    let run = move || {
        let line = input_ref
            .get_untracked()
            .map(|input| input.value())
            .unwrap_or_else(|| pg.draft.get_untracked());
        pg.submit(&line);
        // The signal may already be empty; the element must follow.
        if let Some(input) = input_ref.get_untracked() {
            input.set_value("");
        }
    };
    let show = move |text: String| {
        if let Some(input) = input_ref.get_untracked() {
            input.set_value(&text);
            let end = text.encode_utf16().count() as u32;
            let _ = input.set_selection_range(end, end);
        }
        pg.set_draft(text);
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.is_composing() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                run();
            }
            "ArrowUp" => {
                let current = event_target_value(&ev);
                if let Some(text) = pg.history_up(&current) {
                    ev.prevent_default();
                    show(text);
                }
            }
            "ArrowDown" => {
                if let Some(text) = pg.history_down() {
                    ev.prevent_default();
                    show(text);
                }
            }
            _ => {}
        }
    };

    view! {
        <section class="panel console" aria-labelledby="console-title">
            <header class="panel-head">
                <h2 id="console-title">"Console"</h2>
                <button
                    type="button"
                    class="btn btn-quiet"
                    title="Clear the log (the history stays)"
                    on:click=move |_| pg.clear_log()
                >
                    "Clear log"
                </button>
            </header>
            <div
                class="log"
                role="log"
                aria-label="Output"
                data-testid="log"
                tabindex="0"
                node_ref=log_ref
            >
                <Show when=move || {
                    pg.log.with(Vec::is_empty) && pg.restore_note.with(Option::is_none)
                }>
                    <p class="empty">
                        "Type a command below, e.g. " <code>"SET greeting hello EX 5"</code>
                    </p>
                </Show>
                <Show when=move || {
                    pg.restore_note.with(|n| n.as_ref().is_some_and(|(after, _)| after.is_none()))
                }>
                    <RestoreNote pg=pg />
                </Show>
                <For each=move || pg.log.get() key=|entry| entry.id let:entry>
                    <LogEntry pg=pg entry=entry />
                </For>
            </div>
            <form
                class="prompt-row"
                on:submit=move |ev| {
                    ev.prevent_default();
                    run();
                }
            >
                <select
                    class="as-client"
                    aria-label="Run as client"
                    title="The client the command runs as"
                    data-testid="console-client"
                    on:change=move |ev| pg.console_client.set(event_target_value(&ev))
                    prop:value=move || pg.console_client.get()
                >
                    {move || {
                        let mut names = vec![engine::script::DEFAULT_CLIENT.to_string()];
                        for lane in pg.lanes.get() {
                            if !names.contains(&lane.name) {
                                names.push(lane.name);
                            }
                        }
                        let current = pg.console_client.get();
                        if !names.contains(&current) {
                            names.push(current.clone());
                        }
                        names
                            .into_iter()
                            .map(|n| {
                                let selected = n == current;
                                view! {
                                    <option value=n.clone() selected=selected>
                                        {n.clone()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
                <span class="prompt" aria-hidden="true">
                    ">"
                </span>
                <input
                    class="command"
                    type="text"
                    aria-label="Command"
                    placeholder="SET greeting hello EX 5"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    enterkeyhint="send"
                    node_ref=input_ref
                    prop:value=move || pg.draft.get()
                    on:input=move |ev| pg.set_draft(event_target_value(&ev))
                    on:keydown=on_keydown
                />
                <button type="submit" class="btn btn-primary" title="Run the command (Enter)">
                    "Send"
                </button>
            </form>
            <p class="keys-hint">
                <kbd>"Enter"</kbd>" runs · "<kbd>"↑"</kbd><kbd>"↓"</kbd>" history · "
                <code>"name> CMD"</code>" runs as another client"
            </p>
        </section>
    }
}

#[component]
fn RestoreNote(pg: Playground) -> impl IntoView {
    view! {
        <p class="restore-note" data-testid="restore-note">
            {move || pg.restore_note.get().map(|(_, text)| text)}
        </p>
    }
}

#[component]
fn LogEntry(pg: Playground, entry: Entry) -> impl IntoView {
    let id = entry.id;
    let divider = move || {
        pg.restore_note
            .with(|n| n.as_ref().is_some_and(|(after, _)| *after == Some(id)))
            .then(|| view! { <RestoreNote pg=pg /> })
    };
    let restored = entry.restored;
    let body = match entry.line {
        Line::Command { client, text } => {
            // A pasted megabyte stays in the history whole; the log shows its head.
            let text = match clip(&text, CLIP_CHARS, CLIP_LINES) {
                Some((head, hidden)) => format!("{head} … ({hidden} more characters)"),
                None => text,
            };
            view! {
                <div class="cmd" class:restored=restored data-testid="command">
                    <span class="prompt" aria-hidden="true">
                        {client.map(|c| format!("{c}> ")).unwrap_or_else(|| "> ".into())}
                    </span>
                    {text}
                </div>
            }
            .into_any()
        }
        Line::Reply {
            client,
            text,
            error,
        } => view! { <Reply client=client text=text error=error restored=restored /> }.into_any(),
        Line::Notice { text } => view! {
            <p class="notice" class:restored=restored data-testid="notice">
                {text}
            </p>
        }
        .into_any(),
        Line::Comment { text } => view! {
            <p class="comment" class:restored=restored>
                {text}
            </p>
        }
        .into_any(),
    };
    view! {
        {body}
        {divider}
    }
}

#[component]
fn Reply(client: Option<String>, text: String, error: bool, restored: bool) -> impl IntoView {
    let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
    let expanded = RwSignal::new(false);
    let clipped = clip(&text, CLIP_CHARS, CLIP_LINES);
    let more = clipped.as_ref().map(|(_, hidden)| *hidden);
    let shown = move || match (&clipped, expanded.get()) {
        (Some((head, _)), false) => head.clone(),
        _ => text.clone(),
    };
    view! {
        <pre class="reply" class:error=error class:restored=restored data-testid="reply">
            {client.map(|c| view! { <span class="receiver">{format!("[{c}]\n")}</span> })}
            {shown}
        </pre>
        {more
            .map(|hidden| {
                view! {
                    <button
                        type="button"
                        class="btn btn-quiet expand"
                        on:click=move |_| expanded.update(|e| *e = !*e)
                    >
                        {move || {
                            if expanded.get() {
                                "Show less".to_string()
                            } else {
                                format!("Show all ({hidden} more characters)")
                            }
                        }}
                    </button>
                }
            })}
    }
}
