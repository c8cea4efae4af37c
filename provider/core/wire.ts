// Values as they cross the provider protocol, shared by every resource: equality of JSON
// values, dropping what the host cannot encode, and the acknowledgement of a DELETE.
import { z } from "zod";

export { asObject, jsonEqual, plain } from "./json";

/** The answer of a `DELETE` (`{deleted: true}`); other fields pass. */
export const DeleteAck = z.object({ deleted: z.boolean().optional() }).loose();
