//! Reads the quick tunnel's URL out of `cloudflared tunnel --url …` output.
//!
//! cloudflared logs to stderr and prints the URL inside a boxed banner:
//! `INF |  https://<words>.trycloudflare.com   |`. Other lines mention
//! `trycloudflare.com` too (the API it calls, terms links), so only a
//! `https://<name>.trycloudflare.com` host that is not the API counts.

const QUICK_TUNNEL_DOMAIN: &str = ".trycloudflare.com";
/// The quick-tunnel API host appears in error lines; it is never our URL.
const API_HOST: &str = "api.trycloudflare.com";

/// The quick tunnel's base URL if this line announces it.
pub fn parse_quick_tunnel_url(line: &str) -> Option<String> {
    line.match_indices("https://").find_map(|(start, _)| {
        let rest = &line[start + "https://".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            .unwrap_or(rest.len());
        let host = rest[..end].trim_end_matches('.').to_ascii_lowercase();
        let name = host.strip_suffix(QUICK_TUNNEL_DOMAIN)?;
        let valid = !name.is_empty()
            && host != API_HOST
            && !name.contains('.')
            && !name.starts_with('-')
            && !name.ends_with('-');
        valid.then(|| format!("https://{host}"))
    })
}

/// The most useful line to show when cloudflared gave up: its last error.
pub fn last_error_line(lines: &[String]) -> Option<&str> {
    lines
        .iter()
        .rev()
        .find(|l| l.contains(" ERR ") || l.contains("error=") || l.contains("failed"))
        .or_else(|| lines.last())
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded shape of `cloudflared tunnel --url http://127.0.0.1:41234`
    /// (2024–2025 releases), stderr.
    const STARTUP: &str = "\
2025-11-25T14:03:11Z INF Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee, are subject to the Cloudflare Online Services Terms of Use (https://www.cloudflare.com/website-terms/), and Cloudflare reserves the right to investigate your use of Tunnels for violations of such terms. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps
2025-11-25T14:03:11Z INF Requesting new quick Tunnel on trycloudflare.com...
2025-11-25T14:03:12Z INF +--------------------------------------------------------------------------------------------+
2025-11-25T14:03:12Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |
2025-11-25T14:03:12Z INF |  https://seasonal-deck-organisms-sf.trycloudflare.com                                      |
2025-11-25T14:03:12Z INF +--------------------------------------------------------------------------------------------+
2025-11-25T14:03:12Z INF Cannot determine default configuration path. No file [config.yml config.yaml] in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]
2025-11-25T14:03:12Z INF Version 2025.11.1 (Checksum 4c1c3a0e8f5d)
2025-11-25T14:03:12Z INF GOOS: linux, GOVersion: go1.24.9, GoArch: amd64
2025-11-25T14:03:12Z INF Settings: map[ha-connections:1 no-autoupdate:true protocol:quic url:http://127.0.0.1:41234]
2025-11-25T14:03:12Z INF Generated Connector ID: 3c9f8a52-2b4e-4d1c-9e0f-5a6b7c8d9e0f
2025-11-25T14:03:12Z INF Initial protocol quic
2025-11-25T14:03:12Z INF ICMP proxy will use 10.0.0.5 as source for IPv4
2025-11-25T14:03:13Z INF Registered tunnel connection connIndex=0 connection=8d2e6f14-7a3b-4c5d-9e8f-0a1b2c3d4e5f event=0 ip=198.41.200.13 location=ams08 protocol=quic";

    const FAILED: &str = "\
2025-11-25T14:05:40Z INF Requesting new quick Tunnel on trycloudflare.com...
2025-11-25T14:05:40Z ERR Error unmarshaling QuickTunnel response: error=\"failed to request quick Tunnel: Post \\\"https://api.trycloudflare.com/tunnel\\\": dial tcp: lookup api.trycloudflare.com on 127.0.0.53:53: server misbehaving\"
failed to request quick Tunnel: Post \"https://api.trycloudflare.com/tunnel\": dial tcp: lookup api.trycloudflare.com on 127.0.0.53:53: server misbehaving";

    #[test]
    fn finds_the_url_in_the_banner_and_nowhere_else() {
        let found: Vec<String> = STARTUP.lines().filter_map(parse_quick_tunnel_url).collect();
        assert_eq!(
            found,
            vec!["https://seasonal-deck-organisms-sf.trycloudflare.com"]
        );
    }

    #[test]
    fn the_api_host_in_error_lines_is_not_a_tunnel() {
        assert!(FAILED.lines().all(|l| parse_quick_tunnel_url(l).is_none()));
        let lines: Vec<String> = FAILED.lines().map(str::to_owned).collect();
        assert!(last_error_line(&lines).is_some_and(|l| l.contains("failed to request quick Tunnel")));
    }

    #[test]
    fn plain_and_odd_lines() {
        assert_eq!(
            parse_quick_tunnel_url("https://a-b-c.trycloudflare.com"),
            Some("https://a-b-c.trycloudflare.com".into())
        );
        assert_eq!(
            parse_quick_tunnel_url("|https://Mixed-Case.TryCloudflare.com|"),
            Some("https://mixed-case.trycloudflare.com".into())
        );
        assert_eq!(parse_quick_tunnel_url("https://trycloudflare.com"), None);
        assert_eq!(
            parse_quick_tunnel_url("https://x.trycloudflare.com.evil.example"),
            None
        );
        assert_eq!(parse_quick_tunnel_url("https://a.b.trycloudflare.com"), None);
        assert_eq!(parse_quick_tunnel_url("http://plain.trycloudflare.com"), None);
        assert_eq!(parse_quick_tunnel_url(""), None);
    }
}
