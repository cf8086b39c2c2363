//! The full-text index over every entity (tantivy).
//!
//! Names, paths and text are tokenised by identifier words
//! ([`brain_model::text::for_each_word_span`]), so `createdAt`, `created_at`,
//! `CreatedAt` and "created at" all index and query as `created` `at`.
//! Documents are grouped by unit (a file, or an API record) so a re-ingested
//! file is one delete-by-term plus its new documents.

use crate::{Result, StoreError};
use brain_model::text::{for_each_compound, for_each_word_span, IntentTerms};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{doc, DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

const TOKENIZER: &str = "ident";
const COMPOUND_TOKENIZER: &str = "compound";
const WRITER_MEMORY: usize = 48 * 1024 * 1024;

/// One searchable entity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndexDoc {
    /// The unit the entity came from (`repo\0path` or `record\0id`).
    pub unit: String,
    pub id: String,
    pub kind: String,
    pub repo: String,
    pub path: String,
    pub name: String,
    /// Qualified name, signature, doc text, file content.
    pub body: String,
}

/// A search request.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    pub text: String,
    /// Restrict to these kinds (`NodeKind::as_str`); empty means all.
    pub kinds: Vec<String>,
    /// Restrict to these repos; empty means all.
    pub repos: Vec<String>,
    pub limit: usize,
}

/// A search for whole files, as a task or commit subject describes a change.
#[derive(Clone, Debug, Default)]
pub struct FileQuery {
    pub terms: IntentTerms,
    /// Restrict to these repos; empty means all.
    pub repos: Vec<String>,
    pub limit: usize,
}

/// A file found by [`SearchIndex::search_files`].
#[derive(Clone, Debug, PartialEq)]
pub struct FileHit {
    pub id: String,
    pub repo: String,
    pub path: String,
    pub score: f32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub id: String,
    pub kind: String,
    pub repo: String,
    pub score: f32,
}

struct Fields {
    unit: Field,
    id: Field,
    kind: Field,
    repo: Field,
    path: Field,
    name: Field,
    body: Field,
    /// Compound identifiers of name and body, whole ([`for_each_compound`]).
    compounds: Field,
}

/// The tantivy index plus its writer.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Mutex<WriterState>,
    f: Fields,
}

struct WriterState {
    writer: IndexWriter,
    /// The identity of the store the index derives from, written beside the generation in
    /// every commit (`"<generation> <store id>"`); `None` for an index of an older brain.
    store: Option<String>,
    /// The store generation of the last commit.
    stamped: u64,
    /// An update failed since `stamped` (a full disk, say): the index misses a
    /// change of the store, so later commits keep the old stamp and the next
    /// open, seeing the index behind the store, rebuilds it. A stamp is never
    /// moved past a change the index does not hold.
    missed: bool,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let compounds = {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(COMPOUND_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let f = Fields {
        unit: b.add_text_field("unit", STRING),
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        repo: b.add_text_field("repo", STRING | STORED),
        path: b.add_text_field("path", words(true)),
        name: b.add_text_field("name", words(false)),
        body: b.add_text_field("body", words(false)),
        compounds: b.add_text_field("compounds", compounds),
    };
    (b.build(), f)
}

impl SearchIndex {
    /// Opens or creates the index in `dir`. Returns the index and the store
    /// generation it last committed (0 when new or unreadable).
    pub fn open(dir: &Path) -> Result<(Self, u64)> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::IndexOpen { path: dir.to_path_buf(), message: e.to_string() })?;
        crate::remove_stale_temp_files(dir);
        let (schema, f) = schema();
        let open =
            || -> Result<(Index, IndexWriter, IndexReader)> {
                let mmap = tantivy::directory::MmapDirectory::open(dir)
                    .map_err(|e| StoreError::IndexOpen { path: dir.to_path_buf(), message: e.to_string() })?;
                let index = Index::open_or_create(mmap, schema.clone())?;
                index.tokenizers().register(TOKENIZER, TextAnalyzer::from(IdentTokenizer));
                index.tokenizers().register(COMPOUND_TOKENIZER, TextAnalyzer::from(CompoundTokenizer));
                let writer = index.writer_with_num_threads(1, WRITER_MEMORY).map_err(|source| {
                    StoreError::IndexWrite { what: "opening the index writer".into(), path: dir.to_path_buf(), source }
                })?;
                let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
                Ok((index, writer, reader))
            };
        let (index, writer, reader) = match open() {
            Ok(parts) => parts,
            Err(e) => {
                // A schema change or a damaged index (a truncated segment, a lost meta.json): the
                // index is derived, so it starts over empty, at generation 0, and the brain rebuilds
                // it from the store.
                tracing::warn!(path = %dir.display(), error = %e, "the search index cannot be read; rebuilding it");
                std::fs::remove_dir_all(dir)
                    .and_then(|_| std::fs::create_dir_all(dir))
                    .map_err(|e| StoreError::IndexOpen { path: dir.to_path_buf(), message: e.to_string() })?;
                open()?
            }
        };
        let payload = index.load_metas().ok().and_then(|m| m.payload).unwrap_or_default();
        let (generation, store) = parse_stamp(&payload);
        let writer = Mutex::new(WriterState { writer, store, stamped: generation, missed: false });
        Ok((SearchIndex { dir: dir.to_path_buf(), index, reader, writer, f }, generation))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The underlying tantivy index (for benchmarks and diagnostics).
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// Replaces the documents of `units` by `docs` and commits, recording
    /// `generation` (the store generation these changes belong to). When an
    /// earlier update failed, the changes are committed under the old
    /// generation instead, so the index reads as behind the store and is
    /// rebuilt on the next open.
    pub fn replace_units(&self, units: &[String], docs: &[IndexDoc], generation: u64) -> Result<()> {
        let mut st = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let stamp = if st.missed { st.stamped } else { generation };
        let result = (|| {
            for u in units {
                st.writer.delete_term(Term::from_field_text(self.f.unit, u));
            }
            self.add_docs(&st.writer, docs)?;
            let payload = stamp_text(stamp, st.store.as_deref());
            let mut prepared = st.writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
            Ok(())
        })();
        self.settle(&mut st, result, stamp, false, || {
            format!("indexing {} changed units (store generation {generation})", units.len())
        })
    }

    /// The identity of the store the index was last committed for (`None`: an index of an
    /// older brain, or a new one).
    pub fn store(&self) -> Option<String> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).store.clone()
    }

    /// Makes later commits carry `store` as the identity of the store the index derives from.
    pub fn set_store(&self, store: &str) {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).store = Some(store.to_string());
    }

    /// Drops everything and indexes `docs` (used when the index disagrees with the store).
    pub fn rebuild(&self, docs: impl Iterator<Item = IndexDoc>, generation: u64) -> Result<()> {
        let mut st = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| {
            st.writer.delete_all_documents()?;
            for d in docs {
                self.add_docs(&st.writer, std::slice::from_ref(&d))?;
            }
            let payload = stamp_text(generation, st.store.as_deref());
            let mut prepared = st.writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
            Ok(())
        })();
        self.settle(&mut st, result, generation, true, || {
            format!("rebuilding the index from the store (generation {generation})")
        })
    }

    /// After a commit: records the stamp, or, on failure, rolls the writer
    /// back to the last commit (a writer whose commit failed can silently
    /// drop later documents) and remembers that the index missed a change.
    fn settle(
        &self,
        st: &mut WriterState,
        result: Result<()>,
        stamp: u64,
        complete: bool,
        what: impl FnOnce() -> String,
    ) -> Result<()> {
        match result {
            Ok(()) => {
                st.stamped = stamp;
                if complete {
                    st.missed = false;
                }
                self.reader.reload()?;
                Ok(())
            }
            Err(e) => {
                st.missed = true;
                if let Err(r) = st.writer.rollback() {
                    tracing::warn!(error = %r, "rolling the search index writer back failed");
                }
                Err(match e {
                    StoreError::Index(source) => {
                        StoreError::IndexWrite { what: what(), path: self.dir.clone(), source }
                    }
                    other => other,
                })
            }
        }
    }

    /// True when an update failed since the last commit: the index misses a
    /// change of the store until it is rebuilt ([`SearchIndex::rebuild`] or a reopen).
    pub fn is_stale(&self) -> bool {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).missed
    }

    fn add_docs(&self, w: &IndexWriter, docs: &[IndexDoc]) -> Result<()> {
        for d in docs {
            w.add_document(doc!(
                self.f.unit => d.unit.as_str(),
                self.f.id => d.id.as_str(),
                self.f.kind => d.kind.as_str(),
                self.f.repo => d.repo.as_str(),
                self.f.path => d.path.as_str(),
                self.f.name => d.name.as_str(),
                self.f.body => d.body.as_str(),
                self.f.compounds => d.name.as_str(),
                self.f.compounds => d.body.as_str(),
            ))?;
        }
        Ok(())
    }

    /// The id of every indexed document (one per node per unit), for
    /// consistency checks against the store.
    pub fn indexed_ids(&self) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let ord = u32::try_from(ord).map_err(|_| StoreError::Query("too many index segments".into()))?;
            for doc in segment.doc_ids_alive() {
                let d: TantivyDocument = searcher.doc(DocAddress::new(ord, doc))?;
                out.push(d.get_first(self.f.id).and_then(|v| v.as_str()).unwrap_or_default().to_string());
            }
        }
        Ok(out)
    }

    /// Number of indexed documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Ranked hits for `q`: each query word may match the name (weighted
    /// most), the path or the body; the words as a phrase rank higher.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        let mut words = Vec::new();
        for_each_word_span(&q.text, |_, _, w| words.push(w.to_string()));
        if words.is_empty() {
            return Err(StoreError::Query("the query has no words to search for".into()));
        }
        let limit = q.limit.clamp(1, 1000);
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut phrases: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &words {
            for (field, boost) in [(self.f.name, 4.0), (self.f.path, 1.5), (self.f.body, 1.0)] {
                let tq = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::WithFreqs);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), boost))));
            }
        }
        // An identifier the query spells whole (`paymentTimeout`) matches itself before its words.
        for_each_compound(&q.text, |_, _, c| {
            let tq = TermQuery::new(Term::from_field_text(self.f.compounds, c), IndexRecordOption::WithFreqs);
            should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), 6.0))));
        });
        if words.len() > 1 {
            for (field, boost) in [(self.f.name, 6.0), (self.f.body, 2.0)] {
                let terms = words.iter().map(|w| Term::from_field_text(field, w)).collect();
                phrases.push((Occur::Should, Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))));
            }
        }
        let searcher = self.reader.searcher();
        let top = if q.kinds.is_empty() && q.repos.is_empty() {
            top_with_phrases(&searcher, should, phrases, limit)?
        } else {
            self.top_scored_filtered(&searcher, should, phrases, q, limit)?
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            hits.push(SearchHit { id: get(self.f.id), kind: get(self.f.kind), repo: get(self.f.repo), score });
        }
        Ok(hits)
    }

    /// [`SearchIndex::search`] restricted to kinds or repos: the words and
    /// phrases must match, and so must the restrictions, which score too
    /// (one intersection, scored exhaustively).
    fn top_scored_filtered(
        &self,
        searcher: &tantivy::Searcher,
        mut should: Vec<(Occur, Box<dyn Query>)>,
        phrases: Vec<(Occur, Box<dyn Query>)>,
        q: &SearchQuery,
        limit: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        should.extend(phrases);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        for (field, values) in [(self.f.kind, &q.kinds), (self.f.repo, &q.repos)] {
            if !values.is_empty() {
                let any: Vec<(Occur, Box<dyn Query>)> = values
                    .iter()
                    .map(|v| {
                        (
                            Occur::Should,
                            Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic))
                                as Box<dyn Query>,
                        )
                    })
                    .collect();
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
        }
        let query = BooleanQuery::new(clauses);
        Ok(searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?)
    }
}

/// The best `limit` documents for the disjunction of `terms` and `phrases`
/// (score: the sum of the clauses that match), as `TopDocs` over that one
/// query ranks them, but with the terms' block-max WAND pruning, which a
/// phrase clause disables in tantivy: (a) the best `limit` by the terms
/// alone, pruned, and (b) the best `limit` among documents that match a
/// phrase, scored by phrases and terms together (these are few: every word
/// in the same field, in order). A document matching no phrase scores its
/// terms alone, so if it is in the true top `limit`, it is in (a); one that
/// matches a phrase is in (b) with its full score. The union, each document
/// at its higher score, cut to `limit`, is the same top `limit`.
fn top_with_phrases(
    searcher: &tantivy::Searcher,
    terms: Vec<(Occur, Box<dyn Query>)>,
    phrases: Vec<(Occur, Box<dyn Query>)>,
    limit: usize,
) -> Result<Vec<(f32, DocAddress)>> {
    let by_terms = |terms: Vec<(Occur, Box<dyn Query>)>| BooleanQuery::new(terms);
    if phrases.is_empty() {
        return Ok(searcher.search(&by_terms(terms), &TopDocs::with_limit(limit).order_by_score())?);
    }
    let optional: Vec<(Occur, Box<dyn Query>)> = terms.iter().map(|(o, q)| (*o, q.box_clone())).collect();
    let mut top = searcher.search(&by_terms(terms), &TopDocs::with_limit(limit).order_by_score())?;
    let mut with_phrase: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(phrases)))];
    with_phrase.extend(optional);
    let phrased = searcher.search(&BooleanQuery::new(with_phrase), &TopDocs::with_limit(limit).order_by_score())?;
    for (score, addr) in phrased {
        match top.iter_mut().find(|(_, a)| *a == addr) {
            Some(found) => found.0 = found.0.max(score),
            None => top.push((score, addr)),
        }
    }
    top.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| (a.1.segment_ord, a.1.doc_id).cmp(&(b.1.segment_ord, b.1.doc_id)))
    });
    top.truncate(limit);
    Ok(top)
}

/// Boosts of the file search: each word on the path and the content, each
/// compound identifier whole on the content, each scope word on the path.
const FILE_WORD_PATH: f32 = 1.0;
const FILE_WORD_BODY: f32 = 1.0;
const FILE_COMPOUND: f32 = 2.0;
const FILE_SCOPE_PATH: f32 = 2.0;

impl SearchIndex {
    /// Files ranked for a change described by `q.terms`: BM25 over each
    /// file's path and content (the File document of a file holds its whole
    /// text), the words of the intent on both, its compound identifiers
    /// matched whole, the scope its prefix names on the path. No word, no hit.
    pub fn search_files(&self, q: &FileQuery) -> Result<Vec<FileHit>> {
        let t = &q.terms;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut term = |field: Field, w: &str, boost: f32| {
            let tq = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::WithFreqs);
            should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), boost))));
        };
        for w in &t.words {
            term(self.f.path, w, FILE_WORD_PATH);
            term(self.f.body, w, FILE_WORD_BODY);
        }
        for c in &t.compounds {
            term(self.f.compounds, c, FILE_COMPOUND);
        }
        for s in &t.scopes {
            term(self.f.path, s, FILE_SCOPE_PATH);
        }
        if should.is_empty() {
            return Ok(Vec::new());
        }
        let mut filters: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(Term::from_field_text(self.f.kind, "file"), IndexRecordOption::Basic)),
        )];
        if !q.repos.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = q
                .repos
                .iter()
                .map(|r| {
                    let tq = TermQuery::new(Term::from_field_text(self.f.repo, r), IndexRecordOption::Basic);
                    (Occur::Should, Box::new(tq) as Box<dyn Query>)
                })
                .collect();
            filters.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let searcher = self.reader.searcher();
        let top =
            top_filtered(&searcher, &BooleanQuery::new(should), &BooleanQuery::new(filters), q.limit.clamp(1, 1000))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            hits.push(FileHit { id: get(self.f.id), repo: get(self.f.repo), path: get(self.f.path), score });
        }
        Ok(hits)
    }
}

/// The best `limit` documents for `scored` among those `filter` matches, by
/// `scored`'s score alone (the filter does not score), ties to the lower
/// document as tantivy's `TopDocs` does.
///
/// The same ranking as `Must(scored) + Must(filter)` under `TopDocs`, but
/// tantivy can prune only a top-level disjunction of terms (block-max WAND:
/// blocks whose best possible score cannot enter the top `limit` are
/// skipped), and scores an intersection like that one exhaustively: every
/// document holding any query word. At a million documents, where a common
/// word of an intent is in every other document, that was most of a
/// packet's time. Here the filter becomes a per-segment bit set and the
/// disjunction keeps its pruning.
fn top_filtered(
    searcher: &tantivy::Searcher,
    scored: &dyn Query,
    filter: &dyn Query,
    limit: usize,
) -> Result<Vec<(f32, DocAddress)>> {
    use std::cmp::Reverse;
    use tantivy::query::EnableScoring;
    let weight = scored.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let filter = filter.weight(EnableScoring::disabled_from_searcher(searcher))?;
    // Min-heap on (score, Reverse(doc)): the root is the worst kept hit (lowest score, then highest doc).
    let mut best: std::collections::BinaryHeap<Reverse<(Scored, Reverse<(u32, u32)>)>> =
        std::collections::BinaryHeap::with_capacity(limit + 1);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let ord = u32::try_from(ord).map_err(|_| StoreError::Query("too many index segments".into()))?;
        let mut allowed = tantivy::BitSet::with_max_value(reader.max_doc());
        filter.for_each_no_score(reader, &mut |docs| {
            for &d in docs {
                allowed.insert(d);
            }
        })?;
        if allowed.len() == 0 {
            continue;
        }
        let alive = reader.alive_bitset();
        let threshold = |best: &std::collections::BinaryHeap<Reverse<(Scored, Reverse<(u32, u32)>)>>| {
            if best.len() < limit {
                f32::MIN
            } else {
                best.peek().map_or(f32::MIN, |Reverse((s, _))| s.0)
            }
        };
        let mut current = threshold(&best);
        weight.for_each_pruning(current, reader, &mut |doc, score| {
            if allowed.contains(doc) && alive.is_none_or(|a| !a.is_deleted(doc)) {
                best.push(Reverse((Scored(score), Reverse((ord, doc)))));
                if best.len() > limit {
                    best.pop();
                }
                current = threshold(&best);
            }
            current
        })?;
    }
    let mut top: Vec<(f32, DocAddress)> =
        best.into_iter().map(|Reverse((s, Reverse((ord, doc))))| (s.0, DocAddress::new(ord, doc))).collect();
    top.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| (a.1.segment_ord, a.1.doc_id).cmp(&(b.1.segment_ord, b.1.doc_id)))
    });
    Ok(top)
}

/// A score ordered totally (NaN lowest), for the top-k heap.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scored(f32);

impl Eq for Scored {}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Tokenizer emitting lowercase identifier words.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdentTokenizer;

/// The token stream of the brain's tokenizers: the words an emitter found,
/// in order, with their byte spans.
pub struct IdentTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl IdentTokenStream {
    /// Collects the `(from, to, word)` spans `emit` reports.
    pub(crate) fn collect(emit: impl FnOnce(&mut dyn FnMut(usize, usize, &str))) -> Self {
        let mut tokens: Vec<Token> = Vec::new();
        emit(&mut |from, to, w| {
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position: tokens.len(),
                text: w.to_string(),
                position_length: 1,
            })
        });
        IdentTokenStream { tokens, next: 0 }
    }
}

impl Tokenizer for IdentTokenizer {
    type TokenStream<'a> = IdentTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> IdentTokenStream {
        IdentTokenStream::collect(|f| for_each_word_span(text, f))
    }
}

/// Tokenizer emitting compound identifiers whole ([`for_each_compound`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct CompoundTokenizer;

impl Tokenizer for CompoundTokenizer {
    type TokenStream<'a> = IdentTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> IdentTokenStream {
        IdentTokenStream::collect(|f| for_each_compound(text, f))
    }
}

impl TokenStream for IdentTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// A commit payload: the store generation, then the store's identity when known.
fn stamp_text(generation: u64, store: Option<&str>) -> String {
    match store {
        Some(s) if !s.is_empty() => format!("{generation} {s}"),
        _ => generation.to_string(),
    }
}

/// Reads [`stamp_text`]'s payload back (a bare generation from an older brain too).
fn parse_stamp(payload: &str) -> (u64, Option<String>) {
    let mut parts = payload.split_whitespace();
    let generation = parts.next().and_then(|g| g.parse().ok()).unwrap_or(0);
    (generation, parts.next().map(str::to_string))
}

#[cfg(test)]
mod tests {

    /// Temporary files a killed writer left in the index folder are gone after the next open;
    /// the index's own files stay.
    #[test]
    fn stale_temporary_files_are_removed_at_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(SearchIndex::open(dir.path()).expect("open"));
        std::fs::write(dir.path().join(".tmpAbC123"), b"half a meta.json").expect("write");
        let (_ix, _) = SearchIndex::open(dir.path()).expect("reopen");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.starts_with(".tmp")), "{names:?}");
        assert!(names.iter().any(|n| n == "meta.json"), "{names:?}");
    }
    use super::*;

    fn d(id: &str, name: &str, body: &str) -> IndexDoc {
        IndexDoc {
            unit: format!("r\0{id}"),
            id: id.into(),
            kind: "field".into(),
            repo: "r".into(),
            path: "p".into(),
            name: name.into(),
            body: body.into(),
        }
    }

    #[test]
    fn files_rank_by_words_compounds_and_scope() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (ix, _) = SearchIndex::open(dir.path()).expect("open");
        let file = |path: &str, body: &str| IndexDoc {
            unit: format!("r\0{path}"),
            id: format!("file:r:{path}"),
            kind: "file".into(),
            repo: "r".into(),
            path: path.into(),
            name: path.rsplit('/').next().unwrap_or(path).into(),
            body: body.into(),
        };
        let docs = vec![
            file("src/pay/retry.rs", "fn retry() {} // payment and timeout words apart"),
            file("src/pay/client.rs", "const paymentTimeout: u32 = 3; fn call() {}"),
            file("src/http/pool.rs", "fn idle() {}"),
            d("sym:r:x", "paymentTimeout", "a symbol is not a file"),
        ];
        ix.replace_units(&[], &docs, 1).expect("index");
        let search = |text: &str| {
            let q = FileQuery { terms: IntentTerms::parse(text), repos: vec!["r".into()], limit: 10 };
            ix.search_files(&q).expect("search").into_iter().map(|h| h.path).collect::<Vec<_>>()
        };
        // The exact identifier beats its words apart; symbols are not files.
        assert_eq!(search("raise paymentTimeout").first().map(String::as_str), Some("src/pay/client.rs"));
        // A conventional-commit scope points at the folder of that name.
        assert_eq!(search("fix(http): idle conns").first().map(String::as_str), Some("src/http/pool.rs"));
        assert!(search("the of and").is_empty());
    }

    /// The pruned searches ([`top_with_phrases`], [`top_filtered`]) rank as the
    /// single queries they replace: every word, compound and phrase as one
    /// disjunction (entities), and that disjunction intersected with the file
    /// kind (files, whose scores then carry the kind term's constant share).
    /// Over several segments, deleted documents and common and rare words.
    #[test]
    fn pruned_searches_rank_as_the_single_queries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (ix, _) = SearchIndex::open(dir.path()).expect("open");
        let vocab = ["order", "total", "rounding", "payment", "timeout", "item", "fetch", "record", "step", "client"];
        let mut k = 17u64;
        let mut next = |n: usize| {
            k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((k >> 33) as usize) % n
        };
        for batch in 0..4 {
            let mut docs = Vec::new();
            for i in 0..300 {
                let n = batch * 300 + i;
                let words: Vec<&str> = (0..1 + next(12)).map(|_| vocab[next(vocab.len())]).collect();
                let name =
                    if next(3) == 0 { "paymentTimeout".to_string() } else { words[..words.len().min(2)].join("_") };
                docs.push(IndexDoc {
                    unit: format!("r\0u{n}"),
                    id: format!("d{n}"),
                    kind: if n % 5 == 0 { "file".into() } else { "symbol".into() },
                    repo: "r".into(),
                    path: format!("src/{}/m{n}.rs", vocab[next(vocab.len())]),
                    name,
                    body: words.join(" "),
                });
            }
            let deleted: Vec<String> = (0..20).map(|i| format!("r\0u{}", i * 7)).collect();
            ix.replace_units(if batch == 3 { &deleted } else { &[] }, &docs, batch as u64 + 1).expect("index");
        }
        let searcher = ix.reader.searcher();
        let top = |q: &dyn Query, limit: usize| -> Vec<(String, f32)> {
            let found = searcher.search(q, &TopDocs::with_limit(limit).order_by_score()).expect("search");
            found
                .into_iter()
                .map(|(score, addr)| {
                    let doc: TantivyDocument = searcher.doc(addr).expect("doc");
                    (doc.get_first(ix.f.id).and_then(|v| v.as_str()).unwrap_or_default().to_string(), score)
                })
                .collect()
        };
        // Same scores in the same order; ids equal except among equal scores.
        let same = |text: &str, got: Vec<(String, f32)>, want: Vec<(String, f32)>, offset: f32| {
            assert_eq!(got.len(), want.len(), "{text}");
            for (g, w) in got.iter().zip(&want) {
                assert!((g.1 + offset - w.1).abs() < 1e-3, "{text}: {got:?} vs {want:?}");
            }
            let last = want.last().map_or(0.0, |w| w.1);
            let above = |v: &[(String, f32)], off: f32| {
                let mut ids: Vec<String> = v.iter().filter(|x| x.1 + off > last + 1e-3).map(|x| x.0.clone()).collect();
                ids.sort();
                ids
            };
            assert_eq!(above(&got, offset), above(&want, 0.0), "{text}");
        };
        for text in
            ["order total", "fix payment timeout in fetch item", "paymentTimeout", "step", "record client step order"]
        {
            for limit in [1, 5, 40] {
                let mut words = Vec::new();
                for_each_word_span(text, |_, _, w| words.push(w.to_string()));
                let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for w in &words {
                    for (field, boost) in [(ix.f.name, 4.0), (ix.f.path, 1.5), (ix.f.body, 1.0)] {
                        let tq = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::WithFreqs);
                        should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), boost))));
                    }
                }
                for_each_compound(text, |_, _, c| {
                    let tq = TermQuery::new(Term::from_field_text(ix.f.compounds, c), IndexRecordOption::WithFreqs);
                    should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), 6.0))));
                });
                if words.len() > 1 {
                    for (field, boost) in [(ix.f.name, 6.0), (ix.f.body, 2.0)] {
                        let terms = words.iter().map(|w| Term::from_field_text(field, w)).collect();
                        should
                            .push((Occur::Should, Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))));
                    }
                }
                let single =
                    BooleanQuery::new(vec![(Occur::Must, Box::new(BooleanQuery::new(should)) as Box<dyn Query>)]);
                let got = ix.search(&SearchQuery { text: text.into(), limit, ..Default::default() }).expect("search");
                same(text, got.into_iter().map(|h| (h.id, h.score)).collect(), top(&single, limit), 0.0);

                let terms = IntentTerms::parse(text);
                let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut term = |field: Field, w: &str, boost: f32| {
                    let tq = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::WithFreqs);
                    should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), boost))));
                };
                for w in &terms.words {
                    term(ix.f.path, w, FILE_WORD_PATH);
                    term(ix.f.body, w, FILE_WORD_BODY);
                }
                for c in &terms.compounds {
                    term(ix.f.compounds, c, FILE_COMPOUND);
                }
                if should.is_empty() {
                    continue;
                }
                let kind = TermQuery::new(Term::from_field_text(ix.f.kind, "file"), IndexRecordOption::Basic);
                let single = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(BooleanQuery::new(should)) as Box<dyn Query>),
                    (Occur::Must, Box::new(kind)),
                ]);
                let want = top(&single, limit);
                let got = ix.search_files(&FileQuery { terms, repos: vec!["r".into()], limit }).expect("files");
                let got: Vec<(String, f32)> = got.into_iter().map(|h| (h.id, h.score)).collect();
                // The kind term scores the same for every file: the constant between the two.
                let offset = match (got.first(), want.first()) {
                    (Some(g), Some(w)) => w.1 - g.1,
                    _ => 0.0,
                };
                assert!(want.iter().all(|w| w.0.starts_with('d')), "{want:?}");
                same(text, got, want, offset);
            }
        }
    }

    #[test]
    fn identifier_spellings_find_each_other() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (idx, gen) = SearchIndex::open(dir.path()).expect("open");
        assert_eq!(gen, 0);
        idx.replace_units(
            &[],
            &[d("a", "created_at", ""), d("b", "createdAt", ""), d("c", "updated", "nothing here")],
            7,
        )
        .expect("index");
        for q in ["created at", "createdAt", "CreatedAt", "created_at"] {
            let hits = idx.search(&SearchQuery { text: q.into(), limit: 10, ..Default::default() }).expect("search");
            let ids: Vec<_> = hits.iter().map(|h| h.id.as_str()).collect();
            assert!(ids.contains(&"a") && ids.contains(&"b") && !ids.contains(&"c"), "{q}: {ids:?}");
        }
        drop(idx);
        let (idx, gen) = SearchIndex::open(dir.path()).expect("reopen");
        assert_eq!(gen, 7);
        assert_eq!(idx.num_docs(), 3);
        idx.replace_units(&["r\0a".to_string()], &[], 8).expect("delete");
        assert_eq!(idx.num_docs(), 2);
    }

    /// A truncated segment file (a disk that lost the end of a write) does not stop the open:
    /// the index starts over at generation 0, which the brain reads as "rebuild from the store".
    #[test]
    fn a_truncated_segment_starts_the_index_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (idx, _) = SearchIndex::open(dir.path()).expect("open");
        idx.replace_units(&[], &[d("a", "created_at", "some body text"), d("b", "createdAt", "more")], 5)
            .expect("index");
        drop(idx);
        let mut truncated = 0;
        for e in std::fs::read_dir(dir.path()).expect("ls").flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".idx") || name.ends_with(".term") || name.ends_with(".store") {
                let f = std::fs::OpenOptions::new().write(true).open(e.path()).expect("open segment file");
                f.set_len(3).expect("truncate");
                truncated += 1;
            }
        }
        assert!(truncated > 0, "no segment file found to truncate");
        let (idx, generation) = SearchIndex::open(dir.path()).expect("a damaged index opens empty");
        assert_eq!((generation, idx.num_docs()), (0, 0));
        idx.replace_units(&[], &[d("c", "updated", "")], 6).expect("writes again");
        assert_eq!(idx.num_docs(), 1);
    }
}
