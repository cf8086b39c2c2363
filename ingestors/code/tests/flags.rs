//! Feature-flag evaluations, one annotated fixture per language (`tests/flags/`): a line ending
//! in `flag: NAME` must give exactly one evaluation of NAME on that line, a line marked `dynamic`
//! a `flag.dynamic-key` diagnostic; nothing else may be reported (precision and recall both 1).

use brain_ingest_code::CodeIngestor;
use brain_model::{attr::ns, EdgeKind, Ingestor, RefTarget, SourceFile};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn every_annotated_evaluation_and_nothing_else() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/flags");
    let mut names: Vec<_> = std::fs::read_dir(&dir).expect("dir").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    assert!(names.len() >= 10);
    for p in names {
        let rel = p.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        let content = std::fs::read_to_string(&p).expect("read");
        let facts = CodeIngestor.ingest(&SourceFile { repo: "acme/shop", path: &rel, content: &content });
        let mut want = BTreeSet::new();
        let mut want_dynamic = BTreeSet::new();
        for (i, line) in content.lines().enumerate() {
            let n = i as u32 + 1;
            if let Some((_, name)) = line.rsplit_once("flag: ") {
                want.insert((n, name.trim().to_string()));
            } else if line.trim_end().ends_with("// dynamic") || line.trim_end().ends_with("# dynamic") {
                want_dynamic.insert(n);
            }
        }
        let mut got = BTreeSet::new();
        for r in facts.refs.iter().filter(|r| r.kind == EdgeKind::Evaluates) {
            let RefTarget::Key { ns: kns, key, .. } = &r.target else { panic!("{rel}: not a key reference") };
            assert_eq!(kns, ns::FLAG);
            assert!(!r.prov.origin.is_declared(), "{rel}: an evaluation by method name is inferred");
            let first = r.prov.span.map(|s| s.start_line).unwrap_or(0);
            let lines: Vec<u32> = match r.attr("lines") {
                Some(ls) => ls.split(',').filter_map(|x| x.parse().ok()).collect(),
                None => vec![first],
            };
            for l in lines {
                got.insert((l, key.clone()));
            }
        }
        assert_eq!(got, want, "{rel}: evaluations");
        let dynamic: BTreeSet<u32> =
            facts.diagnostics.iter().filter(|d| d.code == "flag.dynamic-key").filter_map(|d| d.line).collect();
        assert_eq!(dynamic, want_dynamic, "{rel}: run-time keys");
    }
}
