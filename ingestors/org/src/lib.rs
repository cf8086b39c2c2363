//! Organisation ingestors: CODEOWNERS, Backstage catalog, ADRs, infrastructure, postmortems, JUnit, agent docs, CI workflows.
