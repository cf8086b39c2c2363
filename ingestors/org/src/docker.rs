//! Container images: Dockerfiles ([`DockerfileIngestor`], ingestor name `dockerfile`) and the
//! [`ImagePass`] that joins them to compose services and to the files they copy.
//!
//! A Dockerfile (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`) gives one
//! `Image` node `image:<repo>:<path>`, the image of its **final** stage, which the file
//! `contains`. Its stages (`FROM … AS name`) and their dependencies (`FROM <stage>`,
//! `COPY --from=<stage or index>`) are read; only stages the final one depends on count. What
//! those stages `COPY`/`ADD` from the build context (not from a stage, an image or a URL) is kept
//! in attr [`CONTEXT_SOURCES`] (`line|stage|source` per line): the context itself is unknown
//! until a compose file names it. Attrs `stages` and `base_images` (the external images the
//! build starts from or copies from) are for people.
//!
//! The pass, per compose service with a `build:`: the Dockerfile is `<context>/<dockerfile>`
//! (default `Dockerfile`; `${VAR}`, `${VAR:-default}` filled from the `.env` beside the compose
//! file, as compose does), and the service `built_from` its `Image` (at the compose entry;
//! declared for a context in the compose file's repo, inferred 0.7 for one in another repo, which
//! the infra pass matched by name: `../../orders`). Then each image's sources are resolved against
//! each context it is built with (a Dockerfile no service builds: its own directory, the
//! `docker build .` convention, inferred 0.6) to the repo's `File`s — a file, a directory's files, a glob (`*`
//! and `?` within a segment) — giving `Image --includes--> File` at the `COPY` line (attrs
//! `source`, `stage`, `build_context`). `.dockerignore` is not applied.

use crate::config::NS_CONFIG;
use crate::infra::{BUILD_CONTEXT, COMPOSE_FILE, COMPOSE_LINE, COMPOSE_REPO};
use crate::util;
use brain_graph::{LinkContext, LinkPass};
use brain_model::{
    Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, Severity, SourceFile, Span,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Ingestor name.
pub const DOCKERFILE: &str = "dockerfile";
/// Attr on an `Image`: what its stages copy from the build context, one `line|stage|source` per line.
pub const CONTEXT_SOURCES: &str = "context_sources";
/// Attr on an `Image`: its stages, `name` or `#index`, comma-joined, in order.
pub const STAGES: &str = "stages";
/// Attr on an `Image`: external images its build starts from or copies from, comma-joined.
pub const BASE_IMAGES: &str = "base_images";
/// Attr on a compose service: its `build.dockerfile` as written.
pub const DOCKERFILE_ATTR: &str = "dockerfile";
/// Attr on `includes` edges: the source as the Dockerfile writes it; and the stage that copies it.
pub const SOURCE: &str = "source";
pub const STAGE: &str = "stage";
/// Most files one image includes (a `COPY . .` of a huge repository); beyond it a diagnostic.
pub const MAX_INCLUDES: usize = 20_000;

/// Whether a path names a Dockerfile.
pub fn is_dockerfile(path: &str) -> bool {
    let n = util::file_name(path);
    let lower = n.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
}

/// Reads Dockerfiles; see the module docs.
#[derive(Debug, Default, Clone, Copy)]
pub struct DockerfileIngestor;

/// One build stage.
#[derive(Debug, Default)]
struct Stage {
    label: String,
    name: Option<String>,
    from: String,
    /// Stages this one needs: its `FROM` stage and its `COPY --from` stages.
    needs: Vec<usize>,
    /// External images copied from (`COPY --from=nginx:1.2`).
    image_copies: Vec<String>,
    /// `(line, source)` copied from the build context.
    copies: Vec<(u32, String)>,
}

/// Instructions with their first line: continuation lines joined, comments dropped.
fn instructions(text: &str) -> Vec<(u32, String)> {
    let mut escape = '\\';
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0u32;
    let mut seen_instruction = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if !seen_instruction && cur.is_empty() {
            if let Some(d) = line.strip_prefix('#').map(str::trim) {
                if let Some(e) = d.to_ascii_lowercase().strip_prefix("escape=") {
                    escape = e.trim().chars().next().unwrap_or('\\');
                }
                continue;
            }
        }
        if line.starts_with('#') || (line.is_empty() && cur.is_empty()) {
            continue;
        }
        if cur.is_empty() {
            start = i as u32 + 1;
        }
        seen_instruction = true;
        match line.strip_suffix(escape) {
            Some(head) => {
                cur.push_str(head);
                cur.push(' ');
            }
            None => {
                cur.push_str(line);
                out.push((start, std::mem::take(&mut cur)));
            }
        }
    }
    if !cur.trim().is_empty() {
        out.push((start, cur));
    }
    out
}

/// Arguments of an instruction: the JSON form (`["a", "b"]`) or words.
fn arguments(rest: &str) -> Vec<String> {
    let t = rest.trim();
    if t.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(t) {
            return v;
        }
    }
    t.split_whitespace().map(str::to_string).collect()
}

fn parse(text: &str) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for (line, ins) in instructions(text) {
        let (word, rest) = ins.split_once(char::is_whitespace).unwrap_or((ins.as_str(), ""));
        match word.to_ascii_uppercase().as_str() {
            "FROM" => {
                let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
                let from = words.first().copied().unwrap_or("").to_string();
                let name = match words.as_slice() {
                    [_, as_, n, ..] if as_.eq_ignore_ascii_case("as") => Some(n.to_ascii_lowercase()),
                    _ => None,
                };
                let index = stages.len();
                let needs = stage_index(&stages, &from).into_iter().collect();
                let label = name.clone().unwrap_or_else(|| format!("#{index}"));
                stages.push(Stage { label, name, from, needs, ..Stage::default() });
            }
            kw @ ("COPY" | "ADD") => {
                let Some(stage) = stages.len().checked_sub(1) else { continue };
                let mut from = None;
                let mut rest_words = rest.trim();
                // flags come first: --from=x --chown=a:b --chmod=644 --link --parents --exclude=p
                while let Some(w) = rest_words.strip_prefix("--") {
                    let (flag, tail) = w.split_once(char::is_whitespace).unwrap_or((w, ""));
                    if let Some(v) = flag.strip_prefix("from=") {
                        from = Some(v.to_string());
                    }
                    rest_words = tail.trim_start();
                }
                let args = arguments(rest_words);
                if args.len() < 2 || rest_words.starts_with("<<") {
                    continue; // a heredoc or a malformed line
                }
                let sources = &args[..args.len() - 1];
                match from {
                    Some(f) => match stage_index(&stages[..stage], &f) {
                        Some(i) => stages[stage].needs.push(i),
                        None => stages[stage].image_copies.push(f),
                    },
                    None => {
                        for s in sources {
                            let remote = s.contains("://") || s.starts_with("git@");
                            if kw == "ADD" && remote {
                                continue;
                            }
                            stages[stage].copies.push((line, s.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    stages
}

/// The earlier stage a `FROM`/`--from` value names (its name, case-insensitive, or its index).
fn stage_index(stages: &[Stage], r: &str) -> Option<usize> {
    let lower = r.to_ascii_lowercase();
    stages.iter().position(|s| s.name.as_deref() == Some(lower.as_str())).or_else(|| {
        let i: usize = r.parse().ok()?;
        (i < stages.len()).then_some(i)
    })
}

impl Ingestor for DockerfileIngestor {
    fn name(&self) -> &'static str {
        DOCKERFILE
    }
    fn accepts(&self, path: &str) -> bool {
        is_dockerfile(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let stages = parse(file.content);
        let Some(last) = stages.len().checked_sub(1) else { return facts };
        // The stages the final one needs, transitively.
        let mut keep = vec![false; stages.len()];
        let mut todo = vec![last];
        while let Some(i) = todo.pop() {
            if std::mem::replace(&mut keep[i], true) {
                continue;
            }
            todo.extend(stages[i].needs.iter().copied().filter(|j| *j < i));
        }
        let mut sources = Vec::new();
        let mut bases: Vec<String> = Vec::new();
        for (i, s) in stages.iter().enumerate().filter(|(i, _)| keep[*i]) {
            if stage_index(&stages[..i], &s.from).is_none() && !s.from.is_empty() && !bases.contains(&s.from) {
                bases.push(s.from.clone());
            }
            for img in &s.image_copies {
                if !bases.contains(img) {
                    bases.push(img.clone());
                }
            }
            for (line, src) in &s.copies {
                sources.push(format!("{line}|{}|{src}", s.label));
            }
        }
        let id = NodeId::image(file.repo, file.path);
        let prov = util::declared(file, Some(Span::new(1, util::line_count(file.content))), DOCKERFILE);
        let stage_labels: Vec<&str> = stages.iter().map(|s| s.label.as_str()).collect();
        let mut node = Node::new(id.clone(), NodeKind::Image, file.path, prov.clone())
            .with_attr(STAGES, stage_labels.join(","))
            .with_attr(BASE_IMAGES, util::truncate(&bases.join(","), 1000));
        if !sources.is_empty() {
            node = node.with_attr(CONTEXT_SOURCES, sources.join("\n"));
        }
        facts.edge(Edge::new(NodeId::file(file.repo, file.path), EdgeKind::Contains, id, prov));
        facts.node(node);
        facts
    }
}

/// Joins compose services to their images and images to the files they include; see the module docs.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImagePass;

impl LinkPass for ImagePass {
    fn name(&self) -> &'static str {
        "images"
    }
    fn run(&self, ctx: &mut LinkContext) {
        let contexts = services_to_images(ctx);
        includes(ctx, contexts);
    }
}

/// A context an image is built with: `(repo, context dir, confidence)`, `None` when a compose
/// file declares it inside its own repository.
type Contexts = BTreeMap<NodeId, Vec<(String, String, Option<f32>)>>;

/// Confidence of a context in another repository (matched by name, as the infra pass does).
const OTHER_REPO: f32 = 0.7;
/// Confidence of a Dockerfile's own directory as its context when no service builds it.
const OWN_DIR: f32 = 0.6;

/// `.env` settings by `(repo, dir)`.
fn dotenv(ctx: &LinkContext) -> HashMap<(String, String), HashMap<String, String>> {
    let mut out: HashMap<(String, String), HashMap<String, String>> = HashMap::new();
    for (key, providers) in ctx.provided_keys(NS_CONFIG) {
        let Some((k, v)) = key.split_once('=') else { continue };
        for p in providers {
            let Some(n) = ctx.node(p) else { continue };
            if util::file_name(&n.prov.path) != ".env" {
                continue;
            }
            out.entry((n.prov.repo.to_string(), util::dir_of(&n.prov.path).to_string()))
                .or_default()
                .entry(k.to_string())
                .or_insert_with(|| v.to_string());
        }
    }
    out
}

/// `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` filled from `env`; `None` when one is unknown.
pub fn interpolate(s: &str, env: Option<&HashMap<String, String>>) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(body) = after.strip_prefix('{') {
            let end = body.find('}')?;
            let expr = &body[..end];
            let (name, default) = match expr.split_once(":-").or_else(|| expr.split_once('-')) {
                Some((n, d)) => (n, Some(d)),
                None => (expr, None),
            };
            let value = env.and_then(|e| e.get(name)).filter(|v| !v.is_empty()).map(String::as_str).or(default)?;
            out.push_str(value);
            rest = &body[end + 1..];
        } else if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
        } else {
            let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            if end == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            out.push_str(env.and_then(|e| e.get(&after[..end]))?);
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The repo a context outside the compose file's repo names, and the context inside it, from the
/// infra pass's `Service --built_from--> Repo` edge (`../../orders` -> `acme/orders`, `""`;
/// `../orders/docker` -> `acme/orders`, `docker`).
fn other_repo_contexts(ctx: &LinkContext) -> HashMap<NodeId, (String, String)> {
    let mut out = HashMap::new();
    for e in ctx.edges() {
        if e.kind != EdgeKind::BuiltFrom || e.to.prefix() != "repo" {
            continue;
        }
        let Some(bc) = e.attr(BUILD_CONTEXT) else { continue };
        let repo = e.to.as_str().trim_start_matches("repo:").to_string();
        let last = repo.rsplit('/').next().unwrap_or(&repo);
        let segs: Vec<&str> = bc.split('/').filter(|s| *s != "..").collect();
        let Some(pos) = segs.iter().rposition(|s| *s == last) else { continue };
        out.insert(e.from.clone(), (repo, segs[pos + 1..].join("/")));
    }
    out
}

fn services_to_images(ctx: &mut LinkContext) -> Contexts {
    let env = dotenv(ctx);
    let others = other_repo_contexts(ctx);
    let mut contexts: Contexts = BTreeMap::new();
    let mut edges = Vec::new();
    let mut diags = Vec::new();
    for n in ctx.nodes_of_kind(NodeKind::Service) {
        let Some(bc) = n.attr(BUILD_CONTEXT) else { continue };
        let compose_repo = n.attr(COMPOSE_REPO).unwrap_or(&n.prov.repo).to_string();
        let compose = n.attr(COMPOSE_FILE).unwrap_or(&n.prov.path).to_string();
        let line: Option<u32> = n.attr(COMPOSE_LINE).and_then(|l| l.parse().ok());
        let (repo, context, confidence) = if bc.starts_with("..") || bc.starts_with('/') {
            match others.get(&n.id) {
                Some((r, c)) => (r.clone(), c.clone(), Some(OTHER_REPO)),
                None => continue, // a tree the brain does not hold
            }
        } else {
            (compose_repo.clone(), if bc == "." { String::new() } else { bc.to_string() }, None)
        };
        let raw = n.attr(DOCKERFILE_ATTR).unwrap_or("Dockerfile");
        let Some(dockerfile) = interpolate(raw, env.get(&(compose_repo.clone(), util::dir_of(&compose).to_string())))
        else {
            diags.push(Diagnostic::new(
                Severity::Info,
                "image.unresolved-dockerfile",
                &compose_repo,
                &compose,
                line,
                format!(
                    "`{}` builds with dockerfile `{raw}`, whose variables no .env beside the compose file sets",
                    n.name
                ),
            ));
            continue;
        };
        let Some(path) = util::resolve_relative(&context, dockerfile.trim_start_matches("./")) else { continue };
        let image = NodeId::image(&repo, &path);
        if !ctx.contains(&image) {
            continue;
        }
        let span = line.map(Span::line);
        let prov = match confidence {
            None => Provenance::declared(&compose_repo, &compose, span, crate::infra::COMPOSE),
            Some(c) => Provenance::inferred(&compose_repo, &compose, span, crate::infra::COMPOSE, c),
        };
        edges.push(
            Edge::new(n.id.clone(), EdgeKind::BuiltFrom, image.clone(), prov)
                .with_attr(BUILD_CONTEXT, if context.is_empty() { "." } else { &context })
                .with_attr(DOCKERFILE_ATTR, &path),
        );
        let entry = contexts.entry(image).or_default();
        if !entry.iter().any(|(r, c, _)| *r == repo && *c == context) {
            entry.push((repo, context, confidence));
        }
    }
    for n in ctx.nodes_of_kind(NodeKind::Image) {
        contexts
            .entry(n.id.clone())
            .or_insert_with(|| vec![(n.prov.repo.to_string(), util::dir_of(&n.prov.path).to_string(), Some(OWN_DIR))]);
    }
    for e in edges {
        ctx.add_edge(e);
    }
    for d in diags {
        ctx.diagnostic(d);
    }
    contexts
}

/// A compiled Docker glob (`*` and `?` within one segment, `[...]` classes).
fn glob_regex(pattern: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    for c in pattern.chars() {
        match c {
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' | ']' => re.push(c),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push_str("(/.*)?$");
    regex::Regex::new(&re).ok()
}

fn includes(ctx: &mut LinkContext, contexts: Contexts) {
    let mut files_of: HashMap<String, Vec<String>> = HashMap::new();
    let mut edges = Vec::new();
    let mut diags = Vec::new();
    for (image, ctxs) in contexts {
        let Some(node) = ctx.node(&image) else { continue };
        let Some(sources) = node.attr(CONTEXT_SOURCES).map(str::to_string) else { continue };
        let (img_repo, img_path) = (node.prov.repo.to_string(), node.prov.path.to_string());
        let mut seen: HashSet<String> = HashSet::new();
        let mut capped = false;
        for (repo, context, confidence) in ctxs {
            if !files_of.contains_key(&repo) {
                let mut paths: Vec<String> = ctx.files_in_repo(&repo).iter().map(|f| f.prov.path.to_string()).collect();
                paths.sort();
                files_of.insert(repo.clone(), paths);
            }
            let files = &files_of[&repo];
            for entry in sources.lines() {
                let mut parts = entry.splitn(3, '|');
                let (Some(line), Some(stage), Some(src)) = (parts.next(), parts.next(), parts.next()) else { continue };
                if src.contains('$') {
                    continue; // a build argument: unknown here
                }
                let Some(joined) = util::resolve_relative(&context, src.trim_start_matches('/')) else { continue };
                let glob = joined.contains(['*', '?', '[']);
                // the literal directory the source starts in bounds the files to look at
                let fixed = if glob {
                    joined[..joined.find(['*', '?', '[']).unwrap_or(0)].rsplit_once('/').map(|(d, _)| d).unwrap_or("")
                } else {
                    joined.as_str()
                };
                let re = if glob { glob_regex(&joined) } else { None };
                let lo = files.partition_point(|p| p.as_str() < fixed);
                for p in files[lo..].iter().take_while(|p| p.starts_with(fixed)) {
                    let hit = match &re {
                        Some(re) => re.is_match(p),
                        None => fixed.is_empty() || p == fixed || p.as_bytes().get(fixed.len()) == Some(&b'/'),
                    };
                    if !hit || !seen.insert(p.clone()) {
                        continue;
                    }
                    if seen.len() > MAX_INCLUDES {
                        capped = true;
                        break;
                    }
                    let span = line.parse().ok().map(Span::line);
                    let prov = match confidence {
                        None => Provenance::declared(&img_repo, &img_path, span, DOCKERFILE),
                        Some(c) => Provenance::inferred(&img_repo, &img_path, span, DOCKERFILE, c),
                    };
                    edges.push(
                        Edge::new(image.clone(), EdgeKind::Includes, NodeId::file(&repo, p), prov)
                            .with_attr(SOURCE, src)
                            .with_attr(STAGE, stage)
                            .with_attr(BUILD_CONTEXT, if context.is_empty() { "." } else { &context }),
                    );
                }
            }
        }
        if capped {
            diags.push(Diagnostic::new(
                Severity::Warning,
                "image.includes-capped",
                &img_repo,
                &img_path,
                None,
                format!("the image includes more than {MAX_INCLUDES} files; the rest are not linked"),
            ));
        }
    }
    for e in edges {
        ctx.add_edge(e);
    }
    for d in diags {
        ctx.diagnostic(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_sources() {
        let text = "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nCOPY go.mod \\\n  go.sum ./\nCOPY ./cmd/ cmd/\n\
                    FROM build AS test\nCOPY testdata/ t/\nFROM alpine\nCOPY --from=build /out /bin/app\n\
                    COPY --from=nginx:1 /etc/nginx /etc/nginx\nADD https://example.com/x.tgz /x\nCOPY [\"conf/a b.yml\", \"/etc/\"]\n";
        let stages = parse(text);
        assert_eq!(stages.len(), 3);
        assert_eq!(stages[0].copies, vec![(3, "go.mod".to_string()), (3, "go.sum".to_string()), (5, "./cmd/".into())]);
        assert_eq!(stages[1].needs, vec![0]);
        assert_eq!(stages[2].needs, vec![0]);
        assert_eq!(stages[2].image_copies, vec!["nginx:1".to_string()]);
        assert_eq!(stages[2].copies, vec![(12, "conf/a b.yml".to_string())]);
    }

    #[test]
    fn compose_interpolation() {
        let env: HashMap<String, String> = [("AD".to_string(), "./src/ad/Dockerfile".to_string())].into();
        assert_eq!(interpolate("${AD}", Some(&env)).as_deref(), Some("./src/ad/Dockerfile"));
        assert_eq!(interpolate("${NOPE:-Dockerfile.dev}", Some(&env)).as_deref(), Some("Dockerfile.dev"));
        assert_eq!(interpolate("$AD", Some(&env)).as_deref(), Some("./src/ad/Dockerfile"));
        assert_eq!(interpolate("${NOPE}", Some(&env)), None);
        assert_eq!(interpolate("Dockerfile", None).as_deref(), Some("Dockerfile"));
    }

    #[test]
    fn globs() {
        let re = glob_regex("svc/*.go").expect("glob");
        assert!(re.is_match("svc/main.go"));
        assert!(!re.is_match("svc/pkg/x.go"));
        let re = glob_regex("scripts/*").expect("glob");
        assert!(re.is_match("scripts/a.sql"));
        assert!(re.is_match("scripts/sub/b.sql"), "a directory matched by a glob is copied whole");
    }
}
