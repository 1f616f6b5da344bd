import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';
import { looksRandom } from './shannon-entropy.ts';

/**
 * Vendor credentials recognisable by their documented prefixes:
 * AWS access key ids (`AKIA`/`ASIA` + 16), GitHub tokens (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36,
 * `github_pat_`), Slack (`xoxb-`/`xoxp-`/`xoxo-`/`xoxa-`...), Stripe live keys (`sk_live_`/`rk_live_`),
 * Google API keys (`AIza` + 35), OpenAI and Anthropic keys (`sk-`, `sk-proj-`, `sk-ant-api03-`...).
 */
const CANDIDATE = new RegExp(
  [
    '(?<![\\w-])(?:',
    '(?:AKIA|ASIA)[0-9A-Z]{16}',
    '|gh[pousr]_[A-Za-z0-9]{36,251}',
    '|github_pat_[A-Za-z0-9_]{50,255}',
    '|xox[bpoars]-[0-9A-Za-z][0-9A-Za-z-]{8,}',
    '|[sr]k_live_[0-9A-Za-z]{16,247}',
    '|AIza[0-9A-Za-z_-]{35}',
    '|sk-[A-Za-z0-9_-]{20,}',
    ')(?![\\w-])',
  ].join(''),
  'g',
);

/** True when `text` is exactly one vendor-prefixed credential. */
export function isVendorSecret(text: string): boolean {
  CANDIDATE.lastIndex = 0;
  const m = CANDIDATE.exec(text);
  return m !== null && m.index === 0 && m[0].length === text.length && plausible(m[0]);
}

/** `sk-` is also an ordinary slug prefix; an OpenAI/Anthropic key tail is random, a slug is not. */
function plausible(match: string): boolean {
  return !match.startsWith('sk-') || looksRandom(match.slice(3));
}

/** Credentials with a vendor prefix, anywhere in the text. */
export function createVendorSecretDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.VendorSecret,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.length < 20) return;
      CANDIDATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CANDIDATE.exec(text)) !== null) {
        if (plausible(m[0])) out.push(m.index, m.index + m[0].length, slot, DetectorPriority.VendorSecret);
      }
    },
  };
}
