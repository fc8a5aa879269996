//! `VecMap`: an ordered map as a sorted `Vec`, and `IdMap`, one keyed by
//! client id. The engine holds a few maps with few entries (clients, their
//! subscriptions, blocked clients and what they sent meanwhile, the keys
//! they wait on, a stream's consumer groups and a group's consumers); a
//! `BTreeMap` per key and value type cost several KB of wasm each.

use std::borrow::Borrow;

use crate::engine::ClientId;

/// Client id -> `V`, in id order (ids only grow: inserts append).
pub type IdMap<V> = VecMap<ClientId, V>;

/// Equal maps have equal `Vec`s: the order is the keys'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find<Q: Ord + ?Sized>(&self, id: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.items.binary_search_by(|(k, _)| k.borrow().cmp(id))
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, id: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(id).is_ok()
    }

    pub fn get<Q: Ord + ?Sized>(&self, id: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(id).ok().map(|i| &self.items[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, id: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(id).ok().map(|i| &mut self.items[i].1)
    }

    /// Sets `id`'s value, returning the one it replaces.
    pub fn insert(&mut self, id: K, value: V) -> Option<V> {
        match self.find(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (id, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, id: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(id).ok().map(|i| self.items.remove(i).1)
    }

    /// `id`'s value, inserting `V::default()` first if there is none.
    pub fn entry_or_default(&mut self, id: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(&id) {
            Ok(i) => i,
            Err(i) => {
                self.items.insert(i, (id, V::default()));
                i
            }
        };
        &mut self.items[i].1
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.items.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.items.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_id_order_and_replaces() {
        let mut m: IdMap<&str> = IdMap::new();
        assert_eq!(m.insert(ClientId(3), "c"), None);
        assert_eq!(m.insert(ClientId(1), "a"), None);
        assert_eq!(m.insert(ClientId(2), "b"), None);
        assert_eq!(m.insert(ClientId(2), "B"), Some("b"));
        assert_eq!(m.values().copied().collect::<Vec<_>>(), ["a", "B", "c"]);
        assert_eq!(m.remove(&ClientId(1)), Some("a"));
        assert_eq!(m.remove(&ClientId(1)), None);
        assert!(m.contains_key(&ClientId(3)) && !m.contains_key(&ClientId(1)));
        assert_eq!(m.len(), 2);
        *m.get_mut(&ClientId(3)).unwrap() = "C";
        assert_eq!(m.get(&ClientId(3)), Some(&"C"));
        let mut d: IdMap<Vec<u8>> = IdMap::new();
        d.entry_or_default(ClientId(7)).push(1);
        d.entry_or_default(ClientId(7)).push(2);
        assert_eq!(d.get(&ClientId(7)), Some(&vec![1, 2]));
        assert!(!d.is_empty());
    }
}
