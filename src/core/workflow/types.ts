// The conductor's workflow exactly as the paper writes it: three equal-length lists.

export type AccessEntry = number | 'all';

export interface Workflow {
  model_id: number[];
  subtasks: string[];
  access_list: AccessEntry[][];
}
