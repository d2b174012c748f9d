/**
 * The data of the reference report (the Abschlussbericht of the Stadt Dessau-Roßlau, issue 13) as
 * the process documents hold it: section 1 (Ausgangslage), the Auftaktgespräch, the workshop with every
 * Entwicklungspotenzial and Handlungsbedarf, the dialogue event and the Ausblick. Entered through the
 * services in `src/services/reference-report.test.ts` and rendered directly in the golden matrix
 * (`src/domain/report-golden.test.ts`).
 *
 * The texts are the reference report's, with its line-end hyphenation joined and four slips of the
 * pen corrected (Hugo Junkers, Beispielsweise, Dies ist, integrationsstrategischen) and two spellings
 * made those of the glossary (Selbstcheck-Workshop, Online-Format).
 */

// ---- Section 1: Ausgangslage ----------------------------------------------------------------------

export const profile = {
  population: 80_674,
  populationSource: 'wegweiser-kommune.de',
  foreignShare: 5.8,
  foreignShareSource: 'wegweiser-kommune.de',
  facts: [
    {
      label: 'Kinder mit Migrationshintergrund in Kindertageseinrichtungen',
      value: 6.9,
      unit: '%',
      referenceDate: '06/2019',
      note: 'Jedoch liegt der Anteil der Kinder in dieser Altersgruppe auf die gesamte Stadt betrachtet bei 10,5 % (wegweiser-kommune.de).',
    },
  ],
  districtRange: { areaKind: 'Ortsteil', lowestShare: 0, lowestName: 'Mühlstedt', highestShare: 18.92, highestName: 'Innerstädtischer Bereich Mitte' },
  administrationHead: { title: 'Oberbürgermeister', name: 'Peter Kuras' },
  projectLeads: [
    { name: 'Christian Altmann', unit: 'Integrationsbüro' },
    { name: 'Claudia Heß', unit: 'Integrationsbüro' },
  ],
  challenges: [
    'Gelingende Integration von zugewanderten Menschen als Prozess (ca. 65 % der Menschen mit Migrationshintergrund leben weniger als 5 Jahre in Dessau-Roßlau).',
    'interkulturelle Sensibilisierung der Verwaltungsmitarbeiter:innen und Sensibilisierung der Bürger:innen der Stadt für Diversität und Inklusion.',
    'Entgegenwirken des Fachkräfteengpasses hin zu einem gewinnbringenden Umgang mit dem Demographischen Wandel.',
    'Fortschreibung zu einer Weltoffenen Kommune – als gewinnbringende Ressource.',
    'gleichberechtigter Zugang aller Bürger:innen zu allen gesellschaftlichen Aktivitäten in der Stadt (Barriere-Abbau).',
    'Diskriminierungserfahrungen bis hin zu vereinzeltem Rassismus.',
    'Mangelnde Erfahrungen mit Andersartigkeit.',
    'Begegnung innerhalb der Vielfaltsdimensionen.',
    'Durch Individualisierungsprozesse teilweise Rückzugsverhalten der Bürger:innen aus dem Gemeinwesen sowie dem öffentlichen Raum.',
    'Struktureller und demographischer Wandel in der Stadt.',
    'Ansprache und Mitgestaltung von Zielgruppen, die teilweise das Vertrauen in die politische Arbeit verloren haben, und damit Partizipation fördern.',
  ],
  furtherConditions: [
    'Dessau-Roßlau gehört zu einer alternden Stadt, die stark vom demographischen Wandel betroffen ist (Abwanderung, geringe Geburtenrate, steigender Altersdurchschnitt). Die Einwohner:innen der Innenstadt sind häufiger einkommensschwach als in anderen Stadtteilen. Dabei treffen viele soziale Problemlagen aufeinander.',
    'Fachkräftemangel hat inzwischen die hohe Arbeitslosigkeit abgelöst.',
  ].join('\n'),
};

// ---- Section 2: Auftaktgespräch --------------------------------------------------------------------

export const kickoff = {
  date: '2020-02-17',
  participants: [
    { name: 'Peter Kuras', role: 'Oberbürgermeister' },
    { name: 'Kathrin Hinze', organisation: 'Bürgeranliegen und Engagementförderung' },
    { name: 'Annalena Rehkämper', organisation: 'PHINEO gAG' },
    { name: 'Claudia Walther', organisation: 'Bertelsmann Stiftung' },
  ],
  excused: [
    { name: 'Claudia Heß', organisation: 'Integrationsbüro' },
    { name: 'Christian Altmann', organisation: 'Integrationsbüro' },
  ],
  keyStatements: [
    'Oberbürgermeister Kuras erläuterte zur Situation in Dessau-Roßlau:',
    'Dessau-Roßlau hat eine bewegte Geschichte (Hugo Junkers, Bauhaus …) und positive wie negative Anknüpfungspunkte (auch zum Thema Weltoffene Kommune).',
    'Seit 2–3 Jahren verzeichnet Dessau-Roßlau wieder ein Zuwanderungswachstum, insgesamt steigt die Geburtenrate wieder leicht an, es müssen zwei neue Kitas gebaut werden. Eine Chance liegt auch in der Rück-Zuwanderung (z. B. aus Leipzig, Berlin).',
    'Eine Stärke ist das Bauhaus: die großen Hoffnungen, die mit den 100-Jahre-Bauhaus-Feierlichkeiten im Jahr 2019 verbunden waren, wurden erfüllt. Im ZDF-Ranking 2019 belegte Dessau-Roßlau einen guten Platz zum Thema Lebensqualität (Platz 4).',
    'Die Stadt hat bereits zahlreiche Projekte und Einrichtungen zur Integration aufgebaut, bereitgestellt bzw. unterstützt: z. B. Sprachmittler (ehrenamtlich mit Aufwandsentschädigung), Willkommenspass, Willkommensordner (IQ), Familienangebote, multikulturelles Zentrum, Netzwerk Vielfaltgestalter.',
    'Herr Kuras stimmt einer Zusammenarbeit im Rahmen des Modellprojekts Weltoffene Kommune zu.',
  ].join('\n\n'),
};

// ---- Sections 2 and 4: the Selbstcheck-Workshop ----------------------------------------------------

const potentials4 = [
  'Nach Einschätzung der Teilnehmenden besteht noch Entwicklungspotenzial in Hinblick auf Diversitätsthemen auf der Leitungsebene. Auch das Thema Antirassismus sei noch nicht strukturell verankert (keine klare antirassistische Haltung). Beispielsweise sei das Thema interkulturelle Kompetenzen noch nicht auf Bewerbungssituationen übertragen worden bzw. vorgegeben (bzw. bisher nur in der Ausländerbehörde).',
  'Die Teilnehmenden haben den Eindruck, dass die bisherigen Arbeitsergebnisse und Prozesse des Integrationsbüros durch weitere Ebenen innerhalb der Verwaltung umgesetzt und aufgegriffen werden müssen. Strategische Integrationsarbeit muss dabei breiter unterstützt werden.',
  'Zum Thema Führungskräfteschulungen: In der Diskussion wurde eingeschätzt, dass diese noch nicht mit Blick auf Rolle und Funktion der Führungskräfte umgesetzt werden.',
  'Es wurde als Beobachtung geschildert, dass es Fälle von diskriminierendem Verhalten im Kontakt mit Einwohner:innen sowie Überforderungssituationen gebe. Zudem wurde geschildert, dass einzelne Bevölkerungsgruppen der Stadtgesellschaft noch nicht ganz akzeptiert werden.',
  'Empfohlen wurden: Supervision, Coaching, kollegiale Beratung zu Diversitätsthemen und bedarfsgerechte Weiterbildungsangebote für Mitarbeiter:innen der Verwaltung. Zudem wurde empfohlen, zielgerichtet Mitarbeiter:innen der Führungsebene für Diversitätsthemen zu sensibilisieren.',
  'Es wurde mehr Verständnis für personelle Umstände und ausreichende Ressourcen gewünscht.',
].join('\n\n');

const actionNeeds4 = [
  {
    text: 'Haltungsarbeit und interkulturelle Schulungen für alle Mitarbeiter:innen auf allen Ebenen der Stadtverwaltung intensivieren und vertiefen (insbesondere auf den Leitungsebenen und im Publikumsverkehr)',
    subpoints: ['Personalentwicklung', 'Förderung dieser Haltung auch durch Einstellung neuer Mitarbeiter:innen.'],
  },
  { text: 'Bewusstsein für Interdisziplinarität und Schnittstellen entwickeln.', subpoints: [] },
  { text: 'Obligatorische Diversitätstrainings für alle Dezernent:innen durchführen.', subpoints: [] },
  { text: 'Eine Zukunftsstrategie Weltoffenheit (regelmäßige Haltepunkte) entwickeln.', subpoints: [] },
  { text: 'Klares Vorgehen gegen diskriminierendes und rassistisches Verhalten.', subpoints: [] },
];

const potentials5 = [
  'Die Engagementwürdigung wie zum Beispiel in Form der Ehrenamtskarte sei in der Stadtgesellschaft noch nicht in der Breite angekommen, so die Teilnehmenden. Es wurde eingeschätzt, dass viele Bürger:innen nicht wissen, dass das ehrenamtliche Engagement so stark ist: „Die Sichtbarkeit und die Vielfältigkeit des Engagements sind bei den Bürger:innen noch nicht angekommen“.',
  'Aus Sicht des Stadtmarketings sei es schwierig, dieses Thema zu bearbeiten. Eine Beteiligung außerhalb von Projekten sei schwierig, eine Verstetigung von Beteiligung sei nicht gegeben.',
  'Es wurde eingeschätzt:',
  [
    '- Auf der Ortsteilebene gibt es teilweise Probleme, Menschen für Engagement zu gewinnen.',
    '- Vielen Bürger:innen sind die Möglichkeiten, sich ehrenamtlich zu engagieren, nicht bekannt. Die Frage ist, ob dies an der zu geringen Kommunikation dazu liegt.',
    '- Beteiligung scheint im Bereich Stadtentwicklung weniger erfolgreich zu sein („Wo ist der Schlüssel, um Engagement und Beteiligung auch im Bereich der Stadtentwicklung gut zu gestalten?“).',
    '- Oftmals bestehen viele Hürden, wenn sich Einwohner:innen ehrenamtlich engagieren möchten.',
    '- Kommunikation ist zu wenig prozessorientiert.',
    '- Bei bestimmten Themen werden auch nur bestimmte Zielgruppen angesprochen.',
    '- Es besteht zu wenig Klarheit darüber, wie Beteiligungsprozesse gut und erfolgreich geführt werden (z. B. Leipziger Tor). Beteiligung findet dann oft nur von bestimmten Gruppen statt, die ihre Interessen vertreten. Wenn dies der Fall ist, wird es schwer, ein Konzept vielfältig zu gestalten. Am Leipziger Tor war der Beteiligungsprozess zu wenig vielfältig.',
  ].join('\n'),
].join('\n\n');

const actionNeeds5 = [
  {
    text: 'Es ist erforderlich, einen Kümmerer zu etablieren, der sich um die Beteiligung/ Aktivierung von Einwohner:innen kümmert: als Anlaufstelle, Beratung etc. Dafür sind finanzielle Ressourcen erforderlich.',
    subpoints: [],
  },
  {
    text: 'Eine verlässliche und passende Struktur für Beteiligung schaffen, um Beteiligung langfristig zu ermöglichen:',
    subpoints: [
      'Klarheit über die Struktur und auch die zielgruppen- bzw. aufgabengerechte Formulierung bzw. attraktive Bezeichnung der Stelle.',
      'Bekanntheitsgrad von den Möglichkeiten des ehrenamtlichen Engagements.',
      'Stelle für Bürgeranliegen schaffen.',
    ],
  },
  {
    text: 'Netzwerksarbeit sicherstellen und offener gestalten:',
    subpoints: [
      'Netzwerksstruktur weiter ausbauen und auch für andere Bereiche ermöglichen, z. B. im Jugendbereich, Stadtelternbeirat/ Stadtelternrat, Schülerrat, in der kulturellen Bildung.',
      'Zusammenbringen der verschiedenen Netzwerke intensivieren.',
      'Bei bestehenden Netzwerken auf Offenheit achten, damit auch neue Leute dazu kommen können bzw. sich dazu eingeladen fühlen.',
    ],
  },
  { text: 'Die Internetseite der Stadt mit Blick auf Engagement und Beteiligung zielgruppengerecht ausrichten.', subpoints: [] },
  { text: 'Anerkennungskultur für Engagement und Beteiligung noch weiter fassen, auskleiden und auf Vielfalt ausrichten.', subpoints: [] },
  {
    text: 'Nachwuchsgewinnung im Ehrenamt weltoffener gestalten und vorher die Barrieren identifizieren (Was hindert bestimmte Gruppen daran, sich zu beteiligen? Wo liegen die Hürden?).',
    subpoints: [],
  },
  {
    text: 'Lernen, wie Beteiligung gut funktioniert und wie ich möglichst viele daran beteiligen kann. Auch die Grenzen der Beteiligung verdeutlichen. Vor den Prozessen deutlich machen: Wie funktionieren Beteiligungsprozesse und wie kann ich bei der Beteiligung wirklich Vielfalt schaffen?',
    subpoints: [],
  },
  { text: 'Ehrenamt auch an den Kompetenzen der Ehrenamtlichen ausrichten.', subpoints: [] },
  {
    text: 'Bei Beteiligungsprozessen mehr Vielfalt gewährleisten.',
    subpoints: ['Dies ist eine Frage der Zielgruppenorientierung.', 'Gezielte Presse- und Kommunikationsarbeit ist erforderlich.'],
  },
  {
    text: 'Aktives Konfliktmanagement ist erforderlich: einen Perspektivwechsel bei Beteiligungsprojekten einnehmen, insbesondere auch innerhalb der Verwaltung vornehmen.',
    subpoints: ['Den Blick der anderen einnehmen und in den Dialog kommen.', 'Wie kommen wir zum Dialog?'],
  },
  { text: 'Finanzielle Mittel für bürgerschaftliches Engagement bereitstellen, damit es gelingen kann.', subpoints: [] },
  { text: 'Neue Formen des Ehrenamtes ermöglichen:', subpoints: ['dies insbesondere für Menschen mit Migrationshintergrund.'] },
];

export const workshop = {
  id: 'workshop-dessau-rosslau-1',
  roundNumber: 1,
  date: '2020-07-01',
  dateOpen: false,
  startTime: '14:00',
  endTime: '18:00',
  participantsTotal: 20,
  participantsTotalApproximate: true,
  moderation: { person: 'Kerstin Schmidt', organisation: 'demographie lokal', role: 'Prozessbegleiterin' },
  documentationShared: true,
  fields: [
    { fieldKey: '4', qualifier: 'Antidiskriminierung', potentials: potentials4, actionNeeds: actionNeeds4 },
    { fieldKey: '5', potentials: potentials5, actionNeeds: actionNeeds5 },
  ],
};

// ---- Section 2: Dialogveranstaltung (Modul 2) and Modul 3 -------------------------------------------

export const dialogue = {
  id: 'dialog-dessau-rosslau-1',
  title: 'Dialogveranstaltung Weltoffene Kommune Dessau-Roßlau',
  date: '2020-11-16',
  startTime: '17:00',
  endTime: '20:00',
  format: 'online',
  participants: 40,
  participantsApproximate: true,
  focusFieldKey: '5',
  partners: ['Netzwerke Gelebte Demokratie', 'Vielfaltsgestalter Dessau-Roßlau', 'kommunale Koordination des Projektes „Engagierte Stadt“'],
  description:
    'Hierbei wurden bereits erarbeitete Ergebnisse der letzten Jahre in einen aktuellen Diskurs zusammengebracht und mit einer neuen strategischen Ausrichtung der Stadtverwaltung im Bereich Engagementförderung verbunden.',
};

// ---- Section 5: Ausblick ---------------------------------------------------------------------------

/**
 * The Ausblick as typed. The report generates its recap of the overall result and of the workshop's
 * Handlungsfelder, and lists the cooperation agreement from its own fields, so neither is typed here;
 * the reference's „Diese beiden Themen …“, which follows its recap, names the themes instead.
 */
export const narrative = [
  'Weltoffenheit hat in Dessau-Roßlau eine lange Tradition. Gleichzeitig mahnen auch Vorfälle in der Vergangenheit, das Zusammenleben in Vielfalt heute und in Zukunft positiv zu gestalten.',
  'Die Stadt Dessau-Roßlau hat im Rahmen des Selbstchecks Weltoffene Kommune eine Standortbestimmung vorgenommen und hieraus die Schwerpunkte für eine Weiterentwicklung der Integrations- und Vielfaltsarbeit abgeleitet. Sie konnte hierbei an vorangehende Projekte (beispielsweise: Projekt „in Vielfalt leben“ der Bertelsmann Stiftung) sowie gegenwärtige (Vielfaltsgestalter Dessau-Roßlau, Robert Bosch Stiftung) und den vorhandenen integrationsstrategischen Zielen sowie Ansätzen (Integrationskonzept) anknüpfen.',
  'Die beiden im Selbstcheck-Workshop bearbeiteten Themen werden im Nachgang strategisch weiterentwickelt.',
  'Bearbeitung der beiden Themen Engagement und Beteiligung sowie Interkulturelle Öffnung:',
  '## Engagement und Beteiligung',
  'Das Vorhaben, im Anschluss an den Selbstcheck-Workshop eine Dialogveranstaltung zu diesem Thema durchzuführen, wurde bereits am 16. November 2020 in Zusammenarbeit mit der Koordinatorin Engagierte Stadt als Online-Format umgesetzt. Eine weitere Empfehlung aus dem Selbstcheck-Workshop lautete: „Eine verlässliche und passende Struktur für Beteiligung schaffen, um Beteiligung langfristig zu ermöglichen“.',
  'Die Dialogveranstaltung hat zu den Themen Engagement und Beteiligung wertvolle Anregungen gebracht und erste Meilensteine formuliert. Diese sollen nun in die Erarbeitung einer Engagementstruktur münden, die am Netzwerk Engagierte Stadt andockt und von einer entsprechenden Stelle innerhalb der Verwaltung koordiniert wird. Hierbei ist es wichtig, diese Inhalte als Querschnittsthema innerhalb der Verwaltung zu etablieren. Diese Engagementstruktur umfasst dabei als längerfristige Zielsetzung die Etablierung von Ermöglichungs- und Beteiligungsstrukturen.',
  '## Interkulturelle Öffnung und Vielfalt',
  'Das Thema Interkulturelle Öffnung soll in einer Strategie mit Zielen und Maßnahmen systematisch bearbeitet werden. Die Stadt Dessau-Roßlau will mit der Hochschule Anhalt sowie dem Umweltbundesamt hier mit gutem Beispiel vorangehen und dann auch weitere Akteur:innen und Einrichtungen, und insbesondere lokale Firmen, für diesen Ansatz gewinnen. Das Thema Diversität wird hierbei im Sinne von Barrierefreiheit, Chancengleichheit und Empowerment verstanden.',
  'Mit den oben genannten Partner:innen der Kooperationsvereinbarung wurde bereits eine Weiterbildungsreihe aufgebaut: „Vielfalts-Montag – Verwaltung neu (er)leben“, die 5 Module umfasst und zu „Vielfaltsgestalter:innen“ in Dessau-Roßlau ausbildet. Weiterhin ist es Ziel, im Rahmen der Personalgewinnung gemeinsame Stärken herauszubilden.',
  'Insgesamt ist eine Strategie Weltoffenheit und Vielfalt für die Stadt Dessau-Roßlau, die für die nächsten Jahre erarbeitet wird, wichtig, um das Zusammenleben vor Ort positiv zu gestalten und um für junge Fachkräfte, die zuziehen, attraktiv zu sein. Beispielsweise brauchen auch die Hochschulabsolventen eine Perspektive in der Region. Dadurch kann wiederum Innovation entstehen und (in Anknüpfung an die Bauhaus-Tradition) zu einem weiteren Standort-Merkmal werden.',
].join('\n\n');

/**
 * The four-party agreement. Its own three Handlungsfelder (diversity-oriented personnel policy, offers
 * to companies, cooperation for the university location) are no Handlungsfelder of the catalog; the
 * nearest ones are given (4 and 3).
 */
export const partnership = {
  title: 'Kooperationsvereinbarung',
  partners: ['Hochschule Anhalt', 'Umweltbundesamt', 'IQ-Netzwerk'],
  date: null,
  fieldKeys: ['3', '4'],
  aim: 'eine Strategie „Dessau-Roßlau lebt Weltoffenheit und Vielfalt“ erarbeiten und unter einer Prozessbegleitung umsetzen',
};
