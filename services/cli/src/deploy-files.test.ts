import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { repoRoot } from './run-gatehouse.fixture.ts';

// Real: the committed deploy files (docker-compose.yml, deploy/Dockerfile, deploy/k8s/*.yaml)
// read from disk and parsed; Docker and Kubernetes themselves cannot run on this machine.

/** Each service and its default ports: protocol ports first, the HTTP (health/metrics/API) port last. */
const servicePorts: Readonly<Record<string, readonly number[]>> = {
  'edge-postgres': [15432, 8086],
  'edge-ssh': [12222, 8087],
  authz: [8084],
  masking: [8085],
  approval: [8081],
  audit: [8083],
  ledger: [8082],
};
const serviceNames = Object.keys(servicePorts);
const httpPort = (name: string): number => servicePorts[name]!.at(-1)!;

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
}

interface Probe {
  httpGet?: { path?: string; port?: string | number };
}

interface Container {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  resources?: { requests?: { cpu?: string; memory?: string } };
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: {
    selector?: Record<string, unknown> & { matchLabels?: Record<string, string> };
    ports?: { name: string; port: number; targetPort: string | number }[];
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        containers: Container[];
        volumes?: { name: string; secret?: { secretName: string } }[];
      };
    };
  };
  data?: Record<string, string>;
}

function readText(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

function parseStrictYaml(path: string): unknown[] {
  const documents = parseAllDocuments(readText(path), { merge: true });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    expect(document.errors.map((error) => `${path}: ${error.message}`)).toEqual([]);
    expect(document.warnings.map((warning) => `${path}: ${warning.message}`)).toEqual([]);
  }
  return list.map((document) => document.toJS());
}

const compose = parseYaml(readText('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

const k8sFiles = readdirSync(join(repoRoot, 'deploy/k8s')).filter((file) => /\.ya?ml$/.test(file));
const k8sObjects = k8sFiles.flatMap((file) => parseStrictYaml(`deploy/k8s/${file}`) as K8sObject[]);
const deployments = k8sObjects.filter((object) => object.kind === 'Deployment');
const k8sServices = k8sObjects.filter((object) => object.kind === 'Service');

/** Instructions of each Dockerfile stage, keyed by stage name, in order. */
function dockerfileStages(text: string): { name: string; from: string; lines: string[] }[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { name: string; from: string; lines: string[] }[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from !== null) stages.push({ from: from[1]!, name: from[2] ?? '', lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const dockerfile = readText('deploy/Dockerfile');
const stages = dockerfileStages(dockerfile);

describe('deploy files', () => {
  it('deploy files - every YAML file parses without errors or warnings', () => {
    for (const path of ['docker-compose.yml', 'deploy/compose/targets.yaml']) {
      expect(parseStrictYaml(path)).toHaveLength(1);
    }
    expect(k8sFiles.length).toBeGreaterThanOrEqual(serviceNames.length + 2);
    for (const object of k8sObjects) {
      expect(typeof object.apiVersion).toBe('string');
      expect(typeof object.kind).toBe('string');
      expect(object.metadata.name).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('compose - builds every service from deploy/Dockerfile with its SERVICE arg and ports', () => {
    for (const name of serviceNames) {
      const service = compose.services[name];
      expect(service, name).toBeDefined();
      expect(service!.build).toEqual({
        context: '.',
        dockerfile: 'deploy/Dockerfile',
        args: { SERVICE: name },
      });
      expect(service!.ports).toEqual(servicePorts[name]!.map((port) => `127.0.0.1:${port}:${port}`));
      expect(service!.environment).toMatchObject({
        NATS_URL: 'nats://nats:4222',
        HTTP_HOST: '0.0.0.0',
        OIDC_ISSUER: 'http://dev-issuer:8090',
      });
    }
    for (const name of ['ledger', 'approval']) {
      expect(compose.services[name]!.environment!['DATABASE_URL']).toBe(
        'postgres://postgres:postgres@postgres:5432/gatehouse',
      );
      expect(compose.services[name]!.depends_on!['postgres']).toEqual({ condition: 'service_healthy' });
    }
    for (const name of ['edge-postgres', 'edge-ssh']) {
      expect(compose.services[name]!.environment!['TARGETS_FILE']).toBe('/etc/gatehouse/targets.yaml');
    }
  });

  it('compose - publishes every port on 127.0.0.1 only', () => {
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(serviceNames.length);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('compose - waits only on dependencies that have a health check', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, condition] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect(target, `${name} depends on ${dependency}`).toBeDefined();
        expect(condition).toEqual({ condition: 'service_healthy' });
        // Services built from deploy/Dockerfile inherit its HEALTHCHECK.
        const checked =
          target!.healthcheck?.test !== undefined || target!.build?.dockerfile === 'deploy/Dockerfile';
        expect(checked, `${dependency} has a health check`).toBe(true);
      }
    }
  });

  it('compose - mounts the postgres init script, executable, and the demo data under initdb.d', () => {
    const volumes = compose.services['postgres']!.volumes ?? [];
    expect(volumes).toContain(
      './deploy/compose/postgres-init/10-databases.sh:/docker-entrypoint-initdb.d/10-databases.sh:ro',
    );
    expect(volumes).toContain(
      './deploy/local-stack/sql/demo.sql:/docker-entrypoint-initdb.d/demo/demo.sql:ro',
    );
    const script = join(repoRoot, 'deploy/compose/postgres-init/10-databases.sh');
    expect(statSync(script).mode & 0o111).not.toBe(0);
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('CREATE DATABASE demo;');
    expect(text).toContain('CREATE DATABASE gatehouse;');
    expect(text).toContain('--dbname demo');
  });

  it('Dockerfile - has a stage per service with its entry file and ports, and SERVICE picks one', () => {
    expect(dockerfile).toMatch(/^ARG SERVICE=authz$/m);
    for (const name of serviceNames) {
      const stage = stages.find((candidate) => candidate.name === `service-${name}`);
      expect(stage, name).toBeDefined();
      expect(stage!.from).toBe('runtime');
      expect(stage!.lines).toContain(`CMD ["services/${name}/src/main.ts"]`);
      expect(stage!.lines).toContain(`EXPOSE ${servicePorts[name]!.join(' ')}`);
      expect(stage!.lines.join('\n')).toContain(`HEALTHCHECK_PORT=${httpPort(name)}`);
    }
    const runtime = stages.find((stage) => stage.name === 'runtime')!;
    expect(runtime.lines).toContain('ENTRYPOINT ["node", "--import", "tsx"]');
  });

  it('Dockerfile - the final stage runs the selected service as the node user with a health check', () => {
    const final = stages.at(-1)!;
    expect(final.from).toBe('service-${SERVICE}');
    expect(final.lines).toContain('USER node');
    expect(final.lines.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('fetch('))).toBe(true);
    expect(final.lines.some((line) => /^(ENTRYPOINT|CMD)\b/.test(line))).toBe(false);
  });

  it('Dockerfile - installs production dependencies only, and tsx is one of them', () => {
    const deps = stages.find((stage) => stage.name === 'deps')!;
    expect(deps.lines.some((line) => line.startsWith('RUN npm ci --omit=dev --ignore-scripts'))).toBe(true);
    const manifest = JSON.parse(readText('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      allowScripts: Record<string, unknown>;
    };
    expect(manifest.dependencies['tsx']).toBeDefined();
    expect(manifest.devDependencies['tsx']).toBeUndefined();
    expect(Object.keys(manifest.allowScripts).length).toBeGreaterThan(0);
  });

  it('k8s - one Deployment per service, with /readyz and /healthz probes on its HTTP port', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(
      [...serviceNames].sort(),
    );
    for (const deployment of deployments) {
      const name = deployment.metadata.name;
      const containers = deployment.spec!.template!.spec.containers;
      expect(containers).toHaveLength(1);
      const [container] = containers as [Container];
      expect(container.image).toMatch(new RegExp(`^gatehouse/${name}:`));
      expect(container.ports).toEqual(
        servicePorts[name]!.map((port) => ({ name: expect.any(String), containerPort: port })),
      );
      expect(container.ports!.find((port) => port.name === 'http')?.containerPort).toBe(httpPort(name));
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.resources?.requests?.cpu).toBeDefined();
      expect(container.resources?.requests?.memory).toBeDefined();
    }
  });

  it('k8s - every pod runs as a numeric non-root user with a read-only root filesystem', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec!.template!.spec;
      expect(pod.securityContext?.runAsNonRoot, deployment.metadata.name).toBe(true);
      // The image's USER is the name `node`; the kubelet needs a number to verify non-root.
      expect(pod.securityContext?.runAsUser).toBe(1000);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        });
      }
    }
  });

  it('k8s - secrets are referenced by name, never embedded', () => {
    expect(k8sObjects.filter((object) => object.kind === 'Secret')).toEqual([]);
    const envOf = (name: string) =>
      deployments.find((deployment) => deployment.metadata.name === name)!.spec!.template!.spec.containers[0]!
        .env ?? [];
    for (const name of ['ledger', 'approval']) {
      expect(envOf(name).find((variable) => variable.name === 'DATABASE_URL')).toEqual({
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'gatehouse-database', key: 'url' } },
      });
    }
    const ledgerVolumes = deployments.find((deployment) => deployment.metadata.name === 'ledger')!.spec!
      .template!.spec.volumes;
    expect(
      ledgerVolumes?.some((volume) => volume.secret?.secretName === 'gatehouse-ledger-signing-key'),
    ).toBe(true);
    const configMap = k8sObjects.find((object) => object.kind === 'ConfigMap')!;
    expect(Object.keys(configMap.data!)).not.toContain('DATABASE_URL');
  });

  it('k8s - each Service selects its Deployment and targets ports the container declares', () => {
    expect(k8sServices.map((service) => service.metadata.name).sort()).toEqual([...serviceNames].sort());
    for (const service of k8sServices) {
      const deployment = deployments.find((candidate) => candidate.metadata.name === service.metadata.name)!;
      const labels = deployment.spec!.template!.metadata.labels;
      expect(deployment.spec!.selector!.matchLabels).toEqual({
        'app.kubernetes.io/name': service.metadata.name,
      });
      for (const [key, value] of Object.entries(service.spec!.selector!)) expect(labels[key]).toBe(value);
      const declared = deployment.spec!.template!.spec.containers[0]!.ports!;
      for (const port of service.spec!.ports!) {
        expect(declared.find((candidate) => candidate.name === port.targetPort)?.containerPort).toBe(
          port.port,
        );
      }
    }
    for (const object of k8sObjects.filter((candidate) => candidate.kind !== 'Namespace')) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('gatehouse');
    }
  });
});
