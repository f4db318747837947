/** A JSON object (or any non-array object): what a parsed body, a definition or a file's document is when it is an object at all. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
