import type { BodyOf } from '@gatehouse/contracts';

/** The reply body masking sends. */
export type MaskReplyBody = BodyOf<'gatehouse.masking.v1.mask_reply'>;

/** Why a batch was not masked; one `as const` list drives the contract enum and the code. */
export const MaskFailureCode = {
  InvalidRequest: 'invalid_request',
  UnknownProfile: 'unknown_profile',
  UnknownTarget: 'unknown_target',
  CatalogUnavailable: 'catalog_unavailable',
  Unmaskable: 'unmaskable',
  Internal: 'internal',
} as const;

/** One of {@link MaskFailureCode}. */
export type MaskFailureCode = (typeof MaskFailureCode)[keyof typeof MaskFailureCode];

/** A batch masking refuses; answered as an error reply (the edge then fails the statement). */
export class MaskFailure extends Error {
  override readonly name = 'MaskFailure';
  constructor(
    readonly code: MaskFailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The error reply. Messages never hold cell values. */
  reply(): MaskReplyBody {
    return { counts: [], error: { code: this.code, message: this.message.slice(0, 1024) } };
  }
}
