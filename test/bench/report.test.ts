import { buildRows, emptyFigures, formatMarkdownTable, formatTable, meets, replaceBetween, TABLE_END, TABLE_START } from "../../bench/lib/report";

function figures(overrides: Partial<ReturnType<typeof emptyFigures>>): ReturnType<typeof emptyFigures> {
  return { ...emptyFigures(), ...overrides };
}

describe("bench report", () => {
  it("judges a figure against its target's operator", () => {
    expect(meets(1999, { op: "<", value: 2048 })).toBe(true);
    expect(meets(2048, { op: "<", value: 2048 })).toBe(false);
    expect(meets(2, { op: "<=", value: 2 })).toBe(true);
    expect(meets(1, { op: "==", value: 0 })).toBe(false);
  });

  it("gives no verdict for a figure that was not measured", () => {
    expect(meets(null, { op: "<", value: 2 })).toBeNull();
  });

  it("puts both sides, the baseline-over-ours ratio and our verdict in each row", () => {
    const rows = buildRows(figures({ providerBytes: 1000 }), figures({ providerBytes: 5000 }));
    const row = rows.find((r) => r.figure === "providerBytes");
    expect(row).toMatchObject({ ours: 1000, baseline: 5000, ratio: 5, pass: true });
  });

  it("compares fault counts as rates when the sides ran different numbers of lifecycles", () => {
    const rows = buildRows(
      figures({ faultRun: { lifecycles: 300, failed: 3, duplicates: 0, leaked: 0 } }),
      figures({ faultRun: { lifecycles: 30, failed: 3, duplicates: 0, leaked: 2 } }),
    );
    const failed = rows.find((r) => r.figure === "faultRun.failed");
    expect(failed).toMatchObject({ ours: 3, baseline: 3, ratio: 10, pass: false, oursText: "3/300", baselineText: "3/30" });
    expect(rows.find((r) => r.figure === "faultRun.leaked")?.pass).toBe(true);
  });

  it("prints every row in the text table, with n/a for figures not measured", () => {
    const text = formatTable(buildRows(figures({ previewMsPerResource: 0.8123 }), figures({})));
    const lines = text.split("\n");
    expect(lines).toHaveLength(2 + 11);
    expect(text).toMatch(/previewMsPerResource\s+0\.812\s+n\/a\s+-\s+< 2\s+ms\s+pass/);
  });

  it("renders a Markdown table with one line per row plus header and rule", () => {
    const md = formatMarkdownTable(buildRows(figures({ hostRssMb: 80.5 }), figures({ hostRssMb: 70 })));
    const lines = md.split("\n");
    expect(lines[1]).toMatch(/^\| --- \|/);
    expect(lines).toHaveLength(2 + 11);
    expect(md).toContain("| hostRssMb | 80.5 | 70 | 0.87x | - | MB | - |");
  });
});

describe("docs table update", () => {
  it("replaces only what lies between the markers", () => {
    const doc = `intro\n${TABLE_START}\nold table\n${TABLE_END}\noutro\n`;
    expect(replaceBetween(doc, "new table\n")).toBe(`intro\n${TABLE_START}\nnew table\n${TABLE_END}\noutro\n`);
  });

  it("leaves a document without markers alone", () => {
    expect(replaceBetween("no markers here", "table")).toBeUndefined();
    expect(replaceBetween(`${TABLE_END} then ${TABLE_START}`, "table")).toBeUndefined();
  });
});
