const test = require('node:test');
const assert = require('node:assert/strict');
const { parsePrice } = require('./price');
test('plain', () => assert.equal(parsePrice('12.5'), 12.5));
test('with commas', () => assert.equal(parsePrice('1,234.50'), 1234.5));
