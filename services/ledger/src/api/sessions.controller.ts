import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  UseGuards,
} from '@nestjs/common';
import {
  chainHash,
  readChainFields,
  SessionChainChecker,
  type Problem,
  type SessionView,
} from '@gatehouse/ledger-verify';
import { LedgerReader } from '../storage/ledger-reader.ts';
import { AuditorGuard } from './auditor.guard.ts';
import { entryView } from './ledger-views.ts';

/** Most records one session answer holds. */
export const MAX_SESSION_RECORDS = 10_000;

/** A session's records and the state of its hash chain. */
@Controller('v1/sessions')
@UseGuards(AuditorGuard)
export class SessionsController {
  constructor(@Inject(LedgerReader) private readonly reader: LedgerReader) {}

  /** GET /v1/sessions/{id}: the session's records in seq order and its chain, checked. */
  @Get(':id')
  async session(@Param('id') sessionId: string): Promise<SessionView> {
    if (sessionId.length === 0 || sessionId.length > 128)
      throw new BadRequestException('id must be 1 to 128 characters');
    const rows = await this.reader.session(sessionId, MAX_SESSION_RECORDS);
    if (rows.length === 0) throw new NotFoundException(`no records of session ${sessionId}`);
    const checker = new SessionChainChecker(rows.length < MAX_SESSION_RECORDS ? 'complete' : 'partial');
    const problems: Problem[] = [];
    let head: string | null = null;
    for (const row of rows) {
      const fields = readChainFields(row.record);
      const hash = chainHash(row.record);
      head = hash;
      if (fields === null) {
        problems.push({
          kind: 'malformed-record',
          index: Number(row.idx),
          message: 'not a canonical evidence record',
        });
      } else {
        checker.add(Number(row.idx), fields, hash);
      }
    }
    problems.push(...checker.finish().problems);
    return {
      sessionId,
      entries: rows.map(entryView),
      chain: {
        records: rows.length,
        closed: rows.some((row) => row.kind === 'session_closed'),
        head,
        problems,
      },
    };
  }
}
