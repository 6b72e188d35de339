//! `ConsoleRuntime::start_app`, the desktop app's start-up, without the
//! window: the embedded simulator is the default profile, saved profiles are
//! offered to panes once their secret is at hand, and the hub follows every
//! save and delete (what `src-tauri` did by hand before).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use avatar_console_core::profiles::{AvatarEntry, Environment, Profile};
use avatar_console_core::secrets::{MemorySecretStore, SecretStore};
use avatar_console_core::{AppOptions, ConsoleRuntime, ErrorCode};
use avatar_simulator::SimConfig;
use uuid::Uuid;

async fn start(dir: &Path, keychain: Arc<dyn SecretStore>) -> ConsoleRuntime {
    ConsoleRuntime::start_app(AppOptions {
        data_dir: dir.to_path_buf(),
        callback_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        keychain,
        simulator: SimConfig::with_demo_avatars(),
    })
    .await
    .expect("the app's runtime starts")
}

/// The profiles panes can be opened with, as the UI's `backend_info` lists them.
fn offered(runtime: &ConsoleRuntime) -> Vec<String> {
    runtime
        .backend_info()
        .profiles
        .into_iter()
        .map(|p| p.name)
        .collect()
}

fn staging() -> Profile {
    let mut profile = Profile::new_voximplant("Staging", "42");
    profile.avatars = vec![AvatarEntry {
        id: Uuid::new_v4(),
        label: "Support bot".into(),
    }];
    profile
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_starts_on_its_simulator_and_keeps_the_hub_in_step_with_saved_profiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keychain: Arc<dyn SecretStore> = Arc::new(MemorySecretStore::new());
    let runtime = start(dir.path(), keychain.clone()).await;

    // The simulator's profile is saved and is the console's default profile.
    let profiles = runtime.list_profiles().await.expect("profiles");
    assert_eq!(profiles.len(), 1, "{profiles:?}");
    assert_eq!(profiles[0].profile.environment, Environment::LocalSimulator);
    let info = runtime.backend_info();
    assert_eq!(info.profiles[0].id, profiles[0].profile.id, "{info:?}");
    assert_eq!(offered(&runtime), ["Local simulator"]);
    assert_eq!(
        info.avatars.len(),
        SimConfig::with_demo_avatars().avatars.len(),
        "the simulator's bots are offered"
    );
    // The first pane is on the simulator and gets its bot's reply.
    let pane = runtime.list_conversations().expect("panes")[0].id;
    runtime
        .send_message(pane, "hello", serde_json::json!({}))
        .await
        .expect("send");

    // Without its secret a saved profile cannot send, so panes are not offered it.
    let saved = runtime.save_profile(staging(), None).await.expect("save");
    assert_eq!(offered(&runtime), ["Local simulator"]);
    // With its secret it is offered at once…
    runtime
        .save_profile(saved.profile.clone(), Some("staging-key".into()))
        .await
        .expect("save the secret");
    assert_eq!(offered(&runtime), ["Local simulator", "Staging"]);
    // …and a copy (which has no secret) is not.
    runtime
        .duplicate_profile(saved.profile.id)
        .await
        .expect("duplicate");
    assert_eq!(offered(&runtime), ["Local simulator", "Staging"]);

    // The next start registers it again once the keychain is read.
    runtime.shutdown().await;
    let runtime = start(dir.path(), keychain.clone()).await;
    assert_eq!(
        offered(&runtime),
        ["Local simulator"],
        "registration waits for the keychain"
    );
    runtime.register_saved_profiles().await;
    assert_eq!(offered(&runtime), ["Local simulator", "Staging"]);
    assert_eq!(
        runtime.list_profiles().await.expect("profiles").len(),
        3,
        "one simulator profile, not two"
    );

    // Deleting it withdraws it from panes; the simulator's stays.
    assert!(runtime.delete_profile(saved.profile.id).await.expect("delete"));
    assert_eq!(offered(&runtime), ["Local simulator"]);
    let simulator = runtime.list_profiles().await.expect("profiles")[0].profile.id;
    let refused = runtime
        .delete_profile(simulator)
        .await
        .expect_err("the simulator profile stays");
    assert_eq!(refused.code, ErrorCode::InvalidProfile, "{refused:?}");

    // The simulator's panel works on the embedded simulator.
    let config = runtime.simulator_config().expect("config");
    assert_eq!(
        runtime
            .set_simulator_config(SimConfig {
                avatars: Vec::new(),
                ..config
            })
            .expect_err("an empty simulator is refused")
            .code,
        ErrorCode::InvalidInput
    );
    runtime.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_without_the_embedded_simulator_says_so() {
    let sim = avatar_simulator::spawn(SimConfig::default(), SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator");
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = ConsoleRuntime::start(avatar_console_core::ConsoleOptions::for_simulator(
        dir.path(),
        sim.logon_url(),
    ))
    .await
    .expect("console");
    assert_eq!(
        runtime.simulator_config().expect_err("no simulator").code,
        ErrorCode::SimulatorNotRunning
    );
    assert!(
        runtime.list_profiles().await.expect("profiles").is_empty(),
        "no saved profiles"
    );
    assert!(
        !dir.path().join("profiles.db").exists(),
        "they are kept in memory"
    );
    runtime.shutdown().await;
}
