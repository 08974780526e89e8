//! The HTML views shared by `analyze --html` (one self-contained page) and `serve` (the local
//! web app): the page shell, a story's lineage drawn as a graph, its table of outlets, and a
//! reuse entry's two texts side by side with the passages highlighted by kind, word-level
//! differences inside edited and spun passages, and what the derived text added.
//!
//! Invariants: every piece of article data (text, title, URL, id, outlet, credits) is
//! untrusted and reaches the page only through [`esc`]; URLs are linked only when http(s);
//! pages carry no script at all, and a Content-Security-Policy that forbids any, so a payload
//! that slipped through escaping still could not run. Offsets are characters, as everywhere.

use newstrace::article::covered_chars;
use newstrace::{Article, CharSpan, Reuse};
use similar::{ChangeTag, TextDiff};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// Escapes text for HTML element content, quoted attribute values and SVG text.
pub fn esc(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// Escapes a query-string component (ids may hold `/`, `&`, spaces, anything).
pub fn url_part(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// No script, no outside resource, forms only to this origin.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                       form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = r#"
:root{--fg:#1b2128;--muted:#5a6672;--line:#d9e0e6;--bg:#f7f9fb;--card:#fff;--accent:#0a58a8;
--copy:#c62f28;--rewrite:#2c63c8;--spin:#8a3fb8;--original:#2b8a3e;--report:#6b7785}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}a:focus-visible,summary:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px;top:8px;background:#fff;padding:6px 10px;z-index:9}.skip:focus{left:8px}
header.top{padding:14px 24px;border-bottom:1px solid var(--line);background:var(--card);display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline}
header.top h1{margin:0;font-size:20px;letter-spacing:-.01em}header.top h1 a{color:inherit;text-decoration:none}
header.top nav a{margin-right:16px;font-weight:500}
main{max-width:1280px;margin:0 auto;padding:8px 24px 56px}
h2{font-size:21px;margin:36px 0 4px;line-height:1.3}h3{font-size:17px;margin:24px 0 8px}h4{margin:0 0 6px;font-size:14px;color:var(--muted);font-weight:600}
.muted{color:var(--muted)}.small{font-size:14px}
.story{border-top:1px solid var(--line);margin-top:28px}
.rel{display:inline-block;min-width:70px;text-align:center;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:1px 6px;border-radius:4px;color:#fff;background:var(--report)}
.rel.copy{background:var(--copy)}.rel.rewrite{background:var(--rewrite)}.rel.spin{background:var(--spin)}.rel.original{background:var(--original)}
.graph{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px;margin:12px 0}
svg.lineage{display:block;font:12px system-ui,sans-serif}
svg .box{fill:#fff;stroke-width:2}svg .box.copy{stroke:var(--copy)}svg .box.rewrite{stroke:var(--rewrite)}svg .box.spin{stroke:var(--spin)}svg .box.original{stroke:var(--original);fill:#f1faf2}svg .box.report{stroke:var(--report)}
svg .edge{fill:none;stroke-width:2}svg .edge.copy{stroke:var(--copy)}svg .edge.rewrite{stroke:var(--rewrite)}svg .edge.spin{stroke:var(--spin)}svg .edge.extra{stroke-dasharray:5 4;opacity:.7}
svg .t1{font-weight:700;fill:var(--fg)}svg .t2,svg .t3{fill:var(--muted)}svg a:focus .box,svg a:hover .box{stroke-width:4}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;background:var(--card);font-size:14px}
td,th{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{font-size:13px;color:var(--muted);font-weight:600}
meter{width:70px;vertical-align:middle}
details.reuse{margin:14px 0;border:1px solid var(--line);border-radius:8px;background:var(--card)}
details.reuse>summary{cursor:pointer;padding:10px 14px;font-weight:600}
.entry{padding:0 14px 14px}.evidence{margin:4px 0 10px;padding-left:20px;font-size:14px;color:var(--muted)}
.side{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.text{border:1px solid var(--line);border-radius:6px;padding:12px 14px;background:#fff;min-width:0}
.body{white-space:pre-wrap;overflow-wrap:anywhere;font:16px/1.6 Georgia,"Iowan Old Style","Times New Roman",serif}
mark{padding:0 1px;border-radius:2px;color:inherit}mark.identical{background:#ffd3cf}mark.edited{background:#ffe4a8}mark.paraphrased{background:#cddfff}mark.spun{background:#ead2fb}
mark a{text-decoration:none}sup{font:10px system-ui,sans-serif;color:var(--muted);margin-right:1px}
del{background:#f6b3ad;text-decoration:line-through}ins{background:#b9e6c2;text-decoration:none;border-bottom:2px solid #2b8a3e}
.added{background:#e3f5e6;box-shadow:inset 3px 0 #2b8a3e}.dropped{color:#8a949e}
.added-list blockquote{margin:8px 0;padding:8px 12px;border-left:4px solid #2b8a3e;background:#f3faf4;font:15px/1.55 Georgia,serif;white-space:pre-wrap;overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:6px 12px;font-size:14px;align-items:center}
.cards{list-style:none;padding:0;margin:0}.cards li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:8px 0}
form.box{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px;display:grid;gap:10px}
form.box label{font-weight:600;font-size:14px}form.box .row{display:flex;flex-wrap:wrap;gap:10px}
input,textarea,button{font:inherit}input[type=text],input[type=search],input[type=url],textarea{width:100%;padding:7px 9px;border:1px solid #aab4be;border-radius:6px}
textarea{min-height:180px}button{padding:8px 16px;border-radius:6px;border:0;background:var(--accent);color:#fff;font-weight:600;cursor:pointer}
.search{display:flex;flex-wrap:wrap;gap:8px;align-items:center}.search input{flex:1 1 200px;width:auto}
.pager a{margin-right:14px}
.changes,.disagree{border:1px solid #f0c36d;background:#fffaf0;border-radius:6px;padding:8px 14px;margin:8px 0 12px}
.changes ul,.disagree ul{margin:4px 0;padding-left:20px}.chg{display:inline-block;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.03em;color:#7a4b00;margin-right:6px}
.disagree blockquote{margin:4px 0 8px;padding:4px 10px;border-left:3px solid #f0c36d;font:15px/1.5 Georgia,serif}
@media (max-width:760px){.side{grid-template-columns:1fr}main,header.top{padding-left:12px;padding-right:12px}h2{font-size:19px}}
"#;

/// A whole page: the shell around `body`. `nav` is the header's links (already HTML).
pub fn page(title: &str, nav: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>{}</title><style>{STYLE}</style></head><body>\
         <a class=\"skip\" href=\"#main\">Skip to content</a>\
         <header class=\"top\"><h1><a href=\"{}\">newstrace</a></h1><nav>{nav}</nav></header>\
         <main id=\"main\">{body}</main></body></html>\n",
        esc(title),
        if nav.is_empty() { "#main" } else { "/" },
    )
}

/// The legend of passage kinds and relations.
pub fn legend() -> &'static str {
    "<p class=\"legend\"><span>Passages:</span><mark class=\"identical\">identical</mark>\
     <mark class=\"edited\">edited</mark><mark class=\"paraphrased\">paraphrased</mark>\
     <mark class=\"spun\">spun</mark><span class=\"added\">added by the derived text</span>\
     <span class=\"dropped\">not taken</span><span><del>removed</del> <ins>inserted</ins> word</span></p>"
}

/// Where the views link to: the report links within its one page, the web app to its routes.
pub trait Links {
    /// The side-by-side view of `lin.reuse[ri]`.
    fn reuse(&self, lin: &Lineage, ri: usize) -> String;
    /// An article's own page, where there is one.
    fn article(&self, a: &Article) -> Option<String>;
}

/// Articles and the reuse found between them (indices of `reuse` point into `articles`).
pub struct Lineage<'a> {
    pub articles: &'a [Article],
    pub reuse: &'a [Reuse],
}

impl Lineage<'_> {
    /// How an article is named on a node or in a table: its outlet, else its id.
    fn label(&self, i: usize) -> &str {
        let a = &self.articles[i];
        a.outlet.as_deref().unwrap_or(&a.id.0)
    }

    /// The entry each derived article is drawn under: the source it took the most from.
    fn primary(&self, edges: &[usize]) -> HashMap<usize, usize> {
        let mut best: HashMap<usize, usize> = HashMap::new();
        for &ri in edges {
            let r = &self.reuse[ri];
            let better = best.get(&r.derived).is_none_or(|&b| {
                let o = &self.reuse[b];
                (r.derived_coverage, r.confidence) > (o.derived_coverage, o.confidence)
            });
            if better {
                best.insert(r.derived, ri);
            }
        }
        best
    }

    /// Share of an article's characters that are its own: outside every passage it took.
    fn own_share(&self, i: usize) -> f32 {
        let chars = self.articles[i].text.chars().count();
        if chars == 0 {
            return 1.0;
        }
        let taken = covered_chars(
            self.reuse
                .iter()
                .filter(|r| r.derived == i)
                .flat_map(|r| r.passages.iter().map(|p| p.derived)),
        );
        1.0 - taken as f32 / chars as f32
    }
}

fn date(a: &Article) -> String {
    match a.published {
        Some(t) if t.format("%H:%M").to_string() == "00:00" => t.format("%Y-%m-%d").to_string(),
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => "no date".into(),
    }
}

fn credits(a: &Article) -> String {
    let c = a.credited_agencies();
    if c.is_empty() {
        "no credit".into()
    } else {
        format!("credits {}", c.join(", "))
    }
}

/// Cuts `s` to at most `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The article's link where it is http(s); anything else (`javascript:`, `data:`) is not linked.
pub fn safe_url(a: &Article) -> Option<&str> {
    a.url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
}

/// A line of an article's metadata: outlet, date, credits, link.
pub fn meta_line(a: &Article) -> String {
    let mut parts = vec![];
    if let Some(o) = &a.outlet {
        parts.push(format!("<strong>{}</strong>", esc(o)));
    }
    parts.push(esc(&date(a)));
    parts.push(esc(&credits(a)));
    parts.push(format!("{} words", a.word_count()));
    if let Some(u) = safe_url(a) {
        parts.push(format!(
            "<a href=\"{}\" rel=\"noopener noreferrer nofollow\">original page</a>",
            esc(u)
        ));
    }
    parts.join(" · ")
}

const NODE_W: usize = 232;
const NODE_H: usize = 60;
const COL_GAP: usize = 56;
const ROW_GAP: usize = 12;
/// Nodes drawn at most: a story republished thousands of times is listed, not drawn.
const MAX_NODES: usize = 300;

/// The lineage of `members` as a graph: originals on the left, each derived article right of
/// the source it took the most from; other sources (a mashup) are dashed edges.
pub fn lineage_graph(h: &mut String, lin: &Lineage, members: &[usize], links: &dyn Links) {
    let inside: HashSet<usize> = members.iter().copied().collect();
    let edges: Vec<usize> = (0..lin.reuse.len())
        .filter(|&ri| {
            let r = &lin.reuse[ri];
            r.source != r.derived && inside.contains(&r.source) && inside.contains(&r.derived)
        })
        .collect();
    if edges.is_empty() {
        h.push_str(
            "<p class=\"muted\">No article here took text from another: independent reports.</p>",
        );
        return;
    }
    let primary = lin.primary(&edges);
    let in_graph: HashSet<usize> = edges
        .iter()
        .flat_map(|&ri| [lin.reuse[ri].source, lin.reuse[ri].derived])
        .collect();
    let order: Vec<usize> = members
        .iter()
        .copied()
        .filter(|i| in_graph.contains(i))
        .collect();
    let mut kids: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in &order {
        if let Some(&ri) = primary.get(&i) {
            kids.entry(lin.reuse[ri].source).or_default().push(i);
        }
    }
    // Depth-first from the roots (articles that took from none here); rows in visiting order.
    let mut place: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut rows = 0;
    let roots: Vec<usize> = order
        .iter()
        .copied()
        .filter(|i| !primary.contains_key(i))
        .collect();
    // A cycle of "took from" has no root: its members are started from, in story order.
    for start in roots.iter().chain(order.iter()) {
        let mut stack = vec![(*start, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            if place.contains_key(&i) || place.len() >= MAX_NODES {
                continue;
            }
            place.insert(i, (depth, rows));
            rows += 1;
            if let Some(ks) = kids.get(&i) {
                stack.extend(ks.iter().rev().map(|&k| (k, depth + 1)));
            }
        }
    }
    let cols = place.values().map(|p| p.0).max().unwrap_or(0) + 1;
    // Room on the right for edges between nodes of one column.
    let width = 16 + 16 + rows * (NODE_H + ROW_GAP) / 6 + cols * (NODE_W + COL_GAP) - COL_GAP;
    let height = 16 + rows * (NODE_H + ROW_GAP) - ROW_GAP;
    let xy = |i: usize| {
        let (c, r) = place[&i];
        (8 + c * (NODE_W + COL_GAP), 8 + r * (NODE_H + ROW_GAP))
    };
    let _ = write!(
        h,
        "<div class=\"graph\"><svg class=\"lineage\" role=\"img\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>Lineage: who took text from whom</title>"
    );
    for &ri in &edges {
        let r = &lin.reuse[ri];
        let (Some(_), Some(_)) = (place.get(&r.source), place.get(&r.derived)) else {
            continue;
        };
        let ((sx, sy), (dx, dy)) = (xy(r.source), xy(r.derived));
        let (x1, y1, y2) = (sx + NODE_W, sy + NODE_H / 2, dy + NODE_H / 2);
        let extra = if primary.get(&r.derived) == Some(&ri) {
            ""
        } else {
            " extra"
        };
        let d = if dx > x1 {
            // Forward: from the source's right side to the derived one's left side.
            let bend = (dx - x1) / 2;
            format!(
                "M{x1} {y1} C{} {y1}, {} {y2}, {dx} {y2}",
                x1 + bend,
                dx - bend
            )
        } else {
            // Same column or backward (a second source): right side to right side.
            let x2 = dx + NODE_W;
            // Farther apart, wider: edges between one column's nodes do not overlap.
            let out = x1.max(x2) + 16 + y1.abs_diff(y2) / 6;
            format!("M{x1} {y1} C{out} {y1}, {out} {y2}, {x2} {y2}")
        };
        let _ = write!(
            h,
            "<path class=\"edge {rel}{extra}\" d=\"{d}\"/>",
            rel = r.relation.as_str(),
        );
    }
    let mut drawn: Vec<(usize, (usize, usize))> = place.iter().map(|(&i, &p)| (i, p)).collect();
    drawn.sort_by_key(|&(_, (c, r))| (r, c));
    for (i, _) in drawn {
        let a = &lin.articles[i];
        let (x, y) = xy(i);
        let (kind, line2, line3, href) = match primary.get(&i) {
            Some(&ri) => {
                let r = &lin.reuse[ri];
                (
                    r.relation.as_str(),
                    format!("{} · {}", r.relation.as_str(), date(a)),
                    format!("{:.0}% taken · {}", r.derived_coverage * 100.0, credits(a)),
                    Some(links.reuse(lin, ri)),
                )
            }
            None => (
                "original",
                format!("original · {}", date(a)),
                credits(a),
                links.article(a),
            ),
        };
        let open = match &href {
            Some(href) => format!(
                "<a class=\"node{}\" href=\"{}\" data-id=\"{}\">",
                if kind == "original" { " root" } else { "" },
                esc(href),
                esc(&a.id.0)
            ),
            None => format!("<g class=\"node root\" data-id=\"{}\">", esc(&a.id.0)),
        };
        let _ = write!(
            h,
            "{open}<title>{} ({}): {}</title><rect class=\"box {kind}\" x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"7\"/>\
             <text x=\"{}\" y=\"{}\"><tspan class=\"t1\" x=\"{}\" dy=\"0\">{}</tspan><tspan class=\"t2\" x=\"{}\" dy=\"17\">{}</tspan><tspan class=\"t3\" x=\"{}\" dy=\"16\">{}</tspan></text>{}",
            esc(&a.id.0),
            esc(lin.label(i)),
            esc(a.title.as_deref().unwrap_or("")),
            x + 10,
            y + 19,
            x + 10,
            esc(&cut(lin.label(i), 30)),
            x + 10,
            esc(&cut(&line2, 36)),
            x + 10,
            esc(&cut(&line3, 36)),
            if href.is_some() { "</a>" } else { "</g>" },
        );
    }
    h.push_str("</svg></div>");
    if place.len() < in_graph.len() {
        let _ = write!(
            h,
            "<p class=\"muted small\">The graph shows {} of the {} articles that took or gave text; the table lists all.</p>",
            place.len(),
            in_graph.len()
        );
    }
}

/// The story's articles as a table: outlet, date, what each took and from whom, and how much
/// of each is its own text.
pub fn outlet_table(h: &mut String, lin: &Lineage, members: &[usize], links: &dyn Links) {
    let inside: HashSet<usize> = members.iter().copied().collect();
    h.push_str(
        "<div class=\"table-wrap\"><table class=\"outlets\"><thead><tr><th scope=\"col\">Outlet</th>\
         <th scope=\"col\">Article</th><th scope=\"col\">Published</th><th scope=\"col\">Role</th>\
         <th scope=\"col\">Took text from</th><th scope=\"col\">Own text</th><th scope=\"col\">Taken by</th></tr></thead><tbody>",
    );
    for &i in members {
        let a = &lin.articles[i];
        let incoming: Vec<usize> = (0..lin.reuse.len())
            .filter(|&ri| lin.reuse[ri].derived == i && inside.contains(&lin.reuse[ri].source))
            .collect();
        let taken_by = lin
            .reuse
            .iter()
            .filter(|r| r.source == i && inside.contains(&r.derived))
            .count();
        let role = incoming
            .iter()
            .max_by(|&&x, &&y| {
                lin.reuse[x]
                    .derived_coverage
                    .total_cmp(&lin.reuse[y].derived_coverage)
            })
            .map(|&ri| lin.reuse[ri].relation.as_str())
            .unwrap_or(if taken_by > 0 {
                "original"
            } else {
                "independent"
            });
        let name = match links.article(a) {
            Some(href) => format!("<a href=\"{}\">{}</a>", esc(&href), esc(&a.id.0)),
            None => esc(&a.id.0),
        };
        let own = lin.own_share(i) * 100.0;
        let _ = write!(
            h,
            "<tr data-id=\"{}\"><td>{}</td><td>{name}<div class=\"muted small\">{}</div></td><td>{}</td>\
             <td><span class=\"rel {role}\">{role}</span></td><td>",
            esc(&a.id.0),
            esc(a.outlet.as_deref().unwrap_or("—")),
            esc(&cut(a.title.as_deref().unwrap_or(""), 90)),
            esc(&date(a)),
        );
        for ri in incoming {
            let r = &lin.reuse[ri];
            let _ = write!(
                h,
                "<div><a class=\"reuse-link\" href=\"{}\" data-source=\"{}\" data-derived=\"{}\">{}</a> \
                 <span class=\"muted small\">{} · {:.0}% of this text</span></div>",
                esc(&links.reuse(lin, ri)),
                esc(&lin.articles[r.source].id.0),
                esc(&a.id.0),
                esc(lin.label(r.source)),
                r.relation.as_str(),
                r.derived_coverage * 100.0
            );
        }
        let _ = write!(
            h,
            "</td><td><meter min=\"0\" max=\"100\" value=\"{own:.0}\" aria-label=\"own text\"></meter> {own:.0}%</td><td>{taken_by}</td></tr>"
        );
    }
    h.push_str("</tbody></table></div>");
}

/// A story: heading, lineage graph and table of outlets.
pub fn story_section(
    h: &mut String,
    lin: &Lineage,
    (id, title): (&str, &str),
    members: &[usize],
    links: &dyn Links,
) {
    let inside: HashSet<usize> = members.iter().copied().collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in lin.reuse.iter().filter(|r| inside.contains(&r.derived)) {
        *counts.entry(r.relation.as_str()).or_default() += 1;
    }
    let outlets: HashSet<&str> = members
        .iter()
        .filter_map(|&i| lin.articles[i].outlet.as_deref())
        .collect();
    let from = match outlets.len() {
        0 => String::new(),
        1 => " from 1 outlet".into(),
        n => format!(" from {n} outlets"),
    };
    let _ = write!(
        h,
        "<section class=\"story\" id=\"{}\" aria-labelledby=\"{}-h\"><h2 id=\"{}-h\">{}</h2>\
         <p class=\"muted\">{} articles{from} · {} copies · {} rewrites · {} spins</p>",
        esc(id),
        esc(id),
        esc(id),
        esc(title),
        members.len(),
        counts.get("copy").unwrap_or(&0),
        counts.get("rewrite").unwrap_or(&0),
        counts.get("spin").unwrap_or(&0),
    );
    lineage_graph(h, lin, members, links);
    outlet_table(h, lin, members, links);
    disagreements(h, lin, members);
}

/// Where the story's versions disagree: each side's value, outlets and supporting sentence.
pub fn disagreements(h: &mut String, lin: &Lineage, members: &[usize]) {
    let found = newstrace::disagree::disagreements(lin.articles, members);
    if found.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<div class=\"disagree\"><h3>Where the versions disagree ({})</h3><ul>",
        found.len()
    );
    for d in &found {
        let _ = write!(
            h,
            "<li><span class=\"chg\">{}</span> <strong>{}</strong><ul>",
            d.kind.as_str(),
            esc(&d.about)
        );
        for side in &d.sides {
            let mut who: Vec<String> = side
                .claims
                .iter()
                .map(|c| {
                    let a = &lin.articles[c.article];
                    format!("{} ({})", lin.label(c.article), date(a))
                })
                .collect();
            who.dedup();
            let _ = write!(
                h,
                "<li>{} {} say <strong>{}</strong>",
                who.len(),
                if who.len() == 1 {
                    "article"
                } else {
                    "articles"
                },
                esc(&side.value)
            );
            let _ = write!(
                h,
                " <span class=\"muted small\">{}</span>",
                esc(&who.join(", "))
            );
            if let Some(c) = side.claims.first() {
                let _ = write!(
                    h,
                    "<blockquote>{}</blockquote>",
                    esc(&cut(&lin.articles[c.article].slice(c.span), 400))
                );
            }
            h.push_str("</li>");
        }
        h.push_str("</ul></li>");
    }
    h.push_str("</ul></div>");
}

/// One reuse entry: the evidence, then both texts side by side (`.side`, with `anchor` as
/// its id), then what the derived text added.
pub fn reuse_entry(h: &mut String, lin: &Lineage, ri: usize, anchor: &str, open: bool) {
    let r = &lin.reuse[ri];
    let (src, der) = (&lin.articles[r.source], &lin.articles[r.derived]);
    let _ = write!(
        h,
        "<details class=\"reuse\" data-source=\"{}\" data-derived=\"{}\"{}><summary><span class=\"rel {rel}\">{rel}</span> \
         {} → {} <span class=\"muted small\">{:.0}% of the derived text taken, {:.0}% of the source used · confidence {:.2}</span></summary><div class=\"entry\">",
        esc(&src.id.0),
        esc(&der.id.0),
        if open { " open" } else { "" },
        esc(lin.label(r.source)),
        esc(lin.label(r.derived)),
        r.derived_coverage * 100.0,
        r.source_coverage * 100.0,
        r.confidence,
        rel = r.relation.as_str(),
    );
    if !r.evidence.is_empty() {
        h.push_str("<ul class=\"evidence\">");
        for e in &r.evidence {
            let _ = write!(h, "<li>{}</li>", esc(e));
        }
        h.push_str("</ul>");
    }
    let changes = newstrace::changes::changes(src, der, r);
    if !changes.is_empty() {
        let _ = write!(
            h,
            "<div class=\"changes\"><h4>Edits that change what is said ({})</h4><ul>",
            changes.len()
        );
        for c in &changes {
            let _ = write!(
                h,
                "<li><span class=\"chg\">{}</span>{}</li>",
                c.kind.as_str().replace('_', " "),
                esc(&c.description)
            );
        }
        h.push_str("</ul></div>");
    }
    let src_chars: Vec<char> = src.text.chars().collect();
    let der_chars: Vec<char> = der.text.chars().collect();
    let slice = |c: &[char], s: CharSpan| -> String {
        c[s.start.min(c.len())..s.end.min(c.len())].iter().collect()
    };
    // Word differences inside passages that were changed word by word.
    let diffs: Vec<Option<(String, String)>> = r
        .passages
        .iter()
        .map(|p| {
            let kind = p.kind.as_str();
            if kind == "identical" {
                return None;
            }
            let (a, b) = (slice(&src_chars, p.source), slice(&der_chars, p.derived));
            word_diff(&a, &b, kind != "paraphrased")
        })
        .collect();
    let mut spans_s = Vec::new();
    let mut spans_d = Vec::new();
    for (n, p) in r.passages.iter().enumerate() {
        let d = diffs[n].as_ref();
        spans_s.push((p.source, p.kind.as_str(), n + 1, d.map(|d| d.0.as_str())));
        spans_d.push((p.derived, p.kind.as_str(), n + 1, d.map(|d| d.1.as_str())));
    }
    let _ = write!(
        h,
        "<div class=\"side\" id=\"{}\"><div class=\"text source\"><h4>Source · {}</h4><p class=\"muted small\">{}</p><div class=\"body\">",
        esc(anchor),
        esc(&src.id.0),
        meta_line(src)
    );
    let added_s = highlight(h, &src_chars, &spans_s, (anchor, 's', 'd'), "dropped");
    let _ = write!(
        h,
        "</div></div><div class=\"text derived\"><h4>Derived · {}</h4><p class=\"muted small\">{}</p><div class=\"body\">",
        esc(&der.id.0),
        meta_line(der)
    );
    let added = highlight(h, &der_chars, &spans_d, (anchor, 'd', 's'), "added");
    h.push_str("</div></div></div>");
    let _ = added_s;
    let added: Vec<String> = added
        .into_iter()
        .map(|s| slice(&der_chars, s).trim().to_string())
        .filter(|t| t.split_whitespace().count() >= 4)
        .collect();
    if !added.is_empty() {
        let words: usize = added.iter().map(|t| t.split_whitespace().count()).sum();
        let _ = write!(
            h,
            "<div class=\"added-list\"><h4>What {} added that the source lacks ({words} words)</h4>",
            esc(lin.label(r.derived))
        );
        for t in added.iter().take(12) {
            let _ = write!(h, "<blockquote>{}</blockquote>", esc(&cut(t, 700)));
        }
        h.push_str("</div>");
    }
    h.push_str("</div></details>");
}

/// Word-level differences of a changed passage as (source side, derived side) HTML, with
/// `<del>` and `<ins>`. `None` where the passage was reworded too much for a diff to help
/// (unless `always`).
fn word_diff(a: &str, b: &str, always: bool) -> Option<(String, String)> {
    let diff = TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(std::time::Duration::from_millis(50))
        .diff_words(a, b);
    if !always && diff.ratio() < 0.6 {
        return None;
    }
    let (mut left, mut right) = (String::new(), String::new());
    // Runs of one tag are wrapped once; whitespace-only changes are shown plain.
    let mut run: Option<(ChangeTag, String)> = None;
    let flush = |run: &mut Option<(ChangeTag, String)>, left: &mut String, right: &mut String| {
        if let Some((tag, text)) = run.take() {
            let e = esc(&text);
            match tag {
                ChangeTag::Equal => {
                    left.push_str(&e);
                    right.push_str(&e);
                }
                ChangeTag::Delete if text.trim().is_empty() => left.push_str(&e),
                ChangeTag::Insert if text.trim().is_empty() => right.push_str(&e),
                ChangeTag::Delete => {
                    let _ = write!(left, "<del>{e}</del>");
                }
                ChangeTag::Insert => {
                    let _ = write!(right, "<ins>{e}</ins>");
                }
            }
        }
    };
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        match &mut run {
            Some((t, text)) if *t == tag => text.push_str(change.value()),
            _ => {
                flush(&mut run, &mut left, &mut right);
                run = Some((tag, change.value().to_string()));
            }
        }
    }
    flush(&mut run, &mut left, &mut right);
    Some((left, right))
}

/// A passage to mark: its span, kind, number, and its inner HTML when it has a word diff.
type Marked<'a> = (CharSpan, &'a str, usize, Option<&'a str>);

/// Writes `text` escaped, each span wrapped in a numbered mark linking to its partner on the
/// other side; text between marks that holds a letter or digit is wrapped in `gap_class`.
/// Returns the gaps so wrapped. `ids` is (anchor, this side's letter, the other side's).
fn highlight(
    h: &mut String,
    chars: &[char],
    spans: &[Marked],
    (anchor, me, other): (&str, char, char),
    gap_class: &str,
) -> Vec<CharSpan> {
    let mut sorted: Vec<&Marked> = spans.iter().collect();
    sorted.sort_by_key(|(s, _, n, _)| (s.start, *n));
    let mut gaps = Vec::new();
    let mut at = 0;
    let mut gap = |h: &mut String, from: usize, to: usize| {
        if from >= to {
            return;
        }
        let text: String = chars[from..to].iter().collect();
        if !spans.is_empty() && text.chars().any(char::is_alphanumeric) {
            let _ = write!(h, "<span class=\"{gap_class}\">{}</span>", esc(&text));
            gaps.push(CharSpan::new(from, to));
        } else {
            h.push_str(&esc(&text));
        }
    };
    for (span, kind, n, inner) in sorted {
        let start = span.start.max(at).min(chars.len());
        let end = span.end.min(chars.len());
        if end <= start {
            continue;
        }
        gap(h, at, start);
        // A passage cut short by an overlap loses its diff: the diff covers the whole span.
        let body = match inner {
            Some(inner) if start == span.start => inner.to_string(),
            _ => esc(&chars[start..end].iter().collect::<String>()),
        };
        let _ = write!(
            h,
            "<mark class=\"{kind}\" id=\"{anchor}{me}{n}\"><a href=\"#{anchor}{other}{n}\" aria-label=\"passage {n} on the other side\"><sup>{n}</sup></a>{body}</mark>",
        );
        at = end;
    }
    gap(h, at, chars.len());
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use newstrace::align::PassageKind;
    use newstrace::judge::{Relation, ReusedPassage};

    struct NoLinks;
    impl Links for NoLinks {
        fn reuse(&self, _: &Lineage, ri: usize) -> String {
            format!("#r{ri}")
        }
        fn article(&self, _: &Article) -> Option<String> {
            None
        }
    }

    fn pair() -> (Vec<Article>, Vec<Reuse>) {
        let mut a = Article::from_text(
            "a<script>",
            "Rebels took the town on Monday. Officials said 12 died.".into(),
        );
        a.url = Some("javascript:alert(1)".into());
        a.outlet = Some("\"><img src=x onerror=alert(1)>".into());
        let b = Article::from_text(
            "b",
            "Rebels seized the town on Monday. Officials said 12 died. <b>We think</b> this is a disgrace and a shame."
                .into(),
        );
        let r = Reuse {
            source: 0,
            derived: 1,
            relation: Relation::Copy,
            confidence: 0.9,
            source_coverage: 1.0,
            derived_coverage: 0.5,
            passages: vec![
                ReusedPassage {
                    source: CharSpan::new(0, 31),
                    derived: CharSpan::new(0, 33),
                    kind: PassageKind::Edited,
                },
                ReusedPassage {
                    source: CharSpan::new(32, 55),
                    derived: CharSpan::new(34, 57),
                    kind: PassageKind::Identical,
                },
            ],
            evidence: vec!["<i>evidence</i>".into()],
        };
        (vec![a, b], vec![r])
    }

    #[test]
    fn escapes_hostile_text_everywhere() {
        let (articles, reuse) = pair();
        let lin = Lineage {
            articles: &articles,
            reuse: &reuse,
        };
        let mut h = String::new();
        story_section(
            &mut h,
            &lin,
            ("s1", "<script>t</script>"),
            &[0, 1],
            &NoLinks,
        );
        reuse_entry(&mut h, &lin, 0, "r0", false);
        for bad in ["<script", "<img", "<b>", "<i>", "javascript:"] {
            assert!(!h.contains(bad), "{bad} reached the page");
        }
        assert!(h.contains("&lt;script&gt;") && h.contains("&lt;b&gt;We think"));
    }

    #[test]
    fn shows_word_diffs_and_what_was_added() {
        let (articles, reuse) = pair();
        let lin = Lineage {
            articles: &articles,
            reuse: &reuse,
        };
        let mut h = String::new();
        reuse_entry(&mut h, &lin, 0, "r0", true);
        assert!(
            h.contains("<del>took</del>") && h.contains("<ins>seized</ins>"),
            "{h}"
        );
        assert!(h.contains("class=\"added\""));
        assert!(h.contains("What b added that the source lacks"));
        assert!(h.contains("&lt;b&gt;We think&lt;/b&gt; this is a disgrace"));
    }

    #[test]
    fn graph_puts_the_original_first_and_links_copies() {
        let (articles, reuse) = pair();
        let lin = Lineage {
            articles: &articles,
            reuse: &reuse,
        };
        let mut h = String::new();
        lineage_graph(&mut h, &lin, &[0, 1], &NoLinks);
        assert!(h.contains("<svg class=\"lineage\""));
        assert!(h.contains("class=\"node\" href=\"#r0\" data-id=\"b\""));
        assert!(h.contains("class=\"box original\" x=\"8\""));
        assert!(h.contains("class=\"edge copy\""));
    }
}
