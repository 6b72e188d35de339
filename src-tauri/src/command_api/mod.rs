//! How the one list of commands (`commands.rs`) becomes three things that
//! cannot drift apart: the Tauri commands, their invoke handler, and the
//! TypeScript module the UI calls them through (`ui/src/bindings/commands.ts`).
//!
//! The list names each command once, with its arguments and result type.
//! `command_api!` writes the `#[tauri::command]` function from it, so the
//! Rust signature *is* the list entry, and records the same names and types
//! for `typescript.rs`. A test writes the TypeScript file; the test command
//! fails when the committed file differs (as for the ts-rs types), and the UI
//! does not type-check when it calls a command with the wrong arguments.
//!
//! Why not tauri-specta: its Tauri 2 line is still a release candidate and
//! needs a second derive (`specta::Type`) on every type that ts-rs already
//! exports; this file is the ~150 lines that part of it would do for us.

#[cfg(test)]
pub mod typescript;

/// Declares the commands: `sync fn` or `async fn`, a first parameter the app
/// provides (the runtime, the app handle, the folders), then the arguments the
/// UI passes, and the success type (the function answers `Answer<T>`).
macro_rules! command_api {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident fn $name:ident($ctx:ident: $ctx_ty:ty $(, $arg:ident: $arg_ty:ty)* $(,)?) -> $ret:ty $body:block
    )*) => {
        $(
            $crate::command_api::command_api!(@command $kind [$(#[doc = $doc])*] $name ($ctx: $ctx_ty $(, $arg: $arg_ty)*) -> $ret $body);
        )*

        /// The invoke handler for every command of the list.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command of the list with its TypeScript types.
        #[cfg(test)]
        pub fn specs() -> Vec<$crate::command_api::typescript::CommandSpec> {
            vec![$(
                $crate::command_api::typescript::CommandSpec {
                    name: stringify!($name),
                    doc: concat!($($doc, "\n"),*),
                    args: vec![$((stringify!($arg), $crate::command_api::typescript::TsType::of::<$arg_ty>())),*],
                    result: $crate::command_api::typescript::TsType::of::<$ret>(),
                }
            ),*]
        }
    };
    (@command sync [$($attr:tt)*] $name:ident ($ctx:ident: $ctx_ty:ty $(, $arg:ident: $arg_ty:ty)*) -> $ret:ty $body:block) => {
        $($attr)*
        #[tauri::command]
        fn $name($ctx: $ctx_ty $(, $arg: $arg_ty)*) -> avatar_console_core::Answer<$ret> $body
    };
    (@command async [$($attr:tt)*] $name:ident ($ctx:ident: $ctx_ty:ty $(, $arg:ident: $arg_ty:ty)*) -> $ret:ty $body:block) => {
        $($attr)*
        #[tauri::command]
        async fn $name($ctx: $ctx_ty $(, $arg: $arg_ty)*) -> avatar_console_core::Answer<$ret> $body
    };
}
pub(crate) use command_api;
