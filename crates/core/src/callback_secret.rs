//! The callback secret: where it is kept, and how it is kept out of the journal.
//!
//! The secret is the path segment of `/cb/<secret>` that keeps strangers who
//! learn the tunnel's host from posting replies. It lives in one file of its
//! own, `callback-secret` in the data folder, readable by the user only
//! (mode 0600), and nowhere else on disk: turns store their callback URI with
//! [`PLACEHOLDER`] in its place, and the captured requests that carried it
//! are stored the same way; the real value is put in only when a request is
//! sent.
//!
//! Why a file and not the OS keychain: the callback server must know the
//! secret before the first request arrives, on every start, including where
//! the keychain is missing, locked or refused (the app then keeps API keys in
//! memory for the session, but the secret must survive restarts so replies
//! to earlier utterances still come in). It guards against injected replies,
//! not against a local user: any process of this user can already reach the
//! loopback server and read the data folder.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The file, in the data folder, that holds the secret.
pub const SECRET_FILE: &str = "callback-secret";

/// What stands for the secret in everything the journal keeps.
pub const PLACEHOLDER: &str = "<secret>";

/// The secret of `data_dir`: read from [`SECRET_FILE`], or, on the first
/// start, `legacy` (a secret an older version kept in `console.db`) or a
/// fresh random one, written to the file.
pub fn load_or_create(data_dir: &Path, legacy: Option<&str>) -> std::io::Result<String> {
    let path = secret_path(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) if valid(text.trim()) => {
            restrict(&path)?;
            return Ok(text.trim().to_owned());
        }
        Ok(_) => {
            tracing::warn!(path = %path.display(), "the callback secret file is damaged; a new secret is made");
            std::fs::remove_file(&path)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let secret = match legacy.filter(|s| valid(s)) {
        Some(old) => old.to_owned(),
        // A UUID v4: 122 random bits.
        None => uuid::Uuid::new_v4().simple().to_string(),
    };
    write_private(&path, &secret)?;
    Ok(secret)
}

pub fn secret_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SECRET_FILE)
}

/// Hex only: the secret is one URL path segment and is matched byte for byte.
fn valid(secret: &str) -> bool {
    secret.len() >= 32 && secret.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Create the file readable and writable by its owner only, from the first byte.
fn write_private(path: &Path, secret: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()
}

/// A file copied in with wider permissions is narrowed to the owner.
fn restrict(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The secret segment of a callback URI (`…/cb/<secret>?turn=2`), if it has one.
pub fn secret_of(uri: &str) -> Option<&str> {
    let rest = &uri[uri.rfind("/cb/")? + 4..];
    let secret = &rest[..rest.find(['?', '/', '#']).unwrap_or(rest.len())];
    (!secret.is_empty()).then_some(secret)
}

/// `text` with every occurrence of `secret` replaced by [`PLACEHOLDER`].
pub fn hide(text: &str, secret: &str) -> String {
    if secret.is_empty() || secret == PLACEHOLDER {
        return text.to_owned();
    }
    text.replace(secret, PLACEHOLDER)
}

/// `text` with [`PLACEHOLDER`] replaced by the real `secret`, for sending.
pub fn reveal(text: &str, secret: &str) -> String {
    text.replace(PLACEHOLDER, secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = load_or_create(dir.path(), None).expect("created");
        assert!(valid(&first), "{first}");
        assert_eq!(load_or_create(dir.path(), None).expect("read"), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(secret_path(dir.path()))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_legacy_secret_is_kept_and_a_damaged_file_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let legacy = "0123456789abcdef0123456789abcdef";
        assert_eq!(load_or_create(dir.path(), Some(legacy)).expect("moved"), legacy);
        std::fs::write(secret_path(dir.path()), "not hex").expect("damage");
        let fresh = load_or_create(dir.path(), None).expect("replaced");
        assert_ne!(fresh, legacy);
        assert!(valid(&fresh));
    }

    #[test]
    fn hides_and_reveals_the_segment() {
        let uri = "https://h.example/base/cb/abc123?turn=2";
        assert_eq!(secret_of(uri), Some("abc123"));
        assert_eq!(secret_of("http://127.0.0.1/cb"), None);
        let hidden = hide(uri, "abc123");
        assert_eq!(hidden, "https://h.example/base/cb/<secret>?turn=2");
        assert_eq!(reveal(&hidden, "abc123"), uri);
    }
}
