//! Share links: a script in the URL fragment (`#/<slug>?script=<payload>`).
//!
//! The payload is a version letter, then the script compressed with a small
//! LZ77 (LZ4's sequence layout with LEB128 lengths and offsets) and written
//! in base64url without padding, so it survives any URL unescaped.
//! A hand-written codec instead of `miniz_oxide` (deflate): the figures are
//! in ARCHITECTURE.md ("Share links"); in short it costs a tenth of the
//! wasm and scripts, being made of repeated commands and keys, shrink well
//! without Huffman coding.
//!
//! Decoding treats the payload as hostile: every length is checked, and the
//! output is capped ([`MAX_SCRIPT`]) so a short link cannot expand into
//! gigabytes.

/// The payload's first character: the format version.
const VERSION: char = '1';

/// The largest script a link may carry once decoded (bytes).
pub const MAX_SCRIPT: usize = 16 << 20;

/// A preset dictionary both sides start from (as deflate's preset
/// dictionaries do): words most scripts use, so even a five-line script
/// finds matches. Changing it changes the format: bump [`VERSION`].
const DICTIONARY: &[u8] = b"# \n\
worker> BRPOP queue 0\nproducer> LPUSH jobs \nalice> SUBSCRIBE news\nbob> PUBLISH \n\
DEBUG SLEEP 1\nMULTI\nEXEC\nWATCH \nSET user:1 \"hello, world\" EX 10 NX\nGET \nINCR counter\n\
INCRBY \nEXPIRE session: 30\nTTL \nDEL \nEXISTS \nHSET \nHGET \nHGETALL \nHINCRBY \n\
LPUSH \nRPUSH \nLRANGE list 0 -1\nSADD \nSMEMBERS \nSISMEMBER \nZADD leaderboard \n\
ZRANGE leaderboard 0 -1 WITHSCORES\nZREVRANGE \nZINCRBY \nGEOADD \nGEOSEARCH \nXADD stream * \n\
XREAD COUNT 10 STREAMS \nXRANGE \nSETNX \nPEXPIRE \nPERSIST \nKEYS *\nSCAN 0 MATCH \nTYPE \n\
SETBIT \nBITCOUNT \nPFADD \nPFCOUNT \nGETDEL \nMGET \nMSET \nAPPEND \nDECR rate:\nlock:\nfeature:\n";

/// Matches shorter than this are not worth a sequence.
const MIN_MATCH: usize = 4;
const HASH_BITS: u32 = 15;
/// How far back a match may start: big enough for any repeated block a
/// script has, small enough that offsets stay two or three bytes.
const WINDOW: usize = 1 << 20;

/// The payload for `script`: version letter + base64url(lz(script)).
pub fn encode(script: &str) -> String {
    let mut out = String::with_capacity(script.len() / 2 + 8);
    out.push(VERSION);
    base64url_encode(&compress(script.as_bytes()), &mut out);
    out
}

/// The script in a payload, or the sentence to show when it is unreadable.
pub fn decode(payload: &str) -> Result<String, String> {
    let broken = || "This share link is damaged: the script in it cannot be read.".to_string();
    let mut chars = payload.chars();
    match chars.next() {
        Some(VERSION) => {}
        Some(_) => {
            return Err(
                "This share link was made by another version of the playground; its script cannot be read here."
                    .into(),
            )
        }
        None => return Err(broken()),
    }
    let bytes = base64url_decode(chars.as_str()).ok_or_else(broken)?;
    let script = decompress(&bytes, MAX_SCRIPT).map_err(|e| match e {
        DecodeError::TooBig => format!(
            "This share link holds a script over {} MB, too big to open.",
            MAX_SCRIPT >> 20
        ),
        DecodeError::Corrupt => broken(),
    })?;
    String::from_utf8(script).map_err(|_| broken())
}

#[derive(Debug, PartialEq, Eq)]
enum DecodeError {
    Corrupt,
    TooBig,
}

fn push_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(input: &[u8], pos: &mut usize) -> Option<usize> {
    let mut n: usize = 0;
    for shift in (0..35).step_by(7) {
        let b = *input.get(*pos)?;
        *pos += 1;
        n |= usize::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

/// Sequences of: a token (high nibble: literal count, low nibble: match
/// length - 4; 15 means "more follows as a varint"), the extra literal
/// count, the literals, then (unless the input ended) the offset - 1 and
/// the extra match length as varints.
fn compress(script: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(DICTIONARY.len() + script.len());
    input.extend_from_slice(DICTIONARY);
    input.extend_from_slice(script);
    let input = &input[..];
    fn sequence(out: &mut Vec<u8>, literals: &[u8], matched: Option<(usize, usize)>) {
        let lit = literals.len();
        let ml = matched.map_or(0, |(len, _)| len - MIN_MATCH);
        out.push(((lit.min(15) as u8) << 4) | ml.min(15) as u8);
        if lit >= 15 {
            push_varint(out, lit - 15);
        }
        out.extend_from_slice(literals);
        if let Some((_, offset)) = matched {
            push_varint(out, offset - 1);
            if ml >= 15 {
                push_varint(out, ml - 15);
            }
        }
    }
    let hash = |i: usize| {
        let v = u32::from_le_bytes([input[i], input[i + 1], input[i + 2], input[i + 3]]);
        (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
    };
    let mut out = Vec::with_capacity(input.len() / 2 + 16);
    // Last position + 1 of each hashed 4-byte group (0: none).
    let mut table = vec![0usize; 1 << HASH_BITS];
    for i in 0..DICTIONARY.len() - MIN_MATCH {
        table[hash(i)] = i + 1;
    }
    let (mut i, mut anchor) = (DICTIONARY.len(), DICTIONARY.len());
    while i + MIN_MATCH <= input.len() {
        let h = hash(i);
        let candidate = table[h];
        table[h] = i + 1;
        if candidate > 0 {
            let c = candidate - 1;
            if i - c <= WINDOW && input[c..c + MIN_MATCH] == input[i..i + MIN_MATCH] {
                let mut len = MIN_MATCH;
                while i + len < input.len() && input[c + len] == input[i + len] {
                    len += 1;
                }
                sequence(&mut out, &input[anchor..i], Some((len, i - c)));
                // Index a few positions inside the match, so the next
                // repeat of a line finds this one.
                let end = i + len;
                let mut j = i + 1;
                while j + MIN_MATCH <= input.len() && j < end {
                    table[hash(j)] = j + 1;
                    j += if len > 32 { 3 } else { 1 };
                }
                i = end;
                anchor = end;
                continue;
            }
        }
        i += 1;
    }
    sequence(&mut out, &input[anchor..], None);
    out
}

fn decompress(input: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    use DecodeError::*;
    let limit = limit + DICTIONARY.len();
    let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(3).min(limit));
    out.extend_from_slice(DICTIONARY);
    let mut pos = 0;
    loop {
        let token = *input.get(pos).ok_or(Corrupt)?;
        pos += 1;
        let mut lit = usize::from(token >> 4);
        if lit == 15 {
            lit = read_varint(input, &mut pos)
                .and_then(|n| n.checked_add(15))
                .ok_or(Corrupt)?;
        }
        let literals = input.get(pos..pos.checked_add(lit).ok_or(Corrupt)?);
        let literals = literals.ok_or(Corrupt)?;
        if out.len() + lit > limit {
            return Err(TooBig);
        }
        out.extend_from_slice(literals);
        pos += lit;
        if pos == input.len() {
            out.drain(..DICTIONARY.len());
            return Ok(out);
        }
        let offset = read_varint(input, &mut pos).ok_or(Corrupt)? + 1;
        let mut len = usize::from(token & 15);
        if len == 15 {
            len = read_varint(input, &mut pos)
                .and_then(|n| n.checked_add(15))
                .ok_or(Corrupt)?;
        }
        let len = len.saturating_add(MIN_MATCH);
        if offset > out.len() {
            return Err(Corrupt);
        }
        if out.len().saturating_add(len) > limit {
            return Err(TooBig);
        }
        let start = out.len() - offset;
        if offset >= len {
            out.extend_from_within(start..start + len);
        } else {
            // Overlapping: a run that repeats its own output.
            for k in 0..len {
                out.push(out[start + k]);
            }
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * k);
        }
        for k in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * k)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the property tests
    /// replay identically.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn round_trip(script: &str) {
        let payload = encode(script);
        assert!(
            payload
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "URL-safe: {payload}"
        );
        assert_eq!(decode(&payload).as_deref(), Ok(script));
    }

    #[test]
    fn round_trips_simple_scripts() {
        for script in [
            "",
            "a",
            "ab",
            "PING",
            "SET greeting \"hello, world\"\nGET greeting\n",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "SET k 'it\\'s' \"a \\\"q\\\" \\x41\"\n# narration\nworker> BRPOP jobs 0",
            "SET \"<img src=x onerror=alert(1)>\" 1",
        ] {
            round_trip(script);
        }
    }

    #[test]
    fn round_trips_unicode() {
        round_trip("SET 名前 \"日本語のテキスト\" # ünïcødé ✓\nGET 🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕\n");
        round_trip(&"émoji 🎉 and Ω\n".repeat(500));
    }

    #[test]
    fn round_trips_random_scripts() {
        let words = [
            "SET",
            "GET",
            "INCR",
            "\"quoted value\"",
            "'single'",
            "é",
            "🎉",
            "user:1",
            "\n",
            "\n",
            " ",
            "\t",
            "\\",
            "\"",
            "'",
            "12345",
            "-3.5",
            "#",
            "alice> ",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let n = rng.below(200);
            let script: String = (0..n).map(|_| words[rng.below(words.len())]).collect();
            round_trip(&script);
        }
        // Random bytes as chars: nothing repeats, the codec must still
        // round-trip (and not grow much).
        for _ in 0..50 {
            let n = rng.below(3000);
            let script: String = (0..n)
                .filter_map(|_| char::from_u32(rng.below(0x3000) as u32))
                .collect();
            round_trip(&script);
        }
    }

    #[test]
    fn a_100k_line_script_round_trips_and_shrinks() {
        let script: String = (0..100_000)
            .map(|i| {
                format!(
                    "SET key:{i} \"value {}\" EX {}\n",
                    i * 7 % 1000,
                    10 + i % 50
                )
            })
            .collect();
        let payload = encode(&script);
        assert_eq!(decode(&payload).as_deref(), Ok(script.as_str()));
        assert!(
            payload.len() * 3 < script.len(),
            "{} -> {}",
            script.len(),
            payload.len()
        );
    }

    #[test]
    fn the_version_is_checked() {
        let payload = encode("PING");
        assert!(payload.starts_with('1'));
        let other = format!("2{}", &payload[1..]);
        assert!(decode(&other).unwrap_err().contains("another version"));
        assert!(decode("").unwrap_err().contains("damaged"));
    }

    #[test]
    fn damaged_payloads_are_errors_not_panics() {
        let payload = encode(&"SET key value\nGET key\n".repeat(20));
        // Every truncation and every single-character change.
        for end in 0..payload.len() {
            let _ = decode(&payload[..end]);
        }
        let alphabet = "AZaz09-_!%";
        for i in 1..payload.len() {
            for c in alphabet.chars() {
                let mut p = payload.clone();
                p.replace_range(i..i + 1, &c.to_string());
                let _ = decode(&p);
            }
        }
        assert!(decode("1!!!!").unwrap_err().contains("damaged"));
        assert!(decode("1A").unwrap_err().contains("damaged"));
        // A literal run longer than the input.
        let mut bad = String::from("1");
        base64url_encode(&[0xf0, 0x7f, b'a'], &mut bad);
        assert!(decode(&bad).unwrap_err().contains("damaged"));
        // An offset before the start.
        bad = String::from("1");
        base64url_encode(&[0x10, b'a', 5, 0x10], &mut bad);
        assert!(decode(&bad).unwrap_err().contains("damaged"));
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        // One literal, then a match of about 2^35 bytes repeating it.
        let mut bytes = vec![0x1f, b'a', 0];
        bytes.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x7f]);
        bytes.push(0x00);
        let mut payload = String::from("1");
        base64url_encode(&bytes, &mut payload);
        assert!(decode(&payload).unwrap_err().contains("too big"));
        assert_eq!(decompress(&bytes, 1 << 10), Err(DecodeError::TooBig));
    }

    #[test]
    fn base64url_matches_known_vectors() {
        let enc = |b: &[u8]| {
            let mut s = String::new();
            base64url_encode(b, &mut s);
            s
        };
        assert_eq!(enc(b""), "");
        assert_eq!(enc(b"f"), "Zg");
        assert_eq!(enc(b"fo"), "Zm8");
        assert_eq!(enc(b"foo"), "Zm9v");
        assert_eq!(enc(b"foob"), "Zm9vYg");
        assert_eq!(enc(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("Zm9vYg").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64url_decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64url_decode("Z"), None);
        assert_eq!(base64url_decode("Zm+v"), None);
    }
}
