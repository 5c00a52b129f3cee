import assert from 'node:assert/strict';
import { renderMarkdown } from '../../../../media/webview/markdown';
import { fenced } from '../../../../media/webview/render/final';

describe('markdown of untrusted model output', () => {
  it('shows <script> and <img onerror> as text, never as tags', () => {
    const html = renderMarkdown('Here:\n\n<script>alert(1)</script>\n\nand <img src=x onerror="alert(2)"> inline');
    assert.ok(!/<script/i.test(html), html);
    assert.ok(!/<img/i.test(html), html);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), html);
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;'), html);
  });

  it('escapes HTML inside highlighted code blocks', () => {
    const html = renderMarkdown('```html\n<script>alert(1)</script>\n```\n\n```typescript\nconst a: string = "<b>";\n```');
    assert.ok(!/<script/i.test(html) && !/<b>/.test(html), html);
    assert.ok(html.includes('hljs-'), 'known languages are highlighted');
    const text = html.replace(/<\/?span[^>]*>/g, '');
    assert.ok(text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), html);
  });

  it('drops javascript: links and images', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) [ok](https://example.com) ![x](data:image/png;base64,AAAA) ![y](https://e.com/p.png)');
    assert.ok(!/href="javascript/i.test(html), html);
    assert.ok(html.includes('href="https://example.com"'), html);
    assert.ok(html.includes('rel="noopener noreferrer"'), html);
    assert.ok(!/<img/i.test(html), html);
  });

  it('renders ordinary markdown', () => {
    const html = renderMarkdown('# Plan\n\n1. **first** step\n2. `code`');
    assert.ok(html.includes('<h1>Plan</h1>') && html.includes('<strong>first</strong>') && html.includes('<code>code</code>'), html);
  });

  it('fences code that itself contains a fence', () => {
    const diff = '+```js\n+alert(1)\n+```';
    const html = renderMarkdown(fenced(diff, 'diff'));
    assert.equal((html.match(/<pre>/g) ?? []).length, 1, html);
    assert.ok(html.includes('alert(1)'));
  });
});
