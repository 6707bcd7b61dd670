"""Web-page clutter wrappers: well-formed, article text intact and escaped, clutter present, seeded."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from newsintel.errors import NewsIntelError
from newsintel.evaluate.perturb import wrap_corpus, wrap_in_html, wrap_in_text_clutter

PARAGRAPHS = [
    "Northgate Optics said on Tuesday it had agreed to buy Lakeview Sensors for $40 million.",
    "The deal, a <script>alert('x')</script> test & \"quotes\", still needs approval from regulators.",
    "Analysts at Riverbend Research called the move <b>bold</b> but expected.",
    "Shares of Northgate rose 3% in early trading.",
]


def make_doc(published: str | None = "2024-02-06", title: str | None = "Northgate to buy Lakeview <fast>",
             paragraphs: list[str] | None = None) -> dict[str, Any]:
    text = "\n\n".join(PARAGRAPHS if paragraphs is None else paragraphs)
    return {"id": "p1", "url": "https://news.example.org/a?x=1&y=2", "title": title, "published": published,
            "text": text}


def parse_page(html: str) -> ET.Element:
    """Parse the page as XML (after the doctype): succeeds only when every tag is closed and escaped."""
    assert html.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def find(root: ET.Element, path: str) -> ET.Element:
    """The first element at `path`, failing the test when there is none."""
    found = root.find(path)
    assert found is not None, f"no element at {path}"
    return found


# --- HTML ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_html_page_is_well_formed_for_every_seed(seed: int) -> None:
    root = parse_page(wrap_in_html(make_doc(), seed)["html"])
    assert root.tag == "html"
    assert [child.tag for child in root] == ["head", "body"]


def test_html_article_paragraphs_are_the_text_lines_escaped() -> None:
    page = wrap_in_html(make_doc())["html"]
    root = parse_page(page)
    body = root.find(".//article/div[@class='story-body']")
    assert body is not None
    assert [text_of(p) for p in body.findall("p") if p.get("class") is None] == PARAGRAPHS
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page
    # The only script element is the page's own analytics tag, never the article's text.
    scripts = root.findall(".//script")
    assert [s.get("src") for s in scripts] == ["/static/analytics.js"]
    assert all(not (s.text or "").strip() for s in scripts)


def test_html_has_title_and_meta_when_known() -> None:
    root = parse_page(wrap_in_html(make_doc())["html"])
    head = find(root, "head")
    assert text_of(find(head, "title")) == "Northgate to buy Lakeview <fast> | The Example Ledger"
    metas = {m.get("property"): m.get("content") for m in head.findall("meta") if m.get("property")}
    assert metas == {"og:title": "Northgate to buy Lakeview <fast>", "article:published_time": "2024-02-06"}
    h1 = root.find(".//article/h1")
    assert h1 is not None and text_of(h1) == "Northgate to buy Lakeview <fast>"


def test_html_omits_date_and_title_meta_when_unknown() -> None:
    page = wrap_in_html(make_doc(published=None, title=None))["html"]
    root = parse_page(page)
    assert "article:published_time" not in page and "og:title" not in page
    assert root.find(".//article/h1") is None
    assert text_of(find(root, "head/title")) == "The Example Ledger"


def test_html_contains_every_kind_of_clutter() -> None:
    root = parse_page(wrap_in_html(make_doc(), seed=3)["html"])
    assert root.find(".//nav[@class='main-menu']") is not None
    assert "We use cookies" in text_of(find(root, ".//div[@class='cookie-banner']"))
    assert text_of(find(root, ".//header/a")) == "The Example Ledger"
    caption = text_of(find(root, ".//figure/figcaption"))
    assert "Photo: " in caption
    related = text_of(find(root, ".//aside[@class='related']"))
    assert "Related stories" in related and "READ MORE" in related
    assert "READ MORE:" in text_of(find(root, ".//p[@class='inline-link']"))
    assert "Advertisement" in text_of(find(root, ".//div[@class='ad-slot']"))
    assert root.find(".//div[@class='newsletter']//input[@type='email']") is not None
    share = [text_of(a) for a in root.findall(".//ul[@class='share']/li/a")]
    assert share == ["Facebook", "Twitter", "Email"]
    assert root.find(".//section[@class='comments']/form/textarea") is not None
    assert "© 2024 Example Media. All rights reserved." in text_of(find(root, ".//footer"))


def test_html_keeps_other_fields_and_drops_text() -> None:
    doc = make_doc()
    out = wrap_in_html(doc)
    assert "text" not in out and "text" in doc  # input untouched
    assert {k: out[k] for k in ("id", "url", "title", "published")} == {
        k: doc[k] for k in ("id", "url", "title", "published")}


def test_html_of_short_text_still_has_all_inline_clutter() -> None:
    page = wrap_in_html(make_doc(paragraphs=["Only one line."]), seed=5)["html"]
    root = parse_page(page)
    assert "<p>Only one line.</p>" in page
    assert root.find(".//figure") is not None and root.find(".//div[@class='ad-slot']") is not None


def test_html_page_is_recognised_as_an_article_by_trafilatura() -> None:
    trafilatura = pytest.importorskip("trafilatura")
    extracted = trafilatura.extract(wrap_in_html(make_doc(), seed=1)["html"]) or ""
    for paragraph in PARAGRAPHS:
        assert paragraph in extracted


# --- plain text ----------------------------------------------------------------------------------


def test_text_clutter_keeps_paragraphs_in_order_and_adds_markers() -> None:
    out = wrap_in_text_clutter(make_doc(), seed=2)
    lines = out["text"].splitlines()
    positions = [lines.index(p) for p in PARAGRAPHS]
    assert positions == sorted(positions)
    for marker in ("Share this article: Facebook Twitter Email", "Advertisement",
                   "Sign up for our newsletter", "© 2024 Example Media. All rights reserved."):
        assert marker in lines
    assert any(line.startswith("READ MORE: ") for line in lines)
    assert any("Photo: " in line and "/Example" in line for line in lines)
    assert any(line.startswith("Leave a comment") for line in lines)
    assert any(line.startswith("We use cookies") for line in lines)
    assert any(line.startswith("Home World Business") for line in lines)  # the menu words line
    assert "html" not in out and out["id"] == "p1"


def test_text_clutter_falls_between_paragraphs() -> None:
    lines = [line for line in wrap_in_text_clutter(make_doc(), seed=0)["text"].splitlines() if line]
    first, last = lines.index(PARAGRAPHS[0]), lines.index(PARAGRAPHS[-1])
    between = set(lines[first:last + 1]) - set(PARAGRAPHS)
    assert between  # some clutter sits inside the article, not only around it


# --- determinism and corpus ----------------------------------------------------------------------


@pytest.mark.parametrize("wrap", [wrap_in_html, wrap_in_text_clutter])
def test_same_seed_same_output_and_seeds_vary(wrap: Any) -> None:
    doc = make_doc()
    assert wrap(doc, 4) == wrap(doc, 4)
    assert len({str(wrap(doc, seed)) for seed in range(8)}) > 1


def test_wrap_corpus_wraps_each_document_with_its_own_seed() -> None:
    docs = [make_doc(), make_doc()]
    html = list(wrap_corpus(docs, "html"))
    assert html == [wrap_in_html(docs[0], 0), wrap_in_html(docs[1], 1)]
    text = list(wrap_corpus(iter(docs), "text"))
    assert text == [wrap_in_text_clutter(docs[0], 0), wrap_in_text_clutter(docs[1], 1)]


def test_wrap_corpus_rejects_unknown_mode() -> None:
    with pytest.raises(NewsIntelError, match="unknown perturbation mode"):
        list(wrap_corpus([make_doc()], "pdf"))


def test_document_without_text_is_an_error() -> None:
    with pytest.raises(NewsIntelError, match="needs a \"text\""):
        wrap_in_html({"id": "x", "html": "<p>already html</p>"})
