import { MESSAGE_HEADER_LENGTH } from '@gatehouse/pg-wire';

/** What the edge remembers about one admitted (parsed) statement. */
export interface PreparedStatement {
  /** Id of the statement's evidence record: results of every execution refer to it. */
  readonly statementId: string;
  /** Masking profile of the decision that admitted it. */
  readonly maskingProfile: string | undefined;
  readonly text: string;
}

/**
 * Which admitted statement each named or unnamed prepared statement and portal of a session
 * stands for, so that an Execute in a later batch (a prepared statement run again, a cursor read
 * page by page) is attributed to the statement the policy admitted: its result evidence names it
 * and masking applies its profile. Follows the protocol's lifetimes
 * (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY): Parse and
 * Bind replace a name, Close forgets one, a simple Query destroys the unnamed statement and portal,
 * DEALLOCATE and DISCARD ALL forget what they drop. Only names are read from Bind, Execute and Close;
 * nothing else of them is decoded.
 */
export class PreparedStatements {
  readonly #statements = new Map<string, PreparedStatement>();
  readonly #portals = new Map<string, PreparedStatement>();

  /** A Parse for statement `name` was admitted and forwarded. */
  parsed(name: string, statement: PreparedStatement): void {
    this.#statements.set(name, statement);
  }

  /** A Parse for statement `name` was refused (the upstream creates nothing under that name). */
  refused(name: string): void {
    if (name === '') this.#statements.delete('');
  }

  /** A simple Query was forwarded: the unnamed statement and portal are gone. */
  query(): void {
    this.#statements.delete('');
    this.#portals.delete('');
  }

  /** A Bind message (whole message, with header) was forwarded. */
  bound(message: Buffer): void {
    const portalEnd = message.indexOf(0, MESSAGE_HEADER_LENGTH);
    if (portalEnd < 0) return;
    const statementEnd = message.indexOf(0, portalEnd + 1);
    if (statementEnd < 0) return;
    const portal = message.toString('utf8', MESSAGE_HEADER_LENGTH, portalEnd);
    const statement = this.#statements.get(message.toString('utf8', portalEnd + 1, statementEnd));
    if (statement) this.#portals.set(portal, statement);
    else this.#portals.delete(portal);
  }

  /** The admitted statement an Execute message (whole message) runs, when known. */
  executed(message: Buffer): PreparedStatement | undefined {
    const portalEnd = message.indexOf(0, MESSAGE_HEADER_LENGTH);
    if (portalEnd < 0) return undefined;
    return this.#portals.get(message.toString('utf8', MESSAGE_HEADER_LENGTH, portalEnd));
  }

  /** A Close message (whole message) was forwarded. */
  closed(message: Buffer): void {
    const nameEnd = message.indexOf(0, MESSAGE_HEADER_LENGTH + 1);
    if (nameEnd < 0) return;
    const name = message.toString('utf8', MESSAGE_HEADER_LENGTH + 1, nameEnd);
    if (message[MESSAGE_HEADER_LENGTH] === 0x53 /* S */) this.#statements.delete(name);
    else this.#portals.delete(name);
  }

  /** A DEALLOCATE or DISCARD statement with this text was forwarded. */
  deallocated(text: string): void {
    if (/\bdiscard\s+all\b/i.test(text)) {
      this.#statements.clear();
      this.#portals.clear();
      return;
    }
    if (/\bdeallocate\s+(?:prepare\s+)?all\b/i.test(text)) {
      this.#statements.clear();
      return;
    }
    for (const match of text.matchAll(
      /\bdeallocate\s+(?:prepare\s+)?("(?:[^"]|"")+"|[a-z_\u0080-\uffff][\w$\u0080-\uffff]*)/giu,
    )) {
      const name = match[1]!;
      this.#statements.delete(
        name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name.toLowerCase(),
      );
    }
  }

  /** Statements and portals remembered (for tests and bounds). */
  get size(): { statements: number; portals: number } {
    return { statements: this.#statements.size, portals: this.#portals.size };
  }
}
