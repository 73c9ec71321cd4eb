"""The Spark backfill gives the binary's duplicate groups exactly, and its
stories agree with `rasd cluster` (B-cubed F1 ≥ 0.99), on a written
fixture and on a slice of SaudiNewsNet."""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from conftest import run_binary
from rasd_spark.backfill import Settings, run

# Written for these tests (not from any corpus): a wire story, its copies,
# and unrelated stories.
AIRPORT = (
    "أعلنت هيئة الطيران المدني اليوم افتتاح صالة جديدة في مطار الملك عبدالعزيز الدولي بجدة "
    "بطاقة استيعابية تبلغ ثلاثين مليون مسافر سنويا، وقال رئيس الهيئة في مؤتمر صحفي إن المشروع "
    "يأتي ضمن خطة شاملة لتطوير المطارات في المملكة، وإن الصالة ستخدم الرحلات الدولية والداخلية "
    "بدءا من الشهر المقبل بعد انتهاء مرحلة التشغيل التجريبي التي شاركت فيها شركات طيران وطنية وأجنبية."
)
SCHOOLS = (
    "حددت وزارة التعليم موعد بدء العام الدراسي الجديد في جميع مناطق المملكة، وأوضح المتحدث الرسمي "
    "باسم الوزارة أن الطلاب والطالبات سيعودون إلى مقاعد الدراسة في الثالث والعشرين من أغسطس، وأن "
    "الوزارة أنهت استعداداتها لاستقبالهم بتجهيز المباني المدرسية وتوفير الكتب والمقررات في وقت مبكر."
)
FOOTBALL = (
    "فاز فريق الهلال على ضيفه النصر بهدفين مقابل هدف في المباراة التي جمعتهما مساء أمس على ملعب "
    "الملك فهد الدولي بالرياض ضمن الجولة الخامسة من الدوري، وسجل أهداف الهلال لاعبا الوسط في الشوط "
    "الثاني بينما أحرز النصر هدفه الوحيد من ركلة جزاء في الدقائق الأخيرة من اللقاء."
)


def fixture_lines() -> list[str]:
    """JSONL lines covering the binary's rules: copies across dates, exact
    copies that differ only in harakat, ties, undated articles, short and
    empty bodies, `content`/`url` field names, a missing id, bad lines."""
    def line(**fields) -> str:
        return json.dumps(fields, ensure_ascii=False)

    return [
        line(id="spa-1", title="افتتاح صالة جديدة في مطار جدة", body=AIRPORT, published="2015-08-02", source="واس"),
        line(id="okaz-1", title="صالة جديدة بمطار الملك عبدالعزيز", body=AIRPORT + " (واس)", published="2015-08-01T09:30:00+03:00", source="عكاظ"),
        line(id="riyadh-1", title="مطار جدة", body=AIRPORT.replace("الهيئة", "الهَيْئَة"), published="2015-08-02", source="الرياض"),
        line(id="madina-1", title="مطار جدة", body=AIRPORT.replace("ثلاثين", "أربعين"), source="المدينة"),
        "",
        line(url="https://example.sa/schools", title="موعد العام الدراسي", content=SCHOOLS, date_extracted="2015-08-03 10:00:00"),
        line(id="schools-copy", title="العودة إلى المدارس", body=SCHOOLS),
        line(title="بلا معرف", body=SCHOOLS + " وقالت الوزارة إن التقويم الدراسي منشور على موقعها."),
        line(id="sport-1", title="الهلال يفوز على النصر", body=FOOTBALL, published="2015-08-04"),
        line(id="sport-2", title="الهلال يتغلب على النصر", body=FOOTBALL, published="2015-08-04"),
        line(id="short-1", title="عاجل", body="خبر عاجل"),
        line(id="short-2", title="عاجل", body="خَبَر عاجل"),
        line(id="empty-1", title="فارغ", body=""),
        line(id="empty-2", title="فارغ", body="   "),
        "{ليس سطرا صالحا",
        line(id="numeric", body=42),
        line(id="no-body", title="بلا نص"),
        "   ",
    ]


def bcubed_f1(predicted: list, truth: list) -> float:
    """B-cubed F1 of two labelings of the same items."""
    pairs = list(zip(predicted, truth))
    both = Counter(pairs)
    by_pred = Counter(predicted)
    by_truth = Counter(truth)
    p = sum(both[(a, b)] / by_pred[a] for a, b in pairs) / len(pairs)
    r = sum(both[(a, b)] / by_truth[b] for a, b in pairs) / len(pairs)
    return 2 * p * r / (p + r)


def spark_rows(out: Path) -> list[dict]:
    table = pq.read_table(out).sort_by("seq")
    return table.select(["id", "group", "relation", "size", "story"]).to_pylist()


def compare_with_binary(spark, rasd_bin: str, path: Path, out: Path, settings: Settings) -> float:
    summary = run(spark, [str(path)], str(out), settings)
    rows = spark_rows(out)
    binary = [json.loads(l) for l in run_binary(rasd_bin, "dedup", "--format", "json", str(path))]
    assert summary.articles == len(binary) == len(rows)
    got = [(r["id"], r["group"], r["relation"], r["size"]) for r in rows]
    want = [(b["id"], b["group"], b["relation"], b["size"]) for b in binary]
    mismatches = [(g, w) for g, w in zip(got, want) if g != w]
    assert not mismatches, f"{len(mismatches)} articles differ, first: {mismatches[:3]}"
    # `rasd cluster` also places articles without a body (titles only);
    # pair its lines with the deduplicated articles in input order.
    clustered = iter(json.loads(l) for l in run_binary(rasd_bin, "cluster", "--format", "json", "--now", "2015-09-01", str(path)))
    truth = []
    for r in rows:
        line = next(c for c in clustered if c["id"] == r["id"])
        truth.append(line["story"])
    return bcubed_f1([r["story"] for r in rows], truth)


def test_fixture_groups_equal_the_binarys(spark, rasd_bin, tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(fixture_lines()) + "\n", encoding="utf-8")
    f1 = compare_with_binary(spark, rasd_bin, path, tmp_path / "out", Settings(partitions=4, now="2015-09-01"))
    assert f1 >= 0.99
    rows = {r["id"]: r for r in spark_rows(tmp_path / "out")}
    assert rows["spa-1"]["group"] == "okaz-1", "the earliest copy is canonical"
    assert rows["short-1"]["group"] == rows["short-2"]["group"]
    assert rows["empty-1"]["size"] == 1 and rows["empty-2"]["size"] == 1


def test_saudinewsnet_slice_equals_the_binary(spark, rasd_bin, saudinewsnet, tmp_path):
    path = tmp_path / "slice.jsonl"
    with gzip.open(saudinewsnet, "rt", encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, 2000))
    f1 = compare_with_binary(spark, rasd_bin, path, tmp_path / "out", Settings(partitions=4, now="2015-09-01"))
    assert f1 >= 0.99


def test_rerun_overwrites_with_the_same_output(spark, tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(fixture_lines()) + "\n", encoding="utf-8")
    settings = Settings(partitions=3, now="2015-09-01")
    run(spark, [str(path)], str(tmp_path / "out"), settings)
    first = spark_rows(tmp_path / "out")
    run(spark, [str(path)], str(tmp_path / "out"), settings)
    assert spark_rows(tmp_path / "out") == first
