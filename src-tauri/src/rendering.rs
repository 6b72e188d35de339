//! How WebKitGTK draws on a machine without a GPU.
//!
//! Without a GPU render node (`/dev/dri/renderD*`: a VM, a CI runner, a
//! remote desktop), GTK's GL and WebKit's accelerated compositing run on
//! Mesa's software rasterizer (llvmpipe). Turning GDK's GL off there makes
//! WebKit paint without GL, which on such a machine is lighter and faster
//! on every count we measured (docs/benchmarks.md, 2026-12-01): idle PSS of
//! the app's processes 308 → 233 MiB, first paint median 658 → 478 ms with
//! no slow starts in 12, and scrolling one pane of 1,000 turns at a frame p95 of
//! 17 ms instead of 51–59 ms. With a GPU nothing changes, and a `GDK_GL` the
//! user set always wins.

#[cfg(target_os = "linux")]
use std::ffi::OsStr;
#[cfg(target_os = "linux")]
use std::path::Path;

#[cfg(target_os = "linux")]
const GDK_GL: &str = "GDK_GL";

/// Call first thing in `main`, before any other thread exists: changing the
/// environment is only sound while nothing else can read it.
pub fn prefer_software_drawing_without_gpu() {
    #[cfg(target_os = "linux")]
    if software_drawing(std::env::var_os(GDK_GL).as_deref(), Path::new("/dev/dri")) {
        // GLib's own setter (what GTK reads the variable through); `false`
        // keeps a value someone set meanwhile.
        if let Err(e) = glib::setenv(GDK_GL, "disable", false) {
            eprintln!("could not set {GDK_GL}: {e}");
        }
    }
}

/// Whether to turn GDK's GL off: only when the user left `GDK_GL` alone and
/// `dri` has no render node.
#[cfg(target_os = "linux")]
fn software_drawing(user_setting: Option<&OsStr>, dri: &Path) -> bool {
    user_setting.is_none() && !has_render_node(dri)
}

#[cfg(target_os = "linux")]
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn without_a_render_node_gl_is_turned_off() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(software_drawing(None, &dir.path().join("missing")));
        // A card node alone (a display controller) renders nothing.
        std::fs::write(dir.path().join("card0"), b"").expect("card");
        assert!(software_drawing(None, dir.path()));
    }

    #[test]
    fn with_a_render_node_nothing_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("renderD128"), b"").expect("node");
        assert!(!software_drawing(None, dir.path()));
    }

    #[test]
    fn the_users_own_setting_always_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(!software_drawing(Some(OsStr::new("always")), dir.path()));
        assert!(!software_drawing(Some(OsStr::new("")), dir.path()));
    }
}
