import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonFields, env, identityFields } from '@gatehouse/config';
import { edgeGateFields } from '@gatehouse/edge-gate';

/** Everything edge-ssh reads from its environment. */
export const edgeConfigSpec = {
  ...commonFields,
  ...identityFields,
  listenHost: env.string('EDGE_SSH_HOST', {
    default: '127.0.0.1',
    description: 'Address the SSH edge listens on',
  }),
  listenPort: env.port('EDGE_SSH_PORT', { default: 12222, description: 'SSH port of the edge' }),
  httpPort: env.port('EDGE_SSH_HTTP_PORT', {
    default: 8087,
    description: 'edge-ssh health and metrics port',
  }),
  hostKeyFile: env.string('EDGE_SSH_HOST_KEY_FILE', {
    // tmpdir is writable under a read-only root file system; replicas behind one load balancer
    // must share a key, so production mounts one here.
    default: join(tmpdir(), 'gatehouse-edge-ssh', 'ssh_host_ed25519_key'),
    description:
      'OpenSSH private host key of the edge; an ed25519 key is generated and saved here when missing',
  }),
  targetsFile: env.string('TARGETS_FILE', {
    description: 'YAML file describing the upstream targets (edge-ssh reads the `kind: ssh` entries)',
  }),
  ...edgeGateFields,
  maskTimeout: env.duration('EDGE_MASK_TIMEOUT', {
    default: 2000,
    description: 'Deadline for the masking service to answer one output batch',
  }),
  upstreamTimeout: env.duration('EDGE_SSH_UPSTREAM_TIMEOUT', {
    default: 10_000,
    description: 'Deadline for connecting and authenticating to a target sshd',
  }),
  maxCommandBytes: env.integer('EDGE_SSH_MAX_COMMAND_BYTES', {
    default: 32 * 1024,
    min: 256,
    max: 1024 * 1024,
    description: 'Longest exec command line accepted (longer ones are refused with exit status 126)',
  }),
  outputBatchBytes: env.integer('EDGE_SSH_OUTPUT_BATCH_BYTES', {
    default: 64 * 1024,
    min: 1024,
    max: 256 * 1024,
    description:
      'Largest output batch sent to masking and recorded as one recording chunk; also the longest masked line',
  }),
};
