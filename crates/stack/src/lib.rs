//! The ingestors and link passes the brain ships with, in order. The binary,
//! the end-to-end tests and the benches all take them from here.

use brain_graph::LinkPass;
use brain_model::Ingestor;

pub fn ingestors() -> Vec<Box<dyn Ingestor>> {
    let mut v: Vec<Box<dyn Ingestor>> = vec![
        Box::new(brain_ingest_files::FilesIngestor),
        Box::new(brain_ingest_code::CodeIngestor),
        Box::new(brain_ingest_code::manifests::ManifestIngestor),
        Box::new(brain_ingest_contracts::OpenApiIngestor),
        Box::new(brain_ingest_contracts::AsyncApiIngestor),
        Box::new(brain_ingest_contracts::JsonSchemaIngestor),
        Box::new(brain_ingest_contracts::proto::ProtoIngestor),
        Box::new(brain_ingest_contracts::graphql::GraphqlIngestor),
    ];
    v.extend(brain_ingest_org::ingestors());
    v
}

pub fn passes() -> Vec<Box<dyn LinkPass>> {
    let mut v: Vec<Box<dyn LinkPass>> =
        // The gateway pass links calls made through a reverse proxy before the flow pass reads
        // their responses.
        vec![
            Box::new(brain_ingest_code::CodeLinkPass),
            // Context paths and router mounts prefix served routes before the gateway matches
            // templates.
            Box::new(brain_ingest_code::RoutePrefixPass),
            Box::new(brain_ingest_org::GatewayPass),
            Box::new(brain_ingest_code::FlowLinkPass),
        ];
    v.extend(brain_ingest_org::passes());
    v
}
