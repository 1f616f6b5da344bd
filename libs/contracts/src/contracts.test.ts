import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidMessageError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { messageValidators } from './generated/message-validators.ts';
import { MessageType, decodeMessage, encodeMessage, envelope, subjectsFor } from './index.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

const decideRequestBody = {
  session: { id: 's-1' },
  actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://127.0.0.1:8090', tokenId: 'jti-1' },
  target: { name: 'demo', kind: 'postgres' as const },
  operation: { kind: 'sql' as const, text: 'SELECT 1' },
  context: { tls: false, clientAddress: '127.0.0.1' },
};

describe('contracts', () => {
  it('contracts - every message type has a generated validator and vice versa', () => {
    expect(Object.keys(messageValidators).sort()).toEqual(Object.values(MessageType).sort());
  });

  it('contracts - every schema file declares a const type id, id, time and no extra properties', async () => {
    const dir = join(repoRoot, 'contracts/schemas');
    for (const file of await readdir(dir)) {
      const schema = JSON.parse(await readFile(join(dir, file), 'utf8'));
      expect(schema.additionalProperties, file).toBe(false);
      expect(schema.required, file).toEqual(expect.arrayContaining(['type', 'id', 'time', 'body']));
      expect(Object.values(MessageType), file).toContain(schema.properties.type.const);
    }
  });

  it('contracts - the AsyncAPI document names exactly the subjects the code uses', async () => {
    const asyncapi = parse(await readFile(join(repoRoot, 'contracts/asyncapi.yaml'), 'utf8'));
    const addresses = Object.values(asyncapi.channels as Record<string, { address: string }>)
      .map((channel) => channel.address.replace('{prefix}', 'gatehouse'))
      .sort();
    const subjects = subjectsFor('gatehouse');
    const used = [
      subjects.authzDecide,
      subjects.policyChanged,
      subjects.maskingMask,
      subjects.evidence,
      subjects.ledgerAppend,
      subjects.approvalRequested,
      subjects.approvalDecided('ID').replace('ID', '{requestId}'),
      subjects.edgePostgresCancel('ID').replace('ID', '{instance}'),
    ].sort();
    expect(addresses).toEqual(used);
    const messageNames = Object.values(asyncapi.components.messages as Record<string, { name: string }>)
      .map((message) => message.name)
      .sort();
    expect(messageNames).toEqual(Object.values(MessageType).sort());
  });

  it('contracts - a valid message round-trips through encode and decode', () => {
    const message = envelope(MessageType.AuthzDecideRequest, decideRequestBody, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    const decoded = decodeMessage(MessageType.AuthzDecideRequest, encodeMessage(message));
    expect(decoded).toEqual(message);
  });

  it('contracts - rejects an extra property, a wrong type id and bad JSON with InvalidMessageError', () => {
    const message = envelope(MessageType.AuthzDecideRequest, decideRequestBody);
    const extra = { ...message, body: { ...message.body, sneaky: true } };
    expect(() => decodeMessage(MessageType.AuthzDecideRequest, encodeMessage(extra as never))).toThrow(
      InvalidMessageError,
    );
    expect(() => decodeMessage(MessageType.AuthzDecideReply, encodeMessage(message))).toThrow(/expected a/);
    expect(() => decodeMessage(MessageType.AuthzDecideRequest, new TextEncoder().encode('{nope'))).toThrow(
      /not valid UTF-8 JSON/,
    );
    try {
      decodeMessage(
        MessageType.AuthzDecideRequest,
        encodeMessage({ ...message, time: 'yesterday' } as never),
      );
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidMessageError).problems).toContain(
        '/time: must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$"',
      );
    }
  });

  it('contracts - an edge cancel request carries a positive process id and a 4..256-byte hex secret', () => {
    const message = envelope(MessageType.EdgeCancelRequest, { processId: 2_097_153, secretKey: '0a0b0c0d' });
    expect(decodeMessage(MessageType.EdgeCancelRequest, encodeMessage(message))).toEqual(message);
    for (const body of [
      { processId: 0, secretKey: '0a0b0c0d' },
      { processId: 2 ** 31, secretKey: '0a0b0c0d' },
      { processId: 7, secretKey: '0a0b0c' },
      { processId: 7, secretKey: '0A0B0C0D' },
      { processId: 7, secretKey: 'ab'.repeat(257) },
    ]) {
      expect(() =>
        decodeMessage(MessageType.EdgeCancelRequest, encodeMessage({ ...message, body } as never)),
      ).toThrow(InvalidMessageError);
    }
    expect(subjectsFor('run42').edgePostgresCancel('17')).toBe('run42.edge-postgres.v1.cancel.17');
    expect(() => subjectsFor().edgePostgresCancel('*')).toThrow(/edge instance/);
  });

  it('contracts - subjects refuse tokens that would widen a subscription', () => {
    expect(() => subjectsFor('gate.house')).toThrow(/subject prefix/);
    expect(() => subjectsFor().approvalDecided('>')).toThrow(/approval request id/);
    expect(subjectsFor('run42').evidence).toBe('run42.evidence.v1.batch');
  });
});
