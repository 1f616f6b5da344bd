import { readFileSync } from 'node:fs';
import { Controller, Get, Header } from '@nestjs/common';

/** The committed OpenAPI document of the auditor API (services/ledger/openapi.yaml). */
export const OPENAPI_DOCUMENT = readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8');

/** Serves the OpenAPI document; public, like any API reference. */
@Controller('v1')
export class OpenApiController {
  /** GET /v1/openapi.yaml. */
  @Get('openapi.yaml')
  @Header('content-type', 'application/yaml; charset=utf-8')
  document(): string {
    return OPENAPI_DOCUMENT;
  }
}
