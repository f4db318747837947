/**
 * What is wrong with a YAML key that is not text (`007:` is the number 7,
 * `1e3:` is 1000, `~:` is null): every JSON key is text, so it reaches Kairos
 * under another name than the one written. The CLI's file check and the
 * console's YAML tab say it in these words.
 */
export function renamedKeyWords(written: string, name: string): string {
  return `the key ${written} reaches Kairos as ${JSON.stringify(name)} (every JSON key is text): quote it to keep it as written, "${written}"`;
}
