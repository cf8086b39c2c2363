//! [`FactStore`] on sled: a handful of trees, one value per unit; a
//! repository's history is one record (`history`, by repository) plus its
//! commits in chunks (`commits`, by repository and chunk number).

use crate::{
    FactStore, HistoryRecord, HistoryWrite, RepoChanges, RepoMeta, Result, StoreError, StoredUnit, HISTORY_SCHEMA,
    SCHEMA_VERSION,
};
use brain_model::history::Commit;
use brain_model::Facts;
use serde::{de::DeserializeOwned, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use std::path::{Path, PathBuf};

const META_SCHEMA: &[u8] = b"schema_version";
const META_GENERATION: &[u8] = b"generation";
const META_STORE_ID: &[u8] = b"store_id";

/// How many times (50 ms apart) [`SledStore::open`] retries a busy file lock.
const LOCK_RETRIES: u32 = 20;

fn is_lock_busy(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.to_string().contains("could not acquire lock"))
}

/// The sled-backed store. Cheap to share behind an `Arc`.
pub struct SledStore {
    path: PathBuf,
    db: sled::Db,
    meta: sled::Tree,
    units: sled::Tree,
    content: sled::Tree,
    repos: sled::Tree,
    records: sled::Tree,
    /// Repository -> [`HistoryRecord`].
    history: sled::Tree,
    /// `repo\0chunk` (big-endian u32) -> commits, newest first.
    commits: sled::Tree,
}

fn chunk_key(repo: &str, chunk: u32) -> Vec<u8> {
    let mut k = repo_prefix(repo);
    k.extend_from_slice(&chunk.to_be_bytes());
    k
}

/// Decodes a history record, or `None` when it was written by another [`HISTORY_SCHEMA`].
fn decode_history(bytes: &[u8], repo: &str) -> Result<Option<HistoryRecord>> {
    // The schema is the first field: read it alone before trusting the rest's shape.
    match postcard::take_from_bytes::<u32>(bytes) {
        Ok((HISTORY_SCHEMA, _)) => Ok(Some(decode(bytes, || format!("history of repo {repo}"))?)),
        _ => Ok(None),
    }
}

fn unit_key(repo: &str, path: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(repo.len() + path.len() + 1);
    k.extend_from_slice(repo.as_bytes());
    k.push(0);
    k.extend_from_slice(path.as_bytes());
    k
}

fn repo_prefix(repo: &str) -> Vec<u8> {
    let mut k = repo.as_bytes().to_vec();
    k.push(0);
    k
}

fn split_key(k: &[u8]) -> (String, String) {
    let mut parts = k.splitn(2, |b| *b == 0);
    let repo = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let path = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    (repo, path)
}

fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    postcard::to_stdvec(v).map_err(StoreError::Encode)
}

fn decode<T: DeserializeOwned>(bytes: &[u8], what: impl FnOnce() -> String) -> Result<T> {
    postcard::from_bytes(bytes).map_err(|source| StoreError::Decode { what: what(), source })
}

impl SledStore {
    /// Opens (or creates) the store in `dir`. Fails with a clear message when
    /// the store was written by another schema version or is locked by
    /// another process.
    pub fn open(dir: &Path) -> Result<Self> {
        let config = sled::Config::new().path(dir).cache_capacity(64 * 1024 * 1024).mode(sled::Mode::LowSpace);
        // sled 0.34 releases its file lock from a background IO thread a
        // moment after the last handle is dropped (spacejam/sled#1234), so a
        // reopen in the same process can find its own lock still held: wait
        // for it briefly. A lock another process holds is still an error after that.
        let mut attempts = 0;
        let db = loop {
            match config.open() {
                Ok(db) => break db,
                Err(e) if attempts < LOCK_RETRIES && is_lock_busy(&e) => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(e) if is_lock_busy(&e) => return Err(StoreError::Locked { path: dir.to_path_buf() }),
                Err(source) => return Err(StoreError::Open { path: dir.to_path_buf(), source }),
            }
        };
        let tree =
            |name: &str| db.open_tree(name).map_err(|source| StoreError::Open { path: dir.to_path_buf(), source });
        let store = SledStore {
            path: dir.to_path_buf(),
            meta: tree("meta")?,
            units: tree("units")?,
            content: tree("content")?,
            repos: tree("repos")?,
            records: tree("records")?,
            history: tree("history")?,
            commits: tree("commits")?,
            db,
        };
        store.check_schema()?;
        store.ensure_id()?;
        Ok(store)
    }

    /// Gives the store its identity the first time it is opened (a store of an older brain
    /// gets one too): derived, never-repeating bytes of the clock, the process and the path.
    fn ensure_id(&self) -> Result<()> {
        if self.meta.get(META_STORE_ID)?.is_some() {
            return Ok(());
        }
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let seed = format!("{nanos}\0{}\0{}\0{:p}", std::process::id(), self.path.display(), &self.meta);
        let id = blake3::hash(seed.as_bytes()).to_hex()[..20].to_string();
        let io = |source| StoreError::Open { path: self.path.clone(), source };
        self.meta.insert(META_STORE_ID, id.as_bytes()).map_err(io)?;
        self.db.flush().map_err(io)?;
        Ok(())
    }

    fn check_schema(&self) -> Result<()> {
        match self.meta.get(META_SCHEMA)? {
            Some(v) => {
                let bytes: [u8; 4] =
                    v.as_ref().try_into().map_err(|_| StoreError::SchemaUnreadable { path: self.path.clone() })?;
                let found = u32::from_be_bytes(bytes);
                if found != SCHEMA_VERSION {
                    let hint = if found > SCHEMA_VERSION {
                        "it was written by a newer brain: upgrade brain, or ingest into a new --data-dir"
                    } else {
                        "it was written by an older brain: re-ingest into a new --data-dir"
                    };
                    return Err(StoreError::SchemaMismatch {
                        path: self.path.clone(),
                        found,
                        expected: SCHEMA_VERSION,
                        hint,
                    });
                }
                Ok(())
            }
            None => {
                let empty = self.units.is_empty() && self.records.is_empty() && self.repos.is_empty();
                if !empty {
                    return Err(StoreError::SchemaUnreadable { path: self.path.clone() });
                }
                let io = |source| StoreError::Open { path: self.path.clone(), source };
                self.meta.insert(META_SCHEMA, &SCHEMA_VERSION.to_be_bytes()).map_err(io)?;
                self.db.flush().map_err(io)?;
                Ok(())
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Wraps a sled error with what was being done and the store's path.
    fn io_err<'a>(&'a self, what: impl FnOnce() -> String + 'a) -> impl FnOnce(sled::Error) -> StoreError + 'a {
        move |source| StoreError::Io { what: what(), path: self.path.clone(), source }
    }

    /// A transaction's error, with what was being written and the store's path.
    fn tx_err<'a>(
        &'a self,
        what: impl FnOnce() -> String + 'a,
    ) -> impl FnOnce(TransactionError<StoreError>) -> StoreError + 'a {
        move |e| match e {
            TransactionError::Abort(e) => e,
            TransactionError::Storage(source) => StoreError::Io { what: what(), path: self.path.clone(), source },
        }
    }

    /// Bytes on disk, for stats and benchmarks.
    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }

    fn bump_generation(
        meta: &sled::transaction::TransactionalTree,
    ) -> std::result::Result<u64, ConflictableTransactionError<StoreError>> {
        let current = meta
            .get(META_GENERATION)?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map(u64::from_be_bytes)
            .unwrap_or(0);
        let next = current + 1;
        meta.insert(META_GENERATION, &next.to_be_bytes())?;
        Ok(next)
    }

    /// Keys of the stored commit chunks of `repo`.
    fn chunk_keys(&self, repo: &str) -> Result<Vec<sled::IVec>> {
        self.commits
            .scan_prefix(repo_prefix(repo))
            .keys()
            .collect::<std::result::Result<_, _>>()
            .map_err(self.io_err(|| format!("reading the history of repo {repo}")))
    }
}

/// A history change as sled writes it.
struct HistoryOps {
    record: Option<Vec<u8>>,
    delete_chunks: Vec<sled::IVec>,
    put_chunks: Vec<(Vec<u8>, Vec<u8>)>,
}

impl FactStore for SledStore {
    fn unit_hashes(&self, repo: &str) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for kv in self.units.scan_prefix(repo_prefix(repo)) {
            let (k, v) = kv.map_err(self.io_err(|| format!("reading the units of repo {repo}")))?;
            let (_, path) = split_key(&k);
            let unit: StoredUnit = decode(&v, || format!("unit {repo}:{path}"))?;
            out.push((path, unit.hash));
        }
        Ok(out)
    }

    fn unit_hash(&self, repo: &str, path: &str) -> Result<Option<String>> {
        let key = unit_key(repo, path);
        let Some(v) = self.units.get(&key).map_err(self.io_err(|| format!("reading unit {repo}:{path}")))? else {
            return Ok(None);
        };
        let unit: StoredUnit = decode(&v, || format!("unit {repo}:{path}"))?;
        Ok(Some(unit.hash))
    }

    fn commit_repo(&self, changes: &RepoChanges) -> Result<u64> {
        let repo = &changes.repo.name;
        let mut unit_writes = Vec::with_capacity(changes.upserts.len());
        for w in &changes.upserts {
            unit_writes.push((
                unit_key(repo, &w.path),
                encode(&w.unit)?,
                w.content.as_ref().map(|c| c.as_bytes().to_vec()),
            ));
        }
        let deletes: Vec<Vec<u8>> = changes.deletes.iter().map(|p| unit_key(repo, p)).collect();
        let repo_value = encode(&changes.repo)?;
        let hist_ops = match &changes.history {
            None => None,
            Some(HistoryWrite::Remove) => {
                Some(HistoryOps { record: None, delete_chunks: self.chunk_keys(repo)?, put_chunks: Vec::new() })
            }
            Some(HistoryWrite::Put { record, chunks, replace }) => {
                // Appending needs a readable record (of this schema) to count the stored chunks.
                let stored = if *replace { None } else { self.history(repo)? };
                let (delete_chunks, first) = match stored {
                    Some(r) => (Vec::new(), r.chunks),
                    None => (self.chunk_keys(repo)?, 0),
                };
                let mut put_chunks = Vec::with_capacity(chunks.len());
                for (k, chunk) in chunks.iter().enumerate() {
                    let n = first.saturating_add(u32::try_from(k).unwrap_or(u32::MAX));
                    put_chunks.push((chunk_key(repo, n), encode(chunk)?));
                }
                let mut record = record.clone();
                record.chunks = first.saturating_add(u32::try_from(chunks.len()).unwrap_or(u32::MAX));
                Some(HistoryOps { record: Some(encode(&record)?), delete_chunks, put_chunks })
            }
        };
        let trees = (&self.units, &self.content, &self.repos, &self.meta, &self.history, &self.commits);
        let generation = trees
            .transaction(|(units, content, repos, meta, history, commits)| {
                for (k, v, c) in &unit_writes {
                    units.insert(k.as_slice(), v.as_slice())?;
                    match c {
                        Some(c) => {
                            content.insert(k.as_slice(), c.as_slice())?;
                        }
                        None => {
                            content.remove(k.as_slice())?;
                        }
                    }
                }
                for k in &deletes {
                    units.remove(k.as_slice())?;
                    content.remove(k.as_slice())?;
                }
                repos.insert(repo.as_bytes(), repo_value.as_slice())?;
                if let Some(h) = &hist_ops {
                    for k in &h.delete_chunks {
                        commits.remove(k)?;
                    }
                    for (k, v) in &h.put_chunks {
                        commits.insert(k.as_slice(), v.as_slice())?;
                    }
                    match &h.record {
                        Some(r) => history.insert(repo.as_bytes(), r.as_slice())?,
                        None => history.remove(repo.as_bytes())?,
                    };
                }
                Self::bump_generation(meta)
            })
            .map_err(self.tx_err(|| {
                format!("committing {} changed and {} deleted files of repo {repo}", unit_writes.len(), deletes.len())
            }))?;
        self.db.flush().map_err(self.io_err(|| format!("flushing the commit of repo {repo} to disk")))?;
        Ok(generation)
    }

    fn remove_repo(&self, repo: &str) -> Result<u64> {
        let keys: Vec<sled::IVec> = self
            .units
            .scan_prefix(repo_prefix(repo))
            .keys()
            .collect::<std::result::Result<_, _>>()
            .map_err(self.io_err(|| format!("reading the units of repo {repo}")))?;
        let chunks = self.chunk_keys(repo)?;
        let trees = (&self.units, &self.content, &self.repos, &self.meta, &self.history, &self.commits);
        let generation = trees
            .transaction(|(units, content, repos, meta, history, commits)| {
                for k in &keys {
                    units.remove(k)?;
                    content.remove(k)?;
                }
                for k in &chunks {
                    commits.remove(k)?;
                }
                history.remove(repo.as_bytes())?;
                repos.remove(repo.as_bytes())?;
                Self::bump_generation(meta)
            })
            .map_err(self.tx_err(|| format!("removing repo {repo}")))?;
        self.db.flush().map_err(self.io_err(|| format!("flushing the removal of repo {repo} to disk")))?;
        Ok(generation)
    }

    fn for_each_unit(&self, f: &mut dyn FnMut(&str, &str, StoredUnit)) -> Result<()> {
        for kv in self.units.iter() {
            let (k, v) = kv.map_err(self.io_err(|| "reading every unit".to_string()))?;
            let (repo, path) = split_key(&k);
            let unit: StoredUnit = decode(&v, || format!("unit {repo}:{path}"))?;
            f(&repo, &path, unit);
        }
        Ok(())
    }

    fn unit(&self, repo: &str, path: &str) -> Result<Option<StoredUnit>> {
        match self.units.get(unit_key(repo, path)).map_err(self.io_err(|| format!("reading unit {repo}:{path}")))? {
            Some(v) => Ok(Some(decode(&v, || format!("unit {repo}:{path}"))?)),
            None => Ok(None),
        }
    }

    fn repos(&self) -> Result<Vec<RepoMeta>> {
        let mut out = Vec::new();
        for kv in self.repos.iter() {
            let (k, v) = kv.map_err(self.io_err(|| "reading the repositories".to_string()))?;
            out.push(decode(&v, || format!("repo {}", String::from_utf8_lossy(&k)))?);
        }
        Ok(out)
    }

    fn content(&self, repo: &str, path: &str) -> Result<Option<String>> {
        Ok(self
            .content
            .get(unit_key(repo, path))
            .map_err(self.io_err(|| format!("reading the content of {repo}:{path}")))?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    fn put_record(&self, id: &str, facts: &Facts) -> Result<u64> {
        let value = encode(facts)?;
        let generation = (&self.records, &self.meta)
            .transaction(|(records, meta)| {
                records.insert(id.as_bytes(), value.as_slice())?;
                Self::bump_generation(meta)
            })
            .map_err(self.tx_err(|| format!("writing record {id}")))?;
        self.db.flush().map_err(self.io_err(|| format!("flushing record {id} to disk")))?;
        Ok(generation)
    }

    fn record(&self, id: &str) -> Result<Option<Facts>> {
        match self.records.get(id.as_bytes()).map_err(self.io_err(|| format!("reading record {id}")))? {
            Some(v) => Ok(Some(decode(&v, || format!("record {id}"))?)),
            None => Ok(None),
        }
    }

    fn records(&self) -> Result<Vec<(String, Facts)>> {
        let mut out = Vec::new();
        for kv in self.records.iter() {
            let (k, v) = kv.map_err(self.io_err(|| "reading the API records".to_string()))?;
            let id = String::from_utf8_lossy(&k).into_owned();
            let facts = decode(&v, || format!("record {id}"))?;
            out.push((id, facts));
        }
        Ok(out)
    }

    fn logical_bytes(&self) -> Result<Vec<(&'static str, u64)>> {
        let trees = [
            ("facts", &self.units),
            ("file contents", &self.content),
            ("api records", &self.records),
            ("repos", &self.repos),
            ("history", &self.history),
            ("commits", &self.commits),
            ("meta", &self.meta),
        ];
        let mut out = Vec::with_capacity(trees.len());
        for (name, tree) in trees {
            let mut bytes = 0u64;
            for kv in tree.iter() {
                let (k, v) = kv.map_err(self.io_err(|| format!("reading the {name} tree")))?;
                bytes += (k.len() + v.len()) as u64;
            }
            out.push((name, bytes));
        }
        Ok(out)
    }

    fn history(&self, repo: &str) -> Result<Option<HistoryRecord>> {
        match self.history.get(repo.as_bytes()).map_err(self.io_err(|| format!("reading the history of {repo}")))? {
            Some(v) => decode_history(&v, repo),
            None => Ok(None),
        }
    }

    fn histories(&self) -> Result<Vec<(String, HistoryRecord)>> {
        let mut out = Vec::new();
        for kv in self.history.iter() {
            let (k, v) = kv.map_err(self.io_err(|| "reading the histories".to_string()))?;
            let repo = String::from_utf8_lossy(&k).into_owned();
            if let Some(r) = decode_history(&v, &repo)? {
                out.push((repo, r));
            }
        }
        Ok(out)
    }

    fn for_each_commit(&self, repo: &str, f: &mut dyn FnMut(Commit)) -> Result<()> {
        // Chunks are numbered oldest first and hold their commits newest first.
        for kv in self.commits.scan_prefix(repo_prefix(repo)).rev() {
            let (k, v) = kv.map_err(self.io_err(|| format!("reading the commits of repo {repo}")))?;
            let chunk: Vec<Commit> = decode(&v, || format!("commits of repo {repo} ({} byte key)", k.len()))?;
            chunk.into_iter().for_each(&mut *f);
        }
        Ok(())
    }

    fn generation(&self) -> u64 {
        self.meta
            .get(META_GENERATION)
            .ok()
            .flatten()
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map(u64::from_be_bytes)
            .unwrap_or(0)
    }

    fn store_id(&self) -> String {
        self.meta
            .get(META_STORE_ID)
            .ok()
            .flatten()
            .map(|v| String::from_utf8_lossy(&v).into_owned())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HistoryRecord, HistoryWrite, UnitWrite, HISTORY_SCHEMA};
    use brain_model::{Node, NodeId, NodeKind, Provenance};

    fn unit(repo: &str, path: &str, hash: &str) -> UnitWrite {
        let mut facts = Facts::default();
        facts.node(Node::new(
            NodeId::file(repo, path),
            NodeKind::File,
            path,
            Provenance::declared(repo, path, None, "files"),
        ));
        UnitWrite {
            path: path.into(),
            unit: StoredUnit { hash: hash.into(), facts },
            content: Some(format!("content of {path}")),
        }
    }

    #[test]
    fn commits_replace_and_delete_units_and_survive_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let s = SledStore::open(dir.path()).expect("open");
            let repo = RepoMeta { name: "acme/orders".into(), ..Default::default() };
            let g1 = s
                .commit_repo(&RepoChanges {
                    repo: repo.clone(),
                    upserts: vec![unit("acme/orders", "a.rs", "1"), unit("acme/orders", "b.rs", "1")],
                    deletes: vec![],
                    history: None,
                })
                .expect("commit");
            let g2 = s
                .commit_repo(&RepoChanges {
                    repo,
                    upserts: vec![unit("acme/orders", "a.rs", "2")],
                    deletes: vec!["b.rs".into()],
                    history: None,
                })
                .expect("commit");
            assert!(g2 > g1);
            s.put_record("lesson:1", &Facts::default()).expect("record");
        }
        let s = SledStore::open(dir.path()).expect("reopen");
        assert_eq!(s.unit_hashes("acme/orders").expect("hashes"), vec![("a.rs".to_string(), "2".to_string())]);
        assert_eq!(s.content("acme/orders", "a.rs").expect("content").as_deref(), Some("content of a.rs"));
        assert_eq!(s.content("acme/orders", "b.rs").expect("content"), None);
        assert_eq!(s.records().expect("records").len(), 1);
        assert_eq!(s.repos().expect("repos").len(), 1);
    }

    fn commit(sha: &str) -> Commit {
        Commit {
            sha: sha.into(),
            parents: 1,
            author: "Ann".into(),
            email: "ann@example.com".into(),
            time: 1,
            message: format!("change {sha}"),
            files: vec![],
            files_total: 0,
        }
    }

    fn record(head: &str, commits: u32) -> HistoryRecord {
        HistoryRecord {
            schema: HISTORY_SCHEMA,
            head: head.into(),
            read: "test".into(),
            commits,
            chunks: 0,
            summary_revision: 1,
            summary: Default::default(),
        }
    }

    fn put_history(s: &SledStore, repo: &str, history: HistoryWrite) -> u64 {
        let meta = RepoMeta { name: repo.into(), ..Default::default() };
        s.commit_repo(&RepoChanges { repo: meta, history: Some(history), ..Default::default() }).expect("commit")
    }

    fn shas(s: &SledStore, repo: &str) -> Vec<String> {
        let mut out = Vec::new();
        s.for_each_commit(repo, &mut |c| out.push(c.sha)).expect("commits");
        out
    }

    #[test]
    fn history_appends_replaces_survives_reopen_and_goes_with_its_repo() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let s = SledStore::open(dir.path()).expect("open");
            let chunks = vec![vec![commit("2"), commit("1")], vec![commit("4"), commit("3")]];
            put_history(&s, "r", HistoryWrite::Put { record: record("4", 4), chunks, replace: false });
            put_history(
                &s,
                "other",
                HistoryWrite::Put { record: record("x", 1), chunks: vec![vec![commit("x")]], replace: true },
            );
            let g = put_history(
                &s,
                "r",
                HistoryWrite::Put { record: record("5", 5), chunks: vec![vec![commit("5")]], replace: false },
            );
            assert_eq!(g, s.generation());
            assert_eq!(shas(&s, "r"), ["5", "4", "3", "2", "1"], "newest first across chunks");
            assert_eq!(s.history("r").expect("record").map(|r| (r.head, r.chunks)), Some(("5".to_string(), 3)));
        }
        let s = SledStore::open(dir.path()).expect("reopen");
        assert_eq!(shas(&s, "r"), ["5", "4", "3", "2", "1"]);
        assert_eq!(s.histories().expect("all").len(), 2);
        put_history(
            &s,
            "r",
            HistoryWrite::Put { record: record("9", 1), chunks: vec![vec![commit("9")]], replace: true },
        );
        assert_eq!(shas(&s, "r"), ["9"], "a rewritten history replaces the stored one");
        put_history(&s, "r", HistoryWrite::Remove);
        assert!(s.history("r").expect("record").is_none() && shas(&s, "r").is_empty());
        s.remove_repo("other").expect("remove");
        assert!(s.histories().expect("all").is_empty() && shas(&s, "other").is_empty());
    }

    #[test]
    fn a_history_of_another_schema_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = SledStore::open(dir.path()).expect("open");
        let mut old = record("1", 1);
        old.schema = HISTORY_SCHEMA + 1;
        put_history(&s, "r", HistoryWrite::Put { record: old, chunks: vec![vec![commit("1")]], replace: true });
        assert!(s.history("r").expect("read").is_none(), "another schema reads as no history");
        // An append without a readable record replaces the chunks it cannot count.
        put_history(
            &s,
            "r",
            HistoryWrite::Put { record: record("2", 1), chunks: vec![vec![commit("2")]], replace: false },
        );
        assert_eq!(shas(&s, "r"), ["2"]);
    }

    #[test]
    fn a_store_from_another_schema_version_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let s = SledStore::open(dir.path()).expect("open");
            s.meta.insert(META_SCHEMA, &(SCHEMA_VERSION + 1).to_be_bytes()).expect("insert");
            s.db.flush().expect("flush");
        }
        let err = SledStore::open(dir.path()).err().expect("must fail");
        let msg = err.to_string();
        assert!(msg.contains("newer brain"), "{msg}");
    }
}
