/**
 * Light or dark: the console follows the system's `prefers-color-scheme`
 * until someone toggles; the toggle's choice is kept in localStorage. A
 * choice equal to what the system prefers is dropped, so the console follows
 * the system again (and follows it when it changes, e.g. at dusk).
 */
export type Scheme = 'light' | 'dark';

/** An explicit choice, or null: follow the system. */
export type SchemeChoice = Scheme | null;

export const THEME_STORAGE_KEY = 'kairos.theme';

/** What localStorage holds; anything else (absent, edited by hand, an old format) means "follow the system". */
export function parseChoice(stored: string | null): SchemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : null;
}

export function effectiveScheme(choice: SchemeChoice, systemDark: boolean): Scheme {
  return choice ?? (systemDark ? 'dark' : 'light');
}

/** The choice after one click: the other scheme, or null when that is what the system prefers anyway. */
export function toggledChoice(choice: SchemeChoice, systemDark: boolean): SchemeChoice {
  const next: Scheme = effectiveScheme(choice, systemDark) === 'dark' ? 'light' : 'dark';
  return next === effectiveScheme(null, systemDark) ? null : next;
}
