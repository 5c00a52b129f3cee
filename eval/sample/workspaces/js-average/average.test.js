const test = require('node:test');
const assert = require('node:assert/strict');
const { average } = require('./average');
test('averages numbers', () => assert.equal(average([1, 2, 3]), 2));
test('an empty array averages to 0', () => assert.equal(average([]), 0));
