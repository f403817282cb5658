// Link analysis: a Cytoscape drawing of an entity's neighbourhood that grows by expanding
// nodes (with undo), filtered by entity and relationship type, with the shortest paths to a
// second entity, networks (communities, central figures) and a PNG export at print scale.
import { useEffect, useRef, useState } from 'preact/hooks';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { api } from '../api/client';
import type { GraphAnswer, GraphNode, SessionUser } from '../api/types';
import { ErrorBox, Field, fieldProps, NameText, TlpBadge, useAsync } from '../components/common';
import { label, t, formatNumber } from '../i18n';
import { href, navigate } from '../router';

const ENTITY_TYPES = ['person', 'organization', 'vehicle', 'identity-document', 'phone', 'location', 'event'];
const REL_TYPES = ['member-of', 'associate-of', 'family-of', 'travelled-with', 'owns', 'uses-phone', 'located-at', 'sighted-at'];
const LAYOUTS = ['cose', 'breadthfirst', 'concentric', 'circle', 'grid'];
const MAX_NODES = 150;
const PALETTE = ['#e76f51', '#2a9d8f', '#8e44ad', '#f4a261', '#264653', '#d62828', '#3a86ff', '#6a994e'];

interface Filters {
  hops: number;
  types: string[];
  rels: string[];
}

export function GraphPage({ seed, query }: { user: SessionUser; seed?: string; query: URLSearchParams }) {
  if (!seed) return <GraphStart />;
  return <GraphView seed={seed} query={query} />;
}

function GraphStart() {
  const [id, setId] = useState('');
  const central = useAsync(() => api.get<GraphAnswer>('/api/v1/graph/central', { query: { top: 10 } }), []);
  return (
    <div>
      <h1>{t('graph.title')}</h1>
      <form
        class="card inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim()) navigate(['graph', id.trim()]);
        }}
      >
        <Field label={t('graph.seed')} hint={t('graph.seed.hint')}>
          <input name="seed" class="mono" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} />
        </Field>
        <button class="primary" type="submit">
          {t('graph.open')}
        </button>
      </form>
      <section class="card">
        <h2>{t('graph.central')}</h2>
        <ErrorBox error={central.error} />
        <ol data-testid="central">
          {(central.data?.ranking ?? [])
            .map((r) => ({ r, n: central.data!.nodes.find((n) => n.id === r.id) }))
            .filter((x) => x.n && !x.n.restricted)
            .map(({ r, n }) => (
              <li>
                <a href={href(['graph', r.id])}>
                  <NameText name={n!.label ?? r.id} />
                </a>{' '}
                <span class="muted">
                  {label('type', n!.type)} · {formatNumber(r.score, 3)}
                </span>
              </li>
            ))}
        </ol>
      </section>
    </div>
  );
}

let batch = 0;

/** Cytoscape elements from one answer; hidden records get keys unique to this answer. */
function toElements(answer: GraphAnswer): { elements: ElementDefinition[]; map: (id: string) => string } {
  const k = ++batch;
  const map = (id: string) => (id.startsWith('restricted') ? `r${k}:${id}` : id);
  const elements: ElementDefinition[] = [];
  for (const n of answer.nodes) {
    elements.push({
      group: 'nodes',
      data: {
        id: map(n.id),
        label: n.restricted ? t('graph.restricted') : n.label ?? n.id,
        type: n.type ?? '',
        restricted: n.restricted ? 1 : 0,
        raw: n,
      },
      classes: n.restricted ? 'restricted' : 't-' + (n.type ?? 'x') + (n.category && n.category !== 'other' ? ' flagged' : ''),
    });
  }
  for (const e of answer.edges) {
    elements.push({
      group: 'edges',
      data: { id: map(e.id), source: map(e.source), target: map(e.target), label: e.restricted ? '' : label('rel', e.type), type: e.type ?? '' },
      classes: e.restricted ? 'restricted' : '',
    });
  }
  return { elements, map };
}

function graphQuery(f: Filters, hops: number) {
  return {
    hops,
    max_nodes: MAX_NODES,
    entity_type: f.types.length && f.types.length < ENTITY_TYPES.length ? f.types.join(',') : undefined,
    rel: f.rels.length && f.rels.length < REL_TYPES.length ? f.rels.join(',') : undefined,
  };
}

function GraphView({ seed, query }: { seed: string; query: URLSearchParams }) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const undo = useRef<string[][]>([]);
  const [filters, setFilters] = useState<Filters>({
    hops: Number(query.get('hops') ?? 2) || 2,
    types: ENTITY_TYPES,
    rels: REL_TYPES,
  });
  const [layout, setLayout] = useState('cose');
  const [error, setError] = useState<unknown>(null);
  const [truncated, setTruncated] = useState(false);
  const [counts, setCounts] = useState({ nodes: 0, edges: 0, undo: 0 });
  const [selected, setSelected] = useState<GraphNode | null>(null);
  const [pathTo, setPathTo] = useState('');
  const [pathInfo, setPathInfo] = useState<string>('');
  const [pathError, setPathError] = useState<unknown>(null);
  const [netInfo, setNetInfo] = useState<string>('');
  const [png, setPng] = useState<string>('');
  const [list, setList] = useState<GraphNode[]>([]);

  const refresh = () => {
    const cy = cyRef.current;
    if (!cy) return;
    setCounts({ nodes: cy.nodes().length, edges: cy.edges().length, undo: undo.current.length });
    setList(cy.nodes().map((n) => n.data('raw') as GraphNode).filter((n) => !n.restricted));
  };
  const runLayout = (name = layout) => {
    cyRef.current?.layout({ name, animate: false, padding: 30 } as cytoscape.LayoutOptions).run();
  };

  useEffect(() => {
    const cy = cytoscape({
      container: container.current,
      wheelSensitivity: 0.3,
      maxZoom: 1.5,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'background-color': '#457b9d',
            width: 22,
            height: 22,
            'text-wrap': 'ellipsis',
            'text-max-width': '120px',
          },
        },
        { selector: 'node.t-organization', style: { shape: 'round-rectangle', 'background-color': '#1d3557' } },
        { selector: 'node.t-phone', style: { shape: 'diamond', 'background-color': '#6c757d' } },
        { selector: 'node.t-location', style: { shape: 'triangle', 'background-color': '#588157' } },
        { selector: 'node.t-vehicle', style: { shape: 'hexagon', 'background-color': '#bc6c25' } },
        { selector: 'node.t-identity-document', style: { shape: 'rectangle', 'background-color': '#a8a8a8' } },
        { selector: 'node.t-event', style: { shape: 'star', 'background-color': '#9d4edd' } },
        { selector: 'node.flagged', style: { 'border-width': 3, 'border-color': '#d62828' } },
        { selector: 'node.restricted', style: { 'background-color': '#ced4da', shape: 'ellipse', color: '#6c757d', 'border-style': 'dashed', 'border-width': 1, 'border-color': '#6c757d' } },
        { selector: 'node.seed', style: { width: 34, height: 34, 'border-width': 4, 'border-color': '#f4a261' } },
        { selector: 'node.central', style: { width: 36, height: 36, 'border-width': 5, 'border-color': '#ffb703' } },
        { selector: 'node:selected', style: { 'overlay-opacity': 0.2, 'overlay-color': '#000' } },
        { selector: 'edge', style: { width: 1.5, 'line-color': '#adb5bd', label: 'data(label)', 'font-size': 8, color: '#495057', 'curve-style': 'bezier', 'text-rotation': 'autorotate' } },
        { selector: 'edge.restricted', style: { 'line-style': 'dashed' } },
        { selector: '.path', style: { 'line-color': '#e63946', 'border-color': '#e63946', 'border-width': 4, width: 4 } },
      ],
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (evt) => {
      const raw = evt.target.data('raw') as GraphNode;
      setSelected(raw.restricted ? null : raw);
    });
    cy.on('dbltap', 'node', (evt) => {
      const raw = evt.target.data('raw') as GraphNode;
      if (!raw.restricted) void expand(raw.id);
    });
    return () => cy.destroy();
  }, []);

  const load = async () => {
    const cy = cyRef.current;
    if (!cy) return;
    setError(null);
    try {
      const answer = await api.get<GraphAnswer>('/api/v1/graph/neighbours/{id}', { path: { id: seed }, query: graphQuery(filters, filters.hops) });
      cy.elements().remove();
      undo.current = [];
      cy.add(toElements(answer).elements);
      cy.getElementById(seed).addClass('seed');
      setTruncated(!!answer.truncated);
      setPathInfo('');
      setNetInfo('');
      runLayout();
      refresh();
    } catch (e) {
      cy.elements().remove();
      setError(e);
      refresh();
    }
  };
  useEffect(() => {
    void load();
  }, [seed, filters]);

  const expand = async (id: string) => {
    const cy = cyRef.current;
    if (!cy) return;
    try {
      const answer = await api.get<GraphAnswer>('/api/v1/graph/neighbours/{id}', { path: { id }, query: graphQuery(filters, 1) });
      const { elements } = toElements(answer);
      const fresh = elements.filter((el) => cy.getElementById(String(el.data.id)).empty());
      // Nodes before edges so every edge finds its ends.
      const added = cy.add(fresh.sort((a, b) => (a.group === b.group ? 0 : a.group === 'nodes' ? -1 : 1)));
      undo.current.push(added.map((el) => el.id()));
      if (answer.truncated) setTruncated(true);
      runLayout();
      refresh();
    } catch (e) {
      setError(e);
    }
  };
  const undoLast = () => {
    const cy = cyRef.current;
    const ids = undo.current.pop();
    if (!cy || !ids) return;
    ids.forEach((i) => cy.getElementById(i).remove());
    runLayout();
    refresh();
  };

  const findPath = async (e: Event) => {
    e.preventDefault();
    const cy = cyRef.current;
    if (!cy || !pathTo.trim()) return;
    setPathError(null);
    try {
      const answer = await api.get<GraphAnswer>('/api/v1/graph/path', { query: { from: seed, to: pathTo.trim(), max_hops: 8 } });
      cy.elements().removeClass('path');
      if (!answer.paths?.length) {
        setPathInfo(t('graph.path.none'));
        return;
      }
      const { elements, map } = toElements(answer);
      const fresh = elements.filter((el) => cy.getElementById(String(el.data.id)).empty());
      const added = cy.add(fresh.sort((a, b) => (a.group === b.group ? 0 : a.group === 'nodes' ? -1 : 1)));
      if (added.length) undo.current.push(added.map((el) => el.id()));
      for (const p of answer.paths) {
        p.nodes.forEach((n) => cy.getElementById(map(n)).addClass('path'));
        p.relationships.flat().forEach((r) => cy.getElementById(map(r)).addClass('path'));
      }
      setPathInfo(t('graph.path.found', { length: answer.length ?? 0, n: answer.total_paths ?? answer.paths.length }));
      runLayout();
      refresh();
    } catch (err) {
      setPathInfo('');
      setPathError(err);
    }
  };

  const networks = async () => {
    const cy = cyRef.current;
    if (!cy) return;
    try {
      const answer = await api.get<GraphAnswer>('/api/v1/graph/networks', { query: { top: 5, max: 20 } });
      cy.nodes().removeClass('central');
      let communities = 0;
      let central = 0;
      for (const net of answer.networks ?? []) {
        net.communities.forEach((members, ci) => {
          const color = PALETTE[(net.component * 3 + ci) % PALETTE.length];
          for (const m of members) {
            const node = cy.getElementById(m);
            if (node.nonempty() && !node.hasClass('restricted')) {
              node.style('background-color', color);
              communities++;
            }
          }
        });
        for (const c of net.central) {
          const node = cy.getElementById(c.id);
          if (node.nonempty() && !node.hasClass('restricted')) {
            node.addClass('central');
            central++;
          }
        }
      }
      setNetInfo(t('graph.networks.info', { c: communities, k: central }));
    } catch (e) {
      setError(e);
    }
  };

  const exportPng = async () => {
    const cy = cyRef.current;
    if (!cy) return;
    const blob = (await cy.png({ output: 'blob-promise', scale: 3, full: true, bg: '#ffffff' })) as Blob;
    // The drawing's own width (model units), so a test can check the export's print scale.
    if (container.current) container.current.dataset.drawingWidth = String(Math.round(cy.elements().boundingBox().w));
    if (png) URL.revokeObjectURL(png);
    const url = URL.createObjectURL(blob);
    setPng(url);
    const a = document.createElement('a');
    a.href = url;
    a.download = `entente-graph-${seed}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  const toggle = (key: 'types' | 'rels', value: string) => {
    const cur = filters[key];
    setFilters({ ...filters, [key]: cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value] });
  };

  return (
    <div class="graph-page">
      <h1>{t('graph.title')}</h1>
      <div class="graph-layout">
        <aside class="card graph-controls" aria-label={t('graph.controls')}>
          <Field label={t('graph.hops')}>
            <select value={String(filters.hops)} onChange={(e) => setFilters({ ...filters, hops: Number((e.target as HTMLSelectElement).value) })}>
              {[1, 2, 3].map((h) => (
                <option value={String(h)}>{h}</option>
              ))}
            </select>
          </Field>
          <Field label={t('graph.layout')}>
            <select
              value={layout}
              onChange={(e) => {
                const v = (e.target as HTMLSelectElement).value;
                setLayout(v);
                runLayout(v);
              }}
            >
              {LAYOUTS.map((l) => (
                <option value={l}>{t('graph.layout.' + l)}</option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend>{t('graph.filter.types')}</legend>
            {ENTITY_TYPES.map((ty) => (
              <label class="check">
                <input type="checkbox" checked={filters.types.includes(ty)} onChange={() => toggle('types', ty)} /> {label('type', ty)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('graph.filter.rels')}</legend>
            {REL_TYPES.map((r) => (
              <label class="check">
                <input type="checkbox" checked={filters.rels.includes(r)} onChange={() => toggle('rels', r)} /> {label('rel', r)}
              </label>
            ))}
          </fieldset>
          <form onSubmit={findPath}>
            <Field label={t('graph.path.to')} hint={t('graph.path.hint')}>
              <input name="to" class="mono" value={pathTo} onInput={(e) => setPathTo((e.target as HTMLInputElement).value)} {...fieldProps(pathError, 'to')} />
            </Field>
            <button type="submit" class="secondary">
              {t('graph.path.find')}
            </button>
          </form>
          <ErrorBox error={pathError} />
          {pathInfo ? (
            <p role="status" data-testid="path-info">
              {pathInfo}
            </p>
          ) : null}
        </aside>
        <div class="graph-main">
          <div class="toolbar">
            <button type="button" class="secondary" onClick={undoLast} disabled={counts.undo === 0}>
              {t('graph.undo')}
            </button>
            <button type="button" class="secondary" onClick={() => void networks()}>
              {t('graph.networks')}
            </button>
            <button type="button" class="secondary" onClick={() => void exportPng()}>
              {t('graph.png')}
            </button>
            <span role="status" data-testid="graph-counts" data-nodes={counts.nodes} data-edges={counts.edges}>
              {t('graph.counts', { n: counts.nodes, e: counts.edges })}
            </span>
          </div>
          <ErrorBox error={error} />
          {truncated ? (
            <p class="notice" role="status" data-testid="truncated">
              {t('graph.truncated', { n: MAX_NODES })}
            </p>
          ) : null}
          {netInfo ? <p role="status">{netInfo}</p> : null}
          <div class="cy" ref={container} data-testid="cy" role="img" aria-label={t('graph.aria', { n: counts.nodes, e: counts.edges })} />
          <p class="muted">{t('graph.help')}</p>
        </div>
        <aside class="card graph-side">
          {selected ? (
            <div data-testid="selected">
              <h2>
                <NameText name={selected.label ?? selected.id} />
              </h2>
              <p>
                {label('type', selected.type)} <TlpBadge tlp={selected.tlp} /> {selected.service}
              </p>
              <p>
                <a href={href(['entity', selected.id])}>{t('graph.openentity')}</a>
              </p>
              <button type="button" class="primary" onClick={() => void expand(selected.id)}>
                {t('graph.expand')}
              </button>
            </div>
          ) : (
            <p class="muted">{t('graph.select')}</p>
          )}
          <h2>{t('graph.list')}</h2>
          <ul class="node-list">
            {list.map((n) => (
              <li>
                <button type="button" class="link" onClick={() => void expand(n.id)} aria-label={t('graph.expand.one', { name: n.label ?? n.id })}>
                  +
                </button>{' '}
                <a href={href(['entity', n.id])}>
                  <NameText name={n.label ?? n.id} />
                </a>
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}
