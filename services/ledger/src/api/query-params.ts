import { BadRequestException } from '@nestjs/common';

/**
 * Parses a non-negative integer parameter (query or path); `fallback` when absent.
 * @throws BadRequestException (400, JSON body) when present but not a decimal integer below 2^53.
 */
export function integerParam(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined || value === '') {
    if (fallback === undefined) throw new BadRequestException(`${name} is required`);
    return fallback;
  }
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new BadRequestException(`${name} must be a non-negative integer`);
  }
  return Number(value);
}

/**
 * Parses a 32-byte hash given as 64 hex digits.
 * @throws BadRequestException when it is not.
 */
export function hashParam(value: string, name: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new BadRequestException(`${name} must be 64 hex digits`);
  return Buffer.from(value, 'hex');
}

/**
 * Parses an RFC 3339 time with a zone (`2026-01-01T00:00:00Z`).
 * @throws BadRequestException when it is absent or not such a time.
 */
export function timeParam(value: string | undefined, name: string): Date {
  if (value === undefined || value === '') throw new BadRequestException(`${name} is required`);
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(time)) {
    throw new BadRequestException(`${name} must be an RFC 3339 time such as 2026-01-01T00:00:00Z`);
  }
  return new Date(time);
}
