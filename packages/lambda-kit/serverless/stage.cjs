'use strict';
// The stages and regions a Tenant Assistant service can be packaged and deployed to — the one rule,
// read by every serverless.yml (`${file(node_modules/@tenant-assistant/lambda-kit/serverless/stage.cjs):checked}`),
// by the deploy tool and by the template tests. Every physical name the services generate
// (`tenant-assistant-<service>-<stage>-<function>`, rules, roles, queues, the Cognito domain prefix)
// fits its AWS limit for the longest stage in the longest region this accepts; the template tests
// package every service with both to prove it.

/** 1–10 characters: a lowercase letter, then lowercase letters and digits (e.g. `dev`, `prod`, `production`). */
const STAGE_PATTERN = /^[a-z][a-z0-9]{0,9}$/;
const STAGE_MAX_LENGTH = 10;
/** Words Cognito refuses in a hosted-UI domain prefix (`tenant-assistant-<stage>-<account>`). */
const RESERVED_STAGE_WORDS = ['aws', 'amazon', 'cognito'];
/** An AWS region name such as `us-east-1` or `ap-southeast-4` (14 characters, the longest there is). */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+){1,2}-[1-9]$/;
const REGION_MAX_LENGTH = 14;

/** Why `stage` cannot be used, or undefined when it can. */
const stageProblem = (stage) => {
  if (typeof stage !== 'string' || !STAGE_PATTERN.test(stage))
    return `Stage "${stage}" is not accepted: 1–${STAGE_MAX_LENGTH} characters, a lowercase letter first, then lowercase letters and digits (e.g. dev, prod, production); longer stages would make names such as tenant-assistant-order-action-group-<stage>-provisionTenant exceed AWS's 64-character limits`;
  const reserved = RESERVED_STAGE_WORDS.find((word) => stage.includes(word));
  if (reserved)
    return `Stage "${stage}" is not accepted: it contains "${reserved}", which Cognito refuses in the hosted-UI domain prefix tenant-assistant-<stage>-<account>`;
  return undefined;
};

/** Why `region` cannot be used, or undefined when it can. */
const regionProblem = (region) =>
  typeof region === 'string' && REGION_PATTERN.test(region) && region.length <= REGION_MAX_LENGTH
    ? undefined
    : `Region "${region}" is not accepted: an AWS region name such as us-east-1 or eu-central-1 (at most ${REGION_MAX_LENGTH} characters)`;

/** An error whose message is all the framework prints after "Returned JS function errored with:". */
const refusal = (message) => {
  const error = new Error(message);
  error.stack = message;
  return error;
};

/**
 * For `${file(…/stage.cjs):checked}` in a serverless.yml: the stage, once it and the provider's
 * region are accepted; otherwise `serverless package` / `deploy` stops with the reason.
 */
const checked = async ({ resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  const region = await resolveVariable('self:provider.region');
  const problem = stageProblem(stage) ?? regionProblem(region);
  if (problem) throw refusal(problem);
  return stage;
};

/**
 * Why the web addresses a stage is given cannot be used, or undefined when they can: outside the
 * `local` stage each parameter named in `required` (name → what it is) must be set — the services
 * default them to localhost in the local stage only, so a deployed stage never silently allows a
 * developer's machine as its sign-in callback or CORS origin.
 */
const deployParamsProblem = (stage, values, required) => {
  if (stage === 'local') return undefined;
  const problems = [];
  for (const [name, what] of Object.entries(required)) {
    const value = values[name];
    if (value === undefined || value === null || String(value).trim() === '')
      problems.push(`--param ${name}=… is missing (${what})`);
  }
  return problems.length === 0
    ? undefined
    : `Stage "${stage}" cannot be packaged or deployed: ${problems.join('; ')}`;
};

/**
 * For `${file(…/stage.cjs):checkedDeployParams}`: the parameters named in the service's
 * `custom.deployParams` (name → description), once every one is set for a stage other than `local`;
 * otherwise packaging and deploying stop, naming each missing one.
 */
const checkedDeployParams = async ({ resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  const required = (await resolveVariable('self:custom.deployParams')) ?? {};
  const values = {};
  for (const name of Object.keys(required)) values[name] = await resolveVariable(`param:${name}, ''`);
  const problem = deployParamsProblem(stage, values, required);
  if (problem) throw refusal(problem);
  return Object.keys(required);
};

module.exports = {
  deployParamsProblem,
  checkedDeployParams,
  STAGE_PATTERN,
  STAGE_MAX_LENGTH,
  RESERVED_STAGE_WORDS,
  REGION_PATTERN,
  REGION_MAX_LENGTH,
  stageProblem,
  regionProblem,
  checked,
};
