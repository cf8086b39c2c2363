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
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))));
            }
        }
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
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            hits.push(SearchHit { id: get(self.f.id), kind: get(self.f.kind), repo: get(self.f.repo), score });
        }
        Ok(hits)
    }
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
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(BooleanQuery::new(should))),
            (
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(self.f.kind, "file"), IndexRecordOption::Basic)),
            ),
        ];
        if !q.repos.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = q
                .repos
                .iter()
                .map(|r| {
                    let tq = TermQuery::new(Term::from_field_text(self.f.repo, r), IndexRecordOption::Basic);
                    (Occur::Should, Box::new(tq) as Box<dyn Query>)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&BooleanQuery::new(clauses), &TopDocs::with_limit(q.limit.clamp(1, 1000)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            hits.push(FileHit { id: get(self.f.id), repo: get(self.f.repo), path: get(self.f.path), score });
        }
        Ok(hits)
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
