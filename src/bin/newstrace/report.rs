//! `analyze --html`: one self-contained report page (inline CSS and SVG, no script, no
//! network; opens from a file URL). Each story has its lineage graph, its table of outlets,
//! and for each reuse entry the two texts side by side (see [`crate::html`]).

use crate::html::{self, esc, Lineage, Links};
use newstrace::{Analysis, Article};
use std::fmt::Write;

/// Links within the one page: reuse entry `k`'s side-by-side view is `#r{k}`.
struct InPage;

impl Links for InPage {
    fn reuse(&self, _: &Lineage, ri: usize) -> String {
        format!("#r{ri}")
    }
    fn article(&self, _: &Article) -> Option<String> {
        None
    }
}

/// Renders the whole report page.
pub fn render(an: &Analysis) -> String {
    let lin = Lineage {
        articles: &an.articles,
        reuse: &an.reuse,
    };
    let count = |rel: &str| {
        an.reuse
            .iter()
            .filter(|r| r.relation.as_str() == rel)
            .count()
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2 class=\"first\">Report</h2><p class=\"muted\">{} articles · {} stories · {} copies · {} rewrites · {} spins · {} skipped</p>",
        an.articles.len(),
        an.stories.len(),
        count("copy"),
        count("rewrite"),
        count("spin"),
        an.skipped.len()
    );
    h.push_str(html::legend());
    if an.stories.len() > 1 {
        h.push_str("<nav aria-label=\"Stories\"><ol>");
        for (si, story) in an.stories.iter().enumerate() {
            let _ = write!(
                h,
                "<li><a href=\"#s{}\">{}</a> <span class=\"muted small\">{} articles</span></li>",
                si + 1,
                esc(&story.title),
                story.articles.len()
            );
        }
        h.push_str("</ol></nav>");
    }
    for (si, story) in an.stories.iter().enumerate() {
        let id = format!("s{}", si + 1);
        html::story_section(&mut h, &lin, (&id, &story.title), &story.articles, &InPage);
        let entries: Vec<usize> = (0..an.reuse.len())
            .filter(|&ri| story.articles.contains(&an.reuse[ri].derived))
            .collect();
        if !entries.is_empty() {
            h.push_str("<h3>Side by side</h3>");
        }
        for ri in entries {
            html::reuse_entry(&mut h, &lin, ri, &format!("r{ri}"), false);
        }
    }
    if !an.skipped.is_empty() {
        h.push_str("<h2>Skipped</h2><ul>");
        for s in &an.skipped {
            let _ = write!(h, "<li>{}: {}</li>", esc(&s.source), esc(&s.reason));
        }
        h.push_str("</ul>");
    }
    html::page("newstrace report", "", &h)
}
