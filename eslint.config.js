import js from '@eslint/js';
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// STYLE rules 1-2: imports point inward, and only the Electron shell imports electron. Each message says why.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*'];
const SHELL = ['main/index.ts', 'main/window.ts', 'main/ipc/**', 'main/preload/**'];

const electron = (message) => ({ name: 'electron', message });
const into = (folder, message) => ({ group: [`**/${folder}/**`, `**/${folder}`], message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'app/dist/**', 'release/**', 'test-results/**', 'artifacts/**', 'reports/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.mjs', 'scripts/**', 'bench/**', 'test/**'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electron('shared/ runs in both processes and in the browser: it must not import electron (STYLE rule 1).'),
            ...nodeBuiltins.filter((m) => m !== 'node:*').map((name) => ({ name, message: 'shared/ is pure TypeScript for main and renderer alike: no Node built-ins (STYLE rule 1). Put I/O in main/.' })),
            { name: 'react', message: 'shared/ holds no UI: React belongs in renderer/ (STYLE rule 1).' },
          ],
          patterns: [
            into('main', 'shared/ must not import main/: imports point inward (STYLE rule 1). Move the common part into shared/.'),
            into('renderer', 'shared/ must not import renderer/: imports point inward (STYLE rule 1). Move the common part into shared/.'),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electron('The renderer is sandboxed and also runs in a browser: reach the main side through the typed api object (STYLE rules 2-3), never electron.'),
            ...nodeBuiltins.filter((m) => m !== 'node:*').map((name) => ({ name, message: 'The renderer runs sandboxed and in browsers: no Node built-ins. Ask the main side through the api object.' })),
          ],
          patterns: [into('main', 'renderer/ must not import main/: both import shared/ only (STYLE rule 1). Use the shared contract.')],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: SHELL,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron('Only the Electron shell (main/index.ts, main/window.ts, main/ipc/, main/preload/) may import electron (STYLE rule 2): services stay plain Node so they run in the CLI, serve mode and tests.')],
          patterns: [into('renderer', 'main/ must not import renderer/: both import shared/ only (STYLE rule 1).')],
        },
      ],
    },
  },
  {
    files: SHELL,
    rules: {
      'no-restricted-imports': ['error', { patterns: [into('renderer', 'main/ must not import renderer/: both import shared/ only (STYLE rule 1).')] }],
    },
  },
);
