import { describeDeadLetterAlarm } from '@tenant-assistant/testing';
import { dev, packageStages, prod } from './support/template';

/**
 * chat-api's packaged CloudFormation template. `serverless package` is slow, so it runs once per
 * stage here, for every subject in test/template/, and the subjects are registered below.
 */
import './template/http-and-websocket';
import './template/bus-and-deadlines';
import './template/tables';
import './template/roles';
import './template/outputs';

jest.setTimeout(180_000);

beforeAll(packageStages);

describeDeadLetterAlarm(
  () => ({ without: dev, with: prod }),
  'AnswerEventsDeadLetterAlarm',
  'AnswerEventsDeadLetterQueue',
);
