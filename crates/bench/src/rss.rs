//! Resident memory from /proc (Linux): of this process, and of a process tree.

use std::collections::BTreeSet;

/// A `kB` field of /proc/<pid>/status (e.g. `VmRSS`), in bytes.
pub fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    kb_field(&text, field)
}

/// This process's VmRSS in bytes.
pub fn self_rss() -> Option<u64> {
    status_kb(std::process::id(), "VmRSS")
}

/// Proportional set size (shared pages split between sharers) in bytes.
pub fn pss(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    kb_field(&text, "Pss")
}

fn kb_field(text: &str, field: &str) -> Option<u64> {
    let line = text
        .lines()
        .find(|l| l.split(':').next().is_some_and(|k| k.trim() == field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `root` and all its descendants that are alive now.
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Some(ppid) = parent_of(pid) {
                parents.push((pid, ppid));
            }
        }
    }
    let mut tree = BTreeSet::from([root]);
    loop {
        let before = tree.len();
        for (pid, ppid) in &parents {
            if tree.contains(ppid) {
                tree.insert(*pid);
            }
        }
        if tree.len() == before {
            return tree.into_iter().collect();
        }
    }
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// (sum of VmRSS, sum of Pss, processes) over the tree rooted at `root`.
pub fn tree_memory(root: u32) -> (u64, u64, Vec<(u32, String, u64)>) {
    let mut rss_sum = 0;
    let mut pss_sum = 0;
    let mut each = Vec::new();
    for pid in process_tree(root) {
        let rss = status_kb(pid, "VmRSS").unwrap_or(0);
        rss_sum += rss;
        pss_sum += pss(pid).unwrap_or(0);
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        each.push((pid, name.trim().to_owned(), rss));
    }
    (rss_sum, pss_sum, each)
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_rss_and_tree() {
        assert!(self_rss().is_some_and(|b| b > 0));
        assert!(process_tree(std::process::id()).contains(&std::process::id()));
        assert_eq!(kb_field("VmRSS:\t  12 kB\n", "VmRSS"), Some(12 * 1024));
    }
}
