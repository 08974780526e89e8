//! `newstrace eval`: scores the engine on the labelled development data with the metric each
//! set's README names — BCubed P/R/F1 for stories, level accuracy (and detection P/R/F1) for
//! the short-answer reuse set, word-4-gram P/R/F1 and pages/s for extraction.
//! A set that is absent is skipped with a message, never an error.

use anyhow::{Context, Result};
use newstrace::article::DocId;
use newstrace::read::{Body, RawDoc};
use newstrace::{Config, Relation};
use regex::Regex;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

pub fn run(data: &Path, sweep: bool, synthetic_out: Option<&Path>, cfg: &Config) -> Result<()> {
    println!("newstrace eval on {}", data.display());
    if crate::eval_changes::run(&data.join("stories-ecbplus"), cfg)? {
        return Ok(());
    }
    crate::eval_stories::run(&data.join("stories-ecbplus"), sweep, cfg)?;
    reuse(&data.join("reuse-short-answers"), cfg)?;
    crate::synthetic::run(&data.join("stories-ecbplus"), cfg, synthetic_out)?;
    extraction(&data.join("extraction"))?;
    Ok(())
}

pub fn absent(what: &str, dir: &Path) -> bool {
    if dir.is_dir() {
        return false;
    }
    println!("\n{what}: skipped, {} is absent", dir.display());
    true
}

/// BCubed precision, recall and F1 of a clustering against gold labels, over items.
pub fn bcubed(predicted: &[Vec<String>], gold: &HashMap<String, String>) -> (f64, f64, f64) {
    let mut cluster_of: HashMap<&str, usize> = HashMap::new();
    for (c, items) in predicted.iter().enumerate() {
        for i in items {
            cluster_of.insert(i, c);
        }
    }
    let mut gold_size: HashMap<&str, usize> = HashMap::new();
    for g in gold.values() {
        *gold_size.entry(g).or_insert(0) += 1;
    }
    let (mut p, mut r, mut n) = (0.0, 0.0, 0.0);
    for items in predicted {
        for i in items {
            let Some(gi) = gold.get(i) else { continue };
            let same = items.iter().filter(|j| gold.get(*j) == Some(gi)).count() as f64;
            let labelled = items.iter().filter(|j| gold.contains_key(*j)).count() as f64;
            p += same / labelled;
            r += same / gold_size[gi.as_str()] as f64;
            n += 1.0;
        }
    }
    if n == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    let (p, r) = (p / n, r / n);
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}

/// The relations a label allows, per the data README (light → copy or rewrite).
fn allowed(label: &str) -> &'static [Option<Relation>] {
    match label {
        "cut" => &[Some(Relation::Copy)],
        "light" => &[Some(Relation::Copy), Some(Relation::Rewrite)],
        "heavy" => &[Some(Relation::Rewrite)],
        _ => &[None],
    }
}

fn reuse(dir: &Path, cfg: &Config) -> Result<()> {
    if absent("reuse (short answers)", dir) {
        return Ok(());
    }
    let labels_path = dir.join("labels.csv");
    let labels = std::fs::read_to_string(&labels_path)
        .with_context(|| format!("cannot read {}", labels_path.display()))?;
    let load = |p: &Path| -> Option<newstrace::Article> {
        let (mut a, _) = newstrace::load(&[p.to_path_buf()], cfg.limits);
        (!a.is_empty()).then(|| a.remove(0))
    };
    let mut rows = 0usize;
    let mut correct = 0usize;
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut wrong_direction = 0usize;
    let mut confusion: HashMap<(String, &'static str), usize> = HashMap::new();
    for line in labels.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() < 4 {
            continue;
        }
        let (file, source, label) = (f[0], f[2], f[3]);
        // The sources are listed among the answers too ("orig"): comparing a text with itself
        // says nothing of the engine.
        if label == "orig" {
            continue;
        }
        let (Some(src), Some(ans)) = (
            load(&dir.join("sources").join(source)),
            load(&dir.join("answers").join(file)),
        ) else {
            println!("  {file}: could not be read");
            continue;
        };
        let r = newstrace::compare(&src, &ans, cfg);
        let predicted = r.as_ref().map(|r| r.relation);
        if r.as_ref().is_some_and(|r| r.derived != 1) {
            wrong_direction += 1;
        }
        rows += 1;
        if allowed(label).contains(&predicted) {
            correct += 1;
        }
        let is_reuse = label != "non";
        match (is_reuse, predicted.is_some()) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            _ => {}
        }
        *confusion
            .entry((
                label.to_string(),
                predicted.map(|p| p.as_str()).unwrap_or("none"),
            ))
            .or_insert(0) += 1;
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!("\nreuse: {} ({rows} answers)", dir.display());
    let tn = rows - tp - fp - fn_;
    println!(
        "  level accuracy {:.3} ({correct}/{rows}); reuse vs none accuracy {:.3}; reuse detection precision {p:.3} recall {r:.3} F1 {f1:.3}; source named wrongly {wrong_direction}",
        correct as f64 / rows.max(1) as f64,
        (tp + tn) as f64 / rows.max(1) as f64
    );
    println!(
        "  {:<6} {:>5} {:>8} {:>5} {:>5}",
        "label", "copy", "rewrite", "spin", "none"
    );
    for label in ["cut", "light", "heavy", "non"] {
        let c = |p: &str| {
            confusion
                .get(&(
                    label.to_string(),
                    match p {
                        "copy" => "copy",
                        "rewrite" => "rewrite",
                        "spin" => "spin",
                        _ => "none",
                    },
                ))
                .copied()
                .unwrap_or(0)
        };
        println!(
            "  {label:<6} {:>5} {:>8} {:>5} {:>5}",
            c("copy"),
            c("rewrite"),
            c("spin"),
            c("none")
        );
    }
    Ok(())
}

fn word_4grams(text: &str, re: &Regex) -> HashMap<String, usize> {
    let words: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    for w in words.windows(4) {
        *out.entry(w.join(" ")).or_insert(0) += 1;
    }
    out
}

/// Per-page precision and recall of word 4-grams, as in the Zyte article-extraction benchmark.
pub fn page_scores(predicted: &str, gold: &str, re: &Regex) -> (f64, f64) {
    let p = word_4grams(predicted, re);
    let g = word_4grams(gold, re);
    let tp: usize = p
        .iter()
        .map(|(k, n)| (*n).min(g.get(k).copied().unwrap_or(0)))
        .sum();
    let np: usize = p.values().sum();
    let ng: usize = g.values().sum();
    let (fp, fn_) = (np - tp, ng - tp);
    let total = (tp + fp + fn_) as f64;
    if total == 0.0 {
        return (1.0, 1.0);
    }
    let (tp, fp, fn_) = (tp as f64 / total, fp as f64 / total, fn_ as f64 / total);
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let recall = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    (precision, recall)
}

fn extraction(dir: &Path) -> Result<()> {
    if absent("extraction (word-4-gram F1)", dir) {
        return Ok(());
    }
    let gt_path = dir.join("ground-truth.json");
    let gt: HashMap<String, serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(&gt_path)
            .with_context(|| format!("cannot read {}", gt_path.display()))?,
    )?;
    let mut ids: Vec<&String> = gt.keys().collect();
    ids.sort();
    let mut pages = Vec::new();
    for id in ids {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let mut bytes = Vec::new();
        if flate2::read::MultiGzDecoder::new(file)
            .read_to_end(&mut bytes)
            .is_err()
        {
            continue;
        }
        let html = newstrace::read::decode(&bytes, newstrace::read::sniff_html_charset(&bytes))
            .unwrap_or_default();
        let url = gt[id]["url"].as_str().map(str::to_string);
        let body = gt[id]["articleBody"].as_str().unwrap_or("").to_string();
        pages.push((id.clone(), url, html, body));
    }
    let re = Regex::new(r"\w+").expect("valid pattern");
    let start = Instant::now();
    let mut extracted = Vec::with_capacity(pages.len());
    for (id, url, html, _) in &pages {
        let raw = RawDoc {
            id: DocId(id.clone()),
            source_path: id.clone(),
            url: url.clone(),
            title: None,
            outlet: None,
            published: None,
            fetched: None,
            body: Body::Html(html.clone()),
        };
        extracted.push(newstrace::extract::extract(raw).ok());
    }
    // As in a batch run: an outlet's paragraphs repeated across its articles go.
    let (at, mut found): (Vec<usize>, Vec<newstrace::Article>) = extracted
        .into_iter()
        .enumerate()
        .filter_map(|(k, a)| Some((k, a?)))
        .unzip();
    newstrace::extract::furniture::strip_outlet_repeats(&mut found);
    let mut extracted: Vec<Option<newstrace::Article>> = vec![None; pages.len()];
    for (k, a) in at.into_iter().zip(found) {
        extracted[k] = Some(a);
    }
    let secs = start.elapsed().as_secs_f64();
    let scores: Vec<(f64, f64)> = pages
        .iter()
        .zip(&extracted)
        .map(|((_, _, _, gold), a)| page_scores(a.as_ref().map_or("", |a| &a.text), gold, &re))
        .collect();
    let f1_of = |s: &[&(f64, f64)]| -> (f64, f64, f64) {
        let n = s.len().max(1) as f64;
        let p = s.iter().map(|x| x.0).sum::<f64>() / n;
        let r = s.iter().map(|x| x.1).sum::<f64>() / n;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    };
    let (p, r, f1) = f1_of(&scores.iter().collect::<Vec<_>>());
    println!("\nextraction: {} ({} pages)", dir.display(), pages.len());
    println!(
        "  word-4-gram precision {p:.3} recall {r:.3} F1 {f1:.3}; {:.0} pages/s single-threaded",
        pages.len() as f64 / secs.max(1e-9)
    );
    // Five folds (pages in id order, every fifth): nothing is fitted to these pages, so the
    // folds show how much the score depends on which pages one happens to have.
    let folds: Vec<f64> = (0..5)
        .map(|k| {
            let part: Vec<&(f64, f64)> = scores.iter().skip(k).step_by(5).collect();
            f1_of(&part).2
        })
        .collect();
    println!(
        "  F1 by fold: {} (lowest {:.3})",
        folds
            .iter()
            .map(|f| format!("{f:.3}"))
            .collect::<Vec<_>>()
            .join(" "),
        folds.iter().cloned().fold(f64::INFINITY, f64::min)
    );
    // Outlet: the page's URL names it. Right when the outlet is the host, or the site name
    // is the host's own name ("The Hill" for thehill.com).
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (mut outlet_right, mut outlet_known, mut dated) = (0, 0, 0);
    let mut wrong = Vec::new();
    for ((_, url, _, _), a) in pages.iter().zip(&extracted) {
        let (Some(a), Some(host)) = (a, url.as_deref().and_then(newstrace::extract::host_of))
        else {
            continue;
        };
        dated += a.published.is_some() as usize;
        let Some(outlet) = a.outlet.as_deref() else {
            continue;
        };
        outlet_known += 1;
        // The host's own label: "thesun" of thesun.co.uk, "autoracing" of autoracing.com.br.
        let mut labels: Vec<&str> = host.split('.').collect();
        labels.pop();
        if labels.len() >= 2 && labels.last().is_some_and(|l| l.len() <= 3) {
            labels.pop();
        }
        let name = labels.last().map(|l| fold(l)).unwrap_or_default();
        let o = fold(outlet).trim_start_matches("the").to_string();
        // … or its initials ("WSJ" for Wall Street Journal, "ctpost" for Connecticut Post).
        let initials: String = outlet
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect();
        let last = outlet
            .split_whitespace()
            .last()
            .map(fold)
            .unwrap_or_default();
        let n_init = initials.chars().count();
        let by_initials = n_init >= 2
            && (name == initials
                || name.starts_with(&initials.chars().take(n_init - 1).collect::<String>())
                    && name.ends_with(&last));
        if outlet == host
            || by_initials
            || (!o.is_empty() && (name.contains(&o) || o.contains(&name)))
        {
            outlet_right += 1;
        } else {
            wrong.push(format!("{outlet} ({host})"));
        }
    }
    println!(
        "  outlet right {outlet_right}/{} (given on {outlet_known}); publication date found on {dated}/{}",
        pages.len(),
        pages.len()
    );
    if !wrong.is_empty() {
        println!("  outlets not matching their host: {}", wrong.join(", "));
    }
    let articles: Vec<(&str, &newstrace::Article)> = pages
        .iter()
        .zip(&extracted)
        .filter_map(|((id, ..), a)| Some((id.as_str(), a.as_ref()?)))
        .collect();
    let urls: HashMap<&str, &str> = pages
        .iter()
        .filter_map(|(id, url, ..)| Some((id.as_str(), url.as_deref()?)))
        .collect();
    report_metadata(&articles, &urls);
    Ok(())
}

/// Publication days of a sample of the development pages, checked by hand.
const CHECKED_DATES: &str = include_str!("../../../tests/fixtures/extraction-dates.tsv");

/// Per-field figures beyond the outlet: dates against the hand-checked sample (by the rule
/// that found them), canonical URLs against the page's URL, and how often each field is found.
fn report_metadata(articles: &[(&str, &newstrace::Article)], urls: &HashMap<&str, &str>) {
    let by_id: HashMap<&str, &newstrace::Article> = articles.iter().cloned().collect();
    let mut per_rule: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let (mut right, mut checked) = (0, 0);
    let mut misses = Vec::new();
    for line in CHECKED_DATES.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(id), Some(day)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Ok(day) = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
            continue;
        };
        let Some(a) = by_id.get(id) else { continue };
        checked += 1;
        let ok = a.published.is_some_and(|p| date_matches(p, day));
        right += ok as usize;
        let rule = per_rule
            .entry(a.published_from.unwrap_or("none"))
            .or_default();
        rule.0 += ok as usize;
        rule.1 += 1;
        if !ok {
            misses.push(format!(
                "{} ({} for {day})",
                id.chars().take(10).collect::<String>(),
                a.published
                    .map(|p| p.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "none".into())
            ));
        }
    }
    if checked > 0 {
        println!(
            "  publication date right on {right}/{checked} hand-checked pages ({:.3}); by rule: {}",
            right as f64 / checked as f64,
            per_rule
                .iter()
                .map(|(rule, (r, n))| format!("{rule} {r}/{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !misses.is_empty() {
            println!("  dates wrong: {}", misses.join(", "));
        }
    }
    // The canonical URL is right when it names the page the data was taken from.
    let norm = |u: &str| -> String {
        let u = u.trim().trim_end_matches('/');
        let u = u.split_once("://").map_or(u, |(_, rest)| rest);
        let u = u.strip_prefix("www.").unwrap_or(u);
        u.split(['?', '#']).next().unwrap_or(u).to_ascii_lowercase()
    };
    let (mut canon_right, mut canon_found) = (0, 0);
    for (id, a) in articles {
        if let (Some(c), Some(u)) = (a.canonical_url.as_deref(), urls.get(id)) {
            canon_found += 1;
            canon_right += (norm(c) == norm(u)) as usize;
        }
    }
    let n = articles.len();
    let count =
        |f: &dyn Fn(&newstrace::Article) -> bool| articles.iter().filter(|(_, a)| f(a)).count();
    println!(
        "  canonical URL given on {canon_found}/{n}, naming the page's own URL on {canon_right}/{canon_found}; \
         title on {}/{n}; byline on {}/{n}; language on {}/{n} ({} English)",
        count(&|a| a.title.is_some()),
        count(&|a| a.byline.is_some()),
        count(&|a| a.language.is_some()),
        count(&|a| a.language.as_deref() == Some("en")),
    );
}

/// Whether an extracted publication time falls on a page's local day: exactly that day for a
/// date without a time of day, else within the day as seen from any time zone (UTC-12 to
/// UTC+14).
fn date_matches(p: chrono::DateTime<chrono::Utc>, day: chrono::NaiveDate) -> bool {
    use chrono::Timelike;
    if p.time().num_seconds_from_midnight() == 0 {
        return p.date_naive() == day;
    }
    let start = day.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    match start {
        Some(start) => {
            p >= start - chrono::Duration::hours(14) && p < start + chrono::Duration::hours(36)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcubed_perfect_and_merged() {
        let gold: HashMap<String, String> = [("a", "x"), ("b", "x"), ("c", "y")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let perfect = vec![vec!["a".into(), "b".into()], vec!["c".into()]];
        assert_eq!(bcubed(&perfect, &gold), (1.0, 1.0, 1.0));
        let merged = vec![vec!["a".into(), "b".into(), "c".into()]];
        let (p, r, _) = bcubed(&merged, &gold);
        assert!((p - 5.0 / 9.0).abs() < 1e-9 && r == 1.0);
    }

    #[test]
    fn four_gram_scores() {
        let re = Regex::new(r"\w+").unwrap();
        assert_eq!(page_scores("a b c d e", "a b c d e", &re), (1.0, 1.0));
        let (p, r) = page_scores("a b c d", "a b c d e f", &re);
        assert_eq!(p, 1.0);
        assert!((r - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(page_scores("", "a b c d", &re), (0.0, 0.0));
    }
}
