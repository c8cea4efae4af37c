// Errors say the user's operation first and the request second: a wrong API key in every
// resource's create, refresh, update and delete, through Pulumi's dynamic provider host, against
// the emulator (which answers a key it does not know with 401 invalid_api_key).
import { Agent37Domain, Agent37Exec, Agent37Instance, Agent37SshKey, Agent37Template } from "pulumi-agent37";
import { emulatorConfig, Engine, HostError, runProgram, startProviderHost, startRig, type Program, type ProviderHost, type Rig } from "../harness";
import { SSH_KEY_VECTORS } from "../harness/fixtures/ssh-keys";

const WRONG_KEY = "sk_live_wrongKeyForOperationErrors01";
const ED = SSH_KEY_VECTORS[0]!;

let rig: Rig;
let wrong: ProviderHost;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 20, bootMs: 20, lifecycleMs: 20, deleteMs: 20, ingestMs: 5 });
  wrong = await startProviderHost();
  await wrong.configure(emulatorConfig(rig.emulator, WRONG_KEY));
});
afterAll(async () => {
  await wrong?.close();
  await rig?.close();
});

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HostError) return err.message;
    throw err;
  }
  throw new Error("expected the operation to fail");
}

/** `pattern` must be where the provider's message starts (after what the host puts in front). */
function expectOperationFirst(message: string, start: string, request: RegExp): void {
  expect(message).toContain(start);
  const rest = message.slice(message.indexOf(start) + start.length);
  expect(rest).toMatch(request);
  expect(message).not.toContain(WRONG_KEY);
}

const UNAUTHORIZED = /^Agent37 answered 401: (GET|POST|PUT|PATCH|DELETE) http:\/\/127\.0\.0\.1:\d+\/v1\/\S+: invalid_api_key: /;

describe("a wrong API key", () => {
  it("in an instance's create names the create, then the check for an unfinished create, then the request", async () => {
    const message = await failure(runProgram(new Engine(wrong), () => ({ url: new Agent37Instance("web", { name: "web" }).url })));
    expectOperationFirst(message, 'creating Agent37 instance "web": checking for an unfinished create: ', /^Agent37 answered 401: GET http:\/\/127\.0\.0\.1:\d+\/v1\/instances: invalid_api_key: /);
  });

  // Each resource made with the right key, then refreshed, updated and deleted with the wrong one.
  const cases: { what: string; type: string; program: Program; changed?: Program; create: string; op: (id: string) => [string, string, string] }[] = [
    {
      what: "an instance",
      type: "Instance",
      program: () => ({ id: new Agent37Instance("box", { name: "box", env: { A: "1" } }).instanceId }),
      changed: () => ({ id: new Agent37Instance("box", { name: "box", env: { A: "1" }, state: "stopped" }).instanceId }),
      create: 'creating Agent37 instance "box": ',
      op: (id) => [`refreshing Agent37 instance ${id}: `, `updating Agent37 instance ${id}: `, `deleting Agent37 instance ${id}: `],
    },
    {
      what: "a template",
      type: "Template",
      program: () => ({ id: new Agent37Template("tpl", { name: "ops-agent", imageRef: "ghcr.io/acme/agent:1" }).name }),
      changed: () => ({ id: new Agent37Template("tpl", { name: "ops-agent", imageRef: "ghcr.io/acme/agent:1", description: "changed" }).name }),
      create: 'creating Agent37 template "ops-agent": ',
      op: (id) => [`refreshing Agent37 template "${id}": `, `updating Agent37 template "${id}": `, `deleting Agent37 template "${id}": `],
    },
    {
      what: "an SSH key",
      type: "SshKey",
      program: () => ({ id: new Agent37SshKey("key", { publicKey: ED.line, name: "ci" }).keyId }),
      create: `adding Agent37 SSH key ${ED.fingerprint} "ci": `,
      op: (id) => [`refreshing Agent37 SSH key ${id}: `, "", `deleting Agent37 SSH key ${id}: `],
    },
    {
      what: "a domain",
      type: "Domain",
      program: () => ({ id: new Agent37Domain("brand", { domain: "operation-errors.com" }).domain }),
      create: "adding Agent37 domain operation-errors.com: ",
      op: (id) => [`refreshing Agent37 domain ${id}: `, "", `deleting Agent37 domain ${id}: `],
    },
  ];

  it.each(cases)("in $what's create, refresh, update and delete names the operation first", async (c) => {
    expectOperationFirst(await failure(runProgram(new Engine(wrong), c.program)), c.create, /^(checking for an unfinished create: )?Agent37 answered 401: /);
    const right = new Engine(rig.host);
    await runProgram(right, c.program);
    const bad = new Engine(wrong);
    for (const [urn, res] of right.state) bad.state.set(urn, res);
    const [refresh, update, remove] = c.op([...right.state.values()].find((r) => r.type.endsWith(`:${c.type}`))!.id);
    expectOperationFirst(await failure(bad.refresh()), refresh, UNAUTHORIZED);
    if (c.changed) expectOperationFirst(await failure(runProgram(bad, c.changed, { deleteRemoved: false })), update, UNAUTHORIZED);
    expectOperationFirst(await failure(bad.destroy()), remove, UNAUTHORIZED);
    await right.destroy();
  });

  it("in an exec's create, update, refresh and delete names the command first", async () => {
    const right = new Engine(rig.host);
    const sandbox = () => new Agent37Instance("sandbox", { template: "sandbox" });
    const exec = (trigger: string) => () => {
      const box = sandbox();
      return { code: new Agent37Exec("setup", { instanceId: box.instanceId, create: "true", delete: "true", triggers: [trigger] }).exitCode };
    };
    await runProgram(right, () => ({ id: sandbox().instanceId }));
    const id = [...right.state.values()][0]!.id;
    const create = await failure(runProgram(new Engine(wrong), () => ({ code: new Agent37Exec("setup", { instanceId: id, create: "true" }).exitCode })));
    expectOperationFirst(create, `Agent37Exec create command \`true\` in instance ${id}: `, UNAUTHORIZED);

    await runProgram(right, exec("a"));
    const execRes = [...right.state.values()].find((r) => r.type.endsWith(":Exec"))!;
    const bad = new Engine(wrong);
    for (const [urn, res] of right.state) bad.state.set(urn, res);
    expectOperationFirst(await failure(runProgram(bad, exec("b"), { deleteRemoved: false })), `Agent37Exec update command \`true\` in instance ${id}: `, UNAUTHORIZED);
    bad.state.clear();
    bad.state.set(execRes.urn, execRes);
    expectOperationFirst(await failure(bad.refresh()), `refreshing Agent37Exec ${execRes.id}: reading its instance ${id}: `, UNAUTHORIZED);
    expectOperationFirst(await failure(bad.delete(execRes.urn)), `Agent37Exec delete command \`true\` in instance ${id}: `, UNAUTHORIZED);
    await right.destroy();
  });
});
