import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

const layers = {
  domain: ['domain'],
  db: ['db', 'domain'],
  report: ['report', 'domain'],
  services: ['services', 'domain', 'db', 'report'],
  wiring: ['wiring', 'server', 'services', 'domain', 'db'],
  server: ['server', 'wiring', 'services', 'domain'],
  cli: ['cli', 'server', 'wiring', 'services', 'domain'],
  web: ['web', 'web-api-types', 'domain'],
  // src/web/api/from-services/: the API's answers as the services return them; see the policy below.
  'web-api-types': ['web', 'domain'],
};
const layerPolicies = [
  ...Object.entries(layers).map(([from, allowed]) => ({
    from: { element: { type: from } },
    allow: allowed.map((to) => ({ to: { element: { type: to } } })),
  })),
  // The one exception to „web imports only domain“: this folder takes the services' return types with
  // `import type`, which the bundler erases, so no server code reaches the browser.
  { from: { element: { type: 'web-api-types' } }, allow: [{ to: { element: { type: 'services' } }, dependency: { kind: 'type' } }] },
];

export default tseslint.config(
  // Plain JavaScript entry points (the command, the workers' bootstraps, the CI checks) run on Node.
  {
    files: ['bin/**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'fetch', 'performance', 'setTimeout', 'clearTimeout'].map((name) => [name, 'readonly']),
      ),
    },
  },
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'src/db/migrations/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Node 22/24 run the sources by stripping types (decision 017): a relative import must name the
    // `.ts` file itself. Vitest and tsx would also find `./x.js`, so only `weltoffen serve` on Node 24
    // would fail (ERR_MODULE_NOT_FOUND), as it did in CI on 2026-12-01.
    files: ['**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^\\.{1,2}\\/.*\\.js$/]",
          message: 'Relative Importe nennen die .ts-Datei (Node entfernt nur die Typen und sucht sonst eine .js-Datei, die es nicht gibt).',
        },
        {
          selector: "ExportNamedDeclaration[source.value=/^\\.{1,2}\\/.*\\.js$/], ExportAllDeclaration[source.value=/^\\.{1,2}\\/.*\\.js$/]",
          message: 'Relative Exporte nennen die .ts-Datei (Node entfernt nur die Typen und sucht sonst eine .js-Datei, die es nicht gibt).',
        },
      ],
    },
  },
  {
    // The dependency rule of docs/ARCHITECTURE.md, enforced: each layer imports only what it may.
    files: ['src/**/*.{ts,tsx}'],
    // Tests look behind the layers on purpose (e.g. count rows to prove nothing was written).
    ignores: ['src/**/*.test.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/include': ['src/**/*'],
      'boundaries/elements': [
        { type: 'domain', pattern: 'src/domain/**' },
        { type: 'db', pattern: 'src/db/**' },
        { type: 'services', pattern: 'src/services/**' },
        { type: 'report', pattern: 'src/report/**' },
        // The composition root: the only server files that may know the database.
        { type: 'wiring', pattern: 'src/server/wiring/**' },
        { type: 'server', pattern: 'src/server/**' },
        { type: 'cli', pattern: 'src/cli/**' },
        { type: 'web-api-types', pattern: 'src/web/api/from-services' },
        { type: 'web', pattern: 'src/web/**' },
      ],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: layerPolicies }],
    },
  },
  {
    // Test helpers read untyped JSON answers; tests assert on their shape.
    files: ['tests/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The domain stays pure: no I/O, no framework.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'crypto'], message: 'src/domain ist rein: keine Ein-/Ausgabe.' },
            { group: ['hono*', 'drizzle-orm*', '@electric-sql/*', 'pg', 'react*', 'better-auth*'], message: 'src/domain importiert kein Framework.' },
          ],
        },
      ],
    },
  },
  {
    // The web app takes only types from domain/access etc.; it must never reach server code.
    files: ['src/web/**/*.{ts,tsx}'],
    ignores: ['src/web/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'Der Browser hat kein Node.' }] }],
    },
  },
);
