import { afterOlderPage, carry, listedEvents } from './event-pages';

const ev = (id: string, second: number, cancelled = false) => ({ id, receivedAt: `2026-12-04T10:00:${String(second).padStart(2, '0')}.000Z`, cancelled });

describe("the support desk's event list", () => {
  it('keeps an event a new one pushed out of the newest page, once older pages are loaded', () => {
    // Pages of 3: the newest page was e9 e8 e7 when older e6 e5 e4 were loaded (from the cursor after e7).
    const older = [ev('e6', 6), ev('e5', 5), ev('e4', 4)];
    let carried = carry([], [ev('e9', 9), ev('e8', 8), ev('e7', 7)]);
    // e10 arrives: the refreshed newest page is e10 e9 e8, and e7 is in neither page.
    const refreshed = [ev('e10', 10), ev('e9', 9), ev('e8', 8)];
    carried = carry(carried, refreshed);
    expect(listedEvents(refreshed, carried, older).map((e) => e.id)).toEqual(['e10', 'e9', 'e8', 'e7', 'e6', 'e5', 'e4']);
  });

  it('shows the freshest copy of an event (a cancel seen by the refresh), and orders ties of a time by id as the API does', () => {
    const carried = carry([], [ev('b', 5), ev('a', 5)]);
    const listed = listedEvents([ev('b', 5, true)], carried, [ev('a', 5), ev('z', 1)]);
    expect(listed).toEqual([ev('b', 5, true), ev('a', 5), ev('z', 1)]);
  });

  it('lists the newest page alone when nothing older was loaded', () => {
    expect(listedEvents([ev('x', 2), ev('y', 1)], [], []).map((e) => e.id)).toEqual(['x', 'y']);
  });

  it('keeps the event the cursor was after when the newest page refreshed while the older page was on its way', () => {
    // Load older was pressed on N0 = e9 e8 e7 (the cursor after e7); before e6 e5 e4 came, e10 pushed e7 out: N1 = e10 e9 e8.
    const n0 = [ev('e9', 9), ev('e8', 8), ev('e7', 7)];
    const n1 = [ev('e10', 10), ev('e9', 9), ev('e8', 8)];
    const older = [ev('e6', 6), ev('e5', 5), ev('e4', 4)];
    const carried = afterOlderPage([], n0, n1);
    expect(listedEvents(n1, carried, older).map((e) => e.id)).toEqual(['e10', 'e9', 'e8', 'e7', 'e6', 'e5', 'e4']);
    // The freshest copy still wins: a cancel the refresh saw is not undone by the page read before it.
    expect(afterOlderPage([], [ev('e9', 9)], [ev('e9', 9, true)])).toEqual([ev('e9', 9, true)]);
  });

  it('keeps the carried copy of an event over the page read when Load older was pressed, once a refresh pushed it out', () => {
    // A second Load older: e9 was listed uncancelled when it was pressed; a refresh then saw it cancelled (carried), and a
    // later one pushed it out of the newest page (now e10) before the older page came.
    const carried = afterOlderPage([ev('e9', 9, true)], [ev('e9', 9)], [ev('e10', 10)]);
    expect(listedEvents([ev('e10', 10)], carried, [ev('e8', 8)])).toEqual([ev('e10', 10), ev('e9', 9, true), ev('e8', 8)]);
  });
});
