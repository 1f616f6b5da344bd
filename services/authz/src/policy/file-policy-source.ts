import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { PolicySource } from './policy-source.ts';

// Editors and `kubectl` write in several steps (truncate + write, temp file + rename, symlink
// swap); reading once the events settle sees the finished document.
const SETTLE_MS = 150;

/**
 * A policy YAML file, watched for changes. The directory is watched rather than the file, so a
 * replaced file (rename over it, a ConfigMap's symlink swap) is seen as well as an edit in place;
 * any event in the directory re-reads the file, and an unchanged document is a no-op upstream.
 */
export class FilePolicySource implements PolicySource {
  readonly origin: string;
  readonly #path: string;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  // Reads run one after another, so an older read can never deliver after a newer one.
  #reading: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    path: string,
    private readonly logger: Logger,
  ) {
    this.#path = resolve(path);
    this.origin = `file ${this.#path}`;
  }

  read(): Promise<string> {
    return readFile(this.#path, 'utf8');
  }

  async watch(onText: (text: string) => void): Promise<void> {
    this.#watcher = watch(dirname(this.#path), () => this.schedule(onText));
    this.#watcher.on('error', (error) =>
      this.logger.error({ err: error, path: this.#path }, 'policy file watch failed'),
    );
    this.deliver(onText);
    await this.#reading;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher?.close();
    await this.#reading;
  }

  private schedule(onText: (text: string) => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.deliver(onText), SETTLE_MS);
  }

  private deliver(onText: (text: string) => void): void {
    this.#reading = this.#reading.then(async () => {
      if (this.#closed) return;
      let text: string;
      try {
        text = await this.read();
      } catch (error) {
        this.logger.error(
          { err: error, path: this.#path },
          'policy file unreadable; keeping the current policy',
        );
        return;
      }
      if (this.#closed) return;
      try {
        onText(text);
      } catch (error) {
        this.logger.error(
          { err: error, path: this.#path },
          'policy update failed; keeping the current policy',
        );
      }
    });
  }
}
