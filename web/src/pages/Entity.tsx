import { api, ApiError } from '../api/client';
import type { EntityRecord, GraphAnswer, History, RiskAnswer, SessionUser } from '../api/types';
import { ErrorBox, FactorBars, Grades, Loading, NameText, primaryName, Section, TlpBadge, useAsync } from '../components/common';
import { DataTable } from '../components/DataTable';
import { formatDate, formatNumber, label, t } from '../i18n';
import { href } from '../router';

export function EntityPage({ id }: { user: SessionUser; id: string }) {
  const entity = useAsync(() => api.get<EntityRecord>('/api/v1/entities/{id}', { path: { id } }), [id]);
  if (entity.loading && !entity.data) return <Loading />;
  if (entity.error) {
    const nf = entity.error instanceof ApiError && entity.error.status === 404;
    return (
      <div class="card" data-testid="entity-missing">
        <h1>{nf ? t('entity.notfound') : t('entity.title')}</h1>
        {nf ? <p>{t('entity.notfound.text')}</p> : <ErrorBox error={entity.error} />}
      </div>
    );
  }
  const e = entity.data!;
  const primary = primaryName(e.names);
  const personLike = e.type === 'person' || e.type === 'organization';
  return (
    <div class="entity">
      <header class="entity-head">
        <h1>
          <NameText name={primary} fallback={e.id} />
        </h1>
        <div class="badges">
          <span class="type">{label('type', e.type)}</span>
          <TlpBadge tlp={e.marking?.tlp} />
          <Grades reliability={e.reliability} credibility={e.credibility} />
          {e.category ? <span class={'category cat-' + e.category}>{label('category', e.category)}</span> : null}
          {e.revoked ? <span class="revoked">{t('entity.revoked')}</span> : null}
        </div>
        <p class="muted mono">{e.id} · v{e.version}</p>
        <p>
          <a class="button secondary" href={href(['graph', e.id])}>
            {t('entity.opengraph')}
          </a>
        </p>
      </header>
      <div class="grid2">
        <Section title={t('entity.names')} id="names">
          <DataTable
            testId="names"
            rows={e.names ?? []}
            columns={[
              { id: 'full', header: t('entity.name'), cell: (n) => <NameText name={n} /> },
              { id: 'kind', header: t('entity.kind'), cell: (n) => label('namekind', n.kind) },
              { id: 'script', header: t('entity.script'), cell: (n) => label('script', n.script) },
            ]}
          />
        </Section>
        <Section title={t('entity.identity')} id="identity">
          <dl class="facts">
            {e.birth_dates?.length ? (
              <>
                <dt>{t('entity.birth_dates')}</dt>
                <dd>{e.birth_dates.map((d) => formatDate(d, false)).join(', ')}</dd>
              </>
            ) : null}
            {e.birth_places?.length ? (
              <>
                <dt>{t('entity.birth_places')}</dt>
                <dd><bdi>{e.birth_places.join(', ')}</bdi></dd>
              </>
            ) : null}
            {e.nationalities?.length ? (
              <>
                <dt>{t('entity.nationalities')}</dt>
                <dd>{e.nationalities.map(countryName).join(', ')}</dd>
              </>
            ) : null}
            {e.gender ? (
              <>
                <dt>{t('entity.gender')}</dt>
                <dd>{label('gender', e.gender)}</dd>
              </>
            ) : null}
            {e.description ? (
              <>
                <dt>{t('entity.description')}</dt>
                <dd><bdi>{e.description}</bdi></dd>
              </>
            ) : null}
            {e.marking?.releasable_to?.length ? (
              <>
                <dt>{t('entity.releasable')}</dt>
                <dd>{e.marking.releasable_to.join(', ')}</dd>
              </>
            ) : null}
            {e.last_seen ? (
              <>
                <dt>{t('entity.last_seen')}</dt>
                <dd>{formatDate(e.last_seen, false)}</dd>
              </>
            ) : null}
          </dl>
        </Section>
        <Section title={t('entity.documents')} id="documents">
          <DataTable
            testId="documents"
            rows={e.documents ?? []}
            empty={t('entity.nodocuments')}
            columns={[
              { id: 'type', header: t('entity.doctype'), cell: (d) => label('doctype', d.type) },
              { id: 'number', header: t('entity.docnumber'), cell: (d) => <span class="mono">{d.number}</span> },
              { id: 'country', header: t('entity.doccountry'), cell: (d) => countryName(d.country ?? '') },
            ]}
          />
        </Section>
        <Section title={t('entity.provenance')} id="provenance">
          <dl class="facts">
            <dt>{t('entity.service')}</dt>
            <dd>{e.provenance?.service}</dd>
            <dt>{t('entity.source')}</dt>
            <dd><bdi>{e.provenance?.source}</bdi></dd>
            <dt>{t('entity.source_record_id')}</dt>
            <dd class="mono"><bdi>{e.provenance?.source_record_id}</bdi></dd>
            {e.created ? (
              <>
                <dt>{t('entity.created')}</dt>
                <dd>{formatDate(e.created)}</dd>
              </>
            ) : null}
            {e.modified ? (
              <>
                <dt>{t('entity.modified')}</dt>
                <dd>{formatDate(e.modified)}</dd>
              </>
            ) : null}
          </dl>
        </Section>
      </div>
      {personLike ? <RiskSection id={e.id} /> : null}
      <RelationsSection id={e.id} />
      <HistorySection id={e.id} />
    </div>
  );
}

export function countryName(code: string): string {
  if (!code) return '';
  try {
    const dn = new Intl.DisplayNames([document.documentElement.lang || 'fr'], { type: 'region' });
    const name = code.length === 2 ? dn.of(code.toUpperCase()) : undefined;
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

function RiskSection({ id }: { id: string }) {
  const risk = useAsync(() => api.get<RiskAnswer>('/api/v1/risk/entities/{id}', { path: { id } }), [id]);
  return (
    <Section title={t('risk.title')} id="risk">
      {risk.loading && !risk.data ? <Loading /> : null}
      <ErrorBox error={risk.error} />
      {risk.data ? (
        <div data-testid="risk">
          <p class="risk-head">
            <span class={'level level-' + risk.data.level}>{label('level', risk.data.level)}</span>{' '}
            <span class="score">{formatNumber(risk.data.score, 1)} / 100</span>
            {risk.data.base !== undefined ? <span class="muted"> · {t('risk.base', { n: risk.data.base })}</span> : null}
          </p>
          <FactorBars
            unit="pts"
            factors={risk.data.factors.map((f) => ({
              name: f.name,
              value: f.contribution,
              missing: f.missing,
              detail:
                (f.missing ? t('risk.missing') + ' ' : '') +
                (f.detail ?? '') +
                (f.records?.length
                  ? ' — ' +
                    f.records.map((r) => (r.restricted ? t('risk.restricted') : (r.label ?? r.id ?? '') + (r.role ? ` (${r.role})` : ''))).join(', ')
                  : ''),
            }))}
          />
        </div>
      ) : null}
    </Section>
  );
}

function RelationsSection({ id }: { id: string }) {
  const g = useAsync(() => api.get<GraphAnswer>('/api/v1/graph/neighbours/{id}', { path: { id }, query: { hops: 1, max_nodes: 200 } }), [id]);
  const nodes = new Map((g.data?.nodes ?? []).map((n) => [n.id, n]));
  const rels = (g.data?.edges ?? []).filter((e) => e.source === id || e.target === id);
  return (
    <Section title={t('entity.relationships')} id="relationships">
      {g.loading && !g.data ? <Loading /> : null}
      <ErrorBox error={g.error} />
      {g.data ? (
        <>
          <DataTable
            testId="relationships"
            rows={rels}
            empty={t('entity.norelationships')}
            columns={[
              { id: 'type', header: t('entity.reltype'), cell: (r) => label('rel', r.type), sortValue: (r) => r.type ?? '' },
              {
                id: 'other',
                header: t('entity.relwith'),
                cell: (r) => {
                  const other = nodes.get(r.source === id ? r.target : r.source);
                  if (!other || other.restricted) return <span class="muted">{t('graph.restricted')}</span>;
                  return (
                    <a href={href(['entity', other.id])}>
                      <NameText name={other.label ?? other.id} />
                    </a>
                  );
                },
              },
              {
                id: 'othertype',
                header: t('entity.type'),
                cell: (r) => {
                  const other = nodes.get(r.source === id ? r.target : r.source);
                  return other && !other.restricted ? label('type', other.type) : '';
                },
              },
              {
                id: 'tlp',
                header: 'TLP',
                cell: (r) => {
                  const other = nodes.get(r.source === id ? r.target : r.source);
                  return other && !other.restricted ? <TlpBadge tlp={other.tlp} /> : '';
                },
              },
            ]}
          />
          {g.data.truncated ? <p class="notice">{t('graph.truncated', { n: 200 })}</p> : null}
        </>
      ) : null}
    </Section>
  );
}

const TRACKED: (keyof EntityRecord)[] = [
  'names',
  'birth_dates',
  'nationalities',
  'documents',
  'category',
  'reliability',
  'credibility',
  'marking',
  'description',
  'addresses',
  'revoked',
];

function HistorySection({ id }: { id: string }) {
  const h = useAsync(() => api.get<History>('/api/v1/entities/{id}/history', { path: { id } }), [id]);
  const versions = h.data?.versions ?? [];
  const rows = versions.map((v, i) => {
    const prev = versions[i - 1];
    const changed = prev ? TRACKED.filter((k) => JSON.stringify(v[k]) !== JSON.stringify(prev[k])) : [];
    return { v, changed, first: !prev };
  });
  return (
    <Section title={t('entity.history')} id="history">
      {h.loading && !h.data ? <Loading /> : null}
      <ErrorBox error={h.error} />
      <DataTable
        testId="history"
        rows={rows.reverse()}
        columns={[
          { id: 'version', header: t('entity.version'), cell: (r) => 'v' + r.v.version, sortValue: (r) => r.v.version ?? 0 },
          { id: 'when', header: t('entity.when'), cell: (r) => formatDate(r.v.modified ?? r.v.created) },
          { id: 'who', header: t('entity.by'), cell: (r) => `${r.v.provenance?.service ?? ''} · ${r.v.provenance?.source ?? ''}` },
          {
            id: 'what',
            header: t('entity.what'),
            cell: (r) => (r.first ? t('entity.created.first') : r.changed.length ? r.changed.map((k) => label('field', String(k))).join(', ') : t('entity.nochange')),
          },
          { id: 'tlp', header: 'TLP', cell: (r) => <TlpBadge tlp={r.v.marking?.tlp} /> },
        ]}
      />
    </Section>
  );
}
