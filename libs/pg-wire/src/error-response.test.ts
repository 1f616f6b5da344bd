import {
  ConfigError,
  DeadlineExceededError,
  DependencyUnavailableError,
  InvalidMessageError,
  InvalidTokenError,
  MessageTooLargeError,
  PolicyDeniedError,
  ProtocolViolationError,
  UnclassifiableStatementError,
  UnknownTargetError,
} from '@gatehouse/errors';
import { Parser } from 'pg-protocol/dist/parser.js';
import { describe, expect, it } from 'vitest';
import { decodeDiagnostic, encodeErrorResponse } from './diagnostic-message.ts';
import { errorResponseFor, INTERNAL_ERROR_MESSAGE } from './error-response.ts';
import { UnsupportedProtocolVersionError } from './unsupported-protocol-version-error.ts';

describe('errorResponseFor', () => {
  it('error-response - a policy denial is 42501 with the rule in DETAIL', () => {
    expect(errorResponseFor(new PolicyDeniedError('DROP is denied for pipelines', 'deny-ddl'))).toEqual({
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '42501',
      message: 'DROP is denied for pipelines',
      detail: 'Denied by policy rule "deny-ddl".',
    });
    expect(errorResponseFor(new PolicyDeniedError('denied'))).toEqual({
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '42501',
      message: 'denied',
    });
  });

  it('error-response - an invalid token is 28P01 in PostgreSQL wording and never says why', () => {
    const error = new InvalidTokenError('token expired at 2026-01-01T00:00:00Z (kid abc)');
    expect(errorResponseFor(error, { severity: 'FATAL', user: 'alice' })).toEqual({
      severity: 'FATAL',
      severityNonLocalized: 'FATAL',
      code: '28P01',
      message: 'password authentication failed for user "alice"',
    });
    expect(errorResponseFor(error).message).toBe('password authentication failed');
  });

  it('error-response - protocol violations are 08P01, an unsupported version 0A000', () => {
    expect(
      errorResponseFor(new ProtocolViolationError('invalid frontend message length 3'), {
        severity: 'FATAL',
      }),
    ).toEqual({
      severity: 'FATAL',
      severityNonLocalized: 'FATAL',
      code: '08P01',
      message: 'invalid frontend message length 3',
    });
    const version = new UnsupportedProtocolVersionError('unsupported frontend protocol 2.0', 2, 0);
    expect(errorResponseFor(version, { severity: 'FATAL' }).code).toBe('0A000');
  });

  it('error-response - an oversized message is 54000', () => {
    expect(errorResponseFor(new MessageTooLargeError('too big')).code).toBe('54000');
  });

  it('error-response - a dependency failure names the dependency only: 58000 in session, 57P03 at connect', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.7:4222');
    const unavailable = new DependencyUnavailableError('nats://10.0.0.7:4222 refused', 'jetstream', {
      cause,
    });
    expect(errorResponseFor(unavailable)).toEqual({
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '58000',
      message: 'gateway dependency "jetstream" could not answer; refused (fail closed)',
      hint: 'Retry later.',
    });
    const deadline = new DeadlineExceededError('authz did not answer in 2000 ms', 'authz');
    expect(errorResponseFor(deadline, { severity: 'FATAL' })).toEqual({
      severity: 'FATAL',
      severityNonLocalized: 'FATAL',
      code: '57P03',
      message: 'gateway dependency "authz" did not answer in time; refused (fail closed)',
      hint: 'Retry later.',
    });
  });

  it('error-response - an unknown target is 3D000, an unclassifiable statement 42601', () => {
    expect(errorResponseFor(new UnknownTargetError('target "nope" is not configured'))).toMatchObject({
      code: '3D000',
      message: 'target "nope" is not configured',
    });
    expect(errorResponseFor(new UnclassifiableStatementError('statement could not be parsed'))).toMatchObject(
      {
        code: '42601',
        message: 'statement could not be parsed',
      },
    );
  });

  it('error-response - anything else is XX000 with a fixed message that leaks nothing', () => {
    const leaks = [
      new Error('ECONNREFUSED postgres://admin:hunter2@10.0.0.5/demo'),
      new TypeError("Cannot read properties of undefined (reading 'rows')"),
      new InvalidMessageError('bad bus message', ['/body/secret must be string']),
      new ConfigError('DATABASE_URL=postgres://admin:hunter2@db invalid', 'DATABASE_URL'),
      'a thrown string',
      undefined,
    ];
    for (const error of leaks) {
      expect(errorResponseFor(error)).toEqual({
        severity: 'ERROR',
        severityNonLocalized: 'ERROR',
        code: 'XX000',
        message: INTERNAL_ERROR_MESSAGE,
      });
    }
  });

  it('error-response - the mapped fields encode into an ErrorResponse node-postgres reads', () => {
    const message = encodeErrorResponse(errorResponseFor(new PolicyDeniedError('denied', 'r1')));
    let parsed: unknown;
    new Parser().parse(message, (m) => (parsed = m));
    expect(parsed).toMatchObject({ name: 'error', code: '42501', message: 'denied', severity: 'ERROR' });
    expect(decodeDiagnostic(message.subarray(5)).detail).toBe('Denied by policy rule "r1".');
  });
});
