import { parseSshPublicKey } from "../../emulator/ssh";
import { pastedPrivateKeys, quotesAnyOf, randomEd25519Line, SSH_KEY_VECTORS } from "../harness/fixtures/ssh-keys";
import { OTHER_KEY, startTest, type Json, type TestClient } from "./helpers";

describe("OpenSSH public key parsing", () => {
  it.each(SSH_KEY_VECTORS.map((v) => [v.type, v]))("reads a %s line and computes the fingerprint ssh-keygen prints", (_type, v) => {
    const r = parseSshPublicKey(v.line);
    expect(r).toMatchObject({ ok: true, key: { type: v.type, fingerprint: v.fingerprint } });
  });

  it("keeps the comment, trims the line and ignores the comment for the fingerprint", () => {
    const v = SSH_KEY_VECTORS[0]!;
    const [type, data] = v.line.split(" ");
    const r = parseSshPublicKey(`  ${type} ${data}   laptop key \n`);
    expect(r).toEqual({ ok: true, key: expect.objectContaining({ comment: "laptop key", fingerprint: v.fingerprint }) });
    expect(parseSshPublicKey(`${type} ${data}`)).toEqual({ ok: true, key: expect.objectContaining({ comment: null, fingerprint: v.fingerprint }) });
  });

  const ed = SSH_KEY_VECTORS[0]!.line;
  const edData = ed.split(" ")[1]!;
  it.each([
    ["empty", "", /is empty/],
    ["two lines", `${ed}\n${ed}`, /single line/],
    ["an unsupported type", `ssh-dss ${edData}`, /not supported \(supported: ssh-ed25519, ssh-rsa/],
    ["authorized_keys options", `no-pty ${ed}`, /has something before the key type \(authorized_keys options/],
    ["no key data", "ssh-ed25519", /no key data/],
    ["bad base64", "ssh-ed25519 AAAA$$$$", /not valid base64/],
    ["a type that disagrees with its data", `ssh-rsa ${edData}`, /says ssh-rsa but its key data is a "ssh-ed25519" key/],
    ["a truncated key", `ssh-ed25519 ${edData.slice(0, 40)}`, /is not a valid key: the ssh-ed25519 key is not 32 bytes/],
    ["a PEM block", "-----BEGIN PUBLIC KEY-----", /PEM/],
  ])("refuses %s with a reason", (_label, line, reason) => {
    const r = parseSshPublicKey(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("refuses an RSA key shorter than 1024 bits and an ECDSA point of the wrong curve size", () => {
    const s = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const rsa = Buffer.concat([s(Buffer.from("ssh-rsa")), s(Buffer.from([1, 0, 1])), s(Buffer.alloc(64, 0xab))]);
    expect(parseSshPublicKey(`ssh-rsa ${rsa.toString("base64")}`)).toEqual({ ok: false, reason: expect.stringMatching(/shorter than 1024 bits/) });
    const ec = Buffer.concat([s(Buffer.from("ecdsa-sha2-nistp256")), s(Buffer.from("nistp256")), s(Buffer.alloc(97, 4))]);
    expect(parseSshPublicKey(`ecdsa-sha2-nistp256 ${ec.toString("base64")}`)).toEqual({ ok: false, reason: expect.stringMatching(/not an uncompressed nistp256 point/) });
  });
});

describe("/v1/ssh-keys", () => {
  const KEY = "sk_live_sshKeysWorkspace000000001";
  let c: TestClient;
  beforeAll(async () => {
    c = await startTest({ keys: [KEY, OTHER_KEY] });
  });
  afterAll(() => c.close());
  beforeEach(async () => {
    await c.admin("POST", "/_emulator/reset");
  });

  it("adds a key (201) with OpenSSH's fingerprint and lists it without the public key", async () => {
    const v = SSH_KEY_VECTORS[1]!;
    const r = await c.api("POST", "/v1/ssh-keys", { public_key: v.line, name: "ci" });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.stringMatching(/^key_[a-z0-9]{16}$/), name: "ci", fingerprint: v.fingerprint, type: "ssh-rsa", created: expect.any(Number) });
    const list = await c.api("GET", "/v1/ssh-keys");
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [r.body] });
    expect(list.text).not.toContain(v.line.split(" ")[1]!.slice(20, 60));
  });

  it("names a key after its comment when no name is given", async () => {
    const r = await c.api("POST", "/v1/ssh-keys", { public_key: randomEd25519Line("me@laptop") });
    expect(r.body.name).toBe("me@laptop");
  });

  it("lists newest first, per workspace", async () => {
    const a = await c.api("POST", "/v1/ssh-keys", { public_key: randomEd25519Line() });
    const b = await c.api("POST", "/v1/ssh-keys", { public_key: randomEd25519Line() });
    await c.api("POST", "/v1/ssh-keys", { public_key: randomEd25519Line() }, OTHER_KEY);
    const list = await c.api("GET", "/v1/ssh-keys");
    expect(list.body.data.map((k: Json) => k.id)).toEqual([b.body.id, a.body.id]);
  });

  it("answers 409 ssh_key_exists for a fingerprint the workspace already has (another comment changes nothing)", async () => {
    const v = SSH_KEY_VECTORS[0]!;
    const first = await c.api("POST", "/v1/ssh-keys", { public_key: v.line });
    const again = await c.api("POST", "/v1/ssh-keys", { public_key: `${v.line.split(" ").slice(0, 2).join(" ")} other-comment`, name: "again" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ssh_key_exists");
    expect(again.body.error.message).toContain(first.body.id);
    // Another workspace may hold the same key.
    expect((await c.api("POST", "/v1/ssh-keys", { public_key: v.line }, OTHER_KEY)).status).toBe(201);
    expect((await c.api("GET", "/v1/ssh-keys")).body.data).toHaveLength(1);
  });

  it("refuses the 21st key with 400 invalid_request", async () => {
    for (let i = 0; i < 20; i++) expect((await c.api("POST", "/v1/ssh-keys", { public_key: randomEd25519Line() })).status).toBe(201);
    const r = await c.api("POST", "/v1/ssh-keys", { public_key: randomEd25519Line() });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: "invalid_request", message: expect.stringMatching(/maximum of 20 SSH keys/) });
  });

  it.each([
    ["a bad key", { public_key: "ssh-ed25519 no-pe" }, /`public_key` has key data that is not valid base64/],
    ["an unsupported type", { public_key: "ssh-dss AAAAB3NzaC1kc3M=" }, /`public_key` has type "ssh-dss", which is not supported/],
    ["a missing key", { name: "x" }, /`public_key` is required/],
    ["an unknown field", { public_key: randomEd25519Line(), comment: "x" }, /unknown field `comment`/],
  ])("answers 400 invalid_request for %s", async (_label, body, message) => {
    const r = await c.api("POST", "/v1/ssh-keys", body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    expect(r.body.error.message).toMatch(message);
  });

  it.each(pastedPrivateKeys().map((k) => [k.label, k.line]))("answers 400 to %s without quoting any of it", async (_label, line) => {
    const r = await c.api("POST", "/v1/ssh-keys", { public_key: line });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    expect(quotesAnyOf(r.text, line)).toBeUndefined();
  });

  it("deletes once; a repeat and another workspace's id are 404", async () => {
    const k = await c.api("POST", "/v1/ssh-keys", { public_key: randomEd25519Line() });
    expect((await c.api("DELETE", `/v1/ssh-keys/${k.body.id}`, undefined, OTHER_KEY)).status).toBe(404);
    const del = await c.api("DELETE", `/v1/ssh-keys/${k.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: k.body.id, deleted: true });
    const again = await c.api("DELETE", `/v1/ssh-keys/${k.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
  });

  it("requires a key like every /v1 path", async () => {
    expect((await c.raw("GET", "/v1/ssh-keys")).status).toBe(401);
  });
});
