// The UI's message catalogues (web/src/i18n/{fr,en,ar}.json) must hold the same keys with the
// same {placeholders}: a label added in one language and forgotten in another fails here.
// Run alone (`node tests/ui/locales.mjs`: exit 1 and the problems listed) or from run.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCALE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/i18n');
export const LOCALES = ['fr', 'en', 'ar'];

const placeholders = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

/** Problems between catalogues given as { locale: { key: text } }, one line each. */
export function compareCatalogues(catalogues) {
  const problems = [];
  const names = Object.keys(catalogues);
  const all = new Set(names.flatMap((n) => Object.keys(catalogues[n])));
  for (const key of [...all].sort()) {
    const missing = names.filter((n) => !(key in catalogues[n]));
    if (missing.length) {
      problems.push(`${key}: missing in ${missing.join(', ')} (present in ${names.filter((n) => !missing.includes(n)).join(', ')})`);
      continue;
    }
    const empty = names.filter((n) => String(catalogues[n][key]).trim() === '');
    if (empty.length) problems.push(`${key}: empty in ${empty.join(', ')}`);
    const shapes = new Set(names.map((n) => placeholders(catalogues[n][key])));
    if (shapes.size > 1) problems.push(`${key}: placeholders differ (${names.map((n) => `${n} {${placeholders(catalogues[n][key])}}`).join(', ')})`);
  }
  return problems;
}

export const MESSAGE_CODES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/http/message_codes.cc');

/**
 * The server's stable text codes (src/http/message_codes.cc) each need "server.<code>" in every
 * catalogue, using only the template's placeholders (a translation may leave one out: {field},
 * which the UI names before the text, or an id shown beside it). A template spans lines when
 * long: its string pieces are joined.
 */
export function compareServerCodes(catalogues, source = fs.readFileSync(MESSAGE_CODES, 'utf8')) {
  const problems = [];
  const entries = [...source.matchAll(/\{"([a-z0-9_.]+)",\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\}/g)];
  if (entries.length < 20) problems.push(`${MESSAGE_CODES}: only ${entries.length} templates read`);
  for (const [, code, pieces] of entries) {
    const text = [...pieces.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('');
    const want = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((n) => n !== 'field').sort().join(',');
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      const key = 'server.' + code;
      if (!(key in catalogue)) problems.push(`${key}: missing in ${locale} (the server sends code ${code})`);
      else {
        const extra = placeholders(catalogue[key]).split(',').filter((n) => n && !want.split(',').includes(n));
        if (extra.length) problems.push(`${key}: placeholders in ${locale} {${extra.join(',')}} that the server's template {${want}} does not give`);
      }
    }
  }
  const known = new Set(entries.map((e) => 'server.' + e[1]));
  for (const key of Object.keys(catalogues.en ?? {})) if (key.startsWith('server.') && !known.has(key)) problems.push(`${key}: no such code in ${MESSAGE_CODES}`);
  return problems;
}

export function loadCatalogues(dir = LOCALE_DIR) {
  const out = {};
  for (const l of LOCALES) {
    const file = path.join(dir, l + '.json');
    try {
      out[l] = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: ${e.message}`);
    }
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = [...compareCatalogues(loadCatalogues()), ...compareServerCodes(loadCatalogues())];
  if (problems.length) {
    console.error(`locales: ${problems.length} problem(s) in ${LOCALE_DIR}:\n  ` + problems.join('\n  '));
    process.exit(1);
  }
  console.log(`locales: ${LOCALES.join(', ')} hold the same ${Object.keys(loadCatalogues().en).length} keys and placeholders, the server's text codes included`);
}
