import { api } from '../api/client';
import type { Followup, SessionUser } from '../api/types';
import { ErrorBox, Loading, Section, useAsync } from '../components/common';
import { DataTable } from '../components/DataTable';
import { label, t } from '../i18n';
import { href } from '../router';

export function Exchange({ user }: { user: SessionUser }) {
  const followups = useAsync(() => api.get<{ followups: Followup[] }>('/api/v1/hitnohit/followups'), []);
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
      <Section title={t('exchange.agreements')} id="agreements">
        <p>{t('exchange.agreements.missing')}</p>
        <pre class="mono">
          entente --service {user.service} share agreements{'\n'}entente --service {user.service} share explain ID PARTNER{"\n"}entente taxii collections{"\n"}entente sync PARTNER
        </pre>
      </Section>
    </div>
  );
}
