//! Avatar Console's desktop shell: starts the core, exposes its facade as
//! Tauri commands and forwards its events. No business logic lives here.

mod command_api;
mod commands;
mod events;
mod logging;
mod open_folder;
pub mod rendering;
mod single_instance;
mod startup;
mod window_memory;

use avatar_console_core::data_folder;
use tauri::Manager;

pub fn run() {
    avatar_console_core::about::set_commit(env!("AVATAR_CONSOLE_COMMIT"));
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = startup::data_dir(app.handle())?;
            let log_dir = logging::log_dir(app.handle(), startup::data_dir_override().as_deref())?;
            // Before anything writes into the data folder: one written by a
            // newer version is refused, and left exactly as it was.
            let folder = data_folder::open(&data_dir);
            // So a refused folder does not get a log file inside it either
            // (on Linux the default log folder is in the data folder).
            let log_to_file = folder.is_ok() || !log_dir.starts_with(&data_dir);
            logging::init(log_to_file.then_some(log_dir.as_path()));
            app.manage(startup::Folders {
                data_dir: data_dir.clone(),
                log_dir,
            });
            match folder {
                Ok(opened) => tracing::info!(data_dir = %data_dir.display(), ?opened, "data folder"),
                Err(e) => {
                    tracing::error!(error = %e, "data folder refused");
                    app.manage(startup::StartupFailure(e.to_string()));
                    // The window says why; About still works.
                    startup::open_main_window(app.handle(), false)?;
                    return Ok(());
                }
            }
            if single_instance::handed_over(app.handle(), &data_dir) {
                // Nothing is started yet and no window was made.
                std::process::exit(0);
            }
            startup::open_main_window(app.handle(), true)?;
            let backend = match tauri::async_runtime::block_on(startup::start(data_dir)) {
                Ok(backend) => backend,
                Err(e) => {
                    // The window opens anyway and says why (e.g. another
                    // instance holds the data folder): a setup error would
                    // end the app with a message only a terminal shows.
                    tracing::error!(error = %e, "the backend did not start");
                    app.manage(startup::StartupFailure(e.to_string()));
                    return Ok(());
                }
            };
            let events = backend.subscribe();
            app.manage(backend);
            events::forward(app.handle().clone(), events);
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                handle
                    .state::<avatar_console_core::ConsoleRuntime>()
                    .register_saved_profiles()
                    .await;
            });
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "Avatar Console stopped with an error");
        std::process::exit(1);
    }
}
