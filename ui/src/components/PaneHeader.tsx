import { useState } from "react";
import type { AvatarOption } from "../bindings/AvatarOption";
import type { ConversationView } from "../bindings/ConversationView";
import type { ProfileOption } from "../bindings/ProfileOption";
import type { Restart } from "../bindings/Restart";
import { Icon } from "./Icon";
import { profileOf } from "../state/conversations";

export interface PaneActions {
  restart: (how: Restart) => void;
  end: () => void;
  exportTranscript: () => void;
  exportTest: () => void;
  duplicate: () => void;
  move: (delta: number) => void;
  close: () => void;
}

/** The pane's connection state at a glance: can it send, and did the last send get through? */
export function connectionState(conversation: ConversationView, profileReady: boolean): [string, string, string] {
  if (conversation.readOnly) return ["imported", "ended", "An imported transcript: read-only"];
  if (conversation.ended) return ["ended", "ended", "The conversation has ended"];
  if (!profileReady) return ["not ready", "failed", "Its profile cannot send: open Profiles and save the key"];
  const last = conversation.turns[conversation.turns.length - 1];
  if (last?.state.kind === "failed") return ["send failed", "failed", last.state.message];
  if (last?.state.kind === "sending") return ["sending", "live", "Sending the last message"];
  if (last && last.replies.length === 0) return ["waiting", "live", "Sent; waiting for the avatar's reply"];
  return ["live", "live", "Ready to send"];
}

function ConnectionPill({ conversation, profileReady }: { conversation: ConversationView; profileReady: boolean }) {
  const [label, kind, title] = connectionState(conversation, profileReady);
  return (
    <span className={`pill ${kind}`} title={title} data-testid="connection-state">
      {label}
    </span>
  );
}

export function PaneHeader({
  conversation,
  selected,
  onSelect,
  actions,
  canAdd,
  avatars,
  profiles,
}: {
  avatars: AvatarOption[];
  profiles: ProfileOption[];
  conversation: ConversationView;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  actions: PaneActions;
  canAdd: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(conversation.conversationId);

  const commit = () => {
    setEditing(false);
    const id = draft.trim();
    if (id && id !== conversation.conversationId) actions.restart({ kind: "withId", conversationId: id });
  };

  return (
    <header className="pane-header">
      <input
        type="checkbox"
        checked={selected}
        onChange={(e) => onSelect(e.target.checked)}
        title="Include this pane in broadcasts"
        aria-label="Include in broadcast"
        data-testid="pane-select"
      />
      {profiles.length > 1 ? (
        <select
          className="avatar-select"
          value={profileOf(conversation, profiles)?.id ?? conversation.profileId}
          onChange={(e) => actions.restart({ kind: "switchProfile", profileId: e.target.value })}
          title="Profile (switching starts a new conversation)"
          aria-label="Profile"
          data-testid="profile-select"
        >
          {profileOf(conversation, profiles) === undefined && (
            <option value={conversation.profileId}>{conversation.profileName} (not ready)</option>
          )}
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      ) : (
        <span className="profile">{conversation.profileName}</span>
      )}
      {avatars.length > 1 && (
        <select
          className="avatar-select"
          value={conversation.avatarId}
          onChange={(e) => actions.restart({ kind: "switchAvatar", avatarId: e.target.value })}
          title="Avatar (switching starts a new conversation)"
          aria-label="Avatar"
          data-testid="avatar-select"
        >
          {avatars.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      )}
      {editing ? (
        <input
          className="conversation-id-input"
          value={draft}
          autoFocus
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === "Enter") commit();
            if (e.key === "Escape") setEditing(false);
          }}
          aria-label="Conversation id"
        />
      ) : (
        <code
          className="conversation-id"
          data-testid="conversation-id"
          title={`Conversation id sent to the avatar (user ${conversation.userId}). Double-click to change.`}
          onDoubleClick={() => {
            setDraft(conversation.conversationId);
            setEditing(true);
          }}
        >
          {conversation.conversationId}
        </code>
      )}
      <ConnectionPill conversation={conversation} profileReady={profileOf(conversation, profiles) !== undefined} />
      <div className="pane-actions">
        <button type="button" className="icon" title="New conversation: fresh conversation id, same customer" onClick={() => actions.restart({ kind: "newConversation" })}>
          <Icon name="restart" />
        </button>
        <button type="button" className="icon" title="New user: fresh conversation id and customer id" onClick={() => actions.restart({ kind: "newUser" })}>
          <Icon name="user" />
        </button>
        <button
          type="button"
          className="icon"
          title="End conversation: ask the avatar to stop this session (the API's stop endpoint)"
          onClick={actions.end}
          disabled={conversation.ended}
          data-testid="end-conversation"
        >
          <Icon name="stop" />
        </button>
        <button type="button" className="icon" title="Export this conversation (JSON, or Markdown with a .md name)" onClick={actions.exportTranscript}>
          <Icon name="download" />
        </button>
        <button type="button" className="icon" title="Save as a test file (replay it later with Replay… or avatar-replay)" onClick={actions.exportTest}>
          <Icon name="test" />
        </button>
        <button type="button" className="icon" title="Duplicate this pane" disabled={!canAdd} onClick={actions.duplicate}>
          <Icon name="copy" />
        </button>
        <button type="button" className="icon" title="Move left" onClick={() => actions.move(-1)}>
          <Icon name="left" />
        </button>
        <button type="button" className="icon" title="Move right" onClick={() => actions.move(1)}>
          <Icon name="right" />
        </button>
        <button type="button" className="icon" title="Close this pane (its transcript is kept)" onClick={actions.close} data-testid="pane-close">
          <Icon name="close" />
        </button>
      </div>
    </header>
  );
}
