/**
 * The script of the residents' survey page (server-rendered, src/server/survey-page.ts). The page is
 * complete without it; the script only sends: it keeps answers across a change of language, asks
 * for the proof-of-work challenge, solves it with altcha-lib in the browser (WebCrypto), and posts
 * the answers. Every message it shows comes from the page or the server, in the page's language.
 */
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';
import './survey.css';

const form = document.querySelector<HTMLFormElement>('#umfrage');
if (form) enhance(form);

function storageKey(token: string): string {
  return `weltoffen:umfrage:${token}`;
}

/** The answers of the form as the server takes them. */
function collect(form: HTMLFormElement) {
  const data = new FormData(form);
  const answers: Record<string, string> = {};
  const groups: Record<string, string> = {};
  const open: string[] = [];
  for (const [name, value] of data) {
    if (typeof value !== 'string') continue;
    if (name.startsWith('a-')) answers[name.slice(2)] = value;
    else if (name.startsWith('g-') && value !== '') groups[name.slice(2)] = value;
    else if (name.startsWith('o-')) open[Number(name.slice(2))] = value;
  }
  return { answers, groups, open: Array.from(open, (text) => text ?? '') };
}

/** Puts answers kept in this tab back (after a change of language the page is a new one). */
function restore(form: HTMLFormElement, token: string): void {
  let kept: ReturnType<typeof collect> | null;
  try {
    kept = JSON.parse(sessionStorage.getItem(storageKey(token)) ?? 'null') as ReturnType<typeof collect> | null;
  } catch {
    return;
  }
  if (!kept) return;
  const check = (name: string, value: string) => {
    for (const input of form.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(name)}"]`)) input.checked = input.value === value;
  };
  for (const [key, value] of Object.entries(kept.answers ?? {})) check(`a-${key}`, value);
  for (const [key, value] of Object.entries(kept.groups ?? {})) check(`g-${key}`, value);
  (kept.open ?? []).forEach((text, index) => {
    const area = form.querySelector<HTMLTextAreaElement>(`#o-${index}`);
    if (area && typeof text === 'string') area.value = text;
  });
}

function enhance(form: HTMLFormElement): void {
  const token = form.dataset.token ?? '';
  const language = form.dataset.language ?? 'de';
  const errorBox = form.querySelector<HTMLElement>('#fehler')!;
  const progress = form.querySelector<HTMLElement>('#fortschritt')!;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  restore(form, token);
  const keep = () => sessionStorage.setItem(storageKey(token), JSON.stringify(collect(form)));
  form.addEventListener('change', keep);
  form.addEventListener('input', keep);
  // A change of language keeps what was entered: the select's form is another one.
  document.querySelector('.sprachwahl')?.addEventListener('submit', keep);

  const fail = (message: string) => {
    progress.textContent = '';
    errorBox.textContent = message;
    errorBox.focus();
    button.disabled = false;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    errorBox.textContent = '';
    const { answers, groups, open } = collect(form);
    if (Object.keys(answers).length === 0) return fail(form.dataset.empty ?? '');
    button.disabled = true;
    progress.textContent = form.dataset.checking ?? '';
    try {
      const base = `/api/umfrage/${encodeURIComponent(token)}`;
      const issued = await fetch(`${base}/challenge?sprache=${encodeURIComponent(language)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin' });
      const challengeBody = (await issued.json()) as { challenge?: Parameters<typeof solveChallenge>[0]['challenge']; error?: { message: string } };
      if (!issued.ok || !challengeBody.challenge) return fail(challengeBody.error?.message ?? form.dataset.invalid ?? '');
      const solution = await solveChallenge({ challenge: challengeBody.challenge, deriveKey, timeout: 120_000 });
      if (!solution) return fail(form.dataset.invalid ?? '');
      const response = await fetch(`${base}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ language, answers, groups, open, challenge: challengeBody.challenge, solution }),
      });
      const body = (await response.json()) as { error?: { code: string; message: string } };
      if (!response.ok) return fail(body.error?.message ?? form.dataset.invalid ?? '');
      sessionStorage.removeItem(storageKey(token));
      form.hidden = true;
      const thanks = document.querySelector<HTMLElement>('#danke');
      if (thanks) {
        thanks.hidden = false;
        thanks.focus();
      }
    } catch {
      fail(form.dataset.invalid ?? '');
    }
  }
}
