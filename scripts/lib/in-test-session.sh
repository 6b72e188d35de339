#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session (see scripts/test.sh): unlocks a
# throwaway login keyring so keychain tests talk to a real Secret Service.
set -euo pipefail
# A throwaway home for the keyring, so a keyring left by an earlier run (with
# another password) can never leave the tests facing a locked collection.
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
export GNOME_KEYRING_CONTROL
eval "$(printf 'test-session\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null | sed 's/^/export /')"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
log="$(mktemp)"
trap 'rm -f "$log"; rm -rf "$XDG_DATA_HOME"' EXIT
set +e
# --no-fail-fast: one failing test binary must not hide the results of the others.
cargo test --locked --workspace --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run (cargo prints one per test binary).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
     END { printf "%d %d\n", p, f }' "$log" > "${TEST_COUNTS_FILE:-/dev/null}"
exit "$status"
