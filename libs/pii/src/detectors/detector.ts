import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';

/**
 * What a scan knows about the text besides its characters. Decided once per column (or per JSON
 * key, or per labelled value in free text), never per detector.
 */
export interface ScanContext {
  /**
   * Slot of the entity a column name, JSON key or label says this text holds, or -1. Hint-only
   * detections (a bare 9-digit SSN, a high-entropy token, names, addresses, birth dates) need it.
   */
  hint: number;
  /**
   * The column name says it holds identifiers or versions (`order_no`, `version`): shapes that are
   * only weakly PII (a bare digit run as a phone, `1.2.3.4` as an IPv4) are not reported there.
   */
  identifier: boolean;
  /** The text is one whole cell value, not a line of command output. */
  wholeCell: boolean;
}

/**
 * One entity detector. Detectors are built once per compiled profile; `detect` is called on the
 * hot path and must not allocate when the text holds nothing of its entity.
 */
export interface Detector {
  /** Entity slot the detector reports (index into the profile's entity table). */
  readonly slot: number;
  /** Priority in overlaps: the more specific entity wins (see `SpanList.resolve`). */
  readonly priority: number;
  /** Appends every validated span of the entity in `text` to `out`. */
  detect(text: string, features: TextFeatures, context: ScanContext, out: SpanList): void;
}

/** Overlap priorities of the built-in detectors; higher wins. */
export const DetectorPriority = {
  HintedWhole: 200,
  PrivateKey: 100,
  Jwt: 95,
  VendorSecret: 90,
  LabelledSecret: 85,
  Email: 80,
  Custom: 75,
  Iban: 70,
  Card: 60,
  Ssn: 50,
  Ipv6: 45,
  Ipv4: 40,
  Phone: 30,
} as const;

/** True when the UTF-16 code unit is an ASCII letter, digit or underscore (regex `\w`). */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;
}

/** The ASCII digits of `text`, in order (separators dropped). */
export function digitsOf(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) out += text[i];
  }
  return out;
}
