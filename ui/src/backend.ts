// The one module that talks to the Rust backend. Everything else in the UI
// calls these typed functions and never `invoke`/`listen` directly; the
// command names and types are generated (bindings/commands.ts), not written here.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open, save } from "@tauri-apps/plugin-dialog";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { HubEvent } from "./bindings/HubEvent";
import { commands, onHubEvent, type Invoke, type Listen } from "./bindings/commands";
import { withRemedy } from "./logic/remedy";

/** A backend failure as the UI shows it. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.code = payload.code;
  }
}

function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

// Every command goes through here, so a failure is always a `BackendError`.
const call: Invoke = async <T>(command: string, args?: Record<string, unknown>): Promise<T> => {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isErrorPayload(e)) throw new BackendError(e);
    throw new BackendError({ code: "ipc", message: String(e) });
  }
};

const listenToPayload: Listen = <T>(event: string, handler: (payload: T) => void) =>
  listen<T>(event, (e) => handler(e.payload));

/** A message for any error thrown by the backend module, with what to do about it. */
export function errorMessage(e: unknown): string {
  if (e instanceof BackendError) return withRemedy(e.code, e.message);
  return e instanceof Error ? e.message : String(e);
}

/** The generated commands (names and types from src-tauri/src/commands.rs),
 * the native file dialogs, and the event stream. */
export const backend = {
  ...commands(call),
  /** Native save dialog; `null` when the user cancels. */
  pickSavePath: (defaultPath: string) =>
    save({
      defaultPath,
      filters: [
        { name: "JSON", extensions: ["json"] },
        { name: "Markdown", extensions: ["md"] },
      ],
    }),
  /** Native open dialog for a transcript or test file; `null` when cancelled. */
  pickOpenPath: async (): Promise<string | null> => {
    const picked = await open({ multiple: false, directory: false, filters: [{ name: "JSON", extensions: ["json"] }] });
    return typeof picked === "string" ? picked : null;
  },
  onEvent: (handler: (event: HubEvent) => void): Promise<UnlistenFn> => onHubEvent(listenToPayload, handler),
};
