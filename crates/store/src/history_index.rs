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

use crate::index::{IdentTokenizer, TOKENIZER};
use crate::{Result, StoreError};
use brain_model::text::for_each_word_span;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

const WRITER_MEMORY: usize = 16 * 1024 * 1024;
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
        index.tokenizers().register(TOKENIZER, TextAnalyzer::from(IdentTokenizer));
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

    /// Adds `docs` for `repo` (after dropping its documents when `replace`)
    /// and commits under `stamp`. After a failed update, the commit keeps
    /// the index marked stale (see [`HistoryIndex::is_stale`]).
    pub fn update(&self, repo: &str, replace: bool, docs: &[HistoryDoc], stamp: &str) -> Result<()> {
        let mut st = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| {
            if replace {
                st.writer.delete_term(Term::from_field_text(self.f.repo, repo));
            }
            for d in docs {
                self.add(&st.writer, d)?;
            }
            self.commit(&mut st.writer, stamp)
        })();
        self.settle(&mut st, result, false, || format!("indexing {} commits of repo {repo}", docs.len()))
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
    /// match `text`, in `repo` when given. Empty when `text` has no words.
    pub fn search(&self, text: &str, repo: Option<&str>, k: usize) -> Result<Vec<HistoryHit>> {
        let mut words = Vec::new();
        for_each_word_span(text, |_, _, w| words.push(w.to_string()));
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
        if let Some(repo) = repo {
            let tq = TermQuery::new(Term::from_field_text(self.f.repo, repo), IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(tq)));
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
        Ok(hits)
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
            idx.update("r", false, &docs[..2], "a").expect("index r");
            idx.update("s", false, &docs[2..], "b").expect("index s");
            let hits = idx.search("payment timeout", None, 10).expect("search");
            let shas: Vec<&str> = hits.iter().map(|h| h.sha.as_str()).collect();
            assert_eq!(shas.len(), 2, "{shas:?}");
            assert!(shas.contains(&"1") && shas.contains(&"3"));
            let only_r = idx.search("paymentTimeout", Some("r"), 10).expect("search");
            assert_eq!(only_r.len(), 1);
            assert_eq!(only_r[0].files, vec!["src/http/client.rs".to_string(), "src/pay.rs".to_string()]);
            assert_eq!(only_r[0].subject, "Fix payment timeout in the HTTP client");
            let by_path = idx.search("export", None, 10).expect("search");
            assert_eq!(by_path.first().map(|h| h.sha.as_str()), Some("2"));
            // Replacing a repo's commits drops the old ones.
            idx.update("r", true, &[commit("r", "9", "rewritten history", &["a.rs"])], "c").expect("replace");
            assert!(idx.search("payment", Some("r"), 10).expect("search").is_empty());
            assert!(idx.search("!!!", None, 10).expect("no words").is_empty());
        }
        let (idx, stamp) = HistoryIndex::open(dir.path()).expect("reopen");
        assert_eq!(stamp, "c");
        assert_eq!(idx.num_docs(), 2);
    }
}
