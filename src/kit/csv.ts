/**
 * CSV as RFC 4180 has it: fields joined by commas, records ended by CRLF, a field quoted when it
 * holds a comma, a quote or a line break, quotes inside doubled. Text that a spreadsheet would run
 * as a formula (starting with = + - @ or a tab) is prefixed with a single quote; numbers are
 * written as they are.
 */
export type CsvCell = string | number | null;

export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A CSV download: the type with its charset, and a file name for the browser to save it under. */
export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
    },
  });
}
