import { useState } from 'preact/hooks';
import { signIn } from '../session';
import { t } from '../i18n';
import { ApiError } from '../api/client';
import { LanguageSwitch } from '../app';

export function SignIn({ reason }: { reason?: 'expired' | 'signed-out' }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await signIn(user.trim(), password);
      setPassword('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('signin.wrong'));
      else if (err instanceof ApiError && err.status === 429) setError(t('signin.rate', { s: err.retryAfter ?? '?' }));
      else if (err instanceof ApiError && err.status === 0) setError(t('error.network'));
      else if (err instanceof ApiError && err.status === 404) setError(t('signin.unavailable'));
      else setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <div class="signin-box card">
        <div class="signin-head">
          <h1>entente</h1>
          <LanguageSwitch />
        </div>
        <p class="muted">{t('signin.intro')}</p>
        {reason === 'expired' ? (
          <p class="notice" role="status">
            {t('signin.expired')}
          </p>
        ) : null}
        {reason === 'signed-out' ? (
          <p class="notice" role="status">
            {t('signin.signedout')}
          </p>
        ) : null}
        <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
          <label class="field">
            <span class="field-label">{t('signin.user')}</span>
            <input
              name="user"
              autocomplete="username"
              required
              value={user}
              onInput={(e) => setUser((e.target as HTMLInputElement).value)}
              aria-invalid={error ? 'true' : undefined}
            />
          </label>
          <label class="field">
            <span class="field-label">{t('signin.password')}</span>
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
              aria-invalid={error ? 'true' : undefined}
            />
          </label>
          {error ? (
            <div class="error" role="alert" id="signin-error">
              {error}
            </div>
          ) : null}
          <button type="submit" class="primary" disabled={busy}>
            {t('signin.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
