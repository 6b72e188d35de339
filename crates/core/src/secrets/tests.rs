//! The keychain tests talk to the REAL OS keychain. On Linux that is the
//! Secret Service of the session bus: scripts/test.sh runs them inside
//! `dbus-run-session` with an unlocked gnome-keyring. They fail (never skip)
//! when no keychain is reachable, because CI always provides one.

use crate::error_payload::CodedError;
use std::error::Error as StdError;

use keyring_core::Error as KeyringError;
use uuid::Uuid;

use super::*;

/// Tests file their entries under their own service, never the app's.
const TEST_SERVICE: &str = "com.avatarconsole.app.tests";

fn boxed(text: &str) -> Box<dyn StdError + Send + Sync> {
    text.into()
}

#[tokio::test]
async fn secrets_keychain_round_trip_on_the_real_keychain() {
    let store = KeychainSecretStore::new(TEST_SERVICE);
    store
        .check_available()
        .await
        .expect("the OS keychain must be reachable (run inside scripts/test.sh's dbus session)");
    let profile = Uuid::new_v4();
    let kind = SecretKind::ApiKey;

    assert_eq!(store.get(profile, kind).await.expect("get"), None);
    store
        .set(profile, kind, Secret::new("first-key-Ω"))
        .await
        .expect("set");
    let read = store.get(profile, kind).await.expect("get").expect("stored");
    assert_eq!(read.expose(), "first-key-Ω");
    // Proof that a real keychain holds it (not a mock): another client sees it.
    #[cfg(target_os = "linux")]
    assert_eq!(secret_tool_lookup(profile, kind).as_deref(), Some("first-key-Ω"));

    store
        .set(profile, kind, Secret::new("second-key"))
        .await
        .expect("replace");
    let read = store.get(profile, kind).await.expect("get").expect("stored");
    assert_eq!(read.expose(), "second-key");

    // The other kind of the same profile is a separate entry.
    assert_eq!(
        store
            .get(profile, SecretKind::SubuserPassword)
            .await
            .expect("get"),
        None
    );

    store.delete(profile, kind).await.expect("delete");
    assert_eq!(store.get(profile, kind).await.expect("get"), None);
    #[cfg(target_os = "linux")]
    assert_eq!(secret_tool_lookup(profile, kind), None);
    // Deleting what is not there is fine.
    store.delete(profile, kind).await.expect("delete again");
}

/// Reads the entry with libsecret's `secret-tool` (libsecret-tools, installed
/// by scripts/lib/setup.sh), independently of our code.
#[cfg(target_os = "linux")]
fn secret_tool_lookup(profile: Uuid, kind: SecretKind) -> Option<String> {
    let account = super::keychain::account(profile, kind);
    let output = std::process::Command::new("secret-tool")
        .args(["lookup", "service", TEST_SERVICE, "username", &account])
        .output()
        .expect("secret-tool (apt package libsecret-tools) must be installed");
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test]
async fn secrets_memory_store_round_trip() {
    let store = MemorySecretStore::new();
    let profile = Uuid::new_v4();
    store
        .set(profile, SecretKind::SubuserPassword, Secret::new("pw-1"))
        .await
        .expect("set");
    let read = store
        .get(profile, SecretKind::SubuserPassword)
        .await
        .expect("get");
    assert_eq!(read.map(|s| s.expose().to_owned()), Some("pw-1".into()));
    assert_eq!(store.get(profile, SecretKind::ApiKey).await.expect("get"), None);
    store
        .delete(profile, SecretKind::SubuserPassword)
        .await
        .expect("delete");
    assert_eq!(
        store
            .get(profile, SecretKind::SubuserPassword)
            .await
            .expect("get"),
        None
    );
    assert!(!format!("{store:?}").contains("pw-1"));
}

/// Runs only as the child of the test below, with a session bus address that
/// leads nowhere.
#[tokio::test]
#[ignore = "run by secrets_no_bus_is_keychain_unavailable in a child process"]
async fn secrets_child_without_bus() {
    if std::env::var_os("AVATAR_CONSOLE_NO_BUS_CHILD").is_none() {
        return;
    }
    let store = KeychainSecretStore::new(TEST_SERVICE);
    let error = store
        .set(Uuid::new_v4(), SecretKind::ApiKey, Secret::new("x"))
        .await
        .expect_err("no keychain without a bus");
    assert_eq!(error.code(), "keychain_unavailable", "{error}");
    assert!(
        error.to_string().contains("keep for this session only"),
        "{error}"
    );
    let error = store.check_available().await.expect_err("no keychain");
    assert_eq!(error.code(), "keychain_unavailable", "{error}");
}

#[test]
fn secrets_no_bus_is_keychain_unavailable() {
    let exe = std::env::current_exe().expect("test binary");
    let output = std::process::Command::new(exe)
        .args([
            "--ignored",
            "--exact",
            "secrets::tests::secrets_child_without_bus",
            "--nocapture",
        ])
        .env("AVATAR_CONSOLE_NO_BUS_CHILD", "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/avatar-console/bus",
        )
        // Without a display libdbus cannot autolaunch a bus behind our back.
        .env_remove("DISPLAY")
        .output()
        .expect("run the child test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn secrets_error_mapping_matches_the_three_failure_modes() {
    // No session bus (libdbus's text, measured in platform notes).
    let no_bus = KeyringError::PlatformFailure(boxed(
        "DBus error: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11",
    ));
    assert_eq!(
        classify_keyring_error(&no_bus, false).code(),
        "keychain_unavailable"
    );
    // Bus, but no keyring yet.
    let no_keyring = KeyringError::NoStorageAccess(boxed("Secret Service: no result found"));
    assert_eq!(
        classify_keyring_error(&no_keyring, false).code(),
        "keychain_unavailable"
    );
    // Keyring locked and nobody to prompt.
    let locked = KeyringError::PlatformFailure(boxed(
        "DBus error: Cannot create an item in a locked collection (org.freedesktop.Secret.Error.IsLocked)",
    ));
    assert_eq!(classify_keyring_error(&locked, false).code(), "keychain_locked");
    let dismissed = KeyringError::NoStorageAccess(boxed("Secret Service: unlock prompt was dismissed"));
    assert_eq!(
        classify_keyring_error(&dismissed, false).code(),
        "keychain_locked"
    );
    // Anything failing while connecting means there is no keychain.
    let odd = KeyringError::PlatformFailure(boxed("something odd"));
    assert_eq!(classify_keyring_error(&odd, true).code(), "keychain_unavailable");
    assert_eq!(classify_keyring_error(&odd, false).code(), "keychain_error");
}

#[test]
fn secrets_errors_never_carry_secret_bytes() {
    let bad = KeyringError::BadEncoding(b"\xffsecret-bytes".to_vec());
    let error = classify_keyring_error(&bad, false);
    assert_eq!(error.code(), "keychain_corrupt");
    assert!(!format!("{error} {error:?}").contains("secret-bytes"));
}

#[test]
fn secrets_unavailable_message_says_what_to_do() {
    let error = SecretError::Unavailable("no session bus".into());
    let text = error.to_string();
    assert!(
        text.starts_with("No OS keychain is available (no session bus)."),
        "{text}"
    );
    assert!(text.contains("keep for this session only"), "{text}");
}
