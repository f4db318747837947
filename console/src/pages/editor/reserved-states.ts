import { reservedNameProblem } from '../../../../src/domain/compiler/reserved-names';
import { isObject } from '../../../../src/domain/is-object';

/**
 * The first state name in a definition typed as text that the canvas cannot
 * hold (`constructor`, `toString`: its graph code keys on names, where such
 * one reads a built-in member), with why. The JSON and YAML tabs keep such
 * text as text that does not parse, so it never becomes the campaign; saving
 * would refuse it anyway.
 */
export function reservedStateName(value: unknown): { name: string; message: string } | null {
  const states = isObject(value) && isObject(value.states) ? value.states : {};
  for (const name of Object.keys(states)) {
    const problem = reservedNameProblem(name, 'a state name');
    if (problem) return { name, message: `states.${name}: ${problem}` };
  }
  return null;
}
