/**
 * Writes a database URL for messages without its credentials or parameters:
 * `postgres://user:secret@db:5432/dust?sslmode=require` becomes `postgres://db:5432/dust`.
 */
export function redactDatabaseUrl(url: string): string {
  if (!URL.canParse(url)) return '(an unreadable database URL)'
  const parsed = new URL(url)
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
}
