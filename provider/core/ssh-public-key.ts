// OpenSSH public key lines (`type base64-blob [comment]`), as `ssh-keygen` writes them in
// `~/.ssh/*.pub`. Pure: no I/O. The format and the fingerprint are OpenSSH's, not Agent37's, so
// the provider's `check` and the emulator share this one parser (tested against ssh-keygen's
// output). Its refusals never quote a token of the line that is not a known key type name: a
// private key pasted by mistake (a raw ed25519 seed, a PKCS#8 body) is the first word of the
// line, and an error message is no place for it.
import { createHash } from "node:crypto";

/** The key types Agent37 accepts (its SSH page lists exactly these). */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

/**
 * Key type names OpenSSH knows (supported by Agent37 or not), the only words of a refused line
 * a message may quote. Anything else may be key material.
 */
const KNOWN_KEY_TYPE_NAMES: ReadonlySet<string> = new Set([
  ...SSH_KEY_TYPES,
  "ssh-dss",
  "ssh-ed448",
  "rsa-sha2-256",
  "rsa-sha2-512",
  "x509v3-ssh-rsa",
  "x509v3-ssh-dss",
  ...["ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"].map(
    (t) => `${t.replace("@openssh.com", "")}-cert-v01@openssh.com`,
  ),
]);

export interface ParsedSshKey {
  type: SshKeyType;
  /** The decoded key blob (what the fingerprint hashes). */
  blob: Buffer;
  /** `SHA256:` + unpadded base64 of sha256(blob): what `ssh-keygen -l` prints. */
  fingerprint: string;
  /** Text after the blob, trimmed; null when absent. */
  comment: string | null;
}

export type SshKeyParse = { ok: true; key: ParsedSshKey } | { ok: false; reason: string };

/** Reads the SSH wire format's length-prefixed strings (RFC 4251 `string`/`mpint`). */
class BlobReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  bytes(): Buffer | undefined {
    if (this.at + 4 > this.buf.length) return undefined;
    const len = this.buf.readUInt32BE(this.at);
    const start = this.at + 4;
    if (start + len > this.buf.length) return undefined;
    this.at = start + len;
    return this.buf.subarray(start, start + len);
  }

  text(): string | undefined {
    return this.bytes()?.toString("latin1");
  }

  get done(): boolean {
    return this.at === this.buf.length;
  }
}

/** ECDSA curve name and the length of its uncompressed point (0x04 || X || Y). */
const CURVES: Record<string, number> = { nistp256: 65, nistp384: 97, nistp521: 133 };

/** Checks the blob's fields after the type name; undefined when they fit the type. */
function blobProblem(type: SshKeyType, r: BlobReader): string | undefined {
  const ecdsa = (curve: string): string | undefined => {
    if (r.text() !== curve) return `the ${type} key names another curve than ${curve}`;
    const q = r.bytes();
    if (!q || q.length !== CURVES[curve] || q[0] !== 0x04) return `the ${type} key's point is not an uncompressed ${curve} point`;
    return undefined;
  };
  let problem: string | undefined;
  switch (type) {
    case "ssh-ed25519":
    case "sk-ssh-ed25519@openssh.com":
      if (r.bytes()?.length !== 32) problem = `the ${type} key is not 32 bytes`;
      break;
    case "ssh-rsa": {
      const e = r.bytes();
      const n = r.bytes();
      if (!e || !n || e.length === 0 || n.length === 0) problem = "the ssh-rsa key lacks its exponent or modulus";
      // Significant modulus bits; OpenSSH refuses RSA keys under 1024 bits.
      else if ((n.length - (n[0] === 0 ? 1 : 0)) * 8 < 1024) problem = "the ssh-rsa key is shorter than 1024 bits";
      break;
    }
    case "ecdsa-sha2-nistp256":
    case "sk-ecdsa-sha2-nistp256@openssh.com":
      problem = ecdsa("nistp256");
      break;
    case "ecdsa-sha2-nistp384":
      problem = ecdsa("nistp384");
      break;
    case "ecdsa-sha2-nistp521":
      problem = ecdsa("nistp521");
      break;
  }
  if (problem) return problem;
  // Security keys carry the FIDO application (`ssh:` by default) after the key.
  if (type.startsWith("sk-") && r.text() === undefined) return `the ${type} key lacks its application string`;
  if (!r.done) return `the ${type} key has trailing bytes`;
  return undefined;
}

export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses one OpenSSH public key line. Refuses (with the reason) anything else: several lines,
 * `authorized_keys` options before the type, an unsupported type, bad base64, or a blob whose
 * fields do not fit its type.
 */
export function parseSshPublicKey(line: string): SshKeyParse {
  const fail = (reason: string): SshKeyParse => ({ ok: false, reason });
  const text = line.trim();
  if (text === "") return fail("is empty (expected one OpenSSH public key line such as `ssh-ed25519 AAAA... you@host`)");
  if (/[\r\n]/.test(text)) return fail("must be a single line (one key)");
  const [type = "", data = "", ...rest] = text.split(/[ \t]+/);
  if (type.startsWith("-----BEGIN") || type === "----") return fail("is a PEM/RFC 4716 block; give the OpenSSH one-line form (`ssh-keygen -i -f key.pub` converts it)");
  if (type.includes("PRIVATE")) return fail("looks like a private key; give the public key (the .pub file)");
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    const named = KNOWN_KEY_TYPE_NAMES.has(type)
      ? `has type ${JSON.stringify(type)}, which is not supported`
      : [data, ...rest].some((w) => (SSH_KEY_TYPES as readonly string[]).includes(w))
        ? "has something before the key type (authorized_keys options are not part of a key; not shown: it may be a secret)"
        : "does not start with a key type (its first word is not shown: it may be a secret)";
    return fail(`${named} (supported: ${SSH_KEY_TYPES.join(", ")}); give the public key line (the .pub file), never the private key`);
  }
  if (data === "") return fail(`has no key data after ${type}`);
  if (!BASE64.test(data) || data.length % 4 !== 0) return fail("has key data that is not valid base64");
  const blob = Buffer.from(data, "base64");
  const r = new BlobReader(blob);
  const inner = r.text();
  if (inner !== type) {
    const what = inner !== undefined && KNOWN_KEY_TYPE_NAMES.has(inner) ? `a ${JSON.stringify(inner)} key` : "not an SSH public key";
    return fail(`says ${type} but its key data is ${what}`);
  }
  const problem = blobProblem(type as SshKeyType, r);
  if (problem) return fail(`is not a valid key: ${problem}`);
  const comment = rest.join(" ").trim();
  return { ok: true, key: { type: type as SshKeyType, blob, fingerprint: sshFingerprint(blob), comment: comment === "" ? null : comment } };
}
