//! Joining a public base URL with our paths. Users paste URLs with and
//! without trailing slashes, sometimes with a path prefix (a reverse proxy
//! serving us under `/avatar/`); the callback URI must come out right in
//! every case, with the secret encoded as one path segment.

use reqwest::Url;

use super::PublicUrlError;

/// Check a pasted public URL: http(s), a host, no query or fragment (they
/// would end up in the middle of the callback URI).
pub fn parse_public_base(base: &str) -> Result<Url, PublicUrlError> {
    let trimmed = base.trim();
    let url = Url::parse(trimmed)
        .map_err(|e| PublicUrlError::InvalidUrl(format!("{trimmed:?} is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(PublicUrlError::InvalidUrl(format!(
            "{trimmed:?} must start with https:// (or http://)"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(PublicUrlError::InvalidUrl(format!("{trimmed:?} has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(PublicUrlError::InvalidUrl(format!(
            "{trimmed:?} must not have a query (?…) or fragment (#…)"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(PublicUrlError::InvalidUrl(
            "the public URL must not contain a user name or password".into(),
        ));
    }
    Ok(url)
}

/// `base` + path segments, each percent-encoded, with exactly one `/` between
/// the base's own path and ours.
pub fn join_segments(base: &str, segments: &[&str]) -> Result<String, PublicUrlError> {
    let mut url = parse_public_base(base)?;
    {
        let mut path = url
            .path_segments_mut()
            .map_err(|()| PublicUrlError::InvalidUrl(format!("{base:?} cannot have a path")))?;
        path.pop_if_empty();
        path.extend(segments);
    }
    Ok(url.to_string())
}

/// The `callbackUri` sent with each utterance: `<public base>/cb/<secret>`.
pub fn callback_uri(public_base: &str, secret: &str) -> Result<String, PublicUrlError> {
    if secret.is_empty() {
        return Err(PublicUrlError::InvalidUrl("the callback secret is empty".into()));
    }
    join_segments(public_base, &["cb", secret])
}

/// Where the self-test looks: `<public base>/health`.
pub fn health_url(public_base: &str) -> Result<String, PublicUrlError> {
    join_segments(public_base, &["health"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_payload::CodedError;

    #[test]
    fn joins_with_and_without_trailing_slash() {
        for base in [
            "https://abc.trycloudflare.com",
            "https://abc.trycloudflare.com/",
            "  https://abc.trycloudflare.com/  ",
        ] {
            assert_eq!(
                callback_uri(base, "s3cr3t").expect("joins"),
                "https://abc.trycloudflare.com/cb/s3cr3t"
            );
        }
    }

    #[test]
    fn keeps_a_path_prefix() {
        assert_eq!(
            callback_uri("https://proxy.example/avatar", "s").expect("joins"),
            "https://proxy.example/avatar/cb/s"
        );
        assert_eq!(
            callback_uri("https://proxy.example/avatar/", "s").expect("joins"),
            "https://proxy.example/avatar/cb/s"
        );
        assert_eq!(
            health_url("http://127.0.0.1:8080/a/b/").expect("joins"),
            "http://127.0.0.1:8080/a/b/health"
        );
    }

    #[test]
    fn encodes_the_secret_as_one_segment() {
        assert_eq!(
            callback_uri("https://h.example", "a/b c").expect("joins"),
            "https://h.example/cb/a%2Fb%20c"
        );
    }

    #[test]
    fn rejects_unusable_bases() {
        for bad in [
            "",
            "abc.trycloudflare.com",
            "ftp://h.example",
            "https://h.example/?x=1",
            "https://h.example/#top",
            "https://user:pw@h.example",
            "mailto:a@b.c",
        ] {
            let error = callback_uri(bad, "s").expect_err(bad);
            assert_eq!(error.code(), "invalid_public_url", "{bad}");
        }
        assert!(callback_uri("https://h.example", "").is_err());
    }
}
