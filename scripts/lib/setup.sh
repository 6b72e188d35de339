# Shared by scripts/run.sh and scripts/test.sh: installs what is missing, and
# only that, so a second run skips straight to the build.
# shellcheck shell=bash

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Outside the clone so that CI's fresh clones and every worktree reuse one build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/avatar-console/target}"
export PATH="$HOME/.cargo/bin:$PATH"

# Packages to build a Tauri 2 app with WebKitGTK 4.1, and the keychain's.
BUILD_PACKAGES=(
  build-essential pkg-config curl ca-certificates file
  libwebkit2gtk-4.1-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  libdbus-1-dev dbus dbus-x11 gnome-keyring libsecret-tools
)
# Packages the tests add: a virtual display, the WebDriver for WebKitGTK, screenshots.
# xdotool: second_launch.rs reads which window has the X input focus.
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver imagemagick xdotool)
# The package check adds: the desktop entry validator, and rpm to list the .rpm.
PACKAGE_CHECK_PACKAGES=(desktop-file-utils rpm)
# Where the scripts keep what they install for themselves (the Tauri CLI).
CACHE_DIR="${AVATAR_CONSOLE_CACHE_DIR:-$HOME/.cache/avatar-console}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  say "Installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

# Vite 8 needs Node.js 20.19+ (Debian 12 ships 18, Ubuntu 22.04 ships 12):
# take the distribution's package when it is new enough, else NodeSource's.
ensure_node() {
  local major
  major="$(node_major || true)"
  if [ -n "$major" ] && [ "$major" -ge 20 ] && command -v npm >/dev/null; then return 0; fi
  local candidate
  candidate="$(apt-cache policy nodejs 2>/dev/null | sed -nE 's/^ *Candidate: ([0-9]+).*/\1/p')"
  if [ -n "$candidate" ] && [ "$candidate" -ge 20 ]; then
    ensure_apt_packages nodejs npm
    return 0
  fi
  say "Installing Node.js 22 from NodeSource (this distribution's is too old for Vite)"
  ensure_apt_packages ca-certificates curl gnupg
  as_root install -d -m 0755 /etc/apt/keyrings
  curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | as_root gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
  echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_22.x nodistro main" | as_root tee /etc/apt/sources.list.d/nodesource.list >/dev/null
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null
}

ensure_rust() {
  if ! command -v cargo >/dev/null; then
    say "Installing Rust with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain none
  fi
  # rust-toolchain.toml pins the version; rustup fetches it on first use.
  (cd "$REPO_ROOT" && cargo --version >/dev/null)
}

ensure_tauri_driver() {
  command -v tauri-driver >/dev/null && return 0
  say "Installing tauri-driver (built from crates.io)"
  cargo install tauri-driver --locked --quiet
}

ensure_ui_packages() {
  local stamp="$REPO_ROOT/ui/node_modules/.installed-from-lock"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$REPO_ROOT/ui/package-lock.json" ]; then return 0; fi
  say "Installing UI packages (npm ci)"
  (cd "$REPO_ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
}

# The Tauri CLI pinned in packaging/package-lock.json, from npm (its native
# binary ships inside the package), installed once per lock file under
# $CACHE_DIR so a second run and CI's fresh clones skip the install.
ensure_tauri_cli() {
  local lock="$REPO_ROOT/packaging/package-lock.json" key dir
  key="$(sha256sum "$lock" | cut -c1-16)"
  dir="$CACHE_DIR/tauri-cli/$key"
  TAURI_CLI="$dir/node_modules/.bin/tauri"
  if [ -x "$TAURI_CLI" ] && [ -f "$dir/.installed" ]; then return 0; fi
  say "Installing the Tauri CLI (npm @tauri-apps/cli, pinned in packaging/)"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$REPO_ROOT/packaging/package.json" "$lock" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$dir/.installed"
}

# The CLI finds the config through src-tauri/tauri.conf.json (a link to the
# root one; docs/developer/build.md says why).
tauri_cli() {
  (cd "$REPO_ROOT" && TAURI_APP_PATH=src-tauri "$TAURI_CLI" "$@")
}

build_ui() {
  say "Building the UI"
  (cd "$REPO_ROOT/ui" && npm run --silent build >/dev/null)
}

APP_BINARY="$CARGO_TARGET_DIR/debug/avatar-console"

build_app() {
  say "Building the app"
  (cd "$REPO_ROOT" && cargo build --locked -p avatar-console)
}
