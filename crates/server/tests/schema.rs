//! `schema/brain.graphql` is generated from the code; this test fails when it
//! is stale. Regenerate with `UPDATE_SCHEMA=1 cargo test -p brain-server --test schema`.

#[test]
fn checked_in_sdl_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/brain.graphql");
    let current = format!("# Generated from crates/server by `UPDATE_SCHEMA=1 cargo test -p brain-server --test schema`. Do not edit.\n\n{}", brain_server::sdl());
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &current).expect("write schema");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == current,
        "schema/brain.graphql is stale: run `UPDATE_SCHEMA=1 cargo test -p brain-server --test schema` and commit it"
    );
}
