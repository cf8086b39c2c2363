//! Orders service library: HTTP handlers, storage and event publishing.

pub mod api;
pub mod events;
pub mod model;
pub mod money;
pub mod repo;
