// Which tree-sitter grammar parses which file; the grammars ship as .wasm files next to the bundle.
import type { LanguageId } from './types';

const BY_EXTENSION: Record<string, LanguageId> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
};

export const LANGUAGES = [...new Set(Object.values(BY_EXTENSION))];

export function languageOf(path: string): LanguageId | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[path.slice(dot).toLowerCase()];
}

/** The grammar's file name in @vscode/tree-sitter-wasm's `wasm/` folder (and in dist/tree-sitter/). */
export function grammarFile(lang: LanguageId): string {
  return `tree-sitter-${lang}.wasm`;
}

/** Extensions never worth opening to look for text. */
export const BINARY_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif bmp ico webp tiff psd svgz avif heic pdf zip gz tgz bz2 xz zst 7z rar jar war ear class ' +
    'so dylib dll exe o a lib obj bin dat wasm pyc pyo whl node woff woff2 ttf otf eot mp3 mp4 m4a wav ogg ' +
    'flac mov avi mkv webm sqlite db vsix iso dmg pak'
  )
    .split(' ')
    .map((e) => `.${e}`),
);
