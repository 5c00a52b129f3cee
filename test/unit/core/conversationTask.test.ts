import assert from 'node:assert/strict';
import { conversationTask } from '../../../src/core/conversationTask';

describe('conversationTask (one conversation -> one task, for fugu serve and VS Code Chat)', () => {
  it('leads with the last user message, then the instructions, then the earlier turns oldest first', () => {
    const t = conversationTask([
      { role: 'system', text: 'Answer in English.' },
      { role: 'user', text: 'What is a callback?' },
      { role: 'assistant', text: 'A function passed to another.' },
      { role: 'user', text: 'And a closure?' },
    ])!;
    assert.equal(t.question, 'And a closure?');
    assert.equal(
      t.task,
      'And a closure?\n\n---\nInstructions given with this request:\nAnswer in English.\n\n---\nEarlier conversation, oldest first:\n[user] What is a callback?\n\n[assistant] A function passed to another.',
    );
  });

  it('is the question alone for a single message, and null without a user message with text', () => {
    assert.deepEqual(conversationTask([{ role: 'user', text: 'Fix it' }]), { question: 'Fix it', task: 'Fix it' });
    assert.equal(conversationTask([{ role: 'assistant', text: 'Hi' }]), null);
    assert.equal(conversationTask([{ role: 'user', text: 'Hi' }, { role: 'user', text: '   ' }]), null);
  });
});
