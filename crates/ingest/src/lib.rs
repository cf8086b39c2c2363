//! Ingest pipeline: config, repo walking, hashing, parallel ingest, atomic commit.
