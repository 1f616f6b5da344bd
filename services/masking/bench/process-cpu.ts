import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process times in clock ticks; USER_HZ is 100 on every Linux build Node supports.
const MS_PER_TICK = 10;

/** CPU time (ms) a process has used so far in user and in kernel mode, or zeros once it is gone. */
function cpuMsOf(pid: number): CpuMs {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) * MS_PER_TICK, system: Number(fields[12]) * MS_PER_TICK };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** CPU time in ms, in user mode and in the kernel (system calls, the network stack). */
export interface CpuMs {
  user: number;
  system: number;
}

/** Pids whose command name is `command` (the nats-server and PostgreSQL backends of the run). */
function pidsNamed(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'latin1').trimEnd() === command) pids.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return pids;
}

/**
 * CPU time per named group of processes (the bench itself, each service, nats-server, every
 * PostgreSQL process), read from /proc: on a machine with fewer cores than processes, what a
 * query costs in CPU, not only in wall time, says where a speed-up must come from.
 */
export class ProcessCpu {
  readonly #groups = new Map<string, () => number[]>();

  /** Adds a group; `pids` is asked again at every reading (PostgreSQL forks backends). */
  track(name: string, pids: () => number[]): this {
    this.#groups.set(name, pids);
    return this;
  }

  /** Adds the processes named `command`, found at every reading. */
  trackCommand(name: string, command: string): this {
    return this.track(name, () => pidsNamed(command));
  }

  /** CPU ms used so far by each group (only on Linux; elsewhere every group reads 0). */
  read(): Map<string, CpuMs> {
    const totals = new Map<string, CpuMs>();
    for (const [name, pids] of this.#groups) {
      const total = { user: 0, system: 0 };
      for (const pid of pids()) {
        const { user, system } = cpuMsOf(pid);
        total.user += user;
        total.system += system;
      }
      totals.set(name, total);
    }
    return totals;
  }
}

/** Per-group CPU ms between two readings, added to `into`. */
export function addCpuSpent(
  into: Map<string, CpuMs>,
  before: Map<string, CpuMs>,
  after: Map<string, CpuMs>,
): void {
  for (const [name, { user, system }] of after) {
    const start = before.get(name) ?? { user: 0, system: 0 };
    const sum = into.get(name) ?? { user: 0, system: 0 };
    sum.user += Math.max(0, user - start.user);
    sum.system += Math.max(0, system - start.system);
    into.set(name, sum);
  }
}
