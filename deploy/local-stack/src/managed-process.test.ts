import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagedProcess, type ProcessExit } from './managed-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'gh-managed-process-'));

function node(
  name: string,
  script: string,
  extra: { echo?: (line: string) => void; onUnexpectedExit?: (exit: ProcessExit) => void } = {},
) {
  return ManagedProcess.spawn({
    name,
    command: process.execPath,
    args: ['-e', script],
    cwd: dir,
    env: process.env,
    logFile: join(dir, `${name}.log`),
    ...extra,
  });
}

describe('managed process', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('managed process - writes stdout and stderr to its log file and reports the exit of a process that ends by itself', async () => {
    const exits: ProcessExit[] = [];
    const child = await node(
      'self-exit',
      "console.log('to stdout'); console.error('to stderr'); process.exit(3)",
      {
        onUnexpectedExit: (exit) => exits.push(exit),
      },
    );
    expect(await child.exited).toEqual({ code: 3, signal: null });
    expect(child.running).toBe(false);
    expect(exits).toEqual([{ code: 3, signal: null }]);
    expect(readFileSync(child.logFile, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'to stderr',
      'to stdout',
    ]);
    expect(child.tail(1)).toMatch(/^to std(out|err)$/);
  });

  it('managed process - stop sends SIGTERM and is not reported as unexpected', async () => {
    const exits: ProcessExit[] = [];
    const child = await node(
      'graceful',
      "process.on('SIGTERM', () => { console.log('draining'); process.exit(0) }); console.log('up'); setInterval(() => {}, 1000)",
      {
        onUnexpectedExit: (exit) => exits.push(exit),
      },
    );
    await expect.poll(() => readFileSync(child.logFile, 'utf8')).toContain('up');
    expect(await child.stop(5000)).toEqual({ code: 0, signal: null });
    expect(readFileSync(child.logFile, 'utf8')).toContain('draining');
    expect(exits).toEqual([]);
    expect(await child.stop()).toEqual({ code: 0, signal: null });
  });

  it('managed process - a process ignoring SIGTERM is killed with SIGKILL after the grace period', async () => {
    const child = await node(
      'stubborn',
      "process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => {}, 1000)",
    );
    await expect.poll(() => readFileSync(child.logFile, 'utf8')).toContain('up');
    expect(await child.stop(300)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(() => process.kill(child.pid, 0)).toThrow(/ESRCH/);
  });

  it('managed process - echo receives whole lines while the log file still gets everything', async () => {
    const lines: string[] = [];
    const child = await node(
      'echo',
      "process.stdout.write('one\\ntw'); setTimeout(() => process.stdout.write('o\\nthree\\n'), 50)",
      {
        echo: (line) => lines.push(line),
      },
    );
    await child.exited;
    await expect.poll(() => readFileSync(child.logFile, 'utf8')).toBe('one\ntwo\nthree\n');
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('managed process - appendLog keeps what the log file held before the restart', async () => {
    const first = await node('restarted', "console.log('first run')");
    await first.exited;
    const second = await ManagedProcess.spawn({
      name: 'restarted',
      command: process.execPath,
      args: ['-e', "console.log('second run')"],
      cwd: dir,
      env: process.env,
      logFile: first.logFile,
      appendLog: true,
    });
    await second.exited;
    expect(readFileSync(first.logFile, 'utf8')).toBe('first run\nsecond run\n');
  });

  it('managed process - a command that does not exist fails to spawn with ENOENT', async () => {
    await expect(
      ManagedProcess.spawn({
        name: 'missing',
        command: join(dir, 'no-such-binary'),
        args: [],
        cwd: dir,
        env: process.env,
        logFile: join(dir, 'missing.log'),
      }),
    ).rejects.toThrow(/ENOENT/);
  });
});
