// The prompts below are the clients' own, as their npm packages ship them: Codex's compaction (0.169 to 0.171)
// template (codex-rs core/templates/compact/prompt.md, in the codex binary), Claude Code 2.1's /compact
// system prompt and instruction, and opencode's session title system prompt (agent/prompt/title.txt).
import assert from 'node:assert/strict';
import { directRequest, type ClientRequest } from '../../../../src/core/policies/directRequest';

const CODEX_COMPACTION = `You are performing a CONTEXT CHECKPOINT COMPACTION. Create a handoff summary for another LLM that will resume the task.

Include:
- Current progress and key decisions made
- Important context, constraints, or user preferences
- What remains to be done (clear next steps)
- Any critical data, examples, or references needed to continue

Be concise, structured, and focused on helping the next LLM seamlessly continue the work.`;
const CLAUDE_COMPACT_SYSTEM = 'You are a helpful AI assistant tasked with summarizing conversations.';
const CLAUDE_COMPACT = `Your task is to create a detailed summary of the conversation so far, paying close attention to the user's explicit requests and your previous actions.
This summary should be thorough in capturing technical details, code patterns, and architectural decisions that would be essential for continuing development work without losing context.`;
const OPENCODE_TITLE = 'You are a title generator. You output ONLY a thread title. Nothing else.\n\n<task>\nGenerate a brief title that would help the user find this conversation later.';

const req = (r: Partial<ClientRequest>): ClientRequest => ({ question: '', instructions: [], tools: 0, earlierTurns: 12, ...r });

describe('core/policies: requests that need no orchestration', () => {
  it("Codex's checkpoint compaction, even with its tools offered", () => {
    assert.deepEqual(directRequest(req({ question: CODEX_COMPACTION, tools: 9, instructions: ['You are Codex, based on GPT-5.'] })), { kind: 'compaction', reason: "Codex's context compaction prompt" });
  });

  it("Claude Code's /compact: by its instruction or by its summariser system prompt", () => {
    assert.equal(directRequest(req({ question: CLAUDE_COMPACT, tools: 17 }))?.kind, 'compaction');
    assert.equal(directRequest(req({ question: 'Please continue.', instructions: [CLAUDE_COMPACT_SYSTEM], tools: 0 }))?.kind, 'compaction');
  });

  it("opencode's session title, and any tool-less request for a title", () => {
    assert.deepEqual(directRequest(req({ question: 'Generate a title for this conversation:\nfix the flaky test in ci.yml', instructions: [OPENCODE_TITLE] })), {
      kind: 'title',
      reason: "opencode's session title prompt",
    });
    assert.equal(directRequest(req({ question: 'Write a short title for the chat above.' }))?.kind, 'title');
  });

  it('a tool-less request to summarise the conversation', () => {
    assert.equal(directRequest(req({ question: 'Summarize the conversation so far in five bullets.' }))?.kind, 'summary');
    assert.equal(directRequest(req({ question: 'Summarize the conversation so far.', tools: 3 })), null, 'with tools it may mean work on files');
  });

  it('a short first question, but not a short follow-up that leans on earlier turns, nor a coding request', () => {
    assert.equal(directRequest(req({ question: 'What is the capital of Australia?', earlierTurns: 0, tools: 5 }))?.kind, 'question');
    assert.equal(directRequest(req({ question: 'yes, do it', earlierTurns: 6, tools: 5 })), null);
    assert.equal(directRequest(req({ question: 'Write the token into made.txt.', earlierTurns: 0, tools: 5 })), null, 'an instruction, with tools to carry it out');
    assert.equal(directRequest(req({ question: 'Fix the off-by-one in src/range.ts', earlierTurns: 0, tools: 5 })), null);
    assert.equal(directRequest(req({ question: 'Implement a summary endpoint for the session API in src/api.ts', tools: 5 })), null);
  });
});
