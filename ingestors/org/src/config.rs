//! Application configuration files, as the code reads them: Spring
//! `application*.yml|yaml|properties` and `bootstrap.yml`, .NET
//! `appsettings*.json`, and dotenv files (`.env`, `*.env`).
//!
//! Code names topics, queues and URLs through configuration
//! (`@KafkaListener(topics = "${app.topics.order-placed}")`,
//! `Configuration["Kafka:Topic"]`, `os.Getenv("ORDERS_TOPIC")`); the values
//! live here. Each scalar setting becomes a provide of namespace [`NS_CONFIG`]
//! on the file node with key `<dotted.key>=<value>` (dotenv names as written,
//! .NET sections joined by `.` and `:`), so the code ingestor's string link step
//! can fold a placeholder into the value configured in the same repository.

use crate::util::parse_yaml_tolerant;
use brain_ingest_contracts::yaml::Node as YNode;
use brain_model::{Facts, Ingestor, NodeId, SourceFile};

/// Provide namespace of configuration settings (`key=value`).
pub const NS_CONFIG: &str = "config";
/// Longest value kept (topic names, URLs, hosts; not certificates).
const MAX_VALUE: usize = 300;
/// Most settings kept from one file.
const MAX_SETTINGS: usize = 2_000;

/// The configuration-file ingestor (`config`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ConfigIngestor;

fn kind_of(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
    {
        return Some("yaml");
    }
    if lower.starts_with("application") && lower.ends_with(".properties") {
        return Some("properties");
    }
    // A Spring Cloud Config server's native repository: one file per application
    // (`src/main/resources/shared/account-service.yml`, `config-repo/orders.yml`).
    if config_server_dir(path) {
        if lower.ends_with(".yml") || lower.ends_with(".yaml") {
            return Some("yaml");
        }
        if lower.ends_with(".properties") {
            return Some("properties");
        }
    }
    if lower.starts_with("appsettings") && lower.ends_with(".json") {
        return Some("json");
    }
    if lower == ".env" || lower.ends_with(".env") || lower.starts_with(".env.") {
        return Some("dotenv");
    }
    None
}

/// Whether a file sits where a config server keeps per-application files: a `shared`,
/// `config` or `configs` folder of a module's resources, or a `config-repo` folder.
fn config_server_dir(path: &str) -> bool {
    let Some((dir, _)) = path.rsplit_once('/') else { return false };
    let parent = dir.rsplit('/').next().unwrap_or(dir);
    parent == "config-repo"
        || (dir.contains("src/main/resources/") && matches!(parent, "shared" | "config" | "configs"))
}

impl Ingestor for ConfigIngestor {
    fn name(&self) -> &'static str {
        "config"
    }

    fn accepts(&self, path: &str) -> bool {
        kind_of(path).is_some()
    }

    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut settings: Vec<(String, String)> = Vec::new();
        match kind_of(file.path) {
            Some("yaml") => {
                let (docs, _) = parse_yaml_tolerant(file.content);
                for d in docs {
                    if let Ok(root) = d.root {
                        flatten_yaml(&root, String::new(), &mut settings, 0);
                    }
                }
            }
            Some("properties") | Some("dotenv") => {
                for line in file.content.lines() {
                    let l = line.trim();
                    if l.is_empty() || l.starts_with('#') || l.starts_with('!') {
                        continue;
                    }
                    let l = l.strip_prefix("export ").unwrap_or(l);
                    let Some((k, v)) = l.split_once(['=', ':']) else { continue };
                    let v = v.trim().trim_matches(['"', '\'']);
                    settings.push((k.trim().to_string(), v.to_string()));
                }
            }
            Some("json") => {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(file.content) {
                    flatten_json(&v, String::new(), &mut settings, 0);
                }
            }
            _ => {}
        }
        let mut facts = Facts::default();
        crate::gateway::spring_gateway_routes(file, &settings, &mut facts);
        let file_id = NodeId::file(file.repo, file.path);
        for (k, v) in settings.into_iter().take(MAX_SETTINGS) {
            if k.is_empty() || v.is_empty() || v.len() > MAX_VALUE || v.contains('\n') {
                continue;
            }
            facts.provide(&file_id, NS_CONFIG, format!("{k}={v}"));
        }
        facts
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn flatten_yaml(n: &YNode, prefix: String, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > 32 || out.len() > MAX_SETTINGS {
        return;
    }
    match n {
        YNode::Mapping(m) => {
            for (k, v) in m.iter() {
                flatten_yaml(v, join(&prefix, k.as_str()), out, depth + 1);
            }
        }
        YNode::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                flatten_yaml(v, format!("{prefix}[{i}]"), out, depth + 1);
            }
        }
        YNode::Scalar(s) => out.push((prefix, s.as_str().to_string())),
    }
}

fn flatten_json(v: &serde_json::Value, prefix: String, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > 32 || out.len() > MAX_SETTINGS {
        return;
    }
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                flatten_json(v, join(&prefix, k), out, depth + 1);
            }
        }
        serde_json::Value::String(s) => out.push((prefix, s.clone())),
        serde_json::Value::Number(n) => out.push((prefix, n.to_string())),
        serde_json::Value::Bool(b) => out.push((prefix, b.to_string())),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(path: &str, content: &str) -> Vec<String> {
        let f = ConfigIngestor.ingest(&SourceFile { repo: "r", path, content });
        f.provides.into_iter().map(|p| p.key).collect()
    }

    #[test]
    fn settings_become_key_value_provides() {
        let y = keys("src/main/resources/application.yml", "app:\n  topics:\n    placed: orders.placed.v1\n");
        assert_eq!(y, vec!["app.topics.placed=orders.placed.v1"]);
        let p = keys("application.properties", "# c\napp.topic=orders\nserver.port = 8080\n");
        assert_eq!(p, vec!["app.topic=orders", "server.port=8080"]);
        let e = keys(".env", "export ORDERS_TOPIC=\"orders.created\"\n");
        assert_eq!(e, vec!["ORDERS_TOPIC=orders.created"]);
        let j = keys("appsettings.json", "{\"Kafka\": {\"Topic\": \"readings\"}}");
        assert_eq!(j, vec!["Kafka.Topic=readings"]);
        assert!(keys("application.yml", "a: [\n").is_empty());
    }
}
