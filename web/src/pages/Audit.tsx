import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { AuditEntry, AuditVerify, Page } from '../api/types';
import { ErrorBox, Field, fieldProps, Loading, Section, useAsync, useCursorPages } from '../components/common';
import { DataTable, MoreButton } from '../components/DataTable';
import { formatDate, formatNumber, t } from '../i18n';
import { navigate } from '../router';

function detailText(detail: unknown): string {
  if (!detail) return '';
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object')
    return Object.entries(detail as Record<string, unknown>)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
  return String(detail);
}

export function Audit({ query }: { query: URLSearchParams }) {
  const actor = query.get('actor') ?? '';
  const action = query.get('action') ?? '';
  const since = query.get('since') ?? '';
  const [form, setForm] = useState({ actor, action, since: since ? since.slice(0, 16) : '' });
  const verify = useAsync(() => api.get<AuditVerify>('/api/v1/audit/verify'), []);
  const { items, next, error, loading, more } = useCursorPages(
    (cursor) => api.get<Page<AuditEntry>>('/api/v1/audit', { query: { actor, action, since, cursor, limit: 100 } }),
    [actor, action, since],
  );

  const submit = (e: Event) => {
    e.preventDefault();
    const s = form.since ? new Date(form.since).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
    navigate(['audit'], { actor: form.actor.trim(), action: form.action.trim(), since: s });
  };
  const v = verify.data;
  return (
    <div>
      <h1>{t('audit.title')}</h1>
      <Section title={t('audit.chain')} id="chain">
        {verify.loading && !v ? <Loading /> : null}
        <ErrorBox error={verify.error} />
        {v ? (
          <div class={v.ok ? 'verify ok' : 'verify bad'} role="status" data-testid="verify">
            <strong>{v.ok ? t('audit.chain.ok') : t('audit.chain.bad')}</strong>{' '}
            {v.ok
              ? t('audit.chain.okdetail', { n: formatNumber(v.entries), seq: v.head_seq ?? 0 })
              : t('audit.chain.baddetail', { seq: v.first_bad_seq ?? '?', problem: v.problem ?? '' })}
            {v.head_hash ? <div class="mono small">{v.head_hash}</div> : null}
          </div>
        ) : null}
        <button type="button" class="secondary" onClick={verify.reload}>
          {t('audit.verify')}
        </button>
      </Section>
      <Section title={t('audit.trail')} id="trail">
        <form class="inline-form" onSubmit={submit}>
          <Field label={t('audit.actor')}>
            <input name="actor" value={form.actor} onInput={(e) => setForm({ ...form, actor: (e.target as HTMLInputElement).value })} {...fieldProps(error, 'actor')} />
          </Field>
          <Field label={t('audit.action')} hint={t('audit.action.hint')}>
            <input name="action" value={form.action} onInput={(e) => setForm({ ...form, action: (e.target as HTMLInputElement).value })} {...fieldProps(error, 'action')} />
          </Field>
          <Field label={t('audit.since')}>
            <input name="since" type="datetime-local" value={form.since} onInput={(e) => setForm({ ...form, since: (e.target as HTMLInputElement).value })} {...fieldProps(error, 'since')} />
          </Field>
          <button type="submit" class="primary">
            {t('audit.filter')}
          </button>
        </form>
        <ErrorBox error={error} />
        {loading && items.length === 0 ? <Loading /> : null}
        <DataTable
          testId="audit"
          rows={items}
          empty={t('audit.none')}
          columns={[
            { id: 'seq', header: '#', cell: (a) => a.seq, sortValue: (a) => a.seq },
            { id: 'at', header: t('audit.at'), cell: (a) => formatDate(a.at), sortValue: (a) => a.at },
            { id: 'actor', header: t('audit.actor'), cell: (a) => `${a.actor} (${a.role})`, sortValue: (a) => a.actor },
            { id: 'action', header: t('audit.action'), cell: (a) => <span class="mono">{a.action}</span>, sortValue: (a) => a.action },
            { id: 'target', header: t('audit.target'), cell: (a) => <span class="mono small">{a.target}</span> },
            { id: 'outcome', header: t('audit.outcome'), cell: (a) => <span class={'outcome o-' + a.outcome}>{a.outcome}</span> },
            { id: 'detail', header: t('audit.detail'), cell: (a) => <span class="small" dir="auto">{detailText(a.detail)}</span> },
          ]}
        />
        <MoreButton next={next} onMore={more} busy={loading} />
      </Section>
    </div>
  );
}
