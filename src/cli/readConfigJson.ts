import { readFile } from 'node:fs/promises';
import { ConfigError } from '../core/loadConfig';

/** A config file's parsed JSON, or a ConfigError that says which file and what is wrong. */
export async function readConfigJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read the config file ${path}.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the config file ${path} is not valid JSON (${(err as Error).message}).`);
  }
}
