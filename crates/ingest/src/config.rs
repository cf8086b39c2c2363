//! `brain.toml`: the repositories to ingest, review policy, server settings.
//!
//! ```toml
//! [[repos]]
//! name = "acme/orders"     # how the repo is named in ids
//! path = "orders"          # relative to this file
//! include = ["src/**"]     # optional globs; default everything
//! exclude = ["**/vendor/**"]
//!
//! [server]
//! addr = "127.0.0.1:7777"
//!
//! [[policy.rules]]
//! paths = ["**/*.md"]
//! level = "auto"
//! ```
//!
//! A repo `path` may be anywhere (the operator chooses it); `include` and
//! `exclude` globs are matched against repo-relative paths, so a glob that
//! is absolute or has a `..` segment could never match and is refused with
//! the repo and glob named; a leading `./` is dropped.

use crate::IngestError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// The file this was read from, if any.
    pub file: Option<PathBuf>,
    /// Directory relative paths are resolved against.
    pub base_dir: PathBuf,
    pub repos: Vec<RepoConfig>,
    pub server: ServerConfig,
    pub policy: Vec<PolicyRuleConfig>,
    /// Explicit consumer -> producer links heuristics cannot find.
    pub links: Vec<LinkOverride>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoConfig {
    pub name: String,
    pub path: PathBuf,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub addr: Option<String>,
    /// Token required for writes; `BRAIN_WRITE_TOKEN` overrides it.
    pub write_token: Option<String>,
    /// Token required for reads when set; `BRAIN_READ_TOKEN` overrides it.
    pub read_token: Option<String>,
}

/// A review-policy rule for blast radius (first match wins).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRuleConfig {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub level: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `[[links]] from = "<id>" kind = "consumes" to = "<id>"`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkOverride {
    pub from: String,
    pub to: String,
    #[serde(default = "default_link_kind")]
    pub kind: String,
}

fn default_link_kind() -> String {
    "consumes".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    repos: Vec<RepoConfig>,
    #[serde(default)]
    server: ServerConfig,
    #[serde(default)]
    policy: RawPolicy,
    #[serde(default)]
    links: Vec<LinkOverride>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    rules: Vec<PolicyRuleConfig>,
}

impl Config {
    /// Reads a `brain.toml`. Repo paths are resolved relative to its directory.
    pub fn load(path: &Path) -> Result<Config, IngestError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| IngestError::ConfigRead { path: path.into(), source })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let base = if base.as_os_str().is_empty() { PathBuf::from(".") } else { base };
        Self::parse(&text, path, &base)
    }

    /// Parses config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path, base_dir: &Path) -> Result<Config, IngestError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| IngestError::Config { path: path.into(), message: e.to_string() })?;
        let mut seen = std::collections::HashSet::new();
        for r in &raw.repos {
            if r.name.trim().is_empty() || r.name.contains(':') || r.name.contains('#') {
                return Err(IngestError::Config {
                    path: path.into(),
                    message: format!("repo name '{}' must be non-empty and contain no ':' or '#'", r.name),
                });
            }
            if !seen.insert(r.name.clone()) {
                return Err(IngestError::Config {
                    path: path.into(),
                    message: format!("repo '{}' is listed twice", r.name),
                });
            }
            for g in r.include.iter().chain(&r.exclude) {
                if let Some(why) = glob_problem(g) {
                    return Err(IngestError::Config {
                        path: path.into(),
                        message: format!("repo '{}': glob '{g}' {why}", r.name),
                    });
                }
            }
        }
        let repos = raw.repos.into_iter().map(|mut r| {
            if r.path.is_relative() {
                r.path = base_dir.join(&r.path);
            }
            for g in r.include.iter_mut().chain(r.exclude.iter_mut()) {
                while let Some(rest) = g.strip_prefix("./") {
                    *g = rest.to_string();
                }
            }
            r
        });
        Ok(Config {
            file: Some(path.to_path_buf()),
            base_dir: base_dir.to_path_buf(),
            repos: repos.collect(),
            server: raw.server,
            policy: raw.policy.rules,
            links: raw.links,
        })
    }

    /// A config for a single directory, named after it (`brain ingest PATH`).
    pub fn for_dir(dir: &Path) -> Config {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let name = canonical.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "repo".into());
        Config {
            file: None,
            base_dir: dir.to_path_buf(),
            repos: vec![RepoConfig { name, path: dir.to_path_buf(), include: vec![], exclude: vec![] }],
            ..Config::default()
        }
    }
}

/// Why an include/exclude glob can never match a repo-relative path.
fn glob_problem(glob: &str) -> Option<&'static str> {
    if glob.starts_with('/') || glob.starts_with('\\') {
        return Some("is absolute; globs are relative to the repo root (drop the leading '/')");
    }
    if glob.split(['/', '\\']).any(|s| s == "..") {
        return Some("has a '..' segment; globs are relative to the repo root and cannot leave it");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repos_relative_to_the_file() {
        let c = Config::parse(
            "[[repos]]\nname = \"acme/orders\"\npath = \"orders\"\n[[policy.rules]]\npaths=[\"**/*.md\"]\nlevel=\"auto\"\n",
            Path::new("x/brain.toml"),
            Path::new("x"),
        )
        .expect("parse");
        assert_eq!(c.repos[0].path, Path::new("x/orders"));
        assert_eq!(c.policy[0].level, "auto");
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let e = Config::parse("[[repos]]\nname = \"a\"\n", Path::new("brain.toml"), Path::new("."))
            .expect_err("missing path");
        assert!(e.to_string().contains("brain.toml") && e.to_string().contains("path"), "{e}");
        let e = Config::parse(
            "[[repos]]\nname=\"a\"\npath=\"a\"\n[[repos]]\nname=\"a\"\npath=\"b\"\n",
            Path::new("b.toml"),
            Path::new("."),
        )
        .expect_err("dup");
        assert!(e.to_string().contains("twice"), "{e}");
    }

    #[test]
    fn globs_that_leave_the_repo_are_refused_and_dot_slash_is_dropped() {
        for g in ["../secrets/**", "/etc/**", "src/../../x/*", "a\\\\..\\\\b"] {
            let text = format!("[[repos]]\nname = \"a\"\npath = \"a\"\ninclude = [\"{g}\"]\n");
            let e = Config::parse(&text, Path::new("brain.toml"), Path::new(".")).expect_err(g);
            let msg = e.to_string();
            assert!(
                msg.contains("brain.toml") && msg.contains("repo 'a'") && msg.contains("relative to the repo root"),
                "{msg}"
            );
        }
        let c = Config::parse(
            "[[repos]]\nname = \"a\"\npath = \"../elsewhere/a\"\nexclude = [\"./vendor/**\"]\n",
            Path::new("x/brain.toml"),
            Path::new("x"),
        )
        .expect("parse");
        assert_eq!(c.repos[0].exclude, vec!["vendor/**".to_string()]);
        // The repo path itself is the operator's choice and may be anywhere.
        assert_eq!(c.repos[0].path, Path::new("x/../elsewhere/a"));
    }
}
