import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process times in clock ticks; USER_HZ is 100 on every Linux build Node supports.
const MS_PER_TICK = 10;

/** CPU time (user + system, ms) a process has used so far, or 0 once it is gone. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
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
  read(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const [name, pids] of this.#groups) {
      totals.set(
        name,
        pids().reduce((sum, pid) => sum + cpuMsOf(pid), 0),
      );
    }
    return totals;
  }
}

/** Per-group CPU ms between two readings. */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const spent = new Map<string, number>();
  for (const [name, ms] of after) spent.set(name, Math.max(0, ms - (before.get(name) ?? 0)));
  return spent;
}
