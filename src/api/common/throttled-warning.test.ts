import { ThrottledWarning } from './throttled-warning';

describe('ThrottledWarning', () => {
  it('says a lasting trouble once per period, and a new trouble at once after clear()', () => {
    let now = 0;
    const said: string[] = [];
    const warning = new ThrottledWarning(60_000, (text) => said.push(`${now}: ${text}`), () => now);
    warning.say('down');
    now = 59_999;
    warning.say('still down');
    now = 60_000;
    warning.say('down a minute');
    now = 61_000;
    warning.clear();
    now = 62_000;
    warning.say('down again');
    expect(said).toEqual(['0: down', '60000: down a minute', '62000: down again']);
  });
});
