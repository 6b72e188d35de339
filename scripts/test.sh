#!/usr/bin/env bash
# Installs whatever is missing and runs every check: formatting, lints, type
# checks, Rust tests, UI tests, generated-type drift, end-to-end tests.
# CI runs exactly this (see .ci/run).
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
start=$SECONDS

ensure_apt_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_node
ensure_rust
rustup component add rustfmt clippy >/dev/null 2>&1 || true
ensure_tauri_driver
ensure_ui_packages

cd "$REPO_ROOT"
say "cargo fmt --check"
cargo fmt --all -- --check

say "UI: type check and unit tests"
(cd ui && npm run --silent typecheck && npm run --silent test)
# The app embeds ui/dist, so the UI is built before any Rust that links it.
build_ui

say "cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings

build_app

counts="$(mktemp)"
trap 'rm -f "$counts"' EXIT
say "Rust tests (unit, integration, end-to-end) under Xvfb, with a session bus and an unlocked keyring"
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  env TEST_COUNTS_FILE="$counts" dbus-run-session -- bash "$REPO_ROOT/scripts/lib/in-test-session.sh"

say "Generated TypeScript types match the Rust types"
if ! git diff --exit-code --stat -- ui/src/bindings || [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  die "ui/src/bindings changed when the tests regenerated them: commit the regenerated files"
fi

# Last: it installs the package the test run's own build makes.
source "$REPO_ROOT/scripts/lib/package-check.sh"
package_check

read -r passed failed < "$counts"
say "All checks passed in $((SECONDS - start)) s"
# The closing line CI reads: every Rust test binary's results added up.
echo "rust: $passed passed, $failed failed"
