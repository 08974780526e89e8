//! The embedded store: one SQLite file (through `rusqlite`, SQLite compiled in), no server.
//!
//! Write-ahead log with `synchronous=FULL`: a batch reported done survives a crash or a power
//! loss; a batch cut short by one is rolled back when the file is next opened. Opening reads
//! nothing but the schema: there is nothing to rebuild in memory.

use super::store::*;
use anyhow::{Context, Result};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS articles (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    digest INTEGER NOT NULL,
    story INTEGER NOT NULL,
    anchors BLOB NOT NULL,
    source_path TEXT, url TEXT, title TEXT, outlet TEXT, published TEXT, published_from TEXT,
    byline TEXT, canonical_url TEXT, language TEXT, fetched TEXT, credits TEXT,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE TABLE IF NOT EXISTS postings (
    anchor INTEGER NOT NULL,
    key INTEGER NOT NULL,
    PRIMARY KEY (anchor, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reuse (
    source INTEGER NOT NULL,
    derived INTEGER NOT NULL,
    relation TEXT NOT NULL,
    confidence REAL NOT NULL,
    source_coverage REAL NOT NULL,
    derived_coverage REAL NOT NULL,
    passages TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (source, derived)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reuse_derived ON reuse(derived);
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
";

/// A store in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the store at `path`, creating it if absent. `cache_bytes` is SQLite's page cache.
    pub fn open(path: &Path, cache_bytes: usize) -> Result<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("cannot open store {}", path.display()))?;
        let setup = || -> rusqlite::Result<()> {
            conn.busy_timeout(std::time::Duration::from_secs(60))?;
            // Larger pages: fewer B-tree levels and page writes for the postings (a no-op on
            // an existing file).
            conn.pragma_update(None, "page_size", 16384)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "cache_size", -((cache_bytes / 1024).max(2048) as i64))?;
            conn.pragma_update(None, "temp_store", "MEMORY")?;
            conn.execute_batch(SCHEMA)
        };
        setup().with_context(|| format!("{} is not a newstrace store", path.display()))?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn stored(row: &rusqlite::Row) -> rusqlite::Result<StoredArticle> {
        let mut cols: [Option<String>; 13] = Default::default();
        for (i, c) in cols.iter_mut().enumerate() {
            *c = row.get(2 + i)?;
        }
        Ok(StoredArticle {
            key: row.get(0)?,
            story: row.get(1)?,
            article: article_from_columns(cols),
        })
    }

    fn reuse_row(row: &rusqlite::Row) -> rusqlite::Result<StoredReuse> {
        Ok(StoredReuse {
            source: row.get(0)?,
            derived: row.get(1)?,
            relation: row.get(2)?,
            confidence: row.get::<_, f64>(3)? as f32,
            source_coverage: row.get::<_, f64>(4)? as f32,
            derived_coverage: row.get::<_, f64>(5)? as f32,
            passages: passages_from_json(&row.get::<_, String>(6)?),
            evidence: evidence_from_json(&row.get::<_, String>(7)?),
        })
    }
}

/// Removes the stored article `key` (its anchors' postings, reuse entries and story
/// membership) inside a transaction.
fn remove(tx: &rusqlite::Transaction, key: Key) -> rusqlite::Result<()> {
    let old: Option<(Vec<u8>, i64)> = tx
        .prepare_cached("SELECT anchors, story FROM articles WHERE key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((anchors, story)) = old else {
        return Ok(());
    };
    let mut del = tx.prepare_cached("DELETE FROM postings WHERE anchor = ?1 AND key = ?2")?;
    for a in anchors_from_bytes(&anchors) {
        del.execute(params![a as i64, key])?;
    }
    tx.prepare_cached("DELETE FROM reuse WHERE source = ?1 OR derived = ?1")?
        .execute([key])?;
    tx.prepare_cached("UPDATE stories SET size = size - 1 WHERE id = ?1")?
        .execute([story])?;
    tx.prepare_cached("DELETE FROM articles WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

impl Store for SqliteStore {
    fn allocate(&mut self, counter: &str, n: u64) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let next: i64 = tx
            .query_row(
                "SELECT next FROM counters WHERE name = ?1",
                [counter],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(1);
        tx.execute(
            "INSERT INTO counters(name, next) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET next = excluded.next",
            params![counter, next + n as i64],
        )?;
        tx.commit()?;
        Ok(next)
    }

    fn is_empty(&mut self) -> Result<bool> {
        let any: Option<i64> = self
            .conn
            .query_row("SELECT key FROM articles LIMIT 1", [], |r| r.get(0))
            .optional()?;
        Ok(any.is_none())
    }

    fn existing(&mut self, ids: &[&str]) -> Result<Vec<Option<(Key, i64)>>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT key, digest FROM articles WHERE id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(
                st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?,
            );
        }
        Ok(out)
    }

    fn holders(&mut self, anchors: &[u64], below: Key, limit: usize) -> Result<Vec<Vec<Key>>> {
        let mut st = self.conn.prepare_cached(
            "SELECT key FROM postings WHERE anchor = ?1 AND key < ?2 ORDER BY key LIMIT ?3",
        )?;
        let mut out = Vec::with_capacity(anchors.len());
        for &a in anchors {
            let keys = st
                .query_map(params![a as i64, below, limit as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<Key>>>()?;
            out.push(keys);
        }
        Ok(out)
    }

    fn anchor_counts(&mut self, keys: &[Key]) -> Result<Vec<Option<usize>>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT length(anchors) FROM articles WHERE key = ?1")?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            let bytes: Option<i64> = st.query_row([k], |r| r.get(0)).optional()?;
            out.push(bytes.map(|b| b as usize / 8));
        }
        Ok(out)
    }

    fn articles(&mut self, keys: &[Key]) -> Result<Vec<StoredArticle>> {
        let sql = format!("SELECT key, story, {ARTICLE_COLUMNS} FROM articles WHERE key = ?1");
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            if let Some(a) = st.query_row([k], Self::stored).optional()? {
                out.push(a);
            }
        }
        Ok(out)
    }

    fn latest(&mut self, n: usize) -> Result<Vec<StoredArticle>> {
        let sql = format!(
            "SELECT key, story, {ARTICLE_COLUMNS} FROM articles ORDER BY key DESC LIMIT ?1"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st
            .query_map([n as i64], Self::stored)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.reverse();
        Ok(rows)
    }

    fn article_by_id(&mut self, id: &str) -> Result<Option<StoredArticle>> {
        let sql = format!("SELECT key, story, {ARTICLE_COLUMNS} FROM articles WHERE id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], Self::stored)
            .optional()?)
    }

    fn commit(&mut self, batch: &Batch) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut find = tx.prepare_cached("SELECT key FROM articles WHERE id = ?1")?;
            let mut insert = tx.prepare_cached(&format!(
                "INSERT INTO articles (key, digest, story, anchors, {ARTICLE_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
            ))?;
            let mut postings: Vec<(u64, Key)> = Vec::new();
            for a in &batch.articles {
                let old: Option<Key> =
                    find.query_row([&a.article.id.0], |r| r.get(0)).optional()?;
                if let Some(old) = old {
                    remove(&tx, old)?;
                }
                let cols = article_columns(&a.article);
                let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(17);
                let blob = anchors_to_bytes(&a.anchors);
                values.extend([&a.key as &dyn rusqlite::ToSql, &a.digest, &a.story, &blob]);
                for c in &cols {
                    values.push(c);
                }
                insert.execute(values.as_slice())?;
                postings.extend(a.anchors.iter().map(|&h| (h, a.key)));
            }
            // In anchor order: neighbouring B-tree pages, written once each.
            postings.sort_unstable();
            let mut post =
                tx.prepare_cached("INSERT OR IGNORE INTO postings (anchor, key) VALUES (?1, ?2)")?;
            for (h, k) in postings {
                post.execute(params![h as i64, k])?;
            }
            let mut reuse = tx.prepare_cached(
                "INSERT OR REPLACE INTO reuse
                 (source, derived, relation, confidence, source_coverage, derived_coverage, passages, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in &batch.reuse {
                reuse.execute(params![
                    r.source,
                    r.derived,
                    r.relation,
                    r.confidence as f64,
                    r.source_coverage as f64,
                    r.derived_coverage as f64,
                    passages_to_json(&r.passages),
                    evidence_to_json(&r.evidence),
                ])?;
            }
            let mut story = tx.prepare_cached(
                "INSERT INTO stories (id, title, size) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET size = size + excluded.size",
            )?;
            for s in &batch.stories {
                story.execute(params![s.id, s.title, s.size])?;
            }
            let mut meta = tx.prepare_cached(
                "INSERT INTO meta (name, value) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            )?;
            for (name, value) in &batch.meta {
                meta.execute(params![name, value])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn meta(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    fn reuse_of(&mut self, key: Key) -> Result<Vec<StoredReuse>> {
        let mut st = self.conn.prepare_cached(
            "SELECT source, derived, relation, confidence, source_coverage, derived_coverage,
                    passages, evidence
             FROM reuse WHERE source = ?1 OR derived = ?1 ORDER BY source, derived",
        )?;
        let rows = st
            .query_map([key], Self::reuse_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn stats(&mut self) -> Result<StoreStats> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        let articles = count("SELECT count(*) FROM articles")?;
        let stories = count("SELECT count(*) FROM stories WHERE size > 0")?;
        let reuse = count("SELECT count(*) FROM reuse")?;
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        Ok(StoreStats {
            articles,
            stories,
            reuse,
            bytes: size(&self.path) + size(Path::new(&wal)),
        })
    }
}
