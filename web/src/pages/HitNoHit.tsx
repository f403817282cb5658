import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { AgreementInfo, AskReport, Followup, OutgoingFollowup, SessionUser } from '../api/types';
import { ConfirmDialog, ErrorBox, Field, fieldProps, Section, useAsync, Loading } from '../components/common';
import { DataTable } from '../components/DataTable';
import { formatDate, label, t } from '../i18n';
import { may } from '../roles';
import { href, navigate } from '../router';

/** Ask a partner about one person; a hit can be followed up with a reason. */
function Ask() {
  const agreements = useAsync(() => api.get<{ items: AgreementInfo[] }>('/api/v1/exchange/agreements'), []);
  const partners = (agreements.data?.items ?? []).map((a) => a.partner);
  const [form, setForm] = useState({ partner: '', mode: 'auto', name: '', birth_date: '', nationality: '' });
  const [report, setReport] = useState<AskReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [following, setFollowing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState('');
  const outgoing = useAsync(() => api.get<{ followups: OutgoingFollowup[] }>('/api/v1/hitnohit/outgoing'), []);
  const partner = form.partner || partners[0] || '';
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  const ask = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setReport(null);
    setSent('');
    setBusy(true);
    const query: Record<string, string> = { name: form.name.trim() };
    if (form.birth_date.trim()) query.birth_date = form.birth_date.trim();
    if (form.nationality.trim()) query.nationality = form.nationality.trim();
    try {
      setReport(await api.post<AskReport>('/api/v1/hitnohit/ask', { body: { partner, mode: form.mode, queries: [query] } }));
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };
  const follow = async () => {
    if (!following) return;
    if (!reason.trim()) {
      setError(new ApiError(400, 'invalid_argument', t('review.reason.required'), 'reason'));
      return;
    }
    try {
      const row = await api.post<OutgoingFollowup>('/api/v1/hitnohit/outgoing', { body: { partner: report?.partner ?? partner, reference: following, reason: reason.trim() } });
      setSent(t('hnh.followup.sent', { id: row.id, partner: row.partner }));
      setFollowing(null);
      outgoing.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <Section title={t('hnh.ask')} id="ask">
        {agreements.data && !partners.length ? <p class="muted" data-testid="ask-nopartner">{t('hnh.ask.nopartner')}</p> : null}
        {partners.length ? (
        <form class="inline-form" onSubmit={ask}>
          <Field label={t('hnh.partner')}>
            <select name="partner" value={partner} onChange={set('partner')} {...fieldProps(error, 'partner')}>
              {partners.map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
          </Field>
          <Field label={t('hnh.mode')}>
            <select name="mode" value={form.mode} onChange={set('mode')} {...fieldProps(error, 'mode')}>
              {['auto', 'plain', 'private'].map((m) => (
                <option value={m}>{label('hnhmode', m)}</option>
              ))}
            </select>
          </Field>
          <Field label={t('search.name')}>
            <input name="name" dir="auto" required value={form.name} onInput={set('name')} {...fieldProps(error, 'queries[0].name')} />
          </Field>
          <Field label={t('search.birth_date')}>
            <input name="birth_date" size={10} placeholder="YYYY-MM-DD" value={form.birth_date} onInput={set('birth_date')} {...fieldProps(error, 'queries[0].birth_date')} />
          </Field>
          <Field label={t('search.nationality')}>
            <input name="nationality" size={3} value={form.nationality} onInput={set('nationality')} {...fieldProps(error, 'queries[0].nationality')} />
          </Field>
          <button type="submit" class="primary" disabled={busy || !partner}>
            {t('hnh.ask.go')}
          </button>
        </form>
        ) : null}
        <ErrorBox error={error} />
        {sent ? (
          <p class="notice" role="status" data-testid="hnh-followup-sent">
            {sent}
          </p>
        ) : null}
        {report ? (
          <div data-testid="hnh-answers">
            <p class="muted">{t('hnh.ask.mode', { mode: label('hnhmode', report.mode), partner: report.partner })}</p>
            <DataTable
              testId="answers"
              rows={report.answers}
              columns={[
                { id: 'result', header: t('hnh.result'), cell: (a) => <strong>{label('hnhresult', a.result)}</strong> },
                { id: 'band', header: t('hnh.band'), cell: (a) => a.band },
                { id: 'expires', header: t('hnh.valid'), cell: (a) => (a.expires ? formatDate(a.expires) : '') },
                { id: 'reference', header: t('hnh.reference'), cell: (a) => <span class="mono">{a.reference}</span> },
                { id: 'error', header: '', cell: (a) => a.error },
                {
                  id: 'act',
                  header: t('hnh.action'),
                  cell: (a) =>
                    a.result === 'hit' && a.reference ? (
                      <button type="button" class="primary" onClick={() => { setFollowing(a.reference); setReason(''); setError(null); }}>
                        {t('hnh.followup')}
                      </button>
                    ) : null,
                },
              ]}
            />
          </div>
        ) : null}
      </Section>
      <Section title={t('hnh.outgoing')} id="outgoing">
        <ErrorBox error={outgoing.error} />
        <DataTable
          testId="outgoing"
          rows={outgoing.data?.followups ?? []}
          empty={t('hnh.none')}
          columns={[
            { id: 'id', header: t('hnh.request'), cell: (f) => <span class="mono">{f.id}</span> },
            { id: 'partner', header: t('hnh.partner'), cell: (f) => f.partner, sortValue: (f) => f.partner },
            { id: 'created', header: t('hnh.sent'), cell: (f) => formatDate(f.created), sortValue: (f) => f.created ?? '' },
            { id: 'reason', header: t('hnh.ourreason'), cell: (f) => <span dir="auto">{f.reason}</span> },
            { id: 'status', header: t('screening.status'), cell: (f) => `${label('fustatus', f.status)}${f.decision_reason ? ' — ' + f.decision_reason : ''}` },
          ]}
        />
      </Section>
      <ConfirmDialog
        open={following !== null}
        title={t('hnh.followup.confirm', { partner: report?.partner ?? partner })}
        confirmLabel={t('hnh.followup')}
        onCancel={() => setFollowing(null)}
        onConfirm={() => void follow()}
      >
        <Field label={t('review.reason')}>
          <textarea name="followup-reason" rows={3} dir="auto" autoFocus aria-required="true" value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} {...fieldProps(error, 'reason')} />
        </Field>
        <ErrorBox error={error} />
      </ConfirmDialog>
    </>
  );
}

export function HitNoHit({ user, query }: { user: SessionUser; query: URLSearchParams }) {
  const status = query.get('status') ?? 'pending';
  const partner = query.get('partner') ?? '';
  const list = useAsync(
    () => api.get<{ followups: Followup[] }>('/api/v1/hitnohit/followups', { query: { status: status === 'all' ? undefined : status, partner } }),
    [status, partner],
  );
  const [deciding, setDeciding] = useState<{ f: Followup; decision: 'approve' | 'refuse' } | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const canDecide = may(user.role, 'exchange');
  const confirm = async () => {
    if (!deciding) return;
    if (!reason.trim()) {
      setError(new ApiError(400, 'invalid_argument', t('review.reason.required'), 'reason'));
      return;
    }
    try {
      await api.post('/api/v1/hitnohit/followups/{id}/decision', { path: { id: deciding.f.id }, body: { decision: deciding.decision, reason: reason.trim() } });
      setDone(t('hnh.decided', { id: deciding.f.id, d: label('fustatus', deciding.decision === 'approve' ? 'approved' : 'refused') }));
      setDeciding(null);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <h1>{t('hnh.title')}</h1>
      <p class="muted">{t('hnh.intro')}</p>
      <Section title={t('hnh.queue')} id="queue">
        <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
          <Field label={t('screening.status')}>
            <select value={status} onChange={(e) => navigate(['hitnohit'], { status: (e.target as HTMLSelectElement).value, partner })}>
              {['pending', 'approved', 'refused', 'all'].map((s) => (
                <option value={s}>{label('fustatus', s)}</option>
              ))}
            </select>
          </Field>
          <Field label={t('hnh.partner')}>
            <input name="partner" value={partner} onChange={(e) => navigate(['hitnohit'], { status, partner: (e.target as HTMLInputElement).value })} />
          </Field>
        </form>
        {done ? (
          <p class="notice" role="status" data-testid="hnh-decided">
            {done}
          </p>
        ) : null}
        {list.loading && !list.data ? <Loading /> : null}
        <ErrorBox error={list.error} />
        <DataTable
          testId="followups"
          rows={list.data?.followups ?? []}
          empty={t('hnh.none')}
          columns={[
            { id: 'id', header: t('hnh.request'), cell: (f) => <span class="mono">{f.id}</span> },
            { id: 'partner', header: t('hnh.partner'), cell: (f) => f.partner, sortValue: (f) => f.partner },
            { id: 'created', header: t('hnh.created'), cell: (f) => formatDate(f.created), sortValue: (f) => f.created ?? '' },
            { id: 'by', header: t('hnh.requested_by'), cell: (f) => f.requested_by },
            { id: 'reason', header: t('hnh.reason'), cell: (f) => <span dir="auto">{f.reason}</span> },
            { id: 'record', header: t('hnh.record'), cell: (f) => (f.record ? <a href={href(['entity', f.record])}>{t('hnh.openrecord')}</a> : '') },
            {
              id: 'status',
              header: t('screening.status'),
              cell: (f) => (
                <span>
                  {label('fustatus', f.status)}
                  {f.decision_reason ? (
                    <span class="muted" dir="auto">
                      {' '}
                      — {f.decided_by}: {f.decision_reason}
                    </span>
                  ) : null}
                </span>
              ),
            },
            {
              id: 'act',
              header: t('hnh.action'),
              cell: (f) =>
                canDecide && f.status === 'pending' ? (
                  <span class="actions">
                    <button type="button" class="primary" onClick={() => { setDeciding({ f, decision: 'approve' }); setReason(''); setError(null); }}>
                      {t('hnh.approve')}
                    </button>
                    <button type="button" class="danger" onClick={() => { setDeciding({ f, decision: 'refuse' }); setReason(''); setError(null); }}>
                      {t('hnh.refuse')}
                    </button>
                  </span>
                ) : null,
            },
          ]}
        />
      </Section>
      {canDecide ? <Ask /> : null}
      <ConfirmDialog
        open={deciding !== null}
        title={deciding ? t(deciding.decision === 'approve' ? 'hnh.confirm.approve' : 'hnh.confirm.refuse', { id: deciding.f.id, partner: deciding.f.partner }) : ''}
        confirmLabel={deciding?.decision === 'approve' ? t('hnh.approve') : t('hnh.refuse')}
        onCancel={() => setDeciding(null)}
        onConfirm={() => void confirm()}
      >
        <p dir="auto">{deciding?.f.reason}</p>
        <Field label={t('review.reason')}>
          <textarea name="reason" rows={3} dir="auto" autoFocus aria-required="true" value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} {...fieldProps(error, 'reason')} />
        </Field>
        <ErrorBox error={error} />
      </ConfirmDialog>
    </div>
  );
}
