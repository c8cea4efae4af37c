import type { IncomingMessage } from "node:http";
import { EmulatorError } from "./errors";
import { isLoopbackHost } from "./options";

/**
 * Which `Host` values the emulator answers. A web page can make a browser send requests to the
 * emulator; with DNS rebinding (a name of the attacker's that resolves to 127.0.0.1) it can even
 * read the answers, because to the browser they are same-origin. The browser then sends the
 * attacker's name as `Host`, so checking `Host` is what stops it: the names accepted are the ones
 * no outside DNS can point here: `localhost`, its subdomains (RFC 6761 reserves them for
 * loopback; the instance plane lives on them) and loopback addresses.
 */

/** The host name of a `Host` header: port, IPv6 brackets and a trailing dot removed, lowercased. */
export function hostName(host: string | undefined): string | undefined {
  if (host === undefined || host === "") return undefined;
  const h = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(h);
  const name = bracketed ? (bracketed[1] ?? "") : h.replace(/:\d*$/, "");
  return name.replace(/\.$/, "");
}

/** `localhost` itself or a loopback address: the names the admin surface answers on. */
export function isLoopbackName(name: string | undefined): boolean {
  return name !== undefined && name !== "" && isLoopbackHost(name);
}

/** A name that can only mean this machine: loopback, or a subdomain of `localhost` (the instance plane). */
export function isLocalName(name: string | undefined): boolean {
  return isLoopbackName(name) || (name !== undefined && name.endsWith(".localhost"));
}

function misdirected(message: string): EmulatorError {
  return new EmulatorError(421, "misdirected_request", message);
}

/**
 * Refuses a request whose `Host` this emulator must not answer, before anything else happens
 * (no fault, no log entry, no handler):
 * - the admin surface: `Host` must be `localhost` or a loopback address, whatever the listen
 *   address (its clients are on this machine, and it has no key to protect it);
 * - everything else, while the emulator listens on loopback: `Host` must be local (loopback, or
 *   `*.localhost`). Listening elsewhere, the hosting API is reached by names of this machine that
 *   the emulator cannot know, and its key protects it; exec and the admin surface are off there.
 * A request without `Host` (HTTP/1.0; browsers always send one) passes, except on the admin surface.
 */
export function refuseHost(loopbackListener: boolean, req: IncomingMessage, admin: boolean): EmulatorError | undefined {
  const name = hostName(req.headers.host);
  if (admin) {
    if (isLoopbackName(name)) return undefined;
    return misdirected("The emulator's admin surface answers only requests whose Host is localhost or a loopback address (DNS rebinding protection).");
  }
  if (!loopbackListener || name === undefined || isLocalName(name)) return undefined;
  return misdirected("This emulator listens on loopback and answers only requests whose Host is localhost, a subdomain of localhost or a loopback address (DNS rebinding protection).");
}
