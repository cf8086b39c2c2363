//! [`CodeLinkPass`]: resolution that needs the whole graph: names folded from
//! constants and configuration in other files ([`crate::strings`]), and Go import paths.
//! Go import paths
//! name a module plus a directory inside it; the module comes from a go.mod
//! (a package node with a `dir`), so an import of `<module>/internal/store`
//! links to the files of `internal/store` under that go.mod's directory.

use brain_graph::{LinkContext, LinkPass};
use brain_model::attr::{self, ns};
use brain_model::{Diagnostic, Edge, EdgeKind, NodeId, Origin, RefTarget, Reference, Severity};
use std::collections::BTreeSet;

/// Most files an import fans out to (one Go package = one directory). Every
/// file of the package is linked up to this bound, so a file's importers do
/// not depend on where its name sorts in its directory (a cap of 16 left the
/// 17th file of `daemon/container` in moby with no importers at all); a
/// package over the bound is reported once by a `link.go-package-truncated`
/// diagnostic. Real packages stay far below it (moby's largest, `client`, has
/// 132 non-test files).
const MAX_FILES: usize = 1024;

/// Link pass of the code ingestor (name `code`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CodeLinkPass;

impl LinkPass for CodeLinkPass {
    fn name(&self) -> &'static str {
        "code"
    }

    fn run(&self, ctx: &mut LinkContext) {
        let refs = ctx.take_unresolved();
        let refs = crate::strings::fold_names(ctx, refs);
        let mut truncated = BTreeSet::new();
        for r in refs {
            if !resolve_go_import(ctx, &r, &mut truncated) {
                ctx.push_unresolved(r);
            }
        }
        for (repo, dir, n) in truncated {
            ctx.diagnostic(Diagnostic::new(
                Severity::Info,
                "link.go-package-truncated",
                &repo,
                &dir,
                None,
                format!("Go package with {n} files: imports of it link to the first {MAX_FILES} only"),
            ));
        }
    }
}

fn edge(r: &Reference, to: NodeId, confidence: f32) -> Edge {
    let mut prov = r.prov.clone();
    prov.ingestor = "code-link".to_string().into();
    prov.origin = Origin::inferred(confidence);
    let mut e = Edge::new(r.from.clone(), r.kind, to, prov);
    e.attrs = r.attrs.clone();
    e
}

/// `go:<import path>` under `module`: the longest go.mod module that prefixes it.
fn resolve_go_import(ctx: &mut LinkContext, r: &Reference, truncated: &mut BTreeSet<(String, String, usize)>) -> bool {
    if r.kind != EdgeKind::Imports {
        return false;
    }
    let RefTarget::Key { ns: kns, key, .. } = &r.target else { return false };
    if kns != ns::MODULE {
        return false;
    }
    let Some(path) = key.strip_prefix("go:") else { return false };
    let segs: Vec<&str> = path.split('/').collect();
    for n in (1..=segs.len()).rev() {
        let module = segs[..n].join("/");
        let rest = segs[n..].join("/");
        let providers: Vec<NodeId> = ctx.providers(ns::MODULE, &format!("go:{module}")).to_vec();
        let mut linked = false;
        for p in &providers {
            let Some(pkg) = ctx.node(p) else { continue };
            let repo = pkg.prov.repo.to_string();
            let dir = pkg.attr(attr::DIR).map(str::to_string);
            let files: Vec<NodeId> = match dir {
                Some(d) => {
                    let target = [d.as_str(), rest.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("/");
                    let mut f: Vec<NodeId> = ctx.providers(ns::MODULE, &format!("go-dir:{repo}:{target}")).to_vec();
                    f.retain(|id| !id.as_str().ends_with("_test.go"));
                    f.sort();
                    if f.len() > MAX_FILES {
                        truncated.insert((repo.clone(), target.clone(), f.len()));
                        f.truncate(MAX_FILES);
                    }
                    f
                }
                None => Vec::new(),
            };
            if files.is_empty() {
                if rest.is_empty() {
                    ctx.add_edge(edge(r, p.clone(), 0.8));
                    linked = true;
                }
                continue;
            }
            for f in files {
                ctx.add_edge(edge(r, f, 0.9));
            }
            linked = true;
        }
        if linked {
            return true;
        }
        // An external module known only as a dependency: its package node.
        let pkg = NodeId::package("go", &module);
        if ctx.contains(&pkg) {
            ctx.add_edge(edge(r, pkg, 0.7));
            return true;
        }
    }
    false
}
