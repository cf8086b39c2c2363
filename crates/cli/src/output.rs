//! Human output: logging setup, progress bars, summaries, and standard
//! output that ends quietly when its reader goes away (`brain … | head`).

/// `println!` that returns an error instead of panicking when standard output
/// fails; a closed pipe becomes [`StdoutClosed`], which `main` ends quietly on.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($t)*).map_err($crate::output::stdout_error)?
    }};
}

/// `print!` that returns an error instead of panicking (see [`outln!`]).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($t)*).map_err($crate::output::stdout_error)?
    }};
}

use brain_ingest::{IngestObserver, IngestReport};
use brain_model::Severity;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;

/// Standard output's reader went away (`brain … | head` after its lines):
/// not a failure of the command, so `main` exits without a message.
#[derive(Debug)]
pub struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed by its reader")
    }
}

impl std::error::Error for StdoutClosed {}

/// A write to standard output failed: a closed pipe is [`StdoutClosed`],
/// anything else (a full disk behind a redirect) stays an error with its cause.
pub fn stdout_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        anyhow::Error::new(StdoutClosed)
    } else {
        anyhow::Error::new(e).context("writing to standard output")
    }
}

/// Exit status after [`StdoutClosed`]: what a shell reports for a process
/// ended by SIGPIPE (128 + 13), so `set -o pipefail` gates never read a cut
/// answer as a pass.
pub const CLOSED_PIPE_EXIT: u8 = 141;

pub fn init_tracing(level: &str, json: bool) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(level).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// A progress bar on a terminal; silent in CI, when piped, or with `--quiet`.
pub struct Progress {
    bar: Mutex<Option<ProgressBar>>,
    enabled: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        let enabled = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress { bar: Mutex::new(None), enabled }
    }
    pub fn finish(&self) {
        if let Some(b) = self.bar.lock().unwrap_or_else(|p| p.into_inner()).take() {
            b.finish_and_clear();
        }
    }
}

impl IngestObserver for Progress {
    fn repo_started(&self, repo: &str, files: usize) {
        if !self.enabled {
            return;
        }
        let bar = ProgressBar::new(files as u64);
        if let Ok(style) = ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos}/{len} files {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(repo.to_string());
        if let Some(old) = self.bar.lock().unwrap_or_else(|p| p.into_inner()).replace(bar) {
            old.finish_and_clear();
        }
    }
    fn file_done(&self, _repo: &str, _path: &str) {
        if let Some(b) = self.bar.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            b.inc(1);
        }
    }
}

/// Prints one repo's summary and its notable diagnostics.
pub fn print_report(r: &IngestReport, max_diagnostics: usize) -> anyhow::Result<()> {
    outln!(
        "{}: {} files seen, {} parsed, {} unchanged, {} removed, {} skipped, {} failed; {} nodes and {} edges written in {:.2}s{}",
        line(&r.repo),
        r.files_seen,
        r.parsed,
        r.unchanged,
        r.removed,
        r.skipped,
        r.failed,
        r.nodes_written,
        r.edges_written,
        r.duration.as_secs_f64(),
        r.commit.as_deref().map(|c| format!(" (commit {})", &c[..c.len().min(12)])).unwrap_or_default(),
    );
    if let Some(h) = r.history.as_ref().filter(|h| h.head.is_some()) {
        outln!(
            "  history: {} commits read{}, {} stored; {} files with history, {} co-change pairs ({:.2}s)",
            h.commits_read,
            if h.replaced { " afresh" } else { "" },
            h.commits_total,
            h.files,
            h.pairs,
            h.duration.as_secs_f64(),
        );
    }
    let mut notable: Vec<_> = r.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).collect();
    notable.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.path.cmp(&b.path)).then(a.line.cmp(&b.line)));
    for d in notable.iter().take(max_diagnostics) {
        outln!("  {}", line(&d.render()));
    }
    if notable.len() > max_diagnostics {
        outln!("  ... and {} more (see `brain stats --diagnostics`)", notable.len() - max_diagnostics);
    }
    Ok(())
}

/// One line of text from the data (a file name, an id, a diagnostic, a
/// commit subject) as it may reach a terminal: control characters —
/// escape sequences, newlines that would forge lines, carriage returns —
/// and bidirectional overrides are shown escaped (`\x1b`, `\n`, `\u{202e}`).
pub fn line(s: &str) -> std::borrow::Cow<'_, str> {
    escape(s, false)
}

/// [`line`] for a multi-line rendering: newlines and tabs stay, every other
/// control character is escaped.
pub fn block(s: &str) -> std::borrow::Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && !(keep_lines && (c == '\n' || c == '\t')))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal_raw() {
        assert_eq!(line("src/a.rs"), "src/a.rs");
        assert_eq!(line("evil\u{1b}[31mred\nfake.rs\r"), "evil\\x1b[31mred\\nfake.rs\\r");
        assert_eq!(line("a\u{202e}sr.exe"), "a\\u{202e}sr.exe");
        assert_eq!(line("bell\u{7}\u{9b}"), "bell\\x07\\x9b");
        assert_eq!(block("two\nlines\u{1b}]0;title\u{7}"), "two\nlines\\x1b]0;title\\x07");
    }
}
