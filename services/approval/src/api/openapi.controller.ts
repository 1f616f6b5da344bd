import { Controller, Get, Header } from '@nestjs/common';
import { readOpenApiDocument } from './openapi-document.ts';

/** GET /v1/openapi.yaml: the API description, public like any API documentation (it holds no data). */
@Controller('v1')
export class OpenApiController {
  readonly #document = readOpenApiDocument();

  @Get('openapi.yaml')
  @Header('content-type', 'application/yaml; charset=utf-8')
  document(): string {
    return this.#document;
  }
}
