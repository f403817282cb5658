// The one way the UI talks to the server: same-origin fetch with the session cookie, the CSRF
// token on every state-changing request, and errors turned into ApiError (message + field).
// Paths are typed from the server's own OpenAPI document (src/api/schema.d.ts, generated from
// web/openapi.json at build time), so a route that disappears or is renamed breaks the build.
import type { paths } from './schema';

export type ApiPath = keyof paths;
type Method = 'get' | 'post' | 'put' | 'delete';
/** Paths that declare `method` in the OpenAPI document. */
export type PathFor<M extends Method> = {
  [P in ApiPath]: [paths[P] extends Record<M, infer O> ? O : undefined] extends [undefined] ? never : P;
}[ApiPath];

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
    public retryAfter?: number,
    /** the stable code of the server's text (http/message_codes.h) and its values */
    public messageCode?: string,
    public messageParams?: Record<string, string>,
  ) {
    super(message);
  }
}

/** The error member of the server's JSON error body. */
interface ErrorBody {
  code?: string;
  message?: string;
  field?: string;
  message_code?: string;
  message_params?: Record<string, string>;
}

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined | null | string[]>;
  body?: unknown;
  /** raw body (CSV upload); sent as is with `contentType` */
  raw?: Blob | string;
  contentType?: string;
  /** Accept header (TAXII routes answer application/taxii+json) */
  accept?: string;
  /** do not treat a 401 as an expired session (the sign-in form itself) */
  quiet401?: boolean;
  signal?: AbortSignal;
}

export function buildUrl(path: string, opts: RequestOptions = {}): string {
  let url = path.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = opts.path?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(opts.query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  if (qs) url += '?' + qs;
  return url;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
  let body: BodyInit | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['Content-Type'] = opts.contentType ?? 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, opts), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'unavailable', 'network');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const taxii = parsed as { title?: string; description?: string } | undefined;
    const err =
      (parsed as { error?: ErrorBody } | undefined)?.error ??
      (taxii?.title ? { message: taxii.description ? `${taxii.title}: ${taxii.description}` : taxii.title } : undefined);
    const retry = Number(response.headers.get('Retry-After') ?? '') || undefined;
    const coded = err as ErrorBody | undefined;
    const apiError = new ApiError(
      response.status,
      err?.code ?? 'http_' + response.status,
      err?.message ?? response.statusText ?? 'error',
      err?.field || fieldFromMessage(err?.message),
      retry,
      coded?.message_code,
      coded?.message_params,
    );
    if (response.status === 401 && !opts.quiet401 && onUnauthenticated) onUnauthenticated();
    throw apiError;
  }
  return parsed as T;
}

/** "field birth_date: ..." → "birth_date" (the server names the field in the message too). */
export function fieldFromMessage(message?: string): string | undefined {
  const m = /^(?:field )?([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*): /.exec(message ?? '');
  return m ? m[1] : undefined;
}


export const api = {
  get: <T>(path: PathFor<'get'>, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: PathFor<'post'>, opts?: RequestOptions) => request<T>('POST', path, opts),
  put: <T>(path: PathFor<'put'>, opts?: RequestOptions) => request<T>('PUT', path, opts),
  del: <T>(path: PathFor<'delete'>, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/** A file upload with upload progress (fetch has none); same cookie, CSRF and errors. */
export function upload<T>(
  path: PathFor<'post'>,
  opts: RequestOptions & { raw: Blob; onProgress?: (fraction: number) => void },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, opts));
    xhr.setRequestHeader('Content-Type', opts.contentType ?? 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && opts.onProgress) opts.onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'unavailable', 'network'));
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as T);
        return;
      }
      const err = (parsed as { error?: ErrorBody } | undefined)?.error;
      if (xhr.status === 401 && onUnauthenticated) onUnauthenticated();
      reject(
        new ApiError(
          xhr.status,
          err?.code ?? 'http_' + xhr.status,
          err?.message ?? xhr.statusText,
          err?.field || fieldFromMessage(err?.message),
          Number(xhr.getResponseHeader('Retry-After') ?? '') || undefined,
          err?.message_code,
          err?.message_params,
        ),
      );
    };
    xhr.send(opts.raw);
  });
}
