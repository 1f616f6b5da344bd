import { createHash } from 'node:crypto';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { serialize } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { DependencyUnavailableError, ProtocolViolationError } from '@gatehouse/errors';
import type { PostgresTarget } from '../targets/target-registry.ts';
import { ScramSha256Client } from './scram-sha-256.ts';

/** An authenticated upstream session, ready for queries. */
export interface UpstreamSession {
  socket: Socket;
  /** ParameterStatus values the server sent during startup, in order. */
  parameters: [string, string][];
  /** The server's own cancel key (the client gets the edge's key instead). */
  backendKey: { processId: number; secretKey: number } | undefined;
  /** Transaction status of the first ReadyForQuery. */
  status: string;
}

/** Startup parameters forwarded from the client (never `user`/`database`: the target decides those). */
export type ForwardedParameters = Record<string, string>;

// Parameters that cannot change how a statement parses. `search_path`, `options` (which can set
// any GUC, e.g. standard_conforming_strings) and non-UTF-8 encodings are never forwarded: authz
// classifies statements with the server defaults, and they must stay true upstream.
const forwardable = new Set([
  'application_name',
  'DateStyle',
  'TimeZone',
  'extra_float_digits',
  'IntervalStyle',
]);
const utf8Names = new Set(['utf8', 'utf-8', 'unicode']);

/** Picks the client startup parameters that are safe to pass upstream, plus the edge's own. */
export function forwardedParameters(
  client: ReadonlyMap<string, string>,
  statementTimeoutMs: number,
): ForwardedParameters {
  const result: ForwardedParameters = { client_encoding: 'UTF8' };
  for (const [name, value] of client) {
    if (name === 'client_encoding') {
      if (!utf8Names.has(value.toLowerCase()) && value.toLowerCase() !== 'auto') {
        throw new ProtocolViolationError(
          `client_encoding ${value} is not supported through Gatehouse; use UTF8`,
        );
      }
      continue;
    }
    if (forwardable.has(name)) result[name] = value;
  }
  if (statementTimeoutMs > 0) result['options'] = `-c statement_timeout=${statementTimeoutMs}`;
  return result;
}

/**
 * Opens a session to the target with the edge's credentials: optional TLS (SSLRequest), then
 * StartupMessage and SCRAM-SHA-256, md5 or trust. Uses pg-protocol on this leg: it serializes
 * frontend messages and parses backend ones, which is exactly what a client needs.
 */
export async function openUpstream(
  target: PostgresTarget,
  parameters: ForwardedParameters,
  timeoutMs = 10_000,
): Promise<UpstreamSession> {
  let socket: Socket = connectTcp({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  const fail = (message: string, cause?: unknown): DependencyUnavailableError =>
    new DependencyUnavailableError(`target ${target.name}: ${message}`, 'upstream', { cause });
  const timer = setTimeout(() => socket.destroy(fail(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    await once(socket, 'connect');
    if (target.tls !== 'disable') socket = await startTls(socket, target);
    return await authenticate(socket, target, parameters);
  } catch (error) {
    socket.destroy();
    throw error instanceof DependencyUnavailableError ? error : fail('cannot connect', error);
  } finally {
    clearTimeout(timer);
  }
}

async function startTls(socket: Socket, target: PostgresTarget): Promise<Socket> {
  socket.write(serialize.requestSsl());
  const answer = await readBytes(socket, 1);
  if (answer[0] !== 0x53)
    throw new DependencyUnavailableError(`target ${target.name} does not offer TLS`, 'upstream');
  const verify = target.tls === 'verify-full';
  const secure = connectTls({
    socket,
    // The name verify-full checks the certificate against.
    host: target.host,
    // SNI takes host names only; verify-full still checks an IP address against the certificate.
    ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
    ca: target.ca,
    rejectUnauthorized: verify,
    // `require` encrypts without verifying; an explicit undefined would be rejected by node:tls.
    ...(verify ? {} : { checkServerIdentity: () => undefined }),
  });
  await once(secure, 'secureConnect');
  return secure;
}

async function authenticate(
  socket: Socket,
  target: PostgresTarget,
  parameters: ForwardedParameters,
): Promise<UpstreamSession> {
  const parser = new Parser();
  const session: UpstreamSession = { socket, parameters: [], backendKey: undefined, status: 'I' };
  let scram: ScramSha256Client | undefined;
  const password = (): string => {
    if (target.password === undefined)
      throw new DependencyUnavailableError(
        `target ${target.name} asks for a password and none is configured`,
        'upstream',
      );
    return target.password;
  };
  return new Promise<UpstreamSession>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      try {
        parser.parse(chunk, (message: BackendMessage) => {
          const m = message as BackendMessage & Record<string, unknown>;
          switch (message.name) {
            case 'authenticationOk':
              break;
            case 'authenticationCleartextPassword':
              socket.write(serialize.password(password()));
              break;
            case 'authenticationMD5Password': {
              const inner = createHash('md5')
                .update(password() + target.user)
                .digest('hex');
              const outer = createHash('md5')
                .update(Buffer.concat([Buffer.from(inner), m['salt'] as Buffer]))
                .digest('hex');
              socket.write(serialize.password(`md5${outer}`));
              break;
            }
            case 'authenticationSASL': {
              if (!(m['mechanisms'] as string[]).includes('SCRAM-SHA-256'))
                throw new Error('upstream offers no SCRAM-SHA-256');
              scram = new ScramSha256Client(password());
              socket.write(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', scram.firstMessage()));
              break;
            }
            case 'authenticationSASLContinue':
              socket.write(serialize.sendSCRAMClientFinalMessage(scram!.finalMessage(m['data'] as string)));
              break;
            case 'authenticationSASLFinal':
              scram!.verifyServerFinal(m['data'] as string);
              break;
            case 'parameterStatus':
              session.parameters.push([m['parameterName'] as string, m['parameterValue'] as string]);
              break;
            case 'backendKeyData':
              session.backendKey = {
                processId: m['processID'] as number,
                secretKey: m['secretKey'] as number,
              };
              break;
            case 'readyForQuery':
              session.status = m['status'] as string;
              // Hold further bytes until the relay listens (it resumes the socket).
              socket.pause();
              socket.off('data', onData);
              socket.off('error', onError);
              socket.off('close', onClose);
              resolve(session);
              break;
            case 'error':
              throw new DependencyUnavailableError(
                `target ${target.name} refused the session: ${(message as unknown as Error).message}`,
                'upstream',
              );
            default:
              break;
          }
        });
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error): void =>
      reject(
        new DependencyUnavailableError(`target ${target.name}: connection failed`, 'upstream', {
          cause: error,
        }),
      );
    const onClose = (): void =>
      reject(
        new DependencyUnavailableError(
          `target ${target.name} closed the connection during startup`,
          'upstream',
        ),
      );
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(serialize.startup({ user: target.user, database: target.database, ...parameters }));
  });
}

function once(socket: Socket, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once(event, () => resolve());
    socket.once('error', reject);
  });
}

function readBytes(socket: Socket, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      socket.off('data', onData);
      socket.off('error', reject);
      if (chunk.length !== count)
        reject(new DependencyUnavailableError('unexpected bytes after SSLRequest', 'upstream'));
      else resolve(chunk);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}
