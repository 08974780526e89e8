//! The human outputs: the `analyze` summary a person reads in ten seconds (stories, and under
//! each the originals with their copies, rewrites and spins indented), `compare`'s
//! side-by-side view, and `extract`'s article view.

use newstrace::judge::Relation;
use newstrace::{Analysis, Article, Reuse};
use std::io::{self, Write};

fn date(a: &Article) -> String {
    a.published
        .map(|p| p.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn label(a: &Article) -> String {
    let mut parts = vec![a.id.0.clone()];
    let mut meta = Vec::new();
    if let Some(o) = &a.outlet {
        meta.push(o.clone());
    }
    let d = date(a);
    if !d.is_empty() {
        meta.push(d);
    }
    let credits = a.credited_agencies();
    if !credits.is_empty() {
        meta.push(format!("credits {}", credits.join(", ")));
    }
    if !meta.is_empty() {
        parts.push(format!("({})", meta.join(", ")));
    }
    parts.join(" ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes the `analyze` summary.
pub fn write(out: &mut impl Write, an: &Analysis) -> io::Result<()> {
    let count = |r: Relation| an.reuse.iter().filter(|x| x.relation == r).count();
    writeln!(
        out,
        "{} in {}; {} ({}, {}, {}); {}.",
        plural(an.articles.len(), "article", "articles"),
        plural(an.stories.len(), "story", "stories"),
        plural(an.reuse.len(), "reuse link", "reuse links"),
        plural(count(Relation::Copy), "copy", "copies"),
        plural(count(Relation::Rewrite), "rewrite", "rewrites"),
        plural(count(Relation::Spin), "spin", "spins"),
        plural(an.skipped.len(), "document skipped", "documents skipped"),
    )?;
    for (si, story) in an.stories.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "Story s{}: {} [{}]",
            si + 1,
            story.title,
            plural(story.articles.len(), "article", "articles")
        )?;
        let derived: Vec<usize> = an.reuse.iter().map(|r| r.derived).collect();
        for &d in &story.articles {
            if derived.contains(&d) {
                continue;
            }
            let has_children = an.reuse.iter().any(|r| r.source == d);
            let role = if has_children {
                "original"
            } else if story.articles.len() > 1 {
                "independent report"
            } else {
                "only report"
            };
            writeln!(out, "  {}  {role}", label(&an.articles[d]))?;
            let mut path = vec![d];
            write_children(out, an, d, 2, &mut path)?;
        }
    }
    Ok(())
}

fn write_children(
    out: &mut impl Write,
    an: &Analysis,
    source: usize,
    depth: usize,
    path: &mut Vec<usize>,
) -> io::Result<()> {
    let mut kids: Vec<&Reuse> = an.reuse.iter().filter(|r| r.source == source).collect();
    kids.sort_by(|a, b| an.articles[a.derived].id.cmp(&an.articles[b.derived].id));
    for r in kids {
        if path.contains(&r.derived) {
            continue;
        }
        let others: Vec<&str> = an
            .reuse
            .iter()
            .filter(|o| o.derived == r.derived && o.source != source)
            .map(|o| an.articles[o.source].id.0.as_str())
            .collect();
        let also = if others.is_empty() {
            String::new()
        } else {
            format!("; also from {}", others.join(", "))
        };
        writeln!(
            out,
            "{}└─ {:<7} {}  [{:.0}% of it from {}, {:.0}% of the source; confidence {:.2}{also}]",
            "  ".repeat(depth),
            r.relation.as_str(),
            label(&an.articles[r.derived]),
            r.derived_coverage * 100.0,
            an.articles[source].id,
            r.source_coverage * 100.0,
            r.confidence,
        )?;
        path.push(r.derived);
        write_children(out, an, r.derived, depth + 2, path)?;
        path.pop();
    }
    Ok(())
}

/// Writes `compare`'s view: the verdict, then each passage pair side by side.
pub fn write_compare(
    out: &mut impl Write,
    pair: &[Article; 2],
    reuse: Option<&Reuse>,
    al: &newstrace::align::Alignment,
) -> io::Result<()> {
    let Some(r) = reuse else {
        writeln!(
            out,
            "No reuse: {} and {} share no run of passages that one took from the other (they may still report the same event).",
            pair[0].id, pair[1].id
        )?;
        if !al.matches.is_empty() {
            writeln!(
                out,
                "  {} sentence pairs look alike ({} in the same order), covering {:.0}% and {:.0}% of the texts: too little to say one took from the other.",
                al.matches.len(),
                al.in_order,
                al.a_coverage * 100.0,
                al.b_coverage * 100.0
            )?;
        }
        return Ok(());
    };
    let (src, der) = (&pair[r.source], &pair[r.derived]);
    writeln!(
        out,
        "{}: {} took from {} (confidence {:.2}); {:.0}% of the derived text, {:.0}% of the source.",
        r.relation.as_str(),
        der.id,
        src.id,
        r.confidence,
        r.derived_coverage * 100.0,
        r.source_coverage * 100.0
    )?;
    for e in &r.evidence {
        writeln!(out, "  - {e}")?;
    }
    for (i, p) in r.passages.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "[{}] {} — source {}..{}, derived {}..{}",
            i + 1,
            p.kind.as_str(),
            p.source.start,
            p.source.end,
            p.derived.start,
            p.derived.end
        )?;
        writeln!(out, "  source : {}", src.slice(p.source).replace('\n', " "))?;
        writeln!(
            out,
            "  derived: {}",
            der.slice(p.derived).replace('\n', " ")
        )?;
    }
    Ok(())
}

/// Writes one extracted article: title, date, outlet, credits, then the text.
pub fn write_extracted(out: &mut impl Write, a: &Article) -> io::Result<()> {
    writeln!(out, "== {} ({})", a.id, a.source_path)?;
    writeln!(out, "title:   {}", a.title.as_deref().unwrap_or("-"))?;
    let from = a
        .published_from
        .map(|f| format!(" (from {f})"))
        .unwrap_or_default();
    writeln!(
        out,
        "date:    {}{from}",
        a.published
            .map(|p| p.to_rfc3339())
            .unwrap_or_else(|| "-".into())
    )?;
    writeln!(out, "outlet:  {}", a.outlet.as_deref().unwrap_or("-"))?;
    for (label, value) in [
        ("byline:  ", &a.byline),
        ("language:", &a.language),
        ("canonical:", &a.canonical_url),
    ] {
        if let Some(v) = value {
            writeln!(out, "{label} {v}")?;
        }
    }
    let credits = a.credited_agencies();
    if !credits.is_empty() {
        writeln!(out, "credits: {}", credits.join(", "))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", a.text)?;
    writeln!(out)?;
    Ok(())
}
