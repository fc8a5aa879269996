//! The Stage in headless Chromium: a model of each type, built from a real
//! engine, mounted alone; what is drawn is asserted by test id and text.

use engine::script::{parse_line, Runner, DEFAULT_CLIENT};
use engine::Engine;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web::viz::{Stage, StageModel, StepInfo};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Runs each line as one step and returns the last model.
fn model_after(lines: &[&str]) -> StageModel {
    let mut runner = Runner::new(Engine::new(1_000_000));
    let mut model = StageModel::default();
    for line in lines {
        let (client, command) = parse_line(line).unwrap();
        let name = client.unwrap_or(DEFAULT_CLIENT);
        runner.run(name, command);
        let id = runner.client(name);
        let events = runner.engine.take_events();
        let step = StepInfo {
            commands: vec![(id, engine::split_args(command).unwrap())],
            names: vec![(id, name.to_string())],
        };
        model = StageModel::build_with(&runner.engine, 0, &events, &step, &model);
    }
    model
}

struct Mounted {
    root: HtmlElement,
    model: RwSignal<StageModel>,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

async fn mount(model: StageModel) -> Mounted {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&root).unwrap();
    let signal = RwSignal::new(model);
    let now = RwSignal::new(1_000_000u64);
    let handle = mount_to(
        root.clone(),
        move || view! { <Stage model=signal now=now /> },
    );
    gloo_timers::future::TimeoutFuture::new(0).await;
    Mounted {
        root,
        model: signal,
        _handle: Box::new(handle),
    }
}

impl Mounted {
    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }

    fn card(&self, key: &str) -> Element {
        self.all("[data-testid='card']")
            .into_iter()
            .find(|c| c.get_attribute("data-key").as_deref() == Some(key))
            .unwrap_or_else(|| panic!("a card for {key}"))
    }
}

fn text(e: &Element) -> String {
    e.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_top_bar_of_a_leaderboard_is_the_top_player() {
    let m = mount(model_after(&["ZADD board 120 ada 95 bob 210 cy"])).await;
    let card = m.card("board");
    assert_eq!(
        card.get_attribute("data-kind").as_deref(),
        Some("sorted set")
    );
    let rows = m.all("[data-testid='zrow']");
    let top = rows
        .iter()
        .find(|r| {
            r.get_attribute("style")
                .unwrap_or_default()
                .contains("top: 0px")
        })
        .expect("a row at the top");
    assert_eq!(top.get_attribute("data-member").as_deref(), Some("cy"));
    assert!(text(top).contains("210") && text(top).contains("#1"));

    // bob overtakes everyone: the same row element moves to the top.
    let bob_before = rows
        .iter()
        .find(|r| r.get_attribute("data-member").as_deref() == Some("bob"))
        .unwrap()
        .clone();
    m.model.set(model_after(&[
        "ZADD board 120 ada 95 bob 210 cy",
        "ZINCRBY board 200 bob",
    ]));
    gloo_timers::future::TimeoutFuture::new(0).await;
    let bob_after = m
        .all("[data-testid='zrow']")
        .into_iter()
        .find(|r| r.get_attribute("data-member").as_deref() == Some("bob"))
        .unwrap();
    assert!(bob_after
        .get_attribute("style")
        .unwrap()
        .contains("top: 0px"));
    assert!(text(&bob_after).contains("▲2"), "{}", text(&bob_after));
    assert!(
        bob_before.is_same_node(Some(&bob_after)),
        "the row moved, it was not redrawn (so the move animates)"
    );
}

#[wasm_bindgen_test]
async fn hostile_values_render_as_text() {
    let m = mount(model_after(&[
        "SET x \"<img src=x onerror=alert(1)>\"",
        "HSET \"<b>h</b>\" \"<i>f</i>\" \"<script>1</script>\"",
    ]))
    .await;
    assert!(m.root.query_selector("img").unwrap().is_none());
    assert!(m.root.query_selector("b, i, script").unwrap().is_none());
    assert!(text(&m.card("x")).contains("<img src=x onerror=alert(1)>"));
    assert!(text(&m.card("<b>h</b>")).contains("<script>1</script>"));
}

#[wasm_bindgen_test]
async fn every_type_draws_its_own_view() {
    let m = mount(model_after(&[
        "INCR hits",
        "INCRBY hits 4",
        "HSET user:1 name ada",
        "RPUSH jobs a b c",
        "SADD s1 1 2 3",
        "SADD s2 2 3 4",
        "SETBIT logins 2 1",
        "PFADD visitors a b c",
        "ZADD Sicily 3479099956230698 Palermo 3479447370796909 Catania",
        "SINTER s1 s2",
    ]))
    .await;
    let counter = m.card("hits");
    assert_eq!(
        text(
            &counter
                .query_selector("[data-testid='counter']")
                .unwrap()
                .unwrap()
        ),
        "5"
    );
    assert!(text(&m.card("user:1")).contains("ada"));
    let list = m
        .card("jobs")
        .query_selector("[data-testid='list']")
        .unwrap()
        .unwrap();
    assert_eq!(text(&list), "abc", "head to tail");
    let result: Vec<String> = m
        .card("s1")
        .query_selector_all(".chip.result")
        .map(|l| {
            (0..l.length())
                .filter_map(|i| l.item(i))
                .filter_map(|n| n.text_content())
                .collect()
        })
        .unwrap();
    assert_eq!(result, ["2", "3"]);
    assert_eq!(
        m.card("logins")
            .query_selector_all(".bit.on")
            .unwrap()
            .length(),
        1
    );
    assert!(text(&m.card("visitors")).contains("≈ 3"));
    assert_eq!(
        m.card("Sicily")
            .query_selector_all("[data-testid='geo-point']")
            .unwrap()
            .length(),
        2
    );
}

#[wasm_bindgen_test]
async fn waiters_expiries_and_messages() {
    let m = mount(model_after(&[
        "worker> BRPOP queue 0",
        "alice> SUBSCRIBE news",
        "carol> PUBLISH news hi",
        "SET gone 1",
        "DEL gone",
    ]))
    .await;
    let waiter = m
        .card("queue")
        .query_selector("[data-testid='waiter']")
        .unwrap()
        .unwrap();
    assert!(
        text(&waiter).contains("worker waits (BRPOP at the tail)"),
        "{}",
        text(&waiter)
    );
    let ghost = m.all("[data-testid='ghost']").pop().expect("a ghost");
    assert!(text(&ghost).contains("gone") && text(&ghost).contains("deleted"));
    let msg = m.all("[data-testid='message']").pop().expect("a message");
    assert_eq!(text(&msg), "carol → news: hi (1 receiver)");
}
