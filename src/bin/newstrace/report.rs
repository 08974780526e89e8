//! `analyze --html`: one self-contained report page (inline CSS, no script, no network).
//! Stories with their lineage, and for each reuse entry the two texts side by side with the
//! aligned passages highlighted by kind and numbered so each pair can be found.
//!
//! Invariant: every piece of article data (text, title, URL, id, outlet) is untrusted and
//! goes through [`esc`] before it reaches the page; URLs are only linked when http(s).

use newstrace::{Analysis, Article, CharSpan, Reuse};
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
fn esc(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

const STYLE: &str = r#"
:root{--fg:#1d232a;--muted:#5f6b76;--line:#dde3e8;--bg:#fbfcfd;--accent:#0b5cad}
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:24px 32px;border-bottom:1px solid var(--line);background:#fff}
h1{margin:0;font-size:24px}h2{font-size:20px;margin:32px 0 8px}h3{font-size:16px;margin:20px 0 6px}
main{max-width:1200px;margin:0 auto;padding:8px 32px 48px}
.muted{color:var(--muted)}.tree{list-style:none;padding-left:0}.tree ul{list-style:none;padding-left:24px;border-left:2px solid var(--line);margin-left:8px}
.tree li{margin:4px 0}.rel{display:inline-block;min-width:64px;font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;padding:1px 6px;border-radius:4px;background:#eef2f5}
.rel.copy{background:#fde2e1}.rel.rewrite{background:#e4ecfb}.rel.spin{background:#f6e7fb}.rel.original{background:#e2f3e5}
.side{display:grid;grid-template-columns:1fr 1fr;gap:16px}.side>div{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;white-space:pre-wrap;font-size:15px}
mark{padding:0 1px;border-radius:2px}mark.identical{background:#ffd0cc}mark.edited{background:#ffe7b8}mark.paraphrased{background:#cfe0ff}mark.spun{background:#ecd3ff}
sup{font-size:10px;color:var(--muted)}details{margin:12px 0;border:1px solid var(--line);border-radius:6px;background:#fff;padding:8px 12px}
summary{cursor:pointer;font-weight:600}.legend mark{margin-right:8px}a{color:var(--accent)}
table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left}
@media (max-width:720px){.side{grid-template-columns:1fr}main,header{padding-left:14px;padding-right:14px}}
"#;

/// Renders the whole report page.
pub fn render(an: &Analysis) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>newstrace report</title><style>{STYLE}</style></head><body><header><h1>newstrace report</h1>\
         <div class=\"muted\">{} articles · {} stories · {} reuse links · {} skipped</div></header><main>",
        an.articles.len(),
        an.stories.len(),
        an.reuse.len(),
        an.skipped.len()
    );
    h.push_str("<p class=\"legend\"><mark class=\"identical\">identical</mark><mark class=\"edited\">edited</mark><mark class=\"paraphrased\">paraphrased</mark><mark class=\"spun\">spun</mark></p>");
    for (si, story) in an.stories.iter().enumerate() {
        let _ = write!(
            h,
            "<section id=\"s{}\"><h2>Story s{}: {}</h2>",
            si + 1,
            si + 1,
            esc(&story.title)
        );
        h.push_str("<ul class=\"tree\">");
        for &d in &story.articles {
            if an.reuse.iter().any(|r| r.derived == d) {
                continue;
            }
            let role = if an.reuse.iter().any(|r| r.source == d) {
                "original"
            } else {
                "report"
            };
            let _ = write!(
                h,
                "<li><span class=\"rel original\">{role}</span> {}",
                node(&an.articles[d])
            );
            tree(&mut h, an, d, &mut vec![d]);
            h.push_str("</li>");
        }
        h.push_str("</ul>");
        for (ri, r) in an.reuse.iter().enumerate() {
            if story.articles.contains(&r.derived) {
                side_by_side(&mut h, an, ri, r);
            }
        }
        h.push_str("</section>");
    }
    if !an.skipped.is_empty() {
        h.push_str("<h2>Skipped</h2><ul>");
        for s in &an.skipped {
            let _ = write!(h, "<li>{}: {}</li>", esc(&s.source), esc(&s.reason));
        }
        h.push_str("</ul>");
    }
    h.push_str("</main></body></html>\n");
    h
}

fn node(a: &Article) -> String {
    let mut s = format!("<strong>{}</strong>", esc(&a.id.0));
    let mut meta = Vec::new();
    if let Some(o) = &a.outlet {
        meta.push(esc(o));
    }
    if let Some(p) = a.published {
        meta.push(p.format("%Y-%m-%d %H:%M").to_string());
    }
    let credits = a.credited_agencies();
    if !credits.is_empty() {
        meta.push(format!("credits {}", esc(&credits.join(", "))));
    }
    if let Some(u) = a
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        meta.push(format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">link</a>",
            esc(u)
        ));
    }
    if !meta.is_empty() {
        let _ = write!(s, " <span class=\"muted\">{}</span>", meta.join(" · "));
    }
    s
}

fn tree(h: &mut String, an: &Analysis, source: usize, path: &mut Vec<usize>) {
    let kids: Vec<(usize, &Reuse)> = an
        .reuse
        .iter()
        .enumerate()
        .filter(|(_, r)| r.source == source && !path.contains(&r.derived))
        .collect();
    if kids.is_empty() {
        return;
    }
    h.push_str("<ul>");
    for (ri, r) in kids {
        let _ = write!(
            h,
            "<li><span class=\"rel {rel}\">{rel}</span> {} <a href=\"#r{ri}\">{:.0}% taken</a> <span class=\"muted\">confidence {:.2}</span>",
            node(&an.articles[r.derived]),
            r.derived_coverage * 100.0,
            r.confidence,
            rel = r.relation.as_str(),
        );
        path.push(r.derived);
        tree(h, an, r.derived, path);
        path.pop();
        h.push_str("</li>");
    }
    h.push_str("</ul>");
}

fn side_by_side(h: &mut String, an: &Analysis, ri: usize, r: &Reuse) {
    let (src, der) = (&an.articles[r.source], &an.articles[r.derived]);
    let _ = write!(
        h,
        "<details id=\"r{ri}\"><summary>{} → {} · {} · {:.0}% of the derived text, {:.0}% of the source</summary><ul>",
        esc(&src.id.0),
        esc(&der.id.0),
        r.relation.as_str(),
        r.derived_coverage * 100.0,
        r.source_coverage * 100.0
    );
    for e in &r.evidence {
        let _ = write!(h, "<li>{}</li>", esc(e));
    }
    h.push_str("</ul><div class=\"side\"><div>");
    let spans: Vec<(CharSpan, &str, usize)> = r
        .passages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source, p.kind.as_str(), i + 1))
        .collect();
    highlight(h, &src.text, &spans, &format!("r{ri}s"), &format!("r{ri}d"));
    h.push_str("</div><div>");
    let spans: Vec<(CharSpan, &str, usize)> = r
        .passages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.derived, p.kind.as_str(), i + 1))
        .collect();
    highlight(h, &der.text, &spans, &format!("r{ri}d"), &format!("r{ri}s"));
    h.push_str("</div></div></details>");
}

/// Writes `text` escaped, with each span wrapped in a numbered mark linking to its partner.
fn highlight(
    h: &mut String,
    text: &str,
    spans: &[(CharSpan, &str, usize)],
    id_prefix: &str,
    other_prefix: &str,
) {
    let chars: Vec<char> = text.chars().collect();
    let mut sorted: Vec<&(CharSpan, &str, usize)> = spans.iter().collect();
    sorted.sort_by_key(|(s, _, n)| (s.start, *n));
    let mut at = 0;
    for (span, kind, n) in sorted {
        let start = span.start.max(at).min(chars.len());
        let end = span.end.min(chars.len());
        if end <= start {
            continue;
        }
        h.push_str(&esc(&chars[at..start].iter().collect::<String>()));
        let _ = write!(
            h,
            "<mark class=\"{kind}\" id=\"{id_prefix}{n}\"><a href=\"#{other_prefix}{n}\"><sup>{n}</sup></a>{}</mark>",
            esc(&chars[start..end].iter().collect::<String>())
        );
        at = end;
    }
    h.push_str(&esc(&chars[at.min(chars.len())..]
        .iter()
        .collect::<String>()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_hostile_text() {
        let e = esc("<script>alert(1)</script>\"><img onerror=x>");
        assert!(!e.contains('<') && !e.contains('"'));
        let mut h = String::new();
        highlight(
            &mut h,
            "a <b> c",
            &[(CharSpan::new(2, 5), "identical", 1)],
            "x",
            "y",
        );
        assert!(h.contains("&lt;b&gt;") && !h.contains("<b>"));
    }
}
