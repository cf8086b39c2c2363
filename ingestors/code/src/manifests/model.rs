//! The format-independent result of parsing one manifest, before it becomes facts.

use brain_model::Span;

/// Package ecosystem, as used in package ids (`pkg:<ecosystem>:<name>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    Cargo,
    Npm,
    Go,
    Pypi,
    Maven,
}

impl Ecosystem {
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Go => "go",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Maven => "maven",
        }
    }
}

/// The package a manifest declares.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageDecl {
    /// Name in its ecosystem's canonical form (PEP 503 for Python, `group:artifact` for Maven).
    pub name: String,
    pub version: Option<String>,
    /// Where the name is declared.
    pub span: Span,
    /// Extra node attributes (`go_module`, `packaging`, ...).
    pub attrs: Vec<(String, String)>,
}

/// What a dependency points at.
#[derive(Clone, Debug, PartialEq)]
pub enum DepTarget {
    /// A package by name in the manifest's ecosystem.
    Package(String),
    /// Another build file in the same repo (Gradle `project(":core")`): the first that exists.
    Files(Vec<String>),
}

/// One declared dependency.
#[derive(Clone, Debug, PartialEq)]
pub struct Dependency {
    pub target: DepTarget,
    /// `normal`, `dev`, `build`, `peer`, `optional`, `test`, `provided`, `runtime`, ...
    pub scope: String,
    /// The requirement as written (`^1.2`, `>=2,<3`, `v0.4.1`).
    pub version: Option<String>,
    /// The exact lines of the declaration.
    pub span: Span,
    /// Extra reference attributes (`path`, `target`, `optional`, `alias`, `extras`, `markers`, ...).
    pub attrs: Vec<(String, String)>,
}

impl Dependency {
    pub fn package(name: impl Into<String>, scope: &str, span: Span) -> Self {
        Dependency {
            target: DepTarget::Package(name.into()),
            scope: scope.to_string(),
            version: None,
            span,
            attrs: Vec::new(),
        }
    }
    pub fn with_version(mut self, v: Option<String>) -> Self {
        self.version = v.filter(|v| !v.is_empty());
        self
    }
    pub fn with_attr(mut self, k: &str, v: impl Into<String>) -> Self {
        self.attrs.push((k.to_string(), v.into()));
        self
    }
}

/// Another file this manifest pulls in (`-r base.txt`, `-c constraints.txt`).
#[derive(Clone, Debug, PartialEq)]
pub struct Include {
    /// Candidate repo-relative paths, first existing wins.
    pub paths: Vec<String>,
    pub span: Span,
    pub attrs: Vec<(String, String)>,
}

/// Something in the file that could not be understood.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: Option<u32>,
    pub message: String,
}

/// Everything one manifest declares.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub ecosystem: Ecosystem,
    pub package: Option<PackageDecl>,
    /// Dependencies of the package (or of the file when there is no package).
    pub deps: Vec<Dependency>,
    /// Version catalogs that are not dependencies of the package; they hang from the file.
    pub managed: Vec<Dependency>,
    /// Workspace members as written (paths or globs).
    pub members: Vec<String>,
    /// Where the member list is declared.
    pub members_span: Option<Span>,
    pub includes: Vec<Include>,
    pub problems: Vec<Problem>,
}

impl Manifest {
    pub fn new(ecosystem: Ecosystem) -> Self {
        Manifest {
            ecosystem,
            package: None,
            deps: Vec::new(),
            managed: Vec::new(),
            members: Vec::new(),
            members_span: None,
            includes: Vec::new(),
            problems: Vec::new(),
        }
    }
    pub fn problem(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.problems.push(Problem { line, message: message.into() });
    }
}
