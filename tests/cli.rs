//! End-to-end tests: the real `newstrace` binary on real files, checked against the contract
//! (`contract/analyze.schema.json`) and the expectations the data sets come with.
//! Tests that need `../shared` say so and pass when it is absent.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("newstrace").expect("binary builds")
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The shared folder beside the repository, if this checkout has one.
fn shared(p: &str) -> Option<PathBuf> {
    let path = repo("..").join("shared").join(p);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

/// Runs `analyze ARGS --json -` and returns (json, stderr); asserts exit 0 and no panic.
fn analyze_json(args: &[&Path]) -> (Value, String) {
    let out = bin()
        .arg("analyze")
        .args(args)
        .args(["--json", "-"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "analyze failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    validate(&json);
    (json, stderr)
}

fn validate(json: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("contract/analyze.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "contract violations: {errors:#?}");
    // What the schema cannot say: ids unique, every document in exactly one story, reuse and
    // passages point at real documents and inside their texts.
    let docs = json["documents"].as_array().unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.len(),
        ids.iter().collect::<BTreeSet<_>>().len(),
        "ids are unique"
    );
    let mut in_stories: Vec<&str> = json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["documents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap())
        })
        .collect();
    in_stories.sort();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(in_stories, sorted, "every document is in exactly one story");
    let len = |id: &str| {
        docs.iter()
            .find(|d| d["id"] == id)
            .map(|d| d["text"].as_str().unwrap().chars().count())
            .expect("known id")
    };
    for r in json["reuse"].as_array().unwrap() {
        let (s, d) = (
            r["source"].as_str().unwrap(),
            r["derived"].as_str().unwrap(),
        );
        assert_ne!(s, d);
        for p in r["passages"].as_array().unwrap() {
            for (side, id) in [("source", s), ("derived", d)] {
                let a = p[side][0].as_u64().unwrap() as usize;
                let b = p[side][1].as_u64().unwrap() as usize;
                assert!(a < b && b <= len(id), "passage {side} {a}..{b} inside {id}");
            }
        }
    }
}

/// The document with this id in `analyze --json` output.
fn document<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no document {id}"))
}

fn reuse_triples(json: &Value) -> BTreeSet<(String, String, String)> {
    json["reuse"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_string(),
                r["derived"].as_str().unwrap().to_string(),
                r["relation"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn story_sets(json: &Value) -> BTreeSet<BTreeSet<String>> {
    json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["documents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn seeds_one_story_one_rewrite_from_reuters() {
    let Some(seeds) = shared("seeds") else { return };
    let (json, _) = analyze_json(&[&seeds]);
    assert_eq!(json["documents"].as_array().unwrap().len(), 5);
    assert_eq!(
        json["stories"].as_array().unwrap().len(),
        1,
        "the seeds are one story"
    );
    let expected: BTreeSet<_> = [(
        "001_c6bf43f9fe25140f".to_string(),
        "000_353faacdccd099df".to_string(),
        "rewrite".to_string(),
    )]
    .into();
    assert_eq!(reuse_triples(&json), expected);
    let reuters = document(&json, "001_c6bf43f9fe25140f");
    assert_eq!(reuters["credits"], serde_json::json!(["Reuters"]));
    // The broadcaster's page furniture never reaches the clean text.
    let ap = document(&json, "004_5b825c2b0f933c7a");
    let text = ap["text"].as_str().unwrap();
    for junk in [
        "READ MORE",
        "WATCH:",
        "Get breaking National news",
        "Panama Canal",
        "Comments",
    ] {
        assert!(!text.contains(junk), "{junk:?} survived extraction");
    }
}

#[test]
fn demo_corpus_matches_its_expectations() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(repo("examples/expected.json")).unwrap())
            .unwrap();
    let (json, _) = analyze_json(&[&repo("examples/corpus")]);
    let want_stories: BTreeSet<BTreeSet<String>> = expected["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s.as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(story_sets(&json), want_stories);
    // The expectations list reuse in the output's own shape.
    assert_eq!(reuse_triples(&json), reuse_triples(&expected));
}

#[test]
fn every_input_form_reads() {
    let forms = repo("tests/fixtures/forms");
    let cases: &[(&str, usize)] = &[
        ("article.txt", 1),
        ("article.md", 1),
        ("page.html", 1),
        ("page.htm", 1),
        ("page.html.gz", 1),
        ("articles.jsonl", 2),
        ("articles.jsonl.gz", 2),
        ("pages.warc", 2),
        ("pages.warc.gz", 2),
    ];
    for (file, n) in cases {
        let (json, stderr) = analyze_json(&[&forms.join(file)]);
        let docs = json["documents"].as_array().unwrap();
        assert_eq!(docs.len(), *n, "{file}: {stderr}");
        for d in docs {
            let text = d["text"].as_str().unwrap();
            assert!(text.contains("earthquake"), "{file}: {text}");
        }
    }
    let (json, _) = analyze_json(&[&forms.join("article.txt")]);
    let d = &json["documents"][0];
    assert_eq!(d["id"], "article");
    assert_eq!(
        d["url"],
        "https://www.gulfbulletin.example/news/region/2008/12/14/quake-hits-island-off-south-iran"
    );
    assert_eq!(d["outlet"], "gulfbulletin.example");
    assert!(!d["text"].as_str().unwrap().contains("https://"));

    let (json, _) = analyze_json(&[&forms.join("page.html")]);
    let d = &json["documents"][0];
    assert_eq!(d["outlet"], "Gulf Bulletin");
    assert_eq!(d["published"], "2008-12-14T15:10:00Z");
    assert!(
        !d["text"].as_str().unwrap().contains("Oil prices slip"),
        "aside kept"
    );

    let (json, _) = analyze_json(&[&forms.join("pages.warc.gz")]);
    let ids: Vec<&str> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"https://www.newsdesk.example/world/2008/12/14/quake-shakes-southern-iran")
    );
}

#[test]
fn a_directory_is_read_recursively_and_clashing_ids_are_kept_apart() {
    let (json, stderr) = analyze_json(&[&repo("tests/fixtures/forms")]);
    assert_eq!(json["documents"].as_array().unwrap().len(), 13, "{stderr}");
    assert!(json["skipped"].as_array().unwrap().is_empty());
    // Every copy of the Dargahan article lands in one story with the independent ISNA report.
    assert_eq!(json["stories"].as_array().unwrap().len(), 1);
}

#[test]
fn stdin_reads_jsonl() {
    let input = std::fs::read(repo("tests/fixtures/forms/articles.jsonl")).unwrap();
    let out = bin()
        .args(["analyze", "-", "--json", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&json);
    let ids: BTreeSet<&str> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["dargahan-text", "isna-html"].into());
}

#[test]
fn bad_files_warn_and_the_rest_go_on() {
    let bad = repo("tests/fixtures/bad");
    let (json, stderr) = analyze_json(&[&bad, &repo("tests/fixtures/forms")]);
    let ids: BTreeSet<&str> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains("broken-ok-1") && ids.contains("broken-ok-3"),
        "{ids:?}"
    );
    assert_eq!(ids.len(), 13 + 3, "every good document survives: {ids:?}");
    for name in [
        "junk.txt",
        "empty.txt",
        "truncated.html.gz",
        "broken.jsonl:2",
        "broken.jsonl:4",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("warning:") && l.contains(name)),
            "no warning naming {name}: {stderr}"
        );
    }
    assert_eq!(json["skipped"].as_array().unwrap().len(), 5);
    // The Latin-1 file is decoded, not mangled.
    let latin = document(&json, "latin1");
    let text = latin["text"].as_str().unwrap();
    assert!(text.contains("Séisme") && !text.contains('\u{FFFD}'));
}

#[test]
fn unreadable_only_input_is_a_one_line_error() {
    for file in ["junk.txt", "empty.txt", "truncated.html.gz"] {
        let out = bin()
            .arg("analyze")
            .arg(repo("tests/fixtures/bad").join(file))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
    let out = bin().args(["analyze", "no/such/path"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: no/such/path"));
    for args in [
        &["analyze"][..],
        &["analyze", "x.txt", "--bogus"][..],
        &["frobnicate"][..],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "a bad invocation exits 1: {args:?}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
}

#[test]
fn clashing_and_suffixed_ids_stay_unique() {
    let dir = tempfile::tempdir().unwrap();
    let text = "An earthquake struck the island on Sunday, injuring five people, officials said.";
    let lines: Vec<String> = ["x", "x", "x#2"]
        .iter()
        .map(|id| {
            serde_json::json!({"id": id, "text": text, "published": "not a date"}).to_string()
        })
        .collect();
    std::fs::write(dir.path().join("a.jsonl"), lines.join("\n")).unwrap();
    let (json, _) = analyze_json(&[&dir.path().join("a.jsonl")]);
    assert_eq!(
        json["documents"].as_array().unwrap().len(),
        3,
        "a bad optional date keeps the article"
    );
}

#[test]
fn a_page_nested_a_hundred_thousand_deep_is_skipped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "<html><body>{}x{}</body></html>",
        "<div><span>".repeat(50_000),
        "</span></div>".repeat(50_000)
    );
    std::fs::write(dir.path().join("deep.html"), deep).unwrap();
    std::fs::copy(
        repo("tests/fixtures/forms/article.txt"),
        dir.path().join("a.txt"),
    )
    .unwrap();
    let (json, stderr) = analyze_json(&[dir.path()]);
    assert_eq!(json["documents"].as_array().unwrap().len(), 1);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("warning:") && l.contains("deep.html") && l.contains("nested")),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn directory_links_back_up_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("d");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(repo("tests/fixtures/forms/article.txt"), sub.join("a.txt")).unwrap();
    std::os::unix::fs::symlink("..", sub.join("up")).unwrap();
    let (json, _) = analyze_json(&[dir.path()]);
    assert_eq!(json["documents"].as_array().unwrap().len(), 1);
}

#[test]
fn output_does_not_depend_on_argument_order() {
    let c = repo("examples/corpus");
    let a = bin()
        .arg("analyze")
        .arg(c.join("quake-2005"))
        .arg(c.join("quake-2008"))
        .args(["--json", "-"])
        .output()
        .unwrap();
    let b = bin()
        .arg("analyze")
        .arg(c.join("quake-2008"))
        .arg(c.join("quake-2005"))
        .args(["--json", "-"])
        .output()
        .unwrap();
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout);
}

/// Files under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn the_same_articles_in_any_order_give_the_same_json_byte_for_byte() {
    let mut rng = fastrand::Rng::with_seed(7);
    // Every file of the demo corpus as its own argument, in shuffled orders.
    let mut files = files_under(&repo("examples/corpus"));
    let run = |args: &[PathBuf]| {
        let out = bin()
            .arg("analyze")
            .args(args)
            .args(["--json", "-"])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let first = run(&files);
    for _ in 0..3 {
        rng.shuffle(&mut files);
        assert!(
            run(&files) == first,
            "another order of the files, another result"
        );
    }
    // Real articles of many stories, one JSONL file in shuffled line orders.
    let Some(ecb) = shared("data/stories-ecbplus/documents.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(ecb).unwrap();
    let mut lines: Vec<&str> = text.lines().take(160).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for round in 0..3 {
        rng.shuffle(&mut lines);
        let path = dir.path().join(format!("order{round}.jsonl"));
        std::fs::write(&path, lines.join("\n")).unwrap();
        outputs.push(run(&[path]));
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "another order of the lines, another result"
    );
}

#[test]
fn summary_names_stories_and_lineage() {
    let out = bin()
        .arg("analyze")
        .arg(repo("examples/corpus"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.starts_with("9 articles in 2 stories; 5 reuse links (3 copies, 1 rewrite, 1 spin)"),
        "{s}"
    );
    assert!(s.contains("quake-2005/original-usatoday") && s.contains("original"));
    assert!(
        s.contains("└─ spin    quake-2005/spin-worldnewshub24"),
        "{s}"
    );
}

#[test]
fn compare_two_articles() {
    let c = repo("examples/corpus/quake-2005");
    let out = bin()
        .arg("compare")
        .arg(c.join("copy-gulfmorningpost.txt"))
        .arg(c.join("original-usatoday.txt"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["a"]["id"], "copy-gulfmorningpost");
    let r = &json["reuse"][0];
    assert_eq!(r["source"], "original-usatoday");
    assert_eq!(r["relation"], "copy");
    let out = bin()
        .arg("compare")
        .arg(c.join("original-usatoday.txt"))
        .arg(c.join("independent-bbc.txt"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("No reuse"));
}

#[test]
fn extract_prints_json_lines_with_source_path() {
    let out = bin()
        .arg("extract")
        .arg(repo("tests/fixtures/forms/pages.warc"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for l in &lines {
        assert!(l["source_path"].as_str().unwrap().contains("pages.warc#"));
        assert!(l["title"].as_str().is_some());
    }
}

#[test]
fn html_report_escapes_hostile_articles() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "https://evil.example/a\n\n<script>alert(1)</script> Rebels seized the airport in Goma on Tuesday, the United Nations said in a statement.\n\
        \"><img src=x onerror=alert(2)> Thousands of residents fled across the border into Rwanda, aid workers said on Wednesday.\n\
        <a href=\"javascript:alert(3)\">click</a> The fighting was the worst in the region for years, officials said.\n";
    std::fs::write(dir.path().join("a.txt"), hostile).unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        hostile.replace("https://evil.example/a", "javascript:alert(4)"),
    )
    .unwrap();
    let report = dir.path().join("report.html");
    let out = bin()
        .arg("analyze")
        .arg(dir.path())
        .arg("--html")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !html.contains("<script"),
        "no script element may reach the page"
    );
    assert!(
        !html.contains("<img"),
        "no image element may reach the page"
    );
    assert!(!html.contains("href=\"javascript:"), "no javascript: link");
    assert!(
        html.contains("class=\"side\""),
        "the copy is shown side by side"
    );
}

#[test]
fn seed_report_shows_the_rewrite_side_by_side_with_what_it_added() {
    let Some(seeds) = shared("seeds") else { return };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let out = bin()
        .arg("analyze")
        .arg(&seeds)
        .arg("--html")
        .arg(&report)
        .args(["--json", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let html = std::fs::read_to_string(&report).unwrap();
    // The story as a graph whose root is the Reuters report, with the rewrite under it.
    assert!(html.contains("<svg class=\"lineage\""));
    let rewrite = json["reuse"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| {
            r["source"].as_str().unwrap().starts_with("001_")
                && r["derived"].as_str().unwrap().starts_with("000_")
        })
        .expect("001 -> 000 is found");
    assert!(html.contains(&format!("class=\"node\" href=\"#r{rewrite}\"")));
    assert!(html.contains(&format!("<div class=\"side\" id=\"r{rewrite}\">")));
    // What changed in meaning (the added opinion paragraph) and where the versions disagree
    // (who holds the town), in the JSON and on the page.
    let changes = json["reuse"][rewrite]["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["kind"] == "paragraph_added"
            && c["source"].is_null()
            && c["description"].as_str().unwrap().contains("opinion")),
        "{changes:?}"
    );
    let disagreements = json["stories"][0]["disagreements"].as_array().unwrap();
    assert!(
        disagreements.iter().any(|d| d["kind"] == "outcome"
            && d["sides"].as_array().unwrap().len() >= 2
            && d["about"].as_str().unwrap().contains("Kamal")),
        "{disagreements:?}"
    );
    assert!(html.contains("Edits that change what is said"));
    assert!(html.contains("Where the versions disagree"));
    // The rewrite's closing opinion paragraph is listed as what it added.
    let text = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"].as_str().unwrap().starts_with("000_"))
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let last = text.trim().rsplit("\n\n").next().unwrap().trim();
    let added = &html[html.find("class=\"added-list\"").expect("an added list")..];
    // Its opening words, up to the first character that escaping would change.
    let probe: String = last
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ' ' || *c == ',')
        .take(50)
        .collect();
    assert!(probe.len() >= 15, "{last:?}");
    assert!(
        added.contains(&probe),
        "the last paragraph ({last:?}) is shown as added"
    );
}

#[test]
fn eval_prints_the_three_measurements() {
    let Some(data) = shared("data") else { return };
    let out = bin().arg("eval").arg("--data").arg(&data).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("stories:") && s.contains("precision"), "{s}");
    assert!(s.contains("level accuracy"), "{s}");
    assert!(s.contains("word-4-gram precision"), "{s}");
    // Floors under the measured quality (measured: level 0.88, extraction F1 0.977 (lowest fold 0.969, dates 0.98), copy P/R
    // 0.99/0.98, spin recall 1.0, false reuse 0.007, stories F1 0.85): a regression fails CI.
    let num_after = |key: &str| -> f64 {
        let at = s.find(key).unwrap_or_else(|| panic!("{key} in {s}")) + key.len();
        s[at..].split_whitespace().next().unwrap().parse().unwrap()
    };
    assert!(num_after("level accuracy") >= 0.82, "{s}");
    let extraction = &s[s.find("word-4-gram").unwrap()..];
    let f1_at = extraction.find("F1").unwrap() + 2;
    let f1: f64 = extraction[f1_at..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches(';')
        .parse()
        .unwrap();
    assert!(f1 >= 0.97, "{s}");
    let lowest_fold: f64 = s[s.find("(lowest ").unwrap() + 8..]
        .split(')')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(lowest_fold >= 0.95, "{s}");
    // Dates against the hand-checked sample: "right on 48/49 hand-checked pages (0.980)".
    let dates = &s[s.find("hand-checked pages (").expect("date accuracy") + 20..];
    let date_accuracy: f64 = dates[..dates.find(')').unwrap()].parse().unwrap();
    assert!(date_accuracy >= 0.9, "{s}");
    // Synthetic reuse: copy and spin recall, false reuse between independent reports.
    let synthetic = &s[s.find("synthetic reuse:").expect("synthetic section")..];
    let row = |rel: &str| -> Vec<f64> {
        let line = synthetic
            .lines()
            .find(|l| l.trim_start().starts_with(rel))
            .unwrap();
        line.split_whitespace()
            .skip(1)
            .map(|x| x.parse().unwrap())
            .collect()
    };
    assert!(
        row("copy")[1] >= 0.95 && row("copy")[0] >= 0.95,
        "{synthetic}"
    );
    assert!(row("spin")[1] >= 0.9, "{synthetic}");
    let false_reuse: f64 = synthetic[synthetic.find("one event ").unwrap() + 10..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(false_reuse <= 0.015, "{synthetic}");
    // Stories: the shipped model through the whole pipeline, and the figure that counts,
    // on topics the model was not learnt on; the stream over five arrival orders.
    let f1_after = |label: &str| -> f64 {
        let line = s
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label}: {s}"));
        line[line.find(" F1 ").unwrap() + 4..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(f1_after("analyze, shipped model") >= 0.94, "{s}");
    assert!(f1_after("held-out topics (") >= 0.94, "{s}");
    assert!(f1_after("stream, held-out topics") >= 0.90, "{s}");
}

/// Pages written for this test in German, French, Spanish, Arabic and Chinese: each has a
/// menu, a headline, four paragraphs and a footer, and must come out as exactly those four
/// paragraphs with the page's title, date and site name.
#[test]
fn pages_in_five_languages_extract_as_well_as_english() {
    let dir = repo("tests/fixtures/lang");
    for (code, first, last, menu, footer) in [
        (
            "de",
            "Nach tagelangem Regen",
            "soll sich die Lage entspannen.",
            "Startseite",
            "Impressum",
        ),
        (
            "fr",
            "Les usagers des transports",
            "pour les voyageurs.",
            "Accueil",
            "Mentions légales",
        ),
        (
            "es",
            "Un terremoto de magnitud 6,1",
            "del planeta.",
            "Inicio",
            "Aviso legal",
        ),
        (
            "ar",
            "افتتح معرض القاهرة",
            "قبل أكثر من خمسين عاما.",
            "الرئيسية",
            "جميع الحقوق محفوظة",
        ),
        (
            "zh",
            "北京市气象台周二发布消息",
            "零下五度左右。",
            "首页",
            "版权所有",
        ),
    ] {
        let out = bin()
            .args(["extract", "--json"])
            .arg(dir.join(format!("{code}.html")))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = doc["text"].as_str().unwrap();
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 4, "{code}: {text}");
        assert!(paragraphs[0].starts_with(first), "{code}: {text}");
        assert!(paragraphs[3].ends_with(last), "{code}: {text}");
        assert!(
            !text.contains(menu) && !text.contains(footer),
            "{code}: {text}"
        );
        assert_eq!(doc["published"], "2024-03-05T08:30:00Z", "{code}");
        assert_eq!(doc["language"], code, "{code}");
        assert_eq!(doc["outlet"], format!("Beispiel {}", code.to_uppercase()));
        assert!(!doc["title"].as_str().unwrap().is_empty(), "{code}");
    }
}

/// A page written for this test with every metadata field: the publication time from a
/// `<time>` marked as published (not the update beside it), the byline cleaned with its agency
/// as a credit, the canonical URL, the language, and the wire dateline as a credit.
#[test]
fn extract_reports_every_metadata_field() {
    let out = bin()
        .args(["extract", "--json"])
        .arg(repo("tests/fixtures/meta/wire.html"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["title"],
        "Storm cuts power to thousands along the coast"
    );
    assert_eq!(doc["outlet"], "Harbor Daily");
    assert_eq!(doc["published"], "2023-10-14T10:15:00Z");
    assert_eq!(doc["published_from"], "time");
    assert_eq!(doc["byline"], "Jane Doe, John Roe");
    assert_eq!(
        doc["canonical_url"],
        "https://harbordaily.example/news/storm-cuts-power-to-thousands"
    );
    assert_eq!(doc["language"], "en");
    assert_eq!(doc["credits"], serde_json::json!(["AP"]));
    let text = doc["text"].as_str().unwrap();
    assert!(text.starts_with("PORTLAND, Maine (AP)"), "{text}");
    assert!(
        !text.contains("Copyright") && !text.contains("Updated"),
        "{text}"
    );
    // The human view shows them too.
    let out = bin()
        .arg("extract")
        .arg(repo("tests/fixtures/meta/wire.html"))
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains("(from time)") && human.contains("byline:   Jane Doe, John Roe"),
        "{human}"
    );
}

/// An index page and an error page are reported as not articles, by name, while the article
/// beside them is extracted.
#[test]
fn index_and_error_pages_are_reported_as_not_articles() {
    let out = bin()
        .args(["extract", "--json"])
        .arg(repo("tests/fixtures/not-articles/index.html"))
        .arg(repo("tests/fixtures/not-articles/error.html"))
        .arg(repo("tests/fixtures/lang/de.html"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for page in ["index.html", "error.html"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(page) && l.contains("not an article")),
            "{stderr}"
        );
    }
    let docs: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "de");
}

/// Real pages of the development set whose text the extraction used to get wrong: a deals page
/// whose text follows its sub-headings (dropped by the extractor before its fix), a page whose
/// citations sit in an unknown element, and a page whose names open hover cards of headlines.
#[test]
fn real_development_pages_keep_their_text_and_lose_their_cards() {
    let Some(dir) = shared("data/extraction/html") else {
        return;
    };
    let page = |prefix: &str| -> Value {
        let name = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .find(|n| n.starts_with(prefix))
            .unwrap_or_else(|| panic!("{prefix} in {}", dir.display()));
        let out = bin()
            .args(["extract", "--json"])
            .arg(dir.join(name))
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let deals = page("287e4d9f4a");
    let text = deals["text"].as_str().unwrap();
    assert!(
        text.contains("Save $31 if you get a turquoise Switch Lite"),
        "{text}"
    );
    assert_eq!(deals["published_from"], "json-ld");
    let health = page("e593d7fe88");
    let text = health["text"].as_str().unwrap();
    assert!(text.contains("in the United States (1)."), "{text}");
    let hill = page("6ebac05f63");
    let text = hill["text"].as_str().unwrap();
    assert!(
        text.contains("threatened to kill Rep. Ilhan Omar"),
        "{text}"
    );
    assert!(!text.contains("Hillicon Valley"), "{text}");
    assert_eq!(hill["outlet"], "The Hill");
    assert_eq!(hill["language"], "en");
}

/// `index add` into a SQLite store: bad documents are skipped with a warning naming them and
/// the rest are stored; a new trimmed copy, queried, took from its original; re-adding changes
/// nothing; a query or stats of a store that does not exist is a one-line error.
#[test]
fn index_add_query_stats() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("news.db");
    let db = db.to_str().expect("utf-8 path");
    let out = bin()
        .args(["index", "add"])
        .arg(repo("examples/corpus"))
        .arg(repo("tests/fixtures/bad"))
        .args(["--db", db])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("warning: skipped") && stderr.contains("junk.txt"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stats = |db: &str| -> Value {
        let out = bin()
            .args(["index", "stats", "--json", "--db", db])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).expect("stats JSON")
    };
    let first = stats(db);
    assert!(first["articles"].as_u64().unwrap_or(0) >= 9, "{first}");
    // The two earthquakes, a story for the readable bad file, and at most one brief left on
    // its own (a store does not go back to attach fragments, as `analyze` does).
    let stories = first["stories"].as_u64().unwrap_or(0);
    assert!((2..=4).contains(&stories), "{first}");
    assert!(first["reuse"].as_u64().unwrap_or(0) >= 4, "{first}");

    // Added again: all unchanged.
    let out = bin()
        .args(["index", "add"])
        .arg(repo("examples/corpus"))
        .args(["--db", db])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout.contains("added 0 articles") && stdout.contains("9 unchanged"),
        "{stdout}"
    );
    assert_eq!(stats(db), first);

    // A copy no store has seen: the original's first two thirds.
    let original =
        std::fs::read_to_string(repo("examples/corpus/quake-2005/original-usatoday.txt"))
            .expect("demo article");
    let lines: Vec<&str> = original.lines().collect();
    let copy = dir.path().join("new-copy.txt");
    std::fs::write(&copy, lines[..lines.len() * 2 / 3].join("\n")).expect("written");
    let out = bin()
        .args(["index", "query", "--json", "--db", db])
        .arg(&copy)
        .assert()
        .success();
    let line: Value = serde_json::from_slice(&out.get_output().stdout).expect("one JSON line");
    assert_eq!(line["id"], "new-copy");
    let entries = line["reuse"].as_array().expect("reuse entries");
    assert_eq!(entries.len(), 1, "only its direct source: {line}");
    assert_eq!(
        entries[0]["source"], "quake-2005/original-usatoday",
        "{line}"
    );
    assert_eq!(entries[0]["derived"], "new-copy");
    assert_eq!(entries[0]["relation"], "copy");

    for args in [
        vec!["index", "stats"],
        vec!["index", "query", "examples/corpus"],
    ] {
        let missing = dir.path().join("missing.db");
        let out = bin()
            .args(&args)
            .arg("--db")
            .arg(&missing)
            .current_dir(repo("."))
            .assert()
            .code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains("missing.db"),
            "{stderr}"
        );
        assert!(!missing.exists(), "a query must not create a store");
    }
}

/// Stories go on across `index add` runs: an independent report of the 2005 earthquake, added
/// in a run of its own (sharing no text with the stored reports), joins their story.
#[test]
fn index_stories_continue_across_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    std::fs::create_dir_all(&first).expect("dir");
    std::fs::create_dir_all(&second).expect("dir");
    for e in std::fs::read_dir(repo("examples/corpus/quake-2005")).expect("demo corpus") {
        let path = e.expect("entry").path();
        let name = path.file_name().expect("a file name").to_owned();
        let to = if name == "independent-bbc.txt" {
            &second
        } else {
            &first
        };
        std::fs::copy(&path, to.join(name)).expect("copied");
    }
    let db = dir.path().join("news.db");
    for run in [&first, &second] {
        bin()
            .args(["index", "add"])
            .arg(run)
            .arg("--db")
            .arg(&db)
            .assert()
            .success();
    }
    let out = bin()
        .args(["index", "stats", "--json", "--db"])
        .arg(&db)
        .assert()
        .success();
    let stats: Value = serde_json::from_slice(&out.get_output().stdout).expect("stats JSON");
    assert_eq!(stats["articles"], 6, "{stats}");
    assert_eq!(stats["stories"], 1, "one earthquake, one story: {stats}");
}
