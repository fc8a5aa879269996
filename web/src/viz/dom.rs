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
