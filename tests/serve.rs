//! `newstrace serve` over a real store: the JSON API and the pages, spoken to over real HTTP
//! on loopback (a plain HTTP/1.1 client on a TCP socket, so nothing in between hides what the
//! server sends). The browser test (tests/browser.rs) clicks through the same app.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A running `newstrace serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(corpus: &Path) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let out = Command::new(env!("CARGO_BIN_EXE_newstrace"))
        .args(["index", "add"])
        .arg(corpus)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_newstrace"))
        .arg("serve")
        .arg("--db")
        .arg(&db)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .parse()
        .unwrap();
    Server {
        child,
        port,
        _dir: dir,
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn request(s: &Server, method: &str, path: &str, host: &str, body: &[u8]) -> Reply {
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(
        c,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    c.write_all(body).unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a whole HTTP reply");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

fn get(s: &Server, path: &str) -> Reply {
    request(s, "GET", path, &format!("127.0.0.1:{}", s.port), b"")
}

#[test]
fn api_and_pages_over_the_demo_store() {
    let s = start(&repo("examples/corpus"));

    let stats = get(&s, "/api/stats").json();
    assert_eq!(stats["articles"], 9);

    let stories = get(&s, "/api/stories").json();
    let list = stories["stories"].as_array().unwrap();
    assert!(!list.is_empty());
    let sizes: Vec<i64> = list.iter().map(|x| x["size"].as_i64().unwrap()).collect();
    assert!(
        sizes.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {sizes:?}"
    );
    let biggest = list[0]["id"].as_str().unwrap().to_string();

    // The 2005 story: the original, its copies and the spin, with reuse between them.
    let story = get(&s, &format!("/api/story?id={biggest}")).json();
    assert_eq!(story["id"], biggest.as_str());
    let docs = story["documents"].as_array().unwrap();
    assert_eq!(docs.len() as i64, story["size"].as_i64().unwrap());
    let reuse = story["reuse"].as_array().unwrap();
    let spin = reuse
        .iter()
        .find(|r| r["derived"] == "quake-2005/spin-worldnewshub24" && r["relation"] == "spin")
        .expect("the spin is in its story's reuse");
    let source = spin["source"].as_str().unwrap();

    // Its lineage from the original's side.
    let art = get(&s, "/api/article?id=quake-2005%2Foriginal-usatoday").json();
    assert_eq!(art["id"], "quake-2005/original-usatoday");
    assert!(art["reuse"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["source"] == "quake-2005/original-usatoday"));

    // One entry with both texts; passages point inside them.
    let pair = get(
        &s,
        &format!(
            "/api/reuse?source={}&derived=quake-2005%2Fspin-worldnewshub24",
            source.replace('/', "%2F")
        ),
    )
    .json();
    assert_eq!(pair["documents"].as_array().unwrap().len(), 2);
    let entry = &pair["reuse"][0];
    assert_eq!(entry["relation"], "spin");
    assert!(!entry["passages"].as_array().unwrap().is_empty());

    // The same entry as a page: side by side, marks, word differences, no script.
    let page = get(
        &s,
        &format!(
            "/reuse?source={}&derived=quake-2005%2Fspin-worldnewshub24",
            source.replace('/', "%2F")
        ),
    );
    assert_eq!(page.status, 200);
    assert!(page
        .headers
        .contains("content-security-policy: default-src 'none'"));
    assert!(page.body.contains("class=\"side\"") && page.body.contains("<mark class=\"spun\""));
    assert!(page.body.contains("<ins>") && page.body.contains("<del>"));
    assert!(!page.body.contains("<script"));

    // Search by word and by outlet; hostile query text is plain words.
    let hits = get(&s, "/api/search?q=Dargahan").json();
    let ids: Vec<&str> = hits["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.is_empty() && ids.iter().all(|i| i.starts_with("quake-2008/")),
        "{ids:?}"
    );
    for q in [
        "%22",
        "NEAR(",
        "a%20OR%20b",
        "%27%3B%20DROP%20TABLE%20articles",
        "*",
    ] {
        let r = get(&s, &format!("/api/search?q={q}"));
        assert_eq!(r.status, 200, "search {q}: {}", r.body);
    }
    let page = get(&s, "/search?q=earthquake");
    assert!(page.body.contains("class=\"result\""), "{}", page.body);

    // Trace: a JSONL article that repeats the 2008 report is found to take from it.
    let stored = get(&s, "/api/article?id=quake-2008%2Freport-dargahan").json();
    let text = stored["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "quake-2008/report-dargahan")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let line = serde_json::json!({"id": "pasted", "text": format!("{text}\n\nWe add our own closing remark here, in a paragraph of our own.")});
    let traced = request(
        &s,
        "POST",
        "/api/trace",
        &format!("127.0.0.1:{}", s.port),
        format!("{line}\n").as_bytes(),
    );
    assert_eq!(traced.status, 200, "{}", traced.body);
    let t = traced.json();
    assert_eq!(t["results"][0]["id"], "pasted");
    assert!(t["results"][0]["reuse"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["source"] == "quake-2008/report-dargahan" && r["derived"] == "pasted"));

    // Errors: one line, the right status, JSON under /api/.
    let missing = get(&s, "/api/article?id=nope");
    assert_eq!(missing.status, 404);
    assert!(missing.json()["error"].as_str().unwrap().contains("nope"));
    assert_eq!(get(&s, "/story?id=banana").status, 400);
    assert_eq!(get(&s, "/no/such/page").status, 404);
    let empty = request(
        &s,
        "POST",
        "/api/trace",
        &format!("127.0.0.1:{}", s.port),
        b"",
    );
    assert_eq!(empty.status, 400, "{}", empty.body);
    let junk = request(
        &s,
        "POST",
        "/api/trace",
        &format!("127.0.0.1:{}", s.port),
        b"{not json\n",
    );
    assert_eq!(junk.status, 400, "{}", junk.body);

    // Bound to loopback, it refuses requests addressed to another host (DNS rebinding).
    let other = request(&s, "GET", "/api/stats", "evil.example:80", b"");
    assert_eq!(other.status, 421);

    // Nothing is served outside the app's routes: no file, however the path is spelled.
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/story/../../Cargo.toml",
        "/static/../../src/main.rs",
        "/api/../../etc/passwd",
        "//etc/passwd",
        "/article/..%5c..%5cwindows",
    ] {
        let r = get(&s, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            !r.body.contains("root:") && !r.body.contains("[package]"),
            "{path}"
        );
    }

    // A body over the limit (5 MiB by default) is refused with 413, as JSON or as a form.
    let big = vec![b'x'; 6 << 20];
    let host = format!("127.0.0.1:{}", s.port);
    let r = request(&s, "POST", "/api/trace", &host, &big);
    assert_eq!(r.status, 413, "{}", r.body);
    let mut form = b"--B\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n".to_vec();
    form.extend_from_slice(&big);
    form.extend_from_slice(b"\r\n--B--\r\n");
    let r = request_typed(&s, "/trace", "multipart/form-data; boundary=B", &form);
    assert_eq!(r.status, 413, "{}", r.body);
    // The server is still there.
    assert_eq!(get(&s, "/api/stats").status, 200);
}

fn request_typed(s: &Server, path: &str, content_type: &str, body: &[u8]) -> Reply {
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(
        c,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: {content_type}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        s.port,
        body.len()
    )
    .unwrap();
    // The server may answer 413 and close before the whole body is sent.
    let _ = c.write_all(body);
    let mut raw = Vec::new();
    let _ = c.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    Reply {
        status: head
            .split(' ')
            .nth(1)
            .and_then(|x| x.parse().ok())
            .unwrap_or(0),
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

#[test]
fn requests_in_parallel_all_answer() {
    let s = start(&repo("examples/corpus"));
    let port = s.port;
    let threads: Vec<_> = (0..16)
        .map(|i| {
            std::thread::spawn(move || {
                let paths = ["/", "/api/stories", "/story?id=1", "/search?q=quake", "/api/article?id=quake-2005%2Foriginal-usatoday"];
                let mut bad = Vec::new();
                for k in 0..20 {
                    let path = paths[(i + k) % paths.len()];
                    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    write!(c, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
                    let mut raw = Vec::new();
                    c.read_to_end(&mut raw).unwrap();
                    if !raw.starts_with(b"HTTP/1.1 200") {
                        bad.push(path);
                    }
                }
                bad
            })
        })
        .collect();
    let bad: Vec<&str> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(bad.is_empty(), "failed: {bad:?}");
}
