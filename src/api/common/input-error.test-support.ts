import { InputError } from './errors';

/** The sorted paths of the InputError `f` throws (a test fails when it throws none, or something else). */
export async function inputErrorPaths(f: () => unknown): Promise<string[]> {
  try {
    await f();
  } catch (err) {
    if (err instanceof InputError) return err.details.map((d) => d.path).sort();
    throw err;
  }
  throw new Error('no InputError');
}
