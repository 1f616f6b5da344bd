// Text rules shared by signed notes and checkpoints (c2sp.org/signed-note, "Format"): valid
// UTF-8 and no ASCII control characters other than newline.
// https://c2sp.org/signed-note

const NEWLINE = 0x0a;
const SPACE_OR_PLUS = /[\p{White_Space}+]/u;

/**
 * True when `text` is valid UTF-8 text without ASCII control characters other than newline.
 * A JavaScript string is UTF-16: a lone surrogate has no UTF-8 encoding (Buffer.from would
 * silently replace it), so it makes the text invalid.
 */
export function isValidNoteText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20) {
      if (unit !== NEWLINE) return false;
    } else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i += 1;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/**
 * True when `name` is a valid key name: non-empty, valid note text, without Unicode spaces
 * (which include newline) or plus signs (c2sp.org/signed-note, "Format").
 */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && isValidNoteText(name) && !SPACE_OR_PLUS.test(name);
}
