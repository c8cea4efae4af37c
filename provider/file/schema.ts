// The gateway's FileEntry and listing (parsed tolerantly). The inputs and outputs are declared in fields.ts.
import * as z from "zod";

/** `{ name, path, type, size, modified, hidden }`: `modified` is the mtime in ms, fractional. */
export const FileEntry = z
  .object({
    name: z.string(),
    path: z.string(),
    type: z.string(),
    size: z.number().nullable(),
    modified: z.number(),
    hidden: z.boolean().optional(),
  })
  .loose();
export type FileEntry = z.infer<typeof FileEntry>;

/** `GET /v1/files?path=`: one level, at most 1,000 entries. */
export const FileList = z.object({ path: z.string(), entries: z.array(FileEntry), truncated: z.boolean().optional() }).loose();
export type FileList = z.infer<typeof FileList>;
