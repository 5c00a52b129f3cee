const test = require('node:test');
const assert = require('node:assert/strict');
const { capitalize } = require('./capitalize');
test('capitalizes a word', () => assert.equal(capitalize('fugu'), 'Fugu'));
test('the empty string stays empty', () => assert.equal(capitalize(''), ''));
