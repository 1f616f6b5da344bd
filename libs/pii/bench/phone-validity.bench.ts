// Phone validity on one core: libphonenumber-js `isValidPhoneNumber(candidate, 'US')` against
// `PhoneValidity.isValid`, on the same ~200 candidates, measured in alternating rounds of the same
// run. The candidates mirror what the phone detector passes for the demo data: the demo's phone
// shapes (NANP 555-01XX in three formats, UK drama numbers, German and French fiction ranges, Dutch,
// Spanish and Irish numbers), libphonenumber example numbers of other countries written in
// international format, and shapes the detector also asks about, most of them invalid in the US.
// Run: node --import tsx libs/pii/bench/phone-validity.bench.ts
import { getExampleNumber, isValidPhoneNumber, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { PhoneValidity } from '../src/detectors/phone-validity.ts';
import { seededRandom } from './seeded-random.ts';

const REGION: CountryCode = 'US';

const { random, pick, digits } = seededRandom(42);
const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

// The demo data's phone shapes (deploy/local-stack/src/demo-data/demo-countries.ts).
const NANP_AREAS = ['212', '312', '415', '512', '206', '617', '303', '503', '305', '404'];
const UK_DIALLING = ['207946', '161496', '121496', '113496', '117496', '131496', '141496'];
const DE_FICTION = ['3023125', '4066969', '6990009', '8999998', '2214710'];
const FR_FICTION = ['19900', '46571', '26191', '53649', '35301'];
const PLAIN = [
  ['31', '20', 7],
  ['31', '10', 7],
  ['34', '91', 7],
  ['34', '93', 7],
  ['353', '1', 7],
  ['353', '21', 7],
] as const;

const candidates: string[] = [];
for (let i = 0; i < 60; i++) {
  const area = pick(NANP_AREAS);
  const line = `01${digits(2)}`;
  candidates.push(pick([`+1${area}555${line}`, `(${area}) 555-${line}`, `${area}-555-${line}`]));
}
for (let i = 0; i < 25; i++) candidates.push(`+44${pick(UK_DIALLING)}0${digits(3)}`);
for (let i = 0; i < 20; i++) candidates.push(`+49${pick(DE_FICTION)}${digits(3)}`);
for (let i = 0; i < 20; i++) candidates.push(`+33${pick(FR_FICTION)}${digits(4)}`);
for (let i = 0; i < 20; i++) {
  const [cc, prefix, subscriber] = pick(PLAIN);
  candidates.push(`+${cc}${prefix}${between(2, 9)}${digits(subscriber - 1)}`);
}
const OTHER: readonly CountryCode[] = [
  'IN',
  'BR',
  'AU',
  'JP',
  'MX',
  'IT',
  'AR',
  'RU',
  'CN',
  'ZA',
  'KR',
  'SG',
];
for (const country of OTHER) {
  const example = getExampleNumber(country, examples)!;
  candidates.push(example.formatInternational(), example.number);
  // The same number with other last digits, as different customers would have.
  candidates.push(`${example.number.slice(0, -2)}${digits(2)}`, `${example.number.slice(0, -3)}${digits(3)}`);
}
// Shapes the detector also asks about: a number with a trailing group it then drops, a digit run
// after a label that is an order number, toll-free and out-of-range NANP numbers, UK national.
for (let i = 0; i < 15; i++) {
  candidates.push(
    pick([
      `+1 ${pick(NANP_AREAS)} 555 01${digits(2)} ${digits(2)}`,
      `${between(1, 9)}${digits(8)}`,
      `1-800-555-${digits(4)}`,
      `(${pick(NANP_AREAS)}) 155-${digits(4)}`,
      `020 ${digits(4)} ${digits(4)}`,
    ]),
  );
}

const validity = new PhoneValidity(REGION);
let mismatches = 0;
let valid = 0;
for (const candidate of candidates) {
  const expected = isValidPhoneNumber(candidate, REGION);
  if (expected) valid++;
  if (validity.isValid(candidate) !== expected) mismatches++;
}

// Both sides return a count so the loop cannot be optimised away.
const library = (): number => {
  let n = 0;
  for (const candidate of candidates) if (isValidPhoneNumber(candidate, REGION)) n++;
  return n;
};
const port = (): number => {
  let n = 0;
  for (const candidate of candidates) if (validity.isValid(candidate)) n++;
  return n;
};

/*
 * CPU time per pass over the list (the machine is shared: process CPU time is what one core spent
 * even when the wall clock waited). Rounds alternate the two sides so drift hits both alike.
 */
function cpuMs(run: () => number, passes: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < passes; i++) run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / passes;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (let i = 0; i < 200; i++) {
  library();
  port();
}
const libraryMs: number[] = [];
const portMs: number[] = [];
for (let round = 0; round < 21; round++) {
  libraryMs.push(cpuMs(library, 20));
  portMs.push(cpuMs(port, 200));
}
const libraryRate = (candidates.length * 1000) / median(libraryMs);
const portRate = (candidates.length * 1000) / median(portMs);

const rate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')} calls/s`;
console.log(
  `${candidates.length} candidates (${valid} valid in ${REGION}), port disagrees with the library on ${mismatches}`,
);
console.log(
  `isValidPhoneNumber        ${rate(libraryRate).padStart(20)}  ${(1e6 / libraryRate).toFixed(2)} µs/call`,
);
console.log(
  `PhoneValidity.isValid     ${rate(portRate).padStart(20)}  ${(1e6 / portRate).toFixed(2)} µs/call`,
);
console.log(`ratio                     ${(portRate / libraryRate).toFixed(1)}x`);
if (mismatches > 0) process.exitCode = 1;
