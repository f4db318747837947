import { lostPortItPicked } from './dev-server';
import { KeptOutput } from './kept-output';

describe('KeptOutput', () => {
  it('keeps everything a short output printed, in order, across chunks', () => {
    const kept = new KeptOutput(10, 20);
    for (const chunk of ['abc', 'defghij', 'klmnop']) kept.add(chunk);
    expect(kept.text()).toBe('abcdefghijklmnop');
  });

  it('keeps the opening and the end of a long output, marking what it left out', () => {
    const kept = new KeptOutput(5, 5);
    kept.add('01234');
    kept.add('56789ABCDEF');
    expect(kept.text()).toBe('01234\n[…]\nBCDEF');
  });

  it('keeps the cause a Go panic names first, so a port the CLI picked and lost is retried (CI on e56edbc)', () => {
    const kept = new KeptOutput();
    kept.add(
      'panic: could not build arguments for function ...: failed to build *frontend.HTTPAPIServer: ' +
        'received non-nil error from function go.temporal.io/server/service/frontend.HTTPAPIServerProvider: ' +
        'listen tcp 127.0.0.1:41539: bind: address already in use\n\ngoroutine 1 [running]:\n',
    );
    for (let i = 0; i < 400; i++) kept.add(`go.uber.org/dig.paramList.BuildList(...)\n\t/root/go/pkg/mod/go.uber.org/dig@v1.18.1/param.go:${i} +0xad\n`);
    kept.add('main.main()\n');
    const text = kept.text();
    expect(text.length).toBeLessThan(13_000);
    expect(text.endsWith('main.main()\n')).toBe(true);
    expect(lostPortItPicked(text, 7233)).toBe(true);
  });
});
