//! `IdMap`: a map from client id to `V`, in id order, as a sorted `Vec`.
//! The engine holds a few such maps (clients, their subscriptions, blocked
//! clients and what they sent meanwhile); a `BTreeMap` per value type cost
//! several KB of wasm each, and a playground has a handful of clients.

use crate::engine::ClientId;

#[derive(Debug, Clone)]
pub struct IdMap<V> {
    items: Vec<(ClientId, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap { items: Vec::new() }
    }
}

impl<V> IdMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, id: &ClientId) -> Result<usize, usize> {
        self.items.binary_search_by_key(id, |(k, _)| *k)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn contains_key(&self, id: &ClientId) -> bool {
        self.find(id).is_ok()
    }

    pub fn get(&self, id: &ClientId) -> Option<&V> {
        self.find(id).ok().map(|i| &self.items[i].1)
    }

    pub fn get_mut(&mut self, id: &ClientId) -> Option<&mut V> {
        self.find(id).ok().map(|i| &mut self.items[i].1)
    }

    /// Sets `id`'s value, returning the one it replaces.
    pub fn insert(&mut self, id: ClientId, value: V) -> Option<V> {
        match self.find(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (id, value));
                None
            }
        }
    }

    pub fn remove(&mut self, id: &ClientId) -> Option<V> {
        self.find(id).ok().map(|i| self.items.remove(i).1)
    }

    /// `id`'s value, inserting `V::default()` first if there is none.
    pub fn entry_or_default(&mut self, id: ClientId) -> &mut V
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

    /// The entries in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&ClientId, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &ClientId> {
        self.items.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_id_order_and_replaces() {
        let mut m = IdMap::new();
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
