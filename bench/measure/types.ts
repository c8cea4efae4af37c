import type { Side } from "../lib/report";
import type { Subject } from "../lib/subjects";

/** Measures one figure (or a group of figures) for one subject, writing into `side`. */
export type Measure = (subject: Subject, side: Side, log: (line: string) => void) => Promise<void>;
