import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { publicSurveyPage, type PublicSurveyPage } from '../services/answer-resident-survey.ts';
import type { AppEnv } from './app-env.ts';

/**
 * The residents' survey page (issue 17), rendered on the server in the chosen language: readable and
 * complete without JavaScript, right-to-left with `dir="rtl"` for Arabic and Persian, nothing from
 * other hosts. Its small script (src/web/survey/main.ts, built by Vite) only sends: it solves the
 * proof of work and posts the answers. Every text comes through `html`, which escapes it.
 */

export interface SurveyAssets {
  script: string | null;
  styles: string[];
}

/** The built survey script and styles, from Vite's manifest of the web build; none without a build. */
export function surveyAssetsOf(webDir: string | null): SurveyAssets {
  if (!webDir) return { script: null, styles: [] };
  try {
    const manifest = JSON.parse(readFileSync(path.join(webDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; css?: string[] }>;
    const entry = manifest['survey/main.ts'];
    if (!entry) return { script: null, styles: [] };
    return { script: `/${entry.file}`, styles: (entry.css ?? []).map((file) => `/${file}`) };
  } catch {
    return { script: null, styles: [] };
  }
}

const head = (title: string, assets: SurveyAssets) => html`<meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <meta name="referrer" content="no-referrer" />
    <title>${title}</title>
    ${assets.styles.map((href) => html`<link rel="stylesheet" href="${href}" />`)}
    ${assets.script ? html`<script type="module" src="${assets.script}"></script>` : ''}`;

function notFoundPage(page: Extract<PublicSurveyPage, { found: false }>, assets: SurveyAssets): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!doctype html>
<html lang="${page.htmlLang}" dir="${page.direction}">
  <head>
    ${head(page.message, assets)}
  </head>
  <body class="umfrage">
    <main id="inhalt"><h1>${page.message}</h1></main>
  </body>
</html>`;
}

/**
 * A text of the page: in Leichte Sprache every sentence on a line of its own, as its rules ask
 * (one statement per line); in every other language one paragraph.
 */
function lines(page: Extract<PublicSurveyPage, { found: true }>, text: string) {
  if (page.language !== 'de-x-ls') return text;
  const sentences = text.split(/(?<=[.!?:])\s+(?=\p{Lu}|„)/u);
  return sentences.map((sentence, index) => (index === 0 ? html`${sentence}` : html`<br />${sentence}`));
}

export function renderSurveyPage(page: PublicSurveyPage, assets: SurveyAssets): HtmlEscapedString | Promise<HtmlEscapedString> {
  if (!page.found) return notFoundPage(page, assets);
  const { labels } = page;
  const statements = page.statements.map(
    (statement, index) => html`<fieldset class="aussage">
          <legend><span class="nummer">${index + 1}.</span> ${statement.text}</legend>
          <div class="skala">
            ${page.scale.map(
              (option) => html`<label class="wahl"><input type="radio" name="a-${statement.key}" value="${option.key}" /><span>${option.label}</span></label>`,
            )}
          </div>
        </fieldset>`,
  );
  const groups = page.groups.map(
    (group) => html`<fieldset class="gruppe">
          <legend>${group.question}</legend>
          <div class="skala">
            ${group.options.map((option) => html`<label class="wahl"><input type="radio" name="g-${group.key}" value="${option.key}" /><span>${option.label}</span></label>`)}
            <label class="wahl"><input type="radio" name="g-${group.key}" value="" checked /><span>${labels.none}</span></label>
          </div>
        </fieldset>`,
  );
  const openQuestions = page.openQuestions.map(
    (question) => html`<div class="offen">
          <label for="o-${question.index}" lang="${question.htmlLang}" dir="${question.direction}">${question.text}</label>
          <textarea id="o-${question.index}" name="o-${question.index}" rows="4" maxlength="${page.maxOpenAnswerLength}" dir="auto" aria-describedby="anmerkungen-hinweis"></textarea>
        </div>`,
  );
  const form =
    page.phase === 'open'
      ? html`<form id="umfrage" class="umfrage-formular" method="post" novalidate data-token="${page.token}" data-language="${page.language}" data-empty="${labels.empty}" data-invalid="${labels.invalid}" data-checking="${labels.checking}">
        <h2 id="aussagen">${labels.statements}</h2>
        <p>${labels.statementsHint}</p>
        ${statements}
        ${
          page.openQuestions.length > 0
            ? html`<h2>${labels.open}</h2>
        <p id="anmerkungen-hinweis">${lines(page, labels.openHint)}</p>
        ${openQuestions}`
            : ''
        }
        <h2>${labels.groups}</h2>
        <p>${lines(page, labels.groupsHint)}</p>
        ${groups}
        <div id="fehler" class="fehler" role="alert" tabindex="-1"></div>
        <p id="fortschritt" class="fortschritt" role="status" aria-live="polite"></p>
        <noscript><p class="fehler">${labels.needsScript}</p></noscript>
        <button type="submit" class="absenden">${labels.submit}</button>
      </form>
      <section id="danke" class="danke" hidden tabindex="-1" aria-labelledby="danke-titel">
        <h2 id="danke-titel">${labels.thanks}</h2>
        <p>${labels.thanksText}</p>
      </section>`
      : '';
  return html`<!doctype html>
<html lang="${page.htmlLang}" dir="${page.direction}">
  <head>
    ${head(page.title, assets)}
  </head>
  <body class="umfrage">
    <main id="inhalt">
      <header class="kopf">
        <h1>${page.title}</h1>
        ${
          page.languages.length > 1
            ? html`<form method="get" class="sprachwahl">
          <label for="sprache">${labels.language}</label>
          <select id="sprache" name="sprache">
            ${page.languages.map(
              (entry) => html`<option value="${entry.language}" lang="${entry.htmlLang}" dir="${entry.direction}" ${entry.language === page.language ? 'selected' : ''}>${entry.name}</option>`,
            )}
          </select>
          <button type="submit">${labels.languageSubmit}</button>
        </form>`
            : ''
        }
        <p>${lines(page, page.intro)}</p>
        <p>${page.here}</p>
        <p class="status"><strong>${page.status}</strong></p>
      </header>
      ${form}
      <section class="datenschutz" aria-labelledby="datenschutz-titel">
        <h2 id="datenschutz-titel">${page.privacy.heading}</h2>
        <p>${lines(page, page.privacy.text)}</p>
        <p>${page.privacy.retention}</p>
        <p>${page.privacy.controller}</p>
      </section>
    </main>
  </body>
</html>`;
}

/** `GET /umfrage/:token` — the page; `?sprache=` chooses the language, else the browser's. */
export function surveyPageRoutes(webDir: string | null) {
  let assets: SurveyAssets | undefined;
  return new Hono<AppEnv>().get('/umfrage/:token', async (context) => {
    assets ??= surveyAssetsOf(webDir);
    const page = await publicSurveyPage(context.var.deps.services, context.req.param('token'), {
      requested: context.req.query('sprache'),
      acceptLanguage: context.req.header('accept-language'),
    });
    context.header('Cache-Control', 'no-store');
    context.header('Content-Language', page.htmlLang);
    return context.html(await renderSurveyPage(page, assets), page.found ? 200 : 404);
  });
}
