// Bundles src/index.js into one minified script, written to cargo-leptos's
// assets-dir (target/assets, or $CODEMIRROR_OUT), which every site build
// copies into the site root: the server serves it as /codemirror/codemirror.js.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outfile = process.env.CODEMIRROR_OUT || path.join(here, '..', 'target', 'assets', 'codemirror', 'codemirror.js');
const result = await build({
  entryPoints: [path.join(here, 'src', 'index.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'linked',
  outfile,
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`codemirror: ${path.relative(process.cwd(), outfile)} (${bytes} B)`);
