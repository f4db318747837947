/**
 * The `parameters` of a template render request, from what the template
 * form holds. Pure, unit-tested. A blank field is left out, so the API fills
 * in the parameter's default (its answer says the values it used): a cleared
 * "Minimum order amount" is the template's 0.01, not 0, which the API would
 * take where the bounds allow it. A number field sends a plain decimal as a
 * number and anything else as typed, so the API refuses it at
 * `parameters.<name>`, where `Number('0x1F')` would quietly have sent 31.
 */
import { plainDecimal } from '../../../../src/domain/plain-decimal';

/** What the form needs of a parameter as GET /v1/templates describes it. */
export interface TemplateParameterSpec {
  name: string;
  type: string;
  default: string | number | boolean;
  /** String parameters: 0 when an empty text is a value the template takes. */
  minLength?: number;
}

/** A field's content: the text typed, or a checkbox's state (boolean parameters). */
export type TemplateFormValue = string | boolean;

export type TemplateParameterValue = string | number | boolean;

/** Digits, with a sign and a fraction: what a person types as a number. */
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * What each field shows when the form opens: the defaults, a boolean's as a
 * checkbox's state, a number's as a plain decimal (`0.0000005`, not `5e-7`,
 * which the form would send as text for the API to refuse).
 */
export function initialTemplateValues(parameters: readonly TemplateParameterSpec[]): Record<string, TemplateFormValue> {
  return Object.fromEntries(parameters.map((p) => [p.name, typeof p.default === 'boolean' ? p.default : typeof p.default === 'number' ? plainDecimal(p.default) : p.default]));
}

/** The values to send: blank fields left out (the API's default), numbers as numbers when they read as one, the rest as typed. */
export function templateParameters(parameters: readonly TemplateParameterSpec[], values: Readonly<Record<string, TemplateFormValue | undefined>>): Record<string, TemplateParameterValue> {
  const out: Record<string, TemplateParameterValue> = {};
  for (const p of parameters) {
    const value = values[p.name];
    if (value === undefined) continue;
    if (typeof value === 'boolean') {
      out[p.name] = value;
      continue;
    }
    const emptyIsAValue = p.type === 'string' && p.minLength === 0;
    if (value.trim() === '' && !emptyIsAValue) continue;
    out[p.name] = p.type === 'integer' || p.type === 'number' ? numberOrText(value) : value;
  }
  return out;
}

const numberOrText = (text: string): number | string => (PLAIN_DECIMAL.test(text.trim()) ? Number(text.trim()) : text);
