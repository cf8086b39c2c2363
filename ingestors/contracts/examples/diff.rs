//! Compares two versions of a protobuf or GraphQL SDL file and prints the
//! changes as JSON (an array of `Change`), for the agreement bench in
//! `ingestors/contracts/bench/`.
//!
//! `cargo run -p brain-ingest-contracts --example diff -- [--category FILE|PACKAGE|WIRE_JSON|WIRE] OLD NEW`
//!
//! Exit codes: 0 no breaking change, 1 breaking changes found, 2 usage or input error.

use brain_ingest_contracts::diff::{Change, Level};
use brain_ingest_contracts::{graphql, proto};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut category = proto::diff::Category::File;
    if let Some(i) = args.iter().position(|a| a == "--category") {
        let Some(c) = args.get(i + 1).and_then(|c| proto::diff::Category::parse(c)) else {
            eprintln!("--category needs one of FILE, PACKAGE, WIRE_JSON, WIRE");
            return ExitCode::from(2);
        };
        category = c;
        args.drain(i..i + 2);
    }
    let [old_path, new_path] = args.as_slice() else {
        eprintln!("usage: diff [--category FILE|PACKAGE|WIRE_JSON|WIRE] OLD NEW");
        return ExitCode::from(2);
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let (old, new) = match (read(old_path), read(new_path)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let result: Result<Vec<Change>, String> = if new_path.ends_with(".proto") {
        proto::diff::diff_proto_in(&old, &new, old_path, new_path, category).map_err(|e| e.to_string())
    } else if [".graphql", ".graphqls", ".gql"].iter().any(|x| new_path.ends_with(x)) {
        graphql::diff_graphql(&old, &new, old_path, new_path).map_err(|e| e.to_string())
    } else {
        Err(format!("{new_path}: not a .proto or GraphQL file"))
    };
    match result {
        Ok(changes) => {
            match serde_json::to_string_pretty(&changes) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            }
            if changes.iter().any(|c| c.level == Level::Breaking) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
