import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessageType, decodeMessage, subjectsFor } from '@gatehouse/contracts';
import type { Subscription } from '@nats-io/nats-core';
import { EDGE_RUNTIME, type EdgeRuntime } from '../edge-runtime.ts';
import { SshEdgeServer } from './ssh-edge-server.ts';

/**
 * Runs the SSH listener inside the Nest lifecycle (connections stay outside Nest's request
 * pipeline) and drops cached decisions when authz announces a new policy.
 */
@Injectable()
export class SshListener implements OnApplicationBootstrap, OnApplicationShutdown {
  #server: SshEdgeServer | undefined;
  #policySubscription: Subscription | undefined;
  #port = 0;

  constructor(@Inject(EDGE_RUNTIME) private readonly runtime: EdgeRuntime) {}

  /** The bound SSH port (useful when EDGE_SSH_PORT is 0). */
  get port(): number {
    return this.#port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { bus, cache, config, logger, connectionDeps, hostKey } = this.runtime;
    this.#policySubscription = bus.subscribe(subjectsFor(config.subjectPrefix).policyChanged, {
      callback: (error, message) => {
        if (error) return;
        try {
          const change = decodeMessage(MessageType.PolicyChanged, message.data);
          cache.clear(change.body.policyVersion);
          logger.info({ policyVersion: change.body.policyVersion }, 'policy changed; decision cache cleared');
        } catch (invalid) {
          logger.warn({ err: invalid }, 'ignored an invalid policy_changed message');
        }
      },
    });
    this.#server = new SshEdgeServer(hostKey, connectionDeps);
    this.#port = await this.#server.listen(config.listenHost, config.listenPort);
    logger.info({ host: config.listenHost, port: this.#port }, 'SSH edge listening');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#server?.close();
    this.#policySubscription?.unsubscribe();
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
  }
}
