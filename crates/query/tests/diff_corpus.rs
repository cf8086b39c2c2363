//! Slow corpus check of the diff parser against real history (ignored by default).
//!
//! ```sh
//! git log -p -M --first-parent -n 400 --format='commit %H' > /tmp/log.diff
//! git log -M --first-parent -n 400 --numstat --format='commit %H' > /tmp/numstat.txt
//! BRAIN_DIFF_LOG=/tmp/log.diff BRAIN_DIFF_NUMSTAT=/tmp/numstat.txt \
//!   cargo test -p brain-query --test diff_corpus -- --ignored --nocapture
//! ```
//! Every file's added/removed line counts must equal git's `--numstat`.

use brain_query::diff::parse_unified_diff;
use std::collections::HashMap;

fn split_commits(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(sha) = line.strip_prefix("commit ") {
            out.push((sha.trim().to_string(), String::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push_str(line);
        }
    }
    out
}

#[test]
#[ignore]
fn real_history_matches_numstat() {
    let (Ok(log), Ok(numstat)) = (std::env::var("BRAIN_DIFF_LOG"), std::env::var("BRAIN_DIFF_NUMSTAT")) else {
        eprintln!("set BRAIN_DIFF_LOG and BRAIN_DIFF_NUMSTAT");
        return;
    };
    let log = std::fs::read_to_string(log).expect("read log");
    let numstat = std::fs::read_to_string(numstat).expect("read numstat");
    // numstat: per commit, path -> (added, removed); renames appear as `old => new` forms.
    let mut expected: HashMap<String, Vec<(u32, u32, String)>> = HashMap::new();
    for (sha, body) in split_commits(&numstat) {
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let mut it = line.splitn(3, '\t');
            let (Some(a), Some(r), Some(p)) = (it.next(), it.next(), it.next()) else { continue };
            if a == "-" {
                continue; // binary
            }
            expected.entry(sha.clone()).or_default().push((
                a.parse().unwrap_or(0),
                r.parse().unwrap_or(0),
                p.to_string(),
            ));
        }
    }
    let (mut files, mut diags, mut mismatches) = (0usize, 0usize, 0usize);
    for (sha, body) in split_commits(&log) {
        let parsed = parse_unified_diff("corpus", &body);
        diags += parsed.diagnostics.len();
        for d in &parsed.diagnostics {
            eprintln!("{sha}: {}", d.render());
        }
        // A type change (file -> symlink) is a delete plus an add in `log -p` but one
        // numstat line: aggregate per path on both sides.
        let mut per_path: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
        for f in parsed.files.iter().filter(|f| !f.binary) {
            let n = |v: &[brain_query::LineRange]| v.iter().map(|r| r.end - r.start + 1).sum::<u32>();
            let key = f.new_path.clone().or(f.old_path.clone()).unwrap_or_default();
            let e = per_path.entry(key).or_default();
            e.0 += n(&f.added);
            e.1 += n(&f.removed);
        }
        let mut got: Vec<(u32, u32)> = per_path.into_values().collect();
        files += got.len();
        let mut want: Vec<(u32, u32)> =
            expected.get(&sha).map(|v| v.iter().map(|(a, r, _)| (*a, *r)).collect()).unwrap_or_default();
        // Pure renames of binary files carry no "Binary files" line in `log -p`
        // (numstat says `-`): ignore empty entries on both sides.
        got.retain(|c| *c != (0, 0));
        want.retain(|c| *c != (0, 0));
        got.sort();
        want.sort();
        if got != want {
            mismatches += 1;
            eprintln!("{sha}: parsed {got:?}\n   numstat {want:?}");
        }
    }
    eprintln!("files {files}, diagnostics {diags}, commits with mismatches {mismatches}");
    assert_eq!(mismatches, 0);
    assert_eq!(diags, 0);
}
