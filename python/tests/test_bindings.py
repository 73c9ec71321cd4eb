"""The `rasd` module: each function over Arrow batches, with Arabic input."""

from __future__ import annotations

import pyarrow as pa
import pytest

import rasd
from test_backfill import AIRPORT, FOOTBALL, SCHOOLS


def bodies(*texts):
    return pa.RecordBatch.from_pydict({"body": list(texts)})


def test_signatures_are_deterministic_and_signed_keeps_the_bits():
    batch = bodies(AIRPORT, AIRPORT.replace("الهيئة", "الهَيْئَة"), "خبر", "")
    a = rasd.signatures(batch)
    b = rasd.signatures(batch, signed=True)
    assert a.schema.field("band_keys").type == pa.list_(pa.uint64())
    assert b.schema.field("band_keys").type == pa.list_(pa.int64())
    keys = a.column("band_keys").to_pylist()
    assert len(keys[0]) == 20, "the binary's 20 bands"
    assert keys[0] == keys[1], "harakat do not change the keys"
    assert keys[2] == [] and keys[3] == []
    signed = b.column("band_keys").to_pylist()
    assert [k & (2**64 - 1) for k in signed[0]] == keys[0]
    exact = a.column("exact").to_pylist()
    assert exact[0] == exact[1] and len(exact[0]) == 32
    assert exact[3] is None
    assert rasd.signatures(batch).equals(a)


def test_fewer_bands_give_fewer_keys():
    out = rasd.signatures(bodies(SCHOOLS), bands=4, rows=5)
    assert len(out.column("band_keys")[0]) == 4
    with pytest.raises(ValueError, match="bands"):
        rasd.signatures(bodies(SCHOOLS), bands=0)


def test_pairs_are_verified_by_exact_jaccard():
    sigs = rasd.signatures(bodies(AIRPORT, AIRPORT + " (واس)", FOOTBALL))
    shingles = sigs.column("shingles")
    pairs = pa.RecordBatch.from_pydict({
        "a": [0, 0],
        "left": pa.array([shingles[0].as_py(), shingles[0].as_py()], pa.list_(pa.uint32())),
        "right": pa.array([shingles[1].as_py(), shingles[2].as_py()], pa.list_(pa.uint32())),
    })
    out = rasd.verify_pairs(pairs)
    assert out.schema.names == ["a", "jaccard"]
    near, far = out.column("jaccard").to_pylist()
    assert 0.8 <= near < 1.0
    assert far is None


def test_group_follows_the_earliest_date():
    sigs = rasd.signatures(bodies(AIRPORT, AIRPORT + " (واس)", FOOTBALL), signed=True)
    batch = pa.RecordBatch.from_pydict({
        "seq": [7, 3, 5],
        "published": ["2015-08-02", "2015-08-01", None],
        "exact": sigs.column("exact"),
        "shingles": sigs.column("shingles"),
        "minhash": sigs.column("minhash"),
    })
    out = rasd.group(batch).to_pydict()
    assert out["seq"] == [3, 5, 7], "rows come back in seq order"
    assert out["canonical"] == [3, 5, 3]
    assert out["relation"] == ["canonical", "canonical", "near"]
    assert out["size"] == [2, 1, 2]


def test_missing_columns_are_value_errors():
    with pytest.raises(ValueError, match="no column `body`"):
        rasd.signatures(pa.RecordBatch.from_pydict({"text": ["نص"]}))
    with pytest.raises(ValueError, match="no column `seq`"):
        rasd.group(pa.RecordBatch.from_pydict({"published": ["2015-08-01"]}))


def test_extract_turns_pages_into_articles():
    html = (
        "<html><head><title>افتتاح صالة جديدة في مطار جدة</title></head><body>"
        f"<article><h1>افتتاح صالة جديدة في مطار جدة</h1><p>{AIRPORT}</p><p>{SCHOOLS}</p></article>"
        "</body></html>"
    )
    pages = pa.RecordBatch.from_pydict({
        "url": ["https://example.sa/news/1", None],
        "html": [html, None],
        "text": [None, "\x00\x01\x02 ليس نصا"],
        "fetched": ["2015-08-02T10:00:00Z", None],
    })
    out = rasd.extract(pages).to_pylist()
    assert out[0]["error"] is None
    assert "مطار الملك عبدالعزيز" in out[0]["body"]
    assert out[0]["id"] == "https://example.sa/news/1"
    assert out[-1]["page"] == 1 and out[-1]["body"] is None and out[-1]["error"]


def test_cluster_places_one_event_in_one_story():
    batch = pa.RecordBatch.from_pydict({
        "id": ["a", "b", "c"],
        "title": [
            "خادم الحرمين الشريفين يصل إلى المملكة المغربية",
            "أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية",
            "خادم الحرمين يصل إلى المغرب في إجازة خاصة",
        ],
        "published": ["2015-08-01", "2015-08-02", "2015-08-01"],
    })
    out = rasd.cluster(batch, now="2015-08-03").to_pydict()
    assert out["id"] == ["a", "b", "c"]
    assert out["story"][0] == out["story"][2] != out["story"][1]
    with pytest.raises(ValueError, match="not a date"):
        rasd.cluster(batch, now="غدا")
