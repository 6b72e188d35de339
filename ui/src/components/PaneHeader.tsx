import { useRef, useState } from "react";
import type { AvatarOption } from "../bindings/AvatarOption";
import type { ConversationView } from "../bindings/ConversationView";
import type { ProfileOption } from "../bindings/ProfileOption";
import type { Restart } from "../bindings/Restart";
import { Icon } from "./Icon";
import { profileOf } from "../state/conversations";
import { visibleString } from "../logic/visibleText";
import { VisibleText } from "./VisibleText";

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

/** Less frequent pane actions, in a menu so a pane's header stays short in a dense grid. */
function MoreActions({ actions, canAdd }: { actions: PaneActions; canAdd: boolean }) {
  const menu = useRef<HTMLDetailsElement>(null);
  // Each item closes the menu before it acts.
  const item = (label: string, title: string, act: () => void, disabled = false) => (
    <button
      type="button"
      role="menuitem"
      title={title}
      disabled={disabled}
      onClick={() => {
        if (menu.current) menu.current.open = false;
        act();
      }}
    >
      {label}
    </button>
  );
  return (
    <details
      className="more-actions"
      ref={menu}
      onToggle={() => {
        // A click anywhere else closes the open menu, as menus do.
        if (!menu.current?.open) return;
        const outside = (e: PointerEvent) => {
          if (menu.current && !menu.current.contains(e.target as Node)) menu.current.open = false;
          document.removeEventListener("pointerdown", outside);
        };
        document.addEventListener("pointerdown", outside);
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape" && menu.current?.open) {
          e.stopPropagation();
          menu.current.open = false;
        }
      }}
    >
      <summary className="icon" title="More: export, save as test, duplicate, move" aria-label="More pane actions" data-testid="pane-more">
        <Icon name="more" />
      </summary>
      <div className="menu" role="menu">
        {item("Export…", "Export this conversation (JSON, or Markdown with a .md name)", actions.exportTranscript)}
        {item("Save as test…", "Save as a test file (replay it later with Replay… or avatar-replay)", actions.exportTest)}
        {item("Duplicate", "Duplicate this pane", actions.duplicate, !canAdd)}
        {item("Move left", "Move this pane one place left", () => actions.move(-1))}
        {item("Move right", "Move this pane one place right", () => actions.move(1))}
      </div>
    </details>
  );
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
          title={`Conversation id sent to the avatar (user ${visibleString(conversation.userId)}). Double-click to change.`}
          onDoubleClick={() => {
            setDraft(conversation.conversationId);
            setEditing(true);
          }}
        >
          <VisibleText text={conversation.conversationId} strict />
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
        <MoreActions actions={actions} canAdd={canAdd} />
        <button type="button" className="icon" title="Close this pane (its transcript is kept)" onClick={actions.close} data-testid="pane-close">
          <Icon name="close" />
        </button>
      </div>
    </header>
  );
}
