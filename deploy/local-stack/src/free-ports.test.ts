import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePorts, portIsFree } from './free-ports.ts';

describe('free ports', () => {
  it('free ports - returns distinct ports that can be bound', async () => {
    const ports = await findFreePorts(12);
    expect(new Set(ports).size).toBe(12);
    for (const port of ports) expect(await portIsFree(port)).toBe(true);
  });

  it('free ports - a port something listens on is not free', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await portIsFree(port)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await portIsFree(port)).toBe(true);
  });
});
