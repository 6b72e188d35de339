#!/usr/bin/env bash
# Builds the release packages QA staff install: a .deb (Debian, Ubuntu) and an
# .rpm (Fedora, openSUSE), with Tauri's bundler. Installs whatever is missing
# first, like the other scripts. The packages land in
# $APP_TARGET_DIR/release/bundle/{deb,rpm}/ (paths printed at the end).
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

# The release app's own target dir, shared with scripts/bench.sh.
export CARGO_TARGET_DIR="${APP_TARGET_DIR:-$HOME/.cache/avatar-console/target-release}"
say "Building the release app and its packages (tauri build, in $CARGO_TARGET_DIR)"
bundle="$CARGO_TARGET_DIR/release/bundle"
rm -rf "$bundle/deb" "$bundle/rpm"
tauri_cli build --bundles deb,rpm --no-sign --ci

say "Packages built in $((SECONDS - start)) s"
for file in "$bundle"/deb/*.deb "$bundle"/rpm/*.rpm; do
  printf '%10s bytes  %s\n' "$(stat -c %s "$file")" "$file"
done
