/**
 * What the published package links to is in it: every relative link of the packed README, of the
 * packed docs and example READMEs, and every file the packed type declarations' doc comments name
 * (`docs/emulator.md, "Lifecycle"`), resolves to a file of the tarball, and an anchor or a quoted
 * section to a heading of that file. Source maps ship with their sources or not at all (this
 * package ships none: `sourceMap` is off in tsconfig.build.json and `files` leaves `*.map` out).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./harness";

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The headings of a Markdown text (outside code fences), and the anchors GitHub gives them. */
export function headings(markdown: string): { texts: string[]; anchors: Set<string> } {
  const texts: string[] = [];
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) fence = !fence;
    const m = fence ? null : line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (m === null) continue;
    const text = (m[1] as string).replace(/`/g, "");
    texts.push(text);
    const base = slug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return { texts, anchors };
}

/**
 * The sections a text about a Markdown file can name: its headings, each also without its
 * parenthesised tail ("Assumptions" for "Assumptions (where the API docs are silent)"), and the
 * bold labels that open a list item (`- **Limits**: ...`); in lower case.
 */
export function sections(markdown: string): string[] {
  const labels = [...markdown.matchAll(/^\s*[-*] \*\*([^*]+)\*\*/gm)].map((m) => m[1] as string);
  return [...headings(markdown).texts.flatMap((h) => [h, h.replace(/\s*\(.*\)$/, "")]), ...labels].map((t) => t.toLowerCase());
}

/** Markdown links (`[text](target)`) of a text, outside code fences and code spans. */
export function markdownLinks(markdown: string): string[] {
  const prose = markdown.replace(/^\s*```[\s\S]*?^\s*```/gm, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string);
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Problems with the links of `file` (a path inside `root`): each relative link must name a file or
 * folder inside `root`, and its anchor a heading of that Markdown file.
 */
export function brokenLinks(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const problems: string[] = [];
  for (const link of markdownLinks(text)) {
    if (EXTERNAL.test(link)) continue;
    const [target = "", anchor] = link.split("#", 2);
    const resolved = target === "" ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURI(target));
    const inside = path.relative(root, resolved);
    if (inside.startsWith("..") || path.isAbsolute(inside)) {
      problems.push(`${file}: ${link} leaves the package`);
    } else if (!fs.existsSync(resolved)) {
      problems.push(`${file}: ${link} names no file of the package`);
    } else if (anchor !== undefined && anchor !== "") {
      if (!resolved.endsWith(".md")) problems.push(`${file}: ${link} has an anchor into a file that is not Markdown`);
      else if (!headings(fs.readFileSync(resolved, "utf8")).anchors.has(anchor)) problems.push(`${file}: ${link} names no heading of ${inside}`);
    }
  }
  return problems;
}

/**
 * Problems with the files that doc comments of a declaration file name: `docs/x.md` (and
 * `examples/...`, `README.md`, `CHANGELOG.md`) are named from the package root, as the README
 * names them; a quoted section after the name (`docs/x.md, "Limits"`) must be a heading there.
 */
export function brokenMentions(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const comments = [...text.matchAll(/\/\*\*[\s\S]*?\*\//g)].map((m) => m[0].replace(/^\s*\*\s?/gm, " ")).join("\n");
  const problems: string[] = [];
  for (const link of markdownLinks(comments)) {
    if (!EXTERNAL.test(link)) problems.push(`${file}: a Markdown link (${link}) in a doc comment, which resolves differently in an editor and on a page`);
  }
  for (const m of comments.matchAll(/\b((?:docs|examples)\/[\w./-]*\w|(?:README|CHANGELOG)\.md)(?:,\s*"([^"]+)")?/g)) {
    const [, name = "", section] = m;
    const resolved = path.join(root, name);
    if (!fs.existsSync(resolved)) problems.push(`${file}: names ${name}, which the package does not hold`);
    else if (section !== undefined && !sections(fs.readFileSync(resolved, "utf8")).includes(section.toLowerCase())) {
      problems.push(`${file}: names section "${section}" of ${name}, which has no such heading`);
    }
  }
  return problems;
}

function walk(dir: string, base = ""): string[] {
  return fs.readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(base, e.name);
    return e.isDirectory() ? walk(dir, rel) : [rel];
  });
}

let tmp: string;
let pkg: string;
let files: string[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-packed-links-"));
  const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } })
    .trim()
    .split("\n")
    .pop() as string;
  execFileSync("tar", ["-xzf", path.join(tmp, tgz), "-C", tmp]);
  pkg = path.join(tmp, "package");
  files = walk(pkg);
}, 120_000);

afterAll(() => {
  if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the packed package's links", () => {
  it("ships the README, the docs it links to and the examples", () => {
    expect(files).toContain("README.md");
    expect(files).toEqual(expect.arrayContaining(["docs/provider.md", "docs/plugin.md", "examples/basic/README.md", "examples/basic/index.ts"]));
    expect(files.filter((f) => f.split(path.sep).includes("node_modules"))).toEqual([]);
  });

  it("every relative link of the packed README, docs and example READMEs resolves inside the tarball", () => {
    const markdown = files.filter((f) => f.endsWith(".md"));
    expect(markdown.length).toBeGreaterThan(10);
    expect(markdownLinks(fs.readFileSync(path.join(pkg, "README.md"), "utf8")).filter((l) => !EXTERNAL.test(l)).length).toBeGreaterThan(20);
    expect(markdown.flatMap((f) => brokenLinks(pkg, f))).toEqual([]);
  });

  it("every file the packed declarations' doc comments name is in the tarball, with the section named", () => {
    const declarations = files.filter((f) => f.endsWith(".d.ts"));
    expect(declarations.length).toBeGreaterThan(50);
    const named = declarations.filter((f) => /\bdocs\/\w+\.md/.test(fs.readFileSync(path.join(pkg, f), "utf8")));
    expect(named.length).toBeGreaterThan(3);
    expect(declarations.flatMap((f) => brokenMentions(pkg, f))).toEqual([]);
  });

  it("ships no source map without its sources (and so, as sources are not shipped, no source map)", () => {
    const maps = files.filter((f) => f.endsWith(".map"));
    const unresolved = maps.flatMap((f) => {
      const map = JSON.parse(fs.readFileSync(path.join(pkg, f), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      return map.sources.filter((s, i) => typeof map.sourcesContent?.[i] !== "string" && !fs.existsSync(path.resolve(path.dirname(path.join(pkg, f)), s))).map((s) => `${f}: ${s}`);
    });
    expect(unresolved).toEqual([]);
    expect(maps).toEqual([]);
    // No compiled file points at a map either.
    expect(files.filter((f) => f.endsWith(".js") && fs.readFileSync(path.join(pkg, f), "utf8").includes("//# sourceMappingURL="))).toEqual([]);
  });
});

describe("the link checks", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-links-"));
    fs.mkdirSync(path.join(dir, "docs"));
    fs.writeFileSync(path.join(dir, "docs", "a.md"), "# A doc\n\n## Update order (in short)\n\n- **Retries**: three\n\n```sh\n# not a heading\n```\n");
    fs.writeFileSync(
      path.join(dir, "README.md"),
      "[ok](docs/a.md) [ok](docs/a.md#update-order-in-short) [ok](#readme) [web](https://example.com/x.md)\n" +
        "[gone](docs/b.md) [anchor](docs/a.md#not-a-heading) [out](../x.md) `[code](docs/c.md)`\n\n# Readme\n",
    );
    fs.writeFileSync(path.join(dir, "x.d.ts"), '/** See docs/a.md, "Update order"; docs/a.md, "Retries"; docs/a.md, "Limits"; docs/z.md. [l](docs/a.md) */\nexport declare const x = 1;\n// docs/y.md outside a doc comment\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("find a missing file, a missing heading and a link out of the package, and nothing else", () => {
    expect(brokenLinks(dir, "README.md")).toEqual([
      "README.md: docs/b.md names no file of the package",
      "README.md: docs/a.md#not-a-heading names no heading of docs/a.md",
      "README.md: ../x.md leaves the package",
    ]);
  });

  it("find a declaration naming a missing file or section, or holding a relative Markdown link", () => {
    expect(brokenMentions(dir, "x.d.ts")).toEqual([
      "x.d.ts: a Markdown link (docs/a.md) in a doc comment, which resolves differently in an editor and on a page",
      'x.d.ts: names section "Limits" of docs/a.md, which has no such heading',
      "x.d.ts: names docs/z.md, which the package does not hold",
    ]);
  });

  it("slug headings as GitHub does", () => {
    expect(slug("Every language: the provider plugin")).toBe("every-language-the-provider-plugin");
    expect([...headings("# Two\n# Two\n").anchors]).toEqual(["two", "two-1"]);
  });
});
