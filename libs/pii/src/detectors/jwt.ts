import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';

/** Three base64url parts; a JOSE header is a JSON object, so it always starts `eyJ` (`{"`). */
const CANDIDATE = /(?<![\w-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?![\w-])/g;

/**
 * True when the first part of `token` decodes to a JSON object with a string `alg`
 * (RFC 7515 section 4.1.1), the one member every JWS/JWT header has.
 */
export function hasJoseHeader(token: string): boolean {
  const dot = token.indexOf('.');
  if (dot < 0) return false;
  const json = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
  if (json.charCodeAt(json.length - 1) !== 125 /* } */) return false; // skip the throwing parse
  try {
    const header: unknown = JSON.parse(json);
    return (
      typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string'
    );
  } catch {
    return false;
  }
}

/** True when `text` is exactly one JWT. */
export function isJwt(text: string): boolean {
  CANDIDATE.lastIndex = 0;
  const m = CANDIDATE.exec(text);
  return m !== null && m.index === 0 && m[0].length === text.length && hasJoseHeader(m[0]);
}

/** JSON Web Tokens (RFC 7519) in compact serialisation. */
export function createJwtDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.Jwt,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.dot < 2 || features.length < 20 || text.indexOf('eyJ') < 0) return;
      CANDIDATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CANDIDATE.exec(text)) !== null) {
        if (hasJoseHeader(m[0])) out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Jwt);
      }
    },
  };
}
