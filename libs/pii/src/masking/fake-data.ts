/** Given names the fake operator draws from (common in the US/UK census lists, no real persons). */
// prettier-ignore
export const FAKE_GIVEN_NAMES: readonly string[] = [
  'Alex', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Rowan', 'Harper',
  'Emerson', 'Finley', 'Hayden', 'Reese', 'Sawyer', 'Parker', 'Dakota', 'Skyler', 'Kendall', 'Logan',
  'Cameron', 'Drew', 'Elliot', 'Robin', 'Sidney', 'Charlie', 'Frankie', 'Jesse', 'Kai', 'Marley', 'Noel',
];

/** Family names the fake operator draws from. */
// prettier-ignore
export const FAKE_FAMILY_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez', 'Wilson', 'Anderson',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
  'Walker', 'Hall', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill',
];

/** Street names for fake addresses. */
// prettier-ignore
export const FAKE_STREETS: readonly string[] = [
  'Maple', 'Oak', 'Cedar', 'Pine', 'Elm', 'Willow', 'Birch', 'Lake', 'Hill', 'Park', 'River', 'Sunset',
  'Meadow', 'Forest', 'Spring', 'Highland', 'Valley', 'Ridge', 'Church', 'Mill',
];

/** Street suffixes for fake addresses. */
export const FAKE_STREET_SUFFIXES: readonly string[] = ['St', 'Ave', 'Rd', 'Ln', 'Dr', 'Ct', 'Way', 'Blvd'];

/** Place names for fake city values. */
// prettier-ignore
export const FAKE_CITIES: readonly string[] = [
  'Springfield', 'Riverton', 'Fairview', 'Greenville', 'Franklin', 'Clinton', 'Georgetown', 'Salem',
  'Madison', 'Arlington', 'Ashland', 'Milton', 'Oakdale', 'Lakewood', 'Kingston', 'Newport',
];

/** Domains reserved for documentation (RFC 2606): fake emails can never reach a real mailbox. */
export const FAKE_EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.net', 'example.org'];
