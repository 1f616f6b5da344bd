import { describe, expect, it } from 'vitest';
import {
  DeadlineExceededError,
  DependencyUnavailableError,
  MessageTooLargeError,
  PolicyDeniedError,
} from '@gatehouse/errors';
import { ExitStatus, outputStopped, refusalFor, unsupportedRequest } from './refusal.ts';

describe('refusal', () => {
  it('refusal - a policy denial is `gatehouse: denied: <reason>` with exit status 126', () => {
    expect(
      refusalFor(new PolicyDeniedError('destructive commands are denied', 'deny-destructive-demo-ssh')),
    ).toEqual({
      line: 'gatehouse: denied: destructive commands are denied\n',
      status: 126,
    });
  });

  it('refusal - an oversized command is refused with 126', () => {
    expect(refusalFor(new MessageTooLargeError('the command is 40000 bytes; the limit is 32768'))).toEqual({
      line: 'gatehouse: refused: the command is 40000 bytes; the limit is 32768\n',
      status: ExitStatus.Denied,
    });
  });

  it('refusal - an unavailable dependency says the command did not run, with 255', () => {
    expect(refusalFor(new DeadlineExceededError('authz did not answer within 2000 ms', 'authz'))).toEqual({
      line: 'gatehouse: unavailable: authz did not answer within 2000 ms; the command did not run\n',
      status: 255,
    });
  });

  it('refusal - an unexpected error reveals nothing and fails closed with 255', () => {
    expect(refusalFor(new TypeError('x is undefined'))).toEqual({
      line: 'gatehouse: unavailable: internal error; the command did not run\n',
      status: 255,
    });
  });

  it('refusal - stopped output and interactive requests end with exit status 1', () => {
    expect(
      outputStopped(
        new DependencyUnavailableError('masking cannot answer: no instance is serving', 'masking'),
      ),
    ).toEqual({
      line: '\ngatehouse: output stopped: masking cannot answer: no instance is serving; nothing more is sent unmasked or unrecorded\n',
      status: 1,
    });
    expect(unsupportedRequest('an interactive shell').status).toBe(1);
    expect(unsupportedRequest('an interactive shell').line).toMatch(
      /^gatehouse: refused: an interactive shell is not available through Gatehouse/,
    );
  });
});
