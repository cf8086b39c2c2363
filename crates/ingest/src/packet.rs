//! The context packet as every door (GraphQL, MCP, CLI, the retrieval
//! harness) asks for it, so the same task gets the same packet everywhere:
//! the intent searched for entity seeds and for files within the scope's
//! repos, past changes that resemble it, span text from the store, then
//! [`brain_query::context_packet_with`].

use crate::Brain;
use brain_graph::Graph;
use brain_model::text::IntentTerms;
use brain_model::NodeId;
use brain_query::{ContextPacket, FileSearchHit, NameIndex, PacketRequest, PacketSources, PastChange, SpanSource};
use brain_store::{FileQuery, SearchQuery};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Entity search hits fed to a packet as seeds.
pub const PACKET_SEARCH_HITS: usize = 40;
/// Files the lexical retriever ranks for a packet.
pub const PACKET_FILE_HITS: usize = 100;
/// Past changes that vote for files in a packet.
pub const PACKET_PAST_CHANGES: usize = 30;
/// Most lines of one span a packet shows.
const MAX_SPAN_LINES: usize = 60;

/// File texts read for one packet, by (repo, path); `None`: not a text file.
type ContentCache = HashMap<(String, String), Option<Arc<str>>>;

/// Span text from the store, each file read once per packet.
pub struct StoreSpans<'a> {
    brain: &'a Brain,
    cache: RefCell<ContentCache>,
}

impl<'a> StoreSpans<'a> {
    pub fn new(brain: &'a Brain) -> Self {
        StoreSpans { brain, cache: RefCell::new(HashMap::new()) }
    }
}

impl SpanSource for StoreSpans<'_> {
    fn lines(&self, repo: &str, path: &str, start: u32, end: u32) -> Option<String> {
        let key = (repo.to_string(), path.to_string());
        let text = {
            let mut cache = self.cache.borrow_mut();
            cache.entry(key).or_insert_with(|| self.brain.content(repo, path).ok().flatten().map(Arc::from)).clone()?
        };
        let start = start.max(1) as usize;
        let end = (end as usize).max(start);
        let lines: Vec<&str> = text.lines().skip(start - 1).take((end - start + 1).min(MAX_SPAN_LINES)).collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

impl Brain {
    /// The context packet for `req` on `graph` (a snapshot of this brain).
    /// A failing search is logged and the packet is built from what remains
    /// (names in the intent, the scope).
    pub fn context_packet(&self, graph: &Graph, names: Option<&NameIndex>, req: &PacketRequest) -> ContextPacket {
        let repos = req.scope.repos.clone();
        let query = SearchQuery {
            text: req.intent.clone(),
            kinds: Vec::new(),
            repos: repos.clone(),
            limit: PACKET_SEARCH_HITS,
        };
        let hits: Vec<brain_query::SearchHit> = match self.search(&query) {
            Ok(hits) => {
                hits.into_iter().map(|h| brain_query::SearchHit { id: NodeId::new(h.id), score: h.score }).collect()
            }
            Err(e) => {
                tracing::debug!(error = %e, "entity search for a context packet found nothing");
                Vec::new()
            }
        };
        let files = self.packet_files(&req.intent, &repos);
        let past = self.packet_past_changes(&req.intent, &repos);
        let spans = StoreSpans::new(self);
        brain_query::context_packet_with(
            graph,
            &hits,
            req,
            PacketSources { spans: Some(&spans), names, files: &files, past: &past },
        )
    }

    /// The past changes a packet fuses: commits before the indexed ones whose
    /// messages resemble the intent ([`Brain::similar_changes`]), their paths
    /// followed through later renames to the paths at the indexed commit.
    pub fn packet_past_changes(&self, intent: &str, repos: &[String]) -> Vec<PastChange> {
        let scope = (!repos.is_empty()).then_some(repos);
        match self.similar_changes(scope, intent, PACKET_PAST_CHANGES) {
            Ok(found) => {
                let mut summaries = HashMap::new();
                found
                    .into_iter()
                    .map(|c| {
                        // Paths as of that commit, followed through later renames to today's.
                        let summary = summaries.entry(c.repo.clone()).or_insert_with(|| self.history_summary(&c.repo));
                        let mut files: Vec<String> = Vec::with_capacity(c.files.len());
                        for p in &c.files {
                            let now = summary.as_ref().map_or(p.as_str(), |h| h.current_path(p));
                            if !files.iter().any(|f| f == now) {
                                files.push(now.to_string());
                            }
                        }
                        PastChange { repo: c.repo, sha: c.sha, subject: c.subject, score: c.score, files }
                    })
                    .collect()
            }
            Err(e) => {
                tracing::debug!(error = %e, "no similar past changes for a context packet");
                Vec::new()
            }
        }
    }

    /// The lexical file ranking a packet fuses ([`brain_store::SearchIndex::search_files`]).
    pub fn packet_files(&self, intent: &str, repos: &[String]) -> Vec<FileSearchHit> {
        let terms = IntentTerms::parse(intent);
        if terms.is_empty() {
            return Vec::new();
        }
        let q = FileQuery { terms, repos: repos.to_vec(), limit: PACKET_FILE_HITS };
        match self.search_files(&q) {
            Ok(hits) => {
                hits.into_iter().map(|h| FileSearchHit { repo: h.repo, path: h.path, score: h.score }).collect()
            }
            Err(e) => {
                tracing::warn!(error = %e, "file search for a context packet failed");
                Vec::new()
            }
        }
    }
}
