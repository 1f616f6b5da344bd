import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { InvalidTokenError, ProtocolViolationError } from '@gatehouse/errors';
import {
  FrontendMessageCode,
  MessageFramer,
  Severity,
  StartupFramer,
  StartupPacketKind,
  isTlsHandshake,
  decodePasswordMessage,
  decodeStartupPacket,
  encodeAuthenticationCleartextPassword,
  EncryptionResponse,
  encodeEncryptionResponse,
  encodeErrorResponse,
  encodeNegotiateProtocolVersion,
  errorResponseFor,
  type StartupMessage,
} from '@gatehouse/pg-wire';
import type { SessionDeps } from './session-deps.ts';

/** A client that finished startup and presented a password (the token). */
export interface StartupOutcome {
  socket: Socket;
  startup: StartupMessage;
  token: string;
  tls: TLSSocket | undefined;
  /** Frontend bytes that arrived after the PasswordMessage. */
  framer: MessageFramer;
}

/** Thrown when startup ended without a session (cancel request, client gone). */
export class StartupEnded extends Error {
  override readonly name = 'StartupEnded';
}

/**
 * Runs the startup phase (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP):
 * SSLRequest (TLS) / GSSENCRequest (N) / CancelRequest / StartupMessage, then asks for a
 * cleartext password, which carries the token. Failures throw typed errors; the caller answers
 * them with a FATAL ErrorResponse.
 */
export async function performStartup(plain: Socket, deps: SessionDeps): Promise<StartupOutcome> {
  let socket: Socket = plain;
  let tls: TLSSocket | undefined;
  const startupFramer = new StartupFramer();
  const reader = new SocketReader(socket);
  const first = await reader.peek();
  if (isTlsHandshake(first)) {
    // PostgreSQL 17+ clients with sslnegotiation=direct start TLS at once, with ALPN "postgresql".
    if (!deps.tls) throw new ProtocolViolationError('direct TLS requested but TLS is not enabled');
    reader.detach();
    plain.unshift(reader.takeAll());
    tls = new TLSSocket(plain, { isServer: true, secureContext: deps.tls, ALPNProtocols: ['postgresql'] });
    await handshake(tls);
    socket = tls;
    reader.attach(socket);
  }
  for (;;) {
    const packet = await reader.next((chunk) => {
      startupFramer.push(chunk);
      return startupFramer.next();
    });
    const decoded = decodeStartupPacket(packet);
    if (decoded.kind === StartupPacketKind.SslRequest) {
      if (tls || !deps.tls) {
        socket.write(encodeEncryptionResponse(EncryptionResponse.Refused));
        continue;
      }
      // Bytes pipelined before the handshake were not protected by it (CVE-2021-23214).
      if (startupFramer.bufferedBytes > 0 || reader.hasBuffered) {
        throw new ProtocolViolationError('received unencrypted data after SSL request');
      }
      reader.detach();
      socket.write(encodeEncryptionResponse(EncryptionResponse.SslAccepted));
      tls = new TLSSocket(socket, { isServer: true, secureContext: deps.tls });
      await handshake(tls);
      socket = tls;
      reader.attach(socket);
      continue;
    }
    if (decoded.kind === StartupPacketKind.GssEncRequest) {
      socket.write(encodeEncryptionResponse(EncryptionResponse.Refused));
      continue;
    }
    if (decoded.kind === StartupPacketKind.CancelRequest) {
      // Each cancel costs an upstream connection and a guess at a secret: limit them per address.
      if (deps.cancelLimiter.take(plain.remoteAddress ?? '')) {
        deps.cancelForwarder.cancel(decoded.processId, decoded.secretKey);
      }
      throw new StartupEnded('cancel request handled');
    }
    const startup = decoded;
    if (startup.replication !== undefined) {
      throw new ProtocolViolationError('replication connections are not supported through Gatehouse');
    }
    if (startup.negotiation) {
      socket.write(encodeNegotiateProtocolVersion(startup.negotiation));
    }
    const address = plain.remoteAddress ?? '';
    if (!tls && !(deps.allowPlaintextLoopback && isLoopback(address))) {
      throw new InvalidTokenError('Gatehouse requires TLS for token authentication (use sslmode=require)');
    }
    socket.write(encodeAuthenticationCleartextPassword());
    const framer = new MessageFramer({ maxMessageSize: deps.maxMessageBytes });
    const leftover = startupFramer.takeBuffered();
    if (leftover.length > 0) framer.push(leftover);
    const frame = await reader.next((chunk) => {
      if (chunk.length > 0) framer.push(chunk);
      return framer.next();
    }, framer.next());
    if (frame.code !== FrontendMessageCode.PasswordMessage) {
      throw new ProtocolViolationError('expected a password message');
    }
    reader.detach();
    return {
      socket,
      startup,
      token: decodePasswordMessage(frame.payload()).password.toString('utf8'),
      tls,
      framer,
    };
  }
}

/** Writes a FATAL ErrorResponse for a startup failure and closes. */
export function refuseStartup(socket: Socket, error: unknown, user?: string): void {
  const diagnostic = errorResponseFor(error, { severity: Severity.Fatal, ...(user ? { user } : {}) });
  socket.end(encodeErrorResponse(diagnostic));
}

function handshake(tls: TLSSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tls.once('secure', resolve);
    tls.once('error', reject);
    // The listener allows half-open sockets, so a client's FIN arrives as 'end' without 'close'.
    tls.once('end', () => reject(new StartupEnded('client left during TLS handshake')));
    tls.once('close', () => reject(new StartupEnded('client left during TLS handshake')));
  });
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Pulls chunks from a socket until a parse step yields a value (startup is short and rare). */
class SocketReader {
  #socket: Socket | undefined;
  #pending: Buffer[] = [];
  #wake: (() => void) | undefined;
  #ended: Error | undefined;
  readonly #onData = (chunk: Buffer): void => {
    this.#pending.push(chunk);
    this.#wake?.();
  };
  readonly #onEnd = (): void => {
    this.#ended = new StartupEnded('client closed the connection during startup');
    this.#wake?.();
  };

  constructor(socket: Socket) {
    this.attach(socket);
  }

  /** Waits for the first bytes without consuming them. */
  async peek(): Promise<Buffer> {
    while (this.#pending.length === 0) {
      if (this.#ended) throw this.#ended;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
    return this.#pending[0]!;
  }

  /** Removes and returns everything buffered. */
  takeAll(): Buffer {
    const all = Buffer.concat(this.#pending);
    this.#pending = [];
    return all;
  }

  get hasBuffered(): boolean {
    return this.#pending.length > 0;
  }

  attach(socket: Socket): void {
    this.#socket = socket;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onEnd);
  }

  detach(): void {
    const socket = this.#socket;
    if (!socket) return;
    // Stop the flow until the next owner listens, or its bytes and its 'end' would be lost.
    socket.pause();
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onEnd);
    socket.off('error', this.#onEnd);
    this.#socket = undefined;
  }

  async next<T>(step: (chunk: Buffer) => T | null, ready: T | null = null): Promise<T> {
    if (ready !== null) return ready;
    for (;;) {
      const chunk = this.#pending.shift();
      if (chunk) {
        const value = step(chunk);
        if (value !== null) return value;
        continue;
      }
      const value = step(Buffer.alloc(0));
      if (value !== null) return value;
      if (this.#ended) throw this.#ended;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
