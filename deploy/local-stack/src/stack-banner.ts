import { relative } from 'node:path';
import type { RunningStack } from './running-stack.ts';
import { stackServiceNames } from './stack-services.ts';

const defaultIssuer = 'http://127.0.0.1:8090';

/**
 * What `npm start` prints once the stack is ready: every endpoint, the demo target, and
 * commands to copy (they name the issuer explicitly only when it is not the CLI's default).
 */
export function renderStackBanner(stack: RunningStack, cwd: string): string {
  const { endpoints, services } = stack;
  const runs = (name: (typeof stackServiceNames)[number]): boolean => services.includes(name);
  const path = (target: string): string => {
    const shown = relative(cwd, target);
    return shown.startsWith('..') || shown === '' ? target : shown;
  };
  const rows: [string, string][] = [];
  if (runs('edge-postgres')) {
    rows.push([
      'PostgreSQL edge',
      `${endpoints.edgePostgres.host}:${endpoints.edgePostgres.port}   (health ${endpoints.edgePostgresHttp})`,
    ]);
  }
  if (endpoints.edgeSsh)
    rows.push([
      'SSH edge',
      `${endpoints.edgeSsh.host}:${endpoints.edgeSsh.port}   (health ${endpoints.edgeSshHttp})`,
    ]);
  if (runs('approval')) rows.push(['approval API', endpoints.approvalApi]);
  if (runs('ledger')) rows.push(['ledger API', endpoints.ledgerApi]);
  if (runs('audit')) rows.push(['audit API', endpoints.auditApi]);
  if (runs('authz')) rows.push(['authz', `${endpoints.authzHttp}   (/healthz /readyz /metrics)`]);
  if (runs('masking')) rows.push(['masking', `${endpoints.maskingHttp}   (/healthz /readyz /metrics)`]);
  rows.push(['dev OIDC issuer', endpoints.issuer]);
  rows.push([
    'NATS',
    `${stack.natsUrl}${stack.started.natsServer ? '   (nats-server started by the stack)' : ''}`,
  ]);
  const admin = new URL(stack.databases.adminUrl);
  rows.push([
    'PostgreSQL',
    `${admin.hostname}:${admin.port || 5432}${stack.started.embeddedPostgres ? '   (embedded, started by the stack)' : ''}`,
  ]);
  rows.push([
    'demo target',
    `dbname=demo → database ${stack.databases.demoDatabase} as role ${stack.databases.demoOwner} (fake PII in customers, orders)`,
  ]);
  rows.push(['logs', `${path(stack.stateDir)}/logs/<service>.log`]);
  const missing = stackServiceNames.filter((name) => !runs(name));
  if (missing.length > 0) rows.push(['not started', missing.join(', ')]);

  const width = Math.max(...rows.map(([label]) => label.length));
  const issuerEnv = endpoints.issuer === defaultIssuer ? '' : `GATEHOUSE_ISSUER_URL=${endpoints.issuer} `;
  const token = (sub: string, groups: string): string =>
    `$(${issuerEnv}npx gatehouse token --sub ${sub} --groups ${groups})`;
  const lines = [
    '',
    `Gatehouse local stack is running (prefix ${stack.prefix}, state in ${path(stack.stateDir)})`,
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
    'Try it from another terminal:',
    '',
  ];
  if (runs('edge-postgres')) {
    const { host, port } = endpoints.edgePostgres;
    lines.push(
      `  export PGPASSWORD=${token('ci-bot', 'pipelines')}`,
      `  psql "host=${host} port=${port} dbname=demo user=ci-bot sslmode=prefer" -c "SELECT id, full_name, email FROM customers LIMIT 5"`,
      '',
    );
  }
  if (runs('ledger')) {
    lines.push(
      `  curl -H "Authorization: Bearer ${token('alice', 'auditors')}" ${endpoints.ledgerApi}/v1/entries`,
      '',
    );
  }
  lines.push('Ctrl-C stops everything.', '');
  return lines.join('\n');
}
