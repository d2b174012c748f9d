/** Kinds of Kommune the programme works with, as shown in the UI. */
export const kommuneKinds = ['Stadt', 'Landkreis', 'Gemeinde', 'Verbandsgemeinde', 'Samtgemeinde', 'Amt'] as const;
export type KommuneKind = (typeof kommuneKinds)[number];

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
