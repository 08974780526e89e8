//! The pages in a real browser: Debian's Chromium, headless, driven through `chromedriver`
//! (WebDriver) with `fantoccini`. No JavaScript is in the pages; the test's own scripts only
//! read the page.
//!
//! One test, one browser; its parts run one after another, and a failing part is reported at
//! the end while the others still run:
//! - `report`: `analyze examples/corpus --html`, opened as a file: a reuse link opens its entry
//!   side by side with marked passages on both sides; the same by keyboard alone (Tab from the
//!   skip link, Enter); no horizontal overflow at phone width (390 px).
//! - `app`: `index add examples/corpus`, then `serve`: the home page, a story, a reuse page, an
//!   article, a search, and `/trace` with a pasted article and with an uploaded file.
//! - `xss`: hostile articles (`tests/data/xss`: script tags, event handlers, `javascript:` URLs,
//!   a hostile id) in the report and in every page of the served app, `/trace` included: no
//!   script runs, no script, frame or handler is in the page, and the payloads show as text.
//! - `seeds`: the story and the Reuters rewrite of `../shared/seeds` (skipped when absent).
//!
//! Without /usr/bin/chromium or /usr/bin/chromedriver (`NEWSTRACE_CHROMIUM`,
//! `NEWSTRACE_CHROMEDRIVER` name others) the test says so and passes, unless
//! `NEWSTRACE_REQUIRE_BROWSER=1` (CI installs them and sets it).
//! `NEWSTRACE_BROWSER_PARTS=report,xss` runs some parts only. Screenshots go to
//! `target/screenshots/` (`failed-PART.png`: the page a part failed on), and also to
//! `docs/screenshots/` with `NEWSTRACE_UPDATE_SCREENSHOTS=1`.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a page may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(10);
/// How long one part may take in all.
const PART_LIMIT: Duration = Duration::from_secs(120);
const PARTS: [&str; 4] = ["report", "app", "xss", "seeds"];

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_newstrace"))
}

/// Runs `newstrace ARGS`, asserts it succeeds, and returns its stdout.
fn newstrace<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let out = Command::new(bin())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run newstrace {}: {e}", shown.join(" ")));
    assert!(
        out.status.success(),
        "newstrace {} failed ({}): {}",
        shown.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path)
        .unwrap_or_else(|_| panic!("{} is not an absolute path", path.display()))
        .to_string()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// One plain HTTP/1.1 request to 127.0.0.1:PORT; the response body, or None if it failed.
fn http(port: u16, method: &str, path: &str) -> Option<String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    // chromedriver keeps the connection open: read the headers, then Content-Length bytes.
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(String::from_utf8_lossy(&body).into_owned())
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

// ---------------------------------------------------------------------------------------------
// The browser.

/// A chromedriver of our own, in its own process group with the Chromium it starts; dropping it
/// ends the WebDriver session and kills the group, also when the test panics.
struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
    /// The browser profile (`--user-data-dir`) and chromedriver's log.
    dir: tempfile::TempDir,
}

impl Driver {
    fn start(chromedriver: &str) -> Driver {
        let dir = tempfile::Builder::new()
            .prefix("newstrace-browser-")
            .tempdir()
            .expect("a temporary folder");
        std::fs::create_dir(dir.path().join("profile")).expect("a profile folder");
        let log = dir.path().join("chromedriver.log");
        let mut dir = Some(dir);
        // Another process may take the port between our probe and chromedriver's bind: retry.
        for _attempt in 1..=3 {
            let port = free_port();
            let log_file = std::fs::File::create(&log).expect("chromedriver's log file");
            let child = Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().expect("log file"))
                .stderr(log_file)
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
            let mut driver = Driver {
                child,
                port,
                session: None,
                dir: dir.take().expect("the folder"),
            };
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(20) {
                let ready = http(port, "GET", "/status").is_some_and(|body| {
                    body.split_whitespace()
                        .collect::<String>()
                        .contains("\"ready\":true")
                });
                if ready {
                    return driver;
                }
                if let Ok(Some(_)) = driver.child.try_wait() {
                    break; // exited: most likely the port was taken
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            driver.stop();
            dir = Some(std::mem::replace(
                &mut driver.dir,
                tempfile::tempdir().expect("a temporary folder"),
            ));
        }
        panic!(
            "chromedriver did not become ready on 127.0.0.1; its log:\n{}",
            tail(&log)
        );
    }

    fn log(&self) -> String {
        tail(&self.dir.path().join("chromedriver.log"))
    }

    fn stop(&mut self) {
        if let Some(session) = self.session.take() {
            // chromedriver quits the browser when its session ends.
            let _ = http(self.port, "DELETE", &format!("/session/{session}"));
        }
        // Whatever is left of the group we started (chromedriver and its Chromium), while its
        // leader is still unreaped, so that the group id cannot be anyone else's.
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// chromedriver and a WebDriver session with Chromium, or None (after saying why) where they
/// are not installed.
async fn browser() -> Option<(Driver, Client)> {
    let chromium = std::env::var("NEWSTRACE_CHROMIUM").unwrap_or_else(|_| CHROMIUM.into());
    let chromedriver =
        std::env::var("NEWSTRACE_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.into());
    if !Path::new(&chromium).exists() || !Path::new(&chromedriver).exists() {
        // CI installs them and sets this: there, a missing browser is a failure, not a skip.
        assert!(
            std::env::var("NEWSTRACE_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "chromium/chromedriver not installed ({chromium}, {chromedriver}), and \
             NEWSTRACE_REQUIRE_BROWSER=1"
        );
        eprintln!(
            "skipping browser tests: chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let mut driver = Driver::start(&chromedriver);
    let profile = driver.dir.path().join("profile");
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    // A dialog stays open, so that `no_dialog` sees it and fails the page.
    caps.insert("unhandledPromptBehavior".into(), json!("ignore"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                format!("--user-data-dir={}", profile.display()),
                "--window-size=1280,900",
            ],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "chromedriver gave no session with {chromium}: {e}\nchromedriver's log:\n{}",
                driver.log()
            )
        });
    driver.session = client.session_id().await.ok().flatten();
    client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(20)),
            Some(Duration::from_secs(30)),
            Some(Duration::ZERO),
        ))
        .await
        .expect("timeouts set");
    Some((driver, client))
}

// ---------------------------------------------------------------------------------------------
// Steps, each failing with the page it was on and what was missing.

/// The page the browser is on.
async fn here(c: &Client) -> String {
    match c.current_url().await {
        Ok(u) => u.to_string(),
        Err(e) => format!("(page unknown: {e})"),
    }
}

/// Fails if a JavaScript dialog (alert, confirm, prompt) is open; pages have no script at all.
async fn no_dialog(c: &Client, page: &str) {
    if let Ok(text) = c.get_alert_text().await {
        let _ = c.dismiss_alert().await;
        panic!("a JavaScript dialog opened on {page}: {text:?}");
    }
}

async fn goto(c: &Client, url: &str) {
    if let Err(e) = c.goto(url).await {
        no_dialog(c, url).await;
        panic!("cannot open {url}: {e}");
    }
    no_dialog(c, url).await;
}

/// Opens URL afresh: no state (open entries, focus, scroll) kept from the page before.
async fn reload(c: &Client, url: &str) {
    goto(c, "about:blank").await;
    goto(c, url).await;
}

async fn click(c: &Client, e: &Element, what: &str) {
    let page = here(c).await;
    if let Err(err) = e.click().await {
        no_dialog(c, &page).await;
        panic!("cannot click {what} on {page}: {err}");
    }
    no_dialog(c, &page).await;
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    match c.execute(script, args).await {
        Ok(v) => v,
        Err(e) => {
            let page = here(c).await;
            no_dialog(c, &page).await;
            let script: String = script.trim().chars().take(200).collect();
            panic!("script failed on {page}: {e}\n{script}…");
        }
    }
}

async fn find_all(c: &Client, css: &str) -> Vec<Element> {
    c.find_all(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"))
}

/// The first element matching CSS that is displayed.
async fn displayed(c: &Client, css: &str) -> Option<Element> {
    for e in c.find_all(Locator::Css(css)).await.ok()? {
        if e.is_displayed().await.unwrap_or(false) {
            return Some(e);
        }
    }
    None
}

/// Waits until an element matching CSS is displayed; fails naming WHAT and the page.
async fn wait_displayed(c: &Client, css: &str, what: &str) -> Element {
    let start = Instant::now();
    loop {
        if let Some(e) = displayed(c, css).await {
            return e;
        }
        if start.elapsed() > WAIT {
            let page = here(c).await;
            no_dialog(c, &page).await;
            let present = find_all(c, css).await.len();
            panic!(
                "{what}: nothing matching `{css}` is displayed after {} s on {page} \
                 ({present} present but hidden)",
                WAIT.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until one of the selectors matches an element; returns the one that did.
async fn wait_any<'a>(c: &Client, selectors: &[&'a str], what: &str) -> &'a str {
    let start = Instant::now();
    loop {
        for css in selectors {
            if !find_all(c, css).await.is_empty() {
                return css;
            }
        }
        if start.elapsed() > WAIT {
            let page = here(c).await;
            no_dialog(c, &page).await;
            panic!(
                "{what}: none of {selectors:?} after {} s on {page}",
                WAIT.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the browser is on a page whose path is PATH; returns its URL.
async fn wait_path(c: &Client, path: &str, what: &str) -> url::Url {
    let start = Instant::now();
    loop {
        if let Ok(u) = c.current_url().await {
            if u.path() == path {
                return u;
            }
            if start.elapsed() > WAIT {
                no_dialog(c, u.as_str()).await;
                panic!("{what}: expected a page at {path}, still on {u}");
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn query(u: &url::Url, key: &str) -> Option<String> {
    u.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

async fn attr(e: &Element, name: &str) -> String {
    e.attr(name).await.ok().flatten().unwrap_or_default()
}

/// The page is inert (`check_inert`) and the side-by-side at SIDE (a selector) is displayed,
/// with displayed marked passages on both sides, each of a known kind.
async fn check_side(c: &Client, side: &str, what: &str) {
    check_inert(c, what).await;
    wait_displayed(c, side, &format!("{what}: the side-by-side")).await;
    for part in ["source", "derived"] {
        wait_displayed(
            c,
            &format!("{side} .text.{part} mark"),
            &format!("{what}: a marked passage on the {part} side"),
        )
        .await;
    }
    let odd = js(
        c,
        "return [...document.querySelectorAll(arguments[0] + ' mark')]
            .filter(m => !['identical','edited','paraphrased','spun']
                .some(k => m.classList.contains(k)))
            .map(m => m.outerHTML.slice(0, 120));",
        vec![json!(side)],
    )
    .await;
    assert_eq!(
        odd,
        json!([]),
        "{what}: marks of no known kind (identical|edited|paraphrased|spun) on {}",
        here(c).await
    );
}

async fn press(c: &Client, key: Key) {
    let k: char = key.into();
    c.perform_actions(
        KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k }),
    )
    .await
    .unwrap_or_else(|e| panic!("cannot press {key:?}: {e}"));
}

async fn set_size(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height)
        .await
        .unwrap_or_else(|e| panic!("cannot resize the window to {width}x{height}: {e}"));
}

fn save_png(name: &str, png: &[u8], docs: bool) {
    assert!(
        png.starts_with(b"\x89PNG"),
        "screenshot {name} is not a PNG"
    );
    let mut dirs = vec![repo("target/screenshots")];
    if docs && std::env::var("NEWSTRACE_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
        dirs.push(repo("docs/screenshots"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir).expect("a screenshot folder");
        std::fs::write(dir.join(name), png).expect("screenshot written");
    }
}

/// A screenshot of the viewport, as NAME.
async fn shot(c: &Client, name: &str) {
    let png = match c.screenshot().await {
        Ok(png) => png,
        Err(e) => panic!("no screenshot of {}: {e}", here(c).await),
    };
    save_png(name, &png, true);
}

/// A screenshot of one element, all of it: the window is made tall enough for it (up to
/// 8,000 px), then set back to 1280x900.
async fn shot_element(c: &Client, e: &Element, name: &str) {
    let size = js(
        c,
        "const r = arguments[0].getBoundingClientRect();
         return [Math.ceil(r.height), window.outerHeight - window.innerHeight];",
        vec![serde_json::to_value(e).unwrap()],
    )
    .await;
    let height = size[0].as_u64().unwrap_or(0) + size[1].as_u64().unwrap_or(0) + 240;
    set_size(c, 1280, height.clamp(900, 8000) as u32).await;
    let png = e.screenshot().await;
    set_size(c, 1280, 900).await;
    let png = match png {
        Ok(png) => png,
        Err(err) => panic!("no screenshot of an element on {}: {err}", here(c).await),
    };
    save_png(name, &png, true);
}

// ---------------------------------------------------------------------------------------------
// What every page of the report and the app must be.

/// The story sections, reuse links, lineage graphs and reuse entries of a page, as a list of
/// what is wrong. Every reuse link sits in the `table.outlets` row of one of its two articles.
/// MODE `report`: links go to `#r{k}`, a `.side` inside a closed `details.reuse` of the same
/// pair, both articles are in the story's table, and so are the lineage graph's nodes; `app`:
/// links go to `/reuse?source=..&derived=..` carrying the same ids as their data attributes.
const STRUCTURE: &str = r#"
const mode = arguments[0], problems = [];
const say = (el) => el.outerHTML.slice(0, 160);
const stories = [...document.querySelectorAll('section.story')];
if (stories.length === 0) problems.push('no section.story');
for (const s of stories) {
  const name = 'section.story#' + s.id;
  if (!/^s\d+$/.test(s.id) && mode === 'report') problems.push(name + ': id is not s{n}');
  if (!s.querySelector('h2')) problems.push(name + ': no h2');
  if (!s.querySelector('svg.lineage')) problems.push(name + ': no svg.lineage');
  const rows = [...s.querySelectorAll('table.outlets tr[data-id]')];
  if (rows.length === 0) problems.push(name + ': no table.outlets tr[data-id]');
  const ids = new Set(rows.map(r => r.dataset.id));
  for (const a of s.querySelectorAll('a.reuse-link')) {
    const src = a.dataset.source, der = a.dataset.derived, href = a.getAttribute('href') || '';
    if (!src || !der) { problems.push(name + ': reuse-link without data-source/data-derived: ' + say(a)); continue; }
    const row = a.closest('table.outlets tr[data-id]');
    if (!row || (row.dataset.id !== der && row.dataset.id !== src))
      problems.push(name + ': reuse-link ' + src + ' -> ' + der + ' is not in the table.outlets row of either article');
    if (mode === 'report' && (!ids.has(src) || !ids.has(der)))
      problems.push(name + ': reuse-link ' + src + ' -> ' + der + ' names an article not in its story\'s table.outlets');
    if (mode === 'report') {
      const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
      if (!target) { problems.push(name + ': reuse-link href ' + href + ' names no element'); continue; }
      if (!target.matches('.side')) problems.push(name + ': ' + href + ' is not a .side');
      const d = target.closest('details.reuse');
      if (!d) { problems.push(name + ': ' + href + ' is not inside a details.reuse'); continue; }
      if (d.dataset.source !== src || d.dataset.derived !== der)
        problems.push(name + ': ' + href + ' lies in the entry ' + d.dataset.source + ' -> ' + d.dataset.derived + ', the link says ' + src + ' -> ' + der);
      if (d.open && !location.hash) problems.push(name + ': details.reuse for ' + href + ' is open before anything was clicked');
      if (!d.querySelector('summary')) problems.push(name + ': ' + href + ' entry has no summary');
      if (!target.querySelector('.text.source') || !target.querySelector('.text.derived'))
        problems.push(name + ': ' + href + ' has no .text.source and .text.derived');
    } else {
      let u = null;
      try { u = new URL(href, location.href); } catch (e) {}
      if (!u || u.pathname !== '/reuse') { problems.push(name + ': reuse-link does not go to /reuse: ' + href); continue; }
      if (u.searchParams.get('source') !== src || u.searchParams.get('derived') !== der)
        problems.push(name + ': reuse-link ' + href + ' does not carry source=' + src + ' and derived=' + der);
    }
  }
  for (const n of s.querySelectorAll('svg.lineage a.node')) {
    const href = n.getAttribute('href') || n.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '';
    if (!n.dataset.id) problems.push(name + ': lineage node without data-id: ' + say(n));
    else if (mode === 'report' && !ids.has(n.dataset.id)) problems.push(name + ': lineage node ' + n.dataset.id + ' is not in table.outlets');
    if (mode === 'report' && !(href.startsWith('#') && document.getElementById(decodeURIComponent(href.slice(1)))))
      problems.push(name + ': lineage node href ' + href + ' names no element');
  }
}
return problems;
"#;

async fn check_structure(c: &Client, mode: &str, what: &str) {
    check_inert(c, what).await;
    let problems = js(c, STRUCTURE, vec![json!(mode)]).await;
    assert_eq!(
        problems,
        json!([]),
        "{what}: the page does not follow the DOM contract, on {}",
        here(c).await
    );
}

/// Whether the page overflows horizontally, with the widest elements when it does.
const OVERFLOW: &str = r#"
const w = window.innerWidth, wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > w + 1) {
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).join('.');
    wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (cls ? '.' + cls : '') + ' (' + Math.round(r.left) + '..' + Math.round(r.right) + ' px)');
    if (wide.length >= 10) break;
  }
}
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide: wide};
"#;

async fn check_no_overflow(c: &Client, what: &str) {
    let o = js(c, OVERFLOW, vec![]).await;
    let (sw, iw) = (
        o["scrollWidth"].as_f64().unwrap(),
        o["innerWidth"].as_f64().unwrap(),
    );
    assert!(
        iw <= 400.0,
        "{what}: the window did not shrink to phone width (innerWidth {iw})"
    );
    assert!(
        sw <= iw + 1.0,
        "{what}: the page is {sw} px wide in a {iw} px window on {}; elements past the right \
         edge: {:#}",
        here(c).await,
        o["wide"]
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile articles: `tests/data/xss/articles.jsonl` holds a news report (`xss/original`) and a
// near-verbatim copy of it, a day later, with a hostile id. Payloads 1, 2, 3, 6 and 7 are in
// both texts (in the same sentences, so inside the marked passages), 1 and 2 in the titles, 4
// is the original's URL (the copy's URL carries a `<script>` in its query), 5 the original's
// outlet, 7 the copy's.

const PAYLOADS: [&str; 7] = [
    "<script>window.__xss=1</script>",
    "\"><img src=x onerror=\"window.__xss=2\">",
    "<a href=\"javascript:window.__xss=3\">click</a>",
    "javascript:window.__xss=4",
    "\"><svg onload=window.__xss=5>",
    "</textarea><script>window.__xss=6</script>",
    "'><iframe src=javascript:window.__xss=7>",
];
/// The payloads in the articles' text (and so in every side-by-side and article page).
const TEXT_PAYLOADS: [usize; 5] = [0, 1, 2, 5, 6];
/// The hostile id of the copy in `tests/data/xss/articles.jsonl`.
const XSS_COPY_ID: &str = "xss/copy?x=1&derived=y#\"><b>id</b>";
const XSS_ORIGINAL_ID: &str = "xss/original";

/// What a page holds that could run script, and its text.
const PROBE: &str = r#"
const bad = [];
const scheme = /^(javascript|vbscript|data:text\/html)/;
for (const el of document.querySelectorAll('*')) {
  const tag = el.tagName.toLowerCase();
  if (['script', 'iframe', 'frame', 'object', 'embed', 'base'].includes(tag)) bad.push('a <' + tag + '> element: ' + el.outerHTML.slice(0, 120));
  if (tag === 'meta' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh') bad.push('a meta refresh: ' + el.outerHTML.slice(0, 120));
  for (const a of el.attributes) {
    const name = a.name.toLowerCase();
    const value = a.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
    if (name.startsWith('on')) bad.push('an event handler attribute ' + a.name + ' on <' + tag + '>: ' + a.value.slice(0, 80));
    else if (name === 'srcdoc') bad.push('a srcdoc attribute on <' + tag + '>');
    else if (['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'poster', 'background'].includes(name) && scheme.test(value))
      bad.push('a script URL in ' + a.name + ' of <' + tag + '>: ' + a.value.slice(0, 80));
  }
}
return {
  xss: window.__xss === undefined ? null : String(window.__xss),
  scripts: document.querySelectorAll('script').length,
  iframes: document.querySelectorAll('iframe').length,
  handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  js_links: document.querySelectorAll('a[href^="javascript:" i]').length,
  bad: bad,
  text: document.body ? document.body.innerText : '',
  content: document.documentElement.textContent,
};
"#;

/// `check_inert`, and the page shows a hostile string and VISIBLE as text (its `innerText`)
/// and holds CONTAINED as text (`textContent`, also in closed entries).
async fn check_safe(c: &Client, what: &str, visible: &[&str], contained: &[&str]) {
    let p = check_inert(c, what).await;
    let page = here(c).await;
    let text = p["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("window.__xss="),
        "{what}: no hostile string shows as text on {page}"
    );
    for s in visible {
        assert!(
            text.contains(s),
            "{what}: {s:?} does not show as text on {page}"
        );
    }
    let content = p["content"].as_str().unwrap_or_default();
    for s in contained {
        assert!(
            content.contains(s),
            "{what}: {s:?} is not in the text of {page}"
        );
    }
}

/// Nothing on the page ran script (`window.__xss` unset, no dialog), and nothing in it can: no
/// script, frame or event handler, no `javascript:` URL. Returns what PROBE found.
async fn check_inert(c: &Client, what: &str) -> Value {
    let page = here(c).await;
    no_dialog(c, &page).await;
    // An image's onerror fires once the image fails to load: let the page settle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_dialog(c, &page).await;
    let p = js(c, PROBE, vec![]).await;
    assert!(
        p["xss"].is_null(),
        "{what}: a payload ran on {page} (window.__xss = {})",
        p["xss"]
    );
    for (key, thing) in [
        ("scripts", "script elements"),
        ("iframes", "iframe elements"),
        ("handlers", "elements with onerror/onload/onclick"),
        ("js_links", "a[href^=\"javascript:\"] links"),
    ] {
        assert_eq!(
            p[key],
            json!(0),
            "{what}: {thing} on {page}: {:#}",
            p["bad"]
        );
    }
    assert_eq!(
        p["bad"],
        json!([]),
        "{what}: what could run script on {page}"
    );
    p
}

// ---------------------------------------------------------------------------------------------
// `newstrace serve`.

/// A `newstrace serve` of our own, killed when dropped.
struct Serve {
    child: Child,
    base: url::Url,
    dir: tempfile::TempDir,
}

impl Serve {
    fn start(db: &Path) -> Serve {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let log = dir.path().join("serve.log");
        let mut child = Command::new(bin())
            .args(["serve", "--db"])
            .arg(db)
            .args(["--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("newstrace serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            for _ in lines {} // keep the pipe drained
        });
        let mut serve = Serve {
            child,
            base: url::Url::parse("http://127.0.0.1/").unwrap(),
            dir,
        };
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Some(Ok(line))) => line,
            other => panic!(
                "newstrace serve --db {} printed no `listening on` line ({other:?}); stderr:\n{}",
                db.display(),
                serve.log()
            ),
        };
        let addr = line.strip_prefix("listening on ").unwrap_or_else(|| {
            panic!("newstrace serve's first line is {line:?}, not `listening on http://127.0.0.1:PORT`")
        });
        serve.base = url::Url::parse(addr)
            .ok()
            .filter(|u| {
                u.scheme() == "http"
                    && u.host_str() == Some("127.0.0.1")
                    && u.port().is_some_and(|p| p != 0)
            })
            .unwrap_or_else(|| {
                panic!("newstrace serve's first line is {line:?}, not `listening on http://127.0.0.1:PORT`")
            });
        serve
    }

    fn log(&self) -> String {
        tail(&self.dir.path().join("serve.log"))
    }

    /// The URL of PATH with these query parameters, URL-encoded.
    fn url(&self, path: &str, params: &[(&str, &str)]) -> String {
        let mut u = self.base.join(path).expect("a path");
        if !params.is_empty() {
            u.query_pairs_mut().extend_pairs(params);
        }
        u.to_string()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            eprintln!(
                "newstrace serve had exited ({status}); stderr:\n{}",
                self.log()
            );
        } else if std::thread::panicking() {
            eprintln!("newstrace serve's stderr:\n{}", self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Index PATHS into a fresh store and serve it.
fn serve(paths: &[&Path], dir: &Path) -> Serve {
    let db = dir.join("news.db");
    let mut args: Vec<&std::ffi::OsStr> = vec!["index".as_ref(), "add".as_ref()];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    args.extend(["--db".as_ref(), db.as_os_str()]);
    newstrace(&args);
    Serve::start(&db)
}

/// From `/`, follow the first story link whose story has a reuse link; returns that story
/// page's URL.
async fn open_story_with_reuse(c: &Client, app: &Serve, what: &str) -> String {
    let home = app.url("/", &[]);
    goto(c, &home).await;
    let mut hrefs = Vec::new();
    for a in find_all(c, "a.story-link").await {
        hrefs.push(attr(&a, "href").await);
    }
    assert!(!hrefs.is_empty(), "{what}: no a.story-link on {home}");
    let mut with_reuse = None;
    for href in &hrefs {
        let u = app.base.join(href).expect("a story link");
        assert_eq!(
            u.path(),
            "/story",
            "{what}: a.story-link href {href} on {home} is not /story?id=N"
        );
        goto(c, u.as_str()).await;
        if !find_all(c, "a.reuse-link").await.is_empty() {
            with_reuse = Some(href.clone());
            break;
        }
    }
    let href = with_reuse
        .unwrap_or_else(|| panic!("{what}: none of the stories {hrefs:?} has an a.reuse-link"));
    goto(c, &home).await;
    let link = c
        .find(Locator::Css(&format!(
            "a.story-link[href=\"{}\"]",
            href.replace('\\', "\\\\").replace('"', "\\\"")
        )))
        .await
        .expect("the story link again");
    click(c, &link, "the story link").await;
    wait_path(c, "/story", &format!("{what}: after clicking a story link")).await;
    here(c).await
}

/// On a story or article page, click the first reuse link and check the reuse page it opens.
async fn follow_reuse_link(c: &Client, what: &str) -> (String, String) {
    let from = here(c).await;
    let link = find_all(c, "a.reuse-link")
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{what}: no a.reuse-link on {from}"));
    let (source, derived) = (
        attr(&link, "data-source").await,
        attr(&link, "data-derived").await,
    );
    click(c, &link, "a reuse link").await;
    let u = wait_path(
        c,
        "/reuse",
        &format!("{what}: after clicking a.reuse-link on {from}"),
    )
    .await;
    assert_eq!(
        (query(&u, "source"), query(&u, "derived")),
        (Some(source.clone()), Some(derived.clone())),
        "{what}: the reuse page {u} is not the link's pair"
    );
    let entries = find_all(c, "details.reuse").await;
    assert_eq!(
        entries.len(),
        1,
        "{what}: {u} should hold one details.reuse"
    );
    let e = &entries[0];
    assert!(
        e.attr("open").await.ok().flatten().is_some(),
        "{what}: the details.reuse on {u} is not open"
    );
    assert_eq!(
        (attr(e, "data-source").await, attr(e, "data-derived").await),
        (source.clone(), derived.clone()),
        "{what}: the details.reuse on {u} is of another pair"
    );
    check_side(c, "details.reuse .side", what).await;
    (source, derived)
}

/// Fills the trace form (text by script, as a paste; the short fields by typing) and submits
/// it; returns which of `section.found` / `p.nothing` the result page has.
async fn submit_trace(
    c: &Client,
    app: &Serve,
    text: &str,
    fields: &[(&str, &str)],
    file: Option<&Path>,
    what: &str,
) -> &'static str {
    let url = app.url("/trace", &[]);
    goto(c, &url).await;
    let form = c
        .find(Locator::Css("form#trace"))
        .await
        .unwrap_or_else(|_| panic!("{what}: no form#trace on {url}"));
    let form_attrs = js(
        c,
        "const f = arguments[0]; return [f.method, new URL(f.action).pathname, f.enctype];",
        vec![serde_json::to_value(&form).unwrap()],
    )
    .await;
    assert_eq!(
        form_attrs,
        json!(["post", "/trace", "multipart/form-data"]),
        "{what}: form#trace on {url} is not method=post action=/trace enctype=multipart/form-data"
    );
    for css in [
        "textarea[name=text]",
        "input[name=title]",
        "input[name=url]",
        "input[name=outlet]",
        "input[type=file][name=file]",
        "button[type=submit]",
    ] {
        assert!(
            !find_all(c, &format!("form#trace {css}")).await.is_empty(),
            "{what}: no {css} in form#trace on {url}"
        );
    }
    let textarea = c
        .find(Locator::Css("form#trace textarea[name=text]"))
        .await
        .unwrap();
    js(
        c,
        "arguments[0].value = arguments[1];",
        vec![serde_json::to_value(&textarea).unwrap(), json!(text)],
    )
    .await;
    for (name, value) in fields {
        let input = c
            .find(Locator::Css(&format!("form#trace input[name={name}]")))
            .await
            .unwrap();
        input
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("{what}: cannot type into input[name={name}]: {e}"));
    }
    if let Some(file) = file {
        let input = c
            .find(Locator::Css("form#trace input[type=file][name=file]"))
            .await
            .unwrap();
        input
            .send_keys(&file.display().to_string())
            .await
            .unwrap_or_else(|e| panic!("{what}: cannot choose {} to upload: {e}", file.display()));
    }
    let button = c
        .find(Locator::Css("form#trace button[type=submit]"))
        .await
        .unwrap();
    click(c, &button, "the trace form's submit button").await;
    check_inert(c, &format!("{what}: the result page")).await;
    let found = wait_any(
        c,
        &["section.found", "p.nothing"],
        &format!("{what}: the trace result"),
    )
    .await;
    if found == "section.found" {
        "section.found"
    } else {
        "p.nothing"
    }
}

/// A search result's link to its article (a result may hold other links, e.g. the article's
/// own URL).
const RESULT_LINK: &str = "ol.results li.result a[href*=\"/article?\"]";

/// The article ids of the search results on this page; every `li.result` must link to
/// `/article?id=..`.
async fn result_article_ids(c: &Client, what: &str) -> Vec<String> {
    let found = js(
        c,
        "return [...document.querySelectorAll('ol.results li.result')].map(li =>
           [...li.querySelectorAll('a')].map(a => new URL(a.getAttribute('href'), location.href))
             .filter(u => u.origin === location.origin && u.pathname === '/article')
             .map(u => u.searchParams.get('id'))[0] ?? null);",
        vec![],
    )
    .await;
    let ids: Vec<Option<String>> = serde_json::from_value(found).expect("a list");
    let page = here(c).await;
    assert!(!ids.is_empty(), "{what}: no ol.results li.result on {page}");
    ids.into_iter()
        .enumerate()
        .map(|(n, id)| {
            id.unwrap_or_else(|| {
                panic!(
                    "{what}: result {} on {page} has no link to /article?id=..",
                    n + 1
                )
            })
        })
        .collect()
}

/// An article file's text without its leading `http(s)://` URL line: (url, text).
fn article_file(path: &Path) -> (String, String) {
    let raw = std::fs::read_to_string(path).expect("an article file");
    match raw.split_once("\n\n") {
        Some((first, rest)) if first.starts_with("http") && !first.contains('\n') => {
            (first.to_string(), rest.to_string())
        }
        _ => (String::new(), raw),
    }
}

// ---------------------------------------------------------------------------------------------
// The parts.

/// `analyze examples/corpus --html`: a reuse link opens its entry; the same by keyboard; phone
/// width.
async fn report(c: Client) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let html = dir.path().join("report.html");
    newstrace(&[
        "analyze".as_ref(),
        repo("examples/corpus").as_os_str(),
        "--html".as_ref(),
        html.as_os_str(),
    ]);
    let url = file_url(&html);
    set_size(&c, 1280, 900).await;
    reload(&c, &url).await;
    check_structure(&c, "report", "report").await;

    // Click a reuse link: its entry opens at the side-by-side.
    let link = find_all(&c, "a.reuse-link")
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("report: no a.reuse-link on {url}"));
    let href = attr(&link, "href").await;
    let side = format!(
        "[id=\"{}\"]",
        href.strip_prefix('#')
            .unwrap_or_else(|| panic!("report: reuse-link href {href:?} is not #r{{k}}"))
    );
    click(&c, &link, "a reuse link").await;
    check_side(&c, &side, "report, after clicking a reuse link").await;
    js(
        &c,
        "document.querySelector(arguments[0]).closest('details.reuse').scrollIntoView();",
        vec![json!(side)],
    )
    .await;
    let open = js(
        &c,
        "const d = document.querySelector(arguments[0]).closest('details.reuse'); return d.open;",
        vec![json!(side)],
    )
    .await;
    assert_eq!(
        open,
        json!(true),
        "report: the entry of {href} did not open on {url}"
    );
    shot(&c, "report-reuse.png").await;

    // Keyboard alone: Tab from the top (the skip link first) to a reuse link, then Enter.
    reload(&c, &url).await;
    assert!(
        displayed(&c, &side).await.is_none(),
        "report: the side-by-side {side} shows before anything was clicked, on {url}"
    );
    const ACTIVE: &str = "const a = document.activeElement;
        return a ? {tag: a.tagName.toLowerCase(), class: a.getAttribute('class') || '',
                    href: a.getAttribute('href') || ''} : null;";
    let mut reached = None;
    for press_no in 1..=300 {
        press(&c, Key::Tab).await;
        let a = js(&c, ACTIVE, vec![]).await;
        let classes: Vec<&str> = a["class"]
            .as_str()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        if press_no == 1 {
            assert!(
                a["tag"] == "a" && classes.contains(&"skip"),
                "report: the first Tab should focus a.skip, it focused {a} on {url}"
            );
        }
        if a["tag"] == "a" && classes.contains(&"reuse-link") {
            reached = Some(a["href"].as_str().unwrap_or("").to_string());
            break;
        }
    }
    let href = reached.unwrap_or_else(|| {
        panic!("report: 300 Tab presses never focused an a.reuse-link on {url}")
    });
    let side = format!("[id=\"{}\"]", href.trim_start_matches('#'));
    press(&c, Key::Enter).await;
    check_side(&c, &side, "report, after Enter on a focused reuse link").await;
    shot(&c, "report-keyboard.png").await;

    // Phone width: no horizontal overflow, at the top and with the entry open.
    set_size(&c, 390, 844).await;
    reload(&c, &url).await;
    check_no_overflow(&c, "report at 390 px").await;
    shot(&c, "report-phone.png").await;
    reload(&c, &format!("{url}{href}")).await;
    check_side(&c, &side, "report at 390 px, an entry open").await;
    check_no_overflow(&c, "report at 390 px with an entry open").await;
    shot(&c, "report-phone-reuse.png").await;
    set_size(&c, 1280, 900).await;
}

/// `serve` over the demo corpus: home, story, reuse, search, article, trace.
async fn app(c: Client) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let app = serve(&[&repo("examples/corpus")], dir.path());
    set_size(&c, 1280, 900).await;

    // Home: the search form, the story list, the trace link.
    let home = app.url("/", &[]);
    goto(&c, &home).await;
    let form = js(
        &c,
        "const f = document.querySelector('form#search');
         return f && [f.method, new URL(f.action).pathname,
                      !!f.querySelector('[name=q]'), !!f.querySelector('[name=outlet]')];",
        vec![],
    )
    .await;
    assert_eq!(
        form,
        json!(["get", "/search", true, true]),
        "app: form#search on {home} should be GET /search with inputs q and outlet"
    );
    let trace = c
        .find(Locator::Css("a#trace-link"))
        .await
        .unwrap_or_else(|_| panic!("app: no a#trace-link on {home}"));
    assert_eq!(
        app.base
            .join(&attr(&trace, "href").await)
            .map(|u| u.path().to_string())
            .ok(),
        Some("/trace".to_string()),
        "app: a#trace-link on {home} does not go to /trace"
    );
    wait_displayed(&c, "a.story-link", "app: the story list").await;
    check_inert(&c, "app: home").await;
    shot(&c, "app-home.png").await;

    // A story with reuse, then its reuse page.
    open_story_with_reuse(&c, &app, "app").await;
    check_structure(&c, "app", "app: story page").await;
    wait_displayed(
        &c,
        "section.story svg.lineage",
        "app: the story's lineage graph",
    )
    .await;
    shot(&c, "app-story.png").await;
    follow_reuse_link(&c, "app: reuse page from a story").await;
    shot(&c, "app-reuse.png").await;

    // Search from the home page's form, then an article from the results.
    goto(&c, &home).await;
    let q = c
        .find(Locator::Css("form#search input[name=q]"))
        .await
        .expect("the search box");
    q.send_keys(&format!("Qeshm{}", Key::Enter))
        .await
        .expect("typing a search");
    let results_url = wait_path(
        &c,
        "/search",
        "app: typing Qeshm and Enter in form#search [name=q] should submit the search (a form \
         with two text fields submits on Enter only if it has a submit button)",
    )
    .await;
    assert_eq!(
        query(&results_url, "q").as_deref(),
        Some("Qeshm"),
        "app: the search page {results_url} is not for q=Qeshm"
    );
    wait_displayed(&c, RESULT_LINK, "app: search results for Qeshm").await;
    let result_ids = result_article_ids(&c, "app").await;
    assert!(
        result_ids.iter().any(|id| id.starts_with("quake-2008/")),
        "app: the 2008 Qeshm reports are not among the results {result_ids:?} on {results_url}"
    );
    shot(&c, "app-search.png").await;
    let first = c.find(Locator::Css(RESULT_LINK)).await.unwrap();
    click(&c, &first, "the first search result").await;
    let article_url = wait_path(&c, "/article", "app: after clicking a search result").await;
    let text = wait_displayed(&c, ".article-text", "app: the article's text").await;
    let text = text.text().await.unwrap_or_default();
    assert!(
        text.to_lowercase().contains("qeshm"),
        "app: the article {article_url} found for Qeshm does not say Qeshm"
    );
    let nothing = app.url("/search", &[("q", "zqxjvwk"), ("outlet", "")]);
    goto(&c, &nothing).await;
    wait_displayed(&c, "p.nothing", "app: a search that finds nothing").await;
    assert!(
        find_all(&c, "ol.results li.result").await.is_empty(),
        "app: results for a word in no article, on {nothing}"
    );

    // An article with reuse: its lineage and a reuse link to its reuse page.
    let original = app.url("/article", &[("id", "quake-2005/original-usatoday")]);
    goto(&c, &original).await;
    wait_displayed(&c, ".article-text", "app: the article's text").await;
    wait_displayed(&c, "svg.lineage", "app: the article's lineage graph").await;
    shot(&c, "app-article.png").await;
    follow_reuse_link(&c, "app: reuse page from an article").await;

    // Trace: a pasted article whose copies are stored, then the same by file upload.
    goto(&c, &home).await;
    let trace = c.find(Locator::Css("a#trace-link")).await.unwrap();
    click(&c, &trace, "a#trace-link").await;
    wait_path(&c, "/trace", "app: after clicking a#trace-link").await;
    wait_displayed(&c, "form#trace textarea[name=text]", "app: the trace form").await;
    shot(&c, "app-trace.png").await;
    let (url, text) = article_file(&repo("examples/corpus/quake-2005/original-usatoday.txt"));
    let got = submit_trace(
        &c,
        &app,
        &text,
        &[
            ("title", "Strong earthquake jolts southern Iran"),
            ("url", &url),
            ("outlet", "pasted by the test"),
        ],
        None,
        "app: trace of a pasted article",
    )
    .await;
    assert_eq!(
        got,
        "section.found",
        "app: tracing the text of quake-2005/original-usatoday found nothing on {}",
        here(&c).await
    );
    check_side(
        &c,
        "section.found details.reuse[open] .side",
        "app: trace of a pasted article",
    )
    .await;
    shot(&c, "app-trace-result.png").await;
    let spin = repo("examples/corpus/quake-2005/spin-worldnewshub24.txt");
    let got = submit_trace(
        &c,
        &app,
        "",
        &[],
        Some(&spin),
        "app: trace of an uploaded file",
    )
    .await;
    assert_eq!(
        got,
        "section.found",
        "app: tracing the uploaded {} found nothing on {}",
        spin.display(),
        here(&c).await
    );
    check_side(
        &c,
        "section.found details.reuse[open] .side",
        "app: trace of an uploaded file",
    )
    .await;
}

/// Hostile articles in the report and in every page of the app.
async fn xss(c: Client) {
    let data = repo("tests/data/xss");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let all_text: Vec<&str> = TEXT_PAYLOADS.iter().map(|&i| PAYLOADS[i]).collect();
    let text_and_outlets: Vec<&str> = all_text
        .iter()
        .copied()
        .chain([PAYLOADS[4], PAYLOADS[6]])
        .collect();
    set_size(&c, 1280, 900).await;

    // The report: as loaded, then with the entry open.
    let html = dir.path().join("xss.html");
    newstrace(&[
        "analyze".as_ref(),
        data.as_os_str(),
        "--html".as_ref(),
        html.as_os_str(),
    ]);
    let url = file_url(&html);
    reload(&c, &url).await;
    check_safe(&c, "xss: report", &[PAYLOADS[0]], &text_and_outlets).await;
    check_structure(&c, "report", "xss: report").await;
    let link = find_all(&c, "a.reuse-link")
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("xss: no a.reuse-link on {url}"));
    let href = attr(&link, "href").await;
    click(&c, &link, "a reuse link").await;
    let side = format!("[id=\"{}\"]", href.trim_start_matches('#'));
    check_side(&c, &side, "xss: report").await;
    check_safe(&c, "xss: report with the entry open", &all_text, &[]).await;

    // The app: home, story, reuse, articles, search, trace.
    let app = serve(&[&data], dir.path());
    let home = app.url("/", &[]);
    goto(&c, &home).await;
    check_safe(&c, "xss: app home", &[PAYLOADS[0]], &[]).await;
    open_story_with_reuse(&c, &app, "xss: app").await;
    check_safe(
        &c,
        "xss: app story",
        &[PAYLOADS[0]],
        &[PAYLOADS[4], PAYLOADS[6]],
    )
    .await;
    check_structure(&c, "app", "xss: app story").await;
    let (source, derived) = follow_reuse_link(&c, "xss: app reuse page").await;
    assert_eq!(
        (source.as_str(), derived.as_str()),
        (XSS_ORIGINAL_ID, XSS_COPY_ID),
        "xss: the reuse page is not original -> copy (the ids must survive URL encoding)"
    );
    check_safe(&c, "xss: app reuse page", &all_text, &[]).await;
    for (id, says) in [
        (
            XSS_ORIGINAL_ID,
            "Police confirmed they had received a report",
        ),
        (XSS_COPY_ID, "The Riverton Courier has asked the council"),
    ] {
        let article = app.url("/article", &[("id", id)]);
        goto(&c, &article).await;
        let text = wait_displayed(&c, ".article-text", "xss: the article's text").await;
        assert!(
            text.text().await.unwrap_or_default().contains(says),
            "xss: {article} is not the article {id:?}"
        );
        check_safe(&c, &format!("xss: app article {id}"), &all_text, &[]).await;
    }
    let search = app.url("/search", &[("q", "script")]);
    goto(&c, &search).await;
    wait_displayed(&c, RESULT_LINK, "xss: search results for `script`").await;
    result_article_ids(&c, "xss: search for `script`").await;
    check_safe(&c, "xss: app search", &[], &[]).await;
    let first = c.find(Locator::Css(RESULT_LINK)).await.unwrap();
    click(&c, &first, "a search result").await;
    wait_path(&c, "/article", "xss: after clicking a search result").await;
    check_safe(&c, "xss: app article from search", &all_text, &[]).await;

    // Trace: the copy's hostile text pasted, a hostile title typed.
    let copy: Value = std::fs::read_to_string(data.join("articles.jsonl"))
        .expect("the xss articles")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSONL"))
        .find(|a| a["id"] == XSS_COPY_ID)
        .expect("the copy in tests/data/xss/articles.jsonl");
    let text = copy["text"].as_str().unwrap();
    let got = submit_trace(
        &c,
        &app,
        text,
        &[("title", PAYLOADS[5]), ("outlet", PAYLOADS[4])],
        None,
        "xss: trace",
    )
    .await;
    assert_eq!(
        got,
        "section.found",
        "xss: tracing the copy's text found nothing on {}",
        here(&c).await
    );
    check_side(&c, "section.found details.reuse[open] .side", "xss: trace").await;
    check_safe(&c, "xss: trace result", &all_text, &[]).await;
}

/// `analyze ../shared/seeds --html`: the story, and the Reuters rewrite side by side.
async fn seeds(c: Client) {
    let seeds = repo("../shared/seeds");
    if !seeds.exists() {
        eprintln!(
            "skipping the seeds screenshots: {} is absent",
            seeds.display()
        );
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let html = dir.path().join("seeds.html");
    newstrace(&[
        "analyze".as_ref(),
        seeds.as_os_str(),
        "--html".as_ref(),
        html.as_os_str(),
    ]);
    let url = file_url(&html);
    set_size(&c, 1280, 900).await;
    reload(&c, &url).await;
    check_structure(&c, "report", "seeds").await;
    let link_css = "a.reuse-link[data-source^=\"001_\"][data-derived^=\"000_\"]";
    let story = c
        .find(Locator::Css(&format!("section.story:has({link_css})")))
        .await
        .unwrap_or_else(|_| panic!("seeds: no section.story with an {link_css} on {url}"));
    shot_element(&c, &story, "seeds-story.png").await;
    let link = c.find(Locator::Css(link_css)).await.unwrap();
    let (source, derived) = (
        attr(&link, "data-source").await,
        attr(&link, "data-derived").await,
    );
    let href = attr(&link, "href").await;
    click(&c, &link, "the 001_ -> 000_ reuse link").await;
    let side = format!("[id=\"{}\"]", href.trim_start_matches('#'));
    check_side(&c, &side, "seeds: 001_ -> 000_").await;
    let entry = c
        .find(Locator::Css(&format!(
            "details.reuse[data-source=\"{source}\"][data-derived=\"{derived}\"]"
        )))
        .await
        .unwrap_or_else(|_| panic!("seeds: no details.reuse for {source} -> {derived} on {url}"));
    shot_element(&c, &entry, "seeds-001-000.png").await;
}

// ---------------------------------------------------------------------------------------------

fn panic_message(e: tokio::task::JoinError) -> String {
    if e.is_cancelled() {
        return "cancelled".into();
    }
    let payload = e.into_panic();
    if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else {
        "panicked".into()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_in_a_real_browser() {
    let only = std::env::var("NEWSTRACE_BROWSER_PARTS").unwrap_or_default();
    let only: Vec<&str> = only
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    for name in &only {
        assert!(
            PARTS.contains(name),
            "NEWSTRACE_BROWSER_PARTS: no part {name:?} (parts: {PARTS:?})"
        );
    }
    let Some((mut driver, c)) = browser().await else {
        return;
    };
    let mut failures = Vec::new();
    for name in PARTS {
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        let start = Instant::now();
        let mut task = match name {
            "report" => tokio::spawn(report(c.clone())),
            "app" => tokio::spawn(app(c.clone())),
            "xss" => tokio::spawn(xss(c.clone())),
            _ => tokio::spawn(seeds(c.clone())),
        };
        let failure = match tokio::time::timeout(PART_LIMIT, &mut task).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(panic_message(e)),
            Err(_) => {
                task.abort();
                Some(format!("took over {} s", PART_LIMIT.as_secs()))
            }
        };
        let secs = start.elapsed().as_secs_f64();
        match failure {
            None => eprintln!("browser: {name} passed ({secs:.1} s)"),
            Some(why) => {
                // What the browser showed when it failed, for whoever reads the failure.
                let _ = c.dismiss_alert().await;
                let page = here(&c).await;
                if let Ok(png) = c.screenshot().await {
                    save_png(&format!("failed-{name}.png"), &png, false);
                }
                eprintln!("browser: {name} FAILED ({secs:.1} s) on {page}: {why}");
                failures.push(format!(
                    "[{name}] {why}\n  (last page {page}; screenshot target/screenshots/failed-{name}.png)"
                ));
            }
        }
    }
    let _ = c.close().await;
    driver.session = None;
    drop(driver);
    assert!(
        failures.is_empty(),
        "browser tests failed:\n{}",
        failures.join("\n")
    );
}
