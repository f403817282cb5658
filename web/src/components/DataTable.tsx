// Tables through TanStack Table (headless): sorting by column; paging is the server's
// (cursor), shown as "load more" under the table.
import type { VNode } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import {
  createTable,
  getCoreRowModel,
  getSortedRowModel,
  type ColumnDef,
  type SortingState,
  type TableOptionsResolved,
} from '@tanstack/table-core';
import { t } from '../i18n';

export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => VNode | string | number | null | undefined;
  sortValue?: (row: T) => string | number;
  className?: string;
}

export function DataTable<T>({
  rows,
  columns,
  caption,
  rowClass,
  onRowClick,
  empty,
  testId,
}: {
  rows: T[];
  columns: Column<T>[];
  caption?: string;
  rowClass?: (row: T, index: number) => string;
  onRowClick?: (row: T, index: number) => void;
  empty?: string;
  testId?: string;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const defs = useMemo<ColumnDef<T, unknown>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        accessorFn: (row: T) => (c.sortValue ? c.sortValue(row) : ''),
        enableSorting: !!c.sortValue,
      })),
    [columns],
  );
  const table = useMemo(
    () =>
      createTable<T>({
        data: [],
        columns: [],
        state: {},
        onStateChange: () => {},
        renderFallbackValue: null,
        getCoreRowModel: getCoreRowModel(),
        getSortedRowModel: getSortedRowModel(),
      } as unknown as TableOptionsResolved<T>),
    [],
  );
  table.setOptions((prev) => ({
    ...prev,
    data: rows,
    columns: defs,
    state: { ...table.initialState, sorting },
    onSortingChange: (u) => setSorting(typeof u === 'function' ? u(sorting) : u),
  }));
  const byId = new Map(columns.map((c) => [c.id, c]));
  const tableRows = table.getRowModel().rows;
  if (rows.length === 0) return <p class="muted empty">{empty ?? t('common.none')}</p>;
  return (
    <div class="table-wrap">
      <table class="data" data-testid={testId}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr>
              {g.headers.map((h) => {
                const col = byId.get(h.column.id)!;
                const sorted = h.column.getIsSorted();
                return (
                  <th
                    scope="col"
                    class={col.className}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {h.column.getCanSort() ? (
                      <button type="button" class="sort" onClick={h.column.getToggleSortingHandler()}>
                        {col.header}
                        <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    ) : (
                      col.header
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {tableRows.map((r) => (
            <tr
              class={rowClass ? rowClass(r.original, r.index) : undefined}
              onClick={onRowClick ? () => onRowClick(r.original, r.index) : undefined}
            >
              {r.getVisibleCells().map((c) => {
                const col = byId.get(c.column.id)!;
                return <td class={col.className}>{col.cell(r.original)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MoreButton({ next, onMore, busy }: { next: string | null | undefined; onMore: () => void; busy?: boolean }) {
  if (!next) return null;
  return (
    <button type="button" class="secondary more" onClick={onMore} disabled={busy}>
      {t('common.more')}
    </button>
  );
}
