"""The network: nodes and edges, depth, filters, and each export format loading back."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pytest
from sqlalchemy import Connection

from newsintel.errors import NewsIntelError
from newsintel.query.network import network, render, to_dot


def edges(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, d["fact_id"]) for u, v, d in graph.edges(data=True)}


def test_depth_one_is_the_entity_and_its_counterparties(conn: Connection) -> None:
    graph = network(conn, "company:sensetime", depth=1)
    assert set(graph.nodes) == {"company:sensetime", "government_body:us-commerce", "company:softbank",
                                "government_body:xinjiang-psb"}
    assert edges(graph) == {
        ("government_body:us-commerce", "company:sensetime", "f-sanction"),
        ("government_body:us-commerce", "company:sensetime", "f-ban"),
        ("company:softbank", "company:sensetime", "f-invest"),
        ("company:sensetime", "government_body:xinjiang-psb", "f-contract"),
    }
    assert graph.nodes["company:softbank"] == {"name": "SoftBank", "type": "company", "country": "JP"}
    edge = next(d for _, _, d in graph.edges(data=True) if d["fact_id"] == "f-invest")
    assert edge == {"type": "investment", "fact_id": "f-invest", "date": "2018-05", "source_role": "investor",
                    "target_role": "recipient"}


def test_depth_grows_the_graph_hop_by_hop(conn: Connection) -> None:
    two = network(conn, "company:sensetime", depth=2)
    assert "company:huawei" in two and "company:vocord" not in two  # via Commerce, one hop further
    three = network(conn, "company:sensetime", depth=3)
    assert {"company:vocord", "country:us"} <= set(three.nodes)


def test_filters_and_the_whole_store(conn: Connection) -> None:
    whole = network(conn)
    assert len(whole.edges) == 7  # every fact with two role holders; the policy has one
    assert "country:us" in whole  # ... and its issuer is still a node
    sanctions = network(conn, types=["sanction"])
    assert {d["type"] for _, _, d in sanctions.edges(data=True)} == {"sanction"}
    recent = network(conn, since="2020")
    assert {d["fact_id"] for _, _, d in recent.edges(data=True)} == {"f-contract", "f-sanction-us", "f-ban"}
    assert len(network(conn, limit=2).edges) == 2


def test_an_entity_without_facts_is_a_lone_node(conn: Connection) -> None:
    graph = network(conn, "program:entity-list")
    assert list(graph.nodes(data=True)) == [("program:entity-list",
                                              {"name": "Entity List", "type": "program", "country": "US"})]


def test_json_is_node_link_data(conn: Connection) -> None:
    data = json.loads(render(network(conn, "company:huawei", depth=1), "json"))
    assert data["directed"] is True and data["multigraph"] is True
    assert {n["id"] for n in data["nodes"]} == {"company:huawei", "company:vocord", "country:us",
                                                "government_body:us-commerce"}
    link = next(x for x in data["links"] if x["fact_id"] == "f-partner")
    assert {link["source"], link["target"]} == {"company:huawei", "company:vocord"}
    assert set(link) == {"source", "target", "key", "type", "fact_id", "date", "source_role", "target_role"}
    back = nx.node_link_graph(data, edges="links")
    assert back.number_of_edges() == 3


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_load_back(conn: Connection, fmt: str, reader) -> None:  # type: ignore[no-untyped-def]
    graph = network(conn)
    back = reader(io.BytesIO(render(graph, fmt).encode("utf-8")))
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    if fmt == "graphml":
        assert back.nodes["company:huawei"]["name"] == "Huawei"
        fact_ids = {d["fact_id"] for _, _, d in graph.edges(data=True)}
        assert {d["fact_id"] for _, _, d in back.edges(data=True)} == fact_ids


_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<arrow>->)|(?P<punct>[{}\[\];=,])|(?P<id>[A-Za-z_]\w*))',
                    re.S)


def parse_dot(source: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """A strict little parser for the subset of DOT we write: quoted ids, node and edge statements."""
    tokens, at = [], 0
    while source[at:].strip():
        match = _TOKEN.match(source, at)
        assert match, f"bad DOT near {source[at:at + 40]!r}"
        tokens.append(match.group(match.lastgroup or ""))
        at = match.end()
    assert tokens[:3] == ["digraph", "newsintel", "{"] and tokens[-1] == "}"

    def unquote(token: str) -> str:
        assert token.startswith('"') and token.endswith('"'), token
        return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), token[1:-1])

    nodes: dict[str, dict[str, str]] = {}
    links: list[tuple[str, str, dict[str, str]]] = []
    body, i = tokens[3:-1], 0
    while i < len(body):
        first, target = unquote(body[i]), None
        i += 1
        if body[i] == "->":
            target, i = unquote(body[i + 1]), i + 2
        assert body[i] == "["
        attrs, i = {}, i + 1
        while body[i] != "]":
            key, eq, value = body[i:i + 3]
            assert eq == "="
            attrs[unquote(key)] = unquote(value)
            i += 3
            if body[i] == ",":
                i += 1
        assert body[i + 1] == ";"
        i += 2
        if target is None:
            nodes[first] = attrs
        else:
            links.append((first, target, attrs))
    return nodes, links


def test_dot_is_well_formed(conn: Connection) -> None:
    graph = network(conn, "company:sensetime", depth=1)
    nodes, links = parse_dot(render(graph, "dot"))
    assert set(nodes) == set(graph.nodes)
    assert nodes["company:softbank"]["label"] == "SoftBank"
    assert {(u, v, a["fact_id"]) for u, v, a in links} == edges(graph)


def test_dot_quotes_hostile_names() -> None:
    graph = nx.MultiDiGraph()
    evil = 'Evil "Corp" \\ {x} -> y;\nnext line'
    graph.add_node("a", name=evil, type="company", country=None)
    graph.add_node('b"; digraph {', name="B", type="company", country="US")
    graph.add_edge("a", 'b"; digraph {', type="sanction", fact_id="f1", date=None)
    nodes, links = parse_dot(to_dot(graph))
    assert nodes["a"]["label"] == evil and "country" not in nodes["a"]
    assert links == [("a", 'b"; digraph {', {"label": "sanction", "type": "sanction", "fact_id": "f1"})]


def test_unknown_format(conn: Connection) -> None:
    with pytest.raises(NewsIntelError, match="unknown network format"):
        render(network(conn), "svg")


def test_entities_beyond_the_first_hop_are_capped(conn: Connection) -> None:
    # Commerce's facts, by id: f-ban, f-sanction (both already drawn at hop 1), f-sanction-huawei
    assert "company:huawei" not in network(conn, "company:sensetime", depth=2, per_entity=2)
    assert "company:huawei" in network(conn, "company:sensetime", depth=2, per_entity=3)
    assert len(network(conn, "company:sensetime", depth=2, limit=1).edges) == 1
