import { describe, expect, it } from "vitest";
import { remedyFor, withRemedy } from "./remedy";

describe("withRemedy", () => {
  it("adds what to do when the backend's message does not say it", () => {
    expect(withRemedy("ipc", "connection reset.")).toBe(
      "connection reset. The app's backend did not answer: restart the app; if it repeats, send the log file with a bug report.",
    );
  });

  it("leaves a message that already names the remedy as it is", () => {
    const message = "the avatar API refused the credentials (401); check the account id and API key in the profile";
    expect(withRemedy("bad_credentials", message)).toBe(message);
  });

  it("passes codes it does not know through (older stored turns)", () => {
    expect(remedyFor("made_up_code")).toBeNull();
    expect(remedyFor("toString")).toBeNull();
    expect(withRemedy("made_up_code", "x")).toBe("x");
  });
});
