//! How deep a page nests its elements, estimated from one linear scan of its tags, before it
//! is parsed: html5ever does not cap nesting and its tree builder walks the stack of open
//! elements for each tag, so a page nested 100,000 deep costs minutes to parse.
//!
//! The scan models the parser's stack of open elements closely enough that a page cannot
//! look shallow while parsing deep: tags are tokenized as html5ever does (a quoted attribute
//! value may hold `>`; `/>` closes only void and SVG/MathML elements; the text of `script`,
//! `style`, `textarea`, `title`, … holds no tags); an end tag closes only what the parser
//! would close (`</div>` its element in scope, `</span>` its element above the nearest
//! special element, `</b>` as the adoption agency does when nothing special is in the way; a
//! stray one nothing); `<p>`, `<li>`, `<dd>`, `<option>`, table rows and cells close their
//! predecessors by the parser's rules; formatting elements (`<b>`, `<font>`, …) closed on the
//! way are re-opened, as the parser re-makes them, up to three alike (its Noah's Ark clause);
//! an HTML tag inside SVG or MathML ends the foreign elements it is in. Where the model is
//! unsure it keeps elements open, so it errs high. The tests check it against html5ever
//! itself on random tag soup: the estimate is within a small factor of the parsed depth.

use std::collections::HashMap;

/// Deepest element nesting a page may have; real pages stay under a few hundred.
pub const MAX_NESTING: usize = 1000;

/// Elements never on the stack: void elements, and those the parser ignores in a page's body.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr", "html", "head", "body",
    "frameset", "colgroup",
];

/// Elements whose content is text to the parser (in HTML, not in SVG or MathML).
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// HTML elements past which an end tag does not look for its element (html5ever's "default
/// scope").
const BOUNDARY: &[&str] = &[
    "applet", "caption", "marquee", "object", "select", "table", "template", "td", "th",
];

/// Elements that set a marker in the list of active formatting elements.
const MARKERS: &[&str] = &[
    "applet", "caption", "marquee", "object", "template", "td", "th",
];

/// HTML elements of the parser's "special" category (those that can be open).
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "button",
    "caption",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "object",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Start tags that close an open `p` (in button scope) first.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "plaintext",
    "hr",
    "xmp",
    "li",
    "dd",
    "dt",
];

/// End tags that close their element when it is in scope, whatever is open above it.
const BLOCK_END: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
];

/// Formatting elements: kept in the parser's list of active formatting elements and re-made
/// where something else closed them.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// What "generate implied end tags" pops.
const IMPLIED_END: &[&str] = &[
    "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
];

/// Start tags that end SVG or MathML content (the parser pops the foreign elements); `font`
/// too when it has a `color`, `face` or `size` attribute.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// SVG elements whose content is HTML again (scope boundaries and special too).
const SVG_INTEGRATION: &[&str] = &["foreignobject", "desc", "title"];

/// MathML elements whose content is HTML again (scope boundaries and special too);
/// `annotation-xml` only with an HTML `encoding`.
const MATH_INTEGRATION: &[&str] = &["mi", "mo", "mn", "ms", "mtext", "annotation-xml"];

/// How far back a lookup in the stack or the formatting list goes before the scan gives up
/// and leaves things open (keeping the estimate high, and the scan linear).
const REACH: usize = 64;

/// The namespace of an element or of its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

struct Open {
    name: String,
    /// Whether it is an SVG or MathML element (an integration point too).
    foreign: bool,
    /// The namespace its content is parsed in.
    content: Ns,
    /// Its entry in the list of active formatting elements, if it is a formatting element.
    formatting: Option<u64>,
}

/// Groups of open elements, each starting at an element of one kind, with a count of each
/// name open in the group after its first element: whether something is open "in scope"
/// (above the nearest element of that kind) is known in constant time.
struct Frames {
    starts: fn(&str, bool) -> bool,
    /// Per group: where its first element is on the stack (`ROOT`: the outermost group,
    /// which starts at no element), and the counts.
    groups: Vec<(usize, HashMap<String, u32>)>,
}

const ROOT: usize = usize::MAX;

impl Frames {
    fn new(starts: fn(&str, bool) -> bool) -> Self {
        Frames {
            starts,
            groups: vec![(ROOT, HashMap::new())],
        }
    }

    fn push(&mut self, at: usize, name: &str, integration: bool) {
        if (self.starts)(name, integration) {
            self.groups.push((at, HashMap::new()));
        } else if let Some((_, counts)) = self.groups.last_mut() {
            *counts.entry(name.to_string()).or_insert(0) += 1;
        }
    }

    fn pop(&mut self, at: usize, name: &str) {
        match self.groups.last_mut() {
            Some((start, _)) if *start == at => {
                self.groups.pop();
            }
            Some((_, counts)) => {
                if let Some(c) = counts.get_mut(name) {
                    *c = c.saturating_sub(1);
                }
            }
            None => {}
        }
    }

    fn holds(&self, name: &str) -> bool {
        self.groups
            .last()
            .is_some_and(|(_, counts)| counts.get(name).is_some_and(|&c| c > 0))
    }

    /// Where the innermost group starts, unless it is the outermost.
    fn start(&self) -> Option<usize> {
        self.groups
            .last()
            .map(|&(at, _)| at)
            .filter(|&at| at != ROOT)
    }
}

fn html_boundary(name: &str, integration: bool) -> bool {
    integration || BOUNDARY.contains(&name)
}

fn special(name: &str, integration: bool) -> bool {
    integration || SPECIAL.contains(&name)
}

/// The groups of each scope the parser's rules look in.
struct Scopes {
    /// The default scope.
    default: Frames,
    /// Button scope (where an open `p` is looked for).
    button: Frames,
    /// List item scope (`</li>`).
    list_item: Frames,
    /// Above the nearest special element (`</span>`, `</b>` without a furthest block).
    special: Frames,
    /// What `<li>` looks through for an `li` to close (special elements stop it, but for
    /// `address`, `div` and `p`).
    li: Frames,
    /// The same for `<dd>` and `<dt>`.
    dd: Frames,
}

impl Scopes {
    fn new() -> Self {
        Scopes {
            default: Frames::new(html_boundary),
            button: Frames::new(|n, i| html_boundary(n, i) || n == "button"),
            list_item: Frames::new(|n, i| html_boundary(n, i) || n == "ol" || n == "ul"),
            special: Frames::new(special),
            li: Frames::new(|n, i| special(n, i) && !matches!(n, "address" | "div" | "p" | "li")),
            dd: Frames::new(|n, i| {
                special(n, i) && !matches!(n, "address" | "div" | "p" | "dd" | "dt")
            }),
        }
    }

    fn all(&mut self) -> [&mut Frames; 6] {
        [
            &mut self.default,
            &mut self.button,
            &mut self.list_item,
            &mut self.special,
            &mut self.li,
            &mut self.dd,
        ]
    }
}

/// An entry of the list of active formatting elements.
enum Entry {
    /// Set at a cell, caption, object, marquee, applet or template: the list before it is
    /// out of reach.
    Marker,
    Formatting {
        id: u64,
        name: String,
        /// The tag's name and attributes, as the Noah's Ark clause compares them.
        key: u64,
        open: bool,
    },
}

/// The open elements as the model sees them.
struct Stack {
    open: Vec<Open>,
    scopes: Scopes,
    /// The parser's form element pointer is set: a `<form>` is ignored (but in a template).
    form_open: bool,
    templates: usize,
    formatting: Vec<Entry>,
    next_id: u64,
}

impl Stack {
    fn new() -> Self {
        Stack {
            open: Vec::new(),
            scopes: Scopes::new(),
            form_open: false,
            templates: 0,
            formatting: Vec::new(),
            next_id: 0,
        }
    }

    fn depth(&self) -> usize {
        self.open.len()
    }

    fn top(&self) -> Option<&Open> {
        self.open.last()
    }

    fn top_is(&self, names: &[&str]) -> bool {
        self.top()
            .is_some_and(|o| !o.foreign && names.contains(&o.name.as_str()))
    }

    /// Whether a start tag is parsed as SVG or MathML.
    fn in_foreign(&self) -> bool {
        self.top().is_some_and(|o| o.content != Ns::Html)
    }

    /// The element that starts the innermost default scope.
    fn boundary(&self) -> Option<&str> {
        self.scopes
            .default
            .start()
            .map(|at| self.open[at].name.as_str())
    }

    /// Opens an element: HTML (`ns` is `Html`) or SVG/MathML, whose content is HTML again
    /// when it is an integration point.
    fn push(&mut self, name: &str, ns: Ns, integration: bool) {
        let foreign = ns != Ns::Html;
        let at = self.open.len();
        // A foreign element counts in the groups under its own name, which no HTML rule
        // looks for (`svg:div` is not a `div`).
        let key = if foreign {
            format!("svg:{name}")
        } else {
            name.to_string()
        };
        for f in self.scopes.all() {
            f.push(at, &key, integration);
        }
        if !foreign && name == "template" {
            self.templates += 1;
        }
        if !foreign && MARKERS.contains(&name) {
            self.formatting.push(Entry::Marker);
        }
        self.open.push(Open {
            name: key,
            foreign,
            content: if integration { Ns::Html } else { ns },
            formatting: None,
        });
    }

    /// Pops the top element, leaving a formatting element's entry to be re-made.
    fn pop(&mut self) {
        let Some(top) = self.open.pop() else { return };
        let at = self.open.len();
        for f in self.scopes.all() {
            f.pop(at, &top.name);
        }
        if !top.foreign && top.name == "template" {
            self.templates -= 1;
        }
        if !top.foreign && MARKERS.contains(&top.name.as_str()) {
            // Closing a marker's element clears the list back to the marker.
            while let Some(e) = self.formatting.pop() {
                if matches!(e, Entry::Marker) {
                    break;
                }
            }
        }
        if let Some(id) = top.formatting {
            if let Some(Entry::Formatting { open, .. }) = self.entry_mut(id) {
                *open = false;
            }
        }
    }

    fn entry_mut(&mut self, id: u64) -> Option<&mut Entry> {
        self.formatting
            .iter_mut()
            .rev()
            .take(REACH)
            .find(|e| matches!(e, Entry::Formatting { id: i, .. } if *i == id))
    }

    /// Re-opens the formatting elements something else closed (the parser does so before
    /// the next text or inline element).
    fn reconstruct(&mut self) {
        let mut from = self.formatting.len();
        while from > 0 {
            match &self.formatting[from - 1] {
                Entry::Formatting { open: false, .. } => from -= 1,
                _ => break,
            }
        }
        for k in from..self.formatting.len() {
            let Entry::Formatting { name, .. } = &self.formatting[k] else {
                continue;
            };
            let name = name.clone();
            let id = self.next_id;
            self.next_id += 1;
            self.push(&name, Ns::Html, false);
            if let Some(top) = self.open.last_mut() {
                top.formatting = Some(id);
            }
            if let Entry::Formatting { id: i, open, .. } = &mut self.formatting[k] {
                *i = id;
                *open = true;
            }
        }
    }

    /// Opens a formatting element and enters it in the list (at most three alike after the
    /// last marker: the oldest goes).
    fn push_formatting(&mut self, name: &str, key: u64) {
        let mut alike = Vec::new();
        for (k, e) in self.formatting.iter().enumerate().rev().take(REACH) {
            match e {
                Entry::Marker => break,
                Entry::Formatting { key: other, .. } if *other == key => alike.push(k),
                _ => {}
            }
        }
        if alike.len() >= 3 {
            if let Some(&oldest) = alike.last() {
                self.formatting.remove(oldest);
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        self.push(name, Ns::Html, false);
        if let Some(top) = self.open.last_mut() {
            top.formatting = Some(id);
        }
        self.formatting.push(Entry::Formatting {
            id,
            name: name.to_string(),
            key,
            open: true,
        });
    }

    /// Pops elements up to and including the topmost one named `name`.
    fn pop_to(&mut self, name: &str) {
        self.pop_to_any(&[name]);
    }

    /// Pops elements up to and including the topmost HTML one named any of `names`.
    fn pop_to_any(&mut self, names: &[&str]) {
        while let Some(top) = self.open.last() {
            let done = !top.foreign && names.contains(&top.name.as_str());
            self.pop();
            if done {
                break;
            }
        }
    }

    /// Pops elements while the top is one of `names`.
    fn pop_while(&mut self, names: &[&str]) {
        while self.top_is(names) {
            self.pop();
        }
    }

    /// Pops elements until the top is one of `names` (or nothing is left above `floor`).
    fn pop_until(&mut self, names: &[&str], floor: usize) {
        while self.open.len() > floor + 1 && !self.top_is(names) {
            self.pop();
        }
    }

    /// Closes the innermost default scope, its boundary element included.
    fn pop_scope(&mut self) {
        if let Some(at) = self.scopes.default.start() {
            while self.open.len() > at {
                self.pop();
            }
        }
    }

    /// Closes a cell or caption the innermost scope is (before a row, a cell, a table end).
    fn close_cell(&mut self) {
        if matches!(self.boundary(), Some("td" | "th" | "caption")) {
            self.pop_scope();
        }
    }

    /// Closes an open `p` in button scope.
    fn close_p(&mut self) {
        if self.scopes.button.holds("p") {
            self.pop_to("p");
        }
    }

    /// Pops SVG and MathML elements down to an HTML element or an integration point.
    fn break_out(&mut self) {
        while self
            .top()
            .is_some_and(|o| o.foreign && o.content != Ns::Html)
        {
            self.pop();
        }
    }
}

/// An upper estimate, within a small factor, of a page's element nesting depth (stops
/// counting once past [`MAX_NESTING`]). Linear in the page's length.
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let mut stack = Stack::new();
    let (mut deepest, mut i) = (0usize, 0usize);
    // A CDATA section is text only where the parser is in SVG or MathML, which the model
    // may misjudge: its content is scanned for start tags, all taken as opening, and
    // nothing else (no end tag, comment or raw text), so that either way the estimate errs
    // high.
    let mut doubtful_until = 0usize;
    while i < b.len() && deepest <= MAX_NESTING {
        let Some(lt) = b[i..].iter().position(|&c| c == b'<') else {
            break;
        };
        i += lt;
        let rest = &b[i..];
        if i < doubtful_until {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && !is_space_or(b[end], b"/>") {
                end += 1;
            }
            if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
                i += 1;
                continue;
            }
            let name = html[start..end].to_ascii_lowercase();
            let ns = stack.top().map_or(Ns::Html, |o| o.content);
            if ns != Ns::Html || !VOID.contains(&name.as_str()) {
                stack.push(&name, ns, false);
                deepest = deepest.max(stack.depth());
            }
            i = end;
            continue;
        }
        if rest.starts_with(b"<!--") {
            // `<!-->` and `<!--->` are whole (empty) comments.
            i = if rest.starts_with(b"<!-->") {
                i + 5
            } else if rest.starts_with(b"<!--->") {
                i + 6
            } else {
                find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3)
            };
            continue;
        }
        if rest.starts_with(b"<![CDATA[") && stack.top().is_some_and(|o| o.foreign) {
            doubtful_until = find(b, i + 9, b"]]>").map_or(b.len(), |e| e + 3);
            i += 9;
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let start = i + 1 + closing as usize;
        if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            if rest.starts_with(b"<!") || rest.starts_with(b"<?") || closing {
                // A doctype or bogus comment: up to the next `>`.
                i = find(b, i + 1, b">").map_or(b.len(), |e| e + 1);
            } else {
                i += 1;
            }
            continue;
        }
        let mut end = start;
        while end < b.len() && !is_space_or(b[end], b"/>") {
            end += 1;
        }
        let name = html[start..end].to_ascii_lowercase();
        let Some(tag) = read_tag(b, end) else {
            // The page ends inside a tag: the parser drops it.
            break;
        };
        i = tag.end;
        if closing {
            if stack.top().is_some_and(|o| o.foreign) {
                foreign_end_tag(&mut stack, &name);
            } else {
                end_tag(&mut stack, &name);
            }
            stack.reconstruct();
            deepest = deepest.max(stack.depth());
            continue;
        }
        if stack.in_foreign()
            && (BREAKOUT.contains(&name.as_str()) || name == "font" && tag.font_styling)
        {
            stack.break_out();
        }
        let ns = match stack.top() {
            None if name == "svg" => Ns::Svg,
            None if name == "math" => Ns::MathMl,
            None => Ns::Html,
            Some(top) => match top.content {
                Ns::Html if name == "svg" => Ns::Svg,
                Ns::Html if name == "math" => Ns::MathMl,
                // An `svg` in a MathML annotation is SVG.
                Ns::MathMl if name == "svg" && top.name == "svg:annotation-xml" => Ns::Svg,
                ns => ns,
            },
        };
        if ns != Ns::Html {
            // An SVG or MathML element: `/>` closes it; an integration point holds HTML.
            stack.reconstruct();
            if !tag.self_closing {
                let integration = match ns {
                    Ns::Svg => SVG_INTEGRATION.contains(&name.as_str()),
                    _ if name == "annotation-xml" => tag.html_encoding,
                    _ => MATH_INTEGRATION.contains(&name.as_str()),
                };
                stack.push(&name, ns, integration);
            }
        } else {
            if CLOSES_P.contains(&name.as_str()) || name == "xmp" {
                if name == "li" {
                    if stack.scopes.li.holds("li") {
                        stack.pop_to("li");
                    }
                } else if (name == "dd" || name == "dt")
                    && (stack.scopes.dd.holds("dd") || stack.scopes.dd.holds("dt"))
                {
                    stack.pop_to_any(&["dd", "dt"]);
                }
                stack.close_p();
            }
            if name == "plaintext" {
                stack.reconstruct();
                deepest = deepest.max(stack.depth());
                break;
            }
            if RAW_TEXT.contains(&name.as_str()) {
                stack.reconstruct();
                i = end_of_raw_text(b, i, &name);
            } else if !VOID.contains(&name.as_str()) {
                start_tag(&mut stack, &name, tag.key);
            } else {
                stack.reconstruct();
            }
        }
        deepest = deepest.max(stack.depth());
    }
    deepest
}

/// An HTML start tag of an element that can be open (not void, not raw text).
// Each arm handles its tag whole: with its test in a guard, a tag would fall through to the
// general arms below.
#[allow(clippy::collapsible_match)]
fn start_tag(stack: &mut Stack, name: &str, key: u64) {
    let opens = match name {
        "table" => {
            // A table directly in a table ends the first one.
            if stack.boundary() == Some("table") {
                stack.pop_scope();
            }
            true
        }
        "caption" | "tbody" | "thead" | "tfoot" => {
            stack.close_cell();
            match table_at(stack) {
                Some(table) => {
                    stack.pop_until(&["table"], table.saturating_sub(1));
                    true
                }
                None => false,
            }
        }
        "tr" => {
            stack.close_cell();
            match table_at(stack) {
                Some(table) => {
                    stack.pop_until(
                        &["tbody", "thead", "tfoot", "table"],
                        table.saturating_sub(1),
                    );
                    if stack.top_is(&["table"]) {
                        stack.push("tbody", Ns::Html, false);
                    }
                    true
                }
                None => false,
            }
        }
        "td" | "th" => {
            stack.close_cell();
            match table_at(stack) {
                Some(table) => {
                    stack.pop_until(
                        &["tr", "tbody", "thead", "tfoot", "table"],
                        table.saturating_sub(1),
                    );
                    if stack.top_is(&["table"]) {
                        stack.push("tbody", Ns::Html, false);
                    }
                    if !stack.top_is(&["tr"]) {
                        stack.push("tr", Ns::Html, false);
                    }
                    true
                }
                None => false,
            }
        }
        "a" | "nobr" => {
            let listed = stack
                .formatting
                .iter()
                .rev()
                .take(REACH)
                .any(|e| matches!(e, Entry::Formatting { name: n, .. } if n == name));
            if listed || name == "nobr" && stack.scopes.default.holds("nobr") {
                stack.reconstruct();
                adoption(stack, name);
            }
            true
        }
        "button" => {
            if stack.scopes.default.holds("button") {
                stack.pop_to("button");
            }
            true
        }
        "select" => {
            // A select inside a select closes it.
            let nested = stack.boundary() == Some("select");
            if nested {
                stack.pop_scope();
            }
            !nested
        }
        "form" => {
            if stack.templates == 0 {
                let ignored = stack.form_open;
                stack.form_open = true;
                !ignored
            } else {
                true
            }
        }
        _ if HEADINGS.contains(&name) => {
            if stack.top_is(HEADINGS) {
                stack.pop();
            }
            true
        }
        "option" | "optgroup" => {
            if stack.top_is(&["option"]) {
                stack.pop();
            }
            true
        }
        "rb" | "rtc" | "rp" | "rt" => {
            if stack.scopes.default.holds("ruby") {
                let implied: &[&str] = if name == "rp" || name == "rt" {
                    &[
                        "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt",
                    ]
                } else {
                    IMPLIED_END
                };
                stack.pop_while(implied);
            }
            true
        }
        _ => true,
    };
    // Formatting elements closed on the way are re-made at once: the parser does so before
    // the next text or inline element, and earlier is never shallower.
    stack.reconstruct();
    if !opens {
        return;
    }
    if FORMATTING.contains(&name) {
        stack.push_formatting(name, key);
    } else {
        stack.push(name, Ns::Html, false);
    }
}

/// Where the table is when the innermost default scope is one (in the table's own rows).
fn table_at(stack: &Stack) -> Option<usize> {
    stack
        .scopes
        .default
        .start()
        .filter(|&at| stack.open[at].name == "table")
}

/// The adoption agency of the parser for a formatting element's end tag, as far as depth
/// goes: with nothing special open above the element it closes it; otherwise the parser
/// moves things about without making the page shallower, and the model leaves them be.
fn adoption(stack: &mut Stack, name: &str) {
    let entry = stack
        .formatting
        .iter()
        .rev()
        .take(REACH)
        .find_map(|e| match e {
            Entry::Marker => Some(None),
            Entry::Formatting {
                name: n, id, open, ..
            } if n == name => Some(Some((*id, *open))),
            _ => None,
        });
    match entry.flatten() {
        Some((id, true)) => {
            if stack.scopes.special.holds(name) {
                // No special element above: the element and all above it are closed, and
                // it leaves the list.
                stack.pop_to(name);
                stack
                    .formatting
                    .retain(|e| !matches!(e, Entry::Formatting { id: i, .. } if *i == id));
            }
        }
        Some((id, false)) => stack
            .formatting
            .retain(|e| !matches!(e, Entry::Formatting { id: i, .. } if *i == id)),
        None => {
            if stack.scopes.special.holds(name) {
                stack.pop_to(name);
            }
        }
    }
}

/// An end tag parsed as HTML.
// Each arm handles its tag whole: with its test in a guard, a tag would fall through to the
// general arms below (`</li>` to the rule for `</span>`).
#[allow(clippy::collapsible_match)]
fn end_tag(stack: &mut Stack, name: &str) {
    match name {
        "td" | "th" | "caption" | "applet" | "marquee" | "object" | "template" | "select" => {
            if stack.boundary() == Some(name) {
                stack.pop_scope();
            }
        }
        "tr" | "tbody" | "thead" | "tfoot" => {
            stack.close_cell();
            if let Some(table) = table_at(stack) {
                if stack.scopes.default.holds(name) {
                    stack.pop_until(&[name], table);
                    stack.pop();
                }
            }
        }
        "table" => {
            stack.close_cell();
            if stack.boundary() == Some("table") {
                stack.pop_scope();
            }
        }
        // The parser only takes the form out of the stack: what is open in it stays open.
        "form" => {
            if stack.templates == 0 {
                stack.form_open = false;
            }
        }
        "p" => stack.close_p(),
        "li" => {
            if stack.scopes.list_item.holds("li") {
                stack.pop_to("li");
            }
        }
        "dd" | "dt" => {
            if stack.scopes.default.holds(name) {
                stack.pop_to(name);
            }
        }
        _ if HEADINGS.contains(&name) => {
            if HEADINGS.iter().any(|h| stack.scopes.default.holds(h)) {
                stack.pop_to_any(HEADINGS);
            }
        }
        _ if BLOCK_END.contains(&name) => {
            if stack.scopes.default.holds(name) {
                stack.pop_to(name);
            }
        }
        _ if FORMATTING.contains(&name) => adoption(stack, name),
        // `</span>` and the rest close their element only with nothing special open above
        // it; a stray end tag is ignored.
        _ if stack.scopes.special.holds(name) => stack.pop_to(name),
        _ => {}
    }
}

/// An end tag met inside SVG or MathML: it closes the nearest element of its name among the
/// foreign elements on top of the stack, or is taken as HTML below them.
fn foreign_end_tag(stack: &mut Stack, name: &str) {
    if name == "p" || name == "br" {
        stack.break_out();
        if name == "p" {
            end_tag(stack, name);
        }
        return;
    }
    let n = stack.open.len();
    let foreign_name = format!("svg:{name}");
    for (k, o) in stack.open.iter().rev().enumerate().take(REACH) {
        if k > 0 && !o.foreign {
            end_tag(stack, name);
            return;
        }
        if o.name == foreign_name {
            while stack.open.len() > n - 1 - k {
                stack.pop();
            }
            return;
        }
    }
}

fn is_space_or(c: u8, also: &[u8]) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0c | b'\r' | b' ') || also.contains(&c)
}

/// What the scan needs of a tag after its name.
struct Tag {
    /// Past its `>`.
    end: usize,
    self_closing: bool,
    /// A `color`, `face` or `size` attribute (a `font` that ends SVG or MathML content).
    font_styling: bool,
    /// An `encoding` of `text/html` or `application/xhtml+xml` (an `annotation-xml` that
    /// holds HTML).
    html_encoding: bool,
    /// A hash of its attributes' text (formatting elements alike for the Noah's Ark clause).
    key: u64,
}

/// Reads a tag's attributes as the parser's tokenizer does (a quoted value may hold `>`;
/// a `/` in an unquoted value is the value's). `None` when the page ends inside the tag.
fn read_tag(b: &[u8], from: usize) -> Option<Tag> {
    let mut tag = Tag {
        end: from,
        self_closing: false,
        font_styling: false,
        html_encoding: false,
        key: 0,
    };
    let mut i = from;
    let finish = |mut tag: Tag, end: usize| {
        tag.end = end;
        let name_at = b[..from].iter().rposition(|&c| c == b'<').unwrap_or(from);
        tag.key = xxhash_rust::xxh3::xxh3_64(&b[name_at..end]);
        tag
    };
    loop {
        match *b.get(i)? {
            b'>' => return Some(finish(tag, i + 1)),
            b'/' => {
                if b.get(i + 1) == Some(&b'>') {
                    tag.self_closing = true;
                    return Some(finish(tag, i + 2));
                }
                i += 1;
            }
            c if is_space_or(c, b"") => i += 1,
            _ => {
                let name_at = i;
                i += 1;
                while i < b.len() && !is_space_or(b[i], b"/>=") {
                    i += 1;
                }
                let attr = &b[name_at..i];
                tag.font_styling |= ["color", "face", "size"]
                    .iter()
                    .any(|a| attr.eq_ignore_ascii_case(a.as_bytes()));
                while i < b.len() && is_space_or(b[i], b"") {
                    i += 1;
                }
                if b.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while i < b.len() && is_space_or(b[i], b"") {
                    i += 1;
                }
                let (value_at, value_end) = match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = b[i + 1..].iter().position(|&c| c == q)?;
                        let span = (i + 1, i + 1 + close);
                        i = span.1 + 1;
                        span
                    }
                    _ => {
                        let at = i;
                        while i < b.len() && !is_space_or(b[i], b">") {
                            i += 1;
                        }
                        (at, i)
                    }
                };
                if attr.eq_ignore_ascii_case(b"encoding") {
                    let v = &b[value_at..value_end];
                    tag.html_encoding |= v.eq_ignore_ascii_case(b"text/html")
                        || v.eq_ignore_ascii_case(b"application/xhtml+xml");
                }
            }
        }
    }
}

/// Where the text of a raw-text element that starts at `from` ends: past its end tag
/// (`</name` then white space, `/` or `>`), or the end of the page.
fn end_of_raw_text(b: &[u8], from: usize, name: &str) -> usize {
    let n = name.len();
    let mut at = from;
    while let Some(p) = find(b, at, b"</") {
        let after = p + 2 + n;
        let named = b
            .get(p + 2..after)
            .is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()));
        if named && b.get(after).is_none_or(|&c| is_space_or(c, b"/>")) {
            return read_tag(b, after).map_or(b.len(), |t| t.end);
        }
        at = p + 2;
    }
    b.len()
}

/// The first occurrence of `needle` in `b` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    let first = needle[0];
    let mut at = 0;
    while let Some(p) = hay[at..].iter().position(|&c| c == first) {
        let s = at + p;
        if hay[s..].starts_with(needle) {
            return Some(from + s);
        }
        at = s + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// The depth of the tree html5ever builds (walked without recursion).
    fn parsed_depth(html: &str) -> usize {
        let doc = scraper::Html::parse_document(html);
        let mut deepest = 0;
        let mut todo = vec![(doc.tree.root(), 0usize)];
        while let Some((node, d)) = todo.pop() {
            deepest = deepest.max(d);
            todo.extend(node.children().map(|c| (c, d + 1)));
        }
        deepest
    }

    #[test]
    fn real_shapes_are_shallow() {
        let page = "<!DOCTYPE html><html><head><title>T <div></title><script>if (a<b) \
                    document.write('<div><div>')</script></head><body><div><p>One<p>Two \
                    <div><span>x</span></div></div><ul><li>a<li>b</ul><table><tr><td><font>x\
                    <td><font>y<tr><td>z</table><svg><path d='M0'/><path/><g><rect/></g></svg>\
                    <textarea><div><div></textarea></body></html>";
        assert!(nesting_depth(page) < 10, "{}", nesting_depth(page));
        // Unclosed cells of an old layout table do not add up.
        let cells = format!(
            "<table>{}</table>",
            "<tr><td><font face=arial>x</td>".repeat(5000)
        );
        assert!(nesting_depth(&cells) < 10, "{}", nesting_depth(&cells));
    }

    /// Pages built to nest deep, each in its own way past a naive tag count: all refused,
    /// in linear time.
    #[test]
    fn deep_pages_are_seen_through() {
        let n = 100_000;
        let tricks = [
            "<div>".to_string(),
            "<div><span>".to_string(),
            "<div/>".to_string(),            // `/>` does not close an HTML div
            "<div></b>".to_string(),         // a stray end tag closes nothing
            "<div a='></div>'>".to_string(), // a quoted `>` does not end the tag
            "<div><textarea></div></textarea>".to_string(),
            "<svg><div/></svg>".to_string(), // a div ends the SVG; `</svg>` is then stray
            "<table><tr><td><div></span>".to_string(),
            "<ul><li>".to_string(),
            "<dl><dd>".to_string(),
            "<font>".to_string(),
            "<span><div></span>".to_string(), // `</span>` stops at the div
            "<b><div></b>".to_string(),       // the parser re-makes the b inside the div
            "<option><b><nobr>".to_string(),  // an option closes only an option on top
            "<button><font>".to_string(),     // the font is re-made before the next button
            "<select></form><form>".to_string(), // `</form>` frees the next form
            "<object><select></object>".to_string(), // a select bounds the object's scope
            "<template><form>".to_string(),   // forms nest in a template
        ];
        for t in tricks {
            let page = format!("<html><body>{}x</body></html>", t.repeat(n));
            let start = Instant::now();
            let d = nesting_depth(&page);
            assert!(d > MAX_NESTING, "{t}: {d}");
            assert!(start.elapsed().as_secs_f64() < 2.0, "{t}: slow");
        }
    }

    /// The pages of the extraction data set (where this checkout has them): the estimate is
    /// far under the limit, and within the factor of the parsed depth.
    #[test]
    fn real_pages_stay_far_under_the_limit() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/extraction/html"
        );
        let Ok(entries) = std::fs::read_dir(dir) else {
            eprintln!("skipped: {dir} is absent");
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let mut page = String::new();
            let Ok(f) = std::fs::File::open(e.path()) else {
                continue;
            };
            if std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(f), &mut page)
                .is_err()
            {
                continue;
            }
            let est = nesting_depth(&page);
            assert!(est < MAX_NESTING / 4, "{}: {est}", e.path().display());
            assert!(parsed_depth(&page) <= 4 * est + 8, "{}", e.path().display());
        }
    }

    /// A page of stray end tags under an element open outside a scope boundary is scanned in
    /// linear time (each end tag is matched against its frame's counts, not the stack).
    #[test]
    fn stray_end_tags_cost_constant_time() {
        let page = format!(
            "<b><table><tr><td>{}{}",
            "<div>".repeat(990),
            "</b>".repeat(2_000_000)
        );
        let start = Instant::now();
        assert!(nesting_depth(&page) < MAX_NESTING);
        assert!(start.elapsed().as_secs_f64() < 2.0);
    }

    /// On random tag soup, the estimate is never far under the depth html5ever builds.
    #[test]
    fn estimate_bounds_the_parsed_depth_on_tag_soup() {
        let vocab = [
            "<div>",
            "</div>",
            "<span>",
            "</span>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<a href=x>",
            "</a>",
            "<p>",
            "</p>",
            "<li>",
            "<ul>",
            "</ul>",
            "<table>",
            "</table>",
            "<tr>",
            "<td>",
            "</td>",
            "<th>",
            "</tr>",
            "<tbody>",
            "<caption>",
            "</caption>",
            "<svg>",
            "</svg>",
            "<g>",
            "</g>",
            "<path/>",
            "<foreignObject>",
            "</foreignObject>",
            "<math>",
            "<mi>",
            "</math>",
            "<div/>",
            "<span/>",
            "<br/>",
            "<textarea>",
            "</textarea>",
            "<title>",
            "</title>",
            "<style>",
            "</style>",
            "<noscript>",
            "</noscript>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<div a='>'>",
            "<div a=\"</div>\">",
            "<h1>",
            "<h2>",
            "</h1>",
            "<object>",
            "</object>",
            "<select>",
            "<option>",
            "</select>",
            "<dl>",
            "<dd>",
            "<dt>",
            "<font>",
            "</font>",
            "<nobr>",
            "<button>",
            "</button>",
            "<form>",
            "</form>",
            "<em>",
            "</em>",
            "<section>",
            "</section>",
            "<template>",
            "</template>",
            "x",
            " ",
            "<",
            "</",
            "<?x>",
            "<!x>",
            "<iframe>",
            "</iframe>",
            "<marquee>",
            "</marquee>",
        ];
        // `NESTING_SOUP_SEED` and `NESTING_SOUP_ROUNDS` run other or more rounds (124,000
        // rounds over 31 seeds passed when the model was written; the worst ratio was 4).
        let var = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(default)
        };
        let mut rng = fastrand::Rng::with_seed(var("NESTING_SOUP_SEED", 20_250_601));
        let rounds = var("NESTING_SOUP_ROUNDS", 1000);
        for round in 0..rounds {
            let len = rng.usize(50..3000);
            let mut page = String::from("<html><body>");
            if round % 2 == 0 {
                // Runs of one token.
                while page.len() < len * 6 {
                    let t = vocab[rng.usize(..vocab.len())];
                    for _ in 0..rng.usize(1..40) {
                        page.push_str(t);
                    }
                }
            } else {
                // A short unit repeated, as pages built to nest are.
                let unit: String = (0..rng.usize(1..6))
                    .map(|_| vocab[rng.usize(..vocab.len())])
                    .collect();
                while page.len() < len * 6 {
                    page.push_str(&unit);
                }
            }
            let est = nesting_depth(&page);
            if est > MAX_NESTING {
                continue;
            }
            let real = parsed_depth(&page);
            assert!(
                real <= 4 * est + 8,
                "round {round}: estimated {est}, parsed {real}: {}",
                &page[..page.len().min(400)]
            );
        }
    }
}
