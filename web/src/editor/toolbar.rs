//! The script's toolbar: Share (a link with the script in its fragment),
//! Export (a `.redis` download), Import (file picker; the editor also
//! takes dropped files) and Reset scenario (after a confirm step on the
//! page).

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

use crate::state::{replace_script, Replaced};
use crate::viz::dom::{
    attr, attrs, build, builder, class_if, effect, el, from_html, on, target_attr, Dom, Listener,
};
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

/// The toolbar's constant markup (no user text).
const BUTTONS: &str = "<div class=\"st-buttons\">\
<button type=\"button\" class=\"btn\" title=\"Make a link that opens this script\" data-act=\"share\">Share</button>\
<button type=\"button\" class=\"btn\" title=\"Download the script as a .redis file\" data-act=\"export\">Export</button>\
<button type=\"button\" class=\"btn\" title=\"Open a .redis file (or drop one onto the editor)\" data-act=\"import\">Import</button>\
<input type=\"file\" accept=\".redis,.txt,text/plain\" class=\"st-file\" tabindex=\"-1\" aria-hidden=\"true\">\
<button type=\"button\" class=\"btn\" aria-expanded=\"false\" data-act=\"reset\">Reset scenario</button></div>";
const CONFIRM: &str = "<div class=\"st-confirm\" role=\"group\" aria-label=\"Confirm reset\" data-testid=\"reset-confirm\">\
<span>Replace your script with the scenario's original? Your edits will be lost.</span>\
<button type=\"button\" class=\"btn danger\" data-act=\"restore\">Restore original</button>\
<button type=\"button\" class=\"btn\" data-act=\"cancel\">Cancel</button></div>";
const LINK: &str = "<label class=\"st-link\"><span>Share link</span>\
<input type=\"text\" readonly data-testid=\"share-link\"></label>";

/// The toolbar's parts (built once) and what it works on.
#[derive(Clone)]
struct Bar {
    slug: Signal<String>,
    text: RwSignal<String>,
    replaced: RwSignal<Option<Replaced>>,
    original: Signal<String>,
    root: Element,
    buttons: Element,
    picker: web_sys::HtmlInputElement,
    confirm: Element,
    link: Element,
    message: Element,
}

impl Bar {
    fn say(&self, text: &str, error: bool) {
        let m = &self.message;
        m.set_text_content(Some(text));
        class_if(m, "error", error);
        if m.parent_node().is_none() {
            self.root.add(m.clone());
        }
    }

    fn confirming(&self, on: bool) {
        if let Some(reset) = self.buttons.last_element_child() {
            attr(&reset, "aria-expanded", if on { "true" } else { "false" });
        }
        if !on {
            self.confirm.remove();
        } else if self.confirm.parent_node().is_none() {
            self.buttons.after_with_node_1(&self.confirm).ok();
            if let Some(cancel) = self.confirm.last_element_child() {
                let _ = cancel.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        }
    }

    fn import(&self, file: web_sys::File) {
        let bar = self.clone();
        leptos::task::spawn_local(async move {
            match read_file(&file).await {
                Ok(script) => {
                    let note = format!("Imported {}.", file.name());
                    replace_script(bar.text, bar.replaced, script, &note);
                }
                Err(e) => bar.say(&e, true),
            }
        });
    }

    fn share(&self) {
        let page = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let url = self
            .text
            .with_untracked(|t| share_link(&page, &self.slug.get_untracked(), t));
        let field: web_sys::HtmlInputElement = self
            .link
            .last_element_child()
            .expect("the link field")
            .unchecked_into();
        field.set_value(&url);
        if self.link.parent_node().is_none() {
            match self.message.parent_node() {
                Some(_) => self.message.before_with_node_1(&self.link).ok(),
                None => self.root.append_child(&self.link).map(|_| ()).ok(),
            };
        }
        let bar = self.clone();
        leptos::task::spawn_local(async move {
            let copied = copy(&url).await;
            bar.say(
                if copied {
                    "Link copied to the clipboard."
                } else {
                    "Copy the link below to share this script."
                },
                false,
            );
            field.select();
        });
    }

    /// Every listener of the toolbar: one function, by event type.
    fn handle(&self, ev: web_sys::Event) {
        if ev.type_() == "change" {
            let file = self.picker.files().and_then(|f| f.get(0));
            self.picker.set_value("");
            if let Some(file) = file {
                self.import(file);
            }
            return;
        }
        let slug = self.slug.get_untracked();
        match target_attr(&ev, "data-act").as_deref() {
            Some("share") => self.share(),
            Some("export") => {
                let file = format!("{slug}.redis");
                match self.text.with_untracked(|t| download(&file, t)) {
                    Ok(()) => self.say(&format!("Downloaded {file}."), false),
                    Err(_) => self.say("This browser did not allow the download.", true),
                }
            }
            Some("import") => self.picker.click(),
            Some("reset") => self.confirming(true),
            Some("cancel") => self.confirming(false),
            Some("restore") => {
                saved::clear(&slug);
                let original = self.original.get_untracked();
                replace_script(
                    self.text,
                    self.replaced,
                    original,
                    "Restored the original script.",
                );
                self.confirming(false);
            }
            Some("undo") => {
                if let Some(r) = self.replaced.try_update(Option::take).flatten() {
                    self.text.set(r.previous);
                    self.say("Undone: the script is as it was before.", false);
                }
            }
            _ => {}
        }
    }
}

#[component]
pub fn ScriptToolbar(
    /// The scenario's URL name (share link, export file name, saved slot).
    #[prop(into)]
    slug: Signal<String>,
    text: RwSignal<String>,
    /// The last wholesale replacement of `text`, offered as Undo.
    replaced: RwSignal<Option<Replaced>>,
    /// The scenario's script as shipped (Reset scenario).
    #[prop(into)]
    original: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="script-toolbar" role="toolbar" aria-label="Script" data-testid="script-toolbar" use:build=builder(move |root| mount(root, (slug, text, replaced, original)))></div>
    }
}

/// Builds the toolbar into its host element.
fn mount(
    root: Element,
    (slug, text, replaced, original): (
        Signal<String>,
        RwSignal<String>,
        RwSignal<Option<Replaced>>,
        Signal<String>,
    ),
) {
    let buttons = root.add(from_html(BUTTONS));
    let message = el("p", "st-message");
    attr(&message, "role", "status");
    attr(&message, "data-testid", "toolbar-message");
    let bar = Bar {
        slug,
        text,
        replaced,
        original,
        picker: buttons
            .query_selector("input")
            .ok()
            .flatten()
            .expect("the file input")
            .unchecked_into(),
        root,
        buttons,
        confirm: from_html(CONFIRM),
        link: from_html(LINK),
        message,
    };
    // A replacement says so with an Undo button; the offer ends with the
    // first edit of the new script.
    let b = bar.clone();
    effect(Box::new(move || {
        let edited = b.text.with(|t| {
            b.replaced
                .with_untracked(|r| r.as_ref().is_some_and(|r| r.current != *t))
        });
        if edited {
            b.replaced.set(None);
        }
        let note = b.replaced.with(|r| r.as_ref().map(|r| r.note.clone()));
        match note {
            Some(note) => {
                b.say(&note, false);
                let undo = b.message.add(el("button", "btn btn-quiet"));
                undo.set_text_content(Some("Undo"));
                attrs(&undo, &[("type", "button"), ("data-act", "undo")]);
            }
            None => {
                if let Some(undo) = b.message.query_selector("[data-act=undo]").ok().flatten() {
                    undo.remove();
                }
            }
        }
    }));
    let keep = StoredValue::new_local(Vec::<Listener>::new());
    for event in ["click", "change"] {
        let b = bar.clone();
        let l = on(&bar.root, event, Box::new(move |e| b.handle(e)));
        keep.update_value(|k| k.push(l));
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
