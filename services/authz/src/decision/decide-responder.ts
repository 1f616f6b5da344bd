import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessageType, envelope, encodeMessage, subjectsFor } from '@gatehouse/contracts';
import { serveRequests, type NatsConnection } from '@gatehouse/nats';
import type { Subscription } from '@nats-io/nats-core';
import { AUTHZ_RUNTIME, type AuthzRuntime } from '../authz-runtime.ts';
import { PolicyStore } from '../policy/policy-store.ts';
import { DecisionService } from './decision-service.ts';

/** Answers decide requests in the `authz` queue group and announces policy changes. */
@Injectable()
export class DecideResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  #subscription: Subscription | undefined;

  constructor(
    @Inject(AUTHZ_RUNTIME) private readonly runtime: AuthzRuntime,
    @Inject(DecisionService) private readonly decisions: DecisionService,
    @Inject(PolicyStore) private readonly policies: PolicyStore,
  ) {}

  onApplicationBootstrap(): void {
    const { bus, config, logger, metrics } = this.runtime;
    this.#subscription = serveRequests(bus, {
      subject: subjectsFor(config.subjectPrefix).authzDecide,
      queue: 'authz',
      requestType: MessageType.AuthzDecideRequest,
      replyType: MessageType.AuthzDecideReply,
      logger,
      handle: (request) => {
        const decision = this.decisions.decide(request.body);
        metrics.requests.inc({ operation: 'decide', outcome: decision.effect });
        return decision;
      },
      // A request authz cannot read is denied with the reason, never dropped silently.
      onError: (error) =>
        this.decisions.refusal(`authz refused a malformed request: ${(error as Error).message}`),
      observe: (outcome, seconds) => {
        if (outcome !== 'ok') metrics.requests.inc({ operation: 'decide', outcome });
        metrics.latency.observe({ operation: 'decide' }, seconds);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.policies.close();
    await this.#subscription?.drain();
    await drain(this.runtime.bus);
  }
}

/** Publishes the new policy version so edges drop cached decisions. */
export function announcePolicy(bus: NatsConnection, prefix: string, policyVersion: string): void {
  const message = envelope(MessageType.PolicyChanged, { policyVersion });
  bus.publish(subjectsFor(prefix).policyChanged, encodeMessage(message));
}

async function drain(bus: NatsConnection): Promise<void> {
  if (!bus.isClosed()) await bus.drain();
}
