//! `brain.toml`: the repositories to ingest, review policy, server settings.
//!
//! ```toml
//! [[repos]]
//! name = "acme/orders"     # how the repo is named in ids
//! path = "orders"          # relative to this file
//! include = ["src/**"]     # optional globs; default everything
//! exclude = ["**/vendor/**"]
//!
//! history = true         # read its git history (default; see [history])
//! decisions = ["design/records"]         # folders (or globs) holding decision records
//! exclude_decisions = ["design/records/drafts"]
//! incidents = ["ops/reviews"]            # folders (or globs) holding incident reports
//! exclude_incidents = []                 # (records are found by content anywhere;
//!                                        #  see crate::records)
//!
//! [history]                # git history as a source (defaults shown)
//! enabled = true
//! max_commits = 20000      # newest commits kept per repo
//! max_files_per_commit = 100  # bigger commits count for churn, not co-change
//!
//! [server]
//! addr = "127.0.0.1:7777"
//! allowed_hosts = ["brain.internal"]  # Host names besides loopback and addr
//! cors_origins = []        # web pages that may call the API
//! # header_timeout_secs = 10, body_timeout_secs = 30, max_connections = 512,
//! # max_mcp_sessions = 100, mcp_session_idle_secs = 300
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

use crate::records::{PathRule, RecordPaths, RepoRecordPaths};
use crate::IngestError;
use serde::Deserialize;
use std::collections::BTreeMap;
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
    /// Git history as a source: `[history]`, and `history` / `history_max_commits` on a repo.
    pub history: HistoryConfig,
    /// Where each repo keeps decisions and incident reports (`decisions`, `exclude_decisions`,
    /// `incidents`, `exclude_incidents` on a repo; see [`crate::records`]).
    pub records: RecordPaths,
}

/// How repositories' git history is read (`[history]` in brain.toml; a repo
/// may override it with `history = false` or `history_max_commits = N`).
/// History is read for a repo whose root is the top of a git work tree, up
/// to its `HEAD` (see `Brain::ingest_history` for other trees).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryConfig {
    pub enabled: bool,
    /// Newest commits kept per repository.
    pub max_commits: usize,
    /// Commits changing more files are kept (message, churn) but give no co-change pairs.
    pub max_files_per_commit: u32,
    /// Per-repository overrides, by repository name (from `[[repos]]`).
    #[serde(skip)]
    pub repos: BTreeMap<String, RepoHistoryOverride>,
}

/// A repository's own history settings (`[[repos]] history = false`, `history_max_commits = 5000`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepoHistoryOverride {
    pub enabled: Option<bool>,
    pub max_commits: Option<usize>,
}

/// What history reading a repository gets: `None` when it is off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistorySettings {
    pub max_commits: usize,
    pub max_files_per_commit: u32,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig { enabled: true, max_commits: 20_000, max_files_per_commit: 100, repos: BTreeMap::new() }
    }
}

impl HistoryConfig {
    /// The settings for `repo`, or `None` when its history is not read.
    pub fn for_repo(&self, repo: &str) -> Option<HistorySettings> {
        let o = self.repos.get(repo).cloned().unwrap_or_default();
        if !o.enabled.unwrap_or(self.enabled) {
            return None;
        }
        Some(HistorySettings {
            max_commits: o.max_commits.unwrap_or(self.max_commits).max(1),
            max_files_per_commit: self.max_files_per_commit.max(2),
        })
    }
}

impl Default for HistorySettings {
    fn default() -> Self {
        let c = HistoryConfig::default();
        HistorySettings { max_commits: c.max_commits, max_files_per_commit: c.max_files_per_commit }
    }
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
    /// Names clients use for the server (`brain.internal`, `brain.internal:8443`)
    /// besides the loopback names and the bound address; other `Host`s are
    /// refused (DNS rebinding). `--allow-host` and `BRAIN_ALLOWED_HOSTS` add to them.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// Web origins whose pages may call the API (CORS), e.g. `https://portal.example`.
    #[serde(default)]
    pub cors_origins: Vec<String>,
    /// Seconds a client has to send a request head (also the idle limit of a
    /// kept-alive connection); default 10.
    pub header_timeout_secs: Option<u64>,
    /// Seconds a client has to send a request body; default 30.
    pub body_timeout_secs: Option<u64>,
    /// Connections served at once; default 512.
    pub max_connections: Option<usize>,
    /// MCP sessions held at once; default 100.
    pub max_mcp_sessions: Option<usize>,
    /// Seconds after which an MCP session without requests is closed; default 300.
    pub mcp_session_idle_secs: Option<u64>,
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

/// A `[[repos]]` entry: a [`RepoConfig`] and its history overrides.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepo {
    name: String,
    path: PathBuf,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    history: Option<bool>,
    #[serde(default)]
    history_max_commits: Option<usize>,
    #[serde(default)]
    decisions: Vec<String>,
    #[serde(default)]
    exclude_decisions: Vec<String>,
    #[serde(default)]
    incidents: Vec<String>,
    #[serde(default)]
    exclude_incidents: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    repos: Vec<RawRepo>,
    #[serde(default)]
    history: HistoryConfig,
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
        let mut history = raw.history;
        let raw_repos = raw.repos;
        let mut repos_in = Vec::with_capacity(raw_repos.len());
        let mut records = RecordPaths::default();
        for r in raw_repos {
            let rules = |key: &str, v: &[String]| -> Result<Vec<PathRule>, IngestError> {
                v.iter()
                    .map(|e| {
                        PathRule::parse(e).map_err(|why| IngestError::Config {
                            path: path.into(),
                            message: format!("repo '{}': {key} entry '{e}' {why}", r.name),
                        })
                    })
                    .collect()
            };
            let paths = RepoRecordPaths {
                decisions: rules("decisions", &r.decisions)?,
                exclude_decisions: rules("exclude_decisions", &r.exclude_decisions)?,
                incidents: rules("incidents", &r.incidents)?,
                exclude_incidents: rules("exclude_incidents", &r.exclude_incidents)?,
            };
            if !paths.is_empty() {
                records.repos.insert(r.name.clone(), paths);
            }
            if r.history.is_some() || r.history_max_commits.is_some() {
                let o = RepoHistoryOverride { enabled: r.history, max_commits: r.history_max_commits };
                history.repos.insert(r.name.clone(), o);
            }
            repos_in.push(RepoConfig { name: r.name, path: r.path, include: r.include, exclude: r.exclude });
        }
        let repos: Vec<RepoConfig> = repos_in
            .into_iter()
            .map(|mut r| {
                if r.path.is_relative() {
                    r.path = base_dir.join(&r.path);
                }
                for g in r.include.iter_mut().chain(r.exclude.iter_mut()) {
                    while let Some(rest) = g.strip_prefix("./") {
                        *g = rest.to_string();
                    }
                }
                r
            })
            .collect();
        for r in &repos {
            if let Some(why) = system_root_problem(&r.path) {
                return Err(IngestError::Config { path: path.into(), message: format!("repo '{}': {why}", r.name) });
            }
        }
        for (key, token) in [("read_token", &raw.server.read_token), ("write_token", &raw.server.write_token)] {
            if token.as_deref().is_some_and(|t| t.trim().is_empty()) {
                return Err(IngestError::Config {
                    path: path.into(),
                    message: format!("[server] {key} is empty: an empty token would let anyone in; set a long random token or remove the key"),
                });
            }
        }
        Ok(Config {
            file: Some(path.to_path_buf()),
            base_dir: base_dir.to_path_buf(),
            repos,
            server: raw.server,
            policy: raw.policy.rules,
            links: raw.links,
            history,
            records,
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

/// Directories that are never a repository: the filesystem root and the
/// system's own trees (a walk of `/` reads `/etc`, and `/proc` has no end).
const SYSTEM_ROOTS: &[&str] =
    &["/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/run", "/sbin", "/sys", "/usr", "/var"];

/// Trees no repository lies in, at any depth.
const SYSTEM_TREES: &[&str] = &["/dev", "/proc", "/sys"];

/// Why `path` cannot be a repository root: it is (or resolves to) the
/// filesystem root, a system directory, or lies in `/proc`, `/sys` or `/dev`.
pub fn system_root_problem(path: &Path) -> Option<String> {
    let absolute = if path.is_relative() {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    let mut candidates = vec![lexical(&absolute)];
    if let Ok(c) = path.canonicalize() {
        candidates.push(c);
    }
    for p in candidates {
        if p.parent().is_none() && p.has_root() {
            return Some(format!("path '{}' is the filesystem root; point it at a repository", path.display()));
        }
        if SYSTEM_ROOTS.iter().any(|r| p == Path::new(r)) || SYSTEM_TREES.iter().any(|t| p.starts_with(t)) {
            return Some(format!(
                "path '{}' is a system directory ({}), not a repository",
                path.display(),
                p.display()
            ));
        }
    }
    None
}

/// `path` with `.` and `..` segments resolved without touching the disk.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                // `..` of the root is the root.
                if !out.pop() && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
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
    fn system_roots_and_empty_tokens_are_refused() {
        let parse = |repo_path: &str, server: &str| {
            let text = format!("[[repos]]\nname = \"a\"\npath = \"{repo_path}\"\n{server}");
            Config::parse(&text, Path::new("x/brain.toml"), Path::new("x"))
        };
        for bad in ["/", "/etc", "/proc/self/root", "/sys/kernel", "/usr/../", "../../../../../../../../.."] {
            let err = parse(bad, "").expect_err(bad).to_string();
            assert!(err.contains("repo 'a'") && (err.contains("root") || err.contains("system")), "{bad}: {err}");
        }
        assert!(parse("orders", "").is_ok());
        assert!(parse("/srv/git/orders", "").is_ok(), "a repo under a system-looking prefix is fine");
        for server in ["[server]\nwrite_token = \"\"\n", "[server]\nread_token = \"  \"\n"] {
            let err = parse("orders", server).expect_err(server).to_string();
            assert!(err.contains("is empty"), "{err}");
        }
        assert!(parse("orders", "[server]\nwrite_token = \"s3cret\"\nmax_connections = 64\n").is_ok());
    }

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
    fn history_settings_default_on_and_repos_override_them() {
        let c = Config::parse("[[repos]]\nname = \"a\"\npath = \"a\"\n", Path::new("b.toml"), Path::new("."))
            .expect("parse");
        assert_eq!(c.history.for_repo("a"), Some(HistorySettings::default()));
        let text = "[history]\nmax_commits = 500\nmax_files_per_commit = 50\n\
                    [[repos]]\nname = \"a\"\npath = \"a\"\nhistory = false\n\
                    [[repos]]\nname = \"b\"\npath = \"b\"\nhistory_max_commits = 7\n\
                    [[repos]]\nname = \"c\"\npath = \"c\"\n";
        let c = Config::parse(text, Path::new("b.toml"), Path::new(".")).expect("parse");
        assert_eq!(c.history.for_repo("a"), None);
        assert_eq!(c.history.for_repo("b"), Some(HistorySettings { max_commits: 7, max_files_per_commit: 50 }));
        assert_eq!(c.history.for_repo("c"), Some(HistorySettings { max_commits: 500, max_files_per_commit: 50 }));
        let off = Config::parse(
            "[history]\nenabled = false\n[[repos]]\nname = \"a\"\npath = \"a\"\nhistory = true\n",
            Path::new("b.toml"),
            Path::new("."),
        )
        .expect("parse");
        assert!(off.history.for_repo("a").is_some() && off.history.for_repo("z").is_none());
        let e = Config::parse("[history]\nmax_comits = 5\n", Path::new("b.toml"), Path::new(".")).expect_err("typo");
        assert!(e.to_string().contains("max_comits"), "{e}");
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
