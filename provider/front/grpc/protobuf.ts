// Protobuf's wire format, as much of it as the plugin's messages (messages.ts) need: a reader
// and a writer of fields, `google.protobuf.Struct` (property values) both ways, and a decoder
// made from a table of fields. Rules of the format kept here: fields in any order, unknown ones
// skipped by wire type, the last of a repeated scalar wins, maps are repeated key/value entries,
// proto3 defaults (empty string, false, 0, empty list) are not written, a set oneof always is.
import type { Loose } from "../../core/declare";

// ---- reading ----

/**
 * Reads the fields of one message, `buf[pos, end)`. An embedded message is read by a reader
 * over the same buffer (`sub()`), strings straight from it: a preview decodes a Struct of some
 * 30 properties per resource and call, so nothing is copied on the way.
 */
class Reader {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
    private readonly end: number,
  ) {}

  static of(bytes: Uint8Array): Reader {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return new Reader(buf, 0, buf.length);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error("a varint runs past the end of the message");
      const b = this.buf[this.pos++] as number;
      // Past 2^53 the value is not exact; no field read here holds one (lengths, enums, booleans).
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error("a varint is longer than 10 bytes");
  }

  /** The extent of a length-delimited field; the reader moves past it. */
  private span(): number {
    const n = this.varint();
    const start = this.pos;
    if (start + n > this.end) throw new Error("a field runs past the end of the message");
    this.pos = start + n;
    return start;
  }

  /** A reader of the embedded message in a length-delimited field. */
  sub(): Reader {
    const start = this.span();
    return new Reader(this.buf, start, this.pos);
  }

  string(): string {
    const start = this.span();
    return this.buf.toString("utf8", start, this.pos);
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new Error("a double runs past the end of the message");
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.span();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`wire type ${wireType} is not supported`);
    if (this.pos > this.end) throw new Error("a field runs past the end of the message");
  }
}

/** A `google.protobuf.Value` as a JavaScript value (a Value with no kind set reads as null). */
function readValue(r: Reader): unknown {
  let value: unknown = null;
  while (!r.done) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 1 && wire === 0) {
      r.varint();
      value = null;
    } else if (field === 2 && wire === 1) value = r.double();
    else if (field === 3 && wire === 2) value = r.string();
    else if (field === 4 && wire === 0) value = r.varint() !== 0;
    else if (field === 5 && wire === 2) value = readStruct(r.sub());
    else if (field === 6 && wire === 2) value = readList(r.sub());
    else r.skip(wire);
  }
  return value;
}

function readList(r: Reader): unknown[] {
  const out: unknown[] = [];
  while (!r.done) {
    const key = r.varint();
    if (key === 0x0a) out.push(readValue(r.sub()));
    else r.skip(key & 7);
  }
  return out;
}

/** One map entry (key 1, value 2) of string keys, the value read by `value` (`empty` when absent). */
function readEntry<V>(r: Reader, value: (r: Reader) => V, empty: V): [string, V] {
  let key = "";
  let v = empty;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) key = r.string();
    else if (tag === 0x12) v = value(r);
    else r.skip(tag & 7);
  }
  return [key, v];
}

const valueField = (r: Reader): unknown => readValue(r.sub());
const stringField = (r: Reader): string => r.string();

/** A `google.protobuf.Struct` as an object of JavaScript values. */
function readStruct(r: Reader): Loose {
  const out: Loose = {};
  while (!r.done) {
    const key = r.varint();
    if (key === 0x0a) {
      const [k, v] = readEntry(r.sub(), valueField, null as unknown);
      out[k] = v;
    } else r.skip(key & 7);
  }
  return out;
}

type FieldType = "string" | "bool" | "double" | "int32" | "struct" | "strings" | "stringMap";
type Decoded<T extends FieldType> = T extends "string" ? string : T extends "bool" ? boolean : T extends "double" | "int32" ? number : T extends "struct" ? Loose | undefined : T extends "strings" ? string[] : Map<string, string>;
export type Shape = Record<string, readonly [number, FieldType]>;
export type Message<S extends Shape> = { [K in keyof S]: Decoded<S[K][1]> };

const WIRE: Record<FieldType, number> = { string: 2, bool: 0, double: 1, int32: 0, struct: 2, strings: 2, stringMap: 2 };

/** A decoder of the message whose fields are `shape` (name → number and type). */
export function decoder<S extends Shape>(shape: S): (bytes: Uint8Array) => Message<S> {
  const fields = Object.entries(shape).map(([name, [n, type]]) => ({ name, n, type }));
  const byNumber = new Map(fields.map((f) => [f.n, f]));
  return (bytes) => {
    const out: Record<string, unknown> = {};
    for (const { name, type } of fields) {
      out[name] = type === "string" ? "" : type === "bool" ? false : type === "double" || type === "int32" ? 0 : type === "strings" ? [] : type === "stringMap" ? new Map() : undefined;
    }
    const r = Reader.of(bytes);
    while (!r.done) {
      const key = r.varint();
      const wire = key & 7;
      const f = byNumber.get(Math.floor(key / 8));
      if (f === undefined || wire !== WIRE[f.type]) {
        r.skip(wire);
        continue;
      }
      if (f.type === "string") out[f.name] = r.string();
      else if (f.type === "bool") out[f.name] = r.varint() !== 0;
      else if (f.type === "double") out[f.name] = r.double();
      else if (f.type === "int32") out[f.name] = r.varint() | 0;
      else if (f.type === "struct") out[f.name] = readStruct(r.sub());
      else if (f.type === "strings") (out[f.name] as string[]).push(r.string());
      else {
        const [k, v] = readEntry(r.sub(), stringField, "");
        (out[f.name] as Map<string, string>).set(k, v);
      }
    }
    return out as Message<S>;
  };
}

// ---- writing ----

function varintBytes(n: number): number[] {
  if (n < 0) {
    // A negative int32 is written as its 64-bit two's complement: ten bytes.
    let v = BigInt.asUintN(64, BigInt(n));
    const out: number[] = [];
    for (let i = 0; i < 10; i++, v >>= 7n) out.push(Number(v & 0x7fn) | (i < 9 ? 0x80 : 0));
    return out;
  }
  const out: number[] = [];
  while (n >= 128) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A message being written: fields appended in order, then `finish()`. */
export class Writer {
  private readonly parts: Uint8Array[] = [];

  private key(field: number, wire: number): void {
    this.parts.push(Uint8Array.from(varintBytes(field * 8 + wire)));
  }

  /** A length-delimited field (a string, bytes, or an embedded message), written even when empty. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.parts.push(Uint8Array.from(varintBytes(value.length)), value);
    return this;
  }

  string(field: number, value: string): this {
    return value === "" ? this : this.bytes(field, Buffer.from(value, "utf8"));
  }

  strings(field: number, values: readonly string[]): this {
    for (const v of values) this.bytes(field, Buffer.from(v, "utf8"));
    return this;
  }

  varint(field: number, value: number): this {
    if (value === 0) return this;
    this.key(field, 0);
    this.parts.push(Uint8Array.from(varintBytes(value)));
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.varint(field, value ? 1 : 0);
  }

  double(field: number, value: number): this {
    this.key(field, 1);
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleLE(value, 0);
    this.parts.push(b);
    return this;
  }

  /** An embedded message field, when there is one. */
  message(field: number, value: Uint8Array | undefined): this {
    return value === undefined ? this : this.bytes(field, value);
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

function valueBytes(v: unknown): Uint8Array {
  // A set oneof is written even at its default: NULL_VALUE (0) and `false` too.
  if (v === null || v === undefined) return Uint8Array.from([0x08, 0x00]);
  if (typeof v === "boolean") return Uint8Array.from([0x20, v ? 1 : 0]);
  const w = new Writer();
  if (typeof v === "number") w.double(2, v);
  else if (typeof v === "string") w.bytes(3, Buffer.from(v, "utf8"));
  else if (Array.isArray(v)) w.bytes(6, listBytes(v));
  else if (typeof v === "object") w.bytes(5, structBytes(v as Loose));
  else throw new Error(`a ${typeof v} is not a property value`);
  return w.finish();
}

function listBytes(values: readonly unknown[]): Uint8Array {
  const w = new Writer();
  for (const v of values) w.bytes(1, valueBytes(v));
  return w.finish();
}

/** Property values as a `google.protobuf.Struct` (values JSON-plain: core/json.ts `plain`). */
export function structBytes(value: Loose): Uint8Array {
  const w = new Writer();
  for (const [k, v] of Object.entries(value)) w.bytes(1, new Writer().string(1, k).bytes(2, valueBytes(v)).finish());
  return w.finish();
}
