//! Lessons round-trip through markdown files kept in git: export from one
//! brain, import into another, nothing lost.

use brain_ingest::{Brain, NoProgress, RepoConfig};
use brain_model::NodeId;
use std::process::Command;

#[test]
fn lessons_export_and_import_round_trip() {
    let work = tempfile::tempdir().expect("tempdir");
    let repo = work.path().join("billing");
    std::fs::create_dir_all(&repo).expect("mkdir");
    std::fs::write(repo.join("consumer.py"), "def handle(event):\n    return event[\"created_at\"]\n").expect("write");
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    let cfg = RepoConfig { name: "acme/billing".into(), path: repo, include: vec![], exclude: vec![] };
    let file = NodeId::file("acme/billing", "consumer.py");
    let original = {
        let brain = Brain::open(&a, brain_stack::ingestors(), brain_stack::passes()).expect("open");
        brain.ingest_repo(&cfg, &NoProgress).expect("ingest");
        let input = brain_query::LessonInput {
            text: "Read order.created fields by their wire names:\n`created_at`, not `createdAt`.".into(),
            applies_to: vec![file.clone()],
            tags: vec!["contract".into(), "events".into()],
            author: "agent:fixer".into(),
            valid_until: Some("2027-01-01".into()),
            ..Default::default()
        };
        let facts = brain_query::lesson_facts(&input, 1_763_700_000);
        let id = facts.nodes[0].id.0.clone();
        brain.put_record(&id, facts.clone()).expect("record");
        facts
    };
    let dir = work.path().join("lessons");
    let bin = env!("CARGO_BIN_EXE_brain");
    let out =
        Command::new(bin).args(["lessons", "export"]).arg(&dir).arg("--data-dir").arg(&a).output().expect("export");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("exported 1 lessons"));
    let out =
        Command::new(bin).args(["lessons", "import"]).arg(&dir).arg("--data-dir").arg(&b).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let brain = Brain::open(&b, brain_stack::ingestors(), brain_stack::passes()).expect("open b");
    let records = brain.store().records().expect("records");
    assert_eq!(records.len(), 1);
    let (_, back) = &records[0];
    assert_eq!(back.nodes[0].id, original.nodes[0].id);
    assert_eq!(back.nodes[0].attrs, original.nodes[0].attrs);
    assert_eq!(back.nodes[0].text, original.nodes[0].text);
    let edges = |f: &brain_model::Facts| f.edges.iter().map(|e| (e.kind, e.to.clone())).collect::<Vec<_>>();
    assert_eq!(edges(back), edges(&original));
}

#[cfg(unix)]
#[test]
fn hostile_files_in_an_import_dir_are_skipped_and_the_rest_imported() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path().join("lessons");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let lesson = |id: &str| format!("---\nid: \"{id}\"\nstatus: active\n---\nA lesson.\n");
    std::fs::write(dir.join("good.md"), lesson("lesson:good1")).expect("write");
    // Claims another entity's id, or a path.
    std::fs::write(dir.join("impostor.md"), lesson("file:acme/billing:consumer.py")).expect("write");
    std::fs::write(dir.join("climber.md"), lesson("lesson:../../etc/passwd")).expect("write");
    // A symlink to a lesson outside the directory is not followed.
    std::fs::write(work.path().join("outside.md"), lesson("lesson:outside1")).expect("write");
    std::os::unix::fs::symlink(work.path().join("outside.md"), dir.join("link.md")).expect("symlink");
    // Too large to be a lesson (sparse: nothing is written), and not UTF-8.
    std::fs::File::create(dir.join("huge.md")).and_then(|f| f.set_len(64 * 1024 * 1024)).expect("sparse file");
    std::fs::write(dir.join("binary.md"), [0xff, 0xfe, 0x00, 0x2d]).expect("write");

    let data = work.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_brain"))
        .args(["lessons", "import"])
        .arg(&dir)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .expect("import");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "some files failed: the exit code says so");
    assert!(stdout.contains("imported 1 lessons") && stdout.contains("5 files could not be read"), "{stdout}");
    for (file, why) in [
        ("impostor.md", "not a lesson id"),
        ("climber.md", "not a lesson id"),
        ("link.md", "symbolic link; not followed"),
        ("huge.md", "byte limit"),
        ("binary.md", "cannot read"),
    ] {
        assert!(stderr.lines().any(|l| l.contains(file) && l.contains(why)), "{file}: {stderr}");
    }
    let brain = Brain::open(&data, brain_stack::ingestors(), brain_stack::passes()).expect("open");
    let ids: Vec<String> = brain.store().records().expect("records").into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec!["lesson:good1".to_string()]);
}
