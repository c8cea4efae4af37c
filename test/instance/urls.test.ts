import { computePorts } from "../../provider/instance/outputs";
import type { Instance } from "../../provider/instance/api-schema";
import { derivePortUrl, fromInstanceUrl, fromTemplate } from "../../provider/instance/urls";

describe("per-port URL derivation", () => {
  it("replaces the id label of a production instance URL", () => {
    expect(fromInstanceUrl("https://ab12cd34ef.agent37.app", "ab12cd34ef", 9119)).toBe("https://ab12cd34ef-9119.agent37.app");
  });

  it("keeps scheme and port of an emulator instance URL", () => {
    expect(fromInstanceUrl("http://ab12cd34ef.localhost:4737", "ab12cd34ef", 6969)).toBe("http://ab12cd34ef-6969.localhost:4737");
  });

  it("refuses to derive from a URL whose first label is not the id", () => {
    expect(fromInstanceUrl("https://custom.example.com", "ab12cd34ef", 9119)).toBeUndefined();
  });

  it("fills {host} in a configured template", () => {
    expect(fromTemplate("http://{host}.localhost:4737", "ab12cd34ef", 9119)).toBe("http://ab12cd34ef-9119.localhost:4737");
    expect(fromTemplate("https://{host}.agent37.app", "ab12cd34ef")).toBe("https://ab12cd34ef.agent37.app");
  });

  it("prefers the configured template over the instance URL", () => {
    expect(
      derivePortUrl({ id: "ab12cd34ef", port: 8080, instanceUrl: "https://ab12cd34ef.agent37.app", urlTemplate: "http://{host}.localhost:9" }),
    ).toBe("http://ab12cd34ef-8080.localhost:9");
  });
});

const gen08: Instance = { id: "ab12cd34ef", status: "running", url: "http://ab12cd34ef.localhost:4737" };

describe("ports and portUrls for both API generations", () => {
  it("2026-08: default port is the instance URL, extra ports are derived", () => {
    const r = computePorts(gen08, { defaultPort: 3737, private: false }, [9119], undefined);
    expect(r.url).toBe("http://ab12cd34ef.localhost:4737");
    expect(r.ports).toEqual([
      { port: 3737, default: true, url: "http://ab12cd34ef.localhost:4737" },
      { port: 9119, default: false, url: "http://ab12cd34ef-9119.localhost:4737" },
    ]);
    expect(r.portUrls).toEqual({ "3737": "http://ab12cd34ef.localhost:4737", "9119": "http://ab12cd34ef-9119.localhost:4737" });
  });

  it("2026-08: a workspace template's default port is the bare URL", () => {
    const r = computePorts(gen08, { defaultPort: 8000, private: false }, [8000], undefined);
    expect(r.ports).toEqual([{ port: 8000, default: true, url: "http://ab12cd34ef.localhost:4737" }]);
  });

  it("2026-06: takes opaque non-default URLs verbatim and guesses none", () => {
    const instance: Instance = {
      id: "ab12cd34ef",
      status: "running",
      ports: [
        { port: 3737, default: true, url: "http://ab12cd34ef.localhost:4737" },
        { port: 9119, default: false, url: "http://q1w2e3r4t5y6u7i8o9p0a1s2.localhost:4737" },
      ],
    };
    const r = computePorts(instance, { defaultPort: 3737, private: false }, [9119, 7681], undefined);
    expect(r.url).toBe("http://ab12cd34ef.localhost:4737");
    expect(r.portUrls).toEqual({
      "3737": "http://ab12cd34ef.localhost:4737",
      "9119": "http://q1w2e3r4t5y6u7i8o9p0a1s2.localhost:4737",
    });
  });

  it("private sandbox: no URL, no ports", () => {
    const r = computePorts(gen08, { defaultPort: null, private: true }, [], undefined);
    expect(r).toEqual({ url: "", ports: [], portUrls: {} });
  });
});
