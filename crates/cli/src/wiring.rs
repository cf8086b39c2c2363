//! The ingestors and link passes the binary ships with, in order.

use brain_graph::LinkPass;
use brain_model::Ingestor;

pub fn ingestors() -> Vec<Box<dyn Ingestor>> {
    let mut v: Vec<Box<dyn Ingestor>> = vec![
        Box::new(brain_ingest_files::FilesIngestor),
        Box::new(brain_ingest_code::CodeIngestor::default()),
        Box::new(brain_ingest_code::manifests::ManifestIngestor::default()),
        Box::new(brain_ingest_contracts::OpenApiIngestor::default()),
        Box::new(brain_ingest_contracts::AsyncApiIngestor::default()),
        Box::new(brain_ingest_contracts::JsonSchemaIngestor::default()),
        Box::new(brain_ingest_contracts::proto::ProtoIngestor::default()),
        Box::new(brain_ingest_contracts::graphql::GraphqlIngestor::default()),
    ];
    v.extend(brain_ingest_org::ingestors());
    v
}

pub fn passes() -> Vec<Box<dyn LinkPass>> {
    brain_ingest_org::passes()
}
