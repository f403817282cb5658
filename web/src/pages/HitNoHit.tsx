import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Followup, SessionUser } from '../api/types';
import { ConfirmDialog, ErrorBox, Field, fieldProps, Section, useAsync, Loading } from '../components/common';
import { DataTable } from '../components/DataTable';
import { formatDate, label, t } from '../i18n';
import { may } from '../roles';
import { href, navigate } from '../router';

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
      <Section title={t('hnh.ask')} id="ask">
        <p>{t('hnh.ask.missing')}</p>
        <pre class="mono">entente --service {user.service} ask PARTNER --name "…" --birth-date YYYY-MM-DD</pre>
      </Section>
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
