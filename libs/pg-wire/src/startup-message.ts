import { ProtocolViolationError } from '@gatehouse/errors';
import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { protocolMajor, protocolMinor, protocolVersion, StartupRequestCode } from './message-codes.ts';
import { UnsupportedProtocolVersionError } from './unsupported-protocol-version-error.ts';

/** The only protocol major version in existence. */
const SUPPORTED_MAJOR = 3;

/** Newest protocol minor version this codec understands (3.2, PostgreSQL 18). */
export const NEWEST_MINOR_VERSION = 2;

/** Startup parameters whose name starts with this are protocol options, not run-time settings. */
export const PROTOCOL_OPTION_PREFIX = '_pq_.';

/**
 * Bounds of a cancel key: 4 bytes before protocol 3.2, up to 256 since
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CANCELREQUEST).
 */
export const CancelKeyLength = { Min: 4, Max: 256 } as const;

/** Kinds of untagged startup-phase packets. */
export const StartupPacketKind = {
  /** StartupMessage: protocol version and connection parameters. */
  Startup: 'startup',
  /** SSLRequest: answer one byte, 'S' (then TLS) or 'N'. */
  SslRequest: 'ssl-request',
  /** GSSENCRequest: answer one byte, 'G' (then GSSAPI) or 'N'. */
  GssEncRequest: 'gssenc-request',
  /** CancelRequest: sent on a fresh connection, which is closed without an answer. */
  CancelRequest: 'cancel-request',
} as const;

/** A startup packet kind. */
export type StartupPacketKind = (typeof StartupPacketKind)[keyof typeof StartupPacketKind];

/** SSLRequest: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SSLREQUEST */
export interface SslRequest {
  /** Discriminant. */
  readonly kind: typeof StartupPacketKind.SslRequest;
}

/** GSSENCRequest: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-GSSENCREQUEST */
export interface GssEncRequest {
  /** Discriminant. */
  readonly kind: typeof StartupPacketKind.GssEncRequest;
}

/** CancelRequest: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CANCELREQUEST */
export interface CancelRequest {
  /** Discriminant. */
  readonly kind: typeof StartupPacketKind.CancelRequest;
  /** Process id from the BackendKeyData the edge sent. */
  readonly processId: number;
  /** Secret key, 4 to 256 bytes (view of the packet; compare it in constant time). */
  readonly secretKey: Buffer;
}

/** What to put in a NegotiateProtocolVersion message before authentication. */
export interface ProtocolNegotiation {
  /** Minor version the connection will use: the requested one, or the newest supported if lower. */
  readonly minorVersion: number;
  /** `_pq_.` options the client asked for that the edge does not support, in request order. */
  readonly unsupportedOptions: readonly string[];
}

/** StartupMessage: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE */
export interface StartupMessage {
  /** Discriminant. */
  readonly kind: typeof StartupPacketKind.Startup;
  /** Requested major version (always 3 here; others are rejected). */
  readonly majorVersion: number;
  /** Requested minor version, possibly newer than supported. */
  readonly requestedMinorVersion: number;
  /** Minor version the connection uses: `min(requested, newest supported)`. */
  readonly minorVersion: number;
  /** Connection parameters in the order sent, `_pq_.` options excluded. */
  readonly parameters: ReadonlyMap<string, string>;
  /** `_pq_.` protocol options in the order sent, keyed by full name. */
  readonly protocolOptions: ReadonlyMap<string, string>;
  /** The `user` parameter (required). */
  readonly user: string;
  /** The `database` parameter, defaulting to the user name as PostgreSQL does. */
  readonly database: string;
  /** The `replication` parameter when present (`database`, `true`, ...): a replication connection. */
  readonly replication: string | undefined;
  /** Set when the edge must send NegotiateProtocolVersion; `undefined` when nothing to negotiate. */
  readonly negotiation: ProtocolNegotiation | undefined;
}

/** Any untagged startup-phase packet. */
export type StartupPacket = StartupMessage | SslRequest | GssEncRequest | CancelRequest;

/** Options of {@link decodeStartupPacket}. */
export interface StartupDecodeOptions {
  /** Newest minor version the edge speaks. Default {@link NEWEST_MINOR_VERSION}. */
  readonly newestMinorVersion?: number;
  /** `_pq_.` options the edge understands (full names). Default: none. */
  readonly supportedProtocolOptions?: ReadonlySet<string>;
}

const noOptions: ReadonlySet<string> = new Set();

/**
 * Decodes one whole startup packet (length field included), as returned by `StartupFramer.next()`.
 * Throws {@link ProtocolViolationError} for malformed packets and
 * {@link UnsupportedProtocolVersionError} for a major version other than 3.
 */
export function decodeStartupPacket(packet: Buffer, options: StartupDecodeOptions = {}): StartupPacket {
  const reader = new BufferReader(packet, 'startup packet');
  const length = reader.int32();
  if (length !== packet.length)
    throw reader.violation(`length ${length} does not match ${packet.length} bytes`);
  const code = reader.int32();
  switch (code) {
    case StartupRequestCode.SslRequest:
      reader.expectEnd();
      return { kind: StartupPacketKind.SslRequest };
    case StartupRequestCode.GssEncRequest:
      reader.expectEnd();
      return { kind: StartupPacketKind.GssEncRequest };
    case StartupRequestCode.CancelRequest: {
      const processId = reader.int32();
      const secretKey = reader.rest();
      if (secretKey.length < CancelKeyLength.Min || secretKey.length > CancelKeyLength.Max) {
        throw reader.violation(`cancel key of ${secretKey.length} bytes (expected 4 to 256)`);
      }
      return { kind: StartupPacketKind.CancelRequest, processId, secretKey };
    }
    default:
      return decodeStartupMessage(reader, code, options);
  }
}

function decodeStartupMessage(
  reader: BufferReader,
  version: number,
  options: StartupDecodeOptions,
): StartupMessage {
  const major = protocolMajor(version);
  const minor = protocolMinor(version);
  const newestMinor = options.newestMinorVersion ?? NEWEST_MINOR_VERSION;
  if (major !== SUPPORTED_MAJOR) {
    throw new UnsupportedProtocolVersionError(
      `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.${newestMinor}`,
      major,
      minor,
    );
  }
  const parameters = new Map<string, string>();
  const protocolOptions = new Map<string, string>();
  for (;;) {
    const name = reader.cstring();
    if (name === '') break;
    const value = reader.cstring();
    const target = name.startsWith(PROTOCOL_OPTION_PREFIX) ? protocolOptions : parameters;
    // A repeated name could make the edge and the upstream disagree on who connects: refuse it.
    if (target.has(name)) throw reader.violation(`parameter "${name}" appears twice`);
    target.set(name, value);
  }
  reader.expectEnd();
  const user = parameters.get('user');
  if (user === undefined || user === '') {
    throw new ProtocolViolationError('no PostgreSQL user name specified in startup packet');
  }
  const supported = options.supportedProtocolOptions ?? noOptions;
  const unsupportedOptions = [...protocolOptions.keys()].filter((name) => !supported.has(name));
  const minorVersion = Math.min(minor, newestMinor);
  return {
    kind: StartupPacketKind.Startup,
    majorVersion: major,
    requestedMinorVersion: minor,
    minorVersion,
    parameters,
    protocolOptions,
    user,
    database: parameters.get('database') || user,
    replication: parameters.get('replication'),
    negotiation:
      minor > newestMinor || unsupportedOptions.length > 0 ? { minorVersion, unsupportedOptions } : undefined,
  };
}

/** Fields of a StartupMessage to encode. */
export interface StartupMessageInit {
  /** Minor version to request (major is 3). Default 0. */
  readonly minorVersion?: number;
  /** Parameters, `_pq_.` options included, in the order to send them. */
  readonly parameters: Iterable<readonly [string, string]>;
}

/** Encodes a StartupMessage (the edge's upstream connection, and tests). */
export function encodeStartupMessage(init: StartupMessageInit): Buffer {
  const writer = new BufferWriter(128).int32(protocolVersion(SUPPORTED_MAJOR, init.minorVersion ?? 0));
  for (const [name, value] of init.parameters) writer.cstring(name).cstring(value);
  return writer.byte(0).packet();
}

/** Encodes an SSLRequest. */
export function encodeSslRequest(): Buffer {
  return new BufferWriter(4).int32(StartupRequestCode.SslRequest).packet();
}

/** Encodes a GSSENCRequest. */
export function encodeGssEncRequest(): Buffer {
  return new BufferWriter(4).int32(StartupRequestCode.GssEncRequest).packet();
}

/** Encodes a CancelRequest; `secretKey` is 4 bytes before protocol 3.2, up to 256 since. */
export function encodeCancelRequest(processId: number, secretKey: Uint8Array): Buffer {
  if (secretKey.length < CancelKeyLength.Min || secretKey.length > CancelKeyLength.Max) {
    throw new RangeError(`cancel key must be 4 to 256 bytes, got ${secretKey.length}`);
  }
  return new BufferWriter(8 + secretKey.length)
    .int32(StartupRequestCode.CancelRequest)
    .int32(processId)
    .bytes(secretKey)
    .packet();
}
