/** Secrets shorter than this are not scrubbed: replacing a few common letters would garble every text. */
export const MIN_SECRET_LENGTH = 6

/** What a secret is replaced with. */
export const REDACTED = '[redacted]'

const MAX_DEPTH = 8

/** The forms a secret takes in text: as it is, escaped inside a JSON string, and percent-encoded in a URL. */
function formsOf(secrets: readonly string[]): string[] {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue
    forms.add(secret)
    forms.add(JSON.stringify(secret).slice(1, -1))
    forms.add(encodeURIComponent(secret))
  }
  // The longest first: a URL holding a password is replaced whole, not around the password.
  return [...forms].sort((a, b) => b.length - a.length)
}

function redactText(text: string, forms: readonly string[]): string {
  let result = text
  for (const form of forms) if (result.includes(form)) result = result.replaceAll(form, REDACTED)
  return result
}

function redactNode(value: unknown, forms: readonly string[], seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value, forms)
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value
  if (seen.has(value) || depth > MAX_DEPTH) return '[not shown]'
  // `seen` holds the ancestors only: a cycle stops the walk, an object met twice side by side does not.
  seen.add(value)
  try {
    return redactObject(value, forms, seen, depth)
  } finally {
    seen.delete(value)
  }
}

function redactObject(value: object, forms: readonly string[], seen: WeakSet<object>, depth: number): unknown {
  if (value instanceof Error) {
    // Written out field by field: the message, the stack, and what the project's errors add (code, details, cause).
    const code = 'code' in value ? value.code : undefined
    const details = 'details' in value ? value.details : undefined
    return {
      type: value.name,
      message: redactText(value.message, forms),
      ...(code === undefined ? {} : { code: redactNode(code, forms, seen, depth + 1) }),
      ...(details === undefined ? {} : { details: redactNode(details, forms, seen, depth + 1) }),
      ...(value.stack === undefined ? {} : { stack: redactText(value.stack, forms) }),
      ...(value.cause === undefined ? {} : { cause: redactNode(value.cause, forms, seen, depth + 1) }),
    }
  }
  if (Array.isArray(value)) return value.map((item) => redactNode(item, forms, seen, depth + 1))
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactText(key, forms), redactNode(item, forms, seen, depth + 1)]))
}

/**
 * Replaces every secret in a text, or in every string of a value (errors written out as
 * `{ type, message, code, details, stack, cause }`), with `[redacted]`: the last guard before
 * an answer or a log line leaves the process. Secrets shorter than `MIN_SECRET_LENGTH` are left.
 */
export function redactSecrets(value: string, secrets: readonly string[]): string
export function redactSecrets(value: unknown, secrets: readonly string[]): unknown
export function redactSecrets(value: unknown, secrets: readonly string[]): unknown {
  const forms = formsOf(secrets)
  if (typeof value === 'string') return redactText(value, forms)
  return redactNode(value, forms, new WeakSet(), 0)
}
