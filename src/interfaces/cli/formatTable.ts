/** Column alignment: numbers right, words left. */
export type Align = 'left' | 'right'

/**
 * Formats rows as aligned columns under a header, two spaces apart, for people reading a
 * terminal. Columns whose header is in `right` are right-aligned.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<string> = new Set()): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return right.has(header[column] ?? '') ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}
