import { hash } from 'node:crypto';
import { ChainFieldScanner } from './chain-field-scanner.ts';

/** The parts of an evidence record that session-chain checks read. */
export interface ChainFields {
  /** Record kind, e.g. `statement`. */
  readonly kind: string;
  /** Record time (RFC 3339), as written in the record. */
  readonly time: string;
  /** Session id. */
  readonly sessionId: string;
  /** Position in the session, from 0. */
  readonly seq: number;
  /** SHA-256 hex of the session's previous record; null for seq 0. */
  readonly prev: string | null;
  /** For session_closed: what the closing record claims (absent claims are undefined). */
  readonly close?: { readonly chainHead: unknown; readonly recordCount: unknown };
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const HEX_HASH = /^[0-9a-f]{64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const scanner = new ChainFieldScanner();

/**
 * Reads the chain fields from a record's canonical bytes; null when the bytes are not UTF-8
 * JSON of an evidence record with a session position (contracts/schemas/evidence-record).
 * Canonical records are scanned in place (see `ChainFieldScanner`); anything else is parsed.
 */
export function readChainFields(canonical: Uint8Array): ChainFields | null {
  return scanner.scan(canonical) ? scanner.fields() : parseChainFields(canonical);
}

/** {@link readChainFields} by a full JSON.parse: the reference the scanner must agree with. */
export function parseChainFields(canonical: Uint8Array): ChainFields | null {
  let record: unknown;
  try {
    record = JSON.parse(decoder.decode(canonical));
  } catch {
    return null;
  }
  if (!isObject(record) || !isObject(record['session'])) return null;
  const { kind, time, details } = record;
  const { id, seq, prev } = record['session'];
  if (typeof kind !== 'string' || typeof time !== 'string' || typeof id !== 'string') return null;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return null;
  if (prev !== null && (typeof prev !== 'string' || !HEX_HASH.test(prev))) return null;
  const fields = { kind, time, sessionId: id, seq: seq as number, prev };
  if (kind !== 'session_closed') return fields;
  const claims = isObject(details) ? details : {};
  return { ...fields, close: { chainHead: claims['chainHead'], recordCount: claims['recordCount'] } };
}

/** SHA-256 hex of a record's canonical bytes: what the next record of its session names as `prev`. */
export function chainHash(canonical: Uint8Array): string {
  return hash('sha256', canonical, 'hex');
}
