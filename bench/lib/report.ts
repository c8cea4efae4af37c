// The shape of bench/results/latest.json and the table printed from it.
import { ratio, round } from "./stats";

export interface FaultRun {
  lifecycles: number;
  failed: number;
  duplicates: number;
  leaked: number;
}

/** The figures of docs/bench.md, measured for one provider. `null`: not measured (see `notes`). */
export interface Figures {
  providerBytes: number | null;
  previewMsPerResource: number | null;
  readinessLagMsMedian: number | null;
  healthRequestsPerSecond: number | null;
  fleetWallRatio: number | null;
  faultRun: FaultRun | null;
  hostRssMb: number | null;
  /** Agent37Template: hashing a 10,000-file context ÷ `tar -cf - . | sha256sum` on it. */
  contextHashRatio: number | null;
  /** Agent37Template: the provider host's peak RSS growth while building a 90 MB context. */
  uploadRssGrowthMb: number | null;
}

export type FigureKey = keyof Figures;

export const FIGURE_KEYS: readonly FigureKey[] = [
  "providerBytes",
  "previewMsPerResource",
  "readinessLagMsMedian",
  "healthRequestsPerSecond",
  "fleetWallRatio",
  "faultRun",
  "hostRssMb",
  "contextHashRatio",
  "uploadRssGrowthMb",
];

export function emptyFigures(): Figures {
  return {
    providerBytes: null,
    previewMsPerResource: null,
    readinessLagMsMedian: null,
    healthRequestsPerSecond: null,
    fleetWallRatio: null,
    faultRun: null,
    hostRssMb: null,
    contextHashRatio: null,
    uploadRssGrowthMb: null,
  };
}

/** One measured side (ours or the baseline): figures, why any is missing, and raw detail. */
export interface Side {
  figures: Figures;
  /** Per figure: why it is `null`, or how the baseline's run was bounded. */
  notes: Partial<Record<FigureKey, string>>;
  details: Record<string, unknown>;
}

export function emptySide(): Side {
  return { figures: emptyFigures(), notes: {}, details: {} };
}

/** A target of docs/bench.md: the figure must be `op` the value. */
export interface Target {
  op: "<" | "<=" | "==";
  value: number;
}

export interface Row {
  figure: string;
  ours: number | null;
  baseline: number | null;
  /** Baseline ÷ ours (see `ratio`). */
  ratio: number | null;
  target: Target | null;
  pass: boolean | null;
  unit: string;
  /** Shown in place of the bare numbers (e.g. "3/300"). */
  oursText?: string;
  baselineText?: string;
}

export function meets(value: number | null, target: Target | null): boolean | null {
  if (value === null || target === null || !Number.isFinite(value)) return null;
  if (target.op === "<") return value < target.value;
  if (target.op === "<=") return value <= target.value;
  return value === target.value;
}

type Scalar = Exclude<FigureKey, "faultRun">;

const SCALAR_ROWS: { key: Scalar; unit: string; target: Target | null }[] = [
  { key: "providerBytes", unit: "bytes", target: { op: "<", value: 2048 } },
  { key: "previewMsPerResource", unit: "ms", target: { op: "<", value: 2 } },
  { key: "readinessLagMsMedian", unit: "ms", target: { op: "<", value: 300 } },
  { key: "healthRequestsPerSecond", unit: "req/s", target: { op: "<=", value: 2 } },
  { key: "fleetWallRatio", unit: "x ideal", target: { op: "<", value: 1.2 } },
  { key: "hostRssMb", unit: "MB", target: null },
  { key: "contextHashRatio", unit: "x tar|sha256sum", target: { op: "<=", value: 2 } },
  { key: "uploadRssGrowthMb", unit: "MB", target: { op: "<", value: 32 } },
];

const FAULT_COUNTS: ("failed" | "duplicates" | "leaked")[] = ["failed", "duplicates", "leaked"];

/** The rows of the table: every figure for both sides, the ratio, the target and ours' verdict. */
export function buildRows(ours: Figures, baseline: Figures): Row[] {
  const rows: Row[] = SCALAR_ROWS.map(({ key, unit, target }) => ({
    figure: key,
    ours: ours[key],
    baseline: baseline[key],
    ratio: ratio(ours[key], baseline[key]),
    target,
    pass: meets(ours[key], target),
    unit,
  }));
  const template = rows.filter((r) => r.figure === "contextHashRatio" || r.figure === "uploadRssGrowthMb");
  const instance = rows.filter((r) => !template.includes(r));
  const rowsBeforeRss = instance.slice(0, -1);
  const rss = instance.slice(-1);
  const faultRows: Row[] = FAULT_COUNTS.map((count) => {
    const o = ours.faultRun;
    const b = baseline.faultRun;
    // The two sides may run different numbers of lifecycles, so the ratio compares rates.
    const rate = (run: FaultRun | null): number | null => (run && run.lifecycles > 0 ? run[count] / run.lifecycles : null);
    const row: Row = {
      figure: `faultRun.${count}`,
      ours: o ? o[count] : null,
      baseline: b ? b[count] : null,
      ratio: ratio(rate(o), rate(b)),
      target: { op: "==", value: 0 },
      pass: meets(o ? o[count] : null, { op: "==", value: 0 }),
      unit: "lifecycles",
    };
    if (o) row.oursText = `${o[count]}/${o.lifecycles}`;
    if (b) row.baselineText = `${b[count]}/${b.lifecycles}`;
    return row;
  });
  return [...rowsBeforeRss, ...faultRows, ...rss, ...template];
}

function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "n/a";
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return String(round(value, abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3));
}

function formatTarget(target: Target | null): string {
  return target === null ? "-" : `${target.op === "==" ? "=" : target.op} ${target.value}`;
}

function cells(row: Row): string[] {
  return [
    row.figure,
    row.oursText ?? formatNumber(row.ours),
    row.baselineText ?? formatNumber(row.baseline),
    row.ratio === null ? "-" : `${formatNumber(row.ratio)}x`,
    formatTarget(row.target),
    row.unit,
    row.pass === null ? "-" : row.pass ? "pass" : "FAIL",
  ];
}

const HEADER = ["figure", "ours", "baseline", "ratio (baseline/ours)", "target", "unit", "ours vs target"];

/** A fixed-width text table for the terminal. */
export function formatTable(rows: readonly Row[]): string {
  const all = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => (r[i] as string).length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] as number)).join("  ").trimEnd();
  return [line(HEADER), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map((r) => line(cells(r)))].join("\n");
}

/** The same table in Markdown, for docs/bench.md. */
export function formatMarkdownTable(rows: readonly Row[]): string {
  const line = (r: string[]): string => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(HEADER), line(HEADER.map(() => "---")), ...rows.map((r) => line(cells(r)))].join("\n");
}

export const TABLE_START = "<!-- bench:latest:start -->";
export const TABLE_END = "<!-- bench:latest:end -->";

/**
 * `text` with everything between the two markers replaced by `content` (markers kept), or
 * `undefined` when the markers are missing or out of order.
 */
export function replaceBetween(text: string, content: string, start = TABLE_START, end = TABLE_END): string | undefined {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return `${text.slice(0, from + start.length)}\n${content.trim()}\n${text.slice(to)}`;
}
