// The pure parts of the domain and SSH key resources (what another front door reuses), their
// resource classes as programs declare them, and one provider call against a workspace below
// the domain tier. It lives with the domain's tests: its cases cover the three resources together
// (one program declares all three), and two of them, and the tier, are the domain's.
import {
  Agent37Domain,
  Agent37DomainVerification,
  Agent37SshKey,
  createDomainProvider,
  DOMAIN_STABLE_OUTPUTS,
  domainChanges,
  sshKeyChanges,
  sshKeyFingerprint,
  SSH_KEY_STABLE_OUTPUTS,
  VERIFICATION_STABLE_OUTPUTS,
  verificationChanges,
} from "pulumi-agent37";
import { captureInputs, PROVIDER_KEY, runUnderMocks, startTestEmulator, UNKNOWN } from "../harness";
import { SSH_KEY_VECTORS } from "../harness/fixtures/ssh-keys";

const ED = SSH_KEY_VECTORS[0]!;

describe("per-property change kinds", () => {
  it("Agent37Domain: another domain replaces; the same is no change", () => {
    expect(domainChanges({ domain: "a.com" }, { domain: "a.com" })).toEqual({});
    expect(domainChanges({ domain: "a.com" }, { domain: "b.com" })).toEqual({ domain: "replace" });
    expect(domainChanges({ domain: "a.com" }, { domain: UNKNOWN })).toEqual({ domain: "replace" });
    expect(DOMAIN_STABLE_OUTPUTS).toEqual(["domain", "status", "nameservers", "dnsName", "created"]);
  });

  it("Agent37DomainVerification: domain replaces, timeoutSeconds updates; an absent timeout is the default 3600", () => {
    expect(verificationChanges({ domain: "a.com", timeoutSeconds: 3600 }, { domain: "a.com" })).toEqual({});
    expect(verificationChanges({ domain: "a.com", timeoutSeconds: 3600 }, { domain: "a.com", timeoutSeconds: 60 })).toEqual({ timeoutSeconds: "update" });
    expect(verificationChanges({ domain: "a.com" }, { domain: "b.com", timeoutSeconds: 60 })).toEqual({ domain: "replace", timeoutSeconds: "update" });
    expect(VERIFICATION_STABLE_OUTPUTS).toEqual(["domain", "status"]);
  });

  it("Agent37SshKey: the key (by fingerprint) and a declared name replace; an undeclared name is no change", () => {
    const olds = { publicKey: ED.line, fingerprint: ED.fingerprint, name: "laptop" };
    expect(sshKeyChanges(olds, { publicKey: `${ED.line} x`, fingerprint: ED.fingerprint })).toEqual({});
    expect(sshKeyChanges(olds, { fingerprint: ED.fingerprint, name: "desk" })).toEqual({ name: "replace" });
    expect(sshKeyChanges(olds, { fingerprint: SSH_KEY_VECTORS[1]!.fingerprint, name: "laptop" })).toEqual({ fingerprint: "replace" });
    expect(sshKeyChanges(olds, { fingerprint: UNKNOWN })).toEqual({ fingerprint: "replace" });
    expect(SSH_KEY_STABLE_OUTPUTS).toContain("keyId");
  });

  it("sshKeyFingerprint is OpenSSH's, and undefined for a line that is not a key", () => {
    for (const v of SSH_KEY_VECTORS) expect(sshKeyFingerprint(v.line)).toBe(v.fingerprint);
    expect(sshKeyFingerprint("not a key")).toBeUndefined();
  });
});

describe("resource classes", () => {
  const declare = () => {
    const d = new Agent37Domain("d", { domain: "acme.com" });
    new Agent37DomainVerification("v", { domain: d.domain });
    new Agent37SshKey("k", { publicKey: ED.line });
    return {};
  };

  it("register under pulumi-nodejs:dynamic/agent37:Domain, :DomainVerification, :SshKey", async () => {
    const types: string[] = [];
    await runUnderMocks(declare, async (args) => {
      types.push(args.type);
      return { id: "x", state: args.inputs };
    });
    expect(types.filter((t) => t.startsWith("pulumi-nodejs:dynamic/agent37:")).sort()).toEqual([
      "pulumi-nodejs:dynamic/agent37:Domain",
      "pulumi-nodejs:dynamic/agent37:DomainVerification",
      "pulumi-nodejs:dynamic/agent37:SshKey",
    ]);
  });

  it.each([
    ["domainProvider", () => new Agent37Domain("d", { domain: "acme.com" })],
    ["domainVerificationProvider", () => new Agent37DomainVerification("v", { domain: "acme.com" })],
    ["sshKeyProvider", () => new Agent37SshKey("k", { publicKey: ED.line })],
  ])("serialize a provider under 2 KB that loads %s by package name and captures no key", async (entry, make) => {
    process.env.AGENT37_API_KEY = "sk_live_domainsSerializationProbe01";
    try {
      const provider = (await captureInputs(() => (make(), {})))[PROVIDER_KEY] as string;
      expect(Buffer.byteLength(provider)).toBeLessThan(2048);
      expect(provider).toContain('require("pulumi-agent37/dynamic")');
      expect(provider).toContain(`entry: "${entry}"`);
      expect(provider).not.toContain("sk_live_");
    } finally {
      delete process.env.AGENT37_API_KEY;
    }
  });
});

describe("the domain tier", () => {
  it("a workspace below $100 of top-ups gets tier_limit with advice about domains, not instance shapes", async () => {
    const key = "sk_live_domainsStarterWorkspace001";
    const emulator = await startTestEmulator({ workspaces: [{ key, topUpsMicros: 25_000_000 }] });
    try {
      const provider = createDomainProvider({ settings: { apiUrl: emulator.url, apiKey: key } });
      const err = (await provider.create({ domain: "acme.com" }).catch((e: unknown) => e)) as Error & { code?: string };
      expect(err.code).toBe("tier_limit");
      expect(err.message).toMatch(/^adding Agent37 domain acme\.com: Agent37 answered 403: POST .*\/v1\/domains: tier_limit/);
      expect(err.message).toContain("What to do: Custom domains need top-ups totalling at least $100");
      expect(err.message).not.toContain("resources");
      expect(err.message).not.toContain(key);
    } finally {
      await emulator.close();
    }
  });
});
