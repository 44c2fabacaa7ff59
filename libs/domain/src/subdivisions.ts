import { iso31662 } from 'iso-3166';

// ISO 3166-2 from the maintained `iso-3166` data package (pure data, no I/O): never a hand-typed list.

interface CountrySubdivisions {
  /** Codes without the country prefix ("WA" of "US-WA"). */
  readonly codes: ReadonlySet<string>;
  /** Upper-cased name → code; null when two subdivisions of one level share the name (only a code says which). */
  readonly names: ReadonlyMap<string, string | null>;
}

const comparable = (text: string): string => text.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();

function indexByCountry(): ReadonlyMap<string, CountrySubdivisions> {
  const byCountry = new Map<
    string,
    { codes: Set<string>; named: Map<string, { code: string; topLevel: boolean }[]> }
  >();
  for (const { code, name, parent } of iso31662) {
    const [country, local] = code.split('-');
    let entry = byCountry.get(country);
    if (!entry) byCountry.set(country, (entry = { codes: new Set(), named: new Map() }));
    entry.codes.add(local);
    const key = comparable(name);
    entry.named.set(key, [...(entry.named.get(key) ?? []), { code: local, topLevel: parent === country }]);
  }
  const index = new Map<string, CountrySubdivisions>();
  for (const [country, { codes, named }] of byCountry) {
    // A name shared by a region and one of its districts (Dhaka) means the region: the level tax rules name.
    const names = new Map(
      [...named].map(([key, found]) => {
        const candidates = found.length > 1 ? found.filter((entry) => entry.topLevel) : found;
        return [key, candidates.length === 1 ? candidates[0].code : null] as const;
      }),
    );
    index.set(country, { codes, names });
  }
  return index;
}

const SUBDIVISIONS = indexByCountry();

/**
 * The ISO 3166-2 code (the part after "US-") of the subdivision `text` names in
 * `country`: its code ("WA", or whole: "US-WA") or its English name
 * ("Washington"), in any letter case. Undefined when it names none.
 */
export function subdivisionCode(country: string, text: string): string | undefined {
  const upperCountry = country.trim().toUpperCase();
  const known = SUBDIVISIONS.get(upperCountry);
  if (!known) return undefined;
  const key = comparable(text);
  const code = key.startsWith(`${upperCountry}-`) ? key.slice(upperCountry.length + 1) : key;
  if (known.codes.has(code)) return code;
  return known.names.get(key) ?? undefined;
}
