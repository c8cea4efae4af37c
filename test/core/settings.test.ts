import { Agent37ConfigError } from "../../provider/core/errors";
import { DEFAULT_API_URL, MISSING_KEY_MESSAGE, requireKey, resolveSettings } from "../../provider/core/settings";

const config = (values: Record<string, string>) => ({ get: (k: string) => values[k] });

describe("provider settings", () => {
  it("reads stack config first", () => {
    const s = resolveSettings(config({ "agent37:apiKey": "sk_live_config_0001", "agent37:apiUrl": "http://127.0.0.1:9/" }), {
      AGENT37_API_KEY: "sk_live_env_0001",
      AGENT37_API_URL: "http://env",
    });
    expect(s).toEqual({ apiKey: "sk_live_config_0001", apiUrl: "http://127.0.0.1:9", instanceUrlTemplate: undefined });
  });

  it("falls back to the environment when config is absent", () => {
    const s = resolveSettings(config({}), {
      AGENT37_API_KEY: "sk_live_env_0002",
      AGENT37_API_URL: "http://127.0.0.1:7",
      AGENT37_INSTANCE_URL_TEMPLATE: "http://{host}.localhost:7",
    });
    expect(s).toEqual({ apiKey: "sk_live_env_0002", apiUrl: "http://127.0.0.1:7", instanceUrlTemplate: "http://{host}.localhost:7" });
  });

  it("falls back to the environment when the host's config lookup throws (never configured)", () => {
    const broken = { get: () => { throw new TypeError("Cannot read properties of undefined"); } };
    expect(resolveSettings(broken, { AGENT37_API_KEY: "sk_live_env_0003" }).apiKey).toBe("sk_live_env_0003");
  });

  it("defaults the API URL to production", () => {
    expect(resolveSettings(undefined, {}).apiUrl).toBe(DEFAULT_API_URL);
  });

  it("explains both ways to set a missing key", () => {
    const s = resolveSettings(undefined, {});
    expect(() => requireKey(s)).toThrow(Agent37ConfigError);
    expect(() => requireKey(s)).toThrow(MISSING_KEY_MESSAGE);
    expect(MISSING_KEY_MESSAGE).toMatch(/pulumi config set --secret agent37:apiKey/);
    expect(MISSING_KEY_MESSAGE).toMatch(/AGENT37_API_KEY/);
  });

  it("rejects an instance URL template without {host}", () => {
    expect(() => resolveSettings(config({ "agent37:instanceUrlTemplate": "https://agent37.app" }), {})).toThrow(/must contain \{host\}/);
  });

  it.each([
    ["a line break", "sk_live_0123456789\nabcdef", /holds a line break at character 19/],
    ["a carriage return", "sk_live_0123456789\rabcdef", /holds a line break at character 19/],
    ["a tab", "sk_live_0123456789\tabcdef", /holds a control character at character 19/],
    ["a typographic quote (outside Latin-1)", "sk_live_0123456789\u201dabcdef", /holds a character outside Latin-1 at character 19/],
  ])("refuses a key holding %s, naming agent37:apiKey and never the key", (_label, key, reason) => {
    const run = () => resolveSettings(config({ "agent37:apiKey": key }), {});
    expect(run).toThrow(Agent37ConfigError);
    expect(run).toThrow(reason);
    expect(run).toThrow(/^agent37:apiKey holds/);
    const message = (() => {
      try {
        run();
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).not.toContain("0123456789");
  });

  it("names AGENT37_API_KEY when the bad key came from the environment", () => {
    expect(() => resolveSettings(config({}), { AGENT37_API_KEY: "sk_live_0123456789\nx" })).toThrow(/^AGENT37_API_KEY \(used because agent37:apiKey is not set\) holds a line break/);
  });

  it("accepts a key with a trailing newline (trimmed, as every config value is)", () => {
    expect(resolveSettings(config({ "agent37:apiKey": "sk_live_0123456789abcdef\n" }), {}).apiKey).toBe("sk_live_0123456789abcdef");
  });
});
