//! The README's Rust quickstart is the example `examples/quickstart.rs`, which `cargo test` compiles: the code a
//! reader copies compiles as written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[test]
fn the_readme_quickstart_is_the_compiled_example() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## Rust quickstart")
        .expect("the README has a Rust quickstart");
    let rest = &readme[start..];
    let open = rest.find("```rust\n").expect("a rust block") + "```rust\n".len();
    let close = rest[open..].find("```").expect("the block ends") + open;
    let block = &rest[open..close];
    let example = include_str!("../examples/quickstart.rs");
    assert!(
        example.ends_with(block),
        "README.md's quickstart and core/examples/quickstart.rs differ; copy the README's block into the example"
    );
}
