import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
  UseGuards,
} from '@nestjs/common';
import type { EntriesPage, EntryWithProofView } from '@gatehouse/ledger-verify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { LedgerReader } from '../storage/ledger-reader.ts';
import { AuditorGuard } from './auditor.guard.ts';
import { checkpointView, entryView, hex } from './ledger-views.ts';
import { integerParam } from './query-params.ts';

/** Most entries one page returns. */
export const MAX_PAGE = 1000;

/** The log's entries. */
@Controller('v1')
@UseGuards(AuditorGuard)
export class EntriesController {
  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(LedgerReader) private readonly reader: LedgerReader,
  ) {}

  /** GET /v1/entries?start&end: entries [start, end), at most 1000 (default 100 from start). */
  @Get('entries')
  async page(@Query('start') startText?: string, @Query('end') endText?: string): Promise<EntriesPage> {
    const start = integerParam(startText, 'start', 0);
    const end = integerParam(endText, 'end', start + 100);
    if (end < start) throw new BadRequestException('end must not be before start');
    if (end - start > MAX_PAGE) throw new BadRequestException(`at most ${MAX_PAGE} entries per page`);
    const head = await this.reader.head();
    const rows = await this.reader.entries(start, Math.min(end, head.size));
    return { size: head.size, entries: rows.map(entryView) };
  }

  /** GET /v1/entries/{index}: one entry, its inclusion proof and the latest checkpoint. */
  @Get('entries/:index')
  async one(@Param('index') indexText: string): Promise<EntryWithProofView> {
    const index = integerParam(indexText, 'index');
    const head = await this.reader.head();
    const row = index < head.size ? await this.reader.entry(index) : undefined;
    if (!row) throw new NotFoundException(`no entry ${index}: the log has ${head.size} entries`);
    const latest = await this.reader.latestCheckpoint();
    const checkpoint = latest ? checkpointView(latest, this.runtime.origin) : null;
    if (checkpoint === null || index >= checkpoint.size)
      return { entry: entryView(row), inclusion: null, checkpoint };
    const [proof, leafHash] = await Promise.all([
      this.reader.inclusionProof(index, checkpoint.size),
      this.reader.leafHash(index),
    ]);
    return {
      entry: entryView(row),
      inclusion: {
        index,
        size: checkpoint.size,
        leafHash: hex(leafHash ?? row.leaf_hash),
        proof: proof.map(hex),
        root: checkpoint.root,
        checkpoint,
      },
      checkpoint,
    };
  }
}
