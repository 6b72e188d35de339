//! The sockets a process listens on, as the kernel reports them.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use anyhow::{Context, Result, bail};

/// `TCP_LISTEN` in the kernel's `st` column.
const LISTEN: &str = "0A";

/// Inodes of the sockets the process holds open.
pub fn socket_inodes(pid: u32) -> Result<HashSet<u64>> {
    let mut inodes = HashSet::new();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd"))?.filter_map(Result::ok) {
        // A descriptor closed meanwhile has no link any more: skipped.
        let Ok(target) = std::fs::read_link(entry.path()) else {
            continue;
        };
        let target = target.to_string_lossy().into_owned();
        if let Some(inode) = target.strip_prefix("socket:[").and_then(|t| t.strip_suffix(']')) {
            inodes.insert(inode.parse()?);
        }
    }
    Ok(inodes)
}

/// `0100007F:1F90` (IPv4, or 32 hex digits for IPv6) as an address. The
/// kernel prints each 32-bit word of the address as a number in the host's
/// byte order, so its bytes in that order are the address's bytes.
pub fn parse_address(hex: &str) -> Result<SocketAddr> {
    let (ip, port) = hex.split_once(':').context("address without a port")?;
    let port = u16::from_str_radix(port, 16)?;
    let words = (0..ip.len() / 8)
        .map(|i| u32::from_str_radix(&ip[i * 8..i * 8 + 8], 16))
        .collect::<Result<Vec<_>, _>>()?;
    let ip = match words[..] {
        [w] => IpAddr::V4(Ipv4Addr::from(w.to_ne_bytes())),
        [a, b, c, d] => {
            let mut bytes = [0u8; 16];
            for (i, w) in [a, b, c, d].into_iter().enumerate() {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&w.to_ne_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => bail!("not an address: {ip}"),
    };
    Ok(SocketAddr::new(ip, port))
}

/// The addresses the process with these socket inodes listens on.
pub fn listening(inodes: &HashSet<u64>) -> Result<Vec<SocketAddr>> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table)?;
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            let (Some(local), Some(state), Some(inode)) = (fields.get(1), fields.get(3), fields.get(9))
            else {
                bail!("unexpected line in {table}: {line}");
            };
            if *state == LISTEN && inodes.contains(&inode.parse()?) {
                found.push(parse_address(local)?);
            }
        }
    }
    Ok(found)
}
