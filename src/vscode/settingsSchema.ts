// The editor-only `fugu.*` settings (the workflow settings are the core's configSchema). No `vscode`
// import, so the unit test that holds package.json to these schemas can load it.
import * as z from 'zod/mini';

const wholeNumber = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.number({ error }).check(z.int({ error }), z.minimum(min, { error }), z.maximum(max, { error }));
};
const object = <S extends z.core.$ZodLooseShape>(shape: S) => z.strictObject(shape, { error: 'expected an object' });

export const editorSettingsSchema = object({
  context: z._default(object({ maxChars: z._default(wholeNumber(0, 2_000_000), 60_000) }), { maxChars: 60_000 }),
  inline: z._default(
    object({
      /** Worker ids the inline generation uses (empty = one planner and the coder). */
      workers: z._default(z.array(z.string({ error: 'expected a worker id' }), { error: 'expected a list of worker ids' }), []),
      policy: z._default(z.enum(['planThenCode', 'codeOnly'], { error: 'expected one of planThenCode, codeOnly' }), 'planThenCode'),
    }),
    { workers: [], policy: 'planThenCode' },
  ),
  history: z._default(object({ maxRuns: z._default(wholeNumber(1, 1000), 50) }), { maxRuns: 50 }),
});

export type EditorSettingsTree = z.output<typeof editorSettingsSchema>;

/** The top-level `fugu.*` keys that belong to the editor, not to the workflow config. */
export const EDITOR_KEYS: readonly string[] = Object.keys(editorSettingsSchema.def.shape);
