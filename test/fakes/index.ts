// One import for tests: the fakes, their scripting core and the reply builders.
export * from './reply';
export * from './fakeServer';
export { startOpenAIFake, openaiProtocol } from './openaiFake';
export { startAnthropicFake, anthropicProtocol } from './anthropicFake';
export { startGeminiFake, geminiProtocol } from './geminiFake';
export { startFakes, type FakeSet, type Fakes, type StartFakesOptions } from './startFakes';
export { scriptDemo } from './demo';
