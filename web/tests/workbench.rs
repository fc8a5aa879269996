//! The workbench in headless Chromium: the scenario list, Step, Step back
//! and Reset against the key list, the transcript and the lanes, and a
//! hostile value shown as text.

mod common;

use common::{forget, mount, sleep, tick};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

fn keys(page: &common::Page) -> Vec<String> {
    page.all("[data-testid='key-list'] [data-testid='key']")
        .into_iter()
        .filter_map(|k| k.get_attribute("data-key"))
        .collect()
}

fn set_script(page: &common::Page, text: &str) {
    let area: HtmlTextAreaElement = page
        .find("textarea[aria-label='Script']")
        .expect("the script area")
        .unchecked_into();
    area.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    area.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn the_sandbox_is_listed_and_selected() {
    forget("t-wb-list");
    let page = mount("t-wb-list").await;
    let current = page
        .find("[data-testid='scenario-link'][aria-current='page']")
        .expect("a selected scenario");
    assert_eq!(current.get_attribute("href").as_deref(), Some("#/sandbox"));
    assert_eq!(page.text("[data-testid='scenario-title']"), "Sandbox");
    assert!(page
        .text("[data-testid='next-line']")
        .contains("Next: line"));
    forget("t-wb-list");
}

#[wasm_bindgen_test]
async fn step_step_back_and_reset_move_the_key_list() {
    forget("t-wb-step");
    let page = mount("t-wb-step").await;
    page.button("Pause").click();
    set_script(&page, "SET a 1\nworker> BLPOP q 0\nSET b 2\n");
    tick().await;
    assert!(keys(&page).is_empty());
    page.button("Step").click();
    tick().await;
    assert_eq!(keys(&page), ["a"]);
    assert_eq!(page.text("[data-testid='next-line']"), "Next: line 2");
    page.button("Step").click();
    tick().await;
    let lane = page
        .find("[data-testid='lane'][data-client='worker'] [data-testid='lane-blocked']")
        .expect("the worker's lane says it is blocked");
    assert!(lane.text_content().unwrap().contains("BLPOP q"));
    page.button("Step").click();
    tick().await;
    assert_eq!(keys(&page), ["a", "b"]);
    page.button("Step back").click();
    tick().await;
    assert_eq!(keys(&page), ["a"]);
    assert_eq!(page.text("[data-testid='next-line']"), "Next: line 3");
    assert!(page.find("[data-testid='lane-blocked']").is_some());
    page.button("Reset").click();
    tick().await;
    assert!(keys(&page).is_empty());
    assert!(page.find("[data-testid='lane']").is_none());
    assert_eq!(page.all("[data-testid='transcript-entry']").len(), 0);
    forget("t-wb-step");
}

#[wasm_bindgen_test]
async fn a_hostile_value_is_text_in_the_transcript_and_lanes() {
    forget("t-wb-xss");
    let page = mount("t-wb-xss").await;
    page.button("Pause").click();
    set_script(&page, "SET x \"<img src=x onerror=alert(1)>\"\nGET x\n");
    tick().await;
    page.button("Step").click();
    page.button("Step").click();
    tick().await;
    let transcript = page.text("[data-testid='transcript']");
    assert!(
        transcript.contains("\"<img src=x onerror=alert(1)>\""),
        "{transcript}"
    );
    assert!(
        page.find("img").is_none(),
        "no element was made from the value"
    );
    forget("t-wb-xss");
}

#[wasm_bindgen_test]
async fn an_edit_above_the_position_offers_a_rerun() {
    forget("t-wb-edit");
    let page = mount("t-wb-edit").await;
    page.button("Pause").click();
    set_script(&page, "SET a 1\nINCR a\n");
    tick().await;
    page.button("Step").click();
    page.button("Step").click();
    tick().await;
    assert!(page.find("[data-testid='rerun']").is_none());
    set_script(&page, "SET a 41\nINCR a\n");
    tick().await;
    assert!(page
        .text("[data-testid='rerun']")
        .contains("Line 1 changed"));
    page.button("Re-run from line 1").click();
    tick().await;
    assert!(page.find("[data-testid='rerun']").is_none());
    let replies = page.all("[data-testid='transcript-reply']");
    assert_eq!(
        replies.last().and_then(|r| r.text_content()).as_deref(),
        Some("(integer) 42")
    );
    forget("t-wb-edit");
}

#[wasm_bindgen_test]
async fn the_console_runs_as_the_chosen_client_and_shows_in_its_lane() {
    forget("t-wb-as");
    let page = mount("t-wb-as").await;
    page.button("Pause").click();
    set_script(&page, "worker> SUBSCRIBE jobs\n");
    tick().await;
    page.button("Step").click();
    tick().await;
    let select: web_sys::HtmlSelectElement = page
        .find("select[aria-label='Run as client']")
        .expect("the client select")
        .unchecked_into();
    select.set_value("worker");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    tick().await;
    page.run("PING").await;
    let lane = page.text("[data-testid='lane'][data-client='worker']");
    assert!(lane.contains("→ PING"), "{lane}");
    // A subscribed client's PING answers as in subscribed mode.
    assert!(lane.contains("1) \"pong\" 2) \"\""), "{lane}");
    page.run("default> PING").await;
    let lane = page.text("[data-testid='lane'][data-client='default']");
    assert!(lane.contains("← PONG"), "{lane}");
    forget("t-wb-as");
}

#[wasm_bindgen_test]
async fn a_lane_shows_its_latest_exchange_and_keeps_the_rest_in_its_tooltip() {
    forget("t-wb-latest");
    let page = mount("t-wb-latest").await;
    page.button("Pause").click();
    set_script(
        &page,
        "alice> SUBSCRIBE news\nalice> PING\nbob> PUBLISH news hi\nbob> PUBLISH news again\n",
    );
    tick().await;
    page.button("Run").click();
    // A Run says it is over once all of it is drawn.
    for _ in 0..100 {
        if page.text("[data-testid='next-line']") == "At the end of the script" {
            break;
        }
        sleep(20).await;
    }
    let sel = "[data-testid='lane'][data-client='alice'] .lane-traffic";
    let items: Vec<String> = page
        .all(&format!("{sel} li"))
        .into_iter()
        .filter_map(|li| li.text_content())
        .collect();
    // The last command, its reply, the newest push; not what came between.
    assert_eq!(
        items,
        [
            "→ PING",
            "← 1) \"pong\" 2) \"\"",
            "← 1) \"message\" 2) \"news\" 3) \"again\""
        ]
    );
    let all = page
        .find(sel)
        .and_then(|ol| ol.get_attribute("title"))
        .expect("the history as a tooltip");
    assert!(all.contains("→ SUBSCRIBE news"), "{all}");
    assert!(all.contains("3) \"hi\""), "{all}");
    forget("t-wb-latest");
}
