//! In-memory graph snapshot (petgraph) built from per-file facts, and the linker that resolves references. Pure: no IO.
