import { initialTemplateValues, templateParameters, type TemplateParameterSpec } from './template-parameters';

/** As GET /v1/templates describes first-order-coupon's and re-engagement's parameters (trimmed to what the form reads). */
const parameters: TemplateParameterSpec[] = [
  { name: 'couponPool', type: 'pool', default: 'welcome-10-off' },
  { name: 'minOrderAmount', type: 'number', default: 0.01 },
  { name: 'dayOfWeek', type: 'integer', default: 1 },
  { name: 'subject', type: 'string', default: 'Hello', minLength: 1 },
  { name: 'suffix', type: 'string', default: '!', minLength: 0 },
  { name: 'loud', type: 'boolean', default: false },
];

describe('templateParameters', () => {
  it('leaves a blank field out, so the API fills in the default, where Number("") sent 0', () => {
    const values = { ...initialTemplateValues(parameters), minOrderAmount: '', dayOfWeek: '   ', couponPool: '' };
    const sent = templateParameters(parameters, values);
    expect(sent).not.toHaveProperty('minOrderAmount');
    expect(sent).not.toHaveProperty('dayOfWeek');
    expect(sent).not.toHaveProperty('couponPool');
    expect(sent).toEqual({ subject: 'Hello', suffix: '!', loud: false });
  });

  it('sends a plain decimal as a number, and anything else as typed for the API to refuse at parameters.<name>', () => {
    const typed = (minOrderAmount: string) => templateParameters(parameters, { minOrderAmount }).minOrderAmount;
    expect(typed('25')).toBe(25);
    expect(typed(' 2.5 ')).toBe(2.5);
    expect(typed('-3')).toBe(-3);
    expect(typed('abc')).toBe('abc');
    // Number() reads these as 31 and 1000: sent as text, they are refused instead of taken as another number.
    expect(typed('0x1F')).toBe('0x1F');
    expect(typed('1e3')).toBe('1e3');
  });

  it('sends a boolean as the checkbox says, and an empty text where the template takes one', () => {
    expect(templateParameters(parameters, { loud: true, suffix: '' })).toEqual({ loud: true, suffix: '' });
    expect(templateParameters(parameters, { subject: '' })).toEqual({});
  });
});

describe('initialTemplateValues', () => {
  it('fills each field with its default: text, or a checkbox state for a boolean', () => {
    expect(initialTemplateValues(parameters)).toEqual({ couponPool: 'welcome-10-off', minOrderAmount: '0.01', dayOfWeek: '1', subject: 'Hello', suffix: '!', loud: false });
  });

  // Review 60 (templates), finding 3: a default JavaScript prints with an exponent (5e-7, 1e+21) was prefilled as such and
  // sent as text, so the API refused the template's own untouched default.
  it('fills a number with a plain decimal, so an untouched form sends the default back as that number', () => {
    const ps: TemplateParameterSpec[] = [
      { name: 'rate', type: 'number', default: 5e-7 },
      { name: 'big', type: 'integer', default: 1e21 },
      { name: 'tiny', type: 'number', default: -1.25e-9 },
    ];
    const values = initialTemplateValues(ps);
    expect(values).toEqual({ rate: '0.0000005', big: '1000000000000000000000', tiny: '-0.00000000125' });
    expect(templateParameters(ps, values)).toEqual({ rate: 5e-7, big: 1e21, tiny: -1.25e-9 });
  });
});
