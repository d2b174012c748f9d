import type { TestClient, TestResponse } from './http.ts';

/**
 * Closes a round the way the app does: read the round's page, then confirm exactly the open
 * questions it lists (closing needs that confirmation while questions are open).
 */
export async function closeRoundConfirmed(client: TestClient, slug: string, number: number): Promise<TestResponse> {
  const overview = await client.get(`/api/kommunen/${slug}/rounds/${number}`);
  return client.post(`/api/kommunen/${slug}/rounds/${number}/close`, {
    expectedVersion: overview.body.round.version,
    confirmedOpenQuestions: overview.body.review?.openQuestionCount ?? 0,
  });
}
