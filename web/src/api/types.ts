// Shapes of the answers the UI reads. The OpenAPI document gives most routes only
// `{"type": "object"}`, so these follow the server's JSON writers (see docs/API.md,
// docs/SCREENING.md, docs/GRAPH_AND_RISK.md, docs/HITNOHIT.md).

export type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
export type Role = 'analyst' | 'screening-officer' | 'liaison' | 'admin' | 'auditor' | 'partner';

export interface SessionUser {
  name: string;
  role: Role;
  clearance: Tlp;
  service: string;
}
export interface Session {
  user: SessionUser;
  csrf_token: string;
  expires_at?: string;
  idle_timeout_seconds?: number;
}

export interface Name {
  full: string;
  kind?: string;
  script?: string;
  lang?: string;
}
export interface Provenance {
  service?: string;
  source?: string;
  source_record_id?: string;
  [key: string]: unknown;
}
export interface Marking {
  tlp?: Tlp;
  releasable_to?: string[];
}
export interface Document {
  type?: string;
  number?: string;
  country?: string;
  [key: string]: unknown;
}
export interface EntityRecord {
  id: string;
  type: string;
  names?: Name[];
  birth_dates?: string[];
  birth_places?: string[];
  nationalities?: string[];
  gender?: string;
  documents?: Document[];
  addresses?: unknown[];
  attributes?: Record<string, unknown>;
  description?: string;
  provenance?: Provenance;
  reliability?: string;
  credibility?: number;
  category?: string;
  marking?: Marking;
  version?: number;
  created?: string;
  modified?: string;
  first_seen?: string;
  last_seen?: string;
  revoked?: boolean;
  change_seq?: number;
  // relationships
  relationship_type?: string;
  source_id?: string;
  target_id?: string;
}
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
export interface History {
  id: string;
  versions: EntityRecord[];
  withheld_versions?: number;
}

export interface Factor {
  factor: string;
  contribution: number;
  detail?: string;
}
export interface MatchResult {
  restricted?: boolean;
  message?: string;
  entity_id?: string;
  entity_version?: number;
  source_record_id?: string;
  matched_name?: string;
  score?: number | null;
  explanation?: string;
  factors?: Factor[];
  tlp?: Tlp;
  owner_service?: string;
}
export interface MatchAnswer {
  engine: string;
  results: MatchResult[];
}

export interface GraphNode {
  id: string;
  restricted?: boolean;
  label?: string;
  type?: string;
  category?: string;
  service?: string;
  tlp?: Tlp;
  reliability?: string;
  credibility?: number;
  hop?: number;
  network?: number;
  community?: number;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  type?: string;
  category?: string;
  restricted?: boolean;
}
export interface GraphAnswer {
  kind: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated?: boolean;
  seed?: string;
  hops?: number;
  length?: number;
  total_paths?: number;
  paths?: { nodes: string[]; relationships: string[][] }[];
  networks?: {
    component: number;
    size: number;
    relationships: number;
    categories?: unknown;
    communities: string[][];
    central: { id: string; score: number }[];
  }[];
  ranking?: { id: string; score: number; label?: string }[];
  measure?: string;
}

export interface RiskFactor {
  name: string;
  missing: boolean;
  value: number;
  contribution: number;
  detail?: string;
  records?: { role?: string; restricted?: boolean; id?: string; label?: string }[];
}
export interface RiskAnswer {
  subject?: { id: string; label?: string };
  score: number;
  level: string;
  base?: number;
  rules?: string;
  summary?: string;
  factors: RiskFactor[];
}

export interface Job {
  job_id: number;
  list: string;
  status: string;
  threshold: number;
  top: number;
  rows_total: number;
  rows_done: number;
  progress: number;
  rows_failed: number;
  rows_rejected: number;
  hits: number;
  started_by: string;
  started: string;
  updated?: string;
  finished?: string;
  runs?: number;
  message?: string;
}
export interface Hit {
  hit_id: number;
  restricted?: boolean;
  owner_service?: string;
  message?: string;
  list: string;
  job_id?: number;
  query_id?: string;
  row_id?: string;
  entity_id?: string;
  entity_version?: number;
  source_id?: string;
  score: number;
  matched_name?: string;
  explanation?: string;
  category?: string;
  origin?: string;
  changed?: string;
  status: string;
  decision?: string;
  decided_by?: string;
  decided_at?: string;
  raised?: string;
  decisions?: { decision: string; reason: string; decided_by: string; decided_at: string; previous: string; forced: boolean }[];
}
export interface Alert {
  alert_id: number;
  restricted?: boolean;
  owner_service?: string;
  message?: string;
  list: string;
  row_id?: string;
  entity_id?: string;
  matched_name?: string;
  score?: number;
  kind: string;
  why?: string;
  hit_id?: number;
  hit_status?: string;
  raised?: string;
}
export interface JobReport {
  job: Job;
  rows: Record<string, number>;
  hits: {
    total: number;
    from_job: number;
    from_rescreen: number;
    by_score_band: Record<string, number>;
    by_category: Record<string, number>;
    by_decision: Record<string, number>;
  };
  alerts: number;
}
export interface RowError extends Coded {
  file: string;
  line: number;
  row_id: string;
  kind: string;
  reason: string;
}

export interface Followup {
  id: string;
  partner: string;
  reference: string;
  record: string;
  reason: string;
  requested_by: string;
  status: string;
  decided_by?: string;
  decision_reason?: string;
  created?: string;
  decided?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  service: string;
  action: string;
  target: string;
  outcome: string;
  detail: unknown;
  prev_hash?: string;
  hash?: string;
}
export interface AuditVerify {
  ok: boolean;
  entries: number;
  head_seq?: number;
  head_hash?: string;
  first_bad_seq?: number;
  problem?: string;
}

export interface UserInfo {
  name: string;
  role: Role;
  clearance: Tlp;
  service: string;
  created?: string;
  revoked?: string | null;
  active_tokens?: number;
}
export interface NewToken {
  token: string;
  token_id: string;
  user: string;
  expires: string | null;
}

// Administration: open sessions (GET /api/v1/sessions).
export interface OpenSession {
  id: string;
  user: string;
  created: string;
  last_seen: string;
  expires_at: string;
}

// Exchange: agreements (GET /api/v1/exchange/agreements[/{partner}]), sync, explain.
export interface AgreementShare {
  categories: string[];
  types: string[];
  max_tlp: Tlp;
  min_reliability: string;
  min_credibility: number;
  require_releasable: boolean;
  drop: string[];
  redact: string[];
}
export interface AgreementCounts {
  records: number;
  shared: number;
  held_back: number;
  held_back_by_reason: ({ reason: string; count: number } & Coded)[];
  truncated: boolean;
}
export interface AgreementInfo {
  partner: string;
  service: string;
  url: string;
  may_write: boolean;
  share: AgreementShare;
  plain: string[];
  counts?: AgreementCounts;
}
export interface SyncState {
  partner: string;
  service: string;
  url: string;
  pulls: boolean;
  cursor: { added_after: string; objects_received: number; rejected: number; updated: string } | null;
  recent_rejections: ({ object_id: string; reason: string; at: string } & Coded)[];
}
export interface ShareExplanation {
  id: string;
  partner: string;
  shared: boolean;
  reasons: string[];
  applied: string[];
  reasons_coded?: ({ code: string; params: Record<string, string> } | null)[];
  applied_coded?: ({ code: string; params: Record<string, string> } | null)[];
}

// Hit/no-hit, asking side (POST /api/v1/hitnohit/ask, /api/v1/hitnohit/outgoing).
export interface AskAnswer {
  label: string;
  result: 'hit' | 'no-hit' | 'invalid' | 'not-sent';
  reference: string;
  band: string;
  expires: string;
  error: string;
}
export interface AskReport {
  partner: string;
  mode: string;
  answers: AskAnswer[];
}
/** A follow-up request this node sent: the same fields as one it received. */
export type OutgoingFollowup = Followup;

// Exchange: collections served and records received (GET /api/v1/exchange/collections,
// /api/v1/exchange/received, /api/v1/exchange/received/{id}).
export interface CollectionInfo {
  id: string;
  title: string;
  description: string;
  kind: 'agreement' | 'configured';
  direction: string | null;
  agreement: string | null;
  readers: string[];
  writers: string[];
  objects: { records: number; other_objects: number | null; truncated: boolean };
}
export type SignatureStatus = 'verified' | 'unsigned' | 'failed';
export interface ReceivedRecordSummary {
  id: string;
  type: string;
  name: string;
  tlp: string;
  service: string;
  revoked: boolean;
}
export interface Receipt {
  via: 'pull' | 'post' | 'refused';
  partner: string;
  collection: string | null;
  object_id: string;
  version: string;
  received_at: string;
  signature: SignatureStatus;
  signer_key?: string;
  reason?: string;
  reason_code?: string;
  reason_params?: Record<string, string>;
  record?: ReceivedRecordSummary | null;
}
export interface ReceivedPage {
  items: Receipt[];
  next_cursor?: string;
  truncated: boolean;
}
export interface ChainStep extends Partial<Receipt> {
  step: 'origin' | 'received' | 'refused';
  service?: string;
  source?: string;
  source_record_id?: string;
  grades?: string;
}
export interface ReceivedDetail {
  record: ReceivedRecordSummary;
  marking: { tlp: string; releasable_to: string[] };
  received: boolean;
  chain: ChainStep[];
  receipts: Receipt[];
  versions: { version: number; modified: string; revoked: boolean }[];
  versions_withheld: number;
}

/** A reason the server sent with its stable code (src/http/message_codes.h), when it has one. */
export interface Coded {
  reason_code?: string;
  reason_params?: Record<string, string>;
}
