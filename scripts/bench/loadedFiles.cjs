// Preload for measuring what an entry loads: `node -r ./scripts/bench/loadedFiles.cjs dist/cli.js --help`
// writes, as its process exits, one stderr line `loaded-files: [{file, bytes}, ...]` listing the
// files of the entry's folder that are in require.cache (the bench's bundle_bytes_cli).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

process.on('exit', () => {
  const entry = process.argv[1] && path.resolve(process.argv[1]);
  if (!entry) return;
  const dir = path.dirname(entry);
  const files = Object.keys(require.cache)
    .filter((f) => path.dirname(f) === dir)
    .map((f) => ({ file: path.basename(f), bytes: fs.statSync(f).size }));
  process.stderr.write(`loaded-files: ${JSON.stringify(files)}\n`);
});
