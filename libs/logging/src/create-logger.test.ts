import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index.ts';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
  };
}

describe('logging', () => {
  it('logging - binds the service and session to every line as JSON', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ service: 'edge-postgres', destination: stream });
    logger.child({ session: 's-1' }).info({ target: 'demo' }, 'session opened');
    const [line] = lines();
    expect(line).toMatchObject({
      service: 'edge-postgres',
      session: 's-1',
      target: 'demo',
      msg: 'session opened',
    });
  });

  it('logging - redacts tokens, passwords, authorization headers and row data', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ service: 'test', destination: stream });
    logger.info(
      {
        password: 'eyJhbGciOi.secret',
        startup: { token: 't0k3n' },
        req: { headers: { authorization: 'Bearer abc' } },
        batch: { rows: [['alice@example.com']] },
      },
      'auth',
    );
    const text = JSON.stringify(lines()[0]);
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).not.toContain('t0k3n');
    expect(text).not.toContain('Bearer abc');
    expect(text).not.toContain('alice@example.com');
    expect(lines()[0]).toMatchObject({ password: '[REDACTED]', startup: { token: '[REDACTED]' } });
  });
});
