import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { kairosPackageRoot } from '../../config/kairos-package';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Extensions of the files a build ships beside index.html. A missing file with one of them is a 404; any other path
 * under /console/ is a console page, dots and all.
 */
const SHIPPED_EXTENSIONS = new Set(Object.keys(TYPES).filter((ext) => ext !== '.html'));

/**
 * What GET /console/<rest> answers when <rest> names no file of the build. A missing asset is a 404: a stale page
 * asking for an old chunk must fail loudly, not get HTML. Anything else gets index.html, and the console's router says
 * whether it is a page. That includes a last segment with a dot: campaign keys may hold one
 * (campaigns/spring.sale), and user ids are free text (users/pia@example.com, users/u.1), `..` segments and all once
 * decoded (the user `x/..` is users/x%2F.. in the console, users/x/.. here): anything under campaigns/ or users/ is a
 * page. Only a name at the top with an extension the console ships (.js, .css, …) marks a file, and a `..` segment
 * elsewhere is a 404. This decides only which answer a missing file gets: registerConsole never reads a file outside
 * the console's folder, whatever the path says.
 */
export function missingFileAnswer(rest: string): 'not-found' | 'index' {
  if (rest.startsWith('assets/')) return 'not-found';
  // The pages named by a campaign key or user id: those ids are the API's, whatever their segments hold once decoded.
  if (rest.startsWith('users/') || rest.startsWith('campaigns/')) return 'index';
  // Anywhere else a `..` segment names no page.
  if (rest.split('/').includes('..')) return 'not-found';
  // A build ships files only at its top and under assets/: a deeper path is a page (campaigns/promo.js, users/export.json).
  if (rest.includes('/')) return 'index';
  return SHIPPED_EXTENSIONS.has(path.extname(rest)) ? 'not-found' : 'index';
}

/** Vite puts content-hashed files under assets/: a name never changes content, so they may be kept forever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: always asked again, so a new build shows on reload. */
const REVALIDATE = 'no-cache';

/** dist/console of the checkout or image this process runs from (dist/src/... when built, src/... under ts tests). */
export function defaultConsoleDir(): string {
  return path.join(kairosPackageRoot(), 'dist', 'console');
}

/**
 * GET /console and everything under it: the built console (console/, see
 * scripts/build.js). A path that is no file gets index.html, so a reload of
 * /console/campaigns/x keeps the page (the console routes in the browser).
 * Plain Fastify routes, like /docs/ui: pages for people, not the API contract.
 */
export function registerConsole(app: NestFastifyApplication, dir = defaultConsoleDir()): void {
  const root = path.resolve(dir);
  const fastify = app.getHttpAdapter().getInstance();
  const cache = new Map<string, Buffer>();
  const read = (file: string) => {
    let body = cache.get(file);
    if (!body) cache.set(file, (body = readFileSync(file)));
    return body;
  };
  const index = (reply: FastifyReply) => {
    const file = path.join(root, 'index.html');
    if (!existsSync(file)) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send('The console is not built: run `npm run build` (npm start does it).\n');
    }
    // Read each time: a rebuild while the API runs must not leave it naming deleted assets.
    return reply.type(TYPES['.html']).header('cache-control', REVALIDATE).send(readFileSync(file));
  };
  fastify.get('/console', (_req, reply) => index(reply));
  fastify.get('/console/*', (req, reply) => {
    const rest = (req.params as { '*': string })['*'] ?? '';
    const file = path.resolve(root, rest);
    // Never outside the console's folder, whatever the path says.
    const inside = file.startsWith(root + path.sep);
    if (inside && existsSync(file) && statSync(file).isFile() && path.basename(file) !== 'index.html') {
      const immutable = rest.startsWith('assets/');
      return reply
        .type(TYPES[path.extname(file)] ?? 'application/octet-stream')
        .header('cache-control', immutable ? IMMUTABLE : REVALIDATE)
        .header('x-content-type-options', 'nosniff')
        .send(immutable ? read(file) : readFileSync(file));
    }
    if (missingFileAnswer(rest) === 'not-found') {
      return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found.\n');
    }
    return index(reply);
  });
}
