//! `rasd`, the command-line front of the rasd pipeline.
//!
//! This crate is glue: it parses flags, calls the stage libraries and maps
//! their results to exit codes. No pipeline logic lives here.
//!
//! Exit codes: 0 when everything went through, 1 when some inputs failed
//! (each failure is reported on stderr and the rest of the batch went on),
//! 2 on a usage error or a failure that stopped the command.

mod commands;
mod data_dir;
mod derive;
mod json_lines;
mod output;
mod paging;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// rasd (رصد): an Arabic news monitoring engine.
#[derive(Debug, Parser)]
#[command(name = "rasd", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// More log output on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    /// Never draw progress bars (they are drawn only on a terminal anyway).
    #[arg(long, global = true)]
    no_progress: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Extract(commands::extract::Args),
    Dedup(commands::dedup::Args),
    Ingest(commands::ingest::Args),
    Articles(commands::articles::Args),
    Article(commands::article::Args),
    Stats(commands::stats::Args),
    Export(commands::export::Args),
    Reindex(commands::reindex::Args),
    Search(commands::search::Args),
    Serve(commands::serve::Args),
    Cluster(commands::cluster::Args),
    Similar(commands::similar::Args),
    Ner(commands::ner::Args),
    Facts(commands::facts::Args),
    Entities(commands::entities::Args),
    Entity(commands::entity::Args),
    Quotes(commands::quotes::Args),
    Stories(commands::stories::Args),
    Story(commands::story::Args),
    Topics(commands::topics::Args),
    Topic(commands::topic::Args),
    #[command(subcommand)]
    Eval(commands::eval::EvalCommand),
}

/// Settings every command sees.
#[derive(Debug, Clone, Copy)]
pub struct Globals {
    /// Whether progress bars may be drawn (stderr is a terminal and not disabled).
    pub progress: bool,
}

/// How a command ended, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went through.
    Success,
    /// Some inputs failed; they were reported and the rest went on.
    PartialFailure,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let globals = Globals {
        progress: !cli.no_progress && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let result = match cli.command {
        Command::Extract(args) => commands::extract::run(args, globals),
        Command::Dedup(args) => commands::dedup::run(args, globals),
        Command::Ingest(args) => commands::ingest::run(args, globals),
        Command::Articles(args) => commands::articles::run(args, globals),
        Command::Article(args) => commands::article::run(args, globals),
        Command::Stats(args) => commands::stats::run(args, globals),
        Command::Export(args) => commands::export::run(args, globals),
        Command::Reindex(args) => commands::reindex::run(args, globals),
        Command::Search(args) => commands::search::run(args, globals),
        Command::Serve(args) => commands::serve::run(args, globals),
        Command::Cluster(args) => commands::cluster::run(args, globals),
        Command::Similar(args) => commands::similar::run(args, globals),
        Command::Ner(args) => commands::ner::run(args, globals),
        Command::Facts(args) => commands::facts::run(args, globals),
        Command::Entities(args) => commands::entities::run(args, globals),
        Command::Entity(args) => commands::entity::run(args, globals),
        Command::Quotes(args) => commands::quotes::run(args, globals),
        Command::Stories(args) => commands::stories::run(args, globals),
        Command::Story(args) => commands::story::run(args, globals),
        Command::Topics(args) => commands::topics::run(args, globals),
        Command::Topic(args) => commands::topic::run(args, globals),
        Command::Eval(cmd) => commands::eval::run(cmd, globals),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::PartialFailure) => ExitCode::from(1),
        Err(err) => {
            if output::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("rasd: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    // html5ever reports every parse-error recovery of a malformed page as a
    // warning; those are the page's problem, not the user's.
    let default = match verbose {
        0 => "warn,html5ever=error",
        1 => "info,html5ever=error",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
