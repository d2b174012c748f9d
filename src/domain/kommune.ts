/** Kinds of Kommune the programme works with, as shown in the UI. */
export const kommuneKinds = ['Stadt', 'Landkreis', 'Gemeinde', 'Verbandsgemeinde', 'Samtgemeinde', 'Amt'] as const;
export type KommuneKind = (typeof kommuneKinds)[number];

/**
 * The words a Kommune of each kind is called by in the report („Bezeichnung“): the first is the kind
 * itself; the others are official designations of that kind („Hansestadt Rostock“, „Kreis Paderborn“).
 */
export const kommuneDesignations: Record<KommuneKind, readonly string[]> = {
  Stadt: ['Stadt', 'Hansestadt', 'Landeshauptstadt', 'Kreisstadt', 'Große Kreisstadt', 'Universitätsstadt', 'Bezirk'],
  Landkreis: ['Landkreis', 'Kreis', 'Region'],
  Gemeinde: ['Gemeinde', 'Markt', 'Flecken', 'Ortsgemeinde'],
  Verbandsgemeinde: ['Verbandsgemeinde'],
  Samtgemeinde: ['Samtgemeinde'],
  Amt: ['Amt'],
};

/** Every designation of every kind, once, longest first (so „Große Kreisstadt“ is found before „Kreisstadt“). */
export const allDesignations = [...new Set(Object.values(kommuneDesignations).flat())].sort((a, b) => b.length - a.length) as [string, ...string[]];

/**
 * Words that are designations but also begin real names („Markt Indersdorf“, „Flecken Zechlin“), and
 * per kind the words of other kinds that begin real names of this kind (the Gemeinde „Amt Neuhaus“):
 * a name may begin with them.
 */
const nameStartsAllowed: { all: readonly string[] } & Partial<Record<KommuneKind, readonly string[]>> = {
  all: ['Markt', 'Flecken'],
  Gemeinde: ['Amt'],
};

/** The Kommune's designation word: its own (e.g. „Hansestadt“), or the kind when it has none. */
export function designationOf(kommune: { kind: KommuneKind | string; designation?: string | null }): string {
  return kommune.designation ?? kommune.kind;
}

/** The Kommune as it is called, designation and name: „Hansestadt Rostock“, „Landkreis Beispielkreis“. */
export function kommuneTitle(kommune: { kind: KommuneKind | string; designation?: string | null; name: string }): string {
  return `${designationOf(kommune)} ${kommune.name}`;
}

/**
 * The stored designation for a chosen one: null when it is the kind itself (or none was chosen), the
 * designation when it belongs to the kind; undefined when the kind has no such designation.
 */
export function storedDesignation(kind: KommuneKind, designation: string | null | undefined): string | null | undefined {
  if (designation === null || designation === undefined || designation === '' || designation === kind) return null;
  return kommuneDesignations[kind].includes(designation) ? designation : undefined;
}

/** Why a designation does not fit the kind, or null when it does (null and the kind word always fit). */
export function checkDesignation(kind: KommuneKind, designation: string | null | undefined): string | null {
  if (storedDesignation(kind, designation) !== undefined) return null;
  const words = kommuneDesignations[kind].map((word) => `„${word}“`);
  return `„${designation}“ ist keine Bezeichnung für die Art „${kind}“; möglich ${words.length === 1 ? 'ist' : 'sind'} ${words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} und ${words.at(-1)}`}.`;
}

/**
 * The designation a name begins with („Landkreis“ in „Landkreis Beispielkreis“), or null. Names are
 * stored without it: the report puts the designation before the name itself, and „Abschlussbericht
 * Landkreis Landkreis Beispielkreis“ was the result. Words that begin real names are allowed
 * (nameStartsAllowed). One rule for the form, the API and the import.
 */
export function leadingDesignation(name: string, kind: KommuneKind): string | null {
  const trimmed = name.trim().toLocaleLowerCase('de');
  const allowed = [...nameStartsAllowed.all, ...(nameStartsAllowed[kind] ?? [])];
  for (const word of allDesignations) {
    if (allowed.includes(word)) continue;
    const lower = word.toLocaleLowerCase('de');
    if (trimmed.length > lower.length && trimmed.startsWith(lower) && /\s/u.test(trimmed[lower.length]!)) return word;
  }
  return null;
}

/** The form's and the API's message for a name that begins with a designation, or null. */
export function checkKommuneName(name: string, kind: KommuneKind): string | null {
  const word = leadingDesignation(name, kind);
  return word ? `Bitte geben Sie den Namen ohne „${word}“ ein; die Bezeichnung wählen Sie darunter.` : null;
}

/** The 16 Länder with their two-digit code, which is the start of every Amtlicher Gemeindeschlüssel. */
export const bundeslaender = [
  { code: '01', name: 'Schleswig-Holstein' },
  { code: '02', name: 'Hamburg' },
  { code: '03', name: 'Niedersachsen' },
  { code: '04', name: 'Bremen' },
  { code: '05', name: 'Nordrhein-Westfalen' },
  { code: '06', name: 'Hessen' },
  { code: '07', name: 'Rheinland-Pfalz' },
  { code: '08', name: 'Baden-Württemberg' },
  { code: '09', name: 'Bayern' },
  { code: '10', name: 'Saarland' },
  { code: '11', name: 'Berlin' },
  { code: '12', name: 'Brandenburg' },
  { code: '13', name: 'Mecklenburg-Vorpommern' },
  { code: '14', name: 'Sachsen' },
  { code: '15', name: 'Sachsen-Anhalt' },
  { code: '16', name: 'Thüringen' },
] as const;
export type Bundesland = (typeof bundeslaender)[number]['name'];
export const bundeslandNames = bundeslaender.map((land) => land.name) as [Bundesland, ...Bundesland[]];

/** Modules a Kommune can take; Modul 1 (Selbstcheck) is always taken. */
export const moduleNumbers = [1, 2, 3] as const;
export type ModuleNumber = (typeof moduleNumbers)[number];

/** Why an Amtlicher Gemeindeschlüssel is not valid for a Land, or null when it is. */
export function checkGemeindeschluessel(ags: string, bundesland: Bundesland): string | null {
  if (!/^\d{8}$/.test(ags)) return 'Der Amtliche Gemeindeschlüssel hat genau 8 Ziffern.';
  const land = bundeslaender.find((entry) => entry.code === ags.slice(0, 2));
  if (!land) return 'Der Amtliche Gemeindeschlüssel beginnt mit der Kennzahl eines Landes (01 bis 16).';
  if (land.name !== bundesland) {
    return `Der Amtliche Gemeindeschlüssel ${ags} gehört zu ${land.name}, nicht zu ${bundesland}.`;
  }
  return null;
}

/** Turns a Kommune's name into a URL slug: lower case, Umlaute and ß spelled out, words joined by hyphens. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** The modules a Kommune takes, always including Modul 1, sorted and without repeats. */
export function normaliseModules(modules: readonly ModuleNumber[]): ModuleNumber[] {
  return [...new Set<ModuleNumber>([1, ...modules])].sort((a, b) => a - b);
}
