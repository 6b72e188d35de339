#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: builds the benchmark binary and the release
# app, then prints the machine and every figure. Results also go to
# $CARGO_TARGET_DIR/bench-results.txt (override with BENCH_OUT). Takes a few minutes on 2 cores
# once built; the first release build of the app takes ~10 min more.
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

# The release app has its own target dir so it never invalidates the debug build.
APP_TARGET_DIR="${APP_TARGET_DIR:-$HOME/.cache/avatar-console/target-release}"
OUT="${BENCH_OUT:-$CARGO_TARGET_DIR/bench-results.txt}"

# chromium: the Electron-like baseline of the start-up figures (same UI bundle, --app window).
ensure_apt_packages "${BUILD_PACKAGES[@]}" xvfb xauth imagemagick x11-utils chromium
ensure_node
ensure_rust
ensure_ui_packages

cd "$REPO_ROOT"
build_ui
say "Building console-bench (release)"
cargo build --locked --release -p avatar-bench
BENCH="$CARGO_TARGET_DIR/release/console-bench"
say "Building the app (release, in $APP_TARGET_DIR)"
CARGO_TARGET_DIR="$APP_TARGET_DIR" cargo build --locked --release -p avatar-console
APP="$APP_TARGET_DIR/release/avatar-console"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse --short HEAD)"
  echo "nproc: $(nproc)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  free -h | sed 's/^/free: /'
  echo "kernel: $(uname -r)"
  # Each benchmark runs in its own process, so one's memory never counts in another's.
  "$BENCH" memory
  "$BENCH" overhead
  "$BENCH" ingest
  # The app under a fresh virtual display, inside its own session bus.
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    dbus-run-session -- "$BENCH" startup --app "$APP" --chromium /usr/bin/chromium --ui-dist "$REPO_ROOT/ui/dist" 2>/dev/null
} | tee "$OUT"
say "Figures written to $OUT"
