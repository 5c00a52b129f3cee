// Scripted answers for `npm start -- --demo`: the three fakes play planners and a coder that fix
// the sample workspace's discount bug, streaming at a human pace, so Fugu can be tried without keys.
import type { FakeRequest } from './fakeServer';
import { reply, type Reply } from './reply';
import type { FakeSet } from './startFakes';

const PACE = { firstTokenDelayMs: 600, tokenDelayMs: 25 };

const PLAN_GEMINI = `## Plan
1. In \`src/cart.js\`, \`applyDiscount\` subtracts a percent discount as an amount: compute \`total * (1 - value / 100)\` instead.
2. Keep the amount branch, which already clamps at zero; clamp the percent branch too.
3. Add a test in \`src/cart.test.js\` for a 10 % discount on 50.

## Risks
- Percent values above 100 would go negative: clamp at zero.`;

const PLAN_CLAUDE = `## Plan
- **File:** \`src/cart.js\`, function \`applyDiscount\`.
- **Change:** for \`kind === 'percent'\`, return \`Math.max(0, total * (1 - discount.value / 100))\`.
- **Test:** \`applyDiscount(50, { kind: 'percent', value: 10 })\` should be \`45\`.

## Risks
- Floating point: 10 % of 19.99 is not exact; round in the caller when formatting, not here.`;

const CODE = `Percent discounts now scale the total (clamped at zero), and a test covers them.

src/cart.js
\`\`\`js
<<<<<<< SEARCH
  if (discount.kind === 'percent') {
    return total - discount.value;
  }
=======
  if (discount.kind === 'percent') {
    return Math.max(0, total * (1 - discount.value / 100));
  }
>>>>>>> REPLACE
\`\`\`

src/cart.test.js
\`\`\`js
<<<<<<< SEARCH
const { addItem, subtotal } = require('./cart');
=======
const { addItem, subtotal, applyDiscount } = require('./cart');

test('a percent discount scales the total', () => {
  assert.equal(applyDiscount(50, { kind: 'percent', value: 10 }), 45);
});
>>>>>>> REPLACE
\`\`\`
`;

const INLINE = `const total = subtotal(cart);
return applyDiscount(total, discount);`;

function coder(req: FakeRequest): Reply {
  const asksForEdits = req.messages.some((m) => m.text.includes('<<<<<<< SEARCH'));
  return reply.text(asksForEdits ? CODE : INLINE, PACE);
}

export function scriptDemo(fakes: FakeSet): void {
  fakes.gemini.setDefault(() => reply.text(PLAN_GEMINI, PACE));
  fakes.anthropic.setDefault(() => reply.text(PLAN_CLAUDE, { ...PACE, firstTokenDelayMs: 900 }));
  fakes.openai.setDefault(coder);
}
