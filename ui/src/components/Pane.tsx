import { lazy, memo, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { backend, errorMessage } from "../backend";
import type { ProfileOption } from "../bindings/ProfileOption";
import type { ConversationView } from "../bindings/ConversationView";
import { prepareCustomData } from "../logic/send";
import { unknownVariables } from "../logic/template";
import { Composer } from "./Composer";
import { PaneHeader, type PaneActions } from "./PaneHeader";
import { Presets } from "./Presets";
import { profileOf } from "../state/conversations";
import { Transcript } from "./Transcript";
import { countPaneRender } from "../diagnostics/renderCount";
import { inspectTurn, inspectUnpaired, paneActions, selectPane } from "../state/actions";
import {
  useCanAddPane,
  useInspectedReply,
  useInspectedTurn,
  useIsSelected,
  usePane,
  usePresenting,
  useProfiles,
} from "../state/console";

const SAVE_TEMPLATE_AFTER_MS = 400;

// CodeMirror is most of the bundle and only needed once a customData editor
// opens: loading it then keeps it off the start-up path.
const CustomDataEditor = lazy(() => import("./CustomDataEditor").then((m) => ({ default: m.CustomDataEditor })));

/**
 * One conversation pane. It takes only its id and reads everything else from
 * the store through per-pane selectors, so a reply to another pane does not
 * re-render it (`window.__paneRenders` counts its renders: busy_panes.rs).
 */
export const Pane = memo(function Pane({ id }: { id: string }) {
  countPaneRender(id);
  const conversation = usePane(id);
  const presenting = usePresenting();
  const profiles = useProfiles();
  const selected = useIsSelected(id);
  const selectedTurn = useInspectedTurn(id);
  const selectedReply = useInspectedReply(id);
  const canAdd = useCanAddPane();
  const actions = useMemo(() => paneActions(id), [id]);
  if (!conversation) return null;
  return (
    <PaneView
      conversation={conversation}
      presenting={presenting}
      profiles={profiles}
      selected={selected}
      selectedTurn={selectedTurn}
      selectedReply={selectedReply}
      canAdd={canAdd}
      actions={actions}
    />
  );
});

interface PaneViewProps {
  conversation: ConversationView;
  presenting: boolean;
  profiles: ProfileOption[];
  selected: boolean;
  selectedTurn: string | null;
  selectedReply: number | null;
  canAdd: boolean;
  actions: PaneActions;
}

function PaneView({
  conversation,
  presenting,
  profiles,
  selected,
  selectedTurn,
  selectedReply,
  canAdd,
  actions,
}: PaneViewProps) {
  const [error, setError] = useState<string | null>(null);
  const [template, setTemplate] = useState(conversation.customDataTemplate);
  const [showData, setShowData] = useState(false);
  const saveTimer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(saveTimer.current), []);

  const changeTemplate = (text: string) => {
    setTemplate(text);
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => {
      backend.setCustomDataTemplate(conversation.id, text).catch((e: unknown) => setError(errorMessage(e)));
    }, SAVE_TEMPLATE_AFTER_MS);
  };

  const send = async (utterance: string, customData?: unknown): Promise<boolean> => {
    setError(null);
    let data = customData;
    if (data === undefined) {
      const prepared = prepareCustomData(template);
      if (!prepared.ok) {
        setError(prepared.error);
        setShowData(true);
        return false;
      }
      data = prepared.customData;
    }
    try {
      await backend.sendMessage(conversation.id, utterance, data);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  };

  const previous = conversation.turns.map((t) => t.utterance);
  const unknown = unknownVariables(template);
  const avatars = profileOf(conversation, profiles)?.avatars ?? [];
  const avatarName = avatars.find((a) => a.id === conversation.avatarId)?.label ?? "Avatar";
  return (
    <section
      className={`pane${selected && !presenting ? " selected" : ""}`}
      data-testid="pane"
      aria-label={presenting ? "Conversation" : `Conversation ${conversation.conversationId}`}
    >
      {!presenting && (
        <PaneHeader
          conversation={conversation}
          selected={selected}
          onSelect={(s) => selectPane(conversation.id, s)}
          actions={actions}
          canAdd={canAdd}
          avatars={avatars}
          profiles={profiles}
        />
      )}
      <Transcript
        conversation={conversation}
        presenting={presenting}
        avatarName={avatarName}
        selectedTurn={selectedTurn}
        selectedReply={selectedReply}
        onInspect={(turn) => inspectTurn(conversation.id, turn)}
        onInspectUnpaired={(reply) => inspectUnpaired(conversation.id, reply)}
        onRetry={(turn) => void send(turn.utterance, turn.customData)}
      />
      {conversation.readOnly && (
        <div className="banner ended" data-testid="read-only-banner">
          Imported transcript (read-only).{" "}
          <button type="button" onClick={() => actions.restart({ kind: "newConversation" })}>
            Continue in a new conversation
          </button>
        </div>
      )}
      {conversation.ended && !conversation.readOnly && (
        <div className="banner ended" data-testid="ended-banner">
          The avatar ended this conversation.{" "}
          <button type="button" onClick={() => actions.restart({ kind: "newConversation" })}>
            Start a new one
          </button>
        </div>
      )}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <div className="composer">
        {showData && !presenting && (
          <div className="custom-data">
            <span>
              customData sent with each message — variables: <code>{"{{uuid}} {{now}} {{turn}} {{conversationId}} {{userId}}"}</code>
            </span>
            <Suspense fallback={<p className="muted">Loading the editor…</p>}>
              <CustomDataEditor value={template} onChange={changeTemplate} />
            </Suspense>
            {unknown.length > 0 && (
              <p className="muted" data-testid="unknown-variables">
                Not a template variable, sent as written: {unknown.map((name) => `{{${name}}}`).join(", ")}
              </p>
            )}
            <Presets profileId={conversation.profileId} template={template} onApply={changeTemplate} onError={setError} />
          </div>
        )}
        <div className="composer-line">
          <Composer
            disabled={conversation.ended || conversation.readOnly}
            placeholder={
              conversation.readOnly
                ? "Imported: read-only"
                : conversation.ended
                ? "The conversation has ended"
                : "Type a message"
            }
            previous={previous}
            onSend={(u) => send(u)}
          />
          {!presenting && (
            <button
              type="button"
              className="secondary"
              onClick={() => setShowData((v) => !v)}
              aria-pressed={showData}
              title="Edit the customData sent with each message"
              data-testid="toggle-custom-data"
            >
              {"{ }"}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
