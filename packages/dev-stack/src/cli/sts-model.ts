/**
 * sts-model: AssumeRole calls per second of the agent-invoker for 1,000 … 1,000,000 users at a few
 * prompt rates, against the account's quota (600/s). Parameters are the measured ones by default:
 * answer time (containers = prompt rate × answer time) and the per-container cache of tenant-context.
 */
import { parseArgs } from 'node:util';
import { ASSUME_ROLE_QUOTA_PER_SECOND, modelAssumeRole } from '../sts-model';

const { values } = parseArgs({
  options: {
    'answer-seconds': { type: 'string', default: '3' },
    'container-seconds': { type: 'string', default: '3600' },
    'cache-entries': { type: 'string', default: '1000' },
    'credential-seconds': { type: 'string', default: '3600' },
  },
});
const answerSeconds = Number(values['answer-seconds']);
const containerSeconds = Number(values['container-seconds']);
const cacheEntries = Number(values['cache-entries']);
const credentialSeconds = Number(values['credential-seconds']);

console.log(
  `AssumeRole model — answer ${answerSeconds} s, container life ${containerSeconds} s, credentials ${credentialSeconds} s (refreshed 300 s early), ${cacheEntries} pairs cached per container; quota ${ASSUME_ROLE_QUOTA_PER_SECOND}/s`,
);
console.log('users      prompts/user/h  prompts/s  containers  AssumeRole/s  per prompt  quota used');
for (const users of [1_000, 10_000, 100_000, 1_000_000]) {
  for (const promptsPerUserHour of [1, 4, 20]) {
    const r = modelAssumeRole({
      users,
      promptsPerUserHour,
      answerSeconds,
      containerSeconds,
      cacheEntries,
      credentialSeconds,
    });
    console.log(
      `${String(users).padEnd(10)} ${String(promptsPerUserHour).padStart(14)}  ${r.promptsPerSecond.toFixed(1).padStart(9)}  ${String(r.containers).padStart(10)}  ${r.assumeRolePerSecond.toFixed(1).padStart(12)}  ${r.missRatio.toFixed(2).padStart(10)}  ${((100 * r.assumeRolePerSecond) / ASSUME_ROLE_QUOTA_PER_SECOND).toFixed(0).padStart(9)}%`,
    );
  }
}
