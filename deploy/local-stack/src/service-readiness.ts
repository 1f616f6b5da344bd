import type { ManagedProcess } from './managed-process.ts';
import { StackStartError } from './stack-start-error.ts';

/**
 * Polls `GET <url>` until it answers 200. Fails at once when the process exits, or after
 * `timeoutMs`, with the last answer and the tail of the service's log.
 */
export async function waitUntilReady(child: ManagedProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    if (!child.running) {
      const { code, signal } = child.exit!;
      throw new StackStartError(
        `${child.name} exited during start (code ${code}, signal ${signal}). Last lines of ${child.logFile}:\n${child.tail()}`,
        child.name,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 200) return;
      last = `${response.status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = describeFetchError(error);
    }
    if (Date.now() > deadline) {
      throw new StackStartError(
        `${child.name} was not ready after ${Math.round(timeoutMs / 1000)} s (last GET ${url}: ${last}). ` +
          `Last lines of ${child.logFile}:\n${child.tail()}`,
        child.name,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// fetch reports socket failures as TypeError('fetch failed') with the socket error as cause.
function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
