import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InvalidMessageError } from '@gatehouse/errors';
import { MessageType, envelope, encodeMessage, subjectsFor } from '@gatehouse/contracts';
import { serveRequests, type NatsConnection } from '@gatehouse/nats';
import type { Subscription } from '@nats-io/nats-core';
import { AUTHZ_RUNTIME, type AuthzRuntime } from '../authz-runtime.ts';
import { PolicyStore } from '../policy/policy-store.ts';
import { DecisionService, RefusalRule } from './decision-service.ts';

// Enough validation problems to say what was wrong; the reply's reason is capped anyway.
const MAX_PROBLEMS_IN_REASON = 5;

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
        error instanceof InvalidMessageError
          ? this.decisions.refusal(malformedReason(error))
          : this.decisions.refusal('authz failed to decide the request', RefusalRule.DecisionFailed),
      observe: (outcome, seconds) => {
        if (outcome !== 'ok') metrics.requests.inc({ operation: 'decide', outcome });
        metrics.latency.observe({ operation: 'decide' }, seconds);
      },
    });
    // An instance that starts may hold a newer policy than the one behind decisions edges cached.
    announcePolicy(bus, config.subjectPrefix, this.policies.current.version);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.policies.close();
    await this.#subscription?.drain();
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
  }
}

/** Publishes the new policy version so edges drop cached decisions. */
export function announcePolicy(bus: NatsConnection, prefix: string, policyVersion: string): void {
  const message = envelope(MessageType.PolicyChanged, { policyVersion });
  bus.publish(subjectsFor(prefix).policyChanged, encodeMessage(message));
}

function malformedReason(error: InvalidMessageError): string {
  const problems = error.problems.slice(0, MAX_PROBLEMS_IN_REASON).join('; ');
  return `authz refused a malformed request: ${error.message}${problems ? ` (${problems})` : ''}`;
}
