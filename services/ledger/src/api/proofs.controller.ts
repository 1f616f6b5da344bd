import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Query,
  UseGuards,
} from '@nestjs/common';
import type { ConsistencyProofView, InclusionProofView } from '@gatehouse/ledger-verify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { LedgerReader } from '../storage/ledger-reader.ts';
import { AuditorGuard } from './auditor.guard.ts';
import { checkpointView, hex } from './ledger-views.ts';
import { hashParam, integerParam } from './query-params.ts';

/** RFC 9162 inclusion and consistency proofs, read from stored subtree nodes. */
@Controller('v1/proof')
@UseGuards(AuditorGuard)
export class ProofsController {
  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(LedgerReader) private readonly reader: LedgerReader,
  ) {}

  /**
   * GET /v1/proof/inclusion?index|hash&size: the audit path of a leaf (by index, or by leaf hash
   * in hex) in the tree of `size` leaves (default: the latest checkpoint's size).
   */
  @Get('inclusion')
  async inclusion(
    @Query('index') indexText?: string,
    @Query('hash') hashText?: string,
    @Query('size') sizeText?: string,
  ): Promise<InclusionProofView> {
    if ((indexText === undefined) === (hashText === undefined)) {
      throw new BadRequestException('give exactly one of index and hash');
    }
    const size = await this.treeSize(sizeText, 'size');
    let index: number;
    if (hashText !== undefined) {
      const found = await this.reader.indexOfLeafHash(hashParam(hashText, 'hash'));
      if (found === undefined)
        throw new NotFoundException(`no entry has leaf hash ${hashText.toLowerCase()}`);
      index = found;
    } else {
      index = integerParam(indexText, 'index');
      const head = await this.reader.head();
      if (index >= head.size)
        throw new NotFoundException(`no entry ${index}: the log has ${head.size} entries`);
    }
    if (index >= size) throw new BadRequestException(`entry ${index} is not in a tree of ${size} entries`);
    const [proof, leafHash, root, checkpoint] = await Promise.all([
      this.reader.inclusionProof(index, size),
      this.reader.leafHash(index),
      this.reader.rootAt(size),
      this.reader.checkpointAt(size),
    ]);
    return {
      index,
      size,
      leafHash: hex(leafHash as Uint8Array),
      proof: proof.map(hex),
      root: hex(root),
      checkpoint: checkpoint ? checkpointView(checkpoint, this.runtime.origin) : null,
    };
  }

  /** GET /v1/proof/consistency?from&to: proof that the tree of `from` leaves is a prefix of `to`'s. */
  @Get('consistency')
  async consistency(
    @Query('from') fromText?: string,
    @Query('to') toText?: string,
  ): Promise<ConsistencyProofView> {
    const from = integerParam(fromText, 'from');
    const to = await this.treeSize(toText, 'to');
    if (from < 1 || from > to) throw new BadRequestException(`from must be within 1..${to}`);
    const [proof, fromRoot, toRoot] = await Promise.all([
      this.reader.consistencyProof(from, to),
      this.reader.rootAt(from),
      this.reader.rootAt(to),
    ]);
    return { from, to, proof: proof.map(hex), fromRoot: hex(fromRoot), toRoot: hex(toRoot) };
  }

  // A tree size no larger than the head; the latest checkpoint's size when absent.
  private async treeSize(text: string | undefined, name: string): Promise<number> {
    const head = await this.reader.head();
    if (text === undefined || text === '') {
      const latest = await this.reader.latestCheckpoint();
      return latest ? Number(latest.size) : head.size;
    }
    const size = integerParam(text, name);
    if (size > head.size) throw new BadRequestException(`${name} ${size} exceeds the tree size ${head.size}`);
    return size;
  }
}
