import { epochSeconds } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import type { InstanceRecord } from "../model";
import type { ApiContext } from "./context";
import { requireInstance } from "./instances";
import { BudgetPatchBody, parseWith, TopUpBody } from "./validate";

/** Budgets. The emulator makes no managed calls, so nothing is ever consumed. */

function period(d = new Date()): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

function budgetObject(rec: InstanceRecord): Record<string, unknown> {
  const consumed = 0;
  return {
    monthly_cap_micros: rec.budget.monthlyCapMicros,
    monthly_consumed_micros: consumed,
    monthly_remaining_micros: Math.max(0, rec.budget.monthlyCapMicros - consumed),
    monthly_period: period(),
    credit_remaining_micros: rec.budget.creditRemainingMicros,
    updated_at: rec.budget.updatedAt,
  };
}

export function budgetGet(ctx: ApiContext): Promise<Reply> {
  return Promise.resolve(json(200, budgetObject(requireInstance(ctx))));
}

export async function budgetPatch(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const body = parseWith(BudgetPatchBody, await ctx.body());
  rec.budget.monthlyCapMicros = body.monthly_cap_micros;
  rec.budget.updatedAt = epochSeconds();
  ctx.rt.store.changed();
  return json(200, budgetObject(rec));
}

export async function budgetTopUp(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const body = parseWith(TopUpBody, await ctx.body());
  // A repeated idempotency key answers the current budget without adding again (documented).
  if (body.idempotency_key !== undefined && rec.budget.topUpKeys.includes(body.idempotency_key)) return json(200, budgetObject(rec));
  rec.budget.creditRemainingMicros += body.amount_micros;
  rec.budget.updatedAt = epochSeconds();
  if (body.idempotency_key !== undefined) rec.budget.topUpKeys.push(body.idempotency_key);
  ctx.rt.store.changed();
  return json(200, budgetObject(rec));
}

export function usageGet(ctx: ApiContext): Promise<Reply> {
  requireInstance(ctx);
  const month = ctx.query.get("month");
  if (month !== null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw api.invalidRequest("Invalid request: `month` must be YYYY-MM.");
  return Promise.resolve(
    json(200, {
      period: month ?? period(),
      total_micros: 0,
      by_integration: {
        llm: { cost_micros: 0, calls: 0, input_tokens: 0, output_tokens: 0 },
        brave: { cost_micros: 0, calls: 0 },
        composio: { cost_micros: 0, calls: 0 },
      },
    }),
  );
}
