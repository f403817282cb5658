import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { AgreementInfo, Followup, SessionUser, ShareExplanation, SyncState } from '../api/types';
import { ErrorBox, Field, fieldProps, Loading, Section, ServerText, useAsync } from '../components/common';
import { DataTable } from '../components/DataTable';
import { formatDate, formatNumber, label, t } from '../i18n';
import { href } from '../router';
import { Collections, ReceivedList, ReceivedRecord } from './ExchangeReceived';

/** An agreement in sentences, from its fields (so that French and English read alike). */
function plainWords(a: AgreementInfo): string[] {
  const s = a.share;
  const categories = s.categories.includes('*') ? t('agreement.allcategories') : s.categories.map((c) => label('category', c)).join(', ');
  const lines = [t('agreement.receives', { partner: a.partner, service: a.service, categories, tlp: s.max_tlp })];
  if (s.types.length) lines.push(t('agreement.types', { types: s.types.join(', ') }));
  if (s.min_reliability !== 'F' || s.min_credibility !== 6) lines.push(t('agreement.grades', { r: s.min_reliability, c: s.min_credibility }));
  if (s.require_releasable) lines.push(t('agreement.releasable', { service: a.service }));
  if (s.drop.length) lines.push(t('agreement.drop', { fields: s.drop.join(', ') }));
  if (s.redact.length) lines.push(t('agreement.redact', { fields: s.redact.join(', ') }));
  lines.push(t('agreement.reshare'));
  lines.push(t(a.may_write ? 'agreement.maywrite' : 'agreement.maynotwrite', { partner: a.partner }));
  return lines;
}

function AgreementCard({ agreement }: { agreement: AgreementInfo }) {
  const [detail, setDetail] = useState<AgreementInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const count = async () => {
    setBusy(true);
    setError(null);
    try {
      setDetail(await api.get<AgreementInfo>('/api/v1/exchange/agreements/{partner}', { path: { partner: agreement.partner } }));
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  const c = detail?.counts;
  return (
    <div class="card" data-testid={`agreement-${agreement.partner}`}>
      <h3>
        {agreement.partner} <span class="muted">({agreement.service})</span>
      </h3>
      <ul>
        {plainWords(agreement).map((line) => (
          <li>{line}</li>
        ))}
      </ul>
      {c ? (
        <div data-testid={`agreement-counts-${agreement.partner}`}>
          <p>{t('agreement.counts', { shared: formatNumber(c.shared), held: formatNumber(c.held_back), records: formatNumber(c.records) })}</p>
          {c.held_back_by_reason.length ? (
            <ul>
              {c.held_back_by_reason.map((r) => (
                <li>
                  {formatNumber(r.count)} — <ServerText text={r.reason} code={r.reason_code} params={r.reason_params} />
                </li>
              ))}
            </ul>
          ) : null}
          {c.truncated ? <p class="muted">{t('agreement.truncated', { n: formatNumber(c.records) })}</p> : null}
        </div>
      ) : (
        <button type="button" class="secondary" disabled={busy} onClick={() => void count()}>
          {t('agreement.count')}
        </button>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

function Explain({ partners }: { partners: string[] }) {
  const [id, setId] = useState('');
  const [partner, setPartner] = useState('');
  const [answer, setAnswer] = useState<ShareExplanation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const chosen = partner || partners[0] || '';
  if (!partners.length)
    return (
      <Section title={t('exchange.explain')} id="explain">
        <p class="muted">{t('exchange.explain.nopartner')}</p>
      </Section>
    );
  const ask = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setAnswer(null);
    try {
      setAnswer(await api.get<ShareExplanation>('/api/v1/exchange/explain', { query: { id: id.trim(), partner: chosen } }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title={t('exchange.explain')} id="explain">
      <form class="inline-form" onSubmit={ask}>
        <Field label={t('exchange.explain.id')}>
          <input name="id" class="mono" size={44} required value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} {...fieldProps(error, 'id')} />
        </Field>
        <Field label={t('hnh.partner')}>
          <select name="partner" value={chosen} onChange={(e) => setPartner((e.target as HTMLSelectElement).value)} {...fieldProps(error, 'partner')}>
            {partners.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </Field>
        <button type="submit" class="primary">
          {t('exchange.explain.go')}
        </button>
      </form>
      <ErrorBox error={error} />
      {answer ? (
        <div class="card" role="status" data-testid="explain-answer">
          <p>
            <strong>{t(answer.shared ? 'exchange.explain.shared' : 'exchange.explain.notshared', { id: answer.id, partner: answer.partner })}</strong>
          </p>
          <ul>
            {(answer.shared ? answer.applied : answer.reasons).map((r, i) => {
              const coded = (answer.shared ? answer.applied_coded : answer.reasons_coded)?.[i];
              return (
                <li>
                  <ServerText text={r} code={coded?.code} params={coded?.params} />
                </li>
              );
            })}
          </ul>
          {answer.shared && !answer.applied.length ? <p>{t('exchange.explain.infull')}</p> : null}
        </div>
      ) : null}
    </Section>
  );
}

function Sync() {
  const sync = useAsync(() => api.get<{ items: SyncState[] }>('/api/v1/exchange/sync'), []);
  return (
    <Section title={t('exchange.sync')} id="sync">
      {sync.loading && !sync.data ? <Loading /> : null}
      <ErrorBox error={sync.error} />
      <DataTable
        testId="sync"
        rows={sync.data?.items ?? []}
        empty={t('exchange.noagreements')}
        columns={[
          { id: 'partner', header: t('hnh.partner'), cell: (s) => `${s.partner} (${s.service})`, sortValue: (s) => s.partner },
          { id: 'pulls', header: t('exchange.sync.pulls'), cell: (s) => (s.pulls ? t('exchange.sync.yes') : t('exchange.sync.no')) },
          { id: 'cursor', header: t('exchange.sync.cursor'), cell: (s) => (s.cursor?.added_after ? formatDate(s.cursor.added_after) : t('exchange.sync.never')) },
          { id: 'received', header: t('exchange.sync.received'), cell: (s) => formatNumber(s.cursor?.objects_received ?? 0) },
          { id: 'rejected', header: t('exchange.sync.rejected'), cell: (s) => formatNumber(s.cursor?.rejected ?? 0) },
          { id: 'updated', header: t('exchange.sync.updated'), cell: (s) => formatDate(s.cursor?.updated) },
          {
            id: 'why',
            header: t('exchange.sync.reasons'),
            cell: (s) =>
              s.recent_rejections.length ? (
                <div>
                  <ul>
                    {s.recent_rejections.slice(0, 5).map((r) => (
                      <li>
                        <span class="mono small">{r.object_id}</span>: <ServerText text={r.reason} code={r.reason_code} params={r.reason_params} />
                      </li>
                    ))}
                  </ul>
                  <a href={href(['exchange'], { partner: s.partner, via: 'refused' })} data-testid={`rejections-${s.partner}`}>
                    {t('exchange.sync.allrejections', { partner: s.partner })}
                  </a>
                </div>
              ) : (
                ''
              ),
          },
        ]}
      />
    </Section>
  );
}

export function Exchange({ user, rest, query }: { user: SessionUser; rest: string[]; query: URLSearchParams }) {
  if (rest[0] === 'received' && rest[1]) return <ReceivedRecord id={rest[1]} />;
  return <ExchangeHome user={user} query={query} />;
}

function ExchangeHome({ user, query }: { user: SessionUser; query: URLSearchParams }) {
  const followups = useAsync(() => api.get<{ followups: Followup[] }>('/api/v1/hitnohit/followups'), []);
  const agreements = useAsync(() => api.get<{ items: AgreementInfo[] }>('/api/v1/exchange/agreements'), []);
  const byPartner = new Map<string, Record<string, number>>();
  for (const f of followups.data?.followups ?? []) {
    const c = byPartner.get(f.partner) ?? {};
    c[f.status] = (c[f.status] ?? 0) + 1;
    byPartner.set(f.partner, c);
  }
  const items = agreements.data?.items ?? [];
  return (
    <div>
      <h1>{t('exchange.title')}</h1>
      <p class="muted">{t('exchange.intro', { service: user.service })}</p>
      <Section title={t('exchange.agreements')} id="agreements">
        {agreements.loading && !agreements.data ? <Loading /> : null}
        <ErrorBox error={agreements.error} />
        {agreements.data && !items.length ? <p>{t('exchange.noagreements')}</p> : null}
        <div class="agreements">
          {items.map((a) => (
            <AgreementCard agreement={a} />
          ))}
        </div>
      </Section>
      <Collections />
      <ReceivedList partners={items.map((a) => a.partner)} query={query} />
      <Sync />
      <Explain partners={items.map((a) => a.partner)} />
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
    </div>
  );
}
