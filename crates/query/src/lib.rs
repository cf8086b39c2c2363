//! Query engine over a [`brain_graph::Graph`] snapshot. Pure: no IO, no clock
//! (callers pass `now`), no search index (callers pass search hits).
//!
//! Entry points, one module each:
//! - [`impact::blast_radius`]: what a change (ids, files, a unified diff)
//!   reaches and why, owners, tests, decisions, failures, lessons, contract
//!   boundaries, rollout order, lane, review level, Mermaid diagram.
//! - [`packet::context_packet`]: a ranked, sectioned, budgeted context packet
//!   for a task intent, with an Ok/Weak/NoMatch signal, and
//!   [`packet::render_task_packet`] for the factory task packet. Build a
//!   [`packet::NameIndex`] once per snapshot and pass it through
//!   [`packet::context_packet_with`]: without it, named-entity matching scans
//!   every node (~100 ms at 1M nodes instead of ~2 ms).
//! - [`learn`]: lessons, failures and runs as `Facts`; repeat detection;
//!   lesson markdown export/import.
//! - [`nav`]: shortest paths, paginated neighbours, owners.
//! - [`about`]: owners, decisions, failures and lessons about entities.
//! - [`flags`]: feature flags, where each is defined and evaluated, and the two gaps.
//! - [`images`]: container images including a path, services built from a directory.
//! - [`diff`]: unified diff parsing; [`policy`]: review policy.
//!
//! Every answer is a plain struct deriving `Serialize + Clone + Debug`; the
//! server renders them to GraphQL/JSON and the CLI to text.

pub mod about;
pub mod ask;
pub mod common;
pub mod companions;
pub mod diff;
pub mod files;
pub mod flags;
pub mod images;
pub mod impact;
pub mod learn;
pub mod nav;
pub mod packet;
pub mod policy;
#[cfg(feature = "synth")]
pub mod synth;

pub use about::{
    decisions_about, failures_about, lessons_for, owners_of, DecisionRef, FailureRef, LessonRef, OwnerRef,
};
pub use common::{EntityRef, Evidence, Hop, LineRange};
pub use files::{FileSearchHit, PacketFile, PastChange};
pub use flags::{flags, render_flags, FlagQuery, FlagReport};
pub use images::{images_including, render_images, services_built_from, ImageInclusion, ServiceBuild};
pub use impact::{blast_radius, BlastRadius, ChangeSet, DiffChange, FileChange, ImpactOptions, Lane};
pub use learn::{
    failure_facts, find_repeat, lesson_facts, lesson_from_markdown, lesson_to_markdown, run_facts, written_record_id,
    FailureInput, LessonInput, LessonRecord, RepeatMatch, RunInput, RunState,
};
pub use nav::{neighbors, path, NavDirection, NavError, NeighborPage};
pub use packet::{
    context_packet, context_packet_with, render_task_packet, ContextPacket, CutEntry, NameIndex, PacketRequest,
    PacketSources, PacketStatus, Scope, SearchHit, SpanSource,
};
pub use policy::{ReviewLevel, ReviewPolicy, ReviewRule};
