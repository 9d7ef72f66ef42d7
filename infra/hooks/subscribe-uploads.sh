#!/usr/bin/env bash
# azd postdeploy hook: subscribes the Functions app's blob upload trigger to BlobCreated events of the
# incoming container. Flex Consumption runs blob triggers only from Event Grid, and the webhook needs
# the app's blobs_extension system key, which exists once the deployed code has started.
#
# Reads the azd environment: AZURE_RESOURCE_GROUP, FUNCTIONS_APP_NAME, STORAGE_EVENTS_TOPIC_NAME,
# INCOMING_CONTAINER_NAME (outputs of infra/main.bicep) and ICH_UPLOAD_FUNCTION, the name of the
# blob-triggered function (azd env set ICH_UPLOAD_FUNCTION <name>).
set -euo pipefail

fail() { echo "subscribe-uploads: error: $*" >&2; exit 1; }

if [[ -z "${ICH_UPLOAD_FUNCTION:-}" ]]; then
  echo "subscribe-uploads: ICH_UPLOAD_FUNCTION is not set, so blob uploads are not subscribed;" \
    "set it to the blob-triggered function's name and run 'azd hooks run postdeploy'." >&2
  exit 0
fi

for name in AZURE_RESOURCE_GROUP FUNCTIONS_APP_NAME STORAGE_EVENTS_TOPIC_NAME INCOMING_CONTAINER_NAME; do
  [[ -n "${!name:-}" ]] || fail "$name is missing from the azd environment; run 'azd provision' first."
done

# The host creates the key when the blob extension first loads, which can take a minute after deploy.
key=""
for attempt in 1 2 3 4 5 6; do
  key="$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$FUNCTIONS_APP_NAME" \
    --query systemKeys.blobs_extension -o tsv 2>/dev/null || true)"
  [[ -n "$key" ]] && break
  echo "subscribe-uploads: blobs_extension key not found yet (attempt $attempt of 6), waiting 20 s" >&2
  sleep 20
done
[[ -n "$key" ]] || fail "the app $FUNCTIONS_APP_NAME has no blobs_extension system key; check that $ICH_UPLOAD_FUNCTION is deployed and the app started."

host="$(az functionapp show -g "$AZURE_RESOURCE_GROUP" -n "$FUNCTIONS_APP_NAME" --query defaultHostName -o tsv)"
endpoint="https://$host/runtime/webhooks/blobs?functionName=Host.Functions.$ICH_UPLOAD_FUNCTION&code=$key"

az eventgrid system-topic event-subscription create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$STORAGE_EVENTS_TOPIC_NAME" \
  --name "uploads-to-functions" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$INCOMING_CONTAINER_NAME/" \
  --event-delivery-schema EventGridSchema \
  --output none
echo "subscribe-uploads: BlobCreated events of '$INCOMING_CONTAINER_NAME' now reach $ICH_UPLOAD_FUNCTION" >&2
