//! The script's toolbar: Share (a link with the script in its fragment),
//! Export (a `.redis` download), Import (file picker; the editor also
//! takes dropped files) and Reset scenario (after a confirm step on the
//! page).

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::{saved, share};

/// The largest file Import takes.
pub const MAX_IMPORT: u64 = 4 << 20;

/// A file's bytes as a script, or why not: it must be UTF-8 text without
/// NUL bytes (a leading byte-order mark is dropped).
pub fn import_text(name: &str, bytes: &[u8]) -> Result<String, String> {
    let not_text = || format!("{name} is not a text file, so it cannot be a script.");
    if bytes.contains(&0) {
        return Err(not_text());
    }
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| not_text())?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// Refuses a file before reading it, if it is too big.
pub fn check_size(name: &str, size: u64) -> Result<(), String> {
    if size > MAX_IMPORT {
        // Tenths of a MB, in integers (no float formatting in the wasm).
        let tenths = (size * 10).div_ceil(1 << 20);
        return Err(format!(
            "{name} is {}.{} MB; scripts of up to {} MB can be imported.",
            tenths / 10,
            tenths % 10,
            MAX_IMPORT >> 20
        ));
    }
    Ok(())
}

/// Reads a picked or dropped file as a script.
pub async fn read_file(file: &web_sys::File) -> Result<String, String> {
    let name = file.name();
    check_size(&name, file.size().max(0.0) as u64)?;
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("Could not read {name}."))?;
    import_text(&name, &js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The link that opens `script` in scenario `slug`: this page with
/// `#/<slug>?script=<payload>`.
pub fn share_link(page: &str, slug: &str, script: &str) -> String {
    let base = page.split('#').next().unwrap_or(page);
    format!("{base}#/{slug}?script={}", share::encode(script))
}

/// Offers `text` as a download named `file`.
fn download(file: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(file);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Copies `text` with the clipboard API, where the page may.
async fn copy(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return false;
    }
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}

#[component]
pub fn ScriptToolbar(
    /// The scenario's URL name (share link, export file name, saved slot).
    #[prop(into)]
    slug: Signal<String>,
    text: RwSignal<String>,
    /// The scenario's script as shipped (Reset scenario).
    #[prop(into)]
    original: Signal<String>,
) -> impl IntoView {
    let link = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<(String, bool)>);
    let confirming = RwSignal::new(false);
    let picker = NodeRef::<html::Input>::new();
    let link_field = NodeRef::<html::Input>::new();
    let cancel = NodeRef::<html::Button>::new();

    let on_share = move |_| {
        let page = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let url = text.with_untracked(|t| share_link(&page, &slug.get_untracked(), t));
        link.set(Some(url.clone()));
        leptos::task::spawn_local(async move {
            let copied = copy(&url).await;
            message.set(Some(if copied {
                ("Link copied to the clipboard.".into(), false)
            } else {
                ("Copy the link below to share this script.".into(), false)
            }));
            if let Some(field) = link_field.get_untracked() {
                field.select();
            }
        });
    };
    let on_export = move |_| {
        let file = format!("{}.redis", slug.get_untracked());
        let result = text.with_untracked(|t| download(&file, t));
        message.set(Some(match result {
            Ok(()) => (format!("Downloaded {file}."), false),
            Err(_) => ("This browser did not allow the download.".into(), true),
        }));
    };
    let on_pick = move |_: ev::Event| {
        let Some(input) = picker.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            match read_file(&file).await {
                Ok(script) => {
                    text.set(script);
                    message.set(Some((format!("Imported {}.", file.name()), false)));
                }
                Err(e) => message.set(Some((e, true))),
            }
        });
    };
    let on_restore = move |_| {
        saved::clear(&slug.get_untracked());
        text.set(original.get_untracked());
        confirming.set(false);
        message.set(Some(("Restored the original script.".into(), false)));
    };
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(b) = cancel.get() {
                let _ = b.focus();
            }
        }
    });

    view! {
        <div class="script-toolbar" role="toolbar" aria-label="Script" data-testid="script-toolbar">
            <div class="st-buttons">
                <button type="button" class="btn" on:click=on_share title="Make a link that opens this script">
                    "Share"
                </button>
                <button type="button" class="btn" on:click=on_export title="Download the script as a .redis file">
                    "Export"
                </button>
                <button
                    type="button"
                    class="btn"
                    on:click=move |_| {
                        if let Some(p) = picker.get_untracked() {
                            p.click();
                        }
                    }
                    title="Open a .redis file (or drop one onto the editor)"
                >
                    "Import"
                </button>
                <input
                    node_ref=picker
                    type="file"
                    accept=".redis,.txt,text/plain"
                    class="st-file"
                    tabindex="-1"
                    aria-hidden="true"
                    on:change=on_pick
                />
                <button
                    type="button"
                    class="btn"
                    on:click=move |_| confirming.set(true)
                    aria-expanded=move || if confirming.get() { "true" } else { "false" }
                >
                    "Reset scenario"
                </button>
            </div>
            <Show when=move || confirming.get()>
                <div class="st-confirm" role="group" aria-label="Confirm reset" data-testid="reset-confirm">
                    <span>"Replace your script with the scenario's original? Your edits will be lost."</span>
                    <button type="button" class="btn danger" on:click=on_restore>
                        "Restore original"
                    </button>
                    <button type="button" class="btn" node_ref=cancel on:click=move |_| confirming.set(false)>
                        "Cancel"
                    </button>
                </div>
            </Show>
            {move || {
                link.get()
                    .map(|url| {
                        view! {
                            <label class="st-link">
                                <span>"Share link"</span>
                                <input node_ref=link_field type="text" readonly prop:value=url data-testid="share-link" />
                            </label>
                        }
                    })
            }}
            {move || {
                message.get()
                    .map(|(m, error)| {
                        view! {
                            <p class="st-message" class:error=error role="status" data-testid="toolbar-message">
                                {m}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_take_text_only() {
        assert_eq!(
            import_text("a.redis", b"SET a 1\n").as_deref(),
            Ok("SET a 1\n")
        );
        assert_eq!(
            import_text("a.redis", "\u{feff}GET é".as_bytes()).as_deref(),
            Ok("GET é")
        );
        let e = import_text("pic.png", b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
        assert_eq!(e, "pic.png is not a text file, so it cannot be a script.");
        assert!(import_text("x.bin", &[0xff, 0xfe, 0x41]).is_err());
        assert!(check_size("big.redis", MAX_IMPORT).is_ok());
        let e = check_size("big.redis", 10 << 20).unwrap_err();
        assert_eq!(
            e,
            "big.redis is 10.0 MB; scripts of up to 4 MB can be imported."
        );
    }

    #[test]
    fn share_links_replace_the_fragment() {
        let link = share_link("https://x.test/p/#/caching", "locks", "PING");
        assert!(
            link.starts_with("https://x.test/p/#/locks?script=1"),
            "{link}"
        );
        let payload = link.split("?script=").nth(1).unwrap();
        assert_eq!(share::decode(payload).as_deref(), Ok("PING"));
        assert!(share_link("http://h/", "sandbox", "").starts_with("http://h/#/sandbox?script="));
    }
}
