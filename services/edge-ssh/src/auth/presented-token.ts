import type { AuthContext } from 'ssh2';

/** The SSH authentication methods that carry a token; the only ones the edge offers. */
export const TokenMethods = ['password', 'keyboard-interactive'] as const;

/** One of {@link TokenMethods}. */
export type TokenMethod = (typeof TokenMethods)[number];

/** Whether an authentication attempt uses a method that carries a token. */
export function isTokenMethod(method: string): method is TokenMethod {
  return (TokenMethods as readonly string[]).includes(method);
}

/**
 * The token a client presented: the password of `password` authentication (RFC 4252 section 8),
 * or the answer to the single hidden prompt of `keyboard-interactive` (RFC 4256); empty when the
 * client answered nothing usable. Resolves undefined when the client abandoned the exchange
 * (it started another attempt instead of answering): that is no attempt at all.
 */
export function presentedToken(context: AuthContext): Promise<string | undefined> {
  if (context.method === 'password') return Promise.resolve(context.password.trim());
  if (context.method !== 'keyboard-interactive') return Promise.resolve('');
  return new Promise((resolve) => {
    context.once('abort', () => resolve(undefined));
    context.prompt(
      [{ prompt: 'Gatehouse token: ', echo: false }],
      'Gatehouse',
      'Paste an OIDC access token.',
      (answers) => resolve(answers.length === 1 ? (answers[0] ?? '').trim() : ''),
    );
  });
}
