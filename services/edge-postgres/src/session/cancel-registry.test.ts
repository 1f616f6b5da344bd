import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { PostgresTarget } from '../targets/target-registry.ts';
import { CancelRegistry, MAX_INSTANCE_TAG, instanceTagOf } from './cancel-registry.ts';

const target = (port: number): PostgresTarget => ({
  name: 'demo',
  host: '127.0.0.1',
  port,
  database: 'demo',
  user: 'owner',
  password: undefined,
  tls: 'disable',
  ca: undefined,
});

/** A TCP listener that records the bytes of every connection (a stand-in upstream for CancelRequests). */
async function recordingServer(): Promise<{ port: number; received: Buffer[]; close: () => void }> {
  const received: Buffer[] = [];
  const server = createServer((socket: Socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => received.push(Buffer.concat(chunks)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    received,
    close: () => server.close(),
  };
}

describe('CancelRegistry', () => {
  it('cancel-registry - every issued process id is positive and carries the instance tag', () => {
    for (const tag of [1, 2, 512, MAX_INSTANCE_TAG]) {
      const registry = new CancelRegistry(tag);
      for (let i = 0; i < 200; i++) {
        const { processId, secretKey } = registry.issue(target(1), { processId: 7, secretKey: 9 });
        expect(processId).toBeGreaterThan(0);
        expect(processId).toBeLessThanOrEqual(2 ** 31 - 1);
        expect(instanceTagOf(processId)).toBe(tag);
        expect(secretKey).toHaveLength(4);
      }
      expect(registry.size).toBe(200);
    }
  });

  it('cancel-registry - rejects instance tags outside 1..1023', () => {
    expect(() => new CancelRegistry(0)).toThrow(RangeError);
    expect(() => new CancelRegistry(MAX_INSTANCE_TAG + 1)).toThrow(RangeError);
  });

  it('cancel-registry - the right key sends the upstream key to the target; a wrong or released key sends nothing', async () => {
    const upstream = await recordingServer();
    try {
      const registry = new CancelRegistry(3);
      const key = registry.issue(target(upstream.port), { processId: 4242, secretKey: -5 });
      const wrong = Buffer.from(key.secretKey);
      wrong[0]! ^= 1;
      expect(registry.cancel(key.processId, wrong)).toBe(false);
      expect(registry.cancel(key.processId, Buffer.alloc(8))).toBe(false);
      expect(registry.cancel(key.processId + 1, key.secretKey)).toBe(false);
      expect(registry.holds(key.processId)).toBe(true);
      expect(registry.cancel(key.processId, key.secretKey)).toBe(true);
      await expect.poll(() => upstream.received.length).toBe(1);
      const expected = Buffer.alloc(16);
      expected.writeInt32BE(16, 0);
      expected.writeInt32BE(80877102, 4);
      expected.writeInt32BE(4242, 8);
      expected.writeInt32BE(-5, 12);
      expect(upstream.received[0]).toEqual(expected);
      registry.release(key.processId);
      expect(registry.holds(key.processId)).toBe(false);
      expect(registry.cancel(key.processId, key.secretKey)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(upstream.received).toHaveLength(1);
    } finally {
      upstream.close();
    }
  });
});
