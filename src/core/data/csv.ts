import { songGroupOf, type FeatureDataset, type FeatureRow } from './dataset.ts';

/** Columns of the GTZAN features table that are not features. */
const ID_COLUMNS = ['filename', 'length'] as const;
const LABEL_COLUMN = 'label';

export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** Splits one CSV line (RFC 4180 quoting). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

function quoteCsvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Parses a features CSV in the GTZAN table's layout: `filename,length,<features…>,label`.
 * Every feature cell must be a finite number.
 */
export function parseFeaturesCsv(text: string): FeatureDataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new CsvError('the CSV has no data rows');
  const header = splitCsvLine(lines[0]).map((h) => h.trim());
  if (header[0] !== ID_COLUMNS[0] || header[1] !== ID_COLUMNS[1] || header[header.length - 1] !== LABEL_COLUMN) {
    throw new CsvError(`expected columns filename,length,<features>,label; got ${header.slice(0, 3).join(',')}…`);
  }
  const featureNames = header.slice(2, -1);
  if (featureNames.length === 0) throw new CsvError('the CSV has no feature columns');
  const rows: FeatureRow[] = lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) {
      throw new CsvError(`row ${i + 2} has ${cells.length} cells, the header has ${header.length}`);
    }
    const features = new Float64Array(featureNames.length);
    for (let j = 0; j < featureNames.length; j++) {
      const v = Number(cells[j + 2]);
      if (cells[j + 2].trim() === '' || !Number.isFinite(v)) {
        throw new CsvError(`row ${i + 2}, column ${featureNames[j]}: '${cells[j + 2]}' is not a finite number`);
      }
      features[j] = v;
    }
    const file = cells[0];
    const label = cells[cells.length - 1].trim();
    if (label === '') throw new CsvError(`row ${i + 2} has no label`);
    return { file, group: songGroupOf(file), label, length: Number(cells[1]) || 0, features };
  });
  return { featureNames, rows };
}

/** Formats a dataset as CSV in the GTZAN table's layout (readable by pandas.read_csv). */
export function formatFeaturesCsv(dataset: FeatureDataset): string {
  const header = [...ID_COLUMNS, ...dataset.featureNames, LABEL_COLUMN].join(',');
  const body = dataset.rows.map((r) =>
    [quoteCsvField(r.file), String(r.length), ...Array.from(r.features, (v) => String(v)), quoteCsvField(r.label)].join(','),
  );
  return [header, ...body].join('\n') + '\n';
}
