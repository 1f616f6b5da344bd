import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@gatehouse/identity';
import { demoSqlPath } from './demo-data/demo-sql.ts';
import {
  readOrCreateSecret,
  startEmbeddedPostgres,
  type EmbeddedPostgresServer,
} from './embedded-postgres-server.ts';
import { findFreePorts, portIsFree } from './free-ports.ts';
import { ManagedProcess, type ProcessExit } from './managed-process.ts';
import { startNatsServer } from './nats-server-process.ts';
import { deletePrefixStreams } from './prefix-streams.ts';
import type { RunningStack, StackEndpoints } from './running-stack.ts';
import { waitUntilReady } from './service-readiness.ts';
import { dropStackDatabases, prepareStackDatabases, stackDatabaseNames } from './stack-databases.ts';
import type { StackLog, StackOptions } from './stack-options.ts';
import {
  defaultStackPorts,
  isStackServiceName,
  portVariables,
  serviceHttpPort,
  stackPortNames,
  stackServiceNames,
  type StackPortName,
  type StackServiceName,
} from './stack-services.ts';
import { StackStartError } from './stack-start-error.ts';
import { writeTargetsFile } from './targets-file.ts';

const defaultRepoRoot = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const stopGraceMs = 10_000;

const defaultLog: StackLog = (level, message) => {
  if (level !== 'info')
    process.stderr.write(`[local-stack] ${level === 'error' ? 'ERROR ' : ''}${message}\n`);
};

/**
 * Starts the local Gatehouse stack: NATS (given or a private nats-server), PostgreSQL (given or
 * embedded) with the evidence and demo databases, the dev OIDC issuer in this process, and every
 * selected service as its own child process; resolves once each service's /readyz answers 200.
 * On any failure everything started so far is stopped again before the error is thrown.
 * @throws StackStartError naming the part that failed, with the tail of its log.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const repoRoot = options.repoRoot ?? defaultRepoRoot;
  const stateDir = resolve(options.stateDir);
  const prefix = options.prefix ?? 'gatehouse';
  const log = options.log ?? defaultLog;
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw new StackStartError(
      `prefix ${JSON.stringify(prefix)} must be letters, digits, _ or - (a NATS subject token)`,
      'prefix',
    );
  }
  if (options.dropOnStop && prefix === 'gatehouse') {
    throw new StackStartError('dropOnStop needs a prefix of its own, not the default `gatehouse`', 'prefix');
  }
  const services = selectServices(repoRoot, options.services);
  const logsDir = join(stateDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const logFile = (name: string): string => join(logsDir, `${name}.log`);
  const ports = await resolvePorts(options.ports);
  await assertPortsFree(ports, usedPorts(services, options), options.ports);

  // Undone in reverse order, both on a failed start and by stop().
  const cleanup: { what: string; run: () => Promise<unknown> }[] = [];
  const children = new Map<StackServiceName, ManagedProcess>();
  let natsProcess: ManagedProcess | undefined;
  let embeddedPostgres: EmbeddedPostgresServer | undefined;
  // If this process ends without stop() (an uncaught error, process.exit), the children are told
  // to stop rather than left running.
  const onProcessExit = (): void => {
    for (const child of [...children.values(), ...(natsProcess ? [natsProcess] : [])]) child.signalNow();
    embeddedPostgres?.signalNow();
  };
  process.on('exit', onProcessExit);
  cleanup.push({ what: 'exit hook', run: async () => process.off('exit', onProcessExit) });
  const undo = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) {
      await step
        .run()
        .catch((error: unknown) => log('warn', `stopping ${step.what} failed: ${(error as Error).message}`));
    }
  };

  try {
    let natsUrl = options.natsUrl;
    if (natsUrl === undefined) {
      const server = await startNatsServer({
        port: ports.nats,
        storeDir: join(stateDir, 'nats'),
        logFile: logFile('nats-server'),
        // Debian's package installs to /usr/sbin, which is not on every user's PATH.
        searchPath: `${process.env['PATH'] ?? ''}${delimiter}/usr/local/sbin${delimiter}/usr/sbin`,
        env: process.env,
        cwd: stateDir,
        onUnexpectedExit: (exit) => reportExit(log, 'nats-server', natsProcess!, exit),
      });
      natsProcess = server.process;
      natsUrl = server.url;
      cleanup.push({ what: 'nats-server', run: () => server.process.stop(stopGraceMs) });
      log('info', `nats-server started at ${natsUrl} (JetStream data in ${join(stateDir, 'nats')})`);
    }

    let adminUrl = options.databaseUrl;
    if (adminUrl === undefined) {
      const postgres = await startEmbeddedPostgres({
        dataDir: join(stateDir, 'postgres'),
        passwordFile: join(stateDir, 'postgres-password'),
        port: ports.postgres,
        logFile: logFile('postgres'),
      });
      adminUrl = postgres.adminUrl;
      embeddedPostgres = postgres;
      cleanup.push({ what: 'embedded PostgreSQL', run: () => postgres.stop() });
      log(
        'info',
        `embedded PostgreSQL started on 127.0.0.1:${ports.postgres} (data in ${join(stateDir, 'postgres')})`,
      );
    }

    const names = stackDatabaseNames(prefix, options.databases);
    const ownerPasswordFile = join(stateDir, `${names.demoOwner}.password`);
    const prepared = await prepareStackDatabases(
      adminUrl,
      names,
      readOrCreateSecret(ownerPasswordFile),
      readFileSync(join(repoRoot, demoSqlPath), 'utf8'),
    );
    if (options.dropOnStop) {
      const admin = adminUrl;
      const role = prepared.createdRole ? names.demoOwner : undefined;
      cleanup.push({ what: 'databases', run: () => dropStackDatabases(admin, prepared.created, role) });
    }
    if (prepared.loadedDemo) log('info', `loaded the demo data into database ${names.demo}`);

    const issuer = new DevIssuer({
      host: '127.0.0.1',
      port: ports.issuer,
      keyFile: join(stateDir, 'issuer-key.json'),
      audience: 'gatehouse',
    });
    await issuer.start().catch((cause: unknown) => {
      throw new StackStartError(
        `the dev issuer cannot listen on 127.0.0.1:${ports.issuer}: ${(cause as Error).message}`,
        'issuer',
        { cause },
      );
    });
    cleanup.push({ what: 'dev issuer', run: () => issuer.stop() });

    const adminTarget = new URL(adminUrl);
    const targetsFile = join(stateDir, 'targets.yaml');
    writeTargetsFile(targetsFile, {
      host: adminTarget.hostname,
      port: Number(adminTarget.port || 5432),
      database: names.demo,
      user: names.demoOwner,
      passwordFile: ownerPasswordFile,
    });

    if (options.dropOnStop) {
      const url = natsUrl;
      cleanup.push({ what: 'JetStream streams', run: () => deletePrefixStreams(url, prefix) });
    }

    const env: NodeJS.ProcessEnv = {
      // Inherited so that PATH, HOME and proxies reach the services; everything Gatehouse reads is set below.
      ...process.env,
      NATS_URL: natsUrl,
      GATEHOUSE_PREFIX: prefix,
      LOG_LEVEL: options.logLevel ?? 'warn',
      HTTP_HOST: '127.0.0.1',
      OIDC_ISSUER: issuer.issuer,
      OIDC_AUDIENCE: 'gatehouse',
      DATABASE_URL: prepared.evidenceUrl,
      TARGETS_FILE: targetsFile,
      EDGE_ALLOW_PLAINTEXT_LOOPBACK: 'true',
      LEDGER_SIGNING_KEY_FILE: join(stateDir, 'ledger-signing.key'),
      ...(options.policyFile === undefined ? {} : { POLICY_FILE: resolve(options.policyFile) }),
      ...Object.fromEntries(
        Object.entries(portVariables).map(([name, variable]) => [
          variable,
          String(ports[name as StackPortName]),
        ]),
      ),
      ...options.env,
    };
    const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    const ready = new Set<StackServiceName>();

    const startService = async (name: StackServiceName): Promise<void> => {
      const current = children.get(name);
      if (current?.running) throw new Error(`${name} is already running`);
      // A restart appends, so the log still shows why the previous run ended.
      if (current !== undefined)
        appendFileSync(logFile(name), `\n----- ${name} restarted at ${new Date().toISOString()} -----\n`);
      const child: ManagedProcess = await ManagedProcess.spawn({
        name,
        command: process.execPath,
        args: ['--import', 'tsx', `services/${name}/src/main.ts`],
        cwd: repoRoot,
        env,
        logFile: logFile(name),
        appendLog: current !== undefined,
        echo: options.echoLogs ? (line) => process.stdout.write(`[${name}] ${line}\n`) : undefined,
        onUnexpectedExit: (exit) => {
          // During start the failure is thrown by waitUntilReady instead.
          if (!ready.delete(name)) return;
          const event = reportExit(log, name, child, exit);
          options.onServiceExit?.({ service: name, ...event });
        },
      });
      children.set(name, child);
      await waitUntilReady(child, `${httpUrl(ports[serviceHttpPort[name]])}/readyz`, readyTimeoutMs);
      ready.add(name);
    };
    const stopService = async (
      name: StackServiceName,
      signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
    ): Promise<void> => {
      ready.delete(name);
      await children.get(name)?.stop(stopGraceMs, signal);
    };

    cleanup.push({ what: 'services', run: () => Promise.all(services.map((name) => stopService(name))) });
    const started = await Promise.allSettled(services.map(startService));
    const failures = started.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (failures.length > 0) throw failures[0];
    log('info', `services ready: ${services.join(', ')}`);

    const endpoints: StackEndpoints = {
      edgePostgres: { host: '127.0.0.1', port: ports.edgePostgres },
      ...(services.includes('edge-ssh') ? { edgeSsh: { host: '127.0.0.1', port: ports.edgeSsh } } : {}),
      approvalApi: httpUrl(ports.approvalHttp),
      ledgerApi: httpUrl(ports.ledgerHttp),
      auditApi: httpUrl(ports.auditHttp),
      authzHttp: httpUrl(ports.authzHttp),
      maskingHttp: httpUrl(ports.maskingHttp),
      edgePostgresHttp: httpUrl(ports.edgePostgresHttp),
      edgeSshHttp: httpUrl(ports.edgeSshHttp),
      issuer: issuer.issuer,
    };
    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      databases: {
        adminUrl,
        evidenceUrl: prepared.evidenceUrl,
        demoUrl: prepared.demoUrl,
        demoDatabase: names.demo,
        demoOwner: names.demoOwner,
      },
      natsUrl,
      prefix,
      stateDir,
      targetsFile,
      services,
      started: { natsServer: natsProcess !== undefined, embeddedPostgres: options.databaseUrl === undefined },
      issuer,
      mintToken: (sub, groups, ttlSeconds) =>
        issuer.mintToken({ sub, groups: [...groups], ...(ttlSeconds === undefined ? {} : { ttlSeconds }) }),
      logFile: (name) => logFile(name),
      pids: () =>
        Object.fromEntries(
          [...children.values(), ...(natsProcess ? [natsProcess] : [])]
            .filter((child) => child.running)
            .map((child) => [child.name, child.pid]),
        ),
      stopService,
      startService: async (name) => {
        if (!services.includes(name))
          throw new Error(`${name} is not part of this stack (${services.join(', ')})`);
        await startService(name);
      },
      stop: () => (stopping ??= undo()),
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** The services to start, in stack order; every requested one must exist. */
function selectServices(repoRoot: string, requested: readonly string[] | undefined): StackServiceName[] {
  const present = (name: string): boolean => existsSync(join(repoRoot, 'services', name, 'src', 'main.ts'));
  if (requested === undefined) return stackServiceNames.filter(present);
  for (const name of requested) {
    if (!isStackServiceName(name)) {
      throw new StackStartError(
        `unknown service ${JSON.stringify(name)}; known: ${stackServiceNames.join(', ')}`,
        'services',
      );
    }
    if (!present(name)) throw new StackStartError(`services/${name}/src/main.ts does not exist`, name);
  }
  return stackServiceNames.filter((name) => requested.includes(name));
}

async function resolvePorts(requested: StackOptions['ports']): Promise<Record<StackPortName, number>> {
  const wanted = stackPortNames.map((name) => {
    const value = requested === 'auto' ? 0 : (requested?.[name] ?? defaultStackPorts[name]);
    return [name, value === 'auto' ? 0 : value] as const;
  });
  const free = await findFreePorts(wanted.filter(([, port]) => port === 0).length);
  return Object.fromEntries(wanted.map(([name, port]) => [name, port === 0 ? free.pop()! : port])) as Record<
    StackPortName,
    number
  >;
}

/** Ports this start will listen on, each with the service or part that uses it. */
function usedPorts(services: readonly StackServiceName[], options: StackOptions): Map<StackPortName, string> {
  const used = new Map<StackPortName, string>([['issuer', 'dev issuer']]);
  for (const name of services) used.set(serviceHttpPort[name], name);
  if (services.includes('edge-postgres')) used.set('edgePostgres', 'edge-postgres');
  if (services.includes('edge-ssh')) used.set('edgeSsh', 'edge-ssh');
  if (options.natsUrl === undefined) used.set('nats', 'nats-server');
  if (options.databaseUrl === undefined) used.set('postgres', 'embedded PostgreSQL');
  return used;
}

// A fixed port already taken would make a health probe reach someone else's server (say, a
// stack still running), so it is refused up front, naming the variable that moves it.
async function assertPortsFree(
  ports: Record<StackPortName, number>,
  used: Map<StackPortName, string>,
  requested: StackOptions['ports'],
): Promise<void> {
  if (requested === 'auto') return;
  for (const [name, user] of used) {
    const fixed = requested?.[name] ?? defaultStackPorts[name];
    if (fixed === 0 || fixed === 'auto') continue;
    if (!(await portIsFree(ports[name]))) {
      const variable = portVariables[name] ?? (name === 'issuer' ? 'ISSUER_PORT' : name);
      throw new StackStartError(
        `port ${ports[name]} (${variable}, ${user}) is already in use on 127.0.0.1 — is another local stack running? ` +
          `Stop it or choose another port.`,
        'ports',
      );
    }
  }
}

function reportExit(
  log: StackLog,
  name: string,
  child: ManagedProcess,
  exit: ProcessExit,
): { code: number | null; signal: NodeJS.Signals | null; logFile: string; tail: string } {
  const tail = child.tail();
  log(
    'error',
    `${'!'.repeat(72)}\n${name} EXITED UNEXPECTEDLY (code ${exit.code}, signal ${exit.signal}). ` +
      `Last lines of ${child.logFile}:\n${tail}\n${'!'.repeat(72)}`,
  );
  return { code: exit.code, signal: exit.signal, logFile: child.logFile, tail };
}

function httpUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}
