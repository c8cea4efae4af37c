// The provider's own resource (`pulumi:providers:agent37`, the default provider from stack config
// or `new agent37.Provider(...)`): CheckConfig, DiffConfig, and the configuration Configure hands
// every module. The rules are the dynamic door's (core/settings.ts, and the create scope's in
// core/create-key.ts); this module only maps the provider resource's wire inputs onto them.
import { randomBytes } from "node:crypto";
import { isUnknown, unwrapSecrets, withSecrets } from "../../core/check";
import { CREATE_SCOPE_KEY, createScopeOf } from "../../core/create-key";
import { jsonEqual } from "../../core/json";
import { SECRET_CONFIG_KEYS } from "../../core/schema";
import { CONFIG_KEYS, configFailures, type ConfigSource } from "../../core/settings";
import * as pb from "../grpc/messages";

/** `CheckConfig`: the failures, and the inputs the engine stores, with the create scope. */
export function checkConfig(req: pb.CheckRequest): Uint8Array {
  const news = req.news ?? {};
  // The checked config is what the engine stores: secret keys go back secret, whether or not
  // they came in as secrets (a value still unknown at preview stays the plain sentinel).
  const secrets = SECRET_CONFIG_KEYS.filter((k) => news[k] !== null && !isUnknown(news[k]));
  const failures = configFailures(unwrapSecrets(news), isUnknown);
  // The create scope goes into the stored inputs, the recorded one kept (core/create-key.ts).
  const scope = createScopeOf(unwrapSecrets(req.olds ?? {})[CREATE_SCOPE_KEY], unwrapSecrets(news)[CREATE_SCOPE_KEY], () => randomBytes(16).toString("hex"));
  return pb.checkResponse({ inputs: withSecrets({ ...news, [CREATE_SCOPE_KEY]: scope }, secrets), failures });
}

/**
 * `DiffConfig`: the changed keys. None of them replaces the provider: a new key or URL manages
 * the same resources from then on, so no resource is replaced because of it.
 */
export function diffConfig(req: pb.DiffRequest): Uint8Array {
  const olds = unwrapSecrets(req.oldInputs ?? req.olds ?? {});
  const news = unwrapSecrets(req.news ?? {});
  const changed = CONFIG_KEYS.filter((k) => !jsonEqual(olds[k] ?? null, news[k] ?? null));
  return pb.diffResponse({
    changes: changed.length > 0 ? pb.DiffChanges.SOME : pb.DiffChanges.NONE,
    diffs: changed,
    detailedDiff: changed.map((k) => [k, { kind: pb.PropertyDiffKind.UPDATE, inputDiff: true }] as const),
    hasDetailedDiff: true,
  });
}

/**
 * `Configure`'s configuration as a `ConfigSource` over the provider inputs (`args`). The
 * deprecated `variables` map (`agent37:config:apiKey`) is read when `args` lacks a key, for
 * engines that send only it.
 */
export function configOf(req: pb.ConfigureRequest): ConfigSource {
  const args = unwrapSecrets(req.args ?? {});
  const variables = req.variables;
  return {
    get(key: string): string | undefined {
      const name = key.startsWith("agent37:") ? key.slice("agent37:".length) : key;
      const v = args[name];
      if (typeof v === "string") return v;
      return variables.get(`agent37:config:${name}`);
    },
  };
}
