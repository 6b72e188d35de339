//! Avatar Console's engine. Knows nothing of Tauri: the desktop shell maps its
//! commands and events onto [`ConsoleRuntime`], and every behaviour here is testable
//! with `cargo test` and no display.

pub mod about;
pub mod callback;
pub mod callback_secret;
pub mod client;
mod console;
pub mod data_folder;
pub mod error;
pub mod error_payload;
pub mod hub;
pub mod instance;
pub mod model;
pub mod presets;
pub mod profile_service;
pub mod profiles;
pub mod public_url;
mod runtime;
pub mod secrets;
pub mod store;
pub mod template;
pub mod time;
pub mod transcript;

pub use console::{Console, ConsoleOptions};
pub use error::CoreError;
pub use error_payload::{CodedError, ErrorCode, ErrorPayload};
pub use runtime::{Answer, AppOptions, ConsoleRuntime};
