const test = require('node:test');
const assert = require('node:assert/strict');
const { clamp } = require('./clamp');
test('keeps values inside the range', () => assert.equal(clamp(5, 0, 10), 5));
test('clamps below and above', () => { assert.equal(clamp(-1, 0, 10), 0); assert.equal(clamp(11, 0, 10), 10); });
