import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, upload } from '../api/client';
import type { Alert, Hit, Job, JobReport, Page, RowError, SessionUser } from '../api/types';
import { ConfirmDialog, ErrorBox, Field, fieldProps, Loading, NameText, ProgressBar, Section, ServerText, useAsync } from '../components/common';
import { DataTable, MoreButton } from '../components/DataTable';
import { BarChart } from '../components/BarChart';
import { formatDate, formatNumber, label, t } from '../i18n';
import { may } from '../roles';
import { href, navigate } from '../router';

export function Screening({ user, rest, query }: { user: SessionUser; rest: string[]; query: URLSearchParams }) {
  const sub = rest[0] ?? '';
  return (
    <div>
      <h1>{t('screening.title')}</h1>
      <nav class="tabs" aria-label={t('screening.title')}>
        {[
          ['', 'screening.tab.jobs'],
          ['review', 'screening.tab.review'],
          ['alerts', 'screening.tab.alerts'],
        ].map(([p, k]) => (
          <a href={href(p ? ['screening', p] : ['screening'])} class={sub === p ? 'tab active' : 'tab'} aria-current={sub === p ? 'page' : undefined}>
            {t(k)}
          </a>
        ))}
      </nav>
      {sub === 'job' ? <JobDetail id={Number(rest[1])} /> : null}
      {sub === 'review' ? <Review user={user} query={query} /> : null}
      {sub === 'alerts' ? <Alerts query={query} /> : null}
      {sub === '' ? <Jobs /> : null}
    </div>
  );
}

function jobsOf(body: unknown): Job[] {
  const b = body as { items?: Job[]; jobs?: Job[] } | Job[];
  return Array.isArray(b) ? b : b.items ?? b.jobs ?? [];
}

const LIVE = new Set(['running', 'queued']);

function Jobs() {
  // The server lists jobs oldest first, a page at a time: follow the cursor to the newest.
  const jobs = useAsync(async () => {
    const out: Job[] = [];
    let cursor: string | null | undefined = undefined;
    for (let i = 0; i < 20; i++) {
      const page: Page<Job> = await api.get<Page<Job>>('/api/v1/screening/jobs', { query: { limit: 1000, cursor: cursor ?? undefined } });
      out.push(...jobsOf(page));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return out;
  }, []);
  const list = jobs.data ?? [];
  // A job just queued may read "interrupted" until the server's runner claims it.
  const recent = (j: Job) => j.status === 'interrupted' && Date.now() - new Date(j.started).getTime() < 60000;
  const anyLive = list.some((j) => LIVE.has(j.status) || recent(j));
  useEffect(() => {
    if (!anyLive) return;
    const timer = setInterval(jobs.reload, 1000);
    return () => clearInterval(timer);
  }, [anyLive]);
  return (
    <>
      <UploadForm onDone={(job) => navigate(['screening', 'job', job.job_id])} />
      <Rescreen />
      <Section title={t('screening.jobs')} id="jobs">
        {jobs.loading && !jobs.data ? <Loading /> : null}
        <ErrorBox error={jobs.error} />
        <DataTable
          testId="jobs"
          rows={[...list].sort((a, b) => b.job_id - a.job_id)}
          empty={t('screening.nojobs')}
          columns={[
            { id: 'id', header: t('screening.job'), cell: (j) => <a href={href(['screening', 'job', j.job_id])}>#{j.job_id}</a>, sortValue: (j) => j.job_id },
            { id: 'list', header: t('screening.list'), cell: (j) => j.list, sortValue: (j) => j.list },
            { id: 'status', header: t('screening.status'), cell: (j) => <span class={'status st-' + j.status}>{label('jobstatus', j.status)}</span> },
            { id: 'progress', header: t('screening.progress'), cell: (j) => <ProgressBar value={j.progress} labelText={t('screening.progress.job', { id: j.job_id })} /> },
            { id: 'rows', header: t('screening.rows'), cell: (j) => `${j.rows_done} / ${j.rows_total}` },
            { id: 'hits', header: t('screening.hits'), cell: (j) => j.hits, sortValue: (j) => j.hits },
            { id: 'by', header: t('screening.started_by'), cell: (j) => j.started_by },
            { id: 'started', header: t('screening.started'), cell: (j) => formatDate(j.started), sortValue: (j) => j.started },
          ]}
        />
      </Section>
    </>
  );
}

function UploadForm({ onDone }: { onDone: (job: Job) => void }) {
  const [name, setName] = useState('');
  const [threshold, setThreshold] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!file) {
      setError(new ApiError(400, 'invalid_argument', t('upload.nofile'), 'body'));
      return;
    }
    setProgress(0);
    try {
      const job = await upload<Job>('/api/v1/screening/lists', {
        query: { name: name.trim(), threshold: threshold.trim() || undefined },
        raw: file,
        contentType: 'text/csv',
        onProgress: setProgress,
      });
      setProgress(1);
      onDone(job);
    } catch (err) {
      setError(err);
      setProgress(null);
    }
  };
  return (
    <Section title={t('upload.title')} id="upload">
      <form class="inline-form" onSubmit={submit}>
        <Field label={t('upload.name')}>
          <input name="name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} {...fieldProps(error, 'name')} />
        </Field>
        <Field label={t('upload.file')} hint={t('upload.file.hint')}>
          <input name="file" type="file" accept=".csv,text/csv" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} {...fieldProps(error, 'body')} />
        </Field>
        <Field label={t('upload.threshold')} hint={t('upload.threshold.hint')}>
          <input name="threshold" inputMode="decimal" size={5} value={threshold} onInput={(e) => setThreshold((e.target as HTMLInputElement).value)} {...fieldProps(error, 'threshold')} />
        </Field>
        <button type="submit" class="primary" disabled={progress !== null && progress < 1}>
          {t('upload.submit')}
        </button>
      </form>
      {progress !== null ? <ProgressBar value={progress} labelText={t('upload.progress')} /> : null}
      <ErrorBox error={error} />
    </Section>
  );
}

function Rescreen() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ summary: string; alerts: number }>('/api/v1/screening/rescreen', { body: {} });
      setResult(t('rescreen.done', { n: r.alerts }) + ' — ' + r.summary);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card inline">
      <button type="button" class="secondary" onClick={() => void run()} disabled={busy}>
        {t('rescreen.run')}
      </button>{' '}
      <span class="muted">{t('rescreen.hint')}</span>
      {result ? <p role="status">{result}</p> : null}
      <ErrorBox error={error} />
    </div>
  );
}

/** Every hit of a job the caller may page through (for the by-category chart). */
async function allHits(query: Record<string, string | number | undefined>, cap = 2000): Promise<Hit[]> {
  const out: Hit[] = [];
  let cursor: string | null | undefined = undefined;
  do {
    const page: Page<Hit> = await api.get<Page<Hit>>('/api/v1/screening/hits', { query: { ...query, limit: 500, cursor: cursor ?? undefined } });
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < cap);
  return out;
}

function JobDetail({ id }: { id: number }) {
  // A job the server has queued but not yet started reads "interrupted" (its runner has not
  // claimed it); `queued_or_running_here` says it is in this server's queue.
  const job = useAsync(
    () =>
      api.get<Job & { queued_or_running_here?: number }>('/api/v1/screening/jobs/{job}', { path: { job: id } }).then((j) =>
        (j.queued_or_running_here ?? 0) > 0 && j.status === 'interrupted' ? { ...j, status: 'queued' } : j,
      ),
    [id],
  );
  const live = job.data ? LIVE.has(job.data.status) : false;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(job.reload, 800);
    return () => clearInterval(timer);
  }, [live]);
  const done = job.data?.status === 'done';
  const report = useAsync(() => (done ? api.get<JobReport>('/api/v1/screening/jobs/{job}/report', { path: { job: id } }) : Promise.resolve(undefined)), [id, done]);
  const hits = useAsync(() => (done ? allHits({ job: id }) : Promise.resolve([] as Hit[])), [id, done]);
  const errors = useAsync(() => api.get<{ errors: RowError[] }>('/api/v1/screening/jobs/{job}/errors', { path: { job: id } }), [id, done]);
  const [resumeError, setResumeError] = useState<unknown>(null);
  if (job.loading && !job.data) return <Loading />;
  if (job.error) return <ErrorBox error={job.error} />;
  const j = job.data!;
  // Categories from the hits this user may read; hidden records are one "restricted" bar
  // (the report's own by_category counts every hit, readable or not).
  const byCategory: Record<string, number> = {};
  for (const h of hits.data ?? []) {
    const k = h.restricted ? 'restricted' : h.category || 'other';
    byCategory[k] = (byCategory[k] ?? 0) + 1;
  }
  const bands = report.data?.hits.by_score_band ?? {};
  const decisions = report.data?.hits.by_decision ?? {};
  return (
    <div data-testid="job-detail">
      <Section title={t('job.title', { id: j.job_id, list: j.list })} id="job">
        <p>
          <span class={'status st-' + j.status} data-testid="job-status">
            {label('jobstatus', j.status)}
          </span>{' '}
          {j.message ? <span class="muted">{j.message}</span> : null}
        </p>
        <ProgressBar value={j.progress} labelText={t('screening.progress.job', { id: j.job_id })} />
        <dl class="facts inline-facts">
          <dt>{t('screening.rows')}</dt>
          <dd data-testid="job-rows">
            {j.rows_done} / {j.rows_total}
          </dd>
          <dt>{t('job.rejected')}</dt>
          <dd>{j.rows_rejected}</dd>
          <dt>{t('screening.hits')}</dt>
          <dd data-testid="job-hits">{j.hits}</dd>
          <dt>{t('job.threshold')}</dt>
          <dd>{formatNumber(j.threshold, 2)}</dd>
          <dt>{t('screening.started_by')}</dt>
          <dd>{j.started_by}</dd>
          <dt>{t('screening.started')}</dt>
          <dd>{formatDate(j.started)}</dd>
          {j.finished ? (
            <>
              <dt>{t('job.finished')}</dt>
              <dd>{formatDate(j.finished)}</dd>
            </>
          ) : null}
        </dl>
        <p>
          <a class="button primary" href={href(['screening', 'review'], { list: j.list })}>
            {t('job.review')}
          </a>{' '}
          <a class="button secondary" href={href(['screening', 'alerts'], { list: j.list })}>
            {t('screening.tab.alerts')}
          </a>{' '}
          {j.status === 'interrupted' || j.status === 'failed' ? (
            <button
              type="button"
              class="secondary"
              onClick={() =>
                api.post<Job>('/api/v1/screening/jobs/{job}/resume', { path: { job: id } }).then(job.reload, setResumeError)
              }
            >
              {t('job.resume')}
            </button>
          ) : null}
        </p>
        <ErrorBox error={resumeError} />
      </Section>
      {report.data ? (
        <Section title={t('job.report')} id="report">
          <div class="charts">
            <BarChart id="chart-band" title={t('job.chart.band')} data={Object.entries(bands).map(([k, v]) => ({ label: k, value: v }))} />
            <BarChart id="chart-category" title={t('job.chart.category')} data={Object.entries(byCategory).map(([k, v]) => ({ label: label('category', k), value: v }))} />
            <BarChart id="chart-decision" title={t('job.chart.decision')} data={Object.entries(decisions).map(([k, v]) => ({ label: label('hitstatus', k), value: v }))} />
          </div>
        </Section>
      ) : null}
      <Section title={t('job.errors')} id="errors">
        <ErrorBox error={errors.error} />
        <DataTable
          testId="row-errors"
          rows={errors.data?.errors ?? []}
          empty={t('job.noerrors')}
          columns={[
            { id: 'line', header: t('job.line'), cell: (e) => `${e.file}:${e.line}`, sortValue: (e) => e.line },
            { id: 'row', header: t('job.row'), cell: (e) => e.row_id },
            { id: 'kind', header: t('job.kind'), cell: (e) => label('errkind', e.kind) },
            { id: 'reason', header: t('job.reason'), cell: (e) => <ServerText text={e.reason} code={e.reason_code} params={e.reason_params} /> },
          ]}
        />
      </Section>
    </div>
  );
}

const DECISIONS = ['match', 'no-match', 'refer'] as const;
type Decision = (typeof DECISIONS)[number];
const KEYS: Record<string, Decision> = { m: 'match', n: 'no-match', r: 'refer' };

function Review({ user, query }: { user: SessionUser; query: URLSearchParams }) {
  const list = query.get('list') ?? '';
  const status = query.get('status') ?? 'open';
  const [items, setItems] = useState<Hit[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [index, setIndex] = useState(0);
  const [detail, setDetail] = useState<Hit | null>(null);
  const [dialog, setDialog] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [force, setForce] = useState(false);
  const [decideError, setDecideError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const queueRef = useRef<HTMLDivElement>(null);
  const canDecide = may(user.role, 'screen.decide');

  const load = async (cursor?: string) => {
    setLoading(true);
    try {
      const page = await api.get<Page<Hit>>('/api/v1/screening/hits', { query: { list, status: status === 'all' ? undefined : status, limit: 50, cursor } });
      setItems((cur) => (cursor ? [...cur, ...page.items] : page.items));
      setNext(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setIndex(0);
    void load();
  }, [list, status]);
  const current = items[index];
  useEffect(() => {
    setDetail(null);
    if (!current || current.restricted) return;
    api.get<Hit>('/api/v1/screening/hits/{hit}', { path: { hit: current.hit_id } }).then(setDetail, () => setDetail(null));
  }, [current?.hit_id, current?.status]);

  const open = (d: Decision) => {
    if (!current || current.restricted || !canDecide) return;
    setDialog(d);
    setReason('');
    setForce(false);
    setDecideError(null);
  };
  const onKey = (e: KeyboardEvent) => {
    if (dialog || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'ArrowDown' || e.key === 'j') {
      setIndex((i) => Math.min(items.length - 1, i + 1));
      e.preventDefault();
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      setIndex((i) => Math.max(0, i - 1));
      e.preventDefault();
    } else if (KEYS[e.key]) {
      open(KEYS[e.key]);
      e.preventDefault();
    }
  };
  const confirm = async () => {
    if (!current || !dialog) return;
    if (!reason.trim()) {
      setDecideError(new ApiError(400, 'invalid_argument', t('review.reason.required'), 'reason'));
      return;
    }
    setBusy(true);
    try {
      const decided = await api.post<Hit>('/api/v1/screening/hits/{hit}/decision', {
        path: { hit: current.hit_id },
        body: { decision: dialog, reason: reason.trim(), force },
      });
      const newStatus = (decided && (decided as Hit).status) || dialog;
      setDone(t('review.recorded', { d: label('hitstatus', dialog), id: current.hit_id }));
      setItems((cur) => {
        if (status === 'open') return cur.filter((h) => h.hit_id !== current.hit_id);
        return cur.map((h) => (h.hit_id === current.hit_id ? { ...h, status: newStatus, decision: dialog } : h));
      });
      if (status === 'open') setIndex((i) => Math.min(i, Math.max(0, items.length - 2)));
      setDialog(null);
      queueRef.current?.focus();
    } catch (e) {
      setDecideError(e);
    } finally {
      setBusy(false);
    }
  };
  const conflict = decideError instanceof ApiError && decideError.status === 409;

  return (
    <div class="review">
      <form class="card inline-form" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('screening.list')}>
          <input
            name="list"
            value={list}
            onChange={(e) => navigate(['screening', 'review'], { list: (e.target as HTMLInputElement).value, status })}
          />
        </Field>
        <Field label={t('screening.status')}>
          <select value={status} onChange={(e) => navigate(['screening', 'review'], { list, status: (e.target as HTMLSelectElement).value })}>
            {['open', 'match', 'no-match', 'refer', 'superseded', 'withdrawn', 'all'].map((s) => (
              <option value={s}>{label('hitstatus', s)}</option>
            ))}
          </select>
        </Field>
      </form>
      <ErrorBox error={error} />
      {done ? (
        <p class="notice" role="status" data-testid="decided">
          {done}
        </p>
      ) : null}
      {canDecide ? <p class="muted">{t('review.keys')}</p> : null}
      <div class="review-layout">
        <div
          class="queue card"
          tabIndex={0}
          ref={queueRef}
          onKeyDown={onKey}
          role="listbox"
          aria-label={t('review.queue')}
          aria-activedescendant={current ? 'hit-' + current.hit_id : undefined}
          data-testid="queue"
        >
          {loading && items.length === 0 ? <Loading /> : null}
          {!loading && items.length === 0 ? <p class="muted">{t('review.empty')}</p> : null}
          {items.map((h, i) => (
            <div
              id={'hit-' + h.hit_id}
              role="option"
              aria-selected={i === index}
              class={'queue-item' + (i === index ? ' selected' : '') + (h.restricted ? ' restricted' : '')}
              onClick={() => setIndex(i)}
            >
              <span class="mono">#{h.hit_id}</span>{' '}
              {h.restricted ? <em>{t('review.restricted', { service: h.owner_service ?? '?' })}</em> : <NameText name={h.matched_name} />}{' '}
              <span class="muted">
                {t('review.row', { row: h.query_id ?? h.row_id ?? '' })} · {formatNumber(h.score, 2)} · {label('hitstatus', h.status)}
              </span>
            </div>
          ))}
          <MoreButton next={next} onMore={() => void load(next ?? undefined)} busy={loading} />
        </div>
        <div class="card hit-detail" aria-live="polite">
          {current ? <HitDetail hit={current} detail={detail} /> : null}
          {current && !current.restricted && canDecide ? (
            <div class="actions" data-testid="decide-buttons">
              {DECISIONS.map((d) => (
                <button type="button" class={'decide d-' + d} onClick={() => open(d)}>
                  {label('hitstatus', d)} <kbd>{d === 'match' ? 'm' : d === 'no-match' ? 'n' : 'r'}</kbd>
                </button>
              ))}
            </div>
          ) : null}
        </div>
      </div>
      <ConfirmDialog
        open={dialog !== null}
        title={t('review.confirm.title', { d: label('hitstatus', dialog ?? ''), id: current?.hit_id ?? '' })}
        confirmLabel={t('review.confirm')}
        onCancel={() => {
          setDialog(null);
          queueRef.current?.focus();
        }}
        onConfirm={() => void confirm()}
        busy={busy}
      >
        <p>
          {current && !current.restricted ? (
            <>
              <NameText name={current.matched_name} /> — {t('review.row', { row: current.query_id ?? '' })}
            </>
          ) : null}
        </p>
        <fieldset class="decision-choice">
          <legend>{t('review.decision')}</legend>
          {DECISIONS.map((d) => (
            <label class="check">
              <input type="radio" name="decision" value={d} checked={dialog === d} onChange={() => setDialog(d)} /> {label('hitstatus', d)}
            </label>
          ))}
        </fieldset>
        <Field label={t('review.reason')} hint={t('review.reason.hint')}>
          <textarea
            name="reason"
            rows={3}
            dir="auto"
            autoFocus
            aria-required="true"
            value={reason}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void confirm();
              }
            }}
            {...fieldProps(decideError, 'reason')}
          />
        </Field>
        {conflict ? (
          <label class="check">
            <input type="checkbox" name="force" checked={force} onChange={() => setForce(!force)} /> {t('review.force')}
          </label>
        ) : null}
        <ErrorBox error={decideError} />
      </ConfirmDialog>
    </div>
  );
}

function HitDetail({ hit, detail }: { hit: Hit; detail: Hit | null }) {
  if (hit.restricted) {
    return (
      <div data-testid="hit-restricted">
        <h2>{t('review.hit', { id: hit.hit_id })}</h2>
        <p>{t('review.restricted', { service: hit.owner_service ?? '?' })}</p>
      </div>
    );
  }
  const h = detail ?? hit;
  return (
    <div data-testid="hit-detail">
      <h2>
        {t('review.hit', { id: h.hit_id })} — <NameText name={h.matched_name} />
      </h2>
      <dl class="facts">
        <dt>{t('review.listrow')}</dt>
        <dd>
          {h.list} · {h.query_id}
        </dd>
        <dt>{t('search.score')}</dt>
        <dd>{formatNumber(h.score, 3)}</dd>
        <dt>{t('review.category')}</dt>
        <dd>{label('category', h.category)}</dd>
        <dt>{t('screening.status')}</dt>
        <dd data-testid="hit-status">{label('hitstatus', h.status)}</dd>
        <dt>{t('review.origin')}</dt>
        <dd>{h.origin}</dd>
        {h.changed ? (
          <>
            <dt>{t('review.changed')}</dt>
            <dd dir="auto">{h.changed}</dd>
          </>
        ) : null}
        <dt>{t('review.entity')}</dt>
        <dd>
          <a href={href(['entity', h.entity_id ?? ''])}>{t('review.openentity')}</a>
        </dd>
      </dl>
      <h3>{t('review.explanation')}</h3>
      <p class="explanation" dir="auto">
        {h.explanation}
      </p>
      {h.decisions?.length ? (
        <>
          <h3>{t('review.decisions')}</h3>
          <ul>
            {h.decisions.map((d) => (
              <li>
                {formatDate(d.decided_at)} — {d.decided_by}: <strong>{label('hitstatus', d.decision)}</strong> — <span dir="auto">{d.reason}</span>
                {d.forced ? ' (' + t('review.forced') + ')' : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function Alerts({ query }: { query: URLSearchParams }) {
  const list = query.get('list') ?? '';
  const kind = query.get('kind') ?? '';
  const [items, setItems] = useState<Alert[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async (cursor?: string) => {
    try {
      const page = await api.get<Page<Alert>>('/api/v1/screening/alerts', { query: { list, kind, cursor, limit: 100 } });
      setItems((cur) => (cursor ? [...cur, ...page.items] : page.items));
      setNext(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [list, kind]);
  return (
    <Section title={t('alerts.title')} id="alerts">
      <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('screening.list')}>
          <input name="list" value={list} onChange={(e) => navigate(['screening', 'alerts'], { list: (e.target as HTMLInputElement).value, kind })} />
        </Field>
        <Field label={t('alerts.kind')}>
          <select value={kind} onChange={(e) => navigate(['screening', 'alerts'], { list, kind: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('common.all')}</option>
            {['new-hit', 'raised-again', 'withdrawn'].map((k) => (
              <option value={k}>{label('alertkind', k)}</option>
            ))}
          </select>
        </Field>
      </form>
      <ErrorBox error={error} />
      <DataTable
        testId="alerts"
        rows={items}
        empty={t('alerts.none')}
        columns={[
          { id: 'id', header: '#', cell: (a) => a.alert_id, sortValue: (a) => a.alert_id },
          { id: 'raised', header: t('alerts.raised'), cell: (a) => formatDate(a.raised) },
          { id: 'list', header: t('screening.list'), cell: (a) => a.list },
          { id: 'row', header: t('job.row'), cell: (a) => a.row_id },
          { id: 'kind', header: t('alerts.kind'), cell: (a) => label('alertkind', a.kind) },
          {
            id: 'who',
            header: t('alerts.entity'),
            cell: (a) => (a.restricted ? <em>{t('review.restricted', { service: a.owner_service ?? '?' })}</em> : <a href={href(['entity', a.entity_id ?? ''])}><NameText name={a.matched_name} /></a>),
          },
          { id: 'why', header: t('alerts.why'), cell: (a) => (a.restricted ? '' : <span dir="auto">{a.why}</span>) },
          { id: 'hit', header: t('alerts.hit'), cell: (a) => (a.hit_id ? `#${a.hit_id} · ${label('hitstatus', a.hit_status)}` : '') },
        ]}
      />
      <MoreButton next={next} onMore={() => void load(next ?? undefined)} />
    </Section>
  );
}
