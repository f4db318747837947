/** What the desk needs of an event to list it in the API's order. */
interface Listed {
  id: string;
  receivedAt: string;
}

/**
 * The events the desk lists: the refreshed newest page, the events it has
 * listed since the desk opened, and the older pages, once each, newest
 * received first (the API's order). The newest page refreshes while older
 * pages stay where their cursor put them, so an event that a new one pushes
 * out of the newest page would otherwise vanish, with its row and whatever
 * support had under way there (a Cancel form, a cancel's answer). The
 * freshest copy of an event wins: the newest page's, then the carried
 * one's, then an older page's.
 */
export function listedEvents<E extends Listed>(newest: readonly E[], carried: readonly E[], older: readonly E[]): E[] {
  const byId = new Map<string, E>();
  for (const e of [...newest, ...carried, ...older]) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => (a.receivedAt === b.receivedAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.receivedAt < b.receivedAt ? 1 : -1));
}

/** The carried events with a newest page added, each by its freshest copy. */
export function carry<E extends Listed>(carried: readonly E[], newest: readonly E[]): E[] {
  const fresh = new Set(newest.map((e) => e.id));
  return [...newest, ...carried.filter((e) => !fresh.has(e.id))];
}

/**
 * The carried events once an older page has come: the newest page as it was
 * when Load older was pressed (the page the cursor came from), then as it is
 * now. A refresh that landed while the older page was on its way may have
 * pushed out an event the cursor was after: it is in neither the newest nor
 * the older page, and only the page it was read from still lists it. From
 * that page only the events not carried yet are added: a carried copy is at
 * least as fresh (the desk carries every refresh), and one a refresh saw
 * cancelled must not come back uncancelled.
 */
export function afterOlderPage<E extends Listed>(carried: readonly E[], newestAtClick: readonly E[], newestNow: readonly E[]): E[] {
  const held = new Set(carried.map((e) => e.id));
  return carry([...carried, ...newestAtClick.filter((e) => !held.has(e.id))], newestNow);
}
