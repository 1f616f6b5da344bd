import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';

/**
 * A profile's own pattern: every match of `pattern` (compiled once, global) that `check` accepts
 * is reported as `slot`. Empty matches are skipped so a careless pattern cannot loop.
 */
export function createCustomRuleDetector(
  slot: number,
  pattern: RegExp,
  check: ((match: string) => boolean) | undefined,
): Detector {
  return {
    slot,
    priority: DetectorPriority.Custom,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.length === 0) return;
      pattern.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = pattern.exec(text)) !== null) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        if (check === undefined || check(m[0]))
          out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Custom);
      }
    },
  };
}
