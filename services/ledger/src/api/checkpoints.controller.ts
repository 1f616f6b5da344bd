import { Controller, Get, Inject, NotFoundException, Param, UseGuards } from '@nestjs/common';
import type { CheckpointView } from '@gatehouse/ledger-verify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { LedgerReader } from '../storage/ledger-reader.ts';
import { AuditorGuard } from './auditor.guard.ts';
import { checkpointView } from './ledger-views.ts';
import { integerParam } from './query-params.ts';

/** Signed checkpoints (c2sp.org/tlog-checkpoint notes with their JWS twins). */
@Controller('v1')
@UseGuards(AuditorGuard)
export class CheckpointsController {
  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(LedgerReader) private readonly reader: LedgerReader,
  ) {}

  /** GET /v1/checkpoint: the latest signed checkpoint. */
  @Get('checkpoint')
  async latest(): Promise<CheckpointView> {
    const row = await this.reader.latestCheckpoint();
    if (!row) throw new NotFoundException('no checkpoint has been signed yet');
    return checkpointView(row, this.runtime.origin);
  }

  /** GET /v1/checkpoints/{size}: the checkpoint signed at exactly that tree size. */
  @Get('checkpoints/:size')
  async atSize(@Param('size') sizeText: string): Promise<CheckpointView> {
    const size = integerParam(sizeText, 'size');
    const row = await this.reader.checkpointAt(size);
    if (!row) throw new NotFoundException(`no checkpoint was signed at size ${size}`);
    return checkpointView(row, this.runtime.origin);
  }
}
