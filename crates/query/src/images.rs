//! Container images: which images include a file (or any file under a directory), and which
//! services are built from a directory.
//!
//! `Image` nodes are Dockerfiles' final images; `Image --includes--> File` edges are what any
//! stage the final one depends on copies from the build context; `Service --built_from--> Image`
//! comes from a compose `build:` (see `brain_ingest_org::docker`). A service is built from a
//! directory when its image includes a file under it, or when its build context is that
//! directory (`Service --built_from--> Repo` with attr `dir`, for a Dockerfile the brain could
//! not read).

use crate::common::{EntityRef, Evidence};
use brain_graph::Graph;
use brain_model::{EdgeKind, Node, NodeId, NodeKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// An image and the services built with it.
#[derive(Clone, Debug, Serialize)]
pub struct ImageRef {
    pub image: EntityRef,
    /// `repo:path` of the Dockerfile.
    pub dockerfile: String,
    pub stages: Vec<String>,
    pub base_images: Vec<String>,
    /// Services whose compose `build:` builds this image.
    pub services: Vec<EntityRef>,
}

/// One image including files at the path asked about.
#[derive(Clone, Debug, Serialize)]
pub struct ImageInclusion {
    pub image: ImageRef,
    /// Files included under the path asked (the path itself for a file), at most 20 listed.
    pub files: Vec<String>,
    pub file_count: usize,
    /// The first `COPY`/`ADD` that includes them: source as written, stage, and where.
    pub source: String,
    pub stage: String,
    pub evidence: Evidence,
}

/// A service built from a directory, and why.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceBuild {
    pub service: EntityRef,
    /// The image, when the brain read its Dockerfile.
    pub image: Option<EntityRef>,
    /// `includes` (its image copies files from the directory), `dockerfile` (its Dockerfile is
    /// there) or `build-context`.
    pub reason: String,
    /// Files of the directory its image includes (0 for `build-context`).
    pub file_count: usize,
    pub evidence: Evidence,
}

fn split_list(s: Option<&str>) -> Vec<String> {
    s.map(|v| v.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect()).unwrap_or_default()
}

fn image_ref(graph: &Graph, id: &NodeId) -> Option<ImageRef> {
    let n = graph.node(id)?;
    let mut services: Vec<EntityRef> = graph
        .incoming(id)
        .filter(|e| e.edge.kind == EdgeKind::BuiltFrom && e.other.kind == NodeKind::Service)
        .map(|e| EntityRef::of(e.other))
        .collect();
    services.sort_by(|a, b| a.id.cmp(&b.id));
    services.dedup_by(|a, b| a.id == b.id);
    Some(ImageRef {
        image: EntityRef::of(n),
        dockerfile: format!("{}:{}", n.prov.repo, n.prov.path),
        stages: split_list(n.attr("stages")),
        base_images: split_list(n.attr("base_images")),
        services,
    })
}

/// Whether `path` is `dir` or under it (`""` is the whole repository).
fn under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Images that include the file `path` of `repo`, or any file under it when it is a directory.
pub fn images_including(graph: &Graph, repo: &str, path: &str) -> Vec<ImageInclusion> {
    let path = path.trim_end_matches('/');
    let mut by_image: BTreeMap<NodeId, ImageInclusion> = BTreeMap::new();
    let files = graph.nodes_of_kind(NodeKind::File).filter(|f| f.prov.repo == repo && under(&f.prov.path, path));
    for f in files {
        for e in graph.incoming(&f.id).filter(|e| e.edge.kind == EdgeKind::Includes) {
            let img = e.other.id.clone();
            if !by_image.contains_key(&img) {
                let Some(image) = image_ref(graph, &img) else { continue };
                by_image.insert(
                    img.clone(),
                    ImageInclusion {
                        image,
                        files: Vec::new(),
                        file_count: 0,
                        source: e.edge.attr("source").unwrap_or("").to_string(),
                        stage: e.edge.attr("stage").unwrap_or("").to_string(),
                        evidence: Evidence::new(graph, &e.edge.prov),
                    },
                );
            }
            if let Some(inc) = by_image.get_mut(&img) {
                inc.file_count += 1;
                if inc.files.len() < 20 {
                    inc.files.push(f.prov.path.to_string());
                }
            }
        }
    }
    let mut out: Vec<ImageInclusion> = by_image.into_values().collect();
    for i in &mut out {
        i.files.sort();
    }
    out
}

/// Services built from the directory `dir` of `repo`; see the module docs.
pub fn services_built_from(graph: &Graph, repo: &str, dir: &str) -> Vec<ServiceBuild> {
    let dir = dir.trim_end_matches('/');
    let dir = if dir == "." { "" } else { dir };
    let mut out: BTreeMap<NodeId, ServiceBuild> = BTreeMap::new();
    // Every service built as `img` (the first reason found for a service stays).
    let built_as =
        |out: &mut BTreeMap<NodeId, ServiceBuild>, img: &Node, reason: &str, files: usize, ev: Option<&Evidence>| {
            for e in graph.incoming(&img.id).filter(|e| e.edge.kind == EdgeKind::BuiltFrom) {
                if e.other.kind != NodeKind::Service || out.contains_key(&e.other.id) {
                    continue;
                }
                let evidence = ev.cloned().unwrap_or_else(|| Evidence::new(graph, &e.edge.prov));
                let build = ServiceBuild {
                    service: EntityRef::of(e.other),
                    image: Some(EntityRef::of(img)),
                    reason: reason.into(),
                    file_count: files,
                    evidence,
                };
                out.insert(e.other.id.clone(), build);
            }
        };
    for inc in images_including(graph, repo, dir) {
        let Some(img) = graph.node(&inc.image.image.id) else { continue };
        built_as(&mut out, img, "includes", inc.file_count, Some(&inc.evidence));
    }
    // The Dockerfile is an input of the build too: a service whose Dockerfile is here.
    for img in graph.nodes_of_kind(NodeKind::Image).filter(|n| n.prov.repo == repo && under(&n.prov.path, dir)) {
        built_as(&mut out, img, "dockerfile", 0, None);
    }
    let repo_id = NodeId::repo(repo);
    for e in graph.incoming(&repo_id).filter(|e| e.edge.kind == EdgeKind::BuiltFrom) {
        let ctx_dir = e.edge.attr("dir").map(|d| if d == "." { "" } else { d });
        if e.other.kind != NodeKind::Service || ctx_dir != Some(dir) || out.contains_key(&e.other.id) {
            continue;
        }
        // Built with a Dockerfile the brain read, which copies nothing from here: not from this directory.
        let has_image =
            graph.outgoing(&e.other.id).any(|x| x.edge.kind == EdgeKind::BuiltFrom && x.other.kind == NodeKind::Image);
        if has_image {
            continue;
        }
        out.insert(
            e.other.id.clone(),
            ServiceBuild {
                service: EntityRef::of(e.other),
                image: None,
                reason: "build-context".into(),
                file_count: 0,
                evidence: Evidence::new(graph, &e.edge.prov),
            },
        );
    }
    out.into_values().collect()
}

/// Both answers as text, for the CLI and MCP.
pub fn render_images(including: &[ImageInclusion], services: &[ServiceBuild], repo: &str, path: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if including.is_empty() {
        let _ = writeln!(out, "no image includes {repo}:{path}");
    }
    for i in including {
        let svcs: Vec<&str> = i.image.services.iter().map(|s| s.name.as_str()).collect();
        let svcs = if svcs.is_empty() { String::new() } else { format!(" (services: {})", svcs.join(", ")) };
        let _ = writeln!(
            out,
            "image {}{svcs} includes {} file(s): COPY {} in stage {} at {}",
            i.image.dockerfile,
            i.file_count,
            i.source,
            i.stage,
            i.evidence.location()
        );
    }
    for s in services {
        let how = match (&s.image, s.reason.as_str()) {
            (Some(img), "dockerfile") => format!("its Dockerfile {} is here", img.path),
            (Some(img), _) => format!("its image {} includes {} file(s) here", img.path, s.file_count),
            (None, _) => "its build context is this directory".to_string(),
        };
        let _ =
            writeln!(out, "service {} is built from {repo}:{path}: {how} ({})", s.service.name, s.evidence.location());
    }
    out
}
