# The package check of scripts/test.sh (sourced after setup.sh; needs the
# debug build and the e2e test binaries the tests just made): bundles the
# .deb and .rpm from that build, installs the .deb with apt-get as a user
# would, checks what it put where, launches the installed binary under Xvfb
# to a painted window (the About e2e test), removes the package and checks
# that nothing is left but the user's data folder.
# shellcheck shell=bash

PACKAGE_NAME=avatar-console
INSTALLED_APP=/usr/bin/avatar-console

check_fail() { die "package check: $*"; }

workspace_version() {
  sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$REPO_ROOT/Cargo.toml"
}

# The .deb or .rpm the bundler made (exactly one: the folder is emptied first).
only_file() {
  local files=("$@")
  [ ${#files[@]} -eq 1 ] && [ -f "${files[0]}" ] || check_fail "expected one package, found: ${files[*]}"
  printf '%s\n' "${files[0]}"
}

# A subshell: its EXIT trap (purge the package, remove the work folder)
# leaves the caller's own traps alone.
package_check() (
  ensure_apt_packages "${PACKAGE_CHECK_PACKAGES[@]}"
  ensure_tauri_cli
  if dpkg-query -W -f='${Status}' "$PACKAGE_NAME" 2>/dev/null | grep -q 'install ok installed'; then
    # The check installs and then purges the package: never do that to a
    # copy someone uses, except on CI (a run killed before its purge).
    [ "${CI:-}" = true ] || die "$PACKAGE_NAME is installed on this machine, and the package check would replace and remove it: run 'sudo apt-get purge $PACKAGE_NAME' first"
  fi
  local version bundle deb rpm work started
  version="$(workspace_version)"
  bundle="$CARGO_TARGET_DIR/debug/bundle"
  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now
  trap "as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $PACKAGE_NAME >/dev/null 2>&1 || true; rm -rf '$work'" EXIT

  say "Packages: .deb and .rpm from the debug build (tauri bundle)"
  rm -rf "$bundle/deb" "$bundle/rpm"
  started=$SECONDS
  # --no-binary-patching: the bundler would otherwise rewrite the shared
  # debug binary in place (the e2e tests' binary) to record the bundle type,
  # which only the updater reads, and we ship none.
  tauri_cli bundle --debug --bundles deb,rpm --no-sign --no-binary-patching --ci >"$work/bundle.log" 2>&1 \
    || { cat "$work/bundle.log"; check_fail "tauri bundle failed"; }
  local bundle_seconds=$((SECONDS - started))
  deb="$(only_file "$bundle"/deb/*.deb)"
  rpm="$(only_file "$bundle"/rpm/*.rpm)"
  # apt-get wants a path without spaces; the bundler names it after the product.
  cp "$deb" "$work/${PACKAGE_NAME}_${version}_amd64.deb"
  deb="$work/${PACKAGE_NAME}_${version}_amd64.deb"
  check_deb_metadata "$deb" "$version"
  check_rpm "$rpm" "$version"

  say "Installing the .deb with apt-get (dependencies resolve as for a user)"
  started=$SECONDS
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log"; check_fail "apt-get install failed"; }
  local install_seconds=$((SECONDS - started))
  dpkg-query -L "$PACKAGE_NAME" >"$work/files"
  check_installed_files "$work/files"

  say "Launching the installed app under Xvfb (About e2e, then default folders)"
  local home="$work/home"
  mkdir -p "$home"
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    env AVATAR_CONSOLE_APP="$INSTALLED_APP" INSTALLED_APP_HOME="$home" \
    dbus-run-session -- bash "$REPO_ROOT/scripts/lib/installed-app-check.sh"

  say "Removing the package (apt-get purge)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$PACKAGE_NAME" >/dev/null
  check_removed "$work/files" "$home"

  printf 'package check: deb %s bytes, rpm %s bytes, bundled in %d s, installed in %d s\n' \
    "$(stat -c %s "$deb")" "$(stat -c %s "$rpm")" "$bundle_seconds" "$install_seconds"
  trap - EXIT
  rm -rf "$work"
)

check_deb_metadata() {
  local deb="$1" version="$2" depends
  [ "$(dpkg-deb -f "$deb" Package)" = "$PACKAGE_NAME" ] || check_fail "the .deb's package name is not $PACKAGE_NAME"
  [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || check_fail "the .deb's version is not the workspace's $version"
  depends="$(dpkg-deb -f "$deb" Depends)"
  for lib in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3; do
    grep -q "$lib" <<<"$depends" || check_fail "the .deb does not depend on $lib (Depends: $depends)"
  done
  [ -n "$(dpkg-deb -f "$deb" Description)" ] || check_fail "the .deb has no description"
  # Nothing of the build: no sources, no build-script output, no dev server.
  if dpkg-deb -c "$deb" | grep -Eq '\.(rs|d|rlib|ts|tsx)$|/build/|node_modules'; then
    check_fail "the .deb holds build files: $(dpkg-deb -c "$deb" | grep -E '\.(rs|d|rlib|ts|tsx)$|/build/|node_modules' | head -3)"
  fi
}

check_rpm() {
  local rpm="$1" version="$2" files requires
  files="$(rpm -qlp "$rpm" 2>/dev/null)" || check_fail "rpm cannot read $rpm"
  for path in "$INSTALLED_APP" /usr/share/applications/ /usr/share/icons/hicolor/128x128/apps/; do
    grep -q "^$path" <<<"$files" || check_fail "the .rpm lacks $path: $files"
  done
  [ "$(rpm -qp --queryformat '%{VERSION}' "$rpm" 2>/dev/null)" = "$version" ] || check_fail "the .rpm's version is not $version"
  [ "$(rpm -qp --queryformat '%{LICENSE}' "$rpm" 2>/dev/null)" = MIT ] || check_fail "the .rpm's licence is not MIT"
  requires="$(rpm -qpR "$rpm" 2>/dev/null)"
  for lib in libwebkit2gtk-4.1 libgtk-3 dbus-libs; do
    grep -q "$lib" <<<"$requires" || check_fail "the .rpm does not require $lib: $requires"
  done
}

check_installed_files() {
  local list="$1" desktop icon exec
  [ -x "$INSTALLED_APP" ] || check_fail "$INSTALLED_APP is not installed"
  # Tauri embeds its config in the binary: no dev server address may be in it
  # (vite's, ui/vite.config.ts).
  if grep -qa 'localhost:5173' "$INSTALLED_APP"; then
    check_fail "$INSTALLED_APP holds the dev server's address (localhost:5173): no devUrl in tauri.conf.json"
  fi
  grep -q '^/usr/share/doc/avatar-console/copyright$' "$list" || check_fail "no /usr/share/doc/avatar-console/copyright"
  desktop="$(grep '^/usr/share/applications/.*\.desktop$' "$list" | head -1)"
  [ -n "$desktop" ] || check_fail "no desktop entry in /usr/share/applications"
  desktop-file-validate "$desktop" || check_fail "$desktop does not validate"
  grep -q '^Categories=.*Development' "$desktop" || check_fail "$desktop is not in the Development category"
  exec="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")"
  [ "$(command -v "$exec")" = "$INSTALLED_APP" ] || check_fail "$desktop starts '$exec', not $INSTALLED_APP"
  icon="$(sed -n 's/^Icon=//p' "$desktop")"
  for size in 32x32 64x64 128x128 256x256 512x512; do
    [ -f "/usr/share/icons/hicolor/$size/apps/$icon.png" ] || check_fail "no $size icon named $icon"
  done
}

# Every file the package installed is gone and dpkg forgot it; the data
# folder the installed app made in the user's home is still there.
check_removed() {
  local list="$1" home="$2" path
  dpkg-query -W "$PACKAGE_NAME" >/dev/null 2>&1 && check_fail "dpkg still knows $PACKAGE_NAME after the purge"
  while read -r path; do
    if [ -e "$path" ] && { [ ! -d "$path" ] || [[ "$path" == *avatar-console* ]]; }; then
      check_fail "$path is still there after the purge"
    fi
  done <"$list"
  [ -f "$home/.local/share/com.avatarconsole.app/console.db" ] || check_fail "the purge removed the user's data folder"
}
