// ISO 13616 IBAN check digits (mod 97-10 of ISO 7064).

/** Remainder mod 97 of a string of digits and upper-case letters (A=10 … Z=35), computed piecewise. */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else throw new RangeError(`not an IBAN character: ${JSON.stringify(char)}`);
  }
  return remainder;
}

/** A complete electronic-format IBAN for `country` (e.g. `DE`) and its national BBAN. */
export function ibanFor(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** True when `iban` (spaces allowed) passes the mod-97 check: rearranged, its remainder is 1. */
export function isIbanChecksumValid(iban: string): boolean {
  const compact = iban.replaceAll(' ', '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact)) return false;
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
}

/** Groups of four characters, the printed form of an IBAN (`DE89 3704 0044 0532 0130 00`). */
export function printedIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}
