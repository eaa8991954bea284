//! The one trait both inventory databases implement ([`Backend`]): SQLite
//! (embedded, the default) and PostgreSQL (shared by sharded sweeps on
//! many hosts). The inventory's logic (recording a run, the report, the
//! subject look-up) is written once, in SQL both understand: parameters
//! `?1`, `?2`… (PostgreSQL's backend renames them `$1`…), `IS NOT DISTINCT
//! FROM`, `string_agg`, `RETURNING`, `ON CONFLICT`, and casts where
//! PostgreSQL's types are stricter (`CAST(sum(x) AS BIGINT)`).

/// An error of either database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// The server's message (its source is not chained: the driver's
    /// display repeats it).
    #[error("{}", pg_message(.0))]
    Postgres(postgres::Error),
    /// A column that does not hold what the inventory expects.
    #[error("column {0}: {1}")]
    Type(usize, &'static str),
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> Self {
        DbError::Postgres(e)
    }
}

/// A PostgreSQL error with the server's own message (the driver's display
/// says only "db error"), or with its causes (why a TLS handshake failed).
fn pg_message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// Which SQL the backend speaks, where the two differ (schema, locks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value bound to a parameter or read from a column.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        v.as_deref().into()
    }
}

/// Parameters: `params![a, b]` is an array of [`Value`]s.
macro_rules! params {
    ($($v:expr),* $(,)?) => { [$($crate::inventory::db::Value::from($v)),*] };
}
pub(crate) use params;

/// One row of a result.
#[derive(Debug, Clone, Default)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, DbError> {
        self.0.get(i).ok_or(DbError::Type(i, "no such column"))
    }
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            _ => Err(DbError::Type(i, "not an integer")),
        }
    }
    pub fn int(&self, i: usize) -> Result<i64, DbError> {
        self.opt_int(i)?.ok_or(DbError::Type(i, "null"))
    }
    pub fn boolean(&self, i: usize) -> Result<bool, DbError> {
        Ok(self.int(i)? != 0)
    }
    pub fn real(&self, i: usize) -> Result<f64, DbError> {
        match self.at(i)? {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            _ => Err(DbError::Type(i, "not a number")),
        }
    }
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v.clone())),
            _ => Err(DbError::Type(i, "not text")),
        }
    }
    pub fn text(&self, i: usize) -> Result<String, DbError> {
        self.opt_text(i)?.ok_or(DbError::Type(i, "null"))
    }
    pub fn opt_blob(&self, i: usize) -> Result<Option<Vec<u8>>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Blob(v) => Ok(Some(v.clone())),
            _ => Err(DbError::Type(i, "not bytes")),
        }
    }
    pub fn blob(&self, i: usize) -> Result<Vec<u8>, DbError> {
        self.opt_blob(i)?.ok_or(DbError::Type(i, "null"))
    }
}

/// A database holding an inventory. Statements are prepared once per
/// connection and kept (`sql` is the cache key).
pub trait Backend {
    fn dialect(&self) -> Dialect;
    /// Runs one statement; the number of rows changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Runs statements without parameters, `;`-separated.
    fn batch(&self, sql: &str) -> Result<(), DbError>;
    /// Calls `f` on each row of a query, as they come.
    fn each(
        &self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), DbError>,
    ) -> Result<(), DbError>;
    /// Starts a transaction that writes (SQLite: the write lock is taken
    /// at once, so a reader's snapshot can never make it fail midway).
    fn begin(&self) -> Result<(), DbError>;
    /// Inserts many rows in as few statements as the backend allows:
    /// `table (cols…)`, each row as many values as columns.
    fn insert_rows(&self, table: &str, cols: &[&str], rows: &[Value]) -> Result<(), DbError>;
}

impl dyn Backend + '_ {
    /// Every row of a query.
    pub fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, if any.
    pub fn row(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }

    /// The first column of the one row of a query.
    pub fn one(&self, sql: &str, params: &[Value]) -> Result<Row, DbError> {
        self.row(sql, params)?
            .ok_or(DbError::Type(0, "the query returned no row"))
    }

    /// An integer (count, id, flag) from a query returning one.
    pub fn int(&self, sql: &str, params: &[Value]) -> Result<i64, DbError> {
        self.one(sql, params)?.int(0)
    }
}
