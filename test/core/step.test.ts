// Steps (core/step.ts): an Agent37Error records the steps current where it was made, and
// explain() puts them between the operation and the message.
import { Agent37Error, createApiError } from "../../provider/core/errors";
import { explain } from "../../provider/core/explain";
import { currentSteps, step } from "../../provider/core/step";

const req = { method: "GET", url: "https://api.agent37.com/v1/instances" };

describe("steps", () => {
  it("nest, outermost first, and end with their callback", async () => {
    expect(currentSteps()).toEqual([]);
    const seen = await step("outer", () => step("inner", async () => currentSteps()));
    expect(seen).toEqual(["outer", "inner"]);
    expect(currentSteps()).toEqual([]);
  });

  it("are recorded by an error made inside them, across awaits, and explained after the operation", async () => {
    const made = await step("checking for an unfinished create", async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return createApiError(401, { error: { code: "invalid_api_key", message: "Bad key." } }, req);
    });
    expect(made.steps).toEqual(["checking for an unfinished create"]);
    expect(Object.keys(made)).not.toContain("steps");
    const err = explain(made, 'creating Agent37 instance "web"', []) as Error;
    expect(err.message.split("\n")[0]).toBe('creating Agent37 instance "web": checking for an unfinished create: Agent37 answered 401: GET https://api.agent37.com/v1/instances: invalid_api_key: Bad key.');
  });

  it("leave an error made outside any step as it was", () => {
    const err = explain(new Agent37Error("boom"), "deleting Agent37 instance ab12", []) as Error;
    expect(err.message).toBe("deleting Agent37 instance ab12: boom");
  });
});
