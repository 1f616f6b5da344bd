import { describe, expect, it } from 'vitest';
import { childTraceparent, newTraceparent, traceHeaders, traceparentOf } from './trace-context.ts';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe('trace context', () => {
  it('trace-context - starts sampled traces whose ids never repeat, across refills of the random pool', () => {
    // 4096 bytes of pool make 170 traces: 1000 of them refill it several times.
    const traces = Array.from({ length: 1000 }, () => newTraceparent());
    for (const trace of traces) {
      expect(trace).toMatch(TRACEPARENT);
      expect(trace.endsWith('-01')).toBe(true);
    }
    expect(new Set(traces.map((trace) => trace.slice(3, 35))).size).toBe(1000);
    expect(new Set(traces.map((trace) => trace.slice(36, 52))).size).toBe(1000);
  });

  it('trace-context - continues a trace with a new span id and its flags', () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
    const child = childTraceparent(parent);
    expect(child).toMatch(TRACEPARENT);
    expect(child.slice(0, 36)).toBe(parent.slice(0, 36));
    expect(child.slice(36, 52)).not.toBe('00f067aa0ba902b7');
    expect(child.endsWith('-00')).toBe(true);
  });

  it('trace-context - starts a new trace for a missing or malformed parent', () => {
    for (const parent of [
      undefined,
      '',
      'garbage',
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ]) {
      const child = childTraceparent(parent);
      expect(child).toMatch(TRACEPARENT);
      expect(child.slice(3, 35)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    }
  });

  it('trace-context - carries the traceparent in headers and reads back only well-formed ones', () => {
    const trace = newTraceparent();
    expect(traceparentOf(traceHeaders(trace))).toBe(trace);
    expect(traceHeaders(undefined)).toBeUndefined();
    expect(traceparentOf(traceHeaders('00-bad'))).toBeUndefined();
    expect(traceparentOf(undefined)).toBeUndefined();
  });
});
