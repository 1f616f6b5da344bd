import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readOpenApiDocument } from './openapi-document.ts';
import { OpenApiController } from './openapi.controller.ts';
import { RequestsController } from './requests.controller.ts';

const controllers = [RequestsController, OpenApiController];

/** Every route the controllers declare, as `METHOD /path/{param}`. */
function controllerRoutes(): string[] {
  const routes: string[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as unknown as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      const full = ['', base, path === '/' ? '' : path]
        .join('/')
        .replace(/\/+/g, '/')
        .replace(/\/$/, '')
        .replace(/:([A-Za-z]+)/g, '{$1}');
      routes.push(`${RequestMethod[method]} ${full}`);
    }
  }
  return routes.sort();
}

function documentedRoutes(): string[] {
  const document = parse(readOpenApiDocument()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

describe('approval openapi.yaml', () => {
  it('openapi - documents exactly the routes the controllers serve', () => {
    const served = controllerRoutes();
    expect(served).toEqual([
      'GET /v1/openapi.yaml',
      'GET /v1/requests',
      'GET /v1/requests/{id}',
      'POST /v1/requests/{id}/approve',
      'POST /v1/requests/{id}/reject',
    ]);
    expect(documentedRoutes()).toEqual(served);
  });

  it('openapi - every request route names 401 and every vote route names 400, 403, 404 and 409', () => {
    const document = parse(readOpenApiDocument()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/v1/requests')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain('401');
        if (method === 'post') {
          expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(
            expect.arrayContaining(['200', '400', '403', '404', '409']),
          );
        }
      }
    }
  });
});
