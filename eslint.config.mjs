// Lint: typescript-eslint with the type-aware rules that catch real bugs (promises, thenables), and the dependency
// rule of the layout (README "Layout"). `npm test` runs it first; it must stay at zero warnings.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Top-level folders of ours, and who may import whom. Imports are relative, so `(../)+name` is a top-level folder. */
const TOOLING = ['clients', 'dev', 'bench', 'scripts', 'test'];
const parent = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
const CORE_INTERNALS = { regex: '^(\\.\\./)+core/', message: 'import core only through core/index.ts, its public surface' };

/** A no-restricted-imports rule from a list of forbidden patterns. */
const forbid = (...patterns) => ['error', { patterns }];

const dependencyRule = [
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid({ regex: '^\\.\\./', message: 'core/ imports nothing of ours outside core/ (README "Layout")' }),
    },
  },
  {
    files: ['gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        { regex: parent(['subgraphs', ...TOOLING]), message: 'gateway/ imports only core/ (README "Layout")' },
        CORE_INTERNALS,
      ),
    },
  },
  {
    files: ['subgraphs/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        { regex: parent(['gateway', ...TOOLING]), message: 'subgraphs/ import only core/ and subgraphs/kit/ (README "Layout")' },
        CORE_INTERNALS,
      ),
    },
  },
  {
    files: ['subgraphs/*/**/*.ts'],
    ignores: ['subgraphs/kit/**'],
    rules: {
      'no-restricted-imports': forbid(
        { regex: parent(['gateway', ...TOOLING]), message: 'subgraphs/ import only core/ and subgraphs/kit/ (README "Layout")' },
        { regex: '^\\.\\./(?!kit(/|$))[^./]', message: 'a subgraph imports no other subgraph: ask it over federation (README "Layout")' },
        CORE_INTERNALS,
      ),
    },
  },
  {
    files: ['subgraphs/kit/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        { regex: parent(['gateway', ...TOOLING]), message: 'subgraphs/kit/ imports only core/ (README "Layout")' },
        { regex: '^\\.\\./(?!kit(/|$))[^./]', message: 'subgraphs/kit/ is shared by every subgraph and imports none of them' },
        CORE_INTERNALS,
      ),
    },
  },
  {
    files: ['clients/**/*.ts', 'dev/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': forbid(CORE_INTERNALS) },
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '**/generated/**',
      'coverage/**',
      'dist/**',
      // Generated and drift-checked: the playground's bundle and the portal's typed client.
      'gateway/playground/bundle/**',
      'clients/supplier-portal/src/gql/**',
      // Browser code with tsconfigs of its own (DOM, TSX): type-checked by `npm run typecheck`, not linted here.
      'gateway/playground/ui/**',
      'clients/supplier-portal/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Unused names are the compiler's job (noUnusedLocals, noUnusedParameters); `_name` marks one left out on purpose.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    files: ['core/**/*.ts', 'gateway/**/*.ts', 'subgraphs/**/*.ts'],
    ignores: ['core/clock.ts'],
    rules: {
      // The business clock (issue 9): nothing but core/clock.ts reads the machine clock. test/core/clock-reads.test.ts
      // checks the SQL too (PostgreSQL's now()).
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'read the business clock (ctx.now, core/clock.ts), not the machine clock',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'read the business clock (ctx.now, core/clock.ts), not the machine clock',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read whole GraphQL answers and assert on them; typing every answer would add nothing a failing assertion does not say.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
  },
  ...dependencyRule,
);
