// Every schema of the catalog compiles under Ajv's strict mode (draft 2020-12, standard formats):
// no unknown keywords or formats, every constraint keyword next to its type (also inside if/then),
// no union types, no ignored tuple items, numbers only as numbers. Form generators built on Ajv
// compile our schemas this way. strictRequired stays off, as in Ajv's defaults: a "required" inside
// anyOf / if-then names a property the enclosing object defines, which JSON Schema allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schemas = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));

// The catalog's own annotation keywords (schemas/README.md): messages and hints for people, never
// validated. Declared, as a form generator using these schemas declares them; any other is unknown.
const ANNOTATIONS = [
  { keyword: 'x-patternMessage', schemaType: 'object' },
  { keyword: 'x-unixSeconds', schemaType: 'boolean' },
  { keyword: 'x-maxBytes', schemaType: 'number' },
  { keyword: 'x-link', schemaType: 'boolean' }
];

function strictAjv() {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  ANNOTATIONS.forEach((annotation) => ajv.addKeyword(annotation));
  return ajv;
}

function compiles(schema, where) {
  const problems = [];
  const ajv = strictAjv();
  ajv.opts.logger = { log() {}, warn: (m) => problems.push(String(m)), error: (m) => problems.push(String(m)) };
  try {
    ajv.compile(schema);
  } catch (e) {
    problems.push(e.message);
  }
  assert.deepEqual(problems, [], where);
}

const actionsDir = join(schemas, 'wecom', 'actions');
const actions = readdirSync(actionsDir).filter((f) => f.endsWith('.json')).sort();

test('the catalog has actions to check', () => {
  assert.ok(actions.length >= 60, 'found ' + actions.length);
});

for (const file of actions) {
  const descriptor = read(join(actionsDir, file));
  test(descriptor.id + ' input compiles in strict mode', () => compiles(descriptor.input, file + ' input'));
  test(descriptor.id + ' output compiles in strict mode', () => compiles(descriptor.output, file + ' output'));
}

for (const file of [join('wecom', 'connection.schema.json'), 'descriptor.schema.json']) {
  test(file + ' compiles in strict mode', () => compiles(read(join(schemas, file)), file));
}

const triggersDir = join(schemas, 'wecom', 'triggers');
const triggers = readdirSync(triggersDir).filter((f) => f.endsWith('.json')).sort();

test('the catalog has triggers to check', () => {
  assert.ok(triggers.length >= 46, 'found ' + triggers.length);
});

for (const file of triggers) {
  const descriptor = read(join(triggersDir, file));
  test(descriptor.id + ' event schema compiles in strict mode', () => compiles(descriptor.schema, file + ' schema'));
}
