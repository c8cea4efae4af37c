// Shared by the domain and SSH key suites: calls to the hosting API "out of band" (as a person
// or another tool would), and the failure of a program run.
import { HostError } from "./errors";

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export function hostingApi(apiUrl: string, key: string) {
  return async (method: string, apiPath: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(`${apiUrl}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
}

export async function failureOf(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HostError) return err;
    throw err;
  }
  throw new Error("expected the run to fail");
}
