/**
 * Reads the caller's groups from a verified claims set. The claim is named by a path: either a
 * top-level claim name (`groups`, or a namespaced one such as `https://example.com/groups`, which
 * contains dots) or a dotted path into nested objects (`realm_access.roles`, Keycloak's layout).
 * The path is compiled once at construction; reading is allocation-light.
 */
export class GroupsClaim {
  readonly #name: string;
  readonly #segments: readonly string[];

  constructor(
    /** Claim name or dotted path, e.g. `groups` or `realm_access.roles`. */
    path: string,
  ) {
    const segments = path.split('.');
    if (path.length === 0 || segments.some((segment) => segment.length === 0)) {
      throw new TypeError(`invalid groups claim path ${JSON.stringify(path)}`);
    }
    this.#name = path;
    this.#segments = segments;
  }

  /**
   * The groups in `claims`: an array of strings as is, a single string as one group, an absent
   * claim as no groups. Returns `undefined` when the claim holds anything else (a number, an
   * object, an array with a non-string), which the verifier treats as a malformed token.
   */
  read(claims: Readonly<Record<string, unknown>>): string[] | undefined {
    const value = Object.hasOwn(claims, this.#name) ? claims[this.#name] : this.#walk(claims);
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((group) => typeof group === 'string')) return [...value];
    return undefined;
  }

  #walk(claims: Readonly<Record<string, unknown>>): unknown {
    let node: unknown = claims;
    for (const segment of this.#segments) {
      // Own properties of plain objects only: a path must never reach the prototype chain.
      if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, segment)) {
        return undefined;
      }
      node = (node as Record<string, unknown>)[segment];
    }
    return node;
  }
}
