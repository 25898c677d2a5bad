// Its own file, without the YAML parser, so that the CLI's option parsers quote what they refuse
// without loading a configuration's dependencies.

/**
 * Quotes a text for a message: JSON-escaped, every character outside printable ASCII as a `\u`
 * escape (a Cyrillic `Е` in `ЕIGEN` shows as `\u0415`), cut after 60 characters.
 */
export function quoteText(text: string): string {
  const shown = text.length > 60 ? text.slice(0, 60) : text
  const quoted = JSON.stringify(shown).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return text.length > 60 ? `${quoted.slice(0, -1)}…" (${text.length} characters)` : quoted
}
