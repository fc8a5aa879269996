//! The values a key can hold. Strings are bytes (HyperLogLogs and bitmaps
//! are strings too, as in Redis); the aggregate types live in `types/`.

use crate::types::{Hash, List, Set, Stream, ZSet};

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(Vec<u8>),
    Hash(Hash),
    List(List),
    Set(Set),
    ZSet(ZSet),
    Stream(Stream),
}

impl Value {
    /// The name TYPE answers.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::Hash(_) => "hash",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }
}

/// Accessors for one variant, for `Keyspace::get_as` and friends: the
/// value as that type, or `None` when the key holds another one.
macro_rules! accessors {
    ($variant:ident, $ty:ty, $as_ref:ident, $as_mut:ident, $new:ident) => {
        impl Value {
            pub fn $as_ref(&self) -> Option<&$ty> {
                match self {
                    Value::$variant(v) => Some(v),
                    _ => None,
                }
            }

            pub fn $as_mut(&mut self) -> Option<&mut $ty> {
                match self {
                    Value::$variant(v) => Some(v),
                    _ => None,
                }
            }

            /// An empty value of this type (for a key about to be created).
            pub fn $new() -> Value {
                Value::$variant(<$ty>::default())
            }
        }
    };
}

accessors!(Hash, Hash, as_hash, as_hash_mut, new_hash);
accessors!(List, List, as_list, as_list_mut, new_list);
accessors!(Set, Set, as_set, as_set_mut, new_set);
accessors!(ZSet, ZSet, as_zset, as_zset_mut, new_zset);
accessors!(Stream, Stream, as_stream, as_stream_mut, new_stream);
