import { Readable } from 'node:stream';
import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Query,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { EXPORT_BUNDLE_MEDIA_TYPE } from '@gatehouse/ledger-verify';
import { evidenceBundle } from '../export/evidence-export.ts';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { LedgerReader } from '../storage/ledger-reader.ts';
import { AuditorGuard } from './auditor.guard.ts';
import { checkpointView } from './ledger-views.ts';
import { timeParam } from './query-params.ts';

/** Evidence export for auditors. */
@Controller('v1')
@UseGuards(AuditorGuard)
export class ExportController {
  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(LedgerReader) private readonly reader: LedgerReader,
  ) {}

  /**
   * GET /v1/export?from&to: a self-contained JSON Lines bundle of the records whose time lies in
   * [from, to), each with its inclusion proof to the latest signed checkpoint, plus the keys and
   * a README mapping record kinds to SOC 2 evidence. Streamed.
   */
  @Get('export')
  async export(@Query('from') fromText?: string, @Query('to') toText?: string): Promise<StreamableFile> {
    const from = timeParam(fromText, 'from');
    const to = timeParam(toText, 'to');
    if (to.getTime() <= from.getTime()) throw new BadRequestException('to must be after from');
    const latest = await this.reader.latestCheckpoint();
    if (!latest) throw new NotFoundException('no checkpoint has been signed yet');
    const { origin, signingKey } = this.runtime;
    const stream = Readable.from(
      evidenceBundle(this.reader, {
        from,
        to,
        checkpoint: checkpointView(latest, origin),
        keys: { origin, noteVerifierKey: signingKey.verifierKey, jwks: { keys: [signingKey.jwk] } },
      }),
    );
    const stamp = (date: Date) => date.toISOString().replaceAll(':', '');
    return new StreamableFile(stream, {
      type: EXPORT_BUNDLE_MEDIA_TYPE,
      disposition: `attachment; filename="gatehouse-evidence-${stamp(from)}-${stamp(to)}.jsonl"`,
    });
  }
}
