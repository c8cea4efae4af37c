// A module loaded on its first use: `pulumi-agent37`'s index exports the factories and the diff
// rules through it, so that a program declaring resources loads only the resource classes and
// their errors, never the implementations (with zod) it does not call (docs/plugin.md, "Start-up").

/**
 * A stand-in for the module `load` returns: the first property read loads it (once), and every
 * read answers from it. Only property reads are forwarded (what an export getter does).
 */
export function lazyModule<T extends object>(load: () => T): T {
  let loaded: T | undefined;
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get((loaded ??= load()), key),
  });
}
