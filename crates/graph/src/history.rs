//! Git history into the graph: [`summarize`] derives a repository's
//! [`RepoHistory`] (per-file churn, authors and co-change partners) from its
//! commits, and the builder ([`apply`], run in every full build after
//! reference resolution) turns it into file attributes and `changed_with`
//! edges between the files of the graph.
//!
//! Co-change: two files are partners when at least
//! [`HistoryParams::min_support`] commits changed both (commits changing more
//! than [`HistoryParams::max_cochange_files`] files are not counted). The
//! edge `a --changed_with--> b` carries `support` (commits changing both),
//! `commits` (counted commits changing `a`) and `confidence` (`support /
//! commits`, also its provenance confidence); each file keeps its
//! [`HistoryParams::top_k`] partners with the highest support, so the
//! relation is not symmetric. Renames are followed (a file's history
//! includes the commits of its old paths), a path reused by a new file
//! starts a new history, and only files alive at the indexed commit appear.
//!
//! A patch ([`crate::Graph::patch`]) does not run this step: like the link
//! passes, history facts of a patched snapshot are the base's until the
//! next full build (the background relink).

use crate::link::LinkContext;
use brain_model::history::{iso_date, ChangeStatus, Commit, FileHistory, HistoryParams, RepoHistory};
use brain_model::{attr, Edge, EdgeKind, NodeId, NodeKind, Origin, Provenance, Str};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Bump when [`summarize`] derives something else from the same commits:
/// stored summaries of another revision are derived again from the stored commits.
pub const SUMMARY_REVISION: u32 = 1;

/// The ingestor name on history facts.
pub const INGESTOR: &str = "history";

/// Derives a repository's [`RepoHistory`] from its commits, newest first
/// (`git log` order); `head` and `head_time` name the indexed commit.
pub fn summarize<'a>(
    commits: impl IntoIterator<Item = &'a Commit>,
    head: &str,
    head_time: i64,
    params: &HistoryParams,
) -> RepoHistory {
    let recent_from = head_time.saturating_sub(i64::from(params.recent_days) * 86_400);
    let mut names: Vec<String> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    // Per id: alive at the indexed commit (decided by its newest change).
    let mut alive: Vec<bool> = Vec::new();
    let mut stats: Vec<FileHistory> = Vec::new();
    // A past path -> the file it was (Some) or a file that no longer has that path (None).
    let mut past: HashMap<String, Option<u32>> = HashMap::new();
    let mut renames: BTreeMap<String, u32> = BTreeMap::new();
    let mut authors: Vec<String> = Vec::new();
    let mut author_ids: HashMap<String, u32> = HashMap::new();
    let mut by_author: Vec<(u32, u32)> = Vec::new();
    let mut pairs: HashMap<u64, u32> = HashMap::new();
    let mut total = 0u32;
    let mut touched: Vec<u32> = Vec::new();
    let mut later: Vec<(String, Option<u32>)> = Vec::new();
    for c in commits {
        total = total.saturating_add(1);
        touched.clear();
        later.clear();
        for f in &c.files {
            let id = match past.get(f.path.as_str()) {
                Some(Some(id)) => *id,
                Some(None) => continue, // an older file that had this path
                None => match ids.get(f.path.as_str()) {
                    Some(id) => *id,
                    None => {
                        let id = u32::try_from(names.len()).unwrap_or(u32::MAX);
                        ids.insert(f.path.clone(), id);
                        names.push(f.path.clone());
                        alive.push(f.status != ChangeStatus::Deleted);
                        stats.push(FileHistory::default());
                        id
                    }
                },
            };
            match f.status {
                // Older commits naming this path are about another file.
                ChangeStatus::Added | ChangeStatus::Copied => later.push((f.path.clone(), None)),
                ChangeStatus::Renamed => {
                    later.push((f.path.clone(), None));
                    if let Some(from) = &f.from {
                        later.push((from.clone(), Some(id)));
                        if alive.get(id as usize).copied().unwrap_or(false) {
                            renames.entry(from.clone()).or_insert(id);
                        }
                    }
                }
                _ => {}
            }
            if alive.get(id as usize).copied().unwrap_or(false) {
                touched.push(id);
            }
        }
        // Within one commit, a rename and a new file at the old path are both about this commit.
        for (path, to) in later.drain(..) {
            past.insert(path, to);
        }
        touched.sort_unstable();
        touched.dedup();
        if touched.is_empty() {
            continue;
        }
        let author = match author_ids.get(c.author.as_str()) {
            Some(a) => *a,
            None => {
                let a = u32::try_from(authors.len()).unwrap_or(u32::MAX);
                author_ids.insert(c.author.clone(), a);
                authors.push(c.author.clone());
                a
            }
        };
        let counted = c.files_total as usize <= params.max_cochange_files as usize;
        for &id in &touched {
            let s = &mut stats[id as usize];
            s.commits += 1;
            if c.time >= recent_from {
                s.recent += 1;
            }
            if s.commits == 1 || c.time > s.last_time {
                s.last_time = c.time;
            }
            if counted {
                s.counted += 1;
            }
            by_author.push((id, author));
        }
        if counted {
            for (k, &a) in touched.iter().enumerate() {
                for &b in &touched[k + 1..] {
                    *pairs.entry((u64::from(a) << 32) | u64::from(b)).or_insert(0) += 1;
                }
            }
        }
    }

    // Files alive at the indexed commit, sorted by path; old ids -> new positions.
    let mut order: Vec<u32> =
        (0..names.len()).filter(|&i| alive[i] && stats[i].commits > 0).map(|i| i as u32).collect();
    order.sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
    let mut pos: Vec<u32> = vec![u32::MAX; names.len()];
    for (p, &id) in order.iter().enumerate() {
        pos[id as usize] = p as u32;
    }

    // Authors: run-length counts of (file, author), most commits first, then by name.
    by_author.sort_unstable();
    let mut file_authors: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    let mut k = 0;
    while k < by_author.len() {
        let (f, a) = by_author[k];
        let mut n = 0u32;
        while k < by_author.len() && by_author[k] == (f, a) {
            n += 1;
            k += 1;
        }
        file_authors.entry(f).or_default().push((a, n));
    }

    // Partners: support at least min_support, top_k per file by support, then path.
    let mut partners: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    for (key, support) in pairs {
        if support < params.min_support.max(1) {
            continue;
        }
        let (a, b) = ((key >> 32) as u32, (key & 0xffff_ffff) as u32);
        partners.entry(a).or_default().push((b, support));
        partners.entry(b).or_default().push((a, support));
    }

    let mut files = Vec::with_capacity(order.len());
    for &id in &order {
        let mut s = std::mem::take(&mut stats[id as usize]);
        s.path = names[id as usize].clone();
        let mut au = file_authors.remove(&id).unwrap_or_default();
        au.sort_unstable_by(|x, y| y.1.cmp(&x.1).then_with(|| authors[x.0 as usize].cmp(&authors[y.0 as usize])));
        au.truncate(params.top_authors as usize);
        s.authors = au.into_iter().map(|(a, n)| (authors[a as usize].clone(), n)).collect();
        let mut ps: Vec<(u32, u32)> = partners
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(other, n)| Some((*pos.get(other as usize).filter(|p| **p != u32::MAX)?, n)))
            .collect();
        ps.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        ps.truncate(params.top_k as usize);
        s.partners = ps;
        files.push(s);
    }
    let renames = renames
        .into_iter()
        .filter(|(_, id)| pos.get(*id as usize).is_some_and(|p| *p != u32::MAX))
        .map(|(old, id)| (old, names[id as usize].clone()))
        .collect();
    RepoHistory { head: head.to_string(), head_time, commits: total, files, renames, params: params.clone() }
}

/// `Name (12), Other Name (3)`.
pub fn authors_attr(authors: &[(String, u32)]) -> String {
    authors.iter().map(|(a, n)| format!("{a} ({n})")).collect::<Vec<_>>().join(", ")
}

/// Adds `repo`'s history to the graph under construction: churn, last change
/// and top authors on its File nodes, `changed_with` edges between them.
/// Files of the history that are not in the graph (excluded, ignored) are skipped.
pub(crate) fn apply(ctx: &mut LinkContext, repo: &str, history: &RepoHistory) {
    let ingestor = Str::from(INGESTOR);
    // Interned ids and provenance strings of the repo's file nodes, by position in `history.files`.
    let mut present: Vec<Option<(NodeId, Str, Str)>> = Vec::with_capacity(history.files.len());
    for f in &history.files {
        let id = NodeId::file(repo, &f.path);
        let node = ctx.node(&id).filter(|n| n.kind == NodeKind::File);
        present.push(node.map(|n| (n.id.clone(), n.prov.repo.clone(), n.prov.path.clone())));
    }
    for (f, here) in history.files.iter().zip(&present) {
        let Some((id, repo_str, path_str)) = here else { continue };
        if let Some(node) = ctx.node_mut(id) {
            node.attrs.insert(attr::CHURN_COMMITS, f.commits.to_string());
            node.attrs.insert(attr::CHURN_RECENT, f.recent.to_string());
            node.attrs.insert(attr::LAST_CHANGED, iso_date(f.last_time));
            if !f.authors.is_empty() {
                node.attrs.insert(attr::TOP_AUTHORS, authors_attr(&f.authors));
            }
        }
        for &(other, support) in &f.partners {
            let Some(Some((to, _, _))) = present.get(other as usize) else { continue };
            let confidence = if f.counted > 0 { support as f32 / f.counted as f32 } else { 0.0 };
            let prov = Provenance {
                repo: repo_str.clone(),
                path: path_str.clone(),
                span: None,
                ingestor: ingestor.clone(),
                origin: Origin::inferred(confidence),
            };
            let mut e = Edge::new(id.clone(), EdgeKind::ChangedWith, to.clone(), prov);
            e.attrs.insert(attr::SUPPORT, support.to_string());
            e.attrs.insert(attr::COMMITS, f.counted.to_string());
            e.attrs.insert(attr::CONFIDENCE, format!("{confidence:.2}"));
            ctx.edges.push(Arc::new(e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_model::history::FileChange;

    fn commit(sha: &str, time: i64, author: &str, files: &[(char, &str, Option<&str>)]) -> Commit {
        Commit {
            sha: sha.into(),
            parents: 1,
            author: author.into(),
            email: format!("{author}@example.com"),
            time,
            message: format!("commit {sha}"),
            files: files
                .iter()
                .map(|(s, p, from)| FileChange {
                    status: ChangeStatus::from_letter(*s).expect("status"),
                    path: (*p).into(),
                    from: from.map(Into::into),
                })
                .collect(),
            files_total: files.len() as u32,
        }
    }

    fn partners(h: &RepoHistory, path: &str) -> Vec<(String, u32)> {
        h.file(path)
            .map(|f| f.partners.iter().map(|(i, n)| (h.files[*i as usize].path.clone(), *n)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn co_change_support_churn_and_authors() {
        const DAY: i64 = 86_400;
        let head = 1_000 * DAY;
        // Newest first.
        let log = vec![
            commit("5", head, "ann", &[('M', "a.rs", None), ('M', "b.rs", None)]),
            commit("4", head - 10 * DAY, "bob", &[('M', "a.rs", None), ('M', "b.rs", None), ('M', "c.rs", None)]),
            commit("3", head - 200 * DAY, "ann", &[('M', "a.rs", None)]),
            commit("2", head - 300 * DAY, "ann", &[('M', "a.rs", None), ('A', "c.rs", None)]),
            commit("1", head - 400 * DAY, "bob", &[('A', "a.rs", None), ('A', "b.rs", None)]),
        ];
        let h = summarize(&log, "5", head, &HistoryParams::default());
        assert_eq!(h.commits, 5);
        let a = h.file("a.rs").expect("a");
        assert_eq!((a.commits, a.recent, a.counted, a.last_time), (5, 2, 5, head));
        assert_eq!(a.authors, vec![("ann".to_string(), 3), ("bob".to_string(), 2)]);
        assert_eq!(partners(&h, "a.rs"), vec![("b.rs".to_string(), 3), ("c.rs".to_string(), 2)]);
        assert_eq!(partners(&h, "b.rs"), vec![("a.rs".to_string(), 3)], "b and c share one commit: below min support");
        assert_eq!(h.file("c.rs").map(|f| f.counted), Some(2));
    }

    #[test]
    fn renames_are_followed_deleted_files_dropped_and_reused_paths_start_over() {
        let log = vec![
            // new.rs was old.rs; gone.rs is deleted; reused.rs is a new file at a path an older file had.
            commit("6", 60, "a", &[('M', "new.rs", None), ('M', "x.rs", None)]),
            commit("5", 50, "a", &[('A', "reused.rs", None)]),
            commit("4", 40, "a", &[('R', "new.rs", Some("old.rs")), ('D', "gone.rs", None), ('D', "reused.rs", None)]),
            commit("3", 30, "a", &[('M', "old.rs", None), ('M', "x.rs", None), ('M', "reused.rs", None)]),
            commit("2", 20, "a", &[('M', "old.rs", None), ('M', "x.rs", None), ('M', "gone.rs", None)]),
            commit("1", 10, "a", &[('A', "old.rs", None), ('A', "x.rs", None), ('A', "gone.rs", None)]),
        ];
        let h = summarize(&log, "6", 60, &HistoryParams::default());
        let paths: Vec<&str> = h.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["new.rs", "reused.rs", "x.rs"]);
        assert_eq!(h.file("new.rs").map(|f| f.commits), Some(5), "its commits under the old name count");
        assert_eq!(h.file("reused.rs").map(|f| f.commits), Some(1), "the older file at that path is another file");
        assert_eq!(partners(&h, "new.rs"), vec![("x.rs".to_string(), 4)]);
        assert_eq!(h.current_path("old.rs"), "new.rs");
    }

    #[test]
    fn huge_commits_count_for_churn_not_for_co_change() {
        let params = HistoryParams { max_cochange_files: 2, ..HistoryParams::default() };
        let log = vec![
            commit("3", 3, "a", &[('M', "a", None), ('M', "b", None), ('M', "c", None)]),
            commit("2", 2, "a", &[('M', "a", None), ('M', "b", None), ('M', "c", None)]),
            commit("1", 1, "a", &[('A', "a", None), ('A', "b", None)]),
        ];
        let h = summarize(&log, "3", 3, &params);
        let a = h.file("a").expect("a");
        assert_eq!((a.commits, a.counted), (3, 1));
        assert!(a.partners.is_empty(), "one counted commit is below min support");
    }
}
