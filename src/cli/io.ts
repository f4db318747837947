import type { Readable } from 'node:stream';

/** Everything the CLI touches outside itself, so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: Readable;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
}
