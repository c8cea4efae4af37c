/**
 * Every reference in the repository points inside it: no section numbers of documents the
 * repository does not hold (the design notes' or the API reference's numbered sections). A rule is
 * stated where it applies, or points to a file here (docs/provider.md, docs/emulator.md, ...).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./harness";

/** A section sign followed by a section number: how those outside documents were cited. */
const SECTION_REFERENCE = /\u00a7\s*\d/;
const SECTION = "\u00a7";

function trackedTextFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" });
  return listed
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(REPO_ROOT, f)))
    .filter((f) => !/\.(png|jpg|gif|tgz|gz|tar|zip)$/.test(f));
}

describe("references", () => {
  it("cite no section of a document outside the repository", () => {
    const found: string[] = [];
    for (const file of trackedTextFiles()) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      if (!text.includes(SECTION)) continue;
      text.split("\n").forEach((line, i) => {
        if (SECTION_REFERENCE.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it("would find one", () => {
    expect(SECTION_REFERENCE.test(`the targets of design ${SECTION}9`)).toBe(true);
    expect(SECTION_REFERENCE.test(`exec (agent37-api.md ${SECTION} 2.7)`)).toBe(true);
    expect(SECTION_REFERENCE.test("see docs/provider.md, \"Update order\"")).toBe(false);
  });
});
