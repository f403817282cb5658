import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { NewToken, OpenSession, SessionUser, UserInfo } from '../api/types';
import { ConfirmDialog, ErrorBox, Field, fieldProps, Loading, Section, useAsync } from '../components/common';
import { DataTable } from '../components/DataTable';
import { formatDate, label, t } from '../i18n';
import { may, ROLES, TLP_ORDER } from '../roles';
import { AdminKeys } from './AdminKeys';

function Sessions({ user }: { user: SessionUser }) {
  const sessions = useAsync(() => api.get<{ items: OpenSession[] }>('/api/v1/sessions'), []);
  const [ending, setEnding] = useState<OpenSession | null>(null);
  const [msg, setMsg] = useState('');
  const [error, setError] = useState<unknown>(null);
  const end = async () => {
    if (!ending) return;
    setError(null);
    try {
      await api.del('/api/v1/sessions/{id}', { path: { id: ending.id } });
      setMsg(t('admin.session.ended', { user: ending.user }));
      sessions.reload();
    } catch (err) {
      setError(err);
    }
    setEnding(null);
  };
  return (
    <Section title={t('admin.sessions')} id="sessions">
      <p class="muted">{t('admin.sessions.intro', { service: user.service })}</p>
      {sessions.loading && !sessions.data ? <Loading /> : null}
      <ErrorBox error={sessions.error ?? error} />
      {msg ? (
        <p role="status" class="notice" data-testid="session-ended">
          {msg}
        </p>
      ) : null}
      <DataTable
        testId="sessions"
        rows={sessions.data?.items ?? []}
        empty={t('admin.sessions.none')}
        columns={[
          { id: 'user', header: t('admin.name'), cell: (s) => <bdi dir="auto">{s.user}</bdi>, sortValue: (s) => s.user },
          { id: 'created', header: t('admin.session.created'), cell: (s) => formatDate(s.created), sortValue: (s) => s.created },
          { id: 'seen', header: t('admin.session.seen'), cell: (s) => formatDate(s.last_seen), sortValue: (s) => s.last_seen },
          { id: 'expires', header: t('admin.session.expires'), cell: (s) => formatDate(s.expires_at) },
          {
            id: 'act',
            header: t('hnh.action'),
            cell: (s) => (
              <button type="button" class="danger" onClick={() => setEnding(s)} aria-label={t('admin.session.end.for', { user: s.user })}>
                {t('admin.session.end')}
              </button>
            ),
          },
        ]}
      />
      <ConfirmDialog
        open={ending !== null}
        title={t('admin.session.end.confirm', { user: ending?.user ?? '' })}
        confirmLabel={t('admin.session.end')}
        onCancel={() => setEnding(null)}
        onConfirm={() => void end()}
      >
        <p>{ending && ending.user === user.name ? t('admin.session.end.self') : t('admin.session.end.text')}</p>
      </ConfirmDialog>
    </Section>
  );
}

/** The signed-in user's own password; a change ends every session, this one too. */
function Password({ onChanged }: { onChanged: () => void }) {
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const change = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post('/api/v1/session/password', { body: { old_password: old, new_password: next } });
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title={t('admin.password')} id="password">
      <p class="muted">{t('admin.password.intro')}</p>
      <form class="inline-form" onSubmit={change}>
        <Field label={t('admin.password.old')}>
          <input name="old_password" type="password" autoComplete="current-password" required value={old} onInput={(e) => setOld((e.target as HTMLInputElement).value)} {...fieldProps(error, 'old_password')} />
        </Field>
        <Field label={t('admin.password.new')} hint={t('admin.password.hint')}>
          <input name="new_password" type="password" autoComplete="new-password" required minLength={12} value={next} onInput={(e) => setNext((e.target as HTMLInputElement).value)} {...fieldProps(error, 'new_password')} />
        </Field>
        <button type="submit" class="primary">
          {t('admin.password.change')}
        </button>
      </form>
      <ErrorBox error={error} />
    </Section>
  );
}

export function Admin({ user, onSignedOut }: { user: SessionUser; onSignedOut?: () => void }) {
  const users = useAsync(() => api.get<{ items: UserInfo[] }>('/api/v1/users'), []);
  const [form, setForm] = useState({ name: '', role: 'analyst', clearance: 'GREEN', service: user.service, expires: '' });
  const [error, setError] = useState<unknown>(null);
  const [token, setToken] = useState<NewToken | null>(null);
  const [revoke, setRevoke] = useState<string | null>(null);
  const [tokenId, setTokenId] = useState('');
  const [tokenMsg, setTokenMsg] = useState('');
  const [tokenErr, setTokenErr] = useState<unknown>(null);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const body: Record<string, string> = { name: form.name.trim(), role: form.role, clearance: form.clearance, service: form.service.trim() };
      if (form.expires.trim()) body.expires = form.expires.trim();
      setToken(await api.post<NewToken>('/api/v1/users', { body }));
      setForm({ ...form, name: '' });
      users.reload();
    } catch (err) {
      setError(err);
    }
  };
  const newToken = async (name: string) => {
    try {
      setToken(await api.post<NewToken>('/api/v1/users/{name}/tokens', { path: { name }, body: {} }));
      users.reload();
    } catch (err) {
      setError(err);
    }
  };
  const doRevoke = async () => {
    if (!revoke) return;
    try {
      await api.del('/api/v1/users/{name}', { path: { name: revoke } });
      setRevoke(null);
      users.reload();
    } catch (err) {
      setError(err);
      setRevoke(null);
    }
  };
  const revokeToken = async (e: Event) => {
    e.preventDefault();
    setTokenErr(null);
    setTokenMsg('');
    try {
      await api.del('/api/v1/tokens/{token_id}', { path: { token_id: tokenId.trim() } });
      setTokenMsg(t('admin.token.revoked', { id: tokenId.trim() }));
      setTokenId('');
      users.reload();
    } catch (err) {
      setTokenErr(err);
    }
  };
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  return (
    <div>
      <h1>{t('admin.title')}</h1>
      <Section title={t('admin.users')} id="users">
        {users.loading && !users.data ? <Loading /> : null}
        <ErrorBox error={users.error} />
        <DataTable
          testId="users"
          rows={users.data?.items ?? []}
          columns={[
            { id: 'name', header: t('admin.name'), cell: (u) => <bdi dir="auto">{u.name}</bdi>, sortValue: (u) => u.name },
            { id: 'role', header: t('admin.role'), cell: (u) => label('role', u.role), sortValue: (u) => u.role },
            { id: 'clearance', header: t('admin.clearance'), cell: (u) => u.clearance, sortValue: (u) => TLP_ORDER.indexOf(u.clearance) },
            { id: 'service', header: t('admin.service'), cell: (u) => u.service },
            { id: 'created', header: t('admin.created'), cell: (u) => formatDate(u.created) },
            { id: 'tokens', header: t('admin.tokens'), cell: (u) => u.active_tokens ?? 0 },
            { id: 'state', header: t('admin.state'), cell: (u) => (u.revoked ? t('admin.revoked', { when: formatDate(u.revoked) }) : t('admin.active')) },
            {
              id: 'act',
              header: t('hnh.action'),
              cell: (u) =>
                u.revoked ? null : (
                  <span class="actions">
                    <button type="button" class="secondary" onClick={() => void newToken(u.name)} aria-label={t('admin.newtoken.for', { name: u.name })}>
                      {t('admin.newtoken')}
                    </button>
                    {u.name !== user.name ? (
                      <button type="button" class="danger" onClick={() => setRevoke(u.name)} aria-label={t('admin.revoke.for', { name: u.name })}>
                        {t('admin.revoke')}
                      </button>
                    ) : null}
                  </span>
                ),
            },
          ]}
        />
      </Section>
      {token ? (
        <div class="card notice" role="status" data-testid="new-token">
          <p>{t('admin.token.once', { user: token.user, id: token.token_id })}</p>
          <code class="mono token">{token.token}</code>
          <button type="button" class="secondary" onClick={() => setToken(null)}>
            {t('admin.token.hide')}
          </button>
        </div>
      ) : null}
      <Section title={t('admin.add')} id="add">
        <form class="inline-form" onSubmit={create}>
          <Field label={t('admin.name')}>
            <input name="name" required value={form.name} onInput={set('name')} {...fieldProps(error, 'name')} />
          </Field>
          <Field label={t('admin.role')}>
            <select name="role" value={form.role} onChange={set('role')} {...fieldProps(error, 'role')}>
              {ROLES.map((r) => (
                <option value={r}>{label('role', r)}</option>
              ))}
            </select>
          </Field>
          <Field label={t('admin.clearance')}>
            <select name="clearance" value={form.clearance} onChange={set('clearance')} {...fieldProps(error, 'clearance')}>
              {TLP_ORDER.map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label={t('admin.service')}>
            <input name="service" value={form.service} onInput={set('service')} {...fieldProps(error, 'service')} />
          </Field>
          <Field label={t('admin.expires')} hint={t('admin.expires.hint')}>
            <input name="expires" size={8} value={form.expires} onInput={set('expires')} {...fieldProps(error, 'expires')} />
          </Field>
          <button type="submit" class="primary">
            {t('admin.create')}
          </button>
        </form>
        <p class="muted">{t('admin.password.cli')}</p>
        <ErrorBox error={error} />
      </Section>
      <Section title={t('admin.token.revoke')} id="tokens">
        <form class="inline-form" onSubmit={revokeToken}>
          <Field label={t('admin.token.id')}>
            <input name="token_id" class="mono" required value={tokenId} onInput={(e) => setTokenId((e.target as HTMLInputElement).value)} {...fieldProps(tokenErr, 'token_id')} />
          </Field>
          <button type="submit" class="danger">
            {t('admin.token.revoke')}
          </button>
        </form>
        {tokenMsg ? <p role="status">{tokenMsg}</p> : null}
        <ErrorBox error={tokenErr} />
      </Section>
      <Sessions user={user} />
      {may(user.role, 'partners.manage') ? <AdminKeys /> : null}
      <Password onChanged={() => (onSignedOut ? onSignedOut() : window.location.reload())} />
      <ConfirmDialog
        open={revoke !== null}
        title={t('admin.revoke.confirm', { name: revoke ?? '' })}
        confirmLabel={t('admin.revoke')}
        onCancel={() => setRevoke(null)}
        onConfirm={() => void doRevoke()}
      >
        <p>{t('admin.revoke.text')}</p>
      </ConfirmDialog>
    </div>
  );
}
