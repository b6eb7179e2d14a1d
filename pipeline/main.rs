//! The `skm` command line: arguments become a typed configuration, then the library runs.
//! One file per subcommand under `pipeline/cmd/`, each with its usage at the top.

mod cmd;

/// mimalloc: the row loop allocates and frees small texts by the million, where it is markedly
/// faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "skm",
    version,
    about = "SKM pipeline: raw satisfaction-survey questionnaires → NRR and IKM tables in Parquet",
    after_help = "Start with `skm run`: it runs on the demo inbox in fixtures/ and writes out/."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(cmd::run::Args),
    Validate(cmd::validate::Args),
    Sql(cmd::sql::Args),
    Schema(cmd::schema::Args),
    Template(cmd::template::Args),
    Rollback(cmd::rollback::Args),
    Report(cmd::report::Args),
    Gen(cmd::gen::Args),
    Reference(cmd::reference::Args),
    /// Writes the demo inbox (fixtures/inbox) from the seeds' published NRR.
    #[command(hide = true)]
    Demo(cmd::demo::Args),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(a) => cmd::run::main(a),
        Command::Validate(a) => cmd::validate::main(a),
        Command::Sql(a) => cmd::sql::main(a),
        Command::Schema(a) => cmd::schema::main(a),
        Command::Template(a) => cmd::template::main(a),
        Command::Rollback(a) => cmd::rollback::main(a),
        Command::Report(a) => cmd::report::main(a),
        Command::Gen(a) => cmd::gen::main(a),
        Command::Reference(a) => cmd::reference::main(a),
        Command::Demo(a) => cmd::demo::main(a),
    };
    std::process::exit(code);
}
