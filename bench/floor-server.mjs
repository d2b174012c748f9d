// The floor of the save benchmark: a bare Hono app on @hono/node-server, in a process of its own as
// `weltoffen serve` is, that answers the save's PUT with the same shape and does nothing else (no
// database, no session, no middleware). The same load against it says what the load generator and
// HTTP alone cost on this machine today (bench/save-answers.ts). Started with the port as argument;
// prints "bereit" when it listens.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const port = Number(process.argv[2]);
const app = new Hono();
app.put('/api/kommunen/:slug/rounds/:number/answers/:key', async (context) => {
  const body = await context.req.json();
  return context.json({ answer: { questionKey: context.req.param('key'), value: body.value, comment: body.comment, evidence: body.evidence, version: (body.expectedVersion ?? 0) + 1 } });
});
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('bereit'));
