import { describe, expect, it } from "vitest";
import { describeToken, maskCallbackUrl } from "./StatusBar";

describe("maskCallbackUrl", () => {
  it("hides the secret segment in URLs, query strings and JSON bodies", () => {
    expect(maskCallbackUrl("http://127.0.0.1:4000/cb/abc123?turn=2")).toBe("http://127.0.0.1:4000/cb/••••••?turn=2");
    const body = '{"callbackUri":"http://h/cb/s3cr3t?turn=1","utterance":"hi"}';
    expect(maskCallbackUrl(body)).not.toContain("s3cr3t");
    expect(maskCallbackUrl("a /cb/x and /cb/y")).toBe("a /cb/•••••• and /cb/••••••");
  });
});

describe("describeToken", () => {
  const base = { profileId: "p", profileName: "Local simulator" };
  it("says how long the token lasts", () => {
    expect(describeToken({ ...base, hasToken: false, expiresAt: null }, 0)).toBe("no token yet");
    expect(describeToken({ ...base, hasToken: true, expiresAt: 59.5 * 60_000 }, 0)).toBe("token valid 59 min");
    expect(describeToken({ ...base, hasToken: true, expiresAt: 30_000 }, 0)).toBe("token valid < 1 min");
    expect(describeToken({ ...base, hasToken: true, expiresAt: 0 }, 60_001)).toBe("token expired");
  });
});
