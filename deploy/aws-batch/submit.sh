#!/usr/bin/env bash
# An array job of 8 (AWS_BATCH_JOB_ARRAY_INDEX 0..7), then the merge once all succeeded.
set -euo pipefail
queue=${1:?job queue}
collect=$(aws batch submit-job --job-name trustscan-collect --job-queue "$queue" \
  --job-definition trustscan-collect --array-properties size=8 --query jobId --output text)
aws batch submit-job --job-name trustscan-merge --job-queue "$queue" --job-definition trustscan-collect \
  --depends-on "jobId=$collect" \
  --container-overrides 'command=["merge","s3://acme-trustscan-parts/nightly/","--format","json","-o","/tmp/results.json","--fail-on-unknown"]'
