/**
 * Turns Block Kit problems into the pieces of Slack's error answer. Slack lists each problem with
 * its JSON pointer, e.g. `"response_metadata":{"messages":["[ERROR] unsupported type: sections
 * [json-pointer:/blocks/0/type]"]}` [NODE WebClient.test.ts], and chat.postMessage's
 * `invalid_blocks` answer also carries them as `errors`.
 */
import type { BlockKitProblem } from './problem-list.ts';

export interface SlackErrorPieces {
  errors: string[];
  response_metadata: { messages: string[] };
}

export function formatSlackErrors(problems: readonly BlockKitProblem[]): SlackErrorPieces {
  const errors = problems.map((p) => `${p.message} [json-pointer:${p.path}]`);
  return { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } };
}
