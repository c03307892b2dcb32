/** A preview renders with the event type's default severity, as delivery does, unless the request names one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

describe.each(databaseKinds)('preview severity on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };
  beforeAll(async () => {
    gw = await createTestGateway(kind);
    project = await gw.createProject('Preview');
  });
  afterAll(async () => gw?.close());

  it("uses the type's default severity, and the one the request names", async () => {
    const put = await gw.call('PUT', '/v1/event-types/disk.full', { key: project.key, body: { default_severity: 'critical', template: { text: 'severity {{ event.severity }}' } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const preview = await gw.call('POST', '/v1/event-types/disk.full/preview', { key: project.key, body: {} });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.text).toBe('severity critical');
    const named = await gw.call('POST', '/v1/event-types/disk.full/preview', { key: project.key, body: { severity: 'low' } });
    expect(named.body.text).toBe('severity low');
  });
});
