fn main() {
    // AVATAR_CONSOLE_COMMIT: the commit this app is built from (About, exports).
    avatar_build_info::emit_commit(env!("CARGO_MANIFEST_DIR"));
    // src-tauri/tauri.conf.json links to the root config; its paths are
    // relative to src-tauri, as for the Tauri CLI (docs/developer/build.md).
    tauri_build::build();
}
