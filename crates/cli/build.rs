fn main() {
    // AVATAR_CONSOLE_COMMIT: the commit these binaries are built from
    // (`--version`, and the transcripts `avatar-replay to-transcript` writes).
    avatar_build_info::emit_commit(env!("CARGO_MANIFEST_DIR"));
}
