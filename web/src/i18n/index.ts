// Message catalogue: every label comes from fr.json / en.json / ar.json, which hold the same
// keys with the same {placeholders} (tests/ui/locales.mjs fails otherwise). A missing key
// falls back to French, then English, then the key itself.
import { useEffect, useState } from 'preact/hooks';
import fr from './fr.json';
import en from './en.json';
import ar from './ar.json';

export type Locale = 'fr' | 'en' | 'ar';
type Catalogue = Record<string, string>;
const CATALOGUES: Record<Locale, Catalogue> = { fr, en, ar };
const INTL: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB', ar: 'ar-MA' };
export const LOCALES: Locale[] = ['fr', 'en', 'ar'];

function initial(): Locale {
  const saved = localStorage.getItem('entente.locale');
  if (saved === 'fr' || saved === 'en' || saved === 'ar') return saved;
  const nav = (navigator.language || 'fr').slice(0, 2);
  return nav === 'en' || nav === 'ar' ? nav : 'fr';
}

let locale: Locale = initial();
const listeners = new Set<() => void>();

function apply(): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = locale === 'ar' ? 'rtl' : 'ltr';
}
apply();

export function getLocale(): Locale {
  return locale;
}
export function setLocale(next: Locale): void {
  locale = next;
  localStorage.setItem('entente.locale', next);
  apply();
  listeners.forEach((l) => l());
}

/** The message `key`, with {name} placeholders filled from `vars`. */
export function t(key: string, vars?: Record<string, string | number>): string {
  const text = CATALOGUES[locale][key] ?? CATALOGUES.fr[key] ?? CATALOGUES.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] !== undefined ? String(vars[k]) : `{${k}}`));
}

/** A label from the catalogue when it has one (enum values: roles, statuses, categories…). */
export function label(prefix: string, value: string | undefined | null): string {
  if (!value) return '';
  const key = `${prefix}.${value}`;
  const text = CATALOGUES[locale][key] ?? CATALOGUES.fr[key] ?? CATALOGUES.en[key];
  return text ?? value;
}

// Placeholders of server texts that are themselves labels of the catalogue.
const PARAM_LABELS: Record<string, string> = { field: 'field', category: 'category', type: 'type', decision: 'decision' };

/**
 * A text the server sent in English, in the user's language when the server gave its stable
 * code (src/http/message_codes.h: "server.<code>" in the catalogues); else the English text.
 */
export function serverText(text: string | undefined, code?: string | null, params?: Record<string, string> | null): string {
  const key = code ? 'server.' + code : '';
  if (!key || !(key in CATALOGUES.en)) return text ?? '';
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) vars[name] = PARAM_LABELS[name] ? label(PARAM_LABELS[name], value) : value;
  return t(key, vars);
}

export function intlLocale(): string {
  return INTL[locale];
}

export function formatDate(value: string | undefined | null, withTime = true): string {
  if (!value) return '';
  // Partial dates (1987, 1987-03) stay as written: they are not instants.
  if (/^\d{4}(-\d{2})?$/.test(value)) return value;
  const d = new Date(value);
  if (isNaN(d.getTime())) return value;
  if (!withTime || /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(INTL[locale], { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
  }
  return new Intl.DateTimeFormat(INTL[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatNumber(value: number, digits?: number): string {
  return new Intl.NumberFormat(INTL[locale], digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Re-render the calling component when the language changes. */
export function useLocale(): Locale {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return locale;
}
