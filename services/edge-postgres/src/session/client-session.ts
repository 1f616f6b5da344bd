import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Actor } from '@gatehouse/contracts';
import { InvalidTokenError } from '@gatehouse/errors';
import { SessionEvidence } from '@gatehouse/evidence';
import {
  encodeAuthenticationOk,
  encodeBackendKeyData,
  encodeParameterStatus,
  encodeReadyForQuery,
  isTransactionStatus,
  TransactionStatus,
} from '@gatehouse/pg-wire';
import { forwardedParameters, openUpstream } from '../upstream/upstream-connection.ts';
import { RelaySession } from './relay-session.ts';
import type { SessionDeps } from './session-deps.ts';
import { StartupEnded, performStartup, refuseStartup } from './startup-handshake.ts';

/**
 * One client connection from accept to close: startup and TLS, token verification, target
 * lookup, upstream session, the session-opened evidence (acknowledged before AuthenticationOk),
 * then the relay; session-closed evidence at the end.
 */
export async function runClientSession(socket: Socket, deps: SessionDeps): Promise<void> {
  socket.setNoDelay(true);
  const sessionId = randomUUID();
  const clientAddress = socket.remoteAddress ?? 'unknown';
  const logger = deps.logger.child({ session: sessionId });
  // authentication_timeout: a client that does not finish startup in time is cut off, so idle or
  // slow connections cannot pile up before authentication.
  let timedOut = false;
  const startupTimer = setTimeout(() => {
    timedOut = true;
    socket.destroy();
  }, deps.authenticationTimeoutMs);
  try {
    await runAuthenticatedSession(
      socket,
      deps,
      sessionId,
      clientAddress,
      logger,
      startupTimer,
      () => timedOut,
    );
  } finally {
    clearTimeout(startupTimer);
  }
}

async function runAuthenticatedSession(
  socket: Socket,
  deps: SessionDeps,
  sessionId: string,
  clientAddress: string,
  logger: SessionDeps['logger'],
  startupTimer: NodeJS.Timeout,
  timedOut: () => boolean,
): Promise<void> {
  let outcome;
  try {
    outcome = await performStartup(socket, deps);
  } catch (error) {
    if (error instanceof StartupEnded) socket.destroy();
    else refuseStartup(socket, error);
    return;
  }
  const { startup } = outcome;
  const client = outcome.socket;
  const targetRef = { name: startup.database, kind: 'postgres' as const };
  const evidence = new SessionEvidence(sessionId, targetRef);
  const tlsVersion = outcome.tls?.getProtocol() ?? null;

  if (!deps.authFailures.allowed(clientAddress)) {
    refuseStartup(client, new InvalidTokenError('too many failed attempts'), startup.user);
    return;
  }
  let actor: Actor;
  try {
    const identity = await deps.tokenVerifier.verify(outcome.token);
    actor = {
      sub: identity.subject,
      groups: [...identity.groups],
      issuer: identity.issuer,
      tokenId: identity.tokenId,
    };
  } catch (error) {
    deps.authFailures.fail(clientAddress);
    deps.metrics.requests.inc({ operation: 'authenticate', outcome: 'failed' });
    logger.info({ reason: (error as { reason?: string }).reason, clientAddress }, 'authentication failed');
    const failed = evidence.next('auth_failed', {
      clientAddress,
      user: startup.user.slice(0, 256),
      reason: (error as { reason?: string }).reason ?? 'invalid_token',
    });
    await deps.gate
      .record([failed])
      .catch((cause: unknown) => logger.error({ err: cause }, 'auth_failed evidence was not acknowledged'));
    refuseStartup(client, new InvalidTokenError('token rejected', { cause: error }), startup.user);
    return;
  }
  evidence.identify(actor);

  let upstream;
  let target;
  try {
    target = deps.targets.get(startup.database);
    upstream = await openUpstream(target, forwardedParameters(startup.parameters, deps.statementTimeoutMs));
  } catch (error) {
    logger.warn({ err: error, target: startup.database }, 'session refused before relay');
    refuseStartup(client, error, startup.user);
    return;
  }
  if (timedOut() || client.destroyed) {
    upstream.socket.destroy();
    return;
  }
  const opened = evidence.next('session_opened', {
    clientAddress,
    applicationName: startup.parameters.get('application_name') ?? '',
    user: startup.user.slice(0, 256),
    tlsVersion,
    protocol: `3.${startup.minorVersion}`,
  });
  try {
    await deps.gate.record([opened]);
  } catch (error) {
    upstream.socket.destroy();
    refuseStartup(client, error, startup.user);
    return;
  }

  const edgeKey = deps.cancels.issue(target, upstream.backendKey ?? { processId: 0, secretKey: 0 });
  const greeting = [encodeAuthenticationOk()];
  for (const [name, value] of upstream.parameters) greeting.push(encodeParameterStatus(name, value));
  greeting.push(encodeBackendKeyData(edgeKey.processId, edgeKey.secretKey));
  greeting.push(
    encodeReadyForQuery(isTransactionStatus(upstream.status) ? upstream.status : TransactionStatus.Idle),
  );
  if (timedOut() || client.destroyed) {
    deps.cancels.release(edgeKey.processId);
    upstream.socket.destroy();
    return;
  }
  clearTimeout(startupTimer);
  client.write(Buffer.concat(greeting));
  deps.metrics.inFlight.inc({ operation: 'session' });
  logger.info({ sub: actor.sub, target: target.name, tlsVersion }, 'session opened');

  const relay = new RelaySession(client, upstream.socket, outcome.framer, {
    gate: deps.gate,
    session: { id: sessionId, actor, target: targetRef, tls: outcome.tls !== undefined, clientAddress },
    evidence,
    logger,
    metrics: deps.metrics,
    maxMessageBytes: deps.maxMessageBytes,
    idleSessionTimeoutMs: deps.idleSessionTimeoutMs,
    masking: deps.masking,
  });
  const reason = await relay.run();
  deps.cancels.release(edgeKey.processId);
  deps.metrics.inFlight.dec({ operation: 'session' });
  const closed = evidence.next('session_closed', {
    reason,
    chainHead: evidence.head,
    recordCount: evidence.count + 1,
  });
  await deps.gate
    .record([closed])
    .catch((error: unknown) => logger.error({ err: error }, 'session_closed evidence was not acknowledged'));
  logger.info({ reason }, 'session closed');
}
