//! The engine's sorts, through two shared instantiations of core's sort:
//! each `sort*` call on another element type or closure adds 3–6 KB of
//! wasm, so callers sort byte strings or `(key, index)` pairs here instead.
//! Every caller sorts distinct items, where an unstable sort's order is the
//! stable one.

/// Sorts distinct byte strings ascending (memcmp order).
pub fn sort_bytes(items: &mut [&[u8]]) {
    items.sort_unstable();
}

/// Sorts `(key, index)` pairs ascending; the indices make them distinct.
pub fn sort_pairs(items: &mut [(u64, u64)]) {
    items.sort_unstable();
}

/// The indices `0..n` ordered by `key(i)`, the first of equals first (a
/// stable sort by key).
pub fn indices_by_key(n: usize, key: impl Fn(usize) -> u64) -> Vec<usize> {
    let mut pairs: Vec<(u64, u64)> = (0..n).map(|i| (key(i), i as u64)).collect();
    sort_pairs(&mut pairs);
    pairs.into_iter().map(|(_, i)| i as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_by_key_keeps_the_first_of_equals_first() {
        let sizes = [3, 1, 3, 0, 1];
        assert_eq!(indices_by_key(5, |i| sizes[i]), [3, 1, 4, 0, 2]);
        assert!(indices_by_key(0, |_| 0).is_empty());
    }

    #[test]
    fn bytes_sort_as_memcmp() {
        let mut items: Vec<&[u8]> = vec![b"b", b"", b"ab", b"a\xff", b"a"];
        sort_bytes(&mut items);
        assert_eq!(items, [&b""[..], b"a", b"ab", b"a\xff", b"b"]);
    }
}
