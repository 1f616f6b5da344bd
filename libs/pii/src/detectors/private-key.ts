import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';

/**
 * PEM private key blocks (RFC 7468 section 10; OpenSSH, PKCS#1/#8, EC, PGP armour). A block whose
 * END line is not in this text is masked to the end of the text: the rest of the key is in it.
 */
const BLOCK =
  /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$(?![\s\S]))/g;

/** Marker that opens a private key block; stream maskers look for it across chunks. */
export const PRIVATE_KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** Marker that closes a private key block. */
export const PRIVATE_KEY_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

/** Private key blocks in PEM / armoured form. */
export function createPrivateKeyDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.PrivateKey,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.dash < 10 || text.indexOf('-----BEGIN ') < 0) return;
      BLOCK.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = BLOCK.exec(text)) !== null) {
        out.push(m.index, m.index + m[0].length, slot, DetectorPriority.PrivateKey);
      }
    },
  };
}
