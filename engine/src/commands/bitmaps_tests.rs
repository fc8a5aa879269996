//! Unit tests of the bitmap commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::commands::test_support::*;
use crate::event::{Event, Removal};
use crate::value::Value;

const BAD_OFFSET: &str = "(error) ERR bit offset is not an integer or out of range";
const BAD_BIT: &str = "(error) ERR bit is not an integer or out of range";
const BAD_TYPE: &str = "(error) ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

#[test]
fn setbit_grows_and_getbit_reads() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SETBIT k 1 1", "(integer) 0"),
            ("GET k", "\"@\""),
            ("SETBIT k 1 1", "(integer) 1"),
            ("SETBIT k 20 1", "(integer) 0"),
            ("GET k", "\"@\\x00\\b\""),
            ("GETBIT k 20", "(integer) 1"),
            ("GETBIT k 21", "(integer) 0"),
            ("GETBIT k 4294967295", "(integer) 0"),
            ("GETBIT nokey 0", "(integer) 0"),
            ("SETBIT k 4294967296 1", BAD_OFFSET),
            ("SETBIT k -1 1", BAD_OFFSET),
            ("SETBIT k #1 1", BAD_OFFSET),
            ("SETBIT k 0 2", BAD_BIT),
            ("SETBIT k 0 x", BAD_BIT),
            ("GETBIT k 1.5", BAD_OFFSET),
        ],
    );
}

#[test]
fn bitcount_ranges_in_bytes_and_bits() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("BITCOUNT nokey 0", "(integer) 0"),
            ("SET s foobar", "OK"),
            ("BITCOUNT s", "(integer) 26"),
            ("BITCOUNT s 1 1", "(integer) 6"),
            ("BITCOUNT s 5 30 bit", "(integer) 17"),
            ("BITCOUNT s -1 -2 foo", "(integer) 0"),
            ("BITCOUNT s 2 3 foo", SYNTAX),
            ("BITCOUNT s 0", SYNTAX),
            ("BITCOUNT s 47 100 bit", "(integer) 0"),
            ("BITCOUNT s 46 100 bit", "(integer) 1"),
        ],
    );
}

#[test]
fn bitpos_not_found_rules() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("BITPOS nokey 0", "(integer) 0"),
            ("BITPOS nokey 1", "(integer) -1"),
            (
                "BITPOS nokey 2",
                "(error) ERR The bit argument must be 1 or 0.",
            ),
            ("SET ones \"\\xff\\xff\\xff\"", "OK"),
            // No clear bit: the bit after the string, unless an end is given.
            ("BITPOS ones 0", "(integer) 24"),
            ("BITPOS ones 0 1", "(integer) 24"),
            ("BITPOS ones 0 0 -1", "(integer) -1"),
            ("BITPOS ones 1 1", "(integer) 8"),
            ("SET str \"\\xff\\xf0\\x00\"", "OK"),
            ("BITPOS str 0", "(integer) 12"),
            ("BITPOS str 0 3 13 bit", "(integer) 12"),
            ("BITPOS str 0 0 11 bit", "(integer) -1"),
            ("BITPOS str 1 -12 -1 bit", "(integer) -1"),
            ("BITPOS str 0 2 1", "(integer) -1"),
            ("BITPOS str 0 0 1 bits", SYNTAX),
        ],
    );
}

#[test]
fn bitop_operations_and_empty_results() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET a \"\\x01\\x02\\xff\\xff\"", "OK"),
            ("SET b \"\\x01\\x02\\xff\"", "OK"),
            ("BITOP AND r a b", "(integer) 4"),
            ("GET r", "\"\\x01\\x02\\xff\\x00\""),
            ("BITOP XOR r a b nokey", "(integer) 4"),
            ("GET r", "\"\\x00\\x00\\x00\\xff\""),
            ("BITOP NOT r b", "(integer) 3"),
            ("GET r", "\"\\xfe\\xfd\\x00\""),
            (
                "BITOP NOT r a b",
                "(error) ERR BITOP NOT must be called with a single source key.",
            ),
            ("BITOP NAND r a", SYNTAX),
            ("SET r x EX 100", "OK"),
            ("BITOP OR r nokey", "(integer) 0"),
            ("EXISTS r", "(integer) 0"),
            ("BITOP OR r a", "(integer) 4"),
            ("TTL r", "(integer) -1"),
        ],
    );
}

#[test]
fn bitfield_types_offsets_and_overflow() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            (
                "BITFIELD bits SET u8 #1 66 GET u8 #1 GET u16 0",
                "1) (integer) 0\n2) (integer) 66\n3) (integer) 66",
            ),
            (
                "BITFIELD bits OVERFLOW sat INCRBY u8 #1 300",
                "1) (integer) 255",
            ),
            (
                "BITFIELD bits OVERFLOW wrap INCRBY u8 #1 2",
                "1) (integer) 1",
            ),
            (
                "BITFIELD bits OVERFLOW fail INCRBY i8 #1 126",
                "1) (integer) 127",
            ),
            ("BITFIELD bits OVERFLOW fail INCRBY i8 #1 127", "1) (nil)"),
            (
                "BITFIELD bits OVERFLOW sat SET i8 0 -9223372036854775808",
                "1) (integer) 0",
            ),
            ("BITFIELD bits GET i8 0", "1) (integer) 127"),
            (
                "BITFIELD bits SET i64 0 -1 GET u63 1",
                "1) (integer) 9187061764859101184\n2) (integer) 9223372036854775807",
            ),
            ("BITFIELD bits GET u64 0", BAD_TYPE),
            ("BITFIELD bits GET i65 0", BAD_TYPE),
            ("BITFIELD bits GET u8 #536870912", BAD_OFFSET),
            (
                "BITFIELD bits OVERFLOW foo",
                "(error) ERR Invalid OVERFLOW type specified",
            ),
            ("BITFIELD bits GET u8", SYNTAX),
            (
                "BITFIELD bits SET u8 0 x",
                "(error) ERR value is not an integer or out of range",
            ),
            ("BITFIELD_RO bits GET u8 0", "1) (integer) 255"),
            (
                "BITFIELD_RO bits SET u8 0 1",
                "(error) ERR BITFIELD_RO only supports the GET subcommand",
            ),
            ("BITFIELD none GET u8 0", "1) (integer) 0"),
            ("EXISTS none", "(integer) 0"),
            ("BITFIELD fk OVERFLOW fail SET u2 16 4", "1) (nil)"),
            ("GET fk", "\"\\x00\\x00\\x00\""),
        ],
    );
}

#[test]
fn another_type_is_wrongtype_after_the_arguments() {
    let (mut e, c) = engine();
    e.keyspace(c).db.set(b"h", Value::new_hash());
    e.keyspace(c).db.set(b"dest", Value::new_hash());
    check(
        &mut e,
        c,
        &[
            ("SETBIT h 0 1", WRONGTYPE),
            ("SETBIT h -1 1", BAD_OFFSET),
            ("SETBIT h 0 2", BAD_BIT),
            ("GETBIT h 0", WRONGTYPE),
            ("GETBIT h -1", BAD_OFFSET),
            ("BITCOUNT h", WRONGTYPE),
            ("BITCOUNT h 0", WRONGTYPE),
            ("BITPOS h 0", WRONGTYPE),
            ("BITPOS h 2", "(error) ERR The bit argument must be 1 or 0."),
            ("BITOP AND r nokey h", WRONGTYPE),
            ("BITFIELD h GET u8 0", WRONGTYPE),
            ("BITFIELD h SET u8 0 1", WRONGTYPE),
            ("BITFIELD h GET u99 0", BAD_TYPE),
            ("BITFIELD h", WRONGTYPE),
            ("BITFIELD_RO h GET u8 0", WRONGTYPE),
            (
                "BITFIELD_RO h SET u8 0 1",
                "(error) ERR BITFIELD_RO only supports the GET subcommand",
            ),
            // An empty result deletes a destination of any type.
            ("BITOP OR dest nokey", "(integer) 0"),
            ("EXISTS dest", "(integer) 0"),
            ("EXISTS h", "(integer) 1"),
        ],
    );
}

#[test]
fn each_write_is_one_event() {
    let (mut e, c) = engine();
    let written = |key: &str, cmd: &'static str| Event::Written {
        db: 0,
        key: key.as_bytes().to_vec(),
        command: cmd,
    };
    e.take_events();
    run(&mut e, c, "SETBIT k 7 1");
    run(&mut e, c, "SETBIT k 7 1");
    run(&mut e, c, "BITFIELD k SET u8 8 1 INCRBY u8 8 1 GET u8 0");
    run(&mut e, c, "BITFIELD k OVERFLOW fail SET u2 0 9");
    run(&mut e, c, "BITOP NOT d k");
    assert_eq!(
        e.take_events(),
        vec![
            // The second SETBIT changes nothing: no write, as Redis
            // neither signals nor notifies it.
            written("k", "setbit"),
            written("k", "bitfield"),
            written("k", "bitfield"),
            written("d", "bitop"),
        ]
    );
    // Reads and failed commands record nothing.
    run(&mut e, c, "GETBIT k 0");
    run(&mut e, c, "BITCOUNT k");
    run(&mut e, c, "BITPOS k 1");
    run(&mut e, c, "BITFIELD k GET u8 0");
    run(&mut e, c, "BITFIELD_RO k GET u8 0");
    run(&mut e, c, "SETBIT k 0 2");
    run(&mut e, c, "BITFIELD k SET u8 0 x");
    assert_eq!(e.take_events(), vec![]);
    run(&mut e, c, "BITOP AND d nokey");
    assert_eq!(
        e.take_events(),
        vec![Event::Removed {
            db: 0,
            key: b"d".to_vec(),
            cause: Removal::Deleted
        }]
    );
}

#[test]
fn expired_keys_read_as_missing() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET k \"\\xff\" PX 100");
    assert_eq!(run(&mut e, c, "BITCOUNT k"), "(integer) 8");
    e.advance(200);
    check(
        &mut e,
        c,
        &[
            ("BITCOUNT k", "(integer) 0"),
            ("BITPOS k 0", "(integer) 0"),
            ("GETBIT k 0", "(integer) 0"),
            ("SETBIT k 9 1", "(integer) 0"),
            ("GET k", "\"\\x00@\""),
            ("TTL k", "(integer) -1"),
        ],
    );
}
