// Administration: the keys and certificates of this node and of each partner
// (GET /api/v1/exchange/keys). Read-only: keys and certificates are changed with
// `entente share set-agreement` and `entente pki`, and the page says so.
import { api } from '../api/client';
import { ErrorBox, Loading, Section, ServerText, useAsync } from '../components/common';
import { formatDate, formatNumber, label, t } from '../i18n';

interface Certificate {
  path: string;
  subject?: string;
  issuer?: string;
  not_before?: string;
  not_after?: string;
  days_left?: number;
  valid_now?: boolean;
  sha256?: string;
  error?: string;
  error_code?: string;
  error_params?: Record<string, string>;
}
interface SigningKey {
  public_key: string;
  key_id: string;
  error?: string;
  error_code?: string;
  error_params?: Record<string, string>;
}
interface PartnerKeys {
  partner: string;
  service: string;
  url: string;
  principals: string[];
  signing_key: SigningKey | null;
  ca_cert: Certificate | null;
  client_cert: Certificate | null;
  client_key: { path: string; present: boolean } | null;
  account: string | null;
  token: { env?: string; file?: string; present: boolean } | null;
  certificate_mappings: { cert_cn: string; cert_sha256: string; service: string; clearance: string }[];
}
interface KeysAnswer {
  node: { service: string; signing_key: SigningKey | null; server_certificate: Certificate | null; client_ca: Certificate | null };
  partners: PartnerKeys[];
}

/** Splits a long hex fingerprint in groups of four so that it can be read out on the phone. */
function groups(hex: string): string {
  return hex.replace(/(.{4})/g, '$1 ').trim();
}

function Cert({ cert, testId }: { cert: Certificate | null; testId: string }) {
  if (!cert) return <span class="muted">{t('admin.keys.none')}</span>;
  if (cert.error)
    return (
      <span class="error-text" data-testid={testId}>
        <span class="mono small">{cert.path}</span>: <ServerText text={cert.error} code={cert.error_code} params={cert.error_params} />
      </span>
    );
  const state = !cert.valid_now ? t('admin.keys.expired') : t('admin.keys.daysleft', { n: formatNumber(cert.days_left ?? 0) });
  return (
    <dl class="facts" data-testid={testId}>
      <dt>{t('admin.keys.subject')}</dt>
      <dd class="mono small" dir="ltr">{cert.subject}</dd>
      <dt>{t('admin.keys.issuer')}</dt>
      <dd class="mono small" dir="ltr">{cert.issuer}</dd>
      <dt>{t('admin.keys.validity')}</dt>
      <dd>
        {t('admin.keys.fromto', { from: formatDate(cert.not_before), to: formatDate(cert.not_after) })}{' '}
        <strong class={cert.valid_now && (cert.days_left ?? 0) > 30 ? '' : 'warn'}>{state}</strong>
      </dd>
      <dt>{t('admin.keys.sha256')}</dt>
      <dd class="mono small" dir="ltr">{groups(cert.sha256 ?? '')}</dd>
      <dt>{t('admin.keys.file')}</dt>
      <dd class="mono small" dir="ltr">{cert.path}</dd>
    </dl>
  );
}

function Key({ k, testId }: { k: SigningKey | null; testId: string }) {
  if (!k) return <span class="muted">{t('admin.keys.nokey')}</span>;
  return (
    <dl class="facts" data-testid={testId}>
      <dt>{t('admin.keys.keyid')}</dt>
      <dd class="mono" dir="ltr">{k.key_id || '—'}</dd>
      <dt>{t('admin.keys.public')}</dt>
      <dd class="mono small" dir="ltr">{k.public_key}</dd>
      {k.error ? (
        <dd class="error-text">
          <ServerText text={k.error} code={k.error_code} params={k.error_params} />
        </dd>
      ) : null}
    </dl>
  );
}

function Partner({ p }: { p: PartnerKeys }) {
  const token = p.token
    ? t(p.token.env ? 'admin.keys.token.env' : 'admin.keys.token.file', { where: p.token.env ?? p.token.file ?? '' }) +
      ' — ' +
      t(p.token.present ? 'admin.keys.present' : 'admin.keys.missing')
    : t('admin.keys.none');
  return (
    <div class="card" data-testid={`keys-${p.partner}`}>
      <h3>
        {p.partner} <span class="muted">({p.service})</span>
      </h3>
      <h4>{t('admin.keys.signing')}</h4>
      <p class="muted small">{t('admin.keys.signing.intro', { partner: p.partner })}</p>
      <Key k={p.signing_key} testId={`keys-${p.partner}-signing`} />
      <h4>{t('admin.keys.ca')}</h4>
      <Cert cert={p.ca_cert} testId={`keys-${p.partner}-ca`} />
      <h4>{t('admin.keys.client')}</h4>
      <Cert cert={p.client_cert} testId={`keys-${p.partner}-client`} />
      {p.client_key ? (
        <p class="small">
          {t('admin.keys.clientkey')}: <span class="mono">{p.client_key.path}</span> — {t(p.client_key.present ? 'admin.keys.present' : 'admin.keys.missing')}
        </p>
      ) : null}
      <h4>{t('admin.keys.account')}</h4>
      <p>
        {p.account || p.token ? (
          <span>
            {p.account ? <span class="mono">{p.account}</span> : t('admin.keys.none')} · {token}
          </span>
        ) : (
          t('admin.keys.none')
        )}
      </p>
      <h4>{t('admin.keys.mappings')}</h4>
      {p.certificate_mappings.length ? (
        <ul data-testid={`keys-${p.partner}-mappings`}>
          {p.certificate_mappings.map((m) => (
            <li>
              {m.cert_cn ? t('admin.keys.mapping.cn', { cn: m.cert_cn }) : t('admin.keys.mapping.sha', { sha: groups(m.cert_sha256) })} →{' '}
              {t('admin.keys.mapping.acts', { partner: p.partner, service: m.service, clearance: label('tlp', m.clearance) })}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('admin.keys.nomapping')}</p>
      )}
    </div>
  );
}

export function AdminKeys() {
  const keys = useAsync(() => api.get<KeysAnswer>('/api/v1/exchange/keys'), []);
  const node = keys.data?.node;
  return (
    <Section title={t('admin.keys')} id="keys">
      <p class="muted">{t('admin.keys.intro')}</p>
      {keys.loading && !keys.data ? <Loading /> : null}
      <ErrorBox error={keys.error} />
      {node ? (
        <div class="card" data-testid="keys-node">
          <h3>{t('admin.keys.node', { service: node.service })}</h3>
          <h4>{t('admin.keys.signing')}</h4>
          <p class="muted small">{t('admin.keys.node.signing.intro')}</p>
          <Key k={node.signing_key} testId="keys-node-signing" />
          <h4>{t('admin.keys.server')}</h4>
          <Cert cert={node.server_certificate} testId="keys-node-server" />
          <h4>{t('admin.keys.clientca')}</h4>
          <Cert cert={node.client_ca} testId="keys-node-clientca" />
        </div>
      ) : null}
      {keys.data && !keys.data.partners.length ? <p>{t('exchange.noagreements')}</p> : null}
      <div class="agreements">
        {(keys.data?.partners ?? []).map((p) => (
          <Partner p={p} />
        ))}
      </div>
    </Section>
  );
}
