/**
 * The HTTP server's limits (security review L2), over real sockets: a client that sends headers and
 * then stalls, or never finishes its headers, is answered 408 and disconnected; connections beyond
 * the cap are closed as they arrive. Small limits from the configuration keep the waits short; the
 * tests wait for the close itself, never for a time.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { listenHttp } from '../../src/listen-http.ts';
import { startGateway, type Gateway } from '../../src/main.ts';

/** Opens a connection, writes `data`, and resolves with everything received once the server closes it. */
async function sendAndWaitForClose(url: string, data: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk) => (received += String(chunk)));
  socket.on('error', () => undefined); // a reset is a close too
  const closed = once(socket, 'close');
  socket.write(data);
  await closed;
  return received;
}

describe('the gateway server drops stalled clients', () => {
  let dataDir: string;
  let gateway: Gateway;

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'switchboard-timeouts-')), 'data');
    gateway = await startGateway(
      loadConfig({
        SWITCHBOARD_DATA_DIR: dataDir,
        SWITCHBOARD_PORT: '0',
        SWITCHBOARD_LOG_LEVEL: 'silent',
        SWITCHBOARD_DELIVERY: 'off',
        SWITCHBOARD_REQUEST_TIMEOUT_MS: '300',
        SWITCHBOARD_HEADERS_TIMEOUT_MS: '200',
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    if (dataDir) await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('answers 408 and closes a request whose body never comes', async () => {
    // Authenticated, so the route waits for the body instead of answering 401 at once.
    const received = await sendAndWaitForClose(
      gateway.url,
      `POST /v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${gateway.generatedAdminKey}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":',
    );
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes a request whose headers never end', async () => {
    const received = await sendAndWaitForClose(gateway.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still answers a client that is not slow', async () => {
    const res = await fetch(`${gateway.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('the connection cap', () => {
  let server: ServerType;
  let url: string;
  const open: Socket[] = [];

  beforeAll(async () => {
    const app = new Hono().get('/', (c) => c.text('ok'));
    const config = loadConfig({ SWITCHBOARD_MAX_CONNECTIONS: '1' });
    server = await listenHttp(app.fetch, { host: '127.0.0.1', port: 0, http: config.http });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('closes connections beyond SWITCHBOARD_MAX_CONNECTIONS as they arrive, and takes new ones once one ends', async () => {
    const { port } = new URL(url);
    // The first connection: answered, and kept open.
    const first = connect(Number(port), '127.0.0.1');
    open.push(first);
    let answer = '';
    first.on('data', (chunk) => (answer += String(chunk)));
    first.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    while (!answer.includes('\r\n\r\nok')) await once(first, 'data');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);

    // A second one while the first is open: closed without an answer.
    const dropped = once(server, 'drop');
    expect(await sendAndWaitForClose(url, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe('');
    await dropped;

    first.end();
    await once(first, 'close');
    const res = await fetch(url);
    expect(await res.text()).toBe('ok');
  });
});
