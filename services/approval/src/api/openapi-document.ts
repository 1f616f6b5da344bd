import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The hand-written OpenAPI document of the approver API (services/approval/openapi.yaml). */
export const openApiPath = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

/** The document's text, read once. */
export function readOpenApiDocument(): string {
  return readFileSync(openApiPath, 'utf8');
}
