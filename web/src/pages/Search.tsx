import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { EntityRecord, Job, MatchAnswer, MatchResult, SessionUser } from '../api/types';
import { ErrorBox, FactorBars, Field, fieldProps, Grades, NameText, TlpBadge } from '../components/common';
import { label, t, formatNumber } from '../i18n';
import { may } from '../roles';
import { href, navigate } from '../router';

interface Query {
  name: string;
  birth_date: string;
  nationality: string;
  id_number: string;
  type: string;
}

export function Search({ user, query }: { user: SessionUser; query: URLSearchParams }) {
  const mode = query.get('mode') === 'bulk' ? 'bulk' : 'one';
  return (
    <div>
      <h1>{t('search.title')}</h1>
      <div class="tabs" role="tablist" aria-label={t('search.title')}>
        <a role="tab" href={href(['search'])} aria-selected={mode === 'one'} class={mode === 'one' ? 'tab active' : 'tab'}>
          {t('search.tab.one')}
        </a>
        <a role="tab" href={href(['search'], { mode: 'bulk' })} aria-selected={mode === 'bulk'} class={mode === 'bulk' ? 'tab active' : 'tab'}>
          {t('search.tab.bulk')}
        </a>
      </div>
      {mode === 'one' ? <OneSearch query={query} /> : <BulkCheck user={user} />}
    </div>
  );
}

function OneSearch({ query }: { query: URLSearchParams }) {
  const initial: Query = {
    name: query.get('q') ?? '',
    birth_date: query.get('birth_date') ?? '',
    nationality: query.get('nationality') ?? '',
    id_number: query.get('id_number') ?? '',
    type: query.get('type') ?? '',
  };
  const [form, setForm] = useState<Query>(initial);
  const [answer, setAnswer] = useState<MatchAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (q: Query) => {
    if (!q.name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { name: q.name.trim(), top: 20 };
      if (q.birth_date) body.birth_date = q.birth_date.trim();
      if (q.nationality) body.nationality = q.nationality.trim().toUpperCase();
      if (q.id_number) body.id_number = q.id_number.trim();
      if (q.type) body.type = q.type;
      setAnswer(await api.post<MatchAnswer>('/api/v1/match', { body }));
    } catch (e) {
      setAnswer(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // A deep link (#/search?q=…) runs the search at once.
  useEffect(() => {
    if (initial.name) void run(initial);
  }, [query.toString()]);

  const set = (k: keyof Query) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    navigate(['search'], { q: form.name, birth_date: form.birth_date, nationality: form.nationality, id_number: form.id_number, type: form.type });
    if (query.get('q') === form.name) void run(form);
  };
  const results = answer?.results ?? [];
  return (
    <>
      <form class="card search-form" onSubmit={submit} role="search">
        <Field label={t('search.name')} hint={t('search.name.hint')}>
          <input name="name" dir="auto" required value={form.name} onInput={set('name')} {...fieldProps(error, 'name')} />
        </Field>
        <div class="row">
          <Field label={t('search.birth_date')} hint={t('search.birth_date.hint')}>
            <input name="birth_date" value={form.birth_date} onInput={set('birth_date')} placeholder="1987-03-04" {...fieldProps(error, 'birth_date')} />
          </Field>
          <Field label={t('search.nationality')} hint={t('search.nationality.hint')}>
            <input name="nationality" value={form.nationality} onInput={set('nationality')} maxLength={3} size={4} {...fieldProps(error, 'nationality')} />
          </Field>
          <Field label={t('search.id_number')}>
            <input name="id_number" value={form.id_number} onInput={set('id_number')} {...fieldProps(error, 'id_number')} />
          </Field>
          <Field label={t('search.type')}>
            <select name="type" value={form.type} onChange={set('type')} {...fieldProps(error, 'type')}>
              <option value="">{t('search.type.any')}</option>
              <option value="person">{label('type', 'person')}</option>
              <option value="organization">{label('type', 'organization')}</option>
            </select>
          </Field>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('search.submit')}
        </button>
      </form>
      <ErrorBox error={error} />
      {answer ? (
        <section aria-live="polite" aria-labelledby="results-h">
          <h2 id="results-h">{t('search.results', { n: results.filter((r) => !r.restricted).length })}</h2>
          {answer.engine === 'name-search' ? <p class="notice">{t('search.engine.plain')}</p> : null}
          {results.length === 0 ? <p class="muted">{t('search.none')}</p> : null}
          <ol class="results" data-testid="results">
            {results.map((r, i) => (
              <ResultItem r={r} rank={i + 1} />
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}

/** Grades and category of a result: the match answer does not carry them, the record does. */
function useRecordFacts(id?: string): EntityRecord | undefined {
  const [rec, setRec] = useState<EntityRecord | undefined>(undefined);
  useEffect(() => {
    setRec(undefined);
    if (!id) return;
    let live = true;
    api.get<EntityRecord>('/api/v1/entities/{id}', { path: { id } }).then(
      (e) => live && setRec(e),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id]);
  return rec;
}

function ResultItem({ r, rank }: { r: MatchResult; rank: number }) {
  const rec = useRecordFacts(r.restricted ? undefined : r.entity_id);
  if (r.restricted) {
    return (
      <li class="result restricted" data-testid="result-restricted">
        <span class="rank">{rank}</span>
        <div>
          <strong>{t('search.restricted')}</strong>
          <p class="muted">{t('search.restricted.ask', { service: r.owner_service ?? '?' })}</p>
        </div>
      </li>
    );
  }
  const factors = (r.factors ?? []).map((f) => ({ name: f.factor, value: f.contribution, detail: f.detail }));
  return (
    <li class="result" data-testid="result">
      <span class="rank">{rank}</span>
      <div class="result-body">
        <div class="result-head">
          <a href={href(['entity', r.entity_id ?? ''])} class="result-name">
            <NameText name={r.matched_name} />
          </a>
          {r.score !== null && r.score !== undefined ? (
            <span class="score" title={t('search.score')}>
              {formatNumber(r.score, 2)}
            </span>
          ) : null}
          <TlpBadge tlp={r.tlp} />
          {rec ? <Grades reliability={rec.reliability} credibility={rec.credibility} /> : null}
          {rec?.category ? <span class={'category cat-' + rec.category}>{label('category', rec.category)}</span> : null}
          {rec?.type ? <span class="type">{label('type', rec.type)}</span> : null}
          <span class="service">{r.owner_service}</span>
          {r.source_record_id ? <span class="muted">{r.source_record_id}</span> : null}
        </div>
        {factors.length ? <FactorBars factors={factors} max={1} /> : null}
        {r.explanation ? (
          <p class="explanation" dir="auto">
            {r.explanation}
          </p>
        ) : null}
      </div>
    </li>
  );
}

interface BulkRow {
  line: number;
  name: string;
  state: 'pending' | 'known' | 'unknown' | 'restricted' | 'error';
  best?: MatchResult;
  error?: string;
}

const BULK_MAX = 200;

function BulkCheck({ user }: { user: SessionUser }) {
  const [text, setText] = useState('');
  const [rows, setRows] = useState<BulkRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [listName, setListName] = useState('');
  const [jobError, setJobError] = useState<unknown>(null);

  const check = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const names = text
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length > BULK_MAX) {
      setError(new ApiError(400, 'invalid_argument', t('bulk.toomany', { n: BULK_MAX }), 'names'));
      return;
    }
    const work: BulkRow[] = names.map((name, i) => ({ line: i + 1, name, state: 'pending' }));
    setRows(work);
    setBusy(true);
    for (const row of work) {
      try {
        const a = await api.post<MatchAnswer>('/api/v1/match', { body: { name: row.name, top: 1 } });
        const best = a.results[0];
        row.best = best;
        row.state = !best ? 'unknown' : best.restricted ? 'restricted' : 'known';
      } catch (err) {
        row.state = 'error';
        row.error = (err as Error).message;
        if (err instanceof ApiError && err.status === 429) {
          setError(err);
          break;
        }
      }
      setRows([...work]);
    }
    setBusy(false);
  };

  const startJob = async (e: Event) => {
    e.preventDefault();
    setJobError(null);
    const csv = 'id,name\n' + rows.map((r) => `${r.line},"${r.name.replace(/"/g, '""')}"`).join('\n') + '\n';
    try {
      const job = await api.post<Job>('/api/v1/screening/lists', {
        query: { name: listName.trim() },
        raw: csv,
        contentType: 'text/csv',
      });
      navigate(['screening', 'job', job.job_id]);
    } catch (err) {
      setJobError(err);
    }
  };

  const known = rows.filter((r) => r.state === 'known').length;
  const unknown = rows.filter((r) => r.state === 'unknown').length;
  const restricted = rows.filter((r) => r.state === 'restricted').length;
  return (
    <>
      <form class="card" onSubmit={check}>
        <Field label={t('bulk.names')} hint={t('bulk.names.hint', { n: BULK_MAX })}>
          <textarea name="names" dir="auto" rows={8} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} {...fieldProps(error, 'names')} />
        </Field>
        <button type="submit" class="primary" disabled={busy || !text.trim()}>
          {t('bulk.check')}
        </button>
      </form>
      <ErrorBox error={error} />
      {rows.length ? (
        <section class="card" aria-live="polite">
          <h2>{t('bulk.summary', { known, unknown, total: rows.length })}</h2>
          {restricted ? <p class="muted">{t('bulk.restricted', { n: restricted })}</p> : null}
          <table class="data" data-testid="bulk-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('bulk.name')}</th>
                <th scope="col">{t('bulk.result')}</th>
                <th scope="col">{t('bulk.best')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr class={'bulk-' + r.state}>
                  <td>{r.line}</td>
                  <td>
                    <NameText name={r.name} />
                  </td>
                  <td>{t('bulk.state.' + r.state)}</td>
                  <td>
                    {r.state === 'known' && r.best ? (
                      <a href={href(['entity', r.best.entity_id ?? ''])}>
                        <NameText name={r.best.matched_name} /> ({formatNumber(r.best.score ?? 0, 2)})
                      </a>
                    ) : r.state === 'restricted' ? (
                      t('search.restricted.ask', { service: r.best?.owner_service ?? '?' })
                    ) : (
                      r.error ?? ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {may(user.role, 'screen.run') && !busy ? (
            <form class="inline-form" onSubmit={startJob}>
              <Field label={t('bulk.listname')}>
                <input name="name" required value={listName} onInput={(e) => setListName((e.target as HTMLInputElement).value)} {...fieldProps(jobError, 'name')} />
              </Field>
              <button type="submit" class="primary">
                {t('bulk.startjob')}
              </button>
            </form>
          ) : null}
          <ErrorBox error={jobError} />
        </section>
      ) : null}
    </>
  );
}
