import { dockerfileInstructions, TarScanner } from "../../emulator/archive";
import { DOCKERFILE, tar } from "./tar";

function scan(bytes: Buffer, chunk = bytes.length) {
  const s = new TarScanner();
  for (let i = 0; i < bytes.length; i += chunk) s.write(bytes.subarray(i, i + chunk));
  return s.end();
}

/** A PAX extended header naming the next entry (what tar writes for long or non-ASCII paths). */
function paxNamed(path: string, body: string): Buffer {
  const record = (k: string, v: string): string => {
    const rest = ` ${k}=${v}\n`;
    let len = rest.length + 2;
    while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
    return `${len}${rest}`;
  };
  const archive = tar([{ name: "PaxHeader", body: record("path", path) }, { name: "placeholder", body }]);
  // Turn the first entry into a PAX header ('x') and fix its checksum.
  archive[156] = "x".charCodeAt(0);
  archive.write("        ", 148, "latin1");
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += archive[i] ?? 0;
  archive.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return archive;
}

describe("TarScanner", () => {
  it("finds the root Dockerfile and counts entries, fed one byte at a time", () => {
    const archive = tar([{ name: "src/", type: "dir" }, { name: "src/a.js", body: "a" }, { name: "Dockerfile", body: DOCKERFILE }]);
    const r = scan(archive, 1);
    expect(r).toEqual({ problem: null, entries: 3, dockerfile: true, dockerfileText: DOCKERFILE });
    expect(scan(archive, 7)).toEqual(r);
  });

  it("uses GNU long names and PAX paths for the next entry", () => {
    expect(scan(tar([{ name: `${"x".repeat(150)}/Dockerfile`, body: "FROM a" }])).dockerfile).toBe(false);
    expect(scan(paxNamed("Dockerfile", "FROM a\n"))).toMatchObject({ problem: null, entries: 1, dockerfile: true, dockerfileText: "FROM a\n" });
    expect(scan(paxNamed("deep/Dockerfile", "FROM a\n")).dockerfile).toBe(false);
  });

  it("reports what is not a complete tar", () => {
    expect(scan(Buffer.alloc(0)).problem).toMatch(/empty/);
    expect(scan(Buffer.from("x".repeat(1024))).problem).toMatch(/not a tar/);
    expect(scan(tar([{ name: "f", body: "y".repeat(2000) }]).subarray(0, 1000)).problem).toMatch(/truncated/);
    const corrupt = tar([{ name: "a", body: "1" }, { name: "b", body: "2" }]);
    corrupt[1024] = 0x41;
    expect(scan(corrupt).problem).toMatch(/corrupt after 1 entries/);
  });
});

describe("dockerfileInstructions", () => {
  it("drops comments and blank lines and joins continuations", () => {
    expect(dockerfileInstructions(DOCKERFILE)).toEqual(["FROM node:22-slim", "COPY . /app", "RUN npm ci --omit=dev", 'CMD ["node", "/app/server.js"]']);
  });
});
