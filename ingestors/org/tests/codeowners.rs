//! CODEOWNERS: GitHub's documented semantics, GitLab sections, and the pass.

mod common;

use brain_ingest_org::codeowners::{self, parse_with, reviewers_cover, Flavor};
use brain_model::{EdgeKind, NodeId};

fn owners(rs: &codeowners::Ruleset, path: &str) -> Option<Vec<String>> {
    rs.owners_of(path).map(|d| d.owners)
}

fn v(xs: &[&str]) -> Option<Vec<String>> {
    Some(xs.iter().map(|s| s.to_string()).collect())
}

#[test]
fn github_documented_example() {
    let text = std::fs::read_to_string(common::fixture_dir("orders").join(".github/CODEOWNERS")).unwrap_or_default();
    let (rs, errors) = codeowners::parse(&text);
    let err_lines: Vec<u32> = errors.iter().map(|e| e.line).collect();
    assert_eq!(err_lines, vec![26, 28], "{errors:?}");
    assert_eq!(owners(&rs, "README.md"), v(&["@global-owner1", "@global-owner2"]));
    assert_eq!(owners(&rs, "src/app.js"), v(&["@js-owner"]));
    assert_eq!(owners(&rs, "src/main.go"), v(&["docs@example.com"]));
    assert_eq!(owners(&rs, "notes.txt"), v(&["@octo-org/octocats"]));
    assert_eq!(owners(&rs, "build/logs/out.log"), v(&["@octocat"]), "**/logs comes later and wins");
    assert_eq!(owners(&rs, "docs/getting-started.md"), v(&["docs@example.com"]));
    assert_eq!(owners(&rs, "docs/build-app/troubleshooting.md"), v(&["@global-owner1", "@global-owner2"]));
    assert_eq!(owners(&rs, "apps/web/index.html"), v(&["@octocat"]));
    assert_eq!(owners(&rs, "x/apps/y.txt"), v(&["@octocat"]), "apps/ matches at any depth");
    assert_eq!(owners(&rs, "scripts/deploy.sh"), v(&["@doctocat", "@octocat"]));
    assert_eq!(owners(&rs, "deep/nested/logs/x.log"), v(&["@octocat"]));
    assert_eq!(owners(&rs, "apps/github/main.rb"), v(&[]), "a rule without owners unsets ownership");
    assert_eq!(owners(&rs, "#notes"), v(&["@hash-owner"]));
    let d = rs.owners_of("apps/github/main.rb").unwrap_or_else(|| panic!("decision"));
    assert_eq!((d.rule_line, d.pattern.as_str()), (22, "/apps/github"));
}

#[test]
fn github_star_does_not_cross_slashes_and_ranges_are_literal() {
    let (rs, _) = codeowners::parse("docs/*.md @a\n/x/[ab].txt @b\n/y/** @c\n");
    assert_eq!(owners(&rs, "docs/a.md"), v(&["@a"]));
    assert_eq!(owners(&rs, "docs/sub/a.md"), None);
    assert_eq!(owners(&rs, "x/a.txt"), None, "GitHub has no [ ] ranges");
    assert_eq!(owners(&rs, "x/[ab].txt"), v(&["@b"]));
    assert_eq!(owners(&rs, "y/z/w"), v(&["@c"]));
    assert_eq!(owners(&rs, "y"), None);
}

#[test]
fn gitlab_sections_combine() {
    let text = std::fs::read_to_string(common::fixture_dir("billing").join(".gitlab/CODEOWNERS")).unwrap_or_default();
    let (rs, errors) = parse_with(&text, Flavor::GitLab);
    assert!(errors.is_empty(), "{errors:?}");
    let mut readme = owners(&rs, "README.md").unwrap_or_default();
    readme.sort();
    assert_eq!(readme, vec!["@billing-lead", "@user1", "@user2", "@user3"]);
    let mut internal = owners(&rs, "internal/README.md").unwrap_or_default();
    internal.sort();
    assert_eq!(internal, vec!["@billing-lead", "@user3", "@user4"]);
    assert_eq!(owners(&rs, "docs/guide.md"), v(&["@billing-lead", "@docs-team"]));
    assert_eq!(owners(&rs, "db/conn.go"), v(&["@billing-lead", "@go-team", "@database-team"]));
    assert_eq!(owners(&rs, "db/schema.go"), v(&["@billing-lead", "@go-team"]), "excluded from Database");
    let go = rs.sections.iter().find(|s| s.name == "Go code").unwrap_or_else(|| panic!("section"));
    assert!(go.optional);
    assert_eq!(go.approvals, Some(2));
    assert_eq!(rs.decisions_of("db/conn.go").len(), 3);
    let (rs, _) = parse_with("[x]\n/a/[ab].txt @r\n", Flavor::GitLab);
    assert_eq!(owners(&rs, "a/b.txt"), v(&["@r"]), "GitLab has ranges");
}

#[test]
fn reviewers_cover_all_paths() {
    let (rs, _) = codeowners::parse("* @lead\n/a/ @x @y\n/b/ @y\n/c/ @z\n/d/\n");
    let ds: Vec<_> = ["a/1", "b/1", "c/1", "d/1"].iter().filter_map(|p| rs.owners_of(p)).collect();
    assert_eq!(reviewers_cover(&ds), vec!["@y".to_string(), "@z".to_string()]);
}

#[test]
fn ingest_snapshot() {
    let files = common::load("orders");
    let facts = common::ingest(&brain_ingest_org::CodeownersIngestor, "acme/orders", &files);
    insta::assert_snapshot!(common::render(&facts));
}

#[test]
fn pass_links_owners_and_reports_stale_rules() {
    let g =
        common::build(&[common::repo_facts("acme/orders", "orders"), common::repo_facts("acme/billing", "billing")]);
    let owns = |owner: &str, to: NodeId| {
        g.outgoing(&NodeId::owner(owner)).any(|e| e.edge.kind == EdgeKind::Owns && e.other.id == to)
    };
    assert!(owns("@js-owner", NodeId::file("acme/orders", "src/app.js")));
    assert!(!owns("@global-owner1", NodeId::file("acme/orders", "src/app.js")));
    assert!(owns("@global-owner1", NodeId::repo("acme/orders")), "catch-all owns the repo");
    assert!(!owns("@root-owner", NodeId::repo("acme/orders")), "root CODEOWNERS loses to .github");
    assert!(owns("@global-owner1", NodeId::service("orders")), "service owned through catalog-info.yaml");
    assert!(owns("@database-team", NodeId::file("acme/billing", "db/conn.go")));
    assert!(!owns("@database-team", NodeId::file("acme/billing", "db/schema.go")));
    let nobody = g
        .incoming(&NodeId::file("acme/orders", "apps/github/main.rb"))
        .filter(|e| e.edge.kind == EdgeKind::Owns)
        .count();
    assert_eq!(nobody, 0);
    let e = g
        .incoming(&NodeId::file("acme/orders", "scripts/deploy.sh"))
        .find(|e| e.edge.kind == EdgeKind::Owns)
        .unwrap_or_else(|| panic!("owned"));
    assert_eq!(e.edge.attr("rule"), Some(".github/CODEOWNERS:20"));
    assert_eq!(e.edge.prov.span.map(|s| s.start_line), Some(20));
    insta::assert_snapshot!(common::diagnostics(&g, "codeowners"));
}

/// Patterns seen in a large real CODEOWNERS file (grafana's, read through
/// the search index), rewritten as our own fixture.
#[test]
fn patterns_from_a_large_real_file() {
    let text = "\
/docs/                                   @org/docs-tooling\n\
/docs/sources/                           @writer\n\
/.github/workflows/run-e2e.yml  @org/dash\n\
/packages/data/src/**/*logs* @org/logs\n\
*_mig.go @org/storage\n\
/public/app/plugins/panel/* @org/dataviz\n\
/public/app/plugins/panel/table/ @org/tables\n\
/public/app/features/edit/PanelStyles*.tsx/ @org/dataviz\n\
/scripts/ci-* @org/ci\n\
i18next.config.ts @org/i18n\n";
    let (rs, errors) = codeowners::parse(text);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rs.rules.len(), 10);
    assert_eq!(owners(&rs, "docs/sources/a/b.md"), v(&["@writer"]), "more specific rule later wins");
    assert_eq!(owners(&rs, "docs/x.md"), v(&["@org/docs-tooling"]));
    assert_eq!(owners(&rs, ".github/workflows/run-e2e.yml"), v(&["@org/dash"]), "two spaces before the owner");
    assert_eq!(owners(&rs, "packages/data/src/utils/logsModel.ts"), v(&["@org/logs"]));
    assert_eq!(owners(&rs, "packages/data/src/logs.ts"), v(&["@org/logs"]), "** spans zero directories");
    assert_eq!(owners(&rs, "pkg/services/sqlstore/x_mig.go"), v(&["@org/storage"]));
    assert_eq!(owners(&rs, "public/app/plugins/panel/module.ts"), v(&["@org/dataviz"]));
    assert_eq!(owners(&rs, "public/app/plugins/panel/gauge/module.ts"), None, "dir/* owns direct children only");
    assert_eq!(owners(&rs, "public/app/plugins/panel/table/cells/x.tsx"), v(&["@org/tables"]));
    assert_eq!(
        owners(&rs, "public/app/features/edit/PanelStylesSection.tsx"),
        None,
        "a trailing slash wants a directory"
    );
    assert_eq!(owners(&rs, "scripts/ci-build.sh"), v(&["@org/ci"]));
    assert_eq!(owners(&rs, "packages/x/i18next.config.ts"), v(&["@org/i18n"]), "no slash: any depth");
}

/// Hostile input (issue 8): patterns with many `*` or `**` made the matcher
/// backtrack exponentially, so a few bytes of CODEOWNERS hung every snapshot
/// build (the first rule took minutes against one 40-character file name at
/// 12 stars; here there are 24). Matching is now linear in pattern × path.
#[test]
fn hostile_star_patterns_finish_and_report_stale_rules() {
    let stars = format!("{}b", "*a".repeat(24));
    let deep = format!("/{}c", "**/a/".repeat(24));
    let text = format!("{stars} @acme/stars\n{deep} @acme/deep\n*.rs @acme/rust\n");
    let long = "a".repeat(64);
    let nested = vec!["a"; 48].join("/");
    let files: Vec<(String, String)> = vec![
        (".github/CODEOWNERS".into(), text),
        (format!("src/{long}"), String::new()),
        (format!("src/{long}b"), String::new()),
        (format!("{nested}/x.rs"), String::new()),
    ];
    let mut facts = common::file_facts("acme/x", &files);
    facts.extend(common::ingest(&brain_ingest_org::CodeownersIngestor, "acme/x", &files));
    let g = common::build(&[facts]);
    let owned_by = |path: &str| -> Vec<String> {
        g.incoming(&NodeId::file("acme/x", path))
            .filter(|e| e.edge.kind == EdgeKind::Owns)
            .map(|e| e.other.id.to_string())
            .collect()
    };
    assert_eq!(owned_by(&format!("src/{long}b")), vec![NodeId::owner("@acme/stars").to_string()]);
    assert!(owned_by(&format!("src/{long}")).is_empty());
    assert_eq!(owned_by(&format!("{nested}/x.rs")), vec![NodeId::owner("@acme/rust").to_string()]);
    assert_eq!(
        common::diagnostics(&g, "codeowners"),
        format!("acme/x:.github/CODEOWNERS:2: warning[codeowners.stale-rule]: `{deep}` matches no file in acme/x")
    );
}
