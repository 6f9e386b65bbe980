// Fills the ID token of a sample event from $ID_TOKEN, for `serverless invoke local`:
//   EVENT=submitPrompt ID_TOKEN=<token from the local Cognito> serverless invoke local --stage local \
//     -f submitPrompt -p events/with-token.js
const event = structuredClone(require(`./${process.env.EVENT ?? 'submitPrompt'}.json`));
const token = process.env.ID_TOKEN;
if (!token) throw new Error('Set ID_TOKEN to an ID token of the local Cognito (see README)');
if (event.queryStringParameters?.token) event.queryStringParameters.token = token;
else event.headers.authorization = `Bearer ${token}`;
module.exports = event;
