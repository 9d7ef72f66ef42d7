// User-assigned identities that must hold their roles before the resources using them are created:
// the inference service pulls its image with one, Event Grid delivers events with the other.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Identity of the inference container app.')
param inferenceIdentityName string

@description('Identity Event Grid delivers DICOM events with.')
param eventsIdentityName string

resource inference 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: inferenceIdentityName
  location: location
  tags: tags
}

resource events 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: eventsIdentityName
  location: location
  tags: tags
}

output inferenceId string = inference.id
output inferencePrincipalId string = inference.properties.principalId
output inferenceClientId string = inference.properties.clientId
output eventsId string = events.id
output eventsPrincipalId string = events.properties.principalId
