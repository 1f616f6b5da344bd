// Entities and operators.
export { isPiiEntity, PII_ENTITIES, PiiEntity } from './pii-entity.ts';
export { isMaskOperator, MASK_OPERATORS, MaskOperator } from './mask-operator.ts';

// Profiles.
export type { ColumnHints, CustomRule, MaskingProfile } from './profile/masking-profile.ts';
export { CompiledProfile, compileProfile, type NameHint } from './profile/compile-profile.ts';
export { builtInProfiles } from './profile/built-in-profiles.ts';
export { BUILT_IN_COLUMN_HINTS, normalizeColumnName } from './profile/column-hints.ts';

// Result sets: plan once per RowDescription, then mask rows.
export {
  ColumnActionKind,
  type ColumnAction,
  type ColumnInfo,
  type ResultMaskPlan,
} from './plan/column-action.ts';
export { planResultSet } from './plan/plan-result-set.ts';
export {
  createTally,
  maskRow,
  maskRowInto,
  maskRows,
  type Cell,
  type MaskedRow,
  type MaskedRows,
} from './plan/mask-rows.ts';
export { maskCellText } from './plan/mask-cell.ts';
export {
  WHOLE_CELL_FORMS,
  WholeCellBytes,
  WholeCellForm,
  WholeCellOutcome,
} from './plan/whole-cell-bytes.ts';
export { maskBinaryCell, supportsBinary, type BinaryMaskResult } from './plan/binary-cell.ts';
export {
  mergeMaskCounts,
  MaskTally,
  NO_MASK_COUNTS,
  type ColumnMaskCounts,
  type MaskCounts,
} from './plan/mask-tally.ts';
export { FIRST_NORMAL_OBJECT_ID, mayBeRowType, PgTypeOid, ValueKind, valueKindOf } from './plan/pg-type.ts';

// Command output.
export { maskText, TextStreamMasker, type MaskedText, type TextMaskCounts } from './plan/mask-text.ts';

// Detection and validators.
export { detectEntities, type ColumnHintSource, type Finding } from './scan/detect-entities.ts';
export { isValidator, Validator, VALIDATORS } from './detectors/validator.ts';
export {
  CARD_ISSUERS,
  cardIssuerOf,
  isPaymentCard,
  luhnValid,
  type CardIssuer,
} from './detectors/payment-card.ts';
export { isValidSsn, isValidSsnParts } from './detectors/us-ssn.ts';
export { isEmail, KNOWN_TLDS } from './detectors/email.ts';
export { isPhoneNumber } from './detectors/phone.ts';
export { IBAN_LENGTHS, ibanMod97, isValidIban } from './detectors/iban.ts';
export { isIpv4 } from './detectors/ipv4.ts';
export { isIpv6 } from './detectors/ipv6.ts';
export { hasJoseHeader, isJwt } from './detectors/jwt.ts';
export { isVendorSecret } from './detectors/vendor-secret.ts';
export { looksRandom, shannonEntropy } from './detectors/shannon-entropy.ts';
