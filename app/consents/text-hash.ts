/** The exact text a patient reads, as hashed: the title, a blank line, then the body (line ends as \n). */
export function consentText(title: string, body: string) {
  return `${title.trim()}\n\n${body.replace(/\r\n?/g, "\n").trim()}`;
}

/** Hex SHA-256 of the consent's text (Web Crypto: the same on Node and in a Worker). */
export async function consentTextSha256(title: string, body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(consentText(title, body)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
