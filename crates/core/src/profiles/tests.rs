use crate::error_payload::{CodedError, ErrorCode};
use std::net::SocketAddr;

use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID, SimConfig};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::client::{CredentialSpelling, Credentials, CustomDataEncoding, Secret};
use crate::secrets::{MemorySecretStore, SecretKind, SecretStore};

const LOOPBACK: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0);
/// Distinctive, so a search of the database bytes cannot hit by accident.
const SECRET: &str = "sk-7f3a9c1e-NEVER-ON-DISK-5b2d";

fn custom_profile(logon_url: &str) -> Profile {
    let mut p = Profile::new_voximplant("Staging", DEFAULT_ACCOUNT_ID);
    p.environment = Environment::Custom {
        logon_url: logon_url.into(),
    };
    p.avatars.push(AvatarEntry {
        id: DEFAULT_AVATAR_ID,
        label: "Counting bot".into(),
    });
    p.default_custom_data = json!({"channel": "console"});
    p
}

fn all_db_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        bytes.extend(std::fs::read(&path).expect("read file"));
    }
    bytes
}

#[tokio::test]
async fn profiles_secret_never_reaches_the_database_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("console.db");
    let secrets = MemorySecretStore::new();
    let repo = ProfileRepo::open(&db).expect("open");
    let mut profile = custom_profile("https://api.example/platform_api/Logon");
    profile.credential = CredentialKind::Subuser {
        login: "tester".into(),
    };
    repo.save(&profile).expect("save");
    set_profile_secret(&profile, &secrets, Secret::new(SECRET))
        .await
        .expect("secret");
    let api_profile = custom_profile("https://api.example/platform_api/Logon");
    let api_profile = Profile {
        id: Uuid::new_v4(),
        name: "Second".into(),
        ..api_profile
    };
    repo.save(&api_profile).expect("save");
    set_profile_secret(&api_profile, &secrets, Secret::new(SECRET))
        .await
        .expect("secret");
    // Build a config too: nothing on that path may write the secret down.
    let config = client_config(&profile, &secrets, None).await.expect("config");
    assert!(
        matches!(&config.credentials, Credentials::Subuser { password, .. } if password.expose() == SECRET)
    );
    drop(repo);

    let bytes = all_db_bytes(dir.path());
    assert!(!bytes.is_empty());
    assert!(
        !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
        "the secret is in the database files"
    );
    // …while the profile itself is there.
    assert!(bytes.windows(7).any(|w| w == b"Staging"));
}

#[tokio::test]
async fn profiles_debug_output_never_shows_the_secret() {
    let secrets = MemorySecretStore::new();
    let profile = custom_profile("https://api.example/platform_api/Logon");
    set_profile_secret(&profile, &secrets, Secret::new(SECRET))
        .await
        .expect("secret");
    let config = client_config(&profile, &secrets, None).await.expect("config");
    let sim = SimulatorEndpoint {
        logon_url: "http://127.0.0.1:1/platform_api/Logon".into(),
        account_id: "1".into(),
        api_key: Secret::new(SECRET),
    };
    let missing = ProfileError::MissingSecret {
        profile: profile.name.clone(),
        kind: SecretKind::ApiKey,
    };
    let printed = format!(
        "{profile:?} {profile:#?} {config:?} {config:#?} {sim:?} {missing:?} {missing} {secrets:?} {:?}",
        config.credentials
    );
    assert!(!printed.contains(SECRET), "{printed}");
    assert!(printed.contains("Secret(***)"));
}

#[test]
fn profiles_repo_round_trip_beside_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("profiles.db");
    // The store holds console.db to itself; the profiles file is the repo's.
    let store = crate::store::Store::open(&dir.path().join("console.db")).expect("open store");
    let repo = ProfileRepo::open(&db).expect("open repo");
    store.set_setting("k", "v").expect("store works");

    let mut a = custom_profile("http://127.0.0.1:8750/platform_api/Logon");
    a.name = "  Alpha ".into();
    repo.save(&a).expect("save a");
    let b = Profile {
        id: Uuid::new_v4(),
        name: "Beta".into(),
        environment: Environment::LocalSimulator,
        account_id: String::new(),
        ..a.clone()
    };
    repo.save(&b).expect("save b");
    let listed = repo.list().expect("list");
    assert_eq!(
        listed.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Alpha", "Beta"]
    );

    // Update keeps position; names are unique ignoring case.
    a.name = "Alpha".into();
    a.wire.custom_data_encoding = CustomDataEncodingOption::String;
    repo.save(&a).expect("update a");
    assert_eq!(repo.get(a.id).expect("get"), Some(a.clone()));
    let clash = Profile {
        id: Uuid::new_v4(),
        name: "beta".into(),
        ..a.clone()
    };
    let error = repo.save(&clash).expect_err("name taken");
    assert_eq!(error.code(), "profile_name_taken");
    assert_eq!(error.field(), Some("name"));
    drop(repo);
    drop(store);

    let repo = ProfileRepo::open(&db).expect("reopen");
    assert_eq!(repo.list().expect("list").len(), 2);
    assert!(repo.delete(b.id).expect("delete"));
    assert!(!repo.delete(b.id).expect("delete again"));
    assert_eq!(repo.get(b.id).expect("get"), None);
    crate::store::Store::open(&dir.path().join("console.db")).expect("store reopens");
}

#[test]
fn profiles_validation_names_the_field() {
    let ok = custom_profile("https://h.example/platform_api/Logon");
    assert!(ok.validate().is_ok());
    let cases: Vec<(Profile, &str)> = vec![
        (
            Profile {
                name: " ".into(),
                ..ok.clone()
            },
            "name",
        ),
        (
            Profile {
                account_id: "".into(),
                ..ok.clone()
            },
            "accountId",
        ),
        (
            Profile {
                account_id: "12 34".into(),
                ..ok.clone()
            },
            "accountId",
        ),
        (
            Profile {
                environment: Environment::Custom {
                    logon_url: "ftp://h".into(),
                },
                ..ok.clone()
            },
            "environment.logonUrl",
        ),
        (
            Profile {
                environment: Environment::Custom {
                    logon_url: "https://h/Logon?api_key=x".into(),
                },
                ..ok.clone()
            },
            "environment.logonUrl",
        ),
        (
            Profile {
                credential: CredentialKind::Subuser { login: "".into() },
                ..ok.clone()
            },
            "credential.login",
        ),
        (
            Profile {
                default_custom_data: json!([1]),
                ..ok.clone()
            },
            "defaultCustomData",
        ),
        (
            Profile {
                avatars: vec![ok.avatars[0].clone(), ok.avatars[0].clone()],
                ..ok.clone()
            },
            "avatars",
        ),
        (
            Profile {
                wire: WireOptions {
                    request_timeout_ms: 0,
                    ..ok.wire
                },
                ..ok.clone()
            },
            "wire.requestTimeoutMs",
        ),
    ];
    for (profile, field) in cases {
        let error = profile.validate().expect_err(field);
        assert_eq!(error.code(), "invalid_profile");
        assert_eq!(error.field(), Some(field), "{error}");
    }
    // The simulator profile needs no account.
    let sim = Profile {
        environment: Environment::LocalSimulator,
        account_id: String::new(),
        ..ok
    };
    assert!(sim.validate().is_ok());
    assert_eq!(sim.secret_kind(), None);
}

#[tokio::test]
async fn profiles_client_config_maps_profile_and_keychain() {
    let secrets = MemorySecretStore::new();
    let mut profile = custom_profile("https://h.example/platform_api/Logon");
    profile.wire = WireOptions {
        credential_spelling: CredentialSpellingOption::Guide,
        custom_data_encoding: CustomDataEncodingOption::String,
        request_timeout_ms: 2500,
    };
    let error = client_config(&profile, &secrets, None)
        .await
        .expect_err("no secret yet");
    assert_eq!(error.code(), "secret_missing");
    set_profile_secret(&profile, &secrets, Secret::new("k1"))
        .await
        .expect("secret");
    let config = client_config(&profile, &secrets, None).await.expect("config");
    assert_eq!(config.logon_url, "https://h.example/platform_api/Logon");
    assert_eq!(config.account_id, DEFAULT_ACCOUNT_ID);
    assert_eq!(config.credentials, Credentials::ApiKey(Secret::new("k1")));
    assert_eq!(config.credential_spelling, CredentialSpelling::Guide);
    assert_eq!(config.custom_data_encoding, CustomDataEncoding::String);
    assert_eq!(config.request_timeout.as_millis(), 2500);

    profile.environment = Environment::Voximplant;
    let config = client_config(&profile, &secrets, None).await.expect("config");
    assert_eq!(config.logon_url, VOXIMPLANT_LOGON_URL);

    profile.environment = Environment::LocalSimulator;
    let error = client_config(&profile, &secrets, None)
        .await
        .expect_err("no simulator");
    assert_eq!(error.code(), "simulator_not_running");
    let sim = SimulatorEndpoint {
        logon_url: "http://127.0.0.1:9/platform_api/Logon".into(),
        account_id: "42".into(),
        api_key: Secret::new("sim"),
    };
    let config = client_config(&profile, &secrets, Some(&sim))
        .await
        .expect("config");
    assert_eq!(config.account_id, "42");
    assert_eq!(config.credentials, Credentials::ApiKey(Secret::new("sim")));

    let empty = set_profile_secret(&profile, &secrets, Secret::new("x")).await;
    assert_eq!(empty.map_err(|e| e.code()), Err(ErrorCode::InvalidProfile));
}

#[tokio::test]
async fn profiles_delete_removes_keychain_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = ProfileRepo::open(&dir.path().join("profiles.db")).expect("open");
    let secrets = MemorySecretStore::new();
    let profile = custom_profile("https://h.example/platform_api/Logon");
    repo.save(&profile).expect("save");
    set_profile_secret(&profile, &secrets, Secret::new("k"))
        .await
        .expect("secret");
    assert!(has_profile_secret(&profile, &secrets).await.expect("has"));
    assert!(delete_profile(&repo, &secrets, profile.id).await.expect("delete"));
    assert_eq!(
        secrets.get(profile.id, SecretKind::ApiKey).await.expect("get"),
        None
    );
    assert!(!has_profile_secret(&profile, &secrets).await.expect("has"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_test_connection_against_the_simulator() {
    let sim = avatar_simulator::spawn(SimConfig::default(), LOOPBACK)
        .await
        .expect("simulator starts");
    let secrets = MemorySecretStore::new();
    let profile = custom_profile(&sim.logon_url());
    set_profile_secret(&profile, &secrets, Secret::new(DEFAULT_API_KEY))
        .await
        .expect("secret");
    let config = client_config(&profile, &secrets, None).await.expect("config");
    let report = test_connection(&config).await;
    assert!(report.ok, "{report:?}");
    assert!(!report.nlu_addresses.is_empty());
    assert_eq!(report.failed_step, None);
    assert!(report.token_expires_in_s.is_some_and(|s| s > 0), "{report:?}");
    assert!(report.token_expires_at.is_some());

    // A wrong key fails at Logon with what to do.
    set_profile_secret(&profile, &secrets, Secret::new("wrong-key"))
        .await
        .expect("secret");
    let config = client_config(&profile, &secrets, None).await.expect("config");
    let report = test_connection(&config).await;
    assert!(!report.ok);
    assert_eq!(report.failed_step, Some(ConnectionStep::Logon));
    let error = report.error.expect("error");
    assert_eq!(error.code, "bad_credentials", "{}", error.message);
    assert!(
        error.message.contains("check the account id and API key"),
        "{}",
        error.message
    );
    assert!(!error.message.contains("wrong-key"));

    // Nothing listening: a network error that names no secret.
    let listener = std::net::TcpListener::bind(LOOPBACK).expect("bind");
    let closed = listener.local_addr().expect("addr");
    drop(listener);
    let profile = custom_profile(&format!("http://{closed}/platform_api/Logon"));
    set_profile_secret(&profile, &secrets, Secret::new(DEFAULT_API_KEY))
        .await
        .expect("secret");
    let config = client_config(&profile, &secrets, None).await.expect("config");
    let report = test_connection(&config).await;
    let error = report.error.expect("error");
    assert_eq!(error.code, "network", "{}", error.message);
    assert!(!error.message.contains(DEFAULT_API_KEY), "{}", error.message);
}

/// Profiles an older version saved in console.db's own `profiles` table move
/// to profiles.db once, ids and order kept; a second import copies nothing.
#[test]
fn profiles_saved_in_console_db_move_to_their_own_file_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let legacy = dir.path().join("console.db");
    let mut a = custom_profile("http://127.0.0.1:8750/platform_api/Logon");
    a.name = "Alpha".into();
    let b = Profile {
        id: Uuid::new_v4(),
        name: "Beta".into(),
        ..a.clone()
    };
    {
        // What the older version did: the repo's table inside console.db.
        let old = ProfileRepo::open(&legacy).expect("legacy repo");
        old.save(&a).expect("save a");
        old.save(&b).expect("save b");
    }
    let repo = ProfileRepo::open(&dir.path().join("profiles.db")).expect("repo");
    assert_eq!(repo.import_legacy(&legacy).expect("import"), 2);
    assert_eq!(
        repo.list()
            .expect("list")
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect::<Vec<_>>(),
        [(a.id, "Alpha".to_owned()), (b.id, "Beta".to_owned())]
    );
    assert_eq!(repo.import_legacy(&legacy).expect("again"), 0);
    assert_eq!(
        repo.import_legacy(&dir.path().join("missing.db")).expect("none"),
        0
    );
    // The store then takes console.db, legacy table and all.
    crate::store::Store::open(&legacy).expect("store opens the old file");
}
