import { InvalidArgumentError } from 'commander';

/** The largest version PostgreSQL's int column (and the API) takes. */
const MAX_VERSION = 2_147_483_647;

const isVersionNumber = (v: string): boolean => /^[1-9]\d{0,9}$/.test(v) && Number(v) <= MAX_VERSION;

/** `--version <n>`: a campaign version number; anything else is a usage error (exit 2) that names the flag and the value. */
export const versionFlag = (v: string): string => {
  if (!isVersionNumber(v)) throw new InvalidArgumentError('not a campaign version number (1, 2, ...).');
  return v;
};

/** `--version <n|latest>`: a version number, or `latest`. */
export const versionOrLatestFlag = (v: string): string => {
  if (v !== 'latest' && !isVersionNumber(v)) throw new InvalidArgumentError('not a campaign version number (1, 2, ...) nor latest.');
  return v;
};
