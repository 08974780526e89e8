//! The shared store: PostgreSQL, so that many `index add` workers on many machines fill one
//! database. Same tables and meaning as [`super::sqlite`].
//!
//! Concurrency rests on the server: keys come from one counter row updated in place (two
//! workers never get the same range), a batch is one transaction, and an article's id is
//! UNIQUE. Two workers storing the same id at once cannot both keep it: the second one's
//! insert waits for the first's transaction, skips the id (`ON CONFLICT DO NOTHING`), and
//! replaces the row the first stored, inside the same transaction. A transaction that still
//! loses a race (a deadlock, a unique violation) is rolled back and run again, a few times.
//! Statements are prepared once per connection, and each store call is one round trip where
//! it can be (arrays and `unnest` instead of a statement per row; postings by binary `COPY`
//! into a staging table, then one `INSERT … SELECT` in anchor order).
//!
//! Search reads a GIN index on the expression `WORDS` (PostgreSQL's `simple` text search
//! configuration over title and text), which [`Store::prepare_search`] builds once without
//! blocking writers (`CREATE INDEX CONCURRENTLY`); the server keeps it up to date from then
//! on, at some cost to every commit. Matches are ranked by `ts_rank`, which parses each
//! matching article's text again, so a search ranks only the newest `RANK_AMONG` matches
//! (a word that every article has costs that many texts, not the store's) and pages no
//! further than them.
//! The `simple` configuration folds case (every letter under the database's locale; under
//! the C locale, ASCII letters only) but keeps diacritics: "Zürich" does not find "Zurich",
//! as it does in SQLite (folding them needs the `unaccent` extension, which not every server
//! has, in the index's expression).
//!
//! The connection is plain TCP or a Unix socket (no TLS: reach a remote server through a
//! tunnel or a private network).

use super::store::*;
use anyhow::{Context, Result};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Row, Statement, Transaction};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The schema: [`super::sqlite`]'s tables in PostgreSQL's types. Anchors are `u64` stored as
/// the `i64` of the same bits.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS articles (
    key BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    digest BIGINT NOT NULL,
    story BIGINT NOT NULL,
    anchors BYTEA NOT NULL,
    source_path TEXT, url TEXT, title TEXT, outlet TEXT, published TEXT, published_from TEXT,
    byline TEXT, canonical_url TEXT, language TEXT, fetched TEXT, credits TEXT,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE TABLE IF NOT EXISTS postings (
    anchor BIGINT NOT NULL,
    key BIGINT NOT NULL,
    PRIMARY KEY (anchor, key)
);
CREATE TABLE IF NOT EXISTS reuse (
    source BIGINT NOT NULL,
    derived BIGINT NOT NULL,
    relation TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    source_coverage DOUBLE PRECISION NOT NULL,
    derived_coverage DOUBLE PRECISION NOT NULL,
    passages TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (source, derived)
);
CREATE INDEX IF NOT EXISTS reuse_derived ON reuse(derived);
CREATE TABLE IF NOT EXISTS stories (
    id BIGINT PRIMARY KEY,
    title TEXT NOT NULL,
    size BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, next BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BYTEA NOT NULL);
";

/// The advisory lock held while the schema is created (any number, the same for every
/// worker: "newstrace" in ASCII).
const SCHEMA_LOCK: i64 = 0x6e65_7773_7472_6163;

/// This connection's staging table for postings: `COPY` fills it, one `INSERT … SELECT`
/// moves its rows into `postings`, and the commit empties it.
const STAGING: &str = "CREATE TEMP TABLE IF NOT EXISTS staged_postings (
    anchor BIGINT NOT NULL, key BIGINT NOT NULL
) ON COMMIT DELETE ROWS";

/// What search matches: an article's title and text as PostgreSQL's `simple` configuration
/// splits them into words. The word index is built on exactly this expression, and queries
/// must name it as written here for the server to use the index.
const WORDS: &str = "to_tsvector('simple', coalesce(title, '') || ' ' || text)";

/// The word index's name.
const WORDS_INDEX: &str = "articles_words";

/// The advisory lock held while the word index is built ("newstrace" + 1).
const WORDS_LOCK: i64 = SCHEMA_LOCK + 1;

/// Most matches of a search that are ranked (the newest): parsing a news article's text
/// takes the server some 0.1 ms, so ranking them takes a fraction of a second.
const RANK_AMONG: i64 = 2_000;

/// How often a batch is tried when it loses a race (a unique id taken, a deadlock).
const ATTEMPTS: u32 = 8;

/// The statements of one connection, prepared when it opens.
struct Statements {
    allocate: Statement,
    existing: Statement,
    holders: Statement,
    anchor_counts: Statement,
    articles: Statement,
    article_by_id: Statement,
    latest: Statement,
    meta: Statement,
    reuse_of: Statement,
    stories: Statement,
    story: Statement,
    story_articles: Statement,
    reuse_among: Statement,
    search: Statement,
    search_latest: Statement,
    // Used by `commit`:
    old_articles: Statement,
    remove_postings: Statement,
    remove_reuse: Statement,
    shrink_stories: Statement,
    remove_articles: Statement,
    insert_articles: Statement,
    insert_postings: Statement,
    upsert_reuse: Statement,
    upsert_stories: Statement,
    upsert_meta: Statement,
}

impl Statements {
    fn prepare(c: &mut Client) -> Result<Self, postgres::Error> {
        let cols = ARTICLE_COLUMNS;
        // Placeholders for the 13 text columns of an article, from $5 on.
        let text_arrays: Vec<String> = (5..=17).map(|i| format!("${i}::text[]")).collect();
        Ok(Statements {
            allocate: c.prepare(
                "INSERT INTO counters AS c (name, next) VALUES ($1, 1 + $2::bigint)
                 ON CONFLICT (name) DO UPDATE SET next = c.next + $2::bigint
                 RETURNING next - $2::bigint",
            )?,
            existing: c.prepare(
                "SELECT u.i, a.key, a.digest
                 FROM unnest($1::text[]) WITH ORDINALITY AS u(id, i)
                 JOIN articles a ON a.id = u.id",
            )?,
            // One index range scan per anchor, cut at `limit` rows by the server.
            holders: c.prepare(
                "SELECT a.i, p.key
                 FROM unnest($1::bigint[]) WITH ORDINALITY AS a(anchor, i)
                 CROSS JOIN LATERAL (
                     SELECT key FROM postings
                     WHERE postings.anchor = a.anchor AND postings.key < $2
                     ORDER BY key LIMIT $3
                 ) p",
            )?,
            anchor_counts: c
                .prepare("SELECT key, length(anchors) / 8 FROM articles WHERE key = ANY($1)")?,
            articles: c.prepare(&format!(
                "SELECT key, story, {cols} FROM articles WHERE key = ANY($1) ORDER BY key"
            ))?,
            article_by_id: c.prepare(&format!(
                "SELECT key, story, {cols} FROM articles WHERE id = $1"
            ))?,
            latest: c.prepare(&format!(
                "SELECT key, story, {cols} FROM articles ORDER BY key DESC LIMIT $1"
            ))?,
            meta: c.prepare("SELECT value FROM meta WHERE name = $1")?,
            reuse_of: c.prepare(
                "SELECT source, derived, relation, confidence, source_coverage,
                        derived_coverage, passages, evidence
                 FROM reuse WHERE source = $1 OR derived = $1 ORDER BY source, derived",
            )?,
            stories: c.prepare(
                "SELECT id, title, size FROM stories WHERE size > 0
                 ORDER BY size DESC, id DESC LIMIT $1 OFFSET $2",
            )?,
            story: c.prepare("SELECT id, title, size FROM stories WHERE id = $1")?,
            story_articles: c.prepare(&format!(
                "SELECT key, story, {cols} FROM articles WHERE story = $1 ORDER BY key LIMIT $2"
            ))?,
            // An index scan of the sources, the derived side checked against a hash.
            reuse_among: c.prepare(
                "SELECT source, derived, relation, confidence, source_coverage,
                        derived_coverage, passages, evidence
                 FROM reuse
                 WHERE source = ANY($1::bigint[]) AND derived IN (SELECT unnest($1::bigint[]))
                 ORDER BY source, derived",
            )?,
            search: c.prepare(&format!(
                "SELECT key, story, {cols} FROM (
                     SELECT key, story, {cols} FROM articles
                     WHERE {WORDS} @@ plainto_tsquery('simple', $1::text)
                       AND ($2::text IS NULL OR lower(outlet) = lower($2::text))
                     ORDER BY key DESC LIMIT {RANK_AMONG}
                 ) m
                 ORDER BY ts_rank({WORDS}, plainto_tsquery('simple', $1::text)) DESC, key DESC
                 LIMIT $3 OFFSET $4"
            ))?,
            search_latest: c.prepare(&format!(
                "SELECT key, story, {cols} FROM articles
                 WHERE $1::text IS NULL OR lower(outlet) = lower($1::text)
                 ORDER BY key DESC LIMIT $2 OFFSET $3"
            ))?,
            old_articles: c.prepare(
                "SELECT key, story, anchors FROM articles WHERE id = ANY($1) ORDER BY key
                 FOR UPDATE",
            )?,
            remove_postings: c
                .prepare("DELETE FROM postings WHERE key = $1 AND anchor = ANY($2::bigint[])")?,
            remove_reuse: c
                .prepare("DELETE FROM reuse WHERE source = ANY($1) OR derived = ANY($1)")?,
            shrink_stories: c.prepare(
                "UPDATE stories SET size = stories.size - d.n
                 FROM (SELECT s, count(*) AS n FROM unnest($1::bigint[]) AS s GROUP BY s) d
                 WHERE stories.id = d.s",
            )?,
            remove_articles: c.prepare("DELETE FROM articles WHERE key = ANY($1)")?,
            insert_articles: c.prepare(&format!(
                "INSERT INTO articles (key, digest, story, anchors, {cols})
                 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bytea[], {})
                 ON CONFLICT (id) DO NOTHING
                 RETURNING id",
                text_arrays.join(", ")
            ))?,
            // In anchor order: neighbouring index pages, written once each.
            insert_postings: c.prepare(
                "INSERT INTO postings (anchor, key)
                 SELECT anchor, key FROM staged_postings ORDER BY anchor, key
                 ON CONFLICT DO NOTHING",
            )?,
            upsert_reuse: c.prepare(
                "INSERT INTO reuse (source, derived, relation, confidence, source_coverage,
                                    derived_coverage, passages, evidence)
                 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[],
                                      $4::float8[], $5::float8[], $6::float8[],
                                      $7::text[], $8::text[])
                 ON CONFLICT (source, derived) DO UPDATE SET
                     relation = excluded.relation, confidence = excluded.confidence,
                     source_coverage = excluded.source_coverage,
                     derived_coverage = excluded.derived_coverage,
                     passages = excluded.passages, evidence = excluded.evidence",
            )?,
            upsert_stories: c.prepare(
                "INSERT INTO stories (id, title, size)
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
                 ON CONFLICT (id) DO UPDATE SET size = stories.size + excluded.size",
            )?,
            upsert_meta: c.prepare(
                "INSERT INTO meta (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )?,
        })
    }
}

/// A store in a PostgreSQL database.
pub struct PgStore {
    client: Client,
    st: Statements,
    /// The database as errors name it: the URL without its password.
    name: String,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`) and creates the
    /// schema if absent.
    pub fn open(url: &str) -> Result<Self> {
        let name = describe(url);
        let mut client = Client::connect(url, NoTls)
            .with_context(|| format!("cannot connect to PostgreSQL store {name}"))?;
        let setup = |c: &mut Client| -> Result<Result<Statements, i64>, postgres::Error> {
            // The lock makes workers opening a new database at once create it one by one
            // (concurrent `CREATE TABLE IF NOT EXISTS` can fail on the catalog's keys).
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
            tx.batch_execute(SCHEMA)?;
            let layout: Option<Vec<u8>> = tx
                .query_opt("SELECT value FROM meta WHERE name = 'layout'", &[])?
                .map(|r| r.get(0));
            let layout = layout
                .and_then(|b| std::str::from_utf8(&b).ok()?.parse::<i64>().ok())
                .unwrap_or(1);
            if layout > LAYOUT_VERSION {
                return Ok(Err(layout));
            }
            tx.execute(
                "INSERT INTO meta (name, value) VALUES ('layout', $1)
                 ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                &[&LAYOUT_VERSION.to_string().into_bytes()],
            )?;
            tx.commit()?;
            c.batch_execute(STAGING)?;
            Statements::prepare(c).map(Ok)
        };
        let st = match setup(&mut client)
            .with_context(|| format!("PostgreSQL store {name}: cannot set up its tables"))?
        {
            Ok(st) => st,
            Err(layout) => anyhow::bail!(
                "PostgreSQL store {name} was written by a newer newstrace (store layout {layout}; this one reads up to {LAYOUT_VERSION}): upgrade newstrace to open it"
            ),
        };
        Ok(PgStore { client, st, name })
    }

    fn batch_failed(&self, batch: &Batch) -> String {
        format!(
            "PostgreSQL store {}: cannot store a batch of {} articles",
            self.name,
            batch.articles.len()
        )
    }

    fn stored(row: &Row) -> Result<StoredArticle, postgres::Error> {
        let mut cols: [Option<String>; 13] = Default::default();
        for (i, c) in cols.iter_mut().enumerate() {
            *c = row.try_get(2 + i)?;
        }
        Ok(StoredArticle {
            key: row.try_get(0)?,
            story: row.try_get(1)?,
            article: article_from_columns(cols),
        })
    }

    fn story_row(row: &Row) -> Result<StoryRow, postgres::Error> {
        Ok(StoryRow {
            id: row.try_get(0)?,
            title: row.try_get(1)?,
            size: row.try_get(2)?,
        })
    }

    /// Builds the word index unless it is there (one builder at a time; an index left invalid
    /// by a build cut short is built again).
    fn build_word_index(&mut self) -> Result<(), postgres::Error> {
        let valid = |c: &mut Client| -> Result<Option<bool>, postgres::Error> {
            c.query_opt(
                &format!(
                    "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('{WORDS_INDEX}')"
                ),
                &[],
            )?
            .map(|r| r.try_get(0))
            .transpose()
        };
        if valid(&mut self.client)? == Some(true) {
            return Ok(());
        }
        // A session lock (a concurrent build cannot run in a transaction), released when the
        // connection ends if not before.
        self.client
            .execute("SELECT pg_advisory_lock($1)", &[&WORDS_LOCK])?;
        let mut build = || -> Result<(), postgres::Error> {
            match valid(&mut self.client)? {
                Some(true) => return Ok(()),
                Some(false) => self
                    .client
                    .batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {WORDS_INDEX}"))?,
                None => {}
            }
            self.client.batch_execute(&format!(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS {WORDS_INDEX} ON articles USING gin ({WORDS})"
            ))
        };
        let built = build();
        let unlocked = self
            .client
            .execute("SELECT pg_advisory_unlock($1)", &[&WORDS_LOCK]);
        built?;
        unlocked?;
        Ok(())
    }

    fn reuse_row(row: &Row) -> Result<StoredReuse, postgres::Error> {
        Ok(StoredReuse {
            source: row.try_get(0)?,
            derived: row.try_get(1)?,
            relation: row.try_get(2)?,
            confidence: row.try_get::<_, f64>(3)? as f32,
            source_coverage: row.try_get::<_, f64>(4)? as f32,
            derived_coverage: row.try_get::<_, f64>(5)? as f32,
            passages: passages_from_json(row.try_get(6)?),
            evidence: evidence_from_json(row.try_get(7)?),
        })
    }

    /// One attempt at [`Store::commit`]: `false` where other writers kept storing the
    /// batch's ids between our removing and inserting them (rolled back; try again).
    fn try_commit(&mut self, batch: &Batch) -> Result<bool, postgres::Error> {
        let st = &self.st;
        let mut tx = self.client.transaction()?;
        // Within a batch the last article of an id wins.
        let mut last_of_id = HashMap::new();
        for (i, a) in batch.articles.iter().enumerate() {
            last_of_id.insert(a.article.id.0.as_str(), i);
        }
        let mut articles: Vec<&NewArticle> = batch
            .articles
            .iter()
            .enumerate()
            .filter(|&(i, a)| last_of_id.get(a.article.id.0.as_str()) == Some(&i))
            .map(|(_, a)| a)
            .collect();
        // In id order: two batches sharing ids insert them in the same order, so that one
        // waits for the other rather than each for the other.
        articles.sort_by(|a, b| a.article.id.0.cmp(&b.article.id.0));
        if !articles.is_empty() {
            // An id stored by another writer after we removed it is removed again.
            let mut pending = articles.clone();
            for _ in 0..ATTEMPTS {
                let ids: Vec<&str> = pending.iter().map(|a| a.article.id.0.as_str()).collect();
                remove_stored(&mut tx, st, &ids)?;
                let inserted = insert_articles(&mut tx, st, &pending)?;
                pending.retain(|a| !inserted.contains(&a.article.id.0));
                if pending.is_empty() {
                    break;
                }
            }
            if !pending.is_empty() {
                return Ok(false);
            }
            let mut postings: Vec<(i64, Key)> = articles
                .iter()
                .flat_map(|a| a.anchors.iter().map(|&h| (h as i64, a.key)))
                .collect();
            postings.sort_unstable();
            postings.dedup();
            let writer = tx.copy_in("COPY staged_postings (anchor, key) FROM STDIN BINARY")?;
            let mut writer = BinaryCopyInWriter::new(writer, &[Type::INT8, Type::INT8]);
            for (h, k) in &postings {
                writer.write(&[h, k])?;
            }
            writer.finish()?;
            tx.execute(&st.insert_postings, &[])?;
        }
        if !batch.reuse.is_empty() {
            upsert_reuse(&mut tx, st, &batch.reuse)?;
        }
        if !batch.stories.is_empty() {
            upsert_stories(&mut tx, st, &batch.stories)?;
        }
        for (name, value) in &batch.meta {
            tx.execute(&st.upsert_meta, &[name, value])?;
        }
        tx.commit()?;
        Ok(true)
    }
}

/// Removes the stored articles of `ids` (their anchors' postings, reuse entries and story
/// membership), locking their rows first.
fn remove_stored(
    tx: &mut Transaction,
    st: &Statements,
    ids: &[&str],
) -> Result<(), postgres::Error> {
    let old = tx.query(&st.old_articles, &[&ids])?;
    if old.is_empty() {
        return Ok(());
    }
    let mut keys: Vec<Key> = Vec::with_capacity(old.len());
    let mut stories: Vec<i64> = Vec::with_capacity(old.len());
    for row in &old {
        let key: Key = row.try_get(0)?;
        let anchors: Vec<i64> = anchors_from_bytes(row.try_get(2)?)
            .into_iter()
            .map(|a| a as i64)
            .collect();
        tx.execute(&st.remove_postings, &[&key, &anchors])?;
        keys.push(key);
        stories.push(row.try_get(1)?);
    }
    tx.execute(&st.remove_reuse, &[&keys])?;
    tx.execute(&st.shrink_stories, &[&stories])?;
    tx.execute(&st.remove_articles, &[&keys])?;
    Ok(())
}

/// Inserts articles in one statement, a column array each, but for ids that another
/// writer's transaction has stored since (it waits for that transaction to end). Returns
/// the ids inserted.
fn insert_articles(
    tx: &mut Transaction,
    st: &Statements,
    articles: &[&NewArticle],
) -> Result<HashSet<String>, postgres::Error> {
    let n = articles.len();
    let keys: Vec<Key> = articles.iter().map(|a| a.key).collect();
    let digests: Vec<i64> = articles.iter().map(|a| a.digest).collect();
    let stories: Vec<i64> = articles.iter().map(|a| a.story).collect();
    let blobs: Vec<Vec<u8>> = articles
        .iter()
        .map(|a| anchors_to_bytes(&a.anchors))
        .collect();
    let rows: Vec<_> = articles
        .iter()
        .map(|a| article_columns(&a.article))
        .collect();
    let mut columns: Vec<Vec<Option<&str>>> = (0..13).map(|_| Vec::with_capacity(n)).collect();
    for row in &rows {
        for (column, value) in columns.iter_mut().zip(row) {
            column.push(value.as_deref());
        }
    }
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&keys, &digests, &stories, &blobs];
    for c in &columns {
        params.push(c);
    }
    tx.query(&st.insert_articles, &params)?
        .iter()
        .map(|row| row.try_get(0))
        .collect()
}

/// Inserts or replaces reuse entries (the last of a pair wins, as in SQLite's
/// `INSERT OR REPLACE`).
fn upsert_reuse(
    tx: &mut Transaction,
    st: &Statements,
    reuse: &[StoredReuse],
) -> Result<(), postgres::Error> {
    // One statement may not touch a row twice: keep the last entry of each pair.
    let mut last = HashMap::new();
    for (i, r) in reuse.iter().enumerate() {
        last.insert((r.source, r.derived), i);
    }
    let rows: Vec<&StoredReuse> = reuse
        .iter()
        .enumerate()
        .filter(|&(i, r)| last.get(&(r.source, r.derived)) == Some(&i))
        .map(|(_, r)| r)
        .collect();
    let source: Vec<Key> = rows.iter().map(|r| r.source).collect();
    let derived: Vec<Key> = rows.iter().map(|r| r.derived).collect();
    let relation: Vec<&str> = rows.iter().map(|r| r.relation.as_str()).collect();
    let confidence: Vec<f64> = rows.iter().map(|r| r.confidence as f64).collect();
    let source_cov: Vec<f64> = rows.iter().map(|r| r.source_coverage as f64).collect();
    let derived_cov: Vec<f64> = rows.iter().map(|r| r.derived_coverage as f64).collect();
    let passages: Vec<String> = rows.iter().map(|r| passages_to_json(&r.passages)).collect();
    let evidence: Vec<String> = rows.iter().map(|r| evidence_to_json(&r.evidence)).collect();
    tx.execute(
        &st.upsert_reuse,
        &[
            &source,
            &derived,
            &relation,
            &confidence,
            &source_cov,
            &derived_cov,
            &passages,
            &evidence,
        ],
    )?;
    Ok(())
}

/// Creates stories or grows them (a story named twice in the batch grows by both sizes).
fn upsert_stories(
    tx: &mut Transaction,
    st: &Statements,
    stories: &[StoryDelta],
) -> Result<(), postgres::Error> {
    // In id order, so that two batches lock the rows they share in the same order.
    let mut merged: BTreeMap<i64, (&str, i64)> = BTreeMap::new();
    for s in stories {
        merged.entry(s.id).or_insert((s.title.as_str(), 0)).1 += s.size;
    }
    let ids: Vec<i64> = merged.keys().copied().collect();
    let titles: Vec<&str> = merged.values().map(|v| v.0).collect();
    let sizes: Vec<i64> = merged.values().map(|v| v.1).collect();
    tx.execute(&st.upsert_stories, &[&ids, &titles, &sizes])?;
    Ok(())
}

/// Whether a failed transaction lost a race with another writer and may succeed if run again.
fn lost_race(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::UNIQUE_VIOLATION
            || *c == SqlState::T_R_DEADLOCK_DETECTED
            || *c == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

/// The database of a URL as errors name it: `user@host:port/db`, never the password.
fn describe(url: &str) -> String {
    let Ok(cfg) = url.parse::<postgres::Config>() else {
        return "(a malformed URL)".to_string();
    };
    let hosts: Vec<String> = cfg
        .get_hosts()
        .iter()
        .zip(
            cfg.get_ports()
                .iter()
                .map(Some)
                .chain(std::iter::repeat(None)),
        )
        .map(|(h, p)| {
            let host = match h {
                postgres::config::Host::Tcp(h) => h.clone(),
                #[cfg(unix)]
                postgres::config::Host::Unix(p) => p.display().to_string(),
            };
            match p {
                Some(p) => format!("{host}:{p}"),
                None => host,
            }
        })
        .collect();
    let user = cfg.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    let db = cfg.get_dbname().unwrap_or("");
    format!("postgres://{user}{}/{db}", hosts.join(","))
}

impl Store for PgStore {
    fn many_writers(&self) -> bool {
        true
    }

    fn allocate(&mut self, counter: &str, n: u64) -> Result<i64> {
        let first: i64 = self
            .client
            .query_one(&self.st.allocate, &[&counter, &(n as i64)])
            .and_then(|r| r.try_get(0))
            .with_context(|| {
                format!(
                    "PostgreSQL store {}: allocating {counter} numbers",
                    self.name
                )
            })?;
        Ok(first)
    }

    fn is_empty(&mut self) -> Result<bool> {
        let any: bool = self
            .client
            .query_one("SELECT EXISTS (SELECT 1 FROM articles)", &[])
            .and_then(|r| r.try_get(0))
            .with_context(|| format!("PostgreSQL store {}: reading articles", self.name))?;
        Ok(!any)
    }

    fn existing(&mut self, ids: &[&str]) -> Result<Vec<Option<(Key, i64)>>> {
        let mut out = vec![None; ids.len()];
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = self
            .client
            .query(&self.st.existing, &[&ids])
            .with_context(|| format!("PostgreSQL store {}: looking up ids", self.name))?;
        for row in rows {
            let read = || -> Result<(i64, Key, i64), postgres::Error> {
                Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
            };
            let (i, key, digest) =
                read().with_context(|| format!("PostgreSQL store {}: reading ids", self.name))?;
            if let Some(slot) = out.get_mut((i - 1) as usize) {
                *slot = Some((key, digest));
            }
        }
        Ok(out)
    }

    fn holders(&mut self, anchors: &[u64], below: Key, limit: usize) -> Result<Vec<Vec<Key>>> {
        let mut out = vec![Vec::new(); anchors.len()];
        if anchors.is_empty() || limit == 0 {
            return Ok(out);
        }
        let anchors: Vec<i64> = anchors.iter().map(|&a| a as i64).collect();
        let limit = limit.min(i64::MAX as usize) as i64;
        let rows = self
            .client
            .query(&self.st.holders, &[&anchors, &below, &limit])
            .with_context(|| format!("PostgreSQL store {}: looking up anchors", self.name))?;
        for row in rows {
            let read = || -> Result<(i64, Key), postgres::Error> {
                Ok((row.try_get(0)?, row.try_get(1)?))
            };
            let (i, key) = read()
                .with_context(|| format!("PostgreSQL store {}: reading postings", self.name))?;
            if let Some(list) = out.get_mut((i - 1) as usize) {
                list.push(key);
            }
        }
        for list in &mut out {
            list.sort_unstable();
        }
        Ok(out)
    }

    fn anchor_counts(&mut self, keys: &[Key]) -> Result<Vec<Option<usize>>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let list = keys.to_vec();
        let rows = self
            .client
            .query(&self.st.anchor_counts, &[&list])
            .with_context(|| format!("PostgreSQL store {}: reading anchor counts", self.name))?;
        let mut found = std::collections::HashMap::new();
        for row in rows {
            let key: Key = row.try_get(0)?;
            let n: i32 = row.try_get(1)?;
            found.insert(key, n.max(0) as usize);
        }
        Ok(keys.iter().map(|k| found.get(k).copied()).collect())
    }

    fn articles(&mut self, keys: &[Key]) -> Result<Vec<StoredArticle>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let keys = keys.to_vec();
        self.client
            .query(&self.st.articles, &[&keys])
            .and_then(|rows| rows.iter().map(Self::stored).collect())
            .with_context(|| format!("PostgreSQL store {}: reading articles", self.name))
    }

    fn latest(&mut self, n: usize) -> Result<Vec<StoredArticle>> {
        let limit = n as i64;
        let mut rows: Vec<StoredArticle> = self
            .client
            .query(&self.st.latest, &[&limit])
            .and_then(|rows| rows.iter().map(Self::stored).collect())
            .with_context(|| {
                format!(
                    "PostgreSQL store {}: reading the latest articles",
                    self.name
                )
            })?;
        rows.reverse();
        Ok(rows)
    }

    fn article_by_id(&mut self, id: &str) -> Result<Option<StoredArticle>> {
        self.client
            .query_opt(&self.st.article_by_id, &[&id])
            .and_then(|row| row.as_ref().map(Self::stored).transpose())
            .with_context(|| format!("PostgreSQL store {}: reading article {id}", self.name))
    }

    fn commit(&mut self, batch: &Batch) -> Result<()> {
        let mut attempt = 1;
        loop {
            let lost = match self.try_commit(batch) {
                Ok(true) => return Ok(()),
                Ok(false) => None,
                Err(e) if lost_race(&e) => Some(e),
                Err(e) => return Err(e).with_context(|| self.batch_failed(batch)),
            };
            if attempt == ATTEMPTS {
                return match lost {
                    Some(e) => Err(e).with_context(|| self.batch_failed(batch)),
                    None => Err(anyhow::anyhow!(
                        "other writers kept storing the same articles"
                    ))
                    .with_context(|| self.batch_failed(batch)),
                };
            }
            // Let the other writer finish before trying again.
            std::thread::sleep(std::time::Duration::from_millis(
                20 * (1 << attempt) + fastrand::u64(0..50),
            ));
            attempt += 1;
        }
    }

    fn meta(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        self.client
            .query_opt(&self.st.meta, &[&name])
            .and_then(|row| row.map(|r| r.try_get(0)).transpose())
            .with_context(|| format!("PostgreSQL store {}: reading {name}", self.name))
    }

    fn reuse_of(&mut self, key: Key) -> Result<Vec<StoredReuse>> {
        self.client
            .query(&self.st.reuse_of, &[&key])
            .and_then(|rows| rows.iter().map(Self::reuse_row).collect())
            .with_context(|| format!("PostgreSQL store {}: reading reuse", self.name))
    }

    fn stats(&mut self) -> Result<StoreStats> {
        let row = self
            .client
            .query_one(
                "SELECT (SELECT count(*) FROM articles),
                        (SELECT count(*) FROM stories WHERE size > 0),
                        (SELECT count(*) FROM reuse),
                        (SELECT coalesce(sum(pg_total_relation_size(t)), 0)::bigint
                         FROM unnest(ARRAY['articles', 'postings', 'reuse', 'stories',
                                           'counters', 'meta']::regclass[]) AS t)",
                &[],
            )
            .with_context(|| format!("PostgreSQL store {}: counting", self.name))?;
        let n = |i: usize| -> Result<u64> {
            Ok(row
                .try_get::<_, i64>(i)
                .with_context(|| format!("PostgreSQL store {}: counting", self.name))?
                .max(0) as u64)
        };
        Ok(StoreStats {
            articles: n(0)?,
            stories: n(1)?,
            reuse: n(2)?,
            bytes: n(3)?,
        })
    }

    fn stories(&mut self, offset: usize, limit: usize) -> Result<Vec<StoryRow>> {
        self.client
            .query(&self.st.stories, &[&sql_count(limit), &sql_count(offset)])
            .and_then(|rows| rows.iter().map(Self::story_row).collect())
            .with_context(|| format!("PostgreSQL store {}: reading stories", self.name))
    }

    fn story(&mut self, id: i64) -> Result<Option<StoryRow>> {
        self.client
            .query_opt(&self.st.story, &[&id])
            .and_then(|row| row.as_ref().map(Self::story_row).transpose())
            .with_context(|| format!("PostgreSQL store {}: reading story {id}", self.name))
    }

    fn story_articles(&mut self, story: i64, limit: usize) -> Result<Vec<StoredArticle>> {
        self.client
            .query(&self.st.story_articles, &[&story, &sql_count(limit)])
            .and_then(|rows| rows.iter().map(Self::stored).collect())
            .with_context(|| {
                format!(
                    "PostgreSQL store {}: reading the articles of story {story}",
                    self.name
                )
            })
    }

    fn reuse_among(&mut self, keys: &[Key]) -> Result<Vec<StoredReuse>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        // One array, one round trip: a few thousand keys are one parameter.
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        self.client
            .query(&self.st.reuse_among, &[&keys])
            .and_then(|rows| rows.iter().map(Self::reuse_row).collect())
            .with_context(|| format!("PostgreSQL store {}: reading reuse", self.name))
    }

    fn prepare_search(&mut self) -> Result<u64> {
        self.build_word_index()
            .with_context(|| format!("PostgreSQL store {}: building the word index", self.name))?;
        Ok(0)
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
        let rows = if words.is_empty() {
            self.client
                .query(&self.st.search_latest, &[&outlet, &limit, &offset])
        } else {
            // Letters and digits only, so `plainto_tsquery` sees no syntax: all words must match.
            let words = words.join(" ");
            self.client
                .query(&self.st.search, &[&words, &outlet, &limit, &offset])
        };
        rows.and_then(|rows| rows.iter().map(Self::stored).collect())
            .with_context(|| format!("PostgreSQL store {}: searching articles", self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_database_without_its_password() {
        assert_eq!(
            describe("postgres://ann:secret@db.example:5433/news"),
            "postgres://ann@db.example:5433/news"
        );
        let plain = describe("postgresql://db.example/news");
        assert!(plain.starts_with("postgres://db.example") && plain.ends_with("/news"));
        assert!(!describe("postgres://ann:secret@[::1]:5/x").contains("secret"));
        assert!(!describe("postgres://ann:secret@host:notaport/x").contains("secret"));
    }

    #[test]
    fn an_unreachable_server_is_an_error_not_a_panic() {
        // Port 1 on the loopback: refused at once.
        let err = PgStore::open("postgres://nobody@127.0.0.1:1/none")
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(err.contains("postgres://nobody@127.0.0.1:1/none"), "{err}");
    }
}
