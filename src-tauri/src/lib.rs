//! Avatar Console's desktop shell: starts the core, exposes its facade as
//! Tauri commands and forwards its events. No business logic lives here.

mod about_commands;
mod commands;
mod events;
mod logging;
mod open_folder;
mod profile_commands;
mod public_url_commands;
pub mod rendering;
mod simulator_commands;
mod single_instance;
mod startup;
mod transcript_commands;
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
        .invoke_handler(tauri::generate_handler![
            about_commands::about,
            about_commands::open_logs_folder,
            commands::backend_info,
            commands::list_conversations,
            commands::inbox_count,
            commands::unpaired_replies,
            commands::new_conversation,
            commands::send_message,
            commands::duplicate_conversation,
            commands::restart_conversation,
            commands::close_conversation,
            commands::move_conversation,
            commands::set_custom_data_template,
            commands::end_conversation,
            commands::list_inbox,
            commands::assign_inbox_item,
            commands::token_statuses,
            commands::list_presets,
            commands::save_preset,
            commands::delete_preset,
            profile_commands::list_profiles,
            profile_commands::save_profile,
            profile_commands::duplicate_profile,
            profile_commands::delete_profile,
            profile_commands::keep_secret_for_session,
            profile_commands::test_connection,
            transcript_commands::export_conversations,
            transcript_commands::export_test_file,
            transcript_commands::import_transcript,
            transcript_commands::replay_file,
            transcript_commands::bug_report_for_turn,
            public_url_commands::set_public_url,
            public_url_commands::public_url,
            public_url_commands::self_test,
            simulator_commands::simulator_config,
            simulator_commands::set_simulator_config,
            simulator_commands::reset_simulator_conversations,
            simulator_commands::simulator_events,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "Avatar Console stopped with an error");
        std::process::exit(1);
    }
}
