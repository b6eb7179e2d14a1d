pub mod demo;
pub mod gen;
pub mod reference;
pub mod report;
pub mod rollback;
pub mod run;
pub mod schema;
pub mod sql;
pub mod template;
pub mod validate;

/// Exit codes (README, "Exit codes").
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_REJECTS: i32 = 3;
pub const EXIT_LOCKED: i32 = 4;
/// The run completed and its outputs are published, but loading them into PostgreSQL failed.
pub const EXIT_DB: i32 = 5;
/// The outputs are published, but something needs a person: a file or sheet read in this run
/// was refused, or more than half of a file's rows were rejected, a unit is past a deadline,
/// or an optional output (the PDF) failed.
pub const EXIT_ATTENTION: i32 = 6;

/// The configuration (`--config`) and the unit registry (`--units`) a command is given, the
/// defaults (`Config::default`, the embedded registry) where absent. The one place every
/// subcommand loads them.
pub fn loaded(
    config: Option<&std::path::Path>,
    units: Option<&std::path::Path>,
) -> anyhow::Result<(skm::config::Config, skm::registry::Registry)> {
    let config = match config {
        Some(p) => skm::config::Config::from_file(p)?,
        None => skm::config::Config::default(),
    };
    let registry = match units {
        Some(p) => skm::registry::Registry::from_file(p)?,
        None => skm::registry::Registry::embedded(),
    };
    Ok((config, registry))
}

/// `loaded` for a command that exits on an unreadable file: the error said once, as
/// `skm CMD: …`, and the usage exit code.
pub fn setup(
    cmd: &str,
    config: Option<&std::path::Path>,
    units: Option<&std::path::Path>,
) -> Result<(skm::config::Config, skm::registry::Registry), i32> {
    loaded(config, units).map_err(|e| {
        eprintln!("skm {cmd}: {e:#}");
        EXIT_USAGE
    })
}

/// The database options of `skm run` and `skm rollback`.
#[derive(clap::Args, Debug, Clone)]
pub struct DbArgs {
    /// After publishing, load the tables and dashboard views into this PostgreSQL database
    /// (postgresql://user@host:port/database, or host=… dbname=… user=…); the password from
    /// PGPASSWORD or ~/.pgpass. Overrides [basis_data] url.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// The schema to load into (default skm, or [basis_data] schema).
    #[arg(long, value_name = "NAME")]
    pub db_schema: Option<String>,
    /// Also load silver's responses (a row per response) for row-level drill-down.
    #[arg(long)]
    pub db_responses: bool,
}

/// The PostgreSQL load asked for by `--db`, `--db-schema`, `--db-responses` or `[basis_data]`
/// (`skm run`, `skm rollback`), if any.
pub fn db_target(
    a: &DbArgs,
    config: &skm::config::Config,
) -> anyhow::Result<Option<skm::db::Target>> {
    let (db, db_schema, db_responses) = (a.db.clone(), a.db_schema.clone(), a.db_responses);
    let b = &config.basis_data;
    let Some(url) = db.or_else(|| b.url.clone()) else {
        anyhow::ensure!(
            db_schema.is_none() && !db_responses,
            "--db-schema and --db-responses need --db (or [basis_data] url)"
        );
        return Ok(None);
    };
    let schema = db_schema
        .or_else(|| b.schema.clone())
        .unwrap_or_else(|| skm::db::SCHEMA.into());
    skm::db::check_schema(&schema).map_err(anyhow::Error::msg)?;
    Ok(Some(skm::db::Target {
        url,
        schema,
        responses: db_responses || b.responses,
    }))
}
