//! Records each request to the avatar API as sent, with secrets redacted, for
//! the inspector's "request as sent".

use crate::model::HttpExchange;

/// Header values never stored or shown.
const SECRET_HEADERS: [&str; 3] = ["authorization", "cookie", "proxy-authorization"];

pub(super) fn redact_header(name: &str, value: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if !SECRET_HEADERS.contains(&lower.as_str()) {
        return value.to_owned();
    }
    // Keep the scheme: "Bearer" tells the tester which kind of token went out.
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} <redacted>"),
        None => "<redacted>".into(),
    }
}

pub(super) fn exchange(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
    started_at: i64,
) -> HttpExchange {
    HttpExchange {
        method: method.to_owned(),
        url: url.to_owned(),
        request_headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), redact_header(k, v)))
            .collect(),
        request_body: body.to_owned(),
        status: None,
        response_body: None,
        error: None,
        started_at,
        duration_ms: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::redact_header;

    #[test]
    fn bearer_tokens_are_redacted() {
        assert_eq!(
            redact_header("Authorization", "Bearer abc.def.ghi"),
            "Bearer <redacted>"
        );
        assert_eq!(redact_header("authorization", "abc"), "<redacted>");
        assert_eq!(
            redact_header("content-type", "application/json"),
            "application/json"
        );
    }
}
