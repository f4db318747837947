import { lostPortItPicked } from './dev-server';

describe('lostPortItPicked', () => {
  const bindError = (port: number) =>
    `level=ERROR msg="failed starting server: ... failed listening for HTTP API on 127.0.0.1:${port}: listen tcp 127.0.0.1:${port}: bind: address already in use"`;

  it('is a port the CLI picked for itself that another process took first: worth another start', () => {
    expect(lostPortItPicked(bindError(42085), 7233)).toBe(true);
  });

  it('is not Kairos’s own port being taken, nor any other failure', () => {
    expect(lostPortItPicked(bindError(7233), 7233)).toBe(false);
    expect(lostPortItPicked(`${bindError(42085)}\n${bindError(7233)}`, 7233)).toBe(false);
    expect(lostPortItPicked('level=ERROR msg="unable to open database file"', 7233)).toBe(false);
  });

  it('is not the UI port (TEMPORAL_UI_PORT) being taken: Kairos set it, another start would not free it (review-55, finding 4)', () => {
    const uiTaken = "Error: can't set UI port 8233: listen tcp 127.0.0.1:8233: bind: address already in use";
    expect(lostPortItPicked(uiTaken, 7300, 8233)).toBe(false);
    expect(lostPortItPicked(`${bindError(42085)}\n${uiTaken}`, 7300, 8233)).toBe(false);
    expect(lostPortItPicked(bindError(42085), 7300, 8233)).toBe(true);
  });
});
