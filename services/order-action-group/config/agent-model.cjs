'use strict';
/**
 * The agent's model, from the stage parameter `agentModel`: either a foundation-model id
 * (`anthropic.claude-3-haiku-20240307-v1:0`), a system inference-profile id
 * (`us.anthropic.claude-3-5-haiku-20241022-v1:0`, `eu.…`, `apac.…`, `global.…`) or an
 * inference-profile ARN (system `…:inference-profile/<id>` or `…:application-inference-profile/<id>`).
 *
 * Resolved by the Serverless Framework at package time (`${file(./config/agent-model.cjs):…}`),
 * offline. It gives the Bedrock agent's `FoundationModel` (the value as given) and the IAM
 * statements of the agent's role: a foundation model → InvokeModel on that model in the region; an
 * inference profile → InvokeModel on the profile, and on its underlying foundation models in every
 * region the profile routes to only through that profile (`bedrock:InferenceProfileArn`). An
 * application profile's models are not known from its ARN: they are allowed through it only.
 */
const ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
const GEO_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'ca', 'jp', 'au', 'global'];
const MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;
const PROFILE_ARN =
  /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]+):(\d{12}):(inference-profile|application-inference-profile)\/([A-Za-z0-9._:-]+)$/;

class AgentModelError extends Error {}

/** What the parameter names: `{ kind, value, profileArn?, underlyingModel? }` (CloudFormation values). */
const parse = (value) => {
  if (typeof value !== 'string' || value.trim() === '')
    throw new AgentModelError(
      'agentModel: set a foundation-model id or an inference-profile id or ARN (--param agentModel=…)',
    );
  const arn = PROFILE_ARN.exec(value);
  if (arn) {
    const [, , , type, id] = arn;
    const geo = id.split('.')[0];
    return {
      kind: type,
      value,
      profileArn: value,
      underlyingModel:
        type === 'inference-profile' && GEO_PREFIXES.includes(geo) ? id.slice(geo.length + 1) : undefined,
    };
  }
  if (value.startsWith('arn:'))
    throw new AgentModelError(
      `agentModel: ${value} is not an inference-profile ARN (arn:aws:bedrock:<region>:<account>:inference-profile/<id>)`,
    );
  if (!MODEL_ID.test(value))
    throw new AgentModelError(
      `agentModel: ${value} is neither a foundation-model id nor an inference-profile id`,
    );
  const geo = value.split('.')[0];
  if (GEO_PREFIXES.includes(geo)) {
    return {
      kind: 'inference-profile',
      value,
      profileArn: {
        'Fn::Sub': `arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:inference-profile/${value}`,
      },
      underlyingModel: value.slice(geo.length + 1),
    };
  }
  return { kind: 'foundation-model', value };
};

const statementsFor = (model) => {
  if (model.kind === 'foundation-model') {
    return [
      {
        Sid: 'InvokeChosenModel',
        Effect: 'Allow',
        Action: ACTIONS,
        Resource: {
          'Fn::Sub': `arn:\${AWS::Partition}:bedrock:\${AWS::Region}::foundation-model/${model.value}`,
        },
      },
    ];
  }
  return [
    { Sid: 'InvokeChosenInferenceProfile', Effect: 'Allow', Action: ACTIONS, Resource: model.profileArn },
    {
      Sid: 'InvokeProfileModelsThroughTheProfileOnly',
      Effect: 'Allow',
      Action: ACTIONS,
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:bedrock:*::foundation-model/${model.underlyingModel ?? '*'}`,
      },
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': model.profileArn } },
    },
  ];
};

const resolve = async (resolveVariable) => parse(await resolveVariable('param:agentModel'));

module.exports = {
  parse,
  statementsFor,
  AgentModelError,
  foundationModel: async ({ resolveVariable }) => (await resolve(resolveVariable)).value,
  statements: async ({ resolveVariable }) => statementsFor(await resolve(resolveVariable)),
};
