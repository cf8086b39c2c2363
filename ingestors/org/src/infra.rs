//! Infrastructure manifests: docker-compose ([`ComposeIngestor`]) and
//! Kubernetes ([`KubernetesIngestor`]) services, and the [`InfraPass`].
//!
//! Both give `Service` nodes `svc:<name>` (a compose service and a Deployment
//! of the same name are one node) providing `(service, name)`. Declared
//! `depends_on` are `DependsOn` edges; environment values (and ConfigMap
//! data) that address another service — `http://orders:8080`, `users:9090`,
//! `kafka:9092`, `orders.shop.svc.cluster.local` — are `DependsOn`
//! references to `(service, host)`, inferred 0.8, attr `env` = the variable.
//!
//! Build contexts (`build: ../../orders`) are recorded normalised in attr
//! `build_context`, relative to the compose file's repo. Ingestors cannot see
//! the disk, so the [`InfraPass`] matches a context that leaves the repo to a
//! repo by its last path segment(s) (`../../orders` → `acme/orders`,
//! inferred 0.7) and a context inside the repo to the repo itself (declared).

use crate::util;
use brain_graph::{LinkContext, LinkPass};
use brain_ingest_contracts::yaml::{get_str, line_of, MarkedMappingNode, Node as YNode};
use brain_model::{
    attr, attr::ns, Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, Reference,
    Severity, SourceFile, Span,
};
use regex::Regex;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

/// Ingestor name of compose files.
pub const COMPOSE: &str = "compose";
/// Ingestor name of Kubernetes manifests.
pub const K8S: &str = "k8s";
/// Attr: build context, normalised, relative to the compose file's repo root.
pub const BUILD_CONTEXT: &str = "build_context";
/// Attr on inferred `DependsOn`: the environment variable (or ConfigMap key).
pub const ENV: &str = "env";
/// Attrs on compose services: where the compose entry is (the node may be declared first elsewhere).
pub const COMPOSE_FILE: &str = "compose_file";
pub const COMPOSE_REPO: &str = "compose_repo";
pub const COMPOSE_LINE: &str = "compose_line";

fn url_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b[a-z][a-z0-9+.\-]*://(?:[^@/\s]*@)?([a-z0-9][a-z0-9.\-]*)")
            .unwrap_or_else(|_| unreachable!())
    })
}

fn hostport_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)^([a-z][a-z0-9.\-]*):(\d{2,5})(?:/.*)?$").unwrap_or_else(|_| unreachable!()))
}

/// Service hosts addressed by a config value (see the module docs). External
/// domains, IPs and `localhost` are not services.
pub fn service_hosts(value: &str) -> Vec<String> {
    let mut hosts: Vec<&str> = url_re().captures_iter(value).filter_map(|c| c.get(1)).map(|m| m.as_str()).collect();
    if !value.contains("://") {
        for part in value.split([',', ' ', ';']) {
            if let Some(h) = hostport_re().captures(part.trim()).and_then(|c| c.get(1)) {
                hosts.push(h.as_str());
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for h in hosts {
        if let Some(s) = service_of_host(h) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

fn service_of_host(h: &str) -> Option<String> {
    let h = h.trim_end_matches('.').to_ascii_lowercase();
    if h.is_empty()
        || h == "localhost"
        || h == "host.docker.internal"
        || h.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    if let Some(first) = h.strip_suffix(".svc.cluster.local").or_else(|| h.strip_suffix(".svc")) {
        return first.split('.').next().map(str::to_string);
    }
    if h.contains('.') {
        return None; // a domain name, not a service
    }
    Some(h)
}

fn is_compose(path: &str) -> bool {
    let n = util::file_name(path);
    (n.starts_with("docker-compose") || n.starts_with("compose")) && (n.ends_with(".yml") || n.ends_with(".yaml"))
}

/// Reads docker-compose files.
#[derive(Debug, Default, Clone, Copy)]
pub struct ComposeIngestor;

impl Ingestor for ComposeIngestor {
    fn name(&self) -> &'static str {
        COMPOSE
    }
    fn accepts(&self, path: &str) -> bool {
        is_compose(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let (docs, stripped) = util::parse_yaml_tolerant(file.content);
        if stripped {
            facts.diagnostic(util::diag(
                file,
                Severity::Info,
                "yaml.anchors-dropped",
                None,
                "YAML anchors/aliases were not expanded; merged keys are missing",
            ));
        }
        for doc in &docs {
            let root = match &doc.root {
                Ok(r) => r,
                Err(e) => {
                    facts.diagnostic(util::diag(
                        file,
                        Severity::Warning,
                        "compose.yaml",
                        Some(e.line),
                        e.message.clone(),
                    ));
                    continue;
                }
            };
            let Some(services) = root.as_mapping().and_then(|m| m.get_mapping("services")) else { continue };
            for (key, value) in services.iter() {
                let name = key.as_str();
                let line = key.span().start().map(|m| m.line() as u32).unwrap_or(doc.start_line);
                // a block value's end marker sits on the next key's line
                let end = value.span().end().map(|m| (m.line() as u32).saturating_sub(1)).unwrap_or(line).max(line);
                compose_service(file, name, value.as_mapping(), Span::new(line, end), &mut facts);
            }
        }
        facts
    }
}

fn compose_service(file: &SourceFile<'_>, name: &str, svc: Option<&MarkedMappingNode>, span: Span, facts: &mut Facts) {
    let id = NodeId::service(name);
    let prov = util::declared(file, Some(span), COMPOSE);
    let mut node = Node::new(id.clone(), NodeKind::Service, name, prov.clone())
        .with_attr(COMPOSE_FILE, file.path)
        .with_attr(COMPOSE_REPO, file.repo)
        .with_attr(COMPOSE_LINE, span.start_line.to_string());
    if let Some(svc) = svc {
        if let Some(image) = get_str(svc, "image") {
            node = node.with_attr("image", image);
        }
        let build = svc.get_node("build");
        if let Some(df) = build.and_then(YNode::as_mapping).and_then(|m| get_str(m, "dockerfile")) {
            node = node.with_attr(crate::docker::DOCKERFILE_ATTR, df);
        }
        let context = match build {
            Some(YNode::Scalar(s)) => Some(s.as_str().to_string()),
            Some(YNode::Mapping(m)) => Some(get_str(m, "context").unwrap_or(".").to_string()),
            _ => None,
        };
        if let Some(c) = context {
            let joined = if c.starts_with('/') { c.clone() } else { format!("{}/{}", util::dir_of(file.path), c) };
            node = node.with_attr(BUILD_CONTEXT, util::normalize_lexically(&joined));
        }
        let ports: Vec<String> = util::yaml_strings(svc.get_node("ports")).into_iter().map(|(p, _)| p).collect();
        if !ports.is_empty() {
            node = node.with_attr("ports", ports.join(","));
        }
        match svc.get_node("depends_on") {
            Some(YNode::Mapping(m)) => {
                for (k, _) in m.iter() {
                    let l = k.span().start().map(|m| m.line() as u32);
                    facts.edge(Edge::new(
                        id.clone(),
                        EdgeKind::DependsOn,
                        NodeId::service(k.as_str()),
                        util::declared(file, l.map(Span::line), COMPOSE),
                    ));
                }
            }
            other => {
                for (d, l) in util::yaml_strings(other) {
                    facts.edge(Edge::new(
                        id.clone(),
                        EdgeKind::DependsOn,
                        NodeId::service(&d),
                        util::declared(file, l.map(Span::line), COMPOSE),
                    ));
                }
            }
        }
        for (var, value, line) in env_pairs(svc.get_node("environment")) {
            env_dependency(file, &id, name, &var, &value, line, COMPOSE, facts);
        }
    }
    facts.provide(&id, ns::SERVICE, name);
    facts.node(node);
}

/// `(name, value, line)` of a compose `environment` (list of `K=V` or mapping).
fn env_pairs(node: Option<&YNode>) -> Vec<(String, String, Option<u32>)> {
    match node {
        Some(YNode::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| v.as_scalar().map(|s| (k.as_str().to_string(), s.as_str().to_string(), line_of(v))))
            .collect(),
        Some(YNode::Sequence(s)) => s
            .iter()
            .filter_map(|n| {
                let t = n.as_scalar()?.as_str();
                let (k, v) = t.split_once('=')?;
                Some((k.to_string(), v.to_string(), line_of(n)))
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn env_dependency(
    file: &SourceFile<'_>,
    from: &NodeId,
    self_name: &str,
    var: &str,
    value: &str,
    line: Option<u32>,
    ingestor: &str,
    facts: &mut Facts,
) {
    for host in service_hosts(value) {
        if host == self_name {
            continue;
        }
        facts.reference(
            Reference::key(
                from.clone(),
                EdgeKind::DependsOn,
                ns::SERVICE,
                host,
                util::inferred(file, line.map(Span::line), ingestor, 0.8),
            )
            .with_attr(ENV, var),
        );
    }
}

/// Reads Kubernetes manifests (workloads, Services, ConfigMaps).
#[derive(Debug, Default, Clone, Copy)]
pub struct KubernetesIngestor;

const WORKLOADS: &[&str] = &["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

impl Ingestor for KubernetesIngestor {
    fn name(&self) -> &'static str {
        K8S
    }
    fn accepts(&self, path: &str) -> bool {
        let n = util::file_name(path);
        (n.ends_with(".yaml") || n.ends_with(".yml"))
            && !is_compose(path)
            && !path.starts_with(".github/")
            && !n.starts_with("catalog-info")
            && n != ".gitlab-ci.yml"
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        if !(file.content.contains("apiVersion") && file.content.contains("kind")) {
            return facts;
        }
        let (docs, _) = util::parse_yaml_tolerant(file.content);
        let total = util::line_count(file.content);
        let templated = file.content.contains("{{");
        // First pass: workloads and which ConfigMaps they read.
        let mut config_users: HashMap<String, Vec<(NodeId, String)>> = HashMap::new();
        let mut configmaps = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let root = match &doc.root {
                Ok(r) => r,
                Err(e) => {
                    // Helm/Go templates are not YAML until rendered: not worth a warning.
                    if !templated {
                        facts.diagnostic(util::diag(
                            file,
                            Severity::Warning,
                            "k8s.yaml",
                            Some(e.line),
                            e.message.clone(),
                        ));
                    }
                    continue;
                }
            };
            let Some(map) = root.as_mapping() else { continue };
            let (Some(api), Some(kind)) = (get_str(map, "apiVersion"), get_str(map, "kind")) else { continue };
            if api.starts_with("backstage.io") {
                continue;
            }
            let Some(meta) = map.get_mapping("metadata") else { continue };
            let Some(name) = get_str(meta, "name") else { continue };
            let end = docs.get(i + 1).map(|d| d.start_line.saturating_sub(1)).unwrap_or(total);
            let span = Span::new(doc.start_line, end);
            let namespace = get_str(meta, "namespace");
            if WORKLOADS.contains(&kind) {
                let id = NodeId::service(name);
                let mut node = Node::new(id.clone(), NodeKind::Service, name, util::declared(file, Some(span), K8S))
                    .with_attr("k8s_kind", kind);
                if let Some(ns_) = namespace {
                    node = node.with_attr("namespace", ns_);
                }
                let containers = containers_of(map.get_mapping("spec"), kind);
                if let Some(image) = containers.first().and_then(|c| get_str(c, "image")) {
                    node = node.with_attr("image", image);
                }
                for c in &containers {
                    if let Some(env) = c.get_sequence("env") {
                        for e in env.iter().filter_map(YNode::as_mapping) {
                            let var = get_str(e, "name").unwrap_or("");
                            if let Some(v) = e.get_node("value") {
                                let value = v.as_scalar().map(|s| s.as_str()).unwrap_or("");
                                env_dependency(file, &id, name, var, value, line_of(v), K8S, &mut facts);
                            }
                            if let Some(cm) = e
                                .get_mapping("valueFrom")
                                .and_then(|m| m.get_mapping("configMapKeyRef"))
                                .and_then(|m| get_str(m, "name"))
                            {
                                config_users.entry(cm.to_string()).or_default().push((id.clone(), name.to_string()));
                            }
                        }
                    }
                    if let Some(from) = c.get_sequence("envFrom") {
                        for f in from.iter().filter_map(YNode::as_mapping) {
                            if let Some(cm) = f.get_mapping("configMapRef").and_then(|m| get_str(m, "name")) {
                                config_users.entry(cm.to_string()).or_default().push((id.clone(), name.to_string()));
                            }
                        }
                    }
                }
                facts.provide(&id, ns::SERVICE, name);
                facts.node(node);
            } else if kind == "Service" {
                let id = NodeId::service(name);
                let mut node = Node::new(id.clone(), NodeKind::Service, name, util::declared(file, Some(span), K8S))
                    .with_attr("k8s_service", "true");
                if let Some(ports) = map.get_mapping("spec").and_then(|s| s.get_sequence("ports")) {
                    let p: Vec<&str> =
                        ports.iter().filter_map(|p| p.as_mapping().and_then(|m| get_str(m, "port"))).collect();
                    node = node.with_attr("ports", p.join(","));
                }
                facts.provide(&id, ns::SERVICE, name);
                facts.node(node);
            } else if kind == "ConfigMap" {
                configmaps.push((name.to_string(), map.get_mapping("data").cloned()));
            }
        }
        for (cm, data) in configmaps {
            let Some(data) = data else { continue };
            let users = config_users.get(&cm).cloned().unwrap_or_else(|| {
                let base =
                    ["-config", "-configmap", "-env", "-cm"].iter().find_map(|s| cm.strip_suffix(s)).unwrap_or(&cm);
                vec![(NodeId::service(base), base.to_string())]
            });
            for (k, v) in data.iter() {
                let Some(value) = v.as_scalar() else { continue };
                for (uid, uname) in &users {
                    env_dependency(file, uid, uname, k.as_str(), value.as_str(), line_of(v), K8S, &mut facts);
                }
            }
        }
        facts
    }
}

fn containers_of<'a>(spec: Option<&'a MarkedMappingNode>, kind: &str) -> Vec<&'a MarkedMappingNode> {
    let mut spec = spec;
    if kind == "CronJob" {
        spec = spec.and_then(|s| s.get_mapping("jobTemplate")).and_then(|j| j.get_mapping("spec"));
    }
    let pod = spec.and_then(|s| s.get_mapping("template")).and_then(|t| t.get_mapping("spec"));
    let mut out = Vec::new();
    for key in ["initContainers", "containers"] {
        if let Some(cs) = pod.and_then(|p| p.get_sequence(key)) {
            out.extend(cs.iter().filter_map(YNode::as_mapping));
        }
    }
    out
}

/// Links build contexts to repos and reports dependency findings; see the module docs.
#[derive(Debug, Default, Clone, Copy)]
pub struct InfraPass;

impl LinkPass for InfraPass {
    fn name(&self) -> &'static str {
        "infra"
    }
    fn run(&self, ctx: &mut LinkContext) {
        built_from(ctx);
        dependency_findings(ctx);
    }
}

fn built_from(ctx: &mut LinkContext) {
    let repos: Vec<String> = ctx.nodes_of_kind(NodeKind::Repo).map(|n| n.name.clone()).collect();
    let mut edges = Vec::new();
    for n in ctx.nodes_of_kind(NodeKind::Service) {
        let Some(bc) = n.attr(BUILD_CONTEXT) else { continue };
        // The node may have been declared first by another file (a catalog):
        // the evidence is the compose file recorded on the node.
        let repo = n.attr(COMPOSE_REPO).unwrap_or(&n.prov.repo).to_string();
        let path = n.attr(COMPOSE_FILE).unwrap_or(&n.prov.path).to_string();
        let line: Option<u32> = n.attr(COMPOSE_LINE).and_then(|l| l.parse().ok());
        let span = line.map(Span::line).or(n.prov.span);
        if !bc.starts_with("..") {
            let p = Provenance::declared(&repo, &path, span, COMPOSE);
            edges.push(Edge::new(n.id.clone(), EdgeKind::BuiltFrom, NodeId::repo(&repo), p).with_attr(attr::DIR, bc));
            continue;
        }
        let segs: Vec<&str> = bc.split('/').filter(|s| *s != "..").collect();
        if segs.is_empty() {
            continue;
        }
        let mut matched: Vec<&String> = Vec::new();
        // the longest run of trailing segments that names a repo (`org/name` or `name`)
        for take in (1..=segs.len().min(2)).rev() {
            let tail = segs[segs.len() - take..].join("/");
            matched = repos.iter().filter(|r| **r == tail || r.ends_with(&format!("/{tail}"))).collect();
            if !matched.is_empty() {
                break;
            }
        }
        // a context below a sibling repo's root (`../orders/docker`): try leading segments
        if matched.is_empty() {
            for end in (1..segs.len()).rev() {
                let last = segs[end - 1];
                matched = repos.iter().filter(|r| r.rsplit('/').next() == Some(last)).collect();
                if !matched.is_empty() {
                    break;
                }
            }
        }
        if matched.len() == 1 {
            let p = Provenance::inferred(&repo, &path, span, COMPOSE, 0.7);
            edges.push(
                Edge::new(n.id.clone(), EdgeKind::BuiltFrom, NodeId::repo(matched[0]), p).with_attr(BUILD_CONTEXT, bc),
            );
        }
    }
    for e in edges {
        ctx.add_edge(e);
    }
}

/// The host of a URL or `host:port` written in code, if it names a service.
fn host_of_url(url: &str) -> Option<String> {
    service_hosts(url).into_iter().next()
}

fn dependency_findings(ctx: &mut LinkContext) {
    let services: HashSet<NodeId> = ctx.nodes_of_kind(NodeKind::Service).map(|n| n.id.clone()).collect();
    // Application services: built from a repo, or a catalog Component of a repo.
    let components: HashSet<NodeId> = ctx
        .nodes_of_kind(NodeKind::Service)
        .filter(|n| n.attr(crate::catalog::BACKSTAGE_KIND) == Some("Component"))
        .map(|n| n.id.clone())
        .collect();
    let mut svc_of_repo: HashMap<String, BTreeSet<NodeId>> = HashMap::new();
    let mut repo_of_svc: HashMap<NodeId, String> = HashMap::new();
    let mut declared: HashMap<(NodeId, NodeId), Provenance> = HashMap::new();
    for e in ctx.edges() {
        let app = match e.kind {
            EdgeKind::BuiltFrom if services.contains(&e.from) => Some((e.to.clone(), e.from.clone())),
            EdgeKind::Contains if e.from.prefix() == "repo" && components.contains(&e.to) => {
                Some((e.from.clone(), e.to.clone()))
            }
            _ => None,
        };
        if let Some((repo, svc)) = app {
            let repo = repo.as_str().trim_start_matches("repo:").to_string();
            svc_of_repo.entry(repo.clone()).or_default().insert(svc.clone());
            repo_of_svc.entry(svc).or_insert(repo);
        }
        if e.kind == EdgeKind::DependsOn && services.contains(&e.from) && services.contains(&e.to) {
            declared.entry((e.from.clone(), e.to.clone())).or_insert_with(|| e.prov.clone());
        }
    }
    // code calls by host: (repo, host) -> first location
    let mut calls: HashMap<(String, String), Provenance> = HashMap::new();
    let code_consumes =
        ctx.edges().filter(|e| e.kind == EdgeKind::Consumes).map(|e| (&e.prov, e.attr(attr::HTTP_PATH)));
    let unresolved =
        ctx.unresolved().iter().filter(|r| r.kind == EdgeKind::Consumes).map(|r| (&r.prov, r.attr(attr::HTTP_PATH)));
    let mut repos_with_calls: BTreeSet<String> = BTreeSet::new();
    for (prov, url) in code_consumes.chain(unresolved) {
        let Some(url) = url else { continue };
        repos_with_calls.insert(prov.repo.to_string());
        if let Some(host) = host_of_url(url) {
            calls.entry((prov.repo.to_string(), host)).or_insert_with(|| prov.clone());
        }
    }
    let mut diags = Vec::new();
    let mut call_list: Vec<(&(String, String), &Provenance)> = calls.iter().collect();
    call_list.sort_by(|a, b| a.0.cmp(b.0));
    for ((repo, host), prov) in call_list {
        let target = NodeId::service(host);
        if !services.contains(&target) {
            continue;
        }
        let Some(callers) = svc_of_repo.get(repo) else { continue };
        if callers.contains(&target) {
            continue;
        }
        if !callers.iter().any(|c| declared.contains_key(&(c.clone(), target.clone()))) {
            let names: Vec<&str> = callers.iter().map(|c| c.as_str().trim_start_matches("svc:")).collect();
            diags.push(Diagnostic::new(
                Severity::Info,
                "infra.undeclared-dependency",
                &prov.repo,
                &prov.path,
                prov.span.map(|s| s.start_line),
                format!(
                    "finding: code of {} calls service `{host}`, which no manifest declares as a dependency",
                    names.join(", ")
                ),
            ));
        }
    }
    let mut declared_sorted: Vec<(&(NodeId, NodeId), &Provenance)> = declared.iter().collect();
    declared_sorted.sort_by(|a, b| a.0.cmp(b.0));
    for ((from, to), prov) in declared_sorted {
        let (Some(repo), true) = (repo_of_svc.get(from), repo_of_svc.contains_key(to)) else { continue };
        if !repos_with_calls.contains(repo) {
            continue; // we know nothing of this code's calls
        }
        let host = to.as_str().trim_start_matches("svc:").to_string();
        if !calls.contains_key(&(repo.clone(), host.clone())) {
            diags.push(Diagnostic::new(
                Severity::Info,
                "infra.unused-dependency",
                &prov.repo,
                &prov.path,
                prov.span.map(|s| s.start_line),
                format!(
                    "finding: {} declares a dependency on `{host}` but no HTTP call in {repo} addresses it",
                    from.as_str().trim_start_matches("svc:")
                ),
            ));
        }
    }
    for d in diags {
        ctx.diagnostic(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_from_config_values() {
        assert_eq!(service_hosts("http://orders:8080/api"), vec!["orders"]);
        assert_eq!(service_hosts("kafka:9092,kafka-2:9092"), vec!["kafka", "kafka-2"]);
        assert_eq!(service_hosts("postgres://app:secret@orders-db:5432/orders"), vec!["orders-db"]);
        assert_eq!(service_hosts("http://users.shop.svc.cluster.local"), vec!["users"]);
        assert!(service_hosts("https://api.stripe.com/v1").is_empty());
        assert!(service_hosts("http://localhost:3000").is_empty());
        assert!(service_hosts("INFO").is_empty());
        assert!(service_hosts("12:30").is_empty());
    }
}
