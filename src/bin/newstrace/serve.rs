//! `newstrace serve`: a local web app over the store, and the JSON API behind it.
//!
//! Pages: the stories (largest first), a story's lineage graph and table of outlets, an
//! article with its lineage, a reuse entry side by side, word and outlet search, and a box to
//! paste or upload an article and trace it against the store. Every page is built from the
//! same views as the `analyze --html` report ([`crate::html`]); every page has a JSON twin
//! under `/api/`. The app only reads the store: `index add` stays its one writer.
//!
//! The store is behind one lock and used from blocking threads (`spawn_blocking`), so the
//! async runtime never waits on SQLite. Bound to loopback by default, where requests naming
//! another host are refused (a DNS-rebinding page cannot read the store through the browser).

use crate::contract;
use crate::html::{self, esc, url_part, Lineage, Links};
use crate::index_cmd::{self, StoreArgs};
use anyhow::{Context, Result};
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use newstrace::fingerprint::TermStats;
use newstrace::index::{self, IndexConfig, Key, Searcher, Store, StoredArticle};
use newstrace::read::{read_named, Limits};
use newstrace::{Article, Reuse};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex};

/// Articles shown of one story; a bigger story says how many more it holds.
const STORY_ARTICLES: usize = 400;
/// Articles gathered for one article's lineage (its sources, theirs, and what took from it).
const LINEAGE_ARTICLES: usize = 120;
/// Stories and search results per page.
const PAGE: usize = 50;
/// Articles traced from one upload (a JSONL or WARC file may hold many).
const TRACE_ARTICLES: usize = 20;

pub struct App {
    stores: Pool,
    cfg: IndexConfig,
    /// The store's term statistics and when they were read: decoded once a minute at most,
    /// not per trace (a few MB on a big store). A minute-old weighting of words is harmless.
    term_stats: Mutex<Option<(std::time::Instant, Arc<TermStats>)>>,
}

/// How long the term statistics are used before they are read again.
const STATS_FOR: std::time::Duration = std::time::Duration::from_secs(60);

impl App {
    fn term_stats(&self, store: &mut dyn Store) -> Result<Arc<TermStats>, Fail> {
        let mut held = self.term_stats.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, stats)) = held.as_ref() {
            if at.elapsed() < STATS_FOR {
                return Ok(Arc::clone(stats));
            }
        }
        let stats = Searcher::stored_stats(store)?;
        *held = Some((std::time::Instant::now(), Arc::clone(&stats)));
        Ok(stats)
    }
}

/// How the app is run: the command line's `serve` flags.
pub struct ServeArgs {
    pub addr: SocketAddr,
    /// Largest request body (a pasted or uploaded article), in MiB: larger ones get 413.
    pub max_body_mb: usize,
    /// Connections to the store, each serving one request at a time.
    pub connections: usize,
}

/// A few connections to the store, each lent to one request at a time: SQLite's readers do
/// not block one another under its write-ahead log, so requests run side by side.
struct Pool {
    free: Mutex<Vec<Box<dyn Store>>>,
    returned: Condvar,
}

/// A connection on loan; goes back to the pool when dropped, also when a request panics.
struct Lent<'p> {
    pool: &'p Pool,
    store: Option<Box<dyn Store>>,
}

impl Pool {
    fn take(&self) -> Lent<'_> {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(store) = free.pop() {
                return Lent {
                    pool: self,
                    store: Some(store),
                };
            }
            free = self.returned.wait(free).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            self.pool
                .free
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(store);
            self.pool.returned.notify_one();
        }
    }
}

/// Runs the app until Ctrl-C. Prints `listening on http://ADDR` once it accepts requests.
pub fn serve(args: &StoreArgs, serve: &ServeArgs) -> Result<()> {
    index_cmd::check_store(args)?;
    let n = serve.connections.max(1);
    // The page cache budget (a quarter of --memory) is shared by the connections.
    let cache = (args.memory_mib << 18) / n;
    let mut stores = Vec::with_capacity(n);
    for _ in 0..n {
        stores.push(index::open(&args.db, cache)?);
    }
    let started = std::time::Instant::now();
    let indexed = stores[0]
        .prepare_search()
        .context("building the word index for search")?;
    if indexed > 0 {
        eprintln!(
            "indexed the words of {indexed} articles for search in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let app = Arc::new(App {
        stores: Pool {
            free: Mutex::new(stores),
            returned: Condvar::new(),
        },
        cfg: index_cmd::config(args, 1),
        term_stats: Mutex::new(None),
    });
    let (addr, body_limit) = (serve.addr, serve.max_body_mb.max(1) << 20);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        if !local.ip().is_loopback() {
            eprintln!(
                "warning: serving on {local}, not loopback: anyone who can reach it can read the store"
            );
        }
        let router = router(app, local, body_limit);
        println!("listening on http://{local}");
        std::io::stdout().flush()?;
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")
    })
}

/// The routes: pages, then their JSON twins.
pub fn router(app: Arc<App>, local: SocketAddr, body_limit: usize) -> Router {
    let hosts = Arc::new(allowed_hosts(local));
    Router::new()
        .route("/", get(home))
        .route("/story", get(story_page))
        .route("/article", get(article_page))
        .route("/reuse", get(reuse_page))
        .route("/search", get(search_page))
        .route("/trace", get(trace_form).post(trace_page))
        .route("/api/stats", get(api_stats))
        .route("/api/stories", get(api_stories))
        .route("/api/story", get(api_story))
        .route("/api/article", get(api_article))
        .route("/api/reuse", get(api_reuse))
        .route("/api/search", get(api_search))
        .route("/api/trace", axum::routing::post(api_trace))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(hosts, check_host))
        .layer(middleware::map_response(secure_headers))
        .with_state(app)
}

/// Host names a request may name: any when bound to a public address, else loopback's.
fn allowed_hosts(local: SocketAddr) -> Option<Vec<String>> {
    if !local.ip().is_loopback() {
        return None;
    }
    let port = local.port();
    Some(vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ])
}

async fn check_host(
    State(hosts): State<Arc<Option<Vec<String>>>>,
    req: Request<axum::body::Body>,
    next: Next,
) -> Response {
    if let (Some(hosts), Some(host)) = (hosts.as_ref(), req.headers().get(header::HOST)) {
        let ok = host
            .to_str()
            .is_ok_and(|h| hosts.iter().any(|a| a.eq_ignore_ascii_case(h)));
        if !ok {
            return (
                StatusCode::MISDIRECTED_REQUEST,
                "error: this server answers only requests addressed to its loopback address\n",
            )
                .into_response();
        }
    }
    next.run(req).await
}

async fn secure_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(html::CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// A request that failed: its status and one line saying why.
#[derive(Debug)]
pub struct Fail {
    status: StatusCode,
    message: String,
}

impl Fail {
    fn not_found(what: impl Into<String>) -> Self {
        Fail {
            status: StatusCode::NOT_FOUND,
            message: what.into(),
        }
    }
    fn bad(what: impl Into<String>) -> Self {
        Fail {
            status: StatusCode::BAD_REQUEST,
            message: what.into(),
        }
    }
}

impl From<anyhow::Error> for Fail {
    fn from(e: anyhow::Error) -> Self {
        let message = e
            .chain()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(": ");
        eprintln!("error: {message}");
        Fail {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let body = format!(
            "<h2>{}</h2><p class=\"error\">{}</p><p><a href=\"/\">Back to the stories</a></p>",
            self.status.canonical_reason().unwrap_or("Error"),
            esc(&self.message)
        );
        (self.status, Html(html::page("newstrace", NAV, &body))).into_response()
    }
}

/// The same failure as JSON, for `/api/`.
pub struct ApiFail(Fail);

impl From<Fail> for ApiFail {
    fn from(f: Fail) -> Self {
        ApiFail(f)
    }
}

impl IntoResponse for ApiFail {
    fn into_response(self) -> Response {
        (self.0.status, Json(json!({ "error": self.0.message }))).into_response()
    }
}

type PageResult = Result<Html<String>, Fail>;
type ApiResult = Result<Json<Value>, ApiFail>;

/// Runs `f` on the store on a blocking thread.
async fn with_store<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&mut dyn Store, &IndexConfig) -> Result<T, Fail> + Send + 'static,
) -> Result<T, Fail> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let mut lent = app.stores.take();
        match lent.store.as_mut() {
            Some(store) => f(store.as_mut(), &app.cfg),
            None => Err(Fail::from(anyhow::anyhow!("no connection to the store"))),
        }
    })
    .await
    .map_err(|e| Fail::from(anyhow::anyhow!("request failed: {e}")))?
}

const NAV: &str = "<a href=\"/\">Stories</a><a href=\"/search\">Search</a><a id=\"trace-link\" href=\"/trace\">Trace an article</a>";

fn page(title: &str, body: &str) -> Html<String> {
    Html(html::page(&format!("{title} · newstrace"), NAV, body))
}

/// Links between the app's pages.
struct Routes;

impl Links for Routes {
    fn reuse(&self, lin: &Lineage, ri: usize) -> String {
        let r = &lin.reuse[ri];
        format!(
            "/reuse?source={}&derived={}",
            url_part(&lin.articles[r.source].id.0),
            url_part(&lin.articles[r.derived].id.0)
        )
    }
    fn article(&self, a: &Article) -> Option<String> {
        Some(format!("/article?id={}", url_part(&a.id.0)))
    }
}

/// A story id as shown (`s12`) and as read back (`s12` or `12`).
fn story_name(id: i64) -> String {
    format!("s{id}")
}

fn parse_story(id: &str) -> Result<i64, Fail> {
    id.trim()
        .trim_start_matches('s')
        .parse()
        .map_err(|_| Fail::bad(format!("not a story id: {id:?}")))
}

/// Stored articles and the reuse among them, as the views take them.
struct Family {
    stored: Vec<StoredArticle>,
    articles: Vec<Article>,
    reuse: Vec<Reuse>,
}

impl Family {
    /// Orders articles by publication (then storage) and converts the stored entries.
    fn new(mut stored: Vec<StoredArticle>, entries: &[index::StoredReuse]) -> Self {
        stored.sort_by_key(|s| (s.article.published.is_none(), s.article.published, s.key));
        let at: HashMap<Key, usize> = stored.iter().enumerate().map(|(i, s)| (s.key, i)).collect();
        let reuse = entries
            .iter()
            .filter_map(|r| {
                let (a, b) = (*at.get(&r.source)?, *at.get(&r.derived)?);
                index::from_stored(r, a, b)
            })
            .collect();
        let articles = stored.iter().map(|s| s.article.clone()).collect();
        Family {
            stored,
            articles,
            reuse,
        }
    }

    fn lineage(&self) -> Lineage<'_> {
        Lineage {
            articles: &self.articles,
            reuse: &self.reuse,
        }
    }

    fn json(&self) -> Value {
        let docs: Vec<Value> = self
            .stored
            .iter()
            .map(|s| {
                let mut d =
                    serde_json::to_value(contract::Document::of(&s.article)).unwrap_or(Value::Null);
                d["story"] = json!(story_name(s.story));
                d
            })
            .collect();
        let reuse: Vec<contract::ReuseEntry> = self
            .reuse
            .iter()
            .map(|r| contract::ReuseEntry::of(r, &self.articles))
            .collect();
        json!({ "documents": docs, "reuse": reuse })
    }
}

#[derive(Deserialize)]
struct Paging {
    page: Option<usize>,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize)]
struct Pair {
    source: String,
    derived: String,
}

#[derive(Deserialize, Default)]
struct Find {
    q: Option<String>,
    outlet: Option<String>,
    page: Option<usize>,
}

#[derive(Deserialize)]
struct Window {
    offset: Option<usize>,
    limit: Option<usize>,
}

async fn not_found() -> Fail {
    Fail::not_found("no such page")
}

fn search_form(q: &str, outlet: &str) -> String {
    format!(
        "<form id=\"search\" class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\
         <label for=\"q\" class=\"muted small\">Words</label><input id=\"q\" type=\"search\" name=\"q\" value=\"{}\" placeholder=\"words in the title or text\">\
         <label for=\"outlet\" class=\"muted small\">Outlet</label><input id=\"outlet\" type=\"text\" name=\"outlet\" value=\"{}\" placeholder=\"e.g. reuters.com\">\
         <button type=\"submit\">Search</button></form>",
        esc(q),
        esc(outlet)
    )
}

fn pager(h: &mut String, base: &str, page: usize, more: bool) {
    h.push_str("<p class=\"pager\">");
    if page > 0 {
        let _ = write!(h, "<a href=\"{}page={}\">← newer</a>", esc(base), page - 1);
    }
    if more {
        let _ = write!(h, "<a href=\"{}page={}\">more →</a>", esc(base), page + 1);
    }
    h.push_str("</p>");
}

async fn home(State(app): State<Arc<App>>, Query(p): Query<Paging>) -> PageResult {
    let page_no = p.page.unwrap_or(0);
    let (stats, stories) = with_store(&app, move |s, _| {
        Ok((s.stats()?, s.stories(page_no * PAGE, PAGE + 1)?))
    })
    .await?;
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>Stories</h2><p class=\"muted\">{} articles · {} stories · {} reuse entries</p>{}",
        stats.articles,
        stats.stories,
        stats.reuse,
        search_form("", "")
    );
    if stories.is_empty() {
        h.push_str("<p class=\"nothing\">The store is empty: add articles with <code>newstrace index add</code>.</p>");
    }
    h.push_str("<ol class=\"cards stories\">");
    for st in stories.iter().take(PAGE) {
        let _ = write!(
            h,
            "<li><a class=\"story-link\" href=\"/story?id={}\">{}</a> <span class=\"muted small\">{} · {} articles</span></li>",
            st.id,
            esc(&st.title),
            story_name(st.id),
            st.size
        );
    }
    h.push_str("</ol>");
    pager(&mut h, "/?", page_no, stories.len() > PAGE);
    Ok(page("Stories", &h))
}

fn load_story(s: &mut dyn Store, id: i64) -> Result<(index::StoryRow, Family), Fail> {
    let row = s
        .story(id)?
        .ok_or_else(|| Fail::not_found(format!("no story {}", story_name(id))))?;
    let stored = s.story_articles(id, STORY_ARTICLES)?;
    let keys: Vec<Key> = stored.iter().map(|a| a.key).collect();
    let entries = s.reuse_among(&keys)?;
    Ok((row, Family::new(stored, &entries)))
}

async fn story_page(State(app): State<Arc<App>>, Query(q): Query<Id>) -> PageResult {
    let id = parse_story(&q.id)?;
    let (row, fam) = with_store(&app, move |s, _| load_story(s, id)).await?;
    let members: Vec<usize> = (0..fam.articles.len()).collect();
    let mut h = String::new();
    html::story_section(
        &mut h,
        &fam.lineage(),
        (&story_name(id), &row.title),
        &members,
        &Routes,
    );
    if row.size as usize > fam.articles.len() {
        let _ = write!(
            h,
            "<p class=\"muted\">Showing the first {} of its {} articles.</p>",
            fam.articles.len(),
            row.size
        );
    }
    h.push_str(html::legend());
    Ok(page(&row.title, &h))
}

/// An article and its family: every stored article linked to it by reuse, in either
/// direction and through others, up to [`LINEAGE_ARTICLES`].
fn load_lineage(s: &mut dyn Store, id: &str) -> Result<(StoredArticle, Family), Fail> {
    let start = s
        .article_by_id(id)?
        .ok_or_else(|| Fail::not_found(format!("no stored article {id:?}")))?;
    let mut seen = vec![start.key];
    let mut entries: Vec<index::StoredReuse> = Vec::new();
    let mut next = 0;
    while next < seen.len() && seen.len() < LINEAGE_ARTICLES {
        let key = seen[next];
        next += 1;
        for r in s.reuse_of(key)? {
            for k in [r.source, r.derived] {
                if !seen.contains(&k) && seen.len() < LINEAGE_ARTICLES {
                    seen.push(k);
                }
            }
            if !entries
                .iter()
                .any(|e| (e.source, e.derived) == (r.source, r.derived))
            {
                entries.push(r);
            }
        }
    }
    let stored = s.articles(&seen)?;
    Ok((start, Family::new(stored, &entries)))
}

async fn article_page(State(app): State<Arc<App>>, Query(q): Query<Id>) -> PageResult {
    let id = q.id.clone();
    let (start, fam) = with_store(&app, move |s, _| load_lineage(s, &id)).await?;
    let a = &start.article;
    let me = fam
        .stored
        .iter()
        .position(|s| s.key == start.key)
        .unwrap_or(0);
    let lin = fam.lineage();
    let title = a.title.clone().unwrap_or_else(|| a.id.0.clone());
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><p class=\"muted\">{} · <code>{}</code> · story <a href=\"/story?id={}\">{}</a></p>",
        esc(&title),
        html::meta_line(a),
        esc(&a.id.0),
        start.story,
        story_name(start.story)
    );
    let direct: Vec<usize> = (0..fam.reuse.len())
        .filter(|&ri| fam.reuse[ri].source == me || fam.reuse[ri].derived == me)
        .collect();
    if direct.is_empty() {
        h.push_str("<p class=\"nothing\">No stored article shares text with this one.</p>");
    } else {
        h.push_str("<h3>Lineage</h3>");
        let members: Vec<usize> = (0..fam.articles.len()).collect();
        html::lineage_graph(&mut h, &lin, &members, &Routes);
        h.push_str("<ul class=\"cards\">");
        for ri in direct {
            let r = &fam.reuse[ri];
            let (verb, other, cov) = if r.derived == me {
                ("Took text from", r.source, r.derived_coverage)
            } else {
                ("Was taken by", r.derived, r.source_coverage)
            };
            let _ = write!(
                h,
                "<li>{verb} <a class=\"reuse-link\" href=\"{}\" data-source=\"{}\" data-derived=\"{}\">{}</a> \
                 <span class=\"rel {rel}\">{rel}</span> <span class=\"muted small\">{:.0}% of this text</span></li>",
                esc(&Routes.reuse(&lin, ri)),
                esc(&fam.articles[r.source].id.0),
                esc(&fam.articles[r.derived].id.0),
                esc(fam.articles[other].outlet.as_deref().unwrap_or(&fam.articles[other].id.0)),
                cov * 100.0,
                rel = r.relation.as_str(),
            );
        }
        h.push_str("</ul>");
    }
    let _ = write!(
        h,
        "<h3>Text</h3><div class=\"text article-text\"><div class=\"body\">{}</div></div>",
        esc(&a.text)
    );
    Ok(page(&title, &h))
}

fn load_pair(s: &mut dyn Store, source: &str, derived: &str) -> Result<Family, Fail> {
    let missing = |id: &str| Fail::not_found(format!("no stored article {id:?}"));
    let a = s.article_by_id(source)?.ok_or_else(|| missing(source))?;
    let b = s.article_by_id(derived)?.ok_or_else(|| missing(derived))?;
    let entry = s
        .reuse_of(a.key)?
        .into_iter()
        .find(|r| r.source == a.key && r.derived == b.key)
        .ok_or_else(|| Fail::not_found(format!("no reuse entry from {source:?} to {derived:?}")))?;
    Ok(Family::new(vec![a, b], &[entry]))
}

async fn reuse_page(State(app): State<Arc<App>>, Query(q): Query<Pair>) -> PageResult {
    let fam = with_store(&app, move |s, _| load_pair(s, &q.source, &q.derived)).await?;
    let lin = fam.lineage();
    let Some(r) = fam.reuse.first() else {
        return Err(Fail::not_found("the stored entry has an unknown relation"));
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{} → {}</h2><p class=\"muted\"><a href=\"/article?id={}\">source article</a> · <a href=\"/article?id={}\">derived article</a></p>",
        esc(&fam.articles[r.source].id.0),
        esc(&fam.articles[r.derived].id.0),
        url_part(&fam.articles[r.source].id.0),
        url_part(&fam.articles[r.derived].id.0),
    );
    h.push_str(html::legend());
    html::reuse_entry(&mut h, &lin, 0, "side", true);
    Ok(page("Side by side", &h))
}

/// Up to 240 characters of `text` around the first of `words` it contains.
fn snippet(text: &str, words: &str) -> String {
    let lower = text.to_lowercase();
    let at = words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .find_map(|w| lower.find(&w.to_lowercase()))
        .unwrap_or(0);
    // `lower` may differ in length from `text`: map through characters, not bytes.
    let char_at = lower[..at.min(lower.len())].chars().count();
    let start = char_at.saturating_sub(80);
    let s: String = text.chars().skip(start).take(240).collect();
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        s.trim(),
        if start + 240 < text.chars().count() {
            "…"
        } else {
            ""
        }
    )
}

fn run_search(
    s: &mut dyn Store,
    f: &Find,
    offset: usize,
    limit: usize,
) -> Result<Vec<StoredArticle>, Fail> {
    s.prepare_search()?;
    let outlet = f.outlet.as_deref().map(str::trim).filter(|o| !o.is_empty());
    Ok(s.search(f.q.as_deref().unwrap_or(""), outlet, offset, limit)?)
}

async fn search_page(State(app): State<Arc<App>>, Query(f): Query<Find>) -> PageResult {
    let page_no = f.page.unwrap_or(0);
    let (q, outlet) = (
        f.q.clone().unwrap_or_default(),
        f.outlet.clone().unwrap_or_default(),
    );
    let asked = !q.trim().is_empty() || !outlet.trim().is_empty();
    let hits = if asked {
        with_store(&app, move |s, _| {
            run_search(s, &f, page_no * PAGE, PAGE + 1)
        })
        .await?
    } else {
        Vec::new()
    };
    let mut h = format!("<h2>Search</h2>{}", search_form(&q, &outlet));
    if asked && hits.is_empty() {
        h.push_str("<p class=\"nothing\">No stored article matches.</p>");
    }
    if !hits.is_empty() {
        h.push_str("<ol class=\"cards results\">");
        for s in hits.iter().take(PAGE) {
            let a = &s.article;
            let _ = write!(
                h,
                "<li class=\"result\"><a href=\"/article?id={}\">{}</a><div class=\"muted small\">{} · <code>{}</code></div><p>{}</p></li>",
                url_part(&a.id.0),
                esc(a.title.as_deref().unwrap_or(&a.id.0)),
                html::meta_line(a),
                esc(&a.id.0),
                esc(&snippet(&a.text, &q)),
            );
        }
        h.push_str("</ol>");
        let base = format!("/search?q={}&outlet={}&", url_part(&q), url_part(&outlet));
        pager(&mut h, &base, page_no, hits.len() > PAGE);
    }
    Ok(page("Search", &h))
}

async fn trace_form() -> Html<String> {
    page("Trace an article", &trace_box())
}

fn trace_box() -> String {
    "<h2>Trace an article</h2><p class=\"muted\">Paste an article's text (or its page's HTML), or upload a file \
     (.txt, .html, .jsonl, .warc, optionally .gz). It is compared with the store; nothing is added to it.</p>\
     <form id=\"trace\" class=\"box\" method=\"post\" action=\"/trace\" enctype=\"multipart/form-data\">\
     <label for=\"text\">Text or HTML</label><textarea id=\"text\" name=\"text\"></textarea>\
     <div class=\"row\"><div><label for=\"title\">Title</label><input id=\"title\" type=\"text\" name=\"title\"></div>\
     <div><label for=\"url\">URL</label><input id=\"url\" type=\"url\" name=\"url\"></div>\
     <div><label for=\"outlet\">Outlet</label><input id=\"outlet\" type=\"text\" name=\"outlet\"></div></div>\
     <label for=\"file\">…or a file</label><input id=\"file\" type=\"file\" name=\"file\">\
     <div><button type=\"submit\">Trace</button></div></form>"
        .to_string()
}

/// What a trace form sent.
#[derive(Default)]
struct Submitted {
    text: String,
    title: String,
    url: String,
    outlet: String,
    file: Option<(String, Vec<u8>)>,
}

async fn read_form(mut form: Multipart) -> Result<Submitted, Fail> {
    let mut out = Submitted::default();
    while let Some(field) = form.next_field().await.map_err(|e| Fail {
        status: e.status(),
        message: format!("unreadable form: {}", e.body_text()),
    })? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| Fail {
            status: e.status(),
            message: format!("unreadable form field {name}: {}", e.body_text()),
        })?;
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "text" => out.text = text(),
            "title" => out.title = text(),
            "url" => out.url = text(),
            "outlet" => out.outlet = text(),
            "file" if !bytes.is_empty() => {
                out.file = Some((
                    file_name.unwrap_or_else(|| "upload.txt".into()),
                    bytes.to_vec(),
                ))
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The articles a submission holds: the uploaded file's, else the pasted text (as HTML when
/// it looks like a page), with the form's title, URL and outlet over what was extracted.
fn submitted_articles(sub: Submitted) -> Result<Vec<Article>, Fail> {
    let (name, bytes) = match sub.file {
        Some(f) => f,
        None if sub.text.trim().is_empty() => {
            return Err(Fail::bad("nothing to trace: paste a text or choose a file"))
        }
        None => {
            let t = sub.text.trim_start().to_ascii_lowercase();
            let html = t.starts_with("<!doctype") || t.starts_with("<html") || t.contains("<body");
            let name = if html { "pasted.html" } else { "pasted.txt" };
            (name.to_string(), sub.text.into_bytes())
        }
    };
    let mut raws = Vec::new();
    let mut problems = Vec::new();
    read_named(&name, &bytes, Limits::default(), &mut |item| match item {
        Ok(r) if raws.len() < TRACE_ARTICLES => raws.push(r),
        Ok(_) => {}
        Err(s) => problems.push(s.to_string()),
    });
    let mut articles = Vec::new();
    for raw in raws {
        match newstrace::extract::extract(raw) {
            Ok(a) => articles.push(a),
            Err(s) => problems.push(s.to_string()),
        }
    }
    if articles.is_empty() {
        return Err(Fail::bad(match problems.first() {
            Some(p) => format!("no article could be read: {p}"),
            None => "no article could be read".to_string(),
        }));
    }
    for a in &mut articles {
        let set = |field: &mut Option<String>, v: &str| {
            if !v.trim().is_empty() {
                *field = Some(v.trim().to_string());
            }
        };
        set(&mut a.title, &sub.title);
        set(&mut a.url, &sub.url);
        set(&mut a.outlet, &sub.outlet);
    }
    Ok(articles)
}

fn trace_all(
    app: &App,
    s: &mut dyn Store,
    articles: Vec<Article>,
) -> Result<Vec<index::Found>, Fail> {
    let stats = app.term_stats(s)?;
    let mut searcher = Searcher::with_stats(s, app.cfg, stats);
    articles
        .iter()
        .map(|a| {
            searcher
                .search(a)
                .with_context(|| format!("tracing {}", a.id))
                .map_err(Fail::from)
        })
        .collect()
}

async fn trace_page(State(app): State<Arc<App>>, form: Multipart) -> PageResult {
    let articles = submitted_articles(read_form(form).await?)?;
    let found = with_store(&app, {
        let app = Arc::clone(&app);
        move |s, _| trace_all(&app, s, articles)
    })
    .await?;
    let mut h = String::new();
    for (fi, f) in found.iter().enumerate() {
        let a = &f.articles[0];
        let _ = write!(
            h,
            "<section class=\"found\"><h2>Traced: {}</h2><p class=\"muted\">{}</p>",
            esc(a.title.as_deref().unwrap_or(&a.id.0)),
            html::meta_line(a)
        );
        if f.reuse.is_empty() {
            h.push_str("<p class=\"nothing\">No stored article shares text with it.</p>");
        } else {
            let _ = write!(
                h,
                "<p>{} stored article{} share text with it directly.</p>",
                f.reuse.len(),
                if f.reuse.len() == 1 { "" } else { "s" }
            );
            h.push_str(html::legend());
        }
        let lin = Lineage {
            articles: &f.articles,
            reuse: &f.reuse,
        };
        for ri in 0..f.reuse.len() {
            html::reuse_entry(&mut h, &lin, ri, &format!("t{fi}r{ri}"), true);
        }
        h.push_str("</section>");
    }
    h.push_str(&trace_box());
    Ok(page("Traced", &h))
}

async fn api_stats(State(app): State<Arc<App>>) -> ApiResult {
    let s = with_store(&app, |s, _| Ok(s.stats()?)).await?;
    Ok(Json(json!({
        "articles": s.articles, "stories": s.stories, "reuse": s.reuse, "bytes": s.bytes
    })))
}

async fn api_stories(State(app): State<Arc<App>>, Query(w): Query<Window>) -> ApiResult {
    let (offset, limit) = (w.offset.unwrap_or(0), w.limit.unwrap_or(PAGE).min(1000));
    let rows = with_store(&app, move |s, _| Ok(s.stories(offset, limit)?)).await?;
    let stories: Vec<Value> = rows
        .iter()
        .map(|r| json!({ "id": story_name(r.id), "title": r.title, "size": r.size }))
        .collect();
    Ok(Json(json!({ "stories": stories })))
}

async fn api_story(State(app): State<Arc<App>>, Query(q): Query<Id>) -> ApiResult {
    let id = parse_story(&q.id)?;
    let (row, fam) = with_store(&app, move |s, _| load_story(s, id)).await?;
    let mut v = fam.json();
    v["id"] = json!(story_name(row.id));
    v["title"] = json!(row.title);
    v["size"] = json!(row.size);
    Ok(Json(v))
}

async fn api_article(State(app): State<Arc<App>>, Query(q): Query<Id>) -> ApiResult {
    let id = q.id.clone();
    let (start, fam) = with_store(&app, move |s, _| load_lineage(s, &id)).await?;
    let mut v = fam.json();
    v["id"] = json!(start.article.id.0);
    v["story"] = json!(story_name(start.story));
    Ok(Json(v))
}

async fn api_reuse(State(app): State<Arc<App>>, Query(q): Query<Pair>) -> ApiResult {
    let fam = with_store(&app, move |s, _| load_pair(s, &q.source, &q.derived)).await?;
    Ok(Json(fam.json()))
}

async fn api_search(
    State(app): State<Arc<App>>,
    Query(f): Query<Window>,
    Query(find): Query<Find>,
) -> ApiResult {
    let (offset, limit) = (f.offset.unwrap_or(0), f.limit.unwrap_or(PAGE).min(1000));
    let words = find.q.clone().unwrap_or_default();
    let hits = with_store(&app, move |s, _| run_search(s, &find, offset, limit)).await?;
    let docs: Vec<Value> = hits
        .iter()
        .map(|s| {
            let a = &s.article;
            json!({
                "id": a.id.0, "title": a.title, "outlet": a.outlet, "url": a.url,
                "published": contract::Document::of(a).published,
                "story": story_name(s.story), "snippet": snippet(&a.text, &words),
            })
        })
        .collect();
    Ok(Json(json!({ "documents": docs })))
}

/// `POST /api/trace`: the body is JSONL, one article a line, as `index add` reads it.
async fn api_trace(State(app): State<Arc<App>>, body: axum::body::Bytes) -> ApiResult {
    let articles = submitted_articles(Submitted {
        file: Some(("request.jsonl".into(), body.to_vec())),
        ..Submitted::default()
    })?;
    let found = with_store(&app, {
        let app = Arc::clone(&app);
        move |s, _| trace_all(&app, s, articles)
    })
    .await?;
    let results: Vec<Value> = found
        .iter()
        .map(|f| {
            let reuse: Vec<contract::ReuseEntry> = f
                .reuse
                .iter()
                .map(|r| contract::ReuseEntry::of(r, &f.articles))
                .collect();
            let docs: Vec<contract::Document> =
                f.articles[1..].iter().map(contract::Document::of).collect();
            json!({ "id": f.articles[0].id.0, "reuse": reuse, "documents": docs })
        })
        .collect();
    Ok(Json(json!({ "results": results })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_start_near_the_word_and_respect_characters() {
        let text = format!("{}Qeshm island shook. ÄÖÜ after.", "x ".repeat(100));
        let s = snippet(&text, "qeshm");
        assert!(s.starts_with('…') && s.contains("Qeshm island"));
        assert_eq!(snippet("Ünïcödé text", "zzz"), "Ünïcödé text");
    }

    #[test]
    fn story_ids_read_both_ways() {
        assert_eq!(parse_story("s12").ok(), Some(12));
        assert_eq!(parse_story("12").ok(), Some(12));
        assert!(parse_story("x").is_err());
    }

    #[test]
    fn loopback_servers_name_their_hosts() {
        let local: SocketAddr = "127.0.0.1:7878".parse().unwrap();
        let hosts = allowed_hosts(local).unwrap();
        assert!(hosts.contains(&"localhost:7878".to_string()));
        assert!(allowed_hosts("0.0.0.0:7878".parse().unwrap()).is_none());
    }
}
