/**
 * Body size limits over real HTTP (the Node adapter, as in production): a body over the limit is
 * refused with 413 and a message naming the setting, whether it declares its Content-Length or
 * arrives chunked without one; a body within the limit goes through either way.
 */
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const LIMIT = 4096;

/** POSTs `body`, either with Content-Length or chunked (in two writes, no length declared). */
function post(url: string, key: string, body: string, chunked: boolean): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    if (chunked) {
      const half = Math.floor(body.length / 2);
      req.write(body.slice(0, half));
      req.write(body.slice(half));
    } else {
      req.write(body);
    }
    req.end();
  });
}

describe('request body limits', () => {
  let gw: TestGateway;
  let server: ServerType;
  let url: string;
  let key: string;

  beforeAll(async () => {
    gw = await createTestGateway('pglite', { maxBodyBytes: LIMIT });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: gw.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    key = (await gw.createProject('Limits')).key;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await gw?.close();
  });

  const event = (size: number) => JSON.stringify({ type: 'deployment.started', data: { service: 'api', version: 'v1', environment: 'prod', note: 'x'.repeat(size) } });

  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked, without Content-Length' : 'with Content-Length';
    it(`refuses a single event over the limit (${how}) with 413 and what to change`, async () => {
      const res = await post(`${url}/v1/events`, key, event(LIMIT + 100), chunked);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(res.body.error.message).toContain('SWITCHBOARD_MAX_BODY_BYTES');
    });

    it(`accepts an event within the limit (${how})`, async () => {
      const res = await post(`${url}/v1/events`, key, event(LIMIT - 500), chunked);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.event.id).toMatch(/^evt_/);
    });

    it(`gives batches eight times the allowance, and no more (${how})`, async () => {
      const within = JSON.stringify({ events: Array.from({ length: 6 }, () => JSON.parse(event(LIMIT - 500))) });
      expect(Buffer.byteLength(within)).toBeGreaterThan(LIMIT);
      expect((await post(`${url}/v1/events/batch`, key, within, chunked)).status).toBe(202);
      const over = JSON.stringify({ events: Array.from({ length: 9 }, () => JSON.parse(event(LIMIT))) });
      const res = await post(`${url}/v1/events/batch`, key, over, chunked);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    });
  }
});
