// Word lists and number formats per country for the fake customers. Phone numbers come from
// ranges reserved for fiction where the regulator publishes one (NANP 555-01XX, Ofcom's drama
// numbers, the Bundesnetzagentur's and ARCEP's fiction ranges); bank and card prefixes are
// well-known test or sample values. Nothing here identifies a real person.
import { ibanFor } from './iban.ts';
import type { SeededRandom } from './seeded-random.ts';

/** A city with its own postcode and phone number shapes. */
export interface DemoCity {
  /** City name as written locally. */
  readonly name: string;
  /** A postcode in the city. */
  postcode(random: SeededRandom): string;
  /** A phone number in E.164 form (`+14155550134`). */
  phone(random: SeededRandom): string;
}

/** Everything needed to invent a plausible customer of one country. */
export interface DemoCountry {
  /** ISO 3166-1 alpha-2 code. */
  readonly code: string;
  /** Relative share of customers. */
  readonly weight: number;
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  /** Domains of customer email addresses (reserved example domains and lookalikes). */
  readonly emailDomains: readonly string[];
  readonly cities: readonly DemoCity[];
  /** A street address line. */
  street(random: SeededRandom): string;
  /** An IBAN, or undefined where the country has none (US). */
  iban(random: SeededRandom): string | undefined;
}

const nanpArea = (name: string, area: string, zipPrefix: string): DemoCity => ({
  name,
  postcode: (random) => `${zipPrefix}${random.digits(5 - zipPrefix.length)}`,
  // 555-0100 to 555-0199 is reserved for fictional use in every NANP area code.
  phone: (random) => `+1${area}55501${random.digits(2)}`,
});

const ukCity = (name: string, dialling: string, outward: readonly string[]): DemoCity => ({
  name,
  postcode: (random) =>
    `${random.pick(outward)} ${random.int(1, 9)}${random.letters(2, 'ABDEFGHJLNPQRSTUWXYZ')}`,
  // Ofcom drama numbers: 020 7946 0000-0999 and 01xx 496 0000-0999.
  phone: (random) => `+44${dialling}0${random.digits(3)}`,
});

const germanCity = (name: string, fiction: string, postcodePrefix: string): DemoCity => ({
  name,
  postcode: (random) => `${postcodePrefix}${random.digits(5 - postcodePrefix.length)}`,
  // Bundesnetzagentur ranges for film and television (e.g. 030 23125 000-999).
  phone: (random) => `+49${fiction}${random.digits(3)}`,
});

const frenchCity = (name: string, fiction: string, postcodes: readonly string[]): DemoCity => ({
  name,
  postcode: (random) => random.pick(postcodes),
  // ARCEP ranges reserved for fiction (01 99 00 xx xx, 04 65 71 xx xx, ...).
  phone: (random) => `+33${fiction}${random.digits(4)}`,
});

const plainCity = (
  name: string,
  countryCode: string,
  nationalPrefix: string,
  subscriberDigits: number,
  postcode: (random: SeededRandom) => string,
): DemoCity => ({
  name,
  postcode,
  phone: (random) =>
    `+${countryCode}${nationalPrefix}${random.int(2, 9)}${random.digits(subscriberDigits - 1)}`,
});

const dutchPostcode = (low: number, high: number) => (random: SeededRandom) =>
  `${random.int(low, high)} ${random.letters(2, 'ABCEGHJKLMNPRTVWXZ')}`;

const irishPostcode = (routingKeys: readonly string[]) => (random: SeededRandom) =>
  `${random.pick(routingKeys)} ${random.letters(1, 'ACDEFHKNPRTVWXY')}${random.letters(3, 'ACDEFHKNPRTVWXY0123456789')}`;

/** The countries customers come from, with their share of the data set. */
export const demoCountries: readonly DemoCountry[] = [
  {
    code: 'US',
    weight: 40,
    firstNames: [
      'James',
      'Mary',
      'Robert',
      'Patricia',
      'John',
      'Jennifer',
      'Michael',
      'Linda',
      'David',
      'Elizabeth',
      'William',
      'Barbara',
      'Richard',
      'Susan',
      'Joseph',
      'Jessica',
      'Thomas',
      'Sarah',
      'Christopher',
      'Karen',
      'Daniel',
      'Nancy',
      'Matthew',
      'Aisha',
      'Carlos',
      'Priya',
      'Wei',
      'Kenji',
      'DeShawn',
      'Mei',
    ],
    lastNames: [
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Jones',
      'Garcia',
      'Miller',
      'Davis',
      'Rodriguez',
      'Martinez',
      'Hernandez',
      'Lopez',
      'Wilson',
      'Anderson',
      'Taylor',
      'Moore',
      'Jackson',
      'Lee',
      'Thompson',
      'White',
      'Harris',
      'Clark',
      'Lewis',
      'Robinson',
      'Walker',
      'Young',
      'Nguyen',
      'Patel',
      'Kim',
      "O'Brien",
    ],
    emailDomains: ['example.com', 'example.net', 'example.org', 'mail.example.com'],
    cities: [
      nanpArea('New York', '212', '100'),
      nanpArea('Chicago', '312', '606'),
      nanpArea('San Francisco', '415', '941'),
      nanpArea('Austin', '512', '787'),
      nanpArea('Seattle', '206', '981'),
      nanpArea('Boston', '617', '021'),
      nanpArea('Denver', '303', '802'),
      nanpArea('Portland', '503', '972'),
      nanpArea('Miami', '305', '331'),
      nanpArea('Atlanta', '404', '303'),
    ],
    street: (random) => {
      const line = `${random.int(1, 9899)} ${random.pick(['Maple', 'Oak', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Sunset', 'Lincoln', 'Highland', 'Franklin', 'Madison'])} ${random.pick(['Street', 'Avenue', 'Road', 'Boulevard', 'Lane', 'Drive', 'Court'])}`;
      return random.chance(0.25)
        ? `${line}, Apt ${random.int(1, 30)}${random.pick(['A', 'B', 'C', 'D'])}`
        : line;
    },
    iban: () => undefined,
  },
  {
    code: 'GB',
    weight: 15,
    firstNames: [
      'Oliver',
      'Amelia',
      'George',
      'Isla',
      'Harry',
      'Ava',
      'Jack',
      'Mia',
      'Charlie',
      'Sophie',
      'Oscar',
      'Grace',
      'Arthur',
      'Freya',
      'Alfie',
      'Imogen',
      'Rhys',
      'Siân',
    ],
    lastNames: [
      'Taylor',
      'Davies',
      'Evans',
      'Roberts',
      'Wright',
      'Hughes',
      'Edwards',
      'Green',
      'Hall',
      'Wood',
      'Clarke',
      'Khan',
      'Murphy',
      'Bennett',
      'Ashworth',
      'Pritchard',
    ],
    emailDomains: ['example.co.uk', 'example.org.uk', 'example.com'],
    cities: [
      ukCity('London', '207946', ['SW1A', 'E1', 'N1', 'SE1', 'W1D', 'EC1V', 'NW3']),
      ukCity('Manchester', '161496', ['M1', 'M4', 'M14', 'M20']),
      ukCity('Birmingham', '121496', ['B1', 'B5', 'B15']),
      ukCity('Leeds', '113496', ['LS1', 'LS6', 'LS11']),
      ukCity('Bristol', '117496', ['BS1', 'BS6', 'BS8']),
      ukCity('Edinburgh', '131496', ['EH1', 'EH3', 'EH9']),
      ukCity('Glasgow', '141496', ['G1', 'G3', 'G12']),
    ],
    street: (random) =>
      `${random.int(1, 240)} ${random.pick(['High', 'Church', 'Station', 'Victoria', 'Park', 'Mill', "King's", "Queen's", 'Baker', 'Manor'])} ${random.pick(['Street', 'Road', 'Lane', 'Close', 'Avenue', 'Gardens'])}`,
    iban: (random) =>
      ibanFor(
        'GB',
        `${random.pick(['NWBK', 'BARC', 'LOYD', 'HBUK', 'MIDL'])}${random.digits(6)}${random.digits(8)}`,
      ),
  },
  {
    code: 'DE',
    weight: 15,
    firstNames: [
      'Lukas',
      'Mia',
      'Leon',
      'Emma',
      'Finn',
      'Hannah',
      'Jonas',
      'Lena',
      'Paul',
      'Sophie',
      'Felix',
      'Marie',
      'Maximilian',
      'Jürgen',
      'Sabine',
      'Özlem',
    ],
    lastNames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Schulz',
      'Hoffmann',
      'Koch',
      'Richter',
      'Klein',
      'Schröder',
      'Neumann',
      'Zimmermann',
      'Yılmaz',
    ],
    emailDomains: ['example.de', 'example.com', 'example.net'],
    cities: [
      germanCity('Berlin', '3023125', '10'),
      germanCity('Hamburg', '4066969', '20'),
      germanCity('Frankfurt am Main', '6990009', '60'),
      germanCity('München', '8999998', '80'),
      germanCity('Köln', '2214710', '50'),
    ],
    street: (random) =>
      `${random.pick(['Linden', 'Haupt', 'Garten', 'Schul', 'Bahnhof', 'Berg', 'Wald', 'Kirch', 'Rosen', 'Goethe', 'Schiller', 'Mozart'])}${random.pick(['straße', 'weg', 'allee', 'platz'])} ${random.int(1, 180)}${random.chance(0.15) ? random.pick(['a', 'b']) : ''}`,
    iban: (random) =>
      ibanFor(
        'DE',
        `${random.pick(['37040044', '10010010', '50010517', '20040000', '70150000'])}${random.digits(10)}`,
      ),
  },
  {
    code: 'FR',
    weight: 10,
    firstNames: [
      'Gabriel',
      'Louise',
      'Léo',
      'Jade',
      'Raphaël',
      'Emma',
      'Arthur',
      'Chloé',
      'Louis',
      'Inès',
      'Jules',
      'Léa',
      'Hugo',
      'Manon',
      'Thérèse',
      'François',
    ],
    lastNames: [
      'Martin',
      'Bernard',
      'Dubois',
      'Thomas',
      'Robert',
      'Richard',
      'Petit',
      'Durand',
      'Leroy',
      'Moreau',
      'Simon',
      'Laurent',
      'Lefèvre',
      'Michel',
      'Fournier',
      'Girard',
    ],
    emailDomains: ['example.fr', 'example.com', 'example.net'],
    cities: [
      frenchCity('Paris', '19900', ['75001', '75004', '75008', '75011', '75015', '75018']),
      frenchCity('Lyon', '46571', ['69001', '69003', '69006', '69007']),
      frenchCity('Marseille', '46571', ['13001', '13006', '13008']),
      frenchCity('Nantes', '26191', ['44000', '44100', '44300']),
      frenchCity('Bordeaux', '53649', ['33000', '33100', '33200']),
      frenchCity('Lille', '35301', ['59000', '59800']),
    ],
    street: (random) =>
      `${random.int(1, 140)}${random.chance(0.1) ? ' bis' : ''} ${random.pick(['rue de la Paix', 'rue Victor Hugo', 'rue du Moulin', 'rue des Lilas', 'avenue de la République', 'boulevard Voltaire', 'avenue Jean Jaurès', 'rue Pasteur', "quai de l'Horloge"])}`,
    iban: (random) => {
      const bank = random.pick(['30004', '30006', '20041', '10107']);
      const branch = random.digits(5);
      const account = random.digits(11);
      return ibanFor('FR', `${bank}${branch}${account}${ribKey(bank, branch, account)}`);
    },
  },
  {
    code: 'NL',
    weight: 8,
    firstNames: [
      'Daan',
      'Emma',
      'Sem',
      'Julia',
      'Lucas',
      'Mila',
      'Levi',
      'Tess',
      'Finn',
      'Sophie',
      'Milan',
      'Zoë',
      'Bram',
      'Saar',
      'Thijs',
      'Anouk',
    ],
    lastNames: [
      'de Jong',
      'Jansen',
      'de Vries',
      'van den Berg',
      'van Dijk',
      'Bakker',
      'Visser',
      'Smit',
      'Meijer',
      'de Boer',
      'Mulder',
      'de Groot',
      'Bos',
      'Vos',
      'Hendriks',
      'van Leeuwen',
    ],
    emailDomains: ['example.nl', 'example.com'],
    cities: [
      plainCity('Amsterdam', '31', '20', 7, dutchPostcode(1011, 1109)),
      plainCity('Rotterdam', '31', '10', 7, dutchPostcode(3011, 3089)),
      plainCity('Utrecht', '31', '30', 7, dutchPostcode(3511, 3585)),
      plainCity('Den Haag', '31', '70', 7, dutchPostcode(2491, 2597)),
      plainCity('Eindhoven', '31', '40', 7, dutchPostcode(5611, 5658)),
    ],
    street: (random) =>
      `${random.pick(['Keizersgracht', 'Prinsengracht', 'Herengracht', 'Kerkstraat', 'Dorpsstraat', 'Stationsweg', 'Molenweg', 'Julianalaan', 'Beatrixstraat'])} ${random.int(1, 420)}${random.chance(0.2) ? `-${random.pick(['I', 'II', 'III', 'hs'])}` : ''}`,
    iban: (random) =>
      ibanFor('NL', `${random.pick(['ABNA', 'RABO', 'INGB', 'TRIO', 'SNSB'])}${random.digits(10)}`),
  },
  {
    code: 'ES',
    weight: 8,
    firstNames: [
      'Hugo',
      'Lucía',
      'Martín',
      'Sofía',
      'Pablo',
      'María',
      'Alejandro',
      'Martina',
      'Daniel',
      'Paula',
      'Álvaro',
      'Julia',
      'Javier',
      'Carmen',
      'José',
      'Elena',
    ],
    lastNames: [
      'García',
      'Rodríguez',
      'González',
      'Fernández',
      'López',
      'Martínez',
      'Sánchez',
      'Pérez',
      'Gómez',
      'Jiménez',
      'Ruiz',
      'Hernández',
      'Díaz',
      'Moreno',
      'Muñoz',
      'Álvarez',
    ],
    emailDomains: ['example.es', 'example.com'],
    cities: [
      plainCity('Madrid', '34', '91', 7, (random) => `280${random.digits(2)}`),
      plainCity('Barcelona', '34', '93', 7, (random) => `080${random.digits(2)}`),
      plainCity('Valencia', '34', '96', 7, (random) => `460${random.digits(2)}`),
      plainCity('Sevilla', '34', '95', 7, (random) => `410${random.digits(2)}`),
      plainCity('Bilbao', '34', '94', 7, (random) => `480${random.digits(2)}`),
    ],
    street: (random) =>
      `${random.pick(['Calle Mayor', 'Calle de Alcalá', 'Gran Vía', 'Calle del Sol', 'Avenida de la Paz', 'Calle Real', 'Plaza de España', 'Paseo de Gracia'])}, ${random.int(1, 160)}${random.chance(0.3) ? `, ${random.int(1, 8)}º ${random.pick(['A', 'B', 'C', 'D'])}` : ''}`,
    iban: (random) => {
      const bank = random.pick(['2100', '0049', '0182', '2038', '0081']);
      const branch = random.digits(4);
      const account = random.digits(10);
      return ibanFor('ES', `${bank}${branch}${spanishControlDigits(bank, branch, account)}${account}`);
    },
  },
  {
    code: 'IE',
    weight: 4,
    firstNames: [
      'Jack',
      'Emily',
      'James',
      'Grace',
      'Noah',
      'Fiadh',
      'Conor',
      'Aoife',
      'Seán',
      'Siobhán',
      'Cian',
      'Niamh',
      'Oisín',
      'Saoirse',
    ],
    lastNames: [
      'Murphy',
      'Kelly',
      "O'Sullivan",
      'Walsh',
      'Byrne',
      'Ryan',
      "O'Connor",
      "O'Neill",
      'Doyle',
      'McCarthy',
      'Gallagher',
      'Kennedy',
    ],
    emailDomains: ['example.ie', 'example.com'],
    cities: [
      plainCity('Dublin', '353', '1', 7, irishPostcode(['D02', 'D04', 'D06', 'D08', 'D15'])),
      plainCity('Cork', '353', '21', 7, irishPostcode(['T12', 'T23'])),
      plainCity('Galway', '353', '91', 6, irishPostcode(['H91'])),
      plainCity('Limerick', '353', '61', 6, irishPostcode(['V94'])),
    ],
    street: (random) =>
      `${random.int(1, 120)} ${random.pick(['Main Street', 'Church Road', 'Strand Road', 'Harbour View', 'Castle Street', 'Abbey Lane'])}`,
    iban: (random) =>
      ibanFor('IE', `${random.pick(['AIBK', 'BOFI', 'IPBS'])}${random.digits(6)}${random.digits(8)}`),
  },
];

/** French RIB key: 97 - ((89 × bank + 15 × branch + 3 × account) mod 97), digits-only accounts. */
function ribKey(bank: string, branch: string, account: string): string {
  const remainder = (89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97;
  return String(97 - remainder).padStart(2, '0');
}

/** Spanish CCC control digits: weighted mod 11 over `00`+bank+branch, then over the account. */
function spanishControlDigits(bank: string, branch: string, account: string): string {
  const weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const digit = (text: string): number => {
    const value = 11 - ([...text].reduce((sum, char, i) => sum + Number(char) * weights[i]!, 0) % 11);
    return value === 11 ? 0 : value === 10 ? 1 : value;
  };
  return `${digit(`00${bank}${branch}`)}${digit(account)}`;
}
