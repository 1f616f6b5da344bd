/** How far back (UTF-16 units) a label may sit before the value it describes. */
export const LABEL_WINDOW = 28;

/**
 * True when the text just before `index` ends with a label matching `label` (a regex anchored
 * with `$`), e.g. `SSN: ` before a bare number or `tel ` before a digit run. Only candidates that
 * already passed their validator reach this, so the slice is rare.
 */
export function hasLabelBefore(text: string, index: number, label: RegExp): boolean {
  if (index === 0) return false;
  return label.test(text.slice(Math.max(0, index - LABEL_WINDOW), index));
}
