// The build context: `.dockerignore` semantics, the content hash (what counts, what never does)
// and the deterministic archive, checked by extracting it with the system's `tar`.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { ContextError, archiveBytes, archiveSizeProblem, hashContext, inspectContext, scanContext, writeArchive } from "../../provider/template/context";
import { IgnoreMatcher, cleanPath } from "../../provider/core/ignore";

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "a37-ctx-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Writes `files` (path -> content) under a new folder. */
function folder(files: Record<string, string>, root = tmp()): string {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const BASIC = { Dockerfile: "FROM scratch\nCOPY . /app\n", "app/main.py": "print('hi')\n", "app/run.sh": "#!/bin/sh\necho run\n", "README.md": "# x\n" };

async function hashOf(dir: string, dockerfile?: string): Promise<string> {
  return (await inspectContext(dir, dockerfile)).contextHash;
}

describe(".dockerignore", () => {
  const m = (text: string) => IgnoreMatcher.fromText(text);
  it("ignores a path when a pattern matches it or one of its parent folders", () => {
    expect(m("node_modules").ignores("node_modules/x/y.js")).toBe(true);
    expect(m("*.log").ignores("a.log")).toBe(true);
    expect(m("*.log").ignores("sub/a.log")).toBe(false);
    expect(m("**/*.log").ignores("sub/deep/a.log")).toBe(true);
    expect(m("**/*.log").ignores("a.log")).toBe(true);
    expect(m("/build/").ignores("build/out.bin")).toBe(true);
    expect(m("docs/**").ignores("docs/a/b.md")).toBe(true);
    expect(m("docs/**").ignores("docsx")).toBe(false);
    expect(m("a?c").ignores("abc")).toBe(true);
    expect(m("a?c").ignores("a/c")).toBe(false);
    expect(m("[a-c]x").ignores("bx")).toBe(true);
    expect(m("[^a-c]x").ignores("bx")).toBe(false);
    expect(m("file.txt").ignores("fileXtxt")).toBe(false);
  });
  it("lets the last matching pattern decide, with ! re-including", () => {
    const ig = m("*.md\n!README.md\n# comment\n\n  ");
    expect(ig.ignores("NOTES.md")).toBe(true);
    expect(ig.ignores("README.md")).toBe(false);
    expect(m("!README.md\n*.md").ignores("README.md")).toBe(true);
    expect(m("secrets\n!secrets/public.pem").ignores("secrets/public.pem")).toBe(false);
    expect(m("secrets\n!secrets/public.pem").ignores("secrets/private.pem")).toBe(true);
  });
  it("cleans patterns as Go's filepath.Clean does", () => {
    expect(cleanPath("./a//b/../c/")).toBe("a/c");
    expect(cleanPath("/x/./y")).toBe("/x/y");
    expect(m("./tmp/../cache").ignores("cache/f")).toBe(true);
  });
  it("refuses a bare !", () => {
    expect(() => m("a\n!\n")).toThrow(/line 2/);
  });
});

describe("content hash", () => {
  it("is the same for the same content, whatever the folder, mtimes and umask", async () => {
    const a = folder(BASIC);
    const b = folder(BASIC);
    fs.chmodSync(path.join(a, "app/run.sh"), 0o755);
    // Another umask: group/other bits differ, the owner's executable bit is the same.
    fs.chmodSync(path.join(b, "app/run.sh"), 0o700);
    fs.chmodSync(path.join(b, "app/main.py"), 0o600);
    fs.chmodSync(path.join(b, "README.md"), 0o666);
    const past = new Date("2001-01-01T00:00:00Z");
    fs.utimesSync(path.join(b, "app/main.py"), past, past);
    expect(await hashOf(a)).toBe(await hashOf(b));
  });

  it("changes with a file's content, name, presence or executable bit", async () => {
    const dir = folder(BASIC);
    const base = await hashOf(dir);
    fs.writeFileSync(path.join(dir, "app/main.py"), "print('bye')\n");
    const edited = await hashOf(dir);
    expect(edited).not.toBe(base);
    fs.chmodSync(path.join(dir, "app/main.py"), 0o755);
    const exec = await hashOf(dir);
    expect(exec).not.toBe(edited);
    fs.renameSync(path.join(dir, "README.md"), path.join(dir, "README.txt"));
    expect(await hashOf(dir)).not.toBe(exec);
  });

  it("covers what .dockerignore keeps and nothing else", async () => {
    const dir = folder({ ...BASIC, ".dockerignore": "*.md\nlogs\n", "logs/a.log": "1", "NOTES.md": "n" });
    const base = await hashOf(dir);
    fs.writeFileSync(path.join(dir, "logs/a.log"), "2");
    fs.writeFileSync(path.join(dir, "NOTES.md"), "changed");
    fs.writeFileSync(path.join(dir, "logs/b.log"), "new");
    expect(await hashOf(dir)).toBe(base);
    fs.writeFileSync(path.join(dir, ".dockerignore"), "*.md\n");
    expect(await hashOf(dir)).not.toBe(base);
  });

  it("prefers the chosen Dockerfile's own ignore file (<Dockerfile>.dockerignore), as BuildKit does", async () => {
    const dir = folder({ ...BASIC, ".dockerignore": "README.md\n", "docker/prod.Dockerfile": "FROM prod\n", "docker/prod.Dockerfile.dockerignore": "app\n" });
    const paths = (await scanContext(dir, "docker/prod.Dockerfile")).entries.map((e) => e.path);
    expect(paths).toContain("README.md");
    expect(paths.some((p) => p.startsWith("app/"))).toBe(false);
    expect((await scanContext(dir)).entries.map((e) => e.path)).not.toContain("README.md");
  });

  it("always holds the chosen Dockerfile, even when .dockerignore drops it", async () => {
    const dir = folder({ ...BASIC, ".dockerignore": "Dockerfile\ndocker\n", "docker/prod.Dockerfile": "FROM prod\n" });
    const scan = await scanContext(dir, "docker/prod.Dockerfile");
    expect(scan.entries.map((e) => e.path)).toEqual([".dockerignore", "Dockerfile", "README.md", "app/main.py", "app/run.sh"]);
    const base = await hashContext(scan);
    fs.writeFileSync(path.join(dir, "docker/prod.Dockerfile"), "FROM prod2\n");
    expect(await hashOf(dir, "docker/prod.Dockerfile")).not.toBe(base);
    // The root Dockerfile is not the chosen one: its edits do not count.
    fs.writeFileSync(path.join(dir, "docker/prod.Dockerfile"), "FROM prod\n");
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM other\n");
    expect(await hashOf(dir, "docker/prod.Dockerfile")).toBe(base);
  });
});

describe("scan refusals", () => {
  it("names build.context for a missing folder and build.dockerfile for a missing Dockerfile", async () => {
    const missing = path.join(tmp(), "nope");
    await expect(scanContext(missing)).rejects.toMatchObject({ property: "build.context", message: expect.stringContaining("does not exist") });
    const dir = folder({ "main.py": "x" });
    await expect(scanContext(dir)).rejects.toMatchObject({ property: "build.dockerfile", message: expect.stringContaining("Dockerfile is missing") });
    await expect(scanContext(dir, "docker/Dockerfile")).rejects.toBeInstanceOf(ContextError);
  });

  it("knows the archive's exact size from the file sizes, and refuses one over the limit", async () => {
    const dir = folder({ Dockerfile: "FROM scratch\n" });
    fs.writeFileSync(path.join(dir, "data.bin"), randomBytes(150_000));
    const scan = await scanContext(dir);
    const out = path.join(tmp(), "a.tgz");
    expect((await writeArchive(scan, out)).bytes).toBe(archiveBytes(scan.tarBytes));
    expect(archiveSizeProblem(scan, archiveBytes(scan.tarBytes))).toBeUndefined();
    expect(archiveSizeProblem(scan, archiveBytes(scan.tarBytes) - 1)).toMatch(/over Agent37's limit of [\d,]+ bytes: leave large files out with .dockerignore/);
  });
});

describe("read failures say their cause", () => {
  it("names an unreadable file as permission denied, not as a file that changed", () => {
    const dir = folder({ Dockerfile: "FROM scratch\n", "secret.key": "k\n" });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, "secret.key"), 0o000);
    // Root reads any file: the check then runs as an unprivileged user, on the compiled module.
    const module = path.resolve(__dirname, "../../dist/provider/template/context.js");
    const script = `require(${JSON.stringify(module)}).inspectContext(${JSON.stringify(dir)}).then(() => console.log("{}"), (e) => console.log(JSON.stringify({ property: e.property, message: e.message })))`;
    const asRoot = process.getuid?.() === 0;
    const out = execFileSync(process.execPath, ["-e", script], { encoding: "utf8", ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    const failure = JSON.parse(out.trim()) as { property?: string; message?: string };
    expect(failure.property).toBe("build.context");
    expect(failure.message).toContain(`cannot read ${path.join(dir, "secret.key")}: permission denied (EACCES)`);
    expect(failure.message).not.toMatch(/changed while/);
  });
});

describe("archive", () => {
  it("is the same bytes for the same content, and extracts with tar to the context (Dockerfile at the root)", async () => {
    const long = `${"deep/".repeat(30)}file-with-a-long-name-${"x".repeat(120)}.txt`;
    const files = { ...BASIC, "docker/build.Dockerfile": "FROM busybox\n", [long]: "long\n", "empty.txt": "" };
    const a = folder(files);
    const b = folder(files);
    fs.chmodSync(path.join(a, "app/run.sh"), 0o755);
    fs.chmodSync(path.join(b, "app/run.sh"), 0o700);
    fs.symlinkSync("app/main.py", path.join(a, "link.py"));
    fs.symlinkSync("app/main.py", path.join(b, "link.py"));
    const out = tmp();
    const first = await writeArchive(await scanContext(a, "docker/build.Dockerfile"), path.join(out, "a.tgz"));
    const second = await writeArchive(await scanContext(b, "docker/build.Dockerfile"), path.join(out, "b.tgz"));
    expect(first.bytes).toBe(second.bytes);
    expect(first.bytes).toBe(archiveBytes((await scanContext(a, "docker/build.Dockerfile")).tarBytes));
    expect(fs.readFileSync(path.join(out, "a.tgz")).equals(fs.readFileSync(path.join(out, "b.tgz")))).toBe(true);
    expect(first.contextHash).toBe(await hashOf(a, "docker/build.Dockerfile"));

    const listing = execFileSync("tar", ["-tvzf", path.join(out, "a.tgz")], { encoding: "utf8" });
    const names = execFileSync("tar", ["-tzf", path.join(out, "a.tgz")], { encoding: "utf8" }).trim().split("\n");
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe("Dockerfile");
    expect(names).toContain(long);
    expect(listing).toMatch(/0\/0/);
    expect(listing).toMatch(/1970-01-01/);

    const x = tmp();
    execFileSync("tar", ["-xzf", path.join(out, "a.tgz"), "-C", x]);
    expect(fs.readFileSync(path.join(x, "Dockerfile"), "utf8")).toBe("FROM busybox\n");
    expect(fs.readFileSync(path.join(x, long), "utf8")).toBe("long\n");
    expect(fs.readFileSync(path.join(x, "empty.txt"), "utf8")).toBe("");
    expect(fs.statSync(path.join(x, "app/run.sh")).mode & 0o100).toBe(0o100);
    expect(fs.statSync(path.join(x, "app/main.py")).mode & 0o100).toBe(0);
    expect(fs.readlinkSync(path.join(x, "link.py"))).toBe("app/main.py");
    // Ends with the two zero blocks, and its length is what the scan predicted.
    const tar = gunzipSync(fs.readFileSync(path.join(out, "a.tgz")));
    expect(tar.length).toBe((await scanContext(a, "docker/build.Dockerfile")).tarBytes);
    expect(tar.subarray(tar.length - 1024).every((byte) => byte === 0)).toBe(true);
  });

  it("fails, naming the file, when a file changes size while it is archived", async () => {
    const dir = folder(BASIC);
    const scan = await scanContext(dir);
    fs.writeFileSync(path.join(dir, "app/main.py"), "print('a much longer line than before')\n");
    await expect(writeArchive(scan, path.join(tmp(), "x.tgz"))).rejects.toThrow(/main\.py changed while the build context was read/);
  });
});

describe("upload", () => {
  it("PUTs exactly the archive's bytes to the presigned URL, without the API key, and retries a 503", async () => {
    const { createServer } = await import("node:http");
    const { uploadArchive } = await import("../../provider/template/api");
    const seen: { headers: Record<string, unknown>; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (d: Buffer) => parts.push(d));
      req.on("end", () => {
        seen.push({ headers: req.headers, body: Buffer.concat(parts) });
        res.statusCode = seen.length === 1 ? 503 : 200;
        res.end(seen.length === 1 ? "busy" : "");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const dir = folder(BASIC);
      const scan = await scanContext(dir);
      const port = (server.address() as { port: number }).port;
      const hash = await uploadArchive(`http://127.0.0.1:${port}/upload/tb_1?signature=secret-sig`, scan, archiveBytes(scan.tarBytes), { random: () => 0 });
      expect(hash).toBe(await hashOf(dir));
      expect(seen).toHaveLength(2);
      const last = seen[1] as { headers: Record<string, unknown>; body: Buffer };
      expect(last.headers.authorization).toBeUndefined();
      expect(last.headers["x-agent37-key"]).toBeUndefined();
      expect(last.headers["content-length"]).toBe(String(archiveBytes(scan.tarBytes)));
      const out = path.join(tmp(), "ref.tgz");
      await writeArchive(scan, out);
      expect(last.body.equals(fs.readFileSync(out))).toBe(true);
      expect(gunzipSync(last.body).length).toBe(scan.tarBytes);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("names the URL without its signature when the upload is refused", async () => {
    const { createServer } = await import("node:http");
    const { uploadArchive } = await import("../../provider/template/api");
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.statusCode = 403;
        res.end("<Error><Code>SignatureDoesNotMatch</Code></Error>");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const scan = await scanContext(folder(BASIC));
      const port = (server.address() as { port: number }).port;
      const err = (await uploadArchive(`http://127.0.0.1:${port}/upload/tb_2?signature=very-secret`, scan, archiveBytes(scan.tarBytes)).catch((e: unknown) => e)) as Error;
      expect(err.message).toContain(`PUT http://127.0.0.1:${port}/upload/tb_2`);
      expect(err.message).toContain("403");
      expect(err.message).not.toContain("very-secret");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
