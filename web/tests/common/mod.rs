//! Helpers for the browser tests: mount the app in its own container,
//! type like a user, find elements by accessible name or `data-testid`.

#![allow(dead_code)] // each test file uses its own subset

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web::App;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

pub struct Page {
    pub root: HtmlElement,
    handle: Option<Box<dyn std::any::Any>>,
}

impl Drop for Page {
    fn drop(&mut self) {
        self.handle.take();
        self.root.remove();
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Removes what a test saved under `key`.
pub fn forget(key: &str) {
    let s = storage();
    s.remove_item(&format!("{key}.console")).unwrap();
    s.remove_item(&format!("{key}.draft")).unwrap();
}

/// Mounts the whole app, saving under `storage_key`.
pub async fn mount(storage_key: &'static str) -> Page {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = mount_to(
        root.clone(),
        move || view! { <App storage_key=storage_key /> },
    );
    let page = Page {
        root,
        handle: Some(Box::new(handle)),
    };
    tick().await;
    page
}

/// Lets Leptos run its effects.
pub async fn tick() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

impl Page {
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }

    pub fn input(&self) -> HtmlInputElement {
        self.find("input[aria-label='Command']")
            .expect("an input named Command")
            .unchecked_into()
    }

    /// Types `text` into the command input (as one input event).
    pub fn type_text(&self, text: &str) {
        let input = self.input();
        input.set_value(text);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&ev).unwrap();
    }

    /// Presses a key in the command input.
    pub fn press(&self, key: &str) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.input().dispatch_event(&ev).unwrap();
    }

    /// Types a command, presses Enter, and lets the page update.
    pub async fn run(&self, line: &str) {
        self.type_text(line);
        self.press("Enter");
        tick().await;
    }

    /// The text of the last reply block in the log, and whether it is
    /// styled as an error.
    pub fn last_reply(&self) -> (String, bool) {
        let reply = self
            .all("[data-testid='log'] [data-testid='reply']")
            .pop()
            .expect("a reply in the log");
        (
            reply.text_content().unwrap_or_default(),
            reply.class_list().contains("error"),
        )
    }

    /// A button by its accessible name: `aria-label`, else its text
    /// without the aria-hidden icon.
    pub fn button(&self, name: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|b| {
                let label = b.get_attribute("aria-label");
                let text = || {
                    let hidden: String = b
                        .query_selector_all("[aria-hidden='true']")
                        .ok()
                        .map(|l| {
                            (0..l.length())
                                .filter_map(|i| l.item(i))
                                .filter_map(|n| n.text_content())
                                .collect()
                        })
                        .unwrap_or_default();
                    let all = b.text_content().unwrap_or_default();
                    all.replacen(&hidden, "", 1).trim().to_string()
                };
                label.as_deref() == Some(name) || (label.is_none() && text() == name)
            })
            .unwrap_or_else(|| panic!("a button named {name:?}"))
            .unchecked_into()
    }

    /// The key list's row for `key`, if listed.
    pub fn key_row(&self, key: &str) -> Option<Element> {
        self.all("[data-testid='key-list'] [data-testid='key']")
            .into_iter()
            .find(|row| row.get_attribute("data-key").as_deref() == Some(key))
    }

    pub fn text(&self, selector: &str) -> String {
        self.find(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }
}
