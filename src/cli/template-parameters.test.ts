import { CliError } from './exit-codes';
import { renderTable } from './table';
import { PARAMETER_COLUMNS, parameterBounds, parameterRows, parametersFromSets, type ParameterView } from './template-parameters';

const specs: ParameterView[] = [
  { name: 'points', type: 'integer', label: 'Points', help: 'Points per birthday.', default: 100, min: 1, max: 100000 },
  { name: 'minOrderAmount', type: 'number', label: 'Minimum', help: 'Smallest order.', default: 0.01, min: 0, max: 1000000 },
  { name: 'remindAfter', type: 'duration', label: 'Remind after', help: 'Wait before the reminder.', default: 'P2D', min: 'PT1M', max: 'P60D' },
  { name: 'notify', type: 'boolean', label: 'Notify', help: 'Send a message.', default: true },
  { name: 'weekday', type: 'choice', label: 'Weekday', help: 'Day of the run.', default: 'MON', options: ['MON', 'TUE'] },
  { name: 'couponPool', type: 'pool', kind: 'coupon', label: 'Pool', help: 'Codes from here.', default: 'welcome-10-off' },
  { name: 'code', type: 'string', label: 'Code', help: 'A code.', default: 'A1', maxLength: 8, pattern: '[A-Z0-9]+' },
];

describe('parametersFromSets', () => {
  it('gives numbers and booleans their JSON type and keeps durations, choices and pools as text', () => {
    expect(parametersFromSets(['points=250', 'minOrderAmount=19.5', 'notify=false', 'remindAfter=P3D', 'weekday=TUE', 'couponPool=vip'], specs)).toEqual({
      points: 250,
      minOrderAmount: 19.5,
      notify: false,
      remindAfter: 'P3D',
      weekday: 'TUE',
      couponPool: 'vip',
    });
  });

  it('sends text it cannot turn into the declared type as it is, so the server names the parameter', () => {
    expect(parametersFromSets(['points=lots', 'notify=yes', 'minOrderAmount='], specs)).toEqual({ points: 'lots', notify: 'yes', minOrderAmount: '' });
  });

  it.each(['0x10', '0b11', '0o7', ' 7', '7 ', '1_000', 'Infinity', '1e400', '1.2.3', '-'])('reads only decimal numbers: %j stays text', (text) => {
    expect(parametersFromSets([`points=${text}`], specs)).toEqual({ points: text });
  });

  it.each([
    ['-1.5', -1.5],
    ['.5', 0.5],
    ['2e3', 2000],
    ['+4', 4],
    ['010', 10],
  ])('reads the decimal number %j', (text, value) => {
    expect(parametersFromSets([`minOrderAmount=${text}`], specs)).toEqual({ minOrderAmount: value });
  });

  it('keeps an unknown name as text (the server refuses it at parameters.<name>) and splits at the first =', () => {
    expect(parametersFromSets(['nope=1', 'code=A=B'], specs)).toEqual({ nope: '1', code: 'A=B' });
  });

  // Review 57 (CLI), finding 2: as --prop, a name given twice is refused rather than the last one quietly kept.
  it('refuses a name given twice as a usage error naming it', () => {
    let thrown: unknown;
    try {
      parametersFromSets(['points=1', 'notify=true', 'points=2'], specs);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect({ message: (thrown as CliError).message, exitCode: (thrown as CliError).exitCode }).toEqual({ message: '--set points: given twice; say it once', exitCode: 2 });
  });

  it.each(['points', '=5', ''])('refuses %j as a usage error', (set) => {
    expect(() => parametersFromSets([set], specs)).toThrow(CliError);
    try {
      parametersFromSets([set], specs);
    } catch (err) {
      expect((err as CliError).exitCode).toBe(2);
    }
  });
});

describe('parameter rows', () => {
  it('describes the bounds of each type', () => {
    expect(specs.map(parameterBounds)).toEqual([
      '1 .. 100000',
      '0 .. 1000000',
      'PT1M .. P60D',
      'true | false',
      'MON | TUE',
      'a coupon pool',
      '1..8 chars, /[A-Z0-9]+/',
    ]);
  });

  it('makes one row per parameter, in order, with its default and help', () => {
    const table = renderTable(PARAMETER_COLUMNS, parameterRows(specs.slice(0, 3)));
    expect(table.split('\n')).toEqual([
      'name            type      default  bounds        help',
      '--------------  --------  -------  ------------  -------------------------',
      'points          integer   100      1 .. 100000   Points per birthday.',
      'minOrderAmount  number    0.01     0 .. 1000000  Smallest order.',
      'remindAfter     duration  P2D      PT1M .. P60D  Wait before the reminder.',
      '',
    ]);
  });
});
