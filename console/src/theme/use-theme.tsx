import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { effectiveScheme, parseChoice, THEME_STORAGE_KEY, toggledChoice, type Scheme, type SchemeChoice } from './theme-model';

const DARK_QUERY = '(prefers-color-scheme: dark)';

interface Theme {
  scheme: Scheme;
  toggle: () => void;
}

const ThemeContext = createContext<Theme>({ scheme: 'light', toggle: () => undefined });
export const useTheme = () => useContext(ThemeContext);

function storedChoice(): SchemeChoice {
  try {
    return parseChoice(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return null; // storage refused (privacy settings): follow the system
  }
}

function storeChoice(choice: SchemeChoice): void {
  try {
    if (choice) localStorage.setItem(THEME_STORAGE_KEY, choice);
    else localStorage.removeItem(THEME_STORAGE_KEY);
  } catch {
    // Not kept past this page; the toggle still works now.
  }
}

/**
 * The scheme for the whole console. styles.css already follows the system
 * (`color-scheme: light dark` with `light-dark()` colours), so the first paint
 * is right without script; `data-theme` on <html> pins a stored choice.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoice] = useState<SchemeChoice>(storedChoice);
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(DARK_QUERY).matches);

  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY);
    const changed = () => setSystemDark(media.matches);
    media.addEventListener('change', changed);
    return () => media.removeEventListener('change', changed);
  }, []);

  useEffect(() => {
    // Another tab toggled: follow it.
    const changed = (e: StorageEvent) => {
      if (e.key === THEME_STORAGE_KEY) setChoice(parseChoice(e.newValue));
    };
    window.addEventListener('storage', changed);
    return () => window.removeEventListener('storage', changed);
  }, []);

  useEffect(() => {
    if (choice) document.documentElement.dataset.theme = choice;
    else delete document.documentElement.dataset.theme;
  }, [choice]);

  const toggle = useCallback(() => {
    const next = toggledChoice(choice, systemDark);
    storeChoice(next);
    setChoice(next);
  }, [choice, systemDark]);

  const theme = useMemo(() => ({ scheme: effectiveScheme(choice, systemDark), toggle }), [choice, systemDark, toggle]);
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}
