// Integration: a write with a WHERE is held by the real edge until a real approver approves it
// through the approval service's REST API; rejection refuses it. Real NATS, PostgreSQL and pg.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '@gatehouse/local-stack';
import { startTestStack } from './stack-fixture.ts';

interface ApprovalRequestView {
  requestId: string;
  status: string;
}

describe('approval flow (edge holds, approver decides)', () => {
  let stack: RunningStack;
  let pipelinesToken: string;
  let approverToken: string;

  beforeAll(async () => {
    stack = await startTestStack(['authz', 'masking', 'audit', 'ledger', 'approval', 'edge-postgres']);
    pipelinesToken = await stack.mintToken('ci-bot', ['pipelines']);
    approverToken = await stack.mintToken('bob', ['approvers']);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function pending(): Promise<ApprovalRequestView[]> {
    const response = await fetch(`${stack.endpoints.approvalApi}/v1/requests?status=pending`, {
      headers: { authorization: `Bearer ${approverToken}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { requests: ApprovalRequestView[] };
    return body.requests;
  }

  async function vote(requestId: string, verdict: 'approve' | 'reject', token: string): Promise<number> {
    const response = await fetch(`${stack.endpoints.approvalApi}/v1/requests/${requestId}/${verdict}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'checked in the change ticket' }),
    });
    return response.status;
  }

  function edgeClient(): pg.Client {
    const { host, port } = stack.endpoints.edgePostgres;
    return new pg.Client({
      host,
      port,
      database: 'demo',
      user: 'ci-bot',
      password: pipelinesToken,
      ssl: false,
    });
  }

  it('approval - an UPDATE with a WHERE waits for an approver and then runs', async () => {
    const client = edgeClient();
    const notices: string[] = [];
    client.on('notice', (notice) => notices.push(notice.message ?? ''));
    await client.connect();
    const held = client.query("UPDATE customers SET city = 'Approved City' WHERE id = 1");
    await expect.poll(async () => (await pending()).length, { timeout: 15_000 }).toBe(1);
    const [request] = await pending();
    // The requester is no approver; and approvers never approve their own requests.
    expect(await vote(request!.requestId, 'approve', pipelinesToken)).toBe(403);
    expect(await vote(request!.requestId, 'approve', approverToken)).toBe(200);
    const result = await held;
    expect(result.rowCount).toBe(1);
    expect(notices.join('\n')).toContain(request!.requestId);
    await client.end();
    const direct = new pg.Client({ connectionString: stack.databases.demoUrl });
    await direct.connect();
    const row = await direct.query('select city from customers where id = 1');
    expect(row.rows[0].city).toBe('Approved City');
    await direct.end();
  });

  it('approval - a rejected UPDATE gets 42501 and never reaches the target', async () => {
    const client = edgeClient();
    await client.connect();
    const held = client
      .query("UPDATE customers SET city = 'Rejected City' WHERE id = 2")
      .catch((e: unknown) => e);
    await expect.poll(async () => (await pending()).length, { timeout: 15_000 }).toBe(1);
    const [request] = await pending();
    expect(await vote(request!.requestId, 'reject', approverToken)).toBe(200);
    const error = (await held) as { code?: string; message?: string };
    expect(error.code).toBe('42501');
    expect(error.message).toContain('rejected');
    await client.end();
    const direct = new pg.Client({ connectionString: stack.databases.demoUrl });
    await direct.connect();
    const row = await direct.query('select city from customers where id = 2');
    expect(row.rows[0].city).not.toBe('Rejected City');
    await direct.end();
  });
});
