/**
 * Agent37Domain and Agent37DomainVerification through Pulumi's provider host, driven as the
 * engine drives it, against the emulator (`verifyMs: 600`: a domain turns active at its first
 * verify 600 ms after it was added). Also Agent37Instance's `domainUrls` once a domain is active.
 */
import { Agent37Domain, Agent37DomainVerification, Agent37Instance } from "pulumi-agent37";
import { captureInputs, EmulatorAdmin, emulatorConfig, Engine, runProgram, startProviderHost, startRig, traceHost, type ProviderHost, type Rig } from "../harness";
import { failureOf, hostingApi } from "../harness/hosting-api";

const DOMAIN_TYPE = "pulumi-nodejs:dynamic/agent37:Domain";
const VERIFICATION_TYPE = "pulumi-nodejs:dynamic/agent37:DomainVerification";
const VERIFY_MS = 600;
const VERIFY_ROUTE = "POST /v1/domains/:domain/verify";
const KEY = "sk_live_domainsEngineWorkspace00001";
const OTHER_KEY = "sk_live_domainsEngineNeighbour0001";

let rig: Rig;
let host: ProviderHost;
let admin: EmulatorAdmin;
let api: ReturnType<typeof hostingApi>;

beforeAll(async () => {
  rig = await startRig({ keys: [KEY, OTHER_KEY], provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 30, verifyMs: VERIFY_MS }, KEY);
  ({ host, admin } = rig);
  api = hostingApi(rig.emulator.url, rig.key);
});
afterAll(async () => rig?.close());
afterEach(async () => {
  await admin.reset();
});

const newEngine = (): Engine => new Engine(traceHost(host).host);

const domainOnly = (domain: string) => () => {
  const d = new Agent37Domain("brand", { domain });
  return { domain: d.domain, status: d.status, nameservers: d.nameservers, dnsName: d.dnsName, created: d.created, id: d.id };
};

const verified = (domain: string, timeoutSeconds?: number) => () => {
  const d = new Agent37Domain("brand", { domain });
  const v = new Agent37DomainVerification("brand-verified", { domain: d.domain, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) });
  return { domain: d.domain, domainStatus: d.status, nameservers: d.nameservers, verified: v.status, timeoutSeconds: v.timeoutSeconds };
};

const ops = (engine: Engine, from: number): string[] => engine.steps.slice(from).map((s) => `${s.op} ${s.urn.split("::").slice(-2).join("::")}`);

async function verifyCalls(domain: string): Promise<number> {
  return (await admin.requests()).log.filter((e) => e.route === VERIFY_ROUTE && e.path === `/v1/domains/${domain}/verify`).length;
}

describe("Agent37Domain", () => {
  it("creates the domain with everything a DNS record needs known at once; the id is the domain", async () => {
    const engine = newEngine();
    const { outputs } = await runProgram(engine, domainOnly("Acme-Agents.com"));
    expect(outputs).toEqual({
      domain: "acme-agents.com",
      status: "pending",
      nameservers: [expect.stringMatching(/\.agent37\.com$/), expect.stringMatching(/\.agent37\.com$/)],
      dnsName: "acme-agents.com",
      created: expect.any(Number),
      id: "acme-agents.com",
    });
    const live = await api("GET", "/v1/domains/acme-agents.com");
    expect(live.body.dns.nameservers).toEqual(outputs.nameservers);
    await engine.destroy();
  });

  it("diffs: the same domain in another case is no change; another domain replaces (created first)", async () => {
    const engine = newEngine();
    await runProgram(engine, domainOnly("acme.com"));
    const mark = engine.steps.length;
    await runProgram(engine, domainOnly("ACME.com"));
    expect(ops(engine, mark)).toEqual([`same ${DOMAIN_TYPE}::brand`]);

    const preview = await runProgram(engine, domainOnly("acme.dev"), { preview: true });
    expect(preview.steps.map((s) => [s.op, s.replaces, s.deleteBeforeReplace])).toEqual([["replace", ["domain"], false]]);
    const mark2 = engine.steps.length;
    const { outputs } = await runProgram(engine, domainOnly("acme.dev"));
    expect(ops(engine, mark2)).toEqual([`create-replacement ${DOMAIN_TYPE}::brand`, `delete-replaced ${DOMAIN_TYPE}::brand`, `replace ${DOMAIN_TYPE}::brand`]);
    expect(outputs.domain).toBe("acme.dev");
    expect((await api("GET", "/v1/domains")).body.data.map((d: { domain: string }) => d.domain)).toEqual(["acme.dev"]);
    await engine.destroy();
  });

  it("refresh shows the status Agent37 has now, and drops a domain deleted out of band", async () => {
    const engine = newEngine();
    await runProgram(engine, domainOnly("acme.com"));
    // Verified out of band: refresh reads the domain as it is now.
    const deadline = Date.now() + 5000;
    while ((await api("POST", "/v1/domains/acme.com/verify")).body.status !== "active") {
      if (Date.now() > deadline) throw new Error("never active");
      await new Promise((r) => setTimeout(r, 50));
    }
    await engine.refresh();
    expect([...engine.state.values()][0]?.outputs).toMatchObject({ domain: "acme.com", status: "active" });

    await api("DELETE", "/v1/domains/acme.com");
    const steps = await engine.refresh();
    expect(steps.map((s) => [s.op, s.gone])).toEqual([["refresh", true]]);
    expect(engine.state.size).toBe(0);
  });

  it("destroy deletes the domain, and a domain already gone is deleted without error", async () => {
    const engine = newEngine();
    await runProgram(engine, domainOnly("gone.com"));
    await engine.destroy();
    expect((await api("GET", "/v1/domains/gone.com")).status).toBe(404);

    const again = newEngine();
    await runProgram(again, domainOnly("gone.com"));
    await api("DELETE", "/v1/domains/gone.com");
    const steps = await again.destroy();
    expect(steps.map((s) => [s.op, s.error])).toEqual([["delete", undefined]]);
    expect(again.state.size).toBe(0);
  });

  it("fails clearly, creating nothing, when another workspace holds the domain", async () => {
    expect((await hostingApi(rig.emulator.url, OTHER_KEY)("POST", "/v1/domains", { domain: "theirs.com" })).status).toBe(201);
    const engine = newEngine();
    const error = await failureOf(runProgram(engine, domainOnly("theirs.com")));
    expect(error.message).toContain("adding Agent37 domain theirs.com: the domain theirs.com is held by another Agent37 workspace (409 domain_exists)");
    expect(error.message).toContain("What to do: Another workspace holds this domain");
    expect(error.message).not.toContain(KEY);
    expect(engine.state.size).toBe(0);
  });

  it("check refuses a name under agent37.app, naming `domain`, before any request", async () => {
    const engine = newEngine();
    await admin.clearRequests();
    await expect(runProgram(engine, domainOnly("me.agent37.app"))).rejects.toThrow(/domain: domain must not be agent37\.app or under it/);
    expect(await admin.apiRequestCount()).toBe(0);
  });
});

const adopting = (domain: string) => () => {
  const d = new Agent37Domain("brand", { domain, adopt: true });
  return { domain: d.domain, status: d.status, nameservers: d.nameservers, created: d.created, id: d.id };
};

async function workspaceDomains(): Promise<string[]> {
  return (await api("GET", "/v1/domains")).body.data.map((d: { domain: string }) => d.domain);
}

describe("Agent37Domain never takes over or deletes a domain it did not add", () => {
  it("a second stack declaring the same domain fails naming `adopt`; the first keeps its domain through every up and destroy of the second", async () => {
    const ours = new Engine(host, { stack: "ours" });
    const created = await runProgram(ours, domainOnly("shared.com"));
    const theirs = new Engine(host, { stack: "theirs" });
    const error = await failureOf(runProgram(theirs, domainOnly("shared.com")));
    expect(error.message).toContain("adding Agent37 domain shared.com: the domain shared.com is already in this workspace, and this resource did not add it");
    expect(error.message).toContain("set `adopt: true` on this resource");
    expect(error.initFailure).toBeUndefined();
    expect(theirs.state.size).toBe(0);
    // Again (a second `up`), then the second stack's destroy: the domain stays, unchanged.
    await failureOf(runProgram(theirs, domainOnly("shared.com")));
    await theirs.destroy();
    expect((await api("GET", "/v1/domains/shared.com")).body).toMatchObject({ domain: "shared.com", created: created.outputs.created });
    // The first stack's next up plans no change, and its destroy removes the domain.
    const mark = ours.steps.length;
    await runProgram(ours, domainOnly("shared.com"));
    expect(ops(ours, mark)).toEqual([`same ${DOMAIN_TYPE}::brand`]);
    await ours.destroy();
    expect(await workspaceDomains()).toEqual([]);
  });

  it("a domain added by hand survives a failed up and the destroy of the stack; `adopt: true` takes it over explicitly", async () => {
    const byHand = await api("POST", "/v1/domains", { domain: "mine.com" });
    expect(byHand.status).toBe(201);
    const engine = newEngine();
    await admin.clearRequests();
    const error = await failureOf(runProgram(engine, domainOnly("mine.com")));
    expect(error.message).toContain("set `adopt: true`");
    expect((await admin.requests()).log.filter((e) => e.method === "POST" || e.method === "DELETE")).toEqual([]);
    await engine.destroy();
    expect(await workspaceDomains()).toEqual(["mine.com"]);

    const adopted = await runProgram(engine, adopting("mine.com"));
    expect(adopted.outputs).toMatchObject({ domain: "mine.com", id: "mine.com", nameservers: byHand.body.dns.nameservers, created: byHand.body.created });
    // `adopt` is read only at create: dropping it later is no change.
    const mark = engine.steps.length;
    await runProgram(engine, domainOnly("mine.com"));
    expect(ops(engine, mark)).toEqual([`same ${DOMAIN_TYPE}::brand`]);
    await engine.destroy();
    expect(await workspaceDomains()).toEqual([]);
  });

  it("its own create whose answer was lost is found in the same run: one domain in state and in the workspace", async () => {
    await admin.setFaults([{ method: "POST", path: "/v1/domains", kind: "reset-after", count: 1 }]);
    const engine = newEngine();
    const { outputs } = await runProgram(engine, domainOnly("lost.com"));
    expect(outputs).toMatchObject({ domain: "lost.com", status: "pending", id: "lost.com" });
    expect((await admin.requests()).counters["POST /v1/domains"]).toBe(1);
    expect([...engine.state.values()].map((r) => [r.id, r.initErrors])).toEqual([["lost.com", undefined]]);
    expect(await workspaceDomains()).toEqual(["lost.com"]);
    await engine.destroy();
    expect(await workspaceDomains()).toEqual([]);
  });

  it("a 5xx to its create whose domain was not added is sent again: one domain", async () => {
    await admin.setFaults([{ method: "POST", path: "/v1/domains", kind: "status", status: 502, code: "bad_gateway", count: 1 }]);
    const engine = newEngine();
    await runProgram(engine, domainOnly("again.com"));
    expect((await admin.requests()).counters["POST /v1/domains"]).toBe(2);
    expect(await workspaceDomains()).toEqual(["again.com"]);
    await engine.destroy();
  });

  it("a lost answer whose lookup fails too is an init failure under the domain's name; the next up finishes it: one domain", async () => {
    await admin.setFaults([
      { method: "POST", path: "/v1/domains", kind: "reset-after", count: 1 },
      // The lookup before the create passes; every lookup after it fails.
      { method: "GET", path: "/v1/domains/unsure.com", kind: "status", status: 500, code: "internal_error", skip: 1 },
    ]);
    const engine = newEngine();
    const error = await failureOf(runProgram(engine, domainOnly("unsure.com")));
    expect(error.initFailure).toMatchObject({ id: "unsure.com", properties: expect.objectContaining({ domain: "unsure.com", status: "unconfirmed" }) });
    expect(error.message).toContain("Agent37 domain unsure.com may have been added, but that could not be confirmed");
    expect(engine.state.get(engine.urn(DOMAIN_TYPE, "brand"))).toMatchObject({ id: "unsure.com", initErrors: expect.any(Array) });
    await admin.clearFaults();
    await admin.clearRequests();
    const mark = engine.steps.length;
    const { outputs } = await runProgram(engine, domainOnly("unsure.com"));
    expect(ops(engine, mark)).toEqual([`update ${DOMAIN_TYPE}::brand`]);
    expect(outputs).toMatchObject({ domain: "unsure.com", status: "pending", nameservers: [expect.any(String), expect.any(String)] });
    expect((await admin.requests()).counters["POST /v1/domains"]).toBeUndefined();
    expect(await workspaceDomains()).toEqual(["unsure.com"]);
    expect(engine.state.get(engine.urn(DOMAIN_TYPE, "brand"))?.initErrors).toBeUndefined();
    await engine.destroy();
    expect(await workspaceDomains()).toEqual([]);
  });

  it("an init failure whose domain was never added adds it at the next up", async () => {
    await admin.setFaults([
      { method: "POST", path: "/v1/domains", kind: "reset-before", count: 5 },
      { method: "POST", path: "/v1/domains", kind: "status", status: 503, code: "service_unavailable", count: 1 },
      { method: "GET", path: "/v1/domains/never.com", kind: "status", status: 500, code: "internal_error", skip: 1 },
    ]);
    const engine = newEngine();
    const error = await failureOf(runProgram(engine, domainOnly("never.com")));
    expect(error.initFailure?.id).toBe("never.com");
    expect(await workspaceDomains()).toEqual([]);
    await admin.clearFaults();
    await runProgram(engine, domainOnly("never.com"));
    expect(await workspaceDomains()).toEqual(["never.com"]);
    await engine.destroy();
  });

  it("a run killed while its create is in flight: the next up refuses the domain it cannot prove its own; `adopt: true` ends with one domain", async () => {
    // An emulator that answers 800 ms after acting: the host is killed between the two.
    const slow = await startRig({ keys: [KEY], latencyMs: 800 }, KEY);
    const doomed = await startProviderHost();
    const slowApi = hostingApi(slow.emulator.url, KEY);
    const domains = async () => (await slowApi("GET", "/v1/domains")).body.data.map((d: { domain: string }) => d.domain);
    try {
      await doomed.configure(emulatorConfig(slow.emulator, KEY));
      const engine = new Engine(doomed);
      const killed = runProgram(engine, domainOnly("killed.com")).then(
        () => "resolved",
        () => "rejected",
      );
      const deadline = Date.now() + 15_000;
      const added = () =>
        slow.admin.holdDomain("killed.com", false).then(
          () => true,
          () => false,
        );
      while (!(await added())) {
        if (Date.now() > deadline) throw new Error("the create never took effect");
        await new Promise((r) => setTimeout(r, 10));
      }
      process.kill(doomed.pid, "SIGKILL");
      expect(await killed).toBe("rejected");
      expect(engine.state.size).toBe(0);

      // The next up (a new provider host, as a new `pulumi up` starts one).
      const next = new Engine(slow.host);
      const error = await failureOf(runProgram(next, domainOnly("killed.com")));
      expect(error.message).toContain("an earlier `pulumi up` of this resource was interrupted before Pulumi recorded it");
      expect(await domains()).toEqual(["killed.com"]);
      await runProgram(next, adopting("killed.com"));
      expect([...next.state.values()].map((r) => r.id)).toEqual(["killed.com"]);
      expect(await domains()).toEqual(["killed.com"]);
      await next.destroy();
      expect(await domains()).toEqual([]);
    } finally {
      await doomed.close();
      await slow.close();
    }
  });
});

describe("state written by 0.1.0", () => {
  it("loads with no change planned (no `adopt` recorded)", async () => {
    const urn = `urn:pulumi:dev::project::${DOMAIN_TYPE}::brand`;
    const inputs = await captureInputs(domainOnly("acme.com"));
    const checked = await host.check(urn, { ...inputs }, inputs);
    const recorded = { domain: "acme.com", status: "active", nameservers: ["ns1.dns.agent37.com", "ns2.dns.agent37.com"], dnsName: "acme.com", created: 1_780_000_000 };
    const diff = await host.diff(urn, "acme.com", recorded, checked.inputs, { domain: "acme.com" });
    expect([diff.changes, diff.replaces]).toEqual(["none", []]);
  });
});

describe("check refuses what Agent37 would refuse at up, naming `domain` and the rule, before any request", () => {
  it.each([
    ["192.168.1.10", /^domain must be a domain name such as acme-agents\.com, not an IP address$/],
    ["10.1", /^domain must end in a top-level domain of letters, not the number "1"/],
    ["acme.123", /^domain must end in a top-level domain of letters, not the number "123"/],
    ["www.acme-agents.com", /^domain must be an apex domain .*www\.acme-agents\.com is a subdomain of acme-agents\.com; declare acme-agents\.com$/],
    ["shop.acme.co.uk", /is a subdomain of acme\.co\.uk/],
    ["acme.github.io", /is a subdomain of github\.io/],
    ["co.uk", /not the public suffix co\.uk itself/],
    ["acme.test", /reserved top-level domain \.test/],
  ])("%s", async (name, reason) => {
    await admin.clearRequests();
    const inputs = await captureInputs(domainOnly(name));
    const checked = await host.check(`urn:pulumi:dev::project::${DOMAIN_TYPE}::brand`, {}, inputs);
    expect(checked.failures).toEqual([{ property: "domain", reason: expect.stringMatching(reason) }]);
    await expect(runProgram(newEngine(), domainOnly(name))).rejects.toThrow(/domain: domain /);
    expect(await admin.apiRequestCount()).toBe(0);
  });

  it("accepts apex names under multi-label public suffixes", async () => {
    const engine = newEngine();
    await runProgram(engine, domainOnly("acme.com.es"));
    expect(await workspaceDomains()).toEqual(["acme.com.es"]);
    await engine.destroy();
  });
});

describe("Agent37DomainVerification", () => {
  it("waits until the domain turns active (verifyMs 600), polling verify; the domain was pending when created", async () => {
    const engine = newEngine();
    const started = Date.now();
    const { outputs } = await runProgram(engine, verified("wait.com"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(VERIFY_MS - 5);
    expect(outputs).toMatchObject({ domain: "wait.com", domainStatus: "pending", verified: "active", timeoutSeconds: 3600 });
    expect(await verifyCalls("wait.com")).toBeGreaterThan(1);
    expect((await api("GET", "/v1/domains/wait.com")).body.status).toBe("active");
    await engine.destroy();
  });

  it("times out with an error naming the domain and the nameservers when the domain stays pending", async () => {
    const engine = newEngine();
    const { outputs } = await runProgram(engine, domainOnly("stuck.com"));
    await admin.holdDomain("stuck.com");
    const started = Date.now();
    const error = await failureOf(runProgram(engine, verified("stuck.com", 1)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const [ns1, ns2] = outputs.nameservers as string[];
    expect(error.message).toContain(`verifying Agent37 domain stuck.com: Agent37 domain stuck.com is still pending after 1 s`);
    expect(error.message).toContain(`must name ${ns1} and ${ns2}`);
    expect(error.message).toContain("raise timeoutSeconds");
    // Nothing to keep: the verification is not in state, the domain is.
    expect([...engine.state.values()].map((r) => r.type)).toEqual([DOMAIN_TYPE]);
    await engine.destroy();
  });

  it("diffs: a new timeout is an update without verifying again; another domain replaces", async () => {
    const engine = newEngine();
    await runProgram(engine, verified("a.com"));
    const calls = await verifyCalls("a.com");
    let mark = engine.steps.length;
    await runProgram(engine, verified("a.com"));
    expect(ops(engine, mark)).toEqual([`same ${DOMAIN_TYPE}::brand`, `same ${VERIFICATION_TYPE}::brand-verified`]);
    mark = engine.steps.length;
    const { outputs } = await runProgram(engine, verified("a.com", 60));
    expect(ops(engine, mark)).toEqual([`same ${DOMAIN_TYPE}::brand`, `update ${VERIFICATION_TYPE}::brand-verified`]);
    expect(outputs).toMatchObject({ verified: "active", timeoutSeconds: 60 });
    expect(await verifyCalls("a.com")).toBe(calls);

    const preview = await runProgram(engine, verified("b.com", 60), { preview: true });
    expect(preview.steps.map((s) => [s.op, s.replaces])).toEqual([
      ["replace", ["domain"]],
      ["replace", ["domain"]],
    ]);
    await engine.destroy();
  });

  it("delete does nothing (the domain stays active); refresh follows the domain and drops it when the domain is gone", async () => {
    const engine = newEngine();
    await runProgram(engine, verified("keep.com"));
    await admin.clearRequests();
    await runProgram(engine, domainOnly("keep.com"));
    expect([...engine.state.values()].map((r) => r.type)).toEqual([DOMAIN_TYPE]);
    expect((await admin.requests()).log.filter((e) => e.method === "DELETE")).toEqual([]);
    expect((await api("GET", "/v1/domains/keep.com")).body.status).toBe("active");

    await runProgram(engine, verified("keep.com"));
    await api("DELETE", "/v1/domains/keep.com");
    const steps = await engine.refresh();
    expect(steps.map((s) => s.gone)).toEqual([true, true]);
  });

  it("destroy of a domain and its verification succeeds when the domain is already gone", async () => {
    const engine = newEngine();
    await runProgram(engine, verified("vanished.com"));
    await api("DELETE", "/v1/domains/vanished.com");
    const steps = await engine.destroy();
    expect(steps.map((s) => [s.op, s.error])).toEqual([
      ["delete", undefined],
      ["delete", undefined],
    ]);
    expect(engine.state.size).toBe(0);
  });
});

describe("the API key", () => {
  it("never reaches the state of these resources or the provider host's output", async () => {
    const engine = newEngine();
    await runProgram(engine, verified("secret-probe.com"));
    await engine.refresh();
    expect(JSON.stringify([...engine.state.values()])).not.toContain(rig.key);
    await engine.destroy();
    const { stdout, stderr } = host.output();
    expect(stdout + stderr).not.toContain(rig.key);
  });
});

describe("Agent37Instance.domainUrls", () => {
  it("shows the mirror URLs once a domain is active and the instance is refreshed", async () => {
    const engine = newEngine();
    const program = () => {
      const agent = new Agent37Instance("agent", { template: "agent37-hermes-small", publicPorts: [{ port: 8644, prefix: "hooks" }] });
      return { id: agent.instanceId, domainUrls: agent.domainUrls, publicPorts: agent.publicPorts };
    };
    const first = await runProgram(engine, program);
    expect(first.outputs.domainUrls).toEqual([]);
    await runProgram(engine, () => ({ ...program(), ...verified("mirror.com")() }));
    const id = first.outputs.id as string;
    await engine.refresh();
    const agent = [...engine.state.values()].find((r) => r.type === "pulumi-nodejs:dynamic/agent37:Instance");
    const port = rig.emulator.port;
    expect(agent?.outputs.domainUrls).toEqual([`http://${id}.mirror.com.localhost:${port}`]);
    expect((agent?.outputs.publicPorts as { domainUrls: string[] }[])[0]?.domainUrls).toEqual([`http://hooks-${id}.mirror.com.localhost:${port}`]);
    await engine.destroy();
  });
});
