//! A few plain DOM helpers for the stage: elements with a class, text
//! set as text (never parsed as markup), attributes. Failures (there are
//! none in a live document) are ignored rather than panicking the page.

use web_sys::Element;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// A detached `<tag class=class>` (an empty class is left out).
pub fn el(tag: &str, class: &str) -> Element {
    let e = document()
        .and_then(|d| d.create_element(tag).ok())
        .expect("a document to draw in");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// An SVG element.
pub fn svg(tag: &str) -> Element {
    document()
        .and_then(|d| d.create_element_ns(Some(SVG_NS), tag).ok())
        .expect("a document to draw in")
}

/// An element holding `t` as text.
pub fn text(tag: &str, class: &str, t: &str) -> Element {
    let e = el(tag, class);
    e.set_text_content(Some(t));
    e
}

pub fn attr(e: &Element, name: &str, value: &str) {
    e.set_attribute(name, value).ok();
}

pub trait Dom {
    /// Appends `child` and returns it.
    fn add(&self, child: Element) -> Element;
}

impl Dom for Element {
    fn add(&self, child: Element) -> Element {
        self.append_child(&child).ok();
        child
    }
}

/// An event listener, removed (and its closure freed) when dropped: keep
/// it in the component's `StoredValue` so it lives as long as the page
/// part. One closure type for every listener keeps the wasm small.
pub struct Listener {
    target: web_sys::EventTarget,
    event: &'static str,
    f: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>,
}

/// Listens for `event` on `target` until the returned [`Listener`] drops.
pub fn on(
    target: &web_sys::EventTarget,
    event: &'static str,
    f: Box<dyn FnMut(web_sys::Event)>,
) -> Listener {
    use wasm_bindgen::JsCast;
    let f = wasm_bindgen::closure::Closure::wrap(f);
    target
        .add_event_listener_with_callback(event, f.as_ref().unchecked_ref())
        .ok();
    Listener {
        target: target.clone(),
        event,
        f,
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        self.target
            .remove_event_listener_with_callback(self.event, self.f.as_ref().unchecked_ref())
            .ok();
    }
}

/// The `name` attribute of the event's target or its nearest ancestor
/// that has one (for one delegated listener per list or toolbar).
pub fn target_attr(ev: &web_sys::Event, name: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(&format!("[{name}]"))
        .ok()??
        .get_attribute(name)
}

/// A `<button type=button class=class>` labelled `label`, with `data-act`
/// naming what a delegated click listener does with it.
pub fn button(class: &str, label: &str, act: &str) -> Element {
    let b = text("button", class, label);
    attr(&b, "type", "button");
    attr(&b, "data-act", act);
    b
}

/// Sets or removes a boolean attribute (`hidden`, `disabled`).
pub fn flag(e: &Element, name: &str, on: bool) {
    e.toggle_attribute_with_force(name, on).ok();
}

/// An effect that runs `f` now (on the next tick) and again whenever what
/// it read changes. Every DOM-drawn component goes through this one
/// instantiation: each `Effect::new` closure type costs the wasm its own
/// copy of the effect's task (kilobytes).
pub fn effect(f: Box<dyn Fn()>) {
    leptos::prelude::Effect::new(move |_| f());
}

/// Sets several attributes at once.
pub fn attrs(e: &Element, pairs: &[(&str, &str)]) {
    for (name, value) in pairs {
        attr(e, name, value);
    }
}

/// Sets an attribute only if it differs (a redraw on every keystroke or
/// scroll step then costs the page no style work when nothing moved).
pub fn set_if(e: &Element, name: &str, value: &str) {
    if e.get_attribute(name).as_deref() != Some(value) {
        attr(e, name, value);
    }
}

/// Adds or removes one class.
pub fn class_if(e: &Element, class: &str, on: bool) {
    e.class_list().toggle_with_force(class, on).ok();
}

/// The element that constant markup `html` (never user text) describes,
/// detached.
pub fn from_html(html: &str) -> Element {
    let holder = el("div", "");
    holder.set_inner_html(html);
    let e = holder
        .first_element_child()
        .expect("markup with an element");
    e.remove();
    e
}

/// A component's builder, for [`build`].
pub type Builder = std::rc::Rc<dyn Fn(Element)>;

/// Wraps a component's builder for the `use:build` directive.
pub fn builder(f: impl Fn(Element) + 'static) -> Builder {
    std::rc::Rc::new(f)
}

/// The directive that fills a `view!`'s host element with plain DOM, at
/// once (`use:build=builder(..)`): one directive type for every component.
pub fn build(host: Element, f: Builder) {
    f(host)
}
