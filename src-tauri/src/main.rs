// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // First, while this is the only thread.
    avatar_console_app::rendering::prefer_software_drawing_without_gpu();
    avatar_console_app::run();
}
