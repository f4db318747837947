/**
 * The CLI's exit codes (docs/cli.md lists them for CI scripts):
 * 0 done; 1 Kairos (or the validator) said no: invalid campaign, not found,
 * conflict; 2 the command line or the configuration is wrong; 3 Kairos could
 * not be reached, refused the key, or failed (any 5xx); 4 `campaigns
 * diff --exit-code`: apply would change something (create the campaign, or
 * add a version).
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  differences: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI reports in one line and turns into its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
