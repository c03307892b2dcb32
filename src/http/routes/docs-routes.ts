/**
 * The API's own description: /openapi.json (OpenAPI 3.1, generated from the route schemas) and a
 * human-readable reference at /docs, served from the swagger-ui-dist package so it works offline.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { HttpEnv } from '../authenticate.ts';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body></html>`;
// Kept out of the page so the page's policy allows no inline script at all.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true, persistAuthorization: true });\n`;

/** As the OAuth pages: the reference page runs only its own scripts and cannot be framed. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export function registerDocs(app: OpenAPIHono<HttpEnv>, version: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A project API key (sb_live_…) or the admin key. With the admin key, name the project in the Switchboard-Project header.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version,
      description: 'Send events from your app; Switchboard routes, renders and delivers them to Slack. Errors are `{ error: { code, message, details } }`.',
    },
  });
  app.get('/docs', (c) => c.html(DOCS_PAGE, 200, SECURITY_HEADERS));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (file === 'init.js') return c.body(INIT_SCRIPT, 200, { ...SECURITY_HEADERS, 'content-type': 'application/javascript; charset=utf-8' });
    const type = ASSETS[file];
    if (!type) return c.notFound();
    return c.body(await readFile(path.join(SWAGGER_DIR, file)), 200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
