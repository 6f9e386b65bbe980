#!/usr/bin/env bash
# Deploys every service to one stage, in dependency order (each later stack reads the earlier
# ones' CloudFormation exports): auth → order-action-group → chat-api → agent-invoker → web, then
# uploads the chat UI. Needs AWS credentials in the environment. Each service can also be deployed
# alone with `serverless deploy --stage <stage>` in its folder (see its README).
#   ./scripts/deploy.sh --stage dev [--region us-east-1] [--web-origin https://chat.example.com] [--dry-run]
# --web-origin is the chat UI's origin, which chat-api's CORS allows. With CloudFront's own domain,
# deploy once, then again with --web-origin https://<distribution>.cloudfront.net (the web stack's
# WebUrl output), since chat-api deploys before the web stack exists.
set -euo pipefail
cd "$(dirname "$0")/.."

stage=""
region="${AWS_REGION:-us-east-1}"
dry_run=false
web_origin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) stage="${2:-}"; shift 2 ;;
    --region) region="${2:-}"; shift 2 ;;
    --web-origin) web_origin="${2:-}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    *) echo "Unknown argument: $1 (usage: deploy.sh --stage <stage> [--region <region>] [--web-origin <url>] [--dry-run])" >&2; exit 2 ;;
  esac
done
if [ -z "$stage" ]; then
  echo "--stage is required (e.g. dev, prod)" >&2
  exit 2
fi
# The one stage and region rule (lambda-kit), which every serverless.yml applies at package time too.
problem="$(node -e '
  const rule = require(process.argv[1]);
  const problem = rule.stageProblem(process.argv[2]) ?? rule.regionProblem(process.argv[3]);
  if (problem) console.log(problem);
' "$PWD/packages/lambda-kit/serverless/stage.cjs" "$stage" "$region")"
if [ -n "$problem" ]; then
  echo "$problem" >&2
  exit 2
fi
if [ "$stage" = "local" ]; then
  echo "The local stage is not deployed: run ./scripts/dev.sh" >&2
  exit 2
fi

run() {
  echo "+ $*"
  if [ "$dry_run" = false ]; then "$@"; fi
}

if [ "$dry_run" = false ]; then
  # shellcheck source=scripts/setup.sh
  source scripts/setup.sh
fi
for service in auth order-action-group chat-api agent-invoker web; do
  # An empty array expanded under `set -u` fails on bash < 4.4 (macOS ships 3.2): expand only when set.
  params=()
  if [ "$service" = chat-api ] && [ -n "$web_origin" ]; then params=(--param "webOrigin=$web_origin"); fi
  run pnpm --dir "services/$service" exec serverless deploy --stage "$stage" --region "$region" ${params[@]+"${params[@]}"}
done
run pnpm --dir services/web run build
run pnpm --dir services/web run upload -- --stage "$stage" --region "$region"
