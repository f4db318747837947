import { useTheme } from './use-theme';

/** One button: pressed when the console is dark. */
export function ThemeToggle() {
  const { scheme, toggle } = useTheme();
  return (
    <button type="button" className="theme-toggle" aria-pressed={scheme === 'dark'} onClick={toggle} title="Switch between light and dark (kept in this browser)">
      Dark mode
    </button>
  );
}
