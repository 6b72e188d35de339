// "Copy as curl" for one turn. The JWT and the callback URI (whose path is a
// secret) are left as shell variables for the person who pastes it.
import type { ConversationView } from "../bindings/ConversationView";
import type { TurnView } from "../bindings/TurnView";

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

export function curlForTurn(conversation: ConversationView, turn: TurnView): string {
  const body = JSON.stringify({ callbackUri: "$CALLBACK_URI", utterance: turn.utterance, customData: turn.customData });
  const url = `$NLU_ADDRESS/api/v1/chats/${encodeURIComponent(conversation.avatarId)}/${encodeURIComponent(conversation.conversationId)}`;
  return [
    "# Set NLU_ADDRESS (from Logon), AVATAR_JWT (from chats/login) and CALLBACK_URI first.",
    `curl -X POST "${url}" \\`,
    `  -H "Authorization: Bearer $AVATAR_JWT" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  --data ${shellQuote(body).replace("$CALLBACK_URI", `'"$CALLBACK_URI"'`)}`,
  ].join("\n");
}
