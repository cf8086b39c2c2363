//! The languages this ingestor understands: detection by path, grammars and
//! the compiled `.scm` queries of each (compiled once per process).

use std::sync::LazyLock;
use tree_sitter::{Language, Query};

/// A source language (TSX and JSX are their own grammars or flavours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Rust,
    TypeScript,
    Tsx,
    JavaScript,
    Python,
    Go,
    Java,
    CSharp,
    Kotlin,
    Php,
    Ruby,
    /// C++, and `.h` headers (C or C++: the C++ grammar reads both).
    Cpp,
}

impl Lang {
    /// Every language, in a stable order.
    pub const ALL: &'static [Lang] = &[
        Lang::Rust,
        Lang::TypeScript,
        Lang::Tsx,
        Lang::JavaScript,
        Lang::Python,
        Lang::Go,
        Lang::Java,
        Lang::CSharp,
        Lang::Kotlin,
        Lang::Php,
        Lang::Ruby,
        Lang::Cpp,
    ];

    /// The language of a repo-relative path, by extension.
    pub fn from_path(path: &str) -> Option<Lang> {
        let name = path.rsplit('/').next().unwrap_or(path);
        // Rake tasks are Ruby code; Gemfile and .gemspec are manifests, not symbols.
        if name == "Rakefile" {
            return Some(Lang::Ruby);
        }
        let ext = name.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "rs" => Lang::Rust,
            "ts" | "mts" | "cts" => {
                if name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts") {
                    return None;
                }
                Lang::TypeScript
            }
            "tsx" => Lang::Tsx,
            "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "py" | "pyi" => Lang::Python,
            "go" => Lang::Go,
            "java" => Lang::Java,
            "cs" => Lang::CSharp,
            "kt" | "kts" => Lang::Kotlin,
            "php" => Lang::Php,
            "rb" | "rake" => Lang::Ruby,
            "cpp" | "cc" | "cxx" | "hpp" | "hh" | "hxx" | "h" => Lang::Cpp,
            _ => return None,
        })
    }

    /// The `language` attribute value.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::TypeScript | Lang::Tsx => "typescript",
            Lang::JavaScript => "javascript",
            Lang::Python => "python",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::CSharp => "csharp",
            Lang::Kotlin => "kotlin",
            Lang::Php => "php",
            Lang::Ruby => "ruby",
            Lang::Cpp => "cpp",
        }
    }

    /// The folder of this language's queries under `queries/`.
    pub fn query_dir(self) -> &'static str {
        match self {
            Lang::Tsx => "typescript",
            other => other.name(),
        }
    }

    /// The tree-sitter grammar.
    pub fn grammar(self) -> Language {
        match self {
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
            Lang::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
            Lang::Kotlin => tree_sitter_kotlin_ng::LANGUAGE.into(),
            // PHP with HTML around `<?php` tags (templates and plain scripts alike).
            Lang::Php => tree_sitter_php::LANGUAGE_PHP.into(),
            Lang::Ruby => tree_sitter_ruby::LANGUAGE.into(),
            Lang::Cpp => tree_sitter_cpp::LANGUAGE.into(),
        }
    }

    /// Separator of qualified names (`Type::method` in Rust, PHP, Ruby and C++, `Class.method` elsewhere).
    pub fn qual_sep(self) -> &'static str {
        match self {
            Lang::Rust | Lang::Php | Lang::Ruby | Lang::Cpp => "::",
            _ => ".",
        }
    }

    /// The `.scm` sources of this language: (file name, text).
    pub fn query_sources(self) -> [(&'static str, &'static str); 2] {
        match self {
            Lang::Rust => [
                ("defs.scm", include_str!("../queries/rust/defs.scm")),
                ("refs.scm", include_str!("../queries/rust/refs.scm")),
            ],
            Lang::TypeScript | Lang::Tsx => [
                ("defs.scm", include_str!("../queries/typescript/defs.scm")),
                ("refs.scm", include_str!("../queries/typescript/refs.scm")),
            ],
            Lang::JavaScript => [
                ("defs.scm", include_str!("../queries/javascript/defs.scm")),
                ("refs.scm", include_str!("../queries/javascript/refs.scm")),
            ],
            Lang::Python => [
                ("defs.scm", include_str!("../queries/python/defs.scm")),
                ("refs.scm", include_str!("../queries/python/refs.scm")),
            ],
            Lang::Go => [
                ("defs.scm", include_str!("../queries/go/defs.scm")),
                ("refs.scm", include_str!("../queries/go/refs.scm")),
            ],
            Lang::Java => [
                ("defs.scm", include_str!("../queries/java/defs.scm")),
                ("refs.scm", include_str!("../queries/java/refs.scm")),
            ],
            Lang::CSharp => [
                ("defs.scm", include_str!("../queries/csharp/defs.scm")),
                ("refs.scm", include_str!("../queries/csharp/refs.scm")),
            ],
            Lang::Kotlin => [
                ("defs.scm", include_str!("../queries/kotlin/defs.scm")),
                ("refs.scm", include_str!("../queries/kotlin/refs.scm")),
            ],
            Lang::Php => [
                ("defs.scm", include_str!("../queries/php/defs.scm")),
                ("refs.scm", include_str!("../queries/php/refs.scm")),
            ],
            Lang::Ruby => [
                ("defs.scm", include_str!("../queries/ruby/defs.scm")),
                ("refs.scm", include_str!("../queries/ruby/refs.scm")),
            ],
            Lang::Cpp => [
                ("defs.scm", include_str!("../queries/cpp/defs.scm")),
                ("refs.scm", include_str!("../queries/cpp/refs.scm")),
            ],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The compiled queries of one language.
pub struct Queries {
    /// Definitions: `@def.<kind>` on the node, `@name` on its name.
    pub defs: Query,
    /// References: calls, member reads, index reads.
    pub refs: Query,
}

/// Compiles both query files of a language; an error names the file.
pub fn compile(lang: Lang) -> Result<Queries, String> {
    let grammar = lang.grammar();
    let [defs, refs] = lang.query_sources();
    let q = |(file, src): (&str, &str)| {
        Query::new(&grammar, src).map_err(|e| format!("queries/{}/{file}: {e}", lang.query_dir()))
    };
    Ok(Queries { defs: q(defs)?, refs: q(refs)? })
}

static QUERIES: LazyLock<Vec<Option<Queries>>> = LazyLock::new(|| Lang::ALL.iter().map(|l| compile(*l).ok()).collect());

/// The compiled queries of a language, or `None` if they failed to compile
/// (a bug the query test catches; ingest then skips the file with a diagnostic).
pub fn queries(lang: Lang) -> Option<&'static Queries> {
    QUERIES.get(lang.index()).and_then(Option::as_ref)
}
