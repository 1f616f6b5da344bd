import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const maxTailBytes = 64 * 1024;

/** The last `lines` lines of a log file (at most its last 64 KiB), or a note when it cannot be read. */
export function logTail(path: string, lines = 30): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return `(no log at ${path})`;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxTailBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').trimEnd();
    if (text === '') return `(${path} is empty)`;
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
