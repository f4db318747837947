import { InvalidArgumentError } from 'commander';

/** `--version <n>`: a campaign version number; anything else is a usage error (exit 2) that names the flag and the value. */
export const versionFlag = (v: string): string => {
  if (!/^[1-9]\d{0,8}$/.test(v)) throw new InvalidArgumentError('not a campaign version number (1, 2, ...).');
  return v;
};
