/** What the importer takes from a Paratext project's Settings.xml. */
export interface ParatextSettings {
  /** Short project name (<Name>), e.g. "SUV". */
  name?: string;
  /** From <LanguageIsoCode> "sw:::" → "sw"; with a script, "hi:Deva::" → "hi-Deva" (BCP-47). */
  lang?: string;
  /** Language name (<Language>), for messages only: the runner resolves codes, not names. */
  languageName?: string;
  fileNamePrePart: string;
  fileNamePostPart: string;
  /** "41MAT", "MAT" or "41": how the book appears between the pre and post parts. */
  fileNameBookNameForm?: string;
  /** Windows code page; 65001 is UTF-8. */
  encoding?: string;
}

/**
 * Settings.xml is a flat list of elements under <ScriptureText>, without
 * namespaces or entities beyond the five predefined ones, so a regular
 * expression per field is enough and avoids a DOM for a 2 KB file.
 */
export function parseParatextSettings(xml: string): ParatextSettings {
  const iso = field(xml, 'LanguageIsoCode');
  return {
    name: field(xml, 'Name') || undefined,
    lang: iso ? isoToLang(iso) : undefined,
    languageName: field(xml, 'Language') || undefined,
    fileNamePrePart: field(xml, 'FileNamePrePart') ?? '',
    fileNamePostPart: field(xml, 'FileNamePostPart') ?? '',
    fileNameBookNameForm: field(xml, 'FileNameBookNameForm') || undefined,
    encoding: field(xml, 'Encoding') || undefined,
  };
}

function isoToLang(iso: string): string | undefined {
  // language:script:region:variant, empty parts allowed ("sw:::").
  const [lang, script] = iso.trim().split(':');
  if (!lang) return undefined;
  return script && /^[A-Z][a-z]{3}$/.test(script) ? `${lang}-${script}` : lang;
}

function field(xml: string, tag: string): string | undefined {
  if (new RegExp(`<${tag}\\s*/>`).test(xml)) return '';
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? unescapeXml(m[1].trim()) : undefined;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}
