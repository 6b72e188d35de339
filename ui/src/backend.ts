// The one module that talks to the Rust backend. Everything else in the UI
// calls these typed functions and never `invoke`/`listen` directly.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open, save } from "@tauri-apps/plugin-dialog";
import type { About } from "./bindings/About";
import type { BackendInfo } from "./bindings/BackendInfo";
import type { ConversationView } from "./bindings/ConversationView";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { InboxItemView } from "./bindings/InboxItemView";
import type { HubEvent } from "./bindings/HubEvent";
import type { ConnectionTestReport } from "./bindings/ConnectionTestReport";
import type { Profile } from "./bindings/Profile";
import type { Preset } from "./bindings/Preset";
import type { ProfileView } from "./bindings/ProfileView";
import type { PublicUrlChoice } from "./bindings/PublicUrlChoice";
import type { PublicUrlView } from "./bindings/PublicUrlView";
import type { ReplayReport } from "./bindings/ReplayReport";
import type { SelfTestReport } from "./bindings/SelfTestReport";
import type { SimConfig } from "./bindings/SimConfig";
import type { TokenStatus } from "./bindings/TokenStatus";
import type { Restart } from "./bindings/Restart";
import type { ReplyView } from "./bindings/ReplyView";
import type { TurnView } from "./bindings/TurnView";
import { withRemedy } from "./logic/remedy";

/** Must match `HUB_EVENT` in src-tauri/src/events.rs. */
const HUB_EVENT = "hub://event";

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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isErrorPayload(e)) throw new BackendError(e);
    throw new BackendError({ code: "ipc", message: String(e) });
  }
}

/** A message for any error thrown by the backend module, with what to do about it. */
export function errorMessage(e: unknown): string {
  if (e instanceof BackendError) return withRemedy(e.code, e.message);
  return e instanceof Error ? e.message : String(e);
}

export const backend = {
  info: () => call<BackendInfo>("backend_info"),
  about: () => call<About>("about"),
  openLogsFolder: () => call<void>("open_logs_folder"),
  listConversations: () => call<ConversationView[]>("list_conversations"),
  /** The inbox's size now (later changes arrive as `inboxChanged` events). */
  inboxCount: () => call<number>("inbox_count"),
  /** Unpaired replies `offset..offset + limit` (oldest first) of a pane's conversation. */
  unpairedReplies: (id: string, offset: number, limit: number) =>
    call<ReplyView[]>("unpaired_replies", { id, offset, limit }),
  newConversation: () => call<ConversationView>("new_conversation"),
  duplicateConversation: (id: string) => call<ConversationView>("duplicate_conversation", { id }),
  restartConversation: (id: string, how: Restart) => call<ConversationView>("restart_conversation", { id, how }),
  closeConversation: (id: string) => call<null>("close_conversation", { id }),
  moveConversation: (id: string, index: number) => call<string[]>("move_conversation", { id, index }),
  setCustomDataTemplate: (id: string, template: string) => call<null>("set_custom_data_template", { id, template }),
  endConversation: (id: string) => call<ConversationView>("end_conversation", { id }),
  tokenStatuses: () => call<TokenStatus[]>("token_statuses"),
  listPresets: (profileId: string) => call<Preset[]>("list_presets", { profileId }),
  savePreset: (profileId: string, name: string, template: string) =>
    call<Preset[]>("save_preset", { profileId, name, template }),
  deletePreset: (profileId: string, name: string) => call<Preset[]>("delete_preset", { profileId, name }),
  listInbox: () => call<InboxItemView[]>("list_inbox"),
  assignInboxItem: (item: number, id: string) => call<ConversationView>("assign_inbox_item", { item, id }),
  setPublicUrl: (choice: PublicUrlChoice) => call<PublicUrlView>("set_public_url", { choice }),
  publicUrl: () => call<PublicUrlView | null>("public_url"),
  selfTest: () => call<SelfTestReport>("self_test"),
  simulatorConfig: () => call<SimConfig>("simulator_config"),
  setSimulatorConfig: (config: SimConfig) => call<SimConfig>("set_simulator_config", { config }),
  resetSimulatorConversations: () => call<null>("reset_simulator_conversations"),
  sendMessage: (id: string, utterance: string, customData: unknown) =>
    call<TurnView>("send_message", { id, utterance, customData }),
  listProfiles: () => call<ProfileView[]>("list_profiles"),
  /** `secret` only when the user typed one: it goes to the OS keychain. */
  saveProfile: (profile: Profile, secret: string | null) => call<ProfileView>("save_profile", { profile, secret }),
  duplicateProfile: (id: string) => call<ProfileView>("duplicate_profile", { id }),
  deleteProfile: (id: string) => call<boolean>("delete_profile", { id }),
  keepSecretForSession: (id: string) => call<null>("keep_secret_for_session", { id }),
  testConnection: (id: string) => call<ConnectionTestReport>("test_connection", { id }),
  exportConversations: (ids: string[], path: string) => call<null>("export_conversations", { ids, path }),
  exportTestFile: (id: string, path: string) => call<null>("export_test_file", { id, path }),
  importTranscript: (path: string) => call<ConversationView[]>("import_transcript", { path }),
  replayFile: (path: string) => call<ReplayReport>("replay_file", { path }),
  bugReportForTurn: (id: string, seq: number) => call<string>("bug_report_for_turn", { id, seq }),
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
  onEvent: (handler: (event: HubEvent) => void): Promise<UnlistenFn> =>
    listen<HubEvent>(HUB_EVENT, (e) => handler(e.payload)),
};
