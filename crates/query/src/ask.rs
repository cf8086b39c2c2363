//! Questions as every door asks them: the defaults and bounds of a blast
//! radius and how a changed file named from outside becomes a file of a repo.
//! GraphQL, MCP and the CLI all call these, so the same question gets the
//! same answer at each door (`crates/cli/tests/doors.rs` compares them).

use crate::diff::repo_relative;
use crate::impact::{FileChange, ImpactOptions};
use crate::LineRange;

/// Hops followed from a changed entity when the caller does not say.
pub const IMPACT_DEPTH: u32 = 6;
/// Most hops a caller may ask for.
pub const IMPACT_MAX_DEPTH: u32 = 8;
/// Chains whose confidence (the product along the chain) is lower are cut, when the caller does not say.
pub const IMPACT_MIN_CONFIDENCE: f32 = 0.3;
/// Impacted entities kept when the caller does not say.
pub const IMPACT_RESULTS: usize = 2000;
/// Most impacted entities a caller may ask for.
pub const IMPACT_MAX_RESULTS: usize = 10_000;

/// Blast-radius options from what a caller gave (`None`: the default), each
/// clamped to its bounds; `now` (Unix seconds) judges lesson validity.
pub fn impact_options(
    max_depth: Option<u32>,
    min_confidence: Option<f64>,
    max_results: Option<usize>,
    now: Option<u64>,
) -> ImpactOptions {
    let min_confidence = match min_confidence {
        Some(c) if c.is_finite() => c.clamp(0.0, 1.0) as f32,
        _ => IMPACT_MIN_CONFIDENCE,
    };
    ImpactOptions {
        max_depth: max_depth.unwrap_or(IMPACT_DEPTH).clamp(1, IMPACT_MAX_DEPTH),
        min_confidence,
        max_results: max_results.unwrap_or(IMPACT_RESULTS).clamp(1, IMPACT_MAX_RESULTS),
        now,
        ..ImpactOptions::default()
    }
}

/// A changed file's path as a caller wrote it, in repo-relative form: `./`
/// and `a/../` are folded; an absolute path, one that climbs out of the repo
/// with `..`, or one with a control character is refused with a message.
pub fn changed_path(path: &str) -> Result<String, String> {
    repo_relative(path.trim())
}

/// A flag question as every door asks it: a key (trimmed; empty is none) and a repository.
pub fn flag_query(key: Option<&str>, repo: Option<&str>) -> crate::flags::FlagQuery {
    let clean = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    crate::flags::FlagQuery { key: clean(key), repo: clean(repo) }
}

/// An image question as every door asks it: the images including a repo path (a file or a
/// directory; `""` or `.` is the whole repository) and the services built from it. The path is
/// checked like a changed path.
pub fn images_for_path(
    graph: &brain_graph::Graph,
    repo: &str,
    path: &str,
) -> Result<(String, Vec<crate::images::ImageInclusion>, Vec<crate::images::ServiceBuild>), String> {
    let t = path.trim().trim_end_matches('/');
    let p = if t.is_empty() || t == "." { String::new() } else { changed_path(t)? };
    let including = crate::images::images_including(graph, repo, &p);
    let services = crate::images::services_built_from(graph, repo, &p);
    Ok((p, including, services))
}

/// A changed file as the CLI and MCP take it: `path`, `path:12` or
/// `path:12-30` (lines are 1-based; an end before the start is the start),
/// the path checked by [`changed_path`].
pub fn file_change(repo: &str, spec: &str) -> Result<FileChange, String> {
    let spec = spec.trim();
    let (path, ranges) = match spec.rsplit_once(':') {
        Some((p, r)) if !r.is_empty() && r.chars().all(|c| c.is_ascii_digit() || c == '-') => {
            let (a, b) = r.split_once('-').unwrap_or((r, r));
            let bad = || format!("bad line range '{r}' in '{spec}': use PATH:LINE or PATH:FIRST-LAST (1-based)");
            let start: u32 = a.parse().map_err(|_| bad())?;
            let end: u32 = b.parse().map_err(|_| bad())?;
            if start == 0 {
                return Err(bad());
            }
            (p, vec![LineRange { start, end: end.max(start) }])
        }
        _ => (spec, Vec::new()),
    };
    Ok(FileChange { repo: repo.to_string(), path: changed_path(path)?, ranges })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        let o = impact_options(None, None, None, None);
        assert_eq!((o.max_depth, o.min_confidence, o.max_results), (6, 0.3, 2000));
        let o = impact_options(Some(99), Some(7.0), Some(0), Some(5));
        assert_eq!((o.max_depth, o.min_confidence, o.max_results, o.now), (8, 1.0, 1, Some(5)));
        assert_eq!(impact_options(None, Some(f64::NAN), None, None).min_confidence, 0.3);
    }

    #[test]
    fn changed_files_are_normalised_or_refused() {
        let f = file_change("r", "./src/a.rs:12-30").expect("ok");
        assert_eq!((f.path.as_str(), f.ranges.as_slice()), ("src/a.rs", &[LineRange { start: 12, end: 30 }][..]));
        assert_eq!(file_change("r", "src/a.rs:7").expect("ok").ranges, vec![LineRange { start: 7, end: 7 }]);
        assert!(file_change("r", "src/a.rs").expect("ok").ranges.is_empty());
        assert!(file_change("r", "../etc/passwd").expect_err("refused").contains("leaves the repository"));
        assert!(file_change("r", "/etc/passwd").expect_err("refused").contains("absolute"));
        assert!(file_change("r", "src/a.rs:0-3").expect_err("refused").contains("bad line range"));
        assert!(file_change("r", "src/a.rs:3-").expect_err("refused").contains("bad line range"));
    }
}
