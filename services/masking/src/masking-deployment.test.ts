import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { maskingConfigSpec } from './masking-config.ts';

// Real: the committed deploy files, parsed. Masking traces result columns through each target's
// catalog (TARGETS_FILE) and keys its hash/fake operators with MASKING_HASH_KEY: without the file
// every traced column is refused, and without one key shared by the replicas the same value hashes
// differently depending on which replica masked it.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

interface Container {
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface Deployment {
  kind: string;
  spec: {
    replicas: number;
    template: {
      spec: {
        containers: Container[];
        volumes?: { name: string; configMap?: { name: string }; secret?: { secretName: string } }[];
      };
    };
  };
}

describe('masking deployment', () => {
  it('masking - the variables the deploy files set are the ones masking reads', () => {
    expect(maskingConfigSpec.targetsFile.variable).toBe('TARGETS_FILE');
    expect(maskingConfigSpec.hashKey.variable).toBe('MASKING_HASH_KEY');
  });

  it('masking - compose mounts the targets file and sets a hash key', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
    };
    const masking = compose.services['masking']!;
    expect(masking.environment!['TARGETS_FILE']).toBe('/etc/gatehouse/targets.yaml');
    expect(masking.volumes).toContain('./deploy/compose/targets.yaml:/etc/gatehouse/targets.yaml:ro');
    // Same file the edges read.
    expect(compose.services['edge-postgres']!.volumes).toContain(
      './deploy/compose/targets.yaml:/etc/gatehouse/targets.yaml:ro',
    );
    expect(masking.environment!['MASKING_HASH_KEY']?.length).toBeGreaterThanOrEqual(16);
  });

  it('masking - every k8s replica reads the targets ConfigMap and one hash key from a Secret', () => {
    const [deployment] = parseAllDocuments(read('deploy/k8s/masking.yaml'))
      .map((document) => document.toJS() as Deployment)
      .filter((object) => object.kind === 'Deployment');
    expect(deployment!.spec.replicas).toBeGreaterThan(1);
    const pod = deployment!.spec.template.spec;
    const container = pod.containers[0]!;
    const env = new Map(container.env?.map((variable) => [variable.name, variable]));
    expect(env.get('MASKING_HASH_KEY')).toEqual({
      name: 'MASKING_HASH_KEY',
      valueFrom: { secretKeyRef: { name: 'gatehouse-masking-hash-key', key: 'hash-key' } },
    });
    expect(env.get('TARGETS_FILE')?.value).toBe('/etc/gatehouse/targets/targets.yaml');
    expect(container.volumeMounts).toContainEqual({
      name: 'targets',
      mountPath: '/etc/gatehouse/targets',
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({ name: 'targets', configMap: { name: 'gatehouse-targets' } });
  });
});
