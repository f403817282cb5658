// The signed-in user: recovered from GET /api/v1/session on load (the cookie is HttpOnly),
// set by the sign-in form, cleared by sign-out or when the server answers 401.
import { api, setCsrfToken, setUnauthenticatedHandler, ApiError } from './api/client';
import type { Session } from './api/types';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-out'; reason?: 'expired' | 'signed-out' }
  | { kind: 'signed-in'; session: Session };

let state: SessionState = { kind: 'loading' };
const listeners = new Set<(s: SessionState) => void>();

function set(next: SessionState): void {
  state = next;
  setCsrfToken(next.kind === 'signed-in' ? next.session.csrf_token : '');
  listeners.forEach((l) => l(state));
}

export function getSession(): SessionState {
  return state;
}
export function subscribe(l: (s: SessionState) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

setUnauthenticatedHandler(() => {
  if (state.kind === 'signed-in') set({ kind: 'signed-out', reason: 'expired' });
});

export async function restore(): Promise<void> {
  try {
    const session = await api.get<Session>('/api/v1/session', { quiet401: true });
    set({ kind: 'signed-in', session });
  } catch {
    set({ kind: 'signed-out' });
  }
}

export async function signIn(user: string, password: string): Promise<void> {
  const session = await api.post<Session>('/api/v1/session', { body: { user, password }, quiet401: true });
  set({ kind: 'signed-in', session });
}

export async function signOut(): Promise<void> {
  try {
    await api.del('/api/v1/session', { quiet401: true });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
  set({ kind: 'signed-out', reason: 'signed-out' });
}
