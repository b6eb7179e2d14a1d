//! PostgreSQL, for dashboards: a consumer after publishing. It reads the published run's
//! Parquet tables (every table of the data dictionary, `schemas/outputs.toml`, that the run
//! wrote; silver's responses only when asked) and loads them with COPY into a fresh schema
//! `<schema>__load_<run>` in one transaction, with their keys, indexes, the run's row
//! (`skm_run`) and the dashboard views (`views.sql`); then, in a second short transaction, it
//! renames the live schema away, the new one to `<schema>`, and drops the old one. A reader
//! sees the previous complete load or the new one, never a mix or an empty table; a load
//! killed at any moment leaves the previous one in place (a fresh schema left by a load killed
//! between its two transactions is dropped by the next load). Nothing earlier imports this
//! module: the files stay the source of truth, and a failure here leaves them published.

mod conn;
mod copy;
mod views;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use polars::prelude::*;
use postgres::{Client, NoTls, Transaction};

pub use conn::Place;

use crate::tables::{Dictionary, TableDef};

/// Where and what to load (`--db`, `--db-schema`, `--db-responses`, `[basis_data]`).
#[derive(Clone)]
pub struct Target {
    /// The address as libpq takes it; never printed (it may hold a password).
    pub url: String,
    pub schema: String,
    /// Also load silver's responses.
    pub responses: bool,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Target {{ schema: {}, responses: {} }}",
            self.schema, self.responses
        )
    }
}

/// The default schema.
pub const SCHEMA: &str = "skm";

/// A schema name skm accepts: a plain lower-case SQL name short enough for its load and old
/// names to fit PostgreSQL's 63 bytes.
pub fn check_schema(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 24
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the schema name '{name}' is not accepted: lower-case letters, digits and _, starting with a letter, at most 24 characters (default skm)"
        ))
    }
}

/// The run's row in `skm_run`.
#[derive(Debug, Clone)]
pub struct RunRow {
    pub run_id: String,
    /// RFC 3339.
    pub mulai: String,
    pub selesai: String,
    pub n_berkas: usize,
    pub n_berkas_dibaca: usize,
    pub n_berkas_dipakai_ulang: usize,
    pub baris_dibaca: usize,
    pub diterima: usize,
    pub ditolak: usize,
    pub n_penolakan: usize,
    pub n_temuan_audit: usize,
    /// The city IKM per year (`ikm_kota`, periode TAHUN), full precision.
    pub ikm_kota: Vec<(i32, Option<f64>)>,
    pub status: String,
}

/// What a load did.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub place: Place,
    pub schema: String,
    /// Each table loaded and its rows.
    pub tables: Vec<(String, u64)>,
    pub views: Vec<String>,
    pub seconds: f64,
}

/// A load that failed: where, PostgreSQL's own error, and what to do.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub place: Option<Place>,
    pub error: String,
    pub todo: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Some(p) => write!(
                f,
                "could not load into PostgreSQL at {p}: {}. {}",
                self.error, self.todo
            ),
            None => write!(
                f,
                "could not load into PostgreSQL: {}. {}",
                self.error, self.todo
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Loads the published run in `run_dir` (docs/dashboard.md).
// A `LoadError` is what the operator reads (host, database, error, what to do): returned once
// per run, its size costs nothing.
#[allow(clippy::result_large_err)]
pub fn load(target: &Target, run_dir: &Path, run: &RunRow) -> Result<Loaded, LoadError> {
    let start = Instant::now();
    let (cfg, place) = conn::config(&target.url).map_err(|e| LoadError {
        place: None,
        error: e,
        todo: "Fix --db or [basis_data] url".into(),
    })?;
    let fail = |e: anyhow::Error| failure(&place, &target.schema, e);
    let mut client = cfg.connect(NoTls).map_err(|e| fail(e.into()))?;
    let dict = Dictionary::embedded_ref();
    let sources = sources(dict, run_dir, target.responses);
    let tables = (|| {
        // One loader per schema at a time (released with the connection, also when killed).
        client.execute("SELECT pg_advisory_lock(hashtext($1))", &[&target.schema])?;
        drop_leftovers(&mut client, &target.schema)?;
        let fresh = format!("{}__load_{}", target.schema, suffix(&run.run_id));
        let tables = fill(&mut client, &fresh, &sources, run)?;
        crate::faults::point("db");
        if let Err(e) = swap(&mut client, &fresh, &target.schema, &run.run_id) {
            // Not left for the next load to find: dropped now, when the server still answers.
            let _ =
                client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", ident(&fresh)));
            return Err(e);
        }
        Ok(tables)
    })()
    .map_err(fail)?;
    Ok(Loaded {
        place,
        schema: target.schema.clone(),
        tables,
        views: views::names().iter().map(|s| s.to_string()).collect(),
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// A table of the dictionary and its Parquet files in the run (a partitioned table: a file
/// per part, with the year of its folder).
struct Source<'a> {
    def: &'a TableDef,
    files: Vec<(PathBuf, Option<i32>)>,
}

/// Every table of the dictionary the run wrote, in the dictionary's order; silver's responses
/// only when asked.
fn sources<'a>(dict: &'a Dictionary, run_dir: &Path, responses: bool) -> Vec<Source<'a>> {
    let mut out = Vec::new();
    for def in &dict.tables {
        if def.name == "responses" && !responses {
            continue;
        }
        let files = match def.path.split_once("/tahun=") {
            Some((dir, _)) => parts(&run_dir.join(dir)),
            None => {
                let p = run_dir.join(&def.path);
                if p.is_file() {
                    vec![(p, None)]
                } else {
                    Vec::new()
                }
            }
        };
        if !files.is_empty() {
            out.push(Source { def, files });
        }
    }
    // The run history beside the output (`crate::history`): every run before this one (a run
    // adds its own row once its exit code is known, after the load).
    if let Some(dir) = crate::history::runs_dir_of_run(run_dir) {
        let files: Vec<(PathBuf, Option<i32>)> = crate::history::files(&dir)
            .into_iter()
            .map(|p| (p, None))
            .collect();
        if !files.is_empty() {
            out.push(Source {
                def: dict.table("runs"),
                files,
            });
        }
    }
    out
}

/// The parts of a partitioned folder, by year then part name.
fn parts(dir: &Path) -> Vec<(PathBuf, Option<i32>)> {
    let mut years: Vec<(i32, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let y = name.strip_prefix("tahun=")?.parse().ok()?;
            Some((y, e.path()))
        })
        .collect();
    years.sort();
    let mut out = Vec::new();
    for (y, d) in years {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|f| (f, Some(y))));
    }
    out
}

/// A run id as part of a schema name: lower-case letters, digits and `_`.
fn suffix(run_id: &str) -> String {
    run_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// A quoted SQL identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A quoted SQL string.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Schemas left by loads killed after filling their schema and before swapping it in, or
/// while dropping the old one.
fn drop_leftovers(client: &mut Client, schema: &str) -> anyhow::Result<()> {
    let like = |kind: &str| format!("{}\\_\\_{kind}\\_%", schema.replace('_', "\\_"));
    let rows = client.query(
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE $1 OR nspname LIKE $2",
        &[&like("load"), &like("lama")],
    )?;
    for r in rows {
        let name: String = r.get(0);
        client.batch_execute(&format!("DROP SCHEMA {} CASCADE", ident(&name)))?;
    }
    Ok(())
}

/// Creates and fills the fresh schema in one transaction: tables by COPY, keys and indexes,
/// the run's row, the views.
fn fill(
    client: &mut Client,
    fresh: &str,
    sources: &[Source<'_>],
    run: &RunRow,
) -> anyhow::Result<Vec<(String, u64)>> {
    let mut tx = client.transaction()?;
    tx.batch_execute(&format!(
        "CREATE SCHEMA {s}; SET LOCAL search_path TO {s}",
        s = ident(fresh)
    ))?;
    let mut loaded = Vec::new();
    for src in sources {
        tx.batch_execute(&create_table(src.def))?;
        let n = copy_table(&mut tx, src)?;
        tx.batch_execute(&keys_and_indexes(src.def))?;
        loaded.push((src.def.name.clone(), n));
        crate::faults::point("db");
    }
    tx.batch_execute(SKM_RUN)?;
    insert_run(&mut tx, run)?;
    let defs: Vec<&TableDef> = sources.iter().map(|s| s.def).collect();
    for v in views::statements(views::duplicates(&defs)) {
        tx.batch_execute(&v)
            .with_context(|| format!("creating the view {}", v.lines().next().unwrap_or("")))?;
    }
    tx.commit()?;
    Ok(loaded)
}

fn pg_type(typ: &str) -> &'static str {
    match typ {
        "str" => "text",
        "bool" => "boolean",
        "i32" => "integer",
        "i64" | "u32" => "bigint",
        "u8" => "smallint",
        "f64" => "double precision",
        "date" => "date",
        "decimal" => "numeric(20,2)",
        _ => "text",
    }
}

/// The table as the dictionary declares it, its descriptions as comments (dashboard tools
/// show them), and `nomor`: the row's place in the Parquet file (file order).
fn create_table(def: &TableDef) -> String {
    let t = ident(&def.name);
    let mut cols: Vec<String> = def
        .columns
        .iter()
        .map(|c| {
            let nn = if c.not_null { " NOT NULL" } else { "" };
            format!("{} {}{nn}", ident(&c.name), pg_type(&c.typ))
        })
        .collect();
    cols.push("nomor bigint NOT NULL".into());
    let mut sql = format!("CREATE TABLE {t} ({});\n", cols.join(", "));
    sql += &format!("COMMENT ON TABLE {t} IS {};\n", literal(&def.description));
    for c in &def.columns {
        sql += &format!(
            "COMMENT ON COLUMN {t}.{} IS {};\n",
            ident(&c.name),
            literal(&c.description)
        );
    }
    sql +=
        &format!("COMMENT ON COLUMN {t}.nomor IS 'Row number in the Parquet file (file order)';\n");
    sql
}

/// Columns a dashboard filters by: each gets an index unless the key already leads with it.
const FILTERED: [&str; 4] = ["unit_id", "tahun", "periode", "kecamatan"];

/// The primary key (the dictionary's `key`, else `nomor`), `nomor` unique, and an index per
/// filtered column. Built after COPY: faster than maintaining them row by row.
fn keys_and_indexes(def: &TableDef) -> String {
    let t = ident(&def.name);
    let key: Vec<String> = if def.key.is_empty() {
        vec!["nomor".into()]
    } else {
        def.key.iter().map(|k| ident(k)).collect()
    };
    let mut sql = format!("ALTER TABLE {t} ADD PRIMARY KEY ({});\n", key.join(", "));
    if !def.key.is_empty() {
        sql += &format!("ALTER TABLE {t} ADD UNIQUE (nomor);\n");
    }
    for c in def
        .columns
        .iter()
        .filter(|c| FILTERED.contains(&c.name.as_str()))
    {
        if def.key.first() != Some(&c.name) {
            sql += &format!("CREATE INDEX ON {t} ({});\n", ident(&c.name));
        }
    }
    sql
}

/// The rows COPY renders at once (a silver part's row groups hold about 40,000).
const COPY_SLICE: usize = 32 * 1024;

/// The columns a Parquet file stores.
fn stored_columns(path: &Path) -> anyhow::Result<Vec<String>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let schema = ParquetReader::new(file)
        .schema()
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    Ok(schema.iter_names().map(|n| n.to_string()).collect())
}

/// COPY of every file of a table, in file order, a slice of rows at a time: the slices read
/// and rendered as binary COPY rows on one thread while this one sends the slice before (so that the
/// server never waits for a slice to be decoded), at most `COPY_AHEAD` slices waiting.
fn copy_table(tx: &mut Transaction<'_>, src: &Source<'_>) -> anyhow::Result<u64> {
    use std::io::Write as _;
    let names: Vec<String> = src.def.columns.iter().map(|c| ident(&c.name)).collect();
    let sql = format!(
        "COPY {} ({}, nomor) FROM STDIN (FORMAT binary)",
        ident(&src.def.name),
        names.join(", ")
    );
    let mut w = tx.copy_in(&sql)?;
    w.write_all(copy::HEADER)?;
    let (rows_tx, rows_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(COPY_AHEAD);
    let rendered = std::thread::scope(|s| {
        let rendering = s.spawn(move || render_table(src, &rows_tx));
        // Sent as they come; a send that fails (the server refused) stops the renderer too,
        // as `rows_rx` is dropped.
        let sent: anyhow::Result<()> = rows_rx
            .iter()
            .try_for_each(|rows| w.write_all(&rows).map_err(anyhow::Error::from));
        drop(rows_rx);
        let rendered = rendering
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the COPY renderer panicked")));
        sent.and(rendered)
    })?;
    w.write_all(copy::TRAILER)?;
    w.finish()?;
    Ok(rendered)
}

/// The COPY data of slices waiting to be sent (`copy_table`): each about 5 MB for silver. With
/// 64K-row slices and two waiting, a 10M-row load peaked at 313–316 MiB; with 32K and one,
/// 252–261 MiB in the same time (BENCHMARKS.md).
const COPY_AHEAD: usize = 1;

/// Every file of a table as binary COPY rows, a slice at a time, into `out`: the rows
/// rendered.
fn render_table(
    src: &Source<'_>,
    out: &std::sync::mpsc::SyncSender<Vec<u8>>,
) -> anyhow::Result<u64> {
    let mut n = 0;
    for (path, tahun) in &src.files {
        // A part's rows a slice at a time (a silver row group's worth), so that a load holds
        // a few slices and their COPY rows, never a whole part: memory bounded whatever the
        // rows.
        let stored = stored_columns(path)?;
        let columns: Vec<&str> = src
            .def
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| stored.iter().any(|s| s == c))
            .collect();
        crate::silver::scan::read_slices_of(path, &columns, COPY_SLICE, |df| {
            let mut df = df.clone();
            if let (Some(y), Err(_)) = (tahun, df.column("tahun")) {
                df.with_column(Column::new_scalar(
                    "tahun".into(),
                    Scalar::new(DataType::Int32, AnyValue::Int32(*y)),
                    df.height(),
                ))?;
            }
            let mut rows = Vec::new();
            n += copy::write_rows(&df, src.def, n + 1, &mut rows).with_context(|| {
                format!(
                    "table {}, rows from nomor {} of {}",
                    src.def.name,
                    n + 1,
                    path.display()
                )
            })?;
            out.send(rows)
                .map_err(|_| anyhow::anyhow!("the server stopped taking rows"))?;
            Ok(())
        })?;
    }
    Ok(n)
}

const SKM_RUN: &str = "CREATE TABLE skm_run (
  run_id text PRIMARY KEY,
  mulai timestamptz NOT NULL,
  selesai timestamptz NOT NULL,
  dimuat timestamptz NOT NULL DEFAULT now(),
  n_berkas bigint NOT NULL,
  n_berkas_dibaca bigint NOT NULL,
  n_berkas_dipakai_ulang bigint NOT NULL,
  baris_dibaca bigint NOT NULL,
  diterima bigint NOT NULL,
  ditolak bigint NOT NULL,
  n_penolakan bigint NOT NULL,
  n_temuan_audit bigint NOT NULL,
  ikm_kota jsonb NOT NULL,
  status text NOT NULL
);
COMMENT ON TABLE skm_run IS 'Every run loaded into this schema, the newest last: when it ran, what it read, the city IKM per year (ikm_kota: {\"2024\": 88.16…}, full precision) and its status'";

fn insert_run(tx: &mut Transaction<'_>, r: &RunRow) -> anyhow::Result<()> {
    let kota: serde_json::Map<String, serde_json::Value> = r
        .ikm_kota
        .iter()
        .map(|(y, v)| (y.to_string(), serde_json::json!(v)))
        .collect();
    let n = |x: usize| x as i64;
    tx.execute(
        "INSERT INTO skm_run (run_id, mulai, selesai, n_berkas, n_berkas_dibaca, n_berkas_dipakai_ulang, \
         baris_dibaca, diterima, ditolak, n_penolakan, n_temuan_audit, ikm_kota, status) \
         VALUES ($1, $2::text::timestamptz, $3::text::timestamptz, $4, $5, $6, $7, $8, $9, $10, $11, $12::text::jsonb, $13)",
        &[
            &r.run_id,
            &r.mulai,
            &r.selesai,
            &n(r.n_berkas),
            &n(r.n_berkas_dibaca),
            &n(r.n_berkas_dipakai_ulang),
            &n(r.baris_dibaca),
            &n(r.diterima),
            &n(r.ditolak),
            &n(r.n_penolakan),
            &n(r.n_temuan_audit),
            &serde_json::Value::Object(kota).to_string(),
            &r.status,
        ],
    )?;
    Ok(())
}

/// The swap, in one transaction: every table and view of the live schema locked at once,
/// the earlier runs' rows carried into the new `skm_run`, the live schema renamed away, the
/// fresh one renamed in, the old one dropped. Retried while readers hold the old tables.
fn swap(client: &mut Client, fresh: &str, schema: &str, run_id: &str) -> anyhow::Result<()> {
    let until = Instant::now() + std::time::Duration::from_secs(120);
    loop {
        match swap_once(client, fresh, schema, run_id) {
            Err(e) if busy(&e) && Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// The old relations were held by a reader: the attempt gave up before any reader waited on it
/// long enough to deadlock.
fn busy(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<postgres::Error>())
        .filter_map(|p| p.code())
        .any(|c| *c == postgres::error::SqlState::LOCK_NOT_AVAILABLE)
}

fn swap_once(client: &mut Client, fresh: &str, schema: &str, run_id: &str) -> anyhow::Result<()> {
    let old = format!("{schema}__lama_{}", suffix(run_id));
    let mut tx = client.transaction()?;
    // Every relation of the live schema, locked in one statement before anything else: once
    // they are all held, no reader holds any of them, and a reader that comes now waits, then
    // finds the new tables by name. A reader in the middle of a statement holds some of them;
    // waiting for it while holding others could deadlock with it, so an attempt gives up after
    // a short while (well under the server's deadlock_timeout) and is tried again.
    tx.batch_execute("SET LOCAL lock_timeout = '200ms'")?;
    let relations: Vec<String> = tx
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY c.relname",
            &[&schema],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if !relations.is_empty() {
        let list: Vec<String> = relations
            .iter()
            .map(|r| format!("{}.{}", ident(schema), ident(r)))
            .collect();
        tx.batch_execute(&format!(
            "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
            list.join(", ")
        ))?;
    }
    let exists: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
            &[&schema],
        )?
        .get(0);
    if exists {
        let ours: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = $1 AND c.relname = 'skm_run')",
                &[&schema],
            )?
            .get(0);
        if !ours {
            return Err(NotOurs(schema.to_string()).into());
        }
        carry_history(&mut tx, fresh, schema)?;
        tx.batch_execute(&format!(
            "ALTER SCHEMA {} RENAME TO {}",
            ident(schema),
            ident(&old)
        ))?;
    }
    tx.batch_execute(&format!(
        "ALTER SCHEMA {} RENAME TO {}",
        ident(fresh),
        ident(schema)
    ))?;
    if exists {
        tx.batch_execute(&format!("DROP SCHEMA {} CASCADE", ident(&old)))?;
    }
    tx.commit()?;
    Ok(())
}

/// The live schema exists but skm did not make it (it has no `skm_run`): never replaced.
#[derive(Debug)]
struct NotOurs(String);

impl std::fmt::Display for NotOurs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "schema {} exists and has no skm_run table: skm did not make it, and does not replace it",
            self.0
        )
    }
}

impl std::error::Error for NotOurs {}

/// The earlier runs' rows of `skm_run`, when the live schema has one of the same columns
/// (a schema skm did not write, or an older layout, is not carried over).
fn carry_history(tx: &mut Transaction<'_>, fresh: &str, schema: &str) -> anyhow::Result<()> {
    let mut sp = tx.transaction()?;
    let copied = sp.batch_execute(&format!(
        "INSERT INTO {f}.skm_run SELECT * FROM {s}.skm_run o \
         WHERE NOT EXISTS (SELECT 1 FROM {f}.skm_run n WHERE n.run_id = o.run_id)",
        f = ident(fresh),
        s = ident(schema)
    ));
    match copied {
        Ok(()) => sp.commit()?,
        Err(_) => sp.rollback()?,
    }
    Ok(())
}

/// PostgreSQL's own error, and what to do about it.
fn failure(place: &Place, schema: &str, e: anyhow::Error) -> LoadError {
    use postgres::error::SqlState;
    let pg = e.chain().find_map(|c| c.downcast_ref::<postgres::Error>());
    let db = pg.and_then(|p| p.as_db_error());
    let error = match db {
        Some(d) => format!(
            "{}: {} (SQLSTATE {})",
            d.severity(),
            d.message(),
            d.code().code()
        ),
        None => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            chain.join(": ")
        }
    };
    let code = db.map(|d| d.code().clone());
    let todo = match code {
        Some(c) if c == SqlState::INVALID_PASSWORD || c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => format!(
            "Check the user and password of {}: set PGPASSWORD, or add a line host:port:database:user:password to ~/.pgpass (mode 0600)",
            place.user
        ),
        Some(c) if c == SqlState::INSUFFICIENT_PRIVILEGE => format!(
            "User {u} needs the right to create schemas in database {d} (GRANT CREATE ON DATABASE {d} TO {u}) and to own schema {schema} if it exists, or load as the schema's owner",
            u = place.user,
            d = place.database
        ),
        Some(c) if c == SqlState::INVALID_CATALOG_NAME => format!(
            "Create the database first (createdb {}) or name another in --db",
            place.database
        ),
        Some(c) if c == SqlState::LOCK_NOT_AVAILABLE => "Readers kept the tables busy for two minutes; the previous load is still in place: run again".to_string(),
        Some(_) => "See PostgreSQL's message; the previous load is still in place".to_string(),
        None if e.downcast_ref::<NotOurs>().is_some() => {
            "Name another schema with --db-schema, or rename or drop that schema yourself".to_string()
        }
        None if pg.is_some() => format!(
            "Is PostgreSQL running and reachable at {} port {}? Start it or fix --db / [basis_data] url; the previous load, if any, is still in place",
            place.host, place.port
        ),
        None => "The previous load, if any, is still in place".to_string(),
    };
    LoadError {
        place: Some(place.clone()),
        error,
        todo: format!("{todo}. The Parquet outputs are published."),
    }
}

/// The row `skm_run` gets when a published run is loaded again (`skm rollback --db`): what the
/// history says of that run (its start; `selesai` is when it was loaded again), the city
/// figure per year its files hold, status `dipulihkan` (restored); zeros where the history has
/// no row for it (a run from before the history was kept).
pub fn restore_row(layout: &crate::publish::Layout, run_id: &str) -> RunRow {
    use polars::prelude::*;
    let now = crate::config::utc_now();
    let mut row = RunRow {
        run_id: run_id.to_string(),
        mulai: now.clone(),
        selesai: now,
        n_berkas: 0,
        n_berkas_dibaca: 0,
        n_berkas_dipakai_ulang: 0,
        baris_dibaca: 0,
        diterima: 0,
        ditolak: 0,
        n_penolakan: 0,
        n_temuan_audit: 0,
        ikm_kota: Vec::new(),
        status: "dipulihkan".into(),
    };
    let read = |p: &std::path::Path| -> anyhow::Result<DataFrame> {
        Ok(ParquetReader::new(std::fs::File::open(p)?).finish()?)
    };
    if let Ok(k) = read(&layout.runs.join(run_id).join("gold/ikm_kota.parquet")) {
        row.ikm_kota = crate::compute::ikm_kota::per_year(&k);
    }
    let path = crate::history::runs_dir(layout).join(format!("{run_id}.parquet"));
    let Ok(df) = read(&path) else {
        return row;
    };
    // (`get(0)` panics on no rows: a history file cut short has none.)
    let text = |c: &str| {
        df.column(c)
            .ok()
            .filter(|c| !c.is_empty())
            .and_then(|c| c.str().ok()?.get(0).map(str::to_string))
    };
    let num = |c: &str| {
        df.column(c)
            .ok()
            .filter(|c| !c.is_empty())
            .and_then(|c| c.i64().ok()?.get(0))
            .unwrap_or(0)
            .max(0) as usize
    };
    // When the run started; `selesai` stays now, when it was loaded again.
    if let Some(m) = text("mulai") {
        row.mulai = m;
    }
    row.n_berkas_dibaca = num("n_berkas_dibaca");
    row.n_berkas_dipakai_ulang = num("n_berkas_dipakai_ulang");
    row.n_berkas = row.n_berkas_dibaca + row.n_berkas_dipakai_ulang;
    row.baris_dibaca = num("baris_dibaca");
    row.diterima = num("diterima");
    row.ditolak = num("ditolak");
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_key_is_columns_that_are_never_null() {
        for t in &Dictionary::embedded().tables {
            for k in &t.key {
                let c = t.columns.iter().find(|c| &c.name == k);
                assert!(
                    c.is_some_and(|c| c.not_null),
                    "{}: key column {k} must be a not_null column",
                    t.name
                );
            }
        }
    }

    #[test]
    fn tables_become_sql_from_the_dictionary() {
        let d = Dictionary::embedded();
        let sql = create_table(d.table("anggaran"));
        assert!(sql.starts_with("CREATE TABLE \"anggaran\" (\"unit_id\" text, \"tahun\" integer,"));
        assert!(sql.contains("\"pagu_murni\" numeric(20,2)"));
        assert!(sql.contains("\"serapan\" double precision"));
        assert!(sql.contains("\"source_row\" bigint NOT NULL"));
        let keys = keys_and_indexes(d.table("ikm_unit"));
        assert!(keys.contains("ADD PRIMARY KEY (\"unit_id\", \"tahun\", \"periode\", \"sumber\")"));
        assert!(keys.contains("CREATE INDEX ON \"ikm_unit\" (\"kecamatan\")"));
        assert!(
            !keys.contains("(\"unit_id\");"),
            "the key leads with unit_id"
        );
        assert!(keys_and_indexes(d.table("rejects")).contains("ADD PRIMARY KEY (nomor)"));
        assert_eq!(
            suffix("20261201T153252.258-2235"),
            "20261201t153252_258_2235"
        );
        assert!(check_schema("skm").is_ok() && check_schema("Skm; drop").is_err());
    }
}
