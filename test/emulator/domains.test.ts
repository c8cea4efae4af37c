import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCli } from "../../emulator/cli";
import { domainProblem } from "../../emulator/hosting/domains";
import { FREE_KEY, OTHER_KEY, startTest, type Json, type TestClient } from "./helpers";

const KEY = "sk_live_domainsWorkspace000000001";
/** Topped up, but below the $100 the domains tier needs. */
const STARTER_KEY = "sk_live_starterWorkspace000000001";

describe("hostname rules", () => {
  // Apex by the public suffix list (ICANN section), the same rules the provider's check applies.
  it.each(["acme-agents.com", "xn--bcher-kva.de", "acme.co.uk", "a1.io", "acme.com.es", "acme.gov.au", "acme.co.il"])("accepts the apex %s", (name) => {
    expect(domainProblem(name)).toBeUndefined();
  });
  it.each([
    ["agents.acme.com", /subdomain; add the apex domain acme.com/],
    ["x.acme.co.uk", /subdomain; add the apex domain acme.co.uk/],
    ["co.uk", /public suffix/],
    ["com", /not a domain name/],
    ["-acme.com", /invalid label "-acme"/],
    ["acme_agents.com", /invalid label/],
    ["acme.c0m", /invalid top-level domain/],
    ["192.168.1.10", /is an IP address, not a domain name/],
    ["10.1", /invalid top-level domain "1"/],
    ["acme.123", /invalid top-level domain "123"/],
    ["acme.github.io", /subdomain; add the apex domain github.io/],
    ["acme.localhost", /reserved top-level domain .localhost/],
    ["agent37.app", /under agent37.app/],
    ["mine.agent37.com", /under agent37.com/],
    [`${"a".repeat(64)}.com`, /invalid label/],
  ])("refuses %s", (name, reason) => {
    expect(domainProblem(name)).toMatch(reason);
  });
});

describe("/v1/domains", () => {
  let c: TestClient;
  beforeAll(async () => {
    c = await startTest({ keys: [KEY, OTHER_KEY], workspaces: [{ key: FREE_KEY, topUpsMicros: 0 }, { key: STARTER_KEY, topUpsMicros: 99_999_999 }] });
  });
  afterAll(() => c.close());
  beforeEach(async () => {
    await c.admin("POST", "/_emulator/reset");
  });

  it("adds a domain (201), pending, lowercased, with two NS records to delegate to", async () => {
    const r = await c.api("POST", "/v1/domains", { domain: "Acme-Agents.COM" });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      domain: "acme-agents.com",
      status: "pending",
      dns: { type: "NS", name: "acme-agents.com", nameservers: [expect.stringMatching(/^ns\d\.dns\.agent37\.com$/), expect.stringMatching(/^ns\d\.dns\.agent37\.com$/)] },
      created: expect.any(Number),
    });
    expect(r.body.dns.nameservers[0]).not.toBe(r.body.dns.nameservers[1]);
    expect((await c.api("GET", "/v1/domains/ACME-agents.com")).body).toEqual(r.body);
    expect((await c.api("GET", "/v1/domains")).body).toEqual({ data: [r.body] });
  });

  it.each([
    ["a free workspace", FREE_KEY, "$0.00"],
    ["a workspace with less than $100 of top-ups", STARTER_KEY, "$99.99"],
  ])("refuses %s with 403 tier_limit", async (_label, key, total) => {
    const r = await c.api("POST", "/v1/domains", { domain: "acme.com" }, key);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("tier_limit");
    expect(r.body.error.message).toContain(total);
  });

  it.each([
    ["a subdomain", { domain: "agents.acme.com" }, /`domain` "agents.acme.com" is a subdomain/],
    ["a name under agent37.app", { domain: "me.agent37.app" }, /under agent37.app/],
    ["a bad hostname", { domain: "acme..com" }, /invalid label ""/],
    ["an IP address", { domain: "192.168.1.10" }, /is an IP address/],
    ["a numeric top-level domain", { domain: "acme.123" }, /invalid top-level domain "123"/],
    ["a missing domain", {}, /`domain` is required/],
    ["an unknown field", { domain: "acme.com", ttl: 60 }, /unknown field `ttl`/],
  ])("answers 400 invalid_request for %s", async (_label, body, message) => {
    const r = await c.api("POST", "/v1/domains", body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    expect(r.body.error.message).toMatch(message);
  });

  it("adds an apex under a multi-label public suffix the old short list lacked (201)", async () => {
    expect((await c.api("POST", "/v1/domains", { domain: "acme.com.es" })).status).toBe(201);
  });

  it("answers 409 domain_exists when any workspace holds the name, and 404 to the others", async () => {
    expect((await c.api("POST", "/v1/domains", { domain: "taken.dev" }, OTHER_KEY)).status).toBe(201);
    for (const key of [KEY, OTHER_KEY]) {
      const r = await c.api("POST", "/v1/domains", { domain: "TAKEN.dev" }, key);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("domain_exists");
    }
    for (const [method, p] of [["GET", "/v1/domains/taken.dev"], ["POST", "/v1/domains/taken.dev/verify"], ["DELETE", "/v1/domains/taken.dev"]] as const) {
      const r = await c.api(method, p);
      expect([p, r.status, r.body.error.code]).toEqual([p, 404, "not_found"]);
    }
    expect((await c.api("GET", "/v1/domains")).body.data).toEqual([]);
  });

  it("refuses the 11th domain with 400 invalid_request", async () => {
    for (let i = 0; i < 10; i++) expect((await c.api("POST", "/v1/domains", { domain: `brand${i}.com` })).status).toBe(201);
    const r = await c.api("POST", "/v1/domains", { domain: "brand10.com" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/maximum of 10 custom domains/);
    expect((await c.api("GET", "/v1/domains")).body.data.map((d: Json) => d.domain)).toEqual([...Array(10).keys()].map((i) => `brand${i}.com`));
  });

  it("verify turns the domain active (verifyMs 0), idempotently", async () => {
    await c.api("POST", "/v1/domains", { domain: "acme.com" });
    for (let i = 0; i < 2; i++) {
      const v = await c.api("POST", "/v1/domains/acme.com/verify");
      expect(v.status).toBe(200);
      expect(v.body).toEqual({ domain: "acme.com", status: "active" });
    }
    expect((await c.api("GET", "/v1/domains/acme.com")).body.status).toBe("active");
  });

  it("an admin hold keeps a domain pending until released; the next verify activates it", async () => {
    await c.api("POST", "/v1/domains", { domain: "held.com" });
    const hold = await c.admin("POST", "/_emulator/domains/held.com/hold");
    expect(hold.body).toEqual({ domain: "held.com", status: "pending", held: true });
    expect((await c.api("POST", "/v1/domains/held.com/verify")).body.status).toBe("pending");
    expect((await c.admin("DELETE", "/_emulator/domains/held.com/hold")).body.held).toBe(false);
    expect((await c.api("GET", "/v1/domains/held.com")).body.status).toBe("pending");
    expect((await c.api("POST", "/v1/domains/held.com/verify")).body.status).toBe("active");
    expect((await c.admin("POST", "/_emulator/domains/nope.com/hold")).status).toBe(404);
  });

  it("deletes once (repeat 404) and frees the name for any workspace", async () => {
    await c.api("POST", "/v1/domains", { domain: "acme.com" });
    const del = await c.api("DELETE", "/v1/domains/acme.com");
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ domain: "acme.com", deleted: true });
    expect((await c.api("DELETE", "/v1/domains/acme.com")).status).toBe(404);
    expect((await c.api("POST", "/v1/domains", { domain: "acme.com" }, OTHER_KEY)).status).toBe(201);
  });

  it("puts mirror URLs on instances and public ports once a domain is active, oldest domain first, and serves them", async () => {
    const inst = await c.create({ public_ports: [{ port: 8644, prefix: "hooks" }] });
    expect(inst.domain_urls).toEqual([]);
    await c.api("POST", "/v1/domains", { domain: "first.com" });
    await c.api("POST", "/v1/domains", { domain: "second.com" });
    expect((await c.api("GET", `/v1/instances/${inst.id}`)).body.domain_urls).toEqual([]);
    await c.api("POST", "/v1/domains/second.com/verify");
    await c.api("POST", "/v1/domains/first.com/verify");
    const got = (await c.api("GET", `/v1/instances/${inst.id}`)).body;
    const base = (label: string): string => `http://${label}.localhost:${c.emu.port}`;
    expect(got.domain_urls).toEqual([base(`${inst.id}.first.com`), base(`${inst.id}.second.com`)]);
    expect(got.public_ports[0].domain_urls).toEqual([base(`hooks-${inst.id}.first.com`), base(`hooks-${inst.id}.second.com`)]);
    expect((await c.api("GET", `/v1/instances/${inst.id}/public-ports`)).body.data[0].domain_urls).toEqual(got.public_ports[0].domain_urls);
    // Another workspace's instance carries none of them.
    expect((await c.create({}, OTHER_KEY)).domain_urls).toEqual([]);

    // The mirror host answers like the instance URL: authenticated, and only for the domain's workspace.
    await c.until(
      () => c.plane(`${inst.id}.first.com`, "/v1/health", { headers: { "x-agent37-key": KEY } }),
      (r) => r.status === 200 && r.body.healthy === true,
    );
    expect((await c.plane(`${inst.id}.first.com`, "/v1/health")).status).toBe(401);
    const foreign = await c.create({}, OTHER_KEY);
    expect((await c.plane(`${foreign.id}.first.com`, "/v1/health", { headers: { "x-agent37-key": OTHER_KEY } })).status).toBe(404);
    expect((await c.plane(`hooks-${inst.id}.first.com`, "/")).status).toBe(200);

    await c.api("DELETE", "/v1/domains/first.com");
    expect((await c.api("GET", `/v1/instances/${inst.id}`)).body.domain_urls).toEqual([base(`${inst.id}.second.com`)]);
    expect((await c.plane(`${inst.id}.first.com`, "/v1/health", { headers: { "x-agent37-key": KEY } })).status).toBe(404);
  });
});

describe("verifyMs", () => {
  it("keeps a domain pending at verifies before verifyMs has passed since it was added", async () => {
    const VERIFY_MS = 600;
    const c = await startTest({ keys: [KEY], verifyMs: VERIFY_MS });
    try {
      // The domain was added after `sent`, and each verify was handled before its answer arrived:
      // an answer within VERIFY_MS of `sent` must be pending, and the first active one later.
      const sent = Date.now();
      expect((await c.api("POST", "/v1/domains", { domain: "slow.com" })).body.status).toBe("pending");
      const seen: { at: number; status: string }[] = [];
      await c.until(
        async () => {
          const r = await c.api("POST", "/v1/domains/slow.com/verify");
          seen.push({ at: Date.now() - sent, status: r.body.status });
          return r.body.status;
        },
        (s) => s === "active",
        5000,
      );
      // Some margin for the two clocks (Date and the emulator's performance clock).
      const early = seen.filter((s) => s.at < VERIFY_MS - 5);
      expect(early.length).toBeGreaterThan(0);
      expect(early.every((s) => s.status === "pending")).toBe(true);
      expect(seen.find((s) => s.status === "active")!.at).toBeGreaterThanOrEqual(VERIFY_MS - 5);
    } finally {
      await c.close();
    }
  });

  it("is a CLI flag and an option that must be non-negative", async () => {
    expect(parseCli(["--verify-ms", "600"])).toMatchObject({ verifyMs: 600 });
    expect(parseCli(["--key", `${STARTER_KEY}:starter`])).toMatchObject({ workspaces: [{ key: STARTER_KEY, topUpsMicros: 25_000_000 }] });
    await expect(startTest({ verifyMs: -1 })).rejects.toThrow(/verifyMs/);
  });
});

describe("state file", () => {
  it("keeps domains (with their status and hold) and SSH keys across a restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-domains-"));
    const statePath = path.join(dir, "state.json");
    try {
      const a = await startTest({ keys: [KEY], statePath });
      await a.api("POST", "/v1/domains", { domain: "kept.com" });
      await a.api("POST", "/v1/domains/kept.com/verify");
      await a.api("POST", "/v1/domains", { domain: "held.com" });
      await a.admin("POST", "/_emulator/domains/held.com/hold");
      const key = await a.api("POST", "/v1/ssh-keys", { public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHfsi5EBvW+wfqma9iMNl42mXgfiCj63CxE8VSOHv0S5 a@b" });
      await a.close();
      expect(fs.readFileSync(statePath, "utf8")).not.toContain(KEY);
      const b = await startTest({ keys: [KEY], statePath });
      try {
        expect((await b.api("GET", "/v1/domains")).body.data.map((d: Json) => [d.domain, d.status])).toEqual([["kept.com", "active"], ["held.com", "pending"]]);
        expect((await b.api("POST", "/v1/domains/held.com/verify")).body.status).toBe("pending");
        expect((await b.api("GET", "/v1/ssh-keys")).body.data).toEqual([key.body]);
      } finally {
        await b.close();
      }
      // A damaged record fails the load, naming the field.
      const file = JSON.parse(fs.readFileSync(statePath, "utf8"));
      file.domains[0].status = "verified";
      file.sshKeys[0].fingerprint = "MD5:00";
      fs.writeFileSync(statePath, JSON.stringify(file));
      await expect(startTest({ keys: [KEY], statePath })).rejects.toThrow(/domains\.0\.status.*sshKeys\.0\.fingerprint/s);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
