//! Package manifests: Cargo.toml, package.json (npm/yarn workspaces), pnpm-workspace.yaml,
//! go.mod / go.work, pyproject.toml, requirements*.txt, pom.xml, build.gradle(.kts),
//! settings.gradle(.kts) and Gradle version catalogs (`gradle/*.versions.toml`).
//!
//! Each format has a small parser module that turns one file into a [`Manifest`] (the package it
//! declares, its dependencies with line spans, workspace members, problems). [`emit`] turns a
//! [`Manifest`] into [`Facts`] the same way for every ecosystem:
//!
//! - a declared package becomes a `Package` node `pkg:<ecosystem>:<name>` with attrs
//!   `ecosystem`, `version`, `dir` (the manifest's directory, `""` at the repo root), `go_module`
//!   for Go, and `members` (comma-separated) when it is also a workspace root; it provides
//!   `(package, "<eco>:<name>")` (Go modules also `(module, "go:<path>")`), and the manifest's
//!   `File` node `--contains-->` it;
//! - each dependency is a declared [`Reference`] `depends_on` to `(package, "<eco>:<dep>")`
//!   (Gradle `project(":x")` / `projects.x` dependencies point at the other project's build
//!   file, `libs.x` at the version catalog file, both as `AnyOf` candidates), with its exact
//!   line span and attrs `scope`, `version`, and where relevant `path`, `target`, `optional`,
//!   `alias`, `extras`, `markers`, `indirect`, `replace`, `configuration`, ...;
//! - dependencies declared by a manifest with no package of its own (a requirements file, a
//!   package.json without a name, a Gradle build without a `group`) hang from the manifest's
//!   `File` node, so nothing is lost and no package is invented;
//! - version catalogs that are not dependencies of the declaring package hang from the `File`
//!   node too, so "package X depends on Y" stays precise: Cargo `[workspace.dependencies]`
//!   (scope `workspace`), Maven `<dependencyManagement>` (declared scope, attr `managed`), pnpm's
//!   default `catalog:` and Gradle version catalogs (scope `catalog`). A Gradle build that writes
//!   `libs.x.y` depends on the catalog file with attr `accessor = libs.x.y`, and the catalog's
//!   entry with the same `accessor` names the coordinates: a join a link pass can make;
//! - `-r`/`-c`/`-e <dir>` lines of a requirements file are `imports` references to those files;
//! - a workspace root with no package of its own (virtual Cargo workspace, private npm root,
//!   pnpm-workspace.yaml, go.work, settings.gradle) emits the manifest's `File` node carrying
//!   attrs `members` (comma-separated, as written: paths or globs; Gradle project paths as
//!   directories) and `ecosystem`. The graph builder merges it with the files ingestor's node of
//!   the same id (first declaration wins, later ones fill gaps);
//! - a file that cannot be parsed yields a `manifest.parse` warning with the line when known,
//!   plus whatever could be extracted.

mod cargo;
mod gomod;
mod gradle;
mod json_lines;
mod lines;
mod maven;
mod model;
mod npm;
mod python;

pub use model::{DepTarget, Dependency, Ecosystem, Include, Manifest, PackageDecl, Problem};

use brain_model::attr::{self, ns};
use brain_model::{
    Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, Reference, Severity, SourceFile,
    Span,
};

/// Ingestor name recorded in provenance.
pub const INGESTOR: &str = "manifest";
/// Diagnostic code for a manifest that could not be (fully) parsed.
pub const PARSE_CODE: &str = "manifest.parse";

/// Attribute: comma-separated workspace members (paths or globs as written).
pub const MEMBERS: &str = "members";
/// Attribute: the Go module path of a go.mod package.
pub const GO_MODULE: &str = "go_module";

/// Which manifest format a path is, decided by its file name alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestKind {
    Cargo,
    PackageJson,
    PnpmWorkspace,
    GoMod,
    GoWork,
    Pyproject,
    Requirements,
    Pom,
    GradleBuild,
    GradleSettings,
    GradleCatalog,
}

impl ManifestKind {
    /// The manifest kind of `path` (repo-relative, `/`-separated), if it is one.
    pub fn of_path(path: &str) -> Option<ManifestKind> {
        if path.split('/').any(|seg| seg == "node_modules") {
            return None;
        }
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let kind = match name {
            "Cargo.toml" => ManifestKind::Cargo,
            "package.json" => ManifestKind::PackageJson,
            "pnpm-workspace.yaml" | "pnpm-workspace.yml" => ManifestKind::PnpmWorkspace,
            "go.mod" => ManifestKind::GoMod,
            "go.work" => ManifestKind::GoWork,
            "pyproject.toml" => ManifestKind::Pyproject,
            "pom.xml" => ManifestKind::Pom,
            "build.gradle" | "build.gradle.kts" => ManifestKind::GradleBuild,
            "settings.gradle" | "settings.gradle.kts" => ManifestKind::GradleSettings,
            _ if name.ends_with(".versions.toml") && dir.rsplit('/').next() == Some("gradle") => {
                ManifestKind::GradleCatalog
            }
            _ if is_requirements_name(dir, name) => ManifestKind::Requirements,
            _ => return None,
        };
        Some(kind)
    }
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`.
fn is_requirements_name(dir: &str, name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else { return false };
    let dir_name = dir.rsplit('/').next().unwrap_or(dir);
    stem.starts_with("requirements") || stem.ends_with("requirements") || dir_name == "requirements"
}

/// Parses one manifest into the format-independent [`Manifest`]; `None` when `path` is not a
/// manifest this module knows.
pub fn parse_manifest(path: &str, content: &str) -> Option<Manifest> {
    let kind = ManifestKind::of_path(path)?;
    let dir = manifest_dir(path);
    // Package managers ignore a UTF-8 byte-order mark; it does not change line numbers.
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    Some(match kind {
        ManifestKind::Cargo => cargo::parse(content),
        ManifestKind::PackageJson => npm::parse_package_json(content),
        ManifestKind::PnpmWorkspace => npm::parse_pnpm_workspace(content),
        ManifestKind::GoMod => gomod::parse_go_mod(content),
        ManifestKind::GoWork => gomod::parse_go_work(content),
        ManifestKind::Pyproject => python::parse_pyproject(content),
        ManifestKind::Requirements => python::parse_requirements(content, dir),
        ManifestKind::Pom => maven::parse(content),
        ManifestKind::GradleBuild => gradle::parse_build(content, dir),
        ManifestKind::GradleSettings => gradle::parse_settings(content),
        ManifestKind::GradleCatalog => gradle::parse_catalog(content, path.rsplit('/').next().unwrap_or(path)),
    })
}

/// Directory of a repo-relative path, `""` at the root.
pub fn manifest_dir(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Package manifests as Package nodes and `depends_on` references. See the module docs.
#[derive(Clone, Copy, Debug, Default)]
pub struct ManifestIngestor;

impl ManifestIngestor {
    pub fn new() -> Self {
        ManifestIngestor
    }
}

impl Ingestor for ManifestIngestor {
    fn name(&self) -> &'static str {
        INGESTOR
    }

    fn accepts(&self, path: &str) -> bool {
        ManifestKind::of_path(path).is_some()
    }

    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        match parse_manifest(file.path, file.content) {
            Some(m) => emit(file.repo, file.path, &m),
            None => Facts::default(),
        }
    }
}

/// Turns a parsed manifest of `repo`/`path` into facts (see the module docs for the shape).
pub fn emit(repo: &str, path: &str, m: &Manifest) -> Facts {
    let mut facts = Facts::default();
    let eco = m.ecosystem.as_str();
    let dir = manifest_dir(path);
    let file_id = NodeId::file(repo, path);
    let prov = |span: Span| Provenance::declared(repo, path, Some(span), INGESTOR);

    let owner = match &m.package {
        Some(p) => {
            let id = NodeId::package(eco, &p.name);
            let mut node = Node::new(id.clone(), NodeKind::Package, p.name.clone(), prov(p.span))
                .with_attr(attr::ECOSYSTEM, eco)
                .with_attr(attr::DIR, dir);
            if let Some(v) = &p.version {
                node = node.with_attr(attr::VERSION, v.clone());
            }
            if !m.members.is_empty() {
                node = node.with_attr(MEMBERS, m.members.join(","));
            }
            for (k, v) in &p.attrs {
                node = node.with_attr(k, v.clone());
            }
            facts.node(node);
            facts.provide(&id, ns::PACKAGE, format!("{eco}:{}", p.name));
            if m.ecosystem == Ecosystem::Go {
                facts.provide(&id, ns::MODULE, format!("go:{}", p.name));
            }
            facts.edge(Edge::new(file_id.clone(), EdgeKind::Contains, id.clone(), prov(p.span)));
            id
        }
        None => {
            if !m.members.is_empty() {
                let name = path.rsplit('/').next().unwrap_or(path);
                let span = m.members_span.unwrap_or(Span::line(1));
                facts.node(
                    Node::new(file_id.clone(), NodeKind::File, name, prov(span))
                        .with_attr(MEMBERS, m.members.join(","))
                        .with_attr(attr::ECOSYSTEM, eco),
                );
            }
            file_id.clone()
        }
    };

    for d in &m.deps {
        facts.reference(dependency_ref(repo, path, eco, &owner, d));
    }
    for d in &m.managed {
        facts.reference(dependency_ref(repo, path, eco, &file_id, d));
    }
    for inc in &m.includes {
        let candidates = inc.paths.iter().map(|p| NodeId::file(repo, p)).collect();
        let mut r = Reference::any_of(file_id.clone(), EdgeKind::Imports, candidates, prov(inc.span));
        for (k, v) in &inc.attrs {
            r = r.with_attr(k, v.clone());
        }
        facts.reference(r);
    }
    for p in &m.problems {
        facts.diagnostic(Diagnostic::new(Severity::Warning, PARSE_CODE, repo, path, p.line, p.message.clone()));
    }
    facts
}

fn dependency_ref(repo: &str, path: &str, eco: &str, from: &NodeId, d: &Dependency) -> Reference {
    let prov = Provenance::declared(repo, path, Some(d.span), INGESTOR);
    let mut r = match &d.target {
        DepTarget::Package(name) => {
            Reference::key(from.clone(), EdgeKind::DependsOn, ns::PACKAGE, format!("{eco}:{name}"), prov)
        }
        DepTarget::Files(paths) => Reference::any_of(
            from.clone(),
            EdgeKind::DependsOn,
            paths.iter().map(|p| NodeId::file(repo, p)).collect(),
            prov,
        ),
    };
    r = r.with_attr(attr::DEP_SCOPE, d.scope.clone());
    if let Some(v) = &d.version {
        r = r.with_attr(attr::VERSION, v.clone());
    }
    for (k, v) in &d.attrs {
        r = r.with_attr(k, v.clone());
    }
    r
}
