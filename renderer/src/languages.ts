import type { Language } from '../../main/api/schemas';

/** The `lang` attribute for a corpus code: BCP-47 uses '-' where corpus codes like arb_Arab use '_'. */
export function langAttr(code: string): string {
  return code.replace(/_/g, '-');
}

/** ISO 639-3 reference names carry qualifiers ("Swahili (individual language)") that only lengthen labels. */
export function shortName(name: string): string {
  return name.replace(/\s*\((individual language|macrolanguage)\)$/i, '');
}

/** "Swahili (swh_Latn)", or the bare code for a language the registry does not know. */
export function languageLabel(code: string, languages: ReadonlyMap<string, Language>): string {
  const lang = languages.get(code);
  if (!lang || !lang.known || !lang.name || lang.name === code) return code;
  return `${shortName(lang.name)} (${code})`;
}

/** The language's name alone (for compact places that show the code beside it). */
export function languageName(code: string, languages: ReadonlyMap<string, Language>): string {
  const lang = languages.get(code);
  return lang?.known && lang.name ? shortName(lang.name) : code;
}
