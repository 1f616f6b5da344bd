// Medium tier: real PostgreSQL (the ledger tables, as the service role) and a real signing key;
// the checkpointer's clock is moved by hand, so the tests say which commits it signs at, never
// how long anything took.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@gatehouse/logging';
import { EMPTY_ROOT, type Hash } from '@gatehouse/merkle';
import { startTestPostgres, type TestPostgres } from '@gatehouse/testing';
import type { Kysely } from 'kysely';
import type { LedgerDatabase } from '../storage/ledger-tables.ts';
import { openLedgerStorage } from '../storage/open-ledger-storage.ts';
import { Checkpointer, type SignedCheckpoint } from './checkpointer.ts';
import { loadSigningKey, type LedgerSigningKey } from './signing-key.ts';

let postgres: TestPostgres;
let key: LedgerSigningKey;
const origin = 'gatehouse.dev/ledger/checkpointer-test';
const logger = createLogger({ service: 'test', level: 'error' });

beforeAll(async () => {
  postgres = await startTestPostgres();
  ({ key } = await loadSigningKey(join(mkdtempSync(join(tmpdir(), 'checkpointer-')), 'key'), origin));
});

afterAll(async () => {
  await postgres.stop();
});

async function freshLedger(label: string): Promise<Kysely<LedgerDatabase>> {
  return openLedgerStorage({
    databaseUrl: await postgres.createDatabase(label),
    migrationsDatabaseUrl: undefined,
    databaseRole: 'gatehouse_ledger',
  });
}

const head = (size: number) => ({ size, root: new Uint8Array(32).fill(size) as Hash });

async function storedSizes(db: Kysely<LedgerDatabase>): Promise<number[]> {
  const rows = await db.selectFrom('ledger_checkpoints').select('size').orderBy('size').execute();
  return rows.map((row) => Number(row.size));
}

/** A checkpointer on a hand-moved clock, and the checkpoints it reports, awaitable one by one. */
function checkpointer(db: Kysely<LedgerDatabase>, intervalMs: number) {
  const clock = { now: 0 };
  const signed: SignedCheckpoint[] = [];
  let next: (() => void) | undefined;
  const instance = new Checkpointer({
    db,
    key,
    origin,
    intervalMs,
    logger,
    clock: () => clock.now,
    onSigned: (checkpoint) => {
      signed.push(checkpoint);
      next?.();
    },
  });
  const signedCount = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (signed.length >= count ? resolve() : (next = check));
      check();
    });
  return { instance, clock, signed, signedCount };
}

describe('checkpointer (real PostgreSQL)', () => {
  it('ledger - the first commit after the interval is signed from its callback, and none within the interval', async () => {
    const db = await freshLedger('checkpointer_commit');
    const { instance, clock, signed, signedCount } = checkpointer(db, 60_000);
    await instance.start({ size: 0, root: EMPTY_ROOT });
    expect(signed.map((checkpoint) => checkpoint.size)).toEqual([0]);
    clock.now = 10;
    instance.grew(head(1));
    clock.now = 59_999;
    instance.grew(head(2));
    clock.now = 60_000;
    instance.grew(head(3));
    await signedCount(2);
    // Size 3 covers 1 and 2; its oldest entry was committed at 10.
    expect(signed[1]).toMatchObject({ size: 3, lagMs: 59_990 });
    instance.grew(head(4));
    // Within the new interval nothing more is signed until shutdown, which leaves no unsigned tail.
    await instance.stop();
    expect(signed.map((checkpoint) => checkpoint.size)).toEqual([0, 3, 4]);
    expect(await storedSizes(db)).toEqual([0, 3, 4]);
    await db.destroy();
  });

  it('ledger - a head that grew within the interval and then stopped growing is signed when the interval ends', async () => {
    const db = await freshLedger('checkpointer_timer');
    const { instance, clock, signed, signedCount } = checkpointer(db, 50);
    await instance.start({ size: 0, root: EMPTY_ROOT });
    clock.now = 20;
    instance.grew(head(5));
    // No further commit: the timer signs it (the clock is past the interval when it fires).
    clock.now = 1000;
    await signedCount(2);
    expect(signed.map((checkpoint) => checkpoint.size)).toEqual([0, 5]);
    await instance.stop();
    expect(await storedSizes(db)).toEqual([0, 5]);
    await db.destroy();
  });

  it('ledger - a restarted writer signs only a head that no checkpoint covers yet', async () => {
    const db = await freshLedger('checkpointer_restart');
    const first = checkpointer(db, 60_000);
    await first.instance.start(head(7));
    await first.instance.stop();
    const second = checkpointer(db, 60_000);
    await second.instance.start(head(7));
    await second.instance.stop();
    expect(second.signed).toEqual([]);
    expect(await storedSizes(db)).toEqual([7]);
    await db.destroy();
  });
});
