//! Organisation ingestors: CODEOWNERS, Backstage catalog, ADRs, infrastructure, postmortems, JUnit, agent docs, CI workflows.
//!
//! Each source is a pure [`brain_model::Ingestor`] (facts from one file);
//! what needs the whole graph is a [`brain_graph::LinkPass`]. Use
//! [`ingestors`] and [`passes`] to register everything this crate offers.
//!
//! | module | ingestor name | gives |
//! | --- | --- | --- |
//! | [`codeowners`] | `codeowners` | CODEOWNERS `Document` (attr `precedence`), `Owner` nodes; [`CodeownersPass`]: `Owns` edges, `codeowners.stale-rule` |
//! | [`catalog`] | `catalog` | Backstage entities as `Service` / `Spec` (`api:<name>`) / `Owner` nodes and their relations |
//! | [`adr`] | `adr` | `Decision` nodes (provide `adr` `<repo>#<n>`), supersedes/amends references; [`DecisionPass`]: `current_status`, `Governs`, `adr.*` findings |
//! | [`infra`] | `compose`, `k8s` | `Service` nodes, `DependsOn` edges and references; [`InfraPass`]: `BuiltFrom`, `infra.*` findings |
//! | [`gateway`] | `nginx` | gateway `DependsOn` references with `route_prefix`/`route_rewrite`; [`GatewayPass`] (run before the flow pass, see `brain_stack::passes`): unresolved HTTP calls followed through the rules to the proxied service's routes |
//! | [`failures`] | `postmortem`, `junit` | `Failure` nodes with `Affected` references; [`FailurePass`]: JUnit failures to `Test` nodes |
//! | [`agent_docs`] | `agent-docs` | `Document` nodes (`doc_kind`, `applies_to`) `AppliesTo` the repo |
//! | [`ci`] | `ci` | `CiJob` nodes (`triggers`, `commands`, `test_command`, `test_paths`) that `Runs` the repo |
//! | [`flags`] | `flags` | `Flag` nodes (flagd, operator `FeatureFlag`, Flipt, go-feature-flag) providing `(flag, key)`; code's `Evaluates` references resolve to them |
//! | [`docker`] | `dockerfile` | `Image` nodes (stages, base images, context sources); [`ImagePass`]: `Service --built_from--> Image` from compose `build:`, `Image --includes--> File` |
//!
//! Local attribute keys and namespaces (not in `brain_model::attr`) are
//! public constants of their modules, e.g. [`codeowners::OWNER_TYPE`],
//! [`adr::NS_ADR`], [`failures::NS_TEST`], [`decision_pass::CURRENT_STATUS`].

pub mod adr;
pub mod agent_docs;
pub mod catalog;
pub mod ci;
pub mod codeowners;
pub mod config;
pub mod decision_pass;
pub mod docker;
pub mod failures;
pub mod flags;
pub mod gateway;
pub mod incident;
pub mod infra;
pub mod records;
mod util;

pub use adr::AdrIngestor;
pub use agent_docs::AgentDocsIngestor;
pub use catalog::CatalogIngestor;
pub use ci::CiIngestor;
pub use codeowners::{CodeownersIngestor, CodeownersPass};
pub use config::ConfigIngestor;
pub use decision_pass::DecisionPass;
pub use docker::{DockerfileIngestor, ImagePass};
pub use failures::{FailurePass, JunitIngestor, PostmortemIngestor};
pub use flags::FlagIngestor;
pub use gateway::{GatewayPass, NginxIngestor};
pub use infra::{ComposeIngestor, InfraPass, KubernetesIngestor};

use brain_graph::LinkPass;
use brain_model::Ingestor;

/// Every ingestor of this crate with default settings.
pub fn ingestors() -> Vec<Box<dyn Ingestor>> {
    vec![
        Box::new(CodeownersIngestor),
        Box::new(CatalogIngestor),
        Box::new(AdrIngestor::default()),
        Box::new(ComposeIngestor),
        Box::new(KubernetesIngestor),
        Box::new(NginxIngestor),
        Box::new(PostmortemIngestor),
        Box::new(JunitIngestor),
        Box::new(AgentDocsIngestor),
        Box::new(CiIngestor),
        Box::new(ConfigIngestor),
        Box::new(FlagIngestor),
        Box::new(DockerfileIngestor),
    ]
}

/// Every link pass of this crate, in the order they should run. The
/// `FailurePass` and `DecisionPass` look at unresolved references, so they
/// run after the linker (which `GraphBuilder::build` guarantees).
pub fn passes() -> Vec<Box<dyn LinkPass>> {
    vec![
        Box::new(CodeownersPass),
        Box::new(InfraPass),
        Box::new(ImagePass),
        Box::new(FailurePass),
        Box::new(DecisionPass),
    ]
}
