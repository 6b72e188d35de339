//! The `avatar-replay` binary, end to end: record a conversation with the
//! simulator, save it, replay it, and check exit codes and JUnit output.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use avatar_console_core::transcript::{TestFile, TranscriptFile, parse_test};
use avatar_console_core::{ConsoleOptions, ConsoleRuntime};
use avatar_simulator::{DEFAULT_API_KEY, SimConfig};
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_avatar-replay");

fn loopback() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

/// Record three turns with the counting bot and save them as a transcript.
async fn record(dir: &Path) -> std::path::PathBuf {
    let sim = avatar_simulator::spawn(SimConfig::default(), loopback())
        .await
        .expect("simulator");
    let console = ConsoleRuntime::start(ConsoleOptions::for_simulator(
        dir.join("recording"),
        sim.logon_url(),
    ))
    .await
    .expect("console");
    let pane = console.conversations().expect("list")[0].id;
    for (i, text) in ["hi", "again", "once more"].iter().enumerate() {
        console
            .send_message(pane, text, json!({"step": i}))
            .await
            .expect("send");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while console.conversation(pane).expect("view").turns[i]
            .replies
            .is_empty()
        {
            assert!(tokio::time::Instant::now() < deadline, "no reply to {text}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let file = TranscriptFile::new(vec![console.conversation(pane).expect("view")]);
    let path = dir.join("recording.json");
    std::fs::write(&path, file.to_json()).expect("write");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_of_a_recording_passes_and_writes_junit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recording = record(dir.path()).await;
    let junit = dir.path().join("junit.xml");
    let out = Command::new(BIN)
        .args([
            "run",
            recording.to_str().expect("utf8"),
            "--junit",
            junit.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("3 passed, 0 failed"), "{stdout}");
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(
        xml.contains(r#"tests="3""#) && xml.contains(r#"failures="0""#),
        "{xml}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_expectation_fails_with_a_readable_diff() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recording = record(dir.path()).await;
    // Recording → editable test file, then expect a different second answer.
    let test_path = dir.path().join("test.json");
    let status = Command::new(BIN)
        .args([
            "to-test",
            recording.to_str().expect("utf8"),
            "-o",
            test_path.to_str().expect("utf8"),
        ])
        .status()
        .expect("runs");
    assert!(status.success());
    let mut test: TestFile =
        parse_test(&std::fs::read_to_string(&test_path).expect("read")).expect("valid test");
    assert_eq!(test.steps.len(), 3);
    test.steps[1].expect.response = avatar_console_core::transcript::ResponseExpectation::Exact("9".into());
    std::fs::write(&test_path, test.to_json()).expect("write");

    // Against the standalone simulator, reached over its Logon URL like a real account.
    let sim = avatar_simulator::spawn(SimConfig::default(), loopback())
        .await
        .expect("simulator");
    let junit = dir.path().join("junit.xml");
    let out = Command::new(BIN)
        .args([
            "run",
            test_path.to_str().expect("utf8"),
            "--logon-url",
            &sim.logon_url(),
        ])
        .args(["--junit", junit.to_str().expect("utf8")])
        .env("AVATAR_API_KEY", DEFAULT_API_KEY)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(r#"response: expected "9", got "2""#), "{stdout}");
    assert!(stdout.contains("2 passed, 1 failed"), "{stdout}");
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(
        xml.contains(r#"failures="1""#) && xml.contains("expected &quot;9&quot;"),
        "{xml}"
    );
    // The API key never reaches the output.
    assert!(!stdout.contains(DEFAULT_API_KEY) && !xml.contains(DEFAULT_API_KEY));
}

#[test]
fn unreadable_files_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.json");
    std::fs::write(&path, r#"{"format":"avatar-console-test","version":99}"#).expect("write");
    let out = Command::new(BIN)
        .args(["run", path.to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("newer Avatar Console"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_against_the_forgetful_bot_fails_with_a_readable_diff() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recording = record(dir.path()).await;
    // The bundled simulator's counting bot with the "forgets state" bug.
    let forgetful = avatar_simulator::FORGETFUL_AVATAR_ID.to_string();
    let out = Command::new(BIN)
        .args([
            "run",
            recording.to_str().expect("utf8"),
            "--avatar-id",
            &forgetful,
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(r#"response: expected "2", got "1""#), "{stdout}");
    assert!(stdout.contains(r#"response: expected "3", got "1""#), "{stdout}");
    assert!(stdout.contains("1 passed, 2 failed"), "{stdout}");
}

/// `--version` and the transcripts `to-transcript` writes name the commit the
/// binary was built from (its build script records it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_and_transcripts_name_the_commit() {
    let commit = avatar_build_info::commit(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = Command::new(BIN).arg("--version").output().expect("runs");
    let version = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        version.trim(),
        format!("avatar-replay {} (commit {commit})", env!("CARGO_PKG_VERSION"))
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let recording = record(dir.path()).await;
    let (test, back) = (dir.path().join("test.json"), dir.path().join("back.json"));
    for args in [
        [
            "to-test",
            recording.to_str().expect("utf8"),
            "-o",
            test.to_str().expect("utf8"),
        ],
        [
            "to-transcript",
            test.to_str().expect("utf8"),
            "-o",
            back.to_str().expect("utf8"),
        ],
    ] {
        let out = Command::new(BIN).args(args).output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&back).expect("written")).expect("json");
    assert_eq!(written["appCommit"], commit.as_str(), "{written}");
}
