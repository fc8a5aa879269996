//! The script editor in headless Chromium: highlighting, diagnostics,
//! the run shortcuts, autocomplete, marks, and hostile text shown as text.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web::editor::{Editor, LineMark, ScriptToolbar};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

struct Mounted {
    root: HtmlElement,
    text: RwSignal<String>,
    marks: RwSignal<Vec<LineMark>>,
    runs: Arc<AtomicUsize>,
    line: Arc<AtomicUsize>,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(10).await;
}

async fn mount(initial: &str) -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let text = RwSignal::new(initial.to_string());
    let marks = RwSignal::new(Vec::<LineMark>::new());
    let runs = Arc::new(AtomicUsize::new(0));
    let line = Arc::new(AtomicUsize::new(0));
    let (r, l) = (runs.clone(), line.clone());
    let handle = mount_to(root.clone(), move || {
        let (r, l) = (r.clone(), l.clone());
        view! {
            <Editor
                text=text
                current=Signal::derive(|| Some(2))
                marks=marks
                on_run_all=Callback::new(move |()| {
                    r.fetch_add(1, Ordering::SeqCst);
                })
                on_run_line=Callback::new(move |n: usize| l.store(n, Ordering::SeqCst))
            />
        }
    });
    tick().await;
    Mounted {
        root,
        text,
        marks,
        runs,
        line,
        _handle: Box::new(handle),
    }
}

impl Mounted {
    fn area(&self) -> HtmlTextAreaElement {
        self.root
            .query_selector("textarea[aria-label='Script']")
            .unwrap()
            .expect("a textarea named Script")
            .unchecked_into()
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }

    fn texts(&self, selector: &str) -> Vec<String> {
        self.all(selector)
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .collect()
    }

    /// Types: sets the textarea's text and caret (at the end), as one
    /// input event.
    async fn type_text(&self, value: &str) {
        let area = self.area();
        area.set_value(value);
        let end = value.encode_utf16().count() as u32;
        area.set_selection_range(end, end).unwrap();
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
        area.dispatch_event(&ev).unwrap();
        tick().await;
    }

    async fn press(&self, key: &str, ctrl: bool, shift: bool) -> bool {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.area().dispatch_event(&ev).unwrap();
        tick().await;
        ev.default_prevented()
    }
}

#[wasm_bindgen_test]
async fn typing_highlights_and_marks_lines_that_cannot_run() {
    let ed = mount("").await;
    ed.type_text("SET user:1 \"hello world\" EX 10\nFOO bar\nGET\nalice> PING")
        .await;
    assert_eq!(ed.text.get_untracked().lines().count(), 4);
    assert_eq!(ed.texts(".hl-command"), ["SET", "FOO", "GET", "PING"]);
    assert_eq!(ed.texts(".hl-key"), ["user:1"]);
    assert_eq!(ed.texts(".hl-string"), ["\"hello world\""]);
    assert_eq!(ed.texts(".hl-number"), ["10"]);
    assert_eq!(ed.texts(".hl-prefix"), ["alice>"]);
    assert_eq!(
        ed.texts("[data-testid='diagnostic']"),
        [
            "ERR unknown command 'FOO', with args beginning with: 'bar' ",
            "ERR wrong number of arguments for 'get' command"
        ]
    );
    ed.type_text("SET \"open").await;
    assert_eq!(
        ed.texts("[data-testid='diagnostic']"),
        ["Invalid argument(s)"]
    );
    // Line numbers, and the current line.
    assert_eq!(ed.texts(".ed-gutter .ed-num"), ["1"]);
}

#[wasm_bindgen_test]
async fn shortcuts_run_all_and_the_caret_line() {
    let ed = mount("SET a 1\nGET a\nDEL a").await;
    assert!(ed.press("Enter", true, false).await);
    assert_eq!(ed.runs.load(Ordering::SeqCst), 1);
    let area = ed.area();
    area.set_selection_range(10, 10).unwrap(); // in "GET a"
    assert!(ed.press("Enter", false, true).await);
    assert_eq!(ed.line.load(Ordering::SeqCst), 2);
    // A plain Enter is the textarea's own newline.
    assert!(!ed.press("Enter", false, false).await);
    assert_eq!(ed.runs.load(Ordering::SeqCst), 1);
    // The current line (2) is highlighted.
    let current = ed.all(".ed-line.ed-current");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].get_attribute("data-line").as_deref(), Some("2"));
}

#[wasm_bindgen_test]
async fn autocomplete_opens_and_accepts_with_enter() {
    let ed = mount("").await;
    ed.type_text("SE").await;
    let area = ed.area();
    assert_eq!(area.get_attribute("aria-expanded").as_deref(), Some("true"));
    let options = ed.texts("[role='listbox'] [role='option']");
    assert_eq!(options[0], "SET", "{options:?}");
    let detail = ed.texts("[data-testid='completion-detail']").join("");
    assert!(detail.contains("SET key value [NX | XX]"), "{detail}");
    assert!(detail.contains("Set the string value of a key"), "{detail}");
    assert!(detail.contains("O(1)"), "{detail}");
    let active = area.get_attribute("aria-activedescendant").unwrap();
    assert!(ed
        .root
        .query_selector(&format!("#{active}"))
        .unwrap()
        .is_some());
    // Down moves the selection, Up comes back, Enter accepts.
    assert!(ed.press("ArrowDown", false, false).await);
    assert_eq!(
        ed.all("[role='option'][aria-selected='true']")[0]
            .text_content()
            .unwrap(),
        options[1]
    );
    ed.press("ArrowUp", false, false).await;
    assert!(ed.press("Enter", false, false).await);
    assert_eq!(area.value(), "SET ");
    assert_eq!(ed.text.get_untracked(), "SET ");
    assert!(ed.all("[role='listbox']").is_empty());
    // Options next, in the user's case; Escape closes.
    ed.type_text("SET k v n").await;
    assert_eq!(ed.texts("[role='option']"), ["nx"]);
    assert!(ed.press("Escape", false, false).await);
    assert!(ed.all("[role='listbox']").is_empty());
    assert_eq!(
        area.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn hostile_text_and_marks_show_as_text() {
    let ed = mount("").await;
    let hostile = "SET k \"<img src=x onerror=alert(1)>\"";
    ed.text.set(hostile.to_string());
    ed.marks.set(vec![LineMark {
        line: 1,
        text: "<b>OK</b>".into(),
        error: false,
    }]);
    tick().await;
    assert_eq!(
        ed.area().value(),
        hostile,
        "a change from outside replaces the text"
    );
    assert!(ed.root.query_selector("img").unwrap().is_none());
    assert!(ed.root.query_selector(".ed-line b").unwrap().is_none());
    assert_eq!(ed.texts(".hl-string"), ["\"<img src=x onerror=alert(1)>\""]);
    assert_eq!(ed.texts("[data-testid='line-mark']"), ["<b>OK</b>"]);
}

#[wasm_bindgen_test]
async fn a_long_script_renders_only_what_is_visible() {
    // 20,000 lines: this test runs an unoptimized (debug) build; the
    // 100,000-line figure is measured on the release build.
    let big: String = (0..20_000).map(|i| format!("SET key:{i} {i}\n")).collect();
    let ed = mount(&big).await;
    let rows = ed.all(".ed-line").len();
    assert!(rows > 10 && rows < 200, "{rows} rows rendered");
    // One keystroke at the top: only the window re-renders. The time
    // (input handler, debug build, including the browser's layout of the
    // textarea) is logged, not asserted: the machine is shared.
    let area = ed.area();
    // The textarea holds a window of the script (the first lines here).
    let held = area.value();
    assert!(held.len() < big.len() / 4, "a chunk, not the whole script");
    area.set_value(&format!("GET x\n{held}"));
    area.set_selection_range(1, 1).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    let t0 = js_sys::Date::now();
    area.dispatch_event(&ev).unwrap();
    let took = js_sys::Date::now() - t0;
    tick().await;
    assert_eq!(ed.texts(".hl-command")[0], "GET");
    assert_eq!(ed.text.get_untracked().lines().count(), 20_001);
    assert!(ed.text.get_untracked().starts_with("GET x\nSET key:0 0\n"));
    assert!(ed.text.get_untracked().ends_with("SET key:19999 19999\n"));
    assert!(ed.all(".ed-line").len() < 200);
    web_sys::console::log_1(&format!("input on a 20k-line script: {took} ms").into());
}

#[wasm_bindgen_test]
async fn reset_scenario_asks_on_the_page_first_and_can_be_undone() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let text = RwSignal::new("edited".to_string());
    let replaced = RwSignal::new(None);
    let _handle = mount_to(root.clone(), move || {
        view! { <ScriptToolbar slug="t-reset" text=text replaced=replaced original="PING" /> }
    });
    tick().await;
    let button = |name: &str| -> HtmlElement {
        let list = root.query_selector_all("button").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into::<HtmlElement>())
            .find(|b| b.text_content().as_deref() == Some(name))
            .unwrap_or_else(|| panic!("a button named {name}"))
    };
    button("Reset scenario").click();
    tick().await;
    assert_eq!(
        text.get_untracked(),
        "edited",
        "nothing changes before confirming"
    );
    button("Cancel").click();
    tick().await;
    assert!(root
        .query_selector("[data-testid='reset-confirm']")
        .unwrap()
        .is_none());
    button("Reset scenario").click();
    tick().await;
    button("Restore original").click();
    tick().await;
    assert_eq!(text.get_untracked(), "PING");
    // The edits come back with Undo.
    button("Undo").click();
    tick().await;
    assert_eq!(text.get_untracked(), "edited");
    assert!(root.query_selector("[data-act='undo']").unwrap().is_none());
    // An edit after a replacement ends the offer: Undo would lose it.
    button("Reset scenario").click();
    tick().await;
    button("Restore original").click();
    tick().await;
    assert!(root.query_selector("[data-act='undo']").unwrap().is_some());
    text.set("PING\nGET x".to_string());
    tick().await;
    assert!(root.query_selector("[data-act='undo']").unwrap().is_none());
    assert!(replaced.get_untracked().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_change_from_outside_shows_even_after_an_edit_that_keeps_the_length() {
    let ed = mount("SET a 1\n").await;
    // A character typed over another: the text's length and line starts
    // stay as they were.
    ed.type_text("SET a 2\n").await;
    assert_eq!(ed.text.get_untracked(), "SET a 2\n");
    // An input event that changes nothing.
    ed.type_text("SET a 2\n").await;
    // Then the script is replaced from outside (another scenario, a
    // shared link, an import): the textarea shows it.
    ed.text.set("GET b\n".to_string());
    tick().await;
    assert_eq!(ed.area().value(), "GET b\n");
}
