// Generated from src-tauri/src/commands.rs by `cargo test -p avatar-console`.
// Do not edit: change the command list and run the tests again.
import type { About } from "./About";
import type { BackendInfo } from "./BackendInfo";
import type { ConnectionTestReport } from "./ConnectionTestReport";
import type { ConversationView } from "./ConversationView";
import type { HubEvent } from "./HubEvent";
import type { InboxItemView } from "./InboxItemView";
import type { Preset } from "./Preset";
import type { Profile } from "./Profile";
import type { ProfileView } from "./ProfileView";
import type { PublicUrlChoice } from "./PublicUrlChoice";
import type { PublicUrlView } from "./PublicUrlView";
import type { ReplayReport } from "./ReplayReport";
import type { ReplyView } from "./ReplyView";
import type { Restart } from "./Restart";
import type { SelfTestReport } from "./SelfTestReport";
import type { SimConfig } from "./SimConfig";
import type { SimLoggedEvent } from "./SimLoggedEvent";
import type { TokenStatus } from "./TokenStatus";
import type { TurnView } from "./TurnView";

/** How a command reaches the backend: `invoke` from @tauri-apps/api, or a wrapper of it. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;
/** How an event is subscribed to: `listen` from @tauri-apps/api, or a wrapper of it. */
export type Listen = <T>(event: string, handler: (payload: T) => void) => Promise<() => void>;

/** The event channel hub://event: its payload is a `HubEvent`. */
export const HUB_EVENT = "hub://event";

/** Every backend command, typed as the Rust side declares it. */
export function commands(invoke: Invoke) {
  return {
    /** Version, commit and the folders this app uses. */
    about: (): Promise<About> => invoke<About>("about"),
    /** Opens the log folder in the desktop's file manager. */
    openLogsFolder: (): Promise<null> => invoke<null>("open_logs_folder"),
    /** What the backend is connected to (simulator or profile, callback URL). */
    backendInfo: (): Promise<BackendInfo> => invoke<BackendInfo>("backend_info"),
    /** Every open pane, in order. */
    listConversations: (): Promise<Array<ConversationView>> => invoke<Array<ConversationView>>("list_conversations"),
    /** The inbox's size now (later changes arrive as `inboxChanged` events). */
    inboxCount: (): Promise<number> => invoke<number>("inbox_count"),
    /** Unpaired replies `offset..offset + limit` (oldest first) of a pane's conversation. */
    unpairedReplies: (id: string, offset: number, limit: number): Promise<Array<ReplyView>> => invoke<Array<ReplyView>>("unpaired_replies", { id, offset, limit }),
    newConversation: (): Promise<ConversationView> => invoke<ConversationView>("new_conversation"),
    /** Sends one utterance; the reply arrives later as events. */
    sendMessage: (id: string, utterance: string, customData: unknown): Promise<TurnView> => invoke<TurnView>("send_message", { id, utterance, customData }),
    duplicateConversation: (id: string): Promise<ConversationView> => invoke<ConversationView>("duplicate_conversation", { id }),
    restartConversation: (id: string, how: Restart): Promise<ConversationView> => invoke<ConversationView>("restart_conversation", { id, how }),
    closeConversation: (id: string): Promise<null> => invoke<null>("close_conversation", { id }),
    /** Moves a pane to `index`; answers the new order. */
    moveConversation: (id: string, index: number): Promise<Array<string>> => invoke<Array<string>>("move_conversation", { id, index }),
    setCustomDataTemplate: (id: string, template: string): Promise<null> => invoke<null>("set_custom_data_template", { id, template }),
    endConversation: (id: string): Promise<ConversationView> => invoke<ConversationView>("end_conversation", { id }),
    listInbox: (): Promise<Array<InboxItemView>> => invoke<Array<InboxItemView>>("list_inbox"),
    /** Moves an inbox item into a pane's conversation. */
    assignInboxItem: (item: number, id: string): Promise<ConversationView> => invoke<ConversationView>("assign_inbox_item", { item, id }),
    tokenStatuses: (): Promise<Array<TokenStatus>> => invoke<Array<TokenStatus>>("token_statuses"),
    listPresets: (profileId: string): Promise<Array<Preset>> => invoke<Array<Preset>>("list_presets", { profileId }),
    savePreset: (profileId: string, name: string, template: string): Promise<Array<Preset>> => invoke<Array<Preset>>("save_preset", { profileId, name, template }),
    deletePreset: (profileId: string, name: string): Promise<Array<Preset>> => invoke<Array<Preset>>("delete_preset", { profileId, name }),
    listProfiles: (): Promise<Array<ProfileView>> => invoke<Array<ProfileView>>("list_profiles"),
    /** `secret` only when the user typed one: it goes to the OS keychain. */
    saveProfile: (profile: Profile, secret: string | null): Promise<ProfileView> => invoke<ProfileView>("save_profile", { profile, secret }),
    duplicateProfile: (id: string): Promise<ProfileView> => invoke<ProfileView>("duplicate_profile", { id }),
    deleteProfile: (id: string): Promise<boolean> => invoke<boolean>("delete_profile", { id }),
    /** Keeps the profile's secret in memory only, for this run. */
    keepSecretForSession: (id: string): Promise<null> => invoke<null>("keep_secret_for_session", { id }),
    testConnection: (id: string): Promise<ConnectionTestReport> => invoke<ConnectionTestReport>("test_connection", { id }),
    exportConversations: (ids: Array<string>, path: string): Promise<null> => invoke<null>("export_conversations", { ids, path }),
    exportTestFile: (id: string, path: string): Promise<null> => invoke<null>("export_test_file", { id, path }),
    importTranscript: (path: string): Promise<Array<ConversationView>> => invoke<Array<ConversationView>>("import_transcript", { path }),
    replayFile: (path: string): Promise<ReplayReport> => invoke<ReplayReport>("replay_file", { path }),
    /** A Markdown bug report for one turn, secrets left out. */
    bugReportForTurn: (id: string, seq: number): Promise<string> => invoke<string>("bug_report_for_turn", { id, seq }),
    setPublicUrl: (choice: PublicUrlChoice): Promise<PublicUrlView> => invoke<PublicUrlView>("set_public_url", { choice }),
    publicUrl: (): Promise<PublicUrlView | null> => invoke<PublicUrlView | null>("public_url"),
    selfTest: (): Promise<SelfTestReport> => invoke<SelfTestReport>("self_test"),
    simulatorConfig: (): Promise<SimConfig> => invoke<SimConfig>("simulator_config"),
    setSimulatorConfig: (config: SimConfig): Promise<SimConfig> => invoke<SimConfig>("set_simulator_config", { config }),
    resetSimulatorConversations: (): Promise<null> => invoke<null>("reset_simulator_conversations"),
    /** The simulator's event log after `since`. */
    simulatorEvents: (since: number): Promise<Array<SimLoggedEvent>> => invoke<Array<SimLoggedEvent>>("simulator_events", { since }),
  };
}

export type Commands = ReturnType<typeof commands>;

/** Every change the core reports: one reply, one turn, a pane added (deltas). */
export function onHubEvent(listen: Listen, handler: (event: HubEvent) => void): Promise<() => void> {
  return listen<HubEvent>(HUB_EVENT, handler);
}
