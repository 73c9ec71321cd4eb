//! The store's behaviours on PostgreSQL, each checked against the SQLite
//! archive fed the same calls: both backends must answer every view alike.
//! Needs PostgreSQL's server binaries (see tests/pg); skips without them
//! unless `RASD_REQUIRE_POSTGRES=1`.

mod pg;

use pg::TempPostgres;
use rasd_model::Article;
use rasd_store::{Archive, Stored};
use rasd_store::{
    ArticleQuery, EntityQuery, ExactOnly, FactsBatch, FigureWrite, IngestItem, Membership,
    MentionWrite, NewAliasRow, NewEntity, OpenOptions, QuoteQuery, QuoteWrite, StoryBatch,
    StoryDigest, StoryInput, StoryMerge, StoryQuery, TopicQuery,
};
use std::collections::BTreeSet;

const WIRE: &str = "أعلنت وزارة الداخلية اليوم القبض على خلية إرهابية في المنطقة الشرقية \
    تضم عشرة أشخاص كانوا يخططون لتنفيذ عمليات تستهدف منشآت حكومية ومساجد";

fn article(url: &str, source: &str, published: Option<&str>, title: &str, body: &str) -> Article {
    Article {
        url: Some(url.into()),
        title: Some(title.into()),
        body: body.into(),
        published: published.map(str::to_string),
        source: Some(source.into()),
        lang: Some("ar".into()),
        ..Article::default()
    }
}

fn corpus() -> Vec<Article> {
    vec![
        article(
            "https://sabq.org/9",
            "سبق",
            Some("2015-07-22"),
            "القبض على خلية",
            WIRE,
        ),
        article(
            "https://spa.gov.sa/1",
            "واس",
            Some("2015-07-21T09:00:00+03:00"),
            "الداخلية: القبض على خلية",
            WIRE,
        ),
        article(
            "https://okaz.com.sa/4",
            "عكاظ",
            Some("2015-07-23"),
            "خلية إرهابية",
            &WIRE.replace("اليوم", "اليـــوم"),
        ),
        article(
            "https://x.sa/2",
            "الرياض",
            None,
            "طقس جدة",
            "خبر عن الطقس الحار في مدينة جدة اليوم",
        ),
        article(
            "https://x.sa/3",
            "الرياض",
            Some("2015-07-24"),
            "أمطار على أبها",
            "هطلت أمطار غزيرة على مدينة أبها مساء أمس",
        ),
        article(
            "https://y.sa/7",
            "الوطن",
            Some("2015-07-24"),
            "Zeta",
            "خبر ثالث عن مكة المكرمة وزوارها",
        ),
        article(
            "https://y.sa/8",
            "الوطن",
            Some("2015-07-24"),
            "alpha",
            "خبر رابع عن المدينة المنورة",
        ),
    ]
}

fn items(articles: &[Article]) -> Vec<IngestItem> {
    articles
        .iter()
        .map(|a| IngestItem::from_article(a.clone(), 0))
        .collect()
}

fn digest(members: &[StoryInput]) -> StoryDigest {
    StoryDigest {
        headline: members.first().and_then(|m| m.title.clone()),
        sentences: members.iter().map(|m| m.body.clone()).take(2).collect(),
    }
}

/// Feeds one archive the same calls: ingest (with a version and a repeat),
/// stories with a merge, facts.
fn populate(archive: &mut Archive) {
    let first = archive
        .ingest_batch(items(&corpus()), 100, &ExactOnly)
        .unwrap();
    assert!(first.iter().all(|o| o.stored == Stored::New), "{first:?}");
    let again = archive
        .ingest_batch(items(&corpus()), 200, &ExactOnly)
        .unwrap();
    assert!(
        again.iter().all(|o| !o.is_stored()),
        "re-ingest adds nothing"
    );
    let mut changed = corpus()[3].clone();
    changed.title = Some("تحديث: طقس جدة".into());
    let v2 = archive
        .ingest_batch(items(&[changed]), 300, &ExactOnly)
        .unwrap();
    assert_eq!(v2[0].stored, Stored::NewVersion(2));

    let ids: Vec<String> = archive
        .articles(&ArticleQuery::default())
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    let inputs = archive.story_inputs(&ids).unwrap();
    let seq = |source: &str, n: usize| {
        inputs
            .iter()
            .filter(|i| i.source.as_deref() == Some(source))
            .nth(n)
            .unwrap()
            .seq
    };
    let member = |article, story, topic| Membership {
        article,
        story,
        topic,
        confidence: 0.75,
        dateless: false,
    };
    let batch = StoryBatch {
        members: vec![
            member(seq("سبق", 0), 0, 0),
            member(seq("واس", 0), 0, 0),
            member(seq("عكاظ", 0), 1, 0),
            member(seq("الرياض", 0), 2, 1),
            member(seq("الرياض", 1), 3, 1),
            member(seq("الوطن", 0), 4, 2),
            member(seq("الوطن", 1), 4, 2),
        ],
        merges: vec![],
    };
    archive.apply_story_batch(&batch, 400, &mut digest).unwrap();
    let merge = StoryBatch {
        members: vec![],
        merges: vec![StoryMerge {
            gone: 1,
            into: 0,
            topic: 0,
        }],
    };
    let counts = archive.apply_story_batch(&merge, 500, &mut digest).unwrap();
    assert_eq!(counts.merged, 1);

    let wire = seq("سبق", 0);
    let official = seq("واس", 0);
    let facts = FactsBatch {
        articles: vec![wire, official],
        entities: vec![
            NewEntity {
                id: 1,
                name: "وزارة الداخلية".into(),
                kind: "ORG".into(),
                key: "وزاره الداخليه".into(),
            },
            NewEntity {
                id: 2,
                name: "المنطقة الشرقية".into(),
                kind: "LOC".into(),
                key: "المنطقه الشرقيه".into(),
            },
        ],
        renamed: vec![],
        aliases: vec![
            NewAliasRow {
                key: "وزاره الداخليه".into(),
                entity: 1,
                alias: "وزارة الداخلية".into(),
            },
            NewAliasRow {
                key: "الداخليه".into(),
                entity: 1,
                alias: "الداخلية".into(),
            },
            NewAliasRow {
                key: "الداخليه".into(),
                entity: 2,
                alias: "مكرر".into(),
            },
            NewAliasRow {
                key: "المنطقه الشرقيه".into(),
                entity: 2,
                alias: "المنطقة الشرقية".into(),
            },
        ],
        mentions: vec![
            MentionWrite {
                article: wire,
                entity: 1,
                text: "وزارة الداخلية".into(),
                kind: "ORG".into(),
                start: 10,
            },
            MentionWrite {
                article: official,
                entity: 1,
                text: "الداخلية".into(),
                kind: "ORG".into(),
                start: 0,
            },
            MentionWrite {
                article: official,
                entity: 2,
                text: "المنطقة الشرقية".into(),
                kind: "LOC".into(),
                start: 40,
            },
        ],
        quotes: vec![QuoteWrite {
            article: official,
            speaker: "المتحدث الأمني".into(),
            speaker_entity: Some(1),
            text: "التحقيقات مستمرة مع الموقوفين".into(),
        }],
        figures: vec![
            FigureWrite {
                article: wire,
                value: 10.0,
                unit: Some("شخص".into()),
                text: "عشرة أشخاص".into(),
            },
            FigureWrite {
                article: official,
                value: 10.0,
                unit: Some("شخص".into()),
                text: "عشرة أشخاص".into(),
            },
        ],
    };
    archive.apply_facts_batch(&facts).unwrap();
}

/// Everything the views show, as one comparable text.
fn views(archive: &Archive) -> String {
    let all = ArticleQuery {
        all_versions: true,
        ..ArticleQuery::default()
    };
    let articles = archive.articles(&all).unwrap();
    let mut out = format!("{articles:#?}\n");
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    out += &format!("{:?}\n", archive.stories_of(&ids).unwrap());
    for a in &articles {
        out += &format!("{:#?}\n", archive.article(&a.id).unwrap());
        out += &format!("{:?}\n", archive.story_of(&a.id).unwrap());
        out += &format!("{:?}\n", archive.article_facts(&a.id).unwrap());
        out += &format!("{:?}\n", archive.entity_ids_of(&a.id).unwrap());
    }
    let filtered = ArticleQuery {
        source: Some("الرياض".into()),
        since: Some("2015-07-22".into()),
        limit: Some(5),
        ..ArticleQuery::default()
    };
    out += &format!("{:?}\n", archive.articles(&filtered).unwrap());
    let mut stats = archive.stats().unwrap();
    stats.schema_version = 0;
    out += &format!("{stats:#?}\n");
    out += &format!("{:#?}\n", archive.stories(&StoryQuery::default()).unwrap());
    let q = StoryQuery {
        since: Some("2015-07-23".into()),
        until: Some("2015-07-24".into()),
        source: Some("عكاظ".into()),
        ..StoryQuery::default()
    };
    out += &format!("{:#?}\n", archive.stories(&q).unwrap());
    out += &format!(
        "{:?} {:?}\n",
        archive.story(1).unwrap(),
        archive.story(99).unwrap()
    );
    out += &format!("{:#?}\n", archive.topics(&TopicQuery::default()).unwrap());
    out += &format!("{:#?}\n", archive.topic(0).unwrap());
    out += &format!("{:?}\n", archive.next_story_ids().unwrap());
    out += &format!("{:?}\n", archive.story_restore_set(1.0, 100).unwrap());
    out += &format!("{:?}\n", archive.story_restore_set(30.0, 3).unwrap());
    out += &format!(
        "{:#?}\n",
        archive.entities(&EntityQuery::default()).unwrap()
    );
    out += &format!(
        "{:#?}\n",
        archive
            .entities(&EntityQuery {
                name: Some("الداخلية".into()),
                ..EntityQuery::default()
            })
            .unwrap()
    );
    out += &format!("{:#?}\n", archive.entity(1).unwrap());
    out += &format!(
        "{:#?}\n",
        archive
            .quotes(&QuoteQuery {
                speaker: Some("المتحدث".into()),
                ..QuoteQuery::default()
            })
            .unwrap()
    );
    out += &format!("{:#?}\n", archive.story_facts(0).unwrap());
    out += &format!("{:#?}\n", archive.linker_entities().unwrap());
    out += &format!("{:?}\n", archive.next_entity_id().unwrap());
    let mut inputs = Vec::new();
    archive
        .for_each_story_input(|i| {
            inputs.push(i);
            Ok::<(), rasd_store::StoreError>(())
        })
        .unwrap();
    out += &format!("{inputs:?}\n");
    out
}

#[test]
fn every_view_reads_the_same_from_postgresql_as_from_sqlite() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut sqlite = Archive::open(&dir.path().join("sqlite"), &OpenOptions::writer()).unwrap();
    let url = server.create_database();
    let options = OpenOptions {
        postgres: Some(url.clone()),
        ..OpenOptions::writer()
    };
    let mut postgres = Archive::open(&dir.path().join("local"), &options).unwrap();
    assert!(postgres.is_postgres());
    assert_eq!(
        postgres.schema_version().unwrap(),
        sqlite.schema_version().unwrap()
    );
    populate(&mut sqlite);
    populate(&mut postgres);
    let expected = views(&sqlite);
    assert!(expected.contains("تحديث: طقس جدة"));
    assert_same(&views(&postgres), &expected);

    // Reindex rebuilds the same groups on both.
    assert_eq!(
        postgres.reindex(&ExactOnly).unwrap(),
        sqlite.reindex(&ExactOnly).unwrap()
    );
    assert_same(&views(&postgres), &views(&sqlite));

    // A reader on the same database sees it all; a second writer migrates nothing.
    let reader = Archive::open(
        dir.path(),
        &OpenOptions {
            postgres: Some(url.clone()),
            ..OpenOptions::reader()
        },
    )
    .unwrap();
    assert_same(&views(&reader), &expected_after_reindex(&sqlite));
    postgres.clear_stories().unwrap();
    assert!(postgres.stories(&StoryQuery::default()).unwrap().is_empty());
    postgres.integrity_check().unwrap();
}

fn expected_after_reindex(sqlite: &Archive) -> String {
    views(sqlite)
}

/// Equal texts, or a panic naming the first line that differs.
fn assert_same(postgres: &str, sqlite: &str) {
    let (p, s): (Vec<&str>, Vec<&str>) = (postgres.lines().collect(), sqlite.lines().collect());
    if let Some(i) = (0..p.len().max(s.len())).find(|&i| p.get(i) != s.get(i)) {
        let from = i.saturating_sub(6);
        panic!(
            "line {i} differs\n--- postgres:\n{}\n--- sqlite:\n{}",
            p[from..(i + 3).min(p.len())].join("\n"),
            s[from..(i + 3).min(s.len())].join("\n")
        );
    }
}

#[test]
fn both_backends_end_with_the_same_tables_columns_and_indexes() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    drop(Archive::open(dir.path(), &OpenOptions::writer()).unwrap());
    let url = server.create_database();
    drop(
        Archive::open(
            dir.path(),
            &OpenOptions {
                postgres: Some(url.clone()),
                ..OpenOptions::writer()
            },
        )
        .unwrap(),
    );

    let conn = rusqlite::Connection::open(dir.path().join(rasd_store::ARCHIVE_FILE)).unwrap();
    let mut sqlite_columns = BTreeSet::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for table in &tables {
        let mut stmt = conn
            .prepare(&format!("PRAGMA table_info({table})"))
            .unwrap();
        let cols = stmt
            .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .unwrap()
            .map(Result::unwrap);
        for (name, kind) in cols {
            let kind = match kind.as_str() {
                "INTEGER" => "bigint",
                "TEXT" => "text",
                "REAL" => "double precision",
                "BLOB" => "bytea",
                other => panic!("unexpected SQLite type {other}"),
            };
            sqlite_columns.insert(format!("{table}.{name} {kind}"));
        }
    }
    let sqlite_indexes: BTreeSet<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();

    let mut client = server.client(&url);
    let pg_columns: BTreeSet<String> = client
        .query(
            "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> 'rasd_meta' AND column_name <> 'rowid'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| format!("{}.{} {}", r.get::<_, String>(0), r.get::<_, String>(1), r.get::<_, String>(2)))
        .collect();
    let pg_indexes: BTreeSet<String> = client
        .query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'
             AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    assert_eq!(pg_columns, sqlite_columns);
    assert_eq!(pg_indexes, sqlite_indexes);
    assert!(sqlite_indexes.contains("lsh_bands_key"));
    let triggers: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(triggers, 2, "the mention counters");
}

#[test]
fn a_restarted_server_is_reconnected_to_and_nothing_is_lost() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.create_database();
    let options = OpenOptions {
        postgres: Some(url),
        ..OpenOptions::writer()
    };
    let mut archive = Archive::open(dir.path(), &options).unwrap();
    let all = corpus();
    archive
        .ingest_batch(items(&all[..3]), 0, &ExactOnly)
        .unwrap();
    server.restart();
    // The connection died with the restart: the next batch reconnects.
    let out = archive.ingest_batch(items(&all), 0, &ExactOnly).unwrap();
    assert_eq!(out.iter().filter(|o| o.is_stored()).count(), all.len() - 3);
    assert_eq!(archive.article_count().unwrap(), all.len() as u64);
    server.restart();
    assert_eq!(
        archive.stats().unwrap().articles,
        all.len() as u64,
        "reads reconnect too"
    );
}

#[test]
fn an_unreachable_server_is_named_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = OpenOptions {
        postgres: Some(format!("postgres://rasd:كلمة-سر@127.0.0.1:{port}/أرشيف")),
        lock_timeout: std::time::Duration::from_millis(300),
        ..OpenOptions::writer()
    };
    let err = Archive::open(dir.path(), &options).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("postgres://rasd@127.0.0.1:{port}/أرشيف: ")),
        "{err}"
    );
    assert!(!err.contains("كلمة-سر"), "{err}");
}

/// A facts batch of more rows than one multi-row statement carries, with
/// texts holding tabs, line breaks, backslashes, quotes, placeholders and
/// control characters, and a repeated alias key: PostgreSQL splits it into
/// several statements and must store the same rows, in the same order, as
/// SQLite's row-by-row writes.
#[test]
fn a_facts_batch_larger_than_one_statement_is_stored_alike() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut sqlite = Archive::open(&dir.path().join("sqlite"), &OpenOptions::writer()).unwrap();
    let options = OpenOptions {
        postgres: Some(server.create_database()),
        ..OpenOptions::writer()
    };
    let mut postgres = Archive::open(&dir.path().join("local"), &options).unwrap();
    let odd = [
        "\t", "\n", "\\", "\\N", "'", "\"", "$1", "?2", "\r\n", "\u{1}", "\u{7f}", "،",
    ];
    let text = |i: usize| format!("وزارة{}الداخلية {i}", odd[i % odd.len()]);
    let batch = |seq: i64| FactsBatch {
        articles: vec![seq],
        entities: (1..=600)
            .map(|id| NewEntity {
                id,
                name: text(id as usize),
                kind: "ORG".into(),
                key: format!("مفتاح {id}"),
            })
            .collect(),
        renamed: vec![],
        aliases: (0..1100)
            .map(|i| NewAliasRow {
                key: format!("اسم {}", i % 1000),
                entity: 1 + (i % 600) as i64,
                alias: text(i),
            })
            .collect(),
        mentions: (0..1300)
            .map(|i| MentionWrite {
                article: seq,
                entity: 1 + (i % 600) as i64,
                text: text(i),
                kind: "ORG".into(),
                // Shared starts: rows of one start read back in insertion order.
                start: (i / 3) as i64,
            })
            .collect(),
        quotes: (0..515)
            .map(|i| QuoteWrite {
                article: seq,
                speaker: text(i),
                speaker_entity: (i % 3 == 0).then_some(1 + (i % 600) as i64),
                text: format!("قال{}«نص» {i}", odd[(i + 5) % odd.len()]),
            })
            .collect(),
        figures: (0..700)
            .map(|i| FigureWrite {
                article: seq,
                value: i as f64 / 4.0,
                unit: (i % 2 == 0).then(|| text(i)),
                text: text(i + 1),
            })
            .collect(),
    };
    let mut seen = Vec::new();
    for archive in [&mut sqlite, &mut postgres] {
        let stored = archive
            .ingest_batch(items(&corpus()[..1]), 100, &ExactOnly)
            .unwrap();
        let id = stored[0].id.clone();
        let seq = archive
            .facts_inputs(std::slice::from_ref(&id))
            .unwrap()
            .remove(0)
            .seq;
        archive.apply_facts_batch(&batch(seq)).unwrap();
        // Again without the entities: the article's rows are replaced, not added to.
        archive
            .apply_facts_batch(&FactsBatch {
                entities: vec![],
                aliases: vec![],
                ..batch(seq)
            })
            .unwrap();
        let facts = archive.article_facts(&id).unwrap().unwrap();
        assert_eq!(
            (
                facts.entities.len(),
                facts.quotes.len(),
                facts.figures.len()
            ),
            (1300, 515, 700)
        );
        let entities = archive.linker_entities().unwrap();
        assert_eq!(entities.len(), 600);
        let aliases: usize = entities.iter().map(|e| e.aliases.len()).sum();
        assert_eq!(aliases, 1000, "a repeated key keeps its first entity");
        seen.push(format!("{facts:#?}\n{entities:#?}"));
    }
    assert!(seen[0].contains("\\t") && seen[0].contains("\\\\N"));
    assert_same(&seen[1], &seen[0]);
}
