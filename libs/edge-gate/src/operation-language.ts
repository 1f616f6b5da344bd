/** The languages an edge asks authz about; one list drives the type and the runtime check. */
export const OperationLanguage = { Sql: 'sql', Shell: 'shell' } as const;

/** One of {@link OperationLanguage}. */
export type OperationLanguage = (typeof OperationLanguage)[keyof typeof OperationLanguage];

/** Whether a value is one of {@link OperationLanguage}. */
export function isOperationLanguage(value: unknown): value is OperationLanguage {
  return (Object.values(OperationLanguage) as unknown[]).includes(value);
}
