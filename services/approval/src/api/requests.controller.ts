import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { InvalidMessageError } from '@gatehouse/errors';
import type { VerifiedIdentity } from '@gatehouse/identity';
import { ReviewAnnouncer } from '../announce/review-announcer.ts';
import { APPROVAL_RUNTIME, type ApprovalRuntime } from '../approval-runtime.ts';
import { canSee, VoteRefusal } from '../decision/review-rules.ts';
import { ReviewStatus, Vote, isReviewStatus } from '../decision/review-state.ts';
import { isUsableRequestId } from '../evidence/approval-evidence.ts';
import { ApprovalStore, factsOf, type VoteResult } from '../storage/approval-store.ts';
import { BearerTokenGuard } from './bearer-token.guard.ts';
import { CallerIdentity } from './caller-identity.ts';
import { requestView, type RequestView } from './request-view.ts';
import { parseVoteBody } from './vote-body.ts';

/** Most requests one list answer returns. */
const maxLimit = 500;

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 100;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > maxLimit) {
    throw new BadRequestException(`limit must be a whole number from 1 to ${maxLimit}`);
  }
  return Number(value);
}

function parseStatus(value: string | undefined): ReviewStatus {
  if (value === undefined || value === '') return ReviewStatus.Pending;
  if (!isReviewStatus(value)) {
    throw new BadRequestException(`status must be one of ${Object.values(ReviewStatus).join(', ')}`);
  }
  return value;
}

/** The HTTP answer to a refused vote. */
function refusalError(result: Extract<VoteResult, { kind: 'refused' }>): Error {
  switch (result.refusal) {
    case VoteRefusal.OwnRequest:
      return new ForbiddenException('approvers never approve their own requests');
    case VoteRefusal.NotApprover:
      return new ForbiddenException('only members of the approver groups of this request may decide it');
    case VoteRefusal.NotPending:
      return new ConflictException(`the request is already ${result.request.status}`);
    case VoteRefusal.Expired:
      return new ConflictException('the request expired');
    case VoteRefusal.AlreadyVoted:
      return new ConflictException('each approver votes once on a request');
  }
}

/**
 * The approvers' API: review requests visible to the caller, and votes on them. A decision is
 * committed before it is announced; if the bus does not acknowledge, the sweep re-publishes it.
 */
@Controller('v1/requests')
@UseGuards(BearerTokenGuard)
export class RequestsController {
  constructor(
    @Inject(APPROVAL_RUNTIME) private readonly runtime: ApprovalRuntime,
    @Inject(ApprovalStore) private readonly store: ApprovalStore,
    @Inject(ReviewAnnouncer) private readonly announcer: ReviewAnnouncer,
  ) {}

  @Get()
  async list(
    @CallerIdentity() caller: VerifiedIdentity,
    @Query('status') statusText?: string,
    @Query('limit') limitText?: string,
  ): Promise<{ requests: RequestView[] }> {
    const rows = await this.store.list(caller, parseStatus(statusText), parseLimit(limitText));
    return { requests: rows.map((row) => requestView(row)) };
  }

  @Get(':id')
  async get(@CallerIdentity() caller: VerifiedIdentity, @Param('id') id: string): Promise<RequestView> {
    const found = isUsableRequestId(id) ? await this.store.find(id) : undefined;
    if (!found || !canSee(factsOf(found.request), caller, this.runtime.config.approverGroup)) {
      throw new NotFoundException('no such request');
    }
    return requestView(found.request, found.votes);
  }

  @Post(':id/approve')
  @HttpCode(200)
  async approve(
    @CallerIdentity() caller: VerifiedIdentity,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<RequestView> {
    return this.vote(caller, id, Vote.Approve, body);
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(
    @CallerIdentity() caller: VerifiedIdentity,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<RequestView> {
    return this.vote(caller, id, Vote.Reject, body);
  }

  private async vote(caller: VerifiedIdentity, id: string, vote: Vote, body: unknown): Promise<RequestView> {
    const started = performance.now();
    let comment: string | null;
    try {
      ({ comment } = parseVoteBody(body));
    } catch (error) {
      if (!(error instanceof InvalidMessageError)) throw error;
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: error.message,
        problems: error.problems,
      });
    }
    const result: VoteResult = isUsableRequestId(id)
      ? await this.store.vote(id, caller, vote, comment, new Date())
      : { kind: 'not_found' };
    const outcome =
      result.kind === 'counted'
        ? result.request.status
        : result.kind === 'refused'
          ? result.refusal
          : 'not_found';
    this.runtime.metrics.observe('vote', outcome, (performance.now() - started) / 1000);
    if (result.kind === 'not_found') throw new NotFoundException('no such request');
    if (result.kind === 'refused') throw refusalError(result);
    this.runtime.logger.info(
      { requestId: id, approver: caller.subject, vote, status: result.request.status },
      'vote counted',
    );
    if (result.request.status !== ReviewStatus.Pending) await this.announcer.tryAnnounce(result.request);
    return requestView(result.request, result.votes);
  }
}
