//! Synthetic org-shaped graphs for benchmarks and load tests (feature `synth`).
//!
//! [`synth_facts`] makes `repos` repositories, each with `files_per_repo`
//! files of `symbols_per_file` symbols; symbols call a few others in the same
//! repo (local, skewed toward nearby files), every tenth file has a spec with
//! an operation, a type and fields that code in other repos consumes and
//! reads, plus owners, tests and a few failures and lessons. Deterministic
//! for given parameters (a small xorshift generator, no randomness source).

use brain_model::{attr, Edge, EdgeKind, Facts, Node, NodeId, NodeKind, Provenance, Span};

/// Shape of a synthetic org.
#[derive(Clone, Copy, Debug)]
pub struct SynthSpec {
    pub repos: usize,
    pub files_per_repo: usize,
    pub symbols_per_file: usize,
    /// Calls per symbol.
    pub calls_per_symbol: usize,
    pub seed: u64,
}

impl SynthSpec {
    /// About `n` nodes in total.
    pub fn with_nodes(n: usize) -> Self {
        let repos = (n / 20_000).clamp(2, 200);
        let per_repo = n / repos;
        let symbols_per_file = 8;
        SynthSpec {
            repos,
            files_per_repo: per_repo / (symbols_per_file + 2),
            symbols_per_file,
            calls_per_symbol: 3,
            seed: 42,
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn prov(repo: &str, path: &str, a: u32, b: u32) -> Provenance {
    Provenance::declared(repo, path, Some(Span::new(a, b)), "synth")
}

/// Repo name of repo number `r`.
pub fn repo_name(r: usize) -> String {
    format!("org/repo{r:03}")
}

/// Path of file `f`.
pub fn file_path(f: usize) -> String {
    format!("src/m{}/f{f}.rs", f / 50)
}

/// Id of symbol `s` of file `f` in repo `r`.
pub fn symbol_id(r: usize, f: usize, s: usize) -> NodeId {
    NodeId::symbol(&repo_name(r), &file_path(f), &format!("fn{s}"))
}

/// Id of the field `k` of the spec in file `f` of repo `r` (`f % 10 == 0`).
pub fn field_id(r: usize, f: usize, k: usize) -> NodeId {
    NodeId::field(&repo_name(r), &format!("api/spec{f}.yaml"), &format!("T{f}"), &format!("field{k}"))
}

/// One `Facts` per repo.
pub fn synth_facts(spec: SynthSpec) -> Vec<Facts> {
    let mut rng = Rng(spec.seed.max(1));
    let mut out = Vec::with_capacity(spec.repos);
    for r in 0..spec.repos {
        let repo = repo_name(r);
        let mut f = Facts::default();
        let repo_id = f.node(Node::new(NodeId::repo(&repo), NodeKind::Repo, repo.clone(), prov(&repo, "", 1, 1)));
        let owner = f.node(Node::new(
            NodeId::owner(&format!("@org/team{}", r % 20)),
            NodeKind::Owner,
            format!("@org/team{}", r % 20),
            prov(&repo, "CODEOWNERS", 1, 1),
        ));
        f.edge(
            Edge::new(owner.clone(), EdgeKind::Owns, repo_id.clone(), prov(&repo, "CODEOWNERS", 1, 1))
                .with_attr(attr::RULE, "CODEOWNERS:1"),
        );
        for file in 0..spec.files_per_repo {
            let path = file_path(file);
            let fid = f.node(Node::new(
                NodeId::file(&repo, &path),
                NodeKind::File,
                format!("f{file}.rs"),
                prov(&repo, &path, 1, 1),
            ));
            f.edge(Edge::new(repo_id.clone(), EdgeKind::Contains, fid.clone(), prov(&repo, &path, 1, 1)));
            for s in 0..spec.symbols_per_file {
                let a = (s * 20 + 1) as u32;
                let sid = f.node(
                    Node::new(symbol_id(r, file, s), NodeKind::Symbol, format!("fn{s}"), prov(&repo, &path, a, a + 15))
                        .with_attr(attr::SIGNATURE, format!("fn fn{s}()")),
                );
                f.edge(Edge::new(fid.clone(), EdgeKind::Contains, sid.clone(), prov(&repo, &path, a, a + 15)));
                for _ in 0..spec.calls_per_symbol {
                    let tf = (file + rng.below(20)).saturating_sub(10).min(spec.files_per_repo.saturating_sub(1));
                    let ts = rng.below(spec.symbols_per_file);
                    if tf != file || ts != s {
                        f.edge(Edge::new(
                            sid.clone(),
                            EdgeKind::Calls,
                            symbol_id(r, tf, ts),
                            prov(&repo, &path, a + 2, a + 2),
                        ));
                    }
                }
            }
            if file % 10 == 0 {
                let sp = format!("api/spec{file}.yaml");
                let op = f.node(Node::new(
                    NodeId::operation(&repo, &sp, &format!("GET /r{r}/f{file}")),
                    NodeKind::Operation,
                    format!("GET /r{r}/f{file}"),
                    prov(&repo, &sp, 1, 10),
                ));
                let ty = f.node(Node::new(
                    NodeId::data_type(&repo, &sp, &format!("T{file}")),
                    NodeKind::DataType,
                    format!("T{file}"),
                    prov(&repo, &sp, 20, 40),
                ));
                f.edge(Edge::new(op.clone(), EdgeKind::UsesType, ty.clone(), prov(&repo, &sp, 5, 5)));
                f.edge(Edge::new(symbol_id(r, file, 0), EdgeKind::Exposes, op.clone(), prov(&repo, &path, 1, 1)));
                for k in 0..4 {
                    let fl = f.node(Node::new(
                        field_id(r, file, k),
                        NodeKind::Field,
                        format!("field{k}"),
                        prov(&repo, &sp, 21 + k as u32 * 2, 22 + k as u32 * 2),
                    ));
                    f.edge(Edge::new(ty.clone(), EdgeKind::HasField, fl, prov(&repo, &sp, 21, 21)));
                }
                // Consumers in two other repos.
                for _ in 0..2 {
                    let cr = rng.below(spec.repos);
                    if cr == r {
                        continue;
                    }
                    let cf = rng.below(spec.files_per_repo);
                    let cs = rng.below(spec.symbols_per_file);
                    let c = symbol_id(cr, cf, cs);
                    let cp = file_path(cf);
                    f.edge(Edge::new(c.clone(), EdgeKind::Consumes, op.clone(), prov(&repo_name(cr), &cp, 3, 3)));
                    f.edge(Edge::new(
                        c,
                        EdgeKind::ReadsField,
                        field_id(r, file, rng.below(4)),
                        Provenance::inferred(&repo_name(cr), &cp, Some(Span::line(4)), "synth", 0.8),
                    ));
                }
                let t = f.node(Node::new(
                    NodeId::test(&repo, &format!("tests/t{file}.rs"), "it_works"),
                    NodeKind::Test,
                    "it_works",
                    prov(&repo, &format!("tests/t{file}.rs"), 1, 9),
                ));
                f.edge(Edge::new(
                    t,
                    EdgeKind::Tests,
                    symbol_id(r, file, 0),
                    prov(&repo, &format!("tests/t{file}.rs"), 2, 2),
                ));
            }
            if file % 100 == 0 {
                let fail = f.node(
                    Node::new(
                        NodeId::failure(&repo, "incidents.md", &format!("i{file}")),
                        NodeKind::Failure,
                        format!("incident {file}"),
                        prov(&repo, "incidents.md", 1, 1),
                    )
                    .with_text("order total wrong after rounding"),
                );
                f.edge(Edge::new(
                    fail.clone(),
                    EdgeKind::Affected,
                    symbol_id(r, file, 1),
                    prov(&repo, "incidents.md", 1, 1),
                ));
                let l = f.node(
                    Node::new(
                        NodeId::new(format!("lesson:{r}-{file}")),
                        NodeKind::Lesson,
                        "round once",
                        prov("", "", 1, 1),
                    )
                    .with_attr(attr::STATUS, "active"),
                );
                f.edge(Edge::new(l, EdgeKind::AppliesTo, symbol_id(r, file, 1), prov("", "", 1, 1)));
            }
        }
        out.push(f);
    }
    out
}
