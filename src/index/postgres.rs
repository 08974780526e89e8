//! The shared store: PostgreSQL, so that many `index add` workers on many machines fill one
//! database. Same tables and meaning as [`super::sqlite`].

use super::store::*;
use anyhow::{bail, Result};

/// A store in a PostgreSQL database.
pub struct PgStore {}

impl PgStore {
    pub fn open(url: &str) -> Result<Self> {
        bail!("{url}: PostgreSQL stores are not built yet")
    }
}

impl Store for PgStore {
    fn allocate(&mut self, _: &str, _: u64) -> Result<i64> {
        unimplemented!()
    }
    fn is_empty(&mut self) -> Result<bool> {
        unimplemented!()
    }
    fn existing(&mut self, _: &[&str]) -> Result<Vec<Option<(Key, i64)>>> {
        unimplemented!()
    }
    fn holders(&mut self, _: &[u64], _: Key, _: usize) -> Result<Vec<Vec<Key>>> {
        unimplemented!()
    }
    fn articles(&mut self, _: &[Key]) -> Result<Vec<StoredArticle>> {
        unimplemented!()
    }
    fn article_by_id(&mut self, _: &str) -> Result<Option<StoredArticle>> {
        unimplemented!()
    }
    fn commit(&mut self, _: &Batch) -> Result<()> {
        unimplemented!()
    }
    fn meta(&mut self, _: &str) -> Result<Option<Vec<u8>>> {
        unimplemented!()
    }
    fn reuse_of(&mut self, _: Key) -> Result<Vec<StoredReuse>> {
        unimplemented!()
    }
    fn stats(&mut self) -> Result<StoreStats> {
        unimplemented!()
    }
}
