//! Query engine: search orchestration, blast radius, context packets, owners, contract findings. Pure: no IO.
