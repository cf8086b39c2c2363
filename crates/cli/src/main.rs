//! `brain`: the command line. Ingest repositories, serve GraphQL, search and
//! inspect the graph. Errors say what to do about them and exit non-zero.

#[macro_use]
mod output;
mod cmd;
mod running;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit statuses every command shares (commands with their own list them in their help).
const EXIT_CODES: &str = "Exit codes: 0 done; 1 an error (the message says what to do); 75 the data dir is in use by \
a running server or an ingest (ask the server over HTTP, or stop it); 141 standard output was closed by its \
reader (`brain ... | head`).";

/// The engineering memory of a software factory: ingests repos, code,
/// contracts, owners, decisions and failures into one knowledge graph and
/// answers agents and people over GraphQL, MCP and this CLI.
#[derive(Parser, Debug)]
#[command(name = "brain", version, about, long_about = None, propagate_version = true, after_help = EXIT_CODES)]
pub struct Cli {
    /// Where the store and index live. Default: a `.brain` folder beside the config
    /// (or inside the ingested directory).
    #[arg(long, global = true, env = "BRAIN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Log level: error, warn, info, debug, trace (or a tracing filter such as `brain=debug`).
    #[arg(long, global = true, env = "BRAIN_LOG", default_value = "warn", value_name = "LEVEL")]
    pub log_level: String,
    /// Log as JSON lines (for log collectors).
    #[arg(long, global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Ingest the repositories of a brain.toml, or one directory.
    ///
    /// Only files whose content changed are parsed; deleted files are removed;
    /// each repository commits atomically. A file that cannot be parsed is
    /// reported with its path and line and the ingest goes on.
    Ingest(cmd::IngestArgs),
    /// Serve GraphQL (POST /graphql), GraphiQL (GET /) and /health.
    Serve(cmd::ServeArgs),
    /// Ingest, then serve: the one command for a first look.
    Up(cmd::ServeArgs),
    /// Full-text search over every entity.
    Search(cmd::SearchArgs),
    /// Similar past changes: commits whose messages resemble a text, with the files they touched.
    ///
    /// Reads the git history stored by `brain ingest` (repos whose root is a git
    /// checkout; only commits reachable from the indexed commit).
    History(cmd::HistoryArgs),
    /// Show one entity with its evidence and edges.
    Show(cmd::ShowArgs),
    /// Feature flags: where each is defined and evaluated; evaluated-but-undefined and defined-but-unused keys.
    Flags(cmd::FlagsArgs),
    /// Container images that include a file or directory, and services built from it.
    Images(cmd::ImagesArgs),
    /// Sizes, freshness and diagnostics of the graph.
    Stats(cmd::StatsArgs),
    /// Write a synthetic organisation (for benchmarks and scale tests).
    Synth(cmd::SynthArgs),
    /// Blast radius of a diff, a git range, files or entity ids, at the terminal.
    ///
    /// Exit codes: 0 answered; 2 an id or file given is not in the graph (lane Unknown: the
    /// change cannot be judged, so a gate must not pass); 1 any other error.
    Impact(cmd::ImpactArgs),
    /// A context packet for a task (markdown within a token budget).
    Packet(cmd::PacketArgs),
    /// Export lessons to markdown files kept in git, or import them back.
    Lessons(cmd::LessonsArgs),
    /// Serve the brain's MCP tools over stdio (for agent CLIs that start a tool process).
    Mcp(cmd::McpArgs),
    /// Contract checks across repositories; exits non-zero on errors (a CI gate).
    Check(cmd::CheckArgs),
    /// Breaking-change diff of two versions of a spec: files, or REPO@REV:PATH.
    ///
    /// Exit codes: 0 no breaking change; 1 a breaking change (or, with --strict, a warning);
    /// 2 the versions could not be compared (unreadable, unknown format, not parseable), with the
    /// error on stderr.
    Diff(cmd::DiffArgs),
    /// Check a running server's /health (exit 0 when healthy); for container health checks.
    Health(cmd::HealthArgs),
    /// Rebuild the search index and snapshot from the store after a data dir was refused as
    /// damaged (the old ones are kept beside them, renamed `*.damaged-<time>`).
    Repair(cmd::RepairArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::init_tracing(&cli.log_level, cli.log_json);
    match run(cli) {
        Ok(code) => code,
        // `brain … | head`: the reader has what it wanted; no message, no panic.
        Err(e) if e.downcast_ref::<output::StdoutClosed>().is_some() => ExitCode::from(output::CLOSED_PIPE_EXIT),
        Err(e) if e.downcast_ref::<running::InUse>().is_some() => {
            eprintln!("error: {}", output::block(&format!("{e:#}")));
            ExitCode::from(running::IN_USE_EXIT)
        }
        Err(e) => {
            eprintln!("error: {}", output::block(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let data_dir = cli.data_dir.clone();
    match cli.command {
        Command::Ingest(a) => cmd::ingest(data_dir, a),
        Command::Serve(a) => cmd::serve(data_dir, a, false),
        Command::Up(a) => cmd::serve(data_dir, a, true),
        Command::Search(a) => cmd::search(data_dir, a),
        Command::Show(a) => cmd::show(data_dir, a),
        Command::Flags(a) => cmd::flags(data_dir, a),
        Command::Images(a) => cmd::images(data_dir, a),
        Command::History(a) => cmd::history(data_dir, a),
        Command::Stats(a) => cmd::stats(data_dir, a),
        Command::Synth(a) => cmd::synth(a),
        Command::Health(a) => cmd::health(a),
        Command::Diff(a) => cmd::diff(a),
        Command::Check(a) => cmd::check(data_dir, a),
        Command::Mcp(a) => cmd::mcp(data_dir, a),
        Command::Impact(a) => cmd::impact(data_dir, a),
        Command::Packet(a) => cmd::packet(data_dir, a),
        Command::Lessons(a) => cmd::lessons(data_dir, a),
        Command::Repair(a) => cmd::repair(data_dir, a),
    }
}
