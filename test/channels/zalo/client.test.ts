import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloClient, ZaloApiError } from '../../../src/channels/zalo/client.js';
import { FakeZaloApi, textUpdate } from './fake-zalo.js';

const TOKEN = '1122334455:clientTestSecretPartXYZ';

describe('the Zalo Bot API client', () => {
  let api: FakeZaloApi;
  beforeEach(async () => {
    api = await new FakeZaloApi({ token: TOKEN, holdMs: 50 }).listen();
  });
  afterEach(() => api.close());

  const client = (token = TOKEN, timeoutMs = 1_000, deliveryBudgetMs = 0) =>
    createZaloClient({ token, apiRoot: api.url, timeoutMs, retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 20, deliveryBudgetMs } });

  it('keeps retrying a reply through an outage for the delivery budget, then delivers it once', async () => {
    api.fail('sendMessage', 12, { status: 503 });
    await expect(client(TOKEN, 1_000, 3_000).sendMessage('c1', 'xin chào')).resolves.toMatchObject({ message_id: expect.any(String) });
    expect(api.callsOf('sendMessage')).toHaveLength(13);
    // Outside the budget it gives up (and the typing indicator, with fixed attempts, never waits).
    api.fail('sendMessage', 1000, { status: 503 });
    const t0 = Date.now();
    await expect(client(TOKEN, 1_000, 300).sendMessage('c1', 'x')).rejects.toBeInstanceOf(ZaloApiError);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('reads getMe and treats the long poll\'s 408 as "no update"; accepts one update or an array', async () => {
    expect(await client().getMe()).toMatchObject({ id: '1234567890', account_name: 'Trợ lý VNeID' });
    expect(await client().getUpdates({ timeout: 1 })).toEqual([]);
    expect(api.callsOf('getUpdates')[0]!.body).toEqual({ timeout: '1' });
    const u = textUpdate('c1', 'a', 'm1');
    api.push(u);
    api.push([u, u]);
    expect(await client().getUpdates()).toEqual([u]);
    expect(await client().getUpdates()).toEqual([u, u]);
  });

  it('retries 5xx, ok:false and timeouts a bounded number of times', async () => {
    api.fail('sendMessage', 2, { status: 502 });
    await expect(client().sendMessage('c1', 'xin chào')).resolves.toMatchObject({ message_id: expect.any(String) });
    api.fail('sendMessage', 1, { status: 200, okFalse: true, error_code: -201, description: 'temporarily unavailable' });
    api.fail('sendMessage', 1, { status: 0, hang: true });
    await expect(client(TOKEN, 200).sendMessage('c1', 'xin chào')).resolves.toBeTruthy();
    api.fail('sendMessage', 5, { status: 503 });
    const err = await client().sendMessage('c1', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ method: 'sendMessage', error_code: 503 });
    expect(api.callsOf('sendMessage')).toHaveLength(3 + 3 + 3);
  });

  it('gives a typed error without the token, and does not retry a rejected token', async () => {
    const err = (await client('1122334455:wrongSecretValue').getMe().catch((e: unknown) => e)) as ZaloApiError;
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err.error_code).toBe(401);
    expect(err.description).toBe('Unauthorized');
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain('wrongSecretValue');
    expect(api.callsOf('getMe')).toHaveLength(1);
  });
});
