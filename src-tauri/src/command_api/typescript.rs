//! The TypeScript module for the command list: only tests build it (the
//! test in `commands.rs` writes `ui/src/bindings/commands.ts`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::ToLowerCamelCase;
use ts_rs::{Config, Dependency, TS, TypeVisitor};

/// One command as the UI sees it.
pub struct CommandSpec {
    /// The Rust function's name, which is also the command's name on the wire.
    pub name: &'static str,
    pub doc: &'static str,
    /// Argument names as written in Rust (Tauri expects them camelCased).
    pub args: Vec<(&'static str, TsType)>,
    /// What the command answers on success (failures are `ErrorPayload`).
    pub result: TsType,
}

/// One event channel: its name and the type of its payload.
pub struct EventSpec {
    pub name: &'static str,
    /// The generated subscribe function's name (`onHubEvent`).
    pub function: &'static str,
    pub doc: &'static str,
    pub payload: TsType,
}

/// A Rust type as TypeScript names it, with the generated files it needs.
pub struct TsType {
    pub name: String,
    imports: Vec<Dependency>,
}

impl TsType {
    pub fn of<T: TS + 'static>() -> Self {
        // Free-form JSON is `unknown`, as in every type of the core
        // (`#[ts(type = "unknown")]`): the UI checks what it reads.
        if std::any::TypeId::of::<T>() == std::any::TypeId::of::<serde_json::Value>() {
            return Self {
                name: "unknown".into(),
                imports: Vec::new(),
            };
        }
        let cfg = config();
        // The type itself when it is exported, and the exported types it is
        // made of at the top level (`Vec<ConversationView>`, `Option<…>`).
        struct Collect<'a>(&'a Config, Vec<Dependency>);
        impl TypeVisitor for Collect<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                self.1.extend(Dependency::from_ty::<U>(self.0));
            }
        }
        let mut collect = Collect(&cfg, Dependency::from_ty::<T>(&cfg).into_iter().collect());
        T::visit_generics(&mut collect);
        Self {
            name: T::name(&cfg),
            imports: collect.1,
        }
    }
}

/// Integers cross the IPC as JSON numbers, so 64-bit ones are `number` too
/// (none of ours comes near 2^53).
fn config() -> Config {
    Config::new().with_large_int("number")
}

/// The TypeScript module for `commands` and `events`.
pub fn typescript(commands: &[CommandSpec], events: &[EventSpec]) -> String {
    let mut imports: BTreeMap<String, PathBuf> = BTreeMap::new();
    let types = commands
        .iter()
        .flat_map(|c| c.args.iter().map(|(_, t)| t).chain([&c.result]))
        .chain(events.iter().map(|e| &e.payload));
    for ty in types {
        for dep in &ty.imports {
            // Only what the module mentions: unused imports fail `tsc`.
            if mentions(&ty.name, &dep.ts_name) {
                imports.insert(dep.ts_name.clone(), dep.output_path.with_extension(""));
            }
        }
    }
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs by `cargo test -p avatar-console`.\n\
         // Do not edit: change the command list and run the tests again.\n",
    );
    for (name, path) in &imports {
        out += &format!("import type {{ {name} }} from \"./{}\";\n", path.display());
    }
    out += "\n/** How a command reaches the backend: `invoke` from @tauri-apps/api, or a wrapper of it. */\n\
            export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\
            /** How an event is subscribed to: `listen` from @tauri-apps/api, or a wrapper of it. */\n\
            export type Listen = <T>(event: string, handler: (payload: T) => void) => Promise<() => void>;\n\n";
    for event in events {
        out += &format!(
            "/** The event channel {0}: its payload is a `{1}`. */\nexport const {2} = \"{0}\";\n\n",
            event.name,
            event.payload.name,
            constant_name(event.function)
        );
    }
    out += "/** Every backend command, typed as the Rust side declares it. */\n\
            export function commands(invoke: Invoke) {\n  return {\n";
    for command in commands {
        out += &doc_comment(command.doc, "    ");
        let params: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{}: {}", name.to_lower_camel_case(), ty.name))
            .collect();
        let args = match command.args.is_empty() {
            true => String::new(),
            false => {
                let names: Vec<String> = command
                    .args
                    .iter()
                    .map(|(n, _)| n.to_lower_camel_case())
                    .collect();
                format!(", {{ {} }}", names.join(", "))
            }
        };
        out += &format!(
            "    {}: ({}): Promise<{}> => invoke<{}>(\"{}\"{}),\n",
            command.name.to_lower_camel_case(),
            params.join(", "),
            command.result.name,
            command.result.name,
            command.name,
            args
        );
    }
    out += "  };\n}\n\nexport type Commands = ReturnType<typeof commands>;\n";
    for event in events {
        out += "\n";
        out += &doc_comment(event.doc, "");
        out += &format!(
            "export function {}(listen: Listen, handler: (event: {}) => void): Promise<() => void> {{\n  \
             return listen<{}>({}, handler);\n}}\n",
            event.function,
            event.payload.name,
            event.payload.name,
            constant_name(event.function)
        );
    }
    out
}

/// `onHubEvent` → `HUB_EVENT`.
fn constant_name(function: &str) -> String {
    let bare = function.strip_prefix("on").unwrap_or(function);
    let mut out = String::new();
    for (i, c) in bare.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

/// Whether `name` occurs in `ty` as a whole identifier.
fn mentions(ty: &str, name: &str) -> bool {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == name)
}

fn doc_comment(doc: &str, indent: &str) -> String {
    let lines: Vec<&str> = doc.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    match lines.is_empty() {
        true => String::new(),
        false => format!("{indent}/** {} */\n", lines.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_named_as_typescript_names_them_with_their_imports() {
        let list = TsType::of::<Vec<avatar_console_core::model::ConversationView>>();
        assert_eq!(list.name, "Array<ConversationView>");
        let names: Vec<&str> = list.imports.iter().map(|d| d.ts_name.as_str()).collect();
        assert_eq!(names, ["ConversationView"]);
        assert_eq!(TsType::of::<u64>().name, "number");
        assert_eq!(TsType::of::<Option<String>>().name, "string | null");
        assert_eq!(TsType::of::<serde_json::Value>().name, "unknown");
    }

    #[test]
    fn a_command_becomes_a_typed_function_with_camel_case_arguments() {
        let spec = CommandSpec {
            name: "save_preset",
            doc: "Saves one.\n",
            args: vec![
                ("profile_id", TsType::of::<uuid::Uuid>()),
                ("name", TsType::of::<String>()),
            ],
            result: TsType::of::<Vec<avatar_console_core::presets::Preset>>(),
        };
        let ts = typescript(&[spec], &[]);
        assert!(ts.contains("import type { Preset } from \"./Preset\";"), "{ts}");
        assert!(
            ts.contains(
                "savePreset: (profileId: string, name: string): Promise<Array<Preset>> => \
                 invoke<Array<Preset>>(\"save_preset\", { profileId, name }),"
            ),
            "{ts}"
        );
    }

    #[test]
    fn an_event_gets_a_constant_and_a_typed_subscribe_function() {
        let event = EventSpec {
            name: "hub://event",
            function: "onHubEvent",
            doc: "",
            payload: TsType::of::<avatar_console_core::hub::HubEvent>(),
        };
        let ts = typescript(&[], &[event]);
        assert!(ts.contains("export const HUB_EVENT = \"hub://event\";"), "{ts}");
        assert!(
            ts.contains("return listen<HubEvent>(HUB_EVENT, handler);"),
            "{ts}"
        );
        assert!(
            ts.contains("import type { HubEvent } from \"./HubEvent\";"),
            "{ts}"
        );
    }

    #[test]
    fn mentions_matches_whole_identifiers_only() {
        assert!(mentions("Array<ReplyView> | null", "ReplyView"));
        assert!(!mentions("Array<ReplyViewOld>", "ReplyView"));
    }
}
