// Values as they cross the provider protocol, shared by every resource: equality of JSON
// values, dropping what the host cannot encode, and the acknowledgement of a DELETE.
import * as z from "zod";
import type { Loose } from "./declare";

export { asObject, jsonEqual, plain } from "./json";
/** Re-exported for the modules that import it from here; declared in core/declare.ts. */
export type { Loose };

/** The answer of a `DELETE` (`{deleted: true}`); other fields pass. */
export const DeleteAck = z.object({ deleted: z.boolean().optional() }).loose();
