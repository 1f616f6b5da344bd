import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode } from './message-codes.ts';

/** One column of a RowDescription. */
export interface FieldDescription {
  /** Column label as the query names it. */
  readonly name: string;
  /** OID of the source table, or 0 when the column is not a plain table column. */
  readonly tableOid: number;
  /** Attribute number of the source column in that table, or 0. */
  readonly columnAttributeNumber: number;
  /** OID of the column's data type. */
  readonly typeOid: number;
  /** Data type size (`pg_type.typlen`); negative for variable-width types. */
  readonly typeSize: number;
  /** Type modifier (`pg_attribute.atttypmod`), -1 when none. */
  readonly typeModifier: number;
  /** Format code of the values: 0 text, 1 binary (0 in a Describe-statement reply: not yet known). */
  readonly format: number;
}

/**
 * Decodes a RowDescription body:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ROWDESCRIPTION
 * The edge reads it once per result set to decide whether any column needs masking.
 */
export function decodeRowDescription(payload: Buffer): FieldDescription[] {
  const reader = new BufferReader(payload, 'RowDescription');
  const count = reader.count('field');
  const fields = new Array<FieldDescription>(count);
  for (let i = 0; i < count; i++) {
    fields[i] = {
      name: reader.cstring(),
      tableOid: reader.uint32(),
      columnAttributeNumber: reader.int16(),
      typeOid: reader.uint32(),
      typeSize: reader.int16(),
      typeModifier: reader.int32(),
      format: reader.int16(),
    };
  }
  reader.expectEnd();
  return fields;
}

/** Encodes a RowDescription message. */
export function encodeRowDescription(fields: readonly FieldDescription[]): Buffer {
  const writer = new BufferWriter(2 + fields.length * 32).int16(fields.length);
  for (const field of fields) {
    writer
      .cstring(field.name)
      .uint32(field.tableOid)
      .int16(field.columnAttributeNumber)
      .uint32(field.typeOid)
      .int16(field.typeSize)
      .int32(field.typeModifier)
      .int16(field.format);
  }
  return writer.message(BackendMessageCode.RowDescription);
}
