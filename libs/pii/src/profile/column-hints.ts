import type { ColumnHints } from './masking-profile.ts';

/**
 * Built-in column-name patterns (see {@link ColumnHints} for the syntax). Lists are explicit
 * rather than `*_address`-style wildcards where a wildcard would catch `mac_address` or
 * `product_name`. A column called just `name` is treated as a person's name: masking a product
 * name is the cheaper mistake; a profile can drop built-ins with `builtInColumnHints: false`.
 */
// prettier-ignore
export const BUILT_IN_COLUMN_HINTS: ColumnHints = {
  email: ['email', 'e_mail', 'mail', 'email_address', 'email_addr', 'emailaddress', 'mail_address', '*_email', '*_email_address', '*_emailaddress'],
  phone: ['phone', 'phone_number', 'phone_no', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobile_number', 'mobile_phone', 'cell', 'cell_phone', 'cellphone', 'fax', 'msisdn', '*_phone', '*_phone_number', '*_telephone', '*_mobile', '*_fax'],
  card: ['card_number', 'card_no', 'card_num', 'cardnumber', 'cc_number', 'cc_num', 'ccnum', 'credit_card', 'credit_card_number', 'creditcard', 'pan', 'card_pan', 'primary_account_number', '*_card_number', '*_card_no'],
  ssn: ['ssn', 'social', 'social_security', 'social_security_number', 'social_security_no', 'socialsecuritynumber', 'ss_number', '*_ssn'],
  iban: ['iban', 'iban_number', '*_iban'],
  ipv4: ['ip', 'ip_address', 'ipaddress', 'ip_addr', 'ipv4', 'ipv6', 'remote_addr', 'remote_address', 'client_addr', 'client_address', '*_ip', '*_ip_address', '*_ip_addr'],
  secret: ['password', 'passwd', 'pwd', 'password_hash', 'secret', 'token', 'api_key', 'apikey', 'access_key', 'secret_key', 'private_key', 'credentials', 'credential', '*_password', '*_secret', '*_token', '*_api_key', '*_access_key', '*_secret_key', '*_private_key'],
  dob: ['dob', 'birth_date', 'birthdate', 'date_of_birth', 'dateofbirth', 'birthday', 'born_on', 'birth_dt', '*_dob', '*_birth_date'],
  name: ['name', 'first_name', 'last_name', 'full_name', 'firstname', 'lastname', 'fullname', 'given_name', 'family_name', 'surname', 'middle_name', 'maiden_name', 'display_name', 'customer_name', 'contact_name', 'person_name', 'patient_name', 'employee_name', 'cardholder_name', 'card_holder', 'card_holder_name', 'account_holder', 'account_holder_name', 'recipient_name', 'billing_name', 'shipping_name', 'legal_name'],
  address: ['address', 'addr', 'street', 'street_address', 'address_line', 'city', 'town', 'postcode', 'post_code', 'postal_code', 'zip', 'zip_code', 'zipcode', 'billing_address', 'shipping_address', 'home_address', 'mailing_address', 'postal_address', 'residential_address', 'delivery_address', 'billing_street', 'shipping_street'],
  identifier: ['id', 'uuid', 'guid', 'sku', 'isbn', 'version', 'build', 'release', 'revision', 'ref', 'reference', 'code', 'hash', 'checksum', 'digest', 'md5', 'sha1', 'sha256', 'etag', 'oid', 'serial', 'serial_number', 'tracking', 'tracking_number', 'tracking_no', '*_id', '*_uuid', '*_no', '*_num', '*_number', '*_ref', '*_code', '*_hash', '*_version', '*_sku', '*_isbn', '*_tracking'],
};

/**
 * Column name as hints see it: `billingEmail`, `Billing-Email` and `BILLING_EMAIL` all become
 * `billing_email`.
 */
export function normalizeColumnName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The same name without a trailing ordinal (`phone2`, `address_line_1`), or undefined. */
export function withoutOrdinal(normalized: string): string | undefined {
  const stripped = normalized.replace(/_?\d+$/, '');
  return stripped !== normalized && stripped.length > 0 ? stripped : undefined;
}

/**
 * One anchored regex for a list of patterns, or undefined for an empty list. Patterns are
 * normalised like column names (without trimming, so `*_email` keeps its underscore). Throws
 * SyntaxError for an empty pattern or one with more than one dot.
 */
export function compileColumnPatterns(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  const parts = patterns.map((p) => {
    const normalized = p
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9.*]+/g, '_');
    if (!/^[a-z0-9_*]+(?:\.[a-z0-9_*]+)?$/.test(normalized))
      throw new SyntaxError(`bad column pattern "${p}"`);
    return normalized.replace(/\./g, '\\.').replace(/\*/g, '[a-z0-9_]*');
  });
  return new RegExp(`^(?:${parts.join('|')})$`);
}
