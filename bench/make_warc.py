#!/usr/bin/env python3
"""Writes a large WARC file of news-like HTML pages, for bench/warc_stream.sh.

Usage: bench/make_warc.py OUT.warc [SIZE_MB] [SEED]   (defaults: 2048 MB, seed 1)

Each page is a `response` record (HTTP/1.1 200, text/html) with an article of 150 to 1,200
words in paragraphs, a headline, a byline, a date in the JSON-LD and the meta tags, and the
furniture real pages carry around it: navigation, a "most read" list, related links, inline
scripts and styles, tracking pixels, a footer. Page sizes spread from a few KB to a few
hundred KB (log-uniform; inline scripts, styles and comment threads make the big ones), as
crawled news pages do. About one page in eight is a copy of an earlier article (trimmed or
with a sentence changed, on another outlet), so that `index add` finds reuse to align and
judge. Every 40th record is a `request` and every 50th an image response, which the reader
must pass by. Standard library only; deterministic for a seed.
"""

import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

OUTLETS = [
    ("The Daily Ledger", "dailyledger.example"),
    ("Coastal Times", "coastaltimes.example"),
    ("Northern Herald", "northernherald.example"),
    ("Metro Bulletin", "metrobulletin.example"),
    ("Valley Observer", "valleyobserver.example"),
    ("Harbour Post", "harbourpost.example"),
    ("Capital Wire", "capitalwire.example"),
    ("Island Gazette", "islandgazette.example"),
]
SECTIONS = ["world", "politics", "business", "science", "health", "sport", "culture", "local"]
FIRST = ["Anna", "Omar", "Li", "Maria", "James", "Fatima", "Kenji", "Sofia", "David", "Amara"]
LAST = ["Hughes", "Rahimi", "Chen", "Costa", "Okafor", "Novak", "Sato", "Berg", "Mensah", "Reyes"]
PLACES = ["Bandar Abbas", "Qeshm", "Lisbon", "Nairobi", "Osaka", "Valparaiso", "Tromso",
          "Accra", "Cebu", "Marseille", "Halifax", "Hobart", "Tbilisi", "Cusco", "Dakar"]
ORGS = ["the ministry", "the city council", "the central bank", "the coast guard",
        "the health agency", "the port authority", "the electoral commission", "the union"]
VERBS = ["said", "announced", "confirmed", "warned", "reported", "denied", "estimated",
         "argued", "noted", "added"]


def make_vocabulary(rng, n=6000):
    """Pronounceable made-up words, so that texts share words as real news does but not
    whole passages unless one copies another."""
    onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
              "br", "cl", "dr", "gr", "pl", "st", "tr", "sh", "ch"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
    codas = ["", "n", "r", "s", "t", "l", "nd", "st", "rk", "m"]
    words = set()
    while len(words) < n:
        syl = rng.choice([1, 2, 2, 3, 3, 4])
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                          for _ in range(syl)))
    return sorted(words)


class Writer:
    def __init__(self, rng):
        self.rng = rng
        self.vocab = make_vocabulary(rng)
        # Zipf-like weights: a few words are common, most are rare.
        cum, total = [], 0.0
        for i in range(len(self.vocab)):
            total += 1.0 / (i + 10)
            cum.append(total)
        self.cum = cum
        self.function = ["the", "a", "of", "to", "in", "and", "on", "for", "with", "after",
                         "by", "from", "that", "was", "were", "has", "had", "its", "their"]

    def sentence(self):
        rng = self.rng
        n = rng.randint(8, 26)
        words = rng.choices(self.vocab, cum_weights=self.cum, k=n)
        for k in range(0, n, 3):
            words[k] = rng.choice(self.function)
        if rng.random() < 0.4:
            words.insert(rng.randint(0, len(words)), rng.choice(PLACES))
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), str(rng.randint(2, 9000)))
        if rng.random() < 0.35:
            words += [rng.choice(VERBS), rng.choice(ORGS)]
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def article(self):
        rng = self.rng
        words = int(150 * (8 ** rng.random()))  # 150 to 1,200 words
        paras = []
        count = 0
        while count < words:
            p = self.paragraph()
            paras.append(p)
            count += p.count(" ") + 1
        title = " ".join(rng.choices(self.vocab, cum_weights=self.cum, k=rng.randint(5, 10)))
        title = title[0].upper() + title[1:] + " in " + rng.choice(PLACES)
        return title, paras


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def furniture_pool(rng, w, n=3000):
    """Inline scripts, styles, comment threads and link lists: what makes real pages heavy.
    Made once and drawn from, as an outlet's pages share their furniture."""
    pool = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.15:
            body = ";".join(
                f"window.__d{rng.randint(0, 10**6)}={{id:{rng.randint(0, 10**9)},"
                f"k:'{rng.choice(w.vocab)}',v:[{','.join(str(rng.randint(0, 999)) for _ in range(12))}]}}"
                for _ in range(40))
            block = f"<script>{body}</script>\n"
        elif kind < 0.25:
            rules = "".join(
                f".c{rng.randint(0, 10**5)}{{margin:{rng.randint(0, 40)}px;color:#{rng.randint(0, 0xffffff):06x}}}"
                for _ in range(60))
            block = f"<style>{rules}</style>\n"
        elif kind < 0.45:
            items = "".join(
                f'<li><a href="/{rng.choice(SECTIONS)}/{rng.randint(10**6, 10**7)}">'
                f"{esc(w.sentence()[:70])}</a></li>"
                for _ in range(25))
            block = f'<aside class="related"><h3>Related</h3><ul>{items}</ul></aside>\n'
        elif kind < 0.75:
            # Teaser cards, nested as a layout framework nests them.
            cards = "".join(
                f'<div class="col"><div class="card"><div class="media"><a href="/{rng.choice(SECTIONS)}/'
                f'{rng.randint(10**6, 10**7)}"><picture><img src="/img/{rng.randint(0, 10**6)}.jpg" '
                f'alt=""></picture></a></div><div class="card-body"><h4 class="title"><a href="/'
                f'{rng.choice(SECTIONS)}/{rng.randint(10**6, 10**7)}"><span>{esc(w.sentence()[:60])}'
                f'</span></a></h4><p class="dek">{esc(w.sentence())}</p><div class="meta"><span '
                f'class="time">{rng.randint(1, 59)} min ago</span> <span class="tag">'
                f'{rng.choice(SECTIONS)}</span></div></div></div></div>'
                for _ in range(8))
            block = f'<section class="rail"><div class="row">{cards}</div></section>\n'
        else:
            comments = "".join(
                f'<div class="comment"><div class="head"><span class="user">{rng.choice(FIRST)}'
                f'{rng.randint(1, 99)}</span> <time>{rng.randint(1, 23)}h</time></div><div class="text">'
                f"<p>{esc(w.sentence())}</p></div><div class=\"actions\"><button>Reply</button> "
                f"<button>Like</button></div></div>"
                for _ in range(15))
            block = f'<section class="comments"><h3>Comments</h3>{comments}</section>\n'
        pool.append(block)
    return pool


def furniture_block(rng, pool, size):
    parts = []
    total = 0
    while total < size:
        block = rng.choice(pool)
        parts.append(block)
        total += len(block)
    return "".join(parts)


def page(rng, w, pool, outlet, host, url, title, paras, published, author, target_size):
    section = url.split("/")[3]
    nav = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in SECTIONS)
    most_read = "".join(
        f'<li><a href="/{rng.choice(SECTIONS)}/{rng.randint(10**6, 10**7)}">{esc(rng.choice(w.headlines))}</a></li>'
        for _ in range(6))
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paras)
    date = published.strftime("%Y-%m-%dT%H:%M:%SZ")
    head = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(title)} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="og:title" content="{esc(title)}">
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{esc(title)}","datePublished":"{date}","author":{{"@type":"Person","name":"{author}"}}}}</script>
</head><body>
<header><a class="logo" href="/">{outlet}</a><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
<main><article>
<h1>{esc(title)}</h1>
<div class="byline">By {author} | {published.strftime("%B %d, %Y")}</div>
<div class="article-body">
{body}
</div></article>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
"""
    tail = f"""</main>
<footer><p>&copy; {published.year} {outlet}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a>
<img src="https://{host}/pixel.gif?id={rng.randint(0, 10**9)}" width="1" height="1" alt=""></footer>
</body></html>
"""
    pad = max(0, target_size - len(head) - len(tail))
    return head + furniture_block(rng, pool, pad) + tail


def record(kind, uri, date, payload, content_type):
    rid = uuid.UUID(int=random.getrandbits(128), version=4)
    header = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\n"
        f"WARC-Date: {date.strftime('%Y-%m-%dT%H:%M:%SZ')}\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n"
        "\r\n"
    ).encode()
    return header + payload + b"\r\n\r\n"


def main():
    out = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    random.seed(seed)
    w = Writer(rng)
    w.headlines = [w.sentence()[:60] for _ in range(2000)]
    pool = furniture_pool(rng, w)
    limit = size << 20
    written = 0
    pages = 0
    recent = []
    start = datetime(2024, 3, 1, tzinfo=timezone.utc)
    with open(out, "wb", buffering=8 << 20) as f:
        info = b"software: newstrace bench/make_warc.py\r\nformat: WARC File Format 1.0\r\n"
        f.write(record("warcinfo", "urn:newstrace:bench", start, info, "application/warc-fields"))
        n = 0
        while written < limit:
            n += 1
            outlet, host = rng.choice(OUTLETS)
            published = start + timedelta(minutes=7 * n + rng.randint(0, 300))
            url = f"https://www.{host}/{rng.choice(SECTIONS)}/{published:%Y/%m/%d}/{rng.randint(10**6, 10**7)}"
            if n % 40 == 0:
                req = f"GET {url[url.index('/', 8):]} HTTP/1.1\r\nHost: www.{host}\r\n\r\n".encode()
                rec = record("request", url, published, req, "application/http; msgtype=request")
                f.write(rec)
                written += len(rec)
                continue
            if n % 50 == 0:
                img = b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(2000, 40000))
                http = (b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                        + f"Content-Length: {len(img)}\r\n\r\n".encode() + img)
                rec = record("response", url + ".png", published, http,
                             "application/http; msgtype=response")
                f.write(rec)
                written += len(rec)
                continue
            if recent and rng.random() < 0.125:
                # A copy of a recent article on another outlet: trimmed, one sentence changed.
                title, paras = rng.choice(recent)
                paras = paras[: max(2, int(len(paras) * rng.uniform(0.6, 1.0)))]
                if len(paras) > 2:
                    k = rng.randrange(len(paras))
                    paras = paras[:k] + [w.sentence() + " " + paras[k]] + paras[k + 1:]
            else:
                title, paras = w.article()
                recent.append((title, paras))
                if len(recent) > 500:
                    recent.pop(0)
            author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            target = int(4000 * (100 ** rng.random()))  # 4 KB to 400 KB
            html = page(rng, w, pool, outlet, host, url, title, paras, published, author, target)
            body = html.encode()
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            rec = record("response", url, published + timedelta(hours=1), http,
                         "application/http; msgtype=response")
            f.write(rec)
            written += len(rec)
            pages += 1
    print(f"wrote {out}: {written / (1 << 20):.0f} MB, {pages} HTML pages, {n} records",
          file=sys.stderr)


if __name__ == "__main__":
    main()
