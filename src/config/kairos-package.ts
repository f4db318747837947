import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface PackageJson {
  name?: string;
  version?: string;
}

function readPackage(file: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

/**
 * The folder of Kairos's own package.json above this file: the checkout
 * (src/config under ts tests, dist/src/config when built) or the image's
 * /app. The working directory when none is found.
 */
export function kairosPackageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && readPackage(file)?.name === 'kairos') return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Kairos's version, as its package.json gives it ("unknown" when that cannot be read). */
export function kairosVersion(): string {
  return readPackage(path.join(kairosPackageRoot(), 'package.json'))?.version ?? 'unknown';
}
