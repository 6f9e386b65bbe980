#!/usr/bin/env bash
# Deploys every service to one stage, in dependency order (each later stack reads the earlier
# ones' CloudFormation exports): auth → order-action-group → chat-api → agent-invoker → web, then
# uploads the chat UI. Needs AWS credentials in the environment. Each service can also be deployed
# alone with `serverless deploy --stage <stage>` in its folder (see its README).
#   ./scripts/deploy.sh --stage dev --web-origin https://chat.example.com [--region us-east-1] [--dry-run]
# --web-origin (required) is the chat UI's origin: chat-api's and the admin API's CORS allow it, the
# tenant-files bucket's CORS too, and the web client signs in and out at <origin>/ (auth's
# callbackUrls, logoutUrls, corsOrigins, webOrigin; nothing defaults to localhost outside the local
# stage). With CloudFront's own domain, deploy once, then again with
# --web-origin https://<distribution>.cloudfront.net (the web stack's WebUrl output), since auth and
# chat-api deploy before the web stack exists.
# First every service is packaged for the stage and region (offline) and the plan printed: per
# service the parameters it will use and which stack exports each import; a refused stage or
# region, a missing parameter or a dangling import stops it before anything is deployed.
# --dry-run stops after the plan and prints the commands. The work is done by
# packages/dev-stack/src/cli/deploy.ts (Node); this wrapper only installs what it needs.
set -eo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh >/dev/null
exec scripts/tsx-run.sh deploy "$@"
