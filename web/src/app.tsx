import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { getSession, signOut, subscribe, type SessionState } from './session';
import { useRoute, href } from './router';
import { label, LOCALES, setLocale, t, useLocale, type Locale } from './i18n';
import { may, type Permission } from './roles';
import type { SessionUser } from './api/types';
import { SignIn } from './pages/SignIn';
import { Home } from './pages/Home';
import { Search } from './pages/Search';
import { EntityPage } from './pages/Entity';
import { Screening } from './pages/Screening';
import { Exchange } from './pages/Exchange';
import { HitNoHit } from './pages/HitNoHit';
import { Audit } from './pages/Audit';
import { Admin } from './pages/Admin';
import { Loading } from './components/common';

// Cytoscape is the largest dependency: loaded only when the graph page opens.
const GraphPage = lazy(() => import('./pages/Graph').then((m) => ({ default: m.GraphPage })));

interface NavItem {
  key: string;
  path: string;
  permission: Permission;
}
const NAV: NavItem[] = [
  { key: 'search', path: 'search', permission: 'match' },
  { key: 'graph', path: 'graph', permission: 'records.read' },
  { key: 'screening', path: 'screening', permission: 'screen.run' },
  { key: 'exchange', path: 'exchange', permission: 'exchange' },
  { key: 'hitnohit', path: 'hitnohit', permission: 'exchange' },
  { key: 'audit', path: 'audit', permission: 'audit.read' },
  { key: 'admin', path: 'admin', permission: 'users.manage' },
];

export function App() {
  const [session, setSession] = useState<SessionState>(getSession());
  useLocale();
  useEffect(() => subscribe(setSession), []);
  if (session.kind === 'loading') return <Loading />;
  if (session.kind === 'signed-out') return <SignIn reason={session.reason} />;
  return <Shell user={session.session.user} />;
}

function LanguageSwitch() {
  const locale = useLocale();
  return (
    <label class="lang">
      <span class="sr-only">{t('app.language')}</span>
      <select
        value={locale}
        onChange={(e) => setLocale((e.target as HTMLSelectElement).value as Locale)}
        aria-label={t('app.language')}
      >
        {LOCALES.map((l) => (
          <option value={l} lang={l}>
            {label('locale', l)}
          </option>
        ))}
      </select>
    </label>
  );
}
export { LanguageSwitch };

function Shell({ user }: { user: SessionUser }) {
  const route = useRoute();
  const top = route.parts[0] ?? '';
  useEffect(() => {
    const page = NAV.find((n) => n.path === top);
    document.title = (page ? t('nav.' + page.key) + ' · ' : '') + 'entente';
  }, [top]);
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skip')}
      </a>
      <header class="top">
        <a class="brand" href={href([])}>
          entente
        </a>
        <nav aria-label={t('app.nav')}>
          <ul>
            {NAV.filter((n) => may(user.role, n.permission)).map((n) => (
              <li>
                <a href={href([n.path])} aria-current={top === n.path ? 'page' : undefined} data-nav={n.key}>
                  {t('nav.' + n.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span data-testid="who">
            <bdi dir="auto">{user.name}</bdi> · {label('role', user.role)} · {user.service} ·{' '}
            <span class={'tlp tlp-' + user.clearance.toLowerCase().replace('+', '-')}>{user.clearance}</span>
          </span>
          <LanguageSwitch />
          <button type="button" class="secondary" onClick={() => void signOut()}>
            {t('app.signout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page user={user} />
      </main>
    </div>
  );
}

function Forbidden() {
  return (
    <div class="card" role="alert">
      <h1>{t('app.forbidden.title')}</h1>
      <p>{t('app.forbidden.text')}</p>
    </div>
  );
}

function Page({ user }: { user: SessionUser }) {
  const route = useRoute();
  const [top, ...rest] = route.parts;
  const gate = (p: Permission, node: preact.VNode) => (may(user.role, p) ? node : <Forbidden />);
  switch (top ?? '') {
    case '':
      return <Home user={user} />;
    case 'search':
      return gate('match', <Search user={user} query={route.query} />);
    case 'entity':
      return gate('records.read', <EntityPage user={user} id={rest[0] ?? ''} />);
    case 'graph':
      return gate(
        'records.read',
        <Suspense fallback={<Loading />}>
          <GraphPage user={user} seed={rest[0]} query={route.query} />
        </Suspense>,
      );
    case 'screening':
      return gate('screen.run', <Screening user={user} rest={rest} query={route.query} />);
    case 'exchange':
      return gate('exchange', <Exchange user={user} rest={rest} query={route.query} />);
    case 'hitnohit':
      return gate('exchange', <HitNoHit user={user} query={route.query} />);
    case 'audit':
      return gate('audit.read', <Audit query={route.query} />);
    case 'admin':
      return gate('users.manage', <Admin user={user} />);
    default:
      return (
        <div class="card">
          <h1>{t('app.notfound')}</h1>
        </div>
      );
  }
}
