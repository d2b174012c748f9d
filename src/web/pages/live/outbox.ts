/**
 * Cards a participant wrote that the server has not confirmed yet. They are kept in localStorage
 * (per session) with the clientId made on the phone, so a card typed on poor Wi-Fi survives a reload
 * and is sent again when the browser is online; the server answers a repeated clientId with the first
 * card, so a retry never makes a double.
 */
export interface PendingCard {
  clientId: string;
  fieldKey: string;
  questionIndex: number;
  text: string;
  /** When it was written (ISO), to show the oldest first. */
  writtenAt: string;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Where a session's unsent cards are kept. */
export function outboxKey(sessionId: string): string {
  return `weltoffen:live:ausgang:${sessionId}`;
}

function isPendingCard(value: unknown): value is PendingCard {
  if (typeof value !== 'object' || value === null) return false;
  const card = value as Record<string, unknown>;
  return (
    typeof card.clientId === 'string' &&
    typeof card.fieldKey === 'string' &&
    typeof card.questionIndex === 'number' &&
    typeof card.text === 'string' &&
    typeof card.writtenAt === 'string'
  );
}

/** The unsent cards of a session; nothing when the storage is blocked or holds something unreadable. */
export function readOutbox(sessionId: string, store: Store): PendingCard[] {
  try {
    const parsed: unknown = JSON.parse(store.getItem(outboxKey(sessionId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isPendingCard) : [];
  } catch {
    return [];
  }
}

function writeOutbox(sessionId: string, cards: PendingCard[], store: Store): void {
  try {
    if (cards.length === 0) store.removeItem(outboxKey(sessionId));
    else store.setItem(outboxKey(sessionId), JSON.stringify(cards));
  } catch {
    // A blocked storage (private mode): the card is still sent from memory, only a reload loses it.
  }
}

/** Adds a card to the outbox (a card with the same clientId is replaced, never doubled). */
export function addToOutbox(sessionId: string, card: PendingCard, store: Store): PendingCard[] {
  const cards = [...readOutbox(sessionId, store).filter((kept) => kept.clientId !== card.clientId), card];
  writeOutbox(sessionId, cards, store);
  return cards;
}

/** Removes the cards the server confirmed. */
export function removeFromOutbox(sessionId: string, clientIds: readonly string[], store: Store): PendingCard[] {
  const cards = readOutbox(sessionId, store).filter((kept) => !clientIds.includes(kept.clientId));
  writeOutbox(sessionId, cards, store);
  return cards;
}

/** Whether a failed send is worth trying again later (no connection, server busy) or final (refused). */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}
