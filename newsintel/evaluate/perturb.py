"""Wrap clean input documents in web-page clutter, to check that text cleaning removes it.

`wrap_in_html` builds a whole news page around the article; `wrap_in_text_clutter` gives the kind of
plain text a careless copy of such a page yields. The clutter is our own invented text; its names
(Example Media, Jane Doe, Northwind Analytics...) are fictional so that any leak shows up as a
spurious entity instead of being mistaken for a real actor. Output is deterministic per seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from html import escape
from typing import Any

from newsintel.errors import NewsIntelError

SITE_NAME = "The Example Ledger"
PUBLISHER = "Example Media"
MENU = ("Home", "World", "Business", "Technology", "Science", "Opinion", "Video", "Podcasts")
PHOTOGRAPHERS = ("Jane Doe/Example Agency", "Sam Rivera/Example Agency", "Alex Moreau/Example Wire")
CAPTIONS = (
    "Visitors look at a display of new devices at a trade fair.",
    "A view of a city business district at dusk.",
    "Delegates arrive for a meeting on technology and trade.",
)
OTHER_HEADLINES = (
    "Northwind Analytics opens a new research lab in Springfield",
    "Ten tips for a quieter home office",
    "Contoso Robotics names a new chief technology officer",
    "Why battery prices keep falling, explained",
    "Fabrikam Systems wins a regional logistics award",
    "The week in gadgets: folding screens and smarter watches",
)
COOKIE_NOTICE = ("We use cookies to improve your experience and to show you relevant advertising. "
                 "By continuing to browse you agree to our use of cookies.")
NEWSLETTER = "Sign up for our newsletter"
NEWSLETTER_BLURB = "The biggest stories of the day, delivered to your inbox every morning."
SHARE_LINE = "Share this article: Facebook Twitter Email"
ADVERTISEMENT = "Advertisement"
COMMENT_PROMPT = "Leave a comment"
COPYRIGHT = f"© 2024 {PUBLISHER}. All rights reserved."
FOOTER_LINKS = ("About us", "Contact", "Privacy policy", "Terms of use", "Advertise with us")


def _paragraphs(text: str) -> list[str]:
    """The article's non-empty lines; each becomes one paragraph of the page."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _source_text(doc: dict[str, Any]) -> str:
    text = doc.get("text")
    if not isinstance(text, str):
        raise NewsIntelError(f"document {doc.get('id')}: perturbation needs a \"text\" field")
    return text


def _picks(rng: random.Random) -> dict[str, Any]:
    """Which optional clutter appears and where, drawn once so both wrappers vary alike."""
    return {
        "photographer": rng.choice(PHOTOGRAPHERS),
        "caption": rng.choice(CAPTIONS),
        "headlines": rng.sample(OTHER_HEADLINES, 3),
        "menu": MENU[: rng.randint(5, len(MENU))],
        "figure_after": rng.randint(1, 2),
        "ad_after": rng.randint(2, 4),
        "cookie_first": rng.random() < 0.5,
        "comments": rng.randint(0, 48),
    }


def _slots(picks: dict[str, Any], count: int) -> dict[int, list[str]]:
    """Which in-article clutter follows which paragraph (1-based), clamped so short texts get all of it."""
    last = max(count, 1)
    slots: dict[int, list[str]] = {}
    for kind, after in (("figure", picks["figure_after"]), ("ad", picks["ad_after"]),
                        ("read_more", picks["ad_after"] + 1)):
        slots.setdefault(min(after, last), []).append(kind)
    return slots


# --- HTML --------------------------------------------------------------------------------------


def _head(doc: dict[str, Any]) -> list[str]:
    title = doc.get("title")
    page_title = f"{title} | {SITE_NAME}" if title else SITE_NAME
    lines = ["<head>", '<meta charset="utf-8" />',
             '<meta name="viewport" content="width=device-width, initial-scale=1" />',
             f"<title>{escape(page_title)}</title>"]
    if title:
        lines.append(f'<meta property="og:title" content="{escape(title)}" />')
    if doc.get("published"):
        lines.append(f'<meta property="article:published_time" content="{escape(str(doc["published"]))}" />')
    if doc.get("url"):
        lines.append(f'<link rel="canonical" href="{escape(str(doc["url"]))}" />')
    lines += ['<link rel="stylesheet" href="/static/site.css" />', "</head>"]
    return lines


def _chrome_top(picks: dict[str, Any]) -> list[str]:
    """Cookie banner, site header and navigation menu, in a seed-dependent order."""
    cookie = ['<div class="cookie-banner" role="dialog">', f"<p>{escape(COOKIE_NOTICE)}</p>",
              '<button type="button">Accept all</button>', '<button type="button">Manage settings</button>',
              "</div>"]
    menu = "".join(f'<li><a href="/{item.lower()}">{escape(item)}</a></li>' for item in picks["menu"])
    header = ['<header class="site-header">', f'<a class="logo" href="/">{escape(SITE_NAME)}</a>',
              f'<nav class="main-menu"><ul>{menu}</ul></nav>', "</header>"]
    return cookie + header if picks["cookie_first"] else header + cookie


def _figure(picks: dict[str, Any]) -> str:
    return ('<figure class="lead-photo"><img src="/images/lead.jpg" alt="" />'
            f'<figcaption>{escape(picks["caption"])} '
            f'<span class="credit">Photo: {escape(picks["photographer"])}</span></figcaption></figure>')


def _inline_html(kind: str, picks: dict[str, Any]) -> str:
    """One piece of clutter placed inside the article body."""
    if kind == "figure":
        return _figure(picks)
    if kind == "ad":
        return f'<div class="ad-slot"><span>{ADVERTISEMENT}</span></div>'
    headline = escape(picks["headlines"][0])
    return f'<p class="inline-link"><strong>READ MORE:</strong> <a href="/story/0">{headline}</a></p>'


def _article(doc: dict[str, Any], picks: dict[str, Any]) -> list[str]:
    lines = ['<article class="story">']
    if doc.get("title"):
        lines.append(f'<h1 class="headline">{escape(str(doc["title"]))}</h1>')
    lines.append('<ul class="share"><li><a href="#">Facebook</a></li><li><a href="#">Twitter</a></li>'
                 '<li><a href="#">Email</a></li></ul>')
    lines.append('<div class="story-body">')
    paragraphs = _paragraphs(_source_text(doc))
    slots = _slots(picks, len(paragraphs))
    for number, paragraph in enumerate(paragraphs or [""], 1):
        if paragraph:
            lines.append(f"<p>{escape(paragraph)}</p>")
        for kind in slots.get(number, []):
            lines.append(_inline_html(kind, picks))
    lines += ["</div>", "</article>"]
    return lines


def _chrome_bottom(picks: dict[str, Any]) -> list[str]:
    """Related stories, newsletter box, comment form and footer."""
    related = "".join(f'<li><a href="/story/{n}">{escape(h)}</a></li>'
                      for n, h in enumerate(picks["headlines"], 1))
    footer = " ".join(f'<a href="#">{escape(link)}</a>' for link in FOOTER_LINKS)
    return [
        '<aside class="related"><h2>Related stories</h2><p class="label">READ MORE</p>'
        f"<ul>{related}</ul></aside>",
        f'<div class="newsletter"><h2>{NEWSLETTER}</h2><p>{escape(NEWSLETTER_BLURB)}</p>'
        '<form action="/subscribe"><input type="email" name="email" placeholder="Your email" />'
        '<button type="submit">Subscribe</button></form></div>',
        f'<section class="comments"><h2>{COMMENT_PROMPT}</h2><p>{picks["comments"]} comments</p>'
        '<form action="/comment"><textarea name="comment" rows="4"></textarea>'
        '<button type="submit">Post comment</button></form></section>',
        f'<footer class="site-footer"><nav>{footer}</nav><p>{escape(COPYRIGHT)}</p></footer>',
    ]


def wrap_in_html(doc: dict[str, Any], seed: int = 0) -> dict[str, Any]:
    """The input document with its "text" replaced by "html": a full, cluttered, well-formed news page.

    Article text is HTML-escaped; other fields (id, url, title, published) are kept as they were.
    """
    picks = _picks(random.Random(seed))
    body = [*_chrome_top(picks), "<main>", *_article(doc, picks), *_chrome_bottom(picks), "</main>"]
    page = ["<!DOCTYPE html>", '<html lang="en">', *_head(doc), "<body>", *body,
            '<script src="/static/analytics.js"></script>', "</body>", "</html>"]
    out = {k: v for k, v in doc.items() if k != "text"}
    out["html"] = "\n".join(page) + "\n"
    return out


# --- plain text --------------------------------------------------------------------------------


def wrap_in_text_clutter(doc: dict[str, Any], seed: int = 0) -> dict[str, Any]:
    """The input document with clutter lines (menu, share bar, ads, credits...) around its paragraphs."""
    picks = _picks(random.Random(seed))
    top = [" ".join(picks["menu"]), SITE_NAME, SHARE_LINE]
    if picks["cookie_first"]:
        top.insert(0, COOKIE_NOTICE)
    inline = {"figure": f"{picks['caption']} Photo: {picks['photographer']}", "ad": ADVERTISEMENT,
              "read_more": f"READ MORE: {picks['headlines'][0]}"}
    lines = [*top, ""]
    paragraphs = _paragraphs(_source_text(doc))
    slots = _slots(picks, len(paragraphs))
    for number, paragraph in enumerate(paragraphs or [""], 1):
        if paragraph:
            lines += [paragraph, ""]
        for kind in slots.get(number, []):
            lines += [inline[kind], ""]
    lines += [SHARE_LINE, "", "Related stories", *picks["headlines"][1:], "",
              NEWSLETTER, NEWSLETTER_BLURB, "", f"{COMMENT_PROMPT} ({picks['comments']} comments)", ""]
    if not picks["cookie_first"]:
        lines += [COOKIE_NOTICE, ""]
    lines += [COPYRIGHT]
    out = dict(doc)
    out["text"] = "\n".join(lines) + "\n"
    return out


WRAPPERS = {"html": wrap_in_html, "text": wrap_in_text_clutter}


def wrap_corpus(docs: Iterable[dict[str, Any]], mode: str, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Wrap every document ("html" or "text" mode); each gets its own seed so clutter varies."""
    try:
        wrap = WRAPPERS[mode]
    except KeyError:
        known = ", ".join(WRAPPERS)
        raise NewsIntelError(f"unknown perturbation mode {mode!r}; use one of: {known}") from None
    for index, doc in enumerate(docs):
        yield wrap(doc, seed + index)
