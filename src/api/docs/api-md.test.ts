import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiRoutes } from './api-document';

/**
 * The routes the first cells of docs/api.md's endpoint table name, as
 * `METHOD /path`: "`GET`/`PUT`/`DELETE /v1/sources/:key`" is three, and a
 * bare "`/archive`" is the previous route's sibling with its method.
 */
function tableRoutes(markdown: string): string[] {
  const section = markdown.slice(markdown.indexOf('## Endpoints'));
  const routes: string[] = [];
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const cell = row.slice(1, row.indexOf(' | ', 1));
    let methods: string[] = [];
    let last: { method: string; path: string } | undefined;
    for (const [, token] of cell.matchAll(/`([^`]+)`/g)) {
      const full = /^([A-Z]+) (\/\S*)$/.exec(token);
      if (/^[A-Z]+$/.test(token)) methods.push(token);
      else if (full) {
        const routePath = full[2].replace(/\?.*$/, '');
        for (const method of [...methods, full[1]]) routes.push(`${method} ${routePath}`);
        methods = [];
        last = { method: full[1], path: routePath };
      } else if (token.startsWith('/') && last) routes.push(`${last.method} ${last.path.replace(/\/[^/]+$/, token)}`);
    }
  }
  return routes;
}

describe("docs/api.md's endpoint table", () => {
  const listed = tableRoutes(readFileSync(path.join(__dirname, '../../../docs/api.md'), 'utf8'));
  const routes = apiRoutes().map((r) => `${r.method.toUpperCase()} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`);

  it('reads the shorthand the table uses', () => {
    expect(tableRoutes('## Endpoints\n| `POST /a/:k/pause`, `/archive` | x |\n| `GET`/`PUT`/`DELETE /s/:k` | y |\n| `GET /i?from=A` | z |')).toEqual([
      'POST /a/:k/pause',
      'POST /a/:k/archive',
      'GET /s/:k',
      'PUT /s/:k',
      'DELETE /s/:k',
      'GET /i',
    ]);
  });

  it('lists every route of the API', () => {
    expect(routes.filter((r) => !listed.includes(r))).toEqual([]);
  });

  it('lists no /v1 route the API does not have', () => {
    expect(listed.filter((r) => r.includes(' /v1/') && !routes.includes(r))).toEqual([]);
  });
});

describe("the typed client's README on `latest` (review 55, finding 5)", () => {
  const readme = readFileSync(path.join(__dirname, '../../../clients/ts/README.md'), 'utf8').replace(/\s+/g, ' ');
  const sentences = readme.split(/(?<=\.) /);

  it('says only the GET of one version takes `latest`, not every version in a path (the layout route answers 400)', () => {
    const routes = apiRoutes().filter((r) => r.path.includes('{version}')).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(routes.sort()).toEqual(['GET /v1/campaigns/{key}/versions/{version}', 'PUT /v1/campaigns/{key}/versions/{version}/layout']);
    const naming = sentences.filter((s) => s.includes('`latest`'));
    expect(naming.length).toBeGreaterThan(0);
    for (const sentence of naming) expect(sentence).toMatch(/^Only `GET \/v1\/campaigns\/\{key\}\/versions\/\{version\}` takes `latest`/);
  });
});


describe("the README's routes that need no key (review 62, docs 3)", () => {
  const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8').replace(/\s+/g, ' ');
  const sentence = readme.match(/Every request needs `Authorization: Bearer <key>`[^.]*\./)?.[0] ?? '';
  // /docs is served (never listed) and public; /docs/ui and /console are plain Fastify routes no guard sees.
  const publicPaths = [...apiRoutes().filter((r) => r.spec?.role === 'public').map((r) => r.path), '/docs', '/docs/ui', '/console'];

  it('names every one of them', () => {
    expect(sentence).not.toBe('');
    expect(publicPaths.filter((p) => !sentence.includes(`\`${p}\``))).toEqual([]);
  });
});
