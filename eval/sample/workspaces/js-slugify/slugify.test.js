const test = require('node:test');
const assert = require('node:assert/strict');
const { slugify } = require('./slugify');
test('one space', () => assert.equal(slugify('Hello World'), 'hello-world'));
test('several words and spaces', () => assert.equal(slugify('Hello big   World'), 'hello-big-world'));
