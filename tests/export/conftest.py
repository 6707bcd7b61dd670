"""A small store built by the real pipeline: three articles we wrote, extracted and stored.

The extractions are made once per session; each test stores them in a fresh database from the
suite's `store_url` fixture (SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from newsintel.extract.extractor import Extractor
from newsintel.model import Document, Extraction
from newsintel.store.db import Store, open_store
from newsintel.store.writer import store_extraction

FIXTURES = Path(__file__).parent / "fixtures"

ARTICLES = [  # id, published, title, text
    ("a1", "2019-10-08", "Commerce adds SenseTime to the Entity List",
     "The U.S. Department of Commerce added SenseTime to the Entity List on Monday, barring the Chinese "
     "company from buying American technology. SoftBank invested $1 billion in SenseTime in 2018."),
    ("a2", "2021-03-02", "Huawei and Vocord team up",
     "Huawei and Vocord formed a partnership on video analytics in March 2021. Megvii chief executive Yin Qi "
     "said the deal was good news. Alibaba acquired Megvii for $200 million in 2020."),
    ("a3", "2022-05-20", "Beijing backs AI plan",
     "China announced the New Generation AI Development Plan in 2017. SenseTime won a contract to supply the "
     "Xinjiang Public Security Bureau with cameras in May 2022."),
]


@pytest.fixture(scope="session")
def extractions(extractor: Extractor) -> list[Extraction]:
    return [extractor.extract(Document(id=i, text=text, url=f"https://news.example/{i}", title=title,
                                       published=published, language="en"))
            for i, published, title, text in ARTICLES]


@pytest.fixture
def store(store_url: str, extractions: list[Extraction]) -> Iterator[Store]:
    built = open_store(store_url)
    for extraction in extractions:
        assert store_extraction(built, extraction, extraction.document.id).status == "stored"
    yield built
    built.close()


@pytest.fixture
def conn(store: Store) -> Iterator[Connection]:
    with store.engine.connect() as connection:
        yield connection


def count(conn: Connection, table: object) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]
