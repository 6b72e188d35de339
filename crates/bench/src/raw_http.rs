//! Hand-written HTTP/1.1 requests over a plain TCP socket, for the hostile
//! cases a well-behaved client library refuses to send (raw paths, lying
//! lengths, slow bodies).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What came back: a status, or the server closed the connection without one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    Closed,
}

/// Send `head` (request line + headers, no blank line) and `body`, and read
/// the status line. `Content-Length` and `Connection: close` are added.
pub async fn request(addr: SocketAddr, head: &str, body: &[u8], limit: Duration) -> anyhow::Result<Outcome> {
    let mut stream = TcpStream::connect(addr).await?;
    let head = format!(
        "{head}\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let sent = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        stream.flush().await
    };
    // The server may answer (e.g. 413) and close before the body is all sent.
    let _ = tokio::time::timeout(limit, sent).await;
    read_status(&mut stream, limit).await
}

/// Read until the status line is complete (or the peer closes).
pub async fn read_status(stream: &mut (impl AsyncRead + Unpin), limit: Duration) -> anyhow::Result<Outcome> {
    let mut buf = Vec::new();
    let read = async {
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(outcome) = parse_status(&buf) {
                return Ok::<_, std::io::Error>(outcome);
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return Ok(parse_status(&buf).unwrap_or(Outcome::Closed)),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    };
    match tokio::time::timeout(limit, read).await {
        Ok(outcome) => Ok(outcome?),
        Err(_) => anyhow::bail!("no answer within {limit:?}"),
    }
}

fn parse_status(buf: &[u8]) -> Option<Outcome> {
    let end = buf.windows(2).position(|w| w == b"\r\n")?;
    let line = std::str::from_utf8(&buf[..end]).ok()?;
    let code = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(Outcome::Status(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line() {
        assert_eq!(
            parse_status(b"HTTP/1.1 413 Payload Too Large\r\n"),
            Some(Outcome::Status(413))
        );
        assert_eq!(parse_status(b"HTTP/1.1 200"), None);
    }
}
