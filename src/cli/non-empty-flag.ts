import { InvalidArgumentError } from 'commander';

/**
 * A flag's value that must say something (`--step`, `--key`, `-o`). An empty
 * one, from an unset shell variable (`--step "$STEP"`), would otherwise read
 * as the flag left out: `journeys skip --step ""` would skip whichever step
 * is held, `templates render --key ""` render the template's own key. It is
 * a usage error (exit 2) naming the flag, as an empty argument is.
 */
export const nonEmptyFlag = (value: string): string => {
  if (value.trim() === '') throw new InvalidArgumentError('it must not be empty (an unset shell variable?): give a value, or leave the flag out.');
  return value;
};
