//! The persisted snapshot: `snapshot.bin` in the data directory.
//!
//! Derived data, like the search index: sled stays the truth. The file is
//! the encoded graph ([`Graph::encode_to`]) followed by the blake3 hash of
//! everything before it. It is written to a temporary file, synced and
//! renamed into place, so a crash leaves the old file or the new one, and a
//! reader checks the hash and the stamp (store generation, format, linker)
//! before trusting it. Anything else (missing, torn, foreign, older) means
//! "relink from the store", never an error.

use brain_graph::{Graph, SnapshotStamp};
use std::io::Write;
use std::path::{Path, PathBuf};

const FILE: &str = "snapshot.bin";
const HASH_LEN: usize = 32;

pub(crate) fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Writes `graph` stamped with `stamp`, atomically.
pub(crate) fn write(data_dir: &Path, graph: &Graph, stamp: &SnapshotStamp) -> std::io::Result<()> {
    let target = path(data_dir);
    let tmp = data_dir.join(format!("{FILE}.tmp"));
    let file = std::fs::File::create(&tmp)?;
    let mut out =
        HashingWriter { inner: std::io::BufWriter::with_capacity(1 << 20, file), hasher: blake3::Hasher::new() };
    graph.encode_to(stamp, &mut out)?;
    let hash = out.hasher.finalize();
    let mut buffered = out.inner;
    buffered.write_all(hash.as_bytes())?;
    let file = buffered.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, &target)?;
    // Make the rename durable too; a directory that cannot be synced is not fatal.
    if let Ok(dir) = std::fs::File::open(data_dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The snapshot on disk if it is whole and stamped exactly `expected`;
/// `Err` says why not (for a log line).
pub(crate) fn read(data_dir: &Path, expected: &SnapshotStamp) -> Result<Graph, String> {
    let bytes = match std::fs::read(path(data_dir)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("no snapshot file".into()),
        Err(e) => return Err(format!("cannot read the snapshot file: {e}")),
    };
    if bytes.len() < HASH_LEN {
        return Err("snapshot file is truncated".into());
    }
    let (body, hash) = bytes.split_at(bytes.len() - HASH_LEN);
    let stamp = brain_graph::read_stamp(body).map_err(|e| format!("snapshot file is damaged ({e})"))?;
    if &stamp != expected {
        return Err(format!(
            "snapshot is for generation {} ({}, format {}); the store is at {} ({}, format {})",
            stamp.generation, stamp.linker, stamp.format, expected.generation, expected.linker, expected.format
        ));
    }
    // The checksum is verified while the body decodes; a mismatch discards the result.
    std::thread::scope(|scope| {
        let verified = scope.spawn(|| blake3::hash(body).as_bytes() == hash);
        let decoded = Graph::decode(body);
        if !verified.join().unwrap_or(false) {
            return Err("snapshot file is damaged (checksum mismatch)".to_string());
        }
        decoded.map(|(_, graph)| graph).map_err(|e| e.to_string())
    })
}

/// Passes bytes through while hashing them.
struct HashingWriter<W> {
    inner: W,
    hasher: blake3::Hasher,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
