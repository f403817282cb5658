import { api } from '../api/client';
import type { Followup, SessionUser } from '../api/types';
import { ErrorBox, Loading, Section, useAsync } from '../components/common';
import { DataTable } from '../components/DataTable';
import { label, t } from '../i18n';
import { href } from '../router';

interface Collection {
  id: string;
  title: string;
  description?: string;
  can_read: boolean;
  can_write: boolean;
}

export function Exchange({ user }: { user: SessionUser }) {
  const followups = useAsync(() => api.get<{ followups: Followup[] }>('/api/v1/hitnohit/followups'), []);
  const collections = useAsync(
    () => api.get<{ collections?: Collection[] }>('/taxii2/entente/collections', { accept: 'application/taxii+json;version=2.1' }),
    [],
  );
  const byPartner = new Map<string, Record<string, number>>();
  for (const f of followups.data?.followups ?? []) {
    const c = byPartner.get(f.partner) ?? {};
    c[f.status] = (c[f.status] ?? 0) + 1;
    byPartner.set(f.partner, c);
  }
  return (
    <div>
      <h1>{t('exchange.title')}</h1>
      <p class="muted">{t('exchange.intro', { service: user.service })}</p>
      <Section title={t('exchange.partners')} id="partners">
        {followups.loading && !followups.data ? <Loading /> : null}
        <ErrorBox error={followups.error} />
        <DataTable
          testId="partners"
          rows={[...byPartner.entries()]}
          empty={t('exchange.nopartners')}
          columns={[
            { id: 'partner', header: t('hnh.partner'), cell: ([p]) => p, sortValue: ([p]) => p },
            {
              id: 'requests',
              header: t('exchange.followups'),
              cell: ([, c]) =>
                Object.entries(c)
                  .map(([s, n]) => `${label('fustatus', s)}: ${n}`)
                  .join(' · '),
            },
            { id: 'open', header: '', cell: ([p]) => <a href={href(['hitnohit'], { partner: p, status: 'all' })}>{t('exchange.seerequests')}</a> },
          ]}
        />
      </Section>
      <Section title={t('exchange.collections')} id="collections">
        {collections.loading && !collections.data ? <Loading /> : null}
        <ErrorBox error={collections.error} />
        {collections.data ? (
          <DataTable
            testId="collections"
            rows={collections.data.collections ?? []}
            empty={t('exchange.nocollections')}
            columns={[
              { id: 'title', header: t('exchange.collection'), cell: (c) => c.title },
              { id: 'desc', header: t('exchange.description'), cell: (c) => c.description ?? '' },
              { id: 'rw', header: t('exchange.access'), cell: (c) => [c.can_read ? t('exchange.read') : '', c.can_write ? t('exchange.write') : ''].filter(Boolean).join(', ') },
              { id: 'id', header: 'id', cell: (c) => <span class="mono">{c.id}</span> },
            ]}
          />
        ) : null}
      </Section>
      <Section title={t('exchange.agreements')} id="agreements">
        <p>{t('exchange.agreements.missing')}</p>
        <pre class="mono">
          entente --service {user.service} share agreements{'\n'}entente --service {user.service} share explain ID PARTNER
        </pre>
      </Section>
    </div>
  );
}
