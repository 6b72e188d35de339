#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session (see package-check.sh): the
# installed app, started from its standard path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# 1. About e2e against it: a WebDriver session, a painted pane, About naming
#    this checkout's version and commit, the log folder opened and its file.
# --workspace, not -p: the same feature set as the test run, so nothing is built again.
cargo test --locked --workspace --test about -- --nocapture

# 2. As a user starts it: no overrides, so it picks the platform's folders in
#    a fresh home. It is ready when its log file says so.
home="$INSTALLED_APP_HOME"
data="$home/.local/share/com.avatarconsole.app"
env -u AVATAR_CONSOLE_DATA_DIR -u AVATAR_CONSOLE_LOG_DIR -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_CACHE_HOME \
  HOME="$home" "$AVATAR_CONSOLE_APP" >/dev/null 2>&1 &
app=$!
deadline=$((SECONDS + 60))
until grep -qs "backend ready" "$data"/logs/avatar-console.*.log; do
  if ! kill -0 "$app" 2>/dev/null; then echo "the installed app quit at start" >&2; exit 1; fi
  if [ $SECONDS -gt $deadline ]; then kill "$app"; echo "the installed app was not ready within 60 s" >&2; exit 1; fi
  sleep 0.2
done
kill "$app"
wait "$app" 2>/dev/null || true
[ -f "$data/console.db" ] || { echo "no console.db in the default data folder $data" >&2; exit 1; }
echo "installed app: data in $data, logs in $data/logs"
