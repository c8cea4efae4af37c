import type { IncomingMessage } from "node:http";
import type { Reply } from "../http";
import type { Runtime } from "../runtime";
import type { Workspace } from "../state";

/** One authenticated hosting-API request. */
export interface ApiContext {
  rt: Runtime;
  ws: Workspace;
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body as an object (`{}` when empty); invalid JSON is a 400. */
  body(): Promise<Record<string, unknown>>;
}

export type ApiHandler = (ctx: ApiContext) => Promise<Reply>;
