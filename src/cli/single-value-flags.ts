import type { Command, Option } from 'commander';
import { ExitCode } from './exit-codes';

/**
 * The parser of a flag that may be repeated: each occurrence is kept, in
 * order (`--prop a=1 --prop b=2`, `--codes-file a.txt --codes-file b.txt`).
 * Giving it to `.option()` is also what marks the flag as repeatable for
 * refuseRepeatedFlags.
 */
export const collectFlag = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** A flag that takes one value: not a switch (`--activate`), not variadic, not collecting. */
function takesOneValue(option: Option): boolean {
  return (option.required || option.optional) && !option.variadic && (option.parseArg as unknown) !== collectFlag;
}

/**
 * Makes every single-value flag of `command` and its subcommands a usage
 * error (exit 2) when given twice. Commander keeps the last one without a
 * word: `--codes-file a.txt --codes-file b.txt` sent b's codes only, and
 * `--id x --id y` topped up under y. Each occurrence emits `option:<name>`
 * on the command that owns the flag (a new program each run, so the counts
 * start at zero).
 */
export function refuseRepeatedFlags(command: Command): void {
  for (const option of command.options) {
    if (!takesOneValue(option)) continue;
    let given = 0;
    command.on(`option:${option.name()}`, () => {
      if (++given < 2) return;
      command.error(`error: option '${option.flags}' given twice: it takes one value, and the last would quietly replace the first; give it once`, {
        exitCode: ExitCode.usage,
        code: 'kairos.repeatedOption',
      });
    });
  }
  command.commands.forEach(refuseRepeatedFlags);
}
