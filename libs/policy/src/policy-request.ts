import type { OperationFacts } from './operation-facts.ts';

/** Languages an operation can be written in. */
export const Language = ['sql', 'shell'] as const;

/** One of {@link Language}. */
export type Language = (typeof Language)[number];

/** Kinds of target Gatehouse fronts. */
export const TargetKind = ['postgres', 'ssh'] as const;

/** One of {@link TargetKind}. */
export type TargetKind = (typeof TargetKind)[number];

/** Everything the engine needs to decide one statement or command. */
export interface PolicyRequest {
  /** The verified identity behind the operation. */
  readonly actor: {
    /** Token subject. */
    readonly sub: string;
    /** Groups from the token. */
    readonly groups: readonly string[];
    /** Token issuer URL. */
    readonly issuer: string;
  };
  /** The system the operation addresses. */
  readonly target: {
    /** Configured target name, e.g. `demo`. */
    readonly name: string;
    /** Kind of target. */
    readonly kind: TargetKind;
    /** Labels configured on the target, e.g. `{ env: 'prod' }`. */
    readonly labels?: Readonly<Record<string, string>>;
  };
  /** The operation and what its classifier found. */
  readonly operation: {
    /** Language of the operation text. */
    readonly language: Language;
    /** The classifier's facts. */
    readonly classification: OperationFacts;
  };
  /** The client connection and the clock. */
  readonly context: {
    /** Whether the client connection uses TLS. */
    readonly tls: boolean;
    /** Client IP address (IPv4, IPv6, or IPv4-mapped IPv6 as sockets report it). */
    readonly clientAddress: string;
    /** When the operation is decided. */
    readonly time: Date;
  };
}
