import { createHash } from 'node:crypto';

const encoder = new TextEncoder();

/** Deeper than this is refused: no record nests so deep, and a cycle ends here instead of overflowing the stack. */
const MAX_DEPTH = 128;

/**
 * RFC 8785 (JCS) canonical JSON text of a JSON value: object keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers serialized as ECMAScript's JSON.stringify does (which JCS
 * adopts, section 3.2.2). Lone surrogates, NaN and Infinity have no canonical form and throw.
 *
 * Hand-written rather than the `canonicalize` package (kept as the test oracle): every evidence
 * record is canonicalized at the edge (its chain hash) and again by the ledger writer (the bytes
 * it hashes), and the package's per-call cycle set and character-by-character surrogate scan
 * made it the writer's largest cost per record. Here a depth bound stands in for the cycle set
 * and the surrogate check is the engine's native `isWellFormed`.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, 0);
  if (text === undefined) throw new TypeError('value has no canonical JSON form');
  return text;
}

/** RFC 8785 (JCS) canonical bytes of a JSON value: the exact bytes the ledger hashes and stores. */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

/** SHA-256 (hex) of a record's canonical bytes; links a session's records into a chain. */
export function recordHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** The canonical text of one value, or undefined for what JSON leaves out (undefined, functions, symbols). */
function write(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new TypeError(`nested deeper than ${MAX_DEPTH} (or circular)`);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return write((value as { toJSON(): unknown }).toJSON(), depth + 1);
      }
      return Array.isArray(value) ? writeArray(value, depth + 1) : writeObject(value, depth + 1);
    case 'bigint':
      throw new TypeError('a BigInt has no JSON form');
    default:
      return undefined;
  }
}

function writeArray(values: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += write(values[i], depth) ?? 'null';
  }
  return out + ']';
}

function writeObject(object: object, depth: number): string {
  // Array.prototype.sort without a comparator orders by UTF-16 code units, as JCS section 3.2.3 asks.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const text = write((object as Record<string, unknown>)[key], depth);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${quote(key)}:${text}`;
    first = false;
  }
  return out + '}';
}

function quote(text: string): string {
  if (!(text as unknown as WellFormed).isWellFormed())
    throw new TypeError('a lone surrogate has no canonical form');
  return JSON.stringify(text);
}

/** String.prototype.isWellFormed (ES2024; the workspace compiles against ES2023 typings). */
interface WellFormed {
  isWellFormed(): boolean;
}
