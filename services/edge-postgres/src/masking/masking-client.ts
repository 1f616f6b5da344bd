import { MessageType, encodeFramedMessage, envelope, subjectsFor, type BodyOf } from '@gatehouse/contracts';
import { DeadlineExceededError, DependencyUnavailableError } from '@gatehouse/errors';
import type { Logger } from '@gatehouse/logging';
import { newTraceparent, requestMessage, traceHeaders, type NatsConnection } from '@gatehouse/nats';
import { WholeCellBytes } from '@gatehouse/pii';
import type { FieldDescription } from '@gatehouse/pg-wire';
import { NoRespondersError, RequestError, TimeoutError } from '@nats-io/nats-core';
import { decodeCellReply } from './cell-message.ts';
import type { CopySpec, MaskCount, MaskingBackend, ResultPlan } from './masking-backend.ts';
import { MaskingRefusal, MaskingRefusalCode } from './masking-refusal.ts';
import { ResultMasker } from './result-masker.ts';

type MaskRequest = BodyOf<'gatehouse.masking.v1.mask_request'>;
type MaskReply = BodyOf<'gatehouse.masking.v1.mask_reply'>;

/** Plans kept per edge process (one per distinct profile, target and RowDescription). */
const MAX_PLANS = 4096;

/** How the edge reaches masking. */
export interface MaskingClientOptions {
  bus: NatsConnection;
  prefix: string;
  /** Deadline per request. */
  timeoutMs: number;
  /** How long a plan is reused. */
  planTtlMs: number;
  /** Batch limits and pipelining of every session's result masker. */
  batchRows: number;
  batchBytes: number;
  maxInFlight: number;
}

/**
 * The edge's side of the masking contract (request/reply on `<prefix>.masking.v1.mask`, queue
 * group `masking`, with a deadline), shared by every session of the process, plus the plan cache:
 * a RowDescription seen before (same profile, target and bytes) is decided without a round trip,
 * so results that need no masking pass through at full speed.
 */
export class MaskingClient implements MaskingBackend {
  readonly #subject: string;
  readonly #plans = new Map<string, { plan: ResultPlan; expiresAt: number }>();

  constructor(private readonly options: MaskingClientOptions) {
    this.#subject = subjectsFor(options.prefix).maskingMask;
  }

  /** A result masker for one client session; `onReady` is called when held frames can flow again. */
  openSession(target: string, logger: Logger, onReady: () => void): ResultMasker {
    const { batchRows, batchBytes, maxInFlight } = this.options;
    return new ResultMasker({ backend: this, target, logger, onReady, batchRows, batchBytes, maxInFlight });
  }

  cachedPlan(key: string): ResultPlan | undefined {
    const entry = this.#plans.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#plans.delete(key);
      return undefined;
    }
    return entry.plan;
  }

  async planResult(key: string, profile: string, target: string, fields: readonly FieldDescription[]) {
    const reply = await this.#request({ profile, target, columns: columnsOf(fields) });
    return this.#remember(key, planOf(reply));
  }

  async maskCells(
    profile: string,
    target: string,
    fields: readonly FieldDescription[],
    cellColumns: readonly number[],
    rowCount: number,
    cells: Uint8Array,
  ) {
    // Framed before the first await: `cells` may be a view the next batch overwrites.
    const message = envelope(
      MessageType.MaskRequest,
      {
        profile,
        target,
        columns: columnsOf(fields),
        cellColumns: [...cellColumns],
        rowCount,
        cellBytes: cells.length,
      },
      { traceparent: newTraceparent() },
    );
    const payload = encodeFramedMessage(message, cells);
    let data;
    try {
      data = (
        await this.options.bus.request(this.#subject, payload, {
          timeout: this.options.timeoutMs,
          headers: traceHeaders(message.traceparent),
        })
      ).data;
    } catch (cause) {
      throw requestFailure(cause, this.options.timeoutMs);
    }
    const reply = this.#checked(decodeCellReply(data));
    if (reply.body.cellBytes === undefined || reply.cells === undefined) {
      throw new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
    }
    return { cells: reply.cells, counts: countsOf(reply.body) };
  }

  async planCopy(key: string, profile: string, target: string, copy: CopySpec) {
    const reply = await this.#request({ profile, target, columns: [], copy: { ...copy, offset: 0 } });
    return this.#remember(key, planOf(reply));
  }

  async maskCopy(profile: string, target: string, copy: CopySpec, offset: number, lines: string[]) {
    const reply = await this.#request({ profile, target, columns: [], copy: { ...copy, offset }, lines });
    if (reply.lines === undefined || reply.lines.length !== lines.length) {
      throw new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
    }
    return { lines: reply.lines, counts: countsOf(reply) };
  }

  async maskLines(profile: string, target: string, lines: readonly string[]) {
    const reply = await this.#request({ profile, target, columns: [], lines: [...lines] });
    if (reply.lines === undefined || reply.lines.length !== lines.length) {
      throw new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
    }
    return { lines: reply.lines, counts: countsOf(reply) };
  }

  async #request(body: MaskRequest): Promise<MaskReply> {
    const reply = await requestMessage(
      this.options.bus,
      envelope(MessageType.MaskRequest, body, { traceparent: newTraceparent() }),
      {
        subject: this.#subject,
        dependency: 'masking',
        replyType: MessageType.MaskReply,
        timeoutMs: this.options.timeoutMs,
      },
    );
    return this.#checked({ body: reply.body, cells: undefined }).body;
  }

  /** A reply that is not an error reply; an error reply is a MaskingRefusal. */
  #checked<T extends { body: MaskReply }>(reply: T): T {
    const error = reply.body.error;
    if (error !== undefined) {
      const code =
        error.code === 'unmaskable' ? MaskingRefusalCode.Unmaskable : MaskingRefusalCode.ServiceError;
      throw new MaskingRefusal(code, `masking refused: ${error.message}`);
    }
    return reply;
  }

  #remember(key: string, plan: ResultPlan): ResultPlan {
    if (this.#plans.size >= MAX_PLANS) this.#plans.delete(this.#plans.keys().next().value!);
    this.#plans.set(key, { plan, expiresAt: Date.now() + this.options.planTtlMs });
    return plan;
  }
}

/** A failed bus request as `requestMessage` reports it: a missed deadline, or masking unreachable. */
function requestFailure(cause: unknown, timeoutMs: number): Error {
  if (
    cause instanceof TimeoutError ||
    (cause instanceof RequestError && cause.cause instanceof TimeoutError)
  ) {
    return new DeadlineExceededError(`masking did not answer within ${timeoutMs} ms`, 'masking', { cause });
  }
  const noResponders =
    cause instanceof NoRespondersError || (cause instanceof RequestError && cause.isNoResponders());
  const reason = noResponders ? 'no instance is serving' : 'the bus is unavailable';
  return new DependencyUnavailableError(`masking cannot answer: ${reason}`, 'masking', { cause });
}

function columnsOf(fields: readonly FieldDescription[]): MaskRequest['columns'] {
  return fields.map((field) => ({
    name: field.name.slice(0, 256),
    typeOid: field.typeOid,
    typeModifier: Math.max(field.typeModifier, -1),
    tableOid: field.tableOid,
    // System columns (ctid, xmin) have negative numbers: not a traceable user column.
    columnNumber: Math.max(field.columnAttributeNumber, 0),
    format: field.format === 1 ? ('binary' as const) : ('text' as const),
  }));
}

function planOf(reply: MaskReply): ResultPlan {
  if (reply.plan === undefined) {
    throw new DependencyUnavailableError('masking answered a plan request without a plan', 'masking');
  }
  // Columns the plan gives a byte form are masked here, with @gatehouse/pii's own byte masker.
  const edgeColumns = reply.plan.columns.flatMap((column) =>
    column.replace === undefined || column.entity === undefined
      ? []
      : [
          Object.freeze({
            index: column.index,
            name: column.name,
            entity: column.entity,
            masker: WholeCellBytes.of(column.replace.form, column.replace.text),
          }),
        ],
  );
  return Object.freeze({
    maskedColumns: Object.freeze([...reply.plan.maskedColumns]),
    edgeColumns: Object.freeze(edgeColumns.sort((a, b) => a.index - b.index)),
    refusal: reply.plan.refusal,
  });
}

function countsOf(reply: MaskReply): MaskCount[] {
  return reply.counts.map(({ entity, column, index, count }) => ({ entity, column, index, count }));
}
