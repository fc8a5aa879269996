//! The console in headless Chromium: replies in redis-cli form, errors
//! styled as errors, client prefixes, history, and what survives a reload.

mod common;

use common::{forget, mount, storage, tick};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn empty_state_says_what_to_do() {
    forget("t-empty");
    let page = mount("t-empty").await;
    let log = page.text("[data-testid='log']");
    assert!(
        log.contains("Type a command below, e.g. SET greeting hello EX 5"),
        "{log}"
    );
    page.run("PING").await;
    assert!(!page
        .text("[data-testid='log']")
        .contains("Type a command below"));
    forget("t-empty");
}

#[wasm_bindgen_test]
async fn replies_read_as_redis_cli_and_errors_are_styled() {
    forget("t-replies");
    let page = mount("t-replies").await;
    page.run("SET greeting hello").await;
    assert_eq!(page.last_reply(), ("OK".into(), false));
    page.run("GET greeting").await;
    assert_eq!(page.last_reply(), ("\"hello\"".into(), false));
    page.run("GET nothing").await;
    assert_eq!(page.last_reply(), ("(nil)".into(), false));

    page.run("SET \"unbalanced").await;
    assert_eq!(page.last_reply(), ("Invalid argument(s)".into(), true));
    page.run("NOSUCHCOMMAND x").await;
    let (text, error) = page.last_reply();
    assert!(
        text.starts_with("(error) ERR unknown command 'NOSUCHCOMMAND'"),
        "{text}"
    );
    assert!(error);

    // The command line is echoed, and the input empties.
    let commands = page.all("[data-testid='command']");
    assert_eq!(commands.len(), 5);
    assert_eq!(
        commands[0].text_content().unwrap_or_default(),
        "> SET greeting hello"
    );
    assert_eq!(page.input().value(), "");
    forget("t-replies");
}

#[wasm_bindgen_test]
async fn a_prefix_runs_as_another_client() {
    forget("t-prefix");
    let page = mount("t-prefix").await;
    page.run("alice> PING hi").await;
    let command = page.all("[data-testid='command']").pop().unwrap();
    assert_eq!(command.text_content().unwrap_or_default(), "alice> PING hi");
    assert_eq!(page.last_reply(), ("\"hi\"".into(), false));
    forget("t-prefix");
}

#[wasm_bindgen_test]
async fn up_and_down_walk_the_history() {
    forget("t-history");
    let page = mount("t-history").await;
    page.run("PING").await;
    page.run("GET a").await;
    page.type_text("SET dr");
    page.press("ArrowUp");
    assert_eq!(page.input().value(), "GET a");
    page.press("ArrowUp");
    assert_eq!(page.input().value(), "PING");
    page.press("ArrowDown");
    assert_eq!(page.input().value(), "GET a");
    page.press("ArrowDown");
    assert_eq!(page.input().value(), "SET dr", "the draft comes back");
    forget("t-history");
}

#[wasm_bindgen_test]
async fn history_log_and_draft_survive_a_reload() {
    forget("t-reload");
    {
        let page = mount("t-reload").await;
        page.run("SET visit 1").await;
        page.type_text("GET vis");
        tick().await;
    }
    let page = mount("t-reload").await;
    assert_eq!(page.input().value(), "GET vis", "the draft is back");
    let note = page.text("[data-testid='restore-note']");
    assert!(
        note.contains("Restored 1 command from your last visit"),
        "{note}"
    );
    let restored = page.all("[data-testid='command']");
    assert_eq!(restored.len(), 1);
    assert!(restored[0].class_list().contains("restored"));
    page.type_text("");
    page.press("ArrowUp");
    assert_eq!(page.input().value(), "SET visit 1");
    // The keyspace starts empty: the old command was not replayed.
    assert!(page.key_row("visit").is_none());
    forget("t-reload");
}

#[wasm_bindgen_test]
async fn an_unknown_saved_version_starts_fresh() {
    forget("t-version");
    storage()
        .set_item(
            "t-version.console",
            r#"{"version":999,"history":["FROM THE FUTURE"],"log":[]}"#,
        )
        .unwrap();
    let page = mount("t-version").await;
    assert!(page.find("[data-testid='restore-note']").is_none());
    page.press("ArrowUp");
    assert_eq!(page.input().value(), "");
    forget("t-version");
}

#[wasm_bindgen_test]
async fn a_full_storage_is_reported() {
    forget("t-quota");
    let page = mount("t-quota").await;
    // Make every write fail the way a full quota does.
    js_sys::eval(
        "Storage.prototype.__setItem = Storage.prototype.setItem;\
         Storage.prototype.setItem = function () {\
           throw new DOMException('full', 'QuotaExceededError'); };",
    )
    .unwrap();
    page.run("PING").await;
    js_sys::eval(
        "Storage.prototype.setItem = Storage.prototype.__setItem;\
         delete Storage.prototype.__setItem;",
    )
    .unwrap();
    let problem = page.text("[data-testid='storage-problem']");
    assert!(
        problem.contains("storage for this page is full"),
        "{problem}"
    );
    // The command still ran.
    assert_eq!(page.last_reply(), ("PONG".into(), false));
    // The next successful save clears the warning.
    page.run("PING").await;
    assert!(page.find("[data-testid='storage-problem']").is_none());
    forget("t-quota");
}

#[wasm_bindgen_test]
async fn long_replies_are_clipped_with_an_expander() {
    forget("t-long");
    let page = mount("t-long").await;
    let value = "x".repeat(5_000);
    page.run(&format!("SET big {value}")).await;
    let echo = page.all("[data-testid='command']").pop().unwrap();
    let echo = echo.text_content().unwrap_or_default();
    assert!(
        echo.ends_with(" … (3008 more characters)"),
        "{}",
        echo.len()
    );
    page.run("GET big").await;
    let (text, _) = page.last_reply();
    assert!(text.len() < 2_100, "clipped to about 2,000 characters");
    page.button("Show all (3002 more characters)").click();
    tick().await;
    let (text, _) = page.last_reply();
    assert_eq!(text, format!("\"{value}\""));
    // The history keeps what was typed, whole.
    page.press("ArrowUp");
    page.press("ArrowUp");
    assert_eq!(page.input().value(), format!("SET big {value}"));
    forget("t-long");
}

#[wasm_bindgen_test]
async fn the_console_mounts_on_its_own() {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web::components::console::Console;
    use web::Playground;

    forget("t-alone");
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), || {
        // No clock running: time stands still unless a command moves it.
        let pg = Playground::new("t-alone");
        view! { <Console pg=pg /> }
    });
    let input: web_sys::HtmlInputElement = root
        .query_selector("input[aria-label='Command']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("PING");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
    tick().await;
    let reply = root
        .query_selector("[data-testid='reply']")
        .unwrap()
        .and_then(|r| r.text_content());
    assert_eq!(reply.as_deref(), Some("PONG"));
    assert!(root
        .query_selector("[data-testid='key-list']")
        .unwrap()
        .is_none());
    drop(handle);
    root.remove();
    forget("t-alone");
}
