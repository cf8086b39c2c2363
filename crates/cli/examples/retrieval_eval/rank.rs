//! The rankings compared: each turns an intent into a ranked list of file paths.
//!
//! - **packet**: the context packet exactly as the MCP `context_packet` tool
//!   builds it (`brain_mcp::tool_packet`: the intent searched for 40 seeds, the
//!   repository as scope, a name index, span text), asked with the corpus's
//!   `budget_tokens`; its ranked `files` ([`packet_files`]).
//! - **lexical**: the packet's lexical part alone ([`lexical`]).
//! - **bm25**: plain BM25 over whole files ([`Bm25Files`]): a tantivy index with
//!   one document per file (path + content, tantivy's default tokenizer, no
//!   stemming) over exactly the files the brain holds as text; every word of
//!   the intent is a should-clause on path and content.
//! - **cochange**: history only, no file content ([`CommitIndex`],
//!   [`cochange_files`]). The messages of all first-parent commits before the
//!   evaluated one (merges included) are indexed with the same BM25; the
//!   [`SIMILAR_COMMITS`] most similar to the intent vote for the files they
//!   touched: score(f) = Σ bm25(c) / |files touched by c| over those commits c
//!   that touched f. Only files the brain holds as text now are ranked; ties go
//!   to the path that sorts first.

use anyhow::Result;
use brain_graph::Graph;
use brain_ingest::Brain;
use brain_model::{NodeId, NodeKind};
use brain_query as q;
use std::collections::{BTreeSet, HashMap};
use tantivy::collector::TopDocs;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, Value, STORED, STRING, TEXT};
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument, Term};

use crate::history::Commit;

/// Past commits that vote in the co-change ranking.
pub const SIMILAR_COMMITS: usize = 30;

/// Paths of the repo's File nodes that were read as text (not skipped as binary or huge).
pub fn text_files(graph: &Graph, repo: &str) -> BTreeSet<String> {
    graph
        .nodes_of_kind(NodeKind::File)
        .filter(|n| n.prov.repo == repo && n.attr("skipped").is_none())
        .map(|n| n.prov.path.to_string())
        .collect()
}

/// The packet as the MCP tool builds it for `intent` within `repo`.
pub fn packet(brain: &Brain, repo: &str, intent: &str, budget: usize) -> Result<q::ContextPacket> {
    let graph = brain.snapshot();
    let names = q::NameIndex::build(&graph);
    let params = brain_mcp::ContextPacketParams {
        intent: intent.to_string(),
        repos: Some(vec![repo.to_string()]),
        paths: None,
        ids: None,
        budget_tokens: Some(budget),
    };
    let (packet, _) = brain_mcp::tool_packet(brain, &graph, &names, params).map_err(|e| anyhow::anyhow!(e))?;
    Ok(packet)
}

/// The packet's ranked files within `repo`, best first.
pub fn packet_files(packet: &q::ContextPacket, repo: &str) -> Vec<String> {
    packet.files.iter().filter(|f| f.repo == repo).map(|f| f.path.clone()).collect()
}

/// The packet's inputs as scored file lists, for tuning their fusion:
/// its lexical retriever, its items added up per file, the brain's history
/// votes, and (for comparison) the harness's co-change votes from the
/// similar commits `hits`.
pub fn signals(
    brain: &Brain,
    packet: &q::ContextPacket,
    repo: &str,
    log: &[Commit],
    hits: &[(usize, f32)],
    files: &BTreeSet<String>,
) -> Vec<(&'static str, Vec<(String, f32)>)> {
    let lexical: Vec<(String, f32)> =
        brain.packet_files(&packet.intent, &[repo.to_string()]).into_iter().map(|h| (h.path, h.score)).collect();
    let graph: Vec<(String, f32)> = q::files::graph_file_scores(&packet.items)
        .into_iter()
        .filter(|(k, _, _)| k.0 == repo)
        .map(|(k, s, _)| (k.1, s))
        .collect();
    let past = brain.packet_past_changes(&packet.intent, &[repo.to_string()]);
    let history: Vec<(String, f32)> = q::files::history_file_scores(&past)
        .into_iter()
        .filter(|(k, _, _)| k.0 == repo && files.contains(&k.1))
        .map(|(k, s, _)| (k.1, s))
        .take(100)
        .collect();
    let cochange = cochange_scores(log, hits, files).into_iter().take(100).collect();
    let fused: Vec<(String, f32)> =
        packet.files.iter().filter(|f| f.repo == repo).map(|f| (f.path.clone(), f.score)).collect();
    let changed_with = changed_with_of(&brain.snapshot(), repo, [&lexical, &graph, &history, &fused]);
    let twins = twins_of(files, [&lexical, &graph, &history, &fused]);
    vec![
        ("lexical", lexical),
        ("graph", graph),
        ("history", history),
        ("cochange", cochange),
        ("packet", fused),
        ("changed_with", changed_with),
        ("twins", twins),
    ]
}

/// The test twins (`brain_query::companions::twin_stem`) among `files` of
/// the top 50 files of each list, as `"from\tto"`.
fn twins_of(files: &BTreeSet<String>, lists: [&Vec<(String, f32)>; 4]) -> Vec<(String, f32)> {
    let mut by_stem: HashMap<String, Vec<(&str, bool)>> = HashMap::new();
    for f in files {
        if let Some((stem, test)) = q::companions::twin_stem(f) {
            by_stem.entry(stem).or_default().push((f.as_str(), test));
        }
    }
    let from: BTreeSet<&str> = lists.iter().flat_map(|l| l.iter().take(50).map(|(p, _)| p.as_str())).collect();
    let mut out = Vec::new();
    for p in from {
        let Some((stem, test)) = q::companions::twin_stem(p) else { continue };
        for (other, other_test) in by_stem.get(&stem).into_iter().flatten() {
            if *other_test != test {
                out.push((format!("{p}\t{other}"), 1.0));
            }
        }
    }
    out
}

/// The `changed_with` edges leaving the top 50 files of each list, as
/// `"from\tto"` with the edge's confidence.
fn changed_with_of(graph: &Graph, repo: &str, lists: [&Vec<(String, f32)>; 4]) -> Vec<(String, f32)> {
    let from: BTreeSet<&str> = lists.iter().flat_map(|l| l.iter().take(50).map(|(p, _)| p.as_str())).collect();
    let mut out = Vec::new();
    for p in from {
        for e in graph.outgoing(&NodeId::file(repo, p)) {
            if e.edge.kind == brain_model::EdgeKind::ChangedWith {
                let c = e.edge.attr(brain_model::attr::CONFIDENCE).and_then(|c| c.parse().ok()).unwrap_or(0.0);
                out.push((format!("{p}\t{}", e.other.prov.path), c));
            }
        }
    }
    out
}

/// Ids of the lessons a packet shows.
pub fn packet_lessons(packet: &q::ContextPacket) -> BTreeSet<NodeId> {
    packet.items.iter().filter(|i| i.kind == NodeKind::Lesson).map(|i| i.id.clone()).collect()
}

/// The packet's lexical part alone: the files its own lexical retriever
/// ranks for `intent` within `repo`, best first.
pub fn lexical(brain: &Brain, repo: &str, intent: &str) -> Vec<String> {
    brain.packet_files(intent, &[repo.to_string()]).into_iter().map(|h| h.path).collect()
}

/// The distinct words of `text` as tantivy's default tokenizer makes them.
fn words(index: &Index, field: Field, text: &str) -> Result<BTreeSet<String>> {
    let mut analyzer = index.tokenizer_for_field(field)?;
    let mut words = BTreeSet::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        words.insert(t.text.clone());
    }
    Ok(words)
}

/// A should-query of every word of `text` on each of `fields`; `None` for no words.
fn should_query(index: &Index, fields: &[Field], text: &str) -> Result<Option<BooleanQuery>> {
    let Some(&first) = fields.first() else { return Ok(None) };
    let words = words(index, first, text)?;
    let clauses: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .flat_map(|w| fields.iter().map(move |f| (*f, w)))
        .map(|(f, w)| {
            let tq = TermQuery::new(Term::from_field_text(f, w), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(tq) as Box<dyn Query>)
        })
        .collect();
    Ok((!clauses.is_empty()).then(|| BooleanQuery::new(clauses)))
}

/// An in-memory index written by one thread without background merges, so
/// that ties come back in the same order on every run.
fn ram_index(schema: Schema) -> Result<(Index, IndexWriter, IndexReader)> {
    let index = Index::create_in_ram(schema);
    let writer: IndexWriter = index.writer_with_num_threads(1, 64 * 1024 * 1024)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let reader = index.reader()?;
    Ok((index, writer, reader))
}

/// Plain BM25 over whole files: one document per file, path + content.
pub struct Bm25Files {
    index: Index,
    reader: IndexReader,
    writer: IndexWriter,
    key: Field,
    path: Field,
    content: Field,
    /// What is indexed now: path -> content hash.
    indexed: HashMap<String, blake3::Hash>,
}

impl Bm25Files {
    /// An empty index.
    pub fn new() -> Result<Self> {
        let mut b = Schema::builder();
        let key = b.add_text_field("key", STRING | STORED);
        let path = b.add_text_field("path", TEXT);
        let content = b.add_text_field("content", TEXT);
        let (index, writer, reader) = ram_index(b.build())?;
        Ok(Bm25Files { index, reader, writer, key, path, content, indexed: HashMap::new() })
    }

    /// Makes the index hold exactly `files` with the brain's stored content.
    /// `changed`: the only paths whose content may differ from what is indexed
    /// (`None`: any may, so every file is read).
    pub fn sync(
        &mut self,
        brain: &Brain,
        repo: &str,
        files: &BTreeSet<String>,
        changed: Option<&[String]>,
    ) -> Result<()> {
        let gone: Vec<String> = self.indexed.keys().filter(|p| !files.contains(*p)).cloned().collect();
        for p in gone {
            self.writer.delete_term(Term::from_field_text(self.key, &p));
            self.indexed.remove(&p);
        }
        let to_read: Vec<&String> = match changed {
            None => files.iter().collect(),
            Some(ch) => {
                let ch: BTreeSet<&str> = ch.iter().map(String::as_str).collect();
                files.iter().filter(|p| ch.contains(String::as_str(p)) || !self.indexed.contains_key(*p)).collect()
            }
        };
        for p in to_read {
            let text = brain.content(repo, p).map_err(|e| anyhow::anyhow!("{e}"))?.unwrap_or_default();
            let hash = blake3::hash(text.as_bytes());
            if self.indexed.get(p) == Some(&hash) {
                continue;
            }
            self.writer.delete_term(Term::from_field_text(self.key, p));
            self.writer.add_document(doc!(self.key => p.as_str(), self.path => p.as_str(), self.content => text))?;
            self.indexed.insert(p.clone(), hash);
        }
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The `limit` best files for `text`.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<String>> {
        let Some(query) = should_query(&self.index, &[self.path, self.content], text)? else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut files = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(p) = d.get_first(self.key).and_then(|v| v.as_str()) {
                files.push(p.to_string());
            }
        }
        Ok(files)
    }
}

/// BM25 over the messages of past commits, one document per commit.
pub struct CommitIndex {
    index: Index,
    reader: IndexReader,
    writer: IndexWriter,
    pos: Field,
    message: Field,
}

impl CommitIndex {
    /// An empty index.
    pub fn new() -> Result<Self> {
        let mut b = Schema::builder();
        let pos = b.add_u64_field("pos", STORED);
        let message = b.add_text_field("message", TEXT);
        let (index, writer, reader) = ram_index(b.build())?;
        Ok(CommitIndex { index, reader, writer, pos, message })
    }

    /// Adds the commit at `pos` in the log.
    pub fn add(&mut self, pos: usize, message: &str) -> Result<()> {
        self.writer.add_document(doc!(self.pos => pos as u64, self.message => message))?;
        Ok(())
    }

    /// Makes what was added searchable.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Log positions of the `limit` past commits most similar to `text`, with their scores.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<(usize, f32)>> {
        let Some(query) = should_query(&self.index, &[self.message], text)? else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(p) = d.get_first(self.pos).and_then(|v| v.as_u64()) {
                out.push((p as usize, score));
            }
        }
        Ok(out)
    }
}

/// The co-change ranking (see the module docs) from the similar commits `hits`.
pub fn cochange_files(log: &[Commit], hits: &[(usize, f32)], files: &BTreeSet<String>) -> Vec<String> {
    cochange_scores(log, hits, files).into_iter().map(|(p, _)| p).collect()
}

/// [`cochange_files`] with each file's votes.
pub fn cochange_scores(log: &[Commit], hits: &[(usize, f32)], files: &BTreeSet<String>) -> Vec<(String, f32)> {
    let mut score: HashMap<&str, f64> = HashMap::new();
    for &(pos, s) in hits {
        let Some(c) = log.get(pos) else { continue };
        let n = c.files.len().max(1) as f64;
        for p in c.touched().filter(|p| files.contains(*p)) {
            *score.entry(p).or_default() += f64::from(s) / n;
        }
    }
    let mut ranked: Vec<(&str, f64)> = score.into_iter().collect();
    ranked.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(b.0)));
    ranked.into_iter().map(|(p, s)| (p.to_string(), s as f32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(msg: &str, files: &[&str]) -> Commit {
        Commit {
            sha: "s".into(),
            parent: None,
            merge: false,
            time: 0,
            message: msg.into(),
            files: files.iter().map(|p| ('M', p.to_string())).collect(),
        }
    }

    #[test]
    fn cochange_votes_for_files_of_similar_past_commits() {
        let log = vec![
            commit("retry the http client on timeout", &["client.rs", "retry.rs"]),
            commit("render the docs site", &["docs/index.md", "site.rs", "gone.rs"]),
            commit("http timeout in the pool", &["pool.rs"]),
        ];
        let mut ix = CommitIndex::new().expect("index");
        for (i, c) in log.iter().enumerate() {
            ix.add(i, &c.message).expect("add");
        }
        ix.commit().expect("commit");
        let hits = ix.search("client timeout", SIMILAR_COMMITS).expect("search");
        assert_eq!(hits.first().map(|h| h.0), Some(0));
        let files: BTreeSet<String> =
            ["client.rs", "retry.rs", "pool.rs", "docs/index.md", "site.rs"].iter().map(|s| s.to_string()).collect();
        let ranked = cochange_files(&log, &hits, &files);
        assert!(ranked.iter().all(|p| p != "gone.rs" && p != "site.rs"), "{ranked:?}");
        assert!(ranked.contains(&"pool.rs".to_string()), "{ranked:?}");
        // Equal votes: the path that sorts first wins.
        assert_eq!(ranked.iter().position(|p| p == "client.rs"), Some(0), "{ranked:?}");
    }
}
