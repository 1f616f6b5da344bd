/** Where a review request stands; every state but `pending` is final. */
export const ReviewStatus = {
  Pending: 'pending',
  Approved: 'approved',
  Rejected: 'rejected',
  Expired: 'expired',
} as const;

/** A review request's status. */
export type ReviewStatus = (typeof ReviewStatus)[keyof typeof ReviewStatus];

/** A final status: the outcome announced on the bus. */
export type ReviewOutcome = Exclude<ReviewStatus, 'pending'>;

const statuses: readonly string[] = Object.values(ReviewStatus);

/** Whether a string (from a query or a column) names a status. */
export function isReviewStatus(value: string): value is ReviewStatus {
  return statuses.includes(value);
}

/** What an approver can say about a request. */
export const Vote = { Approve: 'approve', Reject: 'reject' } as const;

/** One approver's vote. */
export type Vote = (typeof Vote)[keyof typeof Vote];
