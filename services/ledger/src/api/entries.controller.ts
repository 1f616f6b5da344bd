import { BadRequestException, Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { AuditorGuard } from './auditor.guard.ts';

/** Most entries one page returns. */
const MAX_PAGE = 1000;

/** One entry as the auditor API shows it. */
export interface EntryView {
  index: number;
  recordId: string;
  leafHash: string;
  kind: string;
  sessionId: string;
  sessionSeq: number;
  time: string;
  /** The record, parsed from the exact canonical bytes the ledger hashed. */
  record: unknown;
  /** Those bytes, base64, for independent hashing. */
  canonical: string;
}

function parseIndex(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,15}$/.test(value)) throw new BadRequestException(`${name} must be a non-negative integer`);
  return Number(value);
}

/** GET /v1/entries?start&end: a page of the log, [start, end). */
@Controller('v1')
@UseGuards(AuditorGuard)
export class EntriesController {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  @Get('entries')
  async entries(
    @Query('start') startText?: string,
    @Query('end') endText?: string,
  ): Promise<{ size: number; entries: EntryView[] }> {
    const start = parseIndex(startText, 'start', 0);
    const end = parseIndex(endText, 'end', start + 100);
    if (end < start) throw new BadRequestException('end must not be before start');
    if (end - start > MAX_PAGE) throw new BadRequestException(`at most ${MAX_PAGE} entries per page`);
    const { db } = this.runtime;
    const head = await db.selectFrom('ledger_head').select('size').executeTakeFirst();
    const rows = await db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '>=', String(start))
      .where('idx', '<', String(end))
      .orderBy('idx')
      .execute();
    return {
      size: Number(head?.size ?? 0),
      entries: rows.map((row) => ({
        index: Number(row.idx),
        recordId: row.record_id,
        leafHash: row.leaf_hash.toString('hex'),
        kind: row.kind,
        sessionId: row.session_id,
        sessionSeq: row.session_seq,
        time: row.time.toISOString(),
        record: JSON.parse(row.record.toString('utf8')),
        canonical: row.record.toString('base64'),
      })),
    };
  }
}
