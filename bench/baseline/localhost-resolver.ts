// Preloaded (`node --require`) into the baseline's provider host only.
//
// The emulator serves each instance at `http://{id}.localhost:PORT` and routes by Host. The
// baseline calls `fetch(instance.url)` as a user's provider would, but Node's `fetch` cannot set
// a Host header and this machine's resolver (files, dns) does not map `*.localhost` to loopback
// the way RFC 6761 and systemd-resolved do. Rather than change the baseline's code (it must stay
// as the documentation writes providers), the bench gives its process a resolver that follows
// RFC 6761: names under `.localhost` resolve to 127.0.0.1; every other name is untouched.
import dns from "node:dns";

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

const original = dns.lookup;

function lookup(hostname: string, options: unknown, callback?: unknown): void {
  const cb = (typeof options === "function" ? options : callback) as LookupCallback;
  const opts: dns.LookupOptions = typeof options === "number" ? { family: options } : typeof options === "object" && options !== null ? (options as dns.LookupOptions) : {};
  if (/(^|\.)localhost\.?$/i.test(hostname)) {
    if (opts.all) process.nextTick(cb, null, [{ address: "127.0.0.1", family: 4 }]);
    else process.nextTick(cb, null, "127.0.0.1", 4);
    return;
  }
  (original as (h: string, o: dns.LookupOptions, c: LookupCallback) => void)(hostname, opts, cb);
}

(dns as { lookup: unknown }).lookup = lookup;
