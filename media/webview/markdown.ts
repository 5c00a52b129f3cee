// Model output is untrusted. markdown-it with html:false escapes every tag the model writes, links are
// limited to http(s)/mailto, images become their alt text, and highlight.js returns escaped markup.
import MarkdownIt from 'markdown-it';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';

const languages = { bash, css, diff, go, java, javascript, json, python, rust, typescript, xml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);

const md = new MarkdownIt({
  html: false,
  linkify: false,
  typographer: false,
  highlight: (code, lang) => highlight(code, lang),
});
md.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());
// No images from model output, not even data: URLs: show the alt text instead.
md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx].content);
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

/** Highlighted, escaped HTML for a fenced block; '' lets markdown-it escape it plainly. */
export function highlight(code: string, lang: string): string {
  const name = lang.trim().toLowerCase();
  if (!name || !hljs.getLanguage(name)) return '';
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}

/** HTML for untrusted markdown: safe to assign to innerHTML. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
