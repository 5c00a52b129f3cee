// Provider error messages sometimes echo the key ("Incorrect API key provided: sk-...").
// Everything that leaves a worker as text goes through here first.

const KEY_SHAPES: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic (sk-ant-...)
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
  /\b(Bearer\s+)[^\s"',]+/gi,
  /([?&]key=)[^&\s"']+/gi,
  /((?:x-api-key|x-goog-api-key|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

export function scrubSecrets(text: string, key?: string): string {
  let out = text;
  if (key && key.length >= 4) out = out.split(key).join('***');
  for (const re of KEY_SHAPES) out = out.replace(re, (m, prefix?: unknown) => (typeof prefix === 'string' && m.startsWith(prefix) ? `${prefix}***` : '***'));
  return out;
}
