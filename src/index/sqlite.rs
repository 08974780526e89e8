//! The embedded store: one SQLite file (through `rusqlite`, SQLite compiled in), no server.
//!
//! Write-ahead log with `synchronous=FULL`: a batch reported done survives a crash or a power
//! loss; a batch cut short by one is rolled back when the file is next opened. Opening reads
//! nothing but the schema: there is nothing to rebuild in memory.
//!
//! Search ([`Store::search`]) reads a word index, an FTS5 table without content (`words`,
//! rowid = article key) that [`Store::prepare_search`] fills with the articles stored since
//! it last ran (those above a high-water mark, the counter `words`), never the write path.
//! A replaced article gets a new key, so its old words are left behind and filtered out by
//! the join with `articles`. The mark assumes articles are committed in key order, as one
//! `index add` commits them: with two writers at once on one file, a batch committed after a
//! later-keyed one is not indexed.

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
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
    title, text, content='', tokenize='unicode61 remove_diacritics 2'
);
";

/// The counter whose `next` is the first key that [`Store::prepare_search`] has not indexed.
const WORDS_MARK: &str = "words";

/// Articles indexed for search per transaction.
const WORDS_BATCH: i64 = 2_000;

/// SQLite's `application_id` of a newstrace store ("ntrc"): a file is recognised by it.
const APPLICATION_ID: i32 = 0x6e74_7263;

/// Refuses what is not a store this build can read: another program's database, or a store
/// of a newer layout. A store written before the header existed (no id, an `articles` table)
/// is layout 1 and is brought up to date by the schema's `IF NOT EXISTS`.
fn check_layout(conn: &Connection, path: &Path) -> Result<()> {
    let shown = path.display();
    let read = || -> rusqlite::Result<(i32, i64, i64, bool)> {
        let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        let articles = conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        Ok((id, version, tables, articles))
    };
    let (id, version, tables, articles) =
        read().map_err(|e| anyhow::anyhow!("{shown} is not a newstrace store ({e})"))?;
    if id != APPLICATION_ID && (id != 0 || (tables > 0 && !articles)) {
        anyhow::bail!("{shown} is a SQLite database of another program, not a newstrace store");
    }
    if version > LAYOUT_VERSION {
        anyhow::bail!(
            "{shown} was written by a newer newstrace (store layout {version}; this one reads up to {LAYOUT_VERSION}): upgrade newstrace to open it"
        );
    }
    Ok(())
}

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
        conn.busy_timeout(std::time::Duration::from_secs(60))
            .with_context(|| format!("cannot open store {}", path.display()))?;
        check_layout(&conn, path)?;
        let setup = || -> rusqlite::Result<()> {
            // Larger pages: fewer B-tree levels and page writes for the postings (a no-op on
            // an existing file).
            conn.pragma_update(None, "page_size", 16384)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "cache_size", -((cache_bytes / 1024).max(2048) as i64))?;
            conn.pragma_update(None, "temp_store", "MEMORY")?;
            conn.execute_batch(SCHEMA)?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            conn.pragma_update(None, "user_version", LAYOUT_VERSION)
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

    fn story_row(row: &rusqlite::Row) -> rusqlite::Result<StoryRow> {
        Ok(StoryRow {
            id: row.get(0)?,
            title: row.get(1)?,
            size: row.get(2)?,
        })
    }

    /// The first key not yet in the word index.
    fn words_mark(conn: &Connection) -> rusqlite::Result<Key> {
        Ok(conn
            .prepare_cached("SELECT next FROM counters WHERE name = ?1")?
            .query_row([WORDS_MARK], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
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

impl SqliteStore {
    fn write_batch(&mut self, batch: &Batch) -> Result<()> {
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
        self.write_batch(batch).map_err(|e| {
            // SQLITE_FULL, or a write refused (ENOSPC, EFBIG): say what it likely means.
            let full = matches!(
                e.downcast_ref::<rusqlite::Error>()
                    .and_then(|e| e.sqlite_error_code()),
                Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)
            );
            let hint = if full { " (is the disk full?)" } else { "" };
            anyhow::anyhow!(
                "store {}: cannot write a batch of {} articles{hint}: {e}; the store keeps every batch written before",
                self.path.display(),
                batch.articles.len()
            )
        })
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

    fn stories(&mut self, offset: usize, limit: usize) -> Result<Vec<StoryRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, title, size FROM stories WHERE size > 0
             ORDER BY size DESC, id DESC LIMIT ?1 OFFSET ?2",
        )?;
        let rows = st
            .query_map(
                params![sql_count(limit), sql_count(offset)],
                Self::story_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn story(&mut self, id: i64) -> Result<Option<StoryRow>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, title, size FROM stories WHERE id = ?1")?
            .query_row([id], Self::story_row)
            .optional()?)
    }

    fn story_articles(&mut self, story: i64, limit: usize) -> Result<Vec<StoredArticle>> {
        let sql = format!(
            "SELECT key, story, {ARTICLE_COLUMNS} FROM articles WHERE story = ?1
             ORDER BY key LIMIT ?2"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params![story, sql_count(limit)], Self::stored)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn reuse_among(&mut self, keys: &[Key]) -> Result<Vec<StoredReuse>> {
        // One primary-key range per source (as `articles` reads a key at a time), the
        // derived side checked here.
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut st = self.conn.prepare_cached(
            "SELECT source, derived, relation, confidence, source_coverage, derived_coverage,
                    passages, evidence
             FROM reuse WHERE source = ?1 ORDER BY derived",
        )?;
        let mut out = Vec::new();
        for &k in &keys {
            for r in st.query_map([k], Self::reuse_row)? {
                let r = r?;
                if keys.binary_search(&r.derived).is_ok() {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    fn prepare_search(&mut self) -> Result<u64> {
        let mut indexed = 0u64;
        loop {
            // Nothing new (the usual case before a search): no write lock taken.
            let mark = Self::words_mark(&self.conn)?;
            let new: bool = self
                .conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM articles WHERE key >= ?1)")?
                .query_row([mark], |r| r.get(0))?;
            if !new {
                return Ok(indexed);
            }
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // Read again under the lock: another process may have indexed them meanwhile.
            let mark = Self::words_mark(&tx)?;
            let last: Option<Key> = tx
                .prepare_cached(
                    "SELECT max(key) FROM
                     (SELECT key FROM articles WHERE key >= ?1 ORDER BY key LIMIT ?2)",
                )?
                .query_row(params![mark, WORDS_BATCH], |r| r.get(0))?;
            let Some(last) = last else {
                return Ok(indexed);
            };
            let n = tx
                .prepare_cached(
                    "INSERT INTO words (rowid, title, text)
                     SELECT key, coalesce(title, ''), text FROM articles
                     WHERE key >= ?1 AND key <= ?2 ORDER BY key",
                )?
                .execute(params![mark, last])?;
            tx.prepare_cached(
                "INSERT INTO counters (name, next) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET next = excluded.next",
            )?
            .execute(params![WORDS_MARK, last + 1])?;
            tx.commit()?;
            indexed += n as u64;
        }
    }

    fn search(
        &mut self,
        words: &str,
        outlet: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<StoredArticle>> {
        let outlet = outlet.filter(|o| !o.is_empty());
        let (limit, offset) = (sql_count(limit), sql_count(offset));
        let words = search_words(words);
        if words.is_empty() {
            let sql = format!(
                "SELECT key, story, {ARTICLE_COLUMNS} FROM articles
                 WHERE ?1 IS NULL OR outlet = ?1 COLLATE NOCASE
                 ORDER BY key DESC LIMIT ?2 OFFSET ?3"
            );
            let rows = self
                .conn
                .prepare_cached(&sql)?
                .query_map(params![outlet, limit, offset], Self::stored)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return Ok(rows);
        }
        // Each word a quoted string: FTS5 reads nothing in it as syntax (a word holds no `"`,
        // but it is escaped all the same), and words side by side must all match.
        let query = words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ");
        let columns = ARTICLE_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT a.key, a.story, {columns}
             FROM words JOIN articles a ON a.key = words.rowid
             WHERE words MATCH ?1 AND (?2 IS NULL OR a.outlet = ?2 COLLATE NOCASE)
             ORDER BY words.rank, a.key DESC LIMIT ?3 OFFSET ?4"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params![query, outlet, limit, offset], Self::stored)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, CharSpan};
    use crate::index::anchors::anchors;

    fn open(dir: &tempfile::TempDir) -> SqliteStore {
        SqliteStore::open(&dir.path().join("store.db"), 1 << 20).expect("opens")
    }

    #[test]
    fn the_header_names_the_layout_and_newer_or_foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        drop(open(&dir));
        let conn = Connection::open(&path).unwrap();
        let id: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!((id, version), (APPLICATION_ID, LAYOUT_VERSION));
        // A newer newstrace's store: refused, saying why.
        conn.pragma_update(None, "user_version", LAYOUT_VERSION + 1)
            .unwrap();
        drop(conn);
        let e = SqliteStore::open(&path, 1 << 20).err().expect("refused");
        assert!(format!("{e:#}").contains("newer newstrace"), "{e:#}");
        // Another program's database: refused, and left as it was.
        let other = dir.path().join("other.db");
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE notes (x TEXT)").unwrap();
        drop(c);
        let e = SqliteStore::open(&other, 1 << 20).err().expect("refused");
        assert!(format!("{e:#}").contains("another program"), "{e:#}");
        let c = Connection::open(&other).unwrap();
        let tables: i64 = c
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 1, "nothing was created in it");
        // Not SQLite at all.
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, vec![0x42u8; 4096]).unwrap();
        let e = SqliteStore::open(&junk, 1 << 20).err().expect("refused");
        assert!(format!("{e:#}").contains("not a newstrace store"), "{e:#}");
    }

    #[test]
    fn a_store_of_layout_1_opens_and_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let mut store = open(&dir);
        add(
            &mut store,
            vec![(
                article("a", "x.com", "Old", "Storm floods the old harbour town."),
                None,
            )],
            &[],
        );
        drop(store);
        // As the first version wrote it: no header, no word index.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE words; PRAGMA application_id = 0; PRAGMA user_version = 0;")
            .unwrap();
        drop(conn);
        let mut store = SqliteStore::open(&path, 1 << 20).expect("an old store opens");
        assert_eq!(store.prepare_search().unwrap(), 1);
        assert_eq!(store.search("harbour", None, 0, 10).unwrap().len(), 1);
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, LAYOUT_VERSION);
    }

    fn article(id: &str, outlet: &str, title: &str, text: &str) -> Article {
        let mut a = Article::from_text(id, text.to_string());
        a.title = Some(title.to_string());
        a.outlet = Some(outlet.to_string());
        a
    }

    /// Commits `articles` (each with its story: an existing number, or a new one where
    /// `None`) and `reuse` between them (indices into `articles`) as one batch, as `index add`
    /// would; returns their keys.
    fn add(
        store: &mut SqliteStore,
        articles: Vec<(Article, Option<i64>)>,
        reuse: &[(usize, usize)],
    ) -> Vec<Key> {
        let first = store.allocate("article", articles.len() as u64).unwrap();
        let mut batch = Batch::default();
        for (i, (article, story)) in articles.into_iter().enumerate() {
            let story = story.unwrap_or_else(|| store.allocate("story", 1).unwrap());
            batch.stories.push(StoryDelta {
                id: story,
                title: article.title.clone().unwrap_or_default(),
                size: 1,
            });
            batch.articles.push(NewArticle {
                key: first + i as i64,
                digest: digest(&article),
                story,
                anchors: anchors(&article.text),
                article,
            });
        }
        let keys: Vec<Key> = batch.articles.iter().map(|a| a.key).collect();
        batch.reuse = reuse
            .iter()
            .map(|&(s, d)| StoredReuse {
                source: keys[s],
                derived: keys[d],
                relation: "copy".into(),
                confidence: 0.9,
                source_coverage: 0.5,
                derived_coverage: 0.8,
                passages: vec![(
                    CharSpan::new(0, 10),
                    CharSpan::new(2, 12),
                    "identical".into(),
                )],
                evidence: vec!["shared sentences".into()],
            })
            .collect();
        store.commit(&batch).unwrap();
        keys
    }

    /// Six articles of four outlets (two spellings of one), one of them in French.
    fn news() -> Vec<(Article, Option<i64>)> {
        [
            (
                "storm-1",
                "Harbour Times",
                "Storm closes the harbour",
                "The harbour authority said on Monday that ships would wait outside the port \
                 until the storm had passed. The harbour will stay closed until Wednesday.",
            ),
            (
                "ferry-2",
                "Island Post",
                "Ferry will not sail",
                "The ferry to the island will not sail before Wednesday, the operator said. \
                 Passengers were told to wait for news on the company's website.",
            ),
            (
                "cafe-3",
                "Le Café Quotidien",
                "Un café à Zürich",
                "Le café de la gare à Zürich rouvre après la tempête. Les élèves du lycée \
                 voisin y étaient nombreux dès le matin.",
            ),
            (
                "quake-4",
                "harbour times",
                "Earthquake shakes the coast",
                "An earthquake of magnitude 6.1 shook the coast on Tuesday. No damage was \
                 reported at the harbour, officials said.",
            ),
            (
                "budget-5",
                "Capital Ledger",
                "Budget vote delayed",
                "The parliament delayed its budget vote by a week after the opposition \
                 walked out of the chamber.",
            ),
            (
                "cup-6",
                "Capital Ledger",
                "Cup final tonight",
                "The cup final kicks off tonight in the capital's new stadium, which holds \
                 sixty thousand people.",
            ),
        ]
        .into_iter()
        .map(|(id, outlet, title, text)| (article(id, outlet, title, text), None))
        .collect()
    }

    fn ids(found: &[StoredArticle]) -> Vec<&str> {
        found.iter().map(|a| a.article.id.0.as_str()).collect()
    }

    #[test]
    fn bundled_sqlite_has_fts5() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir);
        let used: bool = store
            .conn
            .query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(used, "rusqlite's bundled SQLite is compiled with FTS5");
        let table: String = store
            .conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'words'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(table.contains("fts5"), "{table}");
    }

    #[test]
    fn stories_are_listed_largest_then_newest_and_paged() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        assert!(store.stories(0, 10).unwrap().is_empty());
        let a = |id: &str| {
            article(
                id,
                "Wire",
                &format!("Title {id}"),
                &format!("Text of {id}."),
            )
        };
        // Stories 1 (two articles), 2 (three), 3 (two), 4 (one, then emptied).
        add(&mut store, vec![(a("a"), None), (a("b"), None)], &[]);
        add(
            &mut store,
            vec![
                (a("c"), Some(1)),
                (a("d"), Some(2)),
                (a("e"), Some(2)),
                (a("f"), None),
            ],
            &[],
        );
        add(&mut store, vec![(a("g"), Some(3)), (a("h"), None)], &[]);
        // "h" moves to story 3: story 4 is left empty.
        add(&mut store, vec![(a("h"), Some(3))], &[]);
        let row = |id: i64, size: i64, title: &str| StoryRow {
            id,
            title: format!("Title {title}"),
            size,
        };
        let all = vec![row(3, 3, "f"), row(2, 3, "b"), row(1, 2, "a")];
        assert_eq!(store.stories(0, 10).unwrap(), all);
        assert_eq!(store.stories(1, 1).unwrap(), all[1..2].to_vec());
        assert_eq!(store.stories(2, 5).unwrap(), all[2..].to_vec());
        assert!(store.stories(3, 5).unwrap().is_empty());
        assert!(store.stories(0, 0).unwrap().is_empty());
        assert_eq!(store.story(2).unwrap(), Some(row(2, 3, "b")));
        assert_eq!(store.story(4).unwrap(), Some(row(4, 0, "h")));
        assert_eq!(store.story(99).unwrap(), None);
    }

    #[test]
    fn story_articles_come_in_key_order_at_most_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let a = |id: &str| article(id, "Wire", id, &format!("Text of {id}."));
        let first = add(&mut store, vec![(a("x1"), None), (a("y1"), None)], &[]);
        let second = add(
            &mut store,
            vec![(a("x2"), Some(1)), (a("y2"), Some(2)), (a("x3"), Some(1))],
            &[],
        );
        let x = store.story_articles(1, 10).unwrap();
        assert_eq!(ids(&x), ["x1", "x2", "x3"]);
        let keys: Vec<Key> = x.iter().map(|a| a.key).collect();
        assert_eq!(keys, [first[0], second[0], second[2]]);
        assert!(x.iter().all(|a| a.story == 1));
        assert_eq!(ids(&store.story_articles(1, 2).unwrap()), ["x1", "x2"]);
        assert_eq!(ids(&store.story_articles(2, 10).unwrap()), ["y1", "y2"]);
        assert!(store.story_articles(1, 0).unwrap().is_empty());
        assert!(store.story_articles(42, 10).unwrap().is_empty());
    }

    #[test]
    fn reuse_among_keeps_the_entries_inside_the_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let a = |id: &str| (article(id, "Wire", id, &format!("Text of {id}.")), None);
        // 0 → 1, 0 → 2, 1 → 3, 3 → 2.
        let k = add(
            &mut store,
            vec![a("p"), a("q"), a("r"), a("s")],
            &[(0, 1), (0, 2), (1, 3), (3, 2)],
        );
        let pairs = |store: &mut SqliteStore, keys: &[Key]| -> Vec<(Key, Key)> {
            let found = store.reuse_among(keys).unwrap();
            found.iter().map(|r| (r.source, r.derived)).collect()
        };
        assert_eq!(
            pairs(&mut store, &[k[3], k[2], k[1], k[0]]),
            [(k[0], k[1]), (k[0], k[2]), (k[1], k[3]), (k[3], k[2])]
        );
        assert_eq!(pairs(&mut store, &[k[0], k[2], k[0]]), [(k[0], k[2])]);
        assert_eq!(pairs(&mut store, &[k[1], k[3], 999]), [(k[1], k[3])]);
        assert!(pairs(&mut store, &[k[1], k[2]]).is_empty());
        assert!(pairs(&mut store, &[]).is_empty());
        let whole = store.reuse_among(&[k[0], k[1]]).unwrap();
        assert_eq!(whole, store.reuse_of(k[1]).unwrap()[..1]);
        assert_eq!(whole[0].passages.len(), 1);
        // Thousands of keys, most not stored.
        let mut many: Vec<Key> = (10_000..13_000).collect();
        many.extend([k[0], k[2]]);
        assert_eq!(pairs(&mut store, &many), [(k[0], k[2])]);
    }

    #[test]
    fn search_finds_articles_with_all_the_words_best_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        add(&mut store, news(), &[]);
        // Not indexed yet: nothing found, no error.
        assert!(store.search("harbour", None, 0, 10).unwrap().is_empty());
        assert_eq!(store.prepare_search().unwrap(), 6);
        let find = |store: &mut SqliteStore, q: &str| -> Vec<String> {
            let found = store.search(q, None, 0, 10).unwrap();
            ids(&found).into_iter().map(String::from).collect()
        };
        // In the title and thrice in the text beats once in the text.
        assert_eq!(find(&mut store, "harbour"), ["storm-1", "quake-4"]);
        // All the words, in any case, in title or text.
        assert_eq!(find(&mut store, "HARBOUR storm"), ["storm-1"]);
        assert_eq!(find(&mut store, "earthquake Harbour"), ["quake-4"]);
        assert!(find(&mut store, "harbour ferry").is_empty());
        let mut wednesday = find(&mut store, "Wednesday");
        wednesday.sort();
        assert_eq!(wednesday, ["ferry-2", "storm-1"]);
        // Diacritics do not count, either way.
        assert_eq!(find(&mut store, "zurich cafe"), ["cafe-3"]);
        assert_eq!(find(&mut store, "ZÜRICH"), ["cafe-3"]);
        assert_eq!(find(&mut store, "eleves tempete"), ["cafe-3"]);
        assert_eq!(find(&mut store, "Zu\u{308}rich"), ["cafe-3"]);
        // Paging.
        assert_eq!(
            ids(&store.search("harbour", None, 1, 10).unwrap()),
            ["quake-4"]
        );
        assert_eq!(
            ids(&store.search("harbour", None, 0, 1).unwrap()),
            ["storm-1"]
        );
        assert!(store.search("harbour", None, 2, 10).unwrap().is_empty());
        // A prefix is not a word.
        assert!(find(&mut store, "harb").is_empty());
        // The whole article comes back.
        let found = store.search("budget", None, 0, 10).unwrap();
        assert_eq!(found[0].article.outlet.as_deref(), Some("Capital Ledger"));
        assert!(found[0].article.text.starts_with("The parliament"));
    }

    #[test]
    fn search_by_outlet_and_without_words() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        add(&mut store, news(), &[]);
        store.prepare_search().unwrap();
        let find = |store: &mut SqliteStore, q: &str, outlet: Option<&str>| -> Vec<String> {
            let found = store.search(q, outlet, 0, 10).unwrap();
            ids(&found).into_iter().map(String::from).collect()
        };
        // The outlet in any case, but whole.
        for outlet in ["Harbour Times", "HARBOUR TIMES", "harbour times"] {
            assert_eq!(
                find(&mut store, "harbour", Some(outlet)),
                ["storm-1", "quake-4"]
            );
        }
        assert!(find(&mut store, "harbour", Some("Harbour")).is_empty());
        assert!(find(&mut store, "harbour", Some("Island Post")).is_empty());
        assert_eq!(
            find(&mut store, "cafe", Some("le café quotidien")),
            ["cafe-3"]
        );
        // An empty outlet is no filter.
        assert_eq!(find(&mut store, "harbour", Some("")).len(), 2);
        // No words: newest first.
        assert_eq!(
            find(&mut store, "", None),
            ["cup-6", "budget-5", "quake-4", "cafe-3", "ferry-2", "storm-1"]
        );
        assert_eq!(
            ids(&store.search("  ", None, 1, 2).unwrap()),
            ["budget-5", "quake-4"]
        );
        assert_eq!(
            find(&mut store, "", Some("capital ledger")),
            ["cup-6", "budget-5"]
        );
        assert_eq!(
            find(&mut store, "", Some("Harbour times")),
            ["quake-4", "storm-1"]
        );
        assert!(find(&mut store, "", Some("Nobody")).is_empty());
    }

    #[test]
    fn hostile_queries_are_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        add(&mut store, news(), &[]);
        store.prepare_search().unwrap();
        let long = "harbour ".repeat(5_000);
        let hostile = [
            "\"",
            "\"harbour",
            "NEAR(",
            "NEAR(harbour storm, 2)",
            "*",
            "harb*",
            "AND",
            "harbour AND",
            "OR storm",
            "NOT",
            "-x",
            "-storm harbour",
            "col:",
            "title:harbour",
            "{title text}: storm",
            "^storm",
            "'; DROP TABLE articles; --",
            "\"; DROP TABLE words; --",
            "()",
            "(((",
            "\\",
            "\0",
            "%_",
            "🙂 ✓",
            long.as_str(),
        ];
        for q in hostile {
            for outlet in [None, Some("'; DROP TABLE articles; --"), Some("\"")] {
                let found = store.search(q, outlet, 0, 10);
                assert!(found.is_ok(), "{q:?}: {found:?}");
            }
        }
        let find = |store: &mut SqliteStore, q: &str| -> Vec<String> {
            let found = store.search(q, None, 0, 10).unwrap();
            ids(&found).into_iter().map(String::from).collect()
        };
        // Operators are words, quotes and stars nothing.
        assert_eq!(find(&mut store, "\"harbour\" \"storm\""), ["storm-1"]);
        assert_eq!(find(&mut store, "storm*"), ["storm-1"]);
        assert_eq!(find(&mut store, "-storm harbour"), ["storm-1"]);
        assert_eq!(find(&mut store, "title:storm"), Vec::<String>::new());
        assert_eq!(find(&mut store, "harbour OR ferry"), Vec::<String>::new());
        assert_eq!(
            find(&mut store, "NEAR(harbour storm)"),
            Vec::<String>::new()
        );
        // No words left: as an empty query.
        assert_eq!(find(&mut store, "\"*() -:").len(), 6);
        assert_eq!(find(&mut store, &long), ["storm-1", "quake-4"]);
        assert_eq!(store.stats().unwrap().articles, 6);
    }

    #[test]
    fn prepare_search_indexes_only_what_is_new() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        assert_eq!(store.prepare_search().unwrap(), 0);
        add(&mut store, news(), &[]);
        assert_eq!(store.prepare_search().unwrap(), 6);
        assert_eq!(store.prepare_search().unwrap(), 0);
        let more = vec![
            (
                article(
                    "rail-7",
                    "Island Post",
                    "Rail strike",
                    "Train drivers strike on Friday.",
                ),
                None,
            ),
            (
                article(
                    "rail-8",
                    "Capital Ledger",
                    "Strike ends",
                    "The rail strike ended.",
                ),
                None,
            ),
        ];
        add(&mut store, more, &[]);
        assert_eq!(store.prepare_search().unwrap(), 2);
        assert_eq!(store.prepare_search().unwrap(), 0);
        let strike = store.search("strike", None, 0, 10).unwrap();
        assert_eq!(strike.len(), 2);
        // Reopened: the mark is kept.
        drop(store);
        let mut store = open(&dir);
        assert_eq!(store.prepare_search().unwrap(), 0);

        // A replaced article (a new key) is indexed again and found once, as it is now.
        let old = store.article_by_id("ferry-2").unwrap().unwrap();
        let changed = article(
            "ferry-2",
            "Island Post",
            "Ferry sails again",
            "The ferry to the island sails again on Thursday, the operator said.",
        );
        add(&mut store, vec![(changed, Some(old.story))], &[]);
        assert_eq!(store.prepare_search().unwrap(), 1);
        let ferry = store.search("ferry island", None, 0, 10).unwrap();
        assert_eq!(ids(&ferry), ["ferry-2"]);
        assert!(ferry[0].key > old.key);
        assert!(ferry[0].article.text.contains("Thursday"));
        // Words only the old version had are gone with it.
        assert!(store.search("passengers", None, 0, 10).unwrap().is_empty());
        assert_eq!(store.search("", None, 0, 100).unwrap().len(), 8);
    }

    #[test]
    fn a_store_of_the_previous_version_gets_its_word_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        {
            let mut store = open(&dir);
            add(&mut store, news(), &[]);
        }
        // As the previous version left it: no word index, no mark.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE words; DELETE FROM counters WHERE name = 'words';")
            .unwrap();
        drop(conn);
        let mut store = open(&dir);
        assert_eq!(store.stats().unwrap().articles, 6);
        assert_eq!(store.prepare_search().unwrap(), 6);
        assert_eq!(
            ids(&store.search("budget vote", None, 0, 10).unwrap()),
            ["budget-5"]
        );
    }
}
