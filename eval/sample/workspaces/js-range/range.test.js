const test = require('node:test');
const assert = require('node:assert/strict');
const { range } = require('./range');
test('excludes the end', () => assert.deepEqual(range(1, 4), [1, 2, 3]));
test('empty when a equals b', () => assert.deepEqual(range(2, 2), []));
