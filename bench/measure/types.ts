import type { Side } from "../lib/report";
import type { SideName, Subject } from "../lib/subjects";

/** Measures one figure (or a group of figures) for one subject, writing into `side`. */
export type Measure = (subject: Subject, side: Side, log: (line: string) => void) => Promise<void>;

/**
 * Measures both subjects in one go (interleaved, so machine load falls on both alike), writing
 * into each one's `side`. Resolves to the error of each side that could not be measured.
 */
export type PairedMeasure = (entries: { subject: Subject; side: Side }[], log: (line: string) => void) => Promise<Partial<Record<SideName, unknown>>>;
