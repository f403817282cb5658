import { cloneElement, type ComponentChildren, type VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { label, serverText, t } from '../i18n';
import type { Name, Tlp } from '../api/types';

export function TlpBadge({ tlp }: { tlp?: Tlp | string }) {
  if (!tlp) return null;
  const cls = 'tlp tlp-' + tlp.toLowerCase().replace('+', '-');
  return (
    <span class={cls} title={t('tlp.title', { tlp: label('tlp', tlp) })}>
      TLP:{tlp}
    </span>
  );
}

export function Grades({ reliability, credibility }: { reliability?: string; credibility?: number }) {
  if (!reliability && !credibility) return null;
  const title = [
    reliability ? t('grades.reliability', { g: reliability, text: label('reliability', reliability) }) : '',
    credibility ? t('grades.credibility', { g: credibility, text: label('credibility', String(credibility)) }) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <span class="grades" title={title} aria-label={title}>
      {reliability ?? '?'}
      {credibility ?? '?'}
    </span>
  );
}

/** A name in its own script: dir="auto" so Arabic reads right to left inside any page. */
export function NameText({ name, fallback }: { name?: Name | string; fallback?: string }) {
  const n = typeof name === 'string' ? { full: name } : name;
  const text = n?.full ?? fallback ?? '';
  const lang = n?.script === 'Arab' || /[\u0600-\u06ff]/.test(text) ? 'ar' : undefined;
  return (
    <bdi dir="auto" lang={lang} class="name">
      {text}
    </bdi>
  );
}

export function primaryName(names?: Name[]): Name | undefined {
  if (!names || names.length === 0) return undefined;
  return names.find((n) => n.kind === 'primary') ?? names[0];
}

/** The server's error, in words, naming the field at fault. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  let text: string;
  let field: string | undefined;
  if (error instanceof ApiError) {
    field = error.field;
    if (error.status === 0) text = t('error.network');
    else if (error.status === 429) text = t('error.rate', { s: error.retryAfter ?? '?' });
    else if (error.status === 404) text = t('error.not_found');
    else if (error.status === 403) text = t('error.forbidden') + ' ' + serverText(error.message, error.messageCode, error.messageParams);
    else text = serverText(error.message, error.messageCode, error.messageParams);
  } else text = String((error as Error)?.message ?? error);
  return (
    <div class="error" role="alert">
      {field ? <strong>{t('error.field', { field: label('field', field) })} </strong> : null}
      {text}
    </div>
  );
}

/** A text from the server (a reason, an explanation), in the user's language when it is coded. */
export function ServerText({ text, code, params }: { text?: string; code?: string | null; params?: Record<string, string> | null }) {
  return <span lang={code ? undefined : 'en'}>{serverText(text, code, params)}</span>;
}

export function fieldProps(error: unknown, name: string): { 'aria-invalid'?: 'true'; class?: string } {
  return error instanceof ApiError && error.field && (error.field === name || error.field.startsWith(name + '.'))
    ? { 'aria-invalid': 'true', class: 'invalid' }
    : {};
}

export function Loading() {
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={id ? id + '-h' : undefined}>
      <h2 id={id ? id + '-h' : undefined}>{title}</h2>
      {children}
    </section>
  );
}

export function ProgressBar({ value, labelText }: { value: number; labelText?: string }) {
  const pct = Math.max(0, Math.min(1, value || 0)) * 100;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.style.width = pct.toFixed(1) + '%';
  }, [pct]);
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct)}
      aria-label={labelText ?? t('common.progress')}
    >
      <div class="progress-fill" ref={ref} />
      <span class="progress-text">{Math.round(pct)} %</span>
    </div>
  );
}

/** Horizontal bars for explanation factors; negative contributions grow to the left. */
export function FactorBars({
  factors,
  max,
  unit,
}: {
  factors: { name: string; value: number; detail?: string; missing?: boolean }[];
  max?: number;
  unit?: string;
}) {
  const scale = max ?? Math.max(0.0001, ...factors.map((f) => Math.abs(f.value)));
  return (
    <ul class="factors">
      {factors.map((f) => (
        <li class={f.missing ? 'factor missing' : 'factor'}>
          <span class="factor-name">{label('factor', f.name)}</span>
          <Bar value={f.value} scale={scale} />
          <span class="factor-value">
            {f.value > 0 ? '+' : ''}
            {unit === 'pts' ? f.value.toFixed(1) : f.value.toFixed(2)}
            {unit === 'pts' ? ' ' + t('risk.points') : ''}
          </span>
          {f.detail ? (
            <span class="factor-detail">
              <bdi>{f.detail}</bdi>
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Bar({ value, scale }: { value: number; scale: number }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const pct = Math.min(50, (Math.abs(value) / scale) * 50);
    el.style.width = pct + '%';
    if (value >= 0) {
      el.style.insetInlineStart = '50%';
      el.style.insetInlineEnd = '';
    } else {
      el.style.insetInlineEnd = '50%';
      el.style.insetInlineStart = '';
    }
  }, [value, scale]);
  return (
    <span class="bar-track" aria-hidden="true">
      <span class={value >= 0 ? 'bar-fill pos' : 'bar-fill neg'} ref={ref} />
    </span>
  );
}

/** A modal confirmation (native <dialog>: focus stays inside, Escape cancels). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
}: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby="dlg-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        <h2 id="dlg-title">{title}</h2>
        {children}
        <div class="actions">
          <button type="button" class="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Loads `fn` when `deps` change; exposes data, error, loading and reload. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
} {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    fn().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: () => setTick((n) => n + 1),
    setData: (d: T) => setState({ data: d, loading: false }),
  };
}

let fieldSeq = 0;

/** A labelled control; the hint is tied to it with aria-describedby (not part of its name). */
export function Field({ label: text, children, hint }: { label: string; children: VNode; hint?: string }) {
  const [id] = useState(() => 'f' + ++fieldSeq);
  const control = cloneElement(children, {
    id: (children.props as { id?: string }).id ?? id,
    'aria-describedby': hint ? id + '-hint' : undefined,
  });
  return (
    <div class="field">
      <label class="field-label" for={(children.props as { id?: string }).id ?? id}>
        {text}
      </label>
      {control}
      {hint ? (
        <span class="hint" id={id + '-hint'}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** A list paged on the server by cursor: the first page when `deps` change, `more()` appends
 *  the next. `items` stays empty after an error (the error names the field at fault). */
export function useCursorPages<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; next_cursor?: string | null }>,
  deps: unknown[],
): { items: T[]; next: string | undefined; error: unknown; loading: boolean; more: () => void } {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const load = async (cursor?: string) => {
    setLoading(true);
    try {
      const page = await fetchPage(cursor);
      setItems((cur) => (cursor ? [...cur, ...page.items] : page.items));
      setNext(page.next_cursor ?? undefined);
      setError(null);
    } catch (e) {
      setError(e);
      if (!cursor) setItems([]);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, deps);
  return { items, next, error, loading, more: () => void load(next) };
}
