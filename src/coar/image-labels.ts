/**
 * Where an imported image's label comes from (its folder, a file-name prefix or a CSV file), and
 * the small text files that go with an import: label CSVs and class-name lists.
 */
import { CoarError, check } from './errors';
import { printable } from './printable';

export type LabelSource = { kind: 'folder' } | { kind: 'prefix'; separator: string } | { kind: 'csv'; text: string };

export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

export function isImagePath(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}

/**
 * Files an import leaves out, in the app and the CLI alike: any path segment that starts with "."
 * (".DS_Store", macOS "._001.png" resource forks, ".git/…") or is "__MACOSX" (zip archives made
 * on macOS). Paths are relative to the imported folder.
 */
export function isHiddenPath(path: string): boolean {
  return normalizeImagePath(path).split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}

/** Forward slashes, no leading "./": the form paths are compared in. */
export function normalizeImagePath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The label string of one image, by path relative to the imported folder. */
export function labelOfPath(path: string, source: LabelSource, csv?: Map<string, string>): string {
  const rel = normalizeImagePath(path);
  const parts = rel.split('/');
  switch (source.kind) {
    case 'folder': {
      check(parts.length >= 2, `Image "${printable(rel)}" is not inside a class folder: with folder labels every image sits in a folder named after its class (e.g. cat/${printable(baseName(rel))}).`, 'label-missing');
      return parts[parts.length - 2];
    }
    case 'prefix': {
      const separator = source.separator || '_';
      const name = baseName(rel);
      const end = name.indexOf(separator);
      check(end > 0, `File name "${printable(rel)}" has no label before "${printable(separator)}" (with prefix labels, name files like cat${printable(separator)}001.png).`, 'label-missing');
      return name.slice(0, end);
    }
    case 'csv': {
      const rows = csv ?? parseLabelCsv(source.text);
      const label = rows.get(rel) ?? rows.get(baseName(rel));
      check(label !== undefined, `The label CSV has no row for image "${printable(rel)}" (rows are "file,label", the file by name or by path inside the folder).`, 'label-missing');
      return label;
    }
  }
}

/** Splits one CSV line into fields; double quotes may enclose a field, "" is a literal quote. */
function csvFields(line: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        check(i < line.length, `Label CSV line ${lineNumber}: a quoted field is not closed.`, 'malformed-csv');
        if (line[i] === '"' && line[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (line[i] === '"') { i++; break; }
        field += line[i++];
      }
      check(i === line.length || line[i] === ',', `Label CSV line ${lineNumber}: unexpected text after a closing quote.`, 'malformed-csv');
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      check(!field.includes('"'), `Label CSV line ${lineNumber}: a quote inside an unquoted field (quote the whole field).`, 'malformed-csv');
      i = end < 0 ? line.length : end;
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** "file,label" rows → file → label. The first row is a header when its file is not an image name. */
export function parseLabelCsv(text: string): Map<string, string> {
  const rows = new Map<string, string>();
  const firstLine = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let seenRow = false;
  lines.forEach((line, k) => {
    if (line.trim() === '') return;
    const n = k + 1;
    const fields = csvFields(line, n);
    check(fields.length === 2, `Label CSV line ${n}: expected 2 fields "file,label", found ${fields.length}: ${printable(JSON.stringify(line.slice(0, 80)))}.`, 'malformed-csv');
    const isHeader = !seenRow && !isImagePath(fields[0]);
    seenRow = true;
    if (isHeader) return;
    const [file, label] = [normalizeImagePath(fields[0]), fields[1]];
    check(file !== '' && label !== '', `Label CSV line ${n}: the file and the label must both be non-empty.`, 'malformed-csv');
    check(!rows.has(file), `Label CSV line ${n}: "${printable(file)}" already has a row (line ${firstLine.get(file)}).`, 'malformed-csv');
    rows.set(file, label);
    firstLine.set(file, n);
  });
  check(rows.size > 0, 'The label CSV has no "file,label" rows.', 'malformed-csv');
  return rows;
}

/** One class name per line (order = class index); blank lines and "#" comments are skipped. */
export function parseClassNames(text: string): string[] {
  const names: string[] = [];
  const lineOf = new Map<string, number>();
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, k) => {
    const name = raw.trim();
    if (name === '' || name.startsWith('#')) return;
    checkUniqueClass(lineOf, name, `line ${k + 1}`, `line ${lineOf.get(name)}`);
    lineOf.set(name, k + 1);
    names.push(name);
  });
  check(names.length > 0, 'The class-names file lists no classes (one name per line).', 'bad-class-names');
  return names;
}

function checkUniqueClass(seen: Map<string, unknown>, name: string, where: string, first: string): void {
  if (seen.has(name)) throw new CoarError(`Class name "${printable(name)}" appears twice (${first} and ${where}); class names must be unique.`, 'duplicate-class');
}

/** Throws 'duplicate-class' naming the first repeated name. */
export function checkUniqueClassNames(names: readonly string[]): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    checkUniqueClass(seen, name, `position ${i + 1}`, `position ${(seen.get(name) ?? 0) + 1}`);
    seen.set(name, i);
  });
}

const NUMERIC = /^[+-]?\d+(\.\d+)?$/;

/** Unique label strings in class order: numbers numerically (so "10" after "9"), then text by code point. */
export function sortedClassNames(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort((a, b) => {
    const na = NUMERIC.test(a);
    const nb = NUMERIC.test(b);
    if (na && nb && Number(a) !== Number(b)) return Number(a) - Number(b);
    if (na !== nb) return na ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
