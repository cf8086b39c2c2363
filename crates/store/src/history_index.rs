//! The commit-message index (tantivy): "similar past changes".
//!
//! One document per indexed commit: its message (ranked), the words of the
//! paths it changed (ranked lower) and, stored, its repository, hash, time,
//! author, subject and files. A query by intent returns past commits and
//! the files they touched. It is a separate index from the entity
//! [`SearchIndex`](crate::SearchIndex), so that commit documents change
//! neither that index's hits nor its BM25 statistics.
//!
//! Derived, like the entity index: every commit records the
//! [`history_stamp`](crate::history_stamp) of the histories it reflects, and
//! the brain rebuilds it from the store's commits when the store's stamp differs.

use crate::index::IdentTokenStream;
use crate::{Result, StoreError};
use brain_model::text::for_each_word_span;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::tokenizer::{TextAnalyzer, Tokenizer};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

const WRITER_MEMORY: usize = 16 * 1024 * 1024;
/// The tokenizer of commit messages and paths ([`commit_words`]).
const TOKENIZER: &str = "commit";
/// Separates stored file paths (a path holds no NUL).
const PATH_SEP: char = '\0';

/// One commit to index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryDoc {
    pub repo: String,
    pub sha: String,
    /// Committer time, Unix seconds.
    pub time: i64,
    pub author: String,
    /// Subject and body.
    pub message: String,
    /// Paths it changed (as of that commit).
    pub files: Vec<String>,
}

/// A change to one repository's documents in the [`HistoryIndex`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryChange {
    pub repo: String,
    /// Drop the repository's documents first (a history read afresh, or removed).
    pub replace: bool,
    pub docs: Vec<HistoryDoc>,
}

/// A past commit found for a query.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryHit {
    pub repo: String,
    pub sha: String,
    pub score: f32,
    pub time: i64,
    pub author: String,
    /// The first line of its message.
    pub subject: String,
    /// Paths it changed (as of that commit).
    pub files: Vec<String>,
}

struct Fields {
    repo: Field,
    sha: Field,
    time: Field,
    author: Field,
    subject: Field,
    files: Field,
    message: Field,
    paths: Field,
}

struct WriterState {
    writer: IndexWriter,
    /// An update failed since the last commit: the index misses commits
    /// until it is rebuilt (the stamp is never moved past a missed change).
    missed: bool,
}

/// The commit-message index and its writer.
pub struct HistoryIndex {
    dir: PathBuf,
    reader: IndexReader,
    writer: Mutex<WriterState>,
    f: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqs),
    );
    let f = Fields {
        repo: b.add_text_field("repo", STRING | STORED),
        sha: b.add_text_field("sha", STORED),
        time: b.add_i64_field("time", STORED),
        author: b.add_text_field("author", STORED),
        subject: b.add_text_field("subject", STORED),
        files: b.add_text_field("files", STORED),
        message: b.add_text_field("message", words.clone()),
        paths: b.add_text_field("paths", words),
    };
    (b.build(), f)
}

impl HistoryIndex {
    /// Opens or creates the index in `dir`. Returns it and the history stamp
    /// it last committed ("" when new or unreadable).
    pub fn open(dir: &Path) -> Result<(Self, String)> {
        let fail =
            |e: &dyn std::fmt::Display| StoreError::IndexOpen { path: dir.to_path_buf(), message: e.to_string() };
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        crate::remove_stale_temp_files(dir);
        let (schema, f) = schema();
        let mmap = tantivy::directory::MmapDirectory::open(dir).map_err(|e| fail(&e))?;
        let index = match Index::open_or_create(mmap, schema.clone()) {
            Ok(i) => i,
            Err(_) => {
                // A schema change or a damaged index: it is derived, so start over.
                std::fs::remove_dir_all(dir).and_then(|_| std::fs::create_dir_all(dir)).map_err(|e| fail(&e))?;
                Index::create_in_dir(dir, schema)?
            }
        };
        index.tokenizers().register(TOKENIZER, TextAnalyzer::from(CommitTokenizer));
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY).map_err(|source| StoreError::IndexWrite {
            what: "opening the history index writer".into(),
            path: dir.to_path_buf(),
            source,
        })?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let stamp = index.load_metas().ok().and_then(|m| m.payload).unwrap_or_default();
        let writer = Mutex::new(WriterState { writer, missed: false });
        Ok((HistoryIndex { dir: dir.to_path_buf(), reader, writer, f }, stamp))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Applies `changes` (each adds its documents after dropping its
    /// repository's when `replace`) and commits them once under `stamp`.
    /// After a failed update the index is marked stale (see
    /// [`HistoryIndex::is_stale`]) and its stamp stays the old one.
    pub fn update(&self, changes: &[HistoryChange], stamp: &str) -> Result<()> {
        let mut st = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| {
            for c in changes {
                if c.replace {
                    st.writer.delete_term(Term::from_field_text(self.f.repo, &c.repo));
                }
                for d in &c.docs {
                    self.add(&st.writer, d)?;
                }
            }
            self.commit(&mut st.writer, stamp)
        })();
        let n: usize = changes.iter().map(|c| c.docs.len()).sum();
        self.settle(&mut st, result, false, || format!("indexing {n} commits of {} repos", changes.len()))
    }

    /// Drops everything and indexes `docs` under `stamp`.
    pub fn rebuild(&self, docs: impl Iterator<Item = HistoryDoc>, stamp: &str) -> Result<()> {
        let mut st = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| {
            st.writer.delete_all_documents()?;
            for d in docs {
                self.add(&st.writer, &d)?;
            }
            self.commit(&mut st.writer, stamp)
        })();
        self.settle(&mut st, result, true, || "rebuilding the history index from the store".to_string())
    }

    /// True when an update failed since the last rebuild: the index misses
    /// commits until [`HistoryIndex::rebuild`] (or a reopen, which finds its stamp behind).
    pub fn is_stale(&self) -> bool {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).missed
    }

    /// Number of indexed commits.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn add(&self, w: &IndexWriter, d: &HistoryDoc) -> Result<()> {
        let subject = d.message.lines().next().unwrap_or("");
        let files = d.files.join(&PATH_SEP.to_string());
        let paths = d.files.join("\n");
        w.add_document(doc!(
            self.f.repo => d.repo.as_str(),
            self.f.sha => d.sha.as_str(),
            self.f.time => d.time,
            self.f.author => d.author.as_str(),
            self.f.subject => subject,
            self.f.files => files,
            self.f.message => d.message.as_str(),
            self.f.paths => paths,
        ))?;
        Ok(())
    }

    fn commit(&self, w: &mut IndexWriter, stamp: &str) -> Result<()> {
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(stamp);
        prepared.commit()?;
        Ok(())
    }

    fn settle(
        &self,
        st: &mut WriterState,
        result: Result<()>,
        complete: bool,
        what: impl FnOnce() -> String,
    ) -> Result<()> {
        match result {
            Ok(()) => {
                if complete {
                    st.missed = false;
                }
                self.reader.reload()?;
                Ok(())
            }
            Err(e) => {
                st.missed = true;
                if let Err(r) = st.writer.rollback() {
                    tracing::warn!(error = %r, "rolling the history index writer back failed");
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

    /// The `k` past commits whose messages (and, weaker, changed paths) best
    /// match `text` (BM25; words as [`commit_words`] gives them), in `repos`
    /// when given. Empty when `text` has no words. Ties go to the newer commit.
    pub fn search(&self, text: &str, repos: Option<&[String]>, k: usize) -> Result<Vec<HistoryHit>> {
        let mut words = Vec::new();
        commit_words(text, |_, _, w| words.push(w.to_string()));
        words.sort();
        words.dedup();
        if words.is_empty() || k == 0 {
            return Ok(Vec::new());
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &words {
            for (field, boost) in [(self.f.message, 1.0), (self.f.paths, 0.5)] {
                let tq = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::WithFreqs);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), boost))));
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        if let Some(repos) = repos {
            if repos.is_empty() {
                return Ok(Vec::new());
            }
            let any: Vec<(Occur, Box<dyn Query>)> = repos
                .iter()
                .map(|r| {
                    let tq = TermQuery::new(Term::from_field_text(self.f.repo, r), IndexRecordOption::Basic);
                    (Occur::Should, Box::new(tq) as Box<dyn Query>)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(k.min(1000)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let files = text(self.f.files);
            hits.push(HistoryHit {
                repo: text(self.f.repo),
                sha: text(self.f.sha),
                score,
                time: doc.get_first(self.f.time).and_then(|v| v.as_i64()).unwrap_or(0),
                author: text(self.f.author),
                subject: text(self.f.subject),
                files: files.split(PATH_SEP).filter(|p| !p.is_empty()).map(str::to_string).collect(),
            });
        }
        // Equal scores (the same words): the newer commit first, then by hash, so answers are stable.
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.time.cmp(&a.time)).then_with(|| a.sha.cmp(&b.sha)));
        Ok(hits)
    }
}

/// English words too common to tell commits apart.
const STOP_WORDS: [&str; 64] = [
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "does", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it",
    "its", "me", "my", "no", "not", "of", "on", "or", "our", "so", "some", "than", "that", "the", "their", "them",
    "then", "there", "these", "this", "those", "to", "too", "was", "we", "were", "what", "when", "which", "will",
    "with", "you",
];

/// Conventional-commit types (`fix(http): ...`): the type says little about
/// the change, its scope says where.
const COMMIT_TYPES: [&str; 20] = [
    "build", "bugfix", "chore", "ci", "deps", "doc", "docs", "feat", "feature", "fix", "hotfix", "perf", "refactor",
    "release", "revert", "security", "style", "test", "tests", "wip",
];

/// The byte range of a conventional-commit type at the start of a line
/// (`fix(http)!: ...` gives the range of `fix`).
fn commit_type_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at + (line.len() - line.trim_start().len());
        at += line.len();
        let rest = &text[start..at];
        let end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        if end == 0 || !COMMIT_TYPES.contains(&rest[..end].to_ascii_lowercase().as_str()) {
            continue;
        }
        let mut tail = &rest[end..];
        if let Some(scoped) = tail.strip_prefix('(') {
            match scoped.find(')') {
                Some(close) if !scoped[..close].contains('\n') => tail = &scoped[close + 1..],
                _ => continue,
            }
        }
        let tail = tail.strip_prefix('!').unwrap_or(tail);
        if tail.starts_with(':') {
            out.push((start, start + end));
        }
    }
    out
}

/// The words of a commit message, a path list or a query, as the history
/// index sees them: identifier parts (`paymentTimeout`, `payment_timeout`
/// and "payment timeout" all give `payment`, `timeout`), plus each
/// identifier whole (`paymenttimeout`, so that the same identifier ranks
/// above its words scattered in prose); English stop words and
/// conventional-commit types (`fix(http):` gives only `http`) are left out.
pub fn commit_words(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    let types = commit_type_spans(text);
    let mut ident: Option<(usize, usize, String, usize)> = None; // (from, to, whole, parts)
    let flush = |ident: &mut Option<(usize, usize, String, usize)>, f: &mut dyn FnMut(usize, usize, &str)| {
        if let Some((from, to, whole, parts)) = ident.take() {
            if parts > 1 && whole.len() <= 64 {
                f(from, to, &whole);
            }
        }
    };
    let bytes = text.as_bytes();
    for_each_word_span(text, |from, to, w| {
        // Parts of one identifier touch each other or are joined by `_`.
        let joined = ident
            .as_ref()
            .is_some_and(|(_, end, _, _)| *end == from || (*end + 1 == from && bytes.get(*end) == Some(&b'_')));
        if !joined {
            flush(&mut ident, &mut f);
        }
        let typed = types.iter().any(|(a, b)| from >= *a && to <= *b);
        if !typed && !STOP_WORDS.contains(&w) {
            f(from, to, w);
        }
        match &mut ident {
            Some((_, end, whole, parts)) if joined => {
                *end = to;
                whole.push_str(w);
                *parts += 1;
            }
            _ => ident = Some((from, to, w.to_string(), 1)),
        }
    });
    flush(&mut ident, &mut f);
}

/// The tantivy tokenizer over [`commit_words`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CommitTokenizer;

impl Tokenizer for CommitTokenizer {
    type TokenStream<'a> = IdentTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> IdentTokenStream {
        IdentTokenStream::collect(|f| commit_words(text, f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(repo: &str, sha: &str, message: &str, files: &[&str]) -> HistoryDoc {
        HistoryDoc {
            repo: repo.into(),
            sha: sha.into(),
            time: 1_700_000_000,
            author: "Ann".into(),
            message: message.into(),
            files: files.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn change(repo: &str, replace: bool, docs: &[HistoryDoc]) -> HistoryChange {
        HistoryChange { repo: repo.into(), replace, docs: docs.to_vec() }
    }

    #[test]
    fn finds_past_commits_by_intent_with_their_files_and_survives_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let (idx, stamp) = HistoryIndex::open(dir.path()).expect("open");
            assert_eq!(stamp, "");
            let docs = [
                commit("r", "1", "Fix payment timeout in the HTTP client", &["src/http/client.rs", "src/pay.rs"]),
                commit("r", "2", "Add order export", &["src/orders/export.rs"]),
                commit("s", "3", "paymentTimeout default raised", &["cfg/pay.toml"]),
            ];
            idx.update(&[change("r", false, &docs[..2])], "a").expect("index r");
            idx.update(&[change("s", false, &docs[2..])], "b").expect("index s");
            let hits = idx.search("payment timeout", None, 10).expect("search");
            let shas: Vec<&str> = hits.iter().map(|h| h.sha.as_str()).collect();
            assert_eq!(shas.len(), 2, "{shas:?}");
            assert!(shas.contains(&"1") && shas.contains(&"3"));
            let only_r = idx.search("paymentTimeout", Some(&["r".to_string()]), 10).expect("search");
            assert_eq!(only_r.len(), 1);
            assert_eq!(only_r[0].files, vec!["src/http/client.rs".to_string(), "src/pay.rs".to_string()]);
            assert_eq!(only_r[0].subject, "Fix payment timeout in the HTTP client");
            let by_path = idx.search("export", None, 10).expect("search");
            assert_eq!(by_path.first().map(|h| h.sha.as_str()), Some("2"));
            // Replacing a repo's commits drops the old ones.
            idx.update(&[change("r", true, &[commit("r", "9", "rewritten history", &["a.rs"])])], "c")
                .expect("replace");
            assert!(idx.search("payment", Some(&["r".to_string()]), 10).expect("search").is_empty());
            assert!(idx.search("payment", Some(&[]), 10).expect("no repos").is_empty());
            assert!(idx.search("!!!", None, 10).expect("no words").is_empty());
        }
        let (idx, stamp) = HistoryIndex::open(dir.path()).expect("reopen");
        assert_eq!(stamp, "c");
        assert_eq!(idx.num_docs(), 2);
    }

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        commit_words(text, |_, _, w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_identifier_parts_and_wholes_without_stop_words_or_commit_types() {
        assert_eq!(
            words("Fix the paymentTimeout in retry_policy"),
            ["fix", "payment", "timeout", "paymenttimeout", "retry", "policy", "retrypolicy"]
        );
        assert_eq!(words("fix(http): retry on 503"), ["http", "retry", "503"]);
        assert_eq!(
            words("feat!: add HTTPServer\nchore(deps-dev): bump serde"),
            ["add", "http", "server", "httpserver", "deps", "dev", "bump", "serde"]
        );
        assert_eq!(words("a fix: of the thing"), ["fix", "thing"], "a type is a prefix only at the start of a line");
        assert_eq!(words("fixture(x): y"), ["fixture", "x", "y"]);
        assert!(words("the of and").is_empty());
    }

    #[test]
    fn an_identifier_ranks_above_its_words_scattered_in_prose() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (idx, _) = HistoryIndex::open(dir.path()).expect("open");
        let docs = [
            commit("r", "1", "Payment flow: raise the timeout of the export job", &[]),
            commit("r", "2", "Raise paymentTimeout default", &[]),
            commit("r", "3", "chore: bump deps", &[]),
        ];
        idx.update(&[change("r", false, &docs)], "a").expect("index");
        let hits = idx.search("payment_timeout", None, 10).expect("search");
        let shas: Vec<&str> = hits.iter().map(|h| h.sha.as_str()).collect();
        assert_eq!(shas, ["2", "1"]);
        assert!(idx.search("chore", None, 10).expect("search").is_empty(), "a commit type is not a word");
    }
}
