const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi

/**
 * Writes a message without what URLs in it may carry secretly: each URL is cut to its scheme
 * and host (`https://user:pw@node.example/v3/KEY?apikey=x` becomes `https://node.example`), since
 * RPC endpoints keep API keys in their paths and exchanges sign their query strings.
 */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (match) => {
    // Punctuation that ends a sentence is the message's, not the URL's.
    const trailing = /[.,;:!?)\]]+$/.exec(match)?.[0] ?? ''
    const found = match.slice(0, match.length - trailing.length)
    if (!URL.canParse(found)) return `[a URL]${trailing}`
    const url = new URL(found)
    return `${url.host === '' ? `${url.protocol}[a URL]` : `${url.protocol}//${url.host}`}${trailing}`
  })
}
