// What an Agent37Exec records after a create or update, from the inputs alone (no API call):
// the planned outputs a preview shows. The inputs' echoes are known (an omitted one as its
// default, fields.ts); the result of a run that is still to happen (exit code, output, time) is
// unknown. An update that only stores new `delete` or `waitForRunning` values runs nothing, so
// the last run's result stays known.
import { UNKNOWN } from "../core/check";
import { plannedOutputs, type Loose } from "../core/declare";
import { execChanges } from "./diff";
import { EXEC } from "./fields";
import { isSecretRun, streams } from "./schema";

/** The outputs a run gives (planned unknown until it has run). */
const RESULT_KEYS = Object.keys(EXEC.outputs).filter((k) => EXEC.outputs[k]?.plan === "unknown");

/**
 * Planned outputs of an update: a re-run makes its result unknown; a stored-only change keeps the
 * last one. Over decoded values (the adapters unwrap secrets).
 */
export function plannedExecUpdateOutputs(olds: Loose, news: Loose): Loose {
  const changes = execChanges(olds, news);
  const echoes = plannedOutputs(EXEC, news, UNKNOWN);
  for (const k of RESULT_KEYS) delete echoes[k];
  const out: Loose = { ...olds, ...echoes };
  if (changes.rerun.length > 0 || changes.replace.length > 0) for (const k of RESULT_KEYS) out[k] = UNKNOWN;
  // Streams kept from the last run stay as secret as the run makes them.
  else Object.assign(out, streams(olds, isSecretRun({ ...olds, ...news })));
  return out;
}
