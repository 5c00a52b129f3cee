// Child process for the activation benchmark: loads dist/extension.js with a stand-in `vscode`
// module, calls activate() with a fake context, and prints {require_ms, activate_ms, sdk_loaded,
// loaded_files}: loaded_files is what require.cache holds after activation (files of dist/, with bytes).
//   node scripts/bench/activate.cjs <path to dist/extension.js> [--load-host]
// --load-host then runs one declared command (fugu.showTrace), which loads the rest of the extension,
// and adds what that registered (host_commands) and loaded (host_files); test/unit/vscode/activation.test.ts uses it.
// Where the time goes: node --cpu-prof --cpu-prof-dir=<dir> scripts/bench/activate.cjs dist/extension.js
'use strict';
const Module = require('node:module');
const path = require('node:path');

/** Any property is another stand-in, any call or `new` returns one: enough for registrations. */
function standIn(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a promise
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'dispose') return () => {};
      if (prop === 'prototype') return target.prototype;
      if (!cache.has(prop)) cache.set(prop, standIn(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value); // e.g. item.text = '...'
      return true;
    },
    apply: () => standIn(`${name}()`),
    construct: () => standIn(`new ${name}`),
  });
}

// The module's top-level names, read from @types/vscode: a bundle copies a CommonJS module's own
// properties when it imports it, so a bare Proxy would look empty.
function vscodeModule() {
  const dts = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|function|const|let) (\w+)/gm)].map((m) => m[1]));
  const mod = {};
  for (const n of names) mod[n] = standIn(`vscode.${n}`);
  mod.version = '1.99.0';
  return mod;
}
const vscode = vscodeModule();
// Commands are recorded, so a test can see what activation registers and what the host registers later.
const commands = { registered: [], handlers: new Map() };
vscode.commands = new Proxy(vscode.commands, {
  get(target, prop) {
    if (prop === 'registerCommand') {
      return (id, handler) => {
        commands.registered.push(id);
        commands.handlers.set(id, handler);
        return { dispose: () => commands.handlers.get(id) === handler && commands.handlers.delete(id) };
      };
    }
    if (prop === 'executeCommand') return async (id, ...args) => commands.handlers.get(id)?.(...args);
    return target[prop];
  },
});
const load = Module._load;
Module._load = function (request, parent, isMain) {
  return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
};

const memento = () => {
  const m = new Map();
  return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()], setKeysForSync: () => {} };
};
const extensionPath = path.resolve(process.argv[2], '..', '..');
const storage = require('node:fs').mkdtempSync(path.join(require('node:os').tmpdir(), 'fugu-bench-activate-'));
const fileUri = (p) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}`, with: () => fileUri(p) });
const context = new Proxy(
  {
    subscriptions: [],
    extensionPath,
    extensionMode: 1,
    extensionUri: fileUri(extensionPath),
    globalStorageUri: fileUri(path.join(storage, 'global')),
    storageUri: fileUri(path.join(storage, 'workspace')),
    logUri: fileUri(path.join(storage, 'log')),
    globalStoragePath: path.join(storage, 'global'),
    storagePath: path.join(storage, 'workspace'),
    logPath: path.join(storage, 'log'),
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
    environmentVariableCollection: standIn('env'),
    asAbsolutePath: (p) => path.join(extensionPath, p),
    // What VS Code passes: the parsed manifest (activation registers the commands it declares).
    extension: { id: 'fugu-dev.fugu-vscode', extensionPath, packageJSON: require(path.join(extensionPath, 'package.json')) },
  },
  { get: (t, p) => (p in t ? t[p] : standIn(`context.${String(p)}`)) },
);

(async () => {
  const t0 = performance.now();
  const ext = require(path.resolve(process.argv[2]));
  const t1 = performance.now();
  await ext.activate(context);
  const t2 = performance.now();
  const activationCommands = commands.registered.splice(0);
  const activationCache = new Set(Object.keys(require.cache));
  if (process.argv.includes('--load-host')) await commands.handlers.get('fugu.showTrace')();
  const sdkLoaded = Object.keys(require.cache).filter((f) => /[\\/]sdk-[^\\/]+\.js$/.test(f) || /node_modules[\\/](openai|@anthropic-ai|@google[\\/]genai)[\\/]/.test(f));
  // The context index's parser (dist/tree-sitter.js, web-tree-sitter) loads when a file is first parsed.
  const treeSitter = Object.keys(require.cache).filter((f) => /[\\/]tree-sitter\.js$/.test(f) || /node_modules[\\/]web-tree-sitter[\\/]/.test(f));
  const dist = path.dirname(path.resolve(process.argv[2]));
  const inDist = (files) => files.filter((f) => path.dirname(f) === dist).map((f) => ({ file: path.basename(f), bytes: require('node:fs').statSync(f).size }));
  const hostFiles = inDist(Object.keys(require.cache).filter((f) => !activationCache.has(f)));
  process.stdout.write(
    `${JSON.stringify({
      require_ms: t1 - t0,
      activate_ms: t2 - t0,
      sdk_loaded: sdkLoaded.length > 0,
      sdk_files: sdkLoaded.map((f) => path.basename(f)),
      tree_sitter_loaded: treeSitter.length > 0,
      loaded_files: inDist([...activationCache]),
      commands: activationCommands,
      ...(process.argv.includes('--load-host') ? { host_commands: commands.registered, host_files: hostFiles } : {}),
    })}\n`,
  );
  require('node:fs').rmSync(storage, { recursive: true, force: true });
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`activate failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
