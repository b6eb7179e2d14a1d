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
    // SAFETY: first thing in `main`, before any other thread exists.
    unsafe { skm::memory::keep_freed_memory() };
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // `skm run --json` answers in JSON on every exit, a command line it cannot parse
            // included (exit 2); help and version are not errors.
            let args: Vec<String> = std::env::args().collect();
            let is_run_json =
                args.get(1).is_some_and(|a| a == "run") && args.iter().any(|a| a == "--json");
            if is_run_json && e.use_stderr() {
                eprint!("{e}");
                println!("{}", cmd::run::usage_json(&e.to_string()));
                std::process::exit(cmd::EXIT_USAGE);
            }
            e.exit()
        }
    };
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
