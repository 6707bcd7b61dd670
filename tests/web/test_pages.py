"""The HTML pages: every page renders, hostile text stays text, facts link to sentences, forms obey the token."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import HOSTILE_TITLE, TOKEN

RAW_MARKUP = ("<script>alert", "<img src=x", "<svg onload", "<a href=\"javascript:", "<b>bold</b>")


@pytest.mark.parametrize("path", ["/", "/search?q=Huawei", "/search", "/entity/company:huawei", "/entity/Huawei",
                                  "/network", "/network?type=sanction&country=CN&since=2019&until=2020",
                                  "/timeline", "/timeline?entity=Huawei&type=sanction&since=2019", "/analyst"])
def test_every_page_renders(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<nav>" in response.text


def test_no_inline_script_style_or_handlers_and_no_remote_assets(client: TestClient, hostile_id: str) -> None:
    for path in ("/", "/entity/company:huawei", "/network", "/timeline", f"/article/{hostile_id}", "/docs"):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path  # every script is a file
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", page), path  # no handler inside a real tag
        assert " style=" not in page and "<style" not in page, path
        assert not re.search(r"(src|href)=\"(https?:)?//", page), path


def test_hostile_article_is_shown_as_text(client: TestClient, hostile_id: str) -> None:
    page = client.get(f"/article/{hostile_id}").text
    for markup in RAW_MARKUP:
        assert markup not in page
    assert html.escape(HOSTILE_TITLE, quote=False) in page or "&lt;script&gt;alert(1)&lt;/script&gt; Hostile" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&amp;amp; &amp;lt;b&amp;gt;not bold" in page  # entities in the text are shown, not decoded
    assert 'href="javascript:' not in page


def test_hostile_text_is_escaped_on_every_page_showing_it(client: TestClient) -> None:
    for path in ("/", "/search?q=ZetaVolt", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "/entity/ZetaVolt Systems",
                 "/timeline?entity=ZetaVolt Systems", "/entity/%3Cscript%3Ealert(9)%3C/script%3E"):
        page = client.get(path).text
        for markup in RAW_MARKUP:
            assert markup not in page, (path, markup)


def test_article_highlights_entities_and_evidence_sentences(client: TestClient, hostile_id: str) -> None:
    page = client.get(f"/article/{hostile_id}").text
    evidence = re.search(r'<mark class="evidence" id="s-(\d+)">(.*?)</mark>', page, re.S)
    assert evidence and "ZetaVolt" in evidence.group(2)
    assert f'href="#s-{evidence.group(1)}"' in page  # the fact list links to it
    assert re.search(r'<a class="entity en-company" href="/entity/[^"]+"[^>]*>ZetaVolt Systems</a>', page)


def test_dossier_facts_link_to_their_sentences(client: TestClient) -> None:
    page = client.get("/entity/Huawei").text
    links = re.findall(r'<a class="sentence" href="(/article/[0-9a-f]+#s-(\d+))">', page)
    assert links
    href, start = links[0]
    article = client.get(href.split("#")[0]).text
    assert f'id="s-{start}"' in article
    assert 'class="graph small" data-src="/api/network?entity=company%3Ahuawei&amp;depth=1"' in page
    assert "<svg class=\"chart\"" in page


def test_unknown_entity_page_suggests(client: TestClient) -> None:
    response = client.get("/entity/Huawie")
    assert response.status_code == 404
    assert '<a href="/entity/Huawei">Huawei</a>' in response.text


def test_bad_filter_is_a_clear_400(client: TestClient) -> None:
    response = client.get("/network?since=yesterday")
    assert response.status_code == 400 and "not a date" in response.text


def test_search_snippets_mark_matches_safely(client: TestClient) -> None:
    page = client.get("/search?q=Huawei").text
    assert "<mark>Huawei</mark>" in page and "**" not in page


def test_read_only_forms_are_disabled_and_refused(client: TestClient) -> None:
    page = client.get("/analyst").text
    assert "read-only" in page and '<fieldset class="actions" disabled>' in page
    response = client.post("/analyst/merge", data={"token": TOKEN, "a": "Huawei", "b": "MTS"})
    assert response.status_code == 403


def test_forms_with_token_ingest_and_merge(writable: Callable[..., TestClient]) -> None:
    app = writable()
    assert '<fieldset class="actions" >' in app.get("/analyst").text
    wrong = app.post("/analyst/ingest", data={"token": "nope", "text": "The U.S. sanctioned Quortex Micro in 2021."})
    assert wrong.status_code == 403 and "valid analyst token" in wrong.text
    text = "Treasury acts\n\nThe U.S. Treasury Department imposed sanctions on Quortex Micro in March 2021."
    done = app.post("/analyst/ingest", data={"token": TOKEN, "text": text}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/article/")
    assert "Quortex Micro" in app.get(done.headers["location"]).text
    merged = app.post("/analyst/merge", data={"token": TOKEN, "a": "Huawei", "b": "MTS"}, follow_redirects=False)
    assert merged.status_code == 303 and merged.headers["location"] == "/entity/company:huawei"
    split = app.post("/analyst/split", data={"token": TOKEN, "a": "Huawei"})
    assert split.status_code == 200 and "split off" in split.text
    empty = app.post("/analyst/ingest", data={"token": TOKEN, "text": "  "})
    assert empty.status_code == 400 and "empty" in empty.text
