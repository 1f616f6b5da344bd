// JSON shapes of the ledger's auditor API (services/ledger/openapi.yaml). The ledger service
// builds its responses with these types and the verifier reads them, so both sides share one
// definition. Hashes are lowercase hex; record bytes are base64.

/** A signed checkpoint (c2sp.org/tlog-checkpoint) and its JWS twin. */
export interface CheckpointView {
  /** Log origin, the first line of the note. */
  readonly origin: string;
  /** Tree size it commits to. */
  readonly size: number;
  /** Root hash, hex. */
  readonly root: string;
  /** The signed note text: verify it with the published verifier key. */
  readonly note: string;
  /** The same checkpoint as an EdDSA JWS (typ `tlog-checkpoint+jws`). */
  readonly jws: string;
  /** When the ledger signed it, RFC 3339. */
  readonly signedAt: string;
}

/** One log entry. */
export interface EntryView {
  /** Position in the log, from 0. */
  readonly index: number;
  /** Evidence record id. */
  readonly recordId: string;
  /** RFC 9162 leaf hash the ledger stored, hex. */
  readonly leafHash: string;
  /** Record kind, e.g. `statement`. */
  readonly kind: string;
  /** Session the record belongs to. */
  readonly sessionId: string;
  /** Position in that session. */
  readonly sessionSeq: number;
  /** Record time, RFC 3339. */
  readonly time: string;
  /** The record, parsed from `canonical` for reading; verifiers hash `canonical`. */
  readonly record: unknown;
  /** The exact canonical record bytes the ledger hashed, base64. */
  readonly canonical: string;
}

/** A page of entries. */
export interface EntriesPage {
  /** Tree size (committed entries) when the page was read. */
  readonly size: number;
  /** Entries in index order. */
  readonly entries: readonly EntryView[];
}

/** An RFC 9162 inclusion proof. */
export interface InclusionProofView {
  readonly index: number;
  /** Tree size the proof is for. */
  readonly size: number;
  /** The leaf hash the proof starts from, hex (from the node store). */
  readonly leafHash: string;
  /** Audit path, leaf to root, hex. */
  readonly proof: readonly string[];
  /** Root at `size` computed from the node store, hex (trust the signed checkpoint's instead). */
  readonly root: string;
  /** The checkpoint signed at exactly `size`, when there is one. */
  readonly checkpoint: CheckpointView | null;
}

/** An entry with its inclusion proof in the latest checkpoint. */
export interface EntryWithProofView {
  readonly entry: EntryView;
  /** Proof to `checkpoint`; null while the entry is newer than the latest checkpoint (about a second). */
  readonly inclusion: InclusionProofView | null;
  /** The latest signed checkpoint. */
  readonly checkpoint: CheckpointView | null;
}

/** An RFC 9162 consistency proof. */
export interface ConsistencyProofView {
  readonly from: number;
  readonly to: number;
  /** Proof hashes, hex. */
  readonly proof: readonly string[];
  /** Roots computed from the node store, hex (trust signed checkpoints instead). */
  readonly fromRoot: string;
  readonly toRoot: string;
}

/** A session's chain as the ledger sees it. */
export interface SessionChainView {
  /** Records of the session in the ledger. */
  readonly records: number;
  /** Whether a session_closed record is present. */
  readonly closed: boolean;
  /** Hash of the session's last record in seq order (what a next record would name as prev). */
  readonly head: string | null;
  /** Chain problems found (empty when the chain holds). */
  readonly problems: readonly {
    readonly kind: string;
    readonly index: number | null;
    readonly message: string;
  }[];
}

/** A session's records and chain. */
export interface SessionView {
  readonly sessionId: string;
  /** Records in session order. */
  readonly entries: readonly EntryView[];
  readonly chain: SessionChainView;
}

/** An Ed25519 public key as a JWK (RFC 8037). */
export interface PublicJwkView {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

/** The keys that verify checkpoints. */
export interface KeysView {
  readonly origin: string;
  /** Note verifier key (`<name>+<key id>+<base64 key>`), for signed-note checkpoints. */
  readonly noteVerifierKey: string;
  /** The same key as a JWK Set, for checkpoint JWSs. */
  readonly jwks: { readonly keys: readonly PublicJwkView[] };
}
