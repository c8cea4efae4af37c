// Per-port URL derivation for API generations that do not list ports (2026-08; docs/provider.md, "Two API generations").
// Gen C serves any port at `https://{id}-{port}.agent37.app`; the template's default port is
// the bare instance URL.

/** Default `instanceUrlTemplate`: `{host}` is `{id}` or `{id}-{port}`. */
export const DEFAULT_INSTANCE_URL_TEMPLATE = "https://{host}.agent37.app";

/** Fills `{host}` (and `{id}`/`{port}` when present) in a URL template. */
export function fromTemplate(template: string, id: string, port?: number): string {
  const host = port === undefined ? id : `${id}-${port}`;
  return template
    .replaceAll("{host}", host)
    .replaceAll("{id}", id)
    .replaceAll("{port}", port === undefined ? "" : String(port));
}

/**
 * Derives the URL of `port` from the instance's own URL by replacing its first DNS label, the
 * id, with `{id}-{port}`. Works for `https://ab12cd34ef.agent37.app` and for the emulator's
 * `http://ab12cd34ef.localhost:4737` alike. Undefined when the URL's first label is not the id.
 */
export function fromInstanceUrl(instanceUrl: string, id: string, port: number): string | undefined {
  let u: URL;
  try {
    u = new URL(instanceUrl);
  } catch {
    return undefined;
  }
  const labels = u.hostname.split(".");
  if (labels[0] !== id.toLowerCase()) return undefined;
  labels[0] = `${id.toLowerCase()}-${port}`;
  const portPart = u.port === "" ? "" : `:${u.port}`;
  return `${u.protocol}//${labels.join(".")}${portPart}`;
}

/**
 * The URL of `port` on instance `id`: from the configured template when one is set, else from
 * the instance URL, else from the default template.
 */
export function derivePortUrl(opts: { id: string; port: number; instanceUrl: string | undefined; urlTemplate: string | undefined }): string {
  if (opts.urlTemplate !== undefined) return fromTemplate(opts.urlTemplate, opts.id, opts.port);
  if (opts.instanceUrl !== undefined) {
    const derived = fromInstanceUrl(opts.instanceUrl, opts.id, opts.port);
    if (derived !== undefined) return derived;
  }
  return fromTemplate(DEFAULT_INSTANCE_URL_TEMPLATE, opts.id, opts.port);
}

/** The default-port URL when the API gave none. */
export function deriveDefaultUrl(id: string, urlTemplate: string | undefined): string {
  return fromTemplate(urlTemplate ?? DEFAULT_INSTANCE_URL_TEMPLATE, id);
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
