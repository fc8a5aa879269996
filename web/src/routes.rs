//! Hash routes: `#/<slug>` selects a scenario, `#/<slug>?script=<payload>`
//! opens a shared script (a `share::encode` payload) without running it.
//! Anything else (no hash, an unknown slug) is the sandbox.

use crate::scenarios;

/// The scenario shown when the hash names none.
pub const DEFAULT_SLUG: &str = "sandbox";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// A shipped scenario's slug.
    pub slug: String,
    /// The `script` parameter, as it stood in the URL.
    pub shared: Option<String>,
}

/// Reads `location.hash` (with or without its `#`).
pub fn parse(hash: &str) -> Route {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let hash = hash.strip_prefix('/').unwrap_or(hash);
    let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
    let slug = path.trim_end_matches('/');
    let slug = match scenarios::find(slug) {
        Some(s) => s.slug.to_string(),
        None => DEFAULT_SLUG.to_string(),
    };
    let shared = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("script="))
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    Route { slug, shared }
}

/// The link to a scenario.
pub fn href(slug: &str) -> String {
    format!("#/{slug}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_slug_is_selected_and_anything_else_is_the_sandbox() {
        let first = scenarios::all()[0].slug;
        assert_eq!(parse(&href(first)).slug, first);
        assert_eq!(parse(&format!("#/{first}/")).slug, first);
        for odd in [
            "",
            "#",
            "#/",
            "#/nope",
            "#nope",
            "#/SANDBOX",
            "#/../x",
            "#/%3Cimg%3E",
        ] {
            assert_eq!(parse(odd).slug, DEFAULT_SLUG, "{odd:?}");
            assert_eq!(parse(odd).shared, None);
        }
    }

    #[test]
    fn a_shared_script_payload_is_kept_as_it_stood() {
        let r = parse("#/sandbox?script=v1.AbC-_9");
        assert_eq!(r.slug, "sandbox");
        assert_eq!(r.shared.as_deref(), Some("v1.AbC-_9"));
        let r = parse("#/nope?x=1&script=p");
        assert_eq!(
            (r.slug.as_str(), r.shared.as_deref()),
            ("sandbox", Some("p"))
        );
        assert_eq!(parse("#/sandbox?script=").shared, None);
        assert_eq!(parse("#/sandbox?scripts=x").shared, None);
    }
}
