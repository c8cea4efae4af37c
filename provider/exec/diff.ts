// `diff` for Agent37Exec: pure. The engine passes the recorded *outputs* as `olds`; they echo
// the inputs. A changed instance replaces (the commands ran in another instance); a change of
// what runs re-runs it in place; a change of `delete` or `waitForRunning` alone is stored
// without running anything. Unknown values (preview) count as changes. Missing old fields
// (state from an earlier version) compare as their defaults.
import { containsUnknown, isUnknown } from "../core/check";
import type { Loose } from "../core/declare";
import { jsonEqual } from "../core/wire";
import { EXEC } from "./fields";

/** Inputs whose change re-runs the command (`update`, or `create` when no `update` is set). */
export const RERUN_INPUTS = ["create", "update", "triggers", "environment", "expectExitCode"] as const;
/** Inputs whose change is recorded without running anything. */
export const STORE_ONLY_INPUTS = ["delete", "waitForRunning", "secretInputs", "instanceEnv"] as const;
/** Inputs whose change replaces the resource. */
export const EXEC_REPLACE_INPUTS = Object.keys(EXEC.inputs).filter((k) => EXEC.inputs[k]?.onChange === "replace");

/** What an omitted input stands for (fields.ts). */
const DEFAULTS: Loose = Object.fromEntries(Object.entries(EXEC.inputs).flatMap(([k, f]) => (f.default === undefined ? [] : [[k, f.default]])));

/** The value an input stands for, with absence read as its default. */
export function normalized(values: Loose, key: string): unknown {
  const v = values[key];
  if (v === undefined || v === null || v === "") return DEFAULTS[key] ?? null;
  return v;
}

function differs(olds: Loose, news: Loose, key: string): boolean {
  const n = news[key];
  if (isUnknown(n) || containsUnknown(n)) return true;
  return !jsonEqual(normalized(olds, key), normalized(news, key));
}

/** Which inputs changed, by kind; over decoded values (the adapters unwrap secrets). */
export function execChanges(olds: Loose, news: Loose): { replace: string[]; rerun: string[]; store: string[] } {
  return {
    replace: EXEC_REPLACE_INPUTS.filter((k) => differs(olds, news, k)),
    rerun: RERUN_INPUTS.filter((k) => differs(olds, news, k)),
    store: STORE_ONLY_INPUTS.filter((k) => differs(olds, news, k)),
  };
}

export function diffExec(olds: Loose, news: Loose): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  const c = execChanges(olds, news);
  return {
    changes: c.replace.length + c.rerun.length + c.store.length > 0,
    replaces: c.replace,
    deleteBeforeReplace: false,
  };
}
