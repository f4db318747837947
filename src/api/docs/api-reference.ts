import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** swagger-ui-dist's prebuilt files, served from the package: no CDN, the page works offline. */
const ASSETS: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Kairos API</title>
  <link rel="stylesheet" href="/docs/ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/ui/swagger-ui-bundle.js"></script>
  <script src="/docs/ui/init.js"></script>
</body>
</html>
`;

// In a file of its own, not inline: a Content-Security-Policy without 'unsafe-inline' still allows it.
// A key given to Authorize is not kept (persistAuthorization): the page shares the console's origin, whose
// Sign out could not clear a copy kept in localStorage, and the console keeps its key for the tab only.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/docs',
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  tryItOutEnabled: true,
  persistAuthorization: false,
});
`;

/**
 * GET /docs/ui: an interactive page (Swagger UI) over the document GET /docs
 * serves, with "Try it out" against this very API (Authorize takes a key).
 * Plain Fastify routes: a page for people, not part of the API's contract.
 */
export function registerApiReference(app: NestFastifyApplication): void {
  const dir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/docs/ui', (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  fastify.get('/docs/ui/init.js', (_req, reply) => reply.type('application/javascript; charset=utf-8').send(INIT));
  for (const [file, type] of Object.entries(ASSETS)) {
    fastify.get(`/docs/ui/${file}`, (_req, reply) => {
      let body = cache.get(file);
      if (!body) cache.set(file, (body = readFileSync(path.join(dir, file))));
      return reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
    });
  }
}
