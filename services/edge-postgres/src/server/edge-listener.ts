import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessageType, decodeMessage, subjectsFor } from '@gatehouse/contracts';
import type { DecisionCache } from '@gatehouse/edge-gate';
import type { Subscription } from '@nats-io/nats-core';
import { EDGE_RUNTIME, type EdgeRuntime } from '../edge-runtime.ts';
import { EdgeServer } from './edge-server.ts';

/** DI token for the process's decision cache. */
export const DECISION_CACHE = Symbol('DECISION_CACHE');

/**
 * Runs the PostgreSQL listener inside the Nest lifecycle (the per-message hot path stays outside
 * Nest's request pipeline) and drops cached decisions when authz announces a new policy.
 */
@Injectable()
export class EdgeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  #server: EdgeServer | undefined;
  #policySubscription: Subscription | undefined;

  constructor(
    @Inject(EDGE_RUNTIME) private readonly runtime: EdgeRuntime,
    @Inject(DECISION_CACHE) private readonly cache: DecisionCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { bus, config, logger, sessionDeps } = this.runtime;
    this.#policySubscription = bus.subscribe(subjectsFor(config.subjectPrefix).policyChanged, {
      callback: (error, message) => {
        if (error) return;
        try {
          const change = decodeMessage(MessageType.PolicyChanged, message.data);
          this.cache.clear(change.body.policyVersion);
          logger.info({ policyVersion: change.body.policyVersion }, 'policy changed; decision cache cleared');
        } catch (invalid) {
          logger.warn({ err: invalid }, 'ignored an invalid policy_changed message');
        }
      },
    });
    this.#server = new EdgeServer(sessionDeps);
    const port = await this.#server.listen(config.listenHost, config.listenPort);
    logger.info({ host: config.listenHost, port }, 'PostgreSQL edge listening');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#server?.close();
    this.#policySubscription?.unsubscribe();
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
  }
}
