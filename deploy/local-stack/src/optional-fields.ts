import { env, type ConfigField } from '@gatehouse/config';

/** A URL field that may stay unset (undefined), validated like `env.url` when set. */
export function optionalUrl(
  variable: string,
  options: { protocols: readonly string[]; description: string },
): ConfigField<string | undefined> {
  const field = env.url(variable, options);
  return { ...field, fallback: undefined, optional: true };
}

/** A port field that may stay unset (undefined). */
export function optionalPort(variable: string, description: string): ConfigField<number | undefined> {
  const field = env.port(variable, { description });
  return { ...field, fallback: undefined, optional: true };
}
