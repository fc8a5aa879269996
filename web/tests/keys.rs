//! The key list and the clock in headless Chromium: TTLs count down, a
//! jump expires keys, and the page says which expiry took them.

mod common;

use common::{forget, mount, sleep, tick};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_key_shows_its_type_and_ttl_and_a_jump_expires_it() {
    forget("t-keys");
    let page = mount("t-keys").await;
    assert!(page.text("[data-testid='key-summary']").contains("0 keys"));
    page.run("SET greeting hello EX 5").await;
    assert_eq!(page.last_reply(), ("OK".into(), false));
    page.run("SET forever 1").await;

    let row = page.key_row("greeting").expect("greeting is listed");
    let ttl = row
        .query_selector("[data-testid='ttl']")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(ttl == "5.0 s" || ttl == "4.9 s", "{ttl}");
    assert!(row.text_content().unwrap_or_default().contains("string"));
    let forever = page.key_row("forever").expect("forever is listed");
    assert!(forever
        .text_content()
        .unwrap_or_default()
        .contains("no TTL"));
    assert!(page.text("[data-testid='key-summary']").contains("2 keys"));

    page.button("Advance 10 seconds").click();
    tick().await;
    assert!(page.key_row("greeting").is_none(), "greeting expired");
    assert!(page.key_row("forever").is_some());
    let notices = page.text("[data-testid='expiry-notices']");
    assert!(notices.contains("greeting expired (active)"), "{notices}");
    let log = page.text("[data-testid='log']");
    assert!(log.contains("greeting expired (active)"), "{log}");
    forget("t-keys");
}

#[wasm_bindgen_test]
async fn a_lookup_after_the_expiry_expires_lazily() {
    forget("t-lazy");
    let page = mount("t-lazy").await;
    page.button("Pause").click();
    tick().await;
    page.run("SET soon v PX 150").await;
    // Exactly to the expiry: the key is due but no cron tick has run since.
    page.button("Jump to the next expiry").click();
    tick().await;
    page.run("GET soon").await;
    let notice = page.all("[data-testid='notice']").pop();
    let notice = notice.and_then(|n| n.text_content()).unwrap_or_default();
    // The cron may have coincided with the expiry; either way the page
    // names the cause.
    assert!(
        notice == "soon expired (lazy)" || notice == "soon expired (active)",
        "{notice}"
    );
    assert!(page.key_row("soon").is_none());
    forget("t-lazy");
}

#[wasm_bindgen_test]
async fn the_clock_runs_pauses_and_jumps() {
    forget("t-clock");
    let page = mount("t-clock").await;
    let clock = || page.text("[data-testid='clock']");
    assert!(clock().starts_with("00:00:00."), "{}", clock());
    sleep(350).await;
    let running = clock();
    assert_ne!(running, "00:00:00.0", "virtual time follows real time");

    page.button("Pause").click();
    tick().await;
    let paused = clock();
    sleep(300).await;
    assert_eq!(clock(), paused, "a paused clock stands still");

    page.button("Advance 1 minute").click();
    tick().await;
    assert!(clock().starts_with("00:01:0"), "{}", clock());
    page.button("Play").click();
    tick().await;
    assert!(page
        .button("Jump to the next expiry")
        .get_attribute("disabled")
        .is_some());
    forget("t-clock");
}
