// Loaded by jest before every test file (jest.config.js `setupFilesAfterEnv`). A program run
// in-process under `pulumi.runtime.setMocks` has no engine, so the SDK prints its own warnings
// with console.warn as `warning: [runtime] ...` (for example `Undefined value (exitCode) will not
// show as a stack output`). A green run must print none: each one is a warning a user's program
// would see too. Any such warning fails the test during which it was printed (or, when printed
// in a beforeAll, the next test of the file, or the file itself).
// On globalThis, so a test file that imports this module shares the list with the setup's copy.
const store = globalThis as { __agent37RuntimeWarnings?: string[] };
const seen = (store.__agent37RuntimeWarnings ??= []);
const warn = console.warn.bind(console);

console.warn = (...args: unknown[]): void => {
  const text = args.map((a) => (typeof a === "string" ? a : String(a))).join(" ");
  // Held, not printed: the test fails with them in its error, and one a test provokes on purpose
  // (and takes) is not printed either.
  if (text.startsWith("warning: [runtime]")) seen.push(text);
  else warn(...args);
};

/** The runtime warnings printed since the last call; a test that provokes one on purpose takes it. */
export function takeRuntimeWarnings(): string[] {
  return seen.splice(0);
}

function check(): void {
  const printed = takeRuntimeWarnings();
  if (printed.length > 0) throw new Error(`the Pulumi runtime printed ${printed.length} warning(s):\n${printed.join("\n")}`);
}

afterEach(check);
afterAll(check);
