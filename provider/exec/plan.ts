// What an Agent37Exec records after a create or update, from the inputs alone (no API call):
// the planned outputs a preview shows. The inputs' echoes are known; the result of a run that
// is still to happen (exit code, output, time) is unknown. An update that only stores new
// `delete` or `waitForRunning` values runs nothing, so the last run's result stays known.
import { UNKNOWN, unwrapSecrets } from "../core/check";
import { execChanges } from "./diff";
import { isSecretRun, streams } from "./schema";

type Loose = Record<string, unknown>;

const RESULT_KEYS = ["exitCode", "stdout", "stderr", "truncated", "ranAt"] as const;

function echoes(news: Loose): Loose {
  const v = (k: string, fallback: unknown): unknown => (news[k] === undefined || news[k] === null ? fallback : news[k]);
  return {
    instanceId: v("instanceId", UNKNOWN),
    create: v("create", UNKNOWN),
    update: v("update", null),
    delete: v("delete", null),
    triggers: v("triggers", []),
    environment: v("environment", {}),
    expectExitCode: v("expectExitCode", 0),
    waitForRunning: v("waitForRunning", true),
    secretInputs: v("secretInputs", false),
    instanceEnv: v("instanceEnv", {}),
  };
}

/** Planned outputs of a create: the command has not run yet. */
export function plannedExecCreateOutputs(newsRaw: Loose): Loose {
  const out = echoes(unwrapSecrets(newsRaw ?? {}));
  for (const k of RESULT_KEYS) out[k] = UNKNOWN;
  return out;
}

/** Planned outputs of an update: a re-run makes its result unknown; a stored-only change keeps the last one. */
export function plannedExecUpdateOutputs(oldsRaw: Loose, newsRaw: Loose): Loose {
  const olds = unwrapSecrets(oldsRaw ?? {});
  const news = unwrapSecrets(newsRaw ?? {});
  const changes = execChanges(olds, news);
  const out: Loose = { ...olds, ...echoes(news) };
  if (changes.rerun.length > 0 || changes.replace.length > 0) for (const k of RESULT_KEYS) out[k] = UNKNOWN;
  // Streams kept from the last run stay as secret as the run makes them.
  else Object.assign(out, streams(olds, isSecretRun({ ...olds, ...news })));
  return out;
}

/** Per-input change kinds, for a detailed diff. */
export function execFieldChanges(olds: Loose, news: Loose): Map<string, "update" | "replace"> {
  const c = execChanges(olds, news);
  const out = new Map<string, "update" | "replace">();
  for (const k of [...c.rerun, ...c.store]) out.set(k, "update");
  for (const k of c.replace) out.set(k, "replace");
  return out;
}
