//! `CodeLinkPass`: a Go import of a sub-package of a go.mod module links to that directory's files.

use brain_graph::GraphBuilder;
use brain_ingest_code::{CodeIngestor, CodeLinkPass};
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, SourceFile};

fn file(repo: &str, path: &str, content: &str) -> Facts {
    let mut f = Facts::default();
    f.node(Node::new(NodeId::file(repo, path), NodeKind::File, path, Provenance::declared(repo, path, None, "files")));
    f.extend(CodeIngestor.ingest(&SourceFile { repo, path, content }));
    f
}

/// The root `go.mod` of module `github.com/acme/shop`, as the manifest ingestor gives it.
fn go_mod(repo: &str) -> Facts {
    let mut gomod = Facts::default();
    let pkg = NodeId::package("go", "github.com/acme/shop");
    gomod.node(
        Node::new(
            pkg.clone(),
            NodeKind::Package,
            "github.com/acme/shop",
            Provenance::declared(repo, "go.mod", None, "manifest"),
        )
        .with_attr(attr::DIR, ""),
    );
    gomod.provide(&pkg, ns::MODULE, "go:github.com/acme/shop");
    gomod
}

#[test]
fn go_import_paths_resolve_to_package_directories() {
    let repo = "acme/shop";
    let gomod = go_mod(repo);
    let store = file(repo, "internal/store/store.go", "package store\n\nfunc Save() {}\n");
    let store_test = file(repo, "internal/store/store_test.go", "package store\n");
    let main = file(
        repo,
        "cmd/api/main.go",
        "package main\n\nimport (\n\t\"github.com/acme/shop/internal/store\"\n\t\"github.com/other/lib/x\"\n)\n\nfunc main() { store.Save() }\n",
    );
    let mut b = GraphBuilder::new();
    for f in [&gomod, &store, &store_test, &main] {
        b.add_facts(f);
    }
    let g = b.build(&[&CodeLinkPass]);
    let from = NodeId::file(repo, "cmd/api/main.go");
    let targets: Vec<String> =
        g.outgoing(&from).filter(|e| e.edge.kind == EdgeKind::Imports).map(|e| e.edge.to.to_string()).collect();
    assert_eq!(targets, vec!["file:acme/shop:internal/store/store.go".to_string()], "{targets:?}");
    // The external import stays unresolved for the checks.
    assert!(g.unresolved().any(|r| r.attr("import_path") == Some("github.com/other/lib/x")));
}

/// Every file of an imported package is linked, not the first few by name: a
/// file's importers must not depend on where its name sorts in its directory.
#[test]
fn go_imports_link_every_file_of_a_large_package() {
    let repo = "acme/shop";
    let gomod = go_mod(repo);
    let mut b = GraphBuilder::new();
    b.add_facts(&gomod);
    for i in 0..40 {
        b.add_facts(&file(repo, &format!("store/f{i:02}.go"), "package store\n"));
    }
    b.add_facts(&file(repo, "main.go", "package main\n\nimport \"github.com/acme/shop/store\"\n"));
    let g = b.build(&[&CodeLinkPass]);
    let last = NodeId::file(repo, "store/f39.go");
    let importers: Vec<String> =
        g.incoming(&last).filter(|e| e.edge.kind == EdgeKind::Imports).map(|e| e.edge.from.to_string()).collect();
    assert_eq!(importers, vec!["file:acme/shop:main.go".to_string()]);
    let from = NodeId::file(repo, "main.go");
    assert_eq!(g.outgoing(&from).filter(|e| e.edge.kind == EdgeKind::Imports).count(), 40);
}
