//! The ingestors and link passes the binary ships with, in order.

use brain_graph::LinkPass;
use brain_model::Ingestor;

pub fn ingestors() -> Vec<Box<dyn Ingestor>> {
    vec![
        Box::new(brain_ingest_files::FilesIngestor),
        Box::new(brain_ingest_code::CodeIngestor::default()),
        Box::new(brain_ingest_code::manifests::ManifestIngestor::default()),
        Box::new(brain_ingest_contracts::OpenApiIngestor::default()),
        Box::new(brain_ingest_contracts::AsyncApiIngestor::default()),
        Box::new(brain_ingest_contracts::JsonSchemaIngestor::default()),
        Box::new(brain_ingest_contracts::proto::ProtoIngestor::default()),
        Box::new(brain_ingest_contracts::graphql::GraphqlIngestor::default()),
        Box::new(brain_ingest_org::CodeownersIngestor::default()),
        Box::new(brain_ingest_org::CatalogIngestor::default()),
        Box::new(brain_ingest_org::AdrIngestor::default()),
        Box::new(brain_ingest_org::ComposeIngestor::default()),
        Box::new(brain_ingest_org::KubernetesIngestor::default()),
        Box::new(brain_ingest_org::PostmortemIngestor::default()),
        Box::new(brain_ingest_org::JunitIngestor::default()),
        Box::new(brain_ingest_org::AgentDocsIngestor::default()),
        Box::new(brain_ingest_org::CiIngestor::default()),
    ]
}

pub fn passes() -> Vec<Box<dyn LinkPass>> {
    vec![
        Box::new(brain_ingest_org::CodeownersPass::default()),
        Box::new(brain_ingest_org::DecisionPass::default()),
        Box::new(brain_ingest_org::InfraPass::default()),
        Box::new(brain_ingest_org::FailurePass::default()),
    ]
}
