//! The embedded rasd archive: SQLite store of pages, articles, duplicate groups and later stories and facts.
