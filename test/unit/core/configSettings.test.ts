import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, workerSchema } from '../../../src/core/config';
import { keysAt } from '../../../src/core/loadConfig';
import { editorSettingsSchema } from '../../../src/vscode/settingsSchema';

interface JsonSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  enum?: string[];
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8'));
const settings: Record<string, JsonSchema> = manifest.contributes.configuration.properties;

/** `fugu.*` setting names a schema stands for: nested objects become dotted settings (budget.maxCalls). */
function settingNames(schema: Parameters<typeof keysAt>[0]): string[] {
  return keysAt(schema, []).flatMap((key) => {
    const nested = keysAt(schema, [key]);
    // An object of settings (policy, budget) is spread into dotted settings; a list or a map is one setting.
    const isGroup = nested.length > 0 && keysAt(schema, [key, 0]).length === 0 && keysAt(schema, [key, 'x']).length === 0;
    return isGroup ? nested.map((n) => `fugu.${key}.${n}`) : [`fugu.${key}`];
  });
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('the settings in package.json', () => {
  it('are exactly the keys of the config and editor schemas, both ways', () => {
    const fromSchemas = [...settingNames(configSchema), ...settingNames(editorSettingsSchema)];
    assert.deepEqual(sorted(Object.keys(settings)), sorted(fromSchemas));
  });

  it("list exactly a worker's keys for the items of fugu.workers", () => {
    const items = settings['fugu.workers'].items!;
    assert.equal(items.additionalProperties, false);
    assert.deepEqual(sorted(Object.keys(items.properties!)), sorted(keysAt(workerSchema, [])));
  });

  it('describe a price with the keys the schema reads, for a worker and for fugu.prices', () => {
    const price = keysAt(configSchema, ['prices', 'gpt-5']);
    assert.deepEqual(sorted(Object.keys(settings['fugu.workers'].items!.properties!.price.properties!)), sorted(price));
    assert.deepEqual(sorted(Object.keys((settings['fugu.prices'].additionalProperties as JsonSchema).properties!)), sorted(price));
  });

  it('offer the values the schema accepts for every choice', () => {
    const accepted = (key: string) => {
      const r = configSchema.safeParse({ workers: [{ id: 'w', provider: 'openai', model: 'm', role: 'coder' }], policy: { backend: key } });
      return r.success;
    };
    for (const backend of settings['fugu.policy.backend'].enum!) assert.ok(accepted(backend), `policy.backend ${backend}`);
    assert.equal(accepted('oracle'), false);
    const worker = (patch: Record<string, string>) => workerSchema.safeParse({ id: 'w', provider: 'openai', model: 'm', ...patch }).success;
    const itemProps = settings['fugu.workers'].items!.properties!;
    for (const provider of itemProps.provider.enum!) assert.ok(worker({ provider }), provider);
    for (const role of itemProps.role.enum!) assert.ok(worker({ role }), role);
    for (const policy of settings['fugu.inline.policy'].enum!) assert.ok(editorSettingsSchema.safeParse({ inline: { policy } }).success, policy);
  });

  it('hold the same bounds as the schema for every number', () => {
    const coder = { id: 'w', provider: 'openai', model: 'm', role: 'coder' };
    /** Whether the schema accepts `value` for the setting `name` (a dotted fugu.* name, or a worker's key). */
    const accepts = (name: string, value: number, inWorker: boolean) => {
      if (inWorker) return configSchema.safeParse({ workers: [{ ...coder, [name]: value }] }).success;
      const [top, sub] = name.replace(/^fugu\./, '').split('.');
      const raw = { [top]: sub ? { [sub]: value } : value };
      const schema = Object.keys(editorSettingsSchema.def.shape).includes(top) ? editorSettingsSchema : configSchema;
      return schema.safeParse(schema === configSchema ? { workers: [coder], ...raw } : raw).success;
    };
    const numbers: [string, JsonSchema, boolean][] = [
      ...Object.entries(settings).map(([n, s]): [string, JsonSchema, boolean] => [n, s, false]),
      ...Object.entries(settings['fugu.workers'].items!.properties!).map(([n, s]): [string, JsonSchema, boolean] => [n, s, true]),
    ].filter(([, s]) => s.type === 'integer' || s.type === 'number');
    assert.ok(numbers.length >= 10);
    for (const [name, s, inWorker] of numbers) {
      const step = s.type === 'integer' ? 1 : 0.01;
      assert.ok(s.minimum !== undefined, `${name} declares a minimum`);
      assert.ok(accepts(name, s.minimum, inWorker), `${name} accepts its minimum ${s.minimum}`);
      assert.ok(!accepts(name, s.minimum - step, inWorker), `${name} refuses less than ${s.minimum}`);
      if (s.maximum !== undefined) {
        assert.ok(accepts(name, s.maximum, inWorker), `${name} accepts its maximum ${s.maximum}`);
        assert.ok(!accepts(name, s.maximum + step, inWorker), `${name} refuses more than ${s.maximum}`);
      } else {
        assert.ok(accepts(name, 1e9, inWorker), `${name} has no maximum`);
      }
      if (s.type === 'integer') assert.ok(!accepts(name, s.minimum + 0.5, inWorker), `${name} refuses a fraction`);
    }
  });
});
