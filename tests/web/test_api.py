"""The JSON API: shapes as in docs/QUERIES.md, errors with suggestions, hostile input, the token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_home_has_counts_latest_facts_and_active_actors(client: TestClient) -> None:
    body = client.get("/api/home").json()
    assert body["stats"]["documents"] == 7
    assert body["latest_facts"] and all("first_seen" in f for f in body["latest_facts"])
    assert body["active_actors"][0]["facts"] >= body["active_actors"][-1]["facts"]
    assert all(a["type"] != "country" for a in body["active_actors"])


def test_search_finds_articles_and_entities(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Huawei"}).json()
    assert {"id", "title", "published", "url", "snippet", "rank"} <= set(body["documents"][0])
    assert body["entities"][0]["name"] == "Huawei"


@pytest.mark.parametrize("text", ["' OR 1=1 --", "%", "\"", "huawei\" OR x", "_", "'; DROP TABLE facts; --"])
def test_sql_like_search_text_is_harmless(client: TestClient, text: str) -> None:
    response = client.get("/api/search", params={"q": text})
    assert response.status_code == 200
    assert response.json()["documents"] == []
    assert client.get("/api/stats").json()["facts"] > 0


def test_dossier_by_forgiving_name_with_sentence_links(client: TestClient) -> None:
    body = client.get("/api/entity/huawei technologies").json()
    assert body["entity"]["id"] == "company:huawei"
    sanction = next(f for f in body["facts"] if f["type"] == "sanction")
    source = sanction["sources"][0]
    assert source["sentence"] and source["href"].startswith(f"/article/{source['document_id']}#s-")
    assert body["counterparties"] and body["facts_total"] >= len(body["facts"])


def test_unknown_entity_is_404_with_did_you_mean(client: TestClient) -> None:
    response = client.get("/api/entity/Huawie")
    assert response.status_code == 404
    assert response.json()["suggestions"] == ["Huawei"]
    assert "did you mean" in response.json()["detail"]


def test_timeline_filters_and_bad_dates(client: TestClient) -> None:
    facts = client.get("/api/timeline", params={"type": "sanction", "since": "2019"}).json()
    assert facts and all(f["type"] == "sanction" and f["date"]["value"] >= "2019" for f in facts)
    response = client.get("/api/timeline", params={"since": "last week"})
    assert response.status_code == 400 and "not a date" in response.json()["detail"]


def test_network_is_node_link_with_colours_and_filters(client: TestClient) -> None:
    body = client.get("/api/network", params={"type": "sanction"}).json()
    assert body["links"] and all(link["type"] == "sanction" for link in body["links"])
    assert body["colours"]["sanction"].startswith("#")
    ids = {n["id"] for n in body["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in body["links"])
    china = client.get("/api/network", params={"type": "sanction", "country": "cn"}).json()
    countries = {n["id"]: n["country"] for n in china["nodes"]}
    assert china["links"] and all("CN" in (countries[x["source"]], countries[x["target"]]) for x in china["links"])
    early = client.get("/api/network", params={"until": "2019-05-15"}).json()
    assert all(link["date"] and link["date"] < "2019-05-16" for link in early["links"])


def test_network_around_an_entity(client: TestClient) -> None:
    body = client.get("/api/network", params={"entity": "Huawei", "depth": 1}).json()
    assert body["focus"] == "company:huawei"
    assert all("company:huawei" in (x["source"], x["target"]) for x in body["links"])


def test_article_has_text_mentions_and_evidence(client: TestClient, hostile_id: str) -> None:
    body = client.get(f"/api/article/{hostile_id}").json()
    text = body["document"]["text"]
    assert "<script>alert(1)</script>" in text  # stored as written; escaping is the page's job
    for mention in body["mentions"]:
        for span in mention["spans"]:
            assert text[span["start"]:span["end"]] == span["text"]
    evidence = body["facts"][0]["evidence"][0]
    assert text[evidence["start"]:evidence["end"]] == evidence["sentence"]
    assert client.get("/api/article/nope").status_code == 404


def test_facts_since_and_one_fact(client: TestClient) -> None:
    facts = client.get("/api/facts", params={"since": "2000-01-01"}).json()
    assert facts
    one = client.get(f"/api/facts/{facts[0]['id']}").json()
    assert one["id"] == facts[0]["id"] and one["sources"][0]["href"]
    assert client.get("/api/facts/nope").status_code == 404


def test_openapi_lists_the_api_and_docs_are_local(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/network", "/api/ingest", "/api/merge"} <= set(paths)
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "http" not in docs.replace("http-equiv", "")


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/stats", "/static/app.css", "/api/entity/nobody"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


# -- actions ------------------------------------------------------------------------------------------------

ARTICLE = ("Ministry approves chip venture\n\nThe U.S. Treasury Department imposed sanctions on Quortex Micro "
           "in March 2021, officials said on Friday.")


def test_read_only_server_refuses_actions(client: TestClient) -> None:
    assert client.post("/api/ingest", data={"text": ARTICLE}, headers=AUTH).status_code == 403
    assert client.post("/api/merge", json={"a": "Huawei", "b": "MTS"}, headers=AUTH).status_code == 403
    assert client.post("/api/split", json={"a": "Huawei"}, headers=AUTH).status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_wrong_or_missing_token_is_refused(writable: Callable[..., TestClient], headers: dict[str, str]) -> None:
    app = writable()
    assert app.post("/api/ingest", data={"text": ARTICLE}, headers=headers).status_code == 403
    assert app.get("/api/stats").json()["documents"] == 7


def test_ingest_pasted_and_uploaded_articles(writable: Callable[..., TestClient]) -> None:
    app = writable()
    done = app.post("/api/ingest", data={"text": ARTICLE, "published": "2021-03-12"}, headers=AUTH).json()
    assert done["status"] == "stored" and done["facts"] >= 1
    article = app.get(f"/api/article/{done['document_id']}").json()
    assert article["document"]["published"] == "2021-03-12"
    assert app.get("/api/search", params={"q": "Quortex"}).json()["documents"][0]["id"] == done["document_id"]
    other = ("Velmora Systems signed a contract on Monday to supply radar software to the Polish army, "
             "the company said, in a deal worth $40 million over five years.")
    html = (b"<html><head><title>Page</title></head><body><article><p>" + other.encode()
            + b"</p></article></body></html>")
    uploaded = app.post("/api/ingest", files={"file": ("page.html", html, "text/html")}, headers=AUTH).json()
    assert uploaded["status"] == "stored"
    assert app.post("/api/ingest", data={"text": ARTICLE}, headers=AUTH).json()["status"] == "skipped"


def test_upload_too_large_is_413(writable: Callable[..., TestClient]) -> None:
    app = writable(max_upload=10_000)
    big = ("word " * 4000).encode()
    response = app.post("/api/ingest", files={"file": ("big.txt", big, "text/plain")}, headers=AUTH)
    assert response.status_code == 413 and "too large" in response.json()["detail"]
    assert app.get("/api/stats").json()["documents"] == 7


def test_streamed_body_without_length_is_cut_at_the_limit(writable: Callable[..., TestClient]) -> None:
    app = writable(max_upload=10_000)
    body = (b"--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + b"x" * 40_000 + b"\r\n--b--\r\n")
    chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))  # a generator: sent chunked, no Content-Length
    response = app.post("/api/ingest", content=chunks,
                        headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413


def test_merge_then_split(writable: Callable[..., TestClient]) -> None:
    app = writable()
    merged = app.post("/api/merge", json={"a": "Huawei", "b": "MTS"}, headers=AUTH).json()
    assert merged["kept"] == "company:huawei"
    assert "MTS" in app.get("/api/entity/company:huawei").json()["entity"]["aliases"]
    parts = app.post("/api/split", json={"a": "Huawei"}, headers=AUTH).json()["split_off"]
    assert parts
    assert app.get("/api/entity/MTS").json()["entity"]["id"] != "company:huawei"
    assert app.post("/api/merge", json={"a": "Huawei", "b": "Nobody At All"}, headers=AUTH).status_code == 400
