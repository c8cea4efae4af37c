/**
 * A request to an instance URL (the gateway inside the instance), as a consumer of the stack's
 * `url` output would make it. Emulator instance URLs use `*.localhost` hosts, which RFC 6761
 * reserves for loopback but many resolvers do not resolve, so those are pinned to 127.0.0.1.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { LookupFunction } from "node:net";

export interface InstanceResponse {
  status: number;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

const loopbackForLocalhost: LookupFunction = (hostname, options, callback) => {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
    return;
  }
  void import("node:dns").then((dns) => dns.lookup(hostname, options, callback as never));
};

/**
 * `GET url + path` with the instance-plane key headers (`X-Agent37-Key`, and the older
 * `Authorization: Bearer`). The key is sent, never returned or logged.
 */
export function getFromInstance(url: string, path: string, key: string, timeoutMs = 10_000): Promise<InstanceResponse> {
  const target = new URL(path, url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: "GET",
        headers: { "x-agent37-key": key, authorization: `Bearer ${key}`, accept: "application/json" },
        lookup: loopbackForLocalhost,
        timeout: timeoutMs,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`GET ${target.origin}${target.pathname} timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}
