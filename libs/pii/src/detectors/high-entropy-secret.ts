import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';
import { looksRandom } from './shannon-entropy.ts';

/** A token of base64/base64url/hex characters, as API keys, session ids and hashes are written. */
const TOKEN = /(?<![\w+/=.~-])[A-Za-z0-9+/_.~-]{16,}={0,2}(?![\w+/=.~-])/g;

/*
 * `password=...`, `"api_key": "..."`, `Authorization: Bearer ...` in logs and config dumps. The
 * label plays the role of a column hint for the value after it.
 */
const LABELLED =
  /\b(pass(?:word|wd|phrase)?|pwd|secret|client[_-]?secret|(?:access|refresh|auth|session|bearer|api|id)?[_-]?token|api[_-]?key|apikey|x-api-key|authorization|private[_-]?key|secret[_-]?key|access[_-]?key)\b["']?\s{0,3}[:=]\s{0,3}["']?(?:(?:Bearer|Basic|Token)\s+)?([^\s"'`,;&<>]+)/gi;
/** `scheme://user:password@host`: the password of a connection string or URL. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s:/@]+:([^\s:/@]+)@/gi;
/** Values that mean "no secret here". */
const PLACEHOLDER =
  /^(?:\*+|x+|null|none|nil|true|false|undefined|empty|redacted|\[redacted[^\]]*\]|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\})$/i;

/** True when the label names a password, where any non-placeholder value is a secret. */
function isPasswordLabel(label: string): boolean {
  const c = label.charCodeAt(0) | 32;
  return c === 112 /* p(ass..), p(wd) */ && !/^private/i.test(label);
}

/**
 * Secrets known only from context. With a `secret` hint (column `api_token`, JSON key `password`),
 * every token that looks random (length, mixed alphabet, Shannon entropy) is a secret. In any text,
 * the value after a `password=` / `token:` / `Authorization:` label is one: after a password label
 * whatever it is, after other labels when it looks random. So is the password of a URL
 * (`postgres://app:pw@db/app`).
 */
export function createHighEntropySecretDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.LabelledSecret,
    detect(text: string, features: TextFeatures, context: ScanContext, out: SpanList): void {
      let m: RegExpExecArray | null;
      if (context.hint === slot && features.length >= 16) {
        TOKEN.lastIndex = 0;
        while ((m = TOKEN.exec(text)) !== null) {
          if (looksRandom(m[0]))
            out.push(m.index, m.index + m[0].length, slot, DetectorPriority.LabelledSecret);
        }
      }
      if (features.colon === 0 && features.equals === 0) return;
      if (features.at > 0 && features.colon > 0) {
        URL_PASSWORD.lastIndex = 0;
        while ((m = URL_PASSWORD.exec(text)) !== null) {
          const value = m[1]!;
          if (PLACEHOLDER.test(value)) continue;
          const end = m.index + m[0].length - 1;
          out.push(end - value.length, end, slot, DetectorPriority.LabelledSecret);
        }
      }
      LABELLED.lastIndex = 0;
      while ((m = LABELLED.exec(text)) !== null) {
        const value = m[2]!;
        if (PLACEHOLDER.test(value)) continue;
        const secret = isPasswordLabel(m[1]!) ? value.length >= 4 : looksRandom(value);
        if (secret) {
          const end = m.index + m[0].length;
          out.push(end - value.length, end, slot, DetectorPriority.LabelledSecret);
        }
      }
    },
  };
}
