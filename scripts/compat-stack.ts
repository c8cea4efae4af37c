// The stack the compatibility fixtures hold: one resource of every type, declared the same way
// through each door. Shared by the recorder (scripts/record-compat-0.1.0.ts, run against the
// released code) and the replay (test/compat/replay-0.1.0.test.ts, run against today's code), so
// the replayed program is the recorded one.
import type * as Provider from "../provider";

/** The emulator's key for the recording: a test key, not a real-looking one. */
export const FIXTURE_KEY = "sk_live_compat_fixture_0000";
export const PROJECT = "compat";
export const STACK = "v010";

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHfsi5EBvW+wfqma9iMNl42mXgfiCj63CxE8VSOHv0S5 test@ed25519";
const RSA =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCeHBcYh3RZ3+zEmUXmq18/0U2KOA1I/SetjFD/BNSm5o6MtEK1E4j1WsMaejfKbsHHJdCRwVG9T/aqu6uiji3SlW3M3p5xwD3Naqv7h9SvmyJq3Izi27gkH72rbE+s5syAD6PivzNWncI7jhR8vunj/3POyOOqzFosFePFrtmNGgEYGvWcrTRRQljSkHTlOtwkqsR/5hDoGfPEo0tpnPZLjpyQZQgYTo3ejWlWqrmCvHi1fPY1uhoHQ+m1D75qSb/dT5B0LXq8r+JbsokrmTbfAMgawLU3ZW7hNTk6ex6j22MdAlTA5/5Q+CDTzkMrCIetddZW4FL9bBMKhHNc3bfd test@rsab2048";

const template = { imageRef: "ghcr.io/acme/agent:1.0.0", defaultPort: 8000, description: "recorded by 0.1.0" };

/** The dynamic door's program, with the resource classes of the package given (0.1.0's or today's). */
export function dynamicProgram(lib: typeof Provider): () => Record<string, never> {
  return () => {
    const instance = new lib.Agent37Instance("agent", { name: "compat-dynamic", template: "agent37-hermes", env: { GREETING: "hello" }, metadata: { team: "compat" } });
    new lib.Agent37Exec("hello", { instanceId: instance.instanceId, create: "echo hello", environment: { WHO: "compat" } });
    new lib.Agent37Template("tpl", { name: "compat-dynamic", ...template });
    const domain = new lib.Agent37Domain("domain", { domain: "compat-dynamic.com" });
    new lib.Agent37DomainVerification("verification", { domain: domain.domain, timeoutSeconds: 60 });
    new lib.Agent37SshKey("key", { publicKey: ED25519, name: "compat-dynamic" });
    return {};
  };
}

/** One registration through the plugin: its token's type, name and inputs (given the outputs registered before it). */
export interface PluginDeclaration {
  type: string;
  name: string;
  inputs(earlier: (name: string) => { id: string; outputs: Record<string, unknown> }): Record<string, unknown>;
}

/** The plugin door's registrations, in order, under the plugin's tokens. */
export const PLUGIN_DECLARATIONS: PluginDeclaration[] = [
  { type: "agent37:index:Instance", name: "agent", inputs: () => ({ name: "compat-plugin", template: "agent37-hermes", env: { GREETING: "hello" }, metadata: { team: "compat" } }) },
  { type: "agent37:index:Exec", name: "hello", inputs: (earlier) => ({ instanceId: earlier("agent").id, create: "echo hello", environment: { WHO: "compat" } }) },
  { type: "agent37:index:Template", name: "tpl", inputs: () => ({ name: "compat-plugin", ...template }) },
  { type: "agent37:index:Domain", name: "domain", inputs: () => ({ domain: "compat-plugin.com" }) },
  { type: "agent37:index:DomainVerification", name: "verification", inputs: (earlier) => ({ domain: earlier("domain").outputs.domain, timeoutSeconds: 60 }) },
  { type: "agent37:index:SshKey", name: "key", inputs: () => ({ publicKey: RSA, name: "compat-plugin" }) },
];
