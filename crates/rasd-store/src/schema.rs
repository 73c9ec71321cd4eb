//! The archive's schema as an ordered list of migrations, one text for both
//! backends.
//!
//! In: an open connection. Out: the schema brought to [`SCHEMA_VERSION`],
//! recorded in `PRAGMA user_version` (SQLite) or the `rasd_meta` table
//! (PostgreSQL, whose DDL [`postgres_migration`] derives from the same text). Migration `n` (1-based) takes the
//! schema from version `n - 1` to `n`; later stages (stories, facts, search)
//! append migrations here and never edit an applied one. A database whose
//! version is above [`SCHEMA_VERSION`] is refused, never downgraded.

/// Migrations in order; `MIGRATIONS[i]` upgrades version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: pages, articles with versions, dedup signatures, LSH bands, duplicate groups, runs.
    r#"
    CREATE TABLE pages (
        id           INTEGER PRIMARY KEY,
        page_key     TEXT NOT NULL,      -- the page's identity: its URL, else its origin
        content_hash TEXT NOT NULL,      -- xxh3-128 of what was fetched (page) or read (article)
        origin       TEXT NOT NULL,
        url          TEXT,
        site         TEXT,
        fetched      TEXT,
        first_seen   INTEGER NOT NULL,   -- unix seconds
        UNIQUE (page_key, content_hash)
    );
    CREATE TABLE articles (
        seq           INTEGER PRIMARY KEY,  -- storage order; derived tables refer to it
        id            TEXT NOT NULL UNIQUE, -- the public, deterministic article id
        page_id       INTEGER NOT NULL REFERENCES pages(id),
        page_key      TEXT NOT NULL,
        position      INTEGER NOT NULL,     -- the article's position on its page (0 = main)
        version       INTEGER NOT NULL,     -- 1, 2, … as the page's content changes
        superseded    INTEGER NOT NULL DEFAULT 0,
        content_hash  TEXT NOT NULL,
        body_key_hash TEXT NOT NULL,        -- xxh3-128 of the body's matching key
        title         TEXT,
        body          TEXT NOT NULL,
        published     TEXT,
        source        TEXT,
        lang          TEXT,
        url           TEXT,
        path          TEXT,
        created       INTEGER NOT NULL,     -- unix seconds
        UNIQUE (page_key, position, version)
    );
    CREATE INDEX articles_published ON articles (published);
    CREATE INDEX articles_source ON articles (source);
    CREATE TABLE signatures (
        article  INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
        exact    BLOB NOT NULL,   -- 16 bytes: the exact-duplicate hash
        minhash  BLOB NOT NULL,   -- the MinHash sketch as little-endian u32s
        shingles BLOB NOT NULL    -- sorted shingle hashes as little-endian u32s
    );
    CREATE INDEX signatures_exact ON signatures (exact);
    CREATE TABLE lsh_bands (
        band_key INTEGER NOT NULL,
        article  INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE
    );
    CREATE INDEX lsh_bands_key ON lsh_bands (band_key);
    CREATE INDEX lsh_bands_article ON lsh_bands (article);
    CREATE TABLE duplicates (
        article    INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
        group_id   TEXT NOT NULL,  -- the canonical (earliest published) article's id
        kind       TEXT NOT NULL,  -- 'new' | 'exact' | 'near': how it joined
        similarity REAL            -- verified similarity to the copy it matched
    );
    CREATE INDEX duplicates_group ON duplicates (group_id);
    CREATE TABLE ingest_runs (
        id       INTEGER PRIMARY KEY,
        started  INTEGER NOT NULL,
        finished INTEGER,
        inputs   TEXT NOT NULL,  -- JSON array of paths
        summary  TEXT            -- JSON summary, NULL while running or after a crash
    );
    "#,
    // 2: stories and topics (rasd-cluster's assignments, kept in step by ingest).
    r#"
    CREATE TABLE topics (
        id        INTEGER PRIMARY KEY,
        label     TEXT,              -- the headline of its largest story
        stories   INTEGER NOT NULL DEFAULT 0,
        articles  INTEGER NOT NULL DEFAULT 0,
        first_published TEXT,
        last_published  TEXT
    );
    CREATE TABLE stories (
        id        INTEGER PRIMARY KEY, -- the clusterer's story id
        topic     INTEGER REFERENCES topics(id),
        merged_into INTEGER,           -- set when merged into another story
        headline  TEXT,                -- the most central title
        summary   TEXT,                -- JSON array of summary sentences
        size      INTEGER NOT NULL DEFAULT 0,
        first_published TEXT,
        last_published  TEXT,
        updated   INTEGER NOT NULL     -- unix seconds of the last change
    );
    CREATE INDEX stories_topic ON stories (topic);
    CREATE INDEX stories_first ON stories (first_published);
    CREATE INDEX stories_last ON stories (last_published);
    CREATE INDEX topics_last ON topics (last_published);
    CREATE TABLE story_members (
        article    INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
        story      INTEGER NOT NULL REFERENCES stories(id),
        confidence REAL,
        dateless   INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX story_members_story ON story_members (story);
    "#,
    // 3: facts: canonical entities with aliases, mentions, quotes, figures.
    // `entities.mentions` counts the rows of `mentions` (kept by triggers, so
    // deleting an article's facts, or the article, keeps it exact).
    r#"
    CREATE TABLE entities (
        id       INTEGER PRIMARY KEY,  -- stable: the linker's ids are restored from here
        name     TEXT NOT NULL,  -- the canonical (fullest) name
        type     TEXT NOT NULL,  -- PERS | LOC | ORG | MISC
        key      TEXT NOT NULL,  -- the canonical name's matching key, clitics and titles stripped
        mentions INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX entities_mentions ON entities (mentions DESC, id);
    CREATE TABLE entity_aliases (
        key    TEXT PRIMARY KEY,  -- the alias's matching key, clitics stripped
        entity INTEGER NOT NULL REFERENCES entities(id),
        alias  TEXT NOT NULL      -- a surface form as first seen
    );
    CREATE INDEX entity_aliases_entity ON entity_aliases (entity);
    CREATE TABLE mentions (
        article INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
        entity  INTEGER NOT NULL REFERENCES entities(id),
        text    TEXT NOT NULL,
        type    TEXT NOT NULL,    -- the mention's own type (PERS | LOC | ORG | MISC)
        start   INTEGER NOT NULL  -- byte offset in title + "\n\n" + body
    );
    CREATE INDEX mentions_article ON mentions (article);
    CREATE INDEX mentions_entity ON mentions (entity);
    CREATE TRIGGER mentions_count_insert AFTER INSERT ON mentions BEGIN
        UPDATE entities SET mentions = mentions + 1 WHERE id = NEW.entity;
    END;
    CREATE TRIGGER mentions_count_delete AFTER DELETE ON mentions BEGIN
        UPDATE entities SET mentions = mentions - 1 WHERE id = OLD.entity;
    END;
    CREATE TABLE quotes (
        id      INTEGER PRIMARY KEY,
        article INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
        speaker TEXT NOT NULL,
        speaker_key TEXT NOT NULL,  -- the speaker phrase's matching key, for --speaker
        speaker_entity INTEGER REFERENCES entities(id),
        text    TEXT NOT NULL
    );
    CREATE INDEX quotes_article ON quotes (article);
    CREATE INDEX quotes_speaker ON quotes (speaker_entity);
    CREATE TABLE figures (
        article INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
        value   REAL NOT NULL,
        unit    TEXT,
        text    TEXT NOT NULL
    );
    CREATE INDEX figures_article ON figures (article);
    "#,
    // 4: which version of each derived stage's code computed what is stored,
    // so an upgrade that changes the stage's output can tell stale rows.
    r#"
    CREATE TABLE derived_versions (
        stage   TEXT PRIMARY KEY,  -- 'facts'
        version INTEGER NOT NULL   -- the stage's own version (e.g. rasd_facts::facts_version())
    );
    "#,
];

/// PostgreSQL's stand-in for SQLite's `PRAGMA user_version` and `application_id`.
pub(crate) const POSTGRES_META: &str =
    "CREATE TABLE IF NOT EXISTS rasd_meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);";

/// A migration's SQLite DDL rewritten for PostgreSQL, type by type:
/// `INTEGER` → `BIGINT` (an `INTEGER PRIMARY KEY` that references nothing
/// becomes an identity column, as SQLite's rowid alias numbers rows),
/// `REAL` → `DOUBLE PRECISION`, `BLOB` → `BYTEA`, `TEXT` → `TEXT COLLATE "C"`
/// (SQLite compares text bytewise: the same order on both). A table without
/// an integer key gets the `rowid` column SQLite gives it implicitly (some
/// views order by insertion), and each `CREATE TRIGGER … BEGIN body END;`
/// becomes a PL/pgSQL function plus a `FOR EACH ROW` trigger.
pub fn postgres_migration(sqlite: &str) -> String {
    let types = regex::Regex::new(r"\b(INTEGER|REAL|BLOB|TEXT)\b").expect("a valid regex");
    let mut out = String::with_capacity(sqlite.len() * 2);
    let lines: Vec<&str> = sqlite.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with("CREATE TRIGGER") {
            let mut block = vec![trimmed];
            while !lines[i].trim_start().starts_with("END;") && i + 1 < lines.len() {
                i += 1;
                block.push(lines[i].trim());
            }
            out.push_str(&postgres_trigger(&block));
            i += 1;
            continue;
        }
        let (code, comment) = match line.find("--") {
            Some(at) => line.split_at(at),
            None => (line, ""),
        };
        let code = if code.contains("INTEGER PRIMARY KEY") && !code.contains("REFERENCES") {
            code.replace(
                "INTEGER PRIMARY KEY",
                "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            )
        } else {
            types
                .replace_all(code, |c: &regex::Captures<'_>| match &c[1] {
                    "INTEGER" => "BIGINT",
                    "REAL" => "DOUBLE PRECISION",
                    "BLOB" => "BYTEA",
                    _ => "TEXT COLLATE \"C\"",
                })
                .into_owned()
        };
        out.push_str(&code);
        out.push_str(comment);
        out.push('\n');
        if trimmed.starts_with("CREATE TABLE") {
            let body_has_key = lines[i + 1..]
                .iter()
                .take_while(|l| !l.trim_start().starts_with(");"))
                .any(|l| l.contains("INTEGER PRIMARY KEY"));
            if !body_has_key {
                out.push_str("        rowid BIGINT GENERATED BY DEFAULT AS IDENTITY,\n");
            }
        }
        i += 1;
    }
    out
}

/// `CREATE TRIGGER name AFTER INSERT ON table BEGIN body; END;` as PostgreSQL.
fn postgres_trigger(block: &[&str]) -> String {
    let head = block[0];
    let (signature, first_body) = head.split_once(" BEGIN").unwrap_or((head, ""));
    let name = signature
        .split_whitespace()
        .nth(2)
        .unwrap_or("rasd_trigger");
    let event = signature
        .trim_start_matches("CREATE TRIGGER")
        .trim()
        .trim_start_matches(name)
        .trim();
    let mut body = first_body.trim().to_string();
    for line in &block[1..] {
        if !line.starts_with("END;") {
            body.push_str(line);
            body.push('\n');
        }
    }
    format!(
        "CREATE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}RETURN NULL; END $$;\n\
         CREATE TRIGGER {name} {event} FOR EACH ROW EXECUTE FUNCTION {name}_fn();\n"
    )
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_applies_in_order_on_an_empty_database() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            conn.execute_batch(sql)
                .unwrap_or_else(|e| panic!("migration {}: {e}", i + 1));
        }
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(tables >= 6, "{tables} tables");
        assert_eq!(SCHEMA_VERSION, MIGRATIONS.len() as i64);
    }

    #[test]
    fn postgres_ddl_keeps_every_table_and_translates_types() {
        let all: String = MIGRATIONS.iter().map(|m| postgres_migration(m)).collect();
        for sqlite_only in ["INTEGER", "REAL", "BLOB", "NEW.entity;\n    END;"] {
            let code: String = all
                .lines()
                .map(|l| l.split("--").next().unwrap_or(""))
                .collect();
            assert!(!code.contains(sqlite_only), "{sqlite_only} left in:\n{all}");
        }
        let tables = |sql: &str| sql.matches("CREATE TABLE").count();
        let sqlite_tables: usize = MIGRATIONS.iter().map(|m| tables(m)).sum();
        assert_eq!(tables(&all), sqlite_tables);
        assert!(all.contains("seq           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
        assert!(all.contains("article  BIGINT PRIMARY KEY REFERENCES articles(seq)"));
        assert!(all.contains(
            "CREATE TRIGGER mentions_count_insert AFTER INSERT ON mentions FOR EACH ROW"
        ));
        // mentions has no integer key: it gets SQLite's implicit rowid.
        let mentions = &all[all.find("CREATE TABLE mentions").unwrap()..];
        assert!(mentions.lines().nth(1).unwrap().contains("rowid BIGINT"));
    }
}
