// The ignore patterns of a local tree: Agent37Template's build context (`.dockerignore`) and
// Agent37Directory's `ignore` apply the same rules.
// `.dockerignore` with Docker's semantics (moby/patternmatcher, as `docker build` applies it to
// the context): one pattern a line, `#` comments, `!` re-includes, patterns cleaned like Go's
// `filepath.Clean` with a leading `/` dropped, `*` and `?` never cross `/`, `**` crosses any
// number of directories, and a pattern that matches a parent directory matches everything in
// it. The last pattern that matches a path decides.

interface Pattern {
  regex: RegExp;
  exclusion: boolean;
}

/** Go's `filepath.Clean` for `/`-separated relative paths. */
export function cleanPath(p: string): string {
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** Characters Go escapes because filepath.Match gives them no meaning (`[`, `]`, `^` stay: classes). */
const REGEX_SPECIAL = new Set([".", "+", "(", ")", "|", "{", "}", "$"]);

/** A character matched literally; only regex syntax characters take a backslash (unicode mode). */
function escapeLiteral(ch: string): string {
  return "^$\\.*+?()[]{}|/".includes(ch) ? `\\${ch}` : ch;
}

/** Translates one cleaned pattern to an anchored regular expression, as patternmatcher does. */
export function patternToRegex(pattern: string): RegExp {
  const chars = [...pattern];
  let re = "^";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === "*") {
      if (chars[i + 1] === "*") {
        i++;
        if (chars[i + 1] === "/") i++;
        re += i + 1 >= chars.length ? ".*" : "(.*/)?";
      } else {
        re += "[^/]*";
      }
    } else if (ch === "?") {
      re += "[^/]";
    } else if (ch === "\\") {
      const next = chars[i + 1];
      if (next !== undefined) {
        re += escapeLiteral(next);
        i++;
      } else {
        re += "\\\\";
      }
    } else if (REGEX_SPECIAL.has(ch)) {
      re += escapeLiteral(ch);
    } else {
      re += ch;
    }
  }
  return new RegExp(`${re}$`, "u");
}

/** Parses `.dockerignore` text into patterns, in order. Invalid patterns throw with the line. */
export function parseDockerignore(text: string): Pattern[] {
  const patterns: Pattern[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let exclusion = false;
    if (line.startsWith("!")) {
      exclusion = true;
      line = line.slice(1).trim();
      if (line === "") throw new Error(`.dockerignore line ${index + 1}: "!" without a pattern`);
    }
    line = cleanPath(line);
    if (line.length > 1 && line.startsWith("/")) line = line.slice(1);
    try {
      patterns.push({ regex: patternToRegex(line), exclusion });
    } catch {
      throw new Error(`.dockerignore line ${index + 1}: invalid pattern ${JSON.stringify(raw.trim())}`);
    }
  });
  return patterns;
}

/** Decides, for `/`-separated paths relative to the context, whether `.dockerignore` drops them. */
export class IgnoreMatcher {
  readonly hasExceptions: boolean;
  constructor(private readonly patterns: readonly Pattern[]) {
    this.hasExceptions = patterns.some((p) => p.exclusion);
  }

  static fromText(text: string | undefined): IgnoreMatcher {
    return new IgnoreMatcher(text === undefined ? [] : parseDockerignore(text));
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** patternmatcher's `MatchesOrParentMatches`: true when the path is left out of the context. */
  ignores(path: string): boolean {
    let matched = false;
    const slash = path.lastIndexOf("/");
    const parents = slash < 0 ? [] : path.slice(0, slash).split("/");
    for (const pattern of this.patterns) {
      // An inclusion only matters while the path is not excluded, an exception only once it is.
      if (pattern.exclusion !== matched) continue;
      let match = pattern.regex.test(path);
      for (let i = 0; !match && i < parents.length; i++) match = pattern.regex.test(parents.slice(0, i + 1).join("/"));
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }
}
