//! The transcript: each line that ran with the replies it caused, in the
//! format of shared/transcript.md (`[name]` before each block once the
//! script names a client); what the clock caused is listed at its time.

use leptos::html::Ol;
use leptos::prelude::*;

use crate::format;
use crate::runner::{Entry, Source};
use crate::state::Playground;

#[component]
pub fn Transcript(pg: Playground) -> impl IntoView {
    let list = NodeRef::<Ol>::new();
    Effect::new(move |_| {
        pg.transcript.track();
        request_animation_frame(move || {
            if let Some(Some(list)) = list.try_get_untracked() {
                list.set_scroll_top(list.scroll_height());
            }
        });
    });
    // Headers once any client other than default appears.
    let named = move || {
        pg.lanes
            .with(|l| l.iter().any(|l| l.name != engine::script::DEFAULT_CLIENT))
    };
    let hidden = move || pg.transcript.with(|(shown, all)| all - shown.len());
    view! {
        <section class="panel transcript" aria-labelledby="transcript-title">
            <header class="panel-head">
                <h2 id="transcript-title">"Transcript"</h2>
                <span class="meta">
                    {move || pg.transcript.with(|(_, all)| format!("{all} entries"))}
                </span>
            </header>
            <p class="empty" hidden=move || pg.transcript.with(|(_, all)| *all != 0)>
                "Run the script, or Step through it line by line."
            </p>
            <p class="more" hidden=move || hidden() == 0>
                {move || format!("{} earlier entries not shown", hidden())}
            </p>
            <ol class="transcript-list" data-testid="transcript" node_ref=list>
                <For each=move || pg.transcript.get().0 key=|e| e.id let:entry>
                    <TranscriptEntry pg=pg entry=entry named=named />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn TranscriptEntry(
    pg: Playground,
    entry: Entry,
    named: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let line = entry.line;
    let source = match entry.source {
        Source::Script => "script",
        Source::Console => "console",
        Source::Clock => "clock",
    };
    let head = match (entry.source, &entry.command) {
        (Source::Clock, _) => format!(
            "⏱ {}",
            format::clock(entry.at.saturating_sub(pg.start.get_untracked()))
        ),
        (_, Some(command)) => match entry.client.as_deref() {
            Some(c) if c != engine::script::DEFAULT_CLIENT => format!("{c}> {command}"),
            _ => command.clone(),
        },
        _ => String::new(),
    };
    let number = match (entry.source, line) {
        (Source::Script, Some(n)) => n.to_string(),
        (Source::Console, _) => "›".to_string(),
        _ => String::new(),
    };
    let replies = entry
        .replies
        .into_iter()
        .map(|r| {
            let client = r.client.clone();
            view! {
                <pre class="reply" class:error=r.error data-testid="transcript-reply">
                    {move || named().then(|| format!("[{client}]\n"))}
                    {r.text}
                </pre>
            }
        })
        .collect_view();
    let last = move || {
        pg.transcript
            .with(|(shown, _)| shown.last().map(|e| e.line) == Some(line) && line.is_some())
    };
    view! {
        <li class=format!("t-entry {source}") class:last=last data-testid="transcript-entry">
            <span class="t-line" aria-hidden="true">
                {number}
            </span>
            <div class="t-body">
                <code class="t-command">{head}</code>
                {replies}
            </div>
        </li>
    }
}
