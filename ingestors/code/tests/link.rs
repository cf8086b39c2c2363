//! `CodeLinkPass`: a Go import of a sub-package of a go.mod module links to that directory's files.
//! `FlowLinkPass`: a value passed to a function of another file is what that function's parameter reads;
//! what a function of another file returns is what its callers read.

use brain_graph::GraphBuilder;
use brain_ingest_code::{CodeIngestor, CodeLinkPass, FlowLinkPass};
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

/// A served request body decoded into a model and handed to a function of another module:
/// the callee's reads of its untyped parameter are reads of the model's fields.
#[test]
fn parameters_read_what_callers_of_other_files_pass() {
    let repo = "acme/pay";
    let models = file(
        repo,
        "app/models.py",
        "from dataclasses import dataclass\n\n@dataclass\nclass Payment:\n    order_id: str\n    amount: float\n",
    );
    let api = file(
        repo,
        "app/api.py",
        "from flask import Flask, request\nfrom app.models import Payment\nfrom app.billing import charge\n\nweb = Flask(__name__)\n\n@web.route(\"/pay\", methods=[\"POST\"])\ndef pay():\n    p = Payment(**request.get_json())\n    return charge(p)\n",
    );
    let billing = file(
        repo,
        "app/billing.py",
        "def charge(payment):\n    total = payment.amount\n    return payment.currency, total\n",
    );
    let mut b = GraphBuilder::new();
    for f in [&models, &api, &billing] {
        b.add_facts(f);
    }
    let g = b.build(&[&CodeLinkPass, &FlowLinkPass]);
    let charge = NodeId::symbol(repo, "app/billing.py", "charge");
    let reads: Vec<String> =
        g.outgoing(&charge).filter(|e| e.edge.kind == EdgeKind::ReadsField).map(|e| e.edge.to.to_string()).collect();
    assert_eq!(reads, vec![NodeId::field(repo, "app/models.py", "Payment", "amount").to_string()], "{reads:?}");
    // A name the model lacks stays unresolved, on the model, for the contract checks.
    assert!(g.unresolved().any(|r| r.from == charge && r.attr("name") == Some("currency")));
}

/// An HTTP client helper in one module returns the response body; a caller in another module
/// reads it: the reads are of the type the serving route answers with.
#[test]
fn callers_read_what_functions_of_other_files_return() {
    let repo = "acme/shop";
    let api = file(
        repo,
        "cart/api.py",
        "from dataclasses import dataclass\nfrom flask import Flask\n\nweb = Flask(__name__)\n\n@dataclass\nclass Cart:\n    total: float\n\n@web.route(\"/carts/<cid>\")\ndef get_cart(cid) -> Cart:\n    return Cart(total=1.0)\n",
    );
    let client = file(
        repo,
        "shop/client.py",
        "import requests\n\ndef fetch_cart(uid):\n    return requests.get(f\"http://cart:8080/carts/{uid}\").json()\n",
    );
    let checkout = file(
        repo,
        "shop/checkout.py",
        "from shop.client import fetch_cart\n\ndef total(uid):\n    cart = fetch_cart(uid)\n    return cart[\"total\"]\n",
    );
    let mut b = GraphBuilder::new();
    for f in [&api, &client, &checkout] {
        b.add_facts(f);
    }
    let g = b.build(&[&CodeLinkPass, &FlowLinkPass]);
    let total = NodeId::symbol(repo, "shop/checkout.py", "total");
    let reads: Vec<String> =
        g.outgoing(&total).filter(|e| e.edge.kind == EdgeKind::ReadsField).map(|e| e.edge.to.to_string()).collect();
    assert_eq!(reads, vec![NodeId::field(repo, "cart/api.py", "Cart", "total").to_string()], "{reads:?}");
}
