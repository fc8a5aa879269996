//! The command table's RESP2 texts (COMMAND DOCS entries, key specs),
//! packed: every RESP element that is one of `WORDS` (the most frequent
//! ones in the table, e.g. `$4\r\nname\r\n`) is written as the byte
//! `\x01` and a printable byte giving its place in `WORDS`. It halves the
//! texts and saves about 3 KB of the gzipped wasm; `unpack` is exact.
//! A docs text also names its row's own summary and complexity (kept as
//! `Spec` fields for the editor) by one byte each, `FIELD + i`, rather
//! than holding them twice (2 KB of the gzipped wasm).

/// Byte that starts a packed word; the table's texts never contain it
/// (the generator checks).
pub const MARK: u8 = 1;

/// `FIELD + i` stands for the bulk string `fields[i]` given to `unpack`
/// (a docs text: 0 the summary, 1 the complexity); never in the texts.
pub const FIELD: u8 = 2;

/// How many fields a text may name.
pub const FIELDS: u8 = 2;

/// In a container's docs text, stands for the value of its `subcommands`
/// key: its rows' names and docs (the rows hold them anyway), in the order
/// of the bytes after it, one per row (`' '` + the row's index);
/// `introspect::docs_resp` puts them back. Never in the texts.
pub const SUBS: u8 = FIELD + FIELDS;

/// COMMAND INFO's command flags in the order Redis lists them
/// (`addReplyCommandFlags`, hidden ones last): a row's `flags` has bit `i`
/// for `FLAGS[i]`. Four bytes a row instead of a list of names (8 bytes a
/// row and 8 a name); the generator checks every row reads back.
pub const FLAGS: &[&str] = &[
    "write",
    "readonly",
    "denyoom",
    "module",
    "admin",
    "pubsub",
    "noscript",
    "blocking",
    "loading",
    "stale",
    "skip_monitor",
    "skip_slowlog",
    "asking",
    "fast",
    "no_auth",
    "no_mandatory_keys",
    "no_async_loading",
    "no_multi",
    "movablekeys",
    "allow_busy",
    "may_replicate",
    "sentinel",
    "only_sentinel",
    "protected",
];

/// The flags the engine tests, as bits of `FLAGS`.
pub const WRITE: u32 = 1 << 0;
pub const READONLY: u32 = 1 << 1;
pub const DENYOOM: u32 = 1 << 2;
pub const NO_MANDATORY_KEYS: u32 = 1 << 15;

/// ACL categories in the order COMMAND INFO lists them (Redis's
/// `ACLCommandCategories`): a row's `acl_categories` has bit `i` for
/// `ACL_CATEGORIES[i]`.
pub const ACL_CATEGORIES: &[&str] = &[
    "@keyspace",
    "@read",
    "@write",
    "@set",
    "@sortedset",
    "@list",
    "@hash",
    "@string",
    "@bitmap",
    "@hyperloglog",
    "@geo",
    "@stream",
    "@pubsub",
    "@admin",
    "@fast",
    "@slow",
    "@blocking",
    "@dangerous",
    "@connection",
    "@transaction",
    "@scripting",
];

/// The names of the bits set in `bits`, in `names`' order.
pub fn names(bits: u32, names: &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    let set = move |i: &usize| i < &32 && bits >> i & 1 != 0;
    (0..names.len()).filter(set).map(move |i| names[i])
}

/// The bits of `list` (for the generator): `None` if a name is not in
/// `names` or the list is not in `names`' order without repeats.
pub fn bits(list: &[&str], names: &[&str]) -> Option<u32> {
    let mut bits = 0u32;
    let mut last = None;
    for item in list {
        let i = names.iter().position(|n| n == item)?;
        if last.is_some_and(|l| l >= i) || i >= 32 {
            return None;
        }
        last = Some(i);
        bits |= 1 << i;
    }
    Some(bits)
}

/// The words, at most 95 (the printable ASCII range codes them).
#[rustfmt::skip]
pub const WORDS: &[&str] = &[
    "$4\r\ntype\r\n",
    "$4\r\nname\r\n",
    "$9\r\narguments\r\n",
    "$10\r\ncomplexity\r\n",
    "$14\r\nkey_spec_index\r\n",
    "$10\r\npure-token\r\n",
    "$7\r\nsummary\r\n",
    "$5\r\nsince\r\n",
    "$5\r\ntoken\r\n",
    "$5\r\nflags\r\n",
    "$5\r\ngroup\r\n",
    "$3\r\nkey\r\n",
    "+optional\r\n",
    "$6\r\nstring\r\n",
    "$7\r\ninteger\r\n",
    "*6\r\n",
    "$12\r\nbegin_search\r\n",
    "$5\r\nindex\r\n",
    "$4\r\nspec\r\n",
    "$4\r\nO(1)\r\n",
    "*1\r\n",
    "$9\r\nfind_keys\r\n",
    "+multiple\r\n",
    "$5\r\n6.2.0\r\n",
    "*4\r\n",
    "*2\r\n",
    "$7\r\nhistory\r\n",
    "$5\r\noneof\r\n",
    "$49\r\nShow helpful text about the different subcommands\r\n",
    "*10\r\n",
    "$7\r\nkeystep\r\n",
    "$7\r\nlastkey\r\n",
    ":0\r\n",
    "$10\r\nconnection\r\n",
    "$5\r\n7.0.0\r\n",
    "*8\r\n",
    "$5\r\nlimit\r\n",
    "$10\r\nsorted-set\r\n",
    "$5\r\nrange\r\n",
    "$5\r\nblock\r\n",
    "$5\r\n1.0.0\r\n",
    "$5\r\n5.0.0\r\n",
    "$5\r\ncount\r\n",
    "$6\r\nserver\r\n",
    "$6\r\ndouble\r\n",
    "$7\r\npattern\r\n",
    "$7\r\ngeneric\r\n",
    "$6\r\nstream\r\n",
    "$5\r\n2.0.0\r\n",
    "$59\r\n`timeout` is interpreted as a double instead of an integer.\r\n",
    "$16\r\ndeprecated_since\r\n",
    "$62\r\nO(N) when N is the number of configuration parameters provided\r\n",
    ":1\r\n",
    "$6\r\npubsub\r\n",
    "$54\r\nO(N) where N is the number of arguments to the command\r\n",
    "$54\r\nDepends on how much memory is allocated, could be slow\r\n",
    "+access\r\n",
    "*12\r\n",
    "$5\r\n4.0.0\r\n",
    "$11\r\ndestination\r\n",
    "$49\r\nO(N) where N is the number of commands to look up\r\n",
    "$48\r\nO(N) where N is the number of client connections\r\n",
    "$11\r\nreplaced_by\r\n",
    "$5\r\nCOUNT\r\n",
    "$9\r\ndoc_flags\r\n",
    "$6\r\nmember\r\n",
    "$5\r\n6.0.0\r\n",
    "$41\r\nAdded options: `NX`, `XX`, `GT` and `LT`.\r\n",
    "$4\r\nlist\r\n",
    "$39\r\nAdded support for uppercase unit names.\r\n",
    "$37\r\nAccepts multiple `element` arguments.\r\n",
    "$9\r\ngroupname\r\n",
    "$5\r\nvalue\r\n",
    "$5\r\n3.2.0\r\n",
    "$6\r\noffset\r\n",
    "+update\r\n",
    "*3\r\n",
    "+deprecated\r\n",
    "$12\r\noffset_count\r\n",
    "$5\r\n2.8.0\r\n",
    "$7\r\ntimeout\r\n",
    "$7\r\nnumkeys\r\n",
    "$7\r\nkeyword\r\n",
    "$11\r\nsubcommands\r\n",
];

/// The RESP2 bytes of a packed text; `fields` are the strings its
/// `FIELD` bytes name (`&[]` for a text that names none).
pub fn unpack(packed: &str, fields: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(packed.len() * 2);
    let mut bytes = packed.bytes();
    while let Some(b) = bytes.next() {
        if let Some(field) = b.checked_sub(FIELD).filter(|i| *i < FIELDS) {
            let text = fields.get(usize::from(field)).copied().unwrap_or("");
            out.extend_from_slice(format!("${}\r\n{text}\r\n", text.len()).as_bytes());
        } else if b == MARK {
            let word = bytes.next().map(|c| usize::from(c.wrapping_sub(b' ')));
            out.extend_from_slice(
                word.and_then(|i| WORDS.get(i))
                    .map_or(&b""[..], |w| w.as_bytes()),
            );
        } else {
            out.push(b);
        }
    }
    out
}

/// Packs RESP2 bytes (for the generator): element by element, each that
/// is the bulk string of one of `fields` (non-empty ones only) becomes its
/// `FIELD` byte, each that is one of `WORDS` its two-byte code. `None` if
/// the text holds `MARK` or a `FIELD` byte itself or is not whole RESP2
/// elements.
pub fn pack(resp: &[u8], fields: &[&str]) -> Option<String> {
    if resp.iter().any(|b| (MARK..=SUBS).contains(b)) || fields.len() > FIELDS.into() {
        return None;
    }
    let fields: Vec<Vec<u8>> = fields
        .iter()
        .map(|f| {
            if f.is_empty() {
                Vec::new()
            } else {
                format!("${}\r\n{f}\r\n", f.len()).into_bytes()
            }
        })
        .collect();
    let mut out = Vec::with_capacity(resp.len());
    let mut rest = resp;
    while !rest.is_empty() {
        let line = rest.windows(2).position(|w| w == b"\r\n")? + 2;
        let len = if rest[0] == b'$' {
            let n: usize = std::str::from_utf8(&rest[1..line - 2]).ok()?.parse().ok()?;
            line + n + 2
        } else {
            line
        };
        let element = rest.get(..len)?;
        if let Some(i) = fields.iter().position(|f| f == element) {
            out.push(FIELD + i as u8);
        } else {
            match WORDS.iter().position(|w| w.as_bytes() == element) {
                Some(i) => out.extend_from_slice(&[MARK, b' ' + i as u8]),
                None => out.extend_from_slice(element),
            }
        }
        rest = &rest[len..];
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_bits_read_back_in_order() {
        assert_eq!(FLAGS[0], "write");
        assert_eq!(FLAGS[1], "readonly");
        assert_eq!(FLAGS[2], "denyoom");
        assert_eq!(FLAGS[15], "no_mandatory_keys");
        assert!(FLAGS.len() <= 32 && ACL_CATEGORIES.len() <= 32);
        let list = ["denyoom", "fast"];
        let b = bits(&list, FLAGS).unwrap();
        assert_eq!(b, DENYOOM | 1 << 13);
        assert_eq!(names(b, FLAGS).collect::<Vec<_>>(), list);
        assert_eq!(bits(&["fast", "denyoom"], FLAGS), None, "out of order");
        assert_eq!(bits(&["nosuch"], FLAGS), None);
        assert_eq!(bits(&["write", "write"], FLAGS), None);
        assert_eq!(names(0, ACL_CATEGORIES).count(), 0);
    }

    #[test]
    fn words_fit_the_printable_codes() {
        assert!(WORDS.len() <= 95);
        assert!(WORDS.iter().all(|w| !w.as_bytes().contains(&MARK)));
    }

    #[test]
    fn pack_then_unpack_is_exact() {
        let resp = b"*4\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$7\r\nunknown\r\n";
        let packed = pack(resp, &[]).unwrap();
        assert!(packed.len() < resp.len(), "{packed:?}");
        assert_eq!(unpack(&packed, &[]), resp);
        assert_eq!(
            pack(b"$5\r\nab\r\n", &[]),
            None,
            "a bulk string shorter than its length"
        );
        assert_eq!(pack(b"+\x01\r\n", &[]), None, "the mark itself");
        assert_eq!(pack(b"+\x03\r\n", &[]), None, "a field byte");
        assert_eq!(pack(b"+\x04\r\n", &[]), None, "the subcommands byte");
    }

    #[test]
    fn fields_are_one_byte_each_and_exact() {
        let resp = b"*4\r\n$7\r\nsummary\r\n$5\r\nDo it\r\n$10\r\ncomplexity\r\n$4\r\nO(N)\r\n";
        let packed = pack(resp, &["Do it", "O(N)"]).unwrap();
        assert_eq!(packed.matches(['\u{2}', '\u{3}']).count(), 2, "{packed:?}");
        assert!(!packed.contains("Do it") && !packed.contains("O(N)"));
        assert_eq!(unpack(&packed, &["Do it", "O(N)"]), resp);
        assert_eq!(pack(resp, &["", ""]).unwrap(), pack(resp, &[]).unwrap());
    }

    #[test]
    fn every_table_text_is_packed() {
        for spec in super::super::SPECS
            .iter()
            .flat_map(|s| std::iter::once(s).chain(s.subcommands))
        {
            let fields = [spec.summary, spec.complexity];
            let (head, tail) = match spec.docs.split_once(char::from(SUBS)) {
                Some((head, rest)) => (head, &rest[spec.subcommands.len()..]),
                None => (spec.docs, ""),
            };
            let texts = [
                (head, &fields[..]),
                (tail, &fields[..]),
                (spec.key_specs, &[]),
            ];
            for (text, fields) in texts {
                let resp = unpack(text, fields);
                assert_eq!(pack(&resp, fields).as_deref(), Some(text), "{}", spec.name);
            }
            let subs = spec.docs.matches(char::from(SUBS)).count();
            assert_eq!(
                subs,
                usize::from(!spec.subcommands.is_empty()),
                "{}",
                spec.name
            );
        }
    }
}
