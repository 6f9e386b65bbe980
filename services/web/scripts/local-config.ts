/**
 * Writes a config.json for the local stack (defaults in scripts/lib/local-config.ts), e.g.
 *   pnpm run local-config -- --userPoolClientId <seeded client id> [--apiUrl http://127.0.0.1:3000] [--out dist/config.json]
 * Prints it when --out is "-".
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { localConfig } from './lib/local-config';

// `pnpm run x -- --flag` passes the `--` through: drop it.
const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));

const { values } = parseArgs({
  args,
  options: {
    out: { type: 'string', default: 'dist/config.json' },
    region: { type: 'string' },
    userPoolId: { type: 'string' },
    userPoolClientId: { type: 'string' },
    cognitoEndpoint: { type: 'string' },
    authFlow: { type: 'string' },
    apiUrl: { type: 'string' },
    webSocketUrl: { type: 'string' },
  },
});

try {
  const { out, ...overrides } = values;
  const json = `${JSON.stringify(localConfig(overrides), null, 2)}\n`;
  if (out === '-') process.stdout.write(json);
  else {
    await writeFile(out, json);
    console.log(`Wrote ${out}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
