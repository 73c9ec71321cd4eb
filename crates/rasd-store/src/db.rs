//! The one database interface the store's code is written against, over
//! both backends: the embedded SQLite file (the default) and a shared
//! PostgreSQL server (`--store postgres://…`).
//!
//! In: SQL written once in SQLite's dialect with `?N` (or `?`) placeholders,
//! and [`Param`]s. Out: owned [`Row`]s with typed getters. The few dialect
//! differences are translated here and nowhere else ([`to_postgres`]):
//! placeholders become `$N`, `instr(` becomes `strpos(`, `BEGIN IMMEDIATE`
//! becomes `BEGIN`. Everything else the store writes is portable SQL
//! (`ON CONFLICT … DO NOTHING/UPDATE`, `IS DISTINCT FROM`, `WHERE TRUE`).
//! Statements are prepared once and cached on both backends.
//!
//! A PostgreSQL connection that drops (the server restarted) is reopened
//! with bounded backoff before the next statement outside a transaction;
//! inside one, the error is returned so the caller retries the whole
//! transaction ([`DbError::is_connection_lost`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a lost PostgreSQL connection is retried before giving up.
pub(crate) const RECONNECT_BUDGET: Duration = Duration::from_secs(30);
/// Statements kept prepared per PostgreSQL connection; the cache is emptied when full.
const MAX_CACHED_STATEMENTS: usize = 512;
/// Statements kept prepared per SQLite connection.
const SQLITE_STATEMENT_CACHE: usize = 128;
/// Most rows one multi-row statement carries ([`Db::insert_rows`]): a
/// batch of thousands of rows costs a handful of round trips.
pub(crate) const MAX_ROWS_PER_STATEMENT: usize = 512;
/// Most placeholders one statement may have (PostgreSQL's limit is 65,535).
const MAX_PARAMETERS: usize = 32_000;

/// The largest power of two that is at most `n` and at most `max` (1 when `n` is 0).
fn largest_power_of_two_at_most(n: usize, max: usize) -> usize {
    let n = n.clamp(1, max.max(1));
    1 << (usize::BITS - 1 - n.leading_zeros())
}

/// `?first, ?first+1, …` (`count` placeholders).
fn placeholder_list(first: usize, count: usize) -> String {
    let mut out = String::with_capacity(count * 5);
    for i in first..first + count {
        if i > first {
            out.push_str(", ");
        }
        out.push('?');
        out.push_str(&i.to_string());
    }
    out
}

/// `(?1, ?2), (?3, ?4), …`: `rows` rows of `columns` placeholders.
fn placeholder_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholder_list(1 + r * columns, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A failure of either backend, or a row that does not have the expected shape.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
    #[error("the query returned no rows")]
    NoRows,
    #[error("column {column}: expected {expected}, found {found}")]
    Type {
        column: usize,
        expected: &'static str,
        found: String,
    },
}

impl DbError {
    /// Whether the PostgreSQL connection is gone (server restarted or
    /// unreachable): the transaction was rolled back and may be retried.
    pub(crate) fn is_connection_lost(&self) -> bool {
        match self {
            DbError::Postgres(e) => postgres_connection_lost(e),
            _ => false,
        }
    }
}

fn postgres_connection_lost(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        // Class 08 (connection exception) and 57P01..57P03 (admin/crash shutdown, cannot connect now).
        Some(code) => {
            let code = code.code();
            code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
        }
        // No SQLSTATE: an I/O error on the socket.
        None => e.as_db_error().is_none(),
    }
}

pub(crate) type DbResult<T> = Result<T, DbError>;

/// The error of a [`Db::for_each`] whose visitor stops with its own error `E`.
pub(crate) enum VisitError<E> {
    Db(DbError),
    Visit(E),
}

impl<E> From<DbError> for VisitError<E> {
    fn from(e: DbError) -> Self {
        VisitError::Db(e)
    }
}

/// A value bound to a placeholder.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What can be bound to a placeholder (see [`params!`]).
pub(crate) trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_param!(i64, i32, u32, u64, usize);

impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}
impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}
impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}
impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        self.as_ref().map_or(Param::Null, ToParam::to_param)
    }
}
/// An owned value, for queries whose placeholders are built at run time.
impl ToParam for Value {
    fn to_param(&self) -> Param<'_> {
        match self {
            Value::Null => Param::Null,
            Value::Int(v) => Param::Int(*v),
            Value::Real(v) => Param::Real(*v),
            Value::Text(v) => Param::Text(v),
            Value::Blob(v) => Param::Blob(v),
        }
    }
}

/// `params![a, b, …]`: a slice of placeholder values, like rusqlite's.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::db::ToParam]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::db::ToParam),+] as &[&dyn $crate::db::ToParam]
    };
}
pub(crate) use params;

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(v) => ValueRef::Integer(v),
            Param::Real(v) => ValueRef::Real(v),
            Param::Text(v) => ValueRef::Text(v.as_bytes()),
            Param::Blob(v) => ValueRef::Blob(v),
        }))
    }
}

impl postgres::types::ToSql for Param<'_> {
    /// Converts to whatever type PostgreSQL inferred for the placeholder,
    /// as SQLite's dynamic typing would accept it.
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        let text_like = matches!(
            *ty,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
        );
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::FLOAT8 => (v as f64).to_sql(ty, out),
                Type::FLOAT4 => (v as f32).to_sql(ty, out),
                Type::BOOL => (v != 0).to_sql(ty, out),
                _ if text_like => v.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot bind an integer to a {ty} placeholder").into()),
            },
            Param::Real(v) => match *ty {
                Type::FLOAT8 => v.to_sql(ty, out),
                Type::FLOAT4 => (v as f32).to_sql(ty, out),
                _ if text_like => v.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot bind a real to a {ty} placeholder").into()),
            },
            Param::Text(v) if text_like => v.to_sql(ty, out),
            Param::Text(_) => Err(format!("cannot bind text to a {ty} placeholder").into()),
            Param::Blob(v) if *ty == Type::BYTEA => v.to_sql(ty, out),
            Param::Blob(_) => Err(format!("cannot bind a blob to a {ty} placeholder").into()),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Int(_) => "integer",
            Value::Real(_) => "real",
            Value::Text(_) => "text",
            Value::Blob(_) => "blob",
        }
    }
}

/// What a [`Value`] converts to.
pub(crate) trait FromValue: Sized {
    const EXPECTED: &'static str;
    fn from_value(value: &Value) -> Option<Self>;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            const EXPECTED: &'static str = stringify!($t);
            fn from_value(value: &Value) -> Option<Self> {
                match value {
                    Value::Int(v) => <$t>::try_from(*v).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
int_value!(i64, i32, u32, u64);

impl FromValue for bool {
    const EXPECTED: &'static str = "boolean";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(v) => Some(*v != 0),
            _ => None,
        }
    }
}
impl FromValue for f64 {
    const EXPECTED: &'static str = "real";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Real(v) => Some(*v),
            Value::Int(v) => Some(*v as f64),
            _ => None,
        }
    }
}
impl FromValue for f32 {
    const EXPECTED: &'static str = "real";
    fn from_value(value: &Value) -> Option<Self> {
        f64::from_value(value).map(|v| v as f32)
    }
}
impl FromValue for String {
    const EXPECTED: &'static str = "text";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(v) => Some(v.clone()),
            _ => None,
        }
    }
}
impl FromValue for Vec<u8> {
    const EXPECTED: &'static str = "blob";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Blob(v) => Some(v.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One result row, read out of the backend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    values: Vec<Value>,
}

impl Row {
    /// Column `column` (0-based) as `T`.
    pub(crate) fn get<T: FromValue>(&self, column: usize) -> DbResult<T> {
        let value = self.values.get(column).unwrap_or(&Value::Null);
        T::from_value(value).ok_or_else(|| DbError::Type {
            column,
            expected: T::EXPECTED,
            found: value.kind().to_string(),
        })
    }

    fn from_sqlite(row: &rusqlite::Row<'_>, columns: usize) -> DbResult<Row> {
        use rusqlite::types::ValueRef;
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Real(v) => Value::Real(v),
                ValueRef::Text(v) => Value::Text(String::from_utf8_lossy(v).into_owned()),
                ValueRef::Blob(v) => Value::Blob(v.to_vec()),
            });
        }
        Ok(Row { values })
    }

    fn from_postgres(row: &postgres::Row) -> DbResult<Row> {
        use postgres::types::Type;
        let mut values = Vec::with_capacity(row.len());
        for (i, column) in row.columns().iter().enumerate() {
            let ty = column.type_();
            let value = match *ty {
                Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
                Type::INT4 => row
                    .try_get::<_, Option<i32>>(i)?
                    .map(|v| Value::Int(v.into())),
                Type::INT2 => row
                    .try_get::<_, Option<i16>>(i)?
                    .map(|v| Value::Int(v.into())),
                Type::BOOL => row
                    .try_get::<_, Option<bool>>(i)?
                    .map(|v| Value::Int(v.into())),
                Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
                Type::FLOAT4 => row
                    .try_get::<_, Option<f32>>(i)?
                    .map(|v| Value::Real(v.into())),
                Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                    row.try_get::<_, Option<String>>(i)?.map(Value::Text)
                }
                _ => {
                    return Err(DbError::Type {
                        column: i,
                        expected: "a type the store reads",
                        found: ty.to_string(),
                    })
                }
            };
            values.push(value.unwrap_or(Value::Null));
        }
        Ok(Row { values })
    }
}

/// Rewrites SQLite-dialect SQL for PostgreSQL: `?N` → `$N`, bare `?` →
/// `$1, $2, …` in order, `instr(` → `strpos(`, `BEGIN IMMEDIATE` → `BEGIN`,
/// and ` DESC` → ` DESC NULLS LAST` (SQLite sorts NULL lowest, PostgreSQL
/// highest: with this, descending orders agree; ascending orders over a
/// nullable column say `x IS NULL` first, which both read alike).
/// Text inside single quotes is left alone.
pub(crate) fn to_postgres(sql: &str) -> String {
    let sql = sql.replace("BEGIN IMMEDIATE", "BEGIN");
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut in_quote = false;
    let mut bare = 0;
    while let Some(c) = chars.next() {
        if in_quote {
            in_quote = c != '\'';
            out.push(c);
            continue;
        }
        match c {
            '\'' => {
                in_quote = true;
                out.push(c);
            }
            '?' => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    bare += 1;
                    out.push_str(&bare.to_string());
                }
            }
            _ => out.push(c),
        }
    }
    out.replace("instr(", "strpos(")
        .replace(" DESC", " DESC NULLS LAST")
}

/// Where a PostgreSQL connection goes, and how it is named in messages.
#[derive(Clone)]
pub(crate) struct PgTarget {
    pub(crate) config: postgres::Config,
    /// `postgres://user@host:port/db`, never the password.
    pub(crate) display: String,
}

impl PgTarget {
    pub(crate) fn parse(url: &str) -> Result<PgTarget, String> {
        let config: postgres::Config = url.parse().map_err(|e| format!("{e}"))?;
        let host = config
            .get_hosts()
            .first()
            .map(|h| match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .unwrap_or_else(|| "localhost".into());
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let user = config.get_user().unwrap_or("");
        let db = config.get_dbname().unwrap_or(user);
        let at = if user.is_empty() {
            String::new()
        } else {
            format!("{user}@")
        };
        Ok(PgTarget {
            display: format!("postgres://{at}{host}:{port}/{db}"),
            config,
        })
    }

    pub(crate) fn connect(&self) -> Result<postgres::Client, postgres::Error> {
        self.config.connect(postgres::NoTls)
    }
}

struct PgSession {
    target: PgTarget,
    client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
    in_transaction: bool,
}

impl PgSession {
    /// Reopens a dropped connection, retrying with backoff for at most [`RECONNECT_BUDGET`].
    fn reconnect(&mut self) -> DbResult<()> {
        let started = Instant::now();
        let mut wait = Duration::from_millis(100);
        loop {
            match self.target.connect() {
                Ok(client) => {
                    self.client = client;
                    self.statements.clear();
                    self.in_transaction = false;
                    return Ok(());
                }
                Err(e) if started.elapsed() + wait > RECONNECT_BUDGET => return Err(e.into()),
                Err(_) => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(2));
                }
            }
        }
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, postgres::Error> {
        if let Some(stmt) = self.statements.get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.client.prepare(&to_postgres(sql))?;
        if self.statements.len() >= MAX_CACHED_STATEMENTS {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    /// Runs `op` on the connection; outside a transaction a lost connection
    /// is reopened and `op` retried once.
    fn run<T>(
        &mut self,
        mut op: impl FnMut(&mut PgSession) -> Result<T, postgres::Error>,
    ) -> DbResult<T> {
        if self.client.is_closed() && !self.in_transaction {
            self.reconnect()?;
        }
        match op(self) {
            Err(e) if !self.in_transaction && postgres_connection_lost(&e) => {
                self.reconnect()?;
                Ok(op(self)?)
            }
            other => Ok(other?),
        }
    }
}

enum Backend {
    Sqlite(rusqlite::Connection),
    // Boxed: a PostgreSQL session is several times an SQLite connection's size.
    Postgres(Box<RefCell<PgSession>>),
}

/// An open connection to either backend.
pub(crate) struct Db {
    backend: Backend,
}

fn pg_params<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

impl Db {
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Db {
        conn.set_prepared_statement_cache_capacity(SQLITE_STATEMENT_CACHE);
        // Plans that do not depend on bound values. Without this, SQLite
        // (3.54, STAT4 builds) recompiles a statement whenever a value its
        // plan looked at changes (a `LIMIT ?`, for one): a cached statement
        // was parsed and planned again on most steps of ingest (8% of its
        // CPU time in a profile).
        let _ = conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        );
        Db {
            backend: Backend::Sqlite(conn),
        }
    }

    pub(crate) fn postgres(target: PgTarget) -> DbResult<Db> {
        let client = target.connect()?;
        Ok(Db {
            backend: Backend::Postgres(Box::new(RefCell::new(PgSession {
                target,
                client,
                statements: HashMap::new(),
                in_transaction: false,
            }))),
        })
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// The SQLite connection (checks that only SQLite has).
    #[cfg(test)]
    pub(crate) fn sqlite_conn(&self) -> Option<&rusqlite::Connection> {
        match &self.backend {
            Backend::Sqlite(conn) => Some(conn),
            Backend::Postgres(_) => None,
        }
    }

    /// Runs statements without parameters or results (DDL, `BEGIN`, …).
    pub(crate) fn execute_batch(&self, sql: &str) -> DbResult<()> {
        match &self.backend {
            Backend::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Backend::Postgres(pg) => {
                let sql = to_postgres(sql);
                pg.borrow_mut().run(|s| s.client.batch_execute(&sql))
            }
        }
    }

    /// Runs one statement; returns the rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> DbResult<u64> {
        let values: Vec<Param<'_>> = params.iter().map(|p| p.to_param()).collect();
        self.execute_params(sql, &values)
    }

    /// Inserts rows of `columns` values each (`values` holds them row after
    /// row): `head` is `INSERT INTO t (a, b, …)`, `tail` what follows the
    /// values (`ON CONFLICT DO NOTHING`, or empty). SQLite runs one cached
    /// single-row statement per row (in-process, a statement costs no round
    /// trip); PostgreSQL sends multi-row statements of a power-of-two row
    /// count up to [`MAX_ROWS_PER_STATEMENT`], so a batch costs a few round
    /// trips and a few cached statements. Rows are inserted in order.
    pub(crate) fn insert_rows(
        &self,
        head: &str,
        tail: &str,
        columns: usize,
        values: &[Param<'_>],
    ) -> DbResult<()> {
        if columns == 0 || values.is_empty() {
            return Ok(());
        }
        debug_assert_eq!(values.len() % columns, 0);
        let max_rows = (MAX_PARAMETERS / columns).clamp(1, MAX_ROWS_PER_STATEMENT);
        let mut rest = values;
        while !rest.is_empty() {
            let rows = match self.backend {
                Backend::Sqlite(_) => 1,
                Backend::Postgres(_) => {
                    largest_power_of_two_at_most(rest.len() / columns, max_rows)
                }
            };
            let (chunk, after) = rest.split_at((rows * columns).min(rest.len()));
            let sql = format!("{head} VALUES {} {tail}", placeholder_rows(rows, columns));
            self.execute_params(&sql, chunk)?;
            rest = after;
        }
        Ok(())
    }

    /// Runs `sql` once per chunk of `values` with `{list}` replaced by that
    /// chunk's placeholders (`?1, ?2, …`): one value per statement on
    /// SQLite, power-of-two chunks up to [`MAX_ROWS_PER_STATEMENT`] on
    /// PostgreSQL. For statements whose effect is the same run per value or
    /// per list (`DELETE … WHERE x IN ({list})`).
    pub(crate) fn execute_for_list(&self, sql: &str, values: &[Param<'_>]) -> DbResult<()> {
        let mut rest = values;
        while !rest.is_empty() {
            let n = match self.backend {
                Backend::Sqlite(_) => 1,
                Backend::Postgres(_) => {
                    largest_power_of_two_at_most(rest.len(), MAX_ROWS_PER_STATEMENT)
                }
            };
            let (chunk, after) = rest.split_at(n.min(rest.len()));
            let sql = sql.replace("{list}", &placeholder_list(1, chunk.len()));
            self.execute_params(&sql, chunk)?;
            rest = after;
        }
        Ok(())
    }

    /// [`Db::execute`] with the values already converted.
    fn execute_params(&self, sql: &str, values: &[Param<'_>]) -> DbResult<u64> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(values.iter()))? as u64)
            }
            Backend::Postgres(pg) => pg.borrow_mut().run(|s| {
                let stmt = s.statement(sql)?;
                s.client.execute(&stmt, &pg_params(values))
            }),
        }
    }

    /// Every row of a query, converted by `map`.
    pub(crate) fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut map: impl FnMut(&Row) -> DbResult<T>,
    ) -> DbResult<Vec<T>> {
        let mut out = Vec::new();
        self.for_each(sql, params, |row| {
            out.push(map(&row)?);
            Ok::<(), DbError>(())
        })?;
        Ok(out)
    }

    /// Calls `visit` on each row. SQLite streams; PostgreSQL reads the
    /// result first, so `visit` may query the database again.
    pub(crate) fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        visit: impl FnMut(Row) -> Result<(), E>,
    ) -> Result<(), E> {
        let values: Vec<Param<'_>> = params.iter().map(|p| p.to_param()).collect();
        self.for_each_params(sql, &values, visit)
    }

    /// Every row of `sql` with `{list}` replaced by placeholders for a
    /// chunk of `values`, chunk after chunk (power-of-two sizes up to
    /// [`MAX_ROWS_PER_STATEMENT`], on both backends, so few statements are
    /// cached), converted by `map`. For `… WHERE x IN ({list})`.
    pub(crate) fn query_list<T>(
        &self,
        sql: &str,
        values: &[Param<'_>],
        mut map: impl FnMut(&Row) -> DbResult<T>,
    ) -> DbResult<Vec<T>> {
        let mut out = Vec::new();
        let mut rest = values;
        while !rest.is_empty() {
            let n = largest_power_of_two_at_most(rest.len(), MAX_ROWS_PER_STATEMENT);
            let (chunk, after) = rest.split_at(n);
            let sql = sql.replace("{list}", &placeholder_list(1, chunk.len()));
            self.for_each_params(&sql, chunk, |row| {
                out.push(map(&row)?);
                Ok::<(), DbError>(())
            })?;
            rest = after;
        }
        Ok(out)
    }

    fn for_each_params<E: From<DbError>>(
        &self,
        sql: &str,
        values: &[Param<'_>],
        mut visit: impl FnMut(Row) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql).map_err(DbError::from)?;
                let columns = stmt.column_count();
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(values.iter()))
                    .map_err(DbError::from)?;
                while let Some(row) = rows.next().map_err(DbError::from)? {
                    visit(Row::from_sqlite(row, columns)?)?;
                }
                Ok(())
            }
            Backend::Postgres(pg) => {
                let rows = pg.borrow_mut().run(|s| {
                    let stmt = s.statement(sql)?;
                    s.client.query(&stmt, &pg_params(values))
                })?;
                for row in &rows {
                    visit(Row::from_postgres(row)?)?;
                }
                Ok(())
            }
        }
    }

    /// The first row of a query, if any.
    pub(crate) fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        map: impl FnOnce(&Row) -> DbResult<T>,
    ) -> DbResult<Option<T>> {
        let values: Vec<Param<'_>> = params.iter().map(|p| p.to_param()).collect();
        let row = match &self.backend {
            Backend::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let columns = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                match rows.next()? {
                    Some(row) => Some(Row::from_sqlite(row, columns)?),
                    None => None,
                }
            }
            Backend::Postgres(pg) => {
                let row = pg.borrow_mut().run(|s| {
                    let stmt = s.statement(sql)?;
                    s.client.query_opt(&stmt, &pg_params(&values))
                });
                match row? {
                    Some(row) => Some(Row::from_postgres(&row)?),
                    None => None,
                }
            }
        };
        row.as_ref().map(map).transpose()
    }

    /// The first row of a query; [`DbError::NoRows`] when there is none.
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        map: impl FnOnce(&Row) -> DbResult<T>,
    ) -> DbResult<T> {
        self.query_opt(sql, params, map)?.ok_or(DbError::NoRows)
    }

    /// Whether the query returns a row.
    pub(crate) fn exists(&self, sql: &str, params: &[&dyn ToParam]) -> DbResult<bool> {
        Ok(self.query_opt(sql, params, |_| Ok(()))?.is_some())
    }

    /// Runs an `INSERT` and returns the new row's `id_column` (SQLite: its rowid).
    pub(crate) fn insert_returning(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        id_column: &str,
    ) -> DbResult<i64> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                self.execute(sql, params)?;
                Ok(conn.last_insert_rowid())
            }
            Backend::Postgres(_) => {
                self.query_row(&format!("{sql} RETURNING {id_column}"), params, |r| {
                    r.get(0)
                })
            }
        }
    }

    /// Starts a write transaction. SQLite takes its write lock now; on
    /// PostgreSQL every writer takes the same transaction-level advisory
    /// lock, so write transactions run one at a time across processes as
    /// they do on SQLite (each batch sees every batch committed before it).
    pub(crate) fn begin_write(&self) -> DbResult<()> {
        match &self.backend {
            Backend::Sqlite(conn) => Ok(conn.execute_batch("BEGIN IMMEDIATE")?),
            Backend::Postgres(pg) => {
                let mut s = pg.borrow_mut();
                s.run(|s| {
                    s.client.batch_execute(&format!(
                        "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"
                    ))
                })?;
                s.in_transaction = true;
                Ok(())
            }
        }
    }

    pub(crate) fn commit(&self) -> DbResult<()> {
        self.end_transaction("COMMIT")
    }

    pub(crate) fn rollback(&self) -> DbResult<()> {
        self.end_transaction("ROLLBACK")
    }

    fn end_transaction(&self, sql: &str) -> DbResult<()> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                if conn.is_autocommit() {
                    return Ok(());
                }
                Ok(conn.execute_batch(sql)?)
            }
            Backend::Postgres(pg) => {
                let mut s = pg.borrow_mut();
                let result = s.client.batch_execute(sql);
                s.in_transaction = false;
                Ok(result?)
            }
        }
    }

    /// Runs `work` in one write transaction: committed when it succeeds,
    /// rolled back when it fails.
    pub(crate) fn write_transaction<T>(
        &self,
        work: impl FnOnce(&Db) -> DbResult<T>,
    ) -> DbResult<T> {
        self.begin_write()?;
        match work(self) {
            Ok(value) => match self.commit() {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.rollback();
                    Err(e)
                }
            },
            Err(e) => {
                // The connection may be gone already; the server rolls back then.
                let _ = self.rollback();
                Err(e)
            }
        }
    }
}

/// The advisory lock key every PostgreSQL write transaction takes ("rasd" + 1).
pub(crate) const WRITE_LOCK_KEY: i64 = 0x7261_7364_0001;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres_outside_quotes() {
        assert_eq!(
            to_postgres("SELECT '?' , a FROM t WHERE a = ?1 AND b = ?12 AND instr(k, ?3) > 0"),
            "SELECT '?' , a FROM t WHERE a = $1 AND b = $12 AND strpos(k, $3) > 0"
        );
        assert_eq!(
            to_postgres("SELECT 1 WHERE x = ? AND y >= ? LIMIT ? OFFSET ?"),
            "SELECT 1 WHERE x = $1 AND y >= $2 LIMIT $3 OFFSET $4"
        );
        assert_eq!(to_postgres("BEGIN IMMEDIATE; COMMIT"), "BEGIN; COMMIT");
        assert_eq!(
            to_postgres("SELECT id FROM stories ORDER BY last_published DESC, id DESC"),
            "SELECT id FROM stories ORDER BY last_published DESC NULLS LAST, id DESC NULLS LAST"
        );
    }

    #[test]
    fn a_url_is_named_without_its_password() {
        let target = PgTarget::parse("postgres://rasd:سر@db.example:6543/أرشيف").unwrap();
        assert_eq!(target.display, "postgres://rasd@db.example:6543/أرشيف");
        assert!(!target.display.contains("سر"));
        assert!(PgTarget::parse("postgres://h:notaport/x").is_err());
    }

    #[test]
    fn sqlite_rows_read_back_with_typed_getters() {
        let db = Db::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.execute_batch("CREATE TABLE t (a INTEGER, b TEXT, c REAL, d BLOB)")
            .unwrap();
        db.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4)",
            params![7u32, "خبر", 0.5, vec![1u8, 2]],
        )
        .unwrap();
        db.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4)",
            params![None::<i64>, None::<String>, None::<f64>, None::<Vec<u8>>],
        )
        .unwrap();
        let rows = db
            .query_map(
                "SELECT a, b, c, d FROM t ORDER BY a IS NULL",
                params![],
                |r| {
                    Ok((
                        r.get::<Option<u32>>(0)?,
                        r.get::<Option<String>>(1)?,
                        r.get::<Option<f64>>(2)?,
                        r.get::<Option<Vec<u8>>>(3)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            rows[0],
            (Some(7), Some("خبر".into()), Some(0.5), Some(vec![1, 2]))
        );
        assert_eq!(rows[1], (None, None, None, None));
        let wrong = db.query_row("SELECT b FROM t LIMIT 1", params![], |r| r.get::<i64>(0));
        assert!(matches!(wrong, Err(DbError::Type { .. })), "{wrong:?}");
        assert!(matches!(
            db.query_row("SELECT a FROM t WHERE a = 99", params![], |r| r
                .get::<i64>(0)),
            Err(DbError::NoRows)
        ));
    }

    #[test]
    fn statements_are_cut_in_power_of_two_chunks() {
        assert_eq!(largest_power_of_two_at_most(0, 512), 1);
        assert_eq!(largest_power_of_two_at_most(1, 512), 1);
        assert_eq!(largest_power_of_two_at_most(300, 512), 256);
        assert_eq!(largest_power_of_two_at_most(5000, 512), 512);
        assert_eq!(largest_power_of_two_at_most(7, 4), 4);
        assert_eq!(placeholder_list(3, 2), "?3, ?4");
        assert_eq!(placeholder_rows(2, 2), "(?1, ?2), (?3, ?4)");
        // Every row is covered once: 1300 = 512 + 512 + 256 + 16 + 4.
        let mut left = 1300;
        let mut sizes = Vec::new();
        while left > 0 {
            let n = largest_power_of_two_at_most(left, MAX_ROWS_PER_STATEMENT);
            sizes.push(n);
            left -= n;
        }
        assert_eq!(sizes, [512, 512, 256, 16, 4]);
    }

    #[test]
    fn rows_and_lists_larger_than_one_statement_keep_every_value_in_order() {
        let db = Db::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.execute_batch("CREATE TABLE t (k INTEGER, v TEXT)")
            .unwrap();
        let texts: Vec<String> = (0..1300).map(|i| format!("خبر\t{i}\n\\ '؟'")).collect();
        let rows: Vec<Param<'_>> = texts
            .iter()
            .enumerate()
            .flat_map(|(i, t)| [Param::Int(i as i64 % 7), Param::Text(t)])
            .collect();
        db.insert_rows("INSERT INTO t (k, v)", "", 2, &rows)
            .unwrap();
        let read = db
            .query_map("SELECT v FROM t ORDER BY rowid", params![], |r| {
                r.get::<String>(0)
            })
            .unwrap();
        assert_eq!(read, texts);
        let keys: Vec<Param<'_>> = (0..600).map(|k| Param::Int(k % 3)).collect();
        let hits = db
            .query_list("SELECT count(*) FROM t WHERE k IN ({list})", &keys, |r| {
                r.get::<i64>(0)
            })
            .unwrap();
        // One count per chunk of the list (512 + 64 + 16 + 8 values).
        assert_eq!(hits.len(), 4);
        assert!(hits
            .iter()
            .all(|&n| n == (0..1300).filter(|i| i % 7 < 3).count() as i64));
        let gone: Vec<Param<'_>> = [0, 1, 2, 3].map(Param::Int).to_vec();
        db.execute_for_list("DELETE FROM t WHERE k IN ({list})", &gone)
            .unwrap();
        let left: i64 = db
            .query_row("SELECT count(*) FROM t", params![], |r| r.get(0))
            .unwrap();
        assert_eq!(left, (0..1300).filter(|i| i % 7 > 3).count() as i64);
    }

    #[test]
    fn a_failed_transaction_leaves_nothing() {
        let db = Db::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.execute_batch("CREATE TABLE t (a TEXT NOT NULL)")
            .unwrap();
        let failed = db.write_transaction(|db| {
            db.execute("INSERT INTO t VALUES (?1)", params!["أول"])?;
            db.execute("INSERT INTO t VALUES (?1)", params![None::<String>])
        });
        assert!(failed.is_err());
        let n: i64 = db
            .query_row("SELECT count(*) FROM t", params![], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
