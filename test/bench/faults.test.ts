import { tallyInstances } from "../../bench/measure/faults";

describe("fault run tally", () => {
  it("counts every instance beyond the first of a lifecycle as a duplicate", () => {
    const { duplicates } = tallyInstances([
      { user: "lc-1", status: "deleted" },
      { user: "lc-1", status: "deleted" },
      { user: "lc-1", status: "running" },
      { user: "lc-2", status: "deleted" },
    ]);
    expect(duplicates).toBe(2);
  });

  it("counts instances that are not deleted as leaked, whatever their lifecycle", () => {
    const { leaked } = tallyInstances([
      { user: "lc-1", status: "deleted" },
      { user: "lc-2", status: "running" },
      { user: null, status: "stopped" },
    ]);
    expect(leaked.map((i) => i.status)).toEqual(["running", "stopped"]);
  });

  it("finds nothing to report after a clean run", () => {
    expect(tallyInstances([{ user: "lc-1", status: "deleted" }, { user: "lc-2", status: "deleted" }])).toEqual({ duplicates: 0, leaked: [] });
  });
});
