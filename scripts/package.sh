#!/usr/bin/env bash
# Builds the release packages QA staff install: a .deb (Debian, Ubuntu) and an
# .rpm (Fedora, openSUSE), with Tauri's bundler. Installs whatever is missing
# first, like the other scripts. The packages land in
# ~/.cache/avatar-console/target-package/release/bundle/{deb,rpm}/ (paths
# printed at the end).
# AppImage is left out: its bundler downloads linuxdeploy and plugins at build
# time, from outside any package registry.
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
start=$SECONDS

ensure_apt_packages "${BUILD_PACKAGES[@]}"
ensure_node
ensure_rust
ensure_ui_packages
ensure_tauri_cli
build_ui

# A target dir of its own: the paths of this machine (the clone, cargo's
# registry) are rewritten in the binary's panic messages, and those flags would
# rebuild scripts/bench.sh's release app each time the two alternate.
export CARGO_TARGET_DIR="${PACKAGE_TARGET_DIR:-$HOME/.cache/avatar-console/target-package}"
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$REPO_ROOT=avatar-console --remap-path-prefix=$HOME/.cargo/registry/src=crates"
say "Building the release app and its packages (tauri build, in $CARGO_TARGET_DIR)"
bundle="$CARGO_TARGET_DIR/release/bundle"
rm -rf "$bundle/deb" "$bundle/rpm"
tauri_cli build --bundles deb,rpm --no-sign --ci

say "Packages built in $((SECONDS - start)) s"
for file in "$bundle"/deb/*.deb "$bundle"/rpm/*.rpm; do
  printf '%10s bytes  %s\n' "$(stat -c %s "$file")" "$file"
done
