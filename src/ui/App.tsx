import { useEffect, useRef, useState, type ComponentType, type KeyboardEvent } from 'react';
import { AppStateProvider } from './state/AppState.tsx';
import { applyTheme, storedTheme, storeTheme, systemTheme, type Theme } from './theme.ts';
import { ClassifyView } from './classify/ClassifyView.tsx';
import { TrainView } from './train/TrainView.tsx';
import { ExploreView } from './explore/ExploreView.tsx';
import { ModelsView } from './models/ModelsView.tsx';
import { JobsIndicator } from './JobsIndicator.tsx';

/** Every view gets `active`: whether it is the one on screen (page-wide drops go to the active view only). */
type ViewComponent = ComponentType<{ active?: boolean }>;

const VIEWS: readonly { id: string; label: string; View: ViewComponent }[] = [
  { id: 'classify', label: 'Classify', View: ClassifyView },
  { id: 'train', label: 'Train', View: TrainView },
  { id: 'explore', label: 'Explore', View: ExploreView },
  { id: 'models', label: 'Models', View: ModelsView },
] as const;
type ViewId = string;

function viewFromHash(): ViewId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return VIEWS.find((v) => v.id === id)?.id ?? 'classify';
}

export function App() {
  return (
    <AppStateProvider>
      <Shell />
    </AppStateProvider>
  );
}

function Shell() {
  const [active, setActive] = useState<ViewId>(viewFromHash);
  // Views stay mounted once visited so that work in progress (a batch, a training run) survives switching tabs.
  const [visited, setVisited] = useState<Set<ViewId>>(() => new Set([viewFromHash()]));
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  useEffect(() => {
    const onHash = () => select(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  function select(id: ViewId) {
    setActive(id);
    setVisited((v) => (v.has(id) ? v : new Set(v).add(id)));
    if (viewFromHash() !== id) history.replaceState(null, '', `#${id}`);
  }

  // WAI-ARIA tabs: arrow keys, Home and End move between tabs; the moved-to tab is selected.
  function onTabKey(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const keys: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: VIEWS.length - 1 };
    if (!(e.key in keys)) return;
    e.preventDefault();
    const next = VIEWS[(keys[e.key] + VIEWS.length) % VIEWS.length];
    select(next.id);
    tabRefs.current[next.id]?.focus();
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main-panel">
        Skip to content
      </a>
      <header className="app-header">
        <h1 className="app-title">
          muzo <span className="app-tagline">music genres, in your browser</span>
        </h1>
        <JobsIndicator />
        <ThemeToggle />
        <nav aria-label="Views" className="app-nav">
          <div role="tablist" aria-label="Views" className="tabs">
            {VIEWS.map((v, i) => (
              <button
                key={v.id}
                ref={(el) => {
                  tabRefs.current[v.id] = el;
                }}
                role="tab"
                id={`tab-${v.id}`}
                aria-selected={active === v.id}
                aria-controls={`panel-${v.id}`}
                tabIndex={active === v.id ? 0 : -1}
                className="tab"
                onClick={() => select(v.id)}
                onKeyDown={(e) => onTabKey(e, i)}
              >
                {v.label}
              </button>
            ))}
          </div>
        </nav>
      </header>
      <main id="main-panel" className="app-main" tabIndex={-1}>
        {VIEWS.map(({ id, View }) =>
          visited.has(id) ? (
            <section
              key={id}
              role="tabpanel"
              id={`panel-${id}`}
              aria-labelledby={`tab-${id}`}
              hidden={active !== id}
              className="panel"
            >
              <View active={active === id} />
            </section>
          ) : null,
        )}
      </main>
    </div>
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    // Follow the system setting until the user has chosen.
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    const onChange = () => {
      if (storedTheme() === null) setTheme(systemTheme());
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-label="Dark theme"
      aria-pressed={theme === 'dark'}
      title={`Switch to ${next} theme`}
      onClick={() => {
        storeTheme(next);
        setTheme(next);
      }}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}
