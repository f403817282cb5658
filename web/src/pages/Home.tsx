import type { SessionUser } from '../api/types';
import { label, t } from '../i18n';
import { may, type Permission } from '../roles';
import { href } from '../router';

const CARDS: { key: string; path: string; permission: Permission }[] = [
  { key: 'search', path: 'search', permission: 'match' },
  { key: 'graph', path: 'graph', permission: 'records.read' },
  { key: 'screening', path: 'screening', permission: 'screen.run' },
  { key: 'exchange', path: 'exchange', permission: 'exchange' },
  { key: 'hitnohit', path: 'hitnohit', permission: 'exchange' },
  { key: 'audit', path: 'audit', permission: 'audit.read' },
  { key: 'admin', path: 'admin', permission: 'users.manage' },
];

export function Home({ user }: { user: SessionUser }) {
  const cards = CARDS.filter((c) => may(user.role, c.permission));
  return (
    <div>
      <h1>{t('home.title', { name: user.name })}</h1>
      <p class="muted">
        {t('home.role', { role: label('role', user.role), service: user.service, clearance: user.clearance })}
      </p>
      <ul class="cards">
        {cards.map((c) => (
          <li class="card">
            <h2>
              <a href={href([c.path])}>{t('nav.' + c.key)}</a>
            </h2>
            <p>{t('home.card.' + c.key)}</p>
          </li>
        ))}
      </ul>
      {cards.length === 0 ? <p>{t('home.nothing')}</p> : null}
    </div>
  );
}
