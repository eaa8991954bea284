//! The PostgreSQL backend: `--db postgres://USER@HOST:PORT/DB` (or
//! `postgresql://`, libpq's URL form with `?sslmode=`, `?host=/socket/dir`).
//!
//! A password is never taken from the command line (it would show in `ps`
//! and shell histories): it comes from `PGPASSWORD` or the libpq password
//! file (`PGPASSFILE`, else `~/.pgpass`), which the driver does not read.
//! TLS (`sslmode`, `sslrootcert`…) is libpq's: see [`super::pg_tls`].

use super::db::{Backend, DbError, Dialect, Row, Value};
use super::pg_tls::{self, SslMode};
use super::InventoryError;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// `url` as shown in messages and reports: a password in it (refused
/// anyway) is replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        _ => url.to_string(),
    }
}

/// An open PostgreSQL inventory.
pub struct Postgres {
    client: RefCell<Client>,
    /// Prepared statements by SQL text.
    cache: RefCell<HashMap<String, Statement>>,
}

/// Why a connection cannot be made (before any SQL error).
fn refused(url: &str, why: impl Into<String>) -> InventoryError {
    InventoryError::Connect(redact(url), why.into())
}

impl Postgres {
    /// Connects to the database of `url`.
    pub fn connect(url: &str) -> Result<Postgres, InventoryError> {
        let (plain_url, tls) = pg_tls::split_url(url).map_err(|e| refused(url, e.to_string()))?;
        let mut config = Config::from_str(&plain_url).map_err(|e| refused(url, e.to_string()))?;
        if config.get_password().is_some() {
            return Err(refused(
                url,
                "a password in --db is refused (it would show in the process list): \
                 give it in PGPASSWORD or ~/.pgpass",
            ));
        }
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER")
                .or_else(|_| std::env::var("USER"))
                .unwrap_or_else(|_| "postgres".into());
            config.user(&user);
        }
        if config.get_hosts().is_empty() {
            config.host(std::env::var("PGHOST").as_deref().unwrap_or("localhost"));
        }
        if config.get_dbname().is_none() {
            if let Ok(db) = std::env::var("PGDATABASE") {
                config.dbname(&db);
            }
        }
        if let Some(pw) = password(&config) {
            config.password(pw);
        }
        config.application_name("pdscout");
        config.connect_timeout(std::time::Duration::from_secs(30));
        let client = connect_tls(&mut config, &tls).map_err(|e| refused(url, e))?;
        Ok(Postgres {
            client: RefCell::new(client),
            cache: RefCell::new(HashMap::new()),
        })
    }

    fn statement(&self, sql: &str) -> Result<Statement, DbError> {
        if let Some(st) = self.cache.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.borrow_mut().prepare(&dollars(sql))?;
        self.cache.borrow_mut().insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

/// Connects as `tls.mode` asks; `prefer` falls back to the clear (and
/// `allow` to TLS) when the server refuses the first kind of session.
fn connect_tls(config: &mut Config, tls: &pg_tls::Tls) -> Result<Client, String> {
    use postgres::config::{Host, SslMode as Driver};
    // As in libpq, unix sockets never use TLS (the server refuses it there).
    let socket_only = config
        .get_hosts()
        .iter()
        .all(|h| !matches!(h, Host::Tcp(_)));
    let mode = if socket_only {
        SslMode::Disable
    } else {
        tls.mode
    };
    let clear = |config: &mut Config| config.ssl_mode(Driver::Disable).connect(NoTls);
    let encrypted = |config: &mut Config, driver: Driver| -> Result<Client, String> {
        let connector = pg_tls::connector(tls).map_err(|e| e.to_string())?;
        config
            .ssl_mode(driver)
            .connect(connector)
            .map_err(tls_message)
    };
    // A second try only when the server answered (its refusal, or a
    // failed handshake), not when it cannot be reached.
    let answered = |e: &postgres::Error| {
        e.as_db_error().is_some()
            || std::error::Error::source(e).is_none_or(|s| !s.is::<std::io::Error>())
    };
    match mode {
        SslMode::Disable => clear(config).map_err(|e| DbError::from(e).to_string()),
        SslMode::Allow => match clear(config) {
            Err(e) if answered(&e) => encrypted(config, Driver::Require),
            r => r.map_err(|e| DbError::from(e).to_string()),
        },
        SslMode::Prefer => {
            let connector = pg_tls::connector(tls).map_err(|e| e.to_string())?;
            match config.ssl_mode(Driver::Prefer).connect(connector) {
                Err(e) if answered(&e) => clear(config).map_err(|e| DbError::from(e).to_string()),
                r => r.map_err(tls_message),
            }
        }
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            encrypted(config, Driver::Require)
        }
    }
}

/// A connection error, with what to check when the server's certificate
/// was refused.
fn tls_message(e: postgres::Error) -> String {
    let text = DbError::from(e).to_string();
    if text.contains("invalid peer certificate") {
        format!(
            "{text} (the server's certificate is not signed by a CA of sslrootcert, \
             or does not name the host with verify-full)"
        )
    } else {
        text
    }
}

/// `?1` → `$1`: the inventory's SQL is written with SQLite's numbered
/// parameters (no literal in it holds a `?`).
fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// The password for `config` from `PGPASSWORD`, else the password file.
fn password(config: &Config) -> Option<String> {
    if let Ok(pw) = std::env::var("PGPASSWORD") {
        return Some(pw);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // libpq ignores a password file others can read; so does pdscout.
        let mode = std::fs::metadata(&file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            eprintln!(
                "pdscout: warning: {} is readable by others (chmod 0600): ignored",
                file.display()
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        // A socket folder matches `localhost`, as in libpq.
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) => "localhost".into(),
        None => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    pgpass_lookup(&text, &[&host, &port, db, user])
}

/// The password of the first line of a libpq password file
/// (`host:port:database:user:password`, `*` for any, `\:` and `\\`
/// escaped) whose fields match `want`.
pub fn pgpass_lookup(text: &str, want: &[&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = vec![String::new()];
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => fields.last_mut()?.extend(chars.next()),
                ':' if fields.len() < 5 => fields.push(String::new()),
                c => fields.last_mut()?.push(c),
            }
        }
        if fields.len() == 5
            && fields[..4]
                .iter()
                .zip(want)
                .all(|(f, w)| f == "*" || f == w)
        {
            return fields.pop();
        }
    }
    None
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(t) => t.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column of a result as a [`Value`].
fn column(row: &postgres::Row, i: usize) -> Result<Value, DbError> {
    let ty = row.columns()[i].type_().clone();
    let v = match ty {
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(Value::from),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map(|v| Value::Real(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        }
        _ => return Err(DbError::Type(i, "a type the inventory does not use")),
    };
    Ok(v.unwrap_or(Value::Null))
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Backend for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let st = self.statement(sql)?;
        Ok(self.client.borrow_mut().execute(&st, &refs(params))?)
    }

    fn batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    /// The rows are all read before `f` sees the first: `f` may query too.
    fn each(
        &self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let st = self.statement(sql)?;
        let rows = self.client.borrow_mut().query(&st, &refs(params))?;
        for r in &rows {
            let row = (0..r.len())
                .map(|i| column(r, i))
                .collect::<Result<Vec<_>, _>>()?;
            f(Row(row))?;
        }
        Ok(())
    }

    fn begin(&self) -> Result<(), DbError> {
        self.batch("BEGIN")
    }

    /// One `COPY … FROM STDIN` (text format) for all the rows: a third
    /// less wall time for a whole sweep than multi-row INSERTs of 1,000
    /// rows (README "Many servers").
    fn insert_rows(&self, table: &str, cols: &[&str], rows: &[Value]) -> Result<(), DbError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut text = Vec::with_capacity(rows.len() * 16);
        for row in rows.chunks(cols.len()) {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    text.push(b'\t');
                }
                copy_text(v, &mut text);
            }
            text.push(b'\n');
        }
        let sql = format!("COPY {table} ({}) FROM STDIN", cols.join(", "));
        let mut client = self.client.borrow_mut();
        let mut w = client.copy_in(&sql)?;
        // An I/O error here is the connection's; `finish` reports it.
        let _ = std::io::Write::write_all(&mut w, &text);
        w.finish()?;
        Ok(())
    }
}

/// A value in COPY's text format: `\N` for null; backslash, tab, newline
/// and carriage return escaped; bytes as `\\x` and hex (the backslash
/// escaped).
fn copy_text(v: &Value, out: &mut Vec<u8>) {
    use std::io::Write;
    match v {
        Value::Null => out.extend_from_slice(b"\\N"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Real(f) => {
            let _ = write!(out, "{f}");
        }
        Value::Text(t) => {
            for &b in t.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b => out.push(b),
                }
            }
        }
        Value::Blob(b) => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines() {
        let text =
            "# comment\nother:5432:*:u:no\nlocalhost:5432:inv:pd\\:s:se\\:cret\n*:*:*:*:any\n";
        assert_eq!(
            pgpass_lookup(text, &["localhost", "5432", "inv", "pd:s"]).as_deref(),
            Some("se:cret")
        );
        assert_eq!(
            pgpass_lookup(text, &["db1", "5433", "x", "y"]).as_deref(),
            Some("any")
        );
        assert_eq!(pgpass_lookup("h:1:d:u:p", &["h", "2", "d", "u"]), None);
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            redact("postgres://u:pw@h:5432/db?sslmode=disable"),
            "postgres://u:***@h:5432/db?sslmode=disable"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn copy_text_escapes() {
        let mut out = Vec::new();
        for v in [
            Value::Null,
            Value::Int(-3),
            Value::Real(0.5),
            Value::Text("a\tb\\c\nd".into()),
            Value::Blob(vec![0, 255]),
        ] {
            copy_text(&v, &mut out);
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\\N|-3|0.5|a\\tb\\\\c\\nd|\\\\x00ff|"
        );
    }

    #[test]
    fn numbered_parameters() {
        assert_eq!(
            dollars("SELECT ?1 WHERE a = ?12 AND b = '?'"),
            "SELECT $1 WHERE a = $12 AND b = '?'"
        );
    }
}
