import { useMemo, useState, type ReactNode } from 'react';
import type { FileItem } from '../pipeline/batch.ts';
import { formatRate, formatSeconds } from '../common/format.ts';

export interface Column {
  key: string;
  label: string;
  /** The value sorted on. */
  sortValue(item: FileItem): string | number;
  render(item: FileItem): ReactNode;
}

export const BASE_COLUMNS: Column[] = [
  { key: 'file', label: 'File', sortValue: (i) => i.path.toLowerCase(), render: (i) => i.path },
  { key: 'duration', label: 'Duration', sortValue: (i) => i.durationSeconds ?? -1, render: (i) => formatSeconds(i.durationSeconds) },
  { key: 'rate', label: 'Sample rate', sortValue: (i) => i.sampleRate ?? -1, render: (i) => formatRate(i.sampleRate) },
  {
    key: 'state',
    label: 'State',
    sortValue: (i) => i.state,
    render: (i) => (
      <span className={`state-${i.state}`}>
        {i.state}
        {i.fromCache ? ' (cached)' : ''}
        {i.message && i.state === 'error' ? <span className="error-text">: {i.message}</span> : null}
      </span>
    ),
  },
];

interface Props {
  caption: string;
  items: FileItem[];
  columns: Column[];
  /** Extra content per row, shown when the row is selected (e.g. its prediction details). */
  selectedId?: string | null;
  onSelect?(id: string): void;
}

/** A table of files whose columns sort on click (aria-sort tells assistive technology which). */
export function FileTable({ caption, items, columns, selectedId, onSelect }: Props) {
  const [sort, setSort] = useState<{ key: string; ascending: boolean } | null>(null);
  const rows = useMemo(() => {
    if (!sort) return items;
    const column = columns.find((c) => c.key === sort.key);
    if (!column) return items;
    const sign = sort.ascending ? 1 : -1;
    return [...items].sort((a, b) => {
      const x = column.sortValue(a);
      const y = column.sortValue(b);
      return sign * (x < y ? -1 : x > y ? 1 : 0);
    });
  }, [items, columns, sort]);
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th key={c.key} scope="col" aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
                  <button
                    type="button"
                    onClick={() => setSort({ key: c.key, ascending: active ? !sort.ascending : true })}
                    aria-label={`Sort by ${c.label}`}
                  >
                    {c.label}
                    {active ? (sort.ascending ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              );
            })}
            {onSelect && <th scope="col">Details</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((item) => (
            <tr key={item.id} aria-selected={selectedId === item.id} className={selectedId === item.id ? 'selected' : undefined}>
              {columns.map((c) => (
                <td key={c.key}>{c.render(item)}</td>
              ))}
              {onSelect && (
                <td>
                  <button type="button" onClick={() => onSelect(item.id)} disabled={item.state !== 'done'} aria-label={`Show details of ${item.path}`}>
                    Show
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
