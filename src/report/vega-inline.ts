// vega, vega-lite and vega-embed as inline <script> elements, read from node_modules: the report
// and the history page work offline (no CDN).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { scriptForInline } from './escape.js';

const LIBRARIES = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
] as const;

export async function vegaScripts(): Promise<string> {
  const libraries = await Promise.all(LIBRARIES.map(([pkg, file]) => readFile(join(PROJECT_ROOT, 'node_modules', pkg, file), 'utf8')));
  return libraries.map((code) => `<script>${scriptForInline(code)}</script>`).join('\n');
}
