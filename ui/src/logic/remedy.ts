// What the person at the screen should do about a backend error, by its code.
// A `Record` over `ErrorCode`: a code added in Rust fails the type check here
// until someone decides what the UI says for it. `null` means the backend's
// message already says what to do (it names the field or the action).
import type { ErrorCode } from "../bindings/ErrorCode";

export const REMEDIES: Record<ErrorCode, string | null> = {
  bad_credentials: null,
  unauthorized: "Send again: the console logs in anew; if it repeats, check the profile's credentials.",
  avatar_not_found: null,
  rejected: "Check the utterance and its customData in the inspector; the avatar API refused them.",
  server_error: null,
  network: null,
  timeout: "Send again, or check the network and the profile's Logon URL.",
  protocol: "Open the inspector to see what the avatar API answered.",
  store: "The data folder may be full or read-only: free disk space, then restart the app.",
  unknown_conversation: "The pane was closed or replaced: open a new pane.",
  unknown_turn: "Pick a turn that exists in this conversation.",
  conversation_ended: null,
  invalid_input: "Correct the highlighted value and try again.",
  read_only: null,
  profile_not_ready: null,
  startup: "See the log folder for details, then restart the app.",
  invalid_profile: null,
  profile_name_taken: null,
  profile_not_found: "The profile was deleted: pick another one in the pane header.",
  secret_missing: null,
  simulator_not_running: null,
  keychain_unavailable: null,
  keychain_locked: null,
  keychain_corrupt: null,
  keychain_error: null,
  invalid_public_url: null,
  cloudflared_not_installed: null,
  cloudflared_failed: null,
  cloudflared_timeout: null,
  file_unreadable: "Check that the file exists and that you may read it.",
  file_not_json: "Pick a transcript or test file exported by Avatar Console.",
  file_wrong_format: "Pick a transcript or test file exported by Avatar Console.",
  file_too_new: null,
  file_invalid: "Fix the file at the place named, or export it again.",
  export_failed: "Pick a folder you may write to, with free space.",
  open_failed: "Open the folder shown in About with your file manager.",
  ipc: "The app's backend did not answer: restart the app; if it repeats, send the log file with a bug report.",
};

/** The remedy for a code, if the UI knows it (stored turn states carry codes as plain strings). */
export function remedyFor(code: string): string | null {
  return Object.prototype.hasOwnProperty.call(REMEDIES, code) ? (REMEDIES[code as ErrorCode] ?? null) : null;
}

/** The message the UI shows: the backend's own, then what to do when it does not say. */
export function withRemedy(code: string, message: string): string {
  const remedy = remedyFor(code);
  return remedy ? `${message.replace(/[.\s]+$/, "")}. ${remedy}` : message;
}
