import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Compose's `temporal` service (temporalio/server, SQL visibility) runs with a dynamic config file that makes
 * search attributes usable as soon as Kairos registers them (review-59-deploy, finding 4). No Docker engine here:
 * read as the image reads it. Its embedded config template takes `dynamicConfigClient.filepath` from
 * DYNAMIC_CONFIG_FILE_PATH, and the server exits when that file is missing.
 */
const root = path.resolve(__dirname, '..', '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, unknown>; volumes?: string[] }>;
};

describe("compose's temporal service", () => {
  it('reads a dynamic config file, mounted from deploy/, that sets system.forceSearchAttributesCacheRefreshOnRead', () => {
    const temporal = compose.services.temporal;
    const file = String(temporal.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '');
    expect(file).toMatch(/^\/etc\/temporal\/config\/dynamicconfig\/.+\.yaml$/);
    const mount = (temporal.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === file);
    expect(mount).toBeDefined();
    const [source, , mode] = mount!;
    expect(mode).toBe('ro');
    const host = path.join(root, source);
    expect(host.startsWith(path.join(root, 'deploy') + path.sep)).toBe(true);
    expect(existsSync(host)).toBe(true);
    // The server's file format: each key a list of constrained values.
    const values = parse(readFileSync(host, 'utf8')) as Record<string, Array<{ value: unknown; constraints?: unknown }>>;
    expect(values['system.forceSearchAttributesCacheRefreshOnRead']).toEqual([{ value: true }]);
  });
});
