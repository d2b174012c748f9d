import { answerKeys } from '../../src/domain/catalog.ts';
import type { Bundle } from '../../src/domain/bundle.ts';

/**
 * The demo bundle grown to `answerCount` answers in its first round: as many new Mitwirkende as it
 * takes, each answering every question of `questionKeys`. For the import bench and the import kill test.
 */
export function growBundle(demo: Bundle, questionKeys: readonly string[], answerCount: number, kommune: { slug: string; name: string } = { slug: 'grossstadt', name: 'Großstadt' }): Bundle {
  const bundle = structuredClone(demo);
  const perPerson = questionKeys.length;
  const peopleCount = Math.ceil(answerCount / perPerson);
  const people = Array.from({ length: peopleCount }, (_, index) => ({ email: `person-${index}@bench.example`, name: `Person ${index}`, role: 'mitwirkende' as const, fieldKeys: null }));
  bundle.people = [...bundle.people, ...people];
  // Another Kommune than the demo: without its Gemeindeschlüssel, which one installation has only once.
  bundle.kommune = { ...bundle.kommune, gemeindeschluessel: null, ...kommune };
  const [first] = bundle.rounds;
  first!.answers = [];
  for (let index = 0; index < answerCount; index++) {
    first!.answers.push({
      person: people[Math.floor(index / perPerson)]!.email,
      question: questionKeys[index % perPerson]!,
      value: answerKeys[index % answerKeys.length]!,
      comment: 'Ein Kommentar mit etwas Text, wie er in echten Antworten steht.',
      evidence: '',
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
  }
  return bundle;
}
