//! A running `brain serve`, as the rest of the CLI sees it: the record it
//! leaves in its data dir (pid and address), the error other commands give
//! when the store is locked by it, and the signals that stop it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// File in the data dir naming the server that holds it.
const RECORD_FILE: &str = "server.pid";

/// Exit status when the data dir is in use by another process (sysexits'
/// `EX_TEMPFAIL`: try again later, or ask the running server).
pub const IN_USE_EXIT: u8 = 75;

/// `pid N` and `addr HOST:PORT` in `<data dir>/server.pid` while a server runs;
/// removed when it stops (a killed server leaves it: it is only ever read to
/// explain a lock someone holds, never trusted to mean a server is up).
pub struct ServerRecord {
    path: PathBuf,
}

impl ServerRecord {
    /// Records this process as the server of `data_dir` at `addr`. Best effort:
    /// without the record, a lock error is less specific, nothing else changes.
    pub fn write(data_dir: &Path, addr: SocketAddr) -> ServerRecord {
        let path = data_dir.join(RECORD_FILE);
        if let Err(e) = std::fs::write(&path, format!("pid {}\naddr {addr}\n", std::process::id())) {
            tracing::warn!(path = %path.display(), error = %e, "cannot record the server in its data dir");
        }
        ServerRecord { path }
    }

    /// The pid and address recorded in `data_dir`, if any.
    pub fn read(data_dir: &Path) -> Option<(u32, SocketAddr)> {
        let text = std::fs::read_to_string(data_dir.join(RECORD_FILE)).ok()?;
        let field = |key: &str| text.lines().find_map(|l| l.strip_prefix(key)).map(str::trim);
        Some((field("pid ")?.parse().ok()?, field("addr ")?.parse().ok()?))
    }
}

impl Drop for ServerRecord {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The store of a data dir is locked by another process: what to do instead.
#[derive(Debug)]
pub struct InUse {
    pub dir: PathBuf,
    /// The running server's pid and address, when it recorded them.
    pub server: Option<(u32, SocketAddr)>,
}

impl std::fmt::Display for InUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dir = self.dir.display();
        match self.server {
            Some((pid, addr)) => write!(
                f,
                "the brain at {dir} is in use by a running server (pid {pid}); ask it over HTTP at \
                 http://{addr}/graphql (MCP: http://{addr}/mcp), or stop it (kill {pid}) and run this again"
            ),
            None => write!(
                f,
                "the brain at {dir} is in use by another brain process (a server or an ingest); ask a running \
                 server over HTTP, or wait for it to finish or stop it and run this again"
            ),
        }
    }
}

impl std::error::Error for InUse {}

impl InUse {
    /// The data dir's lock is held: name the server from its record when there is one and its
    /// process still runs (a server killed with `kill -9` leaves its record behind).
    pub fn at(dir: &Path) -> InUse {
        InUse { dir: dir.to_path_buf(), server: ServerRecord::read(dir).filter(|(pid, _)| alive(*pid)) }
    }
}

/// Whether a process runs: `/proc/<pid>` exists where there is a `/proc`; elsewhere assumed.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Waits for SIGTERM (a container or service stop) or SIGINT (Ctrl-C) and names it.
pub async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "SIGINT",
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C still stops the server");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_servers_record_is_not_blamed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let addr: SocketAddr = "127.0.0.1:7777".parse().expect("addr");
        let record = ServerRecord::write(dir.path(), addr);
        let mine = InUse::at(dir.path());
        assert_eq!(mine.server, Some((std::process::id(), addr)));
        drop(record);
        std::fs::write(dir.path().join(RECORD_FILE), "pid 999999999\naddr 127.0.0.1:7777\n").expect("write");
        let stale = InUse::at(dir.path());
        assert_eq!(stale.server, None);
        assert!(stale.to_string().contains("another brain process"), "{stale}");
    }
}
