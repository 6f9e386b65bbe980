import { devStageTests } from './serverless/dev-stage';
import { stageTests } from './serverless/stages';
import { packaged, type Templates } from './support/packaged';

jest.setTimeout(180_000);

// One packaging of each stage for every group of template tests (packaging is the expensive part).
const templates = {} as Templates;

beforeAll(async () => {
  Object.assign(templates, await packaged('dev', 'prod', 'local'));
});

devStageTests(templates);
stageTests(templates);
