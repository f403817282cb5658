// The exchange page's collections and received records (liaison officers): the TAXII
// collections this node serves with who may read and write them, the records received from
// partners with their provenance and signature status (filtered and paged on the server), and
// one received record's provenance chain.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ChainStep, CollectionInfo, Receipt, ReceivedDetail, ReceivedPage } from '../api/types';
import { ErrorBox, Field, fieldProps, Loading, Section, ServerText, TlpBadge, useAsync, useCursorPages } from '../components/common';
import { DataTable, MoreButton } from '../components/DataTable';
import { formatDate, formatNumber, label, t } from '../i18n';
import { href, navigate } from '../router';

function grantee(text: string): string {
  const [kind, name] = text.split(':', 2);
  return name ? t('exchange.grantee.' + kind, { name }) : text;
}

export function Collections() {
  const list = useAsync(() => api.get<{ items: CollectionInfo[] }>('/api/v1/exchange/collections'), []);
  return (
    <Section title={t('exchange.collections')} id="collections">
      <p class="muted">{t('exchange.collections.intro')}</p>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBox error={list.error} />
      <DataTable
        testId="collections"
        rows={list.data?.items ?? []}
        empty={t('exchange.collections.none')}
        columns={[
          {
            id: 'title',
            header: t('exchange.collection'),
            cell: (c) => (
              <span>
                {c.title}
                <div class="mono small">{c.id}</div>
              </span>
            ),
            sortValue: (c) => c.title,
          },
          { id: 'agreement', header: t('exchange.collection.agreement'), cell: (c) => c.agreement ?? t('exchange.collection.noagreement'), sortValue: (c) => c.agreement ?? '' },
          { id: 'direction', header: t('exchange.collection.direction'), cell: (c) => label('direction', c.direction ?? 'plain') },
          { id: 'readers', header: t('exchange.collection.readers'), cell: (c) => c.readers.map(grantee).join(', ') || t('exchange.collection.nobody') },
          { id: 'writers', header: t('exchange.collection.writers'), cell: (c) => c.writers.map(grantee).join(', ') || t('exchange.collection.nobody') },
          {
            id: 'records',
            header: t('exchange.collection.records'),
            cell: (c) => formatNumber(c.objects.records) + (c.objects.truncated ? '+' : ''),
            sortValue: (c) => c.objects.records,
            className: 'num',
          },
          {
            id: 'other',
            header: t('exchange.collection.other'),
            cell: (c) => (c.objects.other_objects === null ? t('exchange.collection.notyours') : formatNumber(c.objects.other_objects)),
            className: 'num',
          },
        ]}
      />
    </Section>
  );
}

export function SignatureBadge({ status }: { status: string }) {
  return <span class={'sig sig-' + status}>{label('signature', status)}</span>;
}

function recordCell(r: Receipt) {
  if (!r.record) return <span class="mono small">{r.object_id}</span>;
  return (
    <a href={href(['exchange', 'received', r.record.id])} dir="auto">
      {r.record.name}
    </a>
  );
}

export function ReceivedList({ partners, query }: { partners: string[]; query: URLSearchParams }) {
  const filters = {
    partner: query.get('partner') ?? '',
    signature: query.get('signature') ?? '',
    via: query.get('via') ?? '',
    type: query.get('type') ?? '',
    q: query.get('q') ?? '',
  };
  const [form, setForm] = useState(filters);
  const { items, next, error, loading, more } = useCursorPages(
    (cursor) => api.get<ReceivedPage>('/api/v1/exchange/received', { query: { ...filters, cursor, limit: 25 } }),
    [filters.partner, filters.signature, filters.via, filters.type, filters.q],
  );
  useEffect(() => setForm(filters), [filters.partner, filters.signature, filters.via, filters.type, filters.q]);
  // A link from the sync table (?via=refused) opens on this list.
  useEffect(() => {
    if (filters.via) document.getElementById('received-h')?.scrollIntoView();
  }, [filters.via, filters.partner]);
  const submit = (e: Event) => {
    e.preventDefault();
    navigate(['exchange'], { ...form, q: form.q.trim() });
  };
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  return (
    <Section title={t('exchange.received')} id="received">
      <p class="muted">{t('exchange.received.intro')}</p>
      <form class="inline-form" onSubmit={submit} data-testid="received-filter">
        <Field label={t('hnh.partner')}>
          <select name="partner" value={form.partner} onChange={set('partner')} {...fieldProps(error, 'partner')}>
            <option value="">{t('common.all')}</option>
            {partners.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.received.signature')}>
          <select name="signature" value={form.signature} onChange={set('signature')} {...fieldProps(error, 'signature')}>
            <option value="">{t('common.all')}</option>
            {['verified', 'unsigned', 'failed'].map((s) => (
              <option value={s}>{label('signature', s)}</option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.received.via')}>
          <select name="via" value={form.via} onChange={set('via')} {...fieldProps(error, 'via')}>
            <option value="">{t('common.all')}</option>
            {['pull', 'post', 'refused'].map((v) => (
              <option value={v}>{label('via', v)}</option>
            ))}
          </select>
        </Field>
        <Field label={t('entity.type')}>
          <select name="type" value={form.type} onChange={set('type')} {...fieldProps(error, 'type')}>
            <option value="">{t('common.all')}</option>
            {['person', 'organization', 'vehicle', 'identity-document', 'phone', 'location', 'event', 'relationship'].map((k) => (
              <option value={k}>{label('type', k)}</option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.received.q')}>
          <input name="q" value={form.q} maxLength={200} onInput={set('q')} {...fieldProps(error, 'q')} />
        </Field>
        <button type="submit" class="primary">
          {t('audit.filter')}
        </button>
      </form>
      <ErrorBox error={error} />
      {loading && items.length === 0 ? <Loading /> : null}
      <DataTable
        testId="received"
        rows={items}
        empty={t('exchange.received.none')}
        columns={[
          { id: 'at', header: t('exchange.received.at'), cell: (r) => formatDate(r.received_at), sortValue: (r) => r.received_at },
          { id: 'partner', header: t('hnh.partner'), cell: (r) => r.partner, sortValue: (r) => r.partner },
          { id: 'record', header: t('exchange.received.record'), cell: recordCell, sortValue: (r) => r.record?.name ?? r.object_id },
          { id: 'type', header: t('entity.type'), cell: (r) => (r.record ? label('type', r.record.type) : '') },
          { id: 'tlp', header: 'TLP', cell: (r) => (r.record ? <TlpBadge tlp={r.record.tlp} /> : '') },
          { id: 'origin', header: t('exchange.received.origin'), cell: (r) => r.record?.service ?? '' },
          { id: 'collection', header: t('exchange.collection'), cell: (r) => <span class="mono small">{r.collection ?? ''}</span> },
          { id: 'via', header: t('exchange.received.via'), cell: (r) => label('via', r.via) },
          {
            id: 'signature',
            header: t('exchange.received.signature'),
            cell: (r) => (
              <span>
                <SignatureBadge status={r.signature} />
                {r.reason ? (
                  <div class="small">
                    <ServerText text={r.reason} code={r.reason_code} params={r.reason_params} />
                  </div>
                ) : null}
              </span>
            ),
            sortValue: (r) => r.signature,
          },
        ]}
      />
      <MoreButton next={next} onMore={more} busy={loading} />
    </Section>
  );
}

function Step({ step }: { step: ChainStep }) {
  if (step.step === 'origin')
    return (
      <li data-testid="chain-origin">
        <strong>{t('exchange.chain.origin', { service: step.service ?? '' })}</strong>
        <div class="small">
          {t('exchange.chain.source', { source: step.source ?? '', ref: step.source_record_id ?? '', grades: step.grades ?? '' })}
        </div>
      </li>
    );
  const key = step.step === 'refused' ? 'exchange.chain.refused' : step.via === 'pull' ? 'exchange.chain.pulled' : 'exchange.chain.posted';
  return (
    <li data-testid={'chain-' + step.step}>
      <strong>{t(key, { partner: step.partner ?? '', when: formatDate(step.received_at) })}</strong> <SignatureBadge status={step.signature ?? ''} />
      <div class="small">
        {step.collection ? t('exchange.chain.collection', { id: step.collection }) + ' · ' : ''}
        {step.version ? t('exchange.chain.version', { v: formatDate(step.version) }) : ''}
        {step.signer_key ? ' · ' + t('exchange.chain.key', { key: step.signer_key }) : ''}
        {step.reason ? ' · ' + step.reason : ''}
      </div>
    </li>
  );
}

export function ReceivedRecord({ id }: { id: string }) {
  const detail = useAsync(() => api.get<ReceivedDetail>('/api/v1/exchange/received/{id}', { path: { id } }), [id]);
  const d = detail.data;
  return (
    <div>
      <p>
        <a href={href(['exchange'])}>← {t('exchange.title')}</a>
      </p>
      <h1 dir="auto">{d ? d.record.name : t('exchange.received.record')}</h1>
      {detail.loading && !d ? <Loading /> : null}
      <ErrorBox error={detail.error} />
      {d ? (
        <div data-testid="received-detail">
          <p class="badges">
            <TlpBadge tlp={d.marking.tlp} /> <span class="mono small">{d.record.id}</span> <span>{label('type', d.record.type)}</span>
            {d.marking.releasable_to.length ? <span>{t('entity.releasable')}: {d.marking.releasable_to.join(', ')}</span> : null}
            <a href={href(['entity', d.record.id])}>{t('exchange.received.openentity')}</a>
          </p>
          <Section title={t('exchange.chain')} id="chain">
            {d.received ? null : <p data-testid="not-received">{t('exchange.chain.local')}</p>}
            <ol class="chain">
              {d.chain.map((s) => (
                <Step step={s} />
              ))}
            </ol>
          </Section>
          <Section title={t('entity.history')} id="versions">
            <DataTable
              testId="received-versions"
              rows={d.versions}
              columns={[
                { id: 'v', header: t('entity.version'), cell: (v) => v.version, sortValue: (v) => v.version },
                { id: 'm', header: t('entity.modified'), cell: (v) => formatDate(v.modified), sortValue: (v) => v.modified },
                { id: 'r', header: t('exchange.chain.revoked'), cell: (v) => (v.revoked ? t('exchange.sync.yes') : '') },
              ]}
            />
            {d.versions_withheld ? <p class="muted">{t('exchange.chain.withheld', { n: d.versions_withheld })}</p> : null}
          </Section>
        </div>
      ) : null}
    </div>
  );
}
