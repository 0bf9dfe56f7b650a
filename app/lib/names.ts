/** Titles people put before a name; a greeting skips them ("Dr. Ana Ruiz, MD" → "Ana"). */
const TITLES = /^(dr|mr|mrs|ms|mx|miss|prof|professor|sir|dame)\.?$/i;

/**
 * The name to greet someone by: their first name, without a title or the credentials after a
 * comma. A name that is only a title and a surname keeps both ("Dr. Ruiz").
 */
export function greetingName(fullName: string): string {
  const beforeCredentials = fullName.split(",")[0].trim();
  const words = beforeCredentials.split(/\s+/).filter(Boolean);
  const rest = words.filter((w, i) => !(i === 0 && TITLES.test(w)));
  if (rest.length === 0) return beforeCredentials || fullName.trim();
  if (rest.length === 1 && rest.length < words.length) return beforeCredentials;
  return rest[0];
}
