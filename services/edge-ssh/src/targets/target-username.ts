/** Longest target name accepted (the evidence contract caps target names at 128 characters). */
export const MAX_TARGET_NAME_LENGTH = 128;

/**
 * The target an SSH username selects: `<target>` or `<target>+<anything>`. The part after `+` is
 * free for the client (say a CI job id shown in its own logs); Gatehouse never uses it for access.
 * Returns the name truncated to {@link MAX_TARGET_NAME_LENGTH}; whether it names a configured
 * target is the registry's business.
 */
export function targetOfUsername(username: string): string {
  const plus = username.indexOf('+');
  const name = plus === -1 ? username : username.slice(0, plus);
  return name.slice(0, MAX_TARGET_NAME_LENGTH);
}
