/** Every Gatehouse service the launcher knows, in the order they are started and reported. */
export const stackServiceNames = [
  'authz',
  'masking',
  'approval',
  'audit',
  'ledger',
  'edge-postgres',
  'edge-ssh',
] as const;

/** One of {@link stackServiceNames}. */
export type StackServiceName = (typeof stackServiceNames)[number];

/** True when `name` is a service the launcher can start. */
export function isStackServiceName(name: string): name is StackServiceName {
  return (stackServiceNames as readonly string[]).includes(name);
}

/** Every port the launcher assigns: service listeners, their HTTP ports, the issuer, NATS and PostgreSQL. */
export const stackPortNames = [
  'edgePostgres',
  'edgePostgresHttp',
  'edgeSsh',
  'edgeSshHttp',
  'approvalHttp',
  'ledgerHttp',
  'auditHttp',
  'authzHttp',
  'maskingHttp',
  'issuer',
  'nats',
  'postgres',
] as const;

/** One of {@link stackPortNames}. */
export type StackPortName = (typeof stackPortNames)[number];

/**
 * Defaults of DESIGN.md section 7. NATS and the embedded PostgreSQL are internal to the stack and
 * take any free port (0), so they never collide with servers already on 4222 or 5432.
 */
export const defaultStackPorts: Readonly<Record<StackPortName, number>> = {
  edgePostgres: 15432,
  edgePostgresHttp: 8086,
  edgeSsh: 12222,
  edgeSshHttp: 8087,
  approvalHttp: 8081,
  ledgerHttp: 8082,
  auditHttp: 8083,
  authzHttp: 8084,
  maskingHttp: 8085,
  issuer: 8090,
  nats: 0,
  postgres: 0,
};

/** The environment variable each service port is handed to the children in. */
export const portVariables: Readonly<Partial<Record<StackPortName, string>>> = {
  edgePostgres: 'EDGE_PG_PORT',
  edgePostgresHttp: 'EDGE_PG_HTTP_PORT',
  edgeSsh: 'EDGE_SSH_PORT',
  edgeSshHttp: 'EDGE_SSH_HTTP_PORT',
  approvalHttp: 'APPROVAL_HTTP_PORT',
  ledgerHttp: 'LEDGER_HTTP_PORT',
  auditHttp: 'AUDIT_HTTP_PORT',
  authzHttp: 'AUTHZ_HTTP_PORT',
  maskingHttp: 'MASKING_HTTP_PORT',
};

/** The port serving each service's /healthz, /readyz and /metrics (and its HTTP API, if any). */
export const serviceHttpPort: Readonly<Record<StackServiceName, StackPortName>> = {
  authz: 'authzHttp',
  masking: 'maskingHttp',
  approval: 'approvalHttp',
  audit: 'auditHttp',
  ledger: 'ledgerHttp',
  'edge-postgres': 'edgePostgresHttp',
  'edge-ssh': 'edgeSshHttp',
};
