import { ThrottledWarning } from './throttled-warning';

describe('ThrottledWarning', () => {
  it('says a lasting trouble once per period, and a new trouble at once after clear()', () => {
    let now = 0;
    const said: string[] = [];
    const warning = new ThrottledWarning(60_000, (text) => said.push(`${now}: ${text}`), { now: () => now });
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

  it('with perText, says another reason at once, and each of two that alternate once per period (mq probe: two lines every 5 s)', () => {
    let now = 0;
    const said: string[] = [];
    const warning = new ThrottledWarning(60_000, (text) => said.push(`${now}: ${text}`), { perText: true, now: () => now });
    for (let at = 0; at <= 65_000; at += 5_000) {
      now = at;
      warning.say('cannot consume (NOT_FOUND)');
      warning.say('channel error (NOT_FOUND)');
    }
    now = 66_000;
    warning.say('cannot consume (ACCESS_REFUSED)');
    expect(said).toEqual([
      '0: cannot consume (NOT_FOUND)',
      '0: channel error (NOT_FOUND)',
      '60000: cannot consume (NOT_FOUND)',
      '60000: channel error (NOT_FOUND)',
      '66000: cannot consume (ACCESS_REFUSED)',
    ]);
  });
});
