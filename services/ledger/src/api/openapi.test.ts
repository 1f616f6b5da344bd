import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { HealthController } from '@gatehouse/service-host';
import { parse } from 'yaml';
import { ledgerControllers } from './ledger-controllers.ts';
import { OPENAPI_DOCUMENT } from './openapi.controller.ts';

type Handler = (...args: unknown[]) => unknown;

/** `METHOD /path/{param}` of every route a controller declares, read from Nest's metadata. */
function routesOf(controller: { prototype: object }): string[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const routes: string[] = [];
  for (const name of Object.getOwnPropertyNames(controller.prototype)) {
    const handler = (controller.prototype as Record<string, Handler>)[name];
    if (name === 'constructor' || typeof handler !== 'function') continue;
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (path === undefined || method === undefined) continue;
    const full = `/${[base, path].join('/')}`
      .replace(/\/+/g, '/')
      .replace(/\/$/, '')
      .replace(/:(\w+)/g, '{$1}');
    routes.push(`${RequestMethod[method]} ${full}`);
  }
  return routes;
}

const document = parse(OPENAPI_DOCUMENT) as {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
};
const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
);
const served = [...ledgerControllers, HealthController].flatMap(routesOf);

describe('ledger OpenAPI document', () => {
  it('ledger - every route of the controllers appears in openapi.yaml', () => {
    expect(served.length).toBe(13);
    for (const route of served) expect(documented, route).toContain(route);
  });

  it('ledger - openapi.yaml documents no route the service does not serve', () => {
    for (const route of documented) expect(served, route).toContain(route);
  });

  it('ledger - the served document is OpenAPI 3.1 with the issue 5 routes', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /v1/checkpoint',
        'GET /v1/checkpoints/{size}',
        'GET /v1/entries',
        'GET /v1/entries/{index}',
        'GET /v1/proof/inclusion',
        'GET /v1/proof/consistency',
        'GET /v1/sessions/{id}',
        'GET /v1/keys',
        'GET /v1/export',
        'GET /v1/openapi.yaml',
      ]),
    );
  });
});
