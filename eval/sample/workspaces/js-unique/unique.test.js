const test = require('node:test');
const assert = require('node:assert/strict');
const { unique } = require('./unique');
test('keeps first-appearance order', () => assert.deepEqual(unique([3, 1, 3, 2, 1]), [3, 1, 2]));
