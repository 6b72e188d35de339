#!/usr/bin/env bash
# Installs whatever is missing, builds, and opens Avatar Console on the
# embedded avatar simulator. Extra arguments go to the app.
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

ensure_apt_packages "${BUILD_PACKAGES[@]}"
ensure_node
ensure_rust
ensure_ui_packages
build_ui
build_app

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  die "no display: run this from a desktop session (or under xvfb-run to try it headless)"
fi
say "Starting Avatar Console"
exec "$APP_BINARY" "$@"
